/* The collector's state on PostgreSQL (PostgreSQL migration 0005): job
 * state, the quota ledger, the per-item schedule, API usage and items
 * gone from their platform, with the contracts of store.h's functions of
 * the same names and the answers of store_sqlite_collect.c and
 * store_sqlite_items.c (listings in byte order, COLLATE "C"). */
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/timeutil.h"
#include "store/pg/pg_ops.h"

#define JOB_COLS                                                              \
    "SELECT platform, account, kind, last_fetch, next_due, failures, "        \
    "last_status, last_error FROM collect_job "
PG_STMT(pg_col_job_get, 3,
        JOB_COLS "WHERE platform = $1 AND account = $2 AND kind = $3");
PG_STMT(pg_col_job_list, 0,
        JOB_COLS "ORDER BY platform COLLATE \"C\", account COLLATE \"C\", "
                 "kind COLLATE \"C\"");
PG_STMT(pg_col_job_put, 8,
        "INSERT INTO collect_job(platform, account, kind, last_fetch, "
        "next_due, failures, last_status, last_error) VALUES ($1, $2, $3, "
        "$4, $5, $6, $7, $8) ON CONFLICT (platform, account, kind) DO UPDATE "
        "SET last_fetch = excluded.last_fetch, next_due = excluded.next_due, "
        "failures = excluded.failures, last_status = excluded.last_status, "
        "last_error = excluded.last_error");
PG_STMT(pg_col_quota_get, 2,
        "SELECT units FROM quota_ledger WHERE platform = $1 AND "
        "day_start = $2");
PG_STMT(pg_col_quota_add, 3,
        "INSERT INTO quota_ledger(platform, day_start, units) VALUES ($1, "
        "$2, $3) ON CONFLICT (platform, day_start) DO UPDATE SET units = "
        "quota_ledger.units + excluded.units");
PG_STMT(pg_col_sched_put, 7,
        "INSERT INTO collect_item(platform, account, item_id, kind, "
        "published_at, last_fetch, next_due) VALUES ($1, $2, $3, $4, $5, $6, "
        "$7) ON CONFLICT (platform, account, item_id) DO UPDATE SET kind = "
        "excluded.kind, published_at = excluded.published_at, last_fetch = "
        "excluded.last_fetch, next_due = excluded.next_due");
PG_STMT(pg_col_sched_has, 3,
        "SELECT 1 FROM collect_item WHERE platform = $1 AND account = $2 AND "
        "item_id = $3");
PG_STMT(pg_col_sched_due, 4,
        "SELECT item_id, kind, published_at, last_fetch, next_due FROM "
        "collect_item WHERE platform = $1 AND account = $2 AND next_due <= $3 "
        "ORDER BY next_due, item_id COLLATE \"C\" LIMIT $4");
PG_STMT(pg_col_sched_stats, 2,
        "SELECT count(*), min(next_due) FROM collect_item WHERE ($1::text IS "
        "NULL OR platform = $1) AND ($2::text IS NULL OR account = $2)");
PG_STMT(pg_col_usage_put, 4,
        "INSERT INTO api_usage(platform, account, pct, observed_at) VALUES "
        "($1, $2, $3, $4) ON CONFLICT (platform, account) DO UPDATE SET "
        "pct = excluded.pct, observed_at = excluded.observed_at");
PG_STMT(pg_col_usage_get, 2,
        "SELECT pct, observed_at FROM api_usage WHERE platform = $1 AND "
        "account = $2");
/* The latest snapshot: the last entry of snapshot's (item_id,
 * observed_at) key. */
PG_STMT(pg_col_removed, 2,
        "UPDATE item SET removed_last_seen = coalesce((SELECT "
        "max(s.observed_at) FROM snapshot s WHERE s.item_id = item.id), "
        "first_seen) WHERE platform = $1 AND type = 'content' AND "
        "ext_id = $2 AND removed_last_seen IS NULL");
PG_STMT(pg_col_back, 2,
        "UPDATE item SET removed_last_seen = NULL WHERE platform = $1 AND "
        "type = 'content' AND ext_id = $2 AND removed_last_seen IS NOT NULL");

/* p's name and account (may be NULL) as $1 and $2. */
static void pa(struct pg_params *p, enum platform pl, const char *account)
{
    pg_p_init(p);
    pg_p_text(p, platform_name(pl));
    pg_p_text(p, account);
}

