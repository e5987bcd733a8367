#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# build.sh: the one entry point for building cmpstack on Debian 12.
#
#   ./build.sh demo    install what is missing, build, run the enrolment demo
#   ./build.sh check   install what is missing, build, run every test, then
#                      every test again under ASan+UBSan (CMP_SAN=0 skips that)
#
# Other verbs, for developers:
#   ./build.sh deps       only install the Debian packages
#   ./build.sh build      bootstrap, configure and build into _build/
#   ./build.sh san        build into _build-san/ with ASan+UBSan and run make check
#   ./build.sh valgrind   run the unit tests of _build/ under valgrind
#   ./build.sh fuzz [SECONDS]  build the libFuzzer harnesses (clang) into _build-fuzz/
#                              and run each for SECONDS (default 60)
#   ./build.sh cross      compile the portable part (generated/ and stack/ without the
#                         transport and the SQLite store) for Cortex-M4 with arm-none-eabi-gcc
#   ./build.sh distcheck  make distcheck
#
# The tests and the demo reach servers only on 127.0.0.1, on free ports.
set -euo pipefail

top=$(cd "$(dirname "$0")" && pwd)
cd "$top"
jobs=$(nproc 2>/dev/null || echo 2)

# Debian 12 packages the build, the tests and the demo need.
PACKAGES="build-essential autoconf automake libtool pkg-config asn1c libwolfssl-dev
check libsqlite3-dev openssl valgrind clang libclang-rt-14-dev python3
gcc-arm-none-eabi libnewlib-arm-none-eabi"

log() { printf '==> %s\n' "$*" >&2; }

deps() {
    local missing=""
    for p in $PACKAGES; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' \
            || missing="$missing $p"
    done
    [ -z "$missing" ] && return 0
    log "installing Debian packages:$missing"
    if [ "$(id -u)" -ne 0 ]; then
        echo "build.sh: run as root to install:$missing" >&2
        exit 1
    fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # shellcheck disable=SC2086
    apt-get install -y -qq --no-install-recommends $missing >/dev/null
}

bootstrap() {
    if [ ! -x configure ] || [ configure.ac -nt configure ] || [ Makefile.am -nt Makefile.in ]; then
        log "autoreconf"
        autoreconf -fi >/dev/null 2>&1 || autoreconf -fi
    fi
}

# configure_in DIR [configure args...]
configure_in() {
    local dir=$1
    shift
    mkdir -p "$dir"
    if [ ! -f "$dir/Makefile" ] || [ configure -nt "$dir/Makefile" ]; then
        log "configure in $dir $*"
        (cd "$dir" && "$top/configure" --quiet "$@")
    fi
}

build() {
    deps
    bootstrap
    configure_in _build
    log "make"
    make -C _build -j"$jobs" >/dev/null
    make -C _build -j"$jobs" check TESTS= >/dev/null
}

# summarize DIR...: add up the automake test-suite results and print the
# closing line CI reads.
summarize() {
    local pass=0 fail=0 skip=0 f p x s
    for d in "$@"; do
        for f in $(find "$d" -name '*.trs' 2>/dev/null); do
            case $(sed -n 's/^:test-result: //p' "$f" | head -1) in
                PASS|XFAIL) pass=$((pass + 1)) ;;
                SKIP) skip=$((skip + 1)) ;;
                *) fail=$((fail + 1)) ;;
            esac
        done
    done
    SUMMARY_FAIL=$fail
    echo "$pass passed, $fail failed, $skip skipped"
}

# show_failures DIR: the end of the log of every test that failed in DIR.
show_failures() {
    local f
    for f in $(find "$1" -name '*.log' -path '*tests*' | sort); do
        if grep -qE '^:test-result: (FAIL|ERROR)' "${f%.log}.trs" 2>/dev/null; then
            echo "---- $f"; tail -n 40 "$f"
        fi
    done
}

