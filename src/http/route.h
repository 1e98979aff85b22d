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
};

struct route {
    const char *method;
    const char *path;   /* exact, or a prefix when it ends in '/' */
    http_handler handler;
    unsigned flags;     /* enum route_flags */
};

/* Static tables, each ended by a NULL method; server.c searches them in
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
/* api_sources.c: /api/v1/sources, /api/v1/connections/P, /oauth/callback */
extern const struct route http_source_routes[];

#endif
