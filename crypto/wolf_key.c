/* SPDX-License-Identifier: Apache-2.0 */
/*
 * crypto/wolf_key.c: private keys in the wolfSSL provider: loading (PEM or
 * DER, PKCS#8 or traditional, encrypted PEM), generating, exporting the
 * public key as SubjectPublicKeyInfo and the private key as PEM, and loading
 * public keys for verification.
 *
 * The outer structures (PrivateKeyInfo, ECPrivateKey, SubjectPublicKeyInfo)
 * are read and written with the cder cursor, so the key type is decided by
 * an exact OID match and every byte is accounted for; wolfSSL does the
 * PEM decryption and the number-theoretic part. Key material passing
 * through our buffers is wiped.
 */
#include <string.h>

#include <wolfssl/options.h>
#include <wolfssl/wolfcrypt/asn_public.h>
#include <wolfssl/wolfcrypt/error-crypt.h>

#include "wolf_int.h"

/* ------------------------------------------------------------------------ */
/* Key objects                                                              */
/* ------------------------------------------------------------------------ */

static int curve_id(cmp_key_type t)
{
    switch (t) {
    case CMP_KEY_EC_P256:
        return ECC_SECP256R1;
    case CMP_KEY_EC_P384:
        return ECC_SECP384R1;
    case CMP_KEY_EC_P521:
        return ECC_SECP521R1;
    default:
        return ECC_CURVE_INVALID;
    }
}

static unsigned curve_bits(cmp_key_type t)
{
    return t == CMP_KEY_EC_P256 ? 256 : t == CMP_KEY_EC_P384 ? 384 : 521;
}

static int is_ec(cmp_key_type t)
{
    return t == CMP_KEY_EC_P256 || t == CMP_KEY_EC_P384 || t == CMP_KEY_EC_P521;
}

/* key_init allocates a key and initialises the wolfSSL object of |type|. */
static cmp_err key_init(cmp_key **out, cmp_key_type type)
{
    cmp_key *k = cmp_calloc(1, sizeof(*k));
    int rc;

    CMP_ENSURE(k != NULL, CMP_ERR_NOMEM);
    if (type == CMP_KEY_RSA) {
        rc = wc_InitRsaKey(&k->u.rsa, NULL);
    } else if (type == CMP_KEY_ED25519) {
        rc = wc_ed25519_init(&k->u.ed);
    } else {
        rc = wc_ecc_init(&k->u.ecc);
    }
    if (rc != 0) {
        cmp_free(k);
        CMP_FAIL(CMP_ERR_NOMEM);
    }
    k->type = type;
    *out = k;
    return CMP_OK;
}

/* see wolf_int.h */
void cmp_wolf_key_free(cmp_crypto *c, cmp_key *key)
{
    (void)c;
    if (key == NULL) {
        return;
    }
    if (key->type == CMP_KEY_RSA) {
        wc_FreeRsaKey(&key->u.rsa);
    } else if (key->type == CMP_KEY_ED25519) {
        wc_ed25519_free(&key->u.ed);
    } else if (is_ec(key->type)) {
        wc_ecc_free(&key->u.ecc);
    }
    cmp_wipe(key, sizeof(*key));
    cmp_free(key);
}

/* see wolf_int.h */
cmp_err cmp_wolf_key_type(cmp_crypto *c, cmp_key_type *out_type, unsigned *out_bits,
                          const cmp_key *key)
{
    (void)c;
    *out_type = key->type;
    *out_bits = key->bits;
    return CMP_OK;
}

/* ------------------------------------------------------------------------ */
/* Decoding the private key structures                                      */
/* ------------------------------------------------------------------------ */

/* load_rsa decodes RSAPrivateKey (RFC 8017 appendix A.1.2). */
static cmp_err load_rsa(cmp_key *k, cmp_span der, const cmp_crypto_limits *lim)
{
    word32 idx = 0;
    int bytes;

    CMP_ENSURE(der.len <= CDER_MAX_LEN, CMP_ERR_KEY_PARSE);
    CMP_ENSURE(wc_RsaPrivateKeyDecode(der.data, &idx, &k->u.rsa, (word32)der.len) == 0,
               CMP_ERR_KEY_PARSE);
    CMP_ENSURE(idx == der.len, CMP_ERR_KEY_PARSE);
    bytes = wc_RsaEncryptSize(&k->u.rsa);
    CMP_ENSURE(bytes > 0, CMP_ERR_KEY_PARSE);
    k->bits = (unsigned)bytes * 8;
    CMP_ENSURE(k->bits >= lim->min_rsa_bits && k->bits <= lim->max_rsa_bits, CMP_ERR_KEY_TYPE);
    return CMP_OK;
}

