/* API tokens, PostgreSQL backend (store_token.h; migration
 * pg/sql/0002_ops.sql). The same answers as store_sqlite_token.c. Adding
 * one checks the live-name and live-count rules and inserts in one
 * transaction that first takes a SHARE ROW EXCLUSIVE lock on the table:
 * adders on other hosts wait for each other (where SQLite's BEGIN
 * IMMEDIATE serialises writers), readers are not blocked. */
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "store/pg/pg_ops.h"

#define PG_TOKEN_COLS                                                         \
    "SELECT id, name, scope, created_by, created_at, expires_at, "            \
    "last_used_at, revoked_at FROM api_token "
PG_STMT(pg_token_by_key, 1, PG_TOKEN_COLS "WHERE token_hash = $1");
PG_STMT(pg_token_list, 0,
        PG_TOKEN_COLS "ORDER BY created_at DESC, id DESC");
/* Live at $2: not revoked, and no expiry or one after $2. */
PG_STMT(pg_token_live_name, 2,
        "SELECT count(*) FROM api_token WHERE name = $1 AND revoked_at IS "
        "NULL AND (expires_at IS NULL OR expires_at > $2::bigint)");
PG_STMT(pg_token_live_count, 1,
        "SELECT count(*) FROM api_token WHERE revoked_at IS NULL AND "
        "(expires_at IS NULL OR expires_at > $1::bigint)");
PG_STMT(pg_token_add, 6,
        "INSERT INTO api_token(name, token_hash, scope, created_at, "
        "created_by, expires_at) VALUES ($1, $2, $3, $4::bigint, $5, "
        "$6::bigint) RETURNING id");
PG_STMT(pg_token_touch, 2,
        "UPDATE api_token SET last_used_at = $2::bigint WHERE id = "
        "$1::bigint");
PG_STMT(pg_token_exists, 1, "SELECT 1 FROM api_token WHERE id = $1::bigint");
PG_STMT(pg_token_revoke_id, 2,
        "UPDATE api_token SET revoked_at = $2::bigint WHERE id = $1::bigint "
        "AND revoked_at IS NULL");
PG_STMT(pg_token_revoke_name, 2,
        "UPDATE api_token SET revoked_at = $2::bigint WHERE name = $1 AND "
        "revoked_at IS NULL");

/* Row r of res into *t (strings owned; NULL times read as 0). */
static enum err row_to_token(const PGresult *res, int r,
                             struct store_token *t)
{
    const char *by = pg_text(res, r, 3);

    if (pg_i64(res, r, 0, &t->id) != ERR_OK ||
        pg_i64(res, r, 4, &t->created_at) != ERR_OK ||
        pg_text(res, r, 1) == NULL || pg_text(res, r, 2) == NULL)
        return ERR_DB;
    t->name = xstrdup(pg_text(res, r, 1));
    t->scope = xstrdup(pg_text(res, r, 2));
    t->created_by = xstrdup(by != NULL ? by : "");
    t->expires_at = pg_i64_or(res, r, 5, 0);
    t->last_used_at = pg_i64_or(res, r, 6, 0);
    t->revoked_at = pg_i64_or(res, r, 7, 0);
    return ERR_OK;
}

/* The one integer st answers with params p, into *out. */
static enum err one_int(struct store_pg *s, const struct pg_stmt *st,
                        const struct pg_params *p, int64_t *out,
                        struct buf *err)
{
    PGresult *res = NULL;
    enum err rc = pg_run(s, st, p, &res, "adding a token", err);

    *out = 0;
    if (rc == ERR_OK && pg_i64(res, 0, 0, out) != ERR_OK) {
        buf_setf(err, "adding a token: an unreadable count");
        rc = ERR_DB;
    }
    PQclear(res);
    return rc;
}

/* The checks and the insert, inside add's transaction. */
static enum err add_checked(struct store_pg *s, const char *key,
                            const struct store_token *t, int64_t *id_out,
                            struct buf *err)
{
    struct pg_params p;
    PGresult *res = NULL;
    int64_t v = 0;
    enum err rc = pg_exec(s, "LOCK TABLE api_token IN SHARE ROW EXCLUSIVE "
                          "MODE", "adding a token", err);

    pg_p_init(&p);
    pg_p_text(&p, t->name);
    pg_p_i64(&p, t->created_at);
    if (rc == ERR_OK)
        rc = one_int(s, &pg_token_live_name, &p, &v, err);
    if (rc == ERR_OK && v != 0) {
        buf_setf(err, "a live token is called %s already", t->name);
        return ERR_EXISTS;
    }
    pg_p_init(&p);
    pg_p_i64(&p, t->created_at);
    if (rc == ERR_OK)
        rc = one_int(s, &pg_token_live_count, &p, &v, err);
    if (rc == ERR_OK && v >= STORE_TOKENS_MAX) {
        buf_setf(err, "%d tokens are live: revoke some first",
                 STORE_TOKENS_MAX);
        return ERR_TOOBIG;
    }
    if (rc != ERR_OK)
        return rc;
    pg_p_init(&p);
    pg_p_text(&p, t->name);
    pg_p_text(&p, key);
    pg_p_text(&p, t->scope);
    pg_p_i64(&p, t->created_at);
    pg_p_text(&p, t->created_by != NULL ? t->created_by : "");
    if (t->expires_at == 0)
        pg_p_null(&p);
    else
        pg_p_i64(&p, t->expires_at);
    rc = pg_run(s, &pg_token_add, &p, &res, "adding a token", err);
    if (rc == ERR_OK && id_out != NULL && pg_i64(res, 0, 0, id_out) != ERR_OK)
        rc = ERR_DB;
    PQclear(res);
    return rc;
}

