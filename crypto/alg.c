/* SPDX-License-Identifier: Apache-2.0 */
/*
 * crypto/alg.c: the algorithms this library accepts, as OID tables compared
 * byte for byte, and the AlgorithmIdentifiers it reads and writes: signature
 * algorithms (RFC 9481 section 3), digests (section 2), PasswordBasedMac and
 * PBMAC1 (section 6.1). An OID not in a table is CMP_ERR_UNKNOWN_ALG.
 */
#include <string.h>

#include "crypto_int.h"

#define SPAN(a) {(a), sizeof(a)}

/* ------------------------------------------------------------------------ */
/* OIDs (contents octets)                                                   */
/* ------------------------------------------------------------------------ */

/* RFC 9481 section 2.1 (SHA-2) and RFC 3279 section 2.2.1 (SHA-1). */
static const uint8_t oid_sha1[] = {0x2b, 0x0e, 0x03, 0x02, 0x1a};
static const uint8_t oid_sha224[] = {0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x04};
static const uint8_t oid_sha256[] = {0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01};
static const uint8_t oid_sha384[] = {0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02};
static const uint8_t oid_sha512[] = {0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03};

/* RFC 9481 section 6.2.1 (hmacWithSHA*), RFC 8018 (hmacWithSHA1), and
 * RFC 4210's hmac-sha1 {1 3 6 1 5 5 8 1 2}, which OpenSSL uses in PBM. */
static const uint8_t oid_hmac_sha1[] = {0x2b, 0x06, 0x01, 0x05, 0x05, 0x08, 0x01, 0x02};
static const uint8_t oid_hmac_with_sha1[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x02, 0x07};
static const uint8_t oid_hmac_sha224[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x02, 0x08};
static const uint8_t oid_hmac_sha256[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x02, 0x09};
static const uint8_t oid_hmac_sha384[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x02, 0x0a};
static const uint8_t oid_hmac_sha512[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x02, 0x0b};

/* RFC 9481 sections 6.1.1, 6.1.2 and 4.5.1.1. */
static const uint8_t oid_pbm[] = {0x2a, 0x86, 0x48, 0x86, 0xf6, 0x7d, 0x07, 0x42, 0x0d};
static const uint8_t oid_pbmac1[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x05, 0x0e};
static const uint8_t oid_pbkdf2[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x05, 0x0c};

/* RFC 9481 section 3.1. */
static const uint8_t oid_rsa_enc[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01};
static const uint8_t oid_sha224_rsa[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0e};
static const uint8_t oid_sha256_rsa[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b};
static const uint8_t oid_sha384_rsa[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0c};
static const uint8_t oid_sha512_rsa[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0d};
static const uint8_t oid_rsa_pss[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0a};
static const uint8_t oid_mgf1[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x08};

/* RFC 9481 section 3.2. */
static const uint8_t oid_ec_pub[] = {0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01};
static const uint8_t oid_ecdsa_sha224[] = {0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x01};
static const uint8_t oid_ecdsa_sha256[] = {0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02};
static const uint8_t oid_ecdsa_sha384[] = {0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x03};
static const uint8_t oid_ecdsa_sha512[] = {0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x04};
static const uint8_t oid_p256[] = {0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07};
static const uint8_t oid_p384[] = {0x2b, 0x81, 0x04, 0x00, 0x22};
static const uint8_t oid_p521[] = {0x2b, 0x81, 0x04, 0x00, 0x23};

/* RFC 9481 section 3.3. */
static const uint8_t oid_ed25519[] = {0x2b, 0x65, 0x70};

const cmp_span cmp_alg_oid_rsa_encryption = SPAN(oid_rsa_enc);
const cmp_span cmp_alg_oid_ec_public_key = SPAN(oid_ec_pub);
const cmp_span cmp_alg_oid_ed25519 = SPAN(oid_ed25519);
const cmp_span cmp_alg_oid_p256 = SPAN(oid_p256);
const cmp_span cmp_alg_oid_p384 = SPAN(oid_p384);
const cmp_span cmp_alg_oid_p521 = SPAN(oid_p521);

