/* SPDX-License-Identifier: Apache-2.0 */
/*
 * crypto/crypto.c: the cmp_crypto_* entry points. Each checks its arguments
 * and either calls the provider's slot or does provider-independent work
 * (AlgorithmIdentifier tables, certificate hashes, key identifiers) on top
 * of the provider's hash.
 */
#include <string.h>

#include "crypto_int.h"

/* span_ok: a span is either empty or has data. */
static int span_ok(cmp_span s)
{
    return s.data != NULL || s.len == 0;
}

static int prov_ok(const cmp_crypto *c)
{
    return c != NULL && c->ops != NULL && c->impl != NULL;
}

/* see cmp_crypto.h */
void cmp_crypto_limits_default(cmp_crypto_limits *out)
{
    out->min_iterations = 100;
    out->max_iterations = 100000;
    out->min_salt_len = 8;
    out->max_salt_len = 64;
    out->max_chain_len = 8;
    out->min_rsa_bits = 2048;
    out->max_rsa_bits = 8192;
}

/* see cmp_crypto.h */
void cmp_crypto_free(cmp_crypto *c)
{
    if (c != NULL && c->ops != NULL && c->ops->destroy != NULL) {
        c->ops->destroy(c);
    }
}

/* see cmp_crypto.h */
const char *cmp_crypto_name(const cmp_crypto *c)
{
    return c != NULL && c->ops != NULL && c->ops->name != NULL ? c->ops->name : "none";
}

/* see cmp_crypto.h */
cmp_err cmp_crypto_random(cmp_crypto *c, uint8_t *out, size_t len)
{
    CMP_ENSURE(prov_ok(c) && (out != NULL || len == 0), CMP_ERR_ARG);
    if (len == 0) {
        return CMP_OK;
    }
    return c->ops->random(c, out, len);
}

/* ------------------------------------------------------------------------ */
/* Hashes                                                                   */
/* ------------------------------------------------------------------------ */

/* see cmp_crypto.h */
size_t cmp_crypto_hash_len(cmp_hash_alg alg)
{
    switch (alg) {
    case CMP_HASH_SHA1:
        return 20;
    case CMP_HASH_SHA224:
        return 28;
    case CMP_HASH_SHA256:
        return 32;
    case CMP_HASH_SHA384:
        return 48;
    case CMP_HASH_SHA512:
        return 64;
    default:
        return 0;
    }
}

/* see cmp_crypto.h */
cmp_err cmp_crypto_hash(cmp_crypto *c, uint8_t out[CMP_HASH_MAX_LEN], size_t *out_len,
                        cmp_hash_alg alg, cmp_span data)
{
    CMP_ENSURE(prov_ok(c) && out != NULL && out_len != NULL && span_ok(data), CMP_ERR_ARG);
    CMP_ENSURE(cmp_crypto_hash_len(alg) != 0, CMP_ERR_UNKNOWN_ALG);
    return c->ops->hash(c, out, out_len, alg, data);
}

static int lower(int ch)
{
    return ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch;
}

/* see cmp_crypto.h */
cmp_err cmp_crypto_hash_from_name(cmp_hash_alg *out, const char *name)
{
    static const struct {
        const char *name;
        cmp_hash_alg alg;
    } names[] = {{"sha1", CMP_HASH_SHA1},     {"sha224", CMP_HASH_SHA224},
                 {"sha256", CMP_HASH_SHA256}, {"sha384", CMP_HASH_SHA384},
                 {"sha512", CMP_HASH_SHA512}};
    char norm[8];
    size_t i, n = 0;

    CMP_ENSURE(out != NULL && name != NULL, CMP_ERR_ARG);
    for (i = 0; name[i] != '\0'; i++) {
        if (name[i] == '-') {
            continue; /* "SHA-256" */
        }
        CMP_ENSURE(n < sizeof(norm) - 1, CMP_ERR_UNKNOWN_ALG);
        norm[n++] = (char)lower((unsigned char)name[i]);
    }
    norm[n] = '\0';
    for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        if (strcmp(norm, names[i].name) == 0) {
            *out = names[i].alg;
            return CMP_OK;
        }
    }
    CMP_FAIL(CMP_ERR_UNKNOWN_ALG);
}

