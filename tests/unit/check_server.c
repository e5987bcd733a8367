/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tests/unit/check_server.c: the CA/RA responder (stack/server*.c), driven
 * in-process. Requests are built with the message builders and protected
 * with stack/prot.c, exactly as a client would; answers are decoded and
 * their protection verified the same way.
 *
 * Positive flows: ir (vendor certificate with its CA only in extraCerts),
 * ir with PBM, cr, kur, p10cr, polling, approval, certConf/pkiConf,
 * implicit confirm, genm, rr, and a restart of the store between every
 * message of a transaction. Hostile requests (a table of more than 30):
 * each must get the exact answer (error or rejecting ip, with the exact
 * failInfo bit) and leave the state digest unchanged.
 *
 * Test PKI: tests/data/pki/make_server.sh. The clock is fixed inside the
 * certificates' validity.
 */
#include <check.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmp/config.h"
#include "cmp/mem.h"
#include "cmp/msg.h"
#include "cmp/server.h"
#include "cmp_crypto.h"
#include "prot_int.h"
#include "testlib.h"

#define NOW 1830000000
#define SECRET "shared-secret-1234"
#define REF "ref-1"

static int64_t g_now = NOW;

static int64_t test_clock(void *arg)
{
    (void)arg;
    return g_now;
}

static cmp_span sp(const void *p, size_t n)
{
    cmp_span s;
    s.data = p;
    s.len = n;
    return s;
}

static cmp_span bs(const cmp_buf *b)
{
    return sp(b->data, b->len);
}

static cmp_span str(const char *s)
{
    return sp(s, strlen(s));
}

/* ---- the test PKI ------------------------------------------------------------- */

typedef struct pki {
    cmp_crypto *c;
    cmp_buf vendor_root, vendor_ca, device, op_root, op_ca, srv, rogue_root, rogue_dev;
    cmp_buf op_ca_key, srv_key;
    cmp_key *device_key, *rogue_key, *new_key, *new_key2, *rsa_key;
} pki;

static pki P;

static cmp_buf load(const char *name)
{
    char rel[128];
    cmp_buf b;

    snprintf(rel, sizeof(rel), "pki/server/%s", name);
    b.data = testlib_load(testlib_path(rel), &b.len);
    ck_assert_msg(b.data != NULL, "cannot load %s (run tests/data/pki/make_server.sh)", rel);
    return b;
}

static cmp_key *load_key(const char *name)
{
    cmp_buf b = load(name);
    cmp_key *k = NULL;

    ck_assert_int_eq(cmp_crypto_key_load(P.c, &k, bs(&b), sp(NULL, 0)), CMP_OK);
    free(b.data);
    return k;
}

static void pki_setup(void)
{
    memset(&P, 0, sizeof(P));
    g_now = NOW;
    ck_assert_int_eq(cmp_crypto_wolfssl_new(&P.c), CMP_OK);
    P.vendor_root = load("vendor-root.der");
    P.vendor_ca = load("vendor-ca.der");
    P.device = load("device.der");
    P.op_root = load("op-root.der");
    P.op_ca = load("op-ca.der");
    P.srv = load("cmp-server.der");
    P.rogue_root = load("rogue-root.der");
    P.rogue_dev = load("rogue-device.der");
    P.op_ca_key = load("op-ca.key");
    P.srv_key = load("cmp-server.key");
    P.device_key = load_key("device.key");
    P.rogue_key = load_key("rogue-device.key");
    P.rsa_key = load_key("device-rsa.key");
    ck_assert_int_eq(cmp_crypto_key_generate(P.c, &P.new_key, CMP_KEY_EC_P256, 0), CMP_OK);
    ck_assert_int_eq(cmp_crypto_key_generate(P.c, &P.new_key2, CMP_KEY_EC_P256, 0), CMP_OK);
}

static void pki_teardown(void)
{
    cmp_buf *bufs[] = {&P.vendor_root, &P.vendor_ca, &P.device, &P.op_root, &P.op_ca,
                       &P.srv, &P.rogue_root, &P.rogue_dev, &P.op_ca_key, &P.srv_key};
    size_t i;

    for (i = 0; i < sizeof(bufs) / sizeof(bufs[0]); i++) {
        free(bufs[i]->data);
    }
    cmp_crypto_key_free(P.c, P.device_key);
    cmp_crypto_key_free(P.c, P.rogue_key);
    cmp_crypto_key_free(P.c, P.new_key);
    cmp_crypto_key_free(P.c, P.new_key2);
    cmp_crypto_key_free(P.c, P.rsa_key);
    cmp_crypto_free(P.c);
}

/* ---- the server ---------------------------------------------------------------- */

typedef void (*tweak_fn)(cmp_server_config *cfg);

static cmp_server *mk_server(const char *path, tweak_fn tweak)
{
    cmp_server_config cfg;
    cmp_server *srv = NULL;
    cmp_span trusted[1];

    cmp_server_config_init(&cfg);
    trusted[0] = bs(&P.vendor_root);
    cfg.state_path = path;
    cfg.ca_cert = bs(&P.op_ca);
    cfg.ca_key = bs(&P.op_ca_key);
    cfg.srv_cert = bs(&P.srv);
    cfg.srv_key = bs(&P.srv_key);
    cfg.trusted = trusted;
    cfg.num_trusted = 1;
    cfg.srv_secret = str(SECRET);
    cfg.srv_ref = str(REF);
    cfg.clock = test_clock;
    cfg.num_slots = 1;
    if (tweak != NULL) {
        tweak(&cfg);
    }
    ck_assert_int_eq(cmp_server_new(&srv, &cfg), CMP_OK);
    return srv;
}

/* Removes the state directory of a file-backed test server. */
static void rm_state(const char *dir)
{
    static const char *const files[] = {"state.db", "state.db-wal", "state.db-shm"};
    char p[128];
    size_t i;

    for (i = 0; i < 3; i++) {
        snprintf(p, sizeof(p), "%s/%s", dir, files[i]);
        unlink(p);
    }
    rmdir(dir);
}

/* ---- building requests --------------------------------------------------------- */

enum { PROT_NONE, PROT_SIG, PROT_MAC };
enum { POPO_SIG, POPO_WRONG_KEY, POPO_RAVERIFIED, POPO_NONE };

typedef struct req {
    int body;
    int prot;
    cmp_key *key;           /* signature protection */
    cmp_span cert;
    cmp_span chain[4];
    size_t num_chain;
    const char *secret;     /* MAC protection */
    const char *ref;
    uint32_t iterations;    /* MAC: 0 = default */
    int pvno;
    uint8_t tid[32];
    size_t tid_len;
    uint8_t nonce[32];
    size_t nonce_len;
    uint8_t recip_nonce[32];
    size_t recip_nonce_len;
    int implicit;
    int64_t time_off;       /* messageTime - clock */
    int no_time;            /* omit messageTime */
    /* ir, cr, kur, p10cr */
    cmp_key *new_key;
    const char *subject;
    int64_t cert_req_id;
    int popo;
    int no_public_key;
    cmp_span spki;          /* instead of the new key's */
    cmp_span exts;
    cmp_span old_issuer;
    cmp_span old_serial;
    /* certConf */
    cmp_span cert_hash;
    int conf_reject;
    int conf_empty;
    cmp_span hash_alg;
    /* pollReq */
    int64_t poll_id;
    /* rr */
    cmp_span rr_issuer;
    cmp_span rr_serial;
    /* genm */
    cmp_itav itavs[4];
    size_t num_itavs;
} req;

static void req_init(req *r, int body)
{
    memset(r, 0, sizeof(*r));
    r->body = body;
    r->prot = PROT_SIG;
    r->key = P.device_key;
    r->cert = bs(&P.device);
    r->chain[0] = bs(&P.vendor_ca);
    r->num_chain = 1;
    r->secret = SECRET;
    r->ref = REF;
    r->tid_len = 16;
    ck_assert_int_eq(cmp_crypto_random(P.c, r->tid, 16), CMP_OK);
    r->nonce_len = 16;
    ck_assert_int_eq(cmp_crypto_random(P.c, r->nonce, 16), CMP_OK);
    r->new_key = P.new_key;
    r->subject = "/O=Operator/CN=Device 0001";
    r->cert_req_id = body == CMP_BODY_P10CR ? -1 : 0;
}

/* A follow-up of |prev| answered by a message with sender nonce |rn|. */
static void req_follow(req *r, const req *prev, int body, cmp_span rn)
{
    req_init(r, body);
    r->prot = prev->prot;
    r->key = prev->key;
    r->cert = prev->cert;
    memcpy(r->chain, prev->chain, sizeof(r->chain));
    r->num_chain = prev->num_chain;
    memcpy(r->tid, prev->tid, sizeof(r->tid));
    r->tid_len = prev->tid_len;
    r->pvno = prev->pvno;
    ck_assert_uint_le(rn.len, sizeof(r->recip_nonce));
    if (rn.len > 0) {
        memcpy(r->recip_nonce, rn.data, rn.len);
    }
    r->recip_nonce_len = rn.len;
    r->poll_id = prev->cert_req_id;
    r->cert_req_id = prev->cert_req_id;
}

static void set_certreq(cmp_msg *m, const req *r)
{
    cmp_certreq_spec s;
    cmp_buf spki = {NULL, 0}, name = {NULL, 0}, tbs = {NULL, 0}, sig = {NULL, 0};
    cmp_span alg;

    memset(&s, 0, sizeof(s));
    s.cert_req_id = r->cert_req_id;
    if (r->subject != NULL) {
        ck_assert_int_eq(cmp_name_from_string(&name, r->subject), CMP_OK);
        s.subject = bs(&name);
    }
    ck_assert_int_eq(cmp_crypto_key_spki(P.c, &spki, r->new_key), CMP_OK);
    if (!r->no_public_key) {
        s.public_key = r->spki.len > 0 ? r->spki : bs(&spki);
    }
    s.extensions = r->exts;
    s.old_cert_issuer = r->old_issuer;
    s.old_cert_serial = r->old_serial;
    ck_assert_int_eq(cmp_msg_set_body_certreq(m, (cmp_body_type)r->body, &s), CMP_OK);
    if (r->popo == POPO_SIG || r->popo == POPO_WRONG_KEY) {
        cmp_key *k = r->popo == POPO_SIG ? r->new_key : P.new_key2;
        ck_assert_int_eq(cmp_msg_certreq_tbs(m, 0, &tbs), CMP_OK);
        ck_assert_int_eq(cmp_crypto_sig_alg_default(P.c, &alg, k, CMP_HASH_NONE, 0), CMP_OK);
        ck_assert_int_eq(cmp_crypto_sign(P.c, &sig, k, alg, bs(&tbs)), CMP_OK);
        ck_assert_int_eq(cmp_msg_certreq_set_popo_sig(m, 0, alg, bs(&sig)), CMP_OK);
    } else if (r->popo == POPO_RAVERIFIED) {
        ck_assert_int_eq(cmp_msg_certreq_set_popo_raverified(m, 0), CMP_OK);
    }
    cmp_buf_cleanup(&spki);
    cmp_buf_cleanup(&name);
    cmp_buf_cleanup(&tbs);
    cmp_buf_cleanup(&sig);
}

static void set_p10cr(cmp_msg *m, const req *r)
{
    cmp_buf name = {NULL, 0}, csr = {NULL, 0};

    ck_assert_int_eq(cmp_name_from_string(&name, r->subject), CMP_OK);
    ck_assert_int_eq(cmp_crypto_csr_build(P.c, &csr, r->new_key, sp(NULL, 0), bs(&name), NULL),
                     CMP_OK);
    if (r->popo == POPO_WRONG_KEY) {
        csr.data[csr.len - 3] ^= 0x01; /* inside the signature */
    }
    ck_assert_int_eq(cmp_msg_set_body_p10cr(m, bs(&csr)), CMP_OK);
    cmp_buf_cleanup(&name);
    cmp_buf_cleanup(&csr);
}

static void set_body(cmp_msg *m, const req *r)
{
    switch (r->body) {
    case CMP_BODY_IR:
    case CMP_BODY_CR:
    case CMP_BODY_KUR:
        set_certreq(m, r);
        break;
    case CMP_BODY_P10CR:
        set_p10cr(m, r);
        break;
    case CMP_BODY_CERTCONF: {
        cmp_certconf_entry e;
        memset(&e, 0, sizeof(e));
        e.cert_req_id = r->cert_req_id;
        e.cert_hash = r->cert_hash;
        e.hash_alg = r->hash_alg;
        if (r->conf_reject) {
            e.has_status = 1;
            e.status.status = CMP_STATUS_REJECTION;
            e.status.fail_info = 1u << CMP_FI_INCORRECT_DATA;
        }
        ck_assert_int_eq(cmp_msg_set_body_certconf(m, &e, r->conf_empty ? 0 : 1), CMP_OK);
        break;
    }
    case CMP_BODY_POLLREQ:
        ck_assert_int_eq(cmp_msg_set_body_pollreq(m, &r->poll_id, 1), CMP_OK);
        break;
    case CMP_BODY_GENM:
        ck_assert_int_eq(cmp_msg_set_body_genm(m, CMP_BODY_GENM, r->itavs, r->num_itavs),
                         CMP_OK);
        break;
    case CMP_BODY_RR: {
        cmp_revreq_entry e;
        e.issuer = r->rr_issuer;
        e.serial = r->rr_serial;
        e.reason = 1;
        ck_assert_int_eq(cmp_msg_set_body_rr(m, &e, 1), CMP_OK);
        break;
    }
    case CMP_BODY_ERROR: {
        cmp_error_info e;
        memset(&e, 0, sizeof(e));
        e.status.status = CMP_STATUS_REJECTION;
        ck_assert_int_eq(cmp_msg_set_body_error(m, &e), CMP_OK);
        break;
    }
    case CMP_BODY_PKICONF:
        ck_assert_int_eq(cmp_msg_set_body_pkiconf(m), CMP_OK);
        break;
    default:
        ck_abort_msg("no builder for body %d", r->body);
    }
}

