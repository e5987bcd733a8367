/* SPDX-License-Identifier: Apache-2.0 */
/*
 * stack/server.c: the CA/RA side of CMP. One call answers one request
 * (RFC 9810 sections 5.1-5.3, RFC 9483 sections 3-5).
 *
 * A request passes, in this order: strict decoding (cmp_msg_decode); the
 * header checks that need no state (pvno, transactionID, senderNonce);
 * protection (stack/prot.c: MAC keyed by senderKID, or a signature whose
 * certificate chains through extraCerts and the configured intermediates
 * to a trust anchor); then, under the store lock, the transaction table
 * below: the row of its transactionID gives the state, and the state says
 * which body types are accepted and which handler answers. A handler
 * checks everything before it writes, builds and protects the answer, and
 * commits its writes before the answer leaves, so that a refused request
 * changes nothing and an answered one is on disk.
 *
 * A refused request gets an error message, or, when the certificate
 * request itself is at fault (proof of possession, template, policy), a
 * rejecting ip/cp/kup; the failInfo bit comes from cmp_err_failinfo().
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "cmp/config.h"
#include "cmp/mem.h"
#include "cmp/server.h"
#include "cmp_crypto.h"
#include "err_int.h"
#include "prot_int.h"
#include "server_int.h"

#define DEFAULT_SLOTS 2u
#define DEFAULT_TIMEOUT 300
#define SWEEP_INTERVAL 30
#define MAX_SPANS (4 * CMP_MAX_CERTS)

struct cmp_server {
    cmp_server_config cfg; /* spans and arrays point into |owned| */
    cmp_buf *owned;
    size_t num_owned, cap_owned;
    cmp_srv_store *store;
    cmp_srv_pool *pool;
    cmp_srv_slot *slots;
    size_t num_slots;
    cmp_span ca_subject;   /* into cfg.ca_cert */
    cmp_span srv_cert;     /* the response signer: srv_cert or ca_cert */
    cmp_span srv_subject;
    cmp_span anchors[CMP_MAX_CERTS + 1];
    size_t num_anchors;
    cmp_span chain[CMP_MAX_CERTS + 1]; /* extraCerts after the signer */
    size_t num_chain;
    cmp_span ca_certs[CMP_MAX_CERTS + 1]; /* genm caCerts */
    size_t num_ca_certs;
    cmp_span root;
    int64_t last_sweep;
    /* [0] the default profile (label ""), then cfg.profiles in order;
     * labels and status texts point into |owned|. */
    cmp_server_profile_cfg *profiles;
    size_t num_profiles;
};

/* ---- configuration ---------------------------------------------------------- */

/* see cmp/server.h */
void cmp_server_config_init(cmp_server_config *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->check_after = 1;
    cfg->pkistatus = CMP_STATUS_ACCEPTED;
    cfg->txn_timeout = DEFAULT_TIMEOUT;
    cfg->num_slots = DEFAULT_SLOTS;
    cfg->profile.allow_san = 1;
    cfg->profile.allow_key_usage = 1;
}

/* see cmp/server.h */
void cmp_server_profile_cfg_init(cmp_server_profile_cfg *p)
{
    memset(p, 0, sizeof(*p));
    p->check_after = 1;
    p->pkistatus = CMP_STATUS_ACCEPTED;
    p->profile.allow_san = 1;
    p->profile.allow_key_usage = 1;
}

static cmp_span mk(const uint8_t *p, size_t n)
{
    cmp_span s;
    s.data = p;
    s.len = n;
    return s;
}

static cmp_span bspan(const cmp_buf *b)
{
    return mk(b->data, b->len);
}

static int span_eq(cmp_span a, cmp_span b)
{
    return a.len == b.len && (a.len == 0 || memcmp(a.data, b.data, a.len) == 0);
}

/* Copies |in| into storage the server owns; |*out| points at the copy. */
static cmp_err own(cmp_server *srv, cmp_span *out, cmp_span in)
{
    cmp_buf *nb;

    *out = mk(NULL, 0);
    if (in.len == 0) {
        return CMP_OK;
    }
    if (srv->num_owned == srv->cap_owned) {
        size_t ncap = srv->cap_owned ? 2 * srv->cap_owned : 16;
        nb = cmp_realloc(srv->owned, ncap * sizeof(*nb));
        CMP_ENSURE(nb != NULL, CMP_ERR_NOMEM);
        srv->owned = nb;
        srv->cap_owned = ncap;
    }
    nb = &srv->owned[srv->num_owned];
    nb->data = cmp_malloc(in.len);
    CMP_ENSURE(nb->data != NULL, CMP_ERR_NOMEM);
    memcpy(nb->data, in.data, in.len);
    nb->len = in.len;
    srv->num_owned++;
    *out = bspan(nb);
    return CMP_OK;
}

static cmp_err cert_ok(cmp_span cert)
{
    cmp_cert_info ci;

    return cmp_crypto_cert_parse(&ci, cert);
}

static cmp_err own_list(cmp_server *srv, cmp_span *dst, size_t *num, size_t cap,
                        const cmp_span *src, size_t n)
{
    size_t i;

    CMP_ENSURE(n == 0 || src != NULL, CMP_ERR_CONFIG);
    for (i = 0; i < n; i++) {
        CMP_ENSURE(*num < cap, CMP_ERR_CONFIG);
        CMP_TRY(cert_ok(src[i]));
        CMP_TRY(own(srv, &dst[*num], src[i]));
        (*num)++;
    }
    return CMP_OK;
}

/* Appends |cert| to a list unless it is already there. */
static void add_unique(cmp_span *list, size_t *num, size_t cap, cmp_span cert)
{
    size_t i;

    for (i = 0; i < *num; i++) {
        if (span_eq(list[i], cert)) {
            return;
        }
    }
    if (*num < cap) {
        list[(*num)++] = cert;
    }
}

static cmp_err slot_init(cmp_server *srv, cmp_srv_slot *s)
{
    cmp_server_crypto_new_fn mk_crypto = srv->cfg.crypto_new ? srv->cfg.crypto_new
                                                                : cmp_crypto_wolfssl_new;

    CMP_TRY(mk_crypto(&s->crypto));
    CMP_TRY(cmp_crypto_key_load(s->crypto, &s->ca_key, srv->cfg.ca_key, srv->cfg.ca_key_pass));
    CMP_ENSURE(cmp_crypto_key_check_cert(s->crypto, s->ca_key, srv->cfg.ca_cert) == CMP_OK,
               CMP_ERR_CONFIG);
    if (srv->cfg.srv_key.len > 0) {
        CMP_TRY(cmp_crypto_key_load(s->crypto, &s->srv_key, srv->cfg.srv_key,
                                    srv->cfg.srv_key_pass));
        CMP_ENSURE(cmp_crypto_key_check_cert(s->crypto, s->srv_key, srv->srv_cert) == CMP_OK,
                   CMP_ERR_CONFIG);
    }
    return CMP_OK;
}

static void slot_cleanup(cmp_srv_slot *s)
{
    if (s->crypto != NULL) {
        cmp_crypto_key_free(s->crypto, s->srv_key);
        cmp_crypto_key_free(s->crypto, s->ca_key);
        cmp_crypto_free(s->crypto);
    }
    memset(s, 0, sizeof(*s));
}

/* Copies a NUL-terminated string into storage the server owns. */
static cmp_err own_str(cmp_server *srv, const char **out, const char *in)
{
    cmp_span t;

    *out = NULL;
    if (in == NULL) {
        return CMP_OK;
    }
    CMP_TRY(own(srv, &t, mk((const uint8_t *)in, strlen(in) + 1)));
    *out = (const char *)t.data;
    return CMP_OK;
}

/* = https://www.rfc-editor.org/rfc/rfc9811#section-3.4
 * # The path segment 'p' followed by an arbitraryLabel <name> could, for
 * # example, support the differentiation of specific CAs or certificate
 * # profiles.
 * (RFC 9483 section 3.3 uses the same path for its profiles.) A label is
 * one path segment; we allow the unreserved characters of RFC 3986
 * section 2.3 only, so that it needs no percent-encoding. */
static int label_ok(const char *l)
{
    size_t i, n;

    if (l == NULL) {
        return 0;
    }
    n = strlen(l);
    if (n == 0 || n > CMP_SERVER_MAX_LABEL) {
        return 0;
    }
    for (i = 0; i < n; i++) {
        char ch = l[i];
        int ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                 (ch >= '0' && ch <= '9') || ch == '-' || ch == '.' || ch == '_' || ch == '~';
        if (!ok) {
            return 0;
        }
    }
    return 1;
}

