/* SPDX-License-Identifier: Apache-2.0 */
/*
 * stack/msg.c: the core of the message layer. It owns the lifetime of a
 * cmp_msg, the one wrapper around the asn1c codec (decode with the stack
 * guard, DER encode, constraint check), the strict decoding pipeline of a
 * received PKIMessage (STYLE.md section 6: one function per step), the raw
 * spans that protection is verified over (DESIGN.md "Bytes are the truth"),
 * and encoding, protection and extraCerts of a built message. The header is
 * built and read in msg_hdr.c; bodies live in msg_<body>.c.
 *
 * PKIMessage ::= SEQUENCE {
 *     header           PKIHeader,
 *     body             PKIBody,
 *     protection   [0] PKIProtection OPTIONAL,
 *     extraCerts   [1] SEQUENCE SIZE (1..MAX) OF CMPCertificate
 *                  OPTIONAL }                       (RFC 9810 section 5.1)
 */
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "cmp/mem.h"
#include "err_int.h"
#include "msg_int.h"
#include "rd_int.h"

#include "CMPCertificate.h"
#include "CertConfirmContent.h"
#include "CertRepMessage.h"
#include "CertResponse.h"
#include "CertStatus.h"
#include "ErrorMsgContent.h"
#include "KeyRecRepContent.h"
#include "PKIMessages.h"
#include "RevRepContent.h"

/* ---- the arena ------------------------------------------------------------ */

/* The arena is the one part of a const message that changes: accessors that
 * must produce bytes keep them here until cmp_msg_free (msg_int.h). */
static cmp_err arena_alloc(const cmp_msg *cm, size_t len, uint8_t **out)
{
    cmp_msg *m = (cmp_msg *)cm;
    cmp_arena_buf *b;

    CMP_ENSURE(len <= SIZE_MAX - sizeof(*b), CMP_ERR_NOMEM);
    b = cmp_malloc(sizeof(*b) + len);
    CMP_ENSURE(b != NULL, CMP_ERR_NOMEM);
    b->len = len;
    b->next = m->arena;
    m->arena = b;
    *out = (uint8_t *)(b + 1); /* the data follows the header (msg_int.h) */
    return CMP_OK;
}

/* see msg_int.h */
cmp_err cmp_msg_arena_copy(const cmp_msg *m, const uint8_t *data, size_t len, cmp_span *out)
{
    uint8_t *p;

    CMP_ENSURE(m != NULL && out != NULL && (data != NULL || len == 0), CMP_ERR_ARG);
    CMP_TRY(arena_alloc(m, len, &p));
    if (len > 0) {
        memcpy(p, data, len);
    }
    out->data = p;
    out->len = len;
    return CMP_OK;
}

/* ---- the asn1c wrapper ---------------------------------------------------- */

/* An output buffer for der_encode's callback; never written past |cap|. */
typedef struct out_sink {
    uint8_t *data;
    size_t cap;
    size_t len;
} out_sink;

static int sink_write(const void *buf, size_t size, void *key)
{
    out_sink *s = key;

    if (size > s->cap - s->len) {
        return -1;
    }
    if (size > 0) {
        memcpy(&s->data[s->len], buf, size);
        s->len += size;
    }
    return 0;
}

static cmp_err sink_put(out_sink *s, const uint8_t *buf, size_t size)
{
    CMP_ENSURE(sink_write(buf, size, s) == 0, CMP_ERR_INTERNAL);
    return CMP_OK;
}

/* encoded_size: the DER length of |sptr|, from der_encode's sizing pass. */
static cmp_err encoded_size(const asn_TYPE_descriptor_t *td, const void *sptr, size_t *out)
{
    asn_enc_rval_t er;

    er = der_encode((asn_TYPE_descriptor_t *)td, (void *)sptr, NULL, NULL);
    if (er.encoded <= 0) {
        CMP_FAIL(cmp_asn_nomem_or(CMP_ERR_ENCODE)); /* SET OF sorting allocates */
    }
    CMP_ENSURE((uint64_t)er.encoded <= CMP_MAX_MSG_LEN, CMP_ERR_MSG_TOO_LARGE);
    *out = (size_t)er.encoded;
    return CMP_OK;
}

/* encode_into: the DER of |sptr| into |s|, which has room for |size| more. */
static cmp_err encode_into(const asn_TYPE_descriptor_t *td, const void *sptr, size_t size,
                           out_sink *s)
{
    size_t before = s->len;
    asn_enc_rval_t er;

    er = der_encode((asn_TYPE_descriptor_t *)td, (void *)sptr, sink_write, s);
    if (er.encoded < 0) {
        CMP_FAIL(cmp_asn_nomem_or(CMP_ERR_ENCODE));
    }
    CMP_ENSURE((size_t)er.encoded == size && s->len - before == size, CMP_ERR_ENCODE);
    return CMP_OK;
}

/* see msg_int.h */
cmp_err cmp_asn_encode(const asn_TYPE_descriptor_t *td, const void *sptr, cmp_buf *out)
{
    out_sink s = {NULL, 0, 0};
    size_t size = 0;
    cmp_err err = CMP_ERR_INTERNAL;

    CMP_ENSURE(out != NULL, CMP_ERR_ARG);
    out->data = NULL;
    out->len = 0;
    CMP_ENSURE(td != NULL && sptr != NULL, CMP_ERR_ARG);
    CMP_TRY_OUT(encoded_size(td, sptr, &size));
    s.data = cmp_malloc(size);
    CMP_ENSURE_OUT(s.data != NULL, CMP_ERR_NOMEM);
    s.cap = size;
    CMP_TRY_OUT(encode_into(td, sptr, size, &s));
    out->data = s.data;
    out->len = s.len;
    s.data = NULL;
    err = CMP_OK;
out:
    cmp_free(s.data);
    return err;
}

