/* The demo generator: its invariants hour by hour, its determinism, and
 * a small demo through a real store. */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/str.h"
#include "core/timeutil.h"
#include "demo/demo.h"
#include "store/store.h"

#define END 1781870400 /* 2026-06-19T12:00:00Z, a Friday */
#define DAYS 40
#define ITEMS 30

static struct demo *make(uint64_t seed, size_t items, int64_t days)
{
    struct demo_opts o;
    struct demo *d = NULL;
    struct buf err;

    buf_init(&err, 1024);
    demo_opts_default(&o, END);
    o.seed = seed;
    o.items = items;
    o.hours = days * 24;
    assert_int_equal(demo_create(&o, &d, &err), ERR_OK);
    buf_free(&err);
    return d;
}

/* How many accounts lead the items (one per platform with demo data). */
static size_t accounts_of(const struct demo *d)
{
    size_t n = 0;
    while (n < demo_item_count(d) && demo_item(d, n)->type == ITEM_ACCOUNT)
        n++;
    return n;
}

static int64_t value_of(const struct demo_values *v, const char *name)
{
    for (size_t k = 0; k < v->n; k++)
        if (strcmp(v->name[k], name) == 0)
            return v->v[k];
    fail_msg("no %s", name);
    return -1;
}

static bool all_chars(const char *s, const char *set)
{
    return s[strspn(s, set)] == '\0';
}

/* ids, urls and fields shaped like each platform's */
static void test_items(void **state)
{
    struct demo *d = make(3, ITEMS, DAYS);
    size_t na = accounts_of(d), live = 0;
    (void)state;

    /* YouTube, Instagram, TikTok, Twitch: registry order */
    assert_int_equal(na, 4);
    for (size_t j = 0; j < demo_stream_count(d); j++) {
        struct demo_stream_info si;
        assert_true(demo_stream_info(d, j, &si));
        live += 2 + si.nclips;
    }
    assert_int_equal(demo_item_count(d), na + ITEMS + live);
    for (size_t i = 0; i < na + ITEMS; i++) {
        const struct item *it = demo_item(d, i);
        const char *id = it->ext_id;
        assert_int_equal(it->type, i < na ? ITEM_ACCOUNT : ITEM_CONTENT);
        assert_null(it->thumbnail_url);
        assert_non_null(it->title);
        assert_non_null(it->url);
        if (i < na) {
            assert_int_equal(it->platform, (enum platform)i);
            continue;
        }
        assert_string_equal(it->account_ext_id,
                            demo_item(d, it->platform)->ext_id);
        assert_true(it->published_at >= demo_start(d));
        assert_true(i == na ||
                    it->published_at >= demo_item(d, i - 1)->published_at);
        if (it->platform == PLATFORM_YOUTUBE) {
            assert_int_equal(strlen(id), 11);
            assert_true(all_chars(id, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghij"
                                      "klmnopqrstuvwxyz0123456789-_"));
            assert_true(
                str_has_prefix(it->url, "https://www.youtube.com/watch?v="));
        } else if (it->platform == PLATFORM_INSTAGRAM) {
            assert_int_equal(strlen(id), 17);
            assert_true(all_chars(id, "0123456789"));
            assert_true(str_has_prefix(it->url, "https://www.instagram.com/"));
        } else {
            int64_t v;
            assert_int_equal(strlen(id), 19);
            assert_int_equal(parse_i64(id, 0, INT64_MAX, &v), ERR_OK);
            assert_int_equal(v >> 32, it->published_at); /* as TikTok's */
            assert_true(str_has_prefix(
                it->url, "https://www.tiktok.com/@pixelpaceruns/video/"));
        }
    }
    demo_destroy(d);
}

struct seen {
    int64_t first_t, last_t;
    struct demo_values last;
    size_t drops;
    bool dipped_as_planned;
};

