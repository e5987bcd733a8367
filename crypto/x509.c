/* SPDX-License-Identifier: Apache-2.0 */
/*
 * crypto/x509.c: reading SubjectPublicKeyInfo, X.509 certificates and
 * PKCS#10 requests, and writing the Extensions this library issues.
 * Provider-independent: only the cder cursor and writer.
 *
 * Every span in a result points into the caller's DER. Parsing decides
 * nothing: path validation (chain.c) applies the policy.
 */
#include <string.h>

#include "crypto_int.h"

#define SPAN(a) {(a), sizeof(a)}

/* id-ce (2.5.29) extension OIDs are 0x55 0x1d <n>. */
#define ID_CE_SKI 14
#define ID_CE_KU 15
#define ID_CE_SAN 17
#define ID_CE_BC 19
#define ID_CE_EKU 37
#define ID_CE_AKI 35

/* ------------------------------------------------------------------------ */
/* SubjectPublicKeyInfo                                                     */
/* ------------------------------------------------------------------------ */

/* see crypto_int.h */
cmp_err cmp_x509_curve_by_oid(cmp_key_type *out, cmp_span oid)
{
    if (cmp_cder_span_eq(oid, cmp_alg_oid_p256)) {
        *out = CMP_KEY_EC_P256;
    } else if (cmp_cder_span_eq(oid, cmp_alg_oid_p384)) {
        *out = CMP_KEY_EC_P384;
    } else if (cmp_cder_span_eq(oid, cmp_alg_oid_p521)) {
        *out = CMP_KEY_EC_P521;
    } else {
        CMP_FAIL(CMP_ERR_KEY_TYPE);
    }
    return CMP_OK;
}

/* see crypto_int.h */
cmp_err cmp_x509_curve_oid(cmp_span *out, cmp_key_type type)
{
    switch (type) {
    case CMP_KEY_EC_P256:
        *out = cmp_alg_oid_p256;
        return CMP_OK;
    case CMP_KEY_EC_P384:
        *out = cmp_alg_oid_p384;
        return CMP_OK;
    case CMP_KEY_EC_P521:
        *out = cmp_alg_oid_p521;
        return CMP_OK;
    default:
        CMP_FAIL(CMP_ERR_KEY_TYPE);
    }
}

/* spki_type maps the SPKI algorithm to a key type.
 * rsaEncryption: parameters NULL (RFC 3279 section 2.3.1); id-ecPublicKey:
 * a namedCurve (RFC 5480 section 2.1.1: "specifiedCurve ... MUST NOT be
 * used"); id-Ed25519: parameters absent (RFC 8410 section 3). */
static cmp_err spki_type(cmp_key_type *out, cmp_span oid, cmp_span params)
{
    static const uint8_t null_der[] = {0x05, 0x00};
    cmp_cder_tlv curve;

    if (cmp_cder_span_eq(oid, cmp_alg_oid_rsa_encryption)) {
        CMP_ENSURE(params.len == 0 || cmp_cder_span_eq(params, (cmp_span)SPAN(null_der)),
                   CMP_ERR_KEY_PARSE);
        *out = CMP_KEY_RSA;
        return CMP_OK;
    }
    if (cmp_cder_span_eq(oid, cmp_alg_oid_ec_public_key)) {
        CMP_ENSURE(cmp_cder_one(params, CDER_OID, &curve) == CMP_OK, CMP_ERR_KEY_TYPE);
        return cmp_x509_curve_by_oid(out, curve.body);
    }
    if (cmp_cder_span_eq(oid, cmp_alg_oid_ed25519)) {
        CMP_ENSURE(params.len == 0, CMP_ERR_KEY_PARSE);
        *out = CMP_KEY_ED25519;
        return CMP_OK;
    }
    CMP_FAIL(CMP_ERR_KEY_TYPE);
}

/* see crypto_int.h */
cmp_err cmp_x509_alg_key_type(cmp_key_type *out, cmp_span alg)
{
    cmp_span oid, params;

    CMP_ENSURE(cmp_alg_alg_id(alg, &oid, &params) == CMP_OK, CMP_ERR_KEY_PARSE);
    return spki_type(out, oid, params);
}

