/* SPDX-License-Identifier: Apache-2.0 */
/*
 * stack/server_genm.c: the server's answers to general messages (RFC 9810
 * section 5.3.19, RFC 9483 section 4.3): caCerts, rootCaCert, 
 * certReqTemplate, crlStatusList and signKeyPairTypes. Each answer is one
 * InfoTypeAndValue whose value this file encodes; unknown InfoTypes are
 * left out (RFC 9810 section 5.3.19: "The receiver is free to ignore any
 * contained OIDs that it does not recognize").
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "cmp/mem.h"
#include "err_int.h"
#include "rd_int.h"
#include "server_int.h"

/* id-it ::= 1.3.6.1.5.5.7.4; the last byte is the InfoType number. */
#define ID_IT 0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x04
static const uint8_t IT_SIGN_KEY_PAIR_TYPES[] = {ID_IT, 2};
static const uint8_t IT_CA_CERTS[] = {ID_IT, 17};
static const uint8_t IT_ROOT_CA_KEY_UPDATE[] = {ID_IT, 18};
static const uint8_t IT_CERT_REQ_TEMPLATE[] = {ID_IT, 19};
static const uint8_t IT_ROOT_CA_CERT[] = {ID_IT, 20};
static const uint8_t IT_CRL_STATUS_LIST[] = {ID_IT, 22};
static const uint8_t IT_CRLS[] = {ID_IT, 23};

/* AlgorithmIdentifiers of the key types we certify (RFC 9481 section 3). */
static const uint8_t ALG_RSA[] = {0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7,
                                  0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};
static const uint8_t ALG_EC_P256[] = {0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d,
                                      0x02, 0x01, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d,
                                      0x03, 0x01, 0x07};
static const uint8_t ALG_EC_P384[] = {0x30, 0x10, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce,
                                      0x3d, 0x02, 0x01, 0x06, 0x05, 0x2b, 0x81, 0x04,
                                      0x00, 0x22};
static const uint8_t ALG_ED25519[] = {0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70};

/* id-regCtrl-algId (1.3.6.1.5.5.7.5.1.11) and id-regCtrl-rsaKeyLen (.12),
 * RFC 9810 section 5.3.19.16. */
static const uint8_t CTRL_ALG_ID[] = {0x06, 0x09, 0x2b, 0x06, 0x01, 0x05,
                                      0x05, 0x07, 0x05, 0x01, 0x0b};
static const uint8_t CTRL_RSA_KEY_LEN[] = {0x06, 0x09, 0x2b, 0x06, 0x01, 0x05, 0x05,
                                           0x07, 0x05, 0x01, 0x0c, 0x02, 0x02, 0x08, 0x00};

static cmp_span sp(const uint8_t *p, size_t n)
{
    cmp_span s;
    s.data = p;
    s.len = n;
    return s;
}

#define SP(tab) sp((tab), sizeof(tab))

static int oid_is(cmp_span oid, const uint8_t *ref, size_t n)
{
    return oid.len == n && memcmp(oid.data, ref, n) == 0;
}

static cmp_span wr_span(const cmp_srv_wr *w)
{
    return sp(w->buf.data, w->buf.len);
}

/* Wraps what |inner| holds into tag |tag| and appends it to |w|. */
static void wrap(cmp_srv_wr *w, uint8_t tag, cmp_srv_wr *inner)
{
    if (inner->failed) {
        w->failed = 1;
    }
    cmp_srv_wr_tlv(w, tag, wr_span(inner));
    cmp_srv_wr_cleanup(inner);
}

/* CaCertsValue ::= SEQUENCE SIZE (1..MAX) OF CMPCertificate */
static void put_ca_certs(cmp_srv_wr *w, const cmp_srv_genm_data *d)
{
    cmp_srv_wr seq;
    size_t i;

    cmp_srv_wr_init(&seq);
    for (i = 0; i < d->num_ca_certs; i++) {
        cmp_srv_wr_raw(&seq, d->ca_certs[i]);
    }
    wrap(w, 0x30, &seq);
}

/* RootCaKeyUpdateContent ::= SEQUENCE { newWithNew CMPCertificate, ... }:
 * we have one root and no key change in progress, so only newWithNew. */
static void put_root_update(cmp_srv_wr *w, const cmp_srv_genm_data *d)
{
    cmp_srv_wr seq;

    cmp_srv_wr_init(&seq);
    cmp_srv_wr_raw(&seq, d->root);
    wrap(w, 0x30, &seq);
}

/* CertReqTemplateContent ::= SEQUENCE { certTemplate CertTemplate,
 *                                       keySpec Controls OPTIONAL }
 * The template names the issuer ([3], explicit: Name is a CHOICE); keySpec
 * offers id-regCtrl-algId (EC P-256) and id-regCtrl-rsaKeyLen 2048. */
static void put_template(cmp_srv_wr *w, const cmp_srv_genm_data *d)
{
    cmp_srv_wr tmpl, issuer, ctrls, atv, seq;

    cmp_srv_wr_init(&tmpl);
    cmp_srv_wr_init(&issuer);
    cmp_srv_wr_init(&ctrls);
    cmp_srv_wr_init(&atv);
    cmp_srv_wr_init(&seq);
    cmp_srv_wr_raw(&issuer, d->ca_subject);
    wrap(&tmpl, 0xa3, &issuer);
    wrap(&seq, 0x30, &tmpl);
    cmp_srv_wr_raw(&atv, SP(CTRL_ALG_ID));
    cmp_srv_wr_raw(&atv, SP(ALG_EC_P256));
    wrap(&ctrls, 0x30, &atv);
    cmp_srv_wr_init(&atv);
    cmp_srv_wr_raw(&atv, SP(CTRL_RSA_KEY_LEN));
    wrap(&ctrls, 0x30, &atv);
    wrap(&seq, 0x30, &ctrls);
    wrap(w, 0x30, &seq);
}

