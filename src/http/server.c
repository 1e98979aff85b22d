/* libmicrohttpd glue: connection limits, request bodies, the store pool,
 * routing, and the headers every response carries. */
#include <arpa/inet.h>
#include <microhttpd.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/counters.h"
#include "core/log.h"
#include "core/timeutil.h"
#include "http/access.h"
#include "http/admit.h"
#include "http/auth.h"
#include "http/cache.h"
#include "http/conn.h"
#include "http/metrics.h"
#include "http/routes.h"

#define POOL_MAX 64

/* Store handles, one per concurrent request: SQLite connections are not
 * shared between threads (STYLE.md 11). */
struct store_pool {
    pthread_mutex_t mu;
    struct store *free[POOL_MAX];
    size_t nfree;
};

struct http_server {
    struct http_config cfg;
    char *host, *db_path, *db_read_path; /* owned copies behind cfg */
    char *public_origin, *trusted_proxies, *metrics_allow;
    struct admit admit;   /* Host allow-list, trusted proxies */
    struct MHD_Daemon *mhd;
    struct store_pool pool;
    struct store_pool rpool; /* of cfg.db_read_path, when it is set */
    struct http_cache *cache; /* NULL when cfg.cache_bytes is 0 */
    struct conn_table *conns; /* deadlines and caps (conn.h) */
};

/* For request durations (the access log and the latency counters). */
static int64_t mono_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

void http_config_defaults(struct http_config *cfg)
{
    struct conn_config cc;

    cfg->host = "127.0.0.1";
    cfg->port = 8080;
    cfg->db_path = NULL;
    cfg->db_read_path = NULL;
    cfg->threads = 4;
    cfg->max_connections = 1024;
    cfg->timeout_s = 30;
    conn_config_defaults(&cc); /* the slow-client limits live in conn.c */
    cfg->per_ip_connections = cc.per_ip_conns;
    cfg->header_timeout_s = cc.header_timeout_s;
    cfg->body_min_rate = cc.body_min_rate;
    cfg->max_header_connections = cc.max_header_conns;
    cfg->per_ip_header_connections = cc.per_ip_header_conns;
    cfg->peer_exempt = NULL;
    cfg->peer_exempt_ud = NULL;
    cfg->max_body = (size_t)16 << 20;
    cfg->cache_bytes = (size_t)16 << 20;
    cfg->secure_cookies = false;
    cfg->public_origin = NULL;
    cfg->trusted_proxies = NULL;
    routes_config_defaults(cfg);
    cfg->media_max_bytes = (int64_t)2 << 30;
    cfg->worker = NULL;
    cfg->metrics = false;
    cfg->metrics_allow = NULL;
}

static struct store *pool_take(struct store_pool *pool, const char *path)
{
    struct store *st = NULL;
    struct buf err;

    pthread_mutex_lock(&pool->mu);
    if (pool->nfree > 0)
        st = pool->free[--pool->nfree];
    pthread_mutex_unlock(&pool->mu);
    if (st != NULL && store_refresh(st) != ERR_OK)
        LOG_WARN("http: a pooled database handle could not refresh");
    if (st != NULL)
        return st;
    buf_init(&err, 1024);
    if (store_open(path, &st, &err) != ERR_OK)
        LOG_ERROR("http: %s", buf_cstr(&err));
    else if (store_small_cache(st) != ERR_OK) /* one per pooled store */
        LOG_ERROR("http: cannot set the page cache size");
    else if (store_refresh(st) != ERR_OK) /* the generation, as pooled */
        LOG_WARN("http: a new database handle could not read the generation");
    buf_free(&err);
    return st;
}

static void pool_back(struct store_pool *pool, struct store *st)
{
    if (st == NULL)
        return;
    pthread_mutex_lock(&pool->mu);
    if (pool->nfree < POOL_MAX) {
        pool->free[pool->nfree++] = st;
        st = NULL;
    }
    pthread_mutex_unlock(&pool->mu);
    store_close(st);
}

static struct store *pool_get(struct http_server *srv)
{
    return pool_take(&srv->pool, srv->cfg.db_path);
}

