/* Documents for retrieval in the SQLite backend (migrations 0029, 0031):
 * the doc_change (live documents, keyed by document) and doc_tomb
 * (tombstones, keyed by seq) tables that ingest and removals keep, their
 * reads, and one account's rollup day for its daily summary.
 *
 * Cost at ingest: one UPSERT per item that got a new snapshot, value or
 * field, and one per (account, rollup day) of a new snapshot, rewriting
 * the document's row in place (its seq index entry moves); skipped when
 * the same transaction marked that document already. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"

#include "core/timeutil.h"
#include "store/store_sqlite.h"

#define DOC_MARKS_MAX 65536 /* beyond, the SQL check alone dedupes */

static bool doc_marked(struct sqlite_store *s, int64_t item_id, int kind,
                       int32_t day);

/* Double the set, keeping its keys. */
static void doc_marks_grow(struct sqlite_store *s)
{
    struct doc_mark *old = s->doc_marks;
    size_t cap = s->doc_marks_cap;

    s->doc_marks_cap = cap * 2;
    s->doc_marks = xcalloc(s->doc_marks_cap, sizeof *s->doc_marks);
    s->doc_marks_n = 0;
    for (size_t i = 0; i < cap; i++)
        if (old[i].item_id != 0)
            (void)doc_marked(s, old[i].item_id, old[i].kind, old[i].day);
    free(old);
}

/* Whether (item_id, kind, day) was marked in this transaction; adds it
 * when not (while the set has room). */
static bool doc_marked(struct sqlite_store *s, int64_t item_id, int kind,
                       int32_t day)
{
    uint64_t h = (uint64_t)item_id * 0x9E3779B97F4A7C15u ^
                 (uint64_t)(uint32_t)day * 0xC2B2AE3D27D4EB4Fu ^
                 (uint64_t)kind;
    size_t i;

    if (s->doc_marks_cap == 0) {
        s->doc_marks_cap = 1024;
        s->doc_marks = xcalloc(s->doc_marks_cap, sizeof *s->doc_marks);
    }
    for (i = (size_t)(h >> 7) & (s->doc_marks_cap - 1);
         s->doc_marks[i].item_id != 0; i = (i + 1) & (s->doc_marks_cap - 1))
        if (s->doc_marks[i].item_id == item_id &&
            s->doc_marks[i].kind == kind && s->doc_marks[i].day == day)
            return true;
    if (s->doc_marks_n * 2 >= s->doc_marks_cap) {
        if (s->doc_marks_cap >= DOC_MARKS_MAX)
            return false; /* full: let the statement check */
        doc_marks_grow(s);
        return doc_marked(s, item_id, kind, day);
    }
    s->doc_marks[i] = (struct doc_mark){item_id, kind, day};
    s->doc_marks_n++;
    return false;
}

enum err sqlite_doc_seq(struct sqlite_store *s, int64_t *out)
{
    sqlite3_stmt *st = sqlite_use(s, S_DOC_SEQ);
    int r = sqlite3_step(st);

    *out = r == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    s->doc_seq_last = *out;
    sqlite3_reset(st);
    if (s->doc_marks_n > 0)
        memset(s->doc_marks, 0, s->doc_marks_cap * sizeof *s->doc_marks);
    s->doc_marks_n = 0;
    return r == SQLITE_ROW ? ERR_OK : ERR_DB;
}

enum err sqlite_doc_mark(struct sqlite_store *s, int64_t item_id,
                         enum store_doc_kind kind, int32_t day, int64_t now,
                         int64_t seq0)
{
    sqlite3_stmt *st;
    int r;

    if (doc_marked(s, item_id, (int)kind,
                   kind == STORE_DOC_DAY ? day : 0))
        return ERR_OK; /* this transaction marked it already */
    st = sqlite_use(s, S_DOC_MARK);
    if (sqlite3_bind_int64(st, 1, item_id) != SQLITE_OK ||
        sqlite3_bind_int(st, 2, (int)kind) != SQLITE_OK ||
        sqlite3_bind_int(st, 3, kind == STORE_DOC_DAY ? day : 0) !=
            SQLITE_OK ||
        sqlite3_bind_int64(st, 4, now) != SQLITE_OK ||
        sqlite3_bind_int64(st, 5, seq0) != SQLITE_OK ||
        sqlite3_bind_int64(st, 6, s->doc_seq_last + 1) != SQLITE_OK)
        return ERR_DB;
    r = sqlite3_step(st);
    if (r == SQLITE_DONE && sqlite3_changes(s->db) > 0)
        s->doc_seq_last++;
    sqlite3_reset(st);
    return r == SQLITE_DONE ? ERR_OK : ERR_DB;
}

