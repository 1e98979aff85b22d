/* The daily rollups of the PostgreSQL backend (pg_rollup.h): item_day
 * and account_day kept at ingest by recomputing each touched item's days
 * from its earliest new value on with the backend-neutral walk
 * (store_rollup_walk.c), in the batch's transaction; a rebuild does the
 * same for every item from its first day, and a zone change is a rebuild
 * under the new zone. A rollup row is always what the raw values say at
 * commit, never a running sum that could drift; account_day is the sum
 * of its content's gains (an item's old gains are taken out before its
 * new ones go in). */
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/timeutil.h"
#include "store/pg/pg_first.h"
#include "store/pg/pg_ops.h"
#include "store/pg/pg_rollup.h"
#include "store/store_rollup_walk.h"

/* Bound of one statement's arrays (a rebuild's pub_day chunks). */
#define PUBDAY_CHUNK 5000

PG_STMT(pg_ru_lock, 0, "SELECT pg_advisory_xact_lock(" PG_INGEST_LOCK ")");
/* An item's inputs in one read: its owner (kind 0: account id, publication
 * time), the last value of the latest day before $2 per metric (kind 1:
 * metric, -, value) and its integer values from $3 on (kind 2: metric,
 * time, value), in kind, time, metric order. */
PG_STMT(pg_ru_inputs, 3,
        "SELECT 0, coalesce(account_id, 0), published_at, 0 FROM item "
        "WHERE id = $1 UNION ALL "
        "SELECT 1, metric_id, 0, last_v FROM (SELECT DISTINCT ON (metric_id) "
        "metric_id, last_v FROM item_day WHERE item_id = $1 AND day < $2 "
        "ORDER BY metric_id, day DESC) p UNION ALL "
        "SELECT 2, v.metric_id, s.observed_at, v.ival FROM snapshot s "
        "JOIN snapshot_value v ON v.snapshot_id = s.id WHERE s.item_id = $1 "
        "AND s.observed_at >= $3 AND v.ival IS NOT NULL ORDER BY 1, 3, 2");
/* Take the item's days from $2 on out, and their gains out of its
 * account's ($3, 0: none). */
PG_STMT(pg_ru_forget, 3,
        "WITH old AS (DELETE FROM item_day WHERE item_id = $1 AND day >= $2 "
        "RETURNING metric_id, day, gain) UPDATE account_day a "
        "SET gain = a.gain - o.gain FROM old o WHERE $3::bigint <> 0 AND "
        "a.account_id = $3 AND a.metric_id = o.metric_id AND a.day = o.day "
        "AND o.gain IS NOT NULL");
/* Put the item's new day rows in, and their gains into its account's
 * ($9, 0: none). */
PG_STMT(pg_ru_put, 9,
        "WITH ins AS (INSERT INTO item_day(item_id, metric_id, day, "
        "first_at, first_v, last_at, last_v, gain) SELECT $1, u.* FROM "
        "unnest($2::bigint[], $3::integer[], $4::bigint[], $5::bigint[], "
        "$6::bigint[], $7::bigint[], $8::bigint[]) AS u "
        "RETURNING metric_id, day, gain) "
        "INSERT INTO account_day(account_id, metric_id, day, gain) "
        "SELECT $9, metric_id, day, gain FROM ins WHERE $9::bigint <> 0 AND "
        "gain <> 0 ON CONFLICT (account_id, metric_id, day) "
        "DO UPDATE SET gain = account_day.gain + excluded.gain");
/* The inputs of pg_ru_inputs for many items at once ($1 the items in
 * ascending order, $2 each one's d0, $3 the time of its earliest new
 * value, on day d0), each row led by its item, in item, kind, time,
 * metric order. Kind 2 holds the raw values from $3 on and, for the
 * values of day d0 before $3, only what its item_day rows kept of them:
 * the first and the last (a day row depends on nothing else, so the walk
 * makes the same rows from them). An hourly round reads the new
 * snapshot and two values per metric, not every snapshot of the day. A
 * metric's last value before d0 is one backward probe of
 * item_day_by_item per metric the item has
 * (item_latest holds a row for every metric it ever had a value of, so
 * for every metric of its item_day rows); a DISTINCT ON over the item's
 * days read every day of its history, and the dead versions of each
 * day's rows rewritten hour after hour, in every batch. An item's
 * values from t0 on: its snapshots by their key's range, then each
 * one's values by key, both LATERAL (OFFSET 0 keeps the planner from
 * pulling them up into joins). As joins, on the statistics of a table
 * that had just grown (the ingest benchmark, a first big import), the
 * planner hashed all of snapshot_value once per item: 331 ms for a
 * batch of 50 items at 43,183 values, where this plan takes 1 to 10. */
