/* IANA time zones (core/tz). Every expected instant was checked by hand
 * against GNU date and zdump (tzdata 2025b), e.g.
 *   TZ=America/New_York date -d @1730611800 '+%FT%T%:z'
 *   date -u -d 'TZ="America/New_York" 2024-11-03 00:30' +%s
 * and none depends on the process's TZ: CTest runs this file under
 * TZ=UTC, TZ=America/Los_Angeles and TZ=Asia/Tokyo. */
#include "testutil.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/tz.h"

static struct tz *load(const char *name)
{
    struct tz *z = NULL;
    struct buf err;

    buf_init(&err, 1024);
    if (tz_load(name, &z, &err) != ERR_OK)
        fail_msg("%s: %s", name, buf_cstr(&err));
    buf_free(&err);
    return z;
}

/* ---- instants: offset, DST flag and tz_format ------------------------- */

struct inst_case {
    const char *zone;
    int64_t utc;
    int32_t offset;
    bool dst;
    const char *text;
};

static const struct inst_case inst_cases[] = {
    {"UTC", 1717243200, 0, 0, "2024-06-01T12:00:00+00:00"},
    {"UTC", 0, 0, 0, "1970-01-01T00:00:00+00:00"},
    {"America/New_York", 1710053999, -18000, 0, "2024-03-10T01:59:59-05:00"},
    {"America/New_York", 1710054000, -14400, 1, "2024-03-10T03:00:00-04:00"},
    {"America/New_York", 1730611800, -14400, 1, "2024-11-03T01:30:00-04:00"},
    {"America/New_York", 1730615400, -18000, 0, "2024-11-03T01:30:00-05:00"},
    {"Europe/Berlin", 1711846799, 3600, 0, "2024-03-31T01:59:59+01:00"},
    {"Europe/Berlin", 1711846800, 7200, 1, "2024-03-31T03:00:00+02:00"},
    {"Europe/Berlin", 1729989000, 7200, 1, "2024-10-27T02:30:00+02:00"},
    {"Europe/Berlin", 1729992600, 3600, 0, "2024-10-27T02:30:00+01:00"},
    {"America/Los_Angeles", 4118151600, -25200, 1, "2100-07-01T12:00:00-07:00"},
    {"America/Los_Angeles", 4108701599, -28800, 0, "2100-03-14T01:59:59-08:00"},
    {"America/Los_Angeles", 4108701600, -25200, 1, "2100-03-14T03:00:00-07:00"},
    {"America/Los_Angeles", 4129263000, -28800, 0, "2100-11-07T01:30:00-08:00"},
    {"America/Los_Angeles", 28800, -28800, 0, "1970-01-01T00:00:00-08:00"},
    {"America/Los_Angeles", 15706800, -25200, 1, "1970-07-01T12:00:00-07:00"},
    {"Australia/Lord_Howe", 1719797400, 37800, 0, "2024-07-01T12:00:00+10:30"},
    {"Australia/Lord_Howe", 1733014800, 39600, 1, "2024-12-01T12:00:00+11:00"},
    {"Australia/Lord_Howe", 1728142199, 37800, 0, "2024-10-06T01:59:59+10:30"},
    {"Australia/Lord_Howe", 1728142200, 39600, 1, "2024-10-06T02:30:00+11:00"},
    {"Asia/Kathmandu", 1717222500, 20700, 0, "2024-06-01T12:00:00+05:45"},
    {"Asia/Kathmandu", 0, 19800, 0, "1970-01-01T05:30:00+05:30"},
    {"Pacific/Apia", 1325239199, -36000, 1, "2011-12-29T23:59:59-10:00"},
    {"Pacific/Apia", 1325239200, 50400, 1, "2011-12-31T00:00:00+14:00"},
    {"America/Sao_Paulo", 1516024800, -7200, 1, "2018-01-15T12:00:00-02:00"},
    {"America/Sao_Paulo", 1705330800, -10800, 0, "2024-01-15T12:00:00-03:00"},
    {"America/Sao_Paulo", 1541300399, -10800, 0, "2018-11-03T23:59:59-03:00"},
    {"America/Sao_Paulo", 1541300400, -7200, 1, "2018-11-04T01:00:00-02:00"},
    {"Europe/Dublin", 1705320000, 0, 1, "2024-01-15T12:00:00+00:00"},
    {"Europe/Dublin", 1721041200, 3600, 0, "2024-07-15T12:00:00+01:00"},
    {"Europe/Dublin", 2525860800, 0, 1, "2050-01-15T12:00:00+00:00"},
    {"Europe/Dublin", 2541495600, 3600, 0, "2050-07-15T12:00:00+01:00"},
    {"Asia/Tokyo", 1717200000, 32400, 0, "2024-06-01T09:00:00+09:00"},
    {"Asia/Tokyo", 4118151600, 32400, 0, "2100-07-02T04:00:00+09:00"},
    {"America/Havana", 1730609999, -14400, 1, "2024-11-03T00:59:59-04:00"},
    {"America/Havana", 1730610000, -18000, 0, "2024-11-03T00:00:00-05:00"},
    /* Local mean time: an offset with seconds. */
    {"America/Los_Angeles", -3000000000, -28378, 0,
     "1874-12-07T10:47:02-07:52:58"},
};

