/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmp/ext.h: X.509 extensions as DER bytes (RFC 5280 section 4.2): the ones
 * an end entity requests in a CertTemplate and a CA puts into the
 * certificate it issues. Encoding and reading only, no crypto.
 *
 * Building: make each extension's value with cmp_ext_san(),
 * cmp_ext_key_usage(), cmp_ext_eku() or cmp_ext_basic_constraints(), then
 * assemble them with cmp_ext_encode() into the DER Extensions that
 * cmp_certreq_spec.extensions takes.
 *
 * Reading: cmp_ext_count/get/find view the entries of a DER Extensions
 * (from cmp_certreq.extensions, say) as spans into that input, and
 * cmp_ext_to_string() renders a value for people.
 */
#ifndef CMP_EXT_H
#define CMP_EXT_H

#include <stddef.h>
#include <stdint.h>

#include "cmp/err.h"
#include "cmp/types.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Extension OIDs as content bytes (RFC 5280 section 4.2.1; id-ce 2.5.29). */
#define CMP_OID_EXT_KEY_USAGE "\x55\x1d\x0f"           /* 2.5.29.15 */
#define CMP_OID_EXT_SUBJECT_ALT_NAME "\x55\x1d\x11"    /* 2.5.29.17 */
#define CMP_OID_EXT_BASIC_CONSTRAINTS "\x55\x1d\x13"   /* 2.5.29.19 */
#define CMP_OID_EXT_EXT_KEY_USAGE "\x55\x1d\x25"       /* 2.5.29.37 */
#define CMP_OID_EXT_LEN 3

/* KeyUsage bit numbers, RFC 5280 section 4.2.1.3. A bit set has bit n for
 * CMP_KU_BIT_* n: the same values as the CMP_KU_* masks of cmp_crypto.h. */
enum {
    CMP_KU_BIT_DIGITAL_SIGNATURE = 0,
    CMP_KU_BIT_NON_REPUDIATION = 1, /* contentCommitment */
    CMP_KU_BIT_KEY_ENCIPHERMENT = 2,
    CMP_KU_BIT_DATA_ENCIPHERMENT = 3,
    CMP_KU_BIT_KEY_AGREEMENT = 4,
    CMP_KU_BIT_KEY_CERT_SIGN = 5,
    CMP_KU_BIT_CRL_SIGN = 6,
    CMP_KU_BIT_ENCIPHER_ONLY = 7,
    CMP_KU_BIT_DECIPHER_ONLY = 8,
    CMP_KU_BIT_MAX = 8
};

/* One extension. Extension ::= SEQUENCE { extnID OBJECT IDENTIFIER,
 * critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING }. */
typedef struct cmp_ext {
    cmp_span oid;   /* OBJECT IDENTIFIER content bytes */
    int critical;   /* 0 or 1 */
    cmp_span value; /* contents of extnValue: the DER of the extension's type */
} cmp_ext;

/* ---- building ----------------------------------------------------------- */

/* cmp_ext_encode writes the DER Extensions of |num| (1..64) entries into
 * |out| (caller frees with cmp_buf_cleanup). Each value must be one DER
 * element; an OID may appear only once (RFC 5280 section 4.2). */
CMP_API cmp_err cmp_ext_encode(cmp_buf *out, const cmp_ext *exts, size_t num);

/* cmp_ext_san writes the DER GeneralNames of a subjectAltName from a list
 * separated by spaces or commas, like `openssl cmp -sans`: each entry is an
 * IPv4 or IPv6 address (iPAddress), a URI with "://" (uniformResourceIdentifier),
 * an e-mail address with '@' (rfc822Name) or a DNS name ("*.a.example" allowed),
 * or carries an explicit "DNS:", "IP:", "URI:" or "email:" prefix.
 * CMP_ERR_ARG for an empty list or an entry that is none of these. */
CMP_API cmp_err cmp_ext_san(cmp_buf *out, const char *sans);

/* cmp_ext_key_usage writes the DER KeyUsage for the bit set |bits| (bit n:
 * CMP_KU_* n), minimal as a named BIT STRING. At least one bit, none above
 * CMP_KU_BIT_MAX (CMP_ERR_ARG otherwise). */
CMP_API cmp_err cmp_ext_key_usage(cmp_buf *out, uint32_t bits);

/* cmp_ext_key_usage_parse reads a list of KeyUsage names ("digitalSignature,
 * keyEncipherment"; separators space or comma; "contentCommitment" is an
 * alias of nonRepudiation) into a bit set. CMP_ERR_ARG for an unknown name. */
CMP_API cmp_err cmp_ext_key_usage_parse(uint32_t *out, const char *names);

/* cmp_ext_key_usage_name returns RFC 5280's name of bit |bit| or NULL. */
CMP_API const char *cmp_ext_key_usage_name(int bit);

/* cmp_ext_eku writes the DER ExtKeyUsageSyntax for a list of key purposes,
 * each a name from cmp/oid.h ("serverAuth", "clientAuth", "cmKGA", ...) or
 * a dotted OID. CMP_ERR_ARG for an empty list or an unknown name. */
CMP_API cmp_err cmp_ext_eku(cmp_buf *out, const char *purposes);

/* cmp_ext_basic_constraints writes the DER BasicConstraints: cA TRUE when
 * |ca| is non-zero, and pathLenConstraint when |path_len| >= 0 (only for
 * a CA, RFC 5280 section 4.2.1.9; CMP_ERR_ARG otherwise). */
CMP_API cmp_err cmp_ext_basic_constraints(cmp_buf *out, int ca, int path_len);

/* ---- reading ------------------------------------------------------------ */

/* cmp_ext_count gives the number of entries of the DER Extensions |exts|,
 * which must be canonical DER (CMP_ERR_NOT_DER, CMP_ERR_DER_*, CMP_ERR_DECODE
 * otherwise). */
CMP_API cmp_err cmp_ext_count(cmp_span exts, size_t *out);

/* cmp_ext_get views the i-th entry; the spans point into |exts|. */
CMP_API cmp_err cmp_ext_get(cmp_span exts, size_t i, cmp_ext *out);

/* cmp_ext_find views the entry with |oid|; CMP_ERR_MISSING_FIELD if none. */
CMP_API cmp_err cmp_ext_find(cmp_span exts, cmp_span oid, cmp_ext *out);

/* cmp_ext_key_usage_read reads a KeyUsage value into a bit set. */
CMP_API cmp_err cmp_ext_key_usage_read(cmp_span value, uint32_t *out);

/* cmp_ext_basic_constraints_read reads a BasicConstraints value; |*path_len|
 * is -1 when absent. */
CMP_API cmp_err cmp_ext_basic_constraints_read(cmp_span value, int *ca, int *path_len);

/* cmp_ext_to_string renders |e|'s value for people, NUL-terminated:
 * subjectAltName as "DNS:a.example, IP:10.0.0.1, URI:https://x", keyUsage
 * and extKeyUsage as names, basicConstraints as "CA:TRUE, pathlen:0",
 * other values as hex. CMP_ERR_BUF_SMALL when it does not fit; a value that
 * does not decode gives its cmp_err (and "<malformed>" in |out|). */
CMP_API cmp_err cmp_ext_to_string(char *out, size_t out_len, const cmp_ext *e);

#ifdef __cplusplus
}
#endif

#endif /* CMP_EXT_H */