/* load_ec decodes ECPrivateKey (RFC 5915 section 3):
 * SEQUENCE { version INTEGER { ecPrivkeyVer1(1) }, privateKey OCTET STRING,
 *            parameters [0] ECParameters OPTIONAL, publicKey [1] BIT STRING OPTIONAL }
 * |type| is the curve from PKCS#8 (or CMP_KEY_NONE for the traditional form,
 * which must then name its curve in [0]). Without [1], the public key is
 * computed. */
static cmp_err load_ec(cmp_key *k, cmp_span der, cmp_key_type type)
{
    cmp_cder_tlv seq, priv, t, oid;
    cmp_cder_rd rd, x;
    cmp_span pub = {NULL, 0};
    cmp_key_type named;
    uint32_t version;
    unsigned unused;
    int present;

    CMP_ENSURE(cmp_cder_one(der, CDER_SEQUENCE, &seq) == CMP_OK, CMP_ERR_KEY_PARSE);
    cmp_cder_init(&rd, seq.body);
    CMP_ENSURE(cmp_cder_get_u32(&rd, &version) == CMP_OK && version == 1, CMP_ERR_KEY_PARSE);
    CMP_ENSURE(cmp_cder_get(&rd, CDER_OCTET_STRING, &priv) == CMP_OK, CMP_ERR_KEY_PARSE);
    CMP_ENSURE(cmp_cder_get_opt(&rd, CDER_CTX_CONS(0), &t, &present) == CMP_OK,
               CMP_ERR_KEY_PARSE);
    if (present) {
        CMP_ENSURE(cmp_cder_one(t.body, CDER_OID, &oid) == CMP_OK, CMP_ERR_KEY_TYPE);
        CMP_TRY(cmp_x509_curve_by_oid(&named, oid.body));
        CMP_ENSURE(type == CMP_KEY_NONE || type == named, CMP_ERR_KEY_PARSE);
        type = named;
    }
    CMP_ENSURE(type != CMP_KEY_NONE, CMP_ERR_KEY_PARSE);
    if (cmp_cder_peek(&rd) == CDER_CTX_CONS(1)) {
        CMP_ENSURE(cmp_cder_enter(&rd, CDER_CTX_CONS(1), &x) == CMP_OK, CMP_ERR_KEY_PARSE);
        CMP_ENSURE(cmp_cder_get_bits(&x, &pub, &unused) == CMP_OK && unused == 0,
                   CMP_ERR_KEY_PARSE);
        CMP_ENSURE(cmp_cder_end(&x) == CMP_OK, CMP_ERR_KEY_PARSE);
    }
    CMP_ENSURE(cmp_cder_end(&rd) == CMP_OK, CMP_ERR_KEY_PARSE);
    CMP_ENSURE(priv.body.len > 0 && priv.body.len <= 66, CMP_ERR_KEY_PARSE);
    CMP_ENSURE(wc_ecc_import_private_key_ex(priv.body.data, (word32)priv.body.len, pub.data,
                                            (word32)pub.len, &k->u.ecc, curve_id(type)) == 0,
               CMP_ERR_KEY_PARSE);
    if (pub.len == 0) {
        CMP_ENSURE(wc_ecc_make_pub(&k->u.ecc, NULL) == 0, CMP_ERR_KEY_PARSE);
    }
    CMP_ENSURE(wc_ecc_check_key(&k->u.ecc) == 0, CMP_ERR_KEY_PARSE);
    k->bits = curve_bits(type);
    return CMP_OK;
}

/* load_ed25519 decodes the PKCS#8 privateKey of Ed25519 (RFC 8410 section 7):
 * CurvePrivateKey ::= OCTET STRING (32 octets). A public key carried in a
 * v2 OneAsymmetricKey must be the one the private key gives. */
