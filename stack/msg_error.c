/* SPDX-License-Identifier: Apache-2.0 */
/*
 * stack/msg_error.c: the error body (ErrorMsgContent, RFC 9810 section
 * 5.3.21), built and read in one place.
 */
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "cmp/mem.h"
#include "err_int.h"
#include "msg_body_int.h"

/*
 * ErrorMsgContent ::= SEQUENCE {
 *    pKIStatusInfo          PKIStatusInfo,
 *    errorCode              INTEGER           OPTIONAL,
 *    errorDetails           PKIFreeText       OPTIONAL }
 *                                               (RFC 9810 section 5.3.21)
 */
/* see cmp/msg.h */
cmp_err cmp_msg_set_body_error(cmp_msg *m, const cmp_error_info *e)
{
    PKIBody_t *body = NULL;
    ErrorMsgContent_t *em;
    cmp_err err = CMP_ERR_INTERNAL;

    CMP_ENSURE(m != NULL && e != NULL, CMP_ERR_ARG);
    CMP_ENSURE(e->num_details <= CMP_MAX_TEXTS, CMP_ERR_ARG);
    CMP_TRY_OUT(cmp_body_new(&body, CMP_BODY_ERROR));
    em = &body->choice.error;
    CMP_TRY_OUT(cmp_status_info_fill(&em->pKIStatusInfo, &e->status));
    if (e->has_error_code) {
        em->errorCode = cmp_calloc(1, sizeof(*em->errorCode));
        CMP_ENSURE_OUT(em->errorCode != NULL, CMP_ERR_NOMEM);
        CMP_TRY_OUT(cmp_int_set(em->errorCode, e->error_code));
    }
    CMP_TRY_OUT(cmp_free_text_new(&em->errorDetails, e->details, e->num_details));
    CMP_TRY_OUT(cmp_body_install(m, &body));
    err = CMP_OK;
out:
    cmp_body_free(body);
    return err;
}

/* see cmp/msg.h */
cmp_err cmp_msg_error(const cmp_msg *m, cmp_error_info *out)
{
    const PKIBody_t *b = cmp_body_of(m, CMP_BODY_ERROR);
    const ErrorMsgContent_t *em;

    CMP_ENSURE(m != NULL && out != NULL, CMP_ERR_ARG);
    memset(out, 0, sizeof(*out));
    CMP_ENSURE(b != NULL, CMP_ERR_BODY_TYPE);
    em = &b->choice.error;
    CMP_TRY(cmp_status_info_read(&em->pKIStatusInfo, &out->status));
    if (em->errorCode != NULL) {
        out->has_error_code = 1;
        CMP_TRY(cmp_int_get(em->errorCode, &out->error_code));
    }
    out->num_details = cmp_free_text_read(em->errorDetails, out->details, CMP_MAX_TEXTS);
    return CMP_OK;
}
