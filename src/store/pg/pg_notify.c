/* The notification outbox, PostgreSQL backend (store_notify.h; migration
 * pg/sql/0004_posts.sql). The same answers as store_sqlite_notify.c.
 * Senders on several hosts claim due rows with FOR UPDATE SKIP LOCKED:
 * each row goes to one sender per channel until its lease (next_at)
 * passes. Which statement a channel uses is chosen from a fixed table,
 * never built from input. A post's change of state adds its row inside
 * that change's transaction (pg_post.c). */
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/str.h"
#include "core/timeutil.h"
#include "store/pg/pg_ops.h"
#include "store/pg/pg_post_int.h"
#include "store/store_notify.h"

#define WATCH_KEY_MAX 256
#define EV_COLS                                                               \
    "id, kind, created_at, post_id, platform, account, item, title, "        \
    "detail, test, wh_state, wh_attempts, wh_next_at, mail_state, "           \
    "mail_attempts, mail_next_at"

PG_STMT(pg_notify_add, 10,
        "INSERT INTO notify_outbox(kind, dedup_key, created_at, post_id, "
        "platform, account, item, title, detail, test, wh_next_at, "
        "mail_next_at) VALUES ($1, $2, $3::bigint, $4::bigint, $5, $6, $7, "
        "substr($8, 1, 2048), substr($9, 1, 2048), $10::bigint, $3::bigint, "
        "$3::bigint) ON CONFLICT (dedup_key) DO NOTHING RETURNING id");
PG_STMT(pg_notify_claim_wh, 3,
        "UPDATE notify_outbox SET wh_next_at = $2::bigint WHERE id IN "
        "(SELECT id FROM notify_outbox WHERE wh_state = 'pending' AND "
        "wh_next_at <= $1::bigint ORDER BY id LIMIT $3::bigint FOR UPDATE "
        "SKIP LOCKED) RETURNING id");
PG_STMT(pg_notify_claim_mail, 3,
        "UPDATE notify_outbox SET mail_next_at = $2::bigint WHERE id IN "
        "(SELECT id FROM notify_outbox WHERE mail_state = 'pending' AND "
        "mail_next_at <= $1::bigint ORDER BY id LIMIT $3::bigint FOR UPDATE "
        "SKIP LOCKED) RETURNING id");
PG_STMT(pg_notify_get, 1,
        "SELECT " EV_COLS " FROM notify_outbox WHERE id = $1::bigint");
PG_STMT(pg_notify_list, 1,
        "SELECT " EV_COLS " FROM notify_outbox ORDER BY id DESC LIMIT "
        "$1::bigint");
PG_STMT(pg_notify_next, 0,
        "SELECT min(t) FROM (SELECT min(wh_next_at) AS t FROM notify_outbox "
        "WHERE wh_state = 'pending' UNION ALL SELECT min(mail_next_at) FROM "
        "notify_outbox WHERE mail_state = 'pending') x");
/* $1 id, $2 state ('sent', 'pending', 'failed'), $3 next_at or NULL */
PG_STMT(pg_notify_result_wh, 3,
        "UPDATE notify_outbox SET wh_state = $2, wh_attempts = wh_attempts "
        "+ 1, wh_next_at = coalesce($3::bigint, wh_next_at) WHERE id = "
        "$1::bigint RETURNING wh_attempts");
PG_STMT(pg_notify_result_mail, 3,
        "UPDATE notify_outbox SET mail_state = $2, mail_attempts = "
        "mail_attempts + 1, mail_next_at = coalesce($3::bigint, "
        "mail_next_at) WHERE id = $1::bigint RETURNING mail_attempts");
PG_STMT(pg_notify_log, 7,
        "INSERT INTO notify_delivery(outbox_id, channel, at, attempt, ok, "
        "status, detail) VALUES ($1::bigint, $2, $3::bigint, $4::bigint, "
        "$5::bigint, $6::bigint, substr($7, 1, 2048))");
PG_STMT(pg_notify_off_wh, 0,
        "UPDATE notify_outbox SET wh_state = 'off' WHERE wh_state = "
        "'pending'");
PG_STMT(pg_notify_off_mail, 0,
        "UPDATE notify_outbox SET mail_state = 'off' WHERE mail_state = "
        "'pending'");
PG_STMT(pg_notify_deliveries, 1,
        "SELECT d.id, d.outbox_id, o.kind, d.channel, d.at, d.attempt, d.ok, "
        "d.status, d.detail, o.test FROM notify_delivery d JOIN "
        "notify_outbox o ON o.id = d.outbox_id ORDER BY d.id DESC LIMIT "
        "$1::bigint");
