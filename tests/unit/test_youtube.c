/* YouTube Data v3 and Analytics v2 parsing, through source_parse: our
 * fixtures (tests/data/youtube, tests/data/cli) and the real captures in
 * ../shared/realdata, read in place. */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "core/timeutil.h"
#include "sources/source.h"

#define OBSERVED TU_OBSERVED
#define parsed tu_parsed
#define done tu_parsed_free

static void parse_fixture(const char *rel, const char *hint, struct parsed *p)
{
    tu_parse_fixture(rel, PLATFORM_YOUTUBE, hint, p);
}

static struct item *find(struct parsed *p, enum item_type t, const char *id)
{
    return tu_find(p, PLATFORM_YOUTUBE, t, id);
}

static void expect_refused(const char *rel, enum err rc, const char *a,
                           const char *b)
{
    tu_expect_refused(rel, PLATFORM_YOUTUBE, "UCmediadashDemoChannel01", rc,
                      a, b);
}

static bool real(const char *rel, const char *hint, struct parsed *p)
{
    return tu_parse_real(rel, PLATFORM_YOUTUBE, hint, p);
}

static void test_channels(void **state)
{
    struct parsed p;
    struct item *ch;
    (void)state;
    parse_fixture("youtube/channels_mine.json", NULL, &p);
    assert_int_equal(p.rc, ERR_OK);
    assert_string_equal(p.format, "youtube.channels.list");
    ch = find(&p, ITEM_ACCOUNT, "UCmediadashDemoChannel01");
    assert_string_equal(ch->title, "Demo Streamer");
    assert_string_equal(ch->handle, "@demostreamer");
    assert_string_equal(ch->thumbnail_url, "https://yt3.example/demo-800.jpg");
    assert_string_equal(ch->url,
                        "https://www.youtube.com/channel/"
                        "UCmediadashDemoChannel01");
    assert_int_equal(ch->nsnaps, 1);
    assert_int_equal(ch->snaps[0]->observed_at, OBSERVED);
    assert_int_equal(tu_metric(ch->snaps[0], M_FOLLOWERS), 12400);
    assert_int_equal(tu_metric(ch->snaps[0], M_VIEWS), 1843221);
    assert_int_equal(tu_metric(ch->snaps[0], "yt.videoCount"), 184);
    done(&p);

    /* A hidden subscriber count is not stored as a value. */
    parse_fixture("youtube/channels_hidden_subscribers.json", NULL, &p);
    assert_int_equal(p.rc, ERR_OK);
    ch = find(&p, ITEM_ACCOUNT, "UChiddenSubscribers00001");
    assert_null(metrics_get(&ch->snaps[0]->metrics, M_FOLLOWERS));
    assert_int_equal(tu_metric(ch->snaps[0], M_VIEWS), 500);
    done(&p);
}

static void test_videos(void **state)
{
    struct parsed p;
    struct item *v, *ch;
    (void)state;
    parse_fixture("cli/videos_page.json", NULL, &p);
    assert_int_equal(p.rc, ERR_OK);
    assert_string_equal(p.format, "youtube.videos.list");
    assert_int_equal(p.b.n, 4); /* 3 videos and their channel */
    v = find(&p, ITEM_CONTENT, "Ab3dEf5hIj0");
    assert_string_equal(v->title, "Speedrun, part 1: \"any%\"");
    assert_string_equal(v->account_ext_id, "UCmediadashDemoChannel01");
    assert_int_equal(v->duration_s, 750);
    assert_int_equal(v->published_at, 1714669200);
    assert_int_equal(tu_metric(v->snaps[0], M_VIEWS), 15234);
    assert_int_equal(tu_metric(v->snaps[0], M_LIKES), 812);
    assert_int_equal(tu_metric(v->snaps[0], M_COMMENTS), 97);
    assert_int_equal(tu_metric(v->snaps[0], "yt.favoriteCount"), 0);
    v = find(&p, ITEM_CONTENT, "-Kl9mNoPqR1"); /* likes hidden */
    assert_int_equal(tu_metric(v->snaps[0], M_VIEWS), 3000000000LL);
    assert_null(metrics_get(&v->snaps[0]->metrics, M_LIKES));
    ch = find(&p, ITEM_ACCOUNT, "UCmediadashDemoChannel01");
    assert_string_equal(ch->title, "Demo Streamer");
    assert_int_equal(ch->nsnaps, 0); /* named, not measured */
    done(&p);
}

