/* Instagram Graph API parsing: our fixtures and the real captures in
 * ../shared/realdata (read in place). */
#include "testutil.h"

#include <string.h>

#include "core/timeutil.h"

#define IG PLATFORM_INSTAGRAM
#define USER "17841400000000001"
#define REEL "17900000000000001"

static void test_user(void **state)
{
    struct tu_parsed p;
    struct item *u;
    (void)state;
    tu_parse_fixture("instagram/user.json", IG, NULL, &p);
    assert_int_equal(p.rc, ERR_OK);
    assert_string_equal(p.format, "instagram.user");
    u = tu_find(&p, IG, ITEM_ACCOUNT, USER);
    assert_string_equal(u->handle, "demostreamer");
    assert_string_equal(u->url, "https://www.instagram.com/demostreamer/");
    assert_int_equal(tu_metric(u->snaps[0], M_FOLLOWERS), 8120);
    assert_int_equal(tu_metric(u->snaps[0], "ig.follows_count"), 301);
    assert_int_equal(tu_metric(u->snaps[0], "ig.media_count"), 96);
    tu_parsed_free(&p);
}

static void test_media_pages(void **state)
{
    struct tu_parsed p;
    struct item *m;
    (void)state;
    tu_parse_fixture("instagram/media_page1.json", IG, NULL, &p);
    assert_int_equal(p.rc, ERR_OK);
    assert_string_equal(p.format, "instagram.media");
    assert_int_equal(p.b.n, 2); /* carousel children are not items */
    m = tu_find(&p, IG, ITEM_CONTENT, REEL);
    assert_string_equal(m->kind, "reel");
    assert_string_equal(m->title, "New PB tonight! \xF0\x9F\x8E\x89");
    assert_string_equal(m->account_ext_id, USER);
    assert_int_equal(m->published_at, 1714678200);
    assert_int_equal(tu_metric(m->snaps[0], M_LIKES), 1204);
    assert_int_equal(tu_metric(m->snaps[0], M_COMMENTS), 88);
    m = tu_find(&p, IG, ITEM_CONTENT, "17900000000000002");
    assert_string_equal(m->kind, "carousel");
    assert_null(m->account_ext_id); /* no owner, no hint */
    tu_parsed_free(&p);
    /* With a hint the owner is known. */
    tu_parse_fixture("instagram/media_page1.json", IG, USER, &p);
    assert_string_equal(
        tu_find(&p, IG, ITEM_CONTENT, "17900000000000002")->account_ext_id,
        USER);
    tu_parsed_free(&p);
    tu_parse_fixture("instagram/media_last_page.json", IG, NULL, &p);
    assert_int_equal(p.rc, ERR_OK);
    assert_int_equal(p.b.n, 0);
    tu_parsed_free(&p);
}

static void test_media_insights(void **state)
{
    struct tu_parsed p;
    struct item *m;
    (void)state;
    tu_parse_fixture("instagram/media_insights.json", IG, NULL, &p);
    assert_int_equal(p.rc, ERR_OK);
    assert_string_equal(p.format, "instagram.insights");
    m = tu_find(&p, IG, ITEM_CONTENT, REEL);
    assert_int_equal(m->nsnaps, 1);
    assert_int_equal(tu_metric(m->snaps[0], M_REACH), 15230);
    assert_int_equal(tu_metric(m->snaps[0], M_VIEWS), 40110);
    assert_int_equal(tu_metric(m->snaps[0], M_SAVES), 77);
    assert_int_equal(tu_metric(m->snaps[0], M_SHARES), 35);
    assert_int_equal(tu_metric(m->snaps[0], "ig.total_interactions"), 1404);
    /* A breakdown-valued metric is skipped, not an error. */
    assert_null(metrics_get(&m->snaps[0]->metrics, "ig.profile_activity"));
    tu_parsed_free(&p);
}

