/* Private to src/http: checked query arguments and JSON helpers shared by
 * the API handlers (api.c, api_series.c, api_import.c). Every function
 * that returns bool returns false after filling res with a 400 that names
 * the parameter; the handler then just returns. */
#ifndef MEDIADASH_HTTP_API_ARGS_H
#define MEDIADASH_HTTP_API_ARGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "core/jsonw.h"
#include "core/model.h"
#include "http/http.h"

#define API_RANGE_MAX_DAYS 3660
#define API_METRICS_MAX 8

/* Mark res as JSON, or turn it into a 500 when the writer failed. */
void api_ok_json(struct http_response *res, struct jw *w);

/* An optional integer argument in [lo, hi]; *out untouched when absent. */
bool api_arg_int(struct http_request *req, struct http_response *res,
                 const char *name, int64_t lo, int64_t hi, int64_t *out);
/* The optional platform argument: enum platform, or -1 when absent. */
bool api_arg_platform(struct http_request *req, struct http_response *res,
                      int *out);
/* An optional metric name argument; *out (borrowed for the request) keeps
 * its value when absent. */
bool api_arg_metric(struct http_request *req, struct http_response *res,
                    const char *name, const char **out);

/* Rollup days [from_day, to_day). */
struct api_range {
    int32_t from_day, to_day;
};
/* The range of a dashboard query, as /api/v1/report takes it:
 * range=Nd (1..3660 days ending today; default_days when absent), or
 * from=YYYY-MM-DD and/or to=YYYY-MM-DD, inclusive (to defaults to today,
 * from to `range` days before to). 1..3660 days, from not after to. */
bool api_arg_range(struct http_request *req, struct http_response *res,
                   int32_t default_days, struct api_range *out);

/* A list of metric names, at most API_METRICS_MAX, each valid and
 * distinct. The names are copies owned by the list. */
struct api_metrics {
    char name[API_METRICS_MAX][METRIC_NAME_MAX + 1];
    size_t n;
};
/* Parse "views,likes" from argument `name`, or dflt (same syntax) when
 * absent. */
bool api_arg_metrics(struct http_request *req, struct http_response *res,
                     const char *name, const char *dflt,
                     struct api_metrics *out);

/* "key": "YYYY-MM-DD" of rollup day `day`. */
void api_json_day(struct jw *w, const char *key, int32_t day);
/* "from", "to" (inclusive) and "days": ["YYYY-MM-DD", ...] of r. */
void api_json_range(struct jw *w, const struct api_range *r,
                    bool with_days);

/* Whether every member of the JSON object o is one of keys[0..n); else
 * answers 400 naming the first other one and returns false. */
bool api_json_known_keys(json_t *o, const char *const *keys, size_t n,
                         struct http_response *res);

#endif
