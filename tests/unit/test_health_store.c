/* The health tables (store_health.h, migrations 0027, 0032) on a real SQLite
 * file: pages stored with exact values, re-imports replacing rows and
 * never duplicating, a failing page storing nothing, the per-day view,
 * and removal taking the Oura connection and nothing else. */
#include "testutil.h"

#include <math.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/health.h"
#include "sources/oura.h"
#include "store/store.h"
#include "store/store_health.h"

#define NOW 1786500000

static void put_real(struct tu_store_fx *fx, const char *rel,
                     struct store_health_put *put)
{
    char full[256];
    char *path;
    struct health_batch b;
    struct buf data;

    snprintf(full, sizeof full, "oura/%s", rel);
    path = tu_realdata_path(full);
    assert_non_null(path);
    buf_init(&data, (size_t)1 << 20);
    tu_read(path, &data);
    health_batch_init(&b);
    assert_int_equal(oura_parse(data.data, data.len, -1, rel, &b, &fx->err),
                     ERR_OK);
    assert_int_equal(store_health_put(fx->st, &b, NOW, put, &fx->err),
                     ERR_OK);
    health_batch_free(&b);
    buf_free(&data);
    free(path);
}

static void put_all(struct tu_store_fx *fx, size_t *added)
{
    static const char *const files[] = {
        "daily_sleep_synthetic.json", "daily_readiness_synthetic.json",
        "daily_activity_synthetic.json",
        "sleep_page1_next_token_synthetic.json",
        "sleep_page2_last_synthetic.json"};
    struct store_health_put put;

    *added = 0;
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        put_real(fx, files[i], &put);
        *added += put.added;
    }
}

static void sql(struct tu_store_fx *fx, const char *q)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open(fx->path, &db), SQLITE_OK);
    if (sqlite3_exec(db, q, NULL, NULL, NULL) != SQLITE_OK)
        fail_msg("%s: %s", q, sqlite3_errmsg(db));
    sqlite3_close(db);
}

struct days {
    struct store_health_day d[8];
    size_t n;
};

static enum err on_day(const struct store_health_day *d, void *ud)
{
    struct days *x = ud;
    assert_true(x->n < 8);
    x->d[x->n++] = *d;
    return ERR_OK;
}

static void test_put_and_days(void **state)
{
    struct tu_store_fx *fx = *state;
    struct store_health_counts c;
    struct days x = {.n = 0};
    size_t added;
    char *root = tu_realdata_path("");

    if (root == NULL)
        skip();
    free(root);
    put_all(fx, &added);
    assert_int_equal(added, 8); /* 6 daily documents, 2 sleep periods */
    assert_int_equal(store_health_count(fx->st, "oura", &c, &fx->err), ERR_OK);
    assert_int_equal(c.daily, 6);
    assert_int_equal(c.contrib, 2 * 7 + 2 * 8 + 2 * 6);
    assert_int_equal(c.sleep, 2);
    assert_int_equal(c.hr + c.workout + c.connection, 0);
    assert_int_equal(store_health_days(fx->st, NULL, NULL, on_day, &x,
                                       &fx->err), ERR_OK);
    assert_int_equal(x.n, 2);
    assert_string_equal(x.d[0].day, "2026-08-10");
    assert_int_equal(x.d[0].sleep_score, 85);
    assert_int_equal(x.d[0].readiness_score, 79);
    assert_int_equal(x.d[0].activity_score, 82);
    assert_int_equal(x.d[0].steps, 8342);
    assert_int_equal(x.d[0].sleep_s, 27000);
    assert_int_equal(x.d[0].lowest_hr, 47);
    assert_true(fabs(x.d[0].temp_dev - -0.1) < 1e-9);
    assert_string_equal(x.d[1].day, "2026-08-11");
    assert_int_equal(x.d[1].readiness_score, 61);
    assert_int_equal(x.d[1].deep_s, 4500);
    assert_true(fabs(x.d[1].average_hrv - 36) < 1e-9);
    /* a range of one day */
    x.n = 0;
    assert_int_equal(store_health_days(fx->st, "2026-08-11", "2026-08-11",
                                       on_day, &x, &fx->err), ERR_OK);
    assert_int_equal(x.n, 1);
    assert_int_equal(x.d[0].sleep_score, 68);
}

