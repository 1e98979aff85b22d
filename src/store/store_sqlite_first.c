/* The first-week rollup of the SQLite backend (item_first, migration
 * 0018): per content item, the views gained on its first
 * STORE_FIRST_DAYS rollup days. Ingest marks the items whose first-week
 * views rows or publication time it changed and recomputes their rows
 * from item_day before the transaction commits; a rebuild recomputes
 * every row, a removal those of the items it touched. A row is always
 * what item_day holds at commit, never a running sum that could drift. */
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/timeutil.h"
#include "store/store_sqlite.h"

/* The first-week views of the items FROM_WHERE selects (aliased i; of
 * any type, as ingest keeps them: the report reads content's only):
 * the sum of item_day's known views gains on the rollup days
 * [mediadash_day(published_at), + ?2); no row where none is known. */
#define SQL_FIRST_FILL(FROM_WHERE)                                            \
    "INSERT INTO item_first(item_id, views_gain) SELECT id, g FROM ("         \
    "SELECT i.id AS id, (SELECT sum(d.gain) FROM item_day d "                 \
    "INDEXED BY item_day_by_item WHERE d.item_id = i.id AND "                 \
    "d.metric_id = (SELECT id FROM metric WHERE name = ?1) AND "              \
    "d.day >= mediadash_day(i.published_at) AND "                            \
    "d.day < mediadash_day(i.published_at) + ?2) AS g " FROM_WHERE            \
    " AND i.published_at IS NOT NULL) "                                      \
    "WHERE g IS NOT NULL"

static const char sql_fill_all[] = SQL_FIRST_FILL("FROM item i WHERE 1");
static const char sql_fill_removed[] = SQL_FIRST_FILL(
    "FROM item i WHERE i.id IN (SELECT id FROM temp.rm_item)");

const char sqlite_first_del_sql[] =
    "DELETE FROM item_first WHERE item_id = ?1";
const char sqlite_first_put_sql[] =
    "INSERT OR REPLACE INTO item_first(item_id, views_gain) VALUES (?1, ?2)";

static int bind_fill(sqlite3_stmt *st)
{
    int r = sqlite3_bind_text(st, 1, M_VIEWS, -1, SQLITE_STATIC);
    return r == SQLITE_OK ? sqlite3_bind_int(st, 2, STORE_FIRST_DAYS) : r;
}

void sqlite_first_mark(struct sqlite_store *s, const struct rollup_item *ri,
                       const char *metric, int64_t t)
{
    if (ri->published_at == TIME_NONE || strcmp(metric, M_VIEWS) != 0)
        return;
    /* A value on a later day changes no gain of the first week: a gain
     * is measured from the day before, and a day after the week is
     * judged against days that are at least as late. */
    if (sqlite_rollup_day(s, t) >=
        sqlite_rollup_day(s, ri->published_at) + STORE_FIRST_DAYS)
        return;
    sqlite_first_mark_item(s, ri->id, ri->published_at);
}

void sqlite_first_mark_item(struct sqlite_store *s, int64_t item_id,
                            int64_t published_at)
{
    struct first_mark *last =
        s->first_n > 0 ? &s->first_dirty[s->first_n - 1] : NULL;

    /* One item's values arrive together: most marks repeat the last. */
    if (last != NULL && last->item_id == item_id) {
        last->published_at = published_at;
        return;
    }
    s->first_dirty = xgrow(s->first_dirty, &s->first_cap, s->first_n + 1,
                           sizeof *s->first_dirty);
    s->first_dirty[s->first_n] =
        (struct first_mark){item_id, published_at, s->first_n};
    s->first_n++;
}

/* By item, then in the order marked. */
static int cmp_mark(const void *a, const void *b)
{
    const struct first_mark *x = a, *y = b;
    if (x->item_id != y->item_id)
        return x->item_id < y->item_id ? -1 : 1;
    return (x->seq > y->seq) - (x->seq < y->seq);
}

/* Recompute the row of m's item (published at m->published_at, the
 * latest time marked) from item_day. */
static enum err refill(struct sqlite_store *s, const struct first_mark *m,
                       struct buf *err)
{
    int32_t d0 = sqlite_rollup_day(s, m->published_at);
    sqlite3_stmt *st = sqlite_use(s, S_ITEM_GAIN_SUM);
    int64_t sum, known;

