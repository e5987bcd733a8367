/* SPDX-License-Identifier: Apache-2.0 */
/*
 * stack/msg_print.c: cmp_msg_print, a rendering of a PKIMessage for people
 * (text) and for programs (JSON), written through the caller's callback:
 * the library itself never prints (STYLE.md section 7).
 *
 * Everything printed comes from a peer, so every string is escaped (text:
 * visible ASCII and valid UTF-8 only; JSON: RFC 8259 escapes), byte
 * strings are hex, and a field that does not decode is printed as an error
 * name, after which printing goes on. The first such error is returned.
 */
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "cmp/ext.h"
#include "cmp/mem.h"
#include "cmp/oid.h"
#include "err_int.h"
#include "msg_body_int.h"
#include "rd_int.h"

#include "AlgorithmIdentifier.h"
#include "CMPCertificate.h"
#include "CertReqMsg.h"
#include "CertResponse.h"
#include "CertStatus.h"
#include "CertifiedKeyPair.h"
#include "RevDetails.h"
#include "Certificate.h"
#include "GeneralizedTime.h"
#include "InfoTypeAndValue.h"
#include "OptionalValidity.h"
#include "ProofOfPossession.h"
#include "SubjectPublicKeyInfo.h"

#define PR_MAX_DEPTH 16
#define PR_TEXT_LEN 1024

typedef struct pr {
    cmp_write_fn write;
    void *arg;
    int json;
    int depth;
    size_t count[PR_MAX_DEPTH]; /* elements written at each depth */
    cmp_err first_err;
} pr;

/* ---- output --------------------------------------------------------------- */

static void out(pr *p, const char *s, size_t n)
{
    if (n > 0) {
        p->write(p->arg, s, n);
    }
}

static void outs(pr *p, const char *s)
{
    out(p, s, strlen(s));
}

static void out_u64(pr *p, uint64_t v)
{
    char tmp[24];
    size_t i = sizeof(tmp);

    do {
        tmp[--i] = (char)('0' + (int)(v % 10u));
        v /= 10u;
    } while (v != 0);
    out(p, tmp + i, sizeof(tmp) - i);
}

static void out_i64(pr *p, int64_t v)
{
    if (v < 0) {
        outs(p, "-");
        out_u64(p, (uint64_t)(-(v + 1)) + 1u);
    } else {
        out_u64(p, (uint64_t)v);
    }
}

static void out_hex(pr *p, cmp_span s)
{
    static const char digits[] = "0123456789abcdef";
    size_t i;

    for (i = 0; i < s.len; i++) {
        char h[2];
        h[0] = digits[s.data[i] >> 4];
        h[1] = digits[s.data[i] & 15];
        out(p, h, 2);
    }
}

/* One escaped byte: JSON \u00XX, text \xNN. */
static void out_escaped_byte(pr *p, uint8_t c)
{
    cmp_span one = {&c, 1};

    outs(p, p->json ? "\\u00" : "\\x");
    out_hex(p, one);
}

/* Peer text: well-formed UTF-8 passes (except C0/C1 controls, DEL and, in
 * JSON, '"' and '\'); anything else is escaped byte by byte. */
static void out_text(pr *p, cmp_span s)
{
    int utf8 = cmp_utf8_valid(s);
    size_t i;

    for (i = 0; i < s.len; i++) {
        uint8_t c = s.data[i];
        int c1 = c == 0xc2 && i + 1 < s.len && s.data[i + 1] >= 0x80 && s.data[i + 1] < 0xa0;
        if (p->json && (c == '"' || c == '\\')) {
            char e[2] = {'\\', (char)c};
            out(p, e, 2);
        } else if (c1) {
            /* U+0080..U+009F: JSON names the code point, text the bytes */
            if (!p->json) {
                out_escaped_byte(p, c);
            }
            out_escaped_byte(p, s.data[++i]);
        } else if (c < 0x20 || c == 0x7f || (c >= 0x80 && !utf8) || (!p->json && c == '\\')) {
            out_escaped_byte(p, c);
        } else {
            out(p, (const char *)&c, 1);
        }
    }
}

static void out_cstr(pr *p, const char *s)
{
    cmp_span sp;
    sp.data = (const uint8_t *)s;
    sp.len = strlen(s);
    out_text(p, sp);
}

/* ---- structure ------------------------------------------------------------ */

/* Starts an element: the separator, the indentation and the key ("[i]" for
 * an array item in text). */