PG_STMT(pg_notify_watch, 2,
        "INSERT INTO notify_watch(key, first_seen, seen_at) VALUES ($1, "
        "$2::bigint, $2::bigint) ON CONFLICT (key) DO UPDATE SET seen_at = "
        "excluded.seen_at RETURNING first_seen, notified");
PG_STMT(pg_notify_watch_mark, 1,
        "UPDATE notify_watch SET notified = 1 WHERE key = $1");
PG_STMT(pg_notify_watch_clear, 2,
        "DELETE FROM notify_watch WHERE substr(key, 1, char_length($1)) = $1 "
        "AND seen_at < $2::bigint");
PG_STMT(pg_notify_prune, 1,
        "DELETE FROM notify_outbox WHERE created_at < $1::bigint AND "
        "wh_state <> 'pending' AND mail_state <> 'pending'");

static const struct pg_stmt *const claim_stmt[NOTIFY_CHANNEL_COUNT] = {
    &pg_notify_claim_wh, &pg_notify_claim_mail};
static const struct pg_stmt *const result_stmt[NOTIFY_CHANNEL_COUNT] = {
    &pg_notify_result_wh, &pg_notify_result_mail};
static const struct pg_stmt *const off_stmt[NOTIFY_CHANNEL_COUNT] = {
    &pg_notify_off_wh, &pg_notify_off_mail};

static void p_i64_or_null(struct pg_params *p, bool null, int64_t v)
{
    if (null)
        pg_p_null(p);
    else
        pg_p_i64(p, v);
}

enum err pg_notify_add_op(struct store *st, const struct notify_event *ev,
                          const char *dedup_key, int64_t now,
                          int64_t *id_out, struct buf *err)
{
    struct pg_params p;
    PGresult *res = NULL;
    enum err rc;

    if (ev->kind == NULL || ev->kind[0] == '\0' ||
        strlen(ev->kind) > NOTIFY_KIND_MAX) {
        buf_setf(err, "kind: empty or longer than %d bytes", NOTIFY_KIND_MAX);
        return ERR_INVALID;
    }
    pg_p_init(&p);
    pg_p_text(&p, ev->kind);
    pg_p_text(&p, dedup_key);
    pg_p_i64(&p, now);
    p_i64_or_null(&p, ev->post_id <= 0, ev->post_id);
    pg_p_text(&p, ev->platform);
    pg_p_text(&p, ev->account);
    pg_p_text(&p, ev->item);
    pg_p_text(&p, ev->title);
    pg_p_text(&p, ev->detail);
    pg_p_i64(&p, ev->test ? 1 : 0);
    rc = pg_run(pg_of(st), &pg_notify_add, &p, &res, "adding a notification",
                err);
    if (rc == ERR_OK && PQntuples(res) == 0)
        rc = ERR_EXISTS;
    else if (rc == ERR_OK && id_out != NULL &&
             pg_i64(res, 0, 0, id_out) != ERR_OK)
        rc = ERR_DB;
    PQclear(res);
    return rc;
}

enum err pg_notify_claim_op(struct store *st, enum notify_channel c,
                            int64_t now, int64_t lease_s, size_t limit,
                            int64_t **ids, size_t *n, struct buf *err)
{
    struct pg_params p;
    PGresult *res = NULL;
    enum err rc;

    *ids = NULL;
    *n = 0;
    if ((unsigned)c >= NOTIFY_CHANNEL_COUNT || limit == 0 || limit > 100)
        return ERR_INVALID;
    pg_p_init(&p);
    pg_p_i64(&p, now);
    pg_p_i64(&p, now + lease_s);
    pg_p_i64(&p, (int64_t)limit);
    rc = pg_run(pg_of(st), claim_stmt[c], &p, &res, "claiming notifications",
                err);
    if (rc == ERR_OK && PQntuples(res) > 0) {
        int rows = PQntuples(res);
        *ids = xcalloc((size_t)rows, sizeof **ids);
        for (int r = 0; rc == ERR_OK && r < rows; r++)
            rc = pg_i64(res, r, 0, &(*ids)[r]) == ERR_OK ? ERR_OK : ERR_DB;
        *n = rc == ERR_OK ? (size_t)rows : 0;
        if (rc != ERR_OK)
            FREE_AND_NULL(*ids);
    }
    PQclear(res);
    return rc;
}