/* see crypto_int.h */
cmp_err cmp_x509_spki_parse(cmp_spki_info *out, cmp_span spki)
{
    cmp_cder_tlv seq, alg;
    cmp_cder_rd rd;
    cmp_span oid, params, bits;
    unsigned unused;

    CMP_ENSURE(cmp_cder_one(spki, CDER_SEQUENCE, &seq) == CMP_OK, CMP_ERR_KEY_PARSE);
    cmp_cder_init(&rd, seq.body);
    CMP_ENSURE(cmp_cder_get(&rd, CDER_SEQUENCE, &alg) == CMP_OK, CMP_ERR_KEY_PARSE);
    CMP_ENSURE(cmp_cder_get_bits(&rd, &bits, &unused) == CMP_OK && unused == 0,
               CMP_ERR_KEY_PARSE);
    CMP_ENSURE(cmp_cder_end(&rd) == CMP_OK, CMP_ERR_KEY_PARSE);
    CMP_ENSURE(cmp_alg_alg_id(alg.whole, &oid, &params) == CMP_OK, CMP_ERR_KEY_PARSE);
    CMP_TRY(spki_type(&out->type, oid, params));
    CMP_ENSURE(bits.len > 0, CMP_ERR_KEY_PARSE);
    CMP_ENSURE(out->type != CMP_KEY_ED25519 || bits.len == 32, CMP_ERR_KEY_PARSE);
    out->alg = alg.whole;
    out->key = bits;
    return CMP_OK;
}

/* ------------------------------------------------------------------------ */
/* Certificate extensions (RFC 5280 section 4.2)                            */
/* ------------------------------------------------------------------------ */

/* id-kp-* (1.3.6.1.5.5.7.3.n) and anyExtendedKeyUsage (2.5.29.37.0). */
static const uint8_t id_kp_prefix[] = {0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03};
static const uint8_t oid_any_eku[] = {0x55, 0x1d, 0x25, 0x00};

typedef struct eku_name {
    uint8_t kp; /* id-kp arc */
    uint32_t flag;
} eku_name;

static const eku_name eku_names[] = {
    {1, CMP_EKU_SERVER_AUTH},      {2, CMP_EKU_CLIENT_AUTH},     {3, CMP_EKU_CODE_SIGNING},
    {4, CMP_EKU_EMAIL_PROTECTION}, {8, CMP_EKU_TIME_STAMPING},   {9, CMP_EKU_OCSP_SIGNING},
    {27, CMP_EKU_CMC_CA},          {28, CMP_EKU_CMC_RA},         {32, CMP_EKU_CM_KGA},
};

#define NUM_EKU_NAMES (sizeof(eku_names) / sizeof(eku_names[0]))

static uint32_t eku_flag(cmp_span oid)
{
    size_t i;

    if (cmp_cder_span_eq(oid, (cmp_span)SPAN(oid_any_eku))) {
        return CMP_EKU_ANY;
    }
    if (oid.len != sizeof(id_kp_prefix) + 1 ||
        memcmp(oid.data, id_kp_prefix, sizeof(id_kp_prefix)) != 0) {
        return 0;
    }
    for (i = 0; i < NUM_EKU_NAMES; i++) {
        if (oid.data[sizeof(id_kp_prefix)] == eku_names[i].kp) {
            return eku_names[i].flag;
        }
    }
    return 0;
}

/* basicConstraints ::= SEQUENCE { cA BOOLEAN DEFAULT FALSE,
 *                                 pathLenConstraint INTEGER (0..MAX) OPTIONAL } */
static cmp_err parse_bc(cmp_cert_info *ci, cmp_span v)
{
    cmp_cder_tlv seq;
    cmp_cder_rd rd;
    uint32_t n;
    int ca = 0;

    CMP_TRY(cmp_cder_one(v, CDER_SEQUENCE, &seq));
    cmp_cder_init(&rd, seq.body);
    if (cmp_cder_peek(&rd) == CDER_BOOLEAN) {
        CMP_TRY(cmp_cder_get_bool(&rd, &ca));
        CMP_ENSURE(ca, CMP_ERR_DECODE); /* DER: a FALSE default is absent */
    }
    if (cmp_cder_peek(&rd) == CDER_INTEGER) {
        CMP_TRY(cmp_cder_get_u32(&rd, &n));
        ci->path_len = n > 255 ? 255 : (int)n;
    }
    CMP_TRY(cmp_cder_end(&rd));
    ci->is_ca = ca;
    return CMP_OK;
}

