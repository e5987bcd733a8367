/* SPDX-License-Identifier: Apache-2.0 */
/*
 * stack/client.c: the end entity's context: configuration setters, results,
 * logging. The transactions themselves are in client_txn.c.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "client_int.h"
#include "cmp/client.h"
#include "cmp/config.h"
#include "cmp/mem.h"
#include "err_int.h"

/* ---- small helpers ------------------------------------------------------ */

static cmp_err buf_set(cmp_buf *b, cmp_span in)
{
    uint8_t *p;

    CMP_ENSURE(in.data != NULL || in.len == 0, CMP_ERR_ARG);
    p = cmp_malloc(in.len ? in.len : 1);
    CMP_ENSURE(p != NULL, CMP_ERR_NOMEM);
    if (in.len > 0) {
        memcpy(p, in.data, in.len);
    }
    cmp_buf_cleanup(b);
    b->data = p;
    b->len = in.len;
    return CMP_OK;
}

/* see client_int.h */
cmp_err cmp_cert_list_add(cmp_cert_list *l, cmp_span cert)
{
    cmp_buf *n;

    CMP_ENSURE(cert.data != NULL && cert.len > 0, CMP_ERR_ARG);
    CMP_ENSURE(l->num < 4 * CMP_MAX_CERTS, CMP_ERR_ARG);
    n = cmp_realloc(l->certs, (l->num + 1) * sizeof(*n));
    CMP_ENSURE(n != NULL, CMP_ERR_NOMEM);
    l->certs = n;
    memset(&n[l->num], 0, sizeof(n[l->num]));
    CMP_TRY(buf_set(&n[l->num], cert));
    l->num++;
    return CMP_OK;
}

/* see client_int.h */
void cmp_cert_list_clear(cmp_cert_list *l)
{
    size_t i;

    for (i = 0; i < l->num; i++) {
        cmp_buf_cleanup(&l->certs[i]);
    }
    cmp_free(l->certs);
    l->certs = NULL;
    l->num = 0;
}

/* see client_int.h */
cmp_err cmp_cert_list_spans(const cmp_cert_list *l, cmp_span **out)
{
    size_t i;

    *out = NULL;
    if (l->num == 0) {
        return CMP_OK;
    }
    *out = cmp_calloc(l->num, sizeof(**out));
    CMP_ENSURE(*out != NULL, CMP_ERR_NOMEM);
    for (i = 0; i < l->num; i++) {
        (*out)[i].data = l->certs[i].data;
        (*out)[i].len = l->certs[i].len;
    }
    return CMP_OK;
}

/* A line for the log, built without stdio (library code has none). */
typedef struct log_line {
    char text[256];
    size_t len;
} log_line;

static void ll_str(log_line *l, const char *s)
{
    while (s != NULL && *s != '\0' && l->len + 1 < sizeof(l->text)) {
        l->text[l->len++] = *s++;
    }
    l->text[l->len] = '\0';
}

static void ll_num(log_line *l, int64_t n)
{
    char tmp[24];
    size_t i = sizeof(tmp) - 1;
    uint64_t u = n < 0 ? (uint64_t)0 - (uint64_t)n : (uint64_t)n;

    tmp[i] = '\0';
    do {
        tmp[--i] = (char)('0' + (int)(u % 10));
        u /= 10;
    } while (u != 0 && i > 1);
    if (n < 0) {
        tmp[--i] = '-';
    }
    ll_str(l, &tmp[i]);
}

/* see client_int.h */
void cmp_client_log(const cmp_client *ctx, int level, const char *a, const char *b,
                    const char *c)
{
    log_line l;

    if (ctx->log_fn == NULL || level > ctx->log_level) {
        return;
    }
    l.len = 0;
    l.text[0] = '\0';
    ll_str(&l, a);
    ll_str(&l, b);
    ll_str(&l, c);
    ctx->log_fn(ctx->log_arg, level, l.text);
}

/* see client_int.h */
void cmp_client_log_num(const cmp_client *ctx, int level, const char *a, int64_t n,
                        const char *b)
{
    log_line l;

    if (ctx->log_fn == NULL || level > ctx->log_level) {
        return;
    }
    l.len = 0;
    l.text[0] = '\0';
    ll_str(&l, a);
    ll_num(&l, n);
    ll_str(&l, b);
    ctx->log_fn(ctx->log_arg, level, l.text);
}

/* see client_int.h */
int64_t cmp_client_now(const cmp_client *ctx)
{
    return ctx->clock_fn != NULL ? ctx->clock_fn(ctx->clock_arg) : 0;
}

/* ---- life cycle --------------------------------------------------------- */

