/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tests/unit/check_asn1rt.c: the asn1c runtime (generated/) on its own.
 *
 * A runtime test, below the message layer: it calls ber_decode and
 * der_encode on asn_DEF_PKIMessage directly. It checks that every real
 * message in tests/data/{bouncycastle,openssl} decodes and re-encodes
 * byte-identical, that each runtime defect fixed by asn1/patches/skel-*
 * stays fixed (tests/data/asn1rt, see its README), and documents which
 * non-DER inputs the runtime still accepts, so that the message layer
 * knows what it must reject on top (asn1/README.md, "Strictness").
 */
#include <check.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "PKIMessage.h"
#include "PKIBody.h"
#include "PollReqContent.h"
#include "INTEGER.h"
#include "UTF8String.h"
#include "der_encoder.h"

#include "testlib.h"

/* The stack guard the message layer will use; see asn1/README.md. */
#define ASN1RT_MAX_STACK 30000

/* decode runs ber_decode on |len| bytes at |buf| with the stack guard. */
static asn_dec_rval_t decode(PKIMessage_t **out, const uint8_t *buf, size_t len,
                             size_t max_stack)
{
    asn_codec_ctx_t ctx;

    memset(&ctx, 0, sizeof(ctx));
    ctx.max_stack_size = max_stack;
    *out = NULL;
    return ber_decode(&ctx, &asn_DEF_PKIMessage, (void **)out, buf, len);
}

/* reencode DER-encodes |m| into a malloc'd buffer; NULL on failure. */
static uint8_t *reencode(PKIMessage_t *m, size_t *out_len)
{
    asn_enc_rval_t er;
    uint8_t *out;

    er = der_encode(&asn_DEF_PKIMessage, m, NULL, NULL);
    if (er.encoded < 0) {
        return NULL;
    }
    out = malloc((size_t)er.encoded + 1);
    if (out == NULL) {
        return NULL;
    }
    er = der_encode_to_buffer(&asn_DEF_PKIMessage, m, out, (size_t)er.encoded);
    if (er.encoded < 0) {
        free(out);
        return NULL;
    }
    *out_len = (size_t)er.encoded;
    return out;
}

static uint8_t *load(const char *rel, size_t *len)
{
    uint8_t *buf = testlib_load(testlib_path(rel), len);

    ck_assert_msg(buf != NULL, "cannot read %s (CMP_TEST_DATA=%s)", rel,
                  getenv("CMP_TEST_DATA") ? getenv("CMP_TEST_DATA") : "unset");
    return buf;
}

/* --- real messages: decode, constraints, byte-identical re-encoding --------- */

static const struct {
    const char *dir;
    size_t min_count;
} corpora[] = {
    {"bouncycastle", 36},
    {"openssl", 10},
};

static void roundtrip_file(const char *path)
{
    size_t len = 0, out_len = 0, errlen;
    uint8_t *buf = testlib_load(path, &len);
    uint8_t *out;
    PKIMessage_t *m;
    asn_dec_rval_t rv;
    char err[256];

    ck_assert_msg(buf != NULL, "cannot read %s", path);
    rv = decode(&m, buf, len, ASN1RT_MAX_STACK);
    ck_assert_msg(rv.code == RC_OK, "%s: ber_decode code %d", path, (int)rv.code);
    ck_assert_msg(rv.consumed == len, "%s: consumed %zu of %zu", path, rv.consumed, len);
    ck_assert_ptr_nonnull(m->body);
    ck_assert_int_ne(m->body->present, PKIBody_PR_NOTHING);

    errlen = sizeof(err);
    ck_assert_msg(asn_check_constraints(&asn_DEF_PKIMessage, m, err, &errlen) == 0,
                  "%s: constraints: %s", path, err);

    out = reencode(m, &out_len);
    ck_assert_msg(out != NULL, "%s: der_encode failed", path);
    ck_assert_msg(out_len == len && memcmp(out, buf, len) == 0,
                  "%s: re-encoding differs (%zu vs %zu bytes)", path, out_len, len);

    free(out);
    ASN_STRUCT_FREE(asn_DEF_PKIMessage, m);
    free(buf);
}

START_TEST(test_corpus_roundtrip)
{
    char **paths = NULL;
    size_t n, i;
    const char *dir = testlib_path(corpora[_i].dir);

    n = testlib_list_dir(dir, ".der", &paths);
    ck_assert_msg(n >= corpora[_i].min_count, "%s: %zu files, want >= %zu", dir, n,
                  corpora[_i].min_count);
    for (i = 0; i < n; i++) {
        roundtrip_file(paths[i]);
    }
    testlib_free_list(paths, n);
}
END_TEST

