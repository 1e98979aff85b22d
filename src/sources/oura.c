/* Oura API v2 collection pages (oura.h). Shapes from the OpenAPI file
 * (realdata/oura/schema/oura-openapi-1.37.json): MultiDocumentResponse
 * {"data": [...], "next_token": string|null} for the daily documents,
 * sleep periods, workouts, sessions (PublicSession) and daily SpO2
 * (PublicDailySpO2); TimeSeriesResponse for heart rate. */
#include "oura.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/jread.h"
#include "core/str.h"
#include "core/timeutil.h"

#define DAY_S 86400
#define TWO_DAYS_S (2 * DAY_S)
#define TOKEN_MAX 4096
#define SOURCE_MAX_BYTES_OURA ((size_t)64 << 20) /* one page */

/* Contributor names per daily kind (PublicSleepContributors, ...). */
static const char *const sleep_contrib[] = {
    "deep_sleep", "efficiency", "latency", "rem_sleep", "restfulness",
    "timing", "total_sleep", NULL};
static const char *const readiness_contrib[] = {
    "activity_balance", "body_temperature", "hrv_balance",
    "previous_day_activity", "previous_night", "recovery_index",
    "resting_heart_rate", "sleep_balance", "sleep_regularity", NULL};
static const char *const activity_contrib[] = {
    "meet_daily_targets", "move_every_hour", "recovery_time", "stay_active",
    "training_frequency", "training_volume", NULL};
static const char *const hr_sources[] = {"awake", "workout", "rest", "sleep",
                                         "live", "session", NULL};
static const char *const intensities[] = {"easy", "moderate", "hard", NULL};
/* PublicMomentType and PublicMomentMood */
static const char *const session_types[] = {
    "breathing", "meditation", "nap", "relaxation", "rest", "body_status",
    NULL};
static const char *const moods[] = {"bad", "worse", "same", "good", "great",
                                    NULL};
static const char *const wo_sources[] = {"manual", "autodetected",
                                         "confirmed", "workout_heart_rate",
                                         NULL};

/* The static entry of list equal to s, or NULL. */
static const char *in_list(const char *const *list, const char *s)
{
    for (; *list; list++)
        if (strcmp(*list, s) == 0)
            return *list;
    return NULL;
}

/* ---- detection ---------------------------------------------------------- */

static int kind_of_doc(const json_t *d)
{
    const json_t *c = json_object_get(d, "contributors");

    if (!json_is_object(d))
        return -1;
    if (json_is_object(c) && json_is_string(json_object_get(d, "day"))) {
        if (json_object_get(d, "steps") || json_object_get(d, "met") ||
            json_object_get(c, "meet_daily_targets"))
            return HEALTH_DAILY_ACTIVITY;
        if (json_object_get(d, "temperature_deviation") ||
            json_object_get(c, "hrv_balance"))
            return HEALTH_DAILY_READINESS;
        if (json_object_get(c, "deep_sleep") ||
            json_object_get(c, "total_sleep"))
            return HEALTH_DAILY_SLEEP;
        return -1;
    }
    if (json_object_get(d, "bedtime_start") && json_object_get(d, "day"))
        return HEALTH_SLEEP;
    if (json_object_get(d, "bpm") && json_object_get(d, "timestamp") &&
        json_object_get(d, "source"))
        return HEALTH_HEARTRATE;
    if (json_object_get(d, "activity") && json_object_get(d, "intensity") &&
        json_object_get(d, "start_datetime"))
        return HEALTH_WORKOUT;
    if (json_object_get(d, "start_datetime") &&
        json_object_get(d, "end_datetime") && json_object_get(d, "type") &&
        json_object_get(d, "day") && !json_object_get(d, "activity"))
        return HEALTH_SESSION;
    if (json_is_string(json_object_get(d, "day")) &&
        (json_object_get(d, "spo2_percentage") ||
         json_object_get(d, "breathing_disturbance_index")))
        return HEALTH_DAILY_SPO2;
    return -1;
}

