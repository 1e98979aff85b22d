/* Queue slots: names, occurrences across DST (schedule/slots.c) and the
 * store's slots and queue add on a real SQLite file. Every expected
 * instant was checked with Python's zoneinfo, e.g.
 *   datetime(2025, 3, 30, 1, 0, tzinfo=timezone.utc).timestamp() */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/timeutil.h"
#include "schedule/slots.h"

#define MAR01 1740787200     /* 2025-03-01T00:00:00Z */
#define MAR27 1743033600     /* 2025-03-27T00:00:00Z */
#define MAR29_1600 1743264000 /* Sat 2025-03-29 17:00 CET */
#define MAR30_0100 1743296400 /* Sun 2025-03-30 03:00 CEST: 02:30 is gone */
#define OCT20 1760918400     /* 2025-10-20T00:00:00Z */
#define OCT26_0030 1761438600 /* Sun 2025-10-26 02:30 CEST, the first */
#define NOV02_0130 1762047000 /* Sun 2025-11-02 02:30 CET */
#define NY_MAR04 1741096800  /* Tue 2025-03-04 09:00 EST */
#define NY_MAR11 1741698000  /* Tue 2025-03-11 09:00 EDT */

static void test_names(void **state)
{
    int v = -1;
    struct buf b;
    (void)state;
    assert_int_equal(slots_parse_day("tue", &v), ERR_OK);
    assert_int_equal(v, 2);
    assert_int_equal(slots_parse_day("SUNDAY", &v), ERR_OK);
    assert_int_equal(v, 0);
    assert_int_equal(slots_parse_day("6", &v), ERR_OK);
    assert_int_equal(v, 6);
    assert_int_equal(slots_parse_day("7", &v), ERR_INVALID);
    assert_int_equal(slots_parse_day("tues", &v), ERR_INVALID);
    assert_int_equal(slots_parse_day(NULL, &v), ERR_INVALID);
    assert_int_equal(slots_parse_time("17:05", &v), ERR_OK);
    assert_int_equal(v, 17 * 60 + 5);
    assert_int_equal(slots_parse_time("00:00", &v), ERR_OK);
    assert_int_equal(v, 0);
    for (const char *const *s = (const char *const[]){"24:00", "9:00", "12:60",
                                                      "12:3", "12:300", "",
                                                      "ab:cd", NULL};
         *s; s++)
        assert_int_equal(slots_parse_time(*s, &v), ERR_INVALID);
    buf_init(&b, 16);
    assert_int_equal(slots_format_time(9 * 60 + 5, &b), ERR_OK);
    assert_string_equal(buf_cstr(&b), "09:05");
    buf_free(&b);
    assert_string_equal(slots_day_name(3), "wed");
    assert_string_equal(slots_day_name(7), "?");
}

static struct slot mk(int64_t id, int wd, int minute, const char *zone)
{
    return (struct slot){id, "dryrun", "acct", wd, minute, (char *)zone, 0, 0};
}

static void occ(const struct slot *s, size_t n, int64_t after, int days,
                size_t max, struct slot_when **w, size_t *k)
{
    struct buf err;
    buf_init(&err, 512);
    if (slots_occurrences(s, n, after, days, max, w, k, &err) != ERR_OK)
        fail_msg("%s", buf_cstr(&err));
    buf_free(&err);
}

