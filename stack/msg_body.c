/* SPDX-License-Identifier: Apache-2.0 */
/*
 * stack/msg_body.c: what every body file of the message layer shares:
 * making and installing a PKIBody, copying checked spans into asn1c
 * members, and the two X.509 time forms (RFC 5280 section 4.1.2.5) without
 * <time.h>. See msg_body_int.h.
 */
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "cmp/mem.h"
#include "cmp/oid.h"
#include "err_int.h"
#include "msg_body_int.h"
#include "rd_int.h"

/* ---- bodies --------------------------------------------------------------- */

/* see msg_body_int.h */
cmp_err cmp_body_new(PKIBody_t **out, int type)
{
    PKIBody_t *b;

    CMP_ENSURE(out != NULL, CMP_ERR_ARG);
    *out = NULL;
    CMP_ENSURE(type >= CMP_BODY_IR && type <= CMP_BODY_POLLREP, CMP_ERR_ARG);
    b = cmp_calloc(1, sizeof(*b));
    CMP_ENSURE(b != NULL, CMP_ERR_NOMEM);
    /* PKIBody_PR numbers the alternatives from 1, in tag order. */
    b->present = (PKIBody_PR)(type + 1);
    *out = b;
    return CMP_OK;
}

/* see msg_body_int.h */
void cmp_body_free(PKIBody_t *body)
{
    if (body != NULL) {
        ASN_STRUCT_FREE(asn_DEF_PKIBody, body);
    }
}

/* see msg_body_int.h */
cmp_err cmp_body_install(cmp_msg *m, PKIBody_t **body)
{
    CMP_ENSURE(m != NULL && m->pm != NULL && body != NULL && *body != NULL, CMP_ERR_ARG);
    CMP_ENSURE(!m->decoded, CMP_ERR_STATE);
    cmp_body_free(m->pm->body);
    m->pm->body = *body;
    *body = NULL;
    return CMP_OK;
}

/* see msg_body_int.h */
const PKIBody_t *cmp_body_of(const cmp_msg *m, int type)
{
    const PKIBody_t *b = cmp_msg_body_get(m);

    if (b == NULL || (int)b->present != type + 1) {
        return NULL;
    }
    return b;
}

/* see msg_body_int.h */
int cmp_body_is_certreq(int type)
{
    return type == CMP_BODY_IR || type == CMP_BODY_CR || type == CMP_BODY_KUR;
}

/* see msg_body_int.h */
int cmp_body_is_certrep(int type)
{
    return type == CMP_BODY_IP || type == CMP_BODY_CP || type == CMP_BODY_KUP;
}

/*
 * PKIBody ::= CHOICE { ir [0] CertReqMessages, ... } (RFC 4210 section
 * 5.1.2): each alternative is an EXPLICIT context tag around the content,
 * here a SEQUENCE OF. The cursor finds the |i|-th element as received.
 */
/* see msg_body_int.h */
cmp_err cmp_body_raw_item(const cmp_msg *m, size_t i, cmp_span *out)
{
    cmp_rd rd, inner;
    cmp_tlv tlv;
    size_t k;

    CMP_ENSURE(m != NULL && out != NULL, CMP_ERR_ARG);
    CMP_ENSURE(m->decoded && m->raw_body.len > 0, CMP_ERR_STATE);
    cmp_rd_init(&rd, m->raw_body.data, m->raw_body.len);
    CMP_TRY(cmp_rd_get_any_tlv(&rd, &tlv));
    cmp_rd_contents(&tlv, &inner);
    CMP_TRY(cmp_rd_get_tlv(&inner, 0x30, &tlv));
    cmp_rd_contents(&tlv, &rd);
    for (k = 0; k <= i; k++) {
        CMP_TRY(cmp_rd_get_any_tlv(&rd, &tlv));
    }
    *out = tlv.whole;
    return CMP_OK;
}

/* ---- values --------------------------------------------------------------- */

