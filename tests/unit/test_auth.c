/* Users and login sessions: the store on a real SQLite file, and the
 * password, token and throttle helpers of http/auth.c. */
#include "testutil.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "store/store.h"

#define fx tu_store_fx
#define setup tu_store_setup
#define teardown tu_store_teardown

/* A syntactically plausible hash; the store does not verify it. */
#define FAKE_HASH "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA"
#define KEY_A "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define KEY_B "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
#define KEY_C "cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc"

/* Run SQL on the file behind the store's back; want is the result. */
static void sql(const char *path, const char *text, int want)
{
    sqlite3 *db;
    int rc;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    rc = sqlite3_exec(db, text, NULL, NULL, NULL);
    if (rc != want)
        fail_msg("%s: got %d (%s), want %d", text, rc, sqlite3_errmsg(db),
                 want);
    sqlite3_close(db);
}

/* The single integer SQL answers on the file. */
static int64_t sql_int(const char *path, const char *text)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    int64_t v;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, text, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}

static int64_t add_user(struct fx *f, const char *name)
{
    int64_t id = 0;
    assert_int_equal(store_user_add(f->st, name, FAKE_HASH, 1000, &id),
                     ERR_OK);
    assert_true(id > 0);
    return id;
}

static enum err count_names(void *ud, const struct store_user *u)
{
    size_t *n = ud;
    assert_null(u->pw_hash); /* a listing does not carry hashes */
    (*n)++;
    return ERR_OK;
}

static void test_user_add_get_del(void **state)
{
    struct fx *f = *state;
    struct store_user u = {0};
    int64_t id = add_user(f, "alice"), n = -1;
    size_t listed = 0;

    assert_int_equal(store_user_get(f->st, "alice", &u), ERR_OK);
    assert_int_equal(u.id, id);
    assert_string_equal(u.name, "alice");
    assert_string_equal(u.pw_hash, FAKE_HASH);
    assert_int_equal(u.created_at, 1000);
    assert_false(u.disabled);
    store_user_free(&u);
    /* Names are unique and exact. */
    assert_int_equal(store_user_add(f->st, "alice", FAKE_HASH, 1, NULL),
                     ERR_EXISTS);
    assert_int_equal(store_user_get(f->st, "Alice", &u), ERR_NOTFOUND);
    add_user(f, "bob");
    assert_int_equal(store_user_count(f->st, &n), ERR_OK);
    assert_int_equal(n, 2);
    assert_int_equal(store_user_list(f->st, count_names, &listed), ERR_OK);
    assert_int_equal(listed, 2);
    /* New password; unknown names are ERR_NOTFOUND. */
    assert_int_equal(store_user_set_password(f->st, "alice", "$argon2id$x"),
                     ERR_OK);
    assert_int_equal(store_user_get(f->st, "alice", &u), ERR_OK);
    assert_string_equal(u.pw_hash, "$argon2id$x");
    store_user_free(&u);
    assert_int_equal(store_user_set_password(f->st, "carol", FAKE_HASH),
                     ERR_NOTFOUND);
    assert_int_equal(store_user_del(f->st, "alice"), ERR_OK);
    assert_int_equal(store_user_del(f->st, "alice"), ERR_NOTFOUND);
    assert_int_equal(store_user_get(f->st, "alice", &u), ERR_NOTFOUND);
    assert_int_equal(store_user_count(f->st, &n), ERR_OK);
    assert_int_equal(n, 1);
    /* The schema refuses what is not a hash and over-long names. */
    assert_int_equal(store_user_add(f->st, "dave", "secret", 1, NULL),
                     ERR_INVALID);
    assert_int_equal(store_user_add(f->st, "", FAKE_HASH, 1, NULL),
                     ERR_INVALID);
}

