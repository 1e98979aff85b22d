/* The publishing worker: claims due posts and hands each to the
 * publisher of its platform. Transitions (store_post.h):
 *   claimed -> publishing   committed BEFORE any network call
 *   publishing -> published | scheduled (retry later) | failed |
 *                 needs_relogin | needs_check (outcome unclear)
 * A post missed by more than the grace window fails instead. Posts in
 * needs_check are never published again before a publisher's check()
 * (or a person, `mediadash post retry`) says the platform lacks them. */
#ifndef MEDIADASH_WORKER_H
#define MEDIADASH_WORKER_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/err.h"
#include "schedule/schedule.h"
#include "store/store.h"
#include "store/store_post.h"

/* What a publisher reports about one call to the platform. The worker
 * initialises the bufs (remote_id, remote_url: 2 KiB; message: 4 KiB)
 * and frees them. */
struct publish_result {
    int http_status;        /* the platform's answer; 0: none (unclear) */
    char error_code[64];    /* "invalid_grant", or "" */
    int64_t retry_after_s;  /* from a 429's Retry-After, else 0 */
    struct buf remote_id, remote_url;
    struct buf message;     /* the platform's error text */
    /* Set by a publisher that knows better than the status alone (a
     * changed media file: PUB_FATAL, nothing sent; an expired upload
     * session: PUB_RETRY); then outcome is used instead of classifying
     * http_status. */
    bool has_outcome;
    enum pub_outcome outcome;
};

/* One platform's publisher (STYLE.md 10). ctx is worker_config.ctx. */
struct publisher_ops {
    const char *platform; /* "youtube", ... or "dryrun" */
    /* Publish p (borrowed; already committed as publishing). Fill res.
     * A non-OK return with http_status 0 counts as unclear. */
    enum err (*publish)(void *ctx, const struct post *p,
                        struct publish_result *res);
    /* Ask the platform whether p went out: *found, and res->remote_id
     * when it did. NULL: this publisher cannot check. */
    enum err (*check)(void *ctx, const struct post *p, bool *found,
                      struct publish_result *res);
};

struct worker_config {
    const char *id;          /* worker id, recorded as claimed_by */
    int64_t lease_s;         /* lease per claim (default 600) */
    int64_t grace_s;         /* SCHED_GRACE_DEFAULT_S */
    size_t batch;            /* posts claimed per round (default 50) */
    int64_t retry_base_s;    /* first retry delay (publish.retry_base_s);
                                0: SCHED_BACKOFF_BASE_S */
    const struct publisher_ops *const *pubs; /* borrowed */
    size_t npubs;
    void *ctx;               /* passed to the publishers */
};

struct worker_stats {
    size_t claimed, published, retried, failed, missed, checks, relogin,
        lost, expired_back, expired_check;
    size_t checked; /* needs_check posts settled by asking the platform */
};

/* One round at instant now: expire leases (crash recovery), settle
 * needs_check posts whose publisher has check() (found: published; not
 * found: scheduled again, due now), then claim
 * and process due posts on the configured platforms, batch after batch,
 * until none is due. Adds to *stats. ERR_DB when the store fails (err
 * says why); a post's own failure is recorded on the post, not
 * returned. */
enum err worker_run_once(struct store *st, const struct worker_config *cfg,
                         int64_t now, struct worker_stats *stats,
                         struct buf *err) WARN_UNUSED;

/* Wait between two rounds of `mediadash worker`, with sigs (SIGINT,
 * SIGTERM) blocked by the caller. On a store that can wake
 * (store_can_wake: PostgreSQL), the handle must listen on
 * STORE_WAKE_POSTS: the wait ends at the first wake-up (a post added,
 * edited or scheduled again anywhere), when the earliest scheduled post
 * falls due, when the first lease of a post in flight ends (a worker
 * that died: taken back at the next round), or after interval_s,
 * whichever comes first, and it looks for
 * a pending signal every 200 ms (the wait is cut into slices with a
 * zero-timeout sigtimedwait between them). Otherwise it sleeps interval_s
 * in sigtimedwait. *stop: a signal came (it is taken). ERR_DB when the
 * store's wait fails (err says why). */
enum err worker_idle(struct store *st, const sigset_t *sigs,
                     int64_t interval_s, bool *stop, struct buf *err)
    WARN_UNUSED;
/* The wait itself, for any loop of rounds (the worker's, `collect
 * --loop`'s): up to wait_ms, cut short by a wake-up (store_wait) on a store
 * that can wake, looking for one of sigs every 200 ms; on one that cannot,
 * wait_ms in sigtimedwait. *stop: a signal came (it is taken). */
enum err idle_wait(struct store *st, const sigset_t *sigs, int64_t wait_ms,
                   bool *stop, struct buf *err) WARN_UNUSED;

#endif
