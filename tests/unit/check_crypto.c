/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tests/unit/check_crypto.c: the wolfSSL provider through cmp_crypto.h:
 * DRBG, hashes, keys (load, generate, export, match), signatures (round
 * trips, OpenSSL in both directions, negative cases), algorithm tables and
 * allocation failures. MACs are in check_crypto_mac.c, certificates in
 * check_crypto_x509.c.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_crypto_util.h"
#include "crypto_int.h"
#include "testlib.h"

#define PASS "cmpstack-test"
#define NOPASS ((cmp_span){NULL, 0})

static cmp_span pass_span(const char *p)
{
    return p != NULL ? (cmp_span){(const uint8_t *)p, strlen(p)} : NOPASS;
}

/* ------------------------------------------------------------------------ */
/* provider, DRBG, hashes                                                   */
/* ------------------------------------------------------------------------ */

START_TEST(test_wolfssl_new_free)
{
    cmp_crypto *c = ct_prov();
    cmp_crypto_limits lim;

    ck_assert(strncmp(cmp_crypto_name(c), "wolfSSL ", 8) == 0);
    cmp_crypto_limits_default(&lim);
    ck_assert_uint_eq(c->limits.max_iterations, lim.max_iterations);
    ck_assert_uint_eq(lim.max_iterations, 100000);
    cmp_crypto_free(c);
    cmp_crypto_free(NULL);
    ck_assert_int_eq(cmp_crypto_wolfssl_new(NULL), CMP_ERR_ARG);
    ck_assert_str_eq(cmp_crypto_name(NULL), "none");
}
END_TEST

START_TEST(test_random_fills)
{
    cmp_crypto *c = ct_prov();
    uint8_t a[CMP_NONCE_LEN] = {0}, b[CMP_NONCE_LEN] = {0}, big[70000];

    ck_assert_int_eq(cmp_crypto_random(c, a, sizeof(a)), CMP_OK);
    ck_assert_int_eq(cmp_crypto_random(c, b, sizeof(b)), CMP_OK);
    ck_assert(memcmp(a, b, sizeof(a)) != 0);
    ck_assert_int_eq(cmp_crypto_random(c, big, sizeof(big)), CMP_OK); /* > one DRBG block */
    ck_assert_int_eq(cmp_crypto_random(c, NULL, 0), CMP_OK);
    ck_assert_int_eq(cmp_crypto_random(c, NULL, 4), CMP_ERR_ARG);
    ck_assert_int_eq(cmp_crypto_random(NULL, a, 4), CMP_ERR_ARG);
    cmp_crypto_free(c);
}
END_TEST

/* FIPS 180-4 example "abc". */
static const struct {
    cmp_hash_alg alg;
    const char *hex;
} abc_vectors[] = {
    {CMP_HASH_SHA1, "a9993e364706816aba3e25717850c26c9cd0d89d"},
    {CMP_HASH_SHA224, "23097d223405d8228642a477bda255b32aadbce4bda0b3f7e36c9da7"},
    {CMP_HASH_SHA256, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
    {CMP_HASH_SHA384, "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed"
                      "8086072ba1e7cc2358baeca134c825a7"},
    {CMP_HASH_SHA512, "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
                      "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"},
};

START_TEST(test_hash_vectors)
{
    cmp_crypto *c = ct_prov();
    uint8_t out[CMP_HASH_MAX_LEN];
    size_t n = 0, want_len;
    uint8_t *want = testlib_hex(abc_vectors[_i].hex, &want_len);

    ck_assert_int_eq(cmp_crypto_hash(c, out, &n, abc_vectors[_i].alg, CT_SPAN("abc")), CMP_OK);
    ck_assert_uint_eq(n, want_len);
    ck_assert_uint_eq(n, cmp_crypto_hash_len(abc_vectors[_i].alg));
    ck_assert(memcmp(out, want, n) == 0);
    free(want);
    ck_assert_int_eq(cmp_crypto_hash(c, out, &n, CMP_HASH_NONE, CT_SPAN("abc")),
                     CMP_ERR_UNKNOWN_ALG);
    ck_assert_int_eq(cmp_crypto_hash(c, out, &n, (cmp_hash_alg)77, CT_SPAN("abc")),
                     CMP_ERR_UNKNOWN_ALG);
    ck_assert_int_eq(cmp_crypto_hash(c, NULL, &n, CMP_HASH_SHA256, CT_SPAN("abc")), CMP_ERR_ARG);
    cmp_crypto_free(c);
}
END_TEST

START_TEST(test_hash_from_name)
{
    cmp_hash_alg h = CMP_HASH_NONE;

    ck_assert_int_eq(cmp_crypto_hash_from_name(&h, "sha256"), CMP_OK);
    ck_assert_int_eq(h, CMP_HASH_SHA256);
    ck_assert_int_eq(cmp_crypto_hash_from_name(&h, "SHA-384"), CMP_OK);
    ck_assert_int_eq(h, CMP_HASH_SHA384);
    ck_assert_int_eq(cmp_crypto_hash_from_name(&h, "Sha1"), CMP_OK);
    ck_assert_int_eq(h, CMP_HASH_SHA1);
    ck_assert_int_eq(cmp_crypto_hash_from_name(&h, "md5"), CMP_ERR_UNKNOWN_ALG);
    ck_assert_int_eq(cmp_crypto_hash_from_name(&h, ""), CMP_ERR_UNKNOWN_ALG);
    ck_assert_int_eq(cmp_crypto_hash_from_name(&h, "sha256sha256"), CMP_ERR_UNKNOWN_ALG);
    ck_assert_int_eq(cmp_crypto_hash_from_name(&h, NULL), CMP_ERR_ARG);
}
END_TEST

START_TEST(test_hash_alg_encode_decode)
{
    static const char *const bad[] = {
        "300a06082a864886f70d0205",             /* md5: unknown */
        "300d0609608648016503040201050100",     /* trailing byte */
        "300f06096086480165030402010402abcd",   /* parameters neither NULL nor absent */
        "300b06096086480165030402",             /* truncated */
        "06096086480165030402010500",           /* not a SEQUENCE */
        "3000",                                 /* no OID */
    };
    static const cmp_err bad_err[] = {CMP_ERR_UNKNOWN_ALG, CMP_ERR_DECODE, CMP_ERR_UNKNOWN_ALG,
                                      CMP_ERR_DECODE, CMP_ERR_DECODE, CMP_ERR_DECODE};
    cmp_hash_alg h, back;
    cmp_span der;
    size_t i, n;
    uint8_t *p;

    for (h = CMP_HASH_SHA1; h <= CMP_HASH_SHA512; h++) {
        ck_assert_int_eq(cmp_crypto_hash_alg_encode(&der, h), CMP_OK);
        ck_assert_int_eq(cmp_crypto_hash_alg_decode(&back, der), CMP_OK);
        ck_assert_int_eq(back, h);
    }
    ck_assert_int_eq(cmp_crypto_hash_alg_encode(&der, CMP_HASH_NONE), CMP_ERR_UNKNOWN_ALG);
    /* NULL parameters are accepted too (RFC 5754 section 2) */
    p = testlib_hex("300d06096086480165030402010500", &n);
    ck_assert_int_eq(cmp_crypto_hash_alg_decode(&back, (cmp_span){p, n}), CMP_OK);
    ck_assert_int_eq(back, CMP_HASH_SHA256);
    free(p);
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        p = testlib_hex(bad[i], &n);
        ck_assert_msg(cmp_crypto_hash_alg_decode(&back, (cmp_span){p, n}) == bad_err[i],
                      "case %zu", i);
        free(p);
    }
}
END_TEST