/* One item's hour: counters never fall, except views removed as spam. */
static void check_hour(const struct demo *d, size_t i, struct seen *s,
                       const struct demo_values *v,
                       const struct demo_events *ev)
{
    const struct item *it = demo_item(d, i);

    if (s->first_t == TIME_NONE) {
        s->first_t = v->observed_at;
        if (it->type == ITEM_CONTENT) /* first seen in its first hour */
            assert_true(v->observed_at >= it->published_at &&
                        v->observed_at - it->published_at < 3600);
    } else {
        assert_int_equal(s->last_t + 3600, v->observed_at); /* no gaps */
        for (size_t k = 0; k < v->n && it->type == ITEM_CONTENT; k++) {
            int64_t was = value_of(&s->last, v->name[k]);
            if (v->v[k] >= was)
                continue;
            assert_string_equal(v->name[k], M_VIEWS);
            assert_true(was - v->v[k] <= was * 31 / 1000 + 1);
            s->drops++;
            if (it == ev->dip.item && v->observed_at == ev->dip.at)
                s->dipped_as_planned = true;
        }
    }
    s->last_t = v->observed_at;
    s->last = *v;
}

/* YouTube content published in the hour up to t. */
static int64_t published_in(const struct demo *d, int64_t t)
{
    int64_t n = 0;
    for (size_t i = 3; i < demo_item_count(d); i++) {
        const struct item *it = demo_item(d, i);
        n += it->platform == PLATFORM_YOUTUBE && it->published_at <= t &&
             it->published_at > t - 3600;
    }
    return n;
}

static void test_invariants(void **state)
{
    struct demo *d = make(3, ITEMS, DAYS);
    size_t n = accounts_of(d) + ITEMS, drops = 0; /* streams: test_live */
    struct seen *s = xcalloc(n, sizeof *s);
    struct demo_events ev;
    struct demo_values v;
    int64_t count_before = -1, viral_pre = -1, viral_at = -1, viral_post = -1;
    (void)state;

    demo_events(d, &ev);
    assert_non_null(ev.viral.item);
    assert_non_null(ev.deleted.item);
    assert_non_null(ev.dip.item);
    assert_int_equal(ev.best_slot, 4 * 24 + 17);
    for (size_t i = 0; i < n; i++)
        s[i].first_t = TIME_NONE;
    assert_false(demo_values(d, 0, &v)); /* nothing before the first step */
    while (demo_step(d)) {
        int64_t t = demo_start(d) + demo_current_hour(d) * 3600;
        for (size_t i = 0; i < n; i++) {
            const struct item *it = demo_item(d, i);
            bool has = demo_values(d, i, &v);
            if (it == ev.deleted.item)
                assert_true(has ==
                            (t >= it->published_at && t < ev.deleted.at));
            else
                assert_true(has == (t >= it->published_at));
            if (!has)
                continue;
            assert_int_equal(v.observed_at, t);
            check_hour(d, i, &s[i], &v, &ev);
            if (it == ev.viral.item && t == ev.viral.at - 86400)
                viral_pre = value_of(&v, M_VIEWS);
            if (it == ev.viral.item && t == ev.viral.at)
                viral_at = value_of(&v, M_VIEWS);
            if (it == ev.viral.item && t == ev.viral.at + 86400)
                viral_post = value_of(&v, M_VIEWS);
        }
        /* the channel's count: videos published, less the deleted one */
        assert_true(demo_values(d, PLATFORM_YOUTUBE, &v));
        if (count_before >= 0)
            assert_int_equal(value_of(&v, "yt.videoCount"),
                             count_before + published_in(d, t) -
                                 (t == ev.deleted.at));
        count_before = value_of(&v, "yt.videoCount");
    }
    assert_false(demo_step(d)); /* stays at the end */
    assert_int_equal(demo_current_hour(d), demo_hours(d) - 1);
    for (size_t i = 0; i < n; i++) {
        assert_int_not_equal(s[i].first_t, TIME_NONE);
        drops += s[i].drops;
        if (demo_item(d, i) == ev.dip.item)
            assert_true(s[i].dipped_as_planned);
    }
    assert_true(drops >= 1 && drops < n); /* dips are rare */
    /* the viral day: far more than the whole day before */
    assert_true(viral_pre > 0 && viral_at >= viral_pre);
    assert_true(viral_post - viral_at > 20 * (viral_at - viral_pre + 1));
    free(s);
    demo_destroy(d);
}