/* Every proper prefix of a real message, each in a heap buffer of exactly
 * that size, must be refused (RC_WMORE or RC_FAIL), never read past the end. */
START_TEST(test_corpus_prefixes)
{
    char **paths = NULL;
    size_t n, i, cut, len;
    const char *dir = testlib_path(corpora[_i].dir);

    n = testlib_list_dir(dir, ".der", &paths);
    for (i = 0; i < n; i++) {
        uint8_t *buf = testlib_load(paths[i], &len);

        ck_assert_ptr_nonnull(buf);
        for (cut = 0; cut < len; cut++) {
            uint8_t *p = testlib_dup(buf, cut);
            PKIMessage_t *m;
            asn_dec_rval_t rv = decode(&m, p, cut, ASN1RT_MAX_STACK);

            ck_assert_msg(rv.code != RC_OK, "%s: prefix %zu decoded", paths[i], cut);
            ASN_STRUCT_FREE(asn_DEF_PKIMessage, m);
            free(p);
        }
        free(buf);
    }
    testlib_free_list(paths, n);
}
END_TEST

/* --- fixed runtime defects: each input must be refused, and terminate ------- */

static const char *const defect_inputs[] = {
    "asn1rt/eoc-choice-loop.der",                 /* skel-04: was an endless loop */
    "asn1rt/length-shift-overflow.der",           /* skel-06: UB in ber_fetch_length */
    "asn1rt/bitstring-unused-bits.der",           /* skel-07: primitive path */
    "asn1rt/bitstring-unused-bits-segmented.der", /* skel-07: segmented path */
    "asn1rt/deep-nesting.der",                    /* max_stack_size guard */
};

START_TEST(test_defect_inputs_refused)
{
    size_t len;
    uint8_t *buf = load(defect_inputs[_i], &len);
    PKIMessage_t *m;
    asn_dec_rval_t rv = decode(&m, buf, len, ASN1RT_MAX_STACK);

    ck_assert_msg(rv.code == RC_FAIL, "%s: code %d, want RC_FAIL", defect_inputs[_i],
                  (int)rv.code);
    ASN_STRUCT_FREE(asn_DEF_PKIMessage, m);
    free(buf);
}
END_TEST

/* The same inputs, cut at every length, must also be refused cleanly. */
START_TEST(test_defect_inputs_prefixes)
{
    size_t len, cut;
    uint8_t *buf = load(defect_inputs[_i], &len);

    if (len > 4096) {
        len = 4096; /* deep-nesting: the first levels are enough */
    }
    for (cut = 0; cut < len; cut++) {
        uint8_t *p = testlib_dup(buf, cut);
        PKIMessage_t *m;
        asn_dec_rval_t rv = decode(&m, p, cut, ASN1RT_MAX_STACK);

        ck_assert_int_ne(rv.code, RC_OK);
        ASN_STRUCT_FREE(asn_DEF_PKIMessage, m);
        free(p);
    }
    free(buf);
}
END_TEST

/* max_stack_size is set by the caller and is what refused deep-nesting.der:
 * the same structure three levels deep decodes, and a tiny guard refuses
 * even a plain message. */
static const char nest3_hex[] =
    "3080 300b020102a4023000a4023000 b4803080"
    "3080 300b020102a4023000a4023000 b4803080"
    "3080 300b020102a4023000a4023000 b4803080"
    "3080 300b020102a4023000a4023000 b3020500 0000"
    "000000000000 000000000000 000000000000";

START_TEST(test_max_stack_size_is_the_guard)
{
    size_t len;
    uint8_t *buf = testlib_hex(nest3_hex, &len);
    PKIMessage_t *m;
    asn_dec_rval_t rv;

    ck_assert_ptr_nonnull(buf);
    rv = decode(&m, buf, len, ASN1RT_MAX_STACK);
    ck_assert_int_eq(rv.code, RC_OK);
    ck_assert_uint_eq(rv.consumed, len);
    ck_assert_int_eq(m->body->present, PKIBody_PR_nested);
    ASN_STRUCT_FREE(asn_DEF_PKIMessage, m);
    free(buf);

    buf = load("bouncycastle/IrWithMacProtection__downstream_CONFIRM.der", &len);
    rv = decode(&m, buf, len, 200);
    ck_assert_int_eq(rv.code, RC_FAIL);
    ASN_STRUCT_FREE(asn_DEF_PKIMessage, m);
    rv = decode(&m, buf, len, ASN1RT_MAX_STACK);
    ck_assert_int_eq(rv.code, RC_OK);
    ASN_STRUCT_FREE(asn_DEF_PKIMessage, m);
    free(buf);
}
END_TEST

