/* The report (store rollups + analytics) against hand-computed values. */
#include "testutil.h"

#include <math.h>
#include <sqlite3.h>
#include <stdlib.h>

#include "analytics/report.h"
#include "core/alloc.h"
#include "core/timeutil.h"

#define DAY 86400
#define D0 19000 /* 2022-01-08, a Saturday */
#define T(d, h) (((int64_t)(D0 + (d))) * DAY + (h) * 3600)

#define fx tu_store_fx

static void put(struct fx *f, enum platform p, enum item_type type,
                const char *id, const char *acct, int64_t pub, int64_t t,
                const char *metric, int64_t v)
{
    struct batch b;
    struct ingest_stats s;
    struct item *it;

    batch_init(&b);
    it = batch_item(&b, p, type, id);
    item_set(&it->account_ext_id, acct);
    item_set(&it->title, id);
    it->published_at = pub;
    assert_int_equal(
        metrics_set_i64(&item_snapshot_at(it, t)->metrics, metric, v), ERR_OK);
    assert_int_equal(store_ingest(f->st, &b, NULL, &s, &f->err), ERR_OK);
    batch_free(&b);
}

static int setup(void **state)
{
    struct fx *f;

    tu_store_setup(state);
    f = *state;
    /* YouTube channel followers: 1000, 1100 (day 9), 1250 (day 20). */
    put(f, PLATFORM_YOUTUBE, ITEM_ACCOUNT, "UCa", NULL, TIME_NONE, T(0, 12),
        M_FOLLOWERS, 1000);
    put(f, PLATFORM_YOUTUBE, ITEM_ACCOUNT, "UCa", NULL, TIME_NONE, T(9, 12),
        M_FOLLOWERS, 1100);
    put(f, PLATFORM_YOUTUBE, ITEM_ACCOUNT, "UCa", NULL, TIME_NONE, T(20, 12),
        M_FOLLOWERS, 1250);
    /* v1, published Saturday 18:00: +100 a day, +5000 more on day 20. */
    for (int d = 0; d <= 25; d++) {
        int64_t v = 100 * (d + 1) + (d >= 20 ? 5000 : 0);
        put(f, PLATFORM_YOUTUBE, ITEM_CONTENT, "v1", "UCa", T(0, 18),
            T(d, 20), M_VIEWS, v);
        if (d == 25) {
            put(f, PLATFORM_YOUTUBE, ITEM_CONTENT, "v1", "UCa", T(0, 18),
                T(d, 20), M_LIKES, v / 10);
            put(f, PLATFORM_YOUTUBE, ITEM_CONTENT, "v1", "UCa", T(0, 18),
                T(d, 20), M_COMMENTS, v / 100);
        }
    }
    /* t1 on TikTok, published Tuesday (day 3) 09:00: +50 a day. */
    for (int d = 3; d <= 25; d++)
        put(f, PLATFORM_TIKTOK, ITEM_CONTENT, "t1", "ttu", T(3, 9),
            T(d, 22), M_VIEWS, 50 * (d - 2));
    *state = f;
    return 0;
}

#define teardown tu_store_teardown

