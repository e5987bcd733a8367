/* SPDX-License-Identifier: Apache-2.0 */
/*
 * stack/server_req.c: what the CA checks in a certificate request and how
 * it turns an accepted one into a certificate (RFC 9810 section 5.3.1-5.3.4,
 * RFC 4211 sections 4-6, RFC 9483 sections 4.1 and 5.1).
 *
 * Checks run in the order a reviewer reads RFC 4211: how many requests,
 * certReqId, the template (subject, public key of an allowed type,
 * requested extensions, validity), then the proof of possession over the
 * CertRequest bytes exactly as received. Requested extensions are parsed
 * with the stack's one cursor (stack/rd.c).
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "cmp/mem.h"
#include "err_int.h"
#include "rd_int.h"
#include "server_int.h"

#define MAX_SAN 16

/* OBJECT IDENTIFIER contents compared as bytes against const tables
 * (STYLE.md section 6). */
static const uint8_t OID_RSA[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01};
static const uint8_t OID_EC[] = {0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01};
static const uint8_t OID_P256[] = {0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07};
static const uint8_t OID_P384[] = {0x2b, 0x81, 0x04, 0x00, 0x22};
static const uint8_t OID_P521[] = {0x2b, 0x81, 0x04, 0x00, 0x23};
static const uint8_t OID_ED25519[] = {0x2b, 0x65, 0x70};
static const uint8_t OID_SAN[] = {0x55, 0x1d, 0x11};
static const uint8_t OID_KU[] = {0x55, 0x1d, 0x0f};
static const uint8_t OID_BC[] = {0x55, 0x1d, 0x13};
static const uint8_t OID_EKU[] = {0x55, 0x1d, 0x25};
static const uint8_t OID_SKI[] = {0x55, 0x1d, 0x0e};

static int oid_is(cmp_span oid, const uint8_t *ref, size_t ref_len)
{
    return oid.len == ref_len && memcmp(oid.data, ref, ref_len) == 0;
}

#define OID_IS(span, tab) oid_is((span), (tab), sizeof(tab))

static cmp_span mk_span(const uint8_t *p, size_t n)
{
    cmp_span s;
    s.data = p;
    s.len = n;
    return s;
}

/* Bits of an unsigned big-endian INTEGER's contents. */
static unsigned int_bits(cmp_span v)
{
    size_t i = 0;
    unsigned bits;
    uint8_t top;

    while (i < v.len && v.data[i] == 0) {
        i++;
    }
    if (i == v.len) {
        return 0;
    }
    top = v.data[i];
    bits = (unsigned)((v.len - i - 1) * 8);
    while (top != 0) {
        bits++;
        top = (uint8_t)(top >> 1);
    }
    return bits;
}

/* RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER }
 * inside the subjectPublicKey BIT STRING (RFC 8017 appendix A.1.1). */
static cmp_err rsa_bits(unsigned *out, cmp_span bits)
{
    cmp_rd rd, seq;
    cmp_tlv tlv, n;
    uint8_t unused;

    cmp_rd_init(&rd, bits.data, bits.len);
    CMP_TRY(cmp_rd_get_u8(&rd, &unused));
    CMP_ENSURE(unused == 0, CMP_ERR_KEY_PARSE);
    CMP_TRY(cmp_rd_get_tlv(&rd, 0x30, &tlv));
    cmp_rd_contents(&tlv, &seq);
    CMP_TRY(cmp_rd_get_tlv(&seq, 0x02, &n));
    *out = int_bits(n.contents);
    return CMP_OK;
}

