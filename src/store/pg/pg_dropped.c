/* The collector's memory of refused metrics on PostgreSQL (PostgreSQL
 * migration 0006; SQLite: migration 0033, store_sqlite_items.c), with the
 * contract of store.h's store_dropped_metric_add and _list: listings in
 * byte order (COLLATE "C"), errors ERR_DB (no message buffer). */
#include "store/pg/pg_ops.h"

PG_STMT(pg_drop_add, 5,
        "INSERT INTO dropped_metric(platform, account, kind, metric, "
        "dropped_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (platform, "
        "account, kind, metric) DO UPDATE SET dropped_at = "
        "excluded.dropped_at");
PG_STMT(pg_drop_list, 3,
        "SELECT kind, metric FROM dropped_metric WHERE platform = $1 AND "
        "account = $2 AND dropped_at >= $3 ORDER BY kind COLLATE \"C\", "
        "metric COLLATE \"C\"");

enum err pg_dropped_metric_add(struct store *st, enum platform p,
                               const char *account, const char *kind,
                               const char *metric, int64_t at)
{
    struct pg_params pp;

    if ((unsigned)p >= PLATFORM_COUNT)
        return ERR_INVALID;
    pg_p_init(&pp);
    pg_p_text(&pp, platform_name(p));
    pg_p_text(&pp, account);
    pg_p_text(&pp, kind);
    pg_p_text(&pp, metric);
    pg_p_i64(&pp, at);
    return pg_run(pg_of(st), &pg_drop_add, &pp, NULL,
                  "remembering a dropped metric", NULL) == ERR_OK
               ? ERR_OK
               : ERR_DB;
}

enum err pg_dropped_metric_list(struct store *st, enum platform p,
                                const char *account, int64_t since,
                                store_dropped_metric_fn fn, void *ud)
{
    struct pg_params pp;
    PGresult *r = NULL;
    enum err rc;

    if ((unsigned)p >= PLATFORM_COUNT)
        return ERR_INVALID;
    pg_p_init(&pp);
    pg_p_text(&pp, platform_name(p));
    pg_p_text(&pp, account);
    pg_p_i64(&pp, since);
    if (pg_run(pg_of(st), &pg_drop_list, &pp, &r, "listing dropped metrics",
               NULL) != ERR_OK) {
        PQclear(r);
        return ERR_DB;
    }
    rc = ERR_OK;
    for (int i = 0; rc == ERR_OK && i < PQntuples(r); i++) {
        const char *kind = pg_text(r, i, 0), *metric = pg_text(r, i, 1);
        rc = kind != NULL && metric != NULL ? fn(ud, kind, metric) : ERR_DB;
    }
    PQclear(r);
    return rc;
}
