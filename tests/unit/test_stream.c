/* Stream figures (analytics/stream.c) with hand-computed values:
 * irregular spacing, a gap and the gap bound's edge, one point,
 * started_at, zero viewers, counts and times near the int64 limits; and
 * the linked items (analytics/itemlinks.c) of a stream, a VOD and a clip
 * on a real SQLite store. */
#include "testutil.h"

#include <math.h>
#include <string.h>

#include "analytics/itemlinks.h"
#include "analytics/stream.h"
#include "core/timeutil.h"
#include "store/store.h"

static void test_irregular(void **state)
{
    /* 0-60: (10+20)/2*60 = 900; 60-180: 20*120 = 2400;
     * 180-480: (20+50)/2*300 = 10500: 13800 viewer-seconds = 230 min,
     * over 480 s: 28.75 on average. */
    static const struct stream_point p[] = {
        {1000, 10}, {1060, 20}, {1180, 20}, {1480, 50}};
    struct stream_figures f;
    (void)state;

    stream_of(p, 4, TIME_NONE, &f);
    assert_int_equal(f.points, 4);
    assert_int_equal(f.peak, 50);
    assert_int_equal(f.peak_at, 1480);
    assert_true(fabs(f.avg - 28.75) < 1e-9);
    assert_int_equal(f.minutes_watched, 230);
    assert_int_equal(f.duration_s, 480);
    assert_int_equal(f.covered_s, 480);
    assert_int_equal(f.start, 1000);
    assert_int_equal(f.end, 1480);
    assert_int_equal(f.gaps, 0);
    assert_false(f.single_point);
    /* started_at before the first point stretches the duration only;
     * after it, it is not believed */
    stream_of(p, 4, 700, &f);
    assert_int_equal(f.start, 700);
    assert_int_equal(f.duration_s, 780);
    assert_int_equal(f.minutes_watched, 230);
    stream_of(p, 4, 1200, &f);
    assert_int_equal(f.start, 1000);
}

static void test_gap(void **state)
{
    /* 0-300: 100 x 300 = 30000; 300-1501 is 1201 s: a gap, nothing;
     * 1501-1801: 200 x 300 = 60000: 90000 vs = 1500 min over 600 s. */
    static const struct stream_point p[] = {
        {0, 100}, {300, 100}, {1501, 200}, {1801, 200}};
    /* 5-minute points: the bound is 4 x 300 = 1200, and exactly 1200 is
     * no gap: (0+60)/2 x 1200 = 36000 vs, + 0 x 600 = 600 min over 1800 s */
    static const struct stream_point edge[] = {
        {0, 0}, {300, 0}, {600, 0}, {1800, 60}};
    struct stream_figures f;
    (void)state;

    stream_of(p, 4, TIME_NONE, &f);
    assert_int_equal(f.gaps, 1);
    assert_int_equal(f.covered_s, 600);
    assert_int_equal(f.minutes_watched, 1500);
    assert_true(fabs(f.avg - 150.0) < 1e-9);
    assert_int_equal(f.duration_s, 1801);
    assert_int_equal(f.peak, 200);
    assert_int_equal(f.peak_at, 1501); /* the first time of the peak */
    assert_int_equal(f.gap_s, 1200);
    stream_of(edge, 4, TIME_NONE, &f);
    assert_int_equal(f.gap_s, 1200);
    assert_int_equal(f.gaps, 0);
    assert_int_equal(f.minutes_watched, 600);
    assert_true(fabs(f.avg - 20.0) < 1e-9);
}

