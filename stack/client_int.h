/* SPDX-License-Identifier: Apache-2.0 */
/*
 * stack/client_int.h: the inside of a cmp_client, shared by client.c
 * (context, configuration, results) and client_txn.c (the transactions).
 * Nothing outside stack/client*.c and the unit tests includes it.
 */
#ifndef CMP_CLIENT_INT_H
#define CMP_CLIENT_INT_H

#include <stddef.h>
#include <stdint.h>

#include "cmp/client.h"
#include "cmp/msg.h"
#include "cmp_crypto.h"
#include "compat.h"
#include "prot_int.h"

/* An owned list of DER certificates. */
typedef struct cmp_cert_list {
    cmp_buf *certs;
    size_t num;
} cmp_cert_list;

CMP_MUST_CHECK cmp_err cmp_cert_list_add(cmp_cert_list *l, cmp_span cert);
void cmp_cert_list_clear(cmp_cert_list *l);
/* cmp_cert_list_spans makes a cmp_malloc'd array of views (NULL for an empty
 * list is not an error: *out is NULL and the count 0). */
CMP_MUST_CHECK cmp_err cmp_cert_list_spans(const cmp_cert_list *l, cmp_span **out);

/* The operations; the transaction table is indexed by state. */
typedef enum cmp_client_op {
    CMP_OP_NONE = 0,
    CMP_OP_IR,
    CMP_OP_CR,
    CMP_OP_KUR,
    CMP_OP_P10CR,
    CMP_OP_GENM,
    CMP_OP_RR
} cmp_client_op;

typedef enum cmp_client_state {
    CMP_CST_IDLE = 0,  /* no transaction */
    CMP_CST_CERTREP,   /* ir/cr/kur/p10cr sent: ip/cp/kup or error expected */
    CMP_CST_POLL,      /* pollReq sent: pollRep, the final answer or error */
    CMP_CST_CONF,      /* certConf sent: pkiConf or error */
    CMP_CST_GENP,      /* genm sent: genp or error */
    CMP_CST_RP,        /* rr sent: rp or error */
    CMP_CST_DONE       /* ended; |final| says how */
} cmp_client_state;

struct cmp_client {
    cmp_crypto *crypto;
    cmp_transport *t;
    cmp_client_log_fn log_fn;
    void *log_arg;
    int log_level;
    cmp_client_clock_fn clock_fn;
    void *clock_arg;
    cmp_client_sleep_fn sleep_fn;
    void *sleep_arg;

    /* configuration */
    cmp_buf recipient;       /* DER Name */
    cmp_buf sender;          /* DER Name (MAC) */
    cmp_buf cert;            /* signer certificate */
    cmp_key *key;            /* its key, owned */
    cmp_cert_list chain;
    cmp_buf secret;
    cmp_buf ref;
    cmp_mac_params mac;
    int has_mac;
    cmp_hash_alg digest;
    cmp_cert_list trusted;
    cmp_cert_list out_trusted;
    cmp_cert_list untrusted;
    cmp_buf srvcert;
    cmp_buf expected_sender;
    int unprotected_errors;
    int ignore_keyusage;
    cmp_key *newkey;         /* owned */
    int newkey_generated;
    cmp_key_type newkey_type;
    unsigned newkey_bits;
    cmp_buf subject;
    cmp_buf exts;
    uint32_t days;
    int implicit_confirm;
    int pvno;
    int popo;
    cmp_buf oldcert;
    cmp_buf csr;
    uint32_t total_timeout;
    uint32_t max_check_after;
    int64_t skew;
    int lenient;
    size_t max_msg;

    /* the transaction */
    cmp_client_op op;
    cmp_client_state state;
    cmp_err final;           /* result once state is DONE */
    cmp_err pending;         /* error to report after a rejecting certConf */
    uint8_t tid[CMP_TID_LEN];
    uint8_t nonce[CMP_NONCE_LEN]; /* our last senderNonce */
    cmp_buf peer_nonce;      /* the peer's last senderNonce */
    int64_t start;
    int64_t deadline;
    int64_t wait_until;      /* earliest time of the next request */
    cmp_body_type next_type; /* the request to build next, or CMP_BODY_NONE */
    int64_t poll_id;         /* certReqId for pollReq */
    cmp_key *req_key;        /* the key the certificate is requested for (borrowed) */
    cmp_buf req_spki;        /* its SubjectPublicKeyInfo */
    cmp_buf recipient_gn;    /* GeneralName of the recipient */
    int64_t cert_req_id;
    int reason;
    cmp_buf genm_oid;
    cmp_prot_kind rsp_prot;  /* how the last response was protected */
    unsigned num_polls;
    int ic_granted;
    cmp_status_info conf_status; /* certConf rejection being sent */
    int conf_reject;

    /* results */
    cmp_buf new_cert;
    cmp_cert_list rsp_chain;
    cmp_cert_list ca_pubs;
    cmp_msg *status_msg;     /* where |status| and |error| point into */
    cmp_status_info status;
    int has_status;
    cmp_error_info error;
    int has_error;
    cmp_msg *genp;
};

/* client.c */
void cmp_client_log(const cmp_client *ctx, int level, const char *a, const char *b,
                    const char *c);
void cmp_client_log_num(const cmp_client *ctx, int level, const char *a, int64_t n,
                        const char *b);
int64_t cmp_client_now(const cmp_client *ctx);
void cmp_client_reset(cmp_client *ctx);

/* client_txn.c */
CMP_MUST_CHECK cmp_err cmp_client_start(cmp_client *ctx, cmp_client_op op);

#endif /* CMP_CLIENT_INT_H */
