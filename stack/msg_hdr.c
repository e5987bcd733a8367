/* SPDX-License-Identifier: Apache-2.0 */
/*
 * stack/msg_hdr.c: the PKIHeader of a message, built from a cmp_hdr_spec
 * and read back through accessors, and the GeneralizedTime form the header
 * uses. Accessors only report what the header says; whether a value is
 * acceptable (pvno, nonces, times) is the protocol code's decision
 * (STYLE.md section 6: decoding never decides policy).
 *
 * PKIHeader ::= SEQUENCE {
 *     pvno                INTEGER     { cmp1999(1), cmp2000(2), cmp2021(3) },
 *     sender              GeneralName,
 *     recipient           GeneralName,
 *     messageTime     [0] GeneralizedTime         OPTIONAL,
 *     protectionAlg   [1] AlgorithmIdentifier{ALGORITHM, {...}} OPTIONAL,
 *     senderKID       [2] KeyIdentifier           OPTIONAL,
 *     recipKID        [3] KeyIdentifier           OPTIONAL,
 *     transactionID   [4] OCTET STRING            OPTIONAL,
 *     senderNonce     [5] OCTET STRING            OPTIONAL,
 *     recipNonce      [6] OCTET STRING            OPTIONAL,
 *     freeText        [7] PKIFreeText             OPTIONAL,
 *     generalInfo     [8] SEQUENCE SIZE (1..MAX) OF
 *                         InfoTypeAndValue     OPTIONAL }
 *                                               (RFC 9810 section 5.1.1)
 */
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "cmp/mem.h"
#include "err_int.h"
#include "msg_body_int.h"
#include "msg_int.h"
#include "rd_int.h"

#include "AlgorithmIdentifier.h"
#include "InfoTypeAndValue.h"
#include "PKIFreeText.h"

/* id-it-implicitConfirm 1.3.6.1.5.5.7.4.13 and id-it-confirmWaitTime
 * 1.3.6.1.5.5.7.4.14 (RFC 9810 section 5.1.1.1 and 5.1.1.2), content bytes. */
static const uint8_t oid_implicit_confirm[] = {0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x04, 0x0d};
static const uint8_t oid_confirm_wait_time[] = {0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x04, 0x0e};
/* ImplicitConfirmValue ::= NULL */
static const uint8_t der_null[] = {0x05, 0x00};

/* ---- GeneralizedTime ------------------------------------------------------ */

/* The calendar arithmetic is msg_body.c's (cmp_tm_to_epoch and
 * cmp_tm_from_epoch), shared with the X.509 Time of certificates. */

/* |n| decimal digits of |rd| as a number. */
static cmp_err get_digits(cmp_rd *rd, unsigned n, int *out)
{
    int v = 0;

    while (n-- > 0) {
        uint8_t c;
        CMP_ENSURE(cmp_rd_get_u8(rd, &c) == CMP_OK, CMP_ERR_DER_VALUE);
        CMP_ENSURE(c >= '0' && c <= '9', CMP_ERR_DER_VALUE);
        v = v * 10 + (c - '0');
    }
    *out = v;
    return CMP_OK;
}

/* Month, day, hour, minute and second of a time value into |tm|. */
static cmp_err get_date_time(cmp_rd *rd, cmp_tm *tm)
{
    CMP_TRY(get_digits(rd, 2, &tm->mon));
    CMP_TRY(get_digits(rd, 2, &tm->mday));
    CMP_TRY(get_digits(rd, 2, &tm->hour));
    CMP_TRY(get_digits(rd, 2, &tm->min));
    return get_digits(rd, 2, &tm->sec);
}

static cmp_err expect_end_z(cmp_rd *rd)
{
    uint8_t c;

    CMP_ENSURE(cmp_rd_get_u8(rd, &c) == CMP_OK && c == 'Z', CMP_ERR_DER_VALUE);
    CMP_ENSURE(cmp_rd_left(rd) == 0, CMP_ERR_DER_VALUE);
    return CMP_OK;
}

