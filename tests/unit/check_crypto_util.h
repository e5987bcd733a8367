/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tests/unit/check_crypto_util.h: helpers shared by the crypto test
 * programs (check_crypto, check_crypto_mac, check_crypto_x509): fixtures,
 * a provider per test, and running the openssl command line when present.
 */
#ifndef CHECK_CRYPTO_UTIL_H
#define CHECK_CRYPTO_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include "cmp_crypto.h"
#include "cmp/mem.h"

/* Validation time of the fixtures: 2030-01-01T00:00:00Z. */
#define CT_NOW INT64_C(1893456000)

/* ct_load reads tests/data/crypto/<rel> into an exact-size heap buffer;
 * fails the test if it cannot. Free with ct_free. */
cmp_span ct_load(const char *rel);
void ct_free(cmp_span s);

/* ct_dup copies |s| into an exact-size heap buffer. */
cmp_span ct_dup(cmp_span s);

/* ct_prov returns a fresh wolfSSL provider (fails the test if it cannot). */
cmp_crypto *ct_prov(void);

/* ct_key loads keys/<name>; fails the test if it cannot. */
cmp_key *ct_key(cmp_crypto *c, const char *name);

/* ct_have_openssl: 1 when the openssl command runs. */
int ct_have_openssl(void);

/* ct_tmpdir returns a fresh private directory (static storage) for files
 * that openssl reads and writes, removed at exit; ct_tmpfile names a file in
 * it (four rotating static buffers, like ct_data_path). */
const char *ct_tmpdir(void);
const char *ct_tmpfile(const char *name);
void ct_write(const char *path, cmp_span data);
/* ct_read reads a file written by openssl (exact-size heap buffer). */
cmp_span ct_read(const char *path);

/* ct_run runs a shell command (output discarded); returns its exit status. */
int ct_run(const char *fmt, ...);
/* ct_capture runs a command and returns its stdout (malloc'd, NUL-ended). */
char *ct_capture(const char *fmt, ...);

/* ct_data_path: $CMP_TEST_DATA/crypto/<rel>, in one of four rotating static
 * buffers (so that up to four may appear in one call's arguments). */
const char *ct_data_path(const char *rel);

#define CT_SPAN(buf) ((cmp_span){(const uint8_t *)(buf), sizeof(buf) - 1})
#define CT_BSPAN(b) ((cmp_span){(b).data, (b).len})

#endif