static void test_gap_by_sampling(void **state)
{
    /* Sampled every 2 minutes: intervals 120,120,120,720,120,540, lower
     * median 120, 4 x 120 = 480 -> at least 600. The 12-minute hole is a
     * gap (it was not under a constant 20 minutes), the 9 minutes are not:
     * 2400 + 4800 + 7200 + 12000 + 64800 = 91200 = 2 x 45600 vs = 760 min
     * over 1020 s. */
    static const struct stream_point two[] = {
        {0, 10}, {120, 10}, {240, 30}, {360, 30},
        {1080, 50}, {1200, 50}, {1740, 70}};
    /* Sampled every 10 minutes: intervals 600,600,1500,600,2100, median
     * 600, 4 x 600 = 2400 -> at most 1800. The 25 minutes are covered
     * (they were a gap under 20), the 35 are a gap: 2 x vs = 120000 +
     * 180000 + 600000 + 120000 = 1020000, 510000 vs = 8500 min over
     * 3300 s. */
    static const struct stream_point ten[] = {
        {0, 100}, {600, 100}, {1200, 200}, {2700, 200},
        {3300, 0}, {5400, 0}};
    static const struct stream_point three[] = {{0, 1}, {180, 1}, {360, 1}};
    static const struct stream_point same[] = {{50, 1}, {50, 2}};
    static const struct stream_point far[] = {{0, 1}, {INT64_MAX, 1}};
    struct stream_figures f;
    (void)state;

    stream_of(two, 7, TIME_NONE, &f);
    assert_int_equal(f.gap_s, 600);
    assert_int_equal(f.gaps, 1);
    assert_int_equal(f.covered_s, 1020);
    assert_int_equal(f.minutes_watched, 760);
    assert_true(fabs(f.avg - 45600.0 / 1020.0) < 1e-9);
    stream_of(ten, 6, TIME_NONE, &f);
    assert_int_equal(f.gap_s, 1800);
    assert_int_equal(f.gaps, 1);
    assert_int_equal(f.covered_s, 3300);
    assert_int_equal(f.minutes_watched, 8500);
    assert_true(fabs(f.avg - 510000.0 / 3300.0) < 1e-9);
    /* inside the bounds: 4 x 180; no interval: the default; saturation */
    assert_int_equal(stream_gap_bound(three, 3), 720);
    assert_int_equal(stream_gap_bound(same, 2), STREAM_GAP_DEFAULT_S);
    assert_int_equal(stream_gap_bound(same, 1), STREAM_GAP_DEFAULT_S);
    assert_int_equal(stream_gap_bound(NULL, 0), STREAM_GAP_DEFAULT_S);
    assert_int_equal(stream_gap_bound(far, 2), STREAM_GAP_MAX_S);
}

static void test_one_point_and_zero(void **state)
{
    static const struct stream_point one[] = {{1000, 42}};
    static const struct stream_point zero[] = {{0, 0}, {600, 0}};
    static const struct stream_point gaps[] = {{0, 4}, {5000, 8}};
    /* 1 viewer for 90 s then none: 45 viewer-seconds, 0.75 -> 1 min */
    static const struct stream_point round[] = {{0, 1}, {90, 0}};
    struct stream_figures f;
    (void)state;

    stream_of(one, 1, 400, &f);
    assert_true(f.single_point);
    assert_int_equal(f.points, 1);
    assert_int_equal(f.peak, 42);
    assert_true(fabs(f.avg - 42.0) < 1e-9);
    assert_int_equal(f.minutes_watched, 0);
    assert_int_equal(f.duration_s, 600);
    stream_of(zero, 2, TIME_NONE, &f);
    assert_int_equal(f.peak, 0);
    assert_int_equal(f.peak_at, 0);
    assert_true(fabs(f.avg) < 1e-12);
    assert_int_equal(f.minutes_watched, 0);
    /* every interval a gap: no time covered, the mean of the points */
    stream_of(gaps, 2, TIME_NONE, &f);
    assert_int_equal(f.covered_s, 0);
    assert_int_equal(f.gaps, 1);
    assert_false(f.single_point);
    assert_true(fabs(f.avg - 6.0) < 1e-9);
    assert_int_equal(f.minutes_watched, 0);
    stream_of(round, 2, TIME_NONE, &f);
    assert_int_equal(f.minutes_watched, 1);
}

static void test_limits(void **state)
{
    static const struct stream_point big[] = {
        {0, INT64_MAX}, {1200, INT64_MAX}, {2400, INT64_MAX}};
    static const struct stream_point far[] = {
        {INT64_MIN + 1, 5}, {INT64_MAX, 7}};
    struct stream_figures f;
    (void)state;

    /* 2400 s x INT64_MAX viewers is far more minutes than int64 holds */
    stream_of(big, 3, TIME_NONE, &f);
    assert_int_equal(f.peak, INT64_MAX);
    assert_int_equal(f.minutes_watched, INT64_MAX);
    assert_true(fabs(f.avg / (double)INT64_MAX - 1.0) < 1e-12);
    stream_of(far, 2, TIME_NONE, &f);
    assert_int_equal(f.duration_s, INT64_MAX);
    assert_int_equal(f.gaps, 1);
    assert_true(fabs(f.avg - 6.0) < 1e-9);
}

static void set_viewers(struct item *it, int64_t t, int64_t v)
{
    struct snapshot *s = item_snapshot_at(it, t);
    assert_int_equal(metrics_set_i64(&s->metrics, M_VIEWERS, v), ERR_OK);
}

