/* Daily rollups of the SQLite backend: item_day and account_day kept in
 * step with every new integer value at ingest, and rebuilt from the raw
 * values on demand. Both paths share the gain rule (day_gain) so a
 * rebuild equals the incremental result. */
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/timeutil.h"
#include "store/store_sqlite.h"

/* Rollup days are the rollup zone's calendar days (store_zone.c). */
int32_t sqlite_rollup_day(const struct sqlite_store *s, int64_t t)
{
    return store_zone_day(s->zone, s->zone_utc, t);
}

int64_t sqlite_rollup_day_start(const struct sqlite_store *s, int32_t day)
{
    return store_zone_day_start(s->zone, s->zone_utc, day);
}

#define SQL_ZONE_GET "SELECT value FROM setting WHERE key = 'rollup_zone'"
#define SQL_ZONE_SET                                                          \
    "INSERT INTO setting(key, value) VALUES ('rollup_zone', ?1) "             \
    "ON CONFLICT(key) DO UPDATE SET value = excluded.value"

static void zone_replace(struct sqlite_store *s, struct tz *z)
{
    tz_destroy(s->zone);
    s->zone = z;
    s->zone_utc = strcmp(tz_name(z), "UTC") == 0;
    latest_clear(&s->latest); /* cached entries carry rollup days */
}

enum err sqlite_zone_load(struct sqlite_store *s, struct buf *err)
{
    sqlite3_stmt *st = NULL;
    struct tz *z = NULL;
    enum err rc = ERR_OK;
    int r;

    if (sqlite3_prepare_v2(s->db, SQL_ZONE_GET, -1, &st, NULL) != SQLITE_OK) {
        rc = sqlite_fail(s, err, "reading the rollup zone");
        goto out;
    }
    r = sqlite3_step(st);
    if (r == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(st, 0);
        rc = tz_load(name ? name : "", &z, err);
        if (rc != ERR_OK) {
            buf_catf(err, " (the database's rollup zone)");
            goto out;
        }
    } else if (r == SQLITE_DONE) {
        z = tz_utc();
    } else {
        rc = sqlite_fail(s, err, "reading the rollup zone");
        goto out;
    }
    zone_replace(s, z);
out:
    sqlite3_finalize(st);
    return rc;
}

/* The gain rule. With a previous day: the difference of the last values.
 * Without one, content first seen on the day it was published grew from
 * 0; anything else has no known gain that day. */
static bool day_gain(const struct sqlite_store *s, const struct rollup_item *ri,
                     int32_t day, int64_t last_v, bool has_prev,
                     int64_t prev_last, int64_t *out)
{
    if (has_prev) {
        *out = last_v - prev_last;
        return true;
    }
    if (ri->account_id != 0 && ri->published_at != TIME_NONE &&
        ri->published_at >= sqlite_rollup_day_start(s, day)) {
        *out = last_v;
        return true;
    }
    return false;
}

struct day_row {
    int64_t first_at, first_v, last_at, last_v, gain;
    bool has_gain;
};

static void bind_key(sqlite3_stmt *st, int64_t item, int64_t metric,
                     int32_t day)
{
    sqlite3_bind_int64(st, 1, item);
    sqlite3_bind_int64(st, 2, metric);
    sqlite3_bind_int(st, 3, day);
}

static int day_get(struct sqlite_store *s, int64_t item, int64_t metric,
                   int32_t day, struct day_row *r)
{
    sqlite3_stmt *st = sqlite_use(s, S_DAY_GET);
    int rc;
    bind_key(st, item, metric, day);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        r->first_at = sqlite3_column_int64(st, 0);
        r->first_v = sqlite3_column_int64(st, 1);
        r->last_at = sqlite3_column_int64(st, 2);
        r->last_v = sqlite3_column_int64(st, 3);
        r->has_gain = sqlite3_column_type(st, 4) != SQLITE_NULL;
        r->gain = sqlite3_column_int64(st, 4);
    }
    return rc;
}

/* Held deltas before a flush: a batch touches few account rows; a
 * rebuild many, so it writes them out as it goes. */
#define ACCT_PENDING_MAX 256

enum err sqlite_rollup_flush(struct sqlite_store *s, struct buf *err)
{
    enum err rc = ERR_OK;

    for (size_t i = 0; i < s->acct_n && rc == ERR_OK; i++) {
        const struct acct_delta *a = &s->acct[i];
        sqlite3_stmt *st = sqlite_use(s, S_ACCT_ADD);
        bind_key(st, a->account_id, a->metric_id, a->day);
        sqlite3_bind_int64(st, 4, a->gain);
        if (sqlite3_step(st) != SQLITE_DONE)
            rc = sqlite_fail(s, err, "updating account rollup");
    }
    s->acct_n = 0;
    return rc;
}

