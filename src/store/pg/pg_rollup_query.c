/* Reads of the daily rollups on PostgreSQL (pgroll): the same rows in
 * the same order as the SQLite side (store_sqlite_rollup_query.c,
 * store_sqlite_remove.c's comparison, store_sqlite_docs.c's account
 * day). Dashboard queries come here, never to the raw snapshots. The
 * first week and the ages use item.pub_day (migration 0003), the
 * publication's rollup day kept by pg_rollup.c, where SQLite calls
 * mediadash_day(). Text sorts under COLLATE "C", as SQLite's BINARY. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/timeutil.h"
#include "store/pg/pg_ops.h"
#include "store/pg/pg_rollup.h"

#define MID(p) "(SELECT id FROM metric WHERE name = " p ")"
#define PLATFORM_IS(col, p) "(" p "::text IS NULL OR " col " = " p ")"

PG_STMT(pg_rq_item_days, 4,
        "SELECT day, first_v, last_v, gain FROM item_day WHERE item_id = $1 "
        "AND metric_id = " MID("$2") " AND day >= coalesce((SELECT max(day) "
        "FROM item_day WHERE item_id = $1 AND metric_id = " MID("$2")
        " AND day < $3), $3) AND day < $4 ORDER BY day");
PG_STMT(pg_rq_gain_sum, 4,
        "SELECT coalesce(sum(gain), 0), count(gain) FROM item_day WHERE "
        "item_id = $1 AND metric_id = " MID("$2") " AND day >= $3 AND "
        "day < $4");
/* Per owned content item: its latest views and summed latest
 * interactions from one aggregate over the item_latest rows of those
 * metrics, hash-joined to the items, and its first week's views, the
 * item_first row (pg_first.c) in place of a sum over its item_day rows
 * of that week. Server time at 2,715 items (bench/README.md, session
 * 14), best of 30: 20.6 ms with the week summed and two probes per item,
 * 11.7 ms with the item_first probe, 5.6 ms as here (8.3 ms grouping the
 * items' join with item_latest, which sorts every latest row); one
 * platform's 975 items 4.8 ms either way. The metric ids are arrays
 * computed once per statement (InitPlans): as "IN (SELECT ...)" the
 * metric table was joined again for every content item (session 13). */
PG_STMT(pg_rq_content_sums, 6,
        "SELECT i.id, i.platform, i.published_at, l.views, l.inter, "
        "f.views_gain, coalesce(i.account_id, 0) FROM item i LEFT JOIN "
        "(SELECT item_id, max(ival) FILTER (WHERE metric_id = " MID("$2")
        ") AS views, sum(ival) FILTER (WHERE metric_id = ANY (ARRAY(SELECT "
        "id FROM metric WHERE name IN ($3, $4, $5, $6)))) AS inter FROM "
        "item_latest WHERE rval IS NULL AND metric_id = ANY (ARRAY(SELECT id "
        "FROM metric WHERE name IN ($2, $3, $4, $5, $6))) GROUP BY item_id) "
        "l ON l.item_id = i.id LEFT JOIN item_first f ON f.item_id = i.id "
        "WHERE i.type = 'content' AND i.role = 'own' AND "
        PLATFORM_IS("i.platform", "$1") " ORDER BY i.id");
PG_STMT(pg_rq_account_sums, 3,
        "SELECT i.id, i.platform, "
        "(SELECT l.ival FROM item_latest l WHERE l.item_id = i.id AND "
        "l.metric_id = " MID("$2") " AND l.rval IS NULL), "
        "(SELECT l.ival FROM item_latest l WHERE l.item_id = i.id AND "
        "l.metric_id = " MID("$3") " AND l.rval IS NULL) "
        "FROM item i WHERE i.type = 'account' AND i.role = 'own' AND "
        PLATFORM_IS("i.platform", "$1") " ORDER BY i.id");
PG_STMT(pg_rq_account_gains, 4,
        "SELECT d.account_id, i.platform, d.day, d.gain FROM item i "
        "JOIN account_day d ON d.account_id = i.id AND d.metric_id = "
        MID("$1") " AND d.day >= $2 AND d.day < $3 WHERE "
        "i.type = 'account' AND i.role = 'own' AND "
        PLATFORM_IS("i.platform", "$4") " ORDER BY i.id, d.day");
