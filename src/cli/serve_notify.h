/* serve's notification loop: a background loop (core/bgloop) that
 * delivers the outbox (notify.h) inside `mediadash serve`. */
#ifndef MEDIADASH_SERVE_NOTIFY_H
#define MEDIADASH_SERVE_NOTIFY_H

#include "core/bgloop.h"
#include "core/config.h"
#include "core/err.h"

#define SERVE_NOTIFY_WAIT_MAX_S 5 /* how soon a new event is noticed */

struct serve_notify; /* opaque */

/* Start the loop. db_path and cfg are borrowed until serve_notify_stop
 * returns. Each round delivers what is due with the loop's own store
 * handle and sender (opened on the first round), then sleeps until the
 * next pending event is due (1 to SERVE_NOTIFY_WAIT_MAX_S s) or a kick.
 * ERR_IO when the thread cannot start. */
enum err serve_notify_start(const char *db_path, const struct config *cfg,
                            struct serve_notify **out) WARN_UNUSED;

/* The loop, for bgloop_kick. Borrowed; NULL for NULL. */
struct bgloop *serve_notify_loop(struct serve_notify *n);

/* Cancel a delivery in progress, stop after the round, close and free.
 * NULL is a no-op. An event cut short is sent again once its lease
 * (NOTIFY_LEASE_S) has run out. */
void serve_notify_stop(struct serve_notify *n);

#endif