void sqlite_rollup_discard(struct sqlite_store *s)
{
    s->acct_n = 0;
}

/* Add delta to the account's day. Held in memory: a row that got a
 * nonzero delta is written by the flush even if the sum is 0, as the
 * row-at-a-time upsert did. */
static enum err account_add(struct sqlite_store *s, int64_t account,
                            int64_t metric, int32_t day, int64_t delta,
                            struct buf *err)
{
    struct acct_delta *a;

    if (account == 0 || delta == 0)
        return ERR_OK;
    for (size_t i = s->acct_n; i-- > 0;) {
        a = &s->acct[i];
        if (a->account_id == account && a->metric_id == metric &&
            a->day == day) {
            a->gain += delta;
            return ERR_OK;
        }
    }
    if (s->acct_n >= ACCT_PENDING_MAX) {
        enum err rc = sqlite_rollup_flush(s, err);
        if (rc != ERR_OK)
            return rc;
    }
    s->acct = xgrow(s->acct, &s->acct_cap, s->acct_n + 1, sizeof *s->acct);
    s->acct[s->acct_n++] = (struct acct_delta){account, metric, day, delta};
    return ERR_OK;
}

/* Recompute the gain of (item, metric, day) from the previous day with
 * data, and pass the change on to the account. */
static enum err regain(struct sqlite_store *s, const struct rollup_item *ri,
                       int64_t metric, int32_t day, struct buf *err)
{
    struct day_row r;
    sqlite3_stmt *st;
    bool has_prev, has_gain;
    int64_t prev_last = 0, gain = 0;

    if (day_get(s, ri->id, metric, day, &r) != SQLITE_ROW)
        return sqlite_fail(s, err, "reading rollup");
    st = sqlite_use(s, S_DAY_PREV);
    bind_key(st, ri->id, metric, day);
    has_prev = sqlite3_step(st) == SQLITE_ROW;
    if (has_prev)
        prev_last = sqlite3_column_int64(st, 1);
    has_gain = day_gain(s, ri, day, r.last_v, has_prev, prev_last, &gain);
    if (has_gain == r.has_gain && (!has_gain || gain == r.gain))
        return ERR_OK;
    st = sqlite_use(s, S_DAY_SET_GAIN);
    bind_key(st, ri->id, metric, day);
    if (has_gain)
        sqlite3_bind_int64(st, 4, gain);
    if (sqlite3_step(st) != SQLITE_DONE)
        return sqlite_fail(s, err, "updating rollup");
    sqlite_vday_mark(s, metric, day);
    return account_add(s, ri->account_id, metric, day,
                       (has_gain ? gain : 0) - (r.has_gain ? r.gain : 0), err);
}

static enum err day_put(struct sqlite_store *s, int64_t item, int64_t metric,
                        int32_t day, const struct day_row *r, struct buf *err)
{
    sqlite3_stmt *st = sqlite_use(s, S_DAY_PUT);
    bind_key(st, item, metric, day);
    sqlite3_bind_int64(st, 4, r->first_at);
    sqlite3_bind_int64(st, 5, r->first_v);
    sqlite3_bind_int64(st, 6, r->last_at);
    sqlite3_bind_int64(st, 7, r->last_v);
    if (r->has_gain)
        sqlite3_bind_int64(st, 8, r->gain);
    if (sqlite3_step(st) != SQLITE_DONE)
        return sqlite_fail(s, err, "writing rollup");
    return ERR_OK;
}

/* S_DAY_APPEND bound for one row: the same-day value v at t. */
static sqlite3_stmt *day_append(struct sqlite_store *s, int64_t item,
                                int64_t metric, int32_t day, int64_t t,
                                int64_t v)
{
    sqlite3_stmt *st = sqlite_use(s, S_DAY_APPEND);
    bind_key(st, item, metric, day);
    sqlite3_bind_int64(st, 4, t);
    sqlite3_bind_int64(st, 5, v);
    return st;
}

enum err sqlite_rollup_append(struct sqlite_store *s,
                              const struct rollup_item *ri, int64_t metric_id,
                              bool has_prev, int64_t prev_t, int64_t prev_v,
                              int64_t t, int64_t v, int8_t *gain_known,
                              struct value_rows *defer, struct buf *err)
{
    int32_t day = sqlite_rollup_day(s, t);
    sqlite3_stmt *st;
    int64_t gain = 0;
    bool has_gain;

