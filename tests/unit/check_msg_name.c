/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tests/unit/check_msg_name.c: the value helpers of the message layer:
 * distinguished names as strings (stack/name.c), the GeneralizedTime and
 * UTCTime forms (stack/msg_hdr.c), and INTEGER <-> int64 (stack/msg.c).
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cmp/mem.h"
#include "cmp/msg.h"
#include "msg_int.h"
#include "testlib.h"

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

static cmp_span span_of(const char *s)
{
    cmp_span sp = {(const uint8_t *)s, strlen(s)};
    return sp;
}

/* ---- names --------------------------------------------------------------- */

typedef struct name_case {
    const char *in;
    const char *hex;  /* expected DER, or NULL */
    const char *out;  /* cmp_name_to_string of it; NULL: same as |in| */
} name_case;

static const name_case names_ok[] = {
    {"/C=DE/O=Org/CN=Name",
     "302a 310b 3009 0603550406 13024445 310c 300a 060355040a 0c034f7267"
     " 310d 300b 0603550403 0c044e616d65", NULL},
    {"", "3000", NULL},
    {"/CN=a\\/b", "300e 310c 300a 0603550403 0c03612f62", NULL},
    {"/CN=a\\+b\\\\c", NULL, NULL},
    {"/serialNumber=1234", "300f 310d 300b 0603550405 130431323334", NULL},
    {"/emailAddress=ee@example.com",
     "301f 311d 301b 06092a864886f70d010901 160e 6565406578616d706c652e636f6d", NULL},
    {"/DC=example/DC=com/UID=u1", NULL, NULL},
    {"/CN=Gr\xc3\xbc\xc3\x9f" "e \xe2\x82\xac \xf0\x9f\x94\x91", NULL, NULL},
    {"/CN=tab\\x09nul\\x00del\\x7F", NULL, NULL},
    {"/commonName=long/organizationName=x", NULL, "/CN=long/O=x"},
    {"/CN=\\q", NULL, "/CN=q"},
    /* a multi-valued RDN prints in DER (sorted) order */
    {"/CN=EE-Mock+OU=zz", "301d 311b 3009 060355040b 0c027a7a 300e 0603550403 0c07 45452d4d6f636b",
     "/OU=zz+CN=EE-Mock"},
    {"/ST=Bayern/L=M\xc3\xbcnchen/OU=a/SN=s/GN=g/title=t/street=s/postalCode=1"
     "/dnQualifier=q/pseudonym=p/organizationIdentifier=VATDE-1", NULL, NULL},
};

START_TEST(test_cmp_name_roundtrip)
{
    const name_case *c = &names_ok[_i];
    cmp_buf der = {NULL, 0}, again = {NULL, 0};
    char text[512];

    ck_assert_int_eq(cmp_name_from_string(&der, c->in), CMP_OK);
    if (c->hex != NULL) {
        size_t len = 0;
        uint8_t *want = testlib_hex(c->hex, &len);
        ck_assert(der.len == len && memcmp(der.data, want, len) == 0);
        free(want);
    }
    ck_assert_int_eq(cmp_name_to_string(text, sizeof(text), (cmp_span){der.data, der.len}),
                     CMP_OK);
    ck_assert_str_eq(text, c->out != NULL ? c->out : c->in);
    /* what prints parses back to the same DER */
    ck_assert_int_eq(cmp_name_from_string(&again, text), CMP_OK);
    ck_assert(again.len == der.len && memcmp(again.data, der.data, der.len) == 0);
    cmp_buf_cleanup(&der);
    cmp_buf_cleanup(&again);
}
END_TEST