static void test_instants(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof inst_cases / sizeof *inst_cases; i++) {
        const struct inst_case *c = &inst_cases[i];
        struct tz *z = load(c->zone);
        struct tz_civil cv;
        struct buf out;

        buf_init(&out, 64);
        assert_string_equal(tz_name(z), c->zone);
        tz_to_civil(z, c->utc, &cv);
        if (tz_offset_at(z, c->utc) != c->offset || cv.offset != c->offset ||
            cv.dst != c->dst)
            fail_msg("%s @%lld: offset %d dst %d, want %d %d", c->zone,
                     (long long)c->utc, (int)cv.offset, cv.dst, (int)c->offset,
                     c->dst);
        assert_int_equal(tz_format(z, c->utc, &out), ERR_OK);
        assert_string_equal(buf_cstr(&out), c->text);
        buf_free(&out);
        tz_destroy(z);
    }
}

static void test_civil_fields(void **state)
{
    struct tz *z = load("Asia/Kathmandu");
    struct tz_civil c;

    (void)state;
    tz_to_civil(z, 1717222500, &c); /* 2024-06-01 12:00 +05:45, Saturday */
    assert_int_equal(c.year, 2024);
    assert_int_equal(c.month, 6);
    assert_int_equal(c.day, 1);
    assert_int_equal(c.hour, 12);
    assert_int_equal(c.minute, 0);
    assert_int_equal(c.second, 0);
    assert_int_equal(c.wday, 6);
    assert_int_equal(c.offset, 20700);
    tz_to_civil(z, 1717200899, &c); /* 2024-06-01 05:59:59 +05:45 */
    assert_int_equal(c.hour * 10000 + c.minute * 100 + c.second, 55959);
    tz_destroy(z);
    z = load("Pacific/Apia"); /* the instant after Thursday 2011-12-29 */
    tz_to_civil(z, 1325239200, &c);
    assert_int_equal(c.month * 100 + c.day, 1231);
    assert_int_equal(c.wday, 6);
    tz_destroy(z);
}

/* ---- local times: unique, gap, overlap -------------------------------- */

struct local_case {
    const char *zone;
    int y, m, d, h, mi, s;
    enum tz_local kind;
    int64_t first, second;
};

static const struct local_case local_cases[] = {
    {"UTC", 2024, 6, 1, 12, 0, 0, TZ_LOCAL_UNIQUE, 1717243200, 1717243200},
    /* Spring forward 02:00 -> 03:00: 02:30 does not exist. */
    {"America/New_York", 2024, 3, 10, 2, 30, 0, TZ_LOCAL_GAP, 1710054000,
     1710054000},
    {"America/New_York", 2024, 3, 10, 2, 0, 0, TZ_LOCAL_GAP, 1710054000,
     1710054000},
    {"America/New_York", 2024, 3, 10, 1, 59, 59, TZ_LOCAL_UNIQUE, 1710053999,
     1710053999},
    {"America/New_York", 2024, 3, 10, 3, 0, 0, TZ_LOCAL_UNIQUE, 1710054000,
     1710054000},
    /* Fall back 02:00 -> 01:00: 01:30 EDT, then 01:30 EST. */
    {"America/New_York", 2024, 11, 3, 1, 30, 0, TZ_LOCAL_OVERLAP, 1730611800,
     1730615400},
    {"Europe/Berlin", 2024, 3, 31, 2, 30, 0, TZ_LOCAL_GAP, 1711846800,
     1711846800},
    {"Europe/Berlin", 2024, 10, 27, 2, 30, 0, TZ_LOCAL_OVERLAP, 1729989000,
     1729992600},
    {"Europe/Berlin", 2024, 10, 27, 3, 30, 0, TZ_LOCAL_UNIQUE, 1729996200,
     1729996200},
    /* 2100: past the file's transitions, the footer rule decides. */
    {"America/Los_Angeles", 2100, 7, 1, 12, 0, 0, TZ_LOCAL_UNIQUE, 4118151600,
     4118151600},
    {"America/Los_Angeles", 2100, 3, 14, 2, 30, 0, TZ_LOCAL_GAP, 4108701600,
     4108701600},
    {"America/Los_Angeles", 2100, 11, 7, 1, 30, 0, TZ_LOCAL_OVERLAP, 4129259400,
     4129263000},
    {"America/Los_Angeles", 1970, 1, 1, 0, 0, 0, TZ_LOCAL_UNIQUE, 28800, 28800},
    {"America/Los_Angeles", 1970, 7, 1, 12, 0, 0, TZ_LOCAL_UNIQUE, 15706800,
     15706800},
    /* Lord Howe: DST is 30 minutes. */
    {"Australia/Lord_Howe", 2024, 10, 6, 2, 15, 0, TZ_LOCAL_GAP, 1728142200,
     1728142200},
    {"Australia/Lord_Howe", 2024, 4, 7, 1, 45, 0, TZ_LOCAL_OVERLAP, 1712414700,
     1712416500},
    {"Australia/Lord_Howe", 2024, 4, 7, 1, 0, 0, TZ_LOCAL_UNIQUE, 1712412000,
     1712412000},
    {"Asia/Kathmandu", 2024, 6, 1, 12, 0, 0, TZ_LOCAL_UNIQUE, 1717222500,
     1717222500},
    /* Samoa skipped Friday 2011-12-30 entirely. */
    {"Pacific/Apia", 2011, 12, 30, 12, 0, 0, TZ_LOCAL_GAP, 1325239200,
     1325239200},
    {"Pacific/Apia", 2011, 12, 31, 0, 0, 0, TZ_LOCAL_UNIQUE, 1325239200,
     1325239200},
    /* Brazil: DST began at midnight in 2018, and was abolished in 2019. */
    {"America/Sao_Paulo", 2018, 11, 4, 0, 30, 0, TZ_LOCAL_GAP, 1541300400,
     1541300400},
    {"America/Sao_Paulo", 2018, 1, 15, 12, 0, 0, TZ_LOCAL_UNIQUE, 1516024800,
     1516024800},
    {"America/Sao_Paulo", 2024, 1, 15, 12, 0, 0, TZ_LOCAL_UNIQUE, 1705330800,
     1705330800},
    {"Europe/Dublin", 2024, 1, 15, 12, 0, 0, TZ_LOCAL_UNIQUE, 1705320000,
     1705320000},
    {"Europe/Dublin", 2050, 7, 15, 12, 0, 0, TZ_LOCAL_UNIQUE, 2541495600,
     2541495600},
    {"Asia/Tokyo", 2024, 6, 1, 9, 0, 0, TZ_LOCAL_UNIQUE, 1717200000,
     1717200000},
    /* Havana falls back 01:00 -> 00:00: midnight happens twice. */
    {"America/Havana", 2024, 11, 3, 0, 0, 0, TZ_LOCAL_OVERLAP, 1730606400,
     1730610000},
};