/* ---- removals ---------------------------------------------------------- */

/* The account a removed value's item belongs to (itself for an account)
 * and the time of its snapshot. */
#define SQL_RM_DAYS                                                           \
    "SELECT DISTINCT CASE WHEN i.type = 'account' THEN i.id ELSE "            \
    "i.account_id END, s.observed_at FROM temp.rm_val r JOIN snapshot s ON "  \
    "s.id = r.snapshot_id JOIN item i ON i.id = s.item_id WHERE "             \
    "i.type = 'account' OR i.account_id IS NOT NULL ORDER BY 1, 2"

enum err sqlite_doc_removal_days(struct sqlite_store *s, int64_t now,
                                 int64_t seq0, struct buf *err)
{
    sqlite3_stmt *st = NULL;
    enum err rc = ERR_OK;
    int r = SQLITE_ERROR;

    if (sqlite3_prepare_v2(s->db, SQL_RM_DAYS, -1, &st, NULL) == SQLITE_OK)
        while (rc == ERR_OK && (r = sqlite3_step(st)) == SQLITE_ROW)
            rc = sqlite_doc_mark(
                s, sqlite3_column_int64(st, 0), STORE_DOC_DAY,
                sqlite_rollup_day(s, sqlite3_column_int64(st, 1)), now, seq0);
    if (rc == ERR_OK && r != SQLITE_DONE)
        rc = ERR_DB;
    sqlite3_finalize(st);
    return rc == ERR_OK ? rc : sqlite_fail(s, err, "marking documents");
}

/* ?1 now, ?2 the last seq handed out (the rows written take ?2 + 1,
 * + 2, ... in their order), ?3 the seq the transaction began at. The
 * items about to be deleted are those remove_items
 * (store_sqlite_remove.c) deletes: touched content left without
 * snapshots, then touched accounts left without snapshots and without
 * other content. */
static const char *const removal_items_sql[] = {
    "CREATE TEMP TABLE IF NOT EXISTS doc_gone(id INTEGER PRIMARY KEY)",
    "DELETE FROM temp.doc_gone",
    "INSERT INTO temp.doc_gone(id) SELECT id FROM item WHERE id IN (SELECT "
    "id FROM temp.rm_item) AND type = 'content' AND NOT EXISTS (SELECT 1 "
    "FROM snapshot s WHERE s.item_id = item.id)",
    "INSERT OR IGNORE INTO temp.doc_gone(id) SELECT id FROM item WHERE id "
    "IN (SELECT id FROM temp.rm_item UNION SELECT id FROM temp.rm_acct) AND "
    "type = 'account' AND NOT EXISTS (SELECT 1 FROM snapshot s WHERE "
    "s.item_id = item.id) AND NOT EXISTS (SELECT 1 FROM item c WHERE "
    "c.account_id = item.id AND c.id NOT IN (SELECT id FROM temp.doc_gone))",
    "INSERT INTO doc_tomb(seq, item_id, kind, day, changed_at, platform, "
    "type, ext_id, role) SELECT ?2 + row_number() OVER (ORDER BY i.id), "
    "i.id, 2, 0, ?1, i.platform, i.type, i.ext_id, i.role FROM "
    "temp.doc_gone g JOIN item i ON i.id = g.id",
    "INSERT INTO doc_tomb(seq, item_id, kind, day, changed_at, platform, "
    "type, ext_id, role) SELECT ?2 + row_number() OVER (ORDER BY d.item_id, "
    "d.day), d.item_id, 3, d.day, ?1, i.platform, i.type, i.ext_id, i.role "
    "FROM doc_change d JOIN temp.doc_gone g ON g.id = d.item_id JOIN item i "
    "ON i.id = d.item_id WHERE d.kind = 1",
    "DELETE FROM doc_change WHERE item_id IN (SELECT id FROM temp.doc_gone)",
    /* The touched items that stay: their numbers changed. */
    "INSERT INTO doc_change(item_id, kind, day, seq, changed_at) SELECT "
    "r.id, 0, 0, ?2 + row_number() OVER (ORDER BY r.id), ?1 FROM "
    "temp.rm_item r JOIN item i ON i.id = r.id WHERE r.id NOT IN (SELECT id "
    "FROM temp.doc_gone) AND NOT EXISTS (SELECT 1 FROM doc_change d WHERE "
    "d.item_id = r.id AND d.kind = 0 AND d.day = 0 AND d.seq > ?3) "
    "ON CONFLICT(item_id, kind, day) DO UPDATE SET seq = excluded.seq, "
    "changed_at = excluded.changed_at",
};

