#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# tests/interop/server_restart.sh: cmpserver keeps its state across a
# SIGKILL.
#
# The client talks to the server through holdproxy.py, which holds one
# request until told to go. While it is held, the server is killed with
# SIGKILL, restarted on the same port with the same -state, and the request
# released; the transaction must complete, and the state must record the
# certificate as confirmed.
#
# 1. between ir and the first pollReq: the ir is answered 'waiting', the
#    first pollReq is held; after the restart the polls go on, the ip and
#    the pkiConf arrive;
# 2. between ip and certConf: the certConf is held; the state holds the
#    certificate as issued, not confirmed, while the server is down; the
#    restarted server logs `certConf -> pkiconf`.
#
# The first with `openssl cmp -keep_alive 0`, the second with it and with
# our cmpclient.
#
# (The unit test check_server covers a restart between every message of a
# transaction deterministically, in-process.)
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
need openssl python3 "$BIN/cmpserver" "$BIN/cmpclient"
openssl cmp -help >/dev/null 2>&1 || { echo "SKIP: openssl without cmp"; exit 77; }

D="$CMP_TEST_DATA/pki/server"
cd "$T"
fail() { echo "FAIL: $*" >&2; tail -n 30 srv.log >&2; exit 1; }

# start_server PORT ARGS...: cmpserver on PORT (0: its choice) with the
# state directory $STATE; sets SRV_PID and port.
STATE="$T/state"
start_server() {
    local p=$1
    shift
    start_cmpserver srv -port "$p" -state "$STATE" \
        -ca_cert "$D/op-ca.crt" -ca_key "$D/op-ca.key" \
        -srv_cert "$D/cmp-server.crt" -srv_key "$D/cmp-server.key" \
        -srv_trusted "$D/vendor-root.crt" "$@"
}

# restart_server PORT ARGS...: start_server on PORT again, retried while the port
# is not yet free.
restart_server() {
    local i
    for i in $(seq 1 20); do
        start_server "$@" && return 0
        sleep 0.2
    done
    fail "restart on port $1"
}

# db_count WHERE: rows of the cert table of $STATE matching WHERE, and
# those of them that are confirmed (the server must not be running).
db_count() {
    python3 - "$STATE/cmpserver.db" "$1" <<'PY'
import sqlite3, sys
db = sqlite3.connect("file:%s?mode=rw" % sys.argv[1], uri=True)
q = "SELECT count(*), count(CASE WHEN status = 1 THEN 1 END) FROM cert WHERE "
print("%d %d" % db.execute(q + sys.argv[2]).fetchone())
PY
}

