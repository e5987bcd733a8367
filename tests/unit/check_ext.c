/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tests/unit/check_ext.c: extensions (stack/ext.c, ext_print.c), the OID
 * table (stack/oid.c) and the time helpers of stack/msg_body.c.
 *
 * The expected extension encodings were made by OpenSSL 3.0:
 *   openssl req -new -key k.pem -subj /CN=x -addext "subjectAltName=..." \
 *       -addext "keyUsage=..." ... -outform DER | openssl asn1parse -inform DER
 * and copied from the extnValue OCTET STRINGs it prints.
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmp/ext.h"
#include "cmp/mem.h"
#include "cmp/oid.h"
#include "msg_body_int.h"
#include "testlib.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static cmp_span sp(const void *d, size_t n)
{
    cmp_span s;
    s.data = d;
    s.len = n;
    return s;
}

static int buf_is_hex(const cmp_buf *b, const char *hex)
{
    size_t n = 0;
    uint8_t *want = testlib_hex(hex, &n);
    int eq;

    ck_assert_ptr_nonnull(want);
    eq = n == b->len && memcmp(want, b->data, n) == 0;
    free(want);
    return eq;
}

/* ---- subjectAltName --------------------------------------------------------- */

typedef struct san_case {
    const char *in;
    const char *hex; /* NULL: CMP_ERR_ARG */
} san_case;

static const san_case san_cases[] = {
    /* openssl req -addext "subjectAltName=DNS:ee.example,IP:10.0.0.1,URI:https://x,
     *                       email:a@b.example,IP:2001:db8::1" */
    {"ee.example 10.0.0.1 https://x a@b.example 2001:db8::1",
     "303c820a65652e6578616d706c6587040a000001860968747470733a2f2f78810b6140622e6578616d70"
     "6c65871020010db8000000000000000000000001"},
    {"DNS:ee.example,IP:10.0.0.1, URI:https://x,,email:a@b.example IP:2001:db8::1",
     "303c820a65652e6578616d706c6587040a000001860968747470733a2f2f78810b6140622e6578616d70"
     "6c65871020010db8000000000000000000000001"},
    /* "subjectAltName=IP:::1,IP:fe80::1:2:3:4,IP:::ffff:1.2.3.4,IP:1:2:3:4:5:6:7:8,
     *  DNS:*.a.example" */
    {"::1 fe80::1:2:3:4 ::ffff:1.2.3.4 1:2:3:4:5:6:7:8 *.a.example",
     "30558710000000000000000000000000000000018710fe80000000000000000100020003000487100000"
     "0000000000000000ffff01020304871000010002000300040005000600070008820b2a2e612e657861"
     "6d706c65"},
    {"localhost", "300b82096c6f63616c686f7374"},
    /* negative cases */
    {"", NULL},
    {" , ", NULL},
    {"a..example", NULL},
    {".a.example", NULL},
    {"a.example.", NULL},
    {"-a.example", NULL},
    {"a-.example", NULL},
    {"a_b.example", NULL},
    {"\xc3\xa9.example", NULL},
    {"*.*.example", NULL},
    {"DNS:", NULL},
    {"DNS:10.0.0.1/8", NULL},
    {"x@", NULL},
    {"@x.example", NULL},
    {"a@b@c.example", NULL},
    {"email:nobody", NULL},
    {"https://", NULL},
    {"1http://x", NULL},
    {"ht_tp://x", NULL},
    {"URI:no-scheme", NULL},
    {"1::2::3", NULL},
    {":::", NULL},
    {"1:2:3:4:5:6:7:8:9", NULL},
    {"1:2:3:4:5:6:7", NULL},
    {"12345::", NULL},
    {"::g", NULL},
    {"1:", NULL},
    {":1", NULL},
    {"1:2:3:4:5:6:7::8", NULL},
    {"::1.2.3", NULL},
    {"::1.2.3.4.5", NULL},
    {"IP:1.2.3", NULL},
    {"IP:01.2.3.4", NULL},
};

START_TEST(test_cmp_ext_san)
{
    const san_case *c = &san_cases[_i];
    cmp_buf out = {NULL, 0};
    cmp_err e = cmp_ext_san(&out, c->in);

    if (c->hex == NULL) {
        ck_assert_msg(e == CMP_ERR_ARG, "'%s': %s", c->in, cmp_err_name(e));
        ck_assert_ptr_null(out.data);
    } else {
        ck_assert_msg(e == CMP_OK, "'%s': %s", c->in, cmp_err_name(e));
        ck_assert_msg(buf_is_hex(&out, c->hex), "'%s'", c->in);
    }
    cmp_buf_cleanup(&out);
}
END_TEST

