/* Queue slots, SQLite backend (store_slots.h; migration 0021). Rare
 * statements: prepared per call, finalized at out:. */
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "store/store_slots.h"
#include "store/store_slots_common.h"
#include "store/store_sqlite.h"

#define S sqlite_store_of

#define SQL_SLOT_COLS                                                         \
    "SELECT id, platform, account, weekday, minute, zone, created_at, "       \
    "updated_at FROM queue_slot "
#define SQL_SLOT_LIST                                                         \
    SQL_SLOT_COLS "WHERE (?1 IS NULL OR platform = ?1) AND "                  \
                  "(?2 IS NULL OR account = ?2) "                             \
                  "ORDER BY platform, account, weekday, minute, id"
#define SQL_SLOT_GET SQL_SLOT_COLS "WHERE id = ?1"
#define SQL_SLOT_FIND                                                         \
    "SELECT id FROM queue_slot WHERE platform = ?1 AND account = ?2 AND "     \
    "weekday = ?3 AND minute = ?4 AND zone = ?5"
#define SQL_SLOT_COUNT                                                        \
    "SELECT count(*) FROM queue_slot WHERE platform = ?1 AND account = ?2"
#define SQL_SLOT_ADD                                                          \
    "INSERT INTO queue_slot(platform, account, weekday, minute, zone, "       \
    "created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)"
/* OR IGNORE: a clash with another slot of the account changes nothing
 * (0 rows), told apart from "no such slot" by the row count of GET. */
#define SQL_SLOT_UPDATE                                                       \
    "UPDATE OR IGNORE queue_slot SET weekday = ?2, minute = ?3, zone = ?4, "  \
    "updated_at = ?5 WHERE id = ?1"
#define SQL_SLOT_DELETE "DELETE FROM queue_slot WHERE id = ?1"
/* A post that still counts occupies its minute. */
#define SQL_SLOT_TAKEN                                                        \
    "SELECT 1 FROM post WHERE platform = ?1 AND account = ?2 AND "            \
    "publish_at >= ?3 AND publish_at < ?3 + 60 AND state NOT IN "             \
    "('draft', 'cancelled', 'failed') LIMIT 1"

void slot_free(struct slot *s)
{
    if (s == NULL)
        return;
    FREE_AND_NULL(s->platform);
    FREE_AND_NULL(s->account);
    FREE_AND_NULL(s->zone);
}

/* End the transaction: commit on ERR_OK; a refusal (the slot exists,
 * none free, too many) wrote nothing and is no store fault: a plain
 * ROLLBACK; a failure rolls back through sqlite_write_end. */
static enum err end_tx(void *be, enum err rc, struct buf *err)
{
    struct sqlite_store *s = be;

    if (rc == ERR_OK || rc == ERR_DB)
        return sqlite_write_end(s, rc, err);
    sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}

static char *col_dup(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return xstrdup(t ? (const char *)t : "");
}

static void row_to_slot(sqlite3_stmt *st, struct slot *s)
{
    s->id = sqlite3_column_int64(st, 0);
    s->platform = col_dup(st, 1);
    s->account = col_dup(st, 2);
    s->weekday = sqlite3_column_int(st, 3);
    s->minute = sqlite3_column_int(st, 4);
    s->zone = col_dup(st, 5);
    s->created_at = sqlite3_column_int64(st, 6);
    s->updated_at = sqlite3_column_int64(st, 7);
}

enum err sq_slot_list(struct store *base, const char *platform,
                      const char *account, store_slot_fn fn, void *ud,
                      struct buf *err)
{
    struct sqlite_store *s = S(base);
    sqlite3_stmt *st = NULL;
    enum err rc = ERR_OK;
    int r;

    if (sqlite3_prepare_v2(s->db, SQL_SLOT_LIST, -1, &st, NULL) !=
            SQLITE_OK ||
        sqlite_bind_text_or_null(st, 1, platform) != SQLITE_OK ||
        sqlite_bind_text_or_null(st, 2, account) != SQLITE_OK) {
        rc = sqlite_fail(s, err, "listing queue slots");
        goto out;
    }
    while (rc == ERR_OK && (r = sqlite3_step(st)) == SQLITE_ROW) {
        struct slot one = {0};
        row_to_slot(st, &one);
        rc = fn(&one, ud);
        slot_free(&one);
    }
    if (rc == ERR_OK && r != SQLITE_DONE)
        rc = sqlite_fail(s, err, "listing queue slots");
out:
    sqlite3_finalize(st);
    return rc;
}

