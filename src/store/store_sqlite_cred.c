/* OAuth credentials and pending authorization states (SQLite backend).
 * Rare statements: prepared per call, finalized at out:. Token columns
 * hold text sealed by core/secret; this file never sees a plain token. */
#include <sqlite3.h>
#include <stdlib.h>

#include "core/alloc.h"
#include "core/timeutil.h"
#include "store/store_sqlite.h"

#define S sqlite_store_of

/* A NULL refresh token keeps the stored one (coalesce), and then its
 * known end too; a put clears the renewal error. */
#define SQL_CRED_PUT                                                          \
    "INSERT INTO credential(platform, account, access_token, refresh_token, " \
    "expires_at, scopes, status, last_error, updated_at, issued_at, "        \
    "refresh_expires_at, login) VALUES (?1, ?2, ?3, ?4, ?5, "                 \
    "coalesce(?6, ''), ?7, ?8, ?9, ?10, ?11, coalesce(?12, '')) "            \
    "ON CONFLICT(platform, account) DO "                                      \
    "UPDATE SET access_token = excluded.access_token, refresh_token = "      \
    "coalesce(excluded.refresh_token, credential.refresh_token), "           \
    "expires_at = excluded.expires_at, scopes = CASE WHEN ?6 IS NULL THEN "   \
    "credential.scopes ELSE excluded.scopes END, status = excluded.status, "  \
    "last_error = excluded.last_error, updated_at = excluded.updated_at, "    \
    "issued_at = excluded.issued_at, refresh_expires_at = CASE WHEN ?4 IS "   \
    "NULL AND ?11 IS NULL THEN credential.refresh_expires_at ELSE "           \
    "excluded.refresh_expires_at END, renew_error = NULL, login = "          \
    "coalesce(?12, credential.login)"

#define SQL_CRED_COLS                                                         \
    "SELECT platform, account, access_token, refresh_token, expires_at, "     \
    "scopes, status, last_error, updated_at, issued_at, "                     \
    "refresh_expires_at, renew_error, login FROM credential "

#define SQL_CRED_GET SQL_CRED_COLS "WHERE platform = ?1 AND account = ?2"
#define SQL_CRED_LIST SQL_CRED_COLS "ORDER BY platform, account"

#define SQL_CRED_STATUS                                                       \
    "UPDATE credential SET status = ?3, last_error = ?4, updated_at = ?5 "    \
    "WHERE platform = ?1 AND account = ?2"

#define SQL_CRED_RENEW_ERROR                                                  \
    "UPDATE credential SET renew_error = ?3 WHERE platform = ?1 AND "         \
    "account = ?2"

#define SQL_STATE_PURGE "DELETE FROM oauth_state WHERE expires_at <= ?1"
#define SQL_STATE_PUT                                                         \
    "INSERT INTO oauth_state(state, platform, account, verifier, "            \
    "expires_at, login) VALUES (?1, ?2, ?3, ?4, ?5, coalesce(?6, ''))"
#define SQL_STATE_TAKE                                                        \
    "DELETE FROM oauth_state WHERE state = ?1 AND expires_at > ?2 "           \
    "RETURNING platform, account, verifier, expires_at, login"

static char *col_dup(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return t ? xstrdup((const char *)t) : NULL;
}

static const char *status_text(enum cred_status s)
{
    return cred_status_name(s);
}

/* A time or NULL for TIME_NONE. */
static int bind_time(sqlite3_stmt *st, int i, int64_t t)
{
    return t == TIME_NONE ? sqlite3_bind_null(st, i)
                          : sqlite3_bind_int64(st, i, t);
}

static int64_t col_time(sqlite3_stmt *st, int i)
{
    return sqlite3_column_type(st, i) == SQLITE_NULL
               ? TIME_NONE
               : sqlite3_column_int64(st, i);
}

enum err sq_cred_put(struct store *base, const struct store_cred *c,
                     struct buf *err)
{
    struct sqlite_store *s = S(base);
    sqlite3_stmt *st = NULL;
    enum err rc = ERR_DB;