/*
 * = https://www.itu.int/rec/T-REC-X.690 section 11.7
 * # The encoding shall terminate with a "Z" ... The seconds element shall
 * # always be present. The fractional-seconds elements, if present, shall
 * # omit all trailing zeros; if the elements correspond to 0, they shall be
 * # wholly omitted, and the decimal point element also shall be omitted.
 * # The decimal point element, if present, shall be the point option ".".
 */
/* see msg_int.h */
cmp_err cmp_gtime_parse(cmp_span text, int64_t *out)
{
    cmp_rd rd;
    cmp_tm tm;
    int year;
    uint8_t c;

    CMP_ENSURE(out != NULL, CMP_ERR_ARG);
    cmp_rd_init(&rd, text.data, text.len);
    CMP_TRY(get_digits(&rd, 4, &year));
    tm.year = year;
    CMP_TRY(get_date_time(&rd, &tm));
    if (cmp_rd_peek_tag(&rd, &c) && c == '.') {
        uint8_t last = '0';
        unsigned digits = 0;

        CMP_TRY(cmp_rd_get_u8(&rd, &c));
        while (cmp_rd_peek_tag(&rd, &c) && c >= '0' && c <= '9') {
            CMP_TRY(cmp_rd_get_u8(&rd, &last));
            digits++;
        }
        CMP_ENSURE(digits > 0 && last != '0', CMP_ERR_DER_VALUE);
    }
    CMP_TRY(expect_end_z(&rd));
    /* a real date: month 1..12, day within the month, 23:59:59 at most */
    return cmp_tm_to_epoch(&tm, out);
}

/* see msg_int.h */
cmp_err cmp_utctime_check(cmp_span text)
{
    int64_t t;

    /* RFC 5280 section 4.1.2.5.1: YY >= 50 is 19YY, else 20YY */
    return cmp_time_parse(text, 0, &t);
}

static void put_num(uint8_t *out, unsigned n, int64_t v)
{
    while (n > 0) {
        n--;
        out[n] = (uint8_t)('0' + v % 10);
        v /= 10;
    }
}

/* see msg_int.h */
cmp_err cmp_gtime_format(uint8_t out[CMP_GTIME_LEN], int64_t t)
{
    /* 0000-01-01T00:00:00Z and 9999-12-31T23:59:59Z */
    const int64_t lo = -62167219200LL, hi = 253402300799LL;
    cmp_tm tm;

    CMP_ENSURE(out != NULL && t >= lo && t <= hi, CMP_ERR_ARG);
    cmp_tm_from_epoch(t, &tm);
    put_num(&out[0], 4, tm.year);
    put_num(&out[4], 2, tm.mon);
    put_num(&out[6], 2, tm.mday);
    put_num(&out[8], 2, tm.hour);
    put_num(&out[10], 2, tm.min);
    put_num(&out[12], 2, tm.sec);
    out[14] = 'Z';
    return CMP_OK;
}

/* ---- building ------------------------------------------------------------- */

static cmp_err bytes_copy(uint8_t **buf, int *size, cmp_span in)
{
    uint8_t *p;

    CMP_ENSURE(in.len <= INT_MAX && (in.data != NULL || in.len == 0), CMP_ERR_ARG);
    p = cmp_malloc(in.len);
    CMP_ENSURE(p != NULL, CMP_ERR_NOMEM);
    if (in.len > 0) {
        memcpy(p, in.data, in.len);
    }
    *buf = p;
    *size = (int)in.len;
    return CMP_OK;
}

/* An OPTIONAL OCTET STRING member: empty |in| leaves it absent. */
static cmp_err set_octets(OCTET_STRING_t **out, cmp_span in)
{
    OCTET_STRING_t *os;

    if (in.len == 0) {
        return CMP_OK;
    }
    os = cmp_calloc(1, sizeof(*os));
    CMP_ENSURE(os != NULL, CMP_ERR_NOMEM);
    if (bytes_copy(&os->buf, &os->size, in) != CMP_OK) {
        cmp_free(os);
        CMP_FAIL(in.len > INT_MAX ? CMP_ERR_ARG : CMP_ERR_NOMEM);
    }
    *out = os;
    return CMP_OK;
}

