/* The collector's per-item schedule and the Instagram dropped-metric
 * memory (SQLite backend, migration 0008). Prepared per call, finalized
 * at out:. */
#include <sqlite3.h>
#include <stdint.h>
#include <string.h>

#include "core/timeutil.h"
#include "store/store_sqlite.h"

#define S sqlite_store_of

#define SQL_ITEM_PUT                                                          \
    "INSERT INTO collect_item(platform, account, item_id, kind, "             \
    "published_at, last_fetch, next_due) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) " \
    "ON CONFLICT(platform, account, item_id) DO UPDATE SET kind = "           \
    "excluded.kind, published_at = excluded.published_at, last_fetch = "     \
    "excluded.last_fetch, next_due = excluded.next_due"
#define SQL_ITEM_HAS                                                          \
    "SELECT 1 FROM collect_item WHERE platform = ?1 AND account = ?2 AND "    \
    "item_id = ?3"
#define SQL_ITEM_DUE                                                          \
    "SELECT item_id, kind, published_at, last_fetch, next_due FROM "          \
    "collect_item WHERE platform = ?1 AND account = ?2 AND next_due <= ?3 "   \
    "ORDER BY next_due, item_id LIMIT ?4"
#define SQL_ITEM_STATS                                                        \
    "SELECT count(*), min(next_due) FROM collect_item WHERE (?1 IS NULL OR "  \
    "platform = ?1) AND (?2 IS NULL OR account = ?2)"
#define SQL_DROP_ADD                                                          \
    "INSERT INTO dropped_metric(platform, account, kind, metric, dropped_at) " \
    "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT(platform, account, kind, "       \
    "metric) DO UPDATE SET dropped_at = excluded.dropped_at"
#define SQL_DROP_LIST                                                         \
    "SELECT kind, metric FROM dropped_metric WHERE platform = ?1 AND "        \
    "account = ?2 AND dropped_at >= ?3 ORDER BY kind, metric"

#define SQL_USAGE_PUT                                                         \
    "INSERT INTO api_usage(platform, account, pct, observed_at) VALUES (?1, " \
    "?2, ?3, ?4) ON CONFLICT(platform, account) DO UPDATE SET pct = "         \
    "excluded.pct, observed_at = excluded.observed_at"
#define SQL_USAGE_GET                                                         \
    "SELECT pct, observed_at FROM api_usage WHERE platform = ?1 AND "         \
    "account = ?2"

static int bind_time(sqlite3_stmt *st, int i, int64_t t)
{
    return t == TIME_NONE ? sqlite3_bind_null(st, i)
                          : sqlite3_bind_int64(st, i, t);
}

static int64_t column_time(sqlite3_stmt *st, int i)
{
    return sqlite3_column_type(st, i) == SQLITE_NULL
               ? TIME_NONE
               : sqlite3_column_int64(st, i);
}

enum err sq_item_sched_put(struct store *base,
                           const struct store_item_sched *s)
{
    sqlite3_stmt *st = NULL;
    enum err rc = ERR_DB;

    if (sqlite_prepare_for(S(base), SQL_ITEM_PUT, s->platform, s->account,
                           &st) != SQLITE_OK ||
        sqlite3_bind_text(st, 3, s->item_id, -1, SQLITE_STATIC) !=
            SQLITE_OK ||
        sqlite3_bind_text(st, 4, s->kind ? s->kind : "", -1, SQLITE_STATIC) !=
            SQLITE_OK ||
        bind_time(st, 5, s->published_at) != SQLITE_OK ||
        bind_time(st, 6, s->last_fetch) != SQLITE_OK ||
        sqlite3_bind_int64(st, 7, s->next_due) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_DONE)
        goto out;
    rc = ERR_OK;
out:
    sqlite3_finalize(st);
    return rc;
}

/* The latest snapshot is the last row of snapshot's (item_id,
 * observed_at) key: one seek. */
