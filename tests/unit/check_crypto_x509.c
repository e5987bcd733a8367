/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tests/unit/check_crypto_x509.c: certificates through cmp_crypto.h:
 * parsing (fields, prefixes, malformed encodings, times), path validation
 * with one error per failure, the protection-signer check, and the
 * certificates and CSRs we issue, checked by our parser and by openssl.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_crypto_util.h"
#include "crypto_int.h"
#include "testlib.h"

#define NOSPAN ((cmp_span){NULL, 0})

/* ------------------------------------------------------------------------ */
/* helpers                                                                  */
/* ------------------------------------------------------------------------ */

static cmp_span cert(const char *name)
{
    char rel[128];

    snprintf(rel, sizeof(rel), "certs/%s.der", name);
    return ct_load(rel);
}

static cmp_cert_info info_of(cmp_span der)
{
    cmp_cert_info ci;

    ck_assert_int_eq(cmp_crypto_cert_parse(&ci, der), CMP_OK);
    return ci;
}

/* name_cn encodes Name ::= SEQUENCE { SET { SEQUENCE { id-at-commonName,
 * UTF8String cn } } }, or an empty Name for NULL. */
static cmp_buf name_cn(const char *cn)
{
    static const uint8_t id_at_cn[] = {0x55, 0x04, 0x03};
    cmp_cder_wr w;
    cmp_buf out = {NULL, 0};
    size_t seq, set, atv;

    cmp_cder_wr_init(&w);
    seq = cmp_cder_open(&w, CDER_SEQUENCE);
    if (cn != NULL) {
        set = cmp_cder_open(&w, CDER_SET);
        atv = cmp_cder_open(&w, CDER_SEQUENCE);
        cmp_cder_put_tlv(&w, CDER_OID, (cmp_span){id_at_cn, sizeof(id_at_cn)});
        cmp_cder_put_tlv(&w, CDER_UTF8_STRING, (cmp_span){(const uint8_t *)cn, strlen(cn)});
        cmp_cder_close(&w, atv);
        cmp_cder_close(&w, set);
    }
    cmp_cder_close(&w, seq);
    ck_assert_int_eq(cmp_cder_wr_finish(&w, &out), CMP_OK);
    return out;
}

/* openssl_text runs "openssl x509|req -text" on DER and returns stdout. */
static char *openssl_text(const char *what, cmp_span der)
{
    ct_write(ct_tmpfile("obj.der"), der);
    return ct_capture("openssl %s -inform DER -in %s -noout -text 2>&1", what,
                      ct_tmpfile("obj.der"));
}

static size_t count(const char *hay, const char *needle)
{
    size_t n = 0;
    const char *p = hay;

    while ((p = strstr(p, needle)) != NULL) {
        n++;
        p += strlen(needle);
    }
    return n;
}

/* ------------------------------------------------------------------------ */
/* parsing                                                                  */
/* ------------------------------------------------------------------------ */

START_TEST(test_cert_parse_fields)
{
    cmp_span leaf = cert("leaf"), in = cert("int"), root = cert("root");
    cmp_span spki = ct_load("keys/ec256.spki.der");
    cmp_cert_info l = info_of(leaf), i = info_of(in), r = info_of(root);

    ck_assert_int_eq(l.version, 3);
    ck_assert(cmp_cder_span_eq(l.issuer, i.subject));
    ck_assert(cmp_cder_span_eq(i.issuer, r.subject));
    ck_assert(cmp_cder_span_eq(r.issuer, r.subject));
    ck_assert(cmp_cder_span_eq(l.spki, spki));
    ck_assert_int_eq(l.not_before, 978307200);  /* 2001-01-01T00:00:00Z */
    ck_assert_int_eq(l.not_after, 4070908799);  /* 2098-12-31T23:59:59Z, GeneralizedTime */
    ck_assert_int_eq(r.not_before, 946684800);  /* 2000-01-01T00:00:00Z, UTCTime */
    ck_assert_uint_gt(l.serial.len, 0);
    ck_assert_uint_eq(l.exts, CMP_EXT_BASIC_CONSTRAINTS | CMP_EXT_KEY_USAGE |
                                  CMP_EXT_EXT_KEY_USAGE | CMP_EXT_SUBJECT_ALT_NAME |
                                  CMP_EXT_SUBJECT_KEY_ID | CMP_EXT_AUTHORITY_KEY_ID);
    ck_assert_uint_eq(l.exts_critical, CMP_EXT_KEY_USAGE);
    ck_assert_uint_eq(l.key_usage, CMP_KU_DIGITAL_SIGNATURE);
    ck_assert_uint_eq(l.ext_key_usage, CMP_EKU_CLIENT_AUTH | CMP_EKU_CMC_RA);
    ck_assert_int_eq(l.is_ca, 0);
    ck_assert_int_eq(l.path_len, -1);
    ck_assert_uint_gt(l.san.len, 0);
    ck_assert_uint_gt(l.eku.len, 0);
    ck_assert(cmp_cder_span_eq(l.aki, i.ski));
    ck_assert_uint_eq(i.key_usage, CMP_KU_KEY_CERT_SIGN | CMP_KU_CRL_SIGN);
    ck_assert_int_eq(i.is_ca, 1);
    ck_assert_int_eq(i.path_len, 0);
    ck_assert_int_eq(r.is_ca, 1);
    ck_assert_int_eq(r.path_len, -1);
    ck_assert_uint_eq(r.aki.len, 0);
    /* tbs and signature are what the issuer signed */
    ck_assert_int_eq(l.tbs.data[0], 0x30);
    ck_assert_uint_gt(l.signature.len, 60);
    ct_free(leaf);
    ct_free(in);
    ct_free(root);
    ct_free(spki);
}
END_TEST

static const char *const all_certs[] = {
    "root", "int", "leaf", "leaf-ed25519", "leaf-rsa", "leaf-under-ed", "ed-root",
    "leaf-critext", "int-noca", "other-root",
};

/* Every prefix, in an exact-size buffer, and the certificate plus one byte
 * fail cleanly (STYLE.md section 8). */
START_TEST(test_cert_parse_prefixes)
{
    cmp_span der = cert(all_certs[_i]);
    cmp_cert_info ci;
    uint8_t *p;
    size_t n;

    ck_assert_int_eq(cmp_crypto_cert_parse(&ci, der), CMP_OK);
    for (n = 0; n < der.len; n++) {
        p = testlib_dup(der.data, n);
        ck_assert_int_eq(cmp_crypto_cert_parse(&ci, (cmp_span){p, n}), CMP_ERR_CERT_PARSE);
        free(p);
    }
    p = malloc(der.len + 1);
    memcpy(p, der.data, der.len);
    p[der.len] = 0;
    ck_assert_int_eq(cmp_crypto_cert_parse(&ci, (cmp_span){p, der.len + 1}), CMP_ERR_CERT_PARSE);
    free(p);
    ct_free(der);
}
END_TEST