/* Builder inputs are the caller's: a malformed one is CMP_ERR_ARG. */
static cmp_err decode_input(const asn_TYPE_descriptor_t *td, cmp_span in, void **out)
{
    cmp_err err = cmp_asn_decode_strict(td, in, out);

    if (err != CMP_OK && err != CMP_ERR_NOMEM) {
        CMP_FAIL(CMP_ERR_ARG);
    }
    return err;
}

/* sender and recipient; an empty span is the NULL-DN of RFC 9810 5.1.1:
 * "the sender field MUST contain a 'NULL-DN' value (in the case of a
 * directoryName, a Name with an empty RDNSequence)". */
static cmp_err set_general_name(GeneralName_t *dst, cmp_span der)
{
    GeneralName_t *tmp = NULL;

    if (der.len == 0) {
        dst->present = GeneralName_PR_directoryName;
        dst->choice.directoryName.present = Name_PR_rdnSequence;
        return CMP_OK;
    }
    CMP_TRY(decode_input(&asn_DEF_GeneralName, der, (void **)&tmp));
    /* Move the members into the header and drop the shell. */
    memcpy(dst, tmp, sizeof(*dst));
    memset(&dst->_asn_ctx, 0, sizeof(dst->_asn_ctx));
    cmp_free(tmp);
    return CMP_OK;
}

static cmp_err set_time(GeneralizedTime_t **out, int64_t t)
{
    uint8_t text[CMP_GTIME_LEN];
    cmp_span s = {text, sizeof(text)};

    CMP_TRY(cmp_gtime_format(text, t));
    return set_octets(out, s);
}

static cmp_err set_free_text(PKIFreeText_t **out, const cmp_span *texts, size_t num)
{
    PKIFreeText_t *ft;
    size_t i;

    if (num == 0) {
        return CMP_OK;
    }
    ft = cmp_calloc(1, sizeof(*ft));
    CMP_ENSURE(ft != NULL, CMP_ERR_NOMEM);
    *out = ft; /* from here on freed with the header */
    for (i = 0; i < num; i++) {
        UTF8String_t *s = NULL;

        CMP_TRY(set_octets(&s, texts[i]));
        if (s == NULL) { /* an empty string is still a string */
            s = cmp_calloc(1, sizeof(*s));
            CMP_ENSURE(s != NULL, CMP_ERR_NOMEM);
            s->buf = cmp_malloc(1);
            if (s->buf == NULL) {
                cmp_free(s);
                CMP_FAIL(CMP_ERR_NOMEM);
            }
        }
        if (ASN_SEQUENCE_ADD(&ft->list, s) != 0) {
            ASN_STRUCT_FREE(asn_DEF_UTF8String, s);
            CMP_FAIL(CMP_ERR_NOMEM);
        }
    }
    return CMP_OK;
}

/* Appends InfoTypeAndValue { infoType, infoValue } to generalInfo. */
static cmp_err add_general_info(PKIHeader_t *h, cmp_span oid, cmp_span value)
{
    InfoTypeAndValue_t *itav;
    cmp_err err = CMP_ERR_INTERNAL;

    itav = cmp_calloc(1, sizeof(*itav));
    CMP_ENSURE(itav != NULL, CMP_ERR_NOMEM);
    CMP_TRY_OUT(bytes_copy(&itav->infoType.buf, &itav->infoType.size, oid));
    itav->infoValue = cmp_calloc(1, sizeof(*itav->infoValue));
    CMP_ENSURE_OUT(itav->infoValue != NULL, CMP_ERR_NOMEM);
    CMP_TRY_OUT(bytes_copy(&itav->infoValue->buf, &itav->infoValue->size, value));
    if (h->generalInfo == NULL) {
        h->generalInfo = cmp_calloc(1, sizeof(*h->generalInfo));
        CMP_ENSURE_OUT(h->generalInfo != NULL, CMP_ERR_NOMEM);
    }
    CMP_ENSURE_OUT(ASN_SEQUENCE_ADD(&h->generalInfo->list, itav) == 0, CMP_ERR_NOMEM);
    itav = NULL;
    err = CMP_OK;
out:
    if (itav != NULL) {
        ASN_STRUCT_FREE(asn_DEF_InfoTypeAndValue, itav);
    }
    return err;
}

