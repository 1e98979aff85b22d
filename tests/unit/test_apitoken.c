/* API tokens (http/apitoken.h, store/store_token.h): the token format and
 * its key, scope and expiry rules, the Authorization header, names, and
 * the store's rules (unique live names, revoke, touch, status). */
#include "testutil.h"

#include <sodium.h>
#include <string.h>

#include "http/apitoken.h"
#include "http/route.h"
#include "store/store_token.h"

static void test_new_format(void **state)
{
    struct buf a, b;
    (void)state;

    buf_init(&a, 128);
    buf_init(&b, 128);
    assert_int_equal(apitoken_new(&a), ERR_OK);
    assert_int_equal(apitoken_new(&b), ERR_OK);
    assert_int_equal(a.len, APITOKEN_CHARS);
    assert_memory_equal(a.data, "mdt_", 4);
    assert_int_equal(strspn(a.data + 4, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                        "abcdefghijklmnopqrstuvwxyz"
                                        "0123456789-_"),
                     AUTH_TOKEN_CHARS);
    assert_string_not_equal(buf_cstr(&a), buf_cstr(&b));
    buf_free(&a);
    buf_free(&b);
}

/* The key is the hex SHA-256 of the 32 random bytes, as for sessions. */
static void test_key(void **state)
{
    struct buf t;
    char key[AUTH_KEY_CHARS + 1], again[AUTH_KEY_CHARS + 1];
    char hex[AUTH_KEY_CHARS + 1];
    unsigned char raw[32], sum[32];
    size_t n = 0;
    (void)state;

    buf_init(&t, 128);
    assert_int_equal(apitoken_new(&t), ERR_OK);
    assert_true(apitoken_key(buf_cstr(&t), key));
    assert_true(apitoken_key(buf_cstr(&t), again));
    assert_string_equal(key, again);
    assert_int_equal(sodium_base642bin(raw, sizeof raw, t.data + 4,
                                       AUTH_TOKEN_CHARS, NULL, &n, NULL,
                                       sodium_base64_VARIANT_URLSAFE_NO_PADDING),
                     0);
    assert_int_equal(n, 32);
    crypto_hash_sha256(sum, raw, sizeof raw);
    sodium_bin2hex(hex, sizeof hex, sum, sizeof sum);
    assert_string_equal(key, hex);
    /* one character changed: another key */
    t.data[10] = t.data[10] == 'A' ? 'B' : 'A';
    assert_true(apitoken_key(buf_cstr(&t), again));
    assert_string_not_equal(key, again);
    buf_free(&t);
}

