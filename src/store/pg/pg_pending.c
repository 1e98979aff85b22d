/* Consents finishing off the request thread, PostgreSQL backend (store.h
 * oauth_pending; migration pg/sql/0002_ops.sql). The same answers as
 * store_sqlite_pending.c; a claim takes the oldest queued row that no
 * other transaction holds (FOR UPDATE SKIP LOCKED), so servers on
 * several hosts never run one exchange twice. The code column holds text
 * sealed by core/secret. */
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/timeutil.h"
#include "store/pg/pg_ops.h"

PG_STMT(pg_pending_purge, 1,
        "DELETE FROM oauth_pending WHERE created_at < $1::bigint");
/* No row returned: unknown or queued before. */
PG_STMT(pg_pending_add, 3,
        "INSERT INTO oauth_pending(state, code, platform, account, "
        "created_at) SELECT state, $2, platform, account, $3::bigint FROM "
        "oauth_state WHERE state = $1 AND expires_at > $3::bigint "
        "ON CONFLICT (state) DO NOTHING RETURNING id");
PG_STMT(pg_pending_find, 1, "SELECT id FROM oauth_pending WHERE state = $1");
PG_STMT(pg_pending_stale, 3,
        "UPDATE oauth_pending SET status = 'error', code = NULL, message = "
        "$2, finished_at = $3::bigint WHERE status = 'running' AND "
        "created_at < $1::bigint");
PG_STMT(pg_pending_claim, 0,
        "UPDATE oauth_pending SET status = 'running' WHERE id = (SELECT id "
        "FROM oauth_pending WHERE status = 'queued' ORDER BY id LIMIT 1 "
        "FOR UPDATE SKIP LOCKED) RETURNING id, state, code, platform, "
        "account, created_at");
PG_STMT(pg_pending_done, 5,
        "UPDATE oauth_pending SET status = $2, account = coalesce($3, "
        "account), message = $4, finished_at = $5::bigint, code = NULL "
        "WHERE id = $1::bigint AND status = 'running'");
PG_STMT(pg_pending_list, 2,
        "SELECT id, platform, account, status, message, created_at, "
        "finished_at FROM oauth_pending WHERE created_at >= $1::bigint "
        "ORDER BY id DESC LIMIT $2::bigint");

#define STALE_MESSAGE                                                         \
    "The server stopped while finishing this sign-in: press Connect again."

static char *dup_or_null(const PGresult *res, int r, int c)
{
    const char *t = pg_text(res, r, c);
    return t != NULL ? xstrdup(t) : NULL;
}

/* The id of the row queued for state before (ERR_EXISTS), or
 * ERR_NOTFOUND. */
static enum err pending_find(struct store_pg *s, const char *state,
                             int64_t *id_out, struct buf *err)
{
    struct pg_params p;
    PGresult *res = NULL;
    enum err rc;

    pg_p_init(&p);
    pg_p_text(&p, state);
    rc = pg_run(s, &pg_pending_find, &p, &res, "finding a queued sign-in",
                err);
    if (rc == ERR_OK && PQntuples(res) == 0) {
        buf_setf(err, "unknown, used or expired authorization state");
        rc = ERR_NOTFOUND;
    } else if (rc == ERR_OK) {
        rc = pg_i64(res, 0, 0, id_out) == ERR_OK ? ERR_EXISTS : ERR_DB;
    }
    PQclear(res);
    return rc;
}

enum err pg_oauth_pending_add(struct store *st, const char *state,
                              const char *code_sealed, int64_t now,
                              int64_t *id_out, struct buf *err)
{
    struct store_pg *s = pg_of(st);
    struct pg_params p;
    PGresult *res = NULL;
    enum err rc;

    *id_out = 0;
    pg_p_init(&p);
    pg_p_i64(&p, now - STORE_PENDING_KEEP_S);
    rc = pg_run(s, &pg_pending_purge, &p, NULL, "queueing a sign-in", err);
    if (rc != ERR_OK)
        return rc;
    pg_p_init(&p);
    pg_p_text(&p, state);
    pg_p_text(&p, code_sealed);
    pg_p_i64(&p, now);
    rc = pg_run(s, &pg_pending_add, &p, &res, "queueing a sign-in", err);
    if (rc == ERR_OK && PQntuples(res) == 1)
        rc = pg_i64(res, 0, 0, id_out) == ERR_OK ? ERR_OK : ERR_DB;
    else if (rc == ERR_OK)
        rc = pending_find(s, state, id_out, err);
    PQclear(res);
    return rc;
}

