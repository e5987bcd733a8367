/* SPDX-License-Identifier: Apache-2.0 */
/*
 * crypto/wolf_mac.c: password-based MAC protection in the wolfSSL provider:
 * RFC 4210 PasswordBasedMac (RFC 9481 section 6.1.1) and PBMAC1 with PBKDF2
 * (RFC 9481 section 6.1.2), both ending in HMAC.
 *
 * The parameters are decoded and checked against the caller's limits before
 * any hashing, so a peer cannot make us spin. Derived keys are wiped; MACs
 * are compared in constant time.
 */
#include <string.h>

#include <wolfssl/options.h>
#include <wolfssl/wolfcrypt/hmac.h>
#include <wolfssl/wolfcrypt/pwdbased.h>

#include "wolf_int.h"

static int hmac_type(cmp_hash_alg h)
{
    switch (h) {
    case CMP_HASH_SHA1:
        return WC_SHA;
    case CMP_HASH_SHA224:
        return WC_SHA224;
    case CMP_HASH_SHA256:
        return WC_SHA256;
    case CMP_HASH_SHA384:
        return WC_SHA384;
    default:
        return WC_SHA512;
    }
}

/* hmac computes HMAC-|h|(key, data) (RFC 2104) into |out|. */
static cmp_err hmac(uint8_t out[CMP_HASH_MAX_LEN], size_t *out_len, cmp_hash_alg h,
                    cmp_span key, cmp_span data)
{
    Hmac ctx;
    int rc;

    CMP_ENSURE(key.len <= UINT32_MAX && data.len <= UINT32_MAX, CMP_ERR_ARG);
    CMP_ENSURE(wc_HmacInit(&ctx, NULL, INVALID_DEVID) == 0, CMP_ERR_CRYPTO);
    rc = wc_HmacSetKey(&ctx, hmac_type(h), key.data, (word32)key.len);
    if (rc == 0) {
        rc = wc_HmacUpdate(&ctx, data.data, (word32)data.len);
    }
    if (rc == 0) {
        rc = wc_HmacFinal(&ctx, out);
    }
    wc_HmacFree(&ctx);
    cmp_wipe(&ctx, sizeof(ctx));
    CMP_ENSURE(rc == 0, CMP_ERR_CRYPTO);
    *out_len = cmp_crypto_hash_len(h);
    return CMP_OK;
}

/* pbm_basekey derives PasswordBasedMac's BASEKEY.
 * = https://www.rfc-editor.org/rfc/rfc9810#section-5.1.3.1
 * # In the above protectionAlg, the salt value is appended to the shared
 * # secret input.  The OWF is then applied iterationCount times, where
 * # the salted secret is the input to the first iteration and, for each
 * # successive iteration, the input is set to be the output of the
 * # previous iteration.
 * HMAC takes a key of any length, so all of BASEKEY is the MAC key, as in
 * RFC 4211 section 4.4 and OpenSSL. */
static cmp_err pbm_basekey(uint8_t key[CMP_HASH_MAX_LEN], size_t *key_len,
                           const cmp_mac_params *p, cmp_span secret)
{
    enum wc_HashType t = cmp_wolf_hash_type(p->owf);
    size_t n = cmp_crypto_hash_len(p->owf);
    wc_HashAlg ctx;
    uint32_t i;
    int rc;

    CMP_ENSURE(t != WC_HASH_TYPE_NONE && n != 0, CMP_ERR_UNKNOWN_ALG);
    CMP_ENSURE(secret.len <= UINT32_MAX, CMP_ERR_ARG);
    rc = wc_HashInit(&ctx, t);
    if (rc == 0) {
        rc = wc_HashUpdate(&ctx, t, secret.data, (word32)secret.len);
    }
    if (rc == 0) {
        rc = wc_HashUpdate(&ctx, t, p->salt.data, (word32)p->salt.len);
    }
    if (rc == 0) {
        rc = wc_HashFinal(&ctx, t, key);
    }
    /* wolfSSL's Final resets the context, so it serves every iteration */
    for (i = 1; rc == 0 && i < p->iterations; i++) {
        rc = wc_HashUpdate(&ctx, t, key, (word32)n);
        if (rc == 0) {
            rc = wc_HashFinal(&ctx, t, key);
        }
    }
    wc_HashFree(&ctx, t);
    cmp_wipe(&ctx, sizeof(ctx));
    CMP_ENSURE(rc == 0, CMP_ERR_CRYPTO);
    *key_len = n;
    return CMP_OK;
}

