/* SQLite backend of the event store. WAL, synchronous=FULL, numbered
 * migrations, prepared statements only (STYLE.md 9). */
#include <errno.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/log.h"
#include "core/str.h"
#include "core/timeutil.h"
#include "store/store_sqlite.h"

#define BUSY_TIMEOUT_MS 10000

/* The value rows of a new snapshot, several in one statement. */
#define VALUES_ADD                                                            \
    "INSERT INTO snapshot_value(snapshot_id, metric_id, ival, rval) VALUES " \
    "(?, ?, ?, ?)"
#define VROW ", (?, ?, ?, ?)"

static const char *const stmt_sql[S_STMT_COUNT] = {
    [S_VALUES_ADD2] = VALUES_ADD VROW,
    [S_VALUES_ADD3] = VALUES_ADD VROW VROW,
    [S_VALUES_ADD4] = VALUES_ADD VROW VROW VROW,
    [S_VALUES_ADD5] = VALUES_ADD VROW VROW VROW VROW,
    [S_VALUES_ADD6] = VALUES_ADD VROW VROW VROW VROW VROW,
    [S_VALUES_ADD7] = VALUES_ADD VROW VROW VROW VROW VROW VROW,
    [S_VALUES_ADD8] = VALUES_ADD VROW VROW VROW VROW VROW VROW VROW,
    [S_IMPORT_FIND] = "SELECT imported_at, source FROM import WHERE digest = ?1",
    [S_IMPORT_ADD] = "INSERT INTO import(digest, source, format, imported_at) "
                     "VALUES (?1, ?2, ?3, ?4)",
    [S_IMPORT_COUNT] = "UPDATE import SET snapshots = ?2, items = ?3, "
                      "vals = ?4 WHERE id = ?1",
    [S_ITEM_FIND] = "SELECT id, coalesce(account_id, 0), published_at FROM "
                    "item WHERE platform = ?1 AND type = ?2 AND ext_id = ?3",
    [S_ITEM_ADD] =
        "INSERT INTO item(platform, type, ext_id, account_id, kind, handle, "
        "title, description, url, thumbnail_url, published_at, duration_s, "
        "first_seen, updated_at) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?13)",
    /* A document that says an account is someone else's (struct item
     * tracked): the account and everything stored under it. */
    [S_ITEM_TRACKED] = "UPDATE item SET role = 'tracked' WHERE (id = ?1 OR "
                       "account_id = ?1) AND role <> 'tracked'",
    [S_ITEM_UPDATE] =
        "UPDATE item SET account_id = coalesce(?2, account_id), "
        "kind = coalesce(?3, kind), handle = coalesce(?4, handle), "
        "title = coalesce(?5, title), "
        "description = coalesce(?6, description), url = coalesce(?7, url), "
        "thumbnail_url = coalesce(?8, thumbnail_url), "
        "published_at = coalesce(?9, published_at), "
        "duration_s = coalesce(?10, duration_s), updated_at = ?11 "
        "WHERE id = ?1 AND (?2 IS NOT NULL AND ?2 IS NOT account_id OR "
        "?3 IS NOT NULL AND ?3 IS NOT kind OR "
        "?4 IS NOT NULL AND ?4 IS NOT handle OR "
        "?5 IS NOT NULL AND ?5 IS NOT title OR "
        "?6 IS NOT NULL AND ?6 IS NOT description OR "
        "?7 IS NOT NULL AND ?7 IS NOT url OR "
        "?8 IS NOT NULL AND ?8 IS NOT thumbnail_url OR "
        "?9 IS NOT NULL AND ?9 IS NOT published_at OR "
        "?10 IS NOT NULL AND ?10 IS NOT duration_s)",
    [S_METRIC_FIND] = "SELECT id FROM metric WHERE name = ?1",
    [S_METRIC_ADD] = "INSERT INTO metric(name) VALUES (?1)",
    [S_SNAP_FIND] =
        "SELECT id, coalesce(import_id, 0) FROM snapshot WHERE item_id = ?1 "
        "AND observed_at = ?2",
    [S_SNAP_ADD] = "INSERT OR IGNORE INTO snapshot(item_id, observed_at, import_id) "
                   "VALUES (?1, ?2, ?3)",
    [S_VALUE_FIND] = "SELECT ival, rval FROM snapshot_value "
                     "WHERE snapshot_id = ?1 AND metric_id = ?2",
    [S_VALUE_ADD] = "INSERT OR IGNORE INTO snapshot_value(snapshot_id, metric_id, "
                    "ival, rval) VALUES (?1, ?2, ?3, ?4)",
    [S_LATEST_UPSERT] =
        "INSERT INTO item_latest(item_id, metric_id, observed_at, ival, rval) "
        "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT(item_id, metric_id) DO "
        "UPDATE SET observed_at = excluded.observed_at, ival = excluded.ival, "
        "rval = excluded.rval WHERE excluded.observed_at >= "
        "item_latest.observed_at",
    [S_LATEST_OF_ITEM] =
        "SELECT m.name, l.observed_at, l.ival, l.rval FROM item_latest l "
        "JOIN metric m ON m.id = l.metric_id WHERE l.item_id = ?1 "
        "ORDER BY m.name",
    [S_SOLE_ACCOUNT] = "SELECT ext_id FROM item WHERE platform = ?1 AND "
                       "type = 'account' AND role = 'own' LIMIT 2",
    [S_DAY_GET] = "SELECT first_at, first_v, last_at, last_v, gain FROM "
                  "item_day WHERE item_id = ?1 AND metric_id = ?2 AND "
                  "day = ?3",
    [S_DAY_PUT] = "INSERT OR REPLACE INTO item_day(item_id, metric_id, day, "
                  "first_at, first_v, last_at, last_v, gain) VALUES (?1, ?2, "
                  "?3, ?4, ?5, ?6, ?7, ?8)",
    [S_DAY_PREV] = "SELECT day, last_v FROM item_day INDEXED BY "
                   "item_day_by_item WHERE item_id = ?1 AND "
                   "metric_id = ?2 AND day < ?3 ORDER BY day DESC LIMIT 1",
    [S_DAY_NEXT] = "SELECT day FROM item_day INDEXED BY item_day_by_item "
                   "WHERE item_id = ?1 AND "
                   "metric_id = ?2 AND day > ?3 ORDER BY day LIMIT 1",
    [S_DAY_SET_GAIN] = "UPDATE item_day SET gain = ?4 WHERE item_id = ?1 AND "
                       "metric_id = ?2 AND day = ?3",
    [S_ACCT_ADD] = "INSERT INTO account_day(account_id, metric_id, day, gain) "
                   "VALUES (?1, ?2, ?3, ?4) ON CONFLICT(account_id, "
                   "metric_id, day) DO UPDATE SET gain = gain + excluded.gain",
    [S_LATEST_GET] = "SELECT observed_at, ival, rval FROM item_latest WHERE "
                     "item_id = ?1 AND metric_id = ?2",
    /* The row is known to exist and to be older (the latest cache). */
    [S_LATEST_SET] = "UPDATE item_latest SET observed_at = ?3, ival = ?4, "
                     "rval = ?5 WHERE item_id = ?1 AND metric_id = ?2",
    /* No RETURNING: it builds a temporary table on every call. */
    [S_DAY_APPEND] = "UPDATE item_day SET last_at = ?4, last_v = ?5, "
                     "gain = gain + (?5 - last_v) WHERE item_id = ?1 AND "
                     "metric_id = ?2 AND day = ?3",
    [S_DAY_HAS_GAIN] = "SELECT gain IS NOT NULL FROM item_day WHERE "
                       "item_id = ?1 AND metric_id = ?2 AND day = ?3",
    [S_DATA_VERSION] = "PRAGMA data_version",
    [S_GEN_BUMP] = SQL_GEN_BUMP,
    [S_GEN_GET] = "SELECT CAST(value AS INTEGER) FROM setting "
                  "WHERE key = 'generation'",
    /* The last row before ?3 and every row in [?3, ?4). */
    [S_ITEM_DAYS] =
        "SELECT day, first_v, last_v, gain FROM item_day INDEXED BY "
        "item_day_by_item WHERE item_id = ?1 "
        "AND metric_id = (SELECT id FROM metric WHERE name = ?2) AND day >= "
        "coalesce((SELECT max(day) FROM item_day INDEXED BY item_day_by_item "
        "WHERE item_id = ?1 AND "
        "metric_id = (SELECT id FROM metric WHERE name = ?2) AND day < ?3), "
        "?3) AND day < ?4 ORDER BY day",
    [S_ITEM_GAIN_SUM] =
        "SELECT coalesce(sum(gain), 0), count(gain) FROM item_day INDEXED BY "
        "item_day_by_item WHERE "
        "item_id = ?1 AND metric_id = (SELECT id FROM metric WHERE "
        "name = ?2) AND day >= ?3 AND day < ?4",
    [S_DAY_INSERT] = "INSERT INTO item_day(item_id, metric_id, day, "
                     "first_at, first_v, last_at, last_v, gain) VALUES "
                     "(?1, ?2, ?3, ?4, ?5, ?4, ?5, ?6)",
    [S_FIRST_DEL] = sqlite_first_del_sql,
    [S_FIRST_PUT] = sqlite_first_put_sql,
    [S_VDAY_ROWS] = sqlite_vday_rows_sql,
    [S_VDAY_PUT] = sqlite_vday_put_sql,
    [S_VDAY_DEL] = sqlite_vday_del_sql,
    [S_DOC_SEQ] = SQLITE_DOC_SEQ,
    /* store_sqlite_docs.c: the document's row rewritten in place with the
     * next seq ?6, once per transaction (?5: the largest seq when it
     * began; a row with a larger one was marked in it already). */
    [S_DOC_MARK] =
        "INSERT INTO doc_change(item_id, kind, day, seq, changed_at) "
        "VALUES (?1, ?2, ?3, ?6, ?4) ON CONFLICT(item_id, kind, day) DO "
        "UPDATE SET seq = excluded.seq, changed_at = excluded.changed_at "
        "WHERE doc_change.seq <= ?5",
};

