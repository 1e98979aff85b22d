/* Reads of the SQLite backend: listings, item history, exports. */
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/timeutil.h"
#include "store/store_sqlite.h"

/* Columns every item read selects, in this order (see item_from_row). */
#define ITEM_COLUMNS                                                          \
    "i.id, i.platform, i.type, i.ext_id, a.ext_id, i.kind, i.handle, "        \
    "i.title, i.description, i.url, i.thumbnail_url, i.published_at, "       \
    "i.duration_s, i.removed_last_seen, i.role"

#define ITEM_FILTER                                                           \
    " FROM item i LEFT JOIN item a ON a.id = i.account_id "                   \
    "WHERE i.type = ?1 AND (?2 IS NULL OR i.platform = ?2) "                  \
    "AND (?3 IS NULL OR instr(lower(coalesce(i.title, '')), lower(?3)) > 0 "  \
    "OR instr(i.ext_id, ?3) > 0 "                                             \
    "OR instr(lower(coalesce(i.handle, '')), lower(?3)) > 0) "               \
    "AND (?7 IS NULL OR i.role = ?7)"

/* ORDER BY clauses: constant text chosen by enum, never from input. */
#define METRIC_KEY                                                            \
    "(SELECT coalesce(l.rval, l.ival) FROM item_latest l WHERE "              \
    "l.item_id = i.id AND l.metric_id = (SELECT id FROM metric WHERE "        \
    "name = ?4))"
static const char *const order_desc[] = {
    [SORT_DEFAULT] = " ORDER BY i.published_at DESC NULLS LAST, i.id",
    [SORT_METRIC] = " ORDER BY " METRIC_KEY " DESC NULLS LAST, i.id",
    [SORT_PUBLISHED] = " ORDER BY i.published_at DESC NULLS LAST, i.id",
    [SORT_TITLE] = " ORDER BY lower(i.title) DESC NULLS LAST, i.id",
};
static const char *const order_asc[] = {
    [SORT_DEFAULT] = " ORDER BY i.published_at ASC NULLS LAST, i.id",
    [SORT_METRIC] = " ORDER BY " METRIC_KEY " ASC NULLS LAST, i.id",
    [SORT_PUBLISHED] = " ORDER BY i.published_at ASC NULLS LAST, i.id",
    [SORT_TITLE] = " ORDER BY lower(i.title) ASC NULLS LAST, i.id",
};

static const char *col_text(sqlite3_stmt *st, int i)
{
    return (const char *)sqlite3_column_text(st, i);
}

/* The item of the row, or NULL when its platform is not one this build
 * knows (no CHECK names the platforms since migration 0026: a row of a
 * platform added later is left alone, never taken for another's). */
static struct item *item_from_row(sqlite3_stmt *st)
{
    enum platform p;
    const char *type = col_text(st, 2);
    struct item *it;

    if (platform_from_name(col_text(st, 1), &p) != ERR_OK)
        return NULL;
    it = item_create(p, strcmp(type, "account") == 0 ? ITEM_ACCOUNT
                                                     : ITEM_CONTENT,
                     col_text(st, 3));
    it->id = sqlite3_column_int64(st, 0);
    item_set(&it->account_ext_id, col_text(st, 4));
    item_set(&it->kind, col_text(st, 5));
    item_set(&it->handle, col_text(st, 6));
    item_set(&it->title, col_text(st, 7));
    item_set(&it->description, col_text(st, 8));
    item_set(&it->url, col_text(st, 9));
    item_set(&it->thumbnail_url, col_text(st, 10));
    if (sqlite3_column_type(st, 11) != SQLITE_NULL)
        it->published_at = sqlite3_column_int64(st, 11);
    if (sqlite3_column_type(st, 12) != SQLITE_NULL)
        it->duration_s = sqlite3_column_int64(st, 12);
    if (sqlite3_column_type(st, 13) != SQLITE_NULL)
        it->removed_last_seen = sqlite3_column_int64(st, 13);
    it->tracked = col_text(st, 14) != NULL &&
                  strcmp(col_text(st, 14), "tracked") == 0;
    return it;
}

