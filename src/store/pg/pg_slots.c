/* Queue slots, PostgreSQL backend (store_slots.h; migration
 * pg/sql/0004_posts.sql). The same answers as store_sqlite_slots.c.
 * Where SQLite's BEGIN IMMEDIATE serialises every writer, the writes
 * here that read before they write (add: the same slot, the count;
 * queue_post: the first free minute) first take a transaction-scoped
 * advisory lock on the account, so two adds on any hosts never take one
 * slot, and adds on other accounts do not wait. */
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "store/pg/pg_ops.h"
#include "store/pg/pg_post_int.h"
#include "store/pg/pg_rows.h"
#include "store/store_slots.h"
#include "store/store_slots_common.h"

#define PG_SLOT_COLS                                                          \
    "SELECT id, platform, account, weekday, minute, zone, created_at, "       \
    "updated_at FROM queue_slot "
PG_STMT(pg_slot_list, 2,
        PG_SLOT_COLS "WHERE ($1::text IS NULL OR platform = $1) AND "
                     "($2::text IS NULL OR account = $2) "
                     "ORDER BY platform, account, weekday, minute, id");
PG_STMT(pg_slot_get, 1, PG_SLOT_COLS "WHERE id = $1::bigint");
PG_STMT(pg_slot_lock, 2,
        "SELECT pg_advisory_xact_lock(hashtextextended('queue_slot/' || $1 "
        "|| '/' || $2, 0))");
PG_STMT(pg_slot_find, 5,
        "SELECT id FROM queue_slot WHERE platform = $1 AND account = $2 AND "
        "weekday = $3::bigint AND minute = $4::bigint AND zone = $5");
PG_STMT(pg_slot_count, 2,
        "SELECT count(*) FROM queue_slot WHERE platform = $1 AND account = "
        "$2");
PG_STMT(pg_slot_add, 6,
        "INSERT INTO queue_slot(platform, account, weekday, minute, zone, "
        "created_at, updated_at) VALUES ($1, $2, $3::bigint, $4::bigint, $5, "
        "$6::bigint, $6::bigint) RETURNING id");
/* A clash with another slot of the account changes nothing (0 rows, as
 * SQLite's UPDATE OR IGNORE), told apart from "no such slot" by GET. */
PG_STMT(pg_slot_update, 5,
        "UPDATE queue_slot SET weekday = $2::bigint, minute = $3::bigint, "
        "zone = $4, updated_at = $5::bigint WHERE id = $1::bigint AND NOT "
        "EXISTS (SELECT 1 FROM queue_slot o WHERE o.id <> $1::bigint AND "
        "o.platform = queue_slot.platform AND o.account = "
        "queue_slot.account AND o.weekday = $2::bigint AND o.minute = "
        "$3::bigint AND o.zone = $4)");
PG_STMT(pg_slot_delete, 1, "DELETE FROM queue_slot WHERE id = $1::bigint");
/* A post that still counts occupies its minute. */
PG_STMT(pg_slot_taken, 3,
        "SELECT 1 FROM post WHERE platform = $1 AND account = $2 AND "
        "publish_at >= $3::bigint AND publish_at < $3::bigint + 60 AND "
        "state NOT IN ('draft', 'cancelled', 'failed') LIMIT 1");

/* End a transaction: a refusal (the slot exists, none free, too many)
 * wrote nothing: rolled back and returned as it is. */
static enum err end_tx(void *be, enum err rc, struct buf *err)
{
    return pg_post_end(be, rc, err);
}

static char *dup_text(const PGresult *res, int r, int c)
{
    const char *t = pg_text(res, r, c);
    return xstrdup(t != NULL ? t : "");
}

static enum err row_to_slot(const PGresult *res, int r, struct slot *s)
{
    int64_t wd = 0, mi = 0;

