#include "analytics/report.h"

#include <stdlib.h>
#include <string.h>

#include "analytics/top.h"
#include "core/alloc.h"
#include "core/jsonw.h"
#include "core/str.h"
#include "core/timeutil.h"
#include "core/tz.h"

#define SPIKE_WINDOW 14     /* days of baseline before a day */
#define SPIKE_MIN_HISTORY 7 /* known days needed to judge one */
#define SPIKE_THRESHOLD 6.0 /* robust z-score */
#define SPIKE_MIN_EXCESS 50 /* views above baseline, to ignore tiny items */
#define SPIKES_MAX 20
#define FIRST_DAYS REPORT_FIRST_DAYS /* heatmap score: first week's views */

/* The counters whose gains the report sums, views first; the others
 * are the interactions. */
static const char *const gain_metrics[] = {M_VIEWS, M_LIKES, M_COMMENTS,
                                           M_SHARES, M_SAVES};
#define NGAIN_METRICS (sizeof gain_metrics / sizeof gain_metrics[0])

struct build {
    struct store *st;
    const struct report_opts *o;
    struct report *r;
    struct buf *err;
    int32_t ndays;
    size_t metric; /* the gain_metrics entry being summed */
    /* Views gained in [from, to) per content item with a known gain
     * there, gathered by the spike walk for the top list; owned. */
    struct store_ranked *gained;
    size_t ngained, gained_cap;
};

/* One account's content gains of one metric on one day: into the range
 * or the previous range they fall in. */
static enum err on_account_gain(void *ud, int64_t account_id, enum platform p,
                                int32_t day, int64_t gain)
{
    struct build *b = ud;
    struct report_platform *rp = &b->r->platform[p];
    bool in_range = day >= b->o->from_day && day < b->o->to_day;
    struct report_gains *g = in_range ? &rp->range : &rp->previous;

    (void)account_id;
    if (!in_range && (day < b->r->prev_from_day || day >= b->o->from_day))
        return ERR_OK;
    if (b->metric > 0) {
        g->interactions_gain += gain;
        return ERR_OK;
    }
    g->views_gain += gain;
    if (in_range)
        rp->daily_views[day - b->o->from_day] += gain;
    return ERR_OK;
}

/* Follower growth over [from, to) into g, when there is a value. */
static void add_growth(const struct day_point *pts, size_t n, int32_t from,
                       int32_t to, struct report_gains *g)
{
    int64_t growth;
    if (analytics_growth(pts, n, from, to, &growth)) {
        g->followers_gain += growth;
        g->has_followers_gain = true;
    }
}

/* One account's followers at the end of each day of the range (its
 * days ascending, from store_item_days), carried over days without a
 * snapshot. */
static void add_daily_followers(struct build *b, struct report_platform *rp,
                                const struct store_day *days, size_t n)
{
    int64_t v = 0;
    bool have = false;
    size_t j = 0;

    for (int32_t d = b->o->from_day; d < b->o->to_day; d++) {
        for (; j < n && days[j].day <= d; j++) {
            v = days[j].last_v;
            have = true;
        }
        if (have) {
            rp->daily_followers[d - b->o->from_day] += v;
            rp->daily_followers_known[d - b->o->from_day] = true;
        }
    }
}

static enum err on_account(void *ud, const struct store_account_sum *a)
{
    struct build *b = ud;
    struct report_platform *rp = &b->r->platform[a->platform];
    struct store_day *days = NULL;
    struct day_point *pts;
    size_t n = 0;
    enum err rc;

    rp->present = true;
    rp->accounts++;
    if (a->has_views) {
        rp->channel_views += a->views;
        rp->has_channel_views = true;
    }
    if (!a->has_followers)
        return ERR_OK;
    rp->followers += a->followers;
    rp->has_followers = true;
    rc = store_item_days(b->st, a->account_id, M_FOLLOWERS,
                         b->r->prev_from_day, b->o->to_day, &days, &n);
    if (rc != ERR_OK)
        return rc;
    pts = xcalloc(n ? n : 1, sizeof *pts);
    for (size_t i = 0; i < n; i++)
        pts[i] = (struct day_point){days[i].day, days[i].last_v};
    add_growth(pts, n, b->o->from_day, b->o->to_day, &rp->range);
    add_growth(pts, n, b->r->prev_from_day, b->o->from_day, &rp->previous);
    add_daily_followers(b, rp, days, n);
    free(pts);
    free(days);
    return ERR_OK;
}

