/* SPDX-License-Identifier: Apache-2.0 */
/*
 * stack/http.c: the HTTP/1.1 client transport (RFC 6712bis section 3).
 *
 * One exchange: POST the DER request with Content-Type application/pkixcmp
 * and Content-Length, then read one response into a buffer that grows only
 * as far as the parser (http_parse.c) has allowed, and hand over its body.
 * The connection stays open for the next message of the transaction until
 * cmp_transport_close, any error but a plain non-200 status, or a response
 * that asks to close.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <string.h>

#include "cmp/http.h"
#include "cmp/mem.h"
#include "err_int.h"
#include "http_int.h"

/* Bytes read at a time while the size of what follows is not known. */
#define READ_STEP 16384u

typedef struct http_client {
    cmp_http_url url;                         /* host, port, numeric IPv6 */
    char path[CMP_HTTP_MAX_PATH + 1];         /* request target */
    char host_field[CMP_HTTP_MAX_HOST + 10];  /* "Host:" value */
    uint32_t connect_timeout_ms;
    uint32_t timeout_ms;
    cmp_http_limits lim;
    int keep_alive;
    int fd;       /* -1 when not connected */
    int reusable; /* the last response left the connection usable */
} http_client;

/* see cmp/http.h */
void cmp_http_opts_init(cmp_http_opts *opts)
{
    memset(opts, 0, sizeof(*opts));
    opts->connect_timeout_ms = CMP_HTTP_DEFAULT_CONNECT_TIMEOUT_MS;
    opts->timeout_ms = CMP_HTTP_DEFAULT_TIMEOUT_MS;
    opts->max_response = CMP_HTTP_DEFAULT_MAX_MSG;
    opts->keep_alive = 1;
}

/* build_head writes the request head (RFC 9112 section 3, RFC 6712bis
 * section 3.1 and 3.2). */
static cmp_err build_head(char *out, size_t out_len, size_t *head_len, const http_client *c,
                          size_t body_len)
{
    int n = snprintf(out, out_len,
                     "POST %s HTTP/1.1\r\n"
                     "Host: %s\r\n"
                     "Content-Type: " CMP_HTTP_CONTENT_TYPE "\r\n"
                     "Content-Length: %lu\r\n"
                     "Accept: " CMP_HTTP_CONTENT_TYPE "\r\n"
                     "%s"
                     "\r\n",
                     c->path, c->host_field, (unsigned long)body_len,
                     c->keep_alive ? "" : "Connection: close\r\n");

    CMP_ENSURE(n > 0 && (size_t)n < out_len, CMP_ERR_INTERNAL);
    *head_len = (size_t)n;
    return CMP_OK;
}

/* grow makes room to read: at least |need| bytes when the parser knows
 * what it waits for, READ_STEP more otherwise, never beyond |max|. */
static cmp_err grow(uint8_t **buf, size_t *cap, size_t len, size_t need, size_t max)
{
    size_t want;
    uint8_t *p;

    if (len < *cap && need <= *cap) {
        return CMP_OK;
    }
    want = max - len > READ_STEP ? len + READ_STEP : max;
    if (need > want) {
        want = need < max ? need : max;
    }
    /* The parser fails before a message in its limits outgrows |max|. */
    CMP_ENSURE(want > len, CMP_ERR_RSP_TOO_LARGE);
    p = cmp_realloc(*buf, want);
    CMP_ENSURE(p != NULL, CMP_ERR_NOMEM);
    *buf = p;
    *cap = want;
    return CMP_OK;
}

/* read_response reads until the parser accepts a whole response.
 * *out_got is set once any byte of it has arrived. */
