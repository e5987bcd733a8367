/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tests/bench/bench_decode.c: what receiving a PKIMessage costs in the
 * message layer: cmp_msg_decode (strict: DER walk, value scan, raw spans,
 * ber_decode, constraints, re-encoding comparison; and lenient) against
 * OpenSSL's d2i_OSSL_CMP_MSG on the same bytes, measured in the same run,
 * for the smallest and the largest real message of tests/data; and the
 * allocations one decode makes, over every real message.
 *
 * Not a test: it prints numbers and the ratio ours/OpenSSL in time per
 * decode (below 1 means we are faster). Run with "make bench"; an optional
 * argument sets the seconds spent on each measurement (default 0.5).
 * OpenSSL is linked into this program only; the library never sees it.
 */
#include <openssl/cmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmp/mem.h"
#include "cmp/msg.h"

#include <dirent.h>

static double g_seconds = 0.5;

typedef struct input {
    char name[256];
    unsigned char *der;
    size_t len;
} input;

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *what)
{
    fprintf(stderr, "bench_decode: %s\n", what);
    exit(1);
}

/* ---- a counting allocator ------------------------------------------------ */

static long g_allocs, g_frees, g_reallocs;
static size_t g_bytes;

static void *count_malloc(void *arg, size_t size)
{
    (void)arg;
    g_allocs++;
    g_bytes += size;
    return malloc(size);
}

static void *count_realloc(void *arg, void *ptr, size_t size)
{
    (void)arg;
    if (ptr == NULL) {
        g_allocs++;
    } else {
        g_reallocs++;
    }
    g_bytes += size;
    return realloc(ptr, size);
}

static void count_free(void *arg, void *ptr)
{
    (void)arg;
    if (ptr != NULL) {
        g_frees++;
    }
    free(ptr);
}

/* ---- inputs ---------------------------------------------------------------- */

static size_t load_dir(const char *dir, input **all, size_t n)
{
    DIR *d = opendir(dir);
    struct dirent *e;

    if (d == NULL) {
        die("cannot open the test data (set CMP_TEST_DATA)");
    }
    while ((e = readdir(d)) != NULL) {
        size_t nl = strlen(e->d_name);
        char path[1024];
        FILE *f;
        long sz;

        if (nl < 5 || strcmp(&e->d_name[nl - 4], ".der") != 0) {
            continue;
        }
        snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
        f = fopen(path, "rb");
        if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (sz = ftell(f)) <= 0 ||
            fseek(f, 0, SEEK_SET) != 0) {
            die("cannot read a message");
        }
        *all = realloc(*all, (n + 1) * sizeof(**all));
        if (*all == NULL) {
            die("out of memory");
        }
        snprintf((*all)[n].name, sizeof((*all)[n].name), "%s", e->d_name);
        (*all)[n].len = (size_t)sz;
        (*all)[n].der = malloc((size_t)sz);
        if ((*all)[n].der == NULL || fread((*all)[n].der, 1, (size_t)sz, f) != (size_t)sz) {
            die("cannot read a message");
        }
        fclose(f);
        n++;
    }
    closedir(d);
    return n;
}

/* ---- the three decoders ---------------------------------------------------- */

static int ours(const input *in, int lenient)
{
    cmp_decode_opts opts = {lenient, 0, 0};
    cmp_msg *m = NULL;

    if (cmp_msg_decode(&m, in->der, in->len, &opts, NULL) != CMP_OK) {
        return -1;
    }
    cmp_msg_free(m);
    return 0;
}

static int theirs(const input *in)
{
    const unsigned char *p = in->der;
    OSSL_CMP_MSG *m = d2i_OSSL_CMP_MSG(NULL, &p, (long)in->len);

    if (m == NULL) {
        return -1;
    }
    OSSL_CMP_MSG_free(m);
    return 0;
}

/* Microseconds per decode of |in| by decoder |which| (0 strict, 1 lenient,
 * 2 OpenSSL), over about g_seconds. */
static double us_per_op(const input *in, int which)
{
    double start = now_s(), t;
    long n = 0;

    do {
        int r = which == 2 ? theirs(in) : ours(in, which);
        if (r != 0) {
            die("a decode failed");
        }
        n++;
        t = now_s() - start;
    } while (t < g_seconds);
    return t * 1e6 / (double)n;
}

static void time_one(const char *label, const input *in)
{
    double strict = us_per_op(in, 0), lenient = us_per_op(in, 1), ossl = us_per_op(in, 2);

    printf("%-8s %-52s %5zu B  strict %8.2f us  lenient %8.2f us  OpenSSL %8.2f us"
           "  strict/OpenSSL %.2f\n",
           label, in->name, in->len, strict, lenient, ossl, strict / ossl);
}

int main(int argc, char **argv)
{
    static const cmp_allocator counting = {count_malloc, count_realloc, count_free, NULL};
    const char *data = getenv("CMP_TEST_DATA");
    char dir[1024];
    input *all = NULL;
    size_t n = 0, i, small = 0, large = 0;
    long amin = -1, amax = 0, asum = 0;
    size_t bsum = 0;

    if (argc > 1) {
        g_seconds = atof(argv[1]);
    }
    if (data == NULL) {
        data = "tests/data";
    }
    snprintf(dir, sizeof(dir), "%s/bouncycastle", data);
    n = load_dir(dir, &all, n);
    snprintf(dir, sizeof(dir), "%s/openssl", data);
    n = load_dir(dir, &all, n);
    if (n == 0) {
        die("no messages");
    }
    for (i = 0; i < n; i++) {
        if (all[i].len < all[small].len) {
            small = i;
        }
        if (all[i].len > all[large].len) {
            large = i;
        }
    }

    /* Allocation calls (malloc and realloc) per strict decode; every block is
     * freed again. */
    cmp_set_allocator(&counting);
    for (i = 0; i < n; i++) {
        long a;
        g_allocs = g_frees = g_reallocs = 0;
        g_bytes = 0;
        if (ours(&all[i], 0) != 0) {
            die("a decode failed");
        }
        if (g_allocs != g_frees) {
            die("allocations and frees differ");
        }
        a = g_allocs + g_reallocs;
        asum += a;
        bsum += g_bytes;
        amin = amin < 0 || a < amin ? a : amin;
        amax = a > amax ? a : amax;
        if (i == small || i == large) {
            printf("allocations %-52s %5zu B: %ld (%zu bytes requested)\n", all[i].name,
                   all[i].len, a, g_bytes);
        }
    }
    cmp_set_allocator(NULL);
    printf("allocations per strict decode over %zu messages: min %ld, mean %.1f, max %ld;"
           " %.0f bytes requested on average\n",
           n, amin, (double)asum / (double)n, amax, (double)bsum / (double)n);

    time_one("smallest", &all[small]);
    time_one("largest", &all[large]);

    for (i = 0; i < n; i++) {
        free(all[i].der);
    }
    free(all);
    return 0;
}