/* Views gained in the first FIRST_DAYS days after publication, when the
 * rollups cover them. */
static bool first_days_views(struct store *st, const struct item *it,
                             int64_t *out)
{
    int32_t d0 = store_day_of(st, it->published_at);
    bool any = false;

    /* One summed range read: the report asks for every content item. */
    if (store_item_gain_sum(st, it->id, M_VIEWS, d0, d0 + FIRST_DAYS, out,
                            &any) != ERR_OK)
        return false;
    return any;
}

void report_heatmap_add(struct store *st, const struct item *it,
                        struct heatmap *h)
{
    int64_t first;
    struct tz_civil c;

    /* The publish hour on the creator's clock: the rollup zone's. */
    if (it->published_at != TIME_NONE && first_days_views(st, it, &first)) {
        tz_to_civil(store_rollup_zone(st), it->published_at, &c);
        heatmap_add(h, c.wday, c.hour, (double)first);
    }
}

/* Spikes: one walk over every content item's daily views gained in
 * [from - SPIKE_WINDOW, to), read in day order (the rollups in place),
 * judging each day of the range against the item's window before it as
 * it comes: per item only a ring of its last days, so the walk's memory
 * is the item count's, not items x days. Each item's spike days are
 * summed up as one run, its score the highest of them; the SPIKES_MAX
 * highest scores are kept, then only their items' days are read again
 * (one item each) for the run's peak, days and excess, with the same
 * judgment (analytics_spikes, analytics_spike_run) over the whole span. */
#define RING 16 /* a power of two > SPIKE_WINDOW: the window and the day */

struct item_walk {
    int64_t gain[RING]; /* the item's gain of day d in slot d & (RING-1) */
    int32_t day[RING];  /* the day a slot holds (another day: unknown) */
    int64_t sum;        /* its known gains in [from_day, to_day) */
    bool in_range;      /* whether it has one */
    size_t found;       /* its spike days */
    double score;       /* the highest score among them */
    int32_t neg_day;    /* its latest day with a negative gain */
};

struct spike_walk {
    struct build *b;
    int32_t from;           /* first day read: from_day - SPIKE_WINDOW */
    size_t span;            /* days read */
    int64_t *id;            /* the items, ascending */
    struct item_walk *item; /* per item of id */
    size_t n;
    int64_t *item_of;       /* per kept spike */
};

static enum err on_content_ids(void *ud, const int64_t *ids, size_t n)
{
    struct spike_walk *w = ud;

    w->n = n;
    w->id = xcalloc(n ? n : 1, sizeof *w->id);
    if (n > 0)
        memcpy(w->id, ids, n * sizeof *ids);
    w->item = xcalloc(n ? n : 1, sizeof *w->item);
    for (size_t k = 0; k < n; k++) {
        for (size_t i = 0; i < RING; i++)
            w->item[k].day[i] = INT32_MIN;
        w->item[k].neg_day = INT32_MIN;
    }
    return ERR_OK;
}

/* Judge one day of the range (as analytics_spikes does, from its window
 * of SPIKE_WINDOW days before it). */
static void judge_day(struct item_walk *it, int32_t day, int64_t gain)
{
    double hist[SPIKE_WINDOW], low = 0;
    struct spike sp;
    size_t h = 0;

    for (int32_t j = day - SPIKE_WINDOW; j < day; j++) {
        size_t slot = (uint32_t)j & (RING - 1);
        if (it->day[slot] != j)
            continue;
        hist[h] = (double)it->gain[slot];
        if (h == 0 || hist[h] < low)
            low = hist[h];
        h++;
    }
    if (!analytics_spike_judge(hist, h, low, gain, SPIKE_MIN_HISTORY,
                               SPIKE_THRESHOLD, SPIKE_MIN_EXCESS, &sp))
        return;
    if (it->found == 0 || sp.score > it->score)
        it->score = sp.score;
    it->found++;
}

