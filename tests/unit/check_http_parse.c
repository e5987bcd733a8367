/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tests/unit/check_http_parse.c: the pure parsers of the HTTP transport
 * (stack/http_parse.c): responses, requests, Content-Type, URLs, label
 * paths. Tables of {name, bytes, expected result}, every prefix of every
 * valid vector in an exact-size heap buffer, and a seeded mutation run.
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cmp/http.h"
#include "http_int.h"
#include "testlib.h"

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* Small limits, so that the tables can reach them. */
static void test_limits(cmp_http_limits *lim)
{
    lim->max_head = 512;
    lim->max_fields = 16;
    lim->max_body = 4096;
    lim->max_framing = 1024;
}

/* parse_rsp_copy parses |raw| from an exact-size heap copy. */
static cmp_err parse_rsp_copy(cmp_http_msg *m, const char *raw, size_t len, int at_eof,
                              const cmp_http_limits *lim)
{
    uint8_t *buf = testlib_dup(raw, len);
    cmp_err err;

    ck_assert_ptr_nonnull(buf);
    err = cmp_http_rsp_parse(m, buf, len, at_eof, lim);
    free(buf);
    return err;
}

static cmp_err parse_req_copy(cmp_http_msg *m, const char *raw, size_t len,
                              const cmp_http_limits *lim)
{
    uint8_t *buf = testlib_dup(raw, len);
    cmp_err err;

    ck_assert_ptr_nonnull(buf);
    err = cmp_http_req_parse(m, buf, len, lim);
    free(buf);
    return err;
}

/* --- responses ------------------------------------------------------------- */

typedef struct rsp_vec {
    const char *name;
    const char *raw;
    size_t raw_len; /* 0: strlen(raw) */
    int at_eof;
    cmp_err want;   /* cmp_http_rsp_parse */
    int status;     /* with CMP_OK */
    const char *body;
    cmp_err check;  /* cmp_http_rsp_check, with CMP_OK */
} rsp_vec;

#define OK200 "HTTP/1.1 200 OK\r\n"
#define CT "Content-Type: application/pkixcmp\r\n"

static const rsp_vec rsp_good[] = {
    {"length", OK200 CT "Content-Length: 3\r\n\r\nabc", 0, 0, CMP_OK, 200, "abc", CMP_OK},
    {"chunked", OK200 CT "Transfer-Encoding: chunked\r\n\r\n2\r\nab\r\n1;ext=v\r\nc\r\n0\r\n"
                         "Trailer-X: y\r\n\r\n",
     0, 0, CMP_OK, 200, "abc", CMP_OK},
    {"chunked upper hex, zeros", OK200 CT "Transfer-Encoding: Chunked\r\n\r\n000A\r\n0123456789"
                                          "\r\n00\r\n\r\n",
     0, 0, CMP_OK, 200, "0123456789", CMP_OK},
    {"http 1.0", "HTTP/1.0 200 OK\r\n" CT "Content-Length: 1\r\n\r\nx", 0, 0, CMP_OK, 200, "x",
     CMP_OK},
    {"until eof", OK200 CT "\r\nabcd", 0, 1, CMP_OK, 200, "abcd", CMP_OK},
    {"interim 100", "HTTP/1.1 100 Continue\r\n\r\n" OK200 CT "Content-Length: 2\r\n\r\nhi", 0, 0,
     CMP_OK, 200, "hi", CMP_OK},
    {"204 no body", "HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\n", 0, 0, CMP_OK, 204, "",
     CMP_ERR_HTTP_STATUS},
    {"no reason", "HTTP/1.1 200\r\n" CT "Content-Length: 0\r\n\r\n", 0, 0, CMP_OK, 200, "",
     CMP_OK},
    {"empty reason", "HTTP/1.1 200 \r\n" CT "Content-Length: 0\r\n\r\n", 0, 0, CMP_OK, 200, "",
     CMP_OK},
    {"ctype case and params", OK200 "content-TYPE:  Application/PKIXCMP ; charset=binary \r\n"
                                    "content-length:1\r\n\r\nz",
     0, 0, CMP_OK, 200, "z", CMP_OK},
    {"500 with cmp body", "HTTP/1.1 500 Internal Server Error\r\n" CT "Content-Length: 2\r\n\r\ner",
     0, 0, CMP_OK, 500, "er", CMP_ERR_HTTP_STATUS},
    {"404 html", "HTTP/1.1 404 Not Found\r\nContent-Type: text/html\r\nContent-Length: 4\r\n\r\n"
                 "<p/>",
     0, 0, CMP_OK, 404, "<p/>", CMP_ERR_HTTP_STATUS},
    {"reason with obs-text", "HTTP/1.1 200 \xc3\xa9t\xc3\xa9\r\n" CT "Content-Length: 0\r\n\r\n",
     0, 0, CMP_OK, 200, "", CMP_OK},
    {"connection close", OK200 CT "Connection: keep-alive, Close\r\nContent-Length: 0\r\n\r\n", 0,
     0, CMP_OK, 200, "", CMP_OK},
    {"wrong ctype", OK200 "Content-Type: text/plain\r\nContent-Length: 0\r\n\r\n",
     0, 0, CMP_OK, 200, "", CMP_ERR_HTTP_CONTENT_TYPE},
    {"no ctype", OK200 "Content-Length: 0\r\n\r\n", 0, 0, CMP_OK, 200, "",
     CMP_ERR_HTTP_CONTENT_TYPE},
    {"poll ctype", OK200 "Content-Type: application/pkixcmp-poll\r\nContent-Length: 0\r\n\r\n", 0,
     0, CMP_OK, 200, "", CMP_ERR_HTTP_CONTENT_TYPE},
    {"ctype prefix", OK200 "Content-Type: application/pkixcmpx\r\nContent-Length: 0\r\n\r\n", 0, 0,
     CMP_OK, 200, "", CMP_ERR_HTTP_CONTENT_TYPE},
    {"201 empty", "HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n", 0, 0, CMP_OK, 201, "",
     CMP_ERR_HTTP_STATUS},
};

