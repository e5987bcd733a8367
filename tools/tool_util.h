/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tools/tool_util.h: what the command-line tools share: reading files
 * (PEM or DER), pass-phrase sources, PEM output, atomic file writing, and
 * a small DER writer for the request extensions the tools offer.
 *
 * Only the tools touch files (DESIGN.md rule 5). Functions return 0 on
 * success and -1 on failure after printing one line to stderr that names
 * the file and the reason.
 */
#ifndef CMP_TOOL_UTIL_H
#define CMP_TOOL_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* A list of DER objects, each malloc'd. */
typedef struct tool_der_list {
    uint8_t **der;
    size_t *len;
    size_t num;
} tool_der_list;

void tool_der_list_free(tool_der_list *l);
int tool_der_list_add(tool_der_list *l, const uint8_t *der, size_t len);

/* tool_read_file reads a whole file (at most 16 MiB) into a malloc'd buffer
 * with a NUL after the data (not counted in |*out_len|). */
int tool_read_file(const char *path, uint8_t **out, size_t *out_len);

/* tool_pem_decode_all appends to |out| every PEM block of |label|
 * ("CERTIFICATE", ...) found in |in|; with |label| NULL every block. Returns
 * the number of blocks found, or -1 on a malformed block. */
int tool_pem_decode_all(tool_der_list *out, const uint8_t *in, size_t len, const char *label);

/* tool_load_certs appends the certificates of a file: PEM (any number) or
 * one DER certificate. A comma-separated list of files is accepted. */
int tool_load_certs(tool_der_list *out, const char *paths);

/* tool_load_der reads one object (the first PEM block of |label|, or the
 * whole file as DER). */
int tool_load_der(const char *path, const char *label, uint8_t **out, size_t *out_len);

/* tool_pem_encode writes |der| as PEM with |label| into a malloc'd string. */
int tool_pem_encode(char **out, size_t *out_len, const char *label, const uint8_t *der,
                    size_t len);

/* tool_get_pass resolves an openssl-style pass-phrase source: "pass:TEXT",
 * "env:VAR", "file:PATH" (first line). The result is malloc'd; wipe and
 * free it with tool_free_secret. */
int tool_get_pass(const char *src, char **out);
void tool_free_secret(char *s);

/* Atomic writing: the data goes to a temporary file in the target's
 * directory, which is fsync'd; commit renames it over the target and
 * fsyncs the directory; abort removes it. Staging several files and
 * committing them only when everything succeeded leaves the old files
 * untouched after any failure. */
typedef struct tool_staged {
    char *path;
    char *tmp;
} tool_staged;

int tool_stage(tool_staged *st, const char *path, const void *data, size_t len, mode_t mode);
int tool_commit(tool_staged *st);
void tool_abort(tool_staged *st);

/* tool_write_atomic = stage + commit. */
int tool_write_atomic(const char *path, const void *data, size_t len, mode_t mode);

/* A growable DER output buffer (tools only: request extensions). */
typedef struct tool_der {
    uint8_t *data;
    size_t len;
    size_t cap;
    int failed;
} tool_der;

void tool_der_bytes(tool_der *d, const void *p, size_t n);
/* tool_der_tlv writes tag, length and |n| content bytes. */
void tool_der_tlv(tool_der *d, uint8_t tag, const void *p, size_t n);

/* tool_exts_encode builds DER Extensions with subjectAltName entries from
 * |sans| (comma- or space-separated: IPv4/IPv6 addresses, e-mail addresses
 * with '@', URIs with ':', DNS names otherwise) and keyUsage |ku| (bit n =
 * RFC 5280 bit n; 0: none). Empty output when neither is given. */
int tool_exts_encode(tool_der *out, const char *sans, unsigned ku);

#endif /* CMP_TOOL_UTIL_H */
