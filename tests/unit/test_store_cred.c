/* store_cred_*, store_oauth_state_* and store_oauth_pending_* on a real
 * SQLite file. */
#include "testutil.h"

#include <sqlite3.h>
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

/* The first column of the first row of sql in the file at path. */
static int64_t sql_int(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    int64_t v;

    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}

struct seen {
    int n;
    struct store_oauth_pending v[8];
};

static enum err seen_one(void *ud, const struct store_oauth_pending *p)
{
    struct seen *s = ud;

    assert_true(s->n < 8);
    assert_null(p->state);       /* the list loads neither the state */
    assert_null(p->code_sealed); /* nor the code */
    s->v[s->n] = *p;
    s->v[s->n].account = p->account ? strdup(p->account) : NULL;
    s->v[s->n].message = p->message ? strdup(p->message) : NULL;
    s->n++;
    return ERR_OK;
}

static void seen_free(struct seen *s)
{
    for (int i = 0; i < s->n; i++)
        store_oauth_pending_free(&s->v[i]);
    s->n = 0;
}

/* A dashboard sign-in queued off the request thread: made from a live
 * state only, once per state (the callback hit twice gets the first
 * row), claimed once, its code cleared when done. */
static void test_oauth_pending(void **state)
{
    struct tu_store_fx *fx = *state;
    struct store_oauth_state s = {.platform = PLATFORM_YOUTUBE,
                                  .account = (char *)"UC1",
                                  .verifier_sealed = (char *)"v1:ver",
                                  .expires_at = 1600};
    struct store_oauth_pending p;
    struct seen seen = {0};
    int64_t id = 0, id2 = 0;

    assert_int_equal(store_oauth_state_put(fx->st, "st-1", &s, 1000,
                                           &fx->err), ERR_OK);
    assert_int_equal(store_oauth_state_put(fx->st, "st-2", &s, 1000,
                                           &fx->err), ERR_OK);
    /* unknown and expired states queue nothing */
    assert_int_equal(store_oauth_pending_add(fx->st, "nope", "v1:c", 1100,
                                             &id, &fx->err), ERR_NOTFOUND);
    assert_int_equal(store_oauth_pending_add(fx->st, "st-2", "v1:c", 1600,
                                             &id, &fx->err), ERR_NOTFOUND);
    assert_int_equal(store_oauth_pending_add(fx->st, "st-1", "v1:code",
                                             1100, &id, &fx->err), ERR_OK);
    assert_true(id > 0);
    /* again: the same row, the code not replaced */
    assert_int_equal(store_oauth_pending_add(fx->st, "st-1", "v1:other",
                                             1101, &id2, &fx->err),
                     ERR_EXISTS);
    assert_int_equal(id2, id);
    assert_int_equal(store_oauth_pending_claim(fx->st, 1102, 500, &p,
                                               &fx->err), ERR_OK);
    assert_int_equal(p.id, id);
    assert_string_equal(p.state, "st-1");
    assert_string_equal(p.code_sealed, "v1:code");
    assert_string_equal(p.account, "UC1");
    assert_int_equal(p.platform, PLATFORM_YOUTUBE);
    store_oauth_pending_free(&p);
    /* claimed once */
    assert_int_equal(store_oauth_pending_claim(fx->st, 1103, 500, &p,
                                               &fx->err), ERR_NOTFOUND);
    assert_int_equal(store_oauth_pending_list(fx->st, 0, 20, seen_one, &seen,
                                              &fx->err), ERR_OK);
    assert_int_equal(seen.n, 1);
    assert_int_equal(seen.v[0].status, PENDING_RUNNING);
    assert_int_equal(seen.v[0].finished_at, TIME_NONE);
    seen_free(&seen);
    assert_int_equal(store_oauth_pending_done(fx->st, id, true, "UC1b", NULL,
                                              1110, &fx->err), ERR_OK);
    /* done once */
    assert_int_equal(store_oauth_pending_done(fx->st, id, false, NULL, "x",
                                              1111, &fx->err), ERR_NOTFOUND);
    /* still the same row after it finished */
    assert_int_equal(store_oauth_pending_add(fx->st, "st-1", "v1:again",
                                             1120, &id2, &fx->err),
                     ERR_EXISTS);
    assert_int_equal(id2, id);
    assert_int_equal(store_oauth_pending_list(fx->st, 0, 20, seen_one, &seen,
                                              &fx->err), ERR_OK);
    assert_int_equal(seen.n, 1);
    assert_int_equal(seen.v[0].status, PENDING_OK);
    assert_string_equal(seen.v[0].account, "UC1b");
    assert_null(seen.v[0].message);
    assert_int_equal(seen.v[0].created_at, 1100);
    assert_int_equal(seen.v[0].finished_at, 1110);
    seen_free(&seen);
    /* the code is gone from the file */
    assert_int_equal(sql_int(fx->path, "SELECT count(*) FROM oauth_pending "
                                       "WHERE code IS NOT NULL"), 0);
}

