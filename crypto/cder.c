/* SPDX-License-Identifier: Apache-2.0 */
/*
 * crypto/cder.c: the DER cursor and writer of crypto/ (see crypto_int.h).
 *
 * The reader is strict DER (X.690 section 10): single-byte tags, definite
 * lengths in minimal form, BOOLEAN as 0x00/0xff, minimal INTEGERs, BIT
 * STRING padding bits zero. Only take() moves the cursor, and it checks
 * the remaining length first (BoringSSL's cbs_get, STYLE.md section 6).
 */
#include <string.h>

#include "crypto_int.h"

/* ------------------------------------------------------------------------ */
/* reader                                                                   */
/* ------------------------------------------------------------------------ */

/* see crypto_int.h */
void cmp_cder_init(cmp_cder_rd *rd, cmp_span in)
{
    rd->data = in.data;
    rd->len = in.data != NULL ? in.len : 0;
}

/* see crypto_int.h */
size_t cmp_cder_left(const cmp_cder_rd *rd)
{
    return rd->len;
}

/* see crypto_int.h */
int cmp_cder_peek(const cmp_cder_rd *rd)
{
    return rd->len > 0 ? rd->data[0] : -1;
}

/* take moves the cursor by |n| bytes, returning them as a span. */
static cmp_err take(cmp_cder_rd *rd, size_t n, cmp_span *out)
{
    if (n > rd->len) {
        return CMP_ERR_DECODE;
    }
    out->data = rd->data;
    out->len = n;
    rd->data += n;
    rd->len -= n;
    return CMP_OK;
}

static cmp_err take_u8(cmp_cder_rd *rd, uint8_t *out)
{
    cmp_span s;

    CMP_TRY(take(rd, 1, &s));
    *out = s.data[0];
    return CMP_OK;
}

/* read_len reads a definite length in minimal form (X.690 section 10.1). */
static cmp_err read_len(cmp_cder_rd *rd, size_t *out)
{
    uint8_t b, n, i;
    size_t len = 0;

    CMP_TRY(take_u8(rd, &b));
    if (b < 0x80) {
        *out = b;
        return CMP_OK;
    }
    n = (uint8_t)(b & 0x7f);
    /* 0x80 is the indefinite form; more than 4 octets exceeds CDER_MAX_LEN. */
    CMP_ENSURE(n >= 1 && n <= 4, CMP_ERR_DECODE);
    for (i = 0; i < n; i++) {
        CMP_TRY(take_u8(rd, &b));
        CMP_ENSURE(!(i == 0 && b == 0), CMP_ERR_DECODE);
        len = (len << 8) | b;
    }
    CMP_ENSURE(len >= 0x80, CMP_ERR_DECODE);
    CMP_ENSURE(len <= CDER_MAX_LEN, CMP_ERR_DECODE);
    *out = len;
    return CMP_OK;
}

/* see crypto_int.h */
cmp_err cmp_cder_get_any(cmp_cder_rd *rd, cmp_cder_tlv *out)
{
    cmp_cder_rd save = *rd;
    cmp_span body;
    uint8_t tag;
    size_t len;
    cmp_err err;

    err = take_u8(rd, &tag);
    if (err == CMP_OK && (tag & 0x1f) == 0x1f) {
        err = CMP_ERR_DECODE; /* multi-byte tags: not used by anything we parse */
    }
    if (err == CMP_OK) {
        err = read_len(rd, &len);
    }
    if (err == CMP_OK) {
        err = take(rd, len, &body);
    }
    if (err != CMP_OK) {
        *rd = save;
        CMP_FAIL(CMP_ERR_DECODE);
    }
    out->tag = tag;
    out->body = body;
    out->whole.data = save.data;
    out->whole.len = save.len - rd->len;
    return CMP_OK;
}

/* see crypto_int.h */
cmp_err cmp_cder_get(cmp_cder_rd *rd, uint8_t tag, cmp_cder_tlv *out)
{
    CMP_ENSURE(cmp_cder_peek(rd) == tag, CMP_ERR_DECODE);
    return cmp_cder_get_any(rd, out);
}

/* see crypto_int.h */
cmp_err cmp_cder_get_opt(cmp_cder_rd *rd, uint8_t tag, cmp_cder_tlv *out, int *present)
{
    *present = 0;
    if (cmp_cder_peek(rd) != tag) {
        return CMP_OK;
    }
    CMP_TRY(cmp_cder_get_any(rd, out));
    *present = 1;
    return CMP_OK;
}

