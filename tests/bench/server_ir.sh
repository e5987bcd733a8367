#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# tests/bench/server_ir.sh BUILDDIR [SECONDS] [CLIENTS]: IR transactions per
# second (ir/ip/certConf/pkiConf, signature-protected with the device's
# vendor certificate) that cmpserver sustains with CLIENTS (default 8)
# parallel loops of `openssl cmp` on loopback, and the same load against
# OpenSSL's own mock server (`openssl cmp -port`). Not a test: it prints
# the two rates and their ratio. Both servers sign with the same EC P-256
# key; cmpserver also issues a fresh certificate per request and commits
# its state (WAL, synchronous=FULL) twice per transaction, while the mock
# server returns one fixed certificate and keeps no state.
set -euo pipefail
build=$(cd "${1:?usage: server_ir.sh BUILDDIR [SECONDS] [CLIENTS]}" && pwd)
secs=${2:-20}
clients=${3:-8}
top=$(cd "$(dirname "$0")/../.." && pwd)
D="$top/tests/data/pki/server"
work=$(mktemp -d "${TMPDIR:-/tmp}/cmpstack-bench.XXXXXX")
srv=""
cleanup() {
    [ -n "$srv" ] && kill "$srv" 2>/dev/null && wait "$srv" 2>/dev/null
    [ -n "${KEEP:-}" ] || rm -rf "$work"
}
trap cleanup EXIT
cd "$work"

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out new.key 2>/dev/null
# The mock server answers with a fixed certificate; it must carry the key
# the clients ask for, or they reject it.
openssl req -new -key new.key -subj "/O=Operator/CN=Bench" -out new.csr 2>/dev/null
openssl x509 -req -in new.csr -CA "$D/op-ca.crt" -CAkey "$D/op-ca.key" -set_serial 7 \
    -days 30 -out fixed.crt 2>/dev/null

# load PORT PATH: CLIENTS loops of openssl cmp ir for SECS seconds; prints the
# number of completed transactions.
load() {
    local port=$1 path=$2 i
    local end=$(( $(date +%s) + secs ))
    for i in $(seq 1 "$clients"); do
        (
            n=0
            while [ "$(date +%s)" -lt "$end" ]; do
                if openssl cmp -server "127.0.0.1:$port" -path "$path" -cmd ir \
                    -cert "$D/device.crt" -key "$D/device.key" -extracerts "$D/vendor-ca.crt" \
                    -trusted "$D/op-root.crt" -newkey new.key -subject "/O=Operator/CN=Bench" \
                    -certout "c$i.pem" -msg_timeout 30 >/dev/null 2>&1; then
                    n=$((n + 1))
                fi
            done
            echo "$n" > "count.$i"
        ) &
    done
    wait
    cat count.* | awk '{s += $1} END {print s}'
    rm -f count.*
}

wait_up() {
    for _ in $(seq 1 100); do
        (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
        sleep 0.1
    done
    echo "server on port $1 did not come up" >&2
    exit 1
}

# --- cmpserver ---------------------------------------------------------------
port=$(free_port)
"$build/tools/cmpserver" -port "$port" -state "$work/state" -verbosity 0 \
    -ca_cert "$D/op-ca.crt" -ca_key "$D/op-ca.key" \
    -srv_cert "$D/cmp-server.crt" -srv_key "$D/cmp-server.key" \
    -srv_trusted "$D/vendor-root.crt" >/dev/null 2>cmpserver.log &
srv=$!
wait_up "$port"
ours=$(load "$port" /.well-known/cmp)
kill "$srv"; wait "$srv" 2>/dev/null || true; srv=""

# --- openssl cmp's mock server -----------------------------------------------
port=$(free_port)
openssl cmp -port "$port" -max_msgs 0 \
    -srv_cert "$D/cmp-server.crt" -srv_key "$D/cmp-server.key" \
    -srv_trusted "$D/vendor-root.crt" -rsp_cert fixed.crt \
    -rsp_extracerts "$D/op-ca.crt" >/dev/null 2>mock.log &
srv=$!
# (no probe connection: the single-threaded mock server gives up on it)
sleep 1
kill -0 "$srv" || { cat mock.log; exit 1; }
# (the mock server serves only "/" and "/pkix/")
theirs=$(load "$port" /pkix/)
kill "$srv"; wait "$srv" 2>/dev/null || true; srv=""

awk -v a="$ours" -v b="$theirs" -v s="$secs" -v c="$clients" 'BEGIN {
    printf "IR transactions/s with %d parallel openssl cmp clients, %d s each:\n", c, s
    printf "  cmpserver              %7.1f /s  (%d)\n", a / s, a
    printf "  openssl cmp -port      %7.1f /s  (%d)\n", b / s, b
    if (b > 0) printf "  ratio cmpserver/openssl %6.2f\n", a / b
}'
