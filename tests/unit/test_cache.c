/* The response cache of read routes (src/http/cache.c): hits only for the
 * same key and data generation, least recently used out first, bounded
 * in entries and bytes. */
#include "testutil.h"

#include <string.h>

#include "http/cache.h"

static void put_str(struct http_cache *c, const char *key, int64_t gen,
                    const char *body)
{
    struct buf b;
    buf_init(&b, HTTP_CACHE_BODY_MAX + 16);
    assert_int_equal(buf_puts(&b, body), ERR_OK);
    http_cache_put(c, key, gen, &b, "application/json");
    buf_free(&b);
}

/* The body cached under key for gen, or NULL. Caller frees. */
static char *get_str(struct http_cache *c, const char *key, int64_t gen)
{
    struct buf b;
    const char *type = NULL;
    buf_init(&b, HTTP_CACHE_BODY_MAX + 16);
    if (!http_cache_get(c, key, gen, &b, &type)) {
        buf_free(&b);
        return NULL;
    }
    assert_string_equal(type, "application/json");
    if (b.len == 0)
        assert_int_equal(buf_puts(&b, ""), ERR_OK);
    return buf_steal(&b);
}

static void expect(struct http_cache *c, const char *key, int64_t gen,
                   const char *want)
{
    char *got = get_str(c, key, gen);
    if (want == NULL) {
        if (got != NULL)
            fail_msg("%s@%lld: cached \"%s\", expected a miss", key,
                     (long long)gen, got);
        return;
    }
    if (got == NULL)
        fail_msg("%s@%lld: a miss, expected \"%s\"", key, (long long)gen,
                 want);
    assert_string_equal(got, want);
    free(got);
}

static void test_hit_only_for_same_generation(void **state)
{
    struct http_cache *c = http_cache_create(4, 1 << 20);
    uint64_t hits, misses;
    (void)state;

    expect(c, "/api/v1/report?range=28d&#20000", 7, NULL);
    put_str(c, "/api/v1/report?range=28d&#20000", 7, "{\"a\":1}");
    expect(c, "/api/v1/report?range=28d&#20000", 7, "{\"a\":1}");
    /* New data, another day, other arguments: misses. */
    expect(c, "/api/v1/report?range=28d&#20000", 8, NULL);
    expect(c, "/api/v1/report?range=28d&#20001", 7, NULL);
    expect(c, "/api/v1/report?range=7d&#20000", 7, NULL);
    /* A put under the same key replaces the answer and its generation. */
    put_str(c, "/api/v1/report?range=28d&#20000", 8, "{\"a\":2}");
    expect(c, "/api/v1/report?range=28d&#20000", 8, "{\"a\":2}");
    expect(c, "/api/v1/report?range=28d&#20000", 7, NULL);
    http_cache_stats(c, &hits, &misses);
    assert_int_equal(hits, 2);
    assert_int_equal(misses, 5);
    http_cache_destroy(c);
}

static void test_least_recently_used_goes_first(void **state)
{
    struct http_cache *c = http_cache_create(2, 1 << 20);
    (void)state;

    put_str(c, "a", 1, "A");
    put_str(c, "b", 1, "B");
    expect(c, "a", 1, "A"); /* a is now the more recently used */
    put_str(c, "c", 1, "C");
    expect(c, "b", 1, NULL);
    expect(c, "a", 1, "A");
    expect(c, "c", 1, "C");
    http_cache_destroy(c);
}

static void test_bounded_in_bytes(void **state)
{
    struct http_cache *c = http_cache_create(8, 10);
    char big[HTTP_CACHE_KEY_MAX + 2];
    (void)state;

    put_str(c, "a", 1, "12345");
    put_str(c, "b", 1, "67890");
    put_str(c, "c", 1, "xyz"); /* 13 bytes > 10: a goes */
    expect(c, "a", 1, NULL);
    expect(c, "b", 1, "67890");
    expect(c, "c", 1, "xyz");
    put_str(c, "d", 1, "01234567890"); /* over the whole budget: refused */
    expect(c, "d", 1, NULL);
    expect(c, "b", 1, "67890");
    /* An over-long key is not cached either. */
    memset(big, 'k', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    put_str(c, big, 1, "k");
    expect(c, big, 1, NULL);
    /* An empty body is a body. */
    put_str(c, "e", 1, "");
    expect(c, "e", 1, "");
    http_cache_destroy(c);
    http_cache_destroy(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hit_only_for_same_generation),
        cmocka_unit_test(test_least_recently_used_goes_first),
        cmocka_unit_test(test_bounded_in_bytes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