struct sqlite_store *sqlite_store_of(struct store *st)
{
    return (struct sqlite_store *)st;
}

#define S sqlite_store_of

enum err sqlite_fail(struct sqlite_store *s, struct buf *err,
                     const char *what)
{
    if (err != NULL)
        buf_setf(err, "%s: %s", what, sqlite3_errmsg(s->db));
    return ERR_DB;
}

void sqlite_rollback(struct sqlite_store *s)
{
    s->fault_code = sqlite3_extended_errcode(s->db);
    s->fault_errno = sqlite3_system_errno(s->db);
    sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
}

#define BEGIN_TRIES 6 /* each waits up to the busy timeout (10 s) */

/* Several workers writing one file can starve one of them past the busy
 * timeout (the busy handler sleeps while the others take turns): try
 * again a few times before giving up. */
enum err sqlite_write_begin(struct sqlite_store *s, struct buf *err)
{
    for (int i = 0; i < BEGIN_TRIES; i++) {
        int r = sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
        if (r == SQLITE_OK)
            return ERR_OK;
        if (r != SQLITE_BUSY)
            break;
    }
    return sqlite_fail(s, err, "starting a transaction");
}

enum err sqlite_write_end(struct sqlite_store *s, enum err rc,
                          struct buf *err)
{
    if (rc == ERR_OK &&
        sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        rc = sqlite_fail(s, err, "committing");
    if (rc != ERR_OK)
        sqlite_rollback(s);
    return rc;
}

/* FULL: SQLITE_FULL, or an I/O error whose system call failed with
 * ENOSPC/EDQUOT; IO: any other I/O error (or the file could not be
 * opened); else OTHER. sys (sqlite3_system_errno) outlives its error, so
 * it counts only with an I/O result code. */
static enum store_fault fault_of(int code, int sys)
{
    if ((code & 0xff) == SQLITE_FULL)
        return STORE_FAULT_FULL;
    if ((code & 0xff) == SQLITE_IOERR || (code & 0xff) == SQLITE_CANTOPEN)
        return sys == ENOSPC || sys == EDQUOT ? STORE_FAULT_FULL
                                              : STORE_FAULT_IO;
    return STORE_FAULT_OTHER;
}

static enum store_fault sq_fault(struct store *st)
{
    struct sqlite_store *s = S(st);
    enum store_fault f = fault_of(sqlite3_extended_errcode(s->db),
                                  sqlite3_system_errno(s->db));

