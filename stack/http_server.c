/* SPDX-License-Identifier: Apache-2.0 */
/*
 * stack/http_server.c: the HTTP/1.1 server core of the CA/RA side
 * (RFC 6712bis section 3).
 *
 * Concurrency model: num_threads identical event loops. Each polls the
 * shared non-blocking listening socket, its own connections (up to its
 * share of max_conns) and the read end of a self-pipe. A connection is a
 * small state machine (READ -> WRITE -> READ ... -> LINGER -> closed) with
 * one deadline, so a slow or silent client holds a table entry, never a
 * thread. A complete request is handed to the handler in the loop that read
 * it; with two loops on two cores two handler calls run at once while the
 * kernel queues new connections in the listen backlog.
 *
 * Stopping: cmp_http_server_stop writes one byte into the self-pipe and
 * nobody reads it, so it stays readable and every loop sees it. A loop
 * that sees it stops accepting, closes idle connections, lets requests in
 * flight finish within their deadlines (answering "Connection: close"),
 * and ends when it has no connection left.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cmp/http.h"
#include "cmp/mem.h"
#include "err_int.h"
#include "http_int.h"

#define IN_STEP 4096u           /* first receive buffer */
#define LINGER_MS 1000u         /* drain time after a final response */
#define ACCEPT_PAUSE_MS 100u    /* back-off when out of descriptors */
#define LISTEN_BACKLOG 128
#define MAX_THREADS 64u

enum conn_state {
    CONN_READ,  /* waiting for, or receiving, a request */
    CONN_WRITE, /* sending a response */
    CONN_LINGER /* response sent with close: draining until the peer closes */
};

typedef struct conn {
    int fd; /* -1: free slot, to be compacted */
    enum conn_state state;
    uint8_t *in; /* received bytes not yet consumed */
    size_t in_len, in_cap, need;
    uint8_t *out; /* bytes to send */
    size_t out_len, out_off;
    int close_after;   /* close once |out| is sent */
    int head_checked;  /* the current request's head passed check_head */
    int continue_sent; /* "100 Continue" queued for the current request */
    uint64_t deadline;
} conn;

typedef struct loop {
    cmp_http_server *srv;
    pthread_t thread;
    int running; /* the thread was created and not yet joined */
    conn *conns;
    size_t num_conns, max_conns;
    struct pollfd *pfds; /* [0] wake pipe, [1] listener, [2..] conns */
    uint64_t accept_pause_until;
} loop;

struct cmp_http_server {
    int listen_fd;
    int wake[2]; /* self-pipe: readable once stop was asked */
    uint16_t port;
    char **paths;
    size_t num_paths;
    cmp_transport_handler_fn handler;
    void *handler_arg;
    cmp_http_limits lim;
    size_t wire_max;
    uint32_t request_timeout_ms, idle_timeout_ms, write_timeout_ms;
    unsigned num_threads;
    loop *loops;
    int started;
};

/* see cmp/http.h */
void cmp_http_server_opts_init(cmp_http_server_opts *opts)
{
    memset(opts, 0, sizeof(*opts));
    opts->host = "127.0.0.1";
    opts->num_threads = 2;
    opts->max_conns = 128;
    opts->max_body = CMP_HTTP_DEFAULT_MAX_MSG;
    opts->max_head = CMP_HTTP_DEFAULT_MAX_HEAD;
    opts->max_fields = CMP_HTTP_DEFAULT_MAX_FIELDS;
    opts->request_timeout_ms = 10000;
    opts->idle_timeout_ms = 5000;
    opts->write_timeout_ms = 10000;
}

/* --- responses ------------------------------------------------------------- */

static const char *reason(int status)
{
    switch (status) {
    case 100: return "Continue";
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 400: return "Bad Request";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 411: return "Length Required";
    case 413: return "Content Too Large";
    case 414: return "URI Too Long";
    case 415: return "Unsupported Media Type";
    case 417: return "Expectation Failed";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 503: return "Service Unavailable";
    case 505: return "HTTP Version Not Supported";
    default: return "";
    }
}