static const char *const names_bad[] = {
    "CN=x",                   /* no leading slash */
    "/",                      /* empty RDN */
    "//CN=x",                 /* empty RDN */
    "/CN=x/",                 /* empty RDN at the end */
    "/CN",                    /* no '=' */
    "/CN=",                   /* empty value */
    "/=x",                    /* empty type */
    "/XX=y",                  /* unknown type */
    "/cn=y",                  /* short names are case-sensitive */
    "/2.5.4.3=y",             /* dotted types are not accepted */
    "/C=DEU",                 /* countryName is two characters */
    "/C=D",
    "/C=D@",                  /* not PrintableString */
    "/serialNumber=12_34",    /* not PrintableString */
    "/emailAddress=\xc3\xbc@x", /* not IA5String */
    "/CN=\xff",               /* not UTF-8 */
    "/CN=\xc0\xaf",           /* overlong UTF-8 */
    "/CN=\xed\xa0\x80",       /* UTF-8 surrogate */
    "/CN=a\\",                /* trailing backslash */
    "/CN=x+",                 /* empty attribute after '+' */
    "/CN=x+/O=y",
    "/CN=x=y\\",
    "/CN=12345678901234567890123456789012345678901234567890123456789012345", /* 65 > ub 64 */
    "/C=D\\x00",              /* NUL is not PrintableString */
};

START_TEST(test_cmp_name_from_string_bad)
{
    cmp_buf der = {(uint8_t *)1, 1};

    ck_assert_int_eq(cmp_name_from_string(&der, names_bad[_i]), CMP_ERR_ARG);
    ck_assert_ptr_null(der.data);
    ck_assert_uint_eq(der.len, 0);
}
END_TEST

typedef struct print_case {
    const char *hex;
    const char *want;
    cmp_err err;
} print_case;

static const print_case prints[] = {
    /* unknown attribute type: dotted OID */
    {"300c 310a 3008 06032a0304 0c0176", "/1.2.3.4=v", CMP_OK},
    /* a large arc */
    {"3010 310e 300c 0607 2a8648ce3d0401 0c0176", "/1.2.840.10045.4.1=v", CMP_OK},
    /* 2.999.3 (first subidentifier 1079) */
    {"300c 310a 3008 0603883703 0c0176", "/2.999.3=v", CMP_OK},
    /* BMPString "Ab" and UniversalString "c" */
    {"300f 310d 300b 0603550403 1e0400410062", "/CN=Ab", CMP_OK},
    {"300f 310d 300b 0603550403 1c0400000063", "/CN=c", CMP_OK},
    /* an odd-length BMPString prints its bytes */
    {"300e 310c 300a 0603550403 1e03004100", "/CN=\\x00A\\x00", CMP_OK},
    /* T61String with a high byte */
    {"300e 310c 300a 0603550403 1403 61e962", "/CN=a\\xE9b", CMP_OK},
    /* UTF8String that is not UTF-8 */
    {"300d 310b 3009 0603550403 0c02 c328", "/CN=\\xC3(", CMP_OK},
    /* not a string: '#' and the DER in hex */
    {"300c 310a 3008 0603550403 020105", "/CN=#020105", CMP_OK},
    /* control characters and '/' are escaped */
    {"300f 310d 300b 0603550403 0c04 0a2f2b5c", "/CN=\\x0A\\/\\+\\\\", CMP_OK},
    /* malformed */
    {"", "", CMP_ERR_DER_TRUNCATED},
    {"3003 3101", "", CMP_ERR_DER_TRUNCATED},
    {"300a 3108 3006 0601 80 0c0176", "", CMP_ERR_DER_VALUE}, /* OID ends mid-arc */
    {"3000 00", "", CMP_ERR_DER_TRAILING},
    {"3105 3103 0c0176", "", CMP_ERR_DECODE},
    {"3014 3112 3010 060b 81808080808080808080 01 0c0176", "", CMP_ERR_DER_VALUE}, /* > 64 bits */
};

START_TEST(test_cmp_name_to_string_table)
{
    const print_case *c = &prints[_i];
    size_t len = 0;
    uint8_t *der = testlib_hex(c->hex, &len);
    char text[128];
    cmp_err err;

    ck_assert_ptr_nonnull(der);
    memset(text, 'x', sizeof(text));
    err = cmp_name_to_string(text, sizeof(text), (cmp_span){der, len});
    ck_assert_msg(err == c->err, "%s: %s", c->hex, cmp_err_name(err));
    ck_assert_str_eq(text, c->want);
    free(der);
}
END_TEST