/*
 * = https://www.rfc-editor.org/rfc/rfc9810#section-5.1.1.1
 * # The ImplicitConfirm value ... is NULL
 *
 * = https://www.rfc-editor.org/rfc/rfc9810#section-5.1.1.2
 * # ConfirmWaitTimeValue ::= GeneralizedTime
 */
static cmp_err set_general_info(PKIHeader_t *h, const cmp_hdr_spec *spec)
{
    if (spec->implicit_confirm) {
        cmp_span oid = {oid_implicit_confirm, sizeof(oid_implicit_confirm)};
        cmp_span val = {der_null, sizeof(der_null)};
        CMP_TRY(add_general_info(h, oid, val));
    }
    if (spec->confirm_wait_time > 0) {
        uint8_t tlv[2 + CMP_GTIME_LEN] = {0x18, CMP_GTIME_LEN};
        cmp_span oid = {oid_confirm_wait_time, sizeof(oid_confirm_wait_time)};
        cmp_span val = {tlv, sizeof(tlv)};
        CMP_TRY(cmp_gtime_format(&tlv[2], spec->confirm_wait_time));
        CMP_TRY(add_general_info(h, oid, val));
    }
    return CMP_OK;
}

static cmp_err fill_header(PKIHeader_t *h, const cmp_hdr_spec *spec)
{
    CMP_TRY(cmp_int_set(&h->pvno, spec->pvno == 0 ? CMP_PVNO_2000 : spec->pvno));
    CMP_TRY(set_general_name(&h->sender, spec->sender));
    CMP_TRY(set_general_name(&h->recipient, spec->recipient));
    if (spec->message_time >= 0) {
        CMP_TRY(set_time(&h->messageTime, spec->message_time));
    }
    if (spec->protection_alg.len > 0) {
        CMP_TRY(decode_input(&asn_DEF_AlgorithmIdentifier, spec->protection_alg,
                             (void **)&h->protectionAlg));
    }
    CMP_TRY(set_octets(&h->senderKID, spec->sender_kid));
    CMP_TRY(set_octets(&h->recipKID, spec->recip_kid));
    CMP_TRY(set_octets(&h->transactionID, spec->transaction_id));
    CMP_TRY(set_octets(&h->senderNonce, spec->sender_nonce));
    CMP_TRY(set_octets(&h->recipNonce, spec->recip_nonce));
    CMP_TRY(set_free_text(&h->freeText, spec->free_text, spec->num_free_text));
    CMP_TRY(set_general_info(h, spec));
    /* For example, freeText that is not UTF-8. */
    CMP_ENSURE(asn_check_constraints(&asn_DEF_PKIHeader, h, NULL, NULL) == 0, CMP_ERR_ARG);
    return CMP_OK;
}

/* see cmp/msg.h */
cmp_err cmp_msg_new(cmp_msg **out, const cmp_hdr_spec *hdr)
{
    cmp_msg *m = NULL;
    cmp_err err = CMP_ERR_INTERNAL;

    CMP_ENSURE(out != NULL, CMP_ERR_ARG);
    *out = NULL;
    CMP_ENSURE(hdr != NULL, CMP_ERR_ARG);
    CMP_ENSURE(hdr->pvno == 0 || hdr->pvno == CMP_PVNO_2000 || hdr->pvno == CMP_PVNO_2021,
               CMP_ERR_ARG);
    CMP_ENSURE(hdr->num_free_text == 0 || hdr->free_text != NULL, CMP_ERR_ARG);
    m = cmp_calloc(1, sizeof(*m));
    CMP_ENSURE(m != NULL, CMP_ERR_NOMEM);
    m->pm = cmp_calloc(1, sizeof(*m->pm));
    CMP_ENSURE_OUT(m->pm != NULL, CMP_ERR_NOMEM);
    CMP_TRY_OUT(fill_header(&m->pm->header, hdr));
    *out = m;
    m = NULL;
    err = CMP_OK;
out:
    cmp_msg_free(m);
    return err;
}

/* ---- reading -------------------------------------------------------------- */

static const cmp_span no_span = {NULL, 0};

