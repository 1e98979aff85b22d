/* `db copy` on SQLite (store_copy.h, struct store_copy_ops): rows of
 * each table read with one statement in the table's order and written
 * with one prepared INSERT, in one write transaction; at its end the
 * search index (FTS5) and the first-week caches (item_first, views_day)
 * are rebuilt from the copied rows. The SQL is built from the constant
 * table descriptions (store_copy_tables), never from input. */
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "store/store_impl.h"
#include "store/store_sqlite.h"

#define S sqlite_store_of

static enum err sq_copy_count(struct store *st,
                              const struct store_copy_table *t, int64_t *out,
                              struct buf *err)
{
    struct sqlite_store *s = S(st);
    sqlite3_stmt *q = NULL;
    struct buf sql;
    enum err rc = ERR_OK;

    buf_init(&sql, 4096);
    buf_setf(&sql, "SELECT count(*) FROM \"%s\"", t->name);
    if (sqlite3_prepare_v2(s->db, buf_cstr(&sql), -1, &q, NULL) !=
            SQLITE_OK ||
        sqlite3_step(q) != SQLITE_ROW)
        rc = sqlite_fail(s, err, t->name);
    else
        *out = sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    buf_free(&sql);
    return rc;
}

/* Free the texts of the first n rows of a batch. */
static void batch_clear(struct store_copy_val *v, size_t nv)
{
    for (size_t k = 0; k < nv; k++) {
        free((char *)v[k].s);
        v[k].s = NULL;
    }
}

static void read_val(sqlite3_stmt *q, int c, char type,
                     struct store_copy_val *v)
{
    memset(v, 0, sizeof *v);
    v->null = sqlite3_column_type(q, c) == SQLITE_NULL;
    if (v->null)
        return;
    if (type == 'I')
        v->i = sqlite3_column_int64(q, c);
    else if (type == 'R')
        v->r = sqlite3_column_double(q, c);
    else
        v->s = xstrdup((const char *)sqlite3_column_text(q, c));
}

static enum err sq_copy_scan(struct store *st,
                             const struct store_copy_table *t, size_t batch,
                             store_copy_batch_fn fn, void *ud,
                             struct buf *err)
{
    struct sqlite_store *s = S(st);
    size_t nc = strlen(t->types), n = 0;
    struct store_copy_val *v = xcalloc(batch * nc, sizeof *v);
    sqlite3_stmt *q = NULL;
    struct buf sql, cols;
    enum err rc = ERR_OK;
    int r = SQLITE_OK;

    buf_init(&sql, 4096);
    buf_init(&cols, 4096);
    store_copy_cols(t, NULL, &cols);
    buf_setf(&sql, "SELECT %s FROM \"%s\" ORDER BY %s", buf_cstr(&cols),
             t->name, t->order);
    if (sqlite3_prepare_v2(s->db, buf_cstr(&sql), -1, &q, NULL) != SQLITE_OK)
        rc = sqlite_fail(s, err, t->name);
    while (rc == ERR_OK && (r = sqlite3_step(q)) == SQLITE_ROW) {
        for (size_t c = 0; c < nc; c++)
            read_val(q, (int)c, t->types[c], &v[n * nc + c]);
        if (++n == batch) {
            rc = fn(ud, v, n);
            batch_clear(v, n * nc);
            n = 0;
        }
    }
    if (rc == ERR_OK && r != SQLITE_DONE)
        rc = sqlite_fail(s, err, t->name);
    if (rc == ERR_OK && n > 0)
        rc = fn(ud, v, n);
    batch_clear(v, n * nc);
    sqlite3_finalize(q);
    free(v);
    buf_free(&sql);
    buf_free(&cols);
    return rc;
}

/* What --replace empties besides the copied tables: the search index and
 * the first-week caches, derived here; store_removing lets the
 * append-only triggers of snapshot and snapshot_value pass. */
static const char *const sq_wipe_extra[] = {
    "DELETE FROM item_fts", "DELETE FROM item_fts_tri",
    "DELETE FROM item_first", "DELETE FROM views_day",
};

static enum err sq_copy_begin(struct store *st, bool wipe, struct buf *err)
{
    struct sqlite_store *s = S(st);
    struct buf sql;
    enum err rc = sqlite_write_begin(s, err);

