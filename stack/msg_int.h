/* SPDX-License-Identifier: Apache-2.0 */
/*
 * stack/msg_int.h: the inside of a cmp_msg, shared by the message-layer
 * files (msg.c for decode/encode/header, msg_<body>.c for each body family,
 * msg_print.c). Nothing outside stack/msg*.c and the unit tests includes it.
 *
 * Ownership: the asn1c tree |pm| belongs to the message and only
 * cmp_msg_free() frees it (STYLE.md section 5). |der| is a private copy of
 * the received bytes (decoded messages) or the last encoding (built ones);
 * the raw spans point into it. Buffers that accessors hand out as spans
 * (for example a certificate re-encoded from the tree) live in |arena| and
 * are freed with the message.
 */
#ifndef CMP_MSG_INT_H
#define CMP_MSG_INT_H

#include "cmp/config.h"
#include "cmp/msg.h"
#include "compat.h"

#include "INTEGER.h"
#include "PKIBody.h"
#include "PKIBody.h"
#include "PKIMessage.h"
#include "PKIStatusInfo.h"
#include "PKIStatusInfo.h"

typedef struct cmp_arena_buf {
    struct cmp_arena_buf *next;
    size_t len;
    /* data follows */
} cmp_arena_buf;

struct cmp_msg {
    PKIMessage_t *pm;
    uint8_t *der;
    size_t der_len;
    int decoded;            /* 1: made by cmp_msg_decode */
    cmp_span raw_header;    /* whole PKIHeader TLV, as received */
    cmp_span raw_body;      /* whole PKIBody TLV, as received */
    cmp_span raw_protection; /* whole [0] protection TLV, as received */
    size_t num_raw_extra;
    cmp_span raw_extra[CMP_MAX_CERTS]; /* each extraCert TLV, as received (or as
                                        * added, in the arena, for built ones) */
    cmp_arena_buf *arena;   /* encodings handed out as spans; freed with the message */
};

/* cmp_msg_arena_encode DER-encodes |sptr| of type |td| into a buffer owned by
 * |m| (kept until cmp_msg_free) and points |out| at it. The arena is the one
 * mutable part of a const message: accessors that must encode use it. */
CMP_MUST_CHECK cmp_err cmp_msg_arena_encode(const cmp_msg *m, const asn_TYPE_descriptor_t *td,
                                            const void *sptr, cmp_span *out);

/* cmp_msg_arena_copy copies |len| bytes into the arena. */
CMP_MUST_CHECK cmp_err cmp_msg_arena_copy(const cmp_msg *m, const uint8_t *data, size_t len,
                                          cmp_span *out);

/* cmp_asn_decode decodes exactly |in| (no trailing bytes) as |td| into a new
 * tree at |*out| with the decoder stack guard set; the caller frees it with
 * ASN_STRUCT_FREE. Used by builders to turn DER inputs (Name, SPKI,
 * certificates) into tree members. */
CMP_MUST_CHECK cmp_err cmp_asn_decode(const asn_TYPE_descriptor_t *td, cmp_span in, void **out);

/* cmp_asn_decode_strict is cmp_asn_decode for input that must be canonical
 * DER: structural DER walk, DER value forms, decode, constraints, and
 * byte-identical re-encoding (CMP_ERR_NOT_DER, CMP_ERR_DER_*). For builder
 * inputs that must travel unchanged (certificates, names, algorithms). */
CMP_MUST_CHECK cmp_err cmp_asn_decode_strict(const asn_TYPE_descriptor_t *td, cmp_span in,
                                             void **out);

/* cmp_asn_nomem_or returns CMP_ERR_NOMEM when memory is exhausted, else
 * |err|. The asn1c runtime reports a failed allocation like bad input
 * (RC_FAIL, encoded == -1); after such a failure a one-byte probe
 * allocation tells the two apart. */
CMP_MUST_CHECK cmp_err cmp_asn_nomem_or(cmp_err err);

/* cmp_asn_encode DER-encodes |sptr| into a fresh buffer |out|. */
CMP_MUST_CHECK cmp_err cmp_asn_encode(const asn_TYPE_descriptor_t *td, const void *sptr,
                                      cmp_buf *out);

/* cmp_msg_body returns the body of |m| (NULL for a message without one). */
PKIBody_t *cmp_msg_body_mut(cmp_msg *m);
const PKIBody_t *cmp_msg_body_get(const cmp_msg *m);

/* Status info helpers shared by every body that carries PKIStatusInfo
 * (stack/msg_status.c). */
CMP_MUST_CHECK cmp_err cmp_status_info_read(const PKIStatusInfo_t *in, cmp_status_info *out);
CMP_MUST_CHECK cmp_err cmp_status_info_fill(PKIStatusInfo_t *out, const cmp_status_info *in);

/* INTEGER helpers with range checks (STYLE.md section 6). */
CMP_MUST_CHECK cmp_err cmp_int_get(const INTEGER_t *in, int64_t *out);
CMP_MUST_CHECK cmp_err cmp_int_set(INTEGER_t *out, int64_t v);

/* GeneralizedTime (X.690 11.7, DER form): "YYYYMMDDHHMMSS[.f]Z", a valid
 * date, seconds 00..59, fraction without trailing zeros. cmp_gtime_parse
 * gives seconds since the epoch (the fraction is dropped) or
 * CMP_ERR_DER_VALUE. cmp_gtime_format writes "YYYYMMDDHHMMSSZ" (15 bytes,
 * not NUL-terminated) for years 0..9999, else CMP_ERR_ARG. */
#define CMP_GTIME_LEN 15
CMP_MUST_CHECK cmp_err cmp_gtime_parse(cmp_span text, int64_t *out);
CMP_MUST_CHECK cmp_err cmp_gtime_format(uint8_t out[CMP_GTIME_LEN], int64_t t);

/* cmp_utf8_next decodes one UTF-8 sequence of at most |len| bytes at |s|
 * (RFC 3629: shortest form, no surrogates, at most U+10FFFF) into |*cp| and
 * returns its length, or 0 when it is malformed. */
size_t cmp_utf8_next(const uint8_t *s, size_t len, uint32_t *cp);

/* cmp_utctime_check: UTCTime in its DER form "YYMMDDHHMMSSZ" (X.690 11.8),
 * a valid date; CMP_ERR_DER_VALUE if not. */
CMP_MUST_CHECK cmp_err cmp_utctime_check(cmp_span text);

#endif /* CMP_MSG_INT_H */
