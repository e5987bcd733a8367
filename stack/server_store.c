/* SPDX-License-Identifier: Apache-2.0 */
/*
 * stack/server_store.c: the server's durable state in SQLite, and the two
 * locks the server needs. Like the transport this is an I/O module: the
 * only file that includes <sqlite3.h> (and pthread).
 *
 * Durability: WAL journal with synchronous=FULL, so a COMMIT returns only
 * after the WAL is on disk; the server commits before it hands a response
 * out, so a server killed at any point restarts with every answer it gave.
 * One connection, used under |mu| by one thread at a time.
 *
 * Tables:
 *   txn(tid PRIMARY KEY, state, body, pvno, prot, mac_ref, mac_alg,
 *       our_nonce, cert_req_id, implicit, polls_left, approval, fail_info,
 *       req, cert, serial, updated, last_req, last_rsp, last_rsp_body,
 *       profile, subject, created)
 *   cert(serial PRIMARY KEY, der, tid, status, issued)
 *   revocation(serial PRIMARY KEY, reason, time)
 *   meta(k PRIMARY KEY, v): "serial" is the serial counter.
 *
 * Schema versions (PRAGMA user_version): 0 is the first schema, without
 * the txn columns profile, subject and created; opening such a database
 * adds them (existing rows belong to the default profile, created 0).
 * 1 is the current one. A database of a newer version is refused with
 * CMP_ERR_DB rather than written with a schema we do not know.
 */
#define _POSIX_C_SOURCE 200809L

#include <pthread.h>
#include <sqlite3.h>
#include <string.h>

#include "cmp/mem.h"
#include "err_int.h"
#include "server_int.h"

struct cmp_srv_store {
    sqlite3 *db;
    pthread_mutex_t mu;
};

static const char SCHEMA[] =
    "CREATE TABLE IF NOT EXISTS txn("
    " tid BLOB PRIMARY KEY, state INTEGER NOT NULL, body INTEGER NOT NULL,"
    " pvno INTEGER NOT NULL, prot INTEGER NOT NULL, mac_ref BLOB, mac_alg BLOB,"
    " our_nonce BLOB NOT NULL, cert_req_id INTEGER NOT NULL, implicit INTEGER NOT NULL,"
    " polls_left INTEGER NOT NULL, approval INTEGER NOT NULL, fail_info INTEGER NOT NULL,"
    " req BLOB, cert BLOB, serial BLOB, updated INTEGER NOT NULL,"
    " last_req BLOB, last_rsp BLOB, last_rsp_body INTEGER NOT NULL DEFAULT -1,"
    " profile TEXT NOT NULL DEFAULT '', subject BLOB, created INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX IF NOT EXISTS txn_active ON txn(state, updated);"
    "CREATE TABLE IF NOT EXISTS cert("
    " serial BLOB PRIMARY KEY, der BLOB NOT NULL, tid BLOB, status INTEGER NOT NULL,"
    " issued INTEGER NOT NULL);"
    "CREATE TABLE IF NOT EXISTS revocation("
    " serial BLOB PRIMARY KEY, reason INTEGER NOT NULL, time INTEGER NOT NULL);"
    "CREATE TABLE IF NOT EXISTS meta(k TEXT PRIMARY KEY, v INTEGER NOT NULL);"
    "INSERT OR IGNORE INTO meta(k, v) VALUES('serial', 0);";

#define SCHEMA_VERSION 1
#define SET_VERSION "PRAGMA user_version = 1;"

/* Version 0 -> 1: the columns of named profiles and the approval list. */
static const char MIGRATE_0_1[] =
    "ALTER TABLE txn ADD COLUMN profile TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE txn ADD COLUMN subject BLOB;"
    "ALTER TABLE txn ADD COLUMN created INTEGER NOT NULL DEFAULT 0;";

void cmp_srv_txn_cleanup(cmp_srv_txn *t)
{
    if (t == NULL) {
        return;
    }
    cmp_buf_cleanup(&t->mac_ref);
    cmp_buf_cleanup(&t->mac_alg);
    cmp_buf_cleanup(&t->req);
    cmp_buf_cleanup(&t->cert);
    cmp_buf_cleanup(&t->serial);
    cmp_buf_cleanup(&t->last_rsp);
    cmp_buf_cleanup(&t->subject);
    cmp_wipe(t, sizeof(*t));
}

