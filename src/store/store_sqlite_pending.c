/* Consents finishing off the request thread (store.h oauth_pending;
 * migration 0017). Rare statements: prepared per call, finalized at out:.
 * The code column holds text sealed by core/secret. */
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/timeutil.h"
#include "store/store_sqlite.h"

#define S sqlite_store_of

#define SQL_PENDING_PURGE "DELETE FROM oauth_pending WHERE created_at < ?1"
/* INSERT ... SELECT with an upsert: the WHERE keeps SQLite's parser from
 * reading ON CONFLICT as a join. No row returned: unknown or queued. */
#define SQL_PENDING_ADD                                                       \
    "INSERT INTO oauth_pending(state, code, platform, account, created_at) "  \
    "SELECT state, ?2, platform, account, ?3 FROM oauth_state "               \
    "WHERE state = ?1 AND expires_at > ?3 "                                   \
    "ON CONFLICT(state) DO NOTHING RETURNING id"
#define SQL_PENDING_FIND "SELECT id FROM oauth_pending WHERE state = ?1"
#define SQL_PENDING_STALE                                                     \
    "UPDATE oauth_pending SET status = 'error', code = NULL, message = ?2, "  \
    "finished_at = ?3 WHERE status = 'running' AND created_at < ?1"
#define SQL_PENDING_CLAIM                                                     \
    "UPDATE oauth_pending SET status = 'running' WHERE id = (SELECT min(id) " \
    "FROM oauth_pending WHERE status = 'queued') "                            \
    "RETURNING id, state, code, platform, account, created_at"
#define SQL_PENDING_DONE                                                      \
    "UPDATE oauth_pending SET status = ?2, account = coalesce(?3, account), " \
    "message = ?4, finished_at = ?5, code = NULL "                            \
    "WHERE id = ?1 AND status = 'running'"
#define SQL_PENDING_LIST                                                      \
    "SELECT id, platform, account, status, message, created_at, "             \
    "finished_at FROM oauth_pending WHERE created_at >= ?1 "                  \
    "ORDER BY id DESC LIMIT ?2"

#define STALE_MESSAGE                                                         \
    "The server stopped while finishing this sign-in: press Connect again."

static char *col_dup(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return t ? xstrdup((const char *)t) : NULL;
}

/* The id of the row queued for state before (ERR_EXISTS), or
 * ERR_NOTFOUND. */
static enum err pending_find(struct sqlite_store *s, const char *state,
                             int64_t *id_out, struct buf *err)
{
    sqlite3_stmt *st = NULL;
    enum err rc = ERR_DB;
    int step;

    if (sqlite3_prepare_v2(s->db, SQL_PENDING_FIND, -1, &st, NULL) !=
            SQLITE_OK ||
        sqlite3_bind_text(st, 1, state, -1, SQLITE_STATIC) != SQLITE_OK) {
        sqlite_fail(s, err, "finding a queued sign-in");
        goto out;
    }
    step = sqlite3_step(st);
    if (step == SQLITE_ROW) {
        *id_out = sqlite3_column_int64(st, 0);
        rc = ERR_EXISTS;
    } else if (step == SQLITE_DONE) {
        buf_setf(err, "unknown, used or expired authorization state");
        rc = ERR_NOTFOUND;
    } else {
        sqlite_fail(s, err, "finding a queued sign-in");
    }
out:
    sqlite3_finalize(st);
    return rc;
}

