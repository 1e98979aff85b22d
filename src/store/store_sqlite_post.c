/* Scheduled posts, SQLite backend (store_post.h). Statements are prepared
 * per call and finalized at out:. Every write is one BEGIN IMMEDIATE
 * transaction that also writes the post_event row. */
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/str.h"
#include "core/timeutil.h"
#include "store/store_post.h"
#include "store/store_post_common.h"
#include "store/store_sqlite.h"
#include "store/store_sqlite_post_int.h"
#include "store/store_sqlite_notify.h"

#define S sqlite_store_of

void post_free(struct post *p)
{
    if (p == NULL)
        return;
    char **s[] = {&p->platform,  &p->account,    &p->title,
                  &p->caption,   &p->tags,       &p->privacy,
                  &p->media,     &p->zone,       &p->local_time,
                  &p->claimed_by, &p->remote_id, &p->remote_url,
                  &p->last_error, &p->idem_key,  &p->body_hash,
                  &p->progress,  &p->failure};
    for (size_t i = 0; i < sizeof s / sizeof *s; i++)
        FREE_AND_NULL(*s[i]);
}

/* ---- transactions ---------------------------------------------------- */


#define SQL_EVENT_ADD                                                         \
    "INSERT INTO post_event(post_id, at, from_state, to_state, note) "        \
    "VALUES (?1, ?2, ?3, ?4, coalesce(?5, ''))"

static enum err event_add(struct sqlite_store *s, int64_t id, int64_t now,
                          const char *from, const char *to, const char *note,
                          struct buf *err)
{
    sqlite3_stmt *st = NULL;
    enum err rc = ERR_OK;

