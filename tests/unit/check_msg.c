/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tests/unit/check_msg.c: the core of the message layer (stack/msg.c,
 * stack/msg_hdr.c): strict and lenient decoding of real and malformed
 * messages, raw spans and ProtectedPart, encoding, the header builder and
 * accessors, and allocation failure on every path.
 *
 * Data: tests/data/bouncycastle and tests/data/openssl (real messages),
 * tests/data/malformed (made by its make.py, see its README) and
 * tests/data/asn1rt (runtime regression inputs).
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmp/mem.h"
#include "cmp/msg.h"
#include "msg_int.h"
#include "testlib.h"

#include "PKIBody.h"

/* ---- test data --------------------------------------------------------- */

static char **corpus;
static size_t num_corpus;

static void load_corpus(void)
{
    static const char *const dirs[] = {"bouncycastle", "openssl"};
    size_t d, i;

    for (d = 0; d < 2; d++) {
        char **paths = NULL;
        size_t n = testlib_list_dir(testlib_path(dirs[d]), ".der", &paths);
        char **all = realloc(corpus, (num_corpus + n) * sizeof(*corpus));

        if (all == NULL) {
            abort();
        }
        corpus = all;
        for (i = 0; i < n; i++) {
            corpus[num_corpus++] = paths[i];
        }
        free(paths);
    }
}

static uint8_t *load_rel(const char *rel, size_t *len)
{
    uint8_t *b = testlib_load(testlib_path(rel), len);

    ck_assert_msg(b != NULL, "cannot load %s", rel);
    return b;
}

static cmp_msg *decode_ok(const uint8_t *der, size_t len, int lenient)
{
    cmp_decode_opts opts = {lenient, 0, 0};
    cmp_msg *m = NULL;
    size_t off = 0;
    cmp_err err = cmp_msg_decode(&m, der, len, &opts, &off);

    ck_assert_msg(err == CMP_OK, "decode: %s at %zu", cmp_err_name(err), off);
    ck_assert_ptr_nonnull(m);
    return m;
}

static int span_eq(cmp_span s, const void *data, size_t len)
{
    return s.len == len && (len == 0 || memcmp(s.data, data, len) == 0);
}

/* The DER of SEQUENCE { header, body } made by re-encoding the tree. */
static void protected_part_from_tree(const cmp_msg *m, cmp_buf *out)
{
    cmp_buf h = {NULL, 0}, b = {NULL, 0};
    size_t inner, pos = 0;

    ck_assert_int_eq(cmp_asn_encode(&asn_DEF_PKIHeader, &m->pm->header, &h), CMP_OK);
    ck_assert_int_eq(cmp_asn_encode(&asn_DEF_PKIBody, m->pm->body, &b), CMP_OK);
    inner = h.len + b.len;
    out->data = malloc(inner + 6);
    ck_assert_ptr_nonnull(out->data);
    out->data[pos++] = 0x30;
    if (inner < 0x80) {
        out->data[pos++] = (uint8_t)inner;
    } else if (inner < 0x100) {
        out->data[pos++] = 0x81;
        out->data[pos++] = (uint8_t)inner;
    } else {
        ck_assert(inner < 0x10000);
        out->data[pos++] = 0x82;
        out->data[pos++] = (uint8_t)(inner >> 8);
        out->data[pos++] = (uint8_t)inner;
    }
    memcpy(&out->data[pos], h.data, h.len);
    memcpy(&out->data[pos + h.len], b.data, b.len);
    out->len = pos + inner;
    cmp_buf_cleanup(&h);
    cmp_buf_cleanup(&b);
}

/* ---- real messages ----------------------------------------------------- */

/* Every corpus message decodes strictly, re-encodes to the same bytes, and
 * its raw header and body give the ProtectedPart the tree gives. */
START_TEST(test_cmp_msg_decode_corpus)
{
    size_t len = 0, i;
    uint8_t *der = testlib_load(corpus[_i], &len);
    cmp_msg *m, *ml;
    cmp_buf enc = {NULL, 0}, pp = {NULL, 0}, pp_tree = {NULL, 0}, enc_l = {NULL, 0};
    cmp_span raw_h, raw_b;
    long pvno = 0;
    int64_t t = 0;

    ck_assert_ptr_nonnull(der);
    m = decode_ok(der, len, 0);
    ck_assert_int_eq(cmp_msg_encode(m, &enc), CMP_OK);
    ck_assert_msg(enc.len == len && memcmp(enc.data, der, len) == 0, "%s re-encodes differently",
                  corpus[_i]);
    /* The message keeps its own copy of the bytes. */
    ck_assert(span_eq(cmp_msg_der(m), der, len) && cmp_msg_der(m).data != der);
    raw_h = cmp_msg_raw_header(m);
    raw_b = cmp_msg_raw_body(m);
    ck_assert(raw_h.len > 0 && raw_b.len > 0 && raw_h.data[0] == 0x30);
    ck_assert((raw_b.data[0] & 0xe0) == 0xa0);
    ck_assert_int_eq((int)(raw_b.data[0] & 0x1f), (int)cmp_msg_body_type(m));
    ck_assert_int_eq(cmp_msg_protected_part(m, &pp), CMP_OK);
    protected_part_from_tree(m, &pp_tree);
    ck_assert(pp.len == pp_tree.len && memcmp(pp.data, pp_tree.data, pp.len) == 0);
    ck_assert(memcmp(&pp.data[pp.len - raw_b.len - raw_h.len], raw_h.data, raw_h.len) == 0);
    /* Header accessors of a real message. */
    ck_assert_int_eq(cmp_msg_pvno(m, &pvno), CMP_OK);
    ck_assert(pvno == CMP_PVNO_2000 || pvno == CMP_PVNO_2021);
    ck_assert_uint_gt(cmp_msg_sender(m).len, 2);
    ck_assert_uint_gt(cmp_msg_recipient(m).len, 2);
    ck_assert_int_eq(cmp_msg_message_time(m, &t), CMP_OK);
    ck_assert(t > 1600000000 && t < 4102444800); /* 2020 .. 2100 */
    ck_assert_uint_eq(cmp_msg_transaction_id(m).len, CMP_TID_LEN);
    ck_assert_uint_eq(cmp_msg_sender_nonce(m).len, CMP_NONCE_LEN);
    ck_assert_uint_gt(cmp_msg_protection(m).len, 0);
    ck_assert_uint_gt(cmp_msg_protection_alg(m).len, 0);
    for (i = 0; i < cmp_msg_num_extra_certs(m); i++) {
        cmp_span c = cmp_msg_extra_cert(m, i);
        ck_assert(c.len > 100 && c.data[0] == 0x30);
    }
    ck_assert_uint_eq(cmp_msg_extra_cert(m, i).len, 0);
    /* Lenient decoding of DER gives the same message. */
    ml = decode_ok(der, len, 1);
    ck_assert_int_eq(cmp_msg_encode(ml, &enc_l), CMP_OK);
    ck_assert(enc_l.len == len && memcmp(enc_l.data, der, len) == 0);
    cmp_buf_cleanup(&enc_l);
    cmp_msg_free(ml);
    cmp_buf_cleanup(&enc);
    cmp_buf_cleanup(&pp);
    free(pp_tree.data);
    cmp_msg_free(m);
    free(der);
}
END_TEST

