/* The report's top list and spikes against a reference: the per-item
 * computation the report made before its walk read the rollups in day
 * order (each owned content item's days read on their own, judged by
 * analytics_spikes and analytics_spike_run over the whole span, kept in
 * item order), on a generated history with many spikes, gaps, items
 * published late, tracked items and three platforms; for several
 * ranges, platforms and top sizes, ranges without data included. */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "analytics/report.h"
#include "core/alloc.h"

#define DAY 86400
#define D0 19000 /* 2022-01-08 */
#define DAYS 130
#define PER_ACCOUNT 30
#define WINDOW 14 /* report.c's SPIKE_WINDOW, MIN_HISTORY, THRESHOLD, ... */
#define MIN_HISTORY 7
#define THRESHOLD 6.0
#define MIN_EXCESS 50
#define SPIKES_MAX 20

#define fx tu_store_fx

static uint64_t rnd_state = 42;

static uint32_t rnd(uint32_t n)
{
    rnd_state = rnd_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (uint32_t)(rnd_state >> 33) % n;
}

static const char *const accounts[PLATFORM_COUNT] = {"acc_yt", "acc_ig",
                                                     "acc_tt"};

struct gen {
    int64_t views[PLATFORM_COUNT][PER_ACCOUNT];
    int start[PLATFORM_COUNT][PER_ACCOUNT];
};

/* One day of every item: a snapshot at a random hour, some days none
 * (a gap), some days a spike of 20 to 100 times the usual gain. */
static void ingest_day(struct fx *f, struct gen *g, int d)
{
    struct batch b;
    struct ingest_stats s;
    char id[32];

    batch_init(&b);
    for (int p = 0; p < PLATFORM_COUNT; p++)
        for (int k = 0; k < PER_ACCOUNT; k++) {
            struct item *it;
            int64_t t = (int64_t)(D0 + d) * DAY + rnd(24) * 3600;
            uint32_t r = rnd(100);
            int64_t add;
            if (d < g->start[p][k] || r < 8)
                continue;
            add = 10 + rnd(200);
            if (r >= 96)
                add += (int64_t)(20 + rnd(80)) * (100 + rnd(50));
            /* Every seventh item with views to lose loses some for twelve
             * days (views taken back as spam), then gains under
             * MIN_EXCESS: a spike only against a window of negative
             * gains (the walk's shortcut for small gains must see it). */
            if (k % 7 == 3 && d >= 60 && d < 72 && g->views[p][k] > 5000)
                add = -(int64_t)(300 + rnd(3));
            else if (k % 7 == 3 && d >= 72 && d < 75)
                add = 20 + rnd(25);
            g->views[p][k] += add;
            snprintf(id, sizeof id, "c%d_%d", p, k);
            it = batch_item(&b, (enum platform)p, ITEM_CONTENT, id);
            item_set(&it->account_ext_id, accounts[p]);
            item_set(&it->title, id);
            it->published_at = (int64_t)(D0 + g->start[p][k]) * DAY + 3600;
            assert_int_equal(metrics_set_i64(&item_snapshot_at(it, t)->metrics,
                                             M_VIEWS, g->views[p][k]),
                             ERR_OK);
        }
    if (b.n > 0)
        assert_int_equal(store_ingest(f->st, &b, NULL, &s, &f->err), ERR_OK);
    batch_free(&b);
}

static int setup(void **state)
{
    struct fx *f;
    struct gen g;

    tu_store_setup(state);
    f = *state;
    memset(&g, 0, sizeof g);
    for (int p = 0; p < PLATFORM_COUNT; p++)
        for (int k = 0; k < PER_ACCOUNT; k++)
            g.start[p][k] = k % 3 == 0 ? (int)rnd(90) : 0;
    for (int d = 0; d < DAYS; d++)
        ingest_day(f, &g, d);
    /* Someone else's: never in the top list or the spikes. */
    tu_set_item_tracked(f->path, "c0_1");
    tu_set_item_tracked(f->path, "c1_4");
    tu_set_item_tracked(f->path, "c2_7");
    *state = f;
    return 0;
}

#define teardown tu_store_teardown

struct ids {
    int64_t *id;
    size_t n, cap;
};

static enum err on_sum(void *ud, const struct store_content_sum *c)
{
    struct ids *x = ud;
    x->id = xgrow(x->id, &x->cap, x->n + 1, sizeof *x->id);
    x->id[x->n++] = c->item_id;
    return ERR_OK;
}

struct ref {
    struct store_ranked *top;
    size_t ntop, top_cap;
    struct report_spike sp[SPIKES_MAX];
    int64_t sp_item[SPIKES_MAX];
    size_t nsp;
};

/* The report before: kept in item order, the weakest replaced. */
static void ref_keep(struct ref *x, int64_t id, int32_t from,
                     const struct spike_run *run)
{
    size_t at = x->nsp;
    if (x->nsp == SPIKES_MAX) {
        at = 0;
        for (size_t i = 1; i < x->nsp; i++)
            if (x->sp[i].score < x->sp[at].score)
                at = i;
        if (x->sp[at].score >= run->score)
            return;
    } else {
        x->nsp++;
    }
    x->sp[at] = (struct report_spike){
        NULL,       from + (int32_t)run->peak, run->gain,  run->baseline,
        run->score, (int32_t)run->days,        run->excess};
    x->sp_item[at] = id;
}

