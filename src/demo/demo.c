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
#include "platforms/platform.h"

#define HOUR DEMO_HOUR
#define DAY DEMO_DAY
#define TAIL_TAU 48.0     /* hours: the long tail's time constant */
#define VIRAL_GAIN 25.0   /* extra views, in lifetimes, of the viral item */
#define VIRAL_TAU 20.0    /* hours: how fast the viral wave fades */
#define DIP_SHARE 0.03    /* views removed at the planned dip */
#define OFF_SCHEDULE 0.08 /* share of posts outside the weekly slots */

struct content {
    struct item *it; /* owned: descriptive fields */
    const struct demo_shape *sh;
    size_t ord; /* creation order: stable noise per item */
    double scale, like, comment, share, save;
    int64_t deleted_at, viral_at, dip_at; /* TIME_NONE when not */
    double views, likes, comments, shares, saves;
    int64_t last_t; /* hour the counters are at; TIME_NONE before */
};

/* One platform's account: the descriptor's demo table and its state. */
struct account {
    const struct platform_demo *t;
    struct item *it;           /* owned */
    struct demo_rng rng;       /* its own stream (t->own_stream) */
    double followers, organic; /* organic: new followers a day anyway */
    double follow_rate;        /* followers per content view */
    int64_t base_views, base_likes, base_count; /* before the period */
    int64_t views, likes, count;                /* at the current hour */
    double step_views;  /* content views gained this hour */
    double day_reach;   /* reach so far today (t->day_reach) */
    int64_t last_reach; /* yesterday's, shown at midnight */
};

/* A live item's place: stream s's recording (part 0) or clip part - 1. */
struct live_ref {
    size_t s;
    int part;
};

struct demo {
    struct demo_opts o;
    int64_t start, cur;
    struct demo_rng rng; /* the main stream (platform_demo.own_stream) */
    struct account acct[PLATFORM_COUNT]; /* the platforms with a demo */
    size_t na;
    int acct_of[PLATFORM_COUNT]; /* platform -> acct index, -1: none */
    struct content *c;
    size_t nc;
    struct demo_stream *s; /* planned streams, in order of plan */
    size_t ns, s_cap;
    struct live_ref *lr; /* recordings and clips, after the streams */
    size_t nlr;
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

/* Account a's item, its id drawn from r. */
static struct item *account_item(struct account *a, enum platform p,
                                 struct demo_rng *r)
{
    const struct demo_account *t = &a->t->account;
    struct buf id, url;
    struct item *it;

