/* SPDX-License-Identifier: Apache-2.0 */
/*
 * stack/ext.c: X.509 extensions as DER (RFC 5280 section 4.2): the values
 * an end entity requests in a CertTemplate (subjectAltName, keyUsage,
 * extendedKeyUsage, basicConstraints), the Extensions list that carries
 * them, and a reader that views a received list and renders values for
 * people. asn1c encodes and validates; spans handed out point into the
 * caller's input. No crypto (DESIGN.md, rule 1).
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
#include "rd_int.h"

#include "BasicConstraints.h"
#include "CRLReason.h"
#include "ExtKeyUsageSyntax.h"
#include "Extension.h"
#include "GeneralName.h"
#include "KeyUsage.h"
#include "Name.h"
#include "SubjectAltName.h"

/* Most entries in one Extensions list built here. */
#define MAX_EXTS 64u
/* Longest single entry of a SAN, KeyUsage or EKU list. */
#define MAX_TOKEN 1024u

static cmp_span span_of(const char *s, size_t n)
{
    cmp_span sp;
    sp.data = (const uint8_t *)s;
    sp.len = n;
    return sp;
}

/* ---- lists of words ------------------------------------------------------- */

static int is_sep(char c)
{
    return c == ' ' || c == ',' || c == '\t' || c == '\n' || c == '\r';
}

/* Copies the next word of |*s| (separated by spaces or commas) into |tok|;
 * returns 1 with a word, 0 at the end, -1 for a word too long. */
static int next_word(const char **s, char tok[MAX_TOKEN])
{
    size_t n = 0;

    while (is_sep(**s)) {
        (*s)++;
    }
    if (**s == '\0') {
        return 0;
    }
    while (**s != '\0' && !is_sep(**s)) {
        if (n + 1 >= MAX_TOKEN) {
            return -1;
        }
        tok[n++] = *(*s)++;
    }
    tok[n] = '\0';
    return 1;
}

/* ---- subjectAltName: recognising the entries ------------------------------ */

/* IPv4 dotted quad, each part 0..255 without leading zeros. */
static int parse_ipv4(const char *s, uint8_t out[4])
{
    int part, v, digits;

    for (part = 0; part < 4; part++) {
        v = 0;
        digits = 0;
        while (*s >= '0' && *s <= '9') {
            if (digits > 0 && v == 0) {
                return 0; /* leading zero */
            }
            v = v * 10 + (*s++ - '0');
            if (++digits > 3 || v > 255) {
                return 0;
            }
        }
        if (digits == 0 || *s != (part < 3 ? '.' : '\0')) {
            return 0;
        }
        out[part] = (uint8_t)v;
        s++;
    }
    return 1;
}

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

/* One group of one to four hex digits. */
static int parse_hex16(const char **s, unsigned *out)
{
    unsigned v = 0;
    int n = 0;

    while (n < 4 && hex_val(**s) >= 0) {
        v = (v << 4) | (unsigned)hex_val(*(*s)++);
        n++;
    }
    *out = v;
    return n > 0 && hex_val(**s) < 0;
}

/* RFC 4291 section 2.2 text forms: eight groups, "::" once for a run of
 * zero groups, an IPv4 dotted quad in the last 32 bits. */
