/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmp/config.h: compile-time features and limits (STYLE.md section 10).
 *
 * Every limit can be overridden with -D at build time; a port to a small
 * device lowers them. Inconsistent choices stop the build.
 */
#ifndef CMP_CONFIG_H
#define CMP_CONFIG_H

/* Largest PKIMessage accepted or produced, in bytes. */
#ifndef CMP_MAX_MSG_LEN
#define CMP_MAX_MSG_LEN (1024u * 1024u)
#endif

/* Deepest nesting of constructed DER elements in a PKIMessage. A message
 * with a certificate inside a response nests about 20 deep. */
#ifndef CMP_MAX_DER_DEPTH
#define CMP_MAX_DER_DEPTH 40u
#endif

/* C stack the asn1c decoder may use (its max_stack_size guard), bytes. */
#ifndef CMP_MAX_DECODER_STACK
#define CMP_MAX_DECODER_STACK 30000u
#endif

/* Most certificates in extraCerts or caPubs. */
#ifndef CMP_MAX_CERTS
#define CMP_MAX_CERTS 32u
#endif

/* Longest total polling time a client accepts, in seconds (RFC 4210
 * section 5.3.22 leaves the bound to the implementation). */
#ifndef CMP_MAX_POLL_SECONDS
#define CMP_MAX_POLL_SECONDS (7u * 24u * 3600u)
#endif

/* Highest PBM / PBKDF2 iteration count accepted from a peer. */
#ifndef CMP_MAX_ITERATIONS
#define CMP_MAX_ITERATIONS 100000u
#endif

#if CMP_MAX_DER_DEPTH < 16
#error "CMP_MAX_DER_DEPTH below 16 rejects ordinary certificates"
#endif
#if CMP_MAX_MSG_LEN < 4096
#error "CMP_MAX_MSG_LEN below 4096 rejects ordinary messages"
#endif

#endif /* CMP_CONFIG_H */
