/* libmicrohttpd glue: connection limits, request bodies, the store pool,
 * routing, and the headers every response carries. */
#include <arpa/inet.h>
#include <microhttpd.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/jsonw.h"
#include "core/log.h"
#include "http/auth.h"
#include "core/timeutil.h"
#include "http/cache.h"
#include "http/conn.h"
#include "http/route.h"

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
    char *host, *db_path; /* owned copies behind cfg */
    struct MHD_Daemon *mhd;
    struct store_pool pool;
    struct http_cache *cache; /* NULL when cfg.cache_bytes is 0 */
    struct conn_table *conns; /* deadlines and caps (conn.h) */
};

void http_config_defaults(struct http_config *cfg)
{
    cfg->host = "127.0.0.1";
    cfg->port = 8080;
    cfg->db_path = NULL;
    cfg->threads = 4;
    cfg->max_connections = 1024;
    cfg->per_ip_connections = 32;
    cfg->timeout_s = 30;
    cfg->header_timeout_s = 10;
    cfg->body_min_rate = 1024;
    cfg->max_header_connections = 64;
    cfg->per_ip_header_connections = 8;
    cfg->peer_exempt = NULL;
    cfg->peer_exempt_ud = NULL;
    cfg->max_body = (size_t)16 << 20;
    cfg->cache_bytes = (size_t)16 << 20;
    cfg->secure_cookies = false;
    cfg->session_idle_s = AUTH_IDLE_DEFAULT;
    cfg->session_max_s = AUTH_MAX_DEFAULT;
    cfg->media_max_bytes = (int64_t)2 << 30;
    cfg->worker = NULL;
}

static struct store *pool_get(struct http_server *srv)
{
    struct store *st = NULL;
    struct buf err;

    pthread_mutex_lock(&srv->pool.mu);
    if (srv->pool.nfree > 0)
        st = srv->pool.free[--srv->pool.nfree];
    pthread_mutex_unlock(&srv->pool.mu);
    if (st != NULL && store_refresh(st) != ERR_OK)
        LOG_WARN("http: a pooled database handle could not refresh");
    if (st != NULL)
        return st;
    buf_init(&err, 1024);
    if (store_open(srv->cfg.db_path, &st, &err) != ERR_OK)
        LOG_ERROR("http: %s", buf_cstr(&err));
    else if (store_small_cache(st) != ERR_OK) /* one per pooled store */
        LOG_ERROR("http: cannot set the page cache size");
    buf_free(&err);
    return st;
}

static void pool_put(struct http_server *srv, struct store *st)
{
    if (st == NULL)
        return;
    pthread_mutex_lock(&srv->pool.mu);
    if (srv->pool.nfree < POOL_MAX) {
        srv->pool.free[srv->pool.nfree++] = st;
        st = NULL;
    }
    pthread_mutex_unlock(&srv->pool.mu);
    store_close(st);
}

const char *http_arg(const struct http_request *req, const char *name)
{
    return MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND,
                                       name);
}