int oura_detect(const json_t *root)
{
    const json_t *data = json_object_get(root, "data");
    const json_t *tok = json_object_get(root, "next_token");

    if (!json_is_object(root) || !json_is_array(data) || tok == NULL ||
        !(json_is_null(tok) || json_is_string(tok)))
        return -1;
    /* Oura pages carry nothing else (Twitch adds "pagination"). */
    if (json_object_size(root) != 2)
        return -1;
    return kind_of_doc(json_array_get(data, 0));
}

bool oura_is_error(const json_t *root)
{
    static const char *const extra[] = {"detail", "status", "title", "type",
                                        "instance", NULL};
    const json_t *detail = json_object_get(root, "detail"), *v;
    const char *key;
    size_t i;

    if (!json_is_object(root) || detail == NULL)
        return false;
    json_object_foreach((json_t *)root, key, v)
        if (in_list(extra, key) == NULL)
            return false;
    if (json_is_string(detail))
        return true;
    if (!json_is_array(detail) || json_array_size(detail) == 0)
        return false;
    json_array_foreach(detail, i, v)
        if (!json_is_string(json_object_get(v, "msg")))
            return false;
    return true;
}

/* "Oura API error (HTTP 401 Unauthorized): <detail>" into err. */
static enum err refuse_error(const json_t *root, const char *where,
                             struct buf *err)
{
    const json_t *detail = json_object_get(root, "detail");
    const json_t *status = json_object_get(root, "status");
    const json_t *title = json_object_get(root, "title");
    const json_t *v;
    size_t i;

    buf_setf(err, "%s: Oura API error", where);
    if (json_is_integer(status))
        buf_catf(err, " (HTTP %lld%s%.80s)",
                 (long long)json_integer_value(status),
                 json_is_string(title) ? " " : "",
                 json_is_string(title) ? json_string_value(title) : "");
    if (json_is_string(detail)) {
        buf_catf(err, ": %.300s", json_string_value(detail));
        return ERR_UPSTREAM;
    }
    json_array_foreach(detail, i, v) {
        const json_t *loc = json_object_get(v, "loc");
        const json_t *last = json_array_get(loc, json_array_size(loc) - 1);
        buf_catf(err, "%s%s%.80s%s%.200s", i ? "; " : ": ",
                 json_is_string(last) ? "field " : "",
                 json_is_string(last) ? json_string_value(last) : "",
                 json_is_string(last) ? ": " : "",
                 json_string_value(json_object_get(v, "msg")));
        if (i >= 4)
            break;
    }
    return ERR_UPSTREAM;
}

/* ---- field readers ------------------------------------------------------ */

static enum err read_day(struct jread *r, const json_t *d, char *out)
{
    const char *s;
    int64_t t;
    enum err rc = jread_string(r, d, "day", J_REQUIRED, HEALTH_DAY_LEN, &s);

    if (rc != ERR_OK)
        return rc;
    if (!time_is_date(s) || time_parse_iso8601(s, &t) != ERR_OK)
        return jread_fail(r, "day", "\"%s\" is not a date (YYYY-MM-DD)", s);
    memcpy(out, s, HEALTH_DAY_LEN + 1);
    return ERR_OK;
}

/* An optional integer in [lo, hi] into *out (HEALTH_NONE when absent). */
static enum err opt_int(struct jread *r, const json_t *d, const char *path,
                        int64_t lo, int64_t hi, int64_t *out)
{
    bool present = false;
    enum err rc = jread_int(r, d, path, J_OPTIONAL, lo, hi, out, &present);

    if (rc == ERR_OK && !present)
        *out = HEALTH_NONE;
    return rc;
}

