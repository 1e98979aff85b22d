/* Dashboard users and login sessions, PostgreSQL backend (store.h "users
 * and sessions"; migration pg/sql/0002_ops.sql). The same answers as
 * store_sqlite_auth.c: rows hold an argon2id hash string per user and
 * the SHA-256 of each session's token, never a password or a token. */
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/str.h"
#include "store/pg/pg_ops.h"

PG_STMT(pg_auth_user_add, 3,
        "INSERT INTO app_user(name, pw_hash, created_at) VALUES ($1, $2, "
        "$3::bigint) RETURNING id");
PG_STMT(pg_auth_user_get, 1,
        "SELECT id, name, pw_hash, created_at, disabled FROM app_user "
        "WHERE name = $1");
PG_STMT(pg_auth_user_set_pw, 2,
        "UPDATE app_user SET pw_hash = $2 WHERE name = $1");
PG_STMT(pg_auth_user_end_sessions, 1,
        "DELETE FROM session WHERE user_id = (SELECT id FROM app_user "
        "WHERE name = $1)");
/* Sessions go with their user (ON DELETE CASCADE). */
PG_STMT(pg_auth_user_del, 1, "DELETE FROM app_user WHERE name = $1");
/* By name in byte order, as SQLite's BINARY collation sorts. */
PG_STMT(pg_auth_user_list, 0,
        "SELECT u.id, u.name, u.created_at, u.disabled, (SELECT count(*) "
        "FROM session s WHERE s.user_id = u.id) FROM app_user u "
        "ORDER BY u.name COLLATE \"C\"");
PG_STMT(pg_auth_user_count, 0, "SELECT count(*) FROM app_user");
PG_STMT(pg_auth_session_add, 4,
        "INSERT INTO session(token_hash, user_id, csrf, created_at, "
        "last_seen) VALUES ($1, $2::bigint, $3, $4::bigint, $4::bigint)");
PG_STMT(pg_auth_session_get, 1,
        "SELECT s.user_id, u.name, s.csrf, s.created_at, s.last_seen FROM "
        "session s JOIN app_user u ON u.id = s.user_id WHERE "
        "s.token_hash = $1 AND u.disabled = 0");
PG_STMT(pg_auth_session_touch, 2,
        "UPDATE session SET last_seen = $2::bigint WHERE token_hash = $1");
PG_STMT(pg_auth_session_del, 1, "DELETE FROM session WHERE token_hash = $1");
PG_STMT(pg_auth_session_purge, 2,
        "DELETE FROM session WHERE last_seen <= $1::bigint OR "
        "created_at <= $2::bigint OR user_id IN (SELECT id FROM app_user "
        "WHERE disabled = 1)");

int64_t pg_changes(const PGresult *res)
{
    int64_t n = 0;
    const char *t = PQcmdTuples((PGresult *)res);

    if (t == NULL || *t == '\0' ||
        parse_i64(t, 0, INT64_MAX, &n) != ERR_OK)
        return 0;
    return n;
}

/* What the SQLite table's CHECKs refuse with ERR_INVALID there: checked
 * here before the insert so that both backends answer the same. */
static bool user_ok(const char *name, const char *pw_hash)
{
    size_t n = strlen(name);
    return n >= 1 && n <= 64 && strncmp(pw_hash, "$argon2", 7) == 0;
}

enum err pg_user_add(struct store *st, const char *name, const char *pw_hash,
                     int64_t now, int64_t *id_out)
{
    struct pg_params p;
    PGresult *res = NULL;
    enum err rc;

    if (!user_ok(name, pw_hash))
        return ERR_INVALID;
    pg_p_init(&p);
    pg_p_text(&p, name);
    pg_p_text(&p, pw_hash);
    pg_p_i64(&p, now);
    rc = pg_run(pg_of(st), &pg_auth_user_add, &p, &res, "adding a user",
                NULL);
    if (rc == ERR_OK && id_out != NULL)
        rc = pg_i64(res, 0, 0, id_out) == ERR_OK ? ERR_OK : ERR_DB;
    PQclear(res);
    return rc == ERR_EXISTS || rc == ERR_OK ? rc : ERR_DB;
}

