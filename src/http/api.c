/* JSON API handlers (/api/v1/...) and the route table. Read-only on the
 * store; every parameter is checked and a bad one is named in a 400. */
#include <stdlib.h>
#include <string.h>

#include "analytics/report.h"
#include "core/jsonw.h"
#include "core/model_json.h"
#include "core/str.h"
#include "core/timeutil.h"
#include "http/route.h"

#define API_MAX_LIMIT 500

static void ok_json(struct http_response *res, struct jw *w)
{
    if (jw_status(w) != ERR_OK)
        http_error(res, 500, NULL, "response too large");
    res->content_type = "application/json";
}

/* An optional integer argument in [lo, hi]; false after a 400. */
static bool arg_int(struct http_request *req, struct http_response *res,
                    const char *name, int64_t lo, int64_t hi, int64_t *out)
{
    const char *v = http_arg(req, name);
    if (v == NULL)
        return true;
    if (parse_i64(v, lo, hi, out) != ERR_OK) {
        http_error(res, 400, name, "%s must be a whole number from %lld to "
                   "%lld", name, (long long)lo, (long long)hi);
        return false;
    }
    return true;
}

static bool arg_platform(struct http_request *req, struct http_response *res,
                         int *out)
{
    const char *v = http_arg(req, "platform");
    enum platform p;
    *out = -1;
    if (v == NULL || *v == '\0')
        return true;
    if (platform_from_name(v, &p) != ERR_OK) {
        http_error(res, 400, "platform",
                   "platform must be youtube, instagram or tiktok");
        return false;
    }
    *out = (int)p;
    return true;
}

static void api_health(struct http_request *req, struct http_response *res)
{
    struct jw w;
    int version = 0;
    if (store_schema_version(req->st, &version) != ERR_OK) {
        http_error(res, 503, NULL, "the database does not answer");
        return;
    }
    jw_init(&w, &res->body);
    jw_object_begin(&w);
    jw_kv_str(&w, "status", "ok");
    jw_kv_i64(&w, "schema", version);
    jw_object_end(&w);
    ok_json(res, &w);
}

static enum err emit_item(void *ud, const struct item *it)
{
    struct jw *w = ud;
    item_json_latest(w, it);
    return w->status;
}

static void list(struct http_request *req, struct http_response *res,
                 struct item_query *q, const char *key)
{
    struct buf err;
    struct jw w;
    int64_t total = 0;

    buf_init(&err, 1024);
    jw_init(&w, &res->body);
    jw_object_begin(&w);
    if (store_count_items(req->st, q, &total) != ERR_OK) {
        http_error(res, 500, NULL, "database error");
        goto out;
    }
    jw_kv_i64(&w, "total", total);
    jw_kv_i64(&w, "limit", q->limit);
    jw_kv_i64(&w, "offset", q->offset);
    jw_key(&w, key);
    jw_array_begin(&w);
    if (store_list_items(req->st, q, emit_item, &w, &err) != ERR_OK) {
        http_error(res, 500, NULL, "database error");
        goto out;
    }
    jw_array_end(&w);
    jw_object_end(&w);
    ok_json(res, &w);
out:
    buf_free(&err);
}

static void api_accounts(struct http_request *req, struct http_response *res)
{
    struct item_query q = {.type = ITEM_ACCOUNT, .sort = SORT_TITLE,
                           .ascending = true, .limit = API_MAX_LIMIT};
    if (arg_platform(req, res, &q.platform))
        list(req, res, &q, "accounts");
}

static bool arg_sort(struct http_request *req, struct http_response *res,
                     struct item_query *q)
{
    const char *s = http_arg(req, "sort");
    const char *order = http_arg(req, "order");
    if (s == NULL || strcmp(s, "published") == 0) {
        q->sort = SORT_PUBLISHED;
    } else if (strcmp(s, "title") == 0) {
        q->sort = SORT_TITLE;
    } else if (metric_name_valid(s)) {
        q->sort = SORT_METRIC; /* bound as a parameter, never spliced */
        q->sort_metric = s;
    } else {
        http_error(res, 400, "sort",
                   "sort must be published, title or a metric name");
        return false;
    }
    if (order != NULL && strcmp(order, "asc") != 0 &&
        strcmp(order, "desc") != 0) {
        http_error(res, 400, "order", "order must be asc or desc");
        return false;
    }
    q->ascending = order != NULL && strcmp(order, "asc") == 0;
    return true;
}

