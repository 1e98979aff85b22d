/* Ingest throughput: snapshots through store_ingest (values, latest,
 * daily rollups, one transaction per fetch round) next to plain prepared
 * SQLite inserts of the same rows into a bare table, in the same run.
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
#include "store/store.h"

static double now_s(void)
{
    return (double)time_mono_ms() / 1000.0;
}

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

/* The benchmark's data: ITEMS content items (and 3 accounts), HOURS
 * hours from 2023-01-01, seed 42. */
static struct demo *make_demo(size_t items, int64_t hours)
{
    struct demo_opts o;
    struct demo *d = NULL;
    struct buf err;

    buf_init(&err, 1024);
    demo_opts_default(&o, 1672531200 + (hours - 1) * 3600);
    o.items = items;
    o.hours = hours;
    o.seed = 42;
    o.publish_span = 0.25;
    if (demo_create(&o, &d, &err) != ERR_OK) {
        fprintf(stderr, "demo: %s\n", buf_cstr(&err));
        exit(1);
    }
    buf_free(&err);
    return d;
}

static double run_store(size_t items, int64_t hours, const char *path,
                        size_t *rows, size_t *values)
{
    struct demo *g = make_demo(items, hours);
    struct store *st = NULL;
    struct buf err;
    double t0;

    buf_init(&err, 4096);
    if (store_open(path, &st, &err) != ERR_OK) {
        fprintf(stderr, "%s\n", buf_cstr(&err));
        exit(1);
    }
    *rows = *values = 0;
    t0 = now_s();
    for (int64_t h = 0; h < hours; h++) {
        struct batch b;
        struct ingest_stats s;
        batch_init(&b);
        *rows += demo_hour(g, &b);
        if (store_ingest(st, &b, NULL, &s, &err) != ERR_OK) {
            fprintf(stderr, "ingest: %s\n", buf_cstr(&err));
            exit(1);
        }
        *values += s.values_new;
        batch_free(&b);
    }
    t0 = now_s() - t0;
    store_close(st);
    buf_free(&err);
    demo_destroy(g);
    return t0;
}

/* The same snapshots as plain rows: one snapshot row and a value row
 * per metric, prepared statements, one transaction per round, same
 * pragmas as the store. */
static double run_plain(size_t items, int64_t hours, const char *path)
{
    struct demo *g = make_demo(items, hours);
    struct demo_values dv;
    sqlite3 *db;
    sqlite3_stmt *snap, *val;
    double t0;

    if (sqlite3_open(path, &db) != SQLITE_OK ||
        sqlite3_exec(db,
                     "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                     "CREATE TABLE snapshot(id INTEGER PRIMARY KEY, item "
                     "INTEGER, t INTEGER, UNIQUE(item, t));"
                     "CREATE TABLE value(snapshot INTEGER, metric INTEGER, "
                     "v INTEGER, PRIMARY KEY(snapshot, metric)) WITHOUT "
                     "ROWID;",
                     NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "INSERT INTO snapshot(item, t) VALUES (?, ?)",
                           -1, &snap, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "INSERT INTO value VALUES (?, ?, ?)", -1, &val,
                           NULL) != SQLITE_OK) {
        fprintf(stderr, "plain: %s\n", sqlite3_errmsg(db));
        exit(1);
    }
    t0 = now_s();
    while (demo_step(g)) {
        sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
        for (size_t i = 0; i < demo_item_count(g); i++) {
            if (!demo_values(g, i, &dv))
                continue;
            sqlite3_bind_int64(snap, 1, (int64_t)i);
            sqlite3_bind_int64(snap, 2, dv.observed_at);
            sqlite3_step(snap);
            sqlite3_reset(snap);
            for (size_t m = 0; m < dv.n; m++) {
                sqlite3_bind_int64(val, 1, sqlite3_last_insert_rowid(db));
                sqlite3_bind_int(val, 2, (int)m);
                sqlite3_bind_int64(val, 3, dv.v[m]);
                sqlite3_step(val);
                sqlite3_reset(val);
            }
        }
        sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    }
    t0 = now_s() - t0;
    sqlite3_finalize(snap);
    sqlite3_finalize(val);
    sqlite3_close(db);
    demo_destroy(g);
    return t0;
}

int main(int argc, char **argv)
{
    size_t items = argc > 1 ? (size_t)strtoul(argv[1], NULL, 10) : 200;
    int64_t hours = argc > 2 ? strtoll(argv[2], NULL, 10) : 24 * 30;
    const char *dir = argc > 3 ? argv[3] : "/tmp";
    char a[4096], p[4096];
    size_t rows, values;
    double ts, tp;
    struct io i0, i1, i2;

    snprintf(a, sizeof a, "%s/bench-ingest-store-%d.db", dir, (int)getpid());
    snprintf(p, sizeof p, "%s/bench-ingest-plain-%d.db", dir, (int)getpid());
    if (items < 3 || hours < 1 || hours > DEMO_HOURS_MAX) {
        fprintf(stderr, "usage: bench_ingest [ITEMS >= 3] [HOURS] [DIR]\n");
        return 2;
    }
    i0 = io_now();
    ts = run_store(items, hours, a, &rows, &values);
    i1 = io_now();
    tp = run_plain(items, hours, p);
    i2 = io_now();
    printf("ingest: %zu items x %lld hours = %zu snapshots (%zu values)\n",
           items, (long long)hours, rows, values);
    printf("  store_ingest (values+latest+rollups): %8.0f snapshots/s  "
           "(%.2f s)\n", rows / ts, ts);
    printf("  plain prepared inserts:               %8.0f snapshots/s  "
           "(%.2f s)\n", rows / tp, tp);
    printf("  ratio store/plain: %.2f   peak RSS %ld KiB\n", tp / ts,
           peak_rss_kb());
    /* One commit per hour on both sides: what each commit writes (WAL
     * frames of page size + 24 bytes, and the checkpoints' pages). */
    printf("  written per commit: store %.1f KiB in %.1f writes, plain "
           "%.1f KiB in %.1f writes (/proc/self/io)\n",
           (double)(i1.wchar - i0.wchar) / 1024.0 / (double)hours,
           (double)(i1.syscw - i0.syscw) / (double)hours,
           (double)(i2.wchar - i1.wchar) / 1024.0 / (double)hours,
           (double)(i2.syscw - i1.syscw) / (double)hours);
    for (int k = 0; k < 2; k++) {
        const char *f = k ? p : a;
        char side[4200];
        unlink(f);
        snprintf(side, sizeof side, "%s-wal", f);
        unlink(side);
        snprintf(side, sizeof side, "%s-shm", f);
        unlink(side);
    }
    return 0;
}
