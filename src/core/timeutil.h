/* Time helpers. Inside the program time is int64 seconds since the epoch,
 * UTC; zones appear only at the edges (DESIGN.md). */
#ifndef MEDIADASH_TIMEUTIL_H
#define MEDIADASH_TIMEUTIL_H

#include <stdbool.h>
#include <stdint.h>

#include "buf.h"
#include "err.h"

#define TIME_NONE INT64_MIN /* "unknown" */
#define TIME_MIN_VALID (-62135596800LL) /* 0001-01-01T00:00:00Z */
#define TIME_MAX_VALID 253402300799LL   /* 9999-12-31T23:59:59Z */

/* Days since 1970-01-01 of a proleptic Gregorian date (no range checks). */
int64_t time_days_from_civil(int64_t y, unsigned m, unsigned d);
/* Inverse of time_days_from_civil. */
void time_civil_from_days(int64_t days, int64_t *y, unsigned *m,
                          unsigned *d);

/* Parse ISO 8601 / RFC 3339 as platforms send it:
 *   2024-06-01                    (midnight UTC)
 *   2024-06-01T12:30:00Z          2024-06-01T12:30:00.123Z (fraction dropped)
 *   2024-06-01T12:30:00+0000      2024-06-01T12:30:00-07:00
 *   2024-06-01 12:30:00           (space separator, no zone: UTC)
 * Returns ERR_PARSE for anything else, including impossible dates. */
enum err time_parse_iso8601(const char *s, int64_t *out) WARN_UNUSED;
/* Append t as 2024-06-01T12:30:00Z. */
enum err time_format_iso8601(int64_t t, struct buf *out) WARN_UNUSED;
/* Append t's UTC date as 2024-06-01. */
enum err time_format_date(int64_t t, struct buf *out) WARN_UNUSED;
/* Append the date of civil day number day (days since 1970-01-01 in any
 * calendar: rollup days are numbered so) as 2024-06-01. */
enum err time_format_day(int64_t day, struct buf *out) WARN_UNUSED;
/* True when s is a plain date (YYYY-MM-DD) rather than an instant: its
 * civil day number is then time_parse_iso8601's result / 86400 in any
 * zone. */
bool time_is_date(const char *s);

/* Parse an ISO 8601 duration such as PT1H2M3S or P1DT2H into seconds
 * (YouTube contentDetails.duration). Years and months are refused. */
enum err time_parse_duration(const char *s, int64_t *out) WARN_UNUSED;

/* Seconds since the epoch now (CLOCK_REALTIME). */
int64_t time_now(void);
/* Monotonic milliseconds, for measuring intervals. */
int64_t time_mono_ms(void);

#endif