PG_STMT(pg_ru_inputs_many, 3,
        "WITH u AS (SELECT * FROM unnest($1::bigint[], $2::integer[], "
        "$3::bigint[]) AS u(i, d, t)) "
        "SELECT u.i, 0, coalesce(it.account_id, 0), it.published_at, 0 "
        "FROM u JOIN item it ON it.id = u.i UNION ALL "
        "SELECT u.i, 1, l.metric_id, 0, p.last_v FROM u JOIN item_latest l "
        "ON l.item_id = u.i CROSS JOIN LATERAL (SELECT last_v FROM item_day "
        "WHERE item_id = u.i AND metric_id = l.metric_id AND day < u.d "
        "ORDER BY day DESC LIMIT 1) p "
        "UNION ALL SELECT u.i, 2, v.metric_id, s.observed_at, v.ival FROM u "
        "CROSS JOIN LATERAL (SELECT id, observed_at FROM snapshot WHERE "
        "item_id = u.i AND observed_at >= u.t OFFSET 0) s "
        "CROSS JOIN LATERAL (SELECT metric_id, ival FROM snapshot_value "
        "WHERE snapshot_id = s.id AND ival IS NOT NULL OFFSET 0) v "
        "UNION ALL SELECT u.i, 2, l.metric_id, f.t, f.v FROM u "
        "JOIN item_latest l ON l.item_id = u.i CROSS JOIN LATERAL (SELECT "
        "first_at, first_v, last_at, last_v FROM item_day WHERE item_id = u.i "
        "AND metric_id = l.metric_id AND day = u.d) x CROSS JOIN LATERAL "
        "(VALUES (x.first_at, x.first_v), (x.last_at, x.last_v)) f(t, v) "
        "WHERE f.t < u.t "
        "ORDER BY 1, 2, 4, 3");
/* pg_ru_forget for many items ($1, each one's d0 in $2), but the rows
 * stay: the gains of their days from d0 on are taken out of each
 * account's days, summed over its items first (an UPDATE changes a row
 * once); pg_ru_put_many then writes the new rows over the old. A row of
 * the item's days is found per metric the item has (item_latest), by
 * the range of item_day_by_item, not among all of its history. */
PG_STMT(pg_ru_forget_many, 2,
        "WITH u AS (SELECT * FROM unnest($1::bigint[], $2::integer[]) AS "
        "u(i, d)), g AS (SELECT it.account_id AS a, x.metric_id, x.day, "
        "sum(x.gain)::bigint AS gain FROM u JOIN item it ON it.id = u.i "
        "JOIN item_latest l ON l.item_id = u.i JOIN item_day x ON "
        "x.item_id = u.i AND x.metric_id = l.metric_id AND x.day >= u.d "
        "WHERE it.account_id IS NOT NULL AND x.gain IS NOT NULL "
        "GROUP BY 1, 2, 3) "
        "UPDATE account_day a SET gain = a.gain - g.gain FROM g WHERE "
        "a.account_id = g.a AND a.metric_id = g.metric_id AND a.day = g.day");
/* pg_ru_put for many items: the new day rows ($1..$8 per row) of the
 * items $9 from their days $10 on. A row already there is updated in
 * place only when it changed (an hour's round changes today's rows and
 * leaves the rest), so the key columns stay and PostgreSQL can update
 * it on its page without new index entries (a HOT update; item_day
 * leaves room for them, migration 0014); an old row the walk no longer
 * makes goes. Deleting and inserting every row from d0 on, as before,
 * left a dead version and two index entries per row and round: an hour
 * of collection later the probes of the next round read through 24 of
 * them per key (90 buffers an item for a day's rows). An account's day
 * gets the sum of its items' non-zero new gains (a row is made when one
 * of them is not zero, as one item at a time would); pg_ru_forget_many
 * took the old ones out. The rows to delete are found by index probes
 * per item and metric and deleted by their ctid: as a join, the generic
 * plan of this prepared statement hashed a scan of all of item_day
 * (10.9 ms a batch of 50 items at 11,627 snapshots, growing). */
