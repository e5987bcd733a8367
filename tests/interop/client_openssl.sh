#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# tests/interop/client_openssl.sh: cmpclient against OpenSSL's CMP mock server
# (`openssl cmp -port N ...`), one server per case on a free loopback port,
# each stopped by its PID. Test PKI: tests/data/pki/client (make.sh).
#
# OpenSSL's mock server returns the fixed certificate -rsp_cert, so the
# client requests exactly the key of that certificate (-newkey device.key
# for device.crt, device2.key for device2.crt); the client's check that the
# issued certificate carries the requested key stays on.
#
# -keep_alive 0: OpenSSL 3.0's mock server answers "keep-alive" but closes
# the connection after each response, and cancels the transaction when the
# next request does not arrive on a fresh connection at once.
set -u
. "$(dirname "$0")/lib.sh"
need openssl "$BIN/cmpclient"

P="$CMP_TEST_DATA/pki/client"
cd "$T"
# The server trusts both roots (openssl takes one -srv_trusted, a file of many).
cat "$P/vendor-root.crt" "$P/op-root.crt" > srv-trusted.pem
fails=0
n=0

# srv ARGS...: start a mock server with the common options and ARGS.
srv() {
    port=$(free_port)
    start_bg SRV timeout 120 openssl cmp -port "$port" -srv_cert "$P/server.crt" \
        -srv_key "$P/server.key" -srv_trusted srv-trusted.pem -srv_untrusted "$P/op-ca.crt" \
        -rsp_extracerts "$P/op-ca.crt" -verbosity 7 "$@" >srv.log 2>&1
    wait_port "$port" 10
}

srv_stop() {
    kill "$SRV" 2>/dev/null
    wait "$SRV" 2>/dev/null
}

client() {
    "$BIN/cmpclient" -server "127.0.0.1:$port" -path pkix/ -keep_alive 0 -verbosity 6 "$@" \
        >out.log 2>err.log
}

ok() { n=$((n + 1)); echo "ok $n - $1"; }
bad() {
    n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $1"
    sed 's/^/#   client: /' err.log out.log | tail -n 15
    sed 's/^/#   server: /' srv.log | tail -n 15
}

# check_cert FILE KEY: FILE holds a certificate for KEY that chains to op-root.
check_cert() {
    [ -s "$1" ] || return 1
    [ "$(openssl x509 -in "$1" -noout -pubkey)" = "$(openssl pkey -in "$2" -pubout)" ] || return 1
    openssl verify -CAfile "$P/op-root.crt" -untrusted "$P/op-ca.crt" "$1" >/dev/null
}

# The server logged no error.
srv_clean() { ! grep -q "CMP error" srv.log; }

# 1. ir protected with the supplier certificate; the server knows the vendor
#    root only, the vendor CA comes in extraCerts.
srv -rsp_cert "$P/device.crt"
if client -cmd ir -cert "$P/supplier.crt" -key "$P/supplier.key" -untrusted "$P/vendor-ca.crt" \
    -trusted "$P/op-root.crt" -newkey "$P/device.key" -subject "/O=Operator/CN=Device 0001" \
    -certout ir.crt -chainout ir-chain.pem -extracertsout ir-extra.pem \
    && check_cert ir.crt "$P/device.key" && srv_clean \
    && grep -q "received CERTCONF" srv.log && grep -q "sending PKICONF" srv.log; then
    ok "ir with the vendor certificate"
else bad "ir with the vendor certificate"; fi
srv_stop

# 2. ir with PBM (the server answers with PBM too).
srv -rsp_cert "$P/device.crt" -srv_secret pass:geheim
if client -cmd ir -secret pass:geheim -ref device-0001 -trusted "$P/op-root.crt" \
    -newkey "$P/device.key" -subject "/O=Operator/CN=Device 0001" -certout pbm.crt \
    && check_cert pbm.crt "$P/device.key" && srv_clean; then
    ok "ir with PBM"
else bad "ir with PBM"; fi
srv_stop

# 3. PBM with a wrong secret: the server refuses, nothing is written.
srv -rsp_cert "$P/device.crt" -srv_secret pass:geheim
if ! client -cmd ir -secret pass:falsch -ref device-0001 -trusted "$P/op-root.crt" \
    -newkey "$P/device.key" -subject "/O=Operator/CN=Device 0001" -certout wrong.crt \
    && [ ! -e wrong.crt ]; then
    ok "ir with a wrong PBM secret fails"