PG_STMT(pg_rq_content_ids, 1,
        "SELECT id FROM item WHERE type = 'content' AND role = 'own' AND "
        PLATFORM_IS("platform", "$1") " ORDER BY id");
PG_STMT(pg_rq_metric_range, 3,
        "SELECT item_id, day, gain FROM item_day WHERE metric_id = "
        MID("$1") " AND day >= $2 AND day < $3 AND gain IS NOT NULL "
        "ORDER BY day, item_id");
PG_STMT(pg_rq_values_at_age, 4,
        "SELECT (SELECT d.last_v FROM item_day d WHERE d.item_id = i.id AND "
        "d.metric_id = m.id AND d.day <= i.pub_day + $4::integer "
        "ORDER BY d.day DESC LIMIT 1) FROM item i, (SELECT id FROM metric "
        "WHERE name = $1) m WHERE i.type = 'content' AND i.role = 'own' AND "
        "i.platform = $2 AND i.id <> $3 AND i.published_at IS NOT NULL AND "
        "EXISTS (SELECT 1 FROM item_day e WHERE e.item_id = i.id AND "
        "e.metric_id = m.id AND e.day >= i.pub_day + $4::integer) "
        "ORDER BY i.id");
PG_STMT(pg_rq_age_rows, 1,
        "SELECT i.id, i.platform, i.role = 'own', i.pub_day, d.day, d.last_v "
        "FROM item i JOIN item_day d ON d.item_id = i.id WHERE "
        "d.metric_id = " MID("$1") " AND i.type = 'content' AND "
        "i.published_at IS NOT NULL ORDER BY i.id, d.day");

/* Run st; OK with *r holding its rows. */
static enum err run(struct store *st, const struct pg_stmt *q,
                    const struct pg_params *p, PGresult **r)
{
    *r = NULL;
    return pg_run(pg_of(st), q, p, r, q->name, NULL);
}

static void p_platform(struct pg_params *p, int platform)
{
    if (platform >= 0)
        pg_p_text(p, platform_name((enum platform)platform));
    else
        pg_p_null(p);
}

/* The four parameters item_days and item_gain_sum share. */
static void p_item_range(struct pg_params *p, int64_t item_id,
                         const char *metric, int32_t from, int32_t to)
{
    pg_p_init(p);
    pg_p_i64(p, item_id);
    pg_p_text(p, metric);
    pg_p_i64(p, from);
    pg_p_i64(p, to);
}

enum err pg_item_days(struct store *st, int64_t item_id, const char *metric,
                      int32_t from, int32_t to, struct store_day **out,
                      size_t *n)
{
    struct pg_params p;
    struct store_day *v = NULL;
    PGresult *r = NULL;
    enum err rc;
    int rows;

    *out = NULL;
    *n = 0;
    p_item_range(&p, item_id, metric, from, to);
    rc = run(st, &pg_rq_item_days, &p, &r);
    rows = rc == ERR_OK ? PQntuples(r) : 0;
    if (rows > 0)
        v = xcalloc((size_t)rows, sizeof *v);
    for (int i = 0; i < rows; i++) {
        v[i].day = (int32_t)pg_i64_or(r, i, 0, 0);
        v[i].first_v = pg_i64_or(r, i, 1, 0);
        v[i].last_v = pg_i64_or(r, i, 2, 0);
        v[i].has_gain = !pg_null(r, i, 3);
        v[i].gain = pg_i64_or(r, i, 3, 0);
    }
    PQclear(r);
    *out = v;
    *n = (size_t)rows;
    return rc;
}

enum err pg_item_gain_sum(struct store *st, int64_t item_id,
                          const char *metric, int32_t from, int32_t to,
                          int64_t *sum, bool *any)
{
    struct pg_params p;
    PGresult *r = NULL;
    enum err rc;

    *sum = 0;
    *any = false;
    p_item_range(&p, item_id, metric, from, to);
    rc = run(st, &pg_rq_gain_sum, &p, &r);
    if (rc == ERR_OK && PQntuples(r) == 1) {
        *sum = pg_i64_or(r, 0, 0, 0);
        *any = pg_i64_or(r, 0, 1, 0) > 0;
    }
    PQclear(r);
    return rc;
}

