/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tests/fuzz/fuzz_client_response.c: the end entity (stack/client*.c,
 * stack/prot.c) on responses from a hostile server.
 *
 * One input is one client transaction over the in-memory transport:
 *
 *   input = flags piece...
 *
 * A piece is one DER TLV, its length taken from its own header (the outer
 * SEQUENCE of a PKIMessage); when that header does not parse or claims more
 * than is left, the piece is the rest of the input. The handler answers the
 * client's n-th request (ir/cr/kur/p10cr/genm/rr, then certConf or pollReq)
 * with the n-th piece; when the pieces run out it reports CMP_ERR_TIMEOUT.
 * Error messages the client sends to give up are answered with
 * CMP_ERR_TIMEOUT without using a piece (their answer is ignored).
 *
 * flags (the first byte):
 *   bits 0-2  the transaction: ir, cr, kur, p10cr, genm, rr; 6, 7: ir, cr
 *             with unprotected errors accepted (cmp_client_set_unprotected_errors)
 *   bit 3     the client protects with PBM and the shared secret, else with
 *             its signature (supplier certificate and vendor chain)
 *   bit 4     fix up each piece (below) so that it passes the checks a
 *             server cannot get wrong by accident
 *   bit 5     the client asks for implicit confirmation
 *   bit 6     messageTime is not checked (else the default 600 s skew)
 *   bit 7     lenient (BER) decoding of responses
 *
 * Fix-up (bit 4): random bytes never carry a valid MAC or signature, so the
 * harness rebuilds them, the library is not weakened. It walks the piece's
 * DER itself (PKIMessage, then PKIHeader fields), sets transactionID and
 * recipNonce to those of the client's request, and re-protects the
 * ProtectedPart SEQUENCE { header, body } (the body bytes as received):
 *   - protectionAlg a PBM/PBMAC1 within the limits: the MAC is recomputed
 *     with the shared secret and the message's own parameters;
 *   - otherwise, when the client uses the secret: protectionAlg becomes a
 *     fixed PBM (500 iterations) and the MAC is computed under it;
 *   - otherwise the message is signed with the test PKI's server key
 *     (tests/data/pki/client, trusted by the client through op-root):
 *     sender and senderKID become the server certificate's, extraCerts
 *     [server, op-ca].
 * With unprotected errors accepted (transactions 6 and 7), the fix-up sets
 * only transactionID and recipNonce and keeps the rest, protection
 * included (now invalid), which reaches the lenience for negative answers.
 * A piece that does not walk as a PKIMessage is passed on unchanged.
 * The PBM iteration limit of the shared crypto provider is lowered to 2000
 * (for the client too: above that it fails with CMP_ERR_ITERATIONS before
 * any work), so that one input costs little.
 *
 * The test PKI is read from $CMP_TOP_SRCDIR/tests/data/pki/client (make
 * check sets it; a libFuzzer run from the top of the tree needs nothing).
 * Certificates, keys and the fix-up's algorithms are read and made once;
 * each input gets a fresh cmp_client and transport (the two keys the
 * client takes ownership of are parsed again from memory). The
 * non-blocking API is used: a CMP_ERR_AGAIN advances the client's clock
 * by the delay, nothing sleeps. No test hook in the library is needed.
 *
 * With CMP_FUZZ_VERBOSE set in the environment, each input's outcome is
 * printed to stderr.
 *
 * Properties (abort on violation):
 *   - the transaction ends with CMP_OK or a code of the error table that
 *     is not of the internal class (no CMP_ERR_UNKNOWN, no CMP_ERR_AGAIN
 *     left over), within a bounded number of steps (one per piece, plus two);
 *   - no request is sent after the pieces ran out but the give-up error;
 *   - failure: no certificate, extraCerts chain or caPubs are left in the
 *     results;
 *   - success of ir/cr/kur/p10cr: a certificate for the new key, which
 *     chains to op-root at the client's time through the response's
 *     extraCerts and caPubs, status accepted or grantedWithMods, and
 *     either a certConf was sent (and answered) or implicit confirmation
 *     was asked for and granted; success of rr: a positive rp status;
 *     of genm: a genp was received.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmp/client.h"
#include "cmp/err.h"
#include "cmp/mem.h"
#include "cmp/msg.h"
#include "cmp/oid.h"
#include "cmp/transport.h"
#include "cmp_crypto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)          \
    do {                     \
        if (!(cond)) {       \
            abort();         \
        }                    \
    } while (0)

