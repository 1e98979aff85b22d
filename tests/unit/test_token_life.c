/* Issue 12's pure rules against hand-computed values: when a token is
 * renewed (oauth_renew_need), when a login ends (oauth_login_deadline,
 * oauth_days_left), and how long a throttled Graph account waits
 * (fetch_graph_regain_s, fetch_graph_throttled). */
#include "testutil.h"

#include <string.h>

#include "core/config.h"
#include "core/timeutil.h"
#include "net/oauth.h"
#include "platforms/fetch.h"
#include "platforms/platform.h"
#include "store/store.h"

#define DAY 86400
#define T0 1764547200 /* 2025-12-01T00:00:00Z: the token is issued */

static struct store_cred ig(int64_t life)
{
    return (struct store_cred){.platform = PLATFORM_INSTAGRAM,
                               .account = "17841400000000001",
                               .expires_at = T0 + life,
                               .status = CRED_OK,
                               .issued_at = T0,
                               .refresh_expires_at = TIME_NONE};
}

static void test_renew_window(void **state)
{
    struct config cfg;
    struct store_cred c = ig(60 * DAY);
    (void)state;

    memset(&cfg, 0, sizeof cfg);
    cfg.renew_before_days = 10;
    /* 60-day token: 11 days left, exactly 10 left, 10 days minus 1 s */
    assert_int_equal(oauth_renew_need(platform_oauth_of(c.platform), &cfg, &c, T0 + 49 * DAY),
                     OAUTH_RENEW_NOT_DUE);
    assert_int_equal(oauth_renew_need(platform_oauth_of(c.platform), &cfg, &c, T0 + 50 * DAY),
                     OAUTH_RENEW_NOT_DUE);
    assert_int_equal(oauth_renew_need(platform_oauth_of(c.platform), &cfg, &c, T0 + 50 * DAY + 1),
                     OAUTH_RENEW_DUE);
    assert_int_equal(oauth_renew_need(platform_oauth_of(c.platform), &cfg, &c, T0 + 55 * DAY),
                     OAUTH_RENEW_DUE);
    /* the last second it is valid, then gone */
    assert_int_equal(oauth_renew_need(platform_oauth_of(c.platform), &cfg, &c, T0 + 60 * DAY - 1),
                     OAUTH_RENEW_DUE);
    assert_int_equal(oauth_renew_need(platform_oauth_of(c.platform), &cfg, &c, T0 + 60 * DAY),
                     OAUTH_RENEW_EXPIRED);
    assert_int_equal(oauth_renew_need(platform_oauth_of(c.platform), &cfg, &c, T0 + 61 * DAY),
                     OAUTH_RENEW_EXPIRED);
    /* a wider window: 20 days left is inside renew_before_days = 21 */
    cfg.renew_before_days = 21;
    assert_int_equal(oauth_renew_need(platform_oauth_of(c.platform), &cfg, &c, T0 + 40 * DAY),
                     OAUTH_RENEW_DUE);
}

static void test_renew_min_age_and_others(void **state)
{
    struct config cfg;
    struct store_cred c = ig(5 * DAY); /* issued with only 5 days */
    struct store_cred yt = ig(3600);
    (void)state;

    memset(&cfg, 0, sizeof cfg);
    cfg.renew_before_days = 10;
    /* inside the window at once, but renewable only at 24 h of age */
    assert_int_equal(oauth_renew_need(platform_oauth_of(c.platform), &cfg, &c, T0 + 3600),
                     OAUTH_RENEW_TOO_YOUNG);
    assert_int_equal(oauth_renew_need(platform_oauth_of(c.platform), &cfg, &c, T0 + DAY - 1),
                     OAUTH_RENEW_TOO_YOUNG);
    assert_int_equal(oauth_renew_need(platform_oauth_of(c.platform), &cfg, &c, T0 + DAY), OAUTH_RENEW_DUE);
    /* unknown issue time (stored before migration 0014): old enough */
    c.issued_at = TIME_NONE;
    assert_int_equal(oauth_renew_need(platform_oauth_of(c.platform), &cfg, &c, T0 + 3600), OAUTH_RENEW_DUE);
    /* needs a login already, or no known end: nothing to do */
    c.status = CRED_NEEDS_RELOGIN;
    assert_int_equal(oauth_renew_need(platform_oauth_of(c.platform), &cfg, &c, T0 + 3600),
                     OAUTH_RENEW_NOT_DUE);
    c.status = CRED_OK;
    c.expires_at = TIME_NONE;
    assert_int_equal(oauth_renew_need(platform_oauth_of(c.platform), &cfg, &c, T0 + 3600),
                     OAUTH_RENEW_NOT_DUE);
    /* refresh-token platforms refresh on use, even when expired */
    yt.platform = PLATFORM_YOUTUBE;
    assert_int_equal(oauth_renew_need(platform_oauth_of(yt.platform), &cfg, &yt, T0 + 7200),
                     OAUTH_RENEW_NOT_DUE);
    yt.platform = PLATFORM_TIKTOK;
    assert_int_equal(oauth_renew_need(platform_oauth_of(yt.platform), &cfg, &yt, T0 + 7200),
                     OAUTH_RENEW_NOT_DUE);
}

