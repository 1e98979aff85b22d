/* Scheduling rules (schedule.h): pure functions over core/tz. */
#include "schedule/schedule.h"

#include <stdio.h>
#include <string.h>

#include "core/str.h"
#include "core/timeutil.h"
#include "core/tz.h"

struct wall {
    int64_t y;
    int m, d, h, mi, s;
};

static bool field(const char *s, size_t at, size_t n, int64_t lo, int64_t hi,
                  int64_t *out)
{
    for (size_t i = at; i < at + n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return parse_i64n(s + at, n, lo, hi, out) == ERR_OK;
}

/* "YYYY-MM-DD HH:MM" or "YYYY-MM-DD HH:MM:SS" ('T' for the space). */
static enum err parse_wall(const char *s, struct wall *w)
{
    size_t n = strlen(s);
    int64_t v[6] = {0};

    if ((n != 16 && n != 19) || s[4] != '-' || s[7] != '-' ||
        (s[10] != ' ' && s[10] != 'T') || s[13] != ':' ||
        (n == 19 && s[16] != ':'))
        return ERR_PARSE;
    if (!field(s, 0, 4, 1, 9999, &v[0]) || !field(s, 5, 2, 1, 12, &v[1]) ||
        !field(s, 8, 2, 1, 31, &v[2]) || !field(s, 11, 2, 0, 23, &v[3]) ||
        !field(s, 14, 2, 0, 59, &v[4]) ||
        (n == 19 && !field(s, 17, 2, 0, 59, &v[5])))
        return ERR_PARSE;
    *w = (struct wall){v[0], (int)v[1], (int)v[2], (int)v[3], (int)v[4],
                       (int)v[5]};
    return ERR_OK;
}

/* "HH:MM" of the wall clock at utc under offset off (seconds east),
 * preceded by the date when it is not on day `day` (Samoa skipped a whole
 * day in 2011). */
static void wall_of(int64_t utc, int32_t off, int64_t day, char out[32])
{
    int64_t t = utc + off, days = t / 86400 - (t % 86400 < 0);
    int64_t sec = t - days * 86400, y;
    unsigned m, d;

    time_civil_from_days(days, &y, &m, &d);
    if (days == day)
        snprintf(out, 32, "%02d:%02d", (int)(sec / 3600), (int)(sec / 60 % 60));
    else
        snprintf(out, 32, "%04d-%02u-%02u %02d:%02d", (int)y, m, d,
                 (int)(sec / 3600), (int)(sec / 60 % 60));
}

static void fmt_offset(int32_t off, char out[16])
{
    int32_t a = off < 0 ? -off : off;
    snprintf(out, 16, "%c%02d:%02d", off < 0 ? '-' : '+', (int)(a / 3600),
             (int)(a / 60 % 60));
}

static void gap_message(const struct tz *z, const char *local, int64_t day,
                        int64_t g, struct buf *err)
{
    char from[32], to[32];
    wall_of(g, tz_offset_at(z, g - 1), day, from);
    wall_of(g, tz_offset_at(z, g), day, to);
    buf_setf(err, "%.16s does not exist in %s: clocks jump from %s to %s",
             local, tz_name(z), from, to);
}

static void overlap_note(const struct tz *z, const char *local, int64_t t,
                         bool later, struct buf *note)
{
    char off[16];
    fmt_offset(tz_offset_at(z, t), off);
    buf_setf(note, "%.16s occurs twice in %s: took the %s (UTC%s)%s", local,
             tz_name(z), later ? "second" : "first", off,
             later ? "" : "; use --later or \"fold\": 1 for the second");
}

static enum err resolve_in(const struct tz *z, const struct wall *w,
                           const struct sched_opts *o, struct sched_time *out,
                           struct buf *note, struct buf *err)
{
    int64_t day = time_days_from_civil(w->y, (unsigned)w->m, (unsigned)w->d);
    enum tz_local kind;
    int64_t first, second;
    enum err rc;

    rc = tz_from_civil(z, w->y, w->m, w->d, w->h, w->mi, w->s, &kind,
                       &first, &second);
    if (rc != ERR_OK) {
        buf_setf(err, "%s is not a valid date and time", out->local);
        return ERR_PARSE;
    }
    out->utc = first;
    out->kind = SCHED_UNIQUE;
    if (kind == TZ_LOCAL_GAP) {
        if (o == NULL || !o->shift_gap) {
            gap_message(z, out->local, day, first, err);
            return ERR_INVALID;
        }
        out->kind = SCHED_SHIFTED;
        if (note != NULL) {
            gap_message(z, out->local, day, first, note);
            buf_catf(note, "; shifted to the end of the gap");
        }
    } else if (kind == TZ_LOCAL_OVERLAP) {
        bool later = o != NULL && o->later;
        out->utc = later ? second : first;
        out->kind = later ? SCHED_SECOND : SCHED_FIRST;
        if (note != NULL)
            overlap_note(z, out->local, out->utc, later, note);
    }
    return ERR_OK;
}

enum err sched_resolve(const char *zone, const char *local,
                       const struct sched_opts *o, struct sched_time *out,
                       struct buf *note, struct buf *err)
{
    struct tz *z = NULL;
    struct wall w;
    enum err rc;

    if (note != NULL)
        buf_reset(note);
    if (local == NULL || parse_wall(local, &w) != ERR_OK) {
        buf_setf(err, "the time must be YYYY-MM-DD HH:MM[:SS] (local wall "
                      "time in the zone)");
        return ERR_PARSE;
    }
    snprintf(out->local, sizeof out->local,
             "%04d-%02d-%02d %02d:%02d:%02d", (int)w.y, w.m, w.d, w.h, w.mi,
             w.s);
    rc = tz_load(zone, &z, err);
    if (rc != ERR_OK)
        return rc;
    rc = resolve_in(z, &w, o, out, note, err);
    tz_destroy(z);
    return rc;
}

bool sched_missed(int64_t now, int64_t publish_at, int64_t grace_s,
                  struct buf *why)
{
    char due[32] = "?";
    struct buf t;

    if (now - publish_at <= grace_s)
        return false;
    buf_init(&t, sizeof due - 1);
    if (time_format_iso8601(publish_at, &t) == ERR_OK)
        snprintf(due, sizeof due, "%s", buf_cstr(&t));
    buf_free(&t);
    if (why != NULL)
        buf_setf(why,
                 "missed: due at %s (%lld h ago), past the grace window of "
                 "%lld h",
                 due, (long long)((now - publish_at) / 3600),
                 (long long)(grace_s / 3600));
    return true;
}

enum pub_outcome sched_classify(int http_status, const char *error_code)
{
    if (str_eq(error_code, "invalid_grant") || http_status == 401)
        return PUB_RELOGIN;
    if (http_status == 0)
        return PUB_UNCLEAR;
    if (http_status >= 200 && http_status < 300)
        return PUB_OK;
    if (http_status == 429)
        return PUB_RATE_LIMITED;
    if (http_status >= 500 && http_status < 600)
        return PUB_RETRY;
    return PUB_FATAL;
}

static int64_t backoff(int attempt, uint32_t jitter, int64_t base_s)
{
    int64_t d = base_s < 1 ? SCHED_BACKOFF_BASE_S : base_s;
    for (int i = 1; i < attempt && d < SCHED_BACKOFF_MAX_S; i++)
        d *= 2;
    if (d > SCHED_BACKOFF_MAX_S)
        d = SCHED_BACKOFF_MAX_S;
    return d + (int64_t)((uint64_t)jitter * (uint64_t)(d / 4) / UINT32_MAX);
}

enum sched_next sched_next_step(enum pub_outcome outcome, int attempt,
                                int64_t retry_after_s, uint32_t jitter,
                                int64_t *delay_s)
{
    return sched_next_step_base(outcome, attempt, retry_after_s, jitter,
                                SCHED_BACKOFF_BASE_S, delay_s);
}

enum sched_next sched_next_step_base(enum pub_outcome outcome, int attempt,
                                     int64_t retry_after_s, uint32_t jitter,
                                     int64_t base_s, int64_t *delay_s)
{
    int64_t d;

    *delay_s = 0;
    switch (outcome) {
    case PUB_OK:
        return SCHED_NEXT_PUBLISHED;
    case PUB_RELOGIN:
        return SCHED_NEXT_RELOGIN;
    case PUB_UNCLEAR:
        return SCHED_NEXT_CHECK;
    case PUB_FATAL:
        return SCHED_NEXT_FAILED;
    case PUB_RETRY:
    case PUB_RATE_LIMITED:
        break;
    }
    if (attempt >= SCHED_MAX_ATTEMPTS)
        return SCHED_NEXT_FAILED;
    d = backoff(attempt, jitter, base_s);
    if (outcome == PUB_RATE_LIMITED && retry_after_s > d)
        d = retry_after_s > 86400 ? 86400 : retry_after_s;
    *delay_s = d;
    return SCHED_NEXT_RETRY;
}