enum err pg_user_get(struct store *st, const char *name,
                     struct store_user *out)
{
    struct pg_params p;
    PGresult *res = NULL;
    enum err rc;

    pg_p_init(&p);
    pg_p_text(&p, name);
    rc = pg_run(pg_of(st), &pg_auth_user_get, &p, &res, "reading a user",
                NULL);
    if (rc != ERR_OK)
        return ERR_DB;
    if (PQntuples(res) == 0) {
        rc = ERR_NOTFOUND;
    } else if (pg_i64(res, 0, 0, &out->id) != ERR_OK ||
               pg_i64(res, 0, 3, &out->created_at) != ERR_OK) {
        rc = ERR_DB;
    } else {
        out->name = xstrdup(pg_text(res, 0, 1));
        out->pw_hash = xstrdup(pg_text(res, 0, 2));
        out->disabled = pg_i64_or(res, 0, 4, 0) != 0;
        out->sessions = 0;
    }
    PQclear(res);
    return rc;
}

/* Run st with $1 = name (and $2 = text2 unless NULL); *changes: the rows
 * it changed. */
static enum err run_by_name(struct store_pg *s, const struct pg_stmt *st,
                            const char *name, const char *text2,
                            int64_t *changes)
{
    struct pg_params p;
    PGresult *res = NULL;
    enum err rc;

    *changes = 0;
    pg_p_init(&p);
    pg_p_text(&p, name);
    if (text2 != NULL)
        pg_p_text(&p, text2);
    rc = pg_run(s, st, &p, &res, st->name, NULL);
    if (rc == ERR_OK)
        *changes = pg_changes(res);
    PQclear(res);
    return rc == ERR_OK ? ERR_OK : ERR_DB;
}

enum err pg_user_set_password(struct store *st, const char *name,
                              const char *pw_hash)
{
    struct store_pg *s = pg_of(st);
    int64_t changes = 0, ended = 0;
    enum err rc;

    if (strncmp(pw_hash, "$argon2", 7) != 0)
        return ERR_INVALID;
    if (pg_begin(s, NULL) != ERR_OK)
        return ERR_DB;
    rc = run_by_name(s, &pg_auth_user_set_pw, name, pw_hash, &changes);
    if (rc == ERR_OK && changes == 0)
        rc = ERR_NOTFOUND;
    if (rc == ERR_OK)
        rc = run_by_name(s, &pg_auth_user_end_sessions, name, NULL, &ended);
    if (rc == ERR_OK)
        rc = pg_commit(s, NULL) == ERR_OK ? ERR_OK : ERR_DB;
    if (rc != ERR_OK)
        pg_rollback(s);
    return rc;
}

enum err pg_user_del(struct store *st, const char *name)
{
    int64_t changes = 0;
    enum err rc = run_by_name(pg_of(st), &pg_auth_user_del, name, NULL,
                              &changes);
    if (rc == ERR_OK && changes == 0)
        rc = ERR_NOTFOUND;
    return rc;
}

enum err pg_user_list(struct store *st, store_user_fn fn, void *ud)
{
    PGresult *res = NULL;
    enum err rc = pg_run(pg_of(st), &pg_auth_user_list, NULL, &res,
                         "listing users", NULL);

    if (rc != ERR_OK)
        return ERR_DB;
    for (int r = 0; rc == ERR_OK && r < PQntuples(res); r++) {
        struct store_user u = {0};
        u.name = (char *)pg_text(res, r, 1);
        if (pg_i64(res, r, 0, &u.id) != ERR_OK ||
            pg_i64(res, r, 2, &u.created_at) != ERR_OK ||
            pg_i64(res, r, 4, &u.sessions) != ERR_OK || u.name == NULL) {
            rc = ERR_DB;
            break;
        }
        u.disabled = pg_i64_or(res, r, 3, 0) != 0;
        rc = fn(ud, &u);
    }
    PQclear(res);
    return rc;
}

enum err pg_user_count(struct store *st, int64_t *out)
{
    PGresult *res = NULL;
    enum err rc = pg_run(pg_of(st), &pg_auth_user_count, NULL, &res,
                         "counting users", NULL);