/* see msg_int.h */
cmp_err cmp_msg_arena_encode(const cmp_msg *m, const asn_TYPE_descriptor_t *td, const void *sptr,
                             cmp_span *out)
{
    out_sink s = {NULL, 0, 0};
    size_t size = 0;

    CMP_ENSURE(m != NULL && td != NULL && sptr != NULL && out != NULL, CMP_ERR_ARG);
    CMP_TRY(encoded_size(td, sptr, &size));
    CMP_TRY(arena_alloc(m, size, &s.data));
    s.cap = size;
    CMP_TRY(encode_into(td, sptr, size, &s));
    out->data = s.data;
    out->len = s.len;
    return CMP_OK;
}

/* see msg_int.h */
cmp_err cmp_asn_nomem_or(cmp_err err)
{
    void *probe = cmp_malloc(1);

    if (probe == NULL) {
        return CMP_ERR_NOMEM;
    }
    cmp_free(probe);
    return err;
}

static void asn_free(const asn_TYPE_descriptor_t *td, void *sptr)
{
    if (sptr != NULL) {
        td->free_struct((asn_TYPE_descriptor_t *)td, sptr, 0);
    }
}

/* ber_decode with the decoder's stack guard (ASN1C.md: deep nesting is
 * refused cleanly only when max_stack_size is set), mapping its result. */
static cmp_err ber_decode_guarded(const asn_TYPE_descriptor_t *td, cmp_span in, void **out,
                                  size_t *consumed)
{
    asn_codec_ctx_t ctx;
    asn_dec_rval_t rv;

    memset(&ctx, 0, sizeof(ctx));
    ctx.max_stack_size = CMP_MAX_DECODER_STACK;
    rv = ber_decode(&ctx, (asn_TYPE_descriptor_t *)td, out, in.data, in.len);
    *consumed = rv.consumed;
    switch (rv.code) {
    case RC_OK:
        break;
    case RC_WMORE:
        CMP_FAIL(CMP_ERR_DER_TRUNCATED);
    case RC_FAIL:
    default:
        /* The decoder fails the same way on bad input and on a failed
         * allocation; tell them apart as well as can be done. */
        CMP_FAIL(cmp_asn_nomem_or(CMP_ERR_DECODE));
    }
    /* ber_decode succeeds on a prefix; the rest would be ignored. */
    CMP_ENSURE(rv.consumed == in.len, CMP_ERR_DER_TRAILING);
    return CMP_OK;
}

static cmp_err check_constraints(const asn_TYPE_descriptor_t *td, const void *sptr)
{
    CMP_ENSURE(asn_check_constraints((asn_TYPE_descriptor_t *)td, sptr, NULL, NULL) == 0,
               CMP_ERR_CONSTRAINT);
    return CMP_OK;
}

/* see msg_int.h */
cmp_err cmp_asn_decode(const asn_TYPE_descriptor_t *td, cmp_span in, void **out)
{
    void *tmp = NULL;
    size_t consumed = 0;
    cmp_err err = CMP_ERR_INTERNAL;

    CMP_ENSURE(out != NULL, CMP_ERR_ARG);
    *out = NULL;
    CMP_ENSURE(td != NULL && (in.data != NULL || in.len == 0), CMP_ERR_ARG);
    CMP_ENSURE(in.len > 0, CMP_ERR_DER_TRUNCATED);
    CMP_ENSURE(in.len <= CMP_MAX_MSG_LEN, CMP_ERR_MSG_TOO_LARGE);
    CMP_TRY_OUT(ber_decode_guarded(td, in, &tmp, &consumed));
    CMP_TRY_OUT(check_constraints(td, tmp));
    *out = tmp;
    tmp = NULL;
    err = CMP_OK;
out:
    asn_free(td, tmp);
    return err;
}

/* ---- DER checks over bytes ----------------------------------------------- */

/* One primitive value in DER form (X.690 section 10 and 11). Only universal
 * tags say what a value is without the schema; implicitly tagged values are
 * left to the re-encoding comparison. */
static cmp_err check_prim_der(const cmp_tlv *t)
{
    const uint8_t *c = t->contents.data;
    size_t n = t->contents.len;

    switch (t->tag) {
    case 0x01: /* X.690 11.1: BOOLEAN TRUE is 0xff, FALSE 0x00 */
        CMP_ENSURE(n == 1 && (c[0] == 0x00 || c[0] == 0xff), CMP_ERR_DER_VALUE);
        break;
    case 0x02: /* X.690 8.3.2: INTEGER (and ENUMERATED) in the fewest octets */
    case 0x0a:
        CMP_ENSURE(n >= 1, CMP_ERR_DER_VALUE);
        CMP_ENSURE(n == 1 || !(c[0] == 0x00 && (c[1] & 0x80) == 0), CMP_ERR_DER_VALUE);
        CMP_ENSURE(n == 1 || !(c[0] == 0xff && (c[1] & 0x80) != 0), CMP_ERR_DER_VALUE);
        break;
    case 0x03: /* X.690 8.6.2 and 11.2.1: 0..7 unused bits, all zero */
        CMP_ENSURE(n >= 1 && c[0] <= 7, CMP_ERR_DER_VALUE);
        CMP_ENSURE(n > 1 || c[0] == 0, CMP_ERR_DER_VALUE);
        CMP_ENSURE((c[n - 1] & ((1u << c[0]) - 1u)) == 0, CMP_ERR_DER_VALUE);
        break;
    case 0x05: /* X.690 8.8.2: NULL has no contents */
        CMP_ENSURE(n == 0, CMP_ERR_DER_VALUE);
        break;
    case 0x06: /* X.690 8.19.2: subidentifiers in the fewest octets */
        CMP_ENSURE(n >= 1 && (c[n - 1] & 0x80) == 0, CMP_ERR_DER_VALUE);
        {
            size_t i;
            for (i = 0; i < n; i++) {
                int starts = i == 0 || (c[i - 1] & 0x80) == 0;
                CMP_ENSURE(!(starts && c[i] == 0x80), CMP_ERR_DER_VALUE);
            }
        }
        break;
    case 0x0c: /* UTF8String: RFC 3629 (the runtime's check is looser) */
        {
            size_t i = 0, k;
            uint32_t cp;
            for (; i < n; i += k) {
                k = cmp_utf8_next(&c[i], n - i, &cp);
                CMP_ENSURE(k != 0, CMP_ERR_CONSTRAINT);
            }
        }
        break;
    case 0x17: /* X.690 11.8: UTCTime YYMMDDHHMMSSZ */
        CMP_TRY(cmp_utctime_check(t->contents));
        break;
    case 0x18: /* X.690 11.7: GeneralizedTime YYYYMMDDHHMMSS[.f]Z */
        {
            int64_t ignored;
            CMP_TRY(cmp_gtime_parse(t->contents, &ignored));
        }
        break;
    default:
        break;
    }
    return CMP_OK;
}

