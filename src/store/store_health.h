/* Health data in the store (migration 0027): Oura daily scores with
 * their contributors, sleep periods, heart rate samples and workouts, in
 * tables of their own (never items, snapshots or values). SQLite backend
 * only for now (store_sqlite_health.c), like store_token.h. Times are
 * injected (seconds since the epoch). Days are "YYYY-MM-DD" strings as
 * Oura gives them (the wearer's own day). */
#ifndef MEDIADASH_STORE_HEALTH_H
#define MEDIADASH_STORE_HEALTH_H

#include <stdint.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/health.h"
#include "store/store.h"

/* The platform name the Oura connection's rows (credential, OAuth state,
 * collector jobs) are stored under. */
#define STORE_HEALTH_PLATFORM "oura"

struct store_health_put {
    size_t docs;     /* documents written */
    size_t added;    /* of them, new rows */
    size_t replaced; /* of them, rows that were there and were replaced */
};

/* Write every document of b in one transaction (all or nothing): daily
 * documents replace the row of their (kind, day), sleep periods and
 * workouts the row of their id, heart rate samples the row of their
 * (instant, source) (migration 0027 says why). now: fetched_at. */
enum err store_health_put(struct store *st, const struct health_batch *b,
                          int64_t now, struct store_health_put *out,
                          struct buf *err) WARN_UNUSED;

/* Rows per table, in the order daily, contrib, sleep, hr, workout, and
 * the Oura connection's rows (credential, oauth_state, oauth_pending,
 * collect_job); *any (may be NULL) is whether any health row exists. */
struct store_health_counts {
    int64_t daily, contrib, sleep, hr, workout;
    int64_t connection;
};
enum err store_health_count(struct store *st, struct store_health_counts *out,
                            struct buf *err) WARN_UNUSED;

/* Delete every health row and the Oura connection (its sealed tokens,
 * pending logins and collector jobs) in one transaction; *out (may be
 * NULL) holds what there was. */
enum err store_health_remove(struct store *st,
                             struct store_health_counts *out,
                             struct buf *err) WARN_UNUSED;

/* One day: the three scores, activity and the day's sleep periods
 * summed (periods of type "deleted" left out). Absent: HEALTH_NONE or
 * NAN. */
struct store_health_day {
    char day[HEALTH_DAY_LEN + 1];
    int64_t sleep_score, readiness_score, activity_score;
    int64_t steps, active_calories;
    int64_t sleep_s, in_bed_s, deep_s, rem_s, light_s; /* summed */
    int64_t lowest_hr;                                  /* lowest of all */
    double average_hrv, temp_dev;
};
typedef enum err (*store_health_day_fn)(const struct store_health_day *d,
                                        void *ud);
/* Days from..to (inclusive, "YYYY-MM-DD"; NULL: unbounded) that have any
 * daily document or sleep period, oldest first. A non-OK return of fn
 * stops the walk and is returned. */
enum err store_health_days(struct store *st, const char *from,
                           const char *to, store_health_day_fn fn, void *ud,
                           struct buf *err) WARN_UNUSED;

#endif