static void pr_key(pr *p, const char *key)
{
    size_t n = p->count[p->depth]++;
    int i;

    if (p->json) {
        if (n > 0) {
            outs(p, ",");
        }
        if (key != NULL) {
            outs(p, "\"");
            out_cstr(p, key);
            outs(p, "\":");
        }
        return;
    }
    for (i = 0; i < p->depth; i++) {
        outs(p, "  ");
    }
    if (key != NULL) {
        outs(p, key);
    } else {
        outs(p, "[");
        out_u64(p, (uint64_t)n);
        outs(p, "]");
    }
}

static void pr_open(pr *p, const char *key, int array)
{
    pr_key(p, key);
    outs(p, p->json ? (array ? "[" : "{") : ":\n");
    if (p->depth + 1 < PR_MAX_DEPTH) {
        p->depth++;
    }
    p->count[p->depth] = 0;
}

static void pr_close(pr *p, int array)
{
    if (p->depth > 0) {
        p->depth--;
    }
    if (p->json) {
        outs(p, array ? "]" : "}");
    }
}

static void pr_end_scalar(pr *p)
{
    if (!p->json) {
        outs(p, "\n");
    }
}

/* A string value (escaped). */
static void pr_str(pr *p, const char *key, const char *value)
{
    pr_key(p, key);
    outs(p, p->json ? "\"" : ": ");
    out_cstr(p, value);
    outs(p, p->json ? "\"" : "");
    pr_end_scalar(p);
}

static void pr_text(pr *p, const char *key, cmp_span value)
{
    pr_key(p, key);
    outs(p, p->json ? "\"" : ": ");
    out_text(p, value);
    outs(p, p->json ? "\"" : "");
    pr_end_scalar(p);
}

static void pr_int(pr *p, const char *key, int64_t v)
{
    pr_key(p, key);
    outs(p, p->json ? "" : ": ");
    out_i64(p, v);
    pr_end_scalar(p);
}

static void pr_hex(pr *p, const char *key, cmp_span v)
{
    pr_key(p, key);
    outs(p, p->json ? "\"" : ": ");
    out_hex(p, v);
    outs(p, p->json ? "\"" : "");
    pr_end_scalar(p);
}

static void pr_bool(pr *p, const char *key, int v)
{
    pr_key(p, key);
    outs(p, p->json ? "" : ": ");
    outs(p, v ? "true" : "false");
    pr_end_scalar(p);
}

/* A field that could not be interpreted: its error name, remembered. */
static void pr_error(pr *p, const char *key, cmp_err e)
{
    if (p->first_err == CMP_OK) {
        p->first_err = e;
    }
    pr_str(p, key, cmp_err_name(e));
}

/* An OID by name, else dotted. */
static void pr_oid(pr *p, const char *key, cmp_span oid)
{
    char tmp[128];
    const char *name = cmp_oid_name(oid);
    cmp_err e;

    if (name != NULL) {
        pr_str(p, key, name);
        return;
    }
    e = cmp_oid_to_string(tmp, sizeof(tmp), oid);
    if (e != CMP_OK) {
        pr_error(p, key, e);
        return;
    }
    pr_str(p, key, tmp);
}

static void pr_time(pr *p, const char *key, int64_t t)
{
    char iso[CMP_ISO_TIME_LEN];

    cmp_time_iso(iso, t);
    pr_str(p, key, iso);
}

/* A value read with error |e|: the value when it was read, else the error. */
static void pr_int_or(pr *p, const char *key, cmp_err e, int64_t v)
{
    if (e != CMP_OK) {
        pr_error(p, key, e);
        return;
    }
    pr_int(p, key, v);
}

static void pr_time_or(pr *p, const char *key, cmp_err e, int64_t t)
{
    if (e != CMP_OK) {
        pr_error(p, key, e);
        return;
    }
    pr_time(p, key, t);
}

static void pr_str_or(pr *p, const char *key, cmp_err e, const char *v)
{
    if (e != CMP_OK) {
        pr_error(p, key, e);
        return;
    }
    pr_str(p, key, v);
}

/* ---- shared pieces -------------------------------------------------------- */

static void pr_name(pr *p, const char *key, const Name_t *name)
{
    char tmp[PR_TEXT_LEN];
    cmp_err e = cmp_name_str(tmp, sizeof(tmp), name);

    if (e != CMP_OK) {
        pr_error(p, key, e);
        return;
    }
    pr_str(p, key, tmp);
}

