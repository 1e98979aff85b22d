/* The collector: which jobs are due, one round per connected account
 * (each platform's fetch op, src/platforms, does the requests), the
 * round's batch stored in one transaction, and the job state, backoff and YouTube quota ledger
 * kept in the store (migration 0005).
 *
 * Jobs per (platform, account): "account" (totals, hourly) and "content"
 * (the listing of uploads/media that discovers new items, hourly). Each
 * content item has its own schedule in the store (migration 0008): its
 * metrics are fetched when new and then again when due by its age
 * (collect_next_due), only the due ones per round (YouTube videos.list in
 * batches of 50 ids, Instagram insights per media, TikTok video/query in
 * batches of 20). A round runs when a job or an item is due; its outcome
 * is recorded in the jobs it ran (due items count as the content job).
 * The metrics a platform refused (a descriptor with dropped_metrics:
 * Instagram's insights) are remembered per account and media kind in the
 * store for COLLECT_DROPPED_MEMORY_S. A struct collector is used by one thread at a time;
 * `serve` can give a thread its own collector, store handle and net
 * client and call collect_run_once from it. */
#ifndef MEDIADASH_COLLECT_H
#define MEDIADASH_COLLECT_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/config.h"
#include "core/err.h"
#include "core/tz.h"
#include "net/net.h"
#include "net/oauth.h"
#include "platforms/platform.h"
#include "store/store.h"

#define COLLECT_ACCOUNT_EVERY_S 3600       /* account totals: hourly */
#define COLLECT_LIST_EVERY_S 3600          /* listing for new content */
#define COLLECT_ITEMS_PER_ROUND 1000       /* due items' metrics per round */
/* a refused metric is not asked again for 7 days (platform.h: the
 * sources API shows the same memory) */
#define COLLECT_DROPPED_MEMORY_S PLATFORM_DROPPED_MEMORY_S
#define COLLECT_BACKOFF_BASE_S 300         /* first failure: 5 minutes */
#define COLLECT_BACKOFF_CAP_S (6 * 3600)   /* never more than 6 hours */
#define COLLECT_QUOTA_ZONE "America/Los_Angeles"

struct collector; /* opaque; one thread at a time */

/* cfg and o are borrowed and must outlive the collector. Loads the
 * Pacific zone (ERR_NOTFOUND etc. with err when tzdata is missing).
 * Caller destroys *out. */
enum err collector_create(const struct config *cfg, struct oauth *o,
                          struct collector **out, struct buf *err)
    WARN_UNUSED;
void collector_destroy(struct collector *c); /* NULL is a no-op */
/* cancel (borrowed, may be NULL; serve's stop flag): once true,
 * collect_run_once starts no further account and does not record the
 * round in progress (its requests fail as cancelled: that is no failure
 * of the platform's, and the round runs again at the next start). */
void collector_set_cancel(struct collector *c, const atomic_bool *cancel);

/* The net client settings the collector wants (timeouts and retries
 * from cfg's collect.* keys), for the caller's net_client_create. */
void collect_net_config(const struct config *cfg, struct net_config *out);

/* What one account's round did, for the caller's summary. Strings are
 * borrowed for the call. */
struct collect_summary {
    enum platform platform;
    const char *account;
    bool ran;               /* false: nothing due, or blocked (status) */
    size_t items;           /* items in the fetched batch */
    size_t snapshots;       /* snapshots stored (new) */
    unsigned calls;         /* HTTP requests sent */
    int64_t quota_used;     /* YouTube Data units this round */
    int64_t quota_today;    /* YouTube units used today, after the round */
    int64_t quota_limit;
    enum job_status status;
    const char *message;    /* the error or a note, or NULL */
};
typedef void (*collect_report_fn)(void *ud, const struct collect_summary *s);

/* Run every due job of every connected account (of platform, or all when
 * platform < 0) once at time now, calling fn (may be NULL) per account.
 * A failing account does not stop the others: its state records why.
 * Returns ERR_OK when every round ran or was skipped as planned, ERR_DB
 * when the store failed (err says how), or the first failure of a round
 * (its job state then holds the details). */
enum err collect_run_once(struct collector *c, struct store *st,
                          struct net_client *nc, int platform, int64_t now,
                          collect_report_fn fn, void *ud, struct buf *err)
    WARN_UNUSED;

/* Lower *at to when the next round has something to do: the soonest
 * next_due of any job, and of the content items of accounts whose content
 * job is not backing off. */
enum err collect_next_wake(struct store *st, int64_t *at) WARN_UNUSED;

/* When a content item published at published_at (TIME_NONE: unknown) and
 * last fetched at last_fetch (TIME_NONE: never: due now) is due again:
 * hourly in its first 2 days, every 6 hours until 7 days, daily until
 * 30 days, then weekly; unknown age: daily. */
int64_t collect_next_due(int64_t published_at, int64_t last_fetch,
                         int64_t now);
/* Wait after the n-th consecutive failure (n >= 1): base * 2^(n-1),
 * at most the cap. */
int64_t collect_backoff_s(int64_t failures);
/* The instant the quota day containing now began (midnight in la) and
 * the instant it resets (the next midnight there: 23 or 25 hours later
 * around DST changes). */
int64_t collect_quota_day_start(const struct tz *la, int64_t now);
int64_t collect_quota_reset(const struct tz *la, int64_t now);

#endif