static cmp_err int_query(sqlite3 *db, int64_t *out, const char *sql)
{
    sqlite3_stmt *st = NULL;
    int rc;

    CMP_ENSURE(sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK, CMP_ERR_DB);
    rc = sqlite3_step(st);
    *out = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_finalize(st);
    CMP_ENSURE(rc == SQLITE_ROW, CMP_ERR_DB);
    return CMP_OK;
}

/* Creates or migrates the tables, in one write transaction so that a
 * server and an administrator opening the file at once do not both
 * migrate. */
static cmp_err schema(sqlite3 *db, int create)
{
    cmp_err err = CMP_ERR_DB;
    int64_t version = 0, has_txn = 0;

    CMP_ENSURE(sqlite3_exec(db, "BEGIN IMMEDIATE;", NULL, NULL, NULL) == SQLITE_OK, CMP_ERR_DB);
    CMP_TRY_OUT(int_query(db, &version, "PRAGMA user_version"));
    CMP_ENSURE_OUT(version >= 0 && version <= SCHEMA_VERSION, CMP_ERR_DB);
    CMP_TRY_OUT(int_query(db, &has_txn,
                          "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND"
                          " name = 'txn'"));
    CMP_ENSURE_OUT(create || has_txn, CMP_ERR_DB);
    if (has_txn && version == 0) {
        CMP_ENSURE_OUT(sqlite3_exec(db, MIGRATE_0_1, NULL, NULL, NULL) == SQLITE_OK, CMP_ERR_DB);
    }
    CMP_ENSURE_OUT(sqlite3_exec(db, SCHEMA, NULL, NULL, NULL) == SQLITE_OK, CMP_ERR_DB);
    CMP_ENSURE_OUT(sqlite3_exec(db, SET_VERSION, NULL, NULL, NULL) == SQLITE_OK, CMP_ERR_DB);
    CMP_ENSURE_OUT(sqlite3_exec(db, "COMMIT;", NULL, NULL, NULL) == SQLITE_OK, CMP_ERR_DB);
    err = CMP_OK;
out:
    if (err != CMP_OK && !sqlite3_get_autocommit(db)) {
        (void)sqlite3_exec(db, "ROLLBACK;", NULL, NULL, NULL);
    }
    return err;
}

cmp_err cmp_srv_store_open(cmp_srv_store **out, const char *path, int create)
{
    cmp_err err = CMP_ERR_DB;
    cmp_srv_store *s = NULL;
    int mem = (path == NULL || strcmp(path, ":memory:") == 0);

    *out = NULL;
    s = cmp_calloc(1, sizeof(*s));
    CMP_ENSURE_OUT(s != NULL, CMP_ERR_NOMEM);
    CMP_ENSURE_OUT(pthread_mutex_init(&s->mu, NULL) == 0, CMP_ERR_INTERNAL);
    if (sqlite3_open_v2(mem ? ":memory:" : path, &s->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX |
                            (create ? SQLITE_OPEN_CREATE : 0),
                        NULL) != SQLITE_OK) {
        CMP_FAIL_OUT(CMP_ERR_DB);
    }
    sqlite3_busy_timeout(s->db, 5000);
    if (!mem) {
        CMP_ENSURE_OUT(sqlite3_exec(s->db, "PRAGMA journal_mode=WAL;", NULL, NULL, NULL) ==
                           SQLITE_OK,
                       CMP_ERR_DB);
    }
    CMP_ENSURE_OUT(sqlite3_exec(s->db, "PRAGMA synchronous=FULL;", NULL, NULL, NULL) == SQLITE_OK,
                   CMP_ERR_DB);
    CMP_TRY_OUT(schema(s->db, create));
    *out = s;
    s = NULL;
    err = CMP_OK;
out:
    cmp_srv_store_close(s);
    return err;
}

void cmp_srv_store_close(cmp_srv_store *s)
{
    if (s == NULL) {
        return;
    }
    if (s->db != NULL) {
        sqlite3_close(s->db);
    }
    pthread_mutex_destroy(&s->mu);
    cmp_free(s);
}