/* ------------------------------------------------------------------------ */
/* keys                                                                     */
/* ------------------------------------------------------------------------ */

typedef struct key_case {
    const char *file;
    const char *pass;
    cmp_key_type type;
    unsigned bits;
    const char *spki; /* the SubjectPublicKeyInfo openssl wrote */
} key_case;

static const key_case good_keys[] = {
    {"rsa2048.pem", NULL, CMP_KEY_RSA, 2048, "rsa2048.spki.der"},
    {"rsa2048.p8.pem", NULL, CMP_KEY_RSA, 2048, "rsa2048.spki.der"},
    {"rsa2048.der", NULL, CMP_KEY_RSA, 2048, "rsa2048.spki.der"},
    {"rsa2048.p8.der", NULL, CMP_KEY_RSA, 2048, "rsa2048.spki.der"},
    {"rsa2048.enc.pem", PASS, CMP_KEY_RSA, 2048, "rsa2048.spki.der"},
    {"rsa2048.trad-enc.pem", PASS, CMP_KEY_RSA, 2048, "rsa2048.spki.der"},
    {"rsa2048.enc.der", PASS, CMP_KEY_RSA, 2048, "rsa2048.spki.der"},
    {"ec521.enc.der", PASS, CMP_KEY_EC_P521, 521, "ec521.spki.der"},
    {"ed25519.enc.der", PASS, CMP_KEY_ED25519, 256, "ed25519.spki.der"},
    {"ec256.pem", NULL, CMP_KEY_EC_P256, 256, "ec256.spki.der"},
    {"ec256.p8.pem", NULL, CMP_KEY_EC_P256, 256, "ec256.spki.der"},
    {"ec256.der", NULL, CMP_KEY_EC_P256, 256, "ec256.spki.der"},
    {"ec256.p8.der", NULL, CMP_KEY_EC_P256, 256, "ec256.spki.der"},
    {"ec256.enc.pem", PASS, CMP_KEY_EC_P256, 256, "ec256.spki.der"},
    {"ec256.trad-enc.pem", PASS, CMP_KEY_EC_P256, 256, "ec256.spki.der"},
    {"ec256-params.pem", NULL, CMP_KEY_EC_P256, 256, NULL},
    {"ec384.pem", NULL, CMP_KEY_EC_P384, 384, "ec384.spki.der"},
    {"ec384.p8.der", NULL, CMP_KEY_EC_P384, 384, "ec384.spki.der"},
    {"ec384.enc.pem", PASS, CMP_KEY_EC_P384, 384, "ec384.spki.der"},
    {"ec384.trad-enc.pem", PASS, CMP_KEY_EC_P384, 384, "ec384.spki.der"},
    {"ec521.pem", NULL, CMP_KEY_EC_P521, 521, "ec521.spki.der"},
    {"ec521.p8.pem", NULL, CMP_KEY_EC_P521, 521, "ec521.spki.der"},
    {"ec521.enc.pem", PASS, CMP_KEY_EC_P521, 521, "ec521.spki.der"},
    {"ec521.der", NULL, CMP_KEY_EC_P521, 521, "ec521.spki.der"},
    {"ed25519.p8.pem", NULL, CMP_KEY_ED25519, 256, "ed25519.spki.der"},
    {"ed25519.p8.der", NULL, CMP_KEY_ED25519, 256, "ed25519.spki.der"},
    {"ed25519.enc.pem", PASS, CMP_KEY_ED25519, 256, "ed25519.spki.der"},
};

START_TEST(test_key_load_ok)
{
    const key_case *kc = &good_keys[_i];
    cmp_crypto *c = ct_prov();
    cmp_buf spki = {NULL, 0};
    cmp_key *k = NULL;
    cmp_key_type t;
    unsigned bits;
    char rel[128];
    cmp_span d, want;

    snprintf(rel, sizeof(rel), "keys/%s", kc->file);
    d = ct_load(rel);
    ck_assert_int_eq(cmp_crypto_key_load(c, &k, d, pass_span(kc->pass)), CMP_OK);
    ck_assert_int_eq(cmp_crypto_key_type(c, &t, &bits, k), CMP_OK);
    ck_assert_int_eq(t, kc->type);
    ck_assert_uint_eq(bits, kc->bits);
    ck_assert_int_eq(cmp_crypto_key_spki(c, &spki, k), CMP_OK);
    if (kc->spki != NULL) {
        /* byte-identical to what openssl writes for the same key */
        snprintf(rel, sizeof(rel), "keys/%s", kc->spki);
        want = ct_load(rel);
        ck_assert_uint_eq(spki.len, want.len);
        ck_assert(memcmp(spki.data, want.data, want.len) == 0);
        ct_free(want);
    }
    cmp_buf_cleanup(&spki);
    cmp_crypto_key_free(c, k);
    ct_free(d);
    cmp_crypto_free(c);
}
END_TEST

typedef struct key_err_case {
    const char *file;
    const char *pass;
    cmp_err err;
} key_err_case;

static const key_err_case bad_keys[] = {
    {"keys/rsa2048-truncated.pem", NULL, CMP_ERR_KEY_PARSE},
    {"keys/rsa2048-truncated.der", NULL, CMP_ERR_KEY_PARSE},
    {"keys/rsa2048.enc.pem", NULL, CMP_ERR_PASSPHRASE},
    {"keys/rsa2048.enc.pem", "wrong", CMP_ERR_PASSPHRASE},
    {"keys/rsa2048.trad-enc.pem", NULL, CMP_ERR_PASSPHRASE},
    {"keys/rsa2048.trad-enc.pem", "wrong", CMP_ERR_PASSPHRASE},
    {"keys/ec256.trad-enc.pem", "wrong", CMP_ERR_PASSPHRASE},
    {"keys/ec384.enc.pem", "wrong", CMP_ERR_PASSPHRASE},
    {"keys/ed25519.enc.pem", "wrong", CMP_ERR_PASSPHRASE},
    {"keys/ed25519.enc.pem", NULL, CMP_ERR_PASSPHRASE},
    {"keys/rsa2048.enc.der", NULL, CMP_ERR_PASSPHRASE},
    {"keys/ec256.enc.der", "wrong", CMP_ERR_PASSPHRASE},
    {"keys/dsa2048.pem", NULL, CMP_ERR_KEY_TYPE},
    {"keys/dsa2048.p8.pem", NULL, CMP_ERR_KEY_TYPE},
    {"keys/ed448.p8.pem", NULL, CMP_ERR_KEY_TYPE},
    {"keys/x25519.p8.pem", NULL, CMP_ERR_KEY_TYPE},
    {"keys/secp256k1.p8.pem", NULL, CMP_ERR_KEY_TYPE},
    {"keys/secp256k1.pem", NULL, CMP_ERR_KEY_TYPE},
    {"keys/rsa1024.p8.pem", NULL, CMP_ERR_KEY_TYPE},
    {"certs/root.pem", NULL, CMP_ERR_KEY_PARSE},
    {"certs/root.der", NULL, CMP_ERR_KEY_PARSE},
    {"keys/rsa2048.spki.der", NULL, CMP_ERR_KEY_PARSE},
    {"sig/data.bin", NULL, CMP_ERR_KEY_PARSE},
};

START_TEST(test_key_load_errors)
{
    const key_err_case *kc = &bad_keys[_i];
    cmp_crypto *c = ct_prov();
    cmp_key *k = (cmp_key *)&k;
    cmp_span d = ct_load(kc->file);
    cmp_err e = cmp_crypto_key_load(c, &k, d, pass_span(kc->pass));

    ck_assert_msg(e == kc->err, "%s: got %s, want %s", kc->file, cmp_err_name(e),
                  cmp_err_name(kc->err));
    ck_assert_ptr_null(k);
    ct_free(d);
    cmp_crypto_free(c);
}
END_TEST