/* see server_int.h */
cmp_err cmp_srv_spki_key_type(cmp_key_type *out, cmp_span spki)
{
    cmp_rd rd, seq, alg;
    cmp_tlv t_spki, t_alg, t_oid, t_par, t_key;
    unsigned bits = 0;

    *out = CMP_KEY_NONE;
    cmp_rd_init(&rd, spki.data, spki.len);
    CMP_ENSURE(cmp_rd_get_tlv(&rd, 0x30, &t_spki) == CMP_OK && cmp_rd_left(&rd) == 0,
               CMP_ERR_TEMPLATE);
    cmp_rd_contents(&t_spki, &seq);
    CMP_ENSURE(cmp_rd_get_tlv(&seq, 0x30, &t_alg) == CMP_OK, CMP_ERR_TEMPLATE);
    CMP_ENSURE(cmp_rd_get_tlv(&seq, 0x03, &t_key) == CMP_OK && cmp_rd_left(&seq) == 0,
               CMP_ERR_TEMPLATE);
    cmp_rd_contents(&t_alg, &alg);
    CMP_ENSURE(cmp_rd_get_tlv(&alg, 0x06, &t_oid) == CMP_OK, CMP_ERR_TEMPLATE);
    if (OID_IS(t_oid.contents, OID_RSA)) {
        CMP_ENSURE(rsa_bits(&bits, t_key.contents) == CMP_OK, CMP_ERR_TEMPLATE);
        /* RFC 9481 section 3.1 and the provider's limits: 2048..8192 bits. */
        CMP_ENSURE(bits >= 2048 && bits <= 8192, CMP_ERR_KEY_TYPE);
        *out = CMP_KEY_RSA;
        return CMP_OK;
    }
    if (OID_IS(t_oid.contents, OID_ED25519)) {
        CMP_ENSURE(cmp_rd_left(&alg) == 0, CMP_ERR_TEMPLATE);
        *out = CMP_KEY_ED25519;
        return CMP_OK;
    }
    CMP_ENSURE(OID_IS(t_oid.contents, OID_EC), CMP_ERR_KEY_TYPE);
    CMP_ENSURE(cmp_rd_get_tlv(&alg, 0x06, &t_par) == CMP_OK, CMP_ERR_KEY_TYPE);
    if (OID_IS(t_par.contents, OID_P256)) {
        *out = CMP_KEY_EC_P256;
    } else if (OID_IS(t_par.contents, OID_P384)) {
        *out = CMP_KEY_EC_P384;
    } else if (OID_IS(t_par.contents, OID_P521)) {
        *out = CMP_KEY_EC_P521;
    } else {
        CMP_FAIL(CMP_ERR_KEY_TYPE);
    }
    return CMP_OK;
}

/* ---- requested extensions ------------------------------------------------- */

typedef struct req_exts {
    uint32_t key_usage;     /* 0: none requested */
    cmp_general_name san[MAX_SAN];
    size_t num_san;
} req_exts;

/* KeyUsage ::= BIT STRING: bit n of the string is CMP_KU bit n. */
static cmp_err parse_ku(uint32_t *out, cmp_span value)
{
    cmp_rd rd;
    cmp_tlv t;
    size_t i, b;

    *out = 0;
    cmp_rd_init(&rd, value.data, value.len);
    CMP_ENSURE(cmp_rd_get_tlv(&rd, 0x03, &t) == CMP_OK && cmp_rd_left(&rd) == 0,
               CMP_ERR_TEMPLATE);
    CMP_ENSURE(t.contents.len >= 2 && t.contents.len <= 3 && t.contents.data[0] < 8,
               CMP_ERR_TEMPLATE);
    for (i = 1; i < t.contents.len; i++) {
        for (b = 0; b < 8; b++) {
            if (t.contents.data[i] & (0x80u >> b)) {
                *out |= 1u << ((i - 1) * 8 + b);
            }
        }
    }
    return CMP_OK;
}

/* GeneralNames ::= SEQUENCE SIZE (1..MAX) OF GeneralName (RFC 5280
 * section 4.2.1.6). rfc822Name [1], dNSName [2], uniformResourceIdentifier
 * [6] and iPAddress [7] are copied; other forms are refused rather than
 * dropped, so that the certificate never silently differs from the request. */
