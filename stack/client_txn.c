/* SPDX-License-Identifier: Apache-2.0 */
/*
 * stack/client_txn.c: the end entity's transactions (RFC 9810 section 5.3
 * and Appendix D, RFC 9483 section 4): ir, cr, kur, p10cr with polling and
 * confirmation, genm, rr.
 *
 * A transaction is a table of state -> (accepted body types, handler)
 * (STYLE.md section 3). cmp_client_step() builds the next request, moves it
 * through the transport, checks the response in one function per rule
 * (check_*), and hands it to the handler of the current state, which
 * decides the next request or ends the transaction.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "client_int.h"
#include "cmp/client.h"
#include "cmp/config.h"
#include "cmp/mem.h"
#include "cmp/msg.h"
#include "cmp/transport.h"
#include "err_int.h"
#include "prot_int.h"

#define BODY_BIT(t) ((uint32_t)1 << (t))
/* In the table: "the certificate response of this operation" (ip/cp/kup). */
#define ACCEPT_CERTREP ((uint32_t)1 << 31)

static cmp_span bspan(const cmp_buf *b)
{
    cmp_span s;
    s.data = b->data;
    s.len = b->len;
    return s;
}

static cmp_body_type certrep_type(cmp_client_op op)
{
    switch (op) {
    case CMP_OP_IR:
        return CMP_BODY_IP;
    case CMP_OP_CR:
    case CMP_OP_P10CR:
        return CMP_BODY_CP;
    case CMP_OP_KUR:
        return CMP_BODY_KUP;
    default:
        return CMP_BODY_NONE;
    }
}

static cmp_body_type final_type(cmp_client_op op)
{
    switch (op) {
    case CMP_OP_GENM:
        return CMP_BODY_GENP;
    case CMP_OP_RR:
        return CMP_BODY_RP;
    default:
        return certrep_type(op);
    }
}

/* ---- the credentials of our requests ------------------------------------ */

static void make_cred(const cmp_client *ctx, cmp_prot_cred *cred, cmp_span *chain)
{
    size_t i;

    memset(cred, 0, sizeof(*cred));
    if (ctx->secret.len > 0 && ctx->op != CMP_OP_KUR) {
        cred->kind = CMP_PROT_MAC;
        cred->secret = bspan(&ctx->secret);
        cred->ref = bspan(&ctx->ref);
        cred->mac = ctx->has_mac ? &ctx->mac : NULL;
        /*
         * = https://www.rfc-editor.org/rfc/rfc9483#section-3.1
         * # sender [...] In case of MAC-based protection, [...] the name
         * # [...] used to identify the shared secret
         * The configured sender, else the requested subject.
         */
        cred->sender_name = ctx->sender.len > 0 ? bspan(&ctx->sender) : bspan(&ctx->subject);
    } else if (ctx->cert.len > 0 && ctx->key != NULL) {
        cred->kind = CMP_PROT_SIG;
        cred->key = ctx->key;
        cred->cert = bspan(&ctx->cert);
        for (i = 0; i < ctx->chain.num; i++) {
            chain[i] = bspan(&ctx->chain.certs[i]);
        }
        cred->chain = chain;
        cred->num_chain = ctx->chain.num;
        cred->digest = ctx->digest;
    } else {
        cred->kind = CMP_PROT_NONE;
        cred->sender_name = bspan(&ctx->subject);
    }
}

/* ---- request bodies ----------------------------------------------------- */

/* The certificate a kur updates (or rr revokes): -oldcert, else our cert. */
static cmp_span old_cert(const cmp_client *ctx)
{
    return ctx->oldcert.len > 0 ? bspan(&ctx->oldcert) : bspan(&ctx->cert);
}

/*
 * = https://www.rfc-editor.org/rfc/rfc9483#section-4.1.1
 * # certReqId MUST be 0 [...] certTemplate MUST contain the subject and
 * # the publicKey
 * = https://www.rfc-editor.org/rfc/rfc9483#section-4.1.3
 * # controls [...] oldCertID MUST contain the issuer and serialNumber of
 * # the certificate to be updated
 */
static cmp_err body_certreq(cmp_client *ctx, cmp_msg *m, cmp_body_type type)
{
    cmp_err err = CMP_ERR_INTERNAL;
    cmp_certreq_spec spec;
    cmp_buf tbs = {NULL, 0};
    cmp_buf sig = {NULL, 0};
    cmp_buf old_issuer = {NULL, 0};
    cmp_cert_info oci;
    cmp_span alg;
    int64_t now = cmp_client_now(ctx);

    memset(&spec, 0, sizeof(spec));
    spec.cert_req_id = 0;
    spec.subject = bspan(&ctx->subject);
    spec.public_key = bspan(&ctx->req_spki);
    spec.extensions = bspan(&ctx->exts);
    if (ctx->days > 0) {
        spec.not_before = now;
        spec.not_after = now + (int64_t)ctx->days * 86400;
    }
    if (type == CMP_BODY_KUR) {
        CMP_TRY_OUT(cmp_crypto_cert_parse(&oci, old_cert(ctx)));
        CMP_TRY_OUT(cmp_general_name_dn(&old_issuer, oci.issuer));
        spec.old_cert_issuer = bspan(&old_issuer);
        spec.old_cert_serial = oci.serial;
        if (spec.subject.len == 0) {
            spec.subject = oci.subject;
        }
    } else if (spec.subject.len == 0 && type == CMP_BODY_CR && ctx->cert.len > 0) {
        CMP_TRY_OUT(cmp_crypto_cert_parse(&oci, bspan(&ctx->cert)));
        spec.subject = oci.subject;
    }
    CMP_TRY_OUT(cmp_msg_set_body_certreq(m, type, &spec));
    if (ctx->popo == CMP_POPO_SIGNATURE) {
        /* = https://www.rfc-editor.org/rfc/rfc4211#section-4.1
         * # the signature [...] is computed over the DER-encoded value of
         * # certReq */
        CMP_TRY_OUT(cmp_msg_certreq_tbs(m, 0, &tbs));
        CMP_TRY_OUT(cmp_crypto_sig_alg_default(ctx->crypto, &alg, ctx->req_key, ctx->digest, 0));
        CMP_TRY_OUT(cmp_crypto_sign(ctx->crypto, &sig, ctx->req_key, alg, bspan(&tbs)));
        CMP_TRY_OUT(cmp_msg_certreq_set_popo_sig(m, 0, alg, bspan(&sig)));
    } else if (ctx->popo == CMP_POPO_RA_VERIFIED) {
        CMP_TRY_OUT(cmp_msg_certreq_set_popo_raverified(m, 0));
    }
    err = CMP_OK;
out:
    cmp_buf_cleanup(&tbs);
    cmp_buf_cleanup(&sig);
    cmp_buf_cleanup(&old_issuer);
    return err;
}

