/* SPDX-License-Identifier: Apache-2.0 */
/*
 * crypto/crypto_int.h: what the files of crypto/ share and nothing else
 * sees. Three provider-independent pieces live here:
 *
 *   cder   a DER cursor (reader) and a DER writer, for the few structures
 *          crypto/ must read or write itself (AlgorithmIdentifier parameters,
 *          certificates, CSRs, SubjectPublicKeyInfo). crypto/ may not use the
 *          asn1c codec (DESIGN.md rule 2), and a provider must not need it.
 *   alg    the OID tables: every algorithm this library accepts, compared as
 *          bytes; anything else is CMP_ERR_UNKNOWN_ALG.
 *   x509   certificate, CSR and SubjectPublicKeyInfo parsing.
 *
 * Symbols: cmp_cder_*, cmp_alg_*, cmp_x509_* (STYLE.md section 2).
 */
#ifndef CMP_CRYPTO_INT_H
#define CMP_CRYPTO_INT_H

#include <stddef.h>
#include <stdint.h>

#include "cmp_crypto.h"
#include "cmp/mem.h"
#include "compat.h"
#include "err_int.h"

/* ------------------------------------------------------------------------ */
/* cder: DER reader                                                         */
/* ------------------------------------------------------------------------ */

/* Universal tags, and the context-specific tags crypto/ uses. */
#define CDER_BOOLEAN 0x01
#define CDER_INTEGER 0x02
#define CDER_BIT_STRING 0x03
#define CDER_OCTET_STRING 0x04
#define CDER_NULL 0x05
#define CDER_OID 0x06
#define CDER_UTF8_STRING 0x0c
#define CDER_PRINTABLE_STRING 0x13
#define CDER_IA5_STRING 0x16
#define CDER_UTC_TIME 0x17
#define CDER_GENERALIZED_TIME 0x18
#define CDER_SEQUENCE 0x30
#define CDER_SET 0x31
#define CDER_CTX(n) ((uint8_t)(0x80 | (n)))         /* [n] IMPLICIT primitive */
#define CDER_CTX_CONS(n) ((uint8_t)(0xa0 | (n)))    /* [n] constructed */

/* Largest structure crypto/ parses (a certificate, a CSR, a key). */
#define CDER_MAX_LEN (256u * 1024u)

/* A cursor over bytes it does not own. Only cder.c moves |data|. */
typedef struct cmp_cder_rd {
    const uint8_t *data;
    size_t len;
} cmp_cder_rd;

/* One TLV: the tag, the whole element and its contents. */
typedef struct cmp_cder_tlv {
    uint8_t tag;
    cmp_span whole;
    cmp_span body;
} cmp_cder_tlv;

/* cmp_cder_init points |rd| at |in|. */
void cmp_cder_init(cmp_cder_rd *rd, cmp_span in);

/* cmp_cder_left returns the number of unread bytes. */
size_t cmp_cder_left(const cmp_cder_rd *rd);

/* cmp_cder_peek returns the next tag, or -1 at the end. */
int cmp_cder_peek(const cmp_cder_rd *rd);

/* cmp_cder_get_any reads one TLV: single-byte tag, definite minimal length.
 * Errors: CMP_ERR_DECODE. */
CMP_MUST_CHECK cmp_err cmp_cder_get_any(cmp_cder_rd *rd, cmp_cder_tlv *out);

/* cmp_cder_get reads a TLV that must have |tag|. */
CMP_MUST_CHECK cmp_err cmp_cder_get(cmp_cder_rd *rd, uint8_t tag, cmp_cder_tlv *out);

/* cmp_cder_get_opt reads a TLV if the next tag is |tag|; |*present| says. */
CMP_MUST_CHECK cmp_err cmp_cder_get_opt(cmp_cder_rd *rd, uint8_t tag, cmp_cder_tlv *out,
                                        int *present);

/* cmp_cder_enter reads a TLV with |tag| and points |out| at its contents. */
CMP_MUST_CHECK cmp_err cmp_cder_enter(cmp_cder_rd *rd, uint8_t tag, cmp_cder_rd *out);

/* cmp_cder_end fails unless |rd| is exhausted. */
CMP_MUST_CHECK cmp_err cmp_cder_end(const cmp_cder_rd *rd);

/* cmp_cder_one checks that |in| is exactly one TLV with |tag| and returns it. */
CMP_MUST_CHECK cmp_err cmp_cder_one(cmp_span in, uint8_t tag, cmp_cder_tlv *out);

/* cmp_cder_get_bool reads a DER BOOLEAN (0x00 or 0xff). */
CMP_MUST_CHECK cmp_err cmp_cder_get_bool(cmp_cder_rd *rd, int *out);

/* cmp_cder_get_u32 reads a non-negative minimal INTEGER that fits 32 bits. */
CMP_MUST_CHECK cmp_err cmp_cder_get_u32(cmp_cder_rd *rd, uint32_t *out);

