/* The HTTP server (libmicrohttpd): a thread pool with epoll, a static
 * route table, bounded requests, JSON errors, security headers on every
 * response. Handlers read the store; they never do network I/O. */
#ifndef MEDIADASH_HTTP_H
#define MEDIADASH_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/err.h"
#include "store/store.h"

struct sockaddr;

struct http_config {
    const char *host;        /* address to bind, e.g. "127.0.0.1" */
    uint16_t port;           /* 0: any free port (see http_port) */
    const char *db_path;     /* each worker opens its own store handle */
    /* serve --db-read (serve.db_read): the database the read routes
     * (ROUTE_CACHE, ROUTE_READ) read, e.g. a replica; NULL: db_path.
     * Sessions, logins and every write stay on db_path. */
    const char *db_read_path;
    unsigned threads;        /* worker threads */
    unsigned max_connections;    /* all connections (1024) */
    unsigned per_ip_connections; /* of one address (32), any state */
    unsigned timeout_s;      /* idle connection timeout */
    /* Slow clients (conn.h): a request's headers within header_timeout_s
     * (10), its body at body_min_rate bytes/s (1024) after 5 s; at most
     * max_header_connections (64) connections still sending headers,
     * per_ip_header_connections (8) of one address: over a cap the
     * oldest such connection is closed. */
    unsigned header_timeout_s;
    unsigned body_min_rate;
    unsigned max_header_connections;
    unsigned per_ip_header_connections;
    /* Peers the per-address caps do not apply to (serve.trusted_proxies:
     * behind a proxy every client has its address), or NULL; ud is
     * borrowed and outlives the server. */
    bool (*peer_exempt)(const struct sockaddr *sa, void *ud);
    void *peer_exempt_ud;
    size_t max_body;         /* the import's body cap; over it: 413 (other
                                routes: routes.h ROUTES_BODY_*) */
    size_t cache_bytes;      /* response cache of read routes; 0: off */
    bool secure_cookies;     /* behind a TLS proxy: __Host- cookie with
                                Secure, and https:// as our origin */
    /* serve.public_origin ("https://dash.example.com", borrowed, NULL:
     * unset): the only Host (and Origin) accepted. Unset, Host must name
     * a loopback address, localhost or the listen address (any when
     * listening on 0.0.0.0). */
    const char *public_origin;
    /* serve.trusted_proxies (borrowed, NULL: none): comma-separated
     * addresses or CIDRs whose Forwarded / X-Forwarded-For headers name
     * the client. */
    const char *trusted_proxies;
    int64_t session_idle_s;  /* a session ends unused this long (2 h) */
    int64_t session_max_s;   /* and this long after login (7 days) */
    /* The platforms' settings and OAuth state (borrowed, outlive the
     * server; NULL in tests that serve the dashboard only): for the
     * routes that talk to the platforms (OAuth callback, publishing). */
    const struct config *platform;
    struct oauth *oauth;
    /* The secret key (borrowed, NULL in dashboard-only tests): the
     * public media links (/m/<token>) are keyed by it. */
    const struct secret_key *key;
    /* serve's collector loop (borrowed, or NULL): kicked when an account
     * is connected from the dashboard, so its first round runs at once. */
    struct bgloop *collector;
    /* Scheduler: the cap of one POST /api/v1/media upload (streamed to a
     * file under platform->media_root; over it: 413), and serve's
     * publishing loop, kicked when a post is created or retried so a
     * post due soon is not late (borrowed; NULL: no loop). */
    int64_t media_max_bytes;
    struct bgloop *worker;
    /* serve's OAuth loop (borrowed; NULL: none, and the dashboard cannot
     * finish a connection): /oauth/callback queues the code exchange in
     * the store and kicks it (src/cli/serve_oauth.h). */
    struct bgloop *oauth_loop;
    /* GET /metrics (metrics.h): served only when metrics is true
     * (serve.metrics), and only to the addresses or CIDRs listed in
     * metrics_allow (serve.metrics_allow, comma-separated; borrowed,
     * copied by http_start; NULL: any address), with a session or token
     * as the API asks. */
    bool metrics;
    const char *metrics_allow;
};

/* Defaults for the fields above (host 127.0.0.1, port 8080). */
void http_config_defaults(struct http_config *cfg);

struct http_server;
struct bgloop;
struct config;
struct oauth;
struct secret_key;

/* Start serving in background threads. On failure err says why. */
enum err http_start(const struct http_config *cfg, struct http_server **out,
                    struct buf *err) WARN_UNUSED;
/* The port actually bound. */
uint16_t http_port(const struct http_server *srv);
/* Stop accepting, finish in-flight requests, free everything. */
void http_stop(struct http_server *srv);

/* ---- for handlers (the files of src/http) ----------------------------- */

