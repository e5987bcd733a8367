/* SPDX-License-Identifier: Apache-2.0 */
/*
 * stack/msg_rr.c: the revocation bodies rr (RevReqContent, RFC 9810
 * section 5.3.9) and rp (RevRepContent, section 5.3.10), built and read in
 * one place. The certificate to revoke is named by issuer and serial
 * number in a CertTemplate (RFC 9483 section 4.2), the reason by the CRL
 * entry extension reasonCode (RFC 5280 section 5.3.1).
 */
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "cmp/mem.h"
#include "cmp/oid.h"
#include "err_int.h"
#include "msg_body_int.h"

#include "CRLReason.h"
#include "Extension.h"
#include "Name.h"
#include "RevDetails.h"

/* id-ce-cRLReasons ::= { id-ce 21 } = 2.5.29.21 (RFC 5280 section 5.3.1). */
static const uint8_t oid_crl_reason[] = {0x55, 0x1d, 0x15};

static cmp_span crl_reason_oid(void)
{
    cmp_span s;
    s.data = oid_crl_reason;
    s.len = sizeof(oid_crl_reason);
    return s;
}

/*
 * CRLReason ::= ENUMERATED { unspecified (0), keyCompromise (1),
 *    cACompromise (2), affiliationChanged (3), superseded (4),
 *    cessationOfOperation (5), certificateHold (6),
 *    -- value 7 is not used
 *    removeFromCRL (8), privilegeWithdrawn (9), aACompromise (10) }
 *                                               (RFC 5280 section 5.3.1)
 */
static int reason_valid(int64_t r)
{
    return r >= 0 && r <= 10 && r != 7;
}

/* crlEntryDetails with one non-critical reasonCode extension:
 * Extension ::= SEQUENCE { extnID, critical BOOLEAN DEFAULT FALSE,
 *                          extnValue OCTET STRING } (RFC 5280 4.1). */
static cmp_err fill_reason(Extensions_t **out, int reason)
{
    CRLReason_t cr;
    Extension_t *ext = NULL;
    cmp_buf der = {NULL, 0};
    cmp_span s;
    cmp_err err = CMP_ERR_INTERNAL;

    memset(&cr, 0, sizeof(cr));
    CMP_ENSURE_OUT(reason_valid(reason), CMP_ERR_ARG);
    CMP_TRY_OUT(cmp_int_set(&cr, reason));
    CMP_TRY_OUT(cmp_asn_encode(&asn_DEF_CRLReason, &cr, &der));
    *out = cmp_calloc(1, sizeof(**out));
    CMP_ENSURE_OUT(*out != NULL, CMP_ERR_NOMEM);
    ext = cmp_calloc(1, sizeof(*ext));
    CMP_ENSURE_OUT(ext != NULL, CMP_ERR_NOMEM);
    CMP_TRY_OUT(cmp_oid_set(&ext->extnID, crl_reason_oid()));
    s.data = der.data;
    s.len = der.len;
    CMP_TRY_OUT(cmp_octets_set(&ext->extnValue, s));
    CMP_ENSURE_OUT(ASN_SEQUENCE_ADD(&(*out)->list, ext) == 0, CMP_ERR_NOMEM);
    ext = NULL;
    err = CMP_OK;
out:
    if (ext != NULL) {
        ASN_STRUCT_FREE(asn_DEF_Extension, ext);
    }
    ASN_STRUCT_FREE_CONTENTS_ONLY(asn_DEF_CRLReason, &cr);
    cmp_buf_cleanup(&der);
    return err;
}

/*
 * RevDetails ::= SEQUENCE {
 *    certDetails         CertTemplate,
 *    crlEntryDetails     Extensions       OPTIONAL }
 *                                              (RFC 9810 section 5.3.9)
 *
 * The profile of RFC 9483 section 4.2 names the certificate by exactly
 * issuer and serialNumber in certDetails, and so does this builder.
 */