# held_kill NAME CLIENTFN HOLD REQUESTS BEFORE UNCONFIRMED AFTER SERVERARGS...:
# one ir run by CLIENTFN (which talks to 127.0.0.1:$PP and writes
# $NAME.pem) through holdproxy.py, which holds request HOLD of REQUESTS.
# While it is held, the server must have logged exactly one line, matching
# BEFORE, and its state must hold UNCONFIRMED unconfirmed certificates
# after the SIGKILL; after the restart its log must match AFTER and
# `certConf -> pkiconf`.
held_kill() {
    local name=$1 clientfn=$2 hold=$3 nreq=$4 before=$5 unconf=$6 after=$7 i mark rc
    shift 7
    STATE="$T/state-$name"
    start_server 0 "$@" || fail "$name: start"
    local P=$port
    rm -f held go proxy.out
    start_bg PROXY_PID python3 "$HERE/holdproxy.py" --target "$P" --hold "$hold" \
        --requests "$nreq" --marker "$T/held" --go "$T/go" --timeout 40 >proxy.out 2>proxy.err
    PP=""
    for i in $(seq 1 100); do
        PP=$(sed -n 's/^listening on 127\.0\.0\.1:\([0-9]*\)$/\1/p' proxy.out)
        [ -n "$PP" ] && break
        sleep 0.1
    done
    [ -n "$PP" ] || fail "$name: holdproxy did not start"
    mark=$(wc -l <srv.log)
    "$clientfn" "$name" >"$name.log" 2>&1 &
    CLIENT=$!
    _pids="$_pids $CLIENT"
    for i in $(seq 1 200); do
        [ -e held ] && break
        kill -0 "$CLIENT" 2>/dev/null || { cat "$name.log"; fail "$name: client ended early"; }
        sleep 0.1
    done
    [ -e held ] || fail "$name: request $hold never reached the proxy"
    [ "$(tail -n +$((mark + 1)) srv.log | wc -l)" = 1 ] \
        && tail -n +$((mark + 1)) srv.log | grep -q "$before" \
        || fail "$name: the server should have logged only '$before'"
    kill -KILL "$SRV_PID"
    wait "$SRV_PID" 2>/dev/null || true
    [ "$(db_count 1)" = "$unconf 0" ] \
        || fail "$name: after the SIGKILL the state should hold $unconf unconfirmed certificate(s)"
    echo "killed the server while request $hold was held ($name)"
    restart_server "$P" "$@"
    mark=$(wc -l <srv.log)
    touch go
    rc=0
    wait "$CLIENT" || rc=$?
    [ "$rc" = 0 ] || { cat "$name.log"; fail "$name: client failed after the restart ($rc)"; }
    rc=0
    wait "$PROXY_PID" || rc=$?
    [ "$rc" = 0 ] || { cat proxy.err; fail "$name: holdproxy exited $rc"; }
    openssl verify -CAfile "$D/op-root.crt" -untrusted "$D/op-ca.crt" "$name.pem" >/dev/null \
        || fail "$name: verify $name.pem"
    tail -n +$((mark + 1)) srv.log | grep -q "$after" || fail "$name: no '$after' after the restart"
    [ "$(tail -n +$((mark + 1)) srv.log | grep -c 'certConf -> pkiconf')" = 1 ] \
        || fail "$name: no 'certConf -> pkiconf' after the restart"
    stop_pid "$SRV_PID"
    openssl x509 -in "$name.pem" -outform DER -out "$name.der"
    [ "$(db_count "der = x'$(od -An -v -tx1 "$name.der" | tr -d ' \n')'")" = "1 1" ] \
        || fail "$name: the state does not record the certificate as confirmed"
}

ossl_ir() {
    openssl cmp -server "127.0.0.1:$PP" -path /.well-known/cmp -keep_alive 0 -cmd ir \
        -cert "$D/device.crt" -key "$D/device.key" -extracerts "$D/vendor-ca.crt" \
        -trusted "$D/op-root.crt" -newkey k1.key -subject "/O=Operator/CN=Device 0002" \
        -msg_timeout 20 -total_timeout 40 -certout "$1.pem"
}

our_ir() {
    "$BIN/cmpclient" -server "127.0.0.1:$PP" -path /.well-known/cmp -cmd ir \
        -cert "$D/device.crt" -key "$D/device.key" -untrusted "$D/vendor-ca.crt" \
        -trusted "$D/op-root.crt" -newkey k1.key -subject "/O=Operator/CN=Device 0003" \
        -msg_timeout 20 -total_timeout 40 -verbosity 6 -certout "$1.pem"
}

openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out k1.key 2>/dev/null

# 1. ir, 'waiting'; the first pollReq held, answered with pollRep; pollReq,
#    ip; certConf, pkiConf. (openssl cmp only: each case costs seconds.)
held_kill poll-openssl ossl_ir 2 4 'ir -> ip status=waiting' 0 \
    'pollReq -> ip status=accepted' -poll_count 1 -check_after 1
echo "ok: SIGKILL between ir and the first pollReq (openssl)"

# 2. ir, ip; the certConf held.
for c in openssl:ossl_ir cmpclient:our_ir; do
    held_kill "conf-${c%%:*}" "${c#*:}" 2 2 'ir -> ip status=accepted' 1 'certConf -> pkiconf'
    echo "ok: SIGKILL between ip and certConf (${c%%:*})"
done
echo "all restart cases passed"
