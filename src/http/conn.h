/* Connection-level defence for the HTTP server (issue 13, defects 2, 5,
 * 7 and 12): every libmicrohttpd connection is tracked from its start to
 * its close, so that
 *  - its request headers arrive within header_timeout_s of the
 *    connection's start or of the previous request's end (keep-alive),
 *  - a request body arrives at body_min_rate bytes/s at least, after a
 *    grace of body_grace_s,
 *  - at most max_header_conns connections (per_ip_header_conns of one
 *    address) are still sending headers: a new connection over a cap
 *    closes the OLDEST such one, so a client that sends its request at
 *    once is always served,
 *  - one address holds at most per_ip_conns connections (refused at
 *    accept), except peers the exempt predicate names (trusted proxies),
 *  - a request line or header section over our limits is refused by us
 *    (414/431, with our security headers) before libmicrohttpd's own
 *    limit (its memory pool) is reached, and so are header names with
 *    white space ("Content-Length : 5"), bare LF line ends and obs-fold,
 *    which libmicrohttpd 0.9.75 accepts,
 *  - libmicrohttpd's log lines are one line each, per-connection
 *    refusals at debug level plus a summary at most once a minute.
 * A reaper thread enforces the deadlines. One mutex guards the table. */
#ifndef MEDIADASH_HTTP_CONN_H
#define MEDIADASH_HTTP_CONN_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

#include <microhttpd.h>

#include "core/err.h"

/* A peer the per-address caps do not apply to (e.g. serve.trusted_proxies:
 * behind a proxy every client has the proxy's address). */
typedef bool (*conn_exempt_fn)(const struct sockaddr *sa, void *ud);

struct conn_config {
    unsigned header_timeout_s;    /* headers within this (default 10) */
    unsigned body_min_rate;       /* bytes/s, after the grace (1024) */
    unsigned body_grace_s;        /* (5) */
    unsigned max_header_conns;    /* all addresses (64) */
    unsigned per_ip_header_conns; /* one address (8) */
    unsigned per_ip_conns;        /* one address, any state (32) */
    size_t max_uri;               /* path + query, bytes (8 KiB): 414 */
    size_t max_header_bytes;      /* request line + headers (32 KiB): 431 */
    conn_exempt_fn exempt;        /* NULL: no peer is exempt */
    void *exempt_ud;              /* borrowed, passed to exempt */
};

/* The defaults above. */
void conn_config_defaults(struct conn_config *cfg);

struct conn_table;

/* Starts the reaper thread; NULL when it cannot start. cfg is copied. */
struct conn_table *conn_table_create(const struct conn_config *cfg);
/* Call after MHD_stop_daemon (no connection is left). NULL is a no-op. */
void conn_table_destroy(struct conn_table *t);

/* libmicrohttpd callbacks, cls being the table:
 * MHD_OPTION_ACCEPT_POLICY (the per-address cap),
 * MHD_OPTION_NOTIFY_CONNECTION (STARTED/CLOSED: the tracking),
 * MHD_OPTION_EXTERNAL_LOGGER. */
enum MHD_Result conn_accept(void *cls, const struct sockaddr *addr,
                            socklen_t addrlen);
void conn_notify(void *cls, struct MHD_Connection *c, void **socket_context,
                 enum MHD_ConnectionNotificationCode code);
void conn_mhd_log(void *cls, const char *fmt, va_list ap) PRINTF_LIKE(2, 0);

/* The first access-handler call of a request (its headers are complete):
 * stops the header clock, starts the body's. Returns 0, or the status to
 * refuse the request with (400, 414, 431) and *why a static message. */
unsigned conn_headers_done(struct conn_table *t, struct MHD_Connection *c,
                           const char *url, const char *version,
                           const char **why);
/* Each later access-handler call: n body bytes arrived; n == 0 is the
 * last call (the body is complete, the answer is being made). */
void conn_body(struct conn_table *t, struct MHD_Connection *c, size_t n);
/* MHD_OPTION_NOTIFY_COMPLETED: the request ended; a kept-alive connection
 * waits for the next request's headers (the header clock restarts). */
void conn_request_done(struct conn_table *t, struct MHD_Connection *c);

/* Counters (for tests and the log): connections closed by the header
 * deadline, by the body rate, evicted by a header cap, refused at accept. */
struct conn_stats {
    unsigned long header_timeouts, slow_bodies, evicted, refused;
};
void conn_stats(struct conn_table *t, struct conn_stats *out);

#endif