/* Inside the validity of every certificate of the test PKI. */
#define T0 1830000000
#define MAX_PIECES 16

typedef struct blob {
    uint8_t *d;
    size_t n;
} blob;

static cmp_crypto *g_c;
static blob g_supplier, g_supplier_key, g_vendor_ca, g_op_root, g_op_ca, g_server, g_server_key,
    g_device, g_device_key, g_device_csr;
static cmp_key *g_k_server;
static cmp_buf g_subject;     /* /O=Operator/CN=Device 0001 */
static cmp_buf g_pbm_alg;     /* the fixed PBM protectionAlg of the fix-up */
static cmp_span g_sig_alg;    /* the server key's signature algorithm */
static cmp_cert_info g_server_ci;

static const char k_secret[] = "geheim";

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

static blob load(const char *name)
{
    const char *top = getenv("CMP_TOP_SRCDIR");
    char path[4096];
    FILE *f;
    blob b = {NULL, 0};
    long n;

    snprintf(path, sizeof(path), "%s/tests/data/pki/client/%s", top != NULL ? top : ".",
             name);
    f = fopen(path, "rb");
    if (f == NULL) {
        fprintf(stderr, "fuzz_client_response: cannot read %s\n", path);
        abort();
    }
    CHECK(fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) > 0 && fseek(f, 0, SEEK_SET) == 0);
    b.d = malloc((size_t)n);
    CHECK(b.d != NULL && fread(b.d, 1, (size_t)n, f) == (size_t)n);
    b.n = (size_t)n;
    fclose(f);
    return b;
}

static cmp_key *key_of(blob b)
{
    cmp_key *k = NULL;
    cmp_span nopass = {NULL, 0};

    CHECK(cmp_crypto_key_load(g_c, &k, S(b), nopass) == CMP_OK);
    return k;
}

static void setup(void)
{
    cmp_mac_params mp;

    CHECK(cmp_crypto_wolfssl_new(&g_c) == CMP_OK);
    g_c->limits.max_iterations = 2000;
    g_supplier = load("supplier.crt.der");
    g_supplier_key = load("supplier.key.der");
    g_vendor_ca = load("vendor-ca.crt.der");
    g_op_root = load("op-root.crt.der");
    g_op_ca = load("op-ca.crt.der");
    g_server = load("server.crt.der");
    g_server_key = load("server.key.der");
    g_device = load("device.crt.der");
    g_device_key = load("device.key.der");
    g_device_csr = load("device.csr.der");
    g_k_server = key_of(g_server_key);
    CHECK(cmp_crypto_cert_parse(&g_server_ci, S(g_server)) == CMP_OK);
    CHECK(cmp_crypto_sig_alg_default(g_c, &g_sig_alg, g_k_server, CMP_HASH_NONE, 0) == CMP_OK);
    CHECK(cmp_name_from_string(&g_subject, "/O=Operator/CN=Device 0001") == CMP_OK);
    cmp_crypto_mac_params_default(&mp, CMP_MAC_PBM);
    mp.iterations = 500;
    CHECK(cmp_crypto_mac_alg_new(g_c, &g_pbm_alg, &mp) == CMP_OK);
}

/* ---- DER walking and writing for the fix-up ---------------------------- */

typedef struct tlv {
    uint8_t tag;
    const uint8_t *p; /* the whole TLV */
    size_t len;
    size_t hdr;       /* header length */
} tlv;

/* One TLV at |p| (single-byte tag, definite length); 0 when it does not
 * parse or does not fit in |n|. */
static int tlv_get(tlv *t, const uint8_t *p, size_t n)
{
    size_t len, i, k;

    if (n < 2 || (p[0] & 0x1f) == 0x1f) {
        return 0;
    }
    if (p[1] < 0x80) {
        len = p[1];
        k = 2;
    } else {
        size_t nb = p[1] & 0x7f;
        if (nb == 0 || nb > 4 || n < 2 + nb) {
            return 0;
        }
        len = 0;
        for (i = 0; i < nb; i++) {
            len = (len << 8) | p[2 + i];
        }
        k = 2 + nb;
    }
    if (len > n - k) {
        return 0;
    }
    t->tag = p[0];
    t->p = p;
    t->hdr = k;
    t->len = k + len;
    return 1;
}

