/* SPDX-License-Identifier: Apache-2.0 */
/*
 * stack/msg_certreq.c: the certificate request bodies ir, cr and kur
 * (CertReqMessages, RFC 4211; RFC 9810 sections 5.3.1, 5.3.3, 5.3.5) and
 * p10cr (a PKCS#10 CertificationRequest, RFC 2986), built and read in one
 * place. The bytes a signature POPO covers are the DER of CertRequest,
 * taken from the message as received (STYLE.md section 6).
 */
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "cmp/mem.h"
#include "cmp/oid.h"
#include "err_int.h"
#include "msg_body_int.h"
#include "rd_int.h"

#include "AlgorithmIdentifier.h"
#include "AttributeTypeAndValue.h"
#include "CertId.h"
#include "CertReqMsg.h"
#include "Controls.h"
#include "Name.h"
#include "OptionalValidity.h"
#include "ProofOfPossession.h"
#include "SubjectPublicKeyInfo.h"

/* id-regCtrl-oldCertID ::= { id-regCtrl 5 } = 1.3.6.1.5.5.7.5.1.5
 * (RFC 4211 section 6.5). */
static const uint8_t oid_old_cert_id[] = {0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x05, 0x01, 0x05};

static cmp_span old_cert_id_oid(void)
{
    cmp_span s;
    s.data = oid_old_cert_id;
    s.len = sizeof(oid_old_cert_id);
    return s;
}

/* The CertReqMessages of an ir, cr or kur body, or NULL. */
static CertReqMessages_t *certreqs_of(const PKIBody_t *b)
{
    if (b == NULL) {
        return NULL;
    }
    switch (b->present) {
    case PKIBody_PR_ir:
        return (CertReqMessages_t *)&b->choice.ir;
    case PKIBody_PR_cr:
        return (CertReqMessages_t *)&b->choice.cr;
    case PKIBody_PR_kur:
        return (CertReqMessages_t *)&b->choice.kur;
    default:
        return NULL;
    }
}

static CertReqMsg_t *certreq_at(const cmp_msg *m, size_t i)
{
    CertReqMessages_t *reqs = certreqs_of(cmp_msg_body_get(m));

    if (reqs == NULL || reqs->list.count < 0 || i >= (size_t)reqs->list.count) {
        return NULL;
    }
    return reqs->list.array[i];
}

/* ---- building ------------------------------------------------------------- */

/* OptionalValidity ::= SEQUENCE { notBefore [0] Time OPTIONAL,
 *                                 notAfter  [1] Time OPTIONAL }
 * (RFC 4211 section 5; "at least one MUST be present"). */
static cmp_err fill_validity(OptionalValidity_t **out, int64_t not_before, int64_t not_after)
{
    OptionalValidity_t *v;

    if (not_before == 0 && not_after == 0) {
        return CMP_OK;
    }
    v = cmp_calloc(1, sizeof(*v));
    CMP_ENSURE(v != NULL, CMP_ERR_NOMEM);
    *out = v; /* owned by the template from here on */
    if (not_before != 0) {
        v->notBefore = cmp_calloc(1, sizeof(*v->notBefore));
        CMP_ENSURE(v->notBefore != NULL, CMP_ERR_NOMEM);
        CMP_TRY(cmp_time_fill(v->notBefore, not_before));
    }
    if (not_after != 0) {
        v->notAfter = cmp_calloc(1, sizeof(*v->notAfter));
        CMP_ENSURE(v->notAfter != NULL, CMP_ERR_NOMEM);
        CMP_TRY(cmp_time_fill(v->notAfter, not_after));
    }
    return CMP_OK;
}

/* Decodes an optional DER input into a pointer member (left NULL when the
 * span is empty). Inputs must be DER: what we send is canonical. */
static cmp_err fill_opt(const asn_TYPE_descriptor_t *td, cmp_span in, void **member)
{
    if (in.len == 0) {
        return CMP_OK;
    }
    return cmp_asn_decode_strict(td, in, member);
}

