/* SPDX-License-Identifier: Apache-2.0 */
/*
 * stack/msg_certrep.c: the certificate response bodies ip, cp and kup
 * (CertRepMessage, RFC 9810 sections 5.3.2, 5.3.4, 5.3.6), built and read
 * in one place. Certificates are handed out as DER spans in the message's
 * arena. An encrypted certificate (EncryptedKey) is reported, not opened:
 * the message layer never calls crypto (DESIGN.md, rule 1).
 */
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "cmp/mem.h"
#include "err_int.h"
#include "msg_body_int.h"

#include "CMPCertificate.h"
#include "CertResponse.h"
#include "CertifiedKeyPair.h"

/* The CertRepMessage of an ip, cp or kup body, or NULL. */
static CertRepMessage_t *certrep_of(const PKIBody_t *b)
{
    if (b == NULL) {
        return NULL;
    }
    switch (b->present) {
    case PKIBody_PR_ip:
        return (CertRepMessage_t *)&b->choice.ip;
    case PKIBody_PR_cp:
        return (CertRepMessage_t *)&b->choice.cp;
    case PKIBody_PR_kup:
        return (CertRepMessage_t *)&b->choice.kup;
    default:
        return NULL;
    }
}

/* ---- building ------------------------------------------------------------- */

/* Decodes a DER certificate into a new CMPCertificate (CHOICE with the one
 * untagged alternative x509v3PKCert Certificate, RFC 9810 section 5.1). */
static cmp_err new_cmp_cert(CMPCertificate_t **out, cmp_span der)
{
    cmp_err err = cmp_asn_decode_strict(&asn_DEF_CMPCertificate, der, (void **)out);

    CMP_ENSURE(err != CMP_ERR_NOMEM, CMP_ERR_NOMEM);
    CMP_ENSURE(err == CMP_OK, CMP_ERR_CERT_PARSE);
    return CMP_OK;
}

/* caPubs [1] SEQUENCE SIZE (1..MAX) OF CMPCertificate OPTIONAL: omitted
 * when there is none. */
static cmp_err fill_ca_pubs(CertRepMessage_t *rep, const cmp_certrep_spec *spec)
{
    CMPCertificate_t *c = NULL;
    size_t i;

    CMP_ENSURE(spec->num_ca_pubs <= CMP_MAX_CERTS, CMP_ERR_ARG);
    CMP_ENSURE(spec->num_ca_pubs == 0 || spec->ca_pubs != NULL, CMP_ERR_ARG);
    if (spec->num_ca_pubs == 0) {
        return CMP_OK;
    }
    rep->caPubs = cmp_calloc(1, sizeof(*rep->caPubs));
    CMP_ENSURE(rep->caPubs != NULL, CMP_ERR_NOMEM);
    for (i = 0; i < spec->num_ca_pubs; i++) {
        CMP_TRY(new_cmp_cert(&c, spec->ca_pubs[i]));
        if (ASN_SEQUENCE_ADD(&rep->caPubs->list, c) != 0) {
            ASN_STRUCT_FREE(asn_DEF_CMPCertificate, c);
            CMP_FAIL(CMP_ERR_NOMEM);
        }
    }
    return CMP_OK;
}

/*
 * CertResponse ::= SEQUENCE { certReqId INTEGER, status PKIStatusInfo,
 *    certifiedKeyPair CertifiedKeyPair OPTIONAL, rspInfo OCTET STRING OPTIONAL }
 * CertifiedKeyPair ::= SEQUENCE { certOrEncCert CertOrEncCert, ... }
 * CertOrEncCert ::= CHOICE { certificate [0] CMPCertificate,
 *                            encryptedCert [1] EncryptedKey }
 *                                                 (RFC 9810 section 5.3.4)
 *
 * = https://www.rfc-editor.org/rfc/rfc9810#section-5.3.4
 * # Only one of the failInfo (in PKIStatusInfo) and certificate (in
 * # CertifiedKeyPair) fields can be present in each CertResponse
 */
static cmp_err fill_response(CertResponse_t *r, const cmp_certrep_entry *e)
{
    CMPCertificate_t *c = NULL;

    CMP_ENSURE(e->cert.len == 0 || e->status.fail_info == 0, CMP_ERR_ARG);
    CMP_TRY(cmp_int_set(&r->certReqId, e->cert_req_id));
    CMP_TRY(cmp_status_info_fill(&r->status, &e->status));
    if (e->cert.len == 0) {
        return CMP_OK;
    }
    r->certifiedKeyPair = cmp_calloc(1, sizeof(*r->certifiedKeyPair));
    CMP_ENSURE(r->certifiedKeyPair != NULL, CMP_ERR_NOMEM);
    CMP_TRY(new_cmp_cert(&c, e->cert));
    /* Move the decoded certificate into the CHOICE and drop its shell. */
    r->certifiedKeyPair->certOrEncCert.present = CertOrEncCert_PR_certificate;
    memcpy(&r->certifiedKeyPair->certOrEncCert.choice.certificate, c, sizeof(*c));
    cmp_free(c);
    return CMP_OK;
}