static enum err token_add(struct store *st, const char *key,
                          const struct store_token *t, int64_t *id_out,
                          struct buf *err)
{
    struct store_pg *s = pg_of(st);
    enum err rc = pg_begin(s, err);

    if (rc != ERR_OK)
        return rc;
    rc = add_checked(s, key, t, id_out, err);
    if (rc == ERR_OK)
        rc = pg_commit(s, err);
    if (rc != ERR_OK)
        pg_rollback(s);
    return rc;
}

static enum err token_by_key(struct store *st, const char *key,
                             struct store_token *out, struct buf *err)
{
    struct pg_params p;
    PGresult *res = NULL;
    enum err rc;

    *out = (struct store_token){0};
    pg_p_init(&p);
    pg_p_text(&p, key);
    rc = pg_run(pg_of(st), &pg_token_by_key, &p, &res, "reading a token",
                err);
    if (rc == ERR_OK && PQntuples(res) == 0)
        rc = ERR_NOTFOUND;
    else if (rc == ERR_OK && row_to_token(res, 0, out) != ERR_OK) {
        store_token_free(out);
        buf_setf(err, "reading a token: an unreadable row");
        rc = ERR_DB;
    }
    PQclear(res);
    return rc;
}

/* Run st with $1 = id (or name when name is not NULL) and $2 = t;
 * *changes: the rows it changed. */
static enum err run(struct store_pg *s, const struct pg_stmt *st, int64_t id,
                    const char *name, int64_t t, int64_t *changes,
                    struct buf *err)
{
    struct pg_params p;
    PGresult *res = NULL;
    enum err rc;

    *changes = 0;
    pg_p_init(&p);
    if (name != NULL)
        pg_p_text(&p, name);
    else
        pg_p_i64(&p, id);
    pg_p_i64(&p, t);
    rc = pg_run(s, st, &p, &res, "writing a token", err);
    if (rc == ERR_OK)
        *changes = pg_changes(res);
    PQclear(res);
    return rc;
}

static enum err token_touch(struct store *st, int64_t id, int64_t now)
{
    int64_t n;
    return run(pg_of(st), &pg_token_touch, id, NULL, now, &n, NULL);
}

static enum err token_list(struct store *st, store_token_fn fn, void *ud,
                           struct buf *err)
{
    PGresult *res = NULL;
    enum err rc = pg_run(pg_of(st), &pg_token_list, NULL, &res,
                         "listing tokens", err);

    for (int r = 0; rc == ERR_OK && r < PQntuples(res); r++) {
        struct store_token one = {0};
        rc = row_to_token(res, r, &one);
        if (rc != ERR_OK)
            buf_setf(err, "listing tokens: an unreadable row");
        else
            rc = fn(&one, ud);
        store_token_free(&one);
    }
    PQclear(res);
    return rc;
}

static enum err token_revoke_id(struct store *st, int64_t id, int64_t now,
                                int64_t *n, struct buf *err)
{
    struct store_pg *s = pg_of(st);
    struct pg_params p;
    PGresult *res = NULL;
    int64_t changed = 0;
    enum err rc = run(s, &pg_token_revoke_id, id, NULL, now, &changed, err);

    if (rc == ERR_OK && changed == 0) {
        pg_p_init(&p);
        pg_p_i64(&p, id);
        rc = pg_run(s, &pg_token_exists, &p, &res, "revoking a token", err);
        if (rc == ERR_OK && PQntuples(res) == 0) {
            buf_setf(err, "no token %lld", (long long)id);
            rc = ERR_NOTFOUND;
        }
        PQclear(res);
    }
    if (n != NULL)
        *n = changed;
    return rc;
}

static enum err token_revoke_name(struct store *st, const char *name,
                                  int64_t now, int64_t *n, struct buf *err)
{
    int64_t changed = 0;
    enum err rc = run(pg_of(st), &pg_token_revoke_name, 0, name, now,
                      &changed, err);

    if (rc == ERR_OK && changed == 0) {
        buf_setf(err, "no unrevoked token called %s", name);
        rc = ERR_NOTFOUND;
    }
    if (n != NULL)
        *n = changed;
    return rc;
}

const struct store_token_ops pg_token_ops = {
    .add = token_add,
    .by_key = token_by_key,
    .touch = token_touch,
    .list = token_list,
    .revoke_id = token_revoke_id,
    .revoke_name = token_revoke_name,
};
