/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tools/cmpdump.c: print a CMP message (PKIMessage, RFC 9810) as text or
 * JSON, and tell a conformance tester whether a peer's message is
 * canonical DER. A thin CLI over the public API: reading the input and the
 * exit status are all it adds (DESIGN.md, "tools").
 *
 * Exit status: 0 printed (or, with --check, canonical DER); 1 with --check:
 * decodes only in lenient mode or re-encodes differently; 2 malformed;
 * 3 usage or input/output error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmp/config.h"
#include "cmp/err.h"
#include "cmp/mem.h"
#include "cmp/msg.h"

#define EXIT_CANONICAL 0
#define EXIT_NOT_CANONICAL 1
#define EXIT_MALFORMED 2
#define EXIT_USAGE 3

/* Base64 and PEM need about 4/3 of the DER plus line breaks. */
#define MAX_INPUT (2u * CMP_MAX_MSG_LEN)

static const char usage_text[] =
    "usage: cmpdump [--json] [--check] [--lenient] [FILE|-]\n"
    "\n"
    "Print a CMP message (PKIMessage, RFC 4210/9810) read from FILE, or from\n"
    "standard input when FILE is '-' or absent. The input may be DER, PEM\n"
    "(-----BEGIN ...----- with base64) or raw base64.\n"
    "\n"
    "  --json     print JSON instead of text\n"
    "  --check    do not print the message; check that it is canonical DER:\n"
    "             exit 0 if it is, 1 if it decodes only leniently or\n"
    "             re-encodes differently (the byte offset and reason are\n"
    "             printed), 2 if it is malformed\n"
    "  --lenient  accept the BER forms the decoder knows (indefinite and\n"
    "             non-minimal lengths, ...) instead of strict DER\n"
    "  -h, --help print this help\n"
    "\n"
    "Exit status: 0 success, 1 not canonical (--check), 2 malformed message,\n"
    "3 usage or input/output error. Malformed input is reported with the byte\n"
    "offset (in the DER, after PEM or base64 decoding) and the reason.\n";

typedef struct opts {
    int json, check, lenient;
    const char *file;
} opts;

static int parse_args(int argc, char **argv, opts *o)
{
    int i, files = 0;

    memset(o, 0, sizeof(*o));
    o->file = "-";
    for (i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--json") == 0) {
            o->json = 1;
        } else if (strcmp(a, "--check") == 0) {
            o->check = 1;
        } else if (strcmp(a, "--lenient") == 0) {
            o->lenient = 1;
        } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            fputs(usage_text, stdout);
            exit(0);
        } else if (a[0] == '-' && a[1] != '\0') {
            fprintf(stderr, "cmpdump: unknown option '%s' (try --help)\n", a);
            return -1;
        } else if (files++ == 0) {
            o->file = a;
        } else {
            fprintf(stderr, "cmpdump: only one input file (try --help)\n");
            return -1;
        }
    }
    return 0;
}

/* ---- input ---------------------------------------------------------------- */

/* Reads all of |f| up to MAX_INPUT bytes; more is an error. */
static int read_all(FILE *f, unsigned char **out, size_t *out_len)
{
    size_t cap = 65536, len = 0, n;
    unsigned char *buf = malloc(cap), *nb;

    if (buf == NULL) {
        return -1;
    }
    for (;;) {
        if (len == cap) {
            if (cap >= MAX_INPUT + 1) {
                break;
            }
            cap = cap * 2 > MAX_INPUT + 1 ? MAX_INPUT + 1 : cap * 2;
            nb = realloc(buf, cap);
            if (nb == NULL) {
                free(buf);
                return -1;
            }
            buf = nb;
        }
        n = fread(buf + len, 1, cap - len, f);
        len += n;
        if (n == 0) {
            break;
        }
    }
    if (ferror(f) || len > MAX_INPUT) {
        free(buf);
        return len > MAX_INPUT ? -2 : -1;
    }
    *out = buf;
    *out_len = len;
    return 0;
}

static int b64_val(unsigned char c)
{
    if (c >= 'A' && c <= 'Z') {
        return c - 'A';
    }
    if (c >= 'a' && c <= 'z') {
        return c - 'a' + 26;
    }
    if (c >= '0' && c <= '9') {
        return c - '0' + 52;
    }
    if (c == '+') {
        return 62;
    }
    if (c == '/') {
        return 63;
    }
    return -1;
}

static int is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Decodes RFC 4648 base64 (whitespace ignored, '=' padding only at the
 * end) from |in| into |out|, which has room for |len| bytes. */