    if (f == STORE_FAULT_OTHER)
        f = fault_of(s->fault_code, s->fault_errno);
    s->fault_code = 0;
    s->fault_errno = 0;
    return f;
}

sqlite3_stmt *sqlite_use(struct sqlite_store *s, enum stmt_id id)
{
    sqlite3_stmt *st = s->stmt[id];
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return st;
}

int sqlite_query(struct sqlite_store *s, enum query_id id, const char *sql,
                 sqlite3_stmt **out)
{
    int rc = SQLITE_OK;

    if (s->query[id] == NULL)
        rc = sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
                                &s->query[id], NULL);
    *out = s->query[id];
    if (rc == SQLITE_OK) {
        sqlite3_reset(*out);
        sqlite3_clear_bindings(*out);
    }
    return rc;
}

int sqlite_bind_text_or_null(sqlite3_stmt *st, int i, const char *v)
{
    if (v == NULL)
        return sqlite3_bind_null(st, i);
    return sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
}

int sqlite_prepare_for(struct sqlite_store *s, const char *sql,
                       enum platform p, const char *account,
                       sqlite3_stmt **st)
{
    int rc = sqlite3_prepare_v2(s->db, sql, -1, st, NULL);

    if (rc == SQLITE_OK)
        rc = sqlite3_bind_text(*st, 1, platform_name(p), -1, SQLITE_STATIC);
    if (rc == SQLITE_OK && account != NULL)
        rc = sqlite3_bind_text(*st, 2, account, -1, SQLITE_STATIC);
    return rc;
}