/* The children of a constructed TLV; 0 when they do not tile its content. */
static int tlv_children(const tlv *t, tlv *kids, size_t max, size_t *num)
{
    const uint8_t *p = t->p + t->hdr;
    size_t n = t->len - t->hdr;

    *num = 0;
    while (n > 0) {
        if (*num == max || !tlv_get(&kids[*num], p, n)) {
            return 0;
        }
        p += kids[*num].len;
        n -= kids[*num].len;
        (*num)++;
    }
    return 1;
}

typedef struct wbuf {
    uint8_t *d;
    size_t n, cap;
    int bad;
} wbuf;

static void put(wbuf *w, const void *p, size_t n)
{
    if (w->bad) {
        return;
    }
    if (w->n + n > w->cap) {
        size_t cap = (w->n + n) * 2 + 64;
        uint8_t *d = realloc(w->d, cap);
        if (d == NULL) {
            w->bad = 1;
            return;
        }
        w->d = d;
        w->cap = cap;
    }
    if (n > 0) {
        memcpy(w->d + w->n, p, n);
    }
    w->n += n;
}

static void put_hdr(wbuf *w, uint8_t tag, size_t len)
{
    uint8_t h[6];
    size_t k = 0;

    h[k++] = tag;
    if (len < 0x80) {
        h[k++] = (uint8_t)len;
    } else if (len < 0x100) {
        h[k++] = 0x81;
        h[k++] = (uint8_t)len;
    } else if (len < 0x10000) {
        h[k++] = 0x82;
        h[k++] = (uint8_t)(len >> 8);
        h[k++] = (uint8_t)len;
    } else {
        h[k++] = 0x83;
        h[k++] = (uint8_t)(len >> 16);
        h[k++] = (uint8_t)(len >> 8);
        h[k++] = (uint8_t)len;
    }
    put(w, h, k);
}

static void put_tlv(wbuf *w, const tlv *t)
{
    put(w, t->p, t->len);
}

/* [tag] EXPLICIT OCTET STRING |v| */
static void put_octets(wbuf *w, uint8_t tag, cmp_span v)
{
    size_t inner = v.len + (v.len < 0x80 ? 2 : v.len < 0x100 ? 3 : 4);

    put_hdr(w, tag, inner);
    put_hdr(w, 0x04, v.len);
    put(w, v.data, v.len);
}

typedef struct fixinfo {
    cmp_span tid;
    cmp_span nonce;
    int client_mac;
    int ids_only; /* keep sender, protectionAlg, protection, extraCerts */
} fixinfo;

/* The fix-up described at the top; returns a malloc'd message or NULL when
 * the piece does not walk. */
