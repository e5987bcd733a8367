#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# tests/interop/client_server.sh: our cmpclient against our cmpserver on a
# loopback port, the flows server_openssl.sh runs with OpenSSL's client.
# Every certificate issued must pass `openssl verify` against the operator
# root and carry the key it was requested for.
#
#   ir   with the device's vendor (supplier) certificate, whose CA reaches
#        the server only through extraCerts (without it the ir fails)
#   ir   with PBM (-ref/-secret); a wrong secret fails
#   cr, kur with the operator certificates just issued
#   ir   answered 'waiting' and released after two polls
#   ir   rejected with a configured failInfo (notAuthorized): exit status
#        and message
#   p10cr from a CSR made with openssl req
#   genm caCerts
#   rr, and a second rr refused with certRevoked
#   ir   with implicit confirmation granted: no certConf in the server log
#
# Test PKI: tests/data/pki/make_server.sh. Exits 77 without openssl.
set -eu
. "$(dirname "$0")/lib.sh"
need openssl "$BIN/cmpserver" "$BIN/cmpclient"

D="$CMP_TEST_DATA/pki/server"
cd "$T"
fail() {
    echo "FAIL: $*" >&2
    for f in client.err client.out srv.log; do
        [ -f "$f" ] && sed "s/^/#   $f: /" "$f" | tail -n 15 >&2
    done
    exit 1
}

# srv NAME ARGS...: cmpserver issuing from the operator CA, trusting the
# vendor root for signed requests and one PBM secret; sets SRV_PID, port.
srv() {
    local name=$1
    shift
    start_cmpserver "$name" -port 0 -state "$T/state-$name" \
        -ca_cert "$D/op-ca.crt" -ca_key "$D/op-ca.key" \
        -srv_cert "$D/cmp-server.crt" -srv_key "$D/cmp-server.key" \
        -rsp_extracerts "$D/op-ca.crt" -srv_trusted "$D/vendor-root.crt" \
        -rsp_capubs "$D/op-root.crt" -srv_secret pass:interop-secret \
        -srv_ref interop-ref "$@" || fail "cmpserver $name did not start"
}

# client ARGS...: one cmpclient run against $port; returns its exit status.
client() {
    "$BIN/cmpclient" -server "127.0.0.1:$port" -path /.well-known/cmp \
        -msg_timeout 20 -total_timeout 40 -verbosity 6 "$@" >client.out 2>client.err
}

# check_cert FILE KEY: FILE is a certificate for KEY that chains to op-root.
check_cert() {
    [ -s "$1" ] || fail "$1: no certificate"
    [ "$(openssl x509 -in "$1" -noout -pubkey)" = "$(openssl pkey -in "$2" -pubout)" ] \
        || fail "$1 does not carry the key of $2"
    openssl verify -CAfile "$D/op-root.crt" -untrusted "$D/op-ca.crt" "$1" >/dev/null \
        || fail "openssl verify $1"
}

# log_count PATTERN: lines of srv.log written since mark_log that match.
mark_log() { _mark=$(wc -l <srv.log); }
log_count() { tail -n +$((_mark + 1)) srv.log | grep -c "$1" || true; }

ok() { echo "ok: $*"; }

for k in k1 k2 k3 k4 k5 k6 k7; do
    openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$k.key" 2>/dev/null
done
SUBJ="/O=Operator/CN=Device 0001"
TRUST=(-trusted "$D/op-root.crt")
VENDOR=(-cert "$D/device.crt" -key "$D/device.key" -untrusted "$D/vendor-ca.crt")
: >srv.log

# --- one server for the plain flows ------------------------------------------
srv main

# ir with the vendor certificate: the server knows only the vendor root, so
# the vendor CA must come in extraCerts. Without it the ir is refused.
mark_log
if client -cmd ir -cert "$D/device.crt" -key "$D/device.key" "${TRUST[@]}" \
    -newkey k1.key -subject "$SUBJ" -certout c0.pem; then
    fail "ir without the vendor CA in extraCerts succeeded"
fi
[ ! -e c0.pem ] || fail "refused ir wrote a certificate"
[ "$(log_count 'ir -> error .*signerNotTrusted')" = 1 ] \
    || fail "ir without the vendor CA: no signerNotTrusted"
ok "ir without the vendor CA is refused"

mark_log
client -cmd ir "${VENDOR[@]}" "${TRUST[@]}" -newkey k1.key -subject "$SUBJ" \
    -certout c1.pem -chainout chain1.pem -cacertsout capubs.pem \
    || fail "ir with the vendor certificate"
check_cert c1.pem k1.key
[ "$(openssl x509 -in c1.pem -noout -subject -nameopt compat)" = "subject=$SUBJ" ] \
    || fail "ir: wrong subject $(openssl x509 -in c1.pem -noout -subject)"
cmp -s <(openssl x509 -in capubs.pem) <(openssl x509 -in "$D/op-root.crt") \
    || fail "ir: caPubs is not op-root"
[ "$(log_count 'ir -> ip')" = 1 ] && [ "$(log_count 'certConf -> pkiconf')" = 1 ] \
    || fail "ir: server log lacks ir -> ip / certConf -> pkiconf"
ok "ir with the vendor certificate"

# ir with PBM; a wrong secret is refused.
client -cmd ir -ref interop-ref -secret pass:interop-secret \
    -newkey k2.key -subject "/O=Operator/CN=Device 0002" -certout c2.pem || fail "ir with PBM"
check_cert c2.pem k2.key
ok "ir with PBM"
mark_log
if client -cmd ir -ref interop-ref -secret pass:wrong-secret -unprotected_errors \
    -newkey k2.key -subject "/O=Operator/CN=Device 0002" -certout c2x.pem; then
    fail "ir with a wrong PBM secret succeeded"