static cmp_err body_p10cr(cmp_client *ctx, cmp_msg *m)
{
    cmp_err err = CMP_ERR_INTERNAL;
    cmp_buf csr = {NULL, 0};
    cmp_span alg;

    if (ctx->csr.len > 0) {
        return cmp_msg_set_body_p10cr(m, bspan(&ctx->csr));
    }
    CMP_TRY_OUT(cmp_crypto_sig_alg_default(ctx->crypto, &alg, ctx->req_key, ctx->digest, 0));
    CMP_TRY_OUT(cmp_crypto_csr_build(ctx->crypto, &csr, ctx->req_key, alg, bspan(&ctx->subject),
                                     NULL));
    CMP_TRY_OUT(cmp_msg_set_body_p10cr(m, bspan(&csr)));
    err = CMP_OK;
out:
    cmp_buf_cleanup(&csr);
    return err;
}

/*
 * = https://www.rfc-editor.org/rfc/rfc9810#section-5.3.18
 * # certHash [...] the hash algorithm [...] is the same as the hash
 * # algorithm used in the certificate signature (SHA-512 for Ed25519)
 */
static cmp_err body_certconf(cmp_client *ctx, cmp_msg *m)
{
    cmp_certconf_entry e;
    uint8_t hash[CMP_HASH_MAX_LEN];
    size_t hash_len = 0;
    cmp_span none = {NULL, 0};

    memset(&e, 0, sizeof(e));
    e.cert_req_id = ctx->cert_req_id;
    CMP_TRY(cmp_crypto_cert_hash(ctx->crypto, hash, &hash_len, bspan(&ctx->new_cert), none));
    e.cert_hash.data = hash;
    e.cert_hash.len = hash_len;
    /* = https://www.rfc-editor.org/rfc/rfc9483#section-4.1.1
     * # statusInfo [...] MAY be omitted [when accepted]
     * It is sent anyway, as openssl cmp does, for servers that look
     * for it. */
    e.has_status = 1;
    if (ctx->conf_reject) {
        e.status = ctx->conf_status;
    } else {
        e.status.status = CMP_STATUS_ACCEPTED;
    }
    return cmp_msg_set_body_certconf(m, &e, 1);
}

static cmp_err body_rr(cmp_client *ctx, cmp_msg *m)
{
    cmp_cert_info ci;
    cmp_revreq_entry e;

    CMP_ENSURE(old_cert(ctx).len > 0, CMP_ERR_CONFIG);
    CMP_TRY(cmp_crypto_cert_parse(&ci, old_cert(ctx)));
    memset(&e, 0, sizeof(e));
    e.issuer = ci.issuer;
    e.serial = ci.serial;
    e.reason = ctx->reason;
    return cmp_msg_set_body_rr(m, &e, 1);
}

static cmp_err body_genm(cmp_client *ctx, cmp_msg *m)
{
    cmp_itav itav;

    itav.oid = bspan(&ctx->genm_oid);
    itav.value.data = NULL;
    itav.value.len = 0;
    return cmp_msg_set_body_genm(m, CMP_BODY_GENM, &itav, 1);
}

static cmp_err body_pollreq(cmp_client *ctx, cmp_msg *m)
{
    return cmp_msg_set_body_pollreq(m, &ctx->poll_id, 1);
}

/* The error message we send about a bad response (RFC 4210 section 5.3.21). */
static cmp_err body_error(cmp_client *ctx, cmp_msg *m, cmp_err why)
{
    cmp_error_info e;
    const char *text = cmp_err_str(why);
    int bit = cmp_err_failinfo(why);

    (void)ctx;
    memset(&e, 0, sizeof(e));
    e.status.status = CMP_STATUS_REJECTION;
    if (bit != CMP_FI_NONE) {
        e.status.fail_info = (uint32_t)1 << bit;
    }
    e.status.num_texts = 1;
    e.status.texts[0].data = (const uint8_t *)text;
    e.status.texts[0].len = strlen(text);
    return cmp_msg_set_body_error(m, &e);
}

/* build_request makes the next request of type |type| into |out|. */
static cmp_err build_request(cmp_client *ctx, cmp_buf *out, cmp_body_type type, cmp_err why)
{
    cmp_err err = CMP_ERR_INTERNAL;
    cmp_msg *m = NULL;
    cmp_prot_hdr ph;
    cmp_prot_cred cred;
    cmp_hdr_spec hdr;
    cmp_span chain[4 * CMP_MAX_CERTS];

    memset(&ph, 0, sizeof(ph));
    memset(&hdr, 0, sizeof(hdr));
    make_cred(ctx, &cred, chain);
    CMP_TRY_OUT(cmp_prot_hdr_make(ctx->crypto, &ph, &cred));
    /* = https://www.rfc-editor.org/rfc/rfc9483#section-3.1
     * # senderNonce [...] MUST be present and contain 128 bits of
     * # (pseudo-)random data [...] fresh for each message */
    CMP_TRY_OUT(cmp_crypto_random(ctx->crypto, ctx->nonce, sizeof(ctx->nonce)));
    hdr.pvno = ctx->pvno;
    cmp_prot_hdr_apply(&ph, &hdr);
    hdr.recipient = bspan(&ctx->recipient_gn);
    hdr.message_time = cmp_client_now(ctx);
    hdr.transaction_id.data = ctx->tid;
    hdr.transaction_id.len = sizeof(ctx->tid);
    hdr.sender_nonce.data = ctx->nonce;
    hdr.sender_nonce.len = sizeof(ctx->nonce);
    hdr.recip_nonce = bspan(&ctx->peer_nonce);
    /* = https://www.rfc-editor.org/rfc/rfc9483#section-4.1.1
     * # implicitConfirm [...] only in ir/cr/kur/p10cr */
    if (ctx->implicit_confirm && (type == CMP_BODY_IR || type == CMP_BODY_CR
                                  || type == CMP_BODY_KUR || type == CMP_BODY_P10CR)) {
        hdr.implicit_confirm = 1;
    }
    CMP_TRY_OUT(cmp_msg_new(&m, &hdr));
    switch (type) {
    case CMP_BODY_IR:
    case CMP_BODY_CR:
    case CMP_BODY_KUR:
        CMP_TRY_OUT(body_certreq(ctx, m, type));
        break;
    case CMP_BODY_P10CR:
        CMP_TRY_OUT(body_p10cr(ctx, m));
        break;
    case CMP_BODY_CERTCONF:
        CMP_TRY_OUT(body_certconf(ctx, m));
        break;
    case CMP_BODY_POLLREQ:
        CMP_TRY_OUT(body_pollreq(ctx, m));
        break;
    case CMP_BODY_GENM:
        CMP_TRY_OUT(body_genm(ctx, m));
        break;
    case CMP_BODY_RR:
        CMP_TRY_OUT(body_rr(ctx, m));
        break;
    case CMP_BODY_ERROR:
        CMP_TRY_OUT(body_error(ctx, m, why));
        break;
    default:
        CMP_FAIL_OUT(CMP_ERR_INTERNAL);
    }
    CMP_TRY_OUT(cmp_prot_protect(ctx->crypto, m, &cred, 1));
    CMP_TRY_OUT(cmp_msg_encode(m, out));
    err = CMP_OK;
out:
    cmp_prot_hdr_cleanup(&ph);
    cmp_msg_free(m);
    return err;
}

