/* Taking data back and roles on PostgreSQL (store.h store_import_remove,
 * store_account_remove, store_account_set_role), with the semantics of
 * the SQLite side (store_sqlite_remove.c, store_sqlite_docs.c) statement
 * for statement, so that both backends answer the same afterwards.
 *
 * A removal is one transaction under the ingest lock (no ingest, rebuild
 * or other removal runs beside it, and document seqs are handed out in
 * order). It gathers what goes into temporary tables (rm_*), writes the
 * documents' marks and tombstones, deletes, then recomputes item_latest,
 * the search's sort keys (pg_search_rekey_removal) and the rollups of the
 * items touched with the walk every rollup on PostgreSQL goes through
 * (pg_rollup_items). SQLite gives a new row the
 * largest id plus one, so an id freed at the top is given again; after
 * the commit the identity sequences are set back the same way, under the
 * lock again (setval is not transactional: done only once the removal
 * is sure to stay). */
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "store/pg/pg_first.h"
#include "store/pg/pg_ops.h"
#include "store/pg/pg_rollup.h"

/* The scratch tables of a removal, private to the connection. */
#define SQL_SCRATCH                                                           \
    "CREATE TEMP TABLE IF NOT EXISTS rm_item(id bigint PRIMARY KEY); "        \
    "CREATE TEMP TABLE IF NOT EXISTS rm_acct(id bigint PRIMARY KEY); "        \
    "CREATE TEMP TABLE IF NOT EXISTS rm_snap(id bigint PRIMARY KEY); "        \
    "CREATE TEMP TABLE IF NOT EXISTS rm_val(snapshot_id bigint, "             \
    "metric_id bigint, PRIMARY KEY (snapshot_id, metric_id)); "               \
    "CREATE TEMP TABLE IF NOT EXISTS rm_imp(id bigint PRIMARY KEY, "          \
    "vals bigint NOT NULL); "                                                 \
    "CREATE TEMP TABLE IF NOT EXISTS rm_gone(id bigint PRIMARY KEY, "         \
    "import_id bigint, item_id bigint NOT NULL); "                            \
    "CREATE TEMP TABLE IF NOT EXISTS rm_doc_gone(id bigint PRIMARY KEY); "    \
    "DELETE FROM rm_item; DELETE FROM rm_acct; DELETE FROM rm_snap; "         \
    "DELETE FROM rm_val; DELETE FROM rm_imp; DELETE FROM rm_gone; "           \
    "DELETE FROM rm_doc_gone"

PG_STMT(pg_rm_lock, 0, "SELECT pg_advisory_xact_lock(" PG_INGEST_LOCK ")");
PG_STMT(pg_rm_import_get, 1,
        "SELECT coalesce(source, ''), digest FROM import WHERE id = $1");
PG_STMT(pg_rm_account_find, 2,
        "SELECT id FROM item WHERE platform = $1 AND type = 'account' AND "
        "ext_id = $2");

/* What import $1 stored: its snapshots, their values but those a later
 * import added, and the values it added to other imports' snapshots. */
PG_STMT(pg_rm_imp_snaps, 1,
        "INSERT INTO rm_snap(id) SELECT id FROM snapshot WHERE import_id = $1");
PG_STMT(pg_rm_imp_vals, 1,
        "INSERT INTO rm_val SELECT v.snapshot_id, v.metric_id FROM rm_snap r "
        "JOIN snapshot_value v ON v.snapshot_id = r.id WHERE NOT EXISTS "
        "(SELECT 1 FROM value_import vi WHERE vi.snapshot_id = v.snapshot_id "
        "AND vi.metric_id = v.metric_id AND vi.import_id <> $1)");
PG_STMT(pg_rm_imp_added, 1,
        "INSERT INTO rm_val SELECT snapshot_id, metric_id FROM value_import "
        "WHERE import_id = $1 ON CONFLICT DO NOTHING");
PG_STMT(pg_rm_imp_items, 1,
        "INSERT INTO rm_item(id) SELECT id FROM item WHERE import_id = $1 "
        "ON CONFLICT DO NOTHING");

/* Account $1, its content, and all their snapshots and values. */
PG_STMT(pg_rm_acct_items, 1,
        "INSERT INTO rm_item(id) SELECT $1::bigint UNION "
        "SELECT id FROM item WHERE account_id = $1");
PG_STMT(pg_rm_acct_snaps, 0,
        "INSERT INTO rm_snap(id) SELECT s.id FROM rm_item r JOIN snapshot s "
        "ON s.item_id = r.id");