typedef struct oid_map {
    cmp_span oid;
    int a; /* the value the OID stands for (a hash, a scheme, ...) */
    int b;
} oid_map;

static const oid_map hash_oids[] = {
    {SPAN(oid_sha1), CMP_HASH_SHA1, 0},     {SPAN(oid_sha224), CMP_HASH_SHA224, 0},
    {SPAN(oid_sha256), CMP_HASH_SHA256, 0}, {SPAN(oid_sha384), CMP_HASH_SHA384, 0},
    {SPAN(oid_sha512), CMP_HASH_SHA512, 0},
};

static const oid_map hmac_oids[] = {
    {SPAN(oid_hmac_sha1), CMP_HASH_SHA1, 0},     {SPAN(oid_hmac_with_sha1), CMP_HASH_SHA1, 0},
    {SPAN(oid_hmac_sha224), CMP_HASH_SHA224, 0}, {SPAN(oid_hmac_sha256), CMP_HASH_SHA256, 0},
    {SPAN(oid_hmac_sha384), CMP_HASH_SHA384, 0}, {SPAN(oid_hmac_sha512), CMP_HASH_SHA512, 0},
};

/* Signature OIDs with fixed parameters: {oid, scheme, hash}. */
static const oid_map sig_oids[] = {
    {SPAN(oid_sha224_rsa), CMP_SIG_SCHEME_PKCS1, CMP_HASH_SHA224},
    {SPAN(oid_sha256_rsa), CMP_SIG_SCHEME_PKCS1, CMP_HASH_SHA256},
    {SPAN(oid_sha384_rsa), CMP_SIG_SCHEME_PKCS1, CMP_HASH_SHA384},
    {SPAN(oid_sha512_rsa), CMP_SIG_SCHEME_PKCS1, CMP_HASH_SHA512},
    {SPAN(oid_ecdsa_sha224), CMP_SIG_SCHEME_ECDSA, CMP_HASH_SHA224},
    {SPAN(oid_ecdsa_sha256), CMP_SIG_SCHEME_ECDSA, CMP_HASH_SHA256},
    {SPAN(oid_ecdsa_sha384), CMP_SIG_SCHEME_ECDSA, CMP_HASH_SHA384},
    {SPAN(oid_ecdsa_sha512), CMP_SIG_SCHEME_ECDSA, CMP_HASH_SHA512},
    {SPAN(oid_ed25519), CMP_SIG_SCHEME_ED25519, CMP_HASH_SHA512},
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const oid_map *find_oid(const oid_map *tab, size_t n, cmp_span oid)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (cmp_cder_span_eq(tab[i].oid, oid)) {
            return &tab[i];
        }
    }
    return NULL;
}

/* ------------------------------------------------------------------------ */
/* AlgorithmIdentifier                                                      */
/* ------------------------------------------------------------------------ */

/* see crypto_int.h */
cmp_err cmp_alg_alg_id(cmp_span alg, cmp_span *oid, cmp_span *params)
{
    cmp_cder_tlv seq, o, p;
    cmp_cder_rd rd;

    CMP_TRY(cmp_cder_one(alg, CDER_SEQUENCE, &seq));
    cmp_cder_init(&rd, seq.body);
    CMP_TRY(cmp_cder_get(&rd, CDER_OID, &o));
    CMP_ENSURE(o.body.len > 0, CMP_ERR_DECODE);
    params->data = NULL;
    params->len = 0;
    if (cmp_cder_left(&rd) > 0) {
        CMP_TRY(cmp_cder_get_any(&rd, &p));
        *params = p.whole;
    }
    CMP_TRY(cmp_cder_end(&rd));
    *oid = o.body;
    return CMP_OK;
}

/* params_null_or_absent: RFC 5754 section 2 and RFC 4055 section 2.1 let
 * digest and PKCS #1 algorithms carry NULL or no parameters. */
static cmp_err params_null_or_absent(cmp_span params)
{
    static const uint8_t null_der[] = {0x05, 0x00};
    static const cmp_span null_span = SPAN(null_der);

    CMP_ENSURE(params.len == 0 || cmp_cder_span_eq(params, null_span), CMP_ERR_UNKNOWN_ALG);
    return CMP_OK;
}