/* see cmp/client.h */
cmp_err cmp_client_new(cmp_client **out, cmp_crypto *crypto, cmp_transport *t)
{
    cmp_client *ctx;

    CMP_ENSURE(out != NULL, CMP_ERR_ARG);
    *out = NULL;
    CMP_ENSURE(crypto != NULL && t != NULL, CMP_ERR_ARG);
    ctx = cmp_calloc(1, sizeof(*ctx));
    CMP_ENSURE(ctx != NULL, CMP_ERR_NOMEM);
    ctx->crypto = crypto;
    ctx->t = t;
    ctx->log_level = CMP_LOG_WARN;
    ctx->digest = CMP_HASH_NONE;
    ctx->pvno = CMP_PVNO_2000;
    ctx->popo = CMP_POPO_SIGNATURE;
    ctx->skew = 600;
    ctx->reason = -1;
    ctx->next_type = CMP_BODY_NONE;
    *out = ctx;
    return CMP_OK;
}

/* see client_int.h: forget the results and state of the last transaction */
void cmp_client_reset(cmp_client *ctx)
{
    if (ctx->newkey_generated) {
        cmp_crypto_key_free(ctx->crypto, ctx->newkey);
        ctx->newkey = NULL;
        ctx->newkey_generated = 0;
    }
    ctx->op = CMP_OP_NONE;
    ctx->state = CMP_CST_IDLE;
    ctx->final = CMP_ERR_STATE;
    ctx->pending = CMP_OK;
    cmp_buf_cleanup(&ctx->peer_nonce);
    cmp_buf_cleanup(&ctx->req_spki);
    cmp_buf_cleanup(&ctx->recipient_gn);
    cmp_buf_cleanup(&ctx->genm_oid);
    cmp_buf_cleanup(&ctx->new_cert);
    cmp_cert_list_clear(&ctx->rsp_chain);
    cmp_cert_list_clear(&ctx->ca_pubs);
    cmp_msg_free(ctx->status_msg);
    ctx->status_msg = NULL;
    cmp_msg_free(ctx->genp);
    ctx->genp = NULL;
    memset(&ctx->status, 0, sizeof(ctx->status));
    memset(&ctx->error, 0, sizeof(ctx->error));
    memset(&ctx->conf_status, 0, sizeof(ctx->conf_status));
    ctx->has_status = 0;
    ctx->has_error = 0;
    ctx->conf_reject = 0;
    ctx->req_key = NULL;
    ctx->num_polls = 0;
    ctx->ic_granted = 0;
    ctx->cert_req_id = 0;
    ctx->poll_id = 0;
    ctx->wait_until = 0;
    ctx->next_type = CMP_BODY_NONE;
    ctx->rsp_prot = CMP_PROT_NONE;
}

/* see cmp/client.h */
void cmp_client_free(cmp_client *ctx)
{
    if (ctx == NULL) {
        return;
    }
    cmp_client_reset(ctx);
    cmp_crypto_key_free(ctx->crypto, ctx->newkey);
    cmp_crypto_key_free(ctx->crypto, ctx->key);
    cmp_buf_cleanup(&ctx->recipient);
    cmp_buf_cleanup(&ctx->sender);
    cmp_buf_cleanup(&ctx->cert);
    cmp_cert_list_clear(&ctx->chain);
    cmp_buf_cleanup(&ctx->secret);
    cmp_buf_cleanup(&ctx->ref);
    cmp_cert_list_clear(&ctx->trusted);
    cmp_cert_list_clear(&ctx->out_trusted);
    cmp_cert_list_clear(&ctx->untrusted);
    cmp_buf_cleanup(&ctx->srvcert);
    cmp_buf_cleanup(&ctx->expected_sender);
    cmp_buf_cleanup(&ctx->subject);
    cmp_buf_cleanup(&ctx->exts);
    cmp_buf_cleanup(&ctx->oldcert);
    cmp_buf_cleanup(&ctx->csr);
    cmp_wipe(ctx, sizeof(*ctx));
    cmp_free(ctx);
}

/* ---- callbacks ---------------------------------------------------------- */

/* see cmp/client.h */
void cmp_client_set_log(cmp_client *ctx, cmp_client_log_fn fn, void *arg, int level)
{
    ctx->log_fn = fn;
    ctx->log_arg = arg;
    ctx->log_level = level;
}

/* see cmp/client.h */
void cmp_client_set_clock(cmp_client *ctx, cmp_client_clock_fn fn, void *arg)
{
    ctx->clock_fn = fn;
    ctx->clock_arg = arg;
}

