/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tests/unit/check_client.c: the end entity (stack/client*.c, stack/prot.c)
 * driven over the in-memory transport by a tiny scripted CA in this file.
 * The fake CA decodes each request with the message layer, answers with the
 * builders and prot.c, and can break one response in a chosen way; each
 * hostile case asserts the exact cmp_err.
 *
 * Test PKI: tests/data/pki/client/ (made by tests/data/pki/make.sh).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client_int.h"
#include "cmp/client.h"
#include "cmp/mem.h"
#include "cmp/msg.h"
#include "cmp/oid.h"
#include "cmp/transport.h"
#include "cmp_crypto.h"
#include "prot_int.h"
#include "testlib.h"

/* Inside the validity of every certificate of the test PKI. */
#define T0 1830000000

/* ---- the test PKI ------------------------------------------------------- */

typedef struct blob {
    uint8_t *d;
    size_t n;
} blob;

static cmp_crypto *cr;
static blob vendor_root, vendor_ca, supplier, supplier_key, op_root, op_ca, op_ca_key, server,
    server_key, other, device_key, device_csr;
static cmp_key *k_server, *k_supplier, *k_op_ca, *k_device;

static blob load(const char *name)
{
    char rel[256];
    blob b;

    snprintf(rel, sizeof(rel), "pki/client/%s", name);
    b.d = testlib_load(testlib_path(rel), &b.n);
    ck_assert_msg(b.d != NULL, "cannot load %s (run tests/data/pki/make.sh)", rel);
    return b;
}

static cmp_span S(blob b)
{
    cmp_span s;
    s.data = b.d;
    s.len = b.n;
    return s;
}

static cmp_span SB(const cmp_buf *b)
{
    cmp_span s;
    s.data = b->data;
    s.len = b->len;
    return s;
}

static cmp_key *key_of(blob b)
{
    cmp_key *k = NULL;
    cmp_span nopass = {NULL, 0};
    ck_assert_int_eq(cmp_crypto_key_load(cr, &k, S(b), nopass), CMP_OK);
    return k;
}

static void pki_setup(void)
{
    ck_assert_int_eq(cmp_crypto_wolfssl_new(&cr), CMP_OK);
    vendor_root = load("vendor-root.crt.der");
    vendor_ca = load("vendor-ca.crt.der");
    supplier = load("supplier.crt.der");
    supplier_key = load("supplier.key.der");
    op_root = load("op-root.crt.der");
    op_ca = load("op-ca.crt.der");
    op_ca_key = load("op-ca.key.der");
    server = load("server.crt.der");
    server_key = load("server.key.der");
    other = load("other.crt.der");
    device_key = load("device.key.der");
    device_csr = load("device.csr.der");
    k_server = key_of(server_key);
    k_supplier = key_of(supplier_key);
    k_op_ca = key_of(op_ca_key);
    k_device = key_of(device_key);
}

static void pki_teardown(void)
{
    blob *all[] = {&vendor_root, &vendor_ca, &supplier, &supplier_key, &op_root, &op_ca,
                   &op_ca_key, &server, &server_key, &other, &device_key, &device_csr};
    size_t i;

    cmp_crypto_key_free(cr, k_server);
    cmp_crypto_key_free(cr, k_supplier);
    cmp_crypto_key_free(cr, k_op_ca);
    cmp_crypto_key_free(cr, k_device);
    for (i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
        free(all[i]->d);
        all[i]->d = NULL;
    }
    cmp_crypto_free(cr);
    cr = NULL;
}

/* ---- the fake CA -------------------------------------------------------- */

typedef enum mutation {
    M_NONE = 0,
    M_TID,               /* wrong transactionID */
    M_RECIP_NONCE_STALE, /* recipNonce of an earlier message */
    M_RECIP_NONCE_MISSING,
    M_SENDER_NONCE_MISSING,
    M_SENDER_NONCE_SHORT,
    M_BODY_TYPE,         /* cp instead of ip */
    M_BODY_PKICONF,      /* pkiConf instead of ip */
    M_BAD_SIG,           /* one bit of the signature flipped */
    M_UNTRUSTED_SIGNER,  /* signed by the vendor PKI's certificate */
    M_MAC_WRONG_SECRET,
    M_MAC_NO_SECRET,     /* MAC-protected, the client has no secret */
    M_CERT_OTHER_KEY,    /* a certificate for another key */
    M_CERT_UNTRUSTED,    /* certificate issued by the vendor CA */
    M_CERTREQID,         /* certReqId 5 */
    M_TWO_RESPONSES,
    M_PVNO1,
    M_TIME_FAR,          /* messageTime a day off */
    M_SENDER_MISMATCH,   /* sender name not the signer's subject */
    M_UNPROTECTED,       /* no protection at all */
    M_OVERSIZE,          /* more than the size limit */
    M_TRUNCATED,         /* last byte missing */
    M_TRAILING,          /* one byte more */
    M_EMPTY,             /* empty body */
    M_GARBAGE,
    M_HTTP_500,          /* HTTP 500 without a CMP body */
    M_TIMEOUT,           /* the transport times out */
    M_NO_CERT,           /* accepted without a certificate */
    M_STATUS_BAD,        /* keyUpdateWarning in ip */
    M_NO_EXTRA_CERTS,    /* signer certificate missing from extraCerts */
    M_WAITING_WITH_CERT, /* status waiting but a certificate */
    M_POLL_ID,           /* pollRep for another certReqId */
    M_CHECK_AFTER_NEG,
    M_PROT_ALG_UNKNOWN,  /* protectionAlg of an unknown OID */
    M_WRONG_RECIPNONCE_IN_PKICONF
} mutation;

