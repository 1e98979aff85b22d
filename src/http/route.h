/* Private to src/http: the route table. */
#ifndef MEDIADASH_HTTP_ROUTE_H
#define MEDIADASH_HTTP_ROUTE_H

#include "http/http.h"

struct route {
    const char *method;
    const char *path;   /* exact, or a prefix when it ends in '/' */
    http_handler handler;
};

/* Static table, ended by a NULL method (api.c). */
extern const struct route http_routes[];

#endif