/* Row 0 of a claim into *out. */
static enum err claimed_of(const PGresult *res,
                           struct store_oauth_pending *out)
{
    const char *pl = pg_text(res, 0, 3);

    if (pl == NULL || platform_from_name(pl, &out->platform) != ERR_OK ||
        pg_text(res, 0, 1) == NULL || pg_text(res, 0, 2) == NULL ||
        pg_i64(res, 0, 0, &out->id) != ERR_OK ||
        pg_i64(res, 0, 5, &out->created_at) != ERR_OK)
        return ERR_DB;
    out->state = dup_or_null(res, 0, 1);
    out->code_sealed = dup_or_null(res, 0, 2);
    out->account = dup_or_null(res, 0, 4);
    out->status = PENDING_RUNNING;
    out->finished_at = TIME_NONE;
    return ERR_OK;
}

enum err pg_oauth_pending_claim(struct store *st, int64_t now,
                                int64_t stale_before,
                                struct store_oauth_pending *out,
                                struct buf *err)
{
    struct store_pg *s = pg_of(st);
    struct pg_params p;
    PGresult *res = NULL;
    enum err rc;

    *out = (struct store_oauth_pending){0};
    pg_p_init(&p);
    pg_p_i64(&p, stale_before);
    pg_p_text(&p, STALE_MESSAGE);
    pg_p_i64(&p, now);
    rc = pg_run(s, &pg_pending_stale, &p, NULL,
                "closing interrupted sign-ins", err);
    if (rc == ERR_OK)
        rc = pg_run(s, &pg_pending_claim, NULL, &res, "claiming a sign-in",
                    err);
    if (rc == ERR_OK && PQntuples(res) == 0) {
        rc = ERR_NOTFOUND;
    } else if (rc == ERR_OK && claimed_of(res, out) != ERR_OK) {
        store_oauth_pending_free(out);
        buf_setf(err, "claiming a sign-in: a malformed row");
        rc = ERR_DB;
    }
    PQclear(res);
    return rc;
}

enum err pg_oauth_pending_done(struct store *st, int64_t id, bool ok,
                               const char *account, const char *message,
                               int64_t now, struct buf *err)
{
    struct pg_params p;
    PGresult *res = NULL;
    enum err rc;

    pg_p_init(&p);
    pg_p_i64(&p, id);
    pg_p_text(&p, ok ? "ok" : "error");
    pg_p_text(&p, account);
    pg_p_text(&p, message);
    pg_p_i64(&p, now);
    rc = pg_run(pg_of(st), &pg_pending_done, &p, &res, "recording a sign-in",
                err);
    if (rc == ERR_OK && pg_changes(res) != 1)
        rc = ERR_NOTFOUND;
    PQclear(res);
    return rc;
}

static enum err pending_row(const PGresult *res, int r,
                            struct store_oauth_pending *p)
{
    static const char *const names[] = {"queued", "running", "ok", "error"};
    const char *pl = pg_text(res, r, 1);
    const char *status = pg_text(res, r, 3);

    *p = (struct store_oauth_pending){0};
    if (pl == NULL || status == NULL ||
        platform_from_name(pl, &p->platform) != ERR_OK ||
        pg_i64(res, r, 0, &p->id) != ERR_OK ||
        pg_i64(res, r, 5, &p->created_at) != ERR_OK)
        return ERR_DB;
    p->status = PENDING_ERROR;
    for (int i = 0; i < 4; i++)
        if (strcmp(status, names[i]) == 0)
            p->status = (enum store_pending_status)i;
    p->account = dup_or_null(res, r, 2);
    p->message = dup_or_null(res, r, 4);
    p->finished_at = pg_i64_or(res, r, 6, TIME_NONE);
    return ERR_OK;
}

enum err pg_oauth_pending_list(struct store *st, int64_t since, int limit,
                               store_pending_fn fn, void *ud,
                               struct buf *err)
{
    struct store_oauth_pending one;
    struct pg_params p;
    PGresult *res = NULL;
    enum err rc;

    pg_p_init(&p);
    pg_p_i64(&p, since);
    if (limit < 0) /* SQLite's LIMIT -1: no limit (PostgreSQL: NULL) */
        pg_p_null(&p);
    else
        pg_p_i64(&p, limit);
    rc = pg_run(pg_of(st), &pg_pending_list, &p, &res, "listing sign-ins",
                err);
    for (int r = 0; rc == ERR_OK && r < PQntuples(res); r++) {
        rc = pending_row(res, r, &one);
        if (rc == ERR_OK)
            rc = fn(ud, &one);
        store_oauth_pending_free(&one);
    }
    PQclear(res);
    return rc;
}