typedef struct fake {
    /* script */
    int rsp_status;      /* status of the certificate response */
    uint32_t fail_info;
    int polls;           /* pollRep answers before the certificate */
    int64_t check_after;
    int wait_in_certrep; /* ip with status waiting first */
    int wait_in_error;   /* error with status waiting first */
    int send_error;      /* answer the request with an error message */
    int grant_ic;
    int use_mac;         /* protect with the secret */
    mutation mut;
    int mut_at;          /* response number (0-based) to break, -1 all */
    int tamper_pollrep_loop; /* pollRep forever */
    /* state */
    int n;               /* responses sent */
    int64_t *clock;
    uint8_t last_nonce[CMP_NONCE_LEN];
    uint8_t prev_nonce[CMP_NONCE_LEN];
    cmp_body_type req_types[32];
    int num_req;
    int certconf_rejected;
    uint32_t certconf_fail_info;
    int error_received;
    int64_t pollreq_id;
    int implicit_requested;
    cmp_buf spki;        /* requested key */
    cmp_buf subject;
    size_t hold_len;
} fake;

static cmp_err issue(fake *f, cmp_buf *out, cmp_span spki, int untrusted)
{
    cmp_cert_template t;
    static const uint8_t serial[] = {0x01, 0x23, 0x45};
    cmp_cert_info ci;
    cmp_span none = {NULL, 0};

    memset(&t, 0, sizeof(t));
    ck_assert_int_eq(cmp_crypto_cert_parse(&ci, S(server)), CMP_OK);
    t.subject = f->subject.len > 0 ? SB(&f->subject) : ci.subject;
    t.spki = spki;
    t.serial.data = serial;
    t.serial.len = sizeof(serial);
    t.not_before = T0 - 3600;
    t.not_after = T0 + 86400 * 365;
    t.exts.exts = CMP_EXT_KEY_USAGE;
    t.exts.key_usage = CMP_KU_DIGITAL_SIGNATURE;
    if (untrusted) {
        /* the vendor CA's key is not at hand: a self-signed-by-supplier
         * certificate does not chain to op-root either */
        return cmp_crypto_cert_issue(cr, out, k_supplier, S(supplier), none, &t);
    }
    return cmp_crypto_cert_issue(cr, out, k_op_ca, S(op_ca), none, &t);
}

static int mut(const fake *f, mutation m)
{
    return f->mut == m && (f->mut_at < 0 || f->mut_at == f->n);
}

static void fill_body(fake *f, cmp_msg *rsp, const cmp_msg *req)
{
    cmp_body_type rt = cmp_msg_body_type(req);
    cmp_certrep_entry ce[2];
    cmp_certrep_spec rs;
    cmp_buf cert = {NULL, 0};
    cmp_span ca_pubs[1];

    memset(ce, 0, sizeof(ce));
    memset(&rs, 0, sizeof(rs));
    if (f->send_error || (f->wait_in_error && (rt == CMP_BODY_IR || rt == CMP_BODY_GENM))) {
        cmp_error_info e;
        static const char txt[] = "not now";
        memset(&e, 0, sizeof(e));
        e.status.status = f->send_error ? CMP_STATUS_REJECTION : CMP_STATUS_WAITING;
        e.status.fail_info = f->send_error ? ((uint32_t)1 << CMP_FI_SYSTEM_UNAVAIL) : 0;
        e.status.num_texts = 1;
        e.status.texts[0].data = (const uint8_t *)txt;
        e.status.texts[0].len = strlen(txt);
        e.has_error_code = 1;
        e.error_code = 42;
        f->wait_in_error = 0;
        ck_assert_int_eq(cmp_msg_set_body_error(rsp, &e), CMP_OK);
        return;
    }
    switch (rt) {
    case CMP_BODY_IR:
    case CMP_BODY_CR:
    case CMP_BODY_KUR:
    case CMP_BODY_P10CR:
    case CMP_BODY_POLLREQ: {
        cmp_body_type t = rt == CMP_BODY_IR ? CMP_BODY_IP : rt == CMP_BODY_KUR ? CMP_BODY_KUP
                                                                               : CMP_BODY_CP;
        if (rt == CMP_BODY_POLLREQ) {
            t = f->req_types[0] == CMP_BODY_IR ? CMP_BODY_IP
                : f->req_types[0] == CMP_BODY_KUR ? CMP_BODY_KUP : CMP_BODY_CP;
            if (f->polls > 0 || f->tamper_pollrep_loop) {
                cmp_pollrep_entry pe;
                memset(&pe, 0, sizeof(pe));
                pe.cert_req_id = mut(f, M_POLL_ID) ? 77 : f->pollreq_id;
                pe.check_after = mut(f, M_CHECK_AFTER_NEG) ? -5 : f->check_after;
                f->polls--;
                ck_assert_int_eq(cmp_msg_set_body_pollrep(rsp, &pe, 1), CMP_OK);
                return;
            }
        }
        if (mut(f, M_BODY_TYPE)) {
            t = t == CMP_BODY_IP ? CMP_BODY_CP : CMP_BODY_IP;
        }
        if (mut(f, M_BODY_PKICONF)) {
            ck_assert_int_eq(cmp_msg_set_body_pkiconf(rsp), CMP_OK);
            return;
        }
        ce[0].cert_req_id = f->req_types[0] == CMP_BODY_P10CR ? -1 : 0;
        if (mut(f, M_CERTREQID)) {
            ce[0].cert_req_id = 5;
        }
        if (f->wait_in_certrep && rt != CMP_BODY_POLLREQ) {
            ce[0].status.status = CMP_STATUS_WAITING;
            if (mut(f, M_WAITING_WITH_CERT)) {
                ck_assert_int_eq(issue(f, &cert, SB(&f->spki), 0), CMP_OK);
                ce[0].cert = SB(&cert);
            }
        } else {
            ce[0].status.status = f->rsp_status;
            ce[0].status.fail_info = f->fail_info;
            if (mut(f, M_STATUS_BAD)) {
                ce[0].status.status = CMP_STATUS_KEY_UPDATE_WARNING;
            }
            if (f->rsp_status <= CMP_STATUS_GRANTED_WITH_MODS && !mut(f, M_NO_CERT)) {
                if (mut(f, M_CERT_OTHER_KEY)) {
                    cert.data = testlib_dup(other.d, other.n);
                    cert.len = other.n;
                    /* cmp_buf_cleanup frees through cmp_free, like malloc here */
                } else {
                    ck_assert_int_eq(issue(f, &cert, SB(&f->spki), mut(f, M_CERT_UNTRUSTED)),
                                     CMP_OK);
                }
                ce[0].cert = SB(&cert);
            }
        }
        rs.responses = ce;
        rs.num_responses = 1;
        if (mut(f, M_TWO_RESPONSES)) {
            ce[1] = ce[0];
            ce[1].cert_req_id = 1;
            rs.num_responses = 2;
        }
        ca_pubs[0] = S(op_root);
        rs.ca_pubs = ca_pubs;
        rs.num_ca_pubs = 1;
        ck_assert_int_eq(cmp_msg_set_body_certrep(rsp, t, &rs), CMP_OK);
        cmp_buf_cleanup(&cert);
        return;
    }
    case CMP_BODY_CERTCONF:
    case CMP_BODY_ERROR:
        ck_assert_int_eq(cmp_msg_set_body_pkiconf(rsp), CMP_OK);
        return;
    case CMP_BODY_GENM: {
        cmp_itav it;
        cmp_span oid;
        uint8_t seq[4096];
        size_t n = 0;
        ck_assert_int_eq(cmp_infotype_oid(CMP_IT_CA_CERTS, &oid), CMP_OK);
        ck_assert(op_root.n + op_ca.n + 8 < sizeof(seq));
        seq[n++] = 0x30;
        seq[n++] = 0x82;
        seq[n++] = (uint8_t)((op_root.n + op_ca.n) >> 8);
        seq[n++] = (uint8_t)(op_root.n + op_ca.n);
        memcpy(seq + n, op_ca.d, op_ca.n);
        n += op_ca.n;
        memcpy(seq + n, op_root.d, op_root.n);
        n += op_root.n;
        it.oid = oid;
        it.value.data = seq;
        it.value.len = n;
        ck_assert_int_eq(cmp_msg_set_body_genm(rsp, CMP_BODY_GENP, &it, 1), CMP_OK);
        return;
    }
    case CMP_BODY_RR: {
        cmp_status_info si;
        memset(&si, 0, sizeof(si));
        si.status = f->rsp_status;
        si.fail_info = f->fail_info;
        ck_assert_int_eq(cmp_msg_set_body_rp(rsp, &si, 1), CMP_OK);
        return;
    }
    default:
        ck_abort_msg("fake CA: unexpected request %d", (int)rt);
    }
}

