/* The first-week rollup of the PostgreSQL backend (pg_first.h, item_first,
 * migration 0013), with the semantics of SQLite's (store_sqlite_first.c):
 * a row is what item_day says at commit for the item's publication day,
 * recomputed, never a running sum that could drift. */
#include "store/pg/pg_first.h"

#include "store/pg/pg_ops.h"
#include "store/pg/pg_rollup.h"

/* The known views gains of each item FROM_WHERE selects (aliased i) on
 * its first $1 rollup days, summed; items with none give no row. */
#define FIRST_SUMS(FROM_WHERE)                                                \
    "SELECT d.item_id AS id, sum(d.gain)::bigint AS v " FROM_WHERE            \
    " JOIN item_day d ON d.item_id = i.id AND d.metric_id = (SELECT id "      \
    "FROM metric WHERE name = $2) AND d.day >= i.pub_day AND "               \
    "d.day < i.pub_day + $1::integer AND d.gain IS NOT NULL "                 \
    "GROUP BY d.item_id"

/* The rows of the items $3 (repeats allowed): those with a sum written
 * (unchanged ones left alone), the others' deleted; the two sets are
 * apart, so the statement changes no row twice. */
PG_STMT(pg_first_some, 3,
        "WITH u AS (SELECT DISTINCT x AS id FROM unnest($3::bigint[]) x), "
        "g AS (" FIRST_SUMS("FROM u JOIN item i ON i.id = u.id") "), "
        "del AS (DELETE FROM item_first f USING u WHERE f.item_id = u.id "
        "AND NOT EXISTS (SELECT 1 FROM g WHERE g.id = u.id)) "
        "INSERT INTO item_first(item_id, views_gain) SELECT id, v FROM g "
        "ON CONFLICT (item_id) DO UPDATE SET views_gain = excluded.views_gain "
        "WHERE item_first.views_gain <> excluded.views_gain");
PG_STMT(pg_first_del_all, 0, "DELETE FROM item_first");
PG_STMT(pg_first_fill_all, 2,
        "INSERT INTO item_first(item_id, views_gain) SELECT id, v FROM "
        "(" FIRST_SUMS("FROM item i") ") g");

static void p_week(struct pg_params *p)
{
    pg_p_init(p);
    pg_p_i64(p, STORE_FIRST_DAYS);
    pg_p_text(p, M_VIEWS);
}

enum err pg_first_items(struct store_pg *s, const int64_t *ids, size_t n,
                        struct buf *err)
{
    struct pg_params p;
    struct buf a;
    enum err rc = ERR_OK;

    if (n == 0)
        return ERR_OK;
    buf_init(&a, (size_t)1 << 26);
    pg_arr_start(&a);
    for (size_t i = 0; i < n && rc == ERR_OK; i++)
        rc = pg_arr_i64(&a, ids[i]);
    if (rc == ERR_OK)
        rc = pg_arr_end(&a);
    if (rc != ERR_OK) {
        buf_setf(err, "updating the first week: too many items");
    } else {
        p_week(&p);
        pg_p_text(&p, buf_cstr(&a));
        rc =
            pg_run(s, &pg_first_some, &p, NULL, "updating the first week", err);
    }
    buf_free(&a);
    return rc;
}

enum err pg_first_all(struct store_pg *s, struct buf *err)
{
    struct pg_params p;
    enum err rc = pg_run(s, &pg_first_del_all, NULL, NULL,
                         "rebuilding the first week", err);

    p_week(&p);
    if (rc == ERR_OK)
        rc = pg_run(s, &pg_first_fill_all, &p, NULL,
                    "rebuilding the first week", err);
    return rc;
}
