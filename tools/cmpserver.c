/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tools/cmpserver: a CMP CA/RA over HTTP (RFC 6712bis) on top of the
 * cmp_server library and the cmp_http_server core. Its options have the
 * names and meanings of `openssl cmp`'s mock-server options, in -opt and
 * --opt spelling, plus -ca_cert/-ca_key to issue from and -state for the
 * SQLite database. It issues real certificates, keeps its state across
 * restarts, and stops gracefully on SIGTERM/SIGINT (requests in flight are
 * finished).
 *
 * -profile LABEL starts a section of per-profile options served under
 * /.well-known/cmp/p/LABEL. -pending, -approve and -reject administer the
 * database of a running server (-state) and exit.
 *
 * Only the tool touches files, the clock and the terminal (DESIGN.md
 * rule 5); the protocol lives in stack/server.c.
 */
#define _POSIX_C_SOURCE 200809L

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cmp/err.h"
#include "cmp/http.h"
#include "cmp/mem.h"
#include "cmp/msg.h"
#include "cmp/server.h"
#include "cmp_crypto.h"
#include "tool_util.h"

static const char USAGE[] =
    "usage: cmpserver [options]\n"
    "A CMP CA/RA (RFC 9810, RFC 9483) over HTTP; POST application/pkixcmp to\n"
    "/.well-known/cmp or /.well-known/cmp/p/<label>. Options take -opt or --opt.\n"
    "\n"
    "Network:\n"
    "  -port N              TCP port (0: pick one; prints \"listening on ADDR:PORT\")\n"
    "  -listen ADDR         address to listen on (default 127.0.0.1)\n"
    "  -threads N           worker threads (default 2)\n"
    "  -max_conns N         open connections at most (default 128)\n"
    "  -max_msgs N          stop after answering N messages (0: no limit)\n"
    "Issuing:\n"
    "  -ca_cert FILE        the issuing CA certificate (PEM or DER)\n"
    "  -ca_key FILE         its private key;  -ca_keypass ARG  its pass phrase\n"
    "  -days N              validity of issued certificates (default 365)      [P]\n"
    "  -template_validity   honour the validity asked for in the template      [P]\n"
    "  -ku LIST             default keyUsage (digitalSignature,keyEncipherment,...) [P]\n"
    "  -eku LIST            extendedKeyUsage added (serverAuth,clientAuth,...)  [P]\n"
    "  -no_san / -no_req_ku ignore subjectAltName / keyUsage of templates      [P]\n"
    "  -state DIR           directory of the state database (default: in memory)\n"
    "Protection (openssl cmp mock-server options):\n"
    "  -srv_cert FILE       certificate that signs responses (default: the CA's)\n"
    "  -srv_key FILE        its key;  -srv_keypass ARG  its pass phrase\n"
    "  -srv_secret ARG      shared secret for MAC-protected requests (pass:, env:, file:)\n"
    "  -srv_ref STR         reference (senderKID) of the secret\n"
    "  -srv_trusted FILES   trust anchors for request signatures (repeatable)\n"
    "  -srv_untrusted FILES intermediate certificates for request signers\n"
    "  -rsp_extracerts FILES  extra certificates in every response\n"
    "  -rsp_capubs FILES    caPubs of ip (roots for the new certificate)\n"
    "  -accept_unprotected  accept requests without protection\n"
    "  -accept_raverified   accept raVerified proof of possession\n"
    "Behaviour:\n"
    "  -poll_count N        answer 'waiting' and release after N pollReqs       [P]\n"
    "  -check_after N       checkAfter of pollRep, seconds (default 1)          [P]\n"
    "  -pkistatus N         PKIStatus of ip/cp/kup (0 accepted, 1 grantedWithMods,\n"
    "                       2 rejection)                                        [P]\n"
    "  -failure N           failInfo bit of a rejection (0..26)                 [P]\n"
    "  -failurebits N       failInfo bits as a number                           [P]\n"
    "  -statusstring STR    statusString of responses                           [P]\n"
    "  -grant_implicitconf  grant implicitConfirm when asked                    [P]\n"
    "  -await_approval      answer 'waiting' until -approve or -reject decides  [P]\n"
    "  -send_error          answer every request with an error message\n"
    "  -txn_timeout N       idle seconds before a transaction expires (default 300)\n"
    "  -max_skew N          refuse a messageTime more than N seconds off the clock\n"
    "                       (failInfo badTime; default 0: no check)\n"
    "Profiles (RFC 9483 section 3.3):\n"
    "  -profile LABEL       the options marked [P] after it apply to\n"
    "                       /.well-known/cmp/p/LABEL, starting from the values given\n"
    "                       before the first -profile (the default profile, served\n"
    "                       at /.well-known/cmp); repeatable. Other options must come\n"
    "                       before the first -profile. Unknown labels get HTTP 404.\n"
    "Approval (with -state DIR of a running or stopped server; then exit):\n"
    "  -pending             list the transactions waiting for approval\n"
    "  -approve TXID_HEX    issue at the next pollReq\n"
    "  -reject TXID_HEX     reject at the next pollReq, with -failure/-failurebits\n"
    "Output:\n"
    "  -verbosity N         6: one line per message (default); 8: also dump messages\n"
    "  -dump                dump each request and response (cmp_msg_print)\n"
    "  -help                this text\n";

