/* What GET /metrics reads at a scrape (store.h store_gauges_read): live
 * sessions and the posts by state, one query each. */
#include <sqlite3.h>
#include <string.h>

#include "store/store_post.h"
#include "store/store_sqlite.h"

_Static_assert(POST_STATE_COUNT <= STORE_GAUGE_STATES,
               "store_gauges.posts holds every post state");

/* Live as in sq_session_get: seen within idle_s, created within max_s,
 * its user not disabled. */
#define SQL_SESSIONS_LIVE                                                  \
    "SELECT count(*) FROM session s JOIN app_user u ON u.id = s.user_id "  \
    "WHERE s.last_seen > ?1 AND s.created_at > ?2 AND u.disabled = 0"
#define SQL_POSTS_BY_STATE "SELECT state, count(*) FROM post GROUP BY state"

static enum err sessions_live(sqlite3 *db, int64_t now,
                              const struct store_session_limits *lim,
                              int64_t *out)
{
    sqlite3_stmt *stmt = NULL;
    enum err rc = ERR_DB;

    if (sqlite3_prepare_v2(db, SQL_SESSIONS_LIVE, -1, &stmt, NULL) !=
            SQLITE_OK ||
        sqlite3_bind_int64(stmt, 1, now - lim->idle_s) != SQLITE_OK ||
        sqlite3_bind_int64(stmt, 2, now - lim->max_s) != SQLITE_OK ||
        sqlite3_step(stmt) != SQLITE_ROW)
        goto out;
    *out = sqlite3_column_int64(stmt, 0);
    rc = ERR_OK;
out:
    sqlite3_finalize(stmt);
    return rc;
}

static enum err posts_by_state(sqlite3 *db, int64_t *posts)
{
    sqlite3_stmt *stmt = NULL;
    enum err rc = ERR_DB;
    int step;

    if (sqlite3_prepare_v2(db, SQL_POSTS_BY_STATE, -1, &stmt, NULL) !=
        SQLITE_OK)
        goto out;
    while ((step = sqlite3_step(stmt)) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(stmt, 0);
        enum post_state s;
        /* The table's CHECK allows only known states; any other row
         * (a newer schema) is not counted rather than miscounted. */
        if (name != NULL && post_state_from_name(name, &s) == ERR_OK)
            posts[s] = sqlite3_column_int64(stmt, 1);
    }
    if (step == SQLITE_DONE)
        rc = ERR_OK;
out:
    sqlite3_finalize(stmt);
    return rc;
}

enum err sq_gauges_read(struct store *st, int64_t now,
                        const struct store_session_limits *lim,
                        struct store_gauges *out)
{
    sqlite3 *db = sqlite_store_of(st)->db;
    enum err rc;

    memset(out, 0, sizeof *out);
    rc = sessions_live(db, now, lim, &out->sessions);
    if (rc == ERR_OK)
        rc = posts_by_state(db, out->posts);
    return rc;
}
