/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tests/fuzz/fuzz_http.c: the HTTP transport's parsers (stack/http_parse.c)
 * on untrusted bytes: responses as the client reads them, requests as the
 * server reads them.
 *
 * Input: one mode byte, then the message.
 *   bit 0: 0 response (cmp_http_rsp_parse), 1 request (cmp_http_req_parse)
 *   bit 1: the peer has closed (responses)
 *   bit 2: small limits (head 256, 8 fields, body 512, framing 128), so that
 *          the fuzzer reaches every limit; else the defaults
 *
 * Properties checked on every accepted message (abort on violation):
 *   - it lies within the input, its body within the body limit, and the body
 *     copies into a buffer of exactly body_len bytes (ASan checks the rest);
 *   - it is self-delimiting: the same bytes without what follows parse to the
 *     same message, and without their last byte they are incomplete (unless
 *     the close delimits the body);
 *   - every failure is one of the documented codes.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int documented(cmp_err err)
{
    return err == CMP_OK || err == CMP_ERR_AGAIN || err == CMP_ERR_HTTP ||
           err == CMP_ERR_RSP_TOO_LARGE;
}

static cmp_err parse(cmp_http_msg *m, int is_req, const uint8_t *buf, size_t len, int at_eof,
                     const cmp_http_limits *lim)
{
    return is_req ? cmp_http_req_parse(m, buf, len, lim)
                  : cmp_http_rsp_parse(m, buf, len, at_eof, lim);
}

static void check_accepted(const cmp_http_msg *m, int is_req, const uint8_t *buf, size_t len,
                           int at_eof, const cmp_http_limits *lim)
{
    cmp_http_msg again;
    uint8_t *body, *copy;
    int has_body;

    if (m->msg_len > len || m->head_len > m->msg_len || m->body_len > lim->max_body) {
        abort();
    }
    if (m->framing == CMP_HTTP_BODY_LENGTH && m->body_len != m->content_length) {
        abort();
    }
    body = malloc(m->body_len == 0 ? 1 : m->body_len);
    if (body == NULL) {
        return;
    }
    cmp_http_body_copy(body, m, buf);
    free(body);
    if (!is_req) {
        cmp_err err = cmp_http_rsp_check(&has_body, m);

        if (err != CMP_OK && err != CMP_ERR_HTTP_STATUS && err != CMP_ERR_HTTP_CONTENT_TYPE) {
            abort();
        }
    }

    /* self-delimiting, checked on an exact-size copy */
    copy = malloc(m->msg_len);
    if (copy == NULL) {
        return;
    }
    memcpy(copy, buf, m->msg_len);
    if (parse(&again, is_req, copy, m->msg_len, at_eof, lim) != CMP_OK ||
        again.msg_len != m->msg_len || again.body_len != m->body_len ||
        again.head_len != m->head_len || again.status != m->status) {
        abort();
    }
    if (m->framing != CMP_HTTP_BODY_EOF &&
        parse(&again, is_req, copy, m->msg_len - 1, 0, lim) != CMP_ERR_AGAIN) {
        abort();
    }
    free(copy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    cmp_http_limits lim;
    cmp_http_msg m;
    uint8_t *buf;
    int is_req, at_eof;
    cmp_err err;

    if (size < 1) {
        return 0;
    }
    is_req = data[0] & 1;
    at_eof = (data[0] >> 1) & 1;
    cmp_http_limits_default(&lim, CMP_HTTP_DEFAULT_MAX_MSG);
    if (data[0] & 4) {
        lim.max_head = 256;
        lim.max_fields = 8;
        lim.max_body = 512;
        lim.max_framing = 128;
    }
    /* an exact-size copy, so that ASan sees any read past the end */
    buf = malloc(size - 1 == 0 ? 1 : size - 1);
    if (buf == NULL) {
        return 0;
    }
    memcpy(buf, data + 1, size - 1);
    err = parse(&m, is_req, buf, size - 1, at_eof, &lim);
    if (!documented(err)) {
        abort();
    }
    if (err == CMP_OK) {
        check_accepted(&m, is_req, buf, size - 1, at_eof, &lim);
    }
    if (is_req && err != CMP_OK && err != CMP_ERR_AGAIN &&
        (m.error_status < 400 || m.error_status > 599)) {
        abort();
    }
    if (err == CMP_ERR_AGAIN && m.need > cmp_http_wire_max(&lim)) {
        abort();
    }
    free(buf);
    return 0;
}
