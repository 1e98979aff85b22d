/* store_cred_* and store_oauth_state_* on a real SQLite file. */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "core/timeutil.h"
#include "store/store.h"

static void put(struct tu_store_fx *fx, const char *acct, const char *at,
                const char *rt, int64_t exp, const char *scopes)
{
    struct store_cred c = {.platform = PLATFORM_YOUTUBE,
                           .account = (char *)acct,
                           .access_sealed = (char *)at,
                           .refresh_sealed = (char *)rt,
                           .expires_at = exp,
                           .scopes = (char *)scopes,
                           .status = CRED_OK,
                           .updated_at = 1000};
    assert_int_equal(store_cred_put(fx->st, &c, &fx->err), ERR_OK);
}

static void test_cred_put_get(void **state)
{
    struct tu_store_fx *fx = *state;
    struct store_cred c;
    int v = 0;

    assert_int_equal(store_schema_version(fx->st, &v), ERR_OK);
    assert_true(v >= 4);
    assert_int_equal(store_cred_get(fx->st, PLATFORM_YOUTUBE, "UC1", &c,
                                    &fx->err), ERR_NOTFOUND);
    assert_non_null(strstr(buf_cstr(&fx->err), "mediadash connect youtube"));
    put(fx, "UC1", "v1:access1", "v1:refresh1", 5000, "a b");
    /* a refresh response without a refresh token keeps the stored one */
    put(fx, "UC1", "v1:access2", NULL, 9000, NULL);
    assert_int_equal(store_cred_get(fx->st, PLATFORM_YOUTUBE, "UC1", &c,
                                    &fx->err), ERR_OK);
    assert_string_equal(c.access_sealed, "v1:access2");
    assert_string_equal(c.refresh_sealed, "v1:refresh1");
    assert_int_equal(c.expires_at, 9000);
    assert_string_equal(c.scopes, "a b");
    assert_int_equal(c.status, CRED_OK);
    store_cred_free(&c);
    /* a new one replaces it */
    put(fx, "UC1", "v1:access3", "v1:refresh2", TIME_NONE, "c");
    assert_int_equal(store_cred_get(fx->st, PLATFORM_YOUTUBE, "UC1", &c,
                                    &fx->err), ERR_OK);
    assert_string_equal(c.refresh_sealed, "v1:refresh2");
    assert_int_equal(c.expires_at, TIME_NONE);
    store_cred_free(&c);
    assert_int_equal(store_cred_get(fx->st, PLATFORM_TIKTOK, "UC1", &c,
                                    &fx->err), ERR_NOTFOUND);
}

static enum err count_cb(void *ud, const struct store_cred *c)
{
    int *n = ud;
    assert_non_null(c->account);
    (*n)++;
    return ERR_OK;
}

static void test_cred_status_list(void **state)
{
    struct tu_store_fx *fx = *state;
    struct store_cred c;
    int n = 0;

    put(fx, "UC1", "v1:a", "v1:r", 5000, "s");
    put(fx, "UC2", "v1:a", "v1:r", 5000, "s");
    assert_int_equal(store_cred_set_status(fx->st, PLATFORM_YOUTUBE, "UC1",
                                           CRED_NEEDS_RELOGIN,
                                           "invalid_grant: revoked", 2000,
                                           &fx->err), ERR_OK);
    assert_int_equal(store_cred_set_status(fx->st, PLATFORM_YOUTUBE, "UCx",
                                           CRED_OK, NULL, 2000, &fx->err),
                     ERR_NOTFOUND);
    assert_int_equal(store_cred_get(fx->st, PLATFORM_YOUTUBE, "UC1", &c,
                                    &fx->err), ERR_OK);
    assert_int_equal(c.status, CRED_NEEDS_RELOGIN);
    assert_string_equal(c.last_error, "invalid_grant: revoked");
    assert_int_equal(c.updated_at, 2000);
    store_cred_free(&c);
    assert_int_equal(store_cred_list(fx->st, count_cb, &n, &fx->err), ERR_OK);
    assert_int_equal(n, 2);
}

static void test_oauth_state(void **state)
{
    struct tu_store_fx *fx = *state;
    struct store_oauth_state s = {.platform = PLATFORM_TIKTOK,
                                  .account = NULL,
                                  .verifier_sealed = (char *)"v1:ver",
                                  .expires_at = 1600};
    struct store_oauth_state got;

    assert_int_equal(store_oauth_state_put(fx->st, "st-1", &s, 1000,
                                           &fx->err), ERR_OK);
    s.account = (char *)"acct";
    assert_int_equal(store_oauth_state_put(fx->st, "st-2", &s, 1000,
                                           &fx->err), ERR_OK);
    /* the same state twice is refused */
    assert_int_equal(store_oauth_state_put(fx->st, "st-2", &s, 1000,
                                           &fx->err), ERR_DB);
    assert_int_equal(store_oauth_state_take(fx->st, "st-1", 1100, &got,
                                            &fx->err), ERR_OK);
    assert_int_equal(got.platform, PLATFORM_TIKTOK);
    assert_null(got.account);
    assert_string_equal(got.verifier_sealed, "v1:ver");
    store_oauth_state_free(&got);
    /* single use */
    assert_int_equal(store_oauth_state_take(fx->st, "st-1", 1100, &got,
                                            &fx->err), ERR_NOTFOUND);
    /* expired */
    assert_int_equal(store_oauth_state_take(fx->st, "st-2", 1600, &got,
                                            &fx->err), ERR_NOTFOUND);
    assert_int_equal(store_oauth_state_take(fx->st, "nope", 0, &got,
                                            &fx->err), ERR_NOTFOUND);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_cred_put_get, tu_store_setup,
                                        tu_store_teardown),
        cmocka_unit_test_setup_teardown(test_cred_status_list, tu_store_setup,
                                        tu_store_teardown),
        cmocka_unit_test_setup_teardown(test_oauth_state, tu_store_setup,
                                        tu_store_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