/* One statement of removal_items_sql with its parameters bound. */
static int removal_step(struct sqlite_store *s, const char *sql, int64_t now,
                        int64_t seq0)
{
    sqlite3_stmt *st = NULL;
    int np, r = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);

    np = r == SQLITE_OK ? sqlite3_bind_parameter_count(st) : 0;
    if (r == SQLITE_OK && np >= 1)
        r = sqlite3_bind_int64(st, 1, now);
    if (r == SQLITE_OK && np >= 2)
        r = sqlite3_bind_int64(st, 2, s->doc_seq_last);
    if (r == SQLITE_OK && np >= 3)
        r = sqlite3_bind_int64(st, 3, seq0);
    if (r == SQLITE_OK)
        r = sqlite3_step(st);
    sqlite3_finalize(st);
    return r;
}

enum err sqlite_doc_removal_items(struct sqlite_store *s, int64_t now,
                                  int64_t seq0, struct buf *err)
{
    size_t n = sizeof removal_items_sql / sizeof *removal_items_sql;
    sqlite3_stmt *max = sqlite_use(s, S_DOC_SEQ);
    enum err rc = ERR_OK;

    for (size_t i = 0; i < n && rc == ERR_OK; i++) {
        if (removal_step(s, removal_items_sql[i], now, seq0) != SQLITE_DONE)
            rc = sqlite_fail(s, err, "writing tombstones");
        /* The seqs the statement took: the next one starts past them. */
        else if (sqlite3_step(max) != SQLITE_ROW)
            rc = sqlite_fail(s, err, "writing tombstones");
        else if (sqlite3_column_int64(max, 0) > s->doc_seq_last)
            s->doc_seq_last = sqlite3_column_int64(max, 0);
        sqlite3_reset(max);
    }
    return rc;
}

/* ---- reads ----------------------------------------------------------- */

/* Live rows and (when ?3) tombstones after cursor ?1 changed at or after
 * ?2, in seq order. */
#define SQL_DOC_CHANGES                                                       \
    "SELECT d.seq, d.kind, d.item_id, d.day, d.changed_at, "                  \
    "coalesce(i.platform, d.platform), coalesce(i.type, d.type), "            \
    "coalesce(i.ext_id, d.ext_id), coalesce(i.role, d.role) "                 \
    "FROM (SELECT seq, kind, item_id, day, changed_at, NULL AS platform, "    \
    "NULL AS type, NULL AS ext_id, NULL AS role FROM doc_change "             \
    "WHERE seq > ?1 AND changed_at >= ?2 UNION ALL "                          \
    "SELECT seq, kind, item_id, day, changed_at, platform, type, ext_id, "    \
    "role FROM doc_tomb WHERE ?3 AND seq > ?1 AND changed_at >= ?2) d "       \
    "LEFT JOIN item i ON d.kind < 2 AND i.id = d.item_id "                    \
    "WHERE (d.kind >= 2 OR i.id IS NOT NULL) "                                \
    "AND (?4 IS NULL OR coalesce(i.platform, d.platform) = ?4) "              \
    "AND (?5 IS NULL OR coalesce(i.role, d.role) = ?5) "                      \
    "AND (d.kind IN (0, 2) OR coalesce(i.role, d.role) = 'own') "             \
    "ORDER BY d.seq LIMIT ?6"