/* The links of b with from, rel and to: its offset, or -2 when absent. */
static int64_t link_offset(const struct batch *b, const char *from,
                           const char *rel, const char *to)
{
    for (size_t k = 0; k < b->nlinks; k++)
        if (strcmp(b->links[k].from_ext, from) == 0 &&
            strcmp(b->links[k].rel, rel) == 0 &&
            strcmp(b->links[k].to_ext, to) == 0)
            return b->links[k].offset_s;
    return -2;
}

/* One stream's plan: evening UTC, 2 to 4 hours, its recording and clips
 * described as the collector stores Twitch's. */
static void check_stream_plan(const struct demo_stream_info *si)
{
    int64_t hour = (si->started_at % 86400) / 3600;

    assert_true(hour >= 18 && hour <= 20);
    assert_true(si->duration_s >= 7200 && si->duration_s <= 14400);
    assert_int_equal(si->point_s, 300);
    assert_string_equal(si->stream->kind, "stream");
    assert_int_equal(si->stream->published_at, si->started_at);
    assert_non_null(si->stream->description); /* the game */
    assert_string_equal(si->vod->kind, "archive");
    assert_int_equal(si->vod->published_at, si->started_at);
    assert_int_equal(si->vod->duration_s, si->duration_s);
    assert_string_equal(si->vod->title, si->stream->title);
    assert_true(si->nclips <= 3);
    for (size_t k = 0; k < si->nclips; k++) {
        assert_string_equal(si->clip[k]->kind, "clip");
        assert_true(si->clip[k]->published_at >= si->started_at + 600 &&
                    si->clip[k]->published_at <
                        si->started_at + si->duration_s - 300);
    }
}

struct live_seen {
    size_t points;
    int64_t first, max, last;
    int64_t mid[64]; /* points of the middle half, for a median */
    size_t nmid;
    bool vod_link;
    size_t clip_links;
};

/* Stream j's points in b (one hour's batch): every 5 minutes from its
 * start, within its duration, the plan's curve; its links. */
