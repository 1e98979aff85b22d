/* `db copy` on PostgreSQL (store_copy.h, struct store_copy_ops): rows
 * read through a cursor in the table's order, FETCH by batch, inside the
 * caller's read transaction (store_read_begin: one REPEATABLE READ
 * snapshot); rows written with COPY FROM STDIN (text format), one COPY
 * per batch, in one transaction. At its end the search index
 * (item_search and item_search_key, as migrations 0005 and 0010 fill
 * them), the publication days
 * (item.pub_day) and the identity sequences (past the largest copied id)
 * are set from the copied rows, and after the commit the planner's
 * statistics (ANALYZE). The SQL is built from the constant table
 * descriptions (store_copy_tables), never from input; values travel only
 * as COPY data. A table this database does not have (health data before
 * its migration) is ERR_UNSUPPORTED for count. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "store/pg/pg_first.h"
#include "store/pg/pg_ops.h"
#include "store/pg/pg_rollup.h"
#include "store/pg/store_pg.h"
#include "store/store_impl.h"

#define COPY_FLUSH ((size_t)1 << 20)

PG_STMT(pg_cp_has, 1, "SELECT to_regclass($1) IS NOT NULL");
/* The ingest's lock (pg_ingest.c): an ingest into the destination waits
 * for the copy, as one waits for another. */
PG_STMT(pg_cp_lock, 0, "SELECT pg_advisory_xact_lock(" PG_INGEST_LOCK ")");

static enum err has_table(struct store_pg *s, const char *name, bool *out,
                          struct buf *err)
{
    struct pg_params p;
    PGresult *r = NULL;
    enum err rc;

    pg_p_init(&p);
    pg_p_text(&p, name);
    rc = pg_run(s, &pg_cp_has, &p, &r, "looking for a table", err);
    if (rc == ERR_OK) {
        const char *v = pg_text(r, 0, 0);
        *out = v != NULL && v[0] == 't';
    }
    PQclear(r);
    return rc;
}

/* Run sql (built from constants) and keep its result in *res. */
static enum err run_sql(struct store_pg *s, const char *sql, PGresult **res,
                        const char *what, struct buf *err)
{
    PGresult *r = PQexec(s->conn, sql);
    ExecStatusType t = PQresultStatus(r);

    if (t != PGRES_TUPLES_OK && t != PGRES_COMMAND_OK) {
        enum err rc = pg_fail(s, r, what, err);
        PQclear(r);
        return rc == ERR_OK ? ERR_DB : rc;
    }
    *res = r;
    return ERR_OK;
}

static enum err pg_copy_count(struct store *st,
                              const struct store_copy_table *t, int64_t *out,
                              struct buf *err)
{
    struct store_pg *s = pg_of(st);
    PGresult *r = NULL;
    struct buf sql;
    bool has = false;
    enum err rc = has_table(s, t->name, &has, err);

    if (rc != ERR_OK)
        return rc;
    if (!has)
        return ERR_UNSUPPORTED;
    buf_init(&sql, 4096);
    buf_setf(&sql, "SELECT count(*) FROM \"%s\"", t->name);
    rc = run_sql(s, buf_cstr(&sql), &r, t->name, err);
    if (rc == ERR_OK && pg_i64(r, 0, 0, out) != ERR_OK) {
        buf_setf(err, "%s: no count", t->name);
        rc = ERR_DB;
    }
    PQclear(r);
    buf_free(&sql);
    return rc;
}

/* Value c of row k as type; smallint flags read as digits, a boolean as
 * t/f. */
static enum err read_val(const PGresult *r, int k, int c, char type,
                         struct store_copy_val *v)
{
    const char *x = pg_text(r, k, c);
    char *end = NULL;

    memset(v, 0, sizeof *v);
    v->null = x == NULL;
    if (v->null)
        return ERR_OK;
    if (type == 'T') {
        v->s = x;
        return ERR_OK;
    }
    if (type == 'I') {
        if (x[0] == 't' || x[0] == 'f') {
            v->i = x[0] == 't';
            return ERR_OK;
        }
        return pg_i64(r, k, c, &v->i);
    }
    errno = 0;
    v->r = strtod(x, &end);
    return end == x || *end != '\0' || errno == ERANGE ? ERR_PARSE : ERR_OK;
}

static enum err scan_rows(struct store_pg *s,
                          const struct store_copy_table *t, const char *fetch,
                          store_copy_batch_fn fn, void *ud,
                          struct store_copy_val *v, struct buf *err)
{
    size_t nc = strlen(t->types);
    enum err rc = ERR_OK;
    int n;