/*
 * CertTemplate ::= SEQUENCE {
 *  version [0] Version OPTIONAL, serialNumber [1] INTEGER OPTIONAL,
 *  signingAlg [2] AlgorithmIdentifier OPTIONAL, issuer [3] Name OPTIONAL,
 *  validity [4] OptionalValidity OPTIONAL, subject [5] Name OPTIONAL,
 *  publicKey [6] SubjectPublicKeyInfo OPTIONAL, issuerUID [7] ..,
 *  subjectUID [8] .., extensions [9] Extensions OPTIONAL }
 * (RFC 4211 section 5). Only the fields an EE requests are filled.
 */
static cmp_err fill_template(CertTemplate_t *t, const cmp_certreq_spec *req)
{
    CMP_TRY(fill_opt(&asn_DEF_Name, req->subject, (void **)&t->subject));
    CMP_TRY(fill_opt(&asn_DEF_Name, req->issuer, (void **)&t->issuer));
    CMP_TRY(fill_opt(&asn_DEF_SubjectPublicKeyInfo, req->public_key, (void **)&t->publicKey));
    CMP_TRY(fill_opt(&asn_DEF_Extensions, req->extensions, (void **)&t->extensions));
    return fill_validity(&t->validity, req->not_before, req->not_after);
}

/* The issuer of oldCertID: a GeneralName DER as given, or a Name DER
 * (a SEQUENCE, tag 0x30) wrapped as directoryName. */
static cmp_err fill_general_name(GeneralName_t *out, cmp_span in)
{
    cmp_buf gn = {NULL, 0};
    cmp_span s;
    cmp_err err;

    CMP_ENSURE(in.len > 0 && in.data != NULL, CMP_ERR_ARG);
    if (in.data[0] != 0x30) {
        return cmp_asn_decode_into(&asn_DEF_GeneralName, in, out, sizeof(*out));
    }
    CMP_TRY(cmp_general_name_dn(&gn, in));
    s.data = gn.data;
    s.len = gn.len;
    err = cmp_asn_decode_into(&asn_DEF_GeneralName, s, out, sizeof(*out));
    cmp_buf_cleanup(&gn);
    return err;
}

/*
 * id-regCtrl-oldCertID, OldCertId ::= CertId,
 * CertId ::= SEQUENCE { issuer GeneralName, serialNumber INTEGER }
 * (RFC 4211 section 6.5): the certificate a kur replaces.
 */
static cmp_err fill_old_cert_id(Controls_t **out, const cmp_certreq_spec *req)
{
    CertId_t cid;
    AttributeTypeAndValue_t *atv = NULL;
    cmp_buf der = {NULL, 0};
    cmp_span s;
    cmp_err err = CMP_ERR_INTERNAL;

    memset(&cid, 0, sizeof(cid));
    CMP_ENSURE_OUT((req->old_cert_issuer.len == 0) == (req->old_cert_serial.len == 0),
                   CMP_ERR_ARG);
    if (req->old_cert_issuer.len == 0) {
        err = CMP_OK;
        goto out;
    }
    CMP_TRY_OUT(fill_general_name(&cid.issuer, req->old_cert_issuer));
    CMP_TRY_OUT(cmp_int_bytes_set(&cid.serialNumber, req->old_cert_serial));
    CMP_TRY_OUT(cmp_asn_encode(&asn_DEF_CertId, &cid, &der));
    atv = cmp_calloc(1, sizeof(*atv));
    CMP_ENSURE_OUT(atv != NULL, CMP_ERR_NOMEM);
    CMP_TRY_OUT(cmp_oid_set(&atv->type, old_cert_id_oid()));
    s.data = der.data;
    s.len = der.len;
    CMP_TRY_OUT(cmp_bytes_set(&atv->value.buf, &atv->value.size, s));
    *out = cmp_calloc(1, sizeof(**out));
    CMP_ENSURE_OUT(*out != NULL, CMP_ERR_NOMEM);
    CMP_ENSURE_OUT(ASN_SEQUENCE_ADD(&(*out)->list, atv) == 0, CMP_ERR_NOMEM);
    atv = NULL;
    err = CMP_OK;
out:
    if (atv != NULL) {
        ASN_STRUCT_FREE(asn_DEF_AttributeTypeAndValue, atv);
    }
    ASN_STRUCT_FREE_CONTENTS_ONLY(asn_DEF_CertId, &cid);
    cmp_buf_cleanup(&der);
    return err;
}

