/* src/analytics against hand-computed values. */
#include "testutil.h"

#include <math.h>

#include "analytics/analytics.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void test_gains_lump_and_dip(void **state)
{
    /* days 10..14; day 12 has no snapshot; day 13 dips (spam removed). */
    const struct day_point p[] = {{10, 100}, {11, 150}, {13, 140}, {14, 200}};
    int64_t g[6];
    bool k[6];
    (void)state;
    assert_int_equal(analytics_daily_gains(p, N(p), NULL, 9, 15, GAP_LUMP,
                                           g, k),
                     ERR_OK);
    assert_false(k[0]); /* day 9: before data */
    assert_false(k[1]); /* day 10: first point, no base */
    assert_true(k[2]);
    assert_int_equal(g[2], 50);
    assert_false(k[3]); /* day 12: gap, lumped onto day 13 */
    assert_true(k[4]);
    assert_int_equal(g[4], -10); /* a dip is data */
    assert_int_equal(g[5], 60);
}

static void test_gains_interpolate_and_base(void **state)
{
    const struct day_point p[] = {{10, 5}, {14, 106}};
    const int64_t base = 0;
    int64_t g[5];
    bool k[5];
    (void)state;
    assert_int_equal(analytics_daily_gains(p, N(p), &base, 10, 15,
                                           GAP_INTERPOLATE, g, k),
                     ERR_OK);
    assert_true(k[0]);
    assert_int_equal(g[0], 5); /* published that day: gain from 0 */
    /* 101 over days 11..14: 25, 25, 25, 26 */
    assert_int_equal(g[1], 25);
    assert_int_equal(g[2], 25);
    assert_int_equal(g[3], 25);
    assert_int_equal(g[4], 26);
    assert_true(k[1] && k[2] && k[3] && k[4]);
}

static void test_gains_range_edges(void **state)
{
    const struct day_point p[] = {{1, 10}, {2, 20}, {3, 35}, {4, 40}};
    const struct day_point bad[] = {{2, 1}, {2, 2}};
    int64_t g[2];
    bool k[2];
    (void)state;
    /* Only days 2 and 3 asked for; day 2's gain still uses day 1. */
    assert_int_equal(analytics_daily_gains(p, N(p), NULL, 2, 4, GAP_LUMP, g,
                                           k),
                     ERR_OK);
    assert_int_equal(g[0], 10);
    assert_int_equal(g[1], 15);
    assert_int_equal(analytics_daily_gains(bad, N(bad), NULL, 0, 2, GAP_LUMP,
                                           g, k),
                     ERR_INVALID);
    assert_int_equal(analytics_daily_gains(p, N(p), NULL, 3, 2, GAP_LUMP, g,
                                           k),
                     ERR_INVALID);
}

static void test_growth(void **state)
{
    const struct day_point p[] = {{1, 10}, {5, 50}, {9, 45}, {12, 80}};
    int64_t v;
    (void)state;
    assert_true(analytics_growth(p, N(p), 5, 10, &v));
    assert_int_equal(v, 35); /* 45 (day 9) - 10 (day 1, before range) */
    assert_true(analytics_growth(p, N(p), 6, 10, &v));
    assert_int_equal(v, -5); /* 45 - 50: shrinking is growth < 0 */
    assert_true(analytics_growth(p, N(p), 0, 3, &v));
    assert_int_equal(v, 0); /* only one point in range, none before */
    assert_false(analytics_growth(p, N(p), 13, 20, &v)); /* after data */
    assert_false(analytics_growth(p, N(p), 2, 4, &v));   /* no data in it */
}

static void test_median_mad(void **state)
{
    double a[] = {5, 1, 3};
    double b[] = {4, 1, 3, 2};
    double c[] = {1, 1, 2, 2, 4, 6, 9};
    double med;
    (void)state;
    assert_true(analytics_median(a, 3) == 3.0);
    assert_true(analytics_median(b, 4) == 2.5);
    med = analytics_median(c, 7);
    assert_true(med == 2.0);
    assert_true(analytics_mad(c, 7, med) == 1.0); /* |dev| 1,1,0,0,2,4,7 */
}