void cmp_srv_store_lock(cmp_srv_store *s)
{
    (void)pthread_mutex_lock(&s->mu);
}

void cmp_srv_store_unlock(cmp_srv_store *s)
{
    (void)pthread_mutex_unlock(&s->mu);
}

static cmp_err exec(cmp_srv_store *s, const char *sql)
{
    CMP_ENSURE(sqlite3_exec(s->db, sql, NULL, NULL, NULL) == SQLITE_OK, CMP_ERR_DB);
    return CMP_OK;
}

cmp_err cmp_srv_store_begin(cmp_srv_store *s)
{
    return exec(s, "BEGIN IMMEDIATE;");
}

cmp_err cmp_srv_store_commit(cmp_srv_store *s)
{
    return exec(s, "COMMIT;");
}

void cmp_srv_store_rollback(cmp_srv_store *s)
{
    if (!sqlite3_get_autocommit(s->db)) {
        (void)sqlite3_exec(s->db, "ROLLBACK;", NULL, NULL, NULL);
    }
}

/* ---- statement helpers ----------------------------------------------------- */

static cmp_err prep(cmp_srv_store *s, sqlite3_stmt **out, const char *sql)
{
    *out = NULL;
    CMP_ENSURE(sqlite3_prepare_v2(s->db, sql, -1, out, NULL) == SQLITE_OK, CMP_ERR_DB);
    return CMP_OK;
}

static int bind_blob(sqlite3_stmt *st, int i, cmp_span b)
{
    if (b.len == 0) {
        return sqlite3_bind_zeroblob(st, i, 0);
    }
    if (b.len > (size_t)INT32_MAX) {
        return SQLITE_TOOBIG;
    }
    return sqlite3_bind_blob(st, i, b.data, (int)b.len, SQLITE_TRANSIENT);
}

static cmp_span buf_span(const cmp_buf *b)
{
    cmp_span s;
    s.data = b->data;
    s.len = b->len;
    return s;
}

static cmp_err col_buf(sqlite3_stmt *st, int i, cmp_buf *out)
{
    const void *p = sqlite3_column_blob(st, i);
    int n = sqlite3_column_bytes(st, i);

    out->data = NULL;
    out->len = 0;
    if (p == NULL || n <= 0) {
        return CMP_OK;
    }
    out->data = cmp_malloc((size_t)n);
    CMP_ENSURE(out->data != NULL, CMP_ERR_NOMEM);
    memcpy(out->data, p, (size_t)n);
    out->len = (size_t)n;
    return CMP_OK;
}

static cmp_err col_fixed(sqlite3_stmt *st, int i, uint8_t *out, size_t cap, size_t *out_len)
{
    const void *p = sqlite3_column_blob(st, i);
    int n = sqlite3_column_bytes(st, i);

    CMP_ENSURE(n >= 0 && (size_t)n <= cap, CMP_ERR_DB);
    if (n > 0) {
        memcpy(out, p, (size_t)n);
    }
    if (out_len != NULL) {
        *out_len = (size_t)n;
    }
    return CMP_OK;
}

/* ---- transactions ------------------------------------------------------------ */

