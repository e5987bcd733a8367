/* SPDX-License-Identifier: Apache-2.0 */
/*
 * crypto/wolf_sig.c: signatures in the wolfSSL provider, selected by the
 * AlgorithmIdentifier as RFC 9481 section 3 lists them: PKCS #1 v1.5 and
 * RSASSA-PSS with SHA-2, ECDSA with SHA-2 on P-256/P-384/P-521, Ed25519.
 *
 * The message is hashed here (Ed25519 signs the message itself). PKCS #1
 * v1.5 verification re-encodes the expected DigestInfo and compares it with
 * the recovered one (RFC 8017 section 8.2.2), so no DigestInfo parser is
 * involved. Every verification failure is CMP_ERR_SIGNATURE, whatever
 * wolfSSL's reason.
 */
#include <string.h>

#include <wolfssl/options.h>
#include <wolfssl/wolfcrypt/error-crypt.h>

#include "wolf_int.h"

#define MAX_RSA_BYTES 1024 /* 8192-bit modulus */

/* scheme_fits: the algorithm must be for the key's type.
 * = https://www.rfc-editor.org/rfc/rfc9481#section-3
 * (one signature algorithm per key type; there is no cross-use) */
static cmp_err scheme_fits(cmp_sig_scheme s, cmp_key_type t)
{
    switch (s) {
    case CMP_SIG_SCHEME_PKCS1:
    case CMP_SIG_SCHEME_PSS:
        CMP_ENSURE(t == CMP_KEY_RSA, CMP_ERR_KEY_TYPE);
        return CMP_OK;
    case CMP_SIG_SCHEME_ECDSA:
        CMP_ENSURE(t == CMP_KEY_EC_P256 || t == CMP_KEY_EC_P384 || t == CMP_KEY_EC_P521,
                   CMP_ERR_KEY_TYPE);
        return CMP_OK;
    case CMP_SIG_SCHEME_ED25519:
        CMP_ENSURE(t == CMP_KEY_ED25519, CMP_ERR_KEY_TYPE);
        return CMP_OK;
    default:
        CMP_FAIL(CMP_ERR_UNKNOWN_ALG);
    }
}

static int mgf_of(cmp_hash_alg h)
{
    switch (h) {
    case CMP_HASH_SHA224:
        return WC_MGF1SHA224;
    case CMP_HASH_SHA256:
        return WC_MGF1SHA256;
    case CMP_HASH_SHA384:
        return WC_MGF1SHA384;
    case CMP_HASH_SHA512:
        return WC_MGF1SHA512;
    default:
        return WC_MGF1NONE;
    }
}

/* digest_info encodes DigestInfo ::= SEQUENCE { digestAlgorithm
 * AlgorithmIdentifier (parameters NULL), digest OCTET STRING }, the
 * encoding RFC 8017 section 9.2 step 2 prescribes. */
static cmp_err digest_info(uint8_t *out, size_t *out_len, cmp_hash_alg h, const uint8_t *dig,
                           size_t dig_len)
{
    cmp_span oid;
    cmp_cder_wr w;
    cmp_buf b = {NULL, 0};
    size_t seq, alg;

    CMP_TRY(cmp_alg_hash_oid(&oid, h));
    cmp_cder_wr_init(&w);
    seq = cmp_cder_open(&w, CDER_SEQUENCE);
    alg = cmp_cder_open(&w, CDER_SEQUENCE);
    cmp_cder_put_tlv(&w, CDER_OID, oid);
    cmp_cder_put_tlv(&w, CDER_NULL, (cmp_span){NULL, 0});
    cmp_cder_close(&w, alg);
    cmp_cder_put_tlv(&w, CDER_OCTET_STRING, (cmp_span){dig, dig_len});
    cmp_cder_close(&w, seq);
    CMP_TRY(cmp_cder_wr_finish(&w, &b));
    if (b.len > 128) {
        cmp_buf_cleanup(&b);
        CMP_FAIL(CMP_ERR_INTERNAL);
    }
    memcpy(out, b.data, b.len);
    *out_len = b.len;
    cmp_buf_cleanup(&b);
    return CMP_OK;
}

/* ------------------------------------------------------------------------ */
/* Signing                                                                  */
/* ------------------------------------------------------------------------ */

static cmp_err sign_rsa(cmp_crypto *c, uint8_t *sig, size_t *sig_len, cmp_key *k,
                        const cmp_sig_alg *sa, const uint8_t *dig, size_t dig_len)
{
    uint8_t di[128];
    size_t di_len;
    int n, cap = wc_RsaEncryptSize(&k->u.rsa);

    CMP_ENSURE(cap > 0 && cap <= MAX_RSA_BYTES, CMP_ERR_KEY_TYPE);
    if (sa->scheme == CMP_SIG_SCHEME_PKCS1) {
        CMP_TRY(digest_info(di, &di_len, sa->hash, dig, dig_len));
        n = wc_RsaSSL_Sign(di, (word32)di_len, sig, (word32)cap, &k->u.rsa, cmp_wolf_rng(c));
    } else {
        n = wc_RsaPSS_Sign_ex(dig, (word32)dig_len, sig, (word32)cap,
                              cmp_wolf_hash_type(sa->hash), mgf_of(sa->hash),
                              (int)sa->pss_salt_len, &k->u.rsa, cmp_wolf_rng(c));
    }
    CMP_ENSURE(n != MEMORY_E, CMP_ERR_NOMEM);
    CMP_ENSURE(n == cap, n == PSS_SALTLEN_E ? CMP_ERR_UNKNOWN_ALG : CMP_ERR_CRYPTO);
    *sig_len = (size_t)n;
    return CMP_OK;
}