static void test_report_values(void **state)
{
    struct fx *f = *state;
    struct report_opts o = {D0 + 10, D0 + 26, -1, 10};
    struct report r;
    const struct report_platform *yt, *tt;

    assert_int_equal(report_build(f->st, &o, &r, &f->err), ERR_OK);
    yt = &r.platform[PLATFORM_YOUTUBE];
    tt = &r.platform[PLATFORM_TIKTOK];
    assert_true(yt->present && tt->present);
    assert_false(r.platform[PLATFORM_INSTAGRAM].present);
    assert_int_equal(yt->accounts, 1);
    assert_int_equal(yt->content, 1);
    assert_int_equal(tt->accounts, 1); /* created bare from the video */
    assert_int_equal(yt->followers, 1250);
    assert_true(yt->range.has_followers_gain);
    assert_int_equal(yt->range.followers_gain, 150); /* 1250 (day 20) - 1100 */
    assert_int_equal(yt->range.views_gain, 100 * 16 + 5000);
    assert_int_equal(tt->range.views_gain, 50 * 16);
    assert_int_equal(r.total.range.views_gain, 6600 + 800);
    assert_int_equal(yt->daily_views[0], 100);      /* day 10 */
    assert_int_equal(yt->daily_views[10], 5100);    /* day 20 */
    assert_int_equal(r.total.daily_views[10], 5150);
    /* Engagement over the range: v1's likes and comments were first seen
     * on day 25, long after publication, so nothing is known to have
     * been gained: 0 / 6600. Lifetime, from the latest values:
     * (760 + 76) / 7600. */
    assert_true(yt->range.has_engagement && yt->range.engagement == 0.0);
    assert_int_equal(yt->range.interactions_gain, 0);
    assert_true(yt->has_lifetime_engagement);
    assert_true(fabs(yt->lifetime_engagement - 836.0 / 7600.0) < 1e-12);
    assert_int_equal(yt->content_views, 7600);
    assert_int_equal(yt->content_interactions, 836);
    assert_false(yt->has_channel_views); /* UCa has no views of its own */
    assert_true(tt->range.has_engagement && tt->range.engagement == 0.0);
    /* Top by views gained in the range. */
    assert_int_equal(r.ntop, 2);
    assert_string_equal(r.top[0].item->ext_id, "v1");
    assert_int_equal(r.top[0].gain, 6600);
    assert_string_equal(r.top[1].item->ext_id, "t1");
    /* Best time: v1 got 700 views in its first week (published Saturday
     * 18:00), t1 350 (Tuesday 09:00): one item each, too few for a best
     * hour (REPORT_MIN_SAMPLE). */
    assert_int_equal(r.heat.count[6 * 24 + 18], 1);
    assert_true(r.heat.sum[6 * 24 + 18] == 700.0);
    assert_int_equal(r.best_hour, -1);
    assert_int_equal(r.heat.count[2 * 24 + 9], 1);
    assert_true(r.heat.sum[2 * 24 + 9] == 350.0);
    /* The viral day, and nothing else. */
    assert_int_equal(r.nspikes, 1);
    assert_string_equal(r.spikes[0].item->ext_id, "v1");
    assert_int_equal(r.spikes[0].day, D0 + 20);
    assert_int_equal(r.spikes[0].gain, 5100);
    assert_true(r.spikes[0].baseline == 100.0);
    report_free(&r);
}

/* Beside v1 and t1: v2, published inside the range (day 11, a
 * Wednesday, 10:00) and deleted on the platform after day 13 (no
 * snapshot since); v3 published on the range's last day (day 25,
 * Wednesday 08:00); v4 published the day after the range (day 26,
 * Thursday 01:00). */