/* cmp_cder_int_ok checks an INTEGER's contents: non-empty and minimal. */
CMP_MUST_CHECK cmp_err cmp_cder_int_ok(cmp_span body);

/* cmp_cder_get_bits reads a BIT STRING: |*out| gets the bits without the
 * unused-bits octet, |*unused| that octet (0..7, 0 for an empty string,
 * the padding bits zero as DER requires). */
CMP_MUST_CHECK cmp_err cmp_cder_get_bits(cmp_cder_rd *rd, cmp_span *out, unsigned *unused);

/* cmp_cder_get_time reads a UTCTime or GeneralizedTime in the RFC 5280
 * section 4.1.2.5 profile (seconds present, "Z", no fractions). */
CMP_MUST_CHECK cmp_err cmp_cder_get_time(cmp_cder_rd *rd, int64_t *out);

/* cmp_cder_span_eq compares two spans byte for byte (not constant time). */
int cmp_cder_span_eq(cmp_span a, cmp_span b);

/* ------------------------------------------------------------------------ */
/* cder: DER writer                                                         */
/* ------------------------------------------------------------------------ */

/* A growable output. Errors are sticky: after one failure every call does
 * nothing and cmp_cder_wr_finish reports the failure. Constructed elements
 * are opened and closed; close moves the contents if the length needs more
 * than one octet. */
typedef struct cmp_cder_wr {
    uint8_t *data;
    size_t len;
    size_t cap;
    cmp_err err;
} cmp_cder_wr;

void cmp_cder_wr_init(cmp_cder_wr *w);
/* cmp_cder_wr_cleanup wipes and frees the buffer. */
void cmp_cder_wr_cleanup(cmp_cder_wr *w);
/* cmp_cder_wr_finish moves the bytes into |out| (on success) and resets |w|. */
CMP_MUST_CHECK cmp_err cmp_cder_wr_finish(cmp_cder_wr *w, cmp_buf *out);

void cmp_cder_put_raw(cmp_cder_wr *w, cmp_span bytes);
void cmp_cder_put_tlv(cmp_cder_wr *w, uint8_t tag, cmp_span body);
/* cmp_cder_open writes |tag| and returns the position to pass to close. */
size_t cmp_cder_open(cmp_cder_wr *w, uint8_t tag);
void cmp_cder_close(cmp_cder_wr *w, size_t pos);
void cmp_cder_put_u32(cmp_cder_wr *w, uint32_t v);
/* cmp_cder_put_uint writes a positive big-endian magnitude as an INTEGER. */
void cmp_cder_put_uint(cmp_cder_wr *w, cmp_span magnitude);
void cmp_cder_put_bool(cmp_cder_wr *w, int v);
/* cmp_cder_put_bits writes a BIT STRING with 0 unused bits. */
void cmp_cder_put_bits(cmp_cder_wr *w, cmp_span bits);
/* cmp_cder_put_named_bits writes a named-bit BIT STRING of |v| (bit 0 is
 * the first bit), trailing zero bits removed (X.690 section 11.2.2). */
void cmp_cder_put_named_bits(cmp_cder_wr *w, uint32_t v);
void cmp_cder_put_time(cmp_cder_wr *w, int64_t t);

/* cmp_cder_pem_encode wraps |der| in PEM armour with |label|. */
CMP_MUST_CHECK cmp_err cmp_cder_pem_encode(cmp_buf *out, const char *label, cmp_span der);

/* Civil time <-> seconds since 1970 (proleptic Gregorian, UTC). */
int64_t cmp_cder_days_from_civil(int64_t y, unsigned m, unsigned d);
void cmp_cder_civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d);

/* ------------------------------------------------------------------------ */
/* alg: algorithm tables                                                    */
/* ------------------------------------------------------------------------ */

typedef enum cmp_sig_scheme {
    CMP_SIG_SCHEME_PKCS1 = 1,
    CMP_SIG_SCHEME_PSS = 2,
    CMP_SIG_SCHEME_ECDSA = 3,
    CMP_SIG_SCHEME_ED25519 = 4
} cmp_sig_scheme;

/* A decoded signature AlgorithmIdentifier. */
typedef struct cmp_sig_alg {
    cmp_sig_scheme scheme;
    cmp_hash_alg hash;     /* SHA512 for Ed25519 (RFC 9481 section 3.3) */
    uint32_t pss_salt_len; /* PSS only */
} cmp_sig_alg;

/* cmp_alg_sig_decode decodes |alg| (one AlgorithmIdentifier TLV).
 * Errors: CMP_ERR_DECODE, CMP_ERR_UNKNOWN_ALG. */
CMP_MUST_CHECK cmp_err cmp_alg_sig_decode(cmp_sig_alg *out, cmp_span alg);

/* cmp_alg_sig_encoding returns the static DER this library emits for a
 * scheme and hash (PSS with salt length = hash length). */
CMP_MUST_CHECK cmp_err cmp_alg_sig_encoding(cmp_span *out, cmp_sig_scheme scheme,
                                            cmp_hash_alg hash);

