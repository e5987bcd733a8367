/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tests/unit/check_msg_body.c: the message bodies (stack/msg_certreq.c,
 * msg_certrep.c, msg_conf.c, msg_poll.c, msg_error.c, msg_genm.c,
 * msg_rr.c, msg_status.c): every builder round trip (build, encode, decode
 * strictly, read back), what OpenSSL's asn1parse accepts, minimal
 * PKIFailureInfo, bad builder inputs, hostile received values (made by
 * tampering with a built tree before encoding) and the accessors over the
 * real messages in tests/data/bouncycastle and tests/data/openssl.
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cmp/ext.h"
#include "cmp/mem.h"
#include "cmp/msg.h"
#include "cmp/oid.h"
#include "err_int.h"
#include "msg_body_int.h"
#include "testlib.h"

#include "CertReqMsg.h"
#include "CertResponse.h"
#include "CertStatus.h"
#include "CertifiedKeyPair.h"
#include "EncryptedValue.h"
#include "ProofOfPossession.h"
#include "Extension.h"
#include "RevDetails.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* ---- fixtures ------------------------------------------------------------ */

static uint8_t *cert1, *cert2, *csr;
static size_t cert1_len, cert2_len, csr_len;
static char **corpus;
static size_t num_corpus;
static int have_openssl;

/* Ed25519 SubjectPublicKeyInfo (RFC 8410 section 4). */
static const char spki_hex[] = "302a300506032b6570032100"
                               "19bf44096984cdfe8541bac167dc3b96c85086aa30b6b6cb0c5c38ad703166e1";
/* ecdsa-with-SHA256 and sha256 AlgorithmIdentifiers (RFC 5758, RFC 5754). */
static const uint8_t alg_ecdsa[] = {0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48,
                                    0xce, 0x3d, 0x04, 0x03, 0x02};
static const uint8_t alg_sha256[] = {0x30, 0x0b, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
                                     0x65, 0x03, 0x04, 0x02, 0x01};
static const uint8_t tid[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};

static cmp_span sp(const void *d, size_t n)
{
    cmp_span s;
    s.data = d;
    s.len = n;
    return s;
}

static cmp_span bsp(const cmp_buf *b)
{
    return sp(b->data, b->len);
}

static int span_eq(cmp_span a, cmp_span b)
{
    return a.len == b.len && (a.len == 0 || memcmp(a.data, b.data, a.len) == 0);
}

static cmp_buf hexbuf(const char *hex)
{
    cmp_buf b;
    b.data = testlib_hex(hex, &b.len);
    ck_assert_msg(b.data != NULL, "bad hex %s", hex);
    return b;
}

/* A DER Name, in a malloc'd buffer of exactly its size. */
static cmp_buf name_der(const char *s)
{
    cmp_buf b = {NULL, 0}, out;
    ck_assert_int_eq(cmp_name_from_string(&b, s), CMP_OK);
    out.data = testlib_dup(b.data, b.len);
    out.len = b.len;
    cmp_buf_cleanup(&b);
    return out;
}

static void free_buf(cmp_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = 0;
}

static cmp_msg *new_msg(int pvno)
{
    cmp_hdr_spec h;
    cmp_msg *m = NULL;

    memset(&h, 0, sizeof(h));
    h.pvno = pvno;
    h.message_time = -1;
    h.transaction_id = sp(tid, sizeof(tid));
    h.sender_nonce = sp(tid, sizeof(tid));
    ck_assert_int_eq(cmp_msg_new(&m, &h), CMP_OK);
    return m;
}

/* OpenSSL's asn1parse must read what we encode (skipped without openssl). */
static void asn1parse_ok(cmp_span der)
{
    char path[] = "/tmp/check_msg_body_XXXXXX";
    char cmd[128];
    int fd;

    if (!have_openssl) {
        return;
    }
    fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    ck_assert(write(fd, der.data, der.len) == (ssize_t)der.len);
    close(fd);
    snprintf(cmd, sizeof(cmd), "openssl asn1parse -inform DER -in %s >/dev/null 2>&1", path);
    ck_assert_msg(system(cmd) == 0, "openssl asn1parse rejects our encoding");
    unlink(path);
}

/* Encodes |m|, checks it with asn1parse, decodes it strictly. */
static cmp_msg *roundtrip(const cmp_msg *m)
{
    cmp_buf enc = {NULL, 0};
    cmp_msg *rx = NULL;
    size_t off = 0;
    cmp_err err;

    ck_assert_int_eq(cmp_msg_encode(m, &enc), CMP_OK);
    asn1parse_ok(bsp(&enc));
    err = cmp_msg_decode(&rx, enc.data, enc.len, NULL, &off);
    ck_assert_msg(err == CMP_OK, "strict decode: %s at %zu", cmp_err_name(err), off);
    ck_assert(span_eq(cmp_msg_der(rx), bsp(&enc)));
    cmp_buf_cleanup(&enc);
    return rx;
}

/* Encodes a tampered tree and decodes it (strict, else lenient). */
static cmp_msg *reencode(const cmp_msg *m, int lenient)
{
    cmp_decode_opts o = {lenient, 0, 0};
    cmp_buf enc = {NULL, 0};
    cmp_msg *rx = NULL;
    size_t off = 0;
    cmp_err err;

    ck_assert_int_eq(cmp_asn_encode(&asn_DEF_PKIMessage, m->pm, &enc), CMP_OK);
    err = cmp_msg_decode(&rx, enc.data, enc.len, &o, &off);
    ck_assert_msg(err == CMP_OK, "decode: %s at %zu", cmp_err_name(err), off);
    cmp_buf_cleanup(&enc);
    return rx;
}

/* Sets an INTEGER of the tree to raw content bytes (no checks: hostile). */
static void set_raw_int(INTEGER_t *i, const char *hex)
{
    size_t n = 0;
    uint8_t *b = testlib_hex(hex, &n);
    uint8_t *c = cmp_malloc(n);

    ck_assert_ptr_nonnull(b);
    ck_assert_ptr_nonnull(c);
    memcpy(c, b, n);
    free(b);
    cmp_free(i->buf);
    i->buf = c;
    i->size = (int)n;
}

/* ---- ir, cr, kur ----------------------------------------------------------- */

static const int certreq_types[] = {CMP_BODY_IR, CMP_BODY_CR, CMP_BODY_KUR};

START_TEST(test_cmp_msg_set_body_certreq_roundtrip)
{
    static const uint8_t serial[] = {0x01, 0x82, 0x3e};
    static const uint8_t sig[] = {0xaa, 0xbb, 0xcc, 0xdd};
    int type = certreq_types[_i];
    cmp_buf subject = name_der("/O=cmpstack/CN=EE"), issuer = name_der("/CN=CA");
    cmp_buf spki = hexbuf(spki_hex), san = {NULL, 0}, ku = {NULL, 0}, exts = {NULL, 0};
    cmp_buf gn = {NULL, 0}, tbs = {NULL, 0}, tbs2 = {NULL, 0};
    cmp_certreq_spec spec;
    cmp_certreq cr;
    cmp_ext ex[2];
    cmp_msg *m = new_msg(CMP_PVNO_2000), *rx;
    cmp_span der;

    ck_assert_int_eq(cmp_ext_san(&san, "ee.example 10.0.0.1"), CMP_OK);
    ck_assert_int_eq(cmp_ext_key_usage(&ku, 1u << CMP_KU_BIT_DIGITAL_SIGNATURE), CMP_OK);
    ex[0].oid = sp(CMP_OID_EXT_SUBJECT_ALT_NAME, CMP_OID_EXT_LEN);
    ex[0].critical = 0;
    ex[0].value = bsp(&san);
    ex[1].oid = sp(CMP_OID_EXT_KEY_USAGE, CMP_OID_EXT_LEN);
    ex[1].critical = 1;
    ex[1].value = bsp(&ku);
    ck_assert_int_eq(cmp_ext_encode(&exts, ex, 2), CMP_OK);
    memset(&spec, 0, sizeof(spec));
    spec.cert_req_id = type == CMP_BODY_CR ? 42 : 0;
    spec.subject = bsp(&subject);
    spec.issuer = bsp(&issuer);
    spec.public_key = bsp(&spki);
    spec.extensions = bsp(&exts);
    spec.not_before = 1700000000;
    spec.not_after = 2600000000; /* 2052: GeneralizedTime */
    if (type == CMP_BODY_KUR) {
        spec.old_cert_issuer = bsp(&issuer);
        spec.old_cert_serial = sp(serial, sizeof(serial));
    }
    ck_assert_int_eq(cmp_msg_set_body_certreq(m, (cmp_body_type)type, &spec), CMP_OK);
    ck_assert_int_eq(cmp_msg_body_type(m), type);
    ck_assert_uint_eq(cmp_msg_num_certreqs(m), 1);
    ck_assert_int_eq(cmp_msg_certreq_tbs(m, 0, &tbs), CMP_OK);
    ck_assert_int_eq(cmp_msg_certreq_set_popo_sig(m, 0, sp(alg_ecdsa, sizeof(alg_ecdsa)),
                                                  sp(sig, sizeof(sig))),
                     CMP_OK);
    rx = roundtrip(m);

    ck_assert_int_eq(cmp_msg_body_type(rx), type);
    ck_assert_uint_eq(cmp_msg_num_certreqs(rx), 1);
    ck_assert_int_eq(cmp_msg_certreq(rx, 0, &cr), CMP_OK);
    ck_assert(cr.cert_req_id == spec.cert_req_id);
    ck_assert(span_eq(cr.subject, bsp(&subject)));
    ck_assert(span_eq(cr.issuer, bsp(&issuer)));
    ck_assert(span_eq(cr.public_key, bsp(&spki)));
    ck_assert(span_eq(cr.extensions, bsp(&exts)));
    ck_assert(cr.not_before == 1700000000 && cr.not_after == 2600000000);
    if (type == CMP_BODY_KUR) {
        ck_assert_int_eq(cmp_general_name_dn(&gn, bsp(&issuer)), CMP_OK);
        ck_assert(span_eq(cr.old_cert_issuer, sp(gn.data, gn.len)));
        ck_assert(span_eq(cr.old_cert_serial, sp(serial, sizeof(serial))));
    } else {
        ck_assert_uint_eq(cr.old_cert_issuer.len + cr.old_cert_serial.len, 0);
    }
    ck_assert_int_eq(cr.popo_type, CMP_POPO_SIGNATURE);
    ck_assert_int_eq(cr.popo_has_input, 0);
    ck_assert(span_eq(cr.popo_alg, sp(alg_ecdsa, sizeof(alg_ecdsa))));
    ck_assert(span_eq(cr.popo_sig, sp(sig, sizeof(sig))));
    /* the POPO bytes: the CertRequest as built, found inside the received DER */
    ck_assert(span_eq(cr.tbs, bsp(&tbs)));
    der = cmp_msg_der(rx);
    ck_assert(cr.tbs.data > der.data && cr.tbs.data + cr.tbs.len <= der.data + der.len);
    ck_assert_int_eq(cmp_msg_certreq_tbs(rx, 0, &tbs2), CMP_OK);
    ck_assert(span_eq(bsp(&tbs2), bsp(&tbs)));

    cmp_msg_free(rx);
    cmp_msg_free(m);
    free_buf(&subject);
    free_buf(&issuer);
    free_buf(&spki);
    cmp_buf_cleanup(&san);
    cmp_buf_cleanup(&ku);
    cmp_buf_cleanup(&exts);
    cmp_buf_cleanup(&gn);
    cmp_buf_cleanup(&tbs);
    cmp_buf_cleanup(&tbs2);
}
END_TEST