static void test_local_times(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof local_cases / sizeof *local_cases; i++) {
        const struct local_case *c = &local_cases[i];
        struct tz *z = load(c->zone);
        enum tz_local kind;
        int64_t a = 0, b = 0;

        assert_int_equal(tz_from_civil(z, c->y, c->m, c->d, c->h, c->mi, c->s,
                                       &kind, &a, &b),
                         ERR_OK);
        if (kind != c->kind || a != c->first || b != c->second)
            fail_msg("%s %04d-%02d-%02d %02d:%02d: kind %d %lld %lld, "
                     "want %d %lld %lld",
                     c->zone, c->y, c->m, c->d, c->h, c->mi, (int)kind,
                     (long long)a, (long long)b, (int)c->kind,
                     (long long)c->first, (long long)c->second);
        tz_destroy(z);
    }
}

static void test_impossible_dates(void **state)
{
    struct tz *z = load("Europe/Berlin");
    enum tz_local kind = TZ_LOCAL_UNIQUE;
    int64_t a = 7, b = 7;

    (void)state;
    assert_int_equal(tz_from_civil(z, 2023, 2, 29, 0, 0, 0, &kind, &a, &b),
                     ERR_INVALID);
    assert_int_equal(tz_from_civil(z, 2024, 2, 30, 0, 0, 0, &kind, &a, &b),
                     ERR_INVALID);
    assert_int_equal(tz_from_civil(z, 2024, 13, 1, 0, 0, 0, &kind, &a, &b),
                     ERR_INVALID);
    assert_int_equal(tz_from_civil(z, 2024, 1, 1, 24, 0, 0, &kind, &a, &b),
                     ERR_INVALID);
    assert_int_equal(tz_from_civil(z, 2024, 1, 1, 0, 60, 0, &kind, &a, &b),
                     ERR_INVALID);
    assert_int_equal(tz_from_civil(z, 2024, 1, 1, 0, 0, 60, &kind, &a, &b),
                     ERR_INVALID);
    assert_int_equal(tz_from_civil(z, 2024, 0, 1, 0, 0, 0, &kind, &a, &b),
                     ERR_INVALID);
    assert_int_equal(tz_from_civil(z, INT64_MAX, 1, 1, 0, 0, 0, &kind, &a, &b),
                     ERR_INVALID);
    assert_true(a == 7 && b == 7); /* untouched */
    assert_int_equal(tz_from_civil(z, 2024, 2, 29, 0, 0, 0, &kind, &a, &b),
                     ERR_OK);
    assert_int_equal(a, 1709161200);
    tz_destroy(z);
}

/* ---- local days: 23, 24, 24.5 and 25 hours ---------------------------- */

struct day_case {
    const char *zone;
    int64_t utc, start, next;
    int64_t len; /* seconds, the check on start and next */
};