static void conn_close(conn *c)
{
    cmp_http_close(&c->fd);
    cmp_free(c->in);
    cmp_free(c->out);
    c->in = NULL;
    c->out = NULL;
    c->in_len = c->in_cap = c->out_len = c->out_off = 0;
}

/* queue_out appends to the send buffer; on failure the connection closes. */
static int queue_out(conn *c, const void *data, size_t len)
{
    uint8_t *p;

    if (c->out_off == c->out_len) {
        c->out_off = c->out_len = 0;
    }
    if (len > SIZE_MAX - c->out_len) {
        conn_close(c);
        return -1;
    }
    p = cmp_realloc(c->out, c->out_len + len);
    if (p == NULL) {
        conn_close(c);
        return -1;
    }
    c->out = p;
    if (len > 0) {
        memcpy(c->out + c->out_len, data, len);
    }
    c->out_len += len;
    return 0;
}

/* queue_response queues a whole response and moves to CONN_WRITE. */
static void queue_response(const cmp_http_server *s, conn *c, int status, const uint8_t *body,
                           size_t body_len, int close)
{
    char head[256];
    int n;

    /* = https://www.rfc-editor.org/rfc/rfc9811#section-3.2
     * # The Internet Media Type "application/pkixcmp" MUST be set in the
     * # HTTP "Content-Type" header field when conveying a PKIMessage. */
    n = snprintf(head, sizeof(head),
                 "HTTP/1.1 %d %s\r\n"
                 "%s"
                 "Content-Length: %lu\r\n"
                 "%s"
                 "%s"
                 "\r\n",
                 status, reason(status),
                 body_len > 0 || status == 200 ? "Content-Type: " CMP_HTTP_CONTENT_TYPE "\r\n"
                                                : "",
                 (unsigned long)body_len, status == 405 ? "Allow: POST\r\n" : "",
                 close ? "Connection: close\r\n" : "");
    if (n <= 0 || (size_t)n >= sizeof(head)) {
        conn_close(c);
        return;
    }
    if (queue_out(c, head, (size_t)n) != 0 || queue_out(c, body, body_len) != 0) {
        return;
    }
    c->close_after = close;
    c->state = CONN_WRITE;
    c->deadline = cmp_http_deadline(s->write_timeout_ms);
}

/* respond_error answers a request we will not serve; the rest of its bytes
 * cannot be told from a next request, so the connection ends. */
static void respond_error(const cmp_http_server *s, conn *c, int status)
{
    queue_response(s, c, status, NULL, 0, 1);
}

/* --- requests -------------------------------------------------------------- */

static int path_accepted(const cmp_http_server *s, const char *path)
{
    size_t i, path_len = strlen(path);

    if (s->num_paths == 0) {
        return 1;
    }
    for (i = 0; i < s->num_paths; i++) {
        const char *p = s->paths[i];
        size_t n = strlen(p);

        if (n > 0 && p[n - 1] == '*') {
            if (path_len > n - 1 && memcmp(path, p, n - 1) == 0) {
                return 1;
            }
        } else if (strcmp(path, p) == 0) {
            return 1;
        }
    }
    return 0;
}

/* check_head applies the rules a request must pass before its body is worth
 * reading, and copies its path to |path|. Returns 0 or the error status. */