START_TEST(test_key_load_args)
{
    cmp_crypto *c = ct_prov();
    cmp_key *k = NULL;
    cmp_span d = ct_load("keys/rsa2048.enc.pem");
    static const uint8_t nul_pass[] = {'a', 0, 'b'};

    ck_assert_int_eq(cmp_crypto_key_load(c, NULL, d, NOPASS), CMP_ERR_ARG);
    ck_assert_int_eq(cmp_crypto_key_load(NULL, &k, d, NOPASS), CMP_ERR_ARG);
    ck_assert_int_eq(cmp_crypto_key_load(c, &k, (cmp_span){NULL, 5}, NOPASS), CMP_ERR_ARG);
    ck_assert_int_eq(cmp_crypto_key_load(c, &k, (cmp_span){d.data, 0}, NOPASS),
                     CMP_ERR_KEY_PARSE);
    ck_assert_int_eq(cmp_crypto_key_load(c, &k, d, (cmp_span){nul_pass, 3}), CMP_ERR_PASSPHRASE);
    ct_free(d);
    cmp_crypto_free(c);
}
END_TEST

/* Every prefix of a valid key, and the key plus one byte, in buffers of
 * exactly that size, fail cleanly (STYLE.md section 8). */
static const char *const prefix_keys[] = {"rsa2048.der", "rsa2048.p8.der", "ec256.der",
                                          "ec521.p8.der", "ed25519.p8.der", "ec256.p8.pem"};

START_TEST(test_key_load_prefixes)
{
    cmp_crypto *c = ct_prov();
    char rel[128];
    cmp_span d;
    cmp_key *k = NULL;
    uint8_t *p;
    size_t n;
    cmp_err e;

    snprintf(rel, sizeof(rel), "keys/%s", prefix_keys[_i]);
    d = ct_load(rel);
    /* A PEM file without its final newline is still complete. */
    for (n = 0; n < (d.data[0] == '-' ? d.len - 1 : d.len); n++) {
        p = testlib_dup(d.data, n);
        e = cmp_crypto_key_load(c, &k, (cmp_span){p, n}, NOPASS);
        ck_assert_msg(e != CMP_OK, "prefix %zu of %s accepted", n, prefix_keys[_i]);
        ck_assert_ptr_null(k);
        free(p);
    }
    if (d.data[0] == 0x30) {
        p = malloc(d.len + 1);
        memcpy(p, d.data, d.len);
        p[d.len] = 0;
        ck_assert_int_eq(cmp_crypto_key_load(c, &k, (cmp_span){p, d.len + 1}, NOPASS),
                         CMP_ERR_KEY_PARSE);
        free(p);
    }
    ct_free(d);
    cmp_crypto_free(c);
}
END_TEST

static cmp_span alg_for(cmp_sig_scheme s, cmp_hash_alg h)
{
    cmp_span a = {NULL, 0};

    ck_assert_int_eq(cmp_alg_sig_encoding(&a, s, h), CMP_OK);
    return a;
}

/* sign_verify signs and verifies with |k| and checks that a changed message
 * does not verify. */
static void sign_verify(cmp_crypto *c, cmp_key *k, cmp_span alg)
{
    cmp_buf spki = {NULL, 0}, sig = {NULL, 0};
    cmp_span msg = CT_SPAN("sign me"), other = CT_SPAN("sign mE");

    ck_assert_int_eq(cmp_crypto_key_spki(c, &spki, k), CMP_OK);
    ck_assert_int_eq(cmp_crypto_sign(c, &sig, k, alg, msg), CMP_OK);
    ck_assert_int_eq(cmp_crypto_verify(c, CT_BSPAN(spki), alg, msg, CT_BSPAN(sig)), CMP_OK);
    ck_assert_int_eq(cmp_crypto_verify(c, CT_BSPAN(spki), alg, other, CT_BSPAN(sig)),
                     CMP_ERR_SIGNATURE);
    cmp_buf_cleanup(&sig);
    cmp_buf_cleanup(&spki);
}

static const struct {
    cmp_key_type type;
    unsigned bits;
} gen_cases[] = {
    {CMP_KEY_RSA, 2048}, {CMP_KEY_EC_P256, 0}, {CMP_KEY_EC_P384, 0},
    {CMP_KEY_EC_P521, 0}, {CMP_KEY_ED25519, 0},
};

START_TEST(test_key_generate)
{
    cmp_crypto *c = ct_prov();
    cmp_buf spki = {NULL, 0}, spki2 = {NULL, 0}, pem = {NULL, 0};
    cmp_key *k = NULL, *k2 = NULL;
    cmp_key_type t;
    cmp_span alg;
    unsigned bits;
    int fmt;

    ck_assert_int_eq(cmp_crypto_key_generate(c, &k, gen_cases[_i].type, gen_cases[_i].bits),
                     CMP_OK);
    ck_assert_int_eq(cmp_crypto_key_type(c, &t, &bits, k), CMP_OK);
    ck_assert_int_eq(t, gen_cases[_i].type);
    ck_assert_int_eq(cmp_crypto_sig_alg_default(c, &alg, k, CMP_HASH_NONE, 0), CMP_OK);
    sign_verify(c, k, alg);
    ck_assert_int_eq(cmp_crypto_key_spki(c, &spki, k), CMP_OK);
    for (fmt = CMP_KEY_PEM_PKCS8; fmt <= CMP_KEY_PEM_TRADITIONAL; fmt++) {
        if (t == CMP_KEY_ED25519 && fmt == CMP_KEY_PEM_TRADITIONAL) {
            ck_assert_int_eq(cmp_crypto_key_export_pem(c, &pem, k, (cmp_key_format)fmt),
                             CMP_ERR_UNSUPPORTED);
            continue;
        }
        ck_assert_int_eq(cmp_crypto_key_export_pem(c, &pem, k, (cmp_key_format)fmt), CMP_OK);
        ck_assert_int_eq(cmp_crypto_key_load(c, &k2, CT_BSPAN(pem), NOPASS), CMP_OK);
        ck_assert_int_eq(cmp_crypto_key_spki(c, &spki2, k2), CMP_OK);
        ck_assert_uint_eq(spki.len, spki2.len);
        ck_assert(memcmp(spki.data, spki2.data, spki.len) == 0);
        sign_verify(c, k2, alg);
        cmp_buf_cleanup(&spki2);
        cmp_buf_cleanup(&pem);
        cmp_crypto_key_free(c, k2);
        k2 = NULL;
    }
    cmp_buf_cleanup(&spki);
    cmp_crypto_key_free(c, k);
    cmp_crypto_free(c);
}
END_TEST

START_TEST(test_key_generate_errors)
{
    cmp_crypto *c = ct_prov();
    cmp_key *k = NULL;

    ck_assert_int_eq(cmp_crypto_key_generate(c, &k, CMP_KEY_RSA, 1024), CMP_ERR_KEY_TYPE);
    ck_assert_int_eq(cmp_crypto_key_generate(c, &k, CMP_KEY_RSA, 8192), CMP_ERR_KEY_TYPE);
    ck_assert_int_eq(cmp_crypto_key_generate(c, &k, CMP_KEY_RSA, 2049), CMP_ERR_KEY_TYPE);
    ck_assert_int_eq(cmp_crypto_key_generate(c, &k, CMP_KEY_EC_P256, 256), CMP_ERR_KEY_TYPE);
    ck_assert_int_eq(cmp_crypto_key_generate(c, &k, CMP_KEY_NONE, 0), CMP_ERR_KEY_TYPE);
    ck_assert_int_eq(cmp_crypto_key_generate(c, &k, (cmp_key_type)99, 0), CMP_ERR_KEY_TYPE);
    ck_assert_ptr_null(k);
    ck_assert_int_eq(cmp_crypto_key_generate(c, NULL, CMP_KEY_EC_P256, 0), CMP_ERR_ARG);
    cmp_crypto_free(c);
}
END_TEST

