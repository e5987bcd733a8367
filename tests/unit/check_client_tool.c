/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tests/unit/check_client_tool.c: the tools' helpers (tools/tool_util.c):
 * the atomic writer keeps old credential files byte-identical when a write
 * fails or is abandoned, key files get mode 0600, PEM round trips, pass
 * phrase sources, the request extensions encoder.
 */
#define _POSIX_C_SOURCE 200809L

#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testlib.h"
#include "tool_util.h"

static char dir[256];

static void mkscratch(void)
{
    snprintf(dir, sizeof(dir), "%s/cmpstack-tool.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void rmscratch(void)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char p[512];

    while (d != NULL && (e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
            snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
            unlink(p);
        }
    }
    if (d != NULL) {
        closedir(d);
    }
    rmdir(dir);
}

static size_t count_entries(void)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    size_t n = 0;

    while (d != NULL && (e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
            n++;
        }
    }
    if (d != NULL) {
        closedir(d);
    }
    return n;
}

static void put(const char *name, const char *content)
{
    char p[512];
    FILE *f;

    snprintf(p, sizeof(p), "%s/%s", dir, name);
    f = fopen(p, "wb");
    ck_assert_ptr_nonnull(f);
    fputs(content, f);
    fclose(f);
}

static int same(const char *name, const char *content)
{
    char p[512];
    uint8_t *d;
    size_t n;
    int r;

    snprintf(p, sizeof(p), "%s/%s", dir, name);
    if (tool_read_file(p, &d, &n) != 0) {
        return 0;
    }
    r = n == strlen(content) && memcmp(d, content, n) == 0;
    free(d);
    return r;
}

START_TEST(test_tool_write_atomic_replaces)
{
    char p[512];
    struct stat st;

    mkscratch();
    put("cert.pem", "old certificate");
    snprintf(p, sizeof(p), "%s/cert.pem", dir);
    ck_assert_int_eq(tool_write_atomic(p, "new certificate", 15, 0644), 0);
    ck_assert(same("cert.pem", "new certificate"));
    snprintf(p, sizeof(p), "%s/key.pem", dir);
    ck_assert_int_eq(tool_write_atomic(p, "secret", 6, 0600), 0);
    ck_assert_int_eq(stat(p, &st), 0);
    ck_assert_int_eq(st.st_mode & 0777, 0600);
    ck_assert_uint_eq(count_entries(), 2); /* no temporary file left */
    rmscratch();
}
END_TEST

START_TEST(test_tool_stage_abort_keeps_old)
{
    char pc[512], pk[512];
    tool_staged a, b;

    mkscratch();
    put("device.crt", "OLD CERT BYTES");
    put("device.key", "OLD KEY BYTES");
    snprintf(pc, sizeof(pc), "%s/device.crt", dir);
    snprintf(pk, sizeof(pk), "%s/device.key", dir);
    /* A KUR that fails after the new files were staged: nothing changes. */
    ck_assert_int_eq(tool_stage(&a, pk, "NEW KEY", 7, 0600), 0);
    ck_assert_int_eq(tool_stage(&b, pc, "NEW CERT", 8, 0644), 0);
    ck_assert(same("device.crt", "OLD CERT BYTES"));
    ck_assert(same("device.key", "OLD KEY BYTES"));
    tool_abort(&a);
    tool_abort(&b);
    ck_assert(same("device.crt", "OLD CERT BYTES"));
    ck_assert(same("device.key", "OLD KEY BYTES"));
    ck_assert_uint_eq(count_entries(), 2);
    rmscratch();
}
END_TEST

START_TEST(test_tool_write_fails_keeps_old)
{
    char p[512];

    mkscratch();
    put("device.crt", "OLD CERT BYTES");
    /* The directory cannot take the temporary file: the write fails and
     * the old file is untouched. (Skipped as root, who may write anyway.) */
    if (geteuid() != 0) {
        ck_assert_int_eq(chmod(dir, 0500), 0);
        snprintf(p, sizeof(p), "%s/device.crt", dir);
        ck_assert_int_eq(tool_write_atomic(p, "NEW", 3, 0644), -1);
        ck_assert_int_eq(chmod(dir, 0700), 0);
        ck_assert(same("device.crt", "OLD CERT BYTES"));
    }
    /* A target in a directory that does not exist fails cleanly too. */
    snprintf(p, sizeof(p), "%s/nodir/device.crt", dir);
    ck_assert_int_eq(tool_write_atomic(p, "NEW", 3, 0644), -1);
    ck_assert(same("device.crt", "OLD CERT BYTES"));
    ck_assert_uint_eq(count_entries(), 1);
    rmscratch();
}
END_TEST

