/* Issue 14's post states: views of a published post's item at fixed ages
 * (postperf_views_at's interpolation rule) and the account states a
 * post is flagged with (status_account_of over a real SQLite file). */
#include "testutil.h"

#include <string.h>

#include "analytics/postperf.h"
#include "core/timeutil.h"
#include "schedule/status.h"

#define PUB 1741509000 /* 2025-03-09T08:30:00Z */
#define H 3600

static struct item *video(const int64_t *at, const int64_t *views, size_t n)
{
    struct item *it = item_create(PLATFORM_YOUTUBE, ITEM_CONTENT, "v1");
    it->published_at = PUB;
    for (size_t i = 0; i < n; i++)
        assert_int_equal(metrics_set_i64(&item_snapshot_at(it, at[i])->metrics,
                                         M_VIEWS, views[i]),
                         ERR_OK);
    item_sort_snapshots(it);
    return it;
}

static void test_views_at(void **state)
{
    const int64_t at[] = {PUB + H / 2, PUB + 2 * H, PUB + 3 * H,
                          PUB + 30 * H};
    const int64_t views[] = {100, 400, 500, 2000};
    struct item *it = video(at, views, 4);
    (void)state;

    /* between 0.5 h (100) and 2 h (400): 1 h is a third of the way */
    assert_int_equal(postperf_views_at(it, H), 200);
    assert_int_equal(postperf_views_at(it, 3 * H), 500); /* exact */
    /* 6 h: the snapshots around it (3 h, 30 h) are 27 h apart, more
     * than twice the age: unknown rather than made up */
    assert_int_equal(postperf_views_at(it, 6 * H), -1);
    /* 1 d: 27 h apart is within 2 d: 500 + 1500 * 21 / 27 */
    assert_int_equal(postperf_views_at(it, 24 * H), 1666);
    /* 2 d: nothing observed after it yet */
    assert_int_equal(postperf_views_at(it, 48 * H), -1);
    it->published_at = TIME_NONE;
    assert_int_equal(postperf_views_at(it, H), -1);
    item_destroy(it);
    assert_int_equal(postperf_views_at(NULL, H), -1);
}

static void put_cred(struct tu_store_fx *fx, const char *account,
                     enum cred_status s, int64_t refresh_end)
{
    struct store_cred c = {.platform = PLATFORM_TIKTOK,
                           .account = (char *)account,
                           .access_sealed = "sealed-a",
                           .refresh_sealed = "sealed-r",
                           .expires_at = PUB + H,
                           .status = s,
                           .issued_at = TIME_NONE,
                           .refresh_expires_at = refresh_end};
    assert_int_equal(store_cred_put(fx->st, &c, &fx->err), ERR_OK);
}

static void test_account_states(void **state)
{
    struct tu_store_fx *fx = *state;
    struct status_accounts *a = NULL;

    put_cred(fx, "ok", CRED_OK, TIME_NONE);
    put_cred(fx, "refused", CRED_NEEDS_RELOGIN, TIME_NONE);
    put_cred(fx, "ended", CRED_OK, PUB - 1);
    assert_int_equal(status_accounts_load(fx->st, PUB, &a, &fx->err), ERR_OK);
    assert_int_equal(status_account_of(a, "tiktok", "ok"),
                     STATUS_ACCOUNT_CONNECTED);
    assert_int_equal(status_account_of(a, "tiktok", "refused"),
                     STATUS_ACCOUNT_NEEDS_RELOGIN);
    assert_int_equal(status_account_of(a, "tiktok", "ended"),
                     STATUS_ACCOUNT_NEEDS_RELOGIN);
    assert_int_equal(status_account_of(a, "tiktok", "other"),
                     STATUS_ACCOUNT_NOT_CONNECTED);
    assert_int_equal(status_account_of(a, "youtube", "ok"),
                     STATUS_ACCOUNT_NOT_CONNECTED); /* another platform */
    assert_int_equal(status_account_of(a, "dryrun", "ok"),
                     STATUS_ACCOUNT_NONE);
    assert_null(status_account_name(STATUS_ACCOUNT_NONE));
    assert_string_equal(status_account_name(STATUS_ACCOUNT_NOT_CONNECTED),
                        "not_connected");
    status_accounts_destroy(a);
    status_accounts_destroy(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_views_at),
        cmocka_unit_test_setup_teardown(test_account_states, tu_store_setup,
                                        tu_store_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