/* The same pages again: every document replaces its row. */
static void test_reimport_no_duplicates(void **state)
{
    struct tu_store_fx *fx = *state;
    struct store_health_counts c;
    struct store_health_put put;
    size_t added;
    char *root = tu_realdata_path("");

    if (root == NULL)
        skip();
    free(root);
    put_all(fx, &added);
    put_all(fx, &added);
    assert_int_equal(added, 0);
    put_real(fx, "daily_sleep_synthetic.json", &put);
    assert_int_equal(put.docs, 2);
    assert_int_equal(put.added, 0);
    assert_int_equal(put.replaced, 2);
    assert_int_equal(store_health_count(fx->st, "oura", &c, &fx->err), ERR_OK);
    assert_int_equal(c.daily, 6);
    assert_int_equal(c.contrib, 42);
    assert_int_equal(c.sleep, 2);
}

/* A revised day replaces the stored one, contributors included. */
static void test_revised_day(void **state)
{
    struct tu_store_fx *fx = *state;
    struct health_batch b;
    struct store_health_put put;
    struct store_health_counts c;
    struct health_daily *d;
    struct days x = {.n = 0};

    health_batch_init(&b);
    b.kind = HEALTH_DAILY_SLEEP;
    d = health_batch_add_daily(&b);
    d->kind = HEALTH_DAILY_SLEEP;
    d->id = strdup("a");
    memcpy(d->day, "2026-08-12", 11);
    d->score = 70;
    d->ncontrib = 2;
    d->contrib[0].name = "timing";
    d->contrib[0].value = 50;
    d->contrib[1].name = "latency";
    d->contrib[1].value = 60;
    assert_int_equal(store_health_put(fx->st, &b, NOW, &put, &fx->err),
                     ERR_OK);
    d->score = 74;
    d->ncontrib = 1;
    assert_int_equal(store_health_put(fx->st, &b, NOW + 60, &put, &fx->err),
                     ERR_OK);
    assert_int_equal(put.replaced, 1);
    assert_int_equal(store_health_count(fx->st, "oura", &c, &fx->err), ERR_OK);
    assert_int_equal(c.daily, 1);
    assert_int_equal(c.contrib, 1);
    assert_int_equal(store_health_days(fx->st, NULL, NULL, on_day, &x,
                                       &fx->err), ERR_OK);
    assert_int_equal(x.n, 1);
    assert_int_equal(x.d[0].sleep_score, 74);
    /* a page that fails half-way stores none of it */
    d->score = 200; /* the table's CHECK refuses it */
    d = health_batch_add_daily(&b);
    d->kind = HEALTH_DAILY_SLEEP;
    d->id = strdup("b");
    memcpy(d->day, "2026-08-13", 11);
    b.daily[0].score = 150;
    assert_int_equal(store_health_put(fx->st, &b, NOW, &put, &fx->err),
                     ERR_DB);
    assert_int_equal(store_health_count(fx->st, "oura", &c, &fx->err), ERR_OK);
    assert_int_equal(c.daily, 1);
    health_batch_free(&b);
}

static void test_remove(void **state)
{
    struct tu_store_fx *fx = *state;
    struct store_health_counts c, had;
    size_t added;
    char *root = tu_realdata_path("");

    if (root == NULL)
        skip();
    free(root);
    put_all(fx, &added);
    sql(fx, "INSERT INTO credential(platform, account, access_token, "
            "updated_at) VALUES ('oura', 'me', 'sealed', 1), "
            "('youtube', 'UC1', 'sealed', 1);"
            "INSERT INTO collect_job(platform, account, kind, next_due) "
            "VALUES ('oura', 'me', 'account', 1), "
            "('youtube', 'UC1', 'account', 1)");
    assert_int_equal(store_health_remove(fx->st, "oura", &had, &fx->err), ERR_OK);
    assert_int_equal(had.daily, 6);
    assert_int_equal(had.sleep, 2);
    assert_int_equal(had.connection, 2);
    assert_int_equal(store_health_count(fx->st, "oura", &c, &fx->err), ERR_OK);
    assert_int_equal(c.daily + c.contrib + c.sleep + c.hr + c.workout +
                         c.connection, 0);
    /* the YouTube connection stays */
    sql(fx, "CREATE TABLE t AS SELECT count(*) AS n FROM credential "
            "WHERE platform = 'youtube'");
    {
        sqlite3 *db;
        sqlite3_stmt *st;
        assert_int_equal(sqlite3_open(fx->path, &db), SQLITE_OK);
        assert_int_equal(sqlite3_prepare_v2(db, "SELECT n FROM t", -1, &st,
                                            NULL), SQLITE_OK);
        assert_int_equal(sqlite3_step(st), SQLITE_ROW);
        assert_int_equal(sqlite3_column_int(st, 0), 1);
        sqlite3_finalize(st);
        sqlite3_close(db);
    }
}

/* Sessions and daily SpO2 (migration 0032): stored, replaced on a
 * re-put, in the per-day view (SpO2 average, session count and seconds;
 * a day with only a session is a day), and removed with the rest; a
 * NULL source counts and removes no connection row. */
