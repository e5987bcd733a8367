#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# tests/interop/server_profiles.sh: OpenSSL's CMP client (`openssl cmp`)
# against cmpserver's named profiles and its approval commands.
#
#   ir   under /.well-known/cmp/p/tls: the certificate carries that
#        profile's extendedKeyUsage and validity; under /.well-known/cmp it
#        does not (the default profile)
#   ir   under an unknown label: HTTP 404
#   ir   under /.well-known/cmp/p/manual (-await_approval): openssl cmp
#        polls while `cmpserver -state DIR -pending` lists the transaction,
#        until `cmpserver -state DIR -approve TXID` decides it
#   ir   under the same profile rejected with `-reject TXID -failure 23`
#   -approve of an unknown or decided transaction exits 1
#
# The server runs with -max_skew 300, so every request here also passes
# the messageTime check. Test PKI: tests/data/pki/make_server.sh. Exits 77
# without openssl.
. "$(dirname "$0")/lib.sh"
need openssl "$BIN/cmpserver"
openssl cmp -help >/dev/null 2>&1 || { echo "SKIP: openssl without cmp"; exit 77; }

D="$CMP_TEST_DATA/pki/server"
STATE="$T/state"
cd "$T"
fail() { echo "FAIL: $*" >&2; [ -f srv.log ] && tail -n 20 srv.log >&2; exit 1; }

start_bg SRV_PID "$BIN/cmpserver" -port 0 -state "$STATE" -max_skew 300 \
    -ca_cert "$D/op-ca.crt" -ca_key "$D/op-ca.key" \
    -srv_cert "$D/cmp-server.crt" -srv_key "$D/cmp-server.key" \
    -srv_trusted "$D/vendor-root.crt" -check_after 1 \
    -profile tls -eku serverAuth,clientAuth -days 30 \
    -profile manual -await_approval -eku codeSigning \
    >srv.out 2>>srv.log
port=""
for _ in $(seq 1 100); do
    port=$(sed -n 's/^listening on 127\.0\.0\.1:\([0-9]*\)$/\1/p' srv.out)
    [ -n "$port" ] && break
    kill -0 "$SRV_PID" 2>/dev/null || fail "cmpserver exited"
    sleep 0.1
done
[ -n "$port" ] || fail "cmpserver did not print its port"

# ossl_ir PATH NAME ARGS...: one openssl cmp ir with the vendor certificate.
ossl_ir() {
    local path=$1 name=$2
    shift 2
    openssl cmp -server "127.0.0.1:$port" -path "$path" -keep_alive 0 \
        -msg_timeout 20 -total_timeout 60 -cmd ir \
        -cert "$D/device.crt" -key "$D/device.key" -extracerts "$D/vendor-ca.crt" \
        -trusted "$D/op-root.crt" -subject "/O=Operator/CN=Device 0001" "$@" \
        >"$name.log" 2>&1
}

verify() {
    openssl verify -CAfile "$D/op-root.crt" -untrusted "$D/op-ca.crt" "$1" >/dev/null \
        || fail "openssl verify $1"
}

for k in k1 k2 k3 k4 k5; do
    openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$k.key" 2>/dev/null
done

# --- the profile's certificate ------------------------------------------------
ossl_ir /.well-known/cmp/p/tls tls -newkey k1.key -certout c1.pem || { cat tls.log; fail "ir tls"; }
verify c1.pem
openssl x509 -in c1.pem -noout -text >c1.txt
grep -q 'TLS Web Server Authentication, TLS Web Client Authentication' c1.txt \
    || { cat c1.txt; fail "tls: no serverAuth, clientAuth EKU"; }
days=$(( ($(date -d "$(openssl x509 -in c1.pem -noout -enddate | cut -d= -f2)" +%s) -
          $(date -d "$(openssl x509 -in c1.pem -noout -startdate | cut -d= -f2)" +%s)) / 86400 ))
[ "$days" -eq 30 ] || fail "tls: validity $days days, expected 30"
grep -q 'profile=tls tid=[0-9a-f]* ir -> ip status=accepted' srv.log \
    || fail "tls: the log line does not name the profile"
echo "ok: ir under /p/tls has the profile's EKU and 30 days"

