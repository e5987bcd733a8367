# SPDX-License-Identifier: Apache-2.0
# tests/fuzz: one libFuzzer harness per entry point that takes untrusted bytes
# (STYLE.md section 8). Each tests/fuzz/fuzz_<name>.c defines only
# LLVMFuzzerTestOneInput.
#
#   configure --enable-fuzzing (clang): the harnesses link with libFuzzer
#       ($(FUZZ_LDFLAGS)); `make fuzzers` builds them, build.sh fuzz runs
#       each _build-fuzz/tests/fuzz/fuzz_* binary.
#   otherwise: each harness links with tests/fuzz/main.c, which replays every
#       file of tests/fuzz/corpus/<name>/ and tests/fuzz/repro/<name>/, and
#       make check runs them, so fuzz regressions run on every toolchain.
#
# To add a harness: copy the four lines of fuzz_msg_decode below and add the
# program to FUZZ_HARNESSES.
FUZZ_CFLAGS_H = $(AM_CFLAGS) -I$(top_srcdir)/generated -D_DEFAULT_SOURCE
FUZZ_LDADD_H = libcmpstack.la
# -static: harnesses reach internal (hidden) symbols through the archive.
FUZZ_LINK_H = $(AM_LDFLAGS) $(FUZZ_LDFLAGS) -no-install -static
if FUZZING
FUZZ_MAIN_C =
else
FUZZ_MAIN_C = tests/fuzz/main.c
endif

FUZZ_HARNESSES = tests/fuzz/fuzz_msg_decode tests/fuzz/fuzz_http

tests_fuzz_fuzz_msg_decode_SOURCES = tests/fuzz/fuzz_msg_decode.c $(FUZZ_MAIN_C)
tests_fuzz_fuzz_msg_decode_CFLAGS = $(FUZZ_CFLAGS_H)
tests_fuzz_fuzz_msg_decode_LDADD = $(FUZZ_LDADD_H)
tests_fuzz_fuzz_msg_decode_LDFLAGS = $(FUZZ_LINK_H)

tests_fuzz_fuzz_http_SOURCES = tests/fuzz/fuzz_http.c $(FUZZ_MAIN_C)
tests_fuzz_fuzz_http_CFLAGS = $(FUZZ_CFLAGS_H)
tests_fuzz_fuzz_http_LDADD = $(FUZZ_LDADD_H)
tests_fuzz_fuzz_http_LDFLAGS = $(FUZZ_LINK_H)

# Later harnesses (others' entry points), same four lines each:
# tests/fuzz/fuzz_client_response, tests/fuzz/fuzz_server_request,
# tests/fuzz/fuzz_crypto_der

if FUZZING
EXTRA_PROGRAMS += $(FUZZ_HARNESSES)
fuzzers: $(FUZZ_HARNESSES)
else
check_PROGRAMS += $(FUZZ_HARNESSES)
TESTS += $(FUZZ_HARNESSES)
fuzzers:
	@echo "fuzzers: configure with --enable-fuzzing CC=clang (or ./build.sh fuzz)" >&2
	@exit 1
endif
CLEANFILES += $(FUZZ_HARNESSES)
EXTRA_DIST += tests/fuzz/README.md tests/fuzz/corpus tests/fuzz/repro
.PHONY: fuzzers
# cmp_server_handle on untrusted bytes (stack/server*.c)
FUZZ_HARNESSES += tests/fuzz/fuzz_server_request
tests_fuzz_fuzz_server_request_SOURCES = tests/fuzz/fuzz_server_request.c $(FUZZ_MAIN_C)
tests_fuzz_fuzz_server_request_CFLAGS = $(FUZZ_CFLAGS_H)
tests_fuzz_fuzz_server_request_LDADD = $(FUZZ_LDADD_H)
tests_fuzz_fuzz_server_request_LDFLAGS = $(FUZZ_LINK_H)
# the end entity (stack/client*.c, stack/prot.c) on a hostile server's
# responses; the test PKI is read from tests/data/pki/client
FUZZ_HARNESSES += tests/fuzz/fuzz_client_response
tests_fuzz_fuzz_client_response_SOURCES = tests/fuzz/fuzz_client_response.c $(FUZZ_MAIN_C)
tests_fuzz_fuzz_client_response_CFLAGS = $(FUZZ_CFLAGS_H)
tests_fuzz_fuzz_client_response_LDADD = $(FUZZ_LDADD_H)
tests_fuzz_fuzz_client_response_LDFLAGS = $(FUZZ_LINK_H)