/* KeyUsage ::= BIT STRING { digitalSignature (0), ... decipherOnly (8) } */
static cmp_err parse_ku(cmp_cert_info *ci, cmp_span v)
{
    cmp_cder_rd rd;
    cmp_span bits;
    unsigned unused, i;

    cmp_cder_init(&rd, v);
    CMP_TRY(cmp_cder_get_bits(&rd, &bits, &unused));
    CMP_TRY(cmp_cder_end(&rd));
    for (i = 0; i < 9 && i / 8 < bits.len; i++) {
        if (bits.data[i / 8] & (0x80u >> (i % 8))) {
            ci->key_usage |= 1u << i;
        }
    }
    return CMP_OK;
}

/* ExtKeyUsageSyntax ::= SEQUENCE SIZE (1..MAX) OF KeyPurposeId */
static cmp_err parse_eku(cmp_cert_info *ci, cmp_span v)
{
    cmp_cder_tlv seq, oid;
    cmp_cder_rd rd;

    CMP_TRY(cmp_cder_one(v, CDER_SEQUENCE, &seq));
    CMP_ENSURE(seq.body.len > 0, CMP_ERR_DECODE);
    cmp_cder_init(&rd, seq.body);
    while (cmp_cder_left(&rd) > 0) {
        CMP_TRY(cmp_cder_get(&rd, CDER_OID, &oid));
        ci->ext_key_usage |= eku_flag(oid.body);
    }
    ci->eku = seq.whole;
    return CMP_OK;
}

/* AuthorityKeyIdentifier ::= SEQUENCE { keyIdentifier [0] OPTIONAL,
 *     authorityCertIssuer [1] OPTIONAL, authorityCertSerialNumber [2] OPTIONAL } */
static cmp_err parse_aki(cmp_cert_info *ci, cmp_span v)
{
    cmp_cder_tlv seq, t;
    cmp_cder_rd rd;
    int present;

    CMP_TRY(cmp_cder_one(v, CDER_SEQUENCE, &seq));
    cmp_cder_init(&rd, seq.body);
    CMP_TRY(cmp_cder_get_opt(&rd, CDER_CTX(0), &t, &present));
    if (present) {
        ci->aki = t.body;
    }
    CMP_TRY(cmp_cder_get_opt(&rd, CDER_CTX_CONS(1), &t, &present));
    CMP_TRY(cmp_cder_get_opt(&rd, CDER_CTX(2), &t, &present));
    return cmp_cder_end(&rd);
}

/* parse_known parses the value of id-ce-<n>, for the extensions we know. */
static cmp_err parse_known(cmp_cert_info *ci, unsigned n, cmp_span v)
{
    cmp_cder_tlv t;

    switch (n) {
    case ID_CE_BC:
        return parse_bc(ci, v);
    case ID_CE_KU:
        return parse_ku(ci, v);
    case ID_CE_EKU:
        return parse_eku(ci, v);
    case ID_CE_SAN:
        CMP_TRY(cmp_cder_one(v, CDER_SEQUENCE, &t));
        CMP_ENSURE(t.body.len > 0, CMP_ERR_DECODE);
        ci->san = t.whole;
        return CMP_OK;
    case ID_CE_SKI:
        CMP_TRY(cmp_cder_one(v, CDER_OCTET_STRING, &t));
        ci->ski = t.body;
        return CMP_OK;
    case ID_CE_AKI:
        return parse_aki(ci, v);
    default:
        CMP_FAIL(CMP_ERR_INTERNAL);
    }
}

static uint32_t ext_bit(cmp_span oid, unsigned *n)
{
    if (oid.len != 3 || oid.data[0] != 0x55 || oid.data[1] != 0x1d) {
        return 0;
    }
    *n = oid.data[2];
    switch (*n) {
    case ID_CE_BC:
        return CMP_EXT_BASIC_CONSTRAINTS;
    case ID_CE_KU:
        return CMP_EXT_KEY_USAGE;
    case ID_CE_EKU:
        return CMP_EXT_EXT_KEY_USAGE;
    case ID_CE_SAN:
        return CMP_EXT_SUBJECT_ALT_NAME;
    case ID_CE_SKI:
        return CMP_EXT_SUBJECT_KEY_ID;
    case ID_CE_AKI:
        return CMP_EXT_AUTHORITY_KEY_ID;
    default:
        return 0;
    }
}

/* parse_ext reads one Extension ::= SEQUENCE { extnID OBJECT IDENTIFIER,
 * critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING }.
 * = https://www.rfc-editor.org/rfc/rfc5280#section-4.2
 * # A certificate MUST NOT include more than one instance of a particular
 * # extension. */