/* raVerified, no POPO, and a template with nothing but the key. */
START_TEST(test_cmp_msg_certreq_popo_kinds)
{
    cmp_buf spki = hexbuf(spki_hex), subject = name_der("/CN=x");
    cmp_certreq_spec spec;
    cmp_certreq cr;
    cmp_msg *m = new_msg(CMP_PVNO_2000), *rx;

    memset(&spec, 0, sizeof(spec));
    spec.public_key = bsp(&spki);
    ck_assert_int_eq(cmp_msg_set_body_certreq(m, CMP_BODY_CR, &spec), CMP_OK);
    rx = roundtrip(m);
    ck_assert_int_eq(cmp_msg_certreq(rx, 0, &cr), CMP_OK);
    ck_assert_int_eq(cr.popo_type, CMP_POPO_NONE);
    ck_assert_uint_eq(cr.subject.len + cr.issuer.len + cr.extensions.len, 0);
    ck_assert(cr.not_before == 0 && cr.not_after == 0);
    cmp_msg_free(rx);

    ck_assert_int_eq(cmp_msg_certreq_set_popo_raverified(m, 0), CMP_OK);
    rx = roundtrip(m);
    ck_assert_int_eq(cmp_msg_certreq(rx, 0, &cr), CMP_OK);
    ck_assert_int_eq(cr.popo_type, CMP_POPO_RA_VERIFIED);
    cmp_msg_free(rx);

    /* a second body replaces the first */
    spec.subject = bsp(&subject);
    ck_assert_int_eq(cmp_msg_set_body_certreq(m, CMP_BODY_IR, &spec), CMP_OK);
    ck_assert_int_eq(cmp_msg_body_type(m), CMP_BODY_IR);
    ck_assert_int_eq(cmp_msg_certreq(m, 0, &cr), CMP_OK);
    ck_assert_int_eq(cr.popo_type, CMP_POPO_NONE);
    cmp_msg_free(m);
    free_buf(&spki);
    free_buf(&subject);
}
END_TEST

typedef struct bad_case {
    const char *name;
    cmp_err (*fn)(cmp_msg *m);
    cmp_err want;
} bad_case;

static cmp_certreq_spec base_spec;
static cmp_buf base_subject, base_spki;

static cmp_err cr_build(cmp_msg *m, cmp_certreq_spec *s)
{
    return cmp_msg_set_body_certreq(m, CMP_BODY_CR, s);
}

static cmp_err cr_bad_type(cmp_msg *m)
{
    return cmp_msg_set_body_certreq(m, CMP_BODY_IP, &base_spec);
}

static cmp_err cr_null_spec(cmp_msg *m)
{
    return cmp_msg_set_body_certreq(m, CMP_BODY_IR, NULL);
}

static cmp_err cr_with_subject(cmp_msg *m, const char *hex)
{
    cmp_certreq_spec s = base_spec;
    cmp_buf b = hexbuf(hex);
    cmp_err e;

    s.subject = bsp(&b);
    e = cr_build(m, &s);
    free_buf(&b);
    return e;
}

static cmp_err cr_subject_nonminimal(cmp_msg *m)
{
    return cr_with_subject(m, "308100");
}

static cmp_err cr_subject_not_name(cmp_msg *m)
{
    return cr_with_subject(m, "0500");
}

static cmp_err cr_subject_trailing(cmp_msg *m)
{
    return cr_with_subject(m, "3000 00");
}

static cmp_err cr_old_issuer_only(cmp_msg *m)
{
    cmp_certreq_spec s = base_spec;
    s.old_cert_issuer = bsp(&base_subject);
    return cr_build(m, &s);
}

static cmp_err cr_old_serial_nonminimal(cmp_msg *m)
{
    static const uint8_t serial[] = {0x00, 0x01};
    cmp_certreq_spec s = base_spec;
    s.old_cert_issuer = bsp(&base_subject);
    s.old_cert_serial = sp(serial, sizeof(serial));
    return cr_build(m, &s);
}

static cmp_err cr_exts_default_false(cmp_msg *m)
{
    /* critical FALSE present: BER, not DER (X.690 11.5) */
    cmp_buf b = hexbuf("300d 300b 0603551d0f 010100 0401 00");
    cmp_certreq_spec s = base_spec;
    cmp_err e;

    s.extensions = bsp(&b);
    e = cr_build(m, &s);
    free_buf(&b);
    return e;
}

static cmp_err cr_year_10000(cmp_msg *m)
{
    cmp_certreq_spec s = base_spec;
    s.not_after = INT64_C(253402300800);
    return cr_build(m, &s);
}

static cmp_err cr_year_1949(cmp_msg *m)
{
    cmp_certreq_spec s = base_spec;
    s.not_before = -INT64_C(700000000);
    return cr_build(m, &s);
}

static cmp_err cr_popo_no_subject(cmp_msg *m)
{
    cmp_certreq_spec s = base_spec;
    s.subject.len = 0;
    if (cr_build(m, &s) != CMP_OK) {
        return CMP_ERR_INTERNAL;
    }
    return cmp_msg_certreq_set_popo_sig(m, 0, sp(alg_ecdsa, sizeof(alg_ecdsa)), sp("s", 1));
}

static cmp_err cr_popo_index(cmp_msg *m)
{
    if (cr_build(m, &base_spec) != CMP_OK) {
        return CMP_ERR_INTERNAL;
    }
    return cmp_msg_certreq_set_popo_sig(m, 1, sp(alg_ecdsa, sizeof(alg_ecdsa)), sp("s", 1));
}

static cmp_err cr_popo_no_body(cmp_msg *m)
{
    return cmp_msg_certreq_set_popo_raverified(m, 0);
}

static cmp_err cr_popo_empty_sig(cmp_msg *m)
{
    if (cr_build(m, &base_spec) != CMP_OK) {
        return CMP_ERR_INTERNAL;
    }
    return cmp_msg_certreq_set_popo_sig(m, 0, sp(alg_ecdsa, sizeof(alg_ecdsa)), sp(NULL, 0));
}

static cmp_err cr_popo_bad_alg(cmp_msg *m)
{
    static const uint8_t alg[] = {0x30, 0x02, 0x05, 0x00};
    if (cr_build(m, &base_spec) != CMP_OK) {
        return CMP_ERR_INTERNAL;
    }
    return cmp_msg_certreq_set_popo_sig(m, 0, sp(alg, sizeof(alg)), sp("s", 1));
}

static cmp_err cr_popo_decoded(cmp_msg *m)
{
    cmp_msg *rx;
    cmp_err e;

    if (cr_build(m, &base_spec) != CMP_OK) {
        return CMP_ERR_INTERNAL;
    }
    rx = roundtrip(m);
    e = cmp_msg_certreq_set_popo_raverified(rx, 0);
    cmp_msg_free(rx);
    return e;
}

static cmp_err cr_build_on_decoded(cmp_msg *m)
{
    cmp_msg *rx;
    cmp_err e;

    if (cr_build(m, &base_spec) != CMP_OK) {
        return CMP_ERR_INTERNAL;
    }
    rx = roundtrip(m);
    e = cr_build(rx, &base_spec);
    cmp_msg_free(rx);
    return e;
}

static cmp_err cr_read_wrong_body(cmp_msg *m)
{
    cmp_certreq cr;
    if (cmp_msg_set_body_pkiconf(m) != CMP_OK || cmp_msg_num_certreqs(m) != 0) {
        return CMP_ERR_INTERNAL;
    }
    return cmp_msg_certreq(m, 0, &cr);
}

static cmp_err cr_read_index(cmp_msg *m)
{
    cmp_certreq cr;
    if (cr_build(m, &base_spec) != CMP_OK) {
        return CMP_ERR_INTERNAL;
    }
    return cmp_msg_certreq(m, 1, &cr);
}

static cmp_err cr_tbs_index(cmp_msg *m)
{
    cmp_buf b = {NULL, 0};
    if (cr_build(m, &base_spec) != CMP_OK) {
        return CMP_ERR_INTERNAL;
    }
    return cmp_msg_certreq_tbs(m, 3, &b);
}

static const bad_case certreq_bad[] = {
    {"type is not a request", cr_bad_type, CMP_ERR_ARG},
    {"no spec", cr_null_spec, CMP_ERR_ARG},
    {"subject with non-minimal length", cr_subject_nonminimal, CMP_ERR_DER_LENGTH},
    {"subject is a NULL", cr_subject_not_name, CMP_ERR_DECODE},
    {"subject with a trailing byte", cr_subject_trailing, CMP_ERR_DER_TRAILING},
    {"oldCertID issuer without serial", cr_old_issuer_only, CMP_ERR_ARG},
    {"oldCertID serial not minimal", cr_old_serial_nonminimal, CMP_ERR_ARG},
    {"extensions with critical FALSE", cr_exts_default_false, CMP_ERR_NOT_DER},
    {"notAfter in year 10000", cr_year_10000, CMP_ERR_ARG},
    {"notBefore before 1950", cr_year_1949, CMP_ERR_ARG},
    {"signature POPO without subject", cr_popo_no_subject, CMP_ERR_UNSUPPORTED},
    {"POPO for a request that is not there", cr_popo_index, CMP_ERR_STATE},
    {"POPO without a body", cr_popo_no_body, CMP_ERR_STATE},
    {"POPO with an empty signature", cr_popo_empty_sig, CMP_ERR_ARG},
    {"POPO algorithm without OID", cr_popo_bad_alg, CMP_ERR_DECODE},
    {"POPO on a received message", cr_popo_decoded, CMP_ERR_STATE},
    {"body on a received message", cr_build_on_decoded, CMP_ERR_STATE},
    {"read a pkiConf as a request", cr_read_wrong_body, CMP_ERR_BODY_TYPE},
    {"read a request that is not there", cr_read_index, CMP_ERR_ARG},
    {"POPO bytes of a request that is not there", cr_tbs_index, CMP_ERR_ARG},
};

static void run_bad(const bad_case *c)
{
    cmp_msg *m = new_msg(CMP_PVNO_2000);
    cmp_err e = c->fn(m);

    ck_assert_msg(e == c->want, "%s: got %s want %s", c->name, cmp_err_name(e),
                  cmp_err_name(c->want));
    cmp_msg_free(m);
}

START_TEST(test_cmp_msg_set_body_certreq_bad)
{
    run_bad(&certreq_bad[_i]);
}
END_TEST

/* A failed builder leaves the message as it was. */
START_TEST(test_cmp_msg_set_body_certreq_keeps_body)
{
    cmp_msg *m = new_msg(CMP_PVNO_2000);

    ck_assert_int_eq(cmp_msg_set_body_pkiconf(m), CMP_OK);
    ck_assert_int_eq(cr_subject_not_name(m), CMP_ERR_DECODE);
    ck_assert_int_eq(cmp_msg_body_type(m), CMP_BODY_PKICONF);
    cmp_msg_free(m);
}
END_TEST

