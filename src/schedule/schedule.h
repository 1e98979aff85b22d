/* Scheduling rules as pure functions: a local wall time in an IANA zone
 * to a UTC instant (DST gaps and overlaps), the grace window for posts
 * missed while no worker ran, and the retry policy after a publish
 * attempt. No I/O apart from loading the zone (core/tz). */
#ifndef MEDIADASH_SCHEDULE_H
#define MEDIADASH_SCHEDULE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/err.h"

#define SCHED_GRACE_DEFAULT_S (6 * 3600)
#define SCHED_LOCAL_MAX 32 /* bytes of a wall time as entered */

struct sched_opts {
    bool shift_gap; /* a time in a spring-forward gap moves to the end of
                       the gap instead of being refused */
    bool later;     /* a time in a fall-back overlap takes the second
                       (later) instant instead of the first */
};

enum sched_kind { SCHED_UNIQUE, SCHED_SHIFTED, SCHED_FIRST, SCHED_SECOND };

struct sched_time {
    int64_t utc;
    enum sched_kind kind;
    char local[SCHED_LOCAL_MAX]; /* normalised: "2025-03-09 09:30:00" */
};

/* Resolve the wall time `local` ("YYYY-MM-DD HH:MM" or with ":SS"; a 'T'
 * may replace the space) in zone `zone` to UTC. A time that does not
 * exist (spring forward) is ERR_INVALID with err saying so, e.g.
 * "2025-03-09 02:30 does not exist in America/New_York: clocks jump from
 * 02:00 to 03:00", unless o->shift_gap (then the first valid instant
 * after the gap, kind SCHED_SHIFTED). A repeated time (fall back) takes
 * the first (earlier) instant, or the second with o->later; *note (if
 * not NULL) then says which, e.g. "2025-11-02 01:30 occurs twice in
 * America/New_York: took the first (EDT, -04:00)". ERR_PARSE for a
 * malformed time, ERR_INVALID / ERR_NOTFOUND for a bad or unknown zone;
 * err says which. o may be NULL. */
enum err sched_resolve(const char *zone, const char *local,
                       const struct sched_opts *o, struct sched_time *out,
                       struct buf *note, struct buf *err) WARN_UNUSED;

/* True when a post due at publish_at is too late to publish at now
 * (now - publish_at > grace_s); why then gets "missed: due at
 * 2025-03-09T08:30:00Z (7 h ago), past the grace window of 6 h". */
bool sched_missed(int64_t now, int64_t publish_at, int64_t grace_s,
                  struct buf *why);

/* What one publish attempt came to. */
enum pub_outcome {
    PUB_OK,           /* published: remote id known */
    PUB_RETRY,        /* clearly not published, worth retrying (5xx) */
    PUB_RATE_LIMITED, /* 429: retry after retry_after_s */
    PUB_RELOGIN,      /* the grant is gone (invalid_grant, 401) */
    PUB_FATAL,        /* refused for good (other 4xx) */
    PUB_UNCLEAR,      /* unknown whether it went out (timeout after
                         sending, connection lost): ask before retrying */
};

/* Classify an HTTP answer: status 0 means no answer (network error after
 * the request may have been sent); error_code is the OAuth/platform error
 * code ("invalid_grant") or NULL. */
enum pub_outcome sched_classify(int http_status, const char *error_code);

#define SCHED_MAX_ATTEMPTS 5     /* publish attempts before failed */
#define SCHED_BACKOFF_BASE_S 30  /* first retry after 30-37 s */
#define SCHED_BACKOFF_MAX_S 3600

enum sched_next {
    SCHED_NEXT_PUBLISHED,
    SCHED_NEXT_RETRY,     /* back to scheduled, delay_s from now */
    SCHED_NEXT_FAILED,
    SCHED_NEXT_CHECK,     /* needs_check */
    SCHED_NEXT_RELOGIN,   /* needs_relogin: no further calls */
};

/* The next step after attempt number `attempt` (1 for the first) ended
 * in outcome, with retry_after_s from a 429 (0 if none) and jitter a
 * random number (0..UINT32_MAX) spreading retries: exponential backoff
 * base * 2^(attempt-1), capped, plus up to a quarter more; a 429 waits at
 * least Retry-After. After SCHED_MAX_ATTEMPTS the post fails. */
enum sched_next sched_next_step(enum pub_outcome outcome, int attempt,
                                int64_t retry_after_s, uint32_t jitter,
                                int64_t *delay_s);
/* The same with the backoff base base_s (>= 1; the configuration's
 * publish.retry_base_s) instead of SCHED_BACKOFF_BASE_S. */
enum sched_next sched_next_step_base(enum pub_outcome outcome, int attempt,
                                     int64_t retry_after_s, uint32_t jitter,
                                     int64_t base_s, int64_t *delay_s);

#endif
