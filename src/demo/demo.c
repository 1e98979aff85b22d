/* The demo history: a plan made once (accounts, content, events), then
 * counters stepped hour by hour. See demo.h. */
#include "demo/demo.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/timeutil.h"
#include "demo/demo_impl.h"

#define HOUR 3600
#define DAY 86400
#define TAIL_TAU 48.0     /* hours: the long tail's time constant */
#define VIRAL_GAIN 25.0   /* extra views, in lifetimes, of the viral item */
#define VIRAL_TAU 20.0    /* hours: how fast the viral wave fades */
#define DIP_SHARE 0.03    /* views removed at the planned dip */
#define OFF_SCHEDULE 0.08 /* share of posts outside the weekly slots */
#define BEST_WDAY 4       /* Thursday ... */
#define BEST_HOUR 17      /* ... 17:00 UTC: every platform posts then */

struct shape {
    enum platform platform;
    const char *kind;
    double scale;                      /* median lifetime views */
    double tau;                        /* hours: the early burst */
    double w_fast, w_tail;             /* shares of scale: burst, long tail */
    double like, comment, share, save; /* per view */
    int64_t dur_lo, dur_hi;            /* seconds; 0, 0: no duration */
};

static const struct shape shapes[DK_COUNT] = {
    [DK_YT_VIDEO] = {PLATFORM_YOUTUBE, "video", 14000, 40, 0.6, 0.08, 0.045,
                     0.006, 0, 0, 360, 2400},
    [DK_YT_SHORT] = {PLATFORM_YOUTUBE, "short", 9000, 14, 0.85, 0.03, 0.035,
                     0.002, 0, 0, 15, 59},
    [DK_IG_REEL] = {PLATFORM_INSTAGRAM, "reel", 9000, 12, 0.9, 0.02, 0.07,
                    0.004, 0.008, 0.012, 10, 60},
    [DK_IG_IMAGE] = {PLATFORM_INSTAGRAM, "image", 4000, 8, 0.92, 0.01, 0.09,
                     0.006, 0.003, 0.010, 0, 0},
    [DK_IG_CAROUSEL] = {PLATFORM_INSTAGRAM, "carousel", 5000, 10, 0.9, 0.015,
                        0.085, 0.007, 0.005, 0.025, 0, 0},
    [DK_TT_VIDEO] = {PLATFORM_TIKTOK, "video", 11000, 18, 0.85, 0.03, 0.09,
                     0.005, 0.012, 0, 9, 90},
};

/* The platforms the demo makes up: YouTube, Instagram, TikTok (the
 * first three of enum platform; later ones have no demo data). */
#define DEMO_PLATFORMS (PLATFORM_TIKTOK + 1)

/* The weekly slots each platform posts in, and how well they do. */
struct slot {
    int wday, hour; /* Sunday = 0, UTC */
    double weight, boost;
};
static const struct slot slots[DEMO_PLATFORMS][3] = {
    [PLATFORM_YOUTUBE] = {{BEST_WDAY, BEST_HOUR, 3, 1.8},
                          {2, 17, 2, 1.0},
                          {6, 15, 2, 1.1}},
    [PLATFORM_INSTAGRAM] = {{BEST_WDAY, BEST_HOUR, 2, 1.8},
                            {1, 12, 2, 0.9},
                            {5, 19, 2, 1.0}},
    [PLATFORM_TIKTOK] = {{BEST_WDAY, BEST_HOUR, 2, 1.8},
                         {3, 20, 2, 1.0},
                         {0, 18, 2, 1.1}},
};

struct content {
    struct item *it; /* owned: descriptive fields */
    enum demo_kind kind;
    size_t ord; /* creation order: stable noise per item */
    double scale, like, comment, share, save;
    int64_t deleted_at, viral_at, dip_at; /* TIME_NONE when not */
    double views, likes, comments, shares, saves;
    int64_t last_t; /* hour the counters are at; TIME_NONE before */
};