static void test_user_insights(void **state)
{
    struct tu_parsed p;
    struct item *u;
    int64_t t;
    (void)state;
    tu_parse_fixture("instagram/user_insights_day.json", IG, NULL, &p);
    assert_int_equal(p.rc, ERR_OK);
    u = tu_find(&p, IG, ITEM_ACCOUNT, USER);
    assert_int_equal(u->nsnaps, 2);
    item_sort_snapshots(u);
    assert_int_equal(time_parse_iso8601("2024-06-02T07:00:00Z", &t), ERR_OK);
    assert_int_equal(u->snaps[1]->observed_at, t);
    assert_int_equal(tu_metric(u->snaps[1], "ig.day.reach"), 6033);
    assert_int_equal(tu_metric(u->snaps[1], "ig.day.follower_count"), -2);
    tu_parsed_free(&p);
    tu_parse_fixture("instagram/user_insights_total.json", IG, NULL, &p);
    assert_int_equal(p.rc, ERR_OK);
    u = tu_find(&p, IG, ITEM_ACCOUNT, USER);
    assert_int_equal(u->snaps[0]->observed_at, TU_OBSERVED);
    assert_int_equal(tu_metric(u->snaps[0], "ig.total.reach"), 48211);
    tu_parsed_free(&p);
}

static void test_bad_inputs(void **state)
{
    (void)state;
    tu_expect_refused("instagram/bad/error_190_token.json", IG, NULL,
                      ERR_UPSTREAM, "error 190 (OAuthException) subcode 463",
                      "Session has expired");
    tu_expect_refused("instagram/bad/error_4_rate.json", IG, NULL,
                      ERR_UPSTREAM, "error 4", "request limit");
    tu_expect_refused("instagram/bad/media_like_string.json", IG, NULL,
                      ERR_PARSE, "data[1] (id \"17900000000000009\")",
                      "\"like_count\": expected an integer, got string");
    tu_expect_refused("instagram/bad/media_missing_id.json", IG, NULL,
                      ERR_PARSE, "\"id\": missing", NULL);
    tu_expect_refused("instagram/bad/insights_bad_id.json", IG, NULL,
                      ERR_PARSE, "data[0]", "OBJECT/insights/NAME/PERIOD");
    tu_expect_refused("instagram/bad/insights_bool_value.json", IG, NULL,
                      ERR_PARSE, "reach of \"17900000000000001\"",
                      "expected an integer, got boolean");
    tu_expect_refused("instagram/bad/user_followers_string.json", IG, NULL,
                      ERR_PARSE, "user \"17841400000000001\"",
                      "\"followers_count\"");
}

/* Issue 11: {"data": [{"id": ...}]} is not enough to be Instagram. */
static void test_strict_recognition(void **state)
{
    (void)state;
    tu_expect_refused("instagram/bad/media_ids_only.json", IG, NULL,
                      ERR_UNSUPPORTED, "not a recognised platform API "
                      "response", NULL);
    tu_expect_refused("instagram/bad/oura_empty_page.json", IG, NULL,
                      ERR_UNSUPPORTED, "not a recognised platform API "
                      "response: it looks like an Oura API v2 page", NULL);
    /* An ISO time with a colon in its offset is not an IG timestamp. */
    tu_expect_refused("instagram/bad/timestamp_not_graph.json", IG, NULL,
                      ERR_UNSUPPORTED, "not a recognised platform API "
                      "response", NULL);
    /* Claimed by its first entry, refused by a later bare one. */
    tu_expect_refused("instagram/bad/media_second_bare.json", IG, NULL,
                      ERR_PARSE, "data[1] (id \"17900000000000002\")",
                      "no IG Media field");
}

#define BD_OWNER "17841401441775531" /* bluebottle */