static const rsp_vec rsp_bad[] = {
    {"truncated status line", "HTTP/1.1 200 O", 0, 1, CMP_ERR_HTTP, 0, NULL, CMP_OK},
    {"truncated status line, more to come", "HTTP/1.1 200 O", 0, 0, CMP_ERR_AGAIN, 0, NULL,
     CMP_OK},
    {"nothing at eof", "", 0, 1, CMP_ERR_HTTP, 0, NULL, CMP_OK},
    {"version 2", "HTTP/2.0 200 OK\r\n" CT "Content-Length: 0\r\n\r\n", 0, 0, CMP_ERR_HTTP, 0, NULL,
     CMP_OK},
    {"version lowercase", "http/1.1 200 OK\r\n\r\n", 0, 0, CMP_ERR_HTTP, 0, NULL, CMP_OK},
    {"version 1.x.y", "HTTP/1.1.1 200 OK\r\n\r\n", 0, 0, CMP_ERR_HTTP, 0, NULL, CMP_OK},
    {"not http", "ICY 200 OK\r\n\r\n", 0, 0, CMP_ERR_HTTP, 0, NULL, CMP_OK},
    {"two digit status", "HTTP/1.1 99 OK\r\n\r\n", 0, 0, CMP_ERR_HTTP, 0, NULL, CMP_OK},
    {"status 600", "HTTP/1.1 600 X\r\n\r\n", 0, 0, CMP_ERR_HTTP, 0, NULL, CMP_OK},
    {"status 099", "HTTP/1.1 099 X\r\n\r\n", 0, 0, CMP_ERR_HTTP, 0, NULL, CMP_OK},
    {"status letters", "HTTP/1.1 2OO OK\r\n\r\n", 0, 0, CMP_ERR_HTTP, 0, NULL, CMP_OK},
    {"no space after status", "HTTP/1.1 200OK\r\n\r\n", 0, 0, CMP_ERR_HTTP, 0, NULL, CMP_OK},
    {"two spaces after version", "HTTP/1.1  200 OK\r\n\r\n", 0, 0, CMP_ERR_HTTP, 0, NULL, CMP_OK},
    {"control in reason", "HTTP/1.1 200 O\x01K\r\n\r\n", 0, 0, CMP_ERR_HTTP, 0, NULL, CMP_OK},
    {"length above limit", OK200 CT "Content-Length: 4097\r\n\r\n", 0, 0, CMP_ERR_RSP_TOO_LARGE, 0,
     NULL, CMP_OK},
    {"huge length", OK200 CT "Content-Length: 99999999999\r\n\r\n", 0, 0, CMP_ERR_RSP_TOO_LARGE, 0,
     NULL, CMP_OK},
    {"overflowing length", OK200 CT "Content-Length: 184467440737095516170\r\n\r\n", 0, 0,
     CMP_ERR_RSP_TOO_LARGE, 0, NULL, CMP_OK},
    {"negative length", OK200 CT "Content-Length: -1\r\n\r\n", 0, 0, CMP_ERR_HTTP, 0, NULL, CMP_OK},
    {"plus length", OK200 CT "Content-Length: +3\r\n\r\nabc", 0, 0, CMP_ERR_HTTP, 0, NULL, CMP_OK},
    {"hex length", OK200 CT "Content-Length: 0x3\r\n\r\nabc", 0, 0, CMP_ERR_HTTP, 0, NULL, CMP_OK},
    {"empty length", OK200 CT "Content-Length:\r\n\r\n", 0, 0, CMP_ERR_HTTP, 0, NULL, CMP_OK},
    {"length list", OK200 CT "Content-Length: 3, 3\r\n\r\nabc", 0, 0,
     CMP_ERR_HTTP, 0, NULL, CMP_OK},
    {"length inner space", OK200 CT "Content-Length: 1 2\r\n\r\n", 0, 0, CMP_ERR_HTTP, 0, NULL,
     CMP_OK},
    {"two lengths", OK200 CT "Content-Length: 3\r\nContent-Length: 3\r\n\r\nabc", 0, 0,
     CMP_ERR_HTTP, 0, NULL, CMP_OK},
    {"length and chunked", OK200 CT "Content-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n"
                                    "3\r\nabc\r\n0\r\n\r\n",
     0, 0, CMP_ERR_HTTP, 0, NULL, CMP_OK},
    {"chunked and length", OK200 CT "Transfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n"
                                    "3\r\nabc\r\n0\r\n\r\n",
     0, 0, CMP_ERR_HTTP, 0, NULL, CMP_OK},
    {"gzip", OK200 CT "Transfer-Encoding: gzip\r\n\r\nxx", 0, 0, CMP_ERR_HTTP, 0, NULL, CMP_OK},
    {"gzip, chunked", OK200 CT "Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n", 0, 0,
     CMP_ERR_HTTP, 0, NULL, CMP_OK},
    {"chunked twice", OK200 CT "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n"
                               "0\r\n\r\n",
     0, 0, CMP_ERR_HTTP, 0, NULL, CMP_OK},
    {"chunked in 1.0", "HTTP/1.0 200 OK\r\n" CT "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 0, 0,
     CMP_ERR_HTTP, 0, NULL, CMP_OK},
    {"chunk size not hex", OK200 CT "Transfer-Encoding: chunked\r\n\r\nxyz\r\n", 0, 0, CMP_ERR_HTTP,
     0, NULL, CMP_OK},
    {"chunk size empty", OK200 CT "Transfer-Encoding: chunked\r\n\r\n\r\n", 0, 0, CMP_ERR_HTTP, 0,
     NULL, CMP_OK},
    {"chunk size negative", OK200 CT "Transfer-Encoding: chunked\r\n\r\n-1\r\n", 0, 0,
     CMP_ERR_HTTP, 0, NULL, CMP_OK},
    {"chunk size 0x", OK200 CT "Transfer-Encoding: chunked\r\n\r\n0x3\r\nabc\r\n0\r\n\r\n", 0, 0,
     CMP_ERR_HTTP, 0, NULL, CMP_OK},
    {"chunk size junk", OK200 CT "Transfer-Encoding: chunked\r\n\r\n3 x\r\nabc\r\n0\r\n\r\n", 0, 0,
     CMP_ERR_HTTP, 0, NULL, CMP_OK},
    {"chunk size overflow", OK200 CT "Transfer-Encoding: chunked\r\n\r\n"
                                     "10000000000000000000000001\r\n",
     0, 0, CMP_ERR_RSP_TOO_LARGE, 0, NULL, CMP_OK},
    {"chunk line too long", OK200 CT "Transfer-Encoding: chunked\r\n\r\n1;"
     "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
     "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
     "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
     "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
     0, 0, CMP_ERR_RSP_TOO_LARGE, 0, NULL, CMP_OK},
    {"chunk above limit", OK200 CT "Transfer-Encoding: chunked\r\n\r\n1001\r\n", 0, 0,
     CMP_ERR_RSP_TOO_LARGE, 0, NULL, CMP_OK},
    {"chunk without crlf", OK200 CT "Transfer-Encoding: chunked\r\n\r\n3\r\nabcd\r\n0\r\n\r\n",
     0, 0, CMP_ERR_HTTP, 0, NULL, CMP_OK},
    {"chunk line lf", OK200 CT "Transfer-Encoding: chunked\r\n\r\n3\nabc\r\n0\r\n\r\n", 0, 0,
     CMP_ERR_HTTP, 0, NULL, CMP_OK},
    {"chunk line cr", OK200 CT "Transfer-Encoding: chunked\r\n\r\n3\rabc\r\n0\r\n\r\n", 0, 0,
     CMP_ERR_HTTP, 0, NULL, CMP_OK},
    {"chunk ext control", OK200 CT "Transfer-Encoding: chunked\r\n\r\n3;a\x01\r\nabc\r\n0\r\n\r\n",
     0, 0, CMP_ERR_HTTP, 0, NULL, CMP_OK},
    {"bad trailer", OK200 CT "Transfer-Encoding: chunked\r\n\r\n0\r\nno colon\r\n\r\n", 0, 0,
     CMP_ERR_HTTP, 0, NULL, CMP_OK},
    {"chunked cut at eof", OK200 CT "Transfer-Encoding: chunked\r\n\r\n3\r\nab", 0, 1, CMP_ERR_HTTP,
     0, NULL, CMP_OK},
    {"chunked no trailer end at eof", OK200 CT "Transfer-Encoding: chunked\r\n\r\n0\r\n", 0, 1,
     CMP_ERR_HTTP, 0, NULL, CMP_OK},
    {"length cut at eof", OK200 CT "Content-Length: 10\r\n\r\nabc", 0, 1, CMP_ERR_HTTP, 0, NULL,
     CMP_OK},
    {"lf only", "HTTP/1.1 200 OK\n" CT "Content-Length: 0\n\n", 0, 0, CMP_ERR_HTTP, 0, NULL,
     CMP_OK},
    {"lf only, all", "HTTP/1.1 200 OK\nContent-Length: 0\n\n", 0, 0, CMP_ERR_HTTP, 0, NULL, CMP_OK},
    {"lf ends head", OK200 CT "Content-Length: 0\r\n\n", 0, 0, CMP_ERR_HTTP, 0, NULL, CMP_OK},
    {"bare cr in field", OK200 "X-A: a\rb\r\n" CT "Content-Length: 0\r\n\r\n",
     0, 0, CMP_ERR_HTTP, 0,
     NULL, CMP_OK},
    {"obs-fold", OK200 CT "X-A: a\r\n b\r\nContent-Length: 0\r\n\r\n", 0, 0, CMP_ERR_HTTP, 0, NULL,
     CMP_OK},
    {"space before first field", OK200 " " CT "Content-Length: 0\r\n\r\n", 0, 0, CMP_ERR_HTTP, 0,
     NULL, CMP_OK},
    {"space before colon", OK200 "Content-Length : 0\r\n" CT "\r\n", 0, 0, CMP_ERR_HTTP, 0, NULL,
     CMP_OK},
    {"no colon", OK200 "Content-Length 0\r\n" CT "\r\n", 0, 0, CMP_ERR_HTTP, 0, NULL, CMP_OK},
    {"empty name", OK200 ": x\r\n" CT "Content-Length: 0\r\n\r\n", 0, 0, CMP_ERR_HTTP, 0, NULL,
     CMP_OK},
    {"nul in value", OK200 "X-A: a\0b\r\n" CT "Content-Length: 0\r\n\r\n",
     sizeof(OK200 "X-A: a\0b\r\n" CT "Content-Length: 0\r\n\r\n") - 1, 0, CMP_ERR_HTTP, 0, NULL,
     CMP_OK},
    {"del in value", OK200 "X-A: a\x7f\r\n" CT "Content-Length: 0\r\n\r\n", 0, 0, CMP_ERR_HTTP, 0,
     NULL, CMP_OK},
    {"two content types", OK200 CT CT "Content-Length: 0\r\n\r\n", 0, 0, CMP_ERR_HTTP, 0, NULL,
     CMP_OK},
    {"101 switch", "HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\n\r\n", 0, 0, CMP_ERR_HTTP,
     0, NULL, CMP_OK},
    {"too many interim", "HTTP/1.1 100 A\r\n\r\nHTTP/1.1 100 A\r\n\r\nHTTP/1.1 100 A\r\n\r\n"
                         "HTTP/1.1 100 A\r\n\r\nHTTP/1.1 100 A\r\n\r\n" OK200 CT
                         "Content-Length: 0\r\n\r\n",
     0, 0, CMP_ERR_HTTP, 0, NULL, CMP_OK},
    {"empty start line", "\r\n" OK200 CT "Content-Length: 0\r\n\r\n", 0, 0, CMP_ERR_HTTP, 0, NULL,
     CMP_OK},
};