/* Hostile received values in a certificate request. */
START_TEST(test_cmp_msg_certreq_hostile)
{
    cmp_msg *m = new_msg(CMP_PVNO_2000), *rx;
    CertReqMsg_t *crm;
    cmp_certreq cr;

    ck_assert_int_eq(cr_build(m, &base_spec), CMP_OK);
    crm = m->pm->body->choice.cr.list.array[0];
    /* certReqId of nine bytes: beyond int64 */
    set_raw_int(&crm->certReq.certReqId, "010000000000000000");
    rx = reencode(m, 0);
    ck_assert_int_eq(cmp_msg_certreq(rx, 0, &cr), CMP_ERR_CONSTRAINT);
    cmp_msg_free(rx);
    /* a large negative certReqId that still fits is reported as it is */
    set_raw_int(&crm->certReq.certReqId, "8000000000000000");
    rx = reencode(m, 0);
    ck_assert_int_eq(cmp_msg_certreq(rx, 0, &cr), CMP_OK);
    ck_assert(cr.cert_req_id == INT64_MIN);
    cmp_msg_free(rx);
    /* a signature POPO with unused bits */
    set_raw_int(&crm->certReq.certReqId, "00");
    ck_assert_int_eq(cmp_msg_certreq_set_popo_sig(m, 0, sp(alg_ecdsa, sizeof(alg_ecdsa)),
                                                  sp("\x80", 1)),
                     CMP_OK);
    crm->popo->choice.signature.signature.bits_unused = 7;
    rx = reencode(m, 0);
    ck_assert_int_eq(cmp_msg_certreq(rx, 0, &cr), CMP_ERR_POPO);
    cmp_msg_free(rx);
    cmp_msg_free(m);
}
END_TEST

/* ---- p10cr ------------------------------------------------------------------ */

START_TEST(test_cmp_msg_set_body_p10cr_roundtrip)
{
    cmp_msg *m = new_msg(CMP_PVNO_2000), *rx;

    ck_assert_uint_eq(cmp_msg_p10cr(m).len, 0);
    ck_assert_int_eq(cmp_msg_set_body_p10cr(m, sp(csr, csr_len)), CMP_OK);
    ck_assert(span_eq(cmp_msg_p10cr(m), sp(csr, csr_len)));
    rx = roundtrip(m);
    ck_assert_int_eq(cmp_msg_body_type(rx), CMP_BODY_P10CR);
    ck_assert(span_eq(cmp_msg_p10cr(rx), sp(csr, csr_len)));
    ck_assert_uint_eq(cmp_msg_num_certreqs(rx), 0);
    cmp_msg_free(rx);
    cmp_msg_free(m);
}
END_TEST

/* Not a CSR, or not its exact DER: CMP_ERR_CSR_PARSE. */
static const int p10cr_bad_kinds[] = {0, 1, 2, 3, 4};

START_TEST(test_cmp_msg_set_body_p10cr_bad)
{
    cmp_msg *m = new_msg(CMP_PVNO_2000);
    uint8_t *b = malloc(csr_len + 4);
    size_t len = 0;
    cmp_err want = CMP_ERR_CSR_PARSE;

    ck_assert_ptr_nonnull(b);
    switch (p10cr_bad_kinds[_i]) {
    case 0: /* an empty SEQUENCE */
        b[0] = 0x30, b[1] = 0x00, len = 2;
        break;
    case 1: /* a trailing byte */
        memcpy(b, csr, csr_len), b[csr_len] = 0, len = csr_len + 1;
        break;
    case 2: /* truncated */
        memcpy(b, csr, csr_len - 1), len = csr_len - 1;
        break;
    case 3: /* the outer length in a longer form than needed (BER) */
        ck_assert(csr[1] == 0x81);
        b[0] = 0x30, b[1] = 0x82, b[2] = 0x00;
        memcpy(b + 3, csr + 2, csr_len - 2), len = csr_len + 1;
        break;
    default: /* nothing */
        len = 0, want = CMP_ERR_ARG;
        break;
    }
    ck_assert_int_eq(cmp_msg_set_body_p10cr(m, sp(b, len)), want);
    ck_assert_int_eq(cmp_msg_body_type(m), CMP_BODY_NONE);
    free(b);
    cmp_msg_free(m);
}
END_TEST

/* Every proper prefix of the CSR, in a heap buffer of exactly that size. */
START_TEST(test_cmp_msg_set_body_p10cr_prefixes)
{
    size_t i;

    for (i = 0; i < csr_len; i++) {
        cmp_msg *m = new_msg(CMP_PVNO_2000);
        uint8_t *p = testlib_dup(csr, i);
        ck_assert_int_ne(cmp_msg_set_body_p10cr(m, sp(p, i)), CMP_OK);
        ck_assert_int_eq(cmp_msg_body_type(m), CMP_BODY_NONE);
        free(p);
        cmp_msg_free(m);
    }
}
END_TEST

/* ---- ip, cp, kup ------------------------------------------------------------ */

static const int certrep_types[] = {CMP_BODY_IP, CMP_BODY_CP, CMP_BODY_KUP};

START_TEST(test_cmp_msg_set_body_certrep_roundtrip)
{
    cmp_span pubs[2];
    cmp_certrep_entry r[3], got;
    cmp_certrep_spec spec;
    cmp_msg *m = new_msg(CMP_PVNO_2000), *rx;
    int type = certrep_types[_i];
    size_t i, k;

    pubs[0] = sp(cert2, cert2_len);
    pubs[1] = sp(cert1, cert1_len);
    memset(r, 0, sizeof(r));
    r[0].cert_req_id = 0;
    r[0].status.status = CMP_STATUS_ACCEPTED;
    r[0].cert = sp(cert1, cert1_len);
    r[1].cert_req_id = 1;
    r[1].status.status = CMP_STATUS_WAITING;
    r[2].cert_req_id = -1;
    r[2].status.status = CMP_STATUS_REJECTION;
    r[2].status.fail_info = (1u << CMP_FI_BAD_POP) | (1u << CMP_FI_BAD_CERT_TEMPLATE);
    r[2].status.num_texts = 2;
    r[2].status.texts[0] = sp("no", 2);
    r[2].status.texts[1] = sp("gr\xc3\xbc\xc3\x9f", 6);
    memset(&spec, 0, sizeof(spec));
    spec.ca_pubs = pubs;
    spec.num_ca_pubs = 2;
    spec.responses = r;
    spec.num_responses = 3;
    ck_assert_int_eq(cmp_msg_set_body_certrep(m, (cmp_body_type)type, &spec), CMP_OK);
    rx = roundtrip(m);
    ck_assert_int_eq(cmp_msg_body_type(rx), type);
    ck_assert_uint_eq(cmp_msg_num_ca_pubs(rx), 2);
    ck_assert(span_eq(cmp_msg_ca_pub(rx, 0), pubs[0]));
    ck_assert(span_eq(cmp_msg_ca_pub(rx, 1), pubs[1]));
    ck_assert_uint_eq(cmp_msg_ca_pub(rx, 2).len, 0);
    ck_assert_uint_eq(cmp_msg_num_responses(rx), 3);
    for (i = 0; i < 3; i++) {
        ck_assert_int_eq(cmp_msg_response(rx, i, &got), CMP_OK);
        ck_assert(got.cert_req_id == r[i].cert_req_id);
        ck_assert_int_eq(got.status.status, r[i].status.status);
        ck_assert_uint_eq(got.status.fail_info, r[i].status.fail_info);
        ck_assert_uint_eq(got.status.num_texts, r[i].status.num_texts);
        for (k = 0; k < got.status.num_texts; k++) {
            ck_assert(span_eq(got.status.texts[k], r[i].status.texts[k]));
        }
        ck_assert(span_eq(got.cert, r[i].cert));
    }
    ck_assert_int_eq(cmp_msg_response(rx, 3, &got), CMP_ERR_ARG);
    cmp_msg_free(rx);
    cmp_msg_free(m);
}
END_TEST

static cmp_certrep_entry rep_entry;
static cmp_certrep_spec rep_spec;

static void rep_reset(void)
{
    memset(&rep_entry, 0, sizeof(rep_entry));
    rep_entry.status.status = CMP_STATUS_ACCEPTED;
    rep_entry.cert = sp(cert1, cert1_len);
    memset(&rep_spec, 0, sizeof(rep_spec));
    rep_spec.responses = &rep_entry;
    rep_spec.num_responses = 1;
}

static cmp_err rep_build(cmp_msg *m)
{
    return cmp_msg_set_body_certrep(m, CMP_BODY_CP, &rep_spec);
}

static cmp_err rep_cert_and_failinfo(cmp_msg *m)
{
    rep_reset();
    rep_entry.status.fail_info = 1;
    return rep_build(m);
}

static cmp_err rep_bad_cert(cmp_msg *m)
{
    rep_reset();
    rep_entry.cert = sp(csr, csr_len);
    return rep_build(m);
}

static cmp_err rep_no_response(cmp_msg *m)
{
    rep_reset();
    rep_spec.num_responses = 0;
    return rep_build(m);
}

static cmp_err rep_status_7(cmp_msg *m)
{
    rep_reset();
    rep_entry.status.status = 7;
    return rep_build(m);
}

static cmp_err rep_failinfo_27(cmp_msg *m)
{
    rep_reset();
    rep_entry.cert.len = 0;
    rep_entry.status.status = CMP_STATUS_REJECTION;
    rep_entry.status.fail_info = 1u << 27;
    return rep_build(m);
}

static cmp_err rep_text_not_utf8(cmp_msg *m)
{
    rep_reset();
    rep_entry.status.num_texts = 1;
    rep_entry.status.texts[0] = sp("\xc3\x28", 2);
    return rep_build(m);
}

static cmp_err rep_text_overlong(cmp_msg *m)
{
    rep_reset();
    rep_entry.status.num_texts = 1;
    rep_entry.status.texts[0] = sp("\xc0\xaf", 2);
    return rep_build(m);
}

static cmp_err rep_too_many_texts(cmp_msg *m)
{
    rep_reset();
    rep_entry.status.num_texts = CMP_MAX_TEXTS + 1;
    return rep_build(m);
}

static cmp_err rep_too_many_pubs(cmp_msg *m)
{
    static cmp_span pubs[CMP_MAX_CERTS + 1];
    rep_reset();
    rep_spec.ca_pubs = pubs;
    rep_spec.num_ca_pubs = CMP_MAX_CERTS + 1;
    return rep_build(m);
}

static cmp_err rep_wrong_type(cmp_msg *m)
{
    rep_reset();
    return cmp_msg_set_body_certrep(m, CMP_BODY_CR, &rep_spec);
}

static cmp_err rep_read_wrong_body(cmp_msg *m)
{
    cmp_certrep_entry e;
    if (cmp_msg_set_body_pkiconf(m) != CMP_OK || cmp_msg_num_responses(m) != 0 ||
        cmp_msg_num_ca_pubs(m) != 0 || cmp_msg_ca_pub(m, 0).len != 0) {
        return CMP_ERR_INTERNAL;
    }
    return cmp_msg_response(m, 0, &e);
}

static const bad_case certrep_bad[] = {
    {"certificate with failInfo", rep_cert_and_failinfo, CMP_ERR_ARG},
    {"certificate that is a CSR", rep_bad_cert, CMP_ERR_CERT_PARSE},
    {"no response", rep_no_response, CMP_ERR_ARG},
    {"PKIStatus 7", rep_status_7, CMP_ERR_ARG},
    {"failInfo bit 27", rep_failinfo_27, CMP_ERR_ARG},
    {"statusString not UTF-8", rep_text_not_utf8, CMP_ERR_ARG},
    {"statusString overlong UTF-8", rep_text_overlong, CMP_ERR_ARG},
    {"too many statusStrings", rep_too_many_texts, CMP_ERR_ARG},
    {"too many caPubs", rep_too_many_pubs, CMP_ERR_ARG},
    {"type is not a response", rep_wrong_type, CMP_ERR_ARG},
    {"read a pkiConf as a response", rep_read_wrong_body, CMP_ERR_BODY_TYPE},
};