    if (sqlite3_prepare_v2(s->db, SQL_CRED_PUT, -1, &st, NULL) != SQLITE_OK ||
        sqlite3_bind_text(st, 1, platform_name(c->platform), -1,
                          SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_text(st, 2, c->account, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite_bind_text_or_null(st, 3, c->access_sealed) != SQLITE_OK ||
        sqlite_bind_text_or_null(st, 4, c->refresh_sealed) != SQLITE_OK ||
        (c->expires_at == TIME_NONE
             ? sqlite3_bind_null(st, 5)
             : sqlite3_bind_int64(st, 5, c->expires_at)) != SQLITE_OK ||
        sqlite_bind_text_or_null(st, 6, c->scopes) != SQLITE_OK ||
        sqlite3_bind_text(st, 7, status_text(c->status), -1,
                          SQLITE_STATIC) != SQLITE_OK ||
        sqlite_bind_text_or_null(st, 8, c->last_error) != SQLITE_OK ||
        sqlite3_bind_int64(st, 9, c->updated_at) != SQLITE_OK ||
        bind_time(st, 10, c->issued_at) != SQLITE_OK ||
        bind_time(st, 11, c->refresh_expires_at) != SQLITE_OK ||
        sqlite_bind_text_or_null(st, 12, c->login) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_DONE) {
        sqlite_fail(s, err, "storing a credential");
        goto out;
    }
    rc = ERR_OK;
out:
    sqlite3_finalize(st);
    return rc;
}

static enum err row_to_cred(sqlite3_stmt *st, struct store_cred *out)
{
    const char *pl = (const char *)sqlite3_column_text(st, 0);
    const char *status = (const char *)sqlite3_column_text(st, 6);
    enum platform p;

    if (pl == NULL || platform_from_name(pl, &p) != ERR_OK)
        return ERR_DB;
    out->platform = p;
    out->account = col_dup(st, 1);
    out->access_sealed = col_dup(st, 2);
    out->refresh_sealed = col_dup(st, 3);
    out->expires_at = sqlite3_column_type(st, 4) == SQLITE_NULL
                          ? TIME_NONE
                          : sqlite3_column_int64(st, 4);
    out->scopes = col_dup(st, 5);
    out->status = status != NULL && status[0] == 'n' ? CRED_NEEDS_RELOGIN
                                                     : CRED_OK;
    out->last_error = col_dup(st, 7);
    out->updated_at = sqlite3_column_int64(st, 8);
    out->issued_at = col_time(st, 9);
    out->refresh_expires_at = col_time(st, 10);
    out->renew_error = col_dup(st, 11);
    out->login = col_dup(st, 12);
    return out->account != NULL ? ERR_OK : ERR_DB;
}

enum err sq_cred_get(struct store *base, enum platform p, const char *account,
                     struct store_cred *out, struct buf *err)
{
    struct sqlite_store *s = S(base);
    sqlite3_stmt *st = NULL;
    enum err rc = ERR_DB;
    int step;

    *out = (struct store_cred){0};
    if (sqlite3_prepare_v2(s->db, SQL_CRED_GET, -1, &st, NULL) != SQLITE_OK ||
        sqlite3_bind_text(st, 1, platform_name(p), -1, SQLITE_STATIC) !=
            SQLITE_OK ||
        sqlite3_bind_text(st, 2, account, -1, SQLITE_STATIC) != SQLITE_OK) {
        sqlite_fail(s, err, "reading a credential");
        goto out;
    }
    step = sqlite3_step(st);
    if (step == SQLITE_DONE) {
        buf_setf(err, "no %s credential for account \"%s\" (run 'mediadash "
                 "connect %s')", platform_name(p), account, platform_name(p));
        rc = ERR_NOTFOUND;
        goto out;
    }
    if (step != SQLITE_ROW) {
        sqlite_fail(s, err, "reading a credential");
        goto out;
    }
    rc = row_to_cred(st, out);
    if (rc != ERR_OK) {
        store_cred_free(out);
        buf_setf(err, "a stored credential is malformed");
    }
out:
    sqlite3_finalize(st);
    return rc;
}

enum err sq_cred_set_status(struct store *base, enum platform p,
                            const char *account, enum cred_status cs,
                            const char *last_error, int64_t now,
                            struct buf *err)
{
    struct sqlite_store *s = S(base);
    sqlite3_stmt *st = NULL;
    enum err rc = ERR_DB;

    if (sqlite_prepare_for(s, SQL_CRED_STATUS, p, account, &st) !=
            SQLITE_OK ||
        sqlite3_bind_text(st, 3, status_text(cs), -1, SQLITE_STATIC) !=
            SQLITE_OK ||
        sqlite_bind_text_or_null(st, 4, last_error) != SQLITE_OK ||
        sqlite3_bind_int64(st, 5, now) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_DONE) {
        sqlite_fail(s, err, "updating a credential");
        goto out;
    }
    rc = sqlite3_changes(s->db) == 1 ? ERR_OK : ERR_NOTFOUND;
out:
    sqlite3_finalize(st);
    return rc;
}

enum err sq_cred_set_renew_error(struct store *base, enum platform p,
                                 const char *account, const char *why,
                                 struct buf *err)
{
    struct sqlite_store *s = S(base);
    sqlite3_stmt *st = NULL;
    enum err rc = ERR_DB;

    if (sqlite_prepare_for(s, SQL_CRED_RENEW_ERROR, p, account, &st) !=
            SQLITE_OK ||
        sqlite_bind_text_or_null(st, 3, why) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_DONE) {
        sqlite_fail(s, err, "updating a credential");
        goto out;
    }
    rc = sqlite3_changes(s->db) == 1 ? ERR_OK : ERR_NOTFOUND;
out:
    sqlite3_finalize(st);
    return rc;
}

enum err sq_cred_list(struct store *base, store_cred_fn fn, void *ud,
                      struct buf *err)
{
    struct sqlite_store *s = S(base);
    sqlite3_stmt *st = NULL;
    enum err rc = ERR_DB;
    int step;

    if (sqlite3_prepare_v2(s->db, SQL_CRED_LIST, -1, &st, NULL) != SQLITE_OK) {
        sqlite_fail(s, err, "listing credentials");
        goto out;
    }
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        struct store_cred c = {0};
        rc = row_to_cred(st, &c);
        if (rc == ERR_OK)
            rc = fn(ud, &c);
        store_cred_free(&c);
        if (rc != ERR_OK)
            goto out;
    }
    rc = step == SQLITE_DONE ? ERR_OK : sqlite_fail(s, err,
                                                    "listing credentials");
out:
    sqlite3_finalize(st);
    return rc;
}

enum err sq_oauth_state_put(struct store *base, const char *state,
                            const struct store_oauth_state *os, int64_t now,
                            struct buf *err)
{
    struct sqlite_store *s = S(base);
    sqlite3_stmt *purge = NULL, *st = NULL;
    enum err rc = ERR_DB;

