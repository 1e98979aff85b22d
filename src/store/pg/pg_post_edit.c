/* Editing posts and recording a publisher's progress, PostgreSQL backend
 * (store_post.h store_post_edit, store_post_set_progress). An edit locks
 * the row (FOR UPDATE), checks state and version, and writes the guarded
 * UPDATE, its post_edit row and (for a change of state) its post_event
 * row in one transaction; a worker's claim that comes first makes the
 * edit lose cleanly (the claim moved it out of draft/scheduled), and one
 * that comes after sees the edited row. */
#include <string.h>

#include "store/pg/pg_ops.h"
#include "store/pg/pg_post_int.h"
#include "store/pg/pg_rows.h"

PG_STMT(pg_post_version, 1,
        "SELECT state, version FROM post WHERE id = $1::bigint FOR UPDATE");
/* The guard repeats may_edit's conditions in the statement itself. */
PG_STMT(pg_post_update, 13,
        "UPDATE post SET account = $3, title = $4, caption = $5, tags = $6, "
        "privacy = $7, media = $8, publish_at = $9::bigint, zone = $10, "
        "local_time = $11, state = $12, updated_at = $13::bigint, "
        "version = version + 1 WHERE id = $1::bigint AND version = "
        "$2::bigint AND state IN ('draft', 'scheduled')");
PG_STMT(pg_post_edit_add, 5,
        "INSERT INTO post_edit(post_id, at, version, by, changes) VALUES "
        "($1::bigint, $2::bigint, $3::bigint, $4, $5)");
PG_STMT(pg_post_progress, 4,
        "UPDATE post SET progress = $3, updated_at = $4::bigint WHERE id = "
        "$1::bigint AND state = 'publishing' AND claimed_by = $2");

enum err pg_post_set_progress(struct store *st, int64_t id,
                              const char *worker, const char *progress,
                              int64_t now, struct buf *err)
{
    struct pg_params p;
    PGresult *res = NULL;
    enum err rc;

    if (progress != NULL && strlen(progress) > POST_PROGRESS_MAX) {
        buf_setf(err, "post %lld: progress of %zu bytes (at most %d)",
                 (long long)id, strlen(progress), POST_PROGRESS_MAX);
        return ERR_TOOBIG;
    }
    pg_p_init(&p);
    pg_p_i64(&p, id);
    pg_p_text(&p, worker);
    pg_p_text(&p, progress);
    pg_p_i64(&p, now);
    /* One statement: committed (durably) before this returns. */
    rc = pg_run(pg_of(st), &pg_post_progress, &p, &res,
                "recording a post's progress", err);
    if (rc == ERR_OK && pg_changes(res) == 0) {
        buf_setf(err, "post %lld is not publishing under worker %s",
                 (long long)id, worker);
        rc = ERR_EXISTS;
    }
    PQclear(res);
    return rc;
}

/* The state and version of post id, locked for the transaction. */
static enum err current(void *be, int64_t id, enum post_state *state,
                        int64_t *version, struct buf *err)
{
    PGresult *res = NULL;
    enum err rc = pg_run_id(be, &pg_post_version, id, "post",
                            "reading a post", &res, err);

    if (rc == ERR_OK &&
               (pg_i64(res, 0, 1, version) != ERR_OK ||
                post_state_from_name(pg_text(res, 0, 0), state) != ERR_OK)) {
        buf_setf(err, "post %lld: an unreadable row", (long long)id);
        rc = ERR_DB;
    }
    PQclear(res);
    return rc;
}

static enum err update_post(void *be, int64_t id, int64_t version,
                            const struct post *p, int64_t now,
                            struct buf *err)
{
    struct pg_params q;
    PGresult *res = NULL;
    enum err rc;

    pg_p_init(&q);
    pg_p_i64(&q, id);
    pg_p_i64(&q, version);
    pg_post_params(&q, p);
    pg_p_i64(&q, now);
    rc = pg_run(be, &pg_post_update, &q, &res, "editing a post", err);
    if (rc == ERR_OK && pg_changes(res) != 1)
        rc = ERR_EXISTS; /* cannot happen under the row lock */
    PQclear(res);
    return rc;
}

static enum err edit_row(void *be, int64_t id, int64_t now, int64_t version,
                         const char *by, const char *changes,
                         struct buf *err)
{
    struct pg_params p;

    pg_p_init(&p);
    pg_p_i64(&p, id);
    pg_p_i64(&p, now);
    pg_p_i64(&p, version);
    pg_p_text(&p, by ? by : "");
    pg_p_text(&p, changes ? changes : "[]");
    return pg_run(be, &pg_post_edit_add, &p, NULL, "recording an edit",
                  err);
}

static enum err event(void *be, int64_t id, int64_t now, const char *from,
                      const char *to, const char *note, struct buf *err)
{
    return pg_post_event(be, id, now, from, to, note, err);
}

static enum err wake(void *be, struct buf *err)
{
    return pg_post_wake(be, err);
}

/* The row steps of store_post_common.c's edit. */
static const struct post_edit_ops pg_edit_ops = {
    .tx = &pg_post_tx,
    .current = current,
    .update = update_post,
    .record = edit_row,
    .event = event,
    .wake = wake,
};

enum err pg_post_edit(struct store *st, int64_t id, int64_t version,
                      const struct post *p, const char *by,
                      const char *changes, int64_t now,
                      int64_t *version_out, struct buf *err)
{
    return post_edit_flow(&pg_edit_ops, pg_of(st), id, version, p, by,
                          changes, now, version_out, err);
}
