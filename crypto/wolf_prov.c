/* SPDX-License-Identifier: Apache-2.0 */
/*
 * crypto/wolf_prov.c: the wolfSSL provider object: its function table,
 * constructor and destructor, the DRBG and the hashes.
 *
 * The DRBG is wolfSSL's Hash_DRBG (NIST SP 800-90A, SHA-256), seeded by
 * wolfSSL from the operating system when the provider is made. It lives in
 * the provider, so there is no global state: each cmp_crypto has its own.
 */
#include <wolfssl/options.h>
#include <wolfssl/version.h>

#include "wolf_int.h"

static void wolf_destroy(cmp_crypto *c);
static cmp_err wolf_random(cmp_crypto *c, uint8_t *out, size_t len);
static cmp_err wolf_hash(cmp_crypto *c, uint8_t out[CMP_HASH_MAX_LEN], size_t *out_len,
                         cmp_hash_alg alg, cmp_span data);

static const cmp_crypto_ops wolf_ops = {
    "wolfSSL " LIBWOLFSSL_VERSION_STRING,
    wolf_destroy,
    wolf_random,
    wolf_hash,
    cmp_wolf_key_load,
    cmp_wolf_key_generate,
    cmp_wolf_key_free,
    cmp_wolf_key_type,
    cmp_wolf_key_spki,
    cmp_wolf_key_export_pem,
    cmp_wolf_sign,
    cmp_wolf_verify,
    cmp_wolf_mac_protect,
    cmp_wolf_mac_verify,
};

/* see cmp_crypto.h */
cmp_err cmp_crypto_wolfssl_new(cmp_crypto **out)
{
    cmp_crypto *c = NULL;
    cmp_wolf *w = NULL;
    cmp_err err = CMP_ERR_NOMEM;

    CMP_ENSURE(out != NULL, CMP_ERR_ARG);
    *out = NULL;
    c = cmp_calloc(1, sizeof(*c));
    w = cmp_calloc(1, sizeof(*w));
    CMP_ENSURE_OUT(c != NULL && w != NULL, CMP_ERR_NOMEM);
    CMP_ENSURE_OUT(wc_InitRng(&w->rng) == 0, CMP_ERR_RNG);
    c->ops = &wolf_ops;
    c->impl = w;
    cmp_crypto_limits_default(&c->limits);
    *out = c;
    c = NULL;
    w = NULL;
    err = CMP_OK;
out:
    cmp_free(w);
    cmp_free(c);
    return err;
}

static void wolf_destroy(cmp_crypto *c)
{
    cmp_wolf *w = c->impl;

    if (w != NULL) {
        wc_FreeRng(&w->rng);
        cmp_wipe(w, sizeof(*w));
        cmp_free(w);
    }
    cmp_wipe(c, sizeof(*c));
    cmp_free(c);
}

/* see wolf_int.h */
WC_RNG *cmp_wolf_rng(cmp_crypto *c)
{
    return &((cmp_wolf *)c->impl)->rng;
}

static cmp_err wolf_random(cmp_crypto *c, uint8_t *out, size_t len)
{
    WC_RNG *rng = cmp_wolf_rng(c);
    size_t n;

    while (len > 0) {
        n = len > RNG_MAX_BLOCK_LEN ? RNG_MAX_BLOCK_LEN : len;
        CMP_ENSURE(wc_RNG_GenerateBlock(rng, out, (word32)n) == 0, CMP_ERR_RNG);
        out += n;
        len -= n;
    }
    return CMP_OK;
}

/* see wolf_int.h */
enum wc_HashType cmp_wolf_hash_type(cmp_hash_alg h)
{
    switch (h) {
    case CMP_HASH_SHA1:
        return WC_HASH_TYPE_SHA;
    case CMP_HASH_SHA224:
        return WC_HASH_TYPE_SHA224;
    case CMP_HASH_SHA256:
        return WC_HASH_TYPE_SHA256;
    case CMP_HASH_SHA384:
        return WC_HASH_TYPE_SHA384;
    case CMP_HASH_SHA512:
        return WC_HASH_TYPE_SHA512;
    default:
        return WC_HASH_TYPE_NONE;
    }
}

/* see wolf_int.h */
cmp_err cmp_wolf_digest(uint8_t *out, size_t *out_len, cmp_hash_alg h, cmp_span data)
{
    enum wc_HashType t = cmp_wolf_hash_type(h);
    size_t n = cmp_crypto_hash_len(h);

    CMP_ENSURE(t != WC_HASH_TYPE_NONE && n != 0, CMP_ERR_UNKNOWN_ALG);
    CMP_ENSURE(data.len <= UINT32_MAX, CMP_ERR_ARG);
    CMP_ENSURE(wc_Hash(t, data.data, (word32)data.len, out, (word32)n) == 0, CMP_ERR_CRYPTO);
    *out_len = n;
    return CMP_OK;
}

static cmp_err wolf_hash(cmp_crypto *c, uint8_t out[CMP_HASH_MAX_LEN], size_t *out_len,
                         cmp_hash_alg alg, cmp_span data)
{
    (void)c;
    return cmp_wolf_digest(out, out_len, alg, data);
}