struct account {
    struct item *it;           /* owned */
    double followers, organic; /* organic: new followers a day anyway */
    double follow_rate;        /* followers per content view */
    int64_t base_views, base_likes, base_count; /* before the period */
    int64_t views, likes, count;                /* at the current hour */
    double step_views;  /* content views gained this hour */
    double day_reach;   /* Instagram: reach so far today */
    int64_t last_reach; /* yesterday's, shown at midnight */
};

struct demo {
    struct demo_opts o;
    int64_t start, cur;
    struct demo_rng rng;
    struct account acct[DEMO_PLATFORMS];
    struct content *c;
    size_t nc;
    struct demo_events ev;
};

void demo_opts_default(struct demo_opts *o, int64_t now)
{
    o->items = DEMO_ITEMS_DEFAULT;
    o->hours = (int64_t)DEMO_DAYS_DEFAULT * 24;
    o->end = now;
    o->seed = 1;
    o->publish_span = 1.0;
}

static int64_t floor_div(int64_t a, int64_t b)
{
    return a >= 0 ? a / b : -((-a + b - 1) / b);
}

static int wday_of(int64_t t)
{
    return (int)((floor_div(t, DAY) % 7 + 11) % 7); /* 1970-01-01: Thu */
}

/* A standard normal draw, near enough (sum of four uniforms). */
static double normal(struct demo_rng *r)
{
    double s = demo_rng_unit(r) + demo_rng_unit(r) + demo_rng_unit(r) +
               demo_rng_unit(r);
    return (s - 2.0) * 1.7320508075688772;
}

/* ---- the plan ------------------------------------------------------ */

static struct item *account_item(struct demo *d, enum platform p)
{
    static const char *const handles[DEMO_PLATFORMS] = {
        "@pixelpaceruns", "pixelpace.runs", "pixelpaceruns"};
    static const char *const urls[DEMO_PLATFORMS] = {
        "https://www.youtube.com/channel/", "https://www.instagram.com/",
        "https://www.tiktok.com/@"};
    struct buf id, url;
    struct item *it;

    buf_init(&id, 256);
    buf_init(&url, 512);
    if (p == PLATFORM_YOUTUBE)
        demo_text_youtube_channel_id(&d->rng, &id);
    else if (p == PLATFORM_INSTAGRAM)
        demo_text_instagram_id(&d->rng, "178414", &id);
    else
        demo_text_tiktok_open_id(&d->rng, &id);
    it = item_create(p, ITEM_ACCOUNT, buf_cstr(&id));
    item_set(&it->kind, p == PLATFORM_YOUTUBE ? "channel" : "user");
    item_set(&it->handle, handles[p]);
    item_set(&it->title, "PixelPace");
    item_set(&it->description,
             "Speedruns, reviews and tutorials. Live most evenings.");
    buf_catf(&url, "%s%s%s", urls[p],
             p == PLATFORM_YOUTUBE ? buf_cstr(&id) : handles[p],
             p == PLATFORM_INSTAGRAM ? "/" : "");
    item_set(&it->url, buf_cstr(&url));
    buf_free(&id);
    buf_free(&url);
    return it;
}

static void plan_accounts(struct demo *d)
{
    /* Where each account stood when the period began. */
    static const double followers[] = {18400, 9200, 25300};
    static const double organic[] = {6, 4, 9};
    static const double rate[] = {0.004, 0.010, 0.006};
    static const int64_t views[] = {2140000, 0, 0};
    static const int64_t likes[] = {0, 0, 641000};
    static const int64_t count[] = {138, 312, 176};

    for (int p = 0; p < DEMO_PLATFORMS; p++) {
        struct account *a = &d->acct[p];
        a->it = account_item(d, (enum platform)p);
        a->followers = followers[p];
        a->organic = organic[p];
        a->follow_rate = rate[p];
        a->base_views = views[p];
        a->base_likes = likes[p];
        a->base_count = count[p];
        a->last_reach = -1;
    }
}