static void p_time(struct pg_params *p, int64_t t)
{
    if (t == TIME_NONE)
        pg_p_null(p);
    else
        pg_p_i64(p, t);
}

/* Run st: ERR_OK or ERR_DB (these functions' contract has no message). */
static enum err run(struct store *st, const struct pg_stmt *stmt,
                    const struct pg_params *p, PGresult **r)
{
    return pg_run(pg_of(st), stmt, p, r, "collector state", NULL) == ERR_OK
               ? ERR_OK
               : ERR_DB;
}

static enum err row_to_job(const PGresult *r, int i, struct store_job *out)
{
    const char *pl = pg_text(r, i, 0), *acct = pg_text(r, i, 1);
    const char *kind = pg_text(r, i, 2), *status = pg_text(r, i, 6);
    const char *le = pg_text(r, i, 7);

    *out = (struct store_job){0};
    if (pl == NULL || acct == NULL || kind == NULL || status == NULL ||
        platform_from_name(pl, &out->platform) != ERR_OK ||
        pg_i64(r, i, 4, &out->next_due) != ERR_OK ||
        pg_i64(r, i, 5, &out->failures) != ERR_OK)
        return ERR_DB;
    out->kind = strcmp(kind, "content") == 0 ? JOB_CONTENT : JOB_ACCOUNT;
    out->last_fetch = pg_i64_or(r, i, 3, TIME_NONE);
    out->status = JOB_FAILED;
    for (int k = 0; k < JOB_STATUS_COUNT; k++)
        if (strcmp(status, job_status_name((enum job_status)k)) == 0)
            out->status = (enum job_status)k;
    out->account = xstrdup(acct);
    out->last_error = le != NULL ? xstrdup(le) : NULL;
    return ERR_OK;
}

enum err pg_job_get(struct store *st, enum platform p, const char *account,
                    enum job_kind kind, struct store_job *out)
{
    struct pg_params pp;
    PGresult *r = NULL;
    enum err rc;

    *out = (struct store_job){0};
    pa(&pp, p, account);
    pg_p_text(&pp, job_kind_name(kind));
    rc = run(st, &pg_col_job_get, &pp, &r);
    if (rc == ERR_OK)
        rc = PQntuples(r) == 0 ? ERR_NOTFOUND : row_to_job(r, 0, out);
    PQclear(r);
    return rc;
}

enum err pg_job_put(struct store *st, const struct store_job *j)
{
    struct pg_params p;

    pa(&p, j->platform, j->account);
    pg_p_text(&p, job_kind_name(j->kind));
    p_time(&p, j->last_fetch);
    pg_p_i64(&p, j->next_due);
    pg_p_i64(&p, j->failures);
    pg_p_text(&p, job_status_name(j->status));
    pg_p_text(&p, j->last_error);
    return run(st, &pg_col_job_put, &p, NULL);
}

enum err pg_job_list(struct store *st, store_job_fn fn, void *ud)
{
    PGresult *r = NULL;
    struct store_job j;
    enum err rc = run(st, &pg_col_job_list, NULL, &r);

    for (int i = 0; rc == ERR_OK && i < PQntuples(r); i++) {
        rc = row_to_job(r, i, &j);
        if (rc == ERR_OK)
            rc = fn(ud, &j);
        store_job_free(&j);
    }
    PQclear(r);
    return rc;
}

enum err pg_quota_get(struct store *st, enum platform p, int64_t day_start,
                      int64_t *out)
{
    struct pg_params pp;
    PGresult *r = NULL;
    enum err rc;

    *out = 0;
    pg_p_init(&pp);
    pg_p_text(&pp, platform_name(p));
    pg_p_i64(&pp, day_start);
    rc = run(st, &pg_col_quota_get, &pp, &r);
    if (rc == ERR_OK && PQntuples(r) > 0)
        rc = pg_i64(r, 0, 0, out) == ERR_OK ? ERR_OK : ERR_DB;
    PQclear(r);
    return rc;
}

enum err pg_quota_add(struct store *st, enum platform p, int64_t day_start,
                      int64_t units)
{
    struct pg_params pp;

    if (units < 0)
        return ERR_INVALID;
    pg_p_init(&pp);
    pg_p_text(&pp, platform_name(p));
    pg_p_i64(&pp, day_start);
    pg_p_i64(&pp, units);
    return run(st, &pg_col_quota_add, &pp, NULL);
}

