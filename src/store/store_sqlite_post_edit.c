/* Editing posts, SQLite backend (store_post.h "editing"): one guarded
 * UPDATE plus its post_edit row (and post_event row for a change of
 * state) in one BEGIN IMMEDIATE transaction. Statements are prepared per
 * call (edits are rare) and finalized at out:. */
#include <sqlite3.h>
#include <string.h>

#include "store/store_post.h"
#include "store/store_sqlite.h"
#include "store/store_sqlite_post_int.h"

#define S sqlite_store_of

#define SQL_EDIT_STATE "SELECT state, version FROM post WHERE id = ?1"

/* The state and version of post id inside the caller's transaction. */
static enum err current(void *be, int64_t id, enum post_state *state,
                        int64_t *version, struct buf *err)
{
    struct sqlite_store *s = be;
    sqlite3_stmt *st = NULL;
    enum err rc;
    int r;

    if (sqlite3_prepare_v2(s->db, SQL_EDIT_STATE, -1, &st, NULL) !=
            SQLITE_OK ||
        sqlite3_bind_int64(st, 1, id) != SQLITE_OK) {
        rc = sqlite_fail(s, err, "reading a post");
        goto out;
    }
    r = sqlite3_step(st);
    if (r == SQLITE_ROW) {
        *version = sqlite3_column_int64(st, 1);
        rc = post_state_from_name((const char *)sqlite3_column_text(st, 0),
                                  state) == ERR_OK
                 ? ERR_OK
                 : ERR_DB;
    } else if (r == SQLITE_DONE) {
        buf_setf(err, "no post %lld", (long long)id);
        rc = ERR_NOTFOUND;
    } else {
        rc = sqlite_fail(s, err, "reading a post");
    }
out:
    sqlite3_finalize(st);
    return rc;
}

/* The guard repeats store_post_common.c's may_edit in the statement. */
#define SQL_EDIT                                                              \
    "UPDATE post SET account = ?3, title = ?4, caption = ?5, tags = ?6, "     \
    "privacy = ?7, media = ?8, publish_at = ?9, zone = ?10, "                 \
    "local_time = ?11, state = ?12, updated_at = ?13, "                       \
    "version = version + 1 WHERE id = ?1 AND version = ?2 AND state IN "      \
    "('draft', 'scheduled')"

static enum err update_post(void *be, int64_t id, int64_t version,
                            const struct post *p, int64_t now,
                            struct buf *err)
{
    struct sqlite_store *s = be;
    sqlite3_stmt *st = NULL;
    enum err rc = ERR_OK;

    if (sqlite3_prepare_v2(s->db, SQL_EDIT, -1, &st, NULL) != SQLITE_OK ||
        sqlite3_bind_int64(st, 1, id) != SQLITE_OK ||
        sqlite3_bind_int64(st, 2, version) != SQLITE_OK ||
        sqlite3_bind_text(st, 3, p->account, -1, SQLITE_STATIC) !=
            SQLITE_OK ||
        sqlite3_bind_text(st, 4, p->title, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_text(st, 5, p->caption, -1, SQLITE_STATIC) !=
            SQLITE_OK ||
        sqlite3_bind_text(st, 6, p->tags, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_text(st, 7, p->privacy, -1, SQLITE_STATIC) !=
            SQLITE_OK ||
        sqlite3_bind_text(st, 8, p->media, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_int64(st, 9, p->publish_at) != SQLITE_OK ||
        sqlite3_bind_text(st, 10, p->zone, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_text(st, 11, p->local_time, -1, SQLITE_STATIC) !=
            SQLITE_OK ||
        sqlite3_bind_text(st, 12, post_state_name(p->state), -1,
                          SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_int64(st, 13, now) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_DONE)
        rc = sqlite_fail(s, err, "editing a post");
    else if (sqlite3_changes(s->db) != 1)
        rc = ERR_EXISTS; /* cannot happen under the write lock */
    sqlite3_finalize(st);
    return rc;
}

#define SQL_EDIT_ADD                                                          \
    "INSERT INTO post_edit(post_id, at, version, by, changes) VALUES (?1, "   \
    "?2, ?3, ?4, ?5)"

static enum err edit_row(void *be, int64_t id, int64_t now, int64_t version,
                         const char *by, const char *changes,
                         struct buf *err)
{
    struct sqlite_store *s = be;
    sqlite3_stmt *st = NULL;
    enum err rc = ERR_OK;

    if (sqlite3_prepare_v2(s->db, SQL_EDIT_ADD, -1, &st, NULL) !=
            SQLITE_OK ||
        sqlite3_bind_int64(st, 1, id) != SQLITE_OK ||
        sqlite3_bind_int64(st, 2, now) != SQLITE_OK ||
        sqlite3_bind_int64(st, 3, version) != SQLITE_OK ||
        sqlite3_bind_text(st, 4, by ? by : "", -1, SQLITE_STATIC) !=
            SQLITE_OK ||
        sqlite3_bind_text(st, 5, changes ? changes : "[]", -1,
                          SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_DONE)
        rc = sqlite_fail(s, err, "recording an edit");
    sqlite3_finalize(st);
    return rc;
}

static enum err event(void *be, int64_t id, int64_t now, const char *from,
                      const char *to, const char *note, struct buf *err)
{
    return sqlite_post_event_add(be, id, now, from, to, note, err);
}

/* The row steps of store_post_common.c's edit (workers poll: no wake). */
static const struct post_edit_ops sq_edit_ops = {
    .tx = &sq_post_tx,
    .current = current,
    .update = update_post,
    .record = edit_row,
    .event = event,
    .wake = NULL,
};

enum err sq_post_edit(struct store *base, int64_t id, int64_t version,
                      const struct post *p, const char *by,
                      const char *changes, int64_t now,
                      int64_t *version_out, struct buf *err)
{
    return post_edit_flow(&sq_edit_ops, S(base), id, version, p, by, changes,
                          now, version_out, err);
}

#define SQL_EDITS                                                             \
    "SELECT at, version, by, changes FROM post_edit WHERE post_id = ?1 "      \
    "ORDER BY id"

enum err sq_post_edits(struct store *base, int64_t id,
                       store_post_edit_fn fn, void *ud)
{
    struct sqlite_store *s = S(base);
    sqlite3_stmt *st = NULL;
    enum err rc = ERR_DB;
    int r = SQLITE_DONE;

    if (sqlite3_prepare_v2(s->db, SQL_EDITS, -1, &st, NULL) != SQLITE_OK ||
        sqlite3_bind_int64(st, 1, id) != SQLITE_OK)
        goto out;
    rc = ERR_OK;
    while (rc == ERR_OK && (r = sqlite3_step(st)) == SQLITE_ROW) {
        struct post_edit e = {
            .at = sqlite3_column_int64(st, 0),
            .version = sqlite3_column_int64(st, 1),
            .by = (const char *)sqlite3_column_text(st, 2),
            .changes = (const char *)sqlite3_column_text(st, 3),
        };
        rc = fn(&e, ud);
    }
    if (rc == ERR_OK && r != SQLITE_DONE)
        rc = ERR_DB;
out:
    sqlite3_finalize(st);
    return rc;
}