static int check_head(const cmp_http_server *s, const cmp_http_msg *m,
                      char path[CMP_HTTP_MAX_PATH + 1])
{
    if (m->path.len > CMP_HTTP_MAX_PATH) {
        return 414;
    }
    memcpy(path, m->path.data, m->path.len);
    path[m->path.len] = '\0';
    if (!path_accepted(s, path)) {
        return 404;
    }
    /* = https://www.rfc-editor.org/rfc/rfc9811#section-3.1
     * # A DER-encoded [ITU.X690.1994] PKIMessage (Section 5.1 of
     * # [I-D.ietf-lamps-rfc4210bis]) MUST be sent as the content of an HTTP
     * # POST request.
     * Methods are case-sensitive (RFC 9110 section 9.1). */
    if (m->method.len != 4 || memcmp(m->method.data, "POST", 4) != 0) {
        return 405;
    }
    if (m->ctype != CMP_HTTP_CT_PKIXCMP) {
        return 415;
    }
    if (m->framing == CMP_HTTP_BODY_NONE) {
        return 411;
    }
    return 0;
}

/* serve calls the handler for a complete request and queues its answer. */
static void serve(const cmp_http_server *s, conn *c, const cmp_http_msg *m, const char *path,
                  int stopping)
{
    uint8_t *chunked = NULL, *rsp = NULL;
    const uint8_t *body = c->in + m->head_len;
    size_t rsp_len = 0;
    int status = 200;
    cmp_err err;

    if (m->framing == CMP_HTTP_BODY_CHUNKED) {
        chunked = cmp_malloc(m->body_len);
        if (chunked == NULL) {
            respond_error(s, c, 503);
            return;
        }
        cmp_http_body_copy(chunked, m, c->in);
        body = chunked;
    }
    err = s->handler(s->handler_arg, path, body, m->body_len, &rsp, &rsp_len, &status);
    if (rsp == NULL) {
        rsp_len = 0;
    }
    if (err != CMP_OK || status < 200 || status > 599 || status == 204 || status == 304) {
        /* RFC 9110 section 15.6.1. A handler cannot send an interim
         * response, nor 204/304, whose framing forbids a Content-Length. */
        status = 500;
        rsp_len = 0;
    }
    /* the handler may have run long: has a stop come meanwhile? */
    queue_response(s, c, status, rsp, rsp_len,
                   m->close || stopping || cmp_http_readable(s->wake[0]));
    cmp_free(rsp);
    cmp_free(chunked);
}

/* consume drops the request just served from the receive buffer, keeping
 * bytes of a pipelined next one. */
static void consume(conn *c, size_t n)
{
    memmove(c->in, c->in + n, c->in_len - n);
    c->in_len -= n;
    c->need = 0;
    c->head_checked = 0;
    c->continue_sent = 0;
    if (c->in_len == 0) {
        /* an idle connection holds no buffer */
        cmp_free(c->in);
        c->in = NULL;
        c->in_cap = 0;
    }
}

/* conn_process parses what a connection received and acts on it. */
static void conn_process(const cmp_http_server *s, conn *c, int stopping)
{
    char path[CMP_HTTP_MAX_PATH + 1];
    cmp_http_msg m;
    cmp_err err;
    int status;

    err = cmp_http_req_parse(&m, c->in, c->in_len, &s->lim);
    if (err == CMP_ERR_AGAIN) {
        c->need = m.need;
        if (m.head_len == 0 || c->head_checked) {
            return;
        }
        status = check_head(s, &m, path);
        if (status != 0) {
            respond_error(s, c, status);
            return;
        }
        c->head_checked = 1;
        if (m.expect_continue && !c->continue_sent) {
            /* RFC 9110 section 10.1.1: the client waits for this before
             * it sends the body. We answer it once the head has passed
             * check_head, even if some of the body is already here (which
             * the RFC allows us to skip, but never forbids). */
            static const char cont[] = "HTTP/1.1 100 Continue\r\n\r\n";

            c->continue_sent = 1;
            (void)queue_out(c, cont, sizeof(cont) - 1);
        }
        return;
    }
    if (err != CMP_OK) {
        respond_error(s, c, m.error_status);
        return;
    }
    status = check_head(s, &m, path);
    if (status != 0) {
        respond_error(s, c, status);
        return;
    }
    serve(s, c, &m, path, stopping);
    if (c->fd >= 0) {
        consume(c, m.msg_len);
    }
}