/* The options of one profile ([P] in USAGE). */
typedef struct prof_opts {
    const char *label; /* NULL: the default profile */
    long days;
    int template_validity;
    const char *ku, *eku;
    int no_san, no_req_ku;
    long poll_count, check_after, pkistatus, failure, failurebits;
    const char *statusstring;
    int grant_implicitconf, await_approval;
} prof_opts;

typedef struct opts {
    const char *listen;
    long port;
    unsigned threads;
    size_t max_conns;
    long max_msgs;
    const char *ca_cert, *ca_key, *ca_keypass;
    const char *srv_cert, *srv_key, *srv_keypass, *srv_secret, *srv_ref;
    char *trusted, *untrusted, *extracerts, *capubs; /* comma-joined lists */
    const char *state;
    int send_error, accept_unprotected, accept_raverified;
    long txn_timeout, max_skew;
    int verbosity, dump;
    prof_opts def;      /* before the first -profile */
    prof_opts *profs;   /* one per -profile (malloc'd) */
    size_t num_profs;
    int pending;        /* administration: -pending, -approve, -reject */
    const char *approve, *reject;
} opts;

/* The server the signal handler stops; set once before the handler. */
static cmp_http_server *g_http;
static pthread_mutex_t g_log_mu = PTHREAD_MUTEX_INITIALIZER;
static long g_msgs, g_max_msgs;
static int g_dump;

static void on_signal(int sig)
{
    (void)sig;
    if (g_http != NULL) {
        cmp_http_server_stop(g_http);
    }
}

static int64_t clock_now(void *arg)
{
    (void)arg;
    return (int64_t)time(NULL);
}

/* ---- option parsing ------------------------------------------------------------- */

static int parse_long(const char *name, const char *v, long min, long max, long *out)
{
    char *end;
    long x;

    errno = 0;
    x = strtol(v, &end, 10);
    if (errno != 0 || end == v || *end != '\0' || x < min || x > max) {
        fprintf(stderr, "cmpserver: -%s: bad number '%s' (%ld..%ld)\n", name, v, min, max);
        return -1;
    }
    *out = x;
    return 0;
}

/* Appends |v| to a comma-joined list (repeated options accumulate). */
static int list_add(char **list, const char *v)
{
    size_t a = *list ? strlen(*list) : 0, b = strlen(v);
    char *n = realloc(*list, a + b + 2);

    if (n == NULL) {
        return -1;
    }
    if (a > 0) {
        n[a++] = ',';
    }
    memcpy(n + a, v, b + 1);
    *list = n;
    return 0;
}

static const struct {
    const char *name;
    unsigned bit;
} KU_NAMES[] = {
    {"digitalSignature", 0}, {"nonRepudiation", 1}, {"keyEncipherment", 2},
    {"dataEncipherment", 3}, {"keyAgreement", 4},
};

static const struct {
    const char *name;
    uint32_t bit;
} EKU_NAMES[] = {
    {"serverAuth", CMP_EKU_SERVER_AUTH},     {"clientAuth", CMP_EKU_CLIENT_AUTH},
    {"codeSigning", CMP_EKU_CODE_SIGNING},   {"emailProtection", CMP_EKU_EMAIL_PROTECTION},
    {"timeStamping", CMP_EKU_TIME_STAMPING}, {"OCSPSigning", CMP_EKU_OCSP_SIGNING},
    {"cmcCA", CMP_EKU_CMC_CA},               {"cmcRA", CMP_EKU_CMC_RA},
};

