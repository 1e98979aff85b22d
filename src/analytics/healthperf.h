/* Sleep and readiness against content performance (issue 16): the
 * creator's content published on days of high vs low readiness (and
 * sleep score), compared by its first-day views. A comparison of
 * averages with the number of days and items behind each, never a claim
 * of cause. Pure over what the store returns (store_health.h for the
 * scores, store.h for the content), like the other analytics. */
#ifndef MEDIADASH_HEALTHPERF_H
#define MEDIADASH_HEALTHPERF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/err.h"
#include "store/store.h"

#define HEALTHPERF_HIGH 85 /* a score at or above this is "high" */
#define HEALTHPERF_LOW 70  /* a score below this is "low" */

/* One day's scores: civil day number (days since 1970-01-01, as Oura
 * names the wearer's day); a score of -1 when Oura gave none. */
struct healthperf_day {
    int32_t day;
    int readiness, sleep;
};

/* One content item: the civil day of its publication (rollup day) and
 * the views it gained that day. */
struct healthperf_item {
    int32_t day;
    int64_t first_day_views;
};

struct healthperf_group {
    int64_t days;      /* days of the group with at least one item */
    int64_t items;     /* content items published on them */
    int64_t views;     /* their first-day views, summed */
    double avg_views;  /* views / items; NAN when items is 0 */
};

struct healthperf {
    struct healthperf_group readiness_high, readiness_low;
    struct healthperf_group sleep_high, sleep_low;
    int64_t score_days; /* days with a readiness or sleep score */
};

/* Group items by their day's scores: days[] ascending by day (at most one
 * entry a day), items[] in any order. Items on a day without that score,
 * or with a middle score (70..84), count in no group of it. */
void healthperf_of(const struct healthperf_day *days, size_t ndays,
                   const struct healthperf_item *items, size_t nitems,
                   struct healthperf *out);

/* The same from the store: the health days in [from_day, to_day) and the
 * owned content published on them with its first-day views (the rollup
 * day of publication: store_item_gain_sum of views). */
enum err healthperf_build(struct store *st, int32_t from_day, int32_t to_day,
                          struct healthperf *out, struct buf *err)
    WARN_UNUSED;

#endif