/* Our PEM output is read by openssl, and its public key is ours. */
START_TEST(test_key_export_pem_openssl)
{
    static const char *const names[] = {"rsa2048.pem", "ec256.pem", "ec384.p8.pem", "ec521.pem",
                                        "ed25519.p8.pem"};
    cmp_crypto *c;
    cmp_buf pem = {NULL, 0}, spki = {NULL, 0};
    cmp_key *k;
    cmp_span got;
    int fmt;

    if (!ct_have_openssl()) {
        return;
    }
    c = ct_prov();
    k = ct_key(c, names[_i]);
    ck_assert_int_eq(cmp_crypto_key_spki(c, &spki, k), CMP_OK);
    for (fmt = CMP_KEY_PEM_PKCS8; fmt <= CMP_KEY_PEM_TRADITIONAL; fmt++) {
        if (cmp_crypto_key_export_pem(c, &pem, k, (cmp_key_format)fmt) != CMP_OK) {
            continue; /* Ed25519 traditional */
        }
        ct_write(ct_tmpfile("k.pem"), CT_BSPAN(pem));
        ck_assert_int_eq(ct_run("openssl pkey -in %s -pubout -outform DER -out %s",
                                ct_tmpfile("k.pem"), ct_tmpfile("pub.der")), 0);
        got = ct_read(ct_tmpfile("pub.der"));
        ck_assert_uint_eq(got.len, spki.len);
        ck_assert(memcmp(got.data, spki.data, spki.len) == 0);
        ct_free(got);
        cmp_buf_cleanup(&pem);
    }
    cmp_buf_cleanup(&spki);
    cmp_crypto_key_free(c, k);
    cmp_crypto_free(c);
}
END_TEST