const char *http_header(const struct http_request *req, const char *name)
{
    return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

void http_error(struct http_response *res, unsigned status, const char *param,
                const char *fmt, ...)
{
    struct buf msg;
    struct jw w;
    va_list ap;

    buf_init(&msg, 1024);
    va_start(ap, fmt);
    buf_vcatf(&msg, fmt, ap);
    va_end(ap);
    res->status = status;
    res->content_type = "application/json";
    buf_reset(&res->body);
    jw_init(&w, &res->body);
    jw_object_begin(&w);
    jw_key(&w, "error");
    jw_object_begin(&w);
    jw_kv_i64(&w, "status", status);
    jw_kv_str(&w, "message", buf_cstr(&msg));
    if (param != NULL)
        jw_kv_str(&w, "param", param);
    jw_object_end(&w);
    jw_object_end(&w);
    if (jw_status(&w) != ERR_OK)
        buf_setf(&res->body, "{\"error\":{\"status\":%u}}", status);
    buf_free(&msg);
}

/* Every route table, searched in this order. */
static const struct route *const route_tables[] = {
    http_auth_routes,
    http_api_routes,
    http_page_routes,
    http_post_routes,
    http_media_routes,
    http_source_routes,
    http_upload_routes,
    http_owned_routes,
};

static const struct route *find_route(const char *method, const char *path,
                                      bool *path_known)
{
    *path_known = false;
    for (size_t t = 0; t < sizeof route_tables / sizeof *route_tables; t++) {
        for (const struct route *r = route_tables[t]; r->method; r++) {
            size_t n = strlen(r->path);
            bool match =
                r->path[n - 1] == '/' && n > 1
                    ? strncmp(path, r->path, n) == 0 && path[n] != '\0'
                    : strcmp(path, r->path) == 0;
            if (!match)
                continue;
            *path_known = true;
            if (strcmp(r->method, method) == 0)
                return r;
        }
    }
    return NULL;
}

static enum MHD_Result add_arg(void *cls, enum MHD_ValueKind kind,
                               const char *key, const char *value)
{
    struct buf *b = cls;
    (void)kind;
    return buf_printf(b, "%s=%s&", key, value ? value : "") == ERR_OK
               ? MHD_YES
               : MHD_NO;
}

/* Serve a read route from the response cache, or run it and keep a 200.
 * The key is the path, the arguments as sent and today's rollup day
 * (ranges end today); the store's data generation validates it. */
static void cached(struct http_server *srv, const struct route *r,
                   struct http_request *req, struct http_response *res)
{
    struct buf key;
    int64_t gen;

    buf_init(&key, HTTP_CACHE_KEY_MAX);
    if (store_generation(req->st, &gen) != ERR_OK ||
        buf_printf(&key, "%s?", req->path) != ERR_OK ||
        MHD_get_connection_values(req->conn, MHD_GET_ARGUMENT_KIND, add_arg,
                                  &key) < 0 ||
        buf_printf(&key, "#%d", (int)store_day_of(req->st, time_now())) !=
            ERR_OK) {
        r->handler(req, res); /* key too long, or no generation: uncached */
        goto out;
    }
    if (http_cache_get(srv->cache, buf_cstr(&key), gen, &res->body,
                       &res->content_type))
        goto out;
    r->handler(req, res);
    if (res->status == 200)
        http_cache_put(srv->cache, buf_cstr(&key), gen, &res->body,
                       res->content_type ? res->content_type
                                         : "application/json");
out:
    buf_free(&key);
}

static void dispatch(struct http_server *srv, struct http_request *req,
                     struct http_response *res)
{
    bool known;
    const struct route *r = find_route(req->method, req->path, &known);

    if (req->body_too_big) {
        http_error(res, 413, NULL, "request body over %zu bytes",
                   srv->cfg.max_body);
        return;
    }
    if (r == NULL) {
        if (known)
            http_error(res, 405, NULL, "%s not allowed here", req->method);
        else
            http_error(res, 404, NULL, "no such page or endpoint");
        return;
    }
    if (req->st == NULL)
        req->st = pool_get(srv);
    if (req->st == NULL) {
        http_error(res, 503, NULL, "the database is not available");
        return;
    }
    /* Session, Origin and CSRF checks, as the route's flags ask (a
     * streamed route had them on its headers). */
    if (!req->checked && !auth_check(req, r->flags, res))
        return;
    if ((r->flags & ROUTE_CACHE) && srv->cache != NULL)
        cached(srv, r, req, res);
    else
        r->handler(req, res);
}

static void add_headers(struct MHD_Response *r, const struct http_response *res)
{
    MHD_add_response_header(r, "Content-Type", res->content_type
                                                   ? res->content_type
                                                   : "application/json");
    MHD_add_response_header(r, "Cache-Control", res->cache_control
                                                    ? res->cache_control
                                                    : "no-store");
    MHD_add_response_header(
        r, "Content-Security-Policy",
        "default-src 'self'; script-src 'self'; style-src 'self'; "
        "img-src 'self' data: https:; connect-src 'self'; object-src 'none'; "
        "base-uri 'none'; form-action 'self'; frame-ancestors 'none'");
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    /* Not no-referrer: with it browsers send "Origin: null" on our own
     * POSTs, and auth.c checks Origin. Other sites still learn nothing. */
    MHD_add_response_header(r, "Referrer-Policy", "same-origin");
    MHD_add_response_header(r, "X-Frame-Options", "DENY");
    MHD_add_response_header(r, "Cross-Origin-Opener-Policy", "same-origin");
    if (res->set_cookie)
        MHD_add_response_header(r, "Set-Cookie", res->set_cookie);
    if (res->location_owned || res->location)
        MHD_add_response_header(r, "Location", res->location_owned
                                                   ? res->location_owned
                                                   : res->location);
    if (res->retry_after > 0) {
        struct buf v;
        buf_init(&v, 32);
        buf_catf(&v, "%u", res->retry_after);
        MHD_add_response_header(r, "Retry-After", buf_cstr(&v));
        buf_free(&v);
    }
    if (res->etag)
        MHD_add_response_header(r, "ETag", res->etag);
    if (res->has_file)
        MHD_add_response_header(r, "Accept-Ranges", "bytes");
    if (res->content_range)
        MHD_add_response_header(r, "Content-Range", res->content_range);
}

static enum MHD_Result respond(struct MHD_Connection *conn,
                               struct http_response *res)
{
    struct MHD_Response *r;
    enum MHD_Result ret;
    size_t len = res->body.len;
    char *data = NULL;

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

/* The first call of a streamed route: check the session on the headers
 * and let the route begin. False when res holds the answer, to be sent
 * without reading the body. */
static bool stream_begin(struct http_server *srv, struct http_request *req,
                         const struct route *r, struct http_response *res)
{
    req->stream_ops = http_stream_ops_of(r->handler);
    if (req->stream_ops == NULL) {
        http_error(res, 500, NULL, "no stream for this route");
        return false;
    }
    req->st = pool_get(srv);
    if (req->st == NULL) {
        http_error(res, 503, NULL, "the database is not available");
        return false;
    }
    if (!auth_check(req, r->flags, res))
        return false;
    req->checked = true;
    return req->stream_ops->begin(req, res);
}

/* First call (headers only): set up the request; a streamed route may
 * answer at once. */
static enum MHD_Result on_first(struct http_server *srv,
                                struct MHD_Connection *conn, const char *url,
                                const char *method, void **con_cls)
{
    struct http_request *req = xcalloc(1, sizeof *req);
    struct http_response res;
    const struct route *r;
    enum MHD_Result ret = MHD_YES;
    bool known;

    req->conn = conn;
    req->method = method;
    req->path = url;
    req->cfg = &srv->cfg;
    buf_init(&req->body, srv->cfg.max_body);
    *con_cls = req;
    r = find_route(method, url, &known);
    if (r == NULL || !(r->flags & ROUTE_STREAM))
        return MHD_YES;
    memset(&res, 0, sizeof res);
    res.status = 200;
    buf_init(&res.body, (size_t)1 << 20);
    if (!stream_begin(srv, req, r, &res)) {
        req->answered = true; /* the body is dropped, nothing more sent */
        ret = respond(conn, &res);
    }
    buf_free(&res.body);
    free(res.set_cookie);
    free(res.location_owned);
    return ret;
}

/* The connection checks (conn.h) refused the request on its headers: the
 * answer, with our headers, and a request marked answered so that a body
 * is dropped unread. */
static enum MHD_Result refuse_headers(struct http_server *srv,
                                      struct MHD_Connection *conn,
                                      void **con_cls, unsigned status,
                                      const char *why)
{
    struct http_request *req = xcalloc(1, sizeof *req);
    struct http_response res;
    enum MHD_Result ret;

    req->conn = conn;
    req->cfg = &srv->cfg;
    buf_init(&req->body, 0);
    req->answered = true;
    *con_cls = req;
    memset(&res, 0, sizeof res);
    buf_init(&res.body, 4096);
    http_error(&res, status, NULL, "%s", why);
    ret = respond(conn, &res);
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
            return refuse_headers(srv, conn, con_cls, refuse, why);
        return on_first(srv, conn, url, method, con_cls);
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
    if (*upload_size > 0) { /* body chunk: keep it, or note it is too big */
        if (!req->body_too_big &&
            buf_append(&req->body, upload, *upload_size) != ERR_OK)
            req->body_too_big = true;
        *upload_size = 0;
        return MHD_YES;
    }
    memset(&res, 0, sizeof res);
    res.status = 200;
    buf_init(&res.body, (size_t)64 << 20);
    dispatch(srv, req, &res);
    ret = respond(conn, &res);
    buf_free(&res.body);
    free(res.set_cookie);
    free(res.location_owned);
    free(res.content_range);
    return ret;
}

static void on_completed(void *cls, struct MHD_Connection *conn,
                         void **con_cls, enum MHD_RequestTerminationCode toe)
{
    struct http_server *srv = cls;
    struct http_request *req = *con_cls;
    (void)toe;
    conn_request_done(srv->conns, conn);
    if (req == NULL)
        return;
    if (req->stream_ops != NULL && req->stream_ops->free != NULL)
        req->stream_ops->free(req);
    pool_put(srv, req->st);
    auth_request_free(req);
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
    if (!auth_init()) {
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
    srv->cfg = *cfg;
    srv->host = xstrdup(cfg->host);
    srv->db_path = xstrdup(cfg->db_path);
    srv->cfg.host = srv->host;
    srv->cfg.db_path = srv->db_path;
    pthread_mutex_init(&srv->pool.mu, NULL);
    if (cfg->cache_bytes > 0)
        srv->cache = http_cache_create(64, cfg->cache_bytes);
    srv->conns = conns_create(cfg);
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
    http_cache_destroy(srv->cache);
    free(srv->host);
    free(srv->db_path);
    free(srv);
}
