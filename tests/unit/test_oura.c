/* The Oura parser (sources/oura.c): every real capture in
 * ../shared/realdata/oura read in place with exact values, hand-made
 * heart rate and workout pages, and refusals that name file, item and
 * field and leave the batch empty. */
#include "testutil.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/health.h"
#include "sources/oura.h"

/* Parse the real file rel (relative to realdata/oura); false: absent. */
static bool parse_real(const char *rel, struct health_batch *b)
{
    char full[256];
    char *path;
    struct buf data, err;
    enum err rc;

    snprintf(full, sizeof full, "oura/%s", rel);
    path = tu_realdata_path(full);
    if (path == NULL)
        return false;
    buf_init(&data, (size_t)1 << 20);
    buf_init(&err, 4096);
    tu_read(path, &data);
    health_batch_init(b);
    rc = oura_parse(data.data, data.len, -1, rel, b, &err);
    if (rc != ERR_OK)
        fail_msg("%s: %s", rel, buf_cstr(&err));
    buf_free(&data);
    buf_free(&err);
    free(path);
    return true;
}

static int64_t contrib(const struct health_daily *d, const char *name)
{
    for (size_t i = 0; i < d->ncontrib; i++)
        if (strcmp(d->contrib[i].name, name) == 0)
            return d->contrib[i].value;
    fail_msg("%s %s: no contributor %s", health_kind_name(d->kind), d->day,
             name);
    return -1;
}

static void test_daily_sleep(void **state)
{
    struct health_batch b;
    (void)state;
    if (!parse_real("daily_sleep_synthetic.json", &b))
        skip();
    assert_int_equal(b.kind, HEALTH_DAILY_SLEEP);
    assert_int_equal(b.ndaily, 2);
    assert_null(b.next_token);
    assert_string_equal(b.daily[0].id, "cccccccc-0003-4000-8000-000000000001");
    assert_string_equal(b.daily[0].day, "2026-08-10");
    assert_int_equal(b.daily[0].score, 85);
    assert_int_equal(b.daily[0].ncontrib, 7);
    assert_int_equal(contrib(&b.daily[0], "deep_sleep"), 90);
    assert_int_equal(contrib(&b.daily[0], "efficiency"), 92);
    assert_int_equal(contrib(&b.daily[0], "latency"), 80);
    assert_int_equal(contrib(&b.daily[0], "rem_sleep"), 75);
    assert_int_equal(contrib(&b.daily[0], "restfulness"), 70);
    assert_int_equal(contrib(&b.daily[0], "timing"), 88);
    assert_int_equal(contrib(&b.daily[0], "total_sleep"), 84);
    assert_string_equal(b.daily[1].day, "2026-08-11");
    assert_int_equal(b.daily[1].score, 68);
    assert_int_equal(contrib(&b.daily[1], "total_sleep"), 66);
    assert_int_equal(b.daily[1].steps, HEALTH_NONE);
    health_batch_free(&b);
}

static void test_daily_readiness(void **state)
{
    struct health_batch b;
    (void)state;
    if (!parse_real("daily_readiness_synthetic.json", &b))
        skip();
    assert_int_equal(b.kind, HEALTH_DAILY_READINESS);
    assert_int_equal(b.ndaily, 2);
    assert_int_equal(b.daily[0].score, 79);
    assert_int_equal(b.daily[0].ncontrib, 8);
    assert_int_equal(contrib(&b.daily[0], "activity_balance"), 80);
    assert_int_equal(contrib(&b.daily[0], "body_temperature"), 95);
    assert_int_equal(contrib(&b.daily[0], "hrv_balance"), 72);
    assert_int_equal(contrib(&b.daily[0], "resting_heart_rate"), 88);
    assert_int_equal(contrib(&b.daily[0], "sleep_balance"), 75);
    assert_true(fabs(b.daily[0].temp_dev - -0.1) < 1e-9);
    assert_true(fabs(b.daily[0].temp_trend_dev) < 1e-9);
    assert_string_equal(b.daily[1].id, "bbbbbbbb-0002-4000-8000-000000000002");
    assert_int_equal(b.daily[1].score, 61);
    assert_int_equal(contrib(&b.daily[1], "body_temperature"), 40);
    assert_int_equal(contrib(&b.daily[1], "recovery_index"), 50);
    assert_true(fabs(b.daily[1].temp_dev - 0.6) < 1e-9);
    assert_true(fabs(b.daily[1].temp_trend_dev - 0.3) < 1e-9);
    health_batch_free(&b);
}