/* The profile table: [0] from the top-level fields, then cfg.profiles. */
static cmp_err copy_profiles(cmp_server *srv, const cmp_server_config *in)
{
    cmp_server_profile_cfg *p;
    size_t i, j, n;

    CMP_ENSURE(in->num_profiles == 0 || in->profiles != NULL, CMP_ERR_CONFIG);
    CMP_ENSURE(in->num_profiles < 1024, CMP_ERR_CONFIG);
    n = in->num_profiles + 1;
    srv->profiles = cmp_calloc(n, sizeof(*srv->profiles));
    CMP_ENSURE(srv->profiles != NULL, CMP_ERR_NOMEM);
    srv->num_profiles = n;
    p = &srv->profiles[0];
    p->label = "";
    p->profile = in->profile;
    p->poll_count = in->poll_count;
    p->check_after = in->check_after;
    p->pkistatus = in->pkistatus;
    p->fail_info = in->fail_info;
    p->grant_implicit_confirm = in->grant_implicit_confirm;
    p->await_approval = in->await_approval;
    CMP_TRY(own_str(srv, &p->status_text, in->status_text));
    for (i = 0; i < in->num_profiles; i++) {
        const cmp_server_profile_cfg *q = &in->profiles[i];
        CMP_ENSURE(label_ok(q->label), CMP_ERR_CONFIG);
        for (j = 0; j < i; j++) {
            CMP_ENSURE(strcmp(q->label, in->profiles[j].label) != 0, CMP_ERR_CONFIG);
        }
        p = &srv->profiles[i + 1];
        *p = *q;
        CMP_TRY(own_str(srv, &p->label, q->label));
        CMP_TRY(own_str(srv, &p->status_text, q->status_text));
    }
    return CMP_OK;
}

/* The profile of |label| (NULL or "": the default), or NULL. */
static const cmp_server_profile_cfg *find_profile(const cmp_server *srv, const char *label)
{
    size_t i;

    if (label == NULL) {
        label = "";
    }
    for (i = 0; i < srv->num_profiles; i++) {
        if (strcmp(srv->profiles[i].label, label) == 0) {
            return &srv->profiles[i];
        }
    }
    return NULL;
}

static cmp_err copy_config(cmp_server *srv, const cmp_server_config *in)
{
    cmp_server_config *c = &srv->cfg;
    cmp_cert_info ci;
    size_t i;

    *c = *in;
    CMP_ENSURE(in->clock != NULL && in->ca_cert.len > 0 && in->ca_key.len > 0, CMP_ERR_CONFIG);
    CMP_ENSURE((in->srv_cert.len > 0) == (in->srv_key.len > 0), CMP_ERR_CONFIG);
    CMP_TRY(own(srv, &c->ca_cert, in->ca_cert));
    CMP_TRY(own(srv, &c->ca_key, in->ca_key));
    CMP_TRY(own(srv, &c->ca_key_pass, in->ca_key_pass));
    CMP_TRY(own(srv, &c->srv_cert, in->srv_cert));
    CMP_TRY(own(srv, &c->srv_key, in->srv_key));
    CMP_TRY(own(srv, &c->srv_key_pass, in->srv_key_pass));
    CMP_TRY(own(srv, &c->srv_secret, in->srv_secret));
    CMP_TRY(own(srv, &c->srv_ref, in->srv_ref));
    CMP_TRY(own(srv, &c->root_ca_cert, in->root_ca_cert));
    CMP_TRY(own_str(srv, &c->status_text, in->status_text));
    CMP_ENSURE(in->max_skew >= 0, CMP_ERR_CONFIG);
    CMP_TRY(copy_profiles(srv, in));
    c->profiles = NULL;
    c->num_profiles = 0;
    CMP_ENSURE(cmp_crypto_cert_parse(&ci, c->ca_cert) == CMP_OK, CMP_ERR_CERT_PARSE);
    srv->ca_subject = ci.subject;
    srv->srv_cert = c->srv_cert.len > 0 ? c->srv_cert : c->ca_cert;
    CMP_ENSURE(cmp_crypto_cert_parse(&ci, srv->srv_cert) == CMP_OK, CMP_ERR_CERT_PARSE);
    srv->srv_subject = ci.subject;

    /* Anchors: the configured ones plus our CA, whose certificates protect
     * cr, kur and rr (RFC 9483 sections 4.1.2, 4.1.3, 4.2). */
    CMP_TRY(own_list(srv, srv->anchors, &srv->num_anchors, CMP_MAX_CERTS, in->trusted,
                     in->num_trusted));
    add_unique(srv->anchors, &srv->num_anchors, CMP_MAX_CERTS + 1, c->ca_cert);
    c->trusted = NULL;
    {
        cmp_span *u = cmp_calloc(CMP_MAX_CERTS, sizeof(*u));
        size_t nu = 0;
        cmp_err e;
        CMP_ENSURE(u != NULL, CMP_ERR_NOMEM);
        e = own_list(srv, u, &nu, CMP_MAX_CERTS, in->untrusted, in->num_untrusted);
        if (e == CMP_OK) {
            e = own(srv, (cmp_span *)&c->untrusted, mk((const uint8_t *)u, nu * sizeof(*u)));
        }
        cmp_free(u);
        CMP_TRY(e);
        c->num_untrusted = nu;
    }
    /* extraCerts after the signing certificate: the issuing CA (when it is
     * not the signer) and -rsp_extracerts. */
    if (!span_eq(srv->srv_cert, c->ca_cert)) {
        add_unique(srv->chain, &srv->num_chain, CMP_MAX_CERTS + 1, c->ca_cert);
    }
    for (i = 0; i < in->num_extra_certs; i++) {
        cmp_span s;
        CMP_TRY(cert_ok(in->extra_certs[i]));
        CMP_TRY(own(srv, &s, in->extra_certs[i]));
        add_unique(srv->chain, &srv->num_chain, CMP_MAX_CERTS + 1, s);
    }
    c->extra_certs = NULL;
    c->num_extra_certs = 0;
    /* caPubs and the caCerts answer. */
    {
        cmp_span *p = cmp_calloc(CMP_MAX_CERTS, sizeof(*p));
        size_t np = 0;
        cmp_err e;
        CMP_ENSURE(p != NULL, CMP_ERR_NOMEM);
        e = own_list(srv, p, &np, CMP_MAX_CERTS, in->ca_pubs, in->num_ca_pubs);
        if (e == CMP_OK) {
            e = own(srv, (cmp_span *)&c->ca_pubs, mk((const uint8_t *)p, np * sizeof(*p)));
        }
        cmp_free(p);
        CMP_TRY(e);
        c->num_ca_pubs = np;
    }
    add_unique(srv->ca_certs, &srv->num_ca_certs, CMP_MAX_CERTS + 1, c->ca_cert);
    for (i = 0; i < c->num_ca_pubs; i++) {
        add_unique(srv->ca_certs, &srv->num_ca_certs, CMP_MAX_CERTS + 1, c->ca_pubs[i]);
    }
    srv->root = c->root_ca_cert.len > 0 ? c->root_ca_cert
                : (c->num_ca_pubs > 0 ? c->ca_pubs[c->num_ca_pubs - 1] : mk(NULL, 0));
    if (c->num_slots == 0) {
        c->num_slots = DEFAULT_SLOTS;
    }
    if (c->txn_timeout <= 0) {
        c->txn_timeout = DEFAULT_TIMEOUT;
    }
    return CMP_OK;
}

/* see cmp/server.h */
cmp_err cmp_server_new(cmp_server **out, const cmp_server_config *cfg)
{
    cmp_err err = CMP_ERR_CONFIG;
    cmp_server *srv = NULL;
    size_t i;

    CMP_ENSURE(out != NULL && cfg != NULL, CMP_ERR_ARG);
    *out = NULL;
    srv = cmp_calloc(1, sizeof(*srv));
    CMP_ENSURE_OUT(srv != NULL, CMP_ERR_NOMEM);
    CMP_TRY_OUT(copy_config(srv, cfg));
    srv->slots = cmp_calloc(srv->cfg.num_slots, sizeof(*srv->slots));
    CMP_ENSURE_OUT(srv->slots != NULL, CMP_ERR_NOMEM);
    srv->num_slots = srv->cfg.num_slots;
    for (i = 0; i < srv->num_slots; i++) {
        CMP_TRY_OUT(slot_init(srv, &srv->slots[i]));
    }
    CMP_TRY_OUT(cmp_srv_pool_new(&srv->pool, srv->num_slots));
    CMP_TRY_OUT(cmp_srv_store_open(&srv->store, srv->cfg.state_path, 1));
    *out = srv;
    srv = NULL;
    err = CMP_OK;
out:
    cmp_server_free(srv);
    return err;
}

/* see cmp/server.h */
void cmp_server_free(cmp_server *srv)
{
    size_t i;

    if (srv == NULL) {
        return;
    }
    cmp_srv_store_close(srv->store);
    cmp_srv_pool_free(srv->pool);
    for (i = 0; srv->slots != NULL && i < srv->num_slots; i++) {
        slot_cleanup(&srv->slots[i]);
    }
    cmp_free(srv->slots);
    cmp_free(srv->profiles);
    for (i = 0; i < srv->num_owned; i++) {
        cmp_buf_cleanup(&srv->owned[i]);
    }
    cmp_free(srv->owned);
    cmp_wipe(srv, sizeof(*srv));
    cmp_free(srv);
}

/* ---- one request -------------------------------------------------------------- */

