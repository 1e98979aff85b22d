/* Latency of the dashboard's queries on a generated history: min, median
 * and p99 over repeated runs, and peak RSS.
 * usage: bench_queries ITEMS HOURS DB [RUNS [HOURS_PER_BATCH]]
 * DB (a SQLite file or a PostgreSQL URI of an existing database) is
 * filled through store_ingest when it does not exist or holds no item,
 * and reused.
 * BENCH_QUERIES=TEXT times only the queries whose name contains TEXT.
 * BENCH_QUERIES_END=ISO8601 (the last hour of a database made otherwise,
 * e.g. `mediadash demo --end` or a `db copy` of it) puts the 28 days at
 * that database's end instead of the generated history's: the queries
 * then run on whatever DB holds (it is never filled), its items 4 to 203
 * as the one-item queries. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "analytics/report.h"
#include "analytics/top.h"
#include "analytics/typical.h"
#include "core/timeutil.h"
#include "analytics/analytics.h"
#include "demo/demo.h"
#include "lib/demo_load.h"
#include "store/store.h"

/* Ingest the generator's history, per hours_per_batch hours per
 * transaction (1: as the collector does; more: fewer commits, for
 * building a large database quickly; the stored rows are the same). */
static void build(struct store *st, struct demo *g, int hours_per_batch)
{
    double t0 = bench_now_ms();
    size_t values;
    size_t rows = demo_load(st, g, hours_per_batch, &values);

    printf("built: %zu snapshots (%zu values) in %.1f s\n", rows, values,
           (bench_now_ms() - t0) / 1e3);
}

struct q {
    struct store *st;
    int32_t from, to;
    int64_t item_id;
    struct typical *typ; /* built once, as serve keeps it per generation */
};

static enum err count_fn(void *ud, const struct item *it)
{
    (*(size_t *)ud)++;
    (void)it;
    return ERR_OK;
}

static enum err gain_fn(void *ud, int64_t a, enum platform p, int32_t d,
                        int64_t g)
{
    (void)a, (void)p, (void)d, (void)g;
    (*(size_t *)ud)++;
    return ERR_OK;
}

/* The report over [from, q->to]. */
static void report_from(struct q *q, int32_t from)
{
    struct report_opts o = {from, q->to, -1, 10};
    struct report r;
    struct buf err;
    buf_init(&err, 1024);
    if (report_build(q->st, &o, &r, &err) == ERR_OK)
        report_free(&r);
    buf_free(&err);
}

static void q_report(struct q *q)
{
    report_from(q, q->from);
}

/* The report over the last 365 days (the dashboard's longest preset):
 * every content item's year of days in the spike walk. */
static void q_report_year(struct q *q)
{
    report_from(q, q->to - 365);
}

static void q_top(struct q *q)
{
    struct store_ranked *v = NULL;
    size_t n;
    if (top_gains(q->st, M_VIEWS, -1, q->from, q->to, 10, &v, &n) ==
        ERR_OK)
        free(v);
}

static void q_item_days(struct q *q)
{
    struct store_day *d = NULL;
    size_t n;
    if (store_item_days(q->st, q->item_id++ % 200 + 4, M_VIEWS, q->from,
                        q->to, &d, &n) == ERR_OK)
        free(d);
}

/* The item page's "vs typical": one item (loaded) against the median of
 * the other items of its platform at its age. */
static void q_vs_typical(struct q *q)
{
    struct item *it = NULL;
    struct report_typical t;
    enum err rc;
    if (store_item_by_id(q->st, q->item_id++ % 200 + 4, &it) == ERR_OK &&
        !report_vs_typical(q->st, it, &t, &rc) && rc != ERR_OK)
        fprintf(stderr, "vs typical failed\n");
    item_destroy(it);
}

static void q_content(struct q *q)
{
    struct item_query iq = {.type = ITEM_CONTENT, .platform = -1,
                            .sort = SORT_METRIC, .sort_metric = M_VIEWS,
                            .limit = 50};
    struct buf err;
    size_t n = 0;
    buf_init(&err, 1024);
    if (store_list_items(q->st, &iq, count_fn, &n, &err) != ERR_OK)
        fprintf(stderr, "content: %s\n", buf_cstr(&err));
    buf_free(&err);
}

/* What a data generation change costs "vs typical": the typical curves
 * rebuilt from one scan of item_day. */
