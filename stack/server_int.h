/* SPDX-License-Identifier: Apache-2.0 */
/*
 * stack/server_int.h: what the files of the server share (server.c: the
 * transaction table and the handlers; server_req.c: request checks and
 * certificate issuing; server_genm.c: general messages; server_store.c:
 * the SQLite store and the locks). Nothing else includes it, except the
 * unit tests.
 *
 * The store is an I/O module like the transport: it is the only file that
 * includes <sqlite3.h>, and it also holds the two pthread primitives the
 * server needs (the state lock and the crypto-slot pool), so that the
 * protocol files stay within the allowed headers (STYLE.md section 2).
 */
#ifndef CMP_SERVER_INT_H
#define CMP_SERVER_INT_H

#include <stddef.h>
#include <stdint.h>

#include "cmp/err.h"
#include "cmp/msg.h"
#include "cmp/server.h"
#include "cmp/types.h"
#include "cmp_crypto.h"
#include "compat.h"

/* ---- store ------------------------------------------------------------- */

/* Transaction states (the rows of the state table in server.c). */
typedef enum cmp_srv_state {
    CMP_SRV_NEW = 0,     /* no row: only a first message is accepted */
    CMP_SRV_WAITING = 1, /* request accepted, certificate not yet released */
    CMP_SRV_ISSUED = 2,  /* certificate sent, certConf expected */
    CMP_SRV_DONE = 3     /* finished: the transactionID may not be reused */
} cmp_srv_state;

/* How the requester protected its messages, so that answers match. */
typedef enum cmp_srv_prot {
    CMP_SRV_PROT_NONE = 0,
    CMP_SRV_PROT_SIG = 1,
    CMP_SRV_PROT_MAC = 2
} cmp_srv_prot;

/* One transaction row. Buffers are owned (cmp_srv_txn_cleanup). */
typedef struct cmp_srv_txn {
    uint8_t tid[64];
    size_t tid_len;
    int state;             /* cmp_srv_state */
    int body;              /* body type of the request that opened it */
    int pvno;
    int prot;              /* cmp_srv_prot */
    cmp_buf mac_ref;       /* senderKID of a MAC-protected request */
    cmp_buf mac_alg;       /* its protectionAlg */
    uint8_t our_nonce[CMP_NONCE_LEN]; /* last senderNonce we sent */
    int64_t cert_req_id;
    int implicit;          /* implicitConfirm asked for and granted */
    int64_t polls_left;    /* WAITING: pollReqs until release; -1: approval */
    int approval;          /* 0: undecided, 1: accepted, -1: rejected */
    uint32_t fail_info;    /* rejection bits after approval */
    cmp_buf req;           /* WAITING: the request message, to issue from */
    cmp_buf cert;          /* ISSUED/DONE: the certificate issued */
    cmp_buf serial;        /* its serial (INTEGER contents) */
    int64_t updated;       /* last activity, seconds */
    uint8_t last_req[32];  /* SHA-256 of the last request answered */
    cmp_buf last_rsp;      /* and its answer, sent again on a retransmission */
    int last_rsp_body;
    char profile[CMP_SERVER_MAX_LABEL + 1]; /* label of its profile; "": default */
    cmp_buf subject;       /* WAITING: the subject requested (for the admin list) */
    int64_t created;       /* when its first message arrived */
} cmp_srv_txn;

void cmp_srv_txn_cleanup(cmp_srv_txn *t);

/* Certificate status in the cert table. */
enum {
    CMP_SRV_CERT_UNCONFIRMED = 0,
    CMP_SRV_CERT_CONFIRMED = 1,
    CMP_SRV_CERT_REVOKED = 2
};

typedef struct cmp_srv_store cmp_srv_store;

/* cmp_srv_store_open opens or creates the database at |path| (NULL or
 * ":memory:": in memory), in WAL mode with synchronous=FULL. With |create|
 * 0 the database must exist and hold the server's tables. A database of the
 * first, unversioned schema is migrated; one of a newer schema is refused
 * (CMP_ERR_DB). */
CMP_MUST_CHECK cmp_err cmp_srv_store_open(cmp_srv_store **out, const char *path, int create);
void cmp_srv_store_close(cmp_srv_store *s);