static void pool_put(struct http_server *srv, struct store *st)
{
    pool_back(&srv->pool, st);
}

/* A response cache key being built in place: no allocation. */
struct cache_key {
    char s[HTTP_CACHE_KEY_MAX + 1];
    size_t n;
    bool over; /* too long: not cached */
};

static void key_add(struct cache_key *k, const char *p)
{
    size_t n = strlen(p);

    if (k->over || n > HTTP_CACHE_KEY_MAX - k->n) {
        k->over = true;
        return;
    }
    memcpy(k->s + k->n, p, n + 1);
    k->n += n;
}

static enum MHD_Result add_arg(void *cls, enum MHD_ValueKind kind,
                               const char *key, const char *value)
{
    struct cache_key *k = cls;
    (void)kind;
    key_add(k, key);
    key_add(k, "=");
    key_add(k, value ? value : "");
    key_add(k, "&");
    return k->over ? MHD_NO : MHD_YES;
}

/* The key of a cached route's answer: the path, the arguments as sent
 * and today's rollup day (ranges end today). False when too long. */
static bool cache_key_of(struct http_request *req, struct cache_key *k)
{
    char day[24];

    k->n = 0;
    k->s[0] = '\0';
    k->over = false;
    key_add(k, req->path);
    key_add(k, "?");
    MHD_get_connection_values(req->conn, MHD_GET_ARGUMENT_KIND, add_arg, k);
    snprintf(day, sizeof day, "#%d", (int)store_day_of(req->st, time_now()));
    key_add(k, day);
    return !k->over;
}

/* Nothing of res is per request but its status and body (auth_check and
 * the handler set no cookie, location, ETag or file): a cached answer's
 * ready responses can stand for it. */
static bool res_plain(const struct http_response *res)
{
    return res->set_cookie == NULL && res->location == NULL &&
           res->location_owned == NULL && res->retry_after == 0 &&
           res->etag == NULL && res->cache_control == NULL &&
           !res->has_file && res->content_range == NULL;
}

/* Serve a read route from the response cache, or run it and keep a 200.
 * The store's data generation validates the key's answer: the one
 * pool_get's refresh read at the start of this request (one read, not
 * two). A hit allocates nothing: res->cached carries the answer's ready
 * responses to respond(), 304 when If-None-Match names its ETag. */
static void cached(struct http_server *srv, const struct route *r,
                   struct http_request *req, struct http_response *res)
{
    struct cache_key k;
    struct http_cached *a;
    int64_t gen;

    if ((!store_refreshed_generation(req->st, &gen) &&
         store_generation(req->st, &gen) != ERR_OK) ||
        !cache_key_of(req, &k)) {
        r->handler(req, res); /* key too long, or no generation: uncached */
        return;
    }
    a = http_cache_get(srv->cache, k.s, gen);
    if (a == NULL) {
        r->handler(req, res);
        if (res->status != 200 || !res_plain(res))
            return;
        a = http_cache_put(srv->cache, k.s, gen, &res->body,
                           res->content_type ? res->content_type
                                             : "application/json");
        if (a == NULL)
            return;
    } else if (!res_plain(res)) { /* cannot happen today: send a copy */
        if (buf_append(&res->body, a->body, a->len) != ERR_OK)
            http_error(res, 500, NULL, "cached answer too large");
        res->content_type = a->content_type;
        http_cached_release(a);
        return;
    }
    res->cached = a;
    res->status =
        http_cached_matches(a, http_header(req, "If-None-Match")) ? 304 : 200;
}

static void run_route(struct http_server *srv, const struct route *r,
                      struct http_request *req, struct http_response *res)
{
    if ((r->flags & ROUTE_CACHE) && srv->cache != NULL)
        cached(srv, r, req, res);
    else
        r->handler(req, res);
}

/* Whether r runs on a handle of --db-read: a GET that only reads. */
static bool reads_elsewhere(const struct http_server *srv,
                            const struct route *r,
                            const struct http_request *req)
{
    return srv->cfg.db_read_path != NULL &&
           (r->flags & (ROUTE_CACHE | ROUTE_READ)) != 0 &&
           strcmp(req->method, "GET") == 0;
}