/* build_req encodes and protects |r|; the caller frees |out|. */
static void build_req(cmp_buf *out, const req *r)
{
    cmp_prot_cred cred;
    cmp_prot_hdr ph;
    cmp_hdr_spec hs;
    cmp_mac_params mp;
    cmp_msg *m = NULL;
    cmp_buf name = {NULL, 0};
    cmp_cert_info ci;

    memset(&cred, 0, sizeof(cred));
    memset(&hs, 0, sizeof(hs));
    cred.kind = r->prot == PROT_SIG ? CMP_PROT_SIG : r->prot == PROT_MAC ? CMP_PROT_MAC
                                                                         : CMP_PROT_NONE;
    cred.key = r->key;
    cred.cert = r->cert;
    cred.chain = r->chain;
    cred.num_chain = r->num_chain;
    cred.secret = str(r->secret);
    cred.ref = str(r->ref);
    cmp_crypto_mac_params_default(&mp, CMP_MAC_PBM);
    if (r->iterations > 0) {
        mp.iterations = r->iterations;
        P.c->limits.max_iterations = r->iterations;
    }
    cred.mac = &mp;
    ck_assert_int_eq(cmp_crypto_cert_parse(&ci, bs(&P.device)), CMP_OK);
    cred.sender_name = ci.subject;
    ck_assert_int_eq(cmp_prot_hdr_make(P.c, &ph, &cred), CMP_OK);
    cmp_prot_hdr_apply(&ph, &hs);
    hs.pvno = r->pvno;
    ck_assert_int_eq(cmp_name_from_string(&name, "/O=Operator/CN=Operator Issuing CA"), CMP_OK);
    hs.message_time = r->no_time ? -1 : g_now + r->time_off;
    hs.transaction_id = sp(r->tid, r->tid_len);
    hs.sender_nonce = sp(r->nonce, r->nonce_len);
    hs.recip_nonce = sp(r->recip_nonce, r->recip_nonce_len);
    hs.implicit_confirm = r->implicit;
    ck_assert_int_eq(cmp_msg_new(&m, &hs), CMP_OK);
    set_body(m, r);
    ck_assert_int_eq(cmp_prot_protect(P.c, m, &cred, 1), CMP_OK);
    ck_assert_int_eq(cmp_msg_encode(m, out), CMP_OK);
    cmp_msg_free(m);
    cmp_prot_hdr_cleanup(&ph);
    cmp_buf_cleanup(&name);
    P.c->limits.max_iterations = 100000;
}

/* ---- reading answers ------------------------------------------------------------ */

typedef struct rsp {
    cmp_msg *m;
    int body;
    int status;          /* -1: none */
    uint32_t fail_info;
    int64_t cert_req_id;
    cmp_span cert;
    cmp_span nonce;
} rsp;

static void rsp_free(rsp *a)
{
    cmp_msg_free(a->m);
    memset(a, 0, sizeof(*a));
}

/* Checks the answer's protection the way a client does: signature by the
 * CMP server certificate chaining to the operator root, or the MAC. */
static void check_rsp_protection(const cmp_msg *m, int mac)
{
    cmp_prot_policy pol;
    cmp_prot_result res;
    cmp_span anchors[1];

    memset(&pol, 0, sizeof(pol));
    anchors[0] = bs(&P.op_root);
    pol.anchors = anchors;
    pol.num_anchors = 1;
    pol.secret = mac ? str(SECRET) : sp(NULL, 0);
    pol.now = g_now;
    ck_assert_int_eq(cmp_prot_verify(P.c, &res, m, &pol), CMP_OK);
    ck_assert_int_eq(res.kind, mac ? CMP_PROT_MAC : CMP_PROT_SIG);
}

/* exchange_path_bytes sends |in| under the profile |label| (NULL: through
 * cmp_server_handle) and reads the answer into |a|. */
static void exchange_path_bytes(cmp_server *srv, rsp *a, const char *label, cmp_span in, int mac)
{
    cmp_buf out = {NULL, 0};
    cmp_certrep_entry e;
    cmp_error_info ei;
    cmp_status_info si;

    memset(a, 0, sizeof(*a));
    a->status = -1;
    if (label == NULL) {
        ck_assert_int_eq(cmp_server_handle(srv, &out, in.data, in.len), CMP_OK);
    } else {
        ck_assert_int_eq(cmp_server_handle_path(srv, &out, label, in.data, in.len), CMP_OK);
    }
    ck_assert_int_eq(cmp_msg_decode(&a->m, out.data, out.len, NULL, NULL), CMP_OK);
    cmp_buf_cleanup(&out);
    check_rsp_protection(a->m, mac);
    a->body = cmp_msg_body_type(a->m);
    a->nonce = cmp_msg_sender_nonce(a->m);
    ck_assert_uint_eq(a->nonce.len, CMP_NONCE_LEN);
    switch (a->body) {
    case CMP_BODY_IP:
    case CMP_BODY_CP:
    case CMP_BODY_KUP:
        ck_assert_uint_eq(cmp_msg_num_responses(a->m), 1);
        ck_assert_int_eq(cmp_msg_response(a->m, 0, &e), CMP_OK);
        a->status = e.status.status;
        a->fail_info = e.status.fail_info;
        a->cert = e.cert;
        a->cert_req_id = e.cert_req_id;
        break;
    case CMP_BODY_ERROR:
        ck_assert_int_eq(cmp_msg_error(a->m, &ei), CMP_OK);
        a->status = ei.status.status;
        a->fail_info = ei.status.fail_info;
        break;
    case CMP_BODY_RP:
        ck_assert_int_eq(cmp_msg_rp_status(a->m, 0, &si), CMP_OK);
        a->status = si.status;
        a->fail_info = si.fail_info;
        break;
    default:
        break;
    }
}

static void exchange_bytes(cmp_server *srv, rsp *a, cmp_span in, int mac)
{
    exchange_path_bytes(srv, a, NULL, in, mac);
}

static void exchange_path(cmp_server *srv, rsp *a, const char *label, const req *r)
{
    cmp_buf in = {NULL, 0};

    build_req(&in, r);
    exchange_path_bytes(srv, a, label, bs(&in), r->prot == PROT_MAC);
    /* The answer echoes transactionID and senderNonce. */
    ck_assert(cmp_msg_transaction_id(a->m).len == r->tid_len &&
              memcmp(cmp_msg_transaction_id(a->m).data, r->tid, r->tid_len) == 0);
    ck_assert(cmp_msg_recip_nonce(a->m).len == r->nonce_len &&
              memcmp(cmp_msg_recip_nonce(a->m).data, r->nonce, r->nonce_len) == 0);
    cmp_buf_cleanup(&in);
}

static void exchange(cmp_server *srv, rsp *a, const req *r)
{
    exchange_path(srv, a, NULL, r);
}

/* The issued certificate chains to the operator root and carries the key. */
static void check_issued(cmp_span cert, cmp_key *key)
{
    cmp_span untrusted[1], anchors[1];

    untrusted[0] = bs(&P.op_ca);
    anchors[0] = bs(&P.op_root);
    ck_assert_int_eq(cmp_crypto_chain_verify(P.c, NULL, cert, untrusted, 1, anchors, 1, g_now),
                     CMP_OK);
    ck_assert_int_eq(cmp_crypto_key_check_cert(P.c, key, cert), CMP_OK);
}

static void cert_hash(cmp_buf *out, cmp_span cert)
{
    uint8_t h[CMP_HASH_MAX_LEN];
    size_t n = 0;

    ck_assert_int_eq(cmp_crypto_cert_hash(P.c, h, &n, cert, sp(NULL, 0)), CMP_OK);
    out->data = malloc(n);
    memcpy(out->data, h, n);
    out->len = n;
}

/* Confirms the certificate of |a| (answer to |prev|) and expects pkiConf. */
static void confirm(cmp_server *srv, const req *prev, const rsp *a)
{
    req c;
    rsp b;
    cmp_buf h;

    cert_hash(&h, a->cert);
    req_follow(&c, prev, CMP_BODY_CERTCONF, a->nonce);
    c.cert_hash = bs(&h);
    c.cert_req_id = a->cert_req_id;
    exchange(srv, &b, &c);
    ck_assert_int_eq(b.body, CMP_BODY_PKICONF);
    rsp_free(&b);
    free(h.data);
}

/* ir with the device's vendor certificate, confirmed. |out| gets a copy of
 * the issued certificate (malloc'd). */
static void enroll(cmp_server *srv, cmp_buf *out)
{
    req r;
    rsp a;

    req_init(&r, CMP_BODY_IR);
    exchange(srv, &a, &r);
    ck_assert_int_eq(a.body, CMP_BODY_IP);
    ck_assert_int_eq(a.status, CMP_STATUS_ACCEPTED);
    check_issued(a.cert, r.new_key);
    confirm(srv, &r, &a);
    out->data = testlib_dup(a.cert.data, a.cert.len);
    out->len = a.cert.len;
    rsp_free(&a);
}

static uint64_t stat_confirmed(cmp_server *srv)
{
    cmp_server_stats st;

    ck_assert_int_eq(cmp_server_get_stats(srv, &st), CMP_OK);
    return st.confirmed;
}

/* ---- positive flows --------------------------------------------------------------- */

/* RFC 9810 Appendix D.7 / RFC 9483 section 4.1.1: ir protected with the
 * device's vendor certificate; the vendor CA reaches the server only
 * through extraCerts. */
START_TEST(test_server_ir_vendor_cert)
{
    cmp_server *srv = mk_server(NULL, NULL);
    cmp_buf cert = {NULL, 0};
    cmp_server_stats st;

    enroll(srv, &cert);
    ck_assert_int_eq(cmp_server_get_stats(srv, &st), CMP_OK);
    ck_assert_uint_eq(st.certs, 1);
    ck_assert_uint_eq(st.confirmed, 1);
    ck_assert_uint_eq(st.active, 0);
    ck_assert_uint_eq(st.serial, 1);
    free(cert.data);
    cmp_server_free(srv);
}
END_TEST

START_TEST(test_server_ir_pbm)
{
    cmp_server *srv = mk_server(NULL, NULL);
    req r;
    rsp a;

    req_init(&r, CMP_BODY_IR);
    r.prot = PROT_MAC;
    exchange(srv, &a, &r);
    ck_assert_int_eq(a.body, CMP_BODY_IP);
    ck_assert_int_eq(a.status, CMP_STATUS_ACCEPTED);
    check_issued(a.cert, r.new_key);
    /* MAC-protected ip carries the chain of the new certificate. */
    ck_assert_uint_ge(cmp_msg_num_extra_certs(a.m), 1);
    confirm(srv, &r, &a);
    ck_assert_uint_eq(stat_confirmed(srv), 1);
    rsp_free(&a);
    cmp_server_free(srv);
}
END_TEST

static void with_capubs(cmp_server_config *cfg)
{
    static cmp_span pubs[1];
    pubs[0] = bs(&P.op_root);
    cfg->ca_pubs = pubs;
    cfg->num_ca_pubs = 1;
}

START_TEST(test_server_ir_capubs)
{
    cmp_server *srv = mk_server(NULL, with_capubs);
    req r;
    rsp a;

    req_init(&r, CMP_BODY_IR);
    exchange(srv, &a, &r);
    ck_assert_int_eq(a.status, CMP_STATUS_ACCEPTED);
    ck_assert_uint_eq(cmp_msg_num_ca_pubs(a.m), 1);
    ck_assert_uint_eq(cmp_msg_ca_pub(a.m, 0).len, P.op_root.len);
    rsp_free(&a);
    cmp_server_free(srv);
}
END_TEST

/* cr and kur are protected with a certificate this CA issued. */
static void as_holder(req *r, const cmp_buf *cert, cmp_key *key)
{
    r->key = key;
    r->cert = bs(cert);
    r->chain[0] = bs(&P.op_ca);
    r->num_chain = 1;
    r->subject = "/O=Operator/CN=Device 0001";
}

START_TEST(test_server_cr)
{
    cmp_server *srv = mk_server(NULL, NULL);
    cmp_buf cert = {NULL, 0};
    req r;
    rsp a;

    enroll(srv, &cert);
    req_init(&r, CMP_BODY_CR);
    as_holder(&r, &cert, P.new_key);
    r.new_key = P.new_key2;
    exchange(srv, &a, &r);
    ck_assert_int_eq(a.body, CMP_BODY_CP);
    ck_assert_int_eq(a.status, CMP_STATUS_ACCEPTED);
    check_issued(a.cert, P.new_key2);
    confirm(srv, &r, &a);
    ck_assert_uint_eq(stat_confirmed(srv), 2);
    rsp_free(&a);
    free(cert.data);
    cmp_server_free(srv);
}
END_TEST

START_TEST(test_server_kur)
{
    cmp_server *srv = mk_server(NULL, NULL);
    cmp_buf cert = {NULL, 0}, gn = {NULL, 0};
    cmp_cert_info ci, ni;
    req r;
    rsp a;

    enroll(srv, &cert);
    ck_assert_int_eq(cmp_crypto_cert_parse(&ci, bs(&cert)), CMP_OK);
    ck_assert_int_eq(cmp_general_name_dn(&gn, ci.issuer), CMP_OK);
    req_init(&r, CMP_BODY_KUR);
    as_holder(&r, &cert, P.new_key);
    r.new_key = P.new_key2;
    r.old_issuer = bs(&gn);
    r.old_serial = ci.serial;
    exchange(srv, &a, &r);
    ck_assert_int_eq(a.body, CMP_BODY_KUP);
    ck_assert_int_eq(a.status, CMP_STATUS_ACCEPTED);
    check_issued(a.cert, P.new_key2);
    ck_assert_int_eq(cmp_crypto_cert_parse(&ni, a.cert), CMP_OK);
    ck_assert(ni.subject.len == ci.subject.len &&
              memcmp(ni.subject.data, ci.subject.data, ci.subject.len) == 0);
    confirm(srv, &r, &a);
    rsp_free(&a);
    cmp_buf_cleanup(&gn);
    free(cert.data);
    cmp_server_free(srv);
}
END_TEST

