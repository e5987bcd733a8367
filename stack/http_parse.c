/* SPDX-License-Identifier: Apache-2.0 */
/*
 * stack/http_parse.c: the HTTP/1.1 message parsers of the transport, as
 * pure functions over bytes (see http_int.h). RFC 9112 gives the syntax,
 * RFC 6712bis what CMP asks of it.
 *
 * Strictness, decided once for both directions:
 *  - line ends are CRLF; a bare LF or CR anywhere in a head or in chunk
 *    framing is an error (RFC 9112 section 2.2 lets a recipient accept LF;
 *    we do not, so that we never split fields where another parser would
 *    not: the root of request smuggling);
 *  - no obsolete line folding, no whitespace before a field's colon, no
 *    control characters in values;
 *  - Content-Length is 1*DIGIT, once; Transfer-Encoding is "chunked", once;
 *    both together are an error; Content-Type once;
 *  - every size is compared with its limit before anything waits for or
 *    allocates the bytes it announces, and no sum is formed that can wrap.
 */
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "err_int.h"
#include "http_int.h"

#define SP 0x20
#define HTAB 0x09
#define CR 0x0d
#define LF 0x0a

/* --- character classes (RFC 9110 section 5.6.2) ------------------------- */

static int is_digit(uint8_t c)
{
    return c >= '0' && c <= '9';
}