/* A GeneralName: a directoryName as "/O=../CN=..", others with their kind. */
static void pr_general_name(pr *p, const char *key, const GeneralName_t *gn)
{
    char tmp[PR_TEXT_LEN];
    cmp_err e;

    if (gn->present == GeneralName_PR_directoryName) {
        pr_name(p, key, &gn->choice.directoryName);
        return;
    }
    e = cmp_general_name_str(tmp, sizeof(tmp), gn);
    if (e != CMP_OK) {
        pr_error(p, key, e);
        return;
    }
    pr_str(p, key, tmp);
}

static void pr_general_name_der(pr *p, const char *key, cmp_span der)
{
    GeneralName_t *gn = NULL;
    cmp_err e = cmp_asn_decode(&asn_DEF_GeneralName, der, (void **)&gn);

    if (e != CMP_OK) {
        pr_error(p, key, e);
        return;
    }
    pr_general_name(p, key, gn);
    ASN_STRUCT_FREE(asn_DEF_GeneralName, gn);
}

static void pr_alg(pr *p, const char *key, const AlgorithmIdentifier_t *alg)
{
    pr_oid(p, key, CMP_SPAN_OF(&alg->algorithm));
}

/* Bits of an RSA modulus: SubjectPublicKey holds RSAPublicKey ::= SEQUENCE
 * { modulus INTEGER, publicExponent INTEGER } (RFC 8017 appendix A.1.1). */
static size_t rsa_bits(cmp_span key)
{
    cmp_rd rd, seq;
    cmp_tlv t;
    size_t i = 0, bits;
    uint8_t top;

    cmp_rd_init(&rd, key.data, key.len);
    if (cmp_rd_get_tlv(&rd, 0x30, &t) != CMP_OK) {
        return 0;
    }
    cmp_rd_contents(&t, &seq);
    if (cmp_rd_get_tlv(&seq, 0x02, &t) != CMP_OK || t.contents.len == 0) {
        return 0;
    }
    while (i + 1 < t.contents.len && t.contents.data[i] == 0) {
        i++;
    }
    bits = (t.contents.len - i) * 8;
    for (top = t.contents.data[i]; bits > 0 && (top & 0x80) == 0 && top != 0; top <<= 1) {
        bits--;
    }
    return bits;
}

/* SubjectPublicKeyInfo: the algorithm, the curve of an EC key, the size of
 * an RSA key. */
static void pr_spki(pr *p, const char *key, const SubjectPublicKeyInfo_t *spki)
{
    cmp_span alg = CMP_SPAN_OF(&spki->algorithm.algorithm);
    const char *name = cmp_oid_name(alg);

    pr_open(p, key, 0);
    pr_alg(p, "algorithm", &spki->algorithm);
    if (name != NULL && strcmp(name, "id-ecPublicKey") == 0 &&
        spki->algorithm.parameters != NULL) {
        cmp_rd rd;
        cmp_tlv t;
        cmp_span par = CMP_SPAN_OF(spki->algorithm.parameters);
        cmp_rd_init(&rd, par.data, par.len);
        if (cmp_rd_get_tlv(&rd, 0x06, &t) == CMP_OK) {
            pr_oid(p, "curve", t.contents);
        }
    } else if (name != NULL && strcmp(name, "rsaEncryption") == 0) {
        pr_int(p, "bits", (int64_t)rsa_bits(CMP_SPAN_OF(&spki->subjectPublicKey)));
    }
    pr_close(p, 0);
}

/* A certificate: subject, issuer, serial, validity, key (RFC 5280 4.1). */
static void pr_cert(pr *p, const char *key, const Certificate_t *c)
{
    const TBSCertificate_t *tbs = &c->tbsCertificate;
    int64_t t = 0;
    cmp_err e;

    pr_open(p, key, 0);
    pr_name(p, "subject", &tbs->subject);
    pr_name(p, "issuer", &tbs->issuer);
    pr_hex(p, "serial", CMP_SPAN_OF(&tbs->serialNumber));
    e = cmp_time_read(&tbs->validity.notBefore, &t);
    pr_time_or(p, "notBefore", e, t);
    e = cmp_time_read(&tbs->validity.notAfter, &t);
    pr_time_or(p, "notAfter", e, t);
    pr_spki(p, "publicKey", &tbs->subjectPublicKeyInfo);
    pr_alg(p, "signatureAlgorithm", &c->signatureAlgorithm);
    pr_close(p, 0);
}

