/* SPDX-License-Identifier: Apache-2.0 */
/*
 * stack/msg_body_int.h: helpers shared by the body files of the message
 * layer (msg_certreq.c, msg_certrep.c, msg_conf.c, msg_poll.c, msg_error.c,
 * msg_genm.c, msg_rr.c, msg_print.c). They fill and read asn1c members from
 * cmp_span inputs, with every size and value checked (STYLE.md section 6).
 *
 * A builder makes a whole PKIBody off to the side and installs it only when
 * every member was filled, so a failed cmp_msg_set_body_*() leaves the
 * message as it was.
 */
#ifndef CMP_MSG_BODY_INT_H
#define CMP_MSG_BODY_INT_H

/* msg_int.h names these types; -fno-include-deps leaves them to us. */
#include "PKIBody.h"
#include "PKIStatusInfo.h"
#include "msg_int.h"

#include "Extensions.h"
#include "GeneralName.h"
#include "Name.h"
#include "PKIFreeText.h"
#include "Time.h"

/* ---- bodies (msg_body.c) ------------------------------------------------ */

/* cmp_body_new allocates an empty body of |type| (a cmp_body_type) at
 * |*out|; the caller owns it (cmp_body_free) until cmp_body_install. */
CMP_MUST_CHECK cmp_err cmp_body_new(PKIBody_t **out, int type);

/* cmp_body_free frees a body that was never installed. NULL is fine. */
void cmp_body_free(PKIBody_t *body);

/* cmp_body_install makes |*body| the body of the built message |m|,
 * replacing any earlier one, and takes ownership (|*body| becomes NULL).
 * A decoded message is read-only: CMP_ERR_STATE. */
CMP_MUST_CHECK cmp_err cmp_body_install(cmp_msg *m, PKIBody_t **body);

/* cmp_body_of returns |m|'s body when its type is |type|, else NULL. */
const PKIBody_t *cmp_body_of(const cmp_msg *m, int type);

/* cmp_body_is_certreq: ir, cr, kur (the CertReqMessages bodies); likewise
 * cmp_body_is_certrep for ip, cp, kup. */
int cmp_body_is_certreq(int type);
int cmp_body_is_certrep(int type);

/* cmp_body_raw_item finds, in the raw body of a decoded message, the DER of
 * the |i|-th element of the SEQUENCE OF that is the body's content (the
 * CertReqMsg of an ir, ...). CMP_ERR_STATE for a built message. */
CMP_MUST_CHECK cmp_err cmp_body_raw_item(const cmp_msg *m, size_t i, cmp_span *out);

/* ---- values (msg_body.c) ------------------------------------------------ */

/* cmp_bytes_span views the |buf|/|size| pair of an asn1c primitive
 * (OCTET STRING, BIT STRING, INTEGER, OBJECT IDENTIFIER, ANY); empty for a
 * NULL buffer or a negative size. */
cmp_span cmp_bytes_span(const uint8_t *buf, int size);
#define CMP_SPAN_OF(prim) cmp_bytes_span((prim)->buf, (prim)->size)

/* cmp_bytes_set replaces the |*buf|/|*size| pair of an asn1c primitive
 * with a copy of |in| (CMP_ERR_ARG when it exceeds INT_MAX). */
CMP_MUST_CHECK cmp_err cmp_bytes_set(uint8_t **buf, int *size, cmp_span in);

/* cmp_octets_set replaces |out|'s contents with a copy of |in|. */
CMP_MUST_CHECK cmp_err cmp_octets_set(OCTET_STRING_t *out, cmp_span in);

/* cmp_octets_new allocates an OCTET STRING holding a copy of |in|. */
CMP_MUST_CHECK cmp_err cmp_octets_new(OCTET_STRING_t **out, cmp_span in);

/* cmp_int_bytes_set sets |out| from INTEGER content bytes, which must be in
 * minimal two's-complement form (X.690 8.3.2): CMP_ERR_ARG if not. */
CMP_MUST_CHECK cmp_err cmp_int_bytes_set(INTEGER_t *out, cmp_span content);

/* cmp_oid_set sets |out| from OBJECT IDENTIFIER content bytes, checked by
 * cmp_oid_valid (CMP_ERR_ARG if not valid). */
CMP_MUST_CHECK cmp_err cmp_oid_set(OBJECT_IDENTIFIER_t *out, cmp_span oid);

