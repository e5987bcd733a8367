/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tools/tool_util.c: file, PEM, pass-phrase and atomic-write helpers of the
 * command-line tools (see tool_util.h).
 */
#define _POSIX_C_SOURCE 200809L

#include "tool_util.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define TOOL_MAX_FILE (16u * 1024u * 1024u)

static void wipe(void *p, size_t n)
{
    volatile uint8_t *v = p;
    while (n-- > 0) {
        *v++ = 0;
    }
}

void tool_der_list_free(tool_der_list *l)
{
    size_t i;

    for (i = 0; i < l->num; i++) {
        free(l->der[i]);
    }
    free(l->der);
    free(l->len);
    memset(l, 0, sizeof(*l));
}

int tool_der_list_add(tool_der_list *l, const uint8_t *der, size_t len)
{
    uint8_t **d = realloc(l->der, (l->num + 1) * sizeof(*d));
    size_t *n;
    uint8_t *copy;

    if (d == NULL) {
        return -1;
    }
    l->der = d;
    n = realloc(l->len, (l->num + 1) * sizeof(*n));
    if (n == NULL) {
        return -1;
    }
    l->len = n;
    copy = malloc(len ? len : 1);
    if (copy == NULL) {
        return -1;
    }
    memcpy(copy, der, len);
    l->der[l->num] = copy;
    l->len[l->num] = len;
    l->num++;
    return 0;
}

int tool_read_file(const char *path, uint8_t **out, size_t *out_len)
{
    FILE *f = fopen(path, "rb");
    uint8_t *buf = NULL;
    size_t len = 0, cap = 0, n;

    *out = NULL;
    *out_len = 0;
    if (f == NULL) {
        fprintf(stderr, "error: cannot open %s: %s\n", path, strerror(errno));
        return -1;
    }
    for (;;) {
        if (cap - len < 4096) {
            uint8_t *nb;
            if (cap >= TOOL_MAX_FILE) {
                fprintf(stderr, "error: %s is too large\n", path);
                goto fail;
            }
            cap = cap ? cap * 2 : 8192;
            nb = realloc(buf, cap + 1);
            if (nb == NULL) {
                goto fail;
            }
            buf = nb;
        }
        n = fread(buf + len, 1, cap - len, f);
        len += n;
        if (n == 0) {
            break;
        }
    }
    if (ferror(f)) {
        fprintf(stderr, "error: cannot read %s: %s\n", path, strerror(errno));
        goto fail;
    }
    fclose(f);
    if (buf == NULL) {
        buf = malloc(1);
        if (buf == NULL) {
            return -1;
        }
    }
    buf[len] = 0;
    *out = buf;
    *out_len = len;
    return 0;
fail:
    fclose(f);
    if (buf != NULL) {
        wipe(buf, cap);
    }
    free(buf);
    return -1;
}

/* ---- base64 ------------------------------------------------------------- */

static int b64_val(int c)
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

/* Decodes base64 between |p| and |end| (whitespace ignored). */
static int b64_decode(uint8_t **out, size_t *out_len, const char *p, const char *end)
{
    uint8_t *buf = malloc((size_t)(end - p) / 4 * 3 + 3);
    size_t n = 0;
    uint32_t acc = 0;
    int bits = 0, pad = 0;

    if (buf == NULL) {
        return -1;
    }
    for (; p < end; p++) {
        int v;
        if (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n') {
            continue;
        }
        if (*p == '=') {
            pad++;
            continue;
        }
        v = b64_val((unsigned char)*p);
        if (v < 0 || pad > 0) {
            free(buf);
            return -1;
        }
        acc = (acc << 6) | (uint32_t)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            buf[n++] = (uint8_t)(acc >> bits);
        }
    }
    if (pad > 2) {
        free(buf);
        return -1;
    }
    *out = buf;
    *out_len = n;
    return 0;
}