/* read an AlgorithmIdentifier TLV from |rd| into oid/params. */
static cmp_err get_alg_id(cmp_cder_rd *rd, cmp_span *oid, cmp_span *params)
{
    cmp_cder_tlv t;

    CMP_TRY(cmp_cder_get(rd, CDER_SEQUENCE, &t));
    return cmp_alg_alg_id(t.whole, oid, params);
}

/* see crypto_int.h */
cmp_err cmp_alg_hash_by_oid(cmp_hash_alg *out, cmp_span oid)
{
    const oid_map *m = find_oid(hash_oids, COUNT(hash_oids), oid);

    CMP_ENSURE(m != NULL, CMP_ERR_UNKNOWN_ALG);
    *out = (cmp_hash_alg)m->a;
    return CMP_OK;
}

/* see crypto_int.h */
cmp_err cmp_alg_hmac_by_oid(cmp_hash_alg *out, cmp_span oid)
{
    const oid_map *m = find_oid(hmac_oids, COUNT(hmac_oids), oid);

    CMP_ENSURE(m != NULL, CMP_ERR_UNKNOWN_ALG);
    *out = (cmp_hash_alg)m->a;
    return CMP_OK;
}

/* see crypto_int.h */
cmp_err cmp_alg_hash_oid(cmp_span *out, cmp_hash_alg hash)
{
    size_t i;

    for (i = 0; i < COUNT(hash_oids); i++) {
        if (hash_oids[i].a == (int)hash) {
            *out = hash_oids[i].oid;
            return CMP_OK;
        }
    }
    CMP_FAIL(CMP_ERR_UNKNOWN_ALG);
}

/* decode a digest AlgorithmIdentifier TLV from |rd|. */
static cmp_err get_hash_alg(cmp_cder_rd *rd, cmp_hash_alg *out)
{
    cmp_span oid, params;

    CMP_TRY(get_alg_id(rd, &oid, &params));
    CMP_TRY(cmp_alg_hash_by_oid(out, oid));
    return params_null_or_absent(params);
}

/* ------------------------------------------------------------------------ */
/* Signature algorithms (RFC 9481 section 3)                                */
/* ------------------------------------------------------------------------ */

/* decode_pss reads RSASSA-PSS-params.
 * = https://www.rfc-editor.org/rfc/rfc4055#section-3.1
 * # RSASSA-PSS-params  ::=  SEQUENCE  {
 * #    hashAlgorithm      [0] HashAlgorithm DEFAULT sha1Identifier,
 * #    maskGenAlgorithm   [1] MaskGenAlgorithm DEFAULT mgf1SHA1Identifier,
 * #    saltLength         [2] INTEGER DEFAULT 20,
 * #    trailerField       [3] INTEGER DEFAULT 1  }
 * SHA-1 (the defaults) is not a signature hash of RFC 9481, and the MGF1
 * hash must be the message hash, as RFC 4055 section 3.1 recommends. */