START_TEST(test_server_p10cr)
{
    cmp_server *srv = mk_server(NULL, NULL);
    req r;
    rsp a;

    req_init(&r, CMP_BODY_P10CR);
    exchange(srv, &a, &r);
    ck_assert_int_eq(a.body, CMP_BODY_CP);
    ck_assert_int_eq(a.status, CMP_STATUS_ACCEPTED);
    ck_assert_int_eq(a.cert_req_id, -1);
    check_issued(a.cert, r.new_key);
    confirm(srv, &r, &a);
    rsp_free(&a);
    cmp_server_free(srv);
}
END_TEST

static void poll_two(cmp_server_config *cfg)
{
    cfg->poll_count = 2;
    cfg->check_after = 7;
}

/* RFC 9810 section 5.3.22: waiting, two pollReps, then the certificate. */
START_TEST(test_server_polling)
{
    cmp_server *srv = mk_server(NULL, poll_two);
    req r, p;
    rsp a, b;
    cmp_pollrep_entry pe;
    int i;

    req_init(&r, CMP_BODY_IR);
    exchange(srv, &a, &r);
    ck_assert_int_eq(a.body, CMP_BODY_IP);
    ck_assert_int_eq(a.status, CMP_STATUS_WAITING);
    ck_assert_uint_eq(a.cert.len, 0);
    for (i = 0; i < 2; i++) {
        req_follow(&p, &r, CMP_BODY_POLLREQ, a.nonce);
        exchange(srv, &b, &p);
        ck_assert_int_eq(b.body, CMP_BODY_POLLREP);
        ck_assert_int_eq(cmp_msg_pollrep(b.m, 0, &pe), CMP_OK);
        ck_assert_int_eq(pe.check_after, 7);
        rsp_free(&a);
        a = b;
    }
    req_follow(&p, &r, CMP_BODY_POLLREQ, a.nonce);
    exchange(srv, &b, &p);
    ck_assert_int_eq(b.body, CMP_BODY_IP);
    ck_assert_int_eq(b.status, CMP_STATUS_ACCEPTED);
    check_issued(b.cert, r.new_key);
    confirm(srv, &r, &b);
    ck_assert_uint_eq(stat_confirmed(srv), 1);
    rsp_free(&a);
    rsp_free(&b);
    cmp_server_free(srv);
}
END_TEST

static cmp_err wait_for_approval(void *arg, cmp_server_decision *out,
                                 const cmp_server_request *q)
{
    (void)arg;
    (void)q;
    memset(out, 0, sizeof(*out));
    out->action = CMP_SERVER_WAIT;
    out->polls = 0;
    return CMP_OK;
}

static void approval_policy(cmp_server_config *cfg)
{
    cfg->policy = wait_for_approval;
}

START_TEST(test_server_approval)
{
    cmp_server *srv = mk_server(NULL, approval_policy);
    req r, p;
    rsp a, b;

    req_init(&r, CMP_BODY_IR);
    exchange(srv, &a, &r);
    ck_assert_int_eq(a.status, CMP_STATUS_WAITING);
    req_follow(&p, &r, CMP_BODY_POLLREQ, a.nonce);
    exchange(srv, &b, &p);
    ck_assert_int_eq(b.body, CMP_BODY_POLLREP);
    ck_assert_int_eq(cmp_server_approve(srv, sp(r.tid, r.tid_len), 1, 0), CMP_OK);
    /* Deciding twice is refused. */
    ck_assert_int_eq(cmp_server_approve(srv, sp(r.tid, r.tid_len), 0, 0),
                     CMP_ERR_UNKNOWN_TRANSACTION);
    rsp_free(&a);
    req_follow(&p, &r, CMP_BODY_POLLREQ, b.nonce);
    exchange(srv, &a, &p);
    ck_assert_int_eq(a.body, CMP_BODY_IP);
    ck_assert_int_eq(a.status, CMP_STATUS_ACCEPTED);
    confirm(srv, &r, &a);
    rsp_free(&a);
    rsp_free(&b);
    cmp_server_free(srv);
}
END_TEST

START_TEST(test_server_approval_reject)
{
    cmp_server *srv = mk_server(NULL, approval_policy);
    req r, p;
    rsp a, b;

    req_init(&r, CMP_BODY_IR);
    exchange(srv, &a, &r);
    ck_assert_int_eq(cmp_server_approve(srv, sp(r.tid, r.tid_len), 0,
                                        1u << CMP_FI_NOT_AUTHORIZED),
                     CMP_OK);
    req_follow(&p, &r, CMP_BODY_POLLREQ, a.nonce);
    exchange(srv, &b, &p);
    ck_assert_int_eq(b.body, CMP_BODY_IP);
    ck_assert_int_eq(b.status, CMP_STATUS_REJECTION);
    ck_assert_uint_eq(b.fail_info, 1u << CMP_FI_NOT_AUTHORIZED);
    rsp_free(&a);
    rsp_free(&b);
    cmp_server_free(srv);
}
END_TEST

static void grant_implicit(cmp_server_config *cfg)
{
    cfg->grant_implicit_confirm = 1;
}

START_TEST(test_server_implicit_confirm)
{
    cmp_server *srv = mk_server(NULL, grant_implicit);
    cmp_server_stats st;
    req r;
    rsp a;

    req_init(&r, CMP_BODY_IR);
    r.implicit = 1;
    exchange(srv, &a, &r);
    ck_assert_int_eq(a.status, CMP_STATUS_ACCEPTED);
    ck_assert_int_eq(cmp_msg_implicit_confirm(a.m), 1);
    ck_assert_int_eq(cmp_server_get_stats(srv, &st), CMP_OK);
    ck_assert_uint_eq(st.confirmed, 1);
    ck_assert_uint_eq(st.active, 0);
    rsp_free(&a);
    cmp_server_free(srv);
}
END_TEST

/* Without -grant_implicitconf the request for it is ignored. */
START_TEST(test_server_implicit_not_granted)
{
    cmp_server *srv = mk_server(NULL, NULL);
    req r;
    rsp a;

    req_init(&r, CMP_BODY_IR);
    r.implicit = 1;
    exchange(srv, &a, &r);
    ck_assert_int_eq(cmp_msg_implicit_confirm(a.m), 0);
    confirm(srv, &r, &a);
    rsp_free(&a);
    cmp_server_free(srv);
}
END_TEST

/* pvno 3 (RFC 9810 section 5.3.18): certConf with an explicit hashAlg. */
START_TEST(test_server_certconf_hashalg)
{
    cmp_server *srv = mk_server(NULL, NULL);
    uint8_t hv[CMP_HASH_MAX_LEN];
    size_t n = 0;
    cmp_span alg;
    req r, c;
    rsp a, b;

    req_init(&r, CMP_BODY_IR);
    r.pvno = CMP_PVNO_2021;
    exchange(srv, &a, &r);
    ck_assert_int_eq(a.status, CMP_STATUS_ACCEPTED);
    ck_assert_int_eq(cmp_crypto_hash_alg_encode(&alg, CMP_HASH_SHA384), CMP_OK);
    ck_assert_int_eq(cmp_crypto_cert_hash(P.c, hv, &n, a.cert, alg), CMP_OK);
    req_follow(&c, &r, CMP_BODY_CERTCONF, a.nonce);
    c.hash_alg = alg;
    c.cert_hash = sp(hv, n);
    exchange(srv, &b, &c);
    ck_assert_int_eq(b.body, CMP_BODY_PKICONF);
    ck_assert_uint_eq(stat_confirmed(srv), 1);
    rsp_free(&a);
    rsp_free(&b);
    cmp_server_free(srv);
}
END_TEST

/* RFC 9811 section 3.1, RFC 9112 section 9.3.1: a client may send the same
 * request again when the connection broke; it gets the same answer and the
 * state does not change. Another message under the same transactionID does
 * not. */
START_TEST(test_server_retransmission)
{
    cmp_server *srv = mk_server(NULL, NULL);
    cmp_buf in = {NULL, 0}, out1 = {NULL, 0}, out2 = {NULL, 0};
    uint8_t d1[32], d2[32];
    req r;
    rsp a;

    req_init(&r, CMP_BODY_IR);
    build_req(&in, &r);
    ck_assert_int_eq(cmp_server_handle(srv, &out1, in.data, in.len), CMP_OK);
    ck_assert_int_eq(cmp_server_state_digest(srv, d1), CMP_OK);
    ck_assert_int_eq(cmp_server_handle(srv, &out2, in.data, in.len), CMP_OK);
    ck_assert_int_eq(cmp_server_state_digest(srv, d2), CMP_OK);
    ck_assert_uint_eq(out1.len, out2.len);
    ck_assert(memcmp(out1.data, out2.data, out1.len) == 0);
    ck_assert(memcmp(d1, d2, 32) == 0);
    /* The transaction goes on from the (one) answer. */
    memset(&a, 0, sizeof(a));
    ck_assert_int_eq(cmp_msg_decode(&a.m, out1.data, out1.len, NULL, NULL), CMP_OK);
    a.nonce = cmp_msg_sender_nonce(a.m);
    {
        cmp_certrep_entry e;
        ck_assert_int_eq(cmp_msg_response(a.m, 0, &e), CMP_OK);
        a.cert = e.cert;
        a.cert_req_id = e.cert_req_id;
    }
    confirm(srv, &r, &a);
    ck_assert_uint_eq(stat_confirmed(srv), 1);
    rsp_free(&a);
    cmp_buf_cleanup(&in);
    cmp_buf_cleanup(&out1);
    cmp_buf_cleanup(&out2);
    cmp_server_free(srv);
}
END_TEST

START_TEST(test_server_certconf_reject_revokes)
{
    cmp_server *srv = mk_server(NULL, NULL);
    cmp_server_stats st;
    cmp_buf h;
    req r, c;
    rsp a, b;

    req_init(&r, CMP_BODY_IR);
    exchange(srv, &a, &r);
    cert_hash(&h, a.cert);
    req_follow(&c, &r, CMP_BODY_CERTCONF, a.nonce);
    c.cert_hash = bs(&h);
    c.conf_reject = 1;
    exchange(srv, &b, &c);
    ck_assert_int_eq(b.body, CMP_BODY_PKICONF);
    ck_assert_int_eq(cmp_server_get_stats(srv, &st), CMP_OK);
    ck_assert_uint_eq(st.confirmed, 0);
    ck_assert_uint_eq(st.revoked, 1);
    free(h.data);
    rsp_free(&a);
    rsp_free(&b);
    cmp_server_free(srv);
}
END_TEST

/* id-it: 1.3.6.1.5.5.7.4.N */
static const uint8_t IT_CA_CERTS[] = {0x2b, 6, 1, 5, 5, 7, 4, 17};
static const uint8_t IT_ROOT_UPDATE[] = {0x2b, 6, 1, 5, 5, 7, 4, 18};
static const uint8_t IT_TEMPLATE[] = {0x2b, 6, 1, 5, 5, 7, 4, 19};
static const uint8_t IT_ROOT_CERT[] = {0x2b, 6, 1, 5, 5, 7, 4, 20};
static const uint8_t IT_CRL_STATUS[] = {0x2b, 6, 1, 5, 5, 7, 4, 22};
static const uint8_t IT_CRLS[] = {0x2b, 6, 1, 5, 5, 7, 4, 23};
static const uint8_t IT_KEY_TYPES[] = {0x2b, 6, 1, 5, 5, 7, 4, 2};

static int oid_is(cmp_span o, const uint8_t *ref, size_t n)
{
    return o.len == n && memcmp(o.data, ref, n) == 0;
}

START_TEST(test_server_genm)
{
    cmp_server *srv = mk_server(NULL, with_capubs);
    req r;
    rsp a;
    cmp_itav it;

    req_init(&r, CMP_BODY_GENM);
    r.itavs[0].oid = sp(IT_CA_CERTS, sizeof(IT_CA_CERTS));
    r.itavs[1].oid = sp(IT_ROOT_CERT, sizeof(IT_ROOT_CERT));
    r.itavs[2].oid = sp(IT_TEMPLATE, sizeof(IT_TEMPLATE));
    r.itavs[3].oid = sp(IT_CRL_STATUS, sizeof(IT_CRL_STATUS));
    r.num_itavs = 4;
    exchange(srv, &a, &r);
    ck_assert_int_eq(a.body, CMP_BODY_GENP);
    ck_assert_uint_eq(cmp_msg_num_itavs(a.m), 4);
    ck_assert_int_eq(cmp_msg_itav(a.m, 0, &it), CMP_OK);
    ck_assert(oid_is(it.oid, IT_CA_CERTS, sizeof(IT_CA_CERTS)));
    ck_assert_uint_gt(it.value.len, P.op_ca.len + P.op_root.len);
    ck_assert_int_eq(cmp_msg_itav(a.m, 1, &it), CMP_OK);
    ck_assert(oid_is(it.oid, IT_ROOT_UPDATE, sizeof(IT_ROOT_UPDATE)));
    ck_assert_uint_gt(it.value.len, P.op_root.len);
    ck_assert_int_eq(cmp_msg_itav(a.m, 2, &it), CMP_OK);
    ck_assert(oid_is(it.oid, IT_TEMPLATE, sizeof(IT_TEMPLATE)));
    ck_assert_uint_gt(it.value.len, 0);
    ck_assert_int_eq(cmp_msg_itav(a.m, 3, &it), CMP_OK);
    ck_assert(oid_is(it.oid, IT_CRLS, sizeof(IT_CRLS)));
    ck_assert_uint_eq(it.value.len, 0);
    rsp_free(&a);

    req_init(&r, CMP_BODY_GENM);
    r.prot = PROT_MAC;
    r.itavs[0].oid = sp(IT_KEY_TYPES, sizeof(IT_KEY_TYPES));
    r.num_itavs = 1;
    exchange(srv, &a, &r);
    ck_assert_int_eq(a.body, CMP_BODY_GENP);
    ck_assert_uint_eq(cmp_msg_num_itavs(a.m), 1);
    rsp_free(&a);
    cmp_server_free(srv);
}
END_TEST