START_TEST(test_cmp_msg_set_body_certrep_bad)
{
    run_bad(&certrep_bad[_i]);
}
END_TEST

/* Hostile CertResponses: encrypted certificate, out-of-range values. */
START_TEST(test_cmp_msg_response_hostile)
{
    cmp_msg *m = new_msg(CMP_PVNO_2021), *rx;
    CertResponse_t *r;
    CertOrEncCert_t *coec;
    EncryptedValue_t *ev;
    cmp_certrep_entry e;

    rep_reset();
    rep_entry.cert_req_id = 5;
    ck_assert_int_eq(rep_build(m), CMP_OK);
    r = m->pm->body->choice.cp.response.list.array[0];
    coec = &r->certifiedKeyPair->certOrEncCert;
    /* RFC 9810 section 5.2.2: EncryptedKey, here an EncryptedValue */
    ASN_STRUCT_FREE_CONTENTS_ONLY(asn_DEF_CMPCertificate, &coec->choice.certificate);
    memset(&coec->choice, 0, sizeof(coec->choice));
    coec->present = CertOrEncCert_PR_encryptedCert;
    coec->choice.encryptedCert.present = EncryptedKey_PR_encryptedValue;
    ev = &coec->choice.encryptedCert.choice.encryptedValue;
    ck_assert_int_eq(cmp_bytes_set(&ev->encValue.buf, &ev->encValue.size, sp("\x01\x02", 2)),
                     CMP_OK);
    rx = reencode(m, 0);
    ck_assert_int_eq(cmp_msg_response(rx, 0, &e), CMP_ERR_ENCRYPTED_CERT);
    ck_assert(e.cert_req_id == 5 && e.status.status == CMP_STATUS_ACCEPTED);
    ck_assert_uint_eq(e.cert.len, 0);
    cmp_msg_free(rx);
    /* PKIStatus outside 0..6 */
    set_raw_int(&r->status.status, "07");
    rx = reencode(m, 0);
    ck_assert_int_eq(cmp_msg_response(rx, 0, &e), CMP_ERR_PKISTATUS);
    cmp_msg_free(rx);
    set_raw_int(&r->status.status, "ff");
    rx = reencode(m, 0);
    ck_assert_int_eq(cmp_msg_response(rx, 0, &e), CMP_ERR_PKISTATUS);
    cmp_msg_free(rx);
    set_raw_int(&r->status.status, "00");
    /* certReqId below INT64_MIN */
    set_raw_int(&r->certReqId, "ff7fffffffffffffff");
    rx = reencode(m, 0);
    ck_assert_int_eq(cmp_msg_response(rx, 0, &e), CMP_ERR_CONSTRAINT);
    cmp_msg_free(rx);
    cmp_msg_free(m);
}
END_TEST

/* ---- PKIStatusInfo and PKIFailureInfo ------------------------------------- */

typedef struct fi_case {
    uint32_t bits;
    const char *hex; /* DER of PKIStatusInfo with status rejection */
} fi_case;

static const fi_case fi_cases[] = {
    {0, "3003 020102"},                                 /* none: failInfo omitted */
    {1u << 0, "3007 020102 03020780"},                  /* badAlg: 7 unused bits */
    {1u << 7, "3007 020102 03020001"},                  /* incorrectData */
    {1u << 8, "3008 020102 0303070080"},                /* missingTimeStamp */
    {(1u << 0) | (1u << 9), "3008 020102 0303068040"},  /* badAlg, badPOP */
    {1u << 26, "300a 020102 0305050000 0020"},          /* duplicateCertReq */
    {0x07ffffffu, "300a 020102 030505ffff ffe0"},       /* all 27 */
};

START_TEST(test_cmp_status_info_fill_failinfo)
{
    const fi_case *c = &fi_cases[_i];
    cmp_buf want = hexbuf(c->hex), got = {NULL, 0};
    PKIStatusInfo_t si;
    cmp_status_info in, back;

    memset(&si, 0, sizeof(si));
    memset(&in, 0, sizeof(in));
    in.status = CMP_STATUS_REJECTION;
    in.fail_info = c->bits;
    ck_assert_int_eq(cmp_status_info_fill(&si, &in), CMP_OK);
    ck_assert_int_eq(cmp_asn_encode(&asn_DEF_PKIStatusInfo, &si, &got), CMP_OK);
    ck_assert_msg(span_eq(bsp(&got), bsp(&want)), "bits %08x", (unsigned)c->bits);
    ck_assert_int_eq(cmp_status_info_read(&si, &back), CMP_OK);
    ck_assert_uint_eq(back.fail_info, c->bits);
    ck_assert(si.failInfo == NULL || cmp_bits_is_der(si.failInfo));
    ASN_STRUCT_FREE_CONTENTS_ONLY(asn_DEF_PKIStatusInfo, &si);
    cmp_buf_cleanup(&got);
    free_buf(&want);
}
END_TEST

/* Bits that do not exist, and statuses out of range, are refused. */
static const cmp_status_info si_bad[] = {
    {CMP_STATUS_REJECTION, 1u << 27, 0, {{NULL, 0}}},
    {CMP_STATUS_REJECTION, 1u << 31, 0, {{NULL, 0}}},
    {-1, 0, 0, {{NULL, 0}}},
    {7, 0, 0, {{NULL, 0}}},
    {CMP_STATUS_ACCEPTED, 0, CMP_MAX_TEXTS + 1, {{NULL, 0}}},
};

START_TEST(test_cmp_status_info_fill_bad)
{
    PKIStatusInfo_t si;

    memset(&si, 0, sizeof(si));
    ck_assert_int_eq(cmp_status_info_fill(&si, &si_bad[_i]), CMP_ERR_ARG);
    ASN_STRUCT_FREE_CONTENTS_ONLY(asn_DEF_PKIStatusInfo, &si);
}
END_TEST

/* A failInfo with trailing zero bits is valid BER but not DER: strict
 * decoding refuses it, lenient decoding reads the same bits. */
START_TEST(test_cmp_status_info_read_nonminimal)
{
    cmp_status_info si;
    cmp_msg *m = new_msg(CMP_PVNO_2000), *rx = NULL;
    PKIStatusInfo_t *p;
    cmp_buf enc = {NULL, 0};
    size_t off = 0;

    memset(&si, 0, sizeof(si));
    si.status = CMP_STATUS_REJECTION;
    si.fail_info = 1;
    ck_assert_int_eq(cmp_msg_set_body_rp(m, &si, 1), CMP_OK);
    p = m->pm->body->choice.rp.status.list.array[0];
    ck_assert_int_eq(cmp_bytes_set(&p->failInfo->buf, &p->failInfo->size, sp("\x80\x00", 2)),
                     CMP_OK);
    p->failInfo->bits_unused = 0;
    ck_assert(!cmp_bits_is_der(p->failInfo));
    ck_assert_int_eq(cmp_asn_encode(&asn_DEF_PKIMessage, m->pm, &enc), CMP_OK);
    ck_assert_int_eq(cmp_msg_decode(&rx, enc.data, enc.len, NULL, &off), CMP_ERR_DER_VALUE);
    ck_assert_ptr_null(rx);
    rx = reencode(m, 1);
    ck_assert_int_eq(cmp_msg_rp_status(rx, 0, &si), CMP_OK);
    ck_assert_uint_eq(si.fail_info, 1);
    cmp_msg_free(rx);
    cmp_msg_free(m);
    cmp_buf_cleanup(&enc);
}
END_TEST

START_TEST(test_cmp_names)
{
    ck_assert_str_eq(cmp_body_name(CMP_BODY_IR), "ir");
    ck_assert_str_eq(cmp_body_name(CMP_BODY_CERTCONF), "certConf");
    ck_assert_str_eq(cmp_body_name(CMP_BODY_POLLREP), "pollRep");
    ck_assert_str_eq(cmp_body_name(27), "unknown");
    ck_assert_str_eq(cmp_body_name(-1), "unknown");
    ck_assert_str_eq(cmp_status_name(CMP_STATUS_WAITING), "waiting");
    ck_assert_str_eq(cmp_status_name(CMP_STATUS_KEY_UPDATE_WARNING), "keyUpdateWarning");
    ck_assert_str_eq(cmp_status_name(7), "unknown");
    ck_assert_str_eq(cmp_status_name(-1), "unknown");
}
END_TEST

/* ---- certConf, pkiConf ------------------------------------------------------ */

START_TEST(test_cmp_msg_set_body_certconf_roundtrip)
{
    static const uint8_t hash[32] = {1, 2, 3};
    cmp_certconf_entry e[2], got;
    cmp_msg *m = new_msg(CMP_PVNO_2021), *rx;

    memset(e, 0, sizeof(e));
    e[0].cert_req_id = 0;
    e[0].cert_hash = sp(hash, sizeof(hash));
    e[0].has_status = 1;
    e[0].status.status = CMP_STATUS_ACCEPTED;
    e[0].hash_alg = sp(alg_sha256, sizeof(alg_sha256));
    e[1].cert_req_id = 7;
    e[1].cert_hash = sp(hash, 20);
    e[1].has_status = 1;
    e[1].status.status = CMP_STATUS_REJECTION;
    e[1].status.fail_info = 1u << CMP_FI_BAD_CERT_ID;
    ck_assert_int_eq(cmp_msg_set_body_certconf(m, e, 2), CMP_OK);
    rx = roundtrip(m);
    ck_assert_int_eq(cmp_msg_body_type(rx), CMP_BODY_CERTCONF);
    ck_assert_uint_eq(cmp_msg_num_certconf(rx), 2);
    ck_assert_int_eq(cmp_msg_certconf(rx, 0, &got), CMP_OK);
    ck_assert(got.cert_req_id == 0 && span_eq(got.cert_hash, e[0].cert_hash));
    ck_assert(got.has_status && got.status.status == CMP_STATUS_ACCEPTED);
    ck_assert(span_eq(got.hash_alg, e[0].hash_alg));
    ck_assert_int_eq(cmp_msg_certconf(rx, 1, &got), CMP_OK);
    ck_assert(got.cert_req_id == 7 && span_eq(got.cert_hash, e[1].cert_hash));
    ck_assert_uint_eq(got.status.fail_info, 1u << CMP_FI_BAD_CERT_ID);
    ck_assert_uint_eq(got.hash_alg.len, 0);
    ck_assert_int_eq(cmp_msg_certconf(rx, 2, &got), CMP_ERR_ARG);
    cmp_msg_free(rx);

    /* RFC 9810 section 5.3.18: an empty certConf rejects everything */
    ck_assert_int_eq(cmp_msg_set_body_certconf(m, NULL, 0), CMP_OK);
    rx = roundtrip(m);
    ck_assert_int_eq(cmp_msg_body_type(rx), CMP_BODY_CERTCONF);
    ck_assert_uint_eq(cmp_msg_num_certconf(rx), 0);
    cmp_msg_free(rx);
    cmp_msg_free(m);
}
END_TEST

static cmp_certconf_entry conf_entry;

static void conf_reset(void)
{
    memset(&conf_entry, 0, sizeof(conf_entry));
    conf_entry.cert_hash = sp("0123456789abcdef0123456789abcdef", 32);
}

static cmp_err conf_hash_alg_pvno2(cmp_msg *m)
{
    conf_reset();
    conf_entry.hash_alg = sp(alg_sha256, sizeof(alg_sha256));
    return cmp_msg_set_body_certconf(m, &conf_entry, 1);
}

