/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmp/http.h: CMP over HTTP/1.1 (RFC 6712bis, the successor of RFC 6712).
 *
 * The client is a cmp_transport (cmp/transport.h): one POST of the DER
 * request with Content-Type application/pkixcmp, one response. It keeps the
 * connection open across the messages of a transaction and closes it in
 * cmp_transport_close(). The server core accepts POSTs and hands each body
 * to a cmp_transport_handler_fn. Neither parses CMP: they move bytes.
 *
 * Plain http:// only; TLS would be another transport. POSIX sockets.
 */
#ifndef CMP_HTTP_H
#define CMP_HTTP_H

#include <stddef.h>
#include <stdint.h>

#include "cmp/err.h"
#include "cmp/transport.h"
#include "cmp/types.h"

#ifdef __cplusplus
extern "C" {
#endif

/* = https://www.rfc-editor.org/rfc/rfc9811#section-3.4
 * # Each CMP server on a PKI management entity supporting HTTP or HTTPS
 * # transfer MUST support the use of the path prefix '/.well-known/' as
 * # defined in [RFC8615] and the registered name 'cmp' */
#define CMP_HTTP_DEFAULT_PATH "/.well-known/cmp"

/* = https://www.rfc-editor.org/rfc/rfc9811#section-3.2
 * # The Internet Media Type "application/pkixcmp" MUST be set in the HTTP
 * # "Content-Type" header field when conveying a PKIMessage. */
#define CMP_HTTP_CONTENT_TYPE "application/pkixcmp"

/* Defaults. */
#define CMP_HTTP_DEFAULT_MAX_MSG (1024u * 1024u) /* body bytes */
#define CMP_HTTP_DEFAULT_MAX_HEAD 8192u          /* start line + fields + CRLF */
#define CMP_HTTP_DEFAULT_MAX_FIELDS 64u          /* header field lines */
#define CMP_HTTP_DEFAULT_MAX_FRAMING 65536u      /* chunk lines + trailers */
#define CMP_HTTP_DEFAULT_CONNECT_TIMEOUT_MS 10000u
#define CMP_HTTP_DEFAULT_TIMEOUT_MS 120000u
#define CMP_HTTP_MAX_LABEL 64u

/* --- client ---------------------------------------------------------------- */

/* Options of the client; fill with cmp_http_opts_init, then change fields. */
typedef struct cmp_http_opts {
    /* "http://host[:port][/path[?query]]": host is a name, an IPv4 literal
     * or a bracketed IPv6 literal ("[::1]"); port defaults to 80; path to
     * CMP_HTTP_DEFAULT_PATH. Borrowed for cmp_http_transport_new only. */
    const char *url;
    /* When not NULL: appends "/p/<label>" to the path (RFC 6712bis section
     * 3.4's arbitraryLabel); see cmp_http_label_path for what is allowed. */
    const char *label;
    /* Time to set up a connection (name resolution excepted, see below). */
    uint32_t connect_timeout_ms;
    /* Time to send one request and receive its whole response. */
    uint32_t timeout_ms;
    /* Largest response body accepted; checked before allocating. */
    size_t max_response;
    /* 1: keep the connection open between the messages of a transaction
     * (until cmp_transport_close). 0: one connection per message. */
    int keep_alive;
} cmp_http_opts;

/* cmp_http_opts_init sets: url NULL, label NULL, the default timeouts and
 * response limit above, keep_alive 1. */
CMP_API void cmp_http_opts_init(cmp_http_opts *opts);

/* cmp_http_transport_new makes an HTTP client transport. It parses the URL
 * and copies what it needs; it does not connect yet (the first exchange
 * does). Returns CMP_ERR_ARG for a malformed URL, a bad label or a zero
 * timeout or limit, CMP_ERR_UNSUPPORTED for a scheme other than http, and
 * CMP_ERR_NOMEM. On success *out must be released with cmp_transport_free.
 *
 * Its exchange (cmp_transport_exchange) returns, besides the results that
 * cmp/transport.h describes:
 *   CMP_ERR_CONNECT   the name did not resolve, or no address accepted the
 *                     connection (refused, unreachable);
 *   CMP_ERR_TIMEOUT   connecting, sending or receiving took too long;
 *   CMP_ERR_CLOSED    the server closed the connection before answering;
 *   CMP_ERR_IO        another socket error;
 *   CMP_ERR_HTTP      the response is malformed, cut short, or uses a
 *                     feature we do not accept (a transfer coding other
 *                     than chunked, a 101 switch);
 *   CMP_ERR_RSP_TOO_LARGE  the response exceeds max_response or the head
 *                     limits;
 *   CMP_ERR_HTTP_CONTENT_TYPE  a 200 response without Content-Type
 *                     application/pkixcmp;
 *   CMP_ERR_HTTP_STATUS  any status but 200: *out_status holds it, and a
 *                     body with Content-Type application/pkixcmp comes along
 *                     (it may carry a CMP error message). Redirections are
 *                     not followed (RFC 6712bis section 5, item 3).
 * On every error but CMP_ERR_HTTP_STATUS the connection is closed. An idle
 * kept-alive connection that the server has closed is replaced by a new
 * one; when a reused connection breaks before any byte of the response
 * arrived, the request is sent once more on a new connection (the race of
 * persistent connections, RFC 9112 section 9.3.1; a repeated CMP request is
 * recognised by its transactionID and nonces).
 * Name resolution uses getaddrinfo(), which blocks without a timeout of our
 * own; use a numeric host where that matters. Addresses are tried in turn
 * within one connect timeout.
 * One transport serves one transaction at a time: it is not thread-safe. */
CMP_API cmp_err cmp_http_transport_new(cmp_transport **out, const cmp_http_opts *opts);

/* cmp_http_label_path writes "/.well-known/cmp/p/<label>" and a NUL to
 * |out| (|out_len| bytes). |label| must be 1..CMP_HTTP_MAX_LABEL unreserved
 * characters (RFC 3986: letters, digits, "-", ".", "_", "~"), and neither
 * "." nor "..". Returns CMP_ERR_ARG or CMP_ERR_BUF_SMALL on failure. */
CMP_API cmp_err cmp_http_label_path(char *out, size_t out_len, const char *label);

/* --- server ---------------------------------------------------------------- */

typedef struct cmp_http_server cmp_http_server;

/* Options of the server; fill with cmp_http_server_opts_init. Strings and
 * the paths array are copied by cmp_http_server_new. */
typedef struct cmp_http_server_opts {
    const char *host;    /* address to listen on: a literal or a name;
                            default "127.0.0.1" */
    uint16_t port;       /* 0: pick a free port (see cmp_http_server_port) */
    /* Paths accepted (exact match, without query); an entry ending in "*"
     * accepts every path that starts with the part before it and is longer.
     * NULL / 0: every path. Others get 404. */
    const char *const *paths;
    size_t num_paths;
    cmp_transport_handler_fn handler; /* required */
    void *handler_arg;
    unsigned num_threads; /* event loops, each calling the handler; default 2 */
    size_t max_conns;     /* open connections, all threads; default 128 */
    size_t max_body;      /* larger bodies get 413; default 1 MiB */
    size_t max_head;      /* larger heads get 431; default 8 KiB */
    size_t max_fields;    /* more header lines get 431; default 64 */
    /* A request must arrive completely within this time of its first byte;
     * otherwise 408 and close. Default 10 s. */
    uint32_t request_timeout_ms;
    /* A kept-alive connection with no request is closed after this. 5 s. */
    uint32_t idle_timeout_ms;
    /* A response must be written within this; otherwise close. 10 s. */
    uint32_t write_timeout_ms;
} cmp_http_server_opts;

/* cmp_http_server_opts_init sets the defaults above, every path, and no
 * handler. */
CMP_API void cmp_http_server_opts_init(cmp_http_server_opts *opts);

/* cmp_http_server_new binds and listens (so the port is known at once), but
 * serves nobody until cmp_http_server_start. Returns CMP_ERR_ARG,
 * CMP_ERR_CONNECT (cannot bind: address in use, bad address) or
 * CMP_ERR_NOMEM. On success release *out with cmp_http_server_free.
 *
 * How it serves: num_threads threads each run a poll() event loop over the
 * shared listening socket and their own connections (non-blocking sockets,
 * per-connection deadlines), so a slow client costs a table entry, not a
 * thread. A complete request is handed to the handler in the thread that
 * read it; while the handler runs, that thread's other connections wait, so
 * up to num_threads handler calls run at once: the handler must be
 * thread-safe (or set num_threads to 1).
 * Each accepted POST passes: path filter (404), method POST (405), Content-
 * Type application/pkixcmp (415), Content-Length or chunked (411), size
 * limits (413, 431), and arrives within request_timeout_ms (408). The
 * handler's response goes out with its status, Content-Type
 * application/pkixcmp (when it has a body or the status is 200) and
 * Content-Length; a handler error gives 500. */
CMP_API cmp_err cmp_http_server_new(cmp_http_server **out, const cmp_http_server_opts *opts);

/* cmp_http_server_port returns the port the server listens on. */
CMP_API uint16_t cmp_http_server_port(const cmp_http_server *s);

/* cmp_http_server_start starts the threads and returns. CMP_ERR_STATE if
 * already started, CMP_ERR_INTERNAL if a thread could not start (those
 * that did are stopped again). */
CMP_API cmp_err cmp_http_server_start(cmp_http_server *s);

/* cmp_http_server_stop asks the server to stop: it accepts no new
 * connections (they wait in the backlog until cmp_http_server_free closes
 * the socket), closes idle ones, and finishes the requests in flight (each
 * within its timeouts), answering them with "Connection: close". It only
 * writes one byte to a pipe, so it is async-signal-safe and may be called
 * from a signal handler or any thread, any number of times. A stopped
 * server cannot be started again. */
CMP_API void cmp_http_server_stop(cmp_http_server *s);

/* cmp_http_server_wait blocks until every thread has finished after
 * cmp_http_server_stop. Returns at once if the server was never started. */
CMP_API void cmp_http_server_wait(cmp_http_server *s);

/* cmp_http_server_free stops, waits and releases. NULL is fine. */
CMP_API void cmp_http_server_free(cmp_http_server *s);

#ifdef __cplusplus
}
#endif

#endif /* CMP_HTTP_H */