static void test_daily_activity(void **state)
{
    struct health_batch b;
    (void)state;
    if (!parse_real("daily_activity_synthetic.json", &b))
        skip();
    assert_int_equal(b.kind, HEALTH_DAILY_ACTIVITY);
    assert_int_equal(b.ndaily, 2);
    assert_int_equal(b.daily[0].score, 82);
    assert_int_equal(b.daily[0].steps, 8342);
    assert_int_equal(b.daily[0].active_calories, 410);
    assert_int_equal(b.daily[0].total_calories, 2510);
    assert_int_equal(b.daily[0].high_s, 720);
    assert_int_equal(b.daily[0].medium_s, 2400);
    assert_int_equal(b.daily[0].low_s, 9600);
    assert_int_equal(b.daily[0].sedentary_s, 30600);
    assert_int_equal(b.daily[0].ncontrib, 6);
    assert_int_equal(contrib(&b.daily[0], "meet_daily_targets"), 88);
    assert_int_equal(contrib(&b.daily[0], "training_volume"), 65);
    assert_int_equal(b.daily[1].score, 74);
    assert_int_equal(b.daily[1].steps, 5210);
    assert_int_equal(b.daily[1].active_calories, 260);
    assert_int_equal(contrib(&b.daily[1], "move_every_hour"), 55);
    assert_true(isnan(b.daily[1].temp_dev));
    health_batch_free(&b);
}

static void test_sleep_pages(void **state)
{
    struct health_batch b;
    (void)state;
    if (!parse_real("sleep_page1_next_token_synthetic.json", &b))
        skip();
    assert_int_equal(b.kind, HEALTH_SLEEP);
    assert_int_equal(b.nsleep, 1);
    assert_string_equal(b.next_token, "eyJwYWdlIjoxfQ==");
    assert_string_equal(b.sleep[0].id, "dddddddd-0004-4000-8000-000000000001");
    assert_string_equal(b.sleep[0].day, "2026-08-10");
    assert_string_equal(b.sleep[0].type, "long_sleep");
    /* 2026-08-09T23:14:02-07:00 = 2026-08-10T06:14:02Z */
    assert_int_equal(b.sleep[0].start, 1786342442);
    assert_int_equal(b.sleep[0].end - b.sleep[0].start, 28200);
    assert_int_equal(b.sleep[0].total_s, 27000);
    assert_int_equal(b.sleep[0].in_bed_s, 28200);
    assert_int_equal(b.sleep[0].deep_s, 5400);
    assert_int_equal(b.sleep[0].rem_s, 6300);
    assert_int_equal(b.sleep[0].light_s, 15300);
    assert_int_equal(b.sleep[0].awake_s, 1200);
    assert_int_equal(b.sleep[0].latency_s, 600);
    assert_int_equal(b.sleep[0].efficiency, 91);
    assert_int_equal(b.sleep[0].lowest_hr, 47);
    assert_int_equal(b.sleep[0].average_hrv, 42);
    assert_int_equal(b.sleep[0].restless, 3);
    assert_true(fabs(b.sleep[0].average_hr - 54.0) < 1e-9);
    assert_true(fabs(b.sleep[0].average_breath - 14.2) < 1e-9);
    health_batch_free(&b);

    assert_true(parse_real("sleep_page2_last_synthetic.json", &b));
    assert_int_equal(b.nsleep, 1);
    assert_null(b.next_token);
    assert_string_equal(b.sleep[0].day, "2026-08-11");
    assert_int_equal(b.sleep[0].total_s, 24300);
    assert_int_equal(b.sleep[0].end - b.sleep[0].start, 26100);
    assert_int_equal(b.sleep[0].lowest_hr, 51);
    assert_int_equal(b.sleep[0].average_hrv, 36);
    assert_int_equal(b.sleep[0].restless, 6);
    assert_true(fabs(b.sleep[0].average_hr - 58.5) < 1e-9);
    health_batch_free(&b);
}