static cmp_span prim_span(const uint8_t *buf, int size)
{
    cmp_span s = {NULL, 0};

    if (buf != NULL && size > 0) {
        s.data = buf;
        s.len = (size_t)size;
    }
    return s;
}

static const PKIHeader_t *hdr_of(const cmp_msg *m)
{
    return m != NULL && m->pm != NULL ? &m->pm->header : NULL;
}

/* The |index|-th element of the header as received (0 pvno, 1 sender,
 * 2 recipient), when the header's framing is DER. Returns 1 when found. */
static int raw_header_child(const cmp_msg *m, size_t index, cmp_tlv *out)
{
    cmp_rd rd, inner;
    cmp_tlv hdr;
    size_t i;

    if (!m->decoded) {
        return 0;
    }
    cmp_rd_init(&rd, m->raw_header.data, m->raw_header.len);
    if (cmp_rd_get_any_tlv(&rd, &hdr) != CMP_OK) {
        return 0;
    }
    cmp_rd_contents(&hdr, &inner);
    for (i = 0; i <= index; i++) {
        if (cmp_rd_get_any_tlv(&inner, out) != CMP_OK) {
            return 0;
        }
    }
    return 1;
}

/* The optional header field [tag] as received (after the three mandatory
 * ones, whose GeneralName tags may look alike). Returns 1 when found. */
static int raw_header_field(const cmp_msg *m, uint8_t tag, cmp_tlv *out)
{
    cmp_rd rd, inner;
    cmp_tlv hdr;
    size_t i;

    if (!m->decoded) {
        return 0;
    }
    cmp_rd_init(&rd, m->raw_header.data, m->raw_header.len);
    if (cmp_rd_get_any_tlv(&rd, &hdr) != CMP_OK) {
        return 0;
    }
    cmp_rd_contents(&hdr, &inner);
    for (i = 0; cmp_rd_left(&inner) > 0; i++) {
        if (cmp_rd_get_any_tlv(&inner, out) != CMP_OK) {
            return 0;
        }
        if (i >= 3 && out->tag == tag) {
            return 1;
        }
    }
    return 0;
}

/* The DER of a header member: the received bytes when they are DER-framed,
 * else an encoding kept in the arena (built messages, BER input). */
static cmp_span member_der(const cmp_msg *m, int found, const cmp_tlv *raw,
                           const asn_TYPE_descriptor_t *td, const void *sptr)
{
    cmp_span s = {NULL, 0};

    if (found) {
        return raw->whole;
    }
    if (sptr == NULL || cmp_msg_arena_encode(m, td, sptr, &s) != CMP_OK) {
        return no_span;
    }
    return s;
}

/* see cmp/msg.h */
cmp_body_type cmp_msg_body_type(const cmp_msg *m)
{
    const PKIBody_t *b = cmp_msg_body_get(m);

    if (b == NULL || b->present <= PKIBody_PR_NOTHING || b->present > PKIBody_PR_pollRep) {
        return CMP_BODY_NONE;
    }
    return (cmp_body_type)(b->present - PKIBody_PR_ir);
}

/* see cmp/msg.h */
cmp_err cmp_msg_pvno(const cmp_msg *m, long *out)
{
    const PKIHeader_t *h = hdr_of(m);
    int64_t v;

    CMP_ENSURE(h != NULL && out != NULL, CMP_ERR_ARG);
    CMP_ENSURE(cmp_int_get(&h->pvno, &v) == CMP_OK, CMP_ERR_PVNO);
    CMP_ENSURE(v >= LONG_MIN && v <= LONG_MAX, CMP_ERR_PVNO);
    *out = (long)v;
    return CMP_OK;
}

static cmp_span general_name(const cmp_msg *m, size_t index, const GeneralName_t *gn)
{
    cmp_tlv raw;
    int found;

    if (hdr_of(m) == NULL) {
        return no_span;
    }
    found = raw_header_child(m, index, &raw);
    return member_der(m, found, &raw, &asn_DEF_GeneralName, gn);
}

/* see cmp/msg.h */
cmp_span cmp_msg_sender(const cmp_msg *m)
{
    return general_name(m, 1, m != NULL && m->pm != NULL ? &m->pm->header.sender : NULL);
}

