/* Health data, SQLite backend (store_health.h; migrations 0027, 0032). A put is
 * one transaction whose statements are prepared once per call and used
 * for every document of the batch. */
#include <math.h>
#include <sqlite3.h>
#include <string.h>

#include "store/store_health.h"
#include "store/store_sqlite.h"

#define S sqlite_store_of

#define SQL_DAILY_PUT                                                        \
    "INSERT OR REPLACE INTO health_daily(kind, day, doc_id, score, steps, "  \
    "active_calories, total_calories, high_s, medium_s, low_s, "             \
    "sedentary_s, temp_dev, temp_trend_dev, fetched_at) VALUES (?1, ?2, "    \
    "?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)"
#define SQL_CONTRIB_DEL "DELETE FROM health_contrib WHERE kind = ?1 AND day = ?2"
#define SQL_CONTRIB_PUT                                                      \
    "INSERT OR REPLACE INTO health_contrib(kind, day, name, value) "         \
    "VALUES (?1, ?2, ?3, ?4)"
#define SQL_SLEEP_PUT                                                        \
    "INSERT OR REPLACE INTO health_sleep(id, day, type, start_at, end_at, "  \
    "total_s, in_bed_s, deep_s, rem_s, light_s, awake_s, latency_s, "        \
    "efficiency, lowest_hr, average_hrv, restless, average_hr, "             \
    "average_breath, fetched_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "   \
    "?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)"
#define SQL_HR_PUT                                                           \
    "INSERT OR REPLACE INTO health_hr(ts, source, bpm) VALUES (?1, ?2, ?3)"
#define SQL_WORKOUT_PUT                                                      \
    "INSERT OR REPLACE INTO health_workout(id, day, activity, intensity, "   \
    "source, label, start_at, end_at, calories, distance, fetched_at) "      \
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"
#define SQL_SESSION_PUT                                                      \
    "INSERT OR REPLACE INTO health_session(id, day, type, mood, start_at, "  \
    "end_at, fetched_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
#define SQL_SPO2_PUT                                                         \
    "INSERT OR REPLACE INTO health_spo2(day, doc_id, average, bdi, "         \
    "fetched_at) VALUES (?1, ?2, ?3, ?4, ?5)"
#define SQL_COUNTS                                                           \
    "SELECT (SELECT count(*) FROM health_daily), "                          \
    "(SELECT count(*) FROM health_contrib), "                               \
    "(SELECT count(*) FROM health_sleep), (SELECT count(*) FROM health_hr),"\
    " (SELECT count(*) FROM health_workout), "                              \
    "(SELECT count(*) FROM credential WHERE platform = ?1) + "              \
    "(SELECT count(*) FROM oauth_state WHERE platform = ?1) + "             \
    "(SELECT count(*) FROM oauth_pending WHERE platform = ?1) + "           \
    "(SELECT count(*) FROM collect_job WHERE platform = ?1), "              \
    "(SELECT count(*) FROM health_session), "                               \
    "(SELECT count(*) FROM health_spo2)"
/* Constant text, one statement each, for the removal. */
static const char *const sql_remove[] = {
    "DELETE FROM health_daily",
    "DELETE FROM health_contrib",
    "DELETE FROM health_sleep",
    "DELETE FROM health_hr",
    "DELETE FROM health_workout",
    "DELETE FROM health_session",
    "DELETE FROM health_spo2",
    "DELETE FROM credential WHERE platform = ?1",
    "DELETE FROM oauth_state WHERE platform = ?1",
    "DELETE FROM oauth_pending WHERE platform = ?1",
    "DELETE FROM collect_job WHERE platform = ?1",
};

static int bind_i(sqlite3_stmt *st, int i, int64_t v)
{
    return v == HEALTH_NONE ? sqlite3_bind_null(st, i)
                            : sqlite3_bind_int64(st, i, v);
}

static int bind_r(sqlite3_stmt *st, int i, double v)
{
    return isnan(v) ? sqlite3_bind_null(st, i) : sqlite3_bind_double(st, i, v);
}

static int bind_t(sqlite3_stmt *st, int i, const char *v)
{
    return v == NULL ? sqlite3_bind_null(st, i)
                     : sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
}

