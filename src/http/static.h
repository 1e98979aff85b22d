/* The web dashboard's files, embedded in the binary at build time by
 * cmake/embed.cmake: the html, css, js and svg files of web/ and uPlot's
 * two dist files. Everything here is static and read-only. */
#ifndef MEDIADASH_HTTP_STATIC_H
#define MEDIADASH_HTTP_STATIC_H

#include <stdbool.h>
#include <stddef.h>

struct embedded_asset {
    const char *name;         /* file name, e.g. "app.js" */
    const char *content_type; /* e.g. "text/javascript; charset=utf-8" */
    const unsigned char *data;
    size_t len;
    const char *etag; /* quoted strong ETag: a prefix of the SHA-256 */
};

/* The table, ended by a NULL name (generated/web_assets.c). */
extern const struct embedded_asset http_assets[];

/* The asset called name (exact match), or NULL. Borrowed, static. */
const struct embedded_asset *http_asset_find(const char *name);

/* Whether an If-None-Match header value (NULL: absent) matches etag:
 * "*", or one of a comma-separated list of tags, weak (W/) or strong. */
bool http_etag_matches(const char *if_none_match, const char *etag);

#endif