static cmp_err conf_no_hash(cmp_msg *m)
{
    conf_reset();
    conf_entry.cert_hash.len = 0;
    return cmp_msg_set_body_certconf(m, &conf_entry, 1);
}

static cmp_err conf_null_entries(cmp_msg *m)
{
    return cmp_msg_set_body_certconf(m, NULL, 1);
}

static cmp_err conf_bad_status(cmp_msg *m)
{
    conf_reset();
    conf_entry.has_status = 1;
    conf_entry.status.status = 9;
    return cmp_msg_set_body_certconf(m, &conf_entry, 1);
}

static cmp_err conf_read_wrong_body(cmp_msg *m)
{
    cmp_certconf_entry e;
    if (cmp_msg_set_body_pkiconf(m) != CMP_OK || cmp_msg_num_certconf(m) != 0) {
        return CMP_ERR_INTERNAL;
    }
    return cmp_msg_certconf(m, 0, &e);
}

static const bad_case certconf_bad[] = {
    {"hashAlg with pvno 2", conf_hash_alg_pvno2, CMP_ERR_ARG},
    {"no certHash", conf_no_hash, CMP_ERR_ARG},
    {"entries missing", conf_null_entries, CMP_ERR_ARG},
    {"statusInfo with status 9", conf_bad_status, CMP_ERR_ARG},
    {"read a pkiConf as certConf", conf_read_wrong_body, CMP_ERR_BODY_TYPE},
};

START_TEST(test_cmp_msg_set_body_certconf_bad)
{
    run_bad(&certconf_bad[_i]);
}
END_TEST

/* A received hashAlg needs pvno cmp2021 (RFC 9810 section 5.3.18). */
START_TEST(test_cmp_msg_certconf_hostile)
{
    cmp_msg *m = new_msg(CMP_PVNO_2021), *rx;
    CertStatus_t *cs;
    cmp_certconf_entry e;

    conf_reset();
    conf_entry.hash_alg = sp(alg_sha256, sizeof(alg_sha256));
    ck_assert_int_eq(cmp_msg_set_body_certconf(m, &conf_entry, 1), CMP_OK);
    ck_assert_int_eq(cmp_int_set(&m->pm->header.pvno, CMP_PVNO_2000), CMP_OK);
    rx = reencode(m, 0);
    ck_assert_int_eq(cmp_msg_certconf(rx, 0, &e), CMP_ERR_PVNO);
    cmp_msg_free(rx);
    /* an empty certHash, and a certReqId beyond int64 */
    cs = m->pm->body->choice.certConf.list.array[0];
    ck_assert_int_eq(cmp_int_set(&m->pm->header.pvno, CMP_PVNO_2021), CMP_OK);
    ck_assert_int_eq(cmp_bytes_set(&cs->certHash.buf, &cs->certHash.size, sp(NULL, 0)), CMP_OK);
    rx = reencode(m, 0);
    ck_assert_int_eq(cmp_msg_certconf(rx, 0, &e), CMP_ERR_MISSING_FIELD);
    cmp_msg_free(rx);
    set_raw_int(&cs->certReqId, "7fffffffffffffffff");
    rx = reencode(m, 0);
    ck_assert_int_eq(cmp_msg_certconf(rx, 0, &e), CMP_ERR_CONSTRAINT);
    cmp_msg_free(rx);
    cmp_msg_free(m);
}
END_TEST

START_TEST(test_cmp_msg_set_body_pkiconf)
{
    cmp_msg *m = new_msg(CMP_PVNO_2000), *rx;
    cmp_buf enc = {NULL, 0};

    ck_assert_int_eq(cmp_msg_set_body_pkiconf(NULL), CMP_ERR_ARG);
    ck_assert_int_eq(cmp_msg_set_body_pkiconf(m), CMP_OK);
    rx = roundtrip(m);
    ck_assert_int_eq(cmp_msg_body_type(rx), CMP_BODY_PKICONF);
    ck_assert(span_eq(cmp_msg_raw_body(rx), sp("\xb3\x02\x05\x00", 4)));
    ck_assert_int_eq(cmp_msg_set_body_pkiconf(rx), CMP_ERR_STATE);
    cmp_msg_free(rx);
    cmp_msg_free(m);
    cmp_buf_cleanup(&enc);
}
END_TEST

/* ---- pollReq, pollRep ------------------------------------------------------- */

START_TEST(test_cmp_msg_set_body_poll_roundtrip)
{
    static const int64_t ids[] = {0, -1, INT64_MAX, INT64_MIN};
    cmp_pollrep_entry e[3], got;
    cmp_msg *m = new_msg(CMP_PVNO_2000), *rx;
    int64_t id;
    size_t i;

    ck_assert_int_eq(cmp_msg_set_body_pollreq(m, ids, N(ids)), CMP_OK);
    rx = roundtrip(m);
    ck_assert_int_eq(cmp_msg_body_type(rx), CMP_BODY_POLLREQ);
    ck_assert_uint_eq(cmp_msg_num_pollreq(rx), N(ids));
    for (i = 0; i < N(ids); i++) {
        ck_assert_int_eq(cmp_msg_pollreq(rx, i, &id), CMP_OK);
        ck_assert(id == ids[i]);
    }
    ck_assert_int_eq(cmp_msg_pollreq(rx, N(ids), &id), CMP_ERR_ARG);
    ck_assert_uint_eq(cmp_msg_num_pollrep(rx), 0);
    ck_assert_int_eq(cmp_msg_pollrep(rx, 0, &got), CMP_ERR_BODY_TYPE);
    cmp_msg_free(rx);

    memset(e, 0, sizeof(e));
    e[0].cert_req_id = 0;
    e[0].check_after = 60;
    e[0].reason = sp("busy", 4);
    e[1].cert_req_id = 1;
    e[1].check_after = 0;
    e[2].cert_req_id = -1;
    e[2].check_after = INT64_MAX;
    ck_assert_int_eq(cmp_msg_set_body_pollrep(m, e, 3), CMP_OK);
    rx = roundtrip(m);
    ck_assert_int_eq(cmp_msg_body_type(rx), CMP_BODY_POLLREP);
    ck_assert_uint_eq(cmp_msg_num_pollrep(rx), 3);
    for (i = 0; i < 3; i++) {
        ck_assert_int_eq(cmp_msg_pollrep(rx, i, &got), CMP_OK);
        ck_assert(got.cert_req_id == e[i].cert_req_id && got.check_after == e[i].check_after);
        ck_assert(span_eq(got.reason, e[i].reason));
    }
    ck_assert_int_eq(cmp_msg_pollreq(rx, 0, &id), CMP_ERR_BODY_TYPE);
    cmp_msg_free(rx);
    cmp_msg_free(m);
}
END_TEST

static cmp_err poll_req_empty(cmp_msg *m)
{
    static const int64_t id = 0;
    return cmp_msg_set_body_pollreq(m, &id, 0);
}

static cmp_err poll_req_null(cmp_msg *m)
{
    return cmp_msg_set_body_pollreq(m, NULL, 1);
}

static cmp_err poll_req_too_many(cmp_msg *m)
{
    static const int64_t ids[CMP_MAX_CERTS + 1];
    return cmp_msg_set_body_pollreq(m, ids, N(ids));
}

static cmp_err poll_rep_negative(cmp_msg *m)
{
    cmp_pollrep_entry e = {0, -1, {NULL, 0}};
    return cmp_msg_set_body_pollrep(m, &e, 1);
}

static cmp_err poll_rep_bad_reason(cmp_msg *m)
{
    cmp_pollrep_entry e = {0, 5, {(const uint8_t *)"\xff", 1}};
    return cmp_msg_set_body_pollrep(m, &e, 1);
}

static cmp_err poll_rep_empty(cmp_msg *m)
{
    cmp_pollrep_entry e = {0, 5, {NULL, 0}};
    return cmp_msg_set_body_pollrep(m, &e, 0);
}

static const bad_case poll_bad[] = {
    {"pollReq without ids", poll_req_empty, CMP_ERR_ARG},
    {"pollReq ids missing", poll_req_null, CMP_ERR_ARG},
    {"pollReq with 33 ids", poll_req_too_many, CMP_ERR_ARG},
    {"pollRep with negative checkAfter", poll_rep_negative, CMP_ERR_ARG},
    {"pollRep reason not UTF-8", poll_rep_bad_reason, CMP_ERR_ARG},
    {"pollRep without entries", poll_rep_empty, CMP_ERR_ARG},
};

START_TEST(test_cmp_msg_set_body_poll_bad)
{
    run_bad(&poll_bad[_i]);
}
END_TEST

/* A peer's checkAfter: negative, beyond int64 or huge. */
typedef struct poll_hostile {
    const char *check_after;
    const char *cert_req_id;
    cmp_err want;
} poll_hostile;

static const poll_hostile poll_hostiles[] = {
    {"ff", "00", CMP_ERR_CHECK_AFTER},                 /* -1 */
    {"8000000000000000", "00", CMP_ERR_CHECK_AFTER},   /* INT64_MIN */
    {"008000000000000000", "00", CMP_ERR_CHECK_AFTER}, /* 2^63 */
    {"01000000000000000000", "00", CMP_ERR_CHECK_AFTER},
    {"05", "010000000000000000", CMP_ERR_CONSTRAINT},  /* certReqId 2^64 */
    {"7fffffffffffffff", "00", CMP_OK},                /* huge: the caller bounds it */
};

START_TEST(test_cmp_msg_pollrep_hostile)
{
    const poll_hostile *c = &poll_hostiles[_i];
    cmp_pollrep_entry e = {0, 5, {NULL, 0}}, got;
    cmp_msg *m = new_msg(CMP_PVNO_2000), *rx;
    struct PollRepContent__Member *p;

    ck_assert_int_eq(cmp_msg_set_body_pollrep(m, &e, 1), CMP_OK);
    p = m->pm->body->choice.pollRep.list.array[0];
    set_raw_int(&p->checkAfter, c->check_after);
    set_raw_int(&p->certReqId, c->cert_req_id);
    rx = reencode(m, 0);
    ck_assert_int_eq(cmp_msg_pollrep(rx, 0, &got), c->want);
    if (c->want == CMP_OK) {
        ck_assert(got.check_after == INT64_MAX);
    }
    cmp_msg_free(rx);
    cmp_msg_free(m);
}
END_TEST

/* ---- error ------------------------------------------------------------------ */

START_TEST(test_cmp_msg_set_body_error_roundtrip)
{
    cmp_error_info e, got;
    cmp_msg *m = new_msg(CMP_PVNO_2000), *rx;

    memset(&e, 0, sizeof(e));
    e.status.status = CMP_STATUS_REJECTION;
    e.status.fail_info = 1u << CMP_FI_BAD_REQUEST;
    e.status.num_texts = 1;
    e.status.texts[0] = sp("bad request", 11);
    e.has_error_code = 1;
    e.error_code = -42;
    e.num_details = 2;
    e.details[0] = sp("CMP_ERR_BODY_TYPE", 17);
    e.details[1] = sp("\"quoted\"", 8);
    ck_assert_int_eq(cmp_msg_set_body_error(m, &e), CMP_OK);
    rx = roundtrip(m);
    ck_assert_int_eq(cmp_msg_body_type(rx), CMP_BODY_ERROR);
    ck_assert_int_eq(cmp_msg_error(rx, &got), CMP_OK);
    ck_assert_int_eq(got.status.status, CMP_STATUS_REJECTION);
    ck_assert_uint_eq(got.status.fail_info, e.status.fail_info);
    ck_assert(span_eq(got.status.texts[0], e.status.texts[0]));
    ck_assert(got.has_error_code && got.error_code == -42);
    ck_assert_uint_eq(got.num_details, 2);
    ck_assert(span_eq(got.details[1], e.details[1]));
    cmp_msg_free(rx);

    /* the bare minimum: a status */
    memset(&e, 0, sizeof(e));
    e.status.status = CMP_STATUS_WAITING;
    ck_assert_int_eq(cmp_msg_set_body_error(m, &e), CMP_OK);
    rx = roundtrip(m);
    ck_assert_int_eq(cmp_msg_error(rx, &got), CMP_OK);
    ck_assert(got.status.status == CMP_STATUS_WAITING && !got.has_error_code);
    ck_assert_uint_eq(got.num_details + got.status.num_texts + got.status.fail_info, 0);
    cmp_msg_free(rx);
    cmp_msg_free(m);
}
END_TEST

