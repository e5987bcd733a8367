/* SPDX-License-Identifier: Apache-2.0 */
/*
 * crypto/issue.c: building and signing X.509 v3 certificates (the CA side)
 * and PKCS#10 requests. Provider-independent: the TBS structure is encoded
 * here, exactly as requested and nothing more, and the provider signs it.
 * The output is canonical DER and, for deterministic signature algorithms,
 * identical for identical inputs.
 */
#include <string.h>

#include "crypto_int.h"

static int span_ok(cmp_span s)
{
    return s.data != NULL || s.len == 0;
}

/* check_template: the caller's values, checked before any encoding.
 * = https://www.rfc-editor.org/rfc/rfc5280#section-4.1.2.2
 * # The serial number MUST be a positive integer assigned by the CA to each
 * # certificate. [...] Conforming CAs MUST NOT use serialNumber values longer
 * # than 20 octets. */
static cmp_err check_template(const cmp_cert_template *t)
{
    cmp_cder_tlv name;
    cmp_spki_info si;

    CMP_ENSURE(span_ok(t->subject) && span_ok(t->spki) && span_ok(t->serial), CMP_ERR_ARG);
    CMP_ENSURE(cmp_cder_one(t->subject, CDER_SEQUENCE, &name) == CMP_OK, CMP_ERR_ARG);
    CMP_ENSURE(cmp_x509_spki_parse(&si, t->spki) == CMP_OK, CMP_ERR_ARG);
    CMP_ENSURE(t->serial.len >= 1 && t->serial.len <= 20, CMP_ERR_ARG);
    CMP_ENSURE(t->serial.data[0] != 0, CMP_ERR_ARG);
    CMP_ENSURE(t->not_before <= t->not_after, CMP_ERR_ARG);
    /* = https://www.rfc-editor.org/rfc/rfc5280#section-4.1.2.6
     * # If the subject is a CA [...] then the subject field MUST be populated */
    CMP_ENSURE(name.body.len > 0 || (t->exts.exts & CMP_EXT_SUBJECT_ALT_NAME), CMP_ERR_ARG);
    return CMP_OK;
}

/* issuer_ids finds the issuer Name and the AKI key identifier: from the CA
 * certificate (which must carry |ca_spki|), or from the template when the
 * certificate is self-signed (whose key must then be |ca_spki|). */
static cmp_err issuer_ids(cmp_crypto *c, cmp_span *issuer, uint8_t aki_buf[CMP_KEY_ID_LEN],
                          cmp_span *aki, cmp_span ca_cert, cmp_span ca_spki,
                          const cmp_cert_template *t)
{
    cmp_x509_cert ca;
    cmp_spki_info a, b;

    if (ca_cert.len == 0) {
        CMP_TRY(cmp_x509_spki_parse(&a, ca_spki));
        CMP_TRY(cmp_x509_spki_parse(&b, t->spki));
        CMP_ENSURE(a.type == b.type && cmp_cder_span_eq(a.key, b.key), CMP_ERR_KEY_MISMATCH);
        *issuer = t->subject;
        CMP_TRY(cmp_crypto_key_id(c, aki_buf, t->spki));
        *aki = (cmp_span){aki_buf, CMP_KEY_ID_LEN};
        return CMP_OK;
    }
    CMP_ENSURE(cmp_x509_cert_parse(&ca, ca_cert) == CMP_OK, CMP_ERR_CERT_PARSE);
    CMP_TRY(cmp_crypto_spki_check_cert(ca_spki, ca_cert));
    *issuer = ca.info.subject;
    if (ca.info.ski.len > 0) {
        *aki = ca.info.ski;
        return CMP_OK;
    }
    CMP_TRY(cmp_crypto_key_id(c, aki_buf, ca.info.spki));
    *aki = (cmp_span){aki_buf, CMP_KEY_ID_LEN};
    return CMP_OK;
}

