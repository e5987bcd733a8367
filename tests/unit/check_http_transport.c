/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tests/unit/check_http_transport.c: the transport interface
 * (cmp/transport.h): the wrapper's ownership rules, and the in-memory
 * transport that scripts responses for client tests.
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cmp/mem.h"
#include "cmp/transport.h"
#include "testlib.h"

/* A script: the responses to give, in order, and what was asked. */
typedef struct script {
    const char *const *rsps; /* NULL entry: answer without a body */
    const int *statuses;     /* NULL: all 200 */
    const cmp_err *errs;     /* NULL: all CMP_OK */
    size_t num, next;
    char last_path[64];
    uint8_t last_req[64];
    size_t last_req_len;
} script;

static cmp_err script_handler(void *arg, const char *path, const uint8_t *req, size_t req_len,
                              uint8_t **rsp, size_t *rsp_len, int *status)
{
    script *s = arg;
    size_t i = s->next++;

    ck_assert_ptr_nonnull(path);
    ck_assert_int_eq(*status, 200);
    ck_assert_ptr_null(*rsp);
    ck_assert_uint_lt(i, s->num);
    strncpy(s->last_path, path, sizeof(s->last_path) - 1);
    ck_assert_uint_le(req_len, sizeof(s->last_req));
    if (req_len > 0) {
        memcpy(s->last_req, req, req_len);
    }
    s->last_req_len = req_len;
    if (s->statuses != NULL) {
        *status = s->statuses[i];
    }
    if (s->rsps[i] != NULL) {
        size_t n = strlen(s->rsps[i]);

        *rsp = cmp_malloc(n);
        if (*rsp == NULL) {
            return CMP_ERR_NOMEM;
        }
        memcpy(*rsp, s->rsps[i], n);
        *rsp_len = n;
    }
    return s->errs != NULL ? s->errs[i] : CMP_OK;
}

START_TEST(test_transport_mem_script)
{
    static const char *const rsps[] = {"ip", "pollRep", "pkiconf"};
    script s;
    cmp_transport *t = NULL;
    uint8_t *rsp = NULL;
    size_t rsp_len = 0, i;
    int status = 0;

    memset(&s, 0, sizeof(s));
    s.rsps = rsps;
    s.num = 3;
    ck_assert_int_eq(cmp_transport_mem_new(&t, script_handler, &s, NULL), CMP_OK);
    for (i = 0; i < 3; i++) {
        ck_assert_int_eq(cmp_transport_exchange(t, &rsp, &rsp_len, &status,
                                                (const uint8_t *)"req", 3),
                         CMP_OK);
        ck_assert_int_eq(status, 200);
        ck_assert_uint_eq(rsp_len, strlen(rsps[i]));
        ck_assert(memcmp(rsp, rsps[i], rsp_len) == 0);
        cmp_free(rsp);
    }
    ck_assert_str_eq(s.last_path, "/.well-known/cmp");
    ck_assert_uint_eq(s.last_req_len, 3);
    ck_assert(memcmp(s.last_req, "req", 3) == 0);
    cmp_transport_close(t);
    cmp_transport_free(t);
}
END_TEST

START_TEST(test_transport_mem_path_and_empty)
{
    static const char *const rsps[] = {NULL};
    script s;
    cmp_transport *t = NULL;
    uint8_t *rsp = NULL;
    size_t rsp_len = 1;

    memset(&s, 0, sizeof(s));
    s.rsps = rsps;
    s.num = 1;
    ck_assert_int_eq(cmp_transport_mem_new(&t, script_handler, &s, "/.well-known/cmp/p/x"),
                     CMP_OK);
    /* 200 without a body: an empty, non-NULL buffer; status may be NULL */
    ck_assert_int_eq(cmp_transport_exchange(t, &rsp, &rsp_len, NULL, NULL, 0), CMP_OK);
    ck_assert_ptr_nonnull(rsp);
    ck_assert_uint_eq(rsp_len, 0);
    ck_assert_str_eq(s.last_path, "/.well-known/cmp/p/x");
    cmp_free(rsp);
    cmp_transport_free(t);
}
END_TEST