/* An optional number in [lo, hi] into *out (NAN when absent). */
static enum err opt_real(struct jread *r, const json_t *d, const char *path,
                         double lo, double hi, double *out)
{
    bool present = false;
    enum err rc = jread_number(r, d, path, J_OPTIONAL, out, &present);

    if (rc != ERR_OK)
        return rc;
    if (!present) {
        *out = NAN;
        return ERR_OK;
    }
    if (!isfinite(*out) || *out < lo || *out > hi)
        return jread_fail(r, path, "%g is out of range [%g, %g]", *out, lo,
                          hi);
    return ERR_OK;
}

/* A required string from list (a static entry into *out). */
static enum err one_of(struct jread *r, const json_t *d, const char *path,
                       const char *const *list, const char **out)
{
    const char *s;
    enum err rc = jread_string(r, d, path, J_REQUIRED, 64, &s);

    if (rc != ERR_OK)
        return rc;
    *out = in_list(list, s);
    if (*out == NULL)
        return jread_fail(r, path, "unknown value \"%s\"", s);
    return ERR_OK;
}

static enum err req_time(struct jread *r, const json_t *d, const char *path,
                         int64_t *out)
{
    return jread_time(r, d, path, J_REQUIRED, out);
}

/* ---- documents ---------------------------------------------------------- */

static enum err read_contrib(struct jread *r, const json_t *d,
                             const char *const *names,
                             struct health_daily *out)
{
    json_t *c;
    char path[64];
    enum err rc = jread_object(r, d, "contributors", J_REQUIRED, &c);

    for (size_t i = 0; rc == ERR_OK && names[i]; i++) {
        int64_t v;
        snprintf(path, sizeof path, "contributors.%s", names[i]);
        rc = opt_int(r, d, path, 0, 100, &v);
        if (rc == ERR_OK && v != HEALTH_NONE &&
            out->ncontrib < HEALTH_CONTRIB_MAX) {
            out->contrib[out->ncontrib].name = names[i];
            out->contrib[out->ncontrib++].value = v;
        }
    }
    return rc;
}

static enum err read_activity(struct jread *r, const json_t *d,
                              struct health_daily *o)
{
    enum err rc = opt_int(r, d, "steps", 0, 1000000, &o->steps);

    if (rc == ERR_OK)
        rc = opt_int(r, d, "active_calories", 0, 100000, &o->active_calories);
    if (rc == ERR_OK)
        rc = opt_int(r, d, "total_calories", 0, 100000, &o->total_calories);
    if (rc == ERR_OK)
        rc = opt_int(r, d, "high_activity_time", 0, TWO_DAYS_S, &o->high_s);
    if (rc == ERR_OK)
        rc = opt_int(r, d, "medium_activity_time", 0, TWO_DAYS_S,
                     &o->medium_s);
    if (rc == ERR_OK)
        rc = opt_int(r, d, "low_activity_time", 0, TWO_DAYS_S, &o->low_s);
    if (rc == ERR_OK)
        rc = opt_int(r, d, "sedentary_time", 0, TWO_DAYS_S, &o->sedentary_s);
    return rc;
}

/* daily_sleep, daily_readiness, daily_activity. */
static enum err parse_daily(struct jread *r, const json_t *d,
                            enum health_kind kind, const char *file,
                            struct health_batch *b)
{
    static const char *const *const names[] = {
        [HEALTH_DAILY_SLEEP] = sleep_contrib,
        [HEALTH_DAILY_READINESS] = readiness_contrib,
        [HEALTH_DAILY_ACTIVITY] = activity_contrib};
    struct health_daily *o = health_batch_add_daily(b);
    const char *id;
    int64_t ts;
    enum err rc;

