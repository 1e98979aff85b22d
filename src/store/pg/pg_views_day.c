/* Views per day on PostgreSQL (PG migration 0012, pg_rollup.h): each
 * day's views gains of every item in rows of 256 item ids, kept from
 * item_day in the transaction that changes it, and the reader of
 * store_content_day_gains for views. */
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/model.h"
#include "store/pg/pg_ops.h"
#include "store/pg/pg_rollup.h"

#define VIEWS_ID "(SELECT id FROM metric WHERE name = '" M_VIEWS "')"
#define PAIR 9 /* bytes of one pair: the item id's low byte, the gain */

/* One pair of a gains column: the low byte of the item id (the chunk,
 * item_id >> 8, gives the rest), then the gain as int8 in network order
 * (t: the item_day row's alias). As 0012_views_day.sql writes them. */
#define PAIR_SQL(t)                                                           \
    "substring(int8send(" t ".item_id) FROM 8) || int8send(" t ".gain)"

/* Recompute the rows of views_day the items $1 may have changed from
 * their days $2 on. The keys (k): the days each has views rows now, and
 * every day its chunk had a row before (where its old rows were). Each
 * key's row recomputed from item_day (n): written when the chunk has a
 * known gain that day, deleted when it has none any more. */
PG_STMT(pg_vd_items, 2,
        "WITH u AS (SELECT * FROM unnest($1::bigint[], $2::integer[]) AS "
        "u(i, d0)), k AS (SELECT d.day, d.item_id >> 8 AS c FROM u "
        "JOIN item_day d ON d.item_id = u.i AND d.metric_id = " VIEWS_ID " AND "
        "d.day >= u.d0 UNION SELECT v.day, v.chunk FROM u JOIN views_day v ON "
        "v.chunk = u.i >> 8 AND v.day >= u.d0), "
        "n AS (SELECT k.day, k.c, (SELECT string_agg(" PAIR_SQL("x") ", "
        "''::bytea ORDER BY x.item_id) FROM item_day x "
        "WHERE x.metric_id = " VIEWS_ID " AND x.day = k.day AND "
        "x.item_id >= k.c << 8 AND x.item_id < (k.c + 1) << 8 AND "
        "x.gain IS NOT NULL) AS g FROM k), "
        "del AS (DELETE FROM views_day v USING n WHERE v.day = n.day AND "
        "v.chunk = n.c AND n.g IS NULL) "
        "INSERT INTO views_day(day, chunk, gains) SELECT day, c, g FROM n "
        "WHERE g IS NOT NULL ON CONFLICT (day, chunk) DO UPDATE SET "
        "gains = excluded.gains");
PG_STMT(pg_vd_clear, 0, "DELETE FROM views_day");
PG_STMT(pg_vd_fill, 0,
        "INSERT INTO views_day(day, chunk, gains) SELECT day, item_id >> 8, "
        "string_agg(" PAIR_SQL("item_day") ", ''::bytea ORDER BY item_id) "
        "FROM item_day WHERE metric_id = " VIEWS_ID " AND "
        "gain IS NOT NULL GROUP BY 1, 2");
/* Binary result: day as int4, chunk as int8, gains as bytes. */
PG_STMT(pg_vd_range, 2,
        "SELECT day, chunk, gains FROM views_day WHERE day >= $1::integer "
        "AND day < $2::integer ORDER BY day, chunk");