static cmp_err err_bad_status(cmp_msg *m)
{
    cmp_error_info e;
    memset(&e, 0, sizeof(e));
    e.status.status = -1;
    return cmp_msg_set_body_error(m, &e);
}

static cmp_err err_too_many_details(cmp_msg *m)
{
    cmp_error_info e;
    memset(&e, 0, sizeof(e));
    e.num_details = CMP_MAX_TEXTS + 1;
    return cmp_msg_set_body_error(m, &e);
}

static cmp_err err_detail_not_utf8(cmp_msg *m)
{
    cmp_error_info e;
    memset(&e, 0, sizeof(e));
    e.num_details = 1;
    e.details[0] = sp("\xed\xa0\x80", 3); /* a UTF-16 surrogate */
    return cmp_msg_set_body_error(m, &e);
}

static cmp_err err_null(cmp_msg *m)
{
    return cmp_msg_set_body_error(m, NULL);
}

static cmp_err err_read_wrong_body(cmp_msg *m)
{
    cmp_error_info e;
    if (cmp_msg_set_body_pkiconf(m) != CMP_OK) {
        return CMP_ERR_INTERNAL;
    }
    return cmp_msg_error(m, &e);
}

static const bad_case error_bad[] = {
    {"status -1", err_bad_status, CMP_ERR_ARG},
    {"too many details", err_too_many_details, CMP_ERR_ARG},
    {"detail with a surrogate", err_detail_not_utf8, CMP_ERR_ARG},
    {"no error info", err_null, CMP_ERR_ARG},
    {"read a pkiConf as error", err_read_wrong_body, CMP_ERR_BODY_TYPE},
};

START_TEST(test_cmp_msg_set_body_error_bad)
{
    run_bad(&error_bad[_i]);
}
END_TEST

START_TEST(test_cmp_msg_error_hostile)
{
    cmp_error_info e, got;
    cmp_msg *m = new_msg(CMP_PVNO_2000), *rx;
    ErrorMsgContent_t *em;

    memset(&e, 0, sizeof(e));
    e.has_error_code = 1;
    ck_assert_int_eq(cmp_msg_set_body_error(m, &e), CMP_OK);
    em = &m->pm->body->choice.error;
    set_raw_int(em->errorCode, "0100000000000000000000");
    rx = reencode(m, 0);
    ck_assert_int_eq(cmp_msg_error(rx, &got), CMP_ERR_CONSTRAINT);
    cmp_msg_free(rx);
    set_raw_int(em->errorCode, "00");
    set_raw_int(&em->pKIStatusInfo.status, "0100");
    rx = reencode(m, 0);
    ck_assert_int_eq(cmp_msg_error(rx, &got), CMP_ERR_PKISTATUS);
    cmp_msg_free(rx);
    cmp_msg_free(m);
}
END_TEST

/* ---- genm, genp ------------------------------------------------------------- */

START_TEST(test_cmp_msg_set_body_genm_roundtrip)
{
    static const uint8_t other[] = {0x2a, 0x03, 0x04}; /* 1.2.3.4 */
    cmp_buf profile = hexbuf("300b 0c09 70726f66696c652d31");
    cmp_itav it[3], got;
    cmp_msg *m = new_msg(CMP_PVNO_2000), *rx;
    int type = _i == 0 ? CMP_BODY_GENM : CMP_BODY_GENP;
    size_t i;

    ck_assert_int_eq(cmp_infotype_oid(CMP_IT_CA_CERTS, &it[0].oid), CMP_OK);
    it[0].value = sp(NULL, 0);
    ck_assert_int_eq(cmp_infotype_by_name("certProfile", &it[1].oid), CMP_OK);
    it[1].value = bsp(&profile);
    it[2].oid = sp(other, sizeof(other));
    it[2].value = sp("\x05\x00", 2);
    ck_assert_int_eq(cmp_msg_set_body_genm(m, (cmp_body_type)type, it, 3), CMP_OK);
    rx = roundtrip(m);
    ck_assert_int_eq(cmp_msg_body_type(rx), type);
    ck_assert_uint_eq(cmp_msg_num_itavs(rx), 3);
    for (i = 0; i < 3; i++) {
        ck_assert_int_eq(cmp_msg_itav(rx, i, &got), CMP_OK);
        ck_assert(span_eq(got.oid, it[i].oid) && span_eq(got.value, it[i].value));
    }
    ck_assert_str_eq(cmp_infotype_name(it[0].oid), "caCerts");
    ck_assert_int_eq(cmp_msg_itav(rx, 3, &got), CMP_ERR_ARG);
    cmp_msg_free(rx);

    /* an empty genm or genp is a SEQUENCE of nothing */
    ck_assert_int_eq(cmp_msg_set_body_genm(m, (cmp_body_type)type, NULL, 0), CMP_OK);
    rx = roundtrip(m);
    ck_assert_uint_eq(cmp_msg_num_itavs(rx), 0);
    cmp_msg_free(rx);
    cmp_msg_free(m);
    free_buf(&profile);
}
END_TEST

static cmp_err genm_one(cmp_msg *m, const char *oid_hex, const char *value_hex)
{
    cmp_buf o = hexbuf(oid_hex), v = hexbuf(value_hex);
    cmp_itav it;
    cmp_err e;

    it.oid = bsp(&o);
    it.value = bsp(&v);
    e = cmp_msg_set_body_genm(m, CMP_BODY_GENM, &it, 1);
    free_buf(&o);
    free_buf(&v);
    return e;
}

static cmp_err genm_oid_empty(cmp_msg *m)
{
    return genm_one(m, "", "0500");
}

static cmp_err genm_oid_unterminated(cmp_msg *m)
{
    return genm_one(m, "2b0601050507 0491", "0500");
}

static cmp_err genm_oid_nonminimal(cmp_msg *m)
{
    return genm_one(m, "2b 8001", "0500");
}

static cmp_err genm_value_trailing(cmp_msg *m)
{
    return genm_one(m, "2a0304", "0500 00");
}

static cmp_err genm_value_truncated(cmp_msg *m)
{
    return genm_one(m, "2a0304", "0402 00");
}

static cmp_err genm_value_indefinite(cmp_msg *m)
{
    return genm_one(m, "2a0304", "3080 0000");
}

static cmp_err genm_wrong_type(cmp_msg *m)
{
    cmp_itav it = {{(const uint8_t *)"\x2a\x03", 2}, {NULL, 0}};
    return cmp_msg_set_body_genm(m, CMP_BODY_IR, &it, 1);
}

static cmp_err genm_too_many(cmp_msg *m)
{
    static cmp_itav it[65];
    return cmp_msg_set_body_genm(m, CMP_BODY_GENM, it, N(it));
}

static cmp_err genm_read_wrong_body(cmp_msg *m)
{
    cmp_itav it;
    if (cmp_msg_set_body_pkiconf(m) != CMP_OK || cmp_msg_num_itavs(m) != 0) {
        return CMP_ERR_INTERNAL;
    }
    return cmp_msg_itav(m, 0, &it);
}

static const bad_case genm_bad[] = {
    {"empty OID", genm_oid_empty, CMP_ERR_ARG},
    {"OID not terminated", genm_oid_unterminated, CMP_ERR_ARG},
    {"OID subidentifier with 0x80", genm_oid_nonminimal, CMP_ERR_ARG},
    {"value with a trailing byte", genm_value_trailing, CMP_ERR_ARG},
    {"value truncated", genm_value_truncated, CMP_ERR_ARG},
    {"value with indefinite length", genm_value_indefinite, CMP_ERR_ARG},
    {"type is not genm or genp", genm_wrong_type, CMP_ERR_ARG},
    {"65 entries", genm_too_many, CMP_ERR_ARG},
    {"read a pkiConf as genm", genm_read_wrong_body, CMP_ERR_BODY_TYPE},
};

START_TEST(test_cmp_msg_set_body_genm_bad)
{
    run_bad(&genm_bad[_i]);
}
END_TEST

/* ---- rr, rp ------------------------------------------------------------------ */

START_TEST(test_cmp_msg_set_body_rr_roundtrip)
{
    static const uint8_t s1[] = {0x01, 0x82, 0x3e, 0xdc, 0x12, 0x1c};
    static const uint8_t s2[] = {0x00, 0xff};
    cmp_buf i1 = name_der("/CN=Ca-ENROLLMENT-INTERMEDIATE-3"), i2 = name_der("/O=x/CN=y");
    cmp_revreq_entry e[2], got;
    cmp_status_info st[2], sgot;
    cmp_msg *m = new_msg(CMP_PVNO_2000), *rx;
    size_t i;

    e[0].issuer = bsp(&i1);
    e[0].serial = sp(s1, sizeof(s1));
    e[0].reason = 1; /* keyCompromise */
    e[1].issuer = bsp(&i2);
    e[1].serial = sp(s2, sizeof(s2));
    e[1].reason = -1;
    ck_assert_int_eq(cmp_msg_set_body_rr(m, e, 2), CMP_OK);
    rx = roundtrip(m);
    ck_assert_int_eq(cmp_msg_body_type(rx), CMP_BODY_RR);
    ck_assert_uint_eq(cmp_msg_num_revreqs(rx), 2);
    for (i = 0; i < 2; i++) {
        ck_assert_int_eq(cmp_msg_revreq(rx, i, &got), CMP_OK);
        ck_assert(span_eq(got.issuer, e[i].issuer) && span_eq(got.serial, e[i].serial));
        ck_assert_int_eq(got.reason, e[i].reason);
    }
    ck_assert_int_eq(cmp_msg_revreq(rx, 2, &got), CMP_ERR_ARG);
    cmp_msg_free(rx);

    memset(st, 0, sizeof(st));
    st[0].status = CMP_STATUS_ACCEPTED;
    st[1].status = CMP_STATUS_REJECTION;
    st[1].fail_info = 1u << CMP_FI_CERT_REVOKED;
    ck_assert_int_eq(cmp_msg_set_body_rp(m, st, 2), CMP_OK);
    rx = roundtrip(m);
    ck_assert_int_eq(cmp_msg_body_type(rx), CMP_BODY_RP);
    ck_assert_uint_eq(cmp_msg_num_rp_status(rx), 2);
    ck_assert_int_eq(cmp_msg_rp_status(rx, 1, &sgot), CMP_OK);
    ck_assert(sgot.status == CMP_STATUS_REJECTION && sgot.fail_info == st[1].fail_info);
    ck_assert_int_eq(cmp_msg_rp_status(rx, 2, &sgot), CMP_ERR_ARG);
    ck_assert_int_eq(cmp_msg_revreq(rx, 0, &got), CMP_ERR_BODY_TYPE);
    cmp_msg_free(rx);
    cmp_msg_free(m);
    free_buf(&i1);
    free_buf(&i2);
}
END_TEST

