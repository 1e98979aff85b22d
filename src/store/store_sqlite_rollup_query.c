/* Reads of the daily rollups (SQLite backend). Dashboard queries come
 * here, never to the raw snapshots. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/timeutil.h"
#include "store/store_sqlite.h"

int32_t sq_day_of(struct store *st, int64_t t)
{
    return sqlite_rollup_day(sqlite_store_of(st), t);
}

int64_t sq_day_start(struct store *st, int32_t day)
{
    return sqlite_rollup_day_start(sqlite_store_of(st), day);
}

enum err sq_item_days(struct store *base, int64_t item_id, const char *metric,
                      int32_t from, int32_t to, struct store_day **out,
                      size_t *n)
{
    struct sqlite_store *s = sqlite_store_of(base);
    /* Cached: the report asks once per content item. */
    sqlite3_stmt *st = sqlite_use(s, S_ITEM_DAYS);
    struct store_day *v = NULL;
    size_t cap = 0, k = 0;
    enum err rc = ERR_OK;
    int r;

    *out = NULL;
    *n = 0;
    if (sqlite3_bind_int64(st, 1, item_id) != SQLITE_OK ||
        sqlite3_bind_text(st, 2, metric, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_int(st, 3, from) != SQLITE_OK ||
        sqlite3_bind_int(st, 4, to) != SQLITE_OK) {
        rc = ERR_DB;
        goto out;
    }
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        v = xgrow(v, &cap, k + 1, sizeof *v);
        v[k].day = sqlite3_column_int(st, 0);
        v[k].first_v = sqlite3_column_int64(st, 1);
        v[k].last_v = sqlite3_column_int64(st, 2);
        v[k].has_gain = sqlite3_column_type(st, 3) != SQLITE_NULL;
        v[k].gain = sqlite3_column_int64(st, 3);
        k++;
    }
    if (r != SQLITE_DONE)
        rc = ERR_DB;
out:
    sqlite3_reset(st);
    if (rc != ERR_OK) {
        free(v);
        return rc;
    }
    *out = v;
    *n = k;
    return ERR_OK;
}

enum err sq_item_gain_sum(struct store *base, int64_t item_id,
                          const char *metric, int32_t from, int32_t to,
                          int64_t *sum, bool *any)
{
    struct sqlite_store *s = sqlite_store_of(base);
    sqlite3_stmt *st = sqlite_use(s, S_ITEM_GAIN_SUM); /* cached */
    enum err rc = ERR_OK;

    *sum = 0;
    *any = false;
    if (sqlite3_bind_int64(st, 1, item_id) != SQLITE_OK ||
        sqlite3_bind_text(st, 2, metric, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_int(st, 3, from) != SQLITE_OK ||
        sqlite3_bind_int(st, 4, to) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_ROW) {
        rc = ERR_DB;
        goto out;
    }
    *sum = sqlite3_column_int64(st, 0);
    *any = sqlite3_column_int64(st, 1) > 0;
out:
    sqlite3_reset(st);
    return rc;
}

static void day_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    const struct sqlite_store *s = sqlite3_user_data(ctx);
    (void)argc;
    if (sqlite3_value_type(argv[0]) != SQLITE_INTEGER) {
        sqlite3_result_null(ctx);
        return;
    }
    sqlite3_result_int(ctx, sqlite_rollup_day(s, sqlite3_value_int64(argv[0])));
}

static void walk_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv);

enum err sqlite_register_day_fn(struct sqlite_store *s, struct buf *err)
{
    /* Deterministic within a statement: the zone changes only between
     * them (rollup --rebuild). Direct only: never from the schema. */
    if (sqlite3_create_function_v2(s->db, "mediadash_day", 1,
                                   SQLITE_UTF8 | SQLITE_DETERMINISTIC |
                                       SQLITE_DIRECTONLY,
                                   s, day_fn, NULL, NULL, NULL) != SQLITE_OK)
        return sqlite_fail(s, err, "registering mediadash_day");
    /* Not deterministic: it calls back into C for each row. */
    if (sqlite3_create_function_v2(s->db, "mediadash_range_walk", 4,
                                   SQLITE_UTF8 | SQLITE_DIRECTONLY, NULL,
                                   walk_fn, NULL, NULL, NULL) != SQLITE_OK)
        return sqlite_fail(s, err, "registering mediadash_range_walk");
    return ERR_OK;
}