static void test_report_deleted_and_edges(void **state)
{
    struct fx *f = *state;
    struct report_opts o = {D0 + 10, D0 + 26, -1, 10};
    struct report r;
    const struct report_platform *yt;

    put(f, PLATFORM_YOUTUBE, ITEM_CONTENT, "v2", "UCa", T(11, 10), T(11, 20),
        M_VIEWS, 1000);
    put(f, PLATFORM_YOUTUBE, ITEM_CONTENT, "v2", "UCa", T(11, 10), T(12, 20),
        M_VIEWS, 3000);
    put(f, PLATFORM_YOUTUBE, ITEM_CONTENT, "v2", "UCa", T(11, 10), T(13, 20),
        M_VIEWS, 3500);
    put(f, PLATFORM_YOUTUBE, ITEM_CONTENT, "v3", "UCa", T(25, 8), T(25, 20),
        M_VIEWS, 40);
    put(f, PLATFORM_YOUTUBE, ITEM_CONTENT, "v4", "UCa", T(26, 1), T(26, 20),
        M_VIEWS, 999);
    assert_int_equal(report_build(f->st, &o, &r, &f->err), ERR_OK);
    yt = &r.platform[PLATFORM_YOUTUBE];
    assert_int_equal(yt->content, 4); /* every stored item, deleted too */
    /* Gained in [10, 26): v1 6600; v2 1000 on its publication day (from
     * 0), +2000, +500, then nothing; v3 40 on the last day; v4 none. */
    assert_int_equal(yt->range.views_gain, 6600 + 3500 + 40);
    assert_int_equal(yt->daily_views[1], 100 + 1000);
    assert_int_equal(yt->daily_views[2], 100 + 2000);
    assert_int_equal(yt->daily_views[3], 100 + 500);
    assert_int_equal(yt->daily_views[4], 100); /* v2 gone: no gain, no dip */
    assert_int_equal(yt->daily_views[15], 100 + 40);
    /* Latest views keep the deleted item's last value. */
    assert_int_equal(yt->content_views, 7600 + 3500 + 40 + 999);
    assert_true(fabs(yt->lifetime_engagement - 836.0 / 12139.0) < 1e-12);
    assert_int_equal(r.ntop, 4);
    assert_string_equal(r.top[0].item->ext_id, "v1");
    assert_string_equal(r.top[1].item->ext_id, "v2");
    assert_int_equal(r.top[1].gain, 3500);
    assert_string_equal(r.top[2].item->ext_id, "t1");
    assert_string_equal(r.top[3].item->ext_id, "v3");
    assert_int_equal(r.top[3].gain, 40);
    /* First-week views by publish hour over all content: v2 3500
     * (Wednesday 10:00), v3 40 (Wednesday 08:00), v4 999 (Thursday
     * 01:00): single items, so no best hour. */
    assert_int_equal(r.best_hour, -1);
    assert_true(r.heat.sum[3 * 24 + 10] == 3500.0);
    assert_true(r.heat.sum[3 * 24 + 8] == 40.0);
    assert_true(r.heat.sum[4 * 24 + 1] == 999.0);
    /* v2's +2000 has a single day of history: no spike; v1's stays. */
    assert_int_equal(r.nspikes, 1);
    assert_string_equal(r.spikes[0].item->ext_id, "v1");
    report_free(&r);
}

/* A viral TikTok stays high for three days: one spike entry with its
 * peak, the days above its baseline and the excess over it, not one
 * entry per day. tv, published day 0: +100 a day, then +3000 on day 15,
 * +1500 on day 16, +400 on day 17, +100 again. */
static void test_report_spikes_per_item(void **state)
{
    struct fx *f = *state;
    struct report_opts o = {D0 + 10, D0 + 26, -1, 10};
    struct report r;
    int64_t v = 0;

    for (int d = 0; d <= 25; d++) {
        v += d == 15 ? 3000 : d == 16 ? 1500 : d == 17 ? 400 : 100;
        put(f, PLATFORM_TIKTOK, ITEM_CONTENT, "tv", "ttu", T(0, 7),
            T(d, 21), M_VIEWS, v);
    }
    assert_int_equal(report_build(f->st, &o, &r, &f->err), ERR_OK);
    /* Days 15, 16 and 17 each score as a spike (baselines 100); they
     * are one entry. v1 (score 5000 / 1.4826) ranks before tv (2900 /
     * 1.4826). */
    assert_int_equal(r.nspikes, 2);
    assert_string_equal(r.spikes[0].item->ext_id, "v1");
    assert_int_equal(r.spikes[0].days_above, 1);
    assert_true(r.spikes[0].excess == 5000.0);
    assert_string_equal(r.spikes[1].item->ext_id, "tv");
    assert_int_equal(r.spikes[1].day, D0 + 15);
    assert_int_equal(r.spikes[1].gain, 3000);
    assert_true(r.spikes[1].baseline == 100.0);
    assert_true(fabs(r.spikes[1].score - 2900.0 / 1.4826) < 1e-9);
    assert_int_equal(r.spikes[1].days_above, 3);
    assert_true(r.spikes[1].excess == 2900.0 + 1400.0 + 300.0);
    /* Published Saturday 07:00: its first week is in the heatmap. */
    assert_int_equal(r.heat.count[6 * 24 + 7], 1);
    report_free(&r);
    /* Someone else's video: neither a spike nor a best-time sample. */
    tu_set_item_tracked(f->path, "tv");
    assert_int_equal(report_build(f->st, &o, &r, &f->err), ERR_OK);
    assert_int_equal(r.nspikes, 1);
    assert_string_equal(r.spikes[0].item->ext_id, "v1");
    assert_int_equal(r.heat.count[6 * 24 + 7], 0);
    report_free(&r);
}

