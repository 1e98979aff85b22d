/* serve's publishing worker: a background loop (core/bgloop) that
 * publishes due posts inside `mediadash serve`, so no separate
 * `mediadash worker` process is needed. */
#ifndef MEDIADASH_SERVE_WORKER_H
#define MEDIADASH_SERVE_WORKER_H

#include "core/config.h"
#include "core/err.h"
#include "core/secret.h"
#include "net/oauth.h"

struct serve_worker; /* opaque */

/* Start the loop. db_path, cfg, o and key (the secret key: Instagram's
 * public media links are keyed by it) are borrowed until
 * serve_worker_stop returns. Each round runs worker_run_once with id
 * "serve-<pid>", every publisher of the build and a pub_ctx of the
 * loop's own store handle and net client (opened on the first round),
 * then sleeps until the next scheduled post is due (1 to 60 s) or a
 * kick. ERR_IO when the thread cannot start. */
enum err serve_worker_start(const char *db_path, const struct config *cfg,
                            struct oauth *o, const struct secret_key *key,
                            struct serve_worker **out) WARN_UNUSED;

/* The loop, for http_config.worker (bgloop_kick). Borrowed. */
struct bgloop *serve_worker_loop(struct serve_worker *w);

/* Stop after the round in progress, close and free. NULL is a no-op. A
 * round cut short by the process ending leaves its post in publishing:
 * the lease expires and the post goes to needs_check (worker.h). */
void serve_worker_stop(struct serve_worker *w);

#endif
