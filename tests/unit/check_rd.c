/* SPDX-License-Identifier: Apache-2.0 */
/* tests/unit/check_rd.c: the byte cursor and the structural DER walk. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "cmp/config.h"
#include "rd_int.h"
#include "testlib.h"

static const cmp_der_limits lim = {CMP_MAX_MSG_LEN, 8};

/* 16 zero bytes, in hex */
#define Z16 "00000000000000000000000000000000"

typedef struct walk_case {
    const char *name;
    const char *hex;
    cmp_err want;
    size_t want_off;
} walk_case;

static const walk_case walk_cases[] = {
    {"empty sequence", "3000", CMP_OK, 0},
    {"nested", "3006 3004 0402 aabb", CMP_OK, 0},
    {"context tags", "3007 a003 020101 8000", CMP_OK, 0},
    {"long form 128", "0481 80" Z16 Z16 Z16 Z16 Z16 Z16 Z16 Z16, CMP_OK, 0},
    /* negative cases */
    {"empty input", "", CMP_ERR_DER_TRUNCATED, 0},
    {"tag only", "30", CMP_ERR_DER_TRUNCATED, 0},
    {"short contents", "3003 0201", CMP_ERR_DER_TRUNCATED, 0},
    {"trailing byte", "3000 00", CMP_ERR_DER_TRAILING, 2},
    {"indefinite", "3080 0000", CMP_ERR_DER_INDEFINITE, 0},
    {"inner indefinite", "3004 3080 0000", CMP_ERR_DER_INDEFINITE, 2},
    {"non-minimal long form", "3081 05 0403 aabbcc", CMP_ERR_DER_LENGTH, 0},
    {"leading zero length", "3082 0005 0403 aabbcc", CMP_ERR_DER_LENGTH, 0},
    {"length 0x7f bytes", "30ff", CMP_ERR_DER_LENGTH, 0},
    {"length too many bytes", "3089 010000000000000000", CMP_ERR_DER_LENGTH, 0},
    {"huge length", "3084 ffffffff 00", CMP_ERR_DER_TRUNCATED, 0},
    {"multi-byte tag", "1f81 00", CMP_ERR_DER_TAG, 0},
    {"child overruns parent", "3004 0403 aabb", CMP_ERR_DER_TRUNCATED, 2},
    {"trailing after parent", "3003 0402 aabb", CMP_ERR_DER_TRAILING, 5},
    {"inner trailing garbage", "3003 0400 01", CMP_ERR_DER_TRUNCATED, 4},
    {"too deep", "3012 3010 300e 300c 300a 3008 3006 3004 3002 3000", CMP_ERR_DER_NESTING, 16},
};

START_TEST(test_cmp_der_walk_table)
{
    const walk_case *c = &walk_cases[_i];
    size_t len = 0, off = 99;
    uint8_t *buf = testlib_hex(c->hex, &len);
    cmp_err err;

    ck_assert_msg(buf != NULL, "bad hex in case %s", c->name);
    err = cmp_der_walk(buf, len, &lim, &off);
    ck_assert_msg(err == c->want, "%s: got %s want %s", c->name, cmp_err_name(err),
                  cmp_err_name(c->want));
    if (c->want != CMP_OK) {
        ck_assert_msg(off == c->want_off, "%s: offset %zu want %zu", c->name, off, c->want_off);
    }
    free(buf);
}
END_TEST

/* Every proper prefix of a valid encoding fails, in an exact-size buffer. */
START_TEST(test_cmp_der_walk_prefixes)
{
    size_t len = 0, i;
    uint8_t *full = testlib_hex("3010 a003 020101 3009 0402 aabb 0403 010203", &len);

    ck_assert_ptr_nonnull(full);
    ck_assert_int_eq(cmp_der_walk(full, len, &lim, NULL), CMP_OK);
    for (i = 0; i < len; i++) {
        uint8_t *p = testlib_dup(full, i);
        ck_assert_int_ne(cmp_der_walk(p, i, &lim, NULL), CMP_OK);
        free(p);
    }
    free(full);
}
END_TEST

START_TEST(test_cmp_der_walk_size_limit)
{
    static const cmp_der_limits small = {4, 8};
    uint8_t buf[5] = {0x04, 0x03, 1, 2, 3};

    ck_assert_int_eq(cmp_der_walk(buf, sizeof(buf), &small, NULL), CMP_ERR_MSG_TOO_LARGE);
    ck_assert_int_eq(cmp_der_walk(NULL, 0, &lim, NULL), CMP_ERR_ARG);
}
END_TEST

START_TEST(test_cmp_rd_get_tlv)
{
    static const uint8_t der[] = {0x30, 0x05, 0xa0, 0x03, 0x02, 0x01, 0x07, 0x05, 0x00};
    cmp_rd rd, inner;
    cmp_tlv t, u;
    uint8_t tag;

    cmp_rd_init(&rd, der, sizeof(der));
    ck_assert_int_eq(cmp_rd_get_tlv(&rd, 0x31, &t), CMP_ERR_DER_TAG);
    ck_assert_int_eq(cmp_rd_get_tlv(&rd, 0x30, &t), CMP_OK);
    ck_assert_uint_eq(t.whole.len, 7);
    ck_assert_uint_eq(t.contents.len, 5);
    cmp_rd_contents(&t, &inner);
    ck_assert_uint_eq(inner.off, 2);
    ck_assert_int_eq(cmp_rd_get_tlv(&inner, 0xa0, &u), CMP_OK);
    ck_assert_uint_eq(u.off, 2);
    ck_assert_int_eq(cmp_rd_peek_tag(&inner, &tag), 0);
    ck_assert_int_eq(cmp_rd_peek_tag(&rd, &tag), 1);
    ck_assert_uint_eq(tag, 0x05);
    ck_assert_int_eq(cmp_rd_get_tlv(&rd, 0x05, &t), CMP_OK);
    ck_assert_uint_eq(cmp_rd_left(&rd), 0);
    ck_assert_int_eq(cmp_rd_get_u8(&rd, &tag), CMP_ERR_DER_TRUNCATED);
    ck_assert_int_eq(cmp_rd_get_tlv(&rd, 0x05, &t), CMP_ERR_DER_TRUNCATED);
}
END_TEST

static Suite *cmp_rd_suite(void)
{
    Suite *s = suite_create("rd");
    TCase *tc = tcase_create("rd");

    tcase_add_loop_test(tc, test_cmp_der_walk_table, 0,
                        (int)(sizeof(walk_cases) / sizeof(walk_cases[0])));
    tcase_add_test(tc, test_cmp_der_walk_prefixes);
    tcase_add_test(tc, test_cmp_der_walk_size_limit);
    tcase_add_test(tc, test_cmp_rd_get_tlv);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(cmp_rd_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
