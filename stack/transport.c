/* SPDX-License-Identifier: Apache-2.0 */
/*
 * stack/transport.c: the transport interface (cmp/transport.h) and the
 * in-memory transport. Plain C: no sockets, so it builds for every target,
 * including those without the HTTP transport.
 *
 * The wrapper enforces the interface's ownership rules in one place, so that
 * protocol code can rely on them whatever implementation sits below.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "cmp/mem.h"
#include "cmp/transport.h"
#include "err_int.h"

struct cmp_transport {
    const cmp_transport_ops *ops;
    void *impl;
};

/* see cmp/transport.h */
cmp_err cmp_transport_new(cmp_transport **out, const cmp_transport_ops *ops, void *impl)
{
    cmp_transport *t;

    CMP_ENSURE(out != NULL, CMP_ERR_ARG);
    *out = NULL;
    CMP_ENSURE(ops != NULL && ops->exchange != NULL, CMP_ERR_ARG);
    t = cmp_calloc(1, sizeof(*t));
    CMP_ENSURE(t != NULL, CMP_ERR_NOMEM);
    t->ops = ops;
    t->impl = impl;
    *out = t;
    return CMP_OK;
}

/* see cmp/transport.h */
cmp_err cmp_transport_exchange(cmp_transport *t, uint8_t **out_rsp, size_t *out_rsp_len,
                               int *out_status, const uint8_t *req, size_t req_len)
{
    int status = 0;
    cmp_err err;

    CMP_ENSURE(out_rsp != NULL && out_rsp_len != NULL, CMP_ERR_ARG);
    *out_rsp = NULL;
    *out_rsp_len = 0;
    if (out_status != NULL) {
        *out_status = 0;
    }
    CMP_ENSURE(t != NULL && (req != NULL || req_len == 0), CMP_ERR_ARG);

    err = t->ops->exchange(t->impl, out_rsp, out_rsp_len, &status, req, req_len);
    /* Hold every implementation to the contract: a buffer only with
     * CMP_OK or CMP_ERR_HTTP_STATUS, and always one with CMP_OK. */
    if (err != CMP_OK && err != CMP_ERR_HTTP_STATUS && *out_rsp != NULL) {
        cmp_free(*out_rsp);
        *out_rsp = NULL;
    }
    if (*out_rsp == NULL) {
        *out_rsp_len = 0;
    }
    if (err == CMP_OK && *out_rsp == NULL) {
        err = CMP_ERR_INTERNAL;
    }
    if (out_status != NULL) {
        *out_status = status;
    }
    if (err != CMP_OK) {
        CMP_TRACE_(err);
    }
    return err;
}

/* see cmp/transport.h */
void cmp_transport_close(cmp_transport *t)
{
    if (t != NULL && t->ops->close != NULL) {
        t->ops->close(t->impl);
    }
}

/* see cmp/transport.h */
void cmp_transport_free(cmp_transport *t)
{
    if (t == NULL) {
        return;
    }
    cmp_transport_close(t);
    if (t->ops->free != NULL) {
        t->ops->free(t->impl);
    }
    cmp_free(t);
}

/* --- the in-memory transport ---------------------------------------------- */

#define MEM_DEFAULT_PATH "/.well-known/cmp"

typedef struct mem_transport {
    cmp_transport_handler_fn fn;
    void *arg;
    char *path;
} mem_transport;

static cmp_err mem_exchange(void *impl, uint8_t **out_rsp, size_t *out_rsp_len, int *out_status,
                            const uint8_t *req, size_t req_len)
{
    mem_transport *m = impl;
    uint8_t *rsp = NULL;
    size_t rsp_len = 0;
    int status = CMP_TRANSPORT_STATUS_OK;
    cmp_err err = CMP_ERR_INTERNAL;

    err = m->fn(m->arg, m->path, req, req_len, &rsp, &rsp_len, &status);
    CMP_ENSURE_OUT(err == CMP_OK, err);
    if (rsp == NULL) {
        rsp_len = 0;
    }
    *out_status = status;
    if (status != CMP_TRANSPORT_STATUS_OK) {
        /* Hand over whatever body came with the status, as HTTP does. */
        *out_rsp = rsp;
        *out_rsp_len = rsp_len;
        rsp = NULL;
        CMP_FAIL_OUT(CMP_ERR_HTTP_STATUS);
    }
    if (rsp == NULL) {
        rsp = cmp_malloc(1);
        CMP_ENSURE_OUT(rsp != NULL, CMP_ERR_NOMEM);
    }
    *out_rsp = rsp;
    *out_rsp_len = rsp_len;
    rsp = NULL;
    err = CMP_OK;
out:
    cmp_free(rsp);
    return err;
}

static void mem_free(void *impl)
{
    mem_transport *m = impl;

    if (m != NULL) {
        cmp_free(m->path);
        cmp_free(m);
    }
}

static const cmp_transport_ops mem_ops = {mem_exchange, NULL, mem_free};

/* see cmp/transport.h */
cmp_err cmp_transport_mem_new(cmp_transport **out, cmp_transport_handler_fn fn, void *arg,
                              const char *path)
{
    mem_transport *m = NULL;
    size_t path_len;
    cmp_err err = CMP_ERR_INTERNAL;

    CMP_ENSURE(out != NULL, CMP_ERR_ARG);
    *out = NULL;
    CMP_ENSURE(fn != NULL, CMP_ERR_ARG);
    if (path == NULL) {
        path = MEM_DEFAULT_PATH;
    }
    path_len = strlen(path);
    m = cmp_calloc(1, sizeof(*m));
    CMP_ENSURE_OUT(m != NULL, CMP_ERR_NOMEM);
    m->path = cmp_malloc(path_len + 1);
    CMP_ENSURE_OUT(m->path != NULL, CMP_ERR_NOMEM);
    memcpy(m->path, path, path_len + 1);
    m->fn = fn;
    m->arg = arg;
    CMP_TRY_OUT(cmp_transport_new(out, &mem_ops, m));
    m = NULL;
out:
    mem_free(m);
    return err;
}
