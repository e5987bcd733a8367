#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Every public header compiles on its own, as C99 and as C++ would include it
# (STYLE.md section 10), and includes no wolfSSL or asn1c header.
set -eu
top=${CMP_TOP_SRCDIR:?}
cc=${CC:-cc}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
for h in "$top"/stack/include/cmp/*.h "$top"/crypto/cmp_crypto.h; do
    [ -f "$h" ] || continue
    name=$(basename "$h")
    if grep -qE '#include *[<"](wolfssl/|PKIMessage|asn_)' "$h"; then
        echo "FAIL: $name includes a wolfSSL or asn1c header"; fail=1; continue
    fi
    printf '#include "%s"\n#include "%s"\nint main(void) { return 0; }\n' "$name" "$name" > "$tmp/t.c"
    if ! $cc -std=c99 -Wall -Wextra -Werror -I"$top/stack/include" -I"$top/stack/include/cmp" \
        -I"$top/crypto" -c "$tmp/t.c" -o "$tmp/t.o" 2>"$tmp/err"; then
        echo "FAIL: $name does not compile alone"; cat "$tmp/err"; fail=1
    else
        echo "ok: $name"
    fi
done
exit $fail