static void rr_of(req *r, const cmp_buf *cert, cmp_key *key)
{
    cmp_cert_info ci;

    ck_assert_int_eq(cmp_crypto_cert_parse(&ci, bs(cert)), CMP_OK);
    req_init(r, CMP_BODY_RR);
    as_holder(r, cert, key);
    r->rr_issuer = ci.issuer;
    r->rr_serial = ci.serial;
}

START_TEST(test_server_rr)
{
    cmp_server *srv = mk_server(NULL, NULL);
    cmp_server_stats st;
    cmp_buf cert = {NULL, 0};
    req r;
    rsp a;

    enroll(srv, &cert);
    rr_of(&r, &cert, P.new_key);
    exchange(srv, &a, &r);
    ck_assert_int_eq(a.body, CMP_BODY_RP);
    ck_assert_int_eq(a.status, CMP_STATUS_ACCEPTED);
    rsp_free(&a);
    ck_assert_int_eq(cmp_server_get_stats(srv, &st), CMP_OK);
    ck_assert_uint_eq(st.revoked, 1);
    /* A second rr for the same certificate, by MAC: already revoked. */
    rr_of(&r, &cert, P.new_key);
    r.prot = PROT_MAC;
    exchange(srv, &a, &r);
    ck_assert_int_eq(a.body, CMP_BODY_ERROR);
    ck_assert_uint_eq(a.fail_info, 1u << CMP_FI_CERT_REVOKED);
    rsp_free(&a);
    free(cert.data);
    cmp_server_free(srv);
}
END_TEST

/* The store survives a restart between every message of a polled ir: a
 * device polling across the restart still gets its certificate, and a
 * confirmed certificate stays confirmed. */
START_TEST(test_server_restart)
{
    char path[] = "/tmp/cmpstack-server-XXXXXX";
    char db[64];
    cmp_server *srv;
    req r, p;
    rsp a, b;

    ck_assert_ptr_nonnull(mkdtemp(path));
    snprintf(db, sizeof(db), "%s/state.db", path);

    srv = mk_server(db, poll_two);
    req_init(&r, CMP_BODY_IR);
    exchange(srv, &a, &r);
    ck_assert_int_eq(a.status, CMP_STATUS_WAITING);
    cmp_server_free(srv);

    srv = mk_server(db, poll_two);
    req_follow(&p, &r, CMP_BODY_POLLREQ, a.nonce);
    exchange(srv, &b, &p);
    ck_assert_int_eq(b.body, CMP_BODY_POLLREP);
    cmp_server_free(srv);
    rsp_free(&a);

    srv = mk_server(db, poll_two);
    req_follow(&p, &r, CMP_BODY_POLLREQ, b.nonce);
    exchange(srv, &a, &p);
    ck_assert_int_eq(a.body, CMP_BODY_POLLREP);
    rsp_free(&b);
    req_follow(&p, &r, CMP_BODY_POLLREQ, a.nonce);
    exchange(srv, &b, &p);
    ck_assert_int_eq(b.body, CMP_BODY_IP);
    ck_assert_int_eq(b.status, CMP_STATUS_ACCEPTED);
    cmp_server_free(srv);

    srv = mk_server(db, poll_two);
    confirm(srv, &r, &b);
    cmp_server_free(srv);

    srv = mk_server(db, poll_two);
    ck_assert_uint_eq(stat_confirmed(srv), 1);
    /* The finished transaction's ID stays taken. */
    rsp_free(&a);
    exchange(srv, &a, &r);
    ck_assert_int_eq(a.body, CMP_BODY_ERROR);
    ck_assert_uint_eq(a.fail_info, 1u << CMP_FI_TRANSACTION_ID_IN_USE);
    cmp_server_free(srv);
    rsp_free(&a);
    rsp_free(&b);
    rm_state(path);
}
END_TEST

/* Transactions idle past the timeout expire; an unconfirmed certificate is
 * revoked. */
START_TEST(test_server_expiry)
{
    cmp_server *srv = mk_server(NULL, NULL);
    cmp_server_stats st;
    cmp_buf h;
    req r, c, g;
    rsp a, b;

    req_init(&r, CMP_BODY_IR);
    exchange(srv, &a, &r);
    g_now += 3600;
    cert_hash(&h, a.cert);
    req_follow(&c, &r, CMP_BODY_CERTCONF, a.nonce);
    c.cert_hash = bs(&h);
    exchange(srv, &b, &c);
    ck_assert_int_eq(b.body, CMP_BODY_ERROR);
    ck_assert_uint_eq(b.fail_info, 1u << CMP_FI_TRANSACTION_ID_IN_USE);
    rsp_free(&b);
    /* Any later message sweeps. */
    req_init(&g, CMP_BODY_GENM);
    exchange(srv, &b, &g);
    ck_assert_int_eq(cmp_server_get_stats(srv, &st), CMP_OK);
    ck_assert_uint_eq(st.active, 0);
    ck_assert_uint_eq(st.revoked, 1);
    free(h.data);
    rsp_free(&a);
    rsp_free(&b);
    cmp_server_free(srv);
}
END_TEST

/* ---- hostile requests ----------------------------------------------------------------
 * Each case may run a valid prefix (an enrolment, a waiting ir), then makes
 * one bad message. The runner takes the state digest, sends the message,
 * checks the answer's body type and its exact failInfo bit, and checks that
 * the digest did not change. */

typedef struct hctx_t {
    cmp_server *srv;
    cmp_buf out;      /* the hostile message */
    int mac;          /* the answer is MAC-protected */
    rsp prev;         /* the answer to the prefix, when there is one */
    req prev_req;
    cmp_buf cert;     /* an enrolled certificate */
} hctx_t;

typedef struct hostile {
    const char *name;
    tweak_fn tweak;
    void (*make)(hctx_t *h);
    int body;
    int bit;
} hostile;

static void fresh_ir(req *r)
{
    req_init(r, CMP_BODY_IR);
}

static void h_untrusted_signer(hctx_t *h)
{
    req r;
    fresh_ir(&r);
    r.key = P.rogue_key;
    r.cert = bs(&P.rogue_dev);
    r.num_chain = 0;
    build_req(&h->out, &r);
}

static void h_mac_wrong_secret(hctx_t *h)
{
    req r;
    fresh_ir(&r);
    r.prot = PROT_MAC;
    r.secret = "not-the-secret";
    build_req(&h->out, &r);
    h->mac = 1;
}

static void h_mac_unknown_ref(hctx_t *h)
{
    req r;
    fresh_ir(&r);
    r.prot = PROT_MAC;
    r.ref = "nobody";
    build_req(&h->out, &r);
}

static void h_mac_iterations(hctx_t *h)
{
    req r;
    fresh_ir(&r);
    r.prot = PROT_MAC;
    r.iterations = 200000;
    build_req(&h->out, &r);
}

/* Flips a bit of the protection value, found through a decoded copy. */
static void h_bad_signature(hctx_t *h)
{
    req r;
    cmp_msg *m = NULL;
    cmp_span p;
    size_t off;

    fresh_ir(&r);
    build_req(&h->out, &r);
    ck_assert_int_eq(cmp_msg_decode(&m, h->out.data, h->out.len, NULL, NULL), CMP_OK);
    p = cmp_msg_protection(m);
    ck_assert_uint_gt(p.len, 8);
    for (off = 0; off + p.len <= h->out.len; off++) {
        if (memcmp(h->out.data + off, p.data, p.len) == 0) {
            break;
        }
    }
    ck_assert_uint_le(off + p.len, h->out.len);
    cmp_msg_free(m);
    h->out.data[off + p.len / 2] ^= 0x01;
}

static void h_unprotected(hctx_t *h)
{
    req r;
    fresh_ir(&r);
    r.prot = PROT_NONE;
    build_req(&h->out, &r);
}

static void patch_pvno(hctx_t *h, uint8_t v)
{
    req r;
    size_t i;

    fresh_ir(&r);
    build_req(&h->out, &r);
    for (i = 0; i + 3 < 16; i++) {
        if (h->out.data[i] == 0x02 && h->out.data[i + 1] == 0x01 && h->out.data[i + 2] == 0x02) {
            h->out.data[i + 2] = v;
            return;
        }
    }
    ck_abort_msg("pvno not found");
}

static void h_pvno_1(hctx_t *h)
{
    patch_pvno(h, 1);
}

static void h_pvno_9(hctx_t *h)
{
    patch_pvno(h, 9);
}

static void h_no_sender_nonce(hctx_t *h)
{
    req r;
    fresh_ir(&r);
    r.nonce_len = 0;
    build_req(&h->out, &r);
}

static void h_short_sender_nonce(hctx_t *h)
{
    req r;
    fresh_ir(&r);
    r.nonce_len = 8;
    build_req(&h->out, &r);
}

static void h_no_tid(hctx_t *h)
{
    req r;
    fresh_ir(&r);
    r.tid_len = 0;
    build_req(&h->out, &r);
}

static void h_short_tid(hctx_t *h)
{
    req r;
    fresh_ir(&r);
    r.tid_len = 8;
    build_req(&h->out, &r);
}

static void h_truncated(hctx_t *h)
{
    req r;
    fresh_ir(&r);
    build_req(&h->out, &r);
    h->out.len -= 10;
}

static void h_trailing_byte(hctx_t *h)
{
    req r;
    uint8_t *n;
    fresh_ir(&r);
    build_req(&h->out, &r);
    n = realloc(h->out.data, h->out.len + 1);
    ck_assert_ptr_nonnull(n);
    n[h->out.len++] = 0;
    h->out.data = n;
}

static void h_garbage(hctx_t *h)
{
    h->out.data = malloc(64);
    h->out.len = 64;
    ck_assert_int_eq(cmp_crypto_random(P.c, h->out.data, 64), CMP_OK);
    h->out.data[0] = 0x30;
}

static void h_oversize(hctx_t *h)
{
    size_t n = CMP_MAX_MSG_LEN + 16;
    h->out.data = calloc(1, n);
    h->out.len = n;
    h->out.data[0] = 0x30;
    h->out.data[1] = 0x83;
    h->out.data[2] = (uint8_t)((n - 5) >> 16);
    h->out.data[3] = (uint8_t)((n - 5) >> 8);
    h->out.data[4] = (uint8_t)(n - 5);
}

static void h_empty(hctx_t *h)
{
    h->out.data = malloc(1);
    h->out.len = 0;
}

static void h_bad_popo(hctx_t *h)
{
    req r;
    fresh_ir(&r);
    r.popo = POPO_WRONG_KEY;
    build_req(&h->out, &r);
}

static void h_raverified(hctx_t *h)
{
    req r;
    fresh_ir(&r);
    r.popo = POPO_RAVERIFIED;
    build_req(&h->out, &r);
}

static void h_no_popo(hctx_t *h)
{
    req r;
    fresh_ir(&r);
    r.popo = POPO_NONE;
    build_req(&h->out, &r);
}

static void h_no_public_key(hctx_t *h)
{
    req r;
    fresh_ir(&r);
    r.no_public_key = 1;
    r.popo = POPO_NONE;
    build_req(&h->out, &r);
}

static void h_no_subject(hctx_t *h)
{
    req r;
    fresh_ir(&r);
    r.subject = NULL;
    r.popo = POPO_NONE;
    build_req(&h->out, &r);
}

static const uint8_t DSA_SPKI[] = {0x30, 0x10, 0x30, 0x09, 0x06, 0x07, 0x2a, 0x86, 0x48,
                                   0xce, 0x38, 0x04, 0x01, 0x03, 0x03, 0x00, 0x01, 0x02};

static void h_key_type(hctx_t *h)
{
    req r;
    fresh_ir(&r);
    r.spki = sp(DSA_SPKI, sizeof(DSA_SPKI));
    r.popo = POPO_NONE;
    build_req(&h->out, &r);
}

static const uint8_t EXT_CA_TRUE[] = {0x30, 0x11, 0x30, 0x0f, 0x06, 0x03, 0x55, 0x1d, 0x13,
                                      0x01, 0x01, 0xff, 0x04, 0x05, 0x30, 0x03, 0x01, 0x01,
                                      0xff};
static const uint8_t EXT_UNKNOWN_CRIT[] = {0x30, 0x0e, 0x30, 0x0c, 0x06, 0x03, 0x2a, 0x03,
                                           0x04, 0x01, 0x01, 0xff, 0x04, 0x02, 0x05, 0x00};
static const uint8_t EXT_KU_CERTSIGN[] = {0x30, 0x10, 0x30, 0x0e, 0x06, 0x03, 0x55, 0x1d,
                                          0x0f, 0x01, 0x01, 0xff, 0x04, 0x04, 0x03, 0x02,
                                          0x02, 0x04};

static void ir_with_exts(hctx_t *h, const uint8_t *e, size_t n)
{
    req r;
    fresh_ir(&r);
    r.exts = sp(e, n);
    build_req(&h->out, &r);
}

static void h_ca_true(hctx_t *h)
{
    ir_with_exts(h, EXT_CA_TRUE, sizeof(EXT_CA_TRUE));
}

static void h_unknown_critical(hctx_t *h)
{
    ir_with_exts(h, EXT_UNKNOWN_CRIT, sizeof(EXT_UNKNOWN_CRIT));
}