static cmp_err parse_san(req_exts *out, cmp_span value)
{
    cmp_rd rd, seq;
    cmp_tlv t, gn;

    cmp_rd_init(&rd, value.data, value.len);
    CMP_ENSURE(cmp_rd_get_tlv(&rd, 0x30, &t) == CMP_OK && cmp_rd_left(&rd) == 0,
               CMP_ERR_TEMPLATE);
    cmp_rd_contents(&t, &seq);
    CMP_ENSURE(cmp_rd_left(&seq) > 0, CMP_ERR_TEMPLATE);
    while (cmp_rd_left(&seq) > 0) {
        CMP_ENSURE(cmp_rd_get_any_tlv(&seq, &gn) == CMP_OK, CMP_ERR_TEMPLATE);
        CMP_ENSURE(out->num_san < MAX_SAN, CMP_ERR_TEMPLATE);
        switch (gn.tag) {
        case 0x81:
            out->san[out->num_san].type = CMP_GN_EMAIL;
            break;
        case 0x82:
            out->san[out->num_san].type = CMP_GN_DNS;
            break;
        case 0x86:
            out->san[out->num_san].type = CMP_GN_URI;
            break;
        case 0x87:
            CMP_ENSURE(gn.contents.len == 4 || gn.contents.len == 16, CMP_ERR_TEMPLATE);
            out->san[out->num_san].type = CMP_GN_IP;
            break;
        default:
            CMP_FAIL(CMP_ERR_TEMPLATE);
        }
        CMP_ENSURE(gn.contents.len > 0, CMP_ERR_TEMPLATE);
        out->san[out->num_san].value = gn.contents;
        out->num_san++;
    }
    return CMP_OK;
}

/* BasicConstraints ::= SEQUENCE { cA BOOLEAN DEFAULT FALSE, ... }: an end
 * entity may not ask for cA TRUE. */
static cmp_err check_bc(cmp_span value)
{
    cmp_rd rd, seq;
    cmp_tlv t, b;

    cmp_rd_init(&rd, value.data, value.len);
    CMP_ENSURE(cmp_rd_get_tlv(&rd, 0x30, &t) == CMP_OK && cmp_rd_left(&rd) == 0,
               CMP_ERR_TEMPLATE);
    cmp_rd_contents(&t, &seq);
    if (cmp_rd_left(&seq) > 0) {
        CMP_ENSURE(cmp_rd_get_tlv(&seq, 0x01, &b) == CMP_OK, CMP_ERR_TEMPLATE);
        CMP_ENSURE(b.contents.len == 1 && b.contents.data[0] == 0, CMP_ERR_TEMPLATE);
    }
    return CMP_OK;
}

/* Extensions ::= SEQUENCE SIZE (1..MAX) OF Extension
 * Extension ::= SEQUENCE { extnID OID, critical BOOLEAN DEFAULT FALSE,
 *                          extnValue OCTET STRING } (RFC 5280 4.1) */
