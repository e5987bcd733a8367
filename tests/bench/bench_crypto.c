/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tests/bench/bench_crypto.c: what one signature, one verification and one
 * password-based MAC cost through cmp_crypto.h (the wolfSSL provider), next
 * to OpenSSL's libcrypto doing the same work with the same keys, measured in
 * the same run. These are the floor under every CMP transaction.
 *
 * Not a test: it prints numbers and the ratio ours/OpenSSL (above 1 means we
 * are faster). Run with "make bench"; an optional argument sets the seconds
 * spent on each measurement (default 0.5). Keys come from
 * $CMP_TEST_DATA/crypto/keys (the unit-test fixtures).
 *
 * OpenSSL is linked into this program only; the library never sees it.
 */
#include <openssl/crmf.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmp_crypto.h"
#include "cmp/mem.h"

#define MSG_LEN 1024 /* a typical ProtectedPart is 0.5 to 2 KB */

static double g_seconds = 0.5;
static unsigned char g_msg[MSG_LEN];

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* rate runs |op| for about g_seconds and returns operations per second,
 * or -1 if an operation failed. */
static double rate(int (*op)(void *), void *arg)
{
    double start = now_s(), t;
    long n = 0;

    do {
        if (op(arg) != 0) {
            return -1.0;
        }
        n++;
        t = now_s() - start;
    } while (t < g_seconds);
    return (double)n / t;
}

static void die(const char *what)
{
    fprintf(stderr, "bench_crypto: %s\n", what);
    exit(1);
}

static unsigned char *read_file(const char *rel, size_t *len)
{
    char path[1024];
    const char *top = getenv("CMP_TEST_DATA");
    FILE *f;
    unsigned char *buf;
    long n;

    snprintf(path, sizeof(path), "%s/crypto/keys/%s", top != NULL ? top : "tests/data", rel);
    f = fopen(path, "rb");
    if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 ||
        fseek(f, 0, SEEK_SET) != 0) {
        die("cannot read the key fixtures (set CMP_TEST_DATA)");
    }
    buf = malloc((size_t)n + 1);
    if (buf == NULL || fread(buf, 1, (size_t)n, f) != (size_t)n) {
        die("read failed");
    }
    fclose(f);
    *len = (size_t)n;
    return buf;
}

/* ------------------------------------------------------------------------ */
/* signatures                                                               */
/* ------------------------------------------------------------------------ */

typedef struct sig_case {
    const char *name;
    const char *key;
    cmp_hash_alg hash;
    unsigned flags;        /* CMP_SIG_RSA_PSS */
    const char *ossl_md;   /* NULL for Ed25519 */
} sig_case;

static const sig_case cases[] = {
    {"sha256WithRSAEncryption 2048", "rsa2048.pem", CMP_HASH_SHA256, 0, "SHA256"},
    {"sha512WithRSAEncryption 2048", "rsa2048.pem", CMP_HASH_SHA512, 0, "SHA512"},
    {"RSASSA-PSS SHA-256 2048", "rsa2048.pem", CMP_HASH_SHA256, CMP_SIG_RSA_PSS, "SHA256"},
    {"ecdsa-with-SHA256 P-256", "ec256.pem", CMP_HASH_SHA256, 0, "SHA256"},
    {"ecdsa-with-SHA384 P-384", "ec384.pem", CMP_HASH_SHA384, 0, "SHA384"},
    {"ecdsa-with-SHA512 P-521", "ec521.pem", CMP_HASH_SHA512, 0, "SHA512"},
    {"Ed25519", "ed25519.p8.pem", CMP_HASH_NONE, 0, NULL},
};

typedef struct ours_ctx {
    cmp_crypto *c;
    cmp_key *key;
    cmp_span alg;
    cmp_buf spki;
    cmp_buf sig;
} ours_ctx;

static int ours_sign(void *arg)
{
    ours_ctx *o = arg;
    cmp_buf sig = {NULL, 0};
    cmp_err e = cmp_crypto_sign(o->c, &sig, o->key, o->alg, (cmp_span){g_msg, MSG_LEN});

    cmp_buf_cleanup(&sig);
    return e != CMP_OK;
}

static int ours_verify(void *arg)
{
    ours_ctx *o = arg;

    return cmp_crypto_verify(o->c, (cmp_span){o->spki.data, o->spki.len}, o->alg,
                             (cmp_span){g_msg, MSG_LEN}, (cmp_span){o->sig.data, o->sig.len}) !=
           CMP_OK;
}

typedef struct ossl_ctx {
    EVP_PKEY *pkey;
    const sig_case *sc;
    unsigned char sig[1024];
    size_t sig_len;
} ossl_ctx;