PG_STMT(pg_ru_put_many, 10,
        "WITH n AS (SELECT * FROM unnest($1::bigint[], $2::bigint[], "
        "$3::integer[], $4::bigint[], $5::bigint[], $6::bigint[], "
        "$7::bigint[], $8::bigint[]) AS n(item_id, metric_id, day, first_at, "
        "first_v, last_at, last_v, gain)), "
        "u AS (SELECT * FROM unnest($9::bigint[], $10::integer[]) AS u(i, d)), "
        "del AS (DELETE FROM item_day WHERE ctid = ANY (ARRAY(SELECT k.ctid "
        "FROM u JOIN item_latest l ON l.item_id = u.i CROSS JOIN LATERAL "
        "(SELECT ctid, metric_id, day FROM item_day WHERE item_id = u.i AND "
        "metric_id = l.metric_id AND day >= u.d OFFSET 0) k WHERE NOT EXISTS "
        "(SELECT 1 FROM n WHERE n.item_id = u.i AND n.metric_id = k.metric_id "
        "AND n.day = k.day)))), "
        "up AS (INSERT INTO item_day(item_id, metric_id, day, first_at, "
        "first_v, last_at, last_v, gain) SELECT * FROM n ON CONFLICT "
        "(metric_id, day, item_id) DO UPDATE SET first_at = excluded.first_at, "
        "first_v = excluded.first_v, last_at = excluded.last_at, "
        "last_v = excluded.last_v, gain = excluded.gain WHERE "
        "(item_day.first_at, item_day.first_v, item_day.last_at, "
        "item_day.last_v, item_day.gain) IS DISTINCT FROM (excluded.first_at, "
        "excluded.first_v, excluded.last_at, excluded.last_v, excluded.gain)) "
        "INSERT INTO account_day(account_id, metric_id, day, gain) "
        "SELECT it.account_id, n.metric_id, n.day, sum(n.gain)::bigint "
        "FROM n JOIN item it ON it.id = n.item_id WHERE "
        "it.account_id IS NOT NULL AND n.gain <> 0 GROUP BY 1, 2, 3 "
        "ON CONFLICT (account_id, metric_id, day) "
        "DO UPDATE SET gain = account_day.gain + excluded.gain");
/* The items whose pub_day changed come back (their first week moved). */
PG_STMT(pg_ru_pubday, 2,
        "UPDATE item SET pub_day = u.d FROM unnest($1::bigint[], "
        "$2::integer[]) AS u(id, d) WHERE item.id = u.id AND "
        "item.pub_day IS DISTINCT FROM u.d RETURNING item.id");
PG_STMT(pg_ru_pub_all, 0,
        "SELECT id, published_at FROM item WHERE published_at IS NOT NULL "
        "ORDER BY id");
PG_STMT(pg_ru_items, 0,
        "SELECT DISTINCT item_id FROM snapshot ORDER BY item_id");
PG_STMT(pg_ru_gen_bump, 0,
        "UPDATE mediadash_setting SET value = (value::bigint + 1)::text "
        "WHERE key = 'generation'");
PG_STMT(pg_ru_zone_set, 1,
        "UPDATE mediadash_setting SET value = $1 WHERE key = 'rollup_zone'");

void pg_touched_add(struct pg_touched *tt, int64_t item, int64_t t,
                    int64_t published_at)
{
    tt->v = xgrow(tt->v, &tt->cap, tt->n + 1, sizeof *tt->v);
    tt->v[tt->n++] = (struct pg_touch){item, t, published_at};
}

void pg_touched_free(struct pg_touched *tt)
{
    free(tt->v);
    memset(tt, 0, sizeof *tt);
}

/* ---- arrays as parameters ------------------------------------------- */

void pg_arr_start(struct buf *b)
{
    buf_reset(b);
    buf_catf(b, "{");
}

enum err pg_arr_i64(struct buf *b, int64_t v)
{
    return buf_printf(b, "%s%lld", b->len > 1 ? "," : "", (long long)v);
}

enum err pg_arr_real(struct buf *b, double v)
{
    return buf_printf(b, "%s%.17g", b->len > 1 ? "," : "", v);
}