/* ---- checks on every response (one function per rule) ------------------ */

/* = https://www.rfc-editor.org/rfc/rfc9810#section-5.1.1
 * # pvno [...] cmp2000(2) [...] cmp2021(3) */
static cmp_err check_pvno(const cmp_msg *m)
{
    long pvno = 0;

    CMP_ENSURE(cmp_msg_pvno(m, &pvno) == CMP_OK, CMP_ERR_PVNO);
    CMP_ENSURE(pvno == CMP_PVNO_2000 || pvno == CMP_PVNO_2021, CMP_ERR_PVNO);
    return CMP_OK;
}

/* Is |m| a negative answer that -unprotected_errors may excuse? (error,
 * rejection in a certificate response or rp, pkiConf) */
static int is_negative(const cmp_msg *m)
{
    cmp_certrep_entry ce;
    cmp_status_info si;

    switch (cmp_msg_body_type(m)) {
    case CMP_BODY_ERROR:
    case CMP_BODY_PKICONF:
        return 1;
    case CMP_BODY_IP:
    case CMP_BODY_CP:
    case CMP_BODY_KUP:
        return cmp_msg_num_responses(m) == 1 && cmp_msg_response(m, 0, &ce) == CMP_OK
               && ce.status.status == CMP_STATUS_REJECTION;
    case CMP_BODY_RP:
        return cmp_msg_num_rp_status(m) >= 1 && cmp_msg_rp_status(m, 0, &si) == CMP_OK
               && si.status == CMP_STATUS_REJECTION;
    default:
        return 0;
    }
}

static cmp_err check_protection(cmp_client *ctx, const cmp_msg *m)
{
    cmp_err err = CMP_ERR_INTERNAL;
    cmp_prot_policy pol;
    cmp_prot_result res;
    cmp_span *anchors = NULL;
    cmp_span *untrusted = NULL;

    memset(&pol, 0, sizeof(pol));
    CMP_TRY_OUT(cmp_cert_list_spans(&ctx->trusted, &anchors));
    CMP_TRY_OUT(cmp_cert_list_spans(&ctx->untrusted, &untrusted));
    pol.anchors = anchors;
    pol.num_anchors = ctx->trusted.num;
    pol.untrusted = untrusted;
    pol.num_untrusted = ctx->untrusted.num;
    pol.pinned = bspan(&ctx->srvcert);
    pol.secret = bspan(&ctx->secret);
    pol.expected_sender = bspan(&ctx->expected_sender);
    pol.ignore_key_usage = ctx->ignore_keyusage;
    /* = https://www.rfc-editor.org/rfc/rfc9483#section-3.2
     * # PKI messages MUST have a protection
     * Lenience only by explicit switch and only for negative answers. */
    pol.allow_unprotected = ctx->unprotected_errors && is_negative(m);
    pol.now = cmp_client_now(ctx);
    err = cmp_prot_verify(ctx->crypto, &res, m, &pol);
    if (err == CMP_OK) {
        ctx->rsp_prot = res.kind;
        if (res.kind == CMP_PROT_NONE) {
            cmp_client_log(ctx, CMP_LOG_WARN, "accepting a negative response without valid "
                           "protection: ", cmp_err_name(res.tolerated), "");
        }
    } else if (err == CMP_ERR_SIGNER_UNTRUSTED) {
        cmp_client_log(ctx, CMP_LOG_ERR, "response signer not trusted: ",
                       cmp_err_str(res.chain_err), "");
    }
out:
    cmp_free(anchors);
    cmp_free(untrusted);
    return err;
}

/* = https://www.rfc-editor.org/rfc/rfc9483#section-3.1
 * # transactionID [...] MUST be the same in all messages of a transaction */
static cmp_err check_tid(const cmp_client *ctx, const cmp_msg *m)
{
    cmp_span tid = cmp_msg_transaction_id(m);

    CMP_ENSURE(tid.len == sizeof(ctx->tid) && cmp_ct_eq(tid.data, ctx->tid, tid.len),
               CMP_ERR_TRANSACTION_ID);
    return CMP_OK;
}

/* = https://www.rfc-editor.org/rfc/rfc9483#section-3.1
 * # recipNonce [...] MUST contain the value of the senderNonce of the
 * # previous message */
static cmp_err check_recip_nonce(const cmp_client *ctx, const cmp_msg *m)
{
    cmp_span rn = cmp_msg_recip_nonce(m);

    CMP_ENSURE(rn.len == sizeof(ctx->nonce) && cmp_ct_eq(rn.data, ctx->nonce, rn.len),
               CMP_ERR_RECIP_NONCE);
    return CMP_OK;
}

/* = https://www.rfc-editor.org/rfc/rfc9483#section-3.1
 * # senderNonce [...] MUST be present and contain 128 bits */
static cmp_err check_sender_nonce(cmp_client *ctx, const cmp_msg *m)
{
    cmp_span sn = cmp_msg_sender_nonce(m);
    uint8_t *p;

    CMP_ENSURE(sn.len >= CMP_NONCE_LEN && sn.len <= 64, CMP_ERR_SENDER_NONCE);
    p = cmp_malloc(sn.len);
    CMP_ENSURE(p != NULL, CMP_ERR_NOMEM);
    memcpy(p, sn.data, sn.len);
    cmp_buf_cleanup(&ctx->peer_nonce);
    ctx->peer_nonce.data = p;
    ctx->peer_nonce.len = sn.len;
    return CMP_OK;
}

/* = https://www.rfc-editor.org/rfc/rfc9483#section-3.1
 * # messageTime [...] SHOULD be present; the recipient [...] check */
