/* SPDX-License-Identifier: Apache-2.0 */
/*
 * stack/mem.c: the allocator seam (STYLE.md section 5). The only file of the
 * library, besides the wolfSSL binding and the transport, that includes
 * <stdlib.h>.
 *
 * The allocator hook is the one piece of process-wide state: it is set once
 * at start-up, like wolfSSL's XMALLOC or BoringSSL's OPENSSL_malloc.
 */
#include <stdlib.h>
#include <string.h>

#include "cmp/mem.h"

static void *libc_malloc(void *arg, size_t size)
{
    (void)arg;
    return malloc(size);
}

static void *libc_realloc(void *arg, void *ptr, size_t size)
{
    (void)arg;
    return realloc(ptr, size);
}

static void libc_free(void *arg, void *ptr)
{
    (void)arg;
    free(ptr);
}

static cmp_allocator g_alloc = {libc_malloc, libc_realloc, libc_free, NULL};

/* see cmp/mem.h */
void cmp_set_allocator(const cmp_allocator *a)
{
    if (a == NULL || a->malloc_fn == NULL || a->realloc_fn == NULL || a->free_fn == NULL) {
        g_alloc.malloc_fn = libc_malloc;
        g_alloc.realloc_fn = libc_realloc;
        g_alloc.free_fn = libc_free;
        g_alloc.arg = NULL;
        return;
    }
    g_alloc = *a;
}

/* see cmp/mem.h */
void *cmp_malloc(size_t size)
{
    return g_alloc.malloc_fn(g_alloc.arg, size == 0 ? 1 : size);
}

/* see cmp/mem.h */
void *cmp_calloc(size_t n, size_t size)
{
    void *p;

    if (size != 0 && n > SIZE_MAX / size) {
        return NULL;
    }
    p = cmp_malloc(n * size);
    if (p != NULL) {
        memset(p, 0, n * size);
    }
    return p;
}

/* see cmp/mem.h */
void *cmp_realloc(void *ptr, size_t size)
{
    return g_alloc.realloc_fn(g_alloc.arg, ptr, size == 0 ? 1 : size);
}

/* see cmp/mem.h */
void cmp_free(void *ptr)
{
    if (ptr != NULL) {
        g_alloc.free_fn(g_alloc.arg, ptr);
    }
}

/* see cmp/mem.h */
void cmp_wipe(void *p, size_t len)
{
    /* A volatile function pointer keeps the compiler from proving the
     * memset dead (the technique of OpenSSL's OPENSSL_cleanse). */
    static void *(*const volatile memset_v)(void *, int, size_t) = memset;

    if (p != NULL && len != 0) {
        memset_v(p, 0, len);
    }
}

/* see cmp/mem.h */
int cmp_ct_eq(const void *a, const void *b, size_t len)
{
    const volatile unsigned char *x = a;
    const volatile unsigned char *y = b;
    unsigned char acc = 0;
    size_t i;

    for (i = 0; i < len; i++) {
        acc |= (unsigned char)(x[i] ^ y[i]);
    }
    return acc == 0;
}

/* see cmp/mem.h */
void cmp_buf_cleanup(cmp_buf *b)
{
    if (b == NULL) {
        return;
    }
    if (b->data != NULL) {
        cmp_wipe(b->data, b->len);
        cmp_free(b->data);
    }
    b->data = NULL;
    b->len = 0;
}
