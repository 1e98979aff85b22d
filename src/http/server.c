/* libmicrohttpd glue: connection limits, request bodies, the store pool,
 * routing, and the headers every response carries. */
#include <arpa/inet.h>
#include <microhttpd.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/jsonw.h"
#include "core/log.h"
#include "http/auth.h"
#include "core/timeutil.h"
#include "http/cache.h"
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
};

void http_config_defaults(struct http_config *cfg)
{
    cfg->host = "127.0.0.1";
    cfg->port = 8080;
    cfg->db_path = NULL;
    cfg->threads = 4;
    cfg->max_connections = 256;
    cfg->per_ip_connections = 32;
    cfg->timeout_s = 30;
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
    else if (store_refresh(st) != ERR_OK) /* the generation, as pooled */
        LOG_WARN("http: a new database handle could not read the generation");
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
        "img-src 'self' data: https:; connect-src 'self'; object-src 'none'; "
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
    if (res->has_file)
        MHD_add_response_header(r, "Accept-Ranges", "bytes");
    if (res->content_range)
        MHD_add_response_header(r, "Content-Range", res->content_range);
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
                               struct http_response *res)
{
    struct MHD_Response *r;
    enum MHD_Result ret;
    size_t len = res->body.len;
    char *data = NULL;

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

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn,
                                  const char *url, const char *method,
                                  const char *version, const char *upload,
                                  size_t *upload_size, void **con_cls)
{
    struct http_server *srv = cls;
    struct http_request *req = *con_cls;
    struct http_response res;
    enum MHD_Result ret;
    (void)version;

    if (req == NULL) /* first call: headers only */
        return on_first(srv, conn, url, method, con_cls);
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
    (void)conn;
    (void)toe;
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

static void on_mhd_log(void *cls, const char *fmt, va_list ap)
    PRINTF_LIKE(2, 0);

static void on_mhd_log(void *cls, const char *fmt, va_list ap)
{
    struct buf b;
    (void)cls;
    buf_init(&b, 1024);
    buf_vcatf(&b, fmt, ap);
    LOG_WARN("libmicrohttpd: %s", buf_cstr(&b));
    buf_free(&b);
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
        srv->cache = http_cache_create(64, cfg->cache_bytes, cached_headers);
    srv->mhd = MHD_start_daemon(
        MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ERROR_LOG, 0, NULL, NULL,
        on_request, srv, MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, NULL,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned)cfg->threads,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)cfg->max_connections,
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)cfg->per_ip_connections,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)cfg->timeout_s,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(64 * 1024),
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv, MHD_OPTION_END);
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
    while (srv->pool.nfree > 0)
        store_close(srv->pool.free[--srv->pool.nfree]);
    pthread_mutex_destroy(&srv->pool.mu);
    http_cache_destroy(srv->cache);
    free(srv->host);
    free(srv->db_path);
    free(srv);
}