enum err pg_arr_null(struct buf *b)
{
    return buf_printf(b, "%sNULL", b->len > 1 ? "," : "");
}

enum err pg_arr_text(struct buf *b, const char *t)
{
    enum err rc = b->len > 1 ? buf_putc(b, ',') : ERR_OK;

    if (t == NULL)
        return rc == ERR_OK ? buf_puts(b, "NULL") : rc;
    if (rc == ERR_OK)
        rc = buf_putc(b, '"');
    for (; *t != '\0' && rc == ERR_OK; t++) {
        if (*t == '"' || *t == '\\')
            rc = buf_putc(b, '\\');
        if (rc == ERR_OK)
            rc = buf_putc(b, *t);
    }
    return rc == ERR_OK ? buf_putc(b, '"') : rc;
}

enum err pg_arr_end(struct buf *b)
{
    return buf_puts(b, "}");
}

/* ---- one item --------------------------------------------------------- */

/* The owner, the previous days' last values (day < d0) and the values
 * from t0 on (pg_ru_inputs). */
struct item_in {
    struct rollup_owner o;
    struct rollup_prev *prev;
    struct rollup_val *vals;
    size_t nprev, nvals;
};

/* The rows [i, j) of an inputs query (one item's) into in: the kind
 * (0 owner, 1 a previous day, else a value) and three numbers in the
 * columns from c on (pg_ru_inputs: 0; pg_ru_inputs_many, after the item
 * id: 1). */
static void inputs_parse(const PGresult *r, int i, int j, int c,
                         struct item_in *in)
{
    in->prev = xcalloc((size_t)(j - i) + 1, sizeof *in->prev);
    in->vals = xcalloc((size_t)(j - i) + 1, sizeof *in->vals);
    for (; i < j; i++) {
        int64_t a = pg_i64_or(r, i, c + 1, 0),
                b = pg_i64_or(r, i, c + 2, TIME_NONE),
                v = pg_i64_or(r, i, c + 3, 0);
        switch (pg_i64_or(r, i, c, -1)) {
        case 0:
            in->o = (struct rollup_owner){a, b};
            break;
        case 1:
            in->prev[in->nprev++] = (struct rollup_prev){a, v};
            break;
        default:
            in->vals[in->nvals++] = (struct rollup_val){a, b, v};
        }
    }
}

static enum err item_inputs(struct store_pg *s, int64_t item, int32_t d0,
                            int64_t t0, struct item_in *in, struct buf *err)
{
    struct pg_params p;
    PGresult *r = NULL;
    enum err rc;
    int n;

    pg_p_init(&p);
    pg_p_i64(&p, item);
    pg_p_i64(&p, d0);
    pg_p_i64(&p, t0);
    rc = pg_run(s, &pg_ru_inputs, &p, &r, "reading an item's values", err);
    n = rc == ERR_OK ? PQntuples(r) : 0;
    inputs_parse(r, 0, n, 0, in);
    PQclear(r);
    return rc;
}

/* The day rows as the array parameters of pg_ru_put (cols[0..6]) and
 * pg_ru_acct (cols[0], cols[1], cols[6]). */
static enum err rows_arrays(const struct rollup_day *d, size_t n,
                            struct buf cols[7])
{
    enum err rc = ERR_OK;

    for (int c = 0; c < 7; c++)
        pg_arr_start(&cols[c]);
    for (size_t i = 0; i < n && rc == ERR_OK; i++) {
        int64_t v[6] = {d[i].metric, d[i].day,     d[i].first_at,
                        d[i].first_v, d[i].last_at, d[i].last_v};
        for (int c = 0; c < 6 && rc == ERR_OK; c++)
            rc = pg_arr_i64(&cols[c], v[c]);
        if (rc == ERR_OK)
            rc = d[i].has_gain ? pg_arr_i64(&cols[6], d[i].gain)
                               : pg_arr_null(&cols[6]);
    }
    for (int c = 0; c < 7 && rc == ERR_OK; c++)
        rc = pg_arr_end(&cols[c]);
    return rc;
}

static enum err rows_write(struct store_pg *s, int64_t item, int64_t account,
                           const struct rollup_day *d, size_t n,
                           struct buf *err)
{
    struct buf cols[7];
    struct pg_params p;
    enum err rc;