/* pbmac1_key derives the HMAC key with PBKDF2 (RFC 8018 section 5.2). */
static cmp_err pbmac1_key(uint8_t key[CMP_HASH_MAX_LEN], size_t *key_len,
                          const cmp_mac_params *p, cmp_span secret)
{
    CMP_ENSURE(p->key_len >= 1 && p->key_len <= CMP_HASH_MAX_LEN, CMP_ERR_UNKNOWN_ALG);
    CMP_ENSURE(secret.len <= INT32_MAX && p->salt.len <= INT32_MAX, CMP_ERR_ARG);
    CMP_ENSURE(p->iterations <= INT32_MAX, CMP_ERR_ITERATIONS);
    CMP_ENSURE(wc_PBKDF2(key, secret.data, (int)secret.len, p->salt.data, (int)p->salt.len,
                         (int)p->iterations, (int)p->key_len, hmac_type(p->owf)) == 0,
               CMP_ERR_CRYPTO);
    *key_len = p->key_len;
    return CMP_OK;
}

/* compute decodes |alg| under the limits, derives the key and MACs |data|. */
static cmp_err compute(cmp_crypto *c, uint8_t mac[CMP_HASH_MAX_LEN], size_t *mac_len,
                       cmp_span alg, cmp_span secret, cmp_span data)
{
    uint8_t key[CMP_HASH_MAX_LEN];
    size_t key_len = 0;
    cmp_mac_params p;
    cmp_err err;

    CMP_TRY(cmp_alg_mac_decode(&p, alg, &c->limits));
    if (p.kind == CMP_MAC_PBM) {
        err = pbm_basekey(key, &key_len, &p, secret);
    } else {
        /* = https://www.rfc-editor.org/rfc/rfc9481#section-6.1.2
         * # PBMAC1 combines a password-based key derivation function,
         * # like PBKDF2 (Section 4.5.1.1), with an underlying symmetric key-based
         * # message authentication scheme. */
        err = pbmac1_key(key, &key_len, &p, secret);
    }
    if (err == CMP_OK) {
        err = hmac(mac, mac_len, p.mac, (cmp_span){key, key_len}, data);
    }
    cmp_wipe(key, sizeof(key));
    return err;
}

/* see wolf_int.h */
cmp_err cmp_wolf_mac_protect(cmp_crypto *c, cmp_buf *out_mac, cmp_span alg, cmp_span secret,
                             cmp_span data)
{
    uint8_t mac[CMP_HASH_MAX_LEN];
    size_t mac_len = 0;
    cmp_err err;

    err = compute(c, mac, &mac_len, alg, secret, data);
    if (err == CMP_OK) {
        out_mac->data = cmp_malloc(mac_len);
        err = out_mac->data != NULL ? CMP_OK : CMP_ERR_NOMEM;
    }
    if (err == CMP_OK) {
        memcpy(out_mac->data, mac, mac_len);
        out_mac->len = mac_len;
    }
    cmp_wipe(mac, sizeof(mac));
    return err;
}

/* see wolf_int.h */
cmp_err cmp_wolf_mac_verify(cmp_crypto *c, cmp_span alg, cmp_span secret, cmp_span data,
                            cmp_span mac)
{
    uint8_t want[CMP_HASH_MAX_LEN];
    size_t want_len = 0;
    cmp_err err;

    err = compute(c, want, &want_len, alg, secret, data);
    if (err == CMP_OK && (mac.len != want_len || !cmp_ct_eq(want, mac.data, want_len))) {
        err = CMP_ERR_MAC;
    }
    cmp_wipe(want, sizeof(want));
    return err;
}