typedef struct hctx {
    cmp_server *srv;
    const cmp_server_profile_cfg *prof; /* the profile of the request's path */
    cmp_srv_slot *slot;
    cmp_crypto *c;
    int64_t now;
    cmp_span req_bytes;
    cmp_msg *req;
    int req_body;
    long pvno;
    cmp_prot_result pr;
    cmp_buf secret;   /* the MAC secret of the request's senderKID */
    cmp_srv_txn txn;  /* the row of the transactionID (state NEW: none) */
    int state;
    /* the answer */
    uint8_t nonce[CMP_NONCE_LEN];
    int implicit;     /* implicitConfirm granted in the answer */
    int rsp_body;
    int rsp_status;
    uint32_t rsp_fail_info;
    int64_t cert_req_id; /* certReqId of a rejecting certrep */
    int reject_as_certrep;
    cmp_server_decision dec;
    uint8_t req_hash[32]; /* SHA-256 of the request bytes */
    int retransmit;   /* the request repeats the last one: h->out is its answer */
    cmp_buf genp;     /* genp values, h->itavs point into it */
    cmp_itav itavs[CMP_SRV_MAX_ITAVS];
    size_t num_itavs;
    cmp_buf out;
} hctx;

static int is_certreq(int body)
{
    return body == CMP_BODY_IR || body == CMP_BODY_CR || body == CMP_BODY_KUR ||
           body == CMP_BODY_P10CR;
}

/* ip answers ir, cp answers cr and p10cr, kup answers kur. */
static int certrep_type(int req_body)
{
    switch (req_body) {
    case CMP_BODY_IR:
        return CMP_BODY_IP;
    case CMP_BODY_KUR:
        return CMP_BODY_KUP;
    default:
        return CMP_BODY_CP;
    }
}

/* Looks up the MAC secret of |kid|: the callback first, then -srv_secret
 * (whose -srv_ref, if set, must match). */
static cmp_err find_secret(cmp_server *srv, cmp_buf *out, cmp_span kid)
{
    if (srv->cfg.secret_fn != NULL && srv->cfg.secret_fn(srv->cfg.secret_arg, out, kid) == CMP_OK) {
        return CMP_OK;
    }
    CMP_ENSURE(srv->cfg.srv_secret.len > 0, CMP_ERR_SENDER);
    CMP_ENSURE(srv->cfg.srv_ref.len == 0 || span_eq(srv->cfg.srv_ref, kid), CMP_ERR_SENDER);
    out->data = cmp_malloc(srv->cfg.srv_secret.len);
    CMP_ENSURE(out->data != NULL, CMP_ERR_NOMEM);
    memcpy(out->data, srv->cfg.srv_secret.data, srv->cfg.srv_secret.len);
    out->len = srv->cfg.srv_secret.len;
    return CMP_OK;
}

static int is_mac_alg(cmp_span alg)
{
    cmp_alg_kind k;
    return alg.len > 0 && cmp_crypto_alg_kind(&k, alg) == CMP_OK && k == CMP_ALG_MAC;
}

/* = https://www.rfc-editor.org/rfc/rfc9483#section-3.1
 * # pvno MUST be 2 or 3; transactionID ... 128 bits; senderNonce ... 128 bits
 * These need no state, so they run before the lock. */
static cmp_err check_header(hctx *h)
{
    cmp_span tid = cmp_msg_transaction_id(h->req);

    CMP_TRY(cmp_msg_pvno(h->req, &h->pvno));
    CMP_ENSURE(h->pvno == CMP_PVNO_2000 || h->pvno == CMP_PVNO_2021, CMP_ERR_PVNO);
    CMP_ENSURE(tid.len >= CMP_TID_LEN && tid.len <= sizeof(h->txn.tid), CMP_ERR_TRANSACTION_ID);
    CMP_ENSURE(cmp_msg_sender_nonce(h->req).len == CMP_NONCE_LEN, CMP_ERR_SENDER_NONCE);
    return CMP_OK;
}

/* = https://www.rfc-editor.org/rfc/rfc9483#section-3.2
 * # PKI messages MUST have a protection
 * Missing protection passes only with -accept_unprotected. */
static cmp_err check_protection(hctx *h)
{
    cmp_server *srv = h->srv;
    cmp_prot_policy pol;
    cmp_span alg = cmp_msg_protection_alg(h->req);

    memset(&pol, 0, sizeof(pol));
    if (alg.len == 0 || cmp_msg_protection(h->req).len == 0) {
        CMP_ENSURE(srv->cfg.accept_unprotected, CMP_ERR_PROTECTION_MISSING);
        memset(&h->pr, 0, sizeof(h->pr));
        h->pr.kind = CMP_PROT_NONE;
        return CMP_OK;
    }
    if (is_mac_alg(alg) && find_secret(srv, &h->secret, cmp_msg_sender_kid(h->req)) != CMP_OK) {
        cmp_buf_cleanup(&h->secret);
    }
    pol.anchors = srv->anchors;
    pol.num_anchors = srv->num_anchors;
    pol.untrusted = srv->cfg.untrusted;
    pol.num_untrusted = srv->cfg.num_untrusted;
    pol.secret = bspan(&h->secret);
    pol.now = h->now;
    return cmp_prot_verify(h->c, &h->pr, h->req, &pol);
}

/* = https://www.rfc-editor.org/rfc/rfc9810#section-5.2.3
 * # badTime (3), -- messageTime was not sufficiently close to the system
 * # time, as defined by local policy
 * The local policy is |max_skew| (0: no check). messageTime is optional
 * (RFC 9810 section 5.1.1; RFC 9483 section 3.1 recommends it), so a
 * request without one is not refused. Runs after the protection check, so
 * that the time judged is the one the sender protected. */
static cmp_err check_message_time(hctx *h)
{
    int64_t t, skew = h->srv->cfg.max_skew;

    if (skew <= 0 || cmp_msg_message_time(h->req, &t) != CMP_OK) {
        return CMP_OK;
    }
    CMP_ENSURE(t <= h->now ? h->now - t <= skew : t - h->now <= skew, CMP_ERR_MESSAGE_TIME);
    return CMP_OK;
}

/* The reference a follow-up message must match: the MAC's senderKID, or the
 * SHA-256 of the signing certificate. */
static cmp_err auth_ref(hctx *h, uint8_t out[CMP_HASH_MAX_LEN], size_t *out_len)
{
    cmp_span kid;

    *out_len = 0;
    if (h->pr.kind == CMP_PROT_SIG) {
        return cmp_crypto_hash(h->c, out, out_len, CMP_HASH_SHA256, h->pr.signer);
    }
    if (h->pr.kind == CMP_PROT_MAC) {
        kid = cmp_msg_sender_kid(h->req);
        if (kid.len > CMP_HASH_MAX_LEN) {
            return cmp_crypto_hash(h->c, out, out_len, CMP_HASH_SHA256, kid);
        }
        if (kid.len > 0) {
            memcpy(out, kid.data, kid.len);
        }
        *out_len = kid.len;
    }
    return CMP_OK;
}

static cmp_err set_auth_ref(hctx *h, cmp_srv_txn *t)
{
    uint8_t ref[CMP_HASH_MAX_LEN];
    size_t n;

    CMP_TRY(auth_ref(h, ref, &n));
    cmp_buf_cleanup(&t->mac_ref);
    if (n > 0) {
        t->mac_ref.data = cmp_malloc(n);
        CMP_ENSURE(t->mac_ref.data != NULL, CMP_ERR_NOMEM);
        memcpy(t->mac_ref.data, ref, n);
        t->mac_ref.len = n;
    }
    t->prot = (int)h->pr.kind;
    return CMP_OK;
}

/* = https://www.rfc-editor.org/rfc/rfc9810#section-5.1.1
 * # recipNonce ... the value of the senderNonce of the previous message
 * And the follow-up must come from whoever opened the transaction. */
static cmp_err check_follow_up(hctx *h)
{
    uint8_t ref[CMP_HASH_MAX_LEN];
    size_t n;
    cmp_span rn = cmp_msg_recip_nonce(h->req);

    CMP_ENSURE(rn.len == CMP_NONCE_LEN && cmp_ct_eq(rn.data, h->txn.our_nonce, CMP_NONCE_LEN),
               CMP_ERR_RECIP_NONCE);
    CMP_TRY(auth_ref(h, ref, &n));
    CMP_ENSURE((int)h->pr.kind == h->txn.prot, CMP_ERR_WRONG_INTEGRITY);
    CMP_ENSURE(n == h->txn.mac_ref.len && (n == 0 || cmp_ct_eq(ref, h->txn.mac_ref.data, n)),
               CMP_ERR_NOT_AUTHORIZED);
    return CMP_OK;
}

/* ---- building the answer ------------------------------------------------------- */

/* How the answer is protected: like the request (RFC 9483 section 3.2),
 * a MAC when the request carried one with a secret we know, else our
 * signature. */
