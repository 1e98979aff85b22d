/* The public media link tokens (media_link.h), when a link is answered,
 * reading a post's media entries, and TikTok's chunk plan
 * (platforms/tiktok/publish.h). */
#include "testutil.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/secret.h"
#include "schedule/media_link.h"
#include "platforms/tiktok/publish.h"

#define SHA_A "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
#define SHA_B "60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752"

struct keys {
    char *dir;
    struct secret_key *k1, *k2;
};

static struct secret_key *load_key(const char *dir, const char *name)
{
    struct secret_key *k = NULL;
    struct buf path, err;
    buf_init(&path, 4096);
    buf_init(&err, 1024);
    assert_int_equal(buf_printf(&path, "%s/%s", dir, name), ERR_OK);
    assert_int_equal(secret_key_load(buf_cstr(&path), true, &k, &err), ERR_OK);
    buf_free(&path);
    buf_free(&err);
    return k;
}

static int keys_setup(void **state)
{
    struct keys *k = calloc(1, sizeof *k);
    assert_true(sodium_init() >= 0);
    k->dir = tu_tmpdir();
    k->k1 = load_key(k->dir, "one.key");
    k->k2 = load_key(k->dir, "two.key");
    *state = k;
    return 0;
}

static int keys_teardown(void **state)
{
    struct keys *k = *state;
    secret_key_destroy(k->k1);
    secret_key_destroy(k->k2);
    tu_rmdir(k->dir);
    free(k->dir);
    free(k);
    return 0;
}

static char *tok(const struct secret_key *k, int64_t id, size_t idx,
                 const char *sha)
{
    struct buf b;
    buf_init(&b, MEDIA_LINK_TOKEN_MAX + 1);
    assert_int_equal(media_link_token(k, id, idx, sha, &b), ERR_OK);
    return buf_steal(&b);
}

static void test_token_shape_and_binding(void **state)
{
    struct keys *k = *state;
    char *t = tok(k->k1, 42, 0, SHA_A);
    char *again = tok(k->k1, 42, 0, SHA_A);
    char *others[] = {tok(k->k1, 43, 0, SHA_A), tok(k->k1, 42, 1, SHA_A),
                      tok(k->k1, 42, 0, SHA_B), tok(k->k2, 42, 0, SHA_A)};
    int64_t id;
    size_t idx;

    assert_string_equal(t, again); /* the same in every process */
    assert_true(strncmp(t, "42.0.", 5) == 0);
    assert_int_equal(strlen(t), 5 + 43);
    for (size_t i = 0; i < 4; i++) {
        assert_string_not_equal(t, others[i]);
        /* the MAC part differs too, not only the prefix */
        assert_string_not_equal(strrchr(t, '.'), strrchr(others[i], '.'));
    }
    assert_int_equal(media_link_parse(t, &id, &idx), ERR_OK);
    assert_int_equal(id, 42);
    assert_int_equal(idx, 0);
    assert_true(media_link_verify(k->k1, t, 42, 0, SHA_A));
    assert_false(media_link_verify(k->k2, t, 42, 0, SHA_A));
    assert_false(media_link_verify(k->k1, t, 43, 0, SHA_A));
    assert_false(media_link_verify(k->k1, t, 42, 1, SHA_A));
    assert_false(media_link_verify(k->k1, t, 42, 0, SHA_B));
    assert_false(media_link_verify(k->k1, others[1], 42, 0, SHA_A));
    for (size_t i = 5; i < strlen(t); i++) { /* every MAC character */
        char saved = t[i];
        t[i] = saved == 'A' ? 'B' : 'A';
        assert_false(media_link_verify(k->k1, t, 42, 0, SHA_A));
        t[i] = saved;
    }
    t[strlen(t) - 1] = '\0';
    assert_false(media_link_verify(k->k1, t, 42, 0, SHA_A));
    free(t);
    free(again);
    for (size_t i = 0; i < 4; i++)
        free(others[i]);
}