static enum err parse_str(const char *doc, int kind, struct health_batch *b,
                          struct buf *err)
{
    health_batch_init(b);
    buf_reset(err);
    return oura_parse(doc, strlen(doc), kind, "page.json", b, err);
}

#define HR_PAGE                                                              \
    "{\"data\": [{\"timestamp\": \"2026-08-10T04:00:00+00:00\","             \
    " \"timestamp_unix\": 1786334400000, \"bpm\": 61, \"source\": \"awake\"},"\
    " {\"timestamp\": \"2026-08-10T04:05:00+00:00\","                        \
    " \"timestamp_unix\": 1786334700000, \"bpm\": 64, \"source\": \"rest\"}],"\
    " \"next_token\": \"abc\"}"

#define WORKOUT_PAGE                                                         \
    "{\"data\": [{\"id\": \"w1\", \"activity\": \"cycling\", \"calories\": "  \
    "312.5, \"day\": \"2026-08-10\", \"distance\": 15200.0, \"end_datetime\""\
    ": \"2026-08-10T18:45:00+02:00\", \"intensity\": \"moderate\", "         \
    "\"label\": null, \"source\": \"confirmed\", \"start_datetime\": "       \
    "\"2026-08-10T18:00:00+02:00\"}], \"next_token\": null}"

static void test_heartrate_workout(void **state)
{
    struct health_batch b;
    struct buf err;
    (void)state;
    buf_init(&err, 4096);
    assert_int_equal(parse_str(HR_PAGE, -1, &b, &err), ERR_OK);
    assert_int_equal(b.kind, HEALTH_HEARTRATE);
    assert_int_equal(b.nhr, 2);
    assert_int_equal(b.hr[0].ts, 1786334400);
    assert_int_equal(b.hr[0].bpm, 61);
    assert_string_equal(b.hr[1].source, "rest");
    assert_string_equal(b.next_token, "abc");
    health_batch_free(&b);

    assert_int_equal(parse_str(WORKOUT_PAGE, HEALTH_WORKOUT, &b, &err),
                     ERR_OK);
    assert_int_equal(b.nworkout, 1);
    assert_string_equal(b.workout[0].activity, "cycling");
    assert_string_equal(b.workout[0].intensity, "moderate");
    assert_int_equal(b.workout[0].end - b.workout[0].start, 2700);
    assert_true(fabs(b.workout[0].calories - 312.5) < 1e-9);
    assert_null(b.workout[0].label);
    health_batch_free(&b);
    /* an empty page of a known kind is fine; of an unknown one it is not */
    assert_int_equal(parse_str("{\"data\": [], \"next_token\": null}",
                               HEALTH_SLEEP, &b, &err), ERR_OK);
    assert_int_equal(health_batch_count(&b), 0);
    assert_int_equal(parse_str("{\"data\": [], \"next_token\": null}", -1,
                               &b, &err), ERR_UNSUPPORTED);
    buf_free(&err);
}

struct bad {
    const char *doc;
    int kind;
    enum err rc;
    const char *a, *b; /* parts of the message */
};

#define DS(body)                                                             \
    "{\"data\": [{\"id\": \"x1\", \"day\": \"2026-08-10\", \"timestamp\": "  \
    "\"2026-08-10T04:00:00+00:00\", " body "}], \"next_token\": null}"
#define GOOD_C "\"contributors\": {\"deep_sleep\": 90}"