/* Every TLV below |rd|; |*off| is left at the offending element. The
 * recursion depth is bounded by the structural walk that ran before. */
static cmp_err scan_der_values(cmp_rd *rd, size_t *off)
{
    while (cmp_rd_left(rd) > 0) {
        cmp_tlv t;

        *off = rd->off;
        CMP_TRY(cmp_rd_get_any_tlv(rd, &t));
        if ((t.tag & 0x20) != 0) {
            cmp_rd inner;

            /* X.690 10.2: DER uses the primitive form for strings, BIT
             * STRING, OCTET STRING and times; universal constructed tags
             * other than SEQUENCE and SET are not DER. */
            CMP_ENSURE((t.tag & 0xc0) != 0 || t.tag == 0x30 || t.tag == 0x31, CMP_ERR_NOT_DER);
            cmp_rd_contents(&t, &inner);
            CMP_TRY(scan_der_values(&inner, off));
        } else {
            CMP_TRY(check_prim_der(&t));
        }
    }
    return CMP_OK;
}

/* Step 1 (strict): the structural DER walk and the value forms. */
static cmp_err check_frame_der(cmp_span in, const cmp_der_limits *lim, size_t *off)
{
    cmp_rd rd;

    CMP_TRY(cmp_der_walk(in.data, in.len, lim, off));
    cmp_rd_init(&rd, in.data, in.len);
    return scan_der_values(&rd, off);
}

/* ---- a BER reader for the lenient mode and the raw spans ------------------ */

/* The reader understands what the asn1c decoder accepts: single-byte tags,
 * definite lengths in any form and indefinite lengths on constructed
 * elements, ended by end-of-contents (X.690 8.1.3 and 8.1.5). A DER input is
 * a special case, so one reader records the raw spans in both modes. */
typedef struct ber_tlv {
    uint8_t tag;
    cmp_span whole;
    cmp_rd contents; /* a cursor over the contents, end-of-contents excluded */
    size_t off;
} ber_tlv;

static cmp_err ber_read_length(cmp_rd *rd, int *indefinite, size_t *out)
{
    uint8_t b, nbytes, i;
    size_t len = 0;

    *indefinite = 0;
    CMP_TRY(cmp_rd_get_u8(rd, &b));
    if (b < 0x80) {
        *out = b;
        return CMP_OK;
    }
    if (b == 0x80) {
        *indefinite = 1;
        *out = 0;
        return CMP_OK;
    }
    nbytes = (uint8_t)(b & 0x7f);
    CMP_ENSURE(nbytes != 0x7f, CMP_ERR_DER_LENGTH); /* X.690 8.1.3.5 c) */
    for (i = 0; i < nbytes; i++) {
        CMP_TRY(cmp_rd_get_u8(rd, &b));
        CMP_ENSURE(len <= (SIZE_MAX >> 8), CMP_ERR_DER_LENGTH);
        len = (len << 8) | b;
    }
    *out = len;
    return CMP_OK;
}

static int at_end_of_contents(const cmp_rd *rd)
{
    uint8_t t;

    return cmp_rd_peek_tag(rd, &t) && t == 0x00;
}

static cmp_err ber_get_tlv(cmp_rd *rd, unsigned depth, unsigned max_depth, ber_tlv *out)
{
    cmp_rd start = *rd;
    int indefinite;
    size_t len;

    out->off = rd->off;
    CMP_TRY(cmp_rd_get_u8(rd, &out->tag));
    CMP_ENSURE((out->tag & 0x1f) != 0x1f, CMP_ERR_DER_TAG);
    CMP_ENSURE(out->tag != 0x00, CMP_ERR_DER_TAG); /* end-of-contents out of place */
    CMP_TRY(ber_read_length(rd, &indefinite, &len));
    if (!indefinite) {
        cmp_span c;

        CMP_TRY(cmp_rd_get_bytes(rd, len, &c));
        out->contents.data = c.data;
        out->contents.len = c.len;
        out->contents.off = rd->off - c.len;
    } else {
        cmp_rd body = *rd;
        size_t used;
        cmp_span c;
        uint8_t eoc0, eoc1;

        /* X.690 8.1.3.2 a): the indefinite form only for constructed */
        CMP_ENSURE((out->tag & 0x20) != 0, CMP_ERR_DER_INDEFINITE);
        CMP_ENSURE(depth < max_depth, CMP_ERR_DER_NESTING);
        while (!at_end_of_contents(rd)) {
            ber_tlv child;
            CMP_TRY(ber_get_tlv(rd, depth + 1, max_depth, &child));
        }
        used = body.len - rd->len;
        CMP_TRY(cmp_rd_get_bytes(&body, used, &c));
        out->contents.data = c.data;
        out->contents.len = c.len;
        out->contents.off = body.off - c.len;
        CMP_TRY(cmp_rd_get_u8(rd, &eoc0));
        CMP_TRY(cmp_rd_get_u8(rd, &eoc1));
        CMP_ENSURE(eoc0 == 0 && eoc1 == 0, CMP_ERR_DECODE);
    }
    return cmp_rd_get_bytes(&start, start.len - rd->len, &out->whole);
}