static cmp_err check_message_time(const cmp_client *ctx, const cmp_msg *m)
{
    int64_t t = 0;
    int64_t now;
    cmp_err e;

    if (ctx->skew < 0) {
        return CMP_OK;
    }
    e = cmp_msg_message_time(m, &t);
    if (e == CMP_ERR_MISSING_FIELD) {
        return CMP_OK;
    }
    CMP_ENSURE(e == CMP_OK, CMP_ERR_MESSAGE_TIME);
    now = cmp_client_now(ctx);
    CMP_ENSURE(t <= now + ctx->skew && t >= now - ctx->skew, CMP_ERR_MESSAGE_TIME);
    return CMP_OK;
}

/* ---- handlers ----------------------------------------------------------- */

static void keep_status(cmp_client *ctx, cmp_msg *m, const cmp_status_info *si)
{
    if (ctx->status_msg != m) {
        cmp_msg_free(ctx->status_msg);
        ctx->status_msg = m;
    }
    ctx->status = *si;
    ctx->has_status = 1;
}

static void start_poll(cmp_client *ctx, int64_t cert_req_id)
{
    ctx->state = CMP_CST_POLL;
    ctx->poll_id = cert_req_id;
    ctx->next_type = CMP_BODY_POLLREQ;
}

static void finish(cmp_client *ctx, cmp_err result)
{
    /* A failed transaction leaves no certificate behind: not one that
     * failed its checks, nor one whose certConf was never answered
     * (cmp/client.h: "empty when none"). */
    if (result != CMP_OK) {
        cmp_buf_cleanup(&ctx->new_cert);
        cmp_cert_list_clear(&ctx->rsp_chain);
        cmp_cert_list_clear(&ctx->ca_pubs);
    }
    ctx->state = CMP_CST_DONE;
    ctx->final = result;
    ctx->next_type = CMP_BODY_NONE;
}

/* The certificate checks (RFC 9483 section 4.1.1, PROFILE.md N5). */
static cmp_err check_new_cert(cmp_client *ctx)
{
    cmp_err err = CMP_ERR_INTERNAL;
    cmp_span *anchors = NULL;
    cmp_span *untrusted = NULL;
    const cmp_cert_list *al;
    size_t n_unt, i;
    cmp_err e;

    e = cmp_crypto_spki_check_cert(bspan(&ctx->req_spki), bspan(&ctx->new_cert));
    CMP_ENSURE(e != CMP_ERR_CERT_PARSE, CMP_ERR_CERT_PARSE);
    CMP_ENSURE(e == CMP_OK, CMP_ERR_CERT_KEY_MISMATCH);
    /* = https://www.rfc-editor.org/rfc/rfc9483#section-4.1.1
     * # caPubs [...] MAY be used [...] only if [...] MAC-based protection
     * Trust anchors: -out_trusted, else -trusted, else caPubs of a
     * MAC-protected response. */
    al = ctx->out_trusted.num > 0 ? &ctx->out_trusted
         : ctx->trusted.num > 0   ? &ctx->trusted
         : ctx->rsp_prot == CMP_PROT_MAC ? &ctx->ca_pubs : NULL;
    if (al == NULL || al->num == 0) {
        cmp_client_log(ctx, CMP_LOG_WARN, "no trust anchors for the new certificate: its "
                       "chain is not verified", "", "");
        return CMP_OK;
    }
    CMP_TRY_OUT(cmp_cert_list_spans(al, &anchors));
    n_unt = ctx->rsp_chain.num + ctx->untrusted.num + ctx->ca_pubs.num;
    untrusted = cmp_calloc(n_unt + 1, sizeof(*untrusted));
    CMP_ENSURE_OUT(untrusted != NULL, CMP_ERR_NOMEM);
    n_unt = 0;
    for (i = 0; i < ctx->rsp_chain.num; i++) {
        untrusted[n_unt++] = bspan(&ctx->rsp_chain.certs[i]);
    }
    for (i = 0; i < ctx->untrusted.num; i++) {
        untrusted[n_unt++] = bspan(&ctx->untrusted.certs[i]);
    }
    for (i = 0; i < ctx->ca_pubs.num; i++) {
        untrusted[n_unt++] = bspan(&ctx->ca_pubs.certs[i]);
    }
    e = cmp_crypto_chain_verify(ctx->crypto, NULL, bspan(&ctx->new_cert), untrusted, n_unt,
                                anchors, al->num, cmp_client_now(ctx));
    if (e == CMP_ERR_NOMEM) {
        CMP_FAIL_OUT(e);
    }
    if (e != CMP_OK) {
        cmp_client_log(ctx, CMP_LOG_ERR, "new certificate not trusted: ", cmp_err_str(e), "");
        CMP_FAIL_OUT(CMP_ERR_CERT_UNTRUSTED);
    }
    err = CMP_OK;
out:
    cmp_free(anchors);
    cmp_free(untrusted);
    return err;
}

/* Copy certificate, extraCerts and caPubs out of the response. */
static cmp_err take_cert(cmp_client *ctx, const cmp_msg *m, cmp_span cert)
{
    size_t i;

    cmp_buf_cleanup(&ctx->new_cert);
    cmp_cert_list_clear(&ctx->rsp_chain);
    cmp_cert_list_clear(&ctx->ca_pubs);
    ctx->new_cert.data = cmp_malloc(cert.len);
    CMP_ENSURE(ctx->new_cert.data != NULL, CMP_ERR_NOMEM);
    memcpy(ctx->new_cert.data, cert.data, cert.len);
    ctx->new_cert.len = cert.len;
    /* = https://www.rfc-editor.org/rfc/rfc9483#section-4.1.1
     * # extraCerts [...] SHOULD contain the chain of the newly issued
     * # certificate */
    for (i = 0; i < cmp_msg_num_extra_certs(m); i++) {
        CMP_TRY(cmp_cert_list_add(&ctx->rsp_chain, cmp_msg_extra_cert(m, i)));
    }
    for (i = 0; i < cmp_msg_num_ca_pubs(m); i++) {
        CMP_TRY(cmp_cert_list_add(&ctx->ca_pubs, cmp_msg_ca_pub(m, i)));
    }
    return CMP_OK;
}

/* A certificate that fails the checks is rejected through certConf
 * (RFC 9483 section 4.1.1, PROFILE.md E2); the error is reported after
 * the server's pkiConf. */
static void reject_cert(cmp_client *ctx, cmp_err why)
{
    const char *text = cmp_err_str(why);
    int bit = cmp_err_failinfo(why);

    memset(&ctx->conf_status, 0, sizeof(ctx->conf_status));
    ctx->conf_status.status = CMP_STATUS_REJECTION;
    if (bit != CMP_FI_NONE) {
        ctx->conf_status.fail_info = (uint32_t)1 << bit;
    }
    ctx->conf_status.num_texts = 1;
    ctx->conf_status.texts[0].data = (const uint8_t *)text;
    ctx->conf_status.texts[0].len = strlen(text);
    ctx->conf_reject = 1;
    ctx->pending = why;
    ctx->state = CMP_CST_CONF;
    ctx->next_type = CMP_BODY_CERTCONF;
}