cmp_err cmp_srv_store_txn_get(cmp_srv_store *s, cmp_srv_txn *out, cmp_span tid)
{
    cmp_err err = CMP_ERR_DB;
    sqlite3_stmt *st = NULL;
    int rc;

    CMP_ENSURE(tid.len <= sizeof(out->tid), CMP_ERR_UNKNOWN_TRANSACTION);
    CMP_TRY_OUT(prep(s, &st,
                     "SELECT state, body, pvno, prot, mac_ref, mac_alg, our_nonce, cert_req_id,"
                     " implicit, polls_left, approval, fail_info, req, cert, serial, updated,"
                     " last_req, last_rsp, last_rsp_body, profile, subject, created"
                     " FROM txn WHERE tid = ?1"));
    CMP_ENSURE_OUT(bind_blob(st, 1, tid) == SQLITE_OK, CMP_ERR_DB);
    rc = sqlite3_step(st);
    if (rc == SQLITE_DONE) {
        CMP_FAIL_OUT(CMP_ERR_UNKNOWN_TRANSACTION);
    }
    CMP_ENSURE_OUT(rc == SQLITE_ROW, CMP_ERR_DB);
    if (tid.len > 0) {
        memcpy(out->tid, tid.data, tid.len);
    }
    out->tid_len = tid.len;
    out->state = sqlite3_column_int(st, 0);
    out->body = sqlite3_column_int(st, 1);
    out->pvno = sqlite3_column_int(st, 2);
    out->prot = sqlite3_column_int(st, 3);
    CMP_TRY_OUT(col_buf(st, 4, &out->mac_ref));
    CMP_TRY_OUT(col_buf(st, 5, &out->mac_alg));
    CMP_TRY_OUT(col_fixed(st, 6, out->our_nonce, sizeof(out->our_nonce), NULL));
    out->cert_req_id = sqlite3_column_int64(st, 7);
    out->implicit = sqlite3_column_int(st, 8);
    out->polls_left = sqlite3_column_int64(st, 9);
    out->approval = sqlite3_column_int(st, 10);
    out->fail_info = (uint32_t)sqlite3_column_int64(st, 11);
    CMP_TRY_OUT(col_buf(st, 12, &out->req));
    CMP_TRY_OUT(col_buf(st, 13, &out->cert));
    CMP_TRY_OUT(col_buf(st, 14, &out->serial));
    out->updated = sqlite3_column_int64(st, 15);
    CMP_TRY_OUT(col_fixed(st, 16, out->last_req, sizeof(out->last_req), NULL));
    CMP_TRY_OUT(col_buf(st, 17, &out->last_rsp));
    out->last_rsp_body = sqlite3_column_int(st, 18);
    {
        const unsigned char *p = sqlite3_column_text(st, 19);
        int n = sqlite3_column_bytes(st, 19);
        CMP_ENSURE_OUT(n >= 0 && (size_t)n < sizeof(out->profile), CMP_ERR_DB);
        if (p != NULL && n > 0) {
            memcpy(out->profile, p, (size_t)n);
        }
        out->profile[n] = '\0';
    }
    CMP_TRY_OUT(col_buf(st, 20, &out->subject));
    out->created = sqlite3_column_int64(st, 21);
    err = CMP_OK;
out:
    sqlite3_finalize(st);
    return err;
}

cmp_err cmp_srv_store_txn_put(cmp_srv_store *s, const cmp_srv_txn *t)
{
    cmp_err err = CMP_ERR_DB;
    sqlite3_stmt *st = NULL;
    cmp_span tid, nonce, last;
    int ok;

    last.data = t->last_req;
    last.len = sizeof(t->last_req);
    tid.data = t->tid;
    tid.len = t->tid_len;
    nonce.data = t->our_nonce;
    nonce.len = sizeof(t->our_nonce);
    CMP_TRY_OUT(prep(s, &st,
                     "INSERT OR REPLACE INTO txn(tid, state, body, pvno, prot, mac_ref, mac_alg,"
                     " our_nonce, cert_req_id, implicit, polls_left, approval, fail_info, req,"
                     " cert, serial, updated, last_req, last_rsp, last_rsp_body, profile,"
                     " subject, created)"
                     " VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,"
                     "?19,?20,?21,?22,?23)"));
    ok = bind_blob(st, 1, tid) == SQLITE_OK && sqlite3_bind_int(st, 2, t->state) == SQLITE_OK &&
         sqlite3_bind_int(st, 3, t->body) == SQLITE_OK &&
         sqlite3_bind_int(st, 4, t->pvno) == SQLITE_OK &&
         sqlite3_bind_int(st, 5, t->prot) == SQLITE_OK &&
         bind_blob(st, 6, buf_span(&t->mac_ref)) == SQLITE_OK &&
         bind_blob(st, 7, buf_span(&t->mac_alg)) == SQLITE_OK &&
         bind_blob(st, 8, nonce) == SQLITE_OK &&
         sqlite3_bind_int64(st, 9, t->cert_req_id) == SQLITE_OK &&
         sqlite3_bind_int(st, 10, t->implicit) == SQLITE_OK &&
         sqlite3_bind_int64(st, 11, t->polls_left) == SQLITE_OK &&
         sqlite3_bind_int(st, 12, t->approval) == SQLITE_OK &&
         sqlite3_bind_int64(st, 13, (sqlite3_int64)t->fail_info) == SQLITE_OK &&
         bind_blob(st, 14, buf_span(&t->req)) == SQLITE_OK &&
         bind_blob(st, 15, buf_span(&t->cert)) == SQLITE_OK &&
         bind_blob(st, 16, buf_span(&t->serial)) == SQLITE_OK &&
         sqlite3_bind_int64(st, 17, t->updated) == SQLITE_OK &&
         bind_blob(st, 18, last) == SQLITE_OK &&
         bind_blob(st, 19, buf_span(&t->last_rsp)) == SQLITE_OK &&
         sqlite3_bind_int(st, 20, t->last_rsp_body) == SQLITE_OK &&
         sqlite3_bind_text(st, 21, t->profile, -1, SQLITE_TRANSIENT) == SQLITE_OK &&
         bind_blob(st, 22, buf_span(&t->subject)) == SQLITE_OK &&
         sqlite3_bind_int64(st, 23, t->created) == SQLITE_OK;
    CMP_ENSURE_OUT(ok, CMP_ERR_DB);
    CMP_ENSURE_OUT(sqlite3_step(st) == SQLITE_DONE, CMP_ERR_DB);
    err = CMP_OK;
out:
    sqlite3_finalize(st);
    return err;
}

