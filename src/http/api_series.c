/* Dashboard series from the daily rollups (item_day, account_day): an
 * item's days, gains per platform, top content, engagement, the publish
 * hour heatmap. Never reads raw snapshots. */
#include <stdlib.h>
#include <string.h>

#include "analytics/report.h"
#include "analytics/top.h"
#include "core/alloc.h"
#include "core/model_json.h"
#include "core/timeutil.h"
#include "core/tz.h"
#include "platforms/platform.h"
#include "http/api.h"
#include "http/api_args.h"

#define TOP_DEFAULT 10
#define TOP_MAX 100

static const char *const engagement_metrics[] = {M_VIEWS, M_LIKES, M_COMMENTS,
                                                 M_SHARES, M_SAVES};
#define NENG 5

/* One metric of an item over the range: "last" and "gain" arrays, null
 * where the day has no row (or no known gain). */
static enum err json_item_series(struct jw *w, struct store *st,
                                 int64_t item_id, const char *metric,
                                 const struct api_range *r)
{
    size_t nd = (size_t)(r->to_day - r->from_day), n = 0;
    struct store_day *rows = NULL;
    struct store_day **at;
    enum err rc;

    rc = store_item_days(st, item_id, metric, r->from_day, r->to_day, &rows,
                         &n);
    if (rc != ERR_OK)
        return rc;
    at = xcalloc(nd, sizeof *at);
    for (size_t i = 0; i < n; i++)
        if (rows[i].day >= r->from_day && rows[i].day < r->to_day)
            at[rows[i].day - r->from_day] = &rows[i];
    jw_key(w, metric);
    jw_object_begin(w);
    jw_key(w, "last");
    jw_array_begin(w);
    for (size_t d = 0; d < nd; d++)
        at[d] ? jw_i64(w, at[d]->last_v) : jw_null(w);
    jw_array_end(w);
    jw_key(w, "gain");
    jw_array_begin(w);
    for (size_t d = 0; d < nd; d++)
        at[d] && at[d]->has_gain ? jw_i64(w, at[d]->gain) : jw_null(w);
    jw_array_end(w);
    jw_object_end(w);
    free(at);
    free(rows);
    return ERR_OK;
}

void api_item_days(struct http_request *req, struct http_response *res,
                   const char *key)
{
    struct api_metrics m;
    struct api_range r;
    struct item *it = NULL;
    struct buf err;
    struct jw w;
    enum err rc;

    if (!api_arg_metrics(req, res, "metrics", "views,likes,comments", &m) ||
        !api_arg_range(req, res, 90, &r))
        return;
    buf_init(&err, 1024);
    rc = store_item_find(req->st, key, &it, &err);
    if (rc == ERR_NOTFOUND || rc == ERR_AMBIGUOUS) {
        http_error(res, 404, NULL, "no such item");
        goto out;
    }
    if (rc != ERR_OK) {
        http_error(res, 500, NULL, "database error");
        goto out;
    }
    jw_init(&w, &res->body);
    jw_object_begin(&w);
    jw_kv_str(&w, "platform", platform_name(it->platform));
    jw_kv_str(&w, "id", it->ext_id);
    api_json_range(&w, &r, true);
    jw_key(&w, "series");
    jw_object_begin(&w);
    for (size_t i = 0; i < m.n && rc == ERR_OK; i++)
        rc = json_item_series(&w, req->st, it->id, m.name[i], &r);
    jw_object_end(&w);
    jw_object_end(&w);
    if (rc != ERR_OK)
        http_error(res, 500, NULL, "database error");
    else
        api_ok_json(res, &w);
out:
    item_destroy(it);
    buf_free(&err);
}

/* ---- /api/v1/gains ------------------------------------------------ */

struct gains {
    struct api_range r;
    int64_t *per[PLATFORM_COUNT]; /* per day of the range */
    int64_t *total;
};

static enum err on_gain(void *ud, int64_t account_id, enum platform p,
                        int32_t day, int64_t gain)
{
    struct gains *g = ud;
    (void)account_id;
    if (day < g->r.from_day || day >= g->r.to_day)
        return ERR_OK;
    g->per[p][day - g->r.from_day] += gain;
    g->total[day - g->r.from_day] += gain;
    return ERR_OK;
}

