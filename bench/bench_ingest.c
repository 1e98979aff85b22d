/* Ingest throughput: snapshots through store_ingest (values, latest,
 * daily rollups, one transaction per fetch round) next to plain prepared
 * SQLite inserts of the same rows, in the same run: into the store's raw
 * table definitions under its pragmas (the target's baseline: what the
 * rollups cost), and into bare tables.
 * The rows come from the demo generator (src/demo), content published
 * over the first quarter of the period.
 * usage: bench_ingest [ITEMS] [HOURS] [DIR] */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "core/timeutil.h"
#include "demo/demo.h"
#include "lib/demo_load.h"
#include "store/store.h"

/* Bytes this process has passed to write calls, and their number
 * (/proc/self/io: WAL frames, checkpoints), or 0 when unreadable. */
struct io {
    long long wchar, syscw;
};

static struct io io_now(void)
{
    struct io v = {0, 0};
    char key[64];
    long long n;
    FILE *f = fopen("/proc/self/io", "r");

    if (f == NULL)
        return v;
    while (fscanf(f, "%63s %lld", key, &n) == 2) {
        if (strcmp(key, "wchar:") == 0)
            v.wchar = n;
        else if (strcmp(key, "syscw:") == 0)
            v.syscw = n;
    }
    fclose(f);
    return v;
}

static long peak_rss_kb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

/* The raw tables as the store's migrations define them (0001_init.sql:
 * the same columns, keys, CHECK and foreign keys; the parents reduced to
 * their keys), under the store's pragmas. */
#define PLAIN_STORE_SCHEMA                                                    \
    "PRAGMA foreign_keys = ON; PRAGMA trusted_schema = OFF; "                 \
    "PRAGMA cache_size = -16384;"                                             \
    "CREATE TABLE item(id INTEGER PRIMARY KEY);"                              \
    "CREATE TABLE metric(id INTEGER PRIMARY KEY);"                            \
    "CREATE TABLE import(id INTEGER PRIMARY KEY);"                            \
    "CREATE TABLE snapshot(id INTEGER PRIMARY KEY, item_id INTEGER NOT NULL " \
    "REFERENCES item(id), observed_at INTEGER NOT NULL, import_id INTEGER "   \
    "REFERENCES import(id), UNIQUE (item_id, observed_at));"                  \
    "CREATE TABLE snapshot_value(snapshot_id INTEGER NOT NULL REFERENCES "    \
    "snapshot(id), metric_id INTEGER NOT NULL REFERENCES metric(id), ival "   \
    "INTEGER, rval REAL, PRIMARY KEY (snapshot_id, metric_id), CHECK ((ival " \
    "IS NULL) <> (rval IS NULL))) WITHOUT ROWID;"

/* Bare tables: a snapshot row and a value row per metric, no foreign
 * keys, default cache. */
#define PLAIN_BARE_SCHEMA                                                     \
    "CREATE TABLE snapshot(id INTEGER PRIMARY KEY, item_id INTEGER, "         \
    "observed_at INTEGER, UNIQUE(item_id, observed_at));"                     \
    "CREATE TABLE snapshot_value(snapshot_id INTEGER, metric_id INTEGER, "    \
    "ival INTEGER, PRIMARY KEY(snapshot_id, metric_id)) WITHOUT ROWID;"

static void plain_fail(sqlite3 *db)
{
    fprintf(stderr, "plain: %s\n", sqlite3_errmsg(db));
    exit(1);
}

/* The same snapshots as plain rows: one snapshot row and a value row per
 * metric, prepared statements, one transaction per round, journal_mode
 * WAL and synchronous FULL as the store. store_tables: the store's raw
 * table definitions and pragmas (foreign keys checked; the parent rows
 * are written before the clock starts), else bare tables. */
