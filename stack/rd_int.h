/* SPDX-License-Identifier: Apache-2.0 */
/*
 * stack/rd_int.h: cmp_rd, the one cursor over untrusted bytes (STYLE.md
 * section 6, after BoringSSL's CBS). Hand-written code never walks a raw
 * buffer itself: it asks a cursor for a byte, some bytes or a TLV, and the
 * cursor checks the remaining length first. Pointer arithmetic on input
 * appears only in stack/rd.c.
 *
 * A cmp_rd never owns its bytes.
 */
#ifndef CMP_RD_INT_H
#define CMP_RD_INT_H

#include <stddef.h>
#include <stdint.h>

#include "cmp/types.h"
#include "cmp/err.h"
#include "compat.h"

typedef struct cmp_rd {
    const uint8_t *data;
    size_t len;
    size_t off; /* offset of |data| from the start of the outermost input */
} cmp_rd;

/* A DER TLV as found by cmp_rd_get_tlv: the tag byte, and views of the
 * whole element and of its contents. */
typedef struct cmp_tlv {
    uint8_t tag;
    cmp_span whole;
    cmp_span contents;
    size_t off; /* offset of the tag byte in the outermost input */
} cmp_tlv;

/* cmp_rd_init points |rd| at |len| bytes at |data|. Cannot fail. */
void cmp_rd_init(cmp_rd *rd, const uint8_t *data, size_t len);

/* cmp_rd_get_u8 reads one byte. Returns CMP_ERR_DER_TRUNCATED at the end. */
CMP_MUST_CHECK cmp_err cmp_rd_get_u8(cmp_rd *rd, uint8_t *out);

/* cmp_rd_get_bytes takes the next |n| bytes as a span. */
CMP_MUST_CHECK cmp_err cmp_rd_get_bytes(cmp_rd *rd, size_t n, cmp_span *out);

/* cmp_rd_get_any_tlv reads one DER TLV with a single-byte tag (tag numbers
 * up to 30, which is all CMP uses) and a definite length in minimal form.
 * Errors: CMP_ERR_DER_TRUNCATED, CMP_ERR_DER_TAG (multi-byte tag),
 * CMP_ERR_DER_INDEFINITE, CMP_ERR_DER_LENGTH (non-minimal or > SIZE_MAX). */
CMP_MUST_CHECK cmp_err cmp_rd_get_any_tlv(cmp_rd *rd, cmp_tlv *out);

/* cmp_rd_get_tlv reads a TLV that must carry |tag|; CMP_ERR_DER_TAG if not. */
CMP_MUST_CHECK cmp_err cmp_rd_get_tlv(cmp_rd *rd, uint8_t tag, cmp_tlv *out);

/* cmp_rd_peek_tag returns 1 and sets |*out| if a byte remains, else 0. */
int cmp_rd_peek_tag(const cmp_rd *rd, uint8_t *out);

/* cmp_rd_contents makes a cursor over a TLV's contents (offsets kept). */
void cmp_rd_contents(const cmp_tlv *tlv, cmp_rd *out);

/* cmp_rd_left returns the number of unread bytes. */
size_t cmp_rd_left(const cmp_rd *rd);

/* Limits for the structural DER walk. */
typedef struct cmp_der_limits {
    size_t max_len;   /* the whole input */
    unsigned max_depth; /* constructed nesting */
} cmp_der_limits;

/* cmp_der_walk checks that |len| bytes at |data| are exactly one DER TLV
 * whose every constructed descendant is also well-formed DER framing:
 * definite minimal lengths, single-byte tags, children exactly filling their
 * parent, nesting within |lim->max_depth|, total size within |lim->max_len|.
 * Primitive contents are not interpreted. On failure |*err_off| (if not
 * NULL) is the byte offset of the offending TLV. */
CMP_MUST_CHECK cmp_err cmp_der_walk(const uint8_t *data, size_t len, const cmp_der_limits *lim,
                                size_t *err_off);

#endif /* CMP_RD_INT_H */