    for (int c = 0; c < 7; c++)
        buf_init(&cols[c], (size_t)1 << 28);
    rc = rows_arrays(d, n, cols);
    if (rc != ERR_OK)
        buf_setf(err, "writing rollups of item %lld: too many rows",
                 (long long)item);
    pg_p_init(&p);
    pg_p_i64(&p, item);
    for (int c = 0; c < 7; c++)
        pg_p_text(&p, buf_cstr(&cols[c]));
    pg_p_i64(&p, account);
    if (rc == ERR_OK)
        rc = pg_run(s, &pg_ru_put, &p, NULL, "writing rollups", err);
    for (int c = 0; c < 7; c++)
        buf_free(&cols[c]);
    return rc;
}

/* Recompute item's days from d0 (which starts at t0) on. fresh: the
 * rollups were emptied (a rebuild): nothing to take out first. */
static enum err item_recompute(struct store_pg *s, int64_t item, int32_t d0,
                               int64_t t0, bool fresh, struct buf *err)
{
    struct rollup_zone z = {s->zone, s->zone_utc};
    struct item_in in = {{0, TIME_NONE}, NULL, NULL, 0, 0};
    struct rollup_day *days = NULL;
    struct pg_params p;
    size_t ndays;
    enum err rc = item_inputs(s, item, d0, t0, &in, err);

    if (rc == ERR_OK && !fresh) {
        pg_p_init(&p);
        pg_p_i64(&p, item);
        pg_p_i64(&p, d0);
        pg_p_i64(&p, in.o.account_id);
        rc = pg_run(s, &pg_ru_forget, &p, NULL, "updating rollups", err);
    }
    if (rc == ERR_OK && in.nvals > 0) {
        ndays = store_rollup_walk(&z, &in.o, in.vals, in.nvals, in.prev,
                                  in.nprev, &days);
        rc = rows_write(s, item, in.o.account_id, days, ndays, err);
    }
    free(in.prev);
    free(in.vals);
    free(days);
    return rc;
}

enum err pg_rollup_items(struct store_pg *s, const int64_t *ids, size_t n,
                         struct buf *err)
{
    enum err rc = ERR_OK;

    for (size_t i = 0; i < n && rc == ERR_OK; i++)
        rc = item_recompute(s, ids[i], INT32_MIN, INT64_MIN, true, err);
    return rc;
}

/* ---- publication days ------------------------------------------------- */

/* pub_day of the n items ids[] published at pub[] (one statement); the
 * ids of those whose pub_day changed appended to moved (NULL: not
 * wanted; room for n more). */
static enum err pubday_write(struct store_pg *s, const int64_t *ids,
                             const int64_t *pub, size_t n, int64_t *moved,
                             size_t *nmoved, struct buf *err)
{
    PGresult *r = NULL;
    struct buf a, b;
    struct pg_params p;
    enum err rc = ERR_OK;

    if (n == 0)
        return ERR_OK;
    buf_init(&a, (size_t)1 << 26);
    buf_init(&b, (size_t)1 << 26);
    pg_arr_start(&a);
    pg_arr_start(&b);
    for (size_t i = 0; i < n && rc == ERR_OK; i++) {
        rc = pg_arr_i64(&a, ids[i]);
        if (rc == ERR_OK)
            rc = pg_arr_i64(&b, pg_day_of(&s->base, pub[i]));
    }
    if (rc == ERR_OK)
        rc = pg_arr_end(&a);
    if (rc == ERR_OK)
        rc = pg_arr_end(&b);
    if (rc != ERR_OK) {
        buf_setf(err, "setting publication days: too many items");
    } else {
        pg_p_init(&p);
        pg_p_text(&p, buf_cstr(&a));
        pg_p_text(&p, buf_cstr(&b));
        rc = pg_run(s, &pg_ru_pubday, &p, &r, "setting publication days",
                    err);
    }
    for (int i = 0; rc == ERR_OK && moved != NULL && i < PQntuples(r); i++)
        moved[(*nmoved)++] = pg_i64_or(r, i, 0, 0);
    PQclear(r);
    buf_free(&a);
    buf_free(&b);
    return rc;
}

/* ---- many items in three statements ----------------------------------- */