static void test_token_refuses_bad_input(void **state)
{
    struct keys *k = *state;
    struct buf b;
    buf_init(&b, MEDIA_LINK_TOKEN_MAX + 1);
    assert_int_equal(media_link_token(k->k1, 0, 0, SHA_A, &b), ERR_INVALID);
    assert_int_equal(media_link_token(k->k1, 1, 10, SHA_A, &b), ERR_INVALID);
    assert_int_equal(media_link_token(k->k1, 1, 0, "abc", &b), ERR_INVALID);
    assert_int_equal(media_link_token(k->k1, 1, 0,
                                      "9F86D081884C7D659A2FEAA0C55AD015A3BF4F"
                                      "1B2B0B822CD15D6C15B0F00A08",
                                      &b),
                     ERR_INVALID);
    assert_false(media_link_verify(k->k1, "", 1, 0, SHA_A));
    buf_free(&b);
}

static void test_parse_refuses_garbage(void **state)
{
    static const char *const bad[] = {
        "",
        "1",
        "1.0",
        "1.0.",
        "x.0.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "0.0.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "-1.0.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "1.10.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "1..AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "1.0.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",   /* 42 */
        "1.0.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", /* 44 */
        "1.0.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/",
        "1.0.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
        "1.0.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.AA",
    };
    int64_t id = 7;
    size_t idx = 7;
    (void)state;
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        assert_int_equal(media_link_parse(bad[i], &id, &idx), ERR_PARSE);
        assert_int_equal(id, 7); /* untouched */
    }
    assert_int_equal(
        media_link_parse("9.3.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA-", &id,
                         &idx),
        ERR_OK);
    assert_int_equal(id, 9);
    assert_int_equal(idx, 3);
}

static void test_url(void **state)
{
    struct keys *k = *state;
    char *t = tok(k->k1, 5, 0, SHA_A);
    struct buf u, want;
    buf_init(&u, 4096);
    buf_init(&want, 4096);
    assert_int_equal(buf_printf(&want, "https://dash.example/m/%s", t), ERR_OK);
    assert_int_equal(
        media_link_url(k->k1, "https://dash.example/", 5, 0, SHA_A, &u),
        ERR_OK);
    assert_string_equal(buf_cstr(&u), buf_cstr(&want));
    assert_int_equal(
        media_link_url(k->k1, "https://dash.example", 5, 0, SHA_A, &u), ERR_OK);
    assert_string_equal(buf_cstr(&u), buf_cstr(&want));
    assert_int_equal(media_link_url(k->k1, "ftp://x", 5, 0, SHA_A, &u),
                     ERR_INVALID);
    assert_int_equal(media_link_url(k->k1, NULL, 5, 0, SHA_A, &u), ERR_INVALID);
    free(t);
    buf_free(&u);
    buf_free(&want);
}

static void test_servable(void **state)
{
    struct post p;
    int64_t now = 1800000000;
    (void)state;
    memset(&p, 0, sizeof p);
    p.updated_at = now - 10;
    for (int s = 0; s < POST_STATE_COUNT; s++) {
        p.state = (enum post_state)s;
        bool want = s == POST_SCHEDULED || s == POST_CLAIMED ||
                    s == POST_PUBLISHING || s == POST_PUBLISHED;
        assert_int_equal(media_link_servable(&p, now), want);
    }
    p.state = POST_PUBLISHED;
    p.updated_at = now - MEDIA_LINK_GRACE_S;
    assert_true(media_link_servable(&p, now));
    p.updated_at = now - MEDIA_LINK_GRACE_S - 1;
    assert_false(media_link_servable(&p, now));
    p.state = POST_SCHEDULED; /* waiting longer is no reason to stop */
    assert_true(media_link_servable(&p, now));
}

static void test_item(void **state)
{
    const char *media =
        "[{\"path\":\"/v/a.mp4\",\"sha256\":\"" SHA_A "\",\"bytes\":12,"
        "\"content_type\":\"video/mp4\"},{\"path\":\"/v/b.jpg\",\"sha256\":"
        "\"" SHA_B "\",\"bytes\":3,\"content_type\":\"image/jpeg\"}]";
    struct buf path, sha, ct;
    int64_t bytes = -1;
    (void)state;
    buf_init(&path, 4096);
    buf_init(&sha, 128);
    buf_init(&ct, 128);
    assert_int_equal(media_link_item(media, 1, &path, &sha, &bytes, &ct),
                     ERR_OK);
    assert_string_equal(buf_cstr(&path), "/v/b.jpg");
    assert_string_equal(buf_cstr(&sha), SHA_B);
    assert_string_equal(buf_cstr(&ct), "image/jpeg");
    assert_int_equal(bytes, 3);
    assert_int_equal(media_link_item(media, 2, &path, &sha, &bytes, &ct),
                     ERR_NOTFOUND);
    assert_int_equal(
        media_link_item("[{\"path\":1}]", 0, &path, &sha, &bytes, &ct),
        ERR_PARSE);
    assert_int_equal(media_link_item("{}", 0, &path, &sha, &bytes, &ct),
                     ERR_PARSE);
    assert_int_equal(media_link_item(NULL, 0, &path, &sha, &bytes, &ct),
                     ERR_PARSE);
    buf_free(&path);
    buf_free(&sha);
    buf_free(&ct);
}