static enum demo_kind pick_kind(struct demo *d, enum platform p)
{
    double u = demo_rng_unit(&d->rng);
    if (p == PLATFORM_YOUTUBE)
        return u < 0.65 ? DK_YT_VIDEO : DK_YT_SHORT;
    if (p == PLATFORM_INSTAGRAM)
        return u < 0.5 ? DK_IG_REEL : u < 0.8 ? DK_IG_IMAGE : DK_IG_CAROUSEL;
    return DK_TT_VIDEO;
}

/* The first time at or after t on weekday wday at hour:minute. */
static int64_t next_slot(int64_t t, int wday, int hour, int minute)
{
    int64_t day = floor_div(t, DAY) * DAY;
    int64_t at =
        day + ((wday - wday_of(day) + 7) % 7) * DAY + hour * HOUR + minute * 60;
    return at < t ? at + 7 * DAY : at;
}

/* When a post goes out, and how well its slot does (*boost). Published
 * in [start, limit), more often as the channel grows (density 0.6 + 0.8x
 * over the span), mostly in the platform's weekly slots. */
static int64_t plan_publish(struct demo *d, enum platform p, int64_t limit,
                            double *boost)
{
    const struct slot *s = slots[p];
    double x = (sqrt(0.36 + 1.6 * demo_rng_unit(&d->rng)) - 0.6) / 0.8;
    int64_t t = d->start + (int64_t)(x * (double)(limit - d->start));
    double w =
        demo_rng_unit(&d->rng) * (s[0].weight + s[1].weight + s[2].weight);
    int minute = p == PLATFORM_YOUTUBE ? 0 : (int)demo_rng_below(&d->rng, 25);
    int64_t at;
    size_t k = w < s[0].weight ? 0 : w < s[0].weight + s[1].weight ? 1 : 2;

    *boost = 0.55;
    if (demo_rng_unit(&d->rng) < OFF_SCHEDULE)
        return t; /* off schedule: whenever */
    at = next_slot(t, s[k].wday, s[k].hour, minute);
    if (at >= limit)
        at -= 7 * DAY;
    if (at < d->start)
        return t;
    *boost = s[k].boost;
    return at;
}

/* A content item's ext id and page url, shaped like the platform's. */
static void content_ids(struct demo *d, enum demo_kind k, int64_t published,
                        struct buf *id, struct buf *url)
{
    struct buf code;

    buf_init(&code, 64);
    if (shapes[k].platform == PLATFORM_YOUTUBE) {
        demo_text_youtube_video_id(&d->rng, id);
        buf_catf(url, "https://www.youtube.com/watch?v=%s", buf_cstr(id));
    } else if (shapes[k].platform == PLATFORM_INSTAGRAM) {
        demo_text_instagram_id(&d->rng, "179", id);
        demo_text_shortcode(&d->rng, &code);
        buf_catf(url, "https://www.instagram.com/%s/%s/",
                 k == DK_IG_REEL ? "reel" : "p", buf_cstr(&code));
    } else {
        demo_text_tiktok_video_id(&d->rng, published, id);
        buf_catf(url, "https://www.tiktok.com/@%s/video/%s",
                 d->acct[PLATFORM_TIKTOK].it->handle, buf_cstr(id));
    }
    buf_free(&code);
}

