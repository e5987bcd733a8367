/* SPDX-License-Identifier: Apache-2.0 */
/*
 * crypto/chain.c: certification path validation (RFC 5280 section 6,
 * without policies and name constraints) at a time the caller supplies.
 * Provider-independent: every signature is checked through the provider.
 *
 * The path is built from the leaf upwards. A candidate issuer has the
 * issuer's name as its subject (byte-exact DER, RFC 5280 section 7.1 lets
 * implementations compare names in binary) and, when both carry key
 * identifiers, an SKI equal to the AKI. Candidates are tried in order:
 * trust anchors first, then the untrusted certificates; a failed candidate
 * does not end the search. The error reported is that of the attempt that
 * got deepest, so "the intermediate is expired" wins over "no issuer found
 * for the leaf" when both were seen.
 *
 * Decisions recorded here:
 * - Trust anchors are certificates; their validity period is checked too
 *   (as OpenSSL does), their own signature is not.
 * - A v1/v2 anchor may issue (old self-signed roots); a v1/v2 intermediate
 *   may not (RFC 5280 section 6.1.4 (k) allows rejecting them all).
 * - An issuer whose keyUsage lacks keyCertSign fails with CMP_ERR_KEY_USAGE.
 * - Self-issued intermediates count against pathLenConstraint (stricter
 *   than RFC 5280 section 6.1.4 (l); we never issue such chains).
 * - Unknown critical extensions fail with CMP_ERR_CHAIN_CRITICAL_EXT.
 */
#include <string.h>

#include "crypto_int.h"

/* A bound on signature checks per validation, so that many certificates
 * with the same name cannot make the search expensive. */
#define CHAIN_MAX_SIG_CHECKS 64
/* A bound on the recursion whatever the caller's max_chain_len. */
#define CHAIN_HARD_MAX_LEN 32

typedef struct chain_ctx {
    cmp_crypto *c;
    int64_t now;
    size_t max_len;
    cmp_x509_cert *untrusted;
    int *usable;   /* per untrusted: parsed and not on the current path */
    size_t num_untrusted;
    cmp_x509_cert *anchors;
    size_t num_anchors;
    unsigned sig_checks_left;
    int have_best;
    cmp_err best;
    size_t best_depth;
    cmp_chain_result res;
} chain_ctx;

static void record(chain_ctx *x, cmp_err e, size_t depth)
{
    if (!x->have_best || depth > x->best_depth) {
        x->have_best = 1;
        x->best = e;
        x->best_depth = depth;
    }
}

/* check_self: what a certificate must satisfy on its own.
 * = https://www.rfc-editor.org/rfc/rfc5280#section-6.1.3
 * # (2)  The certificate validity period includes the current time. */
static cmp_err check_self(const cmp_x509_cert *x, int64_t now)
{
    CMP_ENSURE(now >= x->info.not_before, CMP_ERR_CHAIN_NOT_YET_VALID);
    CMP_ENSURE(now <= x->info.not_after, CMP_ERR_CHAIN_EXPIRED);
    /* = https://www.rfc-editor.org/rfc/rfc5280#section-4.2
     * # A certificate-using system MUST reject the certificate if it encounters
     * # a critical extension it does not recognize */
    CMP_ENSURE(!x->unknown_critical, CMP_ERR_CHAIN_CRITICAL_EXT);
    return CMP_OK;
}

/* check_ca: may |x| issue certificates, |below| intermediates under it?
 * = https://www.rfc-editor.org/rfc/rfc5280#section-6.1.4
 * # (k)  If certificate i is a version 3 certificate, verify that the
 * # basicConstraints extension is present and that cA is set to
 * # TRUE.
 * # (n)  If a key usage extension is present, verify that the
 * # keyCertSign bit is set. */