    do {
        PGresult *r = NULL;
        rc = run_sql(s, fetch, &r, t->name, err);
        n = rc == ERR_OK ? PQntuples(r) : 0;
        for (int k = 0; k < n && rc == ERR_OK; k++)
            for (size_t c = 0; c < nc && rc == ERR_OK; c++)
                rc = read_val(r, k, (int)c, t->types[c], &v[k * nc + c]);
        if (rc == ERR_PARSE)
            buf_setf(err, "%s: a value is not of its type", t->name);
        if (rc == ERR_OK && n > 0)
            rc = fn(ud, v, (size_t)n);
        PQclear(r);
    } while (rc == ERR_OK && n > 0);
    return rc;
}

static enum err pg_copy_scan(struct store *st,
                             const struct store_copy_table *t, size_t batch,
                             store_copy_batch_fn fn, void *ud,
                             struct buf *err)
{
    struct store_pg *s = pg_of(st);
    struct store_copy_val *v = xcalloc(batch * strlen(t->types), sizeof *v);
    struct buf sql, cols, fetch;
    PGresult *r = NULL;
    enum err rc;

    buf_init(&sql, 4096);
    buf_init(&cols, 4096);
    buf_init(&fetch, 256);
    store_copy_cols(t, NULL, &cols);
    buf_setf(&sql,
             "DECLARE mediadash_copy NO SCROLL CURSOR FOR SELECT %s FROM "
             "\"%s\" ORDER BY %s",
             buf_cstr(&cols), t->name, t->order);
    buf_setf(&fetch, "FETCH FORWARD %zu FROM mediadash_copy", batch);
    rc = run_sql(s, buf_cstr(&sql), &r, t->name, err);
    PQclear(r);
    if (rc == ERR_OK) {
        rc = scan_rows(s, t, buf_cstr(&fetch), fn, ud, v, err);
        if (rc == ERR_OK)
            rc = pg_exec(s, "CLOSE mediadash_copy", t->name, err);
    }
    free(v);
    buf_free(&sql);
    buf_free(&cols);
    buf_free(&fetch);
    return rc;
}

static enum err pg_copy_begin(struct store *st, bool wipe, struct buf *err)
{
    struct store_pg *s = pg_of(st);
    struct buf sql;
    enum err rc = pg_begin(s, err);

    if (rc == ERR_OK) {
        rc = pg_run(s, &pg_cp_lock, NULL, NULL, "waiting for ingests", err);
        if (rc != ERR_OK)
            pg_rollback(s);
    }
    if (rc != ERR_OK || !wipe)
        return rc;
    buf_init(&sql, 4096);
    rc = pg_exec(s, "DELETE FROM item_search", "emptying", err);
    for (size_t i = store_copy_ntables_; i-- > 0 && rc == ERR_OK;) {
        bool has = false;
        rc = has_table(s, store_copy_tables[i].name, &has, err);
        buf_setf(&sql, "DELETE FROM \"%s\"", store_copy_tables[i].name);
        if (rc == ERR_OK && has)
            rc = pg_exec(s, buf_cstr(&sql), "emptying", err);
    }
    if (rc != ERR_OK)
        pg_rollback(s);
    buf_free(&sql);
    return rc;
}

/* One value in COPY's text format: \N for NULL, text with backslash,
 * tab, newline and carriage return escaped. */
static void copy_val(struct buf *b, char type, const struct store_copy_val *v)
{
    if (v->null) {
        buf_catf(b, "\\N");
    } else if (type == 'I') {
        buf_catf(b, "%lld", (long long)v->i);
    } else if (type == 'R') {
        buf_catf(b, "%.17g", v->r);
    } else {
        const char *p = v->s;
        while (*p != '\0') {
            size_t n = strcspn(p, "\\\t\n\r");
            buf_catf(b, "%.*s", (int)n, p);
            p += n;
            if (*p != '\0') {
                buf_catf(b, "\\%c", *p == '\\'   ? '\\'
                                    : *p == '\t' ? 't'
                                    : *p == '\n' ? 'n'
                                                 : 'r');
                p++;
            }
        }
    }
}

static enum err copy_send(struct store_pg *s, struct buf *b)
{
    if (b->len > 0 && PQputCopyData(s->conn, b->data, (int)b->len) != 1)
        return ERR_DB;
    buf_reset(b);
    return ERR_OK;
}

static enum err pg_copy_put(struct store *st,
                            const struct store_copy_table *t,
                            const struct store_copy_val *v, size_t n,
                            struct buf *err)
{
    struct store_pg *s = pg_of(st);
    size_t nc = strlen(t->types);
    struct buf sql, cols, data;
    PGresult *r = NULL;
    bool in_copy;
    enum err rc;

