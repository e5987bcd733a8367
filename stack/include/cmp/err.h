/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmp/err.h: the one error idiom of the library (STYLE.md section 4).
 *
 * Every fallible function returns cmp_err: CMP_OK (0) or a negative code.
 * Codes are grouped by who is at fault; the hundreds digit is the class:
 *   -1..-99 USAGE (the caller), -100.. ALLOC, -200.. IO (transport, files),
 *   -300.. PROTO (the peer sent something wrong), -400.. CRYPTO, -500.. INTERNAL.
 *
 * Each code has one PKIFailureInfo bit (RFC 4210 section 5.2.3), used when
 * the stack tells the peer why it rejected a message, or CMP_FI_NONE.
 *
 * The list is an X-macro so that the enum, the name/sentence table and the
 * failure-info table can never disagree. To add a code, add one line.
 */
#ifndef CMP_ERR_H
#define CMP_ERR_H

#include "cmp/types.h"

#ifdef __cplusplus
extern "C" {
#endif

/* PKIFailureInfo bit numbers, as RFC 4210 section 5.2.3 and RFC 9810
 * section 5.2.3 number them. */
enum {
    CMP_FI_BAD_ALG = 0,
    CMP_FI_BAD_MESSAGE_CHECK = 1,
    CMP_FI_BAD_REQUEST = 2,
    CMP_FI_BAD_TIME = 3,
    CMP_FI_BAD_CERT_ID = 4,
    CMP_FI_BAD_DATA_FORMAT = 5,
    CMP_FI_WRONG_AUTHORITY = 6,
    CMP_FI_INCORRECT_DATA = 7,
    CMP_FI_MISSING_TIME_STAMP = 8,
    CMP_FI_BAD_POP = 9,
    CMP_FI_CERT_REVOKED = 10,
    CMP_FI_CERT_CONFIRMED = 11,
    CMP_FI_WRONG_INTEGRITY = 12,
    CMP_FI_BAD_RECIPIENT_NONCE = 13,
    CMP_FI_TIME_NOT_AVAILABLE = 14,
    CMP_FI_UNACCEPTED_POLICY = 15,
    CMP_FI_UNACCEPTED_EXTENSION = 16,
    CMP_FI_ADD_INFO_NOT_AVAILABLE = 17,
    CMP_FI_BAD_SENDER_NONCE = 18,
    CMP_FI_BAD_CERT_TEMPLATE = 19,
    CMP_FI_SIGNER_NOT_TRUSTED = 20,
    CMP_FI_TRANSACTION_ID_IN_USE = 21,
    CMP_FI_UNSUPPORTED_VERSION = 22,
    CMP_FI_NOT_AUTHORIZED = 23,
    CMP_FI_SYSTEM_UNAVAIL = 24,
    CMP_FI_SYSTEM_FAILURE = 25,
    CMP_FI_DUPLICATE_CERT_REQ = 26,
    CMP_FI_MAX = 26,
    CMP_FI_NONE = -1
};

/* X(name, value, failure-info bit, sentence) */
#define CMP_ERR_LIST(X) \
    X(CMP_OK, 0, CMP_FI_NONE, "success") \
    /* USAGE: the caller's mistake */ \
    X(CMP_ERR_ARG, -1, CMP_FI_NONE, "an argument is invalid or missing") \
    X(CMP_ERR_STATE, -2, CMP_FI_NONE, "the call is not valid in the object's current state") \
    X(CMP_ERR_UNSUPPORTED, -3, CMP_FI_NONE, "the requested feature is not supported") \
    X(CMP_ERR_CONFIG, -4, CMP_FI_NONE, "the configuration is incomplete or inconsistent") \
    X(CMP_ERR_BUF_SMALL, -5, CMP_FI_NONE, "the output buffer is too small") \
    X(CMP_ERR_AGAIN, -6, CMP_FI_NONE, "not finished: call again after the indicated delay") \
    X(CMP_ERR_UNKNOWN_PROFILE, -7, CMP_FI_NONE, "no profile is configured under this label") \
    /* ALLOC */ \
    X(CMP_ERR_NOMEM, -100, CMP_FI_SYSTEM_FAILURE, "memory allocation failed") \
    /* IO: transport and files */ \
    X(CMP_ERR_IO, -200, CMP_FI_SYSTEM_UNAVAIL, "an input/output operation failed") \
    X(CMP_ERR_CONNECT, -201, CMP_FI_SYSTEM_UNAVAIL, "could not connect to the server") \
    X(CMP_ERR_TIMEOUT, -202, CMP_FI_SYSTEM_UNAVAIL, "the operation timed out") \
    X(CMP_ERR_HTTP, -203, CMP_FI_BAD_DATA_FORMAT, "the HTTP message is malformed") \
    X(CMP_ERR_HTTP_STATUS, -204, CMP_FI_NONE, "the server answered with an HTTP error status") \
    X(CMP_ERR_HTTP_CONTENT_TYPE, -205, CMP_FI_BAD_DATA_FORMAT, \
      "the HTTP content type is not application/pkixcmp") \
    X(CMP_ERR_RSP_TOO_LARGE, -206, CMP_FI_BAD_DATA_FORMAT, "the message exceeds the size limit") \
    X(CMP_ERR_FILE, -207, CMP_FI_NONE, "a file could not be read or written") \
    X(CMP_ERR_CLOSED, -208, CMP_FI_SYSTEM_UNAVAIL, "the peer closed the connection") \
    X(CMP_ERR_DB, -209, CMP_FI_SYSTEM_FAILURE, "the state database failed") \
    /* PROTO, encoding: the peer's bytes are not a well-formed PKIMessage */ \
    X(CMP_ERR_DER_TRUNCATED, -300, CMP_FI_BAD_DATA_FORMAT, "the encoding is truncated") \
    X(CMP_ERR_DER_TRAILING, -301, CMP_FI_BAD_DATA_FORMAT, "bytes follow the end of the message") \
    X(CMP_ERR_DER_INDEFINITE, -302, CMP_FI_BAD_DATA_FORMAT, \
      "an indefinite length is not allowed in DER") \
    X(CMP_ERR_DER_LENGTH, -303, CMP_FI_BAD_DATA_FORMAT, \
      "a length is not in minimal DER form or is too large") \
    X(CMP_ERR_DER_TAG, -304, CMP_FI_BAD_DATA_FORMAT, "an unexpected or malformed tag") \
    X(CMP_ERR_DER_NESTING, -305, CMP_FI_BAD_DATA_FORMAT, "the encoding is nested too deeply") \
    X(CMP_ERR_MSG_TOO_LARGE, -306, CMP_FI_BAD_DATA_FORMAT, "the message exceeds the size limit") \
    X(CMP_ERR_DECODE, -307, CMP_FI_BAD_DATA_FORMAT, "the message does not decode as ASN.1") \
    X(CMP_ERR_CONSTRAINT, -308, CMP_FI_BAD_DATA_FORMAT, "a value violates an ASN.1 constraint") \
    X(CMP_ERR_NOT_DER, -309, CMP_FI_BAD_DATA_FORMAT, \
      "the message is valid BER but not canonical DER") \
    X(CMP_ERR_DER_VALUE, -310, CMP_FI_BAD_DATA_FORMAT, \
      "a value is not in DER form (BOOLEAN, INTEGER, BIT STRING)") \
    X(CMP_ERR_TOO_MANY_CERTS, -311, CMP_FI_BAD_DATA_FORMAT, \
      "the message carries more certificates than the configured limit") \
    /* PROTO, header and transaction */ \
    X(CMP_ERR_PVNO, -320, CMP_FI_UNSUPPORTED_VERSION, "unsupported protocol version (pvno)") \
    X(CMP_ERR_TRANSACTION_ID, -321, CMP_FI_BAD_REQUEST, \
      "the transactionID is missing or does not match") \
    X(CMP_ERR_RECIP_NONCE, -322, CMP_FI_BAD_RECIPIENT_NONCE, \
      "the recipNonce is missing or does not echo our senderNonce") \
    X(CMP_ERR_SENDER_NONCE, -323, CMP_FI_BAD_SENDER_NONCE, \
      "the senderNonce is missing or has the wrong length") \
    X(CMP_ERR_BODY_TYPE, -324, CMP_FI_BAD_REQUEST, "the body type is not expected here") \
    X(CMP_ERR_CERT_REQ_ID, -325, CMP_FI_BAD_REQUEST, "the certReqId does not match the request") \
    X(CMP_ERR_SENDER, -326, CMP_FI_BAD_MESSAGE_CHECK, \
      "the sender does not match the protecting certificate or MAC reference") \
    X(CMP_ERR_MESSAGE_TIME, -327, CMP_FI_BAD_TIME, "the messageTime is outside the allowed skew") \
    X(CMP_ERR_TRANSACTION_IN_USE, -328, CMP_FI_TRANSACTION_ID_IN_USE, \
      "the transactionID is already in use") \
    X(CMP_ERR_UNKNOWN_TRANSACTION, -329, CMP_FI_BAD_REQUEST, "no such transaction is in progress") \
    X(CMP_ERR_IMPLICIT_CONFIRM, -330, CMP_FI_BAD_REQUEST, "implicitConfirm is used where it is not allowed") \
    X(CMP_ERR_BAD_REQUEST, -331, CMP_FI_BAD_REQUEST, "the request is not acceptable") \
    X(CMP_ERR_MISSING_FIELD, -332, CMP_FI_BAD_DATA_FORMAT, "a field the protocol requires is missing") \
    X(CMP_ERR_WRONG_PROFILE, -333, CMP_FI_BAD_REQUEST, \
      "the transaction was started under another CMP path (profile)") \
    /* PROTO, protection */ \
    X(CMP_ERR_PROTECTION_MISSING, -340, CMP_FI_BAD_MESSAGE_CHECK, "the message is not protected") \
    X(CMP_ERR_PROTECTION_INVALID, -341, CMP_FI_BAD_MESSAGE_CHECK, \
      "the message protection (signature or MAC) is invalid") \
    X(CMP_ERR_PROTECTION_ALG, -342, CMP_FI_BAD_ALG, \
      "the protection algorithm is unknown or not allowed") \
    X(CMP_ERR_SIGNER_UNTRUSTED, -343, CMP_FI_SIGNER_NOT_TRUSTED, \
      "the protecting certificate does not chain to a trust anchor") \
    X(CMP_ERR_SIGNER_NOT_FOUND, -344, CMP_FI_BAD_MESSAGE_CHECK, \
      "the protecting certificate is not in extraCerts") \
    X(CMP_ERR_WRONG_INTEGRITY, -345, CMP_FI_WRONG_INTEGRITY, \
      "the protection kind (signature or MAC) is not the one expected") \
    /* PROTO, certificate requests and responses */ \
    X(CMP_ERR_POPO, -350, CMP_FI_BAD_POP, "the proof of possession is missing or invalid") \
    X(CMP_ERR_TEMPLATE, -351, CMP_FI_BAD_CERT_TEMPLATE, "the certificate template is not acceptable") \
    X(CMP_ERR_CERT_KEY_MISMATCH, -352, CMP_FI_INCORRECT_DATA, \
      "the issued certificate does not carry the requested public key") \
    X(CMP_ERR_CERT_UNTRUSTED, -353, CMP_FI_INCORRECT_DATA, \
      "the issued certificate does not chain to a trust anchor") \
    X(CMP_ERR_CERT_HASH, -354, CMP_FI_BAD_CERT_ID, "the certificate hash in certConf does not match") \
    X(CMP_ERR_NO_CERT, -355, CMP_FI_BAD_DATA_FORMAT, "the response carries no certificate") \
    X(CMP_ERR_ENCRYPTED_CERT, -356, CMP_FI_BAD_DATA_FORMAT, \
      "the certificate is encrypted, which is not supported") \
    X(CMP_ERR_REJECTED, -360, CMP_FI_NONE, "the peer rejected the request (PKIStatus rejection)") \
    X(CMP_ERR_ERROR_MSG, -361, CMP_FI_NONE, "the peer answered with an error message") \
    X(CMP_ERR_POLL_DEADLINE, -362, CMP_FI_NONE, "polling did not finish before the deadline") \
    X(CMP_ERR_CHECK_AFTER, -363, CMP_FI_BAD_DATA_FORMAT, "checkAfter is negative or beyond the deadline") \
    X(CMP_ERR_PKISTATUS, -364, CMP_FI_BAD_DATA_FORMAT, "the PKIStatus value is invalid here") \
    X(CMP_ERR_REVOKED, -365, CMP_FI_CERT_REVOKED, "the certificate is already revoked") \
    X(CMP_ERR_CERT_CONFIRMED, -366, CMP_FI_CERT_CONFIRMED, "the certificate is already confirmed") \
    X(CMP_ERR_NOT_AUTHORIZED, -367, CMP_FI_NOT_AUTHORIZED, "the request is not authorized") \
    X(CMP_ERR_UNKNOWN_INFOTYPE, -368, CMP_FI_BAD_REQUEST, "the InfoType is unknown") \
    /* CRYPTO */ \
    X(CMP_ERR_CRYPTO, -400, CMP_FI_SYSTEM_FAILURE, "a cryptographic operation failed") \
    X(CMP_ERR_KEY_PARSE, -401, CMP_FI_BAD_DATA_FORMAT, "the key could not be parsed") \
    X(CMP_ERR_KEY_TYPE, -402, CMP_FI_BAD_ALG, "the key type or size is not supported") \
    X(CMP_ERR_PASSPHRASE, -403, CMP_FI_NONE, "the pass phrase is wrong or missing") \
    X(CMP_ERR_SIGNATURE, -404, CMP_FI_BAD_MESSAGE_CHECK, "the signature does not verify") \
    X(CMP_ERR_UNKNOWN_ALG, -405, CMP_FI_BAD_ALG, "the algorithm is unknown or not allowed") \
    X(CMP_ERR_ITERATIONS, -406, CMP_FI_BAD_ALG, "the iteration count exceeds the configured cap") \
    X(CMP_ERR_MAC, -407, CMP_FI_BAD_MESSAGE_CHECK, "the MAC does not verify") \
    X(CMP_ERR_CERT_PARSE, -408, CMP_FI_BAD_DATA_FORMAT, "the certificate could not be parsed") \
    X(CMP_ERR_CHAIN_EXPIRED, -409, CMP_FI_BAD_TIME, "a certificate in the chain has expired") \
    X(CMP_ERR_CHAIN_NOT_YET_VALID, -410, CMP_FI_BAD_TIME, "a certificate in the chain is not yet valid") \
    X(CMP_ERR_CHAIN_UNKNOWN_ISSUER, -411, CMP_FI_SIGNER_NOT_TRUSTED, \
      "no issuer for a certificate in the chain was found") \
    X(CMP_ERR_CHAIN_BAD_SIG, -412, CMP_FI_BAD_MESSAGE_CHECK, \
      "a certificate signature in the chain does not verify") \
    X(CMP_ERR_CHAIN_NOT_CA, -413, CMP_FI_SIGNER_NOT_TRUSTED, "an issuing certificate is not a CA") \
    X(CMP_ERR_CHAIN_TOO_LONG, -414, CMP_FI_SIGNER_NOT_TRUSTED, "the chain exceeds the path length") \
    X(CMP_ERR_KEY_USAGE, -415, CMP_FI_NOT_AUTHORIZED, "the key usage does not allow this operation") \
    X(CMP_ERR_RNG, -416, CMP_FI_SYSTEM_FAILURE, "the random number generator failed") \
    X(CMP_ERR_KEY_MISMATCH, -417, CMP_FI_INCORRECT_DATA, "the private key does not match the certificate") \
    X(CMP_ERR_CSR_PARSE, -418, CMP_FI_BAD_DATA_FORMAT, "the PKCS#10 request could not be parsed") \
    X(CMP_ERR_CHAIN_CRITICAL_EXT, -419, CMP_FI_SIGNER_NOT_TRUSTED, \
      "a certificate in the chain has a critical extension that is not supported") \
    /* INTERNAL */ \
    X(CMP_ERR_INTERNAL, -500, CMP_FI_SYSTEM_FAILURE, "internal error") \
    X(CMP_ERR_ENCODE, -501, CMP_FI_SYSTEM_FAILURE, "encoding a message failed")

#define CMP_ERR_ENUM_(name, value, fi, text) name = (value),
typedef enum cmp_err { CMP_ERR_LIST(CMP_ERR_ENUM_) CMP_ERR_MIN_ = -1000 } cmp_err;
#undef CMP_ERR_ENUM_

typedef enum cmp_err_class {
    CMP_ERRC_OK = 0,
    CMP_ERRC_USAGE,
    CMP_ERRC_ALLOC,
    CMP_ERRC_IO,
    CMP_ERRC_PROTO,
    CMP_ERRC_CRYPTO,
    CMP_ERRC_INTERNAL
} cmp_err_class;

/* cmp_err_name returns the code's name ("CMP_ERR_PVNO"), or
 * "CMP_ERR_UNKNOWN" for a value not in the list. Static storage. */
CMP_API const char *cmp_err_name(cmp_err e);

/* cmp_err_str returns a one-sentence description. Static storage. */
CMP_API const char *cmp_err_str(cmp_err e);

/* cmp_err_class returns who is at fault for |e|. */
CMP_API cmp_err_class cmp_err_class_of(cmp_err e);

/* cmp_err_failinfo returns the PKIFailureInfo bit number that |e| maps to
 * (RFC 4210 section 5.2.3), or CMP_FI_NONE. */
CMP_API int cmp_err_failinfo(cmp_err e);

/* cmp_failinfo_name returns RFC 4210's name of a failure-info bit
 * ("badAlg", ...), or NULL for a bit number out of range. */
CMP_API const char *cmp_failinfo_name(int bit);

/* cmp_err_count / cmp_err_at let tests walk the whole table. */
CMP_API size_t cmp_err_count(void);
CMP_API cmp_err cmp_err_at(size_t i);

#ifdef __cplusplus
}
#endif

#endif /* CMP_ERR_H */
