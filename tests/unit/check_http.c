/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tests/unit/check_http.c: the HTTP client and server core over 127.0.0.1.
 *
 * Every server listens on a port the kernel picks (port 0) and is stopped
 * by the test that started it. Two kinds of peer:
 *  - the server core (cmp_http_server) with an echo handler;
 *  - raw_srv, a tiny scripted responder on a raw socket, for what a real
 *    server would not do: chunked answers, silence, closing at bad times,
 *    oversize or malformed responses.
 * Raw client sockets probe the server's answers to bad requests.
 */
#define _POSIX_C_SOURCE 200809L

#include <check.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "cmp/http.h"
#include "cmp/mem.h"
#include "cmp/transport.h"
#include "http_int.h"
#include "testlib.h"

#define CT "Content-Type: application/pkixcmp\r\n"
#define LIFETIME_MS 10000 /* no helper thread outlives this */

static void sleep_ms(unsigned ms)
{
    struct timespec ts;

    ts.tv_sec = ms / 1000;
    ts.tv_nsec = (long)(ms % 1000) * 1000000L;
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

/* --- the server core with an echo handler ---------------------------------- */

typedef struct srv_ctx {
    pthread_mutex_t mu;
    int calls;
    int status;        /* 0: leave 200 */
    cmp_err err;       /* returned by the handler */
    unsigned delay_ms; /* before answering */
    char last_path[CMP_HTTP_MAX_PATH + 1];
    size_t last_len;
} srv_ctx;

/* echo_handler answers "rsp:" followed by the request. */
static cmp_err echo_handler(void *arg, const char *path, const uint8_t *req, size_t req_len,
                            uint8_t **rsp, size_t *rsp_len, int *status)
{
    srv_ctx *ctx = arg;

    pthread_mutex_lock(&ctx->mu);
    ctx->calls++;
    strcpy(ctx->last_path, path);
    ctx->last_len = req_len;
    pthread_mutex_unlock(&ctx->mu);
    if (ctx->delay_ms > 0) {
        sleep_ms(ctx->delay_ms);
    }
    *rsp = cmp_malloc(req_len + 4);
    if (*rsp == NULL) {
        return CMP_ERR_NOMEM;
    }
    memcpy(*rsp, "rsp:", 4);
    if (req_len > 0) {
        memcpy(*rsp + 4, req, req_len);
    }
    *rsp_len = req_len + 4;
    if (ctx->status != 0) {
        *status = ctx->status;
    }
    return ctx->err;
}

static int handler_calls(srv_ctx *ctx)
{
    int n;

    pthread_mutex_lock(&ctx->mu);
    n = ctx->calls;
    pthread_mutex_unlock(&ctx->mu);
    return n;
}

static void ctx_init(srv_ctx *ctx)
{
    memset(ctx, 0, sizeof(*ctx));
    pthread_mutex_init(&ctx->mu, NULL);
}

static const char *const cmp_paths[] = {"/.well-known/cmp", "/.well-known/cmp/p/*"};

/* start_server starts the core with |opts| (NULL: defaults) on port 0. */
static cmp_http_server *start_server(srv_ctx *ctx, const cmp_http_server_opts *opts)
{
    cmp_http_server_opts o;
    cmp_http_server *s = NULL;

    if (opts != NULL) {
        o = *opts;
    } else {
        cmp_http_server_opts_init(&o);
        o.paths = cmp_paths;
        o.num_paths = 2;
    }
    o.port = 0;
    o.handler = echo_handler;
    o.handler_arg = ctx;
    ck_assert_int_eq(cmp_http_server_new(&s, &o), CMP_OK);
    ck_assert_uint_ne(cmp_http_server_port(s), 0);
    ck_assert_int_eq(cmp_http_server_start(s), CMP_OK);
    return s;
}

static cmp_transport *make_client(uint16_t port, const char *path, uint32_t timeout_ms,
                                  size_t max_response)
{
    cmp_http_opts o;
    cmp_transport *t = NULL;
    char url[128];

    snprintf(url, sizeof(url), "http://127.0.0.1:%u%s", (unsigned)port, path);
    cmp_http_opts_init(&o);
    o.url = url;
    o.timeout_ms = timeout_ms;
    o.connect_timeout_ms = 2000;
    if (max_response != 0) {
        o.max_response = max_response;
    }
    ck_assert_int_eq(cmp_http_transport_new(&t, &o), CMP_OK);
    return t;
}

/* exchange_str sends |req| and checks the reply is |want| (body). */
static void exchange_ok(cmp_transport *t, const char *req, const char *want)
{
    uint8_t *rsp = NULL;
    size_t rsp_len = 0;
    int status = 0;
    cmp_err err;

    err = cmp_transport_exchange(t, &rsp, &rsp_len, &status, (const uint8_t *)req, strlen(req));
    ck_assert_msg(err == CMP_OK, "exchange: %s", cmp_err_name(err));
    ck_assert_int_eq(status, 200);
    ck_assert_uint_eq(rsp_len, strlen(want));
    ck_assert(memcmp(rsp, want, rsp_len) == 0);
    cmp_free(rsp);
}

/* --- raw sockets ----------------------------------------------------------- */

static int raw_connect(uint16_t port)
{
    struct sockaddr_in sa;
    int fd = socket(AF_INET, SOCK_STREAM, 0);

    ck_assert_int_ge(fd, 0);
    memset(&sa, 0, sizeof(sa));
    sa.sin_family = AF_INET;
    sa.sin_port = htons(port);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ck_assert_int_eq(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
    return fd;
}

static void raw_send(int fd, const char *p, size_t len)
{
    while (len > 0) {
        ssize_t n = send(fd, p, len, MSG_NOSIGNAL);

        ck_assert_int_gt(n, 0);
        p += n;
        len -= (size_t)n;
    }
}

/* raw_read reads until the peer closes, |cap| - 1 bytes, or |ms|. */
static size_t raw_read(int fd, char *out, size_t cap, unsigned ms)
{
    uint64_t deadline = cmp_http_deadline(ms);
    size_t len = 0;

    while (len + 1 < cap) {
        struct pollfd pfd = {fd, POLLIN, 0};
        ssize_t n;

        if (poll(&pfd, 1, cmp_http_poll_ms(deadline)) <= 0) {
            break;
        }
        n = recv(fd, out + len, cap - 1 - len, 0);
        if (n <= 0) {
            break;
        }
        len += (size_t)n;
    }
    out[len] = '\0';
    return len;
}

/* raw_status sends |req| on a new connection and returns the status of the
 * answer; the server must close the connection after it. */
static int raw_status(uint16_t port, const char *req, size_t req_len, char *out, size_t cap)
{
    int fd = raw_connect(port);
    cmp_http_limits lim;
    cmp_http_msg m;
    size_t len;

    raw_send(fd, req, req_len);
    len = raw_read(fd, out, cap, 8000);
    close(fd);
    cmp_http_limits_default(&lim, 1024);
    ck_assert_msg(cmp_http_rsp_parse(&m, (const uint8_t *)out, len, 1, &lim) == CMP_OK, "%s", out);
    return m.status;
}

/* --- raw_srv: a scripted responder ----------------------------------------- */

/* Script entries besides raw responses: */
static const char say_nothing[] = "<hold the connection>";
static const char hang_up[] = "<close without answering>";

typedef struct raw_srv {
    int lfd;
    uint16_t port;
    int stop[2];
    pthread_t th;
    const char *const *rsps; /* one per request, in order */
    size_t num_rsps;
    int close_each; /* close after each response */
    int accepted, requests;
} raw_srv;

/* wait_readable waits for |fd| or the stop pipe. 1: fd ready; 0: stop. */
static int wait_readable(raw_srv *r, int fd)
{
    struct pollfd p[2] = {{fd, POLLIN, 0}, {r->stop[0], POLLIN, 0}};

    if (poll(p, 2, LIFETIME_MS) <= 0 || p[1].revents != 0) {
        return 0;
    }
    return 1;
}

/* serve_conn answers requests on one connection as the script says.
 * Returns 0 when the thread should end. */
static int serve_conn(raw_srv *r, int fd)
{
    static uint8_t buf[1 << 16];
    size_t len = 0;
    cmp_http_limits lim;

    cmp_http_limits_default(&lim, sizeof(buf) / 2);
    for (;;) {
        cmp_http_msg m;
        cmp_err err = cmp_http_req_parse(&m, buf, len, &lim);
        const char *rsp;
        ssize_t n;

        if (err == CMP_ERR_AGAIN) {
            if (!wait_readable(r, fd)) {
                return 0;
            }
            n = recv(fd, buf + len, sizeof(buf) - len, 0);
            if (n <= 0) {
                return 1; /* the client closed */
            }
            len += (size_t)n;
            continue;
        }
        ck_assert_int_eq(err, CMP_OK);
        memmove(buf, buf + m.msg_len, len - m.msg_len);
        len -= m.msg_len;
        if ((size_t)r->requests >= r->num_rsps) {
            return 1;
        }
        rsp = r->rsps[r->requests++];
        if (rsp == hang_up) {
            return 1;
        }
        if (rsp == say_nothing) {
            while (wait_readable(r, fd)) {
                char scratch[256];

                if (recv(fd, scratch, sizeof(scratch), 0) <= 0) {
                    return 1;
                }
            }
            return 0;
        }
        if (send(fd, rsp, strlen(rsp), MSG_NOSIGNAL) != (ssize_t)strlen(rsp) || r->close_each) {
            return 1;
        }
    }
}

static void *raw_srv_main(void *arg)
{
    raw_srv *r = arg;

    while (wait_readable(r, r->lfd)) {
        int fd = accept(r->lfd, NULL, NULL), more;

        if (fd < 0) {
            continue;
        }
        r->accepted++;
        more = serve_conn(r, fd);
        close(fd);
        if (!more) {
            break;
        }
    }
    return NULL;
}

static void raw_srv_start(raw_srv *r, const char *const *rsps, size_t num_rsps, int close_each)
{
    memset(r, 0, sizeof(*r));
    r->rsps = rsps;
    r->num_rsps = num_rsps;
    r->close_each = close_each;
    ck_assert_int_eq(cmp_http_listen(&r->lfd, &r->port, "127.0.0.1", 0, 8), CMP_OK);
    ck_assert_int_eq(pipe(r->stop), 0);
    ck_assert_int_eq(pthread_create(&r->th, NULL, raw_srv_main, r), 0);
}

static void raw_srv_stop(raw_srv *r)
{
    ck_assert_int_eq(write(r->stop[1], "x", 1), 1);
    pthread_join(r->th, NULL);
    close(r->lfd);
    close(r->stop[0]);
    close(r->stop[1]);
}

/* --- client against the server core ---------------------------------------- */

START_TEST(test_http_roundtrip)
{
    srv_ctx ctx;
    cmp_http_server *s;
    cmp_transport *t;

    ctx_init(&ctx);
    s = start_server(&ctx, NULL);
    t = make_client(cmp_http_server_port(s), "", 5000, 0);
    exchange_ok(t, "ir", "rsp:ir");
    exchange_ok(t, "certConf", "rsp:certConf");
    cmp_transport_close(t);
    exchange_ok(t, "cr", "rsp:cr");
    ck_assert_str_eq(ctx.last_path, "/.well-known/cmp");
    ck_assert_int_eq(ctx.calls, 3);
    cmp_transport_free(t);
    cmp_http_server_free(s);
}
END_TEST

/* A label gives /.well-known/cmp/p/<label>, accepted by the "*" entry. */
START_TEST(test_http_label)
{
    srv_ctx ctx;
    cmp_http_server *s;
    cmp_http_opts o;
    cmp_transport *t = NULL;
    char url[64];

    ctx_init(&ctx);
    s = start_server(&ctx, NULL);
    snprintf(url, sizeof(url), "http://localhost:%u", (unsigned)cmp_http_server_port(s));
    cmp_http_opts_init(&o);
    o.url = url;
    o.label = "ra-7";
    ck_assert_int_eq(cmp_http_transport_new(&t, &o), CMP_OK);
    exchange_ok(t, "p10cr", "rsp:p10cr");
    ck_assert_str_eq(ctx.last_path, "/.well-known/cmp/p/ra-7");
    cmp_transport_free(t);
    /* a label after an explicit path, its trailing slash dropped */
    snprintf(url, sizeof(url), "http://127.0.0.1:%u/.well-known/cmp/",
             (unsigned)cmp_http_server_port(s));
    o.label = "x";
    ck_assert_int_eq(cmp_http_transport_new(&t, &o), CMP_OK);
    exchange_ok(t, "q", "rsp:q");
    ck_assert_str_eq(ctx.last_path, "/.well-known/cmp/p/x");
    cmp_transport_free(t);
    cmp_http_server_free(s);
}
END_TEST

START_TEST(test_http_ipv6)
{
    srv_ctx ctx;
    cmp_http_server_opts o;
    cmp_http_server *s = NULL;
    cmp_http_opts co;
    cmp_transport *t = NULL;
    char url[64];

    ctx_init(&ctx);
    cmp_http_server_opts_init(&o);
    o.host = "::1";
    o.handler = echo_handler;
    o.handler_arg = &ctx;
    if (cmp_http_server_new(&s, &o) != CMP_OK) {
        return; /* no IPv6 loopback here */
    }
    ck_assert_int_eq(cmp_http_server_start(s), CMP_OK);
    snprintf(url, sizeof(url), "http://[::1]:%u/any/path", (unsigned)cmp_http_server_port(s));
    cmp_http_opts_init(&co);
    co.url = url;
    ck_assert_int_eq(cmp_http_transport_new(&t, &co), CMP_OK);
    exchange_ok(t, "v6", "rsp:v6");
    ck_assert_str_eq(ctx.last_path, "/any/path");
    cmp_transport_free(t);
    cmp_http_server_free(s);
}
END_TEST

/* The same handler, in process, through the in-memory transport. */
START_TEST(test_http_mem_same_handler)
{
    srv_ctx ctx;
    cmp_transport *t = NULL;

    ctx_init(&ctx);
    ck_assert_int_eq(cmp_transport_mem_new(&t, echo_handler, &ctx, NULL), CMP_OK);
    exchange_ok(t, "ir", "rsp:ir");
    ck_assert_str_eq(ctx.last_path, "/.well-known/cmp");
    cmp_transport_free(t);
}
END_TEST

START_TEST(test_http_server_404)
{
    srv_ctx ctx;
    cmp_http_server *s;
    cmp_transport *t;
    uint8_t *rsp = NULL;
    size_t rsp_len = 0;
    int status = 0;

    ctx_init(&ctx);
    s = start_server(&ctx, NULL);
    t = make_client(cmp_http_server_port(s), "/.well-known/cmpx", 5000, 0);
    ck_assert_int_eq(cmp_transport_exchange(t, &rsp, &rsp_len, &status, (const uint8_t *)"x", 1),
                     CMP_ERR_HTTP_STATUS);
    ck_assert_int_eq(status, 404);
    ck_assert_ptr_null(rsp);
    cmp_transport_free(t);
    /* a prefix entry needs something after the prefix */
    t = make_client(cmp_http_server_port(s), "/.well-known/cmp/p/", 5000, 0);
    ck_assert_int_eq(cmp_transport_exchange(t, &rsp, &rsp_len, &status, (const uint8_t *)"x", 1),
                     CMP_ERR_HTTP_STATUS);
    ck_assert_int_eq(status, 404);
    cmp_transport_free(t);
    ck_assert_int_eq(ctx.calls, 0);
    cmp_http_server_free(s);
}
END_TEST

/* The handler's own status goes out with its CMP body. */
START_TEST(test_http_server_handler_status)
{
    srv_ctx ctx;
    cmp_http_server *s;
    cmp_transport *t;
    uint8_t *rsp = NULL;
    size_t rsp_len = 0;
    int status = 0;

    ctx_init(&ctx);
    ctx.status = 400;
    s = start_server(&ctx, NULL);
    t = make_client(cmp_http_server_port(s), "", 5000, 0);
    ck_assert_int_eq(cmp_transport_exchange(t, &rsp, &rsp_len, &status, (const uint8_t *)"e", 1),
                     CMP_ERR_HTTP_STATUS);
    ck_assert_int_eq(status, 400);
    ck_assert_uint_eq(rsp_len, 5);
    ck_assert(memcmp(rsp, "rsp:e", 5) == 0);
    cmp_free(rsp);
    /* the connection survives a non-200 answer */
    ctx.status = 0;
    exchange_ok(t, "f", "rsp:f");
    /* a handler error is a 500 without body */
    ctx.err = CMP_ERR_INTERNAL;
    ck_assert_int_eq(cmp_transport_exchange(t, &rsp, &rsp_len, &status, (const uint8_t *)"g", 1),
                     CMP_ERR_HTTP_STATUS);
    ck_assert_int_eq(status, 500);
    ck_assert_ptr_null(rsp);
    /* so is a status a handler may not give */
    ctx.err = CMP_OK;
    ctx.status = 101;
    ck_assert_int_eq(cmp_transport_exchange(t, &rsp, &rsp_len, &status, (const uint8_t *)"h", 1),
                     CMP_ERR_HTTP_STATUS);
    ck_assert_int_eq(status, 500);
    cmp_transport_free(t);
    cmp_http_server_free(s);
}
END_TEST

/* --- server answers to bad requests ---------------------------------------- */

#define POST_HEAD "POST /.well-known/cmp HTTP/1.1\r\nHost: 127.0.0.1\r\n"

typedef struct bad_req {
    const char *name;
    const char *raw;
    int status;
} bad_req;

static const bad_req bad_reqs[] = {
    {"get", "GET /.well-known/cmp HTTP/1.1\r\nHost: a\r\n\r\n", 405},
    {"put", "PUT /.well-known/cmp HTTP/1.1\r\nHost: a\r\n" CT "Content-Length: 1\r\n\r\nx", 405},
    {"lowercase post", "post /.well-known/cmp HTTP/1.1\r\nHost: a\r\n" CT
                       "Content-Length: 1\r\n\r\nx",
     405},
    {"wrong type", POST_HEAD "Content-Type: text/plain\r\nContent-Length: 1\r\n\r\nx", 415},
    {"no type", POST_HEAD "Content-Length: 1\r\n\r\nx", 415},
    {"no length", POST_HEAD CT "\r\n", 411},
    {"unknown path", "POST /cmp HTTP/1.1\r\nHost: a\r\n" CT "Content-Length: 1\r\n\r\nx", 404},
    {"garbage", "garbage\r\n\r\n", 400},
    {"no host", "POST /.well-known/cmp HTTP/1.1\r\n" CT "Content-Length: 1\r\n\r\nx", 400},
    {"lf only", "POST /.well-known/cmp HTTP/1.1\nHost: a\n\n", 400},
    {"version", "POST /.well-known/cmp HTTP/3.0\r\nHost: a\r\n\r\n", 505},
    {"coding", POST_HEAD CT "Transfer-Encoding: br\r\n\r\n", 501},
    {"expect", POST_HEAD CT "Expect: nothing\r\nContent-Length: 1\r\n\r\nx", 417},
    {"huge length", POST_HEAD CT "Content-Length: 2000000\r\n\r\n", 413},
    {"huge chunk", POST_HEAD CT "Transfer-Encoding: chunked\r\n\r\n200000\r\n", 413},
};

START_TEST(test_http_server_bad_requests)
{
    const bad_req *b = &bad_reqs[_i];
    srv_ctx ctx;
    cmp_http_server *s;
    char out[4096];
    int status;

    ctx_init(&ctx);
    s = start_server(&ctx, NULL);
    status = raw_status(cmp_http_server_port(s), b->raw, strlen(b->raw), out, sizeof(out));
    ck_assert_msg(status == b->status, "%s: %d", b->name, status);
    ck_assert(strstr(out, "Connection: close\r\n") != NULL);
    if (status == 405) {
        ck_assert(strstr(out, "Allow: POST\r\n") != NULL);
    }
    ck_assert_int_eq(ctx.calls, 0);
    cmp_http_server_free(s);
}
END_TEST

START_TEST(test_http_server_431_414)
{
    srv_ctx ctx;
    cmp_http_server *s;
    char out[4096], *req = malloc(20000);
    size_t len;

    ck_assert_ptr_nonnull(req);
    ctx_init(&ctx);
    s = start_server(&ctx, NULL);
    strcpy(req, POST_HEAD CT "X-Big: ");
    len = strlen(req);
    memset(req + len, 'a', 10000);
    strcpy(req + len + 10000, "\r\nContent-Length: 0\r\n\r\n");
    ck_assert_int_eq(raw_status(cmp_http_server_port(s), req, strlen(req), out, sizeof(out)), 431);
    strcpy(req, "POST /");
    memset(req + 6, 'p', 2000);
    strcpy(req + 2006, " HTTP/1.1\r\nHost: a\r\n\r\n");
    ck_assert_int_eq(raw_status(cmp_http_server_port(s), req, strlen(req), out, sizeof(out)), 414);
    cmp_http_server_free(s);
    free(req);
}
END_TEST

/* Our client with a body above the server's limit gets the 413. */
START_TEST(test_http_server_413_client)
{
    srv_ctx ctx;
    cmp_http_server_opts o;
    cmp_http_server *s;
    cmp_transport *t;
    uint8_t *rsp = NULL, big[2000];
    size_t rsp_len = 0;
    int status = 0;

    ctx_init(&ctx);
    cmp_http_server_opts_init(&o);
    o.max_body = 1000;
    s = start_server(&ctx, &o);
    t = make_client(cmp_http_server_port(s), "", 5000, 0);
    memset(big, 'b', sizeof(big));
    ck_assert_int_eq(cmp_transport_exchange(t, &rsp, &rsp_len, &status, big, sizeof(big)),
                     CMP_ERR_HTTP_STATUS);
    ck_assert_int_eq(status, 413);
    ck_assert_ptr_null(rsp);
    /* exactly the limit passes, on a new connection */
    ck_assert_int_eq(cmp_transport_exchange(t, &rsp, &rsp_len, &status, big, 1000), CMP_OK);
    ck_assert_uint_eq(rsp_len, 1004);
    cmp_free(rsp);
    cmp_transport_free(t);
    cmp_http_server_free(s);
}
END_TEST

/* A client that sends part of a request and stops gets 408, then EOF. */
START_TEST(test_http_server_slow_client)
{
    static const char part[] = "POST /.well-known/cmp HTTP/1.1\r\nHo";
    srv_ctx ctx;
    cmp_http_server_opts o;
    cmp_http_server *s;
    uint64_t start;
    char out[1024];
    int fd;

    ctx_init(&ctx);
    cmp_http_server_opts_init(&o);
    o.request_timeout_ms = 300;
    s = start_server(&ctx, &o);
    fd = raw_connect(cmp_http_server_port(s));
    start = cmp_http_now_ms();
    raw_send(fd, part, sizeof(part) - 1);
    raw_read(fd, out, sizeof(out), 8000);
    ck_assert_uint_ge(cmp_http_now_ms() - start, 250);
    ck_assert_uint_lt(cmp_http_now_ms() - start, 8000);
    ck_assert(strncmp(out, "HTTP/1.1 408 ", 13) == 0);
    close(fd);
    cmp_http_server_free(s);
}
END_TEST

/* A trickle of bytes does not extend the request's time. */
START_TEST(test_http_server_trickle)
{
    srv_ctx ctx;
    cmp_http_server_opts o;
    cmp_http_server *s;
    uint64_t start;
    char out[1024];
    int fd, i;

    ctx_init(&ctx);
    cmp_http_server_opts_init(&o);
    o.request_timeout_ms = 400;
    s = start_server(&ctx, &o);
    fd = raw_connect(cmp_http_server_port(s));
    start = cmp_http_now_ms();
    for (i = 0; i < 8; i++) {
        if (send(fd, "X", 1, MSG_NOSIGNAL) != 1) {
            break;
        }
        sleep_ms(100);
    }
    raw_read(fd, out, sizeof(out), 8000);
    ck_assert(strncmp(out, "HTTP/1.1 408 ", 13) == 0);
    ck_assert_uint_lt(cmp_http_now_ms() - start, 8000);
    close(fd);
    cmp_http_server_free(s);
}
END_TEST

/* An idle connection is closed without a word. */
START_TEST(test_http_server_idle_timeout)
{
    srv_ctx ctx;
    cmp_http_server_opts o;
    cmp_http_server *s;
    uint64_t start;
    char out[64];
    int fd;

    ctx_init(&ctx);
    cmp_http_server_opts_init(&o);
    o.idle_timeout_ms = 200;
    s = start_server(&ctx, &o);
    fd = raw_connect(cmp_http_server_port(s));
    start = cmp_http_now_ms();
    ck_assert_uint_eq(raw_read(fd, out, sizeof(out), 8000), 0);
    ck_assert_uint_ge(cmp_http_now_ms() - start, 150);
    ck_assert_uint_lt(cmp_http_now_ms() - start, 8000);
    close(fd);
    cmp_http_server_free(s);
}
END_TEST

START_TEST(test_http_server_chunked_request)
{
    static const char req[] = POST_HEAD CT "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                                           "2\r\nab\r\n1\r\nc\r\n0\r\n\r\n";
    srv_ctx ctx;
    cmp_http_server *s;
    char out[1024];

    ctx_init(&ctx);
    s = start_server(&ctx, NULL);
    ck_assert_int_eq(raw_status(cmp_http_server_port(s), req, sizeof(req) - 1, out, sizeof(out)),
                     200);
    ck_assert(strstr(out, "\r\n\r\nrsp:abc") != NULL);
    ck_assert(strstr(out, "Content-Length: 7\r\n") != NULL);
    ck_assert(strstr(out, CT) != NULL);
    ck_assert_uint_eq(ctx.last_len, 3);
    cmp_http_server_free(s);
}
END_TEST

START_TEST(test_http_server_expect_continue)
{
    static const char head[] = POST_HEAD CT "Expect: 100-continue\r\nContent-Length: 3\r\n"
                                            "Connection: close\r\n\r\n";
    srv_ctx ctx;
    cmp_http_server *s;
    char out[1024];
    int fd;

    ctx_init(&ctx);
    s = start_server(&ctx, NULL);
    fd = raw_connect(cmp_http_server_port(s));
    raw_send(fd, head, sizeof(head) - 1);
    {
        struct pollfd pfd = {fd, POLLIN, 0};
        ssize_t n;

        ck_assert_int_eq(poll(&pfd, 1, 8000), 1);
        n = recv(fd, out, sizeof(out) - 1, 0);
        ck_assert_int_gt(n, 0);
        out[n] = '\0';
        ck_assert_str_eq(out, "HTTP/1.1 100 Continue\r\n\r\n");
    }
    raw_send(fd, "abc", 3);
    raw_read(fd, out, sizeof(out), 8000);
    ck_assert(strncmp(out, "HTTP/1.1 200 OK\r\n", 17) == 0);
    ck_assert(strstr(out, "rsp:abc") != NULL);
    close(fd);
    cmp_http_server_free(s);
}
END_TEST

/* Two requests in one write get two answers, in order. */
START_TEST(test_http_server_pipelined)
{
    static const char reqs[] = POST_HEAD CT "Content-Length: 3\r\n\r\none" POST_HEAD CT
                               "Content-Length: 3\r\nConnection: close\r\n\r\ntwo";
    srv_ctx ctx;
    cmp_http_server *s;
    cmp_http_limits lim;
    cmp_http_msg m;
    char out[4096];
    size_t len;
    int fd;

    ctx_init(&ctx);
    s = start_server(&ctx, NULL);
    fd = raw_connect(cmp_http_server_port(s));
    raw_send(fd, reqs, sizeof(reqs) - 1);
    len = raw_read(fd, out, sizeof(out), 8000);
    close(fd);
    cmp_http_limits_default(&lim, 1024);
    ck_assert_int_eq(cmp_http_rsp_parse(&m, (const uint8_t *)out, len, 0, &lim), CMP_OK);
    ck_assert_int_eq(m.close, 0);
    ck_assert(memcmp(out + m.head_len, "rsp:one", 7) == 0);
    ck_assert_int_eq(cmp_http_rsp_parse(&m, (const uint8_t *)out + m.msg_len, len - m.msg_len, 1,
                                        &lim),
                     CMP_OK);
    ck_assert_int_eq(m.close, 1);
    ck_assert_int_eq(ctx.calls, 2);
    cmp_http_server_free(s);
}
END_TEST

/* --- concurrency and stopping ---------------------------------------------- */

typedef struct client_job {
    uint16_t port;
    int rounds;
    int ok;
} client_job;

static void *client_thread(void *arg)
{
    client_job *j = arg;
    cmp_http_opts o;
    cmp_transport *t = NULL;
    char url[64];
    int i;

    snprintf(url, sizeof(url), "http://127.0.0.1:%u", (unsigned)j->port);
    cmp_http_opts_init(&o);
    o.url = url;
    o.timeout_ms = 5000;
    if (cmp_http_transport_new(&t, &o) != CMP_OK) {
        return NULL;
    }
    for (i = 0; i < j->rounds; i++) {
        uint8_t *rsp = NULL;
        size_t rsp_len = 0;
        char req[32];
        int n = snprintf(req, sizeof(req), "req-%d", i);

        if (cmp_transport_exchange(t, &rsp, &rsp_len, NULL, (const uint8_t *)req, (size_t)n) ==
                CMP_OK &&
            rsp_len == (size_t)n + 4 && memcmp(rsp + 4, req, (size_t)n) == 0) {
            j->ok++;
        }
        cmp_free(rsp);
        if (i % 5 == 4) {
            cmp_transport_close(t); /* a new transaction, a new connection */
        }
    }
    cmp_transport_free(t);
    return NULL;
}

/* Many clients at once, while silent connections hold slots. */
START_TEST(test_http_server_concurrent)
{
    enum { CLIENTS = 8, ROUNDS = 25, SILENT = 4 };
    srv_ctx ctx;
    cmp_http_server *s;
    pthread_t th[CLIENTS];
    client_job jobs[CLIENTS];
    int silent[SILENT], i;

    ctx_init(&ctx);
    s = start_server(&ctx, NULL);
    for (i = 0; i < SILENT; i++) {
        silent[i] = raw_connect(cmp_http_server_port(s));
        raw_send(silent[i], "POST /", 6);
    }
    for (i = 0; i < CLIENTS; i++) {
        jobs[i].port = cmp_http_server_port(s);
        jobs[i].rounds = ROUNDS;
        jobs[i].ok = 0;
        ck_assert_int_eq(pthread_create(&th[i], NULL, client_thread, &jobs[i]), 0);
    }
    for (i = 0; i < CLIENTS; i++) {
        pthread_join(th[i], NULL);
        ck_assert_int_eq(jobs[i].ok, ROUNDS);
    }
    ck_assert_int_eq(ctx.calls, CLIENTS * ROUNDS);
    for (i = 0; i < SILENT; i++) {
        close(silent[i]);
    }
    cmp_http_server_free(s);
}
END_TEST

/* stop lets the request in flight finish, with "Connection: close". */
START_TEST(test_http_server_graceful_stop)
{
    static const char req[] = POST_HEAD CT "Content-Length: 4\r\n\r\nlast";
    srv_ctx ctx;
    cmp_http_server *s;
    char out[1024];
    int fd, idle;

    ctx_init(&ctx);
    ctx.delay_ms = 400;
    s = start_server(&ctx, NULL);
    idle = raw_connect(cmp_http_server_port(s));
    fd = raw_connect(cmp_http_server_port(s));
    raw_send(fd, req, sizeof(req) - 1);
    while (handler_calls(&ctx) == 0) {
        sleep_ms(10); /* until the handler runs */
    }
    cmp_http_server_stop(s);
    cmp_http_server_stop(s); /* twice is fine */
    raw_read(fd, out, sizeof(out), 8000);
    ck_assert(strncmp(out, "HTTP/1.1 200 OK\r\n", 17) == 0);
    ck_assert(strstr(out, "Connection: close\r\n") != NULL);
    ck_assert(strstr(out, "rsp:last") != NULL);
    /* the idle connection was closed without an answer */
    ck_assert_uint_eq(raw_read(idle, out, sizeof(out), 8000), 0);
    close(fd);
    close(idle);
    cmp_http_server_wait(s);
    cmp_http_server_wait(s);
    cmp_http_server_free(s);
}
END_TEST

static cmp_http_server *g_signal_server; /* the signal handler's view */

static void on_signal(int sig)
{
    (void)sig;
    cmp_http_server_stop(g_signal_server);
}

START_TEST(test_http_server_stop_from_signal)
{
    struct sigaction sa, old;
    srv_ctx ctx;
    cmp_http_server *s;

    ctx_init(&ctx);
    s = start_server(&ctx, NULL);
    g_signal_server = s;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    ck_assert_int_eq(sigaction(SIGUSR1, &sa, &old), 0);
    ck_assert_int_eq(raise(SIGUSR1), 0);
    cmp_http_server_wait(s); /* returns only because the signal stopped it */
    ck_assert_int_eq(sigaction(SIGUSR1, &old, NULL), 0);
    g_signal_server = NULL;
    cmp_http_server_free(s);
}
END_TEST

START_TEST(test_http_server_opts)
{
    srv_ctx ctx;
    cmp_http_server_opts o;
    cmp_http_server *s = NULL, *s2 = (cmp_http_server *)&ctx;
    static const char *const bad_paths[] = {"no-slash"};

    ctx_init(&ctx);
    cmp_http_server_opts_init(&o);
    ck_assert_str_eq(o.host, "127.0.0.1");
    ck_assert_int_eq(cmp_http_server_new(&s2, &o), CMP_ERR_ARG); /* no handler */
    ck_assert_ptr_null(s2);
    o.handler = echo_handler;
    o.handler_arg = &ctx;
    o.num_threads = 0;
    ck_assert_int_eq(cmp_http_server_new(&s, &o), CMP_ERR_ARG);
    o.num_threads = 2;
    o.request_timeout_ms = 0;
    ck_assert_int_eq(cmp_http_server_new(&s, &o), CMP_ERR_ARG);
    o.request_timeout_ms = 1000;
    o.paths = bad_paths;
    o.num_paths = 1;
    ck_assert_int_eq(cmp_http_server_new(&s, &o), CMP_ERR_ARG);
    o.paths = NULL;
    o.num_paths = 0;
    o.host = "192.0.2.1"; /* TEST-NET-1: not an address of ours */
    ck_assert_int_eq(cmp_http_server_new(&s, &o), CMP_ERR_CONNECT);
    o.host = "127.0.0.1";
    ck_assert_int_eq(cmp_http_server_new(&s, &o), CMP_OK);
    /* the port is taken now */
    o.port = cmp_http_server_port(s);
    ck_assert_int_eq(cmp_http_server_new(&s2, &o), CMP_ERR_CONNECT);
    ck_assert_int_eq(cmp_http_server_start(s), CMP_OK);
    ck_assert_int_eq(cmp_http_server_start(s), CMP_ERR_STATE);
    ck_assert_int_eq(cmp_http_server_new(NULL, &o), CMP_ERR_ARG);
    ck_assert_int_eq(cmp_http_server_new(&s2, NULL), CMP_ERR_ARG);
    ck_assert_uint_eq(cmp_http_server_port(NULL), 0);
    cmp_http_server_free(s);
    cmp_http_server_free(NULL);
    cmp_http_server_stop(NULL);
    cmp_http_server_wait(NULL);
}
END_TEST

/* A server that is never started frees cleanly. */
START_TEST(test_http_server_never_started)
{
    srv_ctx ctx;
    cmp_http_server_opts o;
    cmp_http_server *s = NULL;

    ctx_init(&ctx);
    cmp_http_server_opts_init(&o);
    o.handler = echo_handler;
    ck_assert_int_eq(cmp_http_server_new(&s, &o), CMP_OK);
    cmp_http_server_wait(s);
    cmp_http_server_free(s);
}
END_TEST

/* --- client against scripted responders ------------------------------------ */

#define R200(body) "HTTP/1.1 200 OK\r\n" CT "Content-Length: " #body "\r\n\r\n"

/* One connection carries all messages of a transaction. */
START_TEST(test_http_client_keep_alive)
{
    static const char *const rsps[] = {R200(2) "r1", R200(2) "r2", R200(2) "r3"};
    raw_srv r;
    cmp_transport *t;

    raw_srv_start(&r, rsps, 3, 0);
    t = make_client(r.port, "", 8000, 0);
    exchange_ok(t, "a", "r1");
    exchange_ok(t, "b", "r2");
    exchange_ok(t, "c", "r3");
    cmp_transport_free(t);
    raw_srv_stop(&r);
    ck_assert_int_eq(r.accepted, 1);
    ck_assert_int_eq(r.requests, 3);
}
END_TEST

/* keep_alive 0, or "Connection: close" from the server: a new connection
 * for each message. */
START_TEST(test_http_client_no_keep_alive)
{
    static const char *const rsps[] = {R200(2) "r1", R200(2) "r2",
                                       "HTTP/1.1 200 OK\r\n" CT "Connection: close\r\n"
                                       "Content-Length: 2\r\n\r\nr3",
                                       R200(2) "r4"};
    raw_srv r;
    cmp_http_opts o;
    cmp_transport *t = NULL;
    char url[64];

    raw_srv_start(&r, rsps, 4, 0);
    snprintf(url, sizeof(url), "http://127.0.0.1:%u", (unsigned)r.port);
    cmp_http_opts_init(&o);
    o.url = url;
    o.keep_alive = 0;
    ck_assert_int_eq(cmp_http_transport_new(&t, &o), CMP_OK);
    exchange_ok(t, "a", "r1");
    exchange_ok(t, "b", "r2");
    cmp_transport_free(t);
    t = make_client(r.port, "", 8000, 0);
    exchange_ok(t, "c", "r3");
    exchange_ok(t, "d", "r4");
    cmp_transport_free(t);
    raw_srv_stop(&r);
    ck_assert_int_eq(r.accepted, 4);
}
END_TEST

/* The server closed the kept-alive connection while it was idle. */
START_TEST(test_http_client_reconnect_idle)
{
    static const char *const rsps[] = {R200(2) "r1", R200(2) "r2"};
    raw_srv r;
    cmp_transport *t;

    raw_srv_start(&r, rsps, 2, 1);
    t = make_client(r.port, "", 8000, 0);
    exchange_ok(t, "a", "r1");
    sleep_ms(50);
    exchange_ok(t, "b", "r2");
    cmp_transport_free(t);
    raw_srv_stop(&r);
    ck_assert_int_eq(r.accepted, 2);
}
END_TEST

/* The server hangs up on a reused connection without answering: the
 * request goes once more, on a new connection. */
START_TEST(test_http_client_retry_once)
{
    static const char *const rsps[] = {R200(2) "r1", hang_up, R200(2) "r2", hang_up, hang_up};
    raw_srv r;
    cmp_transport *t;
    uint8_t *rsp = NULL;
    size_t rsp_len = 0;

    raw_srv_start(&r, rsps, 5, 0);
    t = make_client(r.port, "", 8000, 0);
    exchange_ok(t, "a", "r1");
    exchange_ok(t, "b", "r2");
    ck_assert_int_eq(r.accepted, 2);
    ck_assert_int_eq(r.requests, 3);
    /* a hang-up on the retry as well is reported, not retried again */
    ck_assert_int_eq(cmp_transport_exchange(t, &rsp, &rsp_len, NULL, (const uint8_t *)"c", 1),
                     CMP_ERR_CLOSED);
    ck_assert_ptr_null(rsp);
    cmp_transport_free(t);
    raw_srv_stop(&r);
    ck_assert_int_eq(r.accepted, 3);
    ck_assert_int_eq(r.requests, 5);
}
END_TEST

/* A hang-up on a fresh connection is not retried. */
START_TEST(test_http_client_closed)
{
    static const char *const rsps[] = {hang_up};
    raw_srv r;
    cmp_transport *t;
    uint8_t *rsp = NULL;
    size_t rsp_len = 0;

    raw_srv_start(&r, rsps, 1, 0);
    t = make_client(r.port, "", 8000, 0);
    ck_assert_int_eq(cmp_transport_exchange(t, &rsp, &rsp_len, NULL, (const uint8_t *)"a", 1),
                     CMP_ERR_CLOSED);
    cmp_transport_free(t);
    raw_srv_stop(&r);
    ck_assert_int_eq(r.accepted, 1);
}
END_TEST

START_TEST(test_http_client_chunked)
{
    static const char *const rsps[] = {"HTTP/1.1 200 OK\r\n" CT "Transfer-Encoding: chunked\r\n\r\n"
                                       "5\r\nhello\r\n6;x=y\r\n world\r\n0\r\nX-T: 1\r\n\r\n",
                                       R200(2) "ok"};
    raw_srv r;
    cmp_transport *t;

    raw_srv_start(&r, rsps, 2, 0);
    t = make_client(r.port, "", 8000, 0);
    exchange_ok(t, "a", "hello world");
    exchange_ok(t, "b", "ok"); /* and the connection is still in step */
    cmp_transport_free(t);
    raw_srv_stop(&r);
    ck_assert_int_eq(r.accepted, 1);
}
END_TEST

/* A body delimited by the server closing. */
START_TEST(test_http_client_until_close)
{
    static const char *const rsps[] = {"HTTP/1.1 200 OK\r\n" CT "\r\nto the end"};
    raw_srv r;
    cmp_transport *t;

    raw_srv_start(&r, rsps, 1, 1);
    t = make_client(r.port, "", 8000, 0);
    exchange_ok(t, "a", "to the end");
    cmp_transport_free(t);
    raw_srv_stop(&r);
}
END_TEST

START_TEST(test_http_client_timeout)
{
    static const char *const rsps[] = {say_nothing};
    raw_srv r;
    cmp_transport *t;
    uint8_t *rsp = NULL;
    size_t rsp_len = 0;
    uint64_t start;

    raw_srv_start(&r, rsps, 1, 0);
    t = make_client(r.port, "", 300, 0);
    start = cmp_http_now_ms();
    ck_assert_int_eq(cmp_transport_exchange(t, &rsp, &rsp_len, NULL, (const uint8_t *)"a", 1),
                     CMP_ERR_TIMEOUT);
    ck_assert_uint_ge(cmp_http_now_ms() - start, 290);
    ck_assert_uint_lt(cmp_http_now_ms() - start, 8000);
    ck_assert_ptr_null(rsp);
    cmp_transport_free(t);
    raw_srv_stop(&r);
}
END_TEST

START_TEST(test_http_client_refused)
{
    cmp_transport *t;
    uint8_t *rsp = NULL;
    size_t rsp_len = 0;
    uint16_t port = 0;
    int fd = -1;

    /* a port that was free a moment ago, and nobody listens on it now */
    ck_assert_int_eq(cmp_http_listen(&fd, &port, "127.0.0.1", 0, 1), CMP_OK);
    close(fd);
    t = make_client(port, "", 8000, 0);
    ck_assert_int_eq(cmp_transport_exchange(t, &rsp, &rsp_len, NULL, (const uint8_t *)"a", 1),
                     CMP_ERR_CONNECT);
    cmp_transport_free(t);
}
END_TEST

typedef struct bad_rsp {
    const char *name;
    const char *raw;
    size_t max_response;
    cmp_err want;
    int status;
    const char *body; /* handed over, or NULL */
} bad_rsp;

static const bad_rsp bad_rsps[] = {
    {"oversize length", R200(2000000), 1000, CMP_ERR_RSP_TOO_LARGE, 0, NULL},
    {"oversize chunk", "HTTP/1.1 200 OK\r\n" CT "Transfer-Encoding: chunked\r\n\r\n7d1\r\n", 2000,
     CMP_ERR_RSP_TOO_LARGE, 0, NULL},
    {"wrong type", "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 2\r\n\r\nhi", 0,
     CMP_ERR_HTTP_CONTENT_TYPE, 200, NULL},
    {"no type", "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi", 0, CMP_ERR_HTTP_CONTENT_TYPE,
     200, NULL},
    {"500 with cmp body", "HTTP/1.1 500 Oops\r\n" CT "Content-Length: 3\r\n\r\nerr", 0,
     CMP_ERR_HTTP_STATUS, 500, "err"},
    {"404 html", "HTTP/1.1 404 Not Found\r\nContent-Type: text/html\r\nContent-Length: 2\r\n\r\n"
                 "no",
     0, CMP_ERR_HTTP_STATUS, 404, NULL},
    {"202 empty", "HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n", 0, CMP_ERR_HTTP_STATUS,
     202, NULL},
    {"301", "HTTP/1.1 301 Moved\r\nLocation: http://evil/\r\nContent-Length: 0\r\n\r\n", 0,
     CMP_ERR_HTTP_STATUS, 301, NULL},
    {"malformed", "HTTP/1.1 200 OK\nContent-Length: 0\n\n", 0, CMP_ERR_HTTP, 0, NULL},
    {"cut short", R200(10) "abc", 0, CMP_ERR_HTTP, 0, NULL},
};

START_TEST(test_http_client_bad_responses)
{
    const bad_rsp *b = &bad_rsps[_i];
    const char *rsps[1];
    raw_srv r;
    cmp_transport *t;
    uint8_t *rsp = NULL;
    size_t rsp_len = 0;
    int status = -1;
    cmp_err err;

    rsps[0] = b->raw;
    raw_srv_start(&r, rsps, 1, 1);
    t = make_client(r.port, "", 8000, b->max_response);
    err = cmp_transport_exchange(t, &rsp, &rsp_len, &status, (const uint8_t *)"a", 1);
    ck_assert_msg(err == b->want, "%s: %s", b->name, cmp_err_name(err));
    ck_assert_int_eq(status, b->status);
    if (b->body != NULL) {
        ck_assert_uint_eq(rsp_len, strlen(b->body));
        ck_assert(memcmp(rsp, b->body, rsp_len) == 0);
    } else {
        ck_assert_ptr_null(rsp);
    }
    cmp_free(rsp);
    cmp_transport_free(t);
    raw_srv_stop(&r);
}
END_TEST

START_TEST(test_http_transport_new_errors)
{
    cmp_http_opts o;
    cmp_transport *t = (cmp_transport *)&o;

    cmp_http_opts_init(&o);
    ck_assert_int_eq(cmp_http_transport_new(&t, &o), CMP_ERR_ARG); /* no URL */
    ck_assert_ptr_null(t);
    o.url = "https://ca.example/";
    ck_assert_int_eq(cmp_http_transport_new(&t, &o), CMP_ERR_UNSUPPORTED);
    o.url = "http://ca.example:99999/";
    ck_assert_int_eq(cmp_http_transport_new(&t, &o), CMP_ERR_ARG);
    o.url = "http://ca.example/";
    o.timeout_ms = 0;
    ck_assert_int_eq(cmp_http_transport_new(&t, &o), CMP_ERR_ARG);
    o.timeout_ms = 1000;
    o.max_response = 0;
    ck_assert_int_eq(cmp_http_transport_new(&t, &o), CMP_ERR_ARG);
    o.max_response = 1000;
    o.label = "../x";
    ck_assert_int_eq(cmp_http_transport_new(&t, &o), CMP_ERR_ARG);
    o.url = "http://ca.example/c?x=1";
    o.label = "x";
    ck_assert_int_eq(cmp_http_transport_new(&t, &o), CMP_ERR_ARG);
    ck_assert_int_eq(cmp_http_transport_new(NULL, &o), CMP_ERR_ARG);
    ck_assert_int_eq(cmp_http_transport_new(&t, NULL), CMP_ERR_ARG);
}
END_TEST

/* Every allocation of the client may fail, cleanly (the scripted responder
 * allocates nothing, so the failing allocator sees only the client). */
START_TEST(test_http_client_alloc_failures)
{
    static const char *const rsps[] = {
        R200(2) "ok", R200(2) "ok", R200(2) "ok", R200(2) "ok", R200(2) "ok", R200(2) "ok",
        R200(2) "ok", R200(2) "ok", R200(2) "ok", R200(2) "ok", R200(2) "ok", R200(2) "ok"};
    raw_srv r;
    long n;
    int done = 0;
    char url[64];

    raw_srv_start(&r, rsps, 12, 1);
    snprintf(url, sizeof(url), "http://127.0.0.1:%u", (unsigned)r.port);
    for (n = 0; !done && n < 12; n++) {
        cmp_http_opts o;
        cmp_transport *t = NULL;
        uint8_t *rsp = NULL;
        size_t rsp_len = 0;
        cmp_err err;

        cmp_http_opts_init(&o);
        o.url = url;
        o.timeout_ms = 8000;
        testlib_fail_alloc_after(n);
        err = cmp_http_transport_new(&t, &o);
        if (err == CMP_OK) {
            err = cmp_transport_exchange(t, &rsp, &rsp_len, NULL, (const uint8_t *)"a", 1);
            ck_assert_msg(err == CMP_OK || err == CMP_ERR_NOMEM, "%ld: %s", n, cmp_err_name(err));
            done = err == CMP_OK;
        } else {
            ck_assert_int_eq(err, CMP_ERR_NOMEM);
        }
        cmp_free(rsp);
        cmp_transport_free(t);
    }
    cmp_set_allocator(NULL);
    raw_srv_stop(&r);
    ck_assert(done);
}
END_TEST

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

static Suite *cmp_http_suite(void)
{
    Suite *s = suite_create("http");
    TCase *tc;

    tc = tcase_create("client_server");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, test_http_roundtrip);
    tcase_add_test(tc, test_http_label);
    tcase_add_test(tc, test_http_ipv6);
    tcase_add_test(tc, test_http_mem_same_handler);
    tcase_add_test(tc, test_http_server_404);
    tcase_add_test(tc, test_http_server_handler_status);
    suite_add_tcase(s, tc);

    tc = tcase_create("server_limits");
    tcase_set_timeout(tc, 30);
    tcase_add_loop_test(tc, test_http_server_bad_requests, 0, N(bad_reqs));
    tcase_add_test(tc, test_http_server_431_414);
    tcase_add_test(tc, test_http_server_413_client);
    tcase_add_test(tc, test_http_server_slow_client);
    tcase_add_test(tc, test_http_server_trickle);
    tcase_add_test(tc, test_http_server_idle_timeout);
    tcase_add_test(tc, test_http_server_chunked_request);
    tcase_add_test(tc, test_http_server_expect_continue);
    tcase_add_test(tc, test_http_server_pipelined);
    suite_add_tcase(s, tc);

    tc = tcase_create("server_life");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_http_server_concurrent);
    tcase_add_test(tc, test_http_server_graceful_stop);
    tcase_add_test(tc, test_http_server_stop_from_signal);
    tcase_add_test(tc, test_http_server_opts);
    tcase_add_test(tc, test_http_server_never_started);
    suite_add_tcase(s, tc);

    tc = tcase_create("client");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, test_http_client_keep_alive);
    tcase_add_test(tc, test_http_client_no_keep_alive);
    tcase_add_test(tc, test_http_client_reconnect_idle);
    tcase_add_test(tc, test_http_client_retry_once);
    tcase_add_test(tc, test_http_client_closed);
    tcase_add_test(tc, test_http_client_chunked);
    tcase_add_test(tc, test_http_client_until_close);
    tcase_add_test(tc, test_http_client_timeout);
    tcase_add_test(tc, test_http_client_refused);
    tcase_add_loop_test(tc, test_http_client_bad_responses, 0, N(bad_rsps));
    tcase_add_test(tc, test_http_transport_new_errors);
    tcase_add_test(tc, test_http_client_alloc_failures);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(cmp_http_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