/* Per owned content item (role 'own'; the item table's id order): the
 * latest views, the latest interactions, and its first week's views
 * (item_first, kept at ingest); each a primary-key read of item_latest
 * or item_first (the interactions one range over the item's rows, "+"
 * keeping SQLite from a seek per metric, which costs more for these few
 * rows). Real-valued latest values count as 0, as in the listing's
 * metrics. */
#define SQL_CONTENT_SUMS                                                      \
    "SELECT i.id, i.platform, i.published_at, "                              \
    "(SELECT l.ival FROM item_latest l WHERE l.item_id = i.id AND "           \
    "l.metric_id = (SELECT id FROM metric WHERE name = ?2) AND "              \
    "l.rval IS NULL), "                                                       \
    "(SELECT sum(l.ival) FROM item_latest l WHERE l.item_id = i.id AND "      \
    "+l.metric_id IN (SELECT id FROM metric WHERE name IN (?3, ?4, ?5, ?6)) " \
    "AND l.rval IS NULL), "                                                   \
    "(SELECT f.views_gain FROM item_first f WHERE f.item_id = i.id), "       \
    "coalesce(i.account_id, 0) "                                              \
    "FROM item i WHERE i.type = 'content' AND i.role = 'own' AND "           \
    "(?1 IS NULL OR i.platform = ?1) ORDER BY i.id"

enum err sq_content_sums(struct store *base, int platform,
                         store_content_sum_fn fn, void *ud)
{
    static const char *const names[] = {M_VIEWS, M_LIKES, M_COMMENTS,
                                        M_SHARES, M_SAVES};
    struct sqlite_store *s = sqlite_store_of(base);
    sqlite3_stmt *st = NULL;
    enum err rc = ERR_OK;
    int r = SQLITE_DONE;

    if (sqlite_query(s, Q_CONTENT_SUMS, SQL_CONTENT_SUMS, &st) !=
            SQLITE_OK ||
        (platform >= 0 &&
         sqlite3_bind_text(st, 1, platform_name(platform), -1,
                           SQLITE_STATIC) != SQLITE_OK)) {
        rc = ERR_DB;
        goto out;
    }
    for (int i = 0; i < 5; i++)
        if (sqlite3_bind_text(st, i + 2, names[i], -1, SQLITE_STATIC) !=
            SQLITE_OK) {
            rc = ERR_DB;
            goto out;
        }
    while (rc == ERR_OK && (r = sqlite3_step(st)) == SQLITE_ROW) {
        struct store_content_sum c = {0};
        if (platform_from_name((const char *)sqlite3_column_text(st, 1),
                               &c.platform) != ERR_OK)
            continue; /* the CHECK constraint makes this unreachable */
        c.item_id = sqlite3_column_int64(st, 0);
        c.published_at = sqlite3_column_type(st, 2) == SQLITE_NULL
                             ? TIME_NONE
                             : sqlite3_column_int64(st, 2);
        c.views = sqlite3_column_int64(st, 3);
        c.interactions = sqlite3_column_int64(st, 4);
        c.has_first = sqlite3_column_type(st, 5) != SQLITE_NULL;
        c.first_gain = sqlite3_column_int64(st, 5);
        c.account_id = sqlite3_column_int64(st, 6);
        rc = fn(ud, &c);
    }
    if (rc == ERR_OK && r != SQLITE_DONE)
        rc = ERR_DB;
out:
    sqlite3_reset(st);
    return rc;
}

/* Per owned account (id order): the latest integer followers and views,
 * each a primary-key read of item_latest. */
#define SQL_ACCOUNT_SUMS                                                      \
    "SELECT i.id, i.platform, "                                              \
    "(SELECT l.ival FROM item_latest l WHERE l.item_id = i.id AND "           \
    "l.metric_id = (SELECT id FROM metric WHERE name = ?2) AND "              \
    "l.rval IS NULL), "                                                       \
    "(SELECT l.ival FROM item_latest l WHERE l.item_id = i.id AND "           \
    "l.metric_id = (SELECT id FROM metric WHERE name = ?3) AND "              \
    "l.rval IS NULL) "                                                        \
    "FROM item i WHERE i.type = 'account' AND i.role = 'own' AND "           \
    "(?1 IS NULL OR i.platform = ?1) ORDER BY i.id"