static cmp_err check_ca(const cmp_x509_cert *x, size_t below, int is_anchor)
{
    const cmp_cert_info *ci = &x->info;

    if (ci->version == 3 || !is_anchor) {
        CMP_ENSURE(ci->version == 3 && (ci->exts & CMP_EXT_BASIC_CONSTRAINTS) && ci->is_ca,
                   CMP_ERR_CHAIN_NOT_CA);
    }
    if (ci->exts & CMP_EXT_KEY_USAGE) {
        CMP_ENSURE(ci->key_usage & CMP_KU_KEY_CERT_SIGN, CMP_ERR_KEY_USAGE);
    }
    /* (l), (m): pathLenConstraint bounds the intermediates below. */
    CMP_ENSURE(ci->path_len < 0 || below <= (size_t)ci->path_len, CMP_ERR_CHAIN_TOO_LONG);
    return CMP_OK;
}

/* names_chain: is |iss| a candidate issuer of |sub|? */
static int names_chain(const cmp_x509_cert *iss, const cmp_x509_cert *sub)
{
    if (!cmp_cder_span_eq(iss->info.subject, sub->info.issuer)) {
        return 0;
    }
    if (sub->info.aki.len > 0 && iss->info.ski.len > 0) {
        return cmp_cder_span_eq(sub->info.aki, iss->info.ski);
    }
    return 1;
}

/* try_issuer checks |iss| at depth |d| as the issuer of |sub| (depth d-1):
 * the signature first (a candidate whose key does not verify is not the
 * issuer, whatever else is wrong with it), then its own state. */
static cmp_err try_issuer(chain_ctx *x, const cmp_x509_cert *iss, const cmp_x509_cert *sub,
                          size_t d, int is_anchor)
{
    cmp_err e;

    if (x->sig_checks_left == 0) {
        record(x, CMP_ERR_CHAIN_UNKNOWN_ISSUER, d - 1);
        CMP_FAIL(CMP_ERR_CHAIN_UNKNOWN_ISSUER);
    }
    x->sig_checks_left--;
    e = cmp_crypto_verify(x->c, iss->info.spki, sub->info.sig_alg, sub->info.tbs,
                          sub->info.signature);
    if (e != CMP_OK) {
        e = e == CMP_ERR_SIGNATURE ? CMP_ERR_CHAIN_BAD_SIG : e;
        record(x, e, d - 1);
        return e;
    }
    e = check_self(iss, x->now);
    if (e == CMP_OK) {
        e = check_ca(iss, d - 1, is_anchor);
    }
    if (e != CMP_OK) {
        record(x, e, d);
    }
    return e;
}

static cmp_err build(chain_ctx *x, const cmp_x509_cert *cur, size_t depth);

/* try_untrusted tries untrusted certificate |i| as the issuer at depth d. */
static cmp_err try_untrusted(chain_ctx *x, size_t i, const cmp_x509_cert *cur, size_t d)
{
    cmp_err e;

    /* The path needs an anchor above this one: d + 2 certificates at least. */
    if (d + 2 > x->max_len) {
        record(x, CMP_ERR_CHAIN_TOO_LONG, d);
        CMP_FAIL(CMP_ERR_CHAIN_TOO_LONG);
    }
    CMP_TRY(try_issuer(x, &x->untrusted[i], cur, d, 0));
    x->usable[i] = 0;
    e = build(x, &x->untrusted[i], d);
    x->usable[i] = 1;
    return e;
}

/* build finds a path from |cur| (at |depth|, already checked) to an anchor. */
static cmp_err build(chain_ctx *x, const cmp_x509_cert *cur, size_t depth)
{
    size_t i;
    int found = 0;

    for (i = 0; i < x->num_anchors; i++) {
        if (!names_chain(&x->anchors[i], cur)) {
            continue;
        }
        found = 1;
        if (depth + 2 > x->max_len) {
            record(x, CMP_ERR_CHAIN_TOO_LONG, depth + 1);
        } else if (try_issuer(x, &x->anchors[i], cur, depth + 1, 1) == CMP_OK) {
            x->res.chain_len = depth + 2;
            x->res.anchor = i;
            return CMP_OK;
        }
    }
    for (i = 0; i < x->num_untrusted; i++) {
        if (!x->usable[i] || !names_chain(&x->untrusted[i], cur)) {
            continue;
        }
        found = 1;
        if (try_untrusted(x, i, cur, depth + 1) == CMP_OK) {
            return CMP_OK;
        }
    }
    if (!found) {
        record(x, CMP_ERR_CHAIN_UNKNOWN_ISSUER, depth);
    }
    CMP_FAIL(CMP_ERR_CHAIN_UNKNOWN_ISSUER);
}

