#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# tests/interop/server_openssl.sh: OpenSSL's CMP client (`openssl cmp`,
# Debian's 3.0) against our cmpserver on a loopback port. Every response
# must be accepted by OpenSSL, and every certificate it gets must pass
# `openssl verify` against the operator root.
#
#   ir   with the device's vendor certificate, whose CA reaches the server
#        only through extraCerts
#   ir   with PBM (-ref/-secret)
#   cr, kur with the operator certificate just issued
#   ir   answered 'waiting' and released after two polls
#   ir   rejected with a configured failInfo (notAuthorized)
#   p10cr, genm, rr, ir with implicit confirmation
#
# Test PKI: tests/data/pki/make_server.sh. Exits 77 without openssl.
. "$(dirname "$0")/lib.sh"
need openssl "$BIN/cmpserver"
openssl cmp -help >/dev/null 2>&1 || { echo "SKIP: openssl without cmp"; exit 77; }

D="$CMP_TEST_DATA/pki/server"
cd "$T"
fail() { echo "FAIL: $*" >&2; [ -f srv.log ] && tail -n 20 srv.log >&2; exit 1; }

# start_server NAME ARGS...: cmpserver on a port of its choosing; sets $port.
start_server() {
    local name=$1
    shift
    rm -f "$name.out"
    start_bg SRV_PID "$BIN/cmpserver" -port 0 -state "$T/state-$name" \
        -ca_cert "$D/op-ca.crt" -ca_key "$D/op-ca.key" \
        -srv_cert "$D/cmp-server.crt" -srv_key "$D/cmp-server.key" \
        -srv_trusted "$D/vendor-root.crt" -rsp_capubs "$D/op-root.crt" \
        -srv_secret pass:interop-secret -srv_ref interop-ref "$@" \
        >"$name.out" 2>>srv.log
    port=""
    for _ in $(seq 1 100); do
        port=$(sed -n 's/^listening on 127\.0\.0\.1:\([0-9]*\)$/\1/p' "$name.out")
        [ -n "$port" ] && return 0
        kill -0 "$SRV_PID" 2>/dev/null || fail "cmpserver $name exited"
        sleep 0.1
    done
    fail "cmpserver $name did not print its port"
}

stop_server() {
    kill "$SRV_PID" 2>/dev/null || true
    wait "$SRV_PID" 2>/dev/null || true
}

# ossl NAME ARGS...: one openssl cmp run against $port, output in NAME.log.
ossl() {
    local name=$1
    shift
    if ! openssl cmp -server "127.0.0.1:$port" -path /.well-known/cmp \
        -msg_timeout 20 -total_timeout 60 "$@" >"$name.log" 2>&1; then
        cat "$name.log" >&2
        fail "openssl cmp $name"
    fi
    echo "ok: $name"
}

verify() {
    openssl verify -CAfile "$D/op-root.crt" -untrusted "$D/op-ca.crt" "$1" >/dev/null \
        || fail "openssl verify $1"
}

newkey() {
    openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null
}

for k in k1 k2 k3 k4 k5 k6 k7; do newkey "$k.key"; done
SUBJ="/O=Operator/CN=Device 0001"
TRUST=(-trusted "$D/op-root.crt")

# --- one server for the plain flows -------------------------------------------
start_server main

# ir: signed with the vendor (supplier) certificate, vendor CA in extraCerts
ossl ir-vendor -cmd ir -cert "$D/device.crt" -key "$D/device.key" \
    -extracerts "$D/vendor-ca.crt" "${TRUST[@]}" \
    -newkey k1.key -subject "$SUBJ" -certout c1.pem -cacertsout capubs.pem
verify c1.pem
grep -q 'BEGIN CERTIFICATE' capubs.pem || fail "ir: no caPubs"

# ir with PBM
ossl ir-pbm -cmd ir -ref interop-ref -secret pass:interop-secret \
    -newkey k2.key -subject "/O=Operator/CN=Device 0002" -certout c2.pem