/* see wolf_int.h */
cmp_err cmp_wolf_sign(cmp_crypto *c, cmp_buf *out_sig, cmp_key *key, cmp_span alg,
                      cmp_span data)
{
    uint8_t dig[CMP_HASH_MAX_LEN];
    uint8_t sig[MAX_RSA_BYTES];
    size_t dig_len = 0, sig_len = 0;
    word32 n = sizeof(sig);
    cmp_sig_alg sa;
    int rc;

    CMP_TRY(cmp_alg_sig_decode(&sa, alg));
    CMP_TRY(scheme_fits(sa.scheme, key->type));
    CMP_ENSURE(data.len <= UINT32_MAX, CMP_ERR_ARG);
    if (sa.scheme == CMP_SIG_SCHEME_ED25519) {
        /* = https://www.rfc-editor.org/rfc/rfc9481#section-3.3
         * # This document specifies the use of the PureEdDSA. */
        rc = wc_ed25519_sign_msg(data.data, (word32)data.len, sig, &n, &key->u.ed);
        CMP_ENSURE(rc == 0, rc == MEMORY_E ? CMP_ERR_NOMEM : CMP_ERR_CRYPTO);
        sig_len = n;
    } else {
        CMP_TRY(cmp_wolf_digest(dig, &dig_len, sa.hash, data));
        if (sa.scheme == CMP_SIG_SCHEME_ECDSA) {
            /* = https://www.rfc-editor.org/rfc/rfc6979#section-3.2
             * wolfSSL 5.5.4 derives k deterministically only from a 32-octet
             * hash (its RFC 6979 HMAC_DRBG is SHA-256); with SHA-224/384/512
             * k comes from the DRBG, as in FIPS 186-5 section 6.4.1. */
            CMP_ENSURE(wc_ecc_set_deterministic(&key->u.ecc, dig_len == 32) == 0, CMP_ERR_CRYPTO);
            rc = wc_ecc_sign_hash(dig, (word32)dig_len, sig, &n, cmp_wolf_rng(c), &key->u.ecc);
            CMP_ENSURE(rc == 0, rc == MEMORY_E ? CMP_ERR_NOMEM : CMP_ERR_CRYPTO);
            sig_len = n;
        } else {
            CMP_TRY(sign_rsa(c, sig, &sig_len, key, &sa, dig, dig_len));
        }
    }
    out_sig->data = cmp_malloc(sig_len);
    CMP_ENSURE(out_sig->data != NULL, CMP_ERR_NOMEM);
    memcpy(out_sig->data, sig, sig_len);
    out_sig->len = sig_len;
    return CMP_OK;
}

/* ------------------------------------------------------------------------ */
/* Verification                                                             */
/* ------------------------------------------------------------------------ */

/* verify_pkcs1: RFC 8017 section 8.2.2, steps 1 (length), 2 (RSAVP1),
 * 3 (EMSA-PKCS1-v1_5 encoding of the expected digest) and 4 (compare). */
static cmp_err verify_pkcs1(cmp_wolf_pub *p, cmp_hash_alg h, const uint8_t *dig,
                            size_t dig_len, cmp_span sig)
{
    uint8_t buf[MAX_RSA_BYTES], di[128];
    size_t di_len;
    byte *em = NULL;
    int n;

    CMP_ENSURE(sig.len == (size_t)wc_RsaEncryptSize(&p->u.rsa), CMP_ERR_SIGNATURE);
    CMP_ENSURE(sig.len <= sizeof(buf), CMP_ERR_SIGNATURE);
    memcpy(buf, sig.data, sig.len);
    CMP_TRY(digest_info(di, &di_len, h, dig, dig_len));
    n = wc_RsaSSL_VerifyInline(buf, (word32)sig.len, &em, &p->u.rsa);
    CMP_ENSURE(n != MEMORY_E, CMP_ERR_NOMEM);
    CMP_ENSURE(n > 0 && em != NULL && (size_t)n == di_len, CMP_ERR_SIGNATURE);
    CMP_ENSURE(memcmp(em, di, di_len) == 0, CMP_ERR_SIGNATURE);
    return CMP_OK;
}

/* verify_pss: RFC 8017 section 8.1.2 with the salt length the parameters
 * name (EMSA-PSS-VERIFY step 10 checks it). */
