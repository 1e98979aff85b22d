/* Reads of posts, PostgreSQL backend (store_post.h store_post_get,
 * store_post_list, store_post_events, store_post_edits): the same rows,
 * in the same order, as store_sqlite_post.c. */
#include <stdlib.h>

#include "core/alloc.h"
#include "core/timeutil.h"
#include "store/pg/pg_ops.h"
#include "store/pg/pg_post_int.h"
#include "store/pg/pg_rows.h"

#define PG_POST_COLS                                                          \
    "SELECT id, platform, account, title, caption, tags, privacy, media, "    \
    "publish_at, zone, local_time, state, attempts, claimed_by, "             \
    "claimed_until, remote_id, remote_url, last_error, idem_key, "            \
    "body_hash, created_at, updated_at, progress, version, failure FROM post "
PG_STMT(pg_post_by_id, 1, PG_POST_COLS "WHERE id = $1::bigint");
PG_STMT(pg_post_select, 5,
        PG_POST_COLS "WHERE ($1::text IS NULL OR state = $1) AND "
                     "($2::bigint IS NULL OR publish_at >= $2::bigint) AND "
                     "($3::bigint IS NULL OR publish_at < $3::bigint) AND "
                     "($5::text IS NULL OR failure = $5) "
                     "ORDER BY publish_at, id LIMIT $4::bigint");
PG_STMT(pg_post_event_rows, 1,
        "SELECT at, from_state, to_state, note FROM post_event WHERE "
        "post_id = $1::bigint ORDER BY id");
PG_STMT(pg_post_edit_rows, 1,
        "SELECT at, version, by, changes FROM post_edit WHERE post_id = "
        "$1::bigint ORDER BY id");

static char *dup_col(const PGresult *res, int r, int c)
{
    const char *t = pg_text(res, r, c);
    return t != NULL ? xstrdup(t) : NULL;
}

static enum err row_to_post(const PGresult *res, int r, struct post *p)
{
    static const int strs[] = {1, 2, 3, 4, 5, 6, 7, 9, 10, 13,
                               15, 16, 17, 18, 19, 22, 24};
    char **dst[] = {&p->platform, &p->account, &p->title, &p->caption,
                    &p->tags, &p->privacy, &p->media, &p->zone,
                    &p->local_time, &p->claimed_by, &p->remote_id,
                    &p->remote_url, &p->last_error, &p->idem_key,
                    &p->body_hash, &p->progress, &p->failure};

    *p = (struct post){0};
    for (size_t i = 0; i < sizeof strs / sizeof *strs; i++)
        *dst[i] = dup_col(res, r, strs[i]);
    p->claimed_until = pg_i64_or(res, r, 14, TIME_NONE);
    if (pg_i64(res, r, 0, &p->id) != ERR_OK ||
        pg_i64(res, r, 8, &p->publish_at) != ERR_OK ||
        pg_i64(res, r, 12, &p->attempts) != ERR_OK ||
        pg_i64(res, r, 20, &p->created_at) != ERR_OK ||
        pg_i64(res, r, 21, &p->updated_at) != ERR_OK ||
        pg_i64(res, r, 23, &p->version) != ERR_OK ||
        post_state_from_name(pg_text(res, r, 11), &p->state) != ERR_OK) {
        post_free(p);
        return ERR_DB;
    }
    return ERR_OK;
}

enum err pg_post_get(struct store *st, int64_t id, struct post *out)
{
    struct pg_params p;
    PGresult *res = NULL;
    enum err rc;

    *out = (struct post){0};
    pg_p_init(&p);
    pg_p_i64(&p, id);
    rc = pg_run(pg_of(st), &pg_post_by_id, &p, &res, "reading a post", NULL);
    if (rc == ERR_OK && PQntuples(res) == 0)
        rc = ERR_NOTFOUND;
    else if (rc == ERR_OK)
        rc = row_to_post(res, 0, out);
    PQclear(res);
    return rc;
}

enum err pg_post_list(struct store *st, const struct post_query *q,
                      store_post_fn fn, void *ud)
{
    struct pg_params p;
    PGresult *res = NULL;
    enum err rc;

    pg_p_init(&p);
    pg_p_text(&p, q->state < 0 ? NULL
                               : post_state_name((enum post_state)q->state));
    if (q->from == TIME_NONE)
        pg_p_null(&p);
    else
        pg_p_i64(&p, q->from);
    if (q->to == TIME_NONE)
        pg_p_null(&p);
    else
        pg_p_i64(&p, q->to);
    if (q->limit == 0)
        pg_p_null(&p);
    else
        pg_p_i64(&p, (int64_t)q->limit);
    pg_p_text(&p, q->failure);
    rc = pg_run(pg_of(st), &pg_post_select, &p, &res, "listing posts", NULL);
    for (int r = 0; rc == ERR_OK && r < PQntuples(res); r++) {
        struct post one;
        rc = row_to_post(res, r, &one);
        if (rc == ERR_OK)
            rc = fn(&one, ud);
        post_free(&one);
    }
    PQclear(res);
    return rc;
}

/* The caller's function and data, for pg_each_id_row. */
struct event_walk {
    store_post_event_fn fn;
    void *ud;
};
struct edit_walk {
    store_post_edit_fn fn;
    void *ud;
};

static enum err event_row(const PGresult *res, int r, void *ud)
{
    const struct event_walk *w = ud;
    struct post_event e = {.from = pg_text(res, r, 1),
                           .to = pg_text(res, r, 2),
                           .note = pg_text(res, r, 3)};

    if (pg_i64(res, r, 0, &e.at) != ERR_OK || e.to == NULL)
        return ERR_DB;
    return w->fn(&e, w->ud);
}

enum err pg_post_events(struct store *st, int64_t id, store_post_event_fn fn,
                        void *ud)
{
    struct event_walk w = {fn, ud};
    return pg_each_id_row(pg_of(st), &pg_post_event_rows, id,
                          "reading post events", event_row, &w, NULL);
}

static enum err edit_row(const PGresult *res, int r, void *ud)
{
    const struct edit_walk *w = ud;
    struct post_edit e = {.by = pg_text(res, r, 2),
                          .changes = pg_text(res, r, 3)};

    if (pg_i64(res, r, 0, &e.at) != ERR_OK ||
        pg_i64(res, r, 1, &e.version) != ERR_OK)
        return ERR_DB;
    return w->fn(&e, w->ud);
}

enum err pg_post_edits(struct store *st, int64_t id, store_post_edit_fn fn,
                       void *ud)
{
    struct edit_walk w = {fn, ud};
    return pg_each_id_row(pg_of(st), &pg_post_edit_rows, id,
                          "reading post edits", edit_row, &w, NULL);
}