/* see cmp/client.h */
void cmp_client_set_sleep(cmp_client *ctx, cmp_client_sleep_fn fn, void *arg)
{
    ctx->sleep_fn = fn;
    ctx->sleep_arg = arg;
}

/* ---- configuration ------------------------------------------------------ */

#define CTX_CHECK(ctx)                                         \
    do {                                                       \
        CMP_ENSURE((ctx) != NULL, CMP_ERR_ARG);                \
        CMP_ENSURE((ctx)->state == CMP_CST_IDLE || (ctx)->state == CMP_CST_DONE, \
                   CMP_ERR_STATE);                             \
    } while (0)

/* see cmp/client.h */
cmp_err cmp_client_set1_recipient(cmp_client *ctx, cmp_span name_der)
{
    CTX_CHECK(ctx);
    return buf_set(&ctx->recipient, name_der);
}

/* see cmp/client.h */
cmp_err cmp_client_set1_sender(cmp_client *ctx, cmp_span name_der)
{
    CTX_CHECK(ctx);
    return buf_set(&ctx->sender, name_der);
}

/* see cmp/client.h */
cmp_err cmp_client_set1_cert(cmp_client *ctx, cmp_span cert_der)
{
    cmp_cert_info ci;

    CTX_CHECK(ctx);
    CMP_TRY(cmp_crypto_cert_parse(&ci, cert_der));
    return buf_set(&ctx->cert, cert_der);
}

/* see cmp/client.h */
cmp_err cmp_client_set0_key(cmp_client *ctx, cmp_key *key)
{
    CTX_CHECK(ctx);
    CMP_ENSURE(key != NULL, CMP_ERR_ARG);
    if (ctx->key != key) {
        cmp_crypto_key_free(ctx->crypto, ctx->key);
    }
    ctx->key = key;
    return CMP_OK;
}

/* see cmp/client.h */
cmp_err cmp_client_add1_chain(cmp_client *ctx, cmp_span cert_der)
{
    CTX_CHECK(ctx);
    return cmp_cert_list_add(&ctx->chain, cert_der);
}

/* see cmp/client.h */
cmp_err cmp_client_set1_secret(cmp_client *ctx, cmp_span secret, cmp_span ref)
{
    CTX_CHECK(ctx);
    CMP_ENSURE(secret.len > 0, CMP_ERR_ARG);
    CMP_TRY(buf_set(&ctx->secret, secret));
    return buf_set(&ctx->ref, ref);
}

/* see cmp/client.h */
cmp_err cmp_client_set_mac(cmp_client *ctx, const cmp_mac_params *params)
{
    CTX_CHECK(ctx);
    if (params == NULL) {
        ctx->has_mac = 0;
        return CMP_OK;
    }
    CMP_ENSURE(params->kind == CMP_MAC_PBM || params->kind == CMP_MAC_PBMAC1, CMP_ERR_ARG);
    ctx->mac = *params;
    ctx->mac.salt.data = NULL;
    ctx->mac.salt.len = 0;
    ctx->has_mac = 1;
    return CMP_OK;
}

/* see cmp/client.h */
cmp_err cmp_client_set_digest(cmp_client *ctx, cmp_hash_alg hash)
{
    CTX_CHECK(ctx);
    CMP_ENSURE(hash != CMP_HASH_SHA1, CMP_ERR_UNKNOWN_ALG); /* TS 33.310: no SHA-1 */
    ctx->digest = hash;
    return CMP_OK;
}

/* see cmp/client.h */
cmp_err cmp_client_add1_trusted(cmp_client *ctx, cmp_span cert_der)
{
    CTX_CHECK(ctx);
    return cmp_cert_list_add(&ctx->trusted, cert_der);
}

/* see cmp/client.h */
cmp_err cmp_client_add1_out_trusted(cmp_client *ctx, cmp_span cert_der)
{
    CTX_CHECK(ctx);
    return cmp_cert_list_add(&ctx->out_trusted, cert_der);
}

/* see cmp/client.h */
cmp_err cmp_client_add1_untrusted(cmp_client *ctx, cmp_span cert_der)
{
    CTX_CHECK(ctx);
    return cmp_cert_list_add(&ctx->untrusted, cert_der);
}

/* see cmp/client.h */
cmp_err cmp_client_set1_srvcert(cmp_client *ctx, cmp_span cert_der)
{
    cmp_cert_info ci;

    CTX_CHECK(ctx);
    CMP_TRY(cmp_crypto_cert_parse(&ci, cert_der));
    return buf_set(&ctx->srvcert, cert_der);
}

/* see cmp/client.h */
cmp_err cmp_client_set1_expected_sender(cmp_client *ctx, cmp_span name_der)
{
    CTX_CHECK(ctx);
    return buf_set(&ctx->expected_sender, name_der);
}