struct MHD_Connection;
struct http_stream_ops;
struct route;
struct http_cached;

#define HTTP_CLIENT_MAX 64 /* an IPv6 address as text fits */

struct http_request {
    struct MHD_Connection *conn;
    const char *method;  /* borrowed from libmicrohttpd */
    const char *path;    /* without the query string */
    struct buf body;     /* request body, capped at body_max */
    size_t body_max;     /* the route's cap (routes.h) */
    bool body_too_big;
    const struct route *route; /* found on the headers; NULL until then */
    /* The client's address: the TCP peer's, or for a trusted proxy the
     * one it forwards (http_client_addr). */
    char client[HTTP_CLIENT_MAX];
    struct store *st;    /* leased for the request */
    /* serve --db-read, on a ROUTE_MCP request: a handle of the read
     * database for the read tools (http_invoke's read_st), or NULL. */
    struct store *read_st;
    const struct http_config *cfg;
    /* The login session, set (by auth_check in auth.c) before the handler
     * of a route that needs one runs; freed with the request. */
    int64_t user_id;     /* the logged-in user, 0 without a session */
    char *user;          /* their name, or NULL */
    char *csrf;          /* the session's CSRF token, or NULL */
    char *session_key;   /* the session's store key, or NULL */
    /* Where those three point (no allocation per request): sizes of
     * AUTH_NAME_MAX, AUTH_TOKEN_CHARS and AUTH_KEY_CHARS (auth.h) + 1. */
    char user_mem[65], csrf_mem[44], key_mem[65];
    /* An API token's request (Authorization: Bearer, auth_bearer.c): its
     * id (0 otherwise) and name; req->user then points at token_actor,
     * "token:NAME", and user_id, csrf and session_key stay unset. */
    int64_t token_id;
    char token_name[65], token_actor[72];
    /* A streamed route (route.h http_stream_ops): its state, owned by the
     * ops (freed by ops->free). Every route's checks run on the headers
     * (checked); answered when they refused the request there (e.g. 413
     * from Content-Length, 401): its body is dropped unread. */
    void *stream;
    const struct http_stream_ops *stream_ops;
    bool checked, answered;
    /* The access log (server.c, http/access.h): when the request's
     * headers were in (CLOCK_MONOTONIC, ns), the status and body bytes
     * answered (0 until then); the API token's name is token_name above. */
    int64_t start_ns;
    unsigned status;
    uint64_t sent_bytes;
    /* An in-process request (http/invoke.h, conn NULL): its query
     * arguments and headers as NULL-ended name, value pairs (borrowed),
     * or NULL. */
    const char *const *inv_args;
    const char *const *inv_headers;
    /* An API token's request: whether its scope is write (set with
     * token_id by auth_bearer.c; /mcp limits its tools by it). */
    bool token_write;
};

struct http_response {
    unsigned status;
    const char *content_type; /* static string */
    struct buf body;
    const char *cache_control; /* static string or NULL (no-store) */
    char *set_cookie;          /* owned, or NULL */
    const char *location;      /* static or borrowed for the call, or NULL */
    const char *etag;          /* static quoted ETag, or NULL */
    char *location_owned;      /* owned, or NULL; sent instead of location */
    unsigned retry_after;      /* seconds for Retry-After, 0: no header */
    const char *www_authenticate; /* static WWW-Authenticate, or NULL */
    /* A file sent instead of body (api_media.c): file_len bytes of
     * file_fd from file_off, streamed from disk; the server takes the fd
     * and closes it. Adds Accept-Ranges, and Content-Range when set. */
    bool has_file;
    int file_fd;
    uint64_t file_off, file_len;
    char *content_range;       /* owned, or NULL */
    /* server.c: a response-cache answer (http/cache.h) sent instead of
     * everything above but status (200 or 304); a reference, released
     * once queued. NULL otherwise. */
    struct http_cached *cached;
    /* /mcp (api_mcp.c): the Mcp-Session-Id header to send, "" none. */
    char mcp_session[48];
};

/* A query-string argument, or NULL. Borrowed for the request. */
const char *http_arg(const struct http_request *req, const char *name);
/* A request header, or NULL. */
const char *http_header(const struct http_request *req, const char *name);
/* The client's address as text (IPv4 or IPv6), "?" when unknown: the TCP
 * peer's, or when the peer is in serve.trusted_proxies the right-most
 * address of Forwarded: for= (else X-Forwarded-For) that is not itself a
 * trusted proxy. Borrowed for the request. */
const char *http_client_addr(const struct http_request *req);

/* Fill res with {"error": {"status": N, "message": ..., "param": ...}}. */
void http_error(struct http_response *res, unsigned status, const char *param,
                const char *fmt, ...) PRINTF_LIKE(4, 5);

typedef void (*http_handler)(struct http_request *req,
                             struct http_response *res);

#endif
