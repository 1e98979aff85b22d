/* Only http(s) links and thumbnails are stored (issue 13 defect 12): the
 * rule (str_http_url), what source_parse does with a document whose
 * thumbnail or link is javascript:, data:, file: ... (the field goes, the
 * rest stays, a warning names item and field), and that ingest stores
 * NULL and reports it. Documents in the platforms' real shapes. */
#include "testutil.h"

#include <string.h>

#include "core/jsonw.h"
#include "core/model_json.h"
#include "core/str.h"
#include "ingest/ingest.h"
#include "sources/source.h"
#include "store/store.h"

#define OPEN_ID "-000mediadashDemoOpenId0001"

static void test_rule(void **state)
{
    static const char *const good[] = {
        "https://p16-sign.example/cover1.jpeg",
        "http://example.com",
        "HTTPS://Example.COM/a?b=c#d",
        "hTtP://x/y",
    };
    static const char *const bad[] = {
        "javascript:alert(1)",
        "JavaScript:alert(document.cookie)",
        " javascript:alert(1)",
        "\tjavascript:alert(1)",
        "\x01javascript:alert(1)",
        "java\nscript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "data:image/svg+xml;base64,PHN2Zz4=",
        "file:///etc/passwd",
        "vbscript:msgbox(1)",
        "//evil.example/x.jpg",
        "/relative/x.jpg",
        "x.jpg",
        "",
        "https://",
        "http:///etc/passwd",
        " https://example.com/",
        "https://example.com/\na",
        "https://exa mple.com/",
        "https://example.com/\x7f",
        "ftp://example.com/x",
        "https:example.com",
    };
    (void)state;
    for (size_t i = 0; i < sizeof good / sizeof *good; i++)
        assert_true(str_http_url(good[i]));
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        if (str_http_url(bad[i]))
            fail_msg("accepted \"%s\"", bad[i]);
    }
    assert_false(str_http_url(NULL));
}

/* A TikTok video list page (the v2 API's shape) with hostile URLs. */
static const char tiktok_page[] =
    "{\"data\": {\"videos\": ["
    "{\"id\": \"7380000000000000001\", \"create_time\": 1717000000,"
    " \"cover_image_url\": \"javascript:alert(document.cookie)\","
    " \"share_url\": \"https://www.tiktok.com/@demostreamer/video/"
    "7380000000000000001\", \"title\": \"One\", \"like_count\": 5,"
    " \"comment_count\": 1, \"share_count\": 0, \"view_count\": 100},"
    "{\"id\": \"7380000000000000002\", \"create_time\": 1717100000,"
    " \"cover_image_url\": \" \\tJaVaScRiPt:alert(1)\","
    " \"share_url\": \"data:text/html,<script>alert(1)</script>\","
    " \"title\": \"Two\", \"view_count\": 200},"
    "{\"id\": \"7380000000000000003\", \"create_time\": 1717200000,"
    " \"cover_image_url\": \"https://p16-sign.example/cover3.jpeg\","
    " \"share_url\": \"file:///etc/passwd\", \"title\": \"Three\","
    " \"view_count\": 300}"
    "], \"cursor\": 0, \"has_more\": false},"
    " \"error\": {\"code\": \"ok\", \"message\": \"\", \"log_id\": \"x\"}}";

static struct item *find(struct batch *b, const char *id)
{
    struct item *it = batch_find(b, PLATFORM_TIKTOK, ITEM_CONTENT, id);
    assert_non_null(it);
    return it;
}

static void test_parse_drops_fields(void **state)
{
    struct source_opts o = {0};
    const char *fmt = NULL;
    struct batch b;
    struct buf err;
    struct item *it;
    (void)state;

    o.observed_at = TU_OBSERVED;
    o.account_hint[PLATFORM_TIKTOK] = OPEN_ID;
    batch_init(&b);
    buf_init(&err, 4096);
    assert_int_equal(source_parse(tiktok_page, strlen(tiktok_page), &o, &b,
                                  &fmt, &err),
                     ERR_OK);
    assert_int_equal(b.n, 3); /* the document stands */
    it = find(&b, "7380000000000000001");
    assert_null(it->thumbnail_url);
    assert_string_equal(it->url, "https://www.tiktok.com/@demostreamer/video/"
                                 "7380000000000000001");
    assert_int_equal(tu_metric(it->snaps[0], M_VIEWS), 100);
    it = find(&b, "7380000000000000002");
    assert_null(it->thumbnail_url);
    assert_null(it->url);
    assert_string_equal(it->title, "Two");
    it = find(&b, "7380000000000000003");
    assert_string_equal(it->thumbnail_url,
                        "https://p16-sign.example/cover3.jpeg");
    assert_null(it->url);
    assert_int_equal(b.dropped, 4);
    assert_non_null(b.warnings);
    assert_non_null(strstr(b.warnings, "item tiktok:7380000000000000001: "
                                       "thumbnail_url is not an http(s) "
                                       "URL: not stored"));
    assert_non_null(strstr(b.warnings, "item tiktok:7380000000000000002: "
                                       "url is not an http(s) URL"));
    assert_non_null(strstr(b.warnings, "item tiktok:7380000000000000003: "
                                       "url is not an http(s) URL"));
    assert_null(strstr(b.warnings, "javascript")); /* the value is not echoed */
    batch_free(&b);
    buf_free(&err);
}