/* pick_sig_alg: the caller's choice (checked) or the key's default. */
static cmp_err pick_sig_alg(cmp_crypto *c, cmp_span *out, cmp_key *key, cmp_span sig_alg)
{
    cmp_sig_alg sa;

    CMP_ENSURE(span_ok(sig_alg), CMP_ERR_ARG);
    if (sig_alg.len == 0) {
        return cmp_crypto_sig_alg_default(c, out, key, CMP_HASH_NONE, 0);
    }
    CMP_TRY(cmp_alg_sig_decode(&sa, sig_alg));
    *out = sig_alg;
    return CMP_OK;
}

/* sign_wrap signs |tbs| and writes SEQUENCE { tbs, sigAlg, BIT STRING sig },
 * the outer shape of both Certificate and CertificationRequest. */
static cmp_err sign_wrap(cmp_crypto *c, cmp_buf *out, cmp_key *key, cmp_span sig_alg,
                         cmp_span tbs)
{
    cmp_buf sig = {NULL, 0};
    cmp_cder_wr w;
    size_t seq;

    CMP_TRY(cmp_crypto_sign(c, &sig, key, sig_alg, tbs));
    cmp_cder_wr_init(&w);
    seq = cmp_cder_open(&w, CDER_SEQUENCE);
    cmp_cder_put_raw(&w, tbs);
    cmp_cder_put_raw(&w, sig_alg);
    cmp_cder_put_bits(&w, (cmp_span){sig.data, sig.len});
    cmp_cder_close(&w, seq);
    cmp_buf_cleanup(&sig);
    return cmp_cder_wr_finish(&w, out);
}

/* any_exts: does |e| ask for at least one extension? */
static int any_exts(const cmp_cert_exts *e)
{
    return e != NULL && e->exts != 0;
}

/* put_tbs writes TBSCertificate (RFC 5280 section 4.1). */
static cmp_err put_tbs(cmp_crypto *c, cmp_cder_wr *w, const cmp_cert_template *t,
                       cmp_span sig_alg, cmp_span issuer, cmp_span aki)
{
    uint8_t ski[CMP_KEY_ID_LEN];
    size_t seq, x;
    cmp_cder_tlv subj;

    CMP_TRY(cmp_crypto_key_id(c, ski, t->spki));
    CMP_TRY(cmp_cder_one(t->subject, CDER_SEQUENCE, &subj));
    seq = cmp_cder_open(w, CDER_SEQUENCE);
    x = cmp_cder_open(w, CDER_CTX_CONS(0));
    cmp_cder_put_u32(w, 2); /* v3 */
    cmp_cder_close(w, x);
    cmp_cder_put_uint(w, t->serial);
    cmp_cder_put_raw(w, sig_alg);
    cmp_cder_put_raw(w, issuer);
    x = cmp_cder_open(w, CDER_SEQUENCE);
    cmp_cder_put_time(w, t->not_before);
    cmp_cder_put_time(w, t->not_after);
    cmp_cder_close(w, x);
    cmp_cder_put_raw(w, t->subject);
    cmp_cder_put_raw(w, t->spki);
    if (any_exts(&t->exts)) {
        x = cmp_cder_open(w, CDER_CTX_CONS(3));
        CMP_TRY(cmp_x509_exts_encode(w, &t->exts, ski, aki, subj.body.len == 0));
        cmp_cder_close(w, x);
    }
    cmp_cder_close(w, seq);
    return CMP_OK;
}

/* see cmp_crypto.h */
cmp_err cmp_crypto_cert_issue(cmp_crypto *c, cmp_buf *out, cmp_key *ca_key, cmp_span ca_cert,
                              cmp_span sig_alg, const cmp_cert_template *t)
{
    cmp_buf ca_spki = {NULL, 0}, tbs = {NULL, 0};
    uint8_t aki_buf[CMP_KEY_ID_LEN];
    cmp_span alg, issuer, aki;
    cmp_cder_wr w;
    cmp_err err;

    CMP_ENSURE(c != NULL && out != NULL && ca_key != NULL && t != NULL, CMP_ERR_ARG);
    CMP_ENSURE(span_ok(ca_cert), CMP_ERR_ARG);
    CMP_TRY(check_template(t));
    CMP_TRY(pick_sig_alg(c, &alg, ca_key, sig_alg));
    cmp_cder_wr_init(&w);
    CMP_TRY_OUT(cmp_crypto_key_spki(c, &ca_spki, ca_key));
    CMP_TRY_OUT(issuer_ids(c, &issuer, aki_buf, &aki, ca_cert,
                           (cmp_span){ca_spki.data, ca_spki.len}, t));
    CMP_TRY_OUT(put_tbs(c, &w, t, alg, issuer, aki));
    CMP_TRY_OUT(cmp_cder_wr_finish(&w, &tbs));
    err = sign_wrap(c, out, ca_key, alg, (cmp_span){tbs.data, tbs.len});
out:
    cmp_cder_wr_cleanup(&w);
    cmp_buf_cleanup(&tbs);
    cmp_buf_cleanup(&ca_spki);
    return err;
}