static enum err row_to_event(const PGresult *res, int r,
                             struct notify_event *ev)
{
    memset(ev, 0, sizeof *ev);
    ev->kind = pg_text(res, r, 1);
    ev->post_id = pg_i64_or(res, r, 3, 0);
    ev->platform = pg_text(res, r, 4);
    ev->account = pg_text(res, r, 5);
    ev->item = pg_text(res, r, 6);
    ev->title = pg_text(res, r, 7);
    ev->detail = pg_text(res, r, 8);
    ev->test = pg_i64_or(res, r, 9, 0) != 0;
    for (int c = 0; c < NOTIFY_CHANNEL_COUNT; c++) {
        ev->state[c] = pg_text(res, r, 10 + 3 * c);
        ev->attempts[c] = pg_i64_or(res, r, 11 + 3 * c, 0);
        ev->next_at[c] = pg_i64_or(res, r, 12 + 3 * c, 0);
    }
    return pg_i64(res, r, 0, &ev->id) == ERR_OK &&
                   pg_i64(res, r, 2, &ev->created_at) == ERR_OK
               ? ERR_OK
               : ERR_DB;
}

/* fn per row of st with p; ERR_NOTFOUND when want_one and none came. */
static enum err each_event(struct store *st, const struct pg_stmt *q,
                           const struct pg_params *p, bool want_one,
                           store_notify_fn fn, void *ud)
{
    PGresult *res = NULL;
    struct notify_event ev;
    enum err rc = pg_run(pg_of(st), q, p, &res, "reading notifications",
                         NULL);

    if (rc == ERR_OK && want_one && PQntuples(res) == 0)
        rc = ERR_NOTFOUND;
    for (int r = 0; rc == ERR_OK && r < PQntuples(res); r++) {
        rc = row_to_event(res, r, &ev);
        if (rc == ERR_OK)
            rc = fn(ud, &ev);
    }
    PQclear(res);
    return rc;
}

enum err pg_notify_get_op(struct store *st, int64_t id, store_notify_fn fn,
                          void *ud)
{
    struct pg_params p;

    pg_p_init(&p);
    pg_p_i64(&p, id);
    return each_event(st, &pg_notify_get, &p, true, fn, ud);
}

enum err pg_notify_list_op(struct store *st, size_t limit,
                           store_notify_fn fn, void *ud)
{
    struct pg_params p;

    if (limit == 0 || limit > 500)
        return ERR_INVALID;
    pg_p_init(&p);
    pg_p_i64(&p, (int64_t)limit);
    return each_event(st, &pg_notify_list, &p, false, fn, ud);
}

enum err pg_notify_next_due_op(struct store *st, int64_t *out)
{
    PGresult *res = NULL;
    enum err rc = pg_run(pg_of(st), &pg_notify_next, NULL, &res,
                         "reading the next notification", NULL);

    *out = TIME_NONE;
    if (rc == ERR_OK)
        *out = pg_i64_or(res, 0, 0, TIME_NONE);
    PQclear(res);
    return rc;
}

/* The delivery log row of attempt number `attempt`, inside the caller's
 * transaction. */
static enum err log_add(struct store_pg *s, int64_t id, enum notify_channel c,
                        int64_t attempt, const struct notify_attempt *a,
                        int64_t now, struct buf *err)
{
    struct pg_params p;

    pg_p_init(&p);
    pg_p_i64(&p, id);
    pg_p_text(&p, notify_channel_name(c));
    pg_p_i64(&p, now);
    pg_p_i64(&p, attempt);
    pg_p_i64(&p, a->ok ? 1 : 0);
    pg_p_i64(&p, a->status);
    pg_p_text(&p, a->detail ? a->detail : "");
    return pg_run(s, &pg_notify_log, &p, NULL, "logging a delivery", err);
}

enum err pg_notify_result_op(struct store *st, int64_t id,
                             enum notify_channel c,
                             const struct notify_attempt *a, int64_t now,
                             struct buf *err)
{
    struct store_pg *s = pg_of(st);
    const char *state = a->ok ? "sent"
                        : a->retry_at == TIME_NONE ? "failed"
                                                   : "pending";
    struct pg_params p;
    PGresult *res = NULL;
    int64_t attempt = 0;
    enum err rc;

    if ((unsigned)c >= NOTIFY_CHANNEL_COUNT)
        return ERR_INVALID;
    rc = pg_begin(s, err);
    if (rc != ERR_OK)
        return rc;
    pg_p_init(&p);
    pg_p_i64(&p, id);
    pg_p_text(&p, state);
    p_i64_or_null(&p, a->ok || a->retry_at == TIME_NONE, a->retry_at);
    rc = pg_run(s, result_stmt[c], &p, &res, "recording a delivery", err);
    if (rc == ERR_OK && PQntuples(res) == 0) {
        buf_setf(err, "no notification %lld", (long long)id);
        rc = ERR_NOTFOUND;
    } else if (rc == ERR_OK && pg_i64(res, 0, 0, &attempt) != ERR_OK) {
        rc = ERR_DB;
    }
    PQclear(res);
    if (rc == ERR_OK)
        rc = log_add(s, id, c, attempt, a, now, err);
    return pg_post_end(s, rc, err);
}