/* see crypto_int.h */
cmp_err cmp_cder_enter(cmp_cder_rd *rd, uint8_t tag, cmp_cder_rd *out)
{
    cmp_cder_tlv t;

    CMP_TRY(cmp_cder_get(rd, tag, &t));
    cmp_cder_init(out, t.body);
    return CMP_OK;
}

/* see crypto_int.h */
cmp_err cmp_cder_end(const cmp_cder_rd *rd)
{
    CMP_ENSURE(rd->len == 0, CMP_ERR_DECODE);
    return CMP_OK;
}

/* see crypto_int.h */
cmp_err cmp_cder_one(cmp_span in, uint8_t tag, cmp_cder_tlv *out)
{
    cmp_cder_rd rd;

    cmp_cder_init(&rd, in);
    CMP_TRY(cmp_cder_get(&rd, tag, out));
    return cmp_cder_end(&rd);
}

/* see crypto_int.h */
cmp_err cmp_cder_get_bool(cmp_cder_rd *rd, int *out)
{
    cmp_cder_tlv t;

    CMP_TRY(cmp_cder_get(rd, CDER_BOOLEAN, &t));
    CMP_ENSURE(t.body.len == 1, CMP_ERR_DECODE);
    CMP_ENSURE(t.body.data[0] == 0x00 || t.body.data[0] == 0xff, CMP_ERR_DECODE);
    *out = t.body.data[0] != 0;
    return CMP_OK;
}

/* see crypto_int.h */
cmp_err cmp_cder_int_ok(cmp_span body)
{
    CMP_ENSURE(body.len >= 1, CMP_ERR_DECODE);
    if (body.len >= 2) {
        /* X.690 section 8.3.2: the first nine bits are not all equal. */
        CMP_ENSURE(!(body.data[0] == 0x00 && body.data[1] < 0x80), CMP_ERR_DECODE);
        CMP_ENSURE(!(body.data[0] == 0xff && body.data[1] >= 0x80), CMP_ERR_DECODE);
    }
    return CMP_OK;
}

/* see crypto_int.h */
cmp_err cmp_cder_get_u32(cmp_cder_rd *rd, uint32_t *out)
{
    cmp_cder_tlv t;
    uint64_t v = 0;
    size_t i;

    CMP_TRY(cmp_cder_get(rd, CDER_INTEGER, &t));
    CMP_TRY(cmp_cder_int_ok(t.body));
    CMP_ENSURE(t.body.data[0] < 0x80, CMP_ERR_DECODE);
    CMP_ENSURE(t.body.len <= 5, CMP_ERR_DECODE);
    for (i = 0; i < t.body.len; i++) {
        v = (v << 8) | t.body.data[i];
    }
    CMP_ENSURE(v <= UINT32_MAX, CMP_ERR_DECODE);
    *out = (uint32_t)v;
    return CMP_OK;
}

/* see crypto_int.h */
cmp_err cmp_cder_get_bits(cmp_cder_rd *rd, cmp_span *out, unsigned *unused)
{
    cmp_cder_tlv t;
    uint8_t u;

    CMP_TRY(cmp_cder_get(rd, CDER_BIT_STRING, &t));
    CMP_ENSURE(t.body.len >= 1, CMP_ERR_DECODE);
    u = t.body.data[0];
    CMP_ENSURE(u <= 7, CMP_ERR_DECODE);
    CMP_ENSURE(!(t.body.len == 1 && u != 0), CMP_ERR_DECODE);
    /* X.690 section 11.2.1: the unused bits are zero. */
    CMP_ENSURE((t.body.data[t.body.len - 1] & ((1u << u) - 1u)) == 0 || t.body.len == 1,
               CMP_ERR_DECODE);
    out->data = t.body.data + 1;
    out->len = t.body.len - 1;
    *unused = u;
    return CMP_OK;
}

/* see crypto_int.h */
int cmp_cder_span_eq(cmp_span a, cmp_span b)
{
    if (a.len != b.len) {
        return 0;
    }
    return a.len == 0 || memcmp(a.data, b.data, a.len) == 0;
}

/* ------------------------------------------------------------------------ */
/* time                                                                     */
/* ------------------------------------------------------------------------ */

/* see crypto_int.h. Howard Hinnant's days_from_civil. */
int64_t cmp_cder_days_from_civil(int64_t y, unsigned m, unsigned d)
{
    int64_t era, yoe, doy, doe;

    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153 * (int64_t)(m > 2 ? m - 3 : m + 9) + 2) / 5 + (int64_t)d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* see crypto_int.h. Howard Hinnant's civil_from_days. */
