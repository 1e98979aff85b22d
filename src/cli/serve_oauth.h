/* serve's OAuth loop: finishes the consents the dashboard's
 * /oauth/callback queued (store_oauth_pending_add), so that the request
 * thread does no network I/O (http.h). Each round claims the queued rows
 * one at a time (a row is claimed once: a code is exchanged at most
 * once), exchanges the code with oauth_finish on the loop's own store
 * handle and net client, records "ok" (and kicks the collector) or the
 * error the Sources page shows, then waits for a kick. */
#ifndef MEDIADASH_SERVE_OAUTH_H
#define MEDIADASH_SERVE_OAUTH_H

#include "core/bgloop.h"
#include "core/config.h"
#include "core/err.h"
#include "core/secret.h"
#include "net/oauth.h"

#define SERVE_OAUTH_TIMEOUT_MS 20000 /* one token request */
#define SERVE_OAUTH_WAIT_S 60        /* between rounds without a kick */
#define SERVE_OAUTH_STALE_S 600      /* running longer: a stopped server */

struct serve_oauth; /* opaque */

/* Start the loop. db_path, cfg, o, key and collector (may be NULL) are
 * borrowed until serve_oauth_stop returns. ERR_IO when the thread cannot
 * start. Caller stops *out. */
enum err serve_oauth_start(const char *db_path, const struct config *cfg,
                           struct oauth *o, const struct secret_key *key,
                           struct bgloop *collector,
                           struct serve_oauth **out) WARN_UNUSED;
/* The loop, for http_config.oauth_loop (kicked by the callback).
 * Borrowed; NULL when so is NULL. */
struct bgloop *serve_oauth_loop(struct serve_oauth *so);
/* Cancel a request in progress (its row is recorded as an error, "could
 * not be reached: cancelled"), join, close and free. NULL is a no-op. */
void serve_oauth_stop(struct serve_oauth *so);

#endif
