/* A realistic demo history, generated: one creator (a speedrunning
 * streamer) with an account on every registered platform whose
 * descriptor has a demo table (platforms/demo_table.h; this module names
 * no platform), a few hundred content items published over the period at
 * hours that favour some hours of the week, and hourly snapshots of every
 * account and item from publication on: fast early growth that decays,
 * followers that grow with the views, one viral item, one deleted video,
 * views removed as spam now and then (dips). A platform with a live
 * table also gets streams most evenings: each a content item whose
 * snapshots are its viewer curve (one point every few minutes, made by
 * demo_hour, not by the hourly stepper), with a recording and clips
 * linked to it.
 *
 * Deterministic for the options (struct demo_opts): the same options
 * give the same items and values. Also the data of the
 * benchmarks in bench/. Times are UTC seconds. */
#ifndef MEDIADASH_DEMO_H
#define MEDIADASH_DEMO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/model.h"
#include "platforms/demo_table.h"

#define DEMO_ITEMS_DEFAULT 320 /* posted content over the tables' items_share */
#define DEMO_DAYS_DEFAULT 365
#define DEMO_ITEMS_MAX 100000
#define DEMO_HOURS_MAX (3660 * 24)

struct demo_opts {
    size_t items;  /* content items over all platforms, >= 3 */
    int64_t hours; /* simulated hours, 1..DEMO_HOURS_MAX */
    int64_t end;   /* time of the last hour (rounded down to one) */
    uint64_t seed;
    double publish_span; /* content is published over the first span of
                            the period, (0, 1]; 1 = all of it */
};

/* Defaults: DEMO_ITEMS_DEFAULT items, DEMO_DAYS_DEFAULT days ending at
 * the hour `now` falls in, seed 1, publish_span 1. */
void demo_opts_default(struct demo_opts *o, int64_t now);

struct demo;

/* Plan the demo (accounts, content, its notable events). ERR_INVALID
 * with the reason in err for options out of range. Caller destroys *out;
 * on failure *out is NULL. */
enum err demo_create(const struct demo_opts *o, struct demo **out,
                     struct buf *err) WARN_UNUSED;
void demo_destroy(struct demo *d); /* NULL is a no-op */

int64_t demo_start(const struct demo *d); /* time of hour 0 */
int64_t demo_hours(const struct demo *d);
/* The hour last stepped to (0-based), -1 before the first step. */
int64_t demo_current_hour(const struct demo *d);

/* Accounts first (one per platform with a demo table, in registry
 * order), then the posted content in order of publication, then the
 * streams in order of plan, then their recordings and clips. */
size_t demo_item_count(const struct demo *d);
/* Descriptive fields of item i (ext_id, account_ext_id, kind, handle,
 * title, description, url, published_at, duration_s; no snapshots).
 * Borrowed; lives as long as d. */
const struct item *demo_item(const struct demo *d, size_t i);

/* Step to the next hour: every counter moves on to it. False (and
 * nothing changes) after the last hour. */
bool demo_step(struct demo *d);

/* struct demo_values: platforms/demo_table.h. */
/* The values of item i at the current hour; false when it has no
 * snapshot then (not yet published, deleted, or before the first step;
 * always for a stream, whose points demo_hour adds). */
bool demo_values(const struct demo *d, size_t i, struct demo_values *out);

/* Step to the next hour and add its snapshot of every account and item
 * to b (items created in b as needed, with their descriptive fields),
 * the viewer points of streams in the hour up to it, and the links of a
 * recording and its clips with the recording's first snapshot. Returns
 * the number of snapshots added, 0 after the last hour. */
size_t demo_hour(struct demo *d, struct batch *b);

/* A notable event of the demo, for telling the user what to look at and
 * for tests. item is NULL when the demo has no such event (too short). */
struct demo_event {
    const struct item *item; /* borrowed from d */
    int64_t at;              /* when it happens */
};
struct demo_events {
    struct demo_event viral;   /* views explode from `at` on */
    struct demo_event deleted; /* no snapshot from `at` on */
    struct demo_event dip;     /* spam views removed at `at` */
    int best_slot;             /* hour of the week that performs best,
                                  Sunday 00:00 = 0 (report's heatmap) */
};
void demo_events(const struct demo *d, struct demo_events *out);

/* The planned streams (0 when no platform has a live table). */
size_t demo_stream_count(const struct demo *d);
struct demo_stream_info {
    const struct item *stream, *vod, *clip[3]; /* borrowed from d */
    size_t nclips;
    int64_t started_at, duration_s; /* its points: started_at + k *
                                       point_s for k >= 1, within the
                                       duration and the period */
    int64_t point_s;
};
/* Stream j; false when j >= demo_stream_count(d). */
bool demo_stream_info(const struct demo *d, size_t j,
                      struct demo_stream_info *out);
/* The viewers of stream j at its point k (k >= 1); -1 for no stream j. */
int64_t demo_stream_viewers(const struct demo *d, size_t j, int64_t k);

#endif