static int b64_decode(const unsigned char *in, size_t len, unsigned char *out, size_t *out_len)
{
    size_t i, o = 0, pad = 0;
    unsigned long acc = 0;
    int n = 0, v;

    for (i = 0; i < len; i++) {
        if (is_space(in[i])) {
            continue;
        }
        if (in[i] == '=') {
            pad++;
            continue;
        }
        if (pad > 0 || (v = b64_val(in[i])) < 0) {
            return -1;
        }
        acc = (acc << 6) | (unsigned long)v;
        if (++n == 4) {
            out[o++] = (unsigned char)(acc >> 16);
            out[o++] = (unsigned char)(acc >> 8);
            out[o++] = (unsigned char)acc;
            acc = 0;
            n = 0;
        }
    }
    if (n == 1 || (n == 0 && pad != 0) || (n != 0 && (size_t)(4 - n) != pad)) {
        return -1;
    }
    if (n >= 2) {
        acc <<= 6 * (4 - n);
        out[o++] = (unsigned char)(acc >> 16);
        if (n == 3) {
            out[o++] = (unsigned char)(acc >> 8);
        }
    }
    *out_len = o;
    return 0;
}

/* The base64 between the first "-----BEGIN" line and the next "-----END",
 * without header lines ("Name: value"), decoded into |out|. |text| is
 * NUL-terminated. */
static int pem_decode(const char *text, unsigned char *out, size_t *out_len)
{
    const char *begin = strstr(text, "-----BEGIN"), *end, *line, *next;
    size_t o = 0, n = 0;

    if (begin == NULL || (line = strchr(begin, '\n')) == NULL ||
        (end = strstr(line, "-----END")) == NULL) {
        return -1;
    }
    for (line++; line < end; line = next + 1) {
        next = memchr(line, '\n', (size_t)(end - line));
        if (next == NULL) {
            next = end - 1;
        }
        if (memchr(line, ':', (size_t)(next - line + 1)) == NULL) {
            memcpy(out + o, line, (size_t)(next - line + 1));
            o += (size_t)(next - line + 1);
        }
    }
    /* in place is safe: base64 never grows when decoded */
    if (b64_decode(out, o, out, &n) != 0) {
        return -1;
    }
    *out_len = n;
    return 0;
}

/* DER if it starts like a SEQUENCE; else PEM; else base64; else the bytes
 * as they are, so that the decoder says what is wrong with them. |in| is
 * NUL-terminated at |len|. Returns -1 for a broken PEM armour. */
static int to_der(const unsigned char *in, size_t len, unsigned char *out, size_t *out_len)
{
    memcpy(out, in, len);
    *out_len = len;
    if (len == 0 || in[0] == 0x30 || memchr(in, 0, len) != NULL) {
        return 0;
    }
    if (strstr((const char *)in, "-----BEGIN") != NULL) {
        return pem_decode((const char *)in, out, out_len);
    }
    if (b64_decode(in, len, out, out_len) != 0 || *out_len == 0) {
        memcpy(out, in, len); /* not base64 after all */
        *out_len = len;
    }
    return 0;
}

static int load(const char *file, unsigned char **der, size_t *der_len)
{
    FILE *f = strcmp(file, "-") == 0 ? stdin : fopen(file, "rb");
    unsigned char *buf = NULL, *text = NULL;
    size_t len = 0;
    int r;

    if (f == NULL) {
        fprintf(stderr, "cmpdump: cannot open '%s'\n", file);
        return EXIT_USAGE;
    }
    r = read_all(f, &buf, &len);
    if (f != stdin) {
        fclose(f);
    }
    if (r == -2) {
        fprintf(stderr, "cmpdump: malformed message: input larger than %u bytes\n",
                (unsigned)MAX_INPUT);
        return EXIT_MALFORMED;
    }
    /* a NUL-terminated copy for the text forms, and room for the DER */
    text = r == 0 ? malloc(len + 1) : NULL;
    *der = r == 0 ? malloc(len + 1) : NULL;
    if (text == NULL || *der == NULL) {
        free(buf);
        free(text);
        free(*der);
        *der = NULL;
        fprintf(stderr, "cmpdump: cannot read '%s'\n", file);
        return EXIT_USAGE;
    }
    memcpy(text, buf, len);
    text[len] = '\0';
    free(buf);
    r = to_der(text, len, *der, der_len);
    free(text);
    if (r != 0) {
        fprintf(stderr, "cmpdump: malformed message: the PEM armour or its base64 is broken\n");
        free(*der);
        *der = NULL;
        return EXIT_MALFORMED;
    }
    return 0;
}

