# SPDX-License-Identifier: Apache-2.0
# tests/interop: shell tests that run the tools, alone and against
# `openssl cmp`. Each exits 77 (SKIP) when a tool it needs is absent, uses
# loopback ports it picks itself, and stops every server it started by PID.
EXTRA_DIST += tests/interop/lib.sh

TESTS += tests/unit/headers.sh tests/unit/symbols.sh
EXTRA_DIST += tests/unit/headers.sh tests/unit/symbols.sh
EXTRA_DIST += tests/demo.sh
# cmpserver against OpenSSL's client, and its state across a SIGKILL (held by
# holdproxy.py between ir and pollReq, and between ip and certConf)
TESTS += tests/interop/server_openssl.sh tests/interop/server_restart.sh
EXTRA_DIST += tests/interop/server_openssl.sh tests/interop/server_restart.sh tests/interop/holdproxy.py
# cmpserver's named profiles (/.well-known/cmp/p/<label>) and its approval
# commands (-pending, -approve, -reject) against OpenSSL's client
TESTS += tests/interop/server_profiles.sh
EXTRA_DIST += tests/interop/server_profiles.sh
# cmpclient against OpenSSL's mock server (openssl cmp -port)
TESTS += tests/interop/client_openssl.sh
EXTRA_DIST += tests/interop/client_openssl.sh
# cmpclient against cmpserver: ir (vendor certificate, PBM), cr, kur, polling,
# rejection, p10cr, genm, rr, implicit confirmation
TESTS += tests/interop/client_server.sh
EXTRA_DIST += tests/interop/client_server.sh
# cmpdump over the corpus (text, JSON, --check), BER variants and malformed input
TESTS += tests/interop/cmpdump.sh
EXTRA_DIST += tests/interop/cmpdump.sh
