/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmp/oid.h: the object identifiers the stack names. OIDs are handled as
 * their DER content bytes (no tag, no length), compared as bytes against
 * one const table (STYLE.md section 6), and printed by name or as dotted
 * decimal.
 *
 * InfoType names for genm/genp (RFC 9810 section 5.3.19) are the names
 * without the "id-it-" prefix, as `openssl cmp -infotype` spells them:
 * "caCerts", "rootCaCert", "certReqTemplate", ...
 */
#ifndef CMP_OID_H
#define CMP_OID_H

#include <stddef.h>
#include <stdint.h>

#include "cmp/err.h"
#include "cmp/types.h"

#ifdef __cplusplus
extern "C" {
#endif

/* id-it ::= { id-pkix 4 } = 1.3.6.1.5.5.7.4 (RFC 9810 Appendix F); an
 * id-it OID below 128 is these content bytes followed by one byte. */
#define CMP_OID_ID_IT "\x2b\x06\x01\x05\x05\x07\x04"
#define CMP_OID_ID_IT_LEN 7

/* The id-it arcs the stack uses (RFC 9810 sections 5.1.1 and 5.3.19). */
#define CMP_IT_SIGN_KEY_PAIR_TYPES 2
#define CMP_IT_IMPLICIT_CONFIRM 13
#define CMP_IT_CONFIRM_WAIT_TIME 14
#define CMP_IT_CA_CERTS 17
#define CMP_IT_ROOT_CA_KEY_UPDATE 18
#define CMP_IT_CERT_REQ_TEMPLATE 19
#define CMP_IT_ROOT_CA_CERT 20
#define CMP_IT_CERT_PROFILE 21
#define CMP_IT_CRL_STATUS_LIST 22
#define CMP_IT_CRLS 23

/* What an OID in the table names. */
typedef enum cmp_oid_kind {
    CMP_OIDK_ANY = 0,  /* in lookups: every kind */
    CMP_OIDK_INFOTYPE, /* id-it-*: InfoTypeAndValue.infoType */
    CMP_OIDK_SIG,      /* signature algorithms */
    CMP_OIDK_KEY,      /* public key algorithms */
    CMP_OIDK_CURVE,    /* named elliptic curves */
    CMP_OIDK_MAC,      /* MAC and password-based MAC algorithms, PBKDF2 */
    CMP_OIDK_HASH,     /* hash algorithms */
    CMP_OIDK_EXT,      /* certificate and CRL entry extensions */
    CMP_OIDK_EKU,      /* extended key usage purposes */
    CMP_OIDK_REGCTRL   /* CRMF registration controls and info */
} cmp_oid_kind;

/* cmp_oid_name returns the name of |oid| (content bytes) from the table,
 * or NULL when it is not there. Static storage. */
CMP_API const char *cmp_oid_name(cmp_span oid);

/* cmp_oid_kind_of returns the kind of |oid|, or CMP_OIDK_ANY if unknown. */
CMP_API int cmp_oid_kind_of(cmp_span oid);

/* cmp_oid_by_name points |out| at the content bytes (static storage) of
 * the OID called |name| of |kind| (CMP_OIDK_ANY: any kind). Returns
 * CMP_ERR_ARG for an unknown name. */
CMP_API cmp_err cmp_oid_by_name(int kind, const char *name, cmp_span *out);

/* cmp_oid_valid returns 1 when |oid| is well-formed content bytes of an
 * OBJECT IDENTIFIER (X.690 8.19: not empty, every subidentifier minimal
 * and terminated), else 0. */
CMP_API int cmp_oid_valid(cmp_span oid);

/* cmp_oid_to_string writes |oid| in dotted decimal ("1.3.6.1.5.5.7.4.17")
 * and a NUL into |out|. CMP_ERR_ARG for malformed content bytes or a
 * subidentifier above 2^64-1, CMP_ERR_BUF_SMALL when it does not fit. */
CMP_API cmp_err cmp_oid_to_string(char *out, size_t out_len, cmp_span oid);

/* cmp_oid_from_string encodes dotted decimal into content bytes at |out|
 * (capacity |out_cap|), length at |*out_len|. CMP_ERR_ARG when |dotted| is
 * not an OID (at least two arcs, first 0..2, second below 40 under 0 and
 * 1), CMP_ERR_BUF_SMALL when it does not fit. */
CMP_API cmp_err cmp_oid_from_string(uint8_t *out, size_t out_cap, size_t *out_len,
                                    const char *dotted);

/* cmp_oid_eq returns 1 when both OIDs have the same content bytes. */
CMP_API int cmp_oid_eq(cmp_span a, cmp_span b);

/* cmp_infotype_by_name points |out| at the id-it OID called |name|
 * ("caCerts" or "id-it-caCerts"); CMP_ERR_UNKNOWN_INFOTYPE when there is
 * no such InfoType. Static storage. */
CMP_API cmp_err cmp_infotype_by_name(const char *name, cmp_span *out);

/* cmp_infotype_name returns the name of an id-it OID ("caCerts"), or NULL. */
CMP_API const char *cmp_infotype_name(cmp_span oid);

/* cmp_infotype_oid points |out| at the id-it OID with arc |arc| (one of
 * the CMP_IT_* values or another known InfoType); CMP_ERR_UNKNOWN_INFOTYPE
 * otherwise. Static storage. */
CMP_API cmp_err cmp_infotype_oid(int arc, cmp_span *out);

/* Walking the table (tests, help texts). */
typedef struct cmp_oid_info {
    int kind;           /* cmp_oid_kind */
    const char *name;
    const char *dotted;
    cmp_span oid;       /* content bytes, static storage */
} cmp_oid_info;

CMP_API size_t cmp_oid_count(void);
CMP_API cmp_err cmp_oid_at(size_t i, cmp_oid_info *out);

#ifdef __cplusplus
}
#endif

#endif /* CMP_OID_H */
