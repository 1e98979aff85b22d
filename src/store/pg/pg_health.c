/* Health data on PostgreSQL (store_health.h; PostgreSQL migration 0006),
 * with the answers of store_sqlite_health.c: the same replacements on
 * re-import (ON CONFLICT ... DO UPDATE where SQLite says INSERT OR
 * REPLACE), the same counts, the same days. Heart rate samples, the one
 * collection whose pages are large, go in as arrays (unnest), a chunk of
 * rows per statement; the other documents, a few per day, one row each. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/str.h"
#include "core/timeutil.h"
#include "store/pg/pg_ops.h"
#include "store/pg/pg_rollup.h"

/* "health" in ASCII: puts and removals take it for their transaction, so
 * that the counts a put reads before and after its writes (added and
 * replaced) are its own, as under SQLite's one writer. */
#define PG_HEALTH_LOCK "114784635483240"

/* Heart rate samples per INSERT: tens of kilobytes of parameters. */
#define HR_CHUNK 1000

PG_STMT(pg_hl_lock, 0, "SELECT pg_advisory_xact_lock(" PG_HEALTH_LOCK ")");
PG_STMT(pg_hl_daily_put, 14,
        "INSERT INTO health_daily(kind, day, doc_id, score, steps, "
        "active_calories, total_calories, high_s, medium_s, low_s, "
        "sedentary_s, temp_dev, temp_trend_dev, fetched_at) VALUES ($1, $2, "
        "$3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) ON CONFLICT "
        "(kind, day) DO UPDATE SET doc_id = excluded.doc_id, score = "
        "excluded.score, steps = excluded.steps, active_calories = "
        "excluded.active_calories, total_calories = excluded.total_calories, "
        "high_s = excluded.high_s, medium_s = excluded.medium_s, low_s = "
        "excluded.low_s, sedentary_s = excluded.sedentary_s, temp_dev = "
        "excluded.temp_dev, temp_trend_dev = excluded.temp_trend_dev, "
        "fetched_at = excluded.fetched_at");
PG_STMT(pg_hl_contrib_del, 2,
        "DELETE FROM health_contrib WHERE kind = $1 AND day = $2");
PG_STMT(pg_hl_contrib_put, 4,
        "INSERT INTO health_contrib(kind, day, name, value) VALUES ($1, $2, "
        "$3, $4) ON CONFLICT (kind, day, name) DO UPDATE SET value = "
        "excluded.value");
PG_STMT(pg_hl_sleep_put, 19,
        "INSERT INTO health_sleep(id, day, type, start_at, end_at, total_s, "
        "in_bed_s, deep_s, rem_s, light_s, awake_s, latency_s, efficiency, "
        "lowest_hr, average_hrv, restless, average_hr, average_breath, "
        "fetched_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, "
        "$12, $13, $14, $15, $16, $17, $18, $19) ON CONFLICT (id) DO UPDATE "
        "SET day = excluded.day, type = excluded.type, start_at = "
        "excluded.start_at, end_at = excluded.end_at, total_s = "
        "excluded.total_s, in_bed_s = excluded.in_bed_s, deep_s = "
        "excluded.deep_s, rem_s = excluded.rem_s, light_s = excluded.light_s, "
        "awake_s = excluded.awake_s, latency_s = excluded.latency_s, "
        "efficiency = excluded.efficiency, lowest_hr = excluded.lowest_hr, "
        "average_hrv = excluded.average_hrv, restless = excluded.restless, "
        "average_hr = excluded.average_hr, average_breath = "
        "excluded.average_breath, fetched_at = excluded.fetched_at");
/* A chunk of samples: when one (ts, source) comes twice, the later one
 * wins, as the later INSERT OR REPLACE does on SQLite (one INSERT may not
 * update a row twice). */
PG_STMT(pg_hl_hr_put, 3,
        "INSERT INTO health_hr(ts, source, bpm) SELECT DISTINCT ON (ts, "
        "source) ts, source, bpm FROM unnest($1::bigint[], $2::text[], "
        "$3::bigint[]) WITH ORDINALITY AS u(ts, source, bpm, n) ORDER BY ts, "
        "source, n DESC ON CONFLICT (ts, source) DO UPDATE SET bpm = "
        "excluded.bpm");