static const struct bad bads[] = {
    {"{\"detail\": \"Unauthorized\"}", -1, ERR_UPSTREAM,
     "page.json: Oura API error", "Unauthorized"},
    {"{\"detail\": \"Rate limit exceeded\", \"status\": 429, \"title\": "
     "\"Too Many Requests\"}", HEALTH_SLEEP, ERR_UPSTREAM,
     "(HTTP 429 Too Many Requests)", "Rate limit exceeded"},
    {"{\"detail\": [{\"loc\": [\"query\", \"start_date\"], \"msg\": "
     "\"invalid date format\", \"type\": \"value_error\"}]}", -1,
     ERR_UPSTREAM, "field start_date", "invalid date format"},
    {DS("\"score\": 101, " GOOD_C), -1, ERR_PARSE,
     "page.json: daily_sleep 2026-08-10", "\"score\""},
    {DS("\"score\": \"85\", " GOOD_C), -1, ERR_PARSE, "daily_sleep 2026-08-10",
     "\"score\""},
    {DS("\"score\": 80, \"contributors\": {\"deep_sleep\": -3}"), -1,
     ERR_PARSE, "daily_sleep 2026-08-10", "contributors.deep_sleep"},
    {DS("\"score\": 80, \"contributors\": {\"deep_sleep\": 90, \"timing\": "
        "[1]}"), -1, ERR_PARSE, "daily_sleep 2026-08-10",
     "contributors.timing"},
    {"{\"data\": [{\"id\": \"x1\", \"day\": \"2026-02-30\", \"timestamp\": "
     "\"2026-08-10T04:00:00+00:00\", " GOOD_C "}], \"next_token\": null}", -1,
     ERR_PARSE, "page.json: daily_sleep data[0]", "2026-02-30"},
    {"{\"data\": [{\"day\": \"2026-08-10\", \"timestamp\": "
     "\"2026-08-10T04:00:00+00:00\", " GOOD_C "}], \"next_token\": null}", -1,
     ERR_PARSE, "daily_sleep 2026-08-10", "\"id\""},
    {"{\"data\": [{\"id\": \"x1\", \"day\": \"2026-08-10\", \"timestamp\": "
     "\"yesterday\", " GOOD_C "}], \"next_token\": null}", -1, ERR_PARSE,
     "daily_sleep 2026-08-10", "\"timestamp\""},
    {DS(GOOD_C), HEALTH_DAILY_READINESS, ERR_UNSUPPORTED,
     "not an Oura API v2 daily_readiness page", NULL},
    {"{\"data\": [{\"id\": \"s1\", \"day\": \"2026-08-10\", \"bedtime_start\""
     ": \"2026-08-10T01:00:00Z\", \"bedtime_end\": \"2026-08-09T23:00:00Z\", "
     "\"time_in_bed\": 100, \"low_battery_alert\": false, \"period\": 0}], "
     "\"next_token\": null}", -1, ERR_PARSE, "page.json: sleep s1",
     "bedtime_end"},
    {"{\"data\": [{\"id\": \"s1\", \"day\": \"2026-08-10\", \"bedtime_start\""
     ": \"2026-08-10T01:00:00Z\", \"bedtime_end\": \"2026-08-10T02:00:00Z\"}]"
     ", \"next_token\": null}", -1, ERR_PARSE, "sleep s1", "time_in_bed"},
    {"{\"data\": [{\"timestamp\": \"2026-08-10T04:00:00+00:00\", \"bpm\": 0, "
     "\"source\": \"awake\"}], \"next_token\": null}", -1, ERR_PARSE,
     "heartrate 2026-08-10T04:00:00+00:00", "\"bpm\""},
    {"{\"data\": [{\"timestamp\": \"2026-08-10T04:00:00+00:00\", \"bpm\": 60,"
     " \"source\": \"dream\"}], \"next_token\": null}", -1, ERR_PARSE,
     "\"source\"", "unknown value \"dream\""},
    {"{\"data\": [{\"id\": \"x1\", \"day\": \"2026-08-10\", \"timestamp\": "
     "\"2026-08-10T04:00:00+00:00\", " GOOD_C "}, 7], \"next_token\": null}",
     -1, ERR_PARSE, "page.json: daily_sleep data[1]", "expected an object"},
    {"{\"data\": [], \"next_token\": 5}", HEALTH_SLEEP, ERR_PARSE,
     "page.json", "next_token"},
    {"{\"data\": [{\"id\": \"x1\", \"day\": \"2026-08-10\"", -1, ERR_PARSE,
     "page.json: malformed JSON", NULL},
    {"{\"data\": [{\"id\": \"1\"}], \"pagination\": {}}", -1,
     ERR_UNSUPPORTED, "not an Oura API v2 collection page", NULL},
};