    if (sqlite3_prepare_v2(s->db, SQL_STATE_PURGE, -1, &purge, NULL) !=
            SQLITE_OK ||
        sqlite3_bind_int64(purge, 1, now) != SQLITE_OK ||
        sqlite3_step(purge) != SQLITE_DONE ||
        sqlite3_prepare_v2(s->db, SQL_STATE_PUT, -1, &st, NULL) != SQLITE_OK ||
        sqlite3_bind_text(st, 1, state, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_text(st, 2, platform_name(os->platform), -1,
                          SQLITE_STATIC) != SQLITE_OK ||
        sqlite_bind_text_or_null(st, 3, os->account) != SQLITE_OK ||
        sqlite3_bind_text(st, 4, os->verifier_sealed, -1, SQLITE_STATIC) !=
            SQLITE_OK ||
        sqlite3_bind_int64(st, 5, os->expires_at) != SQLITE_OK ||
        sqlite_bind_text_or_null(st, 6, os->login) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_DONE) {
        sqlite_fail(s, err, "storing an authorization state");
        goto out;
    }
    rc = ERR_OK;
out:
    sqlite3_finalize(purge);
    sqlite3_finalize(st);
    return rc;
}

/* One DELETE ... RETURNING: reading and consuming the state are one
 * statement, so two callbacks with the same state cannot both win. */
enum err sq_oauth_state_take(struct store *base, const char *state,
                             int64_t now, struct store_oauth_state *out,
                             struct buf *err)
{
    struct sqlite_store *s = S(base);
    sqlite3_stmt *st = NULL;
    const char *pl;
    enum err rc = ERR_DB;
    int step;

    *out = (struct store_oauth_state){0};
    if (sqlite3_prepare_v2(s->db, SQL_STATE_TAKE, -1, &st, NULL) !=
            SQLITE_OK ||
        sqlite3_bind_text(st, 1, state, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_int64(st, 2, now) != SQLITE_OK) {
        sqlite_fail(s, err, "reading an authorization state");
        goto out;
    }
    step = sqlite3_step(st);
    if (step == SQLITE_DONE) {
        buf_setf(err, "unknown, used or expired authorization state");
        rc = ERR_NOTFOUND;
        goto out;
    }
    pl = (const char *)sqlite3_column_text(st, 0);
    if (step != SQLITE_ROW || pl == NULL ||
        platform_from_name(pl, &out->platform) != ERR_OK) {
        sqlite_fail(s, err, "reading an authorization state");
        goto out;
    }
    out->account = col_dup(st, 1);
    out->verifier_sealed = col_dup(st, 2);
    out->expires_at = sqlite3_column_int64(st, 3);
    out->login = col_dup(st, 4);
    /* finish the statement so the DELETE commits */
    rc = sqlite3_step(st) == SQLITE_DONE ? ERR_OK
                                         : sqlite_fail(s, err, "taking an "
                                                       "authorization state");
    if (rc == ERR_OK && out->verifier_sealed == NULL)
        rc = ERR_DB;
    if (rc != ERR_OK)
        store_oauth_state_free(out);
out:
    sqlite3_finalize(st);
    return rc;
}