static void test_session_spo2(void **state)
{
    struct tu_store_fx *fx = *state;
    struct health_batch b;
    struct store_health_put put;
    struct store_health_counts c;
    struct days x = {.n = 0};
    struct health_session *se;
    struct health_spo2 *sp;

    health_batch_init(&b);
    b.kind = HEALTH_SESSION;
    for (int i = 0; i < 3; i++) {
        se = health_batch_add_session(&b);
        se->id = xstrdup(i == 0 ? "s0" : i == 1 ? "s1" : "s2");
        memcpy(se->day, i < 2 ? "2026-08-10" : "2026-08-12", 11);
        se->type = "meditation";
        se->mood = i == 0 ? "good" : NULL;
        se->start = 1786334400 + i * 3600;
        se->end = se->start + 300 * (i + 1);
    }
    sp = health_batch_add_spo2(&b);
    sp->id = xstrdup("o1");
    memcpy(sp->day, "2026-08-10", 11);
    sp->average = 96.5;
    sp->bdi = 4;
    assert_int_equal(store_health_put(fx->st, &b, NOW, &put, &fx->err),
                     ERR_OK);
    assert_int_equal(put.docs, 4);
    assert_int_equal(put.added, 4);
    sp->average = 95.0; /* Oura revised the night */
    assert_int_equal(store_health_put(fx->st, &b, NOW, &put, &fx->err),
                     ERR_OK);
    assert_int_equal(put.added, 0);
    assert_int_equal(put.replaced, 4);
    health_batch_free(&b);
    assert_int_equal(store_health_count(fx->st, NULL, &c, &fx->err), ERR_OK);
    assert_int_equal(c.session, 3);
    assert_int_equal(c.spo2, 1);
    assert_int_equal(store_health_days(fx->st, NULL, NULL, on_day, &x,
                                       &fx->err), ERR_OK);
    assert_int_equal(x.n, 2);
    assert_string_equal(x.d[0].day, "2026-08-10");
    assert_true(fabs(x.d[0].spo2 - 95.0) < 1e-9);
    assert_int_equal(x.d[0].sessions, 2);
    assert_int_equal(x.d[0].session_s, 900);
    assert_true(x.d[0].sleep_score == HEALTH_NONE);
    assert_string_equal(x.d[1].day, "2026-08-12");
    assert_true(isnan(x.d[1].spo2));
    assert_int_equal(x.d[1].sessions, 1);
    assert_int_equal(x.d[1].session_s, 900);
    sql(fx, "INSERT INTO credential(platform, account, access_token, "
            "updated_at) VALUES ('oura', 'me', 'sealed', 1)");
    assert_int_equal(store_health_remove(fx->st, NULL, &c, &fx->err), ERR_OK);
    assert_int_equal(c.session + c.spo2, 4);
    assert_int_equal(c.connection, 0);
    assert_int_equal(store_health_count(fx->st, "oura", &c, &fx->err),
                     ERR_OK);
    assert_int_equal(c.session + c.spo2, 0);
    assert_int_equal(c.connection, 1); /* a NULL source removed none */
}

/* One page (a string) through the parser into the store. */
static void put_str(struct tu_store_fx *fx, const char *page)
{
    struct health_batch b;
    struct store_health_put put;

    health_batch_init(&b);
    assert_int_equal(oura_parse(page, strlen(page), -1, "page.json", &b,
                                &fx->err), ERR_OK);
    assert_int_equal(store_health_put(fx->st, &b, NOW, &put, &fx->err),
                     ERR_OK);
    health_batch_free(&b);
}

#define HR_PAGE                                                              \
    "{\"data\": [{\"bpm\": 60, \"source\": \"awake\", \"timestamp\": "          \
    "\"2026-08-12T10:00:00+00:00\"}, {\"bpm\": 90, \"source\": \"awake\", "      \
    "\"timestamp\": \"2026-08-12T10:05:00+00:00\"}, {\"bpm\": 51, \"source\": "  \
    "\"rest\", \"timestamp\": \"2026-08-12T23:59:59+00:00\"}, {\"bpm\": 70, "    \
    "\"source\": \"rest\", \"timestamp\": \"2026-08-13T00:00:00+00:00\"}], "     \
    "\"next_token\": null}"
#define SESSION_HR_PAGE                                                      \
    "{\"data\": [{\"id\": \"m1\", \"day\": \"2026-08-12\", \"type\": "        \
    "\"meditation\", \"start_datetime\": \"2026-08-12T07:00:00+00:00\", "     \
    "\"end_datetime\": \"2026-08-12T07:10:00+00:00\", \"heart_rate\": "       \
    "{\"interval\": 60, \"items\": [66, null, 64], \"timestamp\": "           \
    "\"2026-08-12T07:00:00+00:00\"}}], \"next_token\": null}"
