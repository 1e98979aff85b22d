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

static int bind_i64_or_null(sqlite3_stmt *st, int i, int64_t v, int64_t none)
{
    if (v == none)
        return sqlite3_bind_null(st, i);
    return sqlite3_bind_int64(st, i, v);
}

static enum err exec(struct sqlite_store *s, const char *sql, struct buf *err)
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

    rc = exec(s, "BEGIN IMMEDIATE", err);
    if (rc != ERR_OK)
        return rc;
    done = applied(s, version);
    if (done != 0) {
        rc = done == 1 ? exec(s, "COMMIT", err)
                       : sqlite_fail(s, err, "reading schema migrations");
        goto out;
    }
    rc = exec(s, f->text, err);
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
    rc = exec(s, "COMMIT", err);
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

    rc = exec(s,
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

static void metric_cache_clear(struct sqlite_store *s)
{
    for (size_t i = 0; i < s->metrics_n; i++)
        free(s->metric_names[i]);
    s->metrics_n = 0;
    s->views_mid = 0;
}

static void metric_cache_put(struct sqlite_store *s, const char *name,
                             int64_t id)
{
    s->metric_names = xgrow(s->metric_names, &s->metrics_cap,
                            s->metrics_n + 1, sizeof *s->metric_names);
    s->metric_ids = xgrow(s->metric_ids, &s->metric_ids_cap,
                          s->metrics_n + 1, sizeof *s->metric_ids);
    s->metric_names[s->metrics_n] = xstrdup(name);
    s->metric_ids[s->metrics_n++] = id;
    if (strcmp(name, M_VIEWS) == 0)
        s->views_mid = id;
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
    metric_cache_clear(s);
    latest_free(&s->latest);
    item_cache_free(&s->items);
    free(s->acct);
    free(s->first_dirty);
    free(s->vday_dirty);
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
    rc = exec(s,
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

/* ---- ingest ---------------------------------------------------------- */

struct ingest {
    struct sqlite_store *s;
    const struct import_meta *meta;
    struct ingest_stats *stats;
    struct buf *err;
    int64_t import_id; /* 0: none */
    int64_t now;
};

static enum err step_done(struct ingest *in, sqlite3_stmt *st,
                          const char *what)
{
    if (sqlite3_step(st) != SQLITE_DONE)
        return sqlite_fail(in->s, in->err, what);
    return ERR_OK;
}

static enum err import_begin(struct ingest *in)
{
    const struct import_meta *m = in->meta;
    sqlite3_stmt *st;

    if (m == NULL)
        return ERR_OK;
    if (m->digest != NULL) {
        st = sqlite_use(in->s, S_IMPORT_FIND);
        sqlite3_bind_text(st, 1, m->digest, -1, SQLITE_STATIC);
        if (sqlite3_step(st) == SQLITE_ROW) {
            struct buf when;
            buf_init(&when, 64);
            if (time_format_iso8601(sqlite3_column_int64(st, 0), &when) !=
                ERR_OK)
                buf_setf(&when, "an unknown time");
            buf_setf(in->err, "already imported at %s (as %s)",
                     buf_cstr(&when),
                     (const char *)sqlite3_column_text(st, 1)
                         ? (const char *)sqlite3_column_text(st, 1)
                         : "?");
            buf_free(&when);
            return ERR_EXISTS;
        }
    }
    st = sqlite_use(in->s, S_IMPORT_ADD);
    if (sqlite_bind_text_or_null(st, 1, m->digest) != SQLITE_OK ||
        sqlite_bind_text_or_null(st, 2, m->source) != SQLITE_OK ||
        sqlite_bind_text_or_null(st, 3, m->format) != SQLITE_OK ||
        sqlite3_bind_int64(st, 4, m->imported_at) != SQLITE_OK)
        return sqlite_fail(in->s, in->err, "recording import");
    if (step_done(in, st, "recording import") != ERR_OK)
        return ERR_DB;
    in->import_id = sqlite3_last_insert_rowid(in->s->db);
    return ERR_OK;
}

/* Look an item up; out->id is 0 when there is none. */
static enum err item_find(struct sqlite_store *s, enum platform p,
                          enum item_type t, const char *ext_id,
                          struct rollup_item *out)
{
    sqlite3_stmt *st = sqlite_use(s, S_ITEM_FIND);
    int r;
    *out = (struct rollup_item){0, 0, TIME_NONE};
    sqlite3_bind_text(st, 1, platform_name(p), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, item_type_name(t), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, ext_id, -1, SQLITE_STATIC);
    r = sqlite3_step(st);
    if (r == SQLITE_ROW) {
        out->id = sqlite3_column_int64(st, 0);
        out->account_id = sqlite3_column_int64(st, 1);
        if (sqlite3_column_type(st, 2) != SQLITE_NULL)
            out->published_at = sqlite3_column_int64(st, 2);
    } else if (r != SQLITE_DONE) {
        return ERR_DB;
    }
    return ERR_OK;
}

/* Bind the descriptive fields shared by S_ITEM_ADD (from ?first) and
 * S_ITEM_UPDATE; account_id 0 binds NULL. */
static int bind_item_fields(sqlite3_stmt *st, int first, const struct item *it,
                            int64_t account_id)
{
    int rc = bind_i64_or_null(st, first, account_id, 0);
    if (rc == SQLITE_OK)
        rc = sqlite_bind_text_or_null(st, first + 1, it->kind);
    if (rc == SQLITE_OK)
        rc = sqlite_bind_text_or_null(st, first + 2, it->handle);
    if (rc == SQLITE_OK)
        rc = sqlite_bind_text_or_null(st, first + 3, it->title);
    if (rc == SQLITE_OK)
        rc = sqlite_bind_text_or_null(st, first + 4, it->description);
    if (rc == SQLITE_OK)
        rc = sqlite_bind_text_or_null(st, first + 5, it->url);
    if (rc == SQLITE_OK)
        rc = sqlite_bind_text_or_null(st, first + 6, it->thumbnail_url);
    if (rc == SQLITE_OK)
        rc = bind_i64_or_null(st, first + 7, it->published_at, TIME_NONE);
    if (rc == SQLITE_OK)
        rc = bind_i64_or_null(st, first + 8, it->duration_s, -1);
    return rc;
}

#define ITEM_FIELDS_MAX 1024 /* longer field sets are not cached */

/* account_id and the descriptive fields of it, serialized into f (a
 * NULL string is a 0 byte, any other one 1, its bytes and a NUL).
 * ERR_OK when they fit f's maximum. */
static enum err item_fields(struct buf *f, const struct item *it,
                            int64_t account_id)
{
    const char *const str[] = {it->kind,        it->handle, it->title,
                               it->description, it->url,
                               it->thumbnail_url};
    const int64_t num[] = {account_id, it->published_at, it->duration_s};
    enum err rc = buf_append(f, num, sizeof num);

    for (size_t i = 0; i < sizeof str / sizeof *str && rc == ERR_OK; i++) {
        rc = buf_putc(f, str[i] ? 1 : 0);
        if (rc == ERR_OK && str[i] != NULL)
            rc = buf_append(f, str[i], strlen(str[i]) + 1);
    }
    return rc;
}

static enum err item_write(struct ingest *in, const struct item *it,
                           int64_t account_id, struct rollup_item *out);

/* Create or refresh the row of it (a row that would not change is not
 * written: the item cache knows the fields last applied); *out = its id,
 * owner and publication time as stored now. */
static enum err item_put(struct ingest *in, const struct item *it,
                         int64_t account_id, struct rollup_item *out)
{
    struct item_entry *e =
        item_cache_get(&in->s->items, it->platform, it->type, it->ext_id);
    struct buf f;
    bool fits;
    enum err rc = ERR_OK;

    buf_init(&f, ITEM_FIELDS_MAX);
    fits = item_fields(&f, it, account_id) == ERR_OK;
    if (e != NULL && fits && e->fields != NULL && e->fields_len == f.len &&
        memcmp(e->fields, f.data, f.len) == 0) {
        *out = e->ri; /* the same fields again: the row stays as it is */
        in->stats->items_seen++;
        goto out;
    }
    if (e != NULL) {
        *out = e->ri;
    } else if (item_find(in->s, it->platform, it->type, it->ext_id, out) !=
               ERR_OK) {
        rc = sqlite_fail(in->s, in->err, "looking up item");
        goto out;
    }
    rc = item_write(in, it, account_id, out);
    if (rc == ERR_OK)
        item_cache_put(&in->s->items, it->platform, it->type, it->ext_id,
                       out, fits ? f.data : NULL, f.len);
out:
    buf_free(&f);
    return rc;
}

/* Add or update the row of it; *out holds the stored row's id, owner
 * and publication time (id 0: none) and is updated to the new ones. */
static enum err item_write(struct ingest *in, const struct item *it,
                           int64_t account_id, struct rollup_item *out)
{
    sqlite3_stmt *st;
    enum err rc;

    if (account_id != 0)
        out->account_id = account_id;
    if (it->published_at != TIME_NONE) {
        /* The first week moved with it (a new item has no rows yet). */
        if (out->id != 0 && it->published_at != out->published_at)
            sqlite_first_mark_item(in->s, out->id, it->published_at);
        out->published_at = it->published_at;
    }
    if (out->id != 0) {
        st = sqlite_use(in->s, S_ITEM_UPDATE);
        if (sqlite3_bind_int64(st, 1, out->id) != SQLITE_OK ||
            bind_item_fields(st, 2, it, account_id) != SQLITE_OK ||
            sqlite3_bind_int64(st, 11, in->now) != SQLITE_OK)
            return sqlite_fail(in->s, in->err, "updating item");
        in->stats->items_seen++;
        return step_done(in, st, "updating item");
    }
    st = sqlite_use(in->s, S_ITEM_ADD);
    if (sqlite3_bind_text(st, 1, platform_name(it->platform), -1,
                          SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_text(st, 2, item_type_name(it->type), -1,
                          SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_text(st, 3, it->ext_id, -1, SQLITE_STATIC) !=
            SQLITE_OK ||
        bind_item_fields(st, 4, it, account_id) != SQLITE_OK ||
        sqlite3_bind_int64(st, 13, in->now) != SQLITE_OK)
        return sqlite_fail(in->s, in->err, "adding item");
    rc = step_done(in, st, "adding item");
    if (rc != ERR_OK)
        return rc;
    out->id = sqlite3_last_insert_rowid(in->s->db);
    in->stats->items_new++;
    return ERR_OK;
}

/* The id of the account a content item belongs to, creating a bare
 * account row when the batch did not describe it. 0 when unknown. */
static enum err owner_id(struct ingest *in, const struct item *it,
                         int64_t *out)
{
    struct rollup_item acct;
    struct item *bare;
    enum err rc;

    const struct item_entry *e;

    *out = 0;
    if (it->type != ITEM_CONTENT || it->account_ext_id == NULL)
        return ERR_OK;
    e = item_cache_get(&in->s->items, it->platform, ITEM_ACCOUNT,
                       it->account_ext_id);
    if (e != NULL) {
        *out = e->ri.id;
        return ERR_OK;
    }
    rc = item_find(in->s, it->platform, ITEM_ACCOUNT, it->account_ext_id,
                   &acct);
    if (rc != ERR_OK)
        return sqlite_fail(in->s, in->err, "looking up account");
    if (acct.id != 0) /* fields unknown: its own put still writes them */
        item_cache_put(&in->s->items, it->platform, ITEM_ACCOUNT,
                       it->account_ext_id, &acct, NULL, 0);
    if (acct.id == 0) {
        bare = item_create(it->platform, ITEM_ACCOUNT, it->account_ext_id);
        rc = item_put(in, bare, 0, &acct);
        item_destroy(bare);
    }
    *out = acct.id;
    return rc;
}

static enum err metric_id(struct ingest *in, const char *name, int64_t *out)
{
    struct sqlite_store *s = in->s;
    sqlite3_stmt *st;

    for (size_t i = 0; i < s->metrics_n; i++)
        if (strcmp(s->metric_names[i], name) == 0) {
            *out = s->metric_ids[i];
            return ERR_OK;
        }
    st = sqlite_use(s, S_METRIC_FIND);
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW) {
        *out = sqlite3_column_int64(st, 0);
    } else {
        st = sqlite_use(s, S_METRIC_ADD);
        sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
        if (step_done(in, st, "adding metric") != ERR_OK)
            return ERR_DB;
        *out = sqlite3_last_insert_rowid(s->db);
    }
    metric_cache_put(s, name, *out);
    return ERR_OK;
}

static int bind_value(sqlite3_stmt *st, int i, const struct metric *m)
{
    int rc;
    if (m->is_real) {
        rc = sqlite3_bind_null(st, i);
        return rc == SQLITE_OK ? sqlite3_bind_double(st, i + 1, m->r) : rc;
    }
    rc = sqlite3_bind_int64(st, i, m->i);
    return rc == SQLITE_OK ? sqlite3_bind_null(st, i + 1) : rc;
}

/* A value already stored for this snapshot and metric: count it as the
 * same or conflicting; it is kept either way (history is never
 * overwritten). */
static enum err value_seen(struct ingest *in, int64_t snap_id, int64_t mid,
                           const struct metric *m)
{
    sqlite3_stmt *st = sqlite_use(in->s, S_VALUE_FIND);
    bool same;
    sqlite3_bind_int64(st, 1, snap_id);
    sqlite3_bind_int64(st, 2, mid);
    if (sqlite3_step(st) != SQLITE_ROW)
        return sqlite_fail(in->s, in->err, "reading value");
    same = m->is_real ? sqlite3_column_type(st, 1) == SQLITE_FLOAT &&
                            sqlite3_column_double(st, 1) == m->r
                      : sqlite3_column_type(st, 0) == SQLITE_INTEGER &&
                            sqlite3_column_int64(st, 0) == m->i;
    if (same)
        in->stats->values_same++;
    else
        in->stats->values_conflict++;
    return ERR_OK;
}

/* Keep item_latest and the rollups in step with a new value. */
/* The latest stored value of (item, metric): from the cache, or read
 * (and cached). NULL when there is none. */
static struct latest_entry *latest_of(struct ingest *in, int64_t item,
                                      int64_t mid)
{
    struct latest_entry *e = latest_get(&in->s->latest, item, mid), fresh;
    sqlite3_stmt *st;

    if (e != NULL)
        return e;
    st = sqlite_use(in->s, S_LATEST_GET);
    sqlite3_bind_int64(st, 1, item);
    sqlite3_bind_int64(st, 2, mid);
    if (sqlite3_step(st) != SQLITE_ROW)
        return NULL;
    fresh.item_id = item;
    fresh.metric_id = mid;
    fresh.t = sqlite3_column_int64(st, 0);
    fresh.v = sqlite3_column_int64(st, 1);
    fresh.is_int = sqlite3_column_type(st, 1) == SQLITE_INTEGER;
    fresh.day = sqlite_rollup_day(in->s, fresh.t);
    fresh.day_gain = -1;
    return latest_put(&in->s->latest, &fresh);
}

static enum err value_derive(struct ingest *in, const struct rollup_item *ri,
                             int64_t mid, int64_t t, const struct metric *m,
                             struct value_rows *defer)
{
    struct latest_entry *cached = latest_of(in, ri->id, mid), next;
    struct latest_entry prev = {0, 0, 0, 0, 0, -1, false};
    bool has_prev = cached != NULL;
    sqlite3_stmt *st;
    enum err rc = ERR_OK;

    /* A copy: the cache may be cleared or moved below. */
    if (has_prev)
        prev = *cached;
    next = (struct latest_entry){ri->id, mid, t, m->i,
                                 sqlite_rollup_day(in->s, t), -1, !m->is_real};
    if (!m->is_real && (!has_prev || (prev.is_int && t > prev.t))) {
        next.day_gain = has_prev && prev.day == next.day ? prev.day_gain : -1;
        rc = sqlite_rollup_append(in->s, ri, mid, has_prev,
                                  has_prev ? prev.t : 0, has_prev ? prev.v : 0,
                                  t, m->i, &next.day_gain,
                                  defer, in->err);
    } else if (!m->is_real) {
        /* An older value: rollups of later days may move; forget them. */
        latest_drop(&in->s->latest, ri->id, mid);
        rc = sqlite_rollup_add(in->s, ri, mid, t, m->i, in->err);
    }
    if (rc == ERR_OK && !m->is_real)
        sqlite_first_mark(in->s, ri, m->name, t);
    if (rc != ERR_OK || (has_prev && t < prev.t))
        return rc;
    latest_put(&in->s->latest, &next);
    /* Known to exist (the cache is dropped on rollback and when another
     * writer was seen) and not newer than t: a plain UPDATE, one seek,
     * where the upsert tries an INSERT first. */
    st = sqlite_use(in->s, has_prev ? S_LATEST_SET : S_LATEST_UPSERT);
    if (sqlite3_bind_int64(st, 1, ri->id) != SQLITE_OK ||
        sqlite3_bind_int64(st, 2, mid) != SQLITE_OK ||
        sqlite3_bind_int64(st, 3, t) != SQLITE_OK ||
        bind_value(st, 4, m) != SQLITE_OK)
        return sqlite_fail(in->s, in->err, "updating latest values");
    return step_done(in, st, "updating latest values");
}

#define SQL_VALUE_IMPORT                                                      \
    "INSERT OR IGNORE INTO value_import(snapshot_id, metric_id, import_id) "  \
    "VALUES (?1, ?2, ?3)"

/* Record that this import added metric mid to snapshot snap_id, which
 * another import stored (migration 0012), so that removing either import
 * takes out only its own values. Rare: prepared per call. */
static enum err value_import_note(struct ingest *in, int64_t snap_id,
                                  int64_t mid)
{
    sqlite3_stmt *st = NULL;
    enum err rc = ERR_OK;

    if (sqlite3_prepare_v2(in->s->db, SQL_VALUE_IMPORT, -1, &st, NULL) !=
            SQLITE_OK ||
        sqlite3_bind_int64(st, 1, snap_id) != SQLITE_OK ||
        sqlite3_bind_int64(st, 2, mid) != SQLITE_OK ||
        sqlite3_bind_int64(st, 3, in->import_id) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_DONE)
        rc = sqlite_fail(in->s, in->err, "recording a value's import");
    sqlite3_finalize(st);
    return rc;
}

/* Add one value to snapshot snap_id unless one is stored already.
 * foreign: the snapshot is another import's (note the value's import). */
static enum err value_put(struct ingest *in, const struct rollup_item *ri,
                          int64_t snap_id, int64_t observed_at,
                          const struct metric *m, bool foreign)
{
    sqlite3_stmt *st;
    int64_t mid;
    enum err rc = metric_id(in, m->name, &mid);

    if (rc != ERR_OK)
        return rc;
    st = sqlite_use(in->s, S_VALUE_ADD);
    if (sqlite3_bind_int64(st, 1, snap_id) != SQLITE_OK ||
        sqlite3_bind_int64(st, 2, mid) != SQLITE_OK ||
        bind_value(st, 3, m) != SQLITE_OK ||
        step_done(in, st, "adding value") != ERR_OK)
        return sqlite_fail(in->s, in->err, "adding value");
    if (sqlite3_changes(in->s->db) == 0)
        return value_seen(in, snap_id, mid, m);
    in->stats->values_new++;
    if (foreign && in->import_id != 0) {
        rc = value_import_note(in, snap_id, mid);
        if (rc != ERR_OK)
            return rc;
    }
    return value_derive(in, ri, mid, observed_at, m, NULL);
}

/* The values of a new snapshot sid (so none is stored yet), when there
 * are 2 to VALUES_ROWS_MAX of distinct metrics: one multi-row INSERT.
 * *done false: not taken, add them one by one. */
static enum err values_put_new(struct ingest *in, const struct rollup_item *ri,
                               int64_t sid, const struct snapshot *snap,
                               bool *done)
{
    size_t n = snap->metrics.n;
    int64_t mid[VALUES_ROWS_MAX];
    struct value_rows defer = {0, {0}, {0}}; /* the same-day rollups */
    sqlite3_stmt *st;
    enum err rc = ERR_OK;

    *done = false;
    if (n < 2 || n > VALUES_ROWS_MAX)
        return ERR_OK;
    for (size_t i = 0; i < n; i++) {
        rc = metric_id(in, snap->metrics.v[i].name, &mid[i]);
        if (rc != ERR_OK)
            return rc;
        for (size_t j = 0; j < i; j++)
            if (mid[j] == mid[i])
                return ERR_OK; /* a metric twice: the first one counts */
    }
    st = sqlite_use(in->s, (enum stmt_id)(S_VALUES_ADD2 + (int)n - 2));
    for (size_t i = 0; i < n; i++) {
        int k = (int)i * 4;
        if (sqlite3_bind_int64(st, k + 1, sid) != SQLITE_OK ||
            sqlite3_bind_int64(st, k + 2, mid[i]) != SQLITE_OK ||
            bind_value(st, k + 3, &snap->metrics.v[i]) != SQLITE_OK)
            return sqlite_fail(in->s, in->err, "adding values");
    }
    if (step_done(in, st, "adding values") != ERR_OK)
        return ERR_DB;
    *done = true;
    in->stats->values_new += n;
    for (size_t i = 0; i < n && rc == ERR_OK; i++)
        rc = value_derive(in, ri, mid[i], snap->observed_at,
                          &snap->metrics.v[i], &defer);
    if (rc == ERR_OK)
        rc = sqlite_rollup_append_flush(in->s, ri->id, snap->observed_at,
                                        &defer, in->err);
    return rc;
}

static enum err snapshot_put(struct ingest *in, const struct rollup_item *ri,
                             const struct snapshot *snap)
{
    bool done = false;
    int64_t item_id = ri->id;
    sqlite3_stmt *st;
    int64_t sid = 0;
    bool foreign = false;
    enum err rc = ERR_OK;

    if (snap->metrics.n == 0)
        return ERR_OK; /* an empty snapshot says nothing */
    st = sqlite_use(in->s, S_SNAP_ADD);
    if (sqlite3_bind_int64(st, 1, item_id) != SQLITE_OK ||
        sqlite3_bind_int64(st, 2, snap->observed_at) != SQLITE_OK ||
        bind_i64_or_null(st, 3, in->import_id, 0) != SQLITE_OK ||
        step_done(in, st, "adding snapshot") != ERR_OK)
        return sqlite_fail(in->s, in->err, "adding snapshot");
    if (sqlite3_changes(in->s->db) > 0) {
        sid = sqlite3_last_insert_rowid(in->s->db);
        in->stats->snapshots_new++;
        rc = values_put_new(in, ri, sid, snap, &done);
        if (rc != ERR_OK || done)
            return rc;
    } else { /* already there: merge new metrics into it */
        st = sqlite_use(in->s, S_SNAP_FIND);
        sqlite3_bind_int64(st, 1, item_id);
        sqlite3_bind_int64(st, 2, snap->observed_at);
        if (sqlite3_step(st) != SQLITE_ROW)
            return sqlite_fail(in->s, in->err, "reading snapshot");
        sid = sqlite3_column_int64(st, 0);
        foreign = sqlite3_column_int64(st, 1) != in->import_id;
    }
    for (size_t i = 0; i < snap->metrics.n && rc == ERR_OK; i++)
        rc = value_put(in, ri, sid, snap->observed_at,
                       &snap->metrics.v[i], foreign);
    return rc;
}

static enum err ingest_item(struct ingest *in, const struct item *it)
{
    struct rollup_item ri = {0, 0, TIME_NONE};
    int64_t account_id;
    enum err rc = owner_id(in, it, &account_id);
    if (rc == ERR_OK)
        rc = item_put(in, it, account_id, &ri);
    if (rc == ERR_OK && it->tracked) {
        sqlite3_stmt *st = sqlite_use(in->s, S_ITEM_TRACKED);
        sqlite3_bind_int64(st, 1, ri.id);
        rc = step_done(in, st, "marking item tracked");
    }
    for (size_t i = 0; i < it->nsnaps && rc == ERR_OK; i++)
        rc = snapshot_put(in, &ri, it->snaps[i]);
    return rc;
}

/* Roles of the items this ingest added (ids above first_new), per
 * import_meta.foreign_tracked; content takes its account's role. */
#define SQL_ROLE_FOREIGN                                                      \
    "UPDATE item SET role = 'tracked' WHERE id > ?1 AND type = 'account' "    \
    "AND EXISTS (SELECT 1 FROM item o WHERE o.platform = item.platform AND "  \
    "o.type = 'account' AND o.role = 'own' AND o.id <= ?1)"
#define SQL_ROLE_FIRST_TRACKED                                                \
    "SELECT coalesce(min(id), 0) FROM item WHERE id > ?1 AND "                \
    "type = 'account' AND role = 'tracked'"
#define SQL_ROLE_CONTENT                                                      \
    "UPDATE item SET role = (SELECT a.role FROM item a WHERE "                \
    "a.id = item.account_id) WHERE id > ?1 AND type = 'content' AND "         \
    "account_id IS NOT NULL AND role IS NOT (SELECT a.role FROM item a "      \
    "WHERE a.id = item.account_id)"
#define SQL_MAX_ITEM "SELECT coalesce(max(id), 0) FROM item"
#define SQL_ITEM_IMPORT "UPDATE item SET import_id = ?2 WHERE id > ?1"

/* Run sql with ?1 = v; *out (may be NULL): the first column of its first
 * row (0 when none). */
static enum err run_i64(struct ingest *in, const char *sql, int64_t v,
                        int64_t *out)
{
    sqlite3_stmt *st = NULL;
    int r = SQLITE_ERROR;
    enum err rc = ERR_OK;

    if (out != NULL)
        *out = 0;
    if (sqlite3_prepare_v2(in->s->db, sql, -1, &st, NULL) == SQLITE_OK &&
        (sqlite3_bind_parameter_count(st) == 0 ||
         sqlite3_bind_int64(st, 1, v) == SQLITE_OK))
        r = sqlite3_step(st);
    if (r == SQLITE_ROW && out != NULL)
        *out = sqlite3_column_int64(st, 0);
    if (r != SQLITE_ROW && r != SQLITE_DONE)
        rc = sqlite_fail(in->s, in->err, "setting roles");
    sqlite3_finalize(st);
    return rc;
}

/* Record this import as the creator of the items it added. */
static enum err item_import_set(struct ingest *in, int64_t first_new)
{
    sqlite3_stmt *st = NULL;
    enum err rc = ERR_OK;

    if (sqlite3_prepare_v2(in->s->db, SQL_ITEM_IMPORT, -1, &st, NULL) !=
            SQLITE_OK ||
        sqlite3_bind_int64(st, 1, first_new) != SQLITE_OK ||
        sqlite3_bind_int64(st, 2, in->import_id) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_DONE)
        rc = sqlite_fail(in->s, in->err, "recording the items' import");
    sqlite3_finalize(st);
    return rc;
}

static enum err roles_set(struct ingest *in, int64_t first_new)
{
    enum err rc = ERR_OK;

    if (in->meta != NULL && in->meta->foreign_tracked) {
        rc = run_i64(in, SQL_ROLE_FOREIGN, first_new, NULL);
        if (rc == ERR_OK)
            in->stats->accounts_tracked =
                (size_t)sqlite3_changes(in->s->db);
        if (rc == ERR_OK && in->stats->accounts_tracked > 0)
            rc = run_i64(in, SQL_ROLE_FIRST_TRACKED, first_new,
                         &in->stats->tracked_id);
    }
    if (rc == ERR_OK)
        rc = run_i64(in, SQL_ROLE_CONTENT, first_new, NULL);
    if (rc == ERR_OK && in->import_id != 0)
        rc = item_import_set(in, first_new);
    return rc;
}

static enum err ingest_all(struct ingest *in, const struct batch *b)
{
    int64_t first_new = 0;
    enum err rc = import_begin(in);

    if (rc == ERR_OK)
        rc = run_i64(in, SQL_MAX_ITEM, 0, &first_new);
    /* Accounts first, so content rows can point at them. */
    for (int pass = 0; pass < 2 && rc == ERR_OK; pass++) {
        enum item_type want = pass == 0 ? ITEM_ACCOUNT : ITEM_CONTENT;
        for (size_t i = 0; i < b->n && rc == ERR_OK; i++)
            if (b->items[i]->type == want)
                rc = ingest_item(in, b->items[i]);
    }
    if (rc == ERR_OK)
        rc = roles_set(in, first_new);
    if (rc == ERR_OK)
        rc = sqlite_rollup_flush(in->s, in->err);
    if (rc == ERR_OK)
        rc = sqlite_first_flush(in->s, in->err);
    if (rc == ERR_OK)
        rc = sqlite_vday_flush(in->s, in->err);
    if (rc == ERR_OK && in->import_id != 0) {
        sqlite3_stmt *st = sqlite_use(in->s, S_IMPORT_COUNT);
        sqlite3_bind_int64(st, 1, in->import_id);
        sqlite3_bind_int64(st, 2, (int64_t)in->stats->snapshots_new);
        sqlite3_bind_int64(st, 3, (int64_t)b->n);
        sqlite3_bind_int64(st, 4, (int64_t)in->stats->values_new);
        rc = step_done(in, st, "recording import");
    }
    return rc;
}

/* Another connection may have written since our last transaction: then
 * the cached latest values may be stale. Inside BEGIN IMMEDIATE no one
 * else can write until we commit. */
static void check_data_version(struct sqlite_store *s)
{
    sqlite3_stmt *st = sqlite_use(s, S_DATA_VERSION);
    int64_t v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0)
                                               : -1;
    sqlite3_reset(st);
    if (v != s->data_version || v < 0) {
        latest_clear(&s->latest);
        item_cache_clear(&s->items);
    }
    s->data_version = v;
}

/* Reset every cached statement: one left mid-step would keep a read
 * snapshot open past the end of the transaction, and the next write would
 * fail with SQLITE_BUSY_SNAPSHOT once another connection has written. */
static void reset_all(struct sqlite_store *s)
{
    for (int i = 0; i < S_STMT_COUNT; i++)
        sqlite3_reset(s->stmt[i]);
    for (int i = 0; i < Q_COUNT; i++)
        sqlite3_reset(s->query[i]);
}

static enum err sq_ingest(struct store *st, const struct batch *b,
                          const struct import_meta *meta,
                          struct ingest_stats *out, struct buf *err)
{
    struct ingest in = {S(st), meta, out, err, 0, time_now()};
    enum err rc;

    memset(out, 0, sizeof *out);
    rc = exec(in.s, "BEGIN IMMEDIATE", err);
    if (rc != ERR_OK)
        return rc;
    check_data_version(in.s);
    rc = ingest_all(&in, b);
    if (rc == ERR_OK)
        rc = step_done(&in, sqlite_use(in.s, S_GEN_BUMP),
                       "bumping the data generation");
    reset_all(in.s);
    if (rc == ERR_OK)
        rc = exec(in.s, "COMMIT", err);
    if (rc != ERR_OK) {
        sqlite_rollback(in.s);
        metric_cache_clear(in.s);
        latest_clear(&in.s->latest);
        item_cache_clear(&in.s->items);
        sqlite_rollup_discard(in.s);
        sqlite_first_discard(in.s);
        sqlite_vday_discard(in.s);
        memset(out, 0, sizeof *out);
        return rc;
    }
    out->import_id = in.import_id;
    return ERR_OK;
}

void sqlite_caches_clear(struct sqlite_store *s)
{
    reset_all(s);
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
    return exec(S(st), "PRAGMA cache_size = -4096", NULL); /* 4 MiB */
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
    .refresh = sq_refresh,
    .set_rollup_zone = sq_set_rollup_zone,
    .small_cache = sq_small_cache,
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
    .item_sched_has = sq_item_sched_has,
    .item_sched_due = sq_item_sched_due,
    .item_sched_stats = sq_item_sched_stats,
    .usage_put = sq_usage_put,
    .usage_get = sq_usage_get,
    .ig_dropped_add = sq_ig_dropped_add,
    .ig_dropped_list = sq_ig_dropped_list,
    .imports_list = sq_imports_list,
    .audit_list = sq_audit_list,
    .import_remove = sq_import_remove,
    .account_remove = sq_account_remove,
    .account_set_role = sq_account_set_role,
    .account_compare = sq_account_compare,
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