/* synth builds an (unsigned) certificate around |exts| (raw Extension TLVs)
 * with a given version field and validity, to reach parser branches that
 * no openssl-made certificate has. */
static cmp_buf synth(cmp_span version, cmp_span validity, cmp_span exts, int with_exts)
{
    static const uint8_t alg[] = {0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04,
                                  0x03, 0x02};
    cmp_span spki = ct_load("keys/ec256.spki.der");
    cmp_buf name = name_cn("synth"), out = {NULL, 0};
    cmp_cder_wr w;
    size_t top, tbs, x, seq;
    uint8_t zero = 0;

    cmp_cder_wr_init(&w);
    top = cmp_cder_open(&w, CDER_SEQUENCE);
    tbs = cmp_cder_open(&w, CDER_SEQUENCE);
    cmp_cder_put_raw(&w, version);
    cmp_cder_put_u32(&w, 7);
    cmp_cder_put_raw(&w, (cmp_span){alg, sizeof(alg)});
    cmp_cder_put_raw(&w, CT_BSPAN(name));
    cmp_cder_put_raw(&w, validity);
    cmp_cder_put_raw(&w, CT_BSPAN(name));
    cmp_cder_put_raw(&w, spki);
    if (with_exts) {
        x = cmp_cder_open(&w, CDER_CTX_CONS(3));
        seq = cmp_cder_open(&w, CDER_SEQUENCE);
        cmp_cder_put_raw(&w, exts);
        cmp_cder_close(&w, seq);
        cmp_cder_close(&w, x);
    }
    cmp_cder_close(&w, tbs);
    cmp_cder_put_raw(&w, (cmp_span){alg, sizeof(alg)});
    cmp_cder_put_bits(&w, (cmp_span){&zero, 1});
    cmp_cder_close(&w, top);
    ck_assert_int_eq(cmp_cder_wr_finish(&w, &out), CMP_OK);
    cmp_buf_cleanup(&name);
    ct_free(spki);
    return out;
}

/* Hex pieces for synth(). */
#define V3 "a003020102"
#define V1_EXPLICIT "a003020100"
#define VALIDITY "301e170d3230303130313030303030305a170d3530303130313030303030305a"
/* basicConstraints cA TRUE, not critical; subjectKeyIdentifier */
#define EXT_BC "300f0603551d130101ff040530030101ff"
#define EXT_BC2 "300c0603551d13040530030101ff"
#define EXT_SKI "301d0603551d0e04160414000102030405060708090a0b0c0d0e0f10111213"

static const struct {
    const char *name;
    const char *version;
    const char *validity;
    const char *exts; /* NULL: no extensions field */
    int ok;
    int unknown_critical;
} synth_cases[] = {
    {"v3 with extensions", V3, VALIDITY, EXT_BC EXT_SKI, 1, 0},
    {"v1 without extensions", "", VALIDITY, NULL, 1, 0},
    {"v1 given explicitly (not DER)", V1_EXPLICIT, VALIDITY, NULL, 0, 0},
    {"extensions in a v1 certificate", "", VALIDITY, EXT_BC, 0, 0},
    {"version 4", "a003020103", VALIDITY, EXT_BC, 0, 0},
    {"empty extensions", V3, VALIDITY, "", 0, 0},
    {"duplicate extension", V3, VALIDITY, EXT_BC EXT_BC2, 0, 0},
    {"critical FALSE explicit (not DER)", V3, VALIDITY, "300f0603551d13010100040530030101ff",
     0, 0},
    {"BOOLEAN 0x01 (not DER)", V3, VALIDITY, "300f0603551d13010101040530030101ff", 0, 0},
    {"unknown critical extension", V3, VALIDITY, "300f06062a03040506070101ff04020500", 1, 1},
    {"unknown non-critical extension", V3, VALIDITY, "300c06062a030405060704020500", 1, 0},
    {"critical nameConstraints (not processed)", V3, VALIDITY,
     "301d0603551d1e0101ff04133011a00f300d820b6578616d706c652e636f6d", 1, 1},
    {"UTCTime without seconds", V3,
     "301a170b323030313031303030305a170b353030313031303030305a", EXT_BC, 0, 0},
    {"UTCTime with offset", V3,
     "3022170f3230303130313030303030302b30313030170d3530303130313030303030305a", EXT_BC, 0, 0},
    {"GeneralizedTime with fraction", V3,
     "3024181332303230303130313030303030302e355a170d3530303130313030303030305a", EXT_BC, 0, 0},
    {"February 30", V3, "301e170d3230303233303030303030305a170d3530303130313030303030305a",
     EXT_BC, 0, 0},
    {"hour 24", V3, "301e170d3230303130313234303030305a170d3530303130313030303030305a",
     EXT_BC, 0, 0},
    {"keyUsage with padding bits set", V3, VALIDITY, "300e0603551d0f0101ff0404030207ff", 0, 0},
};

START_TEST(test_cert_parse_synthetic)
{
    size_t vl, dl, el = 0;
    uint8_t *v = testlib_hex(synth_cases[_i].version, &vl);
    uint8_t *d = testlib_hex(synth_cases[_i].validity, &dl);
    uint8_t *e = synth_cases[_i].exts != NULL ? testlib_hex(synth_cases[_i].exts, &el) : NULL;
    cmp_buf der;
    cmp_x509_cert x;
    cmp_cert_info ci;
    cmp_err want = synth_cases[_i].ok ? CMP_OK : CMP_ERR_CERT_PARSE;

    ck_assert_ptr_nonnull(v);
    ck_assert_ptr_nonnull(d);
    der = synth((cmp_span){v, vl}, (cmp_span){d, dl}, (cmp_span){e, el}, e != NULL);
    ck_assert_msg(cmp_crypto_cert_parse(&ci, CT_BSPAN(der)) == want, "%s", synth_cases[_i].name);
    if (synth_cases[_i].ok) {
        ck_assert_int_eq(cmp_x509_cert_parse(&x, CT_BSPAN(der)), CMP_OK);
        ck_assert_int_eq(x.unknown_critical, synth_cases[_i].unknown_critical);
    }
    cmp_buf_cleanup(&der);
    free(v);
    free(d);
    free(e);
}
END_TEST