static void check_rsp_vec(const rsp_vec *v, const cmp_http_limits *lim)
{
    size_t len = v->raw_len != 0 ? v->raw_len : strlen(v->raw);
    uint8_t *buf = testlib_dup(v->raw, len), *body;
    cmp_http_msg m;
    cmp_err err;
    int has_body = -1;

    ck_assert_ptr_nonnull(buf);
    err = cmp_http_rsp_parse(&m, buf, len, v->at_eof, lim);
    ck_assert_msg(err == v->want, "%s: got %s, want %s", v->name, cmp_err_name(err),
                  cmp_err_name(v->want));
    if (err == CMP_OK) {
        ck_assert_int_eq(m.status, v->status);
        ck_assert_uint_eq(m.msg_len, len);
        ck_assert_uint_eq(m.body_len, strlen(v->body));
        body = malloc(m.body_len + 1);
        ck_assert_ptr_nonnull(body);
        cmp_http_body_copy(body, &m, buf);
        ck_assert(memcmp(body, v->body, m.body_len) == 0);
        free(body);
        ck_assert_msg(cmp_http_rsp_check(&has_body, &m) == v->check, "%s: check", v->name);
        ck_assert_int_eq(has_body, v->check == CMP_OK ||
                                       (m.ctype == CMP_HTTP_CT_PKIXCMP && m.body_len > 0));
    }
    free(buf);
}

START_TEST(test_rsp_parse_good)
{
    cmp_http_limits lim;

    test_limits(&lim);
    check_rsp_vec(&rsp_good[_i], &lim);
}
END_TEST

START_TEST(test_rsp_parse_bad)
{
    cmp_http_limits lim;

    test_limits(&lim);
    check_rsp_vec(&rsp_bad[_i], &lim);
}
END_TEST

/* Every prefix of every valid response, in an exact-size heap buffer:
 * CMP_ERR_AGAIN while the server may send more, an error once it closed;
 * the whole vector plus one byte parses and leaves that byte over. */