static cmp_err load_ed25519(cmp_key *k, cmp_span inner, cmp_span pub_given)
{
    cmp_cder_tlv priv;
    uint8_t pub[ED25519_PUB_KEY_SIZE];
    cmp_err err = CMP_ERR_KEY_PARSE;

    CMP_ENSURE(cmp_cder_one(inner, CDER_OCTET_STRING, &priv) == CMP_OK, CMP_ERR_KEY_PARSE);
    CMP_ENSURE(priv.body.len == ED25519_KEY_SIZE, CMP_ERR_KEY_PARSE);
    CMP_ENSURE_OUT(wc_ed25519_import_private_only(priv.body.data, ED25519_KEY_SIZE,
                                                  &k->u.ed) == 0, CMP_ERR_KEY_PARSE);
    CMP_ENSURE_OUT(wc_ed25519_make_public(&k->u.ed, pub, sizeof(pub)) == 0, CMP_ERR_KEY_PARSE);
    CMP_ENSURE_OUT(pub_given.len == 0 || cmp_cder_span_eq(pub_given, (cmp_span){pub, 32}),
                   CMP_ERR_KEY_PARSE);
    CMP_ENSURE_OUT(wc_ed25519_import_private_key(priv.body.data, ED25519_KEY_SIZE, pub,
                                                 sizeof(pub), &k->u.ed) == 0,
                   CMP_ERR_KEY_PARSE);
    k->bits = 256;
    err = CMP_OK;
out:
    cmp_wipe(pub, sizeof(pub));
    return err;
}

/* What the outer DER structure of a private key says. */
typedef struct key_der {
    cmp_key_type type;
    cmp_span inner;    /* PKCS#8 privateKey contents, or the whole traditional key */
    cmp_span pub;      /* PKCS#8 v2 publicKey bits, if any */
    int pkcs8;
} key_der;

/* classify_pkcs8 reads OneAsymmetricKey (RFC 5958 section 2):
 * SEQUENCE { version INTEGER, privateKeyAlgorithm AlgorithmIdentifier,
 *            privateKey OCTET STRING, attributes [0] OPTIONAL,
 *            ..., publicKey [1] IMPLICIT BIT STRING OPTIONAL } */
static cmp_err classify_pkcs8(key_der *out, cmp_cder_rd *rd, uint32_t version)
{
    cmp_cder_tlv alg, priv, t;
    int present;

    CMP_ENSURE(version <= 1, CMP_ERR_KEY_PARSE);
    CMP_ENSURE(cmp_cder_get(rd, CDER_SEQUENCE, &alg) == CMP_OK, CMP_ERR_KEY_PARSE);
    CMP_ENSURE(cmp_cder_get(rd, CDER_OCTET_STRING, &priv) == CMP_OK, CMP_ERR_KEY_PARSE);
    CMP_ENSURE(cmp_cder_get_opt(rd, CDER_CTX_CONS(0), &t, &present) == CMP_OK,
               CMP_ERR_KEY_PARSE);
    CMP_ENSURE(cmp_cder_get_opt(rd, CDER_CTX(1), &t, &present) == CMP_OK, CMP_ERR_KEY_PARSE);
    if (present) {
        CMP_ENSURE(version == 1 && t.body.len >= 1 && t.body.data[0] == 0, CMP_ERR_KEY_PARSE);
        out->pub = (cmp_span){t.body.data + 1, t.body.len - 1};
    }
    CMP_ENSURE(cmp_cder_end(rd) == CMP_OK, CMP_ERR_KEY_PARSE);
    CMP_TRY(cmp_x509_alg_key_type(&out->type, alg.whole));
    out->inner = priv.body;
    out->pkcs8 = 1;
    return CMP_OK;
}

/* classify_traditional tells RSAPrivateKey (version 0, nine INTEGERs) from
 * ECPrivateKey (version 1, then an OCTET STRING). A DSA key (version 0, six
 * INTEGERs) is a well-formed key of an unsupported type. */
static cmp_err classify_traditional(key_der *out, cmp_span der, cmp_cder_rd *rd,
                                    uint32_t version)
{
    cmp_cder_tlv t;
    size_t ints = 1;

    out->inner = der;
    if (version == 1 && cmp_cder_peek(rd) == CDER_OCTET_STRING) {
        out->type = CMP_KEY_NONE; /* the curve comes from ECPrivateKey's [0] */
        return CMP_OK;
    }
    CMP_ENSURE(version == 0, CMP_ERR_KEY_PARSE);
    while (cmp_cder_left(rd) > 0) {
        CMP_ENSURE(cmp_cder_get(rd, CDER_INTEGER, &t) == CMP_OK, CMP_ERR_KEY_PARSE);
        ints++;
    }
    CMP_ENSURE(ints == 9 || ints == 6, CMP_ERR_KEY_PARSE);
    CMP_ENSURE(ints == 9, CMP_ERR_KEY_TYPE);
    out->type = CMP_KEY_RSA;
    return CMP_OK;
}