enum err sq_oauth_pending_add(struct store *base, const char *state,
                              const char *code_sealed, int64_t now,
                              int64_t *id_out, struct buf *err)
{
    struct sqlite_store *s = S(base);
    sqlite3_stmt *purge = NULL, *st = NULL;
    enum err rc = ERR_DB;
    int step;

    *id_out = 0;
    if (sqlite3_prepare_v2(s->db, SQL_PENDING_PURGE, -1, &purge, NULL) !=
            SQLITE_OK ||
        sqlite3_bind_int64(purge, 1, now - STORE_PENDING_KEEP_S) !=
            SQLITE_OK ||
        sqlite3_step(purge) != SQLITE_DONE ||
        sqlite3_prepare_v2(s->db, SQL_PENDING_ADD, -1, &st, NULL) !=
            SQLITE_OK ||
        sqlite3_bind_text(st, 1, state, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_text(st, 2, code_sealed, -1, SQLITE_STATIC) !=
            SQLITE_OK ||
        sqlite3_bind_int64(st, 3, now) != SQLITE_OK) {
        sqlite_fail(s, err, "queueing a sign-in");
        goto out;
    }
    step = sqlite3_step(st);
    if (step == SQLITE_ROW) {
        *id_out = sqlite3_column_int64(st, 0);
        /* finish the statement so the INSERT commits */
        rc = sqlite3_step(st) == SQLITE_DONE
                 ? ERR_OK
                 : sqlite_fail(s, err, "queueing a sign-in");
    } else if (step == SQLITE_DONE) {
        rc = pending_find(s, state, id_out, err);
    } else {
        sqlite_fail(s, err, "queueing a sign-in");
    }
out:
    sqlite3_finalize(purge);
    sqlite3_finalize(st);
    return rc;
}

static enum err pending_stale(struct sqlite_store *s, int64_t now,
                              int64_t stale_before, struct buf *err)
{
    sqlite3_stmt *st = NULL;
    enum err rc = ERR_OK;

    if (sqlite3_prepare_v2(s->db, SQL_PENDING_STALE, -1, &st, NULL) !=
            SQLITE_OK ||
        sqlite3_bind_int64(st, 1, stale_before) != SQLITE_OK ||
        sqlite3_bind_text(st, 2, STALE_MESSAGE, -1, SQLITE_STATIC) !=
            SQLITE_OK ||
        sqlite3_bind_int64(st, 3, now) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_DONE)
        rc = sqlite_fail(s, err, "closing interrupted sign-ins");
    sqlite3_finalize(st);
    return rc;
}

enum err sq_oauth_pending_claim(struct store *base, int64_t now,
                                int64_t stale_before,
                                struct store_oauth_pending *out,
                                struct buf *err)
{
    struct sqlite_store *s = S(base);
    sqlite3_stmt *st = NULL;
    const char *pl;
    enum err rc;
    int step;

    *out = (struct store_oauth_pending){0};
    rc = pending_stale(s, now, stale_before, err);
    if (rc != ERR_OK)
        goto out;
    rc = ERR_DB;
    if (sqlite3_prepare_v2(s->db, SQL_PENDING_CLAIM, -1, &st, NULL) !=
        SQLITE_OK) {
        sqlite_fail(s, err, "claiming a sign-in");
        goto out;
    }
    step = sqlite3_step(st);
    if (step == SQLITE_DONE) {
        rc = ERR_NOTFOUND;
        goto out;
    }
    pl = (const char *)sqlite3_column_text(st, 3);
    if (step != SQLITE_ROW || pl == NULL ||
        platform_from_name(pl, &out->platform) != ERR_OK) {
        sqlite_fail(s, err, "claiming a sign-in");
        goto out;
    }
    out->id = sqlite3_column_int64(st, 0);
    out->state = col_dup(st, 1);
    out->code_sealed = col_dup(st, 2);
    out->account = col_dup(st, 4);
    out->created_at = sqlite3_column_int64(st, 5);
    out->status = PENDING_RUNNING;
    out->finished_at = TIME_NONE;
    rc = sqlite3_step(st) == SQLITE_DONE
             ? ERR_OK
             : sqlite_fail(s, err, "claiming a sign-in");
    if (rc == ERR_OK && (out->state == NULL || out->code_sealed == NULL))
        rc = ERR_DB;
    if (rc != ERR_OK)
        store_oauth_pending_free(out);
out:
    sqlite3_finalize(st);
    return rc;
}

enum err sq_oauth_pending_done(struct store *base, int64_t id, bool ok,
                               const char *account, const char *message,
                               int64_t now, struct buf *err)
{
    struct sqlite_store *s = S(base);
    sqlite3_stmt *st = NULL;
    enum err rc = ERR_DB;

    if (sqlite3_prepare_v2(s->db, SQL_PENDING_DONE, -1, &st, NULL) !=
            SQLITE_OK ||
        sqlite3_bind_int64(st, 1, id) != SQLITE_OK ||
        sqlite3_bind_text(st, 2, ok ? "ok" : "error", -1, SQLITE_STATIC) !=
            SQLITE_OK ||
        sqlite_bind_text_or_null(st, 3, account) != SQLITE_OK ||
        sqlite_bind_text_or_null(st, 4, message) != SQLITE_OK ||
        sqlite3_bind_int64(st, 5, now) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_DONE) {
        sqlite_fail(s, err, "recording a sign-in");
        goto out;
    }
    rc = sqlite3_changes(s->db) == 1 ? ERR_OK : ERR_NOTFOUND;
out:
    sqlite3_finalize(st);
    return rc;
}

static enum err pending_row(sqlite3_stmt *st, struct store_oauth_pending *p)
{
    static const char *const names[] = {"queued", "running", "ok", "error"};
    const char *pl = (const char *)sqlite3_column_text(st, 1);
    const char *status = (const char *)sqlite3_column_text(st, 3);

    *p = (struct store_oauth_pending){0};
    if (pl == NULL || status == NULL ||
        platform_from_name(pl, &p->platform) != ERR_OK)
        return ERR_DB;
    p->status = PENDING_ERROR;
    for (int i = 0; i < 4; i++)
        if (strcmp(status, names[i]) == 0)
            p->status = (enum store_pending_status)i;
    p->id = sqlite3_column_int64(st, 0);
    p->account = col_dup(st, 2);
    p->message = col_dup(st, 4);
    p->created_at = sqlite3_column_int64(st, 5);
    p->finished_at = sqlite3_column_type(st, 6) == SQLITE_NULL
                         ? TIME_NONE
                         : sqlite3_column_int64(st, 6);
    return ERR_OK;
}

enum err sq_oauth_pending_list(struct store *base, int64_t since, int limit,
                               store_pending_fn fn, void *ud,
                               struct buf *err)
{
    struct sqlite_store *s = S(base);
    struct store_oauth_pending p;
    sqlite3_stmt *st = NULL;
    enum err rc = ERR_DB;
    int step;

    if (sqlite3_prepare_v2(s->db, SQL_PENDING_LIST, -1, &st, NULL) !=
            SQLITE_OK ||
        sqlite3_bind_int64(st, 1, since) != SQLITE_OK ||
        sqlite3_bind_int(st, 2, limit) != SQLITE_OK) {
        sqlite_fail(s, err, "listing sign-ins");
        goto out;
    }
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        rc = pending_row(st, &p);
        if (rc == ERR_OK)
            rc = fn(ud, &p);
        store_oauth_pending_free(&p);
        if (rc != ERR_OK)
            goto out;
    }
    rc = step == SQLITE_DONE ? ERR_OK : sqlite_fail(s, err, "listing "
                                                    "sign-ins");
out:
    sqlite3_finalize(st);
    return rc;
}