/* Set a metric from columns ival (i) and rval (i + 1). */
static enum err metric_from_row(sqlite3_stmt *st, int i, const char *name,
                                struct metrics *m)
{
    if (sqlite3_column_type(st, i + 1) != SQLITE_NULL)
        return metrics_set_real(m, name, sqlite3_column_double(st, i + 1));
    return metrics_set_i64(m, name, sqlite3_column_int64(st, i));
}

/* Attach one snapshot holding the latest value of every metric. */
static enum err attach_latest(struct sqlite_store *s, struct item *it)
{
    sqlite3_stmt *st = sqlite_use(s, S_LATEST_OF_ITEM);
    struct metrics m;
    int64_t newest = TIME_NONE;
    enum err rc = ERR_OK;
    int r;

    metrics_init(&m);
    sqlite3_bind_int64(st, 1, it->id);
    while ((r = sqlite3_step(st)) == SQLITE_ROW && rc == ERR_OK) {
        if (sqlite3_column_int64(st, 1) > newest)
            newest = sqlite3_column_int64(st, 1);
        rc = metric_from_row(st, 2, col_text(st, 0), &m);
    }
    if (rc == ERR_OK && r != SQLITE_DONE && r != SQLITE_ROW)
        rc = ERR_DB;
    if (rc == ERR_OK && m.n > 0) {
        struct snapshot *snap = item_snapshot_at(it, newest);
        snap->metrics = m;
        metrics_init(&m);
    }
    sqlite3_reset(st);
    metrics_free(&m);
    return rc;
}

static int bind_query(sqlite3_stmt *st, const struct item_query *q)
{
    int rc = sqlite3_bind_text(st, 1, item_type_name(q->type), -1,
                               SQLITE_STATIC);
    if (rc == SQLITE_OK && q->platform >= 0)
        rc = sqlite3_bind_text(st, 2, platform_name(q->platform), -1,
                               SQLITE_STATIC);
    if (rc == SQLITE_OK && q->search != NULL && *q->search)
        rc = sqlite3_bind_text(st, 3, q->search, -1, SQLITE_STATIC);
    if (rc == SQLITE_OK && q->role != NULL)
        rc = sqlite3_bind_text(st, 7, q->role, -1, SQLITE_STATIC);
    return rc;
}

enum err sq_list_items(struct store *base, const struct item_query *q,
                       store_item_fn fn, void *ud, struct buf *err)
{
    struct sqlite_store *s = sqlite_store_of(base);
    sqlite3_stmt *st = NULL;
    struct buf sql;
    enum err rc = ERR_OK;
    int r;

    if ((unsigned)q->sort > SORT_TITLE ||
        (q->sort == SORT_METRIC && q->sort_metric == NULL))
        return ERR_INVALID;
    buf_init(&sql, 4096);
    if (buf_puts(&sql, "SELECT " ITEM_COLUMNS ITEM_FILTER) != ERR_OK ||
        buf_puts(&sql, (q->ascending ? order_asc : order_desc)[q->sort]) !=
            ERR_OK ||
        buf_puts(&sql, " LIMIT ?5 OFFSET ?6") != ERR_OK) {
        rc = ERR_TOOBIG;
        goto out;
    }
    if (sqlite3_prepare_v2(s->db, buf_cstr(&sql), -1, &st, NULL) !=
            SQLITE_OK ||
        bind_query(st, q) != SQLITE_OK ||
        (q->sort == SORT_METRIC &&
         sqlite3_bind_text(st, 4, q->sort_metric, -1, SQLITE_STATIC) !=
             SQLITE_OK) ||
        sqlite3_bind_int64(st, 5, q->limit > 0 ? q->limit : -1) !=
            SQLITE_OK ||
        sqlite3_bind_int64(st, 6, q->offset > 0 ? q->offset : 0) !=
            SQLITE_OK) {
        rc = sqlite_fail(s, err, "listing items");
        goto out;
    }
    while (rc == ERR_OK && (r = sqlite3_step(st)) == SQLITE_ROW) {
        struct item *it = item_from_row(st);
        if (it == NULL)
            continue; /* a platform this build does not know */
        rc = attach_latest(s, it);
        if (rc == ERR_OK)
            rc = fn(ud, it);
        item_destroy(it);
    }
    if (rc == ERR_OK && r != SQLITE_DONE)
        rc = sqlite_fail(s, err, "listing items");
out:
    sqlite3_finalize(st);
    buf_free(&sql);
    return rc;
}

