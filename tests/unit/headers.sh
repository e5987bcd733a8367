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
# All public headers together, in both orders: no name is declared twice
# with different meanings (for example a macro in one and an enumerator in
# another).
hs=$(cd "$top/stack/include" && ls cmp/*.h; echo cmp_crypto.h)
rev=$(printf '%s\n' $hs | sort -r)
for order in "$hs" "$rev"; do
    : >"$tmp/all.c"
    for h in $order; do printf '#include "%s"\n' "$h" >>"$tmp/all.c"; done
    printf 'int main(void) { return 0; }\n' >>"$tmp/all.c"
    if ! $cc -std=c99 -Wall -Wextra -Werror -I"$top/stack/include" -I"$top/crypto" \
        -c "$tmp/all.c" -o "$tmp/all.o" 2>"$tmp/err"; then
        echo "FAIL: the public headers do not compile together ($(echo $order | head -c 60)...)"
        cat "$tmp/err"; fail=1
    else
        echo "ok: all public headers together"
    fi
done
exit $fail