static cmp_err parse_ext(cmp_x509_cert *out, cmp_cder_rd *exts)
{
    cmp_cder_tlv oid, val;
    cmp_cder_rd rd;
    int critical = 0;
    unsigned n = 0;
    uint32_t bit;

    CMP_TRY(cmp_cder_enter(exts, CDER_SEQUENCE, &rd));
    CMP_TRY(cmp_cder_get(&rd, CDER_OID, &oid));
    if (cmp_cder_peek(&rd) == CDER_BOOLEAN) {
        CMP_TRY(cmp_cder_get_bool(&rd, &critical));
        CMP_ENSURE(critical, CMP_ERR_DECODE);
    }
    CMP_TRY(cmp_cder_get(&rd, CDER_OCTET_STRING, &val));
    CMP_TRY(cmp_cder_end(&rd));
    bit = ext_bit(oid.body, &n);
    if (bit == 0) {
        out->unknown_critical |= critical;
        return CMP_OK;
    }
    CMP_ENSURE((out->info.exts & bit) == 0, CMP_ERR_DECODE);
    CMP_TRY(parse_known(&out->info, n, val.body));
    out->info.exts |= bit;
    if (critical) {
        out->info.exts_critical |= bit;
    }
    return CMP_OK;
}

/* ------------------------------------------------------------------------ */
/* Certificate (RFC 5280 section 4.1)                                       */
/* ------------------------------------------------------------------------ */

/* parse_version reads version [0] EXPLICIT Version DEFAULT v1; DER leaves
 * v1 out, so an explicit v1 is rejected. */
static cmp_err parse_version(cmp_cert_info *ci, cmp_cder_rd *rd)
{
    cmp_cder_rd x;
    uint32_t v;

    ci->version = 1;
    if (cmp_cder_peek(rd) != CDER_CTX_CONS(0)) {
        return CMP_OK;
    }
    CMP_TRY(cmp_cder_enter(rd, CDER_CTX_CONS(0), &x));
    CMP_TRY(cmp_cder_get_u32(&x, &v));
    CMP_TRY(cmp_cder_end(&x));
    CMP_ENSURE(v == 1 || v == 2, CMP_ERR_DECODE);
    ci->version = (int)v + 1;
    return CMP_OK;
}

/* parse_tbs reads TBSCertificate ::= SEQUENCE { version, serialNumber,
 * signature, issuer, validity, subject, subjectPublicKeyInfo,
 * issuerUniqueID [1], subjectUniqueID [2], extensions [3] } */
static cmp_err parse_tbs(cmp_x509_cert *out, cmp_span body, cmp_span *tbs_sig)
{
    cmp_cert_info *ci = &out->info;
    cmp_cder_tlv serial, t;
    cmp_cder_rd rd, val, ext_wrap, exts;
    int present;

    cmp_cder_init(&rd, body);
    CMP_TRY(parse_version(ci, &rd));
    CMP_TRY(cmp_cder_get(&rd, CDER_INTEGER, &serial));
    CMP_TRY(cmp_cder_int_ok(serial.body));
    ci->serial = serial.body;
    CMP_TRY(cmp_cder_get(&rd, CDER_SEQUENCE, &t));
    *tbs_sig = t.whole;
    CMP_TRY(cmp_cder_get(&rd, CDER_SEQUENCE, &t));
    ci->issuer = t.whole;
    CMP_TRY(cmp_cder_enter(&rd, CDER_SEQUENCE, &val));
    CMP_TRY(cmp_cder_get_time(&val, &ci->not_before));
    CMP_TRY(cmp_cder_get_time(&val, &ci->not_after));
    CMP_TRY(cmp_cder_end(&val));
    CMP_TRY(cmp_cder_get(&rd, CDER_SEQUENCE, &t));
    ci->subject = t.whole;
    CMP_TRY(cmp_cder_get(&rd, CDER_SEQUENCE, &t));
    ci->spki = t.whole;
    CMP_TRY(cmp_cder_get_opt(&rd, CDER_CTX(1), &t, &present));
    CMP_ENSURE(!present || ci->version >= 2, CMP_ERR_DECODE);
    CMP_TRY(cmp_cder_get_opt(&rd, CDER_CTX(2), &t, &present));
    CMP_ENSURE(!present || ci->version >= 2, CMP_ERR_DECODE);
    if (cmp_cder_peek(&rd) == CDER_CTX_CONS(3)) {
        CMP_ENSURE(ci->version == 3, CMP_ERR_DECODE);
        CMP_TRY(cmp_cder_enter(&rd, CDER_CTX_CONS(3), &ext_wrap));
        CMP_TRY(cmp_cder_enter(&ext_wrap, CDER_SEQUENCE, &exts));
        CMP_TRY(cmp_cder_end(&ext_wrap));
        CMP_ENSURE(cmp_cder_left(&exts) > 0, CMP_ERR_DECODE);
        while (cmp_cder_left(&exts) > 0) {
            CMP_TRY(parse_ext(out, &exts));
        }
    }
    return cmp_cder_end(&rd);
}