static void pr_cmp_cert(pr *p, const char *key, const CMPCertificate_t *c)
{
    if (c == NULL || c->present != CMPCertificate_PR_x509v3PKCert) {
        pr_error(p, key, CMP_ERR_CERT_PARSE);
        return;
    }
    pr_cert(p, key, &c->choice.x509v3PKCert);
}

/* Extensions (DER) as name, criticality and rendered value. */
static void pr_exts(pr *p, const char *key, cmp_span exts)
{
    char tmp[PR_TEXT_LEN];
    size_t n = 0, i;
    cmp_ext x;
    cmp_err e = cmp_ext_count(exts, &n);

    if (e != CMP_OK) {
        pr_error(p, key, e);
        return;
    }
    pr_open(p, key, 1);
    for (i = 0; i < n; i++) {
        pr_open(p, NULL, 0);
        e = cmp_ext_get(exts, i, &x);
        if (e == CMP_OK) {
            pr_oid(p, "extnID", x.oid);
            if (x.critical) {
                pr_bool(p, "critical", 1);
            }
            e = cmp_ext_to_string(tmp, sizeof(tmp), &x);
        }
        pr_str_or(p, "value", e, tmp);
        pr_close(p, 0);
    }
    pr_close(p, 1);
}

/* PKIStatusInfo with the names of status and failInfo bits. */
static void pr_status(pr *p, const char *key, const cmp_status_info *si)
{
    size_t i;
    int bit;

    pr_open(p, key, 0);
    pr_str(p, "status", cmp_status_name(si->status));
    if (si->fail_info != 0) {
        pr_open(p, "failInfo", 1);
        for (bit = 0; bit < 32; bit++) {
            if (si->fail_info & ((uint32_t)1 << bit)) {
                const char *name = cmp_failinfo_name(bit);
                if (name != NULL) {
                    pr_str(p, NULL, name);
                } else {
                    pr_int(p, NULL, bit);
                }
            }
        }
        pr_close(p, 1);
    }
    if (si->num_texts > 0) {
        pr_open(p, "statusString", 1);
        for (i = 0; i < si->num_texts; i++) {
            pr_text(p, NULL, si->texts[i]);
        }
        pr_close(p, 1);
    }
    pr_close(p, 0);
}

/* ---- header --------------------------------------------------------------- */

/* 1 when every element of |list| is a UTF8String (and there is one). */
static int all_utf8(cmp_rd list)
{
    cmp_tlv t;
    size_t n = 0;

    while (cmp_rd_left(&list) > 0) {
        if (cmp_rd_get_tlv(&list, 0x0c, &t) != CMP_OK) {
            return 0;
        }
        n++;
    }
    return n > 0;
}

/* A value that is a UTF8String, or a SEQUENCE OF UTF8String such as
 * certProfile (RFC 9810 section 5.1.1.4), as text; 0 when it is not. */
static int pr_utf8_value(pr *p, cmp_span value)
{
    cmp_rd rd, list;
    cmp_tlv t;

    cmp_rd_init(&rd, value.data, value.len);
    if (cmp_rd_get_any_tlv(&rd, &t) != CMP_OK || cmp_rd_left(&rd) != 0) {
        return 0;
    }
    if (t.tag == 0x0c) {
        pr_text(p, "value", t.contents);
        return 1;
    }
    cmp_rd_contents(&t, &list);
    if (t.tag != 0x30 || !all_utf8(list)) {
        return 0;
    }
    pr_open(p, "value", 1);
    while (cmp_rd_get_tlv(&list, 0x0c, &t) == CMP_OK) {
        pr_text(p, NULL, t.contents);
    }
    pr_close(p, 1);
    return 1;
}

/* A generalInfo value worth showing: confirmWaitTime as a time (RFC 9810
 * section 5.1.1.2), short values as hex, long ones by length. */
static void pr_info_value(pr *p, cmp_span oid, cmp_span value)
{
    const char *name = cmp_infotype_name(oid);
    GeneralizedTime_t *gt = NULL;
    int64_t t = 0;

    if (value.len == 0) {
        return;
    }
    if (name != NULL && strcmp(name, "confirmWaitTime") == 0 &&
        cmp_asn_decode(&asn_DEF_GeneralizedTime, value, (void **)&gt) == CMP_OK) {
        cmp_err e = cmp_gtime_parse(CMP_SPAN_OF(gt), &t);
        ASN_STRUCT_FREE(asn_DEF_GeneralizedTime, gt);
        if (e == CMP_OK) {
            pr_time(p, "value", t);
            return;
        }
    }
    if (pr_utf8_value(p, value)) {
        return;
    }
    if (value.len <= 64) {
        pr_hex(p, "value", value);
    } else {
        pr_int(p, "valueLength", (int64_t)value.len);
    }
}

