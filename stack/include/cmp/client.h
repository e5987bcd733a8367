/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmp/client.h: the end entity (RFC 9810 Appendix D, RFC 9483 section 4).
 *
 * A cmp_client holds the configuration of an end entity and runs one
 * transaction at a time: ir, cr, kur or p10cr (with polling and
 * confirmation), genm, rr. Every response is checked (protection, body type,
 * transactionID, nonces, pvno, sender, messageTime, certReqId, issued key and
 * chain); each failure has its own cmp_err code.
 *
 * Blocking use: cmp_client_ir(ctx) etc. run the whole transaction and sleep
 * through polling with the sleep callback. Non-blocking use:
 * cmp_client_start_*(ctx) prepares the first request; cmp_client_step(ctx,
 * &delay) sends and receives until the transaction ends (CMP_OK or an error)
 * or the server asks us to wait: then it returns CMP_ERR_AGAIN and |delay|
 * seconds after which to call it again.
 *
 * The library never reads the clock (the caller supplies a clock callback),
 * never sleeps on its own and writes no files. Setters named set1/add1 copy
 * their input; set0 takes ownership on success.
 */
#ifndef CMP_CLIENT_H
#define CMP_CLIENT_H

#include <stddef.h>
#include <stdint.h>

#include "cmp/err.h"
#include "cmp/msg.h"
#include "cmp/transport.h"
#include "cmp/types.h"
#include "cmp_crypto.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct cmp_client cmp_client;

/* Log levels, numbered like syslog (and openssl cmp's -verbosity). */
#define CMP_LOG_ERR 3
#define CMP_LOG_WARN 4
#define CMP_LOG_INFO 6
#define CMP_LOG_DEBUG 7

/* A log sink: |msg| is a NUL-terminated line without newline. Keys and
 * secrets never appear in it. */
typedef void (*cmp_client_log_fn)(void *arg, int level, const char *msg);
/* The caller's clock: seconds since 1970-01-01T00:00:00Z. */
typedef int64_t (*cmp_client_clock_fn)(void *arg);
/* Sleep |seconds| (blocking API only). */
typedef void (*cmp_client_sleep_fn)(void *arg, uint32_t seconds);

/* cmp_client_new makes a client that uses |crypto| and |t| (both borrowed:
 * they must outlive the client). Defaults: pvno 2, no implicit confirm,
 * signature POPO, 600 s messageTime skew, no total polling deadline beyond
 * CMP_MAX_POLL_SECONDS, strict decoding, unprotected errors refused.
 * Release with cmp_client_free. */
CMP_API cmp_err cmp_client_new(cmp_client **out, cmp_crypto *crypto, cmp_transport *t);

/* cmp_client_free releases |ctx| and everything it owns (keys given with
 * set0 included). NULL is fine. */
CMP_API void cmp_client_free(cmp_client *ctx);

/* ---- callbacks ---------------------------------------------------------- */

/* Messages at |level| or more important are passed to |fn|. */
CMP_API void cmp_client_set_log(cmp_client *ctx, cmp_client_log_fn fn, void *arg, int level);
/* Required before any transaction. */
CMP_API void cmp_client_set_clock(cmp_client *ctx, cmp_client_clock_fn fn, void *arg);
/* Required for the blocking API when the server makes us poll. */
CMP_API void cmp_client_set_sleep(cmp_client *ctx, cmp_client_sleep_fn fn, void *arg);

/* ---- names and protection ----------------------------------------------- */

/* The CA's name (DER Name) for the recipient field; default: the issuer of
 * the signer certificate, else the empty Name (RFC 9483 section 3.1). */
CMP_API cmp_err cmp_client_set1_recipient(cmp_client *ctx, cmp_span name_der);
/* The sender name (DER Name) used with MAC protection; default: the
 * requested subject, else the empty Name. */
CMP_API cmp_err cmp_client_set1_sender(cmp_client *ctx, cmp_span name_der);
/* Signature protection: our certificate (DER), its private key (owned by
 * the client afterwards) and its chain, without the root. */
CMP_API cmp_err cmp_client_set1_cert(cmp_client *ctx, cmp_span cert_der);
CMP_API cmp_err cmp_client_set0_key(cmp_client *ctx, cmp_key *key);
CMP_API cmp_err cmp_client_add1_chain(cmp_client *ctx, cmp_span cert_der);
/* MAC protection (used when a secret is set): the shared secret and the
 * reference value (senderKID). |params| NULL: PBMAC1 defaults; for the
 * RFC 4210 PBM most CAs know, pass kind CMP_MAC_PBM. Copied. */
