/* src/http/static.c: the embedded asset table and If-None-Match matching
 * (the HTTP side is in tests/integration/test_http_static.sh). */
#include "testutil.h"

#include <string.h>

#include "http/static.h"

static void test_table(void **state)
{
    size_t n = 0;
    (void)state;
    for (const struct embedded_asset *a = http_assets; a->name; a++, n++) {
        assert_non_null(a->content_type);
        assert_non_null(a->data);
        assert_true(a->len > 0);
        assert_int_equal(a->data[a->len], 0);  /* generator's terminator */
        assert_int_equal(strlen(a->etag), 22); /* '"' + 20 hex + '"' */
        assert_int_equal(a->etag[0], '"');
        assert_null(strchr(a->name, '/')); /* names only, no paths */
        assert_ptr_equal(http_asset_find(a->name), a);
        for (const struct embedded_asset *b = a + 1; b->name; b++) {
            assert_string_not_equal(a->name, b->name);
            if (a->len != b->len || memcmp(a->data, b->data, a->len) != 0)
                assert_string_not_equal(a->etag, b->etag);
        }
    }
    assert_true(n >= 6);
    assert_string_equal(http_asset_find("index.html")->content_type,
                        "text/html; charset=utf-8");
    assert_string_equal(http_asset_find("app.js")->content_type,
                        "text/javascript; charset=utf-8");
    assert_string_equal(http_asset_find("uPlot.min.css")->content_type,
                        "text/css; charset=utf-8");
    assert_non_null(http_asset_find("uPlot.iife.min.js"));
    assert_null(http_asset_find(""));
    assert_null(http_asset_find("app"));
    assert_null(http_asset_find("app.js "));
    assert_null(http_asset_find("../app.js"));
}

static void test_etag_matches(void **state)
{
    const char *t = "\"abc\"";
    (void)state;
    assert_true(http_etag_matches("\"abc\"", t));
    assert_true(http_etag_matches("W/\"abc\"", t)); /* weak comparison */
    assert_true(http_etag_matches("*", t));
    assert_true(http_etag_matches("\"x\", \"abc\"", t));
    assert_true(http_etag_matches("\"x\",W/\"abc\" ,\"y\"", t));
    assert_true(http_etag_matches("  \"abc\"\t", t));
    assert_false(http_etag_matches(NULL, t));
    assert_false(http_etag_matches("", t));
    assert_false(http_etag_matches(",,, ,", t));
    assert_false(http_etag_matches("abc", t));
    assert_false(http_etag_matches("\"ab\"", t));
    assert_false(http_etag_matches("\"abcd\"", t));
    assert_false(http_etag_matches("\"abc", t));
    assert_false(http_etag_matches("W/", t));
    assert_false(http_etag_matches("w/\"abc\"", t)); /* W is case-sensitive */
    assert_false(http_etag_matches("\"x\" \"abc\"", t)); /* not a list */
    assert_false(http_etag_matches("**", t));
    assert_false(http_etag_matches("\"abc\"", NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_etag_matches),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
