/* Scheduling rules: local wall time + IANA zone -> UTC across DST edges
 * (CTest runs this under TZ=UTC, America/Los_Angeles and Asia/Tokyo and
 * expects the same instants), the grace window and the retry policy. */
#include "testutil.h"

#include <string.h>

#include "schedule/schedule.h"

enum flag { F_NONE = 0, F_SHIFT = 1, F_LATER = 2 };

struct zcase {
    const char *zone, *local;
    unsigned flags;
    enum err rc;
    int64_t utc;            /* when rc is ERR_OK */
    enum sched_kind kind;
    const char *msg;        /* substring of err (refused) or note */
};

static const struct zcase zcases[] = {
    /* plain times */
    {"America/New_York", "2025-07-01 09:30", F_NONE, ERR_OK, 1751376600,
     SCHED_UNIQUE, NULL},
    {"Asia/Kathmandu", "2025-01-01 00:00", F_NONE, ERR_OK, 1735668900,
     SCHED_UNIQUE, NULL},
    {"UTC", "2025-01-01T00:00:00", F_NONE, ERR_OK, 1735689600, SCHED_UNIQUE,
     NULL},
    /* spring forward: refused, or shifted on request */
    {"America/New_York", "2025-03-09 02:30", F_NONE, ERR_INVALID, 0, 0,
     "2025-03-09 02:30 does not exist in America/New_York: clocks jump "
     "from 02:00 to 03:00"},
    {"America/New_York", "2025-03-09 02:30", F_SHIFT, ERR_OK, 1741503600,
     SCHED_SHIFTED, "shifted"},
    {"Europe/Berlin", "2025-03-30 02:00", F_NONE, ERR_INVALID, 0, 0,
     "clocks jump from 02:00 to 03:00"},
    {"Europe/Berlin", "2025-03-30 02:59:59", F_SHIFT, ERR_OK, 1743296400,
     SCHED_SHIFTED, NULL},
    {"Europe/Berlin", "2025-03-30 03:00", F_NONE, ERR_OK, 1743296400,
     SCHED_UNIQUE, NULL},
    {"Australia/Lord_Howe", "2025-10-05 02:15", F_NONE, ERR_INVALID, 0, 0,
     "clocks jump from 02:00 to 02:30"},
    {"Australia/Lord_Howe", "2025-10-05 02:15", F_SHIFT, ERR_OK, 1759591800,
     SCHED_SHIFTED, NULL},
    {"Pacific/Apia", "2011-12-30 12:00", F_NONE, ERR_INVALID, 0, 0,
     "2011-12-31 00:00"},
    {"Pacific/Apia", "2011-12-30 12:00", F_SHIFT, ERR_OK, 1325239200,
     SCHED_SHIFTED, NULL},
    {"Pacific/Apia", "2011-12-29 23:30", F_NONE, ERR_OK, 1325237400,
     SCHED_UNIQUE, NULL},
    {"Pacific/Apia", "2020-09-27 03:30", F_SHIFT, ERR_OK, 1601128800,
     SCHED_SHIFTED, NULL},
    /* fall back: the first instant unless later is asked for */
    {"America/New_York", "2025-11-02 01:30", F_NONE, ERR_OK, 1762061400,
     SCHED_FIRST, "took the first (UTC-04:00)"},
    {"America/New_York", "2025-11-02 01:30", F_LATER, ERR_OK, 1762065000,
     SCHED_SECOND, "took the second (UTC-05:00)"},
    {"Europe/Berlin", "2025-10-26 02:30", F_NONE, ERR_OK, 1761438600,
     SCHED_FIRST, "occurs twice in Europe/Berlin"},
    {"Europe/Berlin", "2025-10-26 02:30", F_LATER, ERR_OK, 1761442200,
     SCHED_SECOND, NULL},
    {"Australia/Lord_Howe", "2025-04-06 01:45", F_NONE, ERR_OK, 1743864300,
     SCHED_FIRST, "(UTC+11:00)"},
    {"Australia/Lord_Howe", "2025-04-06 01:45", F_LATER, ERR_OK, 1743866100,
     SCHED_SECOND, "(UTC+10:30)"},
    {"Pacific/Apia", "2021-04-04 03:30", F_NONE, ERR_OK, 1617456600,
     SCHED_FIRST, NULL},
    {"Pacific/Apia", "2021-04-04 03:30", F_LATER, ERR_OK, 1617460200,
     SCHED_SECOND, NULL},
    /* bad input */
    {"America/New_York", "2025-02-30 10:00", F_NONE, ERR_PARSE, 0, 0,
     "not a valid date"},
    {"America/New_York", "2025-03-09 9:30", F_NONE, ERR_PARSE, 0, 0,
     "YYYY-MM-DD HH:MM"},
    {"America/New_York", "2025-03-09 24:00", F_NONE, ERR_PARSE, 0, 0, NULL},
    {"Mars/Olympus_Mons", "2025-03-09 09:30", F_NONE, ERR_NOTFOUND, 0, 0,
     NULL},
    {"../etc/passwd", "2025-03-09 09:30", F_NONE, ERR_INVALID, 0, 0, NULL},
};