static void pr_general_info(pr *p, const cmp_msg *m)
{
    size_t n = cmp_msg_num_general_info(m), i;
    cmp_span oid, value;

    if (n == 0) {
        return;
    }
    pr_open(p, "generalInfo", 1);
    for (i = 0; i < n; i++) {
        pr_open(p, NULL, 0);
        if (cmp_msg_general_info(m, i, &oid, &value) == CMP_OK) {
            pr_oid(p, "infoType", oid);
            pr_info_value(p, oid, value);
        }
        pr_close(p, 0);
    }
    pr_close(p, 1);
}

/* An optional OCTET STRING of the header, in hex. */
static void pr_opt_hex(pr *p, const char *key, cmp_span s)
{
    if (s.len > 0) {
        pr_hex(p, key, s);
    }
}

/* PKIHeader (RFC 9810 section 5.1.1). */
static void pr_header(pr *p, const cmp_msg *m)
{
    const PKIHeader_t *h = &m->pm->header;
    size_t i, n;
    long pvno = 0;
    int64_t t = 0;
    cmp_err e;

    pr_open(p, "header", 0);
    e = cmp_msg_pvno(m, &pvno);
    pr_int_or(p, "pvno", e, pvno);
    pr_general_name(p, "sender", &h->sender);
    pr_general_name(p, "recipient", &h->recipient);
    if (h->messageTime != NULL) {
        e = cmp_msg_message_time(m, &t);
        pr_time_or(p, "messageTime", e, t);
    }
    if (h->protectionAlg != NULL) {
        pr_alg(p, "protectionAlg", h->protectionAlg);
    }
    pr_opt_hex(p, "senderKID", cmp_msg_sender_kid(m));
    pr_opt_hex(p, "recipKID", cmp_msg_recip_kid(m));
    pr_opt_hex(p, "transactionID", cmp_msg_transaction_id(m));
    pr_opt_hex(p, "senderNonce", cmp_msg_sender_nonce(m));
    pr_opt_hex(p, "recipNonce", cmp_msg_recip_nonce(m));
    n = cmp_msg_num_free_text(m);
    if (n > 0) {
        pr_open(p, "freeText", 1);
        for (i = 0; i < n; i++) {
            pr_text(p, NULL, cmp_msg_free_text(m, i));
        }
        pr_close(p, 1);
    }
    pr_general_info(p, m);
    pr_close(p, 0);
}

/* ---- bodies --------------------------------------------------------------- */

static void pr_int_field(pr *p, const char *key, const INTEGER_t *v)
{
    int64_t x = 0;
    cmp_err e = cmp_int_get(v, &x);

    pr_int_or(p, key, e, x);
}

static void pr_opt_time(pr *p, const char *key, const Time_t *tm)
{
    int64_t t = 0;
    cmp_err e;

    if (tm == NULL) {
        return;
    }
    e = cmp_time_read(tm, &t);
    pr_time_or(p, key, e, t);
}

/* An Extensions member of the tree, printed from its DER. */
static void pr_exts_tree(pr *p, const char *key, const Extensions_t *exts)
{
    cmp_buf der = {NULL, 0};
    cmp_span s;
    cmp_err e;

    if (exts == NULL) {
        return;
    }
    e = cmp_asn_encode(&asn_DEF_Extensions, exts, &der);
    if (e != CMP_OK) {
        pr_error(p, key, e);
        return;
    }
    s.data = der.data;
    s.len = der.len;
    pr_exts(p, key, s);
    cmp_buf_cleanup(&der);
}

/* CertTemplate (RFC 4211 section 5): the fields that are present. */
static void pr_template(pr *p, const char *key, const CertTemplate_t *t)
{
    pr_open(p, key, 0);
    if (t->serialNumber != NULL) {
        pr_hex(p, "serialNumber", CMP_SPAN_OF(t->serialNumber));
    }
    if (t->signingAlg != NULL) {
        pr_alg(p, "signingAlg", t->signingAlg);
    }
    if (t->issuer != NULL) {
        pr_name(p, "issuer", t->issuer);
    }
    if (t->validity != NULL) {
        pr_opt_time(p, "notBefore", t->validity->notBefore);
        pr_opt_time(p, "notAfter", t->validity->notAfter);
    }
    if (t->subject != NULL) {
        pr_name(p, "subject", t->subject);
    }
    if (t->publicKey != NULL) {
        pr_spki(p, "publicKey", t->publicKey);
    }
    pr_exts_tree(p, "extensions", t->extensions);
    pr_close(p, 0);
}