enum err sq_account_sums(struct store *base, int platform,
                         store_account_sum_fn fn, void *ud)
{
    struct sqlite_store *s = sqlite_store_of(base);
    sqlite3_stmt *st = NULL;
    enum err rc = ERR_OK;
    int r = SQLITE_DONE;

    if (sqlite_query(s, Q_ACCOUNT_SUMS, SQL_ACCOUNT_SUMS, &st) !=
            SQLITE_OK ||
        (platform >= 0 &&
         sqlite3_bind_text(st, 1, platform_name(platform), -1,
                           SQLITE_STATIC) != SQLITE_OK) ||
        sqlite3_bind_text(st, 2, M_FOLLOWERS, -1, SQLITE_STATIC) !=
            SQLITE_OK ||
        sqlite3_bind_text(st, 3, M_VIEWS, -1, SQLITE_STATIC) != SQLITE_OK) {
        rc = ERR_DB;
        goto out;
    }
    while (rc == ERR_OK && (r = sqlite3_step(st)) == SQLITE_ROW) {
        struct store_account_sum a = {0};
        if (platform_from_name((const char *)sqlite3_column_text(st, 1),
                               &a.platform) != ERR_OK)
            continue; /* the CHECK constraint makes this unreachable */
        a.account_id = sqlite3_column_int64(st, 0);
        a.has_followers = sqlite3_column_type(st, 2) != SQLITE_NULL;
        a.followers = sqlite3_column_int64(st, 2);
        a.has_views = sqlite3_column_type(st, 3) != SQLITE_NULL;
        a.views = sqlite3_column_int64(st, 3);
        rc = fn(ud, &a);
    }
    if (rc == ERR_OK && r != SQLITE_DONE)
        rc = ERR_DB;
out:
    sqlite3_reset(st);
    return rc;
}

/* Query id (sql) with the parameters every range read shares bound: ?1
 * metric name, ?2 and ?3 the days [from, to), ?4 the platform (NULL:
 * all). *out is reset by the caller, also on failure. */
static enum err prepare_range(struct sqlite_store *s, enum query_id id,
                              const char *sql, const char *metric,
                              int platform, int32_t from, int32_t to,
                              sqlite3_stmt **out)
{
    if (sqlite_query(s, id, sql, out) != SQLITE_OK ||
        sqlite3_bind_text(*out, 1, metric, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_int(*out, 2, from) != SQLITE_OK ||
        sqlite3_bind_int(*out, 3, to) != SQLITE_OK ||
        (platform >= 0 &&
         sqlite3_bind_text(*out, 4, platform_name(platform), -1,
                           SQLITE_STATIC) != SQLITE_OK))
        return ERR_DB;
    return ERR_OK;
}

/* account_day's key leads with the account: the owned accounts outer
 * (CROSS JOIN fixes the order; account_day.account_id is always an
 * account item, ingest's and rollup's), each one range of its metric's
 * days by primary key, not a scan of the table. */
#define SQL_ACCOUNT_GAINS                                                     \
    "SELECT d.account_id, i.platform, d.day, d.gain FROM item i CROSS JOIN "  \
    "account_day d ON d.account_id = i.id AND d.metric_id = (SELECT id FROM " \
    "metric WHERE name = ?1) AND d.day >= ?2 AND d.day < ?3 WHERE "           \
    "i.type = 'account' AND i.role = 'own' AND (?4 IS NULL OR i.platform = "  \
    "?4) ORDER BY i.id, d.day"

enum err sq_account_gains(struct store *base, const char *metric, int platform,
                          int32_t from, int32_t to, store_gain_fn fn,
                          void *ud)
{
    struct sqlite_store *s = sqlite_store_of(base);
    sqlite3_stmt *st = NULL;
    enum err rc = ERR_OK;
    int r;

    rc = prepare_range(s, Q_ACCOUNT_GAINS, SQL_ACCOUNT_GAINS, metric, platform,
                       from, to, &st);
    if (rc != ERR_OK)
        goto out;
    while (rc == ERR_OK && (r = sqlite3_step(st)) == SQLITE_ROW) {
        enum platform p;
        if (platform_from_name((const char *)sqlite3_column_text(st, 1), &p) !=
            ERR_OK)
            continue;
        rc = fn(ud, sqlite3_column_int64(st, 0), p, sqlite3_column_int(st, 2),
                sqlite3_column_int64(st, 3));
    }
    if (rc == ERR_OK && r != SQLITE_DONE)
        rc = ERR_DB;
out:
    sqlite3_reset(st);
    return rc;
}

/* Top content by gain reads one metric's days as one range of item_day's
 * primary key (metric, day, item), in place and in day order, and sums
 * per item here: the content items (filtered by type and platform) are
 * loaded first, as ids in ascending order, so each row's item is a binary
 * search, not a join. */
#define SQL_CONTENT_IDS                                                       \
    "SELECT id FROM item WHERE type = 'content' AND role = 'own' AND "        \
    "(?1 IS NULL OR platform = ?1) ORDER BY id"
/* The rows go to C inside the statement, through mediadash_range_walk
 * (walk_fn, ?4 the struct range_walk): a row returned by sqlite3_step and
 * read with sqlite3_column_* costs about twice the scan itself. */
#define SQL_METRIC_RANGE                                                      \
    "SELECT count(*) FROM item_day WHERE metric_id = (SELECT id FROM metric " \
    "WHERE name = ?1) AND day >= ?2 AND day < ?3 AND gain IS NOT NULL AND "   \
    "mediadash_range_walk(?4, item_id, day, gain) <> 0"

struct content_ids {
    int64_t *id; /* ascending */
    size_t n, cap;
};

static enum err load_content_ids(struct sqlite_store *s, int platform,
                                 struct content_ids *c)
{
    sqlite3_stmt *st = NULL;
    enum err rc = ERR_OK;
    int r;

    if (sqlite_query(s, Q_CONTENT_IDS, SQL_CONTENT_IDS, &st) !=
            SQLITE_OK ||
        (platform >= 0 &&
         sqlite3_bind_text(st, 1, platform_name(platform), -1,
                           SQLITE_STATIC) != SQLITE_OK)) {
        rc = ERR_DB;
        goto out;
    }
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        c->id = xgrow(c->id, &c->cap, c->n + 1, sizeof *c->id);
        c->id[c->n++] = sqlite3_column_int64(st, 0);
    }
    if (r != SQLITE_DONE)
        rc = ERR_DB;
out:
    sqlite3_reset(st);
    return rc;
}

