/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tools/cmpclient.c: the end entity on the command line. Options follow
 * `openssl cmp`'s client options (-opt or --opt). The tool reads files,
 * supplies the clock and the sleeping, and writes the results; all protocol
 * work happens in the library (cmp/client.h).
 *
 * Credentials are written only after the transaction succeeded, each file
 * atomically (temporary file in the same directory, fsync, rename); the key
 * file gets mode 0600. A failed or interrupted KUR leaves the old files as
 * they were.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmp/client.h"
#include "cmp/err.h"
#include "cmp/http.h"
#include "cmp/mem.h"
#include "cmp/msg.h"
#include "cmp/oid.h"
#include "cmp/transport.h"
#include "cmp_crypto.h"
#include "tool_util.h"

/* ---- options ------------------------------------------------------------ */

typedef struct opts {
    const char *cmd, *server, *path, *recipient, *expect_sender;
    const char *cert, *key, *keypass, *untrusted, *secret, *ref;
    const char *trusted, *srvcert, *out_trusted;
    const char *newkey, *newkeypass, *newkeytype, *newkeyout;
    const char *subject, *sans, *csr, *oldcert, *infotype, *digest, *mac;
    const char *certout, *chainout, *extracertsout, *cacertsout, *reqout, *rspout;
    const char *keyusage;
    long days, revreason, popo, msg_timeout, total_timeout, verbosity, max_check_after;
    long keep_alive;
    int implicit_confirm, unprotected_errors, ignore_keyusage, pbmac1, help;
} opts;

enum { O_STR, O_NUM, O_FLAG };

typedef struct opt_def {
    const char *name;
    int kind;
    size_t off;
    const char *arg;
    const char *help;
} opt_def;

#define OS(n, f, a, h) {n, O_STR, offsetof(opts, f), a, h}
#define ON(n, f, a, h) {n, O_NUM, offsetof(opts, f), a, h}
#define OF(n, f, h) {n, O_FLAG, offsetof(opts, f), NULL, h}

static const opt_def opt_table[] = {
    OF("help", help, "Display this summary"),
    OS("cmd", cmd, "ir|cr|kur|p10cr|genm|rr", "CMP request to send"),
    OS("server", server, "host:port", "[http://]address[:port][/path] of the CMP server"),
    OS("path", path, "path", "HTTP path at the server (default /.well-known/cmp)"),
    OS("recipient", recipient, "/DN", "Name of the CA (default: issuer of -oldcert/-cert)"),
    OS("expect_sender", expect_sender, "/DN", "Expected sender of responses"),
    OS("cert", cert, "file", "Our CMP signer certificate (PEM/DER); more PEM certs: its chain"),
    OS("key", key, "file", "Private key of -cert"),
    OS("keypass", keypass, "source", "Pass phrase source of -key (pass:, env:, file:)"),
    OS("untrusted", untrusted, "files", "Intermediate certificates (also sent as our chain)"),
    OS("secret", secret, "source", "Shared secret for MAC protection (pass:, env:, file:)"),
    OS("ref", ref, "value", "Reference value (senderKID) for MAC protection"),
    OS("trusted", trusted, "files", "Trust anchors for the server's signatures"),
    OS("srvcert", srvcert, "file", "Server certificate to pin and trust directly"),
    OS("out_trusted", out_trusted, "files", "Trust anchors for the new certificate"),
    OS("newkey", newkey, "file", "Key to certify (default: generated or -key)"),
    OS("newkeypass", newkeypass, "source", "Pass phrase source of -newkey"),
    OS("newkeytype", newkeytype, "type", "Generate the new key: ec:P-256|ec:P-384|rsa:2048|ed25519"),
    OS("newkeyout", newkeyout, "file", "Where to write a generated key (mode 0600)"),
    OS("subject", subject, "/DN", "Subject to request, e.g. /O=Org/CN=Name"),
    OS("sans", sans, "names", "Subject alternative names (DNS, IP, URI, e-mail)"),
    OS("keyusage", keyusage, "list", "Key usage to request: digitalSignature,keyEncipherment,..."),
    ON("days", days, "n", "Requested validity in days"),
    OS("csr", csr, "file", "PKCS#10 request for p10cr"),
    OS("oldcert", oldcert, "file", "Certificate to update (kur) or revoke (rr); default -cert"),
    ON("revreason", revreason, "n", "CRLReason for rr (-1: none)"),
    OS("infotype", infotype, "name", "InfoType for genm, e.g. caCerts, rootCaCert"),
    OF("implicit_confirm", implicit_confirm, "Request implicit confirmation"),
    ON("popo", popo, "n", "Proof of possession: -1 none, 0 raVerified, 1 signature (default)"),
    OS("digest", digest, "name", "Digest for signatures and PBM (default: the key's)"),
    OS("mac", mac, "name", "HMAC hash of PBM protection (default hmac-sha256)"),
    OF("pbmac1", pbmac1, "Use PBMAC1 instead of PBM for MAC protection"),
    OS("certout", certout, "file", "Where to write the new certificate (PEM)"),
    OS("chainout", chainout, "file", "Where to write its chain (PEM)"),
    OS("extracertsout", extracertsout, "file", "Where to write the response's extraCerts"),
    OS("cacertsout", cacertsout, "file", "Where to write caPubs, or genm caCerts"),
    OS("reqout", reqout, "files", "Save the n-th request (DER) to the n-th file"),
    OS("rspout", rspout, "files", "Save the n-th response (DER) to the n-th file"),
    ON("keep_alive", keep_alive, "0|1", "Keep the HTTP connection open within a transaction"),
    ON("msg_timeout", msg_timeout, "s", "Seconds per message round trip (default 120)"),
    ON("total_timeout", total_timeout, "s", "Seconds for the whole transaction incl. polling"),
    ON("max_check_after", max_check_after, "s", "Largest checkAfter accepted (0: any)"),
    OF("unprotected_errors", unprotected_errors,
       "Accept negative responses without valid protection"),
    OF("ignore_keyusage", ignore_keyusage, "Ignore the server certificate's key usage"),
    ON("verbosity", verbosity, "n", "3 errors, 4 warnings (default), 6 info, 7 debug"),
};