static void make_cred(hctx *h, cmp_prot_cred *cred, cmp_mac_params *mp)
{
    cmp_server *srv = h->srv;
    cmp_span alg = h->req != NULL ? cmp_msg_protection_alg(h->req) : mk(NULL, 0);

    memset(cred, 0, sizeof(*cred));
    if (h->secret.len > 0 && is_mac_alg(alg) &&
        cmp_crypto_mac_alg_decode(h->c, mp, alg) == CMP_OK) {
        cred->kind = CMP_PROT_MAC;
        cred->secret = bspan(&h->secret);
        cred->ref = srv->cfg.srv_ref.len > 0 ? srv->cfg.srv_ref : cmp_msg_sender_kid(h->req);
        mp->salt = mk(NULL, 0);
        cred->mac = mp;
        cred->sender_name = srv->srv_subject;
        return;
    }
    cred->kind = CMP_PROT_SIG;
    cred->key = h->slot->srv_key != NULL ? h->slot->srv_key : h->slot->ca_key;
    cred->cert = srv->srv_cert;
    cred->chain = srv->chain;
    cred->num_chain = srv->num_chain;
}

static cmp_err rsp_new(hctx *h, cmp_msg **out, cmp_prot_hdr *ph, const cmp_prot_cred *cred)
{
    cmp_hdr_spec hs;
    uint8_t tid[CMP_TID_LEN];

    memset(&hs, 0, sizeof(hs));
    CMP_TRY(cmp_crypto_random(h->c, h->nonce, sizeof(h->nonce)));
    CMP_TRY(cmp_prot_hdr_make(h->c, ph, cred));
    cmp_prot_hdr_apply(ph, &hs);
    hs.pvno = (h->pvno == CMP_PVNO_2021) ? CMP_PVNO_2021 : CMP_PVNO_2000;
    if (h->req != NULL) {
        hs.recipient = cmp_msg_sender(h->req);
        hs.transaction_id = cmp_msg_transaction_id(h->req);
        hs.recip_nonce = cmp_msg_sender_nonce(h->req);
    }
    if (hs.transaction_id.len == 0) {
        /* Nothing to echo: a fresh one, so that the answer is well-formed. */
        CMP_TRY(cmp_crypto_random(h->c, tid, sizeof(tid)));
        hs.transaction_id = mk(tid, sizeof(tid));
    }
    hs.message_time = h->now;
    hs.sender_nonce = mk(h->nonce, sizeof(h->nonce));
    hs.implicit_confirm = h->implicit;
    return cmp_msg_new(out, &hs);
}

/* Protects and encodes |m| into h->out. |extra| are added to extraCerts
 * after what protection puts there (for certificate responses: the chain of
 * the issued certificate). */
static cmp_err rsp_finish(hctx *h, cmp_msg *m, const cmp_prot_cred *cred, int with_chain)
{
    cmp_server *srv = h->srv;
    size_t i;

    CMP_TRY(cmp_prot_protect(h->c, m, cred, 1));
    if (with_chain && cred->kind != CMP_PROT_SIG) {
        CMP_TRY(cmp_msg_add_extra_cert(m, srv->cfg.ca_cert));
        for (i = 0; i < srv->num_chain; i++) {
            if (!span_eq(srv->chain[i], srv->cfg.ca_cert)) {
                CMP_TRY(cmp_msg_add_extra_cert(m, srv->chain[i]));
            }
        }
    }
    cmp_buf_cleanup(&h->out);
    return cmp_msg_encode(m, &h->out);
}

typedef enum rsp_kind {
    RSP_CERTREP,
    RSP_POLLREP,
    RSP_PKICONF,
    RSP_GENP,
    RSP_RP,
    RSP_ERROR
} rsp_kind;

/* What a handler wants to answer; |build| turns it into bytes. */
typedef struct rsp_spec {
    rsp_kind kind;
    cmp_certrep_entry entry; /* RSP_CERTREP */
    int with_ca_pubs;
    cmp_pollrep_entry poll;  /* RSP_POLLREP */
    const cmp_itav *itavs;   /* RSP_GENP */
    size_t num_itavs;
    cmp_status_info status;  /* RSP_RP */
    cmp_error_info error;    /* RSP_ERROR */
} rsp_spec;

static cmp_err build(hctx *h, const rsp_spec *r)
{
    cmp_err err = CMP_ERR_INTERNAL;
    cmp_msg *m = NULL;
    cmp_prot_hdr ph;
    cmp_prot_cred cred;
    cmp_mac_params mp;
    cmp_certrep_spec rep;
    int with_chain = 0;

    memset(&ph, 0, sizeof(ph));
    memset(&mp, 0, sizeof(mp));
    make_cred(h, &cred, &mp);
    CMP_TRY_OUT(rsp_new(h, &m, &ph, &cred));
    switch (r->kind) {
    case RSP_CERTREP:
        memset(&rep, 0, sizeof(rep));
        rep.responses = &r->entry;
        rep.num_responses = 1;
        if (r->with_ca_pubs && r->entry.cert.len > 0) {
            rep.ca_pubs = h->srv->cfg.ca_pubs;
            rep.num_ca_pubs = h->srv->cfg.num_ca_pubs;
        }
        h->rsp_body = certrep_type(h->req_body == CMP_BODY_POLLREQ ? h->txn.body : h->req_body);
        CMP_TRY_OUT(cmp_msg_set_body_certrep(m, (cmp_body_type)h->rsp_body, &rep));
        h->rsp_status = r->entry.status.status;
        h->rsp_fail_info = r->entry.status.fail_info;
        with_chain = r->entry.cert.len > 0;
        break;
    case RSP_POLLREP:
        h->rsp_body = CMP_BODY_POLLREP;
        CMP_TRY_OUT(cmp_msg_set_body_pollrep(m, &r->poll, 1));
        break;
    case RSP_PKICONF:
        h->rsp_body = CMP_BODY_PKICONF;
        CMP_TRY_OUT(cmp_msg_set_body_pkiconf(m));
        break;
    case RSP_GENP:
        h->rsp_body = CMP_BODY_GENP;
        CMP_TRY_OUT(cmp_msg_set_body_genm(m, CMP_BODY_GENP, r->itavs, r->num_itavs));
        break;
    case RSP_RP:
        h->rsp_body = CMP_BODY_RP;
        h->rsp_status = r->status.status;
        h->rsp_fail_info = r->status.fail_info;
        CMP_TRY_OUT(cmp_msg_set_body_rp(m, &r->status, 1));
        break;
    case RSP_ERROR:
    default:
        h->rsp_body = CMP_BODY_ERROR;
        h->rsp_status = r->error.status.status;
        h->rsp_fail_info = r->error.status.fail_info;
        CMP_TRY_OUT(cmp_msg_set_body_error(m, &r->error));
        break;
    }
    CMP_TRY_OUT(rsp_finish(h, m, &cred, with_chain));
    err = CMP_OK;
out:
    cmp_prot_hdr_cleanup(&ph);
    cmp_msg_free(m);
    return err;
}

static void status_text(cmp_status_info *si, const char *text)
{
    if (text != NULL && text[0] != '\0') {
        si->texts[0] = mk((const uint8_t *)text, strlen(text));
        si->num_texts = 1;
    }
}

/* ---- issuing ---------------------------------------------------------------------- */

/* Serial numbers: 8 random bytes (top bits 01, so positive and minimal)
 * followed by the store's 64-bit counter: unique by the counter,
 * unpredictable by the random part (CA/B Forum style). */
static cmp_err new_serial(hctx *h, uint8_t out[16])
{
    uint64_t ctr;
    int i;

    CMP_TRY(cmp_srv_store_next_serial(h->srv->store, &ctr));
    CMP_TRY(cmp_crypto_random(h->c, out, 8));
    out[0] = (uint8_t)((out[0] & 0x3f) | 0x40);
    for (i = 0; i < 8; i++) {
        out[8 + i] = (uint8_t)(ctr >> (56 - 8 * i));
    }
    return CMP_OK;
}

static cmp_err buf_set(cmp_buf *b, cmp_span s)
{
    cmp_buf_cleanup(b);
    if (s.len == 0) {
        return CMP_OK;
    }
    b->data = cmp_malloc(s.len);
    CMP_ENSURE(b->data != NULL, CMP_ERR_NOMEM);
    memcpy(b->data, s.data, s.len);
    b->len = s.len;
    return CMP_OK;
}

/* kur: the template may omit the subject, which then comes from the
 * certificate being updated (RFC 9483 section 4.1.3). */
static void kur_subject(cmp_srv_certreq *cr, cmp_span old_cert)
{
    cmp_cert_info ci;

    if (cr->subject.len == 0 && old_cert.len > 0 && cmp_crypto_cert_parse(&ci, old_cert) == CMP_OK) {
        cr->subject = ci.subject;
    }
}

/* Issues the certificate of |cr|, records it and sets up the answer and
 * the transaction row. Runs inside the store transaction. */
