/* The dashboard's pages and assets, served from the table that
 * cmake/embed.cmake generates: names come from that table only, so no
 * request path can reach the file system. */
#include <string.h>

#include "http/route.h"
#include "http/static.h"

#define ASSETS_PREFIX "/assets/"
/* Asset names are not versioned: cache briefly, then revalidate by ETag. */
#define ASSET_CACHE "public, max-age=300"

const struct embedded_asset *http_asset_find(const char *name)
{
    for (const struct embedded_asset *a = http_assets; a->name; a++)
        if (strcmp(a->name, name) == 0)
            return a;
    return NULL;
}

/* Whether the n bytes at tag, a weak or strong entity tag, equal etag. */
static bool tag_equal(const char *tag, size_t n, const char *etag)
{
    if (n >= 2 && tag[0] == 'W' && tag[1] == '/') {
        tag += 2;
        n -= 2;
    }
    return n == strlen(etag) && memcmp(tag, etag, n) == 0;
}

bool http_etag_matches(const char *if_none_match, const char *etag)
{
    const char *p = if_none_match;

    if (p == NULL || etag == NULL)
        return false;
    while (*p != '\0') {
        size_t n;
        while (*p == ' ' || *p == '\t' || *p == ',')
            p++;
        n = strcspn(p, ",");
        while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
            n--;
        if ((n == 1 && *p == '*') || (n > 0 && tag_equal(p, n, etag)))
            return true;
        p += n;
        p += strcspn(p, ",");
    }
    return false;
}

/* Answer with asset a: 304 when the client has it, else the bytes.
 * cache is a static Cache-Control value, or NULL for no-store. */
static void send_asset(struct http_request *req, struct http_response *res,
                       const struct embedded_asset *a, const char *cache)
{
    res->content_type = a->content_type;
    res->cache_control = cache;
    if (cache != NULL) {
        res->etag = a->etag;
        if (http_etag_matches(http_header(req, "If-None-Match"), a->etag)) {
            res->status = 304;
            return;
        }
    }
    if (buf_append(&res->body, a->data, a->len) != ERR_OK)
        http_error(res, 500, NULL, "asset %s is too large", a->name);
}

/* A page: HTML, never cached (whether it is served depends on the
 * session, which the login engineer's checks in server.c decide). */
static void send_page(struct http_request *req, struct http_response *res,
                      const char *name)
{
    const struct embedded_asset *a = http_asset_find(name);
    if (a == NULL) {
        http_error(res, 500, NULL, "page %s is not built in", name);
        return;
    }
    send_asset(req, res, a, NULL);
}

static void page_index(struct http_request *req, struct http_response *res)
{
    send_page(req, res, "index.html");
}

static void page_login(struct http_request *req, struct http_response *res)
{
    send_page(req, res, "login.html");
}

/* /assets/NAME: any embedded file except the pages, which have routes. */
static void asset(struct http_request *req, struct http_response *res)
{
    const char *name = req->path + strlen(ASSETS_PREFIX);
    const struct embedded_asset *a = http_asset_find(name);
    size_t n = strlen(name);

    if (a == NULL || (n >= 5 && strcmp(name + n - 5, ".html") == 0)) {
        http_error(res, 404, NULL, "no such asset");
        return;
    }
    send_asset(req, res, a, ASSET_CACHE);
}

const struct route http_page_routes[] = {
    {"GET", "/", page_index, ROUTE_PAGE},
    {"HEAD", "/", page_index, ROUTE_PAGE},
    {"GET", "/login", page_login, ROUTE_PUBLIC},
    {"HEAD", "/login", page_login, ROUTE_PUBLIC},
    {"GET", ASSETS_PREFIX, asset, ROUTE_PUBLIC},
    {"HEAD", ASSETS_PREFIX, asset, ROUTE_PUBLIC},
    {NULL, NULL, NULL, 0},
};