fi
[ ! -e c2x.pem ] || fail "refused PBM ir wrote a certificate"
[ "$(log_count 'ir -> error .*badMessageCheck')" = 1 ] \
    || fail "wrong PBM secret: no badMessageCheck"
ok "ir with a wrong PBM secret is refused"

# cr with the operator certificate from the first ir.
client -cmd cr -cert c1.pem -key k1.key -untrusted "$D/op-ca.crt" "${TRUST[@]}" \
    -newkey k3.key -subject "$SUBJ" -certout c3.pem || fail "cr"
check_cert c3.pem k3.key
ok "cr"

# kur of that certificate: the new one carries the new key, same subject.
mark_log
client -cmd kur -cert c3.pem -key k3.key -untrusted "$D/op-ca.crt" "${TRUST[@]}" \
    -newkey k4.key -certout c4.pem || fail "kur"
check_cert c4.pem k4.key
[ "$(openssl x509 -in c4.pem -noout -subject)" = "$(openssl x509 -in c3.pem -noout -subject)" ] \
    || fail "kur: subject changed"
[ "$(log_count 'kur -> kup')" = 1 ] || fail "kur: no 'kur -> kup' in the server log"
ok "kur"

# p10cr from a CSR made with openssl req.
openssl req -new -key k5.key -subj "/O=Operator/CN=Device 0005" -out c5.csr 2>/dev/null
client -cmd p10cr -csr c5.csr -cert c1.pem -key k1.key -untrusted "$D/op-ca.crt" "${TRUST[@]}" \
    -certout c5.pem || fail "p10cr"
check_cert c5.pem k5.key
openssl x509 -in c5.pem -noout -subject | grep -q 'Device 0005' \
    || fail "p10cr: subject not from the CSR"
ok "p10cr"

# genm caCerts: the answer holds the operator root.
rm -f cacerts.pem
client -cmd genm -infotype caCerts -cert c1.pem -key k1.key -untrusted "$D/op-ca.crt" \
    "${TRUST[@]}" -cacertsout cacerts.pem || fail "genm caCerts"
grep -q 'BEGIN CERTIFICATE' cacerts.pem || fail "genm: no caCerts written"
openssl crl2pkcs7 -nocrl -certfile cacerts.pem | openssl pkcs7 -print_certs -noout \
    | grep -q 'CN *= *Operator Root CA' || fail "genm: caCerts lacks the operator root"
ok "genm caCerts"

# rr of the kur'ed certificate by its holder; a second rr is refused.
client -cmd rr -cert c4.pem -key k4.key -untrusted "$D/op-ca.crt" "${TRUST[@]}" \
    -oldcert c4.pem -revreason 1 || fail "rr"
ok "rr"
if client -cmd rr -cert c4.pem -key k4.key -untrusted "$D/op-ca.crt" "${TRUST[@]}" \
    -oldcert c4.pem -revreason 1; then
    fail "rr of a revoked certificate succeeded"
fi
grep -q 'certRevoked' client.err client.out || fail "second rr: no certRevoked"
ok "second rr refused with certRevoked"
stop_pid "$SRV_PID"

# --- polling: two pollReps, then the certificate ------------------------------
srv poll -poll_count 2 -check_after 1
mark_log
client -cmd ir "${VENDOR[@]}" "${TRUST[@]}" -newkey k6.key -subject "$SUBJ" \
    -certout c6.pem || fail "ir with polling"
check_cert c6.pem k6.key
n=$(log_count 'pollReq -> pollRep')
[ "$n" = 2 ] || fail "expected two pollReps, the server log has $n"
[ "$(log_count 'pollReq -> ip')" = 1 ] || fail "no ip answering the third pollReq"
[ "$(log_count 'certConf -> pkiconf')" = 1 ] || fail "polling: no certConf -> pkiconf"
ok "ir with two polls"
stop_pid "$SRV_PID"

# --- rejection with failInfo -------------------------------------------------
srv reject -pkistatus 2 -failure 23 -statusstring "not in the inventory"
rc=0
client -cmd ir "${VENDOR[@]}" "${TRUST[@]}" -newkey k7.key -subject "$SUBJ" \
    -certout c7.pem || rc=$?
[ "$rc" != 0 ] || fail "rejected ir exited 0"
grep -q 'notAuthorized' client.err || fail "reject: the message does not name notAuthorized"
grep -q 'rejection' client.err || fail "reject: the message does not name the rejection"
grep -q 'not in the inventory' client.err || fail "reject: no statusString"
[ ! -e c7.pem ] || fail "rejected ir wrote a certificate"
ok "rejection with notAuthorized (exit status $rc)"
stop_pid "$SRV_PID"

# --- implicit confirmation ----------------------------------------------------
srv implicit -grant_implicitconf
mark_log
client -cmd ir "${VENDOR[@]}" "${TRUST[@]}" -newkey k7.key -subject "$SUBJ" \
    -implicit_confirm -certout c7.pem || fail "ir with implicit confirmation"
check_cert c7.pem k7.key
grep -q 'implicit confirmation granted' client.err || fail "implicit: client did not see the grant"
[ "$(log_count 'ir -> ip')" = 1 ] || fail "implicit: no ir -> ip in the server log"
[ "$(log_count 'certConf')" = 0 ] || fail "implicit: certConf after granted implicitConfirm"
ok "ir with implicit confirmation, no certConf"
stop_pid "$SRV_PID"

echo "all cmpclient flows against cmpserver passed"