static int is_alpha(uint8_t c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* tchar: "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." /
 *        "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA */
static int is_tchar(uint8_t c)
{
    return is_alpha(c) || is_digit(c) || (c != 0 && strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

/* field-vchar, SP or HTAB: what a field value may contain (obs-text too). */
static int is_value_char(uint8_t c)
{
    return c == SP || c == HTAB || (c > SP && c != 0x7f);
}

static int is_ows(uint8_t c)
{
    return c == SP || c == HTAB;
}

static int hex_value(uint8_t c)
{
    if (is_digit(c)) {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

static uint8_t to_lower(uint8_t c)
{
    return (c >= 'A' && c <= 'Z') ? (uint8_t)(c + ('a' - 'A')) : c;
}

/* ieq: |p|/|n| equals the lower-case literal |lit|, ignoring case. */
static int ieq(const uint8_t *p, size_t n, const char *lit)
{
    size_t i;

    if (n != strlen(lit)) {
        return 0;
    }
    for (i = 0; i < n; i++) {
        if (to_lower(p[i]) != (uint8_t)lit[i]) {
            return 0;
        }
    }
    return 1;
}

static void trim_ows(const uint8_t **p, size_t *n)
{
    while (*n > 0 && is_ows((*p)[0])) {
        (*p)++;
        (*n)--;
    }
    while (*n > 0 && is_ows((*p)[*n - 1])) {
        (*n)--;
    }
}

/* --- limits ---------------------------------------------------------------- */

/* see http_int.h */
void cmp_http_limits_default(cmp_http_limits *lim, size_t max_body)
{
    lim->max_head = CMP_HTTP_DEFAULT_MAX_HEAD;
    lim->max_fields = CMP_HTTP_DEFAULT_MAX_FIELDS;
    lim->max_body = max_body;
    lim->max_framing = CMP_HTTP_DEFAULT_MAX_FRAMING;
}

static size_t sat_add(size_t a, size_t b)
{
    return a > SIZE_MAX - b ? SIZE_MAX : a + b;
}

static size_t sat_mul(size_t a, size_t b)
{
    return (b != 0 && a > SIZE_MAX / b) ? SIZE_MAX : a * b;
}

/* see http_int.h */
size_t cmp_http_wire_max(const cmp_http_limits *lim)
{
    /* A request may be preceded by up to max_head bytes of empty lines; a
     * response by CMP_HTTP_MAX_INTERIM interim heads. */
    size_t heads = sat_mul(lim->max_head, CMP_HTTP_MAX_INTERIM + 1u);

    return sat_add(sat_add(heads, lim->max_body), lim->max_framing);
}

/* --- lines and heads ------------------------------------------------------- */

/* scan_line finds the CRLF that ends the line starting at |pos|. The line
 * (CRLF included) may take at most |max_line| bytes. OK with *eol at the
 * CR; AGAIN with *need set (never beyond pos + max_line) when the buffer
 * ends first; CMP_ERR_HTTP for a bare CR or LF; CMP_ERR_RSP_TOO_LARGE for
 * a longer line. */
static cmp_err scan_line(size_t *eol, size_t *need, const uint8_t *buf, size_t len, size_t pos,
                         size_t max_line)
{
    size_t i;

    CMP_ENSURE(max_line >= 2, CMP_ERR_RSP_TOO_LARGE);
    for (i = pos; i < len; i++) {
        /* the CR may stand at most at pos + max_line - 2 */
        CMP_ENSURE(i - pos <= max_line - 2, CMP_ERR_RSP_TOO_LARGE);
        CMP_ENSURE(buf[i] != LF, CMP_ERR_HTTP);
        if (buf[i] == CR) {
            if (i + 1 == len) {
                *need = i + 2;
                return CMP_ERR_AGAIN;
            }
            CMP_ENSURE(buf[i + 1] == LF, CMP_ERR_HTTP);
            *eol = i;
            return CMP_OK;
        }
    }
    *need = len + 1;
    return CMP_ERR_AGAIN;
}

/* find_head_end looks for the empty line that ends the head starting at
 * |pos|, within |max_head| bytes. OK with *end just after it. */
static cmp_err find_head_end(size_t *end, const uint8_t *buf, size_t len, size_t pos,
                             size_t max_head)
{
    size_t avail = len - pos, n = avail < max_head ? avail : max_head, i;
    const uint8_t *p;

    if (avail == 0) {
        return CMP_ERR_AGAIN; /* and |buf| may be NULL */
    }
    p = buf + pos;
    for (i = 0; i < n; i++) {
        if (p[i] == LF) {
            CMP_ENSURE(i > 0 && p[i - 1] == CR, CMP_ERR_HTTP);
            if (i >= 3 && p[i - 2] == LF) {
                *end = pos + i + 1;
                return CMP_OK;
            }
        } else if (p[i] == CR && i + 1 < avail && p[i + 1] != LF) {
            CMP_FAIL(CMP_ERR_HTTP);
        }
    }
    CMP_ENSURE(avail < max_head, CMP_ERR_RSP_TOO_LARGE);
    return CMP_ERR_AGAIN;
}

/* next_line returns the line at *pos inside a head whose CRLFs
 * find_head_end has checked, and moves *pos past its CRLF. */
static void next_line(cmp_span *line, const uint8_t *buf, size_t *pos)
{
    size_t i = *pos;

    while (buf[i] != CR) {
        i++;
    }
    line->data = buf + *pos;
    line->len = i - *pos;
    *pos = i + 2;
}

/* parse_version: "HTTP/" DIGIT "." DIGIT (RFC 9112 section 2.3). Returns
 * CMP_ERR_HTTP for bad syntax, CMP_ERR_UNSUPPORTED for a major version
 * other than 1. */
static cmp_err parse_version(int *minor, const uint8_t *p, size_t n)
{
    CMP_ENSURE(n == 8 && memcmp(p, "HTTP/", 5) == 0, CMP_ERR_HTTP);
    CMP_ENSURE(is_digit(p[5]) && p[6] == '.' && is_digit(p[7]), CMP_ERR_HTTP);
    CMP_ENSURE(p[5] == '1', CMP_ERR_UNSUPPORTED);
    *minor = p[7] - '0';
    return CMP_OK;
}

/* parse_field splits "name: value" (RFC 9112 section 5): name is a token
 * followed at once by the colon; the value loses its surrounding OWS and
 * may not contain control characters. */
static cmp_err parse_field(cmp_span *name, cmp_span *value, cmp_span line)
{
    const uint8_t *v;
    size_t i = 0, n;

    while (i < line.len && is_tchar(line.data[i])) {
        i++;
    }
    /* A leading SP/HTAB (obs-fold) or one before the colon fails here. */
    CMP_ENSURE(i > 0 && i < line.len && line.data[i] == ':', CMP_ERR_HTTP);
    name->data = line.data;
    name->len = i;
    v = line.data + i + 1;
    n = line.len - i - 1;
    trim_ows(&v, &n);
    for (i = 0; i < n; i++) {
        CMP_ENSURE(is_value_char(v[i]), CMP_ERR_HTTP);
    }
    value->data = v;
    value->len = n;
    return CMP_OK;
}

/* parse_length: Content-Length = 1*DIGIT (RFC 9110 section 8.6). A value
 * above |max| (overflowing ones included) is CMP_ERR_RSP_TOO_LARGE. */
static cmp_err parse_length(size_t *out, cmp_span v, size_t max)
{
    size_t i, n = 0;

    CMP_ENSURE(v.len > 0, CMP_ERR_HTTP);
    for (i = 0; i < v.len; i++) {
        size_t d;

        CMP_ENSURE(is_digit(v.data[i]), CMP_ERR_HTTP);
        d = (size_t)(v.data[i] - '0');
        /* n * 10 + d <= max, without forming the product */
        CMP_ENSURE(d <= max && n <= (max - d) / 10, CMP_ERR_RSP_TOO_LARGE);
        n = n * 10 + d;
    }
    *out = n;
    return CMP_OK;
}

/* has_token: the comma-separated list |v| holds |tok| (any case). */
static int has_token(cmp_span v, const char *tok)
{
    size_t i = 0;

    while (i < v.len) {
        const uint8_t *p;
        size_t start = i, n;

        while (i < v.len && v.data[i] != ',') {
            i++;
        }
        p = v.data + start;
        n = i - start;
        trim_ows(&p, &n);
        if (ieq(p, n, tok)) {
            return 1;
        }
        i++;
    }
    return 0;
}

/* see http_int.h */
cmp_http_ctype cmp_http_ctype_of(const uint8_t *v, size_t len)
{
    static const char media[] = CMP_HTTP_CONTENT_TYPE;
    const size_t media_len = sizeof(media) - 1;
    size_t i;

    trim_ows(&v, &len);
    if (len < media_len || !ieq(v, media_len, media)) {
        return CMP_HTTP_CT_OTHER;
    }
    /* media-type = type "/" subtype parameters, parameters = *( OWS ";"
     * OWS [ parameter ] ) (RFC 9110 section 8.3.1). */
    for (i = media_len; i < len && is_ows(v[i]); i++) {
    }
    return (i == len || v[i] == ';') ? CMP_HTTP_CT_PKIXCMP : CMP_HTTP_CT_OTHER;
}

/* Which fields a head had, for the checks across fields. */
/* Which fields a head had, for the checks across fields, and which field
 * failed, so that a request error gets the right status. */
typedef struct fields_seen {
    int length;
    int chunked;
    int ctype;
    int hosts;
    int keep_alive;
    int length_too_large; /* 413 rather than 431 */
    int bad_coding;       /* 501 */
    int bad_expect;       /* 417 */
} fields_seen;

/* parse_fields reads the field lines of a head from *pos up to the empty
 * line and records what the transport interprets. |is_request| enables
 * Host and Expect. */
static cmp_err parse_fields(cmp_http_msg *m, fields_seen *seen, const uint8_t *buf, size_t *pos,
                            size_t end, const cmp_http_limits *lim, int is_request)
{
    size_t num = 0;

    while (*pos < end - 2) {
        cmp_span line, name, value;

        next_line(&line, buf, pos);
        CMP_ENSURE(++num <= lim->max_fields, CMP_ERR_RSP_TOO_LARGE);
        CMP_TRY(parse_field(&name, &value, line));
        if (ieq(name.data, name.len, "content-length")) {
            CMP_ENSURE(!seen->length, CMP_ERR_HTTP);
            seen->length = 1;
            seen->length_too_large = 1;
            CMP_TRY(parse_length(&m->content_length, value, lim->max_body));
            seen->length_too_large = 0;
        } else if (ieq(name.data, name.len, "transfer-encoding")) {
            /* Only chunked, once: anything else is a coding we would have
             * to undo, or a list meant to confuse (RFC 9112 section 6.1). */
            CMP_ENSURE(!seen->chunked, CMP_ERR_HTTP);
            seen->chunked = 1;
            seen->bad_coding = !ieq(value.data, value.len, "chunked");
            CMP_ENSURE(!seen->bad_coding, CMP_ERR_HTTP);
        } else if (ieq(name.data, name.len, "content-type")) {
            CMP_ENSURE(!seen->ctype, CMP_ERR_HTTP);
            seen->ctype = 1;
            m->ctype = cmp_http_ctype_of(value.data, value.len);
        } else if (ieq(name.data, name.len, "connection")) {
            m->close |= has_token(value, "close");
            seen->keep_alive |= has_token(value, "keep-alive");
        } else if (is_request && ieq(name.data, name.len, "host")) {
            seen->hosts++;
        } else if (is_request && ieq(name.data, name.len, "expect")) {
            seen->bad_expect = !ieq(value.data, value.len, "100-continue");
            CMP_ENSURE(!seen->bad_expect, CMP_ERR_HTTP);
            m->expect_continue = 1;
        }
    }
    *pos = end;
    /* = https://www.rfc-editor.org/rfc/rfc9112#section-6.1
     * # A server MAY reject a request that contains both Content-Length
     * # and Transfer-Encoding or process such a request in accordance with
     * # the Transfer-Encoding alone. */
    CMP_ENSURE(!(seen->length && seen->chunked), CMP_ERR_HTTP);
    /* = https://www.rfc-editor.org/rfc/rfc9112#section-6.1
     * # A server or client that receives an HTTP/1.0 message containing a
     * # Transfer-Encoding header field MUST treat the message as if the
     * # framing is faulty */
    CMP_ENSURE(!(seen->chunked && m->minor == 0), CMP_ERR_HTTP);
    if (m->minor == 0) {
        /* HTTP/1.0 connections end after one message; we do not negotiate
         * its keep-alive extension. */
        m->close = 1;
    }
    m->framing = seen->chunked ? CMP_HTTP_BODY_CHUNKED
                 : seen->length ? CMP_HTTP_BODY_LENGTH
                                : CMP_HTTP_BODY_NONE;
    return CMP_OK;
}

/* --- bodies ---------------------------------------------------------------- */

/* parse_chunk_size: chunk-size [ chunk-ext ] (RFC 9112 section 7.1), where
 * chunk-ext = *( BWS ";" BWS ext-name [ BWS "=" BWS ext-val ] ). Extensions
 * are ignored, but must be made of value characters. */
static cmp_err parse_chunk_size(size_t *out, const uint8_t *p, size_t n, size_t max)
{
    size_t i = 0, size = 0;

    while (i < n && hex_value(p[i]) >= 0) {
        size_t d = (size_t)hex_value(p[i]);

        /* size * 16 + d <= max, without forming the product */
        CMP_ENSURE(d <= max && size <= (max - d) / 16, CMP_ERR_RSP_TOO_LARGE);
        size = size * 16 + d;
        i++;
    }
    CMP_ENSURE(i > 0, CMP_ERR_HTTP);
    while (i < n && is_ows(p[i])) {
        i++;
    }
    CMP_ENSURE(i == n || p[i] == ';', CMP_ERR_HTTP);
    for (; i < n; i++) {
        CMP_ENSURE(is_value_char(p[i]), CMP_ERR_HTTP);
    }
    *out = size;
    return CMP_OK;
}

/* walk_chunked follows the chunked framing from |pos| (RFC 9112 section
 * 7.1): chunks, the last chunk, the trailer section and its empty line.
 * It copies the data to |out| when that is not NULL. Trailer fields are
 * checked for syntax and dropped. */
static cmp_err walk_chunked(cmp_http_msg *m, uint8_t *out, const uint8_t *buf, size_t len,
                            size_t pos, const cmp_http_limits *lim)
{
    size_t body = 0, framing = 0, eol = 0, size = 0, budget;

    /* Invariants: body <= max_body, framing <= max_framing. Each line may
     * take only what is left of the framing budget, so that nothing is
     * waited for beyond the limits. */
    for (;;) {
        budget = lim->max_framing - framing;
        CMP_TRY(scan_line(&eol, &m->need, buf, len, pos,
                          budget < CMP_HTTP_MAX_CHUNK_LINE ? budget : CMP_HTTP_MAX_CHUNK_LINE));
        framing += eol + 2 - pos;
        CMP_TRY(parse_chunk_size(&size, buf + pos, eol - pos, lim->max_body - body));
        pos = eol + 2;
        if (size == 0) {
            break;
        }
        /* the CRLF after the data */
        CMP_ENSURE(lim->max_framing - framing >= 2, CMP_ERR_RSP_TOO_LARGE);
        framing += 2;
        if (len - pos < size || len - pos - size < 2) {
            m->need = sat_add(sat_add(pos, size), 2); /* within the limits, see above */
            return CMP_ERR_AGAIN;
        }
        CMP_ENSURE(buf[pos + size] == CR && buf[pos + size + 1] == LF, CMP_ERR_HTTP);
        if (out != NULL) {
            memcpy(out + body, buf + pos, size);
        }
        body += size;
        pos += size + 2;
    }
    /* trailer-section = *( field-line CRLF ), then CRLF */
    for (;;) {
        cmp_span line, name, value;

        CMP_TRY(scan_line(&eol, &m->need, buf, len, pos, lim->max_framing - framing));
        framing += eol + 2 - pos;
        line.data = buf + pos;
        line.len = eol - pos;
        pos = eol + 2;
        if (line.len == 0) {
            break;
        }
        CMP_TRY(parse_field(&name, &value, line));
    }
    m->body_len = body;
    m->msg_len = pos;
    return CMP_OK;
}

/* parse_body finds the end of the body that starts at m->head_len. */
static cmp_err parse_body(cmp_http_msg *m, const uint8_t *buf, size_t len, int at_eof,
                          const cmp_http_limits *lim)
{
    size_t avail = len - m->head_len;

    switch (m->framing) {
    case CMP_HTTP_BODY_NONE:
        m->body_len = 0;
        m->msg_len = m->head_len;
        return CMP_OK;
    case CMP_HTTP_BODY_LENGTH:
        /* content_length <= max_body, checked by parse_length */
        if (avail < m->content_length) {
            m->need = sat_add(m->head_len, m->content_length);
            return CMP_ERR_AGAIN;
        }
        m->body_len = m->content_length;
        m->msg_len = m->head_len + m->content_length;
        return CMP_OK;
    case CMP_HTTP_BODY_CHUNKED:
        return walk_chunked(m, NULL, buf, len, m->head_len, lim);
    case CMP_HTTP_BODY_EOF:
        CMP_ENSURE(avail <= lim->max_body, CMP_ERR_RSP_TOO_LARGE);
        if (!at_eof) {
            return CMP_ERR_AGAIN;
        }
        m->body_len = avail;
        m->msg_len = len;
        return CMP_OK;
    default:
        CMP_FAIL(CMP_ERR_INTERNAL);
    }
}

/* see http_int.h */
void cmp_http_body_copy(uint8_t *out, const cmp_http_msg *m, const uint8_t *buf)
{
    /* The walk repeats the accepted parse, so no limit can trip now. */
    static const cmp_http_limits no_limits = {SIZE_MAX, SIZE_MAX, SIZE_MAX, SIZE_MAX};
    cmp_http_msg scratch = *m;

    if (m->framing == CMP_HTTP_BODY_CHUNKED) {
        (void)walk_chunked(&scratch, out, buf, m->msg_len, m->head_len, &no_limits);
    } else if (m->body_len > 0) {
        memcpy(out, buf + m->head_len, m->body_len);
    }
}

/* --- responses ------------------------------------------------------------- */

/* parse_status_line: HTTP-version SP 3DIGIT SP [ reason-phrase ] (RFC 9112
 * section 4). The SP before an empty reason may be missing: the reason is
 * ignored anyway. */
static cmp_err parse_status_line(cmp_http_msg *m, cmp_span line)
{
    const uint8_t *p = line.data;
    size_t i;

    CMP_ENSURE(line.len >= 12 && p[8] == SP, CMP_ERR_HTTP);
    CMP_ENSURE(parse_version(&m->minor, p, 8) == CMP_OK, CMP_ERR_HTTP);
    CMP_ENSURE(p[9] >= '1' && p[9] <= '5' && is_digit(p[10]) && is_digit(p[11]), CMP_ERR_HTTP);
    m->status = (p[9] - '0') * 100 + (p[10] - '0') * 10 + (p[11] - '0');
    CMP_ENSURE(line.len == 12 || p[12] == SP, CMP_ERR_HTTP);
    for (i = 13; i < line.len; i++) {
        CMP_ENSURE(is_value_char(p[i]), CMP_ERR_HTTP);
    }
    return CMP_OK;
}

/* parse_rsp_head parses one response head in [pos, end). */
static cmp_err parse_rsp_head(cmp_http_msg *m, const uint8_t *buf, size_t pos, size_t end,
                              const cmp_http_limits *lim)
{
    fields_seen seen;
    cmp_span line;

    memset(&seen, 0, sizeof(seen));
    m->ctype = CMP_HTTP_CT_NONE;
    m->close = 0;
    next_line(&line, buf, &pos);
    CMP_TRY(parse_status_line(m, line));
    CMP_TRY(parse_fields(m, &seen, buf, &pos, end, lim, 0));
    /* = https://www.rfc-editor.org/rfc/rfc9112#section-6.3
     * # Any response to a HEAD request and any response with a 1xx
     * # (Informational), 204 (No Content), or 304 (Not Modified) status
     * # code is always terminated by the first empty line after the
     * # header fields, regardless of the header fields present in the
     * # message, and thus cannot contain a message body or trailer
     * # section. */
    if (m->status < 200 || m->status == 204 || m->status == 304) {
        m->framing = CMP_HTTP_BODY_NONE;
    } else if (m->framing == CMP_HTTP_BODY_NONE) {
        /* # Otherwise, this is a response message without a declared
         * # message body length, so the message body length is determined
         * # by the number of octets received prior to the server closing
         * # the connection. */
        m->framing = CMP_HTTP_BODY_EOF;
        m->close = 1;
    }
    return CMP_OK;
}

/* see http_int.h */
cmp_err cmp_http_rsp_parse(cmp_http_msg *out, const uint8_t *buf, size_t len, int at_eof,
                           const cmp_http_limits *lim)
{
    size_t pos = 0, end = 0, interim;
    cmp_err err;

    CMP_ENSURE(out != NULL && lim != NULL && (buf != NULL || len == 0), CMP_ERR_ARG);
    memset(out, 0, sizeof(*out));
    for (interim = 0;; interim++) {
        err = find_head_end(&end, buf, len, pos, lim->max_head);
        if (err == CMP_ERR_AGAIN) {
            CMP_ENSURE(!at_eof, CMP_ERR_HTTP);
            return err;
        }
        CMP_TRY(err);
        CMP_TRY(parse_rsp_head(out, buf, pos, end, lim));
        if (out->status >= 200) {
            break;
        }
        /* An interim response: skip it. We ask for no protocol switch, so
         * 101 is an error (RFC 9110 section 15.2). */
        CMP_ENSURE(out->status != 101 && interim < CMP_HTTP_MAX_INTERIM, CMP_ERR_HTTP);
        pos = end;
    }
    out->head_len = end;
    err = parse_body(out, buf, len, at_eof, lim);
    if (err == CMP_ERR_AGAIN) {
        /* the server closed before the body was complete */
        CMP_ENSURE(!at_eof, CMP_ERR_HTTP);
        return err;
    }
    CMP_TRY(err);
    return CMP_OK;
}

/* see http_int.h */
cmp_err cmp_http_rsp_check(int *out_has_body, const cmp_http_msg *m)
{
    *out_has_body = 0;
    /* = https://www.rfc-editor.org/rfc/rfc9811#section-3.1
     * # If this HTTP request is successful, the server returns the CMP
     * # response in the content of the HTTP response.  The HTTP response
     * # status code in this case MUST be 200 (OK) status code; other
     * # Successful 2xx status codes MUST NOT be used for this purpose. */
    if (m->status == 200) {
        CMP_ENSURE(m->ctype == CMP_HTTP_CT_PKIXCMP, CMP_ERR_HTTP_CONTENT_TYPE);
        *out_has_body = 1;
        return CMP_OK;
    }
    /* # Whenever a client receives an HTTP response with a status code in
     * # the 2xx, 4xx, or 5xx ranges, it MUST support handling response
     * # message content containing a CMP response PKIMessage.
     * A 3xx body is handed over too: harmless, and the caller decides. */
    *out_has_body = m->ctype == CMP_HTTP_CT_PKIXCMP && m->body_len > 0;
    CMP_FAIL(CMP_ERR_HTTP_STATUS);
}

/* --- requests -------------------------------------------------------------- */

/* parse_target: origin-form "/path[?query]" or absolute-form
 * "http://authority[/path][?query]" (RFC 9112 section 3.2). The path is
 * what comes before the query; an absolute-form without one is "/". */
static cmp_err parse_target(cmp_span *path, const uint8_t *p, size_t n)
{
    static const char scheme[] = "http://";
    const size_t scheme_len = sizeof(scheme) - 1;
    size_t i, start = 0;

    for (i = 0; i < n; i++) {
        /* visible ASCII only; no fragment (RFC 9112 section 3.2) */
        CMP_ENSURE(p[i] > SP && p[i] < 0x7f && p[i] != '#', CMP_ERR_HTTP);
    }
    if (n >= scheme_len && ieq(p, scheme_len, scheme)) {
        for (start = scheme_len; start < n && p[start] != '/' && p[start] != '?'; start++) {
        }
        CMP_ENSURE(start > scheme_len, CMP_ERR_HTTP);
        if (start == n || p[start] == '?') {
            path->data = (const uint8_t *)"/";
            path->len = 1;
            return CMP_OK;
        }
    } else {
        CMP_ENSURE(n > 0 && p[0] == '/', CMP_ERR_HTTP);
    }
    for (i = start; i < n && p[i] != '?'; i++) {
    }
    path->data = p + start;
    path->len = i - start;
    return CMP_OK;
}

/* parse_request_line: method SP request-target SP HTTP-version (RFC 9112
 * section 3), single spaces. */
static cmp_err parse_request_line(cmp_http_msg *m, cmp_span line)
{
    const uint8_t *p = line.data;
    size_t i = 0, t;

    while (i < line.len && is_tchar(p[i])) {
        i++;
    }
    CMP_ENSURE(i > 0 && i < line.len && p[i] == SP, CMP_ERR_HTTP);
    m->method.data = p;
    m->method.len = i;
    t = ++i;
    while (i < line.len && p[i] != SP) {
        i++;
    }
    CMP_ENSURE(i < line.len, CMP_ERR_HTTP);
    CMP_TRY(parse_target(&m->path, p + t, i - t));
    return parse_version(&m->minor, p + i + 1, line.len - i - 1);
}

/* req_fail records the status a request error is answered with: |large|
 * for CMP_ERR_RSP_TOO_LARGE, |other| for the rest, which become
 * CMP_ERR_HTTP. */
static cmp_err req_fail(cmp_http_msg *m, cmp_err err, int large, int other)
{
    if (err == CMP_ERR_RSP_TOO_LARGE) {
        m->error_status = large;
    } else {
        m->error_status = other;
        err = CMP_ERR_HTTP;
    }
    m->head_len = 0;
    CMP_FAIL(err);
}

/* see http_int.h */
cmp_err cmp_http_req_parse(cmp_http_msg *out, const uint8_t *buf, size_t len,
                           const cmp_http_limits *lim)
{
    fields_seen seen;
    size_t pos = 0, end = 0;
    cmp_span line;
    cmp_err err;

    CMP_ENSURE(out != NULL && lim != NULL && (buf != NULL || len == 0), CMP_ERR_ARG);
    memset(out, 0, sizeof(*out));
    memset(&seen, 0, sizeof(seen));
    /* = https://www.rfc-editor.org/rfc/rfc9112#section-2.2
     * # In the interest of robustness, a server that is expecting to
     * # receive and parse a request-line SHOULD ignore at least one empty
     * # line (CRLF) received prior to the request-line. */
    while (len - pos >= 2 && buf[pos] == CR && buf[pos + 1] == LF) {
        pos += 2;
        if (pos >= lim->max_head) {
            return req_fail(out, CMP_ERR_RSP_TOO_LARGE, 431, 400);
        }
    }
    err = find_head_end(&end, buf, len, pos, lim->max_head);
    if (err == CMP_ERR_AGAIN) {
        return err;
    }
    if (err != CMP_OK) {
        return req_fail(out, err, 431, 400);
    }
    next_line(&line, buf, &pos);
    err = parse_request_line(out, line);
    if (err != CMP_OK) {
        /* CMP_ERR_UNSUPPORTED: a major version other than 1 */
        return req_fail(out, err, 431, err == CMP_ERR_UNSUPPORTED ? 505 : 400);
    }
    err = parse_fields(out, &seen, buf, &pos, end, lim, 1);
    if (err != CMP_OK) {
        /* = https://www.rfc-editor.org/rfc/rfc9112#section-6.1
         * # A server that receives a request message with a transfer coding
         * # it does not understand SHOULD respond with 501 (Not
         * # Implemented). */
        return req_fail(out, err, seen.length_too_large ? 413 : 431,
                        seen.bad_coding ? 501 : seen.bad_expect ? 417 : 400);
    }
    /* = https://www.rfc-editor.org/rfc/rfc9112#section-3.2
     * # A server MUST respond with a 400 (Bad Request) status code to any
     * # HTTP/1.1 request message that lacks a Host header field and to any
     * # request message that contains more than one Host header field line
     * # or a Host header field with an invalid field value. */
    if (seen.hosts > 1 || (out->minor >= 1 && seen.hosts != 1)) {
        return req_fail(out, CMP_ERR_HTTP, 400, 400);
    }
    out->has_host = seen.hosts == 1;
    out->head_len = end;
    err = parse_body(out, buf, len, 0, lim);
    if (err == CMP_ERR_AGAIN || err == CMP_OK) {
        return err;
    }
    return req_fail(out, err, 413, 400);
}

/* --- URLs ------------------------------------------------------------------ */

static int is_host_char(uint8_t c)
{
    return is_alpha(c) || is_digit(c) || c == '-' || c == '.' || c == '_';
}

static int is_ipv6_char(uint8_t c)
{
    return hex_value(c) >= 0 || c == ':' || c == '.';
}

/* parse_port: 1*5DIGIT, 1..65535 */
static cmp_err parse_port(uint16_t *out, const char *p, size_t n)
{
    unsigned long v = 0;
    size_t i;

    CMP_ENSURE(n >= 1 && n <= 5, CMP_ERR_ARG);
    for (i = 0; i < n; i++) {
        CMP_ENSURE(is_digit((uint8_t)p[i]), CMP_ERR_ARG);
        v = v * 10 + (unsigned long)(p[i] - '0');
    }
    CMP_ENSURE(v >= 1 && v <= 65535, CMP_ERR_ARG);
    *out = (uint16_t)v;
    return CMP_OK;
}

/* see http_int.h */
cmp_err cmp_http_url_parse(cmp_http_url *out, const char *url)
{
    static const char scheme[] = "http://";
    const size_t scheme_len = sizeof(scheme) - 1;
    const char *auth, *host, *port = NULL;
    size_t auth_len, host_len, port_len = 0, path_len, i;

    CMP_ENSURE(out != NULL && url != NULL, CMP_ERR_ARG);
    memset(out, 0, sizeof(*out));
    if (strlen(url) < scheme_len || !ieq((const uint8_t *)url, scheme_len, scheme)) {
        /* scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ): another
         * well-formed scheme, such as https, is unsupported */
        size_t n = strspn(url, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+-.");

        CMP_ENSURE(n == 0 || !is_alpha((uint8_t)url[0]) || strncmp(url + n, "://", 3) != 0,
                   CMP_ERR_UNSUPPORTED);
        CMP_FAIL(CMP_ERR_ARG);
    }
    auth = url + scheme_len;
    auth_len = strcspn(auth, "/?#");
    for (i = 0; i < auth_len; i++) {
        /* userinfo is not for CMP URIs; no bytes outside visible ASCII */
        uint8_t c = (uint8_t)auth[i];

        CMP_ENSURE(c != '@' && c > ' ' && c < 0x7f, CMP_ERR_ARG);
    }
    if (auth_len > 0 && auth[0] == '[') {
        const char *close = memchr(auth, ']', auth_len);

        CMP_ENSURE(close != NULL, CMP_ERR_ARG);
        host = auth + 1;
        host_len = (size_t)(close - host);
        for (i = 0; i < host_len; i++) {
            /* no zone identifier ("%25eth0"): link-local is not for CMP */
            CMP_ENSURE(is_ipv6_char((uint8_t)host[i]), CMP_ERR_ARG);
        }
        CMP_ENSURE(host_len >= 2 && memchr(host, ':', host_len) != NULL, CMP_ERR_ARG);
        i = (size_t)(close - auth) + 1;
        out->ipv6 = 1;
    } else {
        host = auth;
        for (i = 0; i < auth_len && auth[i] != ':'; i++) {
            CMP_ENSURE(is_host_char((uint8_t)auth[i]), CMP_ERR_ARG);
        }
        host_len = i;
    }
    CMP_ENSURE(host_len >= 1 && host_len <= CMP_HTTP_MAX_HOST, CMP_ERR_ARG);
    if (i < auth_len) {
        CMP_ENSURE(auth[i] == ':', CMP_ERR_ARG);
        port = auth + i + 1;
        port_len = auth_len - i - 1;
    }
    out->port = 80;
    if (port != NULL) {
        CMP_TRY(parse_port(&out->port, port, port_len));
    }
    memcpy(out->host, host, host_len);
    out->host[host_len] = '\0';

    path_len = strlen(auth + auth_len);
    CMP_ENSURE(path_len <= CMP_HTTP_MAX_PATH, CMP_ERR_ARG);
    for (i = 0; i < path_len; i++) {
        uint8_t c = (uint8_t)auth[auth_len + i];

        CMP_ENSURE(c > ' ' && c < 0x7f && c != '#', CMP_ERR_ARG);
    }
    CMP_ENSURE(path_len == 0 || auth[auth_len] == '/', CMP_ERR_ARG);
    memcpy(out->path, auth + auth_len, path_len);
    out->path[path_len] = '\0';
    return CMP_OK;
}

/* see cmp/http.h */
cmp_err cmp_http_label_path(char *out, size_t out_len, const char *label)
{
    static const char prefix[] = CMP_HTTP_DEFAULT_PATH "/p/";
    size_t n, i;

    CMP_ENSURE(out != NULL && label != NULL, CMP_ERR_ARG);
    n = strlen(label);
    CMP_ENSURE(n >= 1 && n <= CMP_HTTP_MAX_LABEL, CMP_ERR_ARG);
    CMP_ENSURE(strcmp(label, ".") != 0 && strcmp(label, "..") != 0, CMP_ERR_ARG);
    for (i = 0; i < n; i++) {
        uint8_t c = (uint8_t)label[i];

        /* RFC 3986 unreserved: ALPHA / DIGIT / "-" / "." / "_" / "~" */
        CMP_ENSURE(is_alpha(c) || is_digit(c) || c == '-' || c == '.' || c == '_' || c == '~',
                   CMP_ERR_ARG);
    }
    CMP_ENSURE(out_len > sizeof(prefix) - 1 + n, CMP_ERR_BUF_SMALL);
    memcpy(out, prefix, sizeof(prefix) - 1);
    memcpy(out + sizeof(prefix) - 1, label, n + 1);
    return CMP_OK;
}
