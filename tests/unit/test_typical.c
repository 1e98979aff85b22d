/* The typical curves of "vs typical" (analytics/typical.h) against
 * hand-computed values, and against report_vs_typical (the item page's,
 * one SQL read per item). */
#include "testutil.h"

#include <math.h>
#include <sqlite3.h>
#include <stdlib.h>

#include "analytics/report.h"
#include "analytics/typical.h"
#include "core/timeutil.h"

#define DAY 86400
#define D0 19000
#define T(d, h) (((int64_t)(D0 + (d))) * DAY + (h) * 3600)

#define fx tu_store_fx

static void put(struct fx *f, enum platform p, const char *id, int64_t pub,
                int64_t t, int64_t v)
{
    struct batch b;
    struct ingest_stats s;
    struct item *it;

    batch_init(&b);
    it = batch_item(&b, p, ITEM_CONTENT, id);
    item_set(&it->account_ext_id, "acct");
    item_set(&it->title, id);
    it->published_at = pub;
    assert_int_equal(
        metrics_set_i64(&item_snapshot_at(it, t)->metrics, M_VIEWS, v),
        ERR_OK);
    assert_int_equal(store_ingest(f->st, &b, NULL, &s, &f->err), ERR_OK);
    batch_free(&b);
}

/* YouTube, owned: p1 (published day 0) 100 on day 0, 300 on day 2, 500
 * on day 5; p2 (day 1) 10, 50, 90 on days 1, 2, 3; p3 (day 3) first
 * seen on day 4 with 40, 100 on day 6. Tracked: tr (day 0) 1000 on day
 * 0, 9000 on day 4. TikTok: lone (day 0) 5, 7 on days 0, 1. nopub has no
 * publication time.
 * Values by age (the last row on or before publication day + age, while
 * the item has a row that old):
 *   p1: 100 100 300 300 300 500   p2: 10 50 90   p3: - 40 40 100
 * so the YouTube curve is age 0 {10, 100}, 1 {40, 50, 100}, 2 {40, 90,
 * 300}, 3 {100, 300}, 4 {300}, 5 {500}. */
static int setup(void **state)
{
    struct fx *f;

    tu_store_setup(state);
    f = *state;
    put(f, PLATFORM_YOUTUBE, "p1", T(0, 10), T(0, 20), 100);
    put(f, PLATFORM_YOUTUBE, "p1", T(0, 10), T(2, 20), 300);
    put(f, PLATFORM_YOUTUBE, "p1", T(0, 10), T(5, 20), 500);
    put(f, PLATFORM_YOUTUBE, "p2", T(1, 8), T(1, 20), 10);
    put(f, PLATFORM_YOUTUBE, "p2", T(1, 8), T(2, 20), 50);
    put(f, PLATFORM_YOUTUBE, "p2", T(1, 8), T(3, 20), 90);
    put(f, PLATFORM_YOUTUBE, "p3", T(3, 9), T(4, 20), 40);
    put(f, PLATFORM_YOUTUBE, "p3", T(3, 9), T(6, 20), 100);
    put(f, PLATFORM_YOUTUBE, "tr", T(0, 9), T(0, 20), 1000);
    put(f, PLATFORM_YOUTUBE, "tr", T(0, 9), T(4, 20), 9000);
    put(f, PLATFORM_TIKTOK, "lone", T(0, 9), T(0, 20), 5);
    put(f, PLATFORM_TIKTOK, "lone", T(0, 9), T(1, 20), 7);
    put(f, PLATFORM_YOUTUBE, "nopub", TIME_NONE, T(1, 20), 70);
    tu_set_item_tracked(f->path, "tr");
    *state = f;
    return 0;
}

#define teardown tu_store_teardown