enum err sq_count_items(struct store *base, const struct item_query *q,
                        int64_t *out)
{
    struct sqlite_store *s = sqlite_store_of(base);
    sqlite3_stmt *st = NULL;
    enum err rc = ERR_DB;

    *out = 0;
    if (sqlite3_prepare_v2(s->db, "SELECT count(*)" ITEM_FILTER, -1, &st,
                           NULL) != SQLITE_OK ||
        bind_query(st, q) != SQLITE_OK || sqlite3_step(st) != SQLITE_ROW)
        goto out;
    *out = sqlite3_column_int64(st, 0);
    rc = ERR_OK;
out:
    sqlite3_finalize(st);
    return rc;
}

/* Split "platform:ext_id" (platform optional). *ext borrowed from ref. */
static void split_ref(const char *ref, int *platform, const char **ext)
{
    const char *colon = strchr(ref, ':');
    *platform = -1;
    *ext = ref;
    if (colon != NULL) {
        char name[16];
        enum platform p;
        size_t n = (size_t)(colon - ref);
        if (n < sizeof name) {
            memcpy(name, ref, n);
            name[n] = '\0';
            if (platform_from_name(name, &p) == ERR_OK) {
                *platform = (int)p;
                *ext = colon + 1;
            }
        }
    }
}

static enum err resolve_ref(struct sqlite_store *s, const char *ref,
                            struct item **out, struct buf *err)
{
    sqlite3_stmt *st = NULL;
    const char *ext;
    int platform, r, n = 0;
    enum err rc = ERR_OK;

    split_ref(ref, &platform, &ext);
    if (sqlite3_prepare_v2(s->db,
                           "SELECT " ITEM_COLUMNS " FROM item i LEFT JOIN "
                           "item a ON a.id = i.account_id WHERE i.ext_id = "
                           "?1 AND (?2 IS NULL OR i.platform = ?2) "
                           "ORDER BY i.id",
                           -1, &st, NULL) != SQLITE_OK ||
        sqlite3_bind_text(st, 1, ext, -1, SQLITE_STATIC) != SQLITE_OK ||
        (platform >= 0 &&
         sqlite3_bind_text(st, 2, platform_name(platform), -1,
                           SQLITE_STATIC) != SQLITE_OK)) {
        rc = sqlite_fail(s, err, "looking up item");
        goto out;
    }
    buf_setf(err, "\"%s\" names several items:", ref);
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        enum platform known;
        if (platform_from_name(col_text(st, 1), &known) != ERR_OK)
            continue; /* a platform this build does not know */
        buf_catf(err, " %s:%s (%s)", col_text(st, 1), col_text(st, 3),
                 col_text(st, 2));
        if (n++ == 0)
            *out = item_from_row(st);
    }
    if (r != SQLITE_DONE)
        rc = sqlite_fail(s, err, "looking up item");
    else if (n == 0 || (n == 1 && *out == NULL)) {
        buf_setf(err, "no item \"%s\" (try 'mediadash content')", ref);
        rc = ERR_NOTFOUND;
    } else if (n > 1) {
        rc = ERR_AMBIGUOUS;
    }
out:
    if (rc != ERR_OK) {
        item_destroy(*out);
        *out = NULL;
    }
    sqlite3_finalize(st);
    return rc;
}

/* The observed_at of the newest snapshot in [?2, ?3) left out by a limit
 * of ?4 (the (item_id, observed_at) unique index orders them). */