/* Run r on a handle of the read database; the session was checked (and
 * touched) on req->st, --db's, which is back in place afterwards. The
 * response cache's generation is the read database's: its answers change
 * when the replica does. */
static void read_route(struct http_server *srv, const struct route *r,
                       struct http_request *req, struct http_response *res)
{
    struct store *primary = req->st;

    req->st = pool_take(&srv->rpool, srv->cfg.db_read_path);
    if (req->st == NULL)
        http_error(res, 503, NULL, "the read database is not available");
    else
        run_route(srv, r, req, res);
    pool_back(&srv->rpool, req->st);
    req->st = primary;
}

/* The whole body is in (or was over the route's cap): run the route
 * admitted on the headers (on_first). */
static void dispatch(struct http_server *srv, struct http_request *req,
                     struct http_response *res)
{
    const struct route *r = req->route;

    if (req->body_too_big) {
        http_error(res, 413, NULL, "request body over %zu bytes",
                   req->body_max);
        return;
    }
    if (req->st == NULL)
        req->st = pool_get(srv);
    if (req->st == NULL) {
        http_error(res, 503, NULL, "the database is not available");
        return;
    }
    if (reads_elsewhere(srv, r, req)) {
        read_route(srv, r, req, res);
        return;
    }
    /* /mcp: its read tools call read routes in process (http_invoke). */
    if ((r->flags & ROUTE_MCP) && srv->cfg.db_read_path != NULL) {
        req->read_st = pool_take(&srv->rpool, srv->cfg.db_read_path);
        if (req->read_st == NULL) {
            http_error(res, 503, NULL, "the read database is not available");
            return;
        }
    }
    run_route(srv, r, req, res);
    pool_back(&srv->rpool, req->read_st);
    req->read_st = NULL;
}

/* The headers every response carries: its type, Cache-Control (NULL:
 * no-store) and the security headers. */
static void add_common(struct MHD_Response *r, const char *content_type,
                       const char *cache_control)
{
    MHD_add_response_header(r, "Content-Type", content_type
                                                   ? content_type
                                                   : "application/json");
    MHD_add_response_header(r, "Cache-Control",
                            cache_control ? cache_control : "no-store");
    MHD_add_response_header(
        r, "Content-Security-Policy",
        "default-src 'self'; script-src 'self'; style-src 'self'; "
        "img-src 'self' data: https: blob:; media-src 'self' blob:; "
        "connect-src 'self'; object-src 'none'; "
        "base-uri 'none'; form-action 'self'; frame-ancestors 'none'");
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    /* Not no-referrer: with it browsers send "Origin: null" on our own
     * POSTs, and auth.c checks Origin. Other sites still learn nothing. */
    MHD_add_response_header(r, "Referrer-Policy", "same-origin");
    MHD_add_response_header(r, "X-Frame-Options", "DENY");
    MHD_add_response_header(r, "Cross-Origin-Opener-Policy", "same-origin");
}

static void add_headers(struct MHD_Response *r, const struct http_response *res)
{
    add_common(r, res->content_type, res->cache_control);
    if (res->set_cookie)
        MHD_add_response_header(r, "Set-Cookie", res->set_cookie);
    if (res->location_owned || res->location)
        MHD_add_response_header(r, "Location", res->location_owned
                                                   ? res->location_owned
                                                   : res->location);
    if (res->retry_after > 0) {
        char v[16];
        snprintf(v, sizeof v, "%u", res->retry_after);
        MHD_add_response_header(r, "Retry-After", v);
    }
    if (res->etag)
        MHD_add_response_header(r, "ETag", res->etag);
    if (res->www_authenticate)
        MHD_add_response_header(r, "WWW-Authenticate", res->www_authenticate);
    if (res->has_file)
        MHD_add_response_header(r, "Accept-Ranges", "bytes");
    if (res->content_range)
        MHD_add_response_header(r, "Content-Range", res->content_range);
    if (res->mcp_session[0] != '\0')
        MHD_add_response_header(r, "Mcp-Session-Id", res->mcp_session);
}

/* The headers of a cached answer's ready responses (made once per
 * answer): those of a plain response (res_plain) and its ETag. */
