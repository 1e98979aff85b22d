/* Checked query arguments shared by the API handlers (api_args.h). */
#include "http/api_args.h"

#include <string.h>

#include "analytics/report.h"
#include "core/str.h"
#include "core/timeutil.h"
#include "platforms/platform.h"

void api_ok_json(struct http_response *res, struct jw *w)
{
    if (jw_status(w) != ERR_OK)
        http_error(res, 500, NULL, "response too large");
    res->content_type = "application/json";
}

bool api_arg_int(struct http_request *req, struct http_response *res,
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

bool api_arg_platform(struct http_request *req, struct http_response *res,
                      int *out)
{
    const char *v = http_arg(req, "platform");
    enum platform p;
    *out = -1;
    if (v == NULL || *v == '\0')
        return true;
    if (platform_from_name(v, &p) != ERR_OK || !platform_is_social(p)) {
        struct buf names;
        buf_init(&names, 1024);
        if (platform_names_join(&names, true, ", ", " or ") != ERR_OK)
            buf_reset(&names);
        http_error(res, 400, "platform", "platform must be %s",
                   buf_cstr(&names));
        buf_free(&names);
        return false;
    }
    *out = (int)p;
    return true;
}

bool api_arg_metric(struct http_request *req, struct http_response *res,
                    const char *name, const char **out)
{
    const char *v = http_arg(req, name);
    if (v == NULL)
        return true;
    if (!metric_name_valid(v)) {
        http_error(res, 400, name, "%s must be a metric name such as views",
                   name);
        return false;
    }
    *out = v;
    return true;
}

/* A day argument; *out stays INT32_MIN when absent. */
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
    /* A date names a rollup day directly; an instant falls on one. */
    *out = time_is_date(v) ? (int32_t)(t / 86400) : store_day_of(req->st, t);
    return true;
}

bool api_arg_range(struct http_request *req, struct http_response *res,
                   int32_t default_days, struct api_range *out)
{
    const char *range = http_arg(req, "range");
    int32_t days = default_days, from = INT32_MIN, to = INT32_MIN;
    int64_t span;

    if (range != NULL && report_parse_range(range, &days) != ERR_OK) {
        http_error(res, 400, "range", "range must look like 7d, 28d or 365d");
        return false;
    }
    if (!arg_day(req, res, "from", &from) || !arg_day(req, res, "to", &to))
        return false;
    out->to_day = to != INT32_MIN ? to + 1
                                  : store_day_of(req->st, time_now()) + 1;
    out->from_day = from != INT32_MIN ? from : out->to_day - days;
    span = (int64_t)out->to_day - out->from_day;
    if (span <= 0) {
        http_error(res, 400, "from", "from must not be after to");
        return false;
    }
    if (span > API_RANGE_MAX_DAYS) {
        http_error(res, 400, "from", "a range covers 1 to %d days, not %lld",
                   API_RANGE_MAX_DAYS, (long long)span);
        return false;
    }
    return true;
}

static bool metrics_add(struct http_response *res, const char *param,
                        const char *s, size_t n, struct api_metrics *out)
{
    char *name;
    if (out->n >= API_METRICS_MAX) {
        http_error(res, 400, param, "%s names at most %d metrics", param,
                   API_METRICS_MAX);
        return false;
    }
    if (n == 0 || n > METRIC_NAME_MAX) {
        http_error(res, 400, param, "%s must be metric names separated by "
                   "commas", param);
        return false;
    }
    name = out->name[out->n];
    memcpy(name, s, n);
    name[n] = '\0';
    if (!metric_name_valid(name)) {
        http_error(res, 400, param, "%s must be metric names separated by "
                   "commas", param);
        return false;
    }
    for (size_t i = 0; i < out->n; i++)
        if (strcmp(out->name[i], name) == 0) {
            http_error(res, 400, param, "%s names %s twice", param, name);
            return false;
        }
    out->n++;
    return true;
}

bool api_arg_metrics(struct http_request *req, struct http_response *res,
                     const char *name, const char *dflt,
                     struct api_metrics *out)
{
    const char *v = http_arg(req, name);
    const char *p;

    out->n = 0;
    if (v == NULL)
        v = dflt;
    for (p = v;; p++) {
        if (*p != ',' && *p != '\0')
            continue;
        if (!metrics_add(res, name, v, (size_t)(p - v), out))
            return false;
        if (*p == '\0')
            break;
        v = p + 1;
    }
    return true;
}

void api_json_day(struct jw *w, const char *key, int32_t day)
{
    struct buf b;
    buf_init(&b, 32);
    if (time_format_day(day, &b) != ERR_OK)
        buf_reset(&b);
    if (key != NULL)
        jw_key(w, key);
    jw_str(w, buf_cstr(&b));
    buf_free(&b);
}

void api_json_range(struct jw *w, const struct api_range *r,
                    bool with_days)
{
    api_json_day(w, "from", r->from_day);
    api_json_day(w, "to", r->to_day - 1);
    if (!with_days)
        return;
    jw_key(w, "days");
    jw_array_begin(w);
    for (int32_t d = r->from_day; d < r->to_day; d++)
        api_json_day(w, NULL, d);
    jw_array_end(w);
}

bool api_json_known_keys(json_t *o, const char *const *keys, size_t n,
                         struct http_response *res)
{
    const char *k;
    json_t *v;

    json_object_foreach(o, k, v)
    {
        bool known = false;
        for (size_t i = 0; i < n && !known; i++)
            known = strcmp(k, keys[i]) == 0;
        if (!known) {
            http_error(res, 400, "body", "unknown member \"%.64s\"", k);
            return false;
        }
    }
    return true;
}