enum err pg_item_sched_put(struct store *st, const struct store_item_sched *s)
{
    struct pg_params p;

    pa(&p, s->platform, s->account);
    pg_p_text(&p, s->item_id);
    pg_p_text(&p, s->kind != NULL ? s->kind : "");
    p_time(&p, s->published_at);
    p_time(&p, s->last_fetch);
    pg_p_i64(&p, s->next_due);
    return run(st, &pg_col_sched_put, &p, NULL);
}

enum err pg_item_sched_has(struct store *st, enum platform p,
                           const char *account, const char *item_id,
                           bool *out)
{
    struct pg_params pp;
    PGresult *r = NULL;
    enum err rc;

    *out = false;
    pa(&pp, p, account);
    pg_p_text(&pp, item_id);
    rc = run(st, &pg_col_sched_has, &pp, &r);
    *out = rc == ERR_OK && PQntuples(r) > 0;
    PQclear(r);
    return rc;
}

enum err pg_item_sched_due(struct store *st, enum platform p,
                           const char *account, int64_t now, size_t limit,
                           store_item_sched_fn fn, void *ud)
{
    struct store_item_sched s = {.platform = p, .account = account};
    struct pg_params pp;
    PGresult *r = NULL;
    enum err rc;

    pa(&pp, p, account);
    pg_p_i64(&pp, now);
    pg_p_i64(&pp, limit > INT64_MAX ? INT64_MAX : (int64_t)limit);
    rc = run(st, &pg_col_sched_due, &pp, &r);
    for (int i = 0; rc == ERR_OK && i < PQntuples(r); i++) {
        s.item_id = pg_text(r, i, 0);
        s.kind = pg_text(r, i, 1);
        s.published_at = pg_i64_or(r, i, 2, TIME_NONE);
        s.last_fetch = pg_i64_or(r, i, 3, TIME_NONE);
        if (s.item_id == NULL || s.kind == NULL ||
            pg_i64(r, i, 4, &s.next_due) != ERR_OK)
            rc = ERR_DB;
        else
            rc = fn(ud, &s);
    }
    PQclear(r);
    return rc;
}

enum err pg_item_sched_stats(struct store *st, int platform,
                             const char *account, int64_t *count,
                             int64_t *soonest)
{
    struct pg_params p;
    PGresult *r = NULL;
    enum err rc;

    *count = 0;
    *soonest = INT64_MAX;
    pg_p_init(&p);
    pg_p_text(&p, platform < 0 || platform >= PLATFORM_COUNT
                      ? NULL
                      : platform_name((enum platform)platform));
    pg_p_text(&p, account);
    rc = run(st, &pg_col_sched_stats, &p, &r);
    if (rc == ERR_OK && (PQntuples(r) != 1 || pg_i64(r, 0, 0, count) != ERR_OK))
        rc = ERR_DB;
    if (rc == ERR_OK)
        *soonest = pg_i64_or(r, 0, 1, INT64_MAX);
    PQclear(r);
    return rc;
}

enum err pg_usage_put(struct store *st, enum platform p, const char *account,
                      int pct, int64_t at)
{
    struct pg_params pp;

    if (pct < 0)
        return ERR_INVALID;
    pa(&pp, p, account);
    pg_p_i64(&pp, pct);
    pg_p_i64(&pp, at);
    return run(st, &pg_col_usage_put, &pp, NULL);
}

enum err pg_usage_get(struct store *st, enum platform p, const char *account,
                      int *pct, int64_t *at)
{
    struct pg_params pp;
    PGresult *r = NULL;
    int64_t v = 0;
    enum err rc;

    pa(&pp, p, account);
    rc = run(st, &pg_col_usage_get, &pp, &r);
    if (rc == ERR_OK && PQntuples(r) == 0)
        rc = ERR_NOTFOUND;
    else if (rc == ERR_OK && (pg_i64(r, 0, 0, &v) != ERR_OK || v > INT32_MAX ||
                              pg_i64(r, 0, 1, at) != ERR_OK))
        rc = ERR_DB;
    if (rc == ERR_OK)
        *pct = (int)v;
    PQclear(r);
    return rc;
}

enum err pg_item_set_removed(struct store *st, enum platform p,
                             const char *ext_id, bool removed)
{
    struct pg_params pp;

    pa(&pp, p, ext_id);
    return run(st, removed ? &pg_col_removed : &pg_col_back, &pp, NULL);
}