static void test_dst(void **state)
{
    struct slot s[] = {mk(1, 6, 17 * 60, "Europe/Berlin"),
                       mk(2, 0, 2 * 60 + 30, "Europe/Berlin")};
    struct slot ny = mk(3, 2, 9 * 60, "America/New_York");
    struct slot_when *w = NULL;
    size_t k = 0;
    (void)state;

    occ(s, 2, MAR27, 7, 10, &w, &k); /* spring forward, 2025-03-30 */
    assert_int_equal(k, 2);
    assert_int_equal(w[0].utc, MAR29_1600);
    assert_string_equal(w[0].local, "2025-03-29 17:00:00");
    assert_false(w[0].shifted);
    assert_int_equal(w[1].utc, MAR30_0100);
    assert_string_equal(w[1].local, "2025-03-30 02:30:00");
    assert_true(w[1].shifted);
    assert_int_equal(w[1].slot_id, 2);
    free(w);
    occ(&s[1], 1, OCT20, 14, 10, &w, &k); /* fall back, 2025-10-26 */
    assert_int_equal(k, 2);
    assert_int_equal(w[0].utc, OCT26_0030);
    assert_false(w[0].shifted);
    assert_int_equal(w[1].utc, NOV02_0130);
    free(w);
    occ(&ny, 1, MAR01, 14, 10, &w, &k);
    assert_int_equal(k, 2);
    assert_int_equal(w[0].utc, NY_MAR04);
    assert_int_equal(w[1].utc, NY_MAR11);
    free(w);
    /* strictly after: an occurrence at `after` itself is not next */
    occ(&ny, 1, NY_MAR04, 7, 10, &w, &k);
    assert_int_equal(k, 1);
    assert_int_equal(w[0].utc, NY_MAR11);
    free(w);
}

static void test_order_dedupe_cap(void **state)
{
    /* Mon 17:00 Berlin and Mon 17:00 Paris: one instant, kept once, with
     * the lower slot id; Mon 08:00 UTC sorts before it. */
    struct slot s[] = {mk(9, 1, 17 * 60, "Europe/Paris"),
                       mk(4, 1, 17 * 60, "Europe/Berlin"),
                       mk(5, 1, 8 * 60, "UTC")};
    struct slot bad = mk(6, 1, 0, "No/Such_Zone");
    struct slot_when *w = NULL;
    struct buf err;
    size_t k = 0;
    (void)state;

    occ(s, 3, MAR01, 28, 100, &w, &k);
    assert_int_equal(k, 8);
    for (size_t i = 0; i < k; i++) {
        assert_int_equal(w[i].slot_id, i % 2 == 0 ? 5 : 4);
        if (i > 0)
            assert_true(w[i].utc > w[i - 1].utc);
    }
    free(w);
    occ(s, 3, MAR01, 366, 5, &w, &k);
    assert_int_equal(k, 5);
    free(w);
    buf_init(&err, 512);
    assert_int_equal(slots_occurrences(&bad, 1, MAR01, 7, 5, &w, &k, &err),
                     ERR_NOTFOUND);
    assert_null(w);
    buf_free(&err);
}

/* ---- the store --------------------------------------------------------- */

static int64_t add_slot(struct tu_store_fx *fx, struct slot s, enum err want)
{
    int64_t id = 0;
    assert_int_equal(store_slot_add(fx->st, &s, MAR01, &id, &fx->err), want);
    return id;
}

static enum err count_one(const struct slot *s, void *ud)
{
    (void)s;
    ++*(int *)ud;
    return ERR_OK;
}

static int count(struct tu_store_fx *fx, const char *account)
{
    int n = 0;
    assert_int_equal(store_slot_list(fx->st, "dryrun", account, count_one, &n,
                                     &fx->err),
                     ERR_OK);
    return n;
}

static void test_store_slots(void **state)
{
    struct tu_store_fx *fx = *state;
    struct slot got;
    int64_t a, b;

    a = add_slot(fx, mk(0, 2, 17 * 60, "Europe/Berlin"), ERR_OK);
    b = add_slot(fx, mk(0, 4, 17 * 60, "Europe/Berlin"), ERR_OK);
    assert_int_equal(add_slot(fx, mk(0, 2, 17 * 60, "Europe/Berlin"),
                              ERR_EXISTS),
                     a);
    assert_int_equal(count(fx, "acct"), 2);
    assert_int_equal(store_slot_update(fx->st, a, 4, 17 * 60, "Europe/Berlin",
                                       MAR01, &fx->err),
                     ERR_EXISTS); /* b is there */
    assert_int_equal(store_slot_update(fx->st, a, 3, 18 * 60, "UTC", MAR01,
                                       &fx->err),
                     ERR_OK);
    assert_int_equal(store_slot_get(fx->st, a, &got, &fx->err), ERR_OK);
    assert_int_equal(got.weekday, 3);
    assert_int_equal(got.minute, 18 * 60);
    assert_string_equal(got.zone, "UTC");
    slot_free(&got);
    assert_int_equal(store_slot_update(fx->st, 999, 3, 0, "UTC", MAR01,
                                       &fx->err),
                     ERR_NOTFOUND);
    assert_int_equal(store_slot_delete(fx->st, b, &fx->err), ERR_OK);
    assert_int_equal(store_slot_delete(fx->st, b, &fx->err), ERR_NOTFOUND);
    assert_int_equal(store_slot_get(fx->st, b, &got, &fx->err),
                     ERR_NOTFOUND);
    /* at most SLOTS_PER_ACCOUNT_MAX per account */
    for (int i = 0; i < SLOTS_PER_ACCOUNT_MAX; i++) {
        struct slot s = mk(0, i % 7, i, "UTC");
        s.account = "many";
        add_slot(fx, s, ERR_OK);
    }
    struct slot over = mk(0, 0, 1000, "UTC");
    over.account = "many";
    add_slot(fx, over, ERR_TOOBIG);
    assert_int_equal(count(fx, "many"), SLOTS_PER_ACCOUNT_MAX);
}