static cmp_err rr_one(cmp_msg *m, const char *issuer_hex, const char *serial_hex, int reason)
{
    cmp_buf i = hexbuf(issuer_hex), s = hexbuf(serial_hex);
    cmp_revreq_entry e;
    cmp_err err;

    e.issuer = bsp(&i);
    e.serial = bsp(&s);
    e.reason = reason;
    err = cmp_msg_set_body_rr(m, &e, 1);
    free_buf(&i);
    free_buf(&s);
    return err;
}

static cmp_err rr_reason_7(cmp_msg *m)
{
    return rr_one(m, "3000", "01", 7);
}

static cmp_err rr_reason_11(cmp_msg *m)
{
    return rr_one(m, "3000", "01", 11);
}

static cmp_err rr_no_issuer(cmp_msg *m)
{
    return rr_one(m, "", "01", 0);
}

static cmp_err rr_no_serial(cmp_msg *m)
{
    return rr_one(m, "3000", "", 0);
}

static cmp_err rr_serial_nonminimal(cmp_msg *m)
{
    return rr_one(m, "3000", "ff80", 0);
}

static cmp_err rr_issuer_ber(cmp_msg *m)
{
    return rr_one(m, "30810 0", "01", 0);
}

static cmp_err rr_none(cmp_msg *m)
{
    cmp_revreq_entry e;
    memset(&e, 0, sizeof(e));
    return cmp_msg_set_body_rr(m, &e, 0);
}

static cmp_err rp_none(cmp_msg *m)
{
    cmp_status_info s;
    memset(&s, 0, sizeof(s));
    return cmp_msg_set_body_rp(m, &s, 0);
}

static cmp_err rp_bad_status(cmp_msg *m)
{
    cmp_status_info s;
    memset(&s, 0, sizeof(s));
    s.status = 100;
    return cmp_msg_set_body_rp(m, &s, 1);
}

static cmp_err rp_read_wrong_body(cmp_msg *m)
{
    cmp_status_info s;
    if (cmp_msg_set_body_pkiconf(m) != CMP_OK || cmp_msg_num_rp_status(m) != 0 ||
        cmp_msg_num_revreqs(m) != 0) {
        return CMP_ERR_INTERNAL;
    }
    return cmp_msg_rp_status(m, 0, &s);
}

static const bad_case rr_bad[] = {
    {"reason 7 (not used)", rr_reason_7, CMP_ERR_ARG},
    {"reason 11", rr_reason_11, CMP_ERR_ARG},
    {"no issuer", rr_no_issuer, CMP_ERR_ARG},
    {"no serial", rr_no_serial, CMP_ERR_ARG},
    {"serial not minimal", rr_serial_nonminimal, CMP_ERR_ARG},
    {"issuer with non-minimal length", rr_issuer_ber, CMP_ERR_DER_LENGTH},
    {"rr without entries", rr_none, CMP_ERR_ARG},
    {"rp without status", rp_none, CMP_ERR_ARG},
    {"rp with status 100", rp_bad_status, CMP_ERR_ARG},
    {"read a pkiConf as rp", rp_read_wrong_body, CMP_ERR_BODY_TYPE},
};

START_TEST(test_cmp_msg_set_body_rr_bad)
{
    run_bad(&rr_bad[_i]);
}
END_TEST

/* A received rr: reason 7, no serial number. */
START_TEST(test_cmp_msg_revreq_hostile)
{
    cmp_msg *m = new_msg(CMP_PVNO_2000), *rx;
    RevDetails_t *rd;
    Extension_t *x;
    cmp_revreq_entry got;

    ck_assert_int_eq(rr_one(m, "3000", "01", 0), CMP_OK);
    rd = m->pm->body->choice.rr.list.array[0];
    x = rd->crlEntryDetails->list.array[0];
    ck_assert_int_eq(cmp_octets_set(&x->extnValue, sp("\x0a\x01\x07", 3)), CMP_OK);
    rx = reencode(m, 0);
    ck_assert_int_eq(cmp_msg_revreq(rx, 0, &got), CMP_ERR_DER_VALUE);
    cmp_msg_free(rx);
    ck_assert_int_eq(cmp_octets_set(&x->extnValue, sp("\x04\x01\x07", 3)), CMP_OK);
    rx = reencode(m, 0);
    ck_assert_int_eq(cmp_msg_revreq(rx, 0, &got), CMP_ERR_DECODE);
    cmp_msg_free(rx);
    ASN_STRUCT_FREE(asn_DEF_INTEGER, rd->certDetails.serialNumber);
    rd->certDetails.serialNumber = NULL;
    rx = reencode(m, 0);
    ck_assert_int_eq(cmp_msg_revreq(rx, 0, &got), CMP_ERR_MISSING_FIELD);
    cmp_msg_free(rx);
    cmp_msg_free(m);
}
END_TEST

/* ---- allocation failure ------------------------------------------------------ */

static cmp_err build_everything(cmp_msg *m)
{
    cmp_certreq_spec s = base_spec;
    cmp_certconf_entry c;
    cmp_pollrep_entry p = {0, 5, {(const uint8_t *)"r", 1}};
    cmp_revreq_entry r;
    cmp_itav it = {{(const uint8_t *)"\x2a\x03", 2}, {(const uint8_t *)"\x05\x00", 2}};

    s.old_cert_issuer = bsp(&base_subject);
    s.old_cert_serial = sp("\x01", 1);
    s.not_before = 1700000000;
    CMP_TRY(cmp_msg_set_body_certreq(m, CMP_BODY_KUR, &s));
    CMP_TRY(cmp_msg_certreq_set_popo_sig(m, 0, sp(alg_ecdsa, sizeof(alg_ecdsa)), sp("s", 1)));
    rep_reset();
    rep_spec.ca_pubs = &rep_entry.cert;
    rep_spec.num_ca_pubs = 1;
    CMP_TRY(rep_build(m));
    memset(&c, 0, sizeof(c));
    c.cert_hash = sp("h", 1);
    c.has_status = 1;
    c.status.num_texts = 1;
    c.status.texts[0] = sp("t", 1);
    CMP_TRY(cmp_msg_set_body_certconf(m, &c, 1));
    CMP_TRY(cmp_msg_set_body_pollrep(m, &p, 1));
    CMP_TRY(cmp_msg_set_body_genm(m, CMP_BODY_GENP, &it, 1));
    r.issuer = bsp(&base_subject);
    r.serial = sp("\x01", 1);
    r.reason = 4;
    CMP_TRY(cmp_msg_set_body_rr(m, &r, 1));
    CMP_TRY(cmp_msg_set_body_p10cr(m, sp(csr, csr_len)));
    return CMP_OK;
}

/* Every allocation may fail: raise N until the builders succeed; each
 * failure is clean (ASan and valgrind see no leak). */
START_TEST(test_cmp_msg_set_body_alloc_fail)
{
    long n;
    cmp_err e = CMP_ERR_NOMEM;

    for (n = 0; n < 100000 && e != CMP_OK; n++) {
        cmp_msg *m = new_msg(CMP_PVNO_2000);
        testlib_fail_alloc_after(n);
        e = build_everything(m);
        testlib_fail_alloc_after(-1);
        ck_assert_msg(e == CMP_OK || e == CMP_ERR_NOMEM, "n=%ld: %s", n, cmp_err_name(e));
        cmp_msg_free(m);
    }
    ck_assert_int_eq(e, CMP_OK);
}
END_TEST

/* ---- real messages ------------------------------------------------------------ */

/* The body type a corpus file name promises. */
static int expected_type(const char *path)
{
    static const struct {
        const char *suffix;
        int type;
    } bc[] = {
        {"_INIT_REQ.der", CMP_BODY_IR},      {"_INIT_REP.der", CMP_BODY_IP},
        {"_CERT_REQ.der", CMP_BODY_CR},      {"_CERT_REP.der", CMP_BODY_CP},
        {"_KEY_UPDATE_REQ.der", CMP_BODY_KUR}, {"_KEY_UPDATE_REP.der", CMP_BODY_KUP},
        {"_CERT_CONFIRM.der", CMP_BODY_CERTCONF}, {"__downstream_CONFIRM.der", CMP_BODY_PKICONF},
        {"__upstream_CONFIRM.der", CMP_BODY_PKICONF}, {"_POLL_REQ.der", CMP_BODY_POLLREQ},
        {"_POLL_REP.der", CMP_BODY_POLLREP}, {"_REVOCATION_REQ.der", CMP_BODY_RR},
        {"_REVOCATION_REP.der", CMP_BODY_RP},
    };
    size_t len = strlen(path), i;
    const char *dash;
    int t;

    for (i = 0; i < N(bc); i++) {
        size_t sl = strlen(bc[i].suffix);
        if (len > sl && strcmp(path + len - sl, bc[i].suffix) == 0) {
            return bc[i].type;
        }
    }
    /* OpenSSL's files: <flow>-<nn>-<body>.der */
    dash = strrchr(path, '-');
    ck_assert_ptr_nonnull(dash);
    for (t = 0; t <= CMP_BODY_POLLREP; t++) {
        const char *name = cmp_body_name(t);
        if (strncasecmp(dash + 1, name, strlen(name)) == 0 &&
            strcmp(dash + 1 + strlen(name), ".der") == 0) {
            return t;
        }
    }
    ck_abort_msg("no body type in the name %s", path);
    return -1;
}

/* Every accessor of the body's type, on every element. */
static void read_all(const cmp_msg *m, int type)
{
    size_t i;
    cmp_certreq cr;
    cmp_certrep_entry rep;
    cmp_certconf_entry cc;
    cmp_pollrep_entry pr;
    cmp_error_info ei;
    cmp_itav it;
    cmp_revreq_entry rr;
    cmp_status_info si;
    cmp_span der = cmp_msg_der(m);
    int64_t id;

    for (i = 0; i < cmp_msg_num_certreqs(m); i++) {
        ck_assert_int_eq(cmp_msg_certreq(m, i, &cr), CMP_OK);
        ck_assert(cr.tbs.data > der.data && cr.tbs.data + cr.tbs.len <= der.data + der.len);
        ck_assert(cr.public_key.len > 0);
    }
    for (i = 0; i < cmp_msg_num_ca_pubs(m); i++) {
        ck_assert_uint_gt(cmp_msg_ca_pub(m, i).len, 0);
    }
    for (i = 0; i < cmp_msg_num_responses(m); i++) {
        ck_assert_int_eq(cmp_msg_response(m, i, &rep), CMP_OK);
    }
    for (i = 0; i < cmp_msg_num_certconf(m); i++) {
        ck_assert_int_eq(cmp_msg_certconf(m, i, &cc), CMP_OK);
    }
    for (i = 0; i < cmp_msg_num_pollreq(m); i++) {
        ck_assert_int_eq(cmp_msg_pollreq(m, i, &id), CMP_OK);
    }
    for (i = 0; i < cmp_msg_num_pollrep(m); i++) {
        ck_assert_int_eq(cmp_msg_pollrep(m, i, &pr), CMP_OK);
    }
    for (i = 0; i < cmp_msg_num_itavs(m); i++) {
        ck_assert_int_eq(cmp_msg_itav(m, i, &it), CMP_OK);
    }
    for (i = 0; i < cmp_msg_num_revreqs(m); i++) {
        ck_assert_int_eq(cmp_msg_revreq(m, i, &rr), CMP_OK);
    }
    for (i = 0; i < cmp_msg_num_rp_status(m); i++) {
        ck_assert_int_eq(cmp_msg_rp_status(m, i, &si), CMP_OK);
    }
    if (type == CMP_BODY_ERROR) {
        ck_assert_int_eq(cmp_msg_error(m, &ei), CMP_OK);
    }
    if (type == CMP_BODY_P10CR) {
        ck_assert_uint_gt(cmp_msg_p10cr(m).len, 0);
    }
}

