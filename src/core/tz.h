/* IANA time zones, read from the system's compiled zoneinfo (TZif files,
 * Debian package tzdata), independent of the process's TZ variable and
 * safe to use from several threads once loaded. Zones appear only at the
 * edges: parsing user input, display, day boundaries, scheduling
 * (DESIGN.md); everything stored is UTC. */
#ifndef MEDIADASH_TZ_H
#define MEDIADASH_TZ_H

#include <stdbool.h>
#include <stdint.h>

#include "buf.h"
#include "err.h"

struct tz; /* immutable once loaded */

/* Load zone name ("UTC", "Europe/Berlin", "America/Los_Angeles") from
 * $TZDIR or /usr/share/zoneinfo. Names are checked before touching the
 * file system (no "..", no leading "/", only [A-Za-z0-9_+-/], at most 64
 * bytes). ERR_NOTFOUND for an unknown zone, ERR_PARSE for a corrupt file;
 * err says which. Caller destroys *out. */
enum err tz_load(const char *name, struct tz **out, struct buf *err)
    WARN_UNUSED;
/* The UTC zone, without touching the file system. Caller destroys. */
struct tz *tz_utc(void);
void tz_destroy(struct tz *z); /* NULL is a no-op */
const char *tz_name(const struct tz *z);

/* Offset from UTC in seconds (east positive) in effect at instant utc. */
int32_t tz_offset_at(const struct tz *z, int64_t utc);

/* Broken-down local time of an instant. */
struct tz_civil {
    int64_t year;
    int month, day;          /* 1-12, 1-31 */
    int hour, minute, second;
    int wday;                /* 0 = Sunday */
    int32_t offset;          /* seconds east of UTC */
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
 * impossible date (Feb 30, hour 24...). */
enum err tz_from_civil(const struct tz *z, int64_t y, int m, int d, int h,
                       int mi, int s, enum tz_local *kind, int64_t *first,
                       int64_t *second) WARN_UNUSED;

/* The instant the local day containing utc begins (local midnight, or
 * the first instant of that day when midnight falls in a gap), and the
 * instant the next local day begins. Days are 23, 24 or 25 hours long
 * around DST changes. */
int64_t tz_day_start(const struct tz *z, int64_t utc);
int64_t tz_next_day_start(const struct tz *z, int64_t utc);

/* Append utc as local ISO 8601 with offset, e.g. 2024-03-10T03:00:00-07:00. */
enum err tz_format(const struct tz *z, int64_t utc, struct buf *out)
    WARN_UNUSED;

#endif