static void test_spikes(void **state)
{
    /* 10 quiet days around 100, then a viral day, then quiet again. */
    int64_t g[] = {98, 102, 100, 101, 99, 100, 103, 97, 100, 101, 2500, 104};
    bool k[N(g)];
    struct spike s[4];
    size_t n;
    (void)state;
    for (size_t i = 0; i < N(g); i++)
        k[i] = true;
    n = analytics_spikes(g, k, N(g), 0, 7, 5, 6.0, 50, s, 4);
    assert_int_equal(n, 1);
    assert_int_equal(s[0].index, 10);
    assert_int_equal(s[0].gain, 2500);
    assert_true(s[0].baseline == 100.0);
    assert_true(s[0].score > 100);
    /* Not enough history: nothing can be called a spike. */
    assert_int_equal(analytics_spikes(g, k, 3, 0, 7, 5, 6.0, 50, s, 4), 0);
    /* A flat zero history still scores (MAD floored at 1). */
    {
        int64_t z[] = {0, 0, 0, 0, 0, 40};
        bool kz[] = {true, true, true, true, true, true};
        assert_int_equal(analytics_spikes(z, kz, 6, 0, 7, 5, 6.0, 10, s, 4), 1);
        assert_int_equal(s[0].index, 5);
    }
    /* A history of dips (views removed): the baseline is -100, so a gain
     * of 10 is 110 above it, a spike, though below min_excess itself;
     * -60 is 40 above, not one. */
    {
        int64_t d[] = {-100, -100, -100, -100, -100, 10, -100, -60};
        bool kd[] = {true, true, true, true, true, true, true, true};
        assert_int_equal(analytics_spikes(d, kd, 8, 0, 7, 5, 6.0, 50, s, 4),
                         1);
        assert_int_equal(s[0].index, 5);
        assert_true(s[0].baseline == -100.0);
    }
    /* Days before first are history only: from 11 on, day 10 is not
     * judged; from 10 on it is. */
    assert_int_equal(analytics_spikes(g, k, N(g), 11, 7, 5, 6.0, 50, s, 4), 0);
    assert_int_equal(analytics_spikes(g, k, N(g), 10, 7, 5, 6.0, 50, s, 4), 1);
    /* Unknown days are neither judged nor history. */
    k[10] = false;
    assert_int_equal(analytics_spikes(g, k, N(g), 0, 7, 5, 6.0, 50, s, 4), 0);
}

/* One item's spike days summed up as one run: hand-computed below. */
static void test_spike_run(void **state)
{
    /* Index 0..7 quiet at 100, then 3000, 1500, 400 and quiet again. */
    int64_t g[] = {100, 100, 100, 100, 100,  100, 100,
                   100, 3000, 1500, 400, 100, 120};
    bool k[N(g)];
    struct spike s[N(g)];
    struct spike_run r;
    size_t n;
    (void)state;
    for (size_t i = 0; i < N(g); i++)
        k[i] = true;
    /* Day 8: 7 x 100 before, +2900. Day 9: median of 6 x 100 and 3000
     * is 100, MAD 0 (floored at 1): +1400. Day 10: median 100, +300.
     * Day 11: +0. Day 12: median of 100 x 4, 400, 1500, 3000 = 100, +20
     * is under min_excess. */
    n = analytics_spikes(g, k, N(g), 7, 7, 5, 6.0, 50, s, N(g));
    assert_int_equal(n, 3);
    assert_int_equal(s[0].index, 8);
    assert_int_equal(s[1].index, 9);
    assert_int_equal(s[2].index, 10);
    assert_true(analytics_spike_run(g, k, N(g), 7, s, n, &r));
    assert_int_equal(r.peak, 8);
    assert_int_equal(r.gain, 3000);
    assert_true(r.baseline == 100.0);
    assert_true(fabs(r.score - 2900.0 / 1.4826) < 1e-9);
    /* Days 8, 9, 10 above 100 (day 7 at 100 and day 11 at 100 are not):
     * 2900 + 1400 + 300. */
    assert_int_equal(r.days, 3);
    assert_true(r.excess == 4600.0);
    /* An unknown day inside the run neither ends nor counts. */
    k[9] = false;
    n = analytics_spikes(g, k, N(g), 7, 7, 5, 6.0, 50, s, N(g));
    assert_int_equal(n, 2);
    assert_true(analytics_spike_run(g, k, N(g), 7, s, n, &r));
    assert_int_equal(r.days, 2);
    assert_true(r.excess == 3200.0);
    /* The peak is the largest gain, even when a later, smaller day has
     * a higher score; the score reported is the highest. */
    {
        struct spike two[] = {{3, 500, 10.0, 4.0}, {5, 400, 0.0, 9.0}};
        int64_t h[] = {0, 0, 0, 500, 20, 400, 5};
        bool kh[] = {true, true, true, true, true, true, true};
        assert_true(analytics_spike_run(h, kh, 7, 2, two, 2, &r));
        assert_int_equal(r.peak, 3);
        assert_int_equal(r.gain, 500);
        assert_true(r.score == 9.0);
        /* Around index 3 above 10: 3 (490), 4 (10), 5 (390), stop at 6
         * (5); index 2 (0) stops the walk back. */
        assert_int_equal(r.days, 3);
        assert_true(r.excess == 890.0);
        /* The walk back stops at first: from 4 on, only 4.. count. */
        assert_true(analytics_spike_run(h, kh, 7, 3, two, 2, &r));
        assert_int_equal(r.days, 3);
    }
    assert_false(analytics_spike_run(g, k, N(g), 7, s, 0, &r));
}