PG_STMT(pg_rm_acct_vals, 0,
        "INSERT INTO rm_val SELECT v.snapshot_id, v.metric_id FROM rm_snap r "
        "JOIN snapshot_value v ON v.snapshot_id = r.id");

/* The import a value in rm_val belongs to (alias r). */
#define VAL_IMPORT "coalesce(vi.import_id, s.import_id)"
#define VAL_JOIN                                                              \
    " FROM rm_val r JOIN snapshot s ON s.id = r.snapshot_id LEFT JOIN "       \
    "value_import vi ON vi.snapshot_id = r.snapshot_id AND "                  \
    "vi.metric_id = r.metric_id"

/* The items and accounts touched, and the values per import. */
PG_STMT(pg_rm_touch_items, 0,
        "INSERT INTO rm_item(id) SELECT DISTINCT s.item_id FROM rm_val r "
        "JOIN snapshot s ON s.id = r.snapshot_id ON CONFLICT DO NOTHING");
PG_STMT(pg_rm_touch_accts, 0,
        "INSERT INTO rm_acct(id) SELECT DISTINCT CASE WHEN i.type = "
        "'account' THEN i.id ELSE i.account_id END FROM rm_item r JOIN item "
        "i ON i.id = r.id WHERE i.type = 'account' OR i.account_id IS NOT "
        "NULL ON CONFLICT DO NOTHING");
PG_STMT(pg_rm_touch_imps, 0,
        "INSERT INTO rm_imp(id, vals) SELECT " VAL_IMPORT ", count(*)"
        VAL_JOIN " WHERE " VAL_IMPORT " IS NOT NULL GROUP BY 1");

/* Documents: the account a removed value's item belongs to (itself for
 * an account) and the time of its snapshot, whose rollup day changes. */
PG_STMT(pg_rm_doc_days, 0,
        "SELECT DISTINCT CASE WHEN i.type = 'account' THEN i.id ELSE "
        "i.account_id END, s.observed_at FROM rm_val r JOIN snapshot s ON "
        "s.id = r.snapshot_id JOIN item i ON i.id = s.item_id WHERE "
        "i.type = 'account' OR i.account_id IS NOT NULL ORDER BY 1, 2");
PG_STMT(pg_rm_doc_seq, 0,
        "SELECT greatest(coalesce((SELECT max(seq) FROM doc_change), 0), "
        "coalesce((SELECT max(seq) FROM doc_tomb), 0))");
/* $1 item, $2 kind, $3 day, $4 now, $5 seq0, $6 the next seq. */
PG_STMT(pg_rm_doc_mark, 6,
        "INSERT INTO doc_change(item_id, kind, day, seq, changed_at) VALUES "
        "($1, $2, $3, $6, $4) ON CONFLICT (item_id, kind, day) DO UPDATE SET "
        "seq = excluded.seq, changed_at = excluded.changed_at WHERE "
        "doc_change.seq <= $5");

/* Tombstones and marks: $1 now, $2 the last seq handed out (the rows
 * written take $2 + 1, + 2, ... in their order), $3 the seq the removal
 * began at. The items about to go are those remove_items deletes:
 * touched content left without snapshots, then touched accounts left
 * without snapshots and without other content. */
PG_STMT(pg_rm_gone_content, 0,
        "INSERT INTO rm_doc_gone(id) SELECT id FROM item WHERE id IN (SELECT "
        "id FROM rm_item) AND type = 'content' AND NOT EXISTS (SELECT 1 "
        "FROM snapshot s WHERE s.item_id = item.id)");
PG_STMT(pg_rm_gone_accts, 0,
        "INSERT INTO rm_doc_gone(id) SELECT id FROM item WHERE id IN (SELECT "
        "id FROM rm_item UNION SELECT id FROM rm_acct) AND type = 'account' "
        "AND NOT EXISTS (SELECT 1 FROM snapshot s WHERE s.item_id = item.id) "
        "AND NOT EXISTS (SELECT 1 FROM item c WHERE c.account_id = item.id "
        "AND c.id NOT IN (SELECT id FROM rm_doc_gone)) "
        "ON CONFLICT DO NOTHING");
PG_STMT(pg_rm_tomb_items, 2,
        "INSERT INTO doc_tomb(seq, item_id, kind, day, changed_at, platform, "
        "type, ext_id, role) SELECT $2::bigint + row_number() OVER (ORDER BY "
        "i.id), i.id, 2, 0, $1::bigint, i.platform, i.type, i.ext_id, i.role "
        "FROM rm_doc_gone g JOIN item i ON i.id = g.id");