/* Every output size: never a byte past |out_len|, always NUL-terminated,
 * CMP_ERR_BUF_SMALL until it fits. */
START_TEST(test_cmp_name_to_string_small)
{
    const char *in = "/C=DE/O=Org\\/Unit/CN=Gr\xc3\xbc\xc3\x9f" "e";
    cmp_buf der = {NULL, 0};
    size_t need = strlen(in) + 1, n;

    ck_assert_int_eq(cmp_name_from_string(&der, in), CMP_OK);
    for (n = 1; n <= need + 2; n++) {
        char *out = malloc(n);
        cmp_err err;

        ck_assert_ptr_nonnull(out);
        err = cmp_name_to_string(out, n, (cmp_span){der.data, der.len});
        if (n < need) {
            ck_assert_int_eq(err, CMP_ERR_BUF_SMALL);
            ck_assert_str_eq(out, "");
        } else {
            ck_assert_int_eq(err, CMP_OK);
            ck_assert_str_eq(out, in);
        }
        free(out);
    }
    ck_assert_int_eq(cmp_name_to_string(NULL, 5, (cmp_span){der.data, der.len}), CMP_ERR_ARG);
    {
        char c;
        ck_assert_int_eq(cmp_name_to_string(&c, 0, (cmp_span){der.data, der.len}), CMP_ERR_ARG);
    }
    cmp_buf_cleanup(&der);
}
END_TEST

START_TEST(test_cmp_general_name_dn)
{
    static const uint8_t bad[] = {0x30, 0x03, 0x31, 0x01, 0x00};
    static const uint8_t ber[] = {0x30, 0x81, 0x00};
    cmp_buf name = {NULL, 0}, gn = {NULL, 0};

    ck_assert_int_eq(cmp_name_from_string(&name, "/CN=x"), CMP_OK);
    ck_assert_int_eq(cmp_general_name_dn(&gn, (cmp_span){name.data, name.len}), CMP_OK);
    ck_assert_uint_eq(gn.len, name.len + 2);
    ck_assert(gn.data[0] == 0xa4 && gn.data[1] == name.len);
    ck_assert(memcmp(&gn.data[2], name.data, name.len) == 0);
    cmp_buf_cleanup(&gn);
    ck_assert_int_eq(cmp_general_name_dn(&gn, (cmp_span){(const uint8_t *)"\x30\x00", 2}), CMP_OK);
    ck_assert(gn.len == 4 && memcmp(gn.data, "\xa4\x02\x30\x00", 4) == 0);
    cmp_buf_cleanup(&gn);
    ck_assert_int_eq(cmp_general_name_dn(&gn, (cmp_span){bad, sizeof(bad)}), CMP_ERR_ARG);
    ck_assert_int_eq(cmp_general_name_dn(&gn, (cmp_span){ber, sizeof(ber)}), CMP_ERR_ARG);
    ck_assert_int_eq(cmp_general_name_dn(&gn, (cmp_span){NULL, 0}), CMP_ERR_ARG);
    ck_assert_int_eq(cmp_general_name_dn(NULL, (cmp_span){name.data, name.len}), CMP_ERR_ARG);
    ck_assert_ptr_null(gn.data);
    cmp_buf_cleanup(&name);
}
END_TEST

