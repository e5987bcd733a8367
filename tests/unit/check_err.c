/* SPDX-License-Identifier: Apache-2.0 */
/* tests/unit/check_err.c: the error table (cmp/err.h, stack/err.c). */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "cmp/err.h"

/* Walk the whole table: every code has a distinct value and name, a
 * sentence, a class that matches its range, and a failure-info bit that is
 * either none or a real PKIFailureInfo bit with an RFC 4210 name. */
START_TEST(test_err_table_walk)
{
    size_t n = cmp_err_count(), i, j;

    ck_assert_uint_gt(n, 50);
    for (i = 0; i < n; i++) {
        cmp_err e = cmp_err_at(i);
        int fi = cmp_err_failinfo(e);
        ck_assert_str_ne(cmp_err_name(e), "CMP_ERR_UNKNOWN");
        ck_assert_uint_gt(strlen(cmp_err_str(e)), 5);
        ck_assert(strncmp(cmp_err_name(e), "CMP_", 4) == 0);
        ck_assert(fi == CMP_FI_NONE || cmp_failinfo_name(fi) != NULL);
        for (j = i + 1; j < n; j++) {
            ck_assert_int_ne(e, cmp_err_at(j));
            ck_assert_str_ne(cmp_err_name(e), cmp_err_name(cmp_err_at(j)));
        }
        if (e == CMP_OK) {
            ck_assert_int_eq(cmp_err_class_of(e), CMP_ERRC_OK);
        } else {
            ck_assert_int_lt(e, 0);
        }
    }
}
END_TEST

START_TEST(test_err_class_ranges)
{
    ck_assert_int_eq(cmp_err_class_of(CMP_ERR_ARG), CMP_ERRC_USAGE);
    ck_assert_int_eq(cmp_err_class_of(CMP_ERR_NOMEM), CMP_ERRC_ALLOC);
    ck_assert_int_eq(cmp_err_class_of(CMP_ERR_TIMEOUT), CMP_ERRC_IO);
    ck_assert_int_eq(cmp_err_class_of(CMP_ERR_RECIP_NONCE), CMP_ERRC_PROTO);
    ck_assert_int_eq(cmp_err_class_of(CMP_ERR_SIGNATURE), CMP_ERRC_CRYPTO);
    ck_assert_int_eq(cmp_err_class_of(CMP_ERR_INTERNAL), CMP_ERRC_INTERNAL);
}
END_TEST

/* Protocol errors map to the failure-info bits RFC 4210 section 5.2.3 names
 * for them; spot-check the ones the server depends on. */
START_TEST(test_err_failinfo_mapping)
{
    ck_assert_int_eq(cmp_err_failinfo(CMP_ERR_RECIP_NONCE), CMP_FI_BAD_RECIPIENT_NONCE);
    ck_assert_int_eq(cmp_err_failinfo(CMP_ERR_SENDER_NONCE), CMP_FI_BAD_SENDER_NONCE);
    ck_assert_int_eq(cmp_err_failinfo(CMP_ERR_PROTECTION_INVALID), CMP_FI_BAD_MESSAGE_CHECK);
    ck_assert_int_eq(cmp_err_failinfo(CMP_ERR_POPO), CMP_FI_BAD_POP);
    ck_assert_int_eq(cmp_err_failinfo(CMP_ERR_PVNO), CMP_FI_UNSUPPORTED_VERSION);
    ck_assert_int_eq(cmp_err_failinfo(CMP_ERR_DECODE), CMP_FI_BAD_DATA_FORMAT);
    ck_assert_int_eq(cmp_err_failinfo(CMP_ERR_TRANSACTION_IN_USE), CMP_FI_TRANSACTION_ID_IN_USE);
    ck_assert_int_eq(cmp_err_failinfo(CMP_ERR_SIGNER_UNTRUSTED), CMP_FI_SIGNER_NOT_TRUSTED);
    ck_assert_int_eq(cmp_err_failinfo(CMP_ERR_TEMPLATE), CMP_FI_BAD_CERT_TEMPLATE);
    ck_assert_int_eq(cmp_err_failinfo(CMP_ERR_CERT_HASH), CMP_FI_BAD_CERT_ID);
}
END_TEST

START_TEST(test_err_unknown_code)
{
    ck_assert_str_eq(cmp_err_name((cmp_err)-999), "CMP_ERR_UNKNOWN");
    ck_assert_str_eq(cmp_err_str((cmp_err)-999), "unknown error code");
    ck_assert_ptr_null(cmp_failinfo_name(-1));
    ck_assert_ptr_null(cmp_failinfo_name(CMP_FI_MAX + 1));
    ck_assert_str_eq(cmp_failinfo_name(CMP_FI_BAD_ALG), "badAlg");
    ck_assert_str_eq(cmp_failinfo_name(CMP_FI_DUPLICATE_CERT_REQ), "duplicateCertReq");
}
END_TEST

static Suite *cmp_err_suite(void)
{
    Suite *s = suite_create("err");
    TCase *tc = tcase_create("table");

    tcase_add_test(tc, test_err_table_walk);
    tcase_add_test(tc, test_err_class_ranges);
    tcase_add_test(tc, test_err_failinfo_mapping);
    tcase_add_test(tc, test_err_unknown_code);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(cmp_err_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