/* Best-time sample sizes: three Monday 09:00 videos (first weeks 100,
 * 200, 300: mean 200) beat one Tuesday 10:00 video with 5000, which is
 * too few to be trusted; v1 and t1 (one each) are too few as well. */
static void test_report_best_hour_sample(void **state)
{
    struct fx *f = *state;
    struct report_opts o = {D0, D0 + 26, -1, 10};
    struct report r;
    static const char *const ids[] = {"m1", "m2", "m3"};

    for (int k = 0; k < 3; k++)
        put(f, PLATFORM_YOUTUBE, ITEM_CONTENT, ids[k], "UCa",
            T(2 + 7 * k, 9), T(2 + 7 * k, 20), M_VIEWS, 100 * (k + 1));
    put(f, PLATFORM_YOUTUBE, ITEM_CONTENT, "big", "UCa", T(3, 10), T(3, 20),
        M_VIEWS, 5000);
    assert_int_equal(report_build(f->st, &o, &r, &f->err), ERR_OK);
    assert_int_equal(r.heat.count[1 * 24 + 9], 3);
    assert_true(r.heat.sum[1 * 24 + 9] == 600.0);
    assert_int_equal(r.heat.count[2 * 24 + 10], 1);
    assert_true(r.heat.sum[2 * 24 + 10] == 5000.0);
    assert_int_equal(r.best_hour, 1 * 24 + 9);
    report_free(&r);
    /* One of the three made someone else's: two left, no best hour. */
    tu_set_item_tracked(f->path, "m2");
    assert_int_equal(report_build(f->st, &o, &r, &f->err), ERR_OK);
    assert_int_equal(r.heat.count[1 * 24 + 9], 2);
    assert_int_equal(r.best_hour, -1);
    report_free(&r);
}

/* "vs typical": x (YouTube, published day 30) has 600 views on day 32,
 * age 2. The other owned YouTube items at age 2: v1 300 (day 2), o1 80
 * (its last row on or before day 12 is day 11's), o2 1500 (day 22);
 * o3 is too young (nothing from day 42 on), t1 is TikTok, o5 tracked.
 * Median 300, ratio 2. */
static void test_report_vs_typical(void **state)
{
    struct fx *f = *state;
    struct report_typical t;
    struct item *x = NULL;
    enum err rc;

    put(f, PLATFORM_YOUTUBE, ITEM_CONTENT, "x", "UCa", T(30, 10), T(30, 20),
        M_VIEWS, 100);
    put(f, PLATFORM_YOUTUBE, ITEM_CONTENT, "x", "UCa", T(30, 10), T(32, 20),
        M_VIEWS, 600);
    put(f, PLATFORM_YOUTUBE, ITEM_CONTENT, "o1", "UCa", T(10, 8), T(10, 20),
        M_VIEWS, 50);
    put(f, PLATFORM_YOUTUBE, ITEM_CONTENT, "o1", "UCa", T(10, 8), T(11, 20),
        M_VIEWS, 80);
    put(f, PLATFORM_YOUTUBE, ITEM_CONTENT, "o1", "UCa", T(10, 8), T(15, 20),
        M_VIEWS, 400);
    put(f, PLATFORM_YOUTUBE, ITEM_CONTENT, "o2", "UCa", T(20, 9), T(20, 20),
        M_VIEWS, 1000);
    put(f, PLATFORM_YOUTUBE, ITEM_CONTENT, "o2", "UCa", T(20, 9), T(22, 20),
        M_VIEWS, 1500);
    put(f, PLATFORM_YOUTUBE, ITEM_CONTENT, "o3", "UCa", T(40, 9), T(40, 20),
        M_VIEWS, 10);
    put(f, PLATFORM_YOUTUBE, ITEM_CONTENT, "o5", "UCa", T(20, 9), T(20, 20),
        M_VIEWS, 5);
    put(f, PLATFORM_YOUTUBE, ITEM_CONTENT, "o5", "UCa", T(20, 9), T(22, 20),
        M_VIEWS, 7);
    tu_set_item_tracked(f->path, "o5");
    assert_int_equal(store_item_find(f->st, "youtube:x", &x, &f->err),
                     ERR_OK);
    assert_true(report_vs_typical(f->st, x, &t, &rc));
    assert_int_equal(rc, ERR_OK);
    assert_int_equal(t.age_days, 2);
    assert_int_equal(t.views, 600);
    assert_int_equal(t.n, 3);
    assert_true(t.median == 300.0);
    assert_true(t.has_ratio && t.ratio == 2.0);
    item_destroy(x);
    /* o1 at age 5 (day 15, 400) is the only other item 5 days old
     * besides v1 (600) and o2 has nothing from day 25 on: x is not that
     * old, so ask for o1: v1 600, x none (too young), o2 none. */
    assert_int_equal(store_item_find(f->st, "youtube:o1", &x, &f->err),
                     ERR_OK);
    assert_true(report_vs_typical(f->st, x, &t, &rc));
    assert_int_equal(t.age_days, 5);
    assert_int_equal(t.views, 400);
    assert_int_equal(t.n, 1);
    assert_true(t.median == 600.0);
    assert_true(fabs(t.ratio - 400.0 / 600.0) < 1e-12);
    item_destroy(x);
}