    if (has_prev && sqlite_rollup_day(s, prev_t) == day) {
        /* Same day: the last value moves, and the gain with it. */
        if (v != prev_v)
            sqlite_vday_mark(s, metric_id, day);
        if (defer != NULL && defer->n < VALUES_ROWS_MAX) {
            defer->mid[defer->n] = metric_id;
            defer->v[defer->n++] = v;
        } else if (sqlite3_step(day_append(s, ri->id, metric_id, day, t,
                                           v)) != SQLITE_DONE) {
            return sqlite_fail(s, err, "updating rollup");
        }
        if (ri->account_id == 0 || v == prev_v)
            return ERR_OK;
        if (*gain_known < 0) {
            st = sqlite_use(s, S_DAY_HAS_GAIN);
            bind_key(st, ri->id, metric_id, day);
            if (sqlite3_step(st) != SQLITE_ROW)
                return sqlite_fail(s, err, "reading rollup");
            *gain_known = sqlite3_column_int(st, 0) != 0;
        }
        return *gain_known ? account_add(s, ri->account_id, metric_id, day,
                                       v - prev_v, err)
                         : ERR_OK;
    }
    /* A new last day: its gain is measured from the previous one. */
    has_gain = day_gain(s, ri, day, v, has_prev, prev_v, &gain);
    *gain_known = has_gain;
    st = sqlite_use(s, S_DAY_INSERT);
    bind_key(st, ri->id, metric_id, day);
    sqlite3_bind_int64(st, 4, t);
    sqlite3_bind_int64(st, 5, v);
    if (has_gain)
        sqlite3_bind_int64(st, 6, gain);
    if (sqlite3_step(st) != SQLITE_DONE)
        return sqlite_fail(s, err, "writing rollup");
    if (has_gain)
        sqlite_vday_mark(s, metric_id, day);
    return has_gain ? account_add(s, ri->account_id, metric_id, day, gain, err)
                    : ERR_OK;
}

enum err sqlite_rollup_append_flush(struct sqlite_store *s, int64_t item_id,
                                    int64_t t, struct value_rows *defer,
                                    struct buf *err)
{
    size_t n = defer->n;
    sqlite3_stmt *st;

    if (n == 0)
        return ERR_OK;
    if (n == 1) {
        st = day_append(s, item_id, defer->mid[0], sqlite_rollup_day(s, t), t,
                        defer->v[0]);
    } else {
        st = sqlite_use(s, (enum stmt_id)(S_DAY_APPEND2 + (int)n - 2));
        sqlite_bind_rows(st, item_id, t, sqlite_rollup_day(s, t), defer);
    }
    defer->n = 0;
    if (sqlite3_step(st) != SQLITE_DONE)
        return sqlite_fail(s, err, "updating rollup");
    return ERR_OK;
}

enum err sqlite_rollup_add(struct sqlite_store *s, const struct rollup_item *ri,
                           int64_t metric_id, int64_t t, int64_t v,
                           struct buf *err)
{
    int32_t day = sqlite_rollup_day(s, t);
    struct day_row r;
    bool last_changed = true;
    sqlite3_stmt *st;
    enum err rc;
    int got = day_get(s, ri->id, metric_id, day, &r);

    if (got == SQLITE_ROW) {
        last_changed = t > r.last_at;
        if (t < r.first_at) {
            r.first_at = t;
            r.first_v = v;
        }
        if (last_changed) {
            r.last_at = t;
            r.last_v = v;
        }
    } else if (got == SQLITE_DONE) {
        r = (struct day_row){t, v, t, v, 0, false};
    } else {
        return sqlite_fail(s, err, "reading rollup");
    }
    rc = day_put(s, ri->id, metric_id, day, &r, err);
    if (rc != ERR_OK || !last_changed)
        return rc;
    rc = regain(s, ri, metric_id, day, err);
    if (rc != ERR_OK)
        return rc;
    st = sqlite_use(s, S_DAY_NEXT); /* the next day's base moved */
    bind_key(st, ri->id, metric_id, day);
    if (sqlite3_step(st) == SQLITE_ROW)
        rc = regain(s, ri, metric_id, sqlite3_column_int(st, 0), err);
    return rc;
}

/* ---- rebuild --------------------------------------------------------- */

/* Per-metric state while walking one item's values in time order. */
struct walk {
    int64_t metric;
    int32_t day;
    struct day_row row;
    bool has_prev;     /* a finished earlier day exists */
    int64_t prev_last; /* its last value */
};

