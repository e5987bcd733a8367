/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tests/fuzz/fuzz_server_request.c: cmp_server_handle on untrusted bytes.
 *
 * The server is made once, with a throwaway CA generated in-process, state
 * in memory, and -accept_unprotected / -accept_raverified so that the
 * fuzzer reaches the bodies and the transaction table, not only the
 * protection check. Transactions persist across inputs, so sequences of
 * messages get explored too.
 *
 * Properties (abort on violation):
 *   - every input gets an answer (cmp_server_handle fails only for NOMEM);
 *   - the answer decodes strictly, is protected, and is an error message
 *     or one of the bodies a CA sends;
 *   - the serial counter never goes backwards.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cmp/mem.h"
#include "cmp/msg.h"
#include "cmp/server.h"
#include "cmp_crypto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)          \
    do {                     \
        if (!(cond)) {       \
            abort();         \
        }                    \
    } while (0)

static cmp_server *g_srv;
static uint64_t g_serial;

static int64_t fixed_clock(void *arg)
{
    (void)arg;
    return 1830000000;
}

/* A self-signed CA made with the crypto provider, for the server to issue
 * from and sign with. */
static void setup(void)
{
    cmp_crypto *c = NULL;
    cmp_key *key = NULL;
    cmp_buf spki = {NULL, 0}, cert = {NULL, 0}, pem = {NULL, 0};
    cmp_cert_template t;
    cmp_server_config cfg;
    static const uint8_t name[] = {0x30, 0x12, 0x31, 0x10, 0x30, 0x0e, 0x06, 0x03, 0x55, 0x04,
                                   0x03, 0x0c, 0x07, 'F', 'u', 'z', 'z', ' ', 'C', 'A'};
    static const uint8_t serial[] = {0x01};

    CHECK(cmp_crypto_wolfssl_new(&c) == CMP_OK);
    CHECK(cmp_crypto_key_generate(c, &key, CMP_KEY_EC_P256, 0) == CMP_OK);
    CHECK(cmp_crypto_key_spki(c, &spki, key) == CMP_OK);
    CHECK(cmp_crypto_key_export_pem(c, &pem, key, CMP_KEY_PEM_PKCS8) == CMP_OK);
    memset(&t, 0, sizeof(t));
    t.subject.data = name;
    t.subject.len = sizeof(name);
    t.spki.data = spki.data;
    t.spki.len = spki.len;
    t.serial.data = serial;
    t.serial.len = sizeof(serial);
    t.not_before = 1700000000;
    t.not_after = 2000000000;
    t.exts.exts = CMP_EXT_BASIC_CONSTRAINTS | CMP_EXT_KEY_USAGE | CMP_EXT_SUBJECT_KEY_ID;
    t.exts.is_ca = 1;
    t.exts.path_len = -1;
    t.exts.key_usage = CMP_KU_KEY_CERT_SIGN | CMP_KU_CRL_SIGN | CMP_KU_DIGITAL_SIGNATURE;
    CHECK(cmp_crypto_cert_issue(c, &cert, key, (cmp_span){NULL, 0}, (cmp_span){NULL, 0}, &t) ==
          CMP_OK);

    cmp_server_config_init(&cfg);
    cfg.ca_cert.data = cert.data;
    cfg.ca_cert.len = cert.len;
    cfg.ca_key.data = pem.data;
    cfg.ca_key.len = pem.len;
    cfg.srv_secret.data = (const uint8_t *)"fuzz";
    cfg.srv_secret.len = 4;
    cfg.accept_unprotected = 1;
    cfg.accept_raverified = 1;
    cfg.grant_implicit_confirm = 1;
    cfg.poll_count = 1;
    cfg.num_slots = 1;
    cfg.clock = fixed_clock;
    CHECK(cmp_server_new(&g_srv, &cfg) == CMP_OK);
    cmp_buf_cleanup(&cert);
    cmp_buf_cleanup(&pem);
    cmp_buf_cleanup(&spki);
    cmp_crypto_key_free(c, key);
    cmp_crypto_free(c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    cmp_buf rsp = {NULL, 0};
    cmp_msg *m = NULL;
    cmp_server_stats st;
    int body;

    if (g_srv == NULL) {
        setup();
    }
    CHECK(cmp_server_handle(g_srv, &rsp, data, size) == CMP_OK);
    CHECK(cmp_msg_decode(&m, rsp.data, rsp.len, NULL, NULL) == CMP_OK);
    CHECK(cmp_msg_protection(m).len > 0);
    body = cmp_msg_body_type(m);
    CHECK(body == CMP_BODY_IP || body == CMP_BODY_CP || body == CMP_BODY_KUP ||
          body == CMP_BODY_POLLREP || body == CMP_BODY_PKICONF || body == CMP_BODY_GENP ||
          body == CMP_BODY_RP || body == CMP_BODY_ERROR);
    CHECK(cmp_server_get_stats(g_srv, &st) == CMP_OK);
    CHECK(st.serial >= g_serial);
    g_serial = st.serial;
    cmp_msg_free(m);
    cmp_buf_cleanup(&rsp);
    return 0;
}
