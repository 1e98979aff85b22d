/* The notification outbox, SQLite backend (store_notify.h, migration
 * 0022). Rare statements: prepared per call, finalized at out:. The two
 * channels have their own columns; which statement a channel uses is
 * chosen from a fixed table, never built from input. */
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/str.h"
#include "core/timeutil.h"
#include "store/store_notify.h"
#include "store/store_sqlite_notify.h"

#define S sqlite_store_of
#define WATCH_KEY_MAX 256

static const char *const channel_names[NOTIFY_CHANNEL_COUNT] = {"webhook",
                                                                 "mail"};

const char *notify_channel_name(enum notify_channel c)
{
    return (unsigned)c < NOTIFY_CHANNEL_COUNT ? channel_names[c] : "?";
}

/* ---- adding ----------------------------------------------------------- */

#define EV_COLS                                                               \
    "id, kind, created_at, post_id, platform, account, item, title, "        \
    "detail, test, wh_state, wh_attempts, wh_next_at, mail_state, "           \
    "mail_attempts, mail_next_at"
#define SQL_ADD                                                               \
    "INSERT INTO notify_outbox(kind, dedup_key, created_at, post_id, "        \
    "platform, account, item, title, detail, test, wh_next_at, "              \
    "mail_next_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, substr(?8, 1, 2048), " \
    "substr(?9, 1, 2048), ?10, ?3, ?3) ON CONFLICT(dedup_key) DO NOTHING"