static int parse_names(const char *list, int eku, uint32_t *out)
{
    char buf[512], *tok, *save = NULL;
    size_t i;
    int found;

    *out = 0;
    if (strlen(list) >= sizeof(buf)) {
        return -1;
    }
    strcpy(buf, list);
    for (tok = strtok_r(buf, ", ", &save); tok != NULL; tok = strtok_r(NULL, ", ", &save)) {
        found = 0;
        if (eku) {
            for (i = 0; i < sizeof(EKU_NAMES) / sizeof(EKU_NAMES[0]); i++) {
                if (strcmp(tok, EKU_NAMES[i].name) == 0) {
                    *out |= EKU_NAMES[i].bit;
                    found = 1;
                }
            }
        } else {
            for (i = 0; i < sizeof(KU_NAMES) / sizeof(KU_NAMES[0]); i++) {
                if (strcmp(tok, KU_NAMES[i].name) == 0) {
                    *out |= 1u << KU_NAMES[i].bit;
                    found = 1;
                }
            }
        }
        if (!found) {
            fprintf(stderr, "cmpserver: unknown %s name '%s'\n", eku ? "-eku" : "-ku", tok);
            return -1;
        }
    }
    return 0;
}

static void prof_defaults(prof_opts *p)
{
    memset(p, 0, sizeof(*p));
    p->days = 365;
    p->check_after = 1;
    p->failure = -1;
}

/* Opens the section of -profile |label|, starting from the default
 * profile's values. */