/* One item's day rows appended to the arrays of pg_ru_put_many. */
static enum err days_append(int64_t item, const struct rollup_day *d,
                            size_t n, struct buf cols[8], size_t *rows)
{
    enum err rc = ERR_OK;

    for (size_t i = 0; i < n && rc == ERR_OK; i++) {
        int64_t v[7] = {item,          d[i].metric,  d[i].day,
                        d[i].first_at, d[i].first_v, d[i].last_at,
                        d[i].last_v};
        for (int c = 0; c < 7 && rc == ERR_OK; c++)
            rc = pg_arr_i64(&cols[c], v[c]);
        if (rc == ERR_OK)
            rc = d[i].has_gain ? pg_arr_i64(&cols[7], d[i].gain)
                               : pg_arr_null(&cols[7]);
        (*rows)++;
    }
    return rc;
}

/* Walk each item of r (pg_ru_inputs_many) and write all their day rows
 * in one statement (the items ids, from their days d0 on: array
 * literals). */
static enum err many_put(struct store_pg *s, const PGresult *r,
                         const char *ids, const char *d0, struct buf *err)
{
    struct rollup_zone z = {s->zone, s->zone_utc};
    struct buf cols[8];
    struct pg_params p;
    size_t rows = 0;
    enum err rc = ERR_OK;
    int n = PQntuples(r), i = 0, j;

    for (int c = 0; c < 8; c++) {
        buf_init(&cols[c], (size_t)1 << 28);
        pg_arr_start(&cols[c]);
    }
    while (i < n && rc == ERR_OK) {
        int64_t item = pg_i64_or(r, i, 0, 0);
        struct item_in in = {{0, TIME_NONE}, NULL, NULL, 0, 0};
        struct rollup_day *days = NULL;
        for (j = i + 1; j < n && pg_i64_or(r, j, 0, 0) == item; j++)
            ;
        inputs_parse(r, i, j, 1, &in);
        if (in.nvals > 0) {
            size_t nd = store_rollup_walk(&z, &in.o, in.vals, in.nvals,
                                          in.prev, in.nprev, &days);
            rc = days_append(item, days, nd, cols, &rows);
        }
        free(in.prev);
        free(in.vals);
        free(days);
        i = j;
    }
    for (int c = 0; c < 8 && rc == ERR_OK; c++)
        rc = pg_arr_end(&cols[c]);
    if (rc != ERR_OK)
        buf_setf(err, "writing rollups: too many rows in one batch");
    pg_p_init(&p);
    for (int c = 0; c < 8; c++)
        pg_p_text(&p, buf_cstr(&cols[c]));
    pg_p_text(&p, ids);
    pg_p_text(&p, d0);
    if (rc == ERR_OK)
        rc = pg_run(s, &pg_ru_put_many, &p, NULL, "writing rollups", err);
    for (int c = 0; c < 8; c++)
        buf_free(&cols[c]);
    return rc;
}

/* Recompute the n items ids[] (ascending) from their days d0[] on, t0[]
 * the time of each one's earliest new value (on its d0): their inputs
 * read, their old days' gains taken out of their accounts' and the new
 * days written over the old, one statement each whatever n. */
static enum err many_recompute(struct store_pg *s, const int64_t *ids,
                               const int32_t *d0, const int64_t *t0,
                               size_t n, struct buf *err)
{
    struct buf a[3];
    struct pg_params p;
    PGresult *r = NULL;
    enum err rc = ERR_OK;

    if (n == 0)
        return ERR_OK;
    for (int c = 0; c < 3; c++) {
        buf_init(&a[c], (size_t)1 << 26);
        pg_arr_start(&a[c]);
    }
    for (size_t i = 0; i < n && rc == ERR_OK; i++) {
        rc = pg_arr_i64(&a[0], ids[i]);
        if (rc == ERR_OK)
            rc = pg_arr_i64(&a[1], d0[i]);
        if (rc == ERR_OK)
            rc = pg_arr_i64(&a[2], t0[i]);
    }
    for (int c = 0; c < 3 && rc == ERR_OK; c++)
        rc = pg_arr_end(&a[c]);
    if (rc != ERR_OK)
        buf_setf(err, "updating rollups: too many items in one batch");
    pg_p_init(&p);
    for (int c = 0; c < 3; c++)
        pg_p_text(&p, buf_cstr(&a[c]));
    if (rc == ERR_OK)
        rc = pg_run(s, &pg_ru_inputs_many, &p, &r, "reading items' values",
                    err);
    pg_p_init(&p);
    pg_p_text(&p, buf_cstr(&a[0]));
    pg_p_text(&p, buf_cstr(&a[1]));
    if (rc == ERR_OK)
        rc = pg_run(s, &pg_ru_forget_many, &p, NULL, "updating rollups", err);
    if (rc == ERR_OK)
        rc = many_put(s, r, buf_cstr(&a[0]), buf_cstr(&a[1]), err);
    if (rc == ERR_OK)
        rc = pg_views_day_items(s, ids, d0, n, err);
    PQclear(r);
    for (int c = 0; c < 3; c++)
        buf_free(&a[c]);
    return rc;
}