int tool_pem_decode_all(tool_der_list *out, const uint8_t *in, size_t len, const char *label)
{
    const char *s = (const char *)in;
    const char *end = s + len;
    int found = 0;

    while (s < end) {
        const char *b = NULL, *lab, *lab_end, *body, *e;
        char endmark[128];
        uint8_t *der = NULL;
        size_t der_len = 0;
        size_t left = (size_t)(end - s);
        const char *q;

        for (q = s; q + 11 <= end; q++) {
            if (memcmp(q, "-----BEGIN ", 11) == 0) {
                b = q;
                break;
            }
        }
        if (b == NULL) {
            break;
        }
        (void)left;
        lab = b + 11;
        for (lab_end = lab; lab_end + 5 <= end && memcmp(lab_end, "-----", 5) != 0; lab_end++) {
            if (*lab_end == '\n') {
                return -1;
            }
        }
        if (lab_end + 5 > end || (size_t)(lab_end - lab) > 100) {
            return -1;
        }
        body = lab_end + 5;
        snprintf(endmark, sizeof(endmark), "-----END %.*s-----", (int)(lab_end - lab), lab);
        e = NULL;
        for (q = body; q + strlen(endmark) <= end; q++) {
            if (memcmp(q, endmark, strlen(endmark)) == 0) {
                e = q;
                break;
            }
        }
        if (e == NULL) {
            return -1;
        }
        s = e + strlen(endmark);
        if (label != NULL
            && ((size_t)(lab_end - lab) != strlen(label) || memcmp(lab, label, strlen(label)))) {
            continue;
        }
        /* Encrypted PEM headers ("Proc-Type:") are not for this decoder. */
        if (b64_decode(&der, &der_len, body, e) != 0) {
            return -1;
        }
        if (tool_der_list_add(out, der, der_len) != 0) {
            free(der);
            return -1;
        }
        free(der);
        found++;
    }
    return found;
}

static int is_pem(const uint8_t *in, size_t len)
{
    size_t i;

    for (i = 0; i + 11 <= len; i++) {
        if (memcmp(in + i, "-----BEGIN ", 11) == 0) {
            return 1;
        }
    }
    return 0;
}

int tool_load_certs(tool_der_list *out, const char *paths)
{
    char *copy = strdup(paths);
    char *save = NULL, *p;
    int rc = 0;

    if (copy == NULL) {
        return -1;
    }
    for (p = strtok_r(copy, ",", &save); p != NULL && rc == 0; p = strtok_r(NULL, ",", &save)) {
        uint8_t *data;
        size_t len;
        while (*p == ' ') {
            p++;
        }
        if (*p == '\0') {
            continue;
        }
        if (tool_read_file(p, &data, &len) != 0) {
            rc = -1;
            break;
        }
        if (is_pem(data, len)) {
            int n = tool_pem_decode_all(out, data, len, "CERTIFICATE");
            if (n <= 0) {
                fprintf(stderr, "error: %s: no certificate found\n", p);
                rc = -1;
            }
        } else if (tool_der_list_add(out, data, len) != 0) {
            rc = -1;
        }
        free(data);
    }
    free(copy);
    return rc;
}

int tool_load_der(const char *path, const char *label, uint8_t **out, size_t *out_len)
{
    uint8_t *data;
    size_t len;
    tool_der_list l = {NULL, NULL, 0};

    *out = NULL;
    *out_len = 0;
    if (tool_read_file(path, &data, &len) != 0) {
        return -1;
    }
    if (!is_pem(data, len)) {
        *out = data;
        *out_len = len;
        return 0;
    }
    if (tool_pem_decode_all(&l, data, len, label) <= 0) {
        fprintf(stderr, "error: %s: no %s found\n", path, label != NULL ? label : "PEM block");
        wipe(data, len);
        free(data);
        tool_der_list_free(&l);
        return -1;
    }
    wipe(data, len);
    free(data);
    *out = l.der[0];
    *out_len = l.len[0];
    l.der[0] = NULL;
    tool_der_list_free(&l);
    return 0;
}