#define WORKOUT_PAGE_2                                                       \
    "{\"data\": [{\"id\": \"w1\", \"day\": \"2026-08-12\", \"activity\": "    \
    "\"running\", \"intensity\": \"hard\", \"source\": \"manual\", "           \
    "\"calories\": 420.5, \"start_datetime\": \"2026-08-12T17:00:00+00:00\", "\
    "\"end_datetime\": \"2026-08-12T17:45:00+00:00\"}, {\"id\": \"w2\", "      \
    "\"day\": \"2026-08-12\", \"activity\": \"walking\", \"intensity\": "      \
    "\"easy\", \"source\": \"autodetected\", \"start_datetime\": "            \
    "\"2026-08-12T19:00:00+00:00\", \"end_datetime\": "                       \
    "\"2026-08-12T19:30:00+00:00\"}], \"next_token\": null}"

/* The per-day heart rate (every source, a session's samples included,
 * by the sample's UTC day) and workouts (count, time, calories). */
static void test_days_hr_workouts(void **state)
{
    struct tu_store_fx *fx = *state;
    struct store_health_counts c;
    struct days x = {.n = 0};

    put_str(fx, HR_PAGE);
    put_str(fx, SESSION_HR_PAGE);
    put_str(fx, SESSION_HR_PAGE); /* again: the samples replace theirs */
    put_str(fx, WORKOUT_PAGE_2);
    assert_int_equal(store_health_count(fx->st, "oura", &c, &fx->err), ERR_OK);
    assert_int_equal(c.hr, 6);
    assert_int_equal(c.session, 1);
    assert_int_equal(c.workout, 2);
    assert_int_equal(store_health_days(fx->st, NULL, NULL, on_day, &x,
                                       &fx->err), ERR_OK);
    assert_int_equal(x.n, 2);
    assert_string_equal(x.d[0].day, "2026-08-12");
    assert_int_equal(x.d[0].hr_samples, 5);
    assert_int_equal(x.d[0].hr_min, 51);
    assert_int_equal(x.d[0].hr_max, 90);
    assert_true(fabs(x.d[0].hr_avg - 66.2) < 1e-9); /* 331 / 5 */
    assert_int_equal(x.d[0].sessions, 1);
    assert_int_equal(x.d[0].session_s, 600);
    assert_int_equal(x.d[0].workouts, 2);
    assert_int_equal(x.d[0].workout_s, 45 * 60 + 30 * 60);
    assert_true(fabs(x.d[0].workout_calories - 420.5) < 1e-9);
    assert_true(x.d[0].sleep_score == HEALTH_NONE);
    /* a day with nothing but one sample */
    assert_string_equal(x.d[1].day, "2026-08-13");
    assert_int_equal(x.d[1].hr_samples, 1);
    assert_int_equal(x.d[1].hr_min, 70);
    assert_int_equal(x.d[1].hr_max, 70);
    assert_int_equal(x.d[1].workouts, 0);
    assert_int_equal(x.d[1].workout_s, 0);
    assert_true(isnan(x.d[1].workout_calories));
    /* the range bounds the samples by their instant: 23:59:59 is the
     * 12th's, midnight the 13th's */
    x.n = 0;
    assert_int_equal(store_health_days(fx->st, "2026-08-13", "2026-08-13",
                                       on_day, &x, &fx->err), ERR_OK);
    assert_int_equal(x.n, 1);
    assert_int_equal(x.d[0].hr_samples, 1);
    x.n = 0;
    assert_int_equal(store_health_days(fx->st, "2026-08-12", "2026-08-12",
                                       on_day, &x, &fx->err), ERR_OK);
    assert_int_equal(x.n, 1);
    assert_int_equal(x.d[0].hr_samples, 5);
    assert_int_equal(x.d[0].hr_min, 51);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_put_and_days, tu_store_setup,
                                        tu_store_teardown),
        cmocka_unit_test_setup_teardown(test_reimport_no_duplicates,
                                        tu_store_setup, tu_store_teardown),
        cmocka_unit_test_setup_teardown(test_revised_day, tu_store_setup,
                                        tu_store_teardown),
        cmocka_unit_test_setup_teardown(test_remove, tu_store_setup,
                                        tu_store_teardown),
        cmocka_unit_test_setup_teardown(test_session_spo2, tu_store_setup,
                                        tu_store_teardown),
        cmocka_unit_test_setup_teardown(test_days_hr_workouts, tu_store_setup,
                                        tu_store_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
