/* Outbound HTTP client over libcurl easy handles (DESIGN.md, src/net).
 *
 * One struct net_client per thread (a collector, a publisher): it owns one
 * curl easy handle, so it is not shared. Every request has a connect
 * timeout, a total timeout, a low-speed cut-off and a response body cap.
 * Transient failures (connection refused/reset, timeouts, truncated
 * bodies, HTTP 500/502/503/504, 429) are retried with exponential backoff
 * and full jitter; Retry-After on 429/503 is honoured up to a maximum.
 * Per-platform request rates go through a shared struct net_ratelimit.
 *
 * Log lines and error messages carry URLs without their query string and
 * user info, and never a request header (tokens live there). */
#ifndef MEDIADASH_NET_H
#define MEDIADASH_NET_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/err.h"

#define NET_MAX_BODY_DEFAULT ((size_t)8 << 20) /* 8 MiB */
#define NET_MAX_HEADER_VALUE 4096 /* longer kept headers are dropped */
#define NET_MAX_REQ_HEADERS 32
#define NET_MAX_URL 8192

/* Time and sleep, injectable so tests neither sleep nor depend on the
 * clock. Any NULL function means the real one. */
struct net_clock {
    int64_t (*wall_ms)(void *ud);  /* ms since the epoch (Retry-After dates) */
    int64_t (*mono_ms)(void *ud);  /* monotonic ms (rate limiting) */
    void (*sleep_ms)(void *ud, int64_t ms);
    void *ud;                      /* borrowed; passed to the functions */
};

struct net_config {
    long connect_timeout_ms;  /* TCP + TLS connect (default 10000) */
    long timeout_ms;          /* one attempt, start to end (default 30000) */
    long low_speed_bytes;     /* cut off below this many bytes/s ... */
    long low_speed_time_s;    /* ... sustained this long (default 1, 10) */
    size_t max_body;          /* response body cap (default 8 MiB) */
    unsigned max_retries;     /* attempts = 1 + max_retries (default 3) */
    int64_t backoff_base_ms;  /* first retry waits up to this (500) */
    int64_t backoff_cap_ms;   /* no backoff wait exceeds this (30000) */
    int64_t retry_after_max_s;/* longer Retry-After: give up (default 60) */
    const char *user_agent;   /* borrowed until net_client_create returns;
                                 NULL: "mediadash/0.1" */
    struct net_clock clock;   /* copied */
    /* Borrowed, may be NULL: once it reads true, the transfer in progress
     * is aborted, no retry or wait starts (a wait in progress ends within
     * 100 ms) and the request fails with ERR_IO ("cancelled"). serve sets
     * it to stop its background loops promptly. */
    const atomic_bool *cancel;
};

/* Fill cfg with the defaults above and the real clock. */
void net_config_defaults(struct net_config *cfg);

/* Call once at start-up, before any thread makes a client (libcurl's
 * global init is not thread-safe everywhere). ERR_IO if it fails. */
enum err net_global_init(void) WARN_UNUSED;
void net_global_cleanup(void);

struct net_client; /* opaque; one per thread */

/* Make a client with a copy of cfg. ERR_INVALID (message in err) for out
 * of range settings, ERR_IO when libcurl cannot make a handle. */
enum err net_client_create(const struct net_config *cfg,
                           struct net_client **out, struct buf *err)
    WARN_UNUSED;
void net_client_destroy(struct net_client *c); /* NULL is a no-op */

/* ---- rate limiting ---------------------------------------------------- */

struct net_ratelimit; /* opaque, thread-safe; shared by the clients of
                         one platform endpoint */

/* A token bucket: `count` requests per `period_ms`, bursts up to `burst`
 * (0: burst = count). Example: TikTok, 600 per 60000 ms. clock may be
 * NULL (real monotonic clock); it is copied. Caller destroys. */
struct net_ratelimit *net_ratelimit_create(unsigned count, int64_t period_ms,
                                           unsigned burst,
                                           const struct net_clock *clock);
void net_ratelimit_destroy(struct net_ratelimit *rl); /* NULL is a no-op */
/* Take one token, reserving it if none is there: returns how many ms the
 * caller must wait before sending (0: go now). net_request does this. */
int64_t net_ratelimit_reserve(struct net_ratelimit *rl);

/* ---- requests --------------------------------------------------------- */

enum net_method { NET_GET, NET_POST, NET_PUT, NET_DELETE };

struct net_req {
    enum net_method method;
    const char *url;            /* borrowed; http:// or https:// only */
    /* borrowed; "Name: value" lines, NULL-terminated, or NULL. Values are
     * never logged (Authorization: Bearer ... goes here). */
    const char *const *headers;
    const char *body;           /* borrowed; NULL: no body */
    size_t body_len;
    const char *content_type;   /* of the body; NULL: application/json */
    /* POST/PUT/DELETE are retried only when this is set (the request is
     * idempotent by the platform's contract). GET always is. A refused
     * connection is retried for every method: nothing was sent. */
    bool retry_unsafe;
    struct net_ratelimit *rl;   /* borrowed; NULL: no rate limit */
};