static void test_report_platform_filter_and_bounds(void **state)
{
    struct fx *f = *state;
    struct report_opts o = {D0 + 10, D0 + 26, PLATFORM_TIKTOK, 10};
    struct report r;

    assert_int_equal(report_build(f->st, &o, &r, &f->err), ERR_OK);
    assert_false(r.platform[PLATFORM_YOUTUBE].present);
    assert_int_equal(r.total.range.views_gain, 800);
    assert_int_equal(r.ntop, 1);
    report_free(&r);
    o.from_day = o.to_day; /* an empty range is refused */
    assert_int_equal(report_build(f->st, &o, &r, &f->err), ERR_INVALID);
}

struct sums {
    struct store_content_sum row[8];
    size_t n;
};

static enum err on_sum(void *ud, const struct store_content_sum *c)
{
    struct sums *s = ud;
    assert_true(s->n < 8);
    if (s->n > 0) /* in id order */
        assert_true(c->item_id > s->row[s->n - 1].item_id);
    s->row[s->n++] = *c;
    return ERR_OK;
}

/* The row of platform p (one content item each here). */
static const struct store_content_sum *sum_of(const struct sums *s,
                                              enum platform p)
{
    for (size_t i = 0; i < s->n; i++)
        if (s->row[i].platform == p)
            return &s->row[i];
    fail_msg("no content of %s", platform_name(p));
    return NULL;
}

/* The report's per-content read: latest values and first-week views by
 * hand. v1 was first seen on its publication day (D0), so that day grew
 * from 0: 100 on D0, then +100 a day; t1 (D0+3) +50 from 0, then +50. */
static void test_content_sums(void **state)
{
    struct fx *f = *state;
    struct sums s = {0};
    const struct store_content_sum *v1, *t1, *i1;
    struct batch b;
    struct ingest_stats st;
    struct item *it;
    struct metrics *m;

    /* i1 on Instagram: no publication time, a real-valued share count
     * (counts 0) and saves 7. */
    batch_init(&b);
    it = batch_item(&b, PLATFORM_INSTAGRAM, ITEM_CONTENT, "i1");
    item_set(&it->account_ext_id, "igu");
    m = &item_snapshot_at(it, T(5, 10))->metrics;
    assert_int_equal(metrics_set_i64(m, M_VIEWS, 40), ERR_OK);
    assert_int_equal(metrics_set_real(m, M_SHARES, 1.5), ERR_OK);
    assert_int_equal(metrics_set_i64(m, M_SAVES, 7), ERR_OK);
    assert_int_equal(store_ingest(f->st, &b, NULL, &st, &f->err), ERR_OK);
    batch_free(&b);

    assert_int_equal(store_content_sums(f->st, -1, on_sum, &s), ERR_OK);
    assert_int_equal(s.n, 3);
    v1 = sum_of(&s, PLATFORM_YOUTUBE);
    assert_int_equal(v1->published_at, T(0, 18));
    assert_int_equal(v1->views, 7600);             /* 2600 + 5000 */
    assert_int_equal(v1->interactions, 760 + 76); /* likes + comments */
    assert_true(v1->has_first);
    assert_int_equal(v1->first_gain, 700);         /* days D0..D0+6 */
    t1 = sum_of(&s, PLATFORM_TIKTOK);
    assert_int_equal(t1->views, 1150);
    assert_int_equal(t1->interactions, 0);
    assert_true(t1->has_first);
    assert_int_equal(t1->first_gain, 350);         /* days D0+3..D0+9 */
    i1 = sum_of(&s, PLATFORM_INSTAGRAM);
    assert_int_equal(i1->published_at, TIME_NONE);
    assert_int_equal(i1->views, 40);
    assert_int_equal(i1->interactions, 7);
    assert_false(i1->has_first);

    /* One platform. */
    s.n = 0;
    assert_int_equal(store_content_sums(f->st, PLATFORM_TIKTOK, on_sum, &s),
                     ERR_OK);
    assert_int_equal(s.n, 1);
    assert_int_equal(s.row[0].platform, PLATFORM_TIKTOK);
    assert_int_equal(s.row[0].first_gain, 350);
}