PG_STMT(pg_rm_tomb_days, 2,
        "INSERT INTO doc_tomb(seq, item_id, kind, day, changed_at, platform, "
        "type, ext_id, role) SELECT $2::bigint + row_number() OVER (ORDER BY "
        "d.item_id, d.day), d.item_id, 3, d.day, $1::bigint, i.platform, "
        "i.type, i.ext_id, i.role FROM doc_change d JOIN rm_doc_gone g ON "
        "g.id = d.item_id JOIN item i ON i.id = d.item_id WHERE d.kind = 1");
PG_STMT(pg_rm_doc_forget, 0,
        "DELETE FROM doc_change WHERE item_id IN (SELECT id FROM "
        "rm_doc_gone)");
/* The touched items that stay: their numbers changed. */
PG_STMT(pg_rm_doc_stay, 3,
        "INSERT INTO doc_change(item_id, kind, day, seq, changed_at) SELECT "
        "r.id, 0, 0, $2::bigint + row_number() OVER (ORDER BY r.id), "
        "$1::bigint FROM rm_item r JOIN item i ON i.id = r.id WHERE r.id NOT "
        "IN (SELECT id FROM rm_doc_gone) AND NOT EXISTS (SELECT 1 FROM "
        "doc_change d WHERE d.item_id = r.id AND d.kind = 0 AND d.day = 0 "
        "AND d.seq > $3::bigint) ON CONFLICT (item_id, kind, day) DO UPDATE "
        "SET seq = excluded.seq, changed_at = excluded.changed_at");

/* Delete the values, keep the snapshots that still hold values of other
 * imports (now theirs), then delete the empty ones, shrinking the counts
 * of the imports they came from. */
PG_STMT(pg_rm_vals, 0,
        "DELETE FROM snapshot_value WHERE (snapshot_id, metric_id) IN "
        "(SELECT snapshot_id, metric_id FROM rm_val)");
PG_STMT(pg_rm_snap_owner, 0,
        "UPDATE snapshot SET import_id = (SELECT min(vi.import_id) FROM "
        "value_import vi WHERE vi.snapshot_id = snapshot.id) WHERE id IN "
        "(SELECT id FROM rm_snap) AND EXISTS (SELECT 1 FROM snapshot_value v "
        "WHERE v.snapshot_id = snapshot.id)");
PG_STMT(pg_rm_vi_owner, 0,
        "DELETE FROM value_import WHERE snapshot_id IN (SELECT id FROM "
        "rm_snap) AND import_id IS NOT DISTINCT FROM (SELECT s.import_id "
        "FROM snapshot s WHERE s.id = value_import.snapshot_id)");
PG_STMT(pg_rm_vi_vals, 0,
        "DELETE FROM value_import WHERE (snapshot_id, metric_id) IN "
        "(SELECT snapshot_id, metric_id FROM rm_val)");
PG_STMT(pg_rm_gone, 0,
        "INSERT INTO rm_gone(id, import_id, item_id) SELECT s.id, "
        "s.import_id, s.item_id FROM snapshot s WHERE s.id IN (SELECT "
        "snapshot_id FROM rm_val UNION SELECT id FROM rm_snap) AND NOT "
        "EXISTS (SELECT 1 FROM snapshot_value v WHERE v.snapshot_id = s.id)");
PG_STMT(pg_rm_imp_counts, 0,
        "UPDATE import SET vals = greatest(0, vals - coalesce((SELECT m.vals "
        "FROM rm_imp m WHERE m.id = import.id), 0)), snapshots = "
        "greatest(0, snapshots - (SELECT count(*) FROM rm_gone g WHERE "
        "g.import_id = import.id)), items = greatest(0, items - (SELECT "
        "count(DISTINCT g.item_id) FROM rm_gone g WHERE g.import_id = "
        "import.id)) WHERE id IN (SELECT id FROM rm_imp UNION SELECT "
        "import_id FROM rm_gone)");
PG_STMT(pg_rm_snaps, 0,
        "DELETE FROM snapshot WHERE id IN (SELECT id FROM rm_gone)");
PG_STMT(pg_rm_import_drop, 1, "DELETE FROM import WHERE id = $1");
/* An import left with no snapshot and no value is forgotten, so that its
 * file can be imported again (store.h). */