enum err sq_slot_get(struct store *base, int64_t id, struct slot *out,
                     struct buf *err)
{
    struct sqlite_store *s = S(base);
    sqlite3_stmt *st = NULL;
    enum err rc = ERR_DB;
    int r;

    *out = (struct slot){0};
    if (sqlite3_prepare_v2(s->db, SQL_SLOT_GET, -1, &st, NULL) !=
            SQLITE_OK ||
        sqlite3_bind_int64(st, 1, id) != SQLITE_OK) {
        sqlite_fail(s, err, "reading a queue slot");
        goto out;
    }
    r = sqlite3_step(st);
    if (r == SQLITE_ROW) {
        row_to_slot(st, out);
        rc = ERR_OK;
    } else if (r == SQLITE_DONE) {
        buf_setf(err, "no queue slot %lld", (long long)id);
        rc = ERR_NOTFOUND;
    } else {
        sqlite_fail(s, err, "reading a queue slot");
    }
out:
    sqlite3_finalize(st);
    return rc;
}

/* Prepare sql (finalized by the caller, also on failure) and bind ?1
 * and ?2 to x's platform and account and, when whole, ?3 to ?5 to its
 * weekday, minute and zone. SQLITE_OK on success. */
static int prepare_slot(struct sqlite_store *s, const char *sql,
                        const struct slot *x, bool whole, sqlite3_stmt **st)
{
    int r = sqlite3_prepare_v2(s->db, sql, -1, st, NULL);

    if (r == SQLITE_OK)
        r = sqlite3_bind_text(*st, 1, x->platform, -1, SQLITE_STATIC);
    if (r == SQLITE_OK)
        r = sqlite3_bind_text(*st, 2, x->account, -1, SQLITE_STATIC);
    if (r == SQLITE_OK && whole)
        r = sqlite3_bind_int(*st, 3, x->weekday);
    if (r == SQLITE_OK && whole)
        r = sqlite3_bind_int(*st, 4, x->minute);
    if (r == SQLITE_OK && whole)
        r = sqlite3_bind_text(*st, 5, x->zone, -1, SQLITE_STATIC);
    return r;
}

/* The id of the same slot into *id_out (ERR_EXISTS), else ERR_OK. */
static enum err slot_find(void *be, const struct slot *x, int64_t *id_out,
                          struct buf *err)
{
    struct sqlite_store *s = be;
    sqlite3_stmt *st = NULL;
    enum err rc = ERR_DB;
    int r;

    if (prepare_slot(s, SQL_SLOT_FIND, x, true, &st) != SQLITE_OK) {
        sqlite_fail(s, err, "finding a queue slot");
        goto out;
    }
    r = sqlite3_step(st);
    if (r == SQLITE_ROW) {
        *id_out = sqlite3_column_int64(st, 0);
        rc = ERR_EXISTS;
    } else if (r == SQLITE_DONE) {
        rc = ERR_OK;
    } else {
        sqlite_fail(s, err, "finding a queue slot");
    }
out:
    sqlite3_finalize(st);
    return rc;
}

static enum err slot_count(void *be, const struct slot *x, int64_t *n,
                           struct buf *err)
{
    struct sqlite_store *s = be;
    sqlite3_stmt *st = NULL;
    enum err rc = ERR_OK;

    if (prepare_slot(s, SQL_SLOT_COUNT, x, false, &st) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_ROW)
        rc = sqlite_fail(s, err, "counting queue slots");
    else
        *n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return rc;
}

static enum err slot_insert(void *be, const struct slot *x, int64_t now,
                            int64_t *id_out, struct buf *err)
{
    struct sqlite_store *s = be;
    sqlite3_stmt *st = NULL;
    enum err rc = ERR_OK;

    if (prepare_slot(s, SQL_SLOT_ADD, x, true, &st) != SQLITE_OK ||
        sqlite3_bind_int64(st, 6, now) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_DONE)
        rc = sqlite_fail(s, err, "adding a queue slot");
    else
        *id_out = sqlite3_last_insert_rowid(s->db);
    sqlite3_finalize(st);
    return rc;
}

static enum err begin(void *be, const char *platform, const char *account,
                      struct buf *err)
{
    (void)platform; /* BEGIN IMMEDIATE serialises every writer */
    (void)account;
    return sqlite_write_begin(be, err);
}

