/* SPDX-License-Identifier: Apache-2.0 */
/* tests/lib/testlib.c: see testlib.h. */
#include "testlib.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmp/mem.h"

const char *testlib_path(const char *rel)
{
    static char buf[4096];
    const char *top = getenv("CMP_TEST_DATA");

    if (top == NULL) {
        top = "tests/data";
    }
    snprintf(buf, sizeof(buf), "%s/%s", top, rel);
    return buf;
}

uint8_t *testlib_load(const char *path, size_t *out_len)
{
    FILE *f = fopen(path, "rb");
    uint8_t *buf = NULL;
    long size;

    *out_len = 0;
    if (f == NULL) {
        return NULL;
    }
    if (fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
        fclose(f);
        return NULL;
    }
    buf = malloc(size == 0 ? 1 : (size_t)size);
    if (buf != NULL && size > 0 && fread(buf, 1, (size_t)size, f) != (size_t)size) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    if (buf != NULL) {
        *out_len = (size_t)size;
    }
    return buf;
}

uint8_t *testlib_dup(const void *data, size_t len)
{
    uint8_t *p = malloc(len == 0 ? 1 : len);

    if (p != NULL && len > 0) {
        memcpy(p, data, len);
    }
    return p;
}

static int hexval(int c)
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

uint8_t *testlib_hex(const char *hex, size_t *out_len)
{
    size_t n = 0, i;
    uint8_t *out;
    int hi = -1;

    for (i = 0; hex[i] != '\0'; i++) {
        if (hexval(hex[i]) >= 0) {
            n++;
        } else if (hex[i] != ' ' && hex[i] != '\n' && hex[i] != ':') {
            return NULL;
        }
    }
    if (n % 2 != 0) {
        return NULL;
    }
    out = malloc(n / 2 == 0 ? 1 : n / 2);
    if (out == NULL) {
        return NULL;
    }
    n = 0;
    for (i = 0; hex[i] != '\0'; i++) {
        int v = hexval(hex[i]);
        if (v < 0) {
            continue;
        }
        if (hi < 0) {
            hi = v;
        } else {
            out[n++] = (uint8_t)(hi << 4 | v);
            hi = -1;
        }
    }
    *out_len = n;
    return out;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

size_t testlib_list_dir(const char *dir, const char *suffix, char ***out_paths)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char **paths = NULL;
    size_t n = 0, cap = 0, sl = strlen(suffix);

    *out_paths = NULL;
    if (d == NULL) {
        return 0;
    }
    while ((e = readdir(d)) != NULL) {
        size_t nl = strlen(e->d_name);
        char *p;
        if (e->d_name[0] == '.' || nl < sl || strcmp(e->d_name + nl - sl, suffix) != 0) {
            continue;
        }
        if (n == cap) {
            char **np;
            cap = cap ? cap * 2 : 16;
            np = realloc(paths, cap * sizeof(*paths));
            if (np == NULL) {
                break;
            }
            paths = np;
        }
        p = malloc(strlen(dir) + nl + 2);
        if (p == NULL) {
            break;
        }
        sprintf(p, "%s/%s", dir, e->d_name);
        paths[n++] = p;
    }
    closedir(d);
    if (n > 1) {
        qsort(paths, n, sizeof(*paths), cmp_str);
    }
    *out_paths = paths;
    return n;
}

void testlib_free_list(char **paths, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        free(paths[i]);
    }
    free(paths);
}

/* The failing allocator, installed through the library's seam. */
static long fail_after = -1;
static long alloc_count;

static void *fa_malloc(void *arg, size_t size)
{
    (void)arg;
    if (fail_after >= 0 && alloc_count++ >= fail_after) {
        return NULL;
    }
    if (fail_after < 0) {
        alloc_count++;
    }
    return malloc(size);
}

static void *fa_realloc(void *arg, void *ptr, size_t size)
{
    (void)arg;
    if (fail_after >= 0 && alloc_count++ >= fail_after) {
        return NULL;
    }
    if (fail_after < 0) {
        alloc_count++;
    }
    return realloc(ptr, size);
}

static void fa_free(void *arg, void *ptr)
{
    (void)arg;
    free(ptr);
}

void testlib_fail_alloc_after(long n)
{
    static const cmp_allocator fa = {fa_malloc, fa_realloc, fa_free, NULL};

    fail_after = n;
    alloc_count = 0;
    cmp_set_allocator(&fa);
}

long testlib_alloc_count(void)
{
    return alloc_count;
}