/* The outer signatureAlgorithm must equal the TBS signature field. */
START_TEST(test_cert_parse_alg_mismatch)
{
    cmp_span der = cert("leaf");
    cmp_cert_info ci = info_of(der);
    uint8_t *p = testlib_dup(der.data, der.len);
    size_t off = (size_t)(ci.sig_alg.data - der.data) + ci.sig_alg.len - 1;

    ck_assert_int_eq(p[off], 0x03); /* ecdsa-with-SHA384 */
    p[off] = 0x02;
    ck_assert_int_eq(cmp_crypto_cert_parse(&ci, (cmp_span){p, der.len}), CMP_ERR_CERT_PARSE);
    free(p);
    ct_free(der);
}
END_TEST

static const struct {
    int64_t t;
    const char *hex;
} times[] = {
    {0, "170d3730303130313030303030305a"},
    {-631152000, "170d3530303130313030303030305a"},            /* 1950: first UTCTime */
    {2524607999, "170d3439313233313233353935395a"},            /* 2049: last UTCTime */
    {2524608000, "180f32303530303130313030303030305a"},        /* 2050: GeneralizedTime */
    {951827696, "170d3030303232393132333435365a"},             /* a leap day */
    {253402300799, "180f39393939313233313233353935395a"},      /* RFC 5280's 99991231235959Z */
};