static cmp_err parse_exts(req_exts *out, cmp_span exts, const cmp_server_profile *prof)
{
    cmp_rd rd, seq, ext;
    cmp_tlv t, e, oid, crit, val;
    int critical;
    uint8_t tag;

    memset(out, 0, sizeof(*out));
    if (exts.len == 0) {
        return CMP_OK;
    }
    cmp_rd_init(&rd, exts.data, exts.len);
    CMP_ENSURE(cmp_rd_get_tlv(&rd, 0x30, &t) == CMP_OK && cmp_rd_left(&rd) == 0,
               CMP_ERR_TEMPLATE);
    cmp_rd_contents(&t, &seq);
    while (cmp_rd_left(&seq) > 0) {
        CMP_ENSURE(cmp_rd_get_tlv(&seq, 0x30, &e) == CMP_OK, CMP_ERR_TEMPLATE);
        cmp_rd_contents(&e, &ext);
        CMP_ENSURE(cmp_rd_get_tlv(&ext, 0x06, &oid) == CMP_OK, CMP_ERR_TEMPLATE);
        critical = 0;
        if (cmp_rd_peek_tag(&ext, &tag) && tag == 0x01) {
            CMP_ENSURE(cmp_rd_get_tlv(&ext, 0x01, &crit) == CMP_OK && crit.contents.len == 1,
                       CMP_ERR_TEMPLATE);
            critical = crit.contents.data[0] != 0;
        }
        CMP_ENSURE(cmp_rd_get_tlv(&ext, 0x04, &val) == CMP_OK && cmp_rd_left(&ext) == 0,
                   CMP_ERR_TEMPLATE);
        if (OID_IS(oid.contents, OID_SAN)) {
            CMP_ENSURE(prof->allow_san || !critical, CMP_ERR_TEMPLATE);
            if (prof->allow_san) {
                CMP_TRY(parse_san(out, val.contents));
            }
        } else if (OID_IS(oid.contents, OID_KU)) {
            uint32_t ku;
            CMP_TRY(parse_ku(&ku, val.contents));
            /* An end entity may not ask for CA key usages. */
            CMP_ENSURE((ku & (CMP_KU_KEY_CERT_SIGN | CMP_KU_CRL_SIGN)) == 0, CMP_ERR_TEMPLATE);
            if (prof->allow_key_usage) {
                out->key_usage = ku;
            }
        } else if (OID_IS(oid.contents, OID_BC)) {
            CMP_TRY(check_bc(val.contents));
        } else if (OID_IS(oid.contents, OID_EKU) || OID_IS(oid.contents, OID_SKI)) {
            /* extendedKeyUsage comes from the profile; the SKI is ours to
             * compute. Neither changes what the certificate says about
             * the request. */
        } else {
            /* = https://www.rfc-editor.org/rfc/rfc5280#section-4.2
             * # A certificate-using system MUST reject the certificate if it
             * # encounters a critical extension it does not recognize
             * A CA that cannot honour a critical request refuses it. */
            CMP_ENSURE(!critical, CMP_ERR_TEMPLATE);
        }
    }
    return CMP_OK;
}

/* see server_int.h */
cmp_err cmp_srv_exts_check(cmp_span exts, const cmp_server_profile *prof)
{
    req_exts rx;

    return parse_exts(&rx, exts, prof);
}

/* ---- reading and checking the request --------------------------------------- */

/* = https://www.rfc-editor.org/rfc/rfc4211#section-4.1
 * # the signature is computed over the DER-encoded value of certReq
 * The POPO is checked with the template's own public key. */
static cmp_err check_popo(cmp_crypto *c, const cmp_certreq *r, int accept_raverified)
{
    switch (r->popo_type) {
    case CMP_POPO_SIGNATURE:
        /* poposkInput is used only when the template has no subject or key;
         * RFC 9483 section 4.1.1 never needs it. */
        CMP_ENSURE(!r->popo_has_input, CMP_ERR_POPO);
        CMP_ENSURE(r->popo_alg.len > 0 && r->popo_sig.len > 0 && r->tbs.len > 0, CMP_ERR_POPO);
        CMP_ENSURE(cmp_crypto_verify(c, r->public_key, r->popo_alg, r->tbs, r->popo_sig) ==
                       CMP_OK,
                   CMP_ERR_POPO);
        return CMP_OK;
    case CMP_POPO_RA_VERIFIED:
        /* = https://www.rfc-editor.org/rfc/rfc9483#section-4.1.1
         * # raVerified ... MUST only be used by an RA */
        CMP_ENSURE(accept_raverified, CMP_ERR_POPO);
        return CMP_OK;
    default:
        CMP_FAIL(CMP_ERR_POPO);
    }
}