static void h_ku_certsign(hctx_t *h)
{
    ir_with_exts(h, EXT_KU_CERTSIGN, sizeof(EXT_KU_CERTSIGN));
}

static void h_wrong_cert_req_id(hctx_t *h)
{
    req r;
    fresh_ir(&r);
    r.cert_req_id = 5;
    build_req(&h->out, &r);
}

static void h_p10cr_bad_sig(hctx_t *h)
{
    req r;
    req_init(&r, CMP_BODY_P10CR);
    r.popo = POPO_WRONG_KEY;
    build_req(&h->out, &r);
}

static void h_body_not_request(hctx_t *h)
{
    req r;
    req_init(&r, CMP_BODY_PKICONF);
    build_req(&h->out, &r);
}

/* Prefix: an ir answered with ip, not yet confirmed. */
static void prefix_ip(hctx_t *h)
{
    fresh_ir(&h->prev_req);
    exchange(h->srv, &h->prev, &h->prev_req);
    ck_assert_int_eq(h->prev.status, CMP_STATUS_ACCEPTED);
}

/* A new ir (fresh nonce) under the transactionID of one in progress. */
static void h_tid_active(hctx_t *h)
{
    req r;
    prefix_ip(h);
    r = h->prev_req;
    ck_assert_int_eq(cmp_crypto_random(P.c, r.nonce, 16), CMP_OK);
    build_req(&h->out, &r);
}

static void h_tid_replayed(hctx_t *h)
{
    prefix_ip(h);
    confirm(h->srv, &h->prev_req, &h->prev);
    build_req(&h->out, &h->prev_req);
}

static void certconf_after_ip(hctx_t *h, req *c, cmp_buf *hash)
{
    prefix_ip(h);
    cert_hash(hash, h->prev.cert);
    req_follow(c, &h->prev_req, CMP_BODY_CERTCONF, h->prev.nonce);
    c->cert_hash = bs(hash);
}

static void h_certconf_wrong_hash(hctx_t *h)
{
    req c;
    cmp_buf hash;
    certconf_after_ip(h, &c, &hash);
    hash.data[0] ^= 0xff;
    build_req(&h->out, &c);
    free(hash.data);
}

static void h_certconf_wrong_recip_nonce(hctx_t *h)
{
    req c;
    cmp_buf hash;
    certconf_after_ip(h, &c, &hash);
    c.recip_nonce[3] ^= 0x10;
    build_req(&h->out, &c);
    free(hash.data);
}

static void h_certconf_no_recip_nonce(hctx_t *h)
{
    req c;
    cmp_buf hash;
    certconf_after_ip(h, &c, &hash);
    c.recip_nonce_len = 0;
    build_req(&h->out, &c);
    free(hash.data);
}

static void h_certconf_wrong_id(hctx_t *h)
{
    req c;
    cmp_buf hash;
    certconf_after_ip(h, &c, &hash);
    c.cert_req_id = 1;
    build_req(&h->out, &c);
    free(hash.data);
}

/* pvno 3, hashAlg SHA-384, but the hash computed with SHA-256. */
static void h_certconf_hashalg_mismatch(hctx_t *h)
{
    req c;
    cmp_buf hash;
    cmp_span alg;
    certconf_after_ip(h, &c, &hash);
    ck_assert_int_eq(cmp_crypto_hash_alg_encode(&alg, CMP_HASH_SHA384), CMP_OK);
    c.hash_alg = alg;
    c.pvno = CMP_PVNO_2021;
    build_req(&h->out, &c);
    free(hash.data);
}

static void h_certconf_other_protection(hctx_t *h)
{
    req c;
    cmp_buf hash;
    certconf_after_ip(h, &c, &hash);
    c.prot = PROT_MAC;
    build_req(&h->out, &c);
    free(hash.data);
    h->mac = 1;
}

static void h_certconf_unknown_txn(hctx_t *h)
{
    req c;
    uint8_t hash[32] = {1};
    req_init(&c, CMP_BODY_CERTCONF);
    memset(c.recip_nonce, 7, 16);
    c.recip_nonce_len = 16;
    c.cert_hash = sp(hash, sizeof(hash));
    build_req(&h->out, &c);
}

static void h_pollreq_unknown_txn(hctx_t *h)
{
    req c;
    req_init(&c, CMP_BODY_POLLREQ);
    memset(c.recip_nonce, 7, 16);
    c.recip_nonce_len = 16;
    build_req(&h->out, &c);
}

static void h_pollreq_wrong_recip_nonce(hctx_t *h)
{
    req p;
    fresh_ir(&h->prev_req);
    exchange(h->srv, &h->prev, &h->prev_req);
    ck_assert_int_eq(h->prev.status, CMP_STATUS_WAITING);
    req_follow(&p, &h->prev_req, CMP_BODY_POLLREQ, h->prev.nonce);
    p.recip_nonce[0] ^= 1;
    build_req(&h->out, &p);
}

static void h_pollreq_wrong_id(hctx_t *h)
{
    req p;
    fresh_ir(&h->prev_req);
    exchange(h->srv, &h->prev, &h->prev_req);
    req_follow(&p, &h->prev_req, CMP_BODY_POLLREQ, h->prev.nonce);
    p.poll_id = 3;
    build_req(&h->out, &p);
}

static void h_pollreq_while_issued(hctx_t *h)
{
    req p;
    prefix_ip(h);
    req_follow(&p, &h->prev_req, CMP_BODY_POLLREQ, h->prev.nonce);
    build_req(&h->out, &p);
}

static void h_kur_by_vendor_cert(hctx_t *h)
{
    req r;
    req_init(&r, CMP_BODY_KUR);
    build_req(&h->out, &r);
}

static void h_cr_with_mac(hctx_t *h)
{
    req r;
    req_init(&r, CMP_BODY_CR);
    r.prot = PROT_MAC;
    build_req(&h->out, &r);
    h->mac = 1;
}

static void h_kur_old_cert_id_mismatch(hctx_t *h)
{
    req r;
    static const uint8_t serial[] = {0x01, 0x02};
    cmp_cert_info ci;
    cmp_buf gn = {NULL, 0};
    enroll(h->srv, &h->cert);
    ck_assert_int_eq(cmp_crypto_cert_parse(&ci, bs(&h->cert)), CMP_OK);
    ck_assert_int_eq(cmp_general_name_dn(&gn, ci.issuer), CMP_OK);
    req_init(&r, CMP_BODY_KUR);
    as_holder(&r, &h->cert, P.new_key);
    r.new_key = P.new_key2;
    r.old_issuer = bs(&gn);
    r.old_serial = sp(serial, sizeof(serial));
    build_req(&h->out, &r);
    cmp_buf_cleanup(&gn);
}

static void h_rr_unknown_serial(hctx_t *h)
{
    req r;
    cmp_cert_info ci;
    static const uint8_t serial[] = {0x55, 0x66};
    ck_assert_int_eq(cmp_crypto_cert_parse(&ci, bs(&P.op_ca)), CMP_OK);
    req_init(&r, CMP_BODY_RR);
    r.prot = PROT_MAC;
    r.rr_issuer = ci.subject;
    r.rr_serial = sp(serial, sizeof(serial));
    build_req(&h->out, &r);
    h->mac = 1;
}

static void h_rr_by_other_holder(hctx_t *h)
{
    req r;
    cmp_buf second = {NULL, 0};
    req cr;
    rsp a;
    enroll(h->srv, &h->cert);
    /* A second certificate, for another key, through cr. */
    req_init(&cr, CMP_BODY_CR);
    as_holder(&cr, &h->cert, P.new_key);
    cr.new_key = P.new_key2;
    exchange(h->srv, &a, &cr);
    confirm(h->srv, &cr, &a);
    second.data = testlib_dup(a.cert.data, a.cert.len);
    second.len = a.cert.len;
    rsp_free(&a);
    /* rr for the first, signed with the second. */
    rr_of(&r, &h->cert, P.new_key2);
    as_holder(&r, &second, P.new_key2);
    build_req(&h->out, &r);
    free(second.data);
}

static void h_rr_foreign_issuer(hctx_t *h)
{
    req r;
    cmp_cert_info ci;
    ck_assert_int_eq(cmp_crypto_cert_parse(&ci, bs(&P.device)), CMP_OK);
    req_init(&r, CMP_BODY_RR);
    r.prot = PROT_MAC;
    r.rr_issuer = ci.issuer;
    r.rr_serial = ci.serial;
    build_req(&h->out, &r);
    h->mac = 1;
}

static void h_genm_replay(hctx_t *h)
{
    req g;
    rsp a;
    req_init(&g, CMP_BODY_GENM);
    exchange(h->srv, &a, &g);
    ck_assert_int_eq(a.body, CMP_BODY_GENP);
    rsp_free(&a);
    /* Not a retransmission (those get the same answer): a new nonce. */
    ck_assert_int_eq(cmp_crypto_random(P.c, g.nonce, 16), CMP_OK);
    build_req(&h->out, &g);
}

static void h_error_unknown_txn(hctx_t *h)
{
    req e;
    req_init(&e, CMP_BODY_ERROR);
    build_req(&h->out, &e);
}

static void poll_one(cmp_server_config *cfg)
{
    cfg->poll_count = 1;
}

static void srv_ref_unset(cmp_server_config *cfg)
{
    cfg->srv_ref = sp(NULL, 0);
    cfg->srv_secret = sp(NULL, 0);
}

static void h_mac_no_secret(hctx_t *h)
{
    req r;
    fresh_ir(&r);
    r.prot = PROT_MAC;
    build_req(&h->out, &r);
}

#define ERR CMP_BODY_ERROR
static const hostile HOSTILE[] = {
    {"untrusted signer", NULL, h_untrusted_signer, ERR, CMP_FI_SIGNER_NOT_TRUSTED},
    {"MAC with a wrong secret", NULL, h_mac_wrong_secret, ERR, CMP_FI_BAD_MESSAGE_CHECK},
    {"MAC with an unknown reference", NULL, h_mac_unknown_ref, ERR, CMP_FI_WRONG_INTEGRITY},
    {"MAC without a configured secret", srv_ref_unset, h_mac_no_secret, ERR,
     CMP_FI_WRONG_INTEGRITY},
    {"MAC iteration count too high", NULL, h_mac_iterations, ERR, CMP_FI_BAD_ALG},
    {"bad signature", NULL, h_bad_signature, ERR, CMP_FI_BAD_MESSAGE_CHECK},
    {"unprotected request", NULL, h_unprotected, ERR, CMP_FI_BAD_MESSAGE_CHECK},
    {"pvno 1", NULL, h_pvno_1, ERR, CMP_FI_UNSUPPORTED_VERSION},
    {"pvno 9", NULL, h_pvno_9, ERR, CMP_FI_UNSUPPORTED_VERSION},
    {"no senderNonce", NULL, h_no_sender_nonce, ERR, CMP_FI_BAD_SENDER_NONCE},
    {"short senderNonce", NULL, h_short_sender_nonce, ERR, CMP_FI_BAD_SENDER_NONCE},
    {"no transactionID", NULL, h_no_tid, ERR, CMP_FI_BAD_REQUEST},
    {"short transactionID", NULL, h_short_tid, ERR, CMP_FI_BAD_REQUEST},
    {"truncated", NULL, h_truncated, ERR, CMP_FI_BAD_DATA_FORMAT},
    {"trailing byte", NULL, h_trailing_byte, ERR, CMP_FI_BAD_DATA_FORMAT},
    {"garbage", NULL, h_garbage, ERR, CMP_FI_BAD_DATA_FORMAT},
    {"oversize", NULL, h_oversize, ERR, CMP_FI_BAD_DATA_FORMAT},
    {"empty", NULL, h_empty, ERR, CMP_FI_BAD_DATA_FORMAT},
    {"bad proof of possession", NULL, h_bad_popo, CMP_BODY_IP, CMP_FI_BAD_POP},
    {"raVerified not accepted", NULL, h_raverified, CMP_BODY_IP, CMP_FI_BAD_POP},
    {"no proof of possession", NULL, h_no_popo, CMP_BODY_IP, CMP_FI_BAD_POP},
    {"template without public key", NULL, h_no_public_key, CMP_BODY_IP,
     CMP_FI_BAD_CERT_TEMPLATE},
    {"template without subject", NULL, h_no_subject, CMP_BODY_IP, CMP_FI_BAD_CERT_TEMPLATE},
    {"key type not allowed", NULL, h_key_type, CMP_BODY_IP, CMP_FI_BAD_ALG},
    {"basicConstraints cA requested", NULL, h_ca_true, CMP_BODY_IP, CMP_FI_BAD_CERT_TEMPLATE},
    {"unknown critical extension", NULL, h_unknown_critical, CMP_BODY_IP,
     CMP_FI_BAD_CERT_TEMPLATE},
    {"keyUsage keyCertSign requested", NULL, h_ku_certsign, CMP_BODY_IP,
     CMP_FI_BAD_CERT_TEMPLATE},
    {"wrong certReqId", NULL, h_wrong_cert_req_id, ERR, CMP_FI_BAD_REQUEST},
    {"p10cr with a bad signature", NULL, h_p10cr_bad_sig, CMP_BODY_CP, CMP_FI_BAD_POP},
    {"body is not a request", NULL, h_body_not_request, ERR, CMP_FI_BAD_REQUEST},
    {"transactionID of an active transaction", NULL, h_tid_active, ERR,
     CMP_FI_TRANSACTION_ID_IN_USE},
    {"replayed transactionID", NULL, h_tid_replayed, ERR, CMP_FI_TRANSACTION_ID_IN_USE},
    {"certConf with a wrong hash", NULL, h_certconf_wrong_hash, ERR, CMP_FI_BAD_CERT_ID},
    {"certConf with a wrong recipNonce", NULL, h_certconf_wrong_recip_nonce, ERR,
     CMP_FI_BAD_RECIPIENT_NONCE},
    {"certConf without recipNonce", NULL, h_certconf_no_recip_nonce, ERR,
     CMP_FI_BAD_RECIPIENT_NONCE},
    {"certConf with a wrong certReqId", NULL, h_certconf_wrong_id, ERR, CMP_FI_BAD_REQUEST},
    {"certConf hashAlg not matching the hash", NULL, h_certconf_hashalg_mismatch, ERR,
     CMP_FI_BAD_CERT_ID},
    {"certConf with other protection", NULL, h_certconf_other_protection, ERR,
     CMP_FI_WRONG_INTEGRITY},
    {"certConf for an unknown transaction", NULL, h_certconf_unknown_txn, ERR,
     CMP_FI_BAD_REQUEST},
    {"pollReq for an unknown transaction", NULL, h_pollreq_unknown_txn, ERR, CMP_FI_BAD_REQUEST},
    {"pollReq with a wrong recipNonce", poll_one, h_pollreq_wrong_recip_nonce, ERR,
     CMP_FI_BAD_RECIPIENT_NONCE},
    {"pollReq with a wrong certReqId", poll_one, h_pollreq_wrong_id, ERR, CMP_FI_BAD_REQUEST},
    {"pollReq while a certConf is due", NULL, h_pollreq_while_issued, ERR, CMP_FI_BAD_REQUEST},
    {"kur signed by a foreign certificate", NULL, h_kur_by_vendor_cert, ERR,
     CMP_FI_NOT_AUTHORIZED},
    {"kur with a mismatching oldCertID", NULL, h_kur_old_cert_id_mismatch, ERR,
     CMP_FI_BAD_REQUEST},
    {"cr protected by MAC", NULL, h_cr_with_mac, ERR, CMP_FI_NOT_AUTHORIZED},
    {"rr for an unknown serial", NULL, h_rr_unknown_serial, ERR, CMP_FI_BAD_REQUEST},
    {"rr of a foreign issuer", NULL, h_rr_foreign_issuer, ERR, CMP_FI_BAD_REQUEST},
    {"rr by another holder", NULL, h_rr_by_other_holder, ERR, CMP_FI_NOT_AUTHORIZED},
    {"genm with a replayed transactionID", NULL, h_genm_replay, ERR,
     CMP_FI_TRANSACTION_ID_IN_USE},
    {"error message for an unknown transaction", NULL, h_error_unknown_txn, ERR,
     CMP_FI_BAD_REQUEST},
};
#define NUM_HOSTILE (sizeof(HOSTILE) / sizeof(HOSTILE[0]))