static int parse_ipv6(const char *s, uint8_t out[16])
{
    uint8_t buf[16];
    size_t n = 0;
    long gap = -1;
    unsigned v;

    if (s[0] == ':') {
        if (s[1] != ':') {
            return 0;
        }
        s += 2;
        gap = 0;
    }
    while (*s != '\0') {
        const char *dot = strchr(s, '.'), *colon = strchr(s, ':');
        if (dot != NULL && (colon == NULL || dot < colon)) {
            if (n > 12 || !parse_ipv4(s, buf + n)) {
                return 0;
            }
            n += 4;
            break;
        }
        if (n > 14 || !parse_hex16(&s, &v)) {
            return 0;
        }
        buf[n++] = (uint8_t)(v >> 8);
        buf[n++] = (uint8_t)(v & 0xff);
        if (*s == '\0') {
            break;
        }
        if (*s++ != ':' || *s == '\0') {
            return 0;
        }
        if (*s == ':') {
            if (gap >= 0) {
                return 0;
            }
            gap = (long)n;
            s++;
        }
    }
    if (gap < 0) {
        if (n != 16) {
            return 0;
        }
        memcpy(out, buf, 16);
        return 1;
    }
    if (n > 14) {
        return 0; /* "::" stands for at least one group */
    }
    memset(out, 0, 16);
    memcpy(out, buf, (size_t)gap);
    memcpy(out + 16 - (n - (size_t)gap), buf + gap, n - (size_t)gap);
    return 1;
}

/* RFC 1034 section 3.5 preferred name syntax (letters, digits, hyphens;
 * labels of 1 to 63), with a leading "*." wildcard label allowed. */
static int dns_name_valid(const char *s)
{
    size_t total = strlen(s), label = 0;
    char prev = '.';

    if (s[0] == '*' && s[1] == '.') {
        s += 2;
    }
    if (total == 0 || total > 253 || *s == '\0') {
        return 0;
    }
    for (; *s != '\0'; prev = *s++) {
        char c = *s;
        if (c == '.') {
            if (label == 0 || prev == '-') {
                return 0;
            }
            label = 0;
            continue;
        }
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              (c == '-' && prev != '.'))) {
            return 0;
        }
        if (++label > 63) {
            return 0;
        }
    }
    return label > 0 && prev != '-';
}

/* Visible ASCII only: IA5String values of a SAN never need more. */
static int visible_ascii(const char *s)
{
    if (*s == '\0') {
        return 0;
    }
    for (; *s != '\0'; s++) {
        if (*s < 0x21 || *s > 0x7e) {
            return 0;
        }
    }
    return 1;
}

/* RFC 3986 section 3.1 scheme, then "://". */
static int uri_valid(const char *s)
{
    const char *p = strstr(s, "://");
    const char *q;

    if (p == NULL || p == s || !visible_ascii(s) || p[3] == '\0') {
        return 0;
    }
    if (!((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z'))) {
        return 0;
    }
    for (q = s; q < p; q++) {
        char c = *q;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '+' || c == '-' || c == '.')) {
            return 0;
        }
    }
    return 1;
}

/* local@domain, the domain a DNS name (RFC 5280 section 4.2.1.6). */
static int email_valid(const char *s)
{
    const char *at = strchr(s, '@');

    return at != NULL && at != s && strchr(at + 1, '@') == NULL && visible_ascii(s) &&
           dns_name_valid(at + 1);
}

/* ---- subjectAltName: encoding --------------------------------------------- */

static cmp_err add_gn(GeneralNames_t *gns, GeneralName_PR kind, cmp_span value)
{
    GeneralName_t *gn = cmp_calloc(1, sizeof(*gn));
    cmp_err err;

    CMP_ENSURE(gn != NULL, CMP_ERR_NOMEM);
    gn->present = kind;
    /* dNSName, rfc822Name, uniformResourceIdentifier and iPAddress are all
     * OCTET STRING-like members at the same place in the union. */
    err = cmp_octets_set(&gn->choice.dNSName, value);
    if (err == CMP_OK && ASN_SEQUENCE_ADD(&gns->list, gn) != 0) {
        err = CMP_ERR_NOMEM;
    }
    if (err != CMP_OK) {
        ASN_STRUCT_FREE(asn_DEF_GeneralName, gn);
    }
    return err;
}

