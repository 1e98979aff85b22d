/* The PostgreSQL backend's target functions (store_backup.h): verify,
 * doctor's facts, and the answers for what a server database does not
 * have (a file to copy, share or lock). Each opens its own connection,
 * reads in one REPEATABLE READ READ ONLY transaction (one snapshot of the
 * database) and never migrates. */
#define LOG_MODULE "store"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "store/pg/pg_ops.h"
#include "store/pg/store_pg.h"

/* Rows of the counted tables, in store_count_names' order. */
PG_STMT(pg_tg_n_item, 0, "SELECT count(*) FROM item");
PG_STMT(pg_tg_n_snapshot, 0, "SELECT count(*) FROM snapshot");
PG_STMT(pg_tg_n_value, 0, "SELECT count(*) FROM snapshot_value");
PG_STMT(pg_tg_n_import, 0, "SELECT count(*) FROM import");
PG_STMT(pg_tg_n_post, 0, "SELECT count(*) FROM post");
PG_STMT(pg_tg_n_media, 0, "SELECT count(*) FROM media");
PG_STMT(pg_tg_n_cred, 0, "SELECT count(*) FROM credential");
PG_STMT(pg_tg_n_user, 0, "SELECT count(*) FROM app_user");
static const struct pg_stmt *const count_stmt[STORE_COUNT_TABLES] = {
    &pg_tg_n_item, &pg_tg_n_snapshot, &pg_tg_n_value, &pg_tg_n_import,
    &pg_tg_n_post, &pg_tg_n_media, &pg_tg_n_cred, &pg_tg_n_user,
};

PG_STMT(pg_tg_has, 0,
        "SELECT to_regclass('mediadash_migration') IS NOT NULL");
PG_STMT(pg_tg_size, 0,
        "SELECT pg_database_size(current_database()), "
        "current_setting('block_size')::bigint");
PG_STMT(pg_tg_version, 0, "SELECT current_setting('server_version')");
PG_STMT(pg_tg_newest, 0,
        "SELECT coalesce(max(observed_at), 0) FROM item_latest");
PG_STMT(pg_tg_overdue, 1,
        "SELECT count(*), coalesce(min(publish_at), 0) FROM post "
        "WHERE state = 'scheduled' AND publish_at < $1::bigint");

/* Consistency checks: each counts the rows that break one rule the
 * store keeps (none of them is a foreign key the server enforces). */
PG_STMT(pg_tg_orphan_latest, 0,
        "SELECT count(*) FROM item_latest l "
        "WHERE NOT EXISTS (SELECT 1 FROM item i WHERE i.id = l.item_id)");
PG_STMT(pg_tg_orphan_day, 0,
        "SELECT count(*) FROM item_day d "
        "WHERE NOT EXISTS (SELECT 1 FROM item i WHERE i.id = d.item_id)");
PG_STMT(pg_tg_orphan_account_day, 0,
        "SELECT count(*) FROM account_day d "
        "WHERE NOT EXISTS (SELECT 1 FROM item i WHERE i.id = d.account_id)");
PG_STMT(pg_tg_orphan_value_import, 0,
        "SELECT count(*) FROM value_import x WHERE NOT EXISTS "
        "(SELECT 1 FROM snapshot_value v WHERE v.snapshot_id = "
        "x.snapshot_id AND v.metric_id = x.metric_id)");
/* A latest value is the value of the item's newest snapshot that has the
 * metric: the same time and the same value. */
PG_STMT(pg_tg_latest_stale, 0,
        "SELECT count(*) FROM item_latest l WHERE NOT EXISTS ("
        "SELECT 1 FROM snapshot s JOIN snapshot_value v "
        "ON v.snapshot_id = s.id AND v.metric_id = l.metric_id "
        "WHERE s.item_id = l.item_id AND s.observed_at = l.observed_at "
        "AND v.ival IS NOT DISTINCT FROM l.ival "
        "AND v.rval IS NOT DISTINCT FROM l.rval) "
        "OR EXISTS (SELECT 1 FROM snapshot s JOIN snapshot_value v "
        "ON v.snapshot_id = s.id AND v.metric_id = l.metric_id "
        "WHERE s.item_id = l.item_id AND s.observed_at > l.observed_at)");
PG_STMT(pg_tg_latest_missing, 0,
        "SELECT count(*) FROM (SELECT DISTINCT s.item_id, v.metric_id "
        "FROM snapshot s JOIN snapshot_value v ON v.snapshot_id = s.id) k "
        "WHERE NOT EXISTS (SELECT 1 FROM item_latest l WHERE l.item_id = "
        "k.item_id AND l.metric_id = k.metric_id)");
