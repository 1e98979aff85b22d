#include "timeutil.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "str.h"

/* Howard Hinnant's days_from_civil / civil_from_days. */
int64_t time_days_from_civil(int64_t y, unsigned m, unsigned d)
{
    int64_t era;
    unsigned yoe, doy, doe;

    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = (unsigned)(y - era * 400);
    doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

void time_civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
    int64_t era;
    unsigned doe, yoe, doy, mp;

    z += 719468;
    era = (z >= 0 ? z : z - 146096) / 146097;
    doe = (unsigned)(z - era * 146097);
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int64_t)yoe + era * 400 + (*m <= 2);
}

static bool is_leap(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static unsigned days_in_month(int64_t y, unsigned m)
{
    static const unsigned dm[] = {31, 28, 31, 30, 31, 30,
                                  31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : dm[m - 1];
}

/* Read exactly n digits at *p. */
static bool digits(const char **p, int n, unsigned *out)
{
    unsigned v = 0;
    for (int i = 0; i < n; i++) {
        char c = (*p)[i];
        if (c < '0' || c > '9')
            return false;
        v = v * 10 + (unsigned)(c - '0');
    }
    *p += n;
    *out = v;
    return true;
}

static bool parse_zone(const char *p, int64_t *offset)
{
    unsigned hh, mm;
    int sign;

    if (*p == '\0' || strcmp(p, "Z") == 0 || strcmp(p, "z") == 0) {
        *offset = 0;
        return true;
    }
    if (*p != '+' && *p != '-')
        return false;
    sign = *p == '-' ? -1 : 1;
    p++;
    if (!digits(&p, 2, &hh))
        return false;
    if (*p == ':')
        p++;
    if (!digits(&p, 2, &mm) || *p != '\0' || hh > 23 || mm > 59)
        return false;
    *offset = sign * (int64_t)(hh * 3600 + mm * 60);
    return true;
}

enum err time_parse_iso8601(const char *s, int64_t *out)
{
    const char *p = s;
    unsigned y, mo, d, h = 0, mi = 0, se = 0;
    int64_t offset = 0, t;

    if (s == NULL || !digits(&p, 4, &y) || *p++ != '-' ||
        !digits(&p, 2, &mo) || *p++ != '-' || !digits(&p, 2, &d))
        return ERR_PARSE;
    if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo))
        return ERR_PARSE;
    if (*p == 'T' || *p == 't' || *p == ' ') {
        p++;
        if (!digits(&p, 2, &h) || *p++ != ':' || !digits(&p, 2, &mi))
            return ERR_PARSE;
        if (*p == ':') {
            p++;
            if (!digits(&p, 2, &se))
                return ERR_PARSE;
            if (*p == '.' || *p == ',') {
                p++;
                if (*p < '0' || *p > '9')
                    return ERR_PARSE;
                while (*p >= '0' && *p <= '9')
                    p++;
            }
        }
        /* 60 allows a leap second; it folds into the next minute. */
        if (h > 23 || mi > 59 || se > 60 || !parse_zone(p, &offset))
            return ERR_PARSE;
    } else if (*p != '\0') {
        return ERR_PARSE;
    }
    t = time_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se;
    *out = t - offset;
    return ERR_OK;
}

enum err time_format_iso8601(int64_t t, struct buf *out)
{
    int64_t days, y, secs;
    unsigned m, d;

    if (t < TIME_MIN_VALID || t > TIME_MAX_VALID)
        return ERR_INVALID;
    days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
    secs = t - days * 86400;
    time_civil_from_days(days, &y, &m, &d);
    return buf_printf(out, "%04lld-%02u-%02uT%02d:%02d:%02dZ", (long long)y,
                      m, d, (int)(secs / 3600), (int)(secs / 60 % 60),
                      (int)(secs % 60));
}

enum err time_format_date(int64_t t, struct buf *out)
{
    int64_t days, y;
    unsigned m, d;

    if (t < TIME_MIN_VALID || t > TIME_MAX_VALID)
        return ERR_INVALID;
    days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
    time_civil_from_days(days, &y, &m, &d);
    return buf_printf(out, "%04lld-%02u-%02u", (long long)y, m, d);
}

enum err time_format_day(int64_t day, struct buf *out)
{
    if (day < TIME_MIN_VALID / 86400 || day > TIME_MAX_VALID / 86400)
        return ERR_INVALID;
    return time_format_date(day * 86400, out);
}

bool time_is_date(const char *s)
{
    return strlen(s) == 10 && s[4] == '-' && s[7] == '-';
}

enum err time_parse_duration(const char *s, int64_t *out)
{
    const char *p = s;
    bool in_time = false, any = false;
    int64_t total = 0;

    if (s == NULL || *p++ != 'P')
        return ERR_PARSE;
    while (*p) {
        int64_t v = 0;
        int64_t mult;
        const char *start;
        if (*p == 'T') {
            if (in_time)
                return ERR_PARSE;
            in_time = true;
            p++;
            continue;
        }
        start = p;
        while (*p >= '0' && *p <= '9') {
            if (v > (INT64_MAX - 9) / 10)
                return ERR_PARSE;
            v = v * 10 + (*p - '0');
            p++;
        }
        if (p == start)
            return ERR_PARSE;
        switch (*p) {
        case 'W':
            mult = in_time ? 0 : 7 * 86400;
            break;
        case 'D':
            mult = in_time ? 0 : 86400;
            break;
        case 'H':
            mult = in_time ? 3600 : 0;
            break;
        case 'M':
            mult = in_time ? 60 : 0; /* months are not a fixed length */
            break;
        case 'S':
            mult = in_time ? 1 : 0;
            break;
        default:
            return ERR_PARSE;
        }
        if (mult == 0 || v > (INT64_MAX - total) / mult)
            return ERR_PARSE;
        total += v * mult;
        any = true;
        p++;
    }
    if (!any) /* "P" and "PT" alone say nothing */
        return ERR_PARSE;
    *out = total;
    return ERR_OK;
}

int64_t time_now(void)
{
    struct timespec ts;
#ifdef MEDIADASH_TEST_CLOCK
    /* test builds: MEDIADASH_TEST_NOW (epoch seconds) sets the clock */
    const char *fake = getenv("MEDIADASH_TEST_NOW");
    int64_t v;
    if (fake != NULL && parse_i64(fake, 0, INT64_MAX / 2, &v) == ERR_OK)
        return v;
#endif
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec;
}

int64_t time_mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