static cmp_err classify(key_der *out, cmp_span der)
{
    cmp_cder_tlv seq;
    cmp_cder_rd rd;
    uint32_t version;

    memset(out, 0, sizeof(*out));
    CMP_ENSURE(cmp_cder_one(der, CDER_SEQUENCE, &seq) == CMP_OK, CMP_ERR_KEY_PARSE);
    cmp_cder_init(&rd, seq.body);
    CMP_ENSURE(cmp_cder_get_u32(&rd, &version) == CMP_OK, CMP_ERR_KEY_PARSE);
    if (cmp_cder_peek(&rd) == CDER_SEQUENCE) {
        return classify_pkcs8(out, &rd, version);
    }
    return classify_traditional(out, der, &rd, version);
}

/* load_der makes a key from an unencrypted DER private key. */
static cmp_err load_der(cmp_key **out, cmp_span der, const cmp_crypto_limits *lim)
{
    cmp_key *k = NULL;
    key_der kd;
    cmp_err err;

    CMP_TRY(classify(&kd, der));
    CMP_TRY(key_init(&k, kd.type == CMP_KEY_NONE ? CMP_KEY_EC_P256 : kd.type));
    if (kd.type == CMP_KEY_RSA) {
        CMP_ENSURE_OUT(kd.pub.len == 0, CMP_ERR_KEY_PARSE);
        CMP_TRY_OUT(load_rsa(k, kd.inner, lim));
    } else if (kd.type == CMP_KEY_ED25519) {
        CMP_TRY_OUT(load_ed25519(k, kd.inner, kd.pub));
    } else {
        CMP_ENSURE_OUT(kd.pub.len == 0, CMP_ERR_KEY_PARSE);
        CMP_TRY_OUT(load_ec(k, kd.inner, kd.type));
        k->type = k->bits == 256 ? CMP_KEY_EC_P256
                  : k->bits == 384 ? CMP_KEY_EC_P384
                                   : CMP_KEY_EC_P521;
    }
    *out = k;
    k = NULL;
    err = CMP_OK;
out:
    cmp_wolf_key_free(NULL, k);
    return err;
}

/* ------------------------------------------------------------------------ */
/* PEM                                                                      */
/* ------------------------------------------------------------------------ */

/* find returns 1 when |needle| occurs in |hay|. */
static int find(cmp_span hay, const char *needle)
{
    size_t n = strlen(needle), i;

    for (i = 0; n <= hay.len && i <= hay.len - n; i++) {
        if (memcmp(hay.data + i, needle, n) == 0) {
            return 1;
        }
    }
    return 0;
}

static int is_pem(cmp_span d)
{
    size_t i = 0;

    while (i < d.len && (d.data[i] == ' ' || d.data[i] == '\t' || d.data[i] == '\r' ||
                         d.data[i] == '\n')) {
        i++;
    }
    return d.len - i >= 11 && memcmp(d.data + i, "-----BEGIN ", 11) == 0;
}

/* pem_to_der strips the armour and decrypts with |pass| (wolfSSL handles
 * both PKCS#8 "ENCRYPTED PRIVATE KEY" and RFC 1421 "Proc-Type: 4,ENCRYPTED").
 * |*encrypted| tells the caller how to read a later failure. */
static cmp_err pem_to_der(cmp_buf *der, int *encrypted, cmp_span pem, cmp_span pass)
{
    char *pz = NULL;
    int n;
    cmp_err err = CMP_ERR_KEY_PARSE;

    *encrypted = find(pem, "ENCRYPTED");
    CMP_ENSURE(!*encrypted || pass.len > 0, CMP_ERR_PASSPHRASE);
    CMP_ENSURE(pem.len <= CDER_MAX_LEN, CMP_ERR_KEY_PARSE);
    der->data = cmp_malloc(pem.len);
    pz = cmp_malloc(pass.len + 1);
    CMP_ENSURE_OUT(der->data != NULL && pz != NULL, CMP_ERR_NOMEM);
    if (pass.len > 0) {
        memcpy(pz, pass.data, pass.len);
    }
    pz[pass.len] = '\0';
    CMP_ENSURE_OUT(strlen(pz) == pass.len, CMP_ERR_PASSPHRASE); /* no NUL inside */
    n = wc_KeyPemToDer(pem.data, (int)pem.len, der->data, (int)pem.len,
                       *encrypted ? pz : NULL);
    CMP_ENSURE_OUT(n > 0, *encrypted ? CMP_ERR_PASSPHRASE : CMP_ERR_KEY_PARSE);
    der->len = (size_t)n;
    err = CMP_OK;
out:
    if (pz != NULL) {
        cmp_wipe(pz, pass.len + 1);
        cmp_free(pz);
    }
    if (err != CMP_OK) {
        if (der->data != NULL) {
            cmp_wipe(der->data, pem.len);
            cmp_free(der->data);
        }
        der->data = NULL;
        der->len = 0;
    }
    return err;
}

