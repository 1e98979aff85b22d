/* Ranking content by a metric's gain over a range: analytics on the rows
 * the store gives (store_content_day_gains), not a store query. */
#ifndef MEDIADASH_TOP_H
#define MEDIADASH_TOP_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

/* Order of a ranking: larger gain first, then lower item id. */
int top_cmp_ranked(const void *a, const void *b);

/* Owned content items (role 'own'; of platform, or all when platform <
 * 0) with the largest summed known gain of metric over days [from, to),
 * at most limit, in top_cmp_ranked order; items without a known gain in
 * the range are left out. *out: caller frees (NULL when *n is 0 or on
 * error). Errors are the store's (ERR_DB). */
enum err top_gains(struct store *st, const char *metric, int platform,
                   int32_t from, int32_t to, size_t limit,
                   struct store_ranked **out, size_t *n) WARN_UNUSED;

#endif
