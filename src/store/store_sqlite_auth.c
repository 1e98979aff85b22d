/* Dashboard users and login sessions (SQLite backend). Rows hold an
 * argon2id hash string per user and, per session, the SHA-256 of the
 * client's token: never a password or a token (0003_auth.sql). */
#include <stdlib.h>

#include "core/alloc.h"
#include "store/store_sqlite.h"

#define SQL_USER_ADD \
    "INSERT INTO app_user(name, pw_hash, created_at) VALUES (?1, ?2, ?3)"
#define SQL_USER_GET                                                      \
    "SELECT id, name, pw_hash, created_at, disabled FROM app_user WHERE " \
    "name = ?1"
#define SQL_USER_SET_PW "UPDATE app_user SET pw_hash = ?2 WHERE name = ?1"
#define SQL_USER_END_SESSIONS \
    "DELETE FROM session WHERE user_id = (SELECT id FROM app_user WHERE " \
    "name = ?1)"
/* Sessions go with their user (ON DELETE CASCADE). */
#define SQL_USER_DEL "DELETE FROM app_user WHERE name = ?1"
#define SQL_USER_LIST                                                  \
    "SELECT u.id, u.name, u.created_at, u.disabled, (SELECT count(*) " \
    "FROM session s WHERE s.user_id = u.id) FROM app_user u ORDER BY u.name"
#define SQL_USER_COUNT "SELECT count(*) FROM app_user"
#define SQL_SESSION_ADD                                                    \
    "INSERT INTO session(token_hash, user_id, csrf, created_at, last_seen) " \
    "VALUES (?1, ?2, ?3, ?4, ?4)"
#define SQL_SESSION_GET                                                    \
    "SELECT s.user_id, u.name, s.csrf, s.created_at, s.last_seen FROM "    \
    "session s JOIN app_user u ON u.id = s.user_id WHERE s.token_hash = ?1 " \
    "AND u.disabled = 0"
#define SQL_SESSION_TOUCH \
    "UPDATE session SET last_seen = ?2 WHERE token_hash = ?1"
#define SQL_SESSION_DEL "DELETE FROM session WHERE token_hash = ?1"
#define SQL_SESSION_PURGE                                                   \
    "DELETE FROM session WHERE last_seen <= ?1 OR created_at <= ?2 OR "     \
    "user_id IN (SELECT id FROM app_user WHERE disabled = 1)"

static sqlite3 *db_of(struct store *st)
{
    return sqlite_store_of(st)->db;
}

static char *column_dup(sqlite3_stmt *stmt, int i)
{
    const unsigned char *t = sqlite3_column_text(stmt, i);
    return xstrdup(t ? (const char *)t : "");
}

/* Run a statement whose ?1 is name (and ?2 text2 unless NULL) to
 * completion; *changes is the number of rows it changed. */
static enum err run_by_name(sqlite3 *db, const char *sql, const char *name,
                            const char *text2, int *changes)
{
    sqlite3_stmt *stmt = NULL;
    enum err rc = ERR_DB;

    *changes = 0;
    if (sqlite3_prepare_v2(db, sql, -1, &stmt, NULL) != SQLITE_OK ||
        sqlite3_bind_text(stmt, 1, name, -1, SQLITE_STATIC) != SQLITE_OK)
        goto out;
    if (text2 != NULL &&
        sqlite3_bind_text(stmt, 2, text2, -1, SQLITE_STATIC) != SQLITE_OK)
        goto out;
    if (sqlite3_step(stmt) != SQLITE_DONE)
        goto out;
    *changes = sqlite3_changes(db);
    rc = ERR_OK;
out:
    sqlite3_finalize(stmt);
    return rc;
}