static uint8_t *fix_up(const uint8_t *p, size_t n, const fixinfo *fi, size_t *out_len)
{
    tlv msg, top[8], hdr[16];
    size_t ntop, nhdr, i;
    wbuf h = {NULL, 0, 0, 0}, pp = {NULL, 0, 0, 0}, out = {NULL, 0, 0, 0}, w = {NULL, 0, 0, 0};
    cmp_buf prot = {NULL, 0};
    cmp_span alg = {NULL, 0};
    enum { MAC_OWN, MAC_FIXED, SIG, KEEP } mode = SIG;
    uint8_t *res = NULL;
    unsigned t;

    if (!tlv_get(&msg, p, n) || msg.tag != 0x30 || !tlv_children(&msg, top, 8, &ntop) ||
        ntop < 2 || top[0].tag != 0x30 || !tlv_children(&top[0], hdr, 16, &nhdr) || nhdr < 3) {
        return NULL;
    }
    for (i = 3; i < nhdr; i++) {
        tlv a;
        cmp_alg_kind k;
        cmp_mac_params mp;

        if (hdr[i].tag == 0xa1 && tlv_get(&a, hdr[i].p + hdr[i].hdr, hdr[i].len - hdr[i].hdr)) {
            cmp_span s = {a.p, a.len};
            if (cmp_crypto_alg_kind(&k, s) == CMP_OK && k == CMP_ALG_MAC &&
                cmp_crypto_mac_alg_decode(g_c, &mp, s) == CMP_OK) {
                mode = MAC_OWN;
                alg = s;
            }
        }
    }
    if (mode != MAC_OWN) {
        mode = fi->client_mac ? MAC_FIXED : SIG;
        alg = mode == MAC_FIXED ? SB(&g_pbm_alg) : g_sig_alg;
    }
    if (fi->ids_only) {
        mode = KEEP;
    }

    /* the header: pvno, sender, recipient, then the tagged fields in order */
    put_tlv(&w, &hdr[0]);
    if (mode == SIG) {
        size_t sl = g_server_ci.subject.len;
        put_hdr(&w, 0xa4, sl);
        put(&w, g_server_ci.subject.data, sl);
    } else {
        put_tlv(&w, &hdr[1]);
    }
    put_tlv(&w, &hdr[2]);
    for (t = 0xa0; t <= 0xa8; t++) {
        if (t == 0xa1 && mode != KEEP) {
            put_hdr(&w, 0xa1, alg.len);
            put(&w, alg.data, alg.len);
            continue;
        }
        if (t == 0xa2 && mode == SIG) {
            if (g_server_ci.ski.len > 0) {
                put_octets(&w, 0xa2, g_server_ci.ski);
            }
            continue;
        }
        if (t == 0xa4) {
            put_octets(&w, 0xa4, fi->tid);
            continue;
        }
        if (t == 0xa6) {
            put_octets(&w, 0xa6, fi->nonce);
            continue;
        }
        for (i = 3; i < nhdr; i++) {
            if (hdr[i].tag == t) {
                put_tlv(&w, &hdr[i]);
            }
        }
    }
    for (i = 3; i < nhdr; i++) {
        if (hdr[i].tag < 0xa0 || hdr[i].tag > 0xa8) {
            put_tlv(&w, &hdr[i]);
        }
    }
    put_hdr(&h, 0x30, w.n);
    put(&h, w.d, w.n);

    put_hdr(&pp, 0x30, h.n + top[1].len);
    put(&pp, h.d, h.n);
    put_tlv(&pp, &top[1]);
    if (h.bad || pp.bad || w.bad) {
        goto out;
    }
    if (mode != KEEP) {
        cmp_span data = {pp.d, pp.n};
        cmp_span sec = {(const uint8_t *)k_secret, strlen(k_secret)};
        cmp_err e = mode == SIG ? cmp_crypto_sign(g_c, &prot, g_k_server, alg, data)
                                : cmp_crypto_mac_protect(g_c, &prot, alg, sec, data);
        if (e != CMP_OK) {
            goto out;
        }
    }

    /* PKIMessage: header, body, protection, extraCerts, the rest as is */
    w.n = 0;
    put(&w, h.d, h.n);
    put_tlv(&w, &top[1]);
    if (mode != KEEP) {
        put_hdr(&w, 0xa0,
                prot.len + 1 + (prot.len + 1 < 0x80 ? 2 : prot.len + 1 < 0x100 ? 3 : 4));
        put_hdr(&w, 0x03, prot.len + 1);
        put(&w, "", 1);
        put(&w, prot.data, prot.len);
    }
    if (mode == SIG) {
        size_t cl = g_server.n + g_op_ca.n;
        size_t sl = cl + (cl < 0x80 ? 2 : cl < 0x100 ? 3 : cl < 0x10000 ? 4 : 5);
        put_hdr(&w, 0xa1, sl);
        put_hdr(&w, 0x30, cl);
        put(&w, g_server.d, g_server.n);
        put(&w, g_op_ca.d, g_op_ca.n);
    }
    for (i = 2; i < ntop; i++) {
        if ((top[i].tag == 0xa0 && mode != KEEP) || (top[i].tag == 0xa1 && mode == SIG)) {
            continue;
        }
        put_tlv(&w, &top[i]);
    }
    put_hdr(&out, 0x30, w.n);
    put(&out, w.d, w.n);
    if (!out.bad && !w.bad) {
        res = out.d;
        out.d = NULL;
        *out_len = out.n;
    }
out:
    cmp_buf_cleanup(&prot);
    free(h.d);
    free(pp.d);
    free(w.d);
    free(out.d);
    return res;
}

/* ---- the hostile server ------------------------------------------------- */

typedef struct script {
    const uint8_t *piece[MAX_PIECES];
    size_t piece_len[MAX_PIECES];
    size_t num;
    size_t next;       /* pieces used */
    int fix;
    int ids_only;
    int client_mac;
    int after_end;     /* requests other than errors after the pieces ran out */
    int certconf_sent; /* a certConf got an answer piece */
    int64_t now;
} script;