static int bind_doc_query(sqlite3_stmt *st, const struct store_doc_query *q)
{
    bool all = q->since == TIME_NONE;
    int r = sqlite3_bind_int64(st, 1, q->after_seq > 0 ? q->after_seq : 0);

    if (r == SQLITE_OK)
        r = sqlite3_bind_int64(st, 2, all ? INT64_MIN : q->since);
    if (r == SQLITE_OK)
        r = sqlite3_bind_int(st, 3, all ? 0 : 1);
    if (r == SQLITE_OK && q->platform >= 0)
        r = sqlite3_bind_text(st, 4, platform_name((enum platform)q->platform),
                              -1, SQLITE_STATIC);
    if (r == SQLITE_OK && q->role >= 0)
        r = sqlite3_bind_text(st, 5, q->role ? "tracked" : "own", -1,
                              SQLITE_STATIC);
    if (r == SQLITE_OK)
        r = sqlite3_bind_int64(st, 6, q->limit > 0 ? q->limit : -1);
    return r;
}

/* The row as a change; false when its platform or type is not one this
 * program knows (a row another version wrote): skipped. */
static bool doc_row(sqlite3_stmt *st, struct store_doc_change *c)
{
    const char *p = (const char *)sqlite3_column_text(st, 5);
    const char *t = (const char *)sqlite3_column_text(st, 6);
    const char *role = (const char *)sqlite3_column_text(st, 8);

    c->seq = sqlite3_column_int64(st, 0);
    c->kind = (enum store_doc_kind)sqlite3_column_int(st, 1);
    c->item_id = sqlite3_column_int64(st, 2);
    c->day = (int32_t)sqlite3_column_int64(st, 3);
    c->changed_at = sqlite3_column_int64(st, 4);
    c->ext_id = (const char *)sqlite3_column_text(st, 7);
    c->tracked = role != NULL && strcmp(role, "tracked") == 0;
    if (p == NULL || t == NULL || c->ext_id == NULL ||
        platform_from_name(p, &c->platform) != ERR_OK)
        return false;
    c->type = strcmp(t, "account") == 0 ? ITEM_ACCOUNT : ITEM_CONTENT;
    return c->kind <= STORE_DOC_DAY_GONE;
}

enum err sq_doc_changes(struct store *base, const struct store_doc_query *q,
                        store_doc_fn fn, void *ud, struct buf *err)
{
    struct sqlite_store *s = sqlite_store_of(base);
    sqlite3_stmt *st = NULL;
    enum err rc = ERR_OK;
    int r = SQLITE_ERROR;

    if (sqlite3_prepare_v2(s->db, SQL_DOC_CHANGES, -1, &st, NULL) ==
            SQLITE_OK &&
        bind_doc_query(st, q) == SQLITE_OK)
        while (rc == ERR_OK && (r = sqlite3_step(st)) == SQLITE_ROW) {
            struct store_doc_change c;
            if (doc_row(st, &c))
                rc = fn(ud, &c);
        }
    if (rc == ERR_OK && r != SQLITE_DONE)
        rc = sqlite_fail(s, err, "listing documents");
    sqlite3_finalize(st);
    return rc;
}

/* ?1 platform, ?2 type, ?3 ext id, ?4 kind (0 or 1), ?5 day. */
#define SQL_DOC_FIND                                                          \
    "SELECT d.seq, d.kind, d.item_id, d.day, d.changed_at, i.platform, "     \
    "i.type, i.ext_id, i.role FROM item i JOIN doc_change d ON d.item_id = "  \
    "i.id AND d.kind = ?4 AND d.day = ?5 WHERE i.platform = "                 \
    "?1 AND i.type = ?2 AND i.ext_id = ?3 AND (?4 = 0 OR i.role = 'own')"

enum err sq_doc_find(struct store *base, enum platform p, enum item_type type,
                     const char *ext_id, enum store_doc_kind kind,
                     int32_t day, store_doc_fn fn, void *ud,
                     struct buf *err)
{
    struct sqlite_store *s = sqlite_store_of(base);
    bool is_day = kind == STORE_DOC_DAY;
    sqlite3_stmt *st = NULL;
    struct store_doc_change c;
    enum err rc = ERR_NOTFOUND;
    int r = sqlite3_prepare_v2(s->db, SQL_DOC_FIND, -1, &st, NULL);

