/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmp/cmp_crypto.h: every cryptographic operation of the stack, behind one
 * bytes-only interface (DESIGN.md rule 2).
 *
 * Nothing here knows an asn1c type or a wolfSSL type. Inputs and outputs are
 * bytes: data to sign, DER certificates, DER keys, AlgorithmIdentifiers as
 * DER. A provider is a cmp_crypto: a const table of function pointers
 * (cmp_crypto_ops) plus the provider's own state (|impl|) and the caller's
 * limits. The wolfSSL provider (cmp_crypto_wolfssl_new) is one instance; an
 * HSM, a secure element or PKCS#11 implements the same table.
 *
 * The provider does keys, signatures, MACs, hashes and randomness. Parsing
 * certificates, path validation and encoding certificates and CSRs are
 * provider-independent code in crypto/ that calls the provider for every
 * signature and hash, so every provider gets the same path-validation rules.
 *
 * Conventions (STYLE.md sections 3-5):
 * - Every fallible function returns cmp_err (CMP_OK or a negative code from
 *   cmp/err.h, never a provider's own number).
 * - Parameters go context, outputs, inputs. Inputs are borrowed for the call.
 * - A cmp_buf output is filled on success only; the caller owns it afterwards
 *   and releases it with cmp_buf_cleanup(). On failure it is left empty.
 * - A cmp_span output points into an input (lifetime stated) or into static
 *   storage.
 * - An unknown algorithm is an error (CMP_ERR_UNKNOWN_ALG), never a default.
 *   Malformed DER is CMP_ERR_DECODE (or the CMP_ERR_DER_* code that fits).
 * - A cmp_crypto and the keys it made are not thread-safe: use one per thread.
 * - The library never reads the clock: times are int64 seconds since
 *   1970-01-01T00:00:00Z, supplied by the caller.
 */
#ifndef CMP_CMP_CRYPTO_H
#define CMP_CMP_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

#include "cmp/types.h"
#include "cmp/err.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------ */
/* Identifiers                                                              */
/* ------------------------------------------------------------------------ */

/* Hash functions. SHA-1 exists only for RFC 4210 PasswordBasedMac interop
 * (OpenSSL's default PBM mac is HMAC-SHA1) and for key identifiers
 * (RFC 5280 section 4.2.1.2); no signature uses it. */
typedef enum cmp_hash_alg {
    CMP_HASH_NONE = 0, /* "the default for this key or algorithm" where allowed */
    CMP_HASH_SHA1 = 1,
    CMP_HASH_SHA224 = 2,
    CMP_HASH_SHA256 = 3,
    CMP_HASH_SHA384 = 4,
    CMP_HASH_SHA512 = 5
} cmp_hash_alg;

#define CMP_HASH_MAX_LEN 64 /* SHA-512 */
#define CMP_KEY_ID_LEN 20   /* SHA-1 key identifier, RFC 5280 section 4.2.1.2 */

/* Key types. */
typedef enum cmp_key_type {
    CMP_KEY_NONE = 0,
    CMP_KEY_RSA = 1,
    CMP_KEY_EC_P256 = 2,
    CMP_KEY_EC_P384 = 3,
    CMP_KEY_EC_P521 = 4,
    CMP_KEY_ED25519 = 5
} cmp_key_type;

/* Private key export formats (PEM). Ed25519 has no traditional form:
 * CMP_KEY_PEM_TRADITIONAL gives CMP_ERR_UNSUPPORTED for it. */
typedef enum cmp_key_format {
    CMP_KEY_PEM_PKCS8 = 0,      /* "-----BEGIN PRIVATE KEY-----" */
    CMP_KEY_PEM_TRADITIONAL = 1 /* "BEGIN RSA PRIVATE KEY" / "BEGIN EC PRIVATE KEY" */
} cmp_key_format;

/* Flags for cmp_crypto_sig_alg_default(). */
#define CMP_SIG_RSA_PSS 0x1u /* RSA keys: RSASSA-PSS instead of PKCS #1 v1.5 */

/* What an AlgorithmIdentifier in protectionAlg selects. */
typedef enum cmp_alg_kind {
    CMP_ALG_SIGNATURE = 1, /* RFC 9481 section 3 */
    CMP_ALG_MAC = 2        /* RFC 9481 section 6.1 */
} cmp_alg_kind;

/* Password-based MAC algorithms (RFC 9481 section 6.1). */
typedef enum cmp_mac_kind {
    CMP_MAC_PBM = 1,   /* id-PasswordBasedMac, RFC 9481 section 6.1.1 */
    CMP_MAC_PBMAC1 = 2 /* id-PBMAC1 with PBKDF2, RFC 9481 section 6.1.2 */
} cmp_mac_kind;

/* The parameters of a password-based MAC, as decoded from or encoded into a
 * protectionAlg. For PBM, |owf| is the one-way function and |mac| the HMAC
 * hash; for PBMAC1, |owf| is the hash of PBKDF2's PRF (hmacWithSHA*) and
 * |mac| the hash of the messageAuthScheme HMAC. |key_len| is PBKDF2's
 * keyLength (PBMAC1 only; 0 when building means "the HMAC output length").
 * |salt| points into the decoded DER (or is ignored when building: a fresh
 * random salt of |salt_len| bytes is drawn). */
typedef struct cmp_mac_params {
    cmp_mac_kind kind;
    cmp_hash_alg owf;
    cmp_hash_alg mac;
    uint32_t iterations;
    size_t salt_len;
    size_t key_len;
    cmp_span salt;
} cmp_mac_params;

/* Defaults used by cmp_crypto_mac_params_default(). */
#define CMP_MAC_DEFAULT_ITERATIONS 10000u
#define CMP_MAC_DEFAULT_SALT_LEN 16u

/* ------------------------------------------------------------------------ */
/* The provider                                                             */
/* ------------------------------------------------------------------------ */

/* An opaque private key (and its public half), owned by the provider that
 * made it. Free it with cmp_crypto_key_free() on the same provider. */
typedef struct cmp_key cmp_key;

typedef struct cmp_crypto cmp_crypto;

/* Limits checked before any work is done on a peer's parameters. */
typedef struct cmp_crypto_limits {
    /* PBM/PBMAC1 iterationCount accepted: min_iterations..max_iterations.
     * Default 100..100000, the bounds OpenSSL's CRMF PBM applies. */
    uint32_t min_iterations;
    uint32_t max_iterations;
    /* Salt length accepted in a PBMParameter or PBKDF2-params (default 8..64). */
    uint32_t min_salt_len;
    uint32_t max_salt_len;
    /* Certificates in a path, leaf and trust anchor included (default 8). */
    uint32_t max_chain_len;
    /* RSA modulus sizes accepted for signing and verifying (default 2048..8192). */
    uint32_t min_rsa_bits;
    uint32_t max_rsa_bits;
} cmp_crypto_limits;

/* The provider's function table. Every slot is required. Each takes the
 * provider first; |c->impl| is the provider's state and |c->limits| the
 * caller's limits, which a provider must honour. Semantics are those of the
 * cmp_crypto_* wrapper of the same name below (the wrappers check arguments
 * and then call the slot). */
typedef struct cmp_crypto_ops {
    const char *name; /* for logs, e.g. "wolfSSL 5.5.4" */
    void (*destroy)(cmp_crypto *c);

    cmp_err (*random)(cmp_crypto *c, uint8_t *out, size_t len);
    cmp_err (*hash)(cmp_crypto *c, uint8_t out[CMP_HASH_MAX_LEN], size_t *out_len,
                    cmp_hash_alg alg, cmp_span data);

    cmp_err (*key_load)(cmp_crypto *c, cmp_key **out, cmp_span data, cmp_span pass);
    cmp_err (*key_generate)(cmp_crypto *c, cmp_key **out, cmp_key_type type, unsigned bits);
    void (*key_free)(cmp_crypto *c, cmp_key *key);
    cmp_err (*key_type)(cmp_crypto *c, cmp_key_type *out_type, unsigned *out_bits,
                        const cmp_key *key);
    cmp_err (*key_spki)(cmp_crypto *c, cmp_buf *out, const cmp_key *key);
    cmp_err (*key_export_pem)(cmp_crypto *c, cmp_buf *out, const cmp_key *key,
                              cmp_key_format fmt);

    cmp_err (*sign)(cmp_crypto *c, cmp_buf *out_sig, cmp_key *key, cmp_span alg,
                    cmp_span data);
    cmp_err (*verify)(cmp_crypto *c, cmp_span spki, cmp_span alg, cmp_span data,
                      cmp_span sig);

    cmp_err (*mac_protect)(cmp_crypto *c, cmp_buf *out_mac, cmp_span alg, cmp_span secret,
                           cmp_span data);
    cmp_err (*mac_verify)(cmp_crypto *c, cmp_span alg, cmp_span secret, cmp_span data,
                          cmp_span mac);
} cmp_crypto_ops;

/* A provider instance. The caller may change |limits| between calls. */
struct cmp_crypto {
    const cmp_crypto_ops *ops;
    void *impl;
    cmp_crypto_limits limits;
};

/* cmp_crypto_limits_default fills |out| with the defaults listed above. */
CMP_API void cmp_crypto_limits_default(cmp_crypto_limits *out);

/* cmp_crypto_wolfssl_new creates the wolfSSL provider with default limits
 * and a seeded DRBG. On success |*out| is the caller's, to be released with
 * cmp_crypto_free(). Errors: CMP_ERR_NOMEM, CMP_ERR_RNG. */
CMP_API cmp_err cmp_crypto_wolfssl_new(cmp_crypto **out);

/* cmp_crypto_free destroys a provider made by any *_new constructor (keys
 * made by it must be freed first). NULL does nothing. */
CMP_API void cmp_crypto_free(cmp_crypto *c);

/* cmp_crypto_name returns the provider's name (static storage). */
CMP_API const char *cmp_crypto_name(const cmp_crypto *c);

/* ------------------------------------------------------------------------ */
/* Randomness and hashes                                                    */
/* ------------------------------------------------------------------------ */

/* cmp_crypto_random fills |len| bytes at |out| from the provider's DRBG
 * (transactionIDs, nonces, salts). Errors: CMP_ERR_RNG. */
CMP_API cmp_err cmp_crypto_random(cmp_crypto *c, uint8_t *out, size_t len);

/* cmp_crypto_hash hashes |data|; |*out_len| gets the digest length. */
CMP_API cmp_err cmp_crypto_hash(cmp_crypto *c, uint8_t out[CMP_HASH_MAX_LEN], size_t *out_len,
                                cmp_hash_alg alg, cmp_span data);

/* cmp_crypto_hash_len returns the digest length of |alg|, 0 if unknown. */
CMP_API size_t cmp_crypto_hash_len(cmp_hash_alg alg);

/* cmp_crypto_hash_from_name maps "sha256", "SHA-256", "sha1", ... to |*out|.
 * Errors: CMP_ERR_UNKNOWN_ALG. */
CMP_API cmp_err cmp_crypto_hash_from_name(cmp_hash_alg *out, const char *name);

/* cmp_crypto_hash_alg_encode sets |*out| to the DER AlgorithmIdentifier of
 * |alg| (parameters absent, RFC 5754 section 2), in static storage. */
CMP_API cmp_err cmp_crypto_hash_alg_encode(cmp_span *out, cmp_hash_alg alg);

/* cmp_crypto_hash_alg_decode maps a digest AlgorithmIdentifier (parameters
 * absent or NULL) to |*out|. Errors: CMP_ERR_DECODE, CMP_ERR_UNKNOWN_ALG. */
CMP_API cmp_err cmp_crypto_hash_alg_decode(cmp_hash_alg *out, cmp_span alg);

/* cmp_crypto_cert_hash computes certConf's certHash of |cert| (DER): with
 * the explicit |hash_alg| (a digest AlgorithmIdentifier, RFC 9810 CertStatus
 * hashAlg) when |hash_alg.len| is not 0, else with the hash of the
 * certificate's signature algorithm (SHA-512 for Ed25519, RFC 9481
 * section 3.3). */
CMP_API cmp_err cmp_crypto_cert_hash(cmp_crypto *c, uint8_t out[CMP_HASH_MAX_LEN],
                                     size_t *out_len, cmp_span cert, cmp_span hash_alg);

/* cmp_crypto_key_id computes the SHA-1 of the subjectPublicKey BIT STRING
 * of |spki| (RFC 5280 section 4.2.1.2 method 1), as used for subject and
 * authority key identifiers and for senderKID. */
CMP_API cmp_err cmp_crypto_key_id(cmp_crypto *c, uint8_t out[CMP_KEY_ID_LEN], cmp_span spki);

/* ------------------------------------------------------------------------ */
/* Keys                                                                     */
/* ------------------------------------------------------------------------ */

/* cmp_crypto_key_load parses a private key: PEM or DER (detected), PKCS#8
 * or traditional (RSAPrivateKey, ECPrivateKey), encrypted PEM (PKCS#8 or
 * RFC 1421 DEK-Info) or encrypted PKCS#8 DER with |pass| (|pass.len| 0 for
 * none; a pass phrase cannot contain a NUL byte). Types: RSA, EC P-256/P-384/P-521, Ed25519.
 * On success |*out| is the caller's (cmp_crypto_key_free()).
 * Errors: CMP_ERR_KEY_PARSE (malformed or truncated), CMP_ERR_PASSPHRASE
 * (encrypted and |pass| missing or wrong), CMP_ERR_KEY_TYPE (a well-formed
 * key of a type or size not supported). */
CMP_API cmp_err cmp_crypto_key_load(cmp_crypto *c, cmp_key **out, cmp_span data, cmp_span pass);

/* cmp_crypto_key_generate makes a fresh key pair. |bits| is the RSA modulus
 * size (0 for 2048; 2048..4096); it must be 0 for the other types.
 * Errors: CMP_ERR_KEY_TYPE, CMP_ERR_RNG, CMP_ERR_NOMEM, CMP_ERR_CRYPTO. */
CMP_API cmp_err cmp_crypto_key_generate(cmp_crypto *c, cmp_key **out, cmp_key_type type,
                                        unsigned bits);

/* cmp_crypto_key_free wipes and frees |key|. NULL does nothing. */
CMP_API void cmp_crypto_key_free(cmp_crypto *c, cmp_key *key);

/* cmp_crypto_key_type reports the key's type and size in bits (the RSA
 * modulus, the curve order, 256 for Ed25519). Either output may be NULL. */
CMP_API cmp_err cmp_crypto_key_type(cmp_crypto *c, cmp_key_type *out_type, unsigned *out_bits,
                                    const cmp_key *key);

/* cmp_crypto_key_spki exports the public key as SubjectPublicKeyInfo DER
 * (RSA with NULL parameters, EC with the named curve, Ed25519 per RFC 8410). */
CMP_API cmp_err cmp_crypto_key_spki(cmp_crypto *c, cmp_buf *out, const cmp_key *key);

/* cmp_crypto_key_export_pem writes the private key as unencrypted PEM, for
 * storing a generated key. The caller owns |out| (wiped by cmp_buf_cleanup). */
CMP_API cmp_err cmp_crypto_key_export_pem(cmp_crypto *c, cmp_buf *out, const cmp_key *key,
                                          cmp_key_format fmt);

/* cmp_crypto_key_check_cert returns CMP_OK when |cert| (DER) carries the
 * public key of |key|, CMP_ERR_KEY_MISMATCH when it carries another key, or
 * CMP_ERR_CERT_PARSE. */
CMP_API cmp_err cmp_crypto_key_check_cert(cmp_crypto *c, const cmp_key *key, cmp_span cert);

/* cmp_crypto_spki_check_cert is the same check for a public key given as
 * SubjectPublicKeyInfo DER (e.g. "is the issued certificate's key the one we
 * requested"). Compares algorithm, curve and key bits, not encodings. */
CMP_API cmp_err cmp_crypto_spki_check_cert(cmp_span spki, cmp_span cert);

/* ------------------------------------------------------------------------ */
/* Signatures (RFC 9481 section 3)                                          */
/* ------------------------------------------------------------------------ */

/* Signature AlgorithmIdentifiers accepted: sha{224,256,384,512}WithRSAEncryption
 * (parameters NULL or absent), id-RSASSA-PSS (RSASSA-PSS-params with SHA-2,
 * MGF1 with the same hash, trailerField 1), ecdsa-with-SHA{224,256,384,512}
 * (parameters absent or NULL), id-Ed25519 (parameters absent). */

/* cmp_crypto_sig_alg_default sets |*out| (static storage) to the signature
 * AlgorithmIdentifier DER for |key| and |hash|: RSA: sha*WithRSAEncryption,
 * or RSASSA-PSS (salt length = hash length) with CMP_SIG_RSA_PSS in |flags|;
 * EC: ecdsa-with-SHA*; Ed25519: id-Ed25519 (|hash| must be NONE or SHA512).
 * CMP_HASH_NONE picks SHA-256 (RSA, P-256), SHA-384 (P-384), SHA-512 (P-521).
 * Errors: CMP_ERR_UNKNOWN_ALG (SHA-1 or a hash the key type cannot use). */
CMP_API cmp_err cmp_crypto_sig_alg_default(cmp_crypto *c, cmp_span *out, const cmp_key *key,
                                           cmp_hash_alg hash, unsigned flags);

/* cmp_crypto_sig_alg_hash reports the hash a signature AlgorithmIdentifier
 * uses (SHA512 for Ed25519) and, if |out_key_type| is not NULL, the key
 * family (CMP_KEY_RSA, CMP_KEY_EC_P256 for any ECDSA, CMP_KEY_ED25519). */
CMP_API cmp_err cmp_crypto_sig_alg_hash(cmp_hash_alg *out, cmp_key_type *out_key_type,
                                        cmp_span alg);

/* cmp_crypto_alg_kind tells whether a protectionAlg is a signature or a MAC
 * algorithm this library supports. Errors: CMP_ERR_UNKNOWN_ALG, CMP_ERR_DECODE. */
CMP_API cmp_err cmp_crypto_alg_kind(cmp_alg_kind *out, cmp_span alg);

/* cmp_crypto_sign signs |data| (the whole message, e.g. the ProtectedPart
 * DER; the provider hashes it) with |key| under |alg|. Deterministic for
 * PKCS #1 v1.5, Ed25519 and ecdsa-with-SHA256 (RFC 6979; the wolfSSL
 * provider cannot do RFC 6979 with other hashes, so ecdsa-with-SHA224/384/512
 * draw k from the DRBG); RSASSA-PSS is randomised by its salt.
 * ECDSA signatures are DER Ecdsa-Sig-Value.
 * Errors: CMP_ERR_UNKNOWN_ALG, CMP_ERR_KEY_TYPE (|alg| is not for this key),
 * CMP_ERR_CRYPTO, CMP_ERR_NOMEM. */
CMP_API cmp_err cmp_crypto_sign(cmp_crypto *c, cmp_buf *out_sig, cmp_key *key, cmp_span alg,
                                cmp_span data);

/* cmp_crypto_verify checks |sig| over |data| with the public key |spki|
 * (SubjectPublicKeyInfo DER) under |alg|. Returns CMP_OK only for a valid
 * signature. Errors: CMP_ERR_SIGNATURE, CMP_ERR_UNKNOWN_ALG, CMP_ERR_KEY_TYPE
 * (key unsupported, too small, or not for |alg|), CMP_ERR_KEY_PARSE. */
CMP_API cmp_err cmp_crypto_verify(cmp_crypto *c, cmp_span spki, cmp_span alg, cmp_span data,
                                  cmp_span sig);

/* ------------------------------------------------------------------------ */
/* MAC protection (RFC 9481 section 6.1)                                    */
/* ------------------------------------------------------------------------ */

/* cmp_crypto_mac_params_default fills |out| for |kind|: owf SHA-256, mac
 * HMAC-SHA256 (RFC 9481 section 7.1), CMP_MAC_DEFAULT_ITERATIONS,
 * CMP_MAC_DEFAULT_SALT_LEN, key_len 0. */
CMP_API void cmp_crypto_mac_params_default(cmp_mac_params *out, cmp_mac_kind kind);

/* cmp_crypto_mac_alg_new encodes a protectionAlg for |params| (NULL: PBMAC1
 * defaults) with a fresh random salt. The parameters must be within
 * |c->limits|. Errors: CMP_ERR_ARG, CMP_ERR_ITERATIONS, CMP_ERR_UNKNOWN_ALG,
 * CMP_ERR_RNG, CMP_ERR_NOMEM. */
CMP_API cmp_err cmp_crypto_mac_alg_new(cmp_crypto *c, cmp_buf *out, const cmp_mac_params *params);

/* cmp_crypto_mac_alg_decode decodes a PBM or PBMAC1 protectionAlg; |out->salt|
 * points into |alg|. The limits of |c| are applied: an iterationCount, salt or
 * keyLength outside them fails before any work (CMP_ERR_ITERATIONS for the
 * iteration count, CMP_ERR_UNKNOWN_ALG otherwise). Errors also:
 * CMP_ERR_DECODE, CMP_ERR_UNKNOWN_ALG (owf, mac or PRF not allowed). */
CMP_API cmp_err cmp_crypto_mac_alg_decode(cmp_crypto *c, cmp_mac_params *out, cmp_span alg);

/* cmp_crypto_mac_protect computes the MAC of |data| (the ProtectedPart DER)
 * under the protectionAlg |alg| keyed by |secret|. Derived keys are wiped. */
CMP_API cmp_err cmp_crypto_mac_protect(cmp_crypto *c, cmp_buf *out_mac, cmp_span alg,
                                       cmp_span secret, cmp_span data);

/* cmp_crypto_mac_verify recomputes the MAC and compares it in constant time.
 * Returns CMP_OK or CMP_ERR_MAC (or an error of cmp_crypto_mac_alg_decode). */
CMP_API cmp_err cmp_crypto_mac_verify(cmp_crypto *c, cmp_span alg, cmp_span secret,
                                      cmp_span data, cmp_span mac);

/* ------------------------------------------------------------------------ */
/* Certificates (RFC 5280)                                                  */
/* ------------------------------------------------------------------------ */

/* keyUsage bits, named and numbered as in RFC 5280 section 4.2.1.3. */
#define CMP_KU_DIGITAL_SIGNATURE (1u << 0)
#define CMP_KU_NON_REPUDIATION (1u << 1)
#define CMP_KU_KEY_ENCIPHERMENT (1u << 2)
#define CMP_KU_DATA_ENCIPHERMENT (1u << 3)
#define CMP_KU_KEY_AGREEMENT (1u << 4)
#define CMP_KU_KEY_CERT_SIGN (1u << 5)
#define CMP_KU_CRL_SIGN (1u << 6)
#define CMP_KU_ENCIPHER_ONLY (1u << 7)
#define CMP_KU_DECIPHER_ONLY (1u << 8)

/* extendedKeyUsage purposes this library names (RFC 5280 section 4.2.1.12,
 * RFC 6402 for cmcCA/cmcRA, RFC 9480 for cmKGA). Others are in |eku|. */
#define CMP_EKU_SERVER_AUTH (1u << 0)
#define CMP_EKU_CLIENT_AUTH (1u << 1)
#define CMP_EKU_CODE_SIGNING (1u << 2)
#define CMP_EKU_EMAIL_PROTECTION (1u << 3)
#define CMP_EKU_TIME_STAMPING (1u << 4)
#define CMP_EKU_OCSP_SIGNING (1u << 5)
#define CMP_EKU_CMC_CA (1u << 6)
#define CMP_EKU_CMC_RA (1u << 7)
#define CMP_EKU_CM_KGA (1u << 8)
#define CMP_EKU_ANY (1u << 9)

/* Which extensions a certificate (or a template, or a CSR) carries. */
#define CMP_EXT_BASIC_CONSTRAINTS (1u << 0)
#define CMP_EXT_KEY_USAGE (1u << 1)
#define CMP_EXT_EXT_KEY_USAGE (1u << 2)
#define CMP_EXT_SUBJECT_ALT_NAME (1u << 3)
#define CMP_EXT_SUBJECT_KEY_ID (1u << 4)
#define CMP_EXT_AUTHORITY_KEY_ID (1u << 5)

/* What the protocol needs from a certificate. Every span points into the
 * DER given to cmp_crypto_cert_parse and lives as long as it. */
typedef struct cmp_cert_info {
    int version;          /* 1, 2 or 3 */
    cmp_span tbs;         /* TBSCertificate TLV: the signed bytes */
    cmp_span serial;      /* serialNumber INTEGER contents, as encoded */
    cmp_span sig_alg;     /* signatureAlgorithm TLV */
    cmp_span issuer;      /* issuer Name TLV */
    cmp_span subject;     /* subject Name TLV */
    int64_t not_before;   /* seconds since 1970 UTC */
    int64_t not_after;
    cmp_span spki;        /* subjectPublicKeyInfo TLV */
    cmp_span signature;   /* signatureValue without the unused-bits octet */
    uint32_t exts;        /* CMP_EXT_* bits of the extensions present */
    uint32_t exts_critical; /* CMP_EXT_* bits of those marked critical */
    uint32_t key_usage;   /* CMP_KU_* (when CMP_EXT_KEY_USAGE) */
    uint32_t ext_key_usage; /* CMP_EKU_* (when CMP_EXT_EXT_KEY_USAGE) */
    cmp_span eku;         /* ExtKeyUsageSyntax TLV: every purpose OID */
    int is_ca;            /* basicConstraints cA (0 when absent) */
    int path_len;         /* pathLenConstraint, -1 when absent */
    cmp_span san;         /* subjectAltName GeneralNames TLV */
    cmp_span ski;         /* subjectKeyIdentifier contents */
    cmp_span aki;         /* authorityKeyIdentifier keyIdentifier contents */
} cmp_cert_info;

/* cmp_crypto_cert_parse parses one DER certificate (strict DER, nothing
 * after it) into |out|. Extensions other than those above are skipped;
 * an unknown critical one is not an error here (path validation rejects
 * it). Errors: CMP_ERR_CERT_PARSE. */
CMP_API cmp_err cmp_crypto_cert_parse(cmp_cert_info *out, cmp_span cert);

/* cmp_crypto_cert_check_signer returns CMP_OK when |cert| may protect CMP
 * messages with signatures: keyUsage absent or with digitalSignature
 * (RFC 9483 section 3.2). Errors: CMP_ERR_KEY_USAGE, CMP_ERR_CERT_PARSE. */
CMP_API cmp_err cmp_crypto_cert_check_signer(cmp_span cert);

/* The outcome of a path validation (optional output). */
typedef struct cmp_chain_result {
    size_t depth;     /* at fault: 0 = the leaf, 1 = its issuer, ... */
    size_t chain_len; /* on success: certificates in the path, anchor included */
    size_t anchor;    /* on success: index of the trust anchor in |anchors| */
} cmp_chain_result;

/* cmp_crypto_chain_verify validates a path from |leaf| through any of the
 * |untrusted| certificates (in any order) to one of the |anchors| (trusted
 * self-signed or intermediate certificates), all DER, at time |now| (the
 * caller's clock). Checks, for every certificate including the anchor:
 * validity at |now|; for every issuer: name chaining (byte-exact DER, and
 * AKI = SKI when both are present), the signature, cA TRUE, keyCertSign when
 * keyUsage is present, pathLenConstraint; unknown critical extensions are
 * rejected. The chain is at most |c->limits.max_chain_len| long. When
 * several candidate paths exist each is tried; the error is that of the path
 * that got closest to an anchor. An untrusted certificate that does not
 * parse is ignored; an anchor that does not parse is CMP_ERR_CERT_PARSE.
 * Returns CMP_OK, or CMP_ERR_CHAIN_EXPIRED, CMP_ERR_CHAIN_NOT_YET_VALID,
 * CMP_ERR_CHAIN_UNKNOWN_ISSUER (also: intermediate missing), CMP_ERR_CHAIN_BAD_SIG,
 * CMP_ERR_CHAIN_NOT_CA, CMP_ERR_KEY_USAGE (issuer without keyCertSign),
 * CMP_ERR_CHAIN_TOO_LONG, CMP_ERR_CHAIN_CRITICAL_EXT, CMP_ERR_CERT_PARSE, or
 * CMP_ERR_KEY_TYPE / CMP_ERR_UNKNOWN_ALG for a key or signature algorithm
 * this library does not take; |out| (may be NULL) says where. */
CMP_API cmp_err cmp_crypto_chain_verify(cmp_crypto *c, cmp_chain_result *out, cmp_span leaf,
                                        const cmp_span *untrusted, size_t num_untrusted,
                                        const cmp_span *anchors, size_t num_anchors,
                                        int64_t now);

/* ------------------------------------------------------------------------ */
/* Issuing certificates and CSRs (CA side, and EE p10cr)                    */
/* ------------------------------------------------------------------------ */

/* GeneralName types for subjectAltName, numbered as their RFC 5280 tags. */
typedef enum cmp_gn_type {
    CMP_GN_EMAIL = 1, /* rfc822Name, IA5String */
    CMP_GN_DNS = 2,   /* dNSName, IA5String */
    CMP_GN_URI = 6,   /* uniformResourceIdentifier, IA5String */
    CMP_GN_IP = 7     /* iPAddress: 4 or 16 octets */
} cmp_gn_type;

typedef struct cmp_general_name {
    cmp_gn_type type;
    cmp_span value; /* the string's characters or the address octets */
} cmp_general_name;

/* Requested extensions. Only those whose bit is in |exts| are encoded,
 * in the order of the CMP_EXT_* bits. basicConstraints and keyUsage are
 * marked critical (RFC 5280 sections 4.2.1.9 and 4.2.1.3), the others not
 * (subjectAltName is critical when the subject is empty). */
typedef struct cmp_cert_exts {
    uint32_t exts;                 /* CMP_EXT_* */
    int is_ca;                     /* basicConstraints cA */
    int path_len;                  /* pathLenConstraint, -1 for none */
    uint32_t key_usage;            /* CMP_KU_*, at least one bit */
    uint32_t ext_key_usage;        /* CMP_EKU_*, at least one bit */
    const cmp_general_name *san;   /* subjectAltName entries */
    size_t num_san;
    cmp_span ski;                  /* explicit SKI; empty: SHA-1 of the key */
} cmp_cert_exts;

/* A certificate to issue. AKI (when requested) is the issuer's SKI, or the
 * SHA-1 of the issuer's key when the issuer has none. */
typedef struct cmp_cert_template {
    cmp_span subject;   /* Name DER (may be an empty SEQUENCE with a SAN) */
    cmp_span spki;      /* SubjectPublicKeyInfo DER of the subject's key */
    cmp_span serial;    /* positive, big-endian, 1..20 octets, no leading zeros */
    int64_t not_before; /* UTCTime until 2049, GeneralizedTime from 2050 */
    int64_t not_after;
    cmp_cert_exts exts;
} cmp_cert_template;

/* cmp_crypto_cert_issue builds and signs an X.509 v3 certificate from |t|
 * with |ca_key|. |ca_cert| (DER) is the issuer's certificate; an empty span
 * makes a self-signed certificate (issuer = subject, |t->spki| must be
 * |ca_key|'s). |sig_alg| empty means cmp_crypto_sig_alg_default(CMP_HASH_NONE).
 * Errors: CMP_ERR_ARG (bad template), CMP_ERR_KEY_MISMATCH (|ca_key| is not
 * |ca_cert|'s), CMP_ERR_CERT_PARSE, and those of cmp_crypto_sign. */
CMP_API cmp_err cmp_crypto_cert_issue(cmp_crypto *c, cmp_buf *out, cmp_key *ca_key,
                                      cmp_span ca_cert, cmp_span sig_alg,
                                      const cmp_cert_template *t);

/* cmp_crypto_csr_build builds and signs a PKCS#10 CertificationRequest
 * (RFC 2986) for |key| with |subject| (Name DER) and, if |exts| is not NULL
 * and asks for any, an extensionRequest attribute (RFC 2985). */
CMP_API cmp_err cmp_crypto_csr_build(cmp_crypto *c, cmp_buf *out, cmp_key *key,
                                     cmp_span sig_alg, cmp_span subject,
                                     const cmp_cert_exts *exts);

/* What a PKCS#10 request carries; spans point into the parsed DER. */
typedef struct cmp_csr_info {
    cmp_span info;      /* CertificationRequestInfo TLV: the signed bytes */
    cmp_span subject;   /* Name TLV */
    cmp_span spki;      /* SubjectPublicKeyInfo TLV */
    cmp_span sig_alg;   /* signatureAlgorithm TLV */
    cmp_span signature; /* BIT STRING contents without the unused-bits octet */
    cmp_span extensions; /* Extensions TLV from extensionRequest, or empty */
} cmp_csr_info;

/* cmp_crypto_csr_parse parses a DER CertificationRequest. Errors:
 * CMP_ERR_CSR_PARSE. */
CMP_API cmp_err cmp_crypto_csr_parse(cmp_csr_info *out, cmp_span csr);

/* cmp_crypto_csr_verify parses |csr| and checks its self-signature (proof
 * of possession of a p10cr). Errors: CMP_ERR_CSR_PARSE, CMP_ERR_SIGNATURE,
 * and those of cmp_crypto_verify. */
CMP_API cmp_err cmp_crypto_csr_verify(cmp_crypto *c, cmp_span csr);

#ifdef __cplusplus
}
#endif

#endif /* CMP_CMP_CRYPTO_H */