static cmp_err read_crmf(cmp_crypto *c, cmp_srv_certreq *out, const cmp_msg *req,
                         int accept_raverified)
{
    cmp_certreq r;
    cmp_key_type kt;

    /* = https://www.rfc-editor.org/rfc/rfc9483#section-4.1.1
     * # certReqId MUST be 0 ... exactly one CertReqMsg */
    CMP_ENSURE(cmp_msg_num_certreqs(req) == 1, CMP_ERR_BAD_REQUEST);
    CMP_TRY(cmp_msg_certreq(req, 0, &r));
    CMP_ENSURE(r.cert_req_id == 0, CMP_ERR_CERT_REQ_ID);
    CMP_ENSURE(r.public_key.len > 0, CMP_ERR_TEMPLATE);
    CMP_TRY(cmp_srv_spki_key_type(&kt, r.public_key));
    /* kur may leave the subject to the certificate being updated. */
    CMP_ENSURE(r.subject.len > 0 || cmp_msg_body_type(req) == CMP_BODY_KUR, CMP_ERR_TEMPLATE);
    CMP_ENSURE(r.not_after == 0 || r.not_before == 0 || r.not_after > r.not_before,
               CMP_ERR_TEMPLATE);
    CMP_TRY(check_popo(c, &r, accept_raverified));
    out->cert_req_id = r.cert_req_id;
    out->subject = r.subject;
    out->public_key = r.public_key;
    out->extensions = r.extensions;
    out->not_before = r.not_before;
    out->not_after = r.not_after;
    out->old_cert_issuer = r.old_cert_issuer;
    out->old_cert_serial = r.old_cert_serial;
    return CMP_OK;
}

/* = https://www.rfc-editor.org/rfc/rfc9810#section-5.3.4
 * # the certReqId ... MUST be set to -1 (p10cr) */
static cmp_err read_p10(cmp_crypto *c, cmp_srv_certreq *out, const cmp_msg *req)
{
    cmp_span csr = cmp_msg_p10cr(req);
    cmp_csr_info ci;
    cmp_key_type kt;
    cmp_err e;

    CMP_ENSURE(csr.len > 0, CMP_ERR_CSR_PARSE);
    CMP_TRY(cmp_crypto_csr_parse(&ci, csr));
    CMP_TRY(cmp_srv_spki_key_type(&kt, ci.spki));
    e = cmp_crypto_csr_verify(c, csr);
    CMP_ENSURE(e != CMP_ERR_CSR_PARSE, CMP_ERR_CSR_PARSE);
    CMP_ENSURE(e == CMP_OK, CMP_ERR_POPO);
    CMP_ENSURE(ci.subject.len > 2, CMP_ERR_TEMPLATE);
    out->cert_req_id = -1;
    out->subject = ci.subject;
    out->public_key = ci.spki;
    out->extensions = ci.extensions;
    return CMP_OK;
}

/* see server_int.h */
cmp_err cmp_srv_certreq_read(cmp_crypto *c, cmp_srv_certreq *out, const cmp_msg *req,
                             int accept_raverified)
{
    memset(out, 0, sizeof(*out));
    out->body = cmp_msg_body_type(req);
    switch (out->body) {
    case CMP_BODY_IR:
    case CMP_BODY_CR:
    case CMP_BODY_KUR:
        return read_crmf(c, out, req, accept_raverified);
    case CMP_BODY_P10CR:
        return read_p10(c, out, req);
    default:
        CMP_FAIL(CMP_ERR_BODY_TYPE);
    }
}

/* ---- issuing ------------------------------------------------------------------ */

#define DEFAULT_VALIDITY (365 * 24 * 3600)