    o->kind = kind;
    rc = read_day(r, d, o->day);
    if (rc == ERR_OK)
        jread_where(r, "%s: %s %s", file, health_kind_name(kind), o->day);
    if (rc == ERR_OK)
        rc = jread_id(r, d, "id", J_REQUIRED, &id);
    if (rc == ERR_OK) {
        o->id = xstrdup(id);
        rc = req_time(r, d, "timestamp", &ts);
    }
    if (rc == ERR_OK)
        rc = opt_int(r, d, "score", 0, 100, &o->score);
    if (rc == ERR_OK)
        rc = read_contrib(r, d, names[kind], o);
    if (rc == ERR_OK && kind == HEALTH_DAILY_ACTIVITY)
        rc = read_activity(r, d, o);
    if (rc == ERR_OK && kind == HEALTH_DAILY_READINESS)
        rc = opt_real(r, d, "temperature_deviation", -10, 10, &o->temp_dev);
    if (rc == ERR_OK && kind == HEALTH_DAILY_READINESS)
        rc = opt_real(r, d, "temperature_trend_deviation", -10, 10,
                      &o->temp_trend_dev);
    return rc;
}

static enum err sleep_numbers(struct jread *r, const json_t *d,
                              struct health_sleep *o)
{
    static const struct {
        const char *path;
        size_t off;
        int64_t hi;
    } ints[] = {
        {"total_sleep_duration", offsetof(struct health_sleep, total_s),
         TWO_DAYS_S},
        {"deep_sleep_duration", offsetof(struct health_sleep, deep_s),
         TWO_DAYS_S},
        {"rem_sleep_duration", offsetof(struct health_sleep, rem_s),
         TWO_DAYS_S},
        {"light_sleep_duration", offsetof(struct health_sleep, light_s),
         TWO_DAYS_S},
        {"awake_time", offsetof(struct health_sleep, awake_s), TWO_DAYS_S},
        {"latency", offsetof(struct health_sleep, latency_s), TWO_DAYS_S},
        {"efficiency", offsetof(struct health_sleep, efficiency), 100},
        {"lowest_heart_rate", offsetof(struct health_sleep, lowest_hr), 300},
        {"average_hrv", offsetof(struct health_sleep, average_hrv), 1000},
        {"restless_periods", offsetof(struct health_sleep, restless), 100000},
    };
    enum err rc = ERR_OK;

    for (size_t i = 0; rc == ERR_OK && i < sizeof ints / sizeof ints[0]; i++)
        rc = opt_int(r, d, ints[i].path, 0, ints[i].hi,
                     (int64_t *)(void *)((char *)o + ints[i].off));
    if (rc == ERR_OK)
        rc = opt_real(r, d, "average_heart_rate", 0, 300, &o->average_hr);
    if (rc == ERR_OK)
        rc = opt_real(r, d, "average_breath", 0, 100, &o->average_breath);
    return rc;
}

static enum err parse_sleep(struct jread *r, const json_t *d,
                            const char *file, struct health_batch *b)
{
    struct health_sleep *o = health_batch_add_sleep(b);
    const char *id, *type = NULL;
    enum err rc = jread_id(r, d, "id", J_REQUIRED, &id);

    if (rc == ERR_OK) {
        o->id = xstrdup(id);
        jread_where(r, "%s: sleep %s", file, id);
        rc = read_day(r, d, o->day);
    }
    if (rc == ERR_OK)
        rc = jread_string(r, d, "type", J_OPTIONAL, 32, &type);
    if (rc == ERR_OK) {
        o->type = xstrdup(type);
        rc = req_time(r, d, "bedtime_start", &o->start);
    }
    if (rc == ERR_OK)
        rc = req_time(r, d, "bedtime_end", &o->end);
    if (rc == ERR_OK && (o->end < o->start || o->end - o->start > TWO_DAYS_S))
        rc = jread_fail(r, "bedtime_end", "not within two days after "
                                          "bedtime_start");
    if (rc == ERR_OK)
        rc = jread_int(r, d, "time_in_bed", J_REQUIRED, 0, TWO_DAYS_S,
                       &o->in_bed_s, NULL);
    if (rc == ERR_OK)
        rc = sleep_numbers(r, d, o);
    return rc;
}