/* Which GeneralName an entry is, by explicit prefix or by its form. */
static cmp_err add_san_entry(GeneralNames_t *gns, const char *w)
{
    uint8_t ip[16];

    if (strncmp(w, "DNS:", 4) == 0) {
        CMP_ENSURE(dns_name_valid(w + 4), CMP_ERR_ARG);
        return add_gn(gns, GeneralName_PR_dNSName, span_of(w + 4, strlen(w + 4)));
    }
    if (strncmp(w, "URI:", 4) == 0) {
        w += 4;
        CMP_ENSURE(uri_valid(w), CMP_ERR_ARG);
        return add_gn(gns, GeneralName_PR_uniformResourceIdentifier, span_of(w, strlen(w)));
    }
    if (strncmp(w, "email:", 6) == 0) {
        w += 6;
        CMP_ENSURE(email_valid(w), CMP_ERR_ARG);
        return add_gn(gns, GeneralName_PR_rfc822Name, span_of(w, strlen(w)));
    }
    if (strncmp(w, "IP:", 3) == 0) {
        w += 3;
        if (parse_ipv4(w, ip)) {
            return add_gn(gns, GeneralName_PR_iPAddress, span_of((const char *)ip, 4));
        }
        CMP_ENSURE(parse_ipv6(w, ip), CMP_ERR_ARG);
        return add_gn(gns, GeneralName_PR_iPAddress, span_of((const char *)ip, 16));
    }
    if (parse_ipv4(w, ip)) {
        return add_gn(gns, GeneralName_PR_iPAddress, span_of((const char *)ip, 4));
    }
    if (strstr(w, "://") != NULL) {
        CMP_ENSURE(uri_valid(w), CMP_ERR_ARG);
        return add_gn(gns, GeneralName_PR_uniformResourceIdentifier, span_of(w, strlen(w)));
    }
    if (strchr(w, '@') != NULL) {
        CMP_ENSURE(email_valid(w), CMP_ERR_ARG);
        return add_gn(gns, GeneralName_PR_rfc822Name, span_of(w, strlen(w)));
    }
    if (strchr(w, ':') != NULL) {
        CMP_ENSURE(parse_ipv6(w, ip), CMP_ERR_ARG);
        return add_gn(gns, GeneralName_PR_iPAddress, span_of((const char *)ip, 16));
    }
    CMP_ENSURE(dns_name_valid(w), CMP_ERR_ARG);
    return add_gn(gns, GeneralName_PR_dNSName, span_of(w, strlen(w)));
}

/*
 * SubjectAltName ::= GeneralNames
 * GeneralNames ::= SEQUENCE SIZE (1..MAX) OF GeneralName
 *                                             (RFC 5280 section 4.2.1.6)
 */
/* see cmp/ext.h */
cmp_err cmp_ext_san(cmp_buf *out, const char *sans)
{
    SubjectAltName_t *gns = NULL;
    char *tok = NULL;
    const char *s = sans;
    cmp_err err = CMP_ERR_INTERNAL;
    int r;

    CMP_ENSURE(out != NULL && sans != NULL, CMP_ERR_ARG);
    out->data = NULL;
    out->len = 0;
    gns = cmp_calloc(1, sizeof(*gns));
    tok = cmp_malloc(MAX_TOKEN);
    CMP_ENSURE_OUT(gns != NULL && tok != NULL, CMP_ERR_NOMEM);
    while ((r = next_word(&s, tok)) == 1) {
        CMP_TRY_OUT(add_san_entry(gns, tok));
    }
    CMP_ENSURE_OUT(r == 0 && gns->list.count > 0, CMP_ERR_ARG);
    CMP_TRY_OUT(cmp_asn_encode(&asn_DEF_SubjectAltName, gns, out));
    err = CMP_OK;
out:
    if (gns != NULL) {
        ASN_STRUCT_FREE(asn_DEF_SubjectAltName, gns);
    }
    cmp_free(tok);
    return err;
}

/* ---- keyUsage ------------------------------------------------------------- */

/* KeyUsage ::= BIT STRING { digitalSignature (0), nonRepudiation (1), ...
 * decipherOnly (8) } (RFC 5280 section 4.2.1.3). */
