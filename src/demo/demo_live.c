/* The demo's live streams (demo_impl.h): a plan of streams from a
 * platform's live table (platforms/demo_table.h), each stream's viewer
 * curve at its points, and its recording's and clips' views by hour. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "demo/demo_impl.h"

#define VOD_HOURLY_S (7 * DEMO_DAY) /* then daily, ... */
#define VOD_LIFE_S (60 * DEMO_DAY)  /* ... until Twitch-like expiry */
#define CLIP_HOURLY_S (2 * DEMO_DAY)
#define RAMP_S 900.0  /* viewers arrive over the first quarter hour */
#define TAIL_S 1800.0 /* and leave over the last half hour */
#define RAID_S 1200.0 /* a raid's viewers drift off */

static int64_t floor_div(int64_t a, int64_t b)
{
    return a >= 0 ? a / b : -((-a + b - 1) / b);
}

/* A standard normal draw, near enough (sum of four uniforms). */
static double normal(struct demo_rng *r)
{
    double s = demo_rng_unit(r) + demo_rng_unit(r) + demo_rng_unit(r) +
               demo_rng_unit(r);
    return (s - 2.0) * 1.7320508075688772;
}

/* One part's item: ids and text from the table, fields as the live
 * collector stores them. */
static struct item *part_item(struct demo_rng *r, const struct demo_live *lv,
                              const struct demo_live_text *in,
                              const struct item *acct, const char *kind)
{
    struct buf id, title, desc, url;
    struct item *it;

    buf_init(&id, 128);
    buf_init(&title, 512);
    buf_init(&desc, 512);
    buf_init(&url, 512);
    lv->text(r, in, &id, &title, &desc, &url);
    it = item_create(acct->platform, ITEM_CONTENT, buf_cstr(&id));
    item_set(&it->account_ext_id, acct->ext_id);
    item_set(&it->kind, kind);
    item_set(&it->title, buf_cstr(&title));
    if (desc.len > 0)
        item_set(&it->description, buf_cstr(&desc));
    item_set(&it->url, buf_cstr(&url));
    it->published_at = in->at;
    buf_free(&id);
    buf_free(&title);
    buf_free(&desc);
    buf_free(&url);
    return it;
}

/* Its curve's shape, recording and clips; grow: audience growth so far. */
static void plan_one(struct demo_rng *r, struct demo_stream *s,
                     const struct item *acct, double grow)
{
    const struct demo_live *lv = s->live;
    struct demo_live_text in = {DEMO_LIVE_STREAM, demo_rng_below(r, DEMO_GAMES),
                                s->start, acct->handle, NULL};

    s->peak = lv->peak * grow * exp(0.35 * normal(r));
    s->phase = 6.283185307179586 * demo_rng_unit(r);
    s->raid_at = -1;
    if (demo_rng_unit(r) < lv->raid_p) {
        s->raid_at = (double)s->dur * (0.3 + 0.5 * demo_rng_unit(r));
        s->raid = s->peak * (0.4 + 1.2 * demo_rng_unit(r));
    }
    s->stream = part_item(r, lv, &in, acct, lv->stream_kind);
    in.part = DEMO_LIVE_VOD;
    in.stream_title = s->stream->title;
    s->vod = part_item(r, lv, &in, acct, lv->vod_kind);
    s->vod->duration_s = s->dur;
    s->vod_views = s->peak * (1.5 + 2.0 * demo_rng_unit(r));
    s->nclips = (int)demo_rng_below(r, (uint64_t)lv->clips_max + 1);
    if (s->nclips > DEMO_CLIPS_MAX)
        s->nclips = DEMO_CLIPS_MAX;
    for (int j = 0; j < s->nclips; j++) {
        in.part = DEMO_LIVE_CLIP;
        /* at least 10 min in and 5 min before the end (dur_lo >= 20 min) */
        s->clip_at[j] = s->start + 600 +
                        (int64_t)demo_rng_below(
                            r, (uint64_t)(s->dur > 1200 ? s->dur - 900 : 300));
        in.at = s->clip_at[j];
        s->clip[j] = part_item(r, lv, &in, acct, lv->clip_kind);
        s->clip[j]->duration_s = 30;
        s->clip_views[j] = s->peak * (0.2 + 1.5 * demo_rng_unit(r));
    }
}

static struct demo_stream *push(struct demo_stream **s, size_t *n,
                                size_t *cap)
{
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 64;
        *s = xrealloc(*s, *cap * sizeof **s);
    }
    memset(&(*s)[*n], 0, sizeof **s);
    return &(*s)[(*n)++];
}