static void usage(FILE *f)
{
    size_t i;

    fprintf(f, "Usage: cmpclient [options]\n\nValid options are:\n");
    for (i = 0; i < sizeof(opt_table) / sizeof(opt_table[0]); i++) {
        char left[64];
        snprintf(left, sizeof(left), "-%s%s%s", opt_table[i].name, opt_table[i].arg ? " " : "",
                 opt_table[i].arg ? opt_table[i].arg : "");
        fprintf(f, " %-28s %s\n", left, opt_table[i].help);
    }
}

static int parse_args(opts *o, int argc, char **argv)
{
    int i;
    size_t k;

    memset(o, 0, sizeof(*o));
    o->days = 0;
    o->revreason = -1;
    o->popo = 1;
    o->verbosity = 4;
    o->keep_alive = 1;
    for (i = 1; i < argc; i++) {
        const char *a = argv[i];
        const opt_def *d = NULL;
        if (a[0] != '-') {
            fprintf(stderr, "cmpclient: unexpected argument '%s'\n", a);
            return -1;
        }
        a += (a[1] == '-') ? 2 : 1;
        for (k = 0; k < sizeof(opt_table) / sizeof(opt_table[0]); k++) {
            if (strcmp(a, opt_table[k].name) == 0) {
                d = &opt_table[k];
            }
        }
        if (d == NULL) {
            fprintf(stderr, "cmpclient: unknown option '%s' (see -help)\n", argv[i]);
            return -1;
        }
        if (d->kind == O_FLAG) {
            *(int *)((char *)o + d->off) = 1;
            continue;
        }
        if (i + 1 >= argc) {
            fprintf(stderr, "cmpclient: option '%s' needs a value\n", argv[i]);
            return -1;
        }
        i++;
        if (d->kind == O_STR) {
            *(const char **)((char *)o + d->off) = argv[i];
        } else {
            char *end;
            errno = 0;
            long v = strtol(argv[i], &end, 10);
            if (errno != 0 || *end != '\0' || end == argv[i]) {
                fprintf(stderr, "cmpclient: option '%s' needs a number\n", argv[i - 1]);
                return -1;
            }
            *(long *)((char *)o + d->off) = v;
        }
    }
    return 0;
}

/* ---- callbacks ---------------------------------------------------------- */

static void log_cb(void *arg, int level, const char *msg)
{
    const char *tag = level <= CMP_LOG_ERR ? "error" : level <= CMP_LOG_WARN ? "warning"
                      : level <= CMP_LOG_INFO ? "info" : "debug";
    (void)arg;
    fprintf(stderr, "cmpclient: %s: %s\n", tag, msg);
}

static int64_t clock_cb(void *arg)
{
    (void)arg;
    return (int64_t)time(NULL);
}

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
    (void)sig;
    interrupted = 1;
}

/* ---- a transport that records requests and responses (-reqout/-rspout) -- */

typedef struct rec {
    cmp_transport *inner;
    char **req_names;
    size_t num_req_names, n_req;
    char **rsp_names;
    size_t num_rsp_names, n_rsp;
} rec;

static void split_names(const char *list, char ***out, size_t *num)
{
    char *copy, *save = NULL, *p;

    *out = NULL;
    *num = 0;
    if (list == NULL) {
        return;
    }
    copy = strdup(list);
    if (copy == NULL) {
        return;
    }
    for (p = strtok_r(copy, ", ", &save); p != NULL; p = strtok_r(NULL, ", ", &save)) {
        char **n = realloc(*out, (*num + 1) * sizeof(*n));
        if (n == NULL) {
            break;
        }
        *out = n;
        n[*num] = strdup(p);
        if (n[*num] != NULL) {
            (*num)++;
        }
    }
    free(copy);
}