/* Every proper prefix of every real message, in a buffer of exactly its
 * size, is truncated; one trailing byte is trailing; in both modes. */
START_TEST(test_cmp_msg_decode_prefixes)
{
    static const cmp_decode_opts lenient = {1, 0, 0};
    size_t len = 0, n, off;
    uint8_t *der = testlib_load(corpus[_i], &len), *p;
    cmp_msg *m = NULL;

    ck_assert_ptr_nonnull(der);
    for (n = 0; n < len; n++) {
        p = testlib_dup(der, n);
        ck_assert_int_eq(cmp_msg_decode(&m, p, n, NULL, &off), CMP_ERR_DER_TRUNCATED);
        ck_assert_ptr_null(m);
        ck_assert_int_eq(cmp_msg_decode(&m, p, n, &lenient, &off), CMP_ERR_DER_TRUNCATED);
        ck_assert_ptr_null(m);
        free(p);
    }
    p = malloc(len + 1);
    ck_assert_ptr_nonnull(p);
    memcpy(p, der, len);
    p[len] = 0x00;
    ck_assert_int_eq(cmp_msg_decode(&m, p, len + 1, NULL, &off), CMP_ERR_DER_TRAILING);
    ck_assert_uint_eq(off, len);
    ck_assert_int_eq(cmp_msg_decode(&m, p, len + 1, &lenient, &off), CMP_ERR_DER_TRAILING);
    ck_assert_uint_eq(off, len);
    free(p);
    free(der);
}
END_TEST

/* A header field by field: BC's MAC-protected certConf. */
START_TEST(test_cmp_msg_header_accessors)
{
    static const uint8_t tid[] = {0x6e, 0x7d, 0xb6, 0xc2, 0xfa, 0xdd, 0xf0, 0xf9,
                                  0xa4, 0xae, 0xd2, 0x71, 0xd1, 0xda, 0x2f, 0xe5};
    static const uint8_t pbmac1[] = {0x06, 0x09, 0x2a, 0x86, 0x48, 0x86,
                                     0xf7, 0x0d, 0x01, 0x05, 0x0e};
    size_t len = 0;
    uint8_t *der = load_rel("bouncycastle/IrWithMacProtection__downstream_CERT_CONFIRM.der", &len);
    cmp_msg *m = decode_ok(der, len, 0);
    char name[64];
    cmp_span s;
    int64_t t;

    ck_assert_int_eq(cmp_msg_body_type(m), CMP_BODY_CERTCONF);
    ck_assert_int_eq(cmp_name_to_string(name, sizeof(name), cmp_msg_sender_name(m)), CMP_OK);
    ck_assert_str_eq(name, "/CN=EE-Mock");
    ck_assert_int_eq(cmp_name_to_string(name, sizeof(name), cmp_msg_recipient_name(m)), CMP_OK);
    ck_assert_str_eq(name, "/CN=CA-Mock");
    /* Spans of a decoded message point into its received bytes. */
    s = cmp_msg_sender(m);
    ck_assert(s.data == &cmp_msg_der(m).data[10] && s.len == 22);
    ck_assert_int_eq(cmp_msg_message_time(m, &t), CMP_OK);
    ck_assert_int_eq((int)(t - 1658911784), 0); /* 20220727084944Z */
    s = cmp_msg_protection_alg(m);
    ck_assert(s.len == 86 && memcmp(&s.data[2], pbmac1, sizeof(pbmac1)) == 0);
    ck_assert(span_eq(cmp_msg_sender_kid(m), "senderKid", 9));
    ck_assert_uint_eq(cmp_msg_recip_kid(m).len, 0);
    ck_assert(span_eq(cmp_msg_transaction_id(m), tid, sizeof(tid)));
    ck_assert_uint_eq(cmp_msg_recip_nonce(m).len, 16);
    ck_assert_uint_eq(cmp_msg_num_free_text(m), 0);
    ck_assert_uint_eq(cmp_msg_num_general_info(m), 0);
    ck_assert_int_eq(cmp_msg_implicit_confirm(m), 0);
    ck_assert_int_eq(cmp_msg_confirm_wait_time(m, &t), CMP_ERR_MISSING_FIELD);
    ck_assert_uint_eq(cmp_msg_protection(m).len, 32);
    ck_assert_uint_eq(cmp_msg_num_extra_certs(m), 0);
    cmp_msg_free(m);
    free(der);

    /* OpenSSL's ir with implicitConfirm in generalInfo. */
    der = load_rel("openssl/ir-implicit-01-ir.der", &len);
    m = decode_ok(der, len, 0);
    ck_assert_int_eq(cmp_msg_implicit_confirm(m), 1);
    ck_assert_uint_eq(cmp_msg_num_general_info(m), 1);
    {
        static const uint8_t ic[] = {0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x04, 0x0d};
        cmp_span oid, val;
        ck_assert_int_eq(cmp_msg_general_info(m, 0, &oid, &val), CMP_OK);
        ck_assert(span_eq(oid, ic, sizeof(ic)) && span_eq(val, "\x05\x00", 2));
        ck_assert_int_eq(cmp_msg_general_info(m, 1, &oid, &val), CMP_ERR_ARG);
    }
    cmp_msg_free(m);
    free(der);
}
END_TEST

/* ---- malformed messages ------------------------------------------------ */

#define ANY_OFF SIZE_MAX

typedef struct bad_file {
    const char *file;   /* under tests/data */
    cmp_err strict;     /* expected, default options */
    size_t strict_off;  /* expected offset, or ANY_OFF */
    cmp_err lenient;    /* expected with opts.lenient */
} bad_file;

