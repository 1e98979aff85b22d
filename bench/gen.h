/* Synthetic history for benchmarks: N content items of a few accounts,
 * hourly snapshots with plausible growth curves (fast early growth that
 * decays, a viral spike on some items, occasional dips). Deterministic
 * for a given seed. */
#ifndef MEDIADASH_BENCH_GEN_H
#define MEDIADASH_BENCH_GEN_H

#include <stdint.h>

#include "core/model.h"

struct gen {
    uint64_t rng;
    size_t items;
    int64_t start;  /* first snapshot hour (UTC) */
    int64_t hours;  /* snapshots per item */
};

void gen_init(struct gen *g, size_t items, int64_t hours, uint64_t seed);
/* Fill b with one snapshot of every item at hour h (0-based): views,
 * likes, comments. Items are published spread over the first quarter of
 * the period and have no snapshots before. Returns the snapshot count. */
size_t gen_hour(struct gen *g, int64_t h, struct batch *b);
/* The values gen_hour would give item i at hour h (for plain inserts). */
void gen_values(const struct gen *g, size_t i, int64_t h, int64_t *views,
                int64_t *likes, int64_t *comments);
int64_t gen_published(const struct gen *g, size_t i);

#endif
