/* Roles and taking data back (migrations 0011, 0012): listing imports
 * and the audit, removing an import or an account, setting an account's
 * role, and the per-account figures of the Competitors page.
 *
 * A removal is one transaction that first inserts the store_removing
 * marker row (the only state in which the append-only triggers let a
 * snapshot or value be deleted) and deletes it again before COMMIT. It
 * gathers what goes into temporary tables (rm_*), deletes it, then
 * recomputes item_latest and the rollups of the items touched, walking
 * their values the way `rollup --rebuild` does. */
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/timeutil.h"
#include "store/store_sqlite.h"

/* ---- reads ----------------------------------------------------------- */

#define SQL_IMPORTS                                                           \
    "SELECT id, digest, source, format, imported_at, items, snapshots, "     \
    "vals FROM import ORDER BY id DESC"

static const char *col(sqlite3_stmt *st, int i)
{
    return (const char *)sqlite3_column_text(st, i);
}

enum err sq_imports_list(struct store *base, store_import_fn fn, void *ud)
{
    struct sqlite_store *s = sqlite_store_of(base);
    sqlite3_stmt *st = NULL;
    enum err rc = ERR_OK;
    int r = SQLITE_ERROR;

    if (sqlite3_prepare_v2(s->db, SQL_IMPORTS, -1, &st, NULL) == SQLITE_OK)
        while (rc == ERR_OK && (r = sqlite3_step(st)) == SQLITE_ROW) {
            struct store_import im = {
                sqlite3_column_int64(st, 0), col(st, 1),
                col(st, 2), col(st, 3),
                sqlite3_column_int64(st, 4), sqlite3_column_int64(st, 5),
                sqlite3_column_int64(st, 6), sqlite3_column_int64(st, 7)};
            rc = fn(ud, &im);
        }
    if (rc == ERR_OK && r != SQLITE_DONE)
        rc = ERR_DB;
    sqlite3_finalize(st);
    return rc;
}

#define SQL_AUDIT "SELECT id, at, who, action, what FROM audit ORDER BY id DESC"

enum err sq_audit_list(struct store *base, store_audit_fn fn, void *ud)
{
    struct sqlite_store *s = sqlite_store_of(base);
    sqlite3_stmt *st = NULL;
    enum err rc = ERR_OK;
    int r = SQLITE_ERROR;

    if (sqlite3_prepare_v2(s->db, SQL_AUDIT, -1, &st, NULL) == SQLITE_OK)
        while (rc == ERR_OK && (r = sqlite3_step(st)) == SQLITE_ROW) {
            struct store_audit a = {sqlite3_column_int64(st, 0),
                                    sqlite3_column_int64(st, 1), col(st, 2),
                                    col(st, 3), col(st, 4)};
            rc = fn(ud, &a);
        }
    if (rc == ERR_OK && r != SQLITE_DONE)
        rc = ERR_DB;
    sqlite3_finalize(st);
    return rc;
}

/* ---- statement steps --------------------------------------------------- */

/* One statement of a removal: ?1 (when the statement has parameters) is
 * the removal's key; *changes (when not NULL) receives the rows it
 * changed. */
struct step {
    const char *sql;
    int64_t *changes;
};

static enum err run_steps(struct sqlite_store *s, const struct step *steps,
                          size_t n, int64_t key, struct buf *err)
{
    enum err rc = ERR_OK;

    for (size_t i = 0; i < n && rc == ERR_OK; i++) {
        sqlite3_stmt *st = NULL;
        int r = sqlite3_prepare_v2(s->db, steps[i].sql, -1, &st, NULL);
        if (r == SQLITE_OK && sqlite3_bind_parameter_count(st) > 0)
            r = sqlite3_bind_int64(st, 1, key);
        if (r == SQLITE_OK)
            r = sqlite3_step(st);
        if (r != SQLITE_DONE && r != SQLITE_ROW)
            rc = sqlite_fail(s, err, "removing");
        else if (steps[i].changes != NULL)
            *steps[i].changes += sqlite3_changes(s->db);
        sqlite3_finalize(st);
    }
    return rc;
}

#define NSTEPS(a) (sizeof(a) / sizeof *(a))