static void note_request(fake *f, const cmp_msg *req)
{
    cmp_body_type t = cmp_msg_body_type(req);
    cmp_certreq cq;
    cmp_certconf_entry cc;

    ck_assert_int_lt(f->num_req, 32);
    f->req_types[f->num_req++] = t;
    if (t == CMP_BODY_IR || t == CMP_BODY_CR || t == CMP_BODY_KUR) {
        ck_assert_int_eq(cmp_msg_certreq(req, 0, &cq), CMP_OK);
        cmp_buf_cleanup(&f->spki);
        f->spki.data = cmp_malloc(cq.public_key.len);
        memcpy(f->spki.data, cq.public_key.data, cq.public_key.len);
        f->spki.len = cq.public_key.len;
        f->implicit_requested = cmp_msg_implicit_confirm(req);
    } else if (t == CMP_BODY_P10CR) {
        cmp_csr_info ci;
        ck_assert_int_eq(cmp_crypto_csr_parse(&ci, cmp_msg_p10cr(req)), CMP_OK);
        cmp_buf_cleanup(&f->spki);
        f->spki.data = cmp_malloc(ci.spki.len);
        memcpy(f->spki.data, ci.spki.data, ci.spki.len);
        f->spki.len = ci.spki.len;
    } else if (t == CMP_BODY_CERTCONF) {
        ck_assert_int_eq(cmp_msg_certconf(req, 0, &cc), CMP_OK);
        if (cc.has_status && cc.status.status == CMP_STATUS_REJECTION) {
            f->certconf_rejected = 1;
            f->certconf_fail_info = cc.status.fail_info;
        }
    } else if (t == CMP_BODY_POLLREQ) {
        ck_assert_int_eq(cmp_msg_pollreq(req, 0, &f->pollreq_id), CMP_OK);
    } else if (t == CMP_BODY_ERROR) {
        f->error_received = 1;
    }
}

/* The allocation-failure test arms the failing allocator for the client
 * only: the fake CA pauses it while it works. */
static long g_fail = -1;

static const char secret_ok[] = "geheim";
static const char secret_bad[] = "falsch";

