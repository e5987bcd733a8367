/* SPDX-License-Identifier: Apache-2.0 */
/*
 * stack/http_int.h: internals of the HTTP transport (RFC 6712bis).
 *
 * Two halves:
 *  - http_parse.c: pure functions over bytes. They parse a response or a
 *    request (start line, header fields, body framing), a URL and a
 *    Content-Type. No I/O, no allocation, no POSIX: the fuzz harness and
 *    the table tests call them directly.
 *  - http_sock.c: the socket helpers of the client (http.c) and the server
 *    (http_server.c). Every wait is a poll() bounded by a deadline.
 *
 * The parsers work on "everything received so far": the I/O loop appends
 * what it reads and parses again from the start. Re-parsing costs the head
 * (bounded by max_head) plus one step per chunk, never a pass over the
 * body, so it stays cheap, and the parser needs no state across calls.
 */
#ifndef CMP_HTTP_INT_H
#define CMP_HTTP_INT_H

#include <stddef.h>
#include <stdint.h>

#include "cmp/err.h"
#include "cmp/http.h"
#include "cmp/types.h"
#include "compat.h"

/* Longest chunk-size line (size, extensions, CRLF) accepted. */
#define CMP_HTTP_MAX_CHUNK_LINE 256u
/* Most interim (1xx) responses skipped before the final one. */
#define CMP_HTTP_MAX_INTERIM 4u
/* Longest host name in a URL (RFC 1035: 253 characters and a dot). */
#define CMP_HTTP_MAX_HOST 255u
/* Longest path of a URL or of a request target the server hands over. */
#define CMP_HTTP_MAX_PATH 1024u

/* Bounds of one parse. Every one is checked before the bytes it bounds are
 * waited for, so a peer can never make the caller allocate beyond them. */
typedef struct cmp_http_limits {
    size_t max_head;    /* one head: start line, fields and the empty line */
    size_t max_fields;  /* header field lines of one head */
    size_t max_body;    /* body after removing the chunked framing */
    size_t max_framing; /* chunk-size lines and trailer section, in total */
} cmp_http_limits;

/* cmp_http_limits_default fills |lim| with the defaults of cmp/http.h and a
 * body limit of |max_body|. */
void cmp_http_limits_default(cmp_http_limits *lim, size_t max_body);

/* cmp_http_wire_max returns the most bytes a message within |lim| can take
 * on the wire (heads, body and framing), saturating at SIZE_MAX. */
size_t cmp_http_wire_max(const cmp_http_limits *lim);

typedef enum cmp_http_framing {
    CMP_HTTP_BODY_NONE = 0, /* no body: 1xx/204/304 responses, requests without one */
    CMP_HTTP_BODY_LENGTH,   /* Content-Length */
    CMP_HTTP_BODY_CHUNKED,  /* Transfer-Encoding: chunked */
    CMP_HTTP_BODY_EOF       /* a response delimited by the server closing */
} cmp_http_framing;

typedef enum cmp_http_ctype {
    CMP_HTTP_CT_NONE = 0, /* no Content-Type field */
    CMP_HTTP_CT_PKIXCMP,  /* application/pkixcmp, any case, any parameters */
    CMP_HTTP_CT_OTHER
} cmp_http_ctype;

/* What a parse learnt. Spans point into the parsed buffer. Fields are
 * filled as far as the parse got: head fields once head_len != 0, the body
 * fields once the parse returned CMP_OK. */
typedef struct cmp_http_msg {
    int status;          /* response: status code of the final response */
    int minor;           /* HTTP/1.<minor> */
    cmp_span method;     /* request: method token */
    cmp_span path;       /* request: target path, without the query */
    cmp_http_ctype ctype;
    int close;           /* the connection ends after this message */
    int expect_continue; /* request: "Expect: 100-continue" */
    int has_host;        /* request: one Host field */
    cmp_http_framing framing;
    size_t content_length; /* CMP_HTTP_BODY_LENGTH */
    size_t head_len;       /* bytes before the body (interim responses included) */
    size_t body_len;       /* body bytes, without framing */
    size_t msg_len;        /* bytes of the whole message */
    size_t need;           /* CMP_ERR_AGAIN: the buffer must hold at least this
                              many bytes before a new parse can finish (0: one
                              more byte may do) */
    int error_status;      /* request errors: the status to answer with */
} cmp_http_msg;

/* cmp_http_rsp_parse parses a response from |buf| (|len| bytes received so
 * far; |at_eof| when the server has closed). Interim 1xx responses are
 * skipped. Returns CMP_OK when a whole response is there (msg_len may be
 * less than len: the rest does not belong to it), CMP_ERR_AGAIN when more
 * bytes are needed, CMP_ERR_RSP_TOO_LARGE when a limit is exceeded, and
 * CMP_ERR_HTTP for anything malformed or unsupported (including a response
 * cut short by |at_eof|). Line ends must be CRLF: a bare LF or CR is an
 * error (RFC 9112 section 2.2 makes tolerating LF optional; we do not, so
 * that no two parsers disagree on where a field ends). */
CMP_MUST_CHECK cmp_err cmp_http_rsp_parse(cmp_http_msg *out, const uint8_t *buf, size_t len,
                                          int at_eof, const cmp_http_limits *lim);

/* cmp_http_rsp_check applies RFC 6712bis section 3 to a parsed response:
 * CMP_OK for 200 with application/pkixcmp; CMP_ERR_HTTP_CONTENT_TYPE for
 * 200 with any other or no Content-Type; CMP_ERR_HTTP_STATUS for any other
 * status. *out_has_body says whether the body is a CMP message the caller
 * should get: always with CMP_OK, and with CMP_ERR_HTTP_STATUS when the
 * body is non-empty and application/pkixcmp. */
