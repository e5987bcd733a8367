/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tests/unit/check_msg_print.c: cmp_msg_print (stack/msg_print.c): text and
 * JSON of built and real messages, escaping of hostile strings, JSON that
 * python3's json module accepts (skipped without python3), and fields that
 * do not decode.
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmp/ext.h"
#include "cmp/mem.h"
#include "cmp/msg.h"
#include "cmp/oid.h"
#include "msg_body_int.h"
#include "testlib.h"

#include "CertReqMsg.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static char **corpus;
static size_t num_corpus;
static int have_python;

/* Ed25519 SubjectPublicKeyInfo (RFC 8410 section 4). */
static const char spki_hex[] = "302a300506032b6570032100"
                               "19bf44096984cdfe8541bac167dc3b96c85086aa30b6b6cb0c5c38ad703166e1";

typedef struct out_buf {
    char *p;
    size_t len, cap;
    int calls;
} out_buf;

static void collect(void *arg, const char *text, size_t len)
{
    out_buf *o = arg;

    ck_assert_ptr_nonnull(text);
    if (o->len + len + 1 > o->cap) {
        o->cap = (o->len + len + 1) * 2;
        o->p = realloc(o->p, o->cap);
        ck_assert_ptr_nonnull(o->p);
    }
    memcpy(o->p + o->len, text, len);
    o->len += len;
    o->p[o->len] = '\0';
    o->calls++;
}

static cmp_err print(const cmp_msg *m, int json, out_buf *o)
{
    memset(o, 0, sizeof(*o));
    return cmp_msg_print(m, json, collect, o);
}

/* python3's json module must accept |text| (skipped without python3). */
static void json_ok(const char *text)
{
    char path[] = "/tmp/check_msg_print_XXXXXX";
    char cmd[160];
    int fd;

    ck_assert_ptr_nonnull(text);
    ck_assert(text[0] == '{');
    if (!have_python) {
        return;
    }
    fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    ck_assert(write(fd, text, strlen(text)) == (ssize_t)strlen(text));
    close(fd);
    snprintf(cmd, sizeof(cmd), "python3 -m json.tool %s >/dev/null 2>&1", path);
    ck_assert_msg(system(cmd) == 0, "not JSON: %s", text);
    unlink(path);
}

static cmp_span sp(const void *d, size_t n)
{
    cmp_span s;
    s.data = d;
    s.len = n;
    return s;
}

static cmp_msg *new_msg(const cmp_span *texts, size_t num_texts)
{
    static const uint8_t tid[16] = {0xde, 0xad, 0xbe, 0xef};
    cmp_buf name = {NULL, 0}, gn = {NULL, 0};
    cmp_hdr_spec h;
    cmp_msg *m = NULL;

    ck_assert_int_eq(cmp_name_from_string(&name, "/O=cmpstack/CN=Sender"), CMP_OK);
    ck_assert_int_eq(cmp_general_name_dn(&gn, sp(name.data, name.len)), CMP_OK);
    memset(&h, 0, sizeof(h));
    h.pvno = CMP_PVNO_2021;
    h.sender = sp(gn.data, gn.len);
    h.message_time = 1700000000;
    h.protection_alg = sp("\x30\x0a\x06\x08\x2a\x86\x48\xce\x3d\x04\x03\x02", 12);
    h.transaction_id = sp(tid, sizeof(tid));
    h.free_text = texts;
    h.num_free_text = num_texts;
    h.implicit_confirm = 1;
    ck_assert_int_eq(cmp_msg_new(&m, &h), CMP_OK);
    cmp_buf_cleanup(&name);
    cmp_buf_cleanup(&gn);
    return m;
}

