/* IANA time zones, read from the system's compiled zoneinfo (TZif files,
 * Debian package tzdata), independent of the process's TZ variable and
 * safe to use from several threads once loaded. Zones appear only at the
 * edges: parsing user input, display, day boundaries, scheduling
 * (DESIGN.md); everything stored is UTC. */
#ifndef MEDIADASH_TZ_H
#define MEDIADASH_TZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "err.h"

struct tz; /* immutable once loaded */

#define TZ_NAME_MAX 64           /* bytes of a zone name */
#define TZ_FILE_MAX (256 * 1024) /* bytes of a TZif file */

/* Load zone name ("UTC", "Europe/Berlin", "America/Los_Angeles") from
 * $TZDIR or /usr/share/zoneinfo. Names are checked before touching the
 * file system (no "..", no leading "/", only [A-Za-z0-9_+-/], at most 64
 * bytes). ERR_INVALID for a malformed name, ERR_NOTFOUND for an unknown
 * zone (or a directory), ERR_PARSE for a corrupt file or one over
 * TZ_FILE_MAX, ERR_UNSUPPORTED for leap-second ("right/") data, ERR_IO
 * when reading fails; err (borrowed, not NULL) says which, naming the
 * zone once its name is valid (a bad name is never echoed). On success
 * the caller destroys *out; on failure *out is untouched. Reads $TZDIR
 * with getenv: do not change it while other threads load zones. */
enum err tz_load(const char *name, struct tz **out,
                 struct buf *err) WARN_UNUSED;
/* Parse the n bytes of a TZif file (versions 1 to 4; for 2 and later the
 * 64-bit data and the POSIX TZ footer, which rules instants after the last
 * transition). name is copied, for tz_name. Errors as for tz_load, except
 * that nothing is read from disk. Caller destroys *out. Used by tz_load,
 * the tests and the fuzz target. */
enum err tz_parse(const void *data, size_t len, const char *name,
                  struct tz **out, struct buf *err) WARN_UNUSED;
/* The UTC zone, without touching the file system. Caller destroys. */
struct tz *tz_utc(void);
void tz_destroy(struct tz *z);           /* NULL is a no-op */
const char *tz_name(const struct tz *z); /* borrowed, lives as long as z */

/* Offset from UTC in seconds (east positive) in effect at instant utc. */
int32_t tz_offset_at(const struct tz *z, int64_t utc);

/* Broken-down local time of an instant (any int64_t: no overflow). */
struct tz_civil {
    int64_t year;
    int month, day; /* 1-12, 1-31 */
    int hour, minute, second;
    int wday;       /* 0 = Sunday */
    int32_t offset; /* seconds east of UTC */
    bool dst;
};
void tz_to_civil(const struct tz *z, int64_t utc, struct tz_civil *out);

/* How a local wall-clock time maps to instants. */
enum tz_local {
    TZ_LOCAL_UNIQUE,  /* exactly one instant: *first == *second */
    TZ_LOCAL_GAP,     /* skipped (spring forward): no instant; *first is
                         the instant the wall clock jumps past it and
                         *second that same instant (the first valid time
                         after the gap) */
    TZ_LOCAL_OVERLAP, /* repeated (fall back): *first the earlier instant,
                       *second the later */
};
/* Resolve the local time y-m-d h:mi:s in zone z. ERR_INVALID for an
 * impossible date (Feb 30, hour 24, second 60...) or |y| over 10^8; the
 * outputs are then untouched. Where corrupt-looking data repeats a wall
 * time more than twice, *first is the earliest and *second the latest.
 * Callers choose the rule: the scheduler, for instance, can refuse a GAP
 * or take *first, and take *first (the earlier) for an OVERLAP. */
enum err tz_from_civil(const struct tz *z, int64_t y, int m, int d, int h,
                       int mi, int s, enum tz_local *kind, int64_t *first,
                       int64_t *second) WARN_UNUSED;

/* The instant the local day containing utc begins (local midnight, or
 * the first instant of that day when midnight falls in a gap, or the
 * first of two midnights when the clock falls back to midnight, as in
 * America/Havana), and the instant the next local day begins. Days are
 * 23, 24 or 25 hours long around DST changes (24.5 at Lord Howe). Exact
 * within tz_from_civil's years; beyond them they saturate at the ends of
 * int64_t. */
int64_t tz_day_start(const struct tz *z, int64_t utc);
int64_t tz_next_day_start(const struct tz *z, int64_t utc);

/* Append utc as local ISO 8601 with offset, e.g. 2024-03-10T03:00:00-07:00
 * (+00:00 for UTC; an offset with seconds, local mean time before ~1900,
 * as -07:52:58; years outside 0-9999 as +10000). ERR_TOOBIG when out is
 * full; out is then unchanged. */
enum err tz_format(const struct tz *z, int64_t utc,
                   struct buf *out) WARN_UNUSED;

#endif
