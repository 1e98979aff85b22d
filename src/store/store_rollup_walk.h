/* Private to src/store: the daily-rollup walk with no storage in it.
 * Given one item's integer values in time order (from some day on) and,
 * per metric, the last value of the latest day before that, it produces
 * the item_day rows those values make, gains included, by the gain rule
 * every backend keeps (docs/store.md "Rollups"). The PostgreSQL backend
 * computes its rollups with it (pg_rollup.c). */
#ifndef MEDIADASH_STORE_ROLLUP_WALK_H
#define MEDIADASH_STORE_ROLLUP_WALK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/tz.h"

/* The item the values are of. */
struct rollup_owner {
    int64_t account_id;   /* owning account, 0 for none */
    int64_t published_at; /* TIME_NONE if unknown */
};

/* One integer value of metric at t. */
struct rollup_val {
    int64_t metric, t, v;
};

/* The last value of the latest day before the walk's first, per metric. */
struct rollup_prev {
    int64_t metric, last_v;
};

/* One item_day row. gain is valid when has_gain. */
struct rollup_day {
    int64_t metric;
    int32_t day;
    int64_t first_at, first_v, last_at, last_v, gain;
    bool has_gain;
};

/* The zone days are those of store_zone_day(zone, utc, .). */
struct rollup_zone {
    const struct tz *zone;
    bool utc;
};

/* The gain rule. With a previous day: the difference of the last values.
 * Without one, content (account_id != 0) published on or after the start
 * of day grew from 0; anything else has no known gain that day. */
bool store_rollup_gain(const struct rollup_zone *z,
                       const struct rollup_owner *o, int32_t day,
                       int64_t last_v, bool has_prev, int64_t prev_last,
                       int64_t *out);

/* The day rows of vals (n, in time order; several metrics mixed) given
 * prev (nprev, at most one per metric). *out (malloc'd, for the caller
 * to free; NULL when none) gets them in (metric first seen, day) order;
 * the count is returned. */
size_t store_rollup_walk(const struct rollup_zone *z,
                         const struct rollup_owner *o,
                         const struct rollup_val *vals, size_t n,
                         const struct rollup_prev *prev, size_t nprev,
                         struct rollup_day **out);

#endif