/* parse_all parses the anchors (any failure is the caller's error) and the
 * untrusted certificates (one that does not parse is simply not used). */
static cmp_err parse_all(chain_ctx *x, const cmp_span *untrusted, const cmp_span *anchors)
{
    size_t i;

    for (i = 0; i < x->num_anchors; i++) {
        CMP_ENSURE(anchors[i].data != NULL, CMP_ERR_ARG);
        CMP_ENSURE(cmp_x509_cert_parse(&x->anchors[i], anchors[i]) == CMP_OK,
                   CMP_ERR_CERT_PARSE);
    }
    for (i = 0; i < x->num_untrusted; i++) {
        CMP_ENSURE(untrusted[i].data != NULL, CMP_ERR_ARG);
        x->usable[i] = cmp_x509_cert_parse(&x->untrusted[i], untrusted[i]) == CMP_OK;
    }
    return CMP_OK;
}

/* validate runs the search once everything is parsed. */
static cmp_err validate(chain_ctx *x, cmp_span leaf_der, const cmp_span *anchors)
{
    cmp_x509_cert leaf;
    size_t i;

    CMP_ENSURE(cmp_x509_cert_parse(&leaf, leaf_der) == CMP_OK, CMP_ERR_CERT_PARSE);
    CMP_TRY(check_self(&leaf, x->now));
    for (i = 0; i < x->num_anchors; i++) {
        if (cmp_cder_span_eq(leaf_der, anchors[i])) {
            x->res.chain_len = 1;
            x->res.anchor = i;
            return CMP_OK; /* the leaf is itself trusted */
        }
    }
    if (build(x, &leaf, 0) == CMP_OK) {
        return CMP_OK;
    }
    x->res.depth = x->have_best ? x->best_depth : 0;
    return x->have_best ? x->best : CMP_ERR_CHAIN_UNKNOWN_ISSUER;
}

/* see cmp_crypto.h */
cmp_err cmp_crypto_chain_verify(cmp_crypto *c, cmp_chain_result *out, cmp_span leaf,
                                const cmp_span *untrusted, size_t num_untrusted,
                                const cmp_span *anchors, size_t num_anchors, int64_t now)
{
    chain_ctx x;
    cmp_err err;

    CMP_ENSURE(c != NULL && leaf.data != NULL, CMP_ERR_ARG);
    CMP_ENSURE(untrusted != NULL || num_untrusted == 0, CMP_ERR_ARG);
    CMP_ENSURE(anchors != NULL || num_anchors == 0, CMP_ERR_ARG);
    memset(&x, 0, sizeof(x));
    x.c = c;
    x.now = now;
    x.max_len = c->limits.max_chain_len < CHAIN_HARD_MAX_LEN ? c->limits.max_chain_len
                                                             : CHAIN_HARD_MAX_LEN;
    x.sig_checks_left = CHAIN_MAX_SIG_CHECKS;
    x.num_untrusted = num_untrusted;
    x.num_anchors = num_anchors;
    x.untrusted = cmp_calloc(num_untrusted + 1, sizeof(*x.untrusted));
    x.usable = cmp_calloc(num_untrusted + 1, sizeof(*x.usable));
    x.anchors = cmp_calloc(num_anchors + 1, sizeof(*x.anchors));
    CMP_ENSURE_OUT(x.untrusted != NULL && x.usable != NULL && x.anchors != NULL, CMP_ERR_NOMEM);
    CMP_TRY_OUT(parse_all(&x, untrusted, anchors));
    err = validate(&x, leaf, anchors);
out:
    if (out != NULL) {
        *out = x.res;
    }
    cmp_free(x.untrusted);
    cmp_free(x.usable);
    cmp_free(x.anchors);
    return err;
}
