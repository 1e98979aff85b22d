/* libFuzzer: the TZif parser and its POSIX TZ footer (core/tz), then the
 * lookups on whatever it accepts. Invariants that fail call
 * __builtin_trap(). Seed the corpus with files from /usr/share/zoneinfo. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/tz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(bool ok)
{
    if (!ok)
        __builtin_trap();
}

/* An accepted zone must answer every question consistently. */
static void exercise(const struct tz *z, int64_t t, struct buf *out)
{
    struct tz_civil c;
    enum tz_local kind;
    int64_t a, b, s, n;
    int32_t off = tz_offset_at(z, t);

    check(off >= -26 * 3600 && off <= 26 * 3600);
    tz_to_civil(z, t, &c);
    check(c.offset == off && c.month >= 1 && c.month <= 12 && c.day >= 1 &&
          c.day <= 31 && c.hour >= 0 && c.hour <= 23 && c.wday >= 0 &&
          c.wday <= 6);
    /* The wall time of t maps back to a set of instants holding t. */
    if (c.year > -100000000 && c.year < 100000000) {
        check(tz_from_civil(z, c.year, c.month, c.day, c.hour, c.minute,
                            c.second, &kind, &a, &b) == ERR_OK);
        check(kind != TZ_LOCAL_GAP && a <= t && t <= b);
        check(kind == TZ_LOCAL_OVERLAP || a == b);
    }
    s = tz_day_start(z, t);
    n = tz_next_day_start(z, t);
    check(s <= t && (t < n || n == INT64_MAX)); /* saturates */
    buf_reset(out);
    check(tz_format(z, t, out) == ERR_OK && out->len >= 25);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const int64_t fixed[] = {
        0,          -2208988800, 1700000000,   1710054000,   1730611800,
        4118151600, 4129263000,  -62135596800, 253402300799, INT64_MIN,
        INT64_MAX,  -1,
    };
    struct tz *z = NULL;
    struct buf err, out;
    int64_t t;

    buf_init(&err, 1024);
    buf_init(&out, 128);
    if (tz_parse(data, size, "fuzz", &z, &err) == ERR_OK) {
        check(z != NULL && strcmp(tz_name(z), "fuzz") == 0);
        for (size_t i = 0; i < sizeof fixed / sizeof *fixed; i++)
            exercise(z, fixed[i], &out);
        if (size >= 8) { /* an instant chosen by the input's tail */
            memcpy(&t, data + size - 8, 8);
            exercise(z, t, &out);
        }
        tz_destroy(z);
    } else {
        check(z == NULL && err.len > 0);
    }
    buf_free(&err);
    buf_free(&out);
    return 0;
}