/* A sample of the rollups (the newest items' days): a day's first and
 * last values are raw values of that item at those times, and an item's
 * last day ends at its latest integer value. */
#define TG_SAMPLE "(SELECT id FROM item ORDER BY id DESC LIMIT 200)"
PG_STMT(pg_tg_day_values, 0,
        "SELECT count(*) FROM item_day d WHERE d.item_id IN " TG_SAMPLE
        " AND (NOT EXISTS (SELECT 1 FROM snapshot s JOIN snapshot_value v "
        "ON v.snapshot_id = s.id AND v.metric_id = d.metric_id "
        "WHERE s.item_id = d.item_id AND s.observed_at = d.first_at "
        "AND v.ival = d.first_v) "
        "OR NOT EXISTS (SELECT 1 FROM snapshot s JOIN snapshot_value v "
        "ON v.snapshot_id = s.id AND v.metric_id = d.metric_id "
        "WHERE s.item_id = d.item_id AND s.observed_at = d.last_at "
        "AND v.ival = d.last_v))");
PG_STMT(pg_tg_day_latest, 0,
        "SELECT count(*) FROM item_latest l WHERE l.item_id IN " TG_SAMPLE
        " AND l.ival IS NOT NULL AND l.observed_at IS DISTINCT FROM "
        "(SELECT max(d.last_at) FROM item_day d WHERE d.item_id = "
        "l.item_id AND d.metric_id = l.metric_id)");

struct tg_check {
    const struct pg_stmt *stmt;
    const char *what; /* "N <what>" */
    bool full_only;   /* a scan of every value: not in a quick check */
};
static const struct tg_check checks[] = {
    {&pg_tg_orphan_latest, "latest values of items that do not exist",
     false},
    {&pg_tg_orphan_day, "daily rollups of items that do not exist", false},
    {&pg_tg_orphan_account_day,
     "account rollups of accounts that do not exist", false},
    {&pg_tg_orphan_value_import, "import marks of values that do not exist",
     false},
    {&pg_tg_day_values, "sampled daily rollups that differ from the "
     "snapshots", false},
    {&pg_tg_day_latest, "sampled items whose last daily rollup is not at "
     "their latest value", false},
    {&pg_tg_latest_stale, "latest values that are not the newest "
     "snapshot's", true},
    {&pg_tg_latest_missing, "item metrics with snapshots but no latest "
     "value", true},
};

/* One integer (row 0, column col) of st's answer. */
static enum err one_i64(struct store_pg *s, const struct pg_stmt *st,
                        const struct pg_params *p, int col, int64_t *out,
                        struct buf *err)
{
    PGresult *r = NULL;
    enum err rc = pg_run(s, st, p, &r, st->name, err);

    if (rc == ERR_OK && (PQntuples(r) != 1 || pg_i64(r, 0, col, out) != ERR_OK)) {
        buf_setf(err, "%s: unexpected answer from %s", st->name, s->where);
        rc = ERR_DB;
    }
    PQclear(r);
    return rc;
}

/* Connect and start one read-only snapshot; *migrated: whether
 * mediadash's tables are there at all. */
static enum err begin_read(const char *target, struct store_pg **s,
                           bool *migrated, struct buf *err)
{
    PGresult *r = NULL;
    enum err rc = pg_target_connect(target, s, err);

    *migrated = false;
    if (rc == ERR_OK)
        rc = pg_exec(*s, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
                     "starting a read", err);
    if (rc == ERR_OK)
        rc = pg_run(*s, &pg_tg_has, NULL, &r, "reading the schema version",
                    err);
    if (rc == ERR_OK)
        *migrated = pg_text(r, 0, 0) != NULL &&
                    strcmp(pg_text(r, 0, 0), "t") == 0;
    PQclear(r);
    return rc;
}

static void end_read(struct store_pg *s)
{
    if (s != NULL && s->conn != NULL)
        pg_rollback(s);
    pg_target_close(s);
}

static enum err read_counts(struct store_pg *s, bool migrated,
                            struct store_counts *out, struct buf *err)
{
    enum err rc = ERR_OK;

