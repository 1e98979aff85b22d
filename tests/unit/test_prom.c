/* The Prometheus text writer (http/prom) and the process counters
 * (core/counters): escaping, histogram cumulativity and +Inf, bounded
 * label sets. */
#include "testutil.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "core/counters.h"
#include "http/prom.h"

static void test_family_and_escaping(void **state)
{
    struct buf b;
    struct prom_label l[2] = {{"route", "/a\"b\\c\nd"}, {"method", "GET"}};
    (void)state;

    buf_init(&b, 4096);
    assert_int_equal(prom_family(&b, "x_total", "counter",
                                 "help with \\ and\nnewline \"quoted\""),
                     ERR_OK);
    assert_int_equal(prom_sample_u64(&b, "x_total", l, 2, 18446744073709551615ull),
                     ERR_OK);
    assert_int_equal(prom_sample_u64(&b, "y", NULL, 0, 0), ERR_OK);
    assert_string_equal(
        buf_cstr(&b),
        "# HELP x_total help with \\\\ and\\nnewline \"quoted\"\n"
        "# TYPE x_total counter\n"
        "x_total{route=\"/a\\\"b\\\\c\\nd\",method=\"GET\"} "
        "18446744073709551615\n"
        "y 0\n");
    buf_free(&b);
}

static void test_float_values(void **state)
{
    struct buf b;
    (void)state;

    buf_init(&b, 4096);
    assert_int_equal(prom_sample_f64(&b, "a", NULL, 0, 0.25), ERR_OK);
    assert_int_equal(prom_sample_f64(&b, "b", NULL, 0, INFINITY), ERR_OK);
    assert_int_equal(prom_sample_f64(&b, "c", NULL, 0, -INFINITY), ERR_OK);
    assert_int_equal(prom_sample_f64(&b, "d", NULL, 0, NAN), ERR_OK);
    assert_string_equal(buf_cstr(&b), "a 0.25\nb +Inf\nc -Inf\nd NaN\n");
    buf_free(&b);
}

static void test_histogram_cumulative(void **state)
{
    static const double bounds[3] = {0.001, 0.0025, 1};
    const uint64_t counts[4] = {2, 0, 5, 3}; /* per bucket; last: over 1 */
    struct prom_label l = {"route", "/r"};
    struct buf b;
    (void)state;

    buf_init(&b, 4096);
    assert_int_equal(prom_histogram(&b, "h_seconds", &l, 1, bounds, 3,
                                    counts, 1.5),
                     ERR_OK);
    assert_string_equal(buf_cstr(&b),
                        "h_seconds_bucket{route=\"/r\",le=\"0.001\"} 2\n"
                        "h_seconds_bucket{route=\"/r\",le=\"0.0025\"} 2\n"
                        "h_seconds_bucket{route=\"/r\",le=\"1\"} 7\n"
                        "h_seconds_bucket{route=\"/r\",le=\"+Inf\"} 10\n"
                        "h_seconds_sum{route=\"/r\"} 1.5\n"
                        "h_seconds_count{route=\"/r\"} 10\n");
    buf_reset(&b);
    assert_int_equal(prom_histogram(&b, "n", NULL, 0, bounds, 0, counts, 0),
                     ERR_OK);
    assert_string_equal(buf_cstr(&b), "n_bucket{le=\"+Inf\"} 2\n"
                                      "n_sum 0\nn_count 2\n");
    buf_free(&b);
}

static void test_full_buffer(void **state)
{
    struct buf b;
    struct prom_label l = {"k", "a value longer than the buffer holds"};
    (void)state;

    buf_init(&b, 16);
    assert_int_equal(prom_sample_u64(&b, "name", &l, 1, 1), ERR_TOOBIG);
    buf_free(&b);
}