static const char *const popo_names[] = {"raVerified", "signature", "keyEncipherment",
                                         "keyAgreement"};

/* CertReqMsg (RFC 4211 section 3), through the accessor for the parts the
 * protocol checks (certReqId, oldCertID, POPO) and the tree for the rest. */
static void pr_certreq(pr *p, const cmp_msg *m, size_t i, const CertReqMsg_t *crm)
{
    cmp_certreq cr;
    cmp_err e = cmp_msg_certreq(m, i, &cr);

    pr_open(p, NULL, 0);
    pr_int_field(p, "certReqId", &crm->certReq.certReqId);
    pr_template(p, "certTemplate", &crm->certReq.certTemplate);
    if (e != CMP_OK) {
        pr_error(p, "error", e);
    } else if (cr.old_cert_serial.len > 0) {
        pr_open(p, "oldCertID", 0);
        pr_general_name_der(p, "issuer", cr.old_cert_issuer);
        pr_hex(p, "serialNumber", cr.old_cert_serial);
        pr_close(p, 0);
    }
    if (e == CMP_OK && cr.popo_type >= 0 && cr.popo_type <= CMP_POPO_KEY_AGREEMENT) {
        pr_open(p, "popo", 0);
        pr_str(p, "type", popo_names[cr.popo_type]);
        if (cr.popo_type == CMP_POPO_SIGNATURE) {
            pr_alg(p, "algorithm", &crm->popo->choice.signature.algorithmIdentifier);
            pr_int(p, "signatureLength", (int64_t)cr.popo_sig.len);
            pr_bool(p, "poposkInput", cr.popo_has_input);
        }
        pr_close(p, 0);
    }
    pr_close(p, 0);
}

static void pr_body_certreq(pr *p, const cmp_msg *m, const CertReqMessages_t *reqs)
{
    int i;

    pr_open(p, "certReqMsgs", 1);
    for (i = 0; i < reqs->list.count; i++) {
        if (reqs->list.array[i] != NULL) {
            pr_certreq(p, m, (size_t)i, reqs->list.array[i]);
        }
    }
    pr_close(p, 1);
}

/* CertificationRequest (RFC 2986 section 4). */
static void pr_body_p10cr(pr *p, const CertificationRequest_t *csr)
{
    pr_open(p, "certificationRequest", 0);
    pr_name(p, "subject", &csr->certificationRequestInfo.subject);
    pr_spki(p, "publicKey", &csr->certificationRequestInfo.subjectPKInfo);
    pr_alg(p, "signatureAlgorithm", &csr->signatureAlgorithm);
    pr_close(p, 0);
}

static void pr_response(pr *p, const CertResponse_t *r)
{
    cmp_status_info si;
    cmp_err e = cmp_status_info_read(&r->status, &si);
    const CertifiedKeyPair_t *ckp = r->certifiedKeyPair;

    pr_open(p, NULL, 0);
    pr_int_field(p, "certReqId", &r->certReqId);
    if (e == CMP_OK) {
        pr_status(p, "status", &si);
    } else {
        pr_error(p, "status", e);
    }
    if (ckp != NULL && ckp->certOrEncCert.present == CertOrEncCert_PR_certificate) {
        pr_cmp_cert(p, "certificate", &ckp->certOrEncCert.choice.certificate);
    } else if (ckp != NULL) {
        pr_str(p, "certificate", "encryptedCert");
    }
    if (ckp != NULL && ckp->privateKey != NULL) {
        pr_str(p, "privateKey", "encrypted");
    }
    pr_close(p, 0);
}

/* CertRepMessage (RFC 9810 section 5.3.4). */
static void pr_body_certrep(pr *p, const CertRepMessage_t *rep)
{
    int i;

    if (rep->caPubs != NULL) {
        pr_open(p, "caPubs", 1);
        for (i = 0; i < rep->caPubs->list.count; i++) {
            pr_cmp_cert(p, NULL, rep->caPubs->list.array[i]);
        }
        pr_close(p, 1);
    }
    pr_open(p, "response", 1);
    for (i = 0; i < rep->response.list.count; i++) {
        if (rep->response.list.array[i] != NULL) {
            pr_response(p, rep->response.list.array[i]);
        }
    }
    pr_close(p, 1);
}