/* put_csr_info writes CertificationRequestInfo (RFC 2986 section 4.1) with
 * an extensionRequest attribute (RFC 2985 section 5.4.2) when asked. */
static cmp_err put_csr_info(cmp_crypto *c, cmp_cder_wr *w, cmp_span subject, cmp_span spki,
                            const cmp_cert_exts *exts)
{
    static const uint8_t oid_ext_req[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x0e};
    uint8_t ski[CMP_KEY_ID_LEN];
    cmp_cder_tlv subj;
    size_t seq, attrs, attr, set;

    CMP_TRY(cmp_crypto_key_id(c, ski, spki));
    CMP_TRY(cmp_cder_one(subject, CDER_SEQUENCE, &subj));
    seq = cmp_cder_open(w, CDER_SEQUENCE);
    cmp_cder_put_u32(w, 0);
    cmp_cder_put_raw(w, subject);
    cmp_cder_put_raw(w, spki);
    attrs = cmp_cder_open(w, CDER_CTX_CONS(0));
    if (any_exts(exts)) {
        attr = cmp_cder_open(w, CDER_SEQUENCE);
        cmp_cder_put_tlv(w, CDER_OID, (cmp_span){oid_ext_req, sizeof(oid_ext_req)});
        set = cmp_cder_open(w, CDER_SET);
        CMP_TRY(cmp_x509_exts_encode(w, exts, ski, (cmp_span){NULL, 0}, subj.body.len == 0));
        cmp_cder_close(w, set);
        cmp_cder_close(w, attr);
    }
    cmp_cder_close(w, attrs);
    cmp_cder_close(w, seq);
    return CMP_OK;
}

/* see cmp_crypto.h */
cmp_err cmp_crypto_csr_build(cmp_crypto *c, cmp_buf *out, cmp_key *key, cmp_span sig_alg,
                             cmp_span subject, const cmp_cert_exts *exts)
{
    cmp_buf spki = {NULL, 0}, info = {NULL, 0};
    cmp_cder_tlv name;
    cmp_span alg;
    cmp_cder_wr w;
    cmp_err err;

    CMP_ENSURE(c != NULL && out != NULL && key != NULL && span_ok(subject), CMP_ERR_ARG);
    CMP_ENSURE(cmp_cder_one(subject, CDER_SEQUENCE, &name) == CMP_OK, CMP_ERR_ARG);
    /* A request has no issuer yet: an AKI cannot be asked for. */
    CMP_ENSURE(exts == NULL || !(exts->exts & CMP_EXT_AUTHORITY_KEY_ID), CMP_ERR_ARG);
    CMP_TRY(pick_sig_alg(c, &alg, key, sig_alg));
    cmp_cder_wr_init(&w);
    CMP_TRY_OUT(cmp_crypto_key_spki(c, &spki, key));
    CMP_TRY_OUT(put_csr_info(c, &w, subject, (cmp_span){spki.data, spki.len}, exts));
    CMP_TRY_OUT(cmp_cder_wr_finish(&w, &info));
    err = sign_wrap(c, out, key, alg, (cmp_span){info.data, info.len});
out:
    cmp_cder_wr_cleanup(&w);
    cmp_buf_cleanup(&info);
    cmp_buf_cleanup(&spki);
    return err;
}