enum err sq_notify_add(struct store *base, const struct notify_event *ev,
                       const char *dedup_key, int64_t now,
                       int64_t *id_out, struct buf *err)
{
    struct sqlite_store *s = S(base);
    sqlite3_stmt *st = NULL;
    enum err rc = ERR_OK;

    if (ev->kind == NULL || ev->kind[0] == '\0' ||
        strlen(ev->kind) > NOTIFY_KIND_MAX) {
        buf_setf(err, "kind: empty or longer than %d bytes", NOTIFY_KIND_MAX);
        return ERR_INVALID;
    }
    if (sqlite3_prepare_v2(s->db, SQL_ADD, -1, &st, NULL) != SQLITE_OK ||
        sqlite3_bind_text(st, 1, ev->kind, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite_bind_text_or_null(st, 2, dedup_key) != SQLITE_OK ||
        sqlite3_bind_int64(st, 3, now) != SQLITE_OK ||
        (ev->post_id > 0 ? sqlite3_bind_int64(st, 4, ev->post_id)
                         : sqlite3_bind_null(st, 4)) != SQLITE_OK ||
        sqlite_bind_text_or_null(st, 5, ev->platform) != SQLITE_OK ||
        sqlite_bind_text_or_null(st, 6, ev->account) != SQLITE_OK ||
        sqlite_bind_text_or_null(st, 7, ev->item) != SQLITE_OK ||
        sqlite_bind_text_or_null(st, 8, ev->title) != SQLITE_OK ||
        sqlite_bind_text_or_null(st, 9, ev->detail) != SQLITE_OK ||
        sqlite3_bind_int(st, 10, ev->test ? 1 : 0) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_DONE)
        rc = sqlite_fail(s, err, "adding a notification");
    else if (sqlite3_changes(s->db) == 0)
        rc = ERR_EXISTS;
    else if (id_out != NULL)
        *id_out = sqlite3_last_insert_rowid(s->db);
    sqlite3_finalize(st);
    return rc;
}

const char *sqlite_notify_post_kind(const char *from, const char *to)
{
    if (str_eq(to, "published"))
        return "post.published";
    if (str_eq(to, "missed") || (str_eq(to, "failed") &&
                                 str_eq(from, "claimed")))
        return "post.missed";
    if (str_eq(to, "failed"))
        return "post.failed";
    if (str_eq(to, "needs_relogin"))
        return "post.needs_relogin";
    return NULL;
}

#define SQL_ADD_POST                                                          \
    "INSERT INTO notify_outbox(kind, created_at, post_id, platform, "         \
    "account, title, detail, wh_next_at, mail_next_at) SELECT ?2, ?3, id, "   \
    "platform, account, substr(title, 1, 2048), "                             \
    "substr(coalesce(nullif(last_error, ''), ?4), 1, 2048), ?3, ?3 "          \
    "FROM post WHERE id = ?1"

enum err sqlite_notify_post(struct sqlite_store *s, int64_t id,
                            const char *from, const char *to,
                            const char *note, int64_t now, struct buf *err)
{
    const char *kind = sqlite_notify_post_kind(from, to);
    sqlite3_stmt *st = NULL;
    enum err rc = ERR_OK;

    if (kind == NULL)
        return ERR_OK;
    if (sqlite3_prepare_v2(s->db, SQL_ADD_POST, -1, &st, NULL) !=
            SQLITE_OK ||
        sqlite3_bind_int64(st, 1, id) != SQLITE_OK ||
        sqlite3_bind_text(st, 2, kind, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_int64(st, 3, now) != SQLITE_OK ||
        sqlite_bind_text_or_null(st, 4, note) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_DONE)
        rc = sqlite_fail(s, err, "adding a post's notification");
    sqlite3_finalize(st);
    return rc;
}

/* ---- claiming and reading -------------------------------------------- */

static const char *const sql_claim[NOTIFY_CHANNEL_COUNT] = {
    "UPDATE notify_outbox SET wh_next_at = ?2 WHERE id IN (SELECT id FROM "
    "notify_outbox WHERE wh_state = 'pending' AND wh_next_at <= ?1 ORDER BY "
    "id LIMIT ?3) RETURNING id",
    "UPDATE notify_outbox SET mail_next_at = ?2 WHERE id IN (SELECT id FROM "
    "notify_outbox WHERE mail_state = 'pending' AND mail_next_at <= ?1 "
    "ORDER BY id LIMIT ?3) RETURNING id",
};

enum err sq_notify_claim(struct store *base, enum notify_channel c,
                         int64_t now, int64_t lease_s, size_t limit,
                         int64_t **ids, size_t *n, struct buf *err)
{
    struct sqlite_store *s = S(base);
    sqlite3_stmt *st = NULL;
    int64_t *v = NULL;
    size_t k = 0;
    enum err rc;
    int r;

    *ids = NULL;
    *n = 0;
    if ((unsigned)c >= NOTIFY_CHANNEL_COUNT || limit == 0 || limit > 100)
        return ERR_INVALID;
    rc = sqlite_write_begin(s, err);
    if (rc != ERR_OK)
        return rc;
    v = xcalloc(limit, sizeof *v);
    if (sqlite3_prepare_v2(s->db, sql_claim[c], -1, &st, NULL) != SQLITE_OK ||
        sqlite3_bind_int64(st, 1, now) != SQLITE_OK ||
        sqlite3_bind_int64(st, 2, now + lease_s) != SQLITE_OK ||
        sqlite3_bind_int64(st, 3, (sqlite3_int64)limit) != SQLITE_OK) {
        rc = sqlite_fail(s, err, "claiming notifications");
        goto out;
    }
    while ((r = sqlite3_step(st)) == SQLITE_ROW && k < limit)
        v[k++] = sqlite3_column_int64(st, 0);
    if (r != SQLITE_DONE && r != SQLITE_ROW)
        rc = sqlite_fail(s, err, "claiming notifications");
out:
    sqlite3_finalize(st);
    rc = sqlite_write_end(s, rc, err);
    if (rc == ERR_OK) {
        *ids = v;
        *n = k;
    } else {
        free(v);
    }
    return rc;
}

static void row_to_event(sqlite3_stmt *st, struct notify_event *ev)
{
    memset(ev, 0, sizeof *ev);
    ev->id = sqlite3_column_int64(st, 0);
    ev->kind = (const char *)sqlite3_column_text(st, 1);
    ev->created_at = sqlite3_column_int64(st, 2);
    ev->post_id = sqlite3_column_int64(st, 3);
    ev->platform = (const char *)sqlite3_column_text(st, 4);
    ev->account = (const char *)sqlite3_column_text(st, 5);
    ev->item = (const char *)sqlite3_column_text(st, 6);
    ev->title = (const char *)sqlite3_column_text(st, 7);
    ev->detail = (const char *)sqlite3_column_text(st, 8);
    ev->test = sqlite3_column_int(st, 9) != 0;
    for (int c = 0; c < NOTIFY_CHANNEL_COUNT; c++) {
        ev->state[c] = (const char *)sqlite3_column_text(st, 10 + 3 * c);
        ev->attempts[c] = sqlite3_column_int64(st, 11 + 3 * c);
        ev->next_at[c] = sqlite3_column_int64(st, 12 + 3 * c);
    }
}

/* Step st (bound), calling fn per row; ERR_NOTFOUND when want_one and
 * no row came. */
static enum err each_event(struct sqlite_store *s, sqlite3_stmt *st,
                           bool want_one, store_notify_fn fn, void *ud)
{
    struct notify_event ev;
    enum err rc = ERR_OK;
    size_t rows = 0;
    int r;

    while (rc == ERR_OK && (r = sqlite3_step(st)) == SQLITE_ROW) {
        row_to_event(st, &ev);
        rows++;
        rc = fn(ud, &ev);
    }
    if (rc == ERR_OK && r != SQLITE_DONE)
        rc = sqlite_fail(s, NULL, "reading notifications");
    if (rc == ERR_OK && want_one && rows == 0)
        rc = ERR_NOTFOUND;
    return rc;
}

enum err sq_notify_get(struct store *base, int64_t id, store_notify_fn fn,
                       void *ud)
{
    struct sqlite_store *s = S(base);
    sqlite3_stmt *st = NULL;
    enum err rc;

    if (sqlite3_prepare_v2(s->db,
                           "SELECT " EV_COLS " FROM notify_outbox WHERE "
                           "id = ?1", -1, &st, NULL) != SQLITE_OK ||
        sqlite3_bind_int64(st, 1, id) != SQLITE_OK)
        rc = sqlite_fail(s, NULL, "reading a notification");
    else
        rc = each_event(s, st, true, fn, ud);
    sqlite3_finalize(st);
    return rc;
}

enum err sq_notify_list(struct store *base, size_t limit,
                        store_notify_fn fn, void *ud)
{
    struct sqlite_store *s = S(base);
    sqlite3_stmt *st = NULL;
    enum err rc;

    if (limit == 0 || limit > 500)
        return ERR_INVALID;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT " EV_COLS " FROM notify_outbox ORDER BY "
                           "id DESC LIMIT ?1", -1, &st, NULL) != SQLITE_OK ||
        sqlite3_bind_int64(st, 1, (sqlite3_int64)limit) != SQLITE_OK)
        rc = sqlite_fail(s, NULL, "listing notifications");
    else
        rc = each_event(s, st, false, fn, ud);
    sqlite3_finalize(st);
    return rc;
}

