/* SPDX-License-Identifier: Apache-2.0 */
/*
 * stack/ext_print.c: cmp_ext_to_string, the rendering of extension values
 * for people (cmpdump, server logs). Values come from peers: every string
 * is escaped to visible ASCII, every value is decoded by asn1c first, and
 * a value that does not decode is reported, not guessed at.
 */
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "cmp/ext.h"
#include "cmp/mem.h"
#include "cmp/oid.h"
#include "err_int.h"
#include "msg_body_int.h"

#include "CRLReason.h"
#include "ExtKeyUsageSyntax.h"
#include "GeneralName.h"
#include "Name.h"
#include "SubjectAltName.h"
#include "SubjectKeyIdentifier.h"

/* Longest hex rendering of an unknown value, in bytes of the value. */
#define MAX_HEX_VALUE 64u

/* A bounded string: writes past the end set |full| and are dropped. */
typedef struct sbuf {
    char *p;
    size_t cap, len;
    int full;
} sbuf;

static void sb_put(sbuf *b, const char *s, size_t n)
{
    if (b->full || n >= b->cap - b->len) {
        b->full = 1;
        return;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

static void sb_str(sbuf *b, const char *s)
{
    sb_put(b, s, strlen(s));
}

static void sb_uint(sbuf *b, uint64_t v)
{
    char tmp[24];
    size_t i = sizeof(tmp);

    do {
        tmp[--i] = (char)('0' + (int)(v % 10u));
        v /= 10u;
    } while (v != 0);
    sb_put(b, tmp + i, sizeof(tmp) - i);
}

static void sb_hex(sbuf *b, cmp_span s, const char *sep)
{
    static const char digits[] = "0123456789abcdef";
    size_t i;

    for (i = 0; i < s.len; i++) {
        char h[2];
        if (i > 0 && sep != NULL) {
            sb_str(b, sep);
        }
        h[0] = digits[s.data[i] >> 4];
        h[1] = digits[s.data[i] & 15];
        sb_put(b, h, 2);
    }
}

/* Visible ASCII as is, anything else as \xNN: a peer's string must not
 * reach a terminal or a log as control characters. */
static void sb_text(sbuf *b, cmp_span s)
{
    size_t i;

    for (i = 0; i < s.len; i++) {
        uint8_t c = s.data[i];
        if (c >= 0x20 && c <= 0x7e && c != '\\') {
            sb_put(b, (const char *)&c, 1);
        } else {
            cmp_span one = {&s.data[i], 1};
            sb_str(b, "\\x");
            sb_hex(b, one, NULL);
        }
    }
}

static void sb_oid(sbuf *b, cmp_span oid)
{
    char tmp[128];
    const char *name = cmp_oid_name(oid);

    if (name != NULL) {
        sb_str(b, name);
    } else if (cmp_oid_to_string(tmp, sizeof(tmp), oid) == CMP_OK) {
        sb_str(b, tmp);
    } else {
        sb_str(b, "<bad OID>");
    }
}

/* ---- GeneralName -------------------------------------------------------- */

static void sb_ip(sbuf *b, cmp_span ip)
{
    size_t i;

    if (ip.len == 4) {
        for (i = 0; i < 4; i++) {
            if (i > 0) {
                sb_str(b, ".");
            }
            sb_uint(b, ip.data[i]);
        }
    } else if (ip.len == 16) {
        static const char digits[] = "0123456789abcdef";
        for (i = 0; i < 16; i += 2) {
            unsigned v = ((unsigned)ip.data[i] << 8) | ip.data[i + 1];
            char h[4];
            size_t n = 0;
            int shift;
            if (i > 0) {
                sb_str(b, ":");
            }
            for (shift = 12; shift >= 0; shift -= 4) {
                if (n > 0 || (v >> shift) != 0 || shift == 0) {
                    h[n++] = digits[(v >> shift) & 15];
                }
            }
            sb_put(b, h, n);
        }
    } else {
        sb_hex(b, ip, NULL); /* an address with a mask (name constraints) */
    }
}

static void sb_dir_name(sbuf *b, const Name_t *name)
{
    char tmp[512];

    sb_str(b, cmp_name_str(tmp, sizeof(tmp), name) == CMP_OK ? tmp : "<name>");
}

/* GeneralName ::= CHOICE { otherName [0], rfc822Name [1] IA5String,
 *   dNSName [2] IA5String, x400Address [3], directoryName [4] Name,
 *   ediPartyName [5], uniformResourceIdentifier [6] IA5String,
 *   iPAddress [7] OCTET STRING, registeredID [8] OBJECT IDENTIFIER }
 *                                             (RFC 5280 section 4.2.1.6) */
static void sb_general_name(sbuf *b, const GeneralName_t *gn)
{
    switch (gn->present) {
    case GeneralName_PR_dNSName:
        sb_str(b, "DNS:");
        sb_text(b, CMP_SPAN_OF(&gn->choice.dNSName));
        break;
    case GeneralName_PR_rfc822Name:
        sb_str(b, "email:");
        sb_text(b, CMP_SPAN_OF(&gn->choice.rfc822Name));
        break;
    case GeneralName_PR_uniformResourceIdentifier:
        sb_str(b, "URI:");
        sb_text(b, CMP_SPAN_OF(&gn->choice.uniformResourceIdentifier));
        break;
    case GeneralName_PR_iPAddress:
        sb_str(b, "IP:");
        sb_ip(b, CMP_SPAN_OF(&gn->choice.iPAddress));
        break;
    case GeneralName_PR_directoryName:
        sb_str(b, "DirName:");
        sb_dir_name(b, &gn->choice.directoryName);
        break;
    case GeneralName_PR_registeredID:
        sb_str(b, "RID:");
        sb_oid(b, CMP_SPAN_OF(&gn->choice.registeredID));
        break;
    case GeneralName_PR_otherName:
        sb_str(b, "othername:");
        sb_oid(b, CMP_SPAN_OF(&gn->choice.otherName.type_id));
        break;
    default:
        sb_str(b, "<unsupported name>");
        break;
    }
}

/* see msg_body_int.h */
cmp_err cmp_general_name_str(char *out, size_t out_len, const GeneralName_t *gn)
{
    sbuf b;

    CMP_ENSURE(out != NULL && out_len > 0 && gn != NULL, CMP_ERR_ARG);
    b.p = out;
    b.cap = out_len;
    b.len = 0;
    b.full = 0;
    out[0] = '\0';
    sb_general_name(&b, gn);
    CMP_ENSURE(!b.full, CMP_ERR_BUF_SMALL);
    return CMP_OK;
}

/* see msg_body_int.h */
cmp_err cmp_name_str(char *out, size_t out_len, const Name_t *name)
{
    cmp_buf der = {NULL, 0};
    cmp_span s;
    cmp_err err;

    CMP_ENSURE(out != NULL && out_len > 0 && name != NULL, CMP_ERR_ARG);
    out[0] = '\0';
    CMP_TRY(cmp_asn_encode(&asn_DEF_Name, name, &der));
    s.data = der.data;
    s.len = der.len;
    err = cmp_name_to_string(out, out_len, s);
    cmp_buf_cleanup(&der);
    return err;
}

/* ---- values ------------------------------------------------------------- */

static cmp_err str_general_names(sbuf *b, cmp_span value)
{
    GeneralNames_t *gns = NULL;
    int i;

    CMP_TRY(cmp_asn_decode_strict(&asn_DEF_GeneralNames, value, (void **)&gns));
    for (i = 0; i < gns->list.count; i++) {
        if (i > 0) {
            sb_str(b, ", ");
        }
        if (gns->list.array[i] != NULL) {
            sb_general_name(b, gns->list.array[i]);
        }
    }
    ASN_STRUCT_FREE(asn_DEF_GeneralNames, gns);
    return CMP_OK;
}

static cmp_err str_key_usage(sbuf *b, cmp_span value)
{
    uint32_t bits = 0;
    int n, first = 1;

    CMP_TRY(cmp_ext_key_usage_read(value, &bits));
    for (n = 0; n < 32; n++) {
        const char *name = cmp_ext_key_usage_name(n);
        if ((bits & ((uint32_t)1 << n)) == 0) {
            continue;
        }
        sb_str(b, first ? "" : ", ");
        first = 0;
        if (name != NULL) {
            sb_str(b, name);
        } else {
            sb_str(b, "bit");
            sb_uint(b, (uint64_t)n);
        }
    }
    return CMP_OK;
}

static cmp_err str_eku(sbuf *b, cmp_span value)
{
    ExtKeyUsageSyntax_t *eku = NULL;
    int i;

    CMP_TRY(cmp_asn_decode_strict(&asn_DEF_ExtKeyUsageSyntax, value, (void **)&eku));
    for (i = 0; i < eku->list.count; i++) {
        sb_str(b, i > 0 ? ", " : "");
        if (eku->list.array[i] != NULL) {
            sb_oid(b, CMP_SPAN_OF(eku->list.array[i]));
        }
    }
    ASN_STRUCT_FREE(asn_DEF_ExtKeyUsageSyntax, eku);
    return CMP_OK;
}

static cmp_err str_basic_constraints(sbuf *b, cmp_span value)
{
    int ca = 0, path_len = -1;

    CMP_TRY(cmp_ext_basic_constraints_read(value, &ca, &path_len));
    sb_str(b, ca ? "CA:TRUE" : "CA:FALSE");
    if (path_len >= 0) {
        sb_str(b, ", pathlen:");
        sb_uint(b, (uint64_t)path_len);
    }
    return CMP_OK;
}

/* CRLReason names, RFC 5280 section 5.3.1 (7 is not used). */
static const char *const crl_reasons[] = {
    "unspecified", "keyCompromise", "cACompromise", "affiliationChanged",
    "superseded", "cessationOfOperation", "certificateHold", NULL,
    "removeFromCRL", "privilegeWithdrawn", "aACompromise",
};

static cmp_err str_crl_reason(sbuf *b, cmp_span value)
{
    CRLReason_t *r = NULL;
    int64_t v = -1;
    cmp_err err;

    CMP_TRY(cmp_asn_decode_strict(&asn_DEF_CRLReason, value, (void **)&r));
    err = cmp_int_get(r, &v);
    ASN_STRUCT_FREE(asn_DEF_CRLReason, r);
    CMP_TRY(err);
    CMP_ENSURE(v >= 0 && v <= 10 && crl_reasons[v] != NULL, CMP_ERR_DER_VALUE);
    sb_str(b, crl_reasons[v]);
    return CMP_OK;
}

static cmp_err str_key_id(sbuf *b, cmp_span value)
{
    SubjectKeyIdentifier_t *ki = NULL;

    CMP_TRY(cmp_asn_decode_strict(&asn_DEF_SubjectKeyIdentifier, value, (void **)&ki));
    sb_hex(b, CMP_SPAN_OF(ki), ":");
    ASN_STRUCT_FREE(asn_DEF_SubjectKeyIdentifier, ki);
    return CMP_OK;
}

static cmp_err str_other(sbuf *b, cmp_span value)
{
    if (value.len <= MAX_HEX_VALUE) {
        sb_hex(b, value, NULL);
    } else {
        sb_str(b, "<");
        sb_uint(b, (uint64_t)value.len);
        sb_str(b, " bytes>");
    }
    return CMP_OK;
}

/* see cmp/ext.h */
cmp_err cmp_ext_to_string(char *out, size_t out_len, const cmp_ext *e)
{
    sbuf b;
    const char *name;
    cmp_err err;

    CMP_ENSURE(out != NULL && out_len > 0 && e != NULL, CMP_ERR_ARG);
    b.p = out;
    b.cap = out_len;
    b.len = 0;
    b.full = 0;
    out[0] = '\0';
    name = cmp_oid_name(e->oid);
    if (name == NULL || cmp_oid_kind_of(e->oid) != CMP_OIDK_EXT) {
        err = str_other(&b, e->value);
    } else if (strcmp(name, "subjectAltName") == 0 || strcmp(name, "issuerAltName") == 0) {
        err = str_general_names(&b, e->value);
    } else if (strcmp(name, "keyUsage") == 0) {
        err = str_key_usage(&b, e->value);
    } else if (strcmp(name, "extKeyUsage") == 0) {
        err = str_eku(&b, e->value);
    } else if (strcmp(name, "basicConstraints") == 0) {
        err = str_basic_constraints(&b, e->value);
    } else if (strcmp(name, "cRLReason") == 0) {
        err = str_crl_reason(&b, e->value);
    } else if (strcmp(name, "subjectKeyIdentifier") == 0) {
        err = str_key_id(&b, e->value);
    } else {
        err = str_other(&b, e->value);
    }
    if (err != CMP_OK) {
        b.len = 0;
        b.full = 0;
        out[0] = '\0';
        sb_str(&b, "<malformed>");
        CMP_FAIL(err);
    }
    CMP_ENSURE(!b.full, CMP_ERR_BUF_SMALL);
    return CMP_OK;
}
