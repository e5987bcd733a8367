/* SPDX-License-Identifier: Apache-2.0 */
/*
 * stack/prot.c: protection of outgoing messages and verification of
 * incoming ones, for the client and the server (RFC 4210 section 5.1.3,
 * RFC 9483 sections 3.1-3.3). Bytes come from cmp/msg.h, cryptography from
 * cmp_crypto.h; this file decides what to sign, which certificate to
 * believe and which error to report.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "cmp/config.h"
#include "cmp/mem.h"
#include "cmp/msg.h"
#include "cmp_crypto.h"
#include "err_int.h"
#include "prot_int.h"

static int span_eq(cmp_span a, cmp_span b)
{
    return a.len == b.len && (a.len == 0 || memcmp(a.data, b.data, a.len) == 0);
}

static cmp_span buf_span(const cmp_buf *b)
{
    cmp_span s;
    s.data = b->data;
    s.len = b->len;
    return s;
}

static CMP_MUST_CHECK cmp_err buf_copy(cmp_buf *out, cmp_span in)
{
    out->data = cmp_malloc(in.len ? in.len : 1);
    CMP_ENSURE(out->data != NULL, CMP_ERR_NOMEM);
    if (in.len > 0) {
        memcpy(out->data, in.data, in.len);
    }
    out->len = in.len;
    return CMP_OK;
}

/* ---- sending ------------------------------------------------------------ */

/* The sender as a directoryName; an empty Name stays empty here, which
 * cmp_msg_new encodes as the directoryName of an empty Name. */
static cmp_err sender_dn(cmp_buf *out, cmp_span name)
{
    if (name.len == 0) {
        return CMP_OK;
    }
    return cmp_general_name_dn(out, name);
}

/*
 * = https://www.rfc-editor.org/rfc/rfc9483#section-3.1
 * # sender: MUST contain a name representing the originator of the
 * # message; it SHOULD be the subject of the CMP protection certificate
 * # [...] senderKID: [...] MUST be used [...] and MUST contain the
 * # subjectKeyIdentifier of the CMP protection certificate
 * # [...] In case of MAC-based protection, the senderKID MUST contain
 * # the reference value
 */
static cmp_err hdr_make_sig(cmp_crypto *c, cmp_prot_hdr *out, const cmp_prot_cred *cred)
{
    cmp_cert_info ci;
    cmp_span alg;

    CMP_ENSURE(cred->key != NULL && cred->cert.len > 0, CMP_ERR_CONFIG);
    CMP_TRY(cmp_crypto_cert_parse(&ci, cred->cert));
    CMP_TRY(cmp_crypto_key_check_cert(c, cred->key, cred->cert));
    CMP_TRY(cmp_general_name_dn(&out->sender, ci.subject));
    if (ci.ski.len > 0) {
        CMP_TRY(buf_copy(&out->kid, ci.ski));
    }
    CMP_TRY(cmp_crypto_sig_alg_default(c, &alg, cred->key, cred->digest, cred->sig_flags));
    CMP_TRY(buf_copy(&out->alg, alg));
    return CMP_OK;
}

static cmp_err hdr_make_mac(cmp_crypto *c, cmp_prot_hdr *out, const cmp_prot_cred *cred)
{
    CMP_ENSURE(cred->secret.len > 0, CMP_ERR_CONFIG);
    CMP_TRY(sender_dn(&out->sender, cred->sender_name));
    if (cred->ref.len > 0) {
        CMP_TRY(buf_copy(&out->kid, cred->ref));
    }
    /* = https://www.rfc-editor.org/rfc/rfc9481#section-6.1
     * # the salt [...] SHOULD be freshly generated for each message */
    CMP_TRY(cmp_crypto_mac_alg_new(c, &out->alg, cred->mac));
    return CMP_OK;
}

/* see prot_int.h */
cmp_err cmp_prot_hdr_make(cmp_crypto *c, cmp_prot_hdr *out, const cmp_prot_cred *cred)
{
    CMP_ENSURE(c != NULL && out != NULL && cred != NULL, CMP_ERR_ARG);
    memset(out, 0, sizeof(*out));
    switch (cred->kind) {
    case CMP_PROT_SIG:
        return hdr_make_sig(c, out, cred);
    case CMP_PROT_MAC:
        return hdr_make_mac(c, out, cred);
    case CMP_PROT_NONE:
        return sender_dn(&out->sender, cred->sender_name);
    default:
        CMP_FAIL(CMP_ERR_ARG);
    }
}