PG_STMT(pg_hl_workout_put, 11,
        "INSERT INTO health_workout(id, day, activity, intensity, source, "
        "label, start_at, end_at, calories, distance, fetched_at) VALUES ($1, "
        "$2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (id) DO "
        "UPDATE SET day = excluded.day, activity = excluded.activity, "
        "intensity = excluded.intensity, source = excluded.source, label = "
        "excluded.label, start_at = excluded.start_at, end_at = "
        "excluded.end_at, calories = excluded.calories, distance = "
        "excluded.distance, fetched_at = excluded.fetched_at");
PG_STMT(pg_hl_session_put, 7,
        "INSERT INTO health_session(id, day, type, mood, start_at, end_at, "
        "fetched_at) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO "
        "UPDATE SET day = excluded.day, type = excluded.type, mood = "
        "excluded.mood, start_at = excluded.start_at, end_at = "
        "excluded.end_at, fetched_at = excluded.fetched_at");
PG_STMT(pg_hl_spo2_put, 5,
        "INSERT INTO health_spo2(day, doc_id, average, bdi, fetched_at) "
        "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (day) DO UPDATE SET doc_id "
        "= excluded.doc_id, average = excluded.average, bdi = excluded.bdi, "
        "fetched_at = excluded.fetched_at");
/* $1: the health source whose connection rows count (NULL: none). */
PG_STMT(pg_hl_counts, 1,
        "SELECT (SELECT count(*) FROM health_daily), (SELECT count(*) FROM "
        "health_contrib), (SELECT count(*) FROM health_sleep), (SELECT "
        "count(*) FROM health_hr), (SELECT count(*) FROM health_workout), "
        "(SELECT count(*) FROM credential WHERE platform = $1) + (SELECT "
        "count(*) FROM oauth_state WHERE platform = $1) + (SELECT count(*) "
        "FROM oauth_pending WHERE platform = $1) + (SELECT count(*) FROM "
        "collect_job WHERE platform = $1), (SELECT count(*) FROM "
        "health_session), (SELECT count(*) FROM health_spo2)");
/* The removal: every health row, then the source's connection. */
PG_STMT(pg_hl_rm_daily, 0, "DELETE FROM health_daily");
PG_STMT(pg_hl_rm_contrib, 0, "DELETE FROM health_contrib");
PG_STMT(pg_hl_rm_sleep, 0, "DELETE FROM health_sleep");
PG_STMT(pg_hl_rm_hr, 0, "DELETE FROM health_hr");
PG_STMT(pg_hl_rm_workout, 0, "DELETE FROM health_workout");
PG_STMT(pg_hl_rm_session, 0, "DELETE FROM health_session");
PG_STMT(pg_hl_rm_spo2, 0, "DELETE FROM health_spo2");
PG_STMT(pg_hl_rm_cred, 1, "DELETE FROM credential WHERE platform = $1");
PG_STMT(pg_hl_rm_state, 1, "DELETE FROM oauth_state WHERE platform = $1");
PG_STMT(pg_hl_rm_pending, 1,
        "DELETE FROM oauth_pending WHERE platform = $1");
PG_STMT(pg_hl_rm_job, 1, "DELETE FROM collect_job WHERE platform = $1");
static const struct pg_stmt *const removal[] = {
    &pg_hl_rm_daily, &pg_hl_rm_contrib, &pg_hl_rm_sleep, &pg_hl_rm_hr,
    &pg_hl_rm_workout, &pg_hl_rm_session, &pg_hl_rm_spo2, &pg_hl_rm_cred,
    &pg_hl_rm_state, &pg_hl_rm_pending, &pg_hl_rm_job,
};
/* Days with any daily document, sleep period, session, daily SpO2,
 * workout or heart rate sample in [$1, $2] (byte order: COLLATE "C").
 * Sums as bigint and the HRV average over doubles, so that the figures are
 * SQLite's to the last bit; a heart rate sample's day is its UTC day, read
 * through the primary key's ts order between $3 and $4 (epoch seconds of
 * $1's start and of the day after $2), and its mean is the exact integer
 * sum over the count, as SQLite's avg() of integers gives. */