/* see msg_body_int.h */
cmp_span cmp_bytes_span(const uint8_t *buf, int size)
{
    cmp_span s = {NULL, 0};

    if (buf != NULL && size > 0) {
        s.data = buf;
        s.len = (size_t)size;
    }
    return s;
}

/* see msg_body_int.h */
cmp_err cmp_bytes_set(uint8_t **buf, int *size, cmp_span in)
{
    uint8_t *p;

    CMP_ENSURE(buf != NULL && size != NULL, CMP_ERR_ARG);
    CMP_ENSURE(in.len <= (size_t)INT_MAX - 1, CMP_ERR_ARG);
    CMP_ENSURE(in.len == 0 || in.data != NULL, CMP_ERR_ARG);
    /* asn1c keeps a NUL after string contents; keep the convention. */
    p = cmp_malloc(in.len + 1);
    CMP_ENSURE(p != NULL, CMP_ERR_NOMEM);
    if (in.len > 0) {
        memcpy(p, in.data, in.len);
    }
    p[in.len] = 0;
    cmp_free(*buf);
    *buf = p;
    *size = (int)in.len;
    return CMP_OK;
}

/* see msg_body_int.h */
cmp_err cmp_octets_set(OCTET_STRING_t *out, cmp_span in)
{
    CMP_ENSURE(out != NULL, CMP_ERR_ARG);
    return cmp_bytes_set(&out->buf, &out->size, in);
}

/* see msg_body_int.h */
cmp_err cmp_octets_new(OCTET_STRING_t **out, cmp_span in)
{
    OCTET_STRING_t *os;
    cmp_err err;

    CMP_ENSURE(out != NULL, CMP_ERR_ARG);
    *out = NULL;
    os = cmp_calloc(1, sizeof(*os));
    CMP_ENSURE(os != NULL, CMP_ERR_NOMEM);
    err = cmp_octets_set(os, in);
    if (err != CMP_OK) {
        cmp_free(os);
        return err;
    }
    *out = os;
    return CMP_OK;
}

/* X.690 8.3.2: "the bits of the first octet and bit 8 of the second octet
 * shall not all be ones; and shall not all be zero". */
/* see msg_body_int.h */
cmp_err cmp_int_bytes_set(INTEGER_t *out, cmp_span content)
{
    CMP_ENSURE(out != NULL && content.data != NULL && content.len > 0, CMP_ERR_ARG);
    if (content.len > 1) {
        uint8_t a = content.data[0], b = content.data[1] & 0x80;
        CMP_ENSURE(!(a == 0x00 && b == 0) && !(a == 0xff && b != 0), CMP_ERR_ARG);
    }
    return cmp_bytes_set(&out->buf, &out->size, content);
}

/* see msg_body_int.h */
cmp_err cmp_oid_set(OBJECT_IDENTIFIER_t *out, cmp_span oid)
{
    CMP_ENSURE(out != NULL && cmp_oid_valid(oid), CMP_ERR_ARG);
    return cmp_bytes_set(&out->buf, &out->size, oid);
}

/* see msg_body_int.h */
cmp_err cmp_asn_decode_into(const asn_TYPE_descriptor_t *td, cmp_span in, void *dst,
                            size_t size)
{
    void *tmp = NULL;

    CMP_ENSURE(td != NULL && dst != NULL, CMP_ERR_ARG);
    CMP_TRY(cmp_asn_decode_strict(td, in, &tmp));
    /* Move the decoded members into place and drop the empty shell; the
     * runtime frees with the same allocator (asn1/patches/skel-01). */
    memcpy(dst, tmp, size);
    cmp_free(tmp);
    return CMP_OK;
}

/* ---- time ----------------------------------------------------------------- */

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
 * days_from_civil), for years far beyond anything a certificate holds. */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    int64_t era, yoe, doy, doe;

    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* see msg_body_int.h */