static cmp_err handler(void *arg, const char *path, const uint8_t *req, size_t req_len,
                       uint8_t **rsp, size_t *rsp_len, int *status)
{
    fake *f = arg;
    cmp_msg *rq = NULL, *m = NULL;
    cmp_hdr_spec hdr;
    cmp_prot_cred cred;
    cmp_prot_hdr ph;
    uint8_t nonce[CMP_NONCE_LEN];
    cmp_buf out = {NULL, 0};
    cmp_buf other_name = {NULL, 0};
    cmp_span chain[2];
    cmp_mac_params mp;

    long used = 0;

    (void)path;
    if (g_fail >= 0) {
        used = testlib_alloc_count();
        testlib_fail_alloc_after(-1);
    }
    ck_assert_int_eq(cmp_msg_decode(&rq, req, req_len, NULL, NULL), CMP_OK);
    note_request(f, rq);
    if (mut(f, M_TIMEOUT) || mut(f, M_HTTP_500)) {
        cmp_msg_free(rq);
        f->n++;
        if (f->mut == M_HTTP_500) {
            *status = 500;
            return CMP_OK;
        }
        return CMP_ERR_TIMEOUT;
    }
    memset(&cred, 0, sizeof(cred));
    memset(&hdr, 0, sizeof(hdr));
    cred.kind = CMP_PROT_SIG;
    cred.key = k_server;
    cred.cert = S(server);
    chain[0] = S(op_ca);
    cred.chain = chain;
    cred.num_chain = 1;
    if (mut(f, M_UNTRUSTED_SIGNER)) {
        cred.key = k_supplier;
        cred.cert = S(supplier);
        chain[0] = S(vendor_ca);
    }
    if (f->use_mac || mut(f, M_MAC_WRONG_SECRET) || mut(f, M_MAC_NO_SECRET)) {
        cred.kind = CMP_PROT_MAC;
        cred.secret.data = (const uint8_t *)(mut(f, M_MAC_WRONG_SECRET) ? secret_bad : secret_ok);
        cred.secret.len = strlen((const char *)cred.secret.data);
        cmp_crypto_mac_params_default(&mp, CMP_MAC_PBM);
        mp.iterations = 1000;
        cred.mac = &mp;
    }
    if (mut(f, M_UNPROTECTED)) {
        cred.kind = CMP_PROT_NONE;
    }
    ck_assert_int_eq(cmp_prot_hdr_make(cr, &ph, &cred), CMP_OK);
    cmp_prot_hdr_apply(&ph, &hdr);
    if (mut(f, M_SENDER_MISMATCH)) {
        ck_assert_int_eq(cmp_name_from_string(&other_name, "/O=Operator/CN=Impostor"), CMP_OK);
        cmp_buf_cleanup(&ph.sender);
        ck_assert_int_eq(cmp_general_name_dn(&ph.sender, SB(&other_name)), CMP_OK);
        hdr.sender = SB(&ph.sender);
    }
    if (mut(f, M_PROT_ALG_UNKNOWN)) {
        static const uint8_t alg[] = {0x30, 0x06, 0x06, 0x04, 0x2a, 0x03, 0x04, 0x05};
        hdr.protection_alg.data = alg;
        hdr.protection_alg.len = sizeof(alg);
    }
    hdr.pvno = CMP_PVNO_2000;
    hdr.recipient = cmp_msg_sender(rq);
    hdr.message_time = *f->clock + (mut(f, M_TIME_FAR) ? 86400 : 0);
    {
        static const uint8_t bad_tid[CMP_TID_LEN] = {1, 2, 3};
        hdr.transaction_id = cmp_msg_transaction_id(rq);
        if (mut(f, M_TID)) {
            hdr.transaction_id.data = bad_tid;
        }
    }
    cmp_crypto_random(cr, nonce, sizeof(nonce));
    hdr.sender_nonce.data = nonce;
    hdr.sender_nonce.len = mut(f, M_SENDER_NONCE_SHORT) ? 8 : sizeof(nonce);
    if (mut(f, M_SENDER_NONCE_MISSING)) {
        hdr.sender_nonce.len = 0;
    }
    memcpy(f->prev_nonce, f->last_nonce, sizeof(nonce));
    ck_assert_uint_eq(cmp_msg_sender_nonce(rq).len, CMP_NONCE_LEN);
    memcpy(f->last_nonce, cmp_msg_sender_nonce(rq).data, CMP_NONCE_LEN);
    hdr.recip_nonce = cmp_msg_sender_nonce(rq);
    if (mut(f, M_RECIP_NONCE_STALE)) {
        hdr.recip_nonce.data = f->prev_nonce;
    }
    if (mut(f, M_RECIP_NONCE_MISSING)) {
        hdr.recip_nonce.len = 0;
    }
    hdr.implicit_confirm = f->grant_ic && cmp_msg_implicit_confirm(rq);
    ck_assert_int_eq(cmp_msg_new(&m, &hdr), CMP_OK);
    fill_body(f, m, rq);
    if (mut(f, M_MAC_NO_SECRET)) {
        cred.secret.data = (const uint8_t *)secret_ok;
        cred.secret.len = strlen(secret_ok);
    }
    if (!mut(f, M_PROT_ALG_UNKNOWN)) {
        ck_assert_int_eq(cmp_prot_protect(cr, m, &cred, !mut(f, M_NO_EXTRA_CERTS)), CMP_OK);
    } else {
        static const uint8_t junk[] = {1, 2, 3, 4};
        cmp_span j = {junk, sizeof(junk)};
        ck_assert_int_eq(cmp_msg_set_protection(m, j), CMP_OK);
    }
    if (cred.kind == CMP_PROT_MAC) {
        /* the chain of the new certificate (RFC 9483 section 4.1.1) */
        ck_assert_int_eq(cmp_msg_add_extra_cert(m, S(op_ca)), CMP_OK);
    }
    if (mut(f, M_BAD_SIG)) {
        cmp_span p = cmp_msg_protection(m);
        uint8_t *copy = testlib_dup(p.data, p.len);
        cmp_span c2 = {copy, p.len};
        copy[p.len / 2] ^= 0x01;
        ck_assert_int_eq(cmp_msg_set_protection(m, c2), CMP_OK);
        free(copy);
    }
    ck_assert_int_eq(cmp_msg_encode(m, &out), CMP_OK);
    if (mut(f, M_PVNO1)) {
        /* The builder refuses pvno 1: patch the encoding. PKIMessage and
         * PKIHeader both start with a SEQUENCE header; pvno is the first
         * INTEGER, 02 01 02. */
        size_t i;
        for (i = 0; i + 3 < out.len && i < 16; i++) {
            if (out.data[i] == 0x02 && out.data[i + 1] == 0x01 && out.data[i + 2] == 0x02) {
                out.data[i + 2] = 0x01;
                break;
            }
        }
    }
    if (mut(f, M_TRUNCATED)) {
        out.len--;
    }
    if (mut(f, M_OVERSIZE)) {
        f->hold_len = out.len;
        out.len = out.len; /* the client's limit is lowered instead */
    }
    if (mut(f, M_EMPTY)) {
        out.len = 0;
    }
    if (mut(f, M_GARBAGE)) {
        memset(out.data, 0x5a, out.len);
    }
    *rsp = cmp_malloc(out.len + 1);
    memcpy(*rsp, out.data, out.len);
    *rsp_len = out.len;
    if (mut(f, M_TRAILING)) {
        (*rsp)[out.len] = 0;
        *rsp_len = out.len + 1;
    }
    cmp_buf_cleanup(&out);
    cmp_buf_cleanup(&other_name);
    cmp_prot_hdr_cleanup(&ph);
    cmp_msg_free(m);
    cmp_msg_free(rq);
    f->n++;
    if (g_fail >= 0) {
        g_fail = used < g_fail ? g_fail - used : 0;
        testlib_fail_alloc_after(g_fail);
    }
    return CMP_OK;
}

/* ---- the client under test ---------------------------------------------- */