/* see cmp/msg.h */
cmp_span cmp_msg_recipient(const cmp_msg *m)
{
    return general_name(m, 2, m != NULL && m->pm != NULL ? &m->pm->header.recipient : NULL);
}

/* directoryName [4] Name (EXPLICIT, RFC 5280 Appendix A.2): the Name is
 * the contents of the [4] element. */
static cmp_span directory_name(cmp_span gn)
{
    cmp_rd rd;
    cmp_tlv t;

    cmp_rd_init(&rd, gn.data, gn.len);
    if (cmp_rd_get_tlv(&rd, 0xa4, &t) != CMP_OK || cmp_rd_left(&rd) != 0) {
        return no_span;
    }
    return t.contents;
}

/* see cmp/msg.h */
cmp_span cmp_msg_sender_name(const cmp_msg *m)
{
    return directory_name(cmp_msg_sender(m));
}

/* see cmp/msg.h */
cmp_span cmp_msg_recipient_name(const cmp_msg *m)
{
    return directory_name(cmp_msg_recipient(m));
}

/* see cmp/msg.h */
cmp_err cmp_msg_message_time(const cmp_msg *m, int64_t *out)
{
    const PKIHeader_t *h = hdr_of(m);

    CMP_ENSURE(h != NULL && out != NULL, CMP_ERR_ARG);
    CMP_ENSURE(h->messageTime != NULL, CMP_ERR_MISSING_FIELD);
    return cmp_gtime_parse(prim_span(h->messageTime->buf, h->messageTime->size), out);
}

/* see cmp/msg.h */
cmp_span cmp_msg_protection_alg(const cmp_msg *m)
{
    const PKIHeader_t *h = hdr_of(m);
    cmp_tlv raw;
    cmp_rd rd;

    if (h == NULL || h->protectionAlg == NULL) {
        return no_span;
    }
    /* [1] EXPLICIT: the AlgorithmIdentifier is the contents */
    if (raw_header_field(m, 0xa1, &raw)) {
        cmp_rd_contents(&raw, &rd);
        if (cmp_rd_get_tlv(&rd, 0x30, &raw) == CMP_OK && cmp_rd_left(&rd) == 0) {
            return raw.whole;
        }
    }
    return member_der(m, 0, &raw, &asn_DEF_AlgorithmIdentifier, h->protectionAlg);
}

static cmp_span octets(const OCTET_STRING_t *os)
{
    return os != NULL ? prim_span(os->buf, os->size) : no_span;
}

/* see cmp/msg.h */
cmp_span cmp_msg_sender_kid(const cmp_msg *m)
{
    const PKIHeader_t *h = hdr_of(m);

    return h != NULL ? octets(h->senderKID) : no_span;
}

/* see cmp/msg.h */
cmp_span cmp_msg_recip_kid(const cmp_msg *m)
{
    const PKIHeader_t *h = hdr_of(m);

    return h != NULL ? octets(h->recipKID) : no_span;
}

/* see cmp/msg.h */
cmp_span cmp_msg_transaction_id(const cmp_msg *m)
{
    const PKIHeader_t *h = hdr_of(m);

    return h != NULL ? octets(h->transactionID) : no_span;
}

/* see cmp/msg.h */
cmp_span cmp_msg_sender_nonce(const cmp_msg *m)
{
    const PKIHeader_t *h = hdr_of(m);

    return h != NULL ? octets(h->senderNonce) : no_span;
}

/* see cmp/msg.h */
cmp_span cmp_msg_recip_nonce(const cmp_msg *m)
{
    const PKIHeader_t *h = hdr_of(m);

    return h != NULL ? octets(h->recipNonce) : no_span;
}

/* see cmp/msg.h */
size_t cmp_msg_num_free_text(const cmp_msg *m)
{
    const PKIHeader_t *h = hdr_of(m);

    if (h == NULL || h->freeText == NULL || h->freeText->list.count < 0) {
        return 0;
    }
    return (size_t)h->freeText->list.count;
}

