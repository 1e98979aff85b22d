/* OAuth credentials and authorization states, PostgreSQL backend
 * (store.h; migration pg/sql/0002_ops.sql). The same answers as
 * store_sqlite_cred.c. Token columns hold text sealed by core/secret;
 * this file never sees a plain token. */
#include <stdlib.h>

#include "core/alloc.h"
#include "core/timeutil.h"
#include "store/pg/pg_ops.h"

/* A NULL refresh token keeps the stored one (coalesce), and then its
 * known end too; a put clears the renewal error. */
PG_STMT(pg_cred_put, 12,
        "INSERT INTO credential(platform, account, access_token, "
        "refresh_token, expires_at, scopes, status, last_error, updated_at, "
        "issued_at, refresh_expires_at, login) VALUES ($1, $2, $3, $4::text, "
        "$5::bigint, coalesce($6::text, ''), $7, $8, $9::bigint, "
        "$10::bigint, $11::bigint, coalesce($12::text, '')) "
        "ON CONFLICT (platform, account) DO UPDATE SET "
        "access_token = excluded.access_token, refresh_token = "
        "coalesce(excluded.refresh_token, credential.refresh_token), "
        "expires_at = excluded.expires_at, scopes = CASE WHEN $6::text IS "
        "NULL THEN credential.scopes ELSE excluded.scopes END, status = "
        "excluded.status, last_error = excluded.last_error, updated_at = "
        "excluded.updated_at, issued_at = excluded.issued_at, "
        "refresh_expires_at = CASE WHEN $4::text IS NULL AND $11::bigint IS "
        "NULL THEN credential.refresh_expires_at ELSE "
        "excluded.refresh_expires_at END, renew_error = NULL, login = "
        "coalesce($12::text, credential.login)");
#define PG_CRED_COLS                                                          \
    "SELECT platform, account, access_token, refresh_token, expires_at, "     \
    "scopes, status, last_error, updated_at, issued_at, "                     \
    "refresh_expires_at, renew_error, login FROM credential "
PG_STMT(pg_cred_get, 2, PG_CRED_COLS "WHERE platform = $1 AND account = $2");
/* In byte order, as SQLite's BINARY collation sorts. */
PG_STMT(pg_cred_list, 0,
        PG_CRED_COLS "ORDER BY platform COLLATE \"C\", account COLLATE \"C\"");
PG_STMT(pg_cred_status, 5,
        "UPDATE credential SET status = $3, last_error = $4, updated_at = "
        "$5::bigint WHERE platform = $1 AND account = $2");
PG_STMT(pg_cred_renew_error, 3,
        "UPDATE credential SET renew_error = $3 WHERE platform = $1 AND "
        "account = $2");
PG_STMT(pg_state_purge, 1,
        "DELETE FROM oauth_state WHERE expires_at <= $1::bigint");
PG_STMT(pg_state_put, 6,
        "INSERT INTO oauth_state(state, platform, account, verifier, "
        "expires_at, login) VALUES ($1, $2, $3, $4, $5::bigint, "
        "coalesce($6::text, ''))");
/* Reading and consuming are one statement: two callbacks with the same
 * state cannot both win (the second finds the row gone). */
PG_STMT(pg_state_take, 2,
        "DELETE FROM oauth_state WHERE state = $1 AND expires_at > "
        "$2::bigint RETURNING platform, account, verifier, expires_at, "
        "login");

static char *dup_or_null(const PGresult *res, int r, int c)
{
    const char *t = pg_text(res, r, c);
    return t != NULL ? xstrdup(t) : NULL;
}

static void p_time(struct pg_params *p, int64_t t)
{
    if (t == TIME_NONE)
        pg_p_null(p);
    else
        pg_p_i64(p, t);
}

enum err pg_cred_put_op(struct store *st, const struct store_cred *c,
                         struct buf *err)
{
    struct pg_params p;
    enum err rc;

    pg_p_init(&p);
    pg_p_text(&p, platform_name(c->platform));
    pg_p_text(&p, c->account);
    pg_p_text(&p, c->access_sealed);
    pg_p_text(&p, c->refresh_sealed);
    p_time(&p, c->expires_at);
    pg_p_text(&p, c->scopes);
    pg_p_text(&p, cred_status_name(c->status));
    pg_p_text(&p, c->last_error);
    pg_p_i64(&p, c->updated_at);
    p_time(&p, c->issued_at);
    p_time(&p, c->refresh_expires_at);
    pg_p_text(&p, c->login);
    rc = pg_run(pg_of(st), &pg_cred_put, &p, NULL, "storing a credential",
                err);
    /* pgposts: a usable account (connected, or its tokens renewed) may
     * have work waiting: wake the processes listening (store.h). */
    if (rc == ERR_OK && c->status == CRED_OK)
        rc = pg_wake(st, STORE_WAKE_ACCOUNTS, err);
    return rc;
}

static enum err row_to_cred(const PGresult *res, int r,
                            struct store_cred *out)
{
    const char *pl = pg_text(res, r, 0);
    const char *status = pg_text(res, r, 6);
    enum platform p;

    if (pl == NULL || platform_from_name(pl, &p) != ERR_OK ||
        pg_text(res, r, 1) == NULL ||
        pg_i64(res, r, 8, &out->updated_at) != ERR_OK)
        return ERR_DB;
    out->platform = p;
    out->account = dup_or_null(res, r, 1);
    out->access_sealed = dup_or_null(res, r, 2);
    out->refresh_sealed = dup_or_null(res, r, 3);
    out->expires_at = pg_i64_or(res, r, 4, TIME_NONE);
    out->scopes = dup_or_null(res, r, 5);
    out->status = status != NULL && status[0] == 'n' ? CRED_NEEDS_RELOGIN
                                                     : CRED_OK;
    out->last_error = dup_or_null(res, r, 7);
    out->issued_at = pg_i64_or(res, r, 9, TIME_NONE);
    out->refresh_expires_at = pg_i64_or(res, r, 10, TIME_NONE);
    out->renew_error = dup_or_null(res, r, 11);
    out->login = dup_or_null(res, r, 12);
    return ERR_OK;
}