/* see cmp_crypto.h. The encodings are static tables of DER. */
cmp_err cmp_crypto_hash_alg_encode(cmp_span *out, cmp_hash_alg alg)
{
#define HASH_ALG(last) {0x30, 0x0b, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, \
                        0x02, (last)}
    static const uint8_t sha1[] = {0x30, 0x07, 0x06, 0x05, 0x2b, 0x0e, 0x03, 0x02, 0x1a};
    static const uint8_t sha224[] = HASH_ALG(0x04);
    static const uint8_t sha256[] = HASH_ALG(0x01);
    static const uint8_t sha384[] = HASH_ALG(0x02);
    static const uint8_t sha512[] = HASH_ALG(0x03);
#undef HASH_ALG

    CMP_ENSURE(out != NULL, CMP_ERR_ARG);
    switch (alg) {
    case CMP_HASH_SHA1:
        *out = (cmp_span){sha1, sizeof(sha1)};
        return CMP_OK;
    case CMP_HASH_SHA224:
        *out = (cmp_span){sha224, sizeof(sha224)};
        return CMP_OK;
    case CMP_HASH_SHA256:
        *out = (cmp_span){sha256, sizeof(sha256)};
        return CMP_OK;
    case CMP_HASH_SHA384:
        *out = (cmp_span){sha384, sizeof(sha384)};
        return CMP_OK;
    case CMP_HASH_SHA512:
        *out = (cmp_span){sha512, sizeof(sha512)};
        return CMP_OK;
    default:
        CMP_FAIL(CMP_ERR_UNKNOWN_ALG);
    }
}

/* see cmp_crypto.h */
cmp_err cmp_crypto_hash_alg_decode(cmp_hash_alg *out, cmp_span alg)
{
    static const uint8_t null_der[] = {0x05, 0x00};
    cmp_span oid, params;

    CMP_ENSURE(out != NULL && span_ok(alg), CMP_ERR_ARG);
    CMP_TRY(cmp_alg_alg_id(alg, &oid, &params));
    CMP_TRY(cmp_alg_hash_by_oid(out, oid));
    CMP_ENSURE(params.len == 0 || cmp_cder_span_eq(params, (cmp_span){null_der, 2}),
               CMP_ERR_UNKNOWN_ALG);
    return CMP_OK;
}

/* see cmp_crypto.h.
 * = https://www.rfc-editor.org/rfc/rfc9810#section-5.3.18
 * # Otherwise, the certHash value SHALL be
 * # computed using the same hash algorithm as used to create and verify
 * # the certificate signature.
 * = https://www.rfc-editor.org/rfc/rfc9481#section-3.3
 * # the hash algorithm used to calculate the certHash in certConf messages
 * # MUST be SHA-512 if the certificate to be confirmed has been signed
 * # using Ed25519 */
cmp_err cmp_crypto_cert_hash(cmp_crypto *c, uint8_t out[CMP_HASH_MAX_LEN], size_t *out_len,
                             cmp_span cert, cmp_span hash_alg)
{
    cmp_x509_cert x;
    cmp_sig_alg sa;
    cmp_hash_alg h;

    CMP_ENSURE(span_ok(cert) && span_ok(hash_alg), CMP_ERR_ARG);
    CMP_ENSURE(cmp_x509_cert_parse(&x, cert) == CMP_OK, CMP_ERR_CERT_PARSE);
    if (hash_alg.len > 0) {
        CMP_TRY(cmp_crypto_hash_alg_decode(&h, hash_alg));
    } else {
        CMP_TRY(cmp_alg_sig_decode(&sa, x.info.sig_alg));
        h = sa.hash;
    }
    return cmp_crypto_hash(c, out, out_len, h, cert);
}

/* see cmp_crypto.h.
 * = https://www.rfc-editor.org/rfc/rfc5280#section-4.2.1.2
 * # (1) The keyIdentifier is composed of the 160-bit SHA-1 hash of the
 * # value of the BIT STRING subjectPublicKey (excluding the tag,
 * # length, and number of unused bits). */