static const bad_file bad_files[] = {
    /* framing */
    {"malformed/01-indefinite-outer.der", CMP_ERR_DER_INDEFINITE, 0, CMP_OK},
    {"malformed/02-indefinite-header.der", CMP_ERR_DER_INDEFINITE, 4, CMP_OK},
    /* asn1c 0.9.28 refuses an indefinite EXPLICIT tag around a primitive
     * (messageTime, KIDs, nonces, protection): lenient cannot take it. */
    {"malformed/03-indefinite-all.der", CMP_ERR_DER_INDEFINITE, 0, CMP_ERR_DECODE},
    {"malformed/04-nonminimal-length-outer.der", CMP_ERR_DER_LENGTH, 0, CMP_OK},
    {"malformed/05-nonminimal-length-inner.der", CMP_ERR_DER_LENGTH, 176, CMP_OK},
    {"malformed/06-length-leading-zeros.der", CMP_ERR_DER_LENGTH, 4, CMP_OK},
    {"malformed/07-trailing-byte.der", CMP_ERR_DER_TRAILING, 319, CMP_ERR_DER_TRAILING},
    {"malformed/08-indefinite-trailing-byte.der", CMP_ERR_DER_INDEFINITE, 0, CMP_ERR_DER_TRAILING},
    {"malformed/09-outer-tag-set.der", CMP_ERR_DER_TAG, 0, CMP_ERR_DER_TAG},
    {"malformed/10-header-tag-set.der", CMP_ERR_DER_TAG, 4, CMP_ERR_DER_TAG},
    {"malformed/11-body-tag-27.der", CMP_ERR_DER_TAG, 234, CMP_ERR_DER_TAG},
    {"malformed/12-body-primitive.der", CMP_ERR_DER_TAG, 234, CMP_ERR_DER_TAG},
    {"malformed/13-element-after-protection.der", CMP_ERR_DER_TAG, 319, CMP_ERR_DER_TAG},
    {"malformed/14-extracerts-before-protection.der", CMP_ERR_DER_TAG, 1610, CMP_ERR_DER_TAG},
    {"malformed/15-no-body.der", CMP_ERR_DECODE, 233, CMP_ERR_DECODE},
    {"malformed/16-pvno-octet-string.der", CMP_ERR_DECODE, ANY_OFF, CMP_ERR_DECODE},
    {"malformed/17-header-unknown-field.der", CMP_ERR_DECODE, ANY_OFF, CMP_ERR_DECODE},
    /* limits */
    {"malformed/20-extracerts-33.der", CMP_ERR_TOO_MANY_CERTS, 15290, CMP_ERR_TOO_MANY_CERTS},
    {"malformed/21-extracerts-32.der", CMP_OK, 0, CMP_OK},
    {"malformed/22-extracerts-empty.der", CMP_ERR_CONSTRAINT, ANY_OFF, CMP_ERR_CONSTRAINT},
    {"malformed/23-deep-nesting.der", CMP_ERR_DER_NESTING, ANY_OFF, CMP_ERR_DECODE},
    {"asn1rt/deep-nesting.der", CMP_ERR_DER_INDEFINITE, 0, CMP_ERR_DER_NESTING},
    {"asn1rt/eoc-choice-loop.der", CMP_ERR_DER_INDEFINITE, 0, CMP_ERR_DECODE},
    {"asn1rt/length-shift-overflow.der", CMP_ERR_DER_TRUNCATED, 0, CMP_ERR_DER_TRUNCATED},
    /* value forms */
    {"malformed/30-pvno-nonminimal.der", CMP_ERR_DER_VALUE, 7, CMP_OK},
    {"malformed/31-pvno-redundant-ff.der", CMP_ERR_DER_VALUE, 7, CMP_OK},
    {"malformed/32-pvno-empty.der", CMP_ERR_DER_VALUE, 7, CMP_OK},
    {"malformed/33-bitstring-unused-nonzero.der", CMP_ERR_DER_VALUE, 284, CMP_OK},
    {"malformed/34-bitstring-empty-unused.der", CMP_ERR_DER_VALUE, 284, CMP_ERR_CONSTRAINT},
    {"malformed/35-bitstring-unused-8.der", CMP_ERR_DER_VALUE, 284, CMP_ERR_DECODE},
    {"malformed/36-null-with-content.der", CMP_ERR_DER_VALUE, 147, CMP_OK},
    {"malformed/37-oid-nonminimal.der", CMP_ERR_DER_VALUE, 77, CMP_OK},
    {"malformed/38-gtime-no-z.der", CMP_ERR_DER_VALUE, 56, CMP_OK},
    {"malformed/39-gtime-fraction-trailing-zero.der", CMP_ERR_DER_VALUE, 56, CMP_OK},
    {"malformed/40-gtime-month-13.der", CMP_ERR_DER_VALUE, 56, CMP_ERR_CONSTRAINT},
    {"malformed/41-gtime-feb-30.der", CMP_ERR_DER_VALUE, 56, CMP_OK},
    {"malformed/42-gtime-fraction.der", CMP_OK, 0, CMP_OK},
    {"malformed/43-utctime-no-seconds.der", CMP_ERR_DER_VALUE, 350, CMP_OK},
    {"malformed/44-constructed-octet-string.der", CMP_ERR_NOT_DER, 176, CMP_OK},
    {"malformed/45-set-of-unsorted.der", CMP_ERR_NOT_DER, 16, CMP_OK},
    {"malformed/46-failinfo-trailing-zeros.der", CMP_ERR_DER_VALUE, 168, CMP_OK},
    {"malformed/47-utf8-invalid.der", CMP_ERR_CONSTRAINT, ANY_OFF, CMP_ERR_CONSTRAINT},
    {"malformed/48-ia5-high-byte.der", CMP_ERR_CONSTRAINT, ANY_OFF, CMP_ERR_CONSTRAINT},
    {"malformed/49-pvno-huge.der", CMP_OK, 0, CMP_OK},
    {"asn1rt/boolean-true-01.der", CMP_ERR_DER_VALUE, 621, CMP_OK},
    {"asn1rt/default-critical-false.der", CMP_ERR_NOT_DER, 512, CMP_OK},
    {"asn1rt/default-version-v1.der", CMP_ERR_NOT_DER, 290, CMP_OK},
    {"asn1rt/bitstring-unused-bits.der", CMP_ERR_DER_VALUE, 284, CMP_ERR_DECODE},
    {"asn1rt/bitstring-unused-bits-segmented.der", CMP_ERR_NOT_DER, 284, CMP_ERR_DECODE},
    {"asn1rt/indefinite-length.der", CMP_ERR_DER_INDEFINITE, 0, CMP_OK},
    {"asn1rt/nonminimal-length.der", CMP_ERR_DER_LENGTH, 0, CMP_OK},
    {"asn1rt/trailing-byte.der", CMP_ERR_DER_TRAILING, 1686, CMP_ERR_DER_TRAILING},
};

START_TEST(test_cmp_msg_decode_malformed)
{
    static const cmp_decode_opts lenient = {1, 0, 0};
    const bad_file *c = &bad_files[_i];
    size_t len = 0, off = 99;
    uint8_t *der = load_rel(c->file, &len);
    cmp_msg *m = (cmp_msg *)&off; /* must become NULL on failure */
    cmp_err err;

    err = cmp_msg_decode(&m, der, len, NULL, &off);
    ck_assert_msg(err == c->strict, "%s: strict %s (at %zu), want %s", c->file, cmp_err_name(err),
                  off, cmp_err_name(c->strict));
    ck_assert_msg(c->strict_off == ANY_OFF || off == c->strict_off, "%s: offset %zu, want %zu",
                  c->file, off, c->strict_off);
    ck_assert(off <= len);
    ck_assert((err == CMP_OK) == (m != NULL));
    cmp_msg_free(m);
    err = cmp_msg_decode(&m, der, len, &lenient, &off);
    ck_assert_msg(err == c->lenient, "%s: lenient %s (at %zu), want %s", c->file,
                  cmp_err_name(err), off, cmp_err_name(c->lenient));
    ck_assert((err == CMP_OK) == (m != NULL));
    cmp_msg_free(m);
    free(der);
}
END_TEST

typedef struct bad_hex {
    const char *name;
    const char *hex;
    cmp_err strict;
    size_t off;
} bad_hex;

/* 11 bytes of a header: pvno 2, two NULL-DN directoryNames */
#define HDR "300b 020102 a4023000 a4023000"