static void test_bad_inputs(void **state)
{
    (void)state;
    expect_refused("cli/bad/videos_page_one_bad.json", ERR_PARSE,
                   "xYz_123-abc", "statistics.likeCount");
    expect_refused("youtube/bad/videos_missing_id.json", ERR_PARSE,
                   "items[0]", "\"id\": missing");
    expect_refused("youtube/bad/videos_negative_count.json", ERR_PARSE,
                   "neg0000000A", "statistics.viewCount");
    expect_refused("youtube/bad/videos_count_junk.json", ERR_PARSE,
                   "junk000000A", "\"12x\" is not a count");
    expect_refused("youtube/bad/videos_bad_duration.json", ERR_PARSE,
                   "dur0000000A", "contentDetails.duration");
    expect_refused("youtube/bad/error_403_quota.json", ERR_UPSTREAM,
                   "403 (quotaExceeded)", "exceeded your");
    expect_refused("youtube/bad/error_403_status.json", ERR_UPSTREAM,
                   "403 (PERMISSION_DENIED)", "does not have permission");
    expect_refused("youtube/bad/analytics_row_width.json", ERR_PARSE,
                   "rows[1]", "2 cells");
    expect_refused("youtube/bad/analytics_bad_day.json", ERR_PARSE, "rows[0]",
                   "\"day\"");
    expect_refused("youtube/bad/analytics_string_cell.json", ERR_PARSE,
                   "rows[1] (day 2024-06-05)", "\"views\": expected an integer");
    expect_refused("youtube/bad/analytics_month.json", ERR_PARSE, "month",
                   "dimensions=day");
}

static void test_analytics_channel_days(void **state)
{
    struct parsed p;
    struct item *ch;
    int64_t d1;
    (void)state;
    parse_fixture("youtube/analytics_day.json", "UCmediadashDemoChannel01",
                  &p);
    assert_int_equal(p.rc, ERR_OK);
    assert_string_equal(p.format, "youtube_analytics.reports.query");
    ch = find(&p, ITEM_ACCOUNT, "UCmediadashDemoChannel01");
    assert_int_equal(ch->nsnaps, 3);
    assert_int_equal(time_parse_iso8601("2024-06-01", &d1), ERR_OK);
    assert_int_equal(ch->snaps[0]->observed_at, d1);
    assert_int_equal(ch->snaps[1]->observed_at, d1 + 86400);
    assert_int_equal(tu_metric(ch->snaps[0], "yt.day.views"), 1520);
    assert_int_equal(tu_metric(ch->snaps[1], "yt.day.likes"), -1); /* data */
    assert_int_equal(tu_metric(ch->snaps[2], "yt.day.estimatedMinutesWatched"),
                     2410);
    assert_true(metrics_get(&ch->snaps[1]->metrics,
                            "yt.day.averageViewPercentage")->r == 43.25);
    done(&p);

    /* Without an account the channel is unknown: a clear refusal. */
    parse_fixture("youtube/analytics_day.json", NULL, &p);
    assert_int_equal(p.rc, ERR_PARSE);
    assert_non_null(strstr(buf_cstr(&p.err), "--account youtube:"));
    done(&p);

    parse_fixture("youtube/analytics_empty.json", "UCx", &p);
    assert_int_equal(p.rc, ERR_OK);
    assert_int_equal(p.b.n, 0);
    done(&p);
}

static void test_analytics_video_days(void **state)
{
    struct parsed p;
    struct item *v;
    (void)state;
    parse_fixture("youtube/analytics_day_video.json", NULL, &p);
    assert_int_equal(p.rc, ERR_OK);
    v = find(&p, ITEM_CONTENT, "Ab3dEf5hIj0");
    assert_int_equal(v->nsnaps, 2);
    assert_int_equal(tu_metric(v->snaps[1], "yt.day.views"), 701);
    assert_int_equal(find(&p, ITEM_CONTENT, "xYz_123-abc")->nsnaps, 1);
    done(&p);
}