/* Every call below must run between lock and unlock; begin/commit group
 * the writes of one message into one durable SQLite transaction. */
void cmp_srv_store_lock(cmp_srv_store *s);
void cmp_srv_store_unlock(cmp_srv_store *s);
CMP_MUST_CHECK cmp_err cmp_srv_store_begin(cmp_srv_store *s);
CMP_MUST_CHECK cmp_err cmp_srv_store_commit(cmp_srv_store *s);
void cmp_srv_store_rollback(cmp_srv_store *s);

/* cmp_srv_store_txn_get loads the row of |tid| into |out| (which must be
 * zeroed); CMP_ERR_UNKNOWN_TRANSACTION when there is none. */
CMP_MUST_CHECK cmp_err cmp_srv_store_txn_get(cmp_srv_store *s, cmp_srv_txn *out, cmp_span tid);
/* cmp_srv_store_txn_put inserts or replaces the row. */
CMP_MUST_CHECK cmp_err cmp_srv_store_txn_put(cmp_srv_store *s, const cmp_srv_txn *t);
/* cmp_srv_store_txn_decide records the decision (|approval| 1 or -1) on a
 * transaction that waits for approval and is still undecided;
 * CMP_ERR_UNKNOWN_TRANSACTION when there is no such transaction. */
CMP_MUST_CHECK cmp_err cmp_srv_store_txn_decide(cmp_srv_store *s, cmp_span tid, int approval,
                                                uint32_t fail_info);
/* cmp_srv_store_pending calls |fn| for every transaction that waits for
 * approval, oldest first. */
CMP_MUST_CHECK cmp_err cmp_srv_store_pending(cmp_srv_store *s, cmp_server_pending_fn fn,
                                             void *arg);
/* cmp_srv_store_txn_expire finishes every active transaction idle since
 * before |cutoff|; certificates still waiting for certConf are revoked
 * (RFC 9810 section 5.3.18). */
CMP_MUST_CHECK cmp_err cmp_srv_store_txn_expire(cmp_srv_store *s, int64_t cutoff, int64_t now);

/* cmp_srv_store_next_serial increments and returns the serial counter. */
CMP_MUST_CHECK cmp_err cmp_srv_store_next_serial(cmp_srv_store *s, uint64_t *out);

CMP_MUST_CHECK cmp_err cmp_srv_store_cert_add(cmp_srv_store *s, cmp_span serial, cmp_span cert,
                                              cmp_span tid, int status, int64_t now);
CMP_MUST_CHECK cmp_err cmp_srv_store_cert_set_status(cmp_srv_store *s, cmp_span serial,
                                                     int status);
/* cmp_srv_store_cert_status gives the status of the certificate with
 * |serial|, or CMP_ERR_BAD_REQUEST when we never issued it. */
CMP_MUST_CHECK cmp_err cmp_srv_store_cert_status(cmp_srv_store *s, int *out, cmp_span serial);
CMP_MUST_CHECK cmp_err cmp_srv_store_revoke(cmp_srv_store *s, cmp_span serial, int reason,
                                            int64_t now);

CMP_MUST_CHECK cmp_err cmp_srv_store_stats(cmp_srv_store *s, cmp_server_stats *out);
/* cmp_srv_store_dump writes every row of every table, in key order, as
 * length-prefixed values into |out| (for the state digest). */
CMP_MUST_CHECK cmp_err cmp_srv_store_dump(cmp_srv_store *s, cmp_buf *out);

/* ---- crypto slots ------------------------------------------------------- */

typedef struct cmp_srv_pool cmp_srv_pool;

CMP_MUST_CHECK cmp_err cmp_srv_pool_new(cmp_srv_pool **out, size_t num);
void cmp_srv_pool_free(cmp_srv_pool *p);
/* cmp_srv_pool_take blocks until a slot is free and returns its index. */
size_t cmp_srv_pool_take(cmp_srv_pool *p);
void cmp_srv_pool_give(cmp_srv_pool *p, size_t i);

/* ---- request checks and issuing (server_req.c) --------------------------- */

