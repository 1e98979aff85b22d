/* Process-wide counters for the Prometheus /metrics page (src/http/
 * metrics.c): lock-free (C11 atomics, relaxed), in fixed arrays indexed
 * by route number, status, platform slot and outcome, so that the hot
 * paths (a request's end, a collector round, an ingest commit, a publish
 * outcome) and a scrape never allocate and every label set is bounded.
 *
 * This module is the one owner of this shared state (STYLE.md 11): the
 * counters count what this process did since it started; a separate
 * `mediadash worker` or `collect` process has its own, unexported ones.
 * Every function may be called from any thread at any time; a reader sees
 * each counter's value at some instant (not a snapshot of all at once). */
#ifndef MEDIADASH_COUNTERS_H
#define MEDIADASH_COUNTERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Routes are numbered 1..COUNTERS_ROUTES_MAX - 1 by the caller (http's
 * route table); 0 stands for "no route" (404, 405, refused on the
 * headers). A number out of range counts as 0. */
#define COUNTERS_ROUTES_MAX 128

/* HTTP statuses counted each on their own; any other counts as "other"
 * (COUNTERS_STATUS_OTHER). */
#define COUNTERS_STATUSES 36
#define COUNTERS_STATUS_OTHER COUNTERS_STATUSES

/* Upper bounds of the request latency histogram, seconds (then +Inf). */
#define COUNTERS_BUCKETS 13
extern const double counters_buckets[COUNTERS_BUCKETS];

/* Platform names take a slot each on first use (at most
 * COUNTERS_PLATFORMS_MAX - 1); names past that, or that are not 1..23 of
 * [a-z0-9_], count under the last slot, "other". */
#define COUNTERS_PLATFORMS_MAX 8
#define COUNTERS_PLATFORM_NAME_MAX 23

/* The fixed vocabularies of the outcome labels; a value outside them
 * counts as "other" (the last entry of each). */
enum counters_round { /* a collector round's job status */
    COUNTERS_ROUND_OK, COUNTERS_ROUND_RATE_LIMITED,
    COUNTERS_ROUND_QUOTA_EXCEEDED, COUNTERS_ROUND_AUTH_NEEDED,
    COUNTERS_ROUND_FAILED, COUNTERS_ROUND_OTHER, COUNTERS_ROUND_COUNT
};
enum counters_call { /* one platform API request's outcome */
    COUNTERS_CALL_OK, COUNTERS_CALL_RATE_LIMITED, COUNTERS_CALL_AUTH_ERROR,
    COUNTERS_CALL_CLIENT_ERROR, COUNTERS_CALL_SERVER_ERROR,
    COUNTERS_CALL_NETWORK_ERROR, COUNTERS_CALL_COUNT
};
enum counters_publish { /* where a publish attempt left its post */
    COUNTERS_PUB_PUBLISHED, COUNTERS_PUB_RETRY, COUNTERS_PUB_NEEDS_CHECK,
    COUNTERS_PUB_NEEDS_RELOGIN, COUNTERS_PUB_FAILED, COUNTERS_PUB_MISSED,
    COUNTERS_PUB_COUNT
};
enum counters_source { /* who committed an ingest */
    COUNTERS_SRC_IMPORT, COUNTERS_SRC_COLLECT, COUNTERS_SRC_COUNT
};

/* Names of the values above ("ok", "rate_limited", ...), never NULL. */
const char *counters_round_name(enum counters_round r);
const char *counters_call_name(enum counters_call c);
const char *counters_publish_name(enum counters_publish p);
const char *counters_source_name(enum counters_source s);
/* The round whose name is s ("ok", "rate_limited", "quota_exceeded",
 * "auth_needed", "failed"), else COUNTERS_ROUND_OTHER. */
enum counters_round counters_round_of(const char *s);
/* The outcome of one request that got HTTP status (0: no response,
 * a network failure). */
enum counters_call counters_call_of(long status);

/* ---- the hooks (one call each in the hot paths) ------------------------ */

/* A request ended: route number, HTTP status, ns from its first byte of
 * headers to its end. */
void counters_request(unsigned route, unsigned status, uint64_t ns);
/* A connection opened (+1) or closed (-1). */
void counters_connection(int delta);
/* Give platform name its slot now (at startup, so that its series exist
 * at 0 before the first event). */
void counters_platform_seed(const char *platform);
/* A collector round of one account ended with status (job_status_name),
 * having made quota_units of the platform's daily quota (YouTube units;
 * 0 elsewhere). */
void counters_round(const char *platform, const char *status,
                    int64_t quota_units);
/* One platform API request ended (retries inside it count once). */
void counters_call(const char *platform, enum counters_call outcome);
/* A batch committed: snapshots and metric values new in the store. */
void counters_ingest(enum counters_source src, uint64_t snapshots,
                     uint64_t values);
/* A publish attempt left its post in outcome. */
void counters_publish(const char *platform, enum counters_publish outcome);

/* ---- reading (the exposition) ------------------------------------------ */

/* The status counted at slot i < COUNTERS_STATUSES (200, 201, ...). */
unsigned counters_status_at(unsigned i);
/* Requests of route with the status of slot s (<= COUNTERS_STATUS_OTHER). */
uint64_t counters_requests(unsigned route, unsigned s);
/* Route's latency: per bucket (not cumulative; index COUNTERS_BUCKETS is
 * +Inf only, over the last bound), the count and the sum in ns. */
void counters_latency(unsigned route, uint64_t buckets[COUNTERS_BUCKETS + 1],
                      uint64_t *count, uint64_t *sum_ns);

/* Connections open now. */
int64_t counters_connections(void);
/* The name of platform slot i, or NULL while it is unused. */
const char *counters_platform_at(unsigned i);
uint64_t counters_rounds(unsigned platform, enum counters_round r);
uint64_t counters_quota_units(unsigned platform);
uint64_t counters_calls(unsigned platform, enum counters_call c);
uint64_t counters_publishes(unsigned platform, enum counters_publish p);
uint64_t counters_snapshots(enum counters_source s);
uint64_t counters_values(enum counters_source s);

/* Seconds since the epoch when this module was first used (the process
 * start, as serve touches it at startup: counters_start). */
int64_t counters_start_time(void);
void counters_start(void);

#endif
