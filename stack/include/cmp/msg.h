/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmp/msg.h: the message layer. A cmp_msg is one PKIMessage (RFC 4210
 * section 5.1), decoded from bytes or built from parts. This is the only
 * layer that knows the asn1c types; it never calls crypto and never moves
 * bytes over a network (DESIGN.md, rules 1 and 4).
 *
 * Receiving: cmp_msg_decode() checks the bytes strictly (DER by default),
 * records the raw spans of header, body, protection and each extraCert, and
 * offers typed accessors. Protection is checked by the caller over
 * cmp_msg_protected_part(), which is built from the raw spans, never from a
 * re-encoding.
 *
 * Sending: cmp_msg_new() with a header spec, one cmp_msg_set_body_*() call,
 * cmp_msg_protected_part() to get the bytes to sign or MAC,
 * cmp_msg_set_protection(), cmp_msg_add_extra_cert(), cmp_msg_encode().
 *
 * Spans returned by accessors point into the message and stay valid until
 * cmp_msg_free(). Text values are UTF-8 spans, not NUL-terminated.
 */
#ifndef CMP_MSG_H
#define CMP_MSG_H

#include <stddef.h>
#include <stdint.h>

#include "cmp/err.h"
#include "cmp/types.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct cmp_msg cmp_msg;

/* PKIBody alternatives, numbered as their context tags in RFC 4210
 * section 5.1.2 (and RFC 9810). */
typedef enum cmp_body_type {
    CMP_BODY_IR = 0,
    CMP_BODY_IP = 1,
    CMP_BODY_CR = 2,
    CMP_BODY_CP = 3,
    CMP_BODY_P10CR = 4,
    CMP_BODY_POPDECC = 5,
    CMP_BODY_POPDECR = 6,
    CMP_BODY_KUR = 7,
    CMP_BODY_KUP = 8,
    CMP_BODY_KRR = 9,
    CMP_BODY_KRP = 10,
    CMP_BODY_RR = 11,
    CMP_BODY_RP = 12,
    CMP_BODY_CCR = 13,
    CMP_BODY_CCP = 14,
    CMP_BODY_CKUANN = 15,
    CMP_BODY_CANN = 16,
    CMP_BODY_RANN = 17,
    CMP_BODY_CRLANN = 18,
    CMP_BODY_PKICONF = 19,
    CMP_BODY_NESTED = 20,
    CMP_BODY_GENM = 21,
    CMP_BODY_GENP = 22,
    CMP_BODY_ERROR = 23,
    CMP_BODY_CERTCONF = 24,
    CMP_BODY_POLLREQ = 25,
    CMP_BODY_POLLREP = 26,
    CMP_BODY_NONE = -1
} cmp_body_type;

/* cmp_body_name returns RFC 4210's name of a body type ("ir", "certConf",
 * ...) or "unknown". Static storage. */
CMP_API const char *cmp_body_name(int type);

/* PKIStatus, RFC 4210 section 5.2.3. */
typedef enum cmp_status {
    CMP_STATUS_ACCEPTED = 0,
    CMP_STATUS_GRANTED_WITH_MODS = 1,
    CMP_STATUS_REJECTION = 2,
    CMP_STATUS_WAITING = 3,
    CMP_STATUS_REVOCATION_WARNING = 4,
    CMP_STATUS_REVOCATION_NOTIFICATION = 5,
    CMP_STATUS_KEY_UPDATE_WARNING = 6
} cmp_status;

/* cmp_status_name returns RFC 4210's name ("accepted", "rejection", ...). */
CMP_API const char *cmp_status_name(int status);

/* pvno values, RFC 9810 section 5.1.1. */
#define CMP_PVNO_2000 2
#define CMP_PVNO_2021 3

/* ---- decoding --------------------------------------------------------- */

typedef struct cmp_decode_opts {
    /* 0 (default): strict DER; any non-DER form is CMP_ERR_NOT_DER or a
     * CMP_ERR_DER_* code. 1: lenient, accepts BER forms the asn1c decoder
     * takes (indefinite and non-minimal lengths, BOOLEAN != 0xff, present
     * DEFAULTs, unsorted SET OF). Trailing bytes are refused in both modes.
     * In lenient mode protection is still checked over the raw bytes. */
    int lenient;
    size_t max_len;     /* 0: CMP_MAX_MSG_LEN */
    unsigned max_depth; /* 0: CMP_MAX_DER_DEPTH */
} cmp_decode_opts;