static void test_zone_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof zcases / sizeof *zcases; i++) {
        const struct zcase *c = &zcases[i];
        struct sched_opts o = {.shift_gap = c->flags & F_SHIFT,
                               .later = (c->flags & F_LATER) != 0};
        struct sched_time t;
        struct buf note, err;
        enum err rc;

        buf_init(&note, 1024);
        buf_init(&err, 1024);
        rc = sched_resolve(c->zone, c->local, &o, &t, &note, &err);
        print_message("%s %s -> %d %s %s\n", c->zone, c->local, (int)rc,
                      buf_cstr(&err), buf_cstr(&note));
        assert_int_equal(rc, c->rc);
        if (rc == ERR_OK) {
            assert_int_equal(t.utc, c->utc);
            assert_int_equal(t.kind, c->kind);
        }
        if (c->msg != NULL)
            assert_non_null(
                strstr(rc == ERR_OK ? buf_cstr(&note) : buf_cstr(&err),
                       c->msg));
        buf_free(&note);
        buf_free(&err);
    }
}

static void test_missed(void **state)
{
    struct buf why;
    (void)state;
    buf_init(&why, 512);
    assert_false(sched_missed(1000 + 6 * 3600, 1000, SCHED_GRACE_DEFAULT_S,
                              &why));
    assert_true(sched_missed(1741509000 + 7 * 3600, 1741509000,
                             SCHED_GRACE_DEFAULT_S, &why));
    assert_string_equal(buf_cstr(&why),
                        "missed: due at 2025-03-09T08:30:00Z (7 h ago), past "
                        "the grace window of 6 h");
    buf_free(&why);
}

static void test_classify(void **state)
{
    (void)state;
    assert_int_equal(sched_classify(200, NULL), PUB_OK);
    assert_int_equal(sched_classify(503, NULL), PUB_RETRY);
    assert_int_equal(sched_classify(429, NULL), PUB_RATE_LIMITED);
    assert_int_equal(sched_classify(400, "invalid_grant"), PUB_RELOGIN);
    assert_int_equal(sched_classify(401, NULL), PUB_RELOGIN);
    assert_int_equal(sched_classify(400, "bad_caption"), PUB_FATAL);
    assert_int_equal(sched_classify(0, NULL), PUB_UNCLEAR);
}

/* 5xx three times then success: published on the fourth attempt, each
 * wait longer than the one before, with jitter within a quarter. */
static void test_retry_5xx_then_ok(void **state)
{
    int64_t d, prev = 0;
    (void)state;
    for (int attempt = 1; attempt <= 3; attempt++) {
        assert_int_equal(sched_next_step(PUB_RETRY, attempt, 0, UINT32_MAX / 2,
                                         &d),
                         SCHED_NEXT_RETRY);
        assert_true(d > prev);
        prev = d;
    }
    assert_int_equal(sched_next_step(PUB_OK, 4, 0, 0, &d),
                     SCHED_NEXT_PUBLISHED);
    assert_int_equal(sched_next_step(PUB_RETRY, 1, 0, 0, &d),
                     SCHED_NEXT_RETRY);
    assert_int_equal(d, SCHED_BACKOFF_BASE_S);
    assert_int_equal(sched_next_step(PUB_RETRY, 1, 0, UINT32_MAX, &d),
                     SCHED_NEXT_RETRY);
    assert_int_equal(d, SCHED_BACKOFF_BASE_S + SCHED_BACKOFF_BASE_S / 4);
    assert_int_equal(sched_next_step(PUB_RETRY, SCHED_MAX_ATTEMPTS, 0, 0, &d),
                     SCHED_NEXT_FAILED);
}

static void test_retry_429_and_relogin(void **state)
{
    int64_t d;
    (void)state;
    assert_int_equal(sched_next_step(PUB_RATE_LIMITED, 1, 900, 0, &d),
                     SCHED_NEXT_RETRY);
    assert_int_equal(d, 900); /* Retry-After honoured */
    assert_int_equal(sched_next_step(PUB_RATE_LIMITED, 1, 1, 0, &d),
                     SCHED_NEXT_RETRY);
    assert_int_equal(d, SCHED_BACKOFF_BASE_S); /* never sooner than backoff */
    assert_int_equal(sched_next_step(sched_classify(400, "invalid_grant"), 1,
                                     0, 0, &d),
                     SCHED_NEXT_RELOGIN);
    assert_int_equal(d, 0);
    assert_int_equal(sched_next_step(PUB_UNCLEAR, 1, 0, 0, &d),
                     SCHED_NEXT_CHECK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_zone_table),
        cmocka_unit_test(test_missed),
        cmocka_unit_test(test_classify),
        cmocka_unit_test(test_retry_5xx_then_ok),
        cmocka_unit_test(test_retry_429_and_relogin),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