static void test_median_per_age(void **state)
{
    struct fx *f = *state;
    struct typical *t = NULL;
    static const double want[] = {55, 50, 90, 200, 300, 500};
    static const size_t want_n[] = {2, 3, 3, 2, 1, 1};
    size_t n;

    assert_int_equal(typical_build(f->st, &t), ERR_OK);
    for (int a = 0; a < 6; a++) {
        assert_true(typical_median(t, PLATFORM_YOUTUBE, a, &n) == want[a]);
        assert_int_equal(n, want_n[a]);
    }
    assert_true(typical_median(t, PLATFORM_YOUTUBE, 6, &n) == 0);
    assert_int_equal(n, 0);
    assert_true(typical_median(t, PLATFORM_YOUTUBE, -1, &n) == 0);
    assert_int_equal(n, 0);
    /* lone is the only TikTok item; Instagram has none. */
    assert_true(typical_median(t, PLATFORM_TIKTOK, 1, &n) == 7);
    assert_int_equal(n, 1);
    assert_true(typical_median(t, PLATFORM_INSTAGRAM, 0, &n) == 0);
    assert_int_equal(n, 0);
    typical_free(t);
}

static int64_t id_of(struct fx *f, const char *ref)
{
    struct item *it = NULL;
    int64_t id;

    assert_int_equal(store_item_find(f->st, ref, &it, &f->err), ERR_OK);
    id = it->id;
    item_destroy(it);
    return id;
}

struct want {
    const char *ref;
    int32_t age;
    int64_t views;
    size_t n;
    double median;
    bool has_ratio;
    double ratio;
};

static void test_items(void **state)
{
    struct fx *f = *state;
    struct typical *t = NULL;
    struct report_typical r;
    /* Each item against the others of its platform at its age: p1 at 5
     * has no peer (nobody else is 5 days old); p2 at 2 against {40, 300}
     * (its own 90 left out): 170; p3 at 3 against {300}; tr is tracked,
     * so at 4 against every owned item: {300}; lone has no peer. */
    static const struct want w[] = {
        {"youtube:p1", 5, 500, 0, 0, false, 0},
        {"youtube:p2", 2, 90, 2, 170, true, 90.0 / 170.0},
        {"youtube:p3", 3, 100, 1, 300, true, 100.0 / 300.0},
        {"youtube:tr", 4, 9000, 1, 300, true, 30},
        {"tiktok:lone", 1, 7, 0, 0, false, 0},
    };

    assert_int_equal(typical_build(f->st, &t), ERR_OK);
    for (size_t i = 0; i < sizeof w / sizeof w[0]; i++) {
        struct item *it = NULL;
        struct report_typical s;
        enum err rc;

        assert_true(typical_of(t, id_of(f, w[i].ref), &r));
        assert_int_equal(r.age_days, w[i].age);
        assert_int_equal(r.views, w[i].views);
        assert_int_equal(r.n, w[i].n);
        assert_true(r.median == w[i].median);
        assert_int_equal(r.has_ratio, w[i].has_ratio);
        assert_true(fabs(r.ratio - w[i].ratio) < 1e-12);
        /* The item page's numbers, read apart. */
        assert_int_equal(store_item_find(f->st, w[i].ref, &it, &f->err),
                         ERR_OK);
        assert_true(report_vs_typical(f->st, it, &s, &rc));
        assert_int_equal(rc, ERR_OK);
        assert_int_equal(s.age_days, r.age_days);
        assert_int_equal(s.views, r.views);
        assert_int_equal(s.n, r.n);
        assert_true(s.n == 0 || s.median == r.median);
        assert_int_equal(s.has_ratio, r.has_ratio);
        item_destroy(it);
    }
    /* No publication time; an id that is no item. */
    assert_false(typical_of(t, id_of(f, "youtube:nopub"), &r));
    assert_false(typical_of(t, 999999, &r));
    typical_free(t);
}

/* Nothing stored: every platform empty. */
static void test_empty(void **state)
{
    struct fx *f = *state;
    struct typical *t = NULL;
    struct report_typical r;
    size_t n;

    assert_int_equal(typical_build(f->st, &t), ERR_OK);
    assert_false(typical_of(t, 1, &r));
    assert_true(typical_median(t, PLATFORM_YOUTUBE, 0, &n) == 0);
    assert_int_equal(n, 0);
    typical_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_median_per_age, setup, teardown),
        cmocka_unit_test_setup_teardown(test_items, setup, teardown),
        cmocka_unit_test_setup_teardown(test_empty, tu_store_setup,
                                        tu_store_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