static void cached_headers(struct MHD_Response *r, const struct http_cached *a)
{
    add_common(r, a->content_type, NULL);
    MHD_add_response_header(r, "ETag", a->etag);
}

/* Queue res on conn: a cached answer's ready response as it is (no
 * allocation, no copy), else one made from res. */
static enum MHD_Result respond(struct MHD_Connection *conn,
                               struct http_request *req,
                               struct http_response *res)
{
    struct MHD_Response *r;
    enum MHD_Result ret;
    size_t len = res->body.len;
    char *data = NULL;

    req->status = res->status; /* for the access log */
    req->sent_bytes = res->cached != NULL
                          ? (res->status == 304 ? 0 : res->cached->len)
                      : res->has_file ? res->file_len
                                      : len;
    if (res->cached != NULL) {
        ret = MHD_queue_response(conn, res->status,
                                 res->status == 304 ? res->cached->not_modified
                                                    : res->cached->ok);
        http_cached_release(res->cached);
        res->cached = NULL;
        return ret;
    }
    if (res->has_file) { /* streamed from disk; MHD closes the fd */
        r = MHD_create_response_from_fd_at_offset64(
            res->file_len, res->file_fd, res->file_off);
    } else {
        data = buf_steal(&res->body);
        r = MHD_create_response_from_buffer_with_free_callback(len, data,
                                                               free);
    }
    if (r == NULL) {
        free(data);
        if (res->has_file)
            close(res->file_fd);
        return MHD_NO;
    }
    add_headers(r, res);
    ret = MHD_queue_response(conn, res->status, r);
    MHD_destroy_response(r);
    return ret;
}

/* A streamed route begins once its checks passed. False when res holds
 * the answer, to be sent without reading the body. */
static bool stream_begin(struct http_request *req, const struct route *r,
                         struct http_response *res)
{
    req->stream_ops = routes_stream_ops(r);
    if (req->stream_ops == NULL) {
        http_error(res, 500, NULL, "no stream for this route");
        return false;
    }
    return req->stream_ops->begin(req, res);
}

/* True when the request may come with a body (Content-Length over 0, or
 * chunked). */
static bool has_body(const struct http_request *req, uint64_t len,
                     bool have_len)
{
    return have_len ? len > 0 : http_header(req, "Transfer-Encoding") != NULL;
}

/* Everything decided on the headers, before any body byte: strict
 * header rules, Host, route (404, 405), the route's body cap (413),
 * then session, Origin and CSRF. False when res holds the refusal. */
static bool admit(struct http_server *srv, struct http_request *req,
                  const char *version, struct http_response *res)
{
    const struct route *r;
    uint64_t len = 0;
    bool known, have_len;

    if (!admit_strict(req, version, res) ||
        !admit_host(&srv->admit, req, res))
        return false;
    r = routes_find(req->method, req->path, &known);
    if (r == NULL) {
        if (known)
            http_error(res, 405, NULL, "%s not allowed here", req->method);
        else
            http_error(res, 404, NULL, "no such page or endpoint");
        return false;
    }
    req->route = r;
    req->body_max = routes_body_max(r, &srv->cfg);
    have_len = admit_content_length(req, &len);
    if (have_len && len > req->body_max) {
        http_error(res, 413, NULL, "request body over %zu bytes",
                   req->body_max);
        return false;
    }
    req->st = pool_get(srv);
    if (req->st == NULL) {
        http_error(res, 503, NULL, "the database is not available");
        return false;
    }
    if (!routes_check(req, r, res))
        return false;
    req->checked = true;
    if (r->flags & ROUTE_STREAM)
        return stream_begin(req, r, res);
    if (has_body(req, len, have_len)) { /* no handle held while it comes */
        pool_put(srv, req->st);
        req->st = NULL;
    }
    buf_init(&req->body, req->body_max);
    return true;
}

/* First call (headers only): set up the request and admit it, or answer
 * at once: then libmicrohttpd sends no 100 Continue and the body is
 * dropped unread. */