ossl_ir /.well-known/cmp default -newkey k2.key -certout c2.pem || { cat default.log; fail "ir"; }
verify c2.pem
openssl x509 -in c2.pem -noout -text | grep -q 'Extended Key Usage' \
    && fail "default profile: unexpected extendedKeyUsage"
echo "ok: ir under /.well-known/cmp has no EKU"

# --- unknown label ------------------------------------------------------------
ossl_ir /.well-known/cmp/p/nope nope -newkey k2.key -certout c-nope.pem \
    && fail "ir /p/nope succeeded"
grep -q '404' nope.log || { cat nope.log; fail "/p/nope: no HTTP 404"; }
[ -e c-nope.pem ] && fail "/p/nope: a certificate was written"
echo "ok: unknown label answered 404"

# --- approval from the shell while openssl cmp polls --------------------------
# pending_tid: the transactionID of the one waiting transaction, or "".
pending_tid() {
    "$BIN/cmpserver" -state "$STATE" -pending | awk '!/^#/ && $2 == "manual" {print $1; exit}'
}

# wait_pending: until a transaction waits (at most 20 s); prints its ID.
wait_pending() {
    local tid="" i
    for i in $(seq 1 200); do
        tid=$(pending_tid)
        [ -n "$tid" ] && { echo "$tid"; return 0; }
        sleep 0.1
    done
    return 1
}

start_bg OSSL_PID ossl_ir /.well-known/cmp/p/manual approve -newkey k3.key -certout c3.pem
tid=$(wait_pending) || fail "approve: nothing pending"
"$BIN/cmpserver" -state "$STATE" -pending >pending.txt || fail "-pending failed"
grep -q "^$tid  manual  ir  /O=Operator/CN=Device 0001  [0-9]*s$" pending.txt \
    || { cat pending.txt; fail "-pending: unexpected listing"; }
sleep 2
kill -0 "$OSSL_PID" 2>/dev/null || { cat approve.log; fail "openssl cmp ended before approval"; }
[ -e c3.pem ] && fail "a certificate before approval"
"$BIN/cmpserver" -state "$STATE" -approve "$tid" >approve.out || fail "-approve $tid failed"
wait "$OSSL_PID" || { cat approve.log; fail "openssl cmp after approval"; }
verify c3.pem
openssl x509 -in c3.pem -noout -text | grep -q 'Code Signing' || fail "manual: no codeSigning EKU"
grep -q "profile=manual tid=${tid:0:8} pollReq -> pollRep" srv.log || fail "approve: no pollRep"
grep -q "profile=manual tid=${tid:0:8} pollReq -> ip status=accepted" srv.log \
    || fail "approve: no ip after the decision"
[ -z "$(pending_tid)" ] || fail "approve: still pending"
echo "ok: ir waited for -approve while openssl cmp polled"

# deciding again, or an unknown transaction, exits 1 with a message
if "$BIN/cmpserver" -state "$STATE" -approve "$tid" 2>again.err; then
    fail "-approve of a decided transaction succeeded"
fi
grep -q 'does not wait for approval' again.err || { cat again.err; fail "no message"; }
if "$BIN/cmpserver" -state "$STATE" -reject 00112233445566778899aabbccddeeff 2>unknown.err; then
    fail "-reject of an unknown transaction succeeded"
fi
grep -q 'does not wait for approval' unknown.err || { cat unknown.err; fail "no message"; }
echo "ok: -approve/-reject of decided or unknown transactions exit 1"

# --- rejection ------------------------------------------------------------------
start_bg OSSL_PID ossl_ir /.well-known/cmp/p/manual reject -newkey k4.key -certout c4.pem
tid=$(wait_pending) || fail "reject: nothing pending"
"$BIN/cmpserver" -state "$STATE" -reject "$tid" -failure 23 >/dev/null || fail "-reject failed"
wait "$OSSL_PID" && fail "rejected ir succeeded"
grep -q 'rejection' reject.log || { cat reject.log; fail "reject: no rejection"; }
grep -q 'notAuthorized' reject.log || { cat reject.log; fail "reject: no notAuthorized"; }
[ -e c4.pem ] && fail "reject: a certificate was written"
echo "ok: -reject answered rejection with notAuthorized"

kill "$SRV_PID"
wait "$SRV_PID" 2>/dev/null || true
echo "all profile and approval flows passed"