enum err sq_user_add(struct store *st, const char *name, const char *pw_hash,
                     int64_t now, int64_t *id_out)
{
    sqlite3 *db = db_of(st);
    sqlite3_stmt *stmt = NULL;
    enum err rc = ERR_DB;
    int r;

    if (sqlite3_prepare_v2(db, SQL_USER_ADD, -1, &stmt, NULL) != SQLITE_OK ||
        sqlite3_bind_text(stmt, 1, name, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_text(stmt, 2, pw_hash, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_int64(stmt, 3, now) != SQLITE_OK)
        goto out;
    r = sqlite3_step(stmt);
    if (r == SQLITE_CONSTRAINT_UNIQUE) {
        rc = ERR_EXISTS;
    } else if (r == SQLITE_CONSTRAINT_CHECK) {
        rc = ERR_INVALID;
    } else if (r == SQLITE_DONE) {
        if (id_out != NULL)
            *id_out = sqlite3_last_insert_rowid(db);
        rc = ERR_OK;
    }
out:
    sqlite3_finalize(stmt);
    return rc;
}

enum err sq_user_get(struct store *st, const char *name,
                     struct store_user *out)
{
    sqlite3_stmt *stmt = NULL;
    enum err rc = ERR_DB;
    int r;

    if (sqlite3_prepare_v2(db_of(st), SQL_USER_GET, -1, &stmt, NULL) !=
            SQLITE_OK ||
        sqlite3_bind_text(stmt, 1, name, -1, SQLITE_STATIC) != SQLITE_OK)
        goto out;
    r = sqlite3_step(stmt);
    if (r == SQLITE_DONE) {
        rc = ERR_NOTFOUND;
    } else if (r == SQLITE_ROW) {
        out->id = sqlite3_column_int64(stmt, 0);
        out->name = column_dup(stmt, 1);
        out->pw_hash = column_dup(stmt, 2);
        out->created_at = sqlite3_column_int64(stmt, 3);
        out->disabled = sqlite3_column_int(stmt, 4) != 0;
        out->sessions = 0;
        rc = ERR_OK;
    }
out:
    sqlite3_finalize(stmt);
    return rc;
}

enum err sq_user_set_password(struct store *st, const char *name,
                              const char *pw_hash)
{
    sqlite3 *db = db_of(st);
    enum err rc;
    int changes = 0, ended;

    if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        return ERR_DB;
    rc = run_by_name(db, SQL_USER_SET_PW, name, pw_hash, &changes);
    if (rc == ERR_OK && changes == 0)
        rc = ERR_NOTFOUND;
    if (rc == ERR_OK)
        rc = run_by_name(db, SQL_USER_END_SESSIONS, name, NULL, &ended);
    if (rc == ERR_OK && sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) !=
                            SQLITE_OK)
        rc = ERR_DB;
    if (rc != ERR_OK)
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}

enum err sq_user_del(struct store *st, const char *name)
{
    int changes = 0;
    enum err rc = run_by_name(db_of(st), SQL_USER_DEL, name, NULL, &changes);
    if (rc == ERR_OK && changes == 0)
        rc = ERR_NOTFOUND;
    return rc;
}

enum err sq_user_list(struct store *st, store_user_fn fn, void *ud)
{
    sqlite3_stmt *stmt = NULL;
    enum err rc = ERR_DB;
    int r;

    if (sqlite3_prepare_v2(db_of(st), SQL_USER_LIST, -1, &stmt, NULL) !=
        SQLITE_OK)
        goto out;
    while ((r = sqlite3_step(stmt)) == SQLITE_ROW) {
        struct store_user u = {0};
        u.id = sqlite3_column_int64(stmt, 0);
        u.name = (char *)sqlite3_column_text(stmt, 1);
        u.created_at = sqlite3_column_int64(stmt, 2);
        u.disabled = sqlite3_column_int(stmt, 3) != 0;
        u.sessions = sqlite3_column_int64(stmt, 4);
        if (u.name == NULL)
            goto out;
        rc = fn(ud, &u);
        if (rc != ERR_OK)
            goto out;
    }
    rc = r == SQLITE_DONE ? ERR_OK : ERR_DB;
out:
    sqlite3_finalize(stmt);
    return rc;
}

enum err sq_user_count(struct store *st, int64_t *out)
{
    sqlite3_stmt *stmt = NULL;
    enum err rc = ERR_DB;

    *out = 0;
    if (sqlite3_prepare_v2(db_of(st), SQL_USER_COUNT, -1, &stmt, NULL) ==
            SQLITE_OK &&
        sqlite3_step(stmt) == SQLITE_ROW) {
        *out = sqlite3_column_int64(stmt, 0);
        rc = ERR_OK;
    }
    sqlite3_finalize(stmt);
    return rc;
}

enum err sq_session_add(struct store *st, const char *key, int64_t user_id,
                        const char *csrf, int64_t now)
{
    sqlite3_stmt *stmt = NULL;
    enum err rc = ERR_DB;
    int r;

    if (sqlite3_prepare_v2(db_of(st), SQL_SESSION_ADD, -1, &stmt, NULL) !=
            SQLITE_OK ||
        sqlite3_bind_text(stmt, 1, key, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_int64(stmt, 2, user_id) != SQLITE_OK ||
        sqlite3_bind_text(stmt, 3, csrf, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_int64(stmt, 4, now) != SQLITE_OK)
        goto out;
    r = sqlite3_step(stmt);
    if (r == SQLITE_DONE)
        rc = ERR_OK;
    else if (r == SQLITE_CONSTRAINT_PRIMARYKEY)
        rc = ERR_EXISTS;
    else if (r == SQLITE_CONSTRAINT_CHECK || r == SQLITE_CONSTRAINT_FOREIGNKEY)
        rc = ERR_INVALID;
out:
    sqlite3_finalize(stmt);
    return rc;
}

static bool expired(const struct store_session *s, int64_t now,
                    const struct store_session_limits *lim)
{
    return now - s->last_seen >= lim->idle_s ||
           now - s->created_at >= lim->max_s;
}

enum err sq_session_get(struct store *st, const char *key, int64_t now,
                        const struct store_session_limits *lim,
                        struct store_session *out)
{
    sqlite3_stmt *stmt = NULL;
    struct store_session s = {0};
    enum err rc = ERR_DB;
    int r;

    if (sqlite3_prepare_v2(db_of(st), SQL_SESSION_GET, -1, &stmt, NULL) !=
            SQLITE_OK ||
        sqlite3_bind_text(stmt, 1, key, -1, SQLITE_STATIC) != SQLITE_OK)
        goto out;
    r = sqlite3_step(stmt);
    if (r == SQLITE_DONE) {
        rc = ERR_NOTFOUND;
        goto out;
    }
    if (r != SQLITE_ROW)
        goto out;
    s.user_id = sqlite3_column_int64(stmt, 0);
    s.user = column_dup(stmt, 1);
    s.csrf = column_dup(stmt, 2);
    s.created_at = sqlite3_column_int64(stmt, 3);
    s.last_seen = sqlite3_column_int64(stmt, 4);
    if (expired(&s, now, lim)) {
        store_session_free(&s);
        rc = sq_session_del(st, key);
        if (rc == ERR_OK)
            rc = ERR_NOTFOUND;
        goto out;
    }
    *out = s;
    rc = ERR_OK;
out:
    sqlite3_finalize(stmt);
    return rc;
}

enum err sq_session_touch(struct store *st, const char *key, int64_t now)
{
    sqlite3_stmt *stmt = NULL;
    enum err rc = ERR_DB;

    if (sqlite3_prepare_v2(db_of(st), SQL_SESSION_TOUCH, -1, &stmt, NULL) ==
            SQLITE_OK &&
        sqlite3_bind_text(stmt, 1, key, -1, SQLITE_STATIC) == SQLITE_OK &&
        sqlite3_bind_int64(stmt, 2, now) == SQLITE_OK &&
        sqlite3_step(stmt) == SQLITE_DONE)
        rc = ERR_OK;
    sqlite3_finalize(stmt);
    return rc;
}

enum err sq_session_del(struct store *st, const char *key)
{
    int changes;
    return run_by_name(db_of(st), SQL_SESSION_DEL, key, NULL, &changes);
}

enum err sq_session_purge(struct store *st, int64_t now,
                          const struct store_session_limits *lim, int64_t *n)
{
    sqlite3 *db = db_of(st);
    sqlite3_stmt *stmt = NULL;
    enum err rc = ERR_DB;

    if (n != NULL)
        *n = 0;
    if (sqlite3_prepare_v2(db, SQL_SESSION_PURGE, -1, &stmt, NULL) !=
            SQLITE_OK ||
        sqlite3_bind_int64(stmt, 1, now - lim->idle_s) != SQLITE_OK ||
        sqlite3_bind_int64(stmt, 2, now - lim->max_s) != SQLITE_OK ||
        sqlite3_step(stmt) != SQLITE_DONE)
        goto out;
    if (n != NULL)
        *n = sqlite3_changes(db);
    rc = ERR_OK;
out:
    sqlite3_finalize(stmt);
    return rc;
}