/* Content c of platform p, published before limit. */
static void plan_content(struct demo *d, struct content *c, enum platform p,
                         int64_t limit)
{
    const struct shape *sh;
    struct buf id, url, title, desc;
    double boost;
    int64_t t;

    buf_init(&id, 256);
    buf_init(&url, 512);
    buf_init(&title, 1024);
    buf_init(&desc, 4096);
    c->kind = pick_kind(d, p);
    sh = &shapes[c->kind];
    c->deleted_at = c->viral_at = c->dip_at = c->last_t = TIME_NONE;
    t = plan_publish(d, p, limit, &boost);
    content_ids(d, c->kind, t, &id, &url);
    demo_text_content(&d->rng, c->kind, &title, &desc);
    c->it = item_create(p, ITEM_CONTENT, buf_cstr(&id));
    c->it->published_at = t;
    item_set(&c->it->account_ext_id, d->acct[p].it->ext_id);
    item_set(&c->it->kind, sh->kind);
    item_set(&c->it->title, buf_cstr(&title));
    item_set(&c->it->description, buf_cstr(&desc));
    item_set(&c->it->url, buf_cstr(&url));
    if (sh->dur_hi > 0)
        c->it->duration_s =
            sh->dur_lo + (int64_t)demo_rng_below(
                             &d->rng, (uint64_t)(sh->dur_hi - sh->dur_lo));
    /* The audience grows over the year; some posts simply do better. */
    c->scale =
        sh->scale * boost *
        (0.7 + 0.6 * (double)(t - d->start) / (double)(d->o.hours * HOUR)) *
        exp(0.45 * normal(&d->rng));
    c->like = sh->like * (0.7 + 0.6 * demo_rng_unit(&d->rng));
    c->comment = sh->comment * (0.6 + 0.8 * demo_rng_unit(&d->rng));
    c->share = sh->share * (0.6 + 0.8 * demo_rng_unit(&d->rng));
    c->save = sh->save * (0.6 + 0.8 * demo_rng_unit(&d->rng));
    buf_free(&id);
    buf_free(&url);
    buf_free(&title);
    buf_free(&desc);
}

static int cmp_published(const void *a, const void *b)
{
    const struct content *x = a, *y = b;
    if (x->it->published_at != y->it->published_at)
        return x->it->published_at < y->it->published_at ? -1 : 1;
    return strcmp(x->it->ext_id, y->it->ext_id);
}

/* The content published in [lo, hi] closest to want, preferring
 * platform p, skipping items with an event already; NULL if none. */
static struct content *pick_near(struct demo *d, int64_t lo, int64_t hi,
                                 int64_t want, int p)
{
    struct content *best = NULL;
    int64_t best_dist = 0;

    for (int pass = 0; pass < 2 && best == NULL; pass++)
        for (size_t i = 0; i < d->nc; i++) {
            struct content *c = &d->c[i];
            int64_t t = c->it->published_at;
            int64_t dist = t > want ? t - want : want - t;
            if (t < lo || t > hi || c->viral_at != TIME_NONE ||
                c->deleted_at != TIME_NONE || c->dip_at != TIME_NONE ||
                (pass == 0 && p >= 0 && (int)c->it->platform != p))
                continue;
            if (best == NULL || dist < best_dist) {
                best = c;
                best_dist = dist;
            }
        }
    return best;
}

/* The viral item (TikTok if it can: it explodes 10 days before the end),
 * the deleted video (20 days before) and the planned dip (5 days). */
static void plan_events(struct demo *d)
{
    int64_t end_day = floor_div(d->o.end, DAY) * DAY;
    int64_t at = end_day - 10 * DAY + 14 * HOUR;
    struct content *c =
        pick_near(d, d->start, at - 8 * DAY, at - 30 * DAY, PLATFORM_TIKTOK);

    memset(&d->ev, 0, sizeof d->ev);
    d->ev.best_slot = BEST_WDAY * 24 + BEST_HOUR;
    if (c != NULL && at > d->start) {
        c->viral_at = at;
        d->ev.viral = (struct demo_event){c->it, at};
    }
    at = end_day - 20 * DAY + 15 * HOUR;
    c = pick_near(d, d->start, at - 2 * DAY, at - 40 * DAY, PLATFORM_YOUTUBE);
    if (c != NULL && at > d->start) {
        c->deleted_at = at;
        d->ev.deleted = (struct demo_event){c->it, at};
    }
    at = end_day - 5 * DAY + 9 * HOUR;
    c = pick_near(d, d->start, at - 2 * DAY, d->start, -1);
    if (c != NULL && at > d->start) {
        c->dip_at = at;
        d->ev.dip = (struct demo_event){c->it, at};
    }
}