#define SQL_HISTORY_CUT                                                       \
    "SELECT observed_at FROM snapshot WHERE item_id = ?1 AND observed_at "    \
    ">= ?2 AND observed_at < ?3 ORDER BY observed_at DESC LIMIT 1 OFFSET ?4"

/* Raise *since past the snapshots q->limit leaves out; *truncated says
 * whether there were any. */
static enum err history_cut(struct sqlite_store *s, int64_t item_id,
                            const struct history_query *q, int64_t *since,
                            bool *truncated, struct buf *err)
{
    sqlite3_stmt *st = NULL;
    enum err rc = ERR_OK;
    int r;

    *truncated = false;
    if (q->limit <= 0)
        return ERR_OK;
    if (sqlite3_prepare_v2(s->db, SQL_HISTORY_CUT, -1, &st, NULL) !=
            SQLITE_OK ||
        sqlite3_bind_int64(st, 1, item_id) != SQLITE_OK ||
        sqlite3_bind_int64(st, 2, *since) != SQLITE_OK ||
        sqlite3_bind_int64(st, 3, q->until == TIME_NONE ? INT64_MAX
                                                         : q->until) !=
            SQLITE_OK ||
        sqlite3_bind_int64(st, 4, q->limit) != SQLITE_OK) {
        rc = sqlite_fail(s, err, "reading snapshots");
        goto out;
    }
    r = sqlite3_step(st);
    if (r == SQLITE_ROW) {
        *since = sqlite3_column_int64(st, 0) + 1;
        *truncated = true;
    } else if (r != SQLITE_DONE) {
        rc = sqlite_fail(s, err, "reading snapshots");
    }
out:
    sqlite3_finalize(st);
    return rc;
}

#define SQL_HISTORY                                                           \
    "SELECT s.id, s.observed_at, m.name, v.ival, v.rval FROM snapshot s "     \
    "JOIN snapshot_value v ON v.snapshot_id = s.id JOIN metric m ON m.id = "  \
    "v.metric_id WHERE s.item_id = ?1 AND s.observed_at >= ?2 AND "           \
    "s.observed_at < ?3 ORDER BY s.observed_at, m.name"

static enum err load_snapshots(struct sqlite_store *s, struct item *it,
                               int64_t since, int64_t until, struct buf *err)
{
    sqlite3_stmt *st = NULL;
    enum err rc = ERR_OK;
    int r;

    if (sqlite3_prepare_v2(s->db, SQL_HISTORY, -1, &st, NULL) != SQLITE_OK ||
        sqlite3_bind_int64(st, 1, it->id) != SQLITE_OK ||
        sqlite3_bind_int64(st, 2, since) != SQLITE_OK ||
        sqlite3_bind_int64(st, 3, until) != SQLITE_OK) {
        rc = sqlite_fail(s, err, "reading snapshots");
        goto out;
    }
    while (rc == ERR_OK && (r = sqlite3_step(st)) == SQLITE_ROW) {
        struct snapshot *snap =
            item_snapshot_at(it, sqlite3_column_int64(st, 1));
        snap->id = sqlite3_column_int64(st, 0);
        rc = metric_from_row(st, 3, col_text(st, 2), &snap->metrics);
    }
    if (rc == ERR_OK && r != SQLITE_DONE)
        rc = sqlite_fail(s, err, "reading snapshots");
out:
    sqlite3_finalize(st);
    return rc;
}

enum err sq_item_history(struct store *base, const char *ref,
                         const struct history_query *q, struct item **out,
                         bool *truncated, struct buf *err)
{
    struct sqlite_store *s = sqlite_store_of(base);
    struct item *it = NULL;
    int64_t since = q->since == TIME_NONE ? INT64_MIN : q->since;
    int64_t until = q->until == TIME_NONE ? INT64_MAX : q->until;
    bool cut = false;
    enum err rc = resolve_ref(s, ref, &it, err);

    *out = NULL;
    if (rc != ERR_OK)
        return rc;
    buf_reset(err);
    rc = history_cut(s, it->id, q, &since, &cut, err);
    if (rc == ERR_OK)
        rc = load_snapshots(s, it, since, until, err);
    if (rc != ERR_OK) {
        item_destroy(it);
        return rc;
    }
    if (truncated != NULL)
        *truncated = cut;
    *out = it;
    return ERR_OK;
}