static cmp_err fill_rev_details(RevDetails_t *rd, const cmp_revreq_entry *e)
{
    CertTemplate_t *t = &rd->certDetails;

    CMP_ENSURE(e->issuer.len > 0 && e->serial.len > 0, CMP_ERR_ARG);
    CMP_TRY(cmp_asn_decode_strict(&asn_DEF_Name, e->issuer, (void **)&t->issuer));
    t->serialNumber = cmp_calloc(1, sizeof(*t->serialNumber));
    CMP_ENSURE(t->serialNumber != NULL, CMP_ERR_NOMEM);
    CMP_TRY(cmp_int_bytes_set(t->serialNumber, e->serial));
    if (e->reason < 0) {
        return CMP_OK;
    }
    return fill_reason(&rd->crlEntryDetails, e->reason);
}

/* RevReqContent ::= SEQUENCE OF RevDetails (RFC 9810 section 5.3.9). */
/* see cmp/msg.h */
cmp_err cmp_msg_set_body_rr(cmp_msg *m, const cmp_revreq_entry *entries, size_t num)
{
    PKIBody_t *body = NULL;
    RevDetails_t *rd = NULL;
    cmp_err err = CMP_ERR_INTERNAL;
    size_t i;

    CMP_ENSURE(m != NULL && entries != NULL && num > 0, CMP_ERR_ARG);
    CMP_ENSURE(num <= CMP_MAX_CERTS, CMP_ERR_ARG);
    CMP_TRY_OUT(cmp_body_new(&body, CMP_BODY_RR));
    for (i = 0; i < num; i++) {
        rd = cmp_calloc(1, sizeof(*rd));
        CMP_ENSURE_OUT(rd != NULL, CMP_ERR_NOMEM);
        CMP_TRY_OUT(fill_rev_details(rd, &entries[i]));
        CMP_ENSURE_OUT(ASN_SEQUENCE_ADD(&body->choice.rr.list, rd) == 0, CMP_ERR_NOMEM);
        rd = NULL;
    }
    CMP_TRY_OUT(cmp_body_install(m, &body));
    err = CMP_OK;
out:
    if (rd != NULL) {
        ASN_STRUCT_FREE(asn_DEF_RevDetails, rd);
    }
    cmp_body_free(body);
    return err;
}

/* see cmp/msg.h */
size_t cmp_msg_num_revreqs(const cmp_msg *m)
{
    const PKIBody_t *b = cmp_body_of(m, CMP_BODY_RR);

    if (b == NULL || b->choice.rr.list.count <= 0) {
        return 0;
    }
    return (size_t)b->choice.rr.list.count;
}

/* The reasonCode among the CRL entry extensions, or -1 when absent. */
static cmp_err read_reason(const Extensions_t *exts, int *out)
{
    CRLReason_t *cr = NULL;
    int64_t v = -1;
    cmp_err err = CMP_OK;
    size_t k;

    *out = -1;
    if (exts == NULL || exts->list.count <= 0) {
        return CMP_OK;
    }
    for (k = 0; k < (size_t)exts->list.count; k++) {
        const Extension_t *ext = exts->list.array[k];
        if (ext == NULL || !cmp_oid_eq(CMP_SPAN_OF(&ext->extnID), crl_reason_oid())) {
            continue;
        }
        CMP_TRY_OUT(cmp_asn_decode(&asn_DEF_CRLReason, CMP_SPAN_OF(&ext->extnValue),
                                   (void **)&cr));
        CMP_TRY_OUT(cmp_int_get(cr, &v));
        CMP_ENSURE_OUT(reason_valid(v), CMP_ERR_DER_VALUE);
        *out = (int)v;
        break;
    }
out:
    if (cr != NULL) {
        ASN_STRUCT_FREE(asn_DEF_CRLReason, cr);
    }
    return err;
}

