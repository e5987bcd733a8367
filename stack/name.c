/* SPDX-License-Identifier: Apache-2.0 */
/*
 * stack/name.c: X.500 distinguished names as the tools and logs write them,
 * "/C=DE/O=Org/CN=Name" (OpenSSL's -subject form), to and from DER, and a
 * Name wrapped into a GeneralName.
 *
 *   Name ::= CHOICE { rdnSequence RDNSequence }
 *   RDNSequence ::= SEQUENCE OF RelativeDistinguishedName
 *   RelativeDistinguishedName ::= SET SIZE (1..MAX) OF AttributeTypeAndValue
 *   AttributeTypeAndValue ::= SEQUENCE { type AttributeType,
 *                                        value AttributeValue }
 *                                            (RFC 5280 section 4.1.2.4)
 *
 * String syntax: '/' starts each RDN, '+' joins the attributes of a
 * multi-valued RDN, a backslash makes the next character literal, and
 * "\xHH" is one byte (so that control characters survive a round trip).
 * cmp_name_to_string escapes '/', '+', '\' and bytes outside printable
 * ASCII the same way, so its output parses back to the same DER.
 */
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "cmp/mem.h"
#include "cmp/msg.h"
#include "err_int.h"
#include "msg_int.h"
#include "rd_int.h"

#include "AttributeTypeAndValue.h"
#include "GeneralName.h"
#include "IA5String.h"
#include "Name.h"
#include "PrintableString.h"
#include "RDNSequence.h"
#include "RelativeDistinguishedName.h"
#include "UTF8String.h"

/* Universal tags of the string types a Name uses. */
#define TAG_UTF8 0x0c
#define TAG_NUMERIC 0x12
#define TAG_PRINTABLE 0x13
#define TAG_T61 0x14
#define TAG_IA5 0x16
#define TAG_VISIBLE 0x1a
#define TAG_UNIVERSAL 0x1c
#define TAG_BMP 0x1e

/* The attributes the string form knows. The string type follows RFC 5280
 * section 4.1.2.4 ("CAs MUST use the UTF8String encoding of
 * DirectoryString", with countryName and serialNumber PrintableString and
 * emailAddress and domainComponent IA5String); the upper bounds are RFC
 * 5280 Appendix A.1's ub-* values, in characters (0: ub-name 32768). */
typedef struct attr_info {
    const char *short_name;
    const char *long_name;
    uint8_t oid[10];
    uint8_t oid_len;
    uint8_t tag;
    uint16_t ub;
} attr_info;

static const attr_info attrs[] = {
    {"C", "countryName", {0x55, 0x04, 0x06}, 3, TAG_PRINTABLE, 2},
    {"ST", "stateOrProvinceName", {0x55, 0x04, 0x08}, 3, TAG_UTF8, 128},
    {"L", "localityName", {0x55, 0x04, 0x07}, 3, TAG_UTF8, 128},
    {"O", "organizationName", {0x55, 0x04, 0x0a}, 3, TAG_UTF8, 64},
    {"OU", "organizationalUnitName", {0x55, 0x04, 0x0b}, 3, TAG_UTF8, 64},
    {"CN", "commonName", {0x55, 0x04, 0x03}, 3, TAG_UTF8, 64},
    {"serialNumber", "serialNumber", {0x55, 0x04, 0x05}, 3, TAG_PRINTABLE, 64},
    {"emailAddress", "emailAddress",
     {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x01}, 9, TAG_IA5, 255},
    {"DC", "domainComponent",
     {0x09, 0x92, 0x26, 0x89, 0x93, 0xf2, 0x2c, 0x64, 0x01, 0x19}, 10, TAG_IA5, 63},
    {"UID", "userId",
     {0x09, 0x92, 0x26, 0x89, 0x93, 0xf2, 0x2c, 0x64, 0x01, 0x01}, 10, TAG_UTF8, 0},
    {"SN", "surname", {0x55, 0x04, 0x04}, 3, TAG_UTF8, 0},
    {"GN", "givenName", {0x55, 0x04, 0x2a}, 3, TAG_UTF8, 0},
    {"title", "title", {0x55, 0x04, 0x0c}, 3, TAG_UTF8, 64},
    {"street", "streetAddress", {0x55, 0x04, 0x09}, 3, TAG_UTF8, 128},
    {"postalCode", "postalCode", {0x55, 0x04, 0x11}, 3, TAG_UTF8, 40},
    {"dnQualifier", "dnQualifier", {0x55, 0x04, 0x2e}, 3, TAG_PRINTABLE, 0},
    {"pseudonym", "pseudonym", {0x55, 0x04, 0x41}, 3, TAG_UTF8, 128},
    {"organizationIdentifier", "organizationIdentifier", {0x55, 0x04, 0x61}, 3, TAG_UTF8, 0},
};