/* Step a statement the caller bound, then reset it for the next use. */
static int run(sqlite3_stmt *st)
{
    int r = sqlite3_step(st);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return r == SQLITE_DONE ? SQLITE_OK : r;
}

static int put_daily(sqlite3 *db, const struct health_daily *d, int64_t now)
{
    const char *kind = health_kind_name(d->kind);
    sqlite3_stmt *st = NULL, *del = NULL, *con = NULL;
    int r = sqlite3_prepare_v2(db, SQL_DAILY_PUT, -1, &st, NULL);

    if (r == SQLITE_OK)
        r = sqlite3_prepare_v2(db, SQL_CONTRIB_DEL, -1, &del, NULL);
    if (r == SQLITE_OK)
        r = sqlite3_prepare_v2(db, SQL_CONTRIB_PUT, -1, &con, NULL);
    if (r == SQLITE_OK) {
        bind_t(st, 1, kind); bind_t(st, 2, d->day); bind_t(st, 3, d->id);
        bind_i(st, 4, d->score); bind_i(st, 5, d->steps);
        bind_i(st, 6, d->active_calories); bind_i(st, 7, d->total_calories);
        bind_i(st, 8, d->high_s); bind_i(st, 9, d->medium_s);
        bind_i(st, 10, d->low_s); bind_i(st, 11, d->sedentary_s);
        bind_r(st, 12, d->temp_dev); bind_r(st, 13, d->temp_trend_dev);
        sqlite3_bind_int64(st, 14, now);
        r = run(st);
    }
    if (r == SQLITE_OK) {
        bind_t(del, 1, kind);
        bind_t(del, 2, d->day);
        r = run(del);
    }
    for (size_t i = 0; r == SQLITE_OK && i < d->ncontrib; i++) {
        bind_t(con, 1, kind); bind_t(con, 2, d->day);
        bind_t(con, 3, d->contrib[i].name);
        sqlite3_bind_int64(con, 4, d->contrib[i].value);
        r = run(con);
    }
    sqlite3_finalize(st);
    sqlite3_finalize(del);
    sqlite3_finalize(con);
    return r;
}

static int put_sleep(sqlite3_stmt *st, const struct health_sleep *p,
                     int64_t now)
{
    bind_t(st, 1, p->id); bind_t(st, 2, p->day); bind_t(st, 3, p->type);
    sqlite3_bind_int64(st, 4, p->start); sqlite3_bind_int64(st, 5, p->end);
    bind_i(st, 6, p->total_s); bind_i(st, 7, p->in_bed_s);
    bind_i(st, 8, p->deep_s); bind_i(st, 9, p->rem_s);
    bind_i(st, 10, p->light_s); bind_i(st, 11, p->awake_s);
    bind_i(st, 12, p->latency_s); bind_i(st, 13, p->efficiency);
    bind_i(st, 14, p->lowest_hr); bind_i(st, 15, p->average_hrv);
    bind_i(st, 16, p->restless); bind_r(st, 17, p->average_hr);
    bind_r(st, 18, p->average_breath); sqlite3_bind_int64(st, 19, now);
    return run(st);
}

static int put_workout(sqlite3_stmt *st, const struct health_workout *w,
                       int64_t now)
{
    bind_t(st, 1, w->id); bind_t(st, 2, w->day); bind_t(st, 3, w->activity);
    bind_t(st, 4, w->intensity); bind_t(st, 5, w->source);
    bind_t(st, 6, w->label); sqlite3_bind_int64(st, 7, w->start);
    sqlite3_bind_int64(st, 8, w->end); bind_r(st, 9, w->calories);
    bind_r(st, 10, w->distance); sqlite3_bind_int64(st, 11, now);
    return run(st);
}

static int put_hr(sqlite3_stmt *st, const struct health_hr *h)
{
    sqlite3_bind_int64(st, 1, h->ts);
    bind_t(st, 2, h->source);
    sqlite3_bind_int64(st, 3, h->bpm);
    return run(st);
}

static int put_session(sqlite3_stmt *st, const struct health_session *p,
                       int64_t now)
{
    bind_t(st, 1, p->id); bind_t(st, 2, p->day); bind_t(st, 3, p->type);
    bind_t(st, 4, p->mood); sqlite3_bind_int64(st, 5, p->start);
    sqlite3_bind_int64(st, 6, p->end); sqlite3_bind_int64(st, 7, now);
    return run(st);
}