static void rec_save(char **names, size_t num, size_t *n, const uint8_t *d, size_t len,
                     const char *what)
{
    if (*n < num) {
        if (tool_write_atomic(names[*n], d, len, 0644) != 0) {
            fprintf(stderr, "cmpclient: warning: could not save %s %zu\n", what, *n + 1);
        }
    } else if (num > 0) {
        fprintf(stderr, "cmpclient: warning: no file name left to save %s %zu\n", what, *n + 1);
    }
    (*n)++;
}

static cmp_err rec_exchange(void *impl, uint8_t **out_rsp, size_t *out_rsp_len, int *out_status,
                            const uint8_t *req, size_t req_len)
{
    rec *r = impl;
    cmp_err e;

    rec_save(r->req_names, r->num_req_names, &r->n_req, req, req_len, "request");
    e = cmp_transport_exchange(r->inner, out_rsp, out_rsp_len, out_status, req, req_len);
    if (*out_rsp != NULL) {
        rec_save(r->rsp_names, r->num_rsp_names, &r->n_rsp, *out_rsp, *out_rsp_len, "response");
    }
    return e;
}

static void rec_close(void *impl)
{
    cmp_transport_close(((rec *)impl)->inner);
}

static void rec_free(void *impl)
{
    rec *r = impl;
    size_t i;

    cmp_transport_free(r->inner);
    for (i = 0; i < r->num_req_names; i++) {
        free(r->req_names[i]);
    }
    for (i = 0; i < r->num_rsp_names; i++) {
        free(r->rsp_names[i]);
    }
    free(r->req_names);
    free(r->rsp_names);
    free(r);
}

static const cmp_transport_ops rec_ops = {rec_exchange, rec_close, rec_free};

/* ---- helpers ------------------------------------------------------------ */

static cmp_span sp(const void *d, size_t n)
{
    cmp_span s;
    s.data = d;
    s.len = n;
    return s;
}

static int fail(const char *what, cmp_err e)
{
    fprintf(stderr, "cmpclient: error: %s: %s (%s)\n", what, cmp_err_str(e), cmp_err_name(e));
    return -1;
}

static int name_der(cmp_buf *out, const char *dn, const char *what)
{
    cmp_err e = cmp_name_from_string(out, dn);
    return e == CMP_OK ? 0 : fail(what, e);
}

static int load_key(cmp_crypto *c, cmp_key **out, const char *file, const char *passsrc)
{
    uint8_t *data;
    size_t len;
    char *pass = NULL;
    cmp_err e;

    if (tool_read_file(file, &data, &len) != 0) {
        return -1;
    }
    if (passsrc != NULL && tool_get_pass(passsrc, &pass) != 0) {
        free(data);
        return -1;
    }
    e = cmp_crypto_key_load(c, out, sp(data, len), sp(pass, pass ? strlen(pass) : 0));
    memset(data, 0, len);
    free(data);
    tool_free_secret(pass);
    if (e != CMP_OK) {
        fprintf(stderr, "cmpclient: error: cannot load key %s: %s\n", file, cmp_err_str(e));
        return -1;
    }
    return 0;
}

static int parse_keytype(const char *s, cmp_key_type *t, unsigned *bits)
{
    *bits = 0;
    if (strcmp(s, "ec:P-256") == 0 || strcmp(s, "ec:prime256v1") == 0) {
        *t = CMP_KEY_EC_P256;
    } else if (strcmp(s, "ec:P-384") == 0 || strcmp(s, "ec:secp384r1") == 0) {
        *t = CMP_KEY_EC_P384;
    } else if (strcmp(s, "ec:P-521") == 0 || strcmp(s, "ec:secp521r1") == 0) {
        *t = CMP_KEY_EC_P521;
    } else if (strcmp(s, "ed25519") == 0 || strcmp(s, "ED25519") == 0) {
        *t = CMP_KEY_ED25519;
    } else if (strncmp(s, "rsa:", 4) == 0 || strcmp(s, "rsa") == 0) {
        *t = CMP_KEY_RSA;
        *bits = s[3] == ':' ? (unsigned)strtoul(s + 4, NULL, 10) : 2048;
    } else {
        fprintf(stderr, "cmpclient: error: unknown -newkeytype %s\n", s);
        return -1;
    }
    return 0;
}

static int parse_keyusage(const char *s, unsigned *out)
{
    static const char *const names[] = {"digitalSignature", "nonRepudiation", "keyEncipherment",
                                        "dataEncipherment", "keyAgreement", "keyCertSign",
                                        "cRLSign", "encipherOnly", "decipherOnly"};
    char *copy = strdup(s), *save = NULL, *p;
    size_t i;
    int rc = 0;

    *out = 0;
    if (copy == NULL) {
        return -1;
    }
    for (p = strtok_r(copy, ", ", &save); p != NULL; p = strtok_r(NULL, ", ", &save)) {
        for (i = 0; i < 9 && strcmp(p, names[i]) != 0; i++) {
        }
        if (i == 9) {
            fprintf(stderr, "cmpclient: error: unknown key usage %s\n", p);
            rc = -1;
            break;
        }
        *out |= 1u << i;
    }
    free(copy);
    return rc;
}

