/* Latency of full-text search (search_run, as the CLI, the API and MCP
 * call it) on a generated history: min, median and p99 per query over
 * RUNS runs, then p50 / p99 over all of them, and the time the index
 * fill of migration 0028 takes on this database.
 * usage: bench_search ITEMS HOURS DB [RUNS [HOURS_PER_BATCH]]
 * DB (a SQLite file or a PostgreSQL URI of an existing database) is
 * filled through store_ingest (which keeps the index) when it does not
 * exist or holds no item, and reused. Target (issue 18): p99 < 20 ms at 10k items. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analytics/search.h"
#include "core/timeutil.h"
#include "demo/demo.h"
#include "lib/demo_load.h"
#include "store/store.h"

/* CPU time of this thread: what a search costs, apart from the time the
 * machine makes it wait (the figures are taken on a shared machine). */
static double cpu_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* The generator as bench_queries uses it (bench_ingest_demo). */
static void build(struct store *st, size_t items, int64_t hours, int per)
{
    double t0 = bench_now_ms();
    struct demo *g = bench_ingest_demo(items, hours);
    size_t rows = demo_load(st, g, per, NULL);

    printf("built: %zu snapshots in %.1f s\n", rows,
           (bench_now_ms() - t0) / 1e3);
    demo_destroy(g);
}

struct bq {
    const char *name, *q;
    enum search_sort sort;
    const char *platform;
};

static const struct bq queries[] = {
    {"common word", "the", SEARCH_SORT_RELEVANCE, NULL},
    {"common word by views", "the", SEARCH_SORT_VIEWS, NULL},
    {"two words", "speedrun reset", SEARCH_SORT_RELEVANCE, NULL},
    {"prefix", "sp*", SEARCH_SORT_RELEVANCE, NULL},
    {"phrase", "\"the most\"", SEARCH_SORT_RELEVANCE, NULL},
    {"rare word", "hollowknight", SEARCH_SORT_RELEVANCE, NULL},
    {"platform + engagement", "gaming", SEARCH_SORT_ENGAGEMENT, "youtube"},
    {"no match", "zzzzqx", SEARCH_SORT_RELEVANCE, NULL},
    {"CJK (trigram)", "文化部", SEARCH_SORT_RELEVANCE, NULL},
};
#define NQ (sizeof queries / sizeof queries[0])

static void run_all(struct store *st, int runs)
{
    double *all = calloc(NQ * (size_t)runs, sizeof(double));
    double *allc = calloc(NQ * (size_t)runs, sizeof(double));
    double *t = calloc((size_t)runs, sizeof(double));
    double *c = calloc((size_t)runs, sizeof(double));
    size_t na = 0;
    struct buf err;

    buf_init(&err, 1024);
    printf("%-24s %8s  %-28s %s\n", "query", "hits",
           "wall min / median / p99 ms", "CPU min / median / p99 ms");
    for (size_t k = 0; k < NQ; k++) {
        struct search_request r = {.q = queries[k].q, .from = TIME_NONE,
                                   .to = TIME_NONE, .sort = queries[k].sort,
                                   .platform = queries[k].platform};
        struct search_result res = {0};
        int64_t total = 0;
        for (int i = 0; i < runs; i++) {
            double t0 = bench_now_ms(), c0 = cpu_ms();
            if (search_run(st, &r, &res, &err) != ERR_OK) {
                fprintf(stderr, "%s: %s\n", queries[k].q, buf_cstr(&err));
                exit(1);
            }
            t[i] = bench_now_ms() - t0;
            c[i] = cpu_ms() - c0;
            allc[na] = c[i];
            all[na++] = t[i];
            total = res.total;
            search_result_free(&res);
        }
        qsort(t, (size_t)runs, sizeof *t, bench_cmp_double);
        qsort(c, (size_t)runs, sizeof *c, bench_cmp_double);
        printf("%-24s %8lld  %6.2f / %6.2f / %7.2f     %6.2f / %6.2f / %6.2f\n",
               queries[k].name, (long long)total, t[0], t[runs / 2],
               t[(size_t)((runs - 1) * 0.99)], c[0], c[runs / 2],
               c[(size_t)((runs - 1) * 0.99)]);
    }
    qsort(all, na, sizeof *all, bench_cmp_double);
    qsort(allc, na, sizeof *allc, bench_cmp_double);
    printf("all %zu searches, wall: p50 %.2f ms, p99 %.2f ms, max %.2f ms\n",
           na, all[na / 2], all[(size_t)((na - 1) * 0.99)], all[na - 1]);
    printf("all %zu searches, CPU:  p50 %.2f ms, p99 %.2f ms, max %.2f ms\n",
           na, allc[na / 2], allc[(size_t)((na - 1) * 0.99)], allc[na - 1]);
    free(c);
    free(allc);
    free(t);
    free(all);
    buf_free(&err);
}

int main(int argc, char **argv)
{
    struct store *st = NULL;
    struct buf err;
    int runs, per;
    bool exists;

    if (argc < 4) {
        fprintf(stderr,
                "usage: bench_search ITEMS HOURS DB [RUNS [HOURS_PER_BATCH]]\n");
        return 2;
    }
    runs = argc > 4 ? (int)strtol(argv[4], NULL, 10) : 200;
    per = argc > 5 ? (int)strtol(argv[5], NULL, 10) : 24;
    if (runs < 1 || per < 1)
        return 2;
    setvbuf(stdout, NULL, _IOLBF, 0); /* figures as they come */
    exists = bench_file_exists(argv[3]);
    buf_init(&err, 4096);
    if (store_open(argv[3], &st, &err) != ERR_OK) {
        fprintf(stderr, "%s\n", buf_cstr(&err));
        return 1;
    }
    if (!bench_store_filled(argv[3], exists, st))
        build(st, (size_t)strtoull(argv[1], NULL, 10),
              strtoll(argv[2], NULL, 10), per);
    run_all(st, runs);
    store_close(st);
    buf_free(&err);
    return 0;
}
