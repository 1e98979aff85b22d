/* The shared per-document import (ingest_document), bounded item history
 * and the report's heatmap helper, on real database files and fixtures. */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "analytics/report.h"
#include "core/timeutil.h"
#include "ingest/ingest.h"
#include "store/store.h"

#define fx tu_store_fx
#define DAY1 1717272000 /* 2024-06-01T20:00:00Z */

static struct ingest_opts opts_at(int64_t t)
{
    struct ingest_opts o;
    memset(&o, 0, sizeof o);
    o.observed_at = t;
    return o;
}

/* Import a fixture (relative to tests/data) at time t; the outcome. */
static struct ingest_result import_at(struct fx *f, const char *rel,
                                      int64_t t, bool dry_run,
                                      struct buf *msg)
{
    char *path = tu_data_path(rel);
    struct ingest_opts o = opts_at(t);
    struct ingest_result r;
    struct buf data;

    o.dry_run = dry_run;
    buf_init(&data, (size_t)64 << 20);
    tu_read(path, &data);
    assert_int_equal(ingest_document(f->st, rel, data.data, data.len, &o, &r,
                                     msg),
                     ERR_OK);
    buf_free(&data);
    free(path);
    return r;
}

static size_t snapshot_count(struct fx *f, const char *ref)
{
    struct item *it = NULL;
    size_t n;
    assert_int_equal(store_item_history(f->st, ref, &it, &f->err), ERR_OK);
    n = it->nsnaps;
    item_destroy(it);
    return n;
}

static void test_stored_then_exists(void **state)
{
    struct fx *f = *state;
    struct buf msg;
    struct ingest_result r;

    buf_init(&msg, 8192);
    r = import_at(f, "api/day1.json", DAY1, false, &msg);
    assert_int_equal(r.status, INGEST_STORED);
    assert_string_equal(r.format, "youtube.videos.list");
    assert_int_equal(r.items, 2);     /* the video and its channel */
    assert_int_equal(r.snapshots, 1);
    assert_int_equal(r.stats.items_new, 2);
    assert_int_equal(r.stats.values_new, 4); /* views likes comments fav */
    r = import_at(f, "api/day1.json", DAY1 + 3600, false, &msg);
    assert_int_equal(r.status, INGEST_EXISTS);
    assert_int_equal(r.stats.snapshots_new, 0);
    assert_true(strncmp(buf_cstr(&msg), "already imported at ", 20) == 0);
    assert_int_equal(snapshot_count(f, "vidA0000001"), 1);
    buf_free(&msg);
}

static void test_dry_run_and_refused(void **state)
{
    struct fx *f = *state;
    struct buf msg;
    struct ingest_result r;
    struct ingest_opts o = opts_at(DAY1);
    struct item *it = NULL;

    buf_init(&msg, 8192);
    r = import_at(f, "api/day1.json", DAY1, false, &msg);
    assert_int_equal(r.status, INGEST_STORED);
    r = import_at(f, "api/day2.json", DAY1 + 86400, true, &msg);
    assert_int_equal(r.status, INGEST_VALID);
    assert_int_equal(r.items, 3);
    assert_int_equal(r.snapshots, 2);
    assert_int_equal(r.stats.values_new, 0);
    assert_int_equal(snapshot_count(f, "vidA0000001"), 1);
    r = import_at(f, "cli/bad/videos_page_one_bad.json", DAY1, false, &msg);
    assert_int_equal(r.status, INGEST_REFUSED);
    assert_false(r.db_failed);
    assert_string_equal(buf_cstr(&msg),
                        "items[2] (id \"xYz_123-abc\"): field "
                        "\"statistics.likeCount\": expected a count as a "
                        "string of digits, got integer");
    assert_int_equal(store_item_find(f->st, "xYz_123-abc", &it, &f->err),
                     ERR_NOTFOUND);
    assert_int_equal(ingest_document(f->st, "e.json", NULL, 0, &o, &r, &msg),
                     ERR_OK);
    assert_int_equal(r.status, INGEST_REFUSED);
    assert_string_equal(buf_cstr(&msg), "file is empty");
    /* without a store only a dry run is possible */
    assert_int_equal(ingest_document(NULL, "e.json", "{}", 2, &o, &r, &msg),
                     ERR_INVALID);
    buf_free(&msg);
}

/* A TikTok video list names no account: the only TikTok account stored
 * is used, as `mediadash import` does. */
static void test_account_from_store(void **state)
{
    struct fx *f = *state;
    struct buf msg;
    struct ingest_result r;
    struct item *it = NULL;

    buf_init(&msg, 8192);
    r = import_at(f, "tiktok/user_info.json", DAY1, false, &msg);
    assert_int_equal(r.status, INGEST_STORED);
    r = import_at(f, "tiktok/video_list_page1.json", DAY1, false, &msg);
    assert_int_equal(r.status, INGEST_STORED);
    assert_int_equal(store_item_history(f->st, "tiktok:7380000000000000001",
                                        &it, &f->err),
                     ERR_OK);
    assert_string_equal(it->account_ext_id, "-000mediadashDemoOpenId0001");
    item_destroy(it);
    buf_free(&msg);
}