/* Is |cert| self-signed (issuer == subject)? */
static int self_issued(cmp_span cert)
{
    cmp_cert_info ci;

    return cmp_crypto_cert_parse(&ci, cert) == CMP_OK && ci.issuer.len == ci.subject.len
           && memcmp(ci.issuer.data, ci.subject.data, ci.issuer.len) == 0;
}

typedef cmp_err (*add_fn)(cmp_client *, cmp_span);

static int add_certs(cmp_client *ctx, const char *files, add_fn fn, const char *what)
{
    tool_der_list l = {NULL, NULL, 0};
    size_t i;
    int rc = 0;

    if (tool_load_certs(&l, files) != 0) {
        return -1;
    }
    for (i = 0; i < l.num && rc == 0; i++) {
        cmp_err e = fn(ctx, sp(l.der[i], l.len[i]));
        if (e != CMP_OK) {
            rc = fail(what, e);
        }
    }
    tool_der_list_free(&l);
    return rc;
}

static void print_sanitized(FILE *f, const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        fputc(c < 0x20 || c == 0x7f ? '?' : c, f);
    }
}

static void print_status(const cmp_client *ctx)
{
    const cmp_status_info *si = cmp_client_last_status(ctx);
    const cmp_error_info *ei = cmp_client_last_error(ctx);
    char line[1024];

    if (si == NULL) {
        return;
    }
    (void)cmp_client_status_string(line, sizeof(line), si);
    fprintf(stderr, "cmpclient: server status: ");
    print_sanitized(stderr, line);
    fputc('\n', stderr);
    if (ei != NULL && ei->has_error_code) {
        fprintf(stderr, "cmpclient: errorCode: %lld\n", (long long)ei->error_code);
    }
}

/* Appends the PEM of each certificate to |*pem|. */
static int pem_cat(char **pem, size_t *pem_len, cmp_span cert)
{
    char *one;
    size_t one_len;
    char *n;

    if (tool_pem_encode(&one, &one_len, "CERTIFICATE", cert.data, cert.len) != 0) {
        return -1;
    }
    n = realloc(*pem, *pem_len + one_len + 1);
    if (n == NULL) {
        free(one);
        return -1;
    }
    memcpy(n + *pem_len, one, one_len);
    *pem_len += one_len;
    n[*pem_len] = 0;
    *pem = n;
    free(one);
    return 0;
}

/* The certificates of a DER SEQUENCE OF Certificate (genp caCerts). */
static int split_cert_seq(tool_der_list *out, cmp_span seq)
{
    size_t off, end;

    if (seq.len < 2 || seq.data[0] != 0x30) {
        return -1;
    }
    /* Reuse the PEM-free path: walk TLVs by their lengths. */
    {
        size_t l = seq.data[1], hl = 2;
        if (l & 0x80) {
            size_t k = l & 0x7f, i;
            if (k == 0 || k > 3 || seq.len < 2 + k) {
                return -1;
            }
            for (l = 0, i = 0; i < k; i++) {
                l = (l << 8) | seq.data[2 + i];
            }
            hl = 2 + k;
        }
        if (l != seq.len - hl) {
            return -1;
        }
        off = hl;
        end = seq.len;
    }
    while (off < end) {
        size_t l, hl = 2, k, i;
        if (end - off < 2 || seq.data[off] != 0x30) {
            return -1;
        }
        l = seq.data[off + 1];
        if (l & 0x80) {
            k = l & 0x7f;
            if (k == 0 || k > 3 || end - off < 2 + k) {
                return -1;
            }
            for (l = 0, i = 0; i < k; i++) {
                l = (l << 8) | seq.data[off + 2 + i];
            }
            hl = 2 + k;
        }
        if (l > end - off - hl) {
            return -1;
        }
        if (tool_der_list_add(out, seq.data + off, hl + l) != 0) {
            return -1;
        }
        off += hl + l;
    }
    return 0;
}

/* ---- outputs ------------------------------------------------------------ */

#define MAX_STAGED 6

typedef struct outputs {
    tool_staged st[MAX_STAGED];
    size_t num;
} outputs;

static int stage_pem_list(outputs *out, const char *path, const cmp_span *certs, size_t num)
{
    char *pem = NULL;
    size_t pem_len = 0, i;
    int rc;

    for (i = 0; i < num; i++) {
        if (pem_cat(&pem, &pem_len, certs[i]) != 0) {
            free(pem);
            return -1;
        }
    }
    rc = tool_stage(&out->st[out->num], path, pem != NULL ? pem : "", pem_len, 0644);
    free(pem);
    if (rc == 0) {
        out->num++;
    }
    return rc;
}