PG_STMT(pg_rm_imp_empty, 0,
        "DELETE FROM import WHERE id IN (SELECT id FROM rm_imp UNION SELECT "
        "import_id FROM rm_gone) AND snapshots = 0 AND vals = 0");

/* Items left without snapshots (and accounts also without content) go,
 * with the links a content item about to go stated (from_ext), the links
 * to it whose stating item is not stored (a link from a kept item stays:
 * a link may name an item not stored) and its search row. */
#define GOING_CONTENT                                                         \
    "SELECT i.id FROM rm_item r JOIN item i ON i.id = r.id WHERE i.type = "   \
    "'content' AND NOT EXISTS (SELECT 1 FROM snapshot s WHERE s.item_id = "   \
    "i.id)"
PG_STMT(pg_rm_links_from, 0,
        "DELETE FROM item_link WHERE (platform, from_ext) IN (SELECT "
        "i.platform, i.ext_id FROM item i WHERE i.id IN (" GOING_CONTENT
        "))");
PG_STMT(pg_rm_links_to, 0,
        "DELETE FROM item_link WHERE (platform, to_ext) IN (SELECT "
        "i.platform, i.ext_id FROM item i WHERE i.id IN (" GOING_CONTENT
        ")) AND NOT EXISTS (SELECT 1 FROM item f WHERE f.platform = "
        "item_link.platform AND f.type = 'content' AND f.ext_id = "
        "item_link.from_ext)");
PG_STMT(pg_rm_search, 0,
        "DELETE FROM item_search WHERE item_id IN (" GOING_CONTENT ")");
PG_STMT(pg_rm_content, 0,
        "DELETE FROM item WHERE id IN (SELECT id FROM rm_item) AND type = "
        "'content' AND NOT EXISTS (SELECT 1 FROM snapshot s WHERE "
        "s.item_id = item.id)");
PG_STMT(pg_rm_accounts, 0,
        "DELETE FROM item WHERE id IN (SELECT id FROM rm_item UNION SELECT "
        "id FROM rm_acct) AND type = 'account' AND NOT EXISTS (SELECT 1 FROM "
        "snapshot s WHERE s.item_id = item.id) AND NOT EXISTS (SELECT 1 FROM "
        "item c WHERE c.account_id = item.id)");
PG_STMT(pg_rm_latest_forget, 0,
        "DELETE FROM item_latest WHERE item_id IN (SELECT id FROM rm_item)");
/* The value of the latest snapshot holding the metric (one snapshot per
 * item and time: no ties). */
PG_STMT(pg_rm_latest_put, 0,
        "INSERT INTO item_latest(item_id, metric_id, observed_at, ival, rval) "
        "SELECT DISTINCT ON (s.item_id, v.metric_id) s.item_id, v.metric_id, "
        "s.observed_at, v.ival, v.rval FROM rm_item r JOIN snapshot s ON "
        "s.item_id = r.id JOIN snapshot_value v ON v.snapshot_id = s.id "
        "ORDER BY s.item_id, v.metric_id, s.observed_at DESC");
PG_STMT(pg_rm_acct_days, 0,
        "DELETE FROM account_day WHERE account_id IN (SELECT id FROM "
        "rm_acct)");
PG_STMT(pg_rm_item_days, 0,
        "DELETE FROM item_day WHERE item_id IN (SELECT id FROM rm_item)");
/* The untouched content's gains; the walk adds the touched ones. A row
 * exists where some gain is not 0, as a rebuild writes it. */
PG_STMT(pg_rm_acct_kept, 0,
        "INSERT INTO account_day(account_id, metric_id, day, gain) SELECT "
        "i.account_id, d.metric_id, d.day, sum(d.gain) FROM rm_acct a JOIN "
        "item i ON i.account_id = a.id JOIN item_day d ON d.item_id = i.id "
        "WHERE d.gain IS NOT NULL GROUP BY i.account_id, d.metric_id, d.day "
        "HAVING bool_or(d.gain <> 0)");
PG_STMT(pg_rm_touched, 0, "SELECT id FROM rm_item ORDER BY id");
PG_STMT(pg_rm_walk_items, 0,
        "SELECT r.id FROM rm_item r WHERE EXISTS (SELECT 1 FROM snapshot s "
        "WHERE s.item_id = r.id) ORDER BY r.id");

PG_STMT(pg_rm_gen_bump, 0,
        "UPDATE mediadash_setting SET value = (value::bigint + 1)::text "
        "WHERE key = 'generation'");