/* taken[i] for each candidate; one statement reset per candidate. */
static enum err taken_in(void *be, const char *platform, const char *account,
                         const struct slot_when *c, size_t n, bool *taken,
                         struct buf *err)
{
    struct sqlite_store *s = be;
    sqlite3_stmt *st = NULL;
    enum err rc = ERR_OK;

    if (sqlite3_prepare_v2(s->db, SQL_SLOT_TAKEN, -1, &st, NULL) !=
            SQLITE_OK ||
        sqlite3_bind_text(st, 1, platform, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_text(st, 2, account, -1, SQLITE_STATIC) != SQLITE_OK) {
        rc = sqlite_fail(s, err, "reading the queue");
        goto out;
    }
    for (size_t i = 0; i < n && rc == ERR_OK; i++) {
        int r;
        sqlite3_reset(st);
        if (sqlite3_bind_int64(st, 3, c[i].utc) != SQLITE_OK) {
            rc = sqlite_fail(s, err, "reading the queue");
            break;
        }
        r = sqlite3_step(st);
        if (r != SQLITE_ROW && r != SQLITE_DONE)
            rc = sqlite_fail(s, err, "reading the queue");
        taken[i] = r == SQLITE_ROW;
    }
out:
    sqlite3_finalize(st);
    return rc;
}

static enum err add_post(void *be, const struct post *p, const char *note,
                         int64_t now, int64_t *id_out, struct buf *err)
{
    return sq_post_add_in_tx(be, p, note, now, id_out, err);
}

/* The row steps of store_slots_common.c's flow. */
static const struct slot_tx_ops sq_slot_tx = {
    .begin = begin,
    .end = end_tx,
    .find = slot_find,
    .count = slot_count,
    .insert = slot_insert,
    .taken = taken_in,
    .add_post = add_post,
};

enum err sq_slot_add(struct store *base, const struct slot *x,
                     int64_t now, int64_t *id_out, struct buf *err)
{
    return slot_add_flow(&sq_slot_tx, S(base), x, now, id_out, err);
}

enum err sq_slot_update(struct store *base, int64_t id, int weekday,
                        int minute, const char *zone, int64_t now,
                        struct buf *err)
{
    struct sqlite_store *s = S(base);
    sqlite3_stmt *st = NULL;
    struct slot cur = {0};
    enum err rc;

    rc = store_slot_get(base, id, &cur, err);
    if (rc != ERR_OK)
        goto out;
    rc = ERR_DB;
    if (sqlite3_prepare_v2(s->db, SQL_SLOT_UPDATE, -1, &st, NULL) !=
            SQLITE_OK ||
        sqlite3_bind_int64(st, 1, id) != SQLITE_OK ||
        sqlite3_bind_int(st, 2, weekday) != SQLITE_OK ||
        sqlite3_bind_int(st, 3, minute) != SQLITE_OK ||
        sqlite3_bind_text(st, 4, zone, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_int64(st, 5, now) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_DONE) {
        sqlite_fail(s, err, "changing a queue slot");
        goto out;
    }
    rc = sqlite3_changes(s->db) == 0 ? slot_clash(&cur, err) : ERR_OK;
out:
    slot_free(&cur);
    sqlite3_finalize(st);
    return rc;
}

enum err sq_slot_delete(struct store *base, int64_t id, struct buf *err)
{
    struct sqlite_store *s = S(base);
    sqlite3_stmt *st = NULL;
    enum err rc = ERR_OK;

    if (sqlite3_prepare_v2(s->db, SQL_SLOT_DELETE, -1, &st, NULL) !=
            SQLITE_OK ||
        sqlite3_bind_int64(st, 1, id) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_DONE) {
        rc = sqlite_fail(s, err, "removing a queue slot");
    } else if (sqlite3_changes(s->db) == 0) {
        buf_setf(err, "no queue slot %lld", (long long)id);
        rc = ERR_NOTFOUND;
    }
    sqlite3_finalize(st);
    return rc;
}

enum err sq_slot_taken(struct store *base, const char *platform,
                       const char *account, const struct slot_when *c,
                       size_t n, bool *taken, struct buf *err)
{
    return taken_in(S(base), platform, account, c, n, taken, err);
}

enum err sq_slot_queue_post(struct store *base, struct post *p,
                            const struct slot_when *c, size_t n,
                            int64_t now, int64_t *id_out,
                            size_t *chosen_out, struct buf *err)
{
    return slot_queue_flow(&sq_slot_tx, S(base), p, c, n, now, id_out,
                           chosen_out, err);
}