static cmp_err issue(hctx *h, rsp_spec *r, cmp_srv_certreq *cr)
{
    cmp_err err = CMP_ERR_INTERNAL;
    uint8_t serial[16];
    cmp_buf cert = {NULL, 0};
    cmp_span tid = mk(h->txn.tid, h->txn.tid_len);

    CMP_TRY_OUT(new_serial(h, serial));
    CMP_TRY_OUT(cmp_srv_issue(h->c, &cert, h->slot->ca_key, h->srv->cfg.ca_cert,
                              &h->prof->profile, cr, mk(serial, sizeof(serial)), h->now));
    CMP_TRY_OUT(cmp_srv_store_cert_add(h->srv->store, mk(serial, sizeof(serial)), bspan(&cert),
                                       tid,
                                       h->implicit ? CMP_SRV_CERT_CONFIRMED
                                                   : CMP_SRV_CERT_UNCONFIRMED,
                                       h->now));
    CMP_TRY_OUT(buf_set(&h->txn.serial, mk(serial, sizeof(serial))));
    cmp_buf_cleanup(&h->txn.cert);
    h->txn.cert = cert;
    cert.data = NULL;
    cert.len = 0;
    cmp_buf_cleanup(&h->txn.req);
    cmp_buf_cleanup(&h->txn.subject);
    /* = https://www.rfc-editor.org/rfc/rfc9810#section-5.1.1.1
     * # implicitConfirm ... the CA ... need not wait for certConf */
    h->txn.state = h->implicit ? CMP_SRV_DONE : CMP_SRV_ISSUED;
    memset(&r->entry, 0, sizeof(r->entry));
    r->kind = RSP_CERTREP;
    r->entry.cert_req_id = cr->cert_req_id;
    r->entry.status.status = h->dec.status == CMP_STATUS_GRANTED_WITH_MODS
                                 ? CMP_STATUS_GRANTED_WITH_MODS
                                 : CMP_STATUS_ACCEPTED;
    status_text(&r->entry.status, h->dec.text);
    r->entry.cert = bspan(&h->txn.cert);
    r->with_ca_pubs = (h->txn.body == CMP_BODY_IR);
    err = CMP_OK;
out:
    cmp_buf_cleanup(&cert);
    return err;
}

static void reject_entry(rsp_spec *r, int64_t id, uint32_t fail_info, const char *text)
{
    memset(r, 0, sizeof(*r));
    r->kind = RSP_CERTREP;
    r->entry.cert_req_id = id;
    r->entry.status.status = CMP_STATUS_REJECTION;
    r->entry.status.fail_info = fail_info;
    status_text(&r->entry.status, text);
}

/* ---- policy ------------------------------------------------------------------------ */

/* The built-in policy: openssl cmp's mock-server options, and approval,
 * as configured for the request's profile. */
static cmp_err builtin_policy(const cmp_server_profile_cfg *c, cmp_server_decision *d)
{
    memset(d, 0, sizeof(*d));
    if (c->status_text != NULL) {
        size_t n = strlen(c->status_text);
        if (n >= sizeof(d->text)) {
            n = sizeof(d->text) - 1;
        }
        memcpy(d->text, c->status_text, n);
    }
    if (c->pkistatus == CMP_STATUS_REJECTION) {
        d->action = CMP_SERVER_REJECT;
        d->fail_info = c->fail_info;
        return CMP_OK;
    }
    if (c->await_approval) {
        d->action = CMP_SERVER_WAIT;
        d->polls = 0;
        return CMP_OK;
    }
    if (c->poll_count > 0) {
        d->action = CMP_SERVER_WAIT;
        d->polls = c->poll_count;
        return CMP_OK;
    }
    d->action = CMP_SERVER_ACCEPT;
    d->status = c->pkistatus == CMP_STATUS_GRANTED_WITH_MODS ? CMP_STATUS_GRANTED_WITH_MODS
                                                              : CMP_STATUS_ACCEPTED;
    return CMP_OK;
}

static cmp_err decide(hctx *h, const cmp_srv_certreq *cr)
{
    cmp_server *srv = h->srv;
    cmp_server_request q;

    if (srv->cfg.policy == NULL) {
        return builtin_policy(h->prof, &h->dec);
    }
    memset(&q, 0, sizeof(q));
    memset(&h->dec, 0, sizeof(h->dec));
    q.body_type = cr->body;
    q.transaction_id = cmp_msg_transaction_id(h->req);
    q.subject = cr->subject;
    q.public_key = cr->public_key;
    q.extensions = cr->extensions;
    q.mac_protected = h->pr.kind == CMP_PROT_MAC;
    q.sender_kid = cmp_msg_sender_kid(h->req);
    q.signer_cert = h->pr.signer;
    q.profile = h->prof->label;
    CMP_TRY(srv->cfg.policy(srv->cfg.policy_arg, &h->dec, &q));
    h->dec.text[sizeof(h->dec.text) - 1] = '\0';
    return CMP_OK;
}

/* ---- handlers ------------------------------------------------------------------------ */

/* cr, kur and rr come from holders of our certificates: the signer must be
 * one we issued and have not revoked. */
static cmp_err check_own_signer(hctx *h, cmp_cert_info *ci)
{
    int st;

    CMP_ENSURE(h->pr.kind == CMP_PROT_SIG, CMP_ERR_NOT_AUTHORIZED);
    CMP_TRY(cmp_crypto_cert_parse(ci, h->pr.signer));
    CMP_ENSURE(span_eq(ci->issuer, h->srv->ca_subject), CMP_ERR_NOT_AUTHORIZED);
    CMP_ENSURE(cmp_srv_store_cert_status(h->srv->store, &st, ci->serial) == CMP_OK,
               CMP_ERR_NOT_AUTHORIZED);
    CMP_ENSURE(st != CMP_SRV_CERT_REVOKED, CMP_ERR_REVOKED);
    return CMP_OK;
}

/* kur: the oldCertID control, when present, names the signer
 * (RFC 4211 section 6.5, RFC 9483 section 4.1.3). */
static cmp_err check_kur(hctx *h, const cmp_srv_certreq *cr)
{
    cmp_cert_info ci;
    cmp_buf gn = {NULL, 0};
    int ok;

    CMP_TRY(check_own_signer(h, &ci));
    if (cr->old_cert_serial.len > 0) {
        CMP_ENSURE(span_eq(cr->old_cert_serial, ci.serial), CMP_ERR_BAD_REQUEST);
        CMP_TRY(cmp_general_name_dn(&gn, ci.issuer));
        ok = cr->old_cert_issuer.len == 0 || span_eq(cr->old_cert_issuer, bspan(&gn));
        cmp_buf_cleanup(&gn);
        CMP_ENSURE(ok, CMP_ERR_BAD_REQUEST);
    }
    return CMP_OK;
}

/* ir, cr, kur, p10cr: RFC 9810 sections 5.3.1-5.3.4. */
static cmp_err on_certreq(hctx *h, rsp_spec *r)
{
    cmp_srv_certreq cr;
    cmp_err e;
    cmp_cert_info ci;

    e = cmp_srv_certreq_read(h->c, &cr, h->req, h->srv->cfg.accept_raverified);
    if (e == CMP_OK) {
        e = cmp_srv_exts_check(cr.extensions, &h->prof->profile);
    }
    if (e != CMP_OK) {
        /* The request itself is at fault: answered in its own body type. */
        h->reject_as_certrep = (e != CMP_ERR_BAD_REQUEST && e != CMP_ERR_CERT_REQ_ID);
        h->cert_req_id = h->req_body == CMP_BODY_P10CR ? -1 : 0;
        CMP_FAIL(e);
    }
    if (h->req_body == CMP_BODY_CR) {
        CMP_TRY(check_own_signer(h, &ci));
    } else if (h->req_body == CMP_BODY_KUR) {
        CMP_TRY(check_kur(h, &cr));
        kur_subject(&cr, h->pr.signer);
    }
    CMP_TRY(decide(h, &cr));

    memset(&h->txn, 0, sizeof(h->txn));
    memcpy(h->txn.tid, cmp_msg_transaction_id(h->req).data, cmp_msg_transaction_id(h->req).len);
    h->txn.tid_len = cmp_msg_transaction_id(h->req).len;
    h->txn.body = h->req_body;
    h->txn.pvno = (int)h->pvno;
    h->txn.cert_req_id = cr.cert_req_id;
    h->txn.updated = h->now;
    h->txn.created = h->now;
    memcpy(h->txn.profile, h->prof->label, strlen(h->prof->label) + 1);
    CMP_TRY(set_auth_ref(h, &h->txn));
    /* = https://www.rfc-editor.org/rfc/rfc9483#section-4.1.1
     * # implicitConfirm ... the PKI management entity MAY grant it */
    h->implicit = cmp_msg_implicit_confirm(h->req) && h->prof->grant_implicit_confirm;
    h->txn.implicit = h->implicit;

    switch (h->dec.action) {
    case CMP_SERVER_ACCEPT:
        return issue(h, r, &cr);
    case CMP_SERVER_WAIT:
        /* = https://www.rfc-editor.org/rfc/rfc9810#section-5.3.22
         * The request is kept (as received) to be issued when released. */
        h->implicit = 0; /* granted, if at all, with the final answer */
        h->txn.state = CMP_SRV_WAITING;
        h->txn.polls_left = h->dec.polls > 0 ? (int64_t)h->dec.polls : -1;
        CMP_TRY(buf_set(&h->txn.req, h->req_bytes));
        CMP_TRY(buf_set(&h->txn.subject, cr.subject));
        if (h->req_body == CMP_BODY_KUR) {
            CMP_TRY(buf_set(&h->txn.cert, h->pr.signer));
        }
        memset(r, 0, sizeof(*r));
        r->kind = RSP_CERTREP;
        r->entry.cert_req_id = cr.cert_req_id;
        r->entry.status.status = CMP_STATUS_WAITING;
        return CMP_OK;
    case CMP_SERVER_REJECT:
    default:
        h->implicit = 0;
        h->txn.state = CMP_SRV_DONE;
        reject_entry(r, cr.cert_req_id, h->dec.fail_info, h->dec.text);
        return CMP_OK;
    }
}