static enum err parse_hr(struct jread *r, const json_t *d, const char *file,
                         struct health_batch *b)
{
    struct health_hr *o = health_batch_add_hr(b);
    const char *ts;
    enum err rc = jread_string(r, d, "timestamp", J_REQUIRED, 64, &ts);

    if (rc == ERR_OK) {
        jread_where(r, "%s: heartrate %s", file, ts);
        rc = req_time(r, d, "timestamp", &o->ts);
    }
    if (rc == ERR_OK)
        rc = jread_int(r, d, "bpm", J_REQUIRED, 1, 300, &o->bpm, NULL);
    if (rc == ERR_OK)
        rc = one_of(r, d, "source", hr_sources, &o->source);
    return rc;
}

static enum err parse_workout(struct jread *r, const json_t *d,
                              const char *file, struct health_batch *b)
{
    struct health_workout *o = health_batch_add_workout(b);
    const char *s = NULL;
    enum err rc = jread_id(r, d, "id", J_REQUIRED, &s);

    if (rc == ERR_OK) {
        o->id = xstrdup(s);
        jread_where(r, "%s: workout %s", file, s);
        rc = read_day(r, d, o->day);
    }
    if (rc == ERR_OK)
        rc = jread_string(r, d, "activity", J_REQUIRED, 64, &s);
    if (rc == ERR_OK) {
        o->activity = xstrdup(s);
        rc = one_of(r, d, "intensity", intensities, &o->intensity);
    }
    if (rc == ERR_OK)
        rc = one_of(r, d, "source", wo_sources, &o->source);
    if (rc == ERR_OK)
        rc = req_time(r, d, "start_datetime", &o->start);
    if (rc == ERR_OK)
        rc = req_time(r, d, "end_datetime", &o->end);
    if (rc == ERR_OK && (o->end < o->start || o->end - o->start > TWO_DAYS_S))
        rc = jread_fail(r, "end_datetime", "not within two days after "
                                           "start_datetime");
    if (rc == ERR_OK)
        rc = opt_real(r, d, "calories", 0, 100000, &o->calories);
    if (rc == ERR_OK)
        rc = opt_real(r, d, "distance", 0, 10000000, &o->distance);
    s = NULL;
    if (rc == ERR_OK)
        rc = jread_string(r, d, "label", J_OPTIONAL, 256, &s);
    if (rc == ERR_OK)
        o->label = xstrdup(s);
    return rc;
}

/* A session's heart_rate (PublicSample: a start timestamp, the interval
 * in seconds and the items, null where nothing was read) into the batch's
 * heart rate samples with source "session", the heartrate collection's own
 * name for them, so the store keeps one sample per instant. The samples
 * span at most a day; a null item is skipped. The session's
 * heart_rate_variability has no table to go to and is not read. */
static enum err parse_session_hr(struct jread *r, const json_t *d,
                                 struct health_batch *b)
{
    json_t *hr = NULL, *items = NULL, *v;
    double interval = 0;
    int64_t t0 = 0;
    size_t i;
    enum err rc = jread_object(r, d, "heart_rate", J_OPTIONAL, &hr);

    if (rc != ERR_OK || hr == NULL)
        return rc;
    rc = jread_number(r, d, "heart_rate.interval", J_REQUIRED, &interval,
                      NULL);
    if (rc == ERR_OK && !(interval >= 1 && interval <= 3600))
        rc = jread_fail(r, "heart_rate.interval",
                        "%g s is not between 1 s and an hour", interval);
    if (rc == ERR_OK)
        rc = jread_time(r, d, "heart_rate.timestamp", J_REQUIRED, &t0);
    if (rc == ERR_OK)
        rc = jread_array(r, d, "heart_rate.items", J_REQUIRED, &items);
    if (rc == ERR_OK && json_array_size(items) > 1 &&
        (double)(json_array_size(items) - 1) * interval > DAY_S)
        rc = jread_fail(r, "heart_rate.items",
                        "%zu samples %g s apart last more than a day",
                        json_array_size(items), interval);
    json_array_foreach(items, i, v) {
        struct health_hr *o;
        double bpm;
        if (rc != ERR_OK)
            break;
        if (json_is_null(v))
            continue;
        bpm = json_is_number(v) ? json_number_value(v) : -1;
        if (!(bpm >= 1 && bpm <= 300))
            return jread_fail(r, "heart_rate.items",
                              "item %zu is not a heart rate of 1 to 300 bpm",
                              i);
        o = health_batch_add_hr(b);
        o->ts = t0 + (int64_t)llround((double)i * interval);
        o->bpm = (int64_t)llround(bpm);
        o->source = in_list(hr_sources, "session");
    }
    return rc;
}