static int64_t queue(struct tu_store_fx *fx, const struct slot_when *c,
                     size_t n, enum err want, size_t want_i)
{
    struct post p = {.platform = xstrdup("dryrun"), .account = xstrdup("acct"),
                     .title = xstrdup("t"), .zone = xstrdup("UTC"),
                     .local_time = xstrdup("x"), .publish_at = 1,
                     .state = POST_SCHEDULED};
    int64_t id = 0;
    size_t i = 99;
    assert_int_equal(store_slot_queue_post(fx->st, &p, c, n, MAR01, &id, &i,
                                           &fx->err),
                     want);
    if (want == ERR_OK) {
        assert_int_equal(i, want_i);
        assert_int_equal(p.publish_at, c[i].utc);
        assert_string_equal(p.local_time, c[i].local);
    }
    post_free(&p);
    return id;
}

static void test_store_queue(void **state)
{
    struct tu_store_fx *fx = *state;
    struct slot s[] = {mk(1, 6, 17 * 60, "Europe/Berlin"),
                       mk(2, 0, 2 * 60 + 30, "Europe/Berlin")};
    struct slot_when *w = NULL;
    bool taken[3];
    size_t k = 0;
    int64_t id1, id2;
    struct post p;

    occ(s, 2, MAR27, 14, 3, &w, &k);
    assert_int_equal(k, 3);
    id1 = queue(fx, w, k, ERR_OK, 0);
    id2 = queue(fx, w, k, ERR_OK, 1);
    assert_int_equal(store_post_get(fx->st, id2, &p), ERR_OK);
    assert_int_equal(p.publish_at, MAR30_0100);
    assert_string_equal(p.zone, "Europe/Berlin");
    post_free(&p);
    assert_int_equal(store_slot_taken(fx->st, "dryrun", "acct", w, k, taken,
                                      &fx->err),
                     ERR_OK);
    assert_true(taken[0] && taken[1] && !taken[2]);
    /* another account's posts take nothing of this one's */
    assert_int_equal(store_slot_taken(fx->st, "dryrun", "other", w, k, taken,
                                      &fx->err),
                     ERR_OK);
    assert_false(taken[0] || taken[1] || taken[2]);
    queue(fx, w, k, ERR_OK, 2);
    queue(fx, w, k, ERR_NOTFOUND, 0); /* all taken: nothing stored */
    assert_non_null(strstr(buf_cstr(&fx->err), "taken"));
    /* a cancelled post frees its slot */
    assert_int_equal(store_post_move(fx->st, id1, POST_CANCELLED, NULL, MAR01,
                                     NULL, &fx->err),
                     ERR_OK);
    queue(fx, w, k, ERR_OK, 0);
    free(w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_dst),
        cmocka_unit_test(test_order_dedupe_cap),
        cmocka_unit_test_setup_teardown(test_store_slots, tu_store_setup,
                                        tu_store_teardown),
        cmocka_unit_test_setup_teardown(test_store_queue, tu_store_setup,
                                        tu_store_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
