/* SPDX-License-Identifier: Apache-2.0 */
/*
 * crypto/wolf_int.h: the wolfSSL provider's shared definitions. Only the
 * crypto/wolf_*.c files include this header, and only they include
 * <wolfssl/...> (STYLE.md section 2). wolfSSL's return codes never leave
 * these files: each call site maps them to a cmp_err.
 */
#ifndef CMP_WOLF_INT_H
#define CMP_WOLF_INT_H

#include <wolfssl/options.h>
#include <wolfssl/wolfcrypt/settings.h>
#include <wolfssl/wolfcrypt/ecc.h>
#include <wolfssl/wolfcrypt/ed25519.h>
#include <wolfssl/wolfcrypt/hash.h>
#include <wolfssl/wolfcrypt/random.h>
#include <wolfssl/wolfcrypt/rsa.h>

#include "crypto_int.h"

/* A private key and its public half. |type| says which member is live. */
struct cmp_key {
    cmp_key_type type;
    unsigned bits;
    union {
        RsaKey rsa;
        ecc_key ecc;
        ed25519_key ed;
    } u;
};

/* A public key loaded from a SubjectPublicKeyInfo for one verification. */
typedef struct cmp_wolf_pub {
    cmp_key_type type;
    unsigned bits;
    union {
        RsaKey rsa;
        ecc_key ecc;
        ed25519_key ed;
    } u;
} cmp_wolf_pub;

/* The provider's state (cmp_crypto.impl). */
typedef struct cmp_wolf {
    WC_RNG rng;
} cmp_wolf;

/* cmp_wolf_rng returns the provider's DRBG. */
WC_RNG *cmp_wolf_rng(cmp_crypto *c);

/* cmp_wolf_hash_type maps a hash to wolfSSL's enum, WC_HASH_TYPE_NONE if none. */
enum wc_HashType cmp_wolf_hash_type(cmp_hash_alg h);

/* cmp_wolf_digest hashes |data| with |h| into |out| (CMP_HASH_MAX_LEN). */
CMP_MUST_CHECK cmp_err cmp_wolf_digest(uint8_t *out, size_t *out_len, cmp_hash_alg h,
                                       cmp_span data);

/* wolf_key.c */
CMP_MUST_CHECK cmp_err cmp_wolf_key_load(cmp_crypto *c, cmp_key **out, cmp_span data,
                                         cmp_span pass);
CMP_MUST_CHECK cmp_err cmp_wolf_key_generate(cmp_crypto *c, cmp_key **out, cmp_key_type type,
                                             unsigned bits);
void cmp_wolf_key_free(cmp_crypto *c, cmp_key *key);
CMP_MUST_CHECK cmp_err cmp_wolf_key_type(cmp_crypto *c, cmp_key_type *out_type,
                                         unsigned *out_bits, const cmp_key *key);
CMP_MUST_CHECK cmp_err cmp_wolf_key_spki(cmp_crypto *c, cmp_buf *out, const cmp_key *key);
CMP_MUST_CHECK cmp_err cmp_wolf_key_export_pem(cmp_crypto *c, cmp_buf *out,
                                               const cmp_key *key, cmp_key_format fmt);

/* cmp_wolf_pub_load loads |spki| into |out| (init'ed here; release with
 * cmp_wolf_pub_cleanup even on failure). RSA sizes outside |lim| are
 * CMP_ERR_KEY_TYPE. */
CMP_MUST_CHECK cmp_err cmp_wolf_pub_load(cmp_wolf_pub *out, cmp_span spki,
                                         const cmp_crypto_limits *lim);
void cmp_wolf_pub_cleanup(cmp_wolf_pub *pub);

/* wolf_sig.c */
CMP_MUST_CHECK cmp_err cmp_wolf_sign(cmp_crypto *c, cmp_buf *out_sig, cmp_key *key,
                                     cmp_span alg, cmp_span data);
CMP_MUST_CHECK cmp_err cmp_wolf_verify(cmp_crypto *c, cmp_span spki, cmp_span alg,
                                       cmp_span data, cmp_span sig);

/* wolf_mac.c */
CMP_MUST_CHECK cmp_err cmp_wolf_mac_protect(cmp_crypto *c, cmp_buf *out_mac, cmp_span alg,
                                            cmp_span secret, cmp_span data);
CMP_MUST_CHECK cmp_err cmp_wolf_mac_verify(cmp_crypto *c, cmp_span alg, cmp_span secret,
                                           cmp_span data, cmp_span mac);

#endif /* CMP_WOLF_INT_H */
