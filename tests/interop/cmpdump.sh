#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# tests/interop/cmpdump.sh: tools/cmpdump over real and broken messages.
#
# - every message in tests/data/bouncycastle and tests/data/openssl prints
#   (exit 0), its --json output parses (python3 -m json.tool) and --check
#   calls it canonical DER (exit 0); PEM, base64 and stdin give the same text;
# - BER variants (indefinite or non-minimal lengths) are "not canonical"
#   under --check (exit 1) and refused in the default strict mode (exit 2);
# - malformed inputs (tests/data/malformed, tests/data/asn1rt, every prefix
#   of one message, garbage, an empty and an oversized input) exit 2 with a
#   byte offset and a reason, and never crash or hang.
#
# Needs $CMP_TOP_BUILDDIR/tools/cmpdump and $CMP_TEST_DATA (make check sets
# both) and python3; exits 77 (SKIP) without them.
set -u

build=${CMP_TOP_BUILDDIR:-.}
data=${CMP_TEST_DATA:-}
dump=$build/tools/cmpdump

skip() { echo "SKIP: $*"; exit 77; }
[ -n "$data" ] && [ -d "$data/bouncycastle" ] || skip "CMP_TEST_DATA not set"
[ -x "$dump" ] || skip "$dump not built"
# With shared libraries, tools/cmpdump is libtool's wrapper script, which
# costs a shell start-up per call (eight times the decoding itself here);
# call the real program with the library path the wrapper would set.
if [ -x "$build/tools/.libs/cmpdump" ] && [ -d "$build/.libs" ]; then
    dump=$build/tools/.libs/cmpdump
    LD_LIBRARY_PATH=$build/.libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
    export LD_LIBRARY_PATH
fi
command -v python3 >/dev/null 2>&1 || skip "python3 not found"
command -v timeout >/dev/null 2>&1 || skip "timeout not found"

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# run EXPECTED-STATUSES ARGS...: cmpdump with a time limit; the status must
# be one of EXPECTED-STATUSES (a space-separated list). Output in $tmp/out,
# $tmp/err.
run() {
    want=$1
    shift
    timeout 20 "$dump" "$@" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    for w in $want; do
        [ "$rc" = "$w" ] && return 0
    done
    fail "cmpdump $* exited $rc (want $want): $(head -c 300 "$tmp/err")"
    return 1
}