/* A non-200 status hands over the body, as HTTP does for CMP errors. */
START_TEST(test_transport_mem_status)
{
    static const char *const rsps[] = {"error", NULL};
    static const int statuses[] = {500, 404};
    script s;
    cmp_transport *t = NULL;
    uint8_t *rsp = NULL;
    size_t rsp_len = 0;
    int status = 0;

    memset(&s, 0, sizeof(s));
    s.rsps = rsps;
    s.statuses = statuses;
    s.num = 2;
    ck_assert_int_eq(cmp_transport_mem_new(&t, script_handler, &s, NULL), CMP_OK);
    ck_assert_int_eq(cmp_transport_exchange(t, &rsp, &rsp_len, &status, (const uint8_t *)"r", 1),
                     CMP_ERR_HTTP_STATUS);
    ck_assert_int_eq(status, 500);
    ck_assert_uint_eq(rsp_len, 5);
    ck_assert(memcmp(rsp, "error", 5) == 0);
    cmp_free(rsp);
    ck_assert_int_eq(cmp_transport_exchange(t, &rsp, &rsp_len, &status, (const uint8_t *)"r", 1),
                     CMP_ERR_HTTP_STATUS);
    ck_assert_int_eq(status, 404);
    ck_assert_ptr_null(rsp);
    ck_assert_uint_eq(rsp_len, 0);
    cmp_transport_free(t);
}
END_TEST

/* A handler error comes back unchanged, and its buffer is not leaked. */
START_TEST(test_transport_mem_handler_error)
{
    static const char *const rsps[] = {"ignored"};
    static const cmp_err errs[] = {CMP_ERR_TIMEOUT};
    script s;
    cmp_transport *t = NULL;
    uint8_t *rsp = NULL;
    size_t rsp_len = 0;
    int status = -1;

    memset(&s, 0, sizeof(s));
    s.rsps = rsps;
    s.errs = errs;
    s.num = 1;
    ck_assert_int_eq(cmp_transport_mem_new(&t, script_handler, &s, NULL), CMP_OK);
    ck_assert_int_eq(cmp_transport_exchange(t, &rsp, &rsp_len, &status, (const uint8_t *)"r", 1),
                     CMP_ERR_TIMEOUT);
    ck_assert_ptr_null(rsp);
    ck_assert_uint_eq(rsp_len, 0);
    ck_assert_int_eq(status, 0);
    cmp_transport_free(t);
}
END_TEST

START_TEST(test_transport_args)
{
    script s;
    cmp_transport *t = (cmp_transport *)&s;
    uint8_t *rsp = (uint8_t *)&s;
    size_t rsp_len = 7;

    memset(&s, 0, sizeof(s));
    ck_assert_int_eq(cmp_transport_mem_new(&t, NULL, NULL, NULL), CMP_ERR_ARG);
    ck_assert_ptr_null(t);
    ck_assert_int_eq(cmp_transport_mem_new(NULL, script_handler, &s, NULL), CMP_ERR_ARG);
    ck_assert_int_eq(cmp_transport_new(&t, NULL, NULL), CMP_ERR_ARG);
    ck_assert_int_eq(cmp_transport_exchange(NULL, &rsp, &rsp_len, NULL, NULL, 0), CMP_ERR_ARG);
    ck_assert_ptr_null(rsp);
    ck_assert_uint_eq(rsp_len, 0);
    ck_assert_int_eq(cmp_transport_exchange(NULL, NULL, &rsp_len, NULL, NULL, 0), CMP_ERR_ARG);
    ck_assert_int_eq(cmp_transport_mem_new(&t, script_handler, &s, NULL), CMP_OK);
    ck_assert_int_eq(cmp_transport_exchange(t, &rsp, &rsp_len, NULL, NULL, 5), CMP_ERR_ARG);
    cmp_transport_free(t);
    cmp_transport_close(NULL);
    cmp_transport_free(NULL);
}
END_TEST

/* --- a hand-made implementation that breaks the contract ------------------- */

typedef struct bad_impl {
    cmp_err result;
    int give_buffer;
    int closed, freed;
} bad_impl;