static int stage_outputs(outputs *out, const opts *o, cmp_client *ctx, cmp_crypto *c)
{
    cmp_span certs[64];
    size_t i, n;

    memset(out, 0, sizeof(*out));
    /* The key first: a certificate without its key is useless. */
    if (o->newkeyout != NULL && cmp_client_newkey_generated(ctx)) {
        cmp_buf pem = {NULL, 0};
        cmp_err e = cmp_crypto_key_export_pem(c, &pem, cmp_client_get0_newkey(ctx),
                                              CMP_KEY_PEM_PKCS8);
        if (e != CMP_OK) {
            return fail("exporting the new key", e);
        }
        /* Private key: owner read/write only. */
        if (tool_stage(&out->st[out->num], o->newkeyout, pem.data, pem.len, 0600) != 0) {
            cmp_buf_cleanup(&pem);
            return -1;
        }
        cmp_buf_cleanup(&pem);
        out->num++;
    }
    if (o->certout != NULL && cmp_client_get0_cert(ctx).len > 0) {
        certs[0] = cmp_client_get0_cert(ctx);
        if (stage_pem_list(out, o->certout, certs, 1) != 0) {
            return -1;
        }
    }
    n = cmp_client_num_chain(ctx);
    if (n > 64) {
        n = 64;
    }
    if (o->chainout != NULL || o->extracertsout != NULL) {
        size_t m = 0;
        for (i = 0; i < n; i++) {
            certs[m++] = cmp_client_get0_chain(ctx, i);
        }
        if (o->extracertsout != NULL && stage_pem_list(out, o->extracertsout, certs, m) != 0) {
            return -1;
        }
        /* The chain: extraCerts without the certificate itself. */
        if (o->chainout != NULL) {
            size_t k = 0;
            cmp_span me = cmp_client_get0_cert(ctx);
            for (i = 0; i < m; i++) {
                if (!(certs[i].len == me.len && memcmp(certs[i].data, me.data, me.len) == 0)) {
                    certs[k++] = certs[i];
                }
            }
            if (stage_pem_list(out, o->chainout, certs, k) != 0) {
                return -1;
            }
        }
    }
    if (o->cacertsout != NULL && cmp_client_num_ca_pubs(ctx) > 0) {
        n = cmp_client_num_ca_pubs(ctx);
        for (i = 0; i < n && i < 64; i++) {
            certs[i] = cmp_client_get0_ca_pub(ctx, i);
        }
        if (stage_pem_list(out, o->cacertsout, certs, i) != 0) {
            return -1;
        }
    }
    return 0;
}

static int genm_outputs(outputs *out, const opts *o, cmp_client *ctx)
{
    size_t i, n = cmp_client_num_itavs(ctx);
    cmp_span ca_certs_oid;
    int rc = 0;

    memset(out, 0, sizeof(*out));
    (void)cmp_infotype_oid(CMP_IT_CA_CERTS, &ca_certs_oid);
    for (i = 0; i < n; i++) {
        cmp_itav it;
        const char *name;
        char dotted[128] = "?";
        if (cmp_client_get0_itav(ctx, i, &it) != CMP_OK) {
            continue;
        }
        name = cmp_infotype_name(it.oid);
        (void)cmp_oid_to_string(dotted, sizeof(dotted), it.oid);
        printf("genp: %s (%s), %zu bytes\n", name != NULL ? name : "unknown", dotted,
               it.value.len);
        if (o->cacertsout != NULL && cmp_oid_eq(it.oid, ca_certs_oid) && it.value.len > 0) {
            tool_der_list l = {NULL, NULL, 0};
            cmp_span certs[64];
            size_t k;
            if (split_cert_seq(&l, it.value) != 0) {
                fprintf(stderr, "cmpclient: error: caCerts is not a SEQUENCE OF Certificate\n");
                tool_der_list_free(&l);
                return -1;
            }
            for (k = 0; k < l.num && k < 64; k++) {
                certs[k] = sp(l.der[k], l.len[k]);
            }
            rc = stage_pem_list(out, o->cacertsout, certs, k);
            tool_der_list_free(&l);
            if (rc != 0) {
                return -1;
            }
        }
    }
    return 0;
}

/* ---- configuration ------------------------------------------------------ */

