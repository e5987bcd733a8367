/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmp/types.h: small value types shared by every public header.
 *
 * A cmp_span is a borrowed view of bytes: it never owns them. Every function
 * that returns one says how long the bytes stay valid (usually until the
 * message they point into is freed).
 */
#ifndef CMP_TYPES_H
#define CMP_TYPES_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__) || defined(__clang__)
#define CMP_API __attribute__((visibility("default")))
#else
#define CMP_API
#endif

/* A view of bytes owned by someone else. */
typedef struct cmp_span {
    const uint8_t *data;
    size_t len;
} cmp_span;

/* Bytes owned by whoever holds the struct; release with cmp_buf_cleanup(). */
typedef struct cmp_buf {
    uint8_t *data;
    size_t len;
} cmp_buf;

/* Sizes fixed by RFC 4210 section 5.1.1 and RFC 9483 section 3.1:
 * transactionID and nonces are 128 bits. */
#define CMP_TID_LEN 16
#define CMP_NONCE_LEN 16

#ifdef __cplusplus
}
#endif

#endif /* CMP_TYPES_H */