void sqlite_bind_rows(sqlite3_stmt *st, int64_t item_id, int64_t t,
                      int32_t day, const struct value_rows *r)
{
    sqlite3_bind_int64(st, 1, item_id);
    sqlite3_bind_int64(st, 2, t);
    sqlite3_bind_int(st, 3, day);
    for (size_t i = 0; i < r->n; i++) {
        sqlite3_bind_int64(st, 4 + 2 * (int)i, r->mid[i]);
        sqlite3_bind_int64(st, 5 + 2 * (int)i, r->v[i]);
    }
}

enum err sqlite_exec(struct sqlite_store *s, const char *sql,
                     struct buf *err)
{
    char *msg = NULL;
    if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        if (err != NULL)
            buf_setf(err, "%s", msg ? msg : sqlite3_errmsg(s->db));
        sqlite3_free(msg);
        return ERR_DB;
    }
    return ERR_OK;
}

/* ---- migrations ------------------------------------------------------ */

static enum err current_version(struct sqlite_store *s, int *out)
{
    sqlite3_stmt *st = NULL;
    enum err rc = ERR_DB;
    *out = 0;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT coalesce(max(version), 0) FROM "
                           "schema_migration",
                           -1, &st, NULL) != SQLITE_OK)
        goto out;
    if (sqlite3_step(st) != SQLITE_ROW)
        goto out;
    *out = sqlite3_column_int(st, 0);
    rc = ERR_OK;
out:
    sqlite3_finalize(st);
    return rc;
}

/* Whether migration version is recorded; -1 when the query fails. */
static int applied(struct sqlite_store *s, int version)
{
    sqlite3_stmt *st = NULL;
    int r = -1;

    if (sqlite3_prepare_v2(s->db,
                           "SELECT 1 FROM schema_migration WHERE version = ?1",
                           -1, &st, NULL) == SQLITE_OK &&
        sqlite3_bind_int(st, 1, version) == SQLITE_OK) {
        int step = sqlite3_step(st);
        r = step == SQLITE_ROW ? 1 : step == SQLITE_DONE ? 0 : -1;
    }
    sqlite3_finalize(st);
    return r;
}

/* Apply one migration unless another process did first: the check is
 * repeated inside the write transaction, so processes opening a new
 * database at the same moment do not both run it. */
static enum err apply_migration(struct sqlite_store *s, int version,
                                const struct embedded_file *f,
                                struct buf *err)
{
    sqlite3_stmt *st = NULL;
    enum err rc;
    int done;