static cmp_err handler(void *arg, const char *path, const uint8_t *req, size_t req_len,
                       uint8_t **rsp, size_t *rsp_len, int *status)
{
    script *s = arg;
    cmp_msg *rq = NULL;
    const uint8_t *p;
    uint8_t *fixed = NULL;
    size_t n;
    cmp_body_type t;

    (void)path;
    (void)status;
    /* The client's requests are well formed. */
    CHECK(cmp_msg_decode(&rq, req, req_len, NULL, NULL) == CMP_OK);
    t = cmp_msg_body_type(rq);
    if (t == CMP_BODY_ERROR) {
        cmp_msg_free(rq);
        return CMP_ERR_TIMEOUT;
    }
    if (s->next == s->num) {
        s->after_end++;
        cmp_msg_free(rq);
        return CMP_ERR_TIMEOUT;
    }
    p = s->piece[s->next];
    n = s->piece_len[s->next];
    s->next++;
    if (t == CMP_BODY_CERTCONF) {
        s->certconf_sent = 1;
    }
    if (s->fix) {
        fixinfo fi;
        fi.tid = cmp_msg_transaction_id(rq);
        fi.nonce = cmp_msg_sender_nonce(rq);
        fi.client_mac = s->client_mac;
        fi.ids_only = s->ids_only;
        fixed = fix_up(p, n, &fi, &n);
        if (fixed != NULL) {
            p = fixed;
        }
    }
    *rsp = cmp_malloc(n > 0 ? n : 1);
    CHECK(*rsp != NULL);
    if (n > 0) {
        memcpy(*rsp, p, n);
    }
    *rsp_len = n;
    free(fixed);
    cmp_msg_free(rq);
    return CMP_OK;
}

static int64_t clock_cb(void *arg)
{
    return ((script *)arg)->now;
}

/* ---- the client --------------------------------------------------------- */