START_TEST(test_server_hostile)
{
    const hostile *t = &HOSTILE[_i];
    hctx_t h;
    rsp a;
    uint8_t before[32], after[32];
    cmp_server_stats s1, s2;

    memset(&h, 0, sizeof(h));
    h.srv = mk_server(NULL, t->tweak);
    t->make(&h);
    ck_assert_int_eq(cmp_server_state_digest(h.srv, before), CMP_OK);
    ck_assert_int_eq(cmp_server_get_stats(h.srv, &s1), CMP_OK);
    exchange_bytes(h.srv, &a, bs(&h.out), h.mac);
    ck_assert_msg(a.body == t->body, "%s: body %s, expected %s", t->name,
                  cmp_body_name(a.body), cmp_body_name(t->body));
    ck_assert_msg(a.status == CMP_STATUS_REJECTION, "%s: status %d", t->name, a.status);
    ck_assert_msg(a.fail_info == (1u << t->bit), "%s: failInfo 0x%x, expected bit %d (%s)",
                  t->name, a.fail_info, t->bit, cmp_failinfo_name(t->bit));
    ck_assert_int_eq(cmp_server_state_digest(h.srv, after), CMP_OK);
    ck_assert_int_eq(cmp_server_get_stats(h.srv, &s2), CMP_OK);
    ck_assert_msg(memcmp(before, after, 32) == 0, "%s: the state changed", t->name);
    ck_assert_uint_eq(s1.transactions, s2.transactions);
    ck_assert_uint_eq(s1.certs, s2.certs);
    ck_assert_uint_eq(s1.serial, s2.serial);
    rsp_free(&a);
    rsp_free(&h.prev);
    free(h.out.data);
    free(h.cert.data);
    cmp_server_free(h.srv);
}
END_TEST

/* ---- configured answers ------------------------------------------------------------- */

static void reject_all(cmp_server_config *cfg)
{
    cfg->pkistatus = CMP_STATUS_REJECTION;
    cfg->fail_info = 1u << CMP_FI_NOT_AUTHORIZED;
    cfg->status_text = "not today";
}

START_TEST(test_server_policy_reject)
{
    cmp_server *srv = mk_server(NULL, reject_all);
    cmp_server_stats st;
    req r;
    rsp a;

    req_init(&r, CMP_BODY_IR);
    exchange(srv, &a, &r);
    ck_assert_int_eq(a.body, CMP_BODY_IP);
    ck_assert_int_eq(a.status, CMP_STATUS_REJECTION);
    ck_assert_uint_eq(a.fail_info, 1u << CMP_FI_NOT_AUTHORIZED);
    ck_assert_uint_eq(a.cert.len, 0);
    ck_assert_int_eq(cmp_server_get_stats(srv, &st), CMP_OK);
    ck_assert_uint_eq(st.certs, 0);
    ck_assert_uint_eq(st.active, 0);
    rsp_free(&a);
    cmp_server_free(srv);
}
END_TEST

static void send_error(cmp_server_config *cfg)
{
    cfg->send_error = 1;
    cfg->fail_info = 1u << CMP_FI_SYSTEM_UNAVAIL;
}

START_TEST(test_server_send_error)
{
    cmp_server *srv = mk_server(NULL, send_error);
    req r;
    rsp a;

    req_init(&r, CMP_BODY_IR);
    exchange(srv, &a, &r);
    ck_assert_int_eq(a.body, CMP_BODY_ERROR);
    ck_assert_uint_eq(a.fail_info, 1u << CMP_FI_SYSTEM_UNAVAIL);
    rsp_free(&a);
    cmp_server_free(srv);
}
END_TEST

static void accept_unprotected(cmp_server_config *cfg)
{
    cfg->accept_unprotected = 1;
    cfg->accept_raverified = 1;
}

START_TEST(test_server_accept_unprotected_raverified)
{
    cmp_server *srv = mk_server(NULL, accept_unprotected);
    req r;
    rsp a;

    req_init(&r, CMP_BODY_IR);
    r.prot = PROT_NONE;
    r.popo = POPO_RAVERIFIED;
    exchange(srv, &a, &r);
    ck_assert_int_eq(a.status, CMP_STATUS_ACCEPTED);
    confirm(srv, &r, &a);
    rsp_free(&a);
    cmp_server_free(srv);
}
END_TEST

/* Every cmp_err that the server may answer with maps to one failInfo bit. */
START_TEST(test_server_config_errors)
{
    cmp_server_config cfg;
    cmp_server *srv = NULL;

    cmp_server_config_init(&cfg);
    ck_assert_int_eq(cmp_server_new(&srv, &cfg), CMP_ERR_CONFIG);
    cfg.ca_cert = bs(&P.op_ca);
    cfg.ca_key = bs(&P.srv_key); /* not the CA's key */
    cfg.clock = test_clock;
    ck_assert_int_eq(cmp_server_new(&srv, &cfg), CMP_ERR_CONFIG);
    ck_assert_ptr_null(srv);
}
END_TEST

/* ---- profiles (RFC 9483 section 3.3), approval, messageTime -------------------------- */

#define DAY 86400

static cmp_server_profile_cfg PROFS[3];

/* The default profile (365 days, no EKU) and three named ones. */
static void with_profiles(cmp_server_config *cfg)
{
    cmp_server_profile_cfg_init(&PROFS[0]);
    PROFS[0].label = "tls";
    PROFS[0].profile.validity = 30 * DAY;
    PROFS[0].profile.ext_key_usage = CMP_EKU_SERVER_AUTH | CMP_EKU_CLIENT_AUTH;
    PROFS[0].profile.key_usage = CMP_KU_DIGITAL_SIGNATURE | CMP_KU_KEY_ENCIPHERMENT;
    cmp_server_profile_cfg_init(&PROFS[1]);
    PROFS[1].label = "manual";
    PROFS[1].await_approval = 1;
    PROFS[1].check_after = 9;
    PROFS[1].profile.ext_key_usage = CMP_EKU_CODE_SIGNING;
    cmp_server_profile_cfg_init(&PROFS[2]);
    PROFS[2].label = "slow";
    PROFS[2].poll_count = 1;
    PROFS[2].profile.ext_key_usage = CMP_EKU_TIME_STAMPING;
    cfg->profile.validity = 365 * DAY;
    cfg->profiles = PROFS;
    cfg->num_profiles = 3;
}

static void confirm_path(cmp_server *srv, const char *label, const req *prev, const rsp *a)
{
    req c;
    rsp b;
    cmp_buf h;

    cert_hash(&h, a->cert);
    req_follow(&c, prev, CMP_BODY_CERTCONF, a->nonce);
    c.cert_hash = bs(&h);
    c.cert_req_id = a->cert_req_id;
    exchange_path(srv, &b, label, &c);
    ck_assert_int_eq(b.body, CMP_BODY_PKICONF);
    rsp_free(&b);
    free(h.data);
}

/* Asserts the EKU bits (0: no extension) and the validity of |cert|. */
static void check_cert_profile(cmp_span cert, uint32_t eku, int64_t validity)
{
    cmp_cert_info ci;

    ck_assert_int_eq(cmp_crypto_cert_parse(&ci, cert), CMP_OK);
    ck_assert_uint_eq(ci.ext_key_usage, eku);
    ck_assert_uint_eq((ci.exts & CMP_EXT_EXT_KEY_USAGE) != 0, eku != 0);
    ck_assert_int_eq(ci.not_after - ci.not_before, validity);
}

static void digest(cmp_server *srv, uint8_t out[32])
{
    ck_assert_int_eq(cmp_server_state_digest(srv, out), CMP_OK);
}

/* A request under /.well-known/cmp/p/tls gets that profile's EKU, keyUsage
 * and validity; the default path and the label "" get the default's. */
START_TEST(test_server_profile_issue)
{
    cmp_server *srv = mk_server(NULL, with_profiles);
    cmp_cert_info ci;
    req r;
    rsp a;

    req_init(&r, CMP_BODY_IR);
    exchange_path(srv, &a, "tls", &r);
    ck_assert_int_eq(a.body, CMP_BODY_IP);
    ck_assert_int_eq(a.status, CMP_STATUS_ACCEPTED);
    check_issued(a.cert, r.new_key);
    check_cert_profile(a.cert, CMP_EKU_SERVER_AUTH | CMP_EKU_CLIENT_AUTH, 30 * DAY);
    ck_assert_int_eq(cmp_crypto_cert_parse(&ci, a.cert), CMP_OK);
    ck_assert_uint_eq(ci.key_usage, CMP_KU_DIGITAL_SIGNATURE | CMP_KU_KEY_ENCIPHERMENT);
    confirm_path(srv, "tls", &r, &a);
    rsp_free(&a);

    req_init(&r, CMP_BODY_IR);
    exchange(srv, &a, &r);
    ck_assert_int_eq(a.status, CMP_STATUS_ACCEPTED);
    check_cert_profile(a.cert, 0, 365 * DAY);
    confirm(srv, &r, &a);
    rsp_free(&a);

    req_init(&r, CMP_BODY_P10CR);
    exchange_path(srv, &a, "", &r);
    ck_assert_int_eq(a.status, CMP_STATUS_ACCEPTED);
    check_cert_profile(a.cert, 0, 365 * DAY);
    confirm_path(srv, "", &r, &a);
    ck_assert_uint_eq(stat_confirmed(srv), 3);
    rsp_free(&a);
    cmp_server_free(srv);
}
END_TEST

/* An HTTP request for a path through cmp_server_http_handler. */
static int http_post(cmp_server *srv, rsp *a, const char *path, const req *r)
{
    cmp_buf in = {NULL, 0};
    uint8_t *out = NULL;
    size_t out_len = 0;
    int status = 200;

    build_req(&in, r);
    memset(a, 0, sizeof(*a));
    ck_assert_int_eq(cmp_server_http_handler(srv, path, in.data, in.len, &out, &out_len, &status),
                     CMP_OK);
    if (status == 200) {
        cmp_certrep_entry e;
        ck_assert_int_eq(cmp_msg_decode(&a->m, out, out_len, NULL, NULL), CMP_OK);
        a->body = cmp_msg_body_type(a->m);
        if (cmp_msg_num_responses(a->m) == 1 && cmp_msg_response(a->m, 0, &e) == CMP_OK) {
            a->status = e.status.status;
            a->cert = e.cert;
        }
    } else {
        ck_assert_ptr_null(out);
        ck_assert_uint_eq(out_len, 0);
    }
    cmp_free(out);
    cmp_buf_cleanup(&in);
    return status;
}

/* RFC 6712bis section 3.4: the label after /p/ selects the profile; an
 * unknown one is HTTP 404 and changes nothing. */