static cmp_err fill_responses(CertRepMessage_t *rep, const cmp_certrep_spec *spec)
{
    CertResponse_t *r = NULL;
    cmp_err err = CMP_ERR_INTERNAL;
    size_t i;

    CMP_ENSURE(spec->num_responses > 0 && spec->responses != NULL, CMP_ERR_ARG);
    CMP_ENSURE(spec->num_responses <= CMP_MAX_CERTS, CMP_ERR_ARG);
    for (i = 0; i < spec->num_responses; i++) {
        r = cmp_calloc(1, sizeof(*r));
        CMP_ENSURE_OUT(r != NULL, CMP_ERR_NOMEM);
        CMP_TRY_OUT(fill_response(r, &spec->responses[i]));
        CMP_ENSURE_OUT(ASN_SEQUENCE_ADD(&rep->response.list, r) == 0, CMP_ERR_NOMEM);
        r = NULL;
    }
    err = CMP_OK;
out:
    if (r != NULL) {
        ASN_STRUCT_FREE(asn_DEF_CertResponse, r);
    }
    return err;
}

/* CertRepMessage ::= SEQUENCE { caPubs [1] .. OPTIONAL,
 *                               response SEQUENCE OF CertResponse } */
/* see cmp/msg.h */
cmp_err cmp_msg_set_body_certrep(cmp_msg *m, cmp_body_type type, const cmp_certrep_spec *rep)
{
    PKIBody_t *body = NULL;
    cmp_err err = CMP_ERR_INTERNAL;

    CMP_ENSURE(m != NULL && rep != NULL, CMP_ERR_ARG);
    CMP_ENSURE(cmp_body_is_certrep(type), CMP_ERR_ARG);
    CMP_TRY_OUT(cmp_body_new(&body, type));
    CMP_TRY_OUT(fill_ca_pubs(certrep_of(body), rep));
    CMP_TRY_OUT(fill_responses(certrep_of(body), rep));
    CMP_TRY_OUT(cmp_body_install(m, &body));
    err = CMP_OK;
out:
    cmp_body_free(body);
    return err;
}

/* ---- reading -------------------------------------------------------------- */

/* see cmp/msg.h */
size_t cmp_msg_num_ca_pubs(const cmp_msg *m)
{
    const CertRepMessage_t *rep = certrep_of(cmp_msg_body_get(m));

    if (rep == NULL || rep->caPubs == NULL || rep->caPubs->list.count <= 0) {
        return 0;
    }
    return (size_t)rep->caPubs->list.count;
}

/* see cmp/msg.h */
cmp_span cmp_msg_ca_pub(const cmp_msg *m, size_t i)
{
    const CertRepMessage_t *rep = certrep_of(cmp_msg_body_get(m));
    cmp_span s = {NULL, 0};

    if (i >= cmp_msg_num_ca_pubs(m) || rep->caPubs->list.array[i] == NULL) {
        return s;
    }
    if (cmp_msg_arena_encode(m, &asn_DEF_CMPCertificate, rep->caPubs->list.array[i], &s) !=
        CMP_OK) {
        s.data = NULL;
        s.len = 0;
    }
    return s;
}

/* see cmp/msg.h */
size_t cmp_msg_num_responses(const cmp_msg *m)
{
    const CertRepMessage_t *rep = certrep_of(cmp_msg_body_get(m));

    if (rep == NULL || rep->response.list.count <= 0) {
        return 0;
    }
    return (size_t)rep->response.list.count;
}

/* The certificate of a CertResponse, if any. */
static cmp_err read_cert(const cmp_msg *m, const CertifiedKeyPair_t *ckp, cmp_span *out)
{
    if (ckp == NULL) {
        return CMP_OK;
    }
    switch (ckp->certOrEncCert.present) {
    case CertOrEncCert_PR_certificate:
        return cmp_msg_arena_encode(m, &asn_DEF_CMPCertificate,
                                    &ckp->certOrEncCert.choice.certificate, out);
    case CertOrEncCert_PR_encryptedCert:
        /* RFC 9810 section 5.2.2: decrypting needs the EE's private key,
         * which is not the message layer's business. */
        CMP_FAIL(CMP_ERR_ENCRYPTED_CERT);
    default:
        CMP_FAIL(CMP_ERR_DECODE);
    }
}

/* see cmp/msg.h */
cmp_err cmp_msg_response(const cmp_msg *m, size_t i, cmp_certrep_entry *out)
{
    const CertRepMessage_t *rep;
    const CertResponse_t *r;

    CMP_ENSURE(m != NULL && out != NULL, CMP_ERR_ARG);
    memset(out, 0, sizeof(*out));
    rep = certrep_of(cmp_msg_body_get(m));
    CMP_ENSURE(rep != NULL, CMP_ERR_BODY_TYPE);
    CMP_ENSURE(i < cmp_msg_num_responses(m), CMP_ERR_ARG);
    r = rep->response.list.array[i];
    CMP_ENSURE(r != NULL, CMP_ERR_DECODE);
    CMP_TRY(cmp_int_get(&r->certReqId, &out->cert_req_id));
    CMP_TRY(cmp_status_info_read(&r->status, &out->status));
    return read_cert(m, r->certifiedKeyPair, &out->cert);
}
