/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tests/bench/bench_server_ir.c: an in-process load generator for CMP
 * servers. THREADS threads each run IR transactions (ir, ip, certConf,
 * pkiConf) through the client library (cmp/client.h over cmp/http.h) in a
 * loop for SECONDS, against the server URLs given (thread i uses URL
 * i mod n), and it prints one line:
 *
 *   ok=N failed=F seconds=S tps=X p50_ms=Y p99_ms=Z first_error=NAME
 *
 * tps counts completed transactions only; the latencies are those of the
 * completed transactions, from the ir to the pkiConf.
 *
 * Usage: bench_server_ir NEWKEY SECONDS THREADS URL...
 *
 * Requests are signature-protected with the device's vendor certificate
 * ($CMP_TEST_DATA/pki/server/device.crt, the vendor CA sent as extraCerts),
 * responses are checked against the operator root, and every request asks
 * for a certificate of NEWKEY (a PEM key; the same for every transaction, so
 * that a server answering with a fixed certificate passes the client's
 * check). Keys and certificates are loaded before the clock starts. Every
 * message goes on a new connection (keep_alive 0): OpenSSL's mock server
 * closes the connection after each response.
 *
 * Not a test; tests/bench/server_ir.sh runs it against cmpserver and
 * against `openssl cmp -port`.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmp/client.h"
#include "cmp/http.h"
#include "cmp/mem.h"
#include "cmp/msg.h"
#include "cmp_crypto.h"

#define MAX_SAMPLES (1u << 20)

typedef struct worker {
    pthread_t th;
    cmp_crypto *crypto;
    cmp_transport *t;
    cmp_client *ctx;
    double *lat; /* seconds per completed transaction */
    size_t n_ok;
    size_t n_failed;
    cmp_err first_err;
} worker;

static double g_end;

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *what, cmp_err e)
{
    fprintf(stderr, "bench_server_ir: %s: %s\n", what, e == CMP_OK ? "failed" : cmp_err_name(e));
    exit(1);
}

static cmp_span sp(const void *d, size_t n)
{
    cmp_span s;

    s.data = d;
    s.len = n;
    return s;
}

static uint8_t *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    uint8_t *buf;
    long n;

    if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0
        || fseek(f, 0, SEEK_SET) != 0) {
        fprintf(stderr, "bench_server_ir: cannot read %s\n", path);
        exit(1);
    }
    buf = malloc((size_t)n + 1);
    if (buf == NULL || fread(buf, 1, (size_t)n, f) != (size_t)n) {
        fprintf(stderr, "bench_server_ir: cannot read %s\n", path);
        exit(1);
    }
    fclose(f);
    *len = (size_t)n;
    return buf;
}

/* A file of the server test PKI. */
static uint8_t *pki_file(const char *name, size_t *len)
{
    char path[1024];
    const char *top = getenv("CMP_TEST_DATA");

    snprintf(path, sizeof(path), "%s/pki/server/%s", top != NULL ? top : "tests/data", name);
    return read_file(path, len);
}

static int64_t clock_cb(void *arg)
{
    (void)arg;
    return (int64_t)time(NULL);
}

static cmp_key *load_key(cmp_crypto *c, const uint8_t *data, size_t len)
{
    cmp_key *k = NULL;
    cmp_err e = cmp_crypto_key_load(c, &k, sp(data, len), sp(NULL, 0));

    if (e != CMP_OK) {
        die("key", e);
    }
    return k;
}