static void test_session_idle_timeout(void **state)
{
    struct fx *f = *state;
    struct store_session_limits lim = {100, 10000};
    struct store_session s = {0};
    int64_t uid = add_user(f, "alice");

    assert_int_equal(store_session_add(f->st, KEY_A, uid, "csrf-a", 1000),
                     ERR_OK);
    assert_int_equal(store_session_add(f->st, KEY_A, uid, "csrf-a", 1000),
                     ERR_EXISTS);
    assert_int_equal(store_session_get(f->st, KEY_A, 1099, &lim, &s), ERR_OK);
    assert_int_equal(s.user_id, uid);
    assert_string_equal(s.user, "alice");
    assert_string_equal(s.csrf, "csrf-a");
    assert_int_equal(s.created_at, 1000);
    assert_int_equal(s.last_seen, 1000);
    store_session_free(&s);
    /* Used at 1099: alive until 1199. */
    assert_int_equal(store_session_touch(f->st, KEY_A, 1099), ERR_OK);
    assert_int_equal(store_session_get(f->st, KEY_A, 1198, &lim, &s), ERR_OK);
    store_session_free(&s);
    assert_int_equal(store_session_get(f->st, KEY_A, 1199, &lim, &s),
                     ERR_NOTFOUND);
    /* The expired row is gone, even for an earlier clock. */
    assert_int_equal(store_session_get(f->st, KEY_A, 1100, &lim, &s),
                     ERR_NOTFOUND);
    assert_int_equal(sql_int(f->path, "SELECT count(*) FROM session"), 0);
    assert_int_equal(store_session_get(f->st, KEY_B, 1000, &lim, &s),
                     ERR_NOTFOUND);
}

static void test_session_absolute_timeout(void **state)
{
    struct fx *f = *state;
    struct store_session_limits lim = {100, 500};
    struct store_session s = {0};
    int64_t uid = add_user(f, "alice");

    assert_int_equal(store_session_add(f->st, KEY_A, uid, "c", 1000), ERR_OK);
    /* Used every 90 s, it still ends 500 s after login. */
    for (int64_t t = 1090; t < 1500; t += 90) {
        assert_int_equal(store_session_get(f->st, KEY_A, t, &lim, &s), ERR_OK);
        store_session_free(&s);
        assert_int_equal(store_session_touch(f->st, KEY_A, t), ERR_OK);
    }
    assert_int_equal(store_session_get(f->st, KEY_A, 1499, &lim, &s), ERR_OK);
    store_session_free(&s);
    assert_int_equal(store_session_get(f->st, KEY_A, 1500, &lim, &s),
                     ERR_NOTFOUND);
}

static void test_session_purge_and_user_changes(void **state)
{
    struct fx *f = *state;
    struct store_session_limits lim = {100, 1000};
    struct store_session s = {0};
    int64_t alice = add_user(f, "alice"), bob = add_user(f, "bob"), n = -1;

    assert_int_equal(store_session_add(f->st, KEY_A, alice, "a", 1000),
                     ERR_OK);
    assert_int_equal(store_session_add(f->st, KEY_B, alice, "b", 1050),
                     ERR_OK);
    assert_int_equal(store_session_add(f->st, KEY_C, bob, "c", 1050), ERR_OK);
    assert_int_equal(store_session_purge(f->st, 1120, &lim, &n), ERR_OK);
    assert_int_equal(n, 1); /* A was idle for 120 s */
    assert_int_equal(store_session_get(f->st, KEY_B, 1120, &lim, &s), ERR_OK);
    store_session_free(&s);
    /* A new password ends that user's sessions, not others'. */
    assert_int_equal(store_user_set_password(f->st, "alice", FAKE_HASH),
                     ERR_OK);
    assert_int_equal(store_session_get(f->st, KEY_B, 1120, &lim, &s),
                     ERR_NOTFOUND);
    assert_int_equal(store_session_get(f->st, KEY_C, 1120, &lim, &s), ERR_OK);
    store_session_free(&s);
    /* A disabled user's sessions do not count, and are purged. */
    sql(f->path, "UPDATE app_user SET disabled = 1 WHERE name = 'bob'",
        SQLITE_OK);
    assert_int_equal(store_session_get(f->st, KEY_C, 1120, &lim, &s),
                     ERR_NOTFOUND);
    assert_int_equal(store_session_purge(f->st, 1120, &lim, &n), ERR_OK);
    assert_int_equal(n, 1);
    /* Deleting a user deletes their sessions. */
    assert_int_equal(store_session_add(f->st, KEY_A, alice, "a", 1200),
                     ERR_OK);
    assert_int_equal(store_user_del(f->st, "alice"), ERR_OK);
    assert_int_equal(sql_int(f->path, "SELECT count(*) FROM session"), 0);
    /* Deleting a missing session is fine; a session needs a user. */
    assert_int_equal(store_session_del(f->st, KEY_A), ERR_OK);
    assert_int_equal(store_session_add(f->st, KEY_A, 999, "a", 1), ERR_INVALID);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_user_add_get_del, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_session_idle_timeout, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_session_absolute_timeout, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_session_purge_and_user_changes,
                                        setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
