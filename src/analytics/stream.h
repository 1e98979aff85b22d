/* Live-stream figures from a viewer curve: any content item whose
 * history carries the concurrent-viewers metric (M_VIEWERS) is a stream
 * here; no platform is named (docs/twitch.md, "Stream figures").
 *
 * The curve is the item's snapshots that carry M_VIEWERS with a value
 * >= 0, in time order. Between two consecutive points at most gap_s
 * apart the viewer count is taken as a straight line (trapezoids); a
 * longer interval is a gap and is not interpolated across: it adds
 * nothing to minutes watched nor to the time the average is taken over,
 * and is counted in `gaps`.
 *
 * gap_s follows how often the curve was sampled: STREAM_GAP_FACTOR times
 * the median spacing of its points (the lower median of the positive
 * intervals), kept within [STREAM_GAP_MIN_S, STREAM_GAP_MAX_S]; a curve
 * with no positive interval has STREAM_GAP_DEFAULT_S. A 5-minute
 * collection gives 20 minutes, a 2-minute one 10, a 10-minute one 30. */
#ifndef MEDIADASH_STREAM_H
#define MEDIADASH_STREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/jsonw.h"
#include "core/model.h"

#define STREAM_GAP_FACTOR 4     /* x the median spacing */
#define STREAM_GAP_MIN_S 600     /* 10 minutes */
#define STREAM_GAP_MAX_S 1800    /* 30 minutes */
#define STREAM_GAP_DEFAULT_S 1200 /* no interval to measure */

struct stream_point {
    int64_t t; /* UTC seconds, ascending (equal times add no time) */
    int64_t v; /* viewers, >= 0 */
};

struct stream_figures {
    size_t points;          /* points behind every figure below */
    int64_t peak, peak_at;  /* the largest value, its first time */
    double avg;             /* time-weighted over covered_s; when
                               covered_s is 0: the mean of the points */
    int64_t minutes_watched; /* viewer-minutes, trapezoids, rounded to
                                the nearest; INT64_MAX when larger */
    int64_t start, end;      /* start: started_at when it is known and
                                not after the first point, else the first
                                point; end: the last point */
    int64_t duration_s;      /* end - start */
    int64_t covered_s;       /* seconds between points not in a gap */
    int64_t gap_s;           /* the gap bound of this curve (above) */
    size_t gaps;             /* intervals longer than gap_s */
    bool single_point;       /* one point: avg = peak, minutes 0 */
};

/* The gap bound of n points (n >= 0, times ascending), as above. */
int64_t stream_gap_bound(const struct stream_point *p, size_t n);

/* The figures of n points (n >= 1, times ascending, values >= 0) of a
 * stream that started at started_at (TIME_NONE: unknown). No overflow
 * for any int64 values: sums are taken 128 bits wide, differences are
 * checked and saturate. */
void stream_of(const struct stream_point *p, size_t n, int64_t started_at,
               struct stream_figures *out);

/* The figures of an item's viewer curve (its snapshots sorted oldest
 * first); false when no snapshot carries M_VIEWERS >= 0 (not a stream),
 * and then *out is untouched. */
bool stream_of_item(const struct item *it, struct stream_figures *out);

/* {"peak":..,"peak_at":..,"avg":..,"minutes_watched":..,"duration_s":..,
 *  "started_at":..,"ended_at":..,"points":..,"gaps":..,"gap_s":..,
 *  "covered_s":..,"single_point":..} */
void stream_json(struct jw *w, const struct stream_figures *f);

#endif
