/* JSON API handlers (/api/v1/...) and the route table. Read-only on the
 * store; every parameter is checked and a bad one is named in a 400. */
#include <stdlib.h>
#include <string.h>

#include "analytics/report.h"
#include "analytics/typical.h"
#include "core/alloc.h"
#include "core/jsonw.h"
#include "core/model_json.h"
#include "core/str.h"
#include "core/timeutil.h"
#include "http/api.h"
#include "http/api_args.h"
#include "http/route.h"

#define API_MAX_LIMIT 500


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
    api_ok_json(res, &w);
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
    api_ok_json(res, &w);
out:
    buf_free(&err);
}

static void api_accounts(struct http_request *req, struct http_response *res)
{
    struct item_query q = {.type = ITEM_ACCOUNT, .sort = SORT_TITLE,
                           .ascending = true, .limit = API_MAX_LIMIT};
    if (api_arg_platform(req, res, &q.platform))
        list(req, res, &q, "accounts");
}

/* sort=vs_typical: the sort key of every matching item (32 bytes an
 * item) is held and ordered, then only the page's rows are loaded and
 * written. A listing of more than this many items answers 500 saying
 * so: far more than any dashboard holds, and the keys stay under about
 * 320 MB. */
#define CONTENT_SORT_ITEMS_MAX ((int64_t)10 * 1000 * 1000)