static void test_business_discovery(void **state)
{
    struct tu_parsed p;
    struct item *a, *m;
    (void)state;
    tu_parse_fixture("instagram/business_discovery.json", IG, USER, &p);
    assert_int_equal(p.rc, ERR_OK);
    assert_string_equal(p.format, "instagram.business_discovery");
    assert_int_equal(p.b.n, 3); /* the account and its two media */
    a = tu_find(&p, IG, ITEM_ACCOUNT, BD_OWNER);
    assert_true(a->tracked);
    assert_string_equal(a->handle, "bluebottle");
    assert_string_equal(a->title, "Blue Bottle Coffee");
    assert_string_equal(a->url, "https://www.instagram.com/bluebottle/");
    assert_int_equal(a->nsnaps, 1);
    assert_int_equal(tu_metric(a->snaps[0], M_FOLLOWERS), 267793);
    assert_int_equal(tu_metric(a->snaps[0], "ig.follows_count"), 182);
    assert_int_equal(tu_metric(a->snaps[0], "ig.media_count"), 1205);
    /* The asking account (the root id) is not an item. */
    assert_null(batch_find(&p.b, IG, ITEM_ACCOUNT, "17841405309211844"));
    m = tu_find(&p, IG, ITEM_CONTENT, "17858843269216389");
    assert_true(m->tracked);
    assert_string_equal(m->account_ext_id, BD_OWNER); /* not the hint */
    assert_string_equal(m->kind, "image");
    assert_string_equal(m->title, "Cold brew season");
    assert_int_equal(m->published_at, 1716220800); /* 2024-05-20 16:00Z */
    assert_int_equal(tu_metric(m->snaps[0], M_LIKES), 1834);
    assert_int_equal(tu_metric(m->snaps[0], M_COMMENTS), 12);
    m = tu_find(&p, IG, ITEM_CONTENT, "17899506308402767");
    assert_true(m->tracked);
    assert_string_equal(m->kind, "reel");
    assert_int_equal(m->published_at, 1716024600); /* 2024-05-18 09:30Z */
    assert_int_equal(tu_metric(m->snaps[0], M_LIKES), 5210);
    assert_int_equal(tu_metric(m->snaps[0], M_COMMENTS), 41);
    tu_parsed_free(&p);

    /* An account that looks itself up stays its own. */
    tu_parse_fixture("instagram/business_discovery_self.json", IG, NULL, &p);
    assert_int_equal(p.rc, ERR_OK);
    a = tu_find(&p, IG, ITEM_ACCOUNT, USER);
    assert_false(a->tracked);
    assert_int_equal(tu_metric(a->snaps[0], M_FOLLOWERS), 8120);
    tu_parsed_free(&p);

    tu_expect_refused("instagram/bad/discovery_no_id.json", IG, NULL,
                      ERR_PARSE, "business_discovery: field \"id\": missing",
                      NULL);
    tu_expect_refused("instagram/bad/discovery_like_string.json", IG, NULL,
                      ERR_PARSE, "business_discovery.media.data[0] (id "
                      "\"17858843269216389\")", "\"like_count\": expected "
                      "an integer, got string");
}

static void test_by_ids(void **state)
{
    struct tu_parsed p;
    struct item *m;
    (void)state;
    tu_parse_fixture("instagram/by_ids.json", IG, NULL, &p);
    assert_int_equal(p.rc, ERR_OK);
    assert_string_equal(p.format, "instagram.ids");
    assert_int_equal(p.b.n, 2);
    m = tu_find(&p, IG, ITEM_CONTENT, "17895731045244887");
    assert_false(m->tracked);
    assert_string_equal(m->kind, "image");
    assert_string_equal(m->account_ext_id, USER); /* owner.id */
    assert_string_equal(m->url, "https://www.instagram.com/p/CSgf9BChwVq/");
    assert_int_equal(m->published_at, 1628843128); /* 2021-08-13 08:25:28Z */
    assert_int_equal(tu_metric(m->snaps[0], M_LIKES), 7);
    assert_int_equal(tu_metric(m->snaps[0], M_COMMENTS), 2);
    m = tu_find(&p, IG, ITEM_CONTENT, "17896622936197745");
    assert_string_equal(m->kind, "reel");
    assert_string_equal(m->title, "Two takes");
    assert_null(m->account_ext_id); /* no owner, no hint */
    assert_int_equal(m->published_at, 1628762400); /* 2021-08-12 10:00Z */
    assert_int_equal(tu_metric(m->snaps[0], M_LIKES), 40);
    assert_int_equal(tu_metric(m->snaps[0], M_COMMENTS), 6);
    tu_parsed_free(&p);
    tu_expect_refused("instagram/bad/by_ids_mismatch.json", IG, NULL,
                      ERR_PARSE, "\"17896622936197745\" is not an object "
                      "whose id is \"17896622936197745\"", NULL);
}

