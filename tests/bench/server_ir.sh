#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# tests/bench/server_ir.sh BUILDDIR [SECONDS] [CLIENTS]: IR transactions per
# second (ir, ip, certConf, pkiConf) that cmpserver sustains on loopback,
# and the same load against OpenSSL's mock server (`openssl cmp -port`).
# Not a test: it prints the figures and the ratios. `make bench-server`
# runs it (BENCH_SERVER_SECONDS sets SECONDS).
#
# The load is tests/bench/bench_server_ir: CLIENTS (default 8) threads in
# one process, each running transactions through the client library for
# SECONDS (default 10) per figure; keys and certificates are loaded before
# the clock starts. Requests are signed with the device's vendor
# certificate (vendor CA in extraCerts), responses are checked against the
# operator root. Every message goes on a new connection, for both servers:
# OpenSSL 3.0's mock server closes the connection after each response.
#
# Both servers sign with the same EC P-256 key. cmpserver (-threads 2)
# issues a fresh certificate per request; it is measured with its state on
# disk (SQLite WAL, synchronous=FULL, two commits per transaction) and in
# memory. The mock server returns one fixed certificate, keeps no state,
# and serves one transaction at a time: a second client's ir aborts the
# first client's transaction (its certConf gets "transactionID unmatched"),
# so with CLIENTS clients on one mock server hardly any transaction
# completes. It is therefore also measured as CLIENTS mock servers, one per
# client thread, and both servers once more with a single client.
set -euo pipefail
build=$(cd "${1:?usage: server_ir.sh BUILDDIR [SECONDS] [CLIENTS]}" && pwd)
secs=${2:-10}
clients=${3:-8}
top=$(cd "$(dirname "$0")/../.." && pwd)
export CMP_TEST_DATA=${CMP_TEST_DATA:-$top/tests/data}
D="$CMP_TEST_DATA/pki/server"
gen="$build/tests/bench/bench_server_ir"
[ -x "$gen" ] || {
    echo "server_ir.sh: build $gen first (make tests/bench/bench_server_ir)" >&2
    exit 1
}
command -v openssl >/dev/null || { echo "server_ir.sh: openssl not found" >&2; exit 1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/cmpstack-bench.XXXXXX")
pids=""
stop() {
    local p
    for p in $pids; do kill "$p" 2>/dev/null || true; done
    for p in $pids; do wait "$p" 2>/dev/null || true; done
    pids=""
}
cleanup() {
    stop
    [ -n "${KEEP:-}" ] || rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
cd "$work"
life=$((secs * 2 + 30)) # upper bound of every server's lifetime

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])'
}

openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out new.key 2>/dev/null
# The mock server answers with a fixed certificate; it must carry the key
# the clients ask for, or they reject it.
openssl req -new -key new.key -subj "/O=Operator/CN=Bench" -out new.csr 2>/dev/null
openssl x509 -req -in new.csr -CA "$D/op-ca.crt" -CAkey "$D/op-ca.key" -set_serial 7 \
    -days 30 -out fixed.crt 2>/dev/null

# cmpserver ARGS...: start it on a port of its choosing; sets url.
cmpserver() {
    rm -f srv.out
    timeout "$life" "$build/tools/cmpserver" -port 0 -threads 2 -verbosity 0 \
        -ca_cert "$D/op-ca.crt" -ca_key "$D/op-ca.key" \
        -srv_cert "$D/cmp-server.crt" -srv_key "$D/cmp-server.key" \
        -srv_trusted "$D/vendor-root.crt" "$@" >srv.out 2>>cmpserver.log &
    pids="$pids $!"
    local port="" i
    for i in $(seq 1 100); do
        port=$(sed -n 's/^listening on 127\.0\.0\.1:\([0-9]*\)$/\1/p' srv.out)
        [ -n "$port" ] && break
        sleep 0.1
    done
    [ -n "$port" ] || { cat cmpserver.log >&2; echo "cmpserver did not start" >&2; exit 1; }
    url="http://127.0.0.1:$port/.well-known/cmp"
}

# mock N: start N mock servers; sets urls. (No probe connection: the
# single-threaded mock server gives up on it. It serves "/" and "/pkix/".)
mock() {
    local i port
    urls=""
    for i in $(seq 1 "$1"); do
        port=$(free_port)
        timeout "$life" openssl cmp -port "$port" -max_msgs 0 \
            -srv_cert "$D/cmp-server.crt" -srv_key "$D/cmp-server.key" \
            -srv_trusted "$D/vendor-root.crt" -rsp_cert fixed.crt \
            -rsp_extracerts "$D/op-ca.crt" >/dev/null 2>>"mock.log" &
        pids="$pids $!"
        urls="$urls http://127.0.0.1:$port/pkix/"
    done
    sleep 1.5
}

# run LABEL CLIENTS URL...: one measurement, appended to results.
run() {
    local label=$1 n=$2
    shift 2
    echo "$label $("$gen" new.key "$secs" "$n" "$@")" | tee -a results
}

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
echo "machine: $(nproc) cores, $cpu," \
    "load average $(cut -d' ' -f1-3 /proc/loadavg) at the start"
cmpserver -state "$work/state"
run cmpserver-disk "$clients" "$url"
stop
cmpserver
run cmpserver-memory "$clients" "$url"
run cmpserver-memory-1 1 "$url"
stop
mock 1
run mock-1-server "$clients" $urls
stop
mock 1
run mock-1 1 $urls
stop
mock "$clients"
run mock-n-servers "$clients" $urls
stop

summary() {
    awk -v s="$secs" -v c="$clients" '
    function f(k,    i, kv, v) {
        for (i = 2; i <= NF; i++) { split($i, kv, "="); if (kv[1] == k) v = kv[2] }
        return v
    }
    { tps[$1] = f("tps"); p50[$1] = f("p50_ms"); p99[$1] = f("p99_ms")
      ok[$1] = f("ok"); bad[$1] = f("failed") }
    function line(k, what) {
        printf "  %-44s %7.1f /s  p50 %6.1f ms  p99 %6.1f ms  (%d done, %d failed)\n",
            what, tps[k], p50[k], p99[k], ok[k], bad[k]
    }
    function ratio(what, a, b) {
        if (tps[b] > 0) printf "  ratio %-38s %6.2f\n", what, tps[a] / tps[b]
    }
    END {
        printf "IR transactions/s (ir/ip/certConf/pkiConf), %d client threads, %d s each,\n", c, s
        printf "one connection per message:\n"
        line("cmpserver-disk", "cmpserver -threads 2, state on disk")
        line("cmpserver-memory", "cmpserver -threads 2, state in memory")
        line("mock-1-server", "openssl cmp -port, one server")
        line("mock-n-servers", sprintf("openssl cmp -port, %d servers (1 per client)", c))
        ratio(sprintf("cmpserver (disk) / %d mock servers", c), "cmpserver-disk", "mock-n-servers")
        ratio(sprintf("cmpserver (memory) / %d mock servers", c), "cmpserver-memory",
            "mock-n-servers")
        printf "one client thread:\n"
        line("cmpserver-memory-1", "cmpserver -threads 2, state in memory")
        line("mock-1", "openssl cmp -port")
        ratio("cmpserver (memory) / mock server", "cmpserver-memory-1", "mock-1")
    }' results
}
summary