    buf_init(&id, 256);
    buf_init(&url, 512);
    t->id(r, &id);
    it = item_create(p, ITEM_ACCOUNT, buf_cstr(&id));
    item_set(&it->kind, t->kind);
    item_set(&it->handle, t->handle);
    item_set(&it->title, "PixelPace");
    item_set(&it->description,
             "Speedruns, reviews and tutorials. Live most evenings.");
    t->url(buf_cstr(&id), t->handle, &url);
    item_set(&it->url, buf_cstr(&url));
    buf_free(&id);
    buf_free(&url);
    return it;
}

/* One account per registered platform with a demo table, in registry
 * order; those on the main stream draw their ids from it in that order,
 * the others from their own stream. */
static void plan_accounts(struct demo *d)
{
    for (int p = 0; p < PLATFORM_COUNT; p++) {
        const struct platform_desc *pd = platform_get((enum platform)p);
        struct account *a = &d->acct[d->na];
        d->acct_of[p] = -1;
        if (pd == NULL || pd->demo == NULL)
            continue;
        d->acct_of[p] = (int)d->na++;
        a->t = pd->demo;
        a->rng.s = d->o.seed ^ 0x6d656469616461ULL ^ a->t->stream_salt;
        a->it = account_item(a, (enum platform)p,
                             a->t->own_stream ? &a->rng : &d->rng);
        a->followers = a->t->account.followers;
        a->organic = a->t->account.organic;
        a->follow_rate = a->t->account.follow_rate;
        a->base_views = a->t->account.views;
        a->base_likes = a->t->account.likes;
        a->base_count = a->t->account.count;
        a->last_reach = -1;
    }
}

static const struct demo_shape *pick_shape(struct demo *d,
                                           const struct platform_demo *t)
{
    double u = demo_rng_unit(&d->rng);
    const struct demo_shape *sh = t->shapes;

    while (sh[1].kind != NULL && !(u < sh->pick))
        sh++;
    return sh;
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
static int64_t plan_publish(struct demo *d, const struct platform_demo *pt,
                            int64_t limit, double *boost)
{
    const struct demo_slot *s = pt->slots;
    double x = (sqrt(0.36 + 1.6 * demo_rng_unit(&d->rng)) - 0.6) / 0.8;
    int64_t t = d->start + (int64_t)(x * (double)(limit - d->start));
    double total = 0, acc = 0, w;
    int minute, at_k;
    int64_t at;
    size_t k, n = 0;

    while (s[n].weight > 0)
        total += s[n++].weight;
    w = demo_rng_unit(&d->rng) * total;
    minute = pt->slot_minutes == 0
                 ? 0
                 : (int)demo_rng_below(&d->rng, pt->slot_minutes);
    for (k = 0; k + 1 < n; k++)
        if (w < (acc += s[k].weight))
            break;
    *boost = 0.55;
    if (demo_rng_unit(&d->rng) < OFF_SCHEDULE)
        return t; /* off schedule: whenever */
    at_k = (int)k;
    at = next_slot(t, s[at_k].wday, s[at_k].hour, minute);
    if (at >= limit)
        at -= 7 * DAY;
    if (at < d->start)
        return t;
    *boost = s[at_k].boost;
    return at;
}

/* Title and description: the creator's game and a small number drawn
 * first, then the shape's own words. */
static void content_text(struct demo *d, const struct demo_shape *sh,
                         struct buf *title, struct buf *desc)
{
    size_t g = demo_rng_below(&d->rng, DEMO_GAMES);
    unsigned n = 2 + (unsigned)demo_rng_below(&d->rng, 28);

    sh->text(&d->rng, g, n, title, desc);
}

/* Content c of account a, published before limit. */
static void plan_content(struct demo *d, struct content *c,
                         const struct account *a, int64_t limit)
{
    const struct demo_shape *sh;
    struct buf id, url, title, desc;
    double boost;
    int64_t t;

    buf_init(&id, 256);
    buf_init(&url, 512);
    buf_init(&title, 1024);
    buf_init(&desc, 4096);
    c->sh = sh = pick_shape(d, a->t);
    c->deleted_at = c->viral_at = c->dip_at = c->last_t = TIME_NONE;
    t = plan_publish(d, a->t, limit, &boost);
    a->t->content_id(&d->rng, sh, t, a->it->handle, &id, &url);
    content_text(d, sh, &title, &desc);
    c->it = item_create(a->it->platform, ITEM_CONTENT, buf_cstr(&id));
    c->it->published_at = t;
    item_set(&c->it->account_ext_id, a->it->ext_id);
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

/* The platform whose table prefers the viral (or the deleted) item, or
 * -1: any. */
static int preferred(const struct demo *d, bool viral)
{
    for (size_t k = 0; k < d->na; k++)
        if (viral ? d->acct[k].t->prefer_viral : d->acct[k].t->prefer_deleted)
            return (int)d->acct[k].it->platform;
    return -1;
}

/* The viral item (of the platform preferring it if it can: it explodes
 * 10 days before the end), the deleted video (20 days before) and the
 * planned dip (5 days). */
static void plan_events(struct demo *d)
{
    int64_t end_day = floor_div(d->o.end, DAY) * DAY;
    int64_t at = end_day - 10 * DAY + 14 * HOUR;
    struct content *c =
        pick_near(d, d->start, at - 8 * DAY, at - 30 * DAY, preferred(d, true));

    memset(&d->ev, 0, sizeof d->ev);
    d->ev.best_slot = DEMO_BEST_WDAY * 24 + DEMO_BEST_HOUR;
    if (c != NULL && at > d->start) {
        c->viral_at = at;
        d->ev.viral = (struct demo_event){c->it, at};
    }
    at = end_day - 20 * DAY + 15 * HOUR;
    c = pick_near(d, d->start, at - 2 * DAY, at - 40 * DAY,
                  preferred(d, false));
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

/* The --items over the main-stream platforms by their items_share: the
 * first gets its share rounded to the nearest, each next its share of
 * what is left rounded down, the last what is left (the split the demo
 * always made). Then each item planned in turn from the main stream. */
static void plan_all_content(struct demo *d, int64_t limit)
{
    size_t n[PLATFORM_COUNT] = {0}, last = SIZE_MAX, left = d->o.items;
    unsigned weight = 0;
    size_t i = 0;

    for (size_t k = 0; k < d->na; k++)
        if (!d->acct[k].t->own_stream && d->acct[k].t->items_share > 0) {
            weight += d->acct[k].t->items_share;
            last = k;
        }
    for (size_t k = 0; k < d->na && weight > 0; k++) {
        unsigned w = d->acct[k].t->own_stream ? 0 : d->acct[k].t->items_share;
        if (w == 0)
            continue;
        n[k] = k == last ? left
                         : (left * w + (i == 0 ? weight / 2 : 0)) / weight;
        left -= n[k];
        weight -= w;
        i++;
    }
    d->c = xcalloc(d->o.items, sizeof *d->c);
    for (size_t k = 0; k < d->na; k++)
        for (size_t j = 0; j < n[k]; j++, d->nc++) {
            plan_content(d, &d->c[d->nc], &d->acct[k], limit);
            d->c[d->nc].ord = d->nc;
        }
}

/* The streams of every platform with a live table, from its stream;
 * then the list of their recordings and clips. */
static void plan_all_live(struct demo *d, int64_t limit)
{
    for (size_t k = 0; k < d->na; k++)
        if (d->acct[k].t->live != NULL)
            demo_live_plan(d->acct[k].t->own_stream ? &d->acct[k].rng
                                                    : &d->rng,
                           d->acct[k].t->live, d->acct[k].it, d->start, limit,
                           d->o.hours * HOUR, &d->s, &d->ns, &d->s_cap);
    for (size_t j = 0; j < d->ns; j++)
        d->nlr += 1 + (size_t)d->s[j].nclips;
    d->lr = xcalloc(d->nlr ? d->nlr : 1, sizeof *d->lr);
    d->nlr = 0;
    for (size_t j = 0; j < d->ns; j++)
        for (int part = 0; part <= d->s[j].nclips; part++)
            d->lr[d->nlr++] = (struct live_ref){j, part};
}

enum err demo_create(const struct demo_opts *o, struct demo **out,
                     struct buf *err)
{
    struct demo *d;
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
    limit =
        d->start + (int64_t)(o->publish_span * (double)((o->hours - 1) * HOUR));
    plan_all_content(d, limit);
    plan_all_live(d, limit);
    qsort(d->c, d->nc, sizeof *d->c, cmp_published);
    plan_events(d);
    *out = d;
    return ERR_OK;
}

void demo_destroy(struct demo *d)
{
    if (d == NULL)
        return;
    for (size_t k = 0; k < d->na; k++)
        item_destroy(d->acct[k].it);
    for (size_t i = 0; i < d->nc; i++)
        item_destroy(d->c[i].it);
    for (size_t j = 0; j < d->ns; j++)
        demo_live_free(&d->s[j]);
    free(d->c);
    free(d->s);
    free(d->lr);
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
    return d->na + d->nc + d->ns + d->nlr;
}

/* The item of a recording or clip. */
static const struct item *live_item(const struct demo *d,
                                    const struct live_ref *r)
{
    const struct demo_stream *s = &d->s[r->s];
    return r->part == 0 ? s->vod : s->clip[r->part - 1];
}

const struct item *demo_item(const struct demo *d, size_t i)
{
    if (i < d->na)
        return d->acct[i].it;
    if ((i -= d->na) < d->nc)
        return d->c[i].it;
    if ((i -= d->nc) < d->ns)
        return d->s[i].stream;
    i -= d->ns;
    return i < d->nlr ? live_item(d, &d->lr[i]) : NULL;
}

void demo_events(const struct demo *d, struct demo_events *out)
{
    *out = d->ev;
}

size_t demo_stream_count(const struct demo *d)
{
    return d->ns;
}

bool demo_stream_info(const struct demo *d, size_t j,
                      struct demo_stream_info *out)
{
    const struct demo_stream *s;

    if (j >= d->ns)
        return false;
    s = &d->s[j];
    out->stream = s->stream;
    out->vod = s->vod;
    out->nclips = (size_t)s->nclips;
    for (int k = 0; k < s->nclips; k++)
        out->clip[k] = s->clip[k];
    out->started_at = s->start;
    out->duration_s = s->dur;
    out->point_s = s->live->point_s;
    return true;
}

int64_t demo_stream_viewers(const struct demo *d, size_t j, int64_t k)
{
    return j < d->ns ? demo_live_viewers(&d->s[j], d->o.seed, k) : -1;
}

/* ---- the hours ----------------------------------------------------- */

/* Expected views of c at age a hours (before noise). */
static double expected_views(const struct content *c, double a)
{
    const struct demo_shape *sh = c->sh;
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
    for (size_t k = 0; k < d->na; k++) {
        struct account *a = &d->acct[k];
        double u = demo_hash_unit(d->o.seed + 11, (uint64_t)a->it->platform,
                                  (uint64_t)t);
        a->followers += a->step_views * a->follow_rate +
                        a->organic / 24 * audience(t) * (0.5 + u) -
                        a->followers * 1e-5 * (0.5 + u);
        if (a->t->day_reach && t % DAY == 0) {
            if (d->cur >= 24) /* a whole day behind us */
                a->last_reach = (int64_t)a->day_reach;
            a->day_reach = 0;
        }
        if (a->t->day_reach)
            a->day_reach += a->step_views * 0.6 + 40 * audience(t);
        a->views = a->base_views;
        a->likes = a->base_likes;
        a->count = a->base_count;
        a->step_views = 0;
    }
    for (size_t i = 0; i < d->nc; i++) {
        const struct content *c = &d->c[i];
        struct account *a = &d->acct[d->acct_of[c->it->platform]];
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
        d->acct[d->acct_of[c->it->platform]].step_views +=
            step_content(d, c, t);
    }
    /* a stream's viewer-hours count as its platform's views for the
     * followers they bring */
    for (size_t j = 0; j < d->ns; j++)
        d->acct[d->acct_of[d->s[j].stream->platform]].step_views +=
            demo_live_viewer_hours(&d->s[j], d->o.seed, t, d->o.end);
    step_accounts(d, t);
    return true;
}

static void account_values(const struct demo *d, size_t k,
                           struct demo_values *v)
{
    const struct account *a = &d->acct[k];
    struct demo_account_now now = {a->followers, a->views, a->likes,
                                   a->count, a->last_reach};

    a->t->account_values(&now, v->observed_at, v);
}

bool demo_values(const struct demo *d, size_t i, struct demo_values *out)
{
    const struct content *c;

    out->n = 0;
    out->observed_at = d->start + d->cur * HOUR;
    if (d->cur < 0 || i >= demo_item_count(d))
        return false;
    if (i < d->na) {
        account_values(d, i, out);
        return true;
    }
    if (i >= d->na + d->nc + d->ns) {
        const struct live_ref *r = &d->lr[i - d->na - d->nc - d->ns];
        return demo_live_values(&d->s[r->s], r->part, out->observed_at, out);
    }
    if (i >= d->na + d->nc)
        return false; /* a stream: its points come with demo_hour */
    c = &d->c[i - d->na];
    if (c->last_t != out->observed_at)
        return false; /* not yet published, or deleted */
    demo_put(out, M_VIEWS, c->views);
    demo_put(out, M_LIKES, c->likes);
    demo_put(out, M_COMMENTS, c->comments);
    if (c->sh->share > 0)
        demo_put(out, M_SHARES, c->shares);
    if (c->sh->save > 0)
        demo_put(out, M_SAVES, c->saves);
    return true;
}

struct item *demo_batch_copy(struct batch *b, const struct item *src)
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

/* The links of stream s (recording vod_rel stream, each clip clip_rel
 * the recording, at its offset), once, with its recording's first
 * snapshot. */
static void live_links(struct demo_stream *s, struct batch *b)
{
    const struct demo_live *lv = s->live;
    enum platform p = s->stream->platform;

    if (s->linked)
        return;
    s->linked = true;
    if (batch_link(b, p, s->vod->ext_id, lv->vod_rel, s->stream->ext_id,
                   -1) != ERR_OK)
        abort(); /* valid ids and rel: only out of memory */
    for (int j = 0; j < s->nclips; j++)
        if (batch_link(b, p, s->clip[j]->ext_id, lv->clip_rel,
                       s->vod->ext_id, s->clip_at[j] - s->start) != ERR_OK)
            abort();
}

static size_t store_values(struct batch *b, const struct item *src,
                           const struct demo_values *v)
{
    struct snapshot *s = item_snapshot_at(demo_batch_copy(b, src),
                                          v->observed_at);
    for (size_t k = 0; k < v->n; k++)
        if (metrics_set_i64(&s->metrics, v->name[k], v->v[k]) != ERR_OK)
            assert(!"demo metric names are valid");
    return 1;
}

size_t demo_hour(struct demo *d, struct batch *b)
{
    struct demo_values v;
    size_t n = 0, lives = d->na + d->nc + d->ns;
    int64_t t;

    if (!demo_step(d))
        return 0;
    t = d->start + d->cur * HOUR;
    for (size_t i = 0; i < demo_item_count(d); i++) {
        if (!demo_values(d, i, &v))
            continue;
        n += store_values(b, demo_item(d, i), &v);
        if (i >= lives && d->lr[i - lives].part == 0)
            live_links(&d->s[d->lr[i - lives].s], b);
    }
    for (size_t j = 0; j < d->ns; j++)
        n += demo_live_points(&d->s[j], d->o.seed, t, d->o.end, b);
    return n;
}