void cmp_tm_from_epoch(int64_t t, cmp_tm *out)
{
    int64_t days = t / 86400, secs = t % 86400;
    int64_t z, era, doe, yoe, doy, mp;

    if (secs < 0) {
        secs += 86400;
        days -= 1;
    }
    z = days + 719468;
    era = (z >= 0 ? z : z - 146096) / 146097;
    doe = z - era * 146097;
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    out->mday = (int)(doy - (153 * mp + 2) / 5 + 1);
    out->mon = (int)(mp < 10 ? mp + 3 : mp - 9);
    out->year = yoe + era * 400 + (out->mon <= 2);
    out->hour = (int)(secs / 3600);
    out->min = (int)(secs / 60 % 60);
    out->sec = (int)(secs % 60);
}

static int days_in_month(int64_t y, int m)
{
    static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

    return mdays[m - 1] + (m == 2 && leap);
}

/* see msg_body_int.h */
cmp_err cmp_tm_to_epoch(const cmp_tm *in, int64_t *out)
{
    CMP_ENSURE(in != NULL && out != NULL, CMP_ERR_ARG);
    /* Years 0..9999: what GeneralizedTime's four digits can hold. */
    CMP_ENSURE(in->year >= 0 && in->year <= 9999, CMP_ERR_DER_VALUE);
    CMP_ENSURE(in->mon >= 1 && in->mon <= 12, CMP_ERR_DER_VALUE);
    CMP_ENSURE(in->mday >= 1 && in->mday <= days_in_month(in->year, in->mon), CMP_ERR_DER_VALUE);
    CMP_ENSURE(in->hour >= 0 && in->hour <= 23, CMP_ERR_DER_VALUE);
    CMP_ENSURE(in->min >= 0 && in->min <= 59, CMP_ERR_DER_VALUE);
    CMP_ENSURE(in->sec >= 0 && in->sec <= 59, CMP_ERR_DER_VALUE);
    *out = days_from_civil(in->year, in->mon, in->mday) * 86400 + in->hour * 3600 +
           in->min * 60 + in->sec;
    return CMP_OK;
}

/* Reads |n| decimal digits of |text| from |*pos|. */
static cmp_err get_digits(cmp_span text, size_t *pos, size_t n, int *out)
{
    size_t i;
    int v = 0;

    CMP_ENSURE(*pos <= text.len && n <= text.len - *pos, CMP_ERR_DER_VALUE);
    for (i = 0; i < n; i++) {
        uint8_t c = text.data[*pos + i];
        CMP_ENSURE(c >= '0' && c <= '9', CMP_ERR_DER_VALUE);
        v = v * 10 + (c - '0');
    }
    *pos += n;
    *out = v;
    return CMP_OK;
}

/*
 * = https://www.rfc-editor.org/rfc/rfc5280#section-4.1.2.5.1
 * # UTCTime values MUST be expressed in Greenwich Mean Time (Zulu) and
 * # MUST include seconds (i.e., times are YYMMDDHHMMSSZ)
 * # Where YY is greater than or equal to 50, the year SHALL be
 * # interpreted as 19YY; and Where YY is less than 50, the year SHALL be
 * # interpreted as 20YY.
 *
 * = https://www.rfc-editor.org/rfc/rfc5280#section-4.1.2.5.2
 * # GeneralizedTime values MUST be expressed in Greenwich Mean Time (Zulu)
 * # and MUST include seconds (i.e., times are YYYYMMDDHHMMSSZ), even where
 * # the number of seconds is zero.  GeneralizedTime values MUST NOT
 * # include fractional seconds.
 */
/* see msg_body_int.h */
cmp_err cmp_time_parse(cmp_span text, int generalized, int64_t *out)
{
    cmp_tm tm;
    size_t pos = 0;
    int y;

    CMP_ENSURE(out != NULL && text.data != NULL, CMP_ERR_DER_VALUE);
    CMP_ENSURE(text.len == (generalized ? 15u : 13u), CMP_ERR_DER_VALUE);
    CMP_TRY(get_digits(text, &pos, generalized ? 4 : 2, &y));
    tm.year = generalized ? y : (y >= 50 ? 1900 + y : 2000 + y);
    CMP_TRY(get_digits(text, &pos, 2, &tm.mon));
    CMP_TRY(get_digits(text, &pos, 2, &tm.mday));
    CMP_TRY(get_digits(text, &pos, 2, &tm.hour));
    CMP_TRY(get_digits(text, &pos, 2, &tm.min));
    CMP_TRY(get_digits(text, &pos, 2, &tm.sec));
    CMP_ENSURE(text.data[pos] == 'Z', CMP_ERR_DER_VALUE);
    return cmp_tm_to_epoch(&tm, out);
}