#define IN_RANGE " WHERE day COLLATE \"C\" BETWEEN $1 AND $2"
PG_STMT(pg_hl_days, 4,
        "WITH h AS (SELECT to_char(to_timestamp(ts) AT TIME ZONE 'UTC', "
        "'YYYY-MM-DD') AS day, min(bpm) AS lo, sum(bpm)::double precision "
        "/ count(*) AS av, max(bpm) AS hi, count(*) AS n FROM health_hr "
        "WHERE ts >= $3::bigint AND ts < $4::bigint GROUP BY 1), "
        "w AS (SELECT day, count(*) AS n, sum(end_at - start_at)::bigint AS "
        "sec, sum(calories) AS cal FROM health_workout" IN_RANGE
        " GROUP BY day), "
        "d(day) AS (SELECT day FROM health_daily" IN_RANGE
        " UNION SELECT day FROM health_sleep" IN_RANGE
        " UNION SELECT day FROM health_session" IN_RANGE
        " UNION SELECT day FROM health_spo2" IN_RANGE
        " UNION SELECT day FROM w UNION SELECT day FROM h), "
        "s AS (SELECT day, sum(total_s)::bigint AS t, sum(in_bed_s)::bigint "
        "AS b, sum(deep_s)::bigint AS dp, sum(rem_s)::bigint AS rm, "
        "sum(light_s)::bigint AS lt, min(lowest_hr) AS lo, "
        "avg(average_hrv::double precision) AS hrv FROM health_sleep" IN_RANGE
        " AND type IS DISTINCT FROM 'deleted' GROUP BY day), "
        "m AS (SELECT day, count(*) AS n, sum(end_at - start_at)::bigint AS "
        "sec FROM health_session" IN_RANGE " GROUP BY day) "
        "SELECT d.day, (SELECT score FROM health_daily WHERE kind = "
        "'daily_sleep' AND day = d.day), (SELECT score FROM health_daily "
        "WHERE kind = 'daily_readiness' AND day = d.day), a.score, a.steps, "
        "a.active_calories, s.t, s.b, s.dp, s.rm, s.lt, s.lo, s.hrv, (SELECT "
        "temp_dev FROM health_daily WHERE kind = 'daily_readiness' AND day = "
        "d.day), (SELECT average FROM health_spo2 WHERE day = d.day), "
        "coalesce(m.n, 0), coalesce(m.sec, 0), h.lo, h.av, h.hi, "
        "coalesce(h.n, 0), coalesce(w.n, 0), coalesce(w.sec, 0), w.cal "
        "FROM d LEFT JOIN health_daily "
        "a ON a.kind = 'daily_activity' AND a.day = d.day LEFT JOIN s ON "
        "s.day = d.day LEFT JOIN m ON m.day = d.day LEFT JOIN h ON "
        "h.day = d.day LEFT JOIN w ON w.day = d.day ORDER BY d.day COLLATE "
        "\"C\"");

/* A real's parameter text: 17 significant digits read back exactly. */
struct real_text {
    char v[4][32];
    int n;
};

static void p_i(struct pg_params *p, int64_t v)
{
    if (v == HEALTH_NONE)
        pg_p_null(p);
    else
        pg_p_i64(p, v);
}

static void p_r(struct pg_params *p, struct real_text *t, double v)
{
    if (isnan(v)) {
        pg_p_null(p);
        return;
    }
    snprintf(t->v[t->n], sizeof t->v[t->n], "%.17g", v);
    pg_p_text(p, t->v[t->n++]);
}

static enum err put(struct store_pg *s, const struct pg_stmt *st,
                    const struct pg_params *p, struct buf *err)
{
    return pg_run(s, st, p, NULL, "storing health data", err);
}

static enum err put_daily(struct store_pg *s, const struct health_daily *d,
                          int64_t now, struct buf *err)
{
    const char *kind = health_kind_name(d->kind);
    struct real_text t = {.n = 0};
    struct pg_params p;
    enum err rc;

    pg_p_init(&p);
    pg_p_text(&p, kind);
    pg_p_text(&p, d->day);
    pg_p_text(&p, d->id);
    p_i(&p, d->score);
    p_i(&p, d->steps);
    p_i(&p, d->active_calories);
    p_i(&p, d->total_calories);
    p_i(&p, d->high_s);
    p_i(&p, d->medium_s);
    p_i(&p, d->low_s);
    p_i(&p, d->sedentary_s);
    p_r(&p, &t, d->temp_dev);
    p_r(&p, &t, d->temp_trend_dev);
    pg_p_i64(&p, now);
    rc = put(s, &pg_hl_daily_put, &p, err);
    pg_p_init(&p);
    pg_p_text(&p, kind);
    pg_p_text(&p, d->day);
    if (rc == ERR_OK)
        rc = put(s, &pg_hl_contrib_del, &p, err);
    for (size_t i = 0; rc == ERR_OK && i < d->ncontrib; i++) {
        pg_p_init(&p);
        pg_p_text(&p, kind);
        pg_p_text(&p, d->day);
        pg_p_text(&p, d->contrib[i].name);
        pg_p_i64(&p, d->contrib[i].value);
        rc = put(s, &pg_hl_contrib_put, &p, err);
    }
    return rc;
}

