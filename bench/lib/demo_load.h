/* Shared by the benchmarks: ingest a demo generator's whole history. */
#ifndef MEDIADASH_BENCH_DEMO_LOAD_H
#define MEDIADASH_BENCH_DEMO_LOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "demo/demo.h"
#include "store/store.h"

/* Ingest every hour g still has into st, hours_per_batch hours per
 * transaction (1: as the collector does; more: fewer commits, the same
 * stored rows). Returns the snapshots ingested; *values (may be NULL)
 * gets the values stored new. Exits with a message on a failure: a
 * benchmark has nothing to measure then. */
size_t demo_load(struct store *st, struct demo *g, int hours_per_batch,
                 size_t *values);

/* bench_ingest's data (and bench_ingest_pg's): ITEMS content items (and
 * 3 accounts), HOURS hours from 2023-01-01, seed 42, content published
 * over the first quarter. Exits with a message when it cannot. */
struct demo *bench_ingest_demo(size_t items, int64_t hours);

/* Ingest g's hours into st one hour per transaction, timing only
 * store_ingest: returns its wall seconds, *cpu its CPU seconds (this
 * process), *rows the snapshots and *values the values stored new.
 * Exits with a message on a failure. */
double bench_timed_ingest(struct store *st, struct demo *g, int64_t hours,
                          size_t *rows, size_t *values, double *cpu);

/* bench_ingest_demo's data ingested by bench_timed_ingest into a new
 * store opened at target (a SQLite path or a PostgreSQL URI), which is
 * closed after: the wall seconds of store_ingest, as that returns them.
 * Exits with a message on a failure. */
double bench_run_store(size_t items, int64_t hours, const char *target,
                       size_t *rows, size_t *values, double *cpu);
/* Whether the benchmark's database at target is already there, so the
 * generator's history is not ingested again: for a SQLite file, that the
 * file exists (call before store_open, which creates it); for a
 * PostgreSQL URI (the database must exist, empty or not), that st holds
 * content items (call after store_open). */
bool bench_file_exists(const char *target);
bool bench_store_filled(const char *target, bool file_existed,
                        struct store *st);

/* Monotonic wall seconds; CPU seconds (user + system) of this process. */
double bench_now_s(void);
double bench_cpu_s(void);
/* Monotonic wall milliseconds at the clock's full resolution (a query's
 * latency may be well under one). */
double bench_now_ms(void);
/* qsort's comparison of doubles, ascending. */
int bench_cmp_double(const void *a, const void *b);

#endif