/* cmp_alg_hash_oid returns the OID contents of a hash (static). */
CMP_MUST_CHECK cmp_err cmp_alg_hash_oid(cmp_span *out, cmp_hash_alg hash);

/* cmp_alg_hash_by_oid maps OID contents to a hash (SHA-1 and SHA-2). */
CMP_MUST_CHECK cmp_err cmp_alg_hash_by_oid(cmp_hash_alg *out, cmp_span oid);

/* cmp_alg_hmac_by_oid maps an HMAC OID (hmacWithSHA* or RFC 4210's
 * hmac-sha1) to its hash. */
CMP_MUST_CHECK cmp_err cmp_alg_hmac_by_oid(cmp_hash_alg *out, cmp_span oid);

/* cmp_alg_is_mac_oid returns 1 when |oid| is id-PasswordBasedMac or id-PBMAC1. */
int cmp_alg_is_mac_oid(cmp_span oid);

/* cmp_alg_mac_decode decodes a PBM or PBMAC1 protectionAlg under |lim|. */
CMP_MUST_CHECK cmp_err cmp_alg_mac_decode(cmp_mac_params *out, cmp_span alg,
                                          const cmp_crypto_limits *lim);

/* cmp_alg_mac_encode encodes |p| with |salt| (p->salt is ignored). */
CMP_MUST_CHECK cmp_err cmp_alg_mac_encode(cmp_buf *out, const cmp_mac_params *p,
                                          cmp_span salt);

/* cmp_alg_alg_id reads an AlgorithmIdentifier: |oid| gets the OID contents,
 * |params| the parameters TLV (empty when absent). */
CMP_MUST_CHECK cmp_err cmp_alg_alg_id(cmp_span alg, cmp_span *oid, cmp_span *params);

/* Well-known OID contents used outside alg.c. */
extern const cmp_span cmp_alg_oid_rsa_encryption;
extern const cmp_span cmp_alg_oid_ec_public_key;
extern const cmp_span cmp_alg_oid_ed25519;
extern const cmp_span cmp_alg_oid_p256;
extern const cmp_span cmp_alg_oid_p384;
extern const cmp_span cmp_alg_oid_p521;

/* ------------------------------------------------------------------------ */
/* x509: SubjectPublicKeyInfo, certificates, CSRs                           */
/* ------------------------------------------------------------------------ */

typedef struct cmp_spki_info {
    cmp_key_type type; /* CMP_KEY_NONE never: unsupported keys fail */
    cmp_span alg;      /* AlgorithmIdentifier TLV */
    cmp_span key;      /* subjectPublicKey bits (no unused-bits octet) */
} cmp_spki_info;

/* cmp_x509_spki_parse parses one SubjectPublicKeyInfo TLV.
 * Errors: CMP_ERR_KEY_PARSE (malformed), CMP_ERR_KEY_TYPE (unsupported). */
CMP_MUST_CHECK cmp_err cmp_x509_spki_parse(cmp_spki_info *out, cmp_span spki);

/* cmp_x509_alg_key_type maps a key AlgorithmIdentifier TLV (as in a SPKI or
 * a PKCS#8 PrivateKeyInfo) to a key type. Errors: CMP_ERR_KEY_PARSE,
 * CMP_ERR_KEY_TYPE. */
CMP_MUST_CHECK cmp_err cmp_x509_alg_key_type(cmp_key_type *out, cmp_span alg);

/* cmp_x509_curve_oid returns the namedCurve OID contents of an EC type. */
CMP_MUST_CHECK cmp_err cmp_x509_curve_oid(cmp_span *out, cmp_key_type type);

/* cmp_x509_curve_by_oid maps namedCurve OID contents to a key type. */
CMP_MUST_CHECK cmp_err cmp_x509_curve_by_oid(cmp_key_type *out, cmp_span oid);

/* A parsed certificate plus what only path validation needs. */
typedef struct cmp_x509_cert {
    cmp_cert_info info;
    int unknown_critical; /* a critical extension this library does not process */
} cmp_x509_cert;

/* cmp_x509_cert_parse: see cmp_crypto_cert_parse. Errors: CMP_ERR_DECODE. */
CMP_MUST_CHECK cmp_err cmp_x509_cert_parse(cmp_x509_cert *out, cmp_span cert);

/* cmp_x509_csr_parse: see cmp_crypto_csr_parse. Errors: CMP_ERR_DECODE. */
CMP_MUST_CHECK cmp_err cmp_x509_csr_parse(cmp_csr_info *out, cmp_span csr);

/* cmp_x509_exts_encode writes an Extensions SEQUENCE for |e|. |spki| is the
 * subject key (for a computed SKI), |aki| the key identifier for the AKI. */
CMP_MUST_CHECK cmp_err cmp_x509_exts_encode(cmp_cder_wr *w, const cmp_cert_exts *e,
                                            const uint8_t ski[CMP_KEY_ID_LEN],
                                            cmp_span aki, int subject_empty);

#endif /* CMP_CRYPTO_INT_H */
