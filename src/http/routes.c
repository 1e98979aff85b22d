/* The route list: every handler file's table, searched in order, and the
 * checks a route's flags ask for. */
#include "http/routes.h"

#include <assert.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include "core/counters.h"
#include "http/auth.h"
#include "http/metrics.h"

/* Every route table, searched in this order. */
static const struct route *const route_tables[] = {
    http_auth_routes,
    http_api_routes,
    http_page_routes,
    http_post_routes,
    http_media_routes,
    http_source_routes,
    http_platform_routes,
    http_upload_routes,
    http_medialib_routes,
    http_owned_routes,
    http_notify_routes,
    http_slot_routes,
    http_metrics_routes,
    http_token_routes,
    http_health_routes,
    http_search_routes,
    http_document_routes,
    http_mcp_routes,
};

#define NTABLES (sizeof route_tables / sizeof *route_tables)

/* Routes in each table, counted once (routes_init): immutable after. */
static size_t table_len[NTABLES];
static unsigned nroutes;
static pthread_once_t count_once = PTHREAD_ONCE_INIT;

static void count_routes(void)
{
    unsigned n = 0;

    for (size_t t = 0; t < NTABLES; t++) {
        const struct route *r = route_tables[t];
        while (r[table_len[t]].method != NULL)
            table_len[t]++;
        n += (unsigned)table_len[t];
    }
    /* Every route has its own counters; raise COUNTERS_ROUTES_MAX when
     * this fails. */
    assert(n < COUNTERS_ROUTES_MAX);
    nroutes = n;
}

bool routes_init(void)
{
    pthread_once(&count_once, count_routes);
    return auth_init();
}

unsigned routes_count(void)
{
    pthread_once(&count_once, count_routes);
    return nroutes;
}

unsigned routes_number(const struct route *r)
{
    unsigned base = 1;

    for (size_t t = 0; r != NULL && t < NTABLES; t++) {
        const struct route *first = route_tables[t];
        if (r >= first && r < first + table_len[t])
            return base + (unsigned)(r - first);
        base += (unsigned)table_len[t];
    }
    return 0;
}

const struct route *routes_nth(unsigned n)
{
    for (size_t t = 0; n > 0 && t < NTABLES; t++) {
        if (n <= table_len[t])
            return &route_tables[t][n - 1];
        n -= (unsigned)table_len[t];
    }
    return NULL;
}

void routes_config_defaults(struct http_config *cfg)
{
    cfg->session_idle_s = AUTH_IDLE_DEFAULT;
    cfg->session_max_s = AUTH_MAX_DEFAULT;
}

static bool path_matches(const char *route_path, const char *path)
{
    size_t n = strlen(route_path);

    if (n > 1 && route_path[n - 1] == '/')
        return strncmp(path, route_path, n) == 0 && path[n] != '\0';
    return strcmp(path, route_path) == 0;
}

const struct route *routes_find(const char *method, const char *path,
                                bool *path_known)
{
    *path_known = false;
    for (size_t t = 0; t < sizeof route_tables / sizeof *route_tables; t++) {
        for (const struct route *r = route_tables[t]; r->method; r++) {
            if (!path_matches(r->path, path))
                continue;
            *path_known = true;
            if (strcmp(r->method, method) == 0)
                return r;
        }
    }
    return NULL;
}

size_t routes_body_max(const struct route *r, const struct http_config *cfg)
{
    if (r->flags & ROUTE_STREAM)
        return SIZE_MAX;
    if (r->flags & ROUTE_BODY_LARGE)
        return cfg->max_body;
    if (r->flags & ROUTE_BODY_MEDIUM)
        return ROUTES_BODY_MEDIUM;
    return ROUTES_BODY_SMALL;
}

const struct http_stream_ops *routes_stream_ops(const struct route *r)
{
    return (r->flags & ROUTE_STREAM) ? http_stream_ops_of(r->handler) : NULL;
}

bool routes_check(struct http_request *req, const struct route *r,
                  struct http_response *res)
{
    if ((r->flags & ROUTE_SCRAPE) && !http_metrics_gate(req, res))
        return false;
    return auth_check(req, r->flags, res);
}

void routes_request_free(struct http_request *req)
{
    auth_request_free(req);
}