/* ---- keyUsage, extKeyUsage, basicConstraints -------------------------------- */

typedef struct ku_case {
    const char *names;
    const char *hex; /* NULL: CMP_ERR_ARG from the parser */
} ku_case;

static const ku_case ku_cases[] = {
    {"digitalSignature", "03020780"},
    {"digitalSignature,keyEncipherment", "030205a0"},
    {"keyCertSign cRLSign", "03020106"},
    {"decipherOnly", "0303070080"},
    {"contentCommitment", "03020640"},
    {"encipherOnly", "03020001"},
    {"", NULL},
    {"digitalsignature", NULL},
    {"digitalSignature,bogus", NULL},
};

START_TEST(test_cmp_ext_key_usage)
{
    const ku_case *c = &ku_cases[_i];
    cmp_buf out = {NULL, 0};
    uint32_t bits = 0, back = 0;
    cmp_err e = cmp_ext_key_usage_parse(&bits, c->names);

    if (c->hex == NULL) {
        ck_assert_int_eq(e, CMP_ERR_ARG);
        return;
    }
    ck_assert_int_eq(e, CMP_OK);
    ck_assert_int_eq(cmp_ext_key_usage(&out, bits), CMP_OK);
    ck_assert_msg(buf_is_hex(&out, c->hex), "%s", c->names);
    ck_assert_int_eq(cmp_ext_key_usage_read(sp(out.data, out.len), &back), CMP_OK);
    ck_assert_uint_eq(back, bits);
    cmp_buf_cleanup(&out);
}
END_TEST

START_TEST(test_cmp_ext_key_usage_bad)
{
    cmp_buf out = {NULL, 0};
    uint32_t bits = 0;

    ck_assert_int_eq(cmp_ext_key_usage(&out, 0), CMP_ERR_ARG);
    ck_assert_int_eq(cmp_ext_key_usage(&out, 1u << 9), CMP_ERR_ARG);
    ck_assert_int_eq(cmp_ext_key_usage(NULL, 1), CMP_ERR_ARG);
    /* trailing zero bits, non-zero unused bits, not a BIT STRING */
    ck_assert_int_eq(cmp_ext_key_usage_read(sp("\x03\x02\x00\x80", 4), &bits), CMP_ERR_DER_VALUE);
    ck_assert_int_eq(cmp_ext_key_usage_read(sp("\x03\x03\x07\x80\x00", 5), &bits),
                     CMP_ERR_DER_VALUE);
    ck_assert_int_ne(cmp_ext_key_usage_read(sp("\x03\x02\x07\x81", 4), &bits), CMP_OK);
    ck_assert_int_ne(cmp_ext_key_usage_read(sp("\x04\x01\x80", 3), &bits), CMP_OK);
    ck_assert_int_ne(cmp_ext_key_usage_read(sp("\x03\x02\x07", 3), &bits), CMP_OK);
    ck_assert_str_eq(cmp_ext_key_usage_name(CMP_KU_BIT_KEY_AGREEMENT), "keyAgreement");
    ck_assert_ptr_null(cmp_ext_key_usage_name(9));
    ck_assert_ptr_null(cmp_ext_key_usage_name(-1));
}
END_TEST

typedef struct eku_case {
    const char *in;
    const char *hex; /* NULL: CMP_ERR_ARG */
} eku_case;

static const eku_case eku_cases[] = {
    /* "extendedKeyUsage=serverAuth,clientAuth,1.2.3.4" */
    {"serverAuth,clientAuth,1.2.3.4",
     "301906082b0601050507030106082b0601050507030206032a0304"},
    {"cmKGA", "300a06082b06010505070320"},
    {"", NULL},
    {"serverauth", NULL},
    {"1", NULL},
    {"1.2..3", NULL},
    {"3.1", NULL},
    {"1.40", NULL},
    {"1.2.99999999999999999999999", NULL},
};

START_TEST(test_cmp_ext_eku)
{
    const eku_case *c = &eku_cases[_i];
    cmp_buf out = {NULL, 0};
    cmp_err e = cmp_ext_eku(&out, c->in);

    if (c->hex == NULL) {
        ck_assert_msg(e == CMP_ERR_ARG, "'%s': %s", c->in, cmp_err_name(e));
    } else {
        ck_assert_int_eq(e, CMP_OK);
        ck_assert_msg(buf_is_hex(&out, c->hex), "'%s'", c->in);
    }
    cmp_buf_cleanup(&out);
}
END_TEST

typedef struct bc_case {
    int ca, path_len;
    const char *hex; /* NULL: CMP_ERR_ARG */
} bc_case;