static cmp_err verify_pss(cmp_wolf_pub *p, const cmp_sig_alg *sa, const uint8_t *dig,
                          size_t dig_len, cmp_span sig)
{
    uint8_t buf[MAX_RSA_BYTES], em[MAX_RSA_BYTES];
    int n, rc;

    CMP_ENSURE(sig.len == (size_t)wc_RsaEncryptSize(&p->u.rsa), CMP_ERR_SIGNATURE);
    CMP_ENSURE(sig.len <= sizeof(buf), CMP_ERR_SIGNATURE);
    memcpy(buf, sig.data, sig.len);
    n = wc_RsaPSS_Verify_ex(buf, (word32)sig.len, em, sizeof(em), cmp_wolf_hash_type(sa->hash),
                            mgf_of(sa->hash), (int)sa->pss_salt_len, &p->u.rsa);
    CMP_ENSURE(n != MEMORY_E, CMP_ERR_NOMEM);
    CMP_ENSURE(n > 0, CMP_ERR_SIGNATURE);
    rc = wc_RsaPSS_CheckPadding_ex(dig, (word32)dig_len, em, (word32)n,
                                   cmp_wolf_hash_type(sa->hash), (int)sa->pss_salt_len,
                                   mp_count_bits(&p->u.rsa.n));
    CMP_ENSURE(rc == 0, CMP_ERR_SIGNATURE);
    return CMP_OK;
}

/* ecdsa_sig_ok checks Ecdsa-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER }
 * is strict DER with positive values, so that one signature has one
 * encoding (RFC 5480 section 2.2 via RFC 5758 section 3.2). */
static cmp_err ecdsa_sig_ok(cmp_span sig)
{
    cmp_cder_tlv seq, r, s;
    cmp_cder_rd rd;

    CMP_ENSURE(cmp_cder_one(sig, CDER_SEQUENCE, &seq) == CMP_OK, CMP_ERR_SIGNATURE);
    cmp_cder_init(&rd, seq.body);
    CMP_ENSURE(cmp_cder_get(&rd, CDER_INTEGER, &r) == CMP_OK, CMP_ERR_SIGNATURE);
    CMP_ENSURE(cmp_cder_get(&rd, CDER_INTEGER, &s) == CMP_OK, CMP_ERR_SIGNATURE);
    CMP_ENSURE(cmp_cder_end(&rd) == CMP_OK, CMP_ERR_SIGNATURE);
    CMP_ENSURE(cmp_cder_int_ok(r.body) == CMP_OK && cmp_cder_int_ok(s.body) == CMP_OK,
               CMP_ERR_SIGNATURE);
    CMP_ENSURE(r.body.data[0] < 0x80 && s.body.data[0] < 0x80, CMP_ERR_SIGNATURE);
    CMP_ENSURE(r.body.len <= 67 && s.body.len <= 67, CMP_ERR_SIGNATURE);
    return CMP_OK;
}

static cmp_err verify_loaded(cmp_wolf_pub *p, const cmp_sig_alg *sa, cmp_span data,
                             cmp_span sig)
{
    uint8_t dig[CMP_HASH_MAX_LEN];
    size_t dig_len;
    int res = 0, rc;

    if (sa->scheme == CMP_SIG_SCHEME_ED25519) {
        CMP_ENSURE(sig.len == ED25519_SIG_SIZE, CMP_ERR_SIGNATURE);
        rc = wc_ed25519_verify_msg(sig.data, (word32)sig.len, data.data, (word32)data.len,
                                   &res, &p->u.ed);
        CMP_ENSURE(rc != MEMORY_E, CMP_ERR_NOMEM);
        CMP_ENSURE(rc == 0 && res == 1, CMP_ERR_SIGNATURE);
        return CMP_OK;
    }
    CMP_TRY(cmp_wolf_digest(dig, &dig_len, sa->hash, data));
    if (sa->scheme == CMP_SIG_SCHEME_PKCS1) {
        return verify_pkcs1(p, sa->hash, dig, dig_len, sig);
    }
    if (sa->scheme == CMP_SIG_SCHEME_PSS) {
        return verify_pss(p, sa, dig, dig_len, sig);
    }
    CMP_TRY(ecdsa_sig_ok(sig));
    rc = wc_ecc_verify_hash(sig.data, (word32)sig.len, dig, (word32)dig_len, &res, &p->u.ecc);
    CMP_ENSURE(rc != MEMORY_E, CMP_ERR_NOMEM);
    CMP_ENSURE(rc == 0 && res == 1, CMP_ERR_SIGNATURE);
    return CMP_OK;
}

/* see wolf_int.h */
cmp_err cmp_wolf_verify(cmp_crypto *c, cmp_span spki, cmp_span alg, cmp_span data,
                        cmp_span sig)
{
    cmp_wolf_pub p;
    cmp_sig_alg sa;
    cmp_err err;

    CMP_TRY(cmp_alg_sig_decode(&sa, alg));
    CMP_ENSURE(data.len <= UINT32_MAX, CMP_ERR_ARG);
    err = cmp_wolf_pub_load(&p, spki, &c->limits);
    if (err == CMP_OK) {
        err = scheme_fits(sa.scheme, p.type);
    }
    if (err == CMP_OK) {
        err = verify_loaded(&p, &sa, data, sig);
    }
    cmp_wolf_pub_cleanup(&p);
    return err;
}