/* --- connection I/O -------------------------------------------------------- */

/* conn_grow makes room to receive, within the wire limit of a request. */
static int conn_grow(const cmp_http_server *s, conn *c)
{
    size_t want;
    uint8_t *p;

    if (c->in_len < c->in_cap && c->need <= c->in_cap) {
        return 0;
    }
    want = c->in_cap == 0 ? IN_STEP : (c->in_cap > SIZE_MAX / 2 ? SIZE_MAX : c->in_cap * 2);
    if (c->need > want) {
        want = c->need;
    }
    if (want > s->wire_max) {
        want = s->wire_max;
    }
    /* the parser rejects a request before it outgrows wire_max */
    if (want <= c->in_len) {
        return -1;
    }
    p = cmp_realloc(c->in, want);
    if (p == NULL) {
        return -1;
    }
    c->in = p;
    c->in_cap = want;
    return 0;
}

static void conn_read(const cmp_http_server *s, conn *c, int stopping)
{
    ssize_t n;

    if (c->state == CONN_LINGER) {
        uint8_t scratch[4096];

        n = recv(c->fd, scratch, sizeof(scratch), 0);
        if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
            conn_close(c);
        }
        return;
    }
    if (conn_grow(s, c) != 0) {
        respond_error(s, c, 503);
        return;
    }
    n = recv(c->fd, c->in + c->in_len, c->in_cap - c->in_len, 0);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) {
        return;
    }
    if (n <= 0) {
        /* the client went away, or reset: nobody to answer */
        conn_close(c);
        return;
    }
    if (c->in_len == 0) {
        /* the first byte of a request starts its clock */
        c->deadline = cmp_http_deadline(s->request_timeout_ms);
    }
    c->in_len += (size_t)n;
    conn_process(s, c, stopping);
}

static void conn_write(const cmp_http_server *s, conn *c, int stopping)
{
    ssize_t n = send(c->fd, c->out + c->out_off, c->out_len - c->out_off, MSG_NOSIGNAL);

    if (n < 0) {
        if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
            conn_close(c);
        }
        return;
    }
    c->out_off += (size_t)n;
    if (c->out_off < c->out_len || c->state != CONN_WRITE) {
        return;
    }
    cmp_free(c->out);
    c->out = NULL;
    c->out_len = c->out_off = 0;
    if (c->close_after) {
        /* A graceful close: our FIN first, then drain what the client still
         * sends, so that its unread bytes do not make our kernel answer
         * with a reset that destroys the response (RFC 9112 section 9.6). */
        (void)shutdown(c->fd, SHUT_WR);
        c->state = CONN_LINGER;
        c->deadline = cmp_http_deadline(LINGER_MS);
        return;
    }
    c->state = CONN_READ;
    c->deadline = cmp_http_deadline(c->in_len > 0 ? s->request_timeout_ms : s->idle_timeout_ms);
    if (c->in_len > 0) {
        conn_process(s, c, stopping);
    }
}

static void conn_timeout(const cmp_http_server *s, conn *c)
{
    if (c->state == CONN_READ && c->in_len > 0) {
        /* = https://www.rfc-editor.org/rfc/rfc9811#section-5
         * # idle connections should be terminated after an appropriate
         * # timeout
         * A request that does not arrive in time gets 408 (RFC 9110
         * section 15.5.9); an idle connection is just closed. */
        respond_error(s, c, 408);
        return;
    }
    conn_close(c);
}

static short conn_events(const conn *c)
{
    short ev = 0;

    if (c->state != CONN_WRITE) {
        ev |= POLLIN;
    }
    if (c->out_off < c->out_len) {
        ev |= POLLOUT;
    }
    return ev;
}