typedef struct env {
    fake f;
    int64_t now;
    cmp_transport *t;
    cmp_client *ctx;
    unsigned sleeps;
} env;

static int64_t clock_cb(void *arg)
{
    return ((env *)arg)->now;
}

static void sleep_cb(void *arg, uint32_t s)
{
    env *e = arg;
    e->now += s;
    e->sleeps++;
}

static void env_init(env *e)
{
    memset(e, 0, sizeof(*e));
    e->now = T0;
    e->f.clock = &e->now;
    e->f.rsp_status = CMP_STATUS_ACCEPTED;
    e->f.check_after = 1;
    e->f.mut_at = -1;
    ck_assert_int_eq(cmp_transport_mem_new(&e->t, handler, &e->f, NULL), CMP_OK);
    ck_assert_int_eq(cmp_client_new(&e->ctx, cr, e->t), CMP_OK);
    cmp_client_set_clock(e->ctx, clock_cb, e);
    cmp_client_set_sleep(e->ctx, sleep_cb, e);
    /* The device: supplier certificate, vendor chain, operator trust. */
    ck_assert_int_eq(cmp_client_set1_cert(e->ctx, S(supplier)), CMP_OK);
    ck_assert_int_eq(cmp_client_set0_key(e->ctx, key_of(supplier_key)), CMP_OK);
    ck_assert_int_eq(cmp_client_add1_chain(e->ctx, S(vendor_ca)), CMP_OK);
    ck_assert_int_eq(cmp_client_add1_trusted(e->ctx, S(op_root)), CMP_OK);
    ck_assert_int_eq(cmp_client_set0_newkey(e->ctx, key_of(device_key)), CMP_OK);
    {
        cmp_buf n = {NULL, 0};
        ck_assert_int_eq(cmp_name_from_string(&n, "/O=Operator/CN=Device 0001"), CMP_OK);
        ck_assert_int_eq(cmp_client_set1_subject(e->ctx, SB(&n)), CMP_OK);
        cmp_buf_cleanup(&n);
    }
}

static void env_free(env *e)
{
    cmp_client_free(e->ctx);
    cmp_transport_free(e->t);
    cmp_buf_cleanup(&e->f.spki);
    cmp_buf_cleanup(&e->f.subject);
}

static void use_mac(env *e)
{
    cmp_span sec = {(const uint8_t *)secret_ok, strlen(secret_ok)};
    cmp_span ref = {(const uint8_t *)"ref-1", 5};
    cmp_mac_params mp;

    cmp_crypto_mac_params_default(&mp, CMP_MAC_PBM);
    mp.iterations = 1000;
    ck_assert_int_eq(cmp_client_set1_secret(e->ctx, sec, ref), CMP_OK);
    ck_assert_int_eq(cmp_client_set_mac(e->ctx, &mp), CMP_OK);
    e->f.use_mac = 1;
}

/* ---- positive cases ----------------------------------------------------- */

START_TEST(test_client_ir_ok)
{
    env e;
    cmp_cert_info ci;

    env_init(&e);
    ck_assert_int_eq(cmp_client_ir(e.ctx), CMP_OK);
    ck_assert_int_eq(e.f.num_req, 2);
    ck_assert_int_eq(e.f.req_types[0], CMP_BODY_IR);
    ck_assert_int_eq(e.f.req_types[1], CMP_BODY_CERTCONF);
    ck_assert_int_eq(e.f.certconf_rejected, 0);
    ck_assert_uint_gt(cmp_client_get0_cert(e.ctx).len, 0);
    ck_assert_int_eq(cmp_crypto_key_check_cert(cr, k_device, cmp_client_get0_cert(e.ctx)),
                     CMP_OK);
    ck_assert_uint_eq(cmp_client_num_chain(e.ctx), 2); /* server cert, op-ca */
    ck_assert_uint_eq(cmp_client_num_ca_pubs(e.ctx), 1);
    ck_assert_int_eq(cmp_crypto_cert_parse(&ci, cmp_client_get0_cert(e.ctx)), CMP_OK);
    ck_assert_int_eq(cmp_client_last_status(e.ctx)->status, CMP_STATUS_ACCEPTED);
    env_free(&e);
}
END_TEST

START_TEST(test_client_cr_kur_p10cr_ok)
{
    env e;

    env_init(&e);
    ck_assert_int_eq(cmp_client_cr(e.ctx), CMP_OK);
    ck_assert_int_eq(e.f.req_types[0], CMP_BODY_CR);
    env_free(&e);

    env_init(&e);
    /* kur: protected with the certificate being updated, a new key */
    ck_assert_int_eq(cmp_client_set_newkey_type(e.ctx, CMP_KEY_EC_P256, 0), CMP_OK);
    ck_assert_int_eq(cmp_client_kur(e.ctx), CMP_OK);
    ck_assert_int_eq(e.f.req_types[0], CMP_BODY_KUR);
    ck_assert_int_eq(cmp_crypto_key_check_cert(cr, cmp_client_get0_newkey(e.ctx),
                                               cmp_client_get0_cert(e.ctx)),
                     CMP_OK);
    env_free(&e);

    env_init(&e);
    ck_assert_int_eq(cmp_client_set1_csr(e.ctx, S(device_csr)), CMP_OK);
    ck_assert_int_eq(cmp_client_p10cr(e.ctx), CMP_OK);
    ck_assert_int_eq(e.f.req_types[0], CMP_BODY_P10CR);
    ck_assert_int_eq(cmp_client_cert_req_id(e.ctx), -1);
    env_free(&e);
}
END_TEST

START_TEST(test_client_ir_mac_ok)
{
    env e;

    env_init(&e);
    use_mac(&e);
    ck_assert_int_eq(cmp_client_ir(e.ctx), CMP_OK);
    env_free(&e);
}
END_TEST

