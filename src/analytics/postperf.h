/* A published post's first hours and first week (issue 14, "the loop
 * back to analytics"): the views of the content item it became (matched
 * by platform and the id the platform returned) at fixed ages after its
 * publication, each beside the creator's typical at that age: the median
 * of the same platform's other owned content items at that age.
 *
 * Views at age a are read from raw snapshots: interpolated linearly
 * between the last snapshot at or before published_at + a and the first
 * at or after it, when both exist and lie at most 2a apart (so an item
 * first seen weeks later has no first-hour figure, rather than a made-up
 * one); otherwise unknown. */
#ifndef MEDIADASH_ANALYTICS_POSTPERF_H
#define MEDIADASH_ANALYTICS_POSTPERF_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/model.h"
#include "store/store.h"

#define POSTPERF_NAGES 8   /* 1 h, 3 h, 6 h, 12 h, 1 d, 2 d, 3 d, 7 d */
#define POSTPERF_PEERS 50  /* the newest owned items compared with */

/* The ages, in seconds. */
extern const int64_t postperf_ages[POSTPERF_NAGES];

struct postperf_point {
    int64_t age_s;
    int64_t views;  /* -1: unknown (not that old, or not observed then) */
    double typical; /* median of the peers known at this age */
    size_t peers;   /* how many; 0: no typical */
};

struct postperf {
    struct item *item;  /* owned (item_destroy): descriptive fields and
                           its newest snapshot only */
    int64_t views_now;  /* -1: no views metric seen */
    int64_t observed_at; /* of views_now; TIME_NONE */
    struct postperf_point pt[POSTPERF_NAGES];
};

/* Views of it at age age_s after its publication (rule above); -1 when
 * unknown or it has no publication time. Snapshots oldest first. */
int64_t postperf_views_at(const struct item *it, int64_t age_s);

/* Fill *out for the content item ext_id of platform p (the post's remote
 * id). ERR_NOTFOUND when the store has no such item (not collected yet);
 * other errors with err. Caller frees with postperf_free. */
enum err postperf_build(struct store *st, enum platform p,
                        const char *ext_id, struct postperf *out,
                        struct buf *err) WARN_UNUSED;
/* Only item, views_now and observed_at of postperf_build (pt is left
 * zero): one read, for lists. */
enum err postperf_latest(struct store *st, enum platform p,
                         const char *ext_id, struct postperf *out,
                         struct buf *err) WARN_UNUSED;
void postperf_free(struct postperf *pp); /* NULL: no-op */

#endif