/* ---- a batch ---------------------------------------------------------- */

static int touch_cmp(const void *a, const void *b)
{
    const struct pg_touch *x = a, *y = b;
    return (x->item > y->item) - (x->item < y->item);
}

/* One item's notes (sorted, [i, j)): from which day on it is to be
 * recomputed (*has_t) and its publication day. */
static void touch_item(struct store_pg *s, const struct pg_touch *v, size_t n,
                       int32_t *d0, int64_t *t0, bool *has_t, int64_t *pub,
                       bool *has_pub)
{
    int64_t t = TIME_NONE;

    *has_pub = false;
    for (size_t k = 0; k < n; k++) {
        if (v[k].t != TIME_NONE && (t == TIME_NONE || v[k].t < t))
            t = v[k].t;
        if (v[k].published_at != TIME_NONE) {
            *pub = v[k].published_at;
            *has_pub = true;
        }
    }
    *has_t = t != TIME_NONE;
    if (*has_t) {
        *d0 = pg_day_of(&s->base, t);
        *t0 = t;
    }
}

/* Whether recomputing an item from day d0 on changes a gain of its first
 * week, the item published at pub (has_pub) in this batch: a day after
 * the week is judged against days at least as late. Without pub the
 * stored pub_day is not known here: assume it does. */
static bool in_first_week(struct store_pg *s, int32_t d0, bool has_pub,
                          int64_t pub)
{
    return !has_pub || d0 < pg_day_of(&s->base, pub) + STORE_FIRST_DAYS;
}

enum err pg_rollup_batch(struct store_pg *s, struct pg_touched *tt,
                         struct buf *err)
{
    int64_t *ids, *pub, *rids, *t0, *fw;
    int32_t *d0;
    size_t n = 0, nr = 0, nf = 0, i = 0, j;
    enum err rc = ERR_OK;

    if (tt->n == 0)
        return ERR_OK;
    qsort(tt->v, tt->n, sizeof *tt->v, touch_cmp);
    ids = xcalloc(tt->n, sizeof *ids);
    pub = xcalloc(tt->n, sizeof *pub);
    rids = xcalloc(tt->n, sizeof *rids);
    t0 = xcalloc(tt->n, sizeof *t0);
    d0 = xcalloc(tt->n, sizeof *d0);
    fw = xcalloc(2 * tt->n, sizeof *fw); /* first weeks to recompute */
    while (i < tt->n) {
        bool has_pub = false, has_t = false;
        for (j = i + 1; j < tt->n && tt->v[j].item == tt->v[i].item; j++)
            ;
        touch_item(s, &tt->v[i], j - i, &d0[nr], &t0[nr], &has_t, &pub[n],
                   &has_pub);
        if (has_t && in_first_week(s, d0[nr], has_pub, pub[n]))
            fw[nf++] = tt->v[i].item;
        if (has_t)
            rids[nr++] = tt->v[i].item;
        if (has_pub)
            ids[n++] = tt->v[i].item;
        i = j;
    }
    rc = many_recompute(s, rids, d0, t0, nr, err);
    if (rc == ERR_OK)
        rc = pubday_write(s, ids, pub, n, fw, &nf, err);
    if (rc == ERR_OK)
        rc = pg_first_items(s, fw, nf, err);
    free(fw);
    free(ids);
    free(pub);
    free(rids);
    free(t0);
    free(d0);
    return rc;
}

/* ---- rebuild and zone ------------------------------------------------- */