static const bc_case bc_cases[] = {
    {1, 0, "30060101ff020100"}, /* "basicConstraints=CA:TRUE,pathlen:0" */
    {1, -1, "30030101ff"},
    {0, -1, "3000"},            /* "basicConstraints=CA:FALSE" */
    {1, 300, "30070101ff0202012c"},
    {0, 0, NULL},
    {0, 3, NULL},
};

START_TEST(test_cmp_ext_basic_constraints)
{
    const bc_case *c = &bc_cases[_i];
    cmp_buf out = {NULL, 0};
    int ca = -1, pl = -2;
    cmp_err e = cmp_ext_basic_constraints(&out, c->ca, c->path_len);

    if (c->hex == NULL) {
        ck_assert_int_eq(e, CMP_ERR_ARG);
        return;
    }
    ck_assert_int_eq(e, CMP_OK);
    ck_assert(buf_is_hex(&out, c->hex));
    ck_assert_int_eq(cmp_ext_basic_constraints_read(sp(out.data, out.len), &ca, &pl), CMP_OK);
    ck_assert_int_eq(ca, c->ca);
    ck_assert_int_eq(pl, c->path_len);
    cmp_buf_cleanup(&out);
}
END_TEST

START_TEST(test_cmp_ext_basic_constraints_read_bad)
{
    int ca, pl;

    /* cA FALSE present (BER), negative pathLen, trailing byte */
    ck_assert_int_eq(cmp_ext_basic_constraints_read(sp("\x30\x03\x01\x01\x00", 5), &ca, &pl),
                     CMP_ERR_NOT_DER);
    ck_assert_int_eq(cmp_ext_basic_constraints_read(sp("\x30\x06\x01\x01\xff\x02\x01\xff", 8),
                                                    &ca, &pl),
                     CMP_ERR_CONSTRAINT);
    ck_assert_int_ne(cmp_ext_basic_constraints_read(sp("\x30\x00\x00", 3), &ca, &pl), CMP_OK);
    ck_assert_int_ne(cmp_ext_basic_constraints_read(sp(NULL, 0), &ca, &pl), CMP_OK);
}
END_TEST

/* ---- Extensions ------------------------------------------------------------- */

/* The whole Extensions of OpenSSL's request above: SAN, keyUsage
 * (critical), extKeyUsage, basicConstraints (critical). */
static const char exts_openssl[] =
    "30818f30450603551d11043e303c820a65652e6578616d706c6587040a00000186096874747073"
    "3a2f2f78810b6140622e6578616d706c65871020010db8000000000000000000000001300e0603"
    "551d0f0101ff0404030205a030220603551d25041b301906082b0601050507030106082b060105"
    "0507030206032a030430120603551d130101ff040830060101ff020100";

START_TEST(test_cmp_ext_encode_matches_openssl)
{
    cmp_buf san = {NULL, 0}, ku = {NULL, 0}, eku = {NULL, 0}, bc = {NULL, 0}, all = {NULL, 0};
    cmp_ext x[4], got;
    uint32_t bits = 0;
    char text[256];
    size_t n = 0, i;

    ck_assert_int_eq(cmp_ext_san(&san, "ee.example 10.0.0.1 https://x a@b.example 2001:db8::1"),
                     CMP_OK);
    ck_assert_int_eq(cmp_ext_key_usage_parse(&bits, "digitalSignature keyEncipherment"), CMP_OK);
    ck_assert_int_eq(cmp_ext_key_usage(&ku, bits), CMP_OK);
    ck_assert_int_eq(cmp_ext_eku(&eku, "serverAuth clientAuth 1.2.3.4"), CMP_OK);
    ck_assert_int_eq(cmp_ext_basic_constraints(&bc, 1, 0), CMP_OK);
    x[0].oid = sp(CMP_OID_EXT_SUBJECT_ALT_NAME, CMP_OID_EXT_LEN);
    x[0].critical = 0;
    x[0].value = sp(san.data, san.len);
    x[1].oid = sp(CMP_OID_EXT_KEY_USAGE, CMP_OID_EXT_LEN);
    x[1].critical = 1;
    x[1].value = sp(ku.data, ku.len);
    x[2].oid = sp(CMP_OID_EXT_EXT_KEY_USAGE, CMP_OID_EXT_LEN);
    x[2].critical = 0;
    x[2].value = sp(eku.data, eku.len);
    x[3].oid = sp(CMP_OID_EXT_BASIC_CONSTRAINTS, CMP_OID_EXT_LEN);
    x[3].critical = 1;
    x[3].value = sp(bc.data, bc.len);
    ck_assert_int_eq(cmp_ext_encode(&all, x, 4), CMP_OK);
    ck_assert(buf_is_hex(&all, exts_openssl));

    ck_assert_int_eq(cmp_ext_count(sp(all.data, all.len), &n), CMP_OK);
    ck_assert_uint_eq(n, 4);
    for (i = 0; i < 4; i++) {
        ck_assert_int_eq(cmp_ext_get(sp(all.data, all.len), i, &got), CMP_OK);
        ck_assert(got.oid.len == x[i].oid.len && memcmp(got.oid.data, x[i].oid.data, 3) == 0);
        ck_assert_int_eq(got.critical, x[i].critical);
        ck_assert(got.value.len == x[i].value.len &&
                  memcmp(got.value.data, x[i].value.data, got.value.len) == 0);
        /* spans point into the input */
        ck_assert(got.value.data > all.data && got.value.data < all.data + all.len);
    }
    ck_assert_int_eq(cmp_ext_get(sp(all.data, all.len), 4, &got), CMP_ERR_ARG);
    ck_assert_int_eq(cmp_ext_find(sp(all.data, all.len), x[2].oid, &got), CMP_OK);
    ck_assert_int_eq(cmp_ext_to_string(text, sizeof(text), &got), CMP_OK);
    ck_assert_str_eq(text, "serverAuth, clientAuth, 1.2.3.4");
    ck_assert_int_eq(cmp_ext_find(sp(all.data, all.len), sp("\x55\x1d\x0e", 3), &got),
                     CMP_ERR_MISSING_FIELD);
    cmp_buf_cleanup(&san);
    cmp_buf_cleanup(&ku);
    cmp_buf_cleanup(&eku);
    cmp_buf_cleanup(&bc);
    cmp_buf_cleanup(&all);
}
END_TEST