    if (rc != ERR_OK || !wipe)
        return rc;
    buf_init(&sql, 4096);
    rc = sqlite_exec(s, "INSERT INTO store_removing(id) VALUES (1)", err);
    for (size_t i = 0; i < 4 && rc == ERR_OK; i++)
        rc = sqlite_exec(s, sq_wipe_extra[i], err);
    for (size_t i = store_copy_ntables_; i-- > 0 && rc == ERR_OK;) {
        buf_setf(&sql, "DELETE FROM \"%s\"", store_copy_tables[i].name);
        rc = sqlite_exec(s, buf_cstr(&sql), err);
    }
    if (rc == ERR_OK)
        rc = sqlite_exec(s, "DELETE FROM store_removing", err);
    if (rc != ERR_OK)
        sqlite_rollback(s);
    buf_free(&sql);
    return rc;
}

static int bind_val(sqlite3_stmt *q, int c, char type,
                    const struct store_copy_val *v)
{
    if (v->null)
        return sqlite3_bind_null(q, c);
    if (type == 'I')
        return sqlite3_bind_int64(q, c, v->i);
    if (type == 'R')
        return sqlite3_bind_double(q, c, v->r);
    return sqlite3_bind_text(q, c, v->s, -1, SQLITE_STATIC);
}

static enum err sq_copy_put(struct store *st,
                            const struct store_copy_table *t,
                            const struct store_copy_val *v, size_t n,
                            struct buf *err)
{
    struct sqlite_store *s = S(st);
    size_t nc = strlen(t->types);
    sqlite3_stmt *q = NULL;
    struct buf sql, cols;
    enum err rc = ERR_OK;
    int r;

    buf_init(&sql, 4096);
    buf_init(&cols, 4096);
    store_copy_cols(t, NULL, &cols);
    buf_setf(&sql, "INSERT INTO \"%s\"(%s) VALUES (?", t->name,
             buf_cstr(&cols));
    for (size_t c = 1; c < nc; c++)
        buf_catf(&sql, ",?");
    buf_catf(&sql, ")");
    if (sqlite3_prepare_v2(s->db, buf_cstr(&sql), -1, &q, NULL) != SQLITE_OK)
        rc = sqlite_fail(s, err, t->name);
    for (size_t k = 0; k < n && rc == ERR_OK; k++) {
        r = SQLITE_OK;
        for (size_t c = 0; c < nc && r == SQLITE_OK; c++)
            r = bind_val(q, (int)c + 1, t->types[c], &v[k * nc + c]);
        if (r == SQLITE_OK)
            r = sqlite3_step(q);
        if (r != SQLITE_DONE)
            rc = sqlite_fail(s, err, t->name);
        sqlite3_reset(q);
    }
    sqlite3_finalize(q);
    buf_free(&sql);
    buf_free(&cols);
    return rc;
}

/* The search index of every content item, as ingest writes it
 * (store_sqlite_search.c). */
static const char *const sq_rebuild[] = {
    "INSERT INTO item_fts(rowid, title, tags, description) SELECT id, "
    "title, tags, description FROM item WHERE type = 'content'",
    "INSERT INTO item_fts_tri(rowid, title, tags, description) SELECT id, "
    "title, tags, description FROM item WHERE type = 'content'",
    SQL_GEN_BUMP,
};

static enum err sq_copy_end(struct store *st, bool commit, struct buf *err)
{
    struct sqlite_store *s = S(st);
    enum err rc = commit ? ERR_OK : ERR_INVALID;

    for (size_t i = 0; i < 3 && rc == ERR_OK; i++)
        rc = sqlite_exec(s, sq_rebuild[i], err);
    if (rc == ERR_OK)
        rc = sqlite_first_rebuild(s, err);
    if (rc == ERR_OK)
        rc = sqlite_vday_rebuild(s, err);
    if (!commit) {
        sqlite_rollback(s);
        rc = ERR_OK; /* the caller has the copy's error */
    } else {
        rc = sqlite_write_end(s, rc, err);
    }
    /* ids and rows the caches hold may be gone or new */
    sqlite_metric_cache_clear(s);
    latest_clear(&s->latest);
    item_cache_clear(&s->items);
    return rc;
}

const struct store_copy_ops sq_copy_ops = {
    .count = sq_copy_count,
    .scan = sq_copy_scan,
    .begin = sq_copy_begin,
    .put = sq_copy_put,
    .end = sq_copy_end,
};