static double run_plain(size_t items, int64_t hours, const char *path,
                        bool store_tables, double *cpu)
{
    struct demo *g = bench_ingest_demo(items, hours);
    struct demo_values dv;
    sqlite3 *db;
    sqlite3_stmt *snap, *val;
    double t0;

    if (sqlite3_open(path, &db) != SQLITE_OK ||
        sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;",
                     NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_exec(db, store_tables ? PLAIN_STORE_SCHEMA : PLAIN_BARE_SCHEMA,
                     NULL, NULL, NULL) != SQLITE_OK)
        plain_fail(db);
    if (store_tables &&
        sqlite3_exec(db,
                     "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 "
                     "FROM n WHERE i < 100000) INSERT INTO item SELECT i "
                     "FROM n; WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL "
                     "SELECT i + 1 FROM n WHERE i < 64) INSERT INTO metric "
                     "SELECT i FROM n;",
                     NULL, NULL, NULL) != SQLITE_OK)
        plain_fail(db);
    if (sqlite3_prepare_v2(db,
                           "INSERT INTO snapshot(item_id, observed_at) "
                           "VALUES (?, ?)",
                           -1, &snap, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db,
                           "INSERT INTO snapshot_value(snapshot_id, "
                           "metric_id, ival) VALUES (?, ?, ?)",
                           -1, &val, NULL) != SQLITE_OK)
        plain_fail(db);
    *cpu = bench_cpu_s();
    t0 = bench_now_s();
    while (demo_step(g)) {
        sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
        for (size_t i = 0; i < demo_item_count(g); i++) {
            if (!demo_values(g, i, &dv))
                continue;
            sqlite3_bind_int64(snap, 1, (int64_t)i);
            sqlite3_bind_int64(snap, 2, dv.observed_at);
            if (sqlite3_step(snap) != SQLITE_DONE)
                plain_fail(db);
            sqlite3_reset(snap);
            for (size_t m = 0; m < dv.n; m++) {
                sqlite3_bind_int64(val, 1, sqlite3_last_insert_rowid(db));
                sqlite3_bind_int(val, 2, (int)m);
                sqlite3_bind_int64(val, 3, dv.v[m]);
                if (sqlite3_step(val) != SQLITE_DONE)
                    plain_fail(db);
                sqlite3_reset(val);
            }
        }
        if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
            plain_fail(db);
    }
    t0 = bench_now_s() - t0;
    *cpu = bench_cpu_s() - *cpu;
    sqlite3_finalize(snap);
    sqlite3_finalize(val);
    sqlite3_close(db);
    demo_destroy(g);
    return t0;
}

static void remove_db(const char *f)
{
    char side[4200];

    unlink(f);
    snprintf(side, sizeof side, "%s-wal", f);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", f);
    unlink(side);
}

int main(int argc, char **argv)
{
    size_t items = argc > 1 ? (size_t)strtoul(argv[1], NULL, 10) : 200;
    int64_t hours = argc > 2 ? strtoll(argv[2], NULL, 10) : 24 * 30;
    const char *dir = argc > 3 ? argv[3] : "/tmp";
    char a[4096], p[4096], q[4096];
    size_t rows, values;
    double ts, tp, tb, cs, cp, cb;
    struct io i0, i1, i2, i3;

    snprintf(a, sizeof a, "%s/bench-ingest-store-%d.db", dir, (int)getpid());
    snprintf(p, sizeof p, "%s/bench-ingest-plain-%d.db", dir, (int)getpid());
    snprintf(q, sizeof q, "%s/bench-ingest-bare-%d.db", dir, (int)getpid());
    if (items < 3 || items > DEMO_ITEMS_MAX || hours < 1 ||
        hours > DEMO_HOURS_MAX) {
        fprintf(stderr, "usage: bench_ingest [ITEMS >= 3] [HOURS] [DIR]\n");
        return 2;
    }
    i0 = io_now();
    ts = bench_run_store(items, hours, a, &rows, &values, &cs);
    i1 = io_now();
    tp = run_plain(items, hours, p, true, &cp);
    i2 = io_now();
    tb = run_plain(items, hours, q, false, &cb);
    i3 = io_now();
    printf("ingest: %zu items x %lld hours = %zu snapshots (%zu values)\n",
           items, (long long)hours, rows, values);
    /* The rest of the time is spent waiting, mostly for fsync. */
    printf("  store_ingest (values+latest+rollups):  %8.0f snapshots/s  "
           "(%.2f s, %.2f s CPU)\n", rows / ts, ts, cs);
    printf("  plain inserts, the store's raw tables: %8.0f snapshots/s  "
           "(%.2f s, %.2f s CPU)\n", rows / tp, tp, cp);
    printf("  plain inserts, bare tables:            %8.0f snapshots/s  "
           "(%.2f s, %.2f s CPU)\n", rows / tb, tb, cb);
    printf("  ratio store/plain: %.2f (store's tables), %.2f (bare)   peak "
           "RSS %ld KiB\n", tp / ts, tb / ts, peak_rss_kb());
    /* One commit per hour on every side: what each commit writes (WAL
     * frames of page size + 24 bytes, and the checkpoints' pages). */
    printf("  written per commit (/proc/self/io): store %.1f KiB in %.1f "
           "writes, plain %.1f KiB in %.1f, bare %.1f KiB in %.1f\n",
           (double)(i1.wchar - i0.wchar) / 1024.0 / (double)hours,
           (double)(i1.syscw - i0.syscw) / (double)hours,
           (double)(i2.wchar - i1.wchar) / 1024.0 / (double)hours,
           (double)(i2.syscw - i1.syscw) / (double)hours,
           (double)(i3.wchar - i2.wchar) / 1024.0 / (double)hours,
           (double)(i3.syscw - i2.syscw) / (double)hours);
    remove_db(a);
    remove_db(p);
    remove_db(q);
    return 0;
}