    out->schema = 0;
    for (int i = 0; i < STORE_COUNT_TABLES; i++)
        out->rows[i] = -1; /* no table: as SQLite counts a missing one */
    if (migrated)
        rc = pg_schema_version(&s->base, &out->schema);
    if (rc != ERR_OK)
        buf_setf(err, "reading the schema version of %s failed", s->where);
    /* The tables are this program's when the schema is: an older one is
     * migrated at its next open, a newer one may have others. */
    for (int i = 0; rc == ERR_OK && out->schema == pg_schema_latest() &&
                    i < STORE_COUNT_TABLES; i++)
        rc = one_i64(s, count_stmt[i], NULL, 0, &out->rows[i], err);
    if (rc == ERR_OK)
        rc = one_i64(s, &pg_tg_size, NULL, 1, &out->page_size, err);
    if (rc == ERR_OK)
        rc = one_i64(s, &pg_tg_size, NULL, 0, &out->pages, err);
    if (rc == ERR_OK && out->page_size > 0)
        out->pages /= out->page_size;
    return rc;
}

/* Run the consistency checks; every problem found is named in err. */
static enum err run_checks(struct store_pg *s, bool quick, struct buf *err)
{
    enum err rc = ERR_OK;
    struct buf found;
    int64_t n;

    buf_init(&found, 4096);
    for (size_t i = 0; rc == ERR_OK && i < sizeof checks / sizeof *checks;
         i++) {
        if (quick && checks[i].full_only)
            continue;
        rc = one_i64(s, checks[i].stmt, NULL, 0, &n, err);
        if (rc == ERR_OK && n > 0)
            buf_catf(&found, "%s%lld %s", found.len > 0 ? "; " : "",
                     (long long)n, checks[i].what);
    }
    if (rc == ERR_OK && found.len > 0) {
        buf_setf(err, "%s", buf_cstr(&found));
        rc = ERR_INVALID;
    }
    buf_free(&found);
    return rc;
}

enum err pg_verify(const char *target, bool quick, struct store_counts *out,
                   struct buf *err)
{
    struct store_pg *s = NULL;
    bool migrated;
    enum err rc;

    memset(out, 0, sizeof *out);
    rc = begin_read(target, &s, &migrated, err);
    if (rc == ERR_OK)
        rc = read_counts(s, migrated, out, err);
    if (rc == ERR_OK && out->schema == pg_schema_latest())
        rc = run_checks(s, quick, err);
    end_read(s);
    return rc;
}

enum err pg_facts_read(const char *target, int64_t due_before,
                       struct store_facts *out, struct buf *err)
{
    struct store_pg *s = NULL;
    struct pg_params p;
    PGresult *r = NULL;
    bool migrated;
    enum err rc;

    memset(out, 0, sizeof *out);
    rc = begin_read(target, &s, &migrated, err);
    if (rc == ERR_OK)
        rc = pg_run(s, &pg_tg_version, NULL, &r, "reading the server version",
                    err);
    if (rc == ERR_OK)
        snprintf(out->engine, sizeof out->engine, "PostgreSQL %s",
                 pg_text(r, 0, 0) != NULL ? pg_text(r, 0, 0) : "?");
    PQclear(r);
    if (rc == ERR_OK && migrated)
        rc = one_i64(s, &pg_tg_newest, NULL, 0, &out->newest_observed, err);
    pg_p_init(&p);
    pg_p_i64(&p, due_before);
    if (rc == ERR_OK && migrated)
        rc = one_i64(s, &pg_tg_overdue, &p, 0, &out->posts_overdue, err);
    if (rc == ERR_OK && migrated)
        rc = one_i64(s, &pg_tg_overdue, &p, 1, &out->oldest_overdue, err);
    end_read(s);
    return rc;
}

/* A server's database is no file: nobody holds a lock on it that would
 * say "in use" (the server's own pg_stat_activity would, but every
 * worker and serve on every host is a legitimate user at once). */
enum err pg_in_use(const char *target, bool *out, long *pid, struct buf *err)
{
    (void)target;
    (void)err;
    *out = false;
    *pid = 0;
    return ERR_OK;
}

/* Who may read a server's database is the server's roles and
 * pg_hba.conf, not a group on files: db.group does not apply. */
enum err pg_share_group(const char *target, const char *group,
                        struct buf *err)
{
    (void)target;
    (void)err;
    LOG_INFO("db.group=%s does not apply to a PostgreSQL database (its "
             "server's roles decide who may use it): ignored", group);
    return ERR_OK;
}

enum err pg_backup_copy(const char *src, const char *dest,
                        store_progress_fn fn, void *ud,
                        struct store_counts *src_counts, struct buf *err)
{
    (void)src;
    (void)dest;
    (void)fn;
    (void)ud;
    memset(src_counts, 0, sizeof *src_counts);
    buf_setf(err, "a PostgreSQL database is backed up with pg_dump (or "
                  "copied into a SQLite file with 'mediadash db copy "
                  "--from URI --to FILE.db')");
    return ERR_UNSUPPORTED;
}