#define SQL_ITEM_REMOVED                                                      \
    "UPDATE item SET removed_last_seen = coalesce((SELECT max(s.observed_at) " \
    "FROM snapshot s WHERE s.item_id = item.id), first_seen) WHERE "          \
    "platform = ?1 AND type = 'content' AND ext_id = ?2 AND "                 \
    "removed_last_seen IS NULL"
#define SQL_ITEM_BACK                                                         \
    "UPDATE item SET removed_last_seen = NULL WHERE platform = ?1 AND type "  \
    "= 'content' AND ext_id = ?2 AND removed_last_seen IS NOT NULL"

enum err sq_item_set_removed(struct store *base, enum platform p,
                             const char *ext_id, bool removed)
{
    sqlite3_stmt *st = NULL;
    enum err rc = ERR_DB;

    if (sqlite3_prepare_v2(S(base)->db,
                           removed ? SQL_ITEM_REMOVED : SQL_ITEM_BACK, -1, &st,
                           NULL) != SQLITE_OK ||
        sqlite3_bind_text(st, 1, platform_name(p), -1, SQLITE_STATIC) !=
            SQLITE_OK ||
        sqlite3_bind_text(st, 2, ext_id, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_DONE)
        goto out;
    rc = ERR_OK;
out:
    sqlite3_finalize(st);
    return rc;
}

enum err sq_item_sched_has(struct store *base, enum platform p,
                           const char *account, const char *item_id,
                           bool *out)
{
    sqlite3_stmt *st = NULL;
    enum err rc = ERR_DB;
    int step;

    *out = false;
    if (sqlite_prepare_for(S(base), SQL_ITEM_HAS, p, account, &st) != SQLITE_OK ||
        sqlite3_bind_text(st, 3, item_id, -1, SQLITE_STATIC) != SQLITE_OK)
        goto out;
    step = sqlite3_step(st);
    *out = step == SQLITE_ROW;
    if (step == SQLITE_ROW || step == SQLITE_DONE)
        rc = ERR_OK;
out:
    sqlite3_finalize(st);
    return rc;
}

enum err sq_item_sched_due(struct store *base, enum platform p,
                           const char *account, int64_t now, size_t limit,
                           store_item_sched_fn fn, void *ud)
{
    sqlite3_stmt *st = NULL;
    struct store_item_sched s = {.platform = p, .account = account};
    enum err rc = ERR_DB;
    int step;

    if (limit > INT64_MAX)
        limit = INT64_MAX;
    if (sqlite_prepare_for(S(base), SQL_ITEM_DUE, p, account, &st) != SQLITE_OK ||
        sqlite3_bind_int64(st, 3, now) != SQLITE_OK ||
        sqlite3_bind_int64(st, 4, (sqlite3_int64)limit) != SQLITE_OK)
        goto out;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        s.item_id = (const char *)sqlite3_column_text(st, 0);
        s.kind = (const char *)sqlite3_column_text(st, 1);
        s.published_at = column_time(st, 2);
        s.last_fetch = column_time(st, 3);
        s.next_due = sqlite3_column_int64(st, 4);
        if (s.item_id == NULL || s.kind == NULL)
            goto out;
        rc = fn(ud, &s);
        if (rc != ERR_OK)
            goto out;
        rc = ERR_DB;
    }
    rc = step == SQLITE_DONE ? ERR_OK : ERR_DB;
out:
    sqlite3_finalize(st);
    return rc;
}

enum err sq_item_sched_stats(struct store *base, int platform,
                             const char *account, int64_t *count,
                             int64_t *soonest)
{
    sqlite3_stmt *st = NULL;
    enum err rc = ERR_DB;

    *count = 0;
    *soonest = INT64_MAX;
    if (sqlite3_prepare_v2(S(base)->db, SQL_ITEM_STATS, -1, &st, NULL) !=
            SQLITE_OK ||
        (platform < 0 || platform >= PLATFORM_COUNT
             ? sqlite3_bind_null(st, 1)
             : sqlite3_bind_text(st, 1, platform_name((enum platform)platform),
                                 -1, SQLITE_STATIC)) != SQLITE_OK ||
        sqlite_bind_text_or_null(st, 2, account) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_ROW)
        goto out;
    *count = sqlite3_column_int64(st, 0);
    if (sqlite3_column_type(st, 1) != SQLITE_NULL)
        *soonest = sqlite3_column_int64(st, 1);
    rc = ERR_OK;
out:
    sqlite3_finalize(st);
    return rc;
}