/* Response headers kept (case-insensitive names); others are dropped. */
enum net_hdr {
    NET_HDR_RETRY_AFTER,
    NET_HDR_CONTENT_TYPE,
    NET_HDR_X_APP_USAGE,              /* Graph API usage, JSON */
    NET_HDR_X_BUSINESS_USE_CASE_USAGE,/* Graph API usage, JSON */
    NET_HDR_LOCATION,                 /* resumable upload session URL */
    NET_HDR_RANGE,                    /* received bytes (308 Resume Incomplete) */
    NET_HDR_RATELIMIT_REMAINING,      /* Twitch Helix: points left */
    NET_HDR_RATELIMIT_RESET,          /* Twitch Helix: epoch s of refill */
    NET_HDR_COUNT
};

/* Why a request failed, for callers that act on it (a collector backs off
 * on NET_FAIL_RATE_LIMITED until retry_at). */
enum net_fail {
    NET_FAIL_NONE,      /* a response with status < 400 */
    NET_FAIL_CONNECT,   /* refused, unreachable, DNS */
    NET_FAIL_TIMEOUT,   /* connect or total timeout */
    NET_FAIL_SLOW,      /* below the low-speed limit */
    NET_FAIL_RESET,     /* reset, closed without a reply */
    NET_FAIL_TRUNCATED, /* body shorter than announced */
    NET_FAIL_TOOBIG,    /* body over max_body */
    NET_FAIL_HTTP,      /* a status >= 400 (see status and body) */
    NET_FAIL_RATE_LIMITED, /* 429/503 and retry_at is when to come back */
    NET_FAIL_OTHER,     /* TLS, protocol, ... (see the message) */
};

struct net_resp {
    long status;        /* last HTTP status; 0 when none arrived */
    struct buf body;    /* last response's body (max: config max_body) */
    struct buf hdr[NET_HDR_COUNT]; /* last response's kept headers */
    unsigned attempts;  /* requests sent (1 + retries) */
    enum net_fail fail;
    /* With NET_FAIL_RATE_LIMITED, epoch seconds from which to try again
     * (from Retry-After, else now + the backoff cap); otherwise 0. */
    int64_t retry_at;
};

void net_resp_init(struct net_resp *r);
void net_resp_free(struct net_resp *r); /* NULL is a no-op */
/* A kept header's value, "" when absent. Borrowed from r. */
const char *net_resp_header(const struct net_resp *r, enum net_hdr h);

/* Send req, retrying as described at the top, and leave the last answer in
 * out (net_resp_init first; its old contents are replaced). Returns:
 *   ERR_OK       a response with status < 400 (3xx are not followed)
 *   ERR_UPSTREAM a response with status >= 400: out->status and out->body
 *                hold it (the platform's error document), out->fail is
 *                NET_FAIL_HTTP or NET_FAIL_RATE_LIMITED
 *   ERR_TOOBIG   the body went over max_body (not retried)
 *   ERR_IO       no usable response (refused, reset, timeout, truncated)
 *   ERR_INVALID  a bad request (URL scheme, header with CR/LF, too long)
 * err gets one line such as "GET http://host/path: HTTP 503 after 4
 * attempts" or "...: timed out after 10 s" (no query string, no headers). */
enum err net_request(struct net_client *c, const struct net_req *req,
                     struct net_resp *out, struct buf *err) WARN_UNUSED;

/* Sleep ms on c's clock (the test clock when one is set), in slices,
 * ending early when c's cancel flag is raised: for a client that waits
 * out a platform's rate-limit window. */
void net_client_sleep_ms(struct net_client *c, int64_t ms);

/* Building requests (for the platform clients): append name=value to a
 * URL as a query parameter ('?' first, then '&') or to an
 * application/x-www-form-urlencoded body ('&' between pairs), both
 * percent-encoded (RFC 3986 unreserved characters kept). ERR_TOOBIG when
 * b is full (b is then unchanged). */
enum err net_url_add_param(struct buf *url, const char *name,
                           const char *value) WARN_UNUSED;
enum err net_form_add(struct buf *form, const char *name, const char *value)
    WARN_UNUSED;

/* Append url without user info, query string and fragment to out: what may
 * be logged. ERR_TOOBIG when out is full. */
enum err net_url_redact(const char *url, struct buf *out) WARN_UNUSED;

/* The wait of a Retry-After value (delta-seconds or an HTTP-date) at
 * wall-clock time now_s, in seconds (0 for a date in the past). ERR_PARSE
 * for anything else. */
enum err net_parse_retry_after(const char *value, int64_t now_s,
                               int64_t *out) WARN_UNUSED;

/* The full-jitter backoff bound of retry number k (0-based): min(cap,
 * base * 2^k). The wait is uniform in [0, bound]. */
int64_t net_backoff_bound(int64_t base_ms, int64_t cap_ms, unsigned k);

#endif
