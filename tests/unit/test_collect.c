/* The collector's pure policy (collect_next_due, backoff, the Pacific
 * quota day across DST), Graph usage headers, and the job state and quota
 * ledger in a real SQLite store. */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "collect/collect.h"
#include "core/timeutil.h"
#include "platforms/fetch.h"
#include "store/store.h"

#define H 3600
#define D 86400
#define T0 1717243200 /* 2024-06-01T12:00:00Z */

static void test_next_due(void **state)
{
    (void)state;
    /* never fetched: due now */
    assert_int_equal(collect_next_due(T0, TIME_NONE, T0 + 5), T0 + 5);
    /* first 2 days: hourly */
    assert_int_equal(collect_next_due(T0, T0, T0), T0 + H);
    assert_int_equal(collect_next_due(T0, T0 + 47 * H, T0), T0 + 48 * H);
    /* 2 days up to 7: every 6 hours */
    assert_int_equal(collect_next_due(T0, T0 + 2 * D, T0), T0 + 2 * D + 6 * H);
    assert_int_equal(collect_next_due(T0, T0 + 7 * D - 1, T0),
                     T0 + 7 * D - 1 + 6 * H);
    /* 7 days up to 30: daily */
    assert_int_equal(collect_next_due(T0, T0 + 7 * D, T0), T0 + 8 * D);
    assert_int_equal(collect_next_due(T0, T0 + 29 * D, T0), T0 + 30 * D);
    /* older: weekly */
    assert_int_equal(collect_next_due(T0, T0 + 30 * D, T0), T0 + 37 * D);
    assert_int_equal(collect_next_due(T0 - 400 * D, T0, T0), T0 + 7 * D);
    /* unknown publication: daily */
    assert_int_equal(collect_next_due(TIME_NONE, T0, T0), T0 + D);
    /* published after the fetch (clock skew): treated as fresh */
    assert_int_equal(collect_next_due(T0 + H, T0, T0), T0 + H);
}

static void test_backoff(void **state)
{
    (void)state;
    assert_int_equal(collect_backoff_s(1), 300);
    assert_int_equal(collect_backoff_s(2), 600);
    assert_int_equal(collect_backoff_s(3), 1200);
    assert_int_equal(collect_backoff_s(7), 19200);
    assert_int_equal(collect_backoff_s(8), 6 * H); /* 38400 capped */
    assert_int_equal(collect_backoff_s(1000), 6 * H);
}

static struct tz *la(void)
{
    struct tz *z = NULL;
    struct buf err;

    buf_init(&err, 512);
    assert_int_equal(tz_load("America/Los_Angeles", &z, &err), ERR_OK);
    buf_free(&err);
    return z;
}

static void test_quota_day(void **state)
{
    struct tz *z = la();

    (void)state;
    /* summer (PDT, -7): midnight is 07:00 UTC */
    assert_int_equal(collect_quota_day_start(z, 1717225199), 1717138800);
    assert_int_equal(collect_quota_reset(z, 1717225199), 1717225200);
    assert_int_equal(collect_quota_day_start(z, 1717225200), 1717225200);
    assert_int_equal(collect_quota_reset(z, 1717225200), 1717311600);
    /* 2024-03-10, spring forward: a 23-hour quota day */
    assert_int_equal(collect_quota_day_start(z, 1710072000), 1710057600);
    assert_int_equal(collect_quota_reset(z, 1710072000), 1710140400);
    assert_int_equal(1710140400 - 1710057600, 23 * H);
    /* 2024-11-03, fall back: a 25-hour quota day */
    assert_int_equal(collect_quota_day_start(z, 1730664000), 1730617200);
    assert_int_equal(collect_quota_reset(z, 1730664000), 1730707200);
    assert_int_equal(1730707200 - 1730617200, 25 * H);
    tz_destroy(z);
}

static void test_graph_usage(void **state)
{
    (void)state;
    assert_int_equal(fetch_graph_usage("", ""), -1);
    assert_int_equal(fetch_graph_usage("not json", NULL), -1);
    assert_int_equal(
        fetch_graph_usage("{\"call_count\":12,\"total_cputime\":85,"
                          "\"total_time\":30}", ""),
        85);
    assert_int_equal(
        fetch_graph_usage("{\"call_count\":1}",
                          "{\"1784\":[{\"type\":\"instagram\",\"call_count\":"
                          "91,\"total_cputime\":2,\"total_time\":3}]}"),
        91);
    /* out of range values are ignored */
    assert_int_equal(fetch_graph_usage("{\"call_count\":1e9}", ""), -1);
}

static void test_job_store(void **state)
{
    struct tu_store_fx *fx = *state;
    struct store_job j = {PLATFORM_YOUTUBE, "UC1", JOB_CONTENT, TIME_NONE,
                          T0, 0, JOB_OK, NULL};
    struct store_job got;
    int64_t units = -1;

    assert_int_equal(store_job_get(fx->st, PLATFORM_YOUTUBE, "UC1",
                                   JOB_CONTENT, &got), ERR_NOTFOUND);
    assert_int_equal(store_job_put(fx->st, &j), ERR_OK);
    j.last_fetch = T0;
    j.next_due = T0 + 600;
    j.failures = 2;
    j.status = JOB_QUOTA_EXCEEDED;
    j.last_error = "quota used up";
    assert_int_equal(store_job_put(fx->st, &j), ERR_OK);
    assert_int_equal(store_job_get(fx->st, PLATFORM_YOUTUBE, "UC1",
                                   JOB_CONTENT, &got), ERR_OK);
    assert_int_equal(got.last_fetch, T0);
    assert_int_equal(got.next_due, T0 + 600);
    assert_int_equal(got.failures, 2);
    assert_int_equal(got.status, JOB_QUOTA_EXCEEDED);
    assert_string_equal(got.last_error, "quota used up");
    assert_string_equal(job_status_name(got.status), "quota_exceeded");
    store_job_free(&got);
    assert_int_equal(store_job_get(fx->st, PLATFORM_YOUTUBE, "UC1",
                                   JOB_ACCOUNT, &got), ERR_NOTFOUND);

    assert_int_equal(store_quota_get(fx->st, PLATFORM_YOUTUBE, T0, &units),
                     ERR_OK);
    assert_int_equal(units, 0);
    assert_int_equal(store_quota_add(fx->st, PLATFORM_YOUTUBE, T0, 3), ERR_OK);
    assert_int_equal(store_quota_add(fx->st, PLATFORM_YOUTUBE, T0, 4), ERR_OK);
    assert_int_equal(store_quota_add(fx->st, PLATFORM_YOUTUBE, T0, -1),
                     ERR_INVALID);
    assert_int_equal(store_quota_get(fx->st, PLATFORM_YOUTUBE, T0, &units),
                     ERR_OK);
    assert_int_equal(units, 7);
    assert_int_equal(store_quota_get(fx->st, PLATFORM_YOUTUBE, T0 + D, &units),
                     ERR_OK);
    assert_int_equal(units, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_next_due),
        cmocka_unit_test(test_backoff),
        cmocka_unit_test(test_quota_day),
        cmocka_unit_test(test_graph_usage),
        cmocka_unit_test_setup_teardown(test_job_store, tu_store_setup,
                                        tu_store_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
