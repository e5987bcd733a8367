/* SPDX-License-Identifier: Apache-2.0 */
/* tests/unit/check_crypto_util.c: see check_crypto_util.h. */
#include "check_crypto_util.h"

#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testlib.h"

const char *ct_data_path(const char *rel)
{
    static char buf[4][4096];
    static int i;
    char r[1024];

    i = (i + 1) % 4;
    snprintf(r, sizeof(r), "crypto/%s", rel);
    snprintf(buf[i], sizeof(buf[i]), "%s", testlib_path(r));
    return buf[i];
}

cmp_span ct_load(const char *rel)
{
    size_t n = 0;
    uint8_t *p = testlib_load(ct_data_path(rel), &n);

    ck_assert_msg(p != NULL, "cannot read fixture %s", rel);
    return (cmp_span){p, n};
}

void ct_free(cmp_span s)
{
    free((void *)s.data);
}

cmp_span ct_dup(cmp_span s)
{
    return (cmp_span){testlib_dup(s.data, s.len), s.len};
}

cmp_crypto *ct_prov(void)
{
    cmp_crypto *c = NULL;

    ck_assert_int_eq(cmp_crypto_wolfssl_new(&c), CMP_OK);
    ck_assert_ptr_nonnull(c);
    return c;
}

cmp_key *ct_key(cmp_crypto *c, const char *name)
{
    char rel[256];
    cmp_key *k = NULL;
    cmp_span d;
    cmp_err e;

    snprintf(rel, sizeof(rel), "keys/%s", name);
    d = ct_load(rel);
    e = cmp_crypto_key_load(c, &k, d, (cmp_span){NULL, 0});
    ct_free(d);
    ck_assert_msg(e == CMP_OK, "loading %s: %s", name, cmp_err_name(e));
    return k;
}

int ct_have_openssl(void)
{
    return system("openssl version >/dev/null 2>&1") == 0;
}

static char tmp_dir[512];

static void remove_tmpdir(void)
{
    char cmd[600];

    if (tmp_dir[0] != '\0') {
        snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp_dir);
        if (system(cmd) != 0) {
            fprintf(stderr, "could not remove %s\n", tmp_dir);
        }
        tmp_dir[0] = '\0';
    }
}

const char *ct_tmpdir(void)
{
    const char *base = getenv("TMPDIR");

    if (tmp_dir[0] == '\0') {
        snprintf(tmp_dir, sizeof(tmp_dir), "%s/cmp-crypto-XXXXXX", base != NULL ? base : "/tmp");
        ck_assert_ptr_nonnull(mkdtemp(tmp_dir));
        atexit(remove_tmpdir);
    }
    return tmp_dir;
}

const char *ct_tmpfile(const char *name)
{
    static char buf[4][1024];
    static int i;

    i = (i + 1) % 4;
    snprintf(buf[i], sizeof(buf[i]), "%s/%s", ct_tmpdir(), name);
    return buf[i];
}

void ct_write(const char *path, cmp_span data)
{
    FILE *f = fopen(path, "wb");

    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(data.data, 1, data.len, f), data.len);
    ck_assert_int_eq(fclose(f), 0);
}

cmp_span ct_read(const char *path)
{
    size_t n = 0;
    uint8_t *p = testlib_load(path, &n);

    ck_assert_msg(p != NULL, "cannot read %s", path);
    return (cmp_span){p, n};
}

int ct_run(const char *fmt, ...)
{
    char cmd[4096], full[4200];
    va_list ap;
    int rc;

    va_start(ap, fmt);
    vsnprintf(cmd, sizeof(cmd), fmt, ap);
    va_end(ap);
    snprintf(full, sizeof(full), "%s >/dev/null 2>&1", cmd);
    rc = system(full);
    return rc == -1 ? -1 : WEXITSTATUS(rc);
}

char *ct_capture(const char *fmt, ...)
{
    char cmd[4096];
    char *out = NULL;
    size_t len = 0, cap = 0, n;
    char chunk[4096];
    va_list ap;
    FILE *p;

    va_start(ap, fmt);
    vsnprintf(cmd, sizeof(cmd), fmt, ap);
    va_end(ap);
    p = popen(cmd, "r");
    ck_assert_ptr_nonnull(p);
    while ((n = fread(chunk, 1, sizeof(chunk), p)) > 0) {
        if (len + n + 1 > cap) {
            cap = (len + n + 1) * 2;
            out = realloc(out, cap);
            ck_assert_ptr_nonnull(out);
        }
        memcpy(out + len, chunk, n);
        len += n;
    }
    pclose(p);
    if (out == NULL) {
        out = calloc(1, 1);
        ck_assert_ptr_nonnull(out);
    }
    out[len] = '\0';
    return out;
}