static enum err walk_flush(struct sqlite_store *s, const struct rollup_item *ri,
                           struct walk *w, struct buf *err)
{
    enum err rc;
    w->row.has_gain = day_gain(s, ri, w->day, w->row.last_v, w->has_prev,
                               w->prev_last, &w->row.gain);
    rc = day_put(s, ri->id, w->metric, w->day, &w->row, err);
    if (rc == ERR_OK && w->row.has_gain)
        rc = account_add(s, ri->account_id, w->metric, w->day, w->row.gain,
                         err);
    w->has_prev = true;
    w->prev_last = w->row.last_v;
    return rc;
}

static enum err walk_value(struct sqlite_store *s, const struct rollup_item *ri,
                           struct walk *w, int64_t t, int64_t v,
                           struct buf *err)
{
    int32_t day = sqlite_rollup_day(s, t);
    enum err rc = ERR_OK;
    if (w->row.first_at != TIME_NONE && day != w->day)
        rc = walk_flush(s, ri, w, err);
    if (w->row.first_at == TIME_NONE || day != w->day) {
        w->day = day;
        w->row = (struct day_row){t, v, t, v, 0, false};
    } else {
        w->row.last_at = t;
        w->row.last_v = v;
    }
    return rc;
}

struct rebuild {
    struct rollup_item ri;
    struct walk *w;
    size_t n, cap;
};

static struct walk *walk_for(struct rebuild *rb, int64_t metric)
{
    for (size_t i = 0; i < rb->n; i++)
        if (rb->w[i].metric == metric)
            return &rb->w[i];
    rb->w = xgrow(rb->w, &rb->cap, rb->n + 1, sizeof *rb->w);
    memset(&rb->w[rb->n], 0, sizeof rb->w[rb->n]);
    rb->w[rb->n].metric = metric;
    rb->w[rb->n].row.first_at = TIME_NONE;
    return &rb->w[rb->n++];
}

static enum err flush_item(struct sqlite_store *s, struct rebuild *rb,
                           struct buf *err)
{
    enum err rc = ERR_OK;
    for (size_t i = 0; i < rb->n && rc == ERR_OK; i++)
        if (rb->w[i].row.first_at != TIME_NONE)
            rc = walk_flush(s, &rb->ri, &rb->w[i], err);
    rb->n = 0;
    return rc;
}

/* Values in (item, time) order: the snapshot index serves it without a
 * sort of the whole table. */
#define SQL_REBUILD_SCAN                                                      \
    "SELECT s.item_id, coalesce(i.account_id, 0), i.published_at, "           \
    "v.metric_id, s.observed_at, v.ival FROM snapshot s "                     \
    "JOIN item i ON i.id = s.item_id JOIN snapshot_value v ON "               \
    "v.snapshot_id = s.id WHERE v.ival IS NOT NULL "                          \
    "ORDER BY s.item_id, s.observed_at"
/* The same for the items of temp.rm_item only (a removal). */
#define SQL_REBUILD_SCAN_SOME                                                 \
    "SELECT s.item_id, coalesce(i.account_id, 0), i.published_at, "           \
    "v.metric_id, s.observed_at, v.ival FROM temp.rm_item r "                 \
    "JOIN snapshot s ON s.item_id = r.id "                                    \
    "JOIN item i ON i.id = s.item_id JOIN snapshot_value v ON "               \
    "v.snapshot_id = s.id WHERE v.ival IS NOT NULL "                          \
    "ORDER BY s.item_id, s.observed_at"