/* see prot_int.h */
void cmp_prot_hdr_apply(const cmp_prot_hdr *ph, cmp_hdr_spec *hdr)
{
    hdr->sender = buf_span(&ph->sender);
    hdr->protection_alg = buf_span(&ph->alg);
    hdr->sender_kid = buf_span(&ph->kid);
}

/* see prot_int.h */
void cmp_prot_hdr_cleanup(cmp_prot_hdr *ph)
{
    if (ph == NULL) {
        return;
    }
    cmp_buf_cleanup(&ph->sender);
    cmp_buf_cleanup(&ph->alg);
    cmp_buf_cleanup(&ph->kid);
}

/* see prot_int.h */
cmp_err cmp_prot_protect(cmp_crypto *c, cmp_msg *m, const cmp_prot_cred *cred, int with_certs)
{
    cmp_err err = CMP_ERR_INTERNAL;
    cmp_buf part = {NULL, 0};
    cmp_buf prot = {NULL, 0};
    cmp_span alg;
    size_t i;

    CMP_ENSURE(c != NULL && m != NULL && cred != NULL, CMP_ERR_ARG);
    if (cred->kind == CMP_PROT_NONE) {
        return CMP_OK;
    }
    alg = cmp_msg_protection_alg(m);
    CMP_ENSURE(alg.len > 0, CMP_ERR_STATE);
    /* = https://www.rfc-editor.org/rfc/rfc4210#section-5.1.3
     * # The protection bits are computed over the DER encoding of
     * # ProtectedPart ::= SEQUENCE { header PKIHeader, body PKIBody } */
    CMP_TRY_OUT(cmp_msg_protected_part(m, &part));
    if (cred->kind == CMP_PROT_SIG) {
        CMP_ENSURE_OUT(cred->key != NULL, CMP_ERR_CONFIG);
        CMP_TRY_OUT(cmp_crypto_sign(c, &prot, cred->key, alg, buf_span(&part)));
    } else if (cred->kind == CMP_PROT_MAC) {
        CMP_TRY_OUT(cmp_crypto_mac_protect(c, &prot, alg, cred->secret, buf_span(&part)));
    } else {
        CMP_FAIL_OUT(CMP_ERR_ARG);
    }
    CMP_TRY_OUT(cmp_msg_set_protection(m, buf_span(&prot)));
    /* = https://www.rfc-editor.org/rfc/rfc9483#section-3.3
     * # the first certificate in the extraCerts field MUST be the CMP
     * # protection certificate [...] followed by its chain. [...] the
     * # self-signed certificate SHOULD be omitted */
    if (with_certs && cred->kind == CMP_PROT_SIG) {
        CMP_TRY_OUT(cmp_msg_add_extra_cert(m, cred->cert));
        for (i = 0; i < cred->num_chain; i++) {
            CMP_TRY_OUT(cmp_msg_add_extra_cert(m, cred->chain[i]));
        }
    }
    err = CMP_OK;
out:
    cmp_buf_cleanup(&part);
    cmp_buf_cleanup(&prot);
    return err;
}

/* ---- receiving ---------------------------------------------------------- */

static cmp_err verify_mac(cmp_crypto *c, const cmp_msg *m, const cmp_prot_policy *pol,
                          cmp_span alg, cmp_span part)
{
    cmp_err e;

    CMP_ENSURE(pol->secret.len > 0, CMP_ERR_WRONG_INTEGRITY);
    /* The provider enforces the iteration cap before deriving anything and
     * compares in constant time. */
    e = cmp_crypto_mac_verify(c, alg, pol->secret, part, cmp_msg_protection(m));
    if (e == CMP_ERR_MAC) {
        CMP_FAIL(CMP_ERR_PROTECTION_INVALID);
    }
    if (e == CMP_ERR_UNKNOWN_ALG || e == CMP_ERR_DECODE) {
        CMP_FAIL(CMP_ERR_PROTECTION_ALG);
    }
    return e;
}

/* The certificates in which the protecting one may be found: extraCerts,
 * then the configured untrusted ones, then the anchors. */
typedef struct cand_list {
    cmp_span certs[3 * CMP_MAX_CERTS + 1];
    size_t num;
} cand_list;

static void cand_add(cand_list *l, cmp_span cert)
{
    if (l->num < sizeof(l->certs) / sizeof(l->certs[0])) {
        l->certs[l->num++] = cert;
    }
}

