/* Claims and leases of posts, PostgreSQL backend (store_post.h
 * store_post_claim_due, store_post_expire_leases). Each is one statement
 * (claim) or one transaction (expiry) whose rows are picked with FOR
 * UPDATE SKIP LOCKED: a row another worker is claiming, settling or
 * taking back is passed over, never waited for and never taken twice.
 * The UPDATE repeats the state test, and every transition of a claimed
 * post names its worker (store_post_transition's ch->worker), so a worker
 * whose lease was taken back can no longer move the post: the
 * exactly-once rules of DESIGN.md hold across hosts. */
#include <stdlib.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "store/pg/pg_ops.h"
#include "store/pg/pg_post_int.h"

/* $1 worker, $2 lease end, $3 now, $4 limit (NULL: all), $5 platforms
 * (JSON array or NULL), $6 the event's note. The earliest due first. */
PG_STMT(pg_post_claim, 6,
        "WITH due AS MATERIALIZED (SELECT id FROM post WHERE state = "
        "'scheduled' AND publish_at <= $3::bigint AND ($5::text IS NULL OR "
        "platform IN (SELECT json_array_elements_text($5::json))) ORDER BY "
        "publish_at, id LIMIT $4::bigint FOR UPDATE SKIP LOCKED), "
        "c AS (UPDATE post SET state = 'claimed', claimed_by = $1, "
        "claimed_until = $2::bigint, updated_at = $3::bigint FROM due "
        "WHERE post.id = due.id AND post.state = 'scheduled' RETURNING "
        "post.id), e AS (INSERT INTO post_event(post_id, at, from_state, "
        "to_state, note) SELECT id, $3::bigint, 'scheduled', 'claimed', $6 "
        "FROM c) SELECT id FROM c");
/* $1 now, $2 to, $3 from, $4 note: every post in $3 whose lease ended. */
PG_STMT(pg_post_expire, 4,
        "WITH x AS MATERIALIZED (SELECT id FROM post WHERE state = $3 AND "
        "claimed_until < $1::bigint FOR UPDATE SKIP LOCKED), "
        "u AS (UPDATE post SET state = $2, updated_at = $1::bigint, "
        "claimed_by = NULL, claimed_until = NULL FROM x WHERE post.id = "
        "x.id AND post.state = $3 RETURNING post.id), "
        "e AS (INSERT INTO post_event(post_id, at, from_state, to_state, "
        "note) SELECT id, $1::bigint, $3, $2, $4 FROM u) "
        "SELECT count(*) FROM u");

static enum err ids_of(const PGresult *res, int64_t **out, size_t *n)
{
    int rows = PQntuples(res);

    *out = rows > 0 ? xcalloc((size_t)rows, sizeof **out) : NULL;
    for (int r = 0; r < rows; r++) {
        if (pg_i64(res, r, 0, &(*out)[r]) != ERR_OK) {
            FREE_AND_NULL(*out);
            return ERR_DB;
        }
    }
    *n = (size_t)rows;
    return ERR_OK;
}

enum err pg_post_claim_due(struct store *st, const char *worker,
                           const char *platforms, int64_t now,
                           int64_t lease_s, size_t limit, int64_t **out,
                           size_t *n, struct buf *err)
{
    struct pg_params p;
    PGresult *res = NULL;
    struct buf note;
    enum err rc;

    *out = NULL;
    *n = 0;
    buf_init(&note, 512);
    buf_setf(&note, "by %s, lease %llds", worker, (long long)lease_s);
    pg_p_init(&p);
    pg_p_text(&p, worker);
    pg_p_i64(&p, now + lease_s);
    pg_p_i64(&p, now);
    if (limit == 0)
        pg_p_null(&p);
    else
        pg_p_i64(&p, (int64_t)limit);
    pg_p_text(&p, platforms);
    pg_p_text(&p, buf_cstr(&note));
    rc = pg_run(pg_of(st), &pg_post_claim, &p, &res, "claiming posts", err);
    if (rc == ERR_OK && ids_of(res, out, n) != ERR_OK) {
        buf_setf(err, "claiming posts: an unreadable id");
        rc = ERR_DB;
    }
    PQclear(res);
    buf_free(&note);
    return rc;
}

/* Move every post in `from` whose lease ended to `to`, with events,
 * inside the caller's transaction; *count (may be NULL) how many. */
static enum err expire_one(struct store_pg *s, int64_t now, const char *from,
                           const char *to, const char *note, size_t *count,
                           struct buf *err)
{
    struct pg_params p;
    PGresult *res = NULL;
    int64_t k = 0;
    enum err rc;

    pg_p_init(&p);
    pg_p_i64(&p, now);
    pg_p_text(&p, to);
    pg_p_text(&p, from);
    pg_p_text(&p, note);
    rc = pg_run(s, &pg_post_expire, &p, &res, "expiring leases", err);
    if (rc == ERR_OK && pg_i64(res, 0, 0, &k) != ERR_OK)
        rc = ERR_DB;
    PQclear(res);
    if (count != NULL)
        *count = rc == ERR_OK ? (size_t)k : 0;
    return rc;
}

enum err pg_post_expire_leases(struct store *st, int64_t now, size_t *back,
                               size_t *check, struct buf *err)
{
    struct store_pg *s = pg_of(st);
    size_t nback = 0;
    enum err rc = pg_begin(s, err);

    if (rc != ERR_OK)
        return rc;
    rc = expire_one(s, now, "claimed", "scheduled",
                    "lease expired before publishing started: nothing was "
                    "sent",
                    &nback, err);
    if (rc == ERR_OK)
        rc = expire_one(s, now, "publishing", "needs_check",
                        "lease expired while publishing: it may have been "
                        "sent; ask the platform before trying again",
                        check, err);
    if (rc == ERR_OK && nback > 0) /* due again: wake the idle workers */
        rc = pg_post_wake(s, err);
    if (back != NULL)
        *back = rc == ERR_OK ? nback : 0;
    return pg_post_end(s, rc, err);
}