static void conn_event(const cmp_http_server *s, conn *c, short revents, int stopping)
{
    if (revents & (POLLERR | POLLNVAL)) {
        conn_close(c);
        return;
    }
    if ((revents & (POLLOUT | POLLHUP)) && c->out_off < c->out_len) {
        conn_write(s, c, stopping);
    }
    if (c->fd >= 0 && c->state != CONN_WRITE && (revents & (POLLIN | POLLHUP))) {
        conn_read(s, c, stopping);
    }
}

/* --- event loop ------------------------------------------------------------ */

static void accept_conns(loop *lp)
{
    const cmp_http_server *s = lp->srv;

    while (lp->num_conns < lp->max_conns) {
        conn *c;
        int fd = cmp_http_accept(s->listen_fd);

        if (fd < 0) {
            if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
                /* the backlog stays readable: wait instead of spinning */
                lp->accept_pause_until = cmp_http_deadline(ACCEPT_PAUSE_MS);
            }
            if (errno == ECONNABORTED) {
                continue;
            }
            return;
        }
        c = &lp->conns[lp->num_conns++];
        memset(c, 0, sizeof(*c));
        c->fd = fd;
        c->state = CONN_READ;
        c->deadline = cmp_http_deadline(s->idle_timeout_ms);
    }
}

/* compact drops closed connections from the table. */
static void compact(loop *lp)
{
    size_t i, j = 0;

    for (i = 0; i < lp->num_conns; i++) {
        if (lp->conns[i].fd >= 0) {
            lp->conns[j++] = lp->conns[i];
        }
    }
    lp->num_conns = j;
}

/* close_idle closes connections that wait for a request with no byte of
 * it received: what a stopping server does. */
static void close_idle(loop *lp)
{
    size_t i;

    for (i = 0; i < lp->num_conns; i++) {
        conn *c = &lp->conns[i];

        if (c->state == CONN_READ && c->in_len == 0 && c->out_off == c->out_len) {
            conn_close(c);
        }
    }
    compact(lp);
}

/* poll_timeout: until the earliest deadline, or forever. */
static int poll_timeout(const loop *lp, int listening)
{
    uint64_t next = UINT64_MAX;
    size_t i;

    for (i = 0; i < lp->num_conns; i++) {
        if (lp->conns[i].deadline < next) {
            next = lp->conns[i].deadline;
        }
    }
    if (!listening && lp->accept_pause_until != 0 && lp->accept_pause_until < next) {
        next = lp->accept_pause_until;
    }
    return next == UINT64_MAX ? -1 : cmp_http_poll_ms(next);
}

static void *loop_main(void *arg)
{
    loop *lp = arg;
    const cmp_http_server *s = lp->srv;
    int stopping = 0;

    for (;;) {
        size_t i;
        int listening, rc;
        uint64_t now;

        if (stopping) {
            close_idle(lp);
            if (lp->num_conns == 0) {
                break;
            }
        }
        listening = !stopping && lp->num_conns < lp->max_conns &&
                    cmp_http_now_ms() >= lp->accept_pause_until;
        /* once seen, the wake byte would make poll return at once forever */
        lp->pfds[0].fd = stopping ? -1 : s->wake[0];
        lp->pfds[0].events = POLLIN;
        lp->pfds[1].fd = listening ? s->listen_fd : -1;
        lp->pfds[1].events = POLLIN;
        for (i = 0; i < lp->num_conns; i++) {
            lp->pfds[2 + i].fd = lp->conns[i].fd;
            lp->pfds[2 + i].events = conn_events(&lp->conns[i]);
            lp->pfds[2 + i].revents = 0;
        }
        lp->pfds[0].revents = lp->pfds[1].revents = 0;
        rc = poll(lp->pfds, (nfds_t)(2 + lp->num_conns), poll_timeout(lp, listening));
        if (rc < 0 && errno != EINTR) {
            break;
        }
        stopping |= (lp->pfds[0].revents & POLLIN) != 0;
        for (i = 0; rc > 0 && i < lp->num_conns; i++) {
            if (lp->pfds[2 + i].revents != 0) {
                conn_event(s, &lp->conns[i], lp->pfds[2 + i].revents, stopping);
            }
        }
        now = cmp_http_now_ms();
        for (i = 0; i < lp->num_conns; i++) {
            if (lp->conns[i].fd >= 0 && now >= lp->conns[i].deadline) {
                conn_timeout(s, &lp->conns[i]);
            }
        }
        compact(lp);
        if (rc > 0 && (lp->pfds[1].revents & POLLIN)) {
            accept_conns(lp);
        }
    }
    while (lp->num_conns > 0) {
        conn_close(&lp->conns[--lp->num_conns]);
    }
    return NULL;
}