START_TEST(test_server_profile_unknown)
{
    static const char *const bad[] = {"/.well-known/cmp/p/nope", "/.well-known/cmp/p/",
                                      "/.well-known/cmp/p/tl", "/.well-known/cmp/p/tlsx/ir",
                                      "/.well-known/cmp/p//tls"};
    cmp_server *srv = mk_server(NULL, with_profiles);
    cmp_buf in = {NULL, 0}, out = {NULL, 0};
    uint8_t d1[32], d2[32];
    cmp_server_stats st;
    size_t i;
    req r;
    rsp a;

    req_init(&r, CMP_BODY_IR);
    digest(srv, d1);
    build_req(&in, &r);
    ck_assert_int_eq(cmp_server_handle_path(srv, &out, "nope", in.data, in.len),
                     CMP_ERR_UNKNOWN_PROFILE);
    ck_assert_ptr_null(out.data);
    ck_assert_uint_eq(out.len, 0);
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        ck_assert_msg(http_post(srv, &a, bad[i], &r) == 404, "%s: not 404", bad[i]);
    }
    digest(srv, d2);
    ck_assert(memcmp(d1, d2, 32) == 0);
    ck_assert_int_eq(cmp_server_get_stats(srv, &st), CMP_OK);
    ck_assert_uint_eq(st.transactions, 0);
    ck_assert_uint_eq(st.serial, 0);

    /* The known label, with and without an operation label after it. */
    ck_assert_int_eq(http_post(srv, &a, "/.well-known/cmp/p/tls", &r), 200);
    ck_assert_int_eq(a.body, CMP_BODY_IP);
    ck_assert_int_eq(a.status, CMP_STATUS_ACCEPTED);
    check_cert_profile(a.cert, CMP_EKU_SERVER_AUTH | CMP_EKU_CLIENT_AUTH, 30 * DAY);
    rsp_free(&a);
    req_init(&r, CMP_BODY_IR);
    ck_assert_int_eq(http_post(srv, &a, "/.well-known/cmp/p/slow/ir", &r), 200);
    ck_assert_int_eq(a.status, CMP_STATUS_WAITING);
    rsp_free(&a);
    req_init(&r, CMP_BODY_IR);
    ck_assert_int_eq(http_post(srv, &a, "/.well-known/cmp", &r), 200);
    ck_assert_int_eq(a.status, CMP_STATUS_ACCEPTED);
    check_cert_profile(a.cert, 0, 365 * DAY);
    rsp_free(&a);
    cmp_buf_cleanup(&in);
    cmp_server_free(srv);
}
END_TEST

/* Sends |r| under |label| and expects a refusal with |bit| that leaves the
 * state digest unchanged. */
static void expect_refused(cmp_server *srv, const char *label, const req *r, int bit)
{
    uint8_t d1[32], d2[32];
    rsp a;

    digest(srv, d1);
    exchange_path(srv, &a, label, r);
    ck_assert_int_eq(a.body, CMP_BODY_ERROR);
    ck_assert_int_eq(a.status, CMP_STATUS_REJECTION);
    ck_assert_uint_eq(a.fail_info, 1u << bit);
    digest(srv, d2);
    ck_assert_msg(memcmp(d1, d2, 32) == 0, "the refused request changed the state");
    rsp_free(&a);
}

/* A transaction stays with the profile it was started under: certConf or
 * pollReq under another path is refused (badRequest) and changes nothing;
 * the right path then goes on. */
START_TEST(test_server_profile_wrong_path)
{
    cmp_server *srv = mk_server(NULL, with_profiles);
    req r, c, p;
    rsp a, b;
    cmp_buf h;

    req_init(&r, CMP_BODY_IR);
    exchange_path(srv, &a, "tls", &r);
    ck_assert_int_eq(a.status, CMP_STATUS_ACCEPTED);
    cert_hash(&h, a.cert);
    req_follow(&c, &r, CMP_BODY_CERTCONF, a.nonce);
    c.cert_hash = bs(&h);
    c.cert_req_id = a.cert_req_id;
    expect_refused(srv, NULL, &c, CMP_FI_BAD_REQUEST);
    expect_refused(srv, "manual", &c, CMP_FI_BAD_REQUEST);
    confirm_path(srv, "tls", &r, &a);
    ck_assert_uint_eq(stat_confirmed(srv), 1);
    free(h.data);
    /* A new transaction reusing the transactionID under another path. */
    req_follow(&c, &r, CMP_BODY_IR, sp(NULL, 0));
    expect_refused(srv, "slow", &c, CMP_FI_TRANSACTION_ID_IN_USE);
    rsp_free(&a);
    /* The very request, byte for byte, under another path: not a
     * retransmission there. */
    {
        cmp_buf in = {NULL, 0}, out = {NULL, 0};
        uint8_t d1[32], d2[32];
        req_init(&r, CMP_BODY_IR);
        build_req(&in, &r);
        ck_assert_int_eq(cmp_server_handle_path(srv, &out, "tls", in.data, in.len), CMP_OK);
        cmp_buf_cleanup(&out);
        digest(srv, d1);
        exchange_path_bytes(srv, &a, NULL, bs(&in), 0);
        ck_assert_int_eq(a.body, CMP_BODY_ERROR);
        ck_assert_uint_eq(a.fail_info, 1u << CMP_FI_TRANSACTION_ID_IN_USE);
        digest(srv, d2);
        ck_assert(memcmp(d1, d2, 32) == 0);
        rsp_free(&a);
        cmp_buf_cleanup(&in);
    }

    /* Polling under the wrong path, then the right one. */
    req_init(&r, CMP_BODY_IR);
    exchange_path(srv, &a, "slow", &r);
    ck_assert_int_eq(a.status, CMP_STATUS_WAITING);
    req_follow(&p, &r, CMP_BODY_POLLREQ, a.nonce);
    expect_refused(srv, "tls", &p, CMP_FI_BAD_REQUEST);
    expect_refused(srv, NULL, &p, CMP_FI_BAD_REQUEST);
    exchange_path(srv, &b, "slow", &p);
    ck_assert_int_eq(b.body, CMP_BODY_POLLREP);
    rsp_free(&a);
    req_follow(&p, &r, CMP_BODY_POLLREQ, b.nonce);
    exchange_path(srv, &a, "slow", &p);
    ck_assert_int_eq(a.body, CMP_BODY_IP);
    ck_assert_int_eq(a.status, CMP_STATUS_ACCEPTED);
    check_cert_profile(a.cert, CMP_EKU_TIME_STAMPING, 365 * DAY);
    confirm_path(srv, "slow", &r, &a);
    rsp_free(&a);
    rsp_free(&b);
    cmp_server_free(srv);
}
END_TEST

static char g_seen_profile[CMP_SERVER_MAX_LABEL + 1];
static char g_event_profile[CMP_SERVER_MAX_LABEL + 1];

static cmp_err record_profile(void *arg, cmp_server_decision *out, const cmp_server_request *q)
{
    (void)arg;
    ck_assert_ptr_nonnull(q->profile);
    snprintf(g_seen_profile, sizeof(g_seen_profile), "%s", q->profile);
    memset(out, 0, sizeof(*out));
    out->action = CMP_SERVER_ACCEPT;
    return CMP_OK;
}

static void record_event(void *arg, const cmp_server_event *ev)
{
    (void)arg;
    ck_assert_ptr_nonnull(ev->profile);
    snprintf(g_event_profile, sizeof(g_event_profile), "%s", ev->profile);
}

static void profiles_recording(cmp_server_config *cfg)
{
    with_profiles(cfg);
    cfg->policy = record_profile;
    cfg->on_message = record_event;
}

/* The policy callback and the message event name the request's profile. */
START_TEST(test_server_profile_policy_label)
{
    cmp_server *srv = mk_server(NULL, profiles_recording);
    req r;
    rsp a;

    strcpy(g_seen_profile, "?");
    req_init(&r, CMP_BODY_IR);
    exchange_path(srv, &a, "manual", &r);
    ck_assert_int_eq(a.status, CMP_STATUS_ACCEPTED); /* the callback decides */
    ck_assert_str_eq(g_seen_profile, "manual");
    ck_assert_str_eq(g_event_profile, "manual");
    rsp_free(&a);
    req_init(&r, CMP_BODY_IR);
    exchange(srv, &a, &r);
    ck_assert_str_eq(g_seen_profile, "");
    ck_assert_str_eq(g_event_profile, "");
    rsp_free(&a);
    cmp_server_free(srv);
}
END_TEST

typedef struct pending_list {
    size_t num;
    uint8_t tid[32];
    size_t tid_len;
    char profile[CMP_SERVER_MAX_LABEL + 1];
    int body;
    cmp_buf subject;
    int64_t created;
} pending_list;

static void on_pending(void *arg, const cmp_server_pending *p)
{
    pending_list *l = arg;

    l->num++;
    ck_assert_uint_le(p->transaction_id.len, sizeof(l->tid));
    memcpy(l->tid, p->transaction_id.data, p->transaction_id.len);
    l->tid_len = p->transaction_id.len;
    snprintf(l->profile, sizeof(l->profile), "%s", p->profile);
    l->body = p->body_type;
    free(l->subject.data);
    l->subject.data = testlib_dup(p->subject.data, p->subject.len);
    l->subject.len = p->subject.len;
    l->created = p->created;
}