static const struct day_case day_cases[] = {
    {"UTC", 1717243200, 1717200000, 1717286400, 86400},
    {"Asia/Tokyo", 1717200000, 1717167600, 1717254000, 86400},
    {"America/New_York", 1710054000, 1710046800, 1710129600, 82800},
    {"America/New_York", 1730615400, 1730606400, 1730696400, 90000},
    /* YouTube's quota resets at midnight America/Los_Angeles. */
    {"America/Los_Angeles", 1710057600, 1710057600, 1710140400, 82800},
    {"America/Los_Angeles", 1710140399, 1710057600, 1710140400, 82800},
    {"America/Los_Angeles", 4108701600, 4108694400, 4108777200, 82800},
    {"America/Los_Angeles", 4129263000, 4129254000, 4129344000, 90000},
    {"Europe/Berlin", 1729992600, 1729980000, 1730070000, 90000},
    {"Australia/Lord_Howe", 1712416500, 1712408400, 1712496600, 88200},
    /* Midnight in a gap: the day starts at 01:00. */
    {"America/Sao_Paulo", 1541310000, 1541300400, 1541383200, 82800},
    {"America/Sao_Paulo", 1541300399, 1541214000, 1541300400, 86400},
    /* Midnight twice: the day starts at the first. */
    {"America/Havana", 1730620000, 1730606400, 1730696400, 90000},
    {"America/Havana", 1730606400, 1730606400, 1730696400, 90000},
    /* Samoa: Thursday 29 is followed by Saturday 31. */
    {"Pacific/Apia", 1325239199, 1325152800, 1325239200, 86400},
    {"Pacific/Apia", 1325239200, 1325239200, 1325325600, 86400},
};

static void test_days(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof day_cases / sizeof *day_cases; i++) {
        const struct day_case *c = &day_cases[i];
        struct tz *z = load(c->zone);
        int64_t s = tz_day_start(z, c->utc), n = tz_next_day_start(z, c->utc);

        if (s != c->start || n != c->next || n - s != c->len)
            fail_msg("%s @%lld: day [%lld, %lld), want [%lld, %lld)", c->zone,
                     (long long)c->utc, (long long)s, (long long)n,
                     (long long)c->start, (long long)c->next);
        /* Walking day by day meets the same boundaries. */
        assert_int_equal(tz_day_start(z, n), n);
        assert_int_equal(tz_next_day_start(z, s - 1), s);
        tz_destroy(z);
    }
}

/* ---- names ------------------------------------------------------------ */

static void expect_refused(const char *name, enum err want, const char *msg)
{
    struct tz *z = NULL;
    struct buf err;

    buf_init(&err, 1024);
    assert_int_equal(tz_load(name, &z, &err), want);
    assert_null(z);
    if (strstr(buf_cstr(&err), msg) == NULL)
        fail_msg("%s: message \"%s\" lacks \"%s\"", name ? name : "(null)",
                 buf_cstr(&err), msg);
    buf_free(&err);
}

static void test_bad_names(void **state)
{
    char n65[66], n64[65];

    (void)state;
    memset(n65, 'A', 65);
    n65[65] = '\0';
    memset(n64, 'A', 64);
    n64[64] = '\0';
    expect_refused("../etc/passwd", ERR_INVALID, "only letters");
    expect_refused("Europe/../../etc/passwd", ERR_INVALID, "only letters");
    expect_refused("/etc/passwd", ERR_INVALID, "relative");
    expect_refused("Europe//Berlin", ERR_INVALID, "relative");
    expect_refused("Europe/", ERR_INVALID, "relative");
    expect_refused("", ERR_INVALID, "1 to 64 bytes");
    expect_refused(NULL, ERR_INVALID, "1 to 64 bytes");
    expect_refused(n65, ERR_INVALID, "1 to 64 bytes");
    expect_refused("Europe/Berlin\n", ERR_INVALID, "only letters");
    expect_refused("Europe Berlin", ERR_INVALID, "only letters");
    expect_refused(n64, ERR_NOTFOUND, "no such zone"); /* 64 is allowed */
    expect_refused("Not/AZone", ERR_NOTFOUND, "Not/AZone: no such zone");
    expect_refused("America", ERR_NOTFOUND, "not a file"); /* a directory */
    /* Leap-second data would shift every instant by ~27 s: refused. */
    if (access("/usr/share/zoneinfo/right/UTC", R_OK) == 0)
        expect_refused("right/UTC", ERR_UNSUPPORTED, "leap seconds");
}