static void test_top_k(void **state)
{
    struct scored v[] = {{1, 5}, {2, 50}, {3, -4}, {4, 50}, {5, 7}};
    (void)state;
    assert_int_equal(analytics_top_k(v, 5, 3), 3);
    assert_int_equal(v[0].id, 2); /* tie on 50: lower id first */
    assert_int_equal(v[1].id, 4);
    assert_int_equal(v[2].id, 5);
    assert_int_equal(analytics_top_k(v, 5, 10), 5);
}

static void test_engagement(void **state)
{
    double e;
    (void)state;
    assert_true(analytics_engagement(80, 15, 3, 2, 1000, &e));
    assert_true(fabs(e - 0.1) < 1e-12);
    assert_false(analytics_engagement(1, 1, 1, 1, 0, &e));
}

static void test_heatmap(void **state)
{
    struct heatmap h;
    double m;
    (void)state;
    heatmap_init(&h);
    heatmap_add(&h, 2, 18, 100); /* Tuesday 18:00 */
    heatmap_add(&h, 2, 18, 300);
    heatmap_add(&h, 6, 9, 1000); /* Saturday 09:00, one item only */
    heatmap_add(&h, 7, 0, 5);    /* out of range: ignored */
    heatmap_add(&h, 0, 24, 5);
    assert_true(heatmap_mean(&h, 2 * 24 + 18, &m));
    assert_true(m == 200.0);
    assert_false(heatmap_mean(&h, 0, &m));
    assert_int_equal(heatmap_best(&h, 1), 6 * 24 + 9);
    assert_int_equal(heatmap_best(&h, 2), 2 * 24 + 18);
    assert_int_equal(heatmap_best(&h, 3), -1);
}

static void test_curve(void **state)
{
    const struct sample s[] = {{1000 + 3600, 100}, {1000 + 7200, 300},
                               {1000 + 86400, 1000}};
    const int64_t ages[] = {0, 3600, 5400, 86400, 90000};
    double v[5];
    bool k[5];
    (void)state;
    analytics_curve(s, 3, 1000, ages, 5, v, k);
    assert_false(k[0]); /* before the first sample */
    assert_true(k[1] && v[1] == 100.0);
    assert_true(k[2] && v[2] == 200.0); /* halfway */
    assert_true(k[3] && v[3] == 1000.0);
    assert_false(k[4]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gains_lump_and_dip),
        cmocka_unit_test(test_gains_interpolate_and_base),
        cmocka_unit_test(test_gains_range_edges),
        cmocka_unit_test(test_growth),
        cmocka_unit_test(test_median_mad),
        cmocka_unit_test(test_spikes),
        cmocka_unit_test(test_spike_run),
        cmocka_unit_test(test_top_k),
        cmocka_unit_test(test_engagement),
        cmocka_unit_test(test_heatmap),
        cmocka_unit_test(test_curve),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