/* Session and daily_spo2: no realdata capture exists (realdata/oura has
 * none), so these pages are built from the OpenAPI file's PublicSession
 * and PublicDailySpO2 fields, with every field of each shape. */
#define SESSION_PAGE                                                         \
    "{\"data\": [{\"id\": \"s1\", \"day\": \"2026-08-10\", \"type\": "        \
    "\"meditation\", \"mood\": \"good\", \"start_datetime\": "               \
    "\"2026-08-10T07:00:00+02:00\", \"end_datetime\": "                      \
    "\"2026-08-10T07:12:30+02:00\", \"heart_rate\": {\"interval\": 5.0, "    \
    "\"items\": [61.0, null, 59.6], \"timestamp\": "                        \
    "\"2026-08-10T07:00:00+02:00\"}, \"heart_rate_variability\": "           \
    "{\"interval\": 5.0, \"items\": [42.0, 40.5, 44.0], \"timestamp\": "      \
    "\"2026-08-10T07:00:00+02:00\"}, \"motion_count\": null}, "               \
    "{\"id\": \"s2\", \"day\": \"2026-08-11\", \"type\": \"breathing\", "    \
    "\"mood\": null, \"start_datetime\": \"2026-08-11T21:00:00+00:00\", "    \
    "\"end_datetime\": \"2026-08-11T21:05:00+00:00\"}], "                    \
    "\"next_token\": \"t2\"}"
#define SPO2_PAGE                                                            \
    "{\"data\": [{\"id\": \"o1\", \"day\": \"2026-08-10\", "                 \
    "\"spo2_percentage\": {\"average\": 96.482}, "                           \
    "\"breathing_disturbance_index\": 7}, {\"id\": \"o2\", \"day\": "        \
    "\"2026-08-11\", \"spo2_percentage\": null, "                            \
    "\"breathing_disturbance_index\": null}], \"next_token\": null}"