/* Every item's publication day under the current zone, in chunks. */
static enum err pubday_all(struct store_pg *s, struct buf *err)
{
    int64_t ids[PUBDAY_CHUNK], pub[PUBDAY_CHUNK];
    PGresult *r = NULL;
    enum err rc = pg_exec(s, "UPDATE item SET pub_day = NULL WHERE "
                             "published_at IS NULL AND pub_day IS NOT NULL",
                          "setting publication days", err);
    int n, k = 0;

    if (rc == ERR_OK)
        rc = pg_run(s, &pg_ru_pub_all, NULL, &r, "reading items", err);
    n = rc == ERR_OK ? PQntuples(r) : 0;
    for (int i = 0; i < n && rc == ERR_OK; i++) {
        ids[k] = pg_i64_or(r, i, 0, 0);
        pub[k++] = pg_i64_or(r, i, 1, 0);
        if (k == PUBDAY_CHUNK || i == n - 1) {
            rc = pubday_write(s, ids, pub, (size_t)k, NULL, NULL, err);
            k = 0;
        }
    }
    PQclear(r);
    return rc;
}

enum err pg_rollup_pubdays(struct store_pg *s, struct buf *err)
{
    return pubday_all(s, err);
}

/* Inside a transaction holding the ingest lock: empty the rollups and
 * recompute them from every item's values under s->zone. */
static enum err rebuild_body(struct store_pg *s, struct buf *err)
{
    PGresult *r = NULL;
    enum err rc = pg_exec(s, "DELETE FROM item_day; DELETE FROM account_day",
                          "rebuilding rollups", err);
    int n = 0;

    if (rc == ERR_OK)
        rc = pubday_all(s, err);
    if (rc == ERR_OK)
        rc = pg_run(s, &pg_ru_items, NULL, &r, "reading items", err);
    if (rc == ERR_OK)
        n = PQntuples(r);
    for (int i = 0; i < n && rc == ERR_OK; i++) {
        if (s->base.progress != NULL)
            s->base.progress(s->base.progress_ud, i, n);
        rc = item_recompute(s, pg_i64_or(r, i, 0, 0), INT32_MIN, INT64_MIN,
                            true, err);
    }
    PQclear(r);
    if (rc == ERR_OK)
        rc = pg_views_day_all(s, err);
    if (rc == ERR_OK)
        rc = pg_first_all(s, err);
    if (rc == ERR_OK && s->base.progress != NULL)
        s->base.progress(s->base.progress_ud, n, n);
    if (rc == ERR_OK)
        rc = pg_run(s, &pg_ru_gen_bump, NULL, NULL,
                    "bumping the data generation", err);
    return rc;
}

/* One transaction: the lock, the zone (when zone is not NULL), the
 * rebuild. */
static enum err rebuild_tx(struct store_pg *s, const char *zone,
                           struct buf *err)
{
    struct pg_params p;
    enum err rc = pg_begin(s, err);

    if (rc != ERR_OK)
        return rc;
    rc = pg_run(s, &pg_ru_lock, NULL, NULL, "waiting for the ingest lock",
                err);
    if (rc == ERR_OK && zone != NULL) {
        pg_p_init(&p);
        pg_p_text(&p, zone);
        rc = pg_run(s, &pg_ru_zone_set, &p, NULL, "setting the rollup zone",
                    err);
    }
    if (rc == ERR_OK)
        rc = rebuild_body(s, err);
    if (rc == ERR_OK)
        rc = pg_commit(s, err);
    if (rc != ERR_OK)
        pg_rollback(s);
    return rc;
}

enum err pg_rollup_rebuild(struct store *st, struct buf *err)
{
    return rebuild_tx(pg_of(st), NULL, err);
}

enum err pg_set_rollup_zone(struct store *st, const char *name,
                            struct buf *err)
{
    struct store_pg *s = pg_of(st);
    struct tz *z = NULL, *old = s->zone;
    bool old_utc = s->zone_utc;
    enum err rc = tz_load(name, &z, err);

    if (rc != ERR_OK)
        return rc;
    s->zone = z;
    s->zone_utc = strcmp(tz_name(z), "UTC") == 0;
    rc = rebuild_tx(s, tz_name(z), err);
    if (rc != ERR_OK) {
        s->zone = old;
        s->zone_utc = old_utc;
        tz_destroy(z);
        return rc;
    }
    tz_destroy(old);
    return ERR_OK;
}