/* The scratch tables of a removal, emptied at its start. */
static const struct step begin_steps[] = {
    {"INSERT INTO store_removing(id) VALUES (1)", NULL},
    {"CREATE TEMP TABLE IF NOT EXISTS rm_item(id INTEGER PRIMARY KEY)", NULL},
    {"CREATE TEMP TABLE IF NOT EXISTS rm_acct(id INTEGER PRIMARY KEY)", NULL},
    {"CREATE TEMP TABLE IF NOT EXISTS rm_snap(id INTEGER PRIMARY KEY)", NULL},
    {"CREATE TEMP TABLE IF NOT EXISTS rm_val(snapshot_id INTEGER, "
     "metric_id INTEGER, PRIMARY KEY (snapshot_id, metric_id)) WITHOUT ROWID",
     NULL},
    {"CREATE TEMP TABLE IF NOT EXISTS rm_imp(id INTEGER PRIMARY KEY, "
     "vals INTEGER NOT NULL)", NULL},
    {"CREATE TEMP TABLE IF NOT EXISTS rm_gone(id INTEGER PRIMARY KEY, "
     "import_id INTEGER, item_id INTEGER NOT NULL)", NULL},
    {"CREATE INDEX IF NOT EXISTS temp.rm_gone_imp ON rm_gone(import_id)",
     NULL},
    {"DELETE FROM temp.rm_item", NULL},
    {"DELETE FROM temp.rm_acct", NULL},
    {"DELETE FROM temp.rm_snap", NULL},
    {"DELETE FROM temp.rm_val", NULL},
    {"DELETE FROM temp.rm_imp", NULL},
    {"DELETE FROM temp.rm_gone", NULL},
};

/* What import ?1 stored: its snapshots, their values but those a later
 * import added, and the values it added to other imports' snapshots. */
static const struct step import_fill[] = {
    {"INSERT INTO temp.rm_snap(id) SELECT id FROM snapshot "
     "WHERE import_id = ?1", NULL},
    {"INSERT INTO temp.rm_val SELECT v.snapshot_id, v.metric_id FROM "
     "temp.rm_snap r JOIN snapshot_value v ON v.snapshot_id = r.id WHERE "
     "NOT EXISTS (SELECT 1 FROM value_import vi WHERE vi.snapshot_id = "
     "v.snapshot_id AND vi.metric_id = v.metric_id AND vi.import_id <> ?1)",
     NULL},
    {"INSERT OR IGNORE INTO temp.rm_val SELECT snapshot_id, metric_id FROM "
     "value_import WHERE import_id = ?1", NULL},
    {"INSERT OR IGNORE INTO temp.rm_item(id) SELECT id FROM item WHERE "
     "import_id = ?1", NULL},
};

/* Account ?1, its content, and all their snapshots and values. */
static const struct step account_fill[] = {
    {"INSERT INTO temp.rm_item(id) SELECT ?1 UNION "
     "SELECT id FROM item WHERE account_id = ?1", NULL},
    {"INSERT INTO temp.rm_snap(id) SELECT s.id FROM temp.rm_item r "
     "JOIN snapshot s ON s.item_id = r.id", NULL},
    {"INSERT INTO temp.rm_val SELECT v.snapshot_id, v.metric_id FROM "
     "temp.rm_snap r JOIN snapshot_value v ON v.snapshot_id = r.id", NULL},
};

/* The import a value in rm_val belongs to (alias r). */
#define VAL_IMPORT "coalesce(vi.import_id, s.import_id)"
#define VAL_JOIN                                                              \
    " FROM temp.rm_val r JOIN snapshot s ON s.id = r.snapshot_id LEFT JOIN "  \
    "value_import vi ON vi.snapshot_id = r.snapshot_id AND "                  \
    "vi.metric_id = r.metric_id"

/* The items and accounts touched, and the values per import. */
static const struct step gather_steps[] = {
    {"INSERT OR IGNORE INTO temp.rm_item(id) SELECT DISTINCT s.item_id "
     "FROM temp.rm_val r JOIN snapshot s ON s.id = r.snapshot_id", NULL},
    {"INSERT OR IGNORE INTO temp.rm_acct(id) SELECT CASE WHEN i.type = "
     "'account' THEN i.id ELSE i.account_id END FROM temp.rm_item r JOIN "
     "item i ON i.id = r.id WHERE i.type = 'account' OR i.account_id IS NOT "
     "NULL", NULL},
    {"INSERT INTO temp.rm_imp(id, vals) SELECT " VAL_IMPORT ", count(*)"
     VAL_JOIN " WHERE " VAL_IMPORT " IS NOT NULL GROUP BY 1", NULL},
};