/* cmp_msg_decode decodes |len| bytes at |der| (borrowed; copied) into a new
 * message at |*out|, owned by the caller (free with cmp_msg_free). With
 * |opts| NULL: strict defaults. On failure |*out| is NULL and, if |err_off|
 * is not NULL, it receives the byte offset where the problem was found (0
 * when unknown). */
CMP_API cmp_err cmp_msg_decode(cmp_msg **out, const uint8_t *der, size_t len,
                               const cmp_decode_opts *opts, size_t *err_off);

/* cmp_msg_free frees the message and all its spans. NULL is fine. */
CMP_API void cmp_msg_free(cmp_msg *m);

/* cmp_msg_encode writes the DER of |m| into |out| (caller frees with
 * cmp_buf_cleanup). For a decoded message this is a fresh encoding of the
 * decoded values; in strict mode it equals the input. */
CMP_API cmp_err cmp_msg_encode(const cmp_msg *m, cmp_buf *out);

/* cmp_msg_der returns the message's bytes as received (decoded messages) or
 * as last encoded by cmp_msg_encode (built ones; empty before that). */
CMP_API cmp_span cmp_msg_der(const cmp_msg *m);

/* Raw spans of a decoded message, as received. Empty for built messages. */
CMP_API cmp_span cmp_msg_raw_header(const cmp_msg *m);
CMP_API cmp_span cmp_msg_raw_body(const cmp_msg *m);

/* cmp_msg_protected_part writes DER of ProtectedPart ::= SEQUENCE { header,
 * body } (RFC 4210 section 5.1.3) into |out|: from the raw spans for a
 * decoded message, from the encoding of header and body for a built one. */
CMP_API cmp_err cmp_msg_protected_part(const cmp_msg *m, cmp_buf *out);

/* ---- header: reading --------------------------------------------------- */

CMP_API cmp_body_type cmp_msg_body_type(const cmp_msg *m);
/* cmp_msg_pvno gives the pvno, or CMP_ERR_PVNO when it does not fit. */
CMP_API cmp_err cmp_msg_pvno(const cmp_msg *m, long *out);
/* GeneralName DER of sender and recipient. */
CMP_API cmp_span cmp_msg_sender(const cmp_msg *m);
CMP_API cmp_span cmp_msg_recipient(const cmp_msg *m);
/* cmp_msg_sender_name gives the DER Name when the sender is a
 * directoryName, else an empty span (likewise for the recipient). */
CMP_API cmp_span cmp_msg_sender_name(const cmp_msg *m);
CMP_API cmp_span cmp_msg_recipient_name(const cmp_msg *m);
/* cmp_msg_message_time: seconds since the epoch; CMP_ERR_MISSING_FIELD when
 * absent, CMP_ERR_DER_VALUE when not a valid GeneralizedTime. */
CMP_API cmp_err cmp_msg_message_time(const cmp_msg *m, int64_t *out);
/* AlgorithmIdentifier DER of protectionAlg, or empty. */
CMP_API cmp_span cmp_msg_protection_alg(const cmp_msg *m);
/* Contents (value bytes) of the OCTET STRING fields, or empty when absent. */
CMP_API cmp_span cmp_msg_sender_kid(const cmp_msg *m);
CMP_API cmp_span cmp_msg_recip_kid(const cmp_msg *m);
CMP_API cmp_span cmp_msg_transaction_id(const cmp_msg *m);
CMP_API cmp_span cmp_msg_sender_nonce(const cmp_msg *m);
CMP_API cmp_span cmp_msg_recip_nonce(const cmp_msg *m);
/* freeText strings of the header. */
CMP_API size_t cmp_msg_num_free_text(const cmp_msg *m);
CMP_API cmp_span cmp_msg_free_text(const cmp_msg *m, size_t i);
/* generalInfo: implicitConfirm present (1) or not (0), RFC 4210 5.1.1.1. */
CMP_API int cmp_msg_implicit_confirm(const cmp_msg *m);
/* generalInfo: confirmWaitTime in seconds since the epoch, or
 * CMP_ERR_MISSING_FIELD. */
CMP_API cmp_err cmp_msg_confirm_wait_time(const cmp_msg *m, int64_t *out);
/* generalInfo entries, raw: OID content bytes and the DER of the value. */
CMP_API size_t cmp_msg_num_general_info(const cmp_msg *m);
CMP_API cmp_err cmp_msg_general_info(const cmp_msg *m, size_t i, cmp_span *out_oid,
                                     cmp_span *out_value);