static void test_real_captures(void **state)
{
    struct tu_parsed p;
    struct item *it;
    int64_t t;
    (void)state;
    if (!tu_parse_real("instagram/ig_user_fields.json", IG, NULL, &p))
        skip();
    assert_int_equal(p.rc, ERR_OK);
    it = tu_find(&p, IG, ITEM_ACCOUNT, "17841407673135339");
    assert_int_equal(tu_metric(it->snaps[0], M_FOLLOWERS), 64363);
    assert_int_equal(tu_metric(it->snaps[0], "ig.media_count"), 427);
    assert_string_equal(it->handle, "facebookfordevelopers");
    tu_parsed_free(&p);

    assert_true(tu_parse_real("instagram/ig_user_media_page1_placeholder_cursors.json",
                              IG, NULL, &p));
    assert_int_equal(p.rc, ERR_OK);
    it = tu_find(&p, IG, ITEM_CONTENT, "17896622936197745");
    assert_int_equal(tu_metric(it->snaps[0], M_LIKES), 2);
    assert_int_equal(tu_metric(it->snaps[0], M_COMMENTS), 6);
    tu_parsed_free(&p);

    assert_true(tu_parse_real("instagram/ig_user_media_page2_placeholder_cursors.json",
                              IG, NULL, &p));
    assert_int_equal(p.rc, ERR_OK);
    assert_string_equal(
        tu_find(&p, IG, ITEM_CONTENT, "17896129349106152")->kind, "carousel");
    tu_parsed_free(&p);

    assert_true(tu_parse_real("instagram/ig_media_insights_doc_example.json", IG,
                              NULL, &p));
    assert_int_equal(p.rc, ERR_OK);
    it = tu_find(&p, IG, ITEM_CONTENT, "17846368219941692");
    assert_int_equal(tu_metric(it->snaps[0], M_IMPRESSIONS), 8);
    assert_int_equal(tu_metric(it->snaps[0], M_REACH), 5);
    assert_int_equal(tu_metric(it->snaps[0], M_SAVES), 0);
    tu_parsed_free(&p);

    assert_true(tu_parse_real("instagram/ig_user_insights_doc_example.json", IG,
                              NULL, &p));
    assert_int_equal(p.rc, ERR_OK);
    it = tu_find(&p, IG, ITEM_ACCOUNT, "17841400008460056");
    item_sort_snapshots(it);
    assert_int_equal(time_parse_iso8601("2017-05-05T07:00:00Z", &t), ERR_OK);
    assert_int_equal(it->snaps[1]->observed_at, t);
    assert_int_equal(tu_metric(it->snaps[1], "ig.day.impressions"), 66);
    assert_int_equal(tu_metric(it->snaps[1], "ig.day.profile_views"), 2);
    tu_parsed_free(&p);

    assert_true(tu_parse_real("instagram/ig_user_content_publishing_limit.json",
                              IG, NULL, &p));
    assert_int_equal(p.rc, ERR_OK);
    assert_int_equal(p.b.n, 0);
    tu_parsed_free(&p);

    assert_true(tu_parse_real("instagram/graph_error_100_missing_permission.json",
                              IG, NULL, &p));
    assert_int_equal(p.rc, ERR_UPSTREAM);
    assert_non_null(strstr(buf_cstr(&p.err), "error 100 (OAuthException)"));
    tu_parsed_free(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_user),
        cmocka_unit_test(test_media_pages),
        cmocka_unit_test(test_media_insights),
        cmocka_unit_test(test_user_insights),
        cmocka_unit_test(test_bad_inputs),
        cmocka_unit_test(test_strict_recognition),
        cmocka_unit_test(test_business_discovery),
        cmocka_unit_test(test_by_ids),
        cmocka_unit_test(test_real_captures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