void cmp_cder_civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
    int64_t era, doe, yoe, doy, mp;

    z += 719468;
    era = (z >= 0 ? z : z - 146096) / 146097;
    doe = z - era * 146097;
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    *d = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
    *m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

static cmp_err digits(const uint8_t *p, size_t n, unsigned *out)
{
    unsigned v = 0;
    size_t i;

    for (i = 0; i < n; i++) {
        CMP_ENSURE(p[i] >= '0' && p[i] <= '9', CMP_ERR_DECODE);
        v = v * 10 + (unsigned)(p[i] - '0');
    }
    *out = v;
    return CMP_OK;
}

static unsigned days_in_month(int64_t y, unsigned m)
{
    static const unsigned dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

    return m == 2 && leap ? 29 : dim[m - 1];
}

/* see crypto_int.h.
 * = https://www.rfc-editor.org/rfc/rfc5280#section-4.1.2.5.1
 * # UTCTime values MUST be expressed in Greenwich Mean Time (Zulu) and MUST
 * # include seconds (i.e., times are YYMMDDHHMMSSZ)
 * # Where YY is greater than or equal to 50, the year SHALL be interpreted
 * # as 19YY; and Where YY is less than 50, the year SHALL be interpreted as 20YY. */
cmp_err cmp_cder_get_time(cmp_cder_rd *rd, int64_t *out)
{
    cmp_cder_tlv t;
    const uint8_t *p;
    unsigned yy, mo, dd, hh, mi, ss;
    int64_t year;

    CMP_TRY(cmp_cder_get_any(rd, &t));
    p = t.body.data;
    if (t.tag == CDER_UTC_TIME) {
        CMP_ENSURE(t.body.len == 13 && p[12] == 'Z', CMP_ERR_DECODE);
        CMP_TRY(digits(p, 2, &yy));
        year = yy >= 50 ? 1900 + yy : 2000 + yy;
        p += 2;
    } else if (t.tag == CDER_GENERALIZED_TIME) {
        /* = https://www.rfc-editor.org/rfc/rfc5280#section-4.1.2.5.2
         * # GeneralizedTime values MUST be expressed in Greenwich Mean Time
         * # (Zulu) and MUST include seconds (i.e., times are YYYYMMDDHHMMSSZ) */
        CMP_ENSURE(t.body.len == 15 && p[14] == 'Z', CMP_ERR_DECODE);
        CMP_TRY(digits(p, 4, &yy));
        year = yy;
        p += 4;
    } else {
        CMP_FAIL(CMP_ERR_DECODE);
    }
    CMP_TRY(digits(p, 2, &mo));
    CMP_TRY(digits(p + 2, 2, &dd));
    CMP_TRY(digits(p + 4, 2, &hh));
    CMP_TRY(digits(p + 6, 2, &mi));
    CMP_TRY(digits(p + 8, 2, &ss));
    CMP_ENSURE(mo >= 1 && mo <= 12 && dd >= 1 && dd <= days_in_month(year, mo), CMP_ERR_DECODE);
    CMP_ENSURE(hh <= 23 && mi <= 59 && ss <= 59, CMP_ERR_DECODE);
    *out = cmp_cder_days_from_civil(year, mo, dd) * 86400 + hh * 3600 + mi * 60 + ss;
    return CMP_OK;
}

/* ------------------------------------------------------------------------ */
/* writer                                                                   */
/* ------------------------------------------------------------------------ */

/* see crypto_int.h */
void cmp_cder_wr_init(cmp_cder_wr *w)
{
    w->data = NULL;
    w->len = 0;
    w->cap = 0;
    w->err = CMP_OK;
}

/* see crypto_int.h */
void cmp_cder_wr_cleanup(cmp_cder_wr *w)
{
    if (w->data != NULL) {
        cmp_wipe(w->data, w->cap);
        cmp_free(w->data);
    }
    cmp_cder_wr_init(w);
}

/* see crypto_int.h */
cmp_err cmp_cder_wr_finish(cmp_cder_wr *w, cmp_buf *out)
{
    cmp_err err = w->err;

    if (err != CMP_OK || w->len > CDER_MAX_LEN) {
        cmp_cder_wr_cleanup(w);
        CMP_FAIL(err != CMP_OK ? err : CMP_ERR_ENCODE);
    }
    out->data = w->data;
    out->len = w->len;
    cmp_cder_wr_init(w);
    return CMP_OK;
}

/* reserve makes room for |n| more bytes. Growth copies and wipes the old
 * buffer, because the writer also carries private keys (PKCS#8). */