static cmp_err decode_pss(cmp_sig_alg *out, cmp_span params)
{
    cmp_cder_rd rd, x, mgf;
    cmp_cder_tlv seq;
    cmp_span oid, mgf_params;
    cmp_hash_alg hash, mgf_hash;
    uint32_t salt = 20, trailer = 1;

    CMP_TRY(cmp_cder_one(params, CDER_SEQUENCE, &seq));
    cmp_cder_init(&rd, seq.body);
    CMP_ENSURE(cmp_cder_peek(&rd) == CDER_CTX_CONS(0), CMP_ERR_UNKNOWN_ALG);
    CMP_TRY(cmp_cder_enter(&rd, CDER_CTX_CONS(0), &x));
    CMP_TRY(get_hash_alg(&x, &hash));
    CMP_TRY(cmp_cder_end(&x));
    CMP_ENSURE(cmp_cder_peek(&rd) == CDER_CTX_CONS(1), CMP_ERR_UNKNOWN_ALG);
    CMP_TRY(cmp_cder_enter(&rd, CDER_CTX_CONS(1), &x));
    CMP_TRY(get_alg_id(&x, &oid, &mgf_params));
    CMP_TRY(cmp_cder_end(&x));
    CMP_ENSURE(cmp_cder_span_eq(oid, (cmp_span)SPAN(oid_mgf1)), CMP_ERR_UNKNOWN_ALG);
    cmp_cder_init(&mgf, mgf_params);
    CMP_TRY(get_hash_alg(&mgf, &mgf_hash));
    CMP_TRY(cmp_cder_end(&mgf));
    if (cmp_cder_peek(&rd) == CDER_CTX_CONS(2)) {
        CMP_TRY(cmp_cder_enter(&rd, CDER_CTX_CONS(2), &x));
        CMP_TRY(cmp_cder_get_u32(&x, &salt));
        CMP_TRY(cmp_cder_end(&x));
    }
    if (cmp_cder_peek(&rd) == CDER_CTX_CONS(3)) {
        CMP_TRY(cmp_cder_enter(&rd, CDER_CTX_CONS(3), &x));
        CMP_TRY(cmp_cder_get_u32(&x, &trailer));
        CMP_TRY(cmp_cder_end(&x));
    }
    CMP_TRY(cmp_cder_end(&rd));
    CMP_ENSURE(hash != CMP_HASH_SHA1 && hash == mgf_hash && trailer == 1, CMP_ERR_UNKNOWN_ALG);
    CMP_ENSURE(salt <= 1024, CMP_ERR_UNKNOWN_ALG);
    out->scheme = CMP_SIG_SCHEME_PSS;
    out->hash = hash;
    out->pss_salt_len = salt;
    return CMP_OK;
}

/* see crypto_int.h */
cmp_err cmp_alg_sig_decode(cmp_sig_alg *out, cmp_span alg)
{
    cmp_span oid, params;
    const oid_map *m;

    CMP_TRY(cmp_alg_alg_id(alg, &oid, &params));
    if (cmp_cder_span_eq(oid, (cmp_span)SPAN(oid_rsa_pss))) {
        return decode_pss(out, params);
    }
    m = find_oid(sig_oids, COUNT(sig_oids), oid);
    CMP_ENSURE(m != NULL, CMP_ERR_UNKNOWN_ALG);
    if (m->a == CMP_SIG_SCHEME_ED25519) {
        /* = https://www.rfc-editor.org/rfc/rfc8410#section-3
         * # For all of the OIDs, the parameters MUST be absent. */
        CMP_ENSURE(params.len == 0, CMP_ERR_UNKNOWN_ALG);
    } else {
        /* PKCS #1: NULL (RFC 4055 section 5); ECDSA: absent (RFC 5758
         * section 3.2), NULL tolerated as OpenSSL 1.0 wrote it. */
        CMP_TRY(params_null_or_absent(params));
    }
    out->scheme = (cmp_sig_scheme)m->a;
    out->hash = (cmp_hash_alg)m->b;
    out->pss_salt_len = 0;
    return CMP_OK;
}

/* The AlgorithmIdentifiers we emit. PKCS #1 with NULL parameters, ECDSA and
 * Ed25519 without; PSS with hash parameters absent (RFC 4055 section 2.1
 * allows both; OpenSSL writes them absent) and saltLength = hash length. */
#define RSA_ALG(last) {0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, \
                       (last), 0x05, 0x00}
#define ECDSA_ALG(last) {0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, (last)}
#define SHA2_ALG(last) 0x30, 0x0b, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, \
                       (last)
#define PSS_ALG(h, salt) {0x30, 0x3d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, \
    0x0a, 0x30, 0x30, 0xa0, 0x0d, SHA2_ALG(h), 0xa1, 0x1a, 0x30, 0x18, 0x06, 0x09, 0x2a, 0x86, \
    0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x08, SHA2_ALG(h), 0xa2, 0x03, 0x02, 0x01, (salt)}