static void test_counters_requests(void **state)
{
    uint64_t buckets[COUNTERS_BUCKETS + 1], count, sum;
    unsigned s404 = COUNTERS_STATUS_OTHER;
    (void)state;

    for (unsigned i = 0; i < COUNTERS_STATUSES; i++)
        if (counters_status_at(i) == 404)
            s404 = i;
    assert_int_not_equal(s404, COUNTERS_STATUS_OTHER);
    counters_request(3, 404, 500000);         /* 0.5 ms: first bucket */
    counters_request(3, 404, 1000000);        /* exactly 1 ms: first */
    counters_request(3, 599, 20000000000ull); /* 20 s: +Inf only */
    counters_request(COUNTERS_ROUTES_MAX + 5, 200, 1); /* counts as 0 */
    assert_int_equal(counters_requests(3, s404), 2);
    assert_int_equal(counters_requests(3, COUNTERS_STATUS_OTHER), 1);
    counters_latency(3, buckets, &count, &sum);
    assert_int_equal(count, 3);
    assert_int_equal(buckets[0], 2);
    assert_int_equal(buckets[COUNTERS_BUCKETS], 1);
    assert_int_equal(sum, 500000ull + 1000000ull + 20000000000ull);
    counters_latency(0, buckets, &count, &sum);
    assert_int_equal(count, 1);
}

static void *claim(void *ud)
{
    (void)ud;
    for (int i = 0; i < 1000; i++) {
        counters_publish("youtube", COUNTERS_PUB_PUBLISHED);
        counters_call("tiktok", COUNTERS_CALL_OK);
    }
    return NULL;
}

/* Two threads naming the same platforms at once: one slot each, no
 * count lost; bad names and the overflow go to "other". */
static void test_counters_platforms(void **state)
{
    pthread_t t[2];
    unsigned yt = COUNTERS_PLATFORMS_MAX, n = 0;
    (void)state;

    for (int i = 0; i < 2; i++)
        assert_int_equal(pthread_create(&t[i], NULL, claim, NULL), 0);
    for (int i = 0; i < 2; i++)
        pthread_join(t[i], NULL);
    for (unsigned i = 0; i < COUNTERS_PLATFORMS_MAX - 1; i++) {
        const char *name = counters_platform_at(i);
        if (name != NULL && strcmp(name, "youtube") == 0) {
            yt = i;
            n++;
        }
    }
    assert_int_equal(n, 1);
    assert_int_equal(counters_publishes(yt, COUNTERS_PUB_PUBLISHED), 2000);
    counters_round("Bad Name\n", "ok", 0);
    for (int i = 0; i < 20; i++) { /* more names than slots */
        char name[16];
        snprintf(name, sizeof name, "p%d", i);
        counters_round(name, "weird", 3);
    }
    assert_string_equal(counters_platform_at(COUNTERS_PLATFORMS_MAX - 1),
                        "other");
    assert_true(counters_rounds(COUNTERS_PLATFORMS_MAX - 1,
                                COUNTERS_ROUND_OK) == 1);
    assert_true(counters_quota_units(COUNTERS_PLATFORMS_MAX - 1) > 0);
    assert_int_equal(counters_round_of("quota_exceeded"),
                     COUNTERS_ROUND_QUOTA_EXCEEDED);
    assert_int_equal(counters_call_of(0), COUNTERS_CALL_NETWORK_ERROR);
    assert_int_equal(counters_call_of(429), COUNTERS_CALL_RATE_LIMITED);
    assert_int_equal(counters_call_of(403), COUNTERS_CALL_AUTH_ERROR);
    assert_int_equal(counters_call_of(404), COUNTERS_CALL_CLIENT_ERROR);
    assert_int_equal(counters_call_of(502), COUNTERS_CALL_SERVER_ERROR);
    assert_int_equal(counters_call_of(200), COUNTERS_CALL_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_family_and_escaping),
        cmocka_unit_test(test_float_values),
        cmocka_unit_test(test_histogram_cumulative),
        cmocka_unit_test(test_full_buffer),
        cmocka_unit_test(test_counters_requests),
        cmocka_unit_test(test_counters_platforms),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
