/* Users and login sessions: the store on a real SQLite file, and the
 * password, token and throttle helpers of http/auth_*.c. */
#include "testutil.h"

#include <pthread.h>
#include <sodium.h>
#include <sqlite3.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/digest.h"
#include "http/auth.h"
#include "http/auth_int.h"
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

/* Whether the n bytes at needle occur in the len bytes at hay. */
static bool contains_bytes(const char *hay, size_t len, const char *needle,
                           size_t n)
{
    for (size_t i = 0; n <= len && i <= len - n; i++)
        if (memcmp(hay + i, needle, n) == 0)
            return true;
    return false;
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

/* ---- http/auth.c ------------------------------------------------------ */

static void test_names_and_password_rules(void **state)
{
    char big[AUTH_PASSWORD_MAX + 2];
    (void)state;
    assert_true(auth_name_valid("alice"));
    assert_true(auth_name_valid("a.b-c_d@example.com"));
    assert_true(auth_name_valid("x"));
    assert_false(auth_name_valid(""));
    assert_false(auth_name_valid(NULL));
    assert_false(auth_name_valid("al ice"));
    assert_false(auth_name_valid("al/ice"));
    assert_false(auth_name_valid("\xc3\xa9t\xc3\xa9"));
    memset(big, 'a', sizeof big);
    big[AUTH_NAME_MAX] = '\0';
    assert_true(auth_name_valid(big));
    big[AUTH_NAME_MAX] = 'a';
    big[AUTH_NAME_MAX + 1] = '\0';
    assert_false(auth_name_valid(big));

    memset(big, 'a', sizeof big);
    assert_non_null(auth_password_problem("1234567", 7));
    assert_null(auth_password_problem("12345678", 8));
    assert_non_null(auth_password_problem("1234\0" "5678", 9));
    assert_null(auth_password_problem(big, AUTH_PASSWORD_MAX));
    assert_non_null(auth_password_problem(big, AUTH_PASSWORD_MAX + 1));
}

static void test_password_hash_and_verify(void **state)
{
    struct buf h1, h2;
    (void)state;
    buf_init(&h1, 1024);
    buf_init(&h2, 1024);
    assert_int_equal(auth_password_hash("correct horse", 13, &h1), ERR_OK);
    /* argon2id at OWASP's minimum: m=19 MiB, t=2, p=1. */
    assert_non_null(strstr(buf_cstr(&h1), "$argon2id$v=19$m=19456,t=2,p=1$"));
    assert_false(auth_password_needs_rehash(buf_cstr(&h1)));
    assert_null(strstr(buf_cstr(&h1), "correct horse"));
    assert_true(auth_password_verify(buf_cstr(&h1), "correct horse", 13));
    assert_false(auth_password_verify(buf_cstr(&h1), "correct horsf", 13));
    assert_false(auth_password_verify(buf_cstr(&h1), "correct hors", 12));
    assert_false(auth_password_verify("garbage", "correct horse", 13));
    assert_false(auth_password_verify(NULL, "correct horse", 13));
    /* Salted: the same password hashes differently. */
    assert_int_equal(auth_password_hash("correct horse", 13, &h2), ERR_OK);
    assert_string_not_equal(buf_cstr(&h1), buf_cstr(&h2));
    assert_int_equal(auth_password_hash("short", 5, &h2), ERR_INVALID);
    buf_free(&h1);
    buf_free(&h2);
}

static void test_login_verify(void **state)
{
    struct fx *f = *state;
    struct buf h;
    int64_t id = 0, got = -1;

    buf_init(&h, 1024);
    assert_int_equal(auth_password_hash("correct horse", 13, &h), ERR_OK);
    assert_int_equal(store_user_add(f->st, "alice", buf_cstr(&h), 1, &id),
                     ERR_OK);
    assert_int_equal(auth_login_verify(f->st, "alice", "correct horse", 13,
                                       &got),
                     ERR_OK);
    assert_int_equal(got, id);
    /* Wrong password, unknown name, impossible name: the same answer. */
    assert_int_equal(auth_login_verify(f->st, "alice", "wrong horse", 11,
                                       &got),
                     ERR_NOTFOUND);
    assert_int_equal(got, 0);
    assert_int_equal(auth_login_verify(f->st, "mallory", "correct horse", 13,
                                       &got),
                     ERR_NOTFOUND);
    assert_int_equal(auth_login_verify(f->st, "no such/name", "x", 1, &got),
                     ERR_NOTFOUND);
    /* A disabled user cannot log in, even with the right password. */
    sql(f->path, "UPDATE app_user SET disabled = 1", SQLITE_OK);
    assert_int_equal(auth_login_verify(f->st, "alice", "correct horse", 13,
                                       &got),
                     ERR_NOTFOUND);
    buf_free(&h);
}

/* A hash of the parameters used before 2026-11-25 (m=64 MiB), with ops
 * time cost, as libsodium makes it. */
static void old_hash(const char *pw, unsigned long long ops, char *out)
{
    assert_true(auth_init());
    assert_int_equal(crypto_pwhash_argon2id_str(out, pw, strlen(pw), ops,
                                                (size_t)64 << 20),
                     0);
    assert_non_null(strstr(out, "$m=65536,"));
}

/* An old hash still logs in, and the login replaces it with one of
 * today's parameters, which logs in too. */
static void test_login_rehashes_old_hash(void **state)
{
    struct fx *f = *state;
    char old[crypto_pwhash_STRBYTES];
    struct store_user u = {0};
    int64_t id = 0, got = 0;

    old_hash("correct horse", 2, old);
    assert_true(auth_password_needs_rehash(old));
    assert_int_equal(store_user_add(f->st, "alice", old, 1, &id), ERR_OK);
    /* A wrong password does not rehash. */
    assert_int_equal(auth_login_verify(f->st, "alice", "wrong horse", 11,
                                       &got),
                     ERR_NOTFOUND);
    assert_int_equal(store_user_get(f->st, "alice", &u), ERR_OK);
    assert_string_equal(u.pw_hash, old);
    store_user_free(&u);
    assert_int_equal(auth_login_verify(f->st, "alice", "correct horse", 13,
                                       &got),
                     ERR_OK);
    assert_int_equal(got, id);
    assert_int_equal(store_user_get(f->st, "alice", &u), ERR_OK);
    assert_non_null(strstr(u.pw_hash, "$argon2id$v=19$m=19456,t=2,p=1$"));
    assert_false(auth_password_needs_rehash(u.pw_hash));
    assert_true(auth_password_verify(u.pw_hash, "correct horse", 13));
    store_user_free(&u);
    got = 0;
    assert_int_equal(auth_login_verify(f->st, "alice", "correct horse", 13,
                                       &got),
                     ERR_OK);
    assert_int_equal(got, id);
}

struct verifier {
    const char *hash;
    bool ok;
};

static void *verify_thread(void *arg)
{
    struct verifier *v = arg;
    v->ok = auth_password_verify(v->hash, "correct horse", 13);
    return NULL;
}

/* Four checks at once take one hash's memory at a time. */
static void test_hash_gate_concurrent(void **state)
{
    struct buf h;
    pthread_t t[4];
    struct verifier v[4];
    (void)state;

    buf_init(&h, 1024);
    assert_int_equal(auth_password_hash("correct horse", 13, &h), ERR_OK);
    auth_hash_mem_peak_reset();
    assert_int_equal(auth_hash_mem_peak(), 0);
    for (int i = 0; i < 4; i++) {
        v[i] = (struct verifier){buf_cstr(&h), false};
        assert_int_equal(pthread_create(&t[i], NULL, verify_thread, &v[i]),
                         0);
    }
    for (int i = 0; i < 4; i++) {
        assert_int_equal(pthread_join(t[i], NULL), 0);
        assert_true(v[i].ok);
    }
    assert_int_equal(auth_hash_mem_peak(), AUTH_HASH_MEMLIMIT);
    assert_int_equal(auth_hash_mem_in_use(), 0);
    buf_free(&h);
}

/* While a costlier old hash is being checked, a login that may not wait
 * is told ERR_BUSY (the server's 503), not a failure. */
static void test_login_busy(void **state)
{
    struct fx *f = *state;
    char old[crypto_pwhash_STRBYTES];
    struct buf h;
    struct verifier v;
    pthread_t t;
    int64_t id = 0, got = 0;
    struct timespec ms = {0, 1000000};

    buf_init(&h, 1024);
    assert_int_equal(auth_password_hash("correct horse", 13, &h), ERR_OK);
    assert_int_equal(store_user_add(f->st, "alice", buf_cstr(&h), 1, &id),
                     ERR_OK);
    /* The dummy hash for unknown names is made once, at the first login. */
    assert_int_equal(auth_login_verify(f->st, "nobody", "x", 1, &got),
                     ERR_NOTFOUND);
    /* t=8 at 64 MiB: long enough to be seen running. */
    old_hash("correct horse", 8, old);
    auth_hash_mem_peak_reset();
    v = (struct verifier){old, false};
    assert_int_equal(pthread_create(&t, NULL, verify_thread, &v), 0);
    for (int i = 0; i < 5000 && auth_hash_mem_in_use() == 0; i++)
        nanosleep(&ms, NULL);
    assert_int_equal(auth_hash_mem_in_use(), (size_t)64 << 20);
    auth_set_hash_wait(0);
    assert_int_equal(auth_login_verify(f->st, "alice", "correct horse", 13,
                                       &got),
                     ERR_BUSY);
    assert_int_equal(got, 0);
    auth_set_hash_wait(2000);
    assert_int_equal(pthread_join(t, NULL), 0);
    assert_true(v.ok);
    /* The old hash ran alone. */
    assert_int_equal(auth_hash_mem_peak(), (size_t)64 << 20);
    assert_int_equal(auth_login_verify(f->st, "alice", "correct horse", 13,
                                       &got),
                     ERR_OK);
    assert_int_equal(got, id);
    buf_free(&h);
}

/* The session table must not hold the token, only its SHA-256. */
static void test_session_token_stored_hashed(void **state)
{
    struct fx *f = *state;
    struct store_session_limits lim = {100, 1000};
    struct store_session s = {0};
    struct buf token, csrf, key, raw, q;
    int64_t uid = add_user(f, "alice");

    buf_init(&token, 128);
    buf_init(&csrf, 128);
    buf_init(&key, 128);
    buf_init(&raw, 1 << 20);
    buf_init(&q, 1024);
    assert_int_equal(auth_session_create(f->st, uid, 1000, &token, &csrf),
                     ERR_OK);
    assert_int_equal(token.len, AUTH_TOKEN_CHARS);
    assert_int_equal(csrf.len, AUTH_TOKEN_CHARS);
    assert_string_not_equal(buf_cstr(&token), buf_cstr(&csrf));
    assert_int_equal(auth_token_key(buf_cstr(&token), &key), ERR_OK);
    assert_int_equal(key.len, 64);
    assert_int_equal(store_session_get(f->st, buf_cstr(&key), 1001, &lim, &s),
                     ERR_OK);
    assert_string_equal(s.csrf, buf_cstr(&csrf));
    store_session_free(&s);
    /* The row is keyed by the hash; no column holds the token. */
    assert_int_equal(buf_printf(&q, "SELECT count(*) FROM session WHERE "
                                    "token_hash = '%s'", buf_cstr(&key)),
                     ERR_OK);
    assert_int_equal(sql_int(f->path, buf_cstr(&q)), 1);
    buf_reset(&q);
    assert_int_equal(buf_printf(&q, "SELECT count(*) FROM session WHERE "
                                    "instr(token_hash || csrf, '%s') > 0",
                                buf_cstr(&token)),
                     ERR_OK);
    assert_int_equal(sql_int(f->path, buf_cstr(&q)), 0);
    /* Nor does any byte of the database file. */
    tu_read(f->path, &raw);
    assert_false(contains_bytes(raw.data, raw.len, token.data, token.len));
    buf_free(&token);
    buf_free(&csrf);
    buf_free(&key);
    buf_free(&raw);
    buf_free(&q);
}

static void test_token_key_and_compare(void **state)
{
    struct buf t1, t2, k;
    (void)state;
    buf_init(&t1, 128);
    buf_init(&t2, 128);
    buf_init(&k, 128);
    assert_int_equal(auth_token_new(&t1), ERR_OK);
    assert_int_equal(auth_token_new(&t2), ERR_OK);
    assert_string_not_equal(buf_cstr(&t1), buf_cstr(&t2));
    assert_true(auth_token_equal(buf_cstr(&t1), buf_cstr(&t1)));
    assert_false(auth_token_equal(buf_cstr(&t1), buf_cstr(&t2)));
    assert_false(auth_token_equal(buf_cstr(&t1), NULL));
    assert_false(auth_token_equal(NULL, NULL));
    assert_false(auth_token_equal("", ""));
    assert_false(auth_token_equal("abc", "abcd"));
    /* Malformed tokens have no key. */
    assert_int_equal(auth_token_key(NULL, &k), ERR_PARSE);
    assert_int_equal(auth_token_key("short", &k), ERR_PARSE);
    assert_int_equal(auth_token_key("!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!",
                                    &k),
                     ERR_PARSE);
    assert_int_equal(auth_token_key("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
                                    &k),
                     ERR_PARSE);
    assert_int_equal(k.len, 0);
    /* The key is the SHA-256 of the token's 32 bytes. */
    assert_int_equal(auth_token_key("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                                    &k),
                     ERR_OK);
    assert_string_equal(buf_cstr(&k), "66687aadf862bd776c8fc18b8e9f8e20089714"
                                      "856ee233b3902a591d0d5f2925");
    buf_free(&t1);
    buf_free(&t2);
    buf_free(&k);
}

static void test_login_location(void **state)
{
    struct buf b;
    (void)state;
    buf_init(&b, 8192);
    auth_login_location("/", &b);
    assert_string_equal(buf_cstr(&b), "/login?next=/");
    auth_login_location("/content/x_y-z.1~", &b);
    assert_string_equal(buf_cstr(&b), "/login?next=/content/x_y-z.1~");
    /* Anything that could end the value or the header is encoded. */
    auth_login_location("/a b?c=d&e#f\r\nSet-Cookie:x\"<", &b);
    assert_string_equal(buf_cstr(&b), "/login?next=/a%20b%3Fc%3Dd%26e%23f%0D"
                                      "%0ASet-Cookie%3Ax%22%3C");
    /* Not a local path: no next. */
    auth_login_location("//evil.example/", &b);
    assert_string_equal(buf_cstr(&b), "/login");
    auth_login_location("/\\evil.example", &b);
    assert_string_equal(buf_cstr(&b), "/login");
    auth_login_location("http://evil.example/", &b);
    assert_string_equal(buf_cstr(&b), "/login");
    auth_login_location(NULL, &b);
    assert_string_equal(buf_cstr(&b), "/login");
    buf_free(&b);
}

static enum err form(const char *body, const char *key, struct buf *out)
{
    buf_reset(out);
    return auth_form_field(body, strlen(body), key, out);
}

static void test_form_field(void **state)
{
    struct buf b;
    (void)state;
    buf_init(&b, 16);
    assert_int_equal(form("user=al%40ice&password=a+b%2Bc%26", "user", &b),
                     ERR_OK);
    assert_string_equal(buf_cstr(&b), "al@ice");
    assert_int_equal(form("user=al%40ice&password=a+b%2Bc%26", "password",
                          &b),
                     ERR_OK);
    assert_string_equal(buf_cstr(&b), "a b+c&");
    assert_int_equal(form("xuser=a&userx=b&user=", "user", &b), ERR_OK);
    assert_string_equal(buf_cstr(&b), "");
    assert_int_equal(form("password=x", "user", &b), ERR_NOTFOUND);
    assert_int_equal(form("", "user", &b), ERR_NOTFOUND);
    assert_int_equal(form("user", "user", &b), ERR_NOTFOUND);
    assert_int_equal(form("user=a&user=b", "user", &b), ERR_PARSE);
    assert_int_equal(form("user=%4", "user", &b), ERR_PARSE);
    assert_int_equal(form("user=%zz", "user", &b), ERR_PARSE);
    assert_int_equal(form("user=a%00b", "user", &b), ERR_PARSE);
    assert_int_equal(auth_form_field("user=a\0b", 9, "user", &b), ERR_PARSE);
    assert_int_equal(form("user=0123456789abcdef0", "user", &b), ERR_PARSE);
    assert_int_equal(form("user=%41", "user", &b), ERR_OK);
    assert_string_equal(buf_cstr(&b), "A");
    buf_free(&b);
}

/* One failed attempt of name from ip at t, through begin and end. */
static void fail_once(const char *name, const char *ip, int64_t t)
{
    int64_t wait = -1;
    assert_int_equal(auth_throttle_begin(name, ip, t, &wait), ERR_OK);
    assert_int_equal(wait, 0);
    auth_throttle_end(name, ip, t, AUTH_ATTEMPT_FAILED);
}

/* auth_throttle_begin's verdict for name from ip at t; a granted attempt
 * is released again (AUTH_ATTEMPT_VOID) and the verdict is ERR_OK. */
static enum err probe(const char *name, const char *ip, int64_t t,
                      int64_t *wait)
{
    enum err rc = auth_throttle_begin(name, ip, t, wait);
    if (rc == ERR_OK)
        auth_throttle_end(name, ip, t, AUTH_ATTEMPT_VOID);
    return rc;
}

static void test_throttle(void **state)
{
    int64_t t = 100000, w;
    (void)state;
    auth_throttle_reset();
    for (int i = 0; i < AUTH_ACCOUNT_FAILS - 1; i++) {
        fail_once("alice", "10.0.0.1", t);
        assert_int_equal(auth_throttle_wait("alice", "10.0.0.1", t), 0);
    }
    fail_once("alice", "10.0.0.1", t);
    assert_int_equal(auth_throttle_wait("alice", "10.0.0.1", t),
                     AUTH_LOCK_FIRST);
    assert_int_equal(probe("alice", "10.0.0.1", t, &w), ERR_BUSY);
    assert_int_equal(w, AUTH_LOCK_FIRST);
    /* The account is locked from everywhere; the address for others not. */
    assert_int_equal(probe("alice", "10.0.0.2", t + 10, &w), ERR_BUSY);
    assert_int_equal(w, AUTH_LOCK_FIRST - 10);
    assert_int_equal(probe("bob", "10.0.0.1", t, &w), ERR_OK);
    /* After the lockout, the next round locks twice as long. */
    t += AUTH_LOCK_FIRST;
    assert_int_equal(auth_throttle_wait("alice", "10.0.0.1", t), 0);
    for (int i = 0; i < AUTH_ACCOUNT_FAILS; i++)
        fail_once("alice", "10.0.0.3", t);
    assert_int_equal(auth_throttle_wait("alice", NULL, t),
                     2 * AUTH_LOCK_FIRST);
    /* A success forgets the account's failures (not the address's). */
    t += 2 * AUTH_LOCK_FIRST;
    assert_int_equal(auth_throttle_begin("alice", "10.0.0.4", t, &w), ERR_OK);
    auth_throttle_end("alice", "10.0.0.4", t, AUTH_ATTEMPT_OK);
    for (int i = 0; i < AUTH_ACCOUNT_FAILS; i++)
        fail_once("alice", "10.0.0.4", t);
    assert_int_equal(auth_throttle_wait("alice", "10.0.0.4", t),
                     AUTH_LOCK_FIRST);
    /* Failures spread over more than the window do not add up. */
    for (int i = 0; i < AUTH_ACCOUNT_FAILS; i++)
        fail_once("carol", "10.0.0.5", t + i * AUTH_FAIL_WINDOW);
    assert_int_equal(auth_throttle_wait("carol", "10.0.0.5",
                                        t + 4 * AUTH_FAIL_WINDOW),
                     0);
    /* Many names from one address lock the address. */
    for (int i = 0; i < AUTH_IP_FAILS; i++)
        fail_once(NULL, "10.0.0.9", t);
    assert_int_equal(auth_throttle_wait("dave", "10.0.0.9", t),
                     AUTH_LOCK_FIRST);
    assert_int_equal(auth_throttle_wait("dave", "10.0.0.8", t), 0);
    auth_throttle_reset();
}

/* The check and the count are one step: of 60 attempts begun before any
 * ends, exactly AUTH_ACCOUNT_FAILS get through; a void attempt (hash gate
 * busy) gives its reservation back without counting. */
static void test_throttle_one_step(void **state)
{
    int64_t t = 200000, w;
    int granted = 0;
    (void)state;
    auth_throttle_reset();
    for (int i = 0; i < 60; i++) {
        enum err rc = auth_throttle_begin("alice", "10.0.0.1", t, &w);
        if (rc == ERR_OK) {
            granted++;
        } else {
            assert_int_equal(rc, ERR_BUSY);
            assert_int_equal(w, AUTH_LOCK_FIRST); /* what they would bring */
        }
    }
    assert_int_equal(granted, 5);
    /* All five in flight fail: a lockout of AUTH_LOCK_FIRST. */
    for (int i = 0; i < granted; i++)
        auth_throttle_end("alice", "10.0.0.1", t, AUTH_ATTEMPT_FAILED);
    assert_int_equal(auth_throttle_wait("alice", NULL, t), AUTH_LOCK_FIRST);
    /* Void attempts do not count. */
    for (int i = 0; i < 10; i++) {
        assert_int_equal(auth_throttle_begin("bob", "10.0.0.2", t, &w),
                         ERR_OK);
        auth_throttle_end("bob", "10.0.0.2", t, AUTH_ATTEMPT_VOID);
    }
    assert_int_equal(auth_throttle_wait("bob", "10.0.0.2", t), 0);
    auth_throttle_reset();
}

struct racer {
    int granted;
};

static void *race_thread(void *arg)
{
    struct racer *r = arg;
    int64_t w;
    if (auth_throttle_begin("eve", "10.0.0.7", 300000, &w) == ERR_OK) {
        struct timespec ts = {0, 20 * 1000 * 1000}; /* "the hash" */
        r->granted = 1;
        nanosleep(&ts, NULL);
        auth_throttle_end("eve", "10.0.0.7", 300000, AUTH_ATTEMPT_FAILED);
    }
    return NULL;
}

/* 60 threads at once, each holding its attempt 20 ms: exactly 5 checks. */
static void test_throttle_race(void **state)
{
    pthread_t th[60];
    struct racer r[60];
    int granted = 0;
    (void)state;
    auth_throttle_reset();
    for (int i = 0; i < 60; i++) {
        r[i].granted = 0;
        assert_int_equal(pthread_create(&th[i], NULL, race_thread, &r[i]), 0);
    }
    for (int i = 0; i < 60; i++) {
        assert_int_equal(pthread_join(th[i], NULL), 0);
        granted += r[i].granted;
    }
    assert_int_equal(granted, AUTH_ACCOUNT_FAILS);
    assert_int_equal(auth_throttle_wait("eve", NULL, 300000),
                     AUTH_LOCK_FIRST);
    auth_throttle_reset();
}

/* n failed logins under other names (name i from address 10.1.x.y, ten
 * names per address: under AUTH_IP_FAILS) at time t. */
static void spray(int n, int64_t t)
{
    struct buf name, ip;
    buf_init(&name, 64);
    buf_init(&ip, 64);
    for (int i = 0; i < n; i++) {
        buf_reset(&name);
        buf_reset(&ip);
        assert_int_equal(buf_printf(&name, "u%d", i), ERR_OK);
        assert_int_equal(buf_printf(&ip, "10.1.%d.%d", i / 10 / 250,
                                    i / 10 % 250),
                         ERR_OK);
        fail_once(buf_cstr(&name), buf_cstr(&ip), t);
    }
    buf_free(&name);
    buf_free(&ip);
}

/* Locked name and address stay locked, their doubling history stays,
 * however many other names fail; the table stays within its slots. */
static void throttle_not_evicted(int n)
{
    int64_t t = 1000000, w;
    auth_throttle_reset();
    for (int i = 0; i < AUTH_ACCOUNT_FAILS; i++)
        fail_once("alice", "10.0.0.1", t);
    for (int i = 0; i < AUTH_IP_FAILS; i++)
        fail_once(NULL, "10.0.0.66", t);
    spray(n, t + 1);
    assert_true(auth_throttle_used() <= AUTH_THROTTLE_SLOTS);
    assert_int_equal(probe("alice", "10.0.0.2", t + 1, &w), ERR_BUSY);
    assert_int_equal(w, AUTH_LOCK_FIRST - 1);
    assert_int_equal(probe("zed", "10.0.0.66", t + 1, &w), ERR_BUSY);
    assert_int_equal(w, AUTH_LOCK_FIRST - 1);
    /* After the lock, more names (enough to fill the table again); then
     * alice's next lockout doubles. */
    t += AUTH_LOCK_FIRST;
    spray(n < 5000 ? n : 5000, t);
    assert_int_equal(probe("alice", "10.0.0.2", t, &w), ERR_OK);
    for (int i = 0; i < AUTH_ACCOUNT_FAILS; i++)
        fail_once("alice", "10.0.0.3", t);
    assert_int_equal(auth_throttle_wait("alice", NULL, t),
                     2 * AUTH_LOCK_FIRST);
    assert_true(auth_throttle_used() <= AUTH_THROTTLE_SLOTS);
    auth_throttle_reset();
}

static void test_throttle_not_evicted_5000(void **state)
{
    (void)state;
    throttle_not_evicted(5000);
}

static void test_throttle_not_evicted_100000(void **state)
{
    (void)state;
    throttle_not_evicted(100000);
}

/* A table full of locked addresses refuses new keys (fail closed) until
 * their history stops mattering (a day without failures). */
static void test_throttle_full_fails_closed(void **state)
{
    struct buf ip;
    int64_t t = 5000000, w;
    (void)state;
    auth_throttle_reset();
    auth_throttle_set_slots(1); /* clamped to the minimum */
    buf_init(&ip, 64);
    for (int a = 0; a < AUTH_THROTTLE_SLOTS_MIN; a++) {
        buf_reset(&ip);
        assert_int_equal(buf_printf(&ip, "10.2.0.%d", a), ERR_OK);
        for (int i = 0; i < AUTH_IP_FAILS; i++)
            fail_once(NULL, buf_cstr(&ip), t);
    }
    assert_int_equal(auth_throttle_used(), AUTH_THROTTLE_SLOTS_MIN);
    assert_int_equal(probe("bob", "10.9.9.9", t, &w), ERR_TOOBIG);
    assert_int_equal(w, AUTH_LOCK_FIRST);
    assert_int_equal(probe(NULL, "10.2.0.0", t, &w), ERR_BUSY);
    /* Unlocked but with a lockout in the last day: still kept. */
    assert_int_equal(probe("bob", "10.9.9.9", t + AUTH_LOCK_FIRST, &w),
                     ERR_TOOBIG);
    assert_int_equal(probe("bob", "10.9.9.9", t + AUTH_LOCK_LONGEST, &w),
                     ERR_OK);
    assert_int_equal(auth_throttle_used(), AUTH_THROTTLE_SLOTS_MIN);
    buf_free(&ip);
    auth_throttle_set_slots(AUTH_THROTTLE_SLOTS);
    auth_throttle_reset();
}

/* A session as the store gives it, for the cache. */
static struct store_session cached_session(int64_t created)
{
    static char user[] = "alice";
    static char csrf[] = "ccccccccccccccccccccccccccccccccccccccccccc";
    struct store_session s = {7, user, csrf, created, created};
    return s;
}

/* The session cache: hits within AUTH_SESSION_RECHECK, none after; the
 * idle and absolute timeouts apply from memory; last_seen is written once
 * a period; forget drops; at most AUTH_SESSION_CACHE sessions kept. */
static void test_session_cache(void **state)
{
    struct store_session_limits lim = {100, 1000};
    struct store_session s = cached_session(5000);
    struct auth_cached c;
    struct buf key;
    bool touch;
    int hits = 0;
    (void)state;
    auth_session_cache_reset();
    auth_cache_put(KEY_A, &s, 5000, 5000);
    assert_true(auth_cache_get(KEY_A, 5001, &lim, 60, &c, &touch));
    assert_false(touch);
    assert_int_equal(c.user_id, 7);
    assert_string_equal(c.user, "alice");
    assert_string_equal(c.csrf, s.csrf);
    /* Older than the recheck: back to the store. */
    assert_false(auth_cache_get(KEY_A, 5000 + AUTH_SESSION_RECHECK, &lim, 60,
                                &c, &touch));
    assert_false(auth_cache_get(KEY_B, 5001, &lim, 60, &c, &touch));
    /* Idle and absolute timeouts from memory (read at 5010, used last at
     * 5010, made at 5000). */
    auth_cache_put(KEY_A, &s, 5000, 5010);
    lim.idle_s = 1;
    assert_false(auth_cache_get(KEY_A, 5011, &lim, 60, &c, &touch));
    lim.idle_s = 100;
    lim.max_s = 11;
    assert_true(auth_cache_get(KEY_A, 5010, &lim, 60, &c, &touch));
    assert_false(auth_cache_get(KEY_A, 5011, &lim, 60, &c, &touch));
    lim.max_s = 1000;
    /* last_seen 60 s old: the first use writes it, the next does not. */
    auth_cache_put(KEY_A, &s, 5000, 5060);
    assert_true(auth_cache_get(KEY_A, 5060, &lim, 60, &c, &touch));
    assert_true(touch);
    assert_true(auth_cache_get(KEY_A, 5061, &lim, 60, &c, &touch));
    assert_false(touch);
    auth_cache_forget(KEY_A);
    assert_false(auth_cache_get(KEY_A, 5061, &lim, 60, &c, &touch));
    /* Bounded: of 3 x AUTH_SESSION_CACHE sessions, at most that many. */
    buf_init(&key, 128);
    s = cached_session(6000);
    for (int i = 0; i < 3 * AUTH_SESSION_CACHE; i++) {
        buf_reset(&key);
        assert_int_equal(digest_sha256_hex(&i, sizeof i, &key), ERR_OK);
        auth_cache_put(buf_cstr(&key), &s, 6000, 6000);
    }
    for (int i = 0; i < 3 * AUTH_SESSION_CACHE; i++) {
        buf_reset(&key);
        assert_int_equal(digest_sha256_hex(&i, sizeof i, &key), ERR_OK);
        hits += auth_cache_get(buf_cstr(&key), 6000, &lim, 60, &c, &touch);
    }
    printf("session cache: %d of %d sessions kept (cap %d)\n", hits,
           3 * AUTH_SESSION_CACHE, AUTH_SESSION_CACHE);
    assert_true(hits <= AUTH_SESSION_CACHE);
    assert_true(hits >= AUTH_SESSION_CACHE / 2);
    buf_free(&key);
    auth_session_cache_reset();
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
        cmocka_unit_test(test_names_and_password_rules),
        cmocka_unit_test(test_password_hash_and_verify),
        cmocka_unit_test_setup_teardown(test_login_verify, setup, teardown),
        cmocka_unit_test_setup_teardown(test_login_rehashes_old_hash, setup,
                                        teardown),
        cmocka_unit_test(test_hash_gate_concurrent),
        cmocka_unit_test_setup_teardown(test_login_busy, setup, teardown),
        cmocka_unit_test_setup_teardown(test_session_token_stored_hashed,
                                        setup, teardown),
        cmocka_unit_test(test_token_key_and_compare),
        cmocka_unit_test(test_login_location),
        cmocka_unit_test(test_form_field),
        cmocka_unit_test(test_throttle),
        cmocka_unit_test(test_throttle_one_step),
        cmocka_unit_test(test_throttle_race),
        cmocka_unit_test(test_throttle_not_evicted_5000),
        cmocka_unit_test(test_throttle_not_evicted_100000),
        cmocka_unit_test(test_throttle_full_fails_closed),
        cmocka_unit_test(test_session_cache),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