/* see cmp/client.h */
void cmp_client_set_unprotected_errors(cmp_client *ctx, int on)
{
    ctx->unprotected_errors = on != 0;
}

/* see cmp/client.h */
void cmp_client_set_ignore_keyusage(cmp_client *ctx, int on)
{
    ctx->ignore_keyusage = on != 0;
}

/* see cmp/client.h */
cmp_err cmp_client_set0_newkey(cmp_client *ctx, cmp_key *key)
{
    CTX_CHECK(ctx);
    CMP_ENSURE(key != NULL, CMP_ERR_ARG);
    if (ctx->newkey != key) {
        cmp_crypto_key_free(ctx->crypto, ctx->newkey);
    }
    ctx->newkey = key;
    ctx->newkey_generated = 0;
    return CMP_OK;
}

/* see cmp/client.h */
cmp_err cmp_client_set_newkey_type(cmp_client *ctx, cmp_key_type type, unsigned bits)
{
    CTX_CHECK(ctx);
    /* unsigned: enums may be unsigned (arm-none-eabi), so no ">= 0" test */
    CMP_ENSURE((unsigned)type <= (unsigned)CMP_KEY_ED25519, CMP_ERR_ARG);
    CMP_ENSURE(bits == 0 || type == CMP_KEY_RSA, CMP_ERR_ARG);
    ctx->newkey_type = type;
    ctx->newkey_bits = bits;
    return CMP_OK;
}

/* see cmp/client.h */
cmp_err cmp_client_set1_subject(cmp_client *ctx, cmp_span name_der)
{
    CTX_CHECK(ctx);
    return buf_set(&ctx->subject, name_der);
}

/* see cmp/client.h */
cmp_err cmp_client_set1_extensions(cmp_client *ctx, cmp_span exts_der)
{
    CTX_CHECK(ctx);
    return buf_set(&ctx->exts, exts_der);
}

/* see cmp/client.h */
void cmp_client_set_days(cmp_client *ctx, uint32_t days)
{
    ctx->days = days;
}

/* see cmp/client.h */
void cmp_client_set_implicit_confirm(cmp_client *ctx, int on)
{
    ctx->implicit_confirm = on != 0;
}

/* see cmp/client.h */
cmp_err cmp_client_set_pvno(cmp_client *ctx, int pvno)
{
    CTX_CHECK(ctx);
    CMP_ENSURE(pvno == CMP_PVNO_2000 || pvno == CMP_PVNO_2021, CMP_ERR_ARG);
    ctx->pvno = pvno;
    return CMP_OK;
}

/* see cmp/client.h */
cmp_err cmp_client_set_popo(cmp_client *ctx, int popo)
{
    CTX_CHECK(ctx);
    CMP_ENSURE(popo == CMP_POPO_SIGNATURE || popo == CMP_POPO_RA_VERIFIED
                   || popo == CMP_POPO_NONE,
               CMP_ERR_UNSUPPORTED);
    ctx->popo = popo;
    return CMP_OK;
}

/* see cmp/client.h */
cmp_err cmp_client_set1_oldcert(cmp_client *ctx, cmp_span cert_der)
{
    cmp_cert_info ci;

    CTX_CHECK(ctx);
    CMP_TRY(cmp_crypto_cert_parse(&ci, cert_der));
    return buf_set(&ctx->oldcert, cert_der);
}

/* see cmp/client.h */
cmp_err cmp_client_set1_csr(cmp_client *ctx, cmp_span csr_der)
{
    cmp_csr_info ci;

    CTX_CHECK(ctx);
    CMP_TRY(cmp_crypto_csr_parse(&ci, csr_der));
    return buf_set(&ctx->csr, csr_der);
}

/* see cmp/client.h */
void cmp_client_set_poll_limits(cmp_client *ctx, uint32_t total_seconds,
                                uint32_t max_check_after)
{
    ctx->total_timeout = total_seconds;
    ctx->max_check_after = max_check_after;
}

/* see cmp/client.h */
void cmp_client_set_time_skew(cmp_client *ctx, int64_t seconds)
{
    ctx->skew = seconds;
}

/* see cmp/client.h */
void cmp_client_set_lenient(cmp_client *ctx, int on)
{
    ctx->lenient = on != 0;
}

/* see cmp/client.h */
void cmp_client_set_max_msg(cmp_client *ctx, size_t max_len)
{
    ctx->max_msg = max_len;
}

/* ---- results ------------------------------------------------------------ */