PG_STMT(pg_rm_audit, 4,
        "INSERT INTO audit(at, who, action, what) VALUES ($1, $2, $3, $4)");
PG_STMT(pg_rm_role_own, 1,
        "UPDATE item SET role = 'own' WHERE (id = $1 OR account_id = $1) "
        "AND role <> 'own'");
PG_STMT(pg_rm_role_tracked, 1,
        "UPDATE item SET role = 'tracked' WHERE (id = $1 OR account_id = $1) "
        "AND role <> 'tracked'");
/* The next id of each table a removal deletes from: the largest plus
 * one, as SQLite gives it. */
PG_STMT(pg_rm_ids_reset, 0,
        "SELECT setval(pg_get_serial_sequence('item', 'id'), coalesce((SELECT "
        "max(id) FROM item), 0) + 1, false), setval(pg_get_serial_sequence("
        "'snapshot', 'id'), coalesce((SELECT max(id) FROM snapshot), 0) + 1, "
        "false), setval(pg_get_serial_sequence('import', 'id'), coalesce(("
        "SELECT max(id) FROM import), 0) + 1, false)");

/* One statement of a removal; *changes (when not NULL) gets the rows it
 * changed added. Statements with one parameter take the removal's key. */
struct step {
    const struct pg_stmt *st;
    int64_t *changes;
};

struct removal {
    struct store_pg *s;
    const char *who, *action;
    int64_t now, key;
    int64_t seq0, last; /* the documents' seq at the start, last given */
    struct store_removed out;
    struct buf what; /* the audit line's text */
};

static enum err run_steps(struct removal *rm, const struct step *steps,
                          size_t n, struct buf *err)
{
    enum err rc = ERR_OK;

    for (size_t i = 0; i < n && rc == ERR_OK; i++) {
        struct pg_params p;
        PGresult *r = NULL;

        pg_p_init(&p);
        if (steps[i].st->nparams == 1)
            pg_p_i64(&p, rm->key);
        rc = pg_run(rm->s, steps[i].st, &p, &r, "removing", err);
        if (rc == ERR_OK && steps[i].changes != NULL)
            *steps[i].changes += pg_changes(r);
        PQclear(r);
    }
    return rc;
}

#define NSTEPS(a) (sizeof(a) / sizeof *(a))

/* The largest seq of the documents into *out. */
static enum err doc_seq(struct store_pg *s, int64_t *out, struct buf *err)
{
    PGresult *r = NULL;
    enum err rc = pg_run(s, &pg_rm_doc_seq, NULL, &r, "reading documents",
                         err);

    if (rc == ERR_OK)
        rc = pg_i64(r, 0, 0, out);
    PQclear(r);
    return rc;
}

/* The daily summaries of the days whose values go are marked changed.
 * The rows come by account and time, so a day's repeats are in a row:
 * only the first is sent (the others would change nothing). */
static enum err doc_days(struct removal *rm, struct buf *err)
{
    PGresult *r = NULL;
    enum err rc = pg_run(rm->s, &pg_rm_doc_days, NULL, &r,
                         "marking documents", err);
    int n = rc == ERR_OK ? PQntuples(r) : 0;
    int64_t last_acct = 0;
    int32_t last_day = 0;

    for (int i = 0; i < n && rc == ERR_OK; i++) {
        int64_t acct = pg_i64_or(r, i, 0, 0);
        int32_t day = pg_day_of(&rm->s->base, pg_i64_or(r, i, 1, 0));
        struct pg_params p;
        PGresult *m = NULL;

        if (i > 0 && acct == last_acct && day == last_day)
            continue;
        last_acct = acct;
        last_day = day;
        pg_p_init(&p);
        pg_p_i64(&p, acct);
        pg_p_i64(&p, (int64_t)STORE_DOC_DAY);
        pg_p_i64(&p, day);
        pg_p_i64(&p, rm->now);
        pg_p_i64(&p, rm->seq0);
        pg_p_i64(&p, rm->last + 1);
        rc = pg_run(rm->s, &pg_rm_doc_mark, &p, &m, "marking documents",
                    err);
        if (rc == ERR_OK && pg_changes(m) > 0)
            rm->last++;
        PQclear(m);
    }
    PQclear(r);
    return rc;
}

/* Tombstones for the items that go, marks for the touched ones that
 * stay; each statement's seqs follow the last one given. */
