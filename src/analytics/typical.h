/* "vs typical" for many items at once: the typical curve of each
 * platform (per age in rollup days since publication, the views of the
 * creator's owned content items that old) built in one scan of the daily
 * rollups, then answered per item without reading the store.
 *
 * Same numbers as report_vs_typical: an item's age is the day of its
 * latest views row (on or after its publication day) minus its
 * publication day, its views that row's last value; its peers at age a
 * are the other owned content items of its platform with a views row on
 * or after publication day + a, each with its last value on or before
 * that day (an item with no row that early is not a peer); the median is
 * theirs. */
#ifndef MEDIADASH_TYPICAL_H
#define MEDIADASH_TYPICAL_H

#include <stdbool.h>
#include <stdint.h>

#include "analytics/report.h"
#include "store/store.h"

struct typical;

/* Build the curves from the store (store_age_rows of views). Caller
 * frees *out with typical_free. */
enum err typical_build(struct store *st, struct typical **out) WARN_UNUSED;
void typical_free(struct typical *t); /* NULL: no-op */

/* Item item_id's vs typical, as report_vs_typical: false when it is not
 * content with a publication time and a views row from its publication
 * day on. */
bool typical_of(const struct typical *t, int64_t item_id,
                struct report_typical *out);

/* The typical views of platform p's owned content at age days: the median
 * over every owned item that old (none left out); *n how many (0: the
 * result is 0). */
double typical_median(const struct typical *t, enum platform p,
                      int32_t age, size_t *n);

struct jw;
/* "vs_typical": {"age_days", "views", "n", "median", "ratio"} as a member
 * of the open object (median null when n is 0, ratio without has_ratio),
 * or null when has is false. */
void typical_json(struct jw *w, bool has, const struct report_typical *t);

#endif