    *s = (struct slot){0};
    if (pg_i64(res, r, 0, &s->id) != ERR_OK ||
        pg_i64(res, r, 3, &wd) != ERR_OK || pg_i64(res, r, 4, &mi) != ERR_OK ||
        pg_i64(res, r, 6, &s->created_at) != ERR_OK ||
        pg_i64(res, r, 7, &s->updated_at) != ERR_OK)
        return ERR_DB;
    s->weekday = (int)wd;
    s->minute = (int)mi;
    s->platform = dup_text(res, r, 1);
    s->account = dup_text(res, r, 2);
    s->zone = dup_text(res, r, 5);
    return ERR_OK;
}

enum err pg_slot_list_op(struct store *st, const char *platform,
                         const char *account, store_slot_fn fn, void *ud,
                         struct buf *err)
{
    struct pg_params p;
    PGresult *res = NULL;
    enum err rc;

    pg_p_init(&p);
    pg_p_text(&p, platform);
    pg_p_text(&p, account);
    rc = pg_run(pg_of(st), &pg_slot_list, &p, &res, "listing queue slots",
                err);
    for (int r = 0; rc == ERR_OK && r < PQntuples(res); r++) {
        struct slot one;
        rc = row_to_slot(res, r, &one);
        if (rc == ERR_OK)
            rc = fn(&one, ud);
        slot_free(&one);
    }
    PQclear(res);
    return rc;
}

enum err pg_slot_get_op(struct store *st, int64_t id, struct slot *out,
                        struct buf *err)
{
    PGresult *res = NULL;
    enum err rc = pg_run_id(pg_of(st), &pg_slot_get, id, "queue slot",
                            "reading a queue slot", &res, err);

    *out = (struct slot){0};
    if (rc == ERR_OK && row_to_slot(res, 0, out) != ERR_OK) {
        slot_free(out);
        buf_setf(err, "queue slot %lld: an unreadable row", (long long)id);
        rc = ERR_DB;
    }
    PQclear(res);
    return rc;
}

/* p = (platform, account) and, when whole, x's weekday, minute, zone. */
static void p_slot(struct pg_params *p, const struct slot *x, bool whole)
{
    pg_p_init(p);
    pg_p_text(p, x->platform);
    pg_p_text(p, x->account);
    if (!whole)
        return;
    pg_p_i64(p, x->weekday);
    pg_p_i64(p, x->minute);
    pg_p_text(p, x->zone);
}

/* Begin, and take the account's lock until the transaction ends. */
static enum err begin_locked(void *be, const char *platform,
                             const char *account, struct buf *err)
{
    struct store_pg *s = be;
    struct pg_params p;
    enum err rc = pg_begin(s, err);

    if (rc != ERR_OK)
        return rc;
    pg_p_init(&p);
    pg_p_text(&p, platform);
    pg_p_text(&p, account);
    rc = pg_run(s, &pg_slot_lock, &p, NULL, "locking the queue", err);
    return rc == ERR_OK ? rc : end_tx(s, rc, err);
}

/* ERR_EXISTS with *id_out for the same slot, else ERR_OK. */
static enum err slot_find(void *be, const struct slot *x, int64_t *id_out,
                          struct buf *err)
{
    struct pg_params p;
    PGresult *res = NULL;
    enum err rc;

    p_slot(&p, x, true);
    rc = pg_run(be, &pg_slot_find, &p, &res, "finding a queue slot", err);
    if (rc == ERR_OK && PQntuples(res) > 0)
        rc = pg_i64(res, 0, 0, id_out) == ERR_OK ? ERR_EXISTS : ERR_DB;
    PQclear(res);
    return rc;
}

static enum err slot_count(void *be, const struct slot *x, int64_t *n,
                           struct buf *err)
{
    struct pg_params p;
    PGresult *res = NULL;
    enum err rc;

    p_slot(&p, x, false);
    rc = pg_run(be, &pg_slot_count, &p, &res, "counting queue slots", err);
    if (rc == ERR_OK && pg_i64(res, 0, 0, n) != ERR_OK)
        rc = ERR_DB;
    PQclear(res);
    return rc;
}