cmp_err cmp_crypto_key_id(cmp_crypto *c, uint8_t out[CMP_KEY_ID_LEN], cmp_span spki)
{
    uint8_t h[CMP_HASH_MAX_LEN];
    cmp_spki_info si;
    size_t n;

    CMP_ENSURE(out != NULL && span_ok(spki), CMP_ERR_ARG);
    CMP_TRY(cmp_x509_spki_parse(&si, spki));
    CMP_TRY(cmp_crypto_hash(c, h, &n, CMP_HASH_SHA1, si.key));
    memcpy(out, h, CMP_KEY_ID_LEN);
    return CMP_OK;
}

/* ------------------------------------------------------------------------ */
/* Keys                                                                     */
/* ------------------------------------------------------------------------ */

/* see cmp_crypto.h */
cmp_err cmp_crypto_key_load(cmp_crypto *c, cmp_key **out, cmp_span data, cmp_span pass)
{
    CMP_ENSURE(prov_ok(c) && out != NULL && span_ok(data) && span_ok(pass), CMP_ERR_ARG);
    *out = NULL;
    CMP_ENSURE(data.len > 0, CMP_ERR_KEY_PARSE);
    CMP_ENSURE(data.len <= CDER_MAX_LEN, CMP_ERR_KEY_PARSE);
    return c->ops->key_load(c, out, data, pass);
}

/* see cmp_crypto.h */
cmp_err cmp_crypto_key_generate(cmp_crypto *c, cmp_key **out, cmp_key_type type, unsigned bits)
{
    CMP_ENSURE(prov_ok(c) && out != NULL, CMP_ERR_ARG);
    *out = NULL;
    if (type == CMP_KEY_RSA) {
        bits = bits == 0 ? 2048 : bits;
        CMP_ENSURE(bits >= 2048 && bits <= 4096 && bits % 8 == 0, CMP_ERR_KEY_TYPE);
    } else {
        CMP_ENSURE(bits == 0, CMP_ERR_KEY_TYPE);
    }
    return c->ops->key_generate(c, out, type, bits);
}

/* see cmp_crypto.h */
void cmp_crypto_key_free(cmp_crypto *c, cmp_key *key)
{
    if (key != NULL && prov_ok(c)) {
        c->ops->key_free(c, key);
    }
}

/* see cmp_crypto.h */
cmp_err cmp_crypto_key_type(cmp_crypto *c, cmp_key_type *out_type, unsigned *out_bits,
                            const cmp_key *key)
{
    cmp_key_type t;
    unsigned b;

    CMP_ENSURE(prov_ok(c) && key != NULL, CMP_ERR_ARG);
    CMP_TRY(c->ops->key_type(c, &t, &b, key));
    if (out_type != NULL) {
        *out_type = t;
    }
    if (out_bits != NULL) {
        *out_bits = b;
    }
    return CMP_OK;
}

/* see cmp_crypto.h */
cmp_err cmp_crypto_key_spki(cmp_crypto *c, cmp_buf *out, const cmp_key *key)
{
    CMP_ENSURE(prov_ok(c) && out != NULL && key != NULL, CMP_ERR_ARG);
    return c->ops->key_spki(c, out, key);
}

/* see cmp_crypto.h */
cmp_err cmp_crypto_key_export_pem(cmp_crypto *c, cmp_buf *out, const cmp_key *key,
                                  cmp_key_format fmt)
{
    CMP_ENSURE(prov_ok(c) && out != NULL && key != NULL, CMP_ERR_ARG);
    CMP_ENSURE(fmt == CMP_KEY_PEM_PKCS8 || fmt == CMP_KEY_PEM_TRADITIONAL, CMP_ERR_ARG);
    return c->ops->key_export_pem(c, out, key, fmt);
}

/* see cmp_crypto.h. The keys are equal when algorithm (and curve) and the
 * subjectPublicKey bits are: both encodings are DER, so the bits of one key
 * have one form (X9.62 uncompressed points, as all of ours are). */