CMP_MUST_CHECK cmp_err cmp_http_rsp_check(int *out_has_body, const cmp_http_msg *m);

/* cmp_http_req_parse parses a request from |buf|. Returns CMP_OK when the
 * whole request is there, CMP_ERR_AGAIN when more bytes are needed (with
 * head_len != 0 once the head is complete and checked, so that the caller
 * can apply method, path and Content-Type rules, and answer 100-continue,
 * before the body arrives), or an error with out->error_status set:
 * CMP_ERR_HTTP (400, 505 bad version, 501 unknown transfer coding,
 * 417 unknown expectation) or CMP_ERR_RSP_TOO_LARGE (431 head, 413 body).
 * Empty lines before the request line are skipped (RFC 9112 section 2.2). */
CMP_MUST_CHECK cmp_err cmp_http_req_parse(cmp_http_msg *out, const uint8_t *buf, size_t len,
                                          const cmp_http_limits *lim);

/* cmp_http_body_copy writes the m->body_len body bytes of a message that
 * cmp_http_rsp_parse or cmp_http_req_parse accepted from |buf| to |out|,
 * removing the chunked framing. |buf| and |m| must be those of the
 * successful parse. */
void cmp_http_body_copy(uint8_t *out, const cmp_http_msg *m, const uint8_t *buf);

/* cmp_http_ctype_of classifies a Content-Type field value (OWS already
 * trimmed): "application/pkixcmp" in any case, optionally followed by
 * parameters ("; charset=..."), is CMP_HTTP_CT_PKIXCMP. */
cmp_http_ctype cmp_http_ctype_of(const uint8_t *v, size_t len);

/* A parsed http:// URL. */
typedef struct cmp_http_url {
    char host[CMP_HTTP_MAX_HOST + 1]; /* NUL-terminated, without brackets */
    int ipv6;                         /* the host was a [bracketed] literal */
    uint16_t port;
    char path[CMP_HTTP_MAX_PATH + 1]; /* "/..." (query included), or "" */
} cmp_http_url;

/* cmp_http_url_parse parses "http://host[:port][/path[?query]]" with host a
 * name, an IPv4 literal or a bracketed IPv6 literal. The scheme is case-
 * insensitive; the port defaults to 80. Returns CMP_ERR_UNSUPPORTED for
 * another scheme (https), CMP_ERR_ARG for anything malformed: userinfo,
 * fragments, zone identifiers, bytes outside visible ASCII, port 0 or above
 * 65535, host or path too long. */
CMP_MUST_CHECK cmp_err cmp_http_url_parse(cmp_http_url *out, const char *url);

/* --- sockets (http_sock.c) ----------------------------------------------- */

/* cmp_http_now_ms returns a monotonic clock in milliseconds. */
uint64_t cmp_http_now_ms(void);

/* cmp_http_deadline returns now + |ms|. */
uint64_t cmp_http_deadline(uint32_t ms);

/* cmp_http_poll_ms returns the poll() timeout that reaches |deadline|
 * (0 once it has passed; at most INT_MAX). */
int cmp_http_poll_ms(uint64_t deadline);

/* cmp_http_connect connects to |host|:|port| (a name resolved with
 * getaddrinfo, or a numeric literal when |numeric|), trying each address
 * until |deadline|. The socket is non-blocking and close-on-exec. Returns
 * CMP_ERR_CONNECT (resolution failed, refused, unreachable) or
 * CMP_ERR_TIMEOUT. */
CMP_MUST_CHECK cmp_err cmp_http_connect(int *out_fd, const char *host, uint16_t port,
                                        int numeric, uint64_t deadline);

/* cmp_http_send_all writes |len| bytes of |a| then |b_len| of |b| (|b| may
 * be NULL) before |deadline|. CMP_ERR_CLOSED when the peer has gone,
 * CMP_ERR_TIMEOUT, CMP_ERR_IO. Never raises SIGPIPE. */
CMP_MUST_CHECK cmp_err cmp_http_send_all(int fd, const uint8_t *a, size_t len, const uint8_t *b,
                                         size_t b_len, uint64_t deadline);

/* cmp_http_recv_some waits until |deadline| for data and reads at most
 * |cap| bytes (cap > 0) into |p|. *out_n is 0 when the peer closed. Returns
 * CMP_ERR_CLOSED for a reset connection, CMP_ERR_TIMEOUT, CMP_ERR_IO. */
CMP_MUST_CHECK cmp_err cmp_http_recv_some(int fd, uint8_t *p, size_t cap, size_t *out_n,
                                          uint64_t deadline);

/* cmp_http_readable returns 1 when poll() reports |fd| readable, closed
 * or failed right now (or poll itself fails), without waiting. */
int cmp_http_readable(int fd);

/* cmp_http_set_flags makes |fd| non-blocking and close-on-exec; 0 or -1. */
int cmp_http_set_flags(int fd);

/* cmp_http_listen opens a non-blocking listening socket on |host| (numeric
 * or a name) and |port| (0: a free one), and reports the bound port. */
CMP_MUST_CHECK cmp_err cmp_http_listen(int *out_fd, uint16_t *out_port, const char *host,
                                       uint16_t port, int backlog);

/* cmp_http_accept accepts one connection on |listen_fd| and makes it
 * non-blocking and close-on-exec. Returns the socket, or -1 with errno set
 * (EAGAIN when nobody is waiting). */
int cmp_http_accept(int listen_fd);

/* cmp_http_close closes |*fd| if open and sets it to -1. */
void cmp_http_close(int *fd);

#endif /* CMP_HTTP_INT_H */