START_TEST(test_rsp_parse_prefixes)
{
    const rsp_vec *v = &rsp_good[_i];
    size_t len = v->raw_len != 0 ? v->raw_len : strlen(v->raw), k;
    cmp_http_limits lim;
    cmp_http_msg m;
    char *plus;

    test_limits(&lim);
    if (v->at_eof) {
        return; /* delimited by the close: a prefix is a whole response */
    }
    for (k = 0; k < len; k++) {
        ck_assert_msg(parse_rsp_copy(&m, v->raw, k, 0, &lim) == CMP_ERR_AGAIN, "%s: %zu", v->name,
                      k);
        ck_assert_msg(parse_rsp_copy(&m, v->raw, k, 1, &lim) == CMP_ERR_HTTP, "%s: eof %zu",
                      v->name, k);
    }
    plus = malloc(len + 1);
    ck_assert_ptr_nonnull(plus);
    memcpy(plus, v->raw, len);
    plus[len] = 'X';
    ck_assert_int_eq(parse_rsp_copy(&m, plus, len + 1, 0, &lim), CMP_OK);
    ck_assert_uint_eq(m.msg_len, len);
    free(plus);
}
END_TEST

/* need tells how far a known body reaches, and never beyond the limits. */
START_TEST(test_rsp_parse_need)
{
    static const char raw[] = OK200 CT "Content-Length: 100\r\n\r\nab";
    static const char chunked[] = OK200 CT "Transfer-Encoding: chunked\r\n\r\n10\r\nab";
    cmp_http_limits lim;
    cmp_http_msg m;

    test_limits(&lim);
    ck_assert_int_eq(parse_rsp_copy(&m, raw, sizeof(raw) - 1, 0, &lim), CMP_ERR_AGAIN);
    ck_assert_uint_eq(m.need, sizeof(raw) - 1 - 2 + 100);
    ck_assert_int_eq(parse_rsp_copy(&m, chunked, sizeof(chunked) - 1, 0, &lim), CMP_ERR_AGAIN);
    ck_assert_uint_eq(m.need, sizeof(chunked) - 1 - 2 + 16 + 2);
    ck_assert_uint_le(m.need, cmp_http_wire_max(&lim));
}
END_TEST

/* The body of a response delimited by the close may not exceed the limit. */
START_TEST(test_rsp_parse_eof_too_large)
{
    cmp_http_limits lim;
    cmp_http_msg m;
    size_t head = strlen(OK200 CT "\r\n"), len = head + 4097;
    char *raw = malloc(len);

    test_limits(&lim);
    ck_assert_ptr_nonnull(raw);
    memcpy(raw, OK200 CT "\r\n", head);
    memset(raw + head, 'a', len - head);
    ck_assert_int_eq(parse_rsp_copy(&m, raw, len, 0, &lim), CMP_ERR_RSP_TOO_LARGE);
    ck_assert_int_eq(parse_rsp_copy(&m, raw, len - 1, 1, &lim), CMP_OK);
    ck_assert_uint_eq(m.body_len, 4096);
    free(raw);
}
END_TEST

/* Chunks that fit one by one but not together. */
START_TEST(test_rsp_parse_chunks_add_up)
{
    cmp_http_limits lim;
    cmp_http_msg m;
    char *raw = malloc(8192);
    size_t len;

    test_limits(&lim);
    ck_assert_ptr_nonnull(raw);
    strcpy(raw, OK200 CT "Transfer-Encoding: chunked\r\n\r\n800\r\n");
    len = strlen(raw);
    memset(raw + len, 'a', 0x800);
    len += 0x800;
    memcpy(raw + len, "\r\n800\r\n", 7);
    len += 7;
    memset(raw + len, 'b', 0x800);
    len += 0x800;
    memcpy(raw + len, "\r\n0\r\n\r\n", 7);
    ck_assert_int_eq(parse_rsp_copy(&m, raw, len + 7, 0, &lim), CMP_OK);
    ck_assert_uint_eq(m.body_len, 4096);
    memcpy(raw + len, "\r\n1\r\n", 5);
    ck_assert_int_eq(parse_rsp_copy(&m, raw, len + 5, 0, &lim), CMP_ERR_RSP_TOO_LARGE);
    free(raw);
}
END_TEST

/* Many small chunks: the framing budget ends them. */
START_TEST(test_rsp_parse_framing_budget)
{
    cmp_http_limits lim;
    cmp_http_msg m;
    char *raw = malloc(8192);
    size_t len;

    test_limits(&lim);
    ck_assert_ptr_nonnull(raw);
    strcpy(raw, OK200 CT "Transfer-Encoding: chunked\r\n\r\n");
    len = strlen(raw);
    while (len + 6 < 8192) {
        memcpy(raw + len, "1\r\na\r\n", 6);
        len += 6;
    }
    ck_assert_int_eq(parse_rsp_copy(&m, raw, len, 0, &lim), CMP_ERR_RSP_TOO_LARGE);
    free(raw);
}
END_TEST

/* A head larger than max_head, and one with too many fields. */
START_TEST(test_rsp_parse_head_limits)
{
    cmp_http_limits lim;
    cmp_http_msg m;
    char raw[2048];
    size_t i, len;

    test_limits(&lim);
    /* one long field: the head never ends within max_head */
    strcpy(raw, OK200 "X-Long: ");
    len = strlen(raw);
    memset(raw + len, 'a', 600);
    len += 600;
    ck_assert_int_eq(parse_rsp_copy(&m, raw, len, 0, &lim), CMP_ERR_RSP_TOO_LARGE);
    ck_assert_int_eq(parse_rsp_copy(&m, raw, lim.max_head, 0, &lim), CMP_ERR_RSP_TOO_LARGE);
    ck_assert_int_eq(parse_rsp_copy(&m, raw, lim.max_head - 1, 0, &lim), CMP_ERR_AGAIN);
    /* max_fields + 1 short fields */
    strcpy(raw, OK200);
    for (i = 0; i < lim.max_fields; i++) {
        strcat(raw, "A: b\r\n");
    }
    strcat(raw, "Content-Length: 0\r\n\r\n");
    ck_assert_int_eq(parse_rsp_copy(&m, raw, strlen(raw), 0, &lim), CMP_ERR_RSP_TOO_LARGE);
    /* exactly max_fields is fine */
    strcpy(raw, OK200 CT);
    for (i = 0; i + 2 < lim.max_fields; i++) {
        strcat(raw, "A: b\r\n");
    }
    strcat(raw, "Content-Length: 0\r\n\r\n");
    ck_assert_int_eq(parse_rsp_copy(&m, raw, strlen(raw), 0, &lim), CMP_OK);
}
END_TEST