cmp_err cmp_crypto_spki_check_cert(cmp_span spki, cmp_span cert)
{
    cmp_spki_info a, b;
    cmp_x509_cert x;

    CMP_ENSURE(span_ok(spki) && span_ok(cert), CMP_ERR_ARG);
    CMP_ENSURE(cmp_x509_cert_parse(&x, cert) == CMP_OK, CMP_ERR_CERT_PARSE);
    CMP_TRY(cmp_x509_spki_parse(&a, spki));
    if (cmp_x509_spki_parse(&b, x.info.spki) != CMP_OK) {
        CMP_FAIL(CMP_ERR_KEY_MISMATCH);
    }
    CMP_ENSURE(a.type == b.type && cmp_cder_span_eq(a.key, b.key), CMP_ERR_KEY_MISMATCH);
    return CMP_OK;
}

/* see cmp_crypto.h */
cmp_err cmp_crypto_key_check_cert(cmp_crypto *c, const cmp_key *key, cmp_span cert)
{
    cmp_buf spki = {NULL, 0};
    cmp_err err;

    CMP_TRY(cmp_crypto_key_spki(c, &spki, key));
    err = cmp_crypto_spki_check_cert((cmp_span){spki.data, spki.len}, cert);
    cmp_buf_cleanup(&spki);
    return err;
}

/* ------------------------------------------------------------------------ */
/* Signatures                                                               */
/* ------------------------------------------------------------------------ */

/* default_hash: RSA and P-256 take SHA-256, P-384 SHA-384, P-521 SHA-512,
 * so that the hash is as strong as the curve (RFC 5480 section 4). */
static cmp_hash_alg default_hash(cmp_key_type t)
{
    switch (t) {
    case CMP_KEY_EC_P384:
        return CMP_HASH_SHA384;
    case CMP_KEY_EC_P521:
    case CMP_KEY_ED25519:
        return CMP_HASH_SHA512;
    default:
        return CMP_HASH_SHA256;
    }
}

/* see cmp_crypto.h */
cmp_err cmp_crypto_sig_alg_default(cmp_crypto *c, cmp_span *out, const cmp_key *key,
                                   cmp_hash_alg hash, unsigned flags)
{
    cmp_sig_scheme scheme;
    cmp_key_type t;

    CMP_ENSURE(out != NULL && (flags & ~CMP_SIG_RSA_PSS) == 0, CMP_ERR_ARG);
    CMP_TRY(cmp_crypto_key_type(c, &t, NULL, key));
    if (hash == CMP_HASH_NONE) {
        hash = default_hash(t);
    }
    CMP_ENSURE(hash != CMP_HASH_SHA1, CMP_ERR_UNKNOWN_ALG);
    if (t == CMP_KEY_RSA) {
        scheme = (flags & CMP_SIG_RSA_PSS) ? CMP_SIG_SCHEME_PSS : CMP_SIG_SCHEME_PKCS1;
    } else if (t == CMP_KEY_ED25519) {
        /* = https://www.rfc-editor.org/rfc/rfc9481#section-3.3
         * # The signature algorithm Ed25519 that MUST be used with SHA-512 */
        CMP_ENSURE(hash == CMP_HASH_SHA512, CMP_ERR_UNKNOWN_ALG);
        scheme = CMP_SIG_SCHEME_ED25519;
    } else {
        scheme = CMP_SIG_SCHEME_ECDSA;
    }
    return cmp_alg_sig_encoding(out, scheme, hash);
}

/* see cmp_crypto.h */
cmp_err cmp_crypto_sig_alg_hash(cmp_hash_alg *out, cmp_key_type *out_key_type, cmp_span alg)
{
    cmp_sig_alg sa;

    CMP_ENSURE(out != NULL && span_ok(alg), CMP_ERR_ARG);
    CMP_TRY(cmp_alg_sig_decode(&sa, alg));
    *out = sa.hash;
    if (out_key_type != NULL) {
        *out_key_type = sa.scheme == CMP_SIG_SCHEME_ECDSA     ? CMP_KEY_EC_P256
                        : sa.scheme == CMP_SIG_SCHEME_ED25519 ? CMP_KEY_ED25519
                                                              : CMP_KEY_RSA;
    }
    return CMP_OK;
}