static const char *const ku_names[CMP_KU_BIT_MAX + 1] = {
    "digitalSignature", "nonRepudiation", "keyEncipherment", "dataEncipherment",
    "keyAgreement",     "keyCertSign",    "cRLSign",         "encipherOnly",
    "decipherOnly",
};

/* see cmp/ext.h */
const char *cmp_ext_key_usage_name(int bit)
{
    return bit >= 0 && bit <= CMP_KU_BIT_MAX ? ku_names[bit] : NULL;
}

/* see cmp/ext.h */
cmp_err cmp_ext_key_usage_parse(uint32_t *out, const char *names)
{
    char tok[MAX_TOKEN];
    const char *s = names;
    uint32_t bits = 0;
    int r, b;

    CMP_ENSURE(out != NULL && names != NULL, CMP_ERR_ARG);
    *out = 0;
    while ((r = next_word(&s, tok)) == 1) {
        for (b = 0; b <= CMP_KU_BIT_MAX && strcmp(tok, ku_names[b]) != 0; b++) {
        }
        if (b > CMP_KU_BIT_MAX && strcmp(tok, "contentCommitment") == 0) {
            b = CMP_KU_BIT_NON_REPUDIATION; /* X.509 (2008) name of bit 1 */
        }
        CMP_ENSURE(b <= CMP_KU_BIT_MAX, CMP_ERR_ARG);
        bits |= (uint32_t)1 << b;
    }
    CMP_ENSURE(r == 0 && bits != 0, CMP_ERR_ARG);
    *out = bits;
    return CMP_OK;
}

/*
 * = https://www.rfc-editor.org/rfc/rfc5280#section-4.2.1.3
 * # When the keyUsage extension appears in a certificate, at least one of
 * # the bits MUST be set to 1.
 */
/* see cmp/ext.h */
cmp_err cmp_ext_key_usage(cmp_buf *out, uint32_t bits)
{
    KeyUsage_t ku;
    cmp_err err = CMP_ERR_INTERNAL;

    CMP_ENSURE(out != NULL, CMP_ERR_ARG);
    out->data = NULL;
    out->len = 0;
    CMP_ENSURE(bits != 0 && (bits >> (CMP_KU_BIT_MAX + 1)) == 0, CMP_ERR_ARG);
    memset(&ku, 0, sizeof(ku));
    CMP_TRY_OUT(cmp_named_bits_fill(&ku, bits));
    CMP_TRY_OUT(cmp_asn_encode(&asn_DEF_KeyUsage, &ku, out));
    err = CMP_OK;
out:
    ASN_STRUCT_FREE_CONTENTS_ONLY(asn_DEF_KeyUsage, &ku);
    return err;
}

/* ---- extKeyUsage ---------------------------------------------------------- */

/* One key purpose, by name from the OID table or as dotted decimal. */
static cmp_err add_purpose(ExtKeyUsageSyntax_t *eku, const char *w)
{
    uint8_t oid[64];
    size_t len = 0;
    cmp_span s;
    KeyPurposeId_t *kp;
    cmp_err err;

    if (cmp_oid_by_name(CMP_OIDK_EKU, w, &s) != CMP_OK) {
        CMP_TRY(cmp_oid_from_string(oid, sizeof(oid), &len, w));
        s.data = oid;
        s.len = len;
    }
    kp = cmp_calloc(1, sizeof(*kp));
    CMP_ENSURE(kp != NULL, CMP_ERR_NOMEM);
    err = cmp_oid_set(kp, s);
    if (err == CMP_OK && ASN_SEQUENCE_ADD(&eku->list, kp) != 0) {
        err = CMP_ERR_NOMEM;
    }
    if (err != CMP_OK) {
        ASN_STRUCT_FREE(asn_DEF_KeyPurposeId, kp);
    }
    return err;
}

