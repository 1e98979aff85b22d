/* Scheduled posts, PostgreSQL backend (store_post.h; migration
 * pg/sql/0004_posts.sql). The same answers as store_sqlite_post.c. Every
 * write is one transaction that also writes its post_event row (and, for
 * a change people are told about, its notify_outbox row). Claims take
 * due rows with FOR UPDATE SKIP LOCKED, so workers on several hosts each
 * take different posts without waiting for each other; a claim carries
 * the worker's lease (claimed_by, claimed_until), and expire_leases takes
 * back what a dead worker held (claimed -> scheduled, publishing ->
 * needs_check). A write that makes work (a post scheduled, due again)
 * sends NOTIFY mediadash_posts inside its transaction, delivered at
 * commit (pg_wait.c). Reads, events, progress and edits: pg_post_read.c
 * and pg_post_edit.c. */
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/str.h"
#include "core/timeutil.h"
#include "store/pg/pg_ops.h"
#include "store/pg/pg_post_int.h"
#include "store/pg/pg_rows.h"
#include "store/store_post_common.h"

PG_STMT(pg_post_event_add, 5,
        "INSERT INTO post_event(post_id, at, from_state, to_state, note) "
        "VALUES ($1::bigint, $2::bigint, $3, $4, coalesce($5, ''))");
PG_STMT(pg_post_outbox_add, 4,
        "INSERT INTO notify_outbox(kind, created_at, post_id, platform, "
        "account, title, detail, wh_next_at, mail_next_at) SELECT $2, "
        "$3::bigint, id, platform, account, substr(title, 1, 2048), "
        "substr(coalesce(nullif(last_error, ''), $4), 1, 2048), $3::bigint, "
        "$3::bigint FROM post WHERE id = $1::bigint");
/* No row: the key was stored by another add (found next). */
PG_STMT(pg_post_insert, 14,
        "INSERT INTO post(platform, account, title, caption, tags, privacy, "
        "media, publish_at, zone, local_time, state, idem_key, body_hash, "
        "created_at, updated_at) VALUES ($1, $2, $3, coalesce($4, ''), "
        "coalesce($5, '[]'), coalesce($6, 'private'), coalesce($7, '[]'), "
        "$8::bigint, $9, $10, $11, $12, $13, $14::bigint, $14::bigint) "
        "ON CONFLICT (idem_key) DO NOTHING RETURNING id");
PG_STMT(pg_post_idem_find, 1,
        "SELECT id, body_hash FROM post WHERE idem_key = $1");
PG_STMT(pg_post_state_of, 1,
        "SELECT state FROM post WHERE id = $1::bigint FOR UPDATE");
/* Leaving claimed or publishing clears the lease; entering them keeps it
 * (claim_due sets it). */
PG_STMT(pg_post_set_state, 11,
        "UPDATE post SET state = $3, updated_at = $4::bigint, "
        "remote_id = coalesce($5, remote_id), "
        "remote_url = coalesce($6, remote_url), "
        "last_error = coalesce($7, last_error), "
        "publish_at = greatest(publish_at, coalesce($8::bigint, "
        "publish_at)), attempts = attempts + $9::bigint, "
        "claimed_by = CASE WHEN $3 IN ('claimed', 'publishing') THEN "
        "claimed_by END, claimed_until = CASE WHEN $3 IN ('claimed', "
        "'publishing') THEN claimed_until END, failure = CASE WHEN $3 = "
        "'failed' THEN coalesce($11::text, 'platform') END "
        "WHERE id = $1::bigint AND state = $2 AND ($10::text IS NULL OR "
        "claimed_by = $10::text)");

/* ---- shared with pg_post_edit.c (pg_post_int.h) ---------------------- */

enum err pg_post_event(struct store_pg *s, int64_t id, int64_t now,
                       const char *from, const char *to, const char *note,
                       struct buf *err)
{
    struct pg_params p;

    pg_p_init(&p);
    pg_p_i64(&p, id);
    pg_p_i64(&p, now);
    pg_p_text(&p, from);
    pg_p_text(&p, to);
    pg_p_text(&p, note);
    return pg_run(s, &pg_post_event_add, &p, NULL, "writing a post event",
                  err);
}

enum err pg_post_wake(struct store_pg *s, struct buf *err)
{
    return pg_wake(&s->base, STORE_WAKE_POSTS, err);
}