enum err pg_content_sums(struct store *st, int platform,
                         store_content_sum_fn fn, void *ud)
{
    static const char *const names[] = {M_VIEWS, M_LIKES, M_COMMENTS,
                                        M_SHARES, M_SAVES};
    struct pg_params p;
    PGresult *r = NULL;
    enum err rc;
    int rows;

    pg_p_init(&p);
    p_platform(&p, platform);
    for (int i = 0; i < 5; i++)
        pg_p_text(&p, names[i]);
    rc = run(st, &pg_rq_content_sums, &p, &r);
    rows = rc == ERR_OK ? PQntuples(r) : 0;
    for (int i = 0; i < rows && rc == ERR_OK; i++) {
        struct store_content_sum c = {0};
        if (platform_from_name(pg_text(r, i, 1), &c.platform) != ERR_OK)
            continue; /* a platform this build does not know */
        c.item_id = pg_i64_or(r, i, 0, 0);
        c.published_at = pg_i64_or(r, i, 2, TIME_NONE);
        c.views = pg_i64_or(r, i, 3, 0);
        c.interactions = pg_i64_or(r, i, 4, 0);
        c.has_first = !pg_null(r, i, 5);
        c.first_gain = pg_i64_or(r, i, 5, 0);
        c.account_id = pg_i64_or(r, i, 6, 0);
        rc = fn(ud, &c);
    }
    PQclear(r);
    return rc;
}

enum err pg_account_sums(struct store *st, int platform,
                         store_account_sum_fn fn, void *ud)
{
    struct pg_params p;
    PGresult *r = NULL;
    enum err rc;
    int rows;

    pg_p_init(&p);
    p_platform(&p, platform);
    pg_p_text(&p, M_FOLLOWERS);
    pg_p_text(&p, M_VIEWS);
    rc = run(st, &pg_rq_account_sums, &p, &r);
    rows = rc == ERR_OK ? PQntuples(r) : 0;
    for (int i = 0; i < rows && rc == ERR_OK; i++) {
        struct store_account_sum a = {0};
        if (platform_from_name(pg_text(r, i, 1), &a.platform) != ERR_OK)
            continue;
        a.account_id = pg_i64_or(r, i, 0, 0);
        a.has_followers = !pg_null(r, i, 2);
        a.followers = pg_i64_or(r, i, 2, 0);
        a.has_views = !pg_null(r, i, 3);
        a.views = pg_i64_or(r, i, 3, 0);
        rc = fn(ud, &a);
    }
    PQclear(r);
    return rc;
}

enum err pg_account_gains(struct store *st, const char *metric, int platform,
                          int32_t from, int32_t to, store_gain_fn fn,
                          void *ud)
{
    struct pg_params p;
    PGresult *r = NULL;
    enum platform pl;
    enum err rc;
    int rows;

    pg_p_init(&p);
    pg_p_text(&p, metric);
    pg_p_i64(&p, from);
    pg_p_i64(&p, to);
    p_platform(&p, platform);
    rc = run(st, &pg_rq_account_gains, &p, &r);
    rows = rc == ERR_OK ? PQntuples(r) : 0;
    for (int i = 0; i < rows && rc == ERR_OK; i++)
        if (platform_from_name(pg_text(r, i, 1), &pl) == ERR_OK)
            rc = fn(ud, pg_i64_or(r, i, 0, 0), pl,
                    (int32_t)pg_i64_or(r, i, 2, 0), pg_i64_or(r, i, 3, 0));
    PQclear(r);
    return rc;
}

/* The index of id in ids (ascending, n), or -1. */
static ptrdiff_t id_index(const int64_t *ids, size_t n, int64_t id)
{
    size_t lo = 0, hi = n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ids[mid] < id)
            lo = mid + 1;
        else if (ids[mid] > id)
            hi = mid;
        else
            return (ptrdiff_t)mid;
    }
    return -1;
}