CMP_API cmp_err cmp_client_set1_secret(cmp_client *ctx, cmp_span secret, cmp_span ref);
CMP_API cmp_err cmp_client_set_mac(cmp_client *ctx, const cmp_mac_params *params);
/* Digest for signatures (protection and POPO); CMP_HASH_NONE: the key's
 * default. */
CMP_API cmp_err cmp_client_set_digest(cmp_client *ctx, cmp_hash_alg hash);

/* ---- trust -------------------------------------------------------------- */

/* Trust anchors for the protection of responses. */
CMP_API cmp_err cmp_client_add1_trusted(cmp_client *ctx, cmp_span cert_der);
/* Trust anchors for the issued certificate; default: those above. */
CMP_API cmp_err cmp_client_add1_out_trusted(cmp_client *ctx, cmp_span cert_der);
/* Intermediate certificates for building paths. */
CMP_API cmp_err cmp_client_add1_untrusted(cmp_client *ctx, cmp_span cert_der);
/* A server certificate trusted directly for response protection. */
CMP_API cmp_err cmp_client_set1_srvcert(cmp_client *ctx, cmp_span cert_der);
/* The expected sender of responses (DER Name); default: not checked beyond
 * its match with the protecting certificate. */
CMP_API cmp_err cmp_client_set1_expected_sender(cmp_client *ctx, cmp_span name_der);
/* 1: accept error messages, negative certificate responses, rp and pkiConf
 * with missing or invalid protection (openssl cmp -unprotected_errors).
 * Off by default (RFC 9483 section 3.2). */
CMP_API void cmp_client_set_unprotected_errors(cmp_client *ctx, int on);
/* 1: skip the digitalSignature key usage check of the server certificate. */
CMP_API void cmp_client_set_ignore_keyusage(cmp_client *ctx, int on);

/* ---- the request -------------------------------------------------------- */

/* The new key pair: given (owned by the client afterwards) or, when none is
 * given, generated at the start of ir/cr/kur/p10cr with |type| and |bits|
 * (RSA only; 0: 2048). Without either, ir/cr/p10cr use the signer key
 * (like openssl cmp); kur needs a new key. */
CMP_API cmp_err cmp_client_set0_newkey(cmp_client *ctx, cmp_key *key);
CMP_API cmp_err cmp_client_set_newkey_type(cmp_client *ctx, cmp_key_type type, unsigned bits);
/* The requested subject (DER Name); default for cr and kur: the subject of
 * the old certificate. */
CMP_API cmp_err cmp_client_set1_subject(cmp_client *ctx, cmp_span name_der);
/* Requested extensions as DER Extensions (e.g. from cmp/ext.h); copied. */
CMP_API cmp_err cmp_client_set1_extensions(cmp_client *ctx, cmp_span exts_der);
/* Requested validity in days from now; 0: not requested. */
CMP_API void cmp_client_set_days(cmp_client *ctx, uint32_t days);
/* 1: ask for implicit confirmation (RFC 9483 section 4.1.1). */
CMP_API void cmp_client_set_implicit_confirm(cmp_client *ctx, int on);
/* pvno: CMP_PVNO_2000 (default) or CMP_PVNO_2021. */
CMP_API cmp_err cmp_client_set_pvno(cmp_client *ctx, int pvno);
/* Proof of possession: CMP_POPO_SIGNATURE (default), CMP_POPO_RA_VERIFIED
 * (for testing servers only) or CMP_POPO_NONE. */
CMP_API cmp_err cmp_client_set_popo(cmp_client *ctx, int popo);
/* The certificate to update (kur; default: the signer certificate) or to
 * revoke (rr). */
CMP_API cmp_err cmp_client_set1_oldcert(cmp_client *ctx, cmp_span cert_der);
/* p10cr: the CSR to send (DER); without one, a CSR is built for the new
 * key and subject. */
CMP_API cmp_err cmp_client_set1_csr(cmp_client *ctx, cmp_span csr_der);

/* ---- limits ------------------------------------------------------------- */

/* Polling: |total_seconds| bounds the whole transaction from its start (0:
 * CMP_MAX_POLL_SECONDS); a checkAfter above |max_check_after| (0: no bound
 * of its own) or beyond the deadline stops the transaction with
 * CMP_ERR_CHECK_AFTER. */
CMP_API void cmp_client_set_poll_limits(cmp_client *ctx, uint32_t total_seconds,
                                        uint32_t max_check_after);
/* Largest difference between a response's messageTime and our clock, in
 * seconds; negative: not checked. Default 600. */
CMP_API void cmp_client_set_time_skew(cmp_client *ctx, int64_t seconds);
/* Decoding of responses: 0 strict DER (default), 1 lenient BER. */
CMP_API void cmp_client_set_lenient(cmp_client *ctx, int on);
/* Largest response accepted in bytes (0: CMP_MAX_MSG_LEN). */
CMP_API void cmp_client_set_max_msg(cmp_client *ctx, size_t max_len);