/* is_encrypted_pkcs8: EncryptedPrivateKeyInfo ::= SEQUENCE {
 * encryptionAlgorithm AlgorithmIdentifier, encryptedData OCTET STRING }
 * (RFC 5958 section 3). */
static int is_encrypted_pkcs8(cmp_span der)
{
    cmp_cder_tlv seq, t;
    cmp_cder_rd rd;

    if (cmp_cder_one(der, CDER_SEQUENCE, &seq) != CMP_OK) {
        return 0;
    }
    cmp_cder_init(&rd, seq.body);
    return cmp_cder_get(&rd, CDER_SEQUENCE, &t) == CMP_OK &&
           cmp_cder_get(&rd, CDER_OCTET_STRING, &t) == CMP_OK && cmp_cder_end(&rd) == CMP_OK;
}

/* decrypt_pkcs8 decrypts a DER EncryptedPrivateKeyInfo with wolfSSL (PBES2
 * and the PKCS#12 PBEs it knows), in a copy. */
static cmp_err decrypt_pkcs8(cmp_buf *der, cmp_span in, cmp_span pass)
{
    char *pz = NULL;
    int n = -1;
    cmp_err err = CMP_ERR_NOMEM;

    CMP_ENSURE(pass.len > 0 && pass.len < INT32_MAX, CMP_ERR_PASSPHRASE);
    der->data = cmp_malloc(in.len);
    pz = cmp_malloc(pass.len + 1);
    CMP_ENSURE_OUT(der->data != NULL && pz != NULL, CMP_ERR_NOMEM);
    memcpy(der->data, in.data, in.len);
    memcpy(pz, pass.data, pass.len);
    pz[pass.len] = '\0';
    CMP_ENSURE_OUT(strlen(pz) == pass.len, CMP_ERR_PASSPHRASE);
    n = wc_DecryptPKCS8Key(der->data, (word32)in.len, pz, (int)pass.len);
    CMP_ENSURE_OUT(n > 0 && (size_t)n <= in.len, CMP_ERR_PASSPHRASE);
    der->len = (size_t)n;
    err = CMP_OK;
out:
    if (pz != NULL) {
        cmp_wipe(pz, pass.len + 1);
        cmp_free(pz);
    }
    if (err != CMP_OK && der->data != NULL) {
        cmp_wipe(der->data, in.len);
        cmp_free(der->data);
        der->data = NULL;
    }
    return err;
}

/* see wolf_int.h. A decrypted key that does not parse means a wrong pass
 * phrase (RFC 1421 CBC decryption has no integrity check), so it is
 * reported as CMP_ERR_PASSPHRASE. */
cmp_err cmp_wolf_key_load(cmp_crypto *c, cmp_key **out, cmp_span data, cmp_span pass)
{
    cmp_buf der = {NULL, 0};
    int encrypted = 0;
    cmp_err err;

    if (is_pem(data)) {
        CMP_TRY(pem_to_der(&der, &encrypted, data, pass));
    } else if (is_encrypted_pkcs8(data)) {
        encrypted = 1;
        CMP_TRY(decrypt_pkcs8(&der, data, pass));
    } else {
        return load_der(out, data, &c->limits);
    }
    err = load_der(out, (cmp_span){der.data, der.len}, &c->limits);
    if (encrypted && err == CMP_ERR_KEY_PARSE) {
        err = CMP_ERR_PASSPHRASE;
    }
    cmp_buf_cleanup(&der);
    return err;
}

/* ------------------------------------------------------------------------ */
/* Generation                                                               */
/* ------------------------------------------------------------------------ */