    rc = sqlite_exec(s, "BEGIN IMMEDIATE", err);
    if (rc != ERR_OK)
        return rc;
    done = applied(s, version);
    if (done != 0) {
        rc = done == 1 ? sqlite_exec(s, "COMMIT", err)
                       : sqlite_fail(s, err, "reading schema migrations");
        goto out;
    }
    rc = sqlite_exec(s, f->text, err);
    if (rc != ERR_OK)
        goto out;
    rc = ERR_DB;
    if (sqlite3_prepare_v2(s->db,
                           "INSERT INTO schema_migration(version, name, "
                           "applied_at) VALUES (?1, ?2, ?3)",
                           -1, &st, NULL) != SQLITE_OK ||
        sqlite3_bind_int(st, 1, version) != SQLITE_OK ||
        sqlite3_bind_text(st, 2, f->name, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_int64(st, 3, time_now()) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_DONE) {
        sqlite_fail(s, err, f->name);
        goto out;
    }
    rc = sqlite_exec(s, "COMMIT", err);
out:
    sqlite3_finalize(st);
    if (rc != ERR_OK) {
        buf_catf(err, " (migration %s)", f->name);
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    }
    return rc;
}

static enum err migrate(struct sqlite_store *s, struct buf *err)
{
    int have, latest = 0;
    enum err rc;

    rc = sqlite_exec(s,
              "CREATE TABLE IF NOT EXISTS schema_migration ("
              "version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
              "applied_at INTEGER NOT NULL)",
              err);
    if (rc != ERR_OK)
        return rc;
    rc = current_version(s, &have);
    if (rc != ERR_OK)
        return sqlite_fail(s, err, "reading schema version");
    for (const struct embedded_file *f = store_migrations; f->name; f++) {
        int64_t v;
        if (parse_i64n(f->name, 4, 1, 9999, &v) != ERR_OK) {
            buf_setf(err, "migration %s is not named NNNN_*.sql", f->name);
            return ERR_INVALID;
        }
        latest = (int)v;
        /* Every missing version, not only those above the newest: a
         * migration merged from a parallel branch may be numbered below
         * one a database already has. */
        if (v <= have && applied(s, (int)v) == 1)
            continue;
        rc = apply_migration(s, (int)v, f, err);
        if (rc != ERR_OK)
            return rc;
    }
    if (have > latest) {
        buf_setf(err,
                 "database schema version %d is newer than this program "
                 "knows (%d): upgrade mediadash",
                 have, latest);
        return ERR_UNSUPPORTED;
    }
    return ERR_OK;
}

/* ---- open / close ---------------------------------------------------- */

void sqlite_metric_cache_clear(struct sqlite_store *s)
{
    for (size_t i = 0; i < s->metrics_n; i++)
        free(s->metric_names[i]);
    s->metrics_n = 0;
    s->views_mid = 0;
}

static const struct store_ops sqlite_ops;

static void sq_close(struct store *st)
{
    struct sqlite_store *s = S(st);
    for (int i = 0; i < S_STMT_COUNT; i++)
        sqlite3_finalize(s->stmt[i]);
    for (int i = 0; i < Q_COUNT; i++)
        sqlite3_finalize(s->query[i]);
    sqlite3_close(s->db);
    sqlite_metric_cache_clear(s);
    latest_free(&s->latest);
    item_cache_free(&s->items);
    free(s->acct);
    free(s->first_dirty);
    free(s->vday_dirty);
    free(s->doc_marks);
    tz_destroy(s->zone);
    free(s->metric_names);
    free(s->metric_ids);
    free(s);
}

/* The batched statements S_DAY_APPEND2..: the same-day rows of k
 * metrics of one item as one multi-row upsert, ?1 item, ?2 time, ?3 day,
 * then (metric, value) pairs. Each row is found by its primary key, read
 * and rewritten in place by the DO UPDATE (a multi-row UPDATE ... IN
 * (...) builds ephemeral tables of the list and the keys first). The
 * rows are known to exist; one that did not would be added with its gain
 * unknown. */
static void batch_sql(enum stmt_id id, struct buf *b)
{
    int k = (int)(id - S_DAY_APPEND2) + 2;

    buf_reset(b);
    buf_catf(b, "INSERT INTO item_day(item_id, metric_id, day, first_at, "
                "first_v, last_at, last_v, gain) VALUES ");
    for (int i = 0; i < k; i++)
        buf_catf(b, "%s(?1, ?%d, ?3, ?2, ?%d, ?2, ?%d, NULL)",
                 i ? ", " : "", 4 + 2 * i, 5 + 2 * i, 5 + 2 * i);
    buf_catf(b, " ON CONFLICT(item_id, metric_id, day) DO UPDATE SET "
                "last_at = excluded.last_at, last_v = excluded.last_v, "
                "gain = gain + (excluded.last_v - last_v)");
}

static enum err prepare_all(struct sqlite_store *s, struct buf *err)
{
    struct buf sql;
    enum err rc = ERR_OK;