/* --- life cycle ------------------------------------------------------------ */

static cmp_err copy_paths(cmp_http_server *s, const char *const *paths, size_t num_paths)
{
    size_t i;

    if (num_paths == 0) {
        return CMP_OK;
    }
    CMP_ENSURE(paths != NULL, CMP_ERR_ARG);
    s->paths = cmp_calloc(num_paths, sizeof(*s->paths));
    CMP_ENSURE(s->paths != NULL, CMP_ERR_NOMEM);
    s->num_paths = num_paths;
    for (i = 0; i < num_paths; i++) {
        size_t n;

        CMP_ENSURE(paths[i] != NULL && paths[i][0] == '/', CMP_ERR_ARG);
        n = strlen(paths[i]);
        s->paths[i] = cmp_malloc(n + 1);
        CMP_ENSURE(s->paths[i] != NULL, CMP_ERR_NOMEM);
        memcpy(s->paths[i], paths[i], n + 1);
    }
    return CMP_OK;
}

static cmp_err make_wake_pipe(int wake[2])
{
    CMP_ENSURE(pipe(wake) == 0, CMP_ERR_IO);
    CMP_ENSURE(cmp_http_set_flags(wake[0]) == 0 && cmp_http_set_flags(wake[1]) == 0,
               CMP_ERR_IO);
    return CMP_OK;
}

static cmp_err make_loops(cmp_http_server *s, size_t max_conns)
{
    size_t per_loop = (max_conns + s->num_threads - 1) / s->num_threads;
    unsigned i;

    s->loops = cmp_calloc(s->num_threads, sizeof(*s->loops));
    CMP_ENSURE(s->loops != NULL, CMP_ERR_NOMEM);
    for (i = 0; i < s->num_threads; i++) {
        loop *lp = &s->loops[i];

        lp->srv = s;
        lp->max_conns = per_loop;
        lp->conns = cmp_calloc(per_loop, sizeof(*lp->conns));
        lp->pfds = cmp_calloc(per_loop + 2, sizeof(*lp->pfds));
        CMP_ENSURE(lp->conns != NULL && lp->pfds != NULL, CMP_ERR_NOMEM);
    }
    return CMP_OK;
}

static cmp_err check_opts(const cmp_http_server_opts *o)
{
    CMP_ENSURE(o->handler != NULL && o->host != NULL, CMP_ERR_ARG);
    CMP_ENSURE(o->num_threads >= 1 && o->num_threads <= MAX_THREADS, CMP_ERR_ARG);
    CMP_ENSURE(o->max_conns >= o->num_threads && o->max_conns <= 65536u, CMP_ERR_ARG);
    CMP_ENSURE(o->max_body > 0 && o->max_head >= 64 && o->max_fields > 0, CMP_ERR_ARG);
    CMP_ENSURE(o->request_timeout_ms > 0 && o->idle_timeout_ms > 0 && o->write_timeout_ms > 0,
               CMP_ERR_ARG);
    return CMP_OK;
}