static int put_spo2(sqlite3_stmt *st, const struct health_spo2 *p,
                    int64_t now)
{
    bind_t(st, 1, p->day); bind_t(st, 2, p->id); bind_r(st, 3, p->average);
    bind_i(st, 4, p->bdi); sqlite3_bind_int64(st, 5, now);
    return run(st);
}

/* The batch's sessions and daily SpO2 (migration 0032). */
static int put_more(sqlite3 *db, const struct health_batch *b, int64_t now)
{
    sqlite3_stmt *se = NULL, *sp = NULL;
    int r = SQLITE_OK;

    if (b->nsession > 0)
        r = sqlite3_prepare_v2(db, SQL_SESSION_PUT, -1, &se, NULL);
    if (r == SQLITE_OK && b->nspo2 > 0)
        r = sqlite3_prepare_v2(db, SQL_SPO2_PUT, -1, &sp, NULL);
    for (size_t i = 0; r == SQLITE_OK && i < b->nsession; i++)
        r = put_session(se, &b->session[i], now);
    for (size_t i = 0; r == SQLITE_OK && i < b->nspo2; i++)
        r = put_spo2(sp, &b->spo2[i], now);
    sqlite3_finalize(se);
    sqlite3_finalize(sp);
    return r;
}

/* The batch's documents, inside the caller's transaction. */
static int put_batch(sqlite3 *db, const struct health_batch *b, int64_t now)
{
    sqlite3_stmt *sl = NULL, *wo = NULL, *hr = NULL;
    int r = sqlite3_prepare_v2(db, SQL_SLEEP_PUT, -1, &sl, NULL);

    if (r == SQLITE_OK)
        r = sqlite3_prepare_v2(db, SQL_WORKOUT_PUT, -1, &wo, NULL);
    if (r == SQLITE_OK)
        r = sqlite3_prepare_v2(db, SQL_HR_PUT, -1, &hr, NULL);
    for (size_t i = 0; r == SQLITE_OK && i < b->ndaily; i++)
        r = put_daily(db, &b->daily[i], now);
    for (size_t i = 0; r == SQLITE_OK && i < b->nsleep; i++)
        r = put_sleep(sl, &b->sleep[i], now);
    for (size_t i = 0; r == SQLITE_OK && i < b->nworkout; i++)
        r = put_workout(wo, &b->workout[i], now);
    for (size_t i = 0; r == SQLITE_OK && i < b->nhr; i++)
        r = put_hr(hr, &b->hr[i]);
    if (r == SQLITE_OK)
        r = put_more(db, b, now);
    sqlite3_finalize(sl);
    sqlite3_finalize(wo);
    sqlite3_finalize(hr);
    return r;
}

static int64_t doc_rows(const struct store_health_counts *c)
{
    return c->daily + c->sleep + c->hr + c->workout + c->session + c->spo2;
}

/* source: whose connection rows are counted (NULL: none). */
static int counts(sqlite3 *db, const char *source,
                  struct store_health_counts *out)
{
    sqlite3_stmt *st = NULL;
    int r = sqlite3_prepare_v2(db, SQL_COUNTS, -1, &st, NULL);

    if (r == SQLITE_OK)
        r = bind_t(st, 1, source);
    if (r == SQLITE_OK)
        r = sqlite3_step(st);
    if (r == SQLITE_ROW) {
        out->daily = sqlite3_column_int64(st, 0);
        out->contrib = sqlite3_column_int64(st, 1);
        out->sleep = sqlite3_column_int64(st, 2);
        out->hr = sqlite3_column_int64(st, 3);
        out->workout = sqlite3_column_int64(st, 4);
        out->connection = sqlite3_column_int64(st, 5);
        out->session = sqlite3_column_int64(st, 6);
        out->spo2 = sqlite3_column_int64(st, 7);
        r = SQLITE_OK;
    }
    sqlite3_finalize(st);
    return r;
}

enum err sq_health_put(struct store *base, const struct health_batch *b,
                          int64_t now, struct store_health_put *out,
                          struct buf *err)
{
    struct sqlite_store *s = S(base);
    struct store_health_counts before, after;
    enum err rc = sqlite_write_begin(s, err);