/* --- not DER, but accepted by ber_decode: the message layer must refuse
 *     these by "consumed == length" and byte-identical re-encoding -------- */

static const char *const not_der_inputs[] = {
    "asn1rt/default-critical-false.der", /* skel-05 + mod-08 make re-encoding differ */
    "asn1rt/default-version-v1.der",     /* skel-05 */
    "asn1rt/boolean-true-01.der",
    "asn1rt/indefinite-length.der",
    "asn1rt/nonminimal-length.der",
};

START_TEST(test_not_der_detected_by_reencoding)
{
    size_t len, out_len = 0;
    uint8_t *buf = load(not_der_inputs[_i], &len);
    uint8_t *out;
    PKIMessage_t *m;
    asn_dec_rval_t rv = decode(&m, buf, len, ASN1RT_MAX_STACK);

    ck_assert_int_eq(rv.code, RC_OK);
    ck_assert_uint_eq(rv.consumed, len);
    out = reencode(m, &out_len);
    ck_assert_ptr_nonnull(out);
    ck_assert_msg(out_len != len || memcmp(out, buf, len) != 0,
                  "%s: re-encoding is identical to non-DER input", not_der_inputs[_i]);
    free(out);
    ASN_STRUCT_FREE(asn_DEF_PKIMessage, m);
    free(buf);
}
END_TEST

START_TEST(test_trailing_byte_reported_by_consumed)
{
    size_t len;
    uint8_t *buf = load("asn1rt/trailing-byte.der", &len);
    PKIMessage_t *m;
    asn_dec_rval_t rv = decode(&m, buf, len, ASN1RT_MAX_STACK);

    /* RC_OK: ber_decode does not look past the outer TLV. */
    ck_assert_int_eq(rv.code, RC_OK);
    ck_assert_uint_eq(rv.consumed, len - 1);
    ASN_STRUCT_FREE(asn_DEF_PKIMessage, m);
    free(buf);
}
END_TEST

/* skel-05 + mod-08: the DEFAULT FALSE that make.py inserted is dropped on
 * encoding, which gives back exactly the message it was made from. */
START_TEST(test_default_omitted_on_encode)
{
    size_t len, base_len, out_len = 0;
    uint8_t *buf = load("asn1rt/default-critical-false.der", &len);
    uint8_t *base = load("bouncycastle/IrWithMacProtection__downstream_CONFIRM.der", &base_len);
    uint8_t *out;
    PKIMessage_t *m;
    asn_dec_rval_t rv = decode(&m, buf, len, ASN1RT_MAX_STACK);

    ck_assert_int_eq(rv.code, RC_OK);
    out = reencode(m, &out_len);
    ck_assert_ptr_nonnull(out);
    ck_assert_uint_eq(out_len, base_len);
    ck_assert_int_eq(memcmp(out, base, base_len), 0);
    free(out);
    ASN_STRUCT_FREE(asn_DEF_PKIMessage, m);
    free(base);
    free(buf);
}
END_TEST

/* --- skel-08: asn_INTEGER2long on negative and boundary values -------------- */

static const struct {
    const char *hex;
    int ok;
    long value;
} int_cases[] = {
    {"ff", 1, -1},
    {"80", 1, -128},
    {"ff7f", 1, -129},
    {"7f", 1, 127},
    {"00ff", 1, 255},
    {"", 1, 0},
    {"7fffffffffffffff", 1, LONG_MAX},
    {"8000000000000000", 1, LONG_MIN},
    {"ffffffffffffffffff", 1, -1}, /* redundant leading ff: still fits */
    {"010000000000000000", 0, 0},  /* 2^64: does not fit */
};

START_TEST(test_integer2long)
{
    INTEGER_t v;
    long out = 12345;
    size_t len = 0;
    int r;

    if (sizeof(long) != 8 && strlen(int_cases[_i].hex) > 8) {
        return; /* the 8-octet cases assume a 64-bit long */
    }
    memset(&v, 0, sizeof(v));
    v.buf = testlib_hex(int_cases[_i].hex, &len);
    ck_assert_ptr_nonnull(v.buf);
    v.size = (int)len;
    r = asn_INTEGER2long(&v, &out);
    if (int_cases[_i].ok) {
        ck_assert_int_eq(r, 0);
        ck_assert_int_eq(out, int_cases[_i].value);
    } else {
        ck_assert_int_eq(r, -1);
    }
    free(v.buf);
}
END_TEST