static enum err parse_session(struct jread *r, const json_t *d,
                              const char *file, struct health_batch *b)
{
    struct health_session *o = health_batch_add_session(b);
    const char *s = NULL;
    bool mood = false;
    enum err rc = jread_id(r, d, "id", J_REQUIRED, &s);

    if (rc == ERR_OK) {
        o->id = xstrdup(s);
        jread_where(r, "%s: session %s", file, s);
        rc = read_day(r, d, o->day);
    }
    if (rc == ERR_OK)
        rc = one_of(r, d, "type", session_types, &o->type);
    if (rc == ERR_OK)
        rc = jread_string(r, d, "mood", J_OPTIONAL, 64, &s);
    if (rc == ERR_OK && json_is_string(json_object_get(d, "mood")))
        mood = true;
    if (rc == ERR_OK && mood)
        rc = one_of(r, d, "mood", moods, &o->mood);
    if (rc == ERR_OK)
        rc = req_time(r, d, "start_datetime", &o->start);
    if (rc == ERR_OK)
        rc = req_time(r, d, "end_datetime", &o->end);
    if (rc == ERR_OK && (o->end < o->start || o->end - o->start > DAY_S))
        rc = jread_fail(r, "end_datetime", "not within a day after "
                                           "start_datetime");
    if (rc == ERR_OK)
        rc = parse_session_hr(r, d, b);
    return rc;
}

static enum err parse_spo2(struct jread *r, const json_t *d,
                           const char *file, struct health_batch *b)
{
    struct health_spo2 *o = health_batch_add_spo2(b);
    const char *id;
    json_t *pct = NULL;
    enum err rc = read_day(r, d, o->day);

    if (rc == ERR_OK) {
        jread_where(r, "%s: daily_spo2 %s", file, o->day);
        rc = jread_id(r, d, "id", J_REQUIRED, &id);
    }
    if (rc == ERR_OK) {
        o->id = xstrdup(id);
        rc = jread_object(r, d, "spo2_percentage", J_OPTIONAL, &pct);
    }
    /* {"average": n} or null; average required inside the object */
    if (rc == ERR_OK && pct != NULL &&
        json_object_get(pct, "average") == NULL)
        rc = jread_fail(r, "spo2_percentage.average", "missing");
    if (rc == ERR_OK)
        rc = opt_real(r, d, "spo2_percentage.average", 0, 100, &o->average);
    if (rc == ERR_OK)
        rc = opt_int(r, d, "breathing_disturbance_index", 0, 100, &o->bdi);
    return rc;
}

/* ---- pages -------------------------------------------------------------- */

static enum err parse_doc(struct jread *r, const json_t *d,
                          enum health_kind kind, const char *file,
                          struct health_batch *b)
{
    if (!json_is_object(d))
        return jread_fail(r, NULL, "expected an object, got %s",
                          jread_type_name(d));
    switch (kind) {
    case HEALTH_DAILY_SLEEP:
    case HEALTH_DAILY_READINESS:
    case HEALTH_DAILY_ACTIVITY:
        return parse_daily(r, d, kind, file, b);
    case HEALTH_SLEEP:
        return parse_sleep(r, d, file, b);
    case HEALTH_HEARTRATE:
        return parse_hr(r, d, file, b);
    case HEALTH_WORKOUT:
        return parse_workout(r, d, file, b);
    case HEALTH_SESSION:
        return parse_session(r, d, file, b);
    case HEALTH_DAILY_SPO2:
        return parse_spo2(r, d, file, b);
    case HEALTH_KIND_COUNT:
        break;
    }
    return jread_fail(r, NULL, "unknown kind");
}

