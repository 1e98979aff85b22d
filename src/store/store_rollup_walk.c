/* The daily-rollup walk (store_rollup_walk.h): pure arithmetic over one
 * item's values, no storage. */
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/timeutil.h"
#include "store/store_impl.h"
#include "store/store_rollup_walk.h"

bool store_rollup_gain(const struct rollup_zone *z,
                       const struct rollup_owner *o, int32_t day,
                       int64_t last_v, bool has_prev, int64_t prev_last,
                       int64_t *out)
{
    *out = 0;
    if (has_prev) {
        *out = last_v - prev_last;
        return true;
    }
    if (o->account_id != 0 && o->published_at != TIME_NONE &&
        o->published_at >= store_zone_day_start(z->zone, z->utc, day)) {
        *out = last_v;
        return true;
    }
    return false;
}

/* Per metric while walking: the day being filled (open) and the last
 * value of the day before it (has_prev). */
struct metric_walk {
    int64_t metric;
    bool open, has_prev;
    int64_t prev_last;
    size_t row; /* index of the open day's row in the output */
};

struct walk {
    const struct rollup_zone *z;
    const struct rollup_owner *o;
    struct metric_walk *m;
    size_t nm, capm;
    struct rollup_day *rows;
    size_t n, cap;
};

static struct metric_walk *metric_of(struct walk *w, int64_t metric)
{
    for (size_t i = 0; i < w->nm; i++)
        if (w->m[i].metric == metric)
            return &w->m[i];
    w->m = xgrow(w->m, &w->capm, w->nm + 1, sizeof *w->m);
    memset(&w->m[w->nm], 0, sizeof w->m[w->nm]);
    w->m[w->nm].metric = metric;
    return &w->m[w->nm++];
}

/* The open day of m is complete: its gain, and it becomes the previous. */
static void day_close(struct walk *w, struct metric_walk *m)
{
    struct rollup_day *r = &w->rows[m->row];

    r->has_gain = store_rollup_gain(w->z, w->o, r->day, r->last_v,
                                    m->has_prev, m->prev_last, &r->gain);
    m->has_prev = true;
    m->prev_last = r->last_v;
    m->open = false;
}

static void walk_one(struct walk *w, const struct rollup_val *v)
{
    struct metric_walk *m = metric_of(w, v->metric);
    int32_t day = store_zone_day(w->z->zone, w->z->utc, v->t);
    struct rollup_day *r;

    if (m->open && w->rows[m->row].day == day) {
        r = &w->rows[m->row];
        r->last_at = v->t;
        r->last_v = v->v;
        return;
    }
    if (m->open)
        day_close(w, m);
    w->rows = xgrow(w->rows, &w->cap, w->n + 1, sizeof *w->rows);
    w->rows[w->n] = (struct rollup_day){v->metric, day, v->t, v->v,
                                        v->t,      v->v, 0,    false};
    m->row = w->n++;
    m->open = true;
}

size_t store_rollup_walk(const struct rollup_zone *z,
                         const struct rollup_owner *o,
                         const struct rollup_val *vals, size_t n,
                         const struct rollup_prev *prev, size_t nprev,
                         struct rollup_day **out)
{
    struct walk w;

    memset(&w, 0, sizeof w);
    w.z = z;
    w.o = o;
    for (size_t i = 0; i < nprev; i++) {
        struct metric_walk *m = metric_of(&w, prev[i].metric);
        m->has_prev = true;
        m->prev_last = prev[i].last_v;
    }
    for (size_t i = 0; i < n; i++)
        walk_one(&w, &vals[i]);
    for (size_t i = 0; i < w.nm; i++)
        if (w.m[i].open)
            day_close(&w, &w.m[i]);
    free(w.m);
    *out = w.rows;
    return w.n;
}