/* ossl_md_ctx starts a DigestSign/DigestVerify with the case's parameters:
 * PSS with salt length = digest length and MGF1 with the same digest. */
static int ossl_init(ossl_ctx *x, EVP_MD_CTX *md, int sign)
{
    EVP_PKEY_CTX *pctx = NULL;
    int ok = sign ? EVP_DigestSignInit_ex(md, &pctx, x->sc->ossl_md, NULL, NULL, x->pkey, NULL)
                  : EVP_DigestVerifyInit_ex(md, &pctx, x->sc->ossl_md, NULL, NULL, x->pkey, NULL);

    if (ok && (x->sc->flags & CMP_SIG_RSA_PSS)) {
        ok = EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) > 0 &&
             EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) > 0;
    }
    return ok;
}

static int ossl_sign(void *arg)
{
    ossl_ctx *x = arg;
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    int ok;

    x->sig_len = sizeof(x->sig);
    ok = md != NULL && ossl_init(x, md, 1) &&
         EVP_DigestSign(md, x->sig, &x->sig_len, g_msg, MSG_LEN) == 1;
    EVP_MD_CTX_free(md);
    return !ok;
}

static int ossl_verify(void *arg)
{
    ossl_ctx *x = arg;
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    int ok;

    ok = md != NULL && ossl_init(x, md, 0) &&
         EVP_DigestVerify(md, x->sig, x->sig_len, g_msg, MSG_LEN) == 1;
    EVP_MD_CTX_free(md);
    return !ok;
}

static void print_row(const char *name, double ours, double theirs)
{
    printf("  %-32s %12.0f %12.0f %8.2f\n", name, ours, theirs,
           theirs > 0 && ours > 0 ? ours / theirs : 0.0);
}

static void bench_sig(cmp_crypto *c, const sig_case *sc)
{
    ours_ctx o;
    ossl_ctx x;
    size_t len;
    unsigned char *pem = read_file(sc->key, &len);
    BIO *bio = BIO_new_mem_buf(pem, (int)len);
    char label[64];
    double os, ov, xs, xv;

    memset(&o, 0, sizeof(o));
    memset(&x, 0, sizeof(x));
    o.c = c;
    x.sc = sc;
    if (cmp_crypto_key_load(c, &o.key, (cmp_span){pem, len}, (cmp_span){NULL, 0}) != CMP_OK ||
        cmp_crypto_sig_alg_default(c, &o.alg, o.key, sc->hash, sc->flags) != CMP_OK ||
        cmp_crypto_key_spki(c, &o.spki, o.key) != CMP_OK ||
        cmp_crypto_sign(c, &o.sig, o.key, o.alg, (cmp_span){g_msg, MSG_LEN}) != CMP_OK) {
        die("our provider could not set up");
    }
    x.pkey = PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL);
    if (x.pkey == NULL || ossl_sign(&x) != 0) {
        die("OpenSSL could not set up");
    }
    os = rate(ours_sign, &o);
    xs = rate(ossl_sign, &x);
    ov = rate(ours_verify, &o);
    xv = rate(ossl_verify, &x);
    if (os < 0 || ov < 0 || xs < 0 || xv < 0) {
        die("an operation failed");
    }
    snprintf(label, sizeof(label), "%s sign", sc->name);
    print_row(label, os, xs);
    snprintf(label, sizeof(label), "%s verify", sc->name);
    print_row(label, ov, xv);
    cmp_buf_cleanup(&o.sig);
    cmp_buf_cleanup(&o.spki);
    cmp_crypto_key_free(c, o.key);
    EVP_PKEY_free(x.pkey);
    BIO_free(bio);
    free(pem);
}

/* ------------------------------------------------------------------------ */
/* MACs                                                                     */
/* ------------------------------------------------------------------------ */

static const unsigned char g_secret[] = "cmpstack-pbm-secret";
#define SECRET_LEN (sizeof(g_secret) - 1)

typedef struct mac_ctx {
    cmp_crypto *c;
    cmp_buf alg;
    cmp_mac_params p;
    OSSL_CRMF_PBMPARAMETER *pbmp;
} mac_ctx;

static int ours_mac(void *arg)
{
    mac_ctx *m = arg;
    cmp_buf mac = {NULL, 0};
    cmp_err e = cmp_crypto_mac_protect(m->c, &mac, (cmp_span){m->alg.data, m->alg.len},
                                       (cmp_span){g_secret, SECRET_LEN},
                                       (cmp_span){g_msg, MSG_LEN});

    cmp_buf_cleanup(&mac);
    return e != CMP_OK;
}