static void test_key_refuses(void **state)
{
    char key[AUTH_KEY_CHARS + 1];
    const char *ok = "mdt_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    (void)state;

    assert_true(apitoken_key(ok, key));
    assert_false(apitoken_key(NULL, key));
    assert_false(apitoken_key("", key));
    assert_false(apitoken_key(ok + 4, key)); /* a session token: no prefix */
    assert_false(apitoken_key("mdx_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                              key));
    assert_false(apitoken_key("mdt_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                              key)); /* short */
    assert_false(apitoken_key("mdt_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                              key)); /* long */
    assert_false(apitoken_key("mdt_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
                              key)); /* padding */
    assert_false(apitoken_key("mdt_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA+A",
                              key)); /* not base64url */
    assert_false(apitoken_key("mdt_AAAAAAAAAAAAAAAAAAAAA AAAAAAAAAAAAAAAAAAAAA",
                              key));
}

static void test_scope(void **state)
{
    enum apitoken_scope s;
    (void)state;

    assert_true(apitoken_scope_parse("read", &s));
    assert_int_equal(s, APITOKEN_READ);
    assert_true(apitoken_scope_parse("write", &s));
    assert_int_equal(s, APITOKEN_WRITE);
    assert_false(apitoken_scope_parse("Write", &s));
    assert_false(apitoken_scope_parse("admin", &s));
    assert_false(apitoken_scope_parse("", &s));
    assert_false(apitoken_scope_parse(NULL, &s));
    assert_string_equal(apitoken_scope_name(APITOKEN_READ), "read");
    assert_string_equal(apitoken_scope_name(APITOKEN_WRITE), "write");
}

static void test_allows(void **state)
{
    (void)state;
    assert_int_equal(apitoken_allows(APITOKEN_READ, "GET", 0), APITOKEN_ALLOW);
    assert_int_equal(apitoken_allows(APITOKEN_READ, "HEAD", ROUTE_CACHE),
                     APITOKEN_ALLOW);
    assert_int_equal(apitoken_allows(APITOKEN_READ, "POST", 0),
                     APITOKEN_READ_ONLY);
    assert_int_equal(apitoken_allows(APITOKEN_READ, "DELETE", 0),
                     APITOKEN_READ_ONLY);
    assert_int_equal(apitoken_allows(APITOKEN_READ, "PATCH", 0),
                     APITOKEN_READ_ONLY);
    assert_int_equal(apitoken_allows(APITOKEN_READ, "get", 0),
                     APITOKEN_READ_ONLY); /* methods are case-sensitive */
    assert_int_equal(apitoken_allows(APITOKEN_WRITE, "POST", 0),
                     APITOKEN_ALLOW);
    assert_int_equal(apitoken_allows(APITOKEN_WRITE, "DELETE",
                                     ROUTE_BODY_LARGE),
                     APITOKEN_ALLOW);
    assert_int_equal(apitoken_allows(APITOKEN_WRITE, "GET",
                                     ROUTE_SESSION_ONLY),
                     APITOKEN_SESSION_ONLY);
    assert_int_equal(apitoken_allows(APITOKEN_READ, "POST",
                                     ROUTE_SESSION_ONLY),
                     APITOKEN_SESSION_ONLY);
}

static void test_expiry(void **state)
{
    static const struct {
        const char *s;
        int64_t secs; /* -1: refused */
    } cases[] = {
        {"90d", 90 * 86400}, {"1s", 1}, {"15m", 900}, {"2h", 7200},
        {"2w", 14 * 86400}, {"3660d", 3660 * 86400}, {"3661d", -1},
        {"522w", 522 * 604800}, {"523w", -1}, {"0d", -1}, {"90", -1},
        {"d", -1}, {"-1d", -1}, {"+1d", -1}, {"1.5d", -1}, {" 1d", -1},
        {"1d ", -1}, {"1dd", -1}, {"1y", -1}, {"1D", -1}, {"", -1},
        {"99999999999999999999d", -1}, {"9223372036854775807s", -1},
    };
    (void)state;

    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        int64_t v = -7;
        enum err rc = apitoken_parse_expiry(cases[i].s, &v);
        if (cases[i].secs < 0) {
            assert_int_equal(rc, ERR_PARSE);
            assert_int_equal(v, -7); /* untouched */
        } else {
            assert_int_equal(rc, ERR_OK);
            assert_int_equal(v, cases[i].secs);
        }
    }
    assert_int_equal(apitoken_parse_expiry(NULL, &(int64_t){0}), ERR_PARSE);
}

static void test_bearer(void **state)
{
    (void)state;
    assert_string_equal(apitoken_bearer("Bearer mdt_x"), "mdt_x");
    assert_string_equal(apitoken_bearer("bearer   mdt_x"), "mdt_x");
    assert_string_equal(apitoken_bearer("BEARER mdt_x"), "mdt_x");
    assert_string_equal(apitoken_bearer("Bearer "), "");
    assert_null(apitoken_bearer(NULL));
    assert_null(apitoken_bearer("Basic dXNlcjpwYXNz"));
    assert_null(apitoken_bearer("Bearermdt_x"));
    assert_null(apitoken_bearer("Bearer"));
    assert_null(apitoken_bearer("Bear mdt_x"));
}

static void test_names(void **state)
{
    char longname[66];
    (void)state;

    assert_true(apitoken_name_valid("ci"));
    assert_true(apitoken_name_valid("grafana-1.prod@home"));
    assert_true(apitoken_name_valid("4a"));
    assert_false(apitoken_name_valid("42")); /* an id */
    assert_false(apitoken_name_valid(""));
    assert_false(apitoken_name_valid(NULL));
    assert_false(apitoken_name_valid("a b"));
    assert_false(apitoken_name_valid("a/b"));
    memset(longname, 'a', 65);
    longname[65] = '\0';
    assert_false(apitoken_name_valid(longname));
    longname[64] = '\0';
    assert_true(apitoken_name_valid(longname));
}

/* ---- the store ---------------------------------------------------------- */

#define T0 1780000000
#define KEY(c) (c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c \
                c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c)

static struct store_token tok(const char *name, const char *scope,
                              int64_t created, int64_t expires)
{
    struct store_token t = {0};
    t.name = (char *)name;
    t.scope = (char *)scope;
    t.created_by = "cli";
    t.created_at = created;
    t.expires_at = expires;
    return t;
}

static enum err count_one(const struct store_token *t, void *ud)
{
    int64_t *ids = ud;
    ids[ids[0] + 1] = t->id;
    ids[0]++;
    return ERR_OK;
}

static void test_store(void **state)
{
    struct tu_store_fx *fx = *state;
    struct store_token t = tok("ci", "read", T0, T0 + 100), got;
    int64_t id = 0, id2 = 0, n = -1, ids[8] = {0};

    assert_int_equal(store_token_add(fx->st, KEY("a"), &t, &id, &fx->err),
                     ERR_OK);
    assert_true(id > 0);
    assert_int_equal(store_token_by_key(fx->st, KEY("a"), &got, &fx->err),
                     ERR_OK);
    assert_int_equal(got.id, id);
    assert_string_equal(got.name, "ci");
    assert_string_equal(got.scope, "read");
    assert_string_equal(got.created_by, "cli");
    assert_int_equal(got.expires_at, T0 + 100);
    assert_int_equal(got.last_used_at, 0);
    assert_int_equal(got.revoked_at, 0);
    assert_true(store_token_live(&got, T0 + 99));
    assert_false(store_token_live(&got, T0 + 100));
    assert_string_equal(store_token_status(&got, T0 + 100), "expired");
    store_token_free(&got);
    assert_int_equal(store_token_by_key(fx->st, KEY("b"), &got, &fx->err),
                     ERR_NOTFOUND);

    /* a live name is taken; once expired it is free again */
    t = tok("ci", "write", T0 + 50, 0);
    assert_int_equal(store_token_add(fx->st, KEY("b"), &t, NULL, &fx->err),
                     ERR_EXISTS);
    t.created_at = T0 + 100;
    assert_int_equal(store_token_add(fx->st, KEY("b"), &t, &id2, &fx->err),
                     ERR_OK);
    /* the same key twice: a store error, nothing written */
    t = tok("other", "read", T0, 0);
    assert_int_equal(store_token_add(fx->st, KEY("b"), &t, NULL, &fx->err),
                     ERR_DB);

    assert_int_equal(store_token_touch(fx->st, id2, T0 + 200), ERR_OK);
    assert_int_equal(store_token_by_key(fx->st, KEY("b"), &got, &fx->err),
                     ERR_OK);
    assert_int_equal(got.last_used_at, T0 + 200);
    assert_string_equal(store_token_status(&got, T0 + 200), "live");
    store_token_free(&got);

    assert_int_equal(store_token_list(fx->st, count_one, ids, &fx->err),
                     ERR_OK);
    assert_int_equal(ids[0], 2);
    assert_int_equal(ids[1], id2); /* newest first */
    assert_int_equal(ids[2], id);

    /* revoke by name: both unrevoked "ci" (the expired one too) */
    assert_int_equal(store_token_revoke_name(fx->st, "ci", T0 + 300, &n,
                                             &fx->err), ERR_OK);
    assert_int_equal(n, 2);
    assert_int_equal(store_token_revoke_name(fx->st, "ci", T0 + 301, &n,
                                             &fx->err), ERR_NOTFOUND);
    assert_int_equal(store_token_revoke_id(fx->st, id2, T0 + 302, &n,
                                           &fx->err), ERR_OK);
    assert_int_equal(n, 0); /* revoked already: unchanged */
    assert_int_equal(store_token_revoke_id(fx->st, 9999, T0, &n, &fx->err),
                     ERR_NOTFOUND);
    assert_int_equal(store_token_by_key(fx->st, KEY("b"), &got, &fx->err),
                     ERR_OK);
    assert_int_equal(got.revoked_at, T0 + 300);
    assert_string_equal(store_token_status(&got, T0), "revoked");
    assert_false(store_token_live(&got, T0));
    store_token_free(&got);
    store_token_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_new_format),
        cmocka_unit_test(test_key),
        cmocka_unit_test(test_key_refuses),
        cmocka_unit_test(test_scope),
        cmocka_unit_test(test_allows),
        cmocka_unit_test(test_expiry),
        cmocka_unit_test(test_bearer),
        cmocka_unit_test(test_names),
        cmocka_unit_test_setup_teardown(test_store, tu_store_setup,
                                        tu_store_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