    memset(out, 0, sizeof *out);
    if (rc != ERR_OK)
        return rc;
    if (counts(s->db, NULL, &before) != SQLITE_OK ||
        put_batch(s->db, b, now) != SQLITE_OK ||
        counts(s->db, NULL, &after) != SQLITE_OK)
        rc = sqlite_fail(s, err, "storing health data");
    rc = sqlite_write_end(s, rc, err);
    if (rc == ERR_OK) {
        out->docs = health_batch_count(b);
        out->added = (size_t)(doc_rows(&after) - doc_rows(&before));
        out->replaced = out->docs - out->added;
    }
    return rc;
}

enum err sq_health_count(struct store *base, const char *source,
                            struct store_health_counts *out, struct buf *err)
{
    struct sqlite_store *s = S(base);

    memset(out, 0, sizeof *out);
    if (counts(s->db, source, out) != SQLITE_OK)
        return sqlite_fail(s, err, "counting health rows");
    return ERR_OK;
}

enum err sq_health_remove(struct store *base, const char *source,
                             struct store_health_counts *out,
                             struct buf *err)
{
    struct sqlite_store *s = S(base);
    struct store_health_counts had;
    enum err rc = sqlite_write_begin(s, err);
    int r;

    if (rc != ERR_OK)
        return rc;
    r = counts(s->db, source, &had);
    for (size_t i = 0;
         r == SQLITE_OK && i < sizeof sql_remove / sizeof sql_remove[0];
         i++) {
        sqlite3_stmt *st = NULL;
        r = sqlite3_prepare_v2(s->db, sql_remove[i], -1, &st, NULL);
        if (r == SQLITE_OK && sqlite3_bind_parameter_count(st) == 1)
            r = bind_t(st, 1, source);
        if (r == SQLITE_OK)
            r = run(st);
        sqlite3_finalize(st);
    }
    if (r != SQLITE_OK)
        rc = sqlite_fail(s, err, "removing health data");
    rc = sqlite_write_end(s, rc, err);
    if (rc == ERR_OK && out != NULL)
        *out = had;
    return rc;
}

/* Days with any daily document, sleep period, session or daily SpO2 in
 * [?1, ?2]. */
/* Heart rate samples carry no day: theirs is the UTC day of the sample,
 * read through the primary key's ts order (the bounds "0000-00-00" and
 * "9999-99-99" are no dates: no bound). */
#define SQL_DAYS                                                             \
    "WITH h AS (SELECT date(ts, 'unixepoch') AS day, min(bpm) AS lo, "       \
    "avg(bpm) AS av, max(bpm) AS hi, count(*) AS n FROM health_hr WHERE "    \
    "ts >= coalesce(strftime('%s', ?1), 0) AND "                             \
    "ts < coalesce(strftime('%s', ?2, '+1 day'), 253402300800) GROUP BY 1), "\
    "w AS (SELECT day, count(*) AS n, sum(end_at - start_at) AS sec, "       \
    "sum(calories) AS cal FROM health_workout WHERE day BETWEEN ?1 AND ?2 "  \
    "GROUP BY day), "                                                        \
    "d(day) AS (SELECT day FROM health_daily WHERE day BETWEEN ?1 AND "      \
    "?2 UNION SELECT day FROM health_sleep WHERE day BETWEEN ?1 AND ?2 "     \
    "UNION SELECT day FROM health_session WHERE day BETWEEN ?1 AND ?2 "      \
    "UNION SELECT day FROM health_spo2 WHERE day BETWEEN ?1 AND ?2 "         \
    "UNION SELECT day FROM w UNION SELECT day FROM h), "                     \
    "s AS (SELECT day, sum(total_s) AS t, sum(in_bed_s) AS b, "              \
    "sum(deep_s) AS dp, sum(rem_s) AS rm, sum(light_s) AS lt, "              \
    "min(lowest_hr) AS lo, avg(average_hrv) AS hrv FROM health_sleep "       \
    "WHERE day BETWEEN ?1 AND ?2 AND type IS NOT 'deleted' GROUP BY day), "  \
    "m AS (SELECT day, count(*) AS n, sum(end_at - start_at) AS sec FROM "   \
    "health_session WHERE day BETWEEN ?1 AND ?2 GROUP BY day) "              \
    "SELECT d.day, "                                                         \
    "(SELECT score FROM health_daily WHERE kind = 'daily_sleep' AND "        \
    "day = d.day), "                                                         \
    "(SELECT score FROM health_daily WHERE kind = 'daily_readiness' AND "    \
    "day = d.day), "                                                         \
    "a.score, a.steps, a.active_calories, s.t, s.b, s.dp, s.rm, s.lt, "      \
    "s.lo, s.hrv, "                                                          \
    "(SELECT temp_dev FROM health_daily WHERE kind = 'daily_readiness' AND " \
    "day = d.day), "                                                         \
    "(SELECT average FROM health_spo2 WHERE day = d.day), "                  \
    "coalesce(m.n, 0), coalesce(m.sec, 0), h.lo, h.av, h.hi, "               \
    "coalesce(h.n, 0), coalesce(w.n, 0), coalesce(w.sec, 0), w.cal "         \
    "FROM d LEFT JOIN health_daily a ON a.kind = 'daily_activity' AND "      \
    "a.day = d.day LEFT JOIN s ON s.day = d.day LEFT JOIN m ON "             \
    "m.day = d.day LEFT JOIN h ON h.day = d.day LEFT JOIN w ON "             \
    "w.day = d.day ORDER BY d.day"