/* The event kind people are told about for from -> to (the same table as
 * store_sqlite_notify.c's), or NULL. */
static const char *outbox_kind(const char *from, const char *to)
{
    if (str_eq(to, "published"))
        return "post.published";
    if (str_eq(to, "failed"))
        return str_eq(from, "claimed") ? "post.missed" : "post.failed";
    if (str_eq(to, "needs_relogin"))
        return "post.needs_relogin";
    return NULL;
}

static enum err outbox_add(struct store_pg *s, int64_t id, const char *from,
                           const char *to, const char *note, int64_t now,
                           struct buf *err)
{
    const char *kind = outbox_kind(from, to);
    struct pg_params p;

    if (kind == NULL)
        return ERR_OK;
    pg_p_init(&p);
    pg_p_i64(&p, id);
    pg_p_text(&p, kind);
    pg_p_i64(&p, now);
    pg_p_text(&p, note);
    return pg_run(s, &pg_post_outbox_add, &p, NULL,
                  "adding a post's notification", err);
}

void pg_post_params(struct pg_params *q, const struct post *p)
{
    pg_p_text(q, p->account);
    pg_p_text(q, p->title);
    pg_p_text(q, p->caption);
    pg_p_text(q, p->tags);
    pg_p_text(q, p->privacy);
    pg_p_text(q, p->media);
    pg_p_i64(q, p->publish_at);
    pg_p_text(q, p->zone);
    pg_p_text(q, p->local_time);
    pg_p_text(q, post_state_name(p->state));
}

/* COMMIT when rc is OK, else ROLLBACK; returns rc (or the commit's). */
enum err pg_post_end(struct store_pg *s, enum err rc, struct buf *err)
{
    if (rc == ERR_OK)
        return pg_commit(s, err);
    pg_rollback(s);
    return rc;
}

/* The current state of post id, locked for the caller's transaction. */
enum err pg_post_state(struct store_pg *s, int64_t id, enum post_state *out,
                       struct buf *err)
{
    PGresult *res = NULL;
    enum err rc = pg_run_id(s, &pg_post_state_of, id, "post",
                            "reading a post", &res, err);

    if (rc == ERR_OK &&
               post_state_from_name(pg_text(res, 0, 0), out) != ERR_OK) {
        buf_setf(err, "post %lld: an unknown state", (long long)id);
        rc = ERR_DB;
    }
    PQclear(res);
    return rc;
}

/* ---- add ------------------------------------------------------------- */

/* A stored key: ERR_EXISTS (same body) or ERR_AMBIGUOUS; ERR_NOTFOUND
 * when the key is new. */
static enum err idem_find(struct store_pg *s, const struct post *p,
                          int64_t *id_out, struct buf *err)
{
    struct pg_params q;
    PGresult *res = NULL;
    enum err rc;

    pg_p_init(&q);
    pg_p_text(&q, p->idem_key);
    rc = pg_run(s, &pg_post_idem_find, &q, &res,
                "finding an idempotency key", err);
    if (rc == ERR_OK && PQntuples(res) == 0)
        rc = ERR_NOTFOUND;
    else if (rc == ERR_OK && pg_i64(res, 0, 0, id_out) != ERR_OK)
        rc = ERR_DB;
    else if (rc == ERR_OK)
        rc = str_eq(pg_text(res, 0, 1), p->body_hash) ? ERR_EXISTS
                                                      : ERR_AMBIGUOUS;
    if (rc == ERR_AMBIGUOUS)
        buf_setf(err, "Idempotency-Key already used with another body");
    PQclear(res);
    return rc;
}

static enum err insert_post(struct store_pg *s, const struct post *p,
                            int64_t now, int64_t *id_out, struct buf *err)
{
    struct pg_params q;
    PGresult *res = NULL;
    enum err rc;

    pg_p_init(&q);
    pg_p_text(&q, p->platform);
    pg_post_params(&q, p);
    pg_p_text(&q, p->idem_key);
    pg_p_text(&q, p->body_hash);
    pg_p_i64(&q, now);
    rc = pg_run(s, &pg_post_insert, &q, &res, "adding a post", err);
    if (rc == ERR_OK && PQntuples(res) == 0) /* a racing add has the key */
        rc = p->idem_key != NULL ? idem_find(s, p, id_out, err) : ERR_DB;
    else if (rc == ERR_OK && pg_i64(res, 0, 0, id_out) != ERR_OK)
        rc = ERR_DB;
    PQclear(res);
    return rc;
}