static const bad_hex bad_hexes[] = {
    {"empty input", "", CMP_ERR_DER_TRUNCATED, 0},
    {"tag only", "30", CMP_ERR_DER_TRUNCATED, 0},
    {"empty SEQUENCE", "3000", CMP_ERR_DECODE, 2},
    {"not a SEQUENCE", "0500", CMP_ERR_DER_TAG, 0},
    {"multi-byte tag", "1f8100", CMP_ERR_DER_TAG, 0},
    {"length 0xff", "30ff", CMP_ERR_DER_LENGTH, 0},
    {"huge length", "3084ffffffff00", CMP_ERR_DER_TRUNCATED, 0},
    {"header only", "300d" HDR, CMP_ERR_DECODE, 15},
    {"minimal pkiConf", "3011" HDR "b3020500", CMP_OK, 0},
    {"pkiConf without NULL", "300f" HDR "b300", CMP_ERR_DECODE, ANY_OFF},
    {"pkiConf NULL with content", "3012" HDR "b303050100", CMP_ERR_DER_VALUE, 17},
    {"pvno BOOLEAN", "3011 300b 0101ff a4023000 a4023000 b3020500", CMP_ERR_DECODE, ANY_OFF},
    {"BOOLEAN 01 where pvno goes", "3011 300b 010101 a4023000 a4023000 b3020500", CMP_ERR_DER_VALUE,
     4},
    {"sender missing", "300d 3007 020102 a4023000 b3020500", CMP_ERR_DECODE, ANY_OFF},
    {"body [26] pollRep empty", "3011" HDR "ba023000", CMP_OK, 0},
    /* KNOWN GAP: asn1c 0.9.28 generates no check for a type-level
     * SEQUENCE SIZE (1..MAX) OF (PKIFreeText, GeneralNames, Extensions,
     * CertReqMessages, ...), only for members (extraCerts). This pins the
     * current behaviour; see asn1/README.md. */
    {"freeText empty (SIZE (1..MAX))", "3015 300f 020102 a4023000 a4023000 a7023000 b3020500",
     CMP_OK, 0},
    {"freeText UTF-8 surrogate", "301a 3014 020102 a4023000 a4023000 a7073005 0c03eda080 b3020500",
     CMP_ERR_CONSTRAINT, 19},
    {"protection empty BIT STRING", "3015" HDR "b3020500 a002 0300", CMP_ERR_DER_VALUE, 21},
    {"extraCerts not a SEQUENCE", "3015" HDR "b3020500 a102 0400", CMP_ERR_DER_TAG, 21},
    {"extraCerts junk element", "3017" HDR "b3020500 a104 3002 0400", CMP_ERR_DER_TAG, 23},
    {"extraCerts junk cert", "3019" HDR "b3020500 a106 3004 3002 0400", CMP_ERR_DECODE, ANY_OFF},
    {"constructed UTF8String in freeText",
     "301d 3017 020102 a4023000 a4023000 a70a 3008 2c06 0c0161 0c0162 b3020500", CMP_ERR_NOT_DER,
     19},
    {"indefinite inner", "3013" HDR "b3800500 0000", CMP_ERR_DER_INDEFINITE, 15},
    {"EOC at top level", "0000", CMP_ERR_DER_TAG, 0},
};

START_TEST(test_cmp_msg_decode_hex)
{
    const bad_hex *c = &bad_hexes[_i];
    size_t len = 0, off = 99;
    uint8_t *der = testlib_hex(c->hex, &len);
    cmp_msg *m = NULL;
    cmp_err err;

    ck_assert_msg(der != NULL, "bad hex in %s", c->name);
    err = cmp_msg_decode(&m, der, len, NULL, &off);
    ck_assert_msg(err == c->strict, "%s: %s at %zu, want %s", c->name, cmp_err_name(err), off,
                  cmp_err_name(c->strict));
    ck_assert_msg(c->off == ANY_OFF || off == c->off, "%s: offset %zu want %zu", c->name, off,
                  c->off);
    cmp_msg_free(m);
    free(der);
}
END_TEST

#define BASE_C "bouncycastle/IrWithMacProtection__downstream_CERT_CONFIRM.der"

/* BER variants of a real message decode leniently; the protected part
 * still comes from the bytes as received, and the encoding is the DER the
 * variant was made from. */
static const char *const ber_variants[] = {
    "malformed/01-indefinite-outer.der",
    "malformed/02-indefinite-header.der",
    "malformed/04-nonminimal-length-outer.der",
    "malformed/05-nonminimal-length-inner.der",
    "malformed/06-length-leading-zeros.der",
    "malformed/30-pvno-nonminimal.der",
    "malformed/44-constructed-octet-string.der",
};

START_TEST(test_cmp_msg_decode_lenient_ber)
{
    size_t len = 0, blen = 0, hoff;
    uint8_t *der = load_rel(ber_variants[_i], &len);
    uint8_t *base = load_rel(BASE_C, &blen);
    cmp_msg *m = decode_ok(der, len, 1), *mb = decode_ok(base, blen, 0);
    cmp_buf enc = {NULL, 0}, pp = {NULL, 0}, ppb = {NULL, 0};
    cmp_span h = cmp_msg_raw_header(m), b = cmp_msg_raw_body(m), all = cmp_msg_der(m);

    /* the raw spans are views of the received bytes */
    ck_assert(h.data >= all.data && h.data + h.len <= all.data + all.len);
    hoff = (size_t)(h.data - all.data);
    ck_assert(memcmp(&der[hoff], h.data, h.len) == 0);
    ck_assert_int_eq(cmp_msg_protected_part(m, &pp), CMP_OK);
    ck_assert(memcmp(&pp.data[pp.len - b.len - h.len], h.data, h.len) == 0);
    ck_assert(memcmp(&pp.data[pp.len - b.len], b.data, b.len) == 0);
    ck_assert_int_eq(cmp_msg_protected_part(mb, &ppb), CMP_OK);
    /* a header in BER is protected as BER, never as our DER of it */
    if (!span_eq(h, cmp_msg_raw_header(mb).data, cmp_msg_raw_header(mb).len)) {
        ck_assert(pp.len != ppb.len || memcmp(pp.data, ppb.data, pp.len) != 0);
    }
    ck_assert_int_eq(cmp_msg_encode(m, &enc), CMP_OK);
    ck_assert(enc.len == blen && memcmp(enc.data, base, blen) == 0);
    /* the accessors read the same values as from the DER original */
    ck_assert(span_eq(cmp_msg_sender(m), cmp_msg_sender(mb).data, cmp_msg_sender(mb).len));
    ck_assert(span_eq(cmp_msg_transaction_id(m), cmp_msg_transaction_id(mb).data, 16));
    ck_assert(span_eq(cmp_msg_protection_alg(m), cmp_msg_protection_alg(mb).data,
                      cmp_msg_protection_alg(mb).len));
    cmp_buf_cleanup(&enc);
    cmp_buf_cleanup(&pp);
    cmp_buf_cleanup(&ppb);
    cmp_msg_free(m);
    cmp_msg_free(mb);
    free(der);
    free(base);
}
END_TEST

START_TEST(test_cmp_msg_decode_limits)
{
    size_t len = 0, off = 0;
    uint8_t *der = load_rel("openssl/ir-sig-01-ir.der", &len), *big;
    cmp_decode_opts small = {0, 100, 0}, shallow = {0, 0, 4}, exact = {0, 0, 0};
    cmp_msg *m = NULL;

    ck_assert_int_eq(cmp_msg_decode(&m, der, len, &small, &off), CMP_ERR_MSG_TOO_LARGE);
    small.lenient = 1;
    ck_assert_int_eq(cmp_msg_decode(&m, der, len, &small, &off), CMP_ERR_MSG_TOO_LARGE);
    ck_assert_int_eq(cmp_msg_decode(&m, der, len, &shallow, &off), CMP_ERR_DER_NESTING);
    exact.max_len = len;
    ck_assert_int_eq(cmp_msg_decode(&m, der, len, &exact, &off), CMP_OK);
    cmp_msg_free(m);
    /* one byte over the default limit: refused before any parsing */
    big = calloc(1, CMP_MAX_MSG_LEN + 1);
    ck_assert_ptr_nonnull(big);
    big[0] = 0x30;
    big[1] = 0x83;
    big[2] = (uint8_t)((CMP_MAX_MSG_LEN - 4) >> 16);
    big[3] = (uint8_t)((CMP_MAX_MSG_LEN - 4) >> 8);
    big[4] = (uint8_t)((CMP_MAX_MSG_LEN - 4) & 0xff);
    ck_assert_int_eq(cmp_msg_decode(&m, big, CMP_MAX_MSG_LEN + 1, NULL, &off),
                     CMP_ERR_MSG_TOO_LARGE);
    ck_assert_ptr_null(m);
    free(big);
    free(der);
}
END_TEST