/* Step 1 (lenient): one BER element, nothing after it, nesting bounded. */
static cmp_err check_frame_ber(cmp_span in, const cmp_der_limits *lim, size_t *off)
{
    cmp_rd rd;
    ber_tlv top;

    *off = 0;
    CMP_ENSURE(in.len <= lim->max_len, CMP_ERR_MSG_TOO_LARGE);
    cmp_rd_init(&rd, in.data, in.len);
    CMP_TRY(ber_get_tlv(&rd, 0, lim->max_depth, &top));
    *off = rd.off;
    CMP_ENSURE(cmp_rd_left(&rd) == 0, CMP_ERR_DER_TRAILING);
    return CMP_OK;
}

/* ---- the raw spans -------------------------------------------------------- */

/* Where the parts of a message start, for error offsets. */
typedef struct msg_offsets {
    size_t header;
    size_t body;
} msg_offsets;

static cmp_err get_part(cmp_rd *rd, const cmp_der_limits *lim, ber_tlv *out, size_t *off)
{
    *off = rd->off;
    return ber_get_tlv(rd, 1, lim->max_depth, out);
}

static cmp_err record_extra_certs(cmp_msg *m, ber_tlv *wrapper, const cmp_der_limits *lim,
                                  size_t *off)
{
    ber_tlv seq;

    CMP_TRY(get_part(&wrapper->contents, lim, &seq, off));
    CMP_ENSURE(seq.tag == 0x30, CMP_ERR_DER_TAG);
    *off = wrapper->contents.off;
    CMP_ENSURE(cmp_rd_left(&wrapper->contents) == 0, CMP_ERR_DER_TAG);
    while (cmp_rd_left(&seq.contents) > 0) {
        ber_tlv cert;

        CMP_TRY(get_part(&seq.contents, lim, &cert, off));
        CMP_ENSURE(cert.tag == 0x30, CMP_ERR_DER_TAG);
        /* A configured bound, checked before any decoding work. */
        CMP_ENSURE(m->num_raw_extra < CMP_MAX_CERTS, CMP_ERR_TOO_MANY_CERTS);
        m->raw_extra[m->num_raw_extra++] = cert.whole;
    }
    return CMP_OK;
}

/* Step 2: the raw spans of header, body, protection and each extraCert,
 * as received. The asn1c decoder checks the contents in step 3; here only
 * the outline is followed, so that the tags are reported precisely. */
static cmp_err record_spans(cmp_msg *m, const cmp_der_limits *lim, msg_offsets *where,
                            size_t *off)
{
    cmp_rd rd;
    ber_tlv top, part;
    uint8_t t;

    cmp_rd_init(&rd, m->der, m->der_len);
    *off = 0;
    CMP_TRY(ber_get_tlv(&rd, 0, lim->max_depth, &top));
    CMP_ENSURE(top.tag == 0x30, CMP_ERR_DER_TAG);

    *off = top.contents.off;
    CMP_ENSURE(cmp_rd_left(&top.contents) > 0, CMP_ERR_DECODE); /* no header */
    CMP_TRY(get_part(&top.contents, lim, &part, off));
    CMP_ENSURE(part.tag == 0x30, CMP_ERR_DER_TAG);
    m->raw_header = part.whole;
    where->header = part.off;

    /* PKIBody: a CHOICE of [0] .. [26] EXPLICIT (RFC 9810 section 5.1.2). */
    *off = top.contents.off;
    CMP_ENSURE(cmp_rd_left(&top.contents) > 0, CMP_ERR_DECODE); /* no body */
    CMP_TRY(get_part(&top.contents, lim, &part, off));
    CMP_ENSURE((part.tag & 0xe0) == 0xa0 && (part.tag & 0x1f) <= CMP_BODY_POLLREP,
               CMP_ERR_DER_TAG);
    m->raw_body = part.whole;
    where->body = part.off;

    if (cmp_rd_peek_tag(&top.contents, &t) && t == 0xa0) {
        CMP_TRY(get_part(&top.contents, lim, &part, off));
        m->raw_protection = part.whole;
    }
    if (cmp_rd_peek_tag(&top.contents, &t) && t == 0xa1) {
        CMP_TRY(get_part(&top.contents, lim, &part, off));
        CMP_TRY(record_extra_certs(m, &part, lim, off));
    }
    *off = top.contents.off;
    CMP_ENSURE(cmp_rd_left(&top.contents) == 0, CMP_ERR_DER_TAG);
    return CMP_OK;
}

/* ---- the decoded tree ----------------------------------------------------- */

/* Step 3: ber_decode with the stack guard, over the private copy. */
static cmp_err decode_tree(cmp_msg *m, size_t *off)
{
    cmp_span in = {m->der, m->der_len};
    size_t consumed = 0, n;
    void *pm = NULL;
    cmp_err err;

    err = ber_decode_guarded(&asn_DEF_PKIMessage, in, &pm, &consumed);
    m->pm = pm;
    if (err != CMP_OK) {
        *off = consumed;
        return err;
    }
    /* The tree and the spans describe the same list. */
    n = m->pm->extraCerts != NULL ? (size_t)m->pm->extraCerts->list.count : 0;
    CMP_ENSURE(n == m->num_raw_extra, CMP_ERR_DECODE);
    return CMP_OK;
}

/*
 * = https://www.itu.int/rec/T-REC-X.690 section 11.2.2
 * # Where ITU-T Rec. X.680 | ISO/IEC 8824-1, 22.7, applies, the bitstring
 * # shall have all trailing 0 bits removed before it is encoded.
 *
 * PKIFailureInfo is the one named BIT STRING in the typed PKIMessage tree
 * (KeyUsage and ReasonFlags only occur inside extension OCTET STRINGs). The
 * asn1c encoder keeps trailing zero bits, so the re-encoding comparison
 * cannot see them; this check does.
 */