static enum err doc_items(struct removal *rm, struct buf *err)
{
    static const struct pg_stmt *const sts[] = {
        &pg_rm_gone_content, &pg_rm_gone_accts, &pg_rm_tomb_items,
        &pg_rm_tomb_days,    &pg_rm_doc_forget, &pg_rm_doc_stay,
    };
    enum err rc = ERR_OK;

    for (size_t i = 0; i < NSTEPS(sts) && rc == ERR_OK; i++) {
        struct pg_params p;
        int64_t max = 0;

        pg_p_init(&p);
        if (sts[i]->nparams >= 2) {
            pg_p_i64(&p, rm->now);
            pg_p_i64(&p, rm->last);
        }
        if (sts[i]->nparams == 3)
            pg_p_i64(&p, rm->seq0);
        rc = pg_run(rm->s, sts[i], &p, NULL, "writing tombstones", err);
        if (rc == ERR_OK)
            rc = doc_seq(rm->s, &max, err);
        if (rc == ERR_OK && max > rm->last)
            rm->last = max;
    }
    return rc;
}

/* The rollups of the touched items that keep snapshots, from scratch. */
static enum err walk_items(struct removal *rm, struct buf *err)
{
    PGresult *r = NULL;
    enum err rc = pg_run(rm->s, &pg_rm_walk_items, NULL, &r,
                         "recomputing rollups", err);
    int n = rc == ERR_OK ? PQntuples(r) : 0;
    int64_t *ids = xcalloc((size_t)n + 1, sizeof *ids);

    for (int i = 0; i < n; i++)
        ids[i] = pg_i64_or(r, i, 0, 0);
    PQclear(r);
    if (rc == ERR_OK)
        rc = pg_rollup_items(rm->s, ids, (size_t)n, err);
    free(ids);
    return rc;
}

/* The ids of every item the removal touched, kept or gone (*ids: caller
 * frees). */
static enum err touched_ids(struct removal *rm, int64_t **ids, size_t *n,
                            struct buf *err)
{
    PGresult *r = NULL;
    enum err rc = pg_run(rm->s, &pg_rm_touched, NULL, &r,
                         "reading the touched items", err);
    int rows = rc == ERR_OK ? PQntuples(r) : 0;

    *ids = xcalloc((size_t)rows + 1, sizeof **ids);
    for (int i = 0; i < rows; i++)
        (*ids)[i] = pg_i64_or(r, i, 0, 0);
    *n = (size_t)rows;
    PQclear(r);
    return rc;
}

static enum err remove_rows(struct removal *rm, bool drop_import,
                            struct buf *err)
{
    const struct step steps[] = {
        {&pg_rm_vals, &rm->out.values},  {&pg_rm_snap_owner, NULL},
        {&pg_rm_vi_owner, NULL},         {&pg_rm_vi_vals, NULL},
        {&pg_rm_gone, NULL},             {&pg_rm_imp_counts, NULL},
        {&pg_rm_snaps, &rm->out.snapshots}, {&pg_rm_imp_empty, NULL},
    };
    const struct step drop[] = {{&pg_rm_import_drop, NULL}};
    enum err rc = run_steps(rm, steps, NSTEPS(steps), err);

    if (rc == ERR_OK && drop_import)
        rc = run_steps(rm, drop, 1, err);
    return rc;
}

static enum err remove_items(struct removal *rm, struct buf *err)
{
    const struct step steps[] = {
        {&pg_rm_links_from, NULL},     {&pg_rm_links_to, NULL},
        {&pg_rm_search, NULL},         {&pg_rm_content, &rm->out.items},
        {&pg_rm_accounts, &rm->out.items}, {&pg_rm_latest_forget, NULL},
        {&pg_rm_latest_put, NULL},     {&pg_rm_acct_days, NULL},
        {&pg_rm_item_days, NULL},      {&pg_rm_acct_kept, NULL},
    };
    int64_t *ids = NULL;
    size_t n = 0;
    enum err rc = run_steps(rm, steps, NSTEPS(steps), err);

    /* The engagement search sorts by follows the latest values. */
    if (rc == ERR_OK)
        rc = pg_search_rekey_removal(rm->s, err);
    if (rc == ERR_OK)
        rc = walk_items(rm, err);
    /* The rollups kept beside item_day, for every touched item (the
     * rows of those gone go): views per day from their first day, and
     * their first weeks. */
    if (rc == ERR_OK)
        rc = touched_ids(rm, &ids, &n, err);
    if (rc == ERR_OK)
        rc = pg_views_day_items(rm->s, ids, NULL, n, err);
    if (rc == ERR_OK)
        rc = pg_first_items(rm->s, ids, n, err);
    free(ids);
    return rc;
}

