#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# asn1c 0.9.28 has no symbol prefix, so generated names could collide with
# wolfSSL's (STYLE.md section 2). Fail on any global symbol that both the
# static library and wolfSSL define.
set -eu
build=${CMP_TOP_BUILDDIR:?}
lib="$build/.libs/libcmpstack.a"
command -v nm >/dev/null 2>&1 || { echo "SKIP: nm not found"; exit 77; }
[ -f "$lib" ] || { echo "SKIP: no static library"; exit 77; }
wolf=$(ls /usr/lib/*/libwolfssl.so /usr/lib/libwolfssl.so /usr/local/lib/libwolfssl.so 2>/dev/null | head -1)
[ -n "$wolf" ] || { echo "SKIP: libwolfssl.so not found"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
nm -g --defined-only "$lib" 2>/dev/null | awk 'NF==3 {print $3}' | sort -u > "$tmp/ours"
nm -D --defined-only "$wolf" | awk 'NF==3 {print $3}' | sort -u > "$tmp/wolf"
comm -12 "$tmp/ours" "$tmp/wolf" > "$tmp/both"
if [ -s "$tmp/both" ]; then
    echo "FAIL: symbols defined by both libcmpstack and wolfSSL:"; cat "$tmp/both"; exit 1
fi
echo "ok: $(wc -l < "$tmp/ours") global symbols, none shared with wolfSSL"
