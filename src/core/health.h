/* Health data (Oura API v2) as parsed and stored: personal data kept apart
 * from the social model (no items, snapshots or values). One batch holds
 * what one response page gives; the store writes it to its own tables
 * (store_health.h). Absent numbers are HEALTH_NONE (integers) or NAN. */
#ifndef MEDIADASH_HEALTH_H
#define MEDIADASH_HEALTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HEALTH_NONE INT64_MIN /* an integer the document did not give */
#define HEALTH_CONTRIB_MAX 10 /* contributors of one daily score */
#define HEALTH_DAY_LEN 10     /* "2026-08-10" */

/* The eight Oura collections we read. Never stored as numbers (the
 * tables keep the names), so a kind is appended at the end. */
enum health_kind {
    HEALTH_DAILY_SLEEP,
    HEALTH_DAILY_READINESS,
    HEALTH_DAILY_ACTIVITY,
    HEALTH_SLEEP,
    HEALTH_HEARTRATE,
    HEALTH_WORKOUT,
    HEALTH_SESSION,    /* meditation, breathing, ... sessions ("moments") */
    HEALTH_DAILY_SPO2, /* the night's average blood oxygen */
    HEALTH_KIND_COUNT
};

/* "daily_sleep", ... : the endpoint's last path segment. */
const char *health_kind_name(enum health_kind k);
/* The kind named so, or -1. */
int health_kind_find(const char *name);

struct health_contrib {
    const char *name; /* static: from the parser's list of known names */
    int64_t value;    /* 1..100 */
};

/* One daily_sleep, daily_readiness or daily_activity document. */
struct health_daily {
    enum health_kind kind;
    char *id;                       /* owned */
    char day[HEALTH_DAY_LEN + 1];
    int64_t score;                  /* 0..100 or HEALTH_NONE */
    size_t ncontrib;
    struct health_contrib contrib[HEALTH_CONTRIB_MAX];
    /* activity only */
    int64_t steps, active_calories, total_calories;
    int64_t high_s, medium_s, low_s, sedentary_s; /* activity times */
    /* readiness only */
    double temp_dev, temp_trend_dev;
};

/* One sleep period (sleep collection). */
struct health_sleep {
    char *id, *type;                /* owned; type may be NULL */
    char day[HEALTH_DAY_LEN + 1];
    int64_t start, end;             /* bedtime, unix seconds */
    int64_t total_s, in_bed_s, deep_s, rem_s, light_s, awake_s, latency_s;
    int64_t efficiency, lowest_hr, average_hrv, restless;
    double average_hr, average_breath;
};

/* One heart rate sample. */
struct health_hr {
    int64_t ts;                     /* unix seconds */
    int64_t bpm;
    const char *source;             /* static: "awake", "rest", ... */
};

struct health_workout {
    char *id, *activity, *label;    /* owned; label may be NULL */
    const char *intensity, *source; /* static */
    char day[HEALTH_DAY_LEN + 1];
    int64_t start, end;
    double calories, distance;      /* NAN when absent */
};

/* One session (a "moment": meditation, breathing, rest, ...). Its heart
 * rate samples go to the batch's hr with source "session"; its HRV
 * samples are not kept (no table holds such a series). */
struct health_session {
    char *id;                       /* owned */
    const char *type, *mood;        /* static; mood may be NULL */
    char day[HEALTH_DAY_LEN + 1];
    int64_t start, end;             /* unix seconds, end >= start */
};

/* One daily_spo2 document: the night's SpO2 average (percent) and the
 * breathing disturbance index (0..100). */
struct health_spo2 {
    char *id;                       /* owned */
    char day[HEALTH_DAY_LEN + 1];
    double average;                 /* NAN when absent */
    int64_t bdi;                    /* HEALTH_NONE when absent */
};

/* What one page gives. The arrays are owned by the batch. */
struct health_batch {
    enum health_kind kind;
    struct health_daily *daily;
    size_t ndaily;
    struct health_sleep *sleep;
    size_t nsleep;
    struct health_hr *hr;
    size_t nhr;
    struct health_workout *workout;
    size_t nworkout;
    struct health_session *session;
    size_t nsession;
    struct health_spo2 *spo2;
    size_t nspo2;
    char *next_token; /* owned; NULL on the last page */
};

void health_batch_init(struct health_batch *b);
/* Frees everything the batch holds and leaves it empty (reusable). */
void health_batch_free(struct health_batch *b);
/* Rows in the batch: its documents, and the heart rate samples a session
 * page carries (each a row of the heart rate series). */
size_t health_batch_count(const struct health_batch *b);

/* Slots appended to the batch's arrays, zeroed with numbers absent. */
struct health_daily *health_batch_add_daily(struct health_batch *b);
struct health_sleep *health_batch_add_sleep(struct health_batch *b);
struct health_hr *health_batch_add_hr(struct health_batch *b);
struct health_workout *health_batch_add_workout(struct health_batch *b);
struct health_session *health_batch_add_session(struct health_batch *b);
struct health_spo2 *health_batch_add_spo2(struct health_batch *b);

#endif