static enum MHD_Result on_first(struct http_server *srv,
                                struct MHD_Connection *conn, const char *url,
                                const char *method, const char *version,
                                void **con_cls)
{
    struct http_request *req = xcalloc(1, sizeof *req);
    struct http_response res;
    enum MHD_Result ret = MHD_YES;

    req->conn = conn;
    req->method = method;
    req->path = url;
    req->cfg = &srv->cfg;
    req->start_ns = mono_ns();
    buf_init(&req->body, 1);
    admit_client(&srv->admit, conn, req->client, sizeof req->client);
    *con_cls = req;
    memset(&res, 0, sizeof res);
    res.status = 200;
    buf_init(&res.body, (size_t)1 << 20);
    if (!admit(srv, req, version, &res)) {
        req->answered = true; /* the body is dropped, nothing more sent */
        auth_token_log(req, res.status);
        ret = respond(conn, req, &res);
    }
    buf_free(&res.body);
    free(res.set_cookie);
    free(res.location_owned);
    free(res.content_range);
    return ret;
}

/* The connection checks (conn.h) refused the request on its headers: the
 * answer, with our headers, and a request marked answered so that a body
 * is dropped unread. */
static enum MHD_Result refuse_headers(struct http_server *srv,
                                      struct MHD_Connection *conn,
                                      const char *url, const char *method,
                                      void **con_cls, unsigned status,
                                      const char *why)
{
    struct http_request *req = xcalloc(1, sizeof *req);
    struct http_response res;
    enum MHD_Result ret;

    req->conn = conn;
    req->method = method;
    req->path = url;
    req->cfg = &srv->cfg;
    req->start_ns = mono_ns();
    admit_client(&srv->admit, conn, req->client, sizeof req->client);
    buf_init(&req->body, 0);
    req->answered = true;
    *con_cls = req;
    memset(&res, 0, sizeof res);
    buf_init(&res.body, 4096);
    http_error(&res, status, NULL, "%s", why);
    ret = respond(conn, req, &res);
    buf_free(&res.body);
    return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn,
                                  const char *url, const char *method,
                                  const char *version, const char *upload,
                                  size_t *upload_size, void **con_cls)
{
    struct http_server *srv = cls;
    struct http_request *req = *con_cls;
    struct http_response res;
    enum MHD_Result ret;

    if (req == NULL) { /* first call: headers only */
        const char *why;
        unsigned refuse = conn_headers_done(srv->conns, conn, url, version,
                                            &why);
        if (refuse != 0)
            return refuse_headers(srv, conn, url, method, con_cls, refuse,
                                  why);
        return on_first(srv, conn, url, method, version, con_cls);
    }
    conn_body(srv->conns, conn, *upload_size);
    if (req->answered) {
        *upload_size = 0; /* answered on the headers already */
        return MHD_YES;
    }
    if (*upload_size > 0 && req->stream_ops != NULL) {
        req->stream_ops->data(req, upload, *upload_size);
        *upload_size = 0;
        return MHD_YES;
    }
    if (*upload_size > 0) { /* a chunk: keep it, or drop all past the cap */
        if (!req->body_too_big &&
            buf_append(&req->body, upload, *upload_size) != ERR_OK) {
            req->body_too_big = true;
            buf_free(&req->body);
            buf_init(&req->body, 1);
        }
        *upload_size = 0;
        return MHD_YES;
    }
    memset(&res, 0, sizeof res);
    res.status = 200;
    buf_init(&res.body, (size_t)64 << 20);
    dispatch(srv, req, &res);
    auth_token_log(req, res.status);
    ret = respond(conn, req, &res);
    buf_free(&res.body);
    free(res.set_cookie);
    free(res.location_owned);
    free(res.content_range);
    return ret;
}

static enum MHD_Result query_arg(void *cls, enum MHD_ValueKind kind,
                                 const char *key, const char *value)
{
    (void)kind;
    if (key != NULL)
        access_query_add(cls, key, value);
    return MHD_YES;
}

/* The access log's line of a finished request (access.h) that took
 * dur_ns from its headers to the end of its answer. */
