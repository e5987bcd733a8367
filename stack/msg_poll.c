/* SPDX-License-Identifier: Apache-2.0 */
/*
 * stack/msg_poll.c: the polling bodies pollReq and pollRep (RFC 9810
 * section 5.3.22), built and read in one place. checkAfter is a peer's
 * number the client will sleep on: it is range-checked here, and a
 * negative value is an error rather than "poll now".
 */
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "cmp/mem.h"
#include "err_int.h"
#include "msg_body_int.h"

/*
 * PollReqContent ::= SEQUENCE OF SEQUENCE {
 *    certReqId    INTEGER }                     (RFC 9810 section 5.3.22)
 *
 * Each element is added to the list before it is filled, so the body owns
 * it at once (the element type has no public descriptor of its own).
 */
/* see cmp/msg.h */
cmp_err cmp_msg_set_body_pollreq(cmp_msg *m, const int64_t *cert_req_ids, size_t num)
{
    PKIBody_t *body = NULL;
    struct PollReqContent__Member *e;
    cmp_err err = CMP_ERR_INTERNAL;
    size_t i;

    CMP_ENSURE(m != NULL && cert_req_ids != NULL && num > 0, CMP_ERR_ARG);
    CMP_ENSURE(num <= CMP_MAX_CERTS, CMP_ERR_ARG);
    CMP_TRY_OUT(cmp_body_new(&body, CMP_BODY_POLLREQ));
    for (i = 0; i < num; i++) {
        e = cmp_calloc(1, sizeof(*e));
        CMP_ENSURE_OUT(e != NULL, CMP_ERR_NOMEM);
        if (ASN_SEQUENCE_ADD(&body->choice.pollReq.list, e) != 0) {
            cmp_free(e);
            CMP_FAIL_OUT(CMP_ERR_NOMEM);
        }
        CMP_TRY_OUT(cmp_int_set(&e->certReqId, cert_req_ids[i]));
    }
    CMP_TRY_OUT(cmp_body_install(m, &body));
    err = CMP_OK;
out:
    cmp_body_free(body);
    return err;
}

/* see cmp/msg.h */
size_t cmp_msg_num_pollreq(const cmp_msg *m)
{
    const PKIBody_t *b = cmp_body_of(m, CMP_BODY_POLLREQ);

    if (b == NULL || b->choice.pollReq.list.count <= 0) {
        return 0;
    }
    return (size_t)b->choice.pollReq.list.count;
}

/* see cmp/msg.h */
cmp_err cmp_msg_pollreq(const cmp_msg *m, size_t i, int64_t *out_id)
{
    const PKIBody_t *b = cmp_body_of(m, CMP_BODY_POLLREQ);
    const struct PollReqContent__Member *e;

    CMP_ENSURE(m != NULL && out_id != NULL, CMP_ERR_ARG);
    *out_id = 0;
    CMP_ENSURE(b != NULL, CMP_ERR_BODY_TYPE);
    CMP_ENSURE(i < cmp_msg_num_pollreq(m), CMP_ERR_ARG);
    e = b->choice.pollReq.list.array[i];
    CMP_ENSURE(e != NULL, CMP_ERR_DECODE);
    return cmp_int_get(&e->certReqId, out_id);
}

/*
 * PollRepContent ::= SEQUENCE OF SEQUENCE {
 *    certReqId    INTEGER,
 *    checkAfter   INTEGER,  -- time in seconds
 *    reason       PKIFreeText OPTIONAL }        (RFC 9810 section 5.3.22)
 */
static cmp_err fill_pollrep(struct PollRepContent__Member *e, const cmp_pollrep_entry *in)
{
    /* A wait is never negative; the reader refuses one too. */
    CMP_ENSURE(in->check_after >= 0, CMP_ERR_ARG);
    CMP_TRY(cmp_int_set(&e->certReqId, in->cert_req_id));
    CMP_TRY(cmp_int_set(&e->checkAfter, in->check_after));
    return cmp_free_text_new(&e->reason, &in->reason, in->reason.len > 0 ? 1 : 0);
}

/* see cmp/msg.h */
cmp_err cmp_msg_set_body_pollrep(cmp_msg *m, const cmp_pollrep_entry *entries, size_t num)
{
    PKIBody_t *body = NULL;
    struct PollRepContent__Member *e;
    cmp_err err = CMP_ERR_INTERNAL;
    size_t i;

    CMP_ENSURE(m != NULL && entries != NULL && num > 0, CMP_ERR_ARG);
    CMP_ENSURE(num <= CMP_MAX_CERTS, CMP_ERR_ARG);
    CMP_TRY_OUT(cmp_body_new(&body, CMP_BODY_POLLREP));
    for (i = 0; i < num; i++) {
        e = cmp_calloc(1, sizeof(*e));
        CMP_ENSURE_OUT(e != NULL, CMP_ERR_NOMEM);
        if (ASN_SEQUENCE_ADD(&body->choice.pollRep.list, e) != 0) {
            cmp_free(e);
            CMP_FAIL_OUT(CMP_ERR_NOMEM);
        }
        CMP_TRY_OUT(fill_pollrep(e, &entries[i]));
    }
    CMP_TRY_OUT(cmp_body_install(m, &body));
    err = CMP_OK;
out:
    cmp_body_free(body);
    return err;
}

/* see cmp/msg.h */
size_t cmp_msg_num_pollrep(const cmp_msg *m)
{
    const PKIBody_t *b = cmp_body_of(m, CMP_BODY_POLLREP);

    if (b == NULL || b->choice.pollRep.list.count <= 0) {
        return 0;
    }
    return (size_t)b->choice.pollRep.list.count;
}

/*
 * = https://www.rfc-editor.org/rfc/rfc9810#section-5.3.22
 * # If the EE receives a pollRep, it will wait for at least the number
 * # of seconds given in the checkAfter field before sending another
 * # pollReq.
 *
 * A negative or unrepresentable checkAfter is CMP_ERR_CHECK_AFTER; the
 * caller bounds a large one by its polling deadline.
 */
/* see cmp/msg.h */
cmp_err cmp_msg_pollrep(const cmp_msg *m, size_t i, cmp_pollrep_entry *out)
{
    const PKIBody_t *b = cmp_body_of(m, CMP_BODY_POLLREP);
    const struct PollRepContent__Member *e;
    cmp_span reason[1];

    CMP_ENSURE(m != NULL && out != NULL, CMP_ERR_ARG);
    memset(out, 0, sizeof(*out));
    CMP_ENSURE(b != NULL, CMP_ERR_BODY_TYPE);
    CMP_ENSURE(i < cmp_msg_num_pollrep(m), CMP_ERR_ARG);
    e = b->choice.pollRep.list.array[i];
    CMP_ENSURE(e != NULL, CMP_ERR_DECODE);
    CMP_TRY(cmp_int_get(&e->certReqId, &out->cert_req_id));
    CMP_ENSURE(cmp_int_get(&e->checkAfter, &out->check_after) == CMP_OK, CMP_ERR_CHECK_AFTER);
    CMP_ENSURE(out->check_after >= 0, CMP_ERR_CHECK_AFTER);
    if (cmp_free_text_read(e->reason, reason, 1) == 1) {
        out->reason = reason[0];
    }
    return CMP_OK;
}