static enum err check_opts(const struct demo_opts *o, struct buf *err)
{
    if (o->items < 3 || o->items > DEMO_ITEMS_MAX) {
        buf_setf(err, "items: 3 to %d, not %zu", DEMO_ITEMS_MAX, o->items);
        return ERR_INVALID;
    }
    if (o->hours < 1 || o->hours > DEMO_HOURS_MAX) {
        buf_setf(err, "hours: 1 to %d, not %lld", DEMO_HOURS_MAX,
                 (long long)o->hours);
        return ERR_INVALID;
    }
    if (!(o->publish_span > 0 && o->publish_span <= 1)) {
        buf_setf(err, "publish span: (0, 1], not %g", o->publish_span);
        return ERR_INVALID;
    }
    if (o->end < TIME_MIN_VALID / 2 + o->hours * HOUR ||
        o->end > TIME_MAX_VALID / 2) {
        buf_setf(err, "end: out of range");
        return ERR_INVALID;
    }
    return ERR_OK;
}

enum err demo_create(const struct demo_opts *o, struct demo **out,
                     struct buf *err)
{
    struct demo *d;
    size_t n_yt, n_ig;
    int64_t limit;
    enum err rc = check_opts(o, err);

    *out = NULL;
    if (rc != ERR_OK)
        return rc;
    d = xcalloc(1, sizeof *d);
    d->o = *o;
    d->o.end = floor_div(o->end, HOUR) * HOUR;
    d->start = d->o.end - (o->hours - 1) * HOUR;
    d->cur = -1;
    d->rng.s = o->seed ^ 0x6d656469616461ULL; /* "mediada" */
    plan_accounts(d);
    n_yt = (o->items * 120 + 160) / 320;
    n_ig = (o->items - n_yt) / 2;
    d->nc = o->items;
    d->c = xcalloc(d->nc, sizeof *d->c);
    limit =
        d->start + (int64_t)(o->publish_span * (double)((o->hours - 1) * HOUR));
    for (size_t i = 0; i < d->nc; i++) {
        enum platform p = i < n_yt          ? PLATFORM_YOUTUBE
                          : i < n_yt + n_ig ? PLATFORM_INSTAGRAM
                                            : PLATFORM_TIKTOK;
        plan_content(d, &d->c[i], p, limit);
        d->c[i].ord = i;
    }
    qsort(d->c, d->nc, sizeof *d->c, cmp_published);
    plan_events(d);
    *out = d;
    return ERR_OK;
}

void demo_destroy(struct demo *d)
{
    if (d == NULL)
        return;
    for (int p = 0; p < DEMO_PLATFORMS; p++)
        item_destroy(d->acct[p].it);
    for (size_t i = 0; i < d->nc; i++)
        item_destroy(d->c[i].it);
    free(d->c);
    free(d);
}

int64_t demo_start(const struct demo *d)
{
    return d->start;
}

int64_t demo_hours(const struct demo *d)
{
    return d->o.hours;
}

int64_t demo_current_hour(const struct demo *d)
{
    return d->cur;
}

size_t demo_item_count(const struct demo *d)
{
    return DEMO_PLATFORMS + d->nc;
}

const struct item *demo_item(const struct demo *d, size_t i)
{
    return i < DEMO_PLATFORMS ? d->acct[i].it : d->c[i - DEMO_PLATFORMS].it;
}

void demo_events(const struct demo *d, struct demo_events *out)
{
    *out = d->ev;
}

/* ---- the hours ----------------------------------------------------- */

/* Expected views of c at age a hours (before noise). */
static double expected_views(const struct content *c, double a)
{
    const struct shape *sh = &shapes[c->kind];
    return c->scale * (sh->w_fast * (1 - exp(-a / sh->tau)) +
                       sh->w_tail * log1p(a / TAIL_TAU));
}

