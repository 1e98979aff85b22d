/* Ingest throughput: snapshots through store_ingest (values, latest,
 * daily rollups, one transaction per fetch round) next to plain prepared
 * SQLite inserts of the same rows into a bare table, in the same run.
 * usage: bench_ingest [ITEMS] [HOURS] [DIR] */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <unistd.h>

#include "core/timeutil.h"
#include "gen.h"
#include "store/store.h"

static double now_s(void)
{
    return (double)time_mono_ms() / 1000.0;
}

static long peak_rss_kb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

static double run_store(struct gen *g, const char *path, size_t *rows)
{
    struct store *st = NULL;
    struct buf err;
    double t0;

    buf_init(&err, 4096);
    if (store_open(path, &st, &err) != ERR_OK) {
        fprintf(stderr, "%s\n", buf_cstr(&err));
        exit(1);
    }
    *rows = 0;
    t0 = now_s();
    for (int64_t h = 0; h < g->hours; h++) {
        struct batch b;
        struct ingest_stats s;
        batch_init(&b);
        *rows += gen_hour(g, h, &b);
        if (store_ingest(st, &b, NULL, &s, &err) != ERR_OK) {
            fprintf(stderr, "ingest: %s\n", buf_cstr(&err));
            exit(1);
        }
        batch_free(&b);
    }
    t0 = now_s() - t0;
    store_close(st);
    buf_free(&err);
    return t0;
}

/* The same snapshots as plain rows: one snapshot row and three value
 * rows each, prepared statements, one transaction per round, same
 * pragmas as the store. */
static double run_plain(struct gen *g, const char *path)
{
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
    for (int64_t h = 0; h < g->hours; h++) {
        int64_t t = g->start + h * 3600;
        sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
        for (size_t i = 0; i < g->items; i++) {
            int64_t v[3];
            if (gen_published(g, i) > t)
                continue;
            gen_values(g, i, h, &v[0], &v[1], &v[2]);
            sqlite3_bind_int64(snap, 1, (int64_t)i);
            sqlite3_bind_int64(snap, 2, t);
            sqlite3_step(snap);
            sqlite3_reset(snap);
            for (int m = 0; m < 3; m++) {
                sqlite3_bind_int64(val, 1, sqlite3_last_insert_rowid(db));
                sqlite3_bind_int(val, 2, m);
                sqlite3_bind_int64(val, 3, v[m]);
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
    return t0;
}

int main(int argc, char **argv)
{
    size_t items = argc > 1 ? (size_t)strtoul(argv[1], NULL, 10) : 200;
    int64_t hours = argc > 2 ? strtoll(argv[2], NULL, 10) : 24 * 30;
    const char *dir = argc > 3 ? argv[3] : "/tmp";
    char a[4096], p[4096];
    struct gen g;
    size_t rows;
    double ts, tp;

    snprintf(a, sizeof a, "%s/bench-ingest-store-%d.db", dir, (int)getpid());
    snprintf(p, sizeof p, "%s/bench-ingest-plain-%d.db", dir, (int)getpid());
    gen_init(&g, items, hours, 42);
    ts = run_store(&g, a, &rows);
    tp = run_plain(&g, p);
    printf("ingest: %zu items x %lld hours = %zu snapshots (%zu values)\n",
           items, (long long)hours, rows, rows * 3);
    printf("  store_ingest (values+latest+rollups): %8.0f snapshots/s  "
           "(%.2f s)\n", rows / ts, ts);
    printf("  plain prepared inserts:               %8.0f snapshots/s  "
           "(%.2f s)\n", rows / tp, tp);
    printf("  ratio store/plain: %.2f   peak RSS %ld KiB\n", tp / ts,
           peak_rss_kb());
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
