/* The response cache of read routes (src/http/cache.c): hits only for the
 * same key and data generation, least recently used out first, bounded
 * in entries and bytes. */
#include "testutil.h"

#include <string.h>

#include "core/alloc.h"
#include "http/cache.h"

static void put_str(struct http_cache *c, const char *key, int64_t gen,
                    const char *body)
{
    struct buf b;
    buf_init(&b, HTTP_CACHE_BODY_MAX + 16);
    assert_int_equal(buf_puts(&b, body), ERR_OK);
    http_cached_release(http_cache_put(c, key, gen, &b, "application/json"));
    buf_free(&b);
}

/* The body cached under key for gen, or NULL. Caller frees. */
static char *get_str(struct http_cache *c, const char *key, int64_t gen)
{
    struct http_cached *a = http_cache_get(c, key, gen);
    char *s;

    if (a == NULL)
        return NULL;
    assert_string_equal(a->content_type, "application/json");
    s = xmalloc(a->len + 1);
    memcpy(s, a->body, a->len);
    s[a->len] = '\0';
    http_cached_release(a);
    return s;
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
    struct http_cache *c = http_cache_create(4, 1 << 20, NULL);
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
    struct http_cache *c = http_cache_create(2, 1 << 20, NULL);
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
    struct http_cache *c = http_cache_create(8, 10, NULL);
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

static void decorate(struct MHD_Response *r, const struct http_cached *a)
{
    MHD_add_response_header(r, "ETag", a->etag);
    MHD_add_response_header(r, "X-Test", "made once");
}

/* An answer is kept with ready responses: the body's bytes are taken,
 * not copied; both responses carry the headers; the ETag follows the
 * bytes, and If-None-Match lists are matched against it. */
static void test_ready_responses_and_etag(void **state)
{
    struct http_cache *c = http_cache_create(4, 1 << 20, decorate);
    struct http_cached *a, *b, *d;
    struct buf body;
    const char *taken;
    (void)state;

    buf_init(&body, 1024);
    assert_int_equal(buf_puts(&body, "{\"a\":1}"), ERR_OK);
    taken = body.data;
    a = http_cache_put(c, "k", 1, &body, "application/json");
    assert_non_null(a);
    assert_int_equal(body.len, 0);
    assert_ptr_equal(a->body, taken); /* no copy */
    assert_non_null(a->ok);
    assert_non_null(a->not_modified);
    assert_string_equal(MHD_get_response_header(a->ok, "X-Test"), "made once");
    assert_string_equal(MHD_get_response_header(a->not_modified, "ETag"),
                        a->etag);
    assert_int_equal(strlen(a->etag), HTTP_CACHE_ETAG_LEN);
    assert_true(a->etag[0] == '"' && a->etag[HTTP_CACHE_ETAG_LEN - 1] == '"');
    /* A hit is the same answer, held once more. */
    b = http_cache_get(c, "k", 1);
    assert_ptr_equal(a, b);
    http_cached_release(b);
    assert_true(http_cached_matches(a, a->etag));
    assert_true(http_cached_matches(a, "\"x\", *"));
    assert_false(http_cached_matches(a, NULL));
    assert_false(http_cached_matches(a, "\"0000000000000000\""));
    /* The same bytes under another key and generation: the same tag;
     * other bytes: another. */
    assert_int_equal(buf_puts(&body, "{\"a\":1}"), ERR_OK);
    d = http_cache_put(c, "other", 2, &body, "application/json");
    assert_string_equal(d->etag, a->etag);
    http_cached_release(d);
    assert_int_equal(buf_puts(&body, "{\"a\":2}"), ERR_OK);
    d = http_cache_put(c, "k", 2, &body, "application/json");
    assert_string_not_equal(d->etag, a->etag);
    /* a was replaced in the cache but is still held here: still whole
     * (ASan would see a use after free). */
    assert_memory_equal(a->body, "{\"a\":1}", 7);
    http_cached_release(a);
    http_cache_destroy(c);
    /* d outlives the cache it came from. */
    assert_memory_equal(d->body, "{\"a\":2}", 7);
    http_cached_release(d);
    http_cached_release(NULL);
    buf_free(&body);
}

/* Over the limits: not cached, and the body is left to the caller. */
static void test_refused_body_stays(void **state)
{
    struct http_cache *c = http_cache_create(4, 4, NULL);
    struct buf body;
    (void)state;

    buf_init(&body, 1024);
    assert_int_equal(buf_puts(&body, "12345"), ERR_OK);
    assert_null(http_cache_put(c, "k", 1, &body, "application/json"));
    assert_int_equal(body.len, 5);
    assert_null(http_cache_get(c, "k", 1));
    buf_free(&body);
    http_cache_destroy(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hit_only_for_same_generation),
        cmocka_unit_test(test_least_recently_used_goes_first),
        cmocka_unit_test(test_bounded_in_bytes),
        cmocka_unit_test(test_ready_responses_and_etag),
        cmocka_unit_test(test_refused_body_stays),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