static cmp_err check_failinfo(const PKIStatusInfo_t *si)
{
    const BIT_STRING_t *b;

    if (si == NULL || si->failInfo == NULL) {
        return CMP_OK;
    }
    b = si->failInfo;
    if (b->size <= 0) {
        return CMP_OK;
    }
    CMP_ENSURE(b->buf != NULL && b->bits_unused >= 0 && b->bits_unused <= 7, CMP_ERR_DER_VALUE);
    CMP_ENSURE(((b->buf[b->size - 1] >> b->bits_unused) & 1) != 0, CMP_ERR_DER_VALUE);
    return CMP_OK;
}

static cmp_err check_named_bits_pm(const PKIMessage_t *pm);

static cmp_err check_named_bits_body(const PKIBody_t *b)
{
    int i;

    switch (b->present) {
    case PKIBody_PR_ip:
    case PKIBody_PR_cp:
    case PKIBody_PR_kup:
    case PKIBody_PR_ccp:
        {
            const CertRepMessage_t *r = b->present == PKIBody_PR_ip    ? &b->choice.ip
                                        : b->present == PKIBody_PR_cp  ? &b->choice.cp
                                        : b->present == PKIBody_PR_kup ? &b->choice.kup
                                                                       : &b->choice.ccp;
            for (i = 0; i < r->response.list.count; i++) {
                CMP_TRY(check_failinfo(&r->response.list.array[i]->status));
            }
        }
        break;
    case PKIBody_PR_krp:
        CMP_TRY(check_failinfo(&b->choice.krp.status));
        break;
    case PKIBody_PR_rp:
        for (i = 0; i < b->choice.rp.status.list.count; i++) {
            CMP_TRY(check_failinfo(b->choice.rp.status.list.array[i]));
        }
        break;
    case PKIBody_PR_error:
        CMP_TRY(check_failinfo(&b->choice.error.pKIStatusInfo));
        break;
    case PKIBody_PR_certConf:
        for (i = 0; i < b->choice.certConf.list.count; i++) {
            CMP_TRY(check_failinfo(b->choice.certConf.list.array[i]->statusInfo));
        }
        break;
    case PKIBody_PR_nested:
        /* Bounded by the nesting limit the decoder already enforced. */
        for (i = 0; b->choice.nested != NULL && i < b->choice.nested->list.count; i++) {
            CMP_TRY(check_named_bits_pm(b->choice.nested->list.array[i]));
        }
        break;
    default:
        break;
    }
    return CMP_OK;
}

static cmp_err check_named_bits_pm(const PKIMessage_t *pm)
{
    return pm->body != NULL ? check_named_bits_body(pm->body) : CMP_OK;
}

/* ---- step 5: re-encode and compare ---------------------------------------- */

typedef struct cmp_state {
    cmp_rd expect;
    int mismatch;
    size_t mismatch_off;
} cmp_state;

/* der_encode callback: compares each piece with the next input bytes and
 * stops the encoder at the first difference. No copy of the encoding. */
static int compare_piece(const void *buf, size_t size, void *key)
{
    cmp_state *st = key;
    const uint8_t *b = buf;
    size_t start = st->expect.off;
    size_t avail = cmp_rd_left(&st->expect);
    size_t n = size < avail ? size : avail;
    cmp_span have = {NULL, 0};
    size_t i = 0;

    if (cmp_rd_get_bytes(&st->expect, n, &have) == CMP_OK) {
        while (i < n && have.data[i] == b[i]) {
            i++;
        }
    }
    if (i < size) { /* a different byte, or the encoding is longer */
        st->mismatch = 1;
        st->mismatch_off = start + i;
        return -1;
    }
    return 0;
}

/* The first input element that differs from our encoding, descending into
 * constructed elements with the same tag: a present DEFAULT or a
 * non-minimal implicit INTEGER is reported where it is, not at the outer
 * length that changed with it. Inside a SET (OF) the first element out of
 * order is the answer. Both inputs are DER. */
static size_t locate_difference(cmp_span in, cmp_span enc)
{
    cmp_rd a, b;
    int in_set = 0;

    cmp_rd_init(&a, in.data, in.len);
    cmp_rd_init(&b, enc.data, enc.len);
    for (;;) {
        cmp_tlv ta, tb;

        if (cmp_rd_get_any_tlv(&a, &ta) != CMP_OK) {
            return a.off;
        }
        if (cmp_rd_get_any_tlv(&b, &tb) != CMP_OK) {
            return ta.off;
        }
        if (ta.whole.len == tb.whole.len &&
            memcmp(ta.whole.data, tb.whole.data, ta.whole.len) == 0) {
            continue;
        }
        if (in_set || ta.tag != tb.tag || (ta.tag & 0x20) == 0 || ta.contents.len == 0) {
            return ta.off;
        }
        in_set = ta.tag == 0x31;
        cmp_rd_contents(&ta, &a);
        cmp_rd_contents(&tb, &b);
    }
}

/* Step 5 (strict): der_encode of the tree must give the input, byte for
 * byte (STYLE.md section 6; BoringSSL's der_roundtrip). This rejects every
 * non-DER form the decoder accepted: present DEFAULTs, unsorted SET OF,
 * non-minimal implicitly tagged INTEGERs, constructed strings. */