START_TEST(test_rsp_parse_args)
{
    cmp_http_limits lim;
    cmp_http_msg m;

    test_limits(&lim);
    ck_assert_int_eq(cmp_http_rsp_parse(NULL, (const uint8_t *)"", 0, 0, &lim), CMP_ERR_ARG);
    ck_assert_int_eq(cmp_http_rsp_parse(&m, NULL, 1, 0, &lim), CMP_ERR_ARG);
    ck_assert_int_eq(cmp_http_rsp_parse(&m, (const uint8_t *)"", 0, 0, NULL), CMP_ERR_ARG);
    ck_assert_int_eq(cmp_http_rsp_parse(&m, NULL, 0, 0, &lim), CMP_ERR_AGAIN);
    ck_assert_int_eq(cmp_http_req_parse(NULL, (const uint8_t *)"", 0, &lim), CMP_ERR_ARG);
    ck_assert_int_eq(cmp_http_req_parse(&m, NULL, 1, &lim), CMP_ERR_ARG);
}
END_TEST

/* --- requests -------------------------------------------------------------- */

typedef struct req_vec {
    const char *name;
    const char *raw;
    cmp_err want;
    int error_status; /* with an error */
    const char *path; /* with CMP_OK, or CMP_ERR_AGAIN after the head */
    const char *body; /* with CMP_OK */
} req_vec;

#define POST "POST /.well-known/cmp HTTP/1.1\r\nHost: ca\r\n" CT

static const req_vec req_good[] = {
    {"length", POST "Content-Length: 3\r\n\r\nabc", CMP_OK, 0, "/.well-known/cmp", "abc"},
    {"chunked", POST "Transfer-Encoding: chunked\r\n\r\n1\r\na\r\n2\r\nbc\r\n0\r\n\r\n", CMP_OK, 0,
     "/.well-known/cmp", "abc"},
    {"leading crlf", "\r\n\r\n" POST "Content-Length: 1\r\n\r\nx", CMP_OK, 0, "/.well-known/cmp",
     "x"},
    {"absolute form", "POST http://ca:80/.well-known/cmp/p/x?a=b HTTP/1.1\r\nHost: ca:80\r\n" CT
                      "Content-Length: 1\r\n\r\nx",
     CMP_OK, 0, "/.well-known/cmp/p/x", "x"},
    {"absolute form no path", "POST http://ca HTTP/1.1\r\nHost: ca\r\n" CT
                              "Content-Length: 1\r\n\r\nx",
     CMP_OK, 0, "/", "x"},
    {"query", "POST /c?x=/y HTTP/1.1\r\nHost: ca\r\n" CT "Content-Length: 0\r\n\r\n", CMP_OK, 0,
     "/c", ""},
    {"http 1.0 no host", "POST /c HTTP/1.0\r\n" CT "Content-Length: 1\r\n\r\nx", CMP_OK, 0, "/c",
     "x"},
    {"get", "GET /c HTTP/1.1\r\nHost: ca\r\n\r\n", CMP_OK, 0, "/c", ""},
    {"expect", POST "Expect: 100-Continue\r\nContent-Length: 3\r\n\r\nabc", CMP_OK, 0,
     "/.well-known/cmp", "abc"},
};

static const req_vec req_bad[] = {
    {"no host", "POST /c HTTP/1.1\r\n" CT "Content-Length: 0\r\n\r\n",
     CMP_ERR_HTTP, 400, NULL, NULL},
    {"two hosts", "POST /c HTTP/1.1\r\nHost: a\r\nHost: b\r\n" CT "Content-Length: 0\r\n\r\n",
     CMP_ERR_HTTP, 400, NULL, NULL},
    {"two hosts 1.0", "POST /c HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n",
     CMP_ERR_HTTP, 400, NULL, NULL},
    {"version 2", "POST /c HTTP/2.0\r\nHost: a\r\n\r\n", CMP_ERR_HTTP, 505, NULL, NULL},
    {"version lowercase", "POST /c http/1.1\r\nHost: a\r\n\r\n", CMP_ERR_HTTP, 400, NULL, NULL},
    {"version missing", "POST /c\r\nHost: a\r\n\r\n", CMP_ERR_HTTP, 400, NULL, NULL},
    {"double space", "POST  /c HTTP/1.1\r\nHost: a\r\n\r\n", CMP_ERR_HTTP, 400, NULL, NULL},
    {"trailing space", "POST /c HTTP/1.1 \r\nHost: a\r\n\r\n", CMP_ERR_HTTP, 400, NULL, NULL},
    {"asterisk", "OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n", CMP_ERR_HTTP, 400, NULL, NULL},
    {"authority form", "CONNECT ca:443 HTTP/1.1\r\nHost: a\r\n\r\n", CMP_ERR_HTTP, 400, NULL, NULL},
    {"fragment", "POST /c#x HTTP/1.1\r\nHost: a\r\n\r\n", CMP_ERR_HTTP, 400, NULL, NULL},
    {"control in target", "POST /c\x01 HTTP/1.1\r\nHost: a\r\n\r\n", CMP_ERR_HTTP, 400, NULL, NULL},
    {"bad method", "PO(ST /c HTTP/1.1\r\nHost: a\r\n\r\n", CMP_ERR_HTTP, 400, NULL, NULL},
    {"length too large", POST "Content-Length: 4097\r\n\r\n",
     CMP_ERR_RSP_TOO_LARGE, 413, NULL, NULL},
    {"length overflow", POST "Content-Length: 99999999999999999999999\r\n\r\n",
     CMP_ERR_RSP_TOO_LARGE, 413, NULL, NULL},
    {"length negative", POST "Content-Length: -5\r\n\r\n", CMP_ERR_HTTP, 400, NULL, NULL},
    {"two lengths", POST "Content-Length: 1\r\nContent-Length: 1\r\n\r\nx",
     CMP_ERR_HTTP, 400, NULL, NULL},
    {"chunk too large", POST "Transfer-Encoding: chunked\r\n\r\n1001\r\n", CMP_ERR_RSP_TOO_LARGE,
     413, NULL, NULL},
    {"chunk size bad", POST "Transfer-Encoding: chunked\r\n\r\nz\r\n",
     CMP_ERR_HTTP, 400, NULL, NULL},
    {"chunk overflow", POST "Transfer-Encoding: chunked\r\n\r\nffffffffffffffffffffff\r\n",
     CMP_ERR_RSP_TOO_LARGE, 413, NULL, NULL},
    {"gzip", POST "Transfer-Encoding: gzip\r\n\r\n", CMP_ERR_HTTP, 501, NULL, NULL},
    {"length and chunked", POST "Content-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n",
     CMP_ERR_HTTP, 400, NULL, NULL},
    {"expect other", POST "Expect: 200-ok\r\nContent-Length: 0\r\n\r\n",
     CMP_ERR_HTTP, 417, NULL, NULL},
    {"lf only", "POST /c HTTP/1.1\nHost: a\n\n", CMP_ERR_HTTP, 400, NULL, NULL},
    {"bare cr", "POST /c HTTP/1.1\rHost: a\r\n\r\n", CMP_ERR_HTTP, 400, NULL, NULL},
    {"obs-fold", POST "X: a\r\n b\r\nContent-Length: 0\r\n\r\n", CMP_ERR_HTTP, 400, NULL, NULL},
    {"space before colon", POST "Content-Length : 0\r\n\r\n", CMP_ERR_HTTP, 400, NULL, NULL},
    {"control in value", POST "X: a\x02\r\nContent-Length: 0\r\n\r\n",
     CMP_ERR_HTTP, 400, NULL, NULL},
    {"bad chunk end", POST "Transfer-Encoding: chunked\r\n\r\n1\r\nab\r\n0\r\n\r\n", CMP_ERR_HTTP,
     400, NULL, NULL},
    {"incomplete", POST "Content-Length: 3\r\n\r\nab", CMP_ERR_AGAIN, 0, "/.well-known/cmp", NULL},
    {"incomplete head", POST "Content-Len", CMP_ERR_AGAIN, 0, NULL, NULL},
};