/* Built messages of every body family print in both forms. */
static cmp_err set_body(cmp_msg *m, int kind)
{
    size_t n = 0;
    uint8_t *spki = testlib_hex(spki_hex, &n);
    cmp_buf subject = {NULL, 0}, san = {NULL, 0}, exts = {NULL, 0};
    cmp_certreq_spec req;
    cmp_status_info si;
    cmp_pollrep_entry pr = {3, 60, {(const uint8_t *)"busy", 4}};
    cmp_itav it;
    cmp_ext x;
    cmp_err e = CMP_ERR_INTERNAL;

    ck_assert_ptr_nonnull(spki);
    ck_assert_int_eq(cmp_name_from_string(&subject, "/O=cmpstack/CN=EE"), CMP_OK);
    ck_assert_int_eq(cmp_ext_san(&san, "ee.example 10.0.0.1"), CMP_OK);
    x.oid = sp(CMP_OID_EXT_SUBJECT_ALT_NAME, CMP_OID_EXT_LEN);
    x.critical = 1;
    x.value = sp(san.data, san.len);
    ck_assert_int_eq(cmp_ext_encode(&exts, &x, 1), CMP_OK);
    memset(&si, 0, sizeof(si));
    si.status = CMP_STATUS_REJECTION;
    si.fail_info = (1u << CMP_FI_BAD_POP) | (1u << 26);
    si.num_texts = 1;
    si.texts[0] = sp("no", 2);
    switch (kind) {
    case 0:
        memset(&req, 0, sizeof(req));
        req.subject = sp(subject.data, subject.len);
        req.public_key = sp(spki, n);
        req.extensions = sp(exts.data, exts.len);
        req.not_after = 2000000000;
        e = cmp_msg_set_body_certreq(m, CMP_BODY_IR, &req);
        if (e == CMP_OK) {
            e = cmp_msg_certreq_set_popo_sig(
                m, 0, sp("\x30\x05\x06\x03\x2b\x65\x70", 7), sp("sig", 3));
        }
        break;
    case 1:
        e = cmp_msg_set_body_rp(m, &si, 1);
        break;
    case 2:
        e = cmp_msg_set_body_pollrep(m, &pr, 1);
        break;
    case 3:
        ck_assert_int_eq(cmp_infotype_oid(CMP_IT_CA_CERTS, &it.oid), CMP_OK);
        it.value = sp(NULL, 0);
        e = cmp_msg_set_body_genm(m, CMP_BODY_GENM, &it, 1);
        break;
    default:
        e = cmp_msg_set_body_pkiconf(m);
        break;
    }
    free(spki);
    cmp_buf_cleanup(&subject);
    cmp_buf_cleanup(&san);
    cmp_buf_cleanup(&exts);
    return e;
}

static const char *const expect_text[] = {
    "    type: ir\n", "        certReqId: 0\n", "          subject: /O=cmpstack/CN=EE\n",
    "            extnID: subjectAltName\n",
    "            critical: true\n", "            value: DNS:ee.example, IP:10.0.0.1\n",
    "          notAfter: 2033-05-18T03:33:20Z\n", "          type: signature\n",
    "          algorithm: Ed25519\n", "    sender: /O=cmpstack/CN=Sender\n",
    "    messageTime: 2023-11-14T22:13:20Z\n", "    protectionAlg: ecdsa-with-SHA256\n",
    "    transactionID: deadbeef000000000000000000000000\n", "        infoType: implicitConfirm\n",
    "    pvno: 3\n",
};

START_TEST(test_cmp_msg_print_built)
{
    cmp_msg *m = new_msg(NULL, 0);
    out_buf t, j;
    size_t i;

    ck_assert_int_eq(set_body(m, _i), CMP_OK);
    ck_assert_int_eq(print(m, 0, &t), CMP_OK);
    ck_assert_int_eq(print(m, 1, &j), CMP_OK);
    ck_assert(strncmp(t.p, "PKIMessage:\n", 12) == 0);
    json_ok(j.p);
    switch (_i) {
    case 0:
        for (i = 0; i < N(expect_text); i++) {
            ck_assert_msg(strstr(t.p, expect_text[i]) != NULL, "missing '%s' in\n%s",
                          expect_text[i], t.p);
        }
        ck_assert(strstr(j.p, "\"type\":\"ir\"") != NULL);
        ck_assert(strstr(j.p, "\"certReqId\":0") != NULL);
        break;
    case 1:
        ck_assert(strstr(t.p, "status: rejection\n") != NULL);
        ck_assert(strstr(t.p, "[0]: badPOP\n") != NULL);
        ck_assert(strstr(t.p, "[1]: duplicateCertReq\n") != NULL);
        ck_assert(strstr(j.p, "\"failInfo\":[\"badPOP\",\"duplicateCertReq\"]") != NULL);
        break;
    case 2:
        ck_assert(strstr(t.p, "checkAfter: 60\n") != NULL);
        ck_assert(strstr(j.p, "{\"certReqId\":3,\"checkAfter\":60,\"reason\":\"busy\"}") != NULL);
        break;
    case 3:
        ck_assert(strstr(j.p, "\"infoType\":\"caCerts\"") != NULL);
        break;
    default:
        ck_assert(strstr(j.p, "\"body\":{\"type\":\"pkiconf\"}") != NULL);
        break;
    }
    free(t.p);
    free(j.p);
    cmp_msg_free(m);
}
END_TEST

