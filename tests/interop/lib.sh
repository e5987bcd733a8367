# SPDX-License-Identifier: Apache-2.0
# tests/interop/lib.sh: helpers sourced by the interop scripts.
#
#   need CMD...           exit 77 (SKIP) unless every command exists
#   free_port             print a free TCP port on 127.0.0.1
#   start_bg PIDVAR CMD.. start CMD in the background, remember its PID
#   stop_all              stop every process started with start_bg (by PID)
#   wait_port PORT [SECS] wait until 127.0.0.1:PORT accepts connections
#   start_cmpserver NAME ARGS...
#                         cmpserver ARGS (give -port 0 or a port) in the
#                         background, its stdout in NAME.out, its stderr
#                         appended to srv.log; waits for its "listening on"
#                         line, sets SRV_PID and port; returns 1 when it
#                         exits or prints no port within 10 s
#   stop_pid PID          stop one process (SIGTERM) and reap it
#
# Every script gets a scratch directory $T that is removed on exit, and a
# hard time limit (CMP_TEST_TIMEOUT seconds, default 300) after which it
# stops its servers and fails.

set -u
: "${CMP_TEST_DATA:?make check sets CMP_TEST_DATA}"
: "${CMP_TOP_BUILDDIR:?make check sets CMP_TOP_BUILDDIR}"
BIN="$CMP_TOP_BUILDDIR/tools"
T=$(mktemp -d "${TMPDIR:-/tmp}/cmpstack-test.XXXXXX")
_pids=""

need() {
    local c
    for c in "$@"; do
        command -v "$c" >/dev/null 2>&1 || [ -x "$c" ] || { echo "SKIP: $c not found"; exit 77; }
    done
}

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()' 2>/dev/null \
        || echo $((20000 + RANDOM % 20000))
}

start_bg() {
    local var=$1
    shift
    "$@" &
    local pid=$!
    _pids="$_pids $pid"
    eval "$var=$pid"
}

stop_all() {
    local p
    for p in $_pids; do
        kill "$p" 2>/dev/null || true
    done
    for p in $_pids; do
        wait "$p" 2>/dev/null || true
    done
    _pids=""
}

wait_port() {
    local port=$1 secs=${2:-10} i=0
    while [ "$i" -lt $((secs * 10)) ]; do
        if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            return 0
        fi
        sleep 0.1
        i=$((i + 1))
    done
    echo "server on port $port did not come up" >&2
    return 1
}

start_cmpserver() {
    local name=$1 i
    shift
    rm -f "$name.out"
    start_bg SRV_PID "$BIN/cmpserver" "$@" >"$name.out" 2>>srv.log
    port=""
    for i in $(seq 1 100); do
        port=$(sed -n 's/^listening on 127\.0\.0\.1:\([0-9]*\)$/\1/p' "$name.out")
        [ -n "$port" ] && return 0
        kill -0 "$SRV_PID" 2>/dev/null || return 1
        sleep 0.1
    done
    return 1
}

stop_pid() {
    kill "$1" 2>/dev/null || true
    wait "$1" 2>/dev/null || true
}

_cleanup() {
    stop_all
    [ -n "${_watchdog:-}" ] && kill "$_watchdog" 2>/dev/null
    rm -rf "$T"
}
trap _cleanup EXIT
trap 'echo "interrupted"; exit 1' INT TERM

# The watchdog ends a hung script (and, through its trap, its servers).
# Its sleep is ended with it, so that no process keeps the script's output
# open after the script has ended.
(
    trap 'kill "$_s" 2>/dev/null; exit 0' TERM
    sleep "${CMP_TEST_TIMEOUT:-300}" &
    _s=$!
    wait "$_s"
    echo "test timed out" >&2
    kill -TERM $$ 2>/dev/null
) &
_watchdog=$!