/* A YouTube channel whose thumbnail is a data: URL: the channel is kept. */
static const char yt_channel[] =
        "{\"kind\": \"youtube#channelListResponse\", \"items\": [{"
        "\"kind\": \"youtube#channel\", \"id\": \"UCmediadashDemoChannel01\","
        " \"snippet\": {\"title\": \"Demo\", \"customUrl\": \"@demo\","
        " \"thumbnails\": {\"high\": {\"url\": \"data:image/svg+xml;base64,"
        "PHN2Zz4=\"}}}, \"statistics\": {\"viewCount\": \"10\","
        " \"subscriberCount\": \"5\", \"videoCount\": \"1\"}}]}";

static void test_parse_youtube_channel(void **state)
{
    const char *doc = yt_channel;
    struct source_opts o = {0};
    const char *fmt = NULL;
    struct batch b;
    struct buf err;
    struct item *ch;
    (void)state;

    o.observed_at = TU_OBSERVED;
    batch_init(&b);
    buf_init(&err, 4096);
    assert_int_equal(source_parse(doc, strlen(doc), &o, &b, &fmt, &err),
                     ERR_OK);
    ch = batch_find(&b, PLATFORM_YOUTUBE, ITEM_ACCOUNT,
                    "UCmediadashDemoChannel01");
    assert_non_null(ch);
    assert_null(ch->thumbnail_url);
    assert_int_equal(b.dropped, 1);
    assert_non_null(strstr(b.warnings, "item youtube:UCmediadashDemoChannel01"
                                       ": thumbnail_url is not an http(s)"));
    batch_free(&b);
    buf_free(&err);
}

/* The collector parses page after page into one batch: the warnings of
 * every page stay, the count adds up. */
static void test_pages_accumulate(void **state)
{
    struct source_opts o = {0};
    const char *fmt = NULL;
    struct batch b;
    struct buf err;
    (void)state;

    o.observed_at = TU_OBSERVED;
    o.account_hint[PLATFORM_TIKTOK] = OPEN_ID;
    batch_init(&b);
    buf_init(&err, 4096);
    assert_int_equal(source_parse(tiktok_page, strlen(tiktok_page), &o, &b,
                                  &fmt, &err),
                     ERR_OK);
    assert_int_equal(source_parse(yt_channel, strlen(yt_channel), &o, &b,
                                  &fmt, &err),
                     ERR_OK);
    assert_int_equal(b.dropped, 5);
    assert_non_null(strstr(b.warnings, "item tiktok:7380000000000000001"));
    assert_non_null(strstr(b.warnings, "item youtube:UCmediadashDemo"));
    batch_free(&b);
    buf_free(&err);
}

/* Through ingest into a real store: NULL stored, the warning reported,
 * the good fields and the metrics stored. */
static void test_ingest_stores_null(void **state)
{
    struct tu_store_fx *f = *state;
    struct ingest_opts o;
    struct ingest_result r;
    struct item *it = NULL;
    struct buf msg;

    memset(&o, 0, sizeof o);
    o.observed_at = TU_OBSERVED;
    o.account[PLATFORM_TIKTOK] = OPEN_ID;
    buf_init(&msg, 8192);
    assert_int_equal(ingest_document(f->st, "page.json", tiktok_page,
                                     strlen(tiktok_page), &o, &r, &msg),
                     ERR_OK);
    assert_int_equal(r.status, INGEST_STORED);
    assert_int_equal(r.stats.items_new, 4); /* the videos and their account */
    assert_int_equal(r.dropped, 4);
    assert_non_null(strstr(r.warnings, "item tiktok:7380000000000000002: "
                                       "thumbnail_url"));
    ingest_result_free(&r);
    assert_null(r.warnings);
    assert_int_equal(store_item_find(f->st, "tiktok:7380000000000000001",
                                     &it, &f->err),
                     ERR_OK);
    assert_null(it->thumbnail_url);
    assert_non_null(it->url);
    item_destroy(it);
    assert_int_equal(store_item_find(f->st, "tiktok:7380000000000000003",
                                     &it, &f->err),
                     ERR_OK);
    assert_null(it->url);
    assert_string_equal(it->thumbnail_url,
                        "https://p16-sign.example/cover3.jpeg");
    item_destroy(it);
    buf_free(&msg);
}

/* A value stored before ingest refused such URLs is not handed out: the
 * item's JSON says null. */
static void test_json_hides_stored(void **state)
{
    struct item *it = item_create(PLATFORM_TIKTOK, ITEM_CONTENT, "1");
    struct buf out;
    struct jw w;
    (void)state;

    item_set(&it->url, "https://www.tiktok.com/@a/video/1");
    item_set(&it->thumbnail_url, "javascript:alert(1)");
    buf_init(&out, 8192);
    jw_init(&w, &out);
    jw_object_begin(&w);
    item_json_fields(&w, it);
    jw_object_end(&w);
    assert_int_equal(jw_status(&w), ERR_OK);
    assert_non_null(strstr(buf_cstr(&out), "\"thumbnail_url\":null"));
    assert_non_null(
        strstr(buf_cstr(&out), "\"url\":\"https://www.tiktok.com/@a/video/1\""));
    assert_null(strstr(buf_cstr(&out), "javascript"));
    buf_free(&out);
    item_destroy(it);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rule),
        cmocka_unit_test(test_parse_drops_fields),
        cmocka_unit_test(test_parse_youtube_channel),
        cmocka_unit_test(test_json_hides_stored),
        cmocka_unit_test(test_pages_accumulate),
        cmocka_unit_test_setup_teardown(test_ingest_stores_null,
                                        tu_store_setup, tu_store_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