/* The index of id in c, or -1 when it is not content of the platform. */
static ptrdiff_t content_index(const struct content_ids *c, int64_t id)
{
    size_t lo = 0, hi = c->n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (c->id[mid] < id)
            lo = mid + 1;
        else if (c->id[mid] > id)
            hi = mid;
        else
            return (ptrdiff_t)mid;
    }
    return -1;
}

/* Each known gain of metric over [from, to) of the items in c (those
 * that are not in c are skipped): fn(ud, index in c, day, gain), in day
 * order (within a day, item order). A non-OK return from fn stops the
 * walk and is returned. */
typedef enum err (*range_row_fn)(void *ud, size_t k, int32_t day,
                                 int64_t gain);

/* What walk_fn hands the rows of one metric_range to. */
struct range_walk {
    const struct content_ids *c;
    range_row_fn fn;
    void *ud;
    int32_t last_day; /* rows must come in day order */
    enum err rc;      /* fn's, or ERR_DB for rows out of order */
};

#define RANGE_WALK_PTR "mediadash_range_walk"

/* mediadash_range_walk(walk, item_id, day, gain): one row to walk->fn;
 * always 0 (no row is counted), an error once the walk stops. */
static void walk_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    struct range_walk *w = sqlite3_value_pointer(argv[0], RANGE_WALK_PTR);
    int32_t day;
    ptrdiff_t k;

    (void)argc;
    if (w == NULL) {
        sqlite3_result_error(ctx, "mediadash_range_walk: no walk", -1);
        return;
    }
    day = sqlite3_value_int(argv[2]);
    if (w->rc == ERR_OK && day < w->last_day)
        w->rc = ERR_DB; /* the plan is a primary-key range: never */
    w->last_day = day;
    k = content_index(w->c, sqlite3_value_int64(argv[1]));
    if (w->rc == ERR_OK && k >= 0 &&
        sqlite3_value_type(argv[3]) != SQLITE_NULL)
        w->rc = w->fn(w->ud, (size_t)k, day, sqlite3_value_int64(argv[3]));
    if (w->rc != ERR_OK) {
        sqlite3_result_error(ctx, "mediadash_range_walk: stopped", -1);
        return;
    }
    sqlite3_result_int(ctx, 0);
}