/* ---- decoding and checking ----------------------------------------------- */

static void write_stdout(void *arg, const char *text, size_t len)
{
    (void)arg;
    fwrite(text, 1, len, stdout);
}

static void report(const char *what, cmp_err e, size_t off)
{
    fprintf(stderr, "cmpdump: %s: %s at byte offset %zu: %s\n", what, cmp_err_name(e), off,
            cmp_err_str(e));
}

static cmp_err decode(cmp_msg **m, const unsigned char *der, size_t len, int lenient,
                      size_t *off)
{
    cmp_decode_opts o;

    memset(&o, 0, sizeof(o));
    o.lenient = lenient;
    *off = 0;
    return cmp_msg_decode(m, der, len, &o, off);
}

/* Where our DER encoding of |m| first differs from the input, or -1. */
static long first_difference(const cmp_msg *m, const unsigned char *der, size_t len)
{
    cmp_buf enc = {NULL, 0};
    size_t i;
    long r = -1;

    if (cmp_msg_encode(m, &enc) != CMP_OK) {
        return 0;
    }
    for (i = 0; i < len && i < enc.len && der[i] == enc.data[i]; i++) {
    }
    if (i < len || i < enc.len) {
        r = (long)i;
    }
    cmp_buf_cleanup(&enc);
    return r;
}

static void verdict(const opts *o, int code, const char *text)
{
    if (o->json) {
        printf("{\"canonical\":%s,\"exit\":%d,\"result\":\"%s\"}\n", code == 0 ? "true" : "false",
               code, text);
    } else {
        printf("%s\n", text);
    }
}

/* --check: strict first; then lenient, to tell "not DER" from "malformed". */
static int check(const opts *o, const unsigned char *der, size_t len)
{
    cmp_msg *m = NULL;
    size_t off = 0, loff = 0;
    cmp_err e = decode(&m, der, len, 0, &off), le;
    long diff;

    if (e == CMP_OK) {
        diff = first_difference(m, der, len);
        cmp_msg_free(m);
        if (diff < 0) {
            verdict(o, EXIT_CANONICAL, "canonical DER");
            return EXIT_CANONICAL;
        }
        fprintf(stderr, "cmpdump: re-encodes differently from byte offset %ld\n", diff);
        verdict(o, EXIT_NOT_CANONICAL, "not canonical: re-encodes differently");
        return EXIT_NOT_CANONICAL;
    }
    le = decode(&m, der, len, 1, &loff);
    if (le != CMP_OK) {
        report("malformed message", le, loff);
        verdict(o, EXIT_MALFORMED, "malformed");
        return EXIT_MALFORMED;
    }
    /* The strict decoder names the first non-DER element and its offset;
     * a byte comparison with our re-encoding would only find the first
     * outer length that changed with it. */
    report("not canonical DER", e, off);
    cmp_msg_free(m);
    verdict(o, EXIT_NOT_CANONICAL, "not canonical: decodes only in lenient mode");
    return EXIT_NOT_CANONICAL;
}

static int dump(const opts *o, const unsigned char *der, size_t len)
{
    cmp_msg *m = NULL;
    size_t off = 0, loff = 0;
    cmp_err e = decode(&m, der, len, o->lenient, &off);

    if (e != CMP_OK) {
        report("malformed message", e, off);
        if (!o->lenient && decode(&m, der, len, 1, &loff) == CMP_OK) {
            fprintf(stderr, "cmpdump: (it decodes with --lenient)\n");
            cmp_msg_free(m);
        }
        return EXIT_MALFORMED;
    }
    e = cmp_msg_print(m, o->json, write_stdout, NULL);
    cmp_msg_free(m);
    if (e != CMP_OK) {
        fprintf(stderr, "cmpdump: malformed message: a field does not decode: %s: %s\n",
                cmp_err_name(e), cmp_err_str(e));
        return EXIT_MALFORMED;
    }
    return 0;
}

int main(int argc, char **argv)
{
    opts o;
    unsigned char *der = NULL;
    size_t len = 0;
    int r;

    if (parse_args(argc, argv, &o) != 0) {
        return EXIT_USAGE;
    }
    r = load(o.file, &der, &len);
    if (r != 0) {
        return r;
    }
    r = o.check ? check(&o, der, len) : dump(&o, der, len);
    free(der);
    if (fflush(stdout) != 0) {
        return EXIT_USAGE;
    }
    return r;
}