/* sort=vs_typical: ordered in memory after the store's listing. */
static bool arg_sort(struct http_request *req, struct http_response *res,
                     struct item_query *q, bool *vs_typical)
{
    const char *s = http_arg(req, "sort");
    const char *order = http_arg(req, "order");
    *vs_typical = s != NULL && strcmp(s, "vs_typical") == 0;
    if (s == NULL || strcmp(s, "published") == 0 || *vs_typical) {
        q->sort = SORT_PUBLISHED;
    } else if (strcmp(s, "title") == 0) {
        q->sort = SORT_TITLE;
    } else if (metric_name_valid(s)) {
        q->sort = SORT_METRIC; /* bound as a parameter, never spliced */
        q->sort_metric = s;
    } else {
        http_error(res, 400, "sort",
                   "sort must be published, title, vs_typical or a "
                   "metric name");
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

/* The sort key of one content item for sort=vs_typical: its row id (to
 * load it again if it is on the page), its place in the listing (ties)
 * and its vs typical ratio. */
struct content_key {
    int64_t id;
    size_t seq;
    bool has_ratio;
    double key;
};

struct content_list {
    const struct typical *t;
    struct jw *w; /* the answer (the plain listing) */
    bool ascending;
    struct content_key *keys; /* sort=vs_typical: the first pass */
    size_t n, cap;
};

/* item_json_latest plus "vs_typical". */
static void content_json(struct jw *w, const struct item *it,
                         const struct typical *t)
{
    const struct snapshot *snap =
        it->nsnaps > 0 ? it->snaps[it->nsnaps - 1] : NULL;
    struct report_typical rt;
    bool has = t != NULL && typical_of(t, it->id, &rt);

    jw_object_begin(w);
    item_json_fields(w, it);
    jw_kv_time(w, "observed_at", snap ? snap->observed_at : TIME_NONE);
    jw_key(w, "metrics");
    if (snap)
        metrics_json(w, &snap->metrics);
    else
        jw_null(w);
    typical_json(w, has, &rt);
    jw_object_end(w);
}

static enum err emit_content(void *ud, const struct item *it)
{
    struct content_list *c = ud;

    content_json(c->w, it, c->t);
    return c->w->status;
}

/* The first pass of sort=vs_typical: the item's key only, no JSON. */
static enum err key_content(void *ud, const struct item *it)
{
    struct content_list *c = ud;
    struct report_typical rt;
    struct content_key k = {.id = it->id, .seq = c->n};

    if ((int64_t)c->n >= CONTENT_SORT_ITEMS_MAX)
        return ERR_TOOBIG;
    k.has_ratio = c->t != NULL && typical_of(c->t, it->id, &rt) &&
                  rt.has_ratio;
    k.key = k.has_ratio ? (c->ascending ? rt.ratio : -rt.ratio) : 0;
    c->keys = xgrow(c->keys, &c->cap, c->n + 1, sizeof *c->keys);
    c->keys[c->n++] = k;
    return ERR_OK;
}

/* By key ascending (the ratio, negated for descending order), ties in
 * listing order; items without a ratio last in both orders, in listing
 * order. */
static int cmp_content(const void *a, const void *b)
{
    const struct content_key *x = a, *y = b;
    if (x->has_ratio != y->has_ratio)
        return x->has_ratio ? -1 : 1;
    if (x->has_ratio && x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return (x->seq > y->seq) - (x->seq < y->seq);
}

/* sort=vs_typical in two passes: every matching item's key, ordered;
 * then the page [offset, offset + limit) loaded by id and written into
 * w's open array. An item removed between the passes is left out. */
static enum err content_sorted(struct http_request *req,
                               const struct item_query *q,
                               struct content_list *c, struct buf *err)
{
    struct item_query all = *q;
    enum err rc;

    all.limit = 0;
    all.offset = 0;
    rc = store_list_items(req->st, &all, key_content, c, err);
    if (rc != ERR_OK)
        return rc;
    qsort(c->keys, c->n, sizeof *c->keys, cmp_content);
    for (size_t i = (size_t)q->offset;
         i < c->n && i < (size_t)q->offset + (size_t)q->limit &&
         rc == ERR_OK;
         i++) {
        struct item *it = NULL;
        rc = store_item_by_id(req->st, c->keys[i].id, &it);
        if (rc == ERR_OK)
            content_json(c->w, it, c->t);
        item_destroy(it);
        if (rc == ERR_NOTFOUND)
            rc = ERR_OK;
    }
    return rc != ERR_OK ? rc : c->w->status;
}

static void content_list(struct http_request *req, struct http_response *res,
                         struct item_query *q, bool vs_typical)
{
    struct content_list c = {0};
    void *lease = NULL;
    struct buf err;
    struct jw w;
    int64_t total = 0;
    enum err rc;

    buf_init(&err, 1024);
    c.t = api_typical_get(req->st, &lease);
    jw_init(&w, &res->body);
    if (c.t == NULL || store_count_items(req->st, q, &total) != ERR_OK) {
        http_error(res, 500, NULL, "database error");
        goto out;
    }
    if (vs_typical && total > CONTENT_SORT_ITEMS_MAX) {
        http_error(res, 500, NULL, "too many items to sort by vs typical: "
                                   "filter by platform or account");
        goto out;
    }
    jw_object_begin(&w);
    jw_kv_i64(&w, "total", total);
    jw_kv_i64(&w, "limit", q->limit);
    jw_kv_i64(&w, "offset", q->offset);
    jw_key(&w, "items");
    jw_array_begin(&w);
    c.w = &w;
    c.ascending = q->ascending;
    rc = vs_typical ? content_sorted(req, q, &c, &err)
                    : store_list_items(req->st, q, emit_content, &c, &err);
    if (rc != ERR_OK) {
        http_error(res, 500, NULL,
                   rc == ERR_TOOBIG ? "too many items to sort by vs typical: "
                                      "filter by platform or account"
                                    : "database error");
        goto out;
    }
    jw_array_end(&w);
    jw_object_end(&w);
    api_ok_json(res, &w);
out:
    if (lease != NULL)
        api_typical_release(lease);
    free(c.keys);
    buf_free(&err);
}

/* role=own|tracked (absent or "all": both), as /api/v1/search takes it;
 * false after a 400. */
static bool content_role(struct http_request *req, struct http_response *res,
                         const char **out)
{
    const char *v = http_arg(req, "role");

    *out = NULL;
    if (v == NULL || *v == '\0' || strcmp(v, "all") == 0)
        return true;
    if (strcmp(v, "own") == 0 || strcmp(v, "owned") == 0)
        *out = "own";
    else if (strcmp(v, "tracked") == 0)
        *out = "tracked";
    else {
        http_error(res, 400, "role", "role must be own, tracked or all");
        return false;
    }
    return true;
}

static void api_content(struct http_request *req, struct http_response *res)
{
    struct item_query q = {.type = ITEM_CONTENT, .limit = 50};
    const char *search = http_arg(req, "q");
    bool vs_typical = false;

    if (!api_arg_platform(req, res, &q.platform) ||
        !arg_sort(req, res, &q, &vs_typical) ||
        !api_arg_int(req, res, "limit", 1, API_MAX_LIMIT, &q.limit) ||
        !api_arg_int(req, res, "offset", 0, INT32_MAX, &q.offset) ||
        !content_role(req, res, &q.role))
        return;
    if (search != NULL && strlen(search) > 200) {
        http_error(res, 400, "q", "q is longer than 200 bytes");
        return;
    }
    q.search = search;
    content_list(req, res, &q, vs_typical);
}

/* /api/v1/items/PLATFORM/ID[/days]: "platform:id" into key, and whether
 * the daily series was asked for. false after a 404. */
static bool item_ref(struct http_request *req, struct http_response *res,
                     struct buf *key, bool *days)
{
    const char *ref = req->path + strlen("/api/v1/items/");
    const char *slash = strchr(ref, '/'), *id, *end;
    enum platform p;

    *days = false;
    if (slash == NULL || buf_append(key, ref, (size_t)(slash - ref)) !=
                             ERR_OK ||
        platform_from_name(buf_cstr(key), &p) != ERR_OK || slash[1] == '\0')
        goto bad;
    id = slash + 1;
    end = strchr(id, '/');
    if (end != NULL) {
        if (strcmp(end, "/days") != 0 || end == id)
            goto bad;
        *days = true;
    } else {
        end = id + strlen(id);
    }
    if (buf_putc(key, ':') != ERR_OK ||
        buf_append(key, id, (size_t)(end - id)) != ERR_OK) {
        http_error(res, 404, NULL, "no such item");
        return false;
    }
    return true;
bad:
    http_error(res, 404, NULL, "expected /api/v1/items/PLATFORM/ID");
    return false;
}

/* since, until (ISO 8601) and limit of an item's history. */
static bool arg_history(struct http_request *req, struct http_response *res,
                        struct history_query *q)
{
    static const char *const names[] = {"since", "until"};
    int64_t *t[] = {&q->since, &q->until};

    q->since = q->until = TIME_NONE;
    q->limit = API_HISTORY_LIMIT;
    for (size_t i = 0; i < 2; i++) {
        const char *v = http_arg(req, names[i]);
        if (v != NULL && time_parse_iso8601(v, t[i]) != ERR_OK) {
            http_error(res, 400, names[i], "%s must be an ISO 8601 time such "
                       "as 2024-06-01T12:00:00Z", names[i]);
            return false;
        }
    }
    return api_arg_int(req, res, "limit", 1, API_HISTORY_MAX, &q->limit);
}

/* item_json_history plus whether older snapshots were left out. */
static void json_history(struct jw *w, const struct item *it, bool truncated,
                         int64_t limit, bool has_typical,
                         const struct report_typical *typical,
                         const struct api_item_extra *extra)
{
    jw_object_begin(w);
    item_json_fields(w, it);
    jw_kv_str(w, "description", it->description);
    jw_kv_bool(w, "truncated", truncated);
    jw_kv_i64(w, "limit", limit);
    typical_json(w, has_typical, typical);
    api_item_extra_json(w, extra);
    item_json_snapshots(w, it);
    jw_object_end(w);
}

static void item_history(struct http_request *req, struct http_response *res,
                         const char *key)
{
    struct history_query q;
    struct item *it = NULL;
    struct report_typical typical;
    struct api_item_extra extra = {0};
    bool truncated = false, has_typical;
    struct buf err;
    struct jw w;
    enum err rc;

    if (!arg_history(req, res, &q))
        return;
    buf_init(&err, 1024);
    rc = store_item_history_range(req->st, key, &q, &it, &truncated, &err);
    if (rc == ERR_NOTFOUND || rc == ERR_AMBIGUOUS) {
        http_error(res, 404, NULL, "no such item");
        goto out;
    }
    if (rc != ERR_OK) {
        http_error(res, 500, NULL, "database error");
        goto out;
    }
    has_typical = report_vs_typical(req->st, it, &typical, &rc);
    if (rc == ERR_OK)
        rc = api_item_extra_load(req->st, it, !truncated &&
                                 q.since == TIME_NONE && q.until == TIME_NONE,
                                 key, &extra);
    if (rc != ERR_OK) {
        http_error(res, 500, NULL, "database error");
        goto out;
    }
    jw_init(&w, &res->body);
    json_history(&w, it, truncated, q.limit, has_typical, &typical, &extra);
    api_ok_json(res, &w);
out:
    api_item_extra_free(&extra);
    item_destroy(it);
    buf_free(&err);
}

/* /api/v1/items/{platform}/{id}[/days] */
static void api_item(struct http_request *req, struct http_response *res)
{
    struct buf key;
    bool days;

    buf_init(&key, 512);
    if (item_ref(req, res, &key, &days)) {
        if (days)
            api_item_days(req, res, buf_cstr(&key));
        else
            item_history(req, res, buf_cstr(&key));
    }
    buf_free(&key);
}

static void api_report(struct http_request *req, struct http_response *res)
{
    struct report_opts o = {0, 0, -1, 10};
    struct api_range range;
    int64_t top = 10;
    struct report r;
    struct buf err;
    struct jw w;

    if (!api_arg_range(req, res, 28, &range) ||
        !api_arg_platform(req, res, &o.platform) ||
        !api_arg_int(req, res, "top", 1, 100, &top))
        return;
    o.from_day = range.from_day;
    o.to_day = range.to_day;
    o.top_n = (size_t)top;
    buf_init(&err, 1024);
    if (report_build(req->st, &o, &r, &err) != ERR_OK) {
        http_error(res, 500, NULL, "%s", buf_cstr(&err));
        buf_free(&err);
        return;
    }
    jw_init(&w, &res->body);
    report_json(&w, &r);
    api_ok_json(res, &w);
    report_free(&r);
    buf_free(&err);
}

const struct route http_api_routes[] = {
    {"GET", "/api/v1/health", api_health, ROUTE_PUBLIC},
    {"GET", "/api/v1/accounts", api_accounts, ROUTE_CACHE},
    {"GET", "/api/v1/content", api_content, ROUTE_CACHE},
    {"GET", "/api/v1/items/", api_item, ROUTE_CACHE},
    {"GET", "/api/v1/report", api_report, ROUTE_CACHE},
    {"GET", "/api/v1/gains", api_gains, ROUTE_CACHE},
    {"GET", "/api/v1/top", api_top, ROUTE_CACHE},
    {"GET", "/api/v1/engagement", api_engagement, ROUTE_CACHE},
    {"GET", "/api/v1/heatmap", api_heatmap, ROUTE_CACHE},
    {"POST", "/api/v1/import", api_import, ROUTE_BODY_LARGE},
    {"GET", "/api/v1/settings", api_settings, 0},
    {"POST", "/api/v1/settings/zone", api_settings_zone, 0},
    {NULL, NULL, NULL, 0},
};