/*
 * CertReqMsg ::= SEQUENCE { certReq CertRequest,
 *   popo ProofOfPossession OPTIONAL, regInfo SEQUENCE .. OPTIONAL }
 * CertRequest ::= SEQUENCE { certReqId INTEGER, certTemplate CertTemplate,
 *   controls Controls OPTIONAL }                    (RFC 4211 section 3)
 */
static cmp_err new_certreq_msg(CertReqMsg_t **out, const cmp_certreq_spec *req)
{
    CertReqMsg_t *crm = cmp_calloc(1, sizeof(*crm));
    cmp_err err = CMP_ERR_INTERNAL;

    CMP_ENSURE(crm != NULL, CMP_ERR_NOMEM);
    CMP_TRY_OUT(cmp_int_set(&crm->certReq.certReqId, req->cert_req_id));
    CMP_TRY_OUT(fill_template(&crm->certReq.certTemplate, req));
    CMP_TRY_OUT(fill_old_cert_id(&crm->certReq.controls, req));
    *out = crm;
    crm = NULL;
    err = CMP_OK;
out:
    if (crm != NULL) {
        ASN_STRUCT_FREE(asn_DEF_CertReqMsg, crm);
    }
    return err;
}

/* see cmp/msg.h */
cmp_err cmp_msg_set_body_certreq(cmp_msg *m, cmp_body_type type, const cmp_certreq_spec *req)
{
    PKIBody_t *body = NULL;
    CertReqMsg_t *crm = NULL;
    cmp_err err = CMP_ERR_INTERNAL;

    CMP_ENSURE(m != NULL && req != NULL, CMP_ERR_ARG);
    CMP_ENSURE(cmp_body_is_certreq(type), CMP_ERR_ARG);
    CMP_TRY_OUT(cmp_body_new(&body, type));
    CMP_TRY_OUT(new_certreq_msg(&crm, req));
    CMP_ENSURE_OUT(ASN_SEQUENCE_ADD(&certreqs_of(body)->list, crm) == 0, CMP_ERR_NOMEM);
    crm = NULL;
    CMP_TRY_OUT(cmp_body_install(m, &body));
    err = CMP_OK;
out:
    if (crm != NULL) {
        ASN_STRUCT_FREE(asn_DEF_CertReqMsg, crm);
    }
    cmp_body_free(body);
    return err;
}

/* ---- proof of possession ---------------------------------------------------- */

/* The DER of the i-th CertRequest: as received for a decoded message (the
 * first element of the CertReqMsg), else a fresh DER encoding. A message
 * decoded leniently with a BER body falls back to the DER encoding, which
 * is what RFC 4211 section 4.1 says the signature covers. */
static cmp_err certreq_tbs_span(const cmp_msg *m, size_t i, cmp_span *out)
{
    const CertReqMsg_t *crm = certreq_at(m, i);
    cmp_span item;

    CMP_ENSURE(crm != NULL, CMP_ERR_ARG);
    if (m->decoded && cmp_body_raw_item(m, i, &item) == CMP_OK) {
        cmp_rd rd;
        cmp_tlv tlv;
        cmp_rd_init(&rd, item.data, item.len);
        if (cmp_rd_get_tlv(&rd, 0x30, &tlv) == CMP_OK) {
            cmp_rd_contents(&tlv, &rd);
            if (cmp_rd_get_tlv(&rd, 0x30, &tlv) == CMP_OK) {
                *out = tlv.whole;
                return CMP_OK;
            }
        }
    }
    return cmp_msg_arena_encode(m, &asn_DEF_CertRequest, &crm->certReq, out);
}

