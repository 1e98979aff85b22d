#include "analytics/analytics.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Spread delta over `span` days ending at day index `last` (inclusive):
 * integer parts, the remainder on the last day. */
static void spread(int64_t delta, int32_t span, int32_t first_day,
                   int32_t from, int32_t to, int64_t *out, bool *known)
{
    int64_t part = delta / span;
    for (int32_t k = 0; k < span; k++) {
        int32_t d = first_day + k;
        if (d < from || d >= to)
            continue;
        out[d - from] = k + 1 == span ? delta - part * (span - 1) : part;
        known[d - from] = true;
    }
}

enum err analytics_daily_gains(const struct day_point *p, size_t n,
                               const int64_t *base, int32_t from, int32_t to,
                               enum gap_mode mode, int64_t *out, bool *known)
{
    if (from > to)
        return ERR_INVALID;
    for (size_t i = 1; i < n; i++)
        if (p[i].day <= p[i - 1].day)
            return ERR_INVALID;
    memset(out, 0, sizeof *out * (size_t)(to - from));
    memset(known, 0, sizeof *known * (size_t)(to - from));
    for (size_t i = 0; i < n; i++) {
        int64_t prev;
        int32_t span;
        if (i == 0 && base == NULL)
            continue;
        prev = i == 0 ? *base : p[i - 1].last;
        span = i == 0 || mode == GAP_LUMP ? 1 : p[i].day - p[i - 1].day;
        spread(p[i].last - prev, span, p[i].day - span + 1, from, to, out,
               known);
    }
    return ERR_OK;
}

bool analytics_growth(const struct day_point *p, size_t n, int32_t from,
                      int32_t to, int64_t *out)
{
    const struct day_point *before = NULL, *first_in = NULL, *end = NULL;

    for (size_t i = 0; i < n; i++) {
        if (p[i].day < from)
            before = &p[i];
        else if (p[i].day < to) {
            if (first_in == NULL)
                first_in = &p[i];
            end = &p[i];
        }
    }
    if (end == NULL)
        return false;
    *out = end->last - (before ? before->last : first_in->last);
    return true;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Spike baselines are a couple of weeks of days: insertion sort beats
 * qsort's merge sort and its calls through a comparator there. */
#define SMALL_SORT 32

static void sort_small(double *v, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        double x = v[i];
        size_t j = i;
        for (; j > 0 && v[j - 1] > x; j--)
            v[j] = v[j - 1];
        v[j] = x;
    }
}