static void test_session_spo2(void **state)
{
    struct health_batch b;
    struct buf err;
    (void)state;
    buf_init(&err, 4096);
    assert_true(oura_claims(SESSION_PAGE, strlen(SESSION_PAGE)));
    assert_int_equal(parse_str(SESSION_PAGE, -1, &b, &err), ERR_OK);
    assert_int_equal(b.kind, HEALTH_SESSION);
    assert_int_equal(b.nsession, 2);
    /* two sessions and s1's two heart rate samples */
    assert_int_equal(health_batch_count(&b), 4);
    assert_string_equal(b.session[0].id, "s1");
    assert_string_equal(b.session[0].day, "2026-08-10");
    assert_string_equal(b.session[0].type, "meditation");
    assert_string_equal(b.session[0].mood, "good");
    assert_int_equal(b.session[0].start, 1786338000);
    assert_int_equal(b.session[0].end - b.session[0].start, 750);
    assert_string_equal(b.session[1].type, "breathing");
    assert_null(b.session[1].mood);
    assert_int_equal(b.session[1].end - b.session[1].start, 300);
    /* s1's heart rate: a sample every 5 s from its timestamp, the null
     * skipped, rounded to whole bpm, as source "session" (the heartrate
     * collection's name); its HRV samples have no table and are not
     * kept; s2 has no heart_rate */
    assert_int_equal(b.nhr, 2);
    assert_int_equal(b.hr[0].ts, 1786338000);
    assert_int_equal(b.hr[0].bpm, 61);
    assert_string_equal(b.hr[0].source, "session");
    assert_int_equal(b.hr[1].ts, 1786338010);
    assert_int_equal(b.hr[1].bpm, 60);
    assert_string_equal(b.hr[1].source, "session");
    assert_string_equal(b.next_token, "t2");
    health_batch_free(&b);

    assert_true(oura_claims(SPO2_PAGE, strlen(SPO2_PAGE)));
    assert_int_equal(parse_str(SPO2_PAGE, -1, &b, &err), ERR_OK);
    assert_int_equal(b.kind, HEALTH_DAILY_SPO2);
    assert_int_equal(b.nspo2, 2);
    assert_string_equal(b.spo2[0].id, "o1");
    assert_string_equal(b.spo2[0].day, "2026-08-10");
    assert_true(fabs(b.spo2[0].average - 96.482) < 1e-9);
    assert_int_equal(b.spo2[0].bdi, 7);
    assert_true(isnan(b.spo2[1].average));
    assert_true(b.spo2[1].bdi == HEALTH_NONE);
    assert_null(b.next_token);
    health_batch_free(&b);

    /* each is only its own kind */
    assert_int_equal(parse_str(SESSION_PAGE, HEALTH_WORKOUT, &b, &err),
                     ERR_UNSUPPORTED);
    assert_int_equal(parse_str(SPO2_PAGE, HEALTH_DAILY_SLEEP, &b, &err),
                     ERR_UNSUPPORTED);
    assert_int_equal(parse_str(WORKOUT_PAGE, HEALTH_SESSION, &b, &err),
                     ERR_UNSUPPORTED);
    assert_int_equal(health_kind_find("session"), HEALTH_SESSION);
    assert_int_equal(health_kind_find("daily_spo2"), HEALTH_DAILY_SPO2);
    buf_free(&err);
}

/* A bad value is refused naming the file, the document and the field. */
static void refused(const char *doc, int kind, const char *want)
{
    struct health_batch b;
    struct buf err;

    buf_init(&err, 4096);
    assert_int_equal(parse_str(doc, kind, &b, &err), ERR_PARSE);
    if (strstr(buf_cstr(&err), want) == NULL)
        fail_msg("error \"%s\" lacks \"%s\"", buf_cstr(&err), want);
    assert_int_equal(health_batch_count(&b), 0);
    buf_free(&err);
}

