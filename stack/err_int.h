/* SPDX-License-Identifier: Apache-2.0 */
/*
 * stack/err_int.h: the error macros of the hand-written layer, modelled on
 * s2n-tls's GUARD/ENSURE/BAIL (STYLE.md section 4).
 *
 *   CMP_TRY(call)          return the call's error if it failed
 *   CMP_ENSURE(cond, code) return |code| unless |cond| holds
 *   CMP_FAIL(code)         return |code|
 *
 * The _OUT twins set the local |err| and jump to the function's |out:| label,
 * for functions that own resources. Every failure passes through
 * cmp_err_trace(), which records file and line when configured with
 * --enable-trace and is empty otherwise.
 */
#ifndef CMP_ERR_INT_H
#define CMP_ERR_INT_H

#include "cmp/err.h"
#include "compat.h"

#ifdef CMP_TRACE
typedef void (*cmp_err_trace_fn)(int code, const char *file, int line);
/* cmp_err_set_trace installs a process-wide trace hook (debug builds only). */
CMP_API void cmp_err_set_trace(cmp_err_trace_fn fn);
void cmp_err_trace(int code, const char *file, int line);
#define CMP_TRACE_(code) cmp_err_trace((int)(code), __FILE__, __LINE__)
#else
#define CMP_TRACE_(code) ((void)0)
#endif

#define CMP_TRY(call)                  \
    do {                               \
        cmp_err try_err_ = (call);     \
        if (try_err_ != CMP_OK) {      \
            CMP_TRACE_(try_err_);      \
            return try_err_;           \
        }                              \
    } while (0)

#define CMP_ENSURE(cond, code)         \
    do {                               \
        if (!(cond)) {                 \
            CMP_TRACE_(code);          \
            return (code);             \
        }                              \
    } while (0)

#define CMP_FAIL(code)                 \
    do {                               \
        CMP_TRACE_(code);              \
        return (code);                 \
    } while (0)

#define CMP_TRY_OUT(call)              \
    do {                               \
        err = (call);                  \
        if (err != CMP_OK) {           \
            CMP_TRACE_(err);           \
            goto out;                  \
        }                              \
    } while (0)

#define CMP_ENSURE_OUT(cond, code)     \
    do {                               \
        if (!(cond)) {                 \
            err = (code);              \
            CMP_TRACE_(err);           \
            goto out;                  \
        }                              \
    } while (0)

#define CMP_FAIL_OUT(code)             \
    do {                               \
        err = (code);                  \
        CMP_TRACE_(err);               \
        goto out;                      \
    } while (0)

#endif /* CMP_ERR_INT_H */