static enum err metric_range(struct sqlite_store *s, const char *metric,
                             int32_t from, int32_t to,
                             const struct content_ids *c, range_row_fn fn,
                             void *ud)
{
    struct range_walk w = {c, fn, ud, INT32_MIN, ERR_OK};
    sqlite3_stmt *st = NULL;
    enum err rc = ERR_OK;

    if (sqlite_query(s, Q_METRIC_RANGE, SQL_METRIC_RANGE, &st) !=
            SQLITE_OK ||
        sqlite3_bind_text(st, 1, metric, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_int(st, 2, from) != SQLITE_OK ||
        sqlite3_bind_int(st, 3, to) != SQLITE_OK ||
        sqlite3_bind_pointer(st, 4, &w, RANGE_WALK_PTR, NULL) != SQLITE_OK) {
        rc = ERR_DB;
        goto out;
    }
    if (sqlite3_step(st) != SQLITE_ROW)
        rc = w.rc != ERR_OK ? w.rc : ERR_DB;
out:
    sqlite3_reset(st);
    return rc;
}

/* The views of each day of [from, to), one views_day row a day, in day
 * order; within a day ascending item ids, matched against c's (also
 * ascending) by a merge instead of a search per pair. */
#define SQL_VIEWS_RANGE                                                       \
    "SELECT day, gains FROM views_day WHERE day >= ?1 AND day < ?2 "         \
    "ORDER BY day"

static enum err views_day_walk(const unsigned char *p, size_t len,
                               int32_t day, const struct content_ids *c,
                               range_row_fn fn, void *ud)
{
    const unsigned char *end = p + len;
    int64_t item = 0, gain;
    size_t k = 0;
    enum err rc = ERR_OK;

    while (rc == ERR_OK && p < end) {
        if (!sqlite_vday_next(&p, end, &item, &gain))
            return ERR_DB; /* damaged: `rollup --rebuild` rewrites it */
        while (k < c->n && c->id[k] < item)
            k++;
        if (k == c->n)
            break;
        if (c->id[k] == item)
            rc = fn(ud, k, day, gain);
    }
    return rc;
}

static enum err views_range(struct sqlite_store *s, int32_t from, int32_t to,
                            const struct content_ids *c, range_row_fn fn,
                            void *ud)
{
    sqlite3_stmt *st = NULL;
    enum err rc = ERR_OK;
    int r = SQLITE_DONE;

    if (sqlite_query(s, Q_VIEWS_RANGE, SQL_VIEWS_RANGE, &st) != SQLITE_OK ||
        sqlite3_bind_int(st, 1, from) != SQLITE_OK ||
        sqlite3_bind_int(st, 2, to) != SQLITE_OK) {
        rc = ERR_DB;
        goto out;
    }
    while (rc == ERR_OK && (r = sqlite3_step(st)) == SQLITE_ROW) {
        const void *blob = sqlite3_column_blob(st, 1);
        int len = sqlite3_column_bytes(st, 1);
        if (blob != NULL && len > 0)
            rc = views_day_walk(blob, (size_t)len, sqlite3_column_int(st, 0),
                                c, fn, ud);
    }
    if (rc == ERR_OK && r != SQLITE_DONE)
        rc = ERR_DB;
out:
    sqlite3_reset(st);
    return rc;
}

/* A metric's range: views from views_day, any other from item_day. */
static enum err gains_range(struct sqlite_store *s, const char *metric,
                            int32_t from, int32_t to,
                            const struct content_ids *c, range_row_fn fn,
                            void *ud)
{
    if (strcmp(metric, M_VIEWS) == 0)
        return views_range(s, from, to, c, fn, ud);
    return metric_range(s, metric, from, to, c, fn, ud);
}

/* The spike walk reads one metric's range in place, in day order: no
 * per-item seeks and no table of items x days (its memory is the id
 * list; the caller keeps what it needs per item). */
enum err sq_content_day_gains(struct store *base, const char *metric,
                              int platform, int32_t from, int32_t to,
                              store_content_ids_fn ids, store_day_gain_fn fn,
                              void *ud)
{
    struct sqlite_store *s = sqlite_store_of(base);
    struct content_ids c = {NULL, 0, 0};
    enum err rc = load_content_ids(s, platform, &c);

    if (rc == ERR_OK)
        rc = ids(ud, c.id, c.n);
    if (rc == ERR_OK && c.n > 0 && to > from)
        rc = gains_range(s, metric, from, to, &c, fn, ud);
    free(c.id);
    return rc;
}

/* Per item of the platform: its last row on or before publication day +
 * ?4, when one on or after that day exists (both item_day_by_item
 * seeks). */
#define SQL_VALUES_AT_AGE                                                     \
    "SELECT (SELECT d.last_v FROM item_day d INDEXED BY item_day_by_item "    \
    "WHERE d.item_id = i.id AND d.metric_id = m.id AND d.day <= "             \
    "mediadash_day(i.published_at) + ?4 ORDER BY d.day DESC LIMIT 1) "        \
    "FROM item i, (SELECT id FROM metric WHERE name = ?1) m "                 \
    "WHERE i.type = 'content' AND i.role = 'own' AND i.platform = ?2 AND "    \
    "i.id <> ?3 AND i.published_at IS NOT NULL AND EXISTS (SELECT 1 FROM "    \
    "item_day e INDEXED BY item_day_by_item WHERE e.item_id = i.id AND "      \
    "e.metric_id = m.id AND e.day >= mediadash_day(i.published_at) + ?4)"

enum err sq_values_at_age(struct store *base, const char *metric,
                          enum platform p, int64_t exclude_id, int32_t age,
                          store_value_fn fn, void *ud)
{
    struct sqlite_store *s = sqlite_store_of(base);
    sqlite3_stmt *st = NULL;
    enum err rc = ERR_OK;
    int r = SQLITE_DONE;

    if (sqlite3_prepare_v2(s->db, SQL_VALUES_AT_AGE, -1, &st, NULL) !=
            SQLITE_OK ||
        sqlite3_bind_text(st, 1, metric, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_text(st, 2, platform_name(p), -1, SQLITE_STATIC) !=
            SQLITE_OK ||
        sqlite3_bind_int64(st, 3, exclude_id) != SQLITE_OK ||
        sqlite3_bind_int(st, 4, age) != SQLITE_OK) {
        rc = ERR_DB;
        goto out;
    }
    while (rc == ERR_OK && (r = sqlite3_step(st)) == SQLITE_ROW)
        if (sqlite3_column_type(st, 0) != SQLITE_NULL)
            rc = fn(ud, sqlite3_column_int64(st, 0));
    if (rc == ERR_OK && r != SQLITE_DONE)
        rc = ERR_DB;
out:
    sqlite3_finalize(st);
    return rc;
}

#define SQL_AGE_ROWS                                                          \
    "SELECT i.id, i.platform, i.role = 'own', "                               \
    "mediadash_day(i.published_at), d.day, d.last_v "                         \
    "FROM item i, (SELECT id FROM metric WHERE name = ?1) m, item_day d "     \
    "INDEXED BY item_day_by_item WHERE i.type = 'content' AND "               \
    "i.published_at IS NOT NULL AND d.item_id = i.id AND "                    \
    "d.metric_id = m.id ORDER BY i.id, d.day"

enum err sq_age_rows(struct store *base, const char *metric,
                     store_age_row_fn fn, void *ud)
{
    struct sqlite_store *s = sqlite_store_of(base);
    sqlite3_stmt *st = NULL;
    struct store_age_row row;
    enum err rc = ERR_OK;
    int r = SQLITE_DONE;

    if (sqlite3_prepare_v2(s->db, SQL_AGE_ROWS, -1, &st, NULL) !=
            SQLITE_OK ||
        sqlite3_bind_text(st, 1, metric, -1, SQLITE_STATIC) != SQLITE_OK) {
        rc = ERR_DB;
        goto out;
    }
    while (rc == ERR_OK && (r = sqlite3_step(st)) == SQLITE_ROW) {
        const char *p = (const char *)sqlite3_column_text(st, 1);
        if (p == NULL || platform_from_name(p, &row.platform) != ERR_OK)
            continue; /* the schema's CHECK admits only known platforms */
        row.item_id = sqlite3_column_int64(st, 0);
        row.own = sqlite3_column_int(st, 2) != 0;
        row.pub_day = sqlite3_column_int(st, 3);
        row.day = sqlite3_column_int(st, 4);
        row.last_v = sqlite3_column_int64(st, 5);
        rc = fn(ud, &row);
    }
    if (rc == ERR_OK && r != SQLITE_DONE)
        rc = ERR_DB;
out:
    sqlite3_finalize(st);
    return rc;
}
