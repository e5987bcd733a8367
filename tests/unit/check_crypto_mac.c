/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tests/unit/check_crypto_mac.c: MAC protection through cmp_crypto.h:
 * PasswordBasedMac against messages "openssl cmp -use_mock_srv -secret"
 * produced (and OpenSSL's mock server accepting ours), PBMAC1 against
 * openssl kdf + openssl mac, the iteration cap, and malformed parameters.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_crypto_util.h"
#include "crypto_int.h"
#include "testlib.h"

#define SECRET "cmpstack-pbm-secret"

/* ------------------------------------------------------------------------ */
/* A minimal view of a PKIMessage, enough to find what PBM covers           */
/* ------------------------------------------------------------------------ */

/* PKIMessage ::= SEQUENCE { header PKIHeader, body PKIBody,
 *   protection [0] PKIProtection OPTIONAL, extraCerts [1] ... OPTIONAL }
 * PKIHeader ::= SEQUENCE { pvno, sender, recipient, messageTime [0] OPTIONAL,
 *   protectionAlg [1] AlgorithmIdentifier OPTIONAL, ... } */
typedef struct pkimsg {
    cmp_cder_tlv header;
    cmp_cder_tlv body;
    cmp_span alg;        /* protectionAlg (AlgorithmIdentifier TLV) */
    cmp_span protection; /* the MAC */
    cmp_span rest;       /* extraCerts, if any */
} pkimsg;

static void msg_parse(pkimsg *m, cmp_span der)
{
    cmp_cder_tlv top, t;
    cmp_cder_rd rd, h, p;
    unsigned unused;

    memset(m, 0, sizeof(*m));
    ck_assert_int_eq(cmp_cder_one(der, CDER_SEQUENCE, &top), CMP_OK);
    cmp_cder_init(&rd, top.body);
    ck_assert_int_eq(cmp_cder_get(&rd, CDER_SEQUENCE, &m->header), CMP_OK);
    ck_assert_int_eq(cmp_cder_get_any(&rd, &m->body), CMP_OK);
    ck_assert_int_eq(cmp_cder_enter(&rd, CDER_CTX_CONS(0), &p), CMP_OK);
    ck_assert_int_eq(cmp_cder_get_bits(&p, &m->protection, &unused), CMP_OK);
    m->rest = (cmp_span){rd.data, rd.len};
    cmp_cder_init(&h, m->header.body);
    while (cmp_cder_left(&h) > 0) {
        ck_assert_int_eq(cmp_cder_get_any(&h, &t), CMP_OK);
        if (t.tag == CDER_CTX_CONS(1)) {
            m->alg = t.body;
        }
    }
    ck_assert_uint_gt(m->alg.len, 0);
}

/* ProtectedPart ::= SEQUENCE { header PKIHeader, body PKIBody } */
static cmp_buf protected_part(cmp_span header, cmp_span body)
{
    cmp_cder_wr w;
    cmp_buf out = {NULL, 0};
    size_t seq;

    cmp_cder_wr_init(&w);
    seq = cmp_cder_open(&w, CDER_SEQUENCE);
    cmp_cder_put_raw(&w, header);
    cmp_cder_put_raw(&w, body);
    cmp_cder_close(&w, seq);
    ck_assert_int_eq(cmp_cder_wr_finish(&w, &out), CMP_OK);
    return out;
}

static const char *const openssl_msgs[] = {
    "pbm/pbm-default-ir.der",  "pbm/pbm-default-ip.der",  "pbm/pbm-default-certconf.der",
    "pbm/pbm-default-pkiconf.der", "pbm/pbm-sha512-ir.der", "pbm/pbm-sha512-ip.der",
    "pbm/pbm-sha512-certconf.der", "pbm/pbm-sha512-pkiconf.der",
};

/* The PBM of messages openssl cmp and its mock server protected verifies,
 * and nothing else does. */
START_TEST(test_mac_verify_openssl_pbm)
{
    cmp_crypto *c = ct_prov();
    cmp_span der = ct_load(openssl_msgs[_i]);
    cmp_mac_params p;
    cmp_buf part;
    uint8_t *bad;
    pkimsg m;

    msg_parse(&m, der);
    part = protected_part(m.header.whole, m.body.whole);
    ck_assert_int_eq(cmp_crypto_mac_alg_decode(c, &p, m.alg), CMP_OK);
    ck_assert_int_eq(p.kind, CMP_MAC_PBM);
    ck_assert_int_eq(cmp_crypto_mac_verify(c, m.alg, CT_SPAN(SECRET), CT_BSPAN(part),
                                           m.protection),
                     CMP_OK);
    ck_assert_int_eq(cmp_crypto_mac_verify(c, m.alg, CT_SPAN("cmpstack-pbm-secreT"),
                                           CT_BSPAN(part), m.protection),
                     CMP_ERR_MAC);
    ck_assert_int_eq(cmp_crypto_mac_verify(c, m.alg, CT_SPAN(SECRET),
                                           (cmp_span){part.data, part.len - 1}, m.protection),
                     CMP_ERR_MAC);
    ck_assert_int_eq(cmp_crypto_mac_verify(c, m.alg, CT_SPAN(SECRET), CT_BSPAN(part),
                                           (cmp_span){m.protection.data, m.protection.len - 1}),
                     CMP_ERR_MAC);
    bad = testlib_dup(m.protection.data, m.protection.len);
    bad[0] ^= 0x80;
    ck_assert_int_eq(cmp_crypto_mac_verify(c, m.alg, CT_SPAN(SECRET), CT_BSPAN(part),
                                           (cmp_span){bad, m.protection.len}),
                     CMP_ERR_MAC);
    free(bad);
    cmp_buf_cleanup(&part);
    ct_free(der);
    cmp_crypto_free(c);
}
END_TEST

/* Our MAC under OpenSSL's parameters is OpenSSL's MAC, byte for byte. */
START_TEST(test_mac_protect_equals_openssl)
{
    cmp_crypto *c = ct_prov();
    cmp_span der = ct_load(openssl_msgs[_i]);
    cmp_buf part, mac = {NULL, 0};
    pkimsg m;

    msg_parse(&m, der);
    part = protected_part(m.header.whole, m.body.whole);
    ck_assert_int_eq(cmp_crypto_mac_protect(c, &mac, m.alg, CT_SPAN(SECRET), CT_BSPAN(part)),
                     CMP_OK);
    ck_assert_uint_eq(mac.len, m.protection.len);
    ck_assert(memcmp(mac.data, m.protection.data, mac.len) == 0);
    cmp_buf_cleanup(&mac);
    cmp_buf_cleanup(&part);
    ct_free(der);
    cmp_crypto_free(c);
}
END_TEST

/* reprotect replaces the request's protectionAlg with |alg| and its MAC with
 * ours under |secret|: a PKIMessage OpenSSL never saw. */
static cmp_buf reprotect(cmp_crypto *c, const pkimsg *m, cmp_span alg, cmp_span secret)
{
    cmp_cder_wr w;
    cmp_cder_rd h;
    cmp_cder_tlv t;
    cmp_buf hdr = {NULL, 0}, part, mac = {NULL, 0}, out = {NULL, 0};
    size_t seq, x;

    cmp_cder_wr_init(&w);
    seq = cmp_cder_open(&w, CDER_SEQUENCE);
    cmp_cder_init(&h, m->header.body);
    while (cmp_cder_left(&h) > 0) {
        ck_assert_int_eq(cmp_cder_get_any(&h, &t), CMP_OK);
        if (t.tag == CDER_CTX_CONS(1)) {
            cmp_cder_put_tlv(&w, CDER_CTX_CONS(1), alg);
        } else {
            cmp_cder_put_raw(&w, t.whole);
        }
    }
    cmp_cder_close(&w, seq);
    ck_assert_int_eq(cmp_cder_wr_finish(&w, &hdr), CMP_OK);
    part = protected_part(CT_BSPAN(hdr), m->body.whole);
    ck_assert_int_eq(cmp_crypto_mac_protect(c, &mac, alg, secret, CT_BSPAN(part)), CMP_OK);
    cmp_cder_wr_init(&w);
    seq = cmp_cder_open(&w, CDER_SEQUENCE);
    cmp_cder_put_raw(&w, CT_BSPAN(hdr));
    cmp_cder_put_raw(&w, m->body.whole);
    x = cmp_cder_open(&w, CDER_CTX_CONS(0));
    cmp_cder_put_bits(&w, CT_BSPAN(mac));
    cmp_cder_close(&w, x);
    cmp_cder_put_raw(&w, m->rest);
    cmp_cder_close(&w, seq);
    ck_assert_int_eq(cmp_cder_wr_finish(&w, &out), CMP_OK);
    cmp_buf_cleanup(&hdr);
    cmp_buf_cleanup(&part);
    cmp_buf_cleanup(&mac);
    return out;
}

static const struct {
    cmp_hash_alg owf;
    cmp_hash_alg mac;
    uint32_t iterations;
    const char *secret;
    int accepted;
} ours[] = {
    {CMP_HASH_SHA256, CMP_HASH_SHA256, 10000, SECRET, 1}, /* our defaults */
    {CMP_HASH_SHA512, CMP_HASH_SHA512, 100, SECRET, 1},
    {CMP_HASH_SHA384, CMP_HASH_SHA224, 777, SECRET, 1},
    {CMP_HASH_SHA256, CMP_HASH_SHA1, 500, SECRET, 1},
    {CMP_HASH_SHA256, CMP_HASH_SHA256, 10000, "not-the-secret", 0},
};

/* OpenSSL's mock server checks the PBM of an ir we protected with our own
 * parameters: it answers ip ([1]) when it accepts it and error ([23]) when
 * it does not. */
START_TEST(test_openssl_accepts_our_pbm)
{
    cmp_crypto *c;
    cmp_span der, rsp;
    cmp_buf alg = {NULL, 0}, msg;
    cmp_mac_params p;
    cmp_cder_tlv top, hdr, body;
    cmp_cder_rd rd;
    pkimsg m;

    if (!ct_have_openssl()) {
        return;
    }
    c = ct_prov();
    der = ct_load("pbm/pbm-default-ir.der");
    msg_parse(&m, der);
    cmp_crypto_mac_params_default(&p, CMP_MAC_PBM);
    p.owf = ours[_i].owf;
    p.mac = ours[_i].mac;
    p.iterations = ours[_i].iterations;
    ck_assert_int_eq(cmp_crypto_mac_alg_new(c, &alg, &p), CMP_OK);
    msg = reprotect(c, &m, CT_BSPAN(alg),
                    (cmp_span){(const uint8_t *)ours[_i].secret, strlen(ours[_i].secret)});
    ct_write(ct_tmpfile("ir.der"), CT_BSPAN(msg));
    ct_run("openssl cmp -cmd ir -use_mock_srv -srv_secret pass:%s -srv_ref mock-srv "
           "-rsp_cert %s -secret pass:%s -ref cmp-client -newkey %s -subject /CN=cmp-test "
           "-recipient '/CN=cmpstack test int' -certout %s -disable_confirm -reqin %s "
           "-rspout %s",
           SECRET, ct_data_path("pbm/ee.crt"), SECRET, ct_data_path("keys/ec256.pem"),
           ct_tmpfile("new.crt"), ct_tmpfile("ir.der"), ct_tmpfile("rsp.der"));
    rsp = ct_read(ct_tmpfile("rsp.der"));
    ck_assert_int_eq(cmp_cder_one(rsp, CDER_SEQUENCE, &top), CMP_OK);
    cmp_cder_init(&rd, top.body);
    ck_assert_int_eq(cmp_cder_get_any(&rd, &hdr), CMP_OK);
    ck_assert_int_eq(cmp_cder_get_any(&rd, &body), CMP_OK);
    ck_assert_int_eq(body.tag, ours[_i].accepted ? CDER_CTX_CONS(1) : CDER_CTX_CONS(23));
    ct_free(rsp);
    cmp_buf_cleanup(&msg);
    cmp_buf_cleanup(&alg);
    ct_free(der);
    cmp_crypto_free(c);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* PBMAC1                                                                   */
/* ------------------------------------------------------------------------ */

static cmp_hash_alg hash_named(const char *name)
{
    cmp_hash_alg h = CMP_HASH_NONE;

    ck_assert_int_eq(cmp_crypto_hash_from_name(&h, name), CMP_OK);
    return h;
}

/* pbmac1_alg encodes a PBMAC1 protectionAlg with a given salt. */
static cmp_buf pbmac1_alg(cmp_hash_alg prf, cmp_hash_alg mac, uint32_t iter, size_t key_len,
                          cmp_span salt)
{
    cmp_mac_params p;
    cmp_buf out = {NULL, 0};

    cmp_crypto_mac_params_default(&p, CMP_MAC_PBMAC1);
    p.owf = prf;
    p.mac = mac;
    p.iterations = iter;
    p.key_len = key_len;
    ck_assert_int_eq(cmp_alg_mac_encode(&out, &p, salt), CMP_OK);
    return out;
}

/* Known answers from openssl kdf (PBKDF2) and openssl mac (HMAC), stored by
 * make.sh in pbm/pbmac1-kat.txt. */
START_TEST(test_pbmac1_known_answers)
{
    cmp_crypto *c = ct_prov();
    cmp_span file = ct_load("pbm/pbmac1-kat.txt");
    char *text = malloc(file.len + 1), *line, *save = NULL;
    unsigned iter, key_len, count = 0;
    char prf[16], mac[16], salt_hex[256], secret[128], data_hex[512], want_hex[256];

    memcpy(text, file.data, file.len);
    text[file.len] = '\0';
    for (line = strtok_r(text, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
        size_t sl, dl, wl;
        uint8_t *salt, *data, *want;
        cmp_buf alg, got = {NULL, 0};
        cmp_mac_params p;

        ck_assert_int_eq(sscanf(line, "%u %u %15s %15s %255s %127s %511s %255s", &iter, &key_len,
                                prf, mac, salt_hex, secret, data_hex, want_hex),
                         8);
        salt = testlib_hex(salt_hex, &sl);
        data = testlib_hex(data_hex, &dl);
        want = testlib_hex(want_hex, &wl);
        alg = pbmac1_alg(hash_named(prf), hash_named(mac), iter, key_len, (cmp_span){salt, sl});
        ck_assert_int_eq(cmp_crypto_mac_alg_decode(c, &p, CT_BSPAN(alg)), CMP_OK);
        ck_assert_uint_eq(p.key_len, key_len);
        ck_assert_int_eq(cmp_crypto_mac_protect(c, &got, CT_BSPAN(alg),
                                                (cmp_span){(uint8_t *)secret, strlen(secret)},
                                                (cmp_span){data, dl}),
                         CMP_OK);
        ck_assert_uint_eq(got.len, wl);
        ck_assert_msg(memcmp(got.data, want, wl) == 0, "vector %u", count);
        ck_assert_int_eq(cmp_crypto_mac_verify(c, CT_BSPAN(alg),
                                               (cmp_span){(uint8_t *)secret, strlen(secret)},
                                               (cmp_span){data, dl}, (cmp_span){want, wl}),
                         CMP_OK);
        cmp_buf_cleanup(&got);
        cmp_buf_cleanup(&alg);
        free(salt);
        free(data);
        free(want);
        count++;
    }
    ck_assert_uint_eq(count, 4);
    free(text);
    ct_free(file);
    cmp_crypto_free(c);
}
END_TEST

/* PBMAC1 with a fresh random salt against openssl kdf + mac at test time. */
START_TEST(test_pbmac1_vs_openssl)
{
    cmp_crypto *c;
    cmp_buf alg = {NULL, 0}, mac = {NULL, 0};
    cmp_mac_params p;
    char salt_hex[2 * 64 + 1], mac_hex[2 * 64 + 1], *key, *want;
    size_t i;

    if (!ct_have_openssl()) {
        return;
    }
    c = ct_prov();
    ck_assert_int_eq(cmp_crypto_mac_alg_new(c, &alg, NULL), CMP_OK); /* the defaults */
    ck_assert_int_eq(cmp_crypto_mac_alg_decode(c, &p, CT_BSPAN(alg)), CMP_OK);
    for (i = 0; i < p.salt.len; i++) {
        sprintf(salt_hex + 2 * i, "%02x", p.salt.data[i]);
    }
    ck_assert_int_eq(cmp_crypto_mac_protect(c, &mac, CT_BSPAN(alg), CT_SPAN(SECRET),
                                            CT_SPAN("message")),
                     CMP_OK);
    for (i = 0; i < mac.len; i++) {
        sprintf(mac_hex + 2 * i, "%02X", mac.data[i]);
    }
    ct_write(ct_tmpfile("msg"), CT_SPAN("message"));
    key = ct_capture("openssl kdf -keylen %zu -kdfopt digest:SHA256 -kdfopt pass:%s "
                     "-kdfopt hexsalt:%s -kdfopt iter:%u PBKDF2 | tr -d ':\\n'",
                     p.key_len, SECRET, salt_hex, p.iterations);
    want = ct_capture("openssl mac -digest SHA256 -macopt hexkey:%s -in %s HMAC | tr -d '\\n'",
                      key, ct_tmpfile("msg"));
    ck_assert_str_eq(want, mac_hex);
    free(key);
    free(want);
    cmp_buf_cleanup(&alg);
    cmp_buf_cleanup(&mac);
    cmp_crypto_free(c);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* building parameters                                                      */
/* ------------------------------------------------------------------------ */

START_TEST(test_mac_alg_new_roundtrip)
{
    cmp_crypto *c = ct_prov();
    cmp_buf a = {NULL, 0}, b = {NULL, 0}, mac = {NULL, 0};
    cmp_mac_params want, got, got2;
    cmp_alg_kind kind;
    cmp_mac_kind k = _i == 0 ? CMP_MAC_PBM : CMP_MAC_PBMAC1;

    cmp_crypto_mac_params_default(&want, k);
    ck_assert_int_eq(cmp_crypto_mac_alg_new(c, &a, &want), CMP_OK);
    ck_assert_int_eq(cmp_crypto_mac_alg_new(c, &b, &want), CMP_OK);
    ck_assert_int_eq(cmp_crypto_mac_alg_decode(c, &got, CT_BSPAN(a)), CMP_OK);
    ck_assert_int_eq(cmp_crypto_mac_alg_decode(c, &got2, CT_BSPAN(b)), CMP_OK);
    ck_assert_int_eq(got.kind, k);
    ck_assert_int_eq(got.owf, CMP_HASH_SHA256);
    ck_assert_int_eq(got.mac, CMP_HASH_SHA256);
    ck_assert_uint_eq(got.iterations, CMP_MAC_DEFAULT_ITERATIONS);
    ck_assert_uint_eq(got.salt_len, CMP_MAC_DEFAULT_SALT_LEN);
    ck_assert_uint_eq(got.key_len, k == CMP_MAC_PBMAC1 ? 32 : 0);
    ck_assert(memcmp(got.salt.data, got2.salt.data, got.salt_len) != 0); /* fresh salts */
    ck_assert_int_eq(cmp_crypto_alg_kind(&kind, CT_BSPAN(a)), CMP_OK);
    ck_assert_int_eq(kind, CMP_ALG_MAC);
    ck_assert_int_eq(cmp_crypto_mac_protect(c, &mac, CT_BSPAN(a), CT_SPAN(SECRET),
                                            CT_SPAN("data")),
                     CMP_OK);
    ck_assert_uint_eq(mac.len, 32);
    ck_assert_int_eq(cmp_crypto_mac_verify(c, CT_BSPAN(a), CT_SPAN(SECRET), CT_SPAN("data"),
                                           CT_BSPAN(mac)),
                     CMP_OK);
    ck_assert_int_eq(cmp_crypto_mac_verify(c, CT_BSPAN(b), CT_SPAN(SECRET), CT_SPAN("data"),
                                           CT_BSPAN(mac)),
                     CMP_ERR_MAC); /* another salt */
    cmp_buf_cleanup(&a);
    cmp_buf_cleanup(&b);
    cmp_buf_cleanup(&mac);
    cmp_crypto_free(c);
}
END_TEST

START_TEST(test_mac_alg_new_errors)
{
    cmp_crypto *c = ct_prov();
    cmp_buf a = {NULL, 0};
    cmp_mac_params p;

    cmp_crypto_mac_params_default(&p, CMP_MAC_PBMAC1);
    p.iterations = 100001;
    ck_assert_int_eq(cmp_crypto_mac_alg_new(c, &a, &p), CMP_ERR_ITERATIONS);
    p.iterations = 10;
    ck_assert_int_eq(cmp_crypto_mac_alg_new(c, &a, &p), CMP_ERR_ITERATIONS);
    cmp_crypto_mac_params_default(&p, CMP_MAC_PBMAC1);
    p.owf = CMP_HASH_SHA1; /* PBMAC1 takes HMAC-SHA2 only */
    ck_assert_int_eq(cmp_crypto_mac_alg_new(c, &a, &p), CMP_ERR_UNKNOWN_ALG);
    cmp_crypto_mac_params_default(&p, CMP_MAC_PBM);
    p.salt_len = 4;
    ck_assert_int_eq(cmp_crypto_mac_alg_new(c, &a, &p), CMP_ERR_ARG);
    p.salt_len = 65;
    ck_assert_int_eq(cmp_crypto_mac_alg_new(c, &a, &p), CMP_ERR_ARG);
    cmp_crypto_mac_params_default(&p, CMP_MAC_PBM);
    p.mac = CMP_HASH_NONE;
    ck_assert_int_eq(cmp_crypto_mac_alg_new(c, &a, &p), CMP_ERR_UNKNOWN_ALG);
    p.kind = (cmp_mac_kind)9;
    ck_assert_int_eq(cmp_crypto_mac_alg_new(c, &a, &p), CMP_ERR_ARG);
    ck_assert_ptr_null(a.data);
    ck_assert_int_eq(cmp_crypto_mac_alg_new(c, NULL, NULL), CMP_ERR_ARG);
    cmp_crypto_free(c);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* the cap and malformed parameters                                         */
/* ------------------------------------------------------------------------ */

typedef struct alg_err_case {
    const char *name;
    const char *hex;
    cmp_err err;
} alg_err_case;

static const alg_err_case bad_macs[] = {
    {"PBM owf md5",
     "303f06092a864886f67d07420d30320410000102030405060708090a0b0c0d0e0f300c06082a864886f70d02"
     "050500020203e8300c06082a864886f70d02090500",
     CMP_ERR_UNKNOWN_ALG},
    {"PBM mac hmac-md5",
     "303c06092a864886f67d07420d302f0410000102030405060708090a0b0c0d0e0f300b060960864801650304"
     "0201020203e8300a06082b06010505080101",
     CMP_ERR_UNKNOWN_ALG},
    {"PBM mac parameters INTEGER",
     "303f06092a864886f67d07420d30320410000102030405060708090a0b0c0d0e0f300b060960864801650304"
     "0201020203e8300d06082a864886f70d0209020101",
     CMP_ERR_UNKNOWN_ALG},
    {"PBM salt of 4 octets",
     "303206092a864886f67d07420d3025040461626364300b0609608648016503040201020203e8300c06082a86"
     "4886f70d02090500",
     CMP_ERR_UNKNOWN_ALG},
    {"PBM salt of 65 octets",
     "306f06092a864886f67d07420d3062044161616161616161616161616161616161616161616161616161616161"
     "61616161616161616161616161616161616161616161616161616161616161616161616161300b060960864801"
     "6503040201020203e8300c06082a864886f70d02090500",
     CMP_ERR_UNKNOWN_ALG},
    {"PBM extra element",
     "304006092a864886f67d07420d30330410000102030405060708090a0b0c0d0e0f300b060960864801650304"
     "0201020203e8300c06082a864886f70d020905000500",
     CMP_ERR_DECODE},
    {"PBM iterationCount 100001",
     "303f06092a864886f67d07420d30320410000102030405060708090a0b0c0d0e0f300b060960864801650304"
     "020102030186a1300c06082a864886f70d02090500",
     CMP_ERR_ITERATIONS},
    {"PBM iterationCount 2^40",
     "304206092a864886f67d07420d30350410000102030405060708090a0b0c0d0e0f300b060960864801650304"
     "02010206010000000000300c06082a864886f70d02090500",
     CMP_ERR_ITERATIONS},
    {"PBM iterationCount 99",
     "303d06092a864886f67d07420d30300410000102030405060708090a0b0c0d0e0f300b060960864801650304"
     "0201020163300c06082a864886f70d02090500",
     CMP_ERR_ITERATIONS},
    {"PBM iterationCount -1",
     "303d06092a864886f67d07420d30300410000102030405060708090a0b0c0d0e0f300b060960864801650304"
     "02010201ff300c06082a864886f70d02090500",
     CMP_ERR_ITERATIONS},
    {"PBM iterationCount non-minimal",
     "303f06092a864886f67d07420d30320410000102030405060708090a0b0c0d0e0f300b060960864801650304"
     "02010203 0003e8300c06082a864886f70d02090500",
     CMP_ERR_DECODE},
    {"PBMAC1 prf absent (hmacWithSHA1)",
     "304306092a864886f70d01050e3036302606092a864886f70d01050c30190410000102030405060708090a0b"
     "0c0d0e0f020203e8020120300c06082a864886f70d02090500",
     CMP_ERR_UNKNOWN_ALG},
    {"PBMAC1 prf hmacWithSHA1",
     "305106092a864886f70d01050e3044303406092a864886f70d01050c30270410000102030405060708090a0b"
     "0c0d0e0f020203e8020120300c06082a864886f70d02070500300c06082a864886f70d02090500",
     CMP_ERR_UNKNOWN_ALG},
    {"PBMAC1 mac hmac-sha1",
     "304f06092a864886f70d01050e3042303406092a864886f70d01050c30270410000102030405060708090a0b"
     "0c0d0e0f020203e8020120300c06082a864886f70d02090500300a06082b06010505080102",
     CMP_ERR_UNKNOWN_ALG},
    {"PBMAC1 keyLength 65",
     "305106092a864886f70d01050e3044303406092a864886f70d01050c30270410000102030405060708090a0b"
     "0c0d0e0f020203e8020141300c06082a864886f70d02090500300c06082a864886f70d02090500",
     CMP_ERR_UNKNOWN_ALG},
    {"PBMAC1 keyLength 0",
     "305106092a864886f70d01050e3044303406092a864886f70d01050c30270410000102030405060708090a0b"
     "0c0d0e0f020203e8020100300c06082a864886f70d02090500300c06082a864886f70d02090500",
     CMP_ERR_UNKNOWN_ALG},
    {"PBMAC1 kdf scrypt",
     "305106092a864886f70d01050e3044303406092b06010401da47040b30270410000102030405060708090a0b"
     "0c0d0e0f020203e8020120300c06082a864886f70d02090500300c06082a864886f70d02090500",
     CMP_ERR_UNKNOWN_ALG},
    {"PBMAC1 salt otherSource",
     "304c06092a864886f70d01050e303f302f06092a864886f70d01050c3022300b0609608648016503040201020"
     "203e8020120300c06082a864886f70d02090500300c06082a864886f70d02090500",
     CMP_ERR_UNKNOWN_ALG},
    {"PBMAC1 iterationCount 100001",
     "305206092a864886f70d01050e3045303506092a864886f70d01050c30280410000102030405060708090a0b"
     "0c0d0e0f02030186a1020120300c06082a864886f70d02090500300c06082a864886f70d02090500",
     CMP_ERR_ITERATIONS},
    {"PBMAC1 iterationCount 2^31",
     "305406092a864886f70d01050e3047303706092a864886f70d01050c302a0410000102030405060708090a0b"
     "0c0d0e0f02050080000000020120300c06082a864886f70d02090500300c06082a864886f70d02090500",
     CMP_ERR_ITERATIONS},
    {"DHBasedMac",
     "302606092a864886f67d07421e3019300b0609608648016503040201300a06082a864886f70d0209",
     CMP_ERR_UNKNOWN_ALG},
    {"hmacWithSHA256 alone", "300c06082a864886f70d02090500", CMP_ERR_UNKNOWN_ALG},
    {"empty", "", CMP_ERR_DECODE},
};

/* Each is refused by decode, protect and verify alike, before any work. */
START_TEST(test_mac_alg_errors)
{
    const alg_err_case *ac = &bad_macs[_i];
    cmp_crypto *c = ct_prov();
    cmp_buf mac = {NULL, 0};
    cmp_mac_params p;
    size_t n;
    uint8_t *alg = testlib_hex(ac->hex, &n);
    cmp_span a = {alg, n};
    cmp_err e;

    ck_assert_ptr_nonnull(alg);
    e = cmp_crypto_mac_alg_decode(c, &p, a);
    ck_assert_msg(e == ac->err, "%s: decode gave %s", ac->name, cmp_err_name(e));
    e = cmp_crypto_mac_protect(c, &mac, a, CT_SPAN(SECRET), CT_SPAN("data"));
    ck_assert_msg(e == ac->err, "%s: protect gave %s", ac->name, cmp_err_name(e));
    ck_assert_ptr_null(mac.data);
    e = cmp_crypto_mac_verify(c, a, CT_SPAN(SECRET), CT_SPAN("data"), CT_SPAN("0123456789abcdef"));
    ck_assert_msg(e == ac->err, "%s: verify gave %s", ac->name, cmp_err_name(e));
    /* the provider's own slot refuses too (a caller bypassing the wrapper) */
    e = c->ops->mac_verify(c, a, CT_SPAN(SECRET), CT_SPAN("data"), CT_SPAN("0123456789abcdef"));
    ck_assert_msg(e == ac->err, "%s: provider gave %s", ac->name, cmp_err_name(e));
    free(alg);
    cmp_crypto_free(c);
}
END_TEST

/* The cap is the caller's: lower it and a count above it fails. */
START_TEST(test_mac_iteration_cap_configurable)
{
    cmp_crypto *c = ct_prov();
    cmp_buf alg = {NULL, 0}, mac = {NULL, 0};
    cmp_mac_params p;

    cmp_crypto_mac_params_default(&p, _i == 0 ? CMP_MAC_PBM : CMP_MAC_PBMAC1);
    p.iterations = 1001;
    ck_assert_int_eq(cmp_crypto_mac_alg_new(c, &alg, &p), CMP_OK);
    c->limits.max_iterations = 1000;
    ck_assert_int_eq(cmp_crypto_mac_protect(c, &mac, CT_BSPAN(alg), CT_SPAN(SECRET),
                                            CT_SPAN("data")),
                     CMP_ERR_ITERATIONS);
    ck_assert_int_eq(cmp_crypto_mac_verify(c, CT_BSPAN(alg), CT_SPAN(SECRET), CT_SPAN("data"),
                                           CT_SPAN("x")),
                     CMP_ERR_ITERATIONS);
    c->limits.max_iterations = 1001;
    ck_assert_int_eq(cmp_crypto_mac_protect(c, &mac, CT_BSPAN(alg), CT_SPAN(SECRET),
                                            CT_SPAN("data")),
                     CMP_OK);
    c->limits.min_iterations = 2000;
    c->limits.max_iterations = 5000;
    ck_assert_int_eq(cmp_crypto_mac_verify(c, CT_BSPAN(alg), CT_SPAN(SECRET), CT_SPAN("data"),
                                           CT_BSPAN(mac)),
                     CMP_ERR_ITERATIONS);
    cmp_buf_cleanup(&alg);
    cmp_buf_cleanup(&mac);
    cmp_crypto_free(c);
}
END_TEST

/* Every prefix of valid parameters, in exact-size buffers, fails; and a
 * PBMAC1 without keyLength takes the HMAC length. */
START_TEST(test_mac_alg_prefixes)
{
    static const char *const good[] = {
        "303e06092a864886f67d07420d30310410000102030405060708090a0b0c0d0e0f300b060960864801650"
        "3040201020203e8300c06082a864886f70d02090500",
        "305106092a864886f70d01050e3044303406092a864886f70d01050c30270410000102030405060708090a"
        "0b0c0d0e0f020203e8020120300c06082a864886f70d02090500300c06082a864886f70d02090500",
        "304e06092a864886f70d01050e3041303106092a864886f70d01050c30240410000102030405060708090a"
        "0b0c0d0e0f020203e8300c06082a864886f70d02090500300c06082a864886f70d02090500",
    };
    cmp_crypto *c = ct_prov();
    cmp_mac_params p;
    size_t n, i;
    uint8_t *alg = testlib_hex(good[_i], &n), *pre;

    ck_assert_int_eq(cmp_crypto_mac_alg_decode(c, &p, (cmp_span){alg, n}), CMP_OK);
    ck_assert_uint_eq(p.iterations, 1000);
    ck_assert_uint_eq(p.salt_len, 16);
    if (p.kind == CMP_MAC_PBMAC1) {
        ck_assert_uint_eq(p.key_len, 32);
    }
    for (i = 0; i < n; i++) {
        pre = testlib_dup(alg, i);
        ck_assert_int_eq(cmp_crypto_mac_alg_decode(c, &p, (cmp_span){pre, i}), CMP_ERR_DECODE);
        free(pre);
    }
    pre = malloc(n + 1);
    memcpy(pre, alg, n);
    pre[n] = 0;
    ck_assert_int_eq(cmp_crypto_mac_alg_decode(c, &p, (cmp_span){pre, n + 1}), CMP_ERR_DECODE);
    free(pre);
    free(alg);
    cmp_crypto_free(c);
}
END_TEST

START_TEST(test_mac_args)
{
    cmp_crypto *c = ct_prov();
    cmp_buf alg = {NULL, 0}, mac = {NULL, 0};

    ck_assert_int_eq(cmp_crypto_mac_alg_new(c, &alg, NULL), CMP_OK);
    ck_assert_int_eq(cmp_crypto_mac_protect(c, &mac, CT_BSPAN(alg), (cmp_span){NULL, 0},
                                            CT_SPAN("data")),
                     CMP_ERR_ARG);
    ck_assert_int_eq(cmp_crypto_mac_protect(c, NULL, CT_BSPAN(alg), CT_SPAN(SECRET),
                                            CT_SPAN("data")),
                     CMP_ERR_ARG);
    ck_assert_int_eq(cmp_crypto_mac_verify(c, CT_BSPAN(alg), CT_SPAN(SECRET), CT_SPAN("data"),
                                           (cmp_span){NULL, 3}),
                     CMP_ERR_ARG);
    ck_assert_int_eq(cmp_crypto_mac_verify(NULL, CT_BSPAN(alg), CT_SPAN(SECRET), CT_SPAN("data"),
                                           CT_SPAN("x")),
                     CMP_ERR_ARG);
    cmp_buf_cleanup(&alg);
    cmp_crypto_free(c);
}
END_TEST

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

static Suite *cmp_crypto_mac_suite(void)
{
    Suite *s = suite_create("crypto_mac");
    TCase *tc;

    tc = tcase_create("openssl");
    tcase_set_timeout(tc, 60);
    tcase_add_loop_test(tc, test_mac_verify_openssl_pbm, 0, N(openssl_msgs));
    tcase_add_loop_test(tc, test_mac_protect_equals_openssl, 0, N(openssl_msgs));
    tcase_add_loop_test(tc, test_openssl_accepts_our_pbm, 0, N(ours));
    tcase_add_test(tc, test_pbmac1_known_answers);
    tcase_add_test(tc, test_pbmac1_vs_openssl);
    suite_add_tcase(s, tc);

    tc = tcase_create("params");
    tcase_add_loop_test(tc, test_mac_alg_new_roundtrip, 0, 2);
    tcase_add_test(tc, test_mac_alg_new_errors);
    tcase_add_loop_test(tc, test_mac_alg_errors, 0, N(bad_macs));
    tcase_add_loop_test(tc, test_mac_iteration_cap_configurable, 0, 2);
    tcase_add_loop_test(tc, test_mac_alg_prefixes, 0, 3);
    tcase_add_test(tc, test_mac_args);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(cmp_crypto_mac_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
