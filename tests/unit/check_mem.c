/* SPDX-License-Identifier: Apache-2.0 */
/* tests/unit/check_mem.c: the allocator seam and the constant-time helpers. */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cmp/mem.h"
#include "testlib.h"

START_TEST(test_cmp_calloc_overflow)
{
    ck_assert_ptr_null(cmp_calloc(SIZE_MAX / 2, 4));
}
END_TEST

START_TEST(test_cmp_calloc_zeroes)
{
    unsigned char *p = cmp_calloc(16, 4);
    size_t i;

    ck_assert_ptr_nonnull(p);
    for (i = 0; i < 64; i++) {
        ck_assert_uint_eq(p[i], 0);
    }
    cmp_free(p);
    cmp_free(NULL);
}
END_TEST

START_TEST(test_cmp_failing_allocator)
{
    void *a, *b;

    testlib_fail_alloc_after(1);
    a = cmp_malloc(8);
    b = cmp_malloc(8);
    ck_assert_ptr_nonnull(a);
    ck_assert_ptr_null(b);
    cmp_free(a);
    cmp_set_allocator(NULL);
    a = cmp_malloc(8);
    ck_assert_ptr_nonnull(a);
    cmp_free(a);
}
END_TEST

START_TEST(test_cmp_ct_eq)
{
    const uint8_t x[4] = {1, 2, 3, 4}, y[4] = {1, 2, 3, 5};

    ck_assert_int_eq(cmp_ct_eq(x, x, 4), 1);
    ck_assert_int_eq(cmp_ct_eq(x, y, 4), 0);
    ck_assert_int_eq(cmp_ct_eq(x, y, 3), 1);
    ck_assert_int_eq(cmp_ct_eq(x, y, 0), 1);
}
END_TEST

START_TEST(test_cmp_wipe_and_buf_cleanup)
{
    uint8_t k[8] = {9, 9, 9, 9, 9, 9, 9, 9};
    cmp_buf b;
    size_t i;

    cmp_wipe(k, sizeof(k));
    for (i = 0; i < sizeof(k); i++) {
        ck_assert_uint_eq(k[i], 0);
    }
    b.data = cmp_malloc(4);
    b.len = 4;
    ck_assert_ptr_nonnull(b.data);
    cmp_buf_cleanup(&b);
    ck_assert_ptr_null(b.data);
    ck_assert_uint_eq(b.len, 0);
    cmp_buf_cleanup(NULL);
}
END_TEST

static Suite *cmp_mem_suite(void)
{
    Suite *s = suite_create("mem");
    TCase *tc = tcase_create("mem");

    tcase_add_test(tc, test_cmp_calloc_overflow);
    tcase_add_test(tc, test_cmp_calloc_zeroes);
    tcase_add_test(tc, test_cmp_failing_allocator);
    tcase_add_test(tc, test_cmp_ct_eq);
    tcase_add_test(tc, test_cmp_wipe_and_buf_cleanup);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(cmp_mem_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
