/* The rollup zone's calendar days, for every backend: pure arithmetic on
 * a zone (store_impl.h). Days are numbered as days since 1970-01-01 of the
 * zone's calendar; around a DST change a day is 23 or 25 hours long. */
#include "core/timeutil.h"
#include "core/tz.h"
#include "store/store_impl.h"

int32_t store_zone_day(const struct tz *zone, bool utc, int64_t t)
{
    struct tz_civil c;

    if (utc)
        return (int32_t)(t >= 0 ? t / 86400 : -((-t + 86399) / 86400));
    tz_to_civil(zone, t, &c);
    return (int32_t)time_days_from_civil(c.year, (unsigned)c.month,
                                         (unsigned)c.day);
}

int64_t store_zone_day_start(const struct tz *zone, bool utc, int32_t day)
{
    enum tz_local kind;
    int64_t y, noon, later;
    unsigned m, d;

    if (utc)
        return (int64_t)day * 86400;
    /* Local noon lies inside the day whatever DST does at midnight. */
    time_civil_from_days(day, &y, &m, &d);
    if (tz_from_civil(zone, y, (int)m, (int)d, 12, 0, 0, &kind, &noon,
                      &later) != ERR_OK)
        return (int64_t)day * 86400; /* unreachable for a valid day */
    return tz_day_start(zone, noon);
}
