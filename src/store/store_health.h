/* Health data in the store (migrations 0027, 0032): a health source's
 * (Oura's) daily scores with their contributors, sleep periods, heart
 * rate samples, workouts, sessions and daily SpO2, in tables of their
 * own (never items, snapshots or values). SQLite: store_sqlite_health.c;
 * PostgreSQL: pg/pg_health.c (its migration 0006). Times are injected
 * (seconds since the epoch). Days are "YYYY-MM-DD" strings as Oura gives
 * them (the wearer's own day). */
#ifndef MEDIADASH_STORE_HEALTH_H
#define MEDIADASH_STORE_HEALTH_H

#include <stdint.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/health.h"
#include "store/store.h"

struct store_health_put {
    size_t docs;     /* documents written */
    size_t added;    /* of them, new rows */
    size_t replaced; /* of them, rows that were there and were replaced */
};

/* Write every document of b in one transaction (all or nothing): daily
 * documents and daily SpO2 replace the row of their (kind, day), sleep
 * periods, workouts and sessions the row of their id, heart rate samples
 * the row of their (instant, source) (migrations 0027 and 0032 say why).
 * now: fetched_at. */
enum err store_health_put(struct store *st, const struct health_batch *b,
                          int64_t now, struct store_health_put *out,
                          struct buf *err) WARN_UNUSED;

/* Rows per table, in the order daily, contrib, sleep, hr, workout,
 * session, spo2, and the health source's connection rows (credential,
 * oauth_state, oauth_pending, collect_job whose platform is source: the
 * descriptor's name, platform_health_source(); NULL counts none). */
struct store_health_counts {
    int64_t daily, contrib, sleep, hr, workout;
    int64_t connection;
    int64_t session, spo2;
};
enum err store_health_count(struct store *st, const char *source,
                            struct store_health_counts *out,
                            struct buf *err) WARN_UNUSED;

/* Delete every health row and the connection of source (as above: its
 * sealed tokens, pending logins and collector jobs) in one transaction;
 * *out (may be NULL) holds what there was. */
enum err store_health_remove(struct store *st, const char *source,
                             struct store_health_counts *out,
                             struct buf *err) WARN_UNUSED;

/* One day: the three scores, activity, the day's sleep periods summed
 * (periods of type "deleted" left out), the night's SpO2 average and the
 * day's sessions (count and seconds, 0 when none). Absent: HEALTH_NONE
 * or NAN. */
struct store_health_day {
    char day[HEALTH_DAY_LEN + 1];
    int64_t sleep_score, readiness_score, activity_score;
    int64_t steps, active_calories;
    int64_t sleep_s, in_bed_s, deep_s, rem_s, light_s; /* summed */
    int64_t lowest_hr;                                  /* lowest of all */
    double average_hrv, temp_dev;
    double spo2;                   /* percent */
    int64_t sessions, session_s;   /* count, summed end - start */
    /* the day's heart rate samples (every source; the UTC day of each
     * sample): lowest, mean, highest (HEALTH_NONE, NAN without any) */
    int64_t hr_min, hr_max, hr_samples;
    double hr_avg;
    /* workouts: count, summed end - start, summed calories (NAN: none
     * said) */
    int64_t workouts, workout_s;
    double workout_calories;
};
typedef enum err (*store_health_day_fn)(const struct store_health_day *d,
                                        void *ud);
/* Days from..to (inclusive, "YYYY-MM-DD"; NULL: unbounded) that have any
 * daily document, sleep period, session, daily SpO2, workout or heart rate
 * sample, oldest first. A non-OK return of fn
 * stops the walk and is returned. */
enum err store_health_days(struct store *st, const char *from,
                           const char *to, store_health_day_fn fn, void *ud,
                           struct buf *err) WARN_UNUSED;

#endif
