/* Background loops (serve's collector and publishing worker): a thread
 * that calls a function now and then until it is stopped. Each loop's function opens what it needs (its own store handle
 * and net client: those are one per thread) on its first call or keeps
 * them in ud. */
#ifndef MEDIADASH_BGLOOP_H
#define MEDIADASH_BGLOOP_H

#include <stdint.h>

#include "core/err.h"

struct bgloop; /* opaque */

/* One round at UTC instant now; returns how many seconds to wait before
 * the next (clamped to [1, 3600]). Runs on the loop's thread only. */
typedef int64_t (*bgloop_fn)(void *ud, int64_t now);

/* Start a thread named name (borrowed; static) that calls fn(ud, now)
 * at once and then whenever the wait it returned has passed or
 * bgloop_kick was called. ud is borrowed until bgloop_stop returns.
 * Caller stops *out. ERR_IO when the thread cannot start. */
enum err bgloop_start(const char *name, bgloop_fn fn, void *ud,
                        struct bgloop **out) WARN_UNUSED;
/* Run the next round now (e.g. a post was scheduled a minute ahead). */
void bgloop_kick(struct bgloop *b); /* NULL is a no-op */
/* Ask the loop to end, wait for the round in progress to finish, join
 * and free. NULL is a no-op. */
void bgloop_stop(struct bgloop *b);

#endif