    if (r == SQLITE_OK)
        r = sqlite3_bind_text(st, 1, platform_name(p), -1, SQLITE_STATIC);
    if (r == SQLITE_OK)
        r = sqlite3_bind_text(st, 2, item_type_name(type), -1,
                              SQLITE_STATIC);
    if (r == SQLITE_OK)
        r = sqlite3_bind_text(st, 3, ext_id, -1, SQLITE_STATIC);
    if (r == SQLITE_OK)
        r = sqlite3_bind_int(st, 4, is_day ? 1 : 0);
    if (r == SQLITE_OK)
        r = sqlite3_bind_int(st, 5, is_day ? day : 0);
    if (r == SQLITE_OK)
        r = sqlite3_step(st);
    if (r == SQLITE_ROW && doc_row(st, &c))
        rc = fn(ud, &c);
    else if (r != SQLITE_ROW && r != SQLITE_DONE)
        rc = sqlite_fail(s, err, "finding a document");
    sqlite3_finalize(st);
    return rc;
}

enum err sq_doc_last_seq(struct store *base, int64_t *out)
{
    return sqlite_doc_seq(sqlite_store_of(base), out);
}

/* ?1 account, ?2 day. */
#define SQL_DAY_FOLLOWERS                                                     \
    "SELECT d.last_v, d.gain FROM item_day d JOIN metric m ON m.id = "        \
    "d.metric_id WHERE m.name = 'followers' AND d.item_id = ?1 AND "          \
    "d.day = ?2"
#define SQL_DAY_VIEWS                                                         \
    "SELECT a.gain FROM account_day a JOIN metric m ON m.id = a.metric_id "   \
    "WHERE m.name = 'views' AND a.account_id = ?1 AND a.day = ?2"
#define SQL_DAY_TOP                                                           \
    "SELECT d.item_id, d.gain, count(*) OVER () FROM item c JOIN item_day d " \
    "ON d.item_id = c.id JOIN metric m ON m.id = d.metric_id WHERE "          \
    "m.name = 'views' AND c.account_id = ?1 AND d.day = ?2 AND "              \
    "d.gain IS NOT NULL ORDER BY d.gain DESC, d.item_id LIMIT 1"

/* Run sql for (account, day); fn reads the first row when there is one. */
static enum err day_read(struct sqlite_store *s, const char *sql,
                         int64_t account_id, int32_t day,
                         void (*fn)(sqlite3_stmt *, struct store_account_day *),
                         struct store_account_day *out)
{
    sqlite3_stmt *st = NULL;
    int r = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);

    if (r == SQLITE_OK)
        r = sqlite3_bind_int64(st, 1, account_id);
    if (r == SQLITE_OK)
        r = sqlite3_bind_int(st, 2, day);
    if (r == SQLITE_OK)
        r = sqlite3_step(st);
    if (r == SQLITE_ROW)
        fn(st, out);
    sqlite3_finalize(st);
    return r == SQLITE_ROW || r == SQLITE_DONE ? ERR_OK : ERR_DB;
}

static void on_followers(sqlite3_stmt *st, struct store_account_day *out)
{
    out->has_followers = true;
    out->followers = sqlite3_column_int64(st, 0);
    out->has_followers_gain = sqlite3_column_type(st, 1) != SQLITE_NULL;
    out->followers_gain = sqlite3_column_int64(st, 1);
}

static void on_views(sqlite3_stmt *st, struct store_account_day *out)
{
    out->has_views = true;
    out->views = sqlite3_column_int64(st, 0);
}

static void on_top(sqlite3_stmt *st, struct store_account_day *out)
{
    out->top_item_id = sqlite3_column_int64(st, 0);
    out->top_gain = sqlite3_column_int64(st, 1);
    out->content_active = sqlite3_column_int64(st, 2);
}

enum err sq_account_day_get(struct store *base, int64_t account_id,
                            int32_t day, struct store_account_day *out)
{
    struct sqlite_store *s = sqlite_store_of(base);
    enum err rc;

    memset(out, 0, sizeof *out);
    rc = day_read(s, SQL_DAY_FOLLOWERS, account_id, day, on_followers, out);
    if (rc == ERR_OK)
        rc = day_read(s, SQL_DAY_VIEWS, account_id, day, on_views, out);
    if (rc == ERR_OK)
        rc = day_read(s, SQL_DAY_TOP, account_id, day, on_top, out);
    return rc;
}