static int reserve(cmp_cder_wr *w, size_t n)
{
    uint8_t *p;
    size_t cap;

    if (w->err != CMP_OK) {
        return 0;
    }
    if (n <= w->cap - w->len) {
        return 1;
    }
    if (n > CDER_MAX_LEN || w->len > CDER_MAX_LEN) {
        w->err = CMP_ERR_ENCODE;
        return 0;
    }
    cap = w->cap == 0 ? 256 : w->cap;
    while (cap - w->len < n) {
        cap *= 2;
    }
    p = cmp_malloc(cap);
    if (p == NULL) {
        w->err = CMP_ERR_NOMEM;
        return 0;
    }
    if (w->data != NULL) {
        memcpy(p, w->data, w->len);
        cmp_wipe(w->data, w->cap);
        cmp_free(w->data);
    }
    w->data = p;
    w->cap = cap;
    return 1;
}

/* see crypto_int.h */
void cmp_cder_put_raw(cmp_cder_wr *w, cmp_span bytes)
{
    if (bytes.len == 0 || !reserve(w, bytes.len)) {
        return;
    }
    memcpy(w->data + w->len, bytes.data, bytes.len);
    w->len += bytes.len;
}

static void put_u8(cmp_cder_wr *w, uint8_t b)
{
    cmp_span s;

    s.data = &b;
    s.len = 1;
    cmp_cder_put_raw(w, s);
}

/* len_octets returns how many octets the long form needs after 0x8n. */
static size_t len_octets(size_t len)
{
    size_t n = 0;

    if (len < 0x80) {
        return 0;
    }
    while (len > 0) {
        n++;
        len >>= 8;
    }
    return n;
}

static void put_len_at(uint8_t *p, size_t len)
{
    size_t n = len_octets(len), i;

    if (n == 0) {
        p[0] = (uint8_t)len;
        return;
    }
    p[0] = (uint8_t)(0x80 | n);
    for (i = 0; i < n; i++) {
        p[n - i] = (uint8_t)(len >> (8 * i));
    }
}

/* see crypto_int.h */
size_t cmp_cder_open(cmp_cder_wr *w, uint8_t tag)
{
    size_t pos = w->len;

    put_u8(w, tag);
    put_u8(w, 0); /* one length octet for now; close() makes room if needed */
    return pos;
}

/* see crypto_int.h */
void cmp_cder_close(cmp_cder_wr *w, size_t pos)
{
    size_t body_off = pos + 2, len, extra;

    if (w->err != CMP_OK) {
        return;
    }
    if (pos > w->len || w->len - pos < 2) {
        w->err = CMP_ERR_INTERNAL;
        return;
    }
    len = w->len - body_off;
    extra = len_octets(len);
    if (extra > 0) {
        if (!reserve(w, extra)) {
            return;
        }
        memmove(w->data + body_off + extra, w->data + body_off, len);
        w->len += extra;
    }
    put_len_at(w->data + pos + 1, len);
}

/* see crypto_int.h */
void cmp_cder_put_tlv(cmp_cder_wr *w, uint8_t tag, cmp_span body)
{
    size_t pos = cmp_cder_open(w, tag);

    cmp_cder_put_raw(w, body);
    cmp_cder_close(w, pos);
}

/* see crypto_int.h */
void cmp_cder_put_uint(cmp_cder_wr *w, cmp_span mag)
{
    size_t pos;

    while (mag.len > 1 && mag.data[0] == 0) {
        mag.data++;
        mag.len--;
    }
    pos = cmp_cder_open(w, CDER_INTEGER);
    if (mag.len == 0 || mag.data[0] >= 0x80) {
        put_u8(w, 0);
    }
    cmp_cder_put_raw(w, mag);
    cmp_cder_close(w, pos);
}

/* see crypto_int.h */
void cmp_cder_put_u32(cmp_cder_wr *w, uint32_t v)
{
    uint8_t b[4];
    cmp_span s;

    b[0] = (uint8_t)(v >> 24);
    b[1] = (uint8_t)(v >> 16);
    b[2] = (uint8_t)(v >> 8);
    b[3] = (uint8_t)v;
    s.data = b;
    s.len = 4;
    cmp_cder_put_uint(w, s);
}

/* see crypto_int.h */
void cmp_cder_put_bool(cmp_cder_wr *w, int v)
{
    uint8_t b = v ? 0xff : 0x00;
    cmp_span s;

    s.data = &b;
    s.len = 1;
    cmp_cder_put_tlv(w, CDER_BOOLEAN, s);
}

/* see crypto_int.h */
void cmp_cder_put_bits(cmp_cder_wr *w, cmp_span bits)
{
    size_t pos = cmp_cder_open(w, CDER_BIT_STRING);

    put_u8(w, 0);
    cmp_cder_put_raw(w, bits);
    cmp_cder_close(w, pos);
}