/* 300 nested SEQUENCEs: the walk stops at its hard cap (256 levels) even
 * when the caller asks for more, so its recursion stays bounded. */
START_TEST(test_cmp_msg_decode_depth_cap)
{
    cmp_decode_opts deep = {0, 0, 100000};
    size_t len = 2, i, hl;
    uint8_t *buf = malloc(4 * 300 + 2), *tmp = malloc(4 * 300 + 2);
    cmp_msg *m = NULL;

    ck_assert(buf != NULL && tmp != NULL);
    buf[0] = 0x05;
    buf[1] = 0x00;
    for (i = 0; i < 300; i++) {
        tmp[0] = 0x30;
        if (len < 0x80) {
            tmp[1] = (uint8_t)len;
            hl = 2;
        } else if (len < 0x100) {
            tmp[1] = 0x81;
            tmp[2] = (uint8_t)len;
            hl = 3;
        } else {
            tmp[1] = 0x82;
            tmp[2] = (uint8_t)(len >> 8);
            tmp[3] = (uint8_t)len;
            hl = 4;
        }
        memcpy(&tmp[hl], buf, len);
        len += hl;
        memcpy(buf, tmp, len);
    }
    ck_assert_int_eq(cmp_msg_decode(&m, buf, len, &deep, NULL), CMP_ERR_DER_NESTING);
    deep.lenient = 1; /* definite lengths: the lenient frame check does not recurse */
    ck_assert_int_ne(cmp_msg_decode(&m, buf, len, &deep, NULL), CMP_OK);
    ck_assert_ptr_null(m);
    free(buf);
    free(tmp);
}
END_TEST

START_TEST(test_cmp_msg_decode_args)
{
    static const uint8_t b[] = {0x30, 0x00};
    cmp_msg *m = NULL;
    size_t off = 7;

    ck_assert_int_eq(cmp_msg_decode(NULL, b, sizeof(b), NULL, &off), CMP_ERR_ARG);
    ck_assert_int_eq(cmp_msg_decode(&m, NULL, 5, NULL, &off), CMP_ERR_ARG);
    ck_assert_int_eq(cmp_msg_decode(&m, NULL, 0, NULL, NULL), CMP_ERR_DER_TRUNCATED);
    ck_assert_int_eq(cmp_msg_decode(&m, b, 0, NULL, &off), CMP_ERR_DER_TRUNCATED);
    ck_assert_uint_eq(off, 0);
    ck_assert_ptr_null(m);
    /* accessors of nothing are empty, never a crash */
    cmp_msg_free(NULL);
    ck_assert_int_eq(cmp_msg_body_type(NULL), CMP_BODY_NONE);
    ck_assert_uint_eq(cmp_msg_sender(NULL).len, 0);
    ck_assert_uint_eq(cmp_msg_sender_name(NULL).len, 0);
    ck_assert_uint_eq(cmp_msg_protection_alg(NULL).len, 0);
    ck_assert_uint_eq(cmp_msg_num_free_text(NULL), 0);
    ck_assert_uint_eq(cmp_msg_free_text(NULL, 0).len, 0);
    ck_assert_uint_eq(cmp_msg_num_extra_certs(NULL), 0);
    ck_assert_uint_eq(cmp_msg_der(NULL).len, 0);
    ck_assert_uint_eq(cmp_msg_raw_header(NULL).len, 0);
    ck_assert_int_eq(cmp_msg_implicit_confirm(NULL), 0);
}
END_TEST

/* ---- building ---------------------------------------------------------- */