static enum err content_ids(struct store *st, int platform, int64_t **ids,
                            size_t *n)
{
    struct pg_params p;
    PGresult *r = NULL;
    enum err rc;
    int rows;

    pg_p_init(&p);
    p_platform(&p, platform);
    rc = run(st, &pg_rq_content_ids, &p, &r);
    rows = rc == ERR_OK ? PQntuples(r) : 0;
    *ids = xcalloc((size_t)rows + 1, sizeof **ids);
    for (int i = 0; i < rows; i++)
        (*ids)[i] = pg_i64_or(r, i, 0, 0);
    *n = (size_t)rows;
    PQclear(r);
    return rc;
}

enum err pg_content_day_gains(struct store *st, const char *metric,
                              int platform, int32_t from, int32_t to,
                              store_content_ids_fn ids, store_day_gain_fn fn,
                              void *ud)
{
    struct pg_params p;
    PGresult *r = NULL;
    int64_t *id = NULL;
    size_t n = 0;
    enum err rc = content_ids(st, platform, &id, &n);
    int rows = 0;

    if (rc == ERR_OK)
        rc = ids(ud, id, n);
    if (rc == ERR_OK && n > 0 && to > from && strcmp(metric, M_VIEWS) == 0) {
        /* views: the few rows a day of views_day (PG migration 0012) */
        rc = pg_views_day_read(pg_of(st), from, to, id, n, fn, ud);
        free(id);
        return rc;
    }
    if (rc == ERR_OK && n > 0 && to > from) {
        pg_p_init(&p);
        pg_p_text(&p, metric);
        pg_p_i64(&p, from);
        pg_p_i64(&p, to);
        rc = run(st, &pg_rq_metric_range, &p, &r);
        rows = rc == ERR_OK ? PQntuples(r) : 0;
    }
    for (int i = 0; i < rows && rc == ERR_OK; i++) {
        ptrdiff_t k = id_index(id, n, pg_i64_or(r, i, 0, 0));
        if (k >= 0)
            rc = fn(ud, (size_t)k, (int32_t)pg_i64_or(r, i, 1, 0),
                    pg_i64_or(r, i, 2, 0));
    }
    PQclear(r);
    free(id);
    return rc;
}

enum err pg_values_at_age(struct store *st, const char *metric,
                          enum platform pl, int64_t exclude_id, int32_t age,
                          store_value_fn fn, void *ud)
{
    struct pg_params p;
    PGresult *r = NULL;
    enum err rc;
    int rows;

    pg_p_init(&p);
    pg_p_text(&p, metric);
    pg_p_text(&p, platform_name(pl));
    pg_p_i64(&p, exclude_id);
    pg_p_i64(&p, age);
    rc = run(st, &pg_rq_values_at_age, &p, &r);
    rows = rc == ERR_OK ? PQntuples(r) : 0;
    for (int i = 0; i < rows && rc == ERR_OK; i++)
        if (!pg_null(r, i, 0))
            rc = fn(ud, pg_i64_or(r, i, 0, 0));
    PQclear(r);
    return rc;
}

enum err pg_age_rows(struct store *st, const char *metric,
                     store_age_row_fn fn, void *ud)
{
    struct store_age_row row;
    struct pg_params p;
    PGresult *r = NULL;
    enum err rc;
    int rows;

    pg_p_init(&p);
    pg_p_text(&p, metric);
    rc = run(st, &pg_rq_age_rows, &p, &r);
    rows = rc == ERR_OK ? PQntuples(r) : 0;
    for (int i = 0; i < rows && rc == ERR_OK; i++) {
        if (platform_from_name(pg_text(r, i, 1), &row.platform) != ERR_OK)
            continue;
        row.item_id = pg_i64_or(r, i, 0, 0);
        row.own = pg_text(r, i, 2) != NULL &&
                  strcmp(pg_text(r, i, 2), "t") == 0;
        row.pub_day = (int32_t)pg_i64_or(r, i, 3, 0);
        row.day = (int32_t)pg_i64_or(r, i, 4, 0);
        row.last_v = pg_i64_or(r, i, 5, 0);
        rc = fn(ud, &row);
    }
    PQclear(r);
    return rc;
}