static void check_req_vec(const req_vec *v, const cmp_http_limits *lim)
{
    size_t len = strlen(v->raw);
    uint8_t *buf = testlib_dup(v->raw, len), *body;
    cmp_http_msg m;
    cmp_err err;

    ck_assert_ptr_nonnull(buf);
    err = cmp_http_req_parse(&m, buf, len, lim);
    ck_assert_msg(err == v->want, "%s: got %s, want %s", v->name, cmp_err_name(err),
                  cmp_err_name(v->want));
    if (err != CMP_OK && err != CMP_ERR_AGAIN) {
        ck_assert_msg(m.error_status == v->error_status, "%s: status %d", v->name,
                      m.error_status);
        ck_assert_uint_eq(m.head_len, 0);
    }
    if (v->path != NULL) {
        ck_assert_uint_ne(m.head_len, 0);
        ck_assert_uint_eq(m.path.len, strlen(v->path));
        ck_assert(memcmp(m.path.data, v->path, m.path.len) == 0);
    } else if (err == CMP_ERR_AGAIN) {
        ck_assert_uint_eq(m.head_len, 0);
    }
    if (err == CMP_OK) {
        ck_assert_uint_eq(m.msg_len, len);
        ck_assert_uint_eq(m.body_len, strlen(v->body));
        body = malloc(m.body_len + 1);
        ck_assert_ptr_nonnull(body);
        cmp_http_body_copy(body, &m, buf);
        ck_assert(memcmp(body, v->body, m.body_len) == 0);
        free(body);
    }
    free(buf);
}

START_TEST(test_req_parse_good)
{
    cmp_http_limits lim;

    test_limits(&lim);
    check_req_vec(&req_good[_i], &lim);
}
END_TEST

START_TEST(test_req_parse_bad)
{
    cmp_http_limits lim;

    test_limits(&lim);
    check_req_vec(&req_bad[_i], &lim);
}
END_TEST

START_TEST(test_req_parse_prefixes)
{
    const req_vec *v = &req_good[_i];
    size_t len = strlen(v->raw), k;
    cmp_http_limits lim;
    cmp_http_msg m;
    char *plus;

    test_limits(&lim);
    for (k = 0; k < len; k++) {
        ck_assert_msg(parse_req_copy(&m, v->raw, k, &lim) == CMP_ERR_AGAIN, "%s: %zu", v->name, k);
    }
    plus = malloc(len + 1);
    ck_assert_ptr_nonnull(plus);
    memcpy(plus, v->raw, len);
    plus[len] = 'P';
    ck_assert_int_eq(parse_req_copy(&m, plus, len + 1, &lim), CMP_OK);
    ck_assert_uint_eq(m.msg_len, len);
    free(plus);
}
END_TEST

/* What the server needs from the head before the body is there. */
START_TEST(test_req_parse_head_fields)
{
    static const char raw[] = "POST /x HTTP/1.1\r\nHost: a\r\nConnection: close\r\n"
                              "Expect: 100-continue\r\nContent-Type: text/plain\r\n"
                              "Content-Length: 10\r\n\r\n";
    static const char v10[] = "POST /x HTTP/1.0\r\n\r\n";
    cmp_http_limits lim;
    cmp_http_msg m;

    test_limits(&lim);
    ck_assert_int_eq(parse_req_copy(&m, raw, sizeof(raw) - 1, &lim), CMP_ERR_AGAIN);
    ck_assert_uint_eq(m.head_len, sizeof(raw) - 1);
    ck_assert_int_eq(m.close, 1);
    ck_assert_int_eq(m.expect_continue, 1);
    ck_assert_int_eq(m.ctype, CMP_HTTP_CT_OTHER);
    ck_assert_int_eq(m.framing, CMP_HTTP_BODY_LENGTH);
    ck_assert_uint_eq(m.need, sizeof(raw) - 1 + 10);
    ck_assert_uint_eq(m.method.len, 4);
    ck_assert_int_eq(parse_req_copy(&m, v10, sizeof(v10) - 1, &lim), CMP_OK);
    ck_assert_int_eq(m.close, 1);
    ck_assert_int_eq(m.ctype, CMP_HTTP_CT_NONE);
    ck_assert_int_eq(m.framing, CMP_HTTP_BODY_NONE);
}
END_TEST

START_TEST(test_req_parse_head_limits)
{
    cmp_http_limits lim;
    cmp_http_msg m;
    char raw[2048];
    size_t i;

    test_limits(&lim);
    strcpy(raw, "POST /c HTTP/1.1\r\nHost: a\r\nX: ");
    i = strlen(raw);
    memset(raw + i, 'a', 600);
    ck_assert_int_eq(parse_req_copy(&m, raw, i + 600, &lim), CMP_ERR_RSP_TOO_LARGE);
    ck_assert_int_eq(m.error_status, 431);
    strcpy(raw, "POST /c HTTP/1.1\r\nHost: a\r\n");
    for (i = 0; i < lim.max_fields; i++) {
        strcat(raw, "A: b\r\n");
    }
    strcat(raw, "\r\n");
    ck_assert_int_eq(parse_req_copy(&m, raw, strlen(raw), &lim), CMP_ERR_RSP_TOO_LARGE);
    ck_assert_int_eq(m.error_status, 431);
    /* a length after too many fields is still a head problem */
    strcpy(raw, "POST /c HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\n");
    for (i = 0; i < lim.max_fields; i++) {
        strcat(raw, "A: b\r\n");
    }
    strcat(raw, "\r\n");
    ck_assert_int_eq(parse_req_copy(&m, raw, strlen(raw), &lim), CMP_ERR_RSP_TOO_LARGE);
    ck_assert_int_eq(m.error_status, 431);
    /* empty lines before the request line count against the head */
    memset(raw, 0, sizeof(raw));
    for (i = 0; i + 2 <= lim.max_head; i += 2) {
        memcpy(raw + i, "\r\n", 2);
    }
    ck_assert_int_eq(parse_req_copy(&m, raw, i, &lim), CMP_ERR_RSP_TOO_LARGE);
    ck_assert_int_eq(m.error_status, 431);
}
END_TEST