/* v1's likes and comments over time, beside the setup's (likes 760 and
 * comments 76 on day 25): likes 50 (day 5), 120 (12), 300 (17), 400
 * (24); comments 10 (day 5), 30 (24). Their first day (5) has no known
 * gain (first seen after publication); then likes +70 (12), +180 (17),
 * +100 (24), +360 (25); comments +20 (24), +46 (25). And the channel's
 * own lifetime views, 50000 on day 25. */
static void put_interactions(struct fx *f)
{
    static const struct {
        int day;
        const char *metric;
        int64_t v;
    } rows[] = {{5, M_LIKES, 50},    {12, M_LIKES, 120}, {17, M_LIKES, 300},
                {24, M_LIKES, 400},  {5, M_COMMENTS, 10},
                {24, M_COMMENTS, 30}};

    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        put(f, PLATFORM_YOUTUBE, ITEM_CONTENT, "v1", "UCa", T(0, 18),
            T(rows[i].day, 20), rows[i].metric, rows[i].v);
    put(f, PLATFORM_YOUTUBE, ITEM_ACCOUNT, "UCa", NULL, TIME_NONE, T(25, 12),
        M_VIEWS, 50000);
}

static bool near(double a, double b)
{
    return fabs(a - b) < 1e-12;
}

/* Range engagement = interactions gained / views gained, and the same
 * figures for the equal range before, by hand. */
static void test_report_range_engagement(void **state)
{
    struct fx *f = *state;
    struct report_opts o = {D0 + 10, D0 + 26, -1, 10};
    struct report r;
    const struct report_platform *yt, *tt;
    double ch;

    put_interactions(f);
    assert_int_equal(report_build(f->st, &o, &r, &f->err), ERR_OK);
    assert_int_equal(r.prev_from_day, D0 - 6); /* 16 days before day 10 */
    yt = &r.platform[PLATFORM_YOUTUBE];
    tt = &r.platform[PLATFORM_TIKTOK];
    /* [10, 26): views 100 x 16 + 5000; likes 70 + 180 + 100 + 360,
     * comments 20 + 46. */
    assert_int_equal(yt->range.views_gain, 6600);
    assert_int_equal(yt->range.interactions_gain, 710 + 66);
    assert_true(yt->range.has_engagement);
    assert_true(near(yt->range.engagement, 776.0 / 6600.0));
    /* [-6, 10): v1 +100 a day on days 0..9 (day 0 from 0), no known
     * interaction gain; followers 1100 (day 9) - 1000 (day 0, the first
     * value: none before the range). */
    assert_int_equal(yt->previous.views_gain, 1000);
    assert_int_equal(yt->previous.interactions_gain, 0);
    assert_true(yt->previous.has_engagement && yt->previous.engagement == 0.0);
    assert_true(yt->previous.has_followers_gain);
    assert_int_equal(yt->previous.followers_gain, 100);
    assert_int_equal(yt->range.followers_gain, 150);
    /* t1: +50 a day from day 3 (published then): 7 days before, 16 in. */
    assert_int_equal(tt->previous.views_gain, 350);
    assert_int_equal(tt->range.views_gain, 800);
    assert_false(tt->previous.has_followers_gain); /* ttu has none */
    /* Totals. */
    assert_int_equal(r.total.range.views_gain, 7400);
    assert_int_equal(r.total.range.interactions_gain, 776);
    assert_true(near(r.total.range.engagement, 776.0 / 7400.0));
    assert_int_equal(r.total.previous.views_gain, 1350);
    assert_int_equal(r.total.previous.followers_gain, 100);
    /* Lifetime figures stay what they were. */
    assert_true(yt->has_channel_views);
    assert_int_equal(yt->channel_views, 50000);
    assert_int_equal(r.total.channel_views, 50000);
    assert_true(near(yt->lifetime_engagement, 836.0 / 7600.0));
    /* Followers at the end of each day: 1100 until day 19, 1250 from
     * day 20; TikTok has none. */
    for (int d = 0; d < 16; d++) {
        assert_true(yt->daily_followers_known[d]);
        assert_int_equal(yt->daily_followers[d], d < 10 ? 1100 : 1250);
        assert_false(tt->daily_followers_known[d]);
        assert_int_equal(r.total.daily_followers[d], d < 10 ? 1100 : 1250);
    }
    /* +560% views: (6600 - 1000) / 1000. */
    assert_true(report_change(yt->range.views_gain, yt->previous.views_gain,
                              &ch));
    assert_true(near(ch, 5.6));
    report_free(&r);
}