static enum err on_day_gain(void *ud, size_t k, int32_t day, int64_t gain)
{
    struct spike_walk *w = ud;
    struct item_walk *it = &w->item[k];
    size_t slot = (uint32_t)day & (RING - 1);

    if (day >= w->b->o->from_day && day < w->b->o->to_day) {
        it->sum += gain;
        it->in_range = true;
        /* A spike is at least SPIKE_MIN_EXCESS above the window's
         * median, which is at least its lowest gain: with no negative
         * gain in the window, a smaller gain cannot be one (most days of
         * most items; the window is not even gathered). */
        if (gain >= SPIKE_MIN_EXCESS || it->neg_day >= day - SPIKE_WINDOW)
            judge_day(it, day, gain);
    }
    if (gain < 0)
        it->neg_day = day;
    it->gain[slot] = gain;
    it->day[slot] = day;
    return ERR_OK;
}

/* Keep item k's run by its score among the SPIKES_MAX highest (a full
 * list replaces its weakest, on a higher score only); items come in id
 * order. */
static void keep_spike(struct spike_walk *w, size_t k)
{
    struct report *r = w->b->r;
    size_t at = r->nspikes;

    if (r->nspikes == SPIKES_MAX) { /* full: replace the weakest */
        at = 0;
        for (size_t i = 1; i < r->nspikes; i++)
            if (r->spikes[i].score < r->spikes[at].score)
                at = i;
        if (r->spikes[at].score >= w->item[k].score)
            return;
    } else {
        r->nspikes++;
    }
    r->spikes[at].score = w->item[k].score;
    w->item_of[at] = w->id[k];
}

/* Kept spike i's run from its item's days, read again. false when the
 * item has no spike any more (changed since the walk). */
static enum err spike_run_of(struct spike_walk *w, size_t i, int64_t *gain,
                             bool *known, struct spike *sp, bool *ok)
{
    struct report_spike *out = &w->b->r->spikes[i];
    struct store_day *days = NULL;
    struct spike_run run;
    size_t n = 0, found;
    enum err rc = store_item_days(w->b->st, w->item_of[i], M_VIEWS, w->from,
                                  w->b->o->to_day, &days, &n);

    *ok = false;
    if (rc != ERR_OK)
        return rc;
    memset(known, 0, w->span * sizeof *known);
    for (size_t j = 0; j < n; j++)
        if (days[j].has_gain && days[j].day >= w->from &&
            (size_t)(days[j].day - w->from) < w->span) {
            gain[days[j].day - w->from] = days[j].gain;
            known[days[j].day - w->from] = true;
        }
    free(days);
    found = analytics_spikes(gain, known, w->span, SPIKE_WINDOW, SPIKE_WINDOW,
                             SPIKE_MIN_HISTORY, SPIKE_THRESHOLD,
                             SPIKE_MIN_EXCESS, sp, w->span);
    if (!analytics_spike_run(gain, known, w->span, SPIKE_WINDOW, sp, found,
                             &run))
        return ERR_OK;
    *out = (struct report_spike){
        NULL,      w->from + (int32_t)run.peak, run.gain, run.baseline,
        run.score, (int32_t)run.days,           run.excess};
    *ok = true;
    return ERR_OK;
}
static int cmp_spike(const void *a, const void *b)
{
    const struct report_spike *x = a, *y = b;
    if (x->score != y->score)
        return x->score < y->score ? 1 : -1;
    return (x->day > y->day) - (x->day < y->day);
}

/* After the walk, in item order: the views gained per item for the top
 * list, and the runs to keep. */
static void walk_done(struct spike_walk *w)
{
    struct build *b = w->b;

    for (size_t k = 0; k < w->n; k++) {
        if (w->item[k].in_range) {
            b->gained = xgrow(b->gained, &b->gained_cap, b->ngained + 1,
                              sizeof *b->gained);
            b->gained[b->ngained++] =
                (struct store_ranked){w->id[k], w->item[k].sum};
        }
        if (w->item[k].found > 0)
            keep_spike(w, k);
    }
}