/* A transaction waits for approval while it is WAITING (1) with
 * polls_left < 0 and approval 0. */
#define AWAITING "state = 1 AND polls_left < 0 AND approval = 0"

cmp_err cmp_srv_store_txn_decide(cmp_srv_store *s, cmp_span tid, int approval,
                                 uint32_t fail_info)
{
    cmp_err err = CMP_ERR_DB;
    sqlite3_stmt *st = NULL;

    CMP_TRY_OUT(prep(s, &st,
                     "UPDATE txn SET approval = ?2, fail_info = ?3 WHERE tid = ?1 AND " AWAITING));
    CMP_ENSURE_OUT(bind_blob(st, 1, tid) == SQLITE_OK &&
                       sqlite3_bind_int(st, 2, approval) == SQLITE_OK &&
                       sqlite3_bind_int64(st, 3, (sqlite3_int64)fail_info) == SQLITE_OK,
                   CMP_ERR_DB);
    CMP_ENSURE_OUT(sqlite3_step(st) == SQLITE_DONE, CMP_ERR_DB);
    CMP_ENSURE_OUT(sqlite3_changes(s->db) == 1, CMP_ERR_UNKNOWN_TRANSACTION);
    err = CMP_OK;
out:
    sqlite3_finalize(st);
    return err;
}

cmp_err cmp_srv_store_pending(cmp_srv_store *s, cmp_server_pending_fn fn, void *arg)
{
    cmp_err err = CMP_ERR_DB;
    sqlite3_stmt *st = NULL;
    cmp_server_pending p;
    int rc;

    CMP_TRY_OUT(prep(s, &st,
                     "SELECT tid, profile, body, subject, created, updated FROM txn WHERE "
                     AWAITING " ORDER BY created, tid"));
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        memset(&p, 0, sizeof(p));
        p.transaction_id.data = sqlite3_column_blob(st, 0);
        p.transaction_id.len = (size_t)sqlite3_column_bytes(st, 0);
        p.profile = (const char *)sqlite3_column_text(st, 1);
        if (p.profile == NULL) {
            p.profile = "";
        }
        p.body_type = sqlite3_column_int(st, 2);
        p.subject.data = sqlite3_column_blob(st, 3);
        p.subject.len = (size_t)sqlite3_column_bytes(st, 3);
        p.created = sqlite3_column_int64(st, 4);
        p.updated = sqlite3_column_int64(st, 5);
        fn(arg, &p);
    }
    CMP_ENSURE_OUT(rc == SQLITE_DONE, CMP_ERR_DB);
    err = CMP_OK;
out:
    sqlite3_finalize(st);
    return err;
}