/* A 7-day range against the 7 days before it: both have engagement of
 * their own, and neither is the 16-day range's. */
static void test_report_week_vs_previous_week(void **state)
{
    struct fx *f = *state;
    struct report_opts o = {D0 + 19, D0 + 26, -1, 10};
    struct report r;
    const struct report_platform *yt;

    put_interactions(f);
    assert_int_equal(report_build(f->st, &o, &r, &f->err), ERR_OK);
    assert_int_equal(r.prev_from_day, D0 + 12);
    yt = &r.platform[PLATFORM_YOUTUBE];
    /* [19, 26): views 100 x 7 + 5000; likes +100 +360; comments +20
     * +46. */
    assert_int_equal(yt->range.views_gain, 5700);
    assert_int_equal(yt->range.interactions_gain, 526);
    assert_true(near(yt->range.engagement, 526.0 / 5700.0));
    /* [12, 19): views 700; likes +70 (day 12) +180 (day 17). */
    assert_int_equal(yt->previous.views_gain, 700);
    assert_int_equal(yt->previous.interactions_gain, 250);
    assert_true(near(yt->previous.engagement, 250.0 / 700.0));
    /* Followers: 1250 - 1100 in range; no snapshot in [12, 19), so its
     * growth is unknown (null), not 0. */
    assert_int_equal(yt->range.followers_gain, 150);
    assert_false(yt->previous.has_followers_gain);
    assert_false(r.total.previous.has_followers_gain);
    /* t1 +50 a day: 350 in each week, no interactions: rate 0. */
    assert_int_equal(r.platform[PLATFORM_TIKTOK].range.views_gain, 350);
    assert_int_equal(r.platform[PLATFORM_TIKTOK].previous.views_gain, 350);
    assert_true(near(r.total.range.engagement, 526.0 / 6050.0));
    assert_true(near(r.total.previous.engagement, 250.0 / 1050.0));
    report_free(&r);
}

/* A range without any views gained has no engagement (null), and the
 * range before the first data none either. */
static void test_report_no_views_no_engagement(void **state)
{
    struct fx *f = *state;
    struct report_opts o = {D0 - 20, D0 - 10, -1, 10};
    struct report r;
    double ch;

    assert_int_equal(report_build(f->st, &o, &r, &f->err), ERR_OK);
    assert_int_equal(r.total.range.views_gain, 0);
    assert_false(r.total.range.has_engagement);
    assert_false(r.total.previous.has_engagement);
    assert_false(r.total.range.has_followers_gain);
    assert_false(r.total.daily_followers_known[0]);
    assert_false(report_change(5, 0, &ch)); /* no base */
    assert_true(report_change(-50, -100, &ch) && near(ch, 0.5));
    assert_true(report_change(0, 200, &ch) && near(ch, -1.0));
    report_free(&r);
}