static cmp_span pool_at(const cmp_msg *m, const cmp_prot_policy *pol, size_t i)
{
    size_t n_extra = cmp_msg_num_extra_certs(m);

    if (i < n_extra) {
        return cmp_msg_extra_cert(m, i);
    }
    i -= n_extra;
    if (i < pol->num_untrusted) {
        return pol->untrusted[i];
    }
    return pol->anchors[i - pol->num_untrusted];
}

/*
 * = https://www.rfc-editor.org/rfc/rfc9483#section-3.3
 * # the first certificate in the extraCerts field MUST be the CMP
 * # protection certificate
 * Candidates: the pinned certificate alone when configured; else those whose
 * subjectKeyIdentifier equals senderKID; else those whose subject is the
 * sender; else the first extraCert.
 */
static void find_candidates(cand_list *out, const cmp_msg *m, const cmp_prot_policy *pol)
{
    size_t n = cmp_msg_num_extra_certs(m) + pol->num_untrusted + pol->num_anchors;
    cmp_span kid = cmp_msg_sender_kid(m);
    cmp_span sender = cmp_msg_sender_name(m);
    cmp_cert_info ci;
    size_t i;

    out->num = 0;
    if (pol->pinned.len > 0) {
        cand_add(out, pol->pinned);
        return;
    }
    for (i = 0; kid.len > 0 && i < n; i++) {
        cmp_span cert = pool_at(m, pol, i);
        if (cmp_crypto_cert_parse(&ci, cert) == CMP_OK && span_eq(ci.ski, kid)) {
            cand_add(out, cert);
        }
    }
    for (i = 0; out->num == 0 && sender.len > 0 && i < n; i++) {
        cmp_span cert = pool_at(m, pol, i);
        if (cmp_crypto_cert_parse(&ci, cert) == CMP_OK && span_eq(ci.subject, sender)) {
            cand_add(out, cert);
        }
    }
    if (out->num == 0 && cmp_msg_num_extra_certs(m) > 0) {
        cand_add(out, cmp_msg_extra_cert(m, 0));
    }
}

static cmp_err check_signer_chain(cmp_crypto *c, cmp_prot_result *out, const cmp_msg *m,
                                  const cmp_prot_policy *pol)
{
    cmp_err err = CMP_ERR_INTERNAL;
    cmp_chain_result cr;
    cmp_span *untrusted = NULL;
    size_t n_extra = cmp_msg_num_extra_certs(m);
    size_t i;

    memset(&cr, 0, sizeof(cr));
    if (pol->pinned.len > 0) {
        /* A pinned certificate is trusted directly; only its validity
         * period is checked. */
        err = cmp_crypto_chain_verify(c, &cr, out->signer, NULL, 0, &pol->pinned, 1, pol->now);
        out->anchor = SIZE_MAX;
    } else {
        untrusted = cmp_calloc(n_extra + pol->num_untrusted + 1, sizeof(*untrusted));
        CMP_ENSURE_OUT(untrusted != NULL, CMP_ERR_NOMEM);
        for (i = 0; i < n_extra; i++) {
            untrusted[i] = cmp_msg_extra_cert(m, i);
        }
        for (i = 0; i < pol->num_untrusted; i++) {
            untrusted[n_extra + i] = pol->untrusted[i];
        }
        err = cmp_crypto_chain_verify(c, &cr, out->signer, untrusted,
                                      n_extra + pol->num_untrusted, pol->anchors,
                                      pol->num_anchors, pol->now);
        out->anchor = cr.anchor;
    }
    if (err == CMP_ERR_NOMEM || err == CMP_ERR_ARG) {
        goto out;
    }
    if (err != CMP_OK) {
        out->chain_err = err;
        CMP_FAIL_OUT(CMP_ERR_SIGNER_UNTRUSTED);
    }
out:
    cmp_free(untrusted);
    return err;
}