enum err pg_post_add_in_tx(struct store_pg *s, const struct post *p,
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
        rc = pg_post_event(s, *id_out, now, NULL, post_state_name(p->state),
                           note, err);
    if (rc == ERR_OK && p->state == POST_SCHEDULED)
        rc = pg_post_wake(s, err);
    return rc;
}

enum err pg_post_add(struct store *st, const struct post *p, int64_t now,
                     int64_t *id_out, struct buf *err)
{
    struct store_pg *s = pg_of(st);
    enum err rc;

    if (p->state != POST_DRAFT && p->state != POST_SCHEDULED) {
        buf_setf(err, "a new post is a draft or scheduled");
        return ERR_INVALID;
    }
    rc = pg_begin(s, err);
    if (rc != ERR_OK)
        return rc;
    rc = pg_post_add_in_tx(s, p, "created", now, id_out, err);
    if (rc == ERR_EXISTS) { /* nothing written: not a failure to undo */
        pg_rollback(s);
        return rc;
    }
    return pg_post_end(s, rc, err);
}

/* ---- transitions ----------------------------------------------------- */

static enum err update_state(void *be, int64_t id, enum post_state from,
                             enum post_state to, const struct post_change *ch,
                             int64_t now, struct buf *err)
{
    struct store_pg *s = be;
    struct pg_params q;
    PGresult *res = NULL;
    enum err rc;

    pg_p_init(&q);
    pg_p_i64(&q, id);
    pg_p_text(&q, post_state_name(from));
    pg_p_text(&q, post_state_name(to));
    pg_p_i64(&q, now);
    pg_p_text(&q, ch->remote_id);
    pg_p_text(&q, ch->remote_url);
    pg_p_text(&q, ch->last_error);
    if (ch->publish_at == TIME_NONE)
        pg_p_null(&q);
    else
        pg_p_i64(&q, ch->publish_at);
    pg_p_i64(&q, ch->count_attempt ? 1 : 0);
    pg_p_text(&q, ch->worker);
    pg_p_text(&q, ch->failure);
    rc = pg_run(s, &pg_post_set_state, &q, &res, "changing a post's state",
                err);
    if (rc == ERR_OK && pg_changes(res) == 0)
        rc = ERR_EXISTS;
    PQclear(res);
    return rc;
}

static enum err begin(void *be, struct buf *err)
{
    return pg_begin(be, err);
}

static enum err end(void *be, enum err rc, struct buf *err)
{
    return pg_post_end(be, rc, err);
}

static enum err state_of(void *be, int64_t id, enum post_state *out,
                         struct buf *err)
{
    return pg_post_state(be, id, out, err); /* locks the row */
}

/* The event, the outbox row of a change people are told about, and the
 * wake-up of a post scheduled. */
static enum err after_change(void *be, int64_t id, enum post_state from,
                             enum post_state to, const char *note,
                             int64_t now, bool told, struct buf *err)
{
    struct store_pg *s = be;
    enum err rc = pg_post_event(s, id, now, post_state_name(from),
                                post_state_name(to), note, err);
    if (rc == ERR_OK && told)
        rc = outbox_add(s, id, post_state_name(from), post_state_name(to),
                        note, now, err);
    if (rc == ERR_OK && to == POST_SCHEDULED)
        rc = pg_post_wake(s, err);
    return rc;
}

/* The row steps of store_post_common.c's flows (pg_post_int.h). */
const struct post_tx_ops pg_post_tx = {
    .begin = begin,
    .end = end,
    .state = state_of,
    .update = update_state,
    .after = after_change,
};

enum err pg_post_transition(struct store *st, int64_t id,
                            enum post_state from, enum post_state to,
                            const struct post_change *ch, const char *note,
                            int64_t now, struct buf *err)
{
    return post_transition_flow(&pg_post_tx, pg_of(st), id, from, to, ch,
                                note, now, err);
}

enum err pg_post_move(struct store *st, int64_t id, enum post_state to,
                      const char *note, int64_t now,
                      enum post_state *from_out, struct buf *err)
{
    return post_move_flow(&pg_post_tx, pg_of(st), id, to, note, now, from_out,
                          err);
}