/* see crypto_int.h.
 * = https://www.rfc-editor.org/rfc/rfc5280#section-4.1.1.2
 * # This field MUST contain the same algorithm identifier as the
 * # signature field in the sequence tbsCertificate (Section 4.1.2.3). */
cmp_err cmp_x509_cert_parse(cmp_x509_cert *out, cmp_span cert)
{
    cmp_cder_tlv top, tbs, alg;
    cmp_cder_rd rd;
    cmp_span tbs_sig;
    unsigned unused;

    memset(out, 0, sizeof(*out));
    out->info.path_len = -1;
    CMP_TRY(cmp_cder_one(cert, CDER_SEQUENCE, &top));
    cmp_cder_init(&rd, top.body);
    CMP_TRY(cmp_cder_get(&rd, CDER_SEQUENCE, &tbs));
    CMP_TRY(cmp_cder_get(&rd, CDER_SEQUENCE, &alg));
    CMP_TRY(cmp_cder_get_bits(&rd, &out->info.signature, &unused));
    CMP_ENSURE(unused == 0, CMP_ERR_DECODE);
    CMP_TRY(cmp_cder_end(&rd));
    out->info.tbs = tbs.whole;
    out->info.sig_alg = alg.whole;
    CMP_TRY(parse_tbs(out, tbs.body, &tbs_sig));
    CMP_ENSURE(cmp_cder_span_eq(tbs_sig, alg.whole), CMP_ERR_DECODE);
    if (!out->info.is_ca) {
        out->info.path_len = -1;
    }
    return CMP_OK;
}

/* ------------------------------------------------------------------------ */
/* Writing extensions                                                       */
/* ------------------------------------------------------------------------ */

/* open_ext starts Extension { id-ce-<n>, [critical TRUE], OCTET STRING { */
static void open_ext(cmp_cder_wr *w, unsigned n, int critical, size_t *ext, size_t *val)
{
    uint8_t oid[3] = {0x55, 0x1d, 0};
    cmp_span s;

    oid[2] = (uint8_t)n;
    s.data = oid;
    s.len = 3;
    *ext = cmp_cder_open(w, CDER_SEQUENCE);
    cmp_cder_put_tlv(w, CDER_OID, s);
    if (critical) {
        cmp_cder_put_bool(w, 1);
    }
    *val = cmp_cder_open(w, CDER_OCTET_STRING);
}

static void close_ext(cmp_cder_wr *w, size_t ext, size_t val)
{
    cmp_cder_close(w, val);
    cmp_cder_close(w, ext);
}

static void put_eku(cmp_cder_wr *w, uint32_t flags)
{
    uint8_t oid[sizeof(id_kp_prefix) + 1];
    size_t seq = cmp_cder_open(w, CDER_SEQUENCE), i;

    memcpy(oid, id_kp_prefix, sizeof(id_kp_prefix));
    for (i = 0; i < NUM_EKU_NAMES; i++) {
        if (flags & eku_names[i].flag) {
            oid[sizeof(id_kp_prefix)] = eku_names[i].kp;
            cmp_cder_put_tlv(w, CDER_OID, (cmp_span){oid, sizeof(oid)});
        }
    }
    if (flags & CMP_EKU_ANY) {
        cmp_cder_put_tlv(w, CDER_OID, (cmp_span)SPAN(oid_any_eku));
    }
    cmp_cder_close(w, seq);
}