static void test_utc(void **state)
{
    struct tz *z = tz_utc(), *f = load("UTC");
    enum tz_local kind;
    int64_t a, b;
    struct buf out;

    (void)state;
    buf_init(&out, 64);
    assert_string_equal(tz_name(z), "UTC");
    for (int64_t t = -4000000000; t < 8000000000; t += 123456789) {
        assert_int_equal(tz_offset_at(z, t), 0);
        assert_int_equal(tz_offset_at(f, t), 0);
        assert_int_equal(tz_day_start(z, t), t - ((t % 86400) + 86400) % 86400);
    }
    assert_int_equal(tz_from_civil(z, 1, 1, 1, 0, 0, 0, &kind, &a, &b), ERR_OK);
    assert_int_equal(a, -62135596800);
    assert_int_equal(tz_format(z, -62135596800, &out), ERR_OK);
    assert_string_equal(buf_cstr(&out), "0001-01-01T00:00:00+00:00");
    buf_reset(&out);
    assert_int_equal(tz_format(z, 253402300800, &out), ERR_OK);
    assert_string_equal(buf_cstr(&out), "+10000-01-01T00:00:00+00:00");
    /* Any int64_t is safe, if not meaningful. */
    buf_reset(&out);
    assert_int_equal(tz_format(f, INT64_MIN, &out), ERR_OK);
    buf_reset(&out);
    assert_int_equal(tz_format(f, INT64_MAX, &out), ERR_OK);
    assert_true(tz_day_start(f, INT64_MIN) <= INT64_MIN + 86400);
    assert_true(tz_next_day_start(f, INT64_MAX) == INT64_MAX);
    buf_free(&out);
    tz_destroy(z);
    tz_destroy(f);
    tz_destroy(NULL);
}

/* ---- synthetic TZif files --------------------------------------------- */

struct syn {
    char version; /* 0 (version 1), '2', '3' */
    size_t nt;    /* transitions */
    const int64_t *trans;
    const uint8_t *idx;
    size_t ntypes;
    const int32_t *offs;
    const uint8_t *dst;
    const char *footer; /* version 2+; NULL: "" */
};

static void put32(struct buf *b, uint32_t v)
{
    unsigned char p[4] = {(unsigned char)(v >> 24), (unsigned char)(v >> 16),
                          (unsigned char)(v >> 8), (unsigned char)v};
    assert_int_equal(buf_append(b, p, 4), ERR_OK);
}

static void put_block(struct buf *b, const struct syn *s, bool big)
{
    size_t nt = big ? s->nt : 0; /* version 2+: an empty version 1 block */

    assert_int_equal(buf_append(b, "TZif", 4), ERR_OK);
    assert_int_equal(buf_putc(b, s->version), ERR_OK);
    assert_int_equal(buf_append(b, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 15),
                     ERR_OK);
    put32(b, 0);                   /* isutcnt */
    put32(b, 0);                   /* isstdcnt */
    put32(b, 0);                   /* leapcnt */
    put32(b, (uint32_t)nt);        /* timecnt */
    put32(b, (uint32_t)s->ntypes); /* typecnt */
    put32(b, 4);                   /* charcnt */
    for (size_t i = 0; i < nt; i++) {
        if (big && s->version != 0)
            put32(b, (uint32_t)((uint64_t)s->trans[i] >> 32));
        put32(b, (uint32_t)s->trans[i]);
    }
    for (size_t i = 0; i < nt; i++)
        assert_int_equal(buf_putc(b, (char)s->idx[i]), ERR_OK);
    for (size_t i = 0; i < s->ntypes; i++) {
        put32(b, (uint32_t)s->offs[i]);
        assert_int_equal(buf_putc(b, (char)s->dst[i]), ERR_OK);
        assert_int_equal(buf_putc(b, 0), ERR_OK);
    }
    assert_int_equal(buf_append(b, "ABC", 4), ERR_OK);
}

static void syn_build(const struct syn *s, struct buf *out)
{
    buf_reset(out);
    put_block(out, s, s->version == 0);
    if (s->version == 0)
        return;
    put_block(out, s, true);
    assert_int_equal(buf_printf(out, "\n%s\n", s->footer ? s->footer : ""),
                     ERR_OK);
}

static struct tz *parse_ok(const struct buf *b)
{
    struct tz *z = NULL;
    struct buf err;

    buf_init(&err, 1024);
    if (tz_parse(b->data, b->len, "syn", &z, &err) != ERR_OK)
        fail_msg("%s", buf_cstr(&err));
    buf_free(&err);
    return z;
}

/* A zone with no transitions, ruled by footer from the start. */
static struct tz *footer_zone(const char *footer)
{
    static const int32_t off0[] = {0};
    static const uint8_t dst0[] = {0};
    struct syn s = {'3', 0, NULL, NULL, 1, off0, dst0, footer};
    struct buf b;
    struct tz *z;

    buf_init(&b, 4096);
    syn_build(&s, &b);
    z = parse_ok(&b);
    buf_free(&b);
    return z;
}

struct rule_case {
    const char *footer;
    int64_t utc;
    int32_t offset;
    bool dst;
};

/* Checked with glibc (TZ='<rule>' date -d @utc), which reads these strings
 * itself, except the year-end instants of the all-year-DST rule, where
 * glibc is known to be wrong and RFC 8536 section 3.3.1 decides (Python's
 * zoneinfo agrees). */