START_TEST(test_cmp_name_alloc_fail)
{
    cmp_buf der = {NULL, 0}, gn = {NULL, 0};
    char text[128];
    cmp_err err;
    long n;

    for (n = 0;; n++) {
        testlib_fail_alloc_after(n);
        err = cmp_name_from_string(&der, "/C=DE/O=Org/OU=a+CN=b/emailAddress=a@b");
        if (err == CMP_OK) {
            err = cmp_general_name_dn(&gn, (cmp_span){der.data, der.len});
        }
        if (err == CMP_OK) {
            err = cmp_name_to_string(text, sizeof(text), (cmp_span){der.data, der.len});
        }
        testlib_fail_alloc_after(-1);
        cmp_buf_cleanup(&der);
        cmp_buf_cleanup(&gn);
        if (err == CMP_OK) {
            break;
        }
        ck_assert_msg(err == CMP_ERR_NOMEM, "allocation %ld: %s", n, cmp_err_name(err));
    }
    ck_assert_str_eq(text, "/C=DE/O=Org/CN=b+OU=a/emailAddress=a@b"); /* DER order */
}
END_TEST

/* ---- GeneralizedTime and UTCTime ---------------------------------------- */

typedef struct time_case {
    const char *text;
    cmp_err err;
    int64_t t;
} time_case;

static const time_case gtimes[] = {
    {"19700101000000Z", CMP_OK, 0},
    {"20220727084944Z", CMP_OK, 1658911784},
    {"20000229235959Z", CMP_OK, 951868799},   /* 2000 is a leap year */
    {"20240229120000Z", CMP_OK, 1709208000},
    {"19691231235959Z", CMP_OK, -1},
    {"00000101000000Z", CMP_OK, -62167219200LL},
    {"99991231235959Z", CMP_OK, 253402300799LL},
    {"20380119031408Z", CMP_OK, 2147483648LL}, /* past 32 bits */
    {"20220727084944.5Z", CMP_OK, 1658911784}, /* fraction dropped */
    {"20220727084944.123Z", CMP_OK, 1658911784},
    /* negative cases */
    {"", CMP_ERR_DER_VALUE, 0},
    {"20220727084944", CMP_ERR_DER_VALUE, 0},      /* no Z */
    {"20220727084944z", CMP_ERR_DER_VALUE, 0},     /* lower-case z */
    {"20220727084944+0100", CMP_ERR_DER_VALUE, 0}, /* offset */
    {"202207270849Z", CMP_ERR_DER_VALUE, 0},       /* no seconds */
    {"2022072708Z", CMP_ERR_DER_VALUE, 0},
    {"20221327084944Z", CMP_ERR_DER_VALUE, 0},     /* month 13 */
    {"20220027084944Z", CMP_ERR_DER_VALUE, 0},     /* month 0 */
    {"20220700084944Z", CMP_ERR_DER_VALUE, 0},     /* day 0 */
    {"20220732084944Z", CMP_ERR_DER_VALUE, 0},     /* day 32 */
    {"20220230084944Z", CMP_ERR_DER_VALUE, 0},     /* Feb 30 */
    {"20230229084944Z", CMP_ERR_DER_VALUE, 0},     /* 2023 is not a leap year */
    {"19000229084944Z", CMP_ERR_DER_VALUE, 0},     /* nor is 1900 */
    {"20220431084944Z", CMP_ERR_DER_VALUE, 0},     /* April 31 */
    {"20220727244944Z", CMP_ERR_DER_VALUE, 0},     /* hour 24 */
    {"20220727086044Z", CMP_ERR_DER_VALUE, 0},     /* minute 60 */
    {"20220727084960Z", CMP_ERR_DER_VALUE, 0},     /* leap second */
    {"20220727084944.50Z", CMP_ERR_DER_VALUE, 0},  /* trailing zero */
    {"20220727084944.0Z", CMP_ERR_DER_VALUE, 0},
    {"20220727084944.Z", CMP_ERR_DER_VALUE, 0},    /* empty fraction */
    {"20220727084944,5Z", CMP_ERR_DER_VALUE, 0},   /* comma */
    {"20220727084944Z ", CMP_ERR_DER_VALUE, 0},    /* trailing byte */
    {"2022072708494aZ", CMP_ERR_DER_VALUE, 0},     /* not a digit */
    {" 2022072708494Z", CMP_ERR_DER_VALUE, 0},
    {"+2022072708494Z", CMP_ERR_DER_VALUE, 0},
    {"220727084944Z", CMP_ERR_DER_VALUE, 0},       /* UTCTime form */
};