# ---- real messages ------------------------------------------------------------
# Each prints, its JSON is kept for one python3 check at the end, and --check
# calls it canonical; every 8th also goes through PEM, base64 and stdin.
n=0
mkdir "$tmp/json"
for f in "$data"/bouncycastle/*.der "$data"/openssl/*.der; do
    n=$((n + 1))
    run 0 "$f" || continue
    cp "$tmp/out" "$tmp/text"
    grep -q "^  body:" "$tmp/text" || fail "$f: no body in the text output"
    run 0 --json "$f" && cp "$tmp/out" "$tmp/json/$n.json"
    run 0 --check "$f"
    [ $((n % 8)) = 1 ] || continue
    run 0 --lenient "$f"
    python3 - "$f" "$tmp/msg.pem" "$tmp/msg.b64" <<'EOF'
import base64, sys
der = open(sys.argv[1], "rb").read()
b64 = base64.b64encode(der).decode()
lines = "\n".join(b64[i:i + 64] for i in range(0, len(b64), 64))
open(sys.argv[2], "w").write("junk before\n-----BEGIN CMP MESSAGE-----\n" + lines +
                             "\n-----END CMP MESSAGE-----\njunk after\n")
open(sys.argv[3], "w").write(lines + "\n")
EOF
    for form in "$tmp/msg.pem" "$tmp/msg.b64"; do
        run 0 "$form" && { cmp -s "$tmp/out" "$tmp/text" || fail "$f: $form prints differently"; }
    done
    timeout 20 "$dump" - <"$f" >"$tmp/out" 2>"$tmp/err" || fail "$f on stdin"
    cmp -s "$tmp/out" "$tmp/text" || fail "$f: stdin prints differently"
done
[ "$n" -ge 36 ] || fail "only $n corpus messages"
python3 - "$tmp/json" <<'EOF' || fail "--json output is not valid JSON"
import json, os, sys
bad = 0
for name in sorted(os.listdir(sys.argv[1])):
    try:
        json.load(open(os.path.join(sys.argv[1], name)))
    except ValueError as e:
        print("not JSON: message %s: %s" % (name, e))
        bad += 1
sys.exit(1 if bad else 0)
EOF

# ---- BER forms: lenient only --------------------------------------------------
for f in "$data"/malformed/*indefinite-outer.der "$data"/malformed/*nonminimal-length*.der \
    "$data"/asn1rt/default-critical-false.der "$data"/asn1rt/indefinite-length.der; do
    [ -f "$f" ] || continue
    run 2 "$f" && { grep -q "byte offset" "$tmp/err" || fail "$f: no offset"; }
    grep -q "decodes with --lenient" "$tmp/err" || fail "$f: no hint to --lenient"
    run 1 --check "$f" && { grep -q "not canonical DER: CMP_ERR_.* at byte offset [0-9]" \
        "$tmp/err" || fail "$f: --check gives no offset and reason"; }
    run 1 --check --json "$f" && { python3 -m json.tool <"$tmp/out" >/dev/null 2>&1 ||
        fail "$f: --check --json is not JSON"; }
    run 0 --lenient "$f"
done

# ---- malformed: never a crash, always a reason -----------------------------------
for f in "$data"/malformed/*.der "$data"/asn1rt/*.der; do
    run "0 2" "$f" || continue
    if [ "$rc" = 2 ]; then
        grep -q "cmpdump: malformed message" "$tmp/err" || fail "$f: no reason"
    fi
    run "0 1 2" --check "$f"
    run "0 2" --json "$f" && [ "$rc" = 0 ] && { python3 -m json.tool <"$tmp/out" \
        >/dev/null 2>&1 || fail "$f: --json output is not valid JSON"; }
done

# proper prefixes of a message, one flipped bit at 60 offsets,
# garbage, an empty and an oversized input
src="$data/openssl/ir-sig-02-ip.der"
python3 - "$src" "$tmp" <<'EOF'
import os, random, sys
der = open(sys.argv[1], "rb").read()
out = sys.argv[2]
step = max(1, len(der) // 40)
for i in list(range(0, 8)) + list(range(8, len(der), step)):
    open(os.path.join(out, "prefix-%05d.bad" % i), "wb").write(der[:i])
rnd = random.Random(4210)
for i in range(0, len(der), max(1, len(der) // 60)):
    b = bytearray(der)
    b[i] ^= 1 << rnd.randrange(8)
    open(os.path.join(out, "flip-%05d.any" % i), "wb").write(bytes(b))
for i in range(20):
    n = rnd.randrange(1, 300)
    open(os.path.join(out, "garbage-%02d.bad" % i), "wb").write(
        bytes([0x30]) + bytes(rnd.randrange(256) for _ in range(n)))
open(os.path.join(out, "huge.bad"), "wb").write(b"A" * (2 * 1024 * 1024 + 1))
open(os.path.join(out, "pem-broken.bad"), "w").write(
    "-----BEGIN CMP-----\n!!!!\n-----END CMP-----\n")
EOF
for f in "$tmp"/*.bad; do
    run 2 "$f" && { grep -q "cmpdump: malformed message" "$tmp/err" || fail "$f: no reason"; }
done
for f in "$tmp"/*.any; do
    run "0 2" "$f"
    run "0 1 2" --check "$f"
done
: >"$tmp/empty"
run 2 "$tmp/empty" && { grep -q "byte offset 0" "$tmp/err" || fail "empty input: no offset"; }

# ---- usage ------------------------------------------------------------------------
run 0 --help && { grep -q "usage: cmpdump" "$tmp/out" || fail "--help prints no usage"; }
run 0 -h
run 3 --bogus
run 3 "$tmp/does-not-exist.der"
run 3 "$src" "$src"

if [ "$failures" -ne 0 ]; then
    echo "cmpdump.sh: $failures failure(s)"
    exit 1
fi
echo "cmpdump.sh: $n messages and the malformed inputs passed"
exit 0
