/* API tokens, SQLite backend (store_token.h; migration 0025). Rare
 * statements: prepared per call, finalized at out:. */
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "store/store_sqlite.h"
#include "store/store_token.h"

#define S sqlite_store_of

#define SQL_TOKEN_COLS                                                        \
    "SELECT id, name, scope, created_by, created_at, expires_at, "            \
    "last_used_at, revoked_at FROM api_token "
#define SQL_TOKEN_BY_KEY SQL_TOKEN_COLS "WHERE token_hash = ?1"
#define SQL_TOKEN_LIST SQL_TOKEN_COLS "ORDER BY created_at DESC, id DESC"
/* Live at ?2: not revoked, and no expiry or one after ?2. */
#define SQL_TOKEN_LIVE_NAME                                                   \
    "SELECT 1 FROM api_token WHERE name = ?1 AND revoked_at IS NULL AND "     \
    "(expires_at IS NULL OR expires_at > ?2) LIMIT 1"
#define SQL_TOKEN_LIVE_COUNT                                                  \
    "SELECT count(*) FROM api_token WHERE revoked_at IS NULL AND "            \
    "(expires_at IS NULL OR expires_at > ?1)"
#define SQL_TOKEN_ADD                                                         \
    "INSERT INTO api_token(name, token_hash, scope, created_at, created_by, " \
    "expires_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
#define SQL_TOKEN_TOUCH "UPDATE api_token SET last_used_at = ?2 WHERE id = ?1"
#define SQL_TOKEN_EXISTS "SELECT 1 FROM api_token WHERE id = ?1"
#define SQL_TOKEN_REVOKE_ID                                                   \
    "UPDATE api_token SET revoked_at = ?2 WHERE id = ?1 AND "                 \
    "revoked_at IS NULL"
#define SQL_TOKEN_REVOKE_NAME                                                 \
    "UPDATE api_token SET revoked_at = ?2 WHERE name = ?1 AND "               \
    "revoked_at IS NULL"

void store_token_free(struct store_token *t)
{
    if (t == NULL)
        return;
    FREE_AND_NULL(t->name);
    FREE_AND_NULL(t->scope);
    FREE_AND_NULL(t->created_by);
}

bool store_token_live(const struct store_token *t, int64_t now)
{
    return t->revoked_at == 0 && (t->expires_at == 0 || t->expires_at > now);
}

const char *store_token_status(const struct store_token *t, int64_t now)
{
    if (t->revoked_at != 0)
        return "revoked";
    return store_token_live(t, now) ? "live" : "expired";
}

static char *col_dup(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return xstrdup(t ? (const char *)t : "");
}

static void row_to_token(sqlite3_stmt *st, struct store_token *t)
{
    t->id = sqlite3_column_int64(st, 0);
    t->name = col_dup(st, 1);
    t->scope = col_dup(st, 2);
    t->created_by = col_dup(st, 3);
    t->created_at = sqlite3_column_int64(st, 4);
    t->expires_at = sqlite3_column_int64(st, 5);   /* NULL reads as 0 */
    t->last_used_at = sqlite3_column_int64(st, 6);
    t->revoked_at = sqlite3_column_int64(st, 7);
}

static int bind_time_or_null(sqlite3_stmt *st, int i, int64_t t)
{
    return t == 0 ? sqlite3_bind_null(st, i) : sqlite3_bind_int64(st, i, t);
}

/* One integer a query of ?1 = a (text, or NULL: none), ?2 = b answers,
 * into *out (0 without a row). */
static enum err one_int(struct sqlite_store *s, const char *sql,
                        const char *a, int64_t b, int64_t *out)
{
    sqlite3_stmt *st = NULL;
    enum err rc = ERR_DB;
    int r, i = 1;

    *out = 0;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
        goto out;
    if (a != NULL && sqlite3_bind_text(st, i++, a, -1, SQLITE_STATIC) !=
                         SQLITE_OK)
        goto out;
    if (sqlite3_bind_int64(st, i, b) != SQLITE_OK)
        goto out;
    r = sqlite3_step(st);
    if (r == SQLITE_ROW)
        *out = sqlite3_column_int64(st, 0);
    if (r == SQLITE_ROW || r == SQLITE_DONE)
        rc = ERR_OK;
out:
    sqlite3_finalize(st);
    return rc;
}