/* Every document of data as kind, then next_token. */
static enum err parse_page(const json_t *root, enum health_kind kind,
                           const char *where, struct health_batch *b,
                           struct buf *err)
{
    struct jread r;
    json_t *data, *d;
    const char *tok = NULL;
    size_t i;
    enum err rc;

    jread_init(&r, err);
    jread_where(&r, "%s", where);
    b->kind = kind;
    rc = jread_array(&r, root, "data", J_REQUIRED, &data);
    if (rc == ERR_OK && json_array_size(data) > OURA_MAX_DOCS)
        rc = jread_fail(&r, "data", "%zu documents; at most %d",
                        json_array_size(data), OURA_MAX_DOCS);
    json_array_foreach(data, i, d) {
        if (rc != ERR_OK)
            break;
        jread_where(&r, "%s: %s data[%zu]", where, health_kind_name(kind), i);
        if (json_is_object(d) && kind_of_doc(d) >= 0 &&
            kind_of_doc(d) != (int)kind)
            rc = jread_fail(&r, NULL, "a %s document in a %s page",
                            health_kind_name(kind_of_doc(d)),
                            health_kind_name(kind));
        else
            rc = parse_doc(&r, d, kind, where, b);
    }
    jread_where(&r, "%s", where);
    if (rc == ERR_OK)
        rc = jread_string(&r, root, "next_token", J_OPTIONAL, TOKEN_MAX, &tok);
    if (rc == ERR_OK)
        b->next_token = xstrdup(tok);
    jread_free(&r);
    return rc;
}

bool oura_claims(const char *data, size_t len)
{
    json_t *root;
    bool yes;

    if (len > SOURCE_MAX_BYTES_OURA)
        return false;
    root = json_loadb(data, len, JSON_REJECT_DUPLICATES, NULL);
    yes = root != NULL && (oura_detect(root) >= 0 || oura_is_error(root));
    json_decref(root);
    return yes;
}

enum err oura_parse(const char *data, size_t len, int kind, const char *where,
                    struct health_batch *out, struct buf *err)
{
    json_error_t je;
    json_t *root = NULL;
    int seen;
    enum err rc = ERR_OK;

    health_batch_free(out);
    if (where == NULL)
        where = "response";
    if (len > SOURCE_MAX_BYTES_OURA) {
        buf_setf(err, "%s: %zu bytes; at most %zu", where, len,
                 (size_t)SOURCE_MAX_BYTES_OURA);
        return ERR_TOOBIG;
    }
    root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &je);
    if (root == NULL) {
        buf_setf(err, "%s: malformed JSON at line %d column %d: %s", where,
                 je.line, je.column, je.text);
        return ERR_PARSE;
    }
    if (oura_is_error(root)) {
        rc = refuse_error(root, where, err);
        goto out;
    }
    seen = oura_detect(root);
    if (kind < 0)
        kind = seen;
    if (kind < 0 || kind >= HEALTH_KIND_COUNT || (seen >= 0 && seen != kind)) {
        buf_setf(err, "%s: not an Oura API v2 %s page", where,
                 kind >= 0 ? health_kind_name((enum health_kind)kind)
                           : "collection");
        rc = ERR_UNSUPPORTED;
        goto out;
    }
    rc = parse_page(root, (enum health_kind)kind, where, out, err);
out:
    if (rc != ERR_OK)
        health_batch_free(out);
    json_decref(root);
    return rc;
}