static void test_of_item(void **state)
{
    struct item *it = item_create(PLATFORM_TWITCH, ITEM_CONTENT, "s1");
    struct stream_figures f;
    struct snapshot *s;
    (void)state;

    s = item_snapshot_at(it, 50); /* no viewers: not a point */
    assert_int_equal(metrics_set_i64(&s->metrics, M_VIEWS, 9), ERR_OK);
    assert_false(stream_of_item(it, &f));
    set_viewers(it, 100, 10);
    set_viewers(it, 160, -3); /* refused: not a point */
    set_viewers(it, 220, 30);
    s = item_snapshot_at(it, 280); /* a real value is no count */
    assert_int_equal(metrics_set_real(&s->metrics, M_VIEWERS, 99.5),
                     ERR_OK);
    item_sort_snapshots(it);
    assert_true(stream_of_item(it, &f));
    assert_int_equal(f.points, 2);
    assert_int_equal(f.peak, 30);
    assert_int_equal(f.minutes_watched, 40); /* 20 x 120 s */
    item_destroy(it);
}

/* ---- links on a store ------------------------------------------------ */

static struct item *content(struct batch *b, const char *id,
                            const char *kind, int64_t views)
{
    struct item *it = batch_item(b, PLATFORM_TWITCH, ITEM_CONTENT, id);
    struct snapshot *s;
    item_set(&it->kind, kind);
    item_set(&it->title, id);
    s = item_snapshot_at(it, 1700000000);
    assert_int_equal(metrics_set_i64(&s->metrics, kind[0] == 's'
                                                      ? M_VIEWERS
                                                      : M_VIEWS,
                                     views),
                     ERR_OK);
    return it;
}

static const struct linked_item *find(const struct item_links *l,
                                      const char *id)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->v[i].ext_id, id) == 0)
            return &l->v[i];
    return NULL;
}

static void links_of(struct tu_store_fx *f, const char *id,
                     struct item_links *l)
{
    struct item *it = NULL;
    assert_int_equal(store_item_find(f->st, id, &it, &f->err), ERR_OK);
    assert_int_equal(item_links_load(f->st, it, l), ERR_OK);
    item_destroy(it);
}

static void test_links(void **state)
{
    struct tu_store_fx *f = *state;
    struct ingest_stats st;
    const struct linked_item *li;
    struct item_links l;
    struct batch b;

    batch_init(&b);
    content(&b, "S1", "stream", 120);
    content(&b, "V1", "archive", 800);
    content(&b, "C1", "clip", 50);
    content(&b, "C2", "clip", 70);
    assert_int_equal(batch_link(&b, PLATFORM_TWITCH, "V1", "vod_of", "S1",
                                -1), ERR_OK);
    assert_int_equal(batch_link(&b, PLATFORM_TWITCH, "C1", "clip_of", "V1",
                                30), ERR_OK);
    assert_int_equal(batch_link(&b, PLATFORM_TWITCH, "C2", "clip_of", "V1",
                                90), ERR_OK);
    /* a clip of a VOD that is not stored */
    assert_int_equal(batch_link(&b, PLATFORM_TWITCH, "C2", "clip_of", "V9",
                                5), ERR_OK);
    assert_int_equal(store_ingest(f->st, &b, NULL, &st, &f->err), ERR_OK);
    batch_free(&b);

    links_of(f, "S1", &l); /* the stream: its VOD, the VOD's clips */
    assert_int_equal(l.n, 3);
    li = find(&l, "V1");
    assert_non_null(li);
    assert_int_equal(li->depth, 1);
    assert_false(li->came_from);
    assert_string_equal(li->rel, "vod_of");
    assert_true(li->has_views);
    assert_int_equal(li->views, 800);
    assert_string_equal(li->kind, "archive");
    li = find(&l, "C2");
    assert_non_null(li);
    assert_int_equal(li->depth, 2);
    assert_string_equal(li->via, "V1");
    assert_int_equal(li->views, 70);
    assert_null(find(&l, "V9")); /* not from this stream */
    item_links_free(&l);

    links_of(f, "V1", &l); /* the VOD: its stream (came from), clips */
    assert_int_equal(l.n, 3);
    li = find(&l, "S1");
    assert_true(li->came_from);
    assert_false(li->has_views); /* a stream has viewers, not views */
    assert_false(find(&l, "C1")->came_from);
    item_links_free(&l);

    links_of(f, "C2", &l); /* a clip: both VODs, the stream through V1 */
    assert_int_equal(l.n, 3);
    li = find(&l, "V9");
    assert_false(li->stored);
    assert_null(li->title);
    li = find(&l, "S1");
    assert_int_equal(li->depth, 2);
    assert_true(li->came_from);
    assert_null(find(&l, "C1")); /* a sibling is not linked to it */
    item_links_free(&l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_irregular),
        cmocka_unit_test(test_gap),
        cmocka_unit_test(test_gap_by_sampling),
        cmocka_unit_test(test_one_point_and_zero),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_of_item),
        cmocka_unit_test_setup_teardown(test_links, tu_store_setup,
                                        tu_store_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