static int configure(cmp_client *ctx, cmp_crypto *c, const opts *o)
{
    cmp_buf name = {NULL, 0};
    cmp_err e;

    if (o->cert != NULL) {
        tool_der_list l = {NULL, NULL, 0};
        size_t i;
        if (tool_load_certs(&l, o->cert) != 0 || l.num == 0) {
            tool_der_list_free(&l);
            return -1;
        }
        e = cmp_client_set1_cert(ctx, sp(l.der[0], l.len[0]));
        for (i = 1; e == CMP_OK && i < l.num; i++) {
            if (!self_issued(sp(l.der[i], l.len[i]))) {
                e = cmp_client_add1_chain(ctx, sp(l.der[i], l.len[i]));
            }
        }
        tool_der_list_free(&l);
        if (e != CMP_OK) {
            return fail("-cert", e);
        }
    }
    if (o->key != NULL) {
        cmp_key *k = NULL;
        if (load_key(c, &k, o->key, o->keypass) != 0) {
            return -1;
        }
        (void)cmp_client_set0_key(ctx, k);
    }
    if (o->untrusted != NULL) {
        tool_der_list l = {NULL, NULL, 0};
        size_t i;
        if (tool_load_certs(&l, o->untrusted) != 0) {
            tool_der_list_free(&l);
            return -1;
        }
        for (i = 0; i < l.num; i++) {
            cmp_span s = sp(l.der[i], l.len[i]);
            e = cmp_client_add1_untrusted(ctx, s);
            /* Intermediates also go out as our chain (RFC 9483 section 3.3:
             * without the self-signed root). */
            if (e == CMP_OK && o->cert != NULL && !self_issued(s)) {
                e = cmp_client_add1_chain(ctx, s);
            }
            if (e != CMP_OK) {
                tool_der_list_free(&l);
                return fail("-untrusted", e);
            }
        }
        tool_der_list_free(&l);
    }
    if (o->secret != NULL) {
        char *secret = NULL;
        cmp_mac_params mp;
        if (tool_get_pass(o->secret, &secret) != 0) {
            return -1;
        }
        e = cmp_client_set1_secret(ctx, sp(secret, strlen(secret)),
                                   sp(o->ref, o->ref ? strlen(o->ref) : 0));
        tool_free_secret(secret);
        if (e != CMP_OK) {
            return fail("-secret", e);
        }
        /* PBM by default: RFC 9481 section 6.1.1, what most CAs (and
         * OpenSSL 3.0) verify; -pbmac1 for RFC 9481 section 6.1.2. */
        cmp_crypto_mac_params_default(&mp, o->pbmac1 ? CMP_MAC_PBMAC1 : CMP_MAC_PBM);
        if (o->digest != NULL && cmp_crypto_hash_from_name(&mp.owf, o->digest) != CMP_OK) {
            fprintf(stderr, "cmpclient: error: unknown -digest %s\n", o->digest);
            return -1;
        }
        if (o->mac != NULL) {
            const char *h = strncmp(o->mac, "hmac-", 5) == 0 ? o->mac + 5 : o->mac;
            if (cmp_crypto_hash_from_name(&mp.mac, h) != CMP_OK) {
                fprintf(stderr, "cmpclient: error: unknown -mac %s\n", o->mac);
                return -1;
            }
        }
        if ((e = cmp_client_set_mac(ctx, &mp)) != CMP_OK) {
            return fail("-mac", e);
        }
    }
    if (o->digest != NULL) {
        cmp_hash_alg h;
        if (cmp_crypto_hash_from_name(&h, o->digest) != CMP_OK
            || cmp_client_set_digest(ctx, h) != CMP_OK) {
            fprintf(stderr, "cmpclient: error: unusable -digest %s\n", o->digest);
            return -1;
        }
    }
    if (o->trusted != NULL && add_certs(ctx, o->trusted, cmp_client_add1_trusted, "-trusted")) {
        return -1;
    }
    if (o->out_trusted != NULL
        && add_certs(ctx, o->out_trusted, cmp_client_add1_out_trusted, "-out_trusted")) {
        return -1;
    }
    if (o->srvcert != NULL) {
        uint8_t *d;
        size_t n;
        if (tool_load_der(o->srvcert, "CERTIFICATE", &d, &n) != 0) {
            return -1;
        }
        e = cmp_client_set1_srvcert(ctx, sp(d, n));
        free(d);
        if (e != CMP_OK) {
            return fail("-srvcert", e);
        }
    }
    if (o->recipient != NULL) {
        if (name_der(&name, o->recipient, "-recipient") != 0) {
            return -1;
        }
        e = cmp_client_set1_recipient(ctx, sp(name.data, name.len));
        cmp_buf_cleanup(&name);
        if (e != CMP_OK) {
            return fail("-recipient", e);
        }
    }
    if (o->expect_sender != NULL) {
        if (name_der(&name, o->expect_sender, "-expect_sender") != 0) {
            return -1;
        }
        e = cmp_client_set1_expected_sender(ctx, sp(name.data, name.len));
        cmp_buf_cleanup(&name);
        if (e != CMP_OK) {
            return fail("-expect_sender", e);
        }
    }
    if (o->subject != NULL) {
        if (name_der(&name, o->subject, "-subject") != 0) {
            return -1;
        }
        e = cmp_client_set1_subject(ctx, sp(name.data, name.len));
        cmp_buf_cleanup(&name);
        if (e != CMP_OK) {
            return fail("-subject", e);
        }
    }
    if (o->sans != NULL || o->keyusage != NULL) {
        tool_der d;
        unsigned ku = 0;
        if (o->keyusage != NULL && parse_keyusage(o->keyusage, &ku) != 0) {
            return -1;
        }
        if (tool_exts_encode(&d, o->sans, ku) != 0) {
            free(d.data);
            fprintf(stderr, "cmpclient: error: cannot encode -sans/-keyusage\n");
            return -1;
        }
        e = cmp_client_set1_extensions(ctx, sp(d.data, d.len));
        free(d.data);
        if (e != CMP_OK) {
            return fail("-sans", e);
        }
    }
    if (o->newkey != NULL) {
        cmp_key *k = NULL;
        if (load_key(c, &k, o->newkey, o->newkeypass) != 0) {
            return -1;
        }
        (void)cmp_client_set0_newkey(ctx, k);
    } else if (o->newkeytype != NULL) {
        cmp_key_type t;
        unsigned bits;
        if (parse_keytype(o->newkeytype, &t, &bits) != 0) {
            return -1;
        }
        if ((e = cmp_client_set_newkey_type(ctx, t, bits)) != CMP_OK) {
            return fail("-newkeytype", e);
        }
    }
    if (o->oldcert != NULL) {
        uint8_t *d;
        size_t n;
        if (tool_load_der(o->oldcert, "CERTIFICATE", &d, &n) != 0) {
            return -1;
        }
        e = cmp_client_set1_oldcert(ctx, sp(d, n));
        free(d);
        if (e != CMP_OK) {
            return fail("-oldcert", e);
        }
    }
    if (o->csr != NULL) {
        uint8_t *d;
        size_t n;
        if (tool_load_der(o->csr, "CERTIFICATE REQUEST", &d, &n) != 0) {
            return -1;
        }
        e = cmp_client_set1_csr(ctx, sp(d, n));
        free(d);
        if (e != CMP_OK) {
            return fail("-csr", e);
        }
    }
    if (o->days < 0 || o->days > 36500) {
        fprintf(stderr, "cmpclient: error: -days out of range\n");
        return -1;
    }
    cmp_client_set_days(ctx, (uint32_t)o->days);
    cmp_client_set_implicit_confirm(ctx, o->implicit_confirm);
    if ((e = cmp_client_set_popo(ctx, (int)o->popo)) != CMP_OK) {
        return fail("-popo", e);
    }
    if (o->total_timeout < 0 || o->max_check_after < 0) {
        fprintf(stderr, "cmpclient: error: negative timeout\n");
        return -1;
    }
    cmp_client_set_poll_limits(ctx, (uint32_t)o->total_timeout, (uint32_t)o->max_check_after);
    cmp_client_set_unprotected_errors(ctx, o->unprotected_errors);
    cmp_client_set_ignore_keyusage(ctx, o->ignore_keyusage);
    return 0;
}