cmp_err cmp_srv_store_txn_expire(cmp_srv_store *s, int64_t cutoff, int64_t now)
{
    cmp_err err = CMP_ERR_DB;
    sqlite3_stmt *st = NULL;

    /* = https://www.rfc-editor.org/rfc/rfc9810#section-5.3.18
     * # If the CA receives no certConf ... it MUST revoke the certificate
     * The unconfirmed certificates of expiring transactions are revoked
     * (reason 0, unspecified) before the transactions are closed. */
    CMP_TRY_OUT(prep(s, &st,
                     "INSERT OR IGNORE INTO revocation(serial, reason, time)"
                     " SELECT serial, 0, ?2 FROM txn WHERE state = 2 AND updated < ?1"
                     " AND serial IS NOT NULL AND length(serial) > 0"));
    CMP_ENSURE_OUT(sqlite3_bind_int64(st, 1, cutoff) == SQLITE_OK &&
                       sqlite3_bind_int64(st, 2, now) == SQLITE_OK,
                   CMP_ERR_DB);
    CMP_ENSURE_OUT(sqlite3_step(st) == SQLITE_DONE, CMP_ERR_DB);
    sqlite3_finalize(st);
    st = NULL;
    CMP_TRY_OUT(prep(s, &st,
                     "UPDATE cert SET status = 2 WHERE status = 0 AND serial IN"
                     " (SELECT serial FROM txn WHERE state = 2 AND updated < ?1)"));
    CMP_ENSURE_OUT(sqlite3_bind_int64(st, 1, cutoff) == SQLITE_OK, CMP_ERR_DB);
    CMP_ENSURE_OUT(sqlite3_step(st) == SQLITE_DONE, CMP_ERR_DB);
    sqlite3_finalize(st);
    st = NULL;
    CMP_TRY_OUT(prep(s, &st,
                     "UPDATE txn SET state = 3, req = NULL, last_rsp = NULL, subject = NULL"
                     " WHERE state IN (1, 2) AND updated < ?1"));
    CMP_ENSURE_OUT(sqlite3_bind_int64(st, 1, cutoff) == SQLITE_OK, CMP_ERR_DB);
    CMP_ENSURE_OUT(sqlite3_step(st) == SQLITE_DONE, CMP_ERR_DB);
    err = CMP_OK;
out:
    sqlite3_finalize(st);
    return err;
}

/* ---- serials, certificates, revocations ------------------------------------- */

cmp_err cmp_srv_store_next_serial(cmp_srv_store *s, uint64_t *out)
{
    cmp_err err = CMP_ERR_DB;
    sqlite3_stmt *st = NULL;

    CMP_TRY_OUT(exec(s, "UPDATE meta SET v = v + 1 WHERE k = 'serial';"));
    CMP_TRY_OUT(prep(s, &st, "SELECT v FROM meta WHERE k = 'serial'"));
    CMP_ENSURE_OUT(sqlite3_step(st) == SQLITE_ROW, CMP_ERR_DB);
    *out = (uint64_t)sqlite3_column_int64(st, 0);
    err = CMP_OK;
out:
    sqlite3_finalize(st);
    return err;
}

cmp_err cmp_srv_store_cert_add(cmp_srv_store *s, cmp_span serial, cmp_span cert, cmp_span tid,
                               int status, int64_t now)
{
    cmp_err err = CMP_ERR_DB;
    sqlite3_stmt *st = NULL;

    CMP_TRY_OUT(prep(s, &st,
                     "INSERT INTO cert(serial, der, tid, status, issued) VALUES(?1,?2,?3,?4,?5)"));
    CMP_ENSURE_OUT(bind_blob(st, 1, serial) == SQLITE_OK && bind_blob(st, 2, cert) == SQLITE_OK &&
                       bind_blob(st, 3, tid) == SQLITE_OK &&
                       sqlite3_bind_int(st, 4, status) == SQLITE_OK &&
                       sqlite3_bind_int64(st, 5, now) == SQLITE_OK,
                   CMP_ERR_DB);
    CMP_ENSURE_OUT(sqlite3_step(st) == SQLITE_DONE, CMP_ERR_DB);
    err = CMP_OK;
out:
    sqlite3_finalize(st);
    return err;
}