enum err sq_notify_next_due(struct store *base, int64_t *out)
{
    struct sqlite_store *s = S(base);
    sqlite3_stmt *st = NULL;
    enum err rc = ERR_OK;

    *out = TIME_NONE;
    if (sqlite3_prepare_v2(
            s->db,
            "SELECT min(t) FROM (SELECT min(wh_next_at) AS t FROM "
            "notify_outbox WHERE wh_state = 'pending' UNION ALL SELECT "
            "min(mail_next_at) FROM notify_outbox WHERE mail_state = "
            "'pending')",
            -1, &st, NULL) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_ROW)
        rc = sqlite_fail(s, NULL, "reading the next notification");
    else if (sqlite3_column_type(st, 0) != SQLITE_NULL)
        *out = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return rc;
}

/* ---- results ---------------------------------------------------------- */

/* ?1 id, ?2 state ('sent', 'pending', 'failed'), ?3 next_at or NULL */
static const char *const sql_result[NOTIFY_CHANNEL_COUNT] = {
    "UPDATE notify_outbox SET wh_state = ?2, wh_attempts = wh_attempts + 1, "
    "wh_next_at = coalesce(?3, wh_next_at) WHERE id = ?1 RETURNING "
    "wh_attempts",
    "UPDATE notify_outbox SET mail_state = ?2, mail_attempts = "
    "mail_attempts + 1, mail_next_at = coalesce(?3, mail_next_at) WHERE "
    "id = ?1 RETURNING mail_attempts",
};
#define SQL_LOG_ADD                                                           \
    "INSERT INTO notify_delivery(outbox_id, channel, at, attempt, ok, "       \
    "status, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6, substr(?7, 1, 2048))"

static enum err log_add(struct sqlite_store *s, int64_t id,
                        enum notify_channel c, int64_t attempt,
                        const struct notify_attempt *a, int64_t now,
                        struct buf *err)
{
    sqlite3_stmt *st = NULL;
    enum err rc = ERR_OK;

