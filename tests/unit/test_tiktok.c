/* TikTok API v2 parsing (documented formats; no real captures exist). */
#include "testutil.h"

#include <string.h>

#define TT PLATFORM_TIKTOK
#define OPEN_ID "-000mediadashDemoOpenId0001"

static void test_user_info(void **state)
{
    struct tu_parsed p;
    struct item *u;
    (void)state;
    tu_parse_fixture("tiktok/user_info.json", TT, NULL, &p);
    assert_int_equal(p.rc, ERR_OK);
    assert_string_equal(p.format, "tiktok.user.info");
    u = tu_find(&p, TT, ITEM_ACCOUNT, OPEN_ID);
    assert_string_equal(u->title, "Demo Streamer");
    assert_string_equal(u->handle, "demostreamer");
    assert_string_equal(u->url, "https://vm.tiktok.com/ZMdemo001/");
    assert_int_equal(tu_metric(u->snaps[0], M_FOLLOWERS), 25310);
    assert_int_equal(tu_metric(u->snaps[0], "tt.likes_count"), 918022);
    assert_int_equal(tu_metric(u->snaps[0], "tt.video_count"), 212);
    assert_int_equal(tu_metric(u->snaps[0], "tt.following_count"), 180);
    tu_parsed_free(&p);
    /* open_id not requested: the hint names the account, or it fails. */
    tu_parse_fixture("tiktok/user_info_minimal.json", TT, OPEN_ID, &p);
    assert_int_equal(p.rc, ERR_OK);
    u = tu_find(&p, TT, ITEM_ACCOUNT, OPEN_ID);
    assert_int_equal(tu_metric(u->snaps[0], M_FOLLOWERS), 25400);
    tu_parsed_free(&p);
    tu_expect_refused("tiktok/user_info_minimal.json", TT, NULL, ERR_PARSE,
                      "open_id", "--account tiktok:");
}

static void test_video_list(void **state)
{
    struct tu_parsed p;
    struct item *v;
    (void)state;
    tu_parse_fixture("tiktok/video_list_page1.json", TT, OPEN_ID, &p);
    assert_int_equal(p.rc, ERR_OK);
    assert_string_equal(p.format, "tiktok.video.list");
    assert_int_equal(p.b.n, 2);
    v = tu_find(&p, TT, ITEM_CONTENT, "7380000000000000001");
    assert_string_equal(v->title, "World record attempt #speedrun");
    assert_string_equal(v->account_ext_id, OPEN_ID);
    assert_int_equal(v->published_at, 1717000000);
    assert_int_equal(v->duration_s, 58);
    assert_int_equal(tu_metric(v->snaps[0], M_VIEWS), 612003);
    assert_int_equal(tu_metric(v->snaps[0], M_LIKES), 40210);
    assert_int_equal(tu_metric(v->snaps[0], M_COMMENTS), 812);
    assert_int_equal(tu_metric(v->snaps[0], M_SHARES), 1503);
    assert_string_equal(
        tu_find(&p, TT, ITEM_CONTENT, "7380000000000000002")->title,
        "Setup tour");
    tu_parsed_free(&p);
    tu_parse_fixture("tiktok/video_list_last.json", TT, NULL, &p);
    assert_int_equal(p.rc, ERR_OK);
    assert_null(tu_find(&p, TT, ITEM_CONTENT, "7380000000000000003")
                    ->account_ext_id);
    tu_parsed_free(&p);
}

static void test_video_query(void **state)
{
    struct tu_parsed p;
    (void)state;
    tu_parse_fixture("tiktok/video_query.json", TT, OPEN_ID, &p);
    assert_int_equal(p.rc, ERR_OK);
    assert_string_equal(p.format, "tiktok.video.query");
    assert_int_equal(
        tu_metric(tu_find(&p, TT, ITEM_CONTENT, "7380000000000000001")
                      ->snaps[0],
                  M_VIEWS),
        613500);
    tu_parsed_free(&p);
    tu_parse_fixture("tiktok/video_query_empty.json", TT, NULL, &p);
    assert_int_equal(p.rc, ERR_OK);
    assert_int_equal(p.b.n, 0);
    tu_parsed_free(&p);
}

static void test_bad_inputs(void **state)
{
    (void)state;
    tu_expect_refused("tiktok/bad/error_token.json", TT, NULL, ERR_UPSTREAM,
                      "TikTok API error access_token_invalid",
                      "log_id 20240601120000DEMOERR1");
    tu_expect_refused("tiktok/bad/error_rate.json", TT, NULL, ERR_UPSTREAM,
                      "rate_limit_exceeded", NULL);
    tu_expect_refused("tiktok/bad/error_scope.json", TT, NULL, ERR_UPSTREAM,
                      "scope_not_authorized", NULL);
    tu_expect_refused("tiktok/bad/video_views_string.json", TT, NULL,
                      ERR_PARSE, "data.videos[1] (id \"7380000000000000009\")",
                      "\"view_count\": expected an integer, got string");
    tu_expect_refused("tiktok/bad/video_missing_id.json", TT, NULL, ERR_PARSE,
                      "data.videos[0]", "\"id\": missing");
    tu_expect_refused("tiktok/bad/video_list_cursor_string.json", TT, NULL,
                      ERR_PARSE, "\"cursor\"", "got string");
    tu_expect_refused("tiktok/bad/video_list_no_has_more.json", TT, NULL,
                      ERR_PARSE, "\"has_more\": missing", NULL);
    /* TikTok's own documentation example has a trailing comma. */
    tu_expect_refused("tiktok/bad/doc_trailing_comma.json", TT, NULL,
                      ERR_PARSE, "malformed JSON at line 1", NULL);
    tu_expect_refused("tiktok/bad/truncated.json", TT, NULL, ERR_PARSE,
                      "truncated JSON", NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_user_info),
        cmocka_unit_test(test_video_list),
        cmocka_unit_test(test_video_query),
        cmocka_unit_test(test_bad_inputs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