typedef struct encode_bad {
    const char *name;
    const char *oid_hex, *value_hex;
} encode_bad;

static const encode_bad encode_bads[] = {
    {"empty OID", "", "0500"},
    {"OID not terminated", "551d8f", "0500"},
    {"value empty", "551d0f", ""},
    {"value with a trailing byte", "551d0f", "050000"},
    {"value truncated", "551d0f", "0403aabb"},
    {"value indefinite", "551d0f", "30800000"},
};

START_TEST(test_cmp_ext_encode_bad)
{
    const encode_bad *c = &encode_bads[_i];
    size_t on = 0, vn = 0;
    uint8_t *o = testlib_hex(c->oid_hex, &on), *v = testlib_hex(c->value_hex, &vn);
    cmp_buf out = {NULL, 0};
    cmp_ext x;

    x.oid = sp(o, on);
    x.critical = 0;
    x.value = sp(v, vn);
    ck_assert_msg(cmp_ext_encode(&out, &x, 1) == CMP_ERR_ARG, "%s", c->name);
    ck_assert_ptr_null(out.data);
    free(o);
    free(v);
}
END_TEST

START_TEST(test_cmp_ext_encode_args)
{
    cmp_buf out = {NULL, 0};
    cmp_ext x[2];

    x[0].oid = sp(CMP_OID_EXT_KEY_USAGE, CMP_OID_EXT_LEN);
    x[0].critical = 1;
    x[0].value = sp("\x03\x02\x07\x80", 4);
    x[1] = x[0];
    ck_assert_int_eq(cmp_ext_encode(&out, x, 2), CMP_ERR_ARG); /* twice the same OID */
    ck_assert_int_eq(cmp_ext_encode(&out, x, 0), CMP_ERR_ARG);
    ck_assert_int_eq(cmp_ext_encode(&out, NULL, 1), CMP_ERR_ARG);
    ck_assert_int_eq(cmp_ext_encode(NULL, x, 1), CMP_ERR_ARG);
    ck_assert_int_eq(cmp_ext_encode(&out, x, 1), CMP_OK);
    ck_assert(buf_is_hex(&out, "3010 300e 0603551d0f 0101ff 0404 03020780"));
    cmp_buf_cleanup(&out);
}
END_TEST

/* Reading Extensions that are not canonical DER, or not Extensions. */
typedef struct read_bad {
    const char *hex;
    cmp_err want;
} read_bad;

static const read_bad read_bads[] = {
    {"300d 300b 0603551d0f 010100 0401 00", CMP_ERR_NOT_DER},   /* critical FALSE */
    {"300e 300c 0603551d0f 010101 0402 0500", CMP_ERR_DER_VALUE}, /* TRUE as 0x01 */
    {"3000", CMP_ERR_CONSTRAINT},                                /* SIZE (1..MAX) */
    {"3081 08 3006 0603551d0f 0400", CMP_ERR_DER_LENGTH},
    {"3008 3006 0603551d0f 0400 00", CMP_ERR_DER_TRAILING},
    {"3006 3004 0603551d0f", CMP_ERR_DER_TRAILING},               /* no extnValue */
    {"", CMP_ERR_ARG},
};