static enum err audit_add(struct store_pg *s, int64_t now, const char *who,
                          const char *action, const char *what,
                          struct buf *err)
{
    struct pg_params p;

    pg_p_init(&p);
    pg_p_i64(&p, now);
    pg_p_text(&p, who != NULL ? who : "?");
    pg_p_text(&p, action);
    pg_p_text(&p, what);
    return pg_run(s, &pg_rm_audit, &p, NULL, "writing the audit line", err);
}

/* Inside the transaction, under the lock: the fill, gather, documents,
 * delete, recompute, audit. */
static enum err removal_run(struct removal *rm, const struct step *fill,
                            size_t nfill, bool drop_import, struct buf *err)
{
    static const struct step gather[] = {
        {&pg_rm_touch_items, NULL},
        {&pg_rm_touch_accts, NULL},
        {&pg_rm_touch_imps, NULL},
    };
    const struct step bump[] = {{&pg_rm_gen_bump, NULL}};
    enum err rc = pg_exec(rm->s, SQL_SCRATCH, "removing", err);

    if (rc == ERR_OK)
        rc = doc_seq(rm->s, &rm->seq0, err);
    rm->last = rm->seq0;
    if (rc == ERR_OK)
        rc = run_steps(rm, fill, nfill, err);
    if (rc == ERR_OK)
        rc = run_steps(rm, gather, NSTEPS(gather), err);
    if (rc == ERR_OK)
        rc = doc_days(rm, err);
    if (rc == ERR_OK)
        rc = remove_rows(rm, drop_import, err);
    if (rc == ERR_OK)
        rc = doc_items(rm, err);
    if (rc == ERR_OK)
        rc = remove_items(rm, err);
    if (rc == ERR_OK)
        buf_catf(&rm->what, ": %lld items, %lld snapshots, %lld values",
                 (long long)rm->out.items, (long long)rm->out.snapshots,
                 (long long)rm->out.values);
    if (rc == ERR_OK)
        rc = audit_add(rm->s, rm->now, rm->who, rm->action,
                       buf_cstr(&rm->what), err);
    if (rc == ERR_OK)
        rc = run_steps(rm, bump, 1, err);
    return rc;
}

/* BEGIN and the ingest lock. */
static enum err tx_begin(struct store_pg *s, struct buf *err)
{
    enum err rc = pg_begin(s, err);

    if (rc == ERR_OK)
        rc = pg_run(s, &pg_rm_lock, NULL, NULL, "waiting for the ingest lock",
                    err);
    if (rc != ERR_OK)
        pg_rollback(s);
    return rc;
}

/* Commit when rc is ERR_OK, else roll back. Returns the outcome. */
static enum err tx_end(struct store_pg *s, enum err rc, struct buf *err)
{
    if (rc == ERR_OK)
        rc = pg_commit(s, err);
    if (rc != ERR_OK)
        pg_rollback(s);
    return rc;
}

/* After a committed removal: the next ids as SQLite would give them. A
 * failure here loses nothing (the ids just are not given again). */
static void ids_reset(struct store_pg *s)
{
    struct buf ignored;

    buf_init(&ignored, 4096);
    if (tx_begin(s, &ignored) == ERR_OK)
        (void)tx_end(s,
                     pg_run(s, &pg_rm_ids_reset, NULL, NULL,
                            "setting the next ids", &ignored),
                     &ignored);
    buf_free(&ignored);
}

/* The account's row id into *id; ERR_NOTFOUND with its message. */
static enum err account_find(struct store_pg *s, enum platform p,
                             const char *ext_id, int64_t *id,
                             struct buf *err)
{
    struct pg_params pp;
    PGresult *r = NULL;
    enum err rc;

    pg_p_init(&pp);
    pg_p_text(&pp, platform_name(p));
    pg_p_text(&pp, ext_id);
    rc = pg_run(s, &pg_rm_account_find, &pp, &r, "finding the account", err);
    if (rc == ERR_OK && PQntuples(r) == 0) {
        buf_setf(err, "no %s account \"%s\"", platform_name(p), ext_id);
        rc = ERR_NOTFOUND;
    } else if (rc == ERR_OK) {
        rc = pg_i64(r, 0, 0, id);
    }
    PQclear(r);
    return rc;
}