enum err pg_notify_off_op(struct store *st, enum notify_channel c, size_t *n,
                          struct buf *err)
{
    PGresult *res = NULL;
    enum err rc;

    if ((unsigned)c >= NOTIFY_CHANNEL_COUNT)
        return ERR_INVALID;
    rc = pg_run(pg_of(st), off_stmt[c], NULL, &res,
                "switching a channel off", err);
    if (rc == ERR_OK && n != NULL)
        *n = (size_t)pg_changes(res);
    PQclear(res);
    return rc;
}

enum err pg_notify_deliveries_op(struct store *st, size_t limit,
                                 store_notify_delivery_fn fn, void *ud)
{
    struct pg_params p;
    PGresult *res = NULL;
    enum err rc;

    if (limit == 0 || limit > 500)
        return ERR_INVALID;
    pg_p_init(&p);
    pg_p_i64(&p, (int64_t)limit);
    rc = pg_run(pg_of(st), &pg_notify_deliveries, &p, &res,
                "reading the delivery log", NULL);
    for (int r = 0; rc == ERR_OK && r < PQntuples(res); r++) {
        struct notify_delivery d = {
            .kind = pg_text(res, r, 2), .channel = pg_text(res, r, 3),
            .ok = pg_i64_or(res, r, 6, 0) != 0,
            .status = (int)pg_i64_or(res, r, 7, 0),
            .detail = pg_text(res, r, 8),
            .test = pg_i64_or(res, r, 9, 0) != 0};
        if (pg_i64(res, r, 0, &d.id) != ERR_OK ||
            pg_i64(res, r, 1, &d.outbox_id) != ERR_OK ||
            pg_i64(res, r, 4, &d.at) != ERR_OK ||
            pg_i64(res, r, 5, &d.attempt) != ERR_OK)
            rc = ERR_DB;
        if (rc == ERR_OK)
            rc = fn(ud, &d);
    }
    PQclear(res);
    return rc;
}

enum err pg_notify_watch_op(struct store *st, const char *key, int64_t now,
                            int64_t *first_seen, bool *notified,
                            struct buf *err)
{
    struct pg_params p;
    PGresult *res = NULL;
    enum err rc;

    if (strlen(key) > WATCH_KEY_MAX) {
        buf_setf(err, "watch key longer than %d bytes", WATCH_KEY_MAX);
        return ERR_INVALID;
    }
    pg_p_init(&p);
    pg_p_text(&p, key);
    pg_p_i64(&p, now);
    rc = pg_run(pg_of(st), &pg_notify_watch, &p, &res,
                "recording a condition", err);
    if (rc == ERR_OK && pg_i64(res, 0, 0, first_seen) != ERR_OK)
        rc = ERR_DB;
    if (rc == ERR_OK)
        *notified = pg_i64_or(res, 0, 1, 0) != 0;
    PQclear(res);
    return rc;
}

enum err pg_notify_watch_mark_op(struct store *st, const char *key,
                                 struct buf *err)
{
    struct pg_params p;

    pg_p_init(&p);
    pg_p_text(&p, key);
    return pg_run(pg_of(st), &pg_notify_watch_mark, &p, NULL,
                  "marking a condition", err);
}

enum err pg_notify_watch_clear_op(struct store *st, const char *prefix,
                                  int64_t now, struct buf *err)
{
    struct pg_params p;

    pg_p_init(&p);
    pg_p_text(&p, prefix);
    pg_p_i64(&p, now);
    return pg_run(pg_of(st), &pg_notify_watch_clear, &p, NULL,
                  "clearing conditions", err);
}

enum err pg_notify_prune_op(struct store *st, int64_t before, size_t *n,
                            struct buf *err)
{
    struct pg_params p;
    PGresult *res = NULL;
    enum err rc;

    pg_p_init(&p);
    pg_p_i64(&p, before);
    rc = pg_run(pg_of(st), &pg_notify_prune, &p, &res,
                "pruning notifications", err);
    if (rc == ERR_OK && n != NULL)
        *n = (size_t)pg_changes(res);
    PQclear(res);
    return rc;
}
