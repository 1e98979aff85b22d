/* serve's wake-ups from other processes (PostgreSQL LISTEN/NOTIFY,
 * store_wait): a thread that listens on the store's channels with its
 * own handle and kicks serve's collector when an account is connected or
 * its credential changes anywhere (a `mediadash connect` on another
 * host), and its publishing worker when a post was added or became due.
 * Without it those loops would see the change only at their next round
 * (up to SERVE_COLLECT_WAIT_MAX_S). On SQLite, which cannot wake other
 * processes, nothing starts: the loops poll as before. */
#ifndef MEDIADASH_SERVE_WAKE_H
#define MEDIADASH_SERVE_WAKE_H

#include "core/bgloop.h"
#include "core/err.h"

struct serve_wake; /* opaque */

/* Start listening on db_path (borrowed until serve_wake_stop returns);
 * collector and worker (borrowed, either may be NULL) are kicked on a
 * wake-up. *out is NULL when the store cannot wake (SQLite) or cannot be
 * opened (logged): serve runs on without it. ERR_IO when the thread
 * cannot start. */
enum err serve_wake_start(const char *db_path, struct bgloop *collector,
                          struct bgloop *worker, struct serve_wake **out)
    WARN_UNUSED;

/* Stop the thread (within SERVE_WAKE_SLICE_MS), close and free. NULL is
 * a no-op. */
void serve_wake_stop(struct serve_wake *w);

#define SERVE_WAKE_SLICE_MS 500

#endif