    if (sqlite3_prepare_v2(s->db, SQL_LOG_ADD, -1, &st, NULL) != SQLITE_OK ||
        sqlite3_bind_int64(st, 1, id) != SQLITE_OK ||
        sqlite3_bind_text(st, 2, channel_names[c], -1, SQLITE_STATIC) !=
            SQLITE_OK ||
        sqlite3_bind_int64(st, 3, now) != SQLITE_OK ||
        sqlite3_bind_int64(st, 4, attempt) != SQLITE_OK ||
        sqlite3_bind_int(st, 5, a->ok ? 1 : 0) != SQLITE_OK ||
        sqlite3_bind_int(st, 6, a->status) != SQLITE_OK ||
        sqlite3_bind_text(st, 7, a->detail ? a->detail : "", -1,
                          SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_DONE)
        rc = sqlite_fail(s, err, "logging a delivery");
    sqlite3_finalize(st);
    return rc;
}

enum err sq_notify_result(struct store *base, int64_t id,
                          enum notify_channel c,
                          const struct notify_attempt *a, int64_t now,
                          struct buf *err)
{
    struct sqlite_store *s = S(base);
    const char *state = a->ok ? "sent"
                        : a->retry_at == TIME_NONE ? "failed"
                                                   : "pending";
    sqlite3_stmt *st = NULL;
    int64_t attempt = 0;
    enum err rc;
    int r;

    if ((unsigned)c >= NOTIFY_CHANNEL_COUNT)
        return ERR_INVALID;
    rc = sqlite_write_begin(s, err);
    if (rc != ERR_OK)
        return rc;
    if (sqlite3_prepare_v2(s->db, sql_result[c], -1, &st, NULL) !=
            SQLITE_OK ||
        sqlite3_bind_int64(st, 1, id) != SQLITE_OK ||
        sqlite3_bind_text(st, 2, state, -1, SQLITE_STATIC) != SQLITE_OK ||
        (a->ok || a->retry_at == TIME_NONE
             ? sqlite3_bind_null(st, 3)
             : sqlite3_bind_int64(st, 3, a->retry_at)) != SQLITE_OK) {
        rc = sqlite_fail(s, err, "recording a delivery");
        goto out;
    }
    r = sqlite3_step(st);
    if (r == SQLITE_ROW)
        attempt = sqlite3_column_int64(st, 0);
    else if (r == SQLITE_DONE)
        rc = ERR_NOTFOUND;
    else
        rc = sqlite_fail(s, err, "recording a delivery");
    sqlite3_finalize(st);
    st = NULL;
    if (rc == ERR_OK)
        rc = log_add(s, id, c, attempt, a, now, err);
out:
    sqlite3_finalize(st);
    if (rc == ERR_NOTFOUND)
        buf_setf(err, "no notification %lld", (long long)id);
    return sqlite_write_end(s, rc, err);
}

static const char *const sql_off[NOTIFY_CHANNEL_COUNT] = {
    "UPDATE notify_outbox SET wh_state = 'off' WHERE wh_state = 'pending'",
    "UPDATE notify_outbox SET mail_state = 'off' WHERE mail_state = "
    "'pending'",
};

enum err sq_notify_off(struct store *base, enum notify_channel c,
                       size_t *n, struct buf *err)
{
    struct sqlite_store *s = S(base);
    enum err rc = ERR_OK;

    if ((unsigned)c >= NOTIFY_CHANNEL_COUNT)
        return ERR_INVALID;
    if (sqlite3_exec(s->db, sql_off[c], NULL, NULL, NULL) != SQLITE_OK)
        rc = sqlite_fail(s, err, "switching a channel off");
    else if (n != NULL)
        *n = (size_t)sqlite3_changes(s->db);
    return rc;
}

#define SQL_DELIVERIES                                                        \
    "SELECT d.id, d.outbox_id, o.kind, d.channel, d.at, d.attempt, d.ok, "    \
    "d.status, d.detail, o.test FROM notify_delivery d JOIN notify_outbox o " \
    "ON o.id = d.outbox_id ORDER BY d.id DESC LIMIT ?1"

enum err sq_notify_deliveries(struct store *base, size_t limit,
                              store_notify_delivery_fn fn, void *ud)
{
    struct sqlite_store *s = S(base);
    sqlite3_stmt *st = NULL;
    enum err rc = ERR_OK;
    int r = SQLITE_DONE;

    if (limit == 0 || limit > 500)
        return ERR_INVALID;
    if (sqlite3_prepare_v2(s->db, SQL_DELIVERIES, -1, &st, NULL) !=
            SQLITE_OK ||
        sqlite3_bind_int64(st, 1, (sqlite3_int64)limit) != SQLITE_OK) {
        rc = sqlite_fail(s, NULL, "reading the delivery log");
        goto out;
    }
    while (rc == ERR_OK && (r = sqlite3_step(st)) == SQLITE_ROW) {
        struct notify_delivery d = {
            .id = sqlite3_column_int64(st, 0),
            .outbox_id = sqlite3_column_int64(st, 1),
            .kind = (const char *)sqlite3_column_text(st, 2),
            .channel = (const char *)sqlite3_column_text(st, 3),
            .at = sqlite3_column_int64(st, 4),
            .attempt = sqlite3_column_int64(st, 5),
            .ok = sqlite3_column_int(st, 6) != 0,
            .status = sqlite3_column_int(st, 7),
            .detail = (const char *)sqlite3_column_text(st, 8),
            .test = sqlite3_column_int(st, 9) != 0,
        };
        rc = fn(ud, &d);
    }
    if (rc == ERR_OK && r != SQLITE_DONE)
        rc = sqlite_fail(s, NULL, "reading the delivery log");
out:
    sqlite3_finalize(st);
    return rc;
}

/* ---- conditions that last ---------------------------------------------- */

#define SQL_WATCH                                                             \
    "INSERT INTO notify_watch(key, first_seen, seen_at) VALUES (?1, ?2, ?2) " \
    "ON CONFLICT(key) DO UPDATE SET seen_at = ?2 RETURNING first_seen, "      \
    "notified"

enum err sq_notify_watch(struct store *base, const char *key, int64_t now,
                         int64_t *first_seen, bool *notified,
                         struct buf *err)
{
    struct sqlite_store *s = S(base);
    sqlite3_stmt *st = NULL;
    enum err rc = ERR_OK;