START_TEST(test_tool_pem_roundtrip)
{
    uint8_t der[300];
    char *pem = NULL;
    size_t pem_len = 0, i, n;
    tool_der_list l = {NULL, NULL, 0};

    for (n = 0; n < sizeof(der); n += 37) {
        for (i = 0; i < n; i++) {
            der[i] = (uint8_t)(i * 7 + n);
        }
        ck_assert_int_eq(tool_pem_encode(&pem, &pem_len, "CERTIFICATE", der, n), 0);
        ck_assert_int_eq(tool_pem_decode_all(&l, (const uint8_t *)pem, pem_len, "CERTIFICATE"),
                         1);
        ck_assert_uint_eq(l.len[0], n);
        ck_assert(n == 0 || memcmp(l.der[0], der, n) == 0);
        /* a label that is not asked for is skipped */
        ck_assert_int_eq(tool_pem_decode_all(&l, (const uint8_t *)pem, pem_len, "PRIVATE KEY"),
                         0);
        tool_der_list_free(&l);
        free(pem);
    }
    /* malformed: no END line, bad characters */
    ck_assert_int_eq(tool_pem_decode_all(&l, (const uint8_t *)"-----BEGIN X-----\nAAAA\n", 23,
                                         NULL),
                     -1);
    ck_assert_int_eq(tool_pem_decode_all(&l, (const uint8_t *)"-----BEGIN X-----\n*!\n-----END X-----\n",
                                         37, NULL),
                     -1);
    tool_der_list_free(&l);
}
END_TEST

START_TEST(test_tool_get_pass)
{
    char *s = NULL;

    ck_assert_int_eq(tool_get_pass("pass:abc", &s), 0);
    ck_assert_str_eq(s, "abc");
    tool_free_secret(s);
    setenv("CMP_TEST_PASS", "xyz", 1);
    ck_assert_int_eq(tool_get_pass("env:CMP_TEST_PASS", &s), 0);
    ck_assert_str_eq(s, "xyz");
    tool_free_secret(s);
    ck_assert_int_eq(tool_get_pass("env:CMP_TEST_NO_SUCH_VAR", &s), -1);
    ck_assert_int_eq(tool_get_pass("abc", &s), -1);
    mkscratch();
    put("pw", "first line\nsecond\n");
    {
        char src[600];
        snprintf(src, sizeof(src), "file:%s/pw", dir);
        ck_assert_int_eq(tool_get_pass(src, &s), 0);
        ck_assert_str_eq(s, "first line");
        tool_free_secret(s);
    }
    rmscratch();
}
END_TEST

START_TEST(test_tool_exts_encode)
{
    tool_der d;
    /* SEQUENCE { SEQUENCE { OID 2.5.29.17, OCTET STRING { SEQUENCE {
     * [2] "a.example", [7] 127.0.0.1 } } } } */
    static const uint8_t want[] = {0x30, 0x1c, 0x30, 0x1a, 0x06, 0x03, 0x55, 0x1d, 0x11, 0x04,
                                   0x13, 0x30, 0x11, 0x82, 0x09, 'a',  '.',  'e',  'x',  'a',
                                   'm',  'p',  'l',  'e',  0x87, 0x04, 127,  0,    0,    1};
    /* keyUsage digitalSignature: BIT STRING 07 80, critical */
    static const uint8_t want_ku[] = {0x30, 0x10, 0x30, 0x0e, 0x06, 0x03, 0x55, 0x1d, 0x0f,
                                      0x01, 0x01, 0xff, 0x04, 0x04, 0x03, 0x02, 0x07, 0x80};

    ck_assert_int_eq(tool_exts_encode(&d, "a.example,127.0.0.1", 0), 0);
    ck_assert_uint_eq(d.len, sizeof(want));
    ck_assert_mem_eq(d.data, want, sizeof(want));
    free(d.data);
    ck_assert_int_eq(tool_exts_encode(&d, NULL, 1), 0);
    ck_assert_uint_eq(d.len, sizeof(want_ku));
    ck_assert_mem_eq(d.data, want_ku, sizeof(want_ku));
    free(d.data);
    ck_assert_int_eq(tool_exts_encode(&d, NULL, 0), 0);
    ck_assert_uint_eq(d.len, 0);
    free(d.data);
}
END_TEST

static Suite *cmp_client_tool_suite(void)
{
    Suite *s = suite_create("client_tool");
    TCase *tc = tcase_create("tool_util");

    tcase_add_test(tc, test_tool_write_atomic_replaces);
    tcase_add_test(tc, test_tool_stage_abort_keeps_old);
    tcase_add_test(tc, test_tool_write_fails_keeps_old);
    tcase_add_test(tc, test_tool_pem_roundtrip);
    tcase_add_test(tc, test_tool_get_pass);
    tcase_add_test(tc, test_tool_exts_encode);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(cmp_client_tool_suite());
    int failed;

    srunner_run_all(sr, CK_ENV);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