static cmp_err check_roundtrip(const asn_TYPE_descriptor_t *td, void *tree, cmp_span in,
                               size_t *off)
{
    cmp_state st;
    asn_enc_rval_t er;
    cmp_buf enc = {NULL, 0};
    cmp_err err;

    memset(&st, 0, sizeof(st));
    cmp_rd_init(&st.expect, in.data, in.len);
    er = der_encode((asn_TYPE_descriptor_t *)td, tree, compare_piece, &st);
    if (!st.mismatch && er.encoded >= 0 && cmp_rd_left(&st.expect) == 0) {
        return CMP_OK;
    }
    *off = st.mismatch ? st.mismatch_off : st.expect.off;
    if (er.encoded < 0 && !st.mismatch) {
        /* the tree does not encode at all (or sorting a SET OF ran out) */
        CMP_FAIL(cmp_asn_nomem_or(CMP_ERR_NOT_DER));
    }
    /* Only now, on the failure path, make a copy to locate the difference. */
    err = cmp_asn_encode(td, tree, &enc);
    if (err == CMP_ERR_NOMEM) {
        return err;
    }
    if (err == CMP_OK) {
        cmp_span e = {enc.data, enc.len};
        *off = locate_difference(in, e);
    }
    cmp_buf_cleanup(&enc);
    CMP_FAIL(CMP_ERR_NOT_DER);
}

/* see msg_int.h */
cmp_err cmp_asn_decode_strict(const asn_TYPE_descriptor_t *td, cmp_span in, void **out)
{
    cmp_der_limits lim = {CMP_MAX_MSG_LEN, CMP_MAX_DER_DEPTH};
    void *tmp = NULL;
    size_t off = 0;
    cmp_err err = CMP_ERR_INTERNAL;

    CMP_ENSURE(out != NULL, CMP_ERR_ARG);
    *out = NULL;
    CMP_ENSURE(td != NULL && in.data != NULL, CMP_ERR_ARG);
    CMP_TRY_OUT(check_frame_der(in, &lim, &off));
    CMP_TRY_OUT(cmp_asn_decode(td, in, &tmp));
    CMP_TRY_OUT(check_roundtrip(td, tmp, in, &off));
    *out = tmp;
    tmp = NULL;
    err = CMP_OK;
out:
    asn_free(td, tmp);
    return err;
}

/* ---- decoding a message --------------------------------------------------- */

/* The structural walks recurse once per level: whatever a caller asks
 * for, the C stack they use stays small. */
#define HARD_MAX_DEPTH 256u

static void resolve_opts(const cmp_decode_opts *opts, int *lenient, cmp_der_limits *lim)
{
    *lenient = opts != NULL && opts->lenient;
    lim->max_len = opts != NULL && opts->max_len != 0 ? opts->max_len : CMP_MAX_MSG_LEN;
    lim->max_depth = opts != NULL && opts->max_depth != 0 ? opts->max_depth : CMP_MAX_DER_DEPTH;
    if (lim->max_depth > HARD_MAX_DEPTH) {
        lim->max_depth = HARD_MAX_DEPTH;
    }
}

/* Copies the input, so that spans and the tree outlive the caller's buffer. */
static cmp_err msg_alloc_copy(cmp_msg **out, const uint8_t *der, size_t len)
{
    cmp_msg *m = cmp_calloc(1, sizeof(*m));

    CMP_ENSURE(m != NULL, CMP_ERR_NOMEM);
    m->der = cmp_malloc(len);
    if (m->der == NULL) {
        cmp_free(m);
        CMP_FAIL(CMP_ERR_NOMEM);
    }
    memcpy(m->der, der, len);
    m->der_len = len;
    m->decoded = 1;
    *out = m;
    return CMP_OK;
}

/* see cmp/msg.h */
cmp_err cmp_msg_decode(cmp_msg **out, const uint8_t *der, size_t len, const cmp_decode_opts *opts,
                       size_t *err_off)
{
    cmp_span in = {der, len};
    cmp_der_limits lim;
    msg_offsets where = {0, 0};
    cmp_msg *m = NULL;
    size_t off = 0;
    int lenient;
    cmp_err err = CMP_ERR_INTERNAL;

    if (err_off != NULL) {
        *err_off = 0;
    }
    CMP_ENSURE(out != NULL, CMP_ERR_ARG);
    *out = NULL;
    CMP_ENSURE(der != NULL || len == 0, CMP_ERR_ARG);
    resolve_opts(opts, &lenient, &lim);
    CMP_ENSURE_OUT(len > 0, CMP_ERR_DER_TRUNCATED);

    /* (1) size, framing, nesting, trailing bytes; DER value forms */
    if (lenient) {
        CMP_TRY_OUT(check_frame_ber(in, &lim, &off));
    } else {
        CMP_TRY_OUT(check_frame_der(in, &lim, &off));
    }
    CMP_TRY_OUT(msg_alloc_copy(&m, der, len));
    /* (2) raw spans, as received */
    CMP_TRY_OUT(record_spans(m, &lim, &where, &off));
    /* (3) ber_decode with the stack guard, all bytes consumed */
    CMP_TRY_OUT(decode_tree(m, &off));
    /* (4) constraints (SIZE, character sets, value ranges) */
    off = 0;
    CMP_TRY_OUT(check_constraints(&asn_DEF_PKIMessage, m->pm));
    if (!lenient) {
        /* (5) canonical form: named bits, then byte-identical re-encoding */
        off = where.body;
        CMP_TRY_OUT(check_named_bits_pm(m->pm));
        CMP_TRY_OUT(check_roundtrip(&asn_DEF_PKIMessage, m->pm, in, &off));
    }
    *out = m;
    m = NULL;
    err = CMP_OK;
out:
    if (err != CMP_OK && err_off != NULL) {
        *err_off = off;
    }
    cmp_msg_free(m);
    return err;
}

/* ---- lifetime ------------------------------------------------------------- */

/* see cmp/msg.h */
void cmp_msg_free(cmp_msg *m)
{
    cmp_arena_buf *b;

    if (m == NULL) {
        return;
    }
    if (m->pm != NULL) {
        ASN_STRUCT_FREE(asn_DEF_PKIMessage, m->pm);
    }
    if (m->der != NULL) {
        cmp_wipe(m->der, m->der_len);
        cmp_free(m->der);
    }
    b = m->arena;
    while (b != NULL) {
        cmp_arena_buf *next = b->next;
        cmp_wipe(b, sizeof(*b) + b->len);
        cmp_free(b);
        b = next;
    }
    cmp_wipe(m, sizeof(*m));
    cmp_free(m);
}