    buf_init(&sql, 4096);
    buf_init(&cols, 4096);
    buf_init(&data, (size_t)1 << 26);
    store_copy_cols(t, NULL, &cols);
    buf_setf(&sql, "COPY \"%s\"(%s) FROM STDIN", t->name, buf_cstr(&cols));
    r = PQexec(s->conn, buf_cstr(&sql));
    in_copy = PQresultStatus(r) == PGRES_COPY_IN;
    rc = in_copy ? ERR_OK : pg_fail(s, r, t->name, err);
    if (rc == ERR_OK && !in_copy)
        rc = ERR_DB;
    PQclear(r);
    for (size_t k = 0; k < n && rc == ERR_OK; k++) {
        for (size_t c = 0; c < nc; c++) {
            if (c > 0)
                buf_catf(&data, "\t");
            copy_val(&data, t->types[c], &v[k * nc + c]);
        }
        buf_catf(&data, "\n");
        if (data.len >= COPY_FLUSH)
            rc = copy_send(s, &data);
    }
    if (in_copy) {
        if (rc == ERR_OK)
            rc = copy_send(s, &data);
        /* an error message ends the COPY with nothing written */
        if (PQputCopyEnd(s->conn, rc == ERR_OK ? NULL : "copy failed") != 1 &&
            rc == ERR_OK)
            rc = ERR_DB;
        while ((r = PQgetResult(s->conn)) != NULL) {
            if (PQresultStatus(r) != PGRES_COMMAND_OK && rc == ERR_OK) {
                rc = pg_fail(s, r, t->name, err);
                if (rc == ERR_OK)
                    rc = ERR_DB;
            }
            PQclear(r);
        }
    }
    if (rc == ERR_DB && err->len == 0)
        buf_setf(err, "%s: %s", t->name, PQerrorMessage(s->conn));
    buf_free(&sql);
    buf_free(&cols);
    buf_free(&data);
    return rc;
}

/* The search index of every content item, as migrations 0005 and 0010
 * fill it (its sort keys: pg_search_rekey_all). */
static const char sql_search[] =
    "INSERT INTO item_search(item_id, platform, tsv, tri) SELECT id, "
    "platform, "
    "setweight(to_tsvector('simple', mediadash_search_words(title)), 'A') "
    "|| setweight(to_tsvector('simple', mediadash_search_words(tags)), 'B') "
    "|| to_tsvector('simple', mediadash_search_words(description)), "
    "mediadash_search_lower(title) || E'\\x01' || "
    "mediadash_search_lower(tags) || E'\\x01' || "
    "mediadash_search_lower(description) FROM item WHERE type = 'content'";

static enum err rebuild(struct store_pg *s, struct buf *err)
{
    struct buf sql;
    enum err rc = pg_exec(s, sql_search, "indexing for search", err);

    if (rc == ERR_OK)
        rc = pg_search_rekey_all(s, err);
    if (rc == ERR_OK)
        rc = pg_rollup_pubdays(s, err);
    if (rc == ERR_OK)
        rc = pg_views_day_all(s, err);
    if (rc == ERR_OK)
        rc = pg_first_all(s, err);
    buf_init(&sql, 4096);
    /* identity columns: the next id past the largest copied */
    for (size_t i = 0; i < store_copy_ntables_ && rc == ERR_OK; i++) {
        const struct store_copy_table *t = &store_copy_tables[i];
        if (strncmp(t->cols, "id,", 3) != 0 || t->types[0] != 'I')
            continue;
        buf_setf(&sql,
                 "SELECT setval(pg_get_serial_sequence('%s', 'id'), "
                 "coalesce(max(id), 0) + 1, false) FROM \"%s\"",
                 t->name, t->name);
        rc = pg_exec(s, buf_cstr(&sql), "setting the next ids", err);
    }
    if (rc == ERR_OK)
        rc = pg_exec(s,
                     "UPDATE mediadash_setting SET value = "
                     "(value::bigint + 1)::text WHERE key = 'generation'",
                     "raising the generation", err);
    buf_free(&sql);
    return rc;
}

static enum err pg_copy_end(struct store *st, bool commit, struct buf *err)
{
    struct store_pg *s = pg_of(st);
    enum err rc = ERR_OK;

    if (commit)
        rc = rebuild(s, err);
    if (commit && rc == ERR_OK)
        rc = pg_commit(s, err);
    else
        pg_rollback(s);
    /* The planner's statistics of the copied tables: autovacuum would
     * take them only after a delay, and until then the dashboard's
     * queries on millions of copied rows are planned from the estimates
     * of the empty tables. After the commit: ANALYZE then samples the
     * rows every session sees. */
    if (commit && rc == ERR_OK)
        rc = pg_exec(s, "ANALYZE", "updating the planner's statistics", err);
    return rc;
}

const struct store_copy_ops pg_copy_ops = {
    .count = pg_copy_count,
    .scan = pg_copy_scan,
    .begin = pg_copy_begin,
    .put = pg_copy_put,
    .end = pg_copy_end,
};