#define UB_NAME 32768u

static const attr_info *attr_by_name(const char *s, size_t len)
{
    size_t i;

    for (i = 0; i < sizeof(attrs) / sizeof(attrs[0]); i++) {
        if ((strlen(attrs[i].short_name) == len && memcmp(attrs[i].short_name, s, len) == 0) ||
            (strlen(attrs[i].long_name) == len && memcmp(attrs[i].long_name, s, len) == 0)) {
            return &attrs[i];
        }
    }
    return NULL;
}

static const attr_info *attr_by_oid(const uint8_t *oid, size_t len)
{
    size_t i;

    for (i = 0; i < sizeof(attrs) / sizeof(attrs[0]); i++) {
        if (attrs[i].oid_len == len && memcmp(attrs[i].oid, oid, len) == 0) {
            return &attrs[i];
        }
    }
    return NULL;
}

/* ---- UTF-8 ---------------------------------------------------------------- */

/* see msg_int.h */
size_t cmp_utf8_next(const uint8_t *s, size_t len, uint32_t *cp)
{
    uint32_t c;
    size_t n, i;

    if (len == 0) {
        return 0;
    }
    c = s[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    } else if ((c & 0xe0) == 0xc0) {
        n = 2;
        c &= 0x1f;
    } else if ((c & 0xf0) == 0xe0) {
        n = 3;
        c &= 0x0f;
    } else if ((c & 0xf8) == 0xf0) {
        n = 4;
        c &= 0x07;
    } else {
        return 0;
    }
    if (n > len) {
        return 0;
    }
    for (i = 1; i < n; i++) {
        if ((s[i] & 0xc0) != 0x80) {
            return 0;
        }
        c = (c << 6) | (s[i] & 0x3f);
    }
    if ((n == 2 && c < 0x80) || (n == 3 && c < 0x800) || (n == 4 && c < 0x10000) ||
        c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff)) {
        return 0;
    }
    *cp = c;
    return n;
}

/* The number of characters of |len| bytes in string type |tag|, or
 * CMP_ERR_ARG when a byte is not allowed in that type. */