/* Mark an account and its content as someone else's, as `accounts set
 * --role tracked` will (directly in SQL: that command is not ours). */
static void set_tracked(struct fx *f, const char *account)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;

    assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
    assert_int_equal(
        sqlite3_prepare_v2(db,
                           "UPDATE item SET role = 'tracked' WHERE ext_id = ?1"
                           " OR account_id = (SELECT id FROM item WHERE "
                           "ext_id = ?1)",
                           -1, &st, NULL),
        SQLITE_OK);
    assert_int_equal(sqlite3_bind_text(st, 1, account, -1, SQLITE_STATIC),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_DONE);
    assert_true(sqlite3_changes(db) >= 2);
    sqlite3_finalize(st);
    sqlite3_close(db);
}

/* A tracked YouTube channel UCt (followers 5000 on day 9, 7000 on day
 * 20) with x1 (+1000 views a day and 10 likes a day) counts while it is
 * owned, and nowhere in the report once it is tracked. */
static void test_report_owned_only(void **state)
{
    struct fx *f = *state;
    struct report_opts o = {D0 + 10, D0 + 26, -1, 10};
    struct report r;
    const struct report_platform *yt;

    put(f, PLATFORM_YOUTUBE, ITEM_ACCOUNT, "UCt", NULL, TIME_NONE, T(9, 12),
        M_FOLLOWERS, 5000);
    put(f, PLATFORM_YOUTUBE, ITEM_ACCOUNT, "UCt", NULL, TIME_NONE, T(20, 12),
        M_FOLLOWERS, 7000);
    for (int d = 0; d <= 25; d++) {
        put(f, PLATFORM_YOUTUBE, ITEM_CONTENT, "x1", "UCt", T(0, 18),
            T(d, 20), M_VIEWS, 1000 * (d + 1));
        put(f, PLATFORM_YOUTUBE, ITEM_CONTENT, "x1", "UCt", T(0, 18),
            T(d, 20), M_LIKES, 10 * (d + 1));
    }
    assert_int_equal(report_build(f->st, &o, &r, &f->err), ERR_OK);
    yt = &r.platform[PLATFORM_YOUTUBE];
    assert_int_equal(yt->accounts, 2);
    assert_int_equal(yt->followers, 1250 + 7000);
    assert_int_equal(yt->range.followers_gain, 150 + 2000);
    assert_int_equal(yt->range.views_gain, 6600 + 16000);
    assert_int_equal(yt->range.interactions_gain, 160);
    assert_string_equal(r.top[0].item->ext_id, "x1");
    report_free(&r);

    set_tracked(f, "UCt");
    assert_int_equal(report_build(f->st, &o, &r, &f->err), ERR_OK);
    yt = &r.platform[PLATFORM_YOUTUBE];
    assert_int_equal(yt->accounts, 1);
    assert_int_equal(yt->content, 1);
    assert_int_equal(yt->followers, 1250);
    assert_int_equal(yt->range.followers_gain, 150);
    assert_int_equal(yt->range.views_gain, 6600);
    assert_int_equal(yt->range.interactions_gain, 0);
    assert_int_equal(yt->previous.views_gain, 1000);
    assert_int_equal(yt->content_views, 7600);
    assert_int_equal(yt->daily_followers[0], 1100);
    assert_int_equal(yt->daily_views[0], 100);
    assert_int_equal(r.total.range.views_gain, 7400);
    assert_int_equal(r.ntop, 2);
    assert_string_equal(r.top[0].item->ext_id, "v1");
    assert_string_equal(r.top[1].item->ext_id, "t1");
    report_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_report_values, setup, teardown),
        cmocka_unit_test_setup_teardown(test_report_deleted_and_edges, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(
            test_report_platform_filter_and_bounds, setup, teardown),
        cmocka_unit_test_setup_teardown(test_content_sums, setup, teardown),
        cmocka_unit_test_setup_teardown(test_report_range_engagement, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_report_week_vs_previous_week,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_report_no_views_no_engagement,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_report_owned_only, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_report_spikes_per_item, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_report_best_hour_sample, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_report_vs_typical, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