/* --- mutations ------------------------------------------------------------- */

/* A seeded run of byte mutations over the valid vectors: no crash, no read
 * out of bounds (ASan, valgrind), and results stay in their sets. */
START_TEST(test_parse_mutations)
{
    uint32_t seed = 12345u;
    cmp_http_limits lim;
    size_t round;

    test_limits(&lim);
    for (round = 0; round < 20000; round++) {
        int is_rsp = (round & 1) == 0;
        size_t idx = round / 2, len, j, trim;
        const char *raw;
        uint8_t *buf, *body;
        cmp_http_msg m;
        cmp_err err;

        raw = is_rsp ? rsp_good[idx % N(rsp_good)].raw : req_good[idx % N(req_good)].raw;
        len = strlen(raw);
        buf = testlib_dup(raw, len);
        ck_assert_ptr_nonnull(buf);
        for (j = 0; j < 3; j++) {
            seed = seed * 1103515245u + 12345u;
            buf[(seed >> 8) % len] = (uint8_t)(seed >> 20);
        }
        seed = seed * 1103515245u + 12345u;
        trim = (seed >> 16) % 4;
        len -= trim < len ? trim : 0;
        err = is_rsp ? cmp_http_rsp_parse(&m, buf, len, (int)(seed & 1), &lim)
                     : cmp_http_req_parse(&m, buf, len, &lim);
        ck_assert(err == CMP_OK || err == CMP_ERR_AGAIN || err == CMP_ERR_HTTP ||
                  err == CMP_ERR_RSP_TOO_LARGE);
        if (err == CMP_OK) {
            ck_assert_uint_le(m.msg_len, len);
            ck_assert_uint_le(m.body_len, lim.max_body);
            body = malloc(m.body_len + 1);
            ck_assert_ptr_nonnull(body);
            cmp_http_body_copy(body, &m, buf);
            free(body);
        }
        free(buf);
    }
}
END_TEST

/* --- Content-Type ---------------------------------------------------------- */

typedef struct ct_vec {
    const char *value;
    cmp_http_ctype want;
} ct_vec;

static const ct_vec ct_vecs[] = {
    {"application/pkixcmp", CMP_HTTP_CT_PKIXCMP},
    {"APPLICATION/PKIXCMP", CMP_HTTP_CT_PKIXCMP},
    {"application/pkixcmp;", CMP_HTTP_CT_PKIXCMP},
    {"application/pkixcmp ; a=b", CMP_HTTP_CT_PKIXCMP},
    {"  application/pkixcmp\t", CMP_HTTP_CT_PKIXCMP},
    {"application/pkixcmp-poll", CMP_HTTP_CT_OTHER},
    {"application/pkixcmpx", CMP_HTTP_CT_OTHER},
    {"application/pkix", CMP_HTTP_CT_OTHER},
    {"application/ pkixcmp", CMP_HTTP_CT_OTHER},
    {"application/pkixcmp x", CMP_HTTP_CT_OTHER},
    {"application/octet-stream", CMP_HTTP_CT_OTHER},
    {"", CMP_HTTP_CT_OTHER},
};

START_TEST(test_ctype_of)
{
    const ct_vec *v = &ct_vecs[_i];

    ck_assert_msg(cmp_http_ctype_of((const uint8_t *)v->value, strlen(v->value)) == v->want,
                  "%s", v->value);
}
END_TEST

/* --- URLs and labels ------------------------------------------------------- */

typedef struct url_vec {
    const char *url;
    cmp_err want;
    const char *host;
    uint16_t port;
    const char *path;
    int ipv6;
} url_vec;

static const url_vec url_vecs[] = {
    {"http://example.com", CMP_OK, "example.com", 80, "", 0},
    {"HTTP://Example.COM/", CMP_OK, "Example.COM", 80, "/", 0},
    {"http://127.0.0.1:8080/.well-known/cmp", CMP_OK, "127.0.0.1", 8080, "/.well-known/cmp", 0},
    {"http://[::1]:1234/x?y=z", CMP_OK, "::1", 1234, "/x?y=z", 1},
    {"http://[2001:db8::7]", CMP_OK, "2001:db8::7", 80, "", 1},
    {"http://[::ffff:192.0.2.1]:65535/a", CMP_OK, "::ffff:192.0.2.1", 65535, "/a", 1},
    {"http://ca_1.example:1/p", CMP_OK, "ca_1.example", 1, "/p", 0},
    {"https://ca.example/", CMP_ERR_UNSUPPORTED, NULL, 0, NULL, 0},
    {"coap://ca.example/", CMP_ERR_UNSUPPORTED, NULL, 0, NULL, 0},
    {"ca.example", CMP_ERR_ARG, NULL, 0, NULL, 0},
    {"://ca.example", CMP_ERR_ARG, NULL, 0, NULL, 0},
    {"http:/ca.example", CMP_ERR_ARG, NULL, 0, NULL, 0},
    {"http://", CMP_ERR_ARG, NULL, 0, NULL, 0},
    {"http://:80/", CMP_ERR_ARG, NULL, 0, NULL, 0},
    {"http://host:0", CMP_ERR_ARG, NULL, 0, NULL, 0},
    {"http://host:65536", CMP_ERR_ARG, NULL, 0, NULL, 0},
    {"http://host:123456", CMP_ERR_ARG, NULL, 0, NULL, 0},
    {"http://host:", CMP_ERR_ARG, NULL, 0, NULL, 0},
    {"http://host:12a", CMP_ERR_ARG, NULL, 0, NULL, 0},
    {"http://host:-1", CMP_ERR_ARG, NULL, 0, NULL, 0},
    {"http://user@host/", CMP_ERR_ARG, NULL, 0, NULL, 0},
    {"http://user:pw@host/", CMP_ERR_ARG, NULL, 0, NULL, 0},
    {"http://[::1", CMP_ERR_ARG, NULL, 0, NULL, 0},
    {"http://[::1]x", CMP_ERR_ARG, NULL, 0, NULL, 0},
    {"http://[]", CMP_ERR_ARG, NULL, 0, NULL, 0},
    {"http://[1.2.3.4]", CMP_ERR_ARG, NULL, 0, NULL, 0},
    {"http://[fe80::1%25eth0]/", CMP_ERR_ARG, NULL, 0, NULL, 0},
    {"http://host/pa th", CMP_ERR_ARG, NULL, 0, NULL, 0},
    {"http://host/#frag", CMP_ERR_ARG, NULL, 0, NULL, 0},
    {"http://host?q=1", CMP_ERR_ARG, NULL, 0, NULL, 0},
    {"http://ho\x01st/", CMP_ERR_ARG, NULL, 0, NULL, 0},
    {"http://host/\x7f", CMP_ERR_ARG, NULL, 0, NULL, 0},
    {"http://host/\xc3\xa9", CMP_ERR_ARG, NULL, 0, NULL, 0},
    {"http://ho st/", CMP_ERR_ARG, NULL, 0, NULL, 0},
};

