/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmp/mem.h: the one allocator seam of the library.
 *
 * Every allocation, including those of the asn1c runtime (patched by
 * asn1/patches/skel-*), goes through cmp_malloc/calloc/realloc/free. An
 * application may install its own allocator once, before any other call.
 */
#ifndef CMP_MEM_H
#define CMP_MEM_H

#include <stddef.h>
#include "cmp/types.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct cmp_allocator {
    void *(*malloc_fn)(void *arg, size_t size);
    void *(*realloc_fn)(void *arg, void *ptr, size_t size);
    void (*free_fn)(void *arg, void *ptr);
    void *arg;
} cmp_allocator;

/* cmp_set_allocator installs |a| (copied), or restores the C library's
 * allocator when |a| is NULL. Not thread-safe: call it before anything else. */
CMP_API void cmp_set_allocator(const cmp_allocator *a);

CMP_API void *cmp_malloc(size_t size);
/* cmp_calloc returns zeroed memory, or NULL on overflow of n * size. */
CMP_API void *cmp_calloc(size_t n, size_t size);
CMP_API void *cmp_realloc(void *ptr, size_t size);
CMP_API void cmp_free(void *ptr);

/* cmp_wipe clears |len| bytes at |p| in a way the compiler cannot drop. */
CMP_API void cmp_wipe(void *p, size_t len);

/* cmp_ct_eq compares in constant time; returns 1 when equal, 0 otherwise. */
CMP_API int cmp_ct_eq(const void *a, const void *b, size_t len);

/* cmp_buf_cleanup frees |b->data| (wiping it) and zeroes |b|. NULL is fine. */
CMP_API void cmp_buf_cleanup(cmp_buf *b);

#ifdef __cplusplus
}
#endif

#endif /* CMP_MEM_H */