static const uint8_t tid16[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
static const uint8_t nonce16[16] = {0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7,
                                    0xa8, 0xa9, 0xaa, 0xab, 0xac, 0xad, 0xae, 0xaf};
static const uint8_t rnonce16[16] = {0xb0};
/* AlgorithmIdentifier ecdsa-with-SHA256 */
static const uint8_t alg_ecdsa[] = {0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48,
                                    0xce, 0x3d, 0x04, 0x03, 0x02};
/* GeneralName rfc822Name "ee@example.com" */
static const uint8_t gn_email[] = {0x81, 0x0e, 'e', 'e', '@', 'e', 'x', 'a',
                                   'm',  'p',  'l', 'e', '.', 'c', 'o', 'm'};

/* A pkiConf body, through the internals (the body builders live in
 * msg_<body>.c and are tested there). */
static cmp_err set_pkiconf(cmp_msg *m)
{
    PKIBody_t *b = cmp_calloc(1, sizeof(*b));

    if (b == NULL) {
        return CMP_ERR_NOMEM;
    }
    b->present = PKIBody_PR_pkiconf;
    m->pm->body = b;
    return CMP_OK;
}

static void full_spec(cmp_hdr_spec *h, cmp_span *texts)
{
    memset(h, 0, sizeof(*h));
    h->pvno = CMP_PVNO_2021;
    h->recipient.data = gn_email;
    h->recipient.len = sizeof(gn_email);
    h->message_time = 1700000000; /* 2023-11-14T22:13:20Z */
    h->protection_alg.data = alg_ecdsa;
    h->protection_alg.len = sizeof(alg_ecdsa);
    h->sender_kid.data = (const uint8_t *)"kid";
    h->sender_kid.len = 3;
    h->recip_kid.data = (const uint8_t *)"rkid";
    h->recip_kid.len = 4;
    h->transaction_id.data = tid16;
    h->transaction_id.len = 16;
    h->sender_nonce.data = nonce16;
    h->sender_nonce.len = 16;
    h->recip_nonce.data = rnonce16;
    h->recip_nonce.len = 16;
    texts[0].data = (const uint8_t *)"hello";
    texts[0].len = 5;
    texts[1].data = (const uint8_t *)"gr\xc3\xbc\xc3\x9f" "e";
    texts[1].len = 7;
    h->free_text = texts;
    h->num_free_text = 2;
    h->implicit_confirm = 1;
    h->confirm_wait_time = 1700000300;
}

/* The first extraCert of a real message. */
static uint8_t *one_cert(size_t *len)
{
    size_t mlen = 0;
    uint8_t *der = load_rel("bouncycastle/IrWithMacProtection__downstream_CONFIRM.der", &mlen);
    cmp_msg *m = decode_ok(der, mlen, 0);
    cmp_span c = cmp_msg_extra_cert(m, 0);
    uint8_t *out = testlib_dup(c.data, c.len);

    *len = c.len;
    cmp_msg_free(m);
    free(der);
    return out;
}

/* cmp_msg_new + every header field + protection + extra cert, encoded and
 * decoded strictly: the same values come back, and the ProtectedPart of
 * the built message is the one the receiver computes from raw spans. */
START_TEST(test_cmp_msg_build_roundtrip)
{
    static const uint8_t prot[] = {0xde, 0xad, 0xbe, 0xef};
    static const uint8_t cwt_oid[] = {0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x04, 0x0e};
    cmp_hdr_spec h;
    cmp_span texts[2], s, oid, val;
    cmp_buf sender = {NULL, 0}, enc = {NULL, 0}, pp_built = {NULL, 0}, pp_rx = {NULL, 0};
    cmp_buf gn = {NULL, 0};
    cmp_msg *m = NULL, *rx;
    size_t clen = 0;
    uint8_t *cert = one_cert(&clen);
    char name[128];
    long pvno;
    int64_t t;

    full_spec(&h, texts);
    ck_assert_int_eq(cmp_name_from_string(&sender, "/O=cmpstack/CN=Test EE"), CMP_OK);
    ck_assert_int_eq(cmp_general_name_dn(&gn, (cmp_span){sender.data, sender.len}), CMP_OK);
    h.sender.data = gn.data;
    h.sender.len = gn.len;
    ck_assert_int_eq(cmp_msg_new(&m, &h), CMP_OK);
    ck_assert_int_eq(cmp_msg_encode(m, &enc), CMP_ERR_STATE); /* no body yet */
    ck_assert_int_eq(cmp_msg_protected_part(m, &pp_built), CMP_ERR_STATE);
    ck_assert_uint_eq(cmp_msg_der(m).len, 0);
    ck_assert_int_eq(set_pkiconf(m), CMP_OK);
    ck_assert_int_eq(cmp_msg_protected_part(m, &pp_built), CMP_OK);
    ck_assert_int_eq(cmp_msg_set_protection(m, (cmp_span){prot, sizeof(prot)}), CMP_OK);
    ck_assert_int_eq(cmp_msg_set_protection(m, (cmp_span){prot, 3}), CMP_OK); /* replaces */
    ck_assert_int_eq(cmp_msg_add_extra_cert(m, (cmp_span){cert, clen}), CMP_OK);
    ck_assert_int_eq(cmp_msg_add_extra_cert(m, (cmp_span){cert, clen}), CMP_OK);
    ck_assert(span_eq(cmp_msg_extra_cert(m, 1), cert, clen));
    ck_assert_uint_eq(cmp_msg_raw_header(m).len, 0); /* built: no raw spans */
    ck_assert_int_eq(cmp_msg_encode(m, &enc), CMP_OK);
    ck_assert(span_eq(cmp_msg_der(m), enc.data, enc.len));

    rx = decode_ok(enc.data, enc.len, 0);
    ck_assert_int_eq(cmp_msg_protected_part(rx, &pp_rx), CMP_OK);
    ck_assert(pp_rx.len == pp_built.len && memcmp(pp_rx.data, pp_built.data, pp_rx.len) == 0);
    ck_assert_int_eq(cmp_msg_body_type(rx), CMP_BODY_PKICONF);
    ck_assert_int_eq(cmp_msg_pvno(rx, &pvno), CMP_OK);
    ck_assert_int_eq((int)pvno, CMP_PVNO_2021);
    ck_assert(span_eq(cmp_msg_sender(rx), gn.data, gn.len));
    ck_assert(span_eq(cmp_msg_sender(m), gn.data, gn.len));
    ck_assert(span_eq(cmp_msg_sender_name(rx), sender.data, sender.len));
    ck_assert(span_eq(cmp_msg_sender_name(m), sender.data, sender.len));
    ck_assert_int_eq(cmp_name_to_string(name, sizeof(name), cmp_msg_sender_name(rx)), CMP_OK);
    ck_assert_str_eq(name, "/O=cmpstack/CN=Test EE");
    ck_assert(span_eq(cmp_msg_recipient(rx), gn_email, sizeof(gn_email)));
    ck_assert_uint_eq(cmp_msg_recipient_name(rx).len, 0); /* not a directoryName */
    ck_assert_int_eq(cmp_msg_message_time(rx, &t), CMP_OK);
    ck_assert(t == 1700000000);
    ck_assert(span_eq(cmp_msg_protection_alg(rx), alg_ecdsa, sizeof(alg_ecdsa)));
    ck_assert(span_eq(cmp_msg_protection_alg(m), alg_ecdsa, sizeof(alg_ecdsa)));
    ck_assert(span_eq(cmp_msg_sender_kid(rx), "kid", 3));
    ck_assert(span_eq(cmp_msg_recip_kid(rx), "rkid", 4));
    ck_assert(span_eq(cmp_msg_transaction_id(rx), tid16, 16));
    ck_assert(span_eq(cmp_msg_sender_nonce(rx), nonce16, 16));
    ck_assert(span_eq(cmp_msg_recip_nonce(rx), rnonce16, 16));
    ck_assert_uint_eq(cmp_msg_num_free_text(rx), 2);
    ck_assert(span_eq(cmp_msg_free_text(rx, 0), "hello", 5));
    ck_assert(span_eq(cmp_msg_free_text(rx, 1), texts[1].data, 7));
    ck_assert_uint_eq(cmp_msg_free_text(rx, 2).len, 0);
    ck_assert_int_eq(cmp_msg_implicit_confirm(rx), 1);
    ck_assert_int_eq(cmp_msg_confirm_wait_time(rx, &t), CMP_OK);
    ck_assert(t == 1700000300);
    ck_assert_uint_eq(cmp_msg_num_general_info(rx), 2);
    ck_assert_int_eq(cmp_msg_general_info(rx, 1, &oid, &val), CMP_OK);
    ck_assert(span_eq(oid, cwt_oid, sizeof(cwt_oid)));
    ck_assert(span_eq(val, "\x18\x0f" "20231114221820Z", 17));
    ck_assert(span_eq(cmp_msg_protection(rx), prot, 3));
    ck_assert_uint_eq(cmp_msg_num_extra_certs(rx), 2);
    ck_assert(span_eq(cmp_msg_extra_cert(rx, 0), cert, clen));
    ck_assert(span_eq(cmp_msg_extra_cert(rx, 1), cert, clen));
    /* a received message is read-only */
    ck_assert_int_eq(cmp_msg_set_protection(rx, (cmp_span){prot, 4}), CMP_ERR_STATE);
    ck_assert_int_eq(cmp_msg_add_extra_cert(rx, (cmp_span){cert, clen}), CMP_ERR_STATE);
    s = cmp_msg_der(rx);
    ck_assert(span_eq(s, enc.data, enc.len));

    cmp_msg_free(rx);
    cmp_msg_free(m);
    cmp_buf_cleanup(&enc);
    cmp_buf_cleanup(&pp_built);
    cmp_buf_cleanup(&pp_rx);
    cmp_buf_cleanup(&sender);
    cmp_buf_cleanup(&gn);
    free(cert);
}
END_TEST

/* A zeroed spec: pvno 2, NULL-DN sender and recipient (RFC 9810 5.1.1),
 * messageTime 0 (the epoch; negative omits it), nothing else. */
START_TEST(test_cmp_msg_new_defaults)
{
    static const uint8_t expect[] = {
        0x30, 0x24, 0x30, 0x1e, 0x02, 0x01, 0x02, 0xa4, 0x02, 0x30, 0x00, 0xa4, 0x02,
        0x30, 0x00, 0xa0, 0x11, 0x18, 0x0f, '1',  '9',  '7',  '0',  '0',  '1',  '0',
        '1',  '0',  '0',  '0',  '0',  '0',  '0',  'Z',  0xb3, 0x02, 0x05, 0x00};
    cmp_hdr_spec h;
    cmp_msg *m = NULL;
    cmp_buf enc = {NULL, 0};
    int64_t t = 1;

    memset(&h, 0, sizeof(h));
    ck_assert_int_eq(cmp_msg_new(&m, &h), CMP_OK);
    ck_assert_int_eq(set_pkiconf(m), CMP_OK);
    ck_assert_int_eq(cmp_msg_encode(m, &enc), CMP_OK);
    ck_assert(enc.len == sizeof(expect) && memcmp(enc.data, expect, sizeof(expect)) == 0);
    ck_assert(span_eq(cmp_msg_sender(m), "\xa4\x02\x30\x00", 4));
    ck_assert(span_eq(cmp_msg_sender_name(m), "\x30\x00", 2));
    ck_assert_int_eq(cmp_msg_message_time(m, &t), CMP_OK);
    ck_assert(t == 0);
    ck_assert_int_eq(cmp_msg_confirm_wait_time(m, &t), CMP_ERR_MISSING_FIELD);
    cmp_buf_cleanup(&enc);
    cmp_msg_free(m);

    h.message_time = -1;
    ck_assert_int_eq(cmp_msg_new(&m, &h), CMP_OK);
    ck_assert_int_eq(cmp_msg_message_time(m, &t), CMP_ERR_MISSING_FIELD);
    cmp_msg_free(m);
}
END_TEST

typedef struct bad_spec {
    const char *name;
    int field;
    cmp_err want;
} bad_spec;

static const bad_spec bad_specs[] = {
    {"pvno 1", 0, CMP_ERR_ARG},
    {"pvno 4", 1, CMP_ERR_ARG},
    {"sender not DER", 2, CMP_ERR_ARG},
    {"sender trailing byte", 3, CMP_ERR_ARG},
    {"recipient garbage", 4, CMP_ERR_ARG},
    {"protectionAlg not a SEQUENCE", 5, CMP_ERR_ARG},
    {"freeText not UTF-8", 6, CMP_ERR_ARG},
    {"freeText count without array", 7, CMP_ERR_ARG},
    {"messageTime year 10000", 8, CMP_ERR_ARG},
    {"confirmWaitTime year 10000", 9, CMP_ERR_ARG},
    {"sender BER (non-minimal length)", 10, CMP_ERR_ARG},
};

START_TEST(test_cmp_msg_new_bad)
{
    static const uint8_t gn_ber[] = {0xa4, 0x81, 0x02, 0x30, 0x00};
    static const uint8_t gn_trailing[] = {0xa4, 0x02, 0x30, 0x00, 0x00};
    static const uint8_t junk[] = {0x04, 0x01, 0x00};
    static const uint8_t *bad_utf8 = (const uint8_t *)"\xff\xfe";
    cmp_span text = {bad_utf8, 2};
    cmp_hdr_spec h;
    cmp_msg *m = (cmp_msg *)&h;

    memset(&h, 0, sizeof(h));
    switch (bad_specs[_i].field) {
    case 0: h.pvno = 1; break;
    case 1: h.pvno = 4; break;
    case 2: h.sender.data = junk; h.sender.len = 2; break;
    case 3: h.sender.data = gn_trailing; h.sender.len = sizeof(gn_trailing); break;
    case 4: h.recipient.data = junk; h.recipient.len = sizeof(junk); break;
    case 5: h.protection_alg.data = junk; h.protection_alg.len = sizeof(junk); break;
    case 6: h.free_text = &text; h.num_free_text = 1; break;
    case 7: h.num_free_text = 1; break;
    case 8: h.message_time = 253402300800LL; break;
    case 9: h.confirm_wait_time = 253402300800LL; break;
    case 10: h.sender.data = gn_ber; h.sender.len = sizeof(gn_ber); break;
    default: ck_abort();
    }
    ck_assert_int_eq(cmp_msg_new(&m, &h), bad_specs[_i].want);
    ck_assert_ptr_null(m);
    ck_assert_int_eq(cmp_msg_new(NULL, &h), CMP_ERR_ARG);
}
END_TEST

START_TEST(test_cmp_msg_build_bad)
{
    static const uint8_t junk[] = {0x30, 0x03, 0x02, 0x01, 0x00};
    cmp_hdr_spec h;
    cmp_msg *m = NULL;
    size_t clen = 0, i;
    uint8_t *cert = one_cert(&clen), *ber;
    cmp_buf out = {NULL, 0};

    memset(&h, 0, sizeof(h));
    ck_assert_int_eq(cmp_msg_new(&m, &h), CMP_OK);
    ck_assert_int_eq(cmp_msg_set_protection(m, (cmp_span){NULL, 0}), CMP_ERR_ARG);
    ck_assert_int_eq(cmp_msg_set_protection(NULL, (cmp_span){junk, 1}), CMP_ERR_ARG);
    ck_assert_int_eq(cmp_msg_add_extra_cert(m, (cmp_span){junk, sizeof(junk)}),
                     CMP_ERR_CERT_PARSE);
    ck_assert_int_eq(cmp_msg_add_extra_cert(m, (cmp_span){cert, clen - 1}), CMP_ERR_CERT_PARSE);
    ck_assert_int_eq(cmp_msg_add_extra_cert(m, (cmp_span){NULL, 0}), CMP_ERR_ARG);
    /* a certificate whose encoding is not DER would change on the way */
    ber = malloc(clen + 1);
    ck_assert_ptr_nonnull(ber);
    ber[0] = 0x30;
    ber[1] = 0x83;
    ber[2] = 0x00;
    memcpy(&ber[3], &cert[2], clen - 2); /* 30 82 xx xx -> 30 83 00 xx xx */
    ck_assert_int_eq(cmp_msg_add_extra_cert(m, (cmp_span){ber, clen + 1}), CMP_ERR_CERT_PARSE);
    free(ber);
    ck_assert_uint_eq(cmp_msg_num_extra_certs(m), 0);
    ck_assert_ptr_null(m->pm->extraCerts);
    for (i = 0; i < CMP_MAX_CERTS; i++) {
        ck_assert_int_eq(cmp_msg_add_extra_cert(m, (cmp_span){cert, clen}), CMP_OK);
    }
    ck_assert_int_eq(cmp_msg_add_extra_cert(m, (cmp_span){cert, clen}), CMP_ERR_ARG);
    ck_assert_int_eq(set_pkiconf(m), CMP_OK);
    ck_assert_int_eq(cmp_msg_encode(m, &out), CMP_OK);
    cmp_buf_cleanup(&out);
    ck_assert_int_eq(cmp_msg_encode(m, NULL), CMP_ERR_ARG);
    ck_assert_int_eq(cmp_msg_encode(NULL, &out), CMP_ERR_ARG);
    ck_assert_int_eq(cmp_msg_protected_part(NULL, &out), CMP_ERR_ARG);
    cmp_msg_free(m);
    free(cert);
}
END_TEST

/* ---- allocation failure ---------------------------------------------- */

static cmp_err decode_once(const uint8_t *der, size_t len, int lenient)
{
    cmp_decode_opts opts = {lenient, 0, 0};
    cmp_msg *m = NULL;
    cmp_buf pp = {NULL, 0}, enc = {NULL, 0};
    cmp_err err = cmp_msg_decode(&m, der, len, &opts, NULL);

    if (err == CMP_OK) {
        err = cmp_msg_protected_part(m, &pp);
    }
    if (err == CMP_OK) {
        err = cmp_msg_encode(m, &enc);
    }
    if (err == CMP_OK && cmp_msg_sender(m).len == 0) {
        err = CMP_ERR_NOMEM; /* the arena could not take the encoding */
    }
    cmp_buf_cleanup(&pp);
    cmp_buf_cleanup(&enc);
    cmp_msg_free(m);
    return err;
}

static const struct {
    const char *file;
    int lenient;
} alloc_inputs[] = {
    {"bouncycastle/IrWithMacProtection__downstream_INIT_REP.der", 0},
    {"openssl/ir-implicit-01-ir.der", 0},
    {"malformed/02-indefinite-header.der", 1},
    {"malformed/45-set-of-unsorted.der", 0}, /* fails late, after encoding */
};

/* Fail the 1st, 2nd, ... allocation until the call succeeds: every failure
 * is CMP_ERR_NOMEM and leaves nothing behind (ASan, valgrind). */
START_TEST(test_cmp_msg_decode_alloc_fail)
{
    size_t len = 0;
    uint8_t *der = load_rel(alloc_inputs[_i].file, &len);
    cmp_err want = decode_once(der, len, alloc_inputs[_i].lenient), err;
    long n;

    for (n = 0;; n++) {
        testlib_fail_alloc_after(n);
        err = decode_once(der, len, alloc_inputs[_i].lenient);
        testlib_fail_alloc_after(-1);
        if (err == want) {
            break;
        }
        ck_assert_msg(err == CMP_ERR_NOMEM, "%s, failing allocation %ld: %s",
                      alloc_inputs[_i].file, n, cmp_err_name(err));
        ck_assert(n < 100000);
    }
    free(der);
}
END_TEST

static cmp_err build_once(const uint8_t *cert, size_t clen)
{
    static const uint8_t prot[] = {1, 2, 3};
    cmp_hdr_spec h;
    cmp_span texts[2];
    cmp_buf sender = {NULL, 0}, gn = {NULL, 0}, enc = {NULL, 0}, pp = {NULL, 0};
    cmp_msg *m = NULL;
    cmp_span sn;
    cmp_err err;

    full_spec(&h, texts);
    err = cmp_name_from_string(&sender, "/C=DE/O=Org/CN=Name");
    if (err == CMP_OK) {
        err = cmp_general_name_dn(&gn, (cmp_span){sender.data, sender.len});
    }
    if (err == CMP_OK) {
        h.sender.data = gn.data;
        h.sender.len = gn.len;
        err = cmp_msg_new(&m, &h);
    }
    if (err == CMP_OK) {
        err = set_pkiconf(m);
    }
    if (err == CMP_OK) {
        err = cmp_msg_set_protection(m, (cmp_span){prot, sizeof(prot)});
    }
    if (err == CMP_OK) {
        err = cmp_msg_add_extra_cert(m, (cmp_span){cert, clen});
    }
    if (err == CMP_OK) {
        err = cmp_msg_protected_part(m, &pp);
    }
    if (err == CMP_OK) {
        err = cmp_msg_encode(m, &enc);
    }
    if (err == CMP_OK) {
        sn = cmp_msg_sender(m); /* arena */
        err = sn.len == gn.len ? CMP_OK : CMP_ERR_NOMEM;
    }
    cmp_buf_cleanup(&sender);
    cmp_buf_cleanup(&gn);
    cmp_buf_cleanup(&enc);
    cmp_buf_cleanup(&pp);
    cmp_msg_free(m);
    return err;
}

START_TEST(test_cmp_msg_build_alloc_fail)
{
    size_t clen = 0;
    uint8_t *cert = one_cert(&clen);
    cmp_err err;
    long n;

    ck_assert_int_eq(build_once(cert, clen), CMP_OK);
    for (n = 0;; n++) {
        testlib_fail_alloc_after(n);
        err = build_once(cert, clen);
        testlib_fail_alloc_after(-1);
        if (err == CMP_OK) {
            break;
        }
        ck_assert_msg(err == CMP_ERR_NOMEM, "failing allocation %ld: %s", n, cmp_err_name(err));
        ck_assert(n < 100000);
    }
    free(cert);
}
END_TEST

/* ---- the suite ---------------------------------------------------------- */

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

Suite *cmp_msg_suite(void)
{
    Suite *s = suite_create("msg");
    TCase *tc;

    tc = tcase_create("test_cmp_msg_decode_corpus");
    tcase_add_loop_test(tc, test_cmp_msg_decode_corpus, 0, (int)num_corpus);
    suite_add_tcase(s, tc);
    tc = tcase_create("test_cmp_msg_decode_prefixes");
    tcase_set_timeout(tc, 120);
    tcase_add_loop_test(tc, test_cmp_msg_decode_prefixes, 0, (int)num_corpus);
    suite_add_tcase(s, tc);
    tc = tcase_create("test_cmp_msg_header_accessors");
    tcase_add_test(tc, test_cmp_msg_header_accessors);
    suite_add_tcase(s, tc);
    tc = tcase_create("test_cmp_msg_decode_malformed");
    tcase_add_loop_test(tc, test_cmp_msg_decode_malformed, 0, N(bad_files));
    suite_add_tcase(s, tc);
    tc = tcase_create("test_cmp_msg_decode_hex");
    tcase_add_loop_test(tc, test_cmp_msg_decode_hex, 0, N(bad_hexes));
    suite_add_tcase(s, tc);
    tc = tcase_create("test_cmp_msg_decode_lenient_ber");
    tcase_add_loop_test(tc, test_cmp_msg_decode_lenient_ber, 0, N(ber_variants));
    suite_add_tcase(s, tc);
    tc = tcase_create("test_cmp_msg_decode_limits");
    tcase_add_test(tc, test_cmp_msg_decode_limits);
    tcase_add_test(tc, test_cmp_msg_decode_depth_cap);
    tcase_add_test(tc, test_cmp_msg_decode_args);
    suite_add_tcase(s, tc);
    tc = tcase_create("test_cmp_msg_build");
    tcase_add_test(tc, test_cmp_msg_build_roundtrip);
    tcase_add_test(tc, test_cmp_msg_new_defaults);
    tcase_add_loop_test(tc, test_cmp_msg_new_bad, 0, N(bad_specs));
    tcase_add_test(tc, test_cmp_msg_build_bad);
    suite_add_tcase(s, tc);
    tc = tcase_create("test_cmp_msg_alloc_fail");
    tcase_set_timeout(tc, 300);
    tcase_add_loop_test(tc, test_cmp_msg_decode_alloc_fail, 0, N(alloc_inputs));
    tcase_add_test(tc, test_cmp_msg_build_alloc_fail);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr;
    int failed;

    load_corpus();
    if (num_corpus < 36) {
        fprintf(stderr, "check_msg: only %zu corpus messages under $CMP_TEST_DATA\n", num_corpus);
        return 1;
    }
    sr = srunner_create(cmp_msg_suite());
    srunner_run_all(sr, CK_ENV);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    testlib_free_list(corpus, num_corpus);
    return failed == 0 ? 0 : 1;
}
