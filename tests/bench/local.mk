# SPDX-License-Identifier: Apache-2.0
bench:
.PHONY: bench
EXTRA_DIST += tests/bench/server_ir.sh
# bench_crypto: signatures/s, verifications/s and PBM/PBMAC1 cost through
# cmp_crypto.h, with OpenSSL's figures measured in the same run and the
# ratio. libcrypto is linked into this program only. BENCH_SECONDS sets the
# time per figure (default 0.5).
EXTRA_PROGRAMS += tests/bench/bench_crypto
tests_bench_bench_crypto_SOURCES = tests/bench/bench_crypto.c
tests_bench_bench_crypto_CFLAGS = $(AM_CFLAGS) -D_DEFAULT_SOURCE
tests_bench_bench_crypto_LDADD = libcmpstack.la -lcrypto
CLEANFILES += tests/bench/bench_crypto$(EXEEXT)
bench: bench-crypto
bench-crypto: tests/bench/bench_crypto$(EXEEXT)
	CMP_TEST_DATA='$(abs_top_srcdir)/tests/data' tests/bench/bench_crypto $(BENCH_SECONDS)
.PHONY: bench-crypto
# bench_decode: cmp_msg_decode (strict and lenient) against OpenSSL's
# d2i_OSSL_CMP_MSG on the smallest and largest real message, in the same
# run, and the allocations one decode makes. libcrypto is linked into this
# program only. BENCH_SECONDS sets the time per figure (default 0.5).
EXTRA_PROGRAMS += tests/bench/bench_decode
tests_bench_bench_decode_SOURCES = tests/bench/bench_decode.c
tests_bench_bench_decode_CFLAGS = $(AM_CFLAGS) -D_DEFAULT_SOURCE
tests_bench_bench_decode_LDADD = libcmpstack.la -lcrypto
CLEANFILES += tests/bench/bench_decode$(EXEEXT)
bench: bench-decode
bench-decode: tests/bench/bench_decode$(EXEEXT)
	CMP_TEST_DATA='$(abs_top_srcdir)/tests/data' tests/bench/bench_decode $(BENCH_SECONDS)
.PHONY: bench-decode
# bench_server_ir: IR transactions/s and latency with 8 client threads (the
# client library over HTTP, one connection per message) against cmpserver
# (-threads 2) and against OpenSSL's mock server (`openssl cmp -port`), run
# by tests/bench/server_ir.sh. BENCH_SERVER_SECONDS sets the time per server
# (default 10).
EXTRA_PROGRAMS += tests/bench/bench_server_ir
tests_bench_bench_server_ir_SOURCES = tests/bench/bench_server_ir.c
tests_bench_bench_server_ir_CFLAGS = $(AM_CFLAGS) -D_DEFAULT_SOURCE -pthread
tests_bench_bench_server_ir_LDADD = libcmpstack.la $(PTHREAD_LIBS)
CLEANFILES += tests/bench/bench_server_ir$(EXEEXT)
bench: bench-server
bench-server: tests/bench/bench_server_ir$(EXEEXT) tools/cmpserver$(EXEEXT)
	CMP_TEST_DATA='$(abs_top_srcdir)/tests/data' $(SHELL) $(abs_top_srcdir)/tests/bench/server_ir.sh \
		'$(abs_top_builddir)' $(BENCH_SERVER_SECONDS)
.PHONY: bench-server
