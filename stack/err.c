/* SPDX-License-Identifier: Apache-2.0 */
/*
 * stack/err.c: names, sentences and PKIFailureInfo bits of cmp_err, all
 * drawn from the one list in cmp/err.h (BearSSL tools/errors.c style).
 */
#include <stddef.h>

#include "cmp/err.h"
#include "err_int.h"

typedef struct err_entry {
    cmp_err code;
    int failinfo;
    const char *name;
    const char *text;
} err_entry;

#define ERR_ENTRY_(name, value, fi, text) {name, fi, #name, text},
static const err_entry err_table[] = {CMP_ERR_LIST(ERR_ENTRY_)};
#undef ERR_ENTRY_

#define NUM_ERRS (sizeof(err_table) / sizeof(err_table[0]))

/* RFC 4210 section 5.2.3 (and RFC 9810 section 5.2.3): PKIFailureInfo. */
static const char *const failinfo_names[CMP_FI_MAX + 1] = {
    "badAlg", "badMessageCheck", "badRequest", "badTime", "badCertId",
    "badDataFormat", "wrongAuthority", "incorrectData", "missingTimeStamp",
    "badPOP", "certRevoked", "certConfirmed", "wrongIntegrity",
    "badRecipientNonce", "timeNotAvailable", "unacceptedPolicy",
    "unacceptedExtension", "addInfoNotAvailable", "badSenderNonce",
    "badCertTemplate", "signerNotTrusted", "transactionIdInUse",
    "unsupportedVersion", "notAuthorized", "systemUnavail", "systemFailure",
    "duplicateCertReq",
};

static const err_entry *find(cmp_err e)
{
    size_t i;

    for (i = 0; i < NUM_ERRS; i++) {
        if (err_table[i].code == e) {
            return &err_table[i];
        }
    }
    return NULL;
}

/* see cmp/err.h */
const char *cmp_err_name(cmp_err e)
{
    const err_entry *x = find(e);
    return x != NULL ? x->name : "CMP_ERR_UNKNOWN";
}

/* see cmp/err.h */
const char *cmp_err_str(cmp_err e)
{
    const err_entry *x = find(e);
    return x != NULL ? x->text : "unknown error code";
}

/* see cmp/err.h */
cmp_err_class cmp_err_class_of(cmp_err e)
{
    int v = (int)e;

    if (v == 0) {
        return CMP_ERRC_OK;
    }
    if (v < 0 && v > -100) {
        return CMP_ERRC_USAGE;
    }
    if (v <= -100 && v > -200) {
        return CMP_ERRC_ALLOC;
    }
    if (v <= -200 && v > -300) {
        return CMP_ERRC_IO;
    }
    if (v <= -300 && v > -400) {
        return CMP_ERRC_PROTO;
    }
    if (v <= -400 && v > -500) {
        return CMP_ERRC_CRYPTO;
    }
    return CMP_ERRC_INTERNAL;
}

/* see cmp/err.h */
int cmp_err_failinfo(cmp_err e)
{
    const err_entry *x = find(e);
    return x != NULL ? x->failinfo : CMP_FI_SYSTEM_FAILURE;
}

/* see cmp/err.h */
const char *cmp_failinfo_name(int bit)
{
    if (bit < 0 || bit > CMP_FI_MAX) {
        return NULL;
    }
    return failinfo_names[bit];
}

/* see cmp/err.h */
size_t cmp_err_count(void)
{
    return NUM_ERRS;
}

/* see cmp/err.h */
cmp_err cmp_err_at(size_t i)
{
    return i < NUM_ERRS ? err_table[i].code : CMP_ERR_INTERNAL;
}

#ifdef CMP_TRACE
/* see err_int.h. Tracing goes to a hook so that the library never prints;
 * without a hook it does nothing. */
static cmp_err_trace_fn g_trace_fn;

void cmp_err_set_trace(cmp_err_trace_fn fn)
{
    g_trace_fn = fn;
}

void cmp_err_trace(int code, const char *file, int line)
{
    if (g_trace_fn != NULL && code != 0) {
        g_trace_fn(code, file, line);
    }
}
#endif
