# SPDX-License-Identifier: Apache-2.0
# crypto/: the bytes-only crypto interface (cmp_crypto.h) and the wolfSSL
# provider (wolf_*.c). Only these files include <wolfssl/...>.
cmpinclude_HEADERS += crypto/cmp_crypto.h
