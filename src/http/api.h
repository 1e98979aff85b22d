/* Private to src/http: API handlers defined outside api.c (the route
 * table stays in api.c). */
#ifndef MEDIADASH_HTTP_API_H
#define MEDIADASH_HTTP_API_H

#include "analytics/itemlinks.h"
#include "analytics/stream.h"
#include "http/http.h"

#define API_HISTORY_LIMIT 2000  /* snapshots of /items/P/ID by default */
#define API_HISTORY_MAX 10000   /* and at most */

/* api_series.c: read the daily rollups, never raw snapshots. */
/* GET /api/v1/items/PLATFORM/ID/days; key is "platform:id" (borrowed). */
void api_item_days(struct http_request *req, struct http_response *res,
                   const char *key);
void api_gains(struct http_request *req, struct http_response *res);
void api_top(struct http_request *req, struct http_response *res);
void api_engagement(struct http_request *req, struct http_response *res);
void api_heatmap(struct http_request *req, struct http_response *res);

/* api_import.c: POST /api/v1/import, the body is one document. */
void api_import(struct http_request *req, struct http_response *res);

/* api_typical.c: the typical curves of the store's data generation,
 * built on first use and shared by the threads; NULL on a store error.
 * *lease keeps them alive until api_typical_release(*lease). */
struct typical;
const struct typical *api_typical_get(struct store *st, void **lease);
void api_typical_release(void *lease);

/* api_settings.c: GET /api/v1/settings, POST /api/v1/settings/zone. */
void api_settings(struct http_request *req, struct http_response *res);
void api_settings_zone(struct http_request *req, struct http_response *res);

/* api_stream.c: what GET /api/v1/items/P/ID adds for a content item:
 * its stream figures (when its history carries viewers) over the whole
 * curve (whole: it already holds every snapshot; else they are loaded by
 * key), and its linked items. Nothing for an account. Errors are the
 * store's; free x either way. */
struct api_item_extra {
    bool is_stream, has_links;
    struct stream_figures stream;
    struct item_links links;
};
enum err api_item_extra_load(struct store *st, const struct item *it,
                             bool whole, const char *key,
                             struct api_item_extra *x) WARN_UNUSED;
/* "stream": {...}|null, "links": [...], "links_truncated": bool, into
 * the open object; nothing for an account. */
void api_item_extra_json(struct jw *w, const struct api_item_extra *x);
void api_item_extra_free(struct api_item_extra *x);

#endif