static cmp_span list_at(const cmp_cert_list *l, size_t i)
{
    cmp_span s = {NULL, 0};

    if (i < l->num) {
        s.data = l->certs[i].data;
        s.len = l->certs[i].len;
    }
    return s;
}

/* see cmp/client.h */
cmp_span cmp_client_get0_cert(const cmp_client *ctx)
{
    cmp_span s;

    s.data = ctx->new_cert.data;
    s.len = ctx->new_cert.len;
    return s;
}

/* see cmp/client.h */
size_t cmp_client_num_chain(const cmp_client *ctx)
{
    return ctx->rsp_chain.num;
}

/* see cmp/client.h */
cmp_span cmp_client_get0_chain(const cmp_client *ctx, size_t i)
{
    return list_at(&ctx->rsp_chain, i);
}

/* see cmp/client.h */
size_t cmp_client_num_ca_pubs(const cmp_client *ctx)
{
    return ctx->ca_pubs.num;
}

/* see cmp/client.h */
cmp_span cmp_client_get0_ca_pub(const cmp_client *ctx, size_t i)
{
    return list_at(&ctx->ca_pubs, i);
}

/* see cmp/client.h */
cmp_key *cmp_client_get0_newkey(const cmp_client *ctx)
{
    return ctx->req_key != NULL ? ctx->req_key : ctx->newkey;
}

/* see cmp/client.h */
int cmp_client_newkey_generated(const cmp_client *ctx)
{
    return ctx->newkey_generated;
}

/* see cmp/client.h */
size_t cmp_client_num_itavs(const cmp_client *ctx)
{
    return ctx->genp != NULL ? cmp_msg_num_itavs(ctx->genp) : 0;
}

/* see cmp/client.h */
cmp_err cmp_client_get0_itav(const cmp_client *ctx, size_t i, cmp_itav *out)
{
    CMP_ENSURE(ctx->genp != NULL, CMP_ERR_STATE);
    return cmp_msg_itav(ctx->genp, i, out);
}

/* see cmp/client.h */
const cmp_status_info *cmp_client_last_status(const cmp_client *ctx)
{
    return ctx->has_status ? &ctx->status : NULL;
}

/* see cmp/client.h */
const cmp_error_info *cmp_client_last_error(const cmp_client *ctx)
{
    return ctx->has_error ? &ctx->error : NULL;
}

/* see cmp/client.h */
int64_t cmp_client_cert_req_id(const cmp_client *ctx)
{
    return ctx->cert_req_id;
}

/* see cmp/client.h */
int cmp_client_implicit_confirm_granted(const cmp_client *ctx)
{
    return ctx->ic_granted;
}

/* see cmp/client.h */
unsigned cmp_client_num_polls(const cmp_client *ctx)
{
    return ctx->num_polls;
}

/* see cmp/client.h */
cmp_span cmp_client_transaction_id(const cmp_client *ctx)
{
    cmp_span s;

    s.data = ctx->tid;
    s.len = ctx->op != CMP_OP_NONE ? sizeof(ctx->tid) : 0;
    return s;
}

/* see cmp/client.h */
cmp_err cmp_client_status_string(char *out, size_t out_len, const cmp_status_info *si)
{
    size_t n = 0;
    int bit;
    size_t i;
    int first = 1;
    int trunc = 0;

#define PUT(str, slen)                                  \
    do {                                                \
        size_t k_;                                      \
        for (k_ = 0; k_ < (slen); k_++) {               \
            if (n + 1 < out_len) {                      \
                out[n++] = (char)(str)[k_];             \
            } else {                                    \
                trunc = 1;                              \
            }                                           \
        }                                               \
    } while (0)

    CMP_ENSURE(out != NULL && out_len > 0 && si != NULL, CMP_ERR_ARG);
    {
        const char *s = cmp_status_name(si->status);
        PUT("PKIStatus: ", 11);
        PUT(s, strlen(s));
    }
    for (bit = 0; bit <= CMP_FI_MAX; bit++) {
        if (si->fail_info & ((uint32_t)1 << bit)) {
            const char *s = cmp_failinfo_name(bit);
            if (first) {
                PUT("; failInfo: ", 12);
                first = 0;
            } else {
                PUT(", ", 2);
            }
            if (s != NULL) {
                PUT(s, strlen(s));
            }
        }
    }
    for (i = 0; i < si->num_texts && i < CMP_MAX_TEXTS; i++) {
        PUT(i == 0 ? "; statusString: \"" : ", \"", i == 0 ? 17u : 3u);
        PUT(si->texts[i].data, si->texts[i].len);
        PUT("\"", 1);
    }
#undef PUT
    out[n] = '\0';
    return trunc ? CMP_ERR_BUF_SMALL : CMP_OK;
}