void demo_live_plan(struct demo_rng *r, const struct demo_live *lv,
                    const struct item *acct, int64_t from, int64_t limit,
                    int64_t period_s, struct demo_stream **s, size_t *n,
                    size_t *cap)
{
    int span = lv->per_week_hi - lv->per_week_lo + 1;
    int hours = lv->hour_hi - lv->hour_lo + 1;

    for (int64_t w = floor_div(from, DEMO_DAY) * DEMO_DAY; w < limit;
         w += 7 * DEMO_DAY) {
        int day[7] = {0, 1, 2, 3, 4, 5, 6};
        int k = lv->per_week_lo + (int)demo_rng_below(r, (uint64_t)span);
        for (int j = 0; j < k; j++) { /* k days of the 7 ... */
            int pick = j + (int)demo_rng_below(r, (uint64_t)(7 - j)), t;
            t = day[j], day[j] = day[pick], day[pick] = t;
        }
        for (int j = 1; j < k; j++) /* ... in order */
            for (int i = j; i > 0 && day[i - 1] > day[i]; i--) {
                int t = day[i];
                day[i] = day[i - 1], day[i - 1] = t;
            }
        for (int j = 0; j < k; j++) {
            int64_t at = w + day[j] * DEMO_DAY +
                         (lv->hour_lo + (int)demo_rng_below(r, (uint64_t)hours)) *
                             DEMO_HOUR +
                         (int64_t)demo_rng_below(r, 3600);
            int64_t dur = lv->dur_lo + (int64_t)demo_rng_below(
                                           r, (uint64_t)(lv->dur_hi - lv->dur_lo + 1));
            struct demo_stream *st;
            if (at < from || at >= limit)
                continue;
            st = push(s, n, cap);
            st->live = lv;
            st->ord = *n - 1;
            st->start = at;
            st->dur = dur;
            plan_one(r, st, acct,
                     1 + (lv->growth - 1) * (double)(at - from) /
                             (double)period_s);
        }
    }
}

void demo_live_free(struct demo_stream *s)
{
    item_destroy(s->stream);
    item_destroy(s->vod);
    for (int j = 0; j < s->nclips; j++)
        item_destroy(s->clip[j]);
}

int64_t demo_live_viewers(const struct demo_stream *s, uint64_t seed,
                          int64_t k)
{
    double x = (double)(k * s->live->point_s), dur = (double)s->dur;
    double ramp = 1 - exp(-x / RAMP_S);
    double tail = x > dur - TAIL_S ? 0.45 + 0.55 * (dur - x) / TAIL_S : 1;
    double drift = 1 + 0.12 * sin(x / 2400.0 + s->phase);
    double nz = 0.92 + 0.16 * demo_hash_unit(seed + 21, s->ord, (uint64_t)k);
    double v = s->peak * ramp * tail * drift * nz;

    if (s->raid_at >= 0 && x >= s->raid_at)
        v += s->raid * exp(-(x - s->raid_at) / RAID_S);
    return v < 0 ? 0 : (int64_t)floor(v);
}

/* The first and last point index in (t - 1 h, t] and up to end and the
 * stream's end; false when none. */
static bool points_in(const struct demo_stream *s, int64_t t, int64_t end,
                      int64_t *k0, int64_t *k1)
{
    int64_t p = s->live->point_s, hi = t < end ? t : end;
    int64_t last = s->dur / p;

    *k0 = floor_div(t - DEMO_HOUR - s->start, p) + 1;
    *k1 = floor_div(hi - s->start, p);
    if (*k0 < 1)
        *k0 = 1;
    if (*k1 > last)
        *k1 = last;
    return *k0 <= *k1;
}

double demo_live_viewer_hours(const struct demo_stream *s, uint64_t seed,
                              int64_t t, int64_t end)
{
    int64_t k0, k1;
    double sum = 0;

    if (!points_in(s, t, end, &k0, &k1))
        return 0;
    for (int64_t k = k0; k <= k1; k++)
        sum += (double)demo_live_viewers(s, seed, k);
    return sum * (double)s->live->point_s / DEMO_HOUR;
}

size_t demo_live_points(const struct demo_stream *s, uint64_t seed,
                        int64_t t, int64_t end, struct batch *b)
{
    int64_t k0, k1;
    struct item *it;

    if (!points_in(s, t, end, &k0, &k1))
        return 0;
    it = demo_batch_copy(b, s->stream);
    for (int64_t k = k0; k <= k1; k++) {
        struct snapshot *sn =
            item_snapshot_at(it, s->start + k * s->live->point_s);
        if (metrics_set_i64(&sn->metrics, M_VIEWERS,
                            demo_live_viewers(s, seed, k)) != ERR_OK)
            abort(); /* a valid name and value: only out of memory */
    }
    return (size_t)(k1 - k0 + 1);
}

/* Hourly for a while after from, then at midnight until life (0: on). */
static bool due(int64_t t, int64_t from, int64_t hourly, int64_t life)
{
    if (t < from || (life > 0 && t - from >= life))
        return false;
    return t - from < hourly || t % DEMO_DAY == 0;
}

bool demo_live_values(const struct demo_stream *s, int part, int64_t t,
                      struct demo_values *v)
{
    int64_t end = s->start + s->dur;
    double views;

    if (part == 0) {
        if (!due(t, s->start, VOD_HOURLY_S, VOD_LIFE_S))
            return false;
        views = t <= end ? 0
                         : s->vod_views *
                               (1 - exp(-(double)(t - end) / (36.0 * DEMO_HOUR)));
    } else {
        int j = part - 1;
        if (j >= s->nclips || !due(t, s->clip_at[j], CLIP_HOURLY_S, 0))
            return false;
        views = s->clip_views[j] *
                (1 - exp(-(double)(t - s->clip_at[j]) / (10.0 * DEMO_HOUR)));
    }
    demo_put(v, M_VIEWS, views);
    return true;
}