static void check_success(cmp_client *ctx, int op, const script *s, int ic)
{
    const cmp_status_info *si = cmp_client_last_status(ctx);

    if (op <= 3) {
        cmp_span cert = cmp_client_get0_cert(ctx);
        cmp_span *unt;
        cmp_span anchor = S(g_op_root);
        size_t nu = cmp_client_num_chain(ctx) + cmp_client_num_ca_pubs(ctx), i, k = 0;

        CHECK(cert.len > 0);
        CHECK(cmp_crypto_key_check_cert(g_c, cmp_client_get0_newkey(ctx), cert) == CMP_OK);
        unt = calloc(nu + 1, sizeof(*unt));
        CHECK(unt != NULL);
        for (i = 0; i < cmp_client_num_chain(ctx); i++) {
            unt[k++] = cmp_client_get0_chain(ctx, i);
        }
        for (i = 0; i < cmp_client_num_ca_pubs(ctx); i++) {
            unt[k++] = cmp_client_get0_ca_pub(ctx, i);
        }
        CHECK(cmp_crypto_chain_verify(g_c, NULL, cert, unt, k, &anchor, 1, s->now) == CMP_OK);
        free(unt);
        CHECK(si != NULL);
        CHECK(si->status == CMP_STATUS_ACCEPTED || si->status == CMP_STATUS_GRANTED_WITH_MODS);
        if (cmp_client_implicit_confirm_granted(ctx)) {
            CHECK(ic);
        } else {
            CHECK(s->certconf_sent);
        }
    } else if (op == 4) {
        CHECK(s->next > 0);
    } else {
        CHECK(si != NULL);
        CHECK(si->status == CMP_STATUS_ACCEPTED || si->status == CMP_STATUS_GRANTED_WITH_MODS ||
              si->status == CMP_STATUS_REVOCATION_WARNING ||
              si->status == CMP_STATUS_REVOCATION_NOTIFICATION);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    script s;
    cmp_transport *t = NULL;
    cmp_client *ctx = NULL;
    uint8_t flags;
    int op, steps = 0, unprot = 0;
    cmp_err e;
    uint32_t delay = 0;

    if (g_c == NULL) {
        setup();
    }
    if (size < 1) {
        return 0;
    }
    memset(&s, 0, sizeof(s));
    flags = data[0];
    data++;
    size--;
    while (size > 0 && s.num < MAX_PIECES) {
        tlv x;
        size_t n = tlv_get(&x, data, size) ? x.len : size;
        s.piece[s.num] = data;
        s.piece_len[s.num] = n;
        s.num++;
        data += n;
        size -= n;
    }
    op = flags & 7;
    if (op > 5) {
        unprot = 1;
        op -= 6;
    }
    s.client_mac = (flags >> 3) & 1;
    s.fix = (flags >> 4) & 1;
    s.ids_only = unprot;
    s.now = T0;

    CHECK(cmp_transport_mem_new(&t, handler, &s, NULL) == CMP_OK);
    CHECK(cmp_client_new(&ctx, g_c, t) == CMP_OK);
    cmp_client_set_clock(ctx, clock_cb, &s);
    CHECK(cmp_client_set1_cert(ctx, S(g_supplier)) == CMP_OK);
    CHECK(cmp_client_set0_key(ctx, key_of(g_supplier_key)) == CMP_OK);
    CHECK(cmp_client_add1_chain(ctx, S(g_vendor_ca)) == CMP_OK);
    CHECK(cmp_client_add1_trusted(ctx, S(g_op_root)) == CMP_OK);
    CHECK(cmp_client_set0_newkey(ctx, key_of(g_device_key)) == CMP_OK);
    CHECK(cmp_client_set1_subject(ctx, SB(&g_subject)) == CMP_OK);
    if (s.client_mac) {
        cmp_span sec = {(const uint8_t *)k_secret, strlen(k_secret)};
        cmp_span ref = {(const uint8_t *)"ref-1", 5};
        cmp_mac_params mp;

        cmp_crypto_mac_params_default(&mp, CMP_MAC_PBM);
        mp.iterations = 500;
        CHECK(cmp_client_set1_secret(ctx, sec, ref) == CMP_OK);
        CHECK(cmp_client_set_mac(ctx, &mp) == CMP_OK);
    }
    cmp_client_set_implicit_confirm(ctx, (flags >> 5) & 1);
    if (flags & 0x40) {
        cmp_client_set_time_skew(ctx, -1);
    }
    cmp_client_set_lenient(ctx, (flags >> 7) & 1);
    cmp_client_set_unprotected_errors(ctx, unprot);

    switch (op) {
    case 0:
        e = cmp_client_start_ir(ctx);
        break;
    case 1:
        e = cmp_client_start_cr(ctx);
        break;
    case 2:
        e = cmp_client_start_kur(ctx);
        break;
    case 3:
        CHECK(cmp_client_set1_csr(ctx, S(g_device_csr)) == CMP_OK);
        e = cmp_client_start_p10cr(ctx);
        break;
    case 4: {
        cmp_span oid;
        CHECK(cmp_infotype_oid(CMP_IT_CA_CERTS, &oid) == CMP_OK);
        e = cmp_client_start_genm(ctx, oid);
        break;
    }
    default:
        CHECK(cmp_client_set1_oldcert(ctx, S(g_device)) == CMP_OK);
        e = cmp_client_start_rr(ctx, 1);
        break;
    }
    CHECK(e == CMP_OK);
    for (;;) {
        e = cmp_client_step(ctx, &delay);
        steps++;
        /* one step per piece at most, and one to find that none is left */
        CHECK(steps <= (int)s.num + 2);
        if (e != CMP_ERR_AGAIN) {
            break;
        }
        s.now += delay;
    }
    if (getenv("CMP_FUZZ_VERBOSE") != NULL) {
        fprintf(stderr, "flags %02x: %s after %u of %u pieces\n", flags, cmp_err_name(e),
                (unsigned)s.next, (unsigned)s.num);
    }
    CHECK(strcmp(cmp_err_name(e), "CMP_ERR_UNKNOWN") != 0);
    CHECK(cmp_err_class_of(e) != CMP_ERRC_INTERNAL);
    CHECK(s.after_end <= 1);
    if (e == CMP_OK) {
        check_success(ctx, op, &s, (flags >> 5) & 1);
    } else {
        CHECK(cmp_client_get0_cert(ctx).len == 0);
        CHECK(cmp_client_num_chain(ctx) == 0);
        CHECK(cmp_client_num_ca_pubs(ctx) == 0);
    }
    cmp_client_free(ctx);
    cmp_transport_free(t);
    return 0;
}
