/* Analytics: pure functions over arrays, no I/O (STYLE.md; DESIGN.md's
 * "analytics never does HTTP"). The store feeds them daily rollups; they
 * compute gains, growth, rankings, engagement, heatmaps and spikes.
 *
 * Days are civil day numbers (days since 1970-01-01 in the zone the
 * rollups were made in), so a DST day is simply one day. */
#ifndef MEDIADASH_ANALYTICS_H
#define MEDIADASH_ANALYTICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

/* One day of one counter of one item: the last value seen that day. */
struct day_point {
    int32_t day;
    int64_t last;
};

/* How a day without any snapshot between two days with snapshots is
 * treated. */
enum gap_mode {
    GAP_LUMP,        /* the whole change lands on the next observed day */
    GAP_INTERPOLATE, /* spread evenly (integer parts, remainder on the last
                        day) over the missing days and the next one */
};

/* Daily gains over days [from, to) from points sorted by day, strictly
 * ascending. gain[d] = last(d) - last(previous day with data); a dip is a
 * negative gain, not an error. base, when not NULL, is the value before
 * the first point (0 for content observed from its publication), so the
 * first day has a gain too; otherwise the first point's day has no gain.
 * Days before the first point or after the last have none. out and known
 * have to - from entries. ERR_INVALID for unsorted input or from > to. */
enum err analytics_daily_gains(const struct day_point *p, size_t n,
                               const int64_t *base, int32_t from, int32_t to,
                               enum gap_mode mode, int64_t *out, bool *known)
    WARN_UNUSED;

/* Growth of a counter over [from, to): the last value before or on to-1
 * minus the last value before from (or the first value in range when
 * there is none before). false when there is no value in or before the
 * range. */
bool analytics_growth(const struct day_point *p, size_t n, int32_t from,
                      int32_t to, int64_t *out);

/* Median of v (n > 0); reorders v. */
double analytics_median(double *v, size_t n);
/* Median absolute deviation around med; reorders v. */
double analytics_mad(double *v, size_t n, double med);

struct spike {
    size_t index;    /* into the gains array */
    int64_t gain;
    double baseline; /* median of the window before */
    double score;    /* (gain - baseline) / (1.4826 * MAD) */
};

/* Days whose gain is far above the item's own recent baseline: for each
 * known day from index first on with at least min_history known days
 * among the window days before it, score = (gain - median) /
 * (1.4826 * MAD) (MAD floored at 1 so a flat history still scores), and
 * the day is a spike when score >= threshold and gain - median >=
 * min_excess. Days before first serve only as history. Writes at most
 * max spikes in day order; returns how many were found (may exceed max). */
size_t analytics_spikes(const int64_t *gain, const bool *known, size_t n,
                        size_t first, size_t window, size_t min_history,
                        double threshold, int64_t min_excess,
                        struct spike *out, size_t max);

/* One day of analytics_spikes: hist[0..h) the known gains of the window
 * before the day (reordered), low their smallest, gain the day's. true
 * and *out (index 0, gain, baseline, score) when it is a spike. Shared
 * with walks that keep only a window per item (the report's), so both
 * judge a day with the same arithmetic. */
bool analytics_spike_judge(double *hist, size_t h, double low, int64_t gain,
                           size_t min_history, double threshold,
                           int64_t min_excess, struct spike *out);

/* One item's spikes summed up as one run (the Spikes list shows an item
 * once): the peak is the spike day with the largest gain (the earliest
 * of equal ones), judged against that day's baseline; the run is the
 * stretch of days around the peak, from index first on, whose known
 * gains stay above that baseline (unknown days neither end nor count);
 * excess is the sum of (gain - baseline) over the run's days. */
struct spike_run {
    size_t peak;      /* index of the peak day */
    int64_t gain;     /* its gain */
    double baseline;  /* its baseline */
    double score;     /* the highest score among the item's spikes */
    size_t days;      /* known days in the run, the peak included */
    double excess;    /* sum of gain - baseline over those days */
};

/* Summarise the spikes sp[0..nsp) that analytics_spikes found in
 * gain/known (n days, judged from index first). false when nsp == 0. */
bool analytics_spike_run(const int64_t *gain, const bool *known, size_t n,
                         size_t first, const struct spike *sp, size_t nsp,
                         struct spike_run *out);

struct scored {
    int64_t id;
    double score;
};
/* Put the k highest scores first, in descending order (ties: lower id
 * first); the rest follow in no order. Returns min(k, n). */
size_t analytics_top_k(struct scored *v, size_t n, size_t k);

/* (likes + comments + shares + saves) / views; false when views <= 0. */
bool analytics_engagement(int64_t likes, int64_t comments, int64_t shares,
                          int64_t saves, int64_t views, double *out);

/* Hour-of-week performance: 168 buckets, Sunday 00:00 first. */
struct heatmap {
    double sum[168];
    uint32_t count[168];
};
void heatmap_init(struct heatmap *h);
/* Add one item published at local weekday wday (0 = Sunday) and hour. */
void heatmap_add(struct heatmap *h, int wday, int hour, double score);
/* Mean score of a bucket; false when empty. */
bool heatmap_mean(const struct heatmap *h, int bucket, double *out);
/* The bucket with the highest mean among those with at least min_count
 * items, or -1. */
int heatmap_best(const struct heatmap *h, uint32_t min_count);

/* Value at age offsets (seconds since publication) by linear
 * interpolation between samples (t ascending); ages outside the samples
 * are unknown. For "first 24 h / 7 days" curves. */
struct sample {
    int64_t t;
    int64_t v;
};
void analytics_curve(const struct sample *s, size_t n, int64_t published_at,
                     const int64_t *ages, size_t nages, double *out,
                     bool *known);

#endif