/* see cmp_crypto.h */
cmp_err cmp_crypto_alg_kind(cmp_alg_kind *out, cmp_span alg)
{
    cmp_span oid, params;
    cmp_sig_alg sa;

    CMP_ENSURE(out != NULL && span_ok(alg), CMP_ERR_ARG);
    CMP_TRY(cmp_alg_alg_id(alg, &oid, &params));
    if (cmp_alg_is_mac_oid(oid)) {
        *out = CMP_ALG_MAC;
        return CMP_OK;
    }
    CMP_TRY(cmp_alg_sig_decode(&sa, alg));
    *out = CMP_ALG_SIGNATURE;
    return CMP_OK;
}

/* see cmp_crypto.h */
cmp_err cmp_crypto_sign(cmp_crypto *c, cmp_buf *out_sig, cmp_key *key, cmp_span alg,
                        cmp_span data)
{
    CMP_ENSURE(prov_ok(c) && out_sig != NULL && key != NULL, CMP_ERR_ARG);
    CMP_ENSURE(span_ok(alg) && span_ok(data), CMP_ERR_ARG);
    return c->ops->sign(c, out_sig, key, alg, data);
}

/* see cmp_crypto.h */
cmp_err cmp_crypto_verify(cmp_crypto *c, cmp_span spki, cmp_span alg, cmp_span data,
                          cmp_span sig)
{
    CMP_ENSURE(prov_ok(c) && span_ok(spki) && span_ok(alg), CMP_ERR_ARG);
    CMP_ENSURE(span_ok(data) && span_ok(sig), CMP_ERR_ARG);
    return c->ops->verify(c, spki, alg, data, sig);
}

/* ------------------------------------------------------------------------ */
/* MACs                                                                     */
/* ------------------------------------------------------------------------ */

/* see cmp_crypto.h.
 * = https://www.rfc-editor.org/rfc/rfc9481#section-7.1
 * # PasswordBasedMac:  id-PasswordBasedMac, see Section 6.1.1 (with id-
 * # sha256 as the owf parameter, see Section 2.1 and id-hmacWithSHA256
 * # as the mac parameter, see Section 6.2.1) */
void cmp_crypto_mac_params_default(cmp_mac_params *out, cmp_mac_kind kind)
{
    memset(out, 0, sizeof(*out));
    out->kind = kind;
    out->owf = CMP_HASH_SHA256;
    out->mac = CMP_HASH_SHA256;
    out->iterations = CMP_MAC_DEFAULT_ITERATIONS;
    out->salt_len = CMP_MAC_DEFAULT_SALT_LEN;
    out->key_len = 0;
}

/* see cmp_crypto.h.
 * = https://www.rfc-editor.org/rfc/rfc9481#section-7.1
 * # It is RECOMMENDED to prefer the usage of PBMAC1 instead of
 * # PasswordBasedMac. */
cmp_err cmp_crypto_mac_alg_new(cmp_crypto *c, cmp_buf *out, const cmp_mac_params *params)
{
    uint8_t salt[256];
    cmp_mac_params p;
    cmp_err err;

    CMP_ENSURE(prov_ok(c) && out != NULL, CMP_ERR_ARG);
    if (params == NULL) {
        cmp_crypto_mac_params_default(&p, CMP_MAC_PBMAC1);
    } else {
        p = *params;
    }
    CMP_ENSURE(p.kind == CMP_MAC_PBM || p.kind == CMP_MAC_PBMAC1, CMP_ERR_ARG);
    CMP_ENSURE(p.iterations >= c->limits.min_iterations, CMP_ERR_ITERATIONS);
    CMP_ENSURE(p.iterations <= c->limits.max_iterations, CMP_ERR_ITERATIONS);
    CMP_ENSURE(p.salt_len >= c->limits.min_salt_len, CMP_ERR_ARG);
    CMP_ENSURE(p.salt_len <= c->limits.max_salt_len && p.salt_len <= sizeof(salt), CMP_ERR_ARG);
    CMP_TRY(cmp_crypto_random(c, salt, p.salt_len));
    err = cmp_alg_mac_encode(out, &p, (cmp_span){salt, p.salt_len});
    cmp_wipe(salt, sizeof(salt));
    return err;
}