/* Delete the values, keep the snapshots that still hold values of other
 * imports (now theirs), then delete the empty ones, shrinking the
 * counts of the imports they came from. */
struct removal {
    struct sqlite_store *s;
    const char *who, *action;
    int64_t now;
    struct store_removed out;
    struct buf what; /* the audit line's text */
};

static enum err remove_rows(struct removal *rm, int64_t key, struct buf *err)
{
    const struct step steps[] = {
        {"DELETE FROM snapshot_value WHERE (snapshot_id, metric_id) IN "
         "(SELECT snapshot_id, metric_id FROM temp.rm_val)", &rm->out.values},
        {"UPDATE snapshot SET import_id = (SELECT min(vi.import_id) FROM "
         "value_import vi WHERE vi.snapshot_id = snapshot.id) WHERE id IN "
         "(SELECT id FROM temp.rm_snap) AND EXISTS (SELECT 1 FROM "
         "snapshot_value v WHERE v.snapshot_id = snapshot.id)", NULL},
        {"DELETE FROM value_import WHERE snapshot_id IN (SELECT id FROM "
         "temp.rm_snap) AND import_id IS (SELECT s.import_id FROM snapshot s "
         "WHERE s.id = value_import.snapshot_id)", NULL},
        {"DELETE FROM value_import WHERE (snapshot_id, metric_id) IN "
         "(SELECT snapshot_id, metric_id FROM temp.rm_val)", NULL},
        {"INSERT INTO temp.rm_gone(id, import_id, item_id) SELECT s.id, "
         "s.import_id, s.item_id FROM snapshot s WHERE s.id IN (SELECT "
         "snapshot_id FROM temp.rm_val UNION SELECT id FROM temp.rm_snap) AND "
         "NOT EXISTS (SELECT 1 FROM snapshot_value v WHERE "
         "v.snapshot_id = s.id)", NULL},
        {"UPDATE import SET vals = max(0, vals - coalesce((SELECT m.vals FROM "
         "temp.rm_imp m WHERE m.id = import.id), 0)), snapshots = max(0, "
         "snapshots - (SELECT count(*) FROM temp.rm_gone g WHERE "
         "g.import_id = import.id)), items = max(0, items - (SELECT "
         "count(DISTINCT g.item_id) FROM temp.rm_gone g WHERE g.import_id = "
         "import.id)) WHERE id IN (SELECT id FROM temp.rm_imp UNION SELECT "
         "import_id FROM temp.rm_gone)", NULL},
        {"DELETE FROM snapshot WHERE id IN (SELECT id FROM temp.rm_gone)",
         &rm->out.snapshots},
        /* An import left with no snapshot and no value is forgotten, so
         * that its file can be imported again (store.h). */
        {"DELETE FROM import WHERE id IN (SELECT id FROM temp.rm_imp UNION "
         "SELECT import_id FROM temp.rm_gone) AND snapshots = 0 AND vals = "
         "0", NULL},
    };
    return run_steps(rm->s, steps, NSTEPS(steps), key, err);
}

/* Items left without snapshots (and accounts also without content) go;
 * item_latest and the rollups of the touched items are recomputed. */