    if (sqlite3_prepare_v2(s->db, SQL_EVENT_ADD, -1, &st, NULL) !=
            SQLITE_OK ||
        sqlite3_bind_int64(st, 1, id) != SQLITE_OK ||
        sqlite3_bind_int64(st, 2, now) != SQLITE_OK ||
        sqlite_bind_text_or_null(st, 3, from) != SQLITE_OK ||
        sqlite3_bind_text(st, 4, to, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite_bind_text_or_null(st, 5, note) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_DONE)
        rc = sqlite_fail(s, err, "writing a post event");
    sqlite3_finalize(st);
    return rc;
}

/* For store_sqlite_post_edit.c (store_sqlite_post_int.h): the same
 * event helper. */
enum err sqlite_post_event_add(struct sqlite_store *s, int64_t id,
                               int64_t now, const char *from, const char *to,
                               const char *note, struct buf *err)
{
    return event_add(s, id, now, from, to, note, err);
}

/* ---- add ------------------------------------------------------------- */

#define SQL_IDEM_FIND "SELECT id, body_hash FROM post WHERE idem_key = ?1"
#define SQL_POST_ADD                                                          \
    "INSERT INTO post(platform, account, title, caption, tags, privacy, "     \
    "media, publish_at, zone, local_time, state, idem_key, body_hash, "       \
    "created_at, updated_at) VALUES (?1, ?2, ?3, coalesce(?4, ''), "          \
    "coalesce(?5, '[]'), coalesce(?6, 'private'), coalesce(?7, '[]'), ?8, "   \
    "?9, ?10, ?11, ?12, ?13, ?14, ?14)"

/* ERR_NOTFOUND when the key is new. */
static enum err idem_find(struct sqlite_store *s, const struct post *p,
                          int64_t *id_out, struct buf *err)
{
    sqlite3_stmt *st = NULL;
    enum err rc = ERR_NOTFOUND;
    int r;

    if (sqlite3_prepare_v2(s->db, SQL_IDEM_FIND, -1, &st, NULL) !=
            SQLITE_OK ||
        sqlite3_bind_text(st, 1, p->idem_key, -1, SQLITE_STATIC) !=
            SQLITE_OK) {
        rc = sqlite_fail(s, err, "finding an idempotency key");
        goto out;
    }
    r = sqlite3_step(st);
    if (r == SQLITE_ROW) {
        const char *h = (const char *)sqlite3_column_text(st, 1);
        *id_out = sqlite3_column_int64(st, 0);
        rc = str_eq(h, p->body_hash) ? ERR_EXISTS : ERR_AMBIGUOUS;
        if (rc == ERR_AMBIGUOUS)
            buf_setf(err, "Idempotency-Key already used with another body");
    } else if (r != SQLITE_DONE) {
        rc = sqlite_fail(s, err, "finding an idempotency key");
    }
out:
    sqlite3_finalize(st);
    return rc;
}

static enum err insert_post(struct sqlite_store *s, const struct post *p,
                            int64_t now, int64_t *id_out, struct buf *err)
{
    sqlite3_stmt *st = NULL;
    enum err rc = ERR_OK;

    if (sqlite3_prepare_v2(s->db, SQL_POST_ADD, -1, &st, NULL) !=
            SQLITE_OK ||
        sqlite3_bind_text(st, 1, p->platform, -1, SQLITE_STATIC) !=
            SQLITE_OK ||
        sqlite3_bind_text(st, 2, p->account, -1, SQLITE_STATIC) !=
            SQLITE_OK ||
        sqlite3_bind_text(st, 3, p->title, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite_bind_text_or_null(st, 4, p->caption) != SQLITE_OK ||
        sqlite_bind_text_or_null(st, 5, p->tags) != SQLITE_OK ||
        sqlite_bind_text_or_null(st, 6, p->privacy) != SQLITE_OK ||
        sqlite_bind_text_or_null(st, 7, p->media) != SQLITE_OK ||
        sqlite3_bind_int64(st, 8, p->publish_at) != SQLITE_OK ||
        sqlite3_bind_text(st, 9, p->zone, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_text(st, 10, p->local_time, -1, SQLITE_STATIC) !=
            SQLITE_OK ||
        sqlite3_bind_text(st, 11, post_state_name(p->state), -1,
                          SQLITE_STATIC) != SQLITE_OK ||
        sqlite_bind_text_or_null(st, 12, p->idem_key) != SQLITE_OK ||
        sqlite_bind_text_or_null(st, 13, p->body_hash) != SQLITE_OK ||
        sqlite3_bind_int64(st, 14, now) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_DONE)
        rc = sqlite_fail(s, err, "adding a post");
    else
        *id_out = sqlite3_last_insert_rowid(s->db);
    sqlite3_finalize(st);
    return rc;
}

enum err sq_post_add(struct store *base, const struct post *p,
                     int64_t now, int64_t *id_out, struct buf *err)
{
    struct sqlite_store *s = S(base);
    enum err rc;

    if (p->state != POST_DRAFT && p->state != POST_SCHEDULED) {
        buf_setf(err, "a new post is a draft or scheduled");
        return ERR_INVALID;
    }
    rc = sqlite_write_begin(s, err);
    if (rc != ERR_OK)
        return rc;
    rc = sq_post_add_in_tx(s, p, "created", now, id_out, err);
    if (rc == ERR_EXISTS) { /* nothing written: not a failure to undo */
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
        return rc;
    }
    return sqlite_write_end(s, rc, err);
}

enum err sq_post_add_in_tx(struct sqlite_store *s, const struct post *p,
                           const char *note, int64_t now, int64_t *id_out,
                           struct buf *err)
{
    enum err rc;

    if (p->idem_key != NULL) {
        rc = idem_find(s, p, id_out, err);
        if (rc != ERR_NOTFOUND)
            return rc; /* ERR_EXISTS, ERR_AMBIGUOUS or a failure */
    }
    rc = insert_post(s, p, now, id_out, err);
    if (rc == ERR_OK)
        rc = event_add(s, *id_out, now, NULL, post_state_name(p->state),
                       note, err);
    return rc;
}

/* ---- reads ----------------------------------------------------------- */

#define SQL_POST_COLS                                                         \
    "SELECT id, platform, account, title, caption, tags, privacy, media, "    \
    "publish_at, zone, local_time, state, attempts, claimed_by, "             \
    "claimed_until, remote_id, remote_url, last_error, idem_key, "            \
    "body_hash, created_at, updated_at, progress, version, failure FROM post "

static char *col_dup(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return t ? xstrdup((const char *)t) : NULL;
}

static enum err row_to_post(sqlite3_stmt *st, struct post *p)
{
    *p = (struct post){0};
    p->id = sqlite3_column_int64(st, 0);
    p->platform = col_dup(st, 1);
    p->account = col_dup(st, 2);
    p->title = col_dup(st, 3);
    p->caption = col_dup(st, 4);
    p->tags = col_dup(st, 5);
    p->privacy = col_dup(st, 6);
    p->media = col_dup(st, 7);
    p->publish_at = sqlite3_column_int64(st, 8);
    p->zone = col_dup(st, 9);
    p->local_time = col_dup(st, 10);
    p->attempts = sqlite3_column_int64(st, 12);
    p->claimed_by = col_dup(st, 13);
    p->claimed_until = sqlite3_column_type(st, 14) == SQLITE_NULL
                           ? TIME_NONE
                           : sqlite3_column_int64(st, 14);
    p->remote_id = col_dup(st, 15);
    p->remote_url = col_dup(st, 16);
    p->last_error = col_dup(st, 17);
    p->idem_key = col_dup(st, 18);
    p->body_hash = col_dup(st, 19);
    p->created_at = sqlite3_column_int64(st, 20);
    p->updated_at = sqlite3_column_int64(st, 21);
    p->progress = col_dup(st, 22);
    p->version = sqlite3_column_int64(st, 23);
    p->failure = col_dup(st, 24);
    if (post_state_from_name((const char *)sqlite3_column_text(st, 11),
                             &p->state) != ERR_OK) {
        post_free(p);
        return ERR_DB;
    }
    return ERR_OK;
}

enum err sq_post_get(struct store *base, int64_t id, struct post *out)
{
    struct sqlite_store *s = S(base);
    sqlite3_stmt *st = NULL;
    enum err rc = ERR_DB;
    int r;

    *out = (struct post){0};
    if (sqlite3_prepare_v2(s->db, SQL_POST_COLS "WHERE id = ?1", -1, &st,
                           NULL) != SQLITE_OK ||
        sqlite3_bind_int64(st, 1, id) != SQLITE_OK)
        goto out;
    r = sqlite3_step(st);
    if (r == SQLITE_ROW)
        rc = row_to_post(st, out);
    else if (r == SQLITE_DONE)
        rc = ERR_NOTFOUND;
out:
    sqlite3_finalize(st);
    return rc;
}

#define SQL_POST_LIST                                                         \
    SQL_POST_COLS "WHERE (?1 IS NULL OR state = ?1) AND (?2 IS NULL OR "      \
                  "publish_at >= ?2) AND (?3 IS NULL OR publish_at < ?3) "    \
                  "AND (?5 IS NULL OR failure = ?5) "                         \
                  "ORDER BY publish_at, id LIMIT ?4"

enum err sq_post_list(struct store *base, const struct post_query *q,
                      store_post_fn fn, void *ud)
{
    struct sqlite_store *s = S(base);
    sqlite3_stmt *st = NULL;
    enum err rc = ERR_DB;
    int r;

    if (sqlite3_prepare_v2(s->db, SQL_POST_LIST, -1, &st, NULL) !=
            SQLITE_OK ||
        sqlite_bind_text_or_null(
            st, 1, q->state < 0 ? NULL
                                : post_state_name((enum post_state)q->state)) !=
            SQLITE_OK ||
        (q->from == TIME_NONE ? sqlite3_bind_null(st, 2)
                              : sqlite3_bind_int64(st, 2, q->from)) !=
            SQLITE_OK ||
        (q->to == TIME_NONE ? sqlite3_bind_null(st, 3)
                            : sqlite3_bind_int64(st, 3, q->to)) !=
            SQLITE_OK ||
        sqlite3_bind_int64(st, 4, q->limit ? (int64_t)q->limit : -1) !=
            SQLITE_OK ||
        sqlite_bind_text_or_null(st, 5, q->failure) != SQLITE_OK)
        goto out;
    rc = ERR_OK;
    while (rc == ERR_OK && (r = sqlite3_step(st)) == SQLITE_ROW) {
        struct post p;
        rc = row_to_post(st, &p);
        if (rc == ERR_OK)
            rc = fn(&p, ud);
        post_free(&p);
    }
    if (rc == ERR_OK && r != SQLITE_DONE)
        rc = ERR_DB;
out:
    sqlite3_finalize(st);
    return rc;
}

#define SQL_EVENTS                                                            \
    "SELECT at, from_state, to_state, note FROM post_event WHERE post_id = "  \
    "?1 ORDER BY id"

enum err sq_post_events(struct store *base, int64_t id,
                        store_post_event_fn fn, void *ud)
{
    struct sqlite_store *s = S(base);
    sqlite3_stmt *st = NULL;
    enum err rc = ERR_DB;
    int r;

    if (sqlite3_prepare_v2(s->db, SQL_EVENTS, -1, &st, NULL) != SQLITE_OK ||
        sqlite3_bind_int64(st, 1, id) != SQLITE_OK)
        goto out;
    rc = ERR_OK;
    while (rc == ERR_OK && (r = sqlite3_step(st)) == SQLITE_ROW) {
        struct post_event e = {
            .at = sqlite3_column_int64(st, 0),
            .from = (const char *)sqlite3_column_text(st, 1),
            .to = (const char *)sqlite3_column_text(st, 2),
            .note = (const char *)sqlite3_column_text(st, 3),
        };
        rc = fn(&e, ud);
    }
    if (rc == ERR_OK && r != SQLITE_DONE)
        rc = ERR_DB;
out:
    sqlite3_finalize(st);
    return rc;
}

/* ---- transitions ----------------------------------------------------- */

/* Leaving claimed or publishing clears the lease; entering them keeps it
 * (claim_due sets it). */
#define SQL_TRANSITION                                                        \
    "UPDATE post SET state = ?3, updated_at = ?4, "                           \
    "remote_id = coalesce(?5, remote_id), "                                   \
    "remote_url = coalesce(?6, remote_url), "                                 \
    "last_error = coalesce(?7, last_error), "                                 \
    "publish_at = max(publish_at, coalesce(?8, publish_at)), attempts = attempts + ?9, "       \
    "claimed_by = CASE WHEN ?3 IN ('claimed', 'publishing') THEN claimed_by " \
    "END, claimed_until = CASE WHEN ?3 IN ('claimed', 'publishing') THEN "    \
    "claimed_until END, failure = CASE WHEN ?3 = 'failed' THEN "              \
    "coalesce(?11, 'platform') END WHERE id = ?1 AND state = ?2 AND "         \
    "(?10 IS NULL OR claimed_by = ?10)"

static enum err update_state(void *be, int64_t id, enum post_state from,
                             enum post_state to, const struct post_change *ch,
                             int64_t now, struct buf *err)
{
    struct sqlite_store *s = be;
    sqlite3_stmt *st = NULL;
    enum err rc = ERR_OK;

    if (sqlite3_prepare_v2(s->db, SQL_TRANSITION, -1, &st, NULL) !=
            SQLITE_OK ||
        sqlite3_bind_int64(st, 1, id) != SQLITE_OK ||
        sqlite3_bind_text(st, 2, post_state_name(from), -1, SQLITE_STATIC) !=
            SQLITE_OK ||
        sqlite3_bind_text(st, 3, post_state_name(to), -1, SQLITE_STATIC) !=
            SQLITE_OK ||
        sqlite3_bind_int64(st, 4, now) != SQLITE_OK ||
        sqlite_bind_text_or_null(st, 5, ch->remote_id) != SQLITE_OK ||
        sqlite_bind_text_or_null(st, 6, ch->remote_url) != SQLITE_OK ||
        sqlite_bind_text_or_null(st, 7, ch->last_error) != SQLITE_OK ||
        (ch->publish_at == TIME_NONE
             ? sqlite3_bind_null(st, 8)
             : sqlite3_bind_int64(st, 8, ch->publish_at)) != SQLITE_OK ||
        sqlite3_bind_int(st, 9, ch->count_attempt ? 1 : 0) != SQLITE_OK ||
        sqlite_bind_text_or_null(st, 10, ch->worker) != SQLITE_OK ||
        sqlite_bind_text_or_null(st, 11, ch->failure) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_DONE)
        rc = sqlite_fail(s, err, "changing a post's state");
    else if (sqlite3_changes(s->db) == 0)
        rc = ERR_EXISTS;
    sqlite3_finalize(st);
    return rc;
}

#define SQL_SET_PROGRESS                                                      \
    "UPDATE post SET progress = ?3, updated_at = ?4 WHERE id = ?1 AND "       \
    "state = 'publishing' AND claimed_by = ?2"

enum err sq_post_set_progress(struct store *base, int64_t id,
                              const char *worker, const char *progress,
                              int64_t now, struct buf *err)
{
    struct sqlite_store *s = S(base);
    sqlite3_stmt *st = NULL;
    enum err rc = ERR_OK;

    if (progress != NULL && strlen(progress) > POST_PROGRESS_MAX) {
        buf_setf(err, "post %lld: progress of %zu bytes (at most %d)",
                 (long long)id, strlen(progress), POST_PROGRESS_MAX);
        return ERR_TOOBIG;
    }
    /* One statement: SQLite commits it atomically and durably. */
    if (sqlite3_prepare_v2(s->db, SQL_SET_PROGRESS, -1, &st, NULL) !=
            SQLITE_OK ||
        sqlite3_bind_int64(st, 1, id) != SQLITE_OK ||
        sqlite3_bind_text(st, 2, worker, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite_bind_text_or_null(st, 3, progress) != SQLITE_OK ||
        sqlite3_bind_int64(st, 4, now) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_DONE)
        rc = sqlite_fail(s, err, "recording a post's progress");
    else if (sqlite3_changes(s->db) == 0) {
        buf_setf(err, "post %lld is not publishing under worker %s",
                 (long long)id, worker);
        rc = ERR_EXISTS;
    }
    sqlite3_finalize(st);
    return rc;
}

/* The current state of post id, inside the caller's transaction. */
static enum err state_of(void *be, int64_t id, enum post_state *out,
                         struct buf *err)
{
    struct sqlite_store *s = be;
    sqlite3_stmt *st = NULL;
    enum err rc = ERR_DB;
    int r;

    if (sqlite3_prepare_v2(s->db, "SELECT state FROM post WHERE id = ?1", -1,
                           &st, NULL) != SQLITE_OK ||
        sqlite3_bind_int64(st, 1, id) != SQLITE_OK) {
        rc = sqlite_fail(s, err, "reading a post");
        goto out;
    }
    r = sqlite3_step(st);
    if (r == SQLITE_ROW)
        rc = post_state_from_name((const char *)sqlite3_column_text(st, 0),
                                  out) == ERR_OK
                 ? ERR_OK
                 : ERR_DB;
    else if (r == SQLITE_DONE)
        rc = ERR_NOTFOUND;
    else
        rc = sqlite_fail(s, err, "reading a post");
out:
    sqlite3_finalize(st);
    if (rc == ERR_NOTFOUND)
        buf_setf(err, "no post %lld", (long long)id);
    return rc;
}

static enum err begin(void *be, struct buf *err)
{
    return sqlite_write_begin(be, err);
}

static enum err end(void *be, enum err rc, struct buf *err)
{
    return sqlite_write_end(be, rc, err);
}

/* The event; a change people are told about also writes its outbox row
 * (0022), committed with the change. */
static enum err after_change(void *be, int64_t id, enum post_state from,
                             enum post_state to, const char *note,
                             int64_t now, bool told, struct buf *err)
{
    enum err rc = event_add(be, id, now, post_state_name(from),
                            post_state_name(to), note, err);
    if (rc == ERR_OK && told)
        rc = sqlite_notify_post(be, id, post_state_name(from),
                                post_state_name(to), note, now, err);
    return rc;
}

/* The row steps of store_post_common.c's flows (store_sqlite_post_int.h). */
const struct post_tx_ops sq_post_tx = {
    .begin = begin,
    .end = end,
    .state = state_of,
    .update = update_state,
    .after = after_change,
};

enum err sq_post_transition(struct store *base, int64_t id,
                            enum post_state from, enum post_state to,
                            const struct post_change *ch, const char *note,
                            int64_t now, struct buf *err)
{
    return post_transition_flow(&sq_post_tx, S(base), id, from, to, ch, note,
                                now, err);
}

enum err sq_post_move(struct store *base, int64_t id, enum post_state to,
                      const char *note, int64_t now,
                      enum post_state *from_out, struct buf *err)
{
    return post_move_flow(&sq_post_tx, S(base), id, to, note, now, from_out,
                          err);
}

/* ---- claiming and leases --------------------------------------------- */

#define SQL_CLAIM                                                             \
    "UPDATE post SET state = 'claimed', claimed_by = ?1, claimed_until = ?2, "\
    "updated_at = ?3 WHERE id IN (SELECT id FROM post WHERE state = "         \
    "'scheduled' AND publish_at <= ?3 AND (?5 IS NULL OR platform IN "        \
    "(SELECT value FROM json_each(?5))) ORDER BY publish_at, id LIMIT ?4) "   \
    "RETURNING id"

/* Run an UPDATE ... RETURNING id (bound by the caller) to the end,
 * collecting the ids. */
static enum err collect_ids(struct sqlite_store *s, sqlite3_stmt *st,
                            int64_t **ids, size_t *n, struct buf *err)
{
    size_t cap = 0;
    int r;

    *ids = NULL;
    *n = 0;
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        *ids = xgrow(*ids, &cap, *n + 1, sizeof **ids);
        (*ids)[(*n)++] = sqlite3_column_int64(st, 0);
    }
    if (r != SQLITE_DONE) {
        FREE_AND_NULL(*ids);
        *n = 0;
        return sqlite_fail(s, err, "updating posts");
    }
    return ERR_OK;
}

enum err sq_post_claim_due(struct store *base, const char *worker,
                           const char *platforms, int64_t now,
                           int64_t lease_s, size_t limit, int64_t **out,
                           size_t *n, struct buf *err)
{
    struct sqlite_store *s = S(base);
    sqlite3_stmt *st = NULL;
    struct buf note;
    enum err rc;

    *out = NULL;
    *n = 0;
    buf_init(&note, 512);
    rc = sqlite_write_begin(s, err);
    if (rc != ERR_OK)
        goto out;
    if (sqlite3_prepare_v2(s->db, SQL_CLAIM, -1, &st, NULL) != SQLITE_OK ||
        sqlite3_bind_text(st, 1, worker, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_int64(st, 2, now + lease_s) != SQLITE_OK ||
        sqlite3_bind_int64(st, 3, now) != SQLITE_OK ||
        sqlite3_bind_int64(st, 4, limit ? (int64_t)limit : -1) !=
            SQLITE_OK ||
        sqlite_bind_text_or_null(st, 5, platforms) != SQLITE_OK) {
        rc = sqlite_write_end(s, sqlite_fail(s, err, "claiming posts"), err);
        goto out;
    }
    rc = collect_ids(s, st, out, n, err);
    buf_setf(&note, "by %s, lease %llds", worker, (long long)lease_s);
    for (size_t i = 0; rc == ERR_OK && i < *n; i++)
        rc = event_add(s, (*out)[i], now, "scheduled", "claimed",
                       buf_cstr(&note), err);
    rc = sqlite_write_end(s, rc, err);
out:
    sqlite3_finalize(st);
    if (rc != ERR_OK) {
        FREE_AND_NULL(*out);
        *n = 0;
    }
    buf_free(&note);
    return rc;
}

#define SQL_EXPIRE                                                            \
    "UPDATE post SET state = ?2, updated_at = ?1, claimed_by = NULL, "        \
    "claimed_until = NULL WHERE state = ?3 AND claimed_until < ?1 "           \
    "RETURNING id"

/* Move every post in `from` whose lease ended to `to`, with events. */
static enum err expire_one(struct sqlite_store *s, int64_t now,
                           const char *from, const char *to, const char *note,
                           size_t *count, struct buf *err)
{
    sqlite3_stmt *st = NULL;
    int64_t *ids = NULL;
    size_t n = 0;
    enum err rc = ERR_OK;

    if (sqlite3_prepare_v2(s->db, SQL_EXPIRE, -1, &st, NULL) != SQLITE_OK ||
        sqlite3_bind_int64(st, 1, now) != SQLITE_OK ||
        sqlite3_bind_text(st, 2, to, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_text(st, 3, from, -1, SQLITE_STATIC) != SQLITE_OK)
        rc = sqlite_fail(s, err, "expiring leases");
    if (rc == ERR_OK)
        rc = collect_ids(s, st, &ids, &n, err);
    for (size_t i = 0; rc == ERR_OK && i < n; i++)
        rc = event_add(s, ids[i], now, from, to, note, err);
    if (count != NULL)
        *count = rc == ERR_OK ? n : 0;
    sqlite3_finalize(st);
    free(ids);
    return rc;
}

enum err sq_post_expire_leases(struct store *base, int64_t now,
                               size_t *back, size_t *check,
                               struct buf *err)
{
    struct sqlite_store *s = S(base);
    enum err rc;

    rc = sqlite_write_begin(s, err);
    if (rc != ERR_OK)
        return rc;
    rc = expire_one(s, now, "claimed", "scheduled",
                    "lease expired before publishing started: nothing was "
                    "sent",
                    back, err);
    if (rc == ERR_OK)
        rc = expire_one(s, now, "publishing", "needs_check",
                        "lease expired while publishing: it may have been "
                        "sent; ask the platform before trying again",
                        check, err);
    return sqlite_write_end(s, rc, err);
}