double analytics_median(double *v, size_t n)
{
    if (n <= SMALL_SORT)
        sort_small(v, n);
    else
        qsort(v, n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
}

double analytics_mad(double *v, size_t n, double med)
{
    for (size_t i = 0; i < n; i++)
        v[i] = fabs(v[i] - med);
    return analytics_median(v, n);
}

bool analytics_spike_judge(double *hist, size_t h, double low, int64_t gain,
                           size_t min_history, double threshold,
                           int64_t min_excess, struct spike *out)
{
    double med, mad, score;

    if (h == 0 || h < min_history)
        return false;
    /* The median is at least the smallest value: a day that is not
     * min_excess above that cannot be a spike (no sort needed). */
    if ((double)gain - low < (double)min_excess)
        return false;
    med = analytics_median(hist, h);
    /* The excess first: most days fail it, and skip the MAD. */
    if ((double)gain - med < (double)min_excess)
        return false;
    mad = analytics_mad(hist, h, med);
    score = ((double)gain - med) / (1.4826 * (mad < 1.0 ? 1.0 : mad));
    if (score < threshold)
        return false;
    *out = (struct spike){0, gain, med, score};
    return true;
}

size_t analytics_spikes(const int64_t *gain, const bool *known, size_t n,
                        size_t first, size_t window, size_t min_history,
                        double threshold, int64_t min_excess,
                        struct spike *out, size_t max)
{
    double *hist = malloc(sizeof *hist * (window ? window : 1));
    size_t found = 0;

    if (hist == NULL)
        return 0;
    for (size_t i = first; i < n; i++) {
        size_t h = 0;
        double low = 0;
        struct spike sp;
        if (!known[i])
            continue;
        for (size_t j = i > window ? i - window : 0; j < i; j++)
            if (known[j]) {
                hist[h] = (double)gain[j];
                if (h == 0 || hist[h] < low)
                    low = hist[h];
                h++;
            }
        if (!analytics_spike_judge(hist, h, low, gain[i], min_history,
                                   threshold, min_excess, &sp))
            continue;
        sp.index = i;
        if (found < max)
            out[found] = sp;
        found++;
    }
    free(hist);
    return found;
}

/* Known days from `at` walking by step (+1 or -1) within [first, n)
 * while the gain stays above base; adds them to r (at itself excluded). */
static void run_walk(const int64_t *gain, const bool *known, size_t n,
                     size_t first, size_t at, int step, struct spike_run *r)
{
    for (size_t i = at;;) {
        if (step < 0 ? i <= first : i + 1 >= n)
            return;
        i = step < 0 ? i - 1 : i + 1;
        if (!known[i])
            continue;
        if ((double)gain[i] <= r->baseline)
            return;
        r->days++;
        r->excess += (double)gain[i] - r->baseline;
    }
}

bool analytics_spike_run(const int64_t *gain, const bool *known, size_t n,
                         size_t first, const struct spike *sp, size_t nsp,
                         struct spike_run *out)
{
    const struct spike *peak = NULL;
    double score = 0;

    for (size_t i = 0; i < nsp; i++) {
        if (peak == NULL || sp[i].gain > peak->gain)
            peak = &sp[i];
        if (i == 0 || sp[i].score > score)
            score = sp[i].score;
    }
    if (peak == NULL)
        return false;
    *out = (struct spike_run){peak->index, peak->gain, peak->baseline, score,
                              1, (double)peak->gain - peak->baseline};
    run_walk(gain, known, n, first, peak->index, -1, out);
    run_walk(gain, known, n, first, peak->index, +1, out);
    return true;
}

static int cmp_scored(const void *a, const void *b)
{
    const struct scored *x = a, *y = b;
    if (x->score != y->score)
        return x->score < y->score ? 1 : -1;
    return (x->id > y->id) - (x->id < y->id);
}

size_t analytics_top_k(struct scored *v, size_t n, size_t k)
{
    /* Selection by full sort: n is the number of items (thousands), and
     * qsort of that is far below a millisecond. */
    qsort(v, n, sizeof *v, cmp_scored);
    return k < n ? k : n;
}

bool analytics_engagement(int64_t likes, int64_t comments, int64_t shares,
                          int64_t saves, int64_t views, double *out)
{
    if (views <= 0)
        return false;
    *out = ((double)likes + (double)comments + (double)shares +
            (double)saves) /
           (double)views;
    return true;
}

void heatmap_init(struct heatmap *h)
{
    memset(h, 0, sizeof *h);
}

void heatmap_add(struct heatmap *h, int wday, int hour, double score)
{
    int b;
    if (wday < 0 || wday > 6 || hour < 0 || hour > 23 || !isfinite(score))
        return;
    b = wday * 24 + hour;
    h->sum[b] += score;
    h->count[b]++;
}

bool heatmap_mean(const struct heatmap *h, int bucket, double *out)
{
    if (bucket < 0 || bucket >= 168 || h->count[bucket] == 0)
        return false;
    *out = h->sum[bucket] / h->count[bucket];
    return true;
}

int heatmap_best(const struct heatmap *h, uint32_t min_count)
{
    int best = -1;
    double best_mean = 0;
    for (int b = 0; b < 168; b++) {
        double m;
        if (h->count[b] < min_count || !heatmap_mean(h, b, &m))
            continue;
        if (best < 0 || m > best_mean) {
            best = b;
            best_mean = m;
        }
    }
    return best;
}

void analytics_curve(const struct sample *s, size_t n, int64_t published_at,
                     const int64_t *ages, size_t nages, double *out,
                     bool *known)
{
    size_t j = 0;
    for (size_t a = 0; a < nages; a++) {
        int64_t t = published_at + ages[a];
        known[a] = false;
        out[a] = 0;
        if (j > 0 && s[j].t > t) /* ages need not be ascending */
            j = 0;
        while (j + 1 < n && s[j + 1].t <= t)
            j++;
        if (n == 0 || t < s[0].t || t > s[n - 1].t)
            continue;
        if (s[j].t == t || j + 1 >= n) {
            out[a] = (double)s[j].v;
        } else {
            double f = (double)(t - s[j].t) / (double)(s[j + 1].t - s[j].t);
            out[a] = (double)s[j].v + f * (double)(s[j + 1].v - s[j].v);
        }
        known[a] = true;
    }
}
