/* Health data (Oura) in the API: /api/v1/health/status, /days and
 * /compare. Personal data: every route is for a login session only
 * (ROUTE_SESSION_ONLY): an API token, whatever its scope, is refused, so
 * a script holding a read token for the social API never reads health
 * data. Read-only; nothing here touches the social tables except the
 * comparison, which reads the owned content's first-day views. */
#include <math.h>
#include <string.h>

#include "analytics/healthperf.h"
#include "core/jsonw.h"
#include "core/timeutil.h"
#include "http/api_args.h"
#include "http/route.h"
#include "platforms/platform.h"
#include "store/store_health.h"

#define HEALTH_DEFAULT_DAYS 28

static void db_error(struct http_response *res)
{
    buf_reset(&res->body);
    http_error(res, 500, NULL, "database error");
}

static void api_health_status(struct http_request *req,
                              struct http_response *res)
{
    const struct platform_desc *src = platform_health_source();
    struct store_health_counts c;
    struct buf err;
    struct jw w;

    buf_init(&err, 1024);
    if (store_health_count(req->st, src != NULL ? src->name : NULL, &c,
                           &err) != ERR_OK) {
        db_error(res);
        goto out;
    }
    jw_init(&w, &res->body);
    jw_object_begin(&w);
    jw_kv_bool(&w, "has_data", c.daily + c.sleep + c.hr + c.workout +
                                   c.session + c.spo2 > 0);
    jw_kv_bool(&w, "connected", c.connection > 0);
    jw_kv_i64(&w, "daily", c.daily);
    jw_kv_i64(&w, "sleep", c.sleep);
    jw_kv_i64(&w, "heartrate", c.hr);
    jw_kv_i64(&w, "workout", c.workout);
    jw_kv_i64(&w, "session", c.session);
    jw_kv_i64(&w, "spo2", c.spo2);
    jw_object_end(&w);
    api_ok_json(res, &w);
out:
    buf_free(&err);
}

static void kv_opt(struct jw *w, const char *key, int64_t v)
{
    jw_key(w, key);
    if (v == HEALTH_NONE)
        jw_null(w);
    else
        jw_i64(w, v);
}

static enum err day_json(const struct store_health_day *d, void *ud)
{
    struct jw *w = ud;
    bool has_hr;

    jw_object_begin(w);
    jw_kv_str(w, "day", d->day);
    kv_opt(w, "sleep_score", d->sleep_score);
    kv_opt(w, "readiness_score", d->readiness_score);
    kv_opt(w, "activity_score", d->activity_score);
    kv_opt(w, "steps", d->steps);
    kv_opt(w, "active_calories", d->active_calories);
    kv_opt(w, "sleep_s", d->sleep_s);
    kv_opt(w, "in_bed_s", d->in_bed_s);
    kv_opt(w, "deep_s", d->deep_s);
    kv_opt(w, "rem_s", d->rem_s);
    kv_opt(w, "light_s", d->light_s);
    kv_opt(w, "lowest_hr", d->lowest_hr);
    jw_kv_real(w, "average_hrv", d->average_hrv);
    jw_kv_real(w, "temperature_deviation", d->temp_dev);
    jw_kv_real(w, "spo2_average", d->spo2);
    jw_kv_i64(w, "sessions", d->sessions);
    jw_kv_i64(w, "session_s", d->session_s);
    /* No figure without samples or workouts behind it: a backend that
     * does not fill these (zeros) answers null, not a 0 bpm. */
    has_hr = d->hr_samples > 0;
    kv_opt(w, "hr_min", has_hr ? d->hr_min : HEALTH_NONE);
    jw_kv_real(w, "hr_avg", has_hr ? d->hr_avg : NAN);
    kv_opt(w, "hr_max", has_hr ? d->hr_max : HEALTH_NONE);
    jw_kv_i64(w, "hr_samples", d->hr_samples);
    jw_kv_i64(w, "workouts", d->workouts);
    jw_kv_i64(w, "workout_s", d->workout_s);
    jw_kv_real(w, "workout_calories",
               d->workouts > 0 ? d->workout_calories : NAN);
    jw_object_end(w);
    return w->status; /* nested: jw_status would call it unbalanced */
}

static void api_health_days(struct http_request *req,
                            struct http_response *res)
{
    struct api_range r;
    struct buf from, to, err;
    struct jw w;
    enum err rc;

    if (!api_arg_range(req, res, HEALTH_DEFAULT_DAYS, &r))
        return;
    buf_init(&from, 16);
    buf_init(&to, 16);
    buf_init(&err, 1024);
    jw_init(&w, &res->body);
    jw_object_begin(&w);
    api_json_range(&w, &r, false);
    jw_key(&w, "days");
    jw_array_begin(&w);
    rc = time_format_day(r.from_day, &from);
    if (rc == ERR_OK)
        rc = time_format_day(r.to_day - 1, &to);
    if (rc == ERR_OK)
        rc = store_health_days(req->st, buf_cstr(&from), buf_cstr(&to),
                               day_json, &w, &err);
    jw_array_end(&w);
    jw_object_end(&w);
    if (rc != ERR_OK)
        db_error(res);
    else
        api_ok_json(res, &w);
    buf_free(&from);
    buf_free(&to);
    buf_free(&err);
}

static void group_json(struct jw *w, const char *key,
                       const struct healthperf_group *g)
{
    jw_key(w, key);
    jw_object_begin(w);
    jw_kv_i64(w, "days", g->days);
    jw_kv_i64(w, "items", g->items);
    jw_kv_real(w, "avg_first_day_views", g->avg_views);
    jw_object_end(w);
}

static void api_health_compare(struct http_request *req,
                               struct http_response *res)
{
    struct api_range r;
    struct healthperf h;
    struct buf err;
    struct jw w;

    if (!api_arg_range(req, res, HEALTH_DEFAULT_DAYS, &r))
        return;
    buf_init(&err, 1024);
    if (healthperf_build(req->st, r.from_day, r.to_day, &h, &err) != ERR_OK) {
        db_error(res);
        goto out;
    }
    jw_init(&w, &res->body);
    jw_object_begin(&w);
    api_json_range(&w, &r, false);
    jw_kv_i64(&w, "high_at_least", HEALTHPERF_HIGH);
    jw_kv_i64(&w, "low_below", HEALTHPERF_LOW);
    jw_kv_i64(&w, "score_days", h.score_days);
    jw_key(&w, "readiness");
    jw_object_begin(&w);
    group_json(&w, "high", &h.readiness_high);
    group_json(&w, "low", &h.readiness_low);
    jw_object_end(&w);
    jw_key(&w, "sleep");
    jw_object_begin(&w);
    group_json(&w, "high", &h.sleep_high);
    group_json(&w, "low", &h.sleep_low);
    jw_object_end(&w);
    jw_kv_str(&w, "note", "Averages side by side, not causes: many things "
                          "change a day's views.");
    jw_object_end(&w);
    api_ok_json(res, &w);
out:
    buf_free(&err);
}

const struct route http_health_routes[] = {
    {"GET", "/api/v1/health/status", api_health_status, ROUTE_SESSION_ONLY},
    {"GET", "/api/v1/health/days", api_health_days, ROUTE_SESSION_ONLY},
    {"GET", "/api/v1/health/compare", api_health_compare,
     ROUTE_SESSION_ONLY},
    {NULL, NULL, NULL, 0},
};