static void json_days_i64(struct jw *w, const int64_t *v, size_t n)
{
    jw_array_begin(w);
    for (size_t i = 0; i < n; i++)
        jw_i64(w, v[i]);
    jw_array_end(w);
}

void api_gains(struct http_request *req, struct http_response *res)
{
    const char *metric = M_VIEWS;
    struct gains g;
    int platform;
    size_t nd;
    struct jw w;

    if (!api_arg_metric(req, res, "metric", &metric) ||
        !api_arg_range(req, res, 28, &g.r) ||
        !api_arg_platform(req, res, &platform))
        return;
    nd = (size_t)(g.r.to_day - g.r.from_day);
    for (int p = 0; p < PLATFORM_COUNT; p++)
        g.per[p] = xcalloc(nd, sizeof(int64_t));
    g.total = xcalloc(nd, sizeof(int64_t));
    if (store_account_gains(req->st, metric, platform, g.r.from_day,
                            g.r.to_day, on_gain, &g) != ERR_OK) {
        http_error(res, 500, NULL, "database error");
        goto out;
    }
    jw_init(&w, &res->body);
    jw_object_begin(&w);
    jw_kv_str(&w, "metric", metric);
    api_json_range(&w, &g.r, true);
    jw_key(&w, "platforms");
    jw_object_begin(&w);
    for (int p = 0; p < PLATFORM_COUNT; p++)
        if ((platform < 0 || platform == p) &&
            platform_is_social((enum platform)p)) {
            jw_key(&w, platform_name((enum platform)p));
            json_days_i64(&w, g.per[p], nd);
        }
    jw_object_end(&w);
    jw_key(&w, "total");
    json_days_i64(&w, g.total, nd);
    jw_object_end(&w);
    api_ok_json(res, &w);
out:
    for (int p = 0; p < PLATFORM_COUNT; p++)
        free(g.per[p]);
    free(g.total);
}

/* ---- /api/v1/top -------------------------------------------------- */

/* The latest values of an item loaded by store_item_by_id. */
static void json_latest_metrics(struct jw *w, const struct item *it)
{
    jw_key(w, "metrics");
    if (it->nsnaps > 0) {
        metrics_json(w, &it->snaps[it->nsnaps - 1]->metrics);
    } else {
        jw_object_begin(w);
        jw_object_end(w);
    }
}

void api_top(struct http_request *req, struct http_response *res)
{
    const char *metric = M_VIEWS;
    struct api_range r;
    int64_t limit = TOP_DEFAULT;
    struct store_ranked *v = NULL;
    size_t n = 0;
    int platform;
    enum err rc;
    struct jw w;

    if (!api_arg_metric(req, res, "metric", &metric) ||
        !api_arg_range(req, res, 28, &r) ||
        !api_arg_platform(req, res, &platform) ||
        !api_arg_int(req, res, "limit", 1, TOP_MAX, &limit))
        return;
    rc = top_gains(req->st, metric, platform, r.from_day, r.to_day,
                   (size_t)limit, &v, &n);
    jw_init(&w, &res->body);
    jw_object_begin(&w);
    jw_kv_str(&w, "metric", metric);
    api_json_range(&w, &r, false);
    jw_key(&w, "items");
    jw_array_begin(&w);
    for (size_t i = 0; i < n && rc == ERR_OK; i++) {
        struct item *it = NULL;
        rc = store_item_by_id(req->st, v[i].item_id, &it);
        if (rc != ERR_OK)
            break;
        jw_object_begin(&w);
        item_json_fields(&w, it);
        jw_kv_i64(&w, "gain", v[i].gain);
        json_latest_metrics(&w, it);
        jw_object_end(&w);
        item_destroy(it);
    }
    jw_array_end(&w);
    jw_object_end(&w);
    if (rc != ERR_OK)
        http_error(res, 500, NULL, "database error");
    else
        api_ok_json(res, &w);
    free(v);
}

/* ---- /api/v1/engagement ------------------------------------------- */

struct eng_sum {
    int64_t v[NENG]; /* gains of engagement_metrics over the range */
};