static enum err put_sleep(struct store_pg *s, const struct health_sleep *x,
                          int64_t now, struct buf *err)
{
    struct real_text t = {.n = 0};
    struct pg_params p;

    pg_p_init(&p);
    pg_p_text(&p, x->id);
    pg_p_text(&p, x->day);
    pg_p_text(&p, x->type);
    pg_p_i64(&p, x->start);
    pg_p_i64(&p, x->end);
    p_i(&p, x->total_s);
    p_i(&p, x->in_bed_s);
    p_i(&p, x->deep_s);
    p_i(&p, x->rem_s);
    p_i(&p, x->light_s);
    p_i(&p, x->awake_s);
    p_i(&p, x->latency_s);
    p_i(&p, x->efficiency);
    p_i(&p, x->lowest_hr);
    p_i(&p, x->average_hrv);
    p_i(&p, x->restless);
    p_r(&p, &t, x->average_hr);
    p_r(&p, &t, x->average_breath);
    pg_p_i64(&p, now);
    return put(s, &pg_hl_sleep_put, &p, err);
}

static enum err put_workout(struct store_pg *s,
                            const struct health_workout *w, int64_t now,
                            struct buf *err)
{
    struct real_text t = {.n = 0};
    struct pg_params p;

    pg_p_init(&p);
    pg_p_text(&p, w->id);
    pg_p_text(&p, w->day);
    pg_p_text(&p, w->activity);
    pg_p_text(&p, w->intensity);
    pg_p_text(&p, w->source);
    pg_p_text(&p, w->label);
    pg_p_i64(&p, w->start);
    pg_p_i64(&p, w->end);
    p_r(&p, &t, w->calories);
    p_r(&p, &t, w->distance);
    pg_p_i64(&p, now);
    return put(s, &pg_hl_workout_put, &p, err);
}

static enum err put_session(struct store_pg *s,
                            const struct health_session *x, int64_t now,
                            struct buf *err)
{
    struct pg_params p;

    pg_p_init(&p);
    pg_p_text(&p, x->id);
    pg_p_text(&p, x->day);
    pg_p_text(&p, x->type);
    pg_p_text(&p, x->mood);
    pg_p_i64(&p, x->start);
    pg_p_i64(&p, x->end);
    pg_p_i64(&p, now);
    return put(s, &pg_hl_session_put, &p, err);
}

static enum err put_spo2(struct store_pg *s, const struct health_spo2 *x,
                         int64_t now, struct buf *err)
{
    struct real_text t = {.n = 0};
    struct pg_params p;

    pg_p_init(&p);
    pg_p_text(&p, x->day);
    pg_p_text(&p, x->id);
    p_r(&p, &t, x->average);
    p_i(&p, x->bdi);
    pg_p_i64(&p, now);
    return put(s, &pg_hl_spo2_put, &p, err);
}

/* A text array element in double quotes, backslash before " and \. */
static enum err arr_text(struct buf *b, const char *v)
{
    enum err rc = buf_puts(b, b->len > 1 ? ",\"" : "\"");

    for (; rc == ERR_OK && *v != '\0'; v++) {
        if (*v == '"' || *v == '\\')
            rc = buf_putc(b, '\\');
        if (rc == ERR_OK)
            rc = buf_putc(b, *v);
    }
    return rc == ERR_OK ? buf_putc(b, '"') : rc;
}

/* A message in err when there is one to write to. */
static void say(struct buf *err, const char *msg)
{
    if (err != NULL)
        buf_setf(err, "%s", msg);
}

/* n samples from hr as one INSERT of three arrays (a: their buffers). */
static enum err put_hr_chunk(struct store_pg *s, const struct health_hr *hr,
                             size_t n, struct buf a[3], struct buf *err)
{
    struct pg_params p;
    enum err rc = ERR_OK;

    for (int k = 0; k < 3; k++)
        pg_arr_start(&a[k]);
    for (size_t i = 0; rc == ERR_OK && i < n; i++) {
        rc = pg_arr_i64(&a[0], hr[i].ts);
        if (rc == ERR_OK)
            rc = arr_text(&a[1], hr[i].source != NULL ? hr[i].source : "");
        if (rc == ERR_OK)
            rc = pg_arr_i64(&a[2], hr[i].bpm);
    }
    for (int k = 0; rc == ERR_OK && k < 3; k++)
        rc = pg_arr_end(&a[k]);
    if (rc != ERR_OK) {
        say(err, "storing health data: heart rate samples too long for "
                 "one statement");
        return rc;
    }
    pg_p_init(&p);
    for (int k = 0; k < 3; k++)
        pg_p_text(&p, buf_cstr(&a[k]));
    return put(s, &pg_hl_hr_put, &p, err);
}