/* protection BIT STRING contents (without the unused-bits octet), or empty. */
CMP_API cmp_span cmp_msg_protection(const cmp_msg *m);
/* extraCerts, as DER certificates. */
CMP_API size_t cmp_msg_num_extra_certs(const cmp_msg *m);
CMP_API cmp_span cmp_msg_extra_cert(const cmp_msg *m, size_t i);

/* ---- header: building -------------------------------------------------- */

typedef struct cmp_hdr_spec {
    int pvno;                /* CMP_PVNO_2000 or CMP_PVNO_2021; 0 means 2000 */
    cmp_span sender;         /* GeneralName DER; empty: directoryName of an empty Name */
    cmp_span recipient;      /* GeneralName DER; empty: directoryName of an empty Name */
    int64_t message_time;    /* seconds since the epoch; negative: omitted */
    cmp_span protection_alg; /* AlgorithmIdentifier DER; empty: omitted */
    cmp_span sender_kid;     /* empty: omitted */
    cmp_span recip_kid;
    cmp_span transaction_id;
    cmp_span sender_nonce;
    cmp_span recip_nonce;
    const cmp_span *free_text; /* UTF-8 strings */
    size_t num_free_text;
    int implicit_confirm;      /* 1: generalInfo implicitConfirm */
    int64_t confirm_wait_time; /* 0 or negative: omitted */
} cmp_hdr_spec;

/* cmp_msg_new creates a message with the header of |hdr| and no body yet;
 * the caller owns |*out|. All spans are copied. */
CMP_API cmp_err cmp_msg_new(cmp_msg **out, const cmp_hdr_spec *hdr);

/* cmp_general_name_dn wraps a DER Name into a GeneralName directoryName. */
CMP_API cmp_err cmp_general_name_dn(cmp_buf *out, cmp_span name_der);

/* cmp_name_from_string parses "/O=Org/CN=Name" (OpenSSL's -subject form,
 * with C, ST, L, O, OU, CN, serialNumber, emailAddress, DC, UID) into DER. */
CMP_API cmp_err cmp_name_from_string(cmp_buf *out, const char *str);

/* cmp_name_to_string prints a DER Name as "/O=Org/CN=Name" into |out|
 * (NUL-terminated; CMP_ERR_BUF_SMALL when it does not fit). */
CMP_API cmp_err cmp_name_to_string(char *out, size_t out_len, cmp_span name_der);

/* ---- status ------------------------------------------------------------ */

#define CMP_MAX_TEXTS 8

/* PKIStatusInfo, RFC 4210 section 5.2.3. */
typedef struct cmp_status_info {
    int status;          /* cmp_status */
    uint32_t fail_info;  /* bit n set: PKIFailureInfo bit n (CMP_FI_*) */
    size_t num_texts;    /* statusString entries kept (at most CMP_MAX_TEXTS) */
    cmp_span texts[CMP_MAX_TEXTS];
} cmp_status_info;

/* ---- certificate requests: ir, cr, kur (CRMF, RFC 4211) ----------------- */

typedef struct cmp_certreq_spec {
    int64_t cert_req_id;     /* 0 for a single request (RFC 9483 section 4.1.1) */
    cmp_span subject;        /* DER Name; empty: omitted */
    cmp_span issuer;         /* DER Name; empty: omitted */
    cmp_span public_key;     /* SubjectPublicKeyInfo DER; empty: omitted */
    cmp_span extensions;     /* DER Extensions; empty: omitted */
    int64_t not_before;      /* validity, seconds since epoch; 0: omitted */
    int64_t not_after;
    cmp_span old_cert_issuer; /* kur: controls id-regCtrl-oldCertID (RFC 4211 6.5):
                               * GeneralName DER, or a DER Name (made a
                               * directoryName); empty with the serial: omitted */
    cmp_span old_cert_serial; /* INTEGER contents bytes, minimal */
} cmp_certreq_spec;

/* cmp_msg_set_body_certreq makes |m|'s body an ir, cr or kur with one
 * CertReqMsg from |req|, without proof of possession yet. */
CMP_API cmp_err cmp_msg_set_body_certreq(cmp_msg *m, cmp_body_type type,
                                         const cmp_certreq_spec *req);

/* cmp_msg_certreq_tbs writes the DER of the i-th CertRequest: the bytes the
 * POPOSigningKey signature covers (RFC 4211 section 4.1, when no
 * poposkInput is used). */