    buf_init(&sql, 4096);
    for (int i = 0; i < S_STMT_COUNT && rc == ERR_OK; i++) {
        const char *text = stmt_sql[i];
        if (text == NULL) {
            batch_sql((enum stmt_id)i, &sql);
            text = buf_cstr(&sql);
        }
        if (sqlite3_prepare_v3(s->db, text, -1, SQLITE_PREPARE_PERSISTENT,
                               &s->stmt[i], NULL) != SQLITE_OK)
            rc = sqlite_fail(s, err, "preparing statements");
    }
    buf_free(&sql);
    return rc;
}

static enum err sq_generation(struct store *st, int64_t *out);

enum err store_sqlite_open(const char *path, struct store **out,
                           struct buf *err)
{
    struct sqlite_store *s = xcalloc(1, sizeof *s);
    enum err rc;

    s->base.ops = &sqlite_ops;
    if (sqlite3_open_v2(path, &s->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                            SQLITE_OPEN_NOMUTEX,
                        NULL) != SQLITE_OK) {
        buf_setf(err, "cannot open database %s: %s", path,
                 s->db ? sqlite3_errmsg(s->db) : "out of memory");
        rc = ERR_DB;
        goto out;
    }
    sqlite3_extended_result_codes(s->db, 1);
    sqlite3_busy_timeout(s->db, BUSY_TIMEOUT_MS);
    rc = sqlite_exec(s,
              "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; "
              "PRAGMA foreign_keys = ON; PRAGMA trusted_schema = OFF; "
              "PRAGMA cache_size = -16384;", /* 16 MiB of pages */
              err);
    if (rc != ERR_OK) {
        buf_catf(err, " (database %s)", path);
        goto out;
    }
    rc = sqlite_register_day_fn(s, err);
    if (rc == ERR_OK)
        rc = migrate(s, err);
    if (rc == ERR_OK)
        rc = prepare_all(s, err);
    if (rc == ERR_OK)
        rc = sq_generation(&s->base, &s->seen_gen);
    if (rc == ERR_OK)
        rc = sqlite_zone_load(s, err);
    if (rc == ERR_OK)
        rc = sqlite_first_load(s, err);
out:
    if (rc != ERR_OK) {
        sq_close(&s->base);
        return rc;
    }
    *out = &s->base;
    return ERR_OK;
}

static enum err sq_schema_version(struct store *st, int *out)
{
    return current_version(S(st), out);
}

/* Reset every cached statement: one left mid-step would keep a read
 * snapshot open past the end of the transaction, and the next write would
 * fail with SQLITE_BUSY_SNAPSHOT once another connection has written. */
void sqlite_reset_all(struct sqlite_store *s)
{
    for (int i = 0; i < S_STMT_COUNT; i++)
        sqlite3_reset(s->stmt[i]);
    for (int i = 0; i < Q_COUNT; i++)
        sqlite3_reset(s->query[i]);
}

void sqlite_caches_clear(struct sqlite_store *s)
{
    sqlite_reset_all(s);
    latest_clear(&s->latest);
    item_cache_clear(&s->items);
    sqlite_rollup_discard(s);
    sqlite_first_discard(s);
    sqlite_vday_discard(s);
}

static enum err sq_generation(struct store *st, int64_t *out)
{
    sqlite3_stmt *q = sqlite_use(S(st), S_GEN_GET);
    int r = sqlite3_step(q);