/* cmp_asn_decode_into decodes |in| (exactly one value of type |td|, in
 * canonical DER as cmp_asn_decode_strict checks) into the caller-provided
 * member |dst| of |size| bytes, which must be zeroed. On failure |dst|
 * stays zero. */
CMP_MUST_CHECK cmp_err cmp_asn_decode_into(const asn_TYPE_descriptor_t *td, cmp_span in,
                                           void *dst, size_t size);

/* ---- time (msg_body.c) -------------------------------------------------- */

/* A broken-down UTC time; no <time.h> in the library (STYLE.md section 2). */
typedef struct cmp_tm {
    int64_t year;
    int mon, mday, hour, min, sec; /* mon 1..12, mday 1..31 */
} cmp_tm;

/* cmp_tm_from_epoch / cmp_tm_to_epoch convert between seconds since
 * 1970-01-01T00:00:00Z and civil UTC time (proleptic Gregorian). */
void cmp_tm_from_epoch(int64_t t, cmp_tm *out);
CMP_MUST_CHECK cmp_err cmp_tm_to_epoch(const cmp_tm *in, int64_t *out);

/* cmp_time_parse reads the DER form of a UTCTime ("YYMMDDHHMMSSZ", 1950
 * to 2049) or GeneralizedTime ("YYYYMMDDHHMMSSZ") string, as RFC 5280
 * section 4.1.2.5 restricts them: CMP_ERR_DER_VALUE for anything else. */
CMP_MUST_CHECK cmp_err cmp_time_parse(cmp_span text, int generalized, int64_t *out);

/* cmp_time_read reads an X.509 Time CHOICE. */
CMP_MUST_CHECK cmp_err cmp_time_read(const Time_t *in, int64_t *out);

/* cmp_time_fill sets |out| (zeroed) to |t|: UTCTime through 2049,
 * GeneralizedTime from 2050 (RFC 5280 section 4.1.2.5). Years 0..9999. */
CMP_MUST_CHECK cmp_err cmp_time_fill(Time_t *out, int64_t t);

/* cmp_time_iso writes "YYYY-MM-DDTHH:MM:SSZ" and a NUL into |out|. */
#define CMP_ISO_TIME_LEN 32
void cmp_time_iso(char out[CMP_ISO_TIME_LEN], int64_t t);

/* ---- status and free text (msg_status.c) -------------------------------- */

/* cmp_free_text_new makes a PKIFreeText of |num| UTF-8 strings (NULL when
 * |num| is 0: the field is then omitted). */
CMP_MUST_CHECK cmp_err cmp_free_text_new(PKIFreeText_t **out, const cmp_span *texts,
                                         size_t num);

/* cmp_free_text_read views at most |max| strings of |in|; returns how many. */
size_t cmp_free_text_read(const PKIFreeText_t *in, cmp_span *out, size_t max);

/* cmp_named_bits_fill fills |out| (zeroed) with the minimal DER named BIT
 * STRING (PKIFailureInfo, KeyUsage) for the bit set |bits|: no trailing
 * zero bits (X.690 11.2.2). Only for a non-empty set (CMP_ERR_ARG): an
 * empty PKIFailureInfo is omitted instead. */
CMP_MUST_CHECK cmp_err cmp_named_bits_fill(BIT_STRING_t *out, uint32_t bits);

/* cmp_named_bits_read reads bits 0..31 of a named BIT STRING. Unused bits
 * are ignored; bits beyond 31 (no such name) are dropped. */
uint32_t cmp_named_bits_read(const BIT_STRING_t *in);

/* cmp_bits_is_der: 1 when a named BIT STRING has no trailing zero bits and
 * zero unused bits (X.690 11.2.1, 11.2.2), else 0. */
int cmp_bits_is_der(const BIT_STRING_t *in);

/* ---- text (ext_print.c) --------------------------------------------------- */

/* cmp_general_name_str renders a GeneralName as "DNS:a.example",
 * "IP:10.0.0.1", "DirName:/O=Org/CN=Name", ... (peer bytes escaped). */
CMP_MUST_CHECK cmp_err cmp_general_name_str(char *out, size_t out_len, const GeneralName_t *gn);

/* cmp_name_str renders a Name as "/O=Org/CN=Name" (cmp_name_to_string). */
CMP_MUST_CHECK cmp_err cmp_name_str(char *out, size_t out_len, const Name_t *name);

/* cmp_utf8_valid: 1 when |s| is well-formed UTF-8 (RFC 3629), else 0. */
int cmp_utf8_valid(cmp_span s);

#endif /* CMP_MSG_BODY_INT_H */