/* pollReq: RFC 9810 section 5.3.22. */
static cmp_err on_pollreq(hctx *h, rsp_spec *r)
{
    int64_t id;
    cmp_msg *orig = NULL;
    cmp_srv_certreq cr;
    cmp_err err = CMP_ERR_INTERNAL;

    CMP_TRY(check_follow_up(h));
    CMP_ENSURE(cmp_msg_num_pollreq(h->req) == 1, CMP_ERR_BAD_REQUEST);
    CMP_TRY(cmp_msg_pollreq(h->req, 0, &id));
    /* RFC 9810 section 5.3.22: certReqId -1 polls for a p10cr or after an
     * error message with status waiting. */
    CMP_ENSURE(id == h->txn.cert_req_id, CMP_ERR_CERT_REQ_ID);
    h->txn.updated = h->now;
    if (h->txn.polls_left > 0 || (h->txn.polls_left < 0 && h->txn.approval == 0)) {
        if (h->txn.polls_left > 0) {
            h->txn.polls_left--;
        }
        memset(r, 0, sizeof(*r));
        r->kind = RSP_POLLREP;
        r->poll.cert_req_id = id;
        r->poll.check_after = h->prof->check_after;
        return CMP_OK;
    }
    if (h->txn.approval < 0) {
        h->txn.state = CMP_SRV_DONE;
        cmp_buf_cleanup(&h->txn.req);
    cmp_buf_cleanup(&h->txn.subject);
        reject_entry(r, id, h->txn.fail_info, NULL);
        return CMP_OK;
    }
    /* Released: issue from the request as it was received. */
    CMP_TRY_OUT(cmp_msg_decode(&orig, h->txn.req.data, h->txn.req.len, NULL, NULL));
    CMP_TRY_OUT(cmp_srv_certreq_read(h->c, &cr, orig, h->srv->cfg.accept_raverified));
    if (h->txn.body == CMP_BODY_KUR) {
        kur_subject(&cr, bspan(&h->txn.cert));
    }
    memset(&h->dec, 0, sizeof(h->dec));
    h->implicit = h->txn.implicit;
    CMP_TRY_OUT(issue(h, r, &cr));
    err = CMP_OK;
out:
    cmp_msg_free(orig);
    return err;
}

/* certConf: RFC 9810 section 5.3.18. */
static cmp_err on_certconf(hctx *h, rsp_spec *r)
{
    cmp_certconf_entry e;
    uint8_t hash[CMP_HASH_MAX_LEN];
    size_t hash_len = 0;
    int reject;
    size_t n = cmp_msg_num_certconf(h->req);

    CMP_TRY(check_follow_up(h));
    CMP_ENSURE(n <= 1, CMP_ERR_BAD_REQUEST);
    memset(&e, 0, sizeof(e));
    if (n == 1) {
        CMP_TRY(cmp_msg_certconf(h->req, 0, &e));
        CMP_ENSURE(e.cert_req_id == h->txn.cert_req_id, CMP_ERR_CERT_REQ_ID);
        /* = https://www.rfc-editor.org/rfc/rfc9810#section-5.3.18
         * # hashAlg ... MUST only be used with pvno cmp2021 */
        CMP_ENSURE(e.hash_alg.len == 0 || h->pvno == CMP_PVNO_2021, CMP_ERR_BAD_REQUEST);
        CMP_TRY(cmp_crypto_cert_hash(h->c, hash, &hash_len, bspan(&h->txn.cert), e.hash_alg));
        CMP_ENSURE(e.cert_hash.len == hash_len && cmp_ct_eq(e.cert_hash.data, hash, hash_len),
                   CMP_ERR_CERT_HASH);
    }
    /* An empty certConf, or a status of rejection, rejects the certificate,
     * which the CA then revokes. */
    reject = (n == 0) || (e.has_status && e.status.status == CMP_STATUS_REJECTION);
    if (reject) {
        CMP_TRY(cmp_srv_store_revoke(h->srv->store, bspan(&h->txn.serial), 0, h->now));
    } else {
        CMP_TRY(cmp_srv_store_cert_set_status(h->srv->store, bspan(&h->txn.serial),
                                              CMP_SRV_CERT_CONFIRMED));
    }
    h->txn.state = CMP_SRV_DONE;
    h->txn.updated = h->now;
    memset(r, 0, sizeof(*r));
    r->kind = RSP_PKICONF;
    return CMP_OK;
}

/* An error message from the requester ends its transaction; an issued
 * certificate that was never confirmed is revoked. Answered with pkiConf
 * (RFC 9483 section 3.6.4 leaves this to the PKI management entity). */
static cmp_err on_peer_error(hctx *h, rsp_spec *r)
{
    CMP_TRY(check_follow_up(h));
    if (h->txn.state == CMP_SRV_ISSUED && h->txn.serial.len > 0) {
        CMP_TRY(cmp_srv_store_revoke(h->srv->store, bspan(&h->txn.serial), 0, h->now));
    }
    h->txn.state = CMP_SRV_DONE;
    h->txn.updated = h->now;
    cmp_buf_cleanup(&h->txn.req);
    cmp_buf_cleanup(&h->txn.subject);
    memset(r, 0, sizeof(*r));
    r->kind = RSP_PKICONF;
    return CMP_OK;
}

/* Records a finished one-shot transaction (genm, rr), so that its
 * transactionID cannot be reused. */
static cmp_err done_row(hctx *h)
{
    cmp_span tid = cmp_msg_transaction_id(h->req);

    memset(&h->txn, 0, sizeof(h->txn));
    memcpy(h->txn.tid, tid.data, tid.len);
    h->txn.tid_len = tid.len;
    h->txn.state = CMP_SRV_DONE;
    h->txn.body = h->req_body;
    h->txn.pvno = (int)h->pvno;
    h->txn.updated = h->now;
    h->txn.created = h->now;
    memcpy(h->txn.profile, h->prof->label, strlen(h->prof->label) + 1);
    return set_auth_ref(h, &h->txn);
}

/* genm: RFC 9810 section 5.3.19, RFC 9483 section 4.3. The values are
 * kept in |h| until the answer is built. */
static cmp_err on_genm(hctx *h, rsp_spec *r)
{
    cmp_srv_genm_data gd;

    memset(&gd, 0, sizeof(gd));
    gd.ca_certs = h->srv->ca_certs;
    gd.num_ca_certs = h->srv->num_ca_certs;
    gd.root = h->srv->root;
    gd.ca_subject = h->srv->ca_subject;
    gd.profile = &h->prof->profile;
    cmp_buf_cleanup(&h->genp);
    CMP_TRY(cmp_srv_genp(&h->genp, h->itavs, &h->num_itavs, h->req, &gd));
    CMP_TRY(done_row(h));
    memset(r, 0, sizeof(*r));
    r->kind = RSP_GENP;
    r->itavs = h->itavs;
    r->num_itavs = h->num_itavs;
    return CMP_OK;
}

/* rr: RFC 9810 section 5.3.9, RFC 9483 section 4.2. */
static cmp_err on_rr(hctx *h, rsp_spec *r)
{
    cmp_revreq_entry rv;
    cmp_cert_info ci;
    int st;

    CMP_ENSURE(cmp_msg_num_revreqs(h->req) == 1, CMP_ERR_BAD_REQUEST);
    CMP_TRY(cmp_msg_revreq(h->req, 0, &rv));
    CMP_ENSURE(span_eq(rv.issuer, h->srv->ca_subject), CMP_ERR_BAD_REQUEST);
    CMP_ENSURE(cmp_srv_store_cert_status(h->srv->store, &st, rv.serial) == CMP_OK,
               CMP_ERR_BAD_REQUEST);
    CMP_ENSURE(st != CMP_SRV_CERT_REVOKED, CMP_ERR_REVOKED);
    /* Who may revoke: the holder of the certificate (signature with it) or
     * whoever knows the shared secret. */
    if (h->pr.kind != CMP_PROT_MAC) {
        CMP_TRY(check_own_signer(h, &ci));
        CMP_ENSURE(span_eq(ci.serial, rv.serial), CMP_ERR_NOT_AUTHORIZED);
    }
    CMP_TRY(cmp_srv_store_revoke(h->srv->store, rv.serial, rv.reason < 0 ? 0 : rv.reason,
                                 h->now));
    CMP_TRY(done_row(h));
    memset(r, 0, sizeof(*r));
    r->kind = RSP_RP;
    r->status.status = CMP_STATUS_ACCEPTED;
    return CMP_OK;
}