static int add_profile(opts *o, const char *label)
{
    prof_opts *n;
    size_t i;

    /* The library's rule (cmp/server.h): one path segment of RFC 3986
     * unreserved characters. */
    if (label[0] == '\0' || strlen(label) > CMP_SERVER_MAX_LABEL ||
        strspn(label, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~") !=
            strlen(label)) {
        fprintf(stderr,
                "cmpserver: -profile '%s': a label is 1..%d characters of A-Z a-z 0-9 - . _ ~\n",
                label, CMP_SERVER_MAX_LABEL);
        return -1;
    }
    for (i = 0; i < o->num_profs; i++) {
        if (strcmp(o->profs[i].label, label) == 0) {
            fprintf(stderr, "cmpserver: -profile %s is given twice\n", label);
            return -1;
        }
    }
    n = realloc(o->profs, (o->num_profs + 1) * sizeof(*n));
    if (n == NULL) {
        return -1;
    }
    o->profs = n;
    n[o->num_profs] = o->def;
    n[o->num_profs].label = label;
    o->num_profs++;
    return 0;
}

static int parse_args(opts *o, int argc, char **argv)
{
    int i;
    long n;
    prof_opts *cur;

    memset(o, 0, sizeof(*o));
    o->listen = "127.0.0.1";
    o->port = -1;
    o->threads = 2;
    o->max_conns = 128;
    o->txn_timeout = 300;
    o->verbosity = 6;
    prof_defaults(&o->def);
    for (i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = NULL;
        cur = o->num_profs > 0 ? &o->profs[o->num_profs - 1] : &o->def;
/* Options that are not per-profile must come before the first -profile. */
#define GLOBAL(nm)                                                                    \
    if (o->num_profs > 0) {                                                           \
        fprintf(stderr,                                                               \
                "cmpserver: -%s is not a per-profile option; give it before the "     \
                "first -profile (see -help)\n",                                       \
                nm);                                                                  \
        return -1;                                                                    \
    }
#define FLAG(nm, field)                 \
    if (strcmp(a, nm) == 0) {           \
        GLOBAL(nm)                      \
        o->field = 1;                   \
        continue;                       \
    }
#define PFLAG(nm, field)                \
    if (strcmp(a, nm) == 0) {           \
        cur->field = 1;                 \
        continue;                       \
    }
#define NEEDV()                                                                  \
    do {                                                                         \
        if (i + 1 >= argc) {                                                     \
            fprintf(stderr, "cmpserver: -%s needs a value\n", a);                \
            return -1;                                                           \
        }                                                                        \
        v = argv[++i];                                                           \
    } while (0)
#define STR(nm, field)                  \
    if (strcmp(a, nm) == 0) {           \
        GLOBAL(nm)                      \
        NEEDV();                        \
        o->field = v;                   \
        continue;                       \
    }
#define PSTR(nm, field)                 \
    if (strcmp(a, nm) == 0) {           \
        NEEDV();                        \
        cur->field = v;                 \
        continue;                       \
    }
#define NUM(nm, field, lo, hi)                          \
    if (strcmp(a, nm) == 0) {                           \
        GLOBAL(nm)                                      \
        NEEDV();                                        \
        if (parse_long(nm, v, lo, hi, &n) != 0) {       \
            return -1;                                  \
        }                                               \
        o->field = n;                                   \
        continue;                                       \
    }
#define PNUM(nm, field, lo, hi)                         \
    if (strcmp(a, nm) == 0) {                           \
        NEEDV();                                        \
        if (parse_long(nm, v, lo, hi, &n) != 0) {       \
            return -1;                                  \
        }                                               \
        cur->field = n;                                 \
        continue;                                       \
    }
#define LIST(nm, field)                                 \
    if (strcmp(a, nm) == 0) {                           \
        GLOBAL(nm)                                      \
        NEEDV();                                        \
        if (list_add(&o->field, v) != 0) {              \
            return -1;                                  \
        }                                               \
        continue;                                       \
    }
        if (a[0] != '-') {
            fprintf(stderr, "cmpserver: unexpected argument '%s'\n", a);
            return -1;
        }
        a++;
        if (a[0] == '-') {
            a++;
        }
        if (strcmp(a, "help") == 0 || strcmp(a, "h") == 0) {
            fputs(USAGE, stdout);
            exit(0);
        }
        if (strcmp(a, "profile") == 0) {
            NEEDV();
            if (add_profile(o, v) != 0) {
                return -1;
            }
            continue;
        }
        NUM("port", port, 0, 65535)
        STR("listen", listen)
        NUM("threads", threads, 1, 64)
        NUM("max_conns", max_conns, 1, 100000)
        NUM("max_msgs", max_msgs, 0, LONG_MAX)
        STR("ca_cert", ca_cert)
        STR("ca_key", ca_key)
        STR("ca_keypass", ca_keypass)
        PNUM("days", days, 1, 36500)
        PFLAG("template_validity", template_validity)
        PSTR("ku", ku)
        PSTR("eku", eku)
        PFLAG("no_san", no_san)
        PFLAG("no_req_ku", no_req_ku)
        STR("state", state)
        STR("srv_cert", srv_cert)
        STR("srv_key", srv_key)
        STR("srv_keypass", srv_keypass)
        STR("srv_secret", srv_secret)
        STR("srv_ref", srv_ref)
        LIST("srv_trusted", trusted)
        LIST("srv_untrusted", untrusted)
        LIST("rsp_extracerts", extracerts)
        LIST("rsp_capubs", capubs)
        PNUM("poll_count", poll_count, 0, 1000000)
        PNUM("check_after", check_after, 0, 86400)
        PNUM("pkistatus", pkistatus, 0, 6)
        PNUM("failure", failure, 0, 26)
        PNUM("failurebits", failurebits, 0, (1L << 27) - 1)
        PSTR("statusstring", statusstring)
        PFLAG("grant_implicitconf", grant_implicitconf)
        PFLAG("await_approval", await_approval)
        FLAG("send_error", send_error)
        FLAG("accept_unprotected", accept_unprotected)
        FLAG("accept_raverified", accept_raverified)
        NUM("txn_timeout", txn_timeout, 1, 86400 * 365)
        NUM("max_skew", max_skew, 0, 86400 * 365)
        NUM("verbosity", verbosity, 0, 8)
        FLAG("dump", dump)
        FLAG("pending", pending)
        STR("approve", approve)
        STR("reject", reject)
        fprintf(stderr, "cmpserver: unknown option '%s' (see -help)\n", argv[i]);
        return -1;
    }
    if (o->pending + (o->approve != NULL) + (o->reject != NULL) > 0) {
        if (o->pending + (o->approve != NULL) + (o->reject != NULL) > 1) {
            fprintf(stderr, "cmpserver: give one of -pending, -approve, -reject\n");
            return -1;
        }
        if (o->state == NULL) {
            fprintf(stderr, "cmpserver: -pending, -approve and -reject need -state DIR\n");
            return -1;
        }
        return 0;
    }
    if (o->port < 0) {
        fprintf(stderr, "cmpserver: -port is required (0 picks a free port)\n");
        return -1;
    }
    if (o->ca_cert == NULL || o->ca_key == NULL) {
        fprintf(stderr, "cmpserver: -ca_cert and -ca_key are required\n");
        return -1;
    }
    if ((o->srv_cert == NULL) != (o->srv_key == NULL)) {
        fprintf(stderr, "cmpserver: -srv_cert and -srv_key go together\n");
        return -1;
    }
    return 0;
}

/* ---- logging ------------------------------------------------------------------------ */

static void print_piece(void *arg, const char *text, size_t len)
{
    fwrite(text, 1, len, (FILE *)arg);
}

static void dump_msg(const char *what, cmp_span der)
{
    cmp_msg *m = NULL;

    if (der.len == 0) {
        return;
    }
    fprintf(stderr, "---- %s (%zu bytes)\n", what, der.len);
    if (cmp_msg_decode(&m, der.data, der.len, NULL, NULL) != CMP_OK) {
        cmp_decode_opts lo;
        memset(&lo, 0, sizeof(lo));
        lo.lenient = 1;
        if (cmp_msg_decode(&m, der.data, der.len, &lo, NULL) != CMP_OK) {
            fprintf(stderr, "(does not decode)\n");
            return;
        }
    }
    (void)cmp_msg_print(m, 0, print_piece, stderr);
    fputc('\n', stderr);
    cmp_msg_free(m);
}

static void fail_names(char *out, size_t out_len, uint32_t bits)
{
    size_t used = 0;
    int b;

    out[0] = '\0';
    for (b = 0; b <= CMP_FI_MAX; b++) {
        if (bits & (1u << b)) {
            int n = snprintf(out + used, out_len - used, "%s%s", used ? "," : "",
                             cmp_failinfo_name(b));
            if (n < 0 || (size_t)n >= out_len - used) {
                return;
            }
            used += (size_t)n;
        }
    }
}

/* One line per message: transactionID prefix, body types, status. */
static void on_message(void *arg, const cmp_server_event *ev)
{
    const opts *o = arg;
    char tid[20], fi[256];
    size_t i;

    for (i = 0; i < 4 && i < ev->transaction_id.len; i++) {
        snprintf(tid + 2 * i, 3, "%02x", ev->transaction_id.data[i]);
    }
    tid[2 * i] = '\0';
    if (i == 0) {
        strcpy(tid, "-");
    }
    fail_names(fi, sizeof(fi), ev->fail_info);
    pthread_mutex_lock(&g_log_mu);
    if (o->verbosity >= 6) {
        fprintf(stderr, "cmpserver: %s%s%stid=%s %s -> %s%s%s%s%s%s%s\n",
                ev->profile != NULL && ev->profile[0] ? "profile=" : "",
                ev->profile != NULL ? ev->profile : "",
                ev->profile != NULL && ev->profile[0] ? " " : "", tid,
                ev->req_body == CMP_BODY_NONE ? "(undecodable)" : cmp_body_name(ev->req_body),
                cmp_body_name(ev->rsp_body), ev->status >= 0 ? " status=" : "",
                ev->status >= 0 ? cmp_status_name(ev->status) : "", fi[0] ? " failInfo=" : "",
                fi, ev->err != CMP_OK ? " error=" : "",
                ev->err != CMP_OK ? cmp_err_name(ev->err) : "");
    }
    if (g_dump) {
        dump_msg("request", ev->request);
        dump_msg("response", ev->response);
    }
    fflush(stderr);
    pthread_mutex_unlock(&g_log_mu);
}

/* Counts answered messages for -max_msgs and stops the server after the
 * last one. */
static cmp_err handler(void *arg, const char *path, const uint8_t *req, size_t req_len,
                       uint8_t **rsp, size_t *rsp_len, int *status)
{
    cmp_err e = cmp_server_http_handler(arg, path, req, req_len, rsp, rsp_len, status);
    long n;

    if (g_max_msgs > 0) {
        pthread_mutex_lock(&g_log_mu);
        n = ++g_msgs;
        pthread_mutex_unlock(&g_log_mu);
        if (n >= g_max_msgs) {
            cmp_http_server_stop(g_http);
        }
    }
    return e;
}

/* ---- setup ------------------------------------------------------------------------- */

static cmp_span lspan(const tool_der_list *l, size_t i)
{
    cmp_span s;
    s.data = l->der[i];
    s.len = l->len[i];
    return s;
}

/* Turns a list of DER certificates into spans (malloc'd array). */
static cmp_span *spans_of(const tool_der_list *l)
{
    cmp_span *s = calloc(l->num + 1, sizeof(*s));
    size_t i;

    for (i = 0; s != NULL && i < l->num; i++) {
        s[i] = lspan(l, i);
    }
    return s;
}

static int load_list(tool_der_list *l, const char *paths)
{
    return paths == NULL ? 0 : tool_load_certs(l, paths);
}

static int load_one_cert(const char *path, uint8_t **der, size_t *len)
{
    return tool_load_der(path, "CERTIFICATE", der, len);
}

/* Fills one profile of the library configuration from its options. */
static int prof_fill(cmp_server_profile_cfg *out, const prof_opts *p)
{
    uint32_t bits;

    cmp_server_profile_cfg_init(out);
    out->label = p->label;
    out->profile.validity = (int64_t)p->days * 86400;
    out->profile.template_validity = p->template_validity;
    out->profile.allow_san = !p->no_san;
    out->profile.allow_key_usage = !p->no_req_ku;
    if (p->ku != NULL) {
        if (parse_names(p->ku, 0, &bits) != 0) {
            return -1;
        }
        out->profile.key_usage = bits;
    }
    if (p->eku != NULL) {
        if (parse_names(p->eku, 1, &bits) != 0) {
            return -1;
        }
        out->profile.ext_key_usage = bits;
    }
    out->poll_count = (unsigned)p->poll_count;
    out->check_after = p->check_after;
    out->pkistatus = (int)p->pkistatus;
    out->fail_info = (uint32_t)p->failurebits;
    if (p->failure >= 0) {
        out->fail_info |= 1u << p->failure;
    }
    out->status_text = p->statusstring;
    out->grant_implicit_confirm = p->grant_implicitconf;
    out->await_approval = p->await_approval;
    return 0;
}

/* ---- administration: -pending, -approve, -reject ----------------------------------- */

static char *db_path_of(const char *dir)
{
    size_t n = strlen(dir) + sizeof("/cmpserver.db");
    char *p = malloc(n);

    if (p != NULL) {
        snprintf(p, n, "%s/cmpserver.db", dir);
    }
    return p;
}

static int hex_decode(uint8_t *out, size_t cap, size_t *out_len, const char *hex)
{
    size_t i, n = strlen(hex);

    if (n == 0 || n % 2 != 0 || n / 2 > cap) {
        return -1;
    }
    for (i = 0; i < n / 2; i++) {
        unsigned v;
        if (sscanf(hex + 2 * i, "%2x", &v) != 1 || !isxdigit((unsigned char)hex[2 * i]) ||
            !isxdigit((unsigned char)hex[2 * i + 1])) {
            return -1;
        }
        out[i] = (uint8_t)v;
    }
    *out_len = n / 2;
    return 0;
}

static void print_pending(void *arg, const cmp_server_pending *p)
{
    int64_t now = *(const int64_t *)arg;
    char subj[512];
    size_t i;

    for (i = 0; i < p->transaction_id.len; i++) {
        printf("%02x", p->transaction_id.data[i]);
    }
    if (p->subject.len == 0 || cmp_name_to_string(subj, sizeof(subj), p->subject) != CMP_OK) {
        strcpy(subj, "-");
    }
    printf("  %s  %s  %s  %llds\n", p->profile[0] ? p->profile : "(default)",
           cmp_body_name(p->body_type), subj,
           (long long)(now > p->created ? now - p->created : 0));
}

/* Runs -pending, -approve or -reject on the database of -state; the exit
 * status. */
static int administer(const opts *o)
{
    cmp_server_admin *a = NULL;
    char *path = db_path_of(o->state);
    uint8_t tid[64];
    size_t tid_len = 0;
    const char *hex = o->approve != NULL ? o->approve : o->reject;
    int64_t now = (int64_t)time(NULL);
    uint32_t bits;
    cmp_err e;
    int rc = 1;

    if (path == NULL) {
        return 1;
    }
    if (hex != NULL && hex_decode(tid, sizeof(tid), &tid_len, hex) != 0) {
        fprintf(stderr, "cmpserver: '%s' is not a transactionID in hex\n", hex);
        goto out;
    }
    e = cmp_server_admin_open(&a, path);
    if (e != CMP_OK) {
        fprintf(stderr, "cmpserver: cannot open the state database %s: %s\n", path,
                cmp_err_str(e));
        goto out;
    }
    if (o->pending) {
        printf("# transactionID  profile  body  subject  age\n");
        e = cmp_server_admin_pending(a, print_pending, &now);
    } else {
        bits = (uint32_t)o->def.failurebits;
        if (o->def.failure >= 0) {
            bits |= 1u << o->def.failure;
        }
        cmp_span t;
        t.data = tid;
        t.len = tid_len;
        e = cmp_server_admin_decide(a, t, o->approve != NULL,
                                    o->approve != NULL ? 0 : bits);
    }
    if (e == CMP_ERR_UNKNOWN_TRANSACTION) {
        fprintf(stderr,
                "cmpserver: transaction %s does not wait for approval (unknown, not waiting, "
                "or already decided)\n",
                hex);
        goto out;
    }
    if (e != CMP_OK) {
        fprintf(stderr, "cmpserver: %s: %s\n", path, cmp_err_str(e));
        goto out;
    }
    if (hex != NULL) {
        printf("%s %s\n", o->approve != NULL ? "approved" : "rejected", hex);
    }
    rc = 0;
out:
    cmp_server_admin_close(a);
    free(path);
    return rc;
}

int main(int argc, char **argv)
{
    opts o;
    cmp_server_config cfg;
    cmp_server *srv = NULL;
    cmp_http_server_opts hopts;
    tool_der_list trusted = {0}, untrusted = {0}, extra = {0}, capubs = {0};
    cmp_span *s_trusted = NULL, *s_untrusted = NULL, *s_extra = NULL, *s_capubs = NULL;
    uint8_t *ca_cert = NULL, *ca_key = NULL, *srv_cert = NULL, *srv_key = NULL;
    size_t ca_cert_len = 0, ca_key_len = 0, srv_cert_len = 0, srv_key_len = 0;
    char *ca_pass = NULL, *srv_pass = NULL, *secret = NULL, *db_path = NULL;
    const char *paths[] = {CMP_HTTP_DEFAULT_PATH, CMP_HTTP_DEFAULT_PATH "/p/*"};
    struct sigaction sa;
    cmp_server_profile_cfg def, *profs = NULL;
    size_t i;
    cmp_err e;
    int rc = 1;

    if (parse_args(&o, argc, argv) != 0) {
        goto out;
    }
    if (o.pending || o.approve != NULL || o.reject != NULL) {
        rc = administer(&o);
        goto out;
    }
    g_dump = o.dump || o.verbosity >= 8;
    g_max_msgs = o.max_msgs;
    cmp_server_config_init(&cfg);
    if (load_one_cert(o.ca_cert, &ca_cert, &ca_cert_len) != 0 ||
        tool_read_file(o.ca_key, &ca_key, &ca_key_len) != 0) {
        goto out;
    }
    if (o.ca_keypass != NULL && tool_get_pass(o.ca_keypass, &ca_pass) != 0) {
        goto out;
    }
    if (o.srv_cert != NULL &&
        (load_one_cert(o.srv_cert, &srv_cert, &srv_cert_len) != 0 ||
         tool_read_file(o.srv_key, &srv_key, &srv_key_len) != 0)) {
        goto out;
    }
    if (o.srv_keypass != NULL && tool_get_pass(o.srv_keypass, &srv_pass) != 0) {
        goto out;
    }
    if (o.srv_secret != NULL && tool_get_pass(o.srv_secret, &secret) != 0) {
        goto out;
    }
    if (load_list(&trusted, o.trusted) < 0 || load_list(&untrusted, o.untrusted) < 0 ||
        load_list(&extra, o.extracerts) < 0 || load_list(&capubs, o.capubs) < 0) {
        goto out;
    }
    s_trusted = spans_of(&trusted);
    s_untrusted = spans_of(&untrusted);
    s_extra = spans_of(&extra);
    s_capubs = spans_of(&capubs);
    if (!s_trusted || !s_untrusted || !s_extra || !s_capubs) {
        fprintf(stderr, "cmpserver: out of memory\n");
        goto out;
    }
    if (o.state != NULL) {
        if (mkdir(o.state, 0700) != 0 && errno != EEXIST) {
            fprintf(stderr, "cmpserver: -state %s: %s\n", o.state, strerror(errno));
            goto out;
        }
        db_path = db_path_of(o.state);
        if (db_path == NULL) {
            goto out;
        }
    }

    cfg.state_path = db_path;
    cfg.ca_cert.data = ca_cert;
    cfg.ca_cert.len = ca_cert_len;
    cfg.ca_key.data = ca_key;
    cfg.ca_key.len = ca_key_len;
    if (ca_pass != NULL) {
        cfg.ca_key_pass.data = (const uint8_t *)ca_pass;
        cfg.ca_key_pass.len = strlen(ca_pass);
    }
    cfg.srv_cert.data = srv_cert;
    cfg.srv_cert.len = srv_cert_len;
    cfg.srv_key.data = srv_key;
    cfg.srv_key.len = srv_key_len;
    if (srv_pass != NULL) {
        cfg.srv_key_pass.data = (const uint8_t *)srv_pass;
        cfg.srv_key_pass.len = strlen(srv_pass);
    }
    if (secret != NULL) {
        cfg.srv_secret.data = (const uint8_t *)secret;
        cfg.srv_secret.len = strlen(secret);
    }
    if (o.srv_ref != NULL) {
        cfg.srv_ref.data = (const uint8_t *)o.srv_ref;
        cfg.srv_ref.len = strlen(o.srv_ref);
    }
    cfg.trusted = s_trusted;
    cfg.num_trusted = trusted.num;
    cfg.untrusted = s_untrusted;
    cfg.num_untrusted = untrusted.num;
    cfg.extra_certs = s_extra;
    cfg.num_extra_certs = extra.num;
    cfg.ca_pubs = s_capubs;
    cfg.num_ca_pubs = capubs.num;
    if (prof_fill(&def, &o.def) != 0) {
        goto out;
    }
    cfg.profile = def.profile;
    cfg.poll_count = def.poll_count;
    cfg.check_after = def.check_after;
    cfg.pkistatus = def.pkistatus;
    cfg.fail_info = def.fail_info;
    cfg.status_text = def.status_text;
    cfg.grant_implicit_confirm = def.grant_implicit_confirm;
    cfg.await_approval = def.await_approval;
    if (o.num_profs > 0) {
        profs = calloc(o.num_profs, sizeof(*profs));
        if (profs == NULL) {
            goto out;
        }
        for (i = 0; i < o.num_profs; i++) {
            if (prof_fill(&profs[i], &o.profs[i]) != 0) {
                goto out;
            }
        }
    }
    cfg.profiles = profs;
    cfg.num_profiles = o.num_profs;
    cfg.max_skew = o.max_skew;
    cfg.send_error = o.send_error;
    cfg.accept_unprotected = o.accept_unprotected;
    cfg.accept_raverified = o.accept_raverified;
    cfg.txn_timeout = o.txn_timeout;
    cfg.num_slots = o.threads;
    cfg.clock = clock_now;
    cfg.on_message = on_message;
    cfg.event_arg = &o;
    e = cmp_server_new(&srv, &cfg);
    if (e != CMP_OK) {
        fprintf(stderr, "cmpserver: cannot set up the CA: %s (%s)\n", cmp_err_name(e),
                cmp_err_str(e));
        goto out;
    }

    cmp_http_server_opts_init(&hopts);
    hopts.host = o.listen;
    hopts.port = (uint16_t)o.port;
    hopts.paths = paths;
    hopts.num_paths = 2;
    hopts.handler = handler;
    hopts.handler_arg = srv;
    hopts.num_threads = o.threads;
    hopts.max_conns = o.max_conns;
    e = cmp_http_server_new(&g_http, &hopts);
    if (e != CMP_OK) {
        fprintf(stderr, "cmpserver: cannot listen on %s:%ld: %s\n", o.listen, o.port,
                cmp_err_str(e));
        goto out;
    }
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    e = cmp_http_server_start(g_http);
    if (e != CMP_OK) {
        fprintf(stderr, "cmpserver: cannot start: %s\n", cmp_err_str(e));
        goto out;
    }
    printf("listening on %s:%u\n", o.listen, (unsigned)cmp_http_server_port(g_http));
    fflush(stdout);
    for (i = 0; o.verbosity >= 6 && i < o.num_profs; i++) {
        fprintf(stderr, "cmpserver: profile %s at " CMP_HTTP_DEFAULT_PATH "/p/%s\n",
                o.profs[i].label, o.profs[i].label);
    }
    cmp_http_server_wait(g_http);
    if (o.verbosity >= 6) {
        fprintf(stderr, "cmpserver: stopped\n");
    }
    rc = 0;
out:
    cmp_http_server_free(g_http);
    g_http = NULL;
    cmp_server_free(srv);
    tool_der_list_free(&trusted);
    tool_der_list_free(&untrusted);
    tool_der_list_free(&extra);
    tool_der_list_free(&capubs);
    free(s_trusted);
    free(s_untrusted);
    free(s_extra);
    free(s_capubs);
    free(ca_cert);
    tool_free_secret((char *)ca_key);
    free(srv_cert);
    tool_free_secret((char *)srv_key);
    tool_free_secret(ca_pass);
    tool_free_secret(srv_pass);
    tool_free_secret(secret);
    free(db_path);
    free(profs);
    free(o.profs);
    free(o.trusted);
    free(o.untrusted);
    free(o.extracerts);
    free(o.capubs);
    return rc;
}