static enum err remove_items(struct removal *rm, struct buf *err)
{
    const struct step steps[] = {
        /* item_link (0030): the links a content item about to go stated
         * (from_ext), then links to it whose stating item is not stored;
         * a link to it from a kept item stays (a link may name an item
         * not stored, and the kept item states it again). */
        {"DELETE FROM item_link WHERE (platform, from_ext) IN (SELECT "
         "i.platform, i.ext_id FROM temp.rm_item r JOIN item i ON i.id = "
         "r.id WHERE i.type = 'content' AND NOT EXISTS (SELECT 1 FROM "
         "snapshot s WHERE s.item_id = i.id))", NULL},
        {"DELETE FROM item_link WHERE (platform, to_ext) IN (SELECT "
         "i.platform, i.ext_id FROM temp.rm_item r JOIN item i ON i.id = "
         "r.id WHERE i.type = 'content' AND NOT EXISTS (SELECT 1 FROM "
         "snapshot s WHERE s.item_id = i.id)) AND NOT EXISTS (SELECT 1 FROM "
         "item f WHERE f.platform = item_link.platform AND f.type = "
         "'content' AND f.ext_id = item_link.from_ext)", NULL},
        {"DELETE FROM item WHERE id IN (SELECT id FROM temp.rm_item) AND "
         "type = 'content' AND NOT EXISTS (SELECT 1 FROM snapshot s WHERE "
         "s.item_id = item.id)", &rm->out.items},
        {"DELETE FROM item WHERE id IN (SELECT id FROM temp.rm_item UNION "
         "SELECT id FROM temp.rm_acct) AND type = 'account' AND NOT EXISTS "
         "(SELECT 1 FROM snapshot s WHERE s.item_id = item.id) AND NOT EXISTS "
         "(SELECT 1 FROM item c WHERE c.account_id = item.id)",
         &rm->out.items},
        /* the search index (migration 0028): rows of items gone */
        {"DELETE FROM item_fts WHERE rowid IN (SELECT id FROM temp.rm_item) "
         "AND NOT EXISTS (SELECT 1 FROM item i WHERE i.id = item_fts.rowid)",
         NULL},
        {"DELETE FROM item_fts_tri WHERE rowid IN (SELECT id FROM "
         "temp.rm_item) AND NOT EXISTS (SELECT 1 FROM item i WHERE i.id = "
         "item_fts_tri.rowid)", NULL},
        {"DELETE FROM item_latest WHERE item_id IN (SELECT id FROM "
         "temp.rm_item)", NULL},
        /* SQLite takes the bare columns from the row holding the max. */
        {"INSERT INTO item_latest(item_id, metric_id, observed_at, ival, "
         "rval) SELECT s.item_id, v.metric_id, max(s.observed_at), v.ival, "
         "v.rval FROM temp.rm_item r JOIN snapshot s ON s.item_id = r.id "
         "JOIN snapshot_value v ON v.snapshot_id = s.id "
         "GROUP BY s.item_id, v.metric_id", NULL},
        {"DELETE FROM account_day WHERE account_id IN (SELECT id FROM "
         "temp.rm_acct)", NULL},
        {"DELETE FROM item_day WHERE item_id IN (SELECT id FROM temp.rm_item)",
         NULL},
        /* The untouched content's gains; the walk adds the touched ones.
         * A row exists where some gain is not 0, as rebuild writes it. */
        {"INSERT INTO account_day(account_id, metric_id, day, gain) SELECT "
         "i.account_id, d.metric_id, d.day, sum(d.gain) FROM temp.rm_acct a "
         "JOIN item i ON i.account_id = a.id JOIN item_day d INDEXED BY "
         "item_day_by_item ON d.item_id = i.id WHERE d.gain IS NOT NULL "
         "GROUP BY i.account_id, d.metric_id, d.day "
         "HAVING sum(d.gain <> 0) > 0", NULL},
    };
    enum err rc = run_steps(rm->s, steps, NSTEPS(steps), 0, err);
    if (rc == ERR_OK)
        rc = sqlite_rollup_rebuild_items(rm->s, err);
    return rc;
}

#define SQL_AUDIT_ADD                                                         \
    "INSERT INTO audit(at, who, action, what) VALUES (?1, ?2, ?3, ?4)"

