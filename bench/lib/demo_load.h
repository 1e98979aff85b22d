/* Shared by the benchmarks: ingest a demo generator's whole history. */
#ifndef MEDIADASH_BENCH_DEMO_LOAD_H
#define MEDIADASH_BENCH_DEMO_LOAD_H

#include <stddef.h>

#include "demo/demo.h"
#include "store/store.h"

/* Ingest every hour g still has into st, hours_per_batch hours per
 * transaction (1: as the collector does; more: fewer commits, the same
 * stored rows). Returns the snapshots ingested; *values (may be NULL)
 * gets the values stored new. Exits with a message on a failure: a
 * benchmark has nothing to measure then. */
size_t demo_load(struct store *st, struct demo *g, int hours_per_batch,
                 size_t *values);

#endif