static enum err slot_insert(void *be, const struct slot *x, int64_t now,
                            int64_t *id_out, struct buf *err)
{
    struct pg_params p;
    PGresult *res = NULL;
    enum err rc;

    p_slot(&p, x, true);
    pg_p_i64(&p, now);
    rc = pg_run(be, &pg_slot_add, &p, &res, "adding a queue slot", err);
    if (rc == ERR_OK && pg_i64(res, 0, 0, id_out) != ERR_OK)
        rc = ERR_DB;
    PQclear(res);
    return rc;
}

static enum err taken_in(void *be, const char *platform, const char *account,
                         const struct slot_when *c, size_t n, bool *taken,
                         struct buf *err)
{
    enum err rc = ERR_OK;

    for (size_t i = 0; i < n && rc == ERR_OK; i++) {
        struct pg_params p;
        PGresult *res = NULL;
        pg_p_init(&p);
        pg_p_text(&p, platform);
        pg_p_text(&p, account);
        pg_p_i64(&p, c[i].utc);
        rc = pg_run(be, &pg_slot_taken, &p, &res, "reading the queue", err);
        taken[i] = rc == ERR_OK && PQntuples(res) > 0;
        PQclear(res);
    }
    return rc;
}

static enum err add_post(void *be, const struct post *p, const char *note,
                         int64_t now, int64_t *id_out, struct buf *err)
{
    return pg_post_add_in_tx(be, p, note, now, id_out, err);
}

/* The row steps of store_slots_common.c's flow. */
static const struct slot_tx_ops pg_slot_tx = {
    .begin = begin_locked,
    .end = end_tx,
    .find = slot_find,
    .count = slot_count,
    .insert = slot_insert,
    .taken = taken_in,
    .add_post = add_post,
};

enum err pg_slot_add_op(struct store *st, const struct slot *x, int64_t now,
                        int64_t *id_out, struct buf *err)
{
    return slot_add_flow(&pg_slot_tx, pg_of(st), x, now, id_out, err);
}

enum err pg_slot_update_op(struct store *st, int64_t id, int weekday,
                           int minute, const char *zone, int64_t now,
                           struct buf *err)
{
    struct slot cur = {0};
    struct pg_params p;
    PGresult *res = NULL;
    enum err rc = pg_slot_get_op(st, id, &cur, err);

    if (rc != ERR_OK)
        return rc;
    pg_p_init(&p);
    pg_p_i64(&p, id);
    pg_p_i64(&p, weekday);
    pg_p_i64(&p, minute);
    pg_p_text(&p, zone);
    pg_p_i64(&p, now);
    rc = pg_run(pg_of(st), &pg_slot_update, &p, &res, "changing a queue slot",
                err);
    /* (ERR_EXISTS: a racing change took it, the unique index says.) */
    if (rc == ERR_EXISTS || (rc == ERR_OK && pg_changes(res) == 0))
        rc = slot_clash(&cur, err);
    PQclear(res);
    slot_free(&cur);
    return rc;
}

enum err pg_slot_delete_op(struct store *st, int64_t id, struct buf *err)
{
    PGresult *res = NULL;
    enum err rc = pg_run_id(pg_of(st), &pg_slot_delete, id, "queue slot",
                            "removing a queue slot", &res, err);

    PQclear(res);
    return rc;
}

enum err pg_slot_taken_op(struct store *st, const char *platform,
                          const char *account, const struct slot_when *c,
                          size_t n, bool *taken, struct buf *err)
{
    return taken_in(pg_of(st), platform, account, c, n, taken, err);
}

enum err pg_slot_queue_post_op(struct store *st, struct post *p,
                               const struct slot_when *c, size_t n,
                               int64_t now, int64_t *id_out,
                               size_t *chosen_out, struct buf *err)
{
    return slot_queue_flow(&pg_slot_tx, pg_of(st), p, c, n, now, id_out,
                           chosen_out, err);
}