/* check_gn: IA5String names are 7-bit and non-empty; addresses 4 or 16 octets. */
static cmp_err check_gn(const cmp_general_name *gn)
{
    size_t i;

    CMP_ENSURE(gn->value.data != NULL && gn->value.len > 0, CMP_ERR_ARG);
    if (gn->type == CMP_GN_IP) {
        CMP_ENSURE(gn->value.len == 4 || gn->value.len == 16, CMP_ERR_ARG);
        return CMP_OK;
    }
    CMP_ENSURE(gn->type == CMP_GN_EMAIL || gn->type == CMP_GN_DNS || gn->type == CMP_GN_URI,
               CMP_ERR_ARG);
    for (i = 0; i < gn->value.len; i++) {
        CMP_ENSURE(gn->value.data[i] > 0 && gn->value.data[i] < 0x80, CMP_ERR_ARG);
    }
    return CMP_OK;
}

static cmp_err check_exts(const cmp_cert_exts *e)
{
    const uint32_t all_ku = (1u << 9) - 1;
    const uint32_t all_eku = (CMP_EKU_ANY << 1) - 1;
    size_t i;

    CMP_ENSURE((e->exts & ~(uint32_t)0x3f) == 0, CMP_ERR_ARG);
    if (e->exts & CMP_EXT_BASIC_CONSTRAINTS) {
        CMP_ENSURE(e->path_len >= -1 && (e->path_len == -1 || e->is_ca), CMP_ERR_ARG);
    }
    if (e->exts & CMP_EXT_KEY_USAGE) {
        CMP_ENSURE(e->key_usage != 0 && (e->key_usage & ~all_ku) == 0, CMP_ERR_ARG);
    }
    if (e->exts & CMP_EXT_EXT_KEY_USAGE) {
        CMP_ENSURE(e->ext_key_usage != 0 && (e->ext_key_usage & ~all_eku) == 0, CMP_ERR_ARG);
    }
    if (e->exts & CMP_EXT_SUBJECT_ALT_NAME) {
        CMP_ENSURE(e->san != NULL && e->num_san > 0 && e->num_san <= 1024, CMP_ERR_ARG);
        for (i = 0; i < e->num_san; i++) {
            CMP_TRY(check_gn(&e->san[i]));
        }
    }
    return CMP_OK;
}

static void put_san(cmp_cder_wr *w, const cmp_cert_exts *e)
{
    size_t seq = cmp_cder_open(w, CDER_SEQUENCE), i;

    for (i = 0; i < e->num_san; i++) {
        cmp_cder_put_tlv(w, CDER_CTX((unsigned)e->san[i].type), e->san[i].value);
    }
    cmp_cder_close(w, seq);
}

/* see crypto_int.h.
 * = https://www.rfc-editor.org/rfc/rfc5280#section-4.2.1.9
 * # Conforming CAs MUST include this extension in all CA certificates
 * # that contain public keys used to validate digital signatures on
 * # certificates and MUST mark the extension as critical in such
 * # certificates.
 * = https://www.rfc-editor.org/rfc/rfc5280#section-4.2.1.6
 * # If the subject field contains an empty sequence, then the issuing CA MUST
 * # include a subjectAltName extension that is marked as critical. */
cmp_err cmp_x509_exts_encode(cmp_cder_wr *w, const cmp_cert_exts *e,
                             const uint8_t ski[CMP_KEY_ID_LEN], cmp_span aki, int subject_empty)
{
    size_t seq, ext, val, x;

    CMP_TRY(check_exts(e));
    seq = cmp_cder_open(w, CDER_SEQUENCE);
    if (e->exts & CMP_EXT_BASIC_CONSTRAINTS) {
        open_ext(w, ID_CE_BC, 1, &ext, &val);
        x = cmp_cder_open(w, CDER_SEQUENCE);
        if (e->is_ca) {
            cmp_cder_put_bool(w, 1);
            if (e->path_len >= 0) {
                cmp_cder_put_u32(w, (uint32_t)e->path_len);
            }
        }
        cmp_cder_close(w, x);
        close_ext(w, ext, val);
    }
    if (e->exts & CMP_EXT_KEY_USAGE) {
        open_ext(w, ID_CE_KU, 1, &ext, &val);
        cmp_cder_put_named_bits(w, e->key_usage);
        close_ext(w, ext, val);
    }
    if (e->exts & CMP_EXT_EXT_KEY_USAGE) {
        open_ext(w, ID_CE_EKU, 0, &ext, &val);
        put_eku(w, e->ext_key_usage);
        close_ext(w, ext, val);
    }
    if (e->exts & CMP_EXT_SUBJECT_ALT_NAME) {
        open_ext(w, ID_CE_SAN, subject_empty, &ext, &val);
        put_san(w, e);
        close_ext(w, ext, val);
    }
    if (e->exts & CMP_EXT_SUBJECT_KEY_ID) {
        open_ext(w, ID_CE_SKI, 0, &ext, &val);
        cmp_cder_put_tlv(w, CDER_OCTET_STRING, e->ski.len > 0 ? e->ski
                                                             : (cmp_span){ski, CMP_KEY_ID_LEN});
        close_ext(w, ext, val);
    }
    if (e->exts & CMP_EXT_AUTHORITY_KEY_ID) {
        open_ext(w, ID_CE_AKI, 0, &ext, &val);
        x = cmp_cder_open(w, CDER_SEQUENCE);
        cmp_cder_put_tlv(w, CDER_CTX(0), aki);
        cmp_cder_close(w, x);
        close_ext(w, ext, val);
    }
    cmp_cder_close(w, seq);
    return CMP_OK;
}

