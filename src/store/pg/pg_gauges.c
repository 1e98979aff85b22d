/* What GET /metrics reads at a scrape on PostgreSQL (store.h
 * store_gauges_read; store_sqlite_gauges.c): live sessions and the posts
 * by state. The post table comes with the posts' own migration: until a
 * database has it, every post count is 0. */
#include <string.h>

#include "store/pg/pg_ops.h"
#include "store/store_post.h"

_Static_assert(POST_STATE_COUNT <= STORE_GAUGE_STATES,
               "store_gauges.posts holds every post state");

/* Live as in pg_session_get: seen within idle_s, created within max_s,
 * its user not disabled. */
PG_STMT(pg_gau_sessions, 2,
        "SELECT count(*) FROM session s JOIN app_user u ON u.id = s.user_id "
        "WHERE s.last_seen > $1 AND s.created_at > $2 AND u.disabled = 0");
PG_STMT(pg_gau_has_posts, 0, "SELECT to_regclass('post') IS NOT NULL");
PG_STMT(pg_gau_posts, 0, "SELECT state, count(*) FROM post GROUP BY state");

static enum err posts_by_state(struct store_pg *s, int64_t *posts)
{
    PGresult *r = NULL;
    const char *has;
    enum err rc = pg_run(s, &pg_gau_has_posts, NULL, &r, "metrics", NULL);

    has = rc == ERR_OK && PQntuples(r) == 1 ? pg_text(r, 0, 0) : NULL;
    if (rc != ERR_OK || has == NULL || strcmp(has, "t") != 0) {
        PQclear(r);
        return rc;
    }
    PQclear(r);
    r = NULL;
    rc = pg_run(s, &pg_gau_posts, NULL, &r, "metrics", NULL);
    for (int i = 0; rc == ERR_OK && i < PQntuples(r); i++) {
        const char *name = pg_text(r, i, 0);
        enum post_state st;
        /* Only known states; a row of a newer schema is not counted. */
        if (name != NULL && post_state_from_name(name, &st) == ERR_OK)
            posts[st] = pg_i64_or(r, i, 1, 0);
    }
    PQclear(r);
    return rc;
}

enum err pg_gauges_read(struct store *st, int64_t now,
                        const struct store_session_limits *lim,
                        struct store_gauges *out)
{
    struct store_pg *s = pg_of(st);
    struct pg_params p;
    PGresult *r = NULL;
    enum err rc;

    memset(out, 0, sizeof *out);
    pg_p_init(&p);
    pg_p_i64(&p, now - lim->idle_s);
    pg_p_i64(&p, now - lim->max_s);
    rc = pg_run(s, &pg_gau_sessions, &p, &r, "metrics", NULL);
    if (rc == ERR_OK && (PQntuples(r) != 1 ||
                         pg_i64(r, 0, 0, &out->sessions) != ERR_OK))
        rc = ERR_DB;
    PQclear(r);
    if (rc == ERR_OK)
        rc = posts_by_state(s, out->posts);
    return rc == ERR_OK ? ERR_OK : ERR_DB;
}