else bad "ir with a wrong PBM secret fails"; fi
srv_stop

# 4. cr protected with the operator certificate.
srv -rsp_cert "$P/device.crt"
if client -cmd cr -cert "$P/device.crt" -key "$P/device.key" -untrusted "$P/op-ca.crt" \
    -trusted "$P/op-root.crt" -certout cr.crt && check_cert cr.crt "$P/device.key" && srv_clean; then
    ok "cr"
else bad "cr"; fi
srv_stop

# 5. kur: new key device2.key, protected with the current certificate. The
#    mock server insists that oldCertID names its -rsp_cert, hence -oldcert.
srv -rsp_cert "$P/device2.crt"
if client -cmd kur -cert "$P/device.crt" -key "$P/device.key" -untrusted "$P/op-ca.crt" \
    -trusted "$P/op-root.crt" -oldcert "$P/device2.crt" -newkey "$P/device2.key" -certout kur.crt \
    && check_cert kur.crt "$P/device2.key" && srv_clean && grep -q "received KUR" srv.log; then
    ok "kur"
else bad "kur"; fi
srv_stop

# 6. ir with polling: the server makes the client poll twice.
srv -rsp_cert "$P/device.crt" -poll_count 2 -check_after 1
if client -cmd ir -cert "$P/supplier.crt" -key "$P/supplier.key" -untrusted "$P/vendor-ca.crt" \
    -trusted "$P/op-root.crt" -newkey "$P/device.key" -subject "/O=Operator/CN=Device 0001" \
    -total_timeout 30 -certout poll.crt \
    && check_cert poll.crt "$P/device.key" && srv_clean \
    && [ "$(grep -c 'received POLLREQ' srv.log)" -ge 2 ] && grep -q "polling: attempt" err.log; then
    ok "ir with two polls"
else bad "ir with two polls"; fi
srv_stop

# 7. polling that cannot finish within -total_timeout stops early.
srv -rsp_cert "$P/device.crt" -poll_count 5 -check_after 3
if ! client -cmd ir -cert "$P/supplier.crt" -key "$P/supplier.key" -untrusted "$P/vendor-ca.crt" \
    -trusted "$P/op-root.crt" -newkey "$P/device.key" -subject "/O=Operator/CN=Device 0001" \
    -total_timeout 5 -certout late.crt \
    && grep -q "CMP_ERR_POLL_DEADLINE" err.log && [ ! -e late.crt ]; then
    ok "polling past -total_timeout stops early"
else bad "polling past -total_timeout stops early"; fi
srv_stop

# 8. rejection: status and failInfo as RFC 4210 spells them.
srv -rsp_cert "$P/device.crt" -pkistatus 2 -failure 19 -statusstring "no such template"
if ! client -cmd ir -cert "$P/supplier.crt" -key "$P/supplier.key" -untrusted "$P/vendor-ca.crt" \
    -trusted "$P/op-root.crt" -newkey "$P/device.key" -subject "/O=Operator/CN=Device 0001" \
    -certout rej.crt \
    && grep -q "rejection" err.log && grep -q "badCertTemplate" err.log \
    && grep -q "no such template" err.log && [ ! -e rej.crt ]; then
    ok "rejection is reported"
else bad "rejection is reported"; fi
srv_stop

# 9. p10cr with a CSR.
srv -rsp_cert "$P/device.crt"
if client -cmd p10cr -cert "$P/device.crt" -key "$P/device.key" -untrusted "$P/op-ca.crt" \
    -trusted "$P/op-root.crt" -csr "$P/device.csr" -certout p10.crt \
    && check_cert p10.crt "$P/device.key" && srv_clean; then
    ok "p10cr"
else bad "p10cr"; fi
srv_stop

# 10. genm.
srv -rsp_cert "$P/device.crt"
if client -cmd genm -infotype signKeyPairTypes -cert "$P/device.crt" -key "$P/device.key" \
    -untrusted "$P/op-ca.crt" -trusted "$P/op-root.crt" \
    && grep -q "genp:" out.log && srv_clean && grep -q "received GENM" srv.log; then
    ok "genm"
