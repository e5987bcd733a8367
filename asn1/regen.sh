#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# asn1/regen.sh: the only way to produce generated/ (STYLE.md section 9).
#
#   asn1/regen.sh          regenerate generated/ from asn1/
#   asn1/regen.sh --check  regenerate into a temporary directory and compare
#                          with generated/; exit 1 on any difference
#
# Steps: (1) check asn1c against asn1/ASN1C.lock; (2) copy asn1/modules/ to
# a temporary directory and apply asn1/patches/mod-*.patch in order; (3) run
# asn1c with the locked flags; (4) apply asn1/patches/skel-*.patch to the
# runtime files asn1c copied; (5) delete the sample files; (6) write
# generated/GENERATED (tool version, flags, input hashes; no timestamps) and
# generated/asn1.mk (sorted source and header lists); (7) replace generated/.
# The output depends only on the inputs, so running it twice changes nothing.
# Works from any current directory.

set -eu

LC_ALL=C
export LC_ALL

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
lock="$here/ASN1C.lock"

# Compile order: every module after the ones it imports from.
MODULES="rfc5280-PKIX1Explicit88.asn1
rfc5280-PKIX1Implicit88.asn1
cmpstack-open-types.asn1
rfc4211-PKIXCRMF-2005.asn1
cmpstack-PKCS-10-1988.asn1
rfc4210-PKIXCMP.asn1"

# Files asn1c writes that are not part of the library.
SAMPLES="converter-sample.c Makefile.am.sample pdu_collection.c"

die() {
    echo "regen.sh: $*" >&2
    exit 2
}

mode=regen
case "${1-}" in
    "") ;;
    --check) mode=check ;;
    *) die "usage: asn1/regen.sh [--check]" ;;
esac

command -v asn1c >/dev/null 2>&1 || die "asn1c not found"
command -v patch >/dev/null 2>&1 || die "patch not found"
command -v sha256sum >/dev/null 2>&1 || die "sha256sum not found"

# (1) tool version and flags from the lock file
lock_value() {
    sed -n "s/^$1=//p" "$lock"
}
want_version=$(lock_value ASN1C_VERSION)
flags=$(lock_value ASN1C_FLAGS)
[ -n "$want_version" ] && [ -n "$flags" ] || die "bad $lock"
have_version=$(asn1c -v 2>&1 | sed -n 1p)
[ "$have_version" = "$want_version" ] ||
    die "asn1c is '$have_version', asn1/ASN1C.lock wants '$want_version'"

# The module list above is complete: refuse modules it does not know.
for f in "$here"/modules/*.asn1; do
    name=$(basename "$f")
    echo "$MODULES" | grep -qx "$name" || die "module $name is not in MODULES"
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/cmpstack-regen.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
# asn1c records the module path in every file it writes; keep it relative.
src="$tmp/asn1-patched"
out="$tmp/generated"
mkdir "$src" "$out"

# (2) modules, then mod-*.patch in order
for m in $MODULES; do
    cp "$here/modules/$m" "$src/$m"
done
for p in "$here"/patches/mod-*.patch; do
    [ -e "$p" ] || continue
    patch -s -p1 -F0 -N --no-backup-if-mismatch -d "$src" -i "$p" ||
        die "$(basename "$p") does not apply"
done

# (3) asn1c with the locked flags
args=""
for m in $MODULES; do
    args="$args ../asn1-patched/$m"
done
# $flags and $args are split on purpose: no element contains a space.
# shellcheck disable=SC2086
if ! (cd "$out" && asn1c $flags $args) >"$tmp/asn1c.log" 2>&1; then
    cat "$tmp/asn1c.log" >&2
    die "asn1c failed"
fi

# (4) runtime (skeleton) patches
for p in "$here"/patches/skel-*.patch; do
    [ -e "$p" ] || continue
    patch -s -p1 -F0 -N --no-backup-if-mismatch -d "$out" -i "$p" ||
        die "$(basename "$p") does not apply"
done

# (5) sample files
for f in $SAMPLES; do
    rm -f "$out/$f"
done
for f in "$out"/*; do
    case "$f" in
        *.c | *.h) ;;
        *) die "unexpected file from asn1c: $(basename "$f")" ;;
    esac
done

# (6) stamp and automake fragment
{
    echo "# generated/: asn1c output and patched asn1c runtime. Do not edit:"
    echo "# run asn1/regen.sh. This file records what produced the output."
    echo "asn1c: $have_version"
    echo "flags: $flags"
    echo "modules (compile order), sha256 of the verbatim file:"
    for m in $MODULES; do
        (cd "$top" && sha256sum "asn1/modules/$m")
    done
    echo "patches (applied in this order), sha256:"
    (cd "$top" && sha256sum asn1/patches/*.patch)
    echo "lock file, sha256:"
    (cd "$top" && sha256sum asn1/ASN1C.lock)
} >"$out/GENERATED"

list() {
    (cd "$out" && ls -1 -- *."$1") | sort | sed 's|^|	generated/|; s|$| \\|; $s| \\$||'
}
{
    echo "# generated/asn1.mk: written by asn1/regen.sh; do not edit."
    echo "ASN1_SRCS = \\"
    list c
    echo ""
    echo "ASN1_HDRS = \\"
    list h
} >"$out/asn1.mk"

# (7) compare or replace
if [ "$mode" = check ]; then
    if diff -r "$top/generated" "$out" >"$tmp/diff" 2>&1; then
        echo "regen.sh --check: generated/ is up to date"
        exit 0
    fi
    head -n 50 "$tmp/diff" >&2
    echo "regen.sh --check: generated/ differs from asn1/ (run asn1/regen.sh)" >&2
    exit 1
fi
rm -rf "$top/generated"
cp -R "$out" "$top/generated"
echo "regen.sh: wrote generated/ ($(ls "$top/generated" | wc -l) files)"