/* ------------------------------------------------------------------------ */
/* PKCS#10 (RFC 2986 section 4)                                             */
/* ------------------------------------------------------------------------ */

/* pkcs-9-at-extensionRequest (RFC 2985 section 5.4.2) */
static const uint8_t oid_ext_req[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x0e};

/* parse_attrs reads attributes [0] IMPLICIT SET OF Attribute and keeps the
 * Extensions of an extensionRequest (at most one). */
static cmp_err parse_attrs(cmp_csr_info *out, cmp_span body)
{
    cmp_cder_rd rd, attr, vals;
    cmp_cder_tlv oid, ext;

    cmp_cder_init(&rd, body);
    while (cmp_cder_left(&rd) > 0) {
        CMP_TRY(cmp_cder_enter(&rd, CDER_SEQUENCE, &attr));
        CMP_TRY(cmp_cder_get(&attr, CDER_OID, &oid));
        CMP_TRY(cmp_cder_enter(&attr, CDER_SET, &vals));
        CMP_TRY(cmp_cder_end(&attr));
        if (!cmp_cder_span_eq(oid.body, (cmp_span)SPAN(oid_ext_req))) {
            continue;
        }
        CMP_ENSURE(out->extensions.len == 0, CMP_ERR_DECODE);
        CMP_TRY(cmp_cder_get(&vals, CDER_SEQUENCE, &ext));
        CMP_TRY(cmp_cder_end(&vals));
        out->extensions = ext.whole;
    }
    return CMP_OK;
}

/* cmp_x509_csr_parse: CertificationRequest ::= SEQUENCE {
 *   certificationRequestInfo SEQUENCE { version INTEGER { v1(0) }, subject Name,
 *     subjectPKInfo, attributes [0] Attributes }, signatureAlgorithm, signature } */
cmp_err cmp_x509_csr_parse(cmp_csr_info *out, cmp_span csr)
{
    cmp_cder_tlv top, info, t;
    cmp_cder_rd rd, ri;
    uint32_t version;
    unsigned unused;

    memset(out, 0, sizeof(*out));
    CMP_TRY(cmp_cder_one(csr, CDER_SEQUENCE, &top));
    cmp_cder_init(&rd, top.body);
    CMP_TRY(cmp_cder_get(&rd, CDER_SEQUENCE, &info));
    CMP_TRY(cmp_cder_get(&rd, CDER_SEQUENCE, &t));
    out->sig_alg = t.whole;
    CMP_TRY(cmp_cder_get_bits(&rd, &out->signature, &unused));
    CMP_ENSURE(unused == 0, CMP_ERR_DECODE);
    CMP_TRY(cmp_cder_end(&rd));
    out->info = info.whole;
    cmp_cder_init(&ri, info.body);
    CMP_TRY(cmp_cder_get_u32(&ri, &version));
    CMP_ENSURE(version == 0, CMP_ERR_DECODE);
    CMP_TRY(cmp_cder_get(&ri, CDER_SEQUENCE, &t));
    out->subject = t.whole;
    CMP_TRY(cmp_cder_get(&ri, CDER_SEQUENCE, &t));
    out->spki = t.whole;
    CMP_TRY(cmp_cder_get(&ri, CDER_CTX_CONS(0), &t));
    CMP_TRY(cmp_cder_end(&ri));
    return parse_attrs(out, t.body);
}