/* ---- the transaction table (STYLE.md section 2) --------------------------------- */

#define B(t) (1u << (t))

typedef cmp_err (*handler_fn)(hctx *h, rsp_spec *r);

static const struct {
    int state;
    uint32_t bodies;
    handler_fn fn;
} TABLE[] = {
    {CMP_SRV_NEW, B(CMP_BODY_IR) | B(CMP_BODY_CR) | B(CMP_BODY_KUR) | B(CMP_BODY_P10CR),
     on_certreq},
    {CMP_SRV_NEW, B(CMP_BODY_GENM), on_genm},
    {CMP_SRV_NEW, B(CMP_BODY_RR), on_rr},
    {CMP_SRV_WAITING, B(CMP_BODY_POLLREQ), on_pollreq},
    {CMP_SRV_WAITING, B(CMP_BODY_ERROR), on_peer_error},
    {CMP_SRV_ISSUED, B(CMP_BODY_CERTCONF), on_certconf},
    {CMP_SRV_ISSUED, B(CMP_BODY_ERROR), on_peer_error},
};

/* Bodies that open a transaction. */
static int is_first_body(int body)
{
    return is_certreq(body) || body == CMP_BODY_GENM || body == CMP_BODY_RR;
}

/* Why a body type is refused in a state. */
static cmp_err misfit(int state, int body)
{
    int first = is_first_body(body);

    if (state == CMP_SRV_NEW) {
        /* = https://www.rfc-editor.org/rfc/rfc9810#section-5.1.1
         * A follow-up message for a transaction we do not know. */
        return (body == CMP_BODY_POLLREQ || body == CMP_BODY_CERTCONF || body == CMP_BODY_ERROR)
                   ? CMP_ERR_UNKNOWN_TRANSACTION
                   : CMP_ERR_BODY_TYPE;
    }
    /* = https://www.rfc-editor.org/rfc/rfc9810#section-5.1.1
     * # If the transactionID is already in use ... transactionIdInUse */
    if (state == CMP_SRV_DONE || first) {
        return CMP_ERR_TRANSACTION_IN_USE;
    }
    return CMP_ERR_BODY_TYPE;
}

static cmp_err dispatch(hctx *h, rsp_spec *r)
{
    cmp_err e;
    size_t i;
    int64_t cutoff = h->now - h->srv->cfg.txn_timeout;

    memset(&h->txn, 0, sizeof(h->txn));
    e = cmp_srv_store_txn_get(h->srv->store, &h->txn, cmp_msg_transaction_id(h->req));
    if (e == CMP_ERR_UNKNOWN_TRANSACTION) {
        h->state = CMP_SRV_NEW;
    } else if (e != CMP_OK) {
        return e;
    } else {
        h->state = h->txn.state;
        /* A transaction stays with the profile (CMP path, RFC 9483
         * section 3.3, RFC 9811 section 3.4) it was started under: its
         * certificate profile and policy were chosen there. A follow-up
         * under another path is refused, and so is a first message that
         * reuses the transactionID there, even byte for byte the one we
         * answered (that answer came from the other profile). */
        if (strcmp(h->txn.profile, h->prof->label) != 0) {
            CMP_FAIL(is_first_body(h->req_body) ? CMP_ERR_TRANSACTION_IN_USE
                                                : CMP_ERR_WRONG_PROFILE);
        }
        /* A transaction idle past the timeout is over, even before the
         * sweep has recorded it. */
        if ((h->state == CMP_SRV_WAITING || h->state == CMP_SRV_ISSUED) &&
            h->txn.updated < cutoff) {
            h->state = CMP_SRV_DONE;
        } else if (h->txn.last_rsp.len > 0 &&
                   cmp_ct_eq(h->req_hash, h->txn.last_req, sizeof(h->req_hash))) {
            /* = https://www.rfc-editor.org/rfc/rfc9811#section-3.1
             * A client may send a request again when its connection broke
             * before the answer arrived (RFC 9112 section 9.3.1). The very
             * same bytes get the very same answer, and nothing changes. */
            h->retransmit = 1;
            h->rsp_body = h->txn.last_rsp_body;
            return buf_set(&h->out, bspan(&h->txn.last_rsp));
        }
    }
    for (i = 0; i < sizeof(TABLE) / sizeof(TABLE[0]); i++) {
        if (TABLE[i].state == h->state && (TABLE[i].bodies & B(h->req_body)) != 0) {
            return TABLE[i].fn(h, r);
        }
    }
    CMP_FAIL(misfit(h->state, h->req_body));
}

/* The body of one locked step: dispatch, build the answer, write, commit. */
static cmp_err step(hctx *h)
{
    cmp_err err = CMP_ERR_INTERNAL;
    rsp_spec r;

    memset(&r, 0, sizeof(r));
    CMP_TRY_OUT(cmp_srv_store_begin(h->srv->store));
    CMP_TRY_OUT(dispatch(h, &r));
    if (h->retransmit) {
        cmp_srv_store_rollback(h->srv->store);
        return CMP_OK;
    }
    CMP_TRY_OUT(build(h, &r));
    if (h->txn.tid_len > 0) {
        memcpy(h->txn.our_nonce, h->nonce, sizeof(h->nonce));
        memcpy(h->txn.last_req, h->req_hash, sizeof(h->req_hash));
        CMP_TRY_OUT(buf_set(&h->txn.last_rsp, bspan(&h->out)));
        h->txn.last_rsp_body = h->rsp_body;
        CMP_TRY_OUT(cmp_srv_store_txn_put(h->srv->store, &h->txn));
    }
    CMP_TRY_OUT(cmp_srv_store_commit(h->srv->store));
    err = CMP_OK;
out:
    if (err != CMP_OK) {
        cmp_srv_store_rollback(h->srv->store);
        /* A rejection decided inside a handler (policy) is a normal answer;
         * other failures are refusals answered by the caller. */
    }
    return err;
}

/* ---- the entry points ---------------------------------------------------------------- */

/* The answer to a refused request (STYLE.md section 4: one failInfo bit per
 * cmp_err). */
static void refusal(hctx *h, rsp_spec *r, cmp_err e, int forced)
{
    int bit = cmp_err_failinfo(e);
    uint32_t fi = bit >= 0 ? (1u << bit) : 0;
    const char *text = cmp_err_str(e);

    if (forced) {
        fi = h->srv->cfg.fail_info;
        text = h->srv->cfg.status_text;
    }
    memset(r, 0, sizeof(*r));
    if (h->reject_as_certrep && !forced) {
        reject_entry(r, h->cert_req_id, fi, text);
        return;
    }
    /* = https://www.rfc-editor.org/rfc/rfc9810#section-5.3.21
     * ErrorMsgContent ::= SEQUENCE { pKIStatusInfo, errorCode, errorDetails } */
    r->kind = RSP_ERROR;
    r->error.status.status = CMP_STATUS_REJECTION;
    r->error.status.fail_info = fi;
    status_text(&r->error.status, text);
}

/* Everything up to the locked step; failures are refusals. */
static cmp_err process(hctx *h, int *forced)
{
    cmp_server *srv = h->srv;
    cmp_decode_opts opts;
    cmp_err e;

    memset(&opts, 0, sizeof(opts));
    CMP_TRY(cmp_msg_decode(&h->req, h->req_bytes.data, h->req_bytes.len, &opts, NULL));
    h->req_body = cmp_msg_body_type(h->req);
    CMP_TRY(check_header(h));
    CMP_TRY(check_protection(h));
    CMP_TRY(check_message_time(h));
    {
        size_t n = 0;
        uint8_t dg[CMP_HASH_MAX_LEN];
        CMP_TRY(cmp_crypto_hash(h->c, dg, &n, CMP_HASH_SHA256, h->req_bytes));
        CMP_ENSURE(n == sizeof(h->req_hash), CMP_ERR_INTERNAL);
        memcpy(h->req_hash, dg, n);
    }
    if (srv->cfg.send_error) {
        *forced = 1;
        CMP_FAIL(CMP_ERR_REJECTED);
    }
    cmp_srv_store_lock(srv->store);
    if (h->now - srv->last_sweep >= SWEEP_INTERVAL) {
        /* Time-driven housekeeping, its own durable step. */
        if (cmp_srv_store_begin(srv->store) == CMP_OK) {
            if (cmp_srv_store_txn_expire(srv->store, h->now - srv->cfg.txn_timeout, h->now) ==
                    CMP_OK &&
                cmp_srv_store_commit(srv->store) == CMP_OK) {
                srv->last_sweep = h->now;
            } else {
                cmp_srv_store_rollback(srv->store);
            }
        }
    }
    e = step(h);
    cmp_srv_store_unlock(srv->store);
    return e;
}