START_TEST(test_key_check_cert)
{
    cmp_crypto *c = ct_prov();
    cmp_key *ec = ct_key(c, "ec256.pem"), *rsa = ct_key(c, "rsa2048.pem");
    cmp_span leaf = ct_load("certs/leaf.der"), root = ct_load("certs/root.der");
    cmp_span spki = ct_load("keys/ec256.spki.der");

    ck_assert_int_eq(cmp_crypto_key_check_cert(c, ec, leaf), CMP_OK);
    ck_assert_int_eq(cmp_crypto_key_check_cert(c, rsa, root), CMP_OK);
    ck_assert_int_eq(cmp_crypto_key_check_cert(c, rsa, leaf), CMP_ERR_KEY_MISMATCH);
    ck_assert_int_eq(cmp_crypto_key_check_cert(c, ec, root), CMP_ERR_KEY_MISMATCH);
    ck_assert_int_eq(cmp_crypto_key_check_cert(c, ec, spki), CMP_ERR_CERT_PARSE);
    ck_assert_int_eq(cmp_crypto_spki_check_cert(spki, leaf), CMP_OK);
    ck_assert_int_eq(cmp_crypto_spki_check_cert(spki, root), CMP_ERR_KEY_MISMATCH);
    ct_free(leaf);
    ct_free(root);
    ct_free(spki);
    cmp_crypto_key_free(c, ec);
    cmp_crypto_key_free(c, rsa);
    cmp_crypto_free(c);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* signatures                                                               */
/* ------------------------------------------------------------------------ */

typedef struct sig_case {
    const char *key;
    cmp_sig_scheme scheme;
    cmp_hash_alg hash;
} sig_case;

static const sig_case sig_cases[] = {
    {"rsa2048.pem", CMP_SIG_SCHEME_PKCS1, CMP_HASH_SHA224},
    {"rsa2048.pem", CMP_SIG_SCHEME_PKCS1, CMP_HASH_SHA256},
    {"rsa2048.pem", CMP_SIG_SCHEME_PKCS1, CMP_HASH_SHA384},
    {"rsa2048.pem", CMP_SIG_SCHEME_PKCS1, CMP_HASH_SHA512},
    {"rsa2048.pem", CMP_SIG_SCHEME_PSS, CMP_HASH_SHA256},
    {"rsa2048.pem", CMP_SIG_SCHEME_PSS, CMP_HASH_SHA384},
    {"rsa2048.pem", CMP_SIG_SCHEME_PSS, CMP_HASH_SHA512},
    {"ec256.pem", CMP_SIG_SCHEME_ECDSA, CMP_HASH_SHA256},
    {"ec256.pem", CMP_SIG_SCHEME_ECDSA, CMP_HASH_SHA512},
    {"ec384.pem", CMP_SIG_SCHEME_ECDSA, CMP_HASH_SHA384},
    {"ec384.pem", CMP_SIG_SCHEME_ECDSA, CMP_HASH_SHA224},
    {"ec521.pem", CMP_SIG_SCHEME_ECDSA, CMP_HASH_SHA512},
    {"ed25519.p8.pem", CMP_SIG_SCHEME_ED25519, CMP_HASH_SHA512},
};

START_TEST(test_sign_verify_roundtrip)
{
    const sig_case *sc = &sig_cases[_i];
    cmp_crypto *c = ct_prov();
    cmp_key *k = ct_key(c, sc->key);
    cmp_span alg = alg_for(sc->scheme, sc->hash);
    cmp_buf a = {NULL, 0}, b = {NULL, 0};
    cmp_span msg = CT_SPAN("the same message");

    sign_verify(c, k, alg);
    /* Deterministic: PKCS #1 v1.5, Ed25519, and ECDSA with SHA-256 (RFC 6979;
     * wolfSSL 5.5.4 does it for 32-octet hashes only). PSS has a random salt. */
    ck_assert_int_eq(cmp_crypto_sign(c, &a, k, alg, msg), CMP_OK);
    ck_assert_int_eq(cmp_crypto_sign(c, &b, k, alg, msg), CMP_OK);
    if (sc->scheme == CMP_SIG_SCHEME_PSS ||
        (sc->scheme == CMP_SIG_SCHEME_ECDSA && sc->hash != CMP_HASH_SHA256)) {
        ck_assert(a.len != b.len || memcmp(a.data, b.data, a.len) != 0);
    } else {
        ck_assert_uint_eq(a.len, b.len);
        ck_assert(memcmp(a.data, b.data, a.len) == 0);
    }
    cmp_buf_cleanup(&a);
    cmp_buf_cleanup(&b);
    cmp_crypto_key_free(c, k);
    cmp_crypto_free(c);
}
END_TEST

/* RFC 6979 appendix A.2.5 and A.2.6: ECDSA, SHA-256, message "sample". The
 * keys are wrapped in ECPrivateKey DER here, with the curve named. */
static const struct {
    cmp_key_type type;
    const char *curve_oid;
    const char *d;
    const char *sig;
} rfc6979[] = {
    {CMP_KEY_EC_P256, "2a8648ce3d030107",
     "c9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721",
     "3046022100efd48b2aacb6a8fd1140dd9cd45e81d69d2c877b56aaf991c34d0ea84eaf3716022100f7cb1c"
     "942d657c41d436c7a1b6e29f65f3e900dbb9aff4064dc4ab2f843acda8"},
    {CMP_KEY_EC_P384, "2b81040022",
     "6b9d3dad2e1b8c1c05b19875b6659f4de23c3b667bf297ba9aa47740787137d896d5724e4c70a825f872c9"
     "ea60d2edf5",
     "3065023021b13d1e013c7fa1392d03c5f99af8b30c570c6f98d4ea8e354b63a21d3daa33bde1e888e63355"
     "d92fa2b3c36d8fb2cd023100f3aa443fb107745bf4bd77cb3891674632068a10ca67e3d45db2266fa7d1fe"
     "ebefdc63eccd1ac42ec0cb8668a4fa0ab0"},
};

START_TEST(test_sign_ecdsa_rfc6979)
{
    cmp_crypto *c = ct_prov();
    size_t dl, ol, sl;
    uint8_t *d = testlib_hex(rfc6979[_i].d, &dl), *oid = testlib_hex(rfc6979[_i].curve_oid, &ol);
    uint8_t *want = testlib_hex(rfc6979[_i].sig, &sl);
    cmp_cder_wr w;
    cmp_buf der = {NULL, 0}, sig = {NULL, 0}, spki = {NULL, 0};
    cmp_key *k = NULL;
    size_t seq, x;

    cmp_cder_wr_init(&w);
    seq = cmp_cder_open(&w, CDER_SEQUENCE);
    cmp_cder_put_u32(&w, 1);
    cmp_cder_put_tlv(&w, CDER_OCTET_STRING, (cmp_span){d, dl});
    x = cmp_cder_open(&w, CDER_CTX_CONS(0));
    cmp_cder_put_tlv(&w, CDER_OID, (cmp_span){oid, ol});
    cmp_cder_close(&w, x);
    cmp_cder_close(&w, seq);
    ck_assert_int_eq(cmp_cder_wr_finish(&w, &der), CMP_OK);
    ck_assert_int_eq(cmp_crypto_key_load(c, &k, CT_BSPAN(der), NOPASS), CMP_OK);
    ck_assert_int_eq(cmp_crypto_sign(c, &sig, k, alg_for(CMP_SIG_SCHEME_ECDSA, CMP_HASH_SHA256),
                                     CT_SPAN("sample")),
                     CMP_OK);
    ck_assert_uint_eq(sig.len, sl);
    ck_assert(memcmp(sig.data, want, sl) == 0);
    ck_assert_int_eq(cmp_crypto_key_spki(c, &spki, k), CMP_OK);
    ck_assert_int_eq(cmp_crypto_verify(c, CT_BSPAN(spki),
                                       alg_for(CMP_SIG_SCHEME_ECDSA, CMP_HASH_SHA256),
                                       CT_SPAN("sample"), CT_BSPAN(sig)),
                     CMP_OK);
    cmp_buf_cleanup(&sig);
    cmp_buf_cleanup(&spki);
    cmp_buf_cleanup(&der);
    cmp_crypto_key_free(c, k);
    free(d);
    free(oid);
    free(want);
    cmp_crypto_free(c);
}
END_TEST

typedef struct ossl_sig {
    const char *sig;
    const char *spki;
    cmp_sig_scheme scheme;
    cmp_hash_alg hash;
    const char *dgst_opts; /* how openssl verifies ours; NULL: pkeyutl -rawin */
} ossl_sig;

static const ossl_sig ossl_sigs[] = {
    {"rsa2048.sha256.sig", "rsa2048.spki.der", CMP_SIG_SCHEME_PKCS1, CMP_HASH_SHA256, "-sha256"},
    {"rsa2048.sha512.sig", "rsa2048.spki.der", CMP_SIG_SCHEME_PKCS1, CMP_HASH_SHA512, "-sha512"},
    {"rsa2048.pss256.sig", "rsa2048.spki.der", CMP_SIG_SCHEME_PSS, CMP_HASH_SHA256,
     "-sha256 -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:32"},
    {"rsa2048.pss384.sig", "rsa2048.spki.der", CMP_SIG_SCHEME_PSS, CMP_HASH_SHA384,
     "-sha384 -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:48"},
    {"ec256.sha256.sig", "ec256.spki.der", CMP_SIG_SCHEME_ECDSA, CMP_HASH_SHA256, "-sha256"},
    {"ec384.sha384.sig", "ec384.spki.der", CMP_SIG_SCHEME_ECDSA, CMP_HASH_SHA384, "-sha384"},
    {"ec521.sha512.sig", "ec521.spki.der", CMP_SIG_SCHEME_ECDSA, CMP_HASH_SHA512, "-sha512"},
    {"ed25519.sig", "ed25519.spki.der", CMP_SIG_SCHEME_ED25519, CMP_HASH_SHA512, NULL},
};

static cmp_span load2(const char *dir, const char *name)
{
    char rel[128];

    snprintf(rel, sizeof(rel), "%s/%s", dir, name);
    return ct_load(rel);
}

/* Signatures openssl dgst / pkeyutl made (make.sh) verify here. */
START_TEST(test_verify_openssl_sigs)
{
    const ossl_sig *os = &ossl_sigs[_i];
    cmp_crypto *c = ct_prov();
    cmp_span sig = load2("sig", os->sig), spki = load2("keys", os->spki);
    cmp_span data = ct_load("sig/data.bin");
    cmp_span alg = alg_for(os->scheme, os->hash);
    uint8_t *bad = testlib_dup(sig.data, sig.len);

    ck_assert_int_eq(cmp_crypto_verify(c, spki, alg, data, sig), CMP_OK);
    bad[sig.len / 2] ^= 0x01;
    ck_assert_int_eq(cmp_crypto_verify(c, spki, alg, data, (cmp_span){bad, sig.len}),
                     CMP_ERR_SIGNATURE);
    ck_assert_int_eq(cmp_crypto_verify(c, spki, alg, data, (cmp_span){sig.data, sig.len - 1}),
                     CMP_ERR_SIGNATURE);
    ck_assert_int_eq(cmp_crypto_verify(c, spki, alg, (cmp_span){data.data, data.len - 1}, sig),
                     CMP_ERR_SIGNATURE);
    free(bad);
    ct_free(sig);
    ct_free(spki);
    ct_free(data);
    cmp_crypto_free(c);
}
END_TEST

/* Signatures made here verify with openssl dgst / pkeyutl. */
START_TEST(test_openssl_verifies_ours)
{
    const ossl_sig *os = &ossl_sigs[_i];
    static const char *const keys[] = {"rsa2048.pem", "rsa2048.pem", "rsa2048.pem",
                                       "rsa2048.pem", "ec256.pem",   "ec384.pem",
                                       "ec521.pem",   "ed25519.p8.pem"};
    cmp_crypto *c;
    cmp_key *k;
    cmp_buf sig = {NULL, 0};
    cmp_span data;
    const char *verify, *opts;
    char spki_path[1024];
    int rc;

    if (!ct_have_openssl()) {
        return;
    }
    c = ct_prov();
    k = ct_key(c, keys[_i]);
    data = ct_load("sig/data.bin");
    ck_assert_int_eq(cmp_crypto_sign(c, &sig, k, alg_for(os->scheme, os->hash), data), CMP_OK);
    ct_write(ct_tmpfile("sig"), CT_BSPAN(sig));
    verify = os->dgst_opts != NULL
                 ? "openssl dgst %s -verify %s -keyform DER -signature %s %s"
                 : "openssl pkeyutl -verify -pubin -keyform DER %s-inkey %s -sigfile %s -rawin "
                   "-in %s";
    snprintf(spki_path, sizeof(spki_path), "%s/%s", ct_data_path("keys"), os->spki);
    opts = os->dgst_opts != NULL ? os->dgst_opts : "";
    rc = ct_run(verify, opts, spki_path, ct_tmpfile("sig"), ct_data_path("sig/data.bin"));
    ck_assert_msg(rc == 0, "openssl rejected our %s", os->sig);
    sig.data[sig.len - 1] ^= 0x01;
    ct_write(ct_tmpfile("sig"), CT_BSPAN(sig));
    rc = ct_run(verify, opts, spki_path, ct_tmpfile("sig"), ct_data_path("sig/data.bin"));
    ck_assert_msg(rc != 0, "openssl accepted a damaged %s", os->sig);
    cmp_buf_cleanup(&sig);
    ct_free(data);
    cmp_crypto_key_free(c, k);
    cmp_crypto_free(c);
}
END_TEST

/* Algorithm identifiers that must be refused, with the error each gives. */
typedef struct alg_err_case {
    const char *name;
    const char *hex;
    cmp_err err;
} alg_err_case;

static const alg_err_case bad_sig_algs[] = {
    {"md5WithRSAEncryption", "300d06092a864886f70d0101040500", CMP_ERR_UNKNOWN_ALG},
    {"sha1WithRSAEncryption", "300d06092a864886f70d0101050500", CMP_ERR_UNKNOWN_ALG},
    {"ecdsa-with-SHA1", "300906072a8648ce3d0401", CMP_ERR_UNKNOWN_ALG},
    {"Ed448", "300506032b6571", CMP_ERR_UNKNOWN_ALG},
    {"Ed25519 with NULL", "300706032b65700500", CMP_ERR_UNKNOWN_ALG},
    {"sha256WithRSA with INTEGER params", "300e06092a864886f70d01010b020100",
     CMP_ERR_UNKNOWN_ALG},
    {"PSS, no parameters", "300b06092a864886f70d01010a", CMP_ERR_DECODE},
    {"PSS, empty parameters (SHA-1 defaults)", "300d06092a864886f70d01010a3000",
     CMP_ERR_UNKNOWN_ALG},
    {"PSS sha256, mgf1 sha384",
     "303d06092a864886f70d01010a3030a00d300b0609608648016503040201a11a301806092a864886f70d01"
     "0108300b0609608648016503040202a203020120",
     CMP_ERR_UNKNOWN_ALG},
    {"PSS sha256, trailerField 2",
     "304206092a864886f70d01010a3035a00d300b0609608648016503040201a11a301806092a864886f70d01"
     "0108300b0609608648016503040201a203020120a303020102",
     CMP_ERR_UNKNOWN_ALG},
    {"truncated", "300d06092a864886f70d01010b05", CMP_ERR_DECODE},
    {"trailing byte", "300d06092a864886f70d01010b050000", CMP_ERR_DECODE},
    {"indefinite length", "308006092a864886f70d01010b05000000", CMP_ERR_DECODE},
    {"non-minimal length", "30810d06092a864886f70d01010b0500", CMP_ERR_DECODE},
    {"empty", "", CMP_ERR_DECODE},
};

START_TEST(test_verify_bad_alg)
{
    const alg_err_case *ac = &bad_sig_algs[_i];
    cmp_crypto *c = ct_prov();
    cmp_key *k = ct_key(c, "rsa2048.pem");
    cmp_span spki = ct_load("keys/rsa2048.spki.der"), data = ct_load("sig/data.bin");
    cmp_span sig = ct_load("sig/rsa2048.sha256.sig");
    cmp_buf out = {NULL, 0};
    size_t n;
    uint8_t *alg = testlib_hex(ac->hex, &n);
    cmp_err e = cmp_crypto_verify(c, spki, (cmp_span){alg, n}, data, sig);

    ck_assert_msg(e == ac->err, "%s: verify gave %s", ac->name, cmp_err_name(e));
    e = cmp_crypto_sign(c, &out, k, (cmp_span){alg, n}, data);
    ck_assert_msg(e == ac->err, "%s: sign gave %s", ac->name, cmp_err_name(e));
    ck_assert_ptr_null(out.data);
    free(alg);
    ct_free(spki);
    ct_free(data);
    ct_free(sig);
    cmp_crypto_key_free(c, k);
    cmp_crypto_free(c);
}
END_TEST

START_TEST(test_verify_wrong_key)
{
    cmp_crypto *c = ct_prov();
    cmp_key *ec = ct_key(c, "ec256.pem"), *ed = ct_key(c, "ed25519.p8.pem");
    cmp_span rsa = ct_load("keys/rsa2048.spki.der"), ecs = ct_load("keys/ec256.spki.der");
    cmp_span ec384 = ct_load("keys/ec384.spki.der"), small = ct_load("keys/rsa1024.spki.der");
    cmp_span data = ct_load("sig/data.bin"), rsasig = ct_load("sig/rsa2048.sha256.sig");
    cmp_span ecsig = ct_load("sig/ec256.sha256.sig");
    cmp_span pkcs1 = alg_for(CMP_SIG_SCHEME_PKCS1, CMP_HASH_SHA256);
    cmp_span ecdsa = alg_for(CMP_SIG_SCHEME_ECDSA, CMP_HASH_SHA256);
    cmp_buf out = {NULL, 0};
    static const uint8_t junk[] = {0x30, 0x03, 0x02, 0x01, 0x00};
    uint8_t *nonder;

    /* the algorithm is not for this key */
    ck_assert_int_eq(cmp_crypto_verify(c, ecs, pkcs1, data, rsasig), CMP_ERR_KEY_TYPE);
    ck_assert_int_eq(cmp_crypto_verify(c, rsa, ecdsa, data, ecsig), CMP_ERR_KEY_TYPE);
    ck_assert_int_eq(cmp_crypto_sign(c, &out, ec, pkcs1, data), CMP_ERR_KEY_TYPE);
    ck_assert_int_eq(cmp_crypto_sign(c, &out, ed, ecdsa, data), CMP_ERR_KEY_TYPE);
    /* another key of the right type */
    ck_assert_int_eq(cmp_crypto_verify(c, ec384, ecdsa, data, ecsig), CMP_ERR_SIGNATURE);
    /* RSA below the 2048-bit floor */
    ck_assert_int_eq(cmp_crypto_verify(c, small, pkcs1, data, rsasig), CMP_ERR_KEY_TYPE);
    /* not a SubjectPublicKeyInfo */
    ck_assert_int_eq(cmp_crypto_verify(c, (cmp_span){junk, sizeof(junk)}, pkcs1, data, rsasig),
                     CMP_ERR_KEY_PARSE);
    /* ECDSA signature in BER with a non-minimal INTEGER: refused */
    nonder = malloc(ecsig.len + 1);
    ck_assert_int_eq(ecsig.data[2], 0x02);
    nonder[0] = 0x30;
    nonder[1] = (uint8_t)(ecsig.data[1] + 1);
    nonder[2] = 0x02;
    nonder[3] = (uint8_t)(ecsig.data[3] + 1);
    nonder[4] = 0x00;
    memcpy(nonder + 5, ecsig.data + 4, ecsig.len - 4);
    if (ecsig.data[4] < 0x80) {
        ck_assert_int_eq(cmp_crypto_verify(c, ecs, ecdsa, data, (cmp_span){nonder, ecsig.len + 1}),
                         CMP_ERR_SIGNATURE);
    }
    free(nonder);
    ck_assert_int_eq(cmp_crypto_verify(c, ecs, ecdsa, data, ecsig), CMP_OK);
    ct_free(rsa);
    ct_free(ecs);
    ct_free(ec384);
    ct_free(small);
    ct_free(data);
    ct_free(rsasig);
    ct_free(ecsig);
    cmp_crypto_key_free(c, ec);
    cmp_crypto_key_free(c, ed);
    cmp_crypto_free(c);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* algorithm helpers                                                        */
/* ------------------------------------------------------------------------ */

static const struct {
    const char *key;
    cmp_hash_alg hash;
    unsigned flags;
    cmp_err err;
    cmp_sig_scheme scheme;
    cmp_hash_alg want_hash;
} default_cases[] = {
    {"rsa2048.pem", CMP_HASH_NONE, 0, CMP_OK, CMP_SIG_SCHEME_PKCS1, CMP_HASH_SHA256},
    {"rsa2048.pem", CMP_HASH_SHA512, 0, CMP_OK, CMP_SIG_SCHEME_PKCS1, CMP_HASH_SHA512},
    {"rsa2048.pem", CMP_HASH_NONE, CMP_SIG_RSA_PSS, CMP_OK, CMP_SIG_SCHEME_PSS, CMP_HASH_SHA256},
    {"rsa2048.pem", CMP_HASH_SHA384, CMP_SIG_RSA_PSS, CMP_OK, CMP_SIG_SCHEME_PSS,
     CMP_HASH_SHA384},
    {"ec256.pem", CMP_HASH_NONE, 0, CMP_OK, CMP_SIG_SCHEME_ECDSA, CMP_HASH_SHA256},
    {"ec384.pem", CMP_HASH_NONE, 0, CMP_OK, CMP_SIG_SCHEME_ECDSA, CMP_HASH_SHA384},
    {"ec521.pem", CMP_HASH_NONE, 0, CMP_OK, CMP_SIG_SCHEME_ECDSA, CMP_HASH_SHA512},
    {"ec521.pem", CMP_HASH_SHA256, 0, CMP_OK, CMP_SIG_SCHEME_ECDSA, CMP_HASH_SHA256},
    {"ed25519.p8.pem", CMP_HASH_NONE, 0, CMP_OK, CMP_SIG_SCHEME_ED25519, CMP_HASH_SHA512},
    {"ed25519.p8.pem", CMP_HASH_SHA512, 0, CMP_OK, CMP_SIG_SCHEME_ED25519, CMP_HASH_SHA512},
    {"ed25519.p8.pem", CMP_HASH_SHA256, 0, CMP_ERR_UNKNOWN_ALG, 0, 0},
    {"rsa2048.pem", CMP_HASH_SHA1, 0, CMP_ERR_UNKNOWN_ALG, 0, 0},
    {"ec256.pem", CMP_HASH_SHA1, 0, CMP_ERR_UNKNOWN_ALG, 0, 0},
    {"ec256.pem", CMP_HASH_SHA256, 0x80, CMP_ERR_ARG, 0, 0},
};

START_TEST(test_sig_alg_default)
{
    cmp_crypto *c = ct_prov();
    cmp_key *k = ct_key(c, default_cases[_i].key);
    cmp_span alg = {NULL, 0};
    cmp_sig_alg sa;
    cmp_hash_alg h;
    cmp_key_type kt;
    cmp_alg_kind kind;

    ck_assert_int_eq(cmp_crypto_sig_alg_default(c, &alg, k, default_cases[_i].hash,
                                                default_cases[_i].flags),
                     default_cases[_i].err);
    if (default_cases[_i].err == CMP_OK) {
        ck_assert_int_eq(cmp_alg_sig_decode(&sa, alg), CMP_OK);
        ck_assert_int_eq(sa.scheme, default_cases[_i].scheme);
        ck_assert_int_eq(sa.hash, default_cases[_i].want_hash);
        ck_assert_int_eq(cmp_crypto_sig_alg_hash(&h, &kt, alg), CMP_OK);
        ck_assert_int_eq(h, default_cases[_i].want_hash);
        ck_assert_int_eq(cmp_crypto_alg_kind(&kind, alg), CMP_OK);
        ck_assert_int_eq(kind, CMP_ALG_SIGNATURE);
        if (sa.scheme == CMP_SIG_SCHEME_PSS) {
            ck_assert_uint_eq(sa.pss_salt_len, cmp_crypto_hash_len(sa.hash));
        }
        sign_verify(c, k, alg);
    }
    cmp_crypto_key_free(c, k);
    cmp_crypto_free(c);
}
END_TEST

/* Our static AlgorithmIdentifiers are what openssl understands them to be. */
START_TEST(test_sig_alg_encodings_openssl)
{
    static const char *const want[] = {"sha256WithRSAEncryption", "rsassaPss", "sha256",
                                       "mgf1", "ecdsa-with-SHA384", "ED25519"};
    cmp_span a;
    char *out;

    if (!ct_have_openssl()) {
        return;
    }
    a = alg_for(CMP_SIG_SCHEME_PKCS1, CMP_HASH_SHA256);
    ct_write(ct_tmpfile("a1"), a);
    a = alg_for(CMP_SIG_SCHEME_PSS, CMP_HASH_SHA256);
    ct_write(ct_tmpfile("a2"), a);
    a = alg_for(CMP_SIG_SCHEME_ECDSA, CMP_HASH_SHA384);
    ct_write(ct_tmpfile("a3"), a);
    a = alg_for(CMP_SIG_SCHEME_ED25519, CMP_HASH_SHA512);
    ct_write(ct_tmpfile("a4"), a);
    out = ct_capture("cd %s && for f in a1 a2 a3 a4; do openssl asn1parse -inform DER -in $f; "
                     "done 2>&1",
                     ct_tmpdir());
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
        ck_assert_msg(strstr(out, want[i]) != NULL, "%s not in %s", want[i], out);
    }
    ck_assert(strstr(out, "INTEGER           :20") != NULL); /* PSS saltLength 32 */
    ck_assert(strstr(out, "error") == NULL);
    free(out);
}
END_TEST

START_TEST(test_alg_kind)
{
    cmp_crypto *c = ct_prov();
    cmp_buf mac = {NULL, 0};
    cmp_alg_kind kind;
    size_t n;
    uint8_t *p;

    ck_assert_int_eq(cmp_crypto_mac_alg_new(c, &mac, NULL), CMP_OK);
    ck_assert_int_eq(cmp_crypto_alg_kind(&kind, CT_BSPAN(mac)), CMP_OK);
    ck_assert_int_eq(kind, CMP_ALG_MAC);
    cmp_buf_cleanup(&mac);
    p = testlib_hex("300d06092a864886f70d0101040500", &n); /* md5WithRSA */
    ck_assert_int_eq(cmp_crypto_alg_kind(&kind, (cmp_span){p, n}), CMP_ERR_UNKNOWN_ALG);
    free(p);
    p = testlib_hex("30030601", &n); /* truncated */
    ck_assert_int_eq(cmp_crypto_alg_kind(&kind, (cmp_span){p, n}), CMP_ERR_DECODE);
    free(p);
    cmp_crypto_free(c);
}
END_TEST

/* certConf certHash: the certificate's signature hash, SHA-512 for Ed25519,
 * or an explicit hashAlg (RFC 9810 section 5.3.18, RFC 9481 section 3.3). */
START_TEST(test_cert_hash)
{
    static const struct {
        const char *cert;
        cmp_hash_alg explicit_hash;
        cmp_hash_alg want;
    } cases[] = {
        {"certs/leaf.der", CMP_HASH_NONE, CMP_HASH_SHA384},      /* ecdsa-with-SHA384 */
        {"certs/root.der", CMP_HASH_NONE, CMP_HASH_SHA256},      /* sha256WithRSA */
        {"certs/int.der", CMP_HASH_NONE, CMP_HASH_SHA256},       /* PSS with SHA-256 */
        {"certs/leaf-rsa.der", CMP_HASH_NONE, CMP_HASH_SHA512},  /* ecdsa-with-SHA512 */
        {"certs/leaf-under-ed.der", CMP_HASH_NONE, CMP_HASH_SHA512}, /* Ed25519 */
        {"certs/leaf.der", CMP_HASH_SHA256, CMP_HASH_SHA256},
    };
    cmp_crypto *c = ct_prov();
    uint8_t got[CMP_HASH_MAX_LEN], want[CMP_HASH_MAX_LEN];
    size_t gl = 0, wl = 0, i;
    cmp_span hash_alg = {NULL, 0};
    cmp_span bad = ct_load("keys/ec256.spki.der");

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        cmp_span cert = ct_load(cases[i].cert);
        hash_alg.len = 0;
        if (cases[i].explicit_hash != CMP_HASH_NONE) {
            ck_assert_int_eq(cmp_crypto_hash_alg_encode(&hash_alg, cases[i].explicit_hash),
                             CMP_OK);
        }
        ck_assert_int_eq(cmp_crypto_cert_hash(c, got, &gl, cert, hash_alg), CMP_OK);
        ck_assert_int_eq(cmp_crypto_hash(c, want, &wl, cases[i].want, cert), CMP_OK);
        ck_assert_uint_eq(gl, wl);
        ck_assert(memcmp(got, want, wl) == 0);
        ct_free(cert);
    }
    ck_assert_int_eq(cmp_crypto_cert_hash(c, got, &gl, bad, (cmp_span){NULL, 0}),
                     CMP_ERR_CERT_PARSE);
    ct_free(bad);
    cmp_crypto_free(c);
}
END_TEST