/* The kept spikes' runs and items (a spike whose item has none any more
 * is dropped), strongest first. */
static enum err load_spikes(struct spike_walk *w)
{
    struct report *r = w->b->r;
    int64_t *gain = xcalloc(w->span, sizeof *gain);
    bool *known = xcalloc(w->span, sizeof *known);
    struct spike *sp = xcalloc(w->span, sizeof *sp);
    enum err rc = ERR_OK;
    size_t kept = 0;

    for (size_t i = 0; i < r->nspikes && rc == ERR_OK; i++) {
        bool ok = false;
        rc = spike_run_of(w, i, gain, known, sp, &ok);
        if (rc == ERR_OK && ok)
            rc = store_item_by_id(w->b->st, w->item_of[i], &r->spikes[i].item);
        if (rc == ERR_OK && ok) {
            r->spikes[kept] = r->spikes[i];
            kept++;
        }
    }
    r->nspikes = kept;
    if (rc == ERR_OK)
        qsort(r->spikes, r->nspikes, sizeof *r->spikes, cmp_spike);
    free(gain);
    free(known);
    free(sp);
    return rc;
}

static enum err find_spikes(struct build *b)
{
    struct spike_walk w = {b, b->o->from_day - SPIKE_WINDOW, 0, NULL, NULL,
                           0, NULL};
    struct report *r = b->r;
    enum err rc;

    w.span = (size_t)(b->o->to_day - w.from);
    w.item_of = xcalloc(SPIKES_MAX, sizeof *w.item_of);
    r->spikes = xcalloc(SPIKES_MAX, sizeof *r->spikes);
    rc = store_content_day_gains(b->st, M_VIEWS, b->o->platform, w.from,
                                 b->o->to_day, on_content_ids, on_day_gain,
                                 &w);
    if (rc == ERR_OK) {
        walk_done(&w);
        rc = load_spikes(&w);
    }
    free(w.id);
    free(w.item);
    free(w.item_of);
    return rc;
}

/* A content item's latest figures and its first week (as
 * report_heatmap_add scores it), from one walk over all content. */
void report_heatmap_add_sum(struct store *st,
                            const struct store_content_sum *c,
                            struct heatmap *h)
{
    struct tz_civil civ;

    if (c->published_at != TIME_NONE && c->has_first) {
        tz_to_civil(store_rollup_zone(st), c->published_at, &civ);
        heatmap_add(h, civ.wday, civ.hour, (double)c->first_gain);
    }
}

static enum err on_content(void *ud, const struct store_content_sum *c)
{
    struct build *b = ud;
    struct report_platform *rp = &b->r->platform[c->platform];

    rp->present = true;
    rp->content++;
    rp->content_views += c->views;
    rp->content_interactions += c->interactions;
    report_heatmap_add_sum(b->st, c, &b->r->heat);
    return ERR_OK;
}

/* The top content by views gained, from the sums the spike walk took
 * (the same rows top_gains would read again), in its order. */
static enum err load_top(struct build *b)
{
    struct store_ranked *v = b->gained;
    size_t n = b->ngained < b->o->top_n ? b->ngained : b->o->top_n;
    struct report *r = b->r;
    enum err rc = ERR_OK;

    if (b->ngained > 1)
        qsort(b->gained, b->ngained, sizeof *b->gained, top_cmp_ranked);
    r->top = xcalloc(n ? n : 1, sizeof *r->top);
    for (size_t i = 0; i < n && rc == ERR_OK; i++) {
        rc = store_item_by_id(b->st, v[i].item_id, &r->top[r->ntop].item);
        if (rc == ERR_OK)
            r->top[r->ntop++].gain = v[i].gain;
    }
    return rc;
}

static void gains_add(struct report_gains *t, const struct report_gains *g)
{
    t->views_gain += g->views_gain;
    t->interactions_gain += g->interactions_gain;
    t->followers_gain += g->followers_gain;
    t->has_followers_gain |= g->has_followers_gain;
}