enum err sq_dropped_metric_add(struct store *base, enum platform p,
                               const char *account, const char *kind,
                               const char *metric, int64_t at)
{
    sqlite3_stmt *st = NULL;
    enum err rc = ERR_DB;

    if ((unsigned)p >= PLATFORM_COUNT)
        return ERR_INVALID;
    if (sqlite3_prepare_v2(S(base)->db, SQL_DROP_ADD, -1, &st, NULL) !=
            SQLITE_OK ||
        sqlite3_bind_text(st, 1, platform_name(p), -1, SQLITE_STATIC) !=
            SQLITE_OK ||
        sqlite3_bind_text(st, 2, account, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_text(st, 3, kind, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_text(st, 4, metric, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_int64(st, 5, at) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_DONE)
        goto out;
    rc = ERR_OK;
out:
    sqlite3_finalize(st);
    return rc;
}

enum err sq_dropped_metric_list(struct store *base, enum platform p,
                                const char *account, int64_t since,
                                store_dropped_metric_fn fn, void *ud)
{
    sqlite3_stmt *st = NULL;
    enum err rc = ERR_DB;
    int step;

    if ((unsigned)p >= PLATFORM_COUNT)
        return ERR_INVALID;
    if (sqlite3_prepare_v2(S(base)->db, SQL_DROP_LIST, -1, &st, NULL) !=
            SQLITE_OK ||
        sqlite3_bind_text(st, 1, platform_name(p), -1, SQLITE_STATIC) !=
            SQLITE_OK ||
        sqlite3_bind_text(st, 2, account, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_int64(st, 3, since) != SQLITE_OK)
        goto out;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        const char *kind = (const char *)sqlite3_column_text(st, 0);
        const char *metric = (const char *)sqlite3_column_text(st, 1);
        if (kind == NULL || metric == NULL)
            goto out;
        rc = fn(ud, kind, metric);
        if (rc != ERR_OK)
            goto out;
        rc = ERR_DB;
    }
    rc = step == SQLITE_DONE ? ERR_OK : ERR_DB;
out:
    sqlite3_finalize(st);
    return rc;
}

enum err sq_usage_put(struct store *base, enum platform p, const char *account,
                      int pct, int64_t at)
{
    sqlite3_stmt *st = NULL;
    enum err rc = ERR_DB;

    if (pct < 0)
        return ERR_INVALID;
    if (sqlite_prepare_for(S(base), SQL_USAGE_PUT, p, account, &st) != SQLITE_OK ||
        sqlite3_bind_int(st, 3, pct) != SQLITE_OK ||
        sqlite3_bind_int64(st, 4, at) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_DONE)
        goto out;
    rc = ERR_OK;
out:
    sqlite3_finalize(st);
    return rc;
}

enum err sq_usage_get(struct store *base, enum platform p, const char *account,
                      int *pct, int64_t *at)
{
    sqlite3_stmt *st = NULL;
    enum err rc = ERR_DB;
    int step;

    if (sqlite_prepare_for(S(base), SQL_USAGE_GET, p, account, &st) != SQLITE_OK)
        goto out;
    step = sqlite3_step(st);
    if (step == SQLITE_DONE) {
        rc = ERR_NOTFOUND;
    } else if (step == SQLITE_ROW) {
        *pct = sqlite3_column_int(st, 0);
        *at = sqlite3_column_int64(st, 1);
        rc = ERR_OK;
    }
out:
    sqlite3_finalize(st);
    return rc;
}