static int64_t col_i(sqlite3_stmt *st, int i)
{
    return sqlite3_column_type(st, i) == SQLITE_NULL
               ? HEALTH_NONE
               : sqlite3_column_int64(st, i);
}

static double col_r(sqlite3_stmt *st, int i)
{
    return sqlite3_column_type(st, i) == SQLITE_NULL
               ? NAN
               : sqlite3_column_double(st, i);
}

static void row_to_day(sqlite3_stmt *st, struct store_health_day *d)
{
    const unsigned char *day = sqlite3_column_text(st, 0);

    memset(d, 0, sizeof *d);
    if (day != NULL)
        memcpy(d->day, day, strnlen((const char *)day, HEALTH_DAY_LEN));
    d->sleep_score = col_i(st, 1);
    d->readiness_score = col_i(st, 2);
    d->activity_score = col_i(st, 3);
    d->steps = col_i(st, 4);
    d->active_calories = col_i(st, 5);
    d->sleep_s = col_i(st, 6);
    d->in_bed_s = col_i(st, 7);
    d->deep_s = col_i(st, 8);
    d->rem_s = col_i(st, 9);
    d->light_s = col_i(st, 10);
    d->lowest_hr = col_i(st, 11);
    d->average_hrv = col_r(st, 12);
    d->temp_dev = col_r(st, 13);
    d->spo2 = col_r(st, 14);
    d->sessions = sqlite3_column_int64(st, 15);
    d->session_s = sqlite3_column_int64(st, 16);
    d->hr_min = col_i(st, 17);
    d->hr_avg = col_r(st, 18);
    d->hr_max = col_i(st, 19);
    d->hr_samples = sqlite3_column_int64(st, 20);
    d->workouts = sqlite3_column_int64(st, 21);
    d->workout_s = sqlite3_column_int64(st, 22);
    d->workout_calories = col_r(st, 23);
}

enum err sq_health_days(struct store *base, const char *from,
                           const char *to, store_health_day_fn fn, void *ud,
                           struct buf *err)
{
    struct sqlite_store *s = S(base);
    sqlite3_stmt *st = NULL;
    struct store_health_day d;
    enum err rc = ERR_OK;
    int r = sqlite3_prepare_v2(s->db, SQL_DAYS, -1, &st, NULL);

    if (r == SQLITE_OK)
        r = sqlite3_bind_text(st, 1, from ? from : "0000-00-00", -1,
                              SQLITE_STATIC);
    if (r == SQLITE_OK)
        r = sqlite3_bind_text(st, 2, to ? to : "9999-99-99", -1,
                              SQLITE_STATIC);
    while (r == SQLITE_OK && rc == ERR_OK) {
        r = sqlite3_step(st);
        if (r != SQLITE_ROW)
            break;
        row_to_day(st, &d);
        rc = fn(&d, ud);
        r = SQLITE_OK;
    }
    if (rc == ERR_OK && r != SQLITE_DONE)
        rc = sqlite_fail(s, err, "reading health days");
    sqlite3_finalize(st);
    return rc;
}