/* ExtKeyUsageSyntax ::= SEQUENCE SIZE (1..MAX) OF KeyPurposeId
 * (RFC 5280 section 4.2.1.12). */
/* see cmp/ext.h */
cmp_err cmp_ext_eku(cmp_buf *out, const char *purposes)
{
    ExtKeyUsageSyntax_t *eku = NULL;
    char *tok = NULL;
    const char *s = purposes;
    cmp_err err = CMP_ERR_INTERNAL;
    int r;

    CMP_ENSURE(out != NULL && purposes != NULL, CMP_ERR_ARG);
    out->data = NULL;
    out->len = 0;
    eku = cmp_calloc(1, sizeof(*eku));
    tok = cmp_malloc(MAX_TOKEN);
    CMP_ENSURE_OUT(eku != NULL && tok != NULL, CMP_ERR_NOMEM);
    while ((r = next_word(&s, tok)) == 1) {
        CMP_TRY_OUT(add_purpose(eku, tok));
    }
    CMP_ENSURE_OUT(r == 0 && eku->list.count > 0, CMP_ERR_ARG);
    CMP_TRY_OUT(cmp_asn_encode(&asn_DEF_ExtKeyUsageSyntax, eku, out));
    err = CMP_OK;
out:
    if (eku != NULL) {
        ASN_STRUCT_FREE(asn_DEF_ExtKeyUsageSyntax, eku);
    }
    cmp_free(tok);
    return err;
}

/* ---- basicConstraints ----------------------------------------------------- */

/*
 * BasicConstraints ::= SEQUENCE {
 *      cA                      BOOLEAN DEFAULT FALSE,
 *      pathLenConstraint       INTEGER (0..MAX) OPTIONAL }
 *                                             (RFC 5280 section 4.2.1.9)
 *
 * = https://www.rfc-editor.org/rfc/rfc5280#section-4.2.1.9
 * # CAs MUST NOT include the pathLenConstraint field unless the cA
 * # boolean is asserted and the key usage extension asserts the
 * # keyCertSign bit.
 */
/* see cmp/ext.h */
cmp_err cmp_ext_basic_constraints(cmp_buf *out, int ca, int path_len)
{
    BasicConstraints_t bc;
    cmp_err err = CMP_ERR_INTERNAL;

    CMP_ENSURE(out != NULL, CMP_ERR_ARG);
    out->data = NULL;
    out->len = 0;
    CMP_ENSURE(path_len < 0 || ca, CMP_ERR_ARG);
    memset(&bc, 0, sizeof(bc));
    bc.cA = ca ? 1 : 0; /* FALSE is the DEFAULT, left out of the DER */
    if (path_len >= 0) {
        bc.pathLenConstraint = cmp_calloc(1, sizeof(*bc.pathLenConstraint));
        CMP_ENSURE_OUT(bc.pathLenConstraint != NULL, CMP_ERR_NOMEM);
        CMP_TRY_OUT(cmp_int_set(bc.pathLenConstraint, path_len));
    }
    CMP_TRY_OUT(cmp_asn_encode(&asn_DEF_BasicConstraints, &bc, out));
    err = CMP_OK;
out:
    ASN_STRUCT_FREE_CONTENTS_ONLY(asn_DEF_BasicConstraints, &bc);
    return err;
}

/* ---- Extensions ----------------------------------------------------------- */

/* Extension ::= SEQUENCE { extnID OBJECT IDENTIFIER,
 *   critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING
 *   -- contains the DER encoding of an ASN.1 value
 *   -- corresponding to the extension type identified
 *   -- by extnID }                              (RFC 5280 section 4.1) */
