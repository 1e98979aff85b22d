/* Inside the demo module: the live streams' part of the engine
 * (demo_live.c), shared with demo.c. Not part of the module's API. */
#ifndef MEDIADASH_DEMO_IMPL_H
#define MEDIADASH_DEMO_IMPL_H

#include <stdbool.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/model.h"
#include "platforms/demo_table.h"

#define DEMO_HOUR 3600
#define DEMO_DAY 86400

/* One planned stream of a platform with a live table: the stream item,
 * its recording and clips (owned), and what shapes its curve. */
#define DEMO_CLIPS_MAX 3
struct demo_stream {
    const struct demo_live *live;
    struct item *stream, *vod;
    struct item *clip[DEMO_CLIPS_MAX];
    int nclips;
    uint64_t ord;         /* plan order: stable noise per stream */
    int64_t start, dur;   /* seconds */
    double peak, phase;   /* plateau viewers; the slow drift's phase */
    double raid_at, raid; /* seconds into it (< 0: no raid); viewers */
    double vod_views, clip_views[DEMO_CLIPS_MAX];
    int64_t clip_at[DEMO_CLIPS_MAX];
    bool linked; /* its links were added to a batch */
};

/* Streams of one account over [from, limit), from r, appended to *s (n
 * of cap, grown as needed); their items belong to account `acct`. */
void demo_live_plan(struct demo_rng *r, const struct demo_live *live,
                    const struct item *acct, int64_t from, int64_t limit,
                    int64_t period_s, struct demo_stream **s, size_t *n,
                    size_t *cap);
void demo_live_free(struct demo_stream *s);
/* Viewers of s at its k-th point (k >= 1), seed: the demo's. */
int64_t demo_live_viewers(const struct demo_stream *s, uint64_t seed,
                          int64_t k);
/* Viewer-hours of s's points in (t - 1 h, t], at most up to end. */
double demo_live_viewer_hours(const struct demo_stream *s, uint64_t seed,
                              int64_t t, int64_t end);
/* Snapshots of s's points in (t - 1 h, t], at most up to end, added to
 * b (the stream item copied as needed). Returns how many. */
size_t demo_live_points(const struct demo_stream *s, uint64_t seed,
                        int64_t t, int64_t end, struct batch *b);
/* The value of part (0: the VOD, 1 + j: clip j) at hour t; false when it
 * has no snapshot then. */
bool demo_live_values(const struct demo_stream *s, int part, int64_t t,
                      struct demo_values *v);
/* Item i of the demo in b with its descriptive fields on first use. */
struct item *demo_batch_copy(struct batch *b, const struct item *src);

#endif