verify c2.pem

# cr with the certificate from the first ir
ossl cr -cmd cr -cert c1.pem -key k1.key "${TRUST[@]}" \
    -newkey k3.key -subject "$SUBJ" -certout c3.pem
verify c3.pem

# kur of that certificate
ossl kur -cmd kur -cert c3.pem -key k3.key "${TRUST[@]}" -newkey k4.key -certout c4.pem
verify c4.pem
[ "$(openssl x509 -in c4.pem -noout -pubkey)" = "$(openssl pkey -in k4.key -pubout)" ] \
    || fail "kur: new certificate does not carry the new key"

# p10cr
openssl req -new -key k5.key -subj "/O=Operator/CN=Device 0005" -out c5.csr 2>/dev/null
ossl p10cr -cmd p10cr -csr c5.csr -cert c1.pem -key k1.key "${TRUST[@]}" -certout c5.pem
verify c5.pem

# genm
ossl genm -cmd genm -cert c1.pem -key k1.key "${TRUST[@]}" -infotype signKeyPairTypes
grep -qi 'signKeyPairTypes' genm.log || fail "genm: no signKeyPairTypes in the answer"

# rr of the kur'ed certificate, by its holder
ossl rr -cmd rr -cert c4.pem -key k4.key "${TRUST[@]}" -oldcert c4.pem -revreason 1
# ... a second time is refused (certRevoked)
if openssl cmp -server "127.0.0.1:$port" -path /.well-known/cmp -cmd rr -cert c4.pem \
    -key k4.key "${TRUST[@]}" -oldcert c4.pem >rr2.log 2>&1; then
    fail "rr of a revoked certificate succeeded"
fi
grep -q 'certRevoked' rr2.log || { cat rr2.log; fail "rr2: no certRevoked"; }
echo "ok: rr twice refused with certRevoked"
stop_server

# --- polling: two pollReps, then the certificate ------------------------------
start_server poll -poll_count 2 -check_after 1
ossl ir-poll -cmd ir -cert "$D/device.crt" -key "$D/device.key" \
    -extracerts "$D/vendor-ca.crt" "${TRUST[@]}" -newkey k6.key -subject "$SUBJ" \
    -certout c6.pem
verify c6.pem
n=$(grep -c 'pollReq -> pollRep' srv.log || true)
[ "$n" -ge 2 ] || fail "expected two pollReps, saw $n"
stop_server

# --- rejection with failInfo ---------------------------------------------------
start_server reject -pkistatus 2 -failure 23 -statusstring "not in the inventory"
if openssl cmp -server "127.0.0.1:$port" -path /.well-known/cmp -cmd ir \
    -cert "$D/device.crt" -key "$D/device.key" -extracerts "$D/vendor-ca.crt" \
    "${TRUST[@]}" -newkey k7.key -subject "$SUBJ" -certout c7.pem >reject.log 2>&1; then
    fail "rejected ir succeeded"
fi
grep -q 'notAuthorized' reject.log || { cat reject.log; fail "reject: no notAuthorized"; }
grep -q 'rejection' reject.log || { cat reject.log; fail "reject: no rejection status"; }
echo "ok: rejection with notAuthorized"
stop_server

# --- implicit confirmation ----------------------------------------------------
start_server implicit -grant_implicitconf
ossl ir-implicit -cmd ir -cert "$D/device.crt" -key "$D/device.key" \
    -extracerts "$D/vendor-ca.crt" "${TRUST[@]}" -newkey k7.key -subject "$SUBJ" \
    -implicit_confirm -certout c7.pem
verify c7.pem
tail -n 3 srv.log | grep -q 'ir -> ip' || fail "implicit: no ip in the log"
tail -n 3 srv.log | grep -q 'certConf' && fail "implicit: certConf after granted implicitConfirm"
stop_server
echo "all openssl cmp client flows passed"
