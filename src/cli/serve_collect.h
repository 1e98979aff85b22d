/* serve's collector: a background loop (core/bgloop) that runs the due
 * collector jobs (src/collect) inside `mediadash serve`, so data keeps
 * arriving without a cron job calling `mediadash collect`. */
#ifndef MEDIADASH_SERVE_COLLECT_H
#define MEDIADASH_SERVE_COLLECT_H

#include "core/bgloop.h"
#include "core/buf.h"
#include "core/config.h"
#include "core/err.h"
#include "net/oauth.h"

#define SERVE_COLLECT_WAIT_MIN_S 1
#define SERVE_COLLECT_WAIT_MAX_S 300 /* how soon a new connection is seen */

struct serve_collect; /* opaque */

/* Make the collector (err says why on failure: the Pacific zone is
 * missing) and start the loop. db_path, cfg and o are borrowed until
 * serve_collect_stop returns. Each round opens (once) the loop's own
 * store handle and net client (collect_net_config), runs
 * collect_run_once for every platform and sleeps until the next job is
 * due (SERVE_COLLECT_WAIT_MIN_S to _MAX_S) or a kick. Caller stops *out. */
enum err serve_collect_start(const char *db_path, const struct config *cfg,
                             struct oauth *o, struct serve_collect **out,
                             struct buf *err) WARN_UNUSED;

/* The loop, for http_config.collector (bgloop_kick after a new
 * connection). Borrowed; NULL when sc is NULL. */
struct bgloop *serve_collect_loop(struct serve_collect *sc);

/* Cancel the round in progress (its requests end within about a second;
 * it is not recorded and runs again at the next start), join, close and
 * free. NULL is a no-op. */
void serve_collect_stop(struct serve_collect *sc);

#endif