static cmp_err verify_sig(cmp_crypto *c, cmp_prot_result *out, const cmp_msg *m,
                          const cmp_prot_policy *pol, cmp_span alg, cmp_span part)
{
    cand_list *cands = NULL;
    cmp_err err = CMP_ERR_INTERNAL;
    cmp_err e = CMP_ERR_SIGNER_NOT_FOUND;
    cmp_cert_info ci;
    size_t i;

    CMP_ENSURE(pol->num_anchors > 0 || pol->pinned.len > 0, CMP_ERR_WRONG_INTEGRITY);
    cands = cmp_calloc(1, sizeof(*cands));
    CMP_ENSURE(cands != NULL, CMP_ERR_NOMEM);
    find_candidates(cands, m, pol);
    CMP_ENSURE_OUT(cands->num > 0, CMP_ERR_SIGNER_NOT_FOUND);
    for (i = 0; i < cands->num; i++) {
        if (cmp_crypto_cert_parse(&ci, cands->certs[i]) != CMP_OK) {
            e = CMP_ERR_CERT_PARSE;
            continue;
        }
        e = cmp_crypto_verify(c, ci.spki, alg, part, cmp_msg_protection(m));
        if (e == CMP_OK) {
            out->signer = cands->certs[i];
            break;
        }
    }
    if (e == CMP_ERR_UNKNOWN_ALG) {
        CMP_FAIL_OUT(CMP_ERR_PROTECTION_ALG);
    }
    if (e == CMP_ERR_CERT_PARSE && cands->num == 1) {
        CMP_FAIL_OUT(CMP_ERR_CERT_PARSE);
    }
    CMP_ENSURE_OUT(e == CMP_OK, CMP_ERR_PROTECTION_INVALID);
    CMP_TRY_OUT(cmp_crypto_cert_parse(&ci, out->signer));
    /* = https://www.rfc-editor.org/rfc/rfc9483#section-3.2
     * # the CMP protection certificate [...] MUST [...] have the
     * # digitalSignature key usage bit set when keyUsage is present */
    if (!pol->ignore_key_usage) {
        CMP_TRY_OUT(cmp_crypto_cert_check_signer(out->signer));
    }
    CMP_TRY_OUT(check_signer_chain(c, out, m, pol));
    /* = https://www.rfc-editor.org/rfc/rfc4210#section-5.1.1
     * # the sender field [...] MUST contain a name [...] the subject of the
     * # certificate used for signing (RFC 9483 section 3.1) */
    CMP_ENSURE_OUT(span_eq(cmp_msg_sender_name(m), ci.subject), CMP_ERR_SENDER);
    err = CMP_OK;
out:
    cmp_free(cands);
    return err;
}

static cmp_err verify_inner(cmp_crypto *c, cmp_prot_result *out, const cmp_msg *m,
                            const cmp_prot_policy *pol)
{
    cmp_err err = CMP_ERR_INTERNAL;
    cmp_buf part = {NULL, 0};
    cmp_span alg = cmp_msg_protection_alg(m);
    cmp_alg_kind kind;

    CMP_ENSURE(alg.len > 0 && cmp_msg_protection(m).len > 0, CMP_ERR_PROTECTION_MISSING);
    CMP_ENSURE(cmp_crypto_alg_kind(&kind, alg) == CMP_OK, CMP_ERR_PROTECTION_ALG);
    CMP_TRY_OUT(cmp_msg_protected_part(m, &part));
    if (kind == CMP_ALG_MAC) {
        CMP_TRY_OUT(verify_mac(c, m, pol, alg, buf_span(&part)));
        out->kind = CMP_PROT_MAC;
    } else if (kind == CMP_ALG_SIGNATURE) {
        CMP_TRY_OUT(verify_sig(c, out, m, pol, alg, buf_span(&part)));
        out->kind = CMP_PROT_SIG;
    } else {
        CMP_FAIL_OUT(CMP_ERR_PROTECTION_ALG);
    }
    err = CMP_OK;
out:
    cmp_buf_cleanup(&part);
    return err;
}

/* see prot_int.h */
cmp_err cmp_prot_verify(cmp_crypto *c, cmp_prot_result *out, const cmp_msg *m,
                        const cmp_prot_policy *pol)
{
    cmp_err e;

    CMP_ENSURE(c != NULL && out != NULL && m != NULL && pol != NULL, CMP_ERR_ARG);
    memset(out, 0, sizeof(*out));
    /* = https://www.rfc-editor.org/rfc/rfc9483#section-3.2
     * # PKI messages MUST have a protection */
    e = verify_inner(c, out, m, pol);
    if (e == CMP_OK && pol->expected_sender.len > 0
        && !span_eq(cmp_msg_sender_name(m), pol->expected_sender)) {
        e = CMP_ERR_SENDER;
    }
    if (e != CMP_OK && pol->allow_unprotected && e != CMP_ERR_NOMEM) {
        /* Lenience by explicit policy only (openssl cmp's
         * -unprotected_errors): the caller restricts it to error
         * messages and negative responses. */
        memset(out, 0, sizeof(*out));
        out->kind = CMP_PROT_NONE;
        out->tolerated = e;
        return CMP_OK;
    }
    if (e != CMP_OK) {
        out->kind = CMP_PROT_NONE;
    }
    return e;
}