/* see wolf_int.h */
cmp_err cmp_wolf_key_generate(cmp_crypto *c, cmp_key **out, cmp_key_type type, unsigned bits)
{
    WC_RNG *rng = cmp_wolf_rng(c);
    cmp_key *k = NULL;
    cmp_err err;
    int rc;

    CMP_ENSURE(type == CMP_KEY_RSA || type == CMP_KEY_ED25519 || is_ec(type), CMP_ERR_KEY_TYPE);
    CMP_TRY(key_init(&k, type));
    if (type == CMP_KEY_RSA) {
        rc = wc_MakeRsaKey(&k->u.rsa, (int)bits, WC_RSA_EXPONENT, rng);
        k->bits = bits;
    } else if (type == CMP_KEY_ED25519) {
        rc = wc_ed25519_make_key(rng, ED25519_KEY_SIZE, &k->u.ed);
        k->bits = 256;
    } else {
        rc = wc_ecc_make_key_ex(rng, wc_ecc_get_curve_size_from_id(curve_id(type)), &k->u.ecc,
                                curve_id(type));
        k->bits = curve_bits(type);
    }
    CMP_ENSURE_OUT(rc == 0, rc == RNG_FAILURE_E ? CMP_ERR_RNG : CMP_ERR_CRYPTO);
    *out = k;
    k = NULL;
    err = CMP_OK;
out:
    cmp_wolf_key_free(c, k);
    return err;
}

/* ------------------------------------------------------------------------ */
/* Export                                                                   */
/* ------------------------------------------------------------------------ */

/* put_rsa_pub writes RSAPublicKey ::= SEQUENCE { modulus, publicExponent }. */
static cmp_err put_rsa_pub(cmp_cder_wr *w, const cmp_key *k)
{
    uint8_t n[1024], e[16];
    word32 n_len = sizeof(n), e_len = sizeof(e);
    size_t seq;

    CMP_ENSURE(wc_RsaFlattenPublicKey((RsaKey *)&k->u.rsa, e, &e_len, n, &n_len) == 0,
               CMP_ERR_CRYPTO);
    seq = cmp_cder_open(w, CDER_SEQUENCE);
    cmp_cder_put_uint(w, (cmp_span){n, n_len});
    cmp_cder_put_uint(w, (cmp_span){e, e_len});
    cmp_cder_close(w, seq);
    return CMP_OK;
}

/* public_bits writes the subjectPublicKey contents of |k| into |w|. */
static cmp_err public_bits(cmp_cder_wr *w, const cmp_key *k)
{
    uint8_t pt[1 + 2 * 66];
    word32 len = sizeof(pt);

    if (k->type == CMP_KEY_RSA) {
        return put_rsa_pub(w, k);
    }
    if (k->type == CMP_KEY_ED25519) {
        CMP_ENSURE(wc_ed25519_export_public((ed25519_key *)&k->u.ed, pt, &len) == 0,
                   CMP_ERR_CRYPTO);
    } else {
        /* = https://www.rfc-editor.org/rfc/rfc5480#section-2.2
         * # The uncompressed form MUST be supported. */
        CMP_ENSURE(wc_ecc_export_x963((ecc_key *)&k->u.ecc, pt, &len) == 0, CMP_ERR_CRYPTO);
    }
    cmp_cder_put_raw(w, (cmp_span){pt, len});
    return CMP_OK;
}

/* put_key_alg writes the key's AlgorithmIdentifier (as in SPKI and PKCS#8). */
static void put_key_alg(cmp_cder_wr *w, const cmp_key *k)
{
    size_t seq = cmp_cder_open(w, CDER_SEQUENCE);
    cmp_span curve;

    if (k->type == CMP_KEY_RSA) {
        cmp_cder_put_tlv(w, CDER_OID, cmp_alg_oid_rsa_encryption);
        cmp_cder_put_tlv(w, CDER_NULL, (cmp_span){NULL, 0});
    } else if (k->type == CMP_KEY_ED25519) {
        cmp_cder_put_tlv(w, CDER_OID, cmp_alg_oid_ed25519);
    } else {
        cmp_cder_put_tlv(w, CDER_OID, cmp_alg_oid_ec_public_key);
        if (cmp_x509_curve_oid(&curve, k->type) == CMP_OK) {
            cmp_cder_put_tlv(w, CDER_OID, curve);
        }
    }
    cmp_cder_close(w, seq);
}