static enum err put_hr(struct store_pg *s, const struct health_batch *b,
                       struct buf *err)
{
    struct buf a[3];
    enum err rc = ERR_OK;

    for (int k = 0; k < 3; k++)
        buf_init(&a[k], BUF_MAX_DEFAULT);
    for (size_t i = 0; rc == ERR_OK && i < b->nhr; i += HR_CHUNK)
        rc = put_hr_chunk(s, b->hr + i,
                          b->nhr - i < HR_CHUNK ? b->nhr - i : HR_CHUNK, a,
                          err);
    for (int k = 0; k < 3; k++)
        buf_free(&a[k]);
    return rc;
}

/* The batch's documents, inside the caller's transaction, in
 * store_sqlite_health.c's order. */
static enum err put_batch(struct store_pg *s, const struct health_batch *b,
                          int64_t now, struct buf *err)
{
    enum err rc = ERR_OK;

    for (size_t i = 0; rc == ERR_OK && i < b->ndaily; i++)
        rc = put_daily(s, &b->daily[i], now, err);
    for (size_t i = 0; rc == ERR_OK && i < b->nsleep; i++)
        rc = put_sleep(s, &b->sleep[i], now, err);
    for (size_t i = 0; rc == ERR_OK && i < b->nworkout; i++)
        rc = put_workout(s, &b->workout[i], now, err);
    if (rc == ERR_OK)
        rc = put_hr(s, b, err);
    for (size_t i = 0; rc == ERR_OK && i < b->nsession; i++)
        rc = put_session(s, &b->session[i], now, err);
    for (size_t i = 0; rc == ERR_OK && i < b->nspo2; i++)
        rc = put_spo2(s, &b->spo2[i], now, err);
    return rc;
}

static int64_t doc_rows(const struct store_health_counts *c)
{
    return c->daily + c->sleep + c->hr + c->workout + c->session + c->spo2;
}

/* source: whose connection rows are counted (NULL: none). */
static enum err counts(struct store_pg *s, const char *source,
                       struct store_health_counts *out, const char *what,
                       struct buf *err)
{
    int64_t *col[] = {&out->daily,   &out->contrib,    &out->sleep,
                      &out->hr,      &out->workout,    &out->connection,
                      &out->session, &out->spo2};
    struct pg_params p;
    PGresult *r = NULL;
    enum err rc;

    memset(out, 0, sizeof *out);
    pg_p_init(&p);
    pg_p_text(&p, source);
    rc = pg_run(s, &pg_hl_counts, &p, &r, what, err);
    for (int c = 0; rc == ERR_OK && c < 8; c++)
        if (pg_i64(r, 0, c, col[c]) != ERR_OK) {
            say(err, "counting health rows: an unreadable count");
            rc = ERR_DB;
        }
    PQclear(r);
    return rc;
}

/* BEGIN and the health lock. */
static enum err begin(struct store_pg *s, struct buf *err)
{
    enum err rc = pg_begin(s, err);

    if (rc == ERR_OK &&
        (rc = pg_run(s, &pg_hl_lock, NULL, NULL, "locking the health data",
                     err)) != ERR_OK)
        pg_rollback(s);
    return rc;
}

enum err pg_health_put(struct store *st, const struct health_batch *b,
                       int64_t now, struct store_health_put *out,
                       struct buf *err)
{
    struct store_pg *s = pg_of(st);
    struct store_health_counts before, after;
    enum err rc = begin(s, err);

    memset(out, 0, sizeof *out);
    if (rc != ERR_OK)
        return rc;
    rc = counts(s, NULL, &before, "storing health data", err);
    if (rc == ERR_OK)
        rc = put_batch(s, b, now, err);
    if (rc == ERR_OK)
        rc = counts(s, NULL, &after, "storing health data", err);
    if (rc == ERR_OK)
        rc = pg_commit(s, err);
    if (rc != ERR_OK) {
        pg_rollback(s);
        return rc;
    }
    out->docs = health_batch_count(b);
    out->added = (size_t)(doc_rows(&after) - doc_rows(&before));
    out->replaced = out->docs - out->added;
    return ERR_OK;
}

