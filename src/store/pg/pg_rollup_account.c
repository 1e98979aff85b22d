/* Per-account reads of the rollups on PostgreSQL (pgroll): the
 * comparison of accounts (store_account_compare, as SQLite's in
 * store_sqlite_remove.c) and one account's rollup day
 * (store_account_day_get, as store_sqlite_docs.c's). Same rows, same
 * order; text sorts under COLLATE "C". */
#include <stdlib.h>
#include <string.h>

#include "store/pg/pg_ops.h"

#define M_ID(name) "(SELECT id FROM metric WHERE name = '" name "')"

PG_STMT(pg_ra_compare, 2,
    "SELECT a.id, a.platform, a.ext_id, a.handle, a.title, a.role, "
    "(SELECT l.ival FROM item_latest l WHERE l.item_id = a.id AND "
    "l.metric_id = " M_ID("followers") "), "
    "(SELECT d.last_v FROM item_day d WHERE d.item_id = a.id AND "
    "d.metric_id = " M_ID("followers") " AND d.day < $2::integer "
    "ORDER BY d.day DESC LIMIT 1), "
    "coalesce((SELECT d.last_v FROM item_day d WHERE d.item_id = a.id AND "
    "d.metric_id = " M_ID("followers") " AND d.day < $1::integer "
    "ORDER BY d.day DESC LIMIT 1), (SELECT d.first_v FROM item_day d "
    "WHERE d.item_id = a.id AND d.metric_id = " M_ID("followers") " AND "
    "d.day >= $1 AND d.day < $2 ORDER BY d.day LIMIT 1)), "
    "(SELECT count(*) FROM item c WHERE c.account_id = a.id), "
    "(SELECT count(DISTINCT c.id) FROM item c JOIN item_day d ON "
    "d.item_id = c.id WHERE c.account_id = a.id AND d.metric_id = "
    M_ID("views") " AND d.day >= $1 AND d.day < $2 AND "
    "d.gain IS NOT NULL), "
    "(SELECT coalesce(sum(g.gain), 0) FROM account_day g WHERE "
    "g.account_id = a.id AND g.metric_id = " M_ID("views") " AND "
    "g.day >= $1 AND g.day < $2), "
    "(SELECT min(d.first_at) < max(d.last_at) AND max(d.day) >= $1 FROM "
    "item_day d WHERE d.item_id = a.id AND d.metric_id = "
    M_ID("followers") " AND d.day < $2) "
    "FROM item a WHERE a.type = 'account' ORDER BY a.role = 'tracked', "
    "a.platform COLLATE \"C\", a.ext_id COLLATE \"C\"");

/* $1 account, $2 day. */
PG_STMT(pg_ra_day_followers, 2,
        "SELECT d.last_v, d.gain FROM item_day d JOIN metric m ON m.id = "
        "d.metric_id WHERE m.name = 'followers' AND d.item_id = $1 AND "
        "d.day = $2");
PG_STMT(pg_ra_day_views, 2,
        "SELECT a.gain FROM account_day a JOIN metric m ON m.id = "
        "a.metric_id WHERE m.name = 'views' AND a.account_id = $1 AND "
        "a.day = $2");
PG_STMT(pg_ra_day_top, 2,
        "SELECT d.item_id, d.gain, count(*) OVER () FROM item c JOIN "
        "item_day d ON d.item_id = c.id JOIN metric m ON m.id = d.metric_id "
        "WHERE m.name = 'views' AND c.account_id = $1 AND d.day = $2 AND "
        "d.gain IS NOT NULL ORDER BY d.gain DESC, d.item_id LIMIT 1");

static bool is_true(const PGresult *r, int i, int c)
{
    const char *v = pg_text(r, i, c);
    return v != NULL && strcmp(v, "t") == 0;
}

/* false for a platform this build does not know (the row is skipped). */
static bool cmp_from_row(const PGresult *r, int i, struct store_account_cmp *c)
{
    memset(c, 0, sizeof *c);
    c->id = pg_i64_or(r, i, 0, 0);
    if (platform_from_name(pg_text(r, i, 1), &c->platform) != ERR_OK)
        return false;
    c->ext_id = pg_text(r, i, 2);
    c->handle = pg_text(r, i, 3);
    c->title = pg_text(r, i, 4);
    c->tracked = pg_text(r, i, 5) != NULL &&
                 strcmp(pg_text(r, i, 5), "tracked") == 0;
    c->has_followers = !pg_null(r, i, 6);
    c->followers = pg_i64_or(r, i, 6, 0);
    /* Growth needs two observations up to the end, one in the range. */
    c->has_growth = !pg_null(r, i, 7) && !pg_null(r, i, 8) &&
                    is_true(r, i, 12);
    c->followers_growth = pg_i64_or(r, i, 7, 0) - pg_i64_or(r, i, 8, 0);
    c->content = pg_i64_or(r, i, 9, 0);
    c->active = pg_i64_or(r, i, 10, 0);
    c->views = pg_i64_or(r, i, 11, 0);
    return true;
}

enum err pg_account_compare(struct store *st, int32_t from, int32_t to,
                            store_account_cmp_fn fn, void *ud)
{
    struct store_account_cmp c;
    struct pg_params p;
    PGresult *r = NULL;
    enum err rc;
    int rows;

    pg_p_init(&p);
    pg_p_i64(&p, from);
    pg_p_i64(&p, to);
    rc = pg_run(pg_of(st), &pg_ra_compare, &p, &r, "comparing accounts",
                NULL);
    rows = rc == ERR_OK ? PQntuples(r) : 0;
    for (int i = 0; i < rows && rc == ERR_OK; i++)
        if (cmp_from_row(r, i, &c))
            rc = fn(ud, &c);
    PQclear(r);
    return rc;
}

/* Run q for (account, day); *r its rows (at most one is read). */
static enum err day_read(struct store *st, const struct pg_stmt *q,
                         int64_t account_id, int32_t day, PGresult **r)
{
    struct pg_params p;

    pg_p_init(&p);
    pg_p_i64(&p, account_id);
    pg_p_i64(&p, day);
    *r = NULL;
    return pg_run(pg_of(st), q, &p, r, "reading an account's day", NULL);
}

enum err pg_account_day_get(struct store *st, int64_t account_id,
                            int32_t day, struct store_account_day *out)
{
    PGresult *r = NULL;
    enum err rc;

    memset(out, 0, sizeof *out);
    rc = day_read(st, &pg_ra_day_followers, account_id, day, &r);
    if (rc == ERR_OK && PQntuples(r) > 0) {
        out->has_followers = true;
        out->followers = pg_i64_or(r, 0, 0, 0);
        out->has_followers_gain = !pg_null(r, 0, 1);
        out->followers_gain = pg_i64_or(r, 0, 1, 0);
    }
    PQclear(r);
    if (rc == ERR_OK)
        rc = day_read(st, &pg_ra_day_views, account_id, day, &r);
    if (rc == ERR_OK && PQntuples(r) > 0) {
        out->has_views = true;
        out->views = pg_i64_or(r, 0, 0, 0);
    }
    PQclear(r);
    if (rc == ERR_OK)
        rc = day_read(st, &pg_ra_day_top, account_id, day, &r);
    if (rc == ERR_OK && PQntuples(r) > 0) {
        out->top_item_id = pg_i64_or(r, 0, 0, 0);
        out->top_gain = pg_i64_or(r, 0, 1, 0);
        out->content_active = pg_i64_or(r, 0, 2, 0);
    }
    PQclear(r);
    return rc;
}