/* see wolf_int.h. SubjectPublicKeyInfo ::= SEQUENCE { algorithm, subjectPublicKey } */
cmp_err cmp_wolf_key_spki(cmp_crypto *c, cmp_buf *out, const cmp_key *key)
{
    cmp_cder_wr w;
    size_t seq, bits;
    uint8_t zero = 0;
    cmp_err err;

    (void)c;
    cmp_cder_wr_init(&w);
    seq = cmp_cder_open(&w, CDER_SEQUENCE);
    put_key_alg(&w, key);
    bits = cmp_cder_open(&w, CDER_BIT_STRING);
    cmp_cder_put_raw(&w, (cmp_span){&zero, 1});
    CMP_TRY_OUT(public_bits(&w, key));
    cmp_cder_close(&w, bits);
    cmp_cder_close(&w, seq);
    return cmp_cder_wr_finish(&w, out);
out:
    cmp_cder_wr_cleanup(&w);
    return err;
}

/* put_ec_private writes ECPrivateKey (RFC 5915 section 3), parameters and
 * public key included ("implementations ... MUST always include the
 * parameters field"). */
static cmp_err put_ec_private(cmp_cder_wr *w, const cmp_key *k)
{
    uint8_t d[66];
    word32 d_len = sizeof(d);
    size_t seq, x, bits;
    uint8_t zero = 0;
    cmp_span curve;
    cmp_err err = CMP_ERR_CRYPTO;

    CMP_TRY(cmp_x509_curve_oid(&curve, k->type));
    CMP_ENSURE_OUT(wc_ecc_export_private_only((ecc_key *)&k->u.ecc, d, &d_len) == 0,
                   CMP_ERR_CRYPTO);
    seq = cmp_cder_open(w, CDER_SEQUENCE);
    cmp_cder_put_u32(w, 1);
    cmp_cder_put_tlv(w, CDER_OCTET_STRING, (cmp_span){d, d_len});
    x = cmp_cder_open(w, CDER_CTX_CONS(0));
    cmp_cder_put_tlv(w, CDER_OID, curve);
    cmp_cder_close(w, x);
    x = cmp_cder_open(w, CDER_CTX_CONS(1));
    bits = cmp_cder_open(w, CDER_BIT_STRING);
    cmp_cder_put_raw(w, (cmp_span){&zero, 1});
    CMP_TRY_OUT(public_bits(w, k));
    cmp_cder_close(w, bits);
    cmp_cder_close(w, x);
    cmp_cder_close(w, seq);
    err = CMP_OK;
out:
    cmp_wipe(d, sizeof(d));
    return err;
}

/* put_rsa_private writes RSAPrivateKey as wolfSSL encodes it. */
static cmp_err put_rsa_private(cmp_cder_wr *w, const cmp_key *k)
{
    size_t cap = k->bits / 8 * 5 + 256;
    uint8_t *buf = cmp_malloc(cap);
    int n;

    CMP_ENSURE(buf != NULL, CMP_ERR_NOMEM);
    n = wc_RsaKeyToDer((RsaKey *)&k->u.rsa, buf, (word32)cap);
    if (n > 0) {
        cmp_cder_put_raw(w, (cmp_span){buf, (size_t)n});
    }
    cmp_wipe(buf, cap);
    cmp_free(buf);
    CMP_ENSURE(n > 0, CMP_ERR_CRYPTO);
    return CMP_OK;
}

/* put_ed25519_private writes CurvePrivateKey ::= OCTET STRING (RFC 8410). */
static cmp_err put_ed25519_private(cmp_cder_wr *w, const cmp_key *k)
{
    uint8_t d[ED25519_KEY_SIZE];
    word32 d_len = sizeof(d);
    int rc = wc_ed25519_export_private_only((ed25519_key *)&k->u.ed, d, &d_len);

    if (rc == 0) {
        cmp_cder_put_tlv(w, CDER_OCTET_STRING, (cmp_span){d, d_len});
    }
    cmp_wipe(d, sizeof(d));
    CMP_ENSURE(rc == 0, CMP_ERR_CRYPTO);
    return CMP_OK;
}

static cmp_err put_private(cmp_cder_wr *w, const cmp_key *k)
{
    if (k->type == CMP_KEY_RSA) {
        return put_rsa_private(w, k);
    }
    if (k->type == CMP_KEY_ED25519) {
        return put_ed25519_private(w, k);
    }
    return put_ec_private(w, k);
}