static double viral_views(const struct content *c, int64_t t)
{
    if (c->viral_at == TIME_NONE || t <= c->viral_at)
        return 0;
    return c->scale * VIRAL_GAIN *
           (1 - exp(-(double)(t - c->viral_at) / HOUR / VIRAL_TAU));
}

/* How busy hour t is: evenings (UTC, Europe + Americas) and weekends. */
static double audience(int64_t t)
{
    double hod = (double)(t - floor_div(t, DAY) * DAY) / HOUR;
    int wd = wday_of(t);
    return (1 + 0.45 * cos((hod - 20) * 3.141592653589793 / 12)) *
           (wd == 0 || wd == 6 ? 1.12 : 0.95);
}

/* Noise of one item's hour: lognormal-ish, the same for a given seed
 * whatever else is generated. */
static double noise(const struct demo *d, const struct content *c, int64_t t,
                    unsigned salt)
{
    double s = 0;
    for (uint64_t k = 0; k < 4; k++)
        s += demo_hash_unit(d->o.seed + salt, c->ord * 4 + k, (uint64_t)t);
    return exp(0.3 * (s - 2.0) * 1.7320508075688772 - 0.045);
}

/* Views removed as spam at t: the planned dip, and now and then (one
 * hour in about a year of an item older than two weeks) a small one. */
static double removed(const struct demo *d, const struct content *c, int64_t t)
{
    const double p = 1.0 / (365 * 24);
    double u;

    if (t == c->dip_at)
        return c->views * DIP_SHARE;
    if (t - c->it->published_at < 14 * DAY)
        return 0;
    u = demo_hash_unit(d->o.seed + 7, c->ord, (uint64_t)t);
    return u < p ? c->views * (0.004 + 0.012 * u / p) : 0;
}

/* Move c's counters to t. Returns the views gained (may be negative). */
static double step_content(struct demo *d, struct content *c, int64_t t)
{
    double a0, a1, gain, dv, cut;
    int64_t pub = c->it->published_at;

    if (pub > t || (c->deleted_at != TIME_NONE && t >= c->deleted_at))
        return 0;
    a0 = c->last_t == TIME_NONE ? 0 : (double)(c->last_t - pub) / HOUR;
    a1 = (double)(t - pub) / HOUR;
    gain = expected_views(c, a1) - expected_views(c, a0) + viral_views(c, t) -
           viral_views(c, c->last_t == TIME_NONE ? pub : c->last_t);
    dv = gain * audience(t) * noise(d, c, t, 1);
    c->views += dv;
    c->likes += dv * c->like * noise(d, c, t, 2);
    c->comments += dv * c->comment * noise(d, c, t, 3);
    c->shares += dv * c->share * noise(d, c, t, 4);
    c->saves += dv * c->save * noise(d, c, t, 5);
    cut = removed(d, c, t);
    c->views -= cut;
    c->last_t = t;
    return dv - cut;
}

/* Move the accounts to t after their content moved (step_views). */
static void step_accounts(struct demo *d, int64_t t)
{
    for (int p = 0; p < DEMO_PLATFORMS; p++) {
        struct account *a = &d->acct[p];
        double u = demo_hash_unit(d->o.seed + 11, (uint64_t)p, (uint64_t)t);
        a->followers += a->step_views * a->follow_rate +
                        a->organic / 24 * audience(t) * (0.5 + u) -
                        a->followers * 1e-5 * (0.5 + u);
        if (p == PLATFORM_INSTAGRAM && t % DAY == 0) {
            if (d->cur >= 24) /* a whole day behind us */
                a->last_reach = (int64_t)a->day_reach;
            a->day_reach = 0;
        }
        if (p == PLATFORM_INSTAGRAM)
            a->day_reach += a->step_views * 0.6 + 40 * audience(t);
        a->views = a->base_views;
        a->likes = a->base_likes;
        a->count = a->base_count;
        a->step_views = 0;
    }
    for (size_t i = 0; i < d->nc; i++) {
        const struct content *c = &d->c[i];
        struct account *a = &d->acct[c->it->platform];
        if (c->it->published_at > t)
            break; /* in order of publication */
        a->views += (int64_t)c->views;
        a->likes += (int64_t)c->likes;
        if (c->deleted_at == TIME_NONE || t < c->deleted_at)
            a->count++;
    }
}