static void *run(void *arg)
{
    worker *w = arg;

    while (now_s() < g_end) {
        double t0 = now_s();
        cmp_err e = cmp_client_ir(w->ctx);

        cmp_transport_close(w->t);
        if (e == CMP_OK) {
            if (w->n_ok < MAX_SAMPLES) {
                w->lat[w->n_ok] = now_s() - t0;
            }
            w->n_ok++;
        } else {
            if (w->first_err == CMP_OK) {
                w->first_err = e;
            }
            w->n_failed++;
        }
    }
    return NULL;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    size_t dev_len, key_len, vca_len, root_len, opca_len, nk_len, i, n_ok = 0, n_failed = 0, ns = 0;
    uint8_t *dev, *key, *vca, *root, *opca, *nk;
    cmp_buf subj = {NULL, 0};
    double seconds, start, elapsed, *all;
    int threads, nurl;
    worker *ws;
    cmp_err first = CMP_OK;

    if (argc < 5) {
        fprintf(stderr, "usage: bench_server_ir NEWKEY SECONDS THREADS URL...\n");
        return 2;
    }
    seconds = atof(argv[2]);
    threads = atoi(argv[3]);
    nurl = argc - 4;
    if (seconds <= 0 || threads < 1 || threads > 256) {
        fprintf(stderr, "bench_server_ir: bad SECONDS or THREADS\n");
        return 2;
    }
    nk = read_file(argv[1], &nk_len);
    dev = pki_file("device.der", &dev_len);
    key = pki_file("device.key", &key_len);
    vca = pki_file("vendor-ca.der", &vca_len);
    root = pki_file("op-root.der", &root_len);
    opca = pki_file("op-ca.der", &opca_len);
    if (cmp_name_from_string(&subj, "/O=Operator/CN=Bench") != CMP_OK) {
        die("subject", CMP_OK);
    }

    /* Everything is set up before the clock starts. */
    ws = calloc((size_t)threads, sizeof(*ws));
    if (ws == NULL) {
        die("memory", CMP_ERR_NOMEM);
    }
    for (i = 0; i < (size_t)threads; i++) {
        worker *w = &ws[i];
        cmp_http_opts ho;
        cmp_err e;

        cmp_http_opts_init(&ho);
        ho.url = argv[4 + i % (size_t)nurl];
        ho.keep_alive = 0;
        ho.timeout_ms = 30000;
        w->lat = malloc(MAX_SAMPLES * sizeof(double));
        if (w->lat == NULL) {
            die("memory", CMP_ERR_NOMEM);
        }
        if ((e = cmp_crypto_wolfssl_new(&w->crypto)) != CMP_OK) {
            die("crypto", e);
        }
        if ((e = cmp_http_transport_new(&w->t, &ho)) != CMP_OK) {
            die(ho.url, e);
        }
        if ((e = cmp_client_new(&w->ctx, w->crypto, w->t)) != CMP_OK) {
            die("client", e);
        }
        cmp_client_set_clock(w->ctx, clock_cb, NULL);
        if ((e = cmp_client_set1_cert(w->ctx, sp(dev, dev_len))) != CMP_OK
            || (e = cmp_client_set0_key(w->ctx, load_key(w->crypto, key, key_len))) != CMP_OK
            || (e = cmp_client_add1_chain(w->ctx, sp(vca, vca_len))) != CMP_OK
            || (e = cmp_client_add1_trusted(w->ctx, sp(root, root_len))) != CMP_OK
            || (e = cmp_client_add1_untrusted(w->ctx, sp(opca, opca_len))) != CMP_OK
            || (e = cmp_client_set0_newkey(w->ctx, load_key(w->crypto, nk, nk_len))) != CMP_OK
            || (e = cmp_client_set1_subject(w->ctx, sp(subj.data, subj.len))) != CMP_OK) {
            die("client setup", e);
        }
    }

    start = now_s();
    g_end = start + seconds;
    for (i = 0; i < (size_t)threads; i++) {
        if (pthread_create(&ws[i].th, NULL, run, &ws[i]) != 0) {
            die("pthread_create", CMP_OK);
        }
    }
    for (i = 0; i < (size_t)threads; i++) {
        pthread_join(ws[i].th, NULL);
    }
    elapsed = now_s() - start;

    for (i = 0; i < (size_t)threads; i++) {
        n_ok += ws[i].n_ok;
        n_failed += ws[i].n_failed;
        if (first == CMP_OK) {
            first = ws[i].first_err;
        }
    }
    all = malloc((n_ok > 0 ? n_ok : 1) * sizeof(double));
    if (all == NULL) {
        die("memory", CMP_ERR_NOMEM);
    }
    for (i = 0; i < (size_t)threads; i++) {
        size_t k, m = ws[i].n_ok < MAX_SAMPLES ? ws[i].n_ok : MAX_SAMPLES;
        for (k = 0; k < m; k++) {
            all[ns++] = ws[i].lat[k];
        }
    }
    qsort(all, ns, sizeof(double), cmp_double);
    printf("ok=%zu failed=%zu seconds=%.2f tps=%.1f p50_ms=%.1f p99_ms=%.1f first_error=%s\n",
           n_ok, n_failed, elapsed, (double)n_ok / elapsed, ns > 0 ? all[ns / 2] * 1e3 : 0.0,
           ns > 0 ? all[(ns * 99) / 100 < ns ? (ns * 99) / 100 : ns - 1] * 1e3 : 0.0,
           first == CMP_OK ? "none" : cmp_err_name(first));

    for (i = 0; i < (size_t)threads; i++) {
        cmp_client_free(ws[i].ctx);
        cmp_transport_free(ws[i].t);
        cmp_crypto_free(ws[i].crypto);
        free(ws[i].lat);
    }
    free(ws);
    free(all);
    cmp_buf_cleanup(&subj);
    free(nk);
    free(dev);
    free(key);
    free(vca);
    free(root);
    free(opca);
    return 0;
}