static cmp_err handle_certrep(cmp_client *ctx, cmp_msg *m)
{
    cmp_certrep_entry ce;
    int64_t want_id = ctx->op == CMP_OP_P10CR ? -1 : 0;
    cmp_err e;

    CMP_ENSURE(cmp_msg_body_type(m) == certrep_type(ctx->op), CMP_ERR_BODY_TYPE);
    /* One request was sent, so one response is expected. */
    CMP_ENSURE(cmp_msg_num_responses(m) == 1, CMP_ERR_CERT_REQ_ID);
    CMP_TRY(cmp_msg_response(m, 0, &ce));
    /* = https://www.rfc-editor.org/rfc/rfc9483#section-4.1.4
     * # certReqId MUST be -1 [p10cr] (0 for ir/cr/kur, section 4.1.1) */
    CMP_ENSURE(ce.cert_req_id == want_id, CMP_ERR_CERT_REQ_ID);
    ctx->cert_req_id = ce.cert_req_id;
    keep_status(ctx, m, &ce.status);
    cmp_client_log(ctx, CMP_LOG_INFO, cmp_body_name(cmp_msg_body_type(m)), " status ",
                   cmp_status_name(ce.status.status));
    switch (ce.status.status) {
    case CMP_STATUS_WAITING:
        /* = https://www.rfc-editor.org/rfc/rfc9483#section-4.4
         * # the EE [...] polls [...] with the certReqId of the response */
        CMP_ENSURE(ce.cert.len == 0, CMP_ERR_PKISTATUS);
        start_poll(ctx, ce.cert_req_id);
        return CMP_OK;
    case CMP_STATUS_REJECTION:
        finish(ctx, CMP_ERR_REJECTED);
        return CMP_OK;
    case CMP_STATUS_ACCEPTED:
    case CMP_STATUS_GRANTED_WITH_MODS:
        break;
    default:
        CMP_FAIL(CMP_ERR_PKISTATUS);
    }
    CMP_ENSURE(ce.cert.len > 0, CMP_ERR_NO_CERT);
    CMP_TRY(take_cert(ctx, m, ce.cert));
    e = check_new_cert(ctx);
    if (e == CMP_ERR_NOMEM) {
        return e;
    }
    if (e != CMP_OK) {
        reject_cert(ctx, e);
        return CMP_OK;
    }
    /* = https://www.rfc-editor.org/rfc/rfc9483#section-4.1.1
     * # If implicit confirmation was requested and granted, [...] the EE
     * # MUST NOT send certConf */
    if (ctx->implicit_confirm && cmp_msg_implicit_confirm(m)) {
        ctx->ic_granted = 1;
        cmp_client_log(ctx, CMP_LOG_INFO, "implicit confirmation granted", "", "");
        finish(ctx, CMP_OK);
        return CMP_OK;
    }
    ctx->state = CMP_CST_CONF;
    ctx->next_type = CMP_BODY_CERTCONF;
    return CMP_OK;
}

static cmp_err handle_error(cmp_client *ctx, cmp_msg *m)
{
    CMP_TRY(cmp_msg_error(m, &ctx->error));
    ctx->has_error = 1;
    keep_status(ctx, m, &ctx->error.status);
    /* = https://www.rfc-editor.org/rfc/rfc9810#section-5.3.22
     * # an error message with status waiting [...] the EE [...] polls
     * # using certReqId -1 (PROFILE.md D2) */
    if (ctx->error.status.status == CMP_STATUS_WAITING
        && (ctx->state == CMP_CST_CERTREP || ctx->state == CMP_CST_GENP
            || ctx->state == CMP_CST_RP || ctx->state == CMP_CST_POLL)) {
        cmp_client_log(ctx, CMP_LOG_INFO, "error message with status waiting: polling", "",
                       "");
        start_poll(ctx, -1);
        return CMP_OK;
    }
    cmp_client_log(ctx, CMP_LOG_ERR, "received error message: ",
                   cmp_status_name(ctx->error.status.status), "");
    finish(ctx, CMP_ERR_ERROR_MSG);
    return CMP_OK;
}

static cmp_err handle_pollrep(cmp_client *ctx, cmp_msg *m)
{
    cmp_pollrep_entry pe;
    int64_t now = cmp_client_now(ctx);

    CMP_ENSURE(cmp_msg_num_pollrep(m) == 1, CMP_ERR_CERT_REQ_ID);
    CMP_TRY(cmp_msg_pollrep(m, 0, &pe));
    CMP_ENSURE(pe.cert_req_id == ctx->poll_id, CMP_ERR_CERT_REQ_ID);
    /* = https://www.rfc-editor.org/rfc/rfc9810#section-5.3.22
     * # checkAfter [...] the number of seconds [...] before polling again
     * A negative or absurd value stops at once; one that does not fit in
     * the time left stops early rather than wait in vain. */
    CMP_ENSURE(pe.check_after >= 0 && pe.check_after <= (int64_t)CMP_MAX_POLL_SECONDS,
               CMP_ERR_CHECK_AFTER);
    CMP_ENSURE(ctx->max_check_after == 0 || pe.check_after <= (int64_t)ctx->max_check_after,
               CMP_ERR_CHECK_AFTER);
    CMP_ENSURE(ctx->total_timeout == 0 || pe.check_after <= (int64_t)ctx->total_timeout,
               CMP_ERR_CHECK_AFTER);
    if (now + pe.check_after > ctx->deadline) {
        cmp_client_log_num(ctx, CMP_LOG_ERR, "checkAfter exceeds the time left (",
                           ctx->deadline - now, " s): giving up");
        CMP_FAIL(CMP_ERR_POLL_DEADLINE);
    }
    ctx->wait_until = now + pe.check_after;
    ctx->next_type = CMP_BODY_POLLREQ;
    cmp_client_log_num(ctx, CMP_LOG_INFO, "pollRep: checkAfter ", pe.check_after, " s");
    return CMP_OK;
}

static cmp_err handle_poll(cmp_client *ctx, cmp_msg *m)
{
    if (cmp_msg_body_type(m) == CMP_BODY_POLLREP) {
        return handle_pollrep(ctx, m);
    }
    /* The final answer after polling is handled like a direct one
     * (PROFILE.md D3); genp, rp and error are routed by dispatch(). */
    return handle_certrep(ctx, m);
}