/* see cmp/msg.h */
cmp_err cmp_msg_certreq_tbs(const cmp_msg *m, size_t i, cmp_buf *out)
{
    cmp_span s;

    CMP_ENSURE(m != NULL && out != NULL, CMP_ERR_ARG);
    out->data = NULL;
    out->len = 0;
    CMP_TRY(certreq_tbs_span(m, i, &s));
    out->data = cmp_malloc(s.len);
    CMP_ENSURE(out->data != NULL, CMP_ERR_NOMEM);
    memcpy(out->data, s.data, s.len);
    out->len = s.len;
    return CMP_OK;
}

/* The i-th CertReqMsg of a built ir/cr/kur, to change its popo. */
static cmp_err certreq_mut(cmp_msg *m, size_t i, CertReqMsg_t **out)
{
    CMP_ENSURE(m != NULL, CMP_ERR_ARG);
    CMP_ENSURE(!m->decoded, CMP_ERR_STATE);
    *out = certreq_at(m, i);
    CMP_ENSURE(*out != NULL, CMP_ERR_STATE);
    return CMP_OK;
}

static void set_popo(CertReqMsg_t *crm, ProofOfPossession_t *popo)
{
    if (crm->popo != NULL) {
        ASN_STRUCT_FREE(asn_DEF_ProofOfPossession, crm->popo);
    }
    crm->popo = popo;
}

/*
 * = https://www.rfc-editor.org/rfc/rfc9810#section-5.2.8.2
 * # If certTemplate (or the altCertTemplate control) contains the subject
 * # and publicKey values, then poposkInput MUST be omitted and the
 * # signature MUST be computed on the DER-encoded value of certReq field
 * # of the CertReqMsg
 * # If certTemplate/altCertTemplate does not contain both the subject and
 * # public key values [...] then poposkInput MUST be present
 *
 * This stack does not build poposkInput, so it refuses the second case.
 */
/* see cmp/msg.h */
cmp_err cmp_msg_certreq_set_popo_sig(cmp_msg *m, size_t i, cmp_span alg_der, cmp_span sig)
{
    CertReqMsg_t *crm = NULL;
    ProofOfPossession_t *popo = NULL;
    POPOSigningKey_t *sk;
    cmp_err err = CMP_ERR_INTERNAL;

    CMP_TRY(certreq_mut(m, i, &crm));
    CMP_ENSURE(sig.len > 0 && alg_der.len > 0, CMP_ERR_ARG);
    CMP_ENSURE(crm->certReq.certTemplate.subject != NULL &&
                   crm->certReq.certTemplate.publicKey != NULL,
               CMP_ERR_UNSUPPORTED);
    popo = cmp_calloc(1, sizeof(*popo));
    CMP_ENSURE_OUT(popo != NULL, CMP_ERR_NOMEM);
    popo->present = ProofOfPossession_PR_signature;
    sk = &popo->choice.signature;
    CMP_TRY_OUT(cmp_asn_decode_into(&asn_DEF_AlgorithmIdentifier, alg_der,
                                    &sk->algorithmIdentifier, sizeof(sk->algorithmIdentifier)));
    CMP_TRY_OUT(cmp_bytes_set(&sk->signature.buf, &sk->signature.size, sig));
    sk->signature.bits_unused = 0;
    set_popo(crm, popo);
    popo = NULL;
    err = CMP_OK;
out:
    if (popo != NULL) {
        ASN_STRUCT_FREE(asn_DEF_ProofOfPossession, popo);
    }
    return err;
}

/*
 * ProofOfPossession ::= CHOICE { raVerified [0] NULL, ... } (RFC 4211
 * section 4): "used if the RA has already verified that the requester is
 * in possession of the private key".
 */
/* see cmp/msg.h */
cmp_err cmp_msg_certreq_set_popo_raverified(cmp_msg *m, size_t i)
{
    CertReqMsg_t *crm = NULL;
    ProofOfPossession_t *popo;

    CMP_TRY(certreq_mut(m, i, &crm));
    popo = cmp_calloc(1, sizeof(*popo));
    CMP_ENSURE(popo != NULL, CMP_ERR_NOMEM);
    popo->present = ProofOfPossession_PR_raVerified;
    set_popo(crm, popo);
    return CMP_OK;
}

