/* In-process API calls (invoke.h): the route's handler on a request with
 * no connection; http_arg and http_header read req->inv_args. */
#include "http/invoke.h"

#include <stdlib.h>
#include <string.h>

#include "http/route.h"
#include "http/routes.h"

enum err http_invoke(const struct http_invoke *ctx, const char *method,
                     const char *path, const char *const *args,
                     const char *body, unsigned *status, struct buf *out)
{
    struct http_request req;
    struct http_response res;
    const struct route *r;
    bool known = false;
    enum err rc = ERR_OK;

    buf_reset(out);
    *status = 0;
    r = routes_find(method, path, &known);
    if (r == NULL)
        return ERR_NOTFOUND;
    if (r->flags & (ROUTE_STREAM | ROUTE_SESSION_ONLY | ROUTE_SCRAPE |
                    ROUTE_PAGE))
        return ERR_INVALID;
    memset(&req, 0, sizeof req);
    memset(&res, 0, sizeof res);
    req.method = method;
    req.path = path;
    req.cfg = ctx->cfg;
    req.st = ctx->read_st != NULL && strcmp(method, "GET") == 0 &&
                     (r->flags & (ROUTE_CACHE | ROUTE_READ)) != 0
                 ? ctx->read_st
                 : ctx->st;
    req.route = r;
    req.inv_args = args;
    req.user = (char *)ctx->actor; /* read only by the handlers */
    req.checked = true;
    buf_init(&req.body, routes_body_max(r, ctx->cfg));
    if (body != NULL && buf_append(&req.body, body, strlen(body)) != ERR_OK)
        req.body_too_big = true;
    res.status = 200;
    buf_init(&res.body, HTTP_INVOKE_MAX);
    if (req.body_too_big)
        http_error(&res, 413, NULL, "request body over %zu bytes",
                   req.body.max);
    else
        r->handler(&req, &res);
    *status = res.status;
    if (res.has_file || res.cached != NULL)
        rc = ERR_INVALID; /* not a route this runs (none today) */
    else
        rc = buf_append(out, res.body.data ? res.body.data : "",
                        res.body.len);
    buf_free(&req.body);
    buf_free(&res.body);
    free(res.set_cookie);
    free(res.location_owned);
    free(res.content_range);
    return rc;
}