/* The key identifier of a key is openssl's "subjectKeyIdentifier = hash". */
START_TEST(test_key_id)
{
    cmp_crypto *c = ct_prov();
    cmp_span cert = ct_load("certs/leaf.der"), junk = ct_load("sig/data.bin");
    cmp_cert_info ci;
    uint8_t id[CMP_KEY_ID_LEN];

    ck_assert_int_eq(cmp_crypto_cert_parse(&ci, cert), CMP_OK);
    ck_assert_int_eq(cmp_crypto_key_id(c, id, ci.spki), CMP_OK);
    ck_assert_uint_eq(ci.ski.len, CMP_KEY_ID_LEN);
    ck_assert(memcmp(id, ci.ski.data, CMP_KEY_ID_LEN) == 0);
    ck_assert_int_eq(cmp_crypto_key_id(c, id, junk), CMP_ERR_KEY_PARSE);
    ct_free(cert);
    ct_free(junk);
    cmp_crypto_free(c);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* allocation failures                                                      */
/* ------------------------------------------------------------------------ */

/* Each operation, with the Nth allocation failing for every N until it
 * succeeds, fails cleanly with CMP_ERR_NOMEM (and leaks nothing: the
 * sanitizer and valgrind runs check that). */
START_TEST(test_alloc_failures)
{
    cmp_crypto *c = NULL;
    cmp_span pem = ct_load("keys/ec256.enc.pem"), data = ct_load("sig/data.bin");
    cmp_span spki = ct_load("keys/ec256.spki.der"), sig = ct_load("sig/ec256.sha256.sig");
    cmp_span alg = alg_for(CMP_SIG_SCHEME_ECDSA, CMP_HASH_SHA256);
    cmp_buf out = {NULL, 0};
    cmp_key *k = NULL;
    long n;
    cmp_err e;
    int op;

    for (op = 0; op < 5; op++) {
        for (n = 0; n < 100; n++) {
            testlib_fail_alloc_after(op == 0 ? n : -1);
            if (c == NULL) {
                e = cmp_crypto_wolfssl_new(&c);
                if (op == 0) {
                    if (e == CMP_OK) {
                        break;
                    }
                    ck_assert_int_eq(e, CMP_ERR_NOMEM);
                    continue;
                }
                ck_assert_int_eq(e, CMP_OK);
            }
            if (op == 0) {
                break;
            }
            testlib_fail_alloc_after(n);
            switch (op) {
            case 1:
                e = cmp_crypto_key_load(c, &k, pem, CT_SPAN(PASS));
                break;
            case 2:
                e = k == NULL ? CMP_ERR_STATE : cmp_crypto_sign(c, &out, k, alg, data);
                break;
            case 3:
                e = cmp_crypto_verify(c, spki, alg, data, sig);
                break;
            default:
                e = k == NULL ? CMP_ERR_STATE : cmp_crypto_key_export_pem(c, &out, k, 0);
                break;
            }
            testlib_fail_alloc_after(-1);
            if (e == CMP_OK) {
                break;
            }
            ck_assert_msg(e == CMP_ERR_NOMEM, "op %d, n %ld: %s", op, n, cmp_err_name(e));
        }
        ck_assert_msg(n < 100, "op %d never succeeded", op);
        cmp_buf_cleanup(&out);
    }
    cmp_crypto_key_free(c, k);
    cmp_crypto_free(c);
    cmp_set_allocator(NULL);
    ct_free(pem);
    ct_free(data);
    ct_free(spki);
    ct_free(sig);
}
END_TEST

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

static Suite *cmp_crypto_suite(void)
{
    Suite *s = suite_create("crypto");
    TCase *tc;

    tc = tcase_create("provider");
    tcase_add_test(tc, test_wolfssl_new_free);
    tcase_add_test(tc, test_random_fills);
    tcase_add_loop_test(tc, test_hash_vectors, 0, N(abc_vectors));
    tcase_add_test(tc, test_hash_from_name);
    tcase_add_test(tc, test_hash_alg_encode_decode);
    suite_add_tcase(s, tc);

    tc = tcase_create("keys");
    tcase_set_timeout(tc, 60);
    tcase_add_loop_test(tc, test_key_load_ok, 0, N(good_keys));
    tcase_add_loop_test(tc, test_key_load_errors, 0, N(bad_keys));
    tcase_add_test(tc, test_key_load_args);
    tcase_add_loop_test(tc, test_key_load_prefixes, 0, N(prefix_keys));
    tcase_add_loop_test(tc, test_key_generate, 0, N(gen_cases));
    tcase_add_test(tc, test_key_generate_errors);
    tcase_add_loop_test(tc, test_key_export_pem_openssl, 0, 5);
    tcase_add_test(tc, test_key_check_cert);
    tcase_add_test(tc, test_key_id);
    suite_add_tcase(s, tc);

    tc = tcase_create("signatures");
    tcase_set_timeout(tc, 60);
    tcase_add_loop_test(tc, test_sign_verify_roundtrip, 0, N(sig_cases));
    tcase_add_loop_test(tc, test_sign_ecdsa_rfc6979, 0, N(rfc6979));
    tcase_add_loop_test(tc, test_verify_openssl_sigs, 0, N(ossl_sigs));
    tcase_add_loop_test(tc, test_openssl_verifies_ours, 0, N(ossl_sigs));
    tcase_add_loop_test(tc, test_verify_bad_alg, 0, N(bad_sig_algs));
    tcase_add_test(tc, test_verify_wrong_key);
    tcase_add_loop_test(tc, test_sig_alg_default, 0, N(default_cases));
    tcase_add_test(tc, test_sig_alg_encodings_openssl);
    tcase_add_test(tc, test_alg_kind);
    tcase_add_test(tc, test_cert_hash);
    suite_add_tcase(s, tc);

    tc = tcase_create("alloc");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_alloc_failures);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(cmp_crypto_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