START_TEST(test_client_ir_generated_keys)
{
    static const cmp_key_type types[] = {CMP_KEY_EC_P256, CMP_KEY_ED25519, CMP_KEY_RSA};
    env e;
    size_t i;

    for (i = 0; i < 3; i++) {
        env_init(&e);
        /* drop the given key: generate */
        cmp_crypto_key_free(cr, e.ctx->newkey);
        e.ctx->newkey = NULL;
        ck_assert_int_eq(cmp_client_set_newkey_type(e.ctx, types[i], 0), CMP_OK);
        ck_assert_int_eq(cmp_client_ir(e.ctx), CMP_OK);
        ck_assert_int_eq(cmp_client_newkey_generated(e.ctx), 1);
        ck_assert_int_eq(cmp_crypto_key_check_cert(cr, cmp_client_get0_newkey(e.ctx),
                                                   cmp_client_get0_cert(e.ctx)),
                         CMP_OK);
        env_free(&e);
    }
}
END_TEST

START_TEST(test_client_implicit_confirm)
{
    env e;

    env_init(&e);
    cmp_client_set_implicit_confirm(e.ctx, 1);
    e.f.grant_ic = 1;
    ck_assert_int_eq(cmp_client_ir(e.ctx), CMP_OK);
    ck_assert_int_eq(e.f.num_req, 1); /* no certConf */
    ck_assert_int_eq(cmp_client_implicit_confirm_granted(e.ctx), 1);
    env_free(&e);

    /* asked, not granted: certConf as usual */
    env_init(&e);
    cmp_client_set_implicit_confirm(e.ctx, 1);
    ck_assert_int_eq(cmp_client_ir(e.ctx), CMP_OK);
    ck_assert_int_eq(e.f.num_req, 2);
    ck_assert_int_eq(e.f.implicit_requested, 1);
    env_free(&e);
}
END_TEST

START_TEST(test_client_poll_blocking)
{
    env e;

    env_init(&e);
    e.f.wait_in_certrep = 1;
    e.f.polls = 2;
    e.f.check_after = 3;
    ck_assert_int_eq(cmp_client_ir(e.ctx), CMP_OK);
    /* ir, pollReq (-> pollRep), pollReq (-> pollRep), pollReq (-> ip), certConf */
    ck_assert_int_eq(e.f.num_req, 5);
    ck_assert_int_eq(e.f.req_types[1], CMP_BODY_POLLREQ);
    ck_assert_int_eq(e.f.pollreq_id, 0);
    ck_assert_uint_eq(cmp_client_num_polls(e.ctx), 3);
    ck_assert_int_eq(e.now, T0 + 6);
    env_free(&e);
}
END_TEST

START_TEST(test_client_poll_nonblocking)
{
    env e;
    uint32_t delay = 0;
    cmp_err r;
    int agains = 0;

    env_init(&e);
    e.f.wait_in_certrep = 1;
    e.f.polls = 2;
    e.f.check_after = 7;
    ck_assert_int_eq(cmp_client_start_ir(e.ctx), CMP_OK);
    while ((r = cmp_client_step(e.ctx, &delay)) == CMP_ERR_AGAIN) {
        ck_assert_uint_eq(delay, 7);
        /* calling again too early does nothing but report the rest */
        e.now += 2;
        ck_assert_int_eq(cmp_client_step(e.ctx, &delay), CMP_ERR_AGAIN);
        ck_assert_uint_eq(delay, 5);
        e.now += 5;
        agains++;
    }
    ck_assert_int_eq(r, CMP_OK);
    ck_assert_int_eq(agains, 2);
    env_free(&e);
}
END_TEST

START_TEST(test_client_poll_after_error_waiting)
{
    env e;

    env_init(&e);
    e.f.wait_in_error = 1;
    e.f.polls = 1;
    ck_assert_int_eq(cmp_client_ir(e.ctx), CMP_OK);
    ck_assert_int_eq(e.f.req_types[1], CMP_BODY_POLLREQ);
    ck_assert_int_eq(e.f.pollreq_id, -1); /* RFC 9810 5.3.22 */
    env_free(&e);
}
END_TEST

START_TEST(test_client_genm_rr)
{
    env e;
    cmp_span oid;
    cmp_itav it;

    env_init(&e);
    ck_assert_int_eq(cmp_infotype_oid(CMP_IT_CA_CERTS, &oid), CMP_OK);
    ck_assert_int_eq(cmp_client_genm(e.ctx, oid), CMP_OK);
    ck_assert_uint_eq(cmp_client_num_itavs(e.ctx), 1);
    ck_assert_int_eq(cmp_client_get0_itav(e.ctx, 0, &it), CMP_OK);
    ck_assert(cmp_oid_eq(it.oid, oid));
    env_free(&e);

    env_init(&e);
    ck_assert_int_eq(cmp_client_set1_oldcert(e.ctx, S(supplier)), CMP_OK);
    ck_assert_int_eq(cmp_client_rr(e.ctx, 1), CMP_OK);
    ck_assert_int_eq(e.f.req_types[0], CMP_BODY_RR);
    env_free(&e);
}
END_TEST

START_TEST(test_client_rejection)
{
    env e;
    char line[512];
    const cmp_status_info *si;

    env_init(&e);
    e.f.rsp_status = CMP_STATUS_REJECTION;
    e.f.fail_info = (uint32_t)1 << CMP_FI_BAD_CERT_TEMPLATE;
    ck_assert_int_eq(cmp_client_ir(e.ctx), CMP_ERR_REJECTED);
    si = cmp_client_last_status(e.ctx);
    ck_assert_ptr_nonnull(si);
    ck_assert_int_eq(cmp_client_status_string(line, sizeof(line), si), CMP_OK);
    ck_assert_ptr_nonnull(strstr(line, "rejection"));
    ck_assert_ptr_nonnull(strstr(line, "badCertTemplate"));
    ck_assert_int_eq(e.f.num_req, 1); /* no certConf after a rejection */
    ck_assert_uint_eq(cmp_client_get0_cert(e.ctx).len, 0);
    env_free(&e);

    env_init(&e);
    e.f.send_error = 1;
    ck_assert_int_eq(cmp_client_ir(e.ctx), CMP_ERR_ERROR_MSG);
    ck_assert_int_eq(cmp_client_last_error(e.ctx)->error_code, 42);
    ck_assert_int_eq(e.f.error_received, 0); /* never answer an error with one */
    env_free(&e);
}
END_TEST