/* The rates of one platform's (or the total's) figures. */
static void rates(struct report_platform *x)
{
    x->range.has_engagement = analytics_engagement(
        x->range.interactions_gain, 0, 0, 0, x->range.views_gain,
        &x->range.engagement);
    x->previous.has_engagement = analytics_engagement(
        x->previous.interactions_gain, 0, 0, 0, x->previous.views_gain,
        &x->previous.engagement);
    x->has_lifetime_engagement =
        analytics_engagement(x->content_interactions, 0, 0, 0,
                             x->content_views, &x->lifetime_engagement);
}

static void totals(struct report *r, int32_t ndays)
{
    struct report_platform *t = &r->total;
    for (int p = 0; p < PLATFORM_COUNT; p++) {
        const struct report_platform *rp = &r->platform[p];
        rates(&r->platform[p]);
        t->present |= rp->present;
        t->accounts += rp->accounts;
        t->content += rp->content;
        t->followers += rp->followers;
        t->has_followers |= rp->has_followers;
        gains_add(&t->range, &rp->range);
        gains_add(&t->previous, &rp->previous);
        t->channel_views += rp->channel_views;
        t->has_channel_views |= rp->has_channel_views;
        t->content_views += rp->content_views;
        t->content_interactions += rp->content_interactions;
        for (int32_t d = 0; d < ndays; d++) {
            t->daily_views[d] += rp->daily_views[d];
            t->daily_followers[d] += rp->daily_followers[d];
            t->daily_followers_known[d] |= rp->daily_followers_known[d];
        }
    }
    rates(t);
}

static enum err build(struct build *b)
{
    enum err rc = store_account_sums(b->st, b->o->platform, on_account, b);
    /* Each metric's gains over both ranges in one read. */
    for (b->metric = 0; rc == ERR_OK && b->metric < NGAIN_METRICS;
         b->metric++)
        rc = store_account_gains(b->st, gain_metrics[b->metric],
                                 b->o->platform, b->r->prev_from_day,
                                 b->o->to_day, on_account_gain, b);
    if (rc == ERR_OK)
        rc = store_content_sums(b->st, b->o->platform, on_content, b);
    if (rc == ERR_OK)
        rc = find_spikes(b);
    if (rc == ERR_OK)
        rc = load_top(b);
    return rc;
}

static void alloc_days(struct report_platform *rp, int32_t ndays)
{
    rp->daily_views = xcalloc((size_t)ndays, sizeof *rp->daily_views);
    rp->daily_followers = xcalloc((size_t)ndays, sizeof *rp->daily_followers);
    rp->daily_followers_known =
        xcalloc((size_t)ndays, sizeof *rp->daily_followers_known);
}

static void free_days(struct report_platform *rp)
{
    free(rp->daily_views);
    free(rp->daily_followers);
    free(rp->daily_followers_known);
}

enum err report_build(struct store *st, const struct report_opts *o,
                      struct report *out, struct buf *err)
{
    struct build b = {st, o, out, err, o->to_day - o->from_day, 0,
                      NULL, 0, 0};
    enum err rc;

    memset(out, 0, sizeof *out);
    if (b.ndays <= 0 || b.ndays > 3660) {
        buf_setf(err, "a report covers 1 to 3660 days, not %d", (int)b.ndays);
        return ERR_INVALID;
    }
    out->from_day = o->from_day;
    out->to_day = o->to_day;
    out->prev_from_day = o->from_day - b.ndays;
    out->zone = tz_name(store_rollup_zone(st));
    heatmap_init(&out->heat);
    for (int p = 0; p < PLATFORM_COUNT; p++)
        alloc_days(&out->platform[p], b.ndays);
    alloc_days(&out->total, b.ndays);
    rc = build(&b);
    free(b.gained);
    if (rc != ERR_OK) {
        if (err->len == 0)
            buf_setf(err, "building the report: %s", err_str(rc));
        report_free(out);
        return rc;
    }
    totals(out, b.ndays);
    out->best_hour = heatmap_best(&out->heat, REPORT_MIN_SAMPLE);
    return ERR_OK;
}

