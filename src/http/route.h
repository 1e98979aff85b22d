/* Private to src/http: the route table. */
#ifndef MEDIADASH_HTTP_ROUTE_H
#define MEDIADASH_HTTP_ROUTE_H

#include "http/http.h"

/* What a route needs from the request before its handler runs. */
enum route_flags {
    ROUTE_PUBLIC = 1u << 0,  /* served without a login session */
    ROUTE_PAGE = 1u << 1,    /* an HTML page: without a session the
                                browser is redirected to /login (an API
                                route answers 401 instead) */
    ROUTE_NO_CSRF = 1u << 2, /* state-changing but taken before a session
                                exists (login): Origin is still checked */
    ROUTE_CACHE = 1u << 3,   /* a GET whose answer depends only on its
                                arguments, today's date and the stored
                                data: served from the response cache
                                while the data generation holds */
    ROUTE_STREAM = 1u << 4,  /* the body is streamed to the route's
                                http_stream_ops, not held in memory */
    /* The body cap (routes.h): without either, ROUTES_BODY_SMALL. A
     * Content-Length over it is a 413 on the headers; a chunked body is
     * refused at the cap. */
    ROUTE_BODY_MEDIUM = 1u << 5, /* ROUTES_BODY_MEDIUM (a new post) */
    ROUTE_BODY_LARGE = 1u << 6,  /* http_config.max_body (an import) */
    ROUTE_SCRAPE = 1u << 7,      /* GET /metrics: 404 unless serve.metrics
                                    is on, 403 from an address not in
                                    serve.metrics_allow (metrics.h), before
                                    the session (or token) check */
    /* Manages users or API tokens (or is the session itself): an API
     * token (Authorization: Bearer) is refused here whatever its scope;
     * only a login session will do (apitoken.h). */
    ROUTE_SESSION_ONLY = 1u << 8,
    /* /mcp (api_mcp.c): an API token only (401 with the Bearer challenge
     * without one; a login session is not taken), and a token of scope
     * read may POST: the handler refuses the tools that write
     * (req->token_write). */
    ROUTE_MCP = 1u << 9,
    /* A GET that reads stored data and writes nothing: with serve
     * --db-read it runs on a handle of that database (a read replica),
     * after the session was checked on --db's. ROUTE_CACHE implies it. */
    ROUTE_READ = 1u << 10,
};

/* A route whose body is not held in memory (uploads): the session,
 * Origin and CSRF checks run on the headers, before any body is read;
 * then begin, data per piece, the handler once the body has ended, free
 * at the end of the request. */
struct http_stream_ops {
    /* False when res holds the answer: it is sent at once and the body is
     * not read (e.g. 413 from Content-Length). */
    bool (*begin)(struct http_request *req, struct http_response *res);
    void (*data)(struct http_request *req, const char *p, size_t n);
    void (*free)(struct http_request *req); /* req->stream may be NULL */
};

struct route {
    const char *method;
    const char *path;   /* exact, or a prefix when it ends in '/' */
    http_handler handler;
    unsigned flags;     /* enum route_flags */
};

/* The stream ops of a ROUTE_STREAM route's handler (api_media.c), or
 * NULL. */
const struct http_stream_ops *http_stream_ops_of(http_handler h);

/* Static tables, each ended by a NULL method; routes.c searches them in
 * order. */
extern const struct route http_api_routes[]; /* api.c: /api/v1/... */
extern const struct route http_page_routes[]; /* static.c: /, /login,
                                                 /assets/NAME */
/* auth.c: /api/v1/login, /api/v1/session, /api/v1/logout */
extern const struct route http_auth_routes[];
/* api_posts.c: /api/v1/posts, the scheduler's queue */
extern const struct route http_post_routes[];
/* api_media.c: /m/<token>, public links to scheduled posts' media */
extern const struct route http_media_routes[];
/* api_medialib.c: the media library, /api/v1/media[/SHA256[/...]] */
extern const struct route http_medialib_routes[];
/* api_sources.c: /api/v1/sources, /api/v1/connections/P, /oauth/callback */
extern const struct route http_source_routes[];
/* api_platforms.c: GET /api/v1/platforms, the registry for the web */
extern const struct route http_platform_routes[];
/* api_upload.c: POST /api/v1/media, uploads streamed to the media root */
extern const struct route http_upload_routes[];
/* api_owned.c: /api/v1/imports, /api/v1/accounts/role,
 * /api/v1/competitors */
extern const struct route http_owned_routes[];
/* api_notify.c: /api/v1/notify, /api/v1/notify/test */
extern const struct route http_notify_routes[];
/* api_slots.c: /api/v1/slots, queue slots */
extern const struct route http_slot_routes[];
/* metrics.c: GET /metrics, the Prometheus page */
extern const struct route http_metrics_routes[];
/* api_tokens.c: /api/v1/tokens, API tokens (a login session only) */
extern const struct route http_token_routes[];
/* api_health.c: /api/v1/health/... (Oura; login sessions only) */
extern const struct route http_health_routes[];
/* api_search.c: GET /api/v1/search, full-text search */
extern const struct route http_search_routes[];
/* api_documents.c: /api/v1/documents, documents for retrieval */
extern const struct route http_document_routes[];
/* api_mcp.c: /mcp, the MCP streamable HTTP transport (API tokens only) */
extern const struct route http_mcp_routes[];

#endif