CMP_API cmp_err cmp_msg_certreq_tbs(const cmp_msg *m, size_t i, cmp_buf *out);

/* cmp_msg_certreq_set_popo_sig sets POPOSigningKey (algorithm DER and
 * signature bytes) for the i-th request. */
CMP_API cmp_err cmp_msg_certreq_set_popo_sig(cmp_msg *m, size_t i, cmp_span alg_der,
                                             cmp_span sig);

/* cmp_msg_certreq_set_popo_raverified sets POPO raVerified (RA use only). */
CMP_API cmp_err cmp_msg_certreq_set_popo_raverified(cmp_msg *m, size_t i);

/* Reading a received ir/cr/kur. */
typedef enum cmp_popo_type {
    CMP_POPO_NONE = -1,
    CMP_POPO_RA_VERIFIED = 0,
    CMP_POPO_SIGNATURE = 1,
    CMP_POPO_KEY_ENCIPHERMENT = 2,
    CMP_POPO_KEY_AGREEMENT = 3
} cmp_popo_type;

typedef struct cmp_certreq {
    int64_t cert_req_id;
    cmp_span subject;     /* DER Name, or empty */
    cmp_span issuer;      /* DER Name, or empty */
    cmp_span public_key;  /* SubjectPublicKeyInfo DER, or empty */
    cmp_span extensions;  /* DER Extensions, or empty */
    int64_t not_before;   /* 0 when absent */
    int64_t not_after;
    cmp_span old_cert_issuer; /* GeneralName DER of oldCertID, or empty */
    cmp_span old_cert_serial;
    int popo_type;        /* cmp_popo_type */
    int popo_has_input;   /* poposkInput present (not supported for checking) */
    cmp_span popo_alg;    /* AlgorithmIdentifier DER (signature POPO) */
    cmp_span popo_sig;    /* signature bytes */
    cmp_span tbs;         /* DER CertRequest, the bytes the POPO signs */
} cmp_certreq;

CMP_API size_t cmp_msg_num_certreqs(const cmp_msg *m);
CMP_API cmp_err cmp_msg_certreq(const cmp_msg *m, size_t i, cmp_certreq *out);

/* p10cr: the PKCS#10 CertificationRequest DER (RFC 2986). */
CMP_API cmp_err cmp_msg_set_body_p10cr(cmp_msg *m, cmp_span csr_der);
CMP_API cmp_span cmp_msg_p10cr(const cmp_msg *m);

/* ---- certificate responses: ip, cp, kup --------------------------------- */

typedef struct cmp_certrep_entry {
    int64_t cert_req_id;    /* -1 answers a p10cr (RFC 4210 section 5.3.4) */
    cmp_status_info status;
    cmp_span cert;          /* DER certificate; empty when none */
} cmp_certrep_entry;

typedef struct cmp_certrep_spec {
    const cmp_span *ca_pubs; /* DER certificates */
    size_t num_ca_pubs;
    const cmp_certrep_entry *responses;
    size_t num_responses;
} cmp_certrep_spec;

CMP_API cmp_err cmp_msg_set_body_certrep(cmp_msg *m, cmp_body_type type,
                                         const cmp_certrep_spec *rep);

CMP_API size_t cmp_msg_num_ca_pubs(const cmp_msg *m);
CMP_API cmp_span cmp_msg_ca_pub(const cmp_msg *m, size_t i);
CMP_API size_t cmp_msg_num_responses(const cmp_msg *m);
/* cmp_msg_response fills |out| for the i-th CertResponse; an encrypted
 * certificate gives CMP_ERR_ENCRYPTED_CERT. */
CMP_API cmp_err cmp_msg_response(const cmp_msg *m, size_t i, cmp_certrep_entry *out);

/* ---- certConf, pkiConf -------------------------------------------------- */

typedef struct cmp_certconf_entry {
    int64_t cert_req_id;
    cmp_span cert_hash;
    int has_status;          /* statusInfo present */
    cmp_status_info status;
    cmp_span hash_alg;       /* AlgorithmIdentifier DER (pvno 3), or empty */
} cmp_certconf_entry;

CMP_API cmp_err cmp_msg_set_body_certconf(cmp_msg *m, const cmp_certconf_entry *entries,
                                          size_t num_entries);