static cmp_err bad_exchange(void *impl, uint8_t **out_rsp, size_t *out_rsp_len, int *out_status,
                            const uint8_t *req, size_t req_len)
{
    bad_impl *b = impl;

    (void)req;
    (void)req_len;
    *out_status = 299;
    if (b->give_buffer) {
        *out_rsp = cmp_malloc(4);
        *out_rsp_len = 4;
    } else {
        *out_rsp_len = 9;
    }
    return b->result;
}

static void bad_close(void *impl)
{
    ((bad_impl *)impl)->closed++;
}

static void bad_free(void *impl)
{
    ((bad_impl *)impl)->freed++;
}

static const cmp_transport_ops bad_ops = {bad_exchange, bad_close, bad_free};

START_TEST(test_transport_contract)
{
    bad_impl b;
    cmp_transport *t = NULL;
    uint8_t *rsp = NULL;
    size_t rsp_len = 0;
    int status = 0;

    memset(&b, 0, sizeof(b));
    ck_assert_int_eq(cmp_transport_new(&t, &bad_ops, &b), CMP_OK);
    /* an error with a buffer: the wrapper frees it */
    b.result = CMP_ERR_IO;
    b.give_buffer = 1;
    ck_assert_int_eq(cmp_transport_exchange(t, &rsp, &rsp_len, &status, NULL, 0), CMP_ERR_IO);
    ck_assert_ptr_null(rsp);
    ck_assert_uint_eq(rsp_len, 0);
    ck_assert_int_eq(status, 299);
    /* success without a buffer is an internal error, and no length leaks */
    b.result = CMP_OK;
    b.give_buffer = 0;
    ck_assert_int_eq(cmp_transport_exchange(t, &rsp, &rsp_len, &status, NULL, 0),
                     CMP_ERR_INTERNAL);
    ck_assert_ptr_null(rsp);
    ck_assert_uint_eq(rsp_len, 0);
    /* a status error may keep its buffer */
    b.result = CMP_ERR_HTTP_STATUS;
    b.give_buffer = 1;
    ck_assert_int_eq(cmp_transport_exchange(t, &rsp, &rsp_len, &status, NULL, 0),
                     CMP_ERR_HTTP_STATUS);
    ck_assert_ptr_nonnull(rsp);
    ck_assert_uint_eq(rsp_len, 4);
    cmp_free(rsp);
    cmp_transport_close(t);
    ck_assert_int_eq(b.closed, 1);
    cmp_transport_free(t);
    ck_assert_int_eq(b.closed, 2);
    ck_assert_int_eq(b.freed, 1);
}
END_TEST

/* Every allocation of the in-memory transport may fail, cleanly. */
START_TEST(test_transport_mem_alloc_failures)
{
    static const char *const rsps[] = {"r", "r", "r", "r", "r", "r", "r", "r"};
    long n;
    int done = 0;

    for (n = 0; !done && n < 20; n++) {
        script s;
        cmp_transport *t = NULL;
        uint8_t *rsp = NULL;
        size_t rsp_len = 0;
        cmp_err err;

        memset(&s, 0, sizeof(s));
        s.rsps = rsps;
        s.num = 8;
        testlib_fail_alloc_after(n);
        err = cmp_transport_mem_new(&t, script_handler, &s, "/x");
        if (err == CMP_OK) {
            err = cmp_transport_exchange(t, &rsp, &rsp_len, NULL, (const uint8_t *)"q", 1);
            done = err == CMP_OK;
            ck_assert(err == CMP_OK || err == CMP_ERR_NOMEM);
        } else {
            ck_assert_int_eq(err, CMP_ERR_NOMEM);
            ck_assert_ptr_null(t);
        }
        cmp_free(rsp);
        cmp_transport_free(t);
    }
    cmp_set_allocator(NULL);
    ck_assert(done);
}
END_TEST

static Suite *cmp_transport_suite(void)
{
    Suite *s = suite_create("transport");
    TCase *tc = tcase_create("transport");

    tcase_add_test(tc, test_transport_mem_script);
    tcase_add_test(tc, test_transport_mem_path_and_empty);
    tcase_add_test(tc, test_transport_mem_status);
    tcase_add_test(tc, test_transport_mem_handler_error);
    tcase_add_test(tc, test_transport_args);
    tcase_add_test(tc, test_transport_contract);
    tcase_add_test(tc, test_transport_mem_alloc_failures);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(cmp_transport_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