    if (strlen(key) > WATCH_KEY_MAX) {
        buf_setf(err, "watch key longer than %d bytes", WATCH_KEY_MAX);
        return ERR_INVALID;
    }
    if (sqlite3_prepare_v2(s->db, SQL_WATCH, -1, &st, NULL) != SQLITE_OK ||
        sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_int64(st, 2, now) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_ROW) {
        rc = sqlite_fail(s, err, "recording a condition");
    } else {
        *first_seen = sqlite3_column_int64(st, 0);
        *notified = sqlite3_column_int(st, 1) != 0;
    }
    sqlite3_finalize(st);
    return rc;
}

enum err sq_notify_watch_mark(struct store *base, const char *key,
                              struct buf *err)
{
    struct sqlite_store *s = S(base);
    sqlite3_stmt *st = NULL;
    enum err rc = ERR_OK;

    if (sqlite3_prepare_v2(s->db,
                           "UPDATE notify_watch SET notified = 1 WHERE "
                           "key = ?1", -1, &st, NULL) != SQLITE_OK ||
        sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_DONE)
        rc = sqlite_fail(s, err, "marking a condition");
    sqlite3_finalize(st);
    return rc;
}

enum err sq_notify_watch_clear(struct store *base, const char *prefix,
                               int64_t now, struct buf *err)
{
    struct sqlite_store *s = S(base);
    sqlite3_stmt *st = NULL;
    enum err rc = ERR_OK;

    if (sqlite3_prepare_v2(s->db,
                           "DELETE FROM notify_watch WHERE substr(key, 1, "
                           "length(?1)) = ?1 AND seen_at < ?2", -1, &st,
                           NULL) != SQLITE_OK ||
        sqlite3_bind_text(st, 1, prefix, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_int64(st, 2, now) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_DONE)
        rc = sqlite_fail(s, err, "clearing conditions");
    sqlite3_finalize(st);
    return rc;
}

#define SQL_PRUNE                                                             \
    "DELETE FROM notify_outbox WHERE created_at < ?1 AND wh_state <> "        \
    "'pending' AND mail_state <> 'pending'"

enum err sq_notify_prune(struct store *base, int64_t before, size_t *n,
                         struct buf *err)
{
    struct sqlite_store *s = S(base);
    sqlite3_stmt *st = NULL;
    enum err rc = ERR_OK;

    if (sqlite3_prepare_v2(s->db, SQL_PRUNE, -1, &st, NULL) != SQLITE_OK ||
        sqlite3_bind_int64(st, 1, before) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_DONE)
        rc = sqlite_fail(s, err, "pruning notifications");
    else if (n != NULL)
        *n = (size_t)sqlite3_changes(s->db);
    sqlite3_finalize(st);
    return rc;
}