START_TEST(test_cmp_ext_count_bad)
{
    const read_bad *c = &read_bads[_i];
    size_t len = 0, n = 99;
    uint8_t *b = testlib_hex(c->hex, &len);
    cmp_err e = cmp_ext_count(sp(b, len), &n);

    ck_assert_msg(e == c->want, "%s: got %s want %s", c->hex, cmp_err_name(e),
                  cmp_err_name(c->want));
    ck_assert_uint_eq(n, 0);
    free(b);
}
END_TEST

/* Every proper prefix of a valid Extensions, in a heap buffer of exactly
 * that size, fails; so does the whole with one trailing byte. */
START_TEST(test_cmp_ext_count_prefixes)
{
    size_t len = 0, i, n;
    uint8_t *full = testlib_hex(exts_openssl, &len), *p;
    uint32_t bits;
    int ca, pl;

    ck_assert_ptr_nonnull(full);
    ck_assert_int_eq(cmp_ext_count(sp(full, len), &n), CMP_OK);
    for (i = 0; i < len; i++) {
        p = testlib_dup(full, i);
        ck_assert_int_ne(cmp_ext_count(sp(p, i), &n), CMP_OK);
        free(p);
    }
    p = malloc(len + 1);
    ck_assert_ptr_nonnull(p);
    memcpy(p, full, len);
    p[len] = 0;
    ck_assert_int_eq(cmp_ext_count(sp(p, len + 1), &n), CMP_ERR_DER_TRAILING);
    free(p);
    for (i = 0; i < 5; i++) {
        p = testlib_dup("\x03\x03\x07\x00\x80", i);
        ck_assert_int_ne(cmp_ext_key_usage_read(sp(p, i), &bits), CMP_OK);
        free(p);
        p = testlib_dup("\x30\x06\x01\x01\xff\x02\x01\x00", i);
        ck_assert_int_ne(cmp_ext_basic_constraints_read(sp(p, i), &ca, &pl), CMP_OK);
        free(p);
    }
    free(full);
}
END_TEST

/* ---- rendering ----------------------------------------------------------------- */

typedef struct str_case {
    const char *oid_hex, *value_hex, *want;
} str_case;

static const str_case str_cases[] = {
    {"551d11", "303c820a65652e6578616d706c6587040a000001860968747470733a2f2f78810b6140622e65"
               "78616d706c65871020010db8000000000000000000000001",
     "DNS:ee.example, IP:10.0.0.1, URI:https://x, email:a@b.example, IP:2001:db8:0:0:0:0:0:1"},
    {"551d11", "3009a407 3005 3103 0c01 61", "<malformed>"},
    {"551d11", "300a a408 3006 310430020c00", "<malformed>"},
    {"551d11", "3006 8204 610a1b62", "DNS:a\\x0a\\x1bb"},
    {"551d11", "3010a40e300c310a300806035504030c0178", "DirName:/CN=x"},
    {"551d0f", "030205a0", "digitalSignature, keyEncipherment"},
    {"551d13", "30060101ff020100", "CA:TRUE, pathlen:0"},
    {"551d13", "3000", "CA:FALSE"},
    {"551d15", "0a0101", "keyCompromise"},
    {"551d0e", "0403aabbcc", "aa:bb:cc"},
    {"2a0304", "0500", "0500"},
    {"551d0f", "03020080", "<malformed>"},
};

START_TEST(test_cmp_ext_to_string)
{
    const str_case *c = &str_cases[_i];
    size_t on = 0, vn = 0;
    uint8_t *o = testlib_hex(c->oid_hex, &on), *v = testlib_hex(c->value_hex, &vn);
    char text[256];
    cmp_ext x;
    cmp_err e;

    x.oid = sp(o, on);
    x.critical = 0;
    x.value = sp(v, vn);
    e = cmp_ext_to_string(text, sizeof(text), &x);
    ck_assert_msg(strcmp(text, c->want) == 0, "got '%s' want '%s'", text, c->want);
    ck_assert((e == CMP_OK) == (strcmp(c->want, "<malformed>") != 0));
    ck_assert_int_eq(cmp_ext_to_string(text, 4, &x), e == CMP_OK ? CMP_ERR_BUF_SMALL : e);
    free(o);
    free(v);
}
END_TEST