START_TEST(test_cmp_msg_body_corpus)
{
    size_t len = 0, off = 0;
    uint8_t *der = testlib_load(corpus[_i], &len);
    cmp_msg *m = NULL;
    cmp_err e;
    int type;

    ck_assert_ptr_nonnull(der);
    e = cmp_msg_decode(&m, der, len, NULL, &off);
    ck_assert_msg(e == CMP_OK, "%s: %s at %zu", corpus[_i], cmp_err_name(e), off);
    type = expected_type(corpus[_i]);
    ck_assert_msg(cmp_msg_body_type(m) == type, "%s is a %s", corpus[_i],
                  cmp_body_name(cmp_msg_body_type(m)));
    read_all(m, type);
    cmp_msg_free(m);
    free(der);
}
END_TEST

static cmp_msg *load_msg(const char *rel)
{
    size_t len = 0, off = 0;
    uint8_t *der = testlib_load(testlib_path(rel), &len);
    cmp_msg *m = NULL;

    ck_assert_msg(der != NULL, "cannot load %s", rel);
    ck_assert_int_eq(cmp_msg_decode(&m, der, len, NULL, &off), CMP_OK);
    free(der);
    return m;
}

/* Known values of some corpus messages (read with openssl asn1parse). */
START_TEST(test_cmp_msg_body_corpus_values)
{
    static const uint8_t kur_serial[] = {0x01, 0x82, 0x3e, 0xda, 0xe9, 0xaa};
    static const uint8_t rr_serial[] = {0x01, 0x82, 0x3e, 0xdc, 0x12, 0x1c};
    cmp_msg *m;
    cmp_pollrep_entry pr;
    cmp_revreq_entry rr;
    cmp_certreq cr;
    cmp_certrep_entry rep;
    cmp_certconf_entry cc;
    cmp_status_info si;
    char name[128];

    m = load_msg("bouncycastle/CrDelayed__downstream_POLL_REP.der");
    ck_assert_uint_eq(cmp_msg_num_pollrep(m), 1);
    ck_assert_int_eq(cmp_msg_pollrep(m, 0, &pr), CMP_OK);
    ck_assert(pr.cert_req_id == 0 && pr.check_after == 1);
    cmp_msg_free(m);

    m = load_msg("bouncycastle/Rr__upstream_REVOCATION_REQ.der");
    ck_assert_int_eq(cmp_msg_revreq(m, 0, &rr), CMP_OK);
    ck_assert(span_eq(rr.serial, sp(rr_serial, sizeof(rr_serial))));
    ck_assert_int_eq(rr.reason, 0);
    ck_assert_int_eq(cmp_name_to_string(name, sizeof(name), rr.issuer), CMP_OK);
    ck_assert_str_eq(name, "/CN=Ca-ENROLLMENT-INTERMEDIATE-3");
    cmp_msg_free(m);

    m = load_msg("bouncycastle/Rr__upstream_REVOCATION_REP.der");
    ck_assert_uint_eq(cmp_msg_num_rp_status(m), 1);
    ck_assert_int_eq(cmp_msg_rp_status(m, 0, &si), CMP_OK);
    ck_assert_int_eq(si.status, CMP_STATUS_ACCEPTED);
    cmp_msg_free(m);

    m = load_msg("bouncycastle/Kur__upstream_KEY_UPDATE_REQ.der");
    ck_assert_uint_eq(cmp_msg_num_extra_certs(m), 4);
    ck_assert_int_eq(cmp_msg_certreq(m, 0, &cr), CMP_OK);
    ck_assert(cr.cert_req_id == 0 && cr.popo_type == CMP_POPO_SIGNATURE && !cr.popo_has_input);
    ck_assert(span_eq(cr.old_cert_serial, sp(kur_serial, sizeof(kur_serial))));
    ck_assert_uint_eq(cr.popo_sig.len, 256);
    cmp_msg_free(m);

    m = load_msg("openssl/reject-sig-02-cp.der");
    ck_assert_int_eq(cmp_msg_response(m, 0, &rep), CMP_OK);
    ck_assert_int_eq(rep.status.status, CMP_STATUS_REJECTION);
    ck_assert_uint_eq(rep.status.fail_info, 1u << CMP_FI_BAD_POP);
    ck_assert(span_eq(rep.status.texts[0], sp("rejected by make.sh", 19)));
    ck_assert_uint_eq(rep.cert.len, 0);
    cmp_msg_free(m);

    m = load_msg("openssl/ir-sig-02-ip.der");
    ck_assert_uint_eq(cmp_msg_num_ca_pubs(m), 1);
    ck_assert_int_eq(cmp_msg_response(m, 0, &rep), CMP_OK);
    ck_assert(rep.cert_req_id == 0 && rep.status.status == CMP_STATUS_ACCEPTED);
    ck_assert_uint_gt(rep.cert.len, 0);
    cmp_msg_free(m);

    m = load_msg("openssl/ir-sig-03-certConf.der");
    ck_assert_int_eq(cmp_msg_certconf(m, 0, &cc), CMP_OK);
    ck_assert(cc.cert_req_id == 0 && cc.cert_hash.len == 32);
    cmp_msg_free(m);

    m = load_msg("openssl/p10cr-sig-02-cp.der");
    ck_assert_int_eq(cmp_msg_response(m, 0, &rep), CMP_OK);
    ck_assert(rep.cert_req_id == -1); /* RFC 9810 section 5.3.4 */
    cmp_msg_free(m);
}
END_TEST

/* ---- suite ------------------------------------------------------------------- */

static Suite *cmp_msg_body_suite(void)
{
    Suite *s = suite_create("msg_body");
    TCase *tc = tcase_create("bodies");

    tcase_set_timeout(tc, 120);
    tcase_add_loop_test(tc, test_cmp_msg_set_body_certreq_roundtrip, 0, N(certreq_types));
    tcase_add_test(tc, test_cmp_msg_certreq_popo_kinds);
    tcase_add_loop_test(tc, test_cmp_msg_set_body_certreq_bad, 0, N(certreq_bad));
    tcase_add_test(tc, test_cmp_msg_set_body_certreq_keeps_body);
    tcase_add_test(tc, test_cmp_msg_certreq_hostile);
    tcase_add_test(tc, test_cmp_msg_set_body_p10cr_roundtrip);
    tcase_add_loop_test(tc, test_cmp_msg_set_body_p10cr_bad, 0, N(p10cr_bad_kinds));
    tcase_add_test(tc, test_cmp_msg_set_body_p10cr_prefixes);
    tcase_add_loop_test(tc, test_cmp_msg_set_body_certrep_roundtrip, 0, N(certrep_types));
    tcase_add_loop_test(tc, test_cmp_msg_set_body_certrep_bad, 0, N(certrep_bad));
    tcase_add_test(tc, test_cmp_msg_response_hostile);
    tcase_add_loop_test(tc, test_cmp_status_info_fill_failinfo, 0, N(fi_cases));
    tcase_add_loop_test(tc, test_cmp_status_info_fill_bad, 0, N(si_bad));
    tcase_add_test(tc, test_cmp_status_info_read_nonminimal);
    tcase_add_test(tc, test_cmp_names);
    tcase_add_test(tc, test_cmp_msg_set_body_certconf_roundtrip);
    tcase_add_loop_test(tc, test_cmp_msg_set_body_certconf_bad, 0, N(certconf_bad));
    tcase_add_test(tc, test_cmp_msg_certconf_hostile);
    tcase_add_test(tc, test_cmp_msg_set_body_pkiconf);
    tcase_add_test(tc, test_cmp_msg_set_body_poll_roundtrip);
    tcase_add_loop_test(tc, test_cmp_msg_set_body_poll_bad, 0, N(poll_bad));
    tcase_add_loop_test(tc, test_cmp_msg_pollrep_hostile, 0, N(poll_hostiles));
    tcase_add_test(tc, test_cmp_msg_set_body_error_roundtrip);
    tcase_add_loop_test(tc, test_cmp_msg_set_body_error_bad, 0, N(error_bad));
    tcase_add_test(tc, test_cmp_msg_error_hostile);
    tcase_add_loop_test(tc, test_cmp_msg_set_body_genm_roundtrip, 0, 2);
    tcase_add_loop_test(tc, test_cmp_msg_set_body_genm_bad, 0, N(genm_bad));
    tcase_add_test(tc, test_cmp_msg_set_body_rr_roundtrip);
    tcase_add_loop_test(tc, test_cmp_msg_set_body_rr_bad, 0, N(rr_bad));
    tcase_add_test(tc, test_cmp_msg_revreq_hostile);
    tcase_add_test(tc, test_cmp_msg_set_body_alloc_fail);
    suite_add_tcase(s, tc);

    tc = tcase_create("corpus");
    tcase_add_loop_test(tc, test_cmp_msg_body_corpus, 0, (int)num_corpus);
    tcase_add_test(tc, test_cmp_msg_body_corpus_values);
    suite_add_tcase(s, tc);
    return s;
}

static void load_fixtures(void)
{
    static const char *const dirs[] = {"bouncycastle", "openssl"};
    size_t d, i;

    cert1 = testlib_load(testlib_path("pki/client/device.crt.der"), &cert1_len);
    cert2 = testlib_load(testlib_path("pki/client/op-ca.crt.der"), &cert2_len);
    csr = testlib_load(testlib_path("pki/client/device.csr.der"), &csr_len);
    if (cert1 == NULL || cert2 == NULL || csr == NULL) {
        fprintf(stderr, "check_msg_body: test data missing under $CMP_TEST_DATA\n");
        exit(1);
    }
    for (d = 0; d < N(dirs); d++) {
        char **paths = NULL;
        size_t n = testlib_list_dir(testlib_path(dirs[d]), ".der", &paths);
        char **all = realloc(corpus, (num_corpus + n + 1) * sizeof(*corpus));
        if (all == NULL) {
            abort();
        }
        corpus = all;
        for (i = 0; i < n; i++) {
            corpus[num_corpus++] = paths[i];
        }
        free(paths);
    }
    /* no ck_assert out here: Check only reports inside a test */
    if (cmp_name_from_string(&base_subject, "/CN=base") != CMP_OK) {
        abort();
    }
    base_spki.data = testlib_hex(spki_hex, &base_spki.len);
    if (base_spki.data == NULL) {
        abort();
    }
    memset(&base_spec, 0, sizeof(base_spec));
    base_spec.subject = bsp(&base_subject);
    base_spec.public_key = bsp(&base_spki);
    have_openssl = system("openssl version >/dev/null 2>&1") == 0;
}

int main(void)
{
    SRunner *sr;
    int failed;

    load_fixtures();
    if (num_corpus < 36) {
        fprintf(stderr, "check_msg_body: only %zu corpus messages\n", num_corpus);
        return 1;
    }
    sr = srunner_create(cmp_msg_body_suite());
    srunner_run_all(sr, CK_ENV);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    testlib_free_list(corpus, num_corpus);
    free(cert1);
    free(cert2);
    free(csr);
    cmp_buf_cleanup(&base_subject);
    free_buf(&base_spki);
    return failed == 0 ? 0 : 1;
}
