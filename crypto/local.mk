# SPDX-License-Identifier: Apache-2.0
# crypto/: the bytes-only crypto interface (cmp_crypto.h), its
# provider-independent part (entry points, DER cursor, algorithm tables,
# X.509 parsing, path validation, issuing) and the wolfSSL provider
# (wolf_*.c). Only wolf_*.c include <wolfssl/...>.
libcmpstack_la_SOURCES += crypto/crypto.c crypto/cder.c crypto/alg.c crypto/x509.c \
	crypto/chain.c crypto/issue.c
libcmpstack_la_SOURCES += crypto/wolf_prov.c crypto/wolf_key.c crypto/wolf_sig.c \
	crypto/wolf_mac.c
noinst_HEADERS += crypto/crypto_int.h crypto/wolf_int.h
cmpinclude_HEADERS += crypto/cmp_crypto.h