/* ---- real captures, read in place -------------------------------------- */

static void test_real_channels(void **state)
{
    struct parsed p;
    struct item *ch;
    (void)state;
    if (!real("youtube/channels_list_multi_parts_2items.json", NULL, &p))
        skip();
    assert_int_equal(p.rc, ERR_OK);
    ch = find(&p, ITEM_ACCOUNT, "UCK8sQmJBp8GCxrOtXWBpyEA");
    assert_string_equal(ch->title, "Google");
    assert_string_equal(ch->handle, "@google");
    assert_int_equal(tu_metric(ch->snaps[0], M_FOLLOWERS), 10700000);
    assert_int_equal(tu_metric(ch->snaps[0], M_VIEWS), 3331930783LL);
    assert_int_equal(tu_metric(ch->snaps[0], "yt.videoCount"), 2678);
    assert_int_equal(p.b.n, 2);
    done(&p);
    if (!real("youtube/channels_list_snippet.json", NULL, &p))
        skip();
    assert_int_equal(p.rc, ERR_OK);
    assert_int_equal(p.b.n, 1);
    assert_int_equal(p.b.items[0]->nsnaps, 0); /* snippet only */
    done(&p);
}

static void test_real_lists(void **state)
{
    static const struct {
        const char *file, *format;
        size_t min_items;
    } cases[] = {
        {"youtube/playlist_items_list_page1.json",
         "youtube.playlistItems.list", 10},
        {"youtube/playlist_items_list_page2_last.json",
         "youtube.playlistItems.list", 3},
        {"youtube/search_by_keywords_p1.json", "youtube.search.list", 20},
        {"youtube/videos_list_chart_page1.json", "youtube.videos.list", 5},
        {"youtube/videos_list_chart_page2_last.json", "youtube.videos.list",
         3},
        {"youtube/videos_list_snippet_player_single.json",
         "youtube.videos.list", 1},
    };
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct parsed p;
        if (!real(cases[i].file, NULL, &p))
            skip();
        if (p.rc != ERR_OK)
            fail_msg("%s: %s", cases[i].file, buf_cstr(&p.err));
        assert_string_equal(p.format, cases[i].format);
        assert_true(p.b.n >= cases[i].min_items);
        done(&p);
    }
}

static void test_real_playlist_values(void **state)
{
    struct parsed p;
    struct item *v;
    (void)state;
    if (!real("youtube/playlist_items_list_page1.json", NULL, &p))
        skip();
    assert_int_equal(p.rc, ERR_OK);
    /* The first entry's video id, from snippet.resourceId or
     * contentDetails, and its title. */
    v = p.b.items[0];
    assert_int_equal(v->type, ITEM_CONTENT);
    assert_non_null(strstr(v->title, "Pittsburgh ML Summit"));
    assert_int_equal(v->nsnaps, 0);
    done(&p);
}

static void test_real_error_and_discovery(void **state)
{
    struct parsed p;
    (void)state;
    if (!real("youtube/error_400_keyInvalid.json", NULL, &p))
        skip();
    assert_int_equal(p.rc, ERR_UPSTREAM);
    assert_non_null(strstr(buf_cstr(&p.err), "keyInvalid"));
    done(&p);
    /* Discovery documents describe the API; they are not responses. */
    if (!real("youtube/youtube.v3.discovery.json", NULL, &p))
        skip();
    assert_int_equal(p.rc, ERR_UNSUPPORTED);
    done(&p);
    if (!real("youtube_analytics/discovery/youtubeAnalytics.v2.discovery.json",
              NULL, &p))
        skip();
    assert_int_equal(p.rc, ERR_UNSUPPORTED);
    done(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_channels),
        cmocka_unit_test(test_videos),
        cmocka_unit_test(test_bad_inputs),
        cmocka_unit_test(test_analytics_channel_days),
        cmocka_unit_test(test_analytics_video_days),
        cmocka_unit_test(test_real_channels),
        cmocka_unit_test(test_real_lists),
        cmocka_unit_test(test_real_playlist_values),
        cmocka_unit_test(test_real_error_and_discovery),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