START_TEST(test_url_parse)
{
    const url_vec *v = &url_vecs[_i];
    cmp_http_url u;
    cmp_err err = cmp_http_url_parse(&u, v->url);

    ck_assert_msg(err == v->want, "%s: %s", v->url, cmp_err_name(err));
    if (err == CMP_OK) {
        ck_assert_str_eq(u.host, v->host);
        ck_assert_uint_eq(u.port, v->port);
        ck_assert_str_eq(u.path, v->path);
        ck_assert_int_eq(u.ipv6, v->ipv6);
    }
}
END_TEST

START_TEST(test_url_parse_lengths)
{
    char url[CMP_HTTP_MAX_PATH + CMP_HTTP_MAX_HOST + 64];
    cmp_http_url u;

    strcpy(url, "http://");
    memset(url + 7, 'h', CMP_HTTP_MAX_HOST);
    url[7 + CMP_HTTP_MAX_HOST] = '\0';
    ck_assert_int_eq(cmp_http_url_parse(&u, url), CMP_OK);
    strcat(url, "h");
    ck_assert_int_eq(cmp_http_url_parse(&u, url), CMP_ERR_ARG);
    strcpy(url, "http://h/");
    memset(url + 9, 'p', CMP_HTTP_MAX_PATH - 1);
    url[9 + CMP_HTTP_MAX_PATH - 1] = '\0';
    ck_assert_int_eq(cmp_http_url_parse(&u, url), CMP_OK);
    strcat(url, "p");
    ck_assert_int_eq(cmp_http_url_parse(&u, url), CMP_ERR_ARG);
    ck_assert_int_eq(cmp_http_url_parse(&u, NULL), CMP_ERR_ARG);
    ck_assert_int_eq(cmp_http_url_parse(NULL, "http://h"), CMP_ERR_ARG);
}
END_TEST

START_TEST(test_label_path)
{
    char out[128], label[CMP_HTTP_MAX_LABEL + 2];

    ck_assert_int_eq(cmp_http_label_path(out, sizeof(out), "ra-1.x_y~z"), CMP_OK);
    ck_assert_str_eq(out, "/.well-known/cmp/p/ra-1.x_y~z");
    ck_assert_int_eq(cmp_http_label_path(out, sizeof(out), ""), CMP_ERR_ARG);
    ck_assert_int_eq(cmp_http_label_path(out, sizeof(out), "."), CMP_ERR_ARG);
    ck_assert_int_eq(cmp_http_label_path(out, sizeof(out), ".."), CMP_ERR_ARG);
    ck_assert_int_eq(cmp_http_label_path(out, sizeof(out), "a/b"), CMP_ERR_ARG);
    ck_assert_int_eq(cmp_http_label_path(out, sizeof(out), "a b"), CMP_ERR_ARG);
    ck_assert_int_eq(cmp_http_label_path(out, sizeof(out), "a%2f"), CMP_ERR_ARG);
    ck_assert_int_eq(cmp_http_label_path(out, sizeof(out), NULL), CMP_ERR_ARG);
    memset(label, 'a', CMP_HTTP_MAX_LABEL);
    label[CMP_HTTP_MAX_LABEL] = '\0';
    ck_assert_int_eq(cmp_http_label_path(out, sizeof(out), label), CMP_OK);
    label[CMP_HTTP_MAX_LABEL] = 'a';
    label[CMP_HTTP_MAX_LABEL + 1] = '\0';
    ck_assert_int_eq(cmp_http_label_path(out, sizeof(out), label), CMP_ERR_ARG);
    ck_assert_int_eq(cmp_http_label_path(out, 21, "ab"), CMP_ERR_BUF_SMALL);
    ck_assert_int_eq(cmp_http_label_path(out, 22, "ab"), CMP_OK);
}
END_TEST

static Suite *cmp_http_parse_suite(void)
{
    Suite *s = suite_create("http_parse");
    TCase *tc;

    tc = tcase_create("response");
    tcase_add_loop_test(tc, test_rsp_parse_good, 0, N(rsp_good));
    tcase_add_loop_test(tc, test_rsp_parse_bad, 0, N(rsp_bad));
    tcase_add_loop_test(tc, test_rsp_parse_prefixes, 0, N(rsp_good));
    tcase_add_test(tc, test_rsp_parse_need);
    tcase_add_test(tc, test_rsp_parse_eof_too_large);
    tcase_add_test(tc, test_rsp_parse_chunks_add_up);
    tcase_add_test(tc, test_rsp_parse_framing_budget);
    tcase_add_test(tc, test_rsp_parse_head_limits);
    tcase_add_test(tc, test_rsp_parse_args);
    suite_add_tcase(s, tc);

    tc = tcase_create("request");
    tcase_add_loop_test(tc, test_req_parse_good, 0, N(req_good));
    tcase_add_loop_test(tc, test_req_parse_bad, 0, N(req_bad));
    tcase_add_loop_test(tc, test_req_parse_prefixes, 0, N(req_good));
    tcase_add_test(tc, test_req_parse_head_fields);
    tcase_add_test(tc, test_req_parse_head_limits);
    suite_add_tcase(s, tc);

    tc = tcase_create("mutations");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_parse_mutations);
    suite_add_tcase(s, tc);

    tc = tcase_create("fields_and_urls");
    tcase_add_loop_test(tc, test_ctype_of, 0, N(ct_vecs));
    tcase_add_loop_test(tc, test_url_parse, 0, N(url_vecs));
    tcase_add_test(tc, test_url_parse_lengths);
    tcase_add_test(tc, test_label_path);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(cmp_http_parse_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