/* ---- OIDs ----------------------------------------------------------------------- */

/* Every table entry: its dotted form encodes to its bytes and back. */
START_TEST(test_cmp_oid_table)
{
    cmp_oid_info info;
    uint8_t der[64];
    char dotted[128];
    size_t len = 0;
    cmp_span s;

    ck_assert_int_eq(cmp_oid_at((size_t)_i, &info), CMP_OK);
    ck_assert_int_eq(cmp_oid_from_string(der, sizeof(der), &len, info.dotted), CMP_OK);
    ck_assert_msg(len == info.oid.len && memcmp(der, info.oid.data, len) == 0, "%s", info.name);
    ck_assert_int_eq(cmp_oid_to_string(dotted, sizeof(dotted), info.oid), CMP_OK);
    ck_assert_str_eq(dotted, info.dotted);
    ck_assert(cmp_oid_valid(info.oid));
    ck_assert_str_eq(cmp_oid_name(info.oid), info.name);
    ck_assert_int_eq(cmp_oid_kind_of(info.oid), info.kind);
    ck_assert_int_eq(cmp_oid_by_name(info.kind, info.name, &s), CMP_OK);
    ck_assert(cmp_oid_eq(s, info.oid));
}
END_TEST

START_TEST(test_cmp_infotype)
{
    static const struct {
        const char *name;
        int arc;
    } its[] = {
        {"caCerts", 17},         {"id-it-caCerts", 17},  {"rootCaCert", 20},
        {"rootCaKeyUpdate", 18}, {"certReqTemplate", 19}, {"certProfile", 21},
        {"crlStatusList", 22},   {"crls", 23},            {"signKeyPairTypes", 2},
        {"implicitConfirm", 13}, {"confirmWaitTime", 14},
    };
    cmp_span a, b;
    size_t i;

    for (i = 0; i < N(its); i++) {
        ck_assert_int_eq(cmp_infotype_by_name(its[i].name, &a), CMP_OK);
        ck_assert_int_eq(cmp_infotype_oid(its[i].arc, &b), CMP_OK);
        ck_assert(cmp_oid_eq(a, b));
        ck_assert_uint_eq(a.len, CMP_OID_ID_IT_LEN + 1);
        ck_assert(memcmp(a.data, CMP_OID_ID_IT, CMP_OID_ID_IT_LEN) == 0);
        ck_assert_uint_eq(a.data[CMP_OID_ID_IT_LEN], (unsigned)its[i].arc);
        ck_assert_str_eq(cmp_infotype_name(a),
                         its[i].name + (strncmp(its[i].name, "id-it-", 6) == 0 ? 6 : 0));
    }
    ck_assert_int_eq(cmp_infotype_by_name("cacerts", &a), CMP_ERR_UNKNOWN_INFOTYPE);
    ck_assert_int_eq(cmp_infotype_by_name("id-it-", &a), CMP_ERR_UNKNOWN_INFOTYPE);
    ck_assert_int_eq(cmp_infotype_by_name("serverAuth", &a), CMP_ERR_UNKNOWN_INFOTYPE);
    ck_assert_int_eq(cmp_infotype_by_name(NULL, &a), CMP_ERR_ARG);
    ck_assert_int_eq(cmp_infotype_oid(8, &a), CMP_ERR_UNKNOWN_INFOTYPE);
    ck_assert_int_eq(cmp_infotype_oid(0, &a), CMP_ERR_UNKNOWN_INFOTYPE);
    ck_assert_int_eq(cmp_infotype_oid(200, &a), CMP_ERR_UNKNOWN_INFOTYPE);
    ck_assert_ptr_null(cmp_infotype_name(sp("\x55\x1d\x0f", 3)));
    ck_assert_ptr_null(cmp_oid_name(sp("\x2a\x03", 2)));
    ck_assert_int_eq(cmp_oid_by_name(CMP_OIDK_SIG, "sha256", &a), CMP_ERR_ARG);
    ck_assert_int_eq(cmp_oid_by_name(CMP_OIDK_ANY, "sha256", &a), CMP_OK);
    ck_assert_int_eq(cmp_oid_at(cmp_oid_count(), NULL), CMP_ERR_ARG);
}
END_TEST

typedef struct oid_str_case {
    const char *dotted;
    const char *hex; /* NULL: CMP_ERR_ARG */
} oid_str_case;