/* see msg_int.h */
PKIBody_t *cmp_msg_body_mut(cmp_msg *m)
{
    return m != NULL && m->pm != NULL ? m->pm->body : NULL;
}

/* see msg_int.h */
const PKIBody_t *cmp_msg_body_get(const cmp_msg *m)
{
    return m != NULL && m->pm != NULL ? m->pm->body : NULL;
}

/* ---- encoding ------------------------------------------------------------- */

/* see cmp/msg.h */
cmp_err cmp_msg_encode(const cmp_msg *cm, cmp_buf *out)
{
    cmp_msg *m = (cmp_msg *)cm; /* a built message remembers its encoding */
    cmp_buf enc = {NULL, 0};
    uint8_t *copy = NULL;
    cmp_err err = CMP_ERR_INTERNAL;

    CMP_ENSURE(out != NULL, CMP_ERR_ARG);
    out->data = NULL;
    out->len = 0;
    CMP_ENSURE(m != NULL && m->pm != NULL, CMP_ERR_ARG);
    CMP_ENSURE(m->pm->body != NULL, CMP_ERR_STATE);
    if (!m->decoded) {
        /* What we send satisfies the constraints we demand of others. */
        CMP_ENSURE(asn_check_constraints(&asn_DEF_PKIMessage, m->pm, NULL, NULL) == 0,
                   CMP_ERR_ENCODE);
    }
    CMP_TRY_OUT(cmp_asn_encode(&asn_DEF_PKIMessage, m->pm, &enc));
    if (!m->decoded) {
        copy = cmp_malloc(enc.len);
        CMP_ENSURE_OUT(copy != NULL, CMP_ERR_NOMEM);
        memcpy(copy, enc.data, enc.len);
        cmp_free(m->der);
        m->der = copy;
        m->der_len = enc.len;
        copy = NULL;
    }
    *out = enc;
    enc.data = NULL;
    err = CMP_OK;
out:
    cmp_buf_cleanup(&enc);
    cmp_free(copy);
    return err;
}

/* see cmp/msg.h */
cmp_span cmp_msg_der(const cmp_msg *m)
{
    cmp_span s = {NULL, 0};

    if (m != NULL && m->der != NULL) {
        s.data = m->der;
        s.len = m->der_len;
    }
    return s;
}

/* see cmp/msg.h */
cmp_span cmp_msg_raw_header(const cmp_msg *m)
{
    cmp_span s = {NULL, 0};

    return m != NULL ? m->raw_header : s;
}

/* see cmp/msg.h */
cmp_span cmp_msg_raw_body(const cmp_msg *m)
{
    cmp_span s = {NULL, 0};

    return m != NULL ? m->raw_body : s;
}

/* A DER tag and definite length (X.690 8.1.3), into |out| (10 bytes). */
static size_t der_header(uint8_t out[10], uint8_t tag, size_t len)
{
    size_t n = 0, k = 0, v;

    out[n++] = tag;
    if (len < 0x80) {
        out[n++] = (uint8_t)len;
        return n;
    }
    for (v = len; v != 0; v >>= 8) {
        k++;
    }
    out[n++] = (uint8_t)(0x80 | k);
    while (k > 0) {
        k--;
        out[n++] = (uint8_t)(len >> (8 * k));
    }
    return n;
}

/*
 * = https://www.rfc-editor.org/rfc/rfc9810#section-5.1.3
 * # ProtectedPart ::= SEQUENCE {
 * #     header    PKIHeader,
 * #     body      PKIBody }
 *
 * A decoded message gives the bytes exactly as received (DESIGN.md: never
 * verify over a re-encoding); a built one the DER of its header and body.
 */
/* see cmp/msg.h */
cmp_err cmp_msg_protected_part(const cmp_msg *m, cmp_buf *out)
{
    uint8_t hdr[10];
    size_t hlen, blen, inner, hdr_len;
    out_sink s = {NULL, 0, 0};
    cmp_err err = CMP_ERR_INTERNAL;

    CMP_ENSURE(out != NULL, CMP_ERR_ARG);
    out->data = NULL;
    out->len = 0;
    CMP_ENSURE(m != NULL && m->pm != NULL, CMP_ERR_ARG);
    if (m->decoded) {
        hlen = m->raw_header.len;
        blen = m->raw_body.len;
    } else {
        CMP_ENSURE(m->pm->body != NULL, CMP_ERR_STATE);
        CMP_TRY(encoded_size(&asn_DEF_PKIHeader, &m->pm->header, &hlen));
        CMP_TRY(encoded_size(&asn_DEF_PKIBody, m->pm->body, &blen));
    }
    CMP_ENSURE(hlen <= CMP_MAX_MSG_LEN && blen <= CMP_MAX_MSG_LEN, CMP_ERR_MSG_TOO_LARGE);
    inner = hlen + blen;
    hdr_len = der_header(hdr, 0x30, inner);
    s.cap = hdr_len + inner;
    s.data = cmp_malloc(s.cap);
    CMP_ENSURE(s.data != NULL, CMP_ERR_NOMEM);
    CMP_TRY_OUT(sink_put(&s, hdr, hdr_len));
    if (m->decoded) {
        CMP_TRY_OUT(sink_put(&s, m->raw_header.data, hlen));
        CMP_TRY_OUT(sink_put(&s, m->raw_body.data, blen));
    } else {
        CMP_TRY_OUT(encode_into(&asn_DEF_PKIHeader, &m->pm->header, hlen, &s));
        CMP_TRY_OUT(encode_into(&asn_DEF_PKIBody, m->pm->body, blen, &s));
    }
    out->data = s.data;
    out->len = s.len;
    s.data = NULL;
    err = CMP_OK;
out:
    cmp_free(s.data);
    return err;
}