/* see wolf_int.h. PKCS#8 is PrivateKeyInfo v0 (RFC 5958 section 2). */
cmp_err cmp_wolf_key_export_pem(cmp_crypto *c, cmp_buf *out, const cmp_key *key,
                                cmp_key_format fmt)
{
    cmp_buf der = {NULL, 0};
    cmp_cder_wr w;
    const char *label;
    size_t seq = 0, oct = 0;
    cmp_err err;

    (void)c;
    CMP_ENSURE(fmt == CMP_KEY_PEM_PKCS8 || key->type != CMP_KEY_ED25519, CMP_ERR_UNSUPPORTED);
    cmp_cder_wr_init(&w);
    if (fmt == CMP_KEY_PEM_PKCS8) {
        label = "PRIVATE KEY";
        seq = cmp_cder_open(&w, CDER_SEQUENCE);
        cmp_cder_put_u32(&w, 0);
        put_key_alg(&w, key);
        oct = cmp_cder_open(&w, CDER_OCTET_STRING);
    } else {
        label = key->type == CMP_KEY_RSA ? "RSA PRIVATE KEY" : "EC PRIVATE KEY";
    }
    CMP_TRY_OUT(put_private(&w, key));
    if (fmt == CMP_KEY_PEM_PKCS8) {
        cmp_cder_close(&w, oct);
        cmp_cder_close(&w, seq);
    }
    CMP_TRY_OUT(cmp_cder_wr_finish(&w, &der));
    err = cmp_cder_pem_encode(out, label, (cmp_span){der.data, der.len});
out:
    cmp_cder_wr_cleanup(&w);
    cmp_buf_cleanup(&der);
    return err;
}

/* ------------------------------------------------------------------------ */
/* Public keys for verification                                             */
/* ------------------------------------------------------------------------ */

/* see wolf_int.h */
void cmp_wolf_pub_cleanup(cmp_wolf_pub *pub)
{
    if (pub->type == CMP_KEY_RSA) {
        wc_FreeRsaKey(&pub->u.rsa);
    } else if (pub->type == CMP_KEY_ED25519) {
        wc_ed25519_free(&pub->u.ed);
    } else if (is_ec(pub->type)) {
        wc_ecc_free(&pub->u.ecc);
    }
    pub->type = CMP_KEY_NONE;
}

static cmp_err pub_rsa(cmp_wolf_pub *p, cmp_span bits, const cmp_crypto_limits *lim)
{
    word32 idx = 0;
    int bytes;

    CMP_ENSURE(wc_InitRsaKey(&p->u.rsa, NULL) == 0, CMP_ERR_NOMEM);
    p->type = CMP_KEY_RSA;
    CMP_ENSURE(wc_RsaPublicKeyDecode(bits.data, &idx, &p->u.rsa, (word32)bits.len) == 0,
               CMP_ERR_KEY_PARSE);
    CMP_ENSURE(idx == bits.len, CMP_ERR_KEY_PARSE);
    bytes = wc_RsaEncryptSize(&p->u.rsa);
    CMP_ENSURE(bytes > 0, CMP_ERR_KEY_PARSE);
    p->bits = (unsigned)bytes * 8;
    CMP_ENSURE(p->bits >= lim->min_rsa_bits && p->bits <= lim->max_rsa_bits, CMP_ERR_KEY_TYPE);
    return CMP_OK;
}

/* see wolf_int.h */
cmp_err cmp_wolf_pub_load(cmp_wolf_pub *p, cmp_span spki, const cmp_crypto_limits *lim)
{
    cmp_spki_info si;

    memset(p, 0, sizeof(*p));
    CMP_TRY(cmp_x509_spki_parse(&si, spki));
    CMP_ENSURE(si.key.len <= CDER_MAX_LEN, CMP_ERR_KEY_PARSE);
    if (si.type == CMP_KEY_RSA) {
        return pub_rsa(p, si.key, lim);
    }
    if (si.type == CMP_KEY_ED25519) {
        CMP_ENSURE(wc_ed25519_init(&p->u.ed) == 0, CMP_ERR_NOMEM);
        p->type = CMP_KEY_ED25519;
        p->bits = 256;
        CMP_ENSURE(wc_ed25519_import_public(si.key.data, (word32)si.key.len, &p->u.ed) == 0,
                   CMP_ERR_KEY_PARSE);
        return CMP_OK;
    }
    CMP_ENSURE(wc_ecc_init(&p->u.ecc) == 0, CMP_ERR_NOMEM);
    p->type = si.type;
    p->bits = curve_bits(si.type);
    CMP_ENSURE(wc_ecc_import_x963_ex(si.key.data, (word32)si.key.len, &p->u.ecc,
                                     curve_id(si.type)) == 0, CMP_ERR_KEY_PARSE);
    return CMP_OK;
}
