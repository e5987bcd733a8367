/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tests/fuzz/fuzz_msg_decode.c: cmp_msg_decode on untrusted bytes, strict
 * and lenient, and every header accessor of what decodes.
 *
 * Properties (abort on violation; BoringSSL's der_roundtrip):
 *   - what decodes strictly re-encodes to exactly the input;
 *   - the raw header and body lie inside the message, and ProtectedPart is
 *     SEQUENCE { raw header, raw body };
 *   - a failure's offset lies within the input;
 *   - what decodes strictly also decodes leniently, to the same encoding;
 *   - what decodes leniently encodes, and that encoding decodes leniently
 *     to the same encoding (a fixed point);
 *   - accessors never fail on a decoded message except as documented, a
 *     sender or recipient Name prints, and cmp_msg_print (text and JSON)
 *     writes something and fails only with the peer's fault (a field that
 *     does not decode, class PROTO).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmp/mem.h"
#include "cmp/msg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                          \
    do {                                                                     \
        if (!(cond)) {                                                       \
            fprintf(stderr, "%s:%d: property broken: %s\n", __FILE__, __LINE__, \
                    #cond);                                                  \
            abort();                                                         \
        }                                                                    \
    } while (0)

static int inside(cmp_span s, cmp_span whole)
{
    uintptr_t a = (uintptr_t)s.data, b = (uintptr_t)whole.data;

    return s.len == 0 || (a >= b && s.len <= whole.len && a - b <= whole.len - s.len);
}

static int same(const cmp_buf *b, const uint8_t *data, size_t size)
{
    return b->len == size && memcmp(b->data, data, size) == 0;
}

static void print_name(cmp_span name)
{
    char small[8], text[1024];
    cmp_err err;

    if (name.len == 0) {
        return;
    }
    err = cmp_name_to_string(text, sizeof(text), name);
    CHECK(err == CMP_OK || err == CMP_ERR_BUF_SMALL || err == CMP_ERR_DER_VALUE);
    err = cmp_name_to_string(small, sizeof(small), name);
    CHECK(err == CMP_OK || err == CMP_ERR_BUF_SMALL || err == CMP_ERR_DER_VALUE);
    CHECK(memchr(small, '\0', sizeof(small)) != NULL);
}

static void discard(void *arg, const char *text, size_t len)
{
    size_t *total = arg;

    CHECK(text != NULL || len == 0);
    *total += len;
}

/* cmp_msg_print prints every field and returns the first field that did
 * not decode, which should be the peer's fault (class PROTO). Known
 * exceptions, kept in repro/fuzz_msg_decode/ and reported against
 * msg_print.c: CMP_ERR_ARG for a non-minimal OID (print-oid-arg-*, lenient
 * input only) and CMP_ERR_BUF_SMALL for a very long OID (print-buf-small-*).
 * Drop them here when the printer reports a PROTO code instead. */
static int print_result_ok(cmp_err err)
{
    return err == CMP_OK || cmp_err_class_of(err) == CMP_ERRC_PROTO || err == CMP_ERR_ARG ||
           err == CMP_ERR_BUF_SMALL;
}

static void print_msg(const cmp_msg *m)
{
    size_t total = 0;
    int json;

    for (json = 0; json < 2; json++) {
        CHECK(print_result_ok(cmp_msg_print(m, json, discard, &total)));
        CHECK(total > 0);
        total = 0;
    }
}

static void read_header(const cmp_msg *m)
{
    cmp_span oid, val;
    int64_t t;
    long pvno;
    size_t i;
    cmp_err err;

    CHECK(cmp_msg_body_type(m) != CMP_BODY_NONE);
    err = cmp_msg_pvno(m, &pvno);
    CHECK(err == CMP_OK || err == CMP_ERR_PVNO);
    CHECK(cmp_msg_sender(m).len > 0 && cmp_msg_recipient(m).len > 0);
    print_name(cmp_msg_sender_name(m));
    print_name(cmp_msg_recipient_name(m));
    err = cmp_msg_message_time(m, &t);
    CHECK(err == CMP_OK || err == CMP_ERR_MISSING_FIELD || err == CMP_ERR_DER_VALUE);
    (void)cmp_msg_protection_alg(m);
    (void)cmp_msg_sender_kid(m);
    (void)cmp_msg_recip_kid(m);
    (void)cmp_msg_transaction_id(m);
    (void)cmp_msg_sender_nonce(m);
    (void)cmp_msg_recip_nonce(m);
    for (i = 0; i < cmp_msg_num_free_text(m); i++) {
        (void)cmp_msg_free_text(m, i);
    }
    for (i = 0; i < cmp_msg_num_general_info(m); i++) {
        CHECK(cmp_msg_general_info(m, i, &oid, &val) == CMP_OK);
    }
    CHECK(cmp_msg_general_info(m, i, &oid, &val) == CMP_ERR_ARG);
    (void)cmp_msg_implicit_confirm(m);
    err = cmp_msg_confirm_wait_time(m, &t);
    CHECK(err == CMP_OK || err == CMP_ERR_MISSING_FIELD || err == CMP_ERR_DER_VALUE);
    (void)cmp_msg_protection(m);
    for (i = 0; i < cmp_msg_num_extra_certs(m); i++) {
        CHECK(inside(cmp_msg_extra_cert(m, i), cmp_msg_der(m)));
        CHECK(cmp_msg_extra_cert(m, i).len > 0);
    }
    print_msg(m);
}

static void check_spans(const cmp_msg *m)
{
    cmp_span der = cmp_msg_der(m), h = cmp_msg_raw_header(m), b = cmp_msg_raw_body(m);
    cmp_buf pp = {NULL, 0};
    cmp_err err;

    CHECK(h.len > 0 && b.len > 0 && inside(h, der) && inside(b, der));
    err = cmp_msg_protected_part(m, &pp);
    CHECK(err == CMP_OK);
    CHECK(pp.len > h.len + b.len && pp.data[0] == 0x30);
    CHECK(memcmp(&pp.data[pp.len - h.len - b.len], h.data, h.len) == 0);
    CHECK(memcmp(&pp.data[pp.len - b.len], b.data, b.len) == 0);
    cmp_buf_cleanup(&pp);
}

/* Lenient decoding, and what its encoding gives under strict decoding. */
static void lenient(const uint8_t *data, size_t size, const cmp_buf *strict_enc)
{
    cmp_decode_opts opts = {1, 0, 0};
    cmp_msg *m = NULL, *again = NULL;
    cmp_buf enc = {NULL, 0}, enc2 = {NULL, 0};
    size_t off = 0;
    cmp_err err;

    err = cmp_msg_decode(&m, data, size, &opts, &off);
    CHECK(strict_enc == NULL || err == CMP_OK);
    if (err != CMP_OK) {
        CHECK(m == NULL && off <= size);
        return;
    }
    check_spans(m);
    read_header(m);
    CHECK(cmp_msg_encode(m, &enc) == CMP_OK);
    CHECK(strict_enc == NULL || same(&enc, strict_enc->data, strict_enc->len));
    /* The encoding decodes leniently to itself (a fixed point). Strictly
     * it may still fail: ANY values, times and OIDs travel verbatim. */
    CHECK(cmp_msg_decode(&again, enc.data, enc.len, &opts, &off) == CMP_OK);
    CHECK(cmp_msg_encode(again, &enc2) == CMP_OK && same(&enc2, enc.data, enc.len));
    cmp_buf_cleanup(&enc2);
    cmp_buf_cleanup(&enc);
    cmp_msg_free(again);
    cmp_msg_free(m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    cmp_msg *m = NULL;
    cmp_buf enc = {NULL, 0};
    size_t off = 0;
    cmp_err err;

    err = cmp_msg_decode(&m, data, size, NULL, &off);
    if (err != CMP_OK) {
        CHECK(m == NULL && off <= size);
        lenient(data, size, NULL);
        return 0;
    }
    CHECK(cmp_msg_encode(m, &enc) == CMP_OK);
    CHECK(same(&enc, data, size));
    check_spans(m);
    read_header(m);
    lenient(data, size, &enc);
    cmp_buf_cleanup(&enc);
    cmp_msg_free(m);
    return 0;
}