static cmp_err fill_ext(Extension_t *x, const cmp_ext *e)
{
    cmp_der_limits lim = {CMP_MAX_MSG_LEN, CMP_MAX_DER_DEPTH};

    CMP_ENSURE(e->value.len > 0, CMP_ERR_ARG);
    CMP_ENSURE(cmp_der_walk(e->value.data, e->value.len, &lim, NULL) == CMP_OK, CMP_ERR_ARG);
    CMP_TRY(cmp_oid_set(&x->extnID, e->oid));
    x->critical = e->critical ? 1 : 0; /* FALSE is the DEFAULT, left out */
    return cmp_octets_set(&x->extnValue, e->value);
}

/*
 * = https://www.rfc-editor.org/rfc/rfc5280#section-4.2
 * # A certificate MUST NOT include more
 * # than one instance of a particular extension.
 */
/* see cmp/ext.h */
cmp_err cmp_ext_encode(cmp_buf *out, const cmp_ext *exts, size_t num)
{
    Extensions_t *list = NULL;
    Extension_t *x = NULL;
    cmp_err err = CMP_ERR_INTERNAL;
    size_t i, j;

    CMP_ENSURE(out != NULL, CMP_ERR_ARG);
    out->data = NULL;
    out->len = 0;
    CMP_ENSURE(exts != NULL && num > 0 && num <= MAX_EXTS, CMP_ERR_ARG);
    for (i = 0; i < num; i++) {
        for (j = 0; j < i; j++) {
            CMP_ENSURE(!cmp_oid_eq(exts[i].oid, exts[j].oid), CMP_ERR_ARG);
        }
    }
    list = cmp_calloc(1, sizeof(*list));
    CMP_ENSURE_OUT(list != NULL, CMP_ERR_NOMEM);
    for (i = 0; i < num; i++) {
        x = cmp_calloc(1, sizeof(*x));
        CMP_ENSURE_OUT(x != NULL, CMP_ERR_NOMEM);
        CMP_TRY_OUT(fill_ext(x, &exts[i]));
        CMP_ENSURE_OUT(ASN_SEQUENCE_ADD(&list->list, x) == 0, CMP_ERR_NOMEM);
        x = NULL;
    }
    CMP_TRY_OUT(cmp_asn_encode(&asn_DEF_Extensions, list, out));
    err = CMP_OK;
out:
    if (x != NULL) {
        ASN_STRUCT_FREE(asn_DEF_Extension, x);
    }
    if (list != NULL) {
        ASN_STRUCT_FREE(asn_DEF_Extensions, list);
    }
    return err;
}

/* ---- reading Extensions --------------------------------------------------- */

/* Validates |exts| as canonical DER Extensions with asn1c, then walks it
 * with the cursor: the i-th entry into |out| (if i < count), the number of
 * entries into |*count|. */
static cmp_err walk_exts(cmp_span exts, size_t want, cmp_ext *out, size_t *count)
{
    Extensions_t *tmp = NULL;
    cmp_rd rd, list, e;
    cmp_tlv t;
    size_t n = 0;
    uint8_t tag;

    CMP_ENSURE(exts.data != NULL && exts.len > 0, CMP_ERR_ARG);
    CMP_TRY(cmp_asn_decode_strict(&asn_DEF_Extensions, exts, (void **)&tmp));
    ASN_STRUCT_FREE(asn_DEF_Extensions, tmp);
    cmp_rd_init(&rd, exts.data, exts.len);
    CMP_TRY(cmp_rd_get_tlv(&rd, 0x30, &t));
    cmp_rd_contents(&t, &list);
    for (; cmp_rd_left(&list) > 0; n++) {
        cmp_ext x = {{NULL, 0}, 0, {NULL, 0}};
        CMP_TRY(cmp_rd_get_tlv(&list, 0x30, &t));
        cmp_rd_contents(&t, &e);
        CMP_TRY(cmp_rd_get_tlv(&e, 0x06, &t));
        x.oid = t.contents;
        if (cmp_rd_peek_tag(&e, &tag) && tag == 0x01) {
            CMP_TRY(cmp_rd_get_tlv(&e, 0x01, &t));
            x.critical = t.contents.len == 1 && t.contents.data[0] != 0;
        }
        CMP_TRY(cmp_rd_get_tlv(&e, 0x04, &t));
        x.value = t.contents;
        if (n == want && out != NULL) {
            *out = x;
        }
    }
    *count = n;
    return CMP_OK;
}