static cmp_err handle_pkiconf(cmp_client *ctx, cmp_msg *m)
{
    (void)m;
    finish(ctx, ctx->pending);
    return CMP_OK;
}

static cmp_err handle_genp(cmp_client *ctx, cmp_msg *m)
{
    cmp_msg_free(ctx->genp);
    ctx->genp = m;
    finish(ctx, CMP_OK);
    return CMP_OK;
}

static cmp_err handle_rp(cmp_client *ctx, cmp_msg *m)
{
    cmp_status_info si;

    CMP_ENSURE(cmp_msg_num_rp_status(m) == 1, CMP_ERR_BAD_REQUEST);
    CMP_TRY(cmp_msg_rp_status(m, 0, &si));
    keep_status(ctx, m, &si);
    switch (si.status) {
    case CMP_STATUS_ACCEPTED:
    case CMP_STATUS_GRANTED_WITH_MODS:
    case CMP_STATUS_REVOCATION_WARNING:
    case CMP_STATUS_REVOCATION_NOTIFICATION:
        finish(ctx, CMP_OK);
        return CMP_OK;
    case CMP_STATUS_REJECTION:
        finish(ctx, CMP_ERR_REJECTED);
        return CMP_OK;
    default:
        CMP_FAIL(CMP_ERR_PKISTATUS);
    }
}

/* A handler may keep |m| as ctx->status_msg or ctx->genp; otherwise the
 * caller frees it. */
typedef cmp_err (*handler_fn)(cmp_client *ctx, cmp_msg *m);

/* The transaction: state -> (accepted body types, handler). */
static const struct {
    cmp_client_state state;
    uint32_t accepted;
    handler_fn handle;
} txn_table[] = {
    {CMP_CST_CERTREP, ACCEPT_CERTREP | BODY_BIT(CMP_BODY_ERROR), handle_certrep},
    {CMP_CST_POLL, ACCEPT_CERTREP | BODY_BIT(CMP_BODY_POLLREP) | BODY_BIT(CMP_BODY_ERROR),
     handle_poll},
    {CMP_CST_CONF, BODY_BIT(CMP_BODY_PKICONF) | BODY_BIT(CMP_BODY_ERROR), handle_pkiconf},
    {CMP_CST_GENP, BODY_BIT(CMP_BODY_GENP) | BODY_BIT(CMP_BODY_ERROR), handle_genp},
    {CMP_CST_RP, BODY_BIT(CMP_BODY_RP) | BODY_BIT(CMP_BODY_ERROR), handle_rp},
};

static int accepts(const cmp_client *ctx, uint32_t accepted, cmp_body_type t)
{
    if (t < 0 || t > 30) {
        return 0;
    }
    if ((accepted & ACCEPT_CERTREP) && t == final_type(ctx->op)) {
        return 1;
    }
    return (accepted & BODY_BIT(t)) != 0;
}

/* ---- one exchange ------------------------------------------------------- */

/* receive decodes and checks a response; on success |*out| is the caller's. */
static cmp_err receive(cmp_client *ctx, cmp_msg **out, const uint8_t *rsp, size_t rsp_len)
{
    cmp_err err = CMP_ERR_INTERNAL;
    cmp_msg *m = NULL;
    cmp_decode_opts opts;
    size_t max = ctx->max_msg != 0 ? ctx->max_msg : CMP_MAX_MSG_LEN;
    size_t off = 0;

    *out = NULL;
    CMP_ENSURE(rsp_len <= max, CMP_ERR_MSG_TOO_LARGE);
    memset(&opts, 0, sizeof(opts));
    opts.lenient = ctx->lenient;
    opts.max_len = max;
    CMP_TRY_OUT(cmp_msg_decode(&m, rsp, rsp_len, &opts, &off));
    CMP_TRY_OUT(check_pvno(m));
    CMP_TRY_OUT(check_protection(ctx, m));
    CMP_TRY_OUT(check_tid(ctx, m));
    CMP_TRY_OUT(check_recip_nonce(ctx, m));
    CMP_TRY_OUT(check_sender_nonce(ctx, m));
    CMP_TRY_OUT(check_message_time(ctx, m));
    *out = m;
    m = NULL;
    err = CMP_OK;
out:
    if (err != CMP_OK && m == NULL && off != 0) {
        cmp_client_log_num(ctx, CMP_LOG_ERR, "response does not decode at offset ",
                           (int64_t)off, "");
    }
    cmp_msg_free(m);
    return err;
}

static cmp_err dispatch(cmp_client *ctx, cmp_msg *m)
{
    size_t i;
    cmp_body_type t = cmp_msg_body_type(m);

    for (i = 0; i < sizeof(txn_table) / sizeof(txn_table[0]); i++) {
        if (txn_table[i].state != ctx->state) {
            continue;
        }
        CMP_ENSURE(accepts(ctx, txn_table[i].accepted, t), CMP_ERR_BODY_TYPE);
        if (t == CMP_BODY_ERROR) {
            return handle_error(ctx, m);
        }
        if (ctx->state == CMP_CST_POLL && t == CMP_BODY_GENP) {
            return handle_genp(ctx, m);
        }
        if (ctx->state == CMP_CST_POLL && t == CMP_BODY_RP) {
            return handle_rp(ctx, m);
        }
        return txn_table[i].handle(ctx, m);
    }
    CMP_FAIL(CMP_ERR_STATE);
}

/* exchange sends |req| and returns the decoded, checked response. */
static cmp_err exchange(cmp_client *ctx, cmp_msg **out, const cmp_buf *req)
{
    cmp_err err = CMP_ERR_INTERNAL;
    uint8_t *rsp = NULL;
    size_t rsp_len = 0;
    int status = 0;
    cmp_err te;

    *out = NULL;
    te = cmp_transport_exchange(ctx->t, &rsp, &rsp_len, &status, req->data, req->len);
    if (te == CMP_ERR_HTTP_STATUS && rsp != NULL) {
        /* = https://www.rfc-editor.org/rfc/rfc9811#section-3.1
         * # a CMP message [...] with an HTTP error status [...] is still
         * # processed (PROFILE.md T1) */
        cmp_client_log_num(ctx, CMP_LOG_WARN, "HTTP status ", status,
                           " with a CMP message: processing it");
    } else if (te != CMP_OK) {
        cmp_client_log(ctx, CMP_LOG_ERR, "transport: ", cmp_err_str(te), "");
        CMP_FAIL_OUT(te);
    }
    CMP_ENSURE_OUT(rsp != NULL, CMP_ERR_DER_TRUNCATED);
    err = receive(ctx, out, rsp, rsp_len);
out:
    cmp_free(rsp);
    return err;
}