static const uint8_t der_sha224_rsa[] = RSA_ALG(0x0e);
static const uint8_t der_sha256_rsa[] = RSA_ALG(0x0b);
static const uint8_t der_sha384_rsa[] = RSA_ALG(0x0c);
static const uint8_t der_sha512_rsa[] = RSA_ALG(0x0d);
static const uint8_t der_ecdsa_sha224[] = ECDSA_ALG(0x01);
static const uint8_t der_ecdsa_sha256[] = ECDSA_ALG(0x02);
static const uint8_t der_ecdsa_sha384[] = ECDSA_ALG(0x03);
static const uint8_t der_ecdsa_sha512[] = ECDSA_ALG(0x04);
static const uint8_t der_pss_sha224[] = PSS_ALG(0x04, 28);
static const uint8_t der_pss_sha256[] = PSS_ALG(0x01, 32);
static const uint8_t der_pss_sha384[] = PSS_ALG(0x02, 48);
static const uint8_t der_pss_sha512[] = PSS_ALG(0x03, 64);
static const uint8_t der_ed25519[] = {0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70};

static const oid_map sig_encodings[] = {
    {SPAN(der_sha224_rsa), CMP_SIG_SCHEME_PKCS1, CMP_HASH_SHA224},
    {SPAN(der_sha256_rsa), CMP_SIG_SCHEME_PKCS1, CMP_HASH_SHA256},
    {SPAN(der_sha384_rsa), CMP_SIG_SCHEME_PKCS1, CMP_HASH_SHA384},
    {SPAN(der_sha512_rsa), CMP_SIG_SCHEME_PKCS1, CMP_HASH_SHA512},
    {SPAN(der_pss_sha224), CMP_SIG_SCHEME_PSS, CMP_HASH_SHA224},
    {SPAN(der_pss_sha256), CMP_SIG_SCHEME_PSS, CMP_HASH_SHA256},
    {SPAN(der_pss_sha384), CMP_SIG_SCHEME_PSS, CMP_HASH_SHA384},
    {SPAN(der_pss_sha512), CMP_SIG_SCHEME_PSS, CMP_HASH_SHA512},
    {SPAN(der_ecdsa_sha224), CMP_SIG_SCHEME_ECDSA, CMP_HASH_SHA224},
    {SPAN(der_ecdsa_sha256), CMP_SIG_SCHEME_ECDSA, CMP_HASH_SHA256},
    {SPAN(der_ecdsa_sha384), CMP_SIG_SCHEME_ECDSA, CMP_HASH_SHA384},
    {SPAN(der_ecdsa_sha512), CMP_SIG_SCHEME_ECDSA, CMP_HASH_SHA512},
    {SPAN(der_ed25519), CMP_SIG_SCHEME_ED25519, CMP_HASH_SHA512},
};

/* see crypto_int.h */
cmp_err cmp_alg_sig_encoding(cmp_span *out, cmp_sig_scheme scheme, cmp_hash_alg hash)
{
    size_t i;

    for (i = 0; i < COUNT(sig_encodings); i++) {
        if (sig_encodings[i].a == (int)scheme && sig_encodings[i].b == (int)hash) {
            *out = sig_encodings[i].oid;
            return CMP_OK;
        }
    }
    CMP_FAIL(CMP_ERR_UNKNOWN_ALG);
}

/* ------------------------------------------------------------------------ */
/* Password-based MACs (RFC 9481 section 6.1)                               */
/* ------------------------------------------------------------------------ */

/* see crypto_int.h */
int cmp_alg_is_mac_oid(cmp_span oid)
{
    return cmp_cder_span_eq(oid, (cmp_span)SPAN(oid_pbm)) ||
           cmp_cder_span_eq(oid, (cmp_span)SPAN(oid_pbmac1));
}

/* check_limits applies the caller's limits before any work.
 * = https://www.rfc-editor.org/rfc/rfc9810#section-5.1.3.1
 * # Note:  Implementations MAY wish to limit acceptable sizes
 * # of this integer to values appropriate for their environment
 * # in order to reduce the risk of denial-of-service attacks. */
static cmp_err check_limits(const cmp_mac_params *p, const cmp_crypto_limits *lim)
{
    CMP_ENSURE(p->iterations >= lim->min_iterations, CMP_ERR_ITERATIONS);
    CMP_ENSURE(p->iterations <= lim->max_iterations, CMP_ERR_ITERATIONS);
    CMP_ENSURE(p->salt_len >= lim->min_salt_len, CMP_ERR_UNKNOWN_ALG);
    CMP_ENSURE(p->salt_len <= lim->max_salt_len, CMP_ERR_UNKNOWN_ALG);
    return CMP_OK;
}