static void state_db(char dir[32], char db[64])
{
    strcpy(dir, "/tmp/cmpstack-server-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(db, 64, "%s/state.db", dir);
}

/* -await_approval: waiting, pollRep meanwhile; the decision comes through
 * the administration API on its own connection to the database file, as
 * from another process; the next pollReq gets the certificate. */
START_TEST(test_server_admin_approve)
{
    char dir[32], db[64];
    cmp_server *srv;
    cmp_server_admin *adm = NULL;
    cmp_pollrep_entry pe;
    pending_list l;
    cmp_buf name = {NULL, 0};
    uint8_t other[16] = {1, 2, 3};
    req r, p;
    rsp a, b;

    memset(&l, 0, sizeof(l));
    state_db(dir, db);
    srv = mk_server(db, with_profiles);
    req_init(&r, CMP_BODY_IR);
    r.subject = "/O=Operator/CN=Device 0042";
    exchange_path(srv, &a, "manual", &r);
    ck_assert_int_eq(a.body, CMP_BODY_IP);
    ck_assert_int_eq(a.status, CMP_STATUS_WAITING);
    req_follow(&p, &r, CMP_BODY_POLLREQ, a.nonce);
    exchange_path(srv, &b, "manual", &p);
    ck_assert_int_eq(b.body, CMP_BODY_POLLREP);
    ck_assert_int_eq(cmp_msg_pollrep(b.m, 0, &pe), CMP_OK);
    ck_assert_int_eq(pe.check_after, 9);
    rsp_free(&a);

    ck_assert_int_eq(cmp_server_admin_open(&adm, db), CMP_OK);
    ck_assert_int_eq(cmp_server_admin_pending(adm, on_pending, &l), CMP_OK);
    ck_assert_uint_eq(l.num, 1);
    ck_assert(l.tid_len == r.tid_len && memcmp(l.tid, r.tid, r.tid_len) == 0);
    ck_assert_str_eq(l.profile, "manual");
    ck_assert_int_eq(l.body, CMP_BODY_IR);
    ck_assert_int_eq(l.created, NOW);
    ck_assert_int_eq(cmp_name_from_string(&name, "/O=Operator/CN=Device 0042"), CMP_OK);
    ck_assert(l.subject.len == name.len && memcmp(l.subject.data, name.data, name.len) == 0);
    /* Unknown transactions cannot be decided. */
    ck_assert_int_eq(cmp_server_admin_decide(adm, sp(other, sizeof(other)), 1, 0),
                     CMP_ERR_UNKNOWN_TRANSACTION);
    ck_assert_int_eq(cmp_server_admin_decide(adm, sp(r.tid, r.tid_len), 1, 0), CMP_OK);
    ck_assert_int_eq(cmp_server_admin_decide(adm, sp(r.tid, r.tid_len), 0, 0),
                     CMP_ERR_UNKNOWN_TRANSACTION);
    l.num = 0;
    ck_assert_int_eq(cmp_server_admin_pending(adm, on_pending, &l), CMP_OK);
    ck_assert_uint_eq(l.num, 0);

    /* The running server reads the decision at the next pollReq. */
    req_follow(&p, &r, CMP_BODY_POLLREQ, b.nonce);
    exchange_path(srv, &a, "manual", &p);
    ck_assert_int_eq(a.body, CMP_BODY_IP);
    ck_assert_int_eq(a.status, CMP_STATUS_ACCEPTED);
    check_issued(a.cert, r.new_key);
    check_cert_profile(a.cert, CMP_EKU_CODE_SIGNING, 365 * DAY);
    confirm_path(srv, "manual", &r, &a);
    ck_assert_int_eq(cmp_server_admin_decide(adm, sp(r.tid, r.tid_len), 1, 0),
                     CMP_ERR_UNKNOWN_TRANSACTION);
    /* A transaction that polls a count down does not wait for approval. */
    rsp_free(&a);
    req_init(&r, CMP_BODY_IR);
    exchange_path(srv, &a, "slow", &r);
    ck_assert_int_eq(a.status, CMP_STATUS_WAITING);
    ck_assert_int_eq(cmp_server_admin_decide(adm, sp(r.tid, r.tid_len), 1, 0),
                     CMP_ERR_UNKNOWN_TRANSACTION);
    cmp_server_admin_close(adm);
    rsp_free(&a);
    rsp_free(&b);
    cmp_buf_cleanup(&name);
    free(l.subject.data);
    cmp_server_free(srv);
    rm_state(dir);
}
END_TEST

/* A rejection decided while the server is stopped, and an approval through
 * a second server handle on the same file, both survive a restart. */
START_TEST(test_server_admin_reject_restart)
{
    char dir[32], db[64];
    cmp_server *srv, *srv2;
    cmp_server_admin *adm = NULL;
    const uint32_t bits = (1u << CMP_FI_NOT_AUTHORIZED) | (1u << CMP_FI_BAD_CERT_TEMPLATE);
    req r, r2, p;
    rsp a, a2, b;

    state_db(dir, db);
    srv = mk_server(db, with_profiles);
    req_init(&r, CMP_BODY_IR);
    exchange_path(srv, &a, "manual", &r);
    ck_assert_int_eq(a.status, CMP_STATUS_WAITING);
    req_init(&r2, CMP_BODY_IR);
    exchange_path(srv, &a2, "manual", &r2);
    ck_assert_int_eq(a2.status, CMP_STATUS_WAITING);
    /* Approve the second through another server handle while the first
     * runs; reject the first with the server stopped. */
    srv2 = mk_server(db, with_profiles);
    ck_assert_int_eq(cmp_server_approve(srv2, sp(r2.tid, r2.tid_len), 1, 0), CMP_OK);
    cmp_server_free(srv2);
    cmp_server_free(srv);
    ck_assert_int_eq(cmp_server_admin_open(&adm, db), CMP_OK);
    ck_assert_int_eq(cmp_server_admin_decide(adm, sp(r.tid, r.tid_len), 0, bits), CMP_OK);
    cmp_server_admin_close(adm);

    srv = mk_server(db, with_profiles);
    req_follow(&p, &r, CMP_BODY_POLLREQ, a.nonce);
    exchange_path(srv, &b, "manual", &p);
    ck_assert_int_eq(b.body, CMP_BODY_IP);
    ck_assert_int_eq(b.status, CMP_STATUS_REJECTION);
    ck_assert_uint_eq(b.fail_info, bits);
    ck_assert_uint_eq(b.cert.len, 0);
    rsp_free(&b);
    req_follow(&p, &r2, CMP_BODY_POLLREQ, a2.nonce);
    exchange_path(srv, &b, "manual", &p);
    ck_assert_int_eq(b.body, CMP_BODY_IP);
    ck_assert_int_eq(b.status, CMP_STATUS_ACCEPTED);
    check_issued(b.cert, r2.new_key);
    confirm_path(srv, "manual", &r2, &b);
    ck_assert_uint_eq(stat_confirmed(srv), 1);
    rsp_free(&a);
    rsp_free(&a2);
    rsp_free(&b);
    cmp_server_free(srv);
    rm_state(dir);
}
END_TEST

/* Runs |sql| on the database file |db|. */
static void run_sql(const char *db, const char *sql)
{
    sqlite3 *h = NULL;
    char *msg = NULL;

    ck_assert_int_eq(sqlite3_open(db, &h), SQLITE_OK);
    ck_assert_msg(sqlite3_exec(h, sql, NULL, NULL, &msg) == SQLITE_OK, "%s: %s", sql,
                  msg ? msg : "");
    sqlite3_close(h);
}

/* The first (version 0) schema, as released before profiles. */
static const char SCHEMA_V0[] =
    "CREATE TABLE txn("
    " tid BLOB PRIMARY KEY, state INTEGER NOT NULL, body INTEGER NOT NULL,"
    " pvno INTEGER NOT NULL, prot INTEGER NOT NULL, mac_ref BLOB, mac_alg BLOB,"
    " our_nonce BLOB NOT NULL, cert_req_id INTEGER NOT NULL, implicit INTEGER NOT NULL,"
    " polls_left INTEGER NOT NULL, approval INTEGER NOT NULL, fail_info INTEGER NOT NULL,"
    " req BLOB, cert BLOB, serial BLOB, updated INTEGER NOT NULL,"
    " last_req BLOB, last_rsp BLOB, last_rsp_body INTEGER NOT NULL DEFAULT -1);"
    "CREATE INDEX txn_active ON txn(state, updated);"
    "CREATE TABLE cert(serial BLOB PRIMARY KEY, der BLOB NOT NULL, tid BLOB,"
    " status INTEGER NOT NULL, issued INTEGER NOT NULL);"
    "CREATE TABLE revocation(serial BLOB PRIMARY KEY, reason INTEGER NOT NULL,"
    " time INTEGER NOT NULL);"
    "CREATE TABLE meta(k TEXT PRIMARY KEY, v INTEGER NOT NULL);"
    "INSERT INTO meta(k, v) VALUES('serial', 7);"
    "INSERT INTO txn(tid, state, body, pvno, prot, our_nonce, cert_req_id, implicit,"
    " polls_left, approval, fail_info, updated)"
    " VALUES(x'00112233445566778899aabbccddeeff', 3, 0, 2, 1, x'00', 0, 0, 0, 0, 0, 1);";

/* Schema versions: a version-0 database is migrated (its rows stay and
 * belong to the default profile); a newer one is refused; the
 * administration API never creates a database. */
START_TEST(test_server_schema_version)
{
    char dir[32], db[64];
    cmp_server *srv = NULL;
    cmp_server_admin *adm = NULL;
    cmp_server_config cfg;
    cmp_server_stats st;
    req r;
    rsp a;

    ck_assert_int_eq(cmp_server_admin_open(&adm, NULL), CMP_ERR_ARG);
    ck_assert_int_eq(cmp_server_admin_open(&adm, ":memory:"), CMP_ERR_ARG);
    state_db(dir, db);
    ck_assert_int_eq(cmp_server_admin_open(&adm, db), CMP_ERR_DB);
    ck_assert_ptr_null(adm);
    ck_assert_int_ne(access(db, F_OK), 0);

    run_sql(db, SCHEMA_V0);
    srv = mk_server(db, with_profiles);
    ck_assert_int_eq(cmp_server_get_stats(srv, &st), CMP_OK);
    ck_assert_uint_eq(st.transactions, 1);
    ck_assert_uint_eq(st.serial, 7);
    /* The old row still holds its transactionID. */
    req_init(&r, CMP_BODY_IR);
    memcpy(r.tid, "\x00\x11\x22\x33\x44\x55\x66\x77\x88\x99\xaa\xbb\xcc\xdd\xee\xff", 16);
    exchange(srv, &a, &r);
    ck_assert_int_eq(a.body, CMP_BODY_ERROR);
    ck_assert_uint_eq(a.fail_info, 1u << CMP_FI_TRANSACTION_ID_IN_USE);
    rsp_free(&a);
    req_init(&r, CMP_BODY_IR);
    exchange_path(srv, &a, "tls", &r);
    ck_assert_int_eq(a.status, CMP_STATUS_ACCEPTED);
    rsp_free(&a);
    ck_assert_int_eq(cmp_server_get_stats(srv, &st), CMP_OK);
    ck_assert_uint_eq(st.serial, 8);
    cmp_server_free(srv);
    ck_assert_int_eq(cmp_server_admin_open(&adm, db), CMP_OK);
    cmp_server_admin_close(adm);
    adm = NULL;

    /* A database from a later version of the server. */
    run_sql(db, "PRAGMA user_version = 2;");
    srv = NULL;
    cmp_server_config_init(&cfg);
    cfg.state_path = db;
    cfg.ca_cert = bs(&P.op_ca);
    cfg.ca_key = bs(&P.op_ca_key);
    cfg.clock = test_clock;
    cfg.num_slots = 1;
    ck_assert_int_eq(cmp_server_new(&srv, &cfg), CMP_ERR_DB);
    ck_assert_ptr_null(srv);
    ck_assert_int_eq(cmp_server_admin_open(&adm, db), CMP_ERR_DB);
    rm_state(dir);
}
END_TEST

static void skew_60(cmp_server_config *cfg)
{
    cfg->max_skew = 60;
}

/* RFC 9810 section 5.2.3 badTime: with max_skew set, a messageTime more
 * than that far from the clock is refused and changes nothing; within it,
 * or absent, the request goes through. Without max_skew nothing is
 * checked. */
START_TEST(test_server_message_time)
{
    static const int64_t refused[] = {-3600, 3600, -61, 61};
    cmp_server *srv = mk_server(NULL, skew_60);
    cmp_server_stats st;
    cmp_buf h;
    size_t i;
    req r, c;
    rsp a;

    for (i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
        req_init(&r, CMP_BODY_IR);
        r.time_off = refused[i];
        expect_refused(srv, NULL, &r, CMP_FI_BAD_TIME);
    }
    req_init(&r, CMP_BODY_GENM);
    r.time_off = -3600;
    expect_refused(srv, NULL, &r, CMP_FI_BAD_TIME);
    ck_assert_int_eq(cmp_server_get_stats(srv, &st), CMP_OK);
    ck_assert_uint_eq(st.transactions, 0);

    req_init(&r, CMP_BODY_IR);
    r.time_off = 60;
    exchange(srv, &a, &r);
    ck_assert_int_eq(a.status, CMP_STATUS_ACCEPTED);
    /* A follow-up too far off is refused too; within the skew it goes on. */
    cert_hash(&h, a.cert);
    req_follow(&c, &r, CMP_BODY_CERTCONF, a.nonce);
    c.cert_hash = bs(&h);
    c.time_off = -300;
    expect_refused(srv, NULL, &c, CMP_FI_BAD_TIME);
    free(h.data);
    g_now += 30;
    confirm(srv, &r, &a);
    rsp_free(&a);

    req_init(&r, CMP_BODY_IR);
    r.time_off = -60;
    exchange(srv, &a, &r);
    ck_assert_int_eq(a.status, CMP_STATUS_ACCEPTED);
    rsp_free(&a);
    req_init(&r, CMP_BODY_IR);
    r.no_time = 1;
    exchange(srv, &a, &r);
    ck_assert_int_eq(a.status, CMP_STATUS_ACCEPTED);
    rsp_free(&a);
    cmp_server_free(srv);

    srv = mk_server(NULL, NULL);
    req_init(&r, CMP_BODY_IR);
    r.time_off = -30 * DAY;
    exchange(srv, &a, &r);
    ck_assert_int_eq(a.status, CMP_STATUS_ACCEPTED);
    rsp_free(&a);
    cmp_server_free(srv);
}
END_TEST

/* Labels are one unreserved path segment and unique; max_skew >= 0. */
START_TEST(test_server_profile_config_errors)
{
    /* ... and the last one is CMP_SERVER_MAX_LABEL + 1 characters. */
    static const char *const bad[] = {
        "", "a/b", "a b", "%41", "?x",
        "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz0123456789abc"};
    cmp_server_profile_cfg pc[2];
    cmp_server_config cfg;
    cmp_server *srv = NULL;
    size_t i;

    cmp_server_config_init(&cfg);
    cfg.ca_cert = bs(&P.op_ca);
    cfg.ca_key = bs(&P.op_ca_key);
    cfg.clock = test_clock;
    cfg.num_slots = 1;
    cmp_server_profile_cfg_init(&pc[0]);
    cmp_server_profile_cfg_init(&pc[1]);
    cfg.profiles = pc;
    cfg.num_profiles = 1;
    pc[0].label = NULL;
    ck_assert_int_eq(cmp_server_new(&srv, &cfg), CMP_ERR_CONFIG);
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        pc[0].label = bad[i];
        ck_assert_msg(cmp_server_new(&srv, &cfg) == CMP_ERR_CONFIG, "label '%s'", bad[i]);
        ck_assert_ptr_null(srv);
    }
    pc[0].label = "A-z.0_9~";
    pc[1].label = "A-z.0_9~";
    cfg.num_profiles = 2;
    ck_assert_int_eq(cmp_server_new(&srv, &cfg), CMP_ERR_CONFIG);
    cfg.profiles = NULL;
    ck_assert_int_eq(cmp_server_new(&srv, &cfg), CMP_ERR_CONFIG);
    cfg.profiles = pc;
    pc[1].label = "b";
    cfg.max_skew = -1;
    ck_assert_int_eq(cmp_server_new(&srv, &cfg), CMP_ERR_CONFIG);
    cfg.max_skew = 0;
    ck_assert_int_eq(cmp_server_new(&srv, &cfg), CMP_OK);
    cmp_server_free(srv);
}
END_TEST

static Suite *cmp_server_suite(void)
{
    Suite *s = suite_create("server");
    TCase *tc = tcase_create("flows");
    TCase *th = tcase_create("hostile");
    TCase *tp = tcase_create("profiles");

    tcase_add_checked_fixture(tc, pki_setup, pki_teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_server_ir_vendor_cert);
    tcase_add_test(tc, test_server_ir_pbm);
    tcase_add_test(tc, test_server_ir_capubs);
    tcase_add_test(tc, test_server_cr);
    tcase_add_test(tc, test_server_kur);
    tcase_add_test(tc, test_server_p10cr);
    tcase_add_test(tc, test_server_polling);
    tcase_add_test(tc, test_server_approval);
    tcase_add_test(tc, test_server_approval_reject);
    tcase_add_test(tc, test_server_implicit_confirm);
    tcase_add_test(tc, test_server_implicit_not_granted);
    tcase_add_test(tc, test_server_certconf_hashalg);
    tcase_add_test(tc, test_server_retransmission);
    tcase_add_test(tc, test_server_certconf_reject_revokes);
    tcase_add_test(tc, test_server_genm);
    tcase_add_test(tc, test_server_rr);
    tcase_add_test(tc, test_server_restart);
    tcase_add_test(tc, test_server_expiry);
    tcase_add_test(tc, test_server_policy_reject);
    tcase_add_test(tc, test_server_send_error);
    tcase_add_test(tc, test_server_accept_unprotected_raverified);
    tcase_add_test(tc, test_server_config_errors);
    suite_add_tcase(s, tc);
    tcase_add_checked_fixture(th, pki_setup, pki_teardown);
    tcase_set_timeout(th, 60);
    tcase_add_loop_test(th, test_server_hostile, 0, (int)NUM_HOSTILE);
    suite_add_tcase(s, th);
    tcase_add_checked_fixture(tp, pki_setup, pki_teardown);
    tcase_set_timeout(tp, 60);
    tcase_add_test(tp, test_server_profile_issue);
    tcase_add_test(tp, test_server_profile_unknown);
    tcase_add_test(tp, test_server_profile_wrong_path);
    tcase_add_test(tp, test_server_profile_policy_label);
    tcase_add_test(tp, test_server_admin_approve);
    tcase_add_test(tp, test_server_admin_reject_restart);
    tcase_add_test(tp, test_server_schema_version);
    tcase_add_test(tp, test_server_message_time);
    tcase_add_test(tp, test_server_profile_config_errors);
    suite_add_tcase(s, tp);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(cmp_server_suite());
    int failed;

    srunner_run_all(sr, CK_ENV);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