    if (sqlite3_bind_int64(st, 1, m->item_id) != SQLITE_OK ||
        sqlite3_bind_text(st, 2, M_VIEWS, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_int(st, 3, d0) != SQLITE_OK ||
        sqlite3_bind_int(st, 4, d0 + STORE_FIRST_DAYS) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_ROW)
        return sqlite_fail(s, err, "reading the first week");
    sum = sqlite3_column_int64(st, 0);
    known = sqlite3_column_int64(st, 1);
    sqlite3_reset(st);
    st = sqlite_use(s, known > 0 ? S_FIRST_PUT : S_FIRST_DEL);
    if (sqlite3_bind_int64(st, 1, m->item_id) != SQLITE_OK ||
        (known > 0 && sqlite3_bind_int64(st, 2, sum) != SQLITE_OK) ||
        sqlite3_step(st) != SQLITE_DONE)
        return sqlite_fail(s, err, "updating the first week");
    sqlite3_reset(st);
    return ERR_OK;
}

enum err sqlite_first_flush(struct sqlite_store *s, struct buf *err)
{
    enum err rc = ERR_OK;
    size_t n = s->first_n;

    if (n > 1)
        qsort(s->first_dirty, n, sizeof *s->first_dirty, cmp_mark);
    for (size_t i = 0; i < n && rc == ERR_OK; i++)
        if (i + 1 == n ||
            s->first_dirty[i].item_id != s->first_dirty[i + 1].item_id)
            rc = refill(s, &s->first_dirty[i], err);
    s->first_n = 0;
    return rc;
}

void sqlite_first_discard(struct sqlite_store *s)
{
    s->first_n = 0;
}

/* Run the DELETE then the fill sql (bound by bind_fill), in the
 * caller's transaction. */
static enum err fill(struct sqlite_store *s, const char *del, const char *sql,
                     struct buf *err)
{
    sqlite3_stmt *st = NULL;
    enum err rc = ERR_OK;
    char *msg = NULL;

    if (sqlite3_exec(s->db, del, NULL, NULL, &msg) != SQLITE_OK) {
        buf_setf(err, "rebuilding the first-week rollup: %s",
                 msg ? msg : "?");
        sqlite3_free(msg);
        return ERR_DB;
    }
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK ||
        bind_fill(st) != SQLITE_OK || sqlite3_step(st) != SQLITE_DONE)
        rc = sqlite_fail(s, err, "rebuilding the first-week rollup");
    sqlite3_finalize(st);
    s->first_n = 0; /* every mark is covered */
    return rc;
}

enum err sqlite_first_rebuild(struct sqlite_store *s, struct buf *err)
{
    return fill(s, "DELETE FROM item_first", sql_fill_all, err);
}

enum err sqlite_first_rebuild_removed(struct sqlite_store *s,
                                      struct buf *err)
{
    return fill(s,
                "DELETE FROM item_first WHERE item_id IN "
                "(SELECT id FROM temp.rm_item)",
                sql_fill_removed, err);
}

#define SQL_STALE "SELECT 1 FROM setting WHERE key = 'report_rollups_stale'"

/* Whether the first fill after migration 0018 (item_first and
 * views_day) is still to be done;
 * -1 when the query fails. */
static int stale(struct sqlite_store *s)
{
    sqlite3_stmt *st = NULL;
    int r = -1;

    if (sqlite3_prepare_v2(s->db, SQL_STALE, -1, &st, NULL) == SQLITE_OK) {
        int step = sqlite3_step(st);
        r = step == SQLITE_ROW ? 1 : step == SQLITE_DONE ? 0 : -1;
    }
    sqlite3_finalize(st);
    return r;
}

enum err sqlite_first_load(struct sqlite_store *s, struct buf *err)
{
    enum err rc = ERR_OK;
    int r = stale(s);

    if (r == 0)
        return ERR_OK;
    if (r < 0 ||
        sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        return sqlite_fail(s, err, "filling the first-week rollup");
    r = stale(s); /* another process may have filled it meanwhile */
    if (r < 0)
        rc = sqlite_fail(s, err, "filling the first-week rollup");
    if (r > 0) {
        rc = sqlite_first_rebuild(s, err);
        if (rc == ERR_OK)
            rc = sqlite_vday_rebuild(s, err);
        if (rc == ERR_OK &&
            sqlite3_exec(s->db,
                         "DELETE FROM setting WHERE key = 'report_rollups_stale'",
                         NULL, NULL, NULL) != SQLITE_OK)
            rc = sqlite_fail(s, err, "filling the first-week rollup");
    }
    if (rc == ERR_OK &&
        sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        rc = sqlite_fail(s, err, "filling the first-week rollup");
    if (rc != ERR_OK)
        sqlite_rollback(s);
    return rc;
}
