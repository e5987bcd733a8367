/* SPDX-License-Identifier: Apache-2.0 */
/*
 * stack/msg_status.c: PKIStatusInfo, PKIFailureInfo and PKIFreeText, which
 * every response body carries (RFC 9810 section 5.2.3), and the names of
 * body types and statuses. PKIFailureInfo is a named BIT STRING, so its
 * DER has no trailing zero bits (X.690 11.2.2); asn1c does not trim them,
 * so this file computes the encoding itself.
 */
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "cmp/mem.h"
#include "err_int.h"
#include "msg_body_int.h"

/* RFC 4210 section 5.1.2 names, indexed by cmp_body_type. */
static const char *const body_names[] = {
    "ir",     "ip",     "cr",      "cp",      "p10cr",   "popdecc", "popdecr",
    "kur",    "kup",    "krr",     "krp",     "rr",      "rp",      "ccr",
    "ccp",    "ckuann", "cann",    "rann",    "crlann",  "pkiconf", "nested",
    "genm",   "genp",   "error",   "certConf", "pollReq", "pollRep",
};

/* see cmp/msg.h */
const char *cmp_body_name(int type)
{
    if (type < 0 || (size_t)type >= sizeof(body_names) / sizeof(body_names[0])) {
        return "unknown";
    }
    return body_names[type];
}

/* PKIStatus names, RFC 9810 section 5.2.3. */
static const char *const status_names[] = {
    "accepted", "grantedWithMods", "rejection", "waiting",
    "revocationWarning", "revocationNotification", "keyUpdateWarning",
};

/* see cmp/msg.h */
const char *cmp_status_name(int status)
{
    if (status < 0 || (size_t)status >= sizeof(status_names) / sizeof(status_names[0])) {
        return "unknown";
    }
    return status_names[status];
}

/* ---- PKIFreeText ---------------------------------------------------------- */

/* RFC 3629 section 4: well-formed UTF-8, no overlongs, no surrogates. */
/* see msg_body_int.h */
int cmp_utf8_valid(cmp_span s)
{
    size_t i = 0;

    while (i < s.len) {
        uint8_t c = s.data[i];
        size_t n, k;
        uint32_t cp, min;
        if (c < 0x80) {
            i++;
            continue;
        }
        if (c >= 0xc2 && c <= 0xdf) {
            n = 1, cp = c & 0x1fu, min = 0x80;
        } else if (c >= 0xe0 && c <= 0xef) {
            n = 2, cp = c & 0x0fu, min = 0x800;
        } else if (c >= 0xf0 && c <= 0xf4) {
            n = 3, cp = c & 0x07u, min = 0x10000;
        } else {
            return 0;
        }
        if (n > s.len - i - 1) {
            return 0;
        }
        for (k = 1; k <= n; k++) {
            if ((s.data[i + k] & 0xc0) != 0x80) {
                return 0;
            }
            cp = (cp << 6) | (s.data[i + k] & 0x3fu);
        }
        if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
            return 0;
        }
        i += n + 1;
    }
    return 1;
}

/* PKIFreeText ::= SEQUENCE SIZE (1..MAX) OF UTF8String
 * (RFC 9810 section 5.1.1); an empty list is omitted, never sent empty. */
/* see msg_body_int.h */
cmp_err cmp_free_text_new(PKIFreeText_t **out, const cmp_span *texts, size_t num)
{
    PKIFreeText_t *ft = NULL;
    UTF8String_t *s = NULL;
    cmp_err err = CMP_ERR_INTERNAL;
    size_t i;

    CMP_ENSURE(out != NULL, CMP_ERR_ARG);
    *out = NULL;
    CMP_ENSURE(num == 0 || texts != NULL, CMP_ERR_ARG);
    CMP_ENSURE(num <= CMP_MAX_TEXTS, CMP_ERR_ARG);
    if (num == 0) {
        return CMP_OK;
    }
    ft = cmp_calloc(1, sizeof(*ft));
    CMP_ENSURE_OUT(ft != NULL, CMP_ERR_NOMEM);
    for (i = 0; i < num; i++) {
        CMP_ENSURE_OUT(cmp_utf8_valid(texts[i]), CMP_ERR_ARG);
        CMP_TRY_OUT(cmp_octets_new(&s, texts[i]));
        CMP_ENSURE_OUT(ASN_SEQUENCE_ADD(&ft->list, s) == 0, CMP_ERR_NOMEM);
        s = NULL;
    }
    *out = ft;
    ft = NULL;
    err = CMP_OK;
out:
    if (s != NULL) {
        ASN_STRUCT_FREE(asn_DEF_UTF8String, s);
    }
    if (ft != NULL) {
        ASN_STRUCT_FREE(asn_DEF_PKIFreeText, ft);
    }
    return err;
}

/* see msg_body_int.h */
size_t cmp_free_text_read(const PKIFreeText_t *in, cmp_span *out, size_t max)
{
    size_t i, n = 0;

    if (in == NULL || in->list.count <= 0) {
        return 0;
    }
    for (i = 0; i < (size_t)in->list.count && n < max; i++) {
        if (in->list.array[i] != NULL) {
            out[n++] = CMP_SPAN_OF(in->list.array[i]);
        }
    }
    return n;
}