static cmp_err read_response(cmp_http_msg *m, uint8_t **buf, size_t *len, int *out_got,
                             const http_client *c, uint64_t deadline)
{
    size_t cap = 0, n = 0, max = cmp_http_wire_max(&c->lim);
    int at_eof = 0;
    cmp_err err;

    memset(m, 0, sizeof(*m));
    for (;;) {
        /* the server closed without answering */
        CMP_ENSURE(!at_eof || *len > 0, CMP_ERR_CLOSED);
        if (*len > 0) {
            err = cmp_http_rsp_parse(m, *buf, *len, at_eof, &c->lim);
            if (err != CMP_ERR_AGAIN) {
                return err;
            }
        }
        CMP_TRY(grow(buf, &cap, *len, m->need, max));
        CMP_TRY(cmp_http_recv_some(c->fd, *buf + *len, cap - *len, &n, deadline));
        at_eof = n == 0;
        *len += n;
        *out_got |= n > 0;
    }
}

/* roundtrip sends the request on the open connection and reads the
 * response. The body goes to *out_rsp as cmp/transport.h describes. */
static cmp_err roundtrip(http_client *c, uint8_t **out_rsp, size_t *out_rsp_len, int *out_status,
                         int *out_got, const uint8_t *req, size_t req_len, uint64_t deadline)
{
    char head[CMP_HTTP_MAX_PATH + CMP_HTTP_MAX_HOST + 256];
    size_t head_len = 0, len = 0;
    uint8_t *buf = NULL, *body = NULL;
    cmp_http_msg m;
    int has_body = 0;
    cmp_err err = CMP_ERR_INTERNAL;

    CMP_TRY_OUT(build_head(head, sizeof(head), &head_len, c, req_len));
    CMP_TRY_OUT(cmp_http_send_all(c->fd, (const uint8_t *)head, head_len, req, req_len, deadline));
    CMP_TRY_OUT(read_response(&m, &buf, &len, out_got, c, deadline));
    /* Bytes after the response were not asked for: never reuse then. */
    c->reusable = !m.close && m.msg_len == len;
    *out_status = m.status;
    err = cmp_http_rsp_check(&has_body, &m);
    if (has_body) {
        body = cmp_malloc(m.body_len);
        CMP_ENSURE_OUT(body != NULL, CMP_ERR_NOMEM);
        cmp_http_body_copy(body, &m, buf);
        *out_rsp = body;
        *out_rsp_len = m.body_len;
    }
out:
    cmp_free(buf);
    return err;
}

static cmp_err connect_client(http_client *c)
{
    return cmp_http_connect(&c->fd, c->url.host, c->url.port, c->url.ipv6,
                            cmp_http_deadline(c->connect_timeout_ms));
}

static cmp_err http_exchange(void *impl, uint8_t **out_rsp, size_t *out_rsp_len, int *out_status,
                             const uint8_t *req, size_t req_len)
{
    http_client *c = impl;
    uint64_t deadline;
    int reused = 0, got = 0;
    cmp_err err = CMP_ERR_INTERNAL;

    /* An idle connection with something to read has seen EOF, a reset, or
     * bytes nobody asked for: it is not fit for another request. */
    if (c->fd >= 0 && (!c->reusable || cmp_http_readable(c->fd))) {
        cmp_http_close(&c->fd);
    }
    reused = c->fd >= 0;
    c->reusable = 0;
    if (!reused) {
        CMP_TRY_OUT(connect_client(c));
    }
    deadline = cmp_http_deadline(c->timeout_ms);
    err = roundtrip(c, out_rsp, out_rsp_len, out_status, &got, req, req_len, deadline);
    if (err == CMP_ERR_CLOSED && reused && !got) {
        /* The server closed a kept-alive connection while our request was
         * on its way, before answering anything: the usual race of
         * persistent connections (RFC 9112 section 9.3.1). Send once more
         * on a new connection. POST is not idempotent, so HTTP allows this
         * only when a repeated request cannot be applied twice (RFC 9110
         * section 9.2.2): a CMP server recognises a repeated request by its
         * transactionID and nonces. */
        cmp_http_close(&c->fd);
        CMP_TRY_OUT(connect_client(c));
        err = roundtrip(c, out_rsp, out_rsp_len, out_status, &got, req, req_len, deadline);
    }
out:
    if ((err != CMP_OK && err != CMP_ERR_HTTP_STATUS) || !c->reusable || !c->keep_alive) {
        cmp_http_close(&c->fd);
    }
    if (err != CMP_OK) {
        CMP_TRACE_(err);
    }
    return err;
}

