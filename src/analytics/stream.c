/* Stream figures from a viewer curve. See stream.h. */
#include "analytics/stream.h"

#include <stdlib.h>

#include "core/alloc.h"
#include "core/timeutil.h"

__extension__ typedef unsigned __int128 u128;

/* b - a, saturated to [0, INT64_MAX] (b >= a expected). */
static int64_t span(int64_t a, int64_t b)
{
    int64_t d;
    if (b <= a)
        return 0;
    if (__builtin_sub_overflow(b, a, &d))
        return INT64_MAX;
    return d;
}

static double u128_to_double(u128 x)
{
    return (double)(uint64_t)(x >> 64) * 18446744073709551616.0 +
           (double)(uint64_t)x;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* The gap bound of n points (stream.h): STREAM_GAP_FACTOR x the lower
 * median of the positive intervals, clamped; saturates, never overflows. */
int64_t stream_gap_bound(const struct stream_point *p, size_t n)
{
    int64_t *d = NULL, med, bound;
    size_t k = 0;

    if (n >= 2)
        d = xmalloc((n - 1) * sizeof *d);
    for (size_t i = 1; i < n; i++) {
        int64_t dt = span(p[i - 1].t, p[i].t);
        if (dt > 0)
            d[k++] = dt;
    }
    if (k == 0) {
        free(d);
        return STREAM_GAP_DEFAULT_S;
    }
    qsort(d, k, sizeof *d, cmp_i64);
    med = d[(k - 1) / 2];
    free(d);
    if (__builtin_mul_overflow(med, (int64_t)STREAM_GAP_FACTOR, &bound))
        bound = INT64_MAX;
    if (bound < STREAM_GAP_MIN_S)
        return STREAM_GAP_MIN_S;
    return bound > STREAM_GAP_MAX_S ? STREAM_GAP_MAX_S : bound;
}

void stream_of(const struct stream_point *p, size_t n, int64_t started_at,
               struct stream_figures *out)
{
    u128 twice_vs = 0, sum = 0; /* 2 x viewer-seconds; sum of values */
    u128 minutes;
    int64_t covered = 0, gap_s = stream_gap_bound(p, n);

    *out = (struct stream_figures){.points = n, .peak = p[0].v,
                                   .peak_at = p[0].t, .start = p[0].t,
                                   .end = p[n - 1].t, .gap_s = gap_s};
    for (size_t i = 0; i < n; i++) {
        sum += (u128)p[i].v;
        if (p[i].v > out->peak) {
            out->peak = p[i].v;
            out->peak_at = p[i].t;
        }
        if (i == 0)
            continue;
        int64_t dt = span(p[i - 1].t, p[i].t);
        if (dt > gap_s) {
            out->gaps++;
            continue;
        }
        if (__builtin_add_overflow(covered, dt, &covered))
            covered = INT64_MAX;
        twice_vs += ((u128)p[i - 1].v + (u128)p[i].v) * (u128)dt;
    }
    if (started_at != TIME_NONE && started_at <= out->start)
        out->start = started_at;
    out->duration_s = span(out->start, out->end);
    out->covered_s = covered;
    out->single_point = n == 1;
    minutes = (twice_vs + 60) / 120; /* viewer-seconds / 60, rounded */
    out->minutes_watched =
        minutes > (u128)INT64_MAX ? INT64_MAX : (int64_t)minutes;
    out->avg = covered > 0
                   ? u128_to_double(twice_vs) / (2.0 * (double)covered)
                   : u128_to_double(sum) / (double)n;
}

bool stream_of_item(const struct item *it, struct stream_figures *out)
{
    struct stream_point *p = NULL;
    size_t n = 0, cap = 0;

    for (size_t i = 0; i < it->nsnaps; i++) {
        const struct metric *m =
            metrics_get(&it->snaps[i]->metrics, M_VIEWERS);
        if (m == NULL || m->is_real || m->i < 0)
            continue;
        p = xgrow(p, &cap, n + 1, sizeof *p);
        p[n].t = it->snaps[i]->observed_at;
        p[n].v = m->i;
        n++;
    }
    if (n > 0)
        stream_of(p, n, it->published_at, out);
    free(p);
    return n > 0;
}

void stream_json(struct jw *w, const struct stream_figures *f)
{
    jw_object_begin(w);
    jw_kv_i64(w, "peak", f->peak);
    jw_kv_time(w, "peak_at", f->peak_at);
    jw_kv_real(w, "avg", f->avg);
    jw_kv_i64(w, "minutes_watched", f->minutes_watched);
    jw_kv_i64(w, "duration_s", f->duration_s);
    jw_kv_time(w, "started_at", f->start);
    jw_kv_time(w, "ended_at", f->end);
    jw_kv_i64(w, "points", (int64_t)f->points);
    jw_kv_i64(w, "gaps", (int64_t)f->gaps);
    jw_kv_i64(w, "gap_s", f->gap_s);
    jw_kv_i64(w, "covered_s", f->covered_s);
    jw_kv_bool(w, "single_point", f->single_point);
    jw_object_end(w);
}