#define SQL_EXPORT                                                            \
    "SELECT i.platform, CASE WHEN i.type = 'account' THEN i.ext_id ELSE "     \
    "a.ext_id END, CASE WHEN i.type = 'content' THEN i.ext_id END, "          \
    "s.observed_at, m.name, v.ival, v.rval FROM snapshot s "                  \
    "JOIN item i ON i.id = s.item_id LEFT JOIN item a ON a.id = "             \
    "i.account_id JOIN snapshot_value v ON v.snapshot_id = s.id "             \
    "JOIN metric m ON m.id = v.metric_id "                                    \
    "WHERE (?1 IS NULL OR i.platform = ?1) AND (?2 IS NULL OR "               \
    "s.observed_at >= ?2) AND (?3 IS NULL OR s.observed_at < ?3) "            \
    "ORDER BY s.item_id, s.observed_at, m.name"

enum err sq_export_values(struct store *base, const struct export_query *q,
                          store_row_fn fn, void *ud, struct buf *err)
{
    struct sqlite_store *s = sqlite_store_of(base);
    sqlite3_stmt *st = NULL;
    enum err rc = ERR_OK;
    int r;

    if (sqlite3_prepare_v2(s->db, SQL_EXPORT, -1, &st, NULL) != SQLITE_OK ||
        (q->platform >= 0 &&
         sqlite3_bind_text(st, 1, platform_name(q->platform), -1,
                           SQLITE_STATIC) != SQLITE_OK) ||
        (q->since != TIME_NONE &&
         sqlite3_bind_int64(st, 2, q->since) != SQLITE_OK) ||
        (q->until != TIME_NONE &&
         sqlite3_bind_int64(st, 3, q->until) != SQLITE_OK)) {
        rc = sqlite_fail(s, err, "exporting");
        goto out;
    }
    while (rc == ERR_OK && (r = sqlite3_step(st)) == SQLITE_ROW) {
        struct export_row row;
        enum platform p;
        if (platform_from_name(col_text(st, 0), &p) != ERR_OK)
            continue; /* a platform this build does not know */
        row.platform = p;
        row.account_ext_id = col_text(st, 1);
        row.content_ext_id = col_text(st, 2);
        row.observed_at = sqlite3_column_int64(st, 3);
        row.metric = col_text(st, 4);
        row.is_real = sqlite3_column_type(st, 6) != SQLITE_NULL;
        row.i = sqlite3_column_int64(st, 5);
        row.r = sqlite3_column_double(st, 6);
        rc = fn(ud, &row);
    }
    if (rc == ERR_OK && r != SQLITE_DONE)
        rc = sqlite_fail(s, err, "exporting");
out:
    sqlite3_finalize(st);
    return rc;
}

enum err sq_item_by_id(struct store *base, int64_t id, struct item **out)
{
    struct sqlite_store *s = sqlite_store_of(base);
    sqlite3_stmt *st = NULL;
    struct item *it = NULL;
    enum err rc = ERR_DB;
    int r;

    *out = NULL;
    if (sqlite_query(s, Q_ITEM_BY_ID,
                     "SELECT " ITEM_COLUMNS " FROM item i LEFT JOIN "
                     "item a ON a.id = i.account_id WHERE i.id = ?1",
                     &st) != SQLITE_OK ||
        sqlite3_bind_int64(st, 1, id) != SQLITE_OK)
        goto out;
    r = sqlite3_step(st);
    if (r == SQLITE_DONE) {
        rc = ERR_NOTFOUND;
        goto out;
    }
    if (r != SQLITE_ROW)
        goto out;
    it = item_from_row(st);
    rc = it != NULL ? attach_latest(s, it) : ERR_NOTFOUND;
out:
    sqlite3_reset(st);
    if (rc != ERR_OK) {
        item_destroy(it);
        return rc;
    }
    *out = it;
    return ERR_OK;
}