/* A crypto slot: a provider with the server's keys loaded. */
typedef struct cmp_srv_slot {
    struct cmp_crypto *crypto;
    cmp_key *ca_key;
    cmp_key *srv_key;
} cmp_srv_slot;

/* What the checks of one certificate request found; spans point into the
 * request message. */
typedef struct cmp_srv_certreq {
    int body;
    int64_t cert_req_id;
    cmp_span subject;
    cmp_span public_key;
    cmp_span extensions;
    int64_t not_before;
    int64_t not_after;
    cmp_span old_cert_issuer; /* kur: GeneralName DER, or empty */
    cmp_span old_cert_serial;
} cmp_srv_certreq;

/* cmp_srv_certreq_read extracts the one request of an ir/cr/kur/p10cr and
 * checks certReqId, template and proof of possession (RFC 4211 section 4).
 * Errors: CMP_ERR_BAD_REQUEST (number of requests), CMP_ERR_CERT_REQ_ID,
 * CMP_ERR_TEMPLATE, CMP_ERR_POPO, CMP_ERR_CSR_PARSE, CMP_ERR_KEY_TYPE. */
CMP_MUST_CHECK cmp_err cmp_srv_certreq_read(struct cmp_crypto *c, cmp_srv_certreq *out,
                                            const cmp_msg *req, int accept_raverified);

/* cmp_srv_exts_check checks the requested extensions against the profile
 * (CMP_ERR_TEMPLATE for what the CA cannot honour). */
CMP_MUST_CHECK cmp_err cmp_srv_exts_check(cmp_span exts, const cmp_server_profile *prof);

/* cmp_srv_issue builds the certificate for |req| from the CA. */
CMP_MUST_CHECK cmp_err cmp_srv_issue(struct cmp_crypto *c, cmp_buf *out, cmp_key *ca_key,
                                     cmp_span ca_cert, const cmp_server_profile *prof,
                                     const cmp_srv_certreq *req, cmp_span serial, int64_t now);

/* cmp_srv_spki_key_type tells which key a SubjectPublicKeyInfo carries:
 * CMP_ERR_KEY_TYPE when it is none of RSA, EC P-256/384/521, Ed25519. */
CMP_MUST_CHECK cmp_err cmp_srv_spki_key_type(cmp_key_type *out, cmp_span spki);

/* ---- general messages (server_genm.c) ----------------------------------- */

typedef struct cmp_srv_genm_data {
    const cmp_span *ca_certs; /* caCerts: the CA chain */
    size_t num_ca_certs;
    cmp_span root;            /* rootCaCert / rootCaKeyUpdate newWithNew */
    cmp_span ca_subject;      /* certReqTemplate */
    const cmp_server_profile *profile;
} cmp_srv_genm_data;

/* cmp_srv_genp answers the InfoTypes of a genm (RFC 9810 section 5.3.19,
 * RFC 9483 section 4.3): |out| gets one value per answer, |out_itavs|
 * spans into it. Unknown InfoTypes are left out. */
#define CMP_SRV_MAX_ITAVS 8
CMP_MUST_CHECK cmp_err cmp_srv_genp(cmp_buf *out, cmp_itav *out_itavs, size_t *out_num,
                                    const cmp_msg *genm, const cmp_srv_genm_data *d);

/* ---- a small DER writer for the values the server makes itself ---------- */

typedef struct cmp_srv_wr {
    cmp_buf buf;
    size_t cap;
    int failed;
} cmp_srv_wr;

void cmp_srv_wr_init(cmp_srv_wr *w);
void cmp_srv_wr_cleanup(cmp_srv_wr *w);
/* cmp_srv_wr_tlv appends tag, DER length and |body|. */
void cmp_srv_wr_tlv(cmp_srv_wr *w, uint8_t tag, cmp_span body);
void cmp_srv_wr_raw(cmp_srv_wr *w, cmp_span bytes);
/* cmp_srv_wr_finish hands the bytes over (CMP_ERR_NOMEM after a failure). */
CMP_MUST_CHECK cmp_err cmp_srv_wr_finish(cmp_srv_wr *w, cmp_buf *out);

#endif /* CMP_SERVER_INT_H */
