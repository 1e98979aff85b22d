/* The sleep/readiness vs performance comparison (analytics/healthperf.c)
 * with exact numbers: the thresholds' edges (85 is high, 70 is not low),
 * days counted once per group, items on days without a score or with a
 * middle score in no group, averages over items. */
#include "testutil.h"

#include <math.h>

#include "analytics/healthperf.h"

static void test_groups(void **state)
{
    static const struct healthperf_day days[] = {
        {100, 90, 60}, {101, 65, 88}, {102, 75, -1},
        {103, 85, 70}, {104, 69, 84}, {106, -1, -1},
    };
    static const struct healthperf_item items[] = {
        {100, 100}, {101, 50}, {100, 300}, {102, 999},
        {103, 200}, {104, 10}, {105, 5000}, {106, 7},
    };
    struct healthperf h;
    (void)state;

    healthperf_of(days, 6, items, 8, &h);
    assert_int_equal(h.score_days, 5);
    assert_int_equal(h.readiness_high.days, 2);
    assert_int_equal(h.readiness_high.items, 3);
    assert_int_equal(h.readiness_high.views, 600);
    assert_true(fabs(h.readiness_high.avg_views - 200.0) < 1e-9);
    assert_int_equal(h.readiness_low.days, 2);
    assert_int_equal(h.readiness_low.items, 2);
    assert_int_equal(h.readiness_low.views, 60);
    assert_true(fabs(h.readiness_low.avg_views - 30.0) < 1e-9);
    assert_int_equal(h.sleep_high.days, 1);
    assert_int_equal(h.sleep_high.items, 1);
    assert_true(fabs(h.sleep_high.avg_views - 50.0) < 1e-9);
    assert_int_equal(h.sleep_low.days, 1);
    assert_int_equal(h.sleep_low.items, 2);
    assert_int_equal(h.sleep_low.views, 400);
    assert_true(fabs(h.sleep_low.avg_views - 200.0) < 1e-9);
}

static void test_empty(void **state)
{
    static const struct healthperf_day days[] = {{10, 90, 90}};
    struct healthperf h;
    (void)state;

    healthperf_of(NULL, 0, NULL, 0, &h);
    assert_int_equal(h.score_days, 0);
    assert_true(isnan(h.readiness_high.avg_views));
    assert_int_equal(h.sleep_low.items, 0);
    /* a high day without content: no days behind the figure */
    healthperf_of(days, 1, NULL, 0, &h);
    assert_int_equal(h.score_days, 1);
    assert_int_equal(h.readiness_high.days, 0);
    assert_true(isnan(h.readiness_high.avg_views));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_groups),
        cmocka_unit_test(test_empty),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