static void http_close(void *impl)
{
    http_client *c = impl;

    cmp_http_close(&c->fd);
}

static void http_free(void *impl)
{
    http_client *c = impl;

    if (c != NULL) {
        cmp_http_close(&c->fd);
        cmp_free(c);
    }
}

static const cmp_transport_ops http_ops = {http_exchange, http_close, http_free};

/* set_path: the URL's path, or CMP_HTTP_DEFAULT_PATH, then "/p/<label>". */
static cmp_err set_path(http_client *c, const char *label)
{
    char label_path[sizeof(CMP_HTTP_DEFAULT_PATH "/p/") + CMP_HTTP_MAX_LABEL];
    const char *base = c->url.path[0] != '\0' ? c->url.path : CMP_HTTP_DEFAULT_PATH;
    size_t base_len = strlen(base), suffix_len;
    const char *suffix;

    if (label == NULL) {
        memcpy(c->path, base, base_len + 1);
        return CMP_OK;
    }
    CMP_ENSURE(strchr(base, '?') == NULL, CMP_ERR_ARG);
    CMP_TRY(cmp_http_label_path(label_path, sizeof(label_path), label));
    suffix = label_path + strlen(CMP_HTTP_DEFAULT_PATH);
    suffix_len = strlen(suffix);
    while (base_len > 0 && base[base_len - 1] == '/') {
        base_len--;
    }
    CMP_ENSURE(base_len + suffix_len <= CMP_HTTP_MAX_PATH, CMP_ERR_ARG);
    memcpy(c->path, base, base_len);
    memcpy(c->path + base_len, suffix, suffix_len + 1);
    return CMP_OK;
}

/* see cmp/http.h */
cmp_err cmp_http_transport_new(cmp_transport **out, const cmp_http_opts *opts)
{
    http_client *c = NULL;
    cmp_err err = CMP_ERR_INTERNAL;
    int n;

    CMP_ENSURE(out != NULL, CMP_ERR_ARG);
    *out = NULL;
    CMP_ENSURE(opts != NULL && opts->url != NULL, CMP_ERR_ARG);
    CMP_ENSURE(opts->connect_timeout_ms > 0 && opts->timeout_ms > 0 && opts->max_response > 0,
               CMP_ERR_ARG);
    c = cmp_calloc(1, sizeof(*c));
    CMP_ENSURE_OUT(c != NULL, CMP_ERR_NOMEM);
    c->fd = -1;
    CMP_TRY_OUT(cmp_http_url_parse(&c->url, opts->url));
    CMP_TRY_OUT(set_path(c, opts->label));
    /* = https://www.rfc-editor.org/rfc/rfc9110#section-7.2
     * # If the target URI includes an authority component, then a client
     * # MUST send a field value for Host that is identical to that
     * # authority component, excluding any userinfo subcomponent and its
     * # "@" delimiter */
    n = snprintf(c->host_field, sizeof(c->host_field), c->url.ipv6 ? "[%s]" : "%s", c->url.host);
    CMP_ENSURE_OUT(n > 0 && (size_t)n < sizeof(c->host_field), CMP_ERR_INTERNAL);
    if (c->url.port != 80) {
        size_t used = (size_t)n;

        n = snprintf(c->host_field + used, sizeof(c->host_field) - used, ":%u",
                     (unsigned)c->url.port);
        CMP_ENSURE_OUT(n > 0 && (size_t)n < sizeof(c->host_field) - used, CMP_ERR_INTERNAL);
    }
    c->connect_timeout_ms = opts->connect_timeout_ms;
    c->timeout_ms = opts->timeout_ms;
    c->keep_alive = opts->keep_alive != 0;
    cmp_http_limits_default(&c->lim, opts->max_response);
    CMP_TRY_OUT(cmp_transport_new(out, &http_ops, c));
    c = NULL;
out:
    http_free(c);
    return err;
}