/* ---- protection and extraCerts of a built message ------------------------- */

/* see cmp/msg.h */
cmp_err cmp_msg_set_protection(cmp_msg *m, cmp_span protection)
{
    PKIProtection_t *p;

    CMP_ENSURE(m != NULL && m->pm != NULL, CMP_ERR_ARG);
    CMP_ENSURE(protection.data != NULL && protection.len > 0, CMP_ERR_ARG);
    CMP_ENSURE(protection.len <= CMP_MAX_MSG_LEN, CMP_ERR_ARG);
    /* A received message is read-only: its spans are what was protected. */
    CMP_ENSURE(!m->decoded, CMP_ERR_STATE);
    p = cmp_calloc(1, sizeof(*p));
    CMP_ENSURE(p != NULL, CMP_ERR_NOMEM);
    p->buf = cmp_malloc(protection.len);
    if (p->buf == NULL) {
        cmp_free(p);
        CMP_FAIL(CMP_ERR_NOMEM);
    }
    memcpy(p->buf, protection.data, protection.len);
    p->size = (int)protection.len;
    p->bits_unused = 0;
    if (m->pm->protection != NULL) {
        ASN_STRUCT_FREE(asn_DEF_PKIProtection, m->pm->protection);
    }
    m->pm->protection = p;
    return CMP_OK;
}

/* see cmp/msg.h */
cmp_err cmp_msg_add_extra_cert(cmp_msg *m, cmp_span cert_der)
{
    CMPCertificate_t *cert = NULL;
    cmp_span copy;
    int created = 0;
    cmp_err err = CMP_ERR_INTERNAL;

    CMP_ENSURE(m != NULL && m->pm != NULL, CMP_ERR_ARG);
    CMP_ENSURE(cert_der.data != NULL && cert_der.len > 0, CMP_ERR_ARG);
    CMP_ENSURE(!m->decoded, CMP_ERR_STATE);
    CMP_ENSURE(m->num_raw_extra < CMP_MAX_CERTS, CMP_ERR_ARG);
    /* Strict: the certificate must travel byte for byte, or its signature
     * breaks; asn1c re-encodes what it decoded. */
    err = cmp_asn_decode_strict(&asn_DEF_CMPCertificate, cert_der, (void **)&cert);
    if (err != CMP_OK) {
        return err == CMP_ERR_NOMEM ? err : CMP_ERR_CERT_PARSE;
    }
    CMP_TRY_OUT(cmp_msg_arena_copy(m, cert_der.data, cert_der.len, &copy));
    if (m->pm->extraCerts == NULL) {
        m->pm->extraCerts = cmp_calloc(1, sizeof(*m->pm->extraCerts));
        CMP_ENSURE_OUT(m->pm->extraCerts != NULL, CMP_ERR_NOMEM);
        created = 1;
    }
    CMP_ENSURE_OUT(ASN_SEQUENCE_ADD(&m->pm->extraCerts->list, cert) == 0, CMP_ERR_NOMEM);
    cert = NULL;
    m->raw_extra[m->num_raw_extra++] = copy;
    err = CMP_OK;
out:
    if (err != CMP_OK && created) {
        /* SIZE (1..MAX): never leave an empty list behind */
        cmp_free(m->pm->extraCerts);
        m->pm->extraCerts = NULL;
    }
    asn_free(&asn_DEF_CMPCertificate, cert);
    return err;
}

/* ---- INTEGER ↔ int64 ------------------------------------------------------- */

/* see msg_int.h */
cmp_err cmp_int_get(const INTEGER_t *in, int64_t *out)
{
    uint64_t v;
    int i = 0, n;

    CMP_ENSURE(in != NULL && out != NULL, CMP_ERR_ARG);
    /* X.690 8.3.1: at least one contents octet */
    CMP_ENSURE(in->buf != NULL && in->size > 0, CMP_ERR_DER_VALUE);
    n = in->size;
    /* Skip redundant sign octets (a lenient decode may keep them). */
    while (n - i > 1 && ((in->buf[i] == 0x00 && (in->buf[i + 1] & 0x80) == 0) ||
                         (in->buf[i] == 0xff && (in->buf[i + 1] & 0x80) != 0))) {
        i++;
    }
    CMP_ENSURE(n - i <= 8, CMP_ERR_CONSTRAINT);
    v = (in->buf[i] & 0x80) != 0 ? UINT64_MAX : 0;
    for (; i < n; i++) {
        v = (v << 8) | in->buf[i];
    }
    /* Two's complement to int64 without implementation-defined casts. */
    *out = v <= (uint64_t)INT64_MAX ? (int64_t)v : -(int64_t)(~v) - 1;
    return CMP_OK;
}

/* see msg_int.h */
cmp_err cmp_int_set(INTEGER_t *out, int64_t v)
{
    uint8_t tmp[8];
    uint64_t u = (uint64_t)v; /* modular conversion: defined for negatives */
    size_t start = 0, i;
    uint8_t *buf;

    CMP_ENSURE(out != NULL, CMP_ERR_ARG);
    for (i = 8; i > 0; i--) {
        tmp[i - 1] = (uint8_t)(u & 0xff);
        u >>= 8;
    }
    /* X.690 8.3.2: the fewest octets */
    while (start < 7 && ((tmp[start] == 0x00 && (tmp[start + 1] & 0x80) == 0) ||
                         (tmp[start] == 0xff && (tmp[start + 1] & 0x80) != 0))) {
        start++;
    }
    buf = cmp_malloc(8 - start);
    CMP_ENSURE(buf != NULL, CMP_ERR_NOMEM);
    memcpy(buf, &tmp[start], 8 - start);
    cmp_free(out->buf);
    out->buf = buf;
    out->size = (int)(8 - start);
    return CMP_OK;
}