/* OpenSSL's CRMF PasswordBasedMac, the code openssl cmp runs. */
static int ossl_pbm(void *arg)
{
    mac_ctx *m = arg;
    unsigned char *mac = NULL;
    size_t mac_len = 0;
    int ok = OSSL_CRMF_pbm_new(NULL, NULL, m->pbmp, g_msg, MSG_LEN, g_secret, SECRET_LEN, &mac,
                               &mac_len);

    OPENSSL_free(mac);
    return !ok;
}

/* PBKDF2-HMAC-SHA256 then HMAC-SHA256, as PBMAC1 with our parameters. */
static int ossl_pbmac1(void *arg)
{
    mac_ctx *m = arg;
    unsigned char key[32], mac[EVP_MAX_MD_SIZE];
    unsigned int mac_len = 0;

    if (PKCS5_PBKDF2_HMAC((const char *)g_secret, SECRET_LEN, m->p.salt.data,
                          (int)m->p.salt.len, (int)m->p.iterations, EVP_sha256(), sizeof(key),
                          key) != 1) {
        return 1;
    }
    return HMAC(EVP_sha256(), key, sizeof(key), g_msg, MSG_LEN, mac, &mac_len) == NULL;
}

static void bench_mac(cmp_crypto *c, cmp_mac_kind kind, uint32_t iterations, cmp_hash_alg mac,
                      const char *name)
{
    mac_ctx m;
    double ours, theirs;

    memset(&m, 0, sizeof(m));
    m.c = c;
    cmp_crypto_mac_params_default(&m.p, kind);
    m.p.iterations = iterations;
    m.p.mac = mac;
    if (cmp_crypto_mac_alg_new(c, &m.alg, &m.p) != CMP_OK ||
        cmp_crypto_mac_alg_decode(c, &m.p, (cmp_span){m.alg.data, m.alg.len}) != CMP_OK) {
        die("MAC set-up failed");
    }
    if (kind == CMP_MAC_PBM) {
        m.pbmp = OSSL_CRMF_pbmp_new(NULL, m.p.salt_len, NID_sha256, iterations,
                                    mac == CMP_HASH_SHA1 ? NID_hmac_sha1 : NID_hmacWithSHA256);
        if (m.pbmp == NULL) {
            die("OSSL_CRMF_pbmp_new failed");
        }
    }
    ours = rate(ours_mac, &m);
    theirs = rate(kind == CMP_MAC_PBM ? ossl_pbm : ossl_pbmac1, &m);
    if (ours < 0 || theirs < 0) {
        die("a MAC failed");
    }
    print_row(name, ours, theirs);
    OSSL_CRMF_PBMPARAMETER_free(m.pbmp);
    cmp_buf_cleanup(&m.alg);
}

int main(int argc, char **argv)
{
    cmp_crypto *c = NULL;
    size_t i;

    if (argc > 1) {
        g_seconds = atof(argv[1]);
        if (g_seconds <= 0) {
            g_seconds = 0.5;
        }
    }
    for (i = 0; i < MSG_LEN; i++) {
        g_msg[i] = (unsigned char)(i * 7 + 1);
    }
    if (cmp_crypto_wolfssl_new(&c) != CMP_OK) {
        die("no provider");
    }
    printf("cmpstack crypto benchmark: %s vs %s, %d-byte messages, %.2f s per figure\n",
           cmp_crypto_name(c), OpenSSL_version(OPENSSL_VERSION), MSG_LEN, g_seconds);
    printf("  %-32s %12s %12s %8s\n", "operation", "ours/s", "OpenSSL/s", "ratio");
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        bench_sig(c, &cases[i]);
    }
    bench_mac(c, CMP_MAC_PBM, CMP_MAC_DEFAULT_ITERATIONS, CMP_HASH_SHA256,
              "PBM 10000 it SHA-256/HMAC-SHA256");
    bench_mac(c, CMP_MAC_PBM, 500, CMP_HASH_SHA1, "PBM 500 it (OpenSSL default)");
    bench_mac(c, CMP_MAC_PBMAC1, CMP_MAC_DEFAULT_ITERATIONS, CMP_HASH_SHA256,
              "PBMAC1 10000 it PBKDF2/HMAC-SHA256");
    bench_mac(c, CMP_MAC_PBM, 100000, CMP_HASH_SHA256, "PBM at the cap (100000 it)");
    bench_mac(c, CMP_MAC_PBMAC1, 100000, CMP_HASH_SHA256, "PBMAC1 at the cap (100000 it)");
    printf("ratio = ours / OpenSSL (above 1: we are faster)\n");
    cmp_crypto_free(c);
    return 0;
}