START_TEST(test_cmp_gtime_parse_table)
{
    const time_case *c = &gtimes[_i];
    int64_t t = 12345;
    cmp_err err = cmp_gtime_parse(span_of(c->text), &t);

    ck_assert_msg(err == c->err, "%s: %s", c->text, cmp_err_name(err));
    if (err == CMP_OK) {
        ck_assert_msg(t == c->t, "%s: %lld", c->text, (long long)t);
    }
}
END_TEST

static const int64_t format_times[] = {
    0, 1, -1, 86399, 86400, 951868799, 1658911784, 2147483648LL, -62167219200LL,
    253402300799LL, -2208988800LL /* 1900-01-01 */, 4102444800LL /* 2100-01-01 */,
};

START_TEST(test_cmp_gtime_format_roundtrip)
{
    uint8_t text[CMP_GTIME_LEN];
    cmp_span s = {text, sizeof(text)};
    int64_t t = format_times[_i], back = 0;

    ck_assert_int_eq(cmp_gtime_format(text, t), CMP_OK);
    ck_assert_int_eq(cmp_gtime_parse(s, &back), CMP_OK);
    ck_assert(back == t);
}
END_TEST

START_TEST(test_cmp_gtime_format_bad)
{
    uint8_t text[CMP_GTIME_LEN];

    ck_assert_int_eq(cmp_gtime_format(text, 1658911784), CMP_OK);
    ck_assert(memcmp(text, "20220727084944Z", CMP_GTIME_LEN) == 0);
    ck_assert_int_eq(cmp_gtime_format(text, 253402300800LL), CMP_ERR_ARG);
    ck_assert_int_eq(cmp_gtime_format(text, -62167219201LL), CMP_ERR_ARG);
    ck_assert_int_eq(cmp_gtime_format(text, INT64_MAX), CMP_ERR_ARG);
    ck_assert_int_eq(cmp_gtime_format(text, INT64_MIN), CMP_ERR_ARG);
    ck_assert_int_eq(cmp_gtime_format(NULL, 0), CMP_ERR_ARG);
}
END_TEST

static const struct {
    const char *text;
    cmp_err err;
} utctimes[] = {
    {"220727084944Z", CMP_OK},
    {"500101000000Z", CMP_OK},  /* 1950 */
    {"491231235959Z", CMP_OK},  /* 2049 */
    {"000229000000Z", CMP_OK},  /* 2000 */
    {"2207270849Z", CMP_ERR_DER_VALUE},     /* no seconds (X.690 11.8) */
    {"220727084944", CMP_ERR_DER_VALUE},
    {"220727084944+0000", CMP_ERR_DER_VALUE},
    {"220727084944.5Z", CMP_ERR_DER_VALUE},
    {"221327084944Z", CMP_ERR_DER_VALUE},
    {"230229084944Z", CMP_ERR_DER_VALUE},
    {"20220727084944Z", CMP_ERR_DER_VALUE},
    {"", CMP_ERR_DER_VALUE},
};

START_TEST(test_cmp_utctime_check_table)
{
    ck_assert_msg(cmp_utctime_check(span_of(utctimes[_i].text)) == utctimes[_i].err, "%s",
                  utctimes[_i].text);
}
END_TEST

/* ---- INTEGER <-> int64 -------------------------------------------------- */

typedef struct int_case {
    int64_t v;
    const char *hex; /* minimal two's complement */
} int_case;

static const int_case ints[] = {
    {0, "00"},
    {1, "01"},
    {-1, "ff"},
    {127, "7f"},
    {128, "0080"},
    {-128, "80"},
    {-129, "ff7f"},
    {255, "00ff"},
    {256, "0100"},
    {65535, "00ffff"},
    {INT64_MAX, "7fffffffffffffff"},
    {INT64_MIN, "8000000000000000"},
    {INT64_MIN + 1, "8000000000000001"},
};

