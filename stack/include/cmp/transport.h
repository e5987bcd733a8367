/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmp/transport.h: how the protocol code moves one request's bytes to a peer
 * and gets one response's bytes back (DESIGN.md rule 3).
 *
 * A transport never parses CMP. HTTP (cmp/http.h) is one implementation;
 * files, CoAP or a test double plug in by filling a cmp_transport_ops
 * (BearSSL-style vtable) and calling cmp_transport_new(). The in-memory
 * transport below hands each request to a callback, which lets tests script
 * responses and lets a client talk to a server in the same process.
 */
#ifndef CMP_TRANSPORT_H
#define CMP_TRANSPORT_H

#include <stddef.h>
#include <stdint.h>

#include "cmp/err.h"
#include "cmp/types.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The status a transport reports when the peer answered normally. HTTP
 * reports its status code; transports without one report this value. */
#define CMP_TRANSPORT_STATUS_OK 200

typedef struct cmp_transport cmp_transport;

/* What an implementation provides. |impl| is the pointer given to
 * cmp_transport_new().
 *
 * exchange sends |req| (|req_len| bytes) and receives one response. It
 * returns:
 *   CMP_OK: *out_rsp is a cmp_malloc'd buffer (non-NULL, even for a length
 *     of 0) of *out_rsp_len bytes; *out_status is CMP_TRANSPORT_STATUS_OK.
 *   CMP_ERR_HTTP_STATUS: the peer answered with another status, stored in
 *     *out_status (HTTP: the status code). If the answer carried a CMP
 *     message (HTTP: Content-Type application/pkixcmp), *out_rsp holds it as
 *     above, so that the caller can parse the CMP error message in it
 *     (RFC 6712bis section 3.1); otherwise *out_rsp is NULL.
 *   any other code: *out_rsp is NULL.
 * The wrapper cmp_transport_exchange() has already set the outputs to
 * NULL/0/0 before the call.
 *
 * close ends the current exchange sequence (one CMP transaction): HTTP drops
 * its kept-alive connection. May be NULL.
 *
 * free releases |impl|. May be NULL. */
typedef struct cmp_transport_ops {
    cmp_err (*exchange)(void *impl, uint8_t **out_rsp, size_t *out_rsp_len, int *out_status,
                        const uint8_t *req, size_t req_len);
    void (*close)(void *impl);
    void (*free)(void *impl);
} cmp_transport_ops;

/* A request handler: the server side of an exchange. It gets the request
 * path (HTTP: the path of the request target, without query; in-memory: the
 * path given to cmp_transport_mem_new) and the request bytes, both borrowed
 * for the call. *status is preset to 200 and *rsp to NULL, *rsp_len to 0.
 * On CMP_OK the handler may set *status (200..599, but not 204 or 304:
 * HTTP frames those without a body) and may set *rsp to a
 * cmp_malloc'd response of *rsp_len bytes, which the caller then owns.
 * On failure the caller frees *rsp if set; an HTTP server answers 500.
 * cmp_http_server calls it from several threads at once (see cmp/http.h). */
typedef cmp_err (*cmp_transport_handler_fn)(void *arg, const char *path, const uint8_t *req,
                                            size_t req_len, uint8_t **rsp, size_t *rsp_len,
                                            int *status);

/* cmp_transport_new wraps an implementation. |ops| must stay valid for the
 * life of the transport (usually a static const table). On success *out
 * owns |impl| (ops->free releases it in cmp_transport_free); on failure
 * *out is NULL and |impl| still belongs to the caller. */
CMP_API cmp_err cmp_transport_new(cmp_transport **out, const cmp_transport_ops *ops, void *impl);

/* cmp_transport_exchange sends one request and receives one response; see
 * cmp_transport_ops.exchange for the results and who owns *out_rsp (free it
 * with cmp_free). |out_status| may be NULL. */
CMP_API cmp_err cmp_transport_exchange(cmp_transport *t, uint8_t **out_rsp, size_t *out_rsp_len,
                                       int *out_status, const uint8_t *req, size_t req_len);

/* cmp_transport_close ends the exchange sequence of one transaction (HTTP:
 * closes a kept-alive connection). The transport stays usable. NULL is
 * fine. */
CMP_API void cmp_transport_close(cmp_transport *t);

/* cmp_transport_free closes and releases |t|. NULL is fine. */
CMP_API void cmp_transport_free(cmp_transport *t);

/* cmp_transport_mem_new makes an in-memory transport: each exchange calls
 * |fn(arg, path, req, ...)| in the calling thread. |path| (copied) defaults
 * to "/.well-known/cmp" when NULL. The results follow the HTTP mapping:
 * a handler error is returned as is (so a script can simulate
 * CMP_ERR_TIMEOUT and friends); status 200 gives CMP_OK with the response
 * (an empty buffer when the handler set none); any other status gives
 * CMP_ERR_HTTP_STATUS with the handler's response, if any. |arg| stays the
 * caller's. On success *out must be released with cmp_transport_free. */
CMP_API cmp_err cmp_transport_mem_new(cmp_transport **out, cmp_transport_handler_fn fn,
                                      void *arg, const char *path);

#ifdef __cplusplus
}
#endif

#endif /* CMP_TRANSPORT_H */
