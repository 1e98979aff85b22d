/* GET /api/v1/settings and POST /api/v1/settings/zone: the dashboard's
 * settings, today the rollup zone (what `mediadash rollup --zone` sets). */
#include <jansson.h>

#include "core/jread.h"
#include "core/jsonw.h"
#include "core/timeutil.h"
#include "core/tz.h"
#include "http/api.h"
#include "http/api_args.h"
#include "http/api_fail.h"

#define SETTINGS_ZONE_MAX 64 /* bytes of an IANA zone name */

/* {"zone": NAME}: the rollup zone, whose days are the rollup days and
 * whose hours are the best-time hours. */
void api_settings(struct http_request *req, struct http_response *res)
{
    struct jw w;

    jw_init(&w, &res->body);
    jw_object_begin(&w);
    jw_kv_str(&w, "zone", tz_name(store_rollup_zone(req->st)));
    jw_object_end(&w);
    api_ok_json(res, &w);
}

/* The body's "zone": a string of 1..SETTINGS_ZONE_MAX bytes, or false
 * with res holding the 400 that names it. */
static bool zone_of(struct http_request *req, struct http_response *res,
                    json_t **doc, const char **out)
{
    struct buf err;
    struct jread r;
    enum err rc;

    *doc = json_loadb(req->body.data, req->body.len, JSON_REJECT_DUPLICATES,
                      NULL);
    if (!json_is_object(*doc)) {
        http_error(res, 400, "body", "the body must be a JSON object");
        return false;
    }
    buf_init(&err, 512);
    jread_init(&r, &err);
    jread_where(&r, "%s", "");
    rc = jread_string(&r, *doc, "zone", J_REQUIRED, SETTINGS_ZONE_MAX, out);
    if (rc == ERR_OK && (*out)[0] == '\0')
        rc = jread_fail(&r, "zone", "is empty");
    if (rc != ERR_OK)
        http_error(res, 400, "zone", "zone must be an IANA time zone name "
                   "(e.g. Europe/Berlin) of at most %d bytes: %s",
                   SETTINGS_ZONE_MAX, buf_cstr(&err));
    jread_free(&r);
    buf_free(&err);
    return rc == ERR_OK;
}

/* Set the rollup zone and recompute the rollups under it (one write
 * transaction: readers keep reading the old days until it commits, then
 * the raised data generation invalidates every cached answer and makes
 * the other handles reload the zone). Answers {"zone", "seconds"}. */
void api_settings_zone(struct http_request *req, struct http_response *res)
{
    json_t *doc = NULL;
    const char *zone;
    struct buf err;
    struct jw w;
    int64_t t0;
    enum err rc;

    buf_init(&err, 1024);
    if (!zone_of(req, res, &doc, &zone))
        goto out;
    t0 = time_mono_ms();
    rc = store_set_rollup_zone(req->st, zone, &err);
    if (rc == ERR_INVALID || rc == ERR_NOTFOUND || rc == ERR_PARSE) {
        http_error(res, 400, "zone", "zone: %s", buf_cstr(&err));
        goto out;
    }
    if (rc != ERR_OK) {
        api_store_failed(req, res, rc, "setting the zone failed (%s)",
                         buf_cstr(&err));
        goto out;
    }
    jw_init(&w, &res->body);
    jw_object_begin(&w);
    jw_kv_str(&w, "zone", tz_name(store_rollup_zone(req->st)));
    jw_kv_real(&w, "seconds", (double)(time_mono_ms() - t0) / 1000.0);
    jw_object_end(&w);
    api_ok_json(res, &w);
out:
    json_decref(doc);
    buf_free(&err);
}