static enum err import_find(struct removal *rm, struct buf *err)
{
    struct pg_params p;
    PGresult *r = NULL;
    enum err rc;

    pg_p_init(&p);
    pg_p_i64(&p, rm->key);
    rc = pg_run(rm->s, &pg_rm_import_get, &p, &r, "finding the import", err);
    if (rc == ERR_OK && PQntuples(r) == 0) {
        buf_setf(err, "no import with id %lld", (long long)rm->key);
        rc = ERR_NOTFOUND;
    } else if (rc == ERR_OK) {
        buf_setf(&rm->what, "import %lld (%s, sha256 %s)",
                 (long long)rm->key, pg_text(r, 0, 0),
                 pg_text(r, 0, 1) != NULL ? pg_text(r, 0, 1) : "none");
    }
    PQclear(r);
    return rc;
}

/* ---- entry points ------------------------------------------------------ */

enum err pg_import_remove(struct store *st, int64_t id, const char *who,
                          int64_t now, struct store_removed *out,
                          struct buf *err)
{
    static const struct step fill[] = {
        {&pg_rm_imp_snaps, NULL},
        {&pg_rm_imp_vals, NULL},
        {&pg_rm_imp_added, NULL},
        {&pg_rm_imp_items, NULL},
    };
    struct removal rm = {pg_of(st), who, "import remove", now, id, 0, 0,
                         {0, 0, 0}, {0}};
    enum err rc;

    memset(out, 0, sizeof *out);
    buf_init(&rm.what, 4096);
    rc = tx_begin(rm.s, err);
    if (rc != ERR_OK)
        goto out;
    rc = import_find(&rm, err);
    if (rc == ERR_OK)
        rc = removal_run(&rm, fill, NSTEPS(fill), true, err);
    rc = tx_end(rm.s, rc, err);
    if (rc == ERR_OK) {
        ids_reset(rm.s);
        *out = rm.out;
    }
out:
    buf_free(&rm.what);
    return rc;
}

enum err pg_account_remove(struct store *st, enum platform p,
                           const char *ext_id, const char *who, int64_t now,
                           struct store_removed *out, struct buf *err)
{
    static const struct step fill[] = {
        {&pg_rm_acct_items, NULL},
        {&pg_rm_acct_snaps, NULL},
        {&pg_rm_acct_vals, NULL},
    };
    struct removal rm = {pg_of(st), who, "account remove", now, 0, 0, 0,
                         {0, 0, 0}, {0}};
    enum err rc;

    memset(out, 0, sizeof *out);
    buf_init(&rm.what, 4096);
    rc = tx_begin(rm.s, err);
    if (rc != ERR_OK)
        goto out;
    rc = account_find(rm.s, p, ext_id, &rm.key, err);
    if (rc == ERR_OK) {
        buf_setf(&rm.what, "account %s:%s", platform_name(p), ext_id);
        rc = removal_run(&rm, fill, NSTEPS(fill), false, err);
    }
    rc = tx_end(rm.s, rc, err);
    if (rc == ERR_OK) {
        ids_reset(rm.s);
        *out = rm.out;
    }
out:
    buf_free(&rm.what);
    return rc;
}

enum err pg_account_set_role(struct store *st, enum platform p,
                             const char *ext_id, bool tracked,
                             const char *who, int64_t now, int64_t *changed,
                             struct buf *err)
{
    struct removal rm = {pg_of(st), who, "account role", now, 0, 0, 0,
                         {0, 0, 0}, {0}};
    int64_t n = 0;
    const struct step steps[] = {
        {tracked ? &pg_rm_role_tracked : &pg_rm_role_own, &n},
        {&pg_rm_gen_bump, NULL},
    };
    enum err rc = tx_begin(rm.s, err);

    if (rc != ERR_OK)
        return rc;
    buf_init(&rm.what, 4096);
    rc = account_find(rm.s, p, ext_id, &rm.key, err);
    if (rc == ERR_OK)
        rc = run_steps(&rm, steps, NSTEPS(steps), err);
    if (rc == ERR_OK) {
        buf_setf(&rm.what, "account %s:%s is %s: %lld items changed",
                 platform_name(p), ext_id, tracked ? "tracked" : "own",
                 (long long)n);
        rc = audit_add(rm.s, now, who, "account role", buf_cstr(&rm.what),
                       err);
    }
    rc = tx_end(rm.s, rc, err);
    if (rc == ERR_OK && changed != NULL)
        *changed = n;
    buf_free(&rm.what);
    return rc;
}