enum err pg_cred_get_op(struct store *st, enum platform pl,
                         const char *account, struct store_cred *out,
                         struct buf *err)
{
    struct pg_params p;
    PGresult *res = NULL;
    enum err rc;

    *out = (struct store_cred){0};
    pg_p_init(&p);
    pg_p_text(&p, platform_name(pl));
    pg_p_text(&p, account);
    rc = pg_run(pg_of(st), &pg_cred_get, &p, &res, "reading a credential",
                err);
    if (rc == ERR_OK && PQntuples(res) == 0) {
        buf_setf(err, "no %s credential for account \"%s\" (run 'mediadash "
                 "connect %s')", platform_name(pl), account,
                 platform_name(pl));
        rc = ERR_NOTFOUND;
    } else if (rc == ERR_OK && row_to_cred(res, 0, out) != ERR_OK) {
        store_cred_free(out);
        buf_setf(err, "a stored credential is malformed");
        rc = ERR_DB;
    }
    PQclear(res);
    return rc;
}

/* Run an UPDATE of one credential (params p: $1 platform, $2 account,
 * then the new values); ERR_NOTFOUND when no row changed. */
static enum err cred_update(struct store *st, const struct pg_stmt *stmt,
                            struct pg_params *p, struct buf *err)
{
    PGresult *res = NULL;
    enum err rc = pg_run(pg_of(st), stmt, p, &res, "updating a credential",
                         err);

    if (rc == ERR_OK && pg_changes(res) != 1)
        rc = ERR_NOTFOUND;
    PQclear(res);
    return rc;
}

enum err pg_cred_set_status(struct store *st, enum platform pl,
                                const char *account, enum cred_status cs,
                                const char *last_error, int64_t now,
                                struct buf *err)
{
    struct pg_params p;

    pg_p_init(&p);
    pg_p_text(&p, platform_name(pl));
    pg_p_text(&p, account);
    pg_p_text(&p, cred_status_name(cs));
    pg_p_text(&p, last_error);
    pg_p_i64(&p, now);
    return cred_update(st, &pg_cred_status, &p, err);
}

enum err pg_cred_set_renew_error(struct store *st, enum platform pl,
                                     const char *account, const char *why,
                                     struct buf *err)
{
    struct pg_params p;

    pg_p_init(&p);
    pg_p_text(&p, platform_name(pl));
    pg_p_text(&p, account);
    pg_p_text(&p, why);
    return cred_update(st, &pg_cred_renew_error, &p, err);
}

enum err pg_cred_list_op(struct store *st, store_cred_fn fn, void *ud,
                          struct buf *err)
{
    PGresult *res = NULL;
    enum err rc = pg_run(pg_of(st), &pg_cred_list, NULL, &res,
                         "listing credentials", err);

    for (int r = 0; rc == ERR_OK && r < PQntuples(res); r++) {
        struct store_cred c = {0};
        rc = row_to_cred(res, r, &c);
        if (rc == ERR_OK)
            rc = fn(ud, &c);
        store_cred_free(&c);
    }
    PQclear(res);
    return rc;
}

enum err pg_oauth_state_put(struct store *st, const char *state,
                          const struct store_oauth_state *os, int64_t now,
                          struct buf *err)
{
    struct store_pg *s = pg_of(st);
    struct pg_params p;
    enum err rc;

    pg_p_init(&p);
    pg_p_i64(&p, now);
    rc = pg_run(s, &pg_state_purge, &p, NULL,
                "storing an authorization state", err);
    if (rc != ERR_OK)
        return rc;
    pg_p_init(&p);
    pg_p_text(&p, state);
    pg_p_text(&p, platform_name(os->platform));
    pg_p_text(&p, os->account);
    pg_p_text(&p, os->verifier_sealed);
    pg_p_i64(&p, os->expires_at);
    pg_p_text(&p, os->login);
    return pg_run(s, &pg_state_put, &p, NULL,
                  "storing an authorization state", err);
}

enum err pg_oauth_state_take(struct store *st, const char *state, int64_t now,
                           struct store_oauth_state *out, struct buf *err)
{
    struct pg_params p;
    PGresult *res = NULL;
    const char *pl;
    enum err rc;

    *out = (struct store_oauth_state){0};
    pg_p_init(&p);
    pg_p_text(&p, state);
    pg_p_i64(&p, now);
    rc = pg_run(pg_of(st), &pg_state_take, &p, &res,
                "taking an authorization state", err);
    if (rc == ERR_OK && PQntuples(res) == 0) {
        buf_setf(err, "unknown, used or expired authorization state");
        rc = ERR_NOTFOUND;
    } else if (rc == ERR_OK) {
        pl = pg_text(res, 0, 0);
        if (pl == NULL || platform_from_name(pl, &out->platform) != ERR_OK ||
            pg_text(res, 0, 2) == NULL ||
            pg_i64(res, 0, 3, &out->expires_at) != ERR_OK) {
            buf_setf(err, "taking an authorization state: a malformed row");
            rc = ERR_DB;
        } else {
            out->account = dup_or_null(res, 0, 1);
            out->verifier_sealed = dup_or_null(res, 0, 2);
            out->login = dup_or_null(res, 0, 4);
        }
    }
    PQclear(res);
    return rc;
}
