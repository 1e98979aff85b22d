#include "healthperf.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/model.h"
#include "core/timeutil.h"
#include "store/store_health.h"

#define HEALTHPERF_DAYS_MAX 3700 /* ten years of days */
#define HEALTHPERF_ITEMS_MAX 200000

static const struct healthperf_day *day_find(const struct healthperf_day *d,
                                             size_t n, int32_t day)
{
    size_t lo = 0, hi = n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (d[mid].day == day)
            return &d[mid];
        if (d[mid].day < day)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

static struct healthperf_group *pick(struct healthperf_group *high,
                                     struct healthperf_group *low, int score)
{
    if (score >= HEALTHPERF_HIGH)
        return high;
    if (score >= 0 && score < HEALTHPERF_LOW)
        return low;
    return NULL;
}

static void finish(struct healthperf_group *g)
{
    g->avg_views = g->items > 0 ? (double)g->views / (double)g->items : NAN;
}

/* Count a day in g once: mark[i] bit b says day i was counted for g. */
static void add(struct healthperf_group *g, unsigned char *mark,
                unsigned bit, int64_t views)
{
    if (g == NULL)
        return;
    if (!(*mark & bit)) {
        *mark |= (unsigned char)bit;
        g->days++;
    }
    g->items++;
    g->views += views;
}

void healthperf_of(const struct healthperf_day *days, size_t ndays,
                   const struct healthperf_item *items, size_t nitems,
                   struct healthperf *out)
{
    unsigned char *mark = xcalloc(ndays ? ndays : 1, 1);

    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < ndays; i++)
        if (days[i].readiness >= 0 || days[i].sleep >= 0)
            out->score_days++;
    for (size_t i = 0; i < nitems; i++) {
        const struct healthperf_day *d =
            day_find(days, ndays, items[i].day);
        if (d == NULL)
            continue;
        add(pick(&out->readiness_high, &out->readiness_low, d->readiness),
            &mark[d - days], d->readiness >= HEALTHPERF_HIGH ? 1u : 2u,
            items[i].first_day_views);
        add(pick(&out->sleep_high, &out->sleep_low, d->sleep),
            &mark[d - days], d->sleep >= HEALTHPERF_HIGH ? 4u : 8u,
            items[i].first_day_views);
    }
    finish(&out->readiness_high);
    finish(&out->readiness_low);
    finish(&out->sleep_high);
    finish(&out->sleep_low);
    free(mark);
}

struct build {
    struct store *st;
    int32_t from, to;
    struct healthperf_day *days;
    size_t ndays;
    struct healthperf_item *items;
    int64_t *ids;
    size_t nitems;
};

static enum err on_health_day(const struct store_health_day *d, void *ud)
{
    struct build *b = ud;
    struct healthperf_day *x;
    int64_t t;

    if (b->ndays >= HEALTHPERF_DAYS_MAX ||
        time_parse_iso8601(d->day, &t) != ERR_OK)
        return ERR_OK; /* bounded; the store checked the day's form */
    b->days = xrealloc(b->days, (b->ndays + 1) * sizeof *b->days);
    x = &b->days[b->ndays++];
    x->day = (int32_t)(t / 86400);
    x->readiness = d->readiness_score == HEALTH_NONE
                       ? -1 : (int)d->readiness_score;
    x->sleep = d->sleep_score == HEALTH_NONE ? -1 : (int)d->sleep_score;
    return ERR_OK;
}

static enum err on_content(void *ud, const struct store_content_sum *c)
{
    struct build *b = ud;
    int32_t day;

    if (c->published_at == TIME_NONE || b->nitems >= HEALTHPERF_ITEMS_MAX)
        return ERR_OK;
    day = store_day_of(b->st, c->published_at);
    if (day < b->from || day >= b->to ||
        day_find(b->days, b->ndays, day) == NULL)
        return ERR_OK;
    b->items = xrealloc(b->items, (b->nitems + 1) * sizeof *b->items);
    b->ids = xrealloc(b->ids, (b->nitems + 1) * sizeof *b->ids);
    b->items[b->nitems].day = day;
    b->items[b->nitems].first_day_views = 0;
    b->ids[b->nitems++] = c->item_id;
    return ERR_OK;
}

enum err healthperf_build(struct store *st, int32_t from_day, int32_t to_day,
                          struct healthperf *out, struct buf *err)
{
    struct build b = {st, from_day, to_day, NULL, 0, NULL, NULL, 0};
    struct buf from, to;
    size_t kept = 0;
    enum err rc;

    buf_init(&from, 16);
    buf_init(&to, 16);
    rc = time_format_day(from_day, &from);
    if (rc == ERR_OK)
        rc = time_format_day(to_day - 1, &to);
    if (rc == ERR_OK)
        rc = store_health_days(st, buf_cstr(&from), buf_cstr(&to),
                               on_health_day, &b, err);
    if (rc == ERR_OK && b.ndays > 0)
        rc = store_content_sums(st, -1, on_content, &b);
    /* Items whose publication day has no known views gain are left out:
     * no figure is better than a zero that was never measured. */
    for (size_t i = 0; rc == ERR_OK && i < b.nitems; i++) {
        bool any = false;
        int64_t sum = 0;
        rc = store_item_gain_sum(st, b.ids[i], M_VIEWS, b.items[i].day,
                                 b.items[i].day + 1, &sum, &any);
        if (rc == ERR_OK && any) {
            b.items[kept].day = b.items[i].day;
            b.items[kept++].first_day_views = sum;
        }
    }
    if (rc == ERR_OK)
        healthperf_of(b.days, b.ndays, b.items, kept, out);
    else if (err->len == 0)
        buf_setf(err, "reading content for the health comparison: %s",
                 err_str(rc));
    free(b.days);
    free(b.items);
    free(b.ids);
    buf_free(&from);
    buf_free(&to);
    return rc;
}