/* Best effort: tell the server why we stop (RFC 4210 section 5.3.21);
 * its answer is ignored. */
static void send_error(cmp_client *ctx, cmp_err why)
{
    cmp_buf req = {NULL, 0};
    uint8_t *rsp = NULL;
    size_t rsp_len = 0;
    int status = 0;

    if (build_request(ctx, &req, CMP_BODY_ERROR, why) == CMP_OK) {
        cmp_client_log(ctx, CMP_LOG_INFO, "sending error message: ", cmp_err_name(why), "");
        (void)cmp_transport_exchange(ctx->t, &rsp, &rsp_len, &status, req.data, req.len);
    }
    cmp_free(rsp);
    cmp_buf_cleanup(&req);
}

/* Which failures deserve an error message to the server. */
static int tell_server(cmp_err e)
{
    cmp_err_class k = cmp_err_class_of(e);

    if (e == CMP_ERR_REJECTED || e == CMP_ERR_ERROR_MSG || e == CMP_ERR_NOMEM) {
        return 0;
    }
    return k == CMP_ERRC_PROTO || k == CMP_ERRC_CRYPTO;
}

static cmp_err step_once(cmp_client *ctx)
{
    cmp_err err = CMP_ERR_INTERNAL;
    cmp_buf req = {NULL, 0};
    cmp_msg *m = NULL;
    cmp_body_type type = ctx->next_type;

    if (type == CMP_BODY_POLLREQ) {
        /* = https://www.rfc-editor.org/rfc/rfc9483#section-4.4
         * # the EE [...] stops polling after a configured time */
        if (cmp_client_now(ctx) >= ctx->deadline) {
            cmp_client_log(ctx, CMP_LOG_ERR, "polling deadline reached", "", "");
            CMP_FAIL_OUT(CMP_ERR_POLL_DEADLINE);
        }
        ctx->num_polls++;
        cmp_client_log_num(ctx, CMP_LOG_INFO, "pollReq #", ctx->num_polls, "");
    }
    CMP_TRY_OUT(build_request(ctx, &req, type, CMP_OK));
    cmp_client_log(ctx, CMP_LOG_INFO, "sending ", cmp_body_name(type), "");
    ctx->next_type = CMP_BODY_NONE;
    CMP_TRY_OUT(exchange(ctx, &m, &req));
    cmp_client_log(ctx, CMP_LOG_DEBUG, "received ", cmp_body_name(cmp_msg_body_type(m)), "");
    CMP_TRY_OUT(dispatch(ctx, m));
    err = CMP_OK;
out:
    if (m != ctx->status_msg && m != ctx->genp) {
        cmp_msg_free(m);
    }
    cmp_buf_cleanup(&req);
    return err;
}

/* see cmp/client.h */
cmp_err cmp_client_step(cmp_client *ctx, uint32_t *delay)
{
    cmp_err e;
    int64_t now;

    CMP_ENSURE(ctx != NULL && delay != NULL, CMP_ERR_ARG);
    *delay = 0;
    CMP_ENSURE(ctx->state != CMP_CST_IDLE, CMP_ERR_STATE);
    while (ctx->state != CMP_CST_DONE) {
        now = cmp_client_now(ctx);
        if (ctx->wait_until > now) {
            int64_t d = ctx->wait_until - now;
            *delay = d > (int64_t)UINT32_MAX ? UINT32_MAX : (uint32_t)d;
            return CMP_ERR_AGAIN;
        }
        e = step_once(ctx);
        if (e != CMP_OK) {
            if (tell_server(e) && ctx->state != CMP_CST_DONE) {
                send_error(ctx, e);
            }
            cmp_client_log(ctx, CMP_LOG_ERR, "transaction failed: ", cmp_err_name(e), "");
            finish(ctx, e);
        }
    }
    cmp_transport_close(ctx->t);
    return ctx->final;
}

/* ---- starting ----------------------------------------------------------- */

static cmp_err prepare_key(cmp_client *ctx)
{
    cmp_csr_info ci;

    if (ctx->op == CMP_OP_P10CR && ctx->csr.len > 0) {
        CMP_TRY(cmp_crypto_csr_parse(&ci, bspan(&ctx->csr)));
        cmp_buf_cleanup(&ctx->req_spki);
        ctx->req_spki.data = cmp_malloc(ci.spki.len);
        CMP_ENSURE(ctx->req_spki.data != NULL, CMP_ERR_NOMEM);
        memcpy(ctx->req_spki.data, ci.spki.data, ci.spki.len);
        ctx->req_spki.len = ci.spki.len;
        return CMP_OK;
    }
    if (ctx->newkey == NULL && ctx->newkey_type != CMP_KEY_NONE) {
        CMP_TRY(cmp_crypto_key_generate(ctx->crypto, &ctx->newkey, ctx->newkey_type,
                                        ctx->newkey_bits));
        ctx->newkey_generated = 1;
        cmp_client_log(ctx, CMP_LOG_INFO, "generated a new key", "", "");
    }
    if (ctx->newkey != NULL) {
        ctx->req_key = ctx->newkey;
    } else if (ctx->op != CMP_OP_KUR && ctx->key != NULL) {
        /* Like openssl cmp: without -newkey, ir/cr/p10cr certify the
         * signer key. */
        ctx->req_key = ctx->key;
    } else {
        cmp_client_log(ctx, CMP_LOG_ERR, "no key to certify (set a new key)", "", "");
        CMP_FAIL(CMP_ERR_CONFIG);
    }
    CMP_TRY(cmp_crypto_key_spki(ctx->crypto, &ctx->req_spki, ctx->req_key));
    return CMP_OK;
}

static cmp_err check_config(cmp_client *ctx)
{
    int have_sig = ctx->cert.len > 0 && ctx->key != NULL;

    CMP_ENSURE(ctx->clock_fn != NULL, CMP_ERR_CONFIG);
    /* = https://www.rfc-editor.org/rfc/rfc9483#section-4.1.3
     * # the kur [...] MUST be signed using the certificate to be updated */
    if (ctx->op == CMP_OP_KUR) {
        CMP_ENSURE(have_sig, CMP_ERR_CONFIG);
    }
    CMP_ENSURE(have_sig || ctx->secret.len > 0, CMP_ERR_CONFIG);
    /* Responses must be verifiable (RFC 9483 section 3.2). */
    CMP_ENSURE(ctx->secret.len > 0 || ctx->trusted.num > 0 || ctx->srvcert.len > 0,
               CMP_ERR_CONFIG);
    return CMP_OK;
}