/* ---- reading -------------------------------------------------------------- */

/* see cmp/msg.h */
size_t cmp_msg_num_certreqs(const cmp_msg *m)
{
    CertReqMessages_t *reqs = certreqs_of(cmp_msg_body_get(m));

    return reqs != NULL && reqs->list.count > 0 ? (size_t)reqs->list.count : 0;
}

/* Arena-encodes an optional member, leaving |out| empty when absent. */
static cmp_err read_opt(const cmp_msg *m, const asn_TYPE_descriptor_t *td, const void *member,
                        cmp_span *out)
{
    if (member == NULL) {
        return CMP_OK;
    }
    return cmp_msg_arena_encode(m, td, member, out);
}

static cmp_err read_template(const cmp_msg *m, const CertTemplate_t *t, cmp_certreq *out)
{
    CMP_TRY(read_opt(m, &asn_DEF_Name, t->subject, &out->subject));
    CMP_TRY(read_opt(m, &asn_DEF_Name, t->issuer, &out->issuer));
    CMP_TRY(read_opt(m, &asn_DEF_SubjectPublicKeyInfo, t->publicKey, &out->public_key));
    CMP_TRY(read_opt(m, &asn_DEF_Extensions, t->extensions, &out->extensions));
    if (t->validity != NULL && t->validity->notBefore != NULL) {
        CMP_TRY(cmp_time_read(t->validity->notBefore, &out->not_before));
    }
    if (t->validity != NULL && t->validity->notAfter != NULL) {
        CMP_TRY(cmp_time_read(t->validity->notAfter, &out->not_after));
    }
    return CMP_OK;
}

/* Finds id-regCtrl-oldCertID among the controls and reads its CertId. */
static cmp_err read_old_cert_id(const cmp_msg *m, const Controls_t *c, cmp_certreq *out)
{
    CertId_t *cid = NULL;
    cmp_err err = CMP_OK;
    size_t k;

    if (c == NULL || c->list.count <= 0) {
        return CMP_OK;
    }
    for (k = 0; k < (size_t)c->list.count; k++) {
        const AttributeTypeAndValue_t *atv = c->list.array[k];
        if (atv == NULL || !cmp_oid_eq(CMP_SPAN_OF(&atv->type), old_cert_id_oid())) {
            continue;
        }
        CMP_TRY_OUT(cmp_asn_decode(&asn_DEF_CertId, CMP_SPAN_OF(&atv->value), (void **)&cid));
        CMP_TRY_OUT(cmp_msg_arena_encode(m, &asn_DEF_GeneralName, &cid->issuer,
                                         &out->old_cert_issuer));
        CMP_TRY_OUT(cmp_msg_arena_copy(m, cid->serialNumber.buf,
                                       CMP_SPAN_OF(&cid->serialNumber).len,
                                       &out->old_cert_serial));
        CMP_ENSURE_OUT(out->old_cert_serial.len > 0, CMP_ERR_MISSING_FIELD);
        break;
    }
out:
    if (cid != NULL) {
        ASN_STRUCT_FREE(asn_DEF_CertId, cid);
    }
    return err;
}