/* SignKeyPairTypesValue ::= SEQUENCE SIZE (1..MAX) OF AlgorithmIdentifier */
static void put_key_types(cmp_srv_wr *w)
{
    cmp_srv_wr seq;

    cmp_srv_wr_init(&seq);
    cmp_srv_wr_raw(&seq, SP(ALG_RSA));
    cmp_srv_wr_raw(&seq, SP(ALG_EC_P256));
    cmp_srv_wr_raw(&seq, SP(ALG_EC_P384));
    cmp_srv_wr_raw(&seq, SP(ALG_ED25519));
    wrap(w, 0x30, &seq);
}

typedef struct answer {
    const uint8_t *oid;
    size_t oid_len;
    size_t off; /* value offset in the output, SIZE_MAX: value absent */
    size_t len;
} answer;

/* Answers one InfoType into |w|; 0 when it is unknown. */
static int answer_one(cmp_srv_wr *w, answer *a, const cmp_itav *q, const cmp_srv_genm_data *d)
{
    size_t start = w->buf.len;

    a->off = SIZE_MAX;
    a->len = 0;
    if (oid_is(q->oid, IT_CA_CERTS, sizeof(IT_CA_CERTS))) {
        /* = https://www.rfc-editor.org/rfc/rfc9483#section-4.3.1 */
        a->oid = IT_CA_CERTS;
        a->oid_len = sizeof(IT_CA_CERTS);
        if (d->num_ca_certs > 0) {
            put_ca_certs(w, d);
        }
    } else if (oid_is(q->oid, IT_ROOT_CA_CERT, sizeof(IT_ROOT_CA_CERT))) {
        /* = https://www.rfc-editor.org/rfc/rfc9483#section-4.3.2
         * # If no update is available, the infoValue MUST be absent
         * An update exists when our root differs from the one the EE has. */
        a->oid = IT_ROOT_CA_KEY_UPDATE;
        a->oid_len = sizeof(IT_ROOT_CA_KEY_UPDATE);
        if (d->root.len > 0 && !(q->value.len == d->root.len &&
                                 memcmp(q->value.data, d->root.data, d->root.len) == 0)) {
            put_root_update(w, d);
        }
    } else if (oid_is(q->oid, IT_CERT_REQ_TEMPLATE, sizeof(IT_CERT_REQ_TEMPLATE))) {
        /* = https://www.rfc-editor.org/rfc/rfc9483#section-4.3.3 */
        a->oid = IT_CERT_REQ_TEMPLATE;
        a->oid_len = sizeof(IT_CERT_REQ_TEMPLATE);
        put_template(w, d);
    } else if (oid_is(q->oid, IT_CRL_STATUS_LIST, sizeof(IT_CRL_STATUS_LIST))) {
        /* = https://www.rfc-editor.org/rfc/rfc9483#section-4.3.4
         * # If no CRL update is available, the infoValue MUST be absent
         * This CA publishes no CRLs, so there is never an update. */
        a->oid = IT_CRLS;
        a->oid_len = sizeof(IT_CRLS);
    } else if (oid_is(q->oid, IT_SIGN_KEY_PAIR_TYPES, sizeof(IT_SIGN_KEY_PAIR_TYPES))) {
        a->oid = IT_SIGN_KEY_PAIR_TYPES;
        a->oid_len = sizeof(IT_SIGN_KEY_PAIR_TYPES);
        put_key_types(w);
    } else {
        return 0;
    }
    if (w->buf.len > start) {
        a->off = start;
        a->len = w->buf.len - start;
    }
    return 1;
}

/* see server_int.h */
cmp_err cmp_srv_genp(cmp_buf *out, cmp_itav *out_itavs, size_t *out_num, const cmp_msg *genm,
                     const cmp_srv_genm_data *d)
{
    cmp_err err = CMP_ERR_INTERNAL;
    answer ans[CMP_SRV_MAX_ITAVS];
    cmp_srv_wr w;
    cmp_itav q;
    size_t n = cmp_msg_num_itavs(genm), i, k = 0;

    cmp_srv_wr_init(&w);
    *out_num = 0;
    CMP_ENSURE_OUT(n <= CMP_SRV_MAX_ITAVS, CMP_ERR_BAD_REQUEST);
    if (n == 0) {
        /* = https://www.rfc-editor.org/rfc/rfc9810#section-5.3.19
         * # If sent from EE to CA, the empty set indicates that the CA may
         * # send any/all information that it wishes.
         * We send the CA certificates. */
        q.oid = SP(IT_CA_CERTS);
        q.value = sp(NULL, 0);
        if (answer_one(&w, &ans[k], &q, d)) {
            k++;
        }
    }
    for (i = 0; i < n; i++) {
        CMP_TRY_OUT(cmp_msg_itav(genm, i, &q));
        if (answer_one(&w, &ans[k], &q, d)) {
            k++;
        }
    }
    CMP_TRY_OUT(cmp_srv_wr_finish(&w, out));
    for (i = 0; i < k; i++) {
        out_itavs[i].oid = sp(ans[i].oid, ans[i].oid_len);
        out_itavs[i].value = ans[i].off == SIZE_MAX ? sp(NULL, 0)
                                                    : sp(out->data + ans[i].off, ans[i].len);
    }
    *out_num = k;
    err = CMP_OK;
out:
    cmp_srv_wr_cleanup(&w);
    return err;
}