/* Five snapshots of vidA0000001: day1, day2am, day2, day3, day5. */
static void import_days(struct fx *f)
{
    static const char *const files[] = {"api/day1.json", "api/day2am.json",
                                        "api/day2.json", "api/day3.json",
                                        "api/day5.json"};
    static const int64_t at[] = {DAY1, DAY1 + 43200, DAY1 + 86400,
                                 DAY1 + 2 * 86400, DAY1 + 4 * 86400};
    struct buf msg;
    buf_init(&msg, 8192);
    for (size_t i = 0; i < 5; i++)
        assert_int_equal(import_at(f, files[i], at[i], false, &msg).status,
                         INGEST_STORED);
    buf_free(&msg);
}

/* The views of each snapshot history_range returns, and truncated. */
static void expect_window(struct fx *f, int64_t since, int64_t until,
                          int64_t limit, const int64_t *views, size_t n,
                          bool truncated)
{
    struct history_query q = {since, until, limit};
    struct item *it = NULL;
    bool cut = !truncated;

    assert_int_equal(store_item_history_range(f->st, "youtube:vidA0000001",
                                              &q, &it, &cut, &f->err),
                     ERR_OK);
    assert_int_equal(it->nsnaps, n);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(tu_metric(it->snaps[i], M_VIEWS), views[i]);
    assert_int_equal(cut, truncated);
    item_destroy(it);
}

static void test_history_range(void **state)
{
    struct fx *f = *state;
    struct history_query q = {TIME_NONE, TIME_NONE, 1};
    struct item *it = NULL;

    import_days(f);
    expect_window(f, TIME_NONE, TIME_NONE, 0,
                  (int64_t[]){100, 200, 250, 230, 300}, 5, false);
    expect_window(f, TIME_NONE, TIME_NONE, 5,
                  (int64_t[]){100, 200, 250, 230, 300}, 5, false);
    expect_window(f, TIME_NONE, TIME_NONE, 2, (int64_t[]){230, 300}, 2, true);
    /* since inclusive, until exclusive */
    expect_window(f, DAY1 + 43200, DAY1 + 2 * 86400, 0,
                  (int64_t[]){200, 250}, 2, false);
    expect_window(f, DAY1 + 43200, DAY1 + 2 * 86400, 1, (int64_t[]){250}, 1,
                  true);
    expect_window(f, DAY1 + 43201, TIME_NONE, 3, (int64_t[]){250, 230, 300},
                  3, false);
    expect_window(f, DAY1 + 10 * 86400, TIME_NONE, 3, NULL, 0, false);
    assert_int_equal(store_item_history_range(f->st, "youtube:nope", &q, &it,
                                              NULL, &f->err),
                     ERR_NOTFOUND);
    assert_null(it);
    assert_int_equal(store_item_find(f->st, "vidB0000002", &it, &f->err),
                     ERR_OK);
    assert_string_equal(it->title, "Sunday evening upload");
    assert_int_equal(it->nsnaps, 0);
    item_destroy(it);
}

/* A: Saturday 2024-06-01 10:00, first-week views 100+150-20+70 = 300;
 * B: Sunday 2024-06-02 18:00, 40+60+60 = 160. */
static void test_heatmap_add(void **state)
{
    struct fx *f = *state;
    struct heatmap h;
    struct item *it = NULL;
    double mean;

    import_days(f);
    heatmap_init(&h);
    assert_int_equal(store_item_find(f->st, "vidA0000001", &it, &f->err),
                     ERR_OK);
    report_heatmap_add(f->st, it, &h);
    report_heatmap_add(f->st, it, &h);
    item_destroy(it);
    assert_int_equal(store_item_find(f->st, "vidB0000002", &it, &f->err),
                     ERR_OK);
    report_heatmap_add(f->st, it, &h);
    it->published_at = TIME_NONE; /* unknown: not counted */
    report_heatmap_add(f->st, it, &h);
    item_destroy(it);
    assert_int_equal(h.count[6 * 24 + 10], 2);
    assert_true(heatmap_mean(&h, 6 * 24 + 10, &mean) && mean == 300.0);
    assert_int_equal(h.count[0 * 24 + 18], 1);
    assert_true(heatmap_mean(&h, 18, &mean) && mean == 160.0);
    assert_int_equal(heatmap_best(&h, 1), 6 * 24 + 10);
    assert_int_equal(heatmap_best(&h, 3), -1);

    /* Hours are the rollup zone's: New York is UTC-4 in June, so A is
     * Saturday 06:00 and B Sunday 14:00 there. */
    assert_int_equal(
        store_set_rollup_zone(f->st, "America/New_York", &f->err), ERR_OK);
    heatmap_init(&h);
    assert_int_equal(store_item_find(f->st, "vidA0000001", &it, &f->err),
                     ERR_OK);
    report_heatmap_add(f->st, it, &h);
    item_destroy(it);
    assert_int_equal(store_item_find(f->st, "vidB0000002", &it, &f->err),
                     ERR_OK);
    report_heatmap_add(f->st, it, &h);
    item_destroy(it);
    assert_int_equal(h.count[6 * 24 + 6], 1);
    assert_int_equal(h.count[0 * 24 + 14], 1);
    assert_int_equal(h.count[6 * 24 + 10] + h.count[0 * 24 + 18], 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_stored_then_exists,
                                        tu_store_setup, tu_store_teardown),
        cmocka_unit_test_setup_teardown(test_dry_run_and_refused,
                                        tu_store_setup, tu_store_teardown),
        cmocka_unit_test_setup_teardown(test_account_from_store,
                                        tu_store_setup, tu_store_teardown),
        cmocka_unit_test_setup_teardown(test_history_range, tu_store_setup,
                                        tu_store_teardown),
        cmocka_unit_test_setup_teardown(test_heatmap_add, tu_store_setup,
                                        tu_store_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