int tool_pem_encode(char **out, size_t *out_len, const char *label, const uint8_t *der,
                    size_t len)
{
    static const char tbl[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t cap = 64 + 2 * strlen(label) + (len + 2) / 3 * 4 + len / 48 + 2;
    char *s = malloc(cap);
    size_t n = 0, i, col = 0;

    if (s == NULL) {
        return -1;
    }
    n += (size_t)snprintf(s + n, cap - n, "-----BEGIN %s-----\n", label);
    for (i = 0; i < len; i += 3) {
        uint32_t v = (uint32_t)der[i] << 16;
        size_t k = len - i;
        if (k > 1) {
            v |= (uint32_t)der[i + 1] << 8;
        }
        if (k > 2) {
            v |= der[i + 2];
        }
        s[n++] = tbl[(v >> 18) & 63];
        s[n++] = tbl[(v >> 12) & 63];
        s[n++] = k > 1 ? tbl[(v >> 6) & 63] : '=';
        s[n++] = k > 2 ? tbl[v & 63] : '=';
        col += 4;
        if (col == 64) {
            s[n++] = '\n';
            col = 0;
        }
    }
    if (col != 0) {
        s[n++] = '\n';
    }
    n += (size_t)snprintf(s + n, cap - n, "-----END %s-----\n", label);
    *out = s;
    *out_len = n;
    return 0;
}

int tool_get_pass(const char *src, char **out)
{
    *out = NULL;
    if (strncmp(src, "pass:", 5) == 0) {
        *out = strdup(src + 5);
    } else if (strncmp(src, "env:", 4) == 0) {
        const char *v = getenv(src + 4);
        if (v == NULL) {
            fprintf(stderr, "error: environment variable %s is not set\n", src + 4);
            return -1;
        }
        *out = strdup(v);
    } else if (strncmp(src, "file:", 5) == 0) {
        uint8_t *data;
        size_t len, i;
        if (tool_read_file(src + 5, &data, &len) != 0) {
            return -1;
        }
        for (i = 0; i < len && data[i] != '\n' && data[i] != '\r'; i++) {
        }
        data[i] = 0;
        *out = strdup((char *)data);
        wipe(data, len);
        free(data);
    } else {
        fprintf(stderr, "error: pass phrase source must be pass:, env: or file:\n");
        return -1;
    }
    return *out != NULL ? 0 : -1;
}

void tool_free_secret(char *s)
{
    if (s != NULL) {
        wipe(s, strlen(s));
        free(s);
    }
}

/* ---- atomic writing ----------------------------------------------------- */

static int fsync_dir_of(const char *path)
{
    char *copy = strdup(path);
    int fd, rc = 0;

    if (copy == NULL) {
        return -1;
    }
    fd = open(dirname(copy), O_RDONLY);
    if (fd >= 0) {
        if (fsync(fd) != 0 && errno != EINVAL) {
            rc = -1;
        }
        close(fd);
    }
    free(copy);
    return rc;
}

int tool_stage(tool_staged *st, const char *path, const void *data, size_t len, mode_t mode)
{
    size_t plen = strlen(path);
    const uint8_t *p = data;
    int fd;

    memset(st, 0, sizeof(*st));
    st->path = strdup(path);
    st->tmp = malloc(plen + 16);
    if (st->path == NULL || st->tmp == NULL) {
        tool_abort(st);
        return -1;
    }
    /* A temporary file in the target's own directory, so that rename()
     * replaces the target atomically. */
    snprintf(st->tmp, plen + 16, "%s.tmpXXXXXX", path);
    fd = mkstemp(st->tmp);
    if (fd < 0) {
        fprintf(stderr, "error: cannot create a temporary file for %s: %s\n", path,
                strerror(errno));
        free(st->tmp);
        st->tmp = NULL;
        tool_abort(st);
        return -1;
    }
    if (fchmod(fd, mode) != 0) {
        goto fail;
    }
    while (len > 0) {
        ssize_t w = write(fd, p, len);
        if (w < 0) {
            if (errno == EINTR) {
                continue;
            }
            goto fail;
        }
        p += w;
        len -= (size_t)w;
    }
    if (fsync(fd) != 0) {
        goto fail;
    }
    if (close(fd) != 0) {
        fd = -1;
        goto fail;
    }
    return 0;
fail:
    fprintf(stderr, "error: cannot write %s: %s\n", path, strerror(errno));
    if (fd >= 0) {
        close(fd);
    }
    tool_abort(st);
    return -1;
}

int tool_commit(tool_staged *st)
{
    int rc = 0;

    if (st->tmp == NULL) {
        return -1;
    }
    if (rename(st->tmp, st->path) != 0) {
        fprintf(stderr, "error: cannot rename to %s: %s\n", st->path, strerror(errno));
        tool_abort(st);
        return -1;
    }
    free(st->tmp);
    st->tmp = NULL;
    if (fsync_dir_of(st->path) != 0) {
        rc = -1;
    }
    free(st->path);
    st->path = NULL;
    return rc;
}

void tool_abort(tool_staged *st)
{
    if (st->tmp != NULL) {
        unlink(st->tmp);
        free(st->tmp);
    }
    free(st->path);
    st->tmp = NULL;
    st->path = NULL;
}

int tool_write_atomic(const char *path, const void *data, size_t len, mode_t mode)
{
    tool_staged st;

    if (tool_stage(&st, path, data, len, mode) != 0) {
        return -1;
    }
    return tool_commit(&st);
}

/* ---- DER for request extensions ----------------------------------------- */

void tool_der_bytes(tool_der *d, const void *p, size_t n)
{
    if (d->failed) {
        return;
    }
    if (d->cap - d->len < n) {
        size_t cap = (d->cap + n) * 2 + 64;
        uint8_t *nb = realloc(d->data, cap);
        if (nb == NULL) {
            d->failed = 1;
            return;
        }
        d->data = nb;
        d->cap = cap;
    }
    if (n > 0) {
        memcpy(d->data + d->len, p, n);
    }
    d->len += n;
}

void tool_der_tlv(tool_der *d, uint8_t tag, const void *p, size_t n)
{
    uint8_t hdr[6];
    size_t h = 0;

    hdr[h++] = tag;
    if (n < 0x80) {
        hdr[h++] = (uint8_t)n;
    } else if (n < 0x100) {
        hdr[h++] = 0x81;
        hdr[h++] = (uint8_t)n;
    } else if (n < 0x10000) {
        hdr[h++] = 0x82;
        hdr[h++] = (uint8_t)(n >> 8);
        hdr[h++] = (uint8_t)n;
    } else {
        hdr[h++] = 0x83;
        hdr[h++] = (uint8_t)(n >> 16);
        hdr[h++] = (uint8_t)(n >> 8);
        hdr[h++] = (uint8_t)n;
    }
    tool_der_bytes(d, hdr, h);
    tool_der_bytes(d, p, n);
}

static void der_free(tool_der *d)
{
    free(d->data);
    memset(d, 0, sizeof(*d));
}

/* One Extension: SEQUENCE { extnID, critical (only when TRUE), extnValue }. */
static void ext_add(tool_der *exts, const uint8_t *oid, size_t oid_len, int critical,
                    const tool_der *value)
{
    tool_der e = {NULL, 0, 0, 0};
    static const uint8_t crit[] = {0x01, 0x01, 0xff};

    tool_der_tlv(&e, 0x06, oid, oid_len);
    if (critical) {
        tool_der_bytes(&e, crit, sizeof(crit));
    }
    tool_der_tlv(&e, 0x04, value->data, value->len);
    if (e.failed) {
        exts->failed = 1;
    }
    tool_der_tlv(exts, 0x30, e.data, e.len);
    der_free(&e);
}

int tool_exts_encode(tool_der *out, const char *sans, unsigned ku)
{
    /* = https://www.rfc-editor.org/rfc/rfc5280#section-4.2.1.6
     * # id-ce-subjectAltName OBJECT IDENTIFIER ::=  { id-ce 17 } */
    static const uint8_t oid_san[] = {0x55, 0x1d, 0x11};
    static const uint8_t oid_ku[] = {0x55, 0x1d, 0x0f};
    tool_der list = {NULL, 0, 0, 0};
    tool_der gns = {NULL, 0, 0, 0};
    tool_der val = {NULL, 0, 0, 0};
    int rc = -1;

    memset(out, 0, sizeof(*out));
    if (sans != NULL && *sans != '\0') {
        char *copy = strdup(sans), *save = NULL, *p;
        if (copy == NULL) {
            goto done;
        }
        for (p = strtok_r(copy, ", ", &save); p != NULL; p = strtok_r(NULL, ", ", &save)) {
            uint8_t ip[16];
            if (inet_pton(AF_INET, p, ip) == 1) {
                tool_der_tlv(&gns, 0x87, ip, 4);
            } else if (inet_pton(AF_INET6, p, ip) == 1) {
                tool_der_tlv(&gns, 0x87, ip, 16);
            } else if (strchr(p, '@') != NULL) {
                tool_der_tlv(&gns, 0x81, p, strlen(p));
            } else if (strchr(p, ':') != NULL) {
                tool_der_tlv(&gns, 0x86, p, strlen(p));
            } else {
                tool_der_tlv(&gns, 0x82, p, strlen(p));
            }
        }
        free(copy);
        tool_der_tlv(&val, 0x30, gns.data, gns.len);
        ext_add(&list, oid_san, sizeof(oid_san), 0, &val);
        der_free(&val);
    }
    if (ku != 0) {
        /* KeyUsage BIT STRING, DER: trailing zero bits dropped. */
        uint8_t bs[3] = {0, 0, 0};
        size_t nbytes, i;
        int last = -1;
        for (i = 0; i < 9; i++) {
            if (ku & (1u << i)) {
                bs[1 + i / 8] |= (uint8_t)(0x80u >> (i % 8));
                last = (int)i;
            }
        }
        nbytes = (size_t)last / 8 + 1;
        bs[0] = (uint8_t)(7 - last % 8);
        tool_der_tlv(&val, 0x03, bs, nbytes + 1);
        ext_add(&list, oid_ku, sizeof(oid_ku), 1, &val);
        der_free(&val);
    }
    if (list.len > 0) {
        tool_der_tlv(out, 0x30, list.data, list.len);
    }
    rc = (list.failed || gns.failed || out->failed) ? -1 : 0;
done:
    der_free(&list);
    der_free(&gns);
    der_free(&val);
    return rc;
}