/* Extensions ::= SEQUENCE SIZE (1..MAX) OF Extension (RFC 5280 4.1); the
 * generated code does not check the size. */
/* see cmp/ext.h */
cmp_err cmp_ext_count(cmp_span exts, size_t *out)
{
    size_t n = 0;

    CMP_ENSURE(out != NULL, CMP_ERR_ARG);
    *out = 0;
    CMP_TRY(walk_exts(exts, SIZE_MAX, NULL, &n));
    CMP_ENSURE(n > 0, CMP_ERR_CONSTRAINT);
    *out = n;
    return CMP_OK;
}

/* see cmp/ext.h */
cmp_err cmp_ext_get(cmp_span exts, size_t i, cmp_ext *out)
{
    size_t n = 0;

    CMP_ENSURE(out != NULL, CMP_ERR_ARG);
    memset(out, 0, sizeof(*out));
    CMP_TRY(walk_exts(exts, i, out, &n));
    CMP_ENSURE(n > 0, CMP_ERR_CONSTRAINT);
    CMP_ENSURE(i < n, CMP_ERR_ARG);
    return CMP_OK;
}

/* see cmp/ext.h */
cmp_err cmp_ext_find(cmp_span exts, cmp_span oid, cmp_ext *out)
{
    size_t n = 0, i;

    CMP_ENSURE(out != NULL, CMP_ERR_ARG);
    CMP_TRY(cmp_ext_count(exts, &n));
    for (i = 0; i < n; i++) {
        CMP_TRY(cmp_ext_get(exts, i, out));
        if (cmp_oid_eq(out->oid, oid)) {
            return CMP_OK;
        }
    }
    memset(out, 0, sizeof(*out));
    CMP_FAIL(CMP_ERR_MISSING_FIELD);
}

/* see cmp/ext.h */
cmp_err cmp_ext_key_usage_read(cmp_span value, uint32_t *out)
{
    KeyUsage_t *ku = NULL;
    cmp_err err = CMP_ERR_INTERNAL;

    CMP_ENSURE(out != NULL, CMP_ERR_ARG);
    *out = 0;
    CMP_TRY(cmp_asn_decode_strict(&asn_DEF_KeyUsage, value, (void **)&ku));
    /* The re-encoding check cannot see trailing zero bits (X.690 11.2.2). */
    CMP_ENSURE_OUT(cmp_bits_is_der(ku), CMP_ERR_DER_VALUE);
    *out = cmp_named_bits_read(ku);
    err = CMP_OK;
out:
    ASN_STRUCT_FREE(asn_DEF_KeyUsage, ku);
    return err;
}

/* see cmp/ext.h */
cmp_err cmp_ext_basic_constraints_read(cmp_span value, int *ca, int *path_len)
{
    BasicConstraints_t *bc = NULL;
    int64_t v = -1;
    cmp_err err = CMP_ERR_INTERNAL;

    CMP_ENSURE(ca != NULL && path_len != NULL, CMP_ERR_ARG);
    *ca = 0;
    *path_len = -1;
    CMP_TRY(cmp_asn_decode_strict(&asn_DEF_BasicConstraints, value, (void **)&bc));
    if (bc->pathLenConstraint != NULL) {
        CMP_TRY_OUT(cmp_int_get(bc->pathLenConstraint, &v));
        CMP_ENSURE_OUT(v >= 0 && v <= INT_MAX, CMP_ERR_DER_VALUE);
    }
    *ca = bc->cA != 0;
    *path_len = (int)v;
    err = CMP_OK;
out:
    ASN_STRUCT_FREE(asn_DEF_BasicConstraints, bc);
    return err;
}