#define MIB ((int64_t)1 << 20)

/* Every byte in exactly one chunk, in order, within TikTok's rules. */
static void plan_ok(int64_t size, int64_t pref, int64_t want_chunk,
                    int64_t want_count)
{
    struct tiktok_chunks p;
    int64_t next = 0, off, len;

    assert_int_equal(tiktok_chunk_plan(size, pref, &p), ERR_OK);
    assert_int_equal(p.chunk_size, want_chunk);
    assert_int_equal(p.count, want_count);
    assert_int_equal(p.count, size / p.chunk_size); /* rounded down */
    if (size < 5 * MIB)
        assert_int_equal(p.chunk_size, size);
    if (size > 64 * MIB)
        assert_true(p.count >= 2);
    for (int64_t i = 0; i < p.count; i++) {
        tiktok_chunk_range(&p, size, i, &off, &len);
        assert_int_equal(off, next);
        if (i + 1 < p.count) {
            assert_int_equal(len, p.chunk_size);
            assert_true(len >= 5 * MIB && len <= 64 * MIB);
        } else {
            assert_true(len <= TIKTOK_LAST_CHUNK_MAX);
        }
        next = off + len;
    }
    assert_int_equal(next, size);
}

static void test_chunk_plan(void **state)
{
    struct tiktok_chunks p;
    (void)state;
    plan_ok(1, 10 * MIB, 1, 1);
    plan_ok(5 * MIB - 1, 10 * MIB, 5 * MIB - 1, 1);
    plan_ok(5 * MIB, 10 * MIB, 5 * MIB, 1);
    plan_ok(11 * MIB, 5 * MIB, 5 * MIB, 2); /* 5 + 6 MiB */
    plan_ok(15 * MIB, 5 * MIB, 5 * MIB, 3);
    plan_ok(15 * MIB + 7, 5 * MIB, 5 * MIB, 3); /* last takes the 7 */
    plan_ok(12 * MIB, 10 * MIB, 12 * MIB, 1);   /* under 2 chunks, <= 64 */
    plan_ok(50000123, 10000000, 10000000, 5);   /* TikTok's example */
    plan_ok(100 * MIB, 64 * MIB, 50 * MIB, 2);  /* over 64 MiB: two */
    plan_ok(100 * MIB + 1, 64 * MIB, 50 * MIB, 2);
    plan_ok(129 * MIB, 64 * MIB, 64 * MIB, 2);
    plan_ok(20 * MIB, 1, 5 * MIB, 4);            /* clamped up to 5 MiB */
    plan_ok(300 * MIB, 1000 * MIB, 64 * MIB, 4); /* clamped to 64 MiB */
    plan_ok(1000 * 5 * MIB, 5 * MIB, 5 * MIB, 1000);
    assert_int_equal(tiktok_chunk_plan(1001 * 5 * MIB, 5 * MIB, &p),
                     ERR_TOOBIG);
    assert_int_equal(tiktok_chunk_plan(0, 5 * MIB, &p), ERR_INVALID);
    assert_int_equal(tiktok_chunk_plan(-1, 5 * MIB, &p), ERR_INVALID);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_token_shape_and_binding,
                                        keys_setup, keys_teardown),
        cmocka_unit_test_setup_teardown(test_token_refuses_bad_input,
                                        keys_setup, keys_teardown),
        cmocka_unit_test(test_parse_refuses_garbage),
        cmocka_unit_test_setup_teardown(test_url, keys_setup, keys_teardown),
        cmocka_unit_test(test_servable),
        cmocka_unit_test(test_item),
        cmocka_unit_test(test_chunk_plan),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