/* Peer strings reach neither a terminal nor a JSON parser unescaped. */
START_TEST(test_cmp_msg_print_escapes)
{
    static const char hostile[] = "q\"b\\n\nesc\x1b del\x7f c1\xc2\x85 ok\xc3\xbc";
    cmp_span texts[2];
    cmp_msg *m;
    out_buf t, j;

    texts[0] = sp(hostile, sizeof(hostile) - 1);
    texts[1] = sp("bad\xff", 4); /* not UTF-8: each high byte escaped */
    m = new_msg(texts, 1);
    ck_assert_int_eq(cmp_msg_set_body_pkiconf(m), CMP_OK);
    ck_assert_int_eq(print(m, 0, &t), CMP_OK);
    ck_assert_int_eq(print(m, 1, &j), CMP_OK);
    ck_assert_msg(strstr(t.p, "q\"b\\x5cn\\x0aesc\\x1b del\\x7f c1\\xc2\\x85 ok\xc3\xbc") != NULL,
                  "%s", t.p);
    ck_assert_msg(strstr(j.p, "q\\\"b\\\\n\\u000aesc\\u001b del\\u007f c1\\u0085 ok\xc3\xbc")
                      != NULL, "%s", j.p);
    json_ok(j.p);
    free(t.p);
    free(j.p);
    cmp_msg_free(m);

    /* invalid UTF-8 can only come from a peer: tamper with a built tree */
    m = new_msg(texts, 1);
    ck_assert_int_eq(cmp_msg_set_body_pkiconf(m), CMP_OK);
    ck_assert_int_eq(cmp_octets_set(m->pm->header.freeText->list.array[0], texts[1]), CMP_OK);
    ck_assert_int_eq(print(m, 0, &t), CMP_OK);
    ck_assert_int_eq(print(m, 1, &j), CMP_OK);
    ck_assert(strstr(t.p, "bad\\xff") != NULL);
    ck_assert(strstr(j.p, "bad\\u00ff") != NULL);
    json_ok(j.p);
    free(t.p);
    free(j.p);
    cmp_msg_free(m);
}
END_TEST

/* A field that does not decode is named, the rest still prints, and the
 * first error is returned. */
START_TEST(test_cmp_msg_print_bad_fields)
{
    cmp_msg *m = new_msg(NULL, 0);
    CertReqMsg_t *crm;
    out_buf t, j;
    uint8_t *big = cmp_malloc(9);

    ck_assert_int_eq(set_body(m, 0), CMP_OK);
    crm = m->pm->body->choice.ir.list.array[0];
    ck_assert_ptr_nonnull(big);
    memset(big, 0x11, 9);
    cmp_free(crm->certReq.certReqId.buf);
    crm->certReq.certReqId.buf = big;
    crm->certReq.certReqId.size = 9;
    ck_assert_int_eq(print(m, 0, &t), CMP_ERR_CONSTRAINT);
    ck_assert_int_eq(print(m, 1, &j), CMP_ERR_CONSTRAINT);
    ck_assert(strstr(t.p, "certReqId: CMP_ERR_CONSTRAINT\n") != NULL);
    ck_assert(strstr(t.p, "subject: /O=cmpstack/CN=EE\n") != NULL);
    ck_assert(strstr(j.p, "\"certReqId\":\"CMP_ERR_CONSTRAINT\"") != NULL);
    json_ok(j.p);
    free(t.p);
    free(j.p);
    ck_assert_int_eq(cmp_msg_print(NULL, 0, collect, &t), CMP_ERR_ARG);
    ck_assert_int_eq(cmp_msg_print(m, 0, NULL, NULL), CMP_ERR_ARG);
    cmp_msg_free(m);
}
END_TEST

/* Every real message prints without error; the JSON parses. */
START_TEST(test_cmp_msg_print_corpus)
{
    size_t len = 0, off = 0;
    uint8_t *der = testlib_load(corpus[_i], &len);
    cmp_msg *m = NULL;
    out_buf t, j;

    ck_assert_ptr_nonnull(der);
    ck_assert_int_eq(cmp_msg_decode(&m, der, len, NULL, &off), CMP_OK);
    ck_assert_int_eq(print(m, 0, &t), CMP_OK);
    ck_assert_int_eq(print(m, 1, &j), CMP_OK);
    ck_assert(strstr(t.p, "  body:\n    type: ") != NULL);
    ck_assert(strstr(t.p, "  length: ") != NULL);
    json_ok(j.p);
    free(t.p);
    free(j.p);
    cmp_msg_free(m);
    free(der);
}
END_TEST

static Suite *cmp_msg_print_suite(void)
{
    Suite *s = suite_create("msg_print");
    TCase *tc = tcase_create("print");

    tcase_set_timeout(tc, 120);
    tcase_add_loop_test(tc, test_cmp_msg_print_built, 0, 5);
    tcase_add_test(tc, test_cmp_msg_print_escapes);
    tcase_add_test(tc, test_cmp_msg_print_bad_fields);
    tcase_add_loop_test(tc, test_cmp_msg_print_corpus, 0, (int)num_corpus);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    static const char *const dirs[] = {"bouncycastle", "openssl"};
    SRunner *sr;
    size_t d, i;
    int failed;

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
    if (num_corpus < 36) {
        fprintf(stderr, "check_msg_print: only %zu corpus messages\n", num_corpus);
        return 1;
    }
    have_python = system("python3 -c pass >/dev/null 2>&1") == 0;
    sr = srunner_create(cmp_msg_print_suite());
    srunner_run_all(sr, CK_ENV);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    testlib_free_list(corpus, num_corpus);
    return failed == 0 ? 0 : 1;
}