    *out = 0;
    if (rc == ERR_OK)
        rc = pg_i64(res, 0, 0, out) == ERR_OK ? ERR_OK : ERR_DB;
    PQclear(res);
    return rc == ERR_OK ? ERR_OK : ERR_DB;
}

enum err pg_session_add(struct store *st, const char *key, int64_t user_id,
                        const char *csrf, int64_t now)
{
    struct pg_params p;
    enum err rc;

    if (strlen(key) != 64)
        return ERR_INVALID;
    pg_p_init(&p);
    pg_p_text(&p, key);
    pg_p_i64(&p, user_id);
    pg_p_text(&p, csrf);
    pg_p_i64(&p, now);
    rc = pg_run(pg_of(st), &pg_auth_session_add, &p, NULL, "adding a session",
                NULL);
    if (rc == ERR_BUSY) /* no such user: SQLite's foreign key says INVALID */
        return ERR_INVALID;
    return rc == ERR_OK || rc == ERR_EXISTS ? rc : ERR_DB;
}

static bool expired(const struct store_session *s, int64_t now,
                    const struct store_session_limits *lim)
{
    return now - s->last_seen >= lim->idle_s ||
           now - s->created_at >= lim->max_s;
}

/* Row 0 of res into *s (strings owned). */
static enum err session_of(const PGresult *res, struct store_session *s)
{
    if (pg_i64(res, 0, 0, &s->user_id) != ERR_OK ||
        pg_i64(res, 0, 3, &s->created_at) != ERR_OK ||
        pg_i64(res, 0, 4, &s->last_seen) != ERR_OK ||
        pg_text(res, 0, 1) == NULL || pg_text(res, 0, 2) == NULL)
        return ERR_DB;
    s->user = xstrdup(pg_text(res, 0, 1));
    s->csrf = xstrdup(pg_text(res, 0, 2));
    return ERR_OK;
}

enum err pg_session_get(struct store *st, const char *key, int64_t now,
                        const struct store_session_limits *lim,
                        struct store_session *out)
{
    struct store_session s = {0};
    struct pg_params p;
    PGresult *res = NULL;
    enum err rc;

    pg_p_init(&p);
    pg_p_text(&p, key);
    rc = pg_run(pg_of(st), &pg_auth_session_get, &p, &res,
                "reading a session", NULL);
    if (rc != ERR_OK)
        rc = ERR_DB;
    else if (PQntuples(res) == 0)
        rc = ERR_NOTFOUND;
    else
        rc = session_of(res, &s);
    PQclear(res);
    if (rc != ERR_OK)
        return rc;
    if (expired(&s, now, lim)) {
        store_session_free(&s);
        rc = pg_session_del(st, key);
        return rc == ERR_OK ? ERR_NOTFOUND : rc;
    }
    *out = s;
    return ERR_OK;
}

enum err pg_session_touch(struct store *st, const char *key, int64_t now)
{
    struct pg_params p;

    pg_p_init(&p);
    pg_p_text(&p, key);
    pg_p_i64(&p, now);
    return pg_run(pg_of(st), &pg_auth_session_touch, &p, NULL,
                  "touching a session", NULL) == ERR_OK
               ? ERR_OK
               : ERR_DB;
}

enum err pg_session_del(struct store *st, const char *key)
{
    int64_t changes;
    return run_by_name(pg_of(st), &pg_auth_session_del, key, NULL, &changes);
}

enum err pg_session_purge(struct store *st, int64_t now,
                          const struct store_session_limits *lim, int64_t *n)
{
    struct pg_params p;
    PGresult *res = NULL;
    enum err rc;

    if (n != NULL)
        *n = 0;
    pg_p_init(&p);
    pg_p_i64(&p, now - lim->idle_s);
    pg_p_i64(&p, now - lim->max_s);
    rc = pg_run(pg_of(st), &pg_auth_session_purge, &p, &res,
                "purging sessions", NULL);
    if (rc == ERR_OK && n != NULL)
        *n = pg_changes(res);
    PQclear(res);
    return rc == ERR_OK ? ERR_OK : ERR_DB;
}