/* see client_int.h */
cmp_err cmp_client_start(cmp_client *ctx, cmp_client_op op)
{
    cmp_err err = CMP_ERR_INTERNAL;
    cmp_cert_info ci;
    cmp_span rcpt;

    CMP_ENSURE(ctx != NULL, CMP_ERR_ARG);
    CMP_ENSURE(ctx->state == CMP_CST_IDLE || ctx->state == CMP_CST_DONE, CMP_ERR_STATE);
    cmp_client_reset(ctx);
    ctx->op = op;
    CMP_TRY_OUT(check_config(ctx));
    /* = https://www.rfc-editor.org/rfc/rfc9483#section-3.1
     * # transactionID [...] 128 bits of (pseudo-)random data */
    CMP_TRY_OUT(cmp_crypto_random(ctx->crypto, ctx->tid, sizeof(ctx->tid)));
    ctx->start = cmp_client_now(ctx);
    ctx->deadline = ctx->start + (int64_t)(ctx->total_timeout != 0 ? ctx->total_timeout
                                                                     : CMP_MAX_POLL_SECONDS);
    /* The recipient: configured, else the subject of the pinned server
     * certificate, else the issuer of the old or our certificate (as
     * openssl cmp does). */
    rcpt = bspan(&ctx->recipient);
    if (rcpt.len == 0 && ctx->srvcert.len > 0
        && cmp_crypto_cert_parse(&ci, bspan(&ctx->srvcert)) == CMP_OK) {
        rcpt = ci.subject;
    }
    if (rcpt.len == 0 && old_cert(ctx).len > 0
        && cmp_crypto_cert_parse(&ci, old_cert(ctx)) == CMP_OK) {
        rcpt = ci.issuer;
    }
    if (rcpt.len > 0) {
        /* (empty: cmp_msg_new writes the directoryName of an empty Name,
         * RFC 9483 section 3.1) */
        CMP_TRY_OUT(cmp_general_name_dn(&ctx->recipient_gn, rcpt));
    }
    switch (op) {
    case CMP_OP_IR:
    case CMP_OP_CR:
    case CMP_OP_KUR:
    case CMP_OP_P10CR:
        CMP_TRY_OUT(prepare_key(ctx));
        ctx->next_type = op == CMP_OP_IR    ? CMP_BODY_IR
                         : op == CMP_OP_CR  ? CMP_BODY_CR
                         : op == CMP_OP_KUR ? CMP_BODY_KUR
                                            : CMP_BODY_P10CR;
        ctx->state = CMP_CST_CERTREP;
        break;
    case CMP_OP_GENM:
        ctx->next_type = CMP_BODY_GENM;
        ctx->state = CMP_CST_GENP;
        break;
    case CMP_OP_RR:
        CMP_ENSURE_OUT(old_cert(ctx).len > 0, CMP_ERR_CONFIG);
        ctx->next_type = CMP_BODY_RR;
        ctx->state = CMP_CST_RP;
        break;
    default:
        CMP_FAIL_OUT(CMP_ERR_ARG);
    }
    cmp_client_log(ctx, CMP_LOG_INFO, "starting ", cmp_body_name(ctx->next_type),
                   " transaction");
    err = CMP_OK;
out:
    if (err != CMP_OK) {
        finish(ctx, err);
    }
    return err;
}

/* ---- public entry points ------------------------------------------------ */

static cmp_err run(cmp_client *ctx, cmp_err start_err)
{
    uint32_t delay = 0;
    cmp_err e;

    CMP_TRY(start_err);
    for (;;) {
        e = cmp_client_step(ctx, &delay);
        if (e != CMP_ERR_AGAIN) {
            return e;
        }
        if (ctx->sleep_fn == NULL) {
            finish(ctx, CMP_ERR_CONFIG);
            CMP_FAIL(CMP_ERR_CONFIG);
        }
        ctx->sleep_fn(ctx->sleep_arg, delay);
    }
}

/* see cmp/client.h */
cmp_err cmp_client_start_ir(cmp_client *ctx)
{
    return cmp_client_start(ctx, CMP_OP_IR);
}

/* see cmp/client.h */
cmp_err cmp_client_start_cr(cmp_client *ctx)
{
    return cmp_client_start(ctx, CMP_OP_CR);
}

/* see cmp/client.h */
cmp_err cmp_client_start_kur(cmp_client *ctx)
{
    return cmp_client_start(ctx, CMP_OP_KUR);
}

/* see cmp/client.h */
cmp_err cmp_client_start_p10cr(cmp_client *ctx)
{
    return cmp_client_start(ctx, CMP_OP_P10CR);
}

/* see cmp/client.h */
cmp_err cmp_client_start_genm(cmp_client *ctx, cmp_span infotype_oid)
{
    cmp_err e;
    uint8_t *p;

    CMP_ENSURE(ctx != NULL && infotype_oid.len > 0 && infotype_oid.data != NULL, CMP_ERR_ARG);
    e = cmp_client_start(ctx, CMP_OP_GENM);
    if (e != CMP_OK) {
        return e;
    }
    p = cmp_malloc(infotype_oid.len);
    if (p == NULL) {
        finish(ctx, CMP_ERR_NOMEM);
        CMP_FAIL(CMP_ERR_NOMEM);
    }
    memcpy(p, infotype_oid.data, infotype_oid.len);
    ctx->genm_oid.data = p;
    ctx->genm_oid.len = infotype_oid.len;
    return CMP_OK;
}

/* see cmp/client.h */
cmp_err cmp_client_start_rr(cmp_client *ctx, int reason)
{
    CMP_ENSURE(ctx != NULL && reason >= -1 && reason <= 10 && reason != 7, CMP_ERR_ARG);
    ctx->reason = reason;
    return cmp_client_start(ctx, CMP_OP_RR);
}

/* see cmp/client.h */
cmp_err cmp_client_ir(cmp_client *ctx)
{
    return run(ctx, cmp_client_start_ir(ctx));
}

/* see cmp/client.h */
cmp_err cmp_client_cr(cmp_client *ctx)
{
    return run(ctx, cmp_client_start_cr(ctx));
}

/* see cmp/client.h */
cmp_err cmp_client_kur(cmp_client *ctx)
{
    return run(ctx, cmp_client_start_kur(ctx));
}

/* see cmp/client.h */
cmp_err cmp_client_p10cr(cmp_client *ctx)
{
    return run(ctx, cmp_client_start_p10cr(ctx));
}

/* see cmp/client.h */
cmp_err cmp_client_genm(cmp_client *ctx, cmp_span infotype_oid)
{
    return run(ctx, cmp_client_start_genm(ctx, infotype_oid));
}

/* see cmp/client.h */
cmp_err cmp_client_rr(cmp_client *ctx, int reason)
{
    return run(ctx, cmp_client_start_rr(ctx, reason));
}