struct eng {
    struct api_range r;
    int32_t prev_from; /* the previous range: [prev_from, r.from_day) */
    size_t k;          /* the metric being summed */
    struct eng_sum per[PLATFORM_COUNT], total;
    struct eng_sum prev[PLATFORM_COUNT], prev_total;
};

static enum err on_eng_gain(void *ud, int64_t account_id, enum platform p,
                            int32_t day, int64_t gain)
{
    struct eng *e = ud;
    (void)account_id;
    if (day >= e->r.from_day && day < e->r.to_day) {
        e->per[p].v[e->k] += gain;
        e->total.v[e->k] += gain;
    } else if (day >= e->prev_from && day < e->r.from_day) {
        e->prev[p].v[e->k] += gain;
        e->prev_total.v[e->k] += gain;
    }
    return ERR_OK;
}

/* The counts and the rate as members of the open object. */
static void json_eng(struct jw *w, const struct eng_sum *s)
{
    int64_t inter = s->v[1] + s->v[2] + s->v[3] + s->v[4];
    double rate;
    for (size_t k = 0; k < NENG; k++)
        jw_kv_i64(w, engagement_metrics[k], s->v[k]);
    jw_kv_i64(w, "interactions", inter);
    jw_key(w, "rate");
    if (analytics_engagement(s->v[1], s->v[2], s->v[3], s->v[4], s->v[0],
                             &rate))
        jw_real(w, rate);
    else
        jw_null(w);
}

/* {E..., "previous": {E...}}: a range's sums and the previous range's. */
static void json_eng_obj(struct jw *w, const struct eng_sum *s,
                         const struct eng_sum *prev)
{
    jw_object_begin(w);
    json_eng(w, s);
    jw_key(w, "previous");
    jw_object_begin(w);
    json_eng(w, prev);
    jw_object_end(w);
    jw_object_end(w);
}

/* One item's gains of the engagement metrics over r. */
static enum err item_eng(struct store *st, int64_t item_id,
                         const struct api_range *r, struct eng_sum *out)
{
    enum err rc = ERR_OK;
    memset(out, 0, sizeof *out);
    for (size_t k = 0; k < NENG && rc == ERR_OK; k++) {
        struct store_day *rows = NULL;
        size_t n = 0;
        rc = store_item_days(st, item_id, engagement_metrics[k], r->from_day,
                             r->to_day, &rows, &n);
        for (size_t i = 0; rc == ERR_OK && i < n; i++)
            if (rows[i].day >= r->from_day && rows[i].has_gain)
                out->v[k] += rows[i].gain;
        free(rows);
    }
    return rc;
}

static enum err json_eng_items(struct jw *w, struct store *st,
                               const struct api_range *r, int platform,
                               size_t limit)
{
    struct store_ranked *v = NULL;
    size_t n = 0;
    enum err rc = top_gains(st, M_VIEWS, platform, r->from_day, r->to_day,
                            limit, &v, &n);

    jw_key(w, "items");
    jw_array_begin(w);
    for (size_t i = 0; i < n && rc == ERR_OK; i++) {
        struct item *it = NULL;
        struct eng_sum s;
        rc = store_item_by_id(st, v[i].item_id, &it);
        if (rc == ERR_OK)
            rc = item_eng(st, v[i].item_id, r, &s);
        if (rc == ERR_OK) {
            jw_object_begin(w);
            item_json_fields(w, it);
            json_eng(w, &s);
            jw_object_end(w);
        }
        item_destroy(it);
    }
    jw_array_end(w);
    free(v);
    return rc;
}