/* One item: its gains in range and its run, from its own days. */
static void ref_item(struct fx *f, int64_t id, int32_t from, int32_t to,
                     size_t span, struct ref *x)
{
    int64_t *gain = xcalloc(span, sizeof *gain), sum = 0;
    bool *known = xcalloc(span, sizeof *known), in_range = false;
    struct spike *sp = xcalloc(span, sizeof *sp);
    struct store_day *days = NULL;
    struct spike_run run;
    int32_t w0 = from - WINDOW;
    size_t n = 0, found;

    assert_int_equal(store_item_days(f->st, id, M_VIEWS, w0, to, &days, &n),
                     ERR_OK);
    for (size_t j = 0; j < n; j++) {
        if (!days[j].has_gain || days[j].day < w0 || days[j].day >= to)
            continue;
        gain[days[j].day - w0] = days[j].gain;
        known[days[j].day - w0] = true;
        if (days[j].day >= from) {
            sum += days[j].gain;
            in_range = true;
        }
    }
    if (in_range) {
        x->top = xgrow(x->top, &x->top_cap, x->ntop + 1, sizeof *x->top);
        x->top[x->ntop++] = (struct store_ranked){id, sum};
    }
    found = analytics_spikes(gain, known, span, WINDOW, WINDOW, MIN_HISTORY,
                             THRESHOLD, MIN_EXCESS, sp, span);
    if (analytics_spike_run(gain, known, span, WINDOW, sp, found, &run))
        ref_keep(x, id, w0, &run);
    free(days);
    free(gain);
    free(known);
    free(sp);
}

static int cmp_top(const void *a, const void *b)
{
    const struct store_ranked *x = a, *y = b;
    if (x->gain != y->gain)
        return x->gain < y->gain ? 1 : -1;
    return (x->item_id > y->item_id) - (x->item_id < y->item_id);
}

/* Spikes in the report's order: strongest first, then earlier day; the
 * item ids ride along in a copy. */
struct sp_ref {
    struct report_spike s;
    int64_t item;
};
static int cmp_sp(const void *a, const void *b)
{
    const struct sp_ref *x = a, *y = b;
    if (x->s.score != y->s.score)
        return x->s.score < y->s.score ? 1 : -1;
    return (x->s.day > y->s.day) - (x->s.day < y->s.day);
}

/* Returns the number of spikes compared (to show the data has some). */
static size_t check(struct fx *f, int32_t from, int32_t to, int platform,
                    size_t top_n)
{
    struct report_opts o = {from, to, platform, top_n};
    struct ids ids = {NULL, 0, 0};
    struct ref x;
    struct sp_ref sp[SPIKES_MAX];
    struct report r;

    memset(&x, 0, sizeof x);
    assert_int_equal(store_content_sums(f->st, platform, on_sum, &ids),
                     ERR_OK);
    for (size_t k = 0; k < ids.n; k++)
        ref_item(f, ids.id[k], from, to, (size_t)(to - from + WINDOW), &x);
    if (x.ntop > 1)
        qsort(x.top, x.ntop, sizeof *x.top, cmp_top);
    for (size_t i = 0; i < x.nsp; i++)
        sp[i] = (struct sp_ref){x.sp[i], x.sp_item[i]};
    qsort(sp, x.nsp, sizeof *sp, cmp_sp);

    assert_int_equal(report_build(f->st, &o, &r, &f->err), ERR_OK);
    assert_int_equal(r.ntop, x.ntop < top_n ? x.ntop : top_n);
    for (size_t i = 0; i < r.ntop; i++) {
        assert_int_equal(r.top[i].item->id, x.top[i].item_id);
        assert_int_equal(r.top[i].gain, x.top[i].gain);
    }
    assert_int_equal(r.nspikes, x.nsp);
    for (size_t i = 0; i < r.nspikes; i++) {
        assert_int_equal(r.spikes[i].item->id, sp[i].item);
        assert_int_equal(r.spikes[i].day, sp[i].s.day);
        assert_int_equal(r.spikes[i].gain, sp[i].s.gain);
        assert_true(r.spikes[i].baseline == sp[i].s.baseline);
        assert_true(r.spikes[i].score == sp[i].s.score);
        assert_int_equal(r.spikes[i].days_above, sp[i].s.days_above);
        assert_true(r.spikes[i].excess == sp[i].s.excess);
    }
    report_free(&r);
    free(ids.id);
    free(x.top);
    return x.nsp;
}

static void test_walk_matches_per_item(void **state)
{
    struct fx *f = *state;
    static const int32_t ranges[][2] = {
        {D0 + DAYS - 7, D0 + DAYS},       /* the last week */
        {D0 + DAYS - 28, D0 + DAYS},      /* 28 days */
        {D0 + DAYS - 90, D0 + DAYS},      /* 90 days */
        {D0, D0 + DAYS},                  /* everything */
        {D0 - 200, D0 + DAYS + 100},      /* more than everything */
        {D0 + 20, D0 + 21},               /* one day */
        {D0 + 3, D0 + 40},                /* the window before the data */
        {D0 + DAYS + 10, D0 + DAYS + 38}, /* no data: after */
        {D0 - 100, D0 - 10},              /* no data: before */
    };
    size_t spikes = 0;

    for (size_t i = 0; i < sizeof ranges / sizeof ranges[0]; i++)
        for (int p = -1; p < PLATFORM_COUNT; p++) {
            spikes += check(f, ranges[i][0], ranges[i][1], p, 10);
            if (p == -1)
                spikes += check(f, ranges[i][0], ranges[i][1], p, 500);
        }
    /* The data has spikes, and more than a list holds. */
    assert_true(spikes > 100);
    assert_int_equal(check(f, D0, D0 + DAYS, -1, 10), SPIKES_MAX);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_walk_matches_per_item, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
