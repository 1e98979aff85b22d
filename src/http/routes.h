/* Private to src/http: the route list and what each route asks of a
 * request before its body is read. server.c calls only this (and
 * request.c); it names no handler and includes no handler's header. */
#ifndef MEDIADASH_HTTP_ROUTES_H
#define MEDIADASH_HTTP_ROUTES_H

#include <stdbool.h>
#include <stddef.h>

#include "http/route.h"

/* Body caps by route (enum route_flags ROUTE_BODY_*): most routes take a
 * small JSON or form body (login, settings, actions); a new post with its
 * caption, tags and media may take more; an import takes cfg->max_body. A
 * ROUTE_STREAM route checks its own cap (media uploads). */
#define ROUTES_BODY_SMALL ((size_t)16 << 10)
#define ROUTES_BODY_MEDIUM ((size_t)256 << 10)

/* Start what the routes need (libsodium); false when it cannot. */
bool routes_init(void);
/* The session fields of cfg at their defaults (2 h idle, 7 days). */
void routes_config_defaults(struct http_config *cfg);

/* The route for method and path, or NULL; *path_known tells a wrong
 * method (405) from an unknown path (404). Routes are searched table by
 * table in a fixed order; the first match wins. */
const struct route *routes_find(const char *method, const char *path,
                                bool *path_known);
/* The most body bytes r takes (SIZE_MAX for ROUTE_STREAM: its stream
 * ops check). */
size_t routes_body_max(const struct route *r, const struct http_config *cfg);
/* The stream ops of a ROUTE_STREAM route, or NULL. */
const struct http_stream_ops *routes_stream_ops(const struct route *r);
/* The session, Origin and CSRF checks r's flags ask for (auth_check);
 * needs req->st. False when res holds the answer. */
bool routes_check(struct http_request *req, const struct route *r,
                  struct http_response *res);
/* Routes are numbered 1..routes_count() in table order (for the
 * counters of core/counters.h; 0: no route). routes_number(NULL) is 0;
 * routes_nth(0) or past the count is NULL. */
unsigned routes_count(void);
unsigned routes_number(const struct route *r);
const struct route *routes_nth(unsigned n);
/* Free what routes_check put into req. */
void routes_request_free(struct http_request *req);

#endif