/* see server_int.h */
cmp_err cmp_srv_issue(cmp_crypto *c, cmp_buf *out, cmp_key *ca_key, cmp_span ca_cert,
                      const cmp_server_profile *prof, const cmp_srv_certreq *req,
                      cmp_span serial, int64_t now)
{
    cmp_cert_template t;
    req_exts rx;
    int64_t validity = prof->validity > 0 ? prof->validity : DEFAULT_VALIDITY;

    CMP_TRY(parse_exts(&rx, req->extensions, prof));
    /* An empty subject needs a subjectAltName (RFC 5280 section 4.1.2.6). */
    CMP_ENSURE(req->subject.len > 2 || rx.num_san > 0, CMP_ERR_TEMPLATE);
    memset(&t, 0, sizeof(t));
    t.subject = req->subject;
    t.spki = req->public_key;
    t.serial = serial;
    t.not_before = now;
    t.not_after = now + validity;
    if (prof->template_validity) {
        if (req->not_before > 0) {
            t.not_before = req->not_before;
        }
        if (req->not_after > 0 && req->not_after - t.not_before <= validity) {
            t.not_after = req->not_after;
        }
    }
    CMP_ENSURE(t.not_after > t.not_before, CMP_ERR_TEMPLATE);
    /* = https://www.rfc-editor.org/rfc/rfc5280#section-4.2.1.9
     * basicConstraints cA FALSE marks an end-entity certificate; SKI and AKI
     * (sections 4.2.1.1-2) let clients build the path. */
    t.exts.exts = CMP_EXT_BASIC_CONSTRAINTS | CMP_EXT_KEY_USAGE | CMP_EXT_SUBJECT_KEY_ID |
                  CMP_EXT_AUTHORITY_KEY_ID;
    t.exts.is_ca = 0;
    t.exts.path_len = -1;
    t.exts.key_usage = rx.key_usage != 0 ? rx.key_usage
                       : (prof->key_usage != 0 ? prof->key_usage : CMP_KU_DIGITAL_SIGNATURE);
    if (prof->ext_key_usage != 0) {
        t.exts.exts |= CMP_EXT_EXT_KEY_USAGE;
        t.exts.ext_key_usage = prof->ext_key_usage;
    }
    if (rx.num_san > 0) {
        t.exts.exts |= CMP_EXT_SUBJECT_ALT_NAME;
        t.exts.san = rx.san;
        t.exts.num_san = rx.num_san;
    }
    return cmp_crypto_cert_issue(c, out, ca_key, ca_cert, mk_span(NULL, 0), &t);
}

/* ---- a small DER writer ---------------------------------------------------------- */

void cmp_srv_wr_init(cmp_srv_wr *w)
{
    memset(w, 0, sizeof(*w));
}

void cmp_srv_wr_cleanup(cmp_srv_wr *w)
{
    cmp_buf_cleanup(&w->buf);
    memset(w, 0, sizeof(*w));
}

void cmp_srv_wr_raw(cmp_srv_wr *w, cmp_span bytes)
{
    uint8_t *nb;
    size_t ncap;

    if (w->failed || bytes.len == 0) {
        return;
    }
    if (bytes.len > SIZE_MAX / 2 - w->buf.len) {
        w->failed = 1;
        return;
    }
    if (w->buf.len + bytes.len > w->cap) {
        ncap = (w->buf.len + bytes.len) * 2;
        nb = cmp_realloc(w->buf.data, ncap);
        if (nb == NULL) {
            w->failed = 1;
            return;
        }
        w->buf.data = nb;
        w->cap = ncap;
    }
    memcpy(w->buf.data + w->buf.len, bytes.data, bytes.len);
    w->buf.len += bytes.len;
}

void cmp_srv_wr_tlv(cmp_srv_wr *w, uint8_t tag, cmp_span body)
{
    uint8_t hdr[10];
    size_t n = 0, len = body.len, i, k;

    hdr[n++] = tag;
    if (len < 0x80) {
        hdr[n++] = (uint8_t)len;
    } else {
        k = 0;
        for (i = len; i > 0; i >>= 8) {
            k++;
        }
        hdr[n++] = (uint8_t)(0x80 | k);
        while (k > 0) {
            k--;
            hdr[n++] = (uint8_t)(len >> (8 * k));
        }
    }
    cmp_srv_wr_raw(w, mk_span(hdr, n));
    cmp_srv_wr_raw(w, body);
}

cmp_err cmp_srv_wr_finish(cmp_srv_wr *w, cmp_buf *out)
{
    if (w->failed) {
        cmp_srv_wr_cleanup(w);
        CMP_FAIL(CMP_ERR_NOMEM);
    }
    *out = w->buf;
    memset(w, 0, sizeof(*w));
    return CMP_OK;
}