static void test_login_deadline(void **state)
{
    struct store_cred c = ig(60 * DAY);
    (void)state;

    /* Meta: the access token's own end */
    assert_int_equal(oauth_login_deadline(platform_oauth_of(c.platform), &c), T0 + 60 * DAY);
    /* TikTok: the refresh token's, not the 24 h access token's */
    c.platform = PLATFORM_TIKTOK;
    c.expires_at = T0 + DAY;
    c.refresh_expires_at = T0 + 365 * DAY;
    assert_int_equal(oauth_login_deadline(platform_oauth_of(c.platform), &c), T0 + 365 * DAY);
    /* YouTube of a published app: none known */
    c.platform = PLATFORM_YOUTUBE;
    c.refresh_expires_at = TIME_NONE;
    assert_int_equal(oauth_login_deadline(platform_oauth_of(c.platform), &c), TIME_NONE);
    c.platform = PLATFORM_INSTAGRAM;
    c.status = CRED_NEEDS_RELOGIN;
    assert_int_equal(oauth_login_deadline(platform_oauth_of(c.platform), &c), TIME_NONE);
    /* whole days, rounded down; 0 once passed */
    assert_int_equal(oauth_days_left(T0 + 5 * DAY + 86399, T0), 5);
    assert_int_equal(oauth_days_left(T0 + 6 * DAY, T0), 6);
    assert_int_equal(oauth_days_left(T0 + 86399, T0), 0);
    assert_int_equal(oauth_days_left(T0 - 1, T0), 0);
}

static void test_graph_regain(void **state)
{
    (void)state;
    /* X-Business-Use-Case-Usage: the longest estimate of every entry of
     * every business, in minutes */
    assert_int_equal(fetch_graph_regain_s(
                         NULL, "{\"1784\": [{\"type\": \"instagram\", "
                               "\"call_count\": 100, "
                               "\"estimated_time_to_regain_access\": 7}, "
                               "{\"type\": \"pages\", "
                               "\"estimated_time_to_regain_access\": 12}], "
                               "\"99\": [{\"estimated_time_to_regain_access\""
                               ": 3}]}"),
                     12 * 60);
    /* X-App-Usage: one object */
    assert_int_equal(fetch_graph_regain_s("{\"call_count\": 100, "
                                          "\"estimated_time_to_regain_access"
                                          "\": 42}", NULL),
                     42 * 60);
    /* both: the longer wait */
    assert_int_equal(fetch_graph_regain_s(
                         "{\"estimated_time_to_regain_access\": 42}",
                         "{\"1\": [{\"estimated_time_to_regain_access\": "
                         "5}]}"),
                     42 * 60);
    /* not throttled, no estimate, unreadable, or unbelievable */
    assert_int_equal(fetch_graph_regain_s(
                         "{\"estimated_time_to_regain_access\": 0}", NULL),
                     0);
    assert_int_equal(fetch_graph_regain_s("{\"call_count\": 12}", ""), -1);
    assert_int_equal(fetch_graph_regain_s("{not json", "[1, 2]"), -1);
    assert_int_equal(fetch_graph_regain_s(
                         "{\"estimated_time_to_regain_access\": \"7\"}",
                         NULL),
                     -1);
    assert_int_equal(fetch_graph_regain_s(
                         "{\"estimated_time_to_regain_access\": 100000}",
                         NULL),
                     -1);
}

static void test_graph_throttled(void **state)
{
    static const long yes[] = {4, 17, 32, 613, 80000, 80001, 80002, 80004,
                               80014, 80099};
    static const long no[] = {0, 1, 2, 10, 100, 190, 368, 79999, 80100};
    (void)state;

    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
        assert_true(fetch_graph_throttled(yes[i]));
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
        assert_false(fetch_graph_throttled(no[i]));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_renew_window),
        cmocka_unit_test(test_renew_min_age_and_others),
        cmocka_unit_test(test_login_deadline),
        cmocka_unit_test(test_graph_regain),
        cmocka_unit_test(test_graph_throttled),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