bool demo_step(struct demo *d)
{
    int64_t t;

    if (d->cur + 1 >= d->o.hours)
        return false;
    d->cur++;
    t = d->start + d->cur * HOUR;
    for (size_t i = 0; i < d->nc; i++) {
        struct content *c = &d->c[i];
        if (c->it->published_at > t)
            break;
        d->acct[c->it->platform].step_views += step_content(d, c, t);
    }
    step_accounts(d, t);
    return true;
}

static void put(struct demo_values *v, const char *name, double x)
{
    assert(v->n < DEMO_VALUES_MAX);
    v->name[v->n] = name;
    v->v[v->n++] = (int64_t)floor(x);
}

static void account_values(const struct demo *d, enum platform p,
                           struct demo_values *v)
{
    const struct account *a = &d->acct[p];

    put(v, M_FOLLOWERS, a->followers);
    if (p == PLATFORM_YOUTUBE) {
        put(v, M_VIEWS, (double)a->views);
        put(v, "yt.videoCount", (double)a->count);
    } else if (p == PLATFORM_INSTAGRAM) {
        put(v, "ig.media_count", (double)a->count);
        if (v->observed_at % DAY == 0 && a->last_reach >= 0) {
            put(v, "ig.day.reach", (double)a->last_reach);
            put(v, "ig.day.impressions", (double)a->last_reach * 1.7);
        }
    } else {
        put(v, "tt.likes_count", (double)a->likes);
        put(v, "tt.video_count", (double)a->count);
    }
}

bool demo_values(const struct demo *d, size_t i, struct demo_values *out)
{
    const struct content *c;

    out->n = 0;
    out->observed_at = d->start + d->cur * HOUR;
    if (d->cur < 0 || i >= demo_item_count(d))
        return false;
    if (i < DEMO_PLATFORMS) {
        account_values(d, (enum platform)i, out);
        return true;
    }
    c = &d->c[i - DEMO_PLATFORMS];
    if (c->last_t != out->observed_at)
        return false; /* not yet published, or deleted */
    put(out, M_VIEWS, c->views);
    put(out, M_LIKES, c->likes);
    put(out, M_COMMENTS, c->comments);
    if (shapes[c->kind].share > 0)
        put(out, M_SHARES, c->shares);
    if (shapes[c->kind].save > 0)
        put(out, M_SAVES, c->saves);
    return true;
}

/* Item i of d in b, with its descriptive fields on first use. */
static struct item *batch_copy(struct batch *b, const struct item *src)
{
    struct item *it = batch_item(b, src->platform, src->type, src->ext_id);
    if (it->kind != NULL)
        return it;
    item_set(&it->account_ext_id, src->account_ext_id);
    item_set(&it->kind, src->kind);
    item_set(&it->handle, src->handle);
    item_set(&it->title, src->title);
    item_set(&it->description, src->description);
    item_set(&it->url, src->url);
    it->published_at = src->published_at;
    it->duration_s = src->duration_s;
    return it;
}

size_t demo_hour(struct demo *d, struct batch *b)
{
    struct demo_values v;
    size_t n = 0;

    if (!demo_step(d))
        return 0;
    for (size_t i = 0; i < demo_item_count(d); i++) {
        struct snapshot *s;
        if (!demo_values(d, i, &v))
            continue;
        s = item_snapshot_at(batch_copy(b, demo_item(d, i)), v.observed_at);
        for (size_t k = 0; k < v.n; k++)
            if (metrics_set_i64(&s->metrics, v.name[k], v.v[k]) != ERR_OK)
                assert(!"demo metric names are valid");
        n++;
    }
    return n;
}