void api_engagement(struct http_request *req, struct http_response *res)
{
    struct eng e;
    int64_t limit = TOP_DEFAULT;
    int platform;
    enum err rc = ERR_OK;
    struct jw w;

    memset(&e, 0, sizeof e);
    if (!api_arg_range(req, res, 28, &e.r) ||
        !api_arg_platform(req, res, &platform) ||
        !api_arg_int(req, res, "limit", 1, TOP_MAX, &limit))
        return;
    /* Both ranges in one read per metric. */
    e.prev_from = e.r.from_day - (e.r.to_day - e.r.from_day);
    for (e.k = 0; e.k < NENG && rc == ERR_OK; e.k++)
        rc = store_account_gains(req->st, engagement_metrics[e.k], platform,
                                 e.prev_from, e.r.to_day, on_eng_gain, &e);
    jw_init(&w, &res->body);
    jw_object_begin(&w);
    api_json_range(&w, &e.r, false);
    jw_key(&w, "previous");
    jw_object_begin(&w);
    api_json_range(&w, &(struct api_range){e.prev_from, e.r.from_day}, false);
    jw_object_end(&w);
    jw_key(&w, "platforms");
    jw_object_begin(&w);
    for (int p = 0; p < PLATFORM_COUNT; p++)
        if ((platform < 0 || platform == p) &&
            platform_is_social((enum platform)p)) {
            jw_key(&w, platform_name((enum platform)p));
            json_eng_obj(&w, &e.per[p], &e.prev[p]);
        }
    jw_object_end(&w);
    jw_key(&w, "total");
    json_eng_obj(&w, &e.total, &e.prev_total);
    if (rc == ERR_OK)
        rc = json_eng_items(&w, req->st, &e.r, platform, (size_t)limit);
    jw_object_end(&w);
    if (rc != ERR_OK)
        http_error(res, 500, NULL, "database error");
    else
        api_ok_json(res, &w);
}

/* ---- /api/v1/heatmap ---------------------------------------------- */

struct heat {
    struct store *st;
    struct api_range r;
    struct heatmap h;
};

static enum err on_heat_item(void *ud, const struct store_content_sum *c)
{
    struct heat *x = ud;
    int32_t day;
    if (c->published_at == TIME_NONE)
        return ERR_OK;
    day = store_day_of(x->st, c->published_at);
    if (day >= x->r.from_day && day < x->r.to_day)
        report_heatmap_add_sum(x->st, c, &x->h);
    return ERR_OK;
}

/* The 168 buckets with their means and item counts; a bucket with items
 * but fewer than min_n is "too_few" (shown as such, never the best). */
static void json_heatmap(struct jw *w, const struct heatmap *h, int64_t min_n)
{
    int best = heatmap_best(h, (uint32_t)min_n);
    double mean;

    jw_kv_i64(w, "min_n", min_n);
    jw_key(w, "buckets");
    jw_array_begin(w);
    for (int b = 0; b < 168; b++) {
        jw_object_begin(w);
        jw_kv_i64(w, "weekday", b / 24);
        jw_kv_i64(w, "hour", b % 24);
        jw_key(w, "mean");
        heatmap_mean(h, b, &mean) ? jw_real(w, mean) : jw_null(w);
        jw_kv_i64(w, "n", h->count[b]);
        jw_kv_bool(w, "too_few", h->count[b] > 0 && h->count[b] < min_n);
        jw_object_end(w);
    }
    jw_array_end(w);
    jw_key(w, "best");
    if (best >= 0 && heatmap_mean(h, best, &mean)) {
        jw_object_begin(w);
        jw_kv_i64(w, "weekday", best / 24);
        jw_kv_i64(w, "hour", best % 24);
        jw_kv_real(w, "mean", mean);
        jw_kv_i64(w, "n", h->count[best]);
        jw_object_end(w);
    } else {
        jw_null(w);
    }
}

void api_heatmap(struct http_request *req, struct http_response *res)
{
    struct heat x;
    struct jw w;
    int platform = -1;
    int64_t min_n = REPORT_MIN_SAMPLE;

    x.st = req->st;
    heatmap_init(&x.h);
    if (!api_arg_range(req, res, 28, &x.r) ||
        !api_arg_platform(req, res, &platform) ||
        !api_arg_int(req, res, "min", 1, 1000, &min_n))
        return;
    /* One statement for all content (publication, first week). */
    if (store_content_sums(req->st, platform, on_heat_item, &x) != ERR_OK) {
        http_error(res, 500, NULL, "database error");
        return;
    }
    jw_init(&w, &res->body);
    jw_object_begin(&w);
    api_json_range(&w, &x.r, false);
    jw_kv_str(&w, "zone", tz_name(store_rollup_zone(req->st)));
    jw_key(&w, "platform");
    platform >= 0 ? jw_str(&w, platform_name((enum platform)platform))
                  : jw_null(&w);
    json_heatmap(&w, &x.h, min_n);
    jw_object_end(&w);
    api_ok_json(res, &w);
}