cmp_err cmp_srv_store_cert_set_status(cmp_srv_store *s, cmp_span serial, int status)
{
    cmp_err err = CMP_ERR_DB;
    sqlite3_stmt *st = NULL;

    CMP_TRY_OUT(prep(s, &st, "UPDATE cert SET status = ?2 WHERE serial = ?1"));
    CMP_ENSURE_OUT(bind_blob(st, 1, serial) == SQLITE_OK &&
                       sqlite3_bind_int(st, 2, status) == SQLITE_OK,
                   CMP_ERR_DB);
    CMP_ENSURE_OUT(sqlite3_step(st) == SQLITE_DONE, CMP_ERR_DB);
    err = CMP_OK;
out:
    sqlite3_finalize(st);
    return err;
}

cmp_err cmp_srv_store_cert_status(cmp_srv_store *s, int *out, cmp_span serial)
{
    cmp_err err = CMP_ERR_DB;
    sqlite3_stmt *st = NULL;
    int rc;

    CMP_TRY_OUT(prep(s, &st, "SELECT status FROM cert WHERE serial = ?1"));
    CMP_ENSURE_OUT(bind_blob(st, 1, serial) == SQLITE_OK, CMP_ERR_DB);
    rc = sqlite3_step(st);
    if (rc == SQLITE_DONE) {
        CMP_FAIL_OUT(CMP_ERR_BAD_REQUEST);
    }
    CMP_ENSURE_OUT(rc == SQLITE_ROW, CMP_ERR_DB);
    *out = sqlite3_column_int(st, 0);
    err = CMP_OK;
out:
    sqlite3_finalize(st);
    return err;
}

cmp_err cmp_srv_store_revoke(cmp_srv_store *s, cmp_span serial, int reason, int64_t now)
{
    cmp_err err = CMP_ERR_DB;
    sqlite3_stmt *st = NULL;

    CMP_TRY_OUT(prep(s, &st,
                     "INSERT OR REPLACE INTO revocation(serial, reason, time) VALUES(?1,?2,?3)"));
    CMP_ENSURE_OUT(bind_blob(st, 1, serial) == SQLITE_OK &&
                       sqlite3_bind_int(st, 2, reason) == SQLITE_OK &&
                       sqlite3_bind_int64(st, 3, now) == SQLITE_OK,
                   CMP_ERR_DB);
    CMP_ENSURE_OUT(sqlite3_step(st) == SQLITE_DONE, CMP_ERR_DB);
    err = cmp_srv_store_cert_set_status(s, serial, CMP_SRV_CERT_REVOKED);
out:
    sqlite3_finalize(st);
    return err;
}

/* ---- statistics and dump ------------------------------------------------------ */

static cmp_err count(cmp_srv_store *s, uint64_t *out, const char *sql)
{
    cmp_err err = CMP_ERR_DB;
    sqlite3_stmt *st = NULL;

    CMP_TRY_OUT(prep(s, &st, sql));
    CMP_ENSURE_OUT(sqlite3_step(st) == SQLITE_ROW, CMP_ERR_DB);
    *out = (uint64_t)sqlite3_column_int64(st, 0);
    err = CMP_OK;
out:
    sqlite3_finalize(st);
    return err;
}

cmp_err cmp_srv_store_stats(cmp_srv_store *s, cmp_server_stats *out)
{
    memset(out, 0, sizeof(*out));
    CMP_TRY(count(s, &out->transactions, "SELECT count(*) FROM txn"));
    CMP_TRY(count(s, &out->active, "SELECT count(*) FROM txn WHERE state IN (1, 2)"));
    CMP_TRY(count(s, &out->certs, "SELECT count(*) FROM cert"));
    CMP_TRY(count(s, &out->confirmed, "SELECT count(*) FROM cert WHERE status = 1"));
    CMP_TRY(count(s, &out->revoked, "SELECT count(*) FROM revocation"));
    CMP_TRY(count(s, &out->serial, "SELECT v FROM meta WHERE k = 'serial'"));
    return CMP_OK;
}

/* Appends a 4-byte big-endian length and the bytes. */
static cmp_err dump_put(cmp_buf *out, const void *p, size_t n)
{
    uint8_t *nb;

    CMP_ENSURE(n <= UINT32_MAX && out->len <= SIZE_MAX - 4 - n, CMP_ERR_DB);
    nb = cmp_realloc(out->data, out->len + 4 + n);
    CMP_ENSURE(nb != NULL, CMP_ERR_NOMEM);
    out->data = nb;
    nb[out->len] = (uint8_t)(n >> 24);
    nb[out->len + 1] = (uint8_t)(n >> 16);
    nb[out->len + 2] = (uint8_t)(n >> 8);
    nb[out->len + 3] = (uint8_t)n;
    if (n > 0) {
        memcpy(nb + out->len + 4, p, n);
    }
    out->len += 4 + n;
    return CMP_OK;
}