static const struct rule_case rule_cases[] = {
    {"<+03>-3<+04>,J60/-1,300/25", 1709236799, 10800, false},
    {"<+03>-3<+04>,J60/-1,300/25", 1709236800, 14400, true},
    {"<+03>-3<+04>,J60/-1,300/25", 1730062799, 14400, true},
    {"<+03>-3<+04>,J60/-1,300/25", 1730062800, 10800, false},
    {"AAA3BBB,M3.5.0/-2,M10.5.0/26", 1711846799, -10800, false},
    {"AAA3BBB,M3.5.0/-2,M10.5.0/26", 1711846800, -7200, true},
    {"AAA3BBB,M3.5.0/-2,M10.5.0/26", 1730087999, -7200, true},
    {"AAA3BBB,M3.5.0/-2,M10.5.0/26", 1730088000, -10800, false},
    {"XXX-10:30YYY-11,M10.1.0,M4.1.0/3", 1712419199, 39600, true},
    {"XXX-10:30YYY-11,M10.1.0,M4.1.0/3", 1712419200, 37800, false},
    {"XXX-10:30YYY-11,M10.1.0,M4.1.0/3", 1728142199, 37800, false},
    {"XXX-10:30YYY-11,M10.1.0,M4.1.0/3", 1728142200, 39600, true},
    {"EST5EDT,0/0,J365/25", 1704067200, -14400, true},
    {"EST5EDT,0/0,J365/25", 1735689600, -14400, true},
    {"EST5EDT,0/0,J365/25", 1735707600, -14400, true},
    {"AAA5BBB", 1710053999, -18000, false}, /* US rules by default */
    {"AAA5BBB", 1710054000, -14400, true},
    {"AAA5BBB", 1730613599, -14400, true},
    {"AAA5BBB", 1730613600, -18000, false},
    {"<-0330>3:30", 1719835200, -12600, false},
    {"IST-1GMT0,M10.5.0,M3.5.0/1", 2525860800, 0, true}, /* Dublin 2050 */
    {"IST-1GMT0,M10.5.0,M3.5.0/1", 2541495600, 3600, false},
};

static void test_footer_rules(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof rule_cases / sizeof *rule_cases; i++) {
        const struct rule_case *c = &rule_cases[i];
        struct tz *z = footer_zone(c->footer);
        struct tz_civil cv;

        tz_to_civil(z, c->utc, &cv);
        if (cv.offset != c->offset || cv.dst != c->dst)
            fail_msg("%s @%lld: %d %d, want %d %d", c->footer,
                     (long long)c->utc, (int)cv.offset, cv.dst, (int)c->offset,
                     c->dst);
        /* 400 years on, the calendar and so the rule repeat. */
        assert_int_equal(tz_offset_at(z, c->utc + 12622780800), c->offset);
        assert_int_equal(tz_offset_at(z, c->utc - 12622780800), c->offset);
        tz_destroy(z);
    }
}

static void test_version1(void **state)
{
    static const int64_t trans[] = {-100000, 1000000};
    static const uint8_t idx[] = {1, 0};
    static const int32_t offs[] = {3600, 7200};
    static const uint8_t dst[] = {0, 1};
    struct syn s = {0, 2, trans, idx, 2, offs, dst, NULL};
    struct buf b;
    struct tz *z;

    (void)state;
    buf_init(&b, 4096);
    syn_build(&s, &b);
    z = parse_ok(&b);
    assert_int_equal(tz_offset_at(z, -100001), 3600); /* type 0 before */
    assert_int_equal(tz_offset_at(z, -100000), 7200);
    assert_int_equal(tz_offset_at(z, 999999), 7200);
    assert_int_equal(tz_offset_at(z, 1000000), 3600); /* and it lasts */
    assert_int_equal(tz_offset_at(z, INT64_MAX), 3600);
    tz_destroy(z);
    buf_free(&b);
}

/* ---- corrupt files ---------------------------------------------------- */

static const int64_t c_trans[] = {100, 200, 300};
static const uint8_t c_idx[] = {1, 0, 1};
static const int32_t c_offs[] = {0, 3600};
static const uint8_t c_dst[] = {0, 1};

/* tz_parse must refuse b with rc and a message containing msg. */
static void expect_parse(const struct buf *b, enum err rc, const char *msg)
{
    struct tz *z = NULL;
    struct buf err;

    buf_init(&err, 1024);
    assert_int_equal(tz_parse(b->data, b->len, "bad", &z, &err), rc);
    assert_null(z);
    if (strstr(buf_cstr(&err), msg) == NULL)
        fail_msg("message \"%s\" lacks \"%s\"", buf_cstr(&err), msg);
    buf_free(&err);
}

/* Byte offsets in a version 2 file built by syn_build with c_*: the
 * second header starts after the first (44) and its block. */
#define V1_LEN (44 + 2 * 6 + 4)
#define H2_TIMECNT (V1_LEN + 32)
#define H2_LEAPCNT (V1_LEN + 28)
#define H2_TYPECNT (V1_LEN + 36)
#define D2 (V1_LEN + 44) /* the version 2 data */

static void corrupt(struct buf *b, size_t at, const void *bytes, size_t n)
{
    struct syn s = {'2', 3, c_trans, c_idx, 2, c_offs, c_dst, "AAA-1"};

    syn_build(&s, b);
    assert_true(at + n <= b->len);
    memcpy(b->data + at, bytes, n);
}