/* get_iterations reads iterationCount INTEGER. A value out of 32-bit range
 * is kept as 0 (negative or zero) or UINT32_MAX (too large), so that
 * check_limits reports CMP_ERR_ITERATIONS for it, not a decoding error. */
static cmp_err get_iterations(cmp_cder_rd *rd, uint32_t *out)
{
    cmp_cder_tlv t;
    uint32_t v = 0;
    size_t i;

    CMP_TRY(cmp_cder_get(rd, CDER_INTEGER, &t));
    CMP_TRY(cmp_cder_int_ok(t.body));
    if (t.body.data[0] >= 0x80) {
        *out = 0;
        return CMP_OK;
    }
    if (t.body.len > 5 || (t.body.len == 5 && t.body.data[0] != 0)) {
        *out = UINT32_MAX;
        return CMP_OK;
    }
    for (i = 0; i < t.body.len; i++) {
        v = (v << 8) | t.body.data[i];
    }
    *out = v;
    return CMP_OK;
}

/* decode_pbm reads PBMParameter (RFC 9810 section 5.1.3.1):
 * SEQUENCE { salt OCTET STRING, owf AlgorithmIdentifier,
 *            iterationCount INTEGER, mac AlgorithmIdentifier } */
static cmp_err decode_pbm(cmp_mac_params *out, cmp_span params)
{
    cmp_cder_tlv seq, salt;
    cmp_cder_rd rd;
    cmp_span oid, mparams;

    CMP_TRY(cmp_cder_one(params, CDER_SEQUENCE, &seq));
    cmp_cder_init(&rd, seq.body);
    CMP_TRY(cmp_cder_get(&rd, CDER_OCTET_STRING, &salt));
    CMP_TRY(get_hash_alg(&rd, &out->owf));
    CMP_TRY(get_iterations(&rd, &out->iterations));
    CMP_TRY(get_alg_id(&rd, &oid, &mparams));
    CMP_TRY(cmp_cder_end(&rd));
    CMP_TRY(cmp_alg_hmac_by_oid(&out->mac, oid));
    CMP_TRY(params_null_or_absent(mparams));
    out->kind = CMP_MAC_PBM;
    out->salt = salt.body;
    out->salt_len = salt.body.len;
    out->key_len = 0;
    return CMP_OK;
}

/* decode_hmac_sha2 reads an hmacWithSHA2 AlgorithmIdentifier: PBMAC1 and
 * PBKDF2 take only these (RFC 9481 section 6.1.2: "with HMAC-SHA2"). */
static cmp_err decode_hmac_sha2(cmp_cder_rd *rd, cmp_hash_alg *out)
{
    cmp_span oid, params;

    CMP_TRY(get_alg_id(rd, &oid, &params));
    CMP_TRY(cmp_alg_hmac_by_oid(out, oid));
    CMP_ENSURE(*out != CMP_HASH_SHA1, CMP_ERR_UNKNOWN_ALG);
    return params_null_or_absent(params);
}

/* decode_pbkdf2 reads PBKDF2-params (RFC 8018 appendix A.2):
 * SEQUENCE { salt CHOICE { specified OCTET STRING, ... }, iterationCount
 * INTEGER, keyLength INTEGER OPTIONAL, prf AlgorithmIdentifier DEFAULT
 * algid-hmacWithSHA1 }. The default PRF is SHA-1, which RFC 9481 section
 * 6.1.2 does not allow, so prf must be present. */