START_TEST(test_integer_negative_vector)
{
    size_t len;
    uint8_t *buf = load("asn1rt/integer-negative.der", &len);
    PKIMessage_t *m;
    asn_dec_rval_t rv = decode(&m, buf, len, ASN1RT_MAX_STACK);
    long id = 0;

    ck_assert_int_eq(rv.code, RC_OK);
    ck_assert_int_eq(m->body->present, PKIBody_PR_pollReq);
    ck_assert_int_eq(m->body->choice.pollReq.list.count, 1);
    ck_assert_int_eq(asn_INTEGER2long(&m->body->choice.pollReq.list.array[0]->certReqId, &id),
                     0);
    ck_assert_int_eq(id, -1);
    ASN_STRUCT_FREE(asn_DEF_PKIMessage, m);
    free(buf);
}
END_TEST

/* --- skel-09: UTF8String_length (used by the constraint check) --------------- */

static const struct {
    const char *hex;
    long want; /* characters, or a negative U8E_* code */
} utf8_cases[] = {
    {"616263", 3},           /* "abc" */
    {"c3a4", 1},             /* U+00E4 */
    {"f09f9880", 1},         /* U+1F600, four octets */
    {"e282", -1},            /* truncated: U8E_TRUNC */
    {"80", -2},              /* continuation first: U8E_ILLSTART */
    {"c328", -3},            /* bad continuation: U8E_NOTCONT */
    {"c0af", -4},            /* overlong "/": U8E_NOTMIN */
    {"", 0},
};

START_TEST(test_utf8string_length)
{
    UTF8String_t s;
    size_t len = 0;

    memset(&s, 0, sizeof(s));
    s.buf = testlib_hex(utf8_cases[_i].hex, &len);
    ck_assert_ptr_nonnull(s.buf);
    s.size = (int)len;
    ck_assert_int_eq(UTF8String_length(&s), utf8_cases[_i].want);
    free(s.buf);
}
END_TEST

static Suite *cmp_asn1rt_suite(void)
{
    Suite *s = suite_create("asn1rt");
    TCase *tc;
    int ncorp = (int)(sizeof(corpora) / sizeof(corpora[0]));

    tc = tcase_create("test_corpus_roundtrip");
    tcase_add_loop_test(tc, test_corpus_roundtrip, 0, ncorp);
    tcase_set_timeout(tc, 60);
    suite_add_tcase(s, tc);

    tc = tcase_create("test_corpus_prefixes");
    tcase_add_loop_test(tc, test_corpus_prefixes, 0, ncorp);
    tcase_set_timeout(tc, 300);
    suite_add_tcase(s, tc);

    tc = tcase_create("test_defect_inputs_refused");
    tcase_add_loop_test(tc, test_defect_inputs_refused, 0,
                        (int)(sizeof(defect_inputs) / sizeof(defect_inputs[0])));
    tcase_add_loop_test(tc, test_defect_inputs_prefixes, 0,
                        (int)(sizeof(defect_inputs) / sizeof(defect_inputs[0])));
    tcase_add_test(tc, test_max_stack_size_is_the_guard);
    tcase_set_timeout(tc, 60); /* an endless loop shows up as a timeout */
    suite_add_tcase(s, tc);

    tc = tcase_create("test_not_der");
    tcase_add_loop_test(tc, test_not_der_detected_by_reencoding, 0,
                        (int)(sizeof(not_der_inputs) / sizeof(not_der_inputs[0])));
    tcase_add_test(tc, test_trailing_byte_reported_by_consumed);
    tcase_add_test(tc, test_default_omitted_on_encode);
    suite_add_tcase(s, tc);

    tc = tcase_create("test_integer2long");
    tcase_add_loop_test(tc, test_integer2long, 0,
                        (int)(sizeof(int_cases) / sizeof(int_cases[0])));
    tcase_add_test(tc, test_integer_negative_vector);
    suite_add_tcase(s, tc);

    tc = tcase_create("test_utf8string_length");
    tcase_add_loop_test(tc, test_utf8string_length, 0,
                        (int)(sizeof(utf8_cases) / sizeof(utf8_cases[0])));
    suite_add_tcase(s, tc);

    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(cmp_asn1rt_suite());
    int failed;

    srunner_run_all(sr, CK_ENV);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