static cmp_err dump_query(cmp_srv_store *s, cmp_buf *out, const char *sql)
{
    cmp_err err = CMP_ERR_DB;
    sqlite3_stmt *st = NULL;
    int rc, i, n;

    CMP_TRY_OUT(prep(s, &st, sql));
    CMP_TRY_OUT(dump_put(out, sql, strlen(sql)));
    n = sqlite3_column_count(st);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        for (i = 0; i < n; i++) {
            const void *p = sqlite3_column_blob(st, i);
            int len = sqlite3_column_bytes(st, i);
            CMP_TRY_OUT(dump_put(out, p, len > 0 ? (size_t)len : 0));
        }
    }
    CMP_ENSURE_OUT(rc == SQLITE_DONE, CMP_ERR_DB);
    err = CMP_OK;
out:
    sqlite3_finalize(st);
    return err;
}

cmp_err cmp_srv_store_dump(cmp_srv_store *s, cmp_buf *out)
{
    cmp_err err = CMP_ERR_DB;
    cmp_buf b = {NULL, 0};

    CMP_TRY_OUT(dump_query(s, &b, "SELECT * FROM txn ORDER BY tid"));
    CMP_TRY_OUT(dump_query(s, &b, "SELECT * FROM cert ORDER BY serial"));
    CMP_TRY_OUT(dump_query(s, &b, "SELECT * FROM revocation ORDER BY serial"));
    CMP_TRY_OUT(dump_query(s, &b, "SELECT * FROM meta ORDER BY k"));
    *out = b;
    b.data = NULL;
    b.len = 0;
    err = CMP_OK;
out:
    cmp_buf_cleanup(&b);
    return err;
}

/* ---- the crypto-slot pool -------------------------------------------------------- */

struct cmp_srv_pool {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    size_t num;
    uint8_t *busy;
};

cmp_err cmp_srv_pool_new(cmp_srv_pool **out, size_t num)
{
    cmp_srv_pool *p;

    *out = NULL;
    CMP_ENSURE(num > 0, CMP_ERR_ARG);
    p = cmp_calloc(1, sizeof(*p));
    CMP_ENSURE(p != NULL, CMP_ERR_NOMEM);
    p->busy = cmp_calloc(num, 1);
    if (p->busy == NULL) {
        cmp_free(p);
        CMP_FAIL(CMP_ERR_NOMEM);
    }
    p->num = num;
    if (pthread_mutex_init(&p->mu, NULL) != 0) {
        cmp_free(p->busy);
        cmp_free(p);
        CMP_FAIL(CMP_ERR_INTERNAL);
    }
    if (pthread_cond_init(&p->cv, NULL) != 0) {
        pthread_mutex_destroy(&p->mu);
        cmp_free(p->busy);
        cmp_free(p);
        CMP_FAIL(CMP_ERR_INTERNAL);
    }
    *out = p;
    return CMP_OK;
}

void cmp_srv_pool_free(cmp_srv_pool *p)
{
    if (p == NULL) {
        return;
    }
    pthread_cond_destroy(&p->cv);
    pthread_mutex_destroy(&p->mu);
    cmp_free(p->busy);
    cmp_free(p);
}

size_t cmp_srv_pool_take(cmp_srv_pool *p)
{
    size_t i;

    (void)pthread_mutex_lock(&p->mu);
    for (;;) {
        for (i = 0; i < p->num; i++) {
            if (!p->busy[i]) {
                p->busy[i] = 1;
                (void)pthread_mutex_unlock(&p->mu);
                return i;
            }
        }
        (void)pthread_cond_wait(&p->cv, &p->mu);
    }
}

void cmp_srv_pool_give(cmp_srv_pool *p, size_t i)
{
    (void)pthread_mutex_lock(&p->mu);
    p->busy[i] = 0;
    (void)pthread_cond_signal(&p->cv);
    (void)pthread_mutex_unlock(&p->mu);
}