/* see crypto_int.h */
void cmp_cder_put_named_bits(cmp_cder_wr *w, uint32_t v)
{
    uint8_t b[5] = {0};
    unsigned top = 0, i, nbytes;
    cmp_span s;

    for (i = 0; i < 32; i++) {
        if (v & (1u << i)) {
            top = i + 1; /* bits 0..top-1 are significant */
            b[1 + i / 8] |= (uint8_t)(0x80u >> (i % 8));
        }
    }
    nbytes = (top + 7) / 8;
    b[0] = (uint8_t)(nbytes * 8 - top);
    s.data = b;
    s.len = 1 + nbytes;
    cmp_cder_put_tlv(w, CDER_BIT_STRING, s);
}

static void two(uint8_t *p, unsigned v)
{
    p[0] = (uint8_t)('0' + v / 10 % 10);
    p[1] = (uint8_t)('0' + v % 10);
}

/* see crypto_int.h.
 * = https://www.rfc-editor.org/rfc/rfc5280#section-4.1.2.5
 * # CAs conforming to this profile MUST always encode certificate
 * # validity dates through the year 2049 as UTCTime; certificate validity
 * # dates in 2050 or later MUST be encoded as GeneralizedTime. */
void cmp_cder_put_time(cmp_cder_wr *w, int64_t t)
{
    uint8_t b[15];
    int64_t days, secs, y;
    unsigned m, d, off = 0;
    cmp_span s;

    days = (t >= 0 ? t : t - 86399) / 86400;
    secs = t - days * 86400;
    cmp_cder_civil_from_days(days, &y, &m, &d);
    if (y < 1950 || y > 9999) {
        if (w->err == CMP_OK) {
            w->err = CMP_ERR_ARG;
        }
        return;
    }
    if (y >= 2050) {
        two(b, (unsigned)(y / 100));
        off = 2;
    }
    two(b + off, (unsigned)(y % 100));
    two(b + off + 2, m);
    two(b + off + 4, d);
    two(b + off + 6, (unsigned)(secs / 3600));
    two(b + off + 8, (unsigned)(secs / 60 % 60));
    two(b + off + 10, (unsigned)(secs % 60));
    b[off + 12] = 'Z';
    s.data = b;
    s.len = off + 13;
    cmp_cder_put_tlv(w, y >= 2050 ? CDER_GENERALIZED_TIME : CDER_UTC_TIME, s);
}

/* ------------------------------------------------------------------------ */
/* PEM (RFC 7468)                                                           */
/* ------------------------------------------------------------------------ */

static void put_str(cmp_cder_wr *w, const char *s)
{
    cmp_span sp;

    sp.data = (const uint8_t *)s;
    sp.len = strlen(s);
    cmp_cder_put_raw(w, sp);
}

/* see crypto_int.h. Base64 in lines of 64 characters (RFC 7468 section 2). */
cmp_err cmp_cder_pem_encode(cmp_buf *out, const char *label, cmp_span der)
{
    static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    cmp_cder_wr w;
    uint8_t q[4];
    size_t i, col = 0;
    uint32_t v = 0;

    cmp_cder_wr_init(&w);
    put_str(&w, "-----BEGIN ");
    put_str(&w, label);
    put_str(&w, "-----\n");
    for (i = 0; i < der.len; i += 3) {
        size_t n = der.len - i < 3 ? der.len - i : 3;
        v = (uint32_t)der.data[i] << 16;
        v |= n > 1 ? (uint32_t)der.data[i + 1] << 8 : 0;
        v |= n > 2 ? (uint32_t)der.data[i + 2] : 0;
        q[0] = (uint8_t)b64[(v >> 18) & 63];
        q[1] = (uint8_t)b64[(v >> 12) & 63];
        q[2] = (uint8_t)(n > 1 ? b64[(v >> 6) & 63] : '=');
        q[3] = (uint8_t)(n > 2 ? b64[v & 63] : '=');
        cmp_cder_put_raw(&w, (cmp_span){q, 4});
        col += 4;
        if (col == 64 || i + 3 >= der.len) {
            put_str(&w, "\n");
            col = 0;
        }
    }
    put_str(&w, "-----END ");
    put_str(&w, label);
    put_str(&w, "-----\n");
    /* the DER may be a private key: leave none of it on the stack */
    cmp_wipe(q, sizeof(q));
    cmp_wipe(&v, sizeof(v));
    return cmp_cder_wr_finish(&w, out);
}
