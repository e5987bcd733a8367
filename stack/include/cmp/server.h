/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmp/server.h: the CA/RA side of CMP (RFC 9810 sections 5.1-5.3, the
 * Lightweight CMP Profile RFC 9483 section 5). A cmp_server answers one
 * request message at a time: bytes in, bytes out, no socket inside. It
 * checks each request (protection, header, proof of possession, template),
 * issues certificates through the crypto provider from the configured CA
 * key, and keeps every transaction, issued certificate, revocation and the
 * serial counter in a SQLite database, so that a server killed at any
 * point and restarted loses nothing.
 *
 * Threads: cmp_server_handle() may be called from several threads at once
 * (the HTTP server's workers). Each call borrows one of |num_slots| crypto
 * contexts (a provider and its keys are not thread-safe); state changes are
 * serialized through the store.
 *
 * The library never reads the clock (config.clock) and never prints
 * (config.on_message receives one event per message).
 */
#ifndef CMP_SERVER_H
#define CMP_SERVER_H

#include <stddef.h>
#include <stdint.h>

#include "cmp/err.h"
#include "cmp/types.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct cmp_server cmp_server;
struct cmp_crypto;

/* What the policy decides about a certificate request. */
typedef enum cmp_server_action {
    CMP_SERVER_ACCEPT = 0, /* issue now */
    CMP_SERVER_WAIT = 1,   /* answer "waiting"; release after |polls| pollReqs,
                              or (|polls| 0) after cmp_server_approve() or
                              cmp_server_admin_decide() */
    CMP_SERVER_REJECT = 2  /* answer "rejection" with |fail_info| and |text| */
} cmp_server_action;

typedef struct cmp_server_decision {
    int action;         /* cmp_server_action */
    unsigned polls;     /* CMP_SERVER_WAIT */
    int status;         /* CMP_SERVER_ACCEPT: accepted (0) or grantedWithMods (1) */
    uint32_t fail_info; /* CMP_SERVER_REJECT: PKIFailureInfo bits (1u << CMP_FI_*) */
    char text[128];     /* statusString; empty: none */
} cmp_server_decision;

/* What the policy sees of a request that passed every check. Spans are
 * borrowed for the call. */
typedef struct cmp_server_request {
    int body_type;           /* CMP_BODY_IR, _CR, _KUR, _P10CR */
    cmp_span transaction_id;
    cmp_span subject;        /* DER Name requested */
    cmp_span public_key;     /* SubjectPublicKeyInfo DER */
    cmp_span extensions;     /* DER Extensions requested, or empty */
    int mac_protected;       /* 1: MAC, 0: signature */
    cmp_span sender_kid;     /* MAC reference (MAC) or senderKID */
    cmp_span signer_cert;    /* DER of the protecting certificate (signature) */
    const char *profile;     /* label of the request's path (/.well-known/cmp/p/<label>);
                                "" for /.well-known/cmp, the default profile */
} cmp_server_request;

typedef cmp_err (*cmp_server_policy_fn)(void *arg, cmp_server_decision *out,
                                        const cmp_server_request *req);

/* Looks up the MAC secret for a senderKID. On CMP_OK |*out| holds the secret
 * (cmp_malloc'd; the server wipes and frees it). Return CMP_ERR_SENDER for
 * an unknown reference. */
typedef cmp_err (*cmp_server_secret_fn)(void *arg, cmp_buf *out, cmp_span sender_kid);

/* The time, in seconds since 1970-01-01T00:00:00Z. */
typedef int64_t (*cmp_server_clock_fn)(void *arg);

/* Makes a crypto provider (one per slot). */
typedef cmp_err (*cmp_server_crypto_new_fn)(struct cmp_crypto **out);

/* One event per message handled, for logs. Spans are borrowed for the call. */
typedef struct cmp_server_event {
    cmp_span transaction_id; /* of the request, or empty */
    int req_body;            /* CMP_BODY_*, or CMP_BODY_NONE when undecodable */
    int rsp_body;            /* CMP_BODY_* of the answer */
    int status;              /* PKIStatus of the answer, -1 when it has none */
    uint32_t fail_info;      /* failInfo bits of the answer */
    cmp_err err;             /* why the request was refused, CMP_OK if it was not */
    cmp_span request;        /* the request bytes */
    cmp_span response;       /* the response bytes */
    const char *profile;     /* label of the request's profile; "": the default */
} cmp_server_event;

typedef void (*cmp_server_event_fn)(void *arg, const cmp_server_event *ev);

/* Extension profile of issued certificates. */
typedef struct cmp_server_profile {
    int64_t validity;        /* seconds; 0: 365 days */
    int template_validity;   /* 1: honour the template's validity within |validity| */
    uint32_t key_usage;      /* CMP_KU_* when the template asks for none;
                                0: digitalSignature */
    int allow_key_usage;     /* 1: take keyUsage from the template */
    int allow_san;           /* 1: take subjectAltName from the template */
    uint32_t ext_key_usage;  /* CMP_EKU_* added to every certificate; 0: none */
} cmp_server_profile;

/* A named profile, served under /.well-known/cmp/p/<label> (RFC 9483
 * section 3.3; RFC 6712bis section 3.4: "The path segment 'p' followed by
 * an arbitraryLabel <name> could, for example, support the differentiation
 * of specific CAs or certificate profiles"). Every profile issues from the
 * same CA key, into the same database, with the same serial counter; what
 * differs is the certificate profile and the built-in policy. The fields
 * after |profile| mean what the same-named fields of cmp_server_config mean
 * for the default profile. Fill with cmp_server_profile_cfg_init. */
#define CMP_SERVER_MAX_LABEL 64
typedef struct cmp_server_profile_cfg {
    const char *label;       /* 1..CMP_SERVER_MAX_LABEL characters of
                                A-Z a-z 0-9 - . _ ~ (RFC 3986 unreserved) */
    cmp_server_profile profile;
    unsigned poll_count;
    int64_t check_after;
    int pkistatus;
    uint32_t fail_info;
    const char *status_text;
    int grant_implicit_confirm;
    int await_approval;
} cmp_server_profile_cfg;

/* cmp_server_profile_cfg_init zeroes |p| and sets the defaults of
 * cmp_server_config_init (check_after 1, pkistatus accepted, SAN and
 * keyUsage taken from templates). */
CMP_API void cmp_server_profile_cfg_init(cmp_server_profile_cfg *p);

/* The configuration; fill with cmp_server_config_init, then set fields.
 * Every span and array is borrowed for cmp_server_new only (copied). */
typedef struct cmp_server_config {
    /* SQLite database file; NULL or ":memory:" keeps state in memory only. */
    const char *state_path;

    /* The CA that issues: certificate (DER) and private key (PEM or DER,
     * with |ca_key_pass| when encrypted). Required. */
    cmp_span ca_cert;
    cmp_span ca_key;
    cmp_span ca_key_pass;
    /* The certificate and key that sign responses (-srv_cert, -srv_key);
     * empty: the CA's. */
    cmp_span srv_cert;
    cmp_span srv_key;
    cmp_span srv_key_pass;
    /* -srv_secret / -srv_ref: the MAC secret and its reference (senderKID).
     * An empty |srv_ref| matches any senderKID. |secret_fn| (if set) is
     * asked first. */
    cmp_span srv_secret;
    cmp_span srv_ref;
    cmp_server_secret_fn secret_fn;
    void *secret_arg;

    /* Trust anchors for request signatures (-srv_trusted); the CA
     * certificate is always one, so that its own certificates may sign cr,
     * kur and rr. Untrusted intermediates (-srv_untrusted) join the
     * request's extraCerts when building the signer's chain. */
    const cmp_span *trusted;
    size_t num_trusted;
    const cmp_span *untrusted;
    size_t num_untrusted;
    /* Extra certificates put into every response (-rsp_extracerts), and
     * caPubs of ip (-rsp_capubs). */
    const cmp_span *extra_certs;
    size_t num_extra_certs;
    const cmp_span *ca_pubs;
    size_t num_ca_pubs;
    /* genm rootCaCert: the current root (newWithNew); empty: the last
     * certificate of |ca_pubs|, if any. */
    cmp_span root_ca_cert;

    cmp_server_profile profile;

    /* Policy: |policy| if set, else the built-in one below, which follows
     * openssl cmp's mock server options. */
    cmp_server_policy_fn policy;
    void *policy_arg;
    unsigned poll_count;     /* -poll_count: answer waiting, release after N polls */
    int64_t check_after;     /* -check_after: seconds in pollRep (default 1) */
    int pkistatus;           /* -pkistatus: status of ip/cp/kup/rp (default accepted) */
    uint32_t fail_info;      /* -failure / -failurebits */
    const char *status_text; /* -statusstring; NULL: none */
    int send_error;          /* -send_error: answer every request with an error */

    int grant_implicit_confirm; /* -grant_implicitconf */
    int accept_unprotected;     /* -accept_unprotected */
    int accept_raverified;      /* -accept_raverified */

    int64_t txn_timeout;     /* idle seconds before a transaction expires; 0: 300 */
    unsigned num_slots;      /* crypto contexts (parallel calls); 0: 2 */
    cmp_server_crypto_new_fn crypto_new; /* NULL: cmp_crypto_wolfssl_new */
    cmp_server_clock_fn clock;  /* required */
    void *clock_arg;
    cmp_server_event_fn on_message; /* may be NULL */
    void *event_arg;

    /* -await_approval: the built-in policy answers "waiting" to every
     * certificate request of the default profile until
     * cmp_server_approve() or cmp_server_admin_decide() decides it; pollReq
     * gets pollRep meanwhile. Takes precedence over |poll_count|. */
    int await_approval;
    /* Named profiles besides the default one (the fields above), each
     * under /.well-known/cmp/p/<label>; labels are unique. */
    const cmp_server_profile_cfg *profiles;
    size_t num_profiles;
    /* -max_skew: refuse a request whose messageTime differs from the clock
     * by more than this many seconds (failInfo badTime); 0: no check. A
     * request without messageTime is not refused. */
    int64_t max_skew;
} cmp_server_config;

/* cmp_server_config_init zeroes |cfg| and sets the defaults named above. */
CMP_API void cmp_server_config_init(cmp_server_config *cfg);

/* cmp_server_new checks |cfg|, loads the keys into every crypto slot, opens
 * (or creates) the database and returns the server at |*out| (the caller's;
 * cmp_server_free). Errors: CMP_ERR_CONFIG (missing CA, key not matching
 * its certificate, no clock), CMP_ERR_KEY_PARSE, CMP_ERR_PASSPHRASE,
 * CMP_ERR_CERT_PARSE, CMP_ERR_DB, CMP_ERR_NOMEM. */
CMP_API cmp_err cmp_server_new(cmp_server **out, const cmp_server_config *cfg);

/* cmp_server_free closes the database and frees |srv|. NULL is fine. */
CMP_API void cmp_server_free(cmp_server *srv);

/* cmp_server_handle answers the request of |req_len| bytes at |req|. On
 * CMP_OK |*rsp| holds the DER response (the caller's; cmp_buf_cleanup):
 * a normal answer, or an error message / a rejecting ip, cp or kup when the
 * request was refused (the event's |err| says why). A refused request never
 * changes the stored state. Fails (with |*rsp| empty) only when no answer
 * can be made at all (CMP_ERR_NOMEM, CMP_ERR_INTERNAL). */
CMP_API cmp_err cmp_server_handle(cmp_server *srv, cmp_buf *rsp, const uint8_t *req,
                                  size_t req_len);

/* cmp_server_handle_path is cmp_server_handle for the profile with |label|
 * (NULL or "": the default profile). A request for a transaction that was
 * started under another profile is refused (badRequest, CMP_ERR_WRONG_PROFILE)
 * and changes nothing. CMP_ERR_UNKNOWN_PROFILE (|*rsp| empty) when no
 * profile has |label|. */
CMP_API cmp_err cmp_server_handle_path(cmp_server *srv, cmp_buf *rsp, const char *label,
                                       const uint8_t *req, size_t req_len);

/* cmp_server_http_handler is a cmp_transport_handler_fn (cmp/transport.h)
 * over cmp_server_handle_path, with |arg| the cmp_server: for cmp_http_server
 * and cmp_transport_mem_new. The path /.well-known/cmp/p/<label>, optionally
 * followed by /<operation> (RFC 9483 section 3.3; the operation label is not
 * used), selects the profile <label>, and HTTP 404 answers an unknown label;
 * every other path is the default profile's (the HTTP server decides which
 * paths reach the handler). */
CMP_API cmp_err cmp_server_http_handler(void *arg, const char *path, const uint8_t *req,
                                        size_t req_len, uint8_t **rsp, size_t *rsp_len,
                                        int *status);

/* cmp_server_approve decides a transaction that waits for approval
 * (CMP_SERVER_WAIT with polls 0): |accept| 1 issues at the next pollReq,
 * 0 rejects with |fail_info| bits. CMP_ERR_UNKNOWN_TRANSACTION when no such
 * transaction waits. */
CMP_API cmp_err cmp_server_approve(cmp_server *srv, cmp_span transaction_id, int accept,
                                   uint32_t fail_info);

/* Administration of a server's database from another process, while the
 * server runs (SQLite WAL lets a second connection write; the server reads
 * every transaction from the database when its next message arrives). */
typedef struct cmp_server_admin cmp_server_admin;

/* cmp_server_admin_open opens the existing database at |state_path| (a
 * file; never created here). CMP_ERR_DB when it is missing, unreadable or
 * of a newer schema. The caller frees |*out| with cmp_server_admin_close. */
CMP_API cmp_err cmp_server_admin_open(cmp_server_admin **out, const char *state_path);
CMP_API void cmp_server_admin_close(cmp_server_admin *a);

/* A transaction that waits for approval. Spans are borrowed for the call. */
typedef struct cmp_server_pending {
    cmp_span transaction_id;
    const char *profile;     /* "": the default profile */
    int body_type;           /* CMP_BODY_IR, _CR, _KUR, _P10CR */
    cmp_span subject;        /* DER Name requested (kur: possibly the old one) */
    int64_t created;         /* when the request arrived (server clock) */
    int64_t updated;         /* its last message */
} cmp_server_pending;

typedef void (*cmp_server_pending_fn)(void *arg, const cmp_server_pending *p);

/* cmp_server_admin_pending calls |fn| once per transaction waiting for
 * approval, oldest first. */
CMP_API cmp_err cmp_server_admin_pending(cmp_server_admin *a, cmp_server_pending_fn fn,
                                         void *arg);

/* cmp_server_admin_decide is cmp_server_approve through |a|. */
CMP_API cmp_err cmp_server_admin_decide(cmp_server_admin *a, cmp_span transaction_id,
                                        int accept, uint32_t fail_info);

/* Row counts of the state tables, for tests and monitoring. */
typedef struct cmp_server_stats {
    uint64_t transactions; /* every transaction row */
    uint64_t active;       /* not yet finished */
    uint64_t certs;        /* issued certificates */
    uint64_t confirmed;    /* of which confirmed */
    uint64_t revoked;      /* revocations */
    uint64_t serial;       /* the serial counter */
} cmp_server_stats;

CMP_API cmp_err cmp_server_get_stats(cmp_server *srv, cmp_server_stats *out);

/* cmp_server_state_digest hashes every row of every table (SHA-256) into
 * |out|, so that a test can assert that a refused request changed nothing. */
CMP_API cmp_err cmp_server_state_digest(cmp_server *srv, uint8_t out[32]);

#ifdef __cplusplus
}
#endif

#endif /* CMP_SERVER_H */