static cmp_err read_popo(const cmp_msg *m, const ProofOfPossession_t *popo, cmp_certreq *out)
{
    const POPOSigningKey_t *sk;

    out->popo_type = CMP_POPO_NONE;
    if (popo == NULL) {
        return CMP_OK;
    }
    switch (popo->present) {
    case ProofOfPossession_PR_raVerified:
        out->popo_type = CMP_POPO_RA_VERIFIED;
        return CMP_OK;
    case ProofOfPossession_PR_keyEncipherment:
        out->popo_type = CMP_POPO_KEY_ENCIPHERMENT;
        return CMP_OK;
    case ProofOfPossession_PR_keyAgreement:
        out->popo_type = CMP_POPO_KEY_AGREEMENT;
        return CMP_OK;
    case ProofOfPossession_PR_signature:
        break;
    default:
        CMP_FAIL(CMP_ERR_POPO);
    }
    sk = &popo->choice.signature;
    out->popo_type = CMP_POPO_SIGNATURE;
    out->popo_has_input = sk->poposkInput != NULL;
    /* A signature is whole octets; unused bits mean a malformed value. */
    CMP_ENSURE(sk->signature.bits_unused == 0, CMP_ERR_POPO);
    out->popo_sig = CMP_SPAN_OF(&sk->signature);
    return cmp_msg_arena_encode(m, &asn_DEF_AlgorithmIdentifier, &sk->algorithmIdentifier,
                                &out->popo_alg);
}

/* see cmp/msg.h */
cmp_err cmp_msg_certreq(const cmp_msg *m, size_t i, cmp_certreq *out)
{
    const CertReqMsg_t *crm;

    CMP_ENSURE(m != NULL && out != NULL, CMP_ERR_ARG);
    memset(out, 0, sizeof(*out));
    out->popo_type = CMP_POPO_NONE;
    CMP_ENSURE(certreqs_of(cmp_msg_body_get(m)) != NULL, CMP_ERR_BODY_TYPE);
    crm = certreq_at(m, i);
    CMP_ENSURE(crm != NULL, CMP_ERR_ARG);
    CMP_TRY(cmp_int_get(&crm->certReq.certReqId, &out->cert_req_id));
    CMP_TRY(read_template(m, &crm->certReq.certTemplate, out));
    CMP_TRY(read_old_cert_id(m, crm->certReq.controls, out));
    CMP_TRY(read_popo(m, crm->popo, out));
    return certreq_tbs_span(m, i, &out->tbs);
}

/* ---- p10cr ---------------------------------------------------------------- */

/*
 * p10cr [4] CertificationRequest (RFC 9810 section 5.1.2; RFC 2986
 * section 4.2). The CSR is signed over its CertificationRequestInfo, so it
 * must arrive as exact DER: a re-encoding would break its signature.
 */
/* see cmp/msg.h */
cmp_err cmp_msg_set_body_p10cr(cmp_msg *m, cmp_span csr_der)
{
    PKIBody_t *body = NULL;
    cmp_err err = CMP_ERR_INTERNAL;

    CMP_ENSURE(m != NULL && csr_der.len > 0 && csr_der.data != NULL, CMP_ERR_ARG);
    CMP_TRY_OUT(cmp_body_new(&body, CMP_BODY_P10CR));
    err = cmp_asn_decode_into(&asn_DEF_CertificationRequest, csr_der, &body->choice.p10cr,
                              sizeof(body->choice.p10cr));
    CMP_ENSURE_OUT(err != CMP_ERR_NOMEM, CMP_ERR_NOMEM);
    CMP_ENSURE_OUT(err == CMP_OK, CMP_ERR_CSR_PARSE);
    CMP_TRY_OUT(cmp_body_install(m, &body));
    err = CMP_OK;
out:
    cmp_body_free(body);
    return err;
}

/* see cmp/msg.h */
cmp_span cmp_msg_p10cr(const cmp_msg *m)
{
    const PKIBody_t *b = cmp_body_of(m, CMP_BODY_P10CR);
    cmp_span s = {NULL, 0};

    if (b == NULL) {
        return s;
    }
    if (m->decoded && m->raw_body.len > 0) {
        /* p10cr [4] EXPLICIT: the contents are the CSR as received. */
        cmp_rd rd;
        cmp_tlv tlv;
        cmp_rd_init(&rd, m->raw_body.data, m->raw_body.len);
        if (cmp_rd_get_any_tlv(&rd, &tlv) == CMP_OK) {
            return tlv.contents;
        }
    }
    if (cmp_msg_arena_encode(m, &asn_DEF_CertificationRequest, &b->choice.p10cr, &s) != CMP_OK) {
        s.data = NULL;
        s.len = 0;
    }
    return s;
}
