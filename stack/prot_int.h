/* SPDX-License-Identifier: Apache-2.0 */
/*
 * stack/prot_int.h: message protection, shared by the client and the server
 * (RFC 4210 section 5.1.3, RFC 9483 sections 3.1-3.3, RFC 9481).
 *
 * Sending: cmp_prot_hdr_make() decides the header fields that depend on the
 * credentials (sender, senderKID, protectionAlg); the caller copies them into
 * its cmp_hdr_spec with cmp_prot_hdr_apply(), builds the message and its
 * body, then calls cmp_prot_protect(), which signs or MACs the ProtectedPart
 * and appends extraCerts.
 *
 * Receiving: cmp_prot_verify() checks the protection of a decoded message
 * over its raw ProtectedPart bytes, finds and validates the protecting
 * certificate and checks the header's sender against it. Every failure has
 * its own cmp_err code.
 *
 * This file is protocol logic only: it reaches messages through cmp/msg.h and
 * cryptography through cmp_crypto.h (DESIGN.md rule 4).
 */
#ifndef CMP_PROT_INT_H
#define CMP_PROT_INT_H

#include <stddef.h>
#include <stdint.h>

#include "cmp/msg.h"
#include "cmp_crypto.h"
#include "compat.h"

typedef enum cmp_prot_kind {
    CMP_PROT_NONE = 0, /* unprotected (only ever accepted by explicit policy) */
    CMP_PROT_SIG = 1,  /* signature, RFC 9483 section 3.2 */
    CMP_PROT_MAC = 2   /* PBM or PBMAC1, RFC 9481 section 6.1 */
} cmp_prot_kind;

/* What protects our outgoing messages. Everything is borrowed: it must
 * outlive every call that gets the struct. */
typedef struct cmp_prot_cred {
    cmp_prot_kind kind;
    /* signature */
    cmp_key *key;           /* the private key of |cert| */
    cmp_span cert;          /* protecting certificate, DER */
    const cmp_span *chain;  /* its chain for extraCerts, without the root */
    size_t num_chain;
    cmp_hash_alg digest;    /* CMP_HASH_NONE: the key's default */
    unsigned sig_flags;     /* CMP_SIG_RSA_PSS */
    /* MAC */
    cmp_span secret;        /* the shared secret */
    cmp_span ref;           /* reference value: senderKID */
    const cmp_mac_params *mac; /* NULL: PBMAC1 defaults */
    /* MAC: the directoryName used as sender (DER Name); empty: empty Name.
     * Signature: ignored (the sender is the certificate's subject). */
    cmp_span sender_name;
} cmp_prot_cred;

/* The header fields that protection decides. Owns its buffers. */
typedef struct cmp_prot_hdr {
    cmp_buf sender;  /* GeneralName DER */
    cmp_buf alg;     /* protectionAlg DER (empty for CMP_PROT_NONE) */
    cmp_buf kid;     /* senderKID (empty: omitted) */
} cmp_prot_hdr;

/* cmp_prot_hdr_make fills |out| for |cred|: for a signature, sender = the
 * certificate's subject, senderKID = its subjectKeyIdentifier when present,
 * protectionAlg = the signature algorithm for the key and digest; for a MAC,
 * sender = directoryName(|cred->sender_name|), senderKID = the reference,
 * protectionAlg = PBM/PBMAC1 with a fresh salt. Release |out| with
 * cmp_prot_hdr_cleanup, also after a failure. */
CMP_MUST_CHECK cmp_err cmp_prot_hdr_make(cmp_crypto *c, cmp_prot_hdr *out,
                                         const cmp_prot_cred *cred);

/* cmp_prot_hdr_apply points the matching fields of |hdr| at |ph|. */
void cmp_prot_hdr_apply(const cmp_prot_hdr *ph, cmp_hdr_spec *hdr);

/* cmp_prot_hdr_cleanup frees |ph| and zeroes it. NULL is fine. */
void cmp_prot_hdr_cleanup(cmp_prot_hdr *ph);

/* cmp_prot_protect computes the protection of the built message |m| over
 * cmp_msg_protected_part() with the protectionAlg already in its header,
 * sets it, and, when |with_certs| is set and the protection is a signature,
 * appends the protecting certificate and then its chain to extraCerts
 * (RFC 9483 section 3.3). For CMP_PROT_NONE it does nothing. */
CMP_MUST_CHECK cmp_err cmp_prot_protect(cmp_crypto *c, cmp_msg *m, const cmp_prot_cred *cred,
                                        int with_certs);

/* How to check a received message. Everything is borrowed. */
typedef struct cmp_prot_policy {
    const cmp_span *anchors;    /* trust anchors for the protecting cert */
    size_t num_anchors;
    const cmp_span *untrusted;  /* extra intermediates (besides extraCerts) */
    size_t num_untrusted;
    cmp_span pinned;            /* trusted directly as the protecting cert */
    cmp_span secret;            /* shared secret for MAC protection; empty:
                                   MAC-protected messages are refused */
    cmp_span expected_sender;   /* DER Name; empty: no extra check */
    int ignore_key_usage;       /* 1: skip the digitalSignature check */
    /* 1: a missing or invalid protection is tolerated (the caller sets this
     * only for the message kinds its lenience switch covers). */
    int allow_unprotected;
    int64_t now;                /* the caller's clock, for path validation */
} cmp_prot_policy;

/* What cmp_prot_verify found. Spans point into the message or the policy's
 * certificates. */
typedef struct cmp_prot_result {
    cmp_prot_kind kind;    /* CMP_PROT_NONE: accepted through allow_unprotected */
    cmp_err tolerated;     /* with CMP_PROT_NONE: what was wrong (or
                              CMP_ERR_PROTECTION_MISSING) */
    cmp_span signer;       /* CMP_PROT_SIG: the protecting certificate */
    cmp_err chain_err;     /* on CMP_ERR_SIGNER_UNTRUSTED: the path error */
    size_t anchor;         /* CMP_PROT_SIG: index in anchors (or SIZE_MAX
                              when the pinned certificate was used) */
} cmp_prot_result;

/* cmp_prot_verify checks the protection of the decoded message |m| over its
 * raw ProtectedPart (never a re-encoding):
 *   no protection             CMP_ERR_PROTECTION_MISSING
 *   unknown protectionAlg     CMP_ERR_PROTECTION_ALG
 *   MAC without our secret    CMP_ERR_WRONG_INTEGRITY
 *   MAC does not verify       CMP_ERR_PROTECTION_INVALID
 *   iteration count too high  CMP_ERR_ITERATIONS
 *   no candidate certificate  CMP_ERR_SIGNER_NOT_FOUND
 *   signature does not verify CMP_ERR_PROTECTION_INVALID
 *   keyUsage without digitalSignature  CMP_ERR_KEY_USAGE
 *   path to no anchor         CMP_ERR_SIGNER_UNTRUSTED (|out->chain_err| says why)
 *   sender != cert subject    CMP_ERR_SENDER
 *   sender != expected        CMP_ERR_SENDER
 * With |pol->allow_unprotected|, a missing or invalid protection gives
 * CMP_OK with |out->kind| CMP_PROT_NONE and |out->tolerated| set. */
CMP_MUST_CHECK cmp_err cmp_prot_verify(cmp_crypto *c, cmp_prot_result *out, const cmp_msg *m,
                                       const cmp_prot_policy *pol);

#endif /* CMP_PROT_INT_H */