START_TEST(test_time_roundtrip)
{
    cmp_cder_wr w;
    cmp_buf out = {NULL, 0};
    cmp_cder_rd rd;
    int64_t back = 0;
    size_t n;
    uint8_t *want = testlib_hex(times[_i].hex, &n);

    cmp_cder_wr_init(&w);
    cmp_cder_put_time(&w, times[_i].t);
    ck_assert_int_eq(cmp_cder_wr_finish(&w, &out), CMP_OK);
    ck_assert_uint_eq(out.len, n);
    ck_assert(memcmp(out.data, want, n) == 0);
    cmp_cder_init(&rd, CT_BSPAN(out));
    ck_assert_int_eq(cmp_cder_get_time(&rd, &back), CMP_OK);
    ck_assert_int_eq(back, times[_i].t);
    cmp_buf_cleanup(&out);
    free(want);
    /* before 1950 and after 9999 cannot be encoded */
    cmp_cder_wr_init(&w);
    cmp_cder_put_time(&w, -631152001);
    ck_assert_int_eq(cmp_cder_wr_finish(&w, &out), CMP_ERR_ARG);
    cmp_cder_wr_init(&w);
    cmp_cder_put_time(&w, 253402300800);
    ck_assert_int_eq(cmp_cder_wr_finish(&w, &out), CMP_ERR_ARG);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* path validation                                                          */
/* ------------------------------------------------------------------------ */

typedef struct chain_case {
    const char *name;
    const char *leaf;
    const char *untrusted[4];
    const char *anchors[3];
    int64_t now;
    uint32_t max_len; /* 0: default */
    int flip_sig;     /* damage the leaf's signature */
    cmp_err err;
    size_t depth;     /* of the failure, or the chain length on success */
} chain_case;

static const chain_case chains[] = {
    {"valid: leaf, int, root", "leaf", {"int"}, {"root"}, CT_NOW, 0, 0, CMP_OK, 3},
    {"valid: Ed25519 leaf", "leaf-ed25519", {"int"}, {"root"}, CT_NOW, 0, 0, CMP_OK, 3},
    {"valid: RSA leaf", "leaf-rsa", {"int"}, {"root"}, CT_NOW, 0, 0, CMP_OK, 3},
    {"valid: Ed25519 root", "leaf-under-ed", {NULL}, {"ed-root"}, CT_NOW, 0, 0, CMP_OK, 2},
    {"valid: intermediate as anchor", "leaf", {NULL}, {"int"}, CT_NOW, 0, 0, CMP_OK, 2},
    {"valid: the leaf is trusted", "leaf", {NULL}, {"leaf"}, CT_NOW, 0, 0, CMP_OK, 1},
    {"valid: among decoys", "leaf", {"other-leaf", "int-expired", "int-noca", "int"},
     {"other-root", "ed-root", "root"}, CT_NOW, 0, 0, CMP_OK, 3},
    {"valid: at the edge of max_chain_len", "leaf", {"int"}, {"root"}, CT_NOW, 3, 0, CMP_OK, 3},
    {"expired leaf", "leaf-expired", {"int"}, {"root"}, CT_NOW, 0, 0, CMP_ERR_CHAIN_EXPIRED, 0},
    {"not yet valid leaf", "leaf-future", {"int"}, {"root"}, CT_NOW, 0, 0,
     CMP_ERR_CHAIN_NOT_YET_VALID, 0},
    {"expired intermediate", "leaf-under-expired", {"int-expired"}, {"root"}, CT_NOW, 0, 0,
     CMP_ERR_CHAIN_EXPIRED, 1},
    {"before everything", "leaf", {"int"}, {"root"}, 631152000, 0, 0,
     CMP_ERR_CHAIN_NOT_YET_VALID, 0},
    {"after everything", "leaf", {"int"}, {"root"}, 4102444800, 0, 0, CMP_ERR_CHAIN_EXPIRED, 0},
    {"leaf valid, root expired", "leaf", {"int"}, {"root"}, 4070908800, 0, 0,
     CMP_ERR_CHAIN_EXPIRED, 0},
    {"wrong issuer", "other-leaf", {"int"}, {"root"}, CT_NOW, 0, 0,
     CMP_ERR_CHAIN_UNKNOWN_ISSUER, 0},
    {"missing intermediate", "leaf", {NULL}, {"root"}, CT_NOW, 0, 0,
     CMP_ERR_CHAIN_UNKNOWN_ISSUER, 0},
    {"missing root", "leaf", {"int"}, {"other-root"}, CT_NOW, 0, 0,
     CMP_ERR_CHAIN_UNKNOWN_ISSUER, 1},
    {"bad signature", "leaf", {"int"}, {"root"}, CT_NOW, 0, 1, CMP_ERR_CHAIN_BAD_SIG, 0},
    {"intermediate without cA", "leaf-under-noca", {"int-noca"}, {"root"}, CT_NOW, 0, 0,
     CMP_ERR_CHAIN_NOT_CA, 1},
    {"intermediate without keyCertSign", "leaf-under-nocertsign", {"int-nocertsign"}, {"root"},
     CT_NOW, 0, 0, CMP_ERR_KEY_USAGE, 1},
    {"pathLenConstraint 0 exceeded", "leaf-deep", {"int2", "int"}, {"root"}, CT_NOW, 0, 0,
     CMP_ERR_CHAIN_TOO_LONG, 2},
    {"longer than max_chain_len", "leaf", {"int"}, {"root"}, CT_NOW, 2, 0,
     CMP_ERR_CHAIN_TOO_LONG, 1},
    {"unknown critical extension", "leaf-critext", {"int"}, {"root"}, CT_NOW, 0, 0,
     CMP_ERR_CHAIN_CRITICAL_EXT, 0},
};

static size_t load_list(const char *const *names, size_t max, cmp_span *out)
{
    size_t n = 0;

    while (n < max && names[n] != NULL) {
        out[n] = cert(names[n]);
        n++;
    }
    return n;
}

START_TEST(test_chain_verify)
{
    const chain_case *cc = &chains[_i];
    cmp_crypto *c = ct_prov();
    cmp_span leaf = cert(cc->leaf), untrusted[4], anchors[3];
    size_t nu = load_list(cc->untrusted, 4, untrusted), na = load_list(cc->anchors, 3, anchors);
    cmp_chain_result res;
    uint8_t *damaged = NULL;
    cmp_err e;
    size_t i;

    if (cc->max_len != 0) {
        c->limits.max_chain_len = cc->max_len;
    }
    if (cc->flip_sig) {
        damaged = testlib_dup(leaf.data, leaf.len);
        damaged[leaf.len - 1] ^= 0x01;
        ct_free(leaf);
        leaf = (cmp_span){damaged, leaf.len};
    }
    e = cmp_crypto_chain_verify(c, &res, leaf, untrusted, nu, anchors, na, cc->now);
    ck_assert_msg(e == cc->err, "%s: got %s", cc->name, cmp_err_name(e));
    if (e == CMP_OK) {
        ck_assert_uint_eq(res.chain_len, cc->depth);
        ck_assert_uint_lt(res.anchor, na);
    } else {
        ck_assert_msg(res.depth == cc->depth, "%s: depth %zu", cc->name, res.depth);
    }
    /* the same without a result structure */
    ck_assert_int_eq(cmp_crypto_chain_verify(c, NULL, leaf, untrusted, nu, anchors, na, cc->now),
                     cc->err);
    for (i = 0; i < nu; i++) {
        ct_free(untrusted[i]);
    }
    for (i = 0; i < na; i++) {
        ct_free(anchors[i]);
    }
    ct_free(leaf);
    cmp_crypto_free(c);
}
END_TEST

START_TEST(test_chain_verify_args)
{
    cmp_crypto *c = ct_prov();
    cmp_span leaf = cert("leaf"), root = cert("root"), junk = ct_load("sig/data.bin");
    cmp_span two[2];

    ck_assert_int_eq(cmp_crypto_chain_verify(c, NULL, junk, NULL, 0, &root, 1, CT_NOW),
                     CMP_ERR_CERT_PARSE);
    ck_assert_int_eq(cmp_crypto_chain_verify(c, NULL, leaf, NULL, 0, &junk, 1, CT_NOW),
                     CMP_ERR_CERT_PARSE);
    /* an untrusted certificate that does not parse is just not used */
    two[0] = junk;
    two[1] = root;
    ck_assert_int_eq(cmp_crypto_chain_verify(c, NULL, root, two, 1, &root, 1, CT_NOW), CMP_OK);
    ck_assert_int_eq(cmp_crypto_chain_verify(c, NULL, leaf, NULL, 0, NULL, 0, CT_NOW),
                     CMP_ERR_CHAIN_UNKNOWN_ISSUER);
    ck_assert_int_eq(cmp_crypto_chain_verify(c, NULL, leaf, NULL, 3, &root, 1, CT_NOW),
                     CMP_ERR_ARG);
    ck_assert_int_eq(cmp_crypto_chain_verify(NULL, NULL, leaf, NULL, 0, &root, 1, CT_NOW),
                     CMP_ERR_ARG);
    ct_free(leaf);
    ct_free(root);
    ct_free(junk);
    cmp_crypto_free(c);
}
END_TEST

/* Many look-alike issuers cannot make validation expensive: the number of
 * signature checks is bounded. */
START_TEST(test_chain_verify_bounded)
{
    cmp_crypto *c = ct_prov();
    cmp_span leaf = cert("leaf-deep"), in = cert("int"), in2 = cert("int2"), root = cert("root");
    cmp_span many[200];
    size_t i;

    /* 100 copies of int2 and of int: every path dead-ends on int's
     * pathLenConstraint, and without a bound the search would make 10,000
     * signature checks. */
    for (i = 0; i < 200; i++) {
        many[i] = i % 2 ? in : in2;
    }
    c->limits.max_chain_len = 32;
    ck_assert_int_eq(cmp_crypto_chain_verify(c, NULL, leaf, many, 200, &root, 1, CT_NOW),
                     CMP_ERR_CHAIN_TOO_LONG);
    ct_free(leaf);
    ct_free(in);
    ct_free(in2);
    ct_free(root);
    cmp_crypto_free(c);
}
END_TEST

/* A protection signer needs digitalSignature when keyUsage is present. */
START_TEST(test_cert_check_signer)
{
    static const struct {
        const char *file;
        cmp_err err;
    } cases[] = {
        {"certs/leaf.der", CMP_OK},
        {"certs/leaf-ed25519.der", CMP_OK},
        {"certs/leaf-nods.der", CMP_ERR_KEY_USAGE},
        {"certs/root.der", CMP_ERR_KEY_USAGE},
        {"certs/int.der", CMP_ERR_KEY_USAGE},
        {"pbm/ee.crt", CMP_ERR_CERT_PARSE}, /* PEM */
        {"sig/data.bin", CMP_ERR_CERT_PARSE},
    };
    size_t i, vl, dl, el;
    uint8_t *v = testlib_hex(V3, &vl), *d = testlib_hex(VALIDITY, &dl);
    uint8_t *e = testlib_hex(EXT_BC EXT_SKI, &el);
    cmp_buf no_ku;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        cmp_span f = ct_load(cases[i].file);
        ck_assert_msg(cmp_crypto_cert_check_signer(f) == cases[i].err, "%s", cases[i].file);
        ct_free(f);
    }
    /* no keyUsage extension at all: any use is allowed */
    no_ku = synth((cmp_span){v, vl}, (cmp_span){d, dl}, (cmp_span){e, el}, 1);
    ck_assert_int_eq(cmp_crypto_cert_check_signer(CT_BSPAN(no_ku)), CMP_OK);
    cmp_buf_cleanup(&no_ku);
    free(v);
    free(d);
    free(e);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* issuing                                                                  */
/* ------------------------------------------------------------------------ */

static const cmp_general_name sans[] = {
    {CMP_GN_DNS, {(const uint8_t *)"device.example", 14}},
    {CMP_GN_IP, {(const uint8_t *)"\xc0\x00\x02\x01", 4}},
    {CMP_GN_URI, {(const uint8_t *)"urn:example:device", 18}},
    {CMP_GN_EMAIL, {(const uint8_t *)"dev@example.com", 15}},
};

static const cmp_general_name san_v6[] = {
    {CMP_GN_IP,
     {(const uint8_t *)"\x20\x01\x0d\xb8\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01", 16}},
};

typedef struct issue_case {
    const char *name;
    const char *cn; /* NULL: empty subject */
    cmp_cert_exts exts;
    uint32_t want_critical;
    const char *must_show[5]; /* strings openssl x509 -text must print */
} issue_case;

static const issue_case issues[] = {
    {"no extensions", "plain", {0, 0, -1, 0, 0, NULL, 0, {NULL, 0}}, 0, {NULL}},
    {"end entity, all six",
     "device",
     {0x3f, 0, -1, CMP_KU_DIGITAL_SIGNATURE | CMP_KU_KEY_AGREEMENT,
      CMP_EKU_CLIENT_AUTH | CMP_EKU_CMC_RA | CMP_EKU_CM_KGA, sans, 4, {NULL, 0}},
     CMP_EXT_BASIC_CONSTRAINTS | CMP_EXT_KEY_USAGE,
     {"DNS:device.example", "IP Address:192.0.2.1", "URI:urn:example:device",
      "email:dev@example.com", "TLS Web Client Authentication"}},
    {"CA with pathlen 1",
     "sub ca",
     {CMP_EXT_BASIC_CONSTRAINTS | CMP_EXT_KEY_USAGE | CMP_EXT_SUBJECT_KEY_ID |
          CMP_EXT_AUTHORITY_KEY_ID,
      1, 1, CMP_KU_KEY_CERT_SIGN | CMP_KU_CRL_SIGN, 0, NULL, 0, {NULL, 0}},
     CMP_EXT_BASIC_CONSTRAINTS | CMP_EXT_KEY_USAGE,
     {"CA:TRUE, pathlen:1", "Certificate Sign, CRL Sign", NULL}},
    {"empty subject, SAN only",
     NULL,
     {CMP_EXT_SUBJECT_ALT_NAME, 0, -1, 0, 0, sans, 1, {NULL, 0}},
     CMP_EXT_SUBJECT_ALT_NAME,
     {"X509v3 Subject Alternative Name: critical", "DNS:device.example", NULL}},
    {"anyExtendedKeyUsage, IPv6",
     "any",
     {CMP_EXT_EXT_KEY_USAGE | CMP_EXT_SUBJECT_ALT_NAME, 0, -1, 0,
      CMP_EKU_ANY | CMP_EKU_SERVER_AUTH, san_v6, 1, {NULL, 0}},
     0,
     {"Any Extended Key Usage", "TLS Web Server Authentication", "2001:DB8:0:0:0:0:0:1", NULL}},
    {"explicit SKI, decipherOnly",
     "ski",
     {CMP_EXT_SUBJECT_KEY_ID | CMP_EXT_KEY_USAGE, 0, -1,
      CMP_KU_KEY_AGREEMENT | CMP_KU_DECIPHER_ONLY, 0, NULL, 0,
      {(const uint8_t *)"\x01\x02\x03\x04\x05\x06\x07\x08", 8}},
     CMP_EXT_KEY_USAGE,
     {"01:02:03:04:05:06:07:08", "Decipher Only", NULL}},
    {"basicConstraints cA FALSE", "ee", {CMP_EXT_BASIC_CONSTRAINTS, 0, -1, 0, 0, NULL, 0,
                                         {NULL, 0}},
     CMP_EXT_BASIC_CONSTRAINTS, {"CA:FALSE", NULL}},
};

static int nbits(uint32_t v)
{
    int n = 0;

    while (v) {
        n += (int)(v & 1u);
        v >>= 1;
    }
    return n;
}

/* issue_one issues a certificate for keys/ec256 from |t| under int. */
static cmp_buf issue_under_int(cmp_crypto *c, const cmp_cert_template *t)
{
    cmp_key *ca = ct_key(c, "ec384.pem");
    cmp_span in = cert("int");
    cmp_buf out = {NULL, 0};

    ck_assert_int_eq(cmp_crypto_cert_issue(c, &out, ca, in, NOSPAN, t), CMP_OK);
    cmp_crypto_key_free(c, ca);
    ct_free(in);
    return out;
}

static cmp_cert_template base_template(cmp_span subject, cmp_span spki)
{
    static const uint8_t serial[] = {0x80, 0x01};
    cmp_cert_template t;

    memset(&t, 0, sizeof(t));
    t.subject = subject;
    t.spki = spki;
    t.serial = (cmp_span){serial, sizeof(serial)};
    t.not_before = 1577836800; /* 2020-01-01 */
    t.not_after = 2840140800;  /* 2060-01-01: GeneralizedTime */
    return t;
}

/* A certificate we issue carries exactly the requested extensions, parses
 * here and in openssl, and validates (here and with openssl verify). */
START_TEST(test_cert_issue)
{
    const issue_case *ic = &issues[_i];
    cmp_crypto *c = ct_prov();
    cmp_buf name = name_cn(ic->cn), der;
    cmp_span spki = ct_load("keys/ec256.spki.der"), in = cert("int"), root = cert("root");
    cmp_cert_template t = base_template(CT_BSPAN(name), spki);
    cmp_cert_info ci, ii = info_of(in);
    uint8_t kid[CMP_KEY_ID_LEN];
    char *text;
    size_t i, n;

    t.exts = ic->exts;
    der = issue_under_int(c, &t);
    ci = info_of(CT_BSPAN(der));
    ck_assert_int_eq(ci.version, 3);
    ck_assert_uint_eq(ci.exts, ic->exts.exts);
    ck_assert_uint_eq(ci.exts_critical, ic->want_critical);
    ck_assert(cmp_cder_span_eq(ci.subject, CT_BSPAN(name)));
    ck_assert(cmp_cder_span_eq(ci.issuer, ii.subject));
    ck_assert(cmp_cder_span_eq(ci.spki, spki));
    ck_assert_int_eq(ci.not_before, t.not_before);
    ck_assert_int_eq(ci.not_after, t.not_after);
    ck_assert_uint_eq(ci.serial.len, 3); /* 0x00 0x80 0x01: positive */
    if (ic->exts.exts & CMP_EXT_KEY_USAGE) {
        ck_assert_uint_eq(ci.key_usage, ic->exts.key_usage);
    }
    if (ic->exts.exts & CMP_EXT_EXT_KEY_USAGE) {
        ck_assert_uint_eq(ci.ext_key_usage, ic->exts.ext_key_usage);
    }
    if (ic->exts.exts & CMP_EXT_BASIC_CONSTRAINTS) {
        ck_assert_int_eq(ci.is_ca, ic->exts.is_ca);
        ck_assert_int_eq(ci.path_len, ic->exts.path_len);
    }
    if (ic->exts.exts & CMP_EXT_SUBJECT_KEY_ID) {
        ck_assert_int_eq(cmp_crypto_key_id(c, kid, spki), CMP_OK);
        ck_assert(ic->exts.ski.len > 0 ? cmp_cder_span_eq(ci.ski, ic->exts.ski)
                                       : cmp_cder_span_eq(ci.ski, (cmp_span){kid, 20}));
    }
    if (ic->exts.exts & CMP_EXT_AUTHORITY_KEY_ID) {
        ck_assert(cmp_cder_span_eq(ci.aki, ii.ski));
    }
    ck_assert_int_eq(cmp_crypto_chain_verify(c, NULL, CT_BSPAN(der), &in, 1, &root, 1, CT_NOW),
                     CMP_OK);
    if (ct_have_openssl()) {
        text = openssl_text("x509", CT_BSPAN(der));
        ck_assert_msg(strstr(text, "Certificate:") != NULL, "%s", text);
        n = count(text, "X509v3 ") - (strstr(text, "X509v3 extensions:") != NULL);
        ck_assert_msg(n == (size_t)nbits(ic->exts.exts), "%s: %zu extensions\n%s", ic->name, n,
                      text);
        ck_assert(strstr(text, "Serial Number: 32769 (0x8001)") != NULL);
        ck_assert(strstr(text, "Not After : Jan  1 00:00:00 2060 GMT") != NULL);
        for (i = 0; i < 5 && ic->must_show[i] != NULL; i++) {
            ck_assert_msg(strstr(text, ic->must_show[i]) != NULL, "%s: no '%s' in\n%s",
                          ic->name, ic->must_show[i], text);
        }
        free(text);
        ct_write(ct_tmpfile("issued.der"), CT_BSPAN(der));
        ct_write(ct_tmpfile("int.der"), in);
        ck_assert_int_eq(ct_run("cd %s && openssl x509 -inform DER -in issued.der -out issued.pem "
                                "&& openssl x509 -inform DER -in int.der -out int.pem && "
                                "openssl verify -attime %lld -CAfile %s -untrusted int.pem "
                                "issued.pem",
                                ct_tmpdir(), (long long)CT_NOW, ct_data_path("certs/root.pem")),
                         0);
    }
    cmp_buf_cleanup(&der);
    cmp_buf_cleanup(&name);
    ct_free(spki);
    ct_free(in);
    ct_free(root);
    cmp_crypto_free(c);
}
END_TEST

/* Self-signed roots with every kind of key and signature, deterministic
 * where the signature is. */
static const struct {
    const char *key;
    cmp_sig_scheme scheme;
    cmp_hash_alg hash;
} roots[] = {
    {"rsa2048.pem", CMP_SIG_SCHEME_PKCS1, CMP_HASH_SHA256},
    {"rsa2048.pem", CMP_SIG_SCHEME_PSS, CMP_HASH_SHA384},
    {"ec256.pem", CMP_SIG_SCHEME_ECDSA, CMP_HASH_SHA256},
    {"ec521.pem", CMP_SIG_SCHEME_ECDSA, CMP_HASH_SHA512},
    {"ed25519.p8.pem", CMP_SIG_SCHEME_ED25519, CMP_HASH_SHA512},
};

START_TEST(test_cert_issue_self_signed)
{
    cmp_crypto *c = ct_prov();
    cmp_key *k = ct_key(c, roots[_i].key);
    cmp_buf spki = {NULL, 0}, name = name_cn("self"), a, b;
    cmp_span alg = {NULL, 0};
    cmp_cert_template t;
    cmp_cert_info ci;

    ck_assert_int_eq(cmp_alg_sig_encoding(&alg, roots[_i].scheme, roots[_i].hash), CMP_OK);
    ck_assert_int_eq(cmp_crypto_key_spki(c, &spki, k), CMP_OK);
    t = base_template(CT_BSPAN(name), CT_BSPAN(spki));
    t.exts.exts = CMP_EXT_BASIC_CONSTRAINTS | CMP_EXT_KEY_USAGE | CMP_EXT_SUBJECT_KEY_ID |
                  CMP_EXT_AUTHORITY_KEY_ID;
    t.exts.is_ca = 1;
    t.exts.path_len = -1;
    t.exts.key_usage = CMP_KU_KEY_CERT_SIGN;
    ck_assert_int_eq(cmp_crypto_cert_issue(c, &a, k, NOSPAN, alg, &t), CMP_OK);
    ck_assert_int_eq(cmp_crypto_cert_issue(c, &b, k, NOSPAN, alg, &t), CMP_OK);
    ci = info_of(CT_BSPAN(a));
    ck_assert(cmp_cder_span_eq(ci.issuer, ci.subject));
    ck_assert(cmp_cder_span_eq(ci.aki, ci.ski));
    ck_assert(cmp_cder_span_eq(ci.sig_alg, alg));
    if (roots[_i].scheme != CMP_SIG_SCHEME_PSS && roots[_i].hash == CMP_HASH_SHA256) {
        ck_assert(cmp_cder_span_eq(CT_BSPAN(a), CT_BSPAN(b))); /* byte-identical */
    }
    /* b has a's subject and key, so it is a's issuer even when a != b */
    ck_assert_int_eq(cmp_crypto_chain_verify(c, NULL, CT_BSPAN(a), NULL, 0,
                                             &(cmp_span){b.data, b.len}, 1, CT_NOW),
                     CMP_OK);
    if (ct_have_openssl()) {
        ct_write(ct_tmpfile("self.der"), CT_BSPAN(a));
        ck_assert_int_eq(ct_run("cd %s && openssl x509 -inform DER -in self.der -out self.pem "
                                "&& openssl verify -attime %lld -CAfile self.pem self.pem",
                                ct_tmpdir(), (long long)CT_NOW),
                         0);
    }
    cmp_buf_cleanup(&a);
    cmp_buf_cleanup(&b);
    cmp_buf_cleanup(&spki);
    cmp_buf_cleanup(&name);
    cmp_crypto_key_free(c, k);
    cmp_crypto_free(c);
}
END_TEST

START_TEST(test_cert_issue_errors)
{
    static const uint8_t long_serial[21] = {1};
    static const uint8_t zero_serial[] = {0x00, 0x01};
    static const cmp_general_name bad_ip[] = {{CMP_GN_IP, {(const uint8_t *)"\x01\x02\x03", 3}}};
    static const cmp_general_name bad_dns[] = {{CMP_GN_DNS, {(const uint8_t *)"\xc3\xa9", 2}}};
    static const cmp_general_name bad_type[] = {{(cmp_gn_type)4, {(const uint8_t *)"x", 1}}};
    cmp_crypto *c = ct_prov();
    cmp_key *ca = ct_key(c, "ec384.pem"), *other = ct_key(c, "ec521.pem");
    cmp_span in = cert("int"), spki = ct_load("keys/ec256.spki.der"), junk = CT_SPAN("junk");
    cmp_buf name = name_cn("x"), empty = name_cn(NULL), out = {NULL, 0};
    cmp_cert_template t;
    cmp_span rsa_alg;

#define EXPECT(want, ...)                                                                      \
    do {                                                                                       \
        t = base_template(CT_BSPAN(name), spki);                                               \
        __VA_ARGS__;                                                                           \
        ck_assert_int_eq(cmp_crypto_cert_issue(c, &out, ca, in, NOSPAN, &t), want);            \
        ck_assert_ptr_null(out.data);                                                          \
    } while (0)

    EXPECT(CMP_ERR_ARG, t.serial = (cmp_span){long_serial, 21});
    EXPECT(CMP_ERR_ARG, t.serial = (cmp_span){zero_serial, 2});
    EXPECT(CMP_ERR_ARG, t.serial = NOSPAN);
    EXPECT(CMP_ERR_ARG, t.subject = junk);
    EXPECT(CMP_ERR_ARG, t.subject = CT_BSPAN(empty)); /* an empty subject needs a SAN */
    EXPECT(CMP_ERR_ARG, t.spki = junk);
    EXPECT(CMP_ERR_ARG, t.not_after = t.not_before - 1);
    EXPECT(CMP_ERR_ARG, t.not_before = -700000000); /* 1947: no UTCTime for it */
    EXPECT(CMP_ERR_ARG, t.exts.exts = CMP_EXT_KEY_USAGE, t.exts.key_usage = 0);
    EXPECT(CMP_ERR_ARG, t.exts.exts = CMP_EXT_KEY_USAGE, t.exts.key_usage = 1u << 9);
    EXPECT(CMP_ERR_ARG, t.exts.exts = CMP_EXT_EXT_KEY_USAGE, t.exts.ext_key_usage = 0);
    EXPECT(CMP_ERR_ARG, t.exts.exts = CMP_EXT_BASIC_CONSTRAINTS, t.exts.path_len = 2);
    EXPECT(CMP_ERR_ARG, t.exts.exts = CMP_EXT_SUBJECT_ALT_NAME, t.exts.san = bad_ip,
           t.exts.num_san = 1);
    EXPECT(CMP_ERR_ARG, t.exts.exts = CMP_EXT_SUBJECT_ALT_NAME, t.exts.san = bad_dns,
           t.exts.num_san = 1);
    EXPECT(CMP_ERR_ARG, t.exts.exts = CMP_EXT_SUBJECT_ALT_NAME, t.exts.san = bad_type,
           t.exts.num_san = 1);
    EXPECT(CMP_ERR_ARG, t.exts.exts = CMP_EXT_SUBJECT_ALT_NAME, t.exts.num_san = 0);
    EXPECT(CMP_ERR_ARG, t.exts.exts = 0x40);
    /* the CA key is not the CA certificate's */
    t = base_template(CT_BSPAN(name), spki);
    ck_assert_int_eq(cmp_crypto_cert_issue(c, &out, other, in, NOSPAN, &t), CMP_ERR_KEY_MISMATCH);
    /* self-signed, but the template's key is another */
    ck_assert_int_eq(cmp_crypto_cert_issue(c, &out, other, NOSPAN, NOSPAN, &t),
                     CMP_ERR_KEY_MISMATCH);
    /* a signature algorithm for another key type */
    ck_assert_int_eq(cmp_alg_sig_encoding(&rsa_alg, CMP_SIG_SCHEME_PKCS1, CMP_HASH_SHA256), CMP_OK);
    ck_assert_int_eq(cmp_crypto_cert_issue(c, &out, ca, in, rsa_alg, &t), CMP_ERR_KEY_TYPE);
    ck_assert_int_eq(cmp_crypto_cert_issue(c, &out, ca, in, junk, &t), CMP_ERR_DECODE);
    ck_assert_int_eq(cmp_crypto_cert_issue(c, &out, ca, junk, NOSPAN, &t), CMP_ERR_CERT_PARSE);
    ck_assert_int_eq(cmp_crypto_cert_issue(c, NULL, ca, in, NOSPAN, &t), CMP_ERR_ARG);
    ck_assert_ptr_null(out.data);
#undef EXPECT
    cmp_buf_cleanup(&name);
    cmp_buf_cleanup(&empty);
    ct_free(in);
    ct_free(spki);
    cmp_crypto_key_free(c, ca);
    cmp_crypto_key_free(c, other);
    cmp_crypto_free(c);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* PKCS#10                                                                  */
/* ------------------------------------------------------------------------ */

static const char *const csr_keys[] = {"ec256.pem", "rsa2048.pem", "ed25519.p8.pem",
                                       "ec521.pem"};

START_TEST(test_csr_build)
{
    cmp_crypto *c = ct_prov();
    cmp_key *k = ct_key(c, csr_keys[_i]);
    cmp_buf name = name_cn("csr device"), csr = {NULL, 0}, plain = {NULL, 0}, spki = {NULL, 0};
    cmp_cert_exts e;
    cmp_csr_info ci;
    cmp_span pss = {NULL, 0};
    uint8_t *bad;
    char *text;

    memset(&e, 0, sizeof(e));
    e.exts = CMP_EXT_SUBJECT_ALT_NAME | CMP_EXT_KEY_USAGE | CMP_EXT_EXT_KEY_USAGE;
    e.san = sans;
    e.num_san = 2;
    e.key_usage = CMP_KU_DIGITAL_SIGNATURE;
    e.ext_key_usage = CMP_EKU_CLIENT_AUTH;
    if (_i == 1) {
        ck_assert_int_eq(cmp_alg_sig_encoding(&pss, CMP_SIG_SCHEME_PSS, CMP_HASH_SHA256), CMP_OK);
    }
    ck_assert_int_eq(cmp_crypto_csr_build(c, &csr, k, pss, CT_BSPAN(name), &e), CMP_OK);
    ck_assert_int_eq(cmp_crypto_csr_build(c, &plain, k, NOSPAN, CT_BSPAN(name), NULL), CMP_OK);
    ck_assert_int_eq(cmp_crypto_csr_parse(&ci, CT_BSPAN(csr)), CMP_OK);
    ck_assert_int_eq(cmp_crypto_key_spki(c, &spki, k), CMP_OK);
    ck_assert(cmp_cder_span_eq(ci.spki, CT_BSPAN(spki)));
    ck_assert(cmp_cder_span_eq(ci.subject, CT_BSPAN(name)));
    ck_assert_uint_gt(ci.extensions.len, 0);
    ck_assert_int_eq(cmp_crypto_csr_verify(c, CT_BSPAN(csr)), CMP_OK);
    ck_assert_int_eq(cmp_crypto_csr_parse(&ci, CT_BSPAN(plain)), CMP_OK);
    ck_assert_uint_eq(ci.extensions.len, 0);
    ck_assert_int_eq(cmp_crypto_csr_verify(c, CT_BSPAN(plain)), CMP_OK);
    bad = testlib_dup(csr.data, csr.len);
    bad[csr.len - 1] ^= 0x01;
    ck_assert_int_eq(cmp_crypto_csr_verify(c, (cmp_span){bad, csr.len}), CMP_ERR_SIGNATURE);
    free(bad);
    if (ct_have_openssl()) {
        text = openssl_text("req", CT_BSPAN(csr));
        ck_assert_msg(strstr(text, "Requested Extensions:") != NULL, "%s", text);
        ck_assert(strstr(text, "DNS:device.example, IP Address:192.0.2.1") != NULL);
        ck_assert(strstr(text, "TLS Web Client Authentication") != NULL);
        ck_assert(strstr(text, "Digital Signature") != NULL);
        ck_assert_uint_eq(count(text, "X509v3 "), 3);
        free(text);
        ck_assert_int_eq(ct_run("openssl req -inform DER -in %s -verify -noout",
                                ct_tmpfile("obj.der")),
                         0);
        ct_write(ct_tmpfile("plain.der"), CT_BSPAN(plain));
        ck_assert_int_eq(ct_run("openssl req -inform DER -in %s -verify -noout",
                                ct_tmpfile("plain.der")),
                         0);
    }
    cmp_buf_cleanup(&csr);
    cmp_buf_cleanup(&plain);
    cmp_buf_cleanup(&spki);
    cmp_buf_cleanup(&name);
    cmp_crypto_key_free(c, k);
    cmp_crypto_free(c);
}
END_TEST

/* CSRs openssl req made (make.sh) verify, and every prefix fails. */
static const char *const openssl_csrs[] = {"req-ec256", "req-rsa-pss", "req-ed25519"};

START_TEST(test_csr_openssl)
{
    cmp_crypto *c = ct_prov();
    char rel[64];
    cmp_span csr;
    cmp_csr_info ci;
    uint8_t *p;
    size_t n;

    snprintf(rel, sizeof(rel), "certs/%s.der", openssl_csrs[_i]);
    csr = ct_load(rel);
    ck_assert_int_eq(cmp_crypto_csr_verify(c, csr), CMP_OK);
    ck_assert_int_eq(cmp_crypto_csr_parse(&ci, csr), CMP_OK);
    ck_assert_uint_gt(ci.extensions.len, 0);
    for (n = 0; n < csr.len; n++) {
        p = testlib_dup(csr.data, n);
        ck_assert_int_eq(cmp_crypto_csr_parse(&ci, (cmp_span){p, n}), CMP_ERR_CSR_PARSE);
        free(p);
    }
    ct_free(csr);
    cmp_crypto_free(c);
}
END_TEST

START_TEST(test_csr_errors)
{
    cmp_crypto *c = ct_prov();
    cmp_key *k = ct_key(c, "ec256.pem");
    cmp_buf name = name_cn("x"), out = {NULL, 0};
    cmp_cert_exts e;
    cmp_span cert_der = cert("leaf");

    memset(&e, 0, sizeof(e));
    e.exts = CMP_EXT_AUTHORITY_KEY_ID;
    ck_assert_int_eq(cmp_crypto_csr_build(c, &out, k, NOSPAN, CT_BSPAN(name), &e), CMP_ERR_ARG);
    e.exts = CMP_EXT_KEY_USAGE;
    ck_assert_int_eq(cmp_crypto_csr_build(c, &out, k, NOSPAN, CT_BSPAN(name), &e), CMP_ERR_ARG);
    ck_assert_int_eq(cmp_crypto_csr_build(c, &out, k, NOSPAN, CT_SPAN("junk"), NULL),
                     CMP_ERR_ARG);
    ck_assert_ptr_null(out.data);
    ck_assert_int_eq(cmp_crypto_csr_verify(c, cert_der), CMP_ERR_CSR_PARSE);
    ct_free(cert_der);
    cmp_buf_cleanup(&name);
    cmp_crypto_key_free(c, k);
    cmp_crypto_free(c);
}
END_TEST

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

static Suite *cmp_crypto_x509_suite(void)
{
    Suite *s = suite_create("crypto_x509");
    TCase *tc;

    tc = tcase_create("parse");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_cert_parse_fields);
    tcase_add_loop_test(tc, test_cert_parse_prefixes, 0, N(all_certs));
    tcase_add_loop_test(tc, test_cert_parse_synthetic, 0, N(synth_cases));
    tcase_add_test(tc, test_cert_parse_alg_mismatch);
    tcase_add_loop_test(tc, test_time_roundtrip, 0, N(times));
    suite_add_tcase(s, tc);

    tc = tcase_create("chain");
    tcase_set_timeout(tc, 60);
    tcase_add_loop_test(tc, test_chain_verify, 0, N(chains));
    tcase_add_test(tc, test_chain_verify_args);
    tcase_add_test(tc, test_chain_verify_bounded);
    tcase_add_test(tc, test_cert_check_signer);
    suite_add_tcase(s, tc);

    tc = tcase_create("issue");
    tcase_set_timeout(tc, 60);
    tcase_add_loop_test(tc, test_cert_issue, 0, N(issues));
    tcase_add_loop_test(tc, test_cert_issue_self_signed, 0, N(roots));
    tcase_add_test(tc, test_cert_issue_errors);
    tcase_add_loop_test(tc, test_csr_build, 0, N(csr_keys));
    tcase_add_loop_test(tc, test_csr_openssl, 0, N(openssl_csrs));
    tcase_add_test(tc, test_csr_errors);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(cmp_crypto_x509_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