enum err pg_health_count(struct store *st, const char *source,
                         struct store_health_counts *out, struct buf *err)
{
    return counts(pg_of(st), source, out, "counting health rows", err);
}

enum err pg_health_remove(struct store *st, const char *source,
                          struct store_health_counts *out, struct buf *err)
{
    struct store_pg *s = pg_of(st);
    struct store_health_counts had;
    struct pg_params p;
    enum err rc = begin(s, err);

    if (rc != ERR_OK)
        return rc;
    rc = counts(s, source, &had, "removing health data", err);
    for (size_t i = 0;
         rc == ERR_OK && i < sizeof removal / sizeof removal[0]; i++) {
        pg_p_init(&p);
        if (removal[i]->nparams == 1)
            pg_p_text(&p, source);
        rc = pg_run(s, removal[i], &p, NULL, "removing health data", err);
    }
    if (rc == ERR_OK)
        rc = pg_commit(s, err);
    if (rc != ERR_OK) {
        pg_rollback(s);
        return rc;
    }
    if (out != NULL)
        *out = had;
    return ERR_OK;
}

static double col_r(const PGresult *r, int row, int c)
{
    double d;

    if (pg_null(r, row, c) || parse_double(pg_text(r, row, c), &d) != ERR_OK)
        return NAN;
    return d;
}

static enum err row_to_day(const PGresult *r, int i,
                           struct store_health_day *d)
{
    int64_t *ints[] = {&d->sleep_score, &d->readiness_score,
                       &d->activity_score, &d->steps, &d->active_calories,
                       &d->sleep_s, &d->in_bed_s, &d->deep_s, &d->rem_s,
                       &d->light_s, &d->lowest_hr};
    const char *day = pg_text(r, i, 0);

    memset(d, 0, sizeof *d);
    if (day == NULL || strlen(day) != HEALTH_DAY_LEN)
        return ERR_DB;
    memcpy(d->day, day, HEALTH_DAY_LEN);
    for (int c = 0; c < 11; c++)
        *ints[c] = pg_i64_or(r, i, c + 1, HEALTH_NONE);
    d->average_hrv = col_r(r, i, 12);
    d->temp_dev = col_r(r, i, 13);
    d->spo2 = col_r(r, i, 14);
    if (pg_i64(r, i, 15, &d->sessions) != ERR_OK ||
        pg_i64(r, i, 16, &d->session_s) != ERR_OK)
        return ERR_DB;
    d->hr_min = pg_i64_or(r, i, 17, HEALTH_NONE);
    d->hr_avg = col_r(r, i, 18);
    d->hr_max = pg_i64_or(r, i, 19, HEALTH_NONE);
    d->workout_calories = col_r(r, i, 23);
    if (pg_i64(r, i, 20, &d->hr_samples) != ERR_OK ||
        pg_i64(r, i, 21, &d->workouts) != ERR_OK ||
        pg_i64(r, i, 22, &d->workout_s) != ERR_OK)
        return ERR_DB;
    return ERR_OK;
}

/* SQLite's bounds for heart rate samples: strftime('%s', day) (plus a
 * day for the end); a text that is no date bounds nothing. */
#define HR_NO_END INT64_C(253402300800) /* 10000-01-01T00:00:00Z */
static int64_t day_start_s(const char *day, int plus)
{
    int64_t t;

    if (!time_is_date(day) || time_parse_iso8601(day, &t) != ERR_OK)
        return plus ? HR_NO_END : 0;
    return t + plus * 86400;
}

enum err pg_health_days(struct store *st, const char *from, const char *to,
                        store_health_day_fn fn, void *ud, struct buf *err)
{
    struct store_pg *s = pg_of(st);
    struct store_health_day d;
    struct pg_params p;
    PGresult *r = NULL;
    enum err rc;

    pg_p_init(&p);
    pg_p_text(&p, from != NULL ? from : "0000-00-00");
    pg_p_text(&p, to != NULL ? to : "9999-99-99");
    pg_p_i64(&p, from != NULL ? day_start_s(from, 0) : 0);
    pg_p_i64(&p, to != NULL ? day_start_s(to, 1) : HR_NO_END);
    rc = pg_run(s, &pg_hl_days, &p, &r, "reading health days", err);
    for (int i = 0; rc == ERR_OK && i < PQntuples(r); i++) {
        if (row_to_day(r, i, &d) != ERR_OK) {
            say(err, "reading health days: an unreadable row");
            rc = ERR_DB;
            break;
        }
        rc = fn(&d, ud);
    }
    PQclear(r);
    return rc;
}