static int make_transport(cmp_transport **out, const opts *o)
{
    cmp_http_opts ho;
    char url[1024];
    const char *srv = o->server;
    const char *slash;
    cmp_err e;
    rec *r;

    if (strncmp(srv, "http://", 7) == 0) {
        srv += 7;
    } else if (strstr(srv, "://") != NULL) {
        fprintf(stderr, "cmpclient: error: only http:// is supported\n");
        return -1;
    }
    slash = strchr(srv, '/');
    if (o->path != NULL) {
        snprintf(url, sizeof(url), "http://%.*s%s%s", (int)(slash ? (size_t)(slash - srv)
                                                                  : strlen(srv)),
                 srv, o->path[0] == '/' ? "" : "/", o->path);
    } else {
        snprintf(url, sizeof(url), "http://%s", srv);
    }
    cmp_http_opts_init(&ho);
    ho.url = url;
    if (o->msg_timeout > 0) {
        ho.timeout_ms = (uint32_t)o->msg_timeout * 1000u;
    }
    ho.keep_alive = o->keep_alive != 0;
    e = cmp_http_transport_new(out, &ho);
    if (e != CMP_OK) {
        return fail("-server", e);
    }
    if (o->reqout == NULL && o->rspout == NULL) {
        return 0;
    }
    r = calloc(1, sizeof(*r));
    if (r == NULL) {
        return -1;
    }
    r->inner = *out;
    split_names(o->reqout, &r->req_names, &r->num_req_names);
    split_names(o->rspout, &r->rsp_names, &r->num_rsp_names);
    e = cmp_transport_new(out, &rec_ops, r);
    if (e != CMP_OK) {
        *out = r->inner;
        r->inner = NULL;
        rec_free(r);
        return fail("transport", e);
    }
    return 0;
}