static void check_points(const struct demo *d, size_t j,
                         const struct demo_stream_info *si,
                         const struct batch *b, struct live_seen *ls)
{
    const struct item *it = batch_find(b, si->stream->platform, ITEM_CONTENT,
                                       si->stream->ext_id);
    int64_t n = si->duration_s / si->point_s;

    for (size_t k = 0; it != NULL && k < it->nsnaps; k++) {
        const struct snapshot *sn = it->snaps[k];
        const struct metric *m = metrics_get(&sn->metrics, M_VIEWERS);
        int64_t at = sn->observed_at - si->started_at;
        int64_t p = at / si->point_s;
        assert_non_null(m);
        assert_int_equal(sn->metrics.n, 1);
        assert_int_equal(at % si->point_s, 0);
        assert_int_equal(p, (int64_t)ls->points + 1); /* none skipped */
        assert_true(p >= 1 && p <= n);
        assert_int_equal(m->i, demo_stream_viewers(d, j, p));
        if (p == 1)
            ls->first = m->i;
        ls->max = m->i > ls->max ? m->i : ls->max;
        ls->last = m->i;
        if (p > n / 4 && p <= 3 * n / 4 && ls->nmid < 64)
            ls->mid[ls->nmid++] = m->i;
        ls->points++;
    }
    if (link_offset(b, si->vod->ext_id, "vod_of", si->stream->ext_id) == -1)
        ls->vod_link = true;
    for (size_t k = 0; k < si->nclips; k++)
        ls->clip_links +=
            link_offset(b, si->clip[k]->ext_id, "clip_of", si->vod->ext_id) ==
            si->clip[k]->published_at - si->started_at;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* A whole stream's curve: ramp, plateau, tail; linked once. */
static void check_curve(const struct demo_stream_info *si,
                        struct live_seen *ls)
{
    int64_t med;

    assert_int_equal(ls->points, si->duration_s / si->point_s);
    assert_true(ls->vod_link);
    assert_int_equal(ls->clip_links, si->nclips);
    qsort(ls->mid, ls->nmid, sizeof ls->mid[0], cmp_i64);
    med = ls->mid[ls->nmid / 2];
    assert_true(ls->first * 2 < med); /* ramps up */
    assert_true(ls->last < med);      /* tails off */
    assert_true(ls->max >= med && med > 0);
}

/* Streams 3 to 5 a week; each stream's points come from demo_hour every
 * 5 minutes within its duration and none from the hourly values; the
 * recording's and clips' links come once, with the recording. */
static void test_live(void **state)
{
    struct demo *d = make(3, ITEMS, 28);
    size_t ns = demo_stream_count(d);
    struct demo_stream_info *si = xcalloc(ns, sizeof *si);
    struct live_seen *ls = xcalloc(ns, sizeof *ls);
    struct demo_values v;
    size_t made = 0, n;
    (void)state;

    /* 28 days from 13:00: four whole weeks of evenings */
    assert_true(ns >= 4 * 3 && ns <= 4 * 5);
    for (size_t j = 0; j < ns; j++) {
        assert_true(demo_stream_info(d, j, &si[j]));
        check_stream_plan(&si[j]);
        assert_true(j == 0 || si[j].started_at > si[j - 1].started_at);
    }
    do {
        struct batch b;
        batch_init(&b);
        n = demo_hour(d, &b);
        assert_int_equal(batch_snapshot_count(&b), n);
        for (size_t j = 0; j < ns; j++)
            check_points(d, j, &si[j], &b, &ls[j]);
        for (size_t i = accounts_of(d) + ITEMS;
             i < accounts_of(d) + ITEMS + ns; i++)
            assert_false(demo_values(d, i, &v)); /* streams: points only */
        made += n;
        batch_free(&b);
    } while (n > 0);
    assert_true(made > 0);
    for (size_t j = 0; j < ns; j++) /* END is noon: none is live then */
        check_curve(&si[j], &ls[j]);
    free(si);
    free(ls);
    demo_destroy(d);
}

/* A digest of everything a demo generates, hour by hour. */
static uint64_t fingerprint(struct demo *d)
{
    uint64_t h = 1469598103934665603ULL;
    struct demo_values v;

    for (size_t i = 0; i < demo_item_count(d); i++) {
        const struct item *it = demo_item(d, i);
        for (const char *c = it->ext_id; *c; c++)
            h = (h ^ (uint64_t)(unsigned char)*c) * 1099511628211ULL;
        for (const char *c = it->title; *c; c++)
            h = (h ^ (uint64_t)(unsigned char)*c) * 1099511628211ULL;
        h = (h ^ (uint64_t)it->published_at) * 1099511628211ULL;
    }
    while (demo_step(d))
        for (size_t i = 0; i < demo_item_count(d); i++)
            if (demo_values(d, i, &v))
                for (size_t k = 0; k < v.n; k++)
                    h = (h ^ (uint64_t)v.v[k] ^ ((uint64_t)i << 40)) *
                        1099511628211ULL;
    return h;
}

static void test_deterministic(void **state)
{
    struct demo *a = make(11, ITEMS, 20), *b = make(11, ITEMS, 20);
    struct demo *c = make(12, ITEMS, 20);
    uint64_t fa, fb, fc;
    (void)state;

    assert_string_equal(demo_item(a, 5)->ext_id, demo_item(b, 5)->ext_id);
    assert_string_not_equal(demo_item(a, 5)->ext_id, demo_item(c, 5)->ext_id);
    fa = fingerprint(a);
    fb = fingerprint(b);
    fc = fingerprint(c);
    assert_true(fa == fb);
    assert_true(fa != fc);
    demo_destroy(a);
    demo_destroy(b);
    demo_destroy(c);
}

/* Most posts go out in weekly slots; Thursday 17:00 UTC is the busiest
 * and, per post, the best (first-week views). */
static void test_best_slot(void **state)
{
    struct demo *d = make(5, DEMO_ITEMS_DEFAULT, 120);
    size_t count[168] = {0}, best = 0;
    struct demo_events ev;
    (void)state;

    demo_events(d, &ev);
    for (size_t i = accounts_of(d); i < accounts_of(d) + DEMO_ITEMS_DEFAULT;
         i++) {
        int64_t t = demo_item(d, i)->published_at;
        int64_t days = t / 86400;
        count[((days + 4) % 7) * 24 + (t % 86400) / 3600]++;
    }
    for (size_t k = 0; k < 168; k++)
        if (count[k] > count[best])
            best = k;
    assert_int_equal(best, (size_t)ev.best_slot);
    assert_true(count[best] > DEMO_ITEMS_DEFAULT / 6);
    demo_destroy(d);
}

static void test_bad_options(void **state)
{
    struct demo_opts o;
    struct demo *d = (struct demo *)&o;
    struct buf err;
    (void)state;

    buf_init(&err, 1024);
    demo_opts_default(&o, END);
    o.items = 2;
    assert_int_equal(demo_create(&o, &d, &err), ERR_INVALID);
    assert_null(d);
    assert_non_null(strstr(buf_cstr(&err), "items"));
    demo_opts_default(&o, END);
    o.hours = 0;
    assert_int_equal(demo_create(&o, &d, &err), ERR_INVALID);
    demo_opts_default(&o, END);
    o.publish_span = 0;
    assert_int_equal(demo_create(&o, &d, &err), ERR_INVALID);
    /* one hour is a demo too: three accounts and what was published */
    demo_opts_default(&o, END);
    o.hours = 1;
    assert_int_equal(demo_create(&o, &d, &err), ERR_OK);
    assert_true(demo_step(d));
    assert_false(demo_step(d));
    demo_destroy(d);
    buf_free(&err);
}

/* A small demo through a real store: everything generated is stored, once. */
static void test_store(void **state)
{
    struct tu_store_fx *f = *state;
    struct demo *d = make(9, 12, 15);
    struct item_query q = {.type = ITEM_CONTENT, .platform = -1};
    struct ingest_stats st, total = {0};
    size_t made = 0, n = 1;
    int64_t count = 0;
    struct demo_events ev;
    struct item *hist = NULL;

    demo_events(d, &ev);
    while (n > 0) {
        struct batch b;
        batch_init(&b);
        n = 0;
        for (int k = 0; k < 24; k++)
            n += demo_hour(d, &b);
        assert_int_equal(batch_snapshot_count(&b), n);
        if (n > 0) {
            assert_int_equal(store_ingest(f->st, &b, NULL, &st, &f->err),
                             ERR_OK);
            total.snapshots_new += st.snapshots_new;
            total.items_new += st.items_new;
        }
        made += n;
        batch_free(&b);
    }
    assert_int_equal(total.snapshots_new, made);
    /* every item generated, accounts and streams' parts included */
    assert_int_equal(total.items_new, demo_item_count(d));
    assert_true(demo_stream_count(d) >= 3 * 2); /* 15 days: 2 weeks */
    assert_int_equal(store_count_items(f->st, &q, &count), ERR_OK);
    assert_int_equal(count, (int64_t)(demo_item_count(d) - 4));
    q.type = ITEM_ACCOUNT;
    assert_int_equal(store_count_items(f->st, &q, &count), ERR_OK);
    assert_int_equal(count, 4);
    /* the dipping item's history as stored */
    assert_non_null(ev.dip.item);
    assert_int_equal(
        store_item_history(f->st, ev.dip.item->ext_id, &hist, &f->err), ERR_OK);
    assert_true(hist->nsnaps > 24);
    assert_int_equal(hist->published_at, ev.dip.item->published_at);
    item_destroy(hist);
    demo_destroy(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_items),
        cmocka_unit_test(test_invariants),
        cmocka_unit_test(test_live),
        cmocka_unit_test(test_deterministic),
        cmocka_unit_test(test_best_slot),
        cmocka_unit_test(test_bad_options),
        cmocka_unit_test_setup_teardown(test_store, tu_store_setup,
                                        tu_store_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