/* Items with snapshots: the total of the rebuild's progress. */
static int64_t scan_total(struct sqlite_store *s)
{
    sqlite3_stmt *st = NULL;
    int64_t n = -1;

    if (s->base.progress != NULL &&
        sqlite3_prepare_v2(s->db, "SELECT count(*) FROM item", -1, &st,
                           NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

static enum err rebuild_scan(struct sqlite_store *s, const char *sql,
                             struct buf *err)
{
    struct rebuild rb;
    sqlite3_stmt *st = NULL;
    enum err rc = ERR_OK;
    int64_t items = 0, total = scan_total(s);
    int r;

    memset(&rb, 0, sizeof rb);
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
        rc = sqlite_fail(s, err, "rebuilding rollups");
        goto out;
    }
    while (rc == ERR_OK && (r = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t item = sqlite3_column_int64(st, 0);
        if (item != rb.ri.id) {
            if (s->base.progress != NULL)
                s->base.progress(s->base.progress_ud, items++, total);
            rc = flush_item(s, &rb, err);
            rb.ri.id = item;
            rb.ri.account_id = sqlite3_column_int64(st, 1);
            rb.ri.published_at = sqlite3_column_type(st, 2) == SQLITE_NULL
                                     ? TIME_NONE
                                     : sqlite3_column_int64(st, 2);
        }
        if (rc == ERR_OK)
            rc = walk_value(s, &rb.ri,
                            walk_for(&rb, sqlite3_column_int64(st, 3)),
                            sqlite3_column_int64(st, 4),
                            sqlite3_column_int64(st, 5), err);
    }
    if (rc == ERR_OK && r != SQLITE_DONE)
        rc = sqlite_fail(s, err, "rebuilding rollups");
    if (rc == ERR_OK)
        rc = flush_item(s, &rb, err);
    if (rc == ERR_OK && s->base.progress != NULL)
        s->base.progress(s->base.progress_ud, items, total);
out:
    sqlite3_finalize(st);
    free(rb.w);
    return rc;
}

/* Store zone (when not NULL) as the rollup zone and recompute every
 * rollup under s->zone, in one transaction. */
static enum err rebuild(struct sqlite_store *s, const char *zone,
                        struct buf *err)
{
    sqlite3_stmt *st = NULL;
    char *msg = NULL;
    enum err rc = ERR_OK;

    if (sqlite3_exec(s->db,
                     "BEGIN IMMEDIATE; DELETE FROM item_day; "
                     "DELETE FROM account_day;",
                     NULL, NULL, &msg) != SQLITE_OK) {
        buf_setf(err, "rebuilding rollups: %s", msg ? msg : "?");
        sqlite3_free(msg);
        rc = ERR_DB;
        goto out;
    }
    if (zone != NULL &&
        (sqlite3_prepare_v2(s->db, SQL_ZONE_SET, -1, &st, NULL) != SQLITE_OK ||
         sqlite3_bind_text(st, 1, zone, -1, SQLITE_STATIC) != SQLITE_OK ||
         sqlite3_step(st) != SQLITE_DONE)) {
        rc = sqlite_fail(s, err, "setting the rollup zone");
        goto out;
    }
    rc = rebuild_scan(s, SQL_REBUILD_SCAN, err);
    if (rc == ERR_OK)
        rc = sqlite_rollup_flush(s, err);
    if (rc == ERR_OK)
        rc = sqlite_first_rebuild(s, err);
    if (rc == ERR_OK)
        rc = sqlite_vday_rebuild(s, err);
    if (rc == ERR_OK &&
        sqlite3_exec(s->db, SQL_GEN_BUMP, NULL, NULL, NULL) != SQLITE_OK)
        rc = sqlite_fail(s, err, "bumping the data generation");
    if (rc == ERR_OK && sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL) !=
                            SQLITE_OK)
        rc = sqlite_fail(s, err, "rebuilding rollups");
out:
    sqlite3_finalize(st);
    if (rc != ERR_OK) {
        sqlite_rollback(s);
        sqlite_rollup_discard(s);
        sqlite_first_discard(s);
        sqlite_vday_discard(s);
    }
    latest_clear(&s->latest);
    return rc;
}

enum err sqlite_rollup_rebuild_items(struct sqlite_store *s, struct buf *err)
{
    enum err rc = rebuild_scan(s, SQL_REBUILD_SCAN_SOME, err);
    if (rc == ERR_OK)
        rc = sqlite_rollup_flush(s, err);
    if (rc == ERR_OK)
        rc = sqlite_first_rebuild_removed(s, err);
    if (rc == ERR_OK) /* the removed rows' days are not known here */
        rc = sqlite_vday_rebuild(s, err);
    return rc;
}

enum err sq_rollup_rebuild(struct store *base, struct buf *err)
{
    return rebuild(sqlite_store_of(base), NULL, err);
}

const struct tz *sq_rollup_zone(struct store *base)
{
    return sqlite_store_of(base)->zone;
}

enum err sq_set_rollup_zone(struct store *base, const char *name,
                            struct buf *err)
{
    struct sqlite_store *s = sqlite_store_of(base);
    struct tz *z = NULL, *old;
    enum err rc = tz_load(name, &z, err);

    if (rc != ERR_OK)
        return rc;
    old = s->zone;
    s->zone = NULL; /* keep the old one until the rebuild has committed */
    zone_replace(s, z);
    rc = rebuild(s, tz_name(z), err);
    if (rc != ERR_OK) {
        tz_destroy(s->zone);
        s->zone = NULL;
        zone_replace(s, old);
        return rc;
    }
    tz_destroy(old);
    return ERR_OK;
}