START_TEST(test_client_unprotected_error_switch)
{
    env e;

    env_init(&e);
    e.f.send_error = 1;
    e.f.mut = M_UNPROTECTED;
    cmp_client_set_unprotected_errors(e.ctx, 1);
    ck_assert_int_eq(cmp_client_ir(e.ctx), CMP_ERR_ERROR_MSG);
    ck_assert_int_eq(cmp_client_last_error(e.ctx)->status.status, CMP_STATUS_REJECTION);
    env_free(&e);

    /* the switch does not excuse a positive answer */
    env_init(&e);
    e.f.mut = M_UNPROTECTED;
    cmp_client_set_unprotected_errors(e.ctx, 1);
    ck_assert_int_eq(cmp_client_ir(e.ctx), CMP_ERR_PROTECTION_MISSING);
    env_free(&e);
}
END_TEST

START_TEST(test_client_status_string_truncates)
{
    cmp_status_info si;
    char small[8];

    memset(&si, 0, sizeof(si));
    si.status = CMP_STATUS_REJECTION;
    si.fail_info = (uint32_t)1 << CMP_FI_BAD_ALG;
    ck_assert_int_eq(cmp_client_status_string(small, sizeof(small), &si), CMP_ERR_BUF_SMALL);
    ck_assert_uint_eq(strlen(small), sizeof(small) - 1);
}
END_TEST

START_TEST(test_client_config_errors)
{
    cmp_client *ctx = NULL;
    cmp_transport *t = NULL;
    fake f;
    int64_t now = T0;
    cmp_span junk = {(const uint8_t *)"xx", 2};

    memset(&f, 0, sizeof(f));
    f.clock = &now;
    ck_assert_int_eq(cmp_transport_mem_new(&t, handler, &f, NULL), CMP_OK);
    ck_assert_int_eq(cmp_client_new(NULL, cr, t), CMP_ERR_ARG);
    ck_assert_int_eq(cmp_client_new(&ctx, NULL, t), CMP_ERR_ARG);
    ck_assert_int_eq(cmp_client_new(&ctx, cr, t), CMP_OK);
    /* no clock, no credentials */
    ck_assert_int_eq(cmp_client_ir(ctx), CMP_ERR_CONFIG);
    ck_assert_int_eq(cmp_client_set1_cert(ctx, junk), CMP_ERR_CERT_PARSE);
    ck_assert_int_eq(cmp_client_set_pvno(ctx, 1), CMP_ERR_ARG);
    ck_assert_int_eq(cmp_client_set_digest(ctx, CMP_HASH_SHA1), CMP_ERR_UNKNOWN_ALG);
    ck_assert_int_eq(cmp_client_step(ctx, NULL), CMP_ERR_ARG);
    ck_assert_int_eq(f.num_req, 0);
    cmp_client_free(ctx);
    cmp_transport_free(t);
}
END_TEST

/* ---- hostile responses -------------------------------------------------- */

typedef struct hostile {
    const char *name;
    mutation m;
    int at;            /* response to break (-1: every) */
    cmp_err want;
    int mac;           /* client uses MAC */
    int cert_reject;   /* expect a rejecting certConf */
} hostile;

static const hostile hostile_cases[] = {
    {"wrong transactionID", M_TID, 0, CMP_ERR_TRANSACTION_ID, 0, 0},
    {"wrong transactionID in pkiConf", M_TID, 1, CMP_ERR_TRANSACTION_ID, 0, 0},
    {"stale recipNonce", M_RECIP_NONCE_STALE, 1, CMP_ERR_RECIP_NONCE, 0, 0},
    {"missing recipNonce", M_RECIP_NONCE_MISSING, 0, CMP_ERR_RECIP_NONCE, 0, 0},
    {"missing senderNonce", M_SENDER_NONCE_MISSING, 0, CMP_ERR_SENDER_NONCE, 0, 0},
    {"short senderNonce", M_SENDER_NONCE_SHORT, 0, CMP_ERR_SENDER_NONCE, 0, 0},
    {"wrong body type", M_BODY_TYPE, 0, CMP_ERR_BODY_TYPE, 0, 0},
    {"pkiConf instead of ip", M_BODY_PKICONF, 0, CMP_ERR_BODY_TYPE, 0, 0},
    {"bad signature", M_BAD_SIG, 0, CMP_ERR_PROTECTION_INVALID, 0, 0},
    {"bad signature on pkiConf", M_BAD_SIG, 1, CMP_ERR_PROTECTION_INVALID, 0, 0},
    {"untrusted signer", M_UNTRUSTED_SIGNER, 0, CMP_ERR_SIGNER_UNTRUSTED, 0, 0},
    {"MAC with wrong secret", M_MAC_WRONG_SECRET, 0, CMP_ERR_PROTECTION_INVALID, 1, 0},
    {"MAC without our secret", M_MAC_NO_SECRET, 0, CMP_ERR_WRONG_INTEGRITY, 0, 0},
    {"certificate for another key", M_CERT_OTHER_KEY, 0, CMP_ERR_CERT_KEY_MISMATCH, 0, 1},
    {"certificate not chaining", M_CERT_UNTRUSTED, 0, CMP_ERR_CERT_UNTRUSTED, 0, 1},
    {"certReqId mismatch", M_CERTREQID, 0, CMP_ERR_CERT_REQ_ID, 0, 0},
    {"two responses", M_TWO_RESPONSES, 0, CMP_ERR_CERT_REQ_ID, 0, 0},
    {"pvno 1", M_PVNO1, 0, CMP_ERR_PVNO, 0, 0},
    {"messageTime far off", M_TIME_FAR, 0, CMP_ERR_MESSAGE_TIME, 0, 0},
    {"sender mismatch", M_SENDER_MISMATCH, 0, CMP_ERR_SENDER, 0, 0},
    {"unprotected, no switch", M_UNPROTECTED, 0, CMP_ERR_PROTECTION_MISSING, 0, 0},
    {"unprotected pkiConf", M_UNPROTECTED, 1, CMP_ERR_PROTECTION_MISSING, 0, 0},
    {"oversize response", M_OVERSIZE, 0, CMP_ERR_MSG_TOO_LARGE, 0, 0},
    {"truncated response", M_TRUNCATED, 0, CMP_ERR_DER_TRUNCATED, 0, 0},
    {"trailing byte", M_TRAILING, 0, CMP_ERR_DER_TRAILING, 0, 0},
    {"empty response", M_EMPTY, 0, CMP_ERR_DER_TRUNCATED, 0, 0},
    {"garbage response", M_GARBAGE, 0, CMP_ERR_DER_TRAILING, 0, 0},
    {"HTTP 500 without CMP body", M_HTTP_500, 0, CMP_ERR_HTTP_STATUS, 0, 0},
    {"transport timeout", M_TIMEOUT, 0, CMP_ERR_TIMEOUT, 0, 0},
    {"accepted without certificate", M_NO_CERT, 0, CMP_ERR_NO_CERT, 0, 0},
    {"keyUpdateWarning in ip", M_STATUS_BAD, 0, CMP_ERR_PKISTATUS, 0, 0},
    {"signer not in extraCerts", M_NO_EXTRA_CERTS, 0, CMP_ERR_SIGNER_NOT_FOUND, 0, 0},
    {"unknown protectionAlg", M_PROT_ALG_UNKNOWN, 0, CMP_ERR_PROTECTION_ALG, 0, 0},
};

