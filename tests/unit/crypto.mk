# SPDX-License-Identifier: Apache-2.0
# tests/unit/crypto.mk: the crypto/ test programs (cmp_crypto.h and the
# wolfSSL provider). They link the library statically, so that they reach
# crypto/'s internal (hidden) helpers through crypto_int.h, and share
# check_crypto_util.c (fixtures, a provider per test, running openssl).
# Tests that run the openssl command pass without it (they return early).
CRYPTO_TEST_SOURCES = tests/unit/check_crypto_util.c tests/unit/check_crypto_util.h
CRYPTO_TEST_CFLAGS = $(UNIT_CFLAGS) -I$(top_srcdir)/tests/lib $(WOLFSSL_CFLAGS)
CRYPTO_TEST_LIBS = $(UNIT_LDADD) $(WOLFSSL_LIBS)
CRYPTO_TEST_LINK = $(AM_LDFLAGS) -no-install -static

check_PROGRAMS += tests/unit/check_crypto
TESTS += tests/unit/check_crypto
tests_unit_check_crypto_SOURCES = tests/unit/check_crypto.c $(CRYPTO_TEST_SOURCES)
tests_unit_check_crypto_CFLAGS = $(CRYPTO_TEST_CFLAGS)
tests_unit_check_crypto_LDADD = $(CRYPTO_TEST_LIBS)
tests_unit_check_crypto_LDFLAGS = $(CRYPTO_TEST_LINK)

check_PROGRAMS += tests/unit/check_crypto_mac
TESTS += tests/unit/check_crypto_mac
tests_unit_check_crypto_mac_SOURCES = tests/unit/check_crypto_mac.c $(CRYPTO_TEST_SOURCES)
tests_unit_check_crypto_mac_CFLAGS = $(CRYPTO_TEST_CFLAGS)
tests_unit_check_crypto_mac_LDADD = $(CRYPTO_TEST_LIBS)
tests_unit_check_crypto_mac_LDFLAGS = $(CRYPTO_TEST_LINK)

check_PROGRAMS += tests/unit/check_crypto_x509
TESTS += tests/unit/check_crypto_x509
tests_unit_check_crypto_x509_SOURCES = tests/unit/check_crypto_x509.c $(CRYPTO_TEST_SOURCES)
tests_unit_check_crypto_x509_CFLAGS = $(CRYPTO_TEST_CFLAGS)
tests_unit_check_crypto_x509_LDADD = $(CRYPTO_TEST_LIBS)
tests_unit_check_crypto_x509_LDFLAGS = $(CRYPTO_TEST_LINK)