static void access_note(struct http_request *req, int64_t dur_ns)
{
    struct access_query q;
    struct access_entry e;

    access_query_init(&q);
    MHD_get_connection_values(req->conn, MHD_GET_ARGUMENT_KIND, query_arg,
                              &q);
    memset(&e, 0, sizeof e);
    e.ts_ms = log_now_ms();
    e.peer = req->client[0] ? req->client : NULL;
    e.method = req->method;
    e.path = req->path;
    e.query = q.s;
    e.status = req->status;
    e.bytes = req->sent_bytes;
    e.dur_us = dur_ns / 1000;
    e.user = req->token_id != 0 ? NULL : req->user; /* a login's name */
    e.token = req->token_id != 0 ? req->token_name : NULL;
    e.ua = http_header(req, "User-Agent");
    access_log_write(&e);
}

static void on_completed(void *cls, struct MHD_Connection *conn,
                         void **con_cls, enum MHD_RequestTerminationCode toe)
{
    struct http_server *srv = cls;
    struct http_request *req = *con_cls;
    int64_t dur_ns;
    (void)toe;
    conn_request_done(srv->conns, conn);
    if (req == NULL)
        return;
    dur_ns = mono_ns() - req->start_ns; /* one clock read for both */
    if (access_log_enabled())
        access_note(req, dur_ns);
    if (req->status != 0) /* answered: count it (core/counters.h) */
        counters_request(routes_number(req->route), req->status,
                         (uint64_t)dur_ns);
    if (req->stream_ops != NULL && req->stream_ops->free != NULL)
        req->stream_ops->free(req);
    pool_put(srv, req->st);
    routes_request_free(req);
    buf_free(&req->body);
    free(req);
    *con_cls = NULL;
}

static struct conn_table *conns_create(const struct http_config *cfg)
{
    struct conn_config cc;

    conn_config_defaults(&cc);
    cc.header_timeout_s = cfg->header_timeout_s;
    cc.body_min_rate = cfg->body_min_rate;
    cc.max_header_conns = cfg->max_header_connections;
    cc.per_ip_header_conns = cfg->per_ip_header_connections;
    cc.per_ip_conns = cfg->per_ip_connections;
    cc.exempt = cfg->peer_exempt;
    cc.exempt_ud = cfg->peer_exempt_ud;
    return conn_table_create(&cc);
}

/* The daemon. Its memory pool per connection (MHD_POOL) stays well above
 * our own limits on the request line and headers (conn.h: 8 KiB, 32 KiB),
 * so that those are answered by us, with our security headers: what
 * libmicrohttpd 0.9.75 refuses itself is sent without them, as its error
 * responses are fixed (connection.c transmit_error_response_len() queues
 * a bare static body; no option or callback adds headers). Strictness
 * stays 0: at 1, 0.9.75 adds only two refusals, an HTTP/1.1 request
 * without Host (its bare 400) and a space in the URI (connection closed
 * without an answer); at 0 both reach our code, which answers them with
 * our headers (conn.c: the URI; the first call's checks: Host). What
 * remains its own: a request line whose version is not HTTP/1.x (505 or
 * 400, parsed before any callback of ours) and a request line or header
 * section over MHD_POOL (414/431), malformed chunked encoding (400/413).
 * The per-address connection cap is conn_accept's (trusted proxies are
 * exempt), not MHD_OPTION_PER_IP_CONNECTION_LIMIT. */
#define MHD_POOL ((size_t)128 * 1024)

static struct MHD_Daemon *mhd_start(struct http_server *srv,
                                    struct sockaddr_in *addr)
{
    const struct http_config *cfg = &srv->cfg;

    return MHD_start_daemon(
        MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ERROR_LOG, 0, conn_accept,
        srv->conns, on_request, srv, MHD_OPTION_EXTERNAL_LOGGER,
        conn_mhd_log, srv->conns, MHD_OPTION_SOCK_ADDR,
        (struct sockaddr *)addr, MHD_OPTION_THREAD_POOL_SIZE,
        (unsigned)cfg->threads, MHD_OPTION_CONNECTION_LIMIT,
        (unsigned)cfg->max_connections, MHD_OPTION_CONNECTION_TIMEOUT,
        (unsigned)cfg->timeout_s, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
        MHD_POOL, MHD_OPTION_STRICT_FOR_CLIENT, (int)0,
        MHD_OPTION_NOTIFY_CONNECTION, conn_notify, srv->conns,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv, MHD_OPTION_END);
}