static const oid_str_case oid_str_cases[] = {
    {"1.2.840.113549", "2a864886f70d"},
    {"2.5.29.37.0", "551d2500"},
    {"2.999.3", "8837 03"},
    {"0.39", "27"},
    {"1.3.6.1.4.1.18446744073709551615", "2b0601040181ffffffffffffffff7f"},
    {"1", NULL},
    {"", NULL},
    {"3.1", NULL},
    {"0.40", NULL},
    {"1.2.", NULL},
    {".1.2", NULL},
    {"1..2", NULL},
    {"01.2", NULL},
    {"1.02", NULL},
    {"1.2.-3", NULL},
    {"1.2.3a", NULL},
    {"1.3.6.1.4.1.18446744073709551616", NULL},
};

START_TEST(test_cmp_oid_from_string)
{
    const oid_str_case *c = &oid_str_cases[_i];
    uint8_t der[64];
    char back[128];
    size_t len = 99;
    cmp_err e = cmp_oid_from_string(der, sizeof(der), &len, c->dotted);
    cmp_buf got;

    if (c->hex == NULL) {
        ck_assert_msg(e == CMP_ERR_ARG, "'%s': %s", c->dotted, cmp_err_name(e));
        ck_assert_uint_eq(len, 0);
        return;
    }
    ck_assert_int_eq(e, CMP_OK);
    got.data = der;
    got.len = len;
    ck_assert_msg(buf_is_hex(&got, c->hex), "%s", c->dotted);
    ck_assert_int_eq(cmp_oid_to_string(back, sizeof(back), sp(der, len)), CMP_OK);
    ck_assert_str_eq(back, c->dotted);
    ck_assert_int_eq(cmp_oid_to_string(back, 3, sp(der, len)), CMP_ERR_BUF_SMALL);
    ck_assert_int_eq(cmp_oid_from_string(der, got.len - 1, &len, c->dotted), CMP_ERR_BUF_SMALL);
}
END_TEST

static const char *const oid_bad_hex[] = {
    "", "80", "2a80", "2a8001", "2a86", "8001", "2b ffffffffffffffffff7f",
};

START_TEST(test_cmp_oid_valid_bad)
{
    size_t len = 0;
    uint8_t *b = testlib_hex(oid_bad_hex[_i], &len);
    char out[128];
    cmp_err want = CMP_ERR_ARG;

    ck_assert_ptr_nonnull(b);
    if (_i == (int)N(oid_bad_hex) - 1) {
        ck_assert(cmp_oid_valid(sp(b, len))); /* well-formed, but 2^70 overflows */
    } else {
        ck_assert(!cmp_oid_valid(sp(b, len)));
    }
    ck_assert_int_eq(cmp_oid_to_string(out, sizeof(out), sp(b, len)), want);
    ck_assert_str_eq(out, "");
    free(b);
}
END_TEST

/* ---- time ------------------------------------------------------------------------ */

typedef struct time_case {
    const char *text;
    int generalized;
    int64_t want;
    cmp_err err;
} time_case;

static const time_case time_cases[] = {
    {"700101000000Z", 0, 0, CMP_OK},
    {"500101000000Z", 0, -631152000, CMP_OK},
    {"491231235959Z", 0, 2524607999, CMP_OK},
    {"000229120000Z", 0, 951825600, CMP_OK},
    {"19700101000000Z", 1, 0, CMP_OK},
    {"20520522141320Z", 1, 2600000000, CMP_OK},
    {"99991231235959Z", 1, INT64_C(253402300799), CMP_OK},
    {"00000101000000Z", 1, INT64_C(-62167219200), CMP_OK},
    {"21000229000000Z", 1, 0, CMP_ERR_DER_VALUE}, /* 2100 is not a leap year */
    {"20230230000000Z", 1, 0, CMP_ERR_DER_VALUE},
    {"20231301000000Z", 1, 0, CMP_ERR_DER_VALUE},
    {"20230100000000Z", 1, 0, CMP_ERR_DER_VALUE},
    {"20230101240000Z", 1, 0, CMP_ERR_DER_VALUE},
    {"20230101006000Z", 1, 0, CMP_ERR_DER_VALUE},
    {"20230101000060Z", 1, 0, CMP_ERR_DER_VALUE},
    {"20230101000000", 1, 0, CMP_ERR_DER_VALUE},
    {"20230101000000.5Z", 1, 0, CMP_ERR_DER_VALUE},
    {"202301010000Z", 1, 0, CMP_ERR_DER_VALUE},
    {"2023010100000+Z", 1, 0, CMP_ERR_DER_VALUE},
    {"20230101000000+0000", 1, 0, CMP_ERR_DER_VALUE},
    {"230101000000Z", 1, 0, CMP_ERR_DER_VALUE},
    {"20230101000000Z", 0, 0, CMP_ERR_DER_VALUE},
    {"2301010000Z", 0, 0, CMP_ERR_DER_VALUE},
    {" 30101000000Z", 0, 0, CMP_ERR_DER_VALUE},
};