CMP_API size_t cmp_msg_num_certconf(const cmp_msg *m);
CMP_API cmp_err cmp_msg_certconf(const cmp_msg *m, size_t i, cmp_certconf_entry *out);

CMP_API cmp_err cmp_msg_set_body_pkiconf(cmp_msg *m);

/* ---- polling ------------------------------------------------------------ */

CMP_API cmp_err cmp_msg_set_body_pollreq(cmp_msg *m, const int64_t *cert_req_ids, size_t num);
CMP_API size_t cmp_msg_num_pollreq(const cmp_msg *m);
CMP_API cmp_err cmp_msg_pollreq(const cmp_msg *m, size_t i, int64_t *out_id);

typedef struct cmp_pollrep_entry {
    int64_t cert_req_id;
    int64_t check_after;     /* seconds */
    cmp_span reason;         /* first UTF-8 string of the reason, or empty */
} cmp_pollrep_entry;

CMP_API cmp_err cmp_msg_set_body_pollrep(cmp_msg *m, const cmp_pollrep_entry *entries,
                                         size_t num);
CMP_API size_t cmp_msg_num_pollrep(const cmp_msg *m);
CMP_API cmp_err cmp_msg_pollrep(const cmp_msg *m, size_t i, cmp_pollrep_entry *out);

/* ---- error -------------------------------------------------------------- */

typedef struct cmp_error_info {
    cmp_status_info status;
    int has_error_code;
    int64_t error_code;
    size_t num_details;
    cmp_span details[CMP_MAX_TEXTS];
} cmp_error_info;

CMP_API cmp_err cmp_msg_set_body_error(cmp_msg *m, const cmp_error_info *e);
CMP_API cmp_err cmp_msg_error(const cmp_msg *m, cmp_error_info *out);

/* ---- genm, genp (RFC 4210 section 5.3.19, RFC 9483 section 4.3) ----------- */

typedef struct cmp_itav {
    cmp_span oid;   /* OBJECT IDENTIFIER content bytes (no tag, no length) */
    cmp_span value; /* DER of the infoValue, or empty when absent */
} cmp_itav;

CMP_API cmp_err cmp_msg_set_body_genm(cmp_msg *m, cmp_body_type type, const cmp_itav *itavs,
                                      size_t num);
CMP_API size_t cmp_msg_num_itavs(const cmp_msg *m);
CMP_API cmp_err cmp_msg_itav(const cmp_msg *m, size_t i, cmp_itav *out);

/* ---- rr, rp (RFC 4210 sections 5.3.9, 5.3.10) --------------------------- */

typedef struct cmp_revreq_entry {
    cmp_span issuer;  /* DER Name */
    cmp_span serial;  /* INTEGER content bytes */
    int reason;       /* CRLReason (RFC 5280 5.3.1); -1: omitted */
} cmp_revreq_entry;

CMP_API cmp_err cmp_msg_set_body_rr(cmp_msg *m, const cmp_revreq_entry *entries, size_t num);
CMP_API size_t cmp_msg_num_revreqs(const cmp_msg *m);
CMP_API cmp_err cmp_msg_revreq(const cmp_msg *m, size_t i, cmp_revreq_entry *out);

CMP_API cmp_err cmp_msg_set_body_rp(cmp_msg *m, const cmp_status_info *status, size_t num);
CMP_API size_t cmp_msg_num_rp_status(const cmp_msg *m);
CMP_API cmp_err cmp_msg_rp_status(const cmp_msg *m, size_t i, cmp_status_info *out);

/* ---- protection and extraCerts of a built message ----------------------- */

/* cmp_msg_set_protection sets the protection BIT STRING (whole bytes). */
CMP_API cmp_err cmp_msg_set_protection(cmp_msg *m, cmp_span protection);

/* cmp_msg_add_extra_cert appends a DER certificate to extraCerts
 * (CMP_ERR_CERT_PARSE when it does not decode). */
CMP_API cmp_err cmp_msg_add_extra_cert(cmp_msg *m, cmp_span cert_der);

/* ---- printing (cmpdump, server logs) ------------------------------------ */

/* cmp_msg_print writes a human-readable (json = 0) or JSON (json = 1)
 * rendering of |m| through |write|, which is called with pieces of text. */
typedef void (*cmp_write_fn)(void *arg, const char *text, size_t len);
CMP_API cmp_err cmp_msg_print(const cmp_msg *m, int json, cmp_write_fn write, void *arg);

#ifdef __cplusplus
}
#endif

#endif /* CMP_MSG_H */
