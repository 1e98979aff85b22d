/* The worker's wait between rounds (worker.h worker_idle). */
#include <errno.h>
#include <signal.h>
#include <time.h>

#include "core/timeutil.h"
#include "schedule/worker.h"
#include "store/store_post.h"

/* Slices of a wait on a store that can wake: the longest a SIGTERM or
 * SIGINT waits to be seen. */
#define IDLE_SLICE_MS 200

static enum err first_due(const struct post *p, void *ud)
{
    *(int64_t *)ud = p->publish_at;
    return ERR_OK;
}

/* Seconds until the earliest scheduled post is due (0: one is due now),
 * at most max_s. */
static int64_t until_due(struct store *st, int64_t now, int64_t max_s)
{
    struct post_query q = {.state = POST_SCHEDULED, .from = TIME_NONE,
                           .to = TIME_NONE, .limit = 1};
    int64_t at = TIME_NONE;

    if (store_post_list(st, &q, first_due, &at) != ERR_OK || at == TIME_NONE)
        return max_s;
    if (at <= now)
        return 0;
    return at - now < max_s ? at - now : max_s;
}

static enum err earliest_lease(const struct post *p, void *ud)
{
    int64_t *at = ud;
    if (p->claimed_until != TIME_NONE &&
        (*at == TIME_NONE || p->claimed_until < *at))
        *at = p->claimed_until;
    return ERR_OK;
}

/* Seconds until the first lease of a claimed or publishing post ends
 * (a worker that died: its posts are taken back at the next round), at
 * most max_s. Reads every post in flight: a few per live worker. */
static int64_t until_lease(struct store *st, int64_t now, int64_t max_s)
{
    struct post_query q = {.from = TIME_NONE, .to = TIME_NONE, .limit = 0};
    int64_t at = TIME_NONE;

    q.state = POST_CLAIMED;
    if (store_post_list(st, &q, earliest_lease, &at) != ERR_OK)
        return max_s;
    q.state = POST_PUBLISHING;
    if (store_post_list(st, &q, earliest_lease, &at) != ERR_OK ||
        at == TIME_NONE)
        return max_s;
    /* expire_leases takes back a lease that ended before now */
    if (at + 1 <= now)
        return 1;
    return at + 1 - now < max_s ? at + 1 - now : max_s;
}

/* Whether one of sigs is pending (taken when it is). */
static bool signalled(const sigset_t *sigs)
{
    struct timespec zero = {0, 0};
    return sigtimedwait(sigs, NULL, &zero) > 0;
}

enum err idle_wait(struct store *st, const sigset_t *sigs, int64_t wait_ms,
                   bool *stop, struct buf *err)
{
    bool woken = false;
    enum err rc = ERR_OK;

    *stop = false;
    if (!store_can_wake(st)) {
        struct timespec wait = {.tv_sec = (time_t)(wait_ms / 1000),
                                .tv_nsec = (long)(wait_ms % 1000) * 1000000L};
        *stop = sigtimedwait(sigs, NULL, &wait) > 0;
        return ERR_OK;
    }
    while (rc == ERR_OK && !woken && wait_ms > 0) {
        int slice = wait_ms < IDLE_SLICE_MS ? (int)wait_ms : IDLE_SLICE_MS;
        if (signalled(sigs)) {
            *stop = true;
            return ERR_OK;
        }
        rc = store_wait(st, slice, &woken, err);
        wait_ms -= slice;
    }
    if (rc == ERR_OK)
        *stop = signalled(sigs);
    return rc;
}

enum err worker_idle(struct store *st, const sigset_t *sigs,
                     int64_t interval_s, bool *stop, struct buf *err)
{
    int64_t wait_s = interval_s;

    if (store_can_wake(st)) {
        wait_s = until_due(st, time_now(), interval_s);
        wait_s = until_lease(st, time_now(), wait_s);
    }
    return idle_wait(st, sigs, wait_s * 1000, stop, err);
}
