/* The PostgreSQL backend's connection layer: prepared statements by name,
 * text parameters, typed readers, transactions, and errors mapped onto
 * store.h's table (store_pg.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/str.h"
#include "store/pg/store_pg.h"

void pg_p_init(struct pg_params *p)
{
    p->n = 0;
}

static void p_add(struct pg_params *p, const char *v)
{
    if (p->n >= PG_MAX_PARAMS)
        abort(); /* a programming error: PG_MAX_PARAMS is the bound */
    p->v[p->n++] = v;
}

void pg_p_text(struct pg_params *p, const char *s)
{
    p_add(p, s);
}

void pg_p_null(struct pg_params *p)
{
    p_add(p, NULL);
}

void pg_p_i64(struct pg_params *p, int64_t v)
{
    if (p->n >= PG_MAX_PARAMS)
        abort();
    snprintf(p->num[p->n], sizeof p->num[p->n], "%lld", (long long)v);
    p_add(p, p->num[p->n]);
}

/* The first k bytes at msg equal to needle, within n bytes, or NULL. */
static const char *find_in(const char *msg, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = 0; k > 0 && i + k <= n; i++)
        if (memcmp(msg + i, needle, k) == 0)
            return msg + i;
    return NULL;
}

/* Copy msg into err without the password (when one was given) and
 * without the trailing newline libpq adds. */
static void scrubbed(const struct store_pg *s, const char *msg,
                     struct buf *err)
{
    size_t n = strlen(msg);
    const char *at;

    while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
        n--;
    while (n > 0) {
        at = s->secret != NULL && *s->secret != '\0'
                 ? find_in(msg, n, s->secret)
                 : NULL;
        if (at == NULL) {
            buf_catf(err, "%.*s", (int)n, msg);
            return;
        }
        buf_catf(err, "%.*s***", (int)(at - msg), msg);
        n -= (size_t)(at - msg) + strlen(s->secret);
        msg = at + strlen(s->secret);
    }
}

static enum err code_of(const char *state, enum store_fault *fault)
{
    *fault = STORE_FAULT_OTHER;
    if (state == NULL)
        return ERR_DB;
    if (strcmp(state, "23505") == 0)
        return ERR_EXISTS;
    if (strcmp(state, "23503") == 0)
        return ERR_BUSY;
    if (strncmp(state, "22", 2) == 0)
        return ERR_INVALID;
    if (strcmp(state, "53100") == 0)
        *fault = STORE_FAULT_FULL;
    else if (strncmp(state, "58", 2) == 0)
        *fault = STORE_FAULT_IO;
    return ERR_DB;
}

enum err pg_fail(struct store_pg *s, const PGresult *res, const char *what,
                 struct buf *err)
{
    const char *state =
        res != NULL ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    const char *msg =
        res != NULL ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    enum err rc = code_of(state, &s->fault);

    if (err == NULL)
        return rc;
    buf_setf(err, "%s: ", what);
    if (msg == NULL)
        msg = PQerrorMessage(s->conn);
    scrubbed(s, msg != NULL && *msg ? msg : "unknown error", err);
    if (state != NULL)
        buf_catf(err, " (SQLSTATE %s)", state);
    buf_catf(err, " (database %s)", s->where);
    return rc;
}

static bool is_prepared(const struct store_pg *s, const struct pg_stmt *st)
{
    for (size_t i = 0; i < s->nprepared; i++)
        if (s->prepared[i] == st)
            return true;
    return false;
}

static enum err prepare(struct store_pg *s, const struct pg_stmt *st,
                        struct buf *err)
{
    PGresult *r = PQprepare(s->conn, st->name, st->sql, st->nparams, NULL);
    enum err rc = ERR_OK;

    if (PQresultStatus(r) != PGRES_COMMAND_OK) {
        rc = pg_fail(s, r, st->name, err);
        PQclear(r);
        return rc == ERR_OK ? ERR_DB : rc;
    }
    PQclear(r);
    if (s->nprepared == s->capprepared) {
        s->capprepared = s->capprepared ? 2 * s->capprepared : 64;
        s->prepared = xrealloc(s->prepared,
                               s->capprepared * sizeof *s->prepared);
    }
    s->prepared[s->nprepared++] = st;
    return ERR_OK;
}

static enum err run_fmt(struct store_pg *s, const struct pg_stmt *st,
                        const struct pg_params *params, PGresult **res,
                        int fmt, const char *what, struct buf *err)
{
    int n = params != NULL ? params->n : 0;
    PGresult *r;
    ExecStatusType t;
    enum err rc;

    if (res != NULL)
        *res = NULL;
    if (n != st->nparams) {
        if (err != NULL)
            buf_setf(err, "%s: %d parameters given, %d expected", st->name,
                     n, st->nparams);
        return ERR_INVALID;
    }
    if (!is_prepared(s, st) && (rc = prepare(s, st, err)) != ERR_OK)
        return rc;
    r = PQexecPrepared(s->conn, st->name, n, n ? params->v : NULL, NULL,
                       NULL, fmt);
    t = PQresultStatus(r);
    if (t != PGRES_TUPLES_OK && t != PGRES_COMMAND_OK) {
        rc = pg_fail(s, r, what, err);
        PQclear(r);
        return rc == ERR_OK ? ERR_DB : rc;
    }
    if (res != NULL)
        *res = r;
    else
        PQclear(r);
    return ERR_OK;
}

enum err pg_run(struct store_pg *s, const struct pg_stmt *st,
                const struct pg_params *params, PGresult **res,
                const char *what, struct buf *err)
{
    return run_fmt(s, st, params, res, 0, what, err);
}

enum err pg_run_binary(struct store_pg *s, const struct pg_stmt *st,
                       const struct pg_params *params, PGresult **res,
                       const char *what, struct buf *err)
{
    return run_fmt(s, st, params, res, 1, what, err);
}

enum err pg_exec(struct store_pg *s, const char *sql, const char *what,
                 struct buf *err)
{
    PGresult *r = PQexec(s->conn, sql);
    ExecStatusType t = PQresultStatus(r);
    enum err rc = ERR_OK;

    if (t != PGRES_TUPLES_OK && t != PGRES_COMMAND_OK) {
        rc = pg_fail(s, r, what, err);
        if (rc == ERR_OK)
            rc = ERR_DB;
    }
    PQclear(r);
    return rc;
}

enum err pg_begin(struct store_pg *s, struct buf *err)
{
    return pg_exec(s, "BEGIN", "starting a transaction", err);
}

enum err pg_commit(struct store_pg *s, struct buf *err)
{
    return pg_exec(s, "COMMIT", "committing", err);
}

void pg_rollback(struct store_pg *s)
{
    PQclear(PQexec(s->conn, "ROLLBACK"));
}

bool pg_null(const PGresult *res, int r, int c)
{
    return PQgetisnull(res, r, c) != 0;
}

enum err pg_i64(const PGresult *res, int r, int c, int64_t *out)
{
    if (r >= PQntuples(res) || c >= PQnfields(res) || pg_null(res, r, c))
        return ERR_PARSE;
    return parse_i64(PQgetvalue(res, r, c), INT64_MIN, INT64_MAX, out);
}

int64_t pg_i64_or(const PGresult *res, int r, int c, int64_t dflt)
{
    int64_t v;
    return pg_i64(res, r, c, &v) == ERR_OK ? v : dflt;
}

const char *pg_text(const PGresult *res, int r, int c)
{
    if (r >= PQntuples(res) || c >= PQnfields(res) || pg_null(res, r, c))
        return NULL;
    return PQgetvalue(res, r, c);
}