START_TEST(test_cmp_time_parse)
{
    const time_case *c = &time_cases[_i];
    int64_t t = 42;
    cmp_err e = cmp_time_parse(sp(c->text, strlen(c->text)), c->generalized, &t);

    ck_assert_msg(e == c->err, "%s: %s", c->text, cmp_err_name(e));
    if (e == CMP_OK) {
        ck_assert_msg(t == c->want, "%s: %lld", c->text, (long long)t);
    }
}
END_TEST

/* Civil time and back, over 2^k steps, plus the ISO 8601 rendering. */
START_TEST(test_cmp_tm_roundtrip)
{
    static const int64_t ts[] = {0, 1, -1, 86399, 86400, 951782400, 951868799, 4107542400,
                                 INT64_C(253402300799), INT64_C(-62167219200)};
    char iso[CMP_ISO_TIME_LEN];
    cmp_tm tm;
    int64_t t, back;
    size_t i;

    for (i = 0; i < N(ts); i++) {
        cmp_tm_from_epoch(ts[i], &tm);
        ck_assert_int_eq(cmp_tm_to_epoch(&tm, &back), CMP_OK);
        ck_assert(back == ts[i]);
    }
    for (t = -INT64_C(62167219200); t <= INT64_C(253402300799); t += 9876543) {
        cmp_tm_from_epoch(t, &tm);
        ck_assert_int_eq(cmp_tm_to_epoch(&tm, &back), CMP_OK);
        ck_assert(back == t);
    }
    cmp_time_iso(iso, 951782400);
    ck_assert_str_eq(iso, "2000-02-29T00:00:00Z");
    cmp_time_iso(iso, -1);
    ck_assert_str_eq(iso, "1969-12-31T23:59:59Z");
    cmp_time_iso(iso, INT64_C(253402300799));
    ck_assert_str_eq(iso, "9999-12-31T23:59:59Z");
    cmp_time_iso(iso, INT64_C(253402300800));
    ck_assert_str_eq(iso, "10000-01-01T00:00:00Z");
    cmp_time_iso(iso, INT64_C(-62167219201));
    ck_assert_str_eq(iso, "-0001-12-31T23:59:59Z");
    cmp_time_iso(iso, INT64_MIN);
    cmp_time_iso(iso, INT64_MAX);
    tm.year = 10000;
    ck_assert_int_eq(cmp_tm_to_epoch(&tm, &back), CMP_ERR_DER_VALUE);
}
END_TEST

static Suite *cmp_ext_suite(void)
{
    Suite *s = suite_create("ext");
    TCase *tc = tcase_create("ext");

    tcase_add_loop_test(tc, test_cmp_ext_san, 0, N(san_cases));
    tcase_add_loop_test(tc, test_cmp_ext_key_usage, 0, N(ku_cases));
    tcase_add_test(tc, test_cmp_ext_key_usage_bad);
    tcase_add_loop_test(tc, test_cmp_ext_eku, 0, N(eku_cases));
    tcase_add_loop_test(tc, test_cmp_ext_basic_constraints, 0, N(bc_cases));
    tcase_add_test(tc, test_cmp_ext_basic_constraints_read_bad);
    tcase_add_test(tc, test_cmp_ext_encode_matches_openssl);
    tcase_add_loop_test(tc, test_cmp_ext_encode_bad, 0, N(encode_bads));
    tcase_add_test(tc, test_cmp_ext_encode_args);
    tcase_add_loop_test(tc, test_cmp_ext_count_bad, 0, N(read_bads));
    tcase_add_test(tc, test_cmp_ext_count_prefixes);
    tcase_add_loop_test(tc, test_cmp_ext_to_string, 0, N(str_cases));
    suite_add_tcase(s, tc);

    tc = tcase_create("oid");
    tcase_add_loop_test(tc, test_cmp_oid_table, 0, (int)cmp_oid_count());
    tcase_add_test(tc, test_cmp_infotype);
    tcase_add_loop_test(tc, test_cmp_oid_from_string, 0, N(oid_str_cases));
    tcase_add_loop_test(tc, test_cmp_oid_valid_bad, 0, N(oid_bad_hex));
    suite_add_tcase(s, tc);

    tc = tcase_create("time");
    tcase_add_loop_test(tc, test_cmp_time_parse, 0, N(time_cases));
    tcase_add_test(tc, test_cmp_tm_roundtrip);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(cmp_ext_suite());
    int failed;

    srunner_run_all(sr, CK_ENV);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? 0 : 1;
}