else bad "genm"; fi
srv_stop

# 11. rr of the certificate the mock server knows.
srv -rsp_cert "$P/device.crt"
if client -cmd rr -cert "$P/device.crt" -key "$P/device.key" -untrusted "$P/op-ca.crt" \
    -trusted "$P/op-root.crt" -oldcert "$P/device.crt" -revreason 1 \
    && srv_clean && grep -q "received RR" srv.log; then
    ok "rr"
else bad "rr"; fi
srv_stop

# 12. implicit confirmation granted: no certConf.
srv -rsp_cert "$P/device.crt" -grant_implicitconf
if client -cmd ir -cert "$P/supplier.crt" -key "$P/supplier.key" -untrusted "$P/vendor-ca.crt" \
    -trusted "$P/op-root.crt" -newkey "$P/device.key" -subject "/O=Operator/CN=Device 0001" \
    -implicit_confirm -certout ic.crt \
    && check_cert ic.crt "$P/device.key" && grep -q "implicit confirmation granted" err.log \
    && ! grep -q "received CERTCONF" srv.log; then
    ok "implicit confirmation granted"
else bad "implicit confirmation granted"; fi
srv_stop

# 13. the server's error message.
srv -rsp_cert "$P/device.crt" -send_error
if ! client -cmd ir -cert "$P/supplier.crt" -key "$P/supplier.key" -untrusted "$P/vendor-ca.crt" \
    -trusted "$P/op-root.crt" -newkey "$P/device.key" -subject "/O=Operator/CN=Device 0001" \
    -certout err.crt \
    && grep -q "CMP_ERR_ERROR_MSG" err.log && grep -q "PKIStatus: rejection" err.log \
    && [ ! -e err.crt ]; then
    ok "error message is reported"
else bad "error message is reported"; fi
srv_stop

# 14./15. an unprotected error: refused, unless -unprotected_errors.
srv -rsp_cert "$P/device.crt" -send_error -send_unprot_err
if ! client -cmd ir -cert "$P/supplier.crt" -key "$P/supplier.key" -untrusted "$P/vendor-ca.crt" \
    -trusted "$P/op-root.crt" -newkey "$P/device.key" -subject "/O=Operator/CN=Device 0001" \
    && grep -q "CMP_ERR_PROTECTION_MISSING" err.log; then
    ok "unprotected error refused by default"
else bad "unprotected error refused by default"; fi
if ! client -cmd ir -cert "$P/supplier.crt" -key "$P/supplier.key" -untrusted "$P/vendor-ca.crt" \
    -trusted "$P/op-root.crt" -newkey "$P/device.key" -subject "/O=Operator/CN=Device 0001" \
    -unprotected_errors \
    && grep -q "CMP_ERR_ERROR_MSG" err.log && grep -q "PKIStatus: rejection" err.log; then
    ok "unprotected error accepted with -unprotected_errors"
else bad "unprotected error accepted with -unprotected_errors"; fi
srv_stop

# 16. a failed kur leaves the old key and certificate byte-identical.
cp "$P/device.crt" cur.crt
cp "$P/device.key" cur.key
srv -rsp_cert "$P/device2.crt" -send_error
if ! client -cmd kur -cert cur.crt -key cur.key -untrusted "$P/op-ca.crt" \
    -trusted "$P/op-root.crt" -newkeytype ec:P-256 -newkeyout cur.key -certout cur.crt \
    && cmp -s cur.crt "$P/device.crt" && cmp -s cur.key "$P/device.key" \
    && [ "$(ls | grep -c tmp)" = 0 ]; then
    ok "failed kur keeps the old credentials"
else bad "failed kur keeps the old credentials"; fi
srv_stop

# 17. the same kur succeeding replaces the certificate.
srv -rsp_cert "$P/device2.crt"
if client -cmd kur -cert cur.crt -key cur.key -untrusted "$P/op-ca.crt" \
    -trusted "$P/op-root.crt" -oldcert "$P/device2.crt" -newkey "$P/device2.key" -certout cur.crt \
    && check_cert cur.crt "$P/device2.key"; then
    ok "kur replaces the certificate"
else bad "kur replaces the certificate"; fi
srv_stop

echo "1..$n"
[ "$fails" -eq 0 ]