/* see cmp/msg.h */
cmp_err cmp_msg_revreq(const cmp_msg *m, size_t i, cmp_revreq_entry *out)
{
    const PKIBody_t *b = cmp_body_of(m, CMP_BODY_RR);
    const RevDetails_t *rd;

    CMP_ENSURE(m != NULL && out != NULL, CMP_ERR_ARG);
    memset(out, 0, sizeof(*out));
    out->reason = -1;
    CMP_ENSURE(b != NULL, CMP_ERR_BODY_TYPE);
    CMP_ENSURE(i < cmp_msg_num_revreqs(m), CMP_ERR_ARG);
    rd = b->choice.rr.list.array[i];
    CMP_ENSURE(rd != NULL, CMP_ERR_DECODE);
    CMP_ENSURE(rd->certDetails.issuer != NULL && rd->certDetails.serialNumber != NULL,
               CMP_ERR_MISSING_FIELD);
    CMP_TRY(cmp_msg_arena_encode(m, &asn_DEF_Name, rd->certDetails.issuer, &out->issuer));
    out->serial = CMP_SPAN_OF(rd->certDetails.serialNumber);
    CMP_ENSURE(out->serial.len > 0, CMP_ERR_MISSING_FIELD);
    return read_reason(rd->crlEntryDetails, &out->reason);
}

/*
 * RevRepContent ::= SEQUENCE {
 *    status       SEQUENCE SIZE (1..MAX) OF PKIStatusInfo,
 *    revCerts [0] SEQUENCE SIZE (1..MAX) OF CertId OPTIONAL,
 *    crls     [1] SEQUENCE SIZE (1..MAX) OF CertificateList OPTIONAL }
 *                                             (RFC 9810 section 5.3.10)
 * Only status is built (RFC 9483 section 4.2 uses no more).
 */
/* see cmp/msg.h */
cmp_err cmp_msg_set_body_rp(cmp_msg *m, const cmp_status_info *status, size_t num)
{
    PKIBody_t *body = NULL;
    PKIStatusInfo_t *si = NULL;
    cmp_err err = CMP_ERR_INTERNAL;
    size_t i;

    CMP_ENSURE(m != NULL && status != NULL && num > 0, CMP_ERR_ARG);
    CMP_ENSURE(num <= CMP_MAX_CERTS, CMP_ERR_ARG);
    CMP_TRY_OUT(cmp_body_new(&body, CMP_BODY_RP));
    for (i = 0; i < num; i++) {
        si = cmp_calloc(1, sizeof(*si));
        CMP_ENSURE_OUT(si != NULL, CMP_ERR_NOMEM);
        CMP_TRY_OUT(cmp_status_info_fill(si, &status[i]));
        CMP_ENSURE_OUT(ASN_SEQUENCE_ADD(&body->choice.rp.status.list, si) == 0, CMP_ERR_NOMEM);
        si = NULL;
    }
    CMP_TRY_OUT(cmp_body_install(m, &body));
    err = CMP_OK;
out:
    if (si != NULL) {
        ASN_STRUCT_FREE(asn_DEF_PKIStatusInfo, si);
    }
    cmp_body_free(body);
    return err;
}

/* see cmp/msg.h */
size_t cmp_msg_num_rp_status(const cmp_msg *m)
{
    const PKIBody_t *b = cmp_body_of(m, CMP_BODY_RP);

    if (b == NULL || b->choice.rp.status.list.count <= 0) {
        return 0;
    }
    return (size_t)b->choice.rp.status.list.count;
}

/* see cmp/msg.h */
cmp_err cmp_msg_rp_status(const cmp_msg *m, size_t i, cmp_status_info *out)
{
    const PKIBody_t *b = cmp_body_of(m, CMP_BODY_RP);
    const PKIStatusInfo_t *si;

    CMP_ENSURE(m != NULL && out != NULL, CMP_ERR_ARG);
    memset(out, 0, sizeof(*out));
    CMP_ENSURE(b != NULL, CMP_ERR_BODY_TYPE);
    CMP_ENSURE(i < cmp_msg_num_rp_status(m), CMP_ERR_ARG);
    si = b->choice.rp.status.list.array[i];
    CMP_ENSURE(si != NULL, CMP_ERR_DECODE);
    return cmp_status_info_read(si, out);
}
