/* SPDX-License-Identifier: Apache-2.0 */
/*
 * stack/msg_genm.c: the general message bodies genm and genp (RFC 9810
 * sections 5.3.19 and 5.3.20; RFC 9483 section 4.3), built and read in one
 * place. Values stay raw: the layer hands out the OID content bytes and
 * the infoValue DER, and the caller decodes what it asked for (the OIDs
 * and their names are in cmp/oid.h).
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

#include "InfoTypeAndValue.h"

/* Most InfoTypeAndValue entries built into one body. */
#define MAX_ITAVS 64u

/* A view of the SEQUENCE OF InfoTypeAndValue of a genm or genp body:
 * GenMsgContent and GenRepContent are generated as two struct types. */
typedef struct itav_list {
    void *list; /* for ASN_SEQUENCE_ADD */
    InfoTypeAndValue_t *const *array;
    size_t count;
} itav_list;

static int itavs_of(const PKIBody_t *b, itav_list *out)
{
    int count;

    if (b != NULL && b->present == PKIBody_PR_genm) {
        out->list = (void *)&b->choice.genm.list;
        out->array = b->choice.genm.list.array;
        count = b->choice.genm.list.count;
    } else if (b != NULL && b->present == PKIBody_PR_genp) {
        out->list = (void *)&b->choice.genp.list;
        out->array = b->choice.genp.list.array;
        count = b->choice.genp.list.count;
    } else {
        return 0;
    }
    out->count = count > 0 ? (size_t)count : 0;
    return 1;
}

/*
 * InfoTypeAndValue ::= SEQUENCE {
 *    infoType               OBJECT IDENTIFIER,
 *    infoValue              ANY DEFINED BY infoType  OPTIONAL }
 *                                             (RFC 9810 section 5.3.19)
 * The value must be exactly one well-formed DER element.
 */
static cmp_err fill_itav(InfoTypeAndValue_t *out, const cmp_itav *in)
{
    cmp_der_limits lim;

    CMP_TRY(cmp_oid_set(&out->infoType, in->oid));
    if (in->value.len == 0) {
        return CMP_OK;
    }
    lim.max_len = CMP_MAX_MSG_LEN;
    lim.max_depth = CMP_MAX_DER_DEPTH;
    CMP_ENSURE(cmp_der_walk(in->value.data, in->value.len, &lim, NULL) == CMP_OK, CMP_ERR_ARG);
    out->infoValue = cmp_calloc(1, sizeof(*out->infoValue));
    CMP_ENSURE(out->infoValue != NULL, CMP_ERR_NOMEM);
    return cmp_bytes_set(&out->infoValue->buf, &out->infoValue->size, in->value);
}

/*
 * GenMsgContent ::= SEQUENCE OF InfoTypeAndValue
 * GenRepContent ::= SEQUENCE OF InfoTypeAndValue (RFC 9810 5.3.19, 5.3.20)
 */
/* see cmp/msg.h */
cmp_err cmp_msg_set_body_genm(cmp_msg *m, cmp_body_type type, const cmp_itav *itavs,
                              size_t num)
{
    PKIBody_t *body = NULL;
    InfoTypeAndValue_t *itav = NULL;
    itav_list l;
    cmp_err err = CMP_ERR_INTERNAL;
    size_t i;

    CMP_ENSURE(m != NULL && (num == 0 || itavs != NULL), CMP_ERR_ARG);
    CMP_ENSURE(type == CMP_BODY_GENM || type == CMP_BODY_GENP, CMP_ERR_ARG);
    CMP_ENSURE(num <= MAX_ITAVS, CMP_ERR_ARG);
    CMP_TRY_OUT(cmp_body_new(&body, type));
    CMP_ENSURE_OUT(itavs_of(body, &l), CMP_ERR_INTERNAL);
    for (i = 0; i < num; i++) {
        itav = cmp_calloc(1, sizeof(*itav));
        CMP_ENSURE_OUT(itav != NULL, CMP_ERR_NOMEM);
        CMP_TRY_OUT(fill_itav(itav, &itavs[i]));
        CMP_ENSURE_OUT(ASN_SEQUENCE_ADD(l.list, itav) == 0, CMP_ERR_NOMEM);
        itav = NULL;
    }
    CMP_TRY_OUT(cmp_body_install(m, &body));
    err = CMP_OK;
out:
    if (itav != NULL) {
        ASN_STRUCT_FREE(asn_DEF_InfoTypeAndValue, itav);
    }
    cmp_body_free(body);
    return err;
}

/* see cmp/msg.h */
size_t cmp_msg_num_itavs(const cmp_msg *m)
{
    itav_list l;

    return itavs_of(cmp_msg_body_get(m), &l) ? l.count : 0;
}

/* see cmp/msg.h */
cmp_err cmp_msg_itav(const cmp_msg *m, size_t i, cmp_itav *out)
{
    const InfoTypeAndValue_t *itav;
    itav_list l;

    CMP_ENSURE(m != NULL && out != NULL, CMP_ERR_ARG);
    memset(out, 0, sizeof(*out));
    CMP_ENSURE(itavs_of(cmp_msg_body_get(m), &l), CMP_ERR_BODY_TYPE);
    CMP_ENSURE(i < l.count, CMP_ERR_ARG);
    itav = l.array[i];
    CMP_ENSURE(itav != NULL, CMP_ERR_DECODE);
    out->oid = CMP_SPAN_OF(&itav->infoType);
    CMP_ENSURE(cmp_oid_valid(out->oid), CMP_ERR_DER_VALUE);
    if (itav->infoValue != NULL) {
        out->value = CMP_SPAN_OF(itav->infoValue);
    }
    return CMP_OK;
}