/* A row left running by a stopped server becomes an error, never runs
 * again; the list is newest first and bounded. */
static void test_oauth_pending_stale(void **state)
{
    struct tu_store_fx *fx = *state;
    struct store_oauth_state s = {.platform = PLATFORM_TIKTOK,
                                  .verifier_sealed = (char *)"v1:ver",
                                  .expires_at = 5000};
    struct store_oauth_pending p;
    struct seen seen = {0};
    int64_t a = 0, b = 0;

    assert_int_equal(store_oauth_state_put(fx->st, "s-a", &s, 1000,
                                           &fx->err), ERR_OK);
    assert_int_equal(store_oauth_state_put(fx->st, "s-b", &s, 1000,
                                           &fx->err), ERR_OK);
    assert_int_equal(store_oauth_pending_add(fx->st, "s-a", "v1:a", 1000,
                                             &a, &fx->err), ERR_OK);
    assert_int_equal(store_oauth_pending_add(fx->st, "s-b", "v1:b", 1001,
                                             &b, &fx->err), ERR_OK);
    assert_int_equal(store_oauth_pending_claim(fx->st, 1002, 0, &p,
                                               &fx->err), ERR_OK);
    assert_int_equal(p.id, a);
    store_oauth_pending_free(&p);
    /* the server stops; 10 minutes later the next claim closes row a */
    assert_int_equal(store_oauth_pending_claim(fx->st, 1700, 1100, &p,
                                               &fx->err), ERR_OK);
    assert_int_equal(p.id, b);
    store_oauth_pending_free(&p);
    assert_int_equal(store_oauth_pending_list(fx->st, 0, 1, seen_one, &seen,
                                              &fx->err), ERR_OK);
    assert_int_equal(seen.n, 1);
    assert_int_equal(seen.v[0].id, b); /* newest first, limit 1 */
    seen_free(&seen);
    assert_int_equal(store_oauth_pending_list(fx->st, 0, 20, seen_one, &seen,
                                              &fx->err), ERR_OK);
    assert_int_equal(seen.n, 2);
    assert_int_equal(seen.v[1].id, a);
    assert_int_equal(seen.v[1].status, PENDING_ERROR);
    assert_non_null(strstr(seen.v[1].message, "press Connect again"));
    assert_int_equal(seen.v[1].finished_at, 1700);
    seen_free(&seen);
    assert_int_equal(store_oauth_pending_done(fx->st, a, true, NULL, NULL,
                                              1701, &fx->err), ERR_NOTFOUND);
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
        cmocka_unit_test_setup_teardown(test_oauth_pending, tu_store_setup,
                                        tu_store_teardown),
        cmocka_unit_test_setup_teardown(test_oauth_pending_stale,
                                        tu_store_setup, tu_store_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