static cmp_err decode_pbkdf2(cmp_mac_params *out, cmp_span alg)
{
    cmp_span oid, params;
    cmp_cder_tlv seq, salt;
    cmp_cder_rd rd;
    uint32_t key_len = 0;

    CMP_TRY(cmp_alg_alg_id(alg, &oid, &params));
    CMP_ENSURE(cmp_cder_span_eq(oid, (cmp_span)SPAN(oid_pbkdf2)), CMP_ERR_UNKNOWN_ALG);
    CMP_TRY(cmp_cder_one(params, CDER_SEQUENCE, &seq));
    cmp_cder_init(&rd, seq.body);
    CMP_ENSURE(cmp_cder_peek(&rd) == CDER_OCTET_STRING, CMP_ERR_UNKNOWN_ALG);
    CMP_TRY(cmp_cder_get(&rd, CDER_OCTET_STRING, &salt));
    CMP_TRY(get_iterations(&rd, &out->iterations));
    if (cmp_cder_peek(&rd) == CDER_INTEGER) {
        CMP_TRY(cmp_cder_get_u32(&rd, &key_len));
        CMP_ENSURE(key_len >= 1, CMP_ERR_UNKNOWN_ALG);
    }
    CMP_ENSURE(cmp_cder_peek(&rd) == CDER_SEQUENCE, CMP_ERR_UNKNOWN_ALG);
    CMP_TRY(decode_hmac_sha2(&rd, &out->owf));
    CMP_TRY(cmp_cder_end(&rd));
    out->salt = salt.body;
    out->salt_len = salt.body.len;
    out->key_len = key_len;
    return CMP_OK;
}

/* decode_pbmac1 reads PBMAC1-params (RFC 8018 appendix A.5):
 * SEQUENCE { keyDerivationFunc AlgorithmIdentifier {{PBMAC1-KDFs}},
 *            messageAuthScheme AlgorithmIdentifier {{PBMAC1-MACs}} } */
static cmp_err decode_pbmac1(cmp_mac_params *out, cmp_span params)
{
    cmp_cder_tlv seq, kdf;
    cmp_cder_rd rd;

    CMP_TRY(cmp_cder_one(params, CDER_SEQUENCE, &seq));
    cmp_cder_init(&rd, seq.body);
    CMP_TRY(cmp_cder_get(&rd, CDER_SEQUENCE, &kdf));
    CMP_TRY(decode_pbkdf2(out, kdf.whole));
    CMP_TRY(decode_hmac_sha2(&rd, &out->mac));
    CMP_TRY(cmp_cder_end(&rd));
    if (out->key_len == 0) {
        out->key_len = cmp_crypto_hash_len(out->mac);
    }
    /* PBKDF2's work grows with keyLength: bound it like the iterations. */
    CMP_ENSURE(out->key_len <= CMP_HASH_MAX_LEN, CMP_ERR_UNKNOWN_ALG);
    out->kind = CMP_MAC_PBMAC1;
    return CMP_OK;
}

/* see crypto_int.h */
cmp_err cmp_alg_mac_decode(cmp_mac_params *out, cmp_span alg, const cmp_crypto_limits *lim)
{
    cmp_span oid, params;
    cmp_mac_params p;

    memset(&p, 0, sizeof(p));
    CMP_TRY(cmp_alg_alg_id(alg, &oid, &params));
    if (cmp_cder_span_eq(oid, (cmp_span)SPAN(oid_pbm))) {
        CMP_TRY(decode_pbm(&p, params));
    } else if (cmp_cder_span_eq(oid, (cmp_span)SPAN(oid_pbmac1))) {
        CMP_TRY(decode_pbmac1(&p, params));
    } else {
        CMP_FAIL(CMP_ERR_UNKNOWN_ALG);
    }
    CMP_TRY(check_limits(&p, lim));
    *out = p;
    return CMP_OK;
}

/* put_alg writes AlgorithmIdentifier { oid, NULL or nothing }. */
static void put_alg(cmp_cder_wr *w, cmp_span oid, int with_null)
{
    size_t pos = cmp_cder_open(w, CDER_SEQUENCE);

    cmp_cder_put_tlv(w, CDER_OID, oid);
    if (with_null) {
        cmp_cder_put_tlv(w, CDER_NULL, (cmp_span){NULL, 0});
    }
    cmp_cder_close(w, pos);
}

/* hmac_oid: hmacWithSHA* (RFC 8018 appendix B.1); for SHA-1, which only PBM
 * allows, RFC 4210's hmac-sha1, the OID OpenSSL writes. */