/* see cmp_crypto.h */
cmp_err cmp_crypto_mac_alg_decode(cmp_crypto *c, cmp_mac_params *out, cmp_span alg)
{
    CMP_ENSURE(c != NULL && out != NULL && span_ok(alg), CMP_ERR_ARG);
    return cmp_alg_mac_decode(out, alg, &c->limits);
}

/* see cmp_crypto.h. The parameters are checked against the limits here,
 * before the provider spends any work on them. */
cmp_err cmp_crypto_mac_protect(cmp_crypto *c, cmp_buf *out_mac, cmp_span alg, cmp_span secret,
                               cmp_span data)
{
    cmp_mac_params p;

    CMP_ENSURE(prov_ok(c) && out_mac != NULL && span_ok(data), CMP_ERR_ARG);
    CMP_ENSURE(span_ok(secret) && secret.len > 0, CMP_ERR_ARG);
    CMP_TRY(cmp_crypto_mac_alg_decode(c, &p, alg));
    return c->ops->mac_protect(c, out_mac, alg, secret, data);
}

/* see cmp_crypto.h */
cmp_err cmp_crypto_mac_verify(cmp_crypto *c, cmp_span alg, cmp_span secret, cmp_span data,
                              cmp_span mac)
{
    cmp_mac_params p;

    CMP_ENSURE(prov_ok(c) && span_ok(data) && span_ok(mac), CMP_ERR_ARG);
    CMP_ENSURE(span_ok(secret) && secret.len > 0, CMP_ERR_ARG);
    CMP_TRY(cmp_crypto_mac_alg_decode(c, &p, alg));
    return c->ops->mac_verify(c, alg, secret, data, mac);
}

/* ------------------------------------------------------------------------ */
/* Certificates and CSRs                                                    */
/* ------------------------------------------------------------------------ */

/* see cmp_crypto.h */
cmp_err cmp_crypto_cert_parse(cmp_cert_info *out, cmp_span cert)
{
    cmp_x509_cert x;

    CMP_ENSURE(out != NULL && span_ok(cert), CMP_ERR_ARG);
    CMP_ENSURE(cmp_x509_cert_parse(&x, cert) == CMP_OK, CMP_ERR_CERT_PARSE);
    *out = x.info;
    return CMP_OK;
}

/* see cmp_crypto.h.
 * = https://www.rfc-editor.org/rfc/rfc5280#section-4.2.1.3
 * # The digitalSignature bit is asserted when the subject public key
 * # is used for verifying digital signatures, other than signatures on
 * # certificates (bit 5) and CRLs (bit 6) */
cmp_err cmp_crypto_cert_check_signer(cmp_span cert)
{
    cmp_x509_cert x;

    CMP_ENSURE(span_ok(cert), CMP_ERR_ARG);
    CMP_ENSURE(cmp_x509_cert_parse(&x, cert) == CMP_OK, CMP_ERR_CERT_PARSE);
    if (x.info.exts & CMP_EXT_KEY_USAGE) {
        CMP_ENSURE(x.info.key_usage & CMP_KU_DIGITAL_SIGNATURE, CMP_ERR_KEY_USAGE);
    }
    return CMP_OK;
}

/* see cmp_crypto.h */
cmp_err cmp_crypto_csr_parse(cmp_csr_info *out, cmp_span csr)
{
    CMP_ENSURE(out != NULL && span_ok(csr), CMP_ERR_ARG);
    CMP_ENSURE(cmp_x509_csr_parse(out, csr) == CMP_OK, CMP_ERR_CSR_PARSE);
    return CMP_OK;
}

/* see cmp_crypto.h */
cmp_err cmp_crypto_csr_verify(cmp_crypto *c, cmp_span csr)
{
    cmp_csr_info ci;

    CMP_TRY(cmp_crypto_csr_parse(&ci, csr));
    return cmp_crypto_verify(c, ci.spki, ci.sig_alg, ci.info, ci.signature);
}