    *out = r == SQLITE_ROW ? sqlite3_column_int64(q, 0) : 0;
    sqlite3_reset(q);
    return r == SQLITE_ROW || r == SQLITE_DONE ? ERR_OK : ERR_DB;
}

/* A zone change rebuilds the rollups, which raises the generation: reload
 * the zone when the generation moved. */
static enum err sq_refresh(struct store *st, int64_t *out)
{
    struct sqlite_store *s = S(st);
    struct buf err;
    int64_t gen;
    enum err rc = sq_generation(st, &gen);

    *out = gen;
    if (rc != ERR_OK || gen == s->seen_gen)
        return rc;
    buf_init(&err, 1024);
    rc = sqlite_zone_load(s, &err);
    if (rc == ERR_OK)
        s->seen_gen = gen;
    else
        LOG_WARN("store: %s", buf_cstr(&err));
    buf_free(&err);
    return rc;
}

static enum err sq_small_cache(struct store *st)
{
    return sqlite_exec(S(st), "PRAGMA cache_size = -4096", NULL); /* 4 MiB */
}

static enum err sq_sole_account(struct store *st, enum platform p, char **out)
{
    struct sqlite_store *s = S(st);
    sqlite3_stmt *q = sqlite_use(s, S_SOLE_ACCOUNT);
    char *first = NULL;
    int r;