static void emit(hctx *h, cmp_err e)
{
    cmp_server_event ev;

    if (h->srv->cfg.on_message == NULL) {
        return;
    }
    memset(&ev, 0, sizeof(ev));
    if (h->req != NULL) {
        ev.transaction_id = cmp_msg_transaction_id(h->req);
    }
    ev.req_body = h->req_body;
    ev.rsp_body = h->rsp_body;
    ev.status = h->rsp_status;
    ev.fail_info = h->rsp_fail_info;
    ev.err = e;
    ev.request = h->req_bytes;
    ev.response = bspan(&h->out);
    ev.profile = h->prof->label;
    h->srv->cfg.on_message(h->srv->cfg.event_arg, &ev);
}

/* see cmp/server.h */
cmp_err cmp_server_handle(cmp_server *srv, cmp_buf *rsp, const uint8_t *req, size_t req_len)
{
    return cmp_server_handle_path(srv, rsp, NULL, req, req_len);
}

/* see cmp/server.h */
cmp_err cmp_server_handle_path(cmp_server *srv, cmp_buf *rsp, const char *label,
                               const uint8_t *req, size_t req_len)
{
    const cmp_server_profile_cfg *prof;
    hctx h;
    rsp_spec r;
    size_t slot;
    cmp_err e, err = CMP_ERR_INTERNAL;
    int forced = 0;

    CMP_ENSURE(rsp != NULL, CMP_ERR_ARG);
    rsp->data = NULL;
    rsp->len = 0;
    CMP_ENSURE(srv != NULL && (req != NULL || req_len == 0), CMP_ERR_ARG);
    prof = find_profile(srv, label);
    CMP_ENSURE(prof != NULL, CMP_ERR_UNKNOWN_PROFILE);
    memset(&h, 0, sizeof(h));
    h.srv = srv;
    h.prof = prof;
    h.now = srv->cfg.clock(srv->cfg.clock_arg);
    h.req_bytes = mk(req, req_len);
    h.req_body = CMP_BODY_NONE;
    h.rsp_status = -1;
    h.pvno = CMP_PVNO_2000;
    slot = cmp_srv_pool_take(srv->pool);
    h.slot = &srv->slots[slot];
    h.c = h.slot->crypto;

    e = process(&h, &forced);
    if (e != CMP_OK) {
        /* Nothing was written; answer the refusal. */
        h.implicit = 0;
        h.rsp_status = -1;
        h.rsp_fail_info = 0;
        refusal(&h, &r, e, forced);
        err = build(&h, &r);
        if (err != CMP_OK) {
            cmp_buf_cleanup(&h.out);
            goto out;
        }
    }
    err = CMP_OK;
    emit(&h, e);
    *rsp = h.out;
    h.out.data = NULL;
    h.out.len = 0;
out:
    cmp_msg_free(h.req);
    cmp_buf_cleanup(&h.secret);
    cmp_buf_cleanup(&h.genp);
    cmp_buf_cleanup(&h.out);
    cmp_srv_txn_cleanup(&h.txn);
    cmp_srv_pool_give(srv->pool, slot);
    return err;
}

#define PROFILE_PREFIX "/.well-known/cmp/p/"

/* The label of /.well-known/cmp/p/<label>[/<operation>] into |out|;
 * "" for every other path. 0 when the label is too long to be ours. */
static int path_label(char out[CMP_SERVER_MAX_LABEL + 1], const char *path)
{
    size_t n, pre = sizeof(PROFILE_PREFIX) - 1;

    out[0] = '\0';
    if (path == NULL || strncmp(path, PROFILE_PREFIX, pre) != 0) {
        return 1;
    }
    path += pre;
    for (n = 0; path[n] != '\0' && path[n] != '/'; n++) {
        if (n == CMP_SERVER_MAX_LABEL) {
            return 0;
        }
    }
    if (n == 0) {
        return 0; /* "/p/" names no profile */
    }
    memcpy(out, path, n);
    out[n] = '\0';
    return 1;
}

/* see cmp/server.h */
cmp_err cmp_server_http_handler(void *arg, const char *path, const uint8_t *req, size_t req_len,
                                uint8_t **rsp, size_t *rsp_len, int *status)
{
    cmp_buf out = {NULL, 0};
    char label[CMP_SERVER_MAX_LABEL + 1];
    cmp_err e;

    /* = https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5
     * # 404 (Not Found) ... the origin server did not find a current
     * # representation for the target resource
     * An unknown profile label gets no CMP answer and changes nothing. */
    e = path_label(label, path) ? cmp_server_handle_path((cmp_server *)arg, &out, label, req,
                                                         req_len)
                                : CMP_ERR_UNKNOWN_PROFILE;
    if (e == CMP_ERR_UNKNOWN_PROFILE) {
        *rsp = NULL;
        *rsp_len = 0;
        *status = 404;
        return CMP_OK;
    }
    CMP_TRY(e);
    *rsp = out.data;
    *rsp_len = out.len;
    *status = 200;
    return CMP_OK;
}

/* Records a decision in one durable store transaction. The server reads
 * the row again when the next pollReq arrives (dispatch), so a decision
 * written by another process is seen then. */
static cmp_err decide_in(cmp_srv_store *store, cmp_span tid, int accept, uint32_t fail_info)
{
    cmp_err err = CMP_ERR_INTERNAL;

    cmp_srv_store_lock(store);
    CMP_TRY_OUT(cmp_srv_store_begin(store));
    CMP_TRY_OUT(cmp_srv_store_txn_decide(store, tid, accept ? 1 : -1, fail_info));
    CMP_TRY_OUT(cmp_srv_store_commit(store));
    err = CMP_OK;
out:
    if (err != CMP_OK) {
        cmp_srv_store_rollback(store);
    }
    cmp_srv_store_unlock(store);
    return err;
}

/* see cmp/server.h */
cmp_err cmp_server_approve(cmp_server *srv, cmp_span transaction_id, int accept,
                           uint32_t fail_info)
{
    CMP_ENSURE(srv != NULL, CMP_ERR_ARG);
    return decide_in(srv->store, transaction_id, accept, fail_info);
}

/* ---- administration from another process ------------------------------------------ */

struct cmp_server_admin {
    cmp_srv_store *store;
};

/* see cmp/server.h */
cmp_err cmp_server_admin_open(cmp_server_admin **out, const char *state_path)
{
    cmp_server_admin *a;
    cmp_err e;

    CMP_ENSURE(out != NULL, CMP_ERR_ARG);
    *out = NULL;
    CMP_ENSURE(state_path != NULL && strcmp(state_path, ":memory:") != 0, CMP_ERR_ARG);
    a = cmp_calloc(1, sizeof(*a));
    CMP_ENSURE(a != NULL, CMP_ERR_NOMEM);
    e = cmp_srv_store_open(&a->store, state_path, 0);
    if (e != CMP_OK) {
        cmp_free(a);
        return e;
    }
    *out = a;
    return CMP_OK;
}

/* see cmp/server.h */
void cmp_server_admin_close(cmp_server_admin *a)
{
    if (a == NULL) {
        return;
    }
    cmp_srv_store_close(a->store);
    cmp_free(a);
}

/* see cmp/server.h */
cmp_err cmp_server_admin_pending(cmp_server_admin *a, cmp_server_pending_fn fn, void *arg)
{
    cmp_err e;

    CMP_ENSURE(a != NULL && fn != NULL, CMP_ERR_ARG);
    cmp_srv_store_lock(a->store);
    e = cmp_srv_store_pending(a->store, fn, arg);
    cmp_srv_store_unlock(a->store);
    return e;
}

/* see cmp/server.h */
cmp_err cmp_server_admin_decide(cmp_server_admin *a, cmp_span transaction_id, int accept,
                                uint32_t fail_info)
{
    CMP_ENSURE(a != NULL, CMP_ERR_ARG);
    return decide_in(a->store, transaction_id, accept, fail_info);
}

/* see cmp/server.h */
cmp_err cmp_server_get_stats(cmp_server *srv, cmp_server_stats *out)
{
    cmp_err e;

    CMP_ENSURE(srv != NULL && out != NULL, CMP_ERR_ARG);
    cmp_srv_store_lock(srv->store);
    e = cmp_srv_store_stats(srv->store, out);
    cmp_srv_store_unlock(srv->store);
    return e;
}

/* see cmp/server.h */
cmp_err cmp_server_state_digest(cmp_server *srv, uint8_t out[32])
{
    cmp_err err = CMP_ERR_INTERNAL;
    cmp_buf dump = {NULL, 0};
    uint8_t h[CMP_HASH_MAX_LEN];
    size_t n = 0, slot;

    CMP_ENSURE(srv != NULL && out != NULL, CMP_ERR_ARG);
    cmp_srv_store_lock(srv->store);
    err = cmp_srv_store_dump(srv->store, &dump);
    cmp_srv_store_unlock(srv->store);
    CMP_TRY_OUT(err);
    slot = cmp_srv_pool_take(srv->pool);
    err = cmp_crypto_hash(srv->slots[slot].crypto, h, &n, CMP_HASH_SHA256, bspan(&dump));
    cmp_srv_pool_give(srv->pool, slot);
    CMP_TRY_OUT(err);
    CMP_ENSURE_OUT(n == 32, CMP_ERR_INTERNAL);
    memcpy(out, h, 32);
    err = CMP_OK;
out:
    cmp_buf_cleanup(&dump);
    return err;
}