/* see cmp/http.h */
cmp_err cmp_http_server_new(cmp_http_server **out, const cmp_http_server_opts *opts)
{
    cmp_http_server *s = NULL;
    cmp_err err = CMP_ERR_INTERNAL;

    CMP_ENSURE(out != NULL, CMP_ERR_ARG);
    *out = NULL;
    CMP_ENSURE(opts != NULL, CMP_ERR_ARG);
    CMP_TRY(check_opts(opts));
    s = cmp_calloc(1, sizeof(*s));
    CMP_ENSURE(s != NULL, CMP_ERR_NOMEM);
    s->listen_fd = s->wake[0] = s->wake[1] = -1;
    s->handler = opts->handler;
    s->handler_arg = opts->handler_arg;
    s->num_threads = opts->num_threads;
    s->request_timeout_ms = opts->request_timeout_ms;
    s->idle_timeout_ms = opts->idle_timeout_ms;
    s->write_timeout_ms = opts->write_timeout_ms;
    cmp_http_limits_default(&s->lim, opts->max_body);
    s->lim.max_head = opts->max_head;
    s->lim.max_fields = opts->max_fields;
    s->wire_max = cmp_http_wire_max(&s->lim);
    CMP_TRY_OUT(copy_paths(s, opts->paths, opts->num_paths));
    CMP_TRY_OUT(make_loops(s, opts->max_conns));
    CMP_TRY_OUT(make_wake_pipe(s->wake));
    CMP_TRY_OUT(cmp_http_listen(&s->listen_fd, &s->port, opts->host, opts->port,
                                LISTEN_BACKLOG));
    *out = s;
    s = NULL;
    err = CMP_OK;
out:
    cmp_http_server_free(s);
    return err;
}

/* see cmp/http.h */
uint16_t cmp_http_server_port(const cmp_http_server *s)
{
    return s != NULL ? s->port : 0;
}

/* see cmp/http.h */
cmp_err cmp_http_server_start(cmp_http_server *s)
{
    unsigned i;

    CMP_ENSURE(s != NULL, CMP_ERR_ARG);
    CMP_ENSURE(!s->started, CMP_ERR_STATE);
    s->started = 1;
    for (i = 0; i < s->num_threads; i++) {
        loop *lp = &s->loops[i];

        if (pthread_create(&lp->thread, NULL, loop_main, lp) != 0) {
            cmp_http_server_stop(s);
            cmp_http_server_wait(s);
            CMP_FAIL(CMP_ERR_INTERNAL);
        }
        lp->running = 1;
    }
    return CMP_OK;
}

/* see cmp/http.h */
void cmp_http_server_stop(cmp_http_server *s)
{
    int saved = errno;
    ssize_t n;

    if (s == NULL || s->wake[1] < 0) {
        return;
    }
    /* write(2) is async-signal-safe; a full pipe means a byte is there. */
    n = write(s->wake[1], "x", 1);
    (void)n;
    errno = saved;
}

/* see cmp/http.h */
void cmp_http_server_wait(cmp_http_server *s)
{
    unsigned i;

    if (s == NULL || s->loops == NULL) {
        return;
    }
    for (i = 0; i < s->num_threads; i++) {
        if (s->loops[i].running) {
            (void)pthread_join(s->loops[i].thread, NULL);
            s->loops[i].running = 0;
        }
    }
}

/* see cmp/http.h */
void cmp_http_server_free(cmp_http_server *s)
{
    size_t i;

    if (s == NULL) {
        return;
    }
    cmp_http_server_stop(s);
    cmp_http_server_wait(s);
    for (i = 0; s->loops != NULL && i < s->num_threads; i++) {
        cmp_free(s->loops[i].conns);
        cmp_free(s->loops[i].pfds);
    }
    cmp_free(s->loops);
    for (i = 0; i < s->num_paths; i++) {
        cmp_free(s->paths[i]);
    }
    cmp_free(s->paths);
    cmp_http_close(&s->listen_fd);
    cmp_http_close(&s->wake[0]);
    cmp_http_close(&s->wake[1]);
    cmp_free(s);
}