static void test_corrupt(void **state)
{
    struct syn s = {'2', 3, c_trans, c_idx, 2, c_offs, c_dst, "AAA-1"};
    struct buf b;
    struct tz *z;

    (void)state;
    buf_init(&b, 4096);
    syn_build(&s, &b);
    z = parse_ok(&b); /* the base file is fine */
    assert_int_equal(tz_offset_at(z, 250), 0);
    assert_int_equal(tz_offset_at(z, 301), 3600); /* footer AAA-1 */
    tz_destroy(z);
    /* Every proper prefix is refused. */
    for (size_t n = 0; n < b.len; n++) {
        struct tz *t = NULL;
        struct buf err;
        buf_init(&err, 1024);
        if (tz_parse(b.data, n, "cut", &t, &err) != ERR_PARSE)
            fail_msg("prefix of %zu bytes not refused", n);
        assert_true(err.len > 0);
        buf_free(&err);
    }
    corrupt(&b, 0, "TZiX", 4);
    expect_parse(&b, ERR_PARSE, "no TZif header");
    corrupt(&b, 4, "9", 1);
    expect_parse(&b, ERR_PARSE, "version");
    corrupt(&b, V1_LEN + 4, "3", 1);
    expect_parse(&b, ERR_PARSE, "disagree");
    corrupt(&b, H2_TYPECNT, "\0\0\0\0", 4);
    expect_parse(&b, ERR_PARSE, "inconsistent");
    corrupt(&b, H2_TIMECNT, "\xff\xff\xff\xff", 4); /* 4 G transitions */
    expect_parse(&b, ERR_PARSE, "truncated");
    corrupt(&b, H2_LEAPCNT, "\0\0\0\1", 4);
    expect_parse(&b, ERR_PARSE, "truncated");
    corrupt(&b, D2 + 8, "\0\0\0\0\0\0\0\x10", 8); /* 16 < 100 */
    expect_parse(&b, ERR_PARSE, "out of order");
    corrupt(&b, D2 + 24, "\2", 1); /* type 2 of 2 */
    expect_parse(&b, ERR_PARSE, "bad type");
    corrupt(&b, D2 + 27, "\x7f\xff\xff\xff", 4); /* offset of type 0 */
    expect_parse(&b, ERR_PARSE, "time type 0");
    corrupt(&b, D2 + 27 + 4, "\2", 1); /* isdst 2 */
    expect_parse(&b, ERR_PARSE, "time type 0");
    corrupt(&b, D2 + 27 + 5, "\4", 1); /* designation past the table */
    expect_parse(&b, ERR_PARSE, "time type 0");
    corrupt(&b, D2 + 39 + 3, "X", 1); /* designations not terminated */
    expect_parse(&b, ERR_PARSE, "NUL");
    /* Footers. */
    corrupt(&b, b.len - 1, "X", 1);
    expect_parse(&b, ERR_PARSE, "unterminated");
    corrupt(&b, b.len - 7, "X", 1);
    expect_parse(&b, ERR_PARSE, "footer is missing");
    corrupt(&b, b.len - 2, "+", 1);
    expect_parse(&b, ERR_PARSE, "POSIX TZ");
    corrupt(&b, 0, "", 0);
    assert_int_equal(buf_append(&b, "x", 1), ERR_OK);
    expect_parse(&b, ERR_PARSE, "followed by data");
    buf_free(&b);
}

static void test_corrupt_footers(void **state)
{
    static const char *const bad[] = {
        "AB0",
        "AAA",
        "AAA25",
        "AAA-1BBB,M3.2.0",
        "AAA-1BBB,M13.1.0,M1.1.0",
        "AAA-1BBB,M3.6.0,M1.1.0",
        "AAA-1BBB,M3.1.7,M1.1.0",
        "AAA-1BBB,J0,J1",
        "AAA-1BBB,366,1",
        "AAA-1BBB,1/168,2",
        "<AB>1",
        "<ABC1",
        "AAA1:60",
        "AAA1BBB,1,2,",
        "AAA1BBB25",
        "AAA1 ",
        "AAA1\tBBB",
        "AAA0001",
    };
    static const int32_t off0[] = {0};
    static const uint8_t dst0[] = {0};
    struct buf b;

    (void)state;
    buf_init(&b, 4096);
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        struct syn s = {'2', 0, NULL, NULL, 1, off0, dst0, bad[i]};
        struct tz *z = NULL;
        struct buf err;
        buf_init(&err, 512);
        syn_build(&s, &b);
        if (tz_parse(b.data, b.len, "f", &z, &err) != ERR_PARSE)
            fail_msg("footer \"%s\" accepted", bad[i]);
        buf_free(&err);
    }
    buf_free(&b);
}

/* Each byte of a real file changed in turn: refused or usable, never a
 * crash (the fuzz target does this at length). */