/* The insert itself, inside add's transaction. */
static enum err insert(struct sqlite_store *s, const char *key,
                       const struct store_token *t, int64_t *id_out)
{
    sqlite3_stmt *st = NULL;
    enum err rc = ERR_DB;

    if (sqlite3_prepare_v2(s->db, SQL_TOKEN_ADD, -1, &st, NULL) !=
            SQLITE_OK ||
        sqlite3_bind_text(st, 1, t->name, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_text(st, 3, t->scope, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_int64(st, 4, t->created_at) != SQLITE_OK ||
        sqlite3_bind_text(st, 5, t->created_by ? t->created_by : "", -1,
                          SQLITE_STATIC) != SQLITE_OK ||
        bind_time_or_null(st, 6, t->expires_at) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_DONE)
        goto out;
    if (id_out != NULL)
        *id_out = sqlite3_last_insert_rowid(s->db);
    rc = ERR_OK;
out:
    sqlite3_finalize(st);
    return rc;
}

enum err sq_token_add(struct store *base, const char *key,
                      const struct store_token *t, int64_t *id_out,
                      struct buf *err)
{
    struct sqlite_store *s = S(base);
    int64_t v = 0;
    enum err rc = sqlite_write_begin(s, err);

    if (rc != ERR_OK)
        return rc;
    rc = one_int(s, SQL_TOKEN_LIVE_NAME, t->name, t->created_at, &v);
    if (rc == ERR_OK && v != 0) {
        buf_setf(err, "a live token is called %s already", t->name);
        rc = ERR_EXISTS;
    }
    if (rc == ERR_OK)
        rc = one_int(s, SQL_TOKEN_LIVE_COUNT, NULL, t->created_at, &v);
    if (rc == ERR_OK && v >= STORE_TOKENS_MAX) {
        buf_setf(err, "%d tokens are live: revoke some first",
                 STORE_TOKENS_MAX);
        rc = ERR_TOOBIG;
    }
    if (rc == ERR_OK)
        rc = insert(s, key, t, id_out);
    if (rc == ERR_DB)
        return sqlite_write_end(s, sqlite_fail(s, err, "adding a token"), err);
    if (rc != ERR_OK) { /* a refusal: nothing written, no store fault */
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
        return rc;
    }
    return sqlite_write_end(s, rc, err);
}

enum err sq_token_by_key(struct store *base, const char *key,
                         struct store_token *out, struct buf *err)
{
    struct sqlite_store *s = S(base);
    sqlite3_stmt *st = NULL;
    enum err rc = ERR_DB;
    int r;

    *out = (struct store_token){0};
    if (sqlite3_prepare_v2(s->db, SQL_TOKEN_BY_KEY, -1, &st, NULL) !=
            SQLITE_OK ||
        sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC) != SQLITE_OK) {
        rc = sqlite_fail(s, err, "reading a token");
        goto out;
    }
    r = sqlite3_step(st);
    if (r == SQLITE_ROW) {
        row_to_token(st, out);
        rc = ERR_OK;
    } else if (r == SQLITE_DONE) {
        rc = ERR_NOTFOUND;
    } else {
        rc = sqlite_fail(s, err, "reading a token");
    }
out:
    sqlite3_finalize(st);
    return rc;
}

/* Run sql with ?1 = id (or name when name is not NULL) and ?2 = t;
 * *changes: the rows it changed. */
static enum err run(struct sqlite_store *s, const char *sql, int64_t id,
                    const char *name, int64_t t, int64_t *changes)
{
    sqlite3_stmt *st = NULL;
    enum err rc = ERR_DB;
    int b1;

    *changes = 0;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
        goto out;
    b1 = name != NULL ? sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC)
                      : sqlite3_bind_int64(st, 1, id);
    if (b1 != SQLITE_OK || sqlite3_bind_int64(st, 2, t) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_DONE)
        goto out;
    *changes = sqlite3_changes(s->db);
    rc = ERR_OK;
out:
    sqlite3_finalize(st);
    return rc;
}

enum err sq_token_touch(struct store *base, int64_t id, int64_t now)
{
    int64_t n;
    return run(S(base), SQL_TOKEN_TOUCH, id, NULL, now, &n);
}

enum err sq_token_list(struct store *base, store_token_fn fn, void *ud,
                       struct buf *err)
{
    struct sqlite_store *s = S(base);
    sqlite3_stmt *st = NULL;
    enum err rc = ERR_OK;
    int r = SQLITE_DONE;

    if (sqlite3_prepare_v2(s->db, SQL_TOKEN_LIST, -1, &st, NULL) !=
        SQLITE_OK) {
        rc = sqlite_fail(s, err, "listing tokens");
        goto out;
    }
    while (rc == ERR_OK && (r = sqlite3_step(st)) == SQLITE_ROW) {
        struct store_token one = {0};
        row_to_token(st, &one);
        rc = fn(&one, ud);
        store_token_free(&one);
    }
    if (rc == ERR_OK && r != SQLITE_DONE)
        rc = sqlite_fail(s, err, "listing tokens");
out:
    sqlite3_finalize(st);
    return rc;
}

enum err sq_token_revoke_id(struct store *base, int64_t id, int64_t now,
                            int64_t *n, struct buf *err)
{
    struct sqlite_store *s = S(base);
    int64_t changed = 0, exists = 0;
    enum err rc = run(s, SQL_TOKEN_REVOKE_ID, id, NULL, now, &changed);

    if (rc == ERR_OK && changed == 0) {
        sqlite3_stmt *st = NULL;
        rc = sqlite3_prepare_v2(s->db, SQL_TOKEN_EXISTS, -1, &st, NULL) ==
                         SQLITE_OK &&
                     sqlite3_bind_int64(st, 1, id) == SQLITE_OK
                 ? ERR_OK
                 : ERR_DB;
        if (rc == ERR_OK) {
            int r = sqlite3_step(st);
            exists = r == SQLITE_ROW;
            rc = r == SQLITE_ROW || r == SQLITE_DONE ? ERR_OK : ERR_DB;
        }
        sqlite3_finalize(st);
        if (rc == ERR_OK && !exists) {
            buf_setf(err, "no token %lld", (long long)id);
            rc = ERR_NOTFOUND;
        }
    }
    if (rc == ERR_DB)
        sqlite_fail(s, err, "revoking a token");
    if (n != NULL)
        *n = changed;
    return rc;
}

enum err sq_token_revoke_name(struct store *base, const char *name,
                              int64_t now, int64_t *n, struct buf *err)
{
    struct sqlite_store *s = S(base);
    int64_t changed = 0;
    enum err rc = run(s, SQL_TOKEN_REVOKE_NAME, 0, name, now, &changed);

    if (rc == ERR_DB)
        sqlite_fail(s, err, "revoking a token");
    else if (changed == 0) {
        buf_setf(err, "no unrevoked token called %s", name);
        rc = ERR_NOTFOUND;
    }
    if (n != NULL)
        *n = changed;
    return rc;
}