static void q_typical_build(struct q *q)
{
    struct typical *t = NULL;
    if (typical_build(q->st, &t) != ERR_OK)
        fprintf(stderr, "typical curves failed\n");
    typical_free(t);
}

struct by_typ {
    const struct typical *t;
    double *key;
    size_t n, cap;
};

static enum err typ_fn(void *ud, const struct item *it)
{
    struct by_typ *b = ud;
    struct report_typical r;
    b->key = realloc(b->key, (b->n + 1) * sizeof *b->key);
    b->key[b->n++] = typical_of(b->t, it->id, &r) && r.has_ratio ? -r.ratio
                                                                 : 1e300;
    return ERR_OK;
}

static int cmp_key(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* GET /api/v1/content?sort=vs_typical with the curves cached (the
 * first call builds them): every content item listed with its latest
 * metrics, its ratio looked up, all sorted; the page is the first 50. */
static void q_content_typical(struct q *q)
{
    struct item_query iq = {.type = ITEM_CONTENT, .platform = -1,
                            .sort = SORT_PUBLISHED};
    struct by_typ b = {NULL, NULL, 0, 0};
    struct buf err;
    if (q->typ == NULL && typical_build(q->st, &q->typ) != ERR_OK)
        return;
    b.t = q->typ;
    buf_init(&err, 1024);
    if (store_list_items(q->st, &iq, typ_fn, &b, &err) != ERR_OK)
        fprintf(stderr, "content: %s\n", buf_cstr(&err));
    qsort(b.key, b.n, sizeof *b.key, cmp_key);
    free(b.key);
    buf_free(&err);
}

static void q_account_gains(struct q *q)
{
    size_t n = 0;
    if (store_account_gains(q->st, M_VIEWS, -1, q->from, q->to, gain_fn,
                            &n) != ERR_OK)
        fprintf(stderr, "account gains failed\n");
}

/* GET /api/v1/gains: views gained per account, day (the API sums per
 * platform). */
static void q_gains(struct q *q)
{
    q_account_gains(q);
}

struct heat {
    struct store *st;
    int32_t from, to;
    struct heatmap h;
};

static enum err heat_fn(void *ud, const struct store_content_sum *c)
{
    struct heat *x = ud;
    int32_t day;
    if (c->published_at == TIME_NONE)
        return ERR_OK;
    day = store_day_of(x->st, c->published_at);
    if (day >= x->from && day < x->to)
        report_heatmap_add_sum(x->st, c, &x->h);
    return ERR_OK;
}

/* GET /api/v1/heatmap over the whole history (every item published in
 * range: the worst case; the default 28 days hold none here). */
static void q_heatmap(struct q *q)
{
    struct heat x = {q->st, 0, q->to, {{0}, {0}}};
    heatmap_init(&x.h);
    if (store_content_sums(q->st, -1, heat_fn, &x) !=
        ERR_OK)
        fprintf(stderr, "heatmap failed\n");
}

/* GET /api/v1/engagement: five metrics' account gains, then the top 10
 * items by views, each loaded with its five metrics' days. */
static void q_engagement(struct q *q)
{
    static const char *const m[] = {M_VIEWS, M_LIKES, M_COMMENTS, M_SHARES,
                                    M_SAVES};
    struct store_ranked *v = NULL;
    size_t n = 0, k = 0;

    for (size_t i = 0; i < 5; i++)
        if (store_account_gains(q->st, m[i], -1, q->from, q->to, gain_fn,
                                &k) != ERR_OK)
            fprintf(stderr, "engagement failed\n");
    if (top_gains(q->st, M_VIEWS, -1, q->from, q->to, 10, &v, &n) !=
        ERR_OK)
        return;
    for (size_t i = 0; i < n; i++) {
        struct item *it = NULL;
        if (store_item_by_id(q->st, v[i].item_id, &it) == ERR_OK)
            item_destroy(it);
        for (size_t j = 0; j < 5; j++) {
            struct store_day *d = NULL;
            size_t nd;
            if (store_item_days(q->st, v[i].item_id, m[j], q->from, q->to,
                                &d, &nd) == ERR_OK)
                free(d);
        }
    }
    free(v);
}

/* One untimed-in-the-statistics first call (its time is printed as
 * "first": it fills the page cache, as the first request after another
 * process's write does), then runs timed calls: min, median and p99 by
 * nearest rank (of 100 runs the 99th, i.e. the second-worst). Until
 * 2026-11-25 the first call was among the runs and "p99" was the worst
 * of them. */
static void time_query(const char *name, void (*fn)(struct q *), struct q *q,
                       int runs)
{
    const char *only = getenv("BENCH_QUERIES");
    double *ms, first;
    size_t rank = ((size_t)runs * 99 + 99) / 100; /* ceil(0.99 runs) */

    /* BENCH_QUERIES=text: only the queries whose name contains it (the
     * typical curves take seconds each at 10M). */
    if (only != NULL && strstr(name, only) == NULL)
        return;
    ms = calloc((size_t)runs, sizeof *ms);
    first = bench_now_ms();
    fn(q);
    first = bench_now_ms() - first;
    for (int i = 0; i < runs; i++) {
        double t0 = bench_now_ms();
        fn(q);
        ms[i] = bench_now_ms() - t0;
    }
    qsort(ms, (size_t)runs, sizeof *ms, bench_cmp_double);
    printf("  %-28s min %8.2f  median %8.2f  p99 %8.2f ms  (first %.2f)\n",
           name, ms[0], ms[runs / 2], ms[rank - 1], first);
    free(ms);
}

int main(int argc, char **argv)
{
    size_t items = argc > 1 ? (size_t)strtoul(argv[1], NULL, 10) : 200;
    int64_t hours = argc > 2 ? strtoll(argv[2], NULL, 10) : 24 * 30;
    const char *path = argc > 3 ? argv[3] : "/tmp/bench-queries.db";
    int runs = argc > 4 ? (int)strtol(argv[4], NULL, 10) : 50;
    int per_batch = argc > 5 ? (int)strtol(argv[5], NULL, 10) : 1;
    if (runs < 1 || runs > 100000)
        runs = 50;
    if (per_batch < 1 || per_batch > 24 * 31)
        per_batch = 1;
    bool exists = bench_file_exists(path);
    const char *end_opt = getenv("BENCH_QUERIES_END");
    int64_t end;
    struct store *st = NULL;
    struct buf err;
    struct demo *g;
    struct q q;
    struct rusage ru;

    buf_init(&err, 4096);
    if (store_open(path, &st, &err) != ERR_OK) {
        fprintf(stderr, "%s\n", buf_cstr(&err));
        return 1;
    }
    if (items < 3 || hours < 1 || hours > DEMO_HOURS_MAX) {
        fprintf(stderr, "usage: bench_queries ITEMS(>=3) HOURS DB [RUNS]\n");
        return 2;
    }
    g = bench_ingest_demo(items, hours);
    if (end_opt != NULL) {
        if (time_parse_iso8601(end_opt, &end) != ERR_OK) {
            fprintf(stderr, "BENCH_QUERIES_END: not an ISO 8601 time\n");
            return 2;
        }
    } else {
        if (!bench_store_filled(path, exists, st))
            build(st, g, per_batch);
        end = demo_start(g) + (hours - 1) * 3600;
    }
    q.st = st;
    q.to = store_day_of(st, end) + 1;
    q.from = q.to - 28;
    q.item_id = 0;
    q.typ = NULL;
    printf("queries over the last 28 days, %d runs each (%s):\n", runs, path);
    time_query("report (whole overview)", q_report, &q, runs);
    time_query("report over 365 days", q_report_year, &q, runs);
    time_query("top 10 by views gained", q_top, &q, runs);
    time_query("one item's daily views", q_item_days, &q, runs);
    time_query("content sorted by views", q_content, &q, runs);
    time_query("gains per platform", q_gains, &q, runs);
    time_query("heatmap (all history)", q_heatmap, &q, runs);
    time_query("engagement (+ top 10 items)", q_engagement, &q, runs);
    time_query("item vs typical", q_vs_typical, &q, runs);
    time_query("typical curves (build)", q_typical_build, &q, runs);
    time_query("content by vs typical", q_content_typical, &q, runs);
    typical_free(q.typ);
    getrusage(RUSAGE_SELF, &ru);
    printf("  peak RSS %ld KiB\n", ru.ru_maxrss);
    store_close(st);
    demo_destroy(g);
    buf_free(&err);
    return 0;
}