static void test_mutations(void **state)
{
    struct buf b;
    struct tz *z;
    struct buf err, out;

    (void)state;
    buf_init(&b, TZ_FILE_MAX);
    buf_init(&err, 1024);
    buf_init(&out, 64);
    tu_read("/usr/share/zoneinfo/Europe/Dublin", &b);
    for (size_t i = 0; i < b.len; i++) {
        b.data[i] ^= 0x5a;
        z = NULL;
        if (tz_parse(b.data, b.len, "m", &z, &err) == ERR_OK) {
            enum tz_local k;
            int64_t a, c;
            int32_t off = tz_offset_at(z, 1700000000);
            assert_true(off >= -26 * 3600 && off <= 26 * 3600);
            assert_int_equal(
                tz_from_civil(z, 2024, 3, 31, 1, 30, 0, &k, &a, &c), ERR_OK);
            assert_true(a <= c);
            assert_true(tz_day_start(z, 1700000000) <= 1700000000);
            assert_true(tz_next_day_start(z, 1700000000) > 1700000000);
            buf_reset(&out);
            assert_int_equal(tz_format(z, 4000000000, &out), ERR_OK);
        }
        tz_destroy(z);
        b.data[i] ^= 0x5a;
    }
    buf_free(&b);
    buf_free(&err);
    buf_free(&out);
}

static void write_file(const char *dir, const char *name, const void *p,
                       size_t n)
{
    struct buf path;
    FILE *f;

    buf_init(&path, 4096);
    assert_int_equal(buf_printf(&path, "%s/%s", dir, name), ERR_OK);
    f = fopen(buf_cstr(&path), "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(p, 1, n, f), n);
    assert_int_equal(fclose(f), 0);
    buf_free(&path);
}

static void test_tzdir(void **state)
{
    struct syn s = {'2', 3, c_trans, c_idx, 2, c_offs, c_dst, "AAA-1"};
    char *dir = tu_tmpdir(), *big = xcalloc(1, TZ_FILE_MAX + 1);
    struct buf b;
    struct tz *z;

    (void)state;
    buf_init(&b, 4096);
    syn_build(&s, &b);
    write_file(dir, "Good", b.data, b.len);
    write_file(dir, "Cut", b.data, b.len - 10);
    write_file(dir, "Empty", "", 0);
    memcpy(big, b.data, b.len);
    write_file(dir, "Big", big, TZ_FILE_MAX + 1);
    assert_int_equal(setenv("TZDIR", dir, 1), 0);
    z = load("Good");
    assert_int_equal(tz_offset_at(z, 150), 3600);
    tz_destroy(z);
    expect_refused("Cut", ERR_PARSE, "zone Cut: TZif file is truncated");
    expect_refused("Empty", ERR_PARSE, "no TZif header");
    expect_refused("Big", ERR_PARSE, "over 262144 bytes");
    expect_refused("Europe/Berlin", ERR_NOTFOUND, "no such zone");
    assert_int_equal(unsetenv("TZDIR"), 0);
    z = load("Europe/Berlin"); /* back to /usr/share/zoneinfo */
    tz_destroy(z);
    tu_rmdir(dir);
    free(dir);
    free(big);
    buf_free(&b);
}

/* ---- threads: one loaded zone, read concurrently ---------------------- */

static void *reader(void *arg)
{
    const struct tz *z = arg;
    struct buf out;
    size_t bad = 0;

    buf_init(&out, 64);
    for (int i = 0; i < 2000; i++) {
        enum tz_local k;
        int64_t a, b;
        buf_reset(&out);
        if (tz_from_civil(z, 2024, 11, 3, 1, 30, 0, &k, &a, &b) != ERR_OK ||
            k != TZ_LOCAL_OVERLAP || a != 1730611800 || b != 1730615400 ||
            tz_format(z, a, &out) != ERR_OK ||
            strcmp(buf_cstr(&out), "2024-11-03T01:30:00-04:00") != 0)
            bad++;
    }
    buf_free(&out);
    return (void *)bad;
}

static void test_threads(void **state)
{
    struct tz *z = load("America/New_York");
    pthread_t t[4];
    void *bad;

    (void)state;
    for (int i = 0; i < 4; i++)
        assert_int_equal(pthread_create(&t[i], NULL, reader, z), 0);
    for (int i = 0; i < 4; i++) {
        assert_int_equal(pthread_join(t[i], &bad), 0);
        assert_null(bad);
    }
    tz_destroy(z);
}

static int group_setup(void **state)
{
    const char *tz = getenv("TZ");

    (void)state;
    /* The zone directory must be the system's; TZ may be anything. */
    if (unsetenv("TZDIR") != 0)
        return -1;
    print_message("test_tz: process TZ=%s\n", tz ? tz : "(unset)");
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_instants),
        cmocka_unit_test(test_civil_fields),
        cmocka_unit_test(test_local_times),
        cmocka_unit_test(test_impossible_dates),
        cmocka_unit_test(test_days),
        cmocka_unit_test(test_bad_names),
        cmocka_unit_test(test_utc),
        cmocka_unit_test(test_footer_rules),
        cmocka_unit_test(test_version1),
        cmocka_unit_test(test_corrupt),
        cmocka_unit_test(test_corrupt_footers),
        cmocka_unit_test(test_mutations),
        cmocka_unit_test(test_tzdir),
        cmocka_unit_test(test_threads),
    };
    return cmocka_run_group_tests(tests, group_setup, NULL);
}