/* ---- transactions ------------------------------------------------------- */

/* Blocking forms: run the whole transaction. CMP_OK when the certificate was
 * issued and confirmed (pkiConf received, or implicit confirmation granted),
 * when genp or a positive rp arrived. */
CMP_API cmp_err cmp_client_ir(cmp_client *ctx);
CMP_API cmp_err cmp_client_cr(cmp_client *ctx);
CMP_API cmp_err cmp_client_kur(cmp_client *ctx);
CMP_API cmp_err cmp_client_p10cr(cmp_client *ctx);
/* genm with one InfoTypeAndValue of |infotype_oid| (OBJECT IDENTIFIER
 * content bytes) without value; the genp ITAVs are kept. */
CMP_API cmp_err cmp_client_genm(cmp_client *ctx, cmp_span infotype_oid);
/* rr for the old certificate (cmp_client_set1_oldcert) with CRLReason
 * |reason| (-1: none). */
CMP_API cmp_err cmp_client_rr(cmp_client *ctx, int reason);

/* Non-blocking forms: prepare the transaction; then call cmp_client_step. */
CMP_API cmp_err cmp_client_start_ir(cmp_client *ctx);
CMP_API cmp_err cmp_client_start_cr(cmp_client *ctx);
CMP_API cmp_err cmp_client_start_kur(cmp_client *ctx);
CMP_API cmp_err cmp_client_start_p10cr(cmp_client *ctx);
CMP_API cmp_err cmp_client_start_genm(cmp_client *ctx, cmp_span infotype_oid);
CMP_API cmp_err cmp_client_start_rr(cmp_client *ctx, int reason);

/* cmp_client_step advances the transaction. Returns CMP_ERR_AGAIN with
 * |*delay| the number of seconds to wait before the next call, CMP_OK when
 * the transaction ended successfully, or the error that ended it. */
CMP_API cmp_err cmp_client_step(cmp_client *ctx, uint32_t *delay);

/* ---- results ------------------------------------------------------------ */

/* The issued certificate (DER), empty when none. Valid until the next
 * transaction starts or the client is freed. */
CMP_API cmp_span cmp_client_get0_cert(const cmp_client *ctx);
/* extraCerts of the certificate response (the chain), caPubs. */
CMP_API size_t cmp_client_num_chain(const cmp_client *ctx);
CMP_API cmp_span cmp_client_get0_chain(const cmp_client *ctx, size_t i);
CMP_API size_t cmp_client_num_ca_pubs(const cmp_client *ctx);
CMP_API cmp_span cmp_client_get0_ca_pub(const cmp_client *ctx, size_t i);
/* The new key (given or generated), owned by the client. */
CMP_API cmp_key *cmp_client_get0_newkey(const cmp_client *ctx);
/* 1 when the new key was generated by this client. */
CMP_API int cmp_client_newkey_generated(const cmp_client *ctx);
/* genp contents. */
CMP_API size_t cmp_client_num_itavs(const cmp_client *ctx);
CMP_API cmp_err cmp_client_get0_itav(const cmp_client *ctx, size_t i, cmp_itav *out);
/* The PKIStatusInfo of the last response that carried one (certificate
 * response, rp, error message), or NULL. Spans stay valid until the next
 * transaction starts. */
CMP_API const cmp_status_info *cmp_client_last_status(const cmp_client *ctx);
/* The errorCode and errorDetails of the last error message, or NULL. */
CMP_API const cmp_error_info *cmp_client_last_error(const cmp_client *ctx);
/* The certReqId used in the last certificate response (-1 for p10cr). */
CMP_API int64_t cmp_client_cert_req_id(const cmp_client *ctx);
/* 1 when the server granted implicit confirmation. */
CMP_API int cmp_client_implicit_confirm_granted(const cmp_client *ctx);
/* The number of pollReq sent in the current transaction. */
CMP_API unsigned cmp_client_num_polls(const cmp_client *ctx);
/* The transactionID of the current transaction (CMP_TID_LEN bytes). */
CMP_API cmp_span cmp_client_transaction_id(const cmp_client *ctx);

/* cmp_client_status_string writes status, failInfo names (RFC 4210
 * spelling) and statusStrings of |si| as one line into |out| (always
 * NUL-terminated; truncated with CMP_ERR_BUF_SMALL). */
CMP_API cmp_err cmp_client_status_string(char *out, size_t out_len, const cmp_status_info *si);

#ifdef __cplusplus
}
#endif

#endif /* CMP_CLIENT_H */