/* Run the transaction with the non-blocking API, showing polling progress. */
static cmp_err run(cmp_client *ctx, const opts *o, cmp_span infotype)
{
    cmp_err e;
    uint32_t delay = 0;
    int64_t start = (int64_t)time(NULL);

    if (strcmp(o->cmd, "ir") == 0) {
        e = cmp_client_start_ir(ctx);
    } else if (strcmp(o->cmd, "cr") == 0) {
        e = cmp_client_start_cr(ctx);
    } else if (strcmp(o->cmd, "kur") == 0) {
        e = cmp_client_start_kur(ctx);
    } else if (strcmp(o->cmd, "p10cr") == 0) {
        e = cmp_client_start_p10cr(ctx);
    } else if (strcmp(o->cmd, "genm") == 0) {
        e = cmp_client_start_genm(ctx, infotype);
    } else {
        e = cmp_client_start_rr(ctx, (int)o->revreason);
    }
    if (e != CMP_OK) {
        return e;
    }
    while ((e = cmp_client_step(ctx, &delay)) == CMP_ERR_AGAIN) {
        int64_t now = (int64_t)time(NULL);
        if (o->total_timeout > 0) {
            fprintf(stderr, "cmpclient: polling: attempt %u, checkAfter %u s, %lld s left\n",
                    cmp_client_num_polls(ctx) + 1, delay,
                    (long long)(start + o->total_timeout - now));
        } else {
            fprintf(stderr, "cmpclient: polling: attempt %u, checkAfter %u s\n",
                    cmp_client_num_polls(ctx) + 1, delay);
        }
        while (delay > 0 && !interrupted) {
            delay = sleep(delay);
        }
        if (interrupted) {
            fprintf(stderr, "cmpclient: interrupted; nothing written\n");
            return CMP_ERR_STATE;
        }
    }
    return e;
}

int main(int argc, char **argv)
{
    opts o;
    cmp_crypto *c = NULL;
    cmp_transport *t = NULL;
    cmp_client *ctx = NULL;
    cmp_span infotype = {NULL, 0};
    outputs out;
    cmp_err e;
    int rc = 1;
    size_t i;
    struct sigaction sa;

    memset(&out, 0, sizeof(out));
    if (parse_args(&o, argc, argv) != 0) {
        return 1;
    }
    if (o.help) {
        usage(stdout);
        return 0;
    }
    if (o.cmd == NULL || o.server == NULL) {
        fprintf(stderr, "cmpclient: -cmd and -server are required (see -help)\n");
        return 1;
    }
    if (strcmp(o.cmd, "ir") && strcmp(o.cmd, "cr") && strcmp(o.cmd, "kur")
        && strcmp(o.cmd, "p10cr") && strcmp(o.cmd, "genm") && strcmp(o.cmd, "rr")) {
        fprintf(stderr, "cmpclient: unknown -cmd %s\n", o.cmd);
        return 1;
    }
    if (strcmp(o.cmd, "genm") == 0) {
        const char *it = o.infotype != NULL ? o.infotype : "signKeyPairTypes";
        if (cmp_infotype_by_name(it, &infotype) != CMP_OK) {
            fprintf(stderr, "cmpclient: unknown -infotype %s\n", it);
            return 1;
        }
    }
    if (o.newkeytype != NULL && o.newkeyout == NULL) {
        fprintf(stderr, "cmpclient: -newkeytype needs -newkeyout (the key would be lost)\n");
        return 1;
    }
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);

    if ((e = cmp_crypto_wolfssl_new(&c)) != CMP_OK) {
        fail("crypto", e);
        goto done;
    }
    if (make_transport(&t, &o) != 0) {
        goto done;
    }
    if ((e = cmp_client_new(&ctx, c, t)) != CMP_OK) {
        fail("client", e);
        goto done;
    }
    cmp_client_set_log(ctx, log_cb, NULL, (int)o.verbosity);
    cmp_client_set_clock(ctx, clock_cb, NULL);
    if (configure(ctx, c, &o) != 0) {
        goto done;
    }
    e = run(ctx, &o, infotype);
    if (e != CMP_OK) {
        fprintf(stderr, "cmpclient: error: %s failed: %s (%s)\n", o.cmd, cmp_err_str(e),
                cmp_err_name(e));
        print_status(ctx);
        goto done;
    }
    if (o.verbosity >= CMP_LOG_INFO) {
        print_status(ctx);
    }
    if (strcmp(o.cmd, "genm") == 0) {
        if (genm_outputs(&out, &o, ctx) != 0) {
            goto done;
        }
    } else if (strcmp(o.cmd, "rr") == 0) {
        fprintf(stderr, "cmpclient: revocation accepted\n");
    } else if (stage_outputs(&out, &o, ctx, c) != 0) {
        goto done;
    }
    /* Everything is staged: now replace the files. */
    for (i = 0; i < out.num; i++) {
        if (tool_commit(&out.st[i]) != 0) {
            goto done;
        }
    }
    out.num = 0;
    if (cmp_client_get0_cert(ctx).len > 0) {
        fprintf(stderr, "cmpclient: %s succeeded%s\n", o.cmd,
                cmp_client_implicit_confirm_granted(ctx) ? " (implicit confirmation granted)"
                                                         : "");
    }
    rc = 0;
done:
    for (i = 0; i < out.num; i++) {
        tool_abort(&out.st[i]);
    }
    cmp_client_free(ctx);
    cmp_transport_free(t);
    cmp_crypto_free(c);
    return rc;
}
