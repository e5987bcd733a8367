/* SPDX-License-Identifier: Apache-2.0 */
/*
 * stack/msg_conf.c: the confirmation bodies certConf (CertConfirmContent,
 * RFC 9810 section 5.3.18, with the RFC 9480 hashAlg) and pkiConf
 * (PKIConfirmContent, section 5.3.17), built and read in one place.
 */
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "cmp/mem.h"
#include "err_int.h"
#include "msg_body_int.h"

#include "AlgorithmIdentifier.h"
#include "CertStatus.h"

/* 1 when the message header carries pvno cmp2021(3). */
static int is_cmp2021(const cmp_msg *m)
{
    long pvno = 0;

    return cmp_msg_pvno(m, &pvno) == CMP_OK && pvno == CMP_PVNO_2021;
}

/*
 * CertStatus ::= SEQUENCE {
 *    certHash    OCTET STRING,
 *    certReqId   INTEGER,
 *    statusInfo  PKIStatusInfo OPTIONAL,
 *    hashAlg [0] AlgorithmIdentifier{DIGEST-ALGORITHM, {...}} OPTIONAL }
 *                                                (RFC 9810 section 5.3.18)
 */
static cmp_err fill_cert_status(CertStatus_t *cs, const cmp_certconf_entry *e)
{
    CMP_ENSURE(e->cert_hash.len > 0, CMP_ERR_ARG);
    CMP_TRY(cmp_octets_set(&cs->certHash, e->cert_hash));
    CMP_TRY(cmp_int_set(&cs->certReqId, e->cert_req_id));
    if (e->has_status) {
        cs->statusInfo = cmp_calloc(1, sizeof(*cs->statusInfo));
        CMP_ENSURE(cs->statusInfo != NULL, CMP_ERR_NOMEM);
        CMP_TRY(cmp_status_info_fill(cs->statusInfo, &e->status));
    }
    if (e->hash_alg.len > 0) {
        CMP_TRY(cmp_asn_decode_strict(&asn_DEF_AlgorithmIdentifier, e->hash_alg,
                                   (void **)&cs->hashAlg));
    }
    return CMP_OK;
}

/*
 * = https://www.rfc-editor.org/rfc/rfc9810#section-5.3.18
 * # If hashAlg is used, the CMP
 * # version indicated by the certConf message header must be cmp2021(3).
 *
 * = https://www.rfc-editor.org/rfc/rfc9810#section-5.3.18
 * # Thus, an empty
 * # CertConfirmContent (a zero-length SEQUENCE) MAY be used to indicate
 * # rejection of all supplied certificates.
 */
/* see cmp/msg.h */
cmp_err cmp_msg_set_body_certconf(cmp_msg *m, const cmp_certconf_entry *entries,
                                  size_t num_entries)
{
    PKIBody_t *body = NULL;
    CertStatus_t *cs = NULL;
    cmp_err err = CMP_ERR_INTERNAL;
    size_t i;

    CMP_ENSURE(m != NULL && (num_entries == 0 || entries != NULL), CMP_ERR_ARG);
    CMP_ENSURE(num_entries <= CMP_MAX_CERTS, CMP_ERR_ARG);
    CMP_TRY_OUT(cmp_body_new(&body, CMP_BODY_CERTCONF));
    for (i = 0; i < num_entries; i++) {
        CMP_ENSURE_OUT(entries[i].hash_alg.len == 0 || is_cmp2021(m), CMP_ERR_ARG);
        cs = cmp_calloc(1, sizeof(*cs));
        CMP_ENSURE_OUT(cs != NULL, CMP_ERR_NOMEM);
        CMP_TRY_OUT(fill_cert_status(cs, &entries[i]));
        CMP_ENSURE_OUT(ASN_SEQUENCE_ADD(&body->choice.certConf.list, cs) == 0, CMP_ERR_NOMEM);
        cs = NULL;
    }
    CMP_TRY_OUT(cmp_body_install(m, &body));
    err = CMP_OK;
out:
    if (cs != NULL) {
        ASN_STRUCT_FREE(asn_DEF_CertStatus, cs);
    }
    cmp_body_free(body);
    return err;
}

/* see cmp/msg.h */
size_t cmp_msg_num_certconf(const cmp_msg *m)
{
    const PKIBody_t *b = cmp_body_of(m, CMP_BODY_CERTCONF);

    if (b == NULL || b->choice.certConf.list.count <= 0) {
        return 0;
    }
    return (size_t)b->choice.certConf.list.count;
}

/* see cmp/msg.h */
cmp_err cmp_msg_certconf(const cmp_msg *m, size_t i, cmp_certconf_entry *out)
{
    const PKIBody_t *b;
    const CertStatus_t *cs;

    CMP_ENSURE(m != NULL && out != NULL, CMP_ERR_ARG);
    memset(out, 0, sizeof(*out));
    b = cmp_body_of(m, CMP_BODY_CERTCONF);
    CMP_ENSURE(b != NULL, CMP_ERR_BODY_TYPE);
    CMP_ENSURE(i < cmp_msg_num_certconf(m), CMP_ERR_ARG);
    cs = b->choice.certConf.list.array[i];
    CMP_ENSURE(cs != NULL, CMP_ERR_DECODE);
    CMP_TRY(cmp_int_get(&cs->certReqId, &out->cert_req_id));
    out->cert_hash = CMP_SPAN_OF(&cs->certHash);
    CMP_ENSURE(out->cert_hash.len > 0, CMP_ERR_MISSING_FIELD);
    if (cs->statusInfo != NULL) {
        out->has_status = 1;
        CMP_TRY(cmp_status_info_read(cs->statusInfo, &out->status));
    }
    if (cs->hashAlg != NULL) {
        CMP_ENSURE(is_cmp2021(m), CMP_ERR_PVNO);
        CMP_TRY(cmp_msg_arena_encode(m, &asn_DEF_AlgorithmIdentifier, cs->hashAlg,
                                     &out->hash_alg));
    }
    return CMP_OK;
}

/* PKIConfirmContent ::= NULL (RFC 9810 section 5.3.17). */
/* see cmp/msg.h */
cmp_err cmp_msg_set_body_pkiconf(cmp_msg *m)
{
    PKIBody_t *body = NULL;
    cmp_err err;

    CMP_ENSURE(m != NULL, CMP_ERR_ARG);
    CMP_TRY(cmp_body_new(&body, CMP_BODY_PKICONF));
    err = cmp_body_install(m, &body);
    cmp_body_free(body);
    return err;
}