void report_free(struct report *r)
{
    if (r == NULL)
        return;
    for (int p = 0; p < PLATFORM_COUNT; p++)
        free_days(&r->platform[p]);
    free_days(&r->total);
    for (size_t i = 0; i < r->ntop; i++)
        item_destroy(r->top[i].item);
    free(r->top);
    for (size_t i = 0; i < r->nspikes; i++)
        item_destroy(r->spikes[i].item);
    free(r->spikes);
    memset(r, 0, sizeof *r);
}

const char *const report_wday_names[7] = {"Sun", "Mon", "Tue", "Wed",
                                          "Thu", "Fri", "Sat"};

static void json_day(struct jw *w, const char *key, int32_t day)
{
    struct buf b;
    buf_init(&b, 32);
    if (time_format_day(day, &b) != ERR_OK)
        buf_reset(&b);
    jw_kv_str(w, key, buf_cstr(&b));
    buf_free(&b);
}

static void json_opt_i64(struct jw *w, const char *key, bool has, int64_t v)
{
    jw_key(w, key);
    has ? jw_i64(w, v) : jw_null(w);
}

static void json_opt_real(struct jw *w, const char *key, bool has, double v)
{
    jw_key(w, key);
    has ? jw_real(w, v) : jw_null(w);
}

/* A range's gains as members of the open object. */
static void json_gains(struct jw *w, const struct report_gains *g)
{
    json_opt_i64(w, "followers_gain", g->has_followers_gain,
                 g->followers_gain);
    jw_kv_i64(w, "views_gain", g->views_gain);
    jw_kv_i64(w, "interactions_gain", g->interactions_gain);
    json_opt_real(w, "engagement", g->has_engagement, g->engagement);
}

static void json_platform(struct jw *w, const struct report_platform *rp,
                          int32_t ndays)
{
    jw_object_begin(w);
    jw_kv_i64(w, "accounts", rp->accounts);
    jw_kv_i64(w, "content", rp->content);
    json_opt_i64(w, "followers", rp->has_followers, rp->followers);
    json_gains(w, &rp->range);
    jw_key(w, "previous");
    jw_object_begin(w);
    json_gains(w, &rp->previous);
    jw_object_end(w);
    jw_key(w, "lifetime");
    jw_object_begin(w);
    json_opt_i64(w, "channel_views", rp->has_channel_views,
                 rp->channel_views);
    jw_kv_i64(w, "content_views", rp->content_views);
    jw_kv_i64(w, "content_interactions", rp->content_interactions);
    json_opt_real(w, "engagement", rp->has_lifetime_engagement,
                  rp->lifetime_engagement);
    jw_object_end(w);
    jw_key(w, "daily_views_gain");
    jw_array_begin(w);
    for (int32_t d = 0; d < ndays; d++)
        jw_i64(w, rp->daily_views[d]);
    jw_array_end(w);
    jw_key(w, "daily_followers");
    jw_array_begin(w);
    for (int32_t d = 0; d < ndays; d++)
        rp->daily_followers_known[d] ? jw_i64(w, rp->daily_followers[d])
                                     : jw_null(w);
    jw_array_end(w);
    jw_object_end(w);
}

static void json_item_ref(struct jw *w, const struct item *it)
{
    jw_kv_str(w, "platform", platform_name(it->platform));
    jw_kv_str(w, "id", it->ext_id);
    jw_kv_str(w, "title", it->title);
}