static cmp_err count_chars(uint8_t tag, const uint8_t *s, size_t len, size_t *out)
{
    /* X.680 41.4, Table 10: the PrintableString characters */
    static const char printable[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 '()+,-./:=?";
    size_t i = 0, n = 0;

    while (i < len) {
        uint32_t cp;
        size_t k = 1;

        if (tag == TAG_UTF8) {
            k = cmp_utf8_next(&s[i], len - i, &cp);
            CMP_ENSURE(k != 0, CMP_ERR_ARG);
        } else if (tag == TAG_PRINTABLE) {
            CMP_ENSURE(s[i] != 0 && memchr(printable, s[i], sizeof(printable) - 1) != NULL,
                       CMP_ERR_ARG);
        } else {
            CMP_ENSURE(s[i] < 0x80, CMP_ERR_ARG); /* IA5String: ASCII */
        }
        i += k;
        n++;
    }
    *out = n;
    return CMP_OK;
}

/* ---- from a string ---------------------------------------------------------- */

static int hex_val(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

/* Reads a value up to an unescaped '/' or '+' or the end into |out| (room
 * for strlen(*s) bytes), undoing the escapes. */
static cmp_err read_value(const char **s, uint8_t *out, size_t *out_len)
{
    const char *p = *s;
    size_t n = 0;

    while (*p != '\0' && *p != '/' && *p != '+') {
        if (*p != '\\') {
            out[n++] = (uint8_t)*p++;
            continue;
        }
        p++;
        CMP_ENSURE(*p != '\0', CMP_ERR_ARG); /* a trailing backslash */
        if (*p == 'x' && hex_val(p[1]) >= 0 && hex_val(p[2]) >= 0) {
            out[n++] = (uint8_t)(hex_val(p[1]) * 16 + hex_val(p[2]));
            p += 3;
        } else {
            out[n++] = (uint8_t)*p++;
        }
    }
    *s = p;
    *out_len = n;
    return CMP_OK;
}

/* The DER of the string value, in the AttributeValue (an ANY). */
static cmp_err set_value(ANY_t *out, const attr_info *a, const uint8_t *v, size_t len)
{
    OCTET_STRING_t str;
    asn_TYPE_descriptor_t *td = a->tag == TAG_PRINTABLE ? &asn_DEF_PrintableString
                                : a->tag == TAG_IA5     ? &asn_DEF_IA5String
                                                        : &asn_DEF_UTF8String;
    size_t chars = 0;

    CMP_ENSURE(len > 0 && len <= INT_MAX, CMP_ERR_ARG);
    CMP_TRY(count_chars(a->tag, v, len, &chars));
    CMP_ENSURE(chars <= (a->ub != 0 ? a->ub : UB_NAME), CMP_ERR_ARG);
    /* X.520: countryName is exactly two letters (PrintableString (SIZE (2))) */
    CMP_ENSURE(a->ub != 2 || chars == 2, CMP_ERR_ARG);
    memset(&str, 0, sizeof(str));
    str.buf = (uint8_t *)v;
    str.size = (int)len;
    if (ANY_fromType(out, td, &str) != 0) {
        CMP_FAIL(cmp_asn_nomem_or(CMP_ERR_ENCODE));
    }
    return CMP_OK;
}

/* One "type=value" into a new AttributeTypeAndValue added to |rdn|. */
static cmp_err parse_ava(const char **s, uint8_t *scratch, RelativeDistinguishedName_t *rdn)
{
    const char *p = *s, *eq;
    const attr_info *a;
    AttributeTypeAndValue_t *ava = NULL;
    size_t vlen = 0;
    cmp_err err = CMP_ERR_INTERNAL;

    eq = p;
    while (*eq != '\0' && *eq != '=' && *eq != '/' && *eq != '+' && *eq != '\\') {
        eq++;
    }
    CMP_ENSURE(*eq == '=', CMP_ERR_ARG);
    a = attr_by_name(p, (size_t)(eq - p));
    CMP_ENSURE(a != NULL, CMP_ERR_ARG);
    p = eq + 1;
    CMP_TRY(read_value(&p, scratch, &vlen));
    ava = cmp_calloc(1, sizeof(*ava));
    CMP_ENSURE(ava != NULL, CMP_ERR_NOMEM);
    ava->type.buf = cmp_malloc(a->oid_len);
    CMP_ENSURE_OUT(ava->type.buf != NULL, CMP_ERR_NOMEM);
    memcpy(ava->type.buf, a->oid, a->oid_len);
    ava->type.size = a->oid_len;
    CMP_TRY_OUT(set_value(&ava->value, a, scratch, vlen));
    CMP_ENSURE_OUT(ASN_SET_ADD(&rdn->list, ava) == 0, CMP_ERR_NOMEM);
    ava = NULL;
    *s = p;
    err = CMP_OK;
out:
    if (ava != NULL) {
        ASN_STRUCT_FREE(asn_DEF_AttributeTypeAndValue, ava);
    }
    return err;
}

/* One RDN: "type=value" joined by '+'. */
static cmp_err parse_rdn(const char **s, uint8_t *scratch, RDNSequence_t *seq)
{
    RelativeDistinguishedName_t *rdn;
    cmp_err err = CMP_ERR_INTERNAL;

    rdn = cmp_calloc(1, sizeof(*rdn));
    CMP_ENSURE(rdn != NULL, CMP_ERR_NOMEM);
    for (;;) {
        CMP_TRY_OUT(parse_ava(s, scratch, rdn));
        if (**s != '+') {
            break;
        }
        (*s)++;
    }
    CMP_ENSURE_OUT(ASN_SEQUENCE_ADD(&seq->list, rdn) == 0, CMP_ERR_NOMEM);
    rdn = NULL;
    err = CMP_OK;
out:
    if (rdn != NULL) {
        ASN_STRUCT_FREE(asn_DEF_RelativeDistinguishedName, rdn);
    }
    return err;
}

/* see cmp/msg.h */
cmp_err cmp_name_from_string(cmp_buf *out, const char *str)
{
    Name_t name;
    uint8_t *scratch = NULL;
    const char *p = str;
    cmp_err err = CMP_ERR_INTERNAL;

    memset(&name, 0, sizeof(name));
    name.present = Name_PR_rdnSequence;
    CMP_ENSURE(out != NULL, CMP_ERR_ARG);
    out->data = NULL;
    out->len = 0;
    CMP_ENSURE(str != NULL, CMP_ERR_ARG);
    CMP_ENSURE(strlen(str) <= CMP_MAX_MSG_LEN, CMP_ERR_ARG);
    /* "" is the empty Name (the NULL-DN of RFC 9810 section 5.1.1) */
    CMP_ENSURE(*p == '\0' || *p == '/', CMP_ERR_ARG);
    scratch = cmp_malloc(strlen(str) + 1);
    CMP_ENSURE(scratch != NULL, CMP_ERR_NOMEM);
    while (*p == '/') {
        p++;
        CMP_TRY_OUT(parse_rdn(&p, scratch, &name.choice.rdnSequence));
    }
    CMP_ENSURE_OUT(*p == '\0', CMP_ERR_ARG);
    CMP_TRY_OUT(cmp_asn_encode(&asn_DEF_Name, &name, out));
    err = CMP_OK;
out:
    ASN_STRUCT_FREE_CONTENTS_ONLY(asn_DEF_Name, &name);
    cmp_free(scratch);
    return err;
}

/* see cmp/msg.h */
cmp_err cmp_general_name_dn(cmp_buf *out, cmp_span name_der)
{
    Name_t *name = NULL;
    GeneralName_t gn;
    cmp_err err;

    CMP_ENSURE(out != NULL, CMP_ERR_ARG);
    out->data = NULL;
    out->len = 0;
    CMP_ENSURE(name_der.data != NULL, CMP_ERR_ARG);
    err = cmp_asn_decode_strict(&asn_DEF_Name, name_der, (void **)&name);
    if (err != CMP_OK) {
        return err == CMP_ERR_NOMEM ? err : CMP_ERR_ARG;
    }
    /* directoryName [4] Name: move the decoded Name into the CHOICE. */
    memset(&gn, 0, sizeof(gn));
    gn.present = GeneralName_PR_directoryName;
    memcpy(&gn.choice.directoryName, name, sizeof(*name));
    cmp_free(name);
    err = cmp_asn_encode(&asn_DEF_GeneralName, &gn, out);
    ASN_STRUCT_FREE_CONTENTS_ONLY(asn_DEF_GeneralName, &gn);
    return err;
}

/* ---- to a string ------------------------------------------------------------ */

/* A bounded text writer: never writes past |cap|, remembers an overflow. */
typedef struct text_out {
    char *buf;
    size_t cap; /* room for characters, the NUL excluded */
    size_t len;
    int full;
} text_out;

static void put_char(text_out *t, char c)
{
    if (t->len < t->cap) {
        t->buf[t->len++] = c;
    } else {
        t->full = 1;
    }
}

static void put_str(text_out *t, const char *s)
{
    while (*s != '\0') {
        put_char(t, *s++);
    }
}

static void put_hex_byte(text_out *t, uint8_t b)
{
    static const char hex[] = "0123456789ABCDEF";

    put_char(t, hex[b >> 4]);
    put_char(t, hex[b & 0x0f]);
}

static void put_escaped_byte(text_out *t, uint8_t b)
{
    put_char(t, '\\');
    put_char(t, 'x');
    put_hex_byte(t, b);
}

/* One character of a value, escaped where the string syntax needs it. */
static void put_value_char(text_out *t, uint32_t cp)
{
    if (cp == '/' || cp == '+' || cp == '\\') {
        put_char(t, '\\');
        put_char(t, (char)cp);
    } else if (cp < 0x20 || cp == 0x7f) {
        put_escaped_byte(t, (uint8_t)cp);
    } else if (cp < 0x80) {
        put_char(t, (char)cp);
    } else if (cp < 0x800) {
        put_char(t, (char)(0xc0 | (cp >> 6)));
        put_char(t, (char)(0x80 | (cp & 0x3f)));
    } else if (cp < 0x10000) {
        put_char(t, (char)(0xe0 | (cp >> 12)));
        put_char(t, (char)(0x80 | ((cp >> 6) & 0x3f)));
        put_char(t, (char)(0x80 | (cp & 0x3f)));
    } else {
        put_char(t, (char)(0xf0 | (cp >> 18)));
        put_char(t, (char)(0x80 | ((cp >> 12) & 0x3f)));
        put_char(t, (char)(0x80 | ((cp >> 6) & 0x3f)));
        put_char(t, (char)(0x80 | (cp & 0x3f)));
    }
}

/* A UTF-8 value; malformed bytes are printed escaped. */
static void put_utf8(text_out *t, cmp_span v)
{
    size_t i = 0;

    while (i < v.len) {
        uint32_t cp;
        size_t k = cmp_utf8_next(&v.data[i], v.len - i, &cp);

        if (k == 0) {
            put_escaped_byte(t, v.data[i]);
            k = 1;
        } else {
            put_value_char(t, cp);
        }
        i += k;
    }
}

/* A value of 8-bit characters: ASCII as is, the rest escaped. */
static void put_octets(text_out *t, cmp_span v)
{
    size_t i;

    for (i = 0; i < v.len; i++) {
        if (v.data[i] < 0x80) {
            put_value_char(t, v.data[i]);
        } else {
            put_escaped_byte(t, v.data[i]);
        }
    }
}

/* BMPString (UCS-2) and UniversalString (UCS-4), big-endian; anything that
 * is not a valid character is printed as escaped bytes. */
static void put_ucs(text_out *t, cmp_span v, size_t width)
{
    size_t i, j;

    if (v.len % width != 0) {
        put_octets(t, v);
        return;
    }
    for (i = 0; i < v.len; i += width) {
        uint32_t cp = 0;

        for (j = 0; j < width; j++) {
            cp = (cp << 8) | v.data[i + j];
        }
        if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
            for (j = 0; j < width; j++) {
                put_escaped_byte(t, v.data[i + j]);
            }
        } else {
            put_value_char(t, cp);
        }
    }
}

/* An AttributeValue (the DER of its value): strings as text, anything else
 * as '#' and the hex of its DER, as OpenSSL prints it. */
static void put_value(text_out *t, cmp_span der)
{
    cmp_rd rd;
    cmp_tlv v;
    size_t i;

    cmp_rd_init(&rd, der.data, der.len);
    if (cmp_rd_get_any_tlv(&rd, &v) == CMP_OK && cmp_rd_left(&rd) == 0) {
        switch (v.tag) {
        case TAG_UTF8:
            put_utf8(t, v.contents);
            return;
        case TAG_NUMERIC:
        case TAG_PRINTABLE:
        case TAG_T61:
        case TAG_IA5:
        case TAG_VISIBLE:
            put_octets(t, v.contents);
            return;
        case TAG_BMP:
            put_ucs(t, v.contents, 2);
            return;
        case TAG_UNIVERSAL:
            put_ucs(t, v.contents, 4);
            return;
        default:
            break;
        }
    }
    put_char(t, '#');
    for (i = 0; i < der.len; i++) {
        put_hex_byte(t, der.data[i]);
    }
}

/* An OBJECT IDENTIFIER in dotted decimal (X.690 8.19); CMP_ERR_DER_VALUE
 * for content bytes that are not a valid OID or arcs beyond 64 bits. */
static cmp_err put_oid(text_out *t, cmp_span oid)
{
    uint64_t arc = 0;
    size_t i;
    int first = 1;

    CMP_ENSURE(oid.len > 0 && (oid.data[oid.len - 1] & 0x80) == 0, CMP_ERR_DER_VALUE);
    for (i = 0; i < oid.len; i++) {
        char digits[21];
        size_t n = 0;
        uint64_t v;

        CMP_ENSURE(arc <= (UINT64_MAX >> 7), CMP_ERR_DER_VALUE);
        arc = (arc << 7) | (oid.data[i] & 0x7f);
        if ((oid.data[i] & 0x80) != 0) {
            continue;
        }
        if (first) { /* the first two arcs share one subidentifier */
            uint64_t top = arc < 40 ? 0 : arc < 80 ? 1 : 2;
            put_char(t, (char)('0' + top));
            arc -= top * 40;
            first = 0;
        }
        put_char(t, '.');
        v = arc;
        do {
            digits[n++] = (char)('0' + v % 10);
            v /= 10;
        } while (v != 0);
        while (n > 0) {
            put_char(t, digits[--n]);
        }
        arc = 0;
    }
    return CMP_OK;
}

static cmp_err put_ava(text_out *t, const AttributeTypeAndValue_t *ava)
{
    const attr_info *a;
    cmp_span oid = {ava->type.buf, ava->type.size > 0 ? (size_t)ava->type.size : 0};
    cmp_span val = {ava->value.buf, ava->value.size > 0 ? (size_t)ava->value.size : 0};

    a = attr_by_oid(oid.data, oid.len);
    if (a != NULL) {
        put_str(t, a->short_name);
    } else {
        CMP_TRY(put_oid(t, oid));
    }
    put_char(t, '=');
    put_value(t, val);
    return CMP_OK;
}

/* see cmp/msg.h */
cmp_err cmp_name_to_string(char *out, size_t out_len, cmp_span name_der)
{
    Name_t *name = NULL;
    text_out t;
    int i, j;
    cmp_err err = CMP_ERR_INTERNAL;

    CMP_ENSURE(out != NULL && out_len > 0, CMP_ERR_ARG);
    out[0] = '\0';
    CMP_ENSURE(name_der.data != NULL, CMP_ERR_ARG);
    CMP_TRY(cmp_asn_decode(&asn_DEF_Name, name_der, (void **)&name));
    t.buf = out;
    t.cap = out_len - 1;
    t.len = 0;
    t.full = 0;
    CMP_ENSURE_OUT(name->present == Name_PR_rdnSequence, CMP_ERR_DECODE);
    for (i = 0; i < name->choice.rdnSequence.list.count; i++) {
        const RelativeDistinguishedName_t *rdn = name->choice.rdnSequence.list.array[i];

        put_char(&t, '/');
        for (j = 0; j < rdn->list.count; j++) {
            if (j > 0) {
                put_char(&t, '+');
            }
            CMP_TRY_OUT(put_ava(&t, rdn->list.array[j]));
        }
    }
    CMP_ENSURE_OUT(!t.full, CMP_ERR_BUF_SMALL);
    out[t.len] = '\0';
    err = CMP_OK;
out:
    if (err != CMP_OK) {
        out[0] = '\0';
    }
    if (name != NULL) {
        ASN_STRUCT_FREE(asn_DEF_Name, name);
    }
    return err;
}