    *out = NULL;
    sqlite3_bind_text(q, 1, platform_name(p), -1, SQLITE_STATIC);
    r = sqlite3_step(q);
    if (r == SQLITE_ROW) {
        first = xstrdup((const char *)sqlite3_column_text(q, 0));
        r = sqlite3_step(q);
        if (r == SQLITE_ROW)
            FREE_AND_NULL(first); /* several: no sole account */
    }
    if (r != SQLITE_DONE && r != SQLITE_ROW) {
        free(first);
        return ERR_DB;
    }
    sqlite3_reset(q);
    *out = first;
    return ERR_OK;
}

static const struct store_post_ops sqlite_post_ops = {
    .add = sq_post_add,
    .get = sq_post_get,
    .list = sq_post_list,
    .events = sq_post_events,
    .transition = sq_post_transition,
    .set_progress = sq_post_set_progress,
    .move = sq_post_move,
    .claim_due = sq_post_claim_due,
    .expire_leases = sq_post_expire_leases,
    .edit = sq_post_edit,
    .edits = sq_post_edits,
};

static const struct store_slot_ops sqlite_slot_ops = {
    .list = sq_slot_list,
    .get = sq_slot_get,
    .add = sq_slot_add,
    .update = sq_slot_update,
    .delete = sq_slot_delete,
    .taken = sq_slot_taken,
    .queue_post = sq_slot_queue_post,
};

static const struct store_media_ops sqlite_media_ops = {
    .put = sq_media_put,
    .get = sq_media_get,
    .list = sq_media_list,
    .uses = sq_media_uses,
    .delete = sq_media_delete,
};

static const struct store_notify_ops sqlite_notify_ops = {
    .add = sq_notify_add,
    .claim = sq_notify_claim,
    .get = sq_notify_get,
    .result = sq_notify_result,
    .off = sq_notify_off,
    .next_due = sq_notify_next_due,
    .list = sq_notify_list,
    .deliveries = sq_notify_deliveries,
    .watch = sq_notify_watch,
    .watch_mark = sq_notify_watch_mark,
    .watch_clear = sq_notify_watch_clear,
    .prune = sq_notify_prune,
};

static const struct store_token_ops sqlite_token_ops = {
    .add = sq_token_add,
    .by_key = sq_token_by_key,
    .touch = sq_token_touch,
    .list = sq_token_list,
    .revoke_id = sq_token_revoke_id,
    .revoke_name = sq_token_revoke_name,
};

static const struct store_ops sqlite_ops = {
    .post = &sqlite_post_ops,
    .slot = &sqlite_slot_ops,
    .media = &sqlite_media_ops,
    .notify = &sqlite_notify_ops,
    .token = &sqlite_token_ops,
    .name = "sqlite",
    .close = sq_close,
    .fault = sq_fault,
    .schema_version = sq_schema_version,
    .ingest = sq_ingest,
    .rollup_rebuild = sq_rollup_rebuild,
    .rollup_zone = sq_rollup_zone,
    .generation = sq_generation,
    .read_begin = sq_read_begin, /* store_sqlite_read.c */
    .read_end = sq_read_end,
    .refresh = sq_refresh,
    .set_rollup_zone = sq_set_rollup_zone,
    .small_cache = sq_small_cache,
    .listen = sq_listen,
    .wake = sq_wake,
    .wait = sq_wait,
    .sole_account = sq_sole_account,
    .list_items = sq_list_items,
    .count_items = sq_count_items,
    .item_history = sq_item_history,
    .day_of = sq_day_of,
    .day_start = sq_day_start,
    .item_days = sq_item_days,
    .item_gain_sum = sq_item_gain_sum,
    .content_sums = sq_content_sums,
    .account_sums = sq_account_sums,
    .account_gains = sq_account_gains,
    .content_day_gains = sq_content_day_gains,
    .item_by_id = sq_item_by_id,
    .export_values = sq_export_values,
    .user_add = sq_user_add,
    .user_get = sq_user_get,
    .user_set_password = sq_user_set_password,
    .user_del = sq_user_del,
    .user_list = sq_user_list,
    .user_count = sq_user_count,
    .session_add = sq_session_add,
    .session_get = sq_session_get,
    .session_touch = sq_session_touch,
    .session_del = sq_session_del,
    .session_purge = sq_session_purge,
    .gauges_read = sq_gauges_read,
    .cred_put = sq_cred_put,
    .cred_get = sq_cred_get,
    .cred_set_status = sq_cred_set_status,
    .cred_list = sq_cred_list,
    .cred_set_renew_error = sq_cred_set_renew_error,
    .oauth_state_put = sq_oauth_state_put,
    .oauth_state_take = sq_oauth_state_take,
    .oauth_pending_add = sq_oauth_pending_add,
    .oauth_pending_claim = sq_oauth_pending_claim,
    .oauth_pending_done = sq_oauth_pending_done,
    .oauth_pending_list = sq_oauth_pending_list,
    .job_get = sq_job_get,
    .job_put = sq_job_put,
    .job_list = sq_job_list,
    .quota_get = sq_quota_get,
    .quota_add = sq_quota_add,
    .item_sched_put = sq_item_sched_put,
    .item_set_removed = sq_item_set_removed,
    .values_at_age = sq_values_at_age,
    .age_rows = sq_age_rows,
    .item_links = sq_item_links,
    .item_sched_has = sq_item_sched_has,
    .item_sched_due = sq_item_sched_due,
    .item_sched_stats = sq_item_sched_stats,
    .usage_put = sq_usage_put,
    .usage_get = sq_usage_get,
    .dropped_metric_add = sq_dropped_metric_add,
    .dropped_metric_list = sq_dropped_metric_list,
    .imports_list = sq_imports_list,
    .audit_list = sq_audit_list,
    .import_remove = sq_import_remove,
    .account_remove = sq_account_remove,
    .account_set_role = sq_account_set_role,
    .account_compare = sq_account_compare,
    .doc_changes = sq_doc_changes,
    .doc_find = sq_doc_find,
    .doc_last_seq = sq_doc_last_seq,
    .account_day_get = sq_account_day_get,
    .search = sq_search,
    .health_put = sq_health_put,
    .health_count = sq_health_count,
    .health_remove = sq_health_remove,
    .health_days = sq_health_days,
    .copy = &sq_copy_ops, /* store_sqlite_copy.c */
};

/* Open the SQLite database at path: the file is made (or kept) 0600
 * first (store_file_prepare), then opened and migrated. */
static enum err sq_open_target(const char *path, struct store **out,
                               struct buf *err)
{
    if (store_file_prepare(path, err) != ERR_OK)
        return ERR_DB; /* as when SQLite cannot open it */
    return store_sqlite_open(path, out, err);
}

const struct store_backend store_sqlite_backend = {
    .name = "sqlite",
    .claims = NULL, /* the fallback: any target is a file path */
    .open = sq_open_target,
    .schema_peek = sq_schema_peek,
    .share_group = sq_share_group,
    .backup_copy = sq_backup_copy,
    .verify = sq_verify,
    .in_use = sq_in_use,
    .facts_read = sq_facts_read,
};