static cmp_err hmac_oid(cmp_span *out, cmp_hash_alg hash)
{
    size_t i;

    if (hash == CMP_HASH_SHA1) {
        *out = hmac_oids[0].oid;
        return CMP_OK;
    }
    for (i = 0; i < COUNT(hmac_oids); i++) {
        if (hmac_oids[i].a == (int)hash) {
            *out = hmac_oids[i].oid;
            return CMP_OK;
        }
    }
    CMP_FAIL(CMP_ERR_UNKNOWN_ALG);
}

/* put_pbm writes id-PasswordBasedMac with PBMParameter. */
static void put_pbm(cmp_cder_wr *w, const cmp_mac_params *p, cmp_span salt, cmp_span owf,
                    cmp_span mac)
{
    size_t seq;

    cmp_cder_put_tlv(w, CDER_OID, (cmp_span)SPAN(oid_pbm));
    seq = cmp_cder_open(w, CDER_SEQUENCE);
    cmp_cder_put_tlv(w, CDER_OCTET_STRING, salt);
    put_alg(w, owf, 0);
    cmp_cder_put_u32(w, p->iterations);
    put_alg(w, mac, 1);
    cmp_cder_close(w, seq);
}

/* put_pbmac1 writes id-PBMAC1 with PBMAC1-params and PBKDF2-params; the
 * keyLength is always present (RFC 9579 section 3 requires it for PBMAC1). */
static void put_pbmac1(cmp_cder_wr *w, const cmp_mac_params *p, cmp_span salt, cmp_span prf,
                       cmp_span mac)
{
    size_t seq, kdf, kdfp;
    size_t key_len = p->key_len != 0 ? p->key_len : cmp_crypto_hash_len(p->mac);

    cmp_cder_put_tlv(w, CDER_OID, (cmp_span)SPAN(oid_pbmac1));
    seq = cmp_cder_open(w, CDER_SEQUENCE);
    kdf = cmp_cder_open(w, CDER_SEQUENCE);
    cmp_cder_put_tlv(w, CDER_OID, (cmp_span)SPAN(oid_pbkdf2));
    kdfp = cmp_cder_open(w, CDER_SEQUENCE);
    cmp_cder_put_tlv(w, CDER_OCTET_STRING, salt);
    cmp_cder_put_u32(w, p->iterations);
    cmp_cder_put_u32(w, (uint32_t)key_len);
    put_alg(w, prf, 1);
    cmp_cder_close(w, kdfp);
    cmp_cder_close(w, kdf);
    put_alg(w, mac, 1);
    cmp_cder_close(w, seq);
}

/* see crypto_int.h. Digest parameters absent (RFC 5754 section 2),
 * hmacWithSHA* with NULL (RFC 8018 appendix B.1.2), as OpenSSL writes them. */
cmp_err cmp_alg_mac_encode(cmp_buf *out, const cmp_mac_params *p, cmp_span salt)
{
    cmp_span owf, mac;
    cmp_cder_wr w;
    size_t top;

    CMP_TRY(hmac_oid(&mac, p->mac));
    if (p->kind == CMP_MAC_PBM) {
        CMP_TRY(cmp_alg_hash_oid(&owf, p->owf));
    } else if (p->kind == CMP_MAC_PBMAC1) {
        CMP_ENSURE(p->owf != CMP_HASH_SHA1 && p->mac != CMP_HASH_SHA1, CMP_ERR_UNKNOWN_ALG);
        CMP_ENSURE(p->key_len <= CMP_HASH_MAX_LEN, CMP_ERR_UNKNOWN_ALG);
        CMP_TRY(hmac_oid(&owf, p->owf));
    } else {
        CMP_FAIL(CMP_ERR_UNKNOWN_ALG);
    }
    cmp_cder_wr_init(&w);
    top = cmp_cder_open(&w, CDER_SEQUENCE);
    if (p->kind == CMP_MAC_PBM) {
        put_pbm(&w, p, salt, owf, mac);
    } else {
        put_pbmac1(&w, p, salt, owf, mac);
    }
    cmp_cder_close(&w, top);
    return cmp_cder_wr_finish(&w, out);
}