START_TEST(test_client_hostile)
{
    const hostile *h = &hostile_cases[_i];
    env e;
    cmp_err r;

    env_init(&e);
    if (h->mac) {
        use_mac(&e);
        e.f.use_mac = 0; /* the fake CA uses the (wrong) secret of the case */
    }
    e.f.mut = h->m;
    e.f.mut_at = h->at;
    if (h->m == M_OVERSIZE) {
        cmp_client_set_max_msg(e.ctx, 256);
    }
    r = cmp_client_ir(e.ctx);
    ck_assert_msg(r == h->want, "%s: got %s, want %s", h->name, cmp_err_name(r),
                  cmp_err_name(h->want));
    ck_assert_int_eq(e.f.certconf_rejected, h->cert_reject);
    if (h->cert_reject) {
        ck_assert_uint_ne(e.f.certconf_fail_info, 0);
    }
    /* The peer hears about protocol problems by an error message, except
     * for those without a usable answer from it. */
    if (cmp_err_class_of(h->want) == CMP_ERRC_PROTO && !h->cert_reject) {
        ck_assert_msg(e.f.error_received, "%s: no error message sent", h->name);
    }
    env_free(&e);
}
END_TEST

static const hostile poll_cases[] = {
    {"pollRep loop past the deadline", M_NONE, -1, CMP_ERR_POLL_DEADLINE, 0, 0},
    {"checkAfter absurdly large", M_NONE, -1, CMP_ERR_CHECK_AFTER, 0, 0},
    {"checkAfter above -max_check_after", M_NONE, -1, CMP_ERR_CHECK_AFTER, 0, 0},
    {"pollRep for another certReqId", M_POLL_ID, -1, CMP_ERR_CERT_REQ_ID, 0, 0},
    {"waiting with a certificate", M_WAITING_WITH_CERT, 0, CMP_ERR_PKISTATUS, 0, 0},
};

START_TEST(test_client_hostile_poll)
{
    const hostile *h = &poll_cases[_i];
    env e;
    cmp_err r;

    env_init(&e);
    e.f.wait_in_certrep = 1;
    e.f.tamper_pollrep_loop = 1;
    e.f.check_after = _i == 1 ? 100000000 : 4;
    e.f.mut = h->m;
    e.f.mut_at = h->at;
    cmp_client_set_poll_limits(e.ctx, 30, 0);
    if (_i == 2) {
        e.f.check_after = 20;
        cmp_client_set_poll_limits(e.ctx, 30, 10);
    }
    r = cmp_client_ir(e.ctx);
    ck_assert_msg(r == h->want, "%s: got %s, want %s", h->name, cmp_err_name(r),
                  cmp_err_name(h->want));
    ck_assert_int_le(e.now, T0 + 30);
    if (_i == 0) {
        ck_assert_uint_ge(cmp_client_num_polls(e.ctx), 7);
    }
    env_free(&e);
}
END_TEST

START_TEST(test_client_alloc_failures)
{
    long n;
    cmp_err r = CMP_ERR_NOMEM;

    /* Every allocation of a whole IR may fail; each failure ends cleanly. */
    for (n = 0; n < 100000 && r != CMP_OK; n += 7) {
        env e;
        env_init(&e);
        g_fail = n;
        testlib_fail_alloc_after(n);
        r = cmp_client_ir(e.ctx);
        g_fail = -1;
        testlib_fail_alloc_after(-1);
        ck_assert_msg(r != CMP_ERR_INTERNAL, "n=%ld", n);
        env_free(&e);
    }
    ck_assert_int_eq(r, CMP_OK);
}
END_TEST

static Suite *cmp_client_suite(void)
{
    Suite *s = suite_create("client");
    TCase *tc = tcase_create("client");

    tcase_add_unchecked_fixture(tc, pki_setup, pki_teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_client_ir_ok);
    tcase_add_test(tc, test_client_cr_kur_p10cr_ok);
    tcase_add_test(tc, test_client_ir_mac_ok);
    tcase_add_test(tc, test_client_ir_generated_keys);
    tcase_add_test(tc, test_client_implicit_confirm);
    tcase_add_test(tc, test_client_poll_blocking);
    tcase_add_test(tc, test_client_poll_nonblocking);
    tcase_add_test(tc, test_client_poll_after_error_waiting);
    tcase_add_test(tc, test_client_genm_rr);
    tcase_add_test(tc, test_client_rejection);
    tcase_add_test(tc, test_client_unprotected_error_switch);
    tcase_add_test(tc, test_client_status_string_truncates);
    tcase_add_test(tc, test_client_config_errors);
    tcase_add_loop_test(tc, test_client_hostile, 0,
                        (int)(sizeof(hostile_cases) / sizeof(hostile_cases[0])));
    tcase_add_loop_test(tc, test_client_hostile_poll, 0,
                        (int)(sizeof(poll_cases) / sizeof(poll_cases[0])));
    tcase_add_test(tc, test_client_alloc_failures);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(cmp_client_suite());
    int failed;

    srunner_run_all(sr, CK_ENV);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
