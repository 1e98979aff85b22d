/* In-process API calls: one /api/v1 route's handler run on a request
 * made here instead of by libmicrohttpd, so that another front end (the
 * MCP server, src/mcp) answers with exactly the code, checks and numbers
 * of the HTTP API: no second query path. No session, Origin or CSRF
 * check runs: the caller decides what the actor may do before calling. */
#ifndef MEDIADASH_HTTP_INVOKE_H
#define MEDIADASH_HTTP_INVOKE_H

#include <stdbool.h>

#include "core/buf.h"
#include "core/err.h"
#include "http/http.h"

/* The body of an answer is capped at this many bytes (over it: 500). */
#define HTTP_INVOKE_MAX ((size_t)512 << 10)

struct http_invoke {
    const struct http_config *cfg; /* borrowed: platform config, worker */
    struct store *st;              /* borrowed */
    const char *actor;             /* "token:NAME", "cli", ...: req->user */
    /* serve --db-read: the read routes (a GET of ROUTE_CACHE or
     * ROUTE_READ) run on this handle instead of st; NULL: st. */
    struct store *read_st;         /* borrowed */
};

/* Run method path?args (args: NULL-ended name, value pairs, borrowed)
 * with body (JSON text or NULL) through the route table: *status and
 * the answer's body (JSON; an error answer is the API's {"error": ...})
 * into out (reset first). ERR_NOTFOUND when no route takes method and
 * path, ERR_INVALID for routes that cannot run here (streamed bodies,
 * session-only routes, files). */
enum err http_invoke(const struct http_invoke *ctx, const char *method,
                     const char *path, const char *const *args,
                     const char *body, unsigned *status,
                     struct buf *out) WARN_UNUSED;

#endif