static enum err audit_add(struct sqlite_store *s, int64_t now,
                          const char *who, const char *action,
                          const char *what, struct buf *err)
{
    sqlite3_stmt *st = NULL;
    enum err rc = ERR_OK;

    if (sqlite3_prepare_v2(s->db, SQL_AUDIT_ADD, -1, &st, NULL) !=
            SQLITE_OK ||
        sqlite3_bind_int64(st, 1, now) != SQLITE_OK ||
        sqlite3_bind_text(st, 2, who ? who : "?", -1, SQLITE_STATIC) !=
            SQLITE_OK ||
        sqlite3_bind_text(st, 3, action, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_text(st, 4, what, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_DONE)
        rc = sqlite_fail(s, err, "writing the audit line");
    sqlite3_finalize(st);
    return rc;
}

/* BEGIN; the caller's fill; gather, delete, recompute; audit; COMMIT.
 * On failure everything is rolled back. */
static enum err removal_run(struct removal *rm, const struct step *fill,
                            size_t nfill, int64_t key, bool drop_import,
                            struct buf *err)
{
    static const struct step import_drop[] = {
        {"DELETE FROM import WHERE id = ?1", NULL},
    };
    static const struct step end_steps[] = {
        {SQL_GEN_BUMP, NULL},
        {"DELETE FROM store_removing", NULL},
    };
    struct sqlite_store *s = rm->s;
    int64_t seq0 = 0;
    enum err rc = run_steps(s, begin_steps, NSTEPS(begin_steps), key, err);

    if (rc == ERR_OK && sqlite_doc_seq(s, &seq0) != ERR_OK)
        rc = sqlite_fail(s, err, "reading documents");
    if (rc == ERR_OK)
        rc = run_steps(s, fill, nfill, key, err);
    if (rc == ERR_OK)
        rc = run_steps(s, gather_steps, NSTEPS(gather_steps), key, err);
    /* Documents (migration 0029): the days of the values that go, then
     * tombstones for the items that go and marks for those that stay. */
    if (rc == ERR_OK)
        rc = sqlite_doc_removal_days(s, rm->now, seq0, err);
    if (rc == ERR_OK)
        rc = remove_rows(rm, key, err);
    if (rc == ERR_OK && drop_import)
        rc = run_steps(s, import_drop, 1, key, err);
    if (rc == ERR_OK)
        rc = sqlite_doc_removal_items(s, rm->now, seq0, err);
    if (rc == ERR_OK)
        rc = remove_items(rm, err);
    if (rc == ERR_OK)
        buf_catf(&rm->what, ": %lld items, %lld snapshots, %lld values",
                 (long long)rm->out.items, (long long)rm->out.snapshots,
                 (long long)rm->out.values);
    if (rc == ERR_OK)
        rc = audit_add(s, rm->now, rm->who, rm->action, buf_cstr(&rm->what),
                       err);
    if (rc == ERR_OK)
        rc = run_steps(s, end_steps, NSTEPS(end_steps), key, err);
    return rc;
}

static enum err tx_begin(struct sqlite_store *s, struct buf *err)
{
    if (sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        return sqlite_fail(s, err, "starting a transaction");
    return ERR_OK;
}

/* Commit when rc is ERR_OK, else roll back; caches are dropped either
 * way (rows they describe may be gone). Returns the outcome. */
static enum err tx_end(struct sqlite_store *s, enum err rc, struct buf *err)
{
    sqlite_caches_clear(s);
    if (rc == ERR_OK &&
        sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        rc = sqlite_fail(s, err, "committing");
    if (rc != ERR_OK) {
        sqlite_rollback(s);
        sqlite_caches_clear(s);
    }
    return rc;
}

static enum err in_tx(struct sqlite_store *s, struct removal *rm,
                      const struct step *fill, size_t nfill, int64_t key,
                      bool drop_import, struct buf *err)
{
    enum err rc = tx_begin(s, err);
    if (rc != ERR_OK)
        return rc;
    rc = removal_run(rm, fill, nfill, key, drop_import, err);
    return tx_end(s, rc, err);
}

/* ---- entry points ------------------------------------------------------ */

#define SQL_IMPORT_GET "SELECT coalesce(source, ''), digest FROM import WHERE id = ?1"

enum err sq_import_remove(struct store *base, int64_t id, const char *who,
                          int64_t now, struct store_removed *out,
                          struct buf *err)
{
    struct sqlite_store *s = sqlite_store_of(base);
    struct removal rm = {s, who, "import remove", now, {0, 0, 0}, {0}};
    sqlite3_stmt *st = NULL;
    enum err rc = ERR_OK;
    int r;

    memset(out, 0, sizeof *out);
    buf_init(&rm.what, 4096);
    if (sqlite3_prepare_v2(s->db, SQL_IMPORT_GET, -1, &st, NULL) !=
            SQLITE_OK ||
        sqlite3_bind_int64(st, 1, id) != SQLITE_OK) {
        rc = sqlite_fail(s, err, "finding the import");
        goto out;
    }
    r = sqlite3_step(st);
    if (r == SQLITE_DONE) {
        buf_setf(err, "no import with id %lld", (long long)id);
        rc = ERR_NOTFOUND;
        goto out;
    }
    if (r != SQLITE_ROW) {
        rc = sqlite_fail(s, err, "finding the import");
        goto out;
    }
    buf_setf(&rm.what, "import %lld (%s, sha256 %s)", (long long)id,
             col(st, 0), col(st, 1) ? col(st, 1) : "none");
    sqlite3_finalize(st);
    st = NULL;
    rc = in_tx(s, &rm, import_fill, NSTEPS(import_fill), id, true, err);
    if (rc == ERR_OK)
        *out = rm.out;
out:
    sqlite3_finalize(st);
    buf_free(&rm.what);
    return rc;
}

#define SQL_ACCOUNT_FIND                                                      \
    "SELECT id FROM item WHERE platform = ?1 AND type = 'account' AND "       \
    "ext_id = ?2"

/* The row id of account ext_id of platform p into *out. */
static enum err account_find(struct sqlite_store *s, enum platform p,
                             const char *ext_id, int64_t *out,
                             struct buf *err)
{
    sqlite3_stmt *st = NULL;
    enum err rc = ERR_OK;
    int r = sqlite_prepare_for(s, SQL_ACCOUNT_FIND, p, ext_id, &st);

    if (r == SQLITE_OK)
        r = sqlite3_step(st);
    if (r == SQLITE_ROW) {
        *out = sqlite3_column_int64(st, 0);
    } else if (r == SQLITE_DONE) {
        buf_setf(err, "no %s account \"%s\"", platform_name(p), ext_id);
        rc = ERR_NOTFOUND;
    } else {
        rc = sqlite_fail(s, err, "finding the account");
    }
    sqlite3_finalize(st);
    return rc;
}

enum err sq_account_remove(struct store *base, enum platform p,
                           const char *ext_id, const char *who, int64_t now,
                           struct store_removed *out, struct buf *err)
{
    struct sqlite_store *s = sqlite_store_of(base);
    struct removal rm = {s, who, "account remove", now, {0, 0, 0}, {0}};
    int64_t id = 0;
    enum err rc;

    memset(out, 0, sizeof *out);
    buf_init(&rm.what, 4096);
    rc = account_find(s, p, ext_id, &id, err);
    if (rc == ERR_OK)
        buf_setf(&rm.what, "account %s:%s", platform_name(p), ext_id);
    if (rc == ERR_OK)
        rc = in_tx(s, &rm, account_fill, NSTEPS(account_fill), id, false,
                   err);
    if (rc == ERR_OK)
        *out = rm.out;
    buf_free(&rm.what);
    return rc;
}

enum err sq_account_set_role(struct store *base, enum platform p,
                             const char *ext_id, bool tracked,
                             const char *who, int64_t now, int64_t *changed,
                             struct buf *err)
{
    struct sqlite_store *s = sqlite_store_of(base);
    int64_t id = 0, n = 0;
    const struct step own[] = {
        {"UPDATE item SET role = 'own' WHERE (id = ?1 OR account_id = ?1) "
         "AND role <> 'own'", &n},
        {SQL_GEN_BUMP, NULL},
    };
    const struct step tr[] = {
        {"UPDATE item SET role = 'tracked' WHERE (id = ?1 OR account_id = "
         "?1) AND role <> 'tracked'", &n},
        {SQL_GEN_BUMP, NULL},
    };
    struct buf what;
    enum err rc = account_find(s, p, ext_id, &id, err);

    buf_init(&what, 4096);
    if (rc == ERR_OK)
        rc = tx_begin(s, err);
    if (rc != ERR_OK)
        goto out;
    rc = run_steps(s, tracked ? tr : own, 2, id, err);
    if (rc == ERR_OK)
        buf_setf(&what, "account %s:%s is %s: %lld items changed",
                 platform_name(p), ext_id, tracked ? "tracked" : "own",
                 (long long)n);
    if (rc == ERR_OK)
        rc = audit_add(s, now, who, "account role", buf_cstr(&what), err);
    rc = tx_end(s, rc, err);
    if (rc == ERR_OK && changed != NULL)
        *changed = n;
out:
    buf_free(&what);
    return rc;
}

/* ---- comparing accounts ------------------------------------------------ */

#define M_ID(name) "(SELECT id FROM metric WHERE name = '" name "')"
#define SQL_COMPARE                                                           \
    "SELECT a.id, a.platform, a.ext_id, a.handle, a.title, a.role, "          \
    "(SELECT l.ival FROM item_latest l WHERE l.item_id = a.id AND "           \
    "l.metric_id = " M_ID("followers") "), "                                  \
    "(SELECT d.last_v FROM item_day d INDEXED BY item_day_by_item WHERE "     \
    "d.item_id = a.id AND d.metric_id = " M_ID("followers") " AND "           \
    "d.day < ?2 ORDER BY d.day DESC LIMIT 1), "                               \
    "coalesce((SELECT d.last_v FROM item_day d INDEXED BY item_day_by_item "  \
    "WHERE d.item_id = a.id AND d.metric_id = " M_ID("followers") " AND "     \
    "d.day < ?1 ORDER BY d.day DESC LIMIT 1), (SELECT d.first_v FROM "        \
    "item_day d INDEXED BY item_day_by_item WHERE d.item_id = a.id AND "      \
    "d.metric_id = " M_ID("followers") " AND d.day >= ?1 AND d.day < ?2 "     \
    "ORDER BY d.day LIMIT 1)), "                                              \
    "(SELECT count(*) FROM item c WHERE c.account_id = a.id), "               \
    "(SELECT count(DISTINCT c.id) FROM item c JOIN item_day d INDEXED BY "    \
    "item_day_by_item ON d.item_id = c.id WHERE c.account_id = a.id AND "     \
    "d.metric_id = " M_ID("views") " AND d.day >= ?1 AND d.day < ?2 AND "     \
    "d.gain IS NOT NULL), "                                                   \
    "(SELECT coalesce(sum(g.gain), 0) FROM account_day g WHERE "              \
    "g.account_id = a.id AND g.metric_id = " M_ID("views") " AND "            \
    "g.day >= ?1 AND g.day < ?2), "                                           \
    "(SELECT min(d.first_at) < max(d.last_at) AND max(d.day) >= ?1 FROM "     \
    "item_day d INDEXED BY item_day_by_item WHERE d.item_id = a.id AND "      \
    "d.metric_id = " M_ID("followers") " AND d.day < ?2) "                    \
    "FROM item a WHERE a.type = 'account' "                                   \
    "ORDER BY a.role = 'tracked', a.platform, a.ext_id"

/* false for a platform this build does not know (the row is skipped). */
static bool cmp_from_row(sqlite3_stmt *st, struct store_account_cmp *c)
{
    memset(c, 0, sizeof *c);
    c->id = sqlite3_column_int64(st, 0);
    if (platform_from_name(col(st, 1), &c->platform) != ERR_OK)
        return false;
    c->ext_id = col(st, 2);
    c->handle = col(st, 3);
    c->title = col(st, 4);
    c->tracked = col(st, 5) != NULL && strcmp(col(st, 5), "tracked") == 0;
    c->has_followers = sqlite3_column_type(st, 6) == SQLITE_INTEGER;
    c->followers = sqlite3_column_int64(st, 6);
    /* Growth needs two observations up to the end, one in the range. */
    c->has_growth = sqlite3_column_type(st, 7) == SQLITE_INTEGER &&
                    sqlite3_column_type(st, 8) == SQLITE_INTEGER &&
                    sqlite3_column_int(st, 12) == 1;
    c->followers_growth =
        sqlite3_column_int64(st, 7) - sqlite3_column_int64(st, 8);
    c->content = sqlite3_column_int64(st, 9);
    c->active = sqlite3_column_int64(st, 10);
    c->views = sqlite3_column_int64(st, 11);
    return true;
}

enum err sq_account_compare(struct store *base, int32_t from, int32_t to,
                            store_account_cmp_fn fn, void *ud)
{
    struct sqlite_store *s = sqlite_store_of(base);
    struct store_account_cmp c;
    sqlite3_stmt *st = NULL;
    enum err rc = ERR_OK;
    int r = SQLITE_ERROR;

    if (sqlite3_prepare_v2(s->db, SQL_COMPARE, -1, &st, NULL) == SQLITE_OK &&
        sqlite3_bind_int(st, 1, from) == SQLITE_OK &&
        sqlite3_bind_int(st, 2, to) == SQLITE_OK)
        while (rc == ERR_OK && (r = sqlite3_step(st)) == SQLITE_ROW) {
            if (cmp_from_row(st, &c))
                rc = fn(ud, &c);
        }
    if (rc == ERR_OK && r != SQLITE_DONE)
        rc = ERR_DB;
    sqlite3_finalize(st);
    return rc;
}