/* CertConfirmContent (RFC 9810 section 5.3.18). */
static void pr_body_certconf(pr *p, const CertConfirmContent_t *cc)
{
    cmp_status_info si;
    cmp_err e;
    int i;

    pr_open(p, "certStatus", 1);
    for (i = 0; i < cc->list.count; i++) {
        const CertStatus_t *cs = cc->list.array[i];
        if (cs == NULL) {
            continue;
        }
        pr_open(p, NULL, 0);
        pr_int_field(p, "certReqId", &cs->certReqId);
        pr_hex(p, "certHash", CMP_SPAN_OF(&cs->certHash));
        if (cs->statusInfo != NULL) {
            e = cmp_status_info_read(cs->statusInfo, &si);
            if (e == CMP_OK) {
                pr_status(p, "statusInfo", &si);
            } else {
                pr_error(p, "statusInfo", e);
            }
        }
        if (cs->hashAlg != NULL) {
            pr_alg(p, "hashAlg", cs->hashAlg);
        }
        pr_close(p, 0);
    }
    pr_close(p, 1);
}

static void pr_body_poll(pr *p, const cmp_msg *m, int rep)
{
    size_t n = rep ? cmp_msg_num_pollrep(m) : cmp_msg_num_pollreq(m), i;
    cmp_pollrep_entry e;
    cmp_err err;

    pr_open(p, rep ? "pollRep" : "pollReq", 1);
    for (i = 0; i < n; i++) {
        pr_open(p, NULL, 0);
        if (rep) {
            err = cmp_msg_pollrep(m, i, &e);
        } else {
            memset(&e, 0, sizeof(e));
            err = cmp_msg_pollreq(m, i, &e.cert_req_id);
        }
        if (err != CMP_OK) {
            pr_error(p, "error", err);
        } else {
            pr_int(p, "certReqId", e.cert_req_id);
        }
        if (err == CMP_OK && rep) {
            pr_int(p, "checkAfter", e.check_after);
            if (e.reason.len > 0) {
                pr_text(p, "reason", e.reason);
            }
        }
        pr_close(p, 0);
    }
    pr_close(p, 1);
}

/* ErrorMsgContent (RFC 9810 section 5.3.21). */
static void pr_body_error(pr *p, const cmp_msg *m)
{
    cmp_error_info ei;
    cmp_err e = cmp_msg_error(m, &ei);
    size_t i;

    if (e != CMP_OK) {
        pr_error(p, "error", e);
        return;
    }
    pr_status(p, "pKIStatusInfo", &ei.status);
    if (ei.has_error_code) {
        pr_int(p, "errorCode", ei.error_code);
    }
    if (ei.num_details > 0) {
        pr_open(p, "errorDetails", 1);
        for (i = 0; i < ei.num_details; i++) {
            pr_text(p, NULL, ei.details[i]);
        }
        pr_close(p, 1);
    }
}

/* GenMsgContent, GenRepContent (RFC 9810 sections 5.3.19, 5.3.20). */
static void pr_body_genm(pr *p, const cmp_msg *m)
{
    size_t n = cmp_msg_num_itavs(m), i;
    cmp_itav itav;
    cmp_err e;

    pr_open(p, "itavs", 1);
    for (i = 0; i < n; i++) {
        pr_open(p, NULL, 0);
        e = cmp_msg_itav(m, i, &itav);
        if (e != CMP_OK) {
            pr_error(p, "error", e);
        } else {
            pr_oid(p, "infoType", itav.oid);
            pr_int(p, "valueLength", (int64_t)itav.value.len);
        }
        pr_close(p, 0);
    }
    pr_close(p, 1);
}

/* RevReqContent (RFC 9810 section 5.3.9). */
static void pr_body_rr(pr *p, const RevReqContent_t *rr)
{
    int i;

    pr_open(p, "revDetails", 1);
    for (i = 0; i < rr->list.count; i++) {
        const RevDetails_t *rd = rr->list.array[i];
        if (rd == NULL) {
            continue;
        }
        pr_open(p, NULL, 0);
        pr_template(p, "certDetails", &rd->certDetails);
        pr_exts_tree(p, "crlEntryDetails", rd->crlEntryDetails);
        pr_close(p, 0);
    }
    pr_close(p, 1);
}