enum err http_start(const struct http_config *cfg, struct http_server **out,
                    struct buf *err)
{
    struct http_server *srv = xcalloc(1, sizeof *srv);
    struct sockaddr_in addr;

    *out = NULL;
    if (!routes_init()) {
        buf_setf(err, "libsodium cannot start");
        free(srv);
        return ERR_INVALID;
    }
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons(cfg->port);
    if (inet_pton(AF_INET, cfg->host, &addr.sin_addr) != 1) {
        buf_setf(err, "listen address \"%s\" is not an IPv4 address",
                 cfg->host);
        free(srv);
        return ERR_INVALID;
    }
    if (admit_init(&srv->admit, cfg, err) != ERR_OK ||
        http_metrics_check(cfg, err) != ERR_OK) {
        free(srv);
        return ERR_INVALID;
    }
    if (srv->admit.any_host)
        LOG_WARN("listening on %s without serve.public_origin: any Host "
                 "is taken (DNS rebinding); set serve.public_origin to the "
                 "address clients use", cfg->host);
    srv->cfg = *cfg;
    srv->host = xstrdup(cfg->host);
    srv->db_path = xstrdup(cfg->db_path);
    srv->cfg.host = srv->host;
    srv->cfg.db_path = srv->db_path;
    srv->db_read_path =
        cfg->db_read_path ? xstrdup(cfg->db_read_path) : NULL;
    srv->cfg.db_read_path = srv->db_read_path;
    srv->public_origin = cfg->public_origin ? xstrdup(cfg->public_origin)
                                            : NULL;
    srv->trusted_proxies =
        cfg->trusted_proxies ? xstrdup(cfg->trusted_proxies) : NULL;
    srv->cfg.public_origin = srv->public_origin;
    srv->cfg.trusted_proxies = srv->trusted_proxies;
    srv->metrics_allow = cfg->metrics_allow ? xstrdup(cfg->metrics_allow)
                                            : NULL;
    srv->cfg.metrics_allow = srv->metrics_allow;
    pthread_mutex_init(&srv->pool.mu, NULL);
    pthread_mutex_init(&srv->rpool.mu, NULL);
    if (cfg->cache_bytes > 0)
        srv->cache = http_cache_create(64, cfg->cache_bytes, cached_headers);
    if (srv->cfg.peer_exempt == NULL && srv->admit.nproxies > 0) {
        srv->cfg.peer_exempt = admit_peer_trusted; /* the proxies carry */
        srv->cfg.peer_exempt_ud = &srv->admit;     /* many clients each */
    }
    srv->conns = conns_create(&srv->cfg);
    srv->mhd = srv->conns == NULL ? NULL : mhd_start(srv, &addr);
    if (srv->mhd == NULL) {
        buf_setf(err, "cannot listen on %s:%u (in use, or not allowed)",
                 cfg->host, (unsigned)cfg->port);
        http_stop(srv);
        return ERR_IO;
    }
    *out = srv;
    return ERR_OK;
}

uint16_t http_port(const struct http_server *srv)
{
    const union MHD_DaemonInfo *info =
        MHD_get_daemon_info(srv->mhd, MHD_DAEMON_INFO_BIND_PORT);
    return info ? info->port : srv->cfg.port;
}

void http_stop(struct http_server *srv)
{
    if (srv == NULL)
        return;
    if (srv->mhd)
        MHD_stop_daemon(srv->mhd);
    conn_table_destroy(srv->conns); /* after: no connection is left */
    while (srv->pool.nfree > 0)
        store_close(srv->pool.free[--srv->pool.nfree]);
    pthread_mutex_destroy(&srv->pool.mu);
    while (srv->rpool.nfree > 0)
        store_close(srv->rpool.free[--srv->rpool.nfree]);
    pthread_mutex_destroy(&srv->rpool.mu);
    http_cache_destroy(srv->cache);
    free(srv->host);
    free(srv->db_path);
    free(srv->db_read_path);
    free(srv->public_origin);
    free(srv->trusted_proxies);
    free(srv->metrics_allow);
    free(srv);
}