/* Time ::= CHOICE { utcTime UTCTime, generalTime GeneralizedTime }
 * (RFC 5280 section 4.1). */
/* see msg_body_int.h */
cmp_err cmp_time_read(const Time_t *in, int64_t *out)
{
    CMP_ENSURE(in != NULL && out != NULL, CMP_ERR_ARG);
    switch (in->present) {
    case Time_PR_utcTime:
        return cmp_time_parse(CMP_SPAN_OF(&in->choice.utcTime), 0, out);
    case Time_PR_generalTime:
        return cmp_time_parse(CMP_SPAN_OF(&in->choice.generalTime), 1, out);
    default:
        CMP_FAIL(CMP_ERR_DER_VALUE);
    }
}

static void put2(char *p, int v)
{
    p[0] = (char)('0' + v / 10 % 10);
    p[1] = (char)('0' + v % 10);
}

/*
 * = https://www.rfc-editor.org/rfc/rfc5280#section-4.1.2.5
 * # CAs conforming to this profile MUST always encode certificate
 * # validity dates through the year 2049 as UTCTime; certificate validity
 * # dates in 2050 or later MUST be encoded as GeneralizedTime.
 */
/* see msg_body_int.h */
cmp_err cmp_time_fill(Time_t *out, int64_t t)
{
    char s[16];
    cmp_span text;
    cmp_tm tm;
    size_t off;

    CMP_ENSURE(out != NULL, CMP_ERR_ARG);
    cmp_tm_from_epoch(t, &tm);
    CMP_ENSURE(tm.year >= 1950 && tm.year <= 9999, CMP_ERR_ARG);
    put2(s, (int)(tm.year / 100));
    put2(s + 2, (int)(tm.year % 100));
    put2(s + 4, tm.mon);
    put2(s + 6, tm.mday);
    put2(s + 8, tm.hour);
    put2(s + 10, tm.min);
    put2(s + 12, tm.sec);
    s[14] = 'Z';
    off = tm.year < 2050 ? 2 : 0;
    text.data = (const uint8_t *)s + off;
    text.len = 15 - off;
    if (off != 0) {
        out->present = Time_PR_utcTime;
        return cmp_octets_set(&out->choice.utcTime, text);
    }
    out->present = Time_PR_generalTime;
    return cmp_octets_set(&out->choice.generalTime, text);
}

/* see msg_body_int.h */
void cmp_time_iso(char out[CMP_ISO_TIME_LEN], int64_t t)
{
    char tmp[24];
    uint64_t y;
    size_t i = sizeof(tmp), n = 0;
    cmp_tm tm;

    cmp_tm_from_epoch(t, &tm);
    if (tm.year < 0) {
        out[n++] = '-';
    }
    y = tm.year < 0 ? (uint64_t)(-(tm.year + 1)) + 1u : (uint64_t)tm.year;
    do {
        tmp[--i] = (char)('0' + (int)(y % 10u));
        y /= 10u;
    } while (y != 0 || sizeof(tmp) - i < 4);
    memcpy(out + n, tmp + i, sizeof(tmp) - i);
    n += sizeof(tmp) - i;
    out[n++] = '-';
    put2(out + n, tm.mon);
    out[n + 2] = '-';
    put2(out + n + 3, tm.mday);
    out[n + 5] = 'T';
    put2(out + n + 6, tm.hour);
    out[n + 8] = ':';
    put2(out + n + 9, tm.min);
    out[n + 11] = ':';
    put2(out + n + 12, tm.sec);
    out[n + 14] = 'Z';
    out[n + 15] = '\0';
}