/* see cmp/msg.h */
cmp_span cmp_msg_free_text(const cmp_msg *m, size_t i)
{
    const UTF8String_t *s;

    if (i >= cmp_msg_num_free_text(m)) {
        return no_span;
    }
    s = m->pm->header.freeText->list.array[i];
    return s != NULL ? prim_span(s->buf, s->size) : no_span;
}

/* see cmp/msg.h */
size_t cmp_msg_num_general_info(const cmp_msg *m)
{
    const PKIHeader_t *h = hdr_of(m);

    if (h == NULL || h->generalInfo == NULL || h->generalInfo->list.count < 0) {
        return 0;
    }
    return (size_t)h->generalInfo->list.count;
}

static const InfoTypeAndValue_t *general_info_at(const cmp_msg *m, size_t i)
{
    if (i >= cmp_msg_num_general_info(m)) {
        return NULL;
    }
    return m->pm->header.generalInfo->list.array[i];
}

/* see cmp/msg.h */
cmp_err cmp_msg_general_info(const cmp_msg *m, size_t i, cmp_span *out_oid, cmp_span *out_value)
{
    const InfoTypeAndValue_t *itav = general_info_at(m, i);

    CMP_ENSURE(itav != NULL && out_oid != NULL && out_value != NULL, CMP_ERR_ARG);
    *out_oid = prim_span(itav->infoType.buf, itav->infoType.size);
    *out_value = itav->infoValue != NULL ? prim_span(itav->infoValue->buf, itav->infoValue->size)
                                         : no_span;
    return CMP_OK;
}

/* The first generalInfo entry with |oid|, or NULL. */
static const InfoTypeAndValue_t *find_general_info(const cmp_msg *m, const uint8_t *oid,
                                                   size_t oid_len)
{
    size_t i, n = cmp_msg_num_general_info(m);

    for (i = 0; i < n; i++) {
        const InfoTypeAndValue_t *itav = general_info_at(m, i);
        cmp_span t;

        if (itav == NULL) {
            continue;
        }
        t = prim_span(itav->infoType.buf, itav->infoType.size);
        if (t.len == oid_len && memcmp(t.data, oid, oid_len) == 0) {
            return itav;
        }
    }
    return NULL;
}

/* see cmp/msg.h */
int cmp_msg_implicit_confirm(const cmp_msg *m)
{
    return find_general_info(m, oid_implicit_confirm, sizeof(oid_implicit_confirm)) != NULL;
}

/* see cmp/msg.h */
cmp_err cmp_msg_confirm_wait_time(const cmp_msg *m, int64_t *out)
{
    const InfoTypeAndValue_t *itav;
    cmp_rd rd;
    cmp_tlv t;

    CMP_ENSURE(m != NULL && out != NULL, CMP_ERR_ARG);
    itav = find_general_info(m, oid_confirm_wait_time, sizeof(oid_confirm_wait_time));
    CMP_ENSURE(itav != NULL, CMP_ERR_MISSING_FIELD);
    CMP_ENSURE(itav->infoValue != NULL, CMP_ERR_DER_VALUE);
    /* ConfirmWaitTimeValue ::= GeneralizedTime: the DER of the value */
    cmp_rd_init(&rd, itav->infoValue->buf,
                itav->infoValue->size > 0 ? (size_t)itav->infoValue->size : 0);
    CMP_ENSURE(cmp_rd_get_tlv(&rd, 0x18, &t) == CMP_OK && cmp_rd_left(&rd) == 0, CMP_ERR_DER_VALUE);
    return cmp_gtime_parse(t.contents, out);
}

/* see cmp/msg.h */
cmp_span cmp_msg_protection(const cmp_msg *m)
{
    if (m == NULL || m->pm == NULL || m->pm->protection == NULL) {
        return no_span;
    }
    return prim_span(m->pm->protection->buf, m->pm->protection->size);
}

/* see cmp/msg.h */
size_t cmp_msg_num_extra_certs(const cmp_msg *m)
{
    return m != NULL ? m->num_raw_extra : 0;
}

/* see cmp/msg.h */
cmp_span cmp_msg_extra_cert(const cmp_msg *m, size_t i)
{
    if (m == NULL || i >= m->num_raw_extra) {
        return no_span;
    }
    return m->raw_extra[i];
}