/* ---- PKIFailureInfo ------------------------------------------------------- */

/*
 * PKIFailureInfo ::= BIT STRING { badAlg (0), ..., duplicateCertReq (26) }
 * (RFC 9810 section 5.2.3). Bit n is bit 8 - (n mod 8) of octet n / 8.
 * X.690 11.2.2: "Where ITU-T Rec. X.680 | ISO/IEC 8824-1, 22.7, applies,
 * the bitstring shall have all trailing 0 bits removed before it is
 * encoded." Unused bits are zero (X.690 11.2.1).
 */
/* see msg_body_int.h */
cmp_err cmp_named_bits_fill(BIT_STRING_t *out, uint32_t bits)
{
    uint8_t buf[4] = {0, 0, 0, 0};
    cmp_span s;
    int n, high = -1;

    CMP_ENSURE(out != NULL && bits != 0, CMP_ERR_ARG);
    for (n = 0; n < 32; n++) {
        if (bits & ((uint32_t)1 << n)) {
            buf[n / 8] |= (uint8_t)(0x80u >> (n % 8));
            high = n;
        }
    }
    s.data = buf;
    s.len = (size_t)(high / 8 + 1);
    CMP_TRY(cmp_bytes_set(&out->buf, &out->size, s));
    out->bits_unused = 7 - high % 8;
    return CMP_OK;
}

/* see msg_body_int.h */
uint32_t cmp_named_bits_read(const BIT_STRING_t *in)
{
    cmp_span s;
    uint32_t bits = 0;
    size_t k;
    int j, unused;

    if (in == NULL) {
        return 0;
    }
    s = CMP_SPAN_OF(in);
    unused = in->bits_unused >= 0 && in->bits_unused <= 7 ? in->bits_unused : 0;
    for (k = 0; k < s.len && k < 4; k++) {
        for (j = 0; j < 8; j++) {
            if (k + 1 == s.len && j >= 8 - unused) {
                break;
            }
            if (s.data[k] & (0x80u >> j)) {
                bits |= (uint32_t)1 << (k * 8 + (size_t)j);
            }
        }
    }
    return bits;
}

/* see msg_body_int.h */
int cmp_bits_is_der(const BIT_STRING_t *in)
{
    cmp_span s;
    uint8_t last;

    if (in == NULL || in->bits_unused < 0 || in->bits_unused > 7) {
        return 0;
    }
    s = CMP_SPAN_OF(in);
    if (s.len == 0) {
        return in->bits_unused == 0;
    }
    last = s.data[s.len - 1];
    /* The last used bit is 1 and every unused bit is 0. */
    return ((last >> in->bits_unused) & 1u) != 0 &&
           (last & ((1u << in->bits_unused) - 1u)) == 0;
}

/* ---- PKIStatusInfo -------------------------------------------------------- */

/*
 * PKIStatusInfo ::= SEQUENCE {
 *    status        PKIStatus,
 *    statusString  PKIFreeText     OPTIONAL,
 *    failInfo      PKIFailureInfo  OPTIONAL }   (RFC 9810 section 5.2.3)
 */
/* see msg_int.h */
cmp_err cmp_status_info_read(const PKIStatusInfo_t *in, cmp_status_info *out)
{
    int64_t status;

    CMP_ENSURE(in != NULL && out != NULL, CMP_ERR_ARG);
    memset(out, 0, sizeof(*out));
    CMP_TRY(cmp_int_get(&in->status, &status));
    CMP_ENSURE(status >= CMP_STATUS_ACCEPTED && status <= CMP_STATUS_KEY_UPDATE_WARNING,
               CMP_ERR_PKISTATUS);
    out->status = (int)status;
    out->num_texts = cmp_free_text_read(in->statusString, out->texts, CMP_MAX_TEXTS);
    out->fail_info = cmp_named_bits_read(in->failInfo);
    return CMP_OK;
}

/* see msg_int.h */
cmp_err cmp_status_info_fill(PKIStatusInfo_t *out, const cmp_status_info *in)
{
    CMP_ENSURE(out != NULL && in != NULL, CMP_ERR_ARG);
    CMP_ENSURE(in->status >= CMP_STATUS_ACCEPTED && in->status <= CMP_STATUS_KEY_UPDATE_WARNING,
               CMP_ERR_ARG);
    CMP_ENSURE(in->num_texts <= CMP_MAX_TEXTS, CMP_ERR_ARG);
    /* Only the named bits exist (RFC 9810 section 5.2.3). */
    CMP_ENSURE((in->fail_info >> (CMP_FI_MAX + 1)) == 0, CMP_ERR_ARG);
    CMP_TRY(cmp_int_set(&out->status, in->status));
    CMP_TRY(cmp_free_text_new(&out->statusString, in->texts, in->num_texts));
    if (in->fail_info != 0) {
        out->failInfo = cmp_calloc(1, sizeof(*out->failInfo));
        CMP_ENSURE(out->failInfo != NULL, CMP_ERR_NOMEM);
        CMP_TRY(cmp_named_bits_fill(out->failInfo, in->fail_info));
    }
    return CMP_OK;
}