/* RevRepContent (RFC 9810 section 5.3.10). */
static void pr_body_rp(pr *p, const RevRepContent_t *rp)
{
    cmp_status_info si;
    cmp_err e;
    int i;

    pr_open(p, "status", 1);
    for (i = 0; i < rp->status.list.count; i++) {
        if (rp->status.list.array[i] == NULL) {
            continue;
        }
        e = cmp_status_info_read(rp->status.list.array[i], &si);
        if (e == CMP_OK) {
            pr_status(p, NULL, &si);
        } else {
            pr_error(p, NULL, e);
        }
    }
    pr_close(p, 1);
    if (rp->revCerts != NULL) {
        pr_int(p, "revCerts", rp->revCerts->list.count);
    }
    if (rp->crls != NULL) {
        pr_int(p, "crls", rp->crls->list.count);
    }
}

/* PKIBody (RFC 9810 section 5.1.2) by type; others are named only. */
static void pr_body(pr *p, const cmp_msg *m)
{
    const PKIBody_t *b = cmp_msg_body_get(m);
    int type = b != NULL ? (int)b->present - 1 : CMP_BODY_NONE;

    pr_open(p, "body", 0);
    pr_str(p, "type", cmp_body_name(type));
    switch (b != NULL ? b->present : PKIBody_PR_NOTHING) {
    case PKIBody_PR_ir:
    case PKIBody_PR_cr:
    case PKIBody_PR_kur:
        pr_body_certreq(p, m, b->present == PKIBody_PR_ir   ? &b->choice.ir
                              : b->present == PKIBody_PR_cr ? &b->choice.cr
                                                            : &b->choice.kur);
        break;
    case PKIBody_PR_p10cr:
        pr_body_p10cr(p, &b->choice.p10cr);
        break;
    case PKIBody_PR_ip:
    case PKIBody_PR_cp:
    case PKIBody_PR_kup:
        pr_body_certrep(p, b->present == PKIBody_PR_ip   ? &b->choice.ip
                           : b->present == PKIBody_PR_cp ? &b->choice.cp
                                                         : &b->choice.kup);
        break;
    case PKIBody_PR_certConf:
        pr_body_certconf(p, &b->choice.certConf);
        break;
    case PKIBody_PR_pollReq:
    case PKIBody_PR_pollRep:
        pr_body_poll(p, m, b->present == PKIBody_PR_pollRep);
        break;
    case PKIBody_PR_error:
        pr_body_error(p, m);
        break;
    case PKIBody_PR_genm:
    case PKIBody_PR_genp:
        pr_body_genm(p, m);
        break;
    case PKIBody_PR_rr:
        pr_body_rr(p, &b->choice.rr);
        break;
    case PKIBody_PR_rp:
        pr_body_rp(p, &b->choice.rp);
        break;
    default:
        break; /* pkiconf has no content; the rest is not interpreted */
    }
    pr_close(p, 0);
}

static void pr_extra_certs(pr *p, const cmp_msg *m)
{
    const PKIMessage_t *pm = m->pm;
    int i;

    if (pm->extraCerts == NULL) {
        return;
    }
    pr_open(p, "extraCerts", 1);
    for (i = 0; i < pm->extraCerts->list.count; i++) {
        pr_cmp_cert(p, NULL, pm->extraCerts->list.array[i]);
    }
    pr_close(p, 1);
}

/* see cmp/msg.h */
cmp_err cmp_msg_print(const cmp_msg *m, int json, cmp_write_fn write, void *arg)
{
    pr p;
    cmp_span der, prot;

    CMP_ENSURE(m != NULL && m->pm != NULL && write != NULL, CMP_ERR_ARG);
    memset(&p, 0, sizeof(p));
    p.write = write;
    p.arg = arg;
    p.json = json != 0;
    outs(&p, p.json ? "{" : "PKIMessage:\n");
    p.depth = p.json ? 0 : 1;
    der = cmp_msg_der(m);
    if (der.len > 0) {
        pr_int(&p, "length", (int64_t)der.len);
    }
    pr_header(&p, m);
    pr_body(&p, m);
    prot = cmp_msg_protection(m);
    if (m->pm->protection != NULL) {
        pr_open(&p, "protection", 0);
        pr_int(&p, "length", (int64_t)prot.len);
        pr_close(&p, 0);
    }
    pr_extra_certs(&p, m);
    outs(&p, p.json ? "}\n" : "");
    return p.first_err;
}