static void test_session_spo2_refusals(void **state)
{
    (void)state;
    refused("{\"data\": [{\"id\": \"s9\", \"day\": \"2026-08-10\", \"type\": "
            "\"juggling\", \"start_datetime\": \"2026-08-10T07:00:00Z\", "
            "\"end_datetime\": \"2026-08-10T07:10:00Z\"}], "
            "\"next_token\": null}",
            HEALTH_SESSION, "page.json: session s9: field \"type\": unknown "
                            "value \"juggling\"");
    refused("{\"data\": [{\"id\": \"s9\", \"day\": \"2026-08-10\", \"type\": "
            "\"rest\", \"mood\": \"meh\", \"start_datetime\": "
            "\"2026-08-10T07:00:00Z\", \"end_datetime\": "
            "\"2026-08-10T07:10:00Z\"}], \"next_token\": null}",
            HEALTH_SESSION, "field \"mood\": unknown value \"meh\"");
    refused("{\"data\": [{\"id\": \"s9\", \"day\": \"2026-08-10\", \"type\": "
            "\"rest\", \"start_datetime\": \"2026-08-10T07:00:00Z\", "
            "\"end_datetime\": \"2026-08-10T06:10:00Z\"}], "
            "\"next_token\": null}",
            HEALTH_SESSION, "session s9: field \"end_datetime\": not within");
    /* a session's heart rate samples: a sane interval, heart rates,
     * at most a day of them */
#define SESSION_HR(hr)                                                       \
    "{\"data\": [{\"id\": \"s9\", \"day\": \"2026-08-10\", \"type\": "        \
    "\"rest\", \"start_datetime\": \"2026-08-10T07:00:00Z\", "               \
    "\"end_datetime\": \"2026-08-10T07:10:00Z\", \"heart_rate\": " hr "}], "  \
    "\"next_token\": null}"
    refused(SESSION_HR("{\"interval\": 0, \"items\": [60], \"timestamp\": "
                       "\"2026-08-10T07:00:00Z\"}"),
            HEALTH_SESSION, "session s9: field \"heart_rate.interval\": 0 s "
                            "is not between 1 s and an hour");
    refused(SESSION_HR("{\"interval\": 60, \"items\": [60, 350], "
                       "\"timestamp\": \"2026-08-10T07:00:00Z\"}"),
            HEALTH_SESSION, "field \"heart_rate.items\": item 1 is not a "
                            "heart rate of 1 to 300 bpm");
    refused(SESSION_HR("{\"interval\": 60, \"items\": [\"60\"], "
                       "\"timestamp\": \"2026-08-10T07:00:00Z\"}"),
            HEALTH_SESSION, "item 0 is not a heart rate");
    refused(SESSION_HR("{\"interval\": 3600, \"items\": [60, 60, 60, 60, 60, "
                       "60, 60, 60, 60, 60, 60, 60, 60, 60, 60, 60, 60, 60, "
                       "60, 60, 60, 60, 60, 60, 60, 60], \"timestamp\": "
                       "\"2026-08-10T07:00:00Z\"}"),
            HEALTH_SESSION, "26 samples 3600 s apart last more than a day");
    refused(SESSION_HR("{\"interval\": 60, \"items\": [60]}"),
            HEALTH_SESSION, "field \"heart_rate.timestamp\": missing");
#undef SESSION_HR
    refused("{\"data\": [{\"id\": \"o9\", \"day\": \"2026-08-10\", "
            "\"spo2_percentage\": {\"average\": 101.5}}], "
            "\"next_token\": null}",
            HEALTH_DAILY_SPO2, "daily_spo2 2026-08-10: field "
                               "\"spo2_percentage.average\"");
    refused("{\"data\": [{\"id\": \"o9\", \"day\": \"2026-08-10\", "
            "\"spo2_percentage\": {}}], \"next_token\": null}",
            HEALTH_DAILY_SPO2, "field \"spo2_percentage.average\": missing");
    refused("{\"data\": [{\"id\": \"o9\", \"day\": \"2026-08-10\", "
            "\"breathing_disturbance_index\": 140}], \"next_token\": null}",
            HEALTH_DAILY_SPO2, "field \"breathing_disturbance_index\"");
    refused("{\"data\": [{\"id\": \"o9\", \"day\": \"10/08/2026\", "
            "\"spo2_percentage\": {\"average\": 96}}], \"next_token\": null}",
            HEALTH_DAILY_SPO2, "field \"day\"");
}

static void test_refusals(void **state)
{
    struct health_batch b;
    struct buf err;
    (void)state;
    buf_init(&err, 4096);
    for (size_t i = 0; i < sizeof bads / sizeof bads[0]; i++) {
        const struct bad *x = &bads[i];
        enum err rc = parse_str(x->doc, x->kind, &b, &err);
        if (rc != x->rc)
            fail_msg("bad[%zu]: rc %d (%s), want %d", i, rc, buf_cstr(&err),
                     x->rc);
        if (health_batch_count(&b) != 0 || b.next_token != NULL)
            fail_msg("bad[%zu]: the batch is not empty", i);
        if (!strstr(buf_cstr(&err), x->a) ||
            (x->b && !strstr(buf_cstr(&err), x->b)))
            fail_msg("bad[%zu]: \"%s\" lacks \"%s\" / \"%s\"", i,
                     buf_cstr(&err), x->a, x->b ? x->b : "");
    }
    buf_free(&err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_daily_sleep),
        cmocka_unit_test(test_daily_readiness),
        cmocka_unit_test(test_daily_activity),
        cmocka_unit_test(test_sleep_pages),
        cmocka_unit_test(test_heartrate_workout),
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_session_spo2),
        cmocka_unit_test(test_session_spo2_refusals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
