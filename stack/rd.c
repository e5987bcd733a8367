/* SPDX-License-Identifier: Apache-2.0 */
/*
 * stack/rd.c: the cursor over untrusted bytes and the structural DER walk.
 * The only file where input pointers move (STYLE.md section 6); every move
 * goes through rd_skip, which checks the remaining length first.
 */
#include "rd_int.h"

#include "cmp/err.h"
#include "err_int.h"

/* The one function that advances a cursor. */
static cmp_err rd_skip(cmp_rd *rd, size_t n, cmp_span *out)
{
    CMP_ENSURE(n <= rd->len, CMP_ERR_DER_TRUNCATED);
    if (out != NULL) {
        out->data = rd->data;
        out->len = n;
    }
    rd->data += n;
    rd->len -= n;
    rd->off += n;
    return CMP_OK;
}

void cmp_rd_init(cmp_rd *rd, const uint8_t *data, size_t len)
{
    rd->data = data;
    rd->len = data != NULL ? len : 0;
    rd->off = 0;
}

size_t cmp_rd_left(const cmp_rd *rd)
{
    return rd->len;
}

cmp_err cmp_rd_get_u8(cmp_rd *rd, uint8_t *out)
{
    cmp_span s;

    CMP_TRY(rd_skip(rd, 1, &s));
    *out = s.data[0];
    return CMP_OK;
}

cmp_err cmp_rd_get_bytes(cmp_rd *rd, size_t n, cmp_span *out)
{
    return rd_skip(rd, n, out);
}

int cmp_rd_peek_tag(const cmp_rd *rd, uint8_t *out)
{
    if (rd->len == 0) {
        return 0;
    }
    *out = rd->data[0];
    return 1;
}

/* X.690 section 10.1 (DER): the definite form of length encoding shall be
 * used, encoded in the minimum number of octets. */
static cmp_err read_length(cmp_rd *rd, size_t *out)
{
    uint8_t b, nbytes, i;
    size_t len = 0;

    CMP_TRY(cmp_rd_get_u8(rd, &b));
    if (b < 0x80) {
        *out = b;
        return CMP_OK;
    }
    CMP_ENSURE(b != 0x80, CMP_ERR_DER_INDEFINITE);
    nbytes = (uint8_t)(b & 0x7f);
    CMP_ENSURE(nbytes <= sizeof(size_t) && nbytes != 0x7f, CMP_ERR_DER_LENGTH);
    for (i = 0; i < nbytes; i++) {
        CMP_TRY(cmp_rd_get_u8(rd, &b));
        CMP_ENSURE(!(i == 0 && b == 0), CMP_ERR_DER_LENGTH); /* leading zero */
        len = (len << 8) | b;
    }
    CMP_ENSURE(len >= 0x80, CMP_ERR_DER_LENGTH); /* short form was possible */
    *out = len;
    return CMP_OK;
}

cmp_err cmp_rd_get_any_tlv(cmp_rd *rd, cmp_tlv *out)
{
    cmp_rd start = *rd;
    cmp_span hdr;
    size_t len;
    uint8_t tag;

    out->off = rd->off;
    CMP_TRY(cmp_rd_get_u8(rd, &tag));
    CMP_ENSURE((tag & 0x1f) != 0x1f, CMP_ERR_DER_TAG);
    CMP_TRY(read_length(rd, &len));
    CMP_TRY(rd_skip(rd, len, &out->contents));
    out->tag = tag;
    /* The whole element runs from the tag to the end of the contents. */
    CMP_TRY(rd_skip(&start, start.len - rd->len, &hdr));
    out->whole = hdr;
    return CMP_OK;
}

cmp_err cmp_rd_get_tlv(cmp_rd *rd, uint8_t tag, cmp_tlv *out)
{
    uint8_t t;

    CMP_ENSURE(cmp_rd_peek_tag(rd, &t), CMP_ERR_DER_TRUNCATED);
    CMP_ENSURE(t == tag, CMP_ERR_DER_TAG);
    return cmp_rd_get_any_tlv(rd, out);
}

void cmp_rd_contents(const cmp_tlv *tlv, cmp_rd *out)
{
    out->data = tlv->contents.data;
    out->len = tlv->contents.len;
    out->off = tlv->off + (tlv->whole.len - tlv->contents.len);
}

/* Depth-first walk without recursion on the C stack beyond |max_depth|:
 * recursion is bounded by the limit, which cmp_config keeps small. */
static cmp_err walk(cmp_rd *rd, unsigned depth, const cmp_der_limits *lim, size_t *err_off)
{
    while (cmp_rd_left(rd) > 0) {
        cmp_tlv tlv;
        cmp_err err;

        *err_off = rd->off;
        err = cmp_rd_get_any_tlv(rd, &tlv);
        if (err != CMP_OK) {
            return err;
        }
        if (tlv.tag & 0x20) { /* constructed */
            cmp_rd inner;
            CMP_ENSURE(depth < lim->max_depth, CMP_ERR_DER_NESTING);
            cmp_rd_contents(&tlv, &inner);
            CMP_TRY(walk(&inner, depth + 1, lim, err_off));
        }
    }
    return CMP_OK;
}

cmp_err cmp_der_walk(const uint8_t *data, size_t len, const cmp_der_limits *lim, size_t *err_off)
{
    cmp_rd rd;
    cmp_tlv top;
    size_t off = 0;
    cmp_err err;

    if (err_off == NULL) {
        err_off = &off;
    }
    *err_off = 0;
    CMP_ENSURE(data != NULL && lim != NULL, CMP_ERR_ARG);
    CMP_ENSURE(len <= lim->max_len, CMP_ERR_MSG_TOO_LARGE);
    cmp_rd_init(&rd, data, len);
    err = cmp_rd_get_any_tlv(&rd, &top);
    if (err != CMP_OK) {
        return err;
    }
    if (cmp_rd_left(&rd) != 0) {
        *err_off = rd.off;
        CMP_FAIL(CMP_ERR_DER_TRAILING);
    }
    cmp_rd_init(&rd, data, len);
    return walk(&rd, 0, lim, err_off);
}