run_check() {
    local rc=0 dirs=_build
    build
    if command -v asn1c >/dev/null 2>&1 && [ -x asn1/regen.sh ]; then
        log "asn1/regen.sh --check"
        asn1/regen.sh --check
    fi
    log "make check"
    make -C _build -j"$jobs" check || rc=1
    show_failures _build
    log "cross-compile the portable core"
    cross || rc=1
    # The whole suite again under ASan + UBSan (clang); CMP_SAN=0 skips it.
    if [ "${CMP_SAN:-1}" = 1 ]; then
        san || rc=1
        show_failures _build-san
        dirs="$dirs _build-san"
    fi
    summarize $dirs
    [ "$SUMMARY_FAIL" -eq 0 ] || rc=1
    return $rc
}

san() {
    deps
    bootstrap
    configure_in _build-san --enable-sanitizers --disable-shared CC=clang
    log "make check (ASan + UBSan)"
    ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
        make -C _build-san -j"$jobs" check
}

run_valgrind() {
    build
    local rc=0 t
    for t in _build/tests/unit/check_*; do
        [ -x "$t" ] && [ "${t%.*}" = "$t" ] || continue
        log "valgrind $t"
        CK_FORK=no CMP_TEST_DATA="$top/tests/data" valgrind -q --error-exitcode=9 \
            --leak-check=full --errors-for-leak-kinds=definite,indirect "$t" >/dev/null || rc=1
    done
    return $rc
}

fuzz() {
    local secs=${1:-60}
    deps
    bootstrap
    configure_in _build-fuzz --enable-fuzzing --enable-sanitizers --disable-shared CC=clang
    make -C _build-fuzz -j"$jobs"
    make -C _build-fuzz -j"$jobs" fuzzers
    for h in _build-fuzz/tests/fuzz/fuzz_*; do
        [ -x "$h" ] || continue
        local name; name=$(basename "$h")
        mkdir -p "_build-fuzz/corpus/$name"
        log "fuzz $name for ${secs}s"
        "$h" -max_total_time="$secs" -timeout=1 -rss_limit_mb=2048 \
            "_build-fuzz/corpus/$name" "tests/fuzz/corpus/$name" || return 1
    done
}

# The portable core must build for a constrained target: everything except
# the wolfSSL binding, the transport, the SQLite store and the tools
# (DESIGN.md "Memory and portability"). Compile only; nothing to link against.
cross() {
    deps
    local cc=arm-none-eabi-gcc out=_build-cross f n=0
    command -v "$cc" >/dev/null 2>&1 || { echo "cross: $cc not found" >&2; return 1; }
    mkdir -p "$out"
    local flags="-mcpu=cortex-m4 -mthumb -Os -std=c99 -ffunction-sections -fdata-sections"
    for f in generated/*.c; do
        $cc $flags -D_DEFAULT_SOURCE -Igenerated -c "$f" -o "$out/$(basename "${f%.c}").o" || return 1
        n=$((n + 1))
    done
    for f in stack/*.c; do
        case $(basename "$f") in http*|transport_sock*|server_store*) continue ;; esac
        $cc $flags -Wall -Wextra -Werror -Istack/include -Istack -Icrypto -Igenerated \
            -c "$f" -o "$out/$(basename "${f%.c}").o" || return 1
        n=$((n + 1))
    done
    arm-none-eabi-size -t "$out"/*.o | tail -1 | awk -v n="$n" \
        '{printf "cross: %d files for Cortex-M4, text %d data %d bss %d bytes (-Os)\n", n, $1, $2, $3}'
}

demo() {
    build
    exec "$top/tests/demo.sh" "$top/_build"
}

case "${1:-}" in
    deps) deps ;;
    build) build ;;
    check) run_check ;;
    san) san ;;
    valgrind) run_valgrind ;;
    fuzz) fuzz "${2:-60}" ;;
    distcheck) build; make -C _build distcheck ;;
    cross) cross ;;
    demo) demo ;;
    *) sed -n '3,20p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