enum err pg_views_day_items(struct store_pg *s, const int64_t *ids,
                            const int32_t *d0, size_t n, struct buf *err)
{
    struct buf a[2];
    struct pg_params p;
    enum err rc = ERR_OK;

    if (n == 0)
        return ERR_OK;
    for (int c = 0; c < 2; c++) {
        buf_init(&a[c], (size_t)1 << 26);
        pg_arr_start(&a[c]);
    }
    for (size_t i = 0; i < n && rc == ERR_OK; i++) {
        rc = pg_arr_i64(&a[0], ids[i]);
        if (rc == ERR_OK)
            rc = pg_arr_i64(&a[1], d0 != NULL ? d0[i] : INT32_MIN);
    }
    for (int c = 0; c < 2 && rc == ERR_OK; c++)
        rc = pg_arr_end(&a[c]);
    if (rc != ERR_OK)
        buf_setf(err, "updating views per day: too many items in one batch");
    pg_p_init(&p);
    pg_p_text(&p, buf_cstr(&a[0]));
    pg_p_text(&p, buf_cstr(&a[1]));
    if (rc == ERR_OK)
        rc = pg_run(s, &pg_vd_items, &p, NULL, "updating views per day", err);
    for (int c = 0; c < 2; c++)
        buf_free(&a[c]);
    return rc;
}

enum err pg_views_day_all(struct store_pg *s, struct buf *err)
{
    enum err rc = pg_run(s, &pg_vd_clear, NULL, NULL,
                         "rebuilding views per day", err);
    if (rc == ERR_OK)
        rc = pg_run(s, &pg_vd_fill, NULL, NULL, "rebuilding views per day",
                    err);
    return rc;
}

static uint64_t be64(const unsigned char *p)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v = v << 8 | p[i];
    return v;
}

/* One row's pairs (of chunk) merged with ids (ascending, as the pairs
 * are within a day; *k carries the merge across a day's chunks). */
static enum err walk_row(const unsigned char *p, size_t len, int64_t chunk,
                         int32_t day, const int64_t *ids, size_t n,
                         size_t *k, store_day_gain_fn fn, void *ud)
{
    enum err rc = ERR_OK;

    if (len % PAIR != 0 || chunk < 0 || chunk > INT64_MAX >> 8)
        return ERR_DB; /* not what pg_views_day_* write */
    for (size_t off = 0; off < len && rc == ERR_OK; off += PAIR) {
        int64_t item = chunk << 8 | p[off];
        int64_t gain = (int64_t)be64(p + off + 1);
        while (*k < n && ids[*k] < item)
            (*k)++;
        if (*k == n)
            break;
        if (ids[*k] == item)
            rc = fn(ud, *k, day, gain);
    }
    return rc;
}

enum err pg_views_day_read(struct store_pg *s, int32_t from, int32_t to,
                           const int64_t *ids, size_t n,
                           store_day_gain_fn fn, void *ud)
{
    struct pg_params p;
    PGresult *r = NULL;
    enum err rc;
    int rows;
    int32_t cur = 0;
    size_t k = 0;

    pg_p_init(&p);
    pg_p_i64(&p, from);
    pg_p_i64(&p, to);
    rc = pg_run_binary(s, &pg_vd_range, &p, &r, "reading views per day",
                       NULL);
    rows = rc == ERR_OK ? PQntuples(r) : 0;
    if (rc == ERR_OK && PQnfields(r) != 3)
        rc = ERR_DB;
    for (int i = 0; i < rows && rc == ERR_OK; i++) {
        const unsigned char *d = (const unsigned char *)PQgetvalue(r, i, 0);
        int32_t day;
        if (PQgetisnull(r, i, 0) || PQgetlength(r, i, 0) != 4 ||
            PQgetisnull(r, i, 1) || PQgetlength(r, i, 1) != 8) {
            rc = ERR_DB;
            break;
        }
        day = (int32_t)((uint32_t)d[0] << 24 | (uint32_t)d[1] << 16 |
                        (uint32_t)d[2] << 8 | (uint32_t)d[3]);
        if (i == 0 || day != cur) {
            cur = day;
            k = 0;
        }
        rc = walk_row((const unsigned char *)PQgetvalue(r, i, 2),
                      (size_t)PQgetlength(r, i, 2),
                      (int64_t)be64((const unsigned char *)PQgetvalue(r, i, 1)),
                      day, ids, n, &k, fn, ud);
    }
    PQclear(r);
    return rc;
}