static void api_content(struct http_request *req, struct http_response *res)
{
    struct item_query q = {.type = ITEM_CONTENT, .limit = 50};
    const char *search = http_arg(req, "q");

    if (!arg_platform(req, res, &q.platform) || !arg_sort(req, res, &q) ||
        !arg_int(req, res, "limit", 1, API_MAX_LIMIT, &q.limit) ||
        !arg_int(req, res, "offset", 0, INT32_MAX, &q.offset))
        return;
    if (search != NULL && strlen(search) > 200) {
        http_error(res, 400, "q", "q is longer than 200 bytes");
        return;
    }
    q.search = search;
    list(req, res, &q, "items");
}

/* /api/v1/items/{platform}/{id} */
static void api_item(struct http_request *req, struct http_response *res)
{
    const char *ref = req->path + strlen("/api/v1/items/");
    const char *slash = strchr(ref, '/');
    struct buf key, err;
    struct item *it = NULL;
    struct jw w;
    enum platform p;
    enum err rc;

    buf_init(&key, 512);
    buf_init(&err, 1024);
    if (slash == NULL || buf_append(&key, ref, (size_t)(slash - ref)) !=
                             ERR_OK ||
        platform_from_name(buf_cstr(&key), &p) != ERR_OK || slash[1] == '\0' ||
        strchr(slash + 1, '/') != NULL) {
        http_error(res, 404, NULL, "expected /api/v1/items/PLATFORM/ID");
        goto out;
    }
    if (buf_putc(&key, ':') != ERR_OK || buf_puts(&key, slash + 1) != ERR_OK) {
        http_error(res, 404, NULL, "no such item");
        goto out;
    }
    rc = store_item_history(req->st, buf_cstr(&key), &it, &err);
    if (rc == ERR_NOTFOUND || rc == ERR_AMBIGUOUS) {
        http_error(res, 404, NULL, "no such item");
        goto out;
    }
    if (rc != ERR_OK) {
        http_error(res, 500, NULL, "database error");
        goto out;
    }
    jw_init(&w, &res->body);
    item_json_history(&w, it);
    ok_json(res, &w);
out:
    item_destroy(it);
    buf_free(&key);
    buf_free(&err);
}

static bool arg_day(struct http_request *req, struct http_response *res,
                    const char *name, int32_t *out)
{
    const char *v = http_arg(req, name);
    int64_t t;
    if (v == NULL)
        return true;
    if (time_parse_iso8601(v, &t) != ERR_OK) {
        http_error(res, 400, name, "%s must be a date such as 2024-06-01",
                   name);
        return false;
    }
    *out = store_day_of(req->st, t);
    return true;
}

static void api_report(struct http_request *req, struct http_response *res)
{
    struct report_opts o = {0, 0, -1, 10};
    const char *range = http_arg(req, "range");
    int32_t days = 28, from = INT32_MIN, to = INT32_MIN;
    int64_t top = 10;
    struct report r;
    struct buf err;
    struct jw w;

    if (range != NULL && report_parse_range(range, &days) != ERR_OK) {
        http_error(res, 400, "range", "range must look like 7d, 28d or 365d");
        return;
    }
    if (!arg_platform(req, res, &o.platform) ||
        !arg_int(req, res, "top", 1, 100, &top) ||
        !arg_day(req, res, "from", &from) || !arg_day(req, res, "to", &to))
        return;
    o.to_day = to != INT32_MIN ? to + 1 : store_day_of(req->st, time_now()) + 1;
    o.from_day = from != INT32_MIN ? from : o.to_day - days;
    o.top_n = (size_t)top;
    buf_init(&err, 1024);
    if (report_build(req->st, &o, &r, &err) != ERR_OK) {
        http_error(res, 400, "from", "%s", buf_cstr(&err));
        buf_free(&err);
        return;
    }
    jw_init(&w, &res->body);
    report_json(&w, req->st, &r);
    ok_json(res, &w);
    report_free(&r);
    buf_free(&err);
}

const struct route http_api_routes[] = {
    {"GET", "/api/v1/health", api_health, ROUTE_PUBLIC},
    {"GET", "/api/v1/accounts", api_accounts, 0},
    {"GET", "/api/v1/content", api_content, 0},
    {"GET", "/api/v1/items/", api_item, 0},
    {"GET", "/api/v1/report", api_report, 0},
    {NULL, NULL, NULL, 0},
};