void report_json(struct jw *w, const struct report *r)
{
    int32_t ndays = r->to_day - r->from_day;

    jw_object_begin(w);
    json_day(w, "from", r->from_day);
    json_day(w, "to", r->to_day - 1);
    jw_kv_str(w, "zone", r->zone ? r->zone : "UTC");
    jw_key(w, "previous");
    jw_object_begin(w);
    json_day(w, "from", r->prev_from_day);
    json_day(w, "to", r->from_day - 1);
    jw_object_end(w);
    jw_key(w, "platforms");
    jw_object_begin(w);
    for (int p = 0; p < PLATFORM_COUNT; p++)
        if (r->platform[p].present) {
            jw_key(w, platform_name(p));
            json_platform(w, &r->platform[p], ndays);
        }
    jw_object_end(w);
    jw_key(w, "total");
    json_platform(w, &r->total, ndays);
    jw_key(w, "top");
    jw_array_begin(w);
    for (size_t i = 0; i < r->ntop; i++) {
        jw_object_begin(w);
        json_item_ref(w, r->top[i].item);
        jw_kv_i64(w, "views_gain", r->top[i].gain);
        jw_object_end(w);
    }
    jw_array_end(w);
    jw_key(w, "best_hour");
    if (r->best_hour >= 0) {
        jw_object_begin(w);
        jw_kv_str(w, "weekday", report_wday_names[r->best_hour / 24]);
        jw_kv_i64(w, "hour", r->best_hour % 24);
        jw_object_end(w);
    } else {
        jw_null(w);
    }
    jw_key(w, "heatmap"); /* mean first-week views, 7 x 24, Sunday first */
    jw_array_begin(w);
    for (int b = 0; b < 168; b++) {
        double m;
        if (heatmap_mean(&r->heat, b, &m))
            jw_real(w, m);
        else
            jw_null(w);
    }
    jw_array_end(w);
    jw_key(w, "spikes");
    jw_array_begin(w);
    for (size_t i = 0; i < r->nspikes; i++) {
        jw_object_begin(w);
        json_day(w, "day", r->spikes[i].day);
        json_item_ref(w, r->spikes[i].item);
        jw_kv_i64(w, "views_gain", r->spikes[i].gain);
        jw_kv_real(w, "baseline", r->spikes[i].baseline);
        jw_kv_real(w, "score", r->spikes[i].score);
        jw_kv_i64(w, "days_above", r->spikes[i].days_above);
        jw_kv_real(w, "excess", r->spikes[i].excess);
        jw_object_end(w);
    }
    jw_array_end(w);
    jw_object_end(w);
}

struct values {
    double *v;
    size_t n, cap;
};

static enum err add_value(void *ud, int64_t v)
{
    struct values *x = ud;
    x->v = xgrow(x->v, &x->cap, x->n + 1, sizeof *x->v);
    x->v[x->n++] = (double)v;
    return ERR_OK;
}

bool report_vs_typical(struct store *st, const struct item *it,
                       struct report_typical *out, enum err *rc)
{
    struct store_day *rows = NULL;
    struct values others = {NULL, 0, 0};
    struct report_typical t = {0};
    int32_t d0;
    size_t n = 0;

    *rc = ERR_OK;
    if (it->type != ITEM_CONTENT || it->published_at == TIME_NONE)
        return false;
    d0 = store_day_of(st, it->published_at);
    *rc = store_item_days(st, it->id, M_VIEWS, d0, d0 + 3661, &rows, &n);
    if (*rc != ERR_OK || n == 0 || rows[n - 1].day < d0) {
        free(rows);
        return false;
    }
    t.age_days = rows[n - 1].day - d0;
    t.views = rows[n - 1].last_v;
    free(rows);
    *rc = store_values_at_age(st, M_VIEWS, it->platform, it->id, t.age_days,
                              add_value, &others);
    if (*rc != ERR_OK) {
        free(others.v);
        return false;
    }
    t.n = others.n;
    if (t.n > 0) {
        t.median = analytics_median(others.v, others.n);
        t.has_ratio = t.median > 0;
        t.ratio = t.has_ratio ? (double)t.views / t.median : 0;
    }
    free(others.v);
    *out = t;
    return true;
}

enum err report_parse_range(const char *s, int32_t *days)
{
    size_t n = strlen(s);
    int64_t v;
    if (n < 2 || s[n - 1] != 'd' || parse_i64n(s, n - 1, 1, 3660, &v) != ERR_OK)
        return ERR_INVALID;
    *days = (int32_t)v;
    return ERR_OK;
}

bool report_change(int64_t cur, int64_t prev, double *out)
{
    if (prev == 0)
        return false;
    *out = ((double)cur - (double)prev) /
           (prev < 0 ? -(double)prev : (double)prev);
    return true;
}