START_TEST(test_cmp_int_roundtrip)
{
    const int_case *c = &ints[_i];
    INTEGER_t i;
    size_t len = 0;
    uint8_t *want = testlib_hex(c->hex, &len);
    int64_t back = 0;

    memset(&i, 0, sizeof(i));
    ck_assert_int_eq(cmp_int_set(&i, 77), CMP_OK); /* replaced below */
    ck_assert_int_eq(cmp_int_set(&i, c->v), CMP_OK);
    ck_assert(i.size == (int)len && memcmp(i.buf, want, len) == 0);
    ck_assert_int_eq(cmp_int_get(&i, &back), CMP_OK);
    ck_assert(back == c->v);
    cmp_free(i.buf);
    free(want);
}
END_TEST

static const struct {
    const char *hex;
    cmp_err err;
    int64_t v;
} int_reads[] = {
    {"0005", CMP_OK, 5},           /* redundant sign octets (lenient input) */
    {"ffff80", CMP_OK, -128},
    {"00ffffffffffffffff", CMP_ERR_CONSTRAINT, 0}, /* 2^64 - 1 */
    {"008000000000000000", CMP_ERR_CONSTRAINT, 0}, /* 2^63 */
    {"ff7fffffffffffffff", CMP_ERR_CONSTRAINT, 0}, /* -2^63 - 1 */
    {"ff8000000000000000", CMP_OK, INT64_MIN},
    {"010000000000000000", CMP_ERR_CONSTRAINT, 0},
    {"", CMP_ERR_DER_VALUE, 0},
};

START_TEST(test_cmp_int_get_table)
{
    INTEGER_t i;
    size_t len = 0;
    uint8_t *b = testlib_hex(int_reads[_i].hex, &len);
    int64_t v = 0;

    i.buf = len > 0 ? b : NULL;
    i.size = (int)len;
    ck_assert_int_eq(cmp_int_get(&i, &v), int_reads[_i].err);
    if (int_reads[_i].err == CMP_OK) {
        ck_assert(v == int_reads[_i].v);
    }
    ck_assert_int_eq(cmp_int_get(NULL, &v), CMP_ERR_ARG);
    ck_assert_int_eq(cmp_int_set(NULL, 1), CMP_ERR_ARG);
    free(b);
}
END_TEST

Suite *cmp_msg_name_suite(void)
{
    Suite *s = suite_create("msg_name");
    TCase *tc;

    tc = tcase_create("test_cmp_name_from_string");
    tcase_add_loop_test(tc, test_cmp_name_roundtrip, 0, N(names_ok));
    tcase_add_loop_test(tc, test_cmp_name_from_string_bad, 0, N(names_bad));
    suite_add_tcase(s, tc);
    tc = tcase_create("test_cmp_name_to_string");
    tcase_add_loop_test(tc, test_cmp_name_to_string_table, 0, N(prints));
    tcase_add_test(tc, test_cmp_name_to_string_small);
    suite_add_tcase(s, tc);
    tc = tcase_create("test_cmp_general_name_dn");
    tcase_add_test(tc, test_cmp_general_name_dn);
    tcase_add_test(tc, test_cmp_name_alloc_fail);
    suite_add_tcase(s, tc);
    tc = tcase_create("test_cmp_gtime");
    tcase_add_loop_test(tc, test_cmp_gtime_parse_table, 0, N(gtimes));
    tcase_add_loop_test(tc, test_cmp_gtime_format_roundtrip, 0, N(format_times));
    tcase_add_test(tc, test_cmp_gtime_format_bad);
    tcase_add_loop_test(tc, test_cmp_utctime_check_table, 0, N(utctimes));
    suite_add_tcase(s, tc);
    tc = tcase_create("test_cmp_int");
    tcase_add_loop_test(tc, test_cmp_int_roundtrip, 0, N(ints));
    tcase_add_loop_test(tc, test_cmp_int_get_table, 0, N(int_reads));
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(cmp_msg_name_suite());
    int failed;

    srunner_run_all(sr, CK_ENV);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? 0 : 1;
}
