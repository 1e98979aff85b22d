/* Every real capture in ../shared/realdata (read in place): what each one
 * gives (format, items, snapshots, or the refusal and its message), and
 * that no file of one platform is taken by another platform's formats,
 * neither by detection nor when a format is forced by name (Twitch's
 * formats against the other platforms' files and the other way round).
 * Oura files belong to no platform we import: everything refuses them.
 * Counts were taken by reading the files (see the comments). */
#include "testutil.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "sources/oura.h"

#define NONE (-1) /* a folder of no imported platform */

struct expect {
    const char *rel;
    const char *format; /* NULL: refused */
    enum err rc;
    const char *msg;    /* refusals: a part of the message */
    size_t items, snaps;
};

#define OK(rel, fmt, i, s) {rel, fmt, ERR_OK, NULL, i, s}
#define NO(rel, rc, msg) {rel, NULL, rc, msg, 0, 0}
#define UNK "not a recognised platform API response: it looks like "

static const struct expect expects[] = {
    NO("instagram/graph_error_100_missing_permission.json", ERR_UPSTREAM,
       "Instagram Graph API error 100 (OAuthException): (#100) Object"),
    /* one media object: impressions, reach, saved in one snapshot */
    OK("instagram/ig_media_insights_doc_example.json", "instagram.insights",
       1, 1),
    OK("instagram/ig_user_content_publishing_limit.json",
       "instagram.content_publishing_limit", 0, 0),
    OK("instagram/ig_user_fields.json", "instagram.user", 1, 1),
    /* one user; values at two end_times: 2017-05-04 and 2017-05-05 */
    OK("instagram/ig_user_insights_doc_example.json", "instagram.insights",
       1, 2),
    /* two media, each with like_count and comments_count */
    OK("instagram/ig_user_media_page1_placeholder_cursors.json",
       "instagram.media", 2, 2),
    OK("instagram/ig_user_media_page2_placeholder_cursors.json",
       "instagram.media", 2, 2),
    NO("oura/daily_activity_synthetic.json", ERR_UNSUPPORTED,
       UNK "an Oura API v2 daily_activity page"),
    NO("oura/daily_readiness_synthetic.json", ERR_UNSUPPORTED,
       UNK "an Oura API v2 daily_readiness page"),
    NO("oura/daily_sleep_synthetic.json", ERR_UNSUPPORTED,
       UNK "an Oura API v2 daily_sleep page"),
    NO("oura/sleep_page1_next_token_synthetic.json", ERR_UNSUPPORTED,
       UNK "an Oura API v2 sleep page"),
    NO("oura/sleep_page2_last_synthetic.json", ERR_UNSUPPORTED,
       UNK "an Oura API v2 sleep page"),
    NO("oura/schema/oura-openapi-1.37.json", ERR_UNSUPPORTED,
       UNK "an OpenAPI document (\"Oura API Documentation\")"),
    /* the followers page names no channel: --account is needed */
    NO("twitch/helix_channels_followers_doc_example.json", ERR_PARSE,
       "pass --account twitch:BROADCASTER_ID"),
    /* one clip and its channel; one views snapshot */
    OK("twitch/helix_clips_doc_example.json", "twitch.clips", 2, 1),
    NO("twitch/helix_error_401_invalid_oauth_token.json", ERR_UPSTREAM,
       "Twitch Helix error 401 (Unauthorized): Invalid OAuth token"),
    NO("twitch/helix_search_channels_2023-07.json", ERR_UNSUPPORTED,
       UNK "a Twitch Helix search/channels page: search results are"),
    /* 20 live streams of 20 channels, one viewers point each */
    OK("twitch/helix_streams_top20_2021-02.json", "twitch.streams", 40, 20),
    OK("twitch/helix_users_by_id_2021-02_created_at_fractional.json",
       "twitch.users", 1, 1),
    /* 20 videos of one channel */
    OK("twitch/helix_videos_user_id_2022-11_stream_id_muted_segments.json",
       "twitch.videos", 21, 20),
    NO("twitch/oauth2_token_refresh_200_scopes.json", ERR_UNSUPPORTED,
       UNK "an OAuth token response"),
    /* two channels, both with statistics */
    OK("youtube/channels_list_multi_parts_2items.json",
       "youtube.channels.list", 2, 2),
    OK("youtube/channels_list_snippet.json", "youtube.channels.list", 1, 0),
    NO("youtube/error_400_keyInvalid.json", ERR_UPSTREAM,
       "YouTube API error 400 (keyInvalid): Bad Request"),
    /* 10 videos of one playlist, whose snippets name no video owner;
     * page 2: 3 videos */
    OK("youtube/playlist_items_list_page1.json",
       "youtube.playlistItems.list", 10, 0),
    OK("youtube/playlist_items_list_page2_last.json",
       "youtube.playlistItems.list", 3, 0),
    /* 25 video results, metadata only (their 18 channels are not kept) */
    OK("youtube/search_by_keywords_p1.json", "youtube.search.list", 25, 0),
    /* snippet+player only: 5 videos and their 5 channels; page 2: 3 + 3;
     * single: 1 + 1 */
    OK("youtube/videos_list_chart_page1.json", "youtube.videos.list", 10, 0),
    OK("youtube/videos_list_chart_page2_last.json", "youtube.videos.list", 6,
       0),
    OK("youtube/videos_list_snippet_player_single.json",
       "youtube.videos.list", 2, 0),
    NO("youtube/youtube.v3.discovery.json", ERR_UNSUPPORTED,
       UNK "the Google API discovery document of youtube v3"),
    NO("youtube_analytics/discovery/youtubeAnalytics.v2.discovery.json",
       ERR_UNSUPPORTED,
       UNK "the Google API discovery document of youtubeAnalytics v2"),
    NO("youtube_analytics/discovery/youtubereporting.v1.discovery.json",
       ERR_UNSUPPORTED,
       UNK "the Google API discovery document of youtubereporting v1"),
};

/* The platform a realdata path belongs to, by its first folder. */
static int platform_of(const char *rel)
{
    if (strncmp(rel, "instagram/", 10) == 0)
        return PLATFORM_INSTAGRAM;
    if (strncmp(rel, "youtube/", 8) == 0 ||
        strncmp(rel, "youtube_analytics/", 18) == 0)
        return PLATFORM_YOUTUBE;
    if (strncmp(rel, "tiktok/", 7) == 0)
        return PLATFORM_TIKTOK;
    if (strncmp(rel, "twitch/", 7) == 0)
        return PLATFORM_TWITCH;
    return NONE;
}

static void parse_with(const char *rel, const char *format,
                       struct tu_parsed *out)
{
    char *path = tu_realdata_path(rel);
    struct source_opts o;
    struct buf data;

    assert_non_null(path);
    memset(&o, 0, sizeof o);
    o.observed_at = TU_OBSERVED;
    o.only_format = format;
    batch_init(&out->b);
    buf_init(&out->err, 4096);
    buf_init(&data, (size_t)64 << 20);
    tu_read(path, &data);
    out->rc = source_parse(data.data, data.len, &o, &out->b, &out->format,
                           &out->err);
    buf_free(&data);
    free(path);
}

static void test_each_file(void **state)
{
    char *root = tu_realdata_path("");
    (void)state;
    if (root == NULL)
        skip();
    free(root);
    for (size_t i = 0; i < sizeof expects / sizeof expects[0]; i++) {
        const struct expect *e = &expects[i];
        struct tu_parsed p;
        parse_with(e->rel, NULL, &p);
        if (p.rc != e->rc)
            fail_msg("%s: got %d (%s), want %d", e->rel, p.rc,
                     buf_cstr(&p.err), e->rc);
        if (e->format) {
            assert_string_equal(p.format, e->format);
            if (p.b.n != e->items || batch_snapshot_count(&p.b) != e->snaps)
                fail_msg("%s: %zu items, %zu snapshots; want %zu, %zu",
                         e->rel, p.b.n, batch_snapshot_count(&p.b), e->items,
                         e->snaps);
        } else {
            assert_int_equal(p.b.n, 0);
            if (!strstr(buf_cstr(&p.err), e->msg))
                fail_msg("%s: \"%s\" lacks \"%s\"", e->rel, buf_cstr(&p.err),
                         e->msg);
        }
        tu_parsed_free(&p);
    }
}

/* ---- every file against every other platform's formats ----------------- */

struct cross {
    const char *rel;
    int platform;
    json_t *root;
    size_t formats_tried;
};

static void against_format(const struct source_format *f, void *ud)
{
    struct cross *c = ud;
    struct tu_parsed p;

    if (f->parse_json == NULL || (int)f->platform == c->platform)
        return;
    if (f->detect_json && f->detect_json(c->root))
        fail_msg("%s is detected as %s", c->rel, f->name);
    parse_with(c->rel, f->name, &p);
    if (p.rc == ERR_OK || p.b.n != 0)
        fail_msg("%s forced as %s: accepted (%zu items)", c->rel, f->name,
                 p.b.n);
    tu_parsed_free(&p);
    c->formats_tried++;
}

static size_t cross_dir(const char *base, const char *rel_dir)
{
    char path[4096], rel[1024];
    size_t files = 0;
    struct dirent *de;
    DIR *d;

    snprintf(path, sizeof path, "%s/%s", base, rel_dir);
    d = opendir(path);
    assert_non_null(d);
    while ((de = readdir(d)) != NULL) {
        struct stat sb;
        if (de->d_name[0] == '.')
            continue;
        snprintf(rel, sizeof rel, "%s%s%s", rel_dir, *rel_dir ? "/" : "",
                 de->d_name);
        snprintf(path, sizeof path, "%s/%s", base, rel);
        assert_int_equal(stat(path, &sb), 0);
        if (S_ISDIR(sb.st_mode)) {
            files += cross_dir(base, rel);
        } else if (strlen(rel) > 5 && strcmp(rel + strlen(rel) - 5,
                                             ".json") == 0) {
            struct cross c = {rel, platform_of(rel), NULL, 0};
            json_error_t je;
            c.root = json_load_file(path, 0, &je);
            assert_non_null(c.root);
            source_each_format(against_format, &c);
            assert_true(c.formats_tried >= 4);
            json_decref(c.root);
            files++;
        }
    }
    closedir(d);
    return files;
}

static void test_no_platform_takes_another_ones_file(void **state)
{
    char *root = tu_realdata_path("");
    (void)state;
    if (root == NULL)
        skip();
    /* Every .json under realdata, including files added after this test
     * was written; at least the ones listed above. */
    assert_true(cross_dir(root, "") >= sizeof expects / sizeof expects[0]);
    free(root);
}

/* Refusal messages from in-memory documents: text taken from the file
 * is cut and has no control characters; a token is never repeated. */
static void refused_text(const char *doc, const char *want, const char *not)
{
    struct source_opts o;
    struct batch b;
    struct buf err;
    const char *fmt = NULL;

    memset(&o, 0, sizeof o);
    o.observed_at = TU_OBSERVED;
    batch_init(&b);
    buf_init(&err, 4096);
    assert_int_equal(source_parse(doc, strlen(doc), &o, &b, &fmt, &err),
                     ERR_UNSUPPORTED);
    assert_int_equal(b.n, 0);
    if (!strstr(buf_cstr(&err), want))
        fail_msg("\"%s\" lacks \"%s\"", buf_cstr(&err), want);
    if (not && strstr(buf_cstr(&err), not))
        fail_msg("\"%s\" has \"%s\"", buf_cstr(&err), not);
    buf_free(&err);
    batch_free(&b);
}

static void test_lookalike_messages(void **state)
{
    (void)state;
    refused_text("{\"access_token\":\"SECRET-abc\",\"token_type\":"
                 "\"bearer\"}", "an OAuth token response", "SECRET");
    refused_text("{\"kind\":\"discovery#restDescription\",\"name\":"
                 "\"a\\u001bb\",\"version\":\"v9\"}",
                 "discovery document of a?b v9", NULL);
    /* An Oura page that is empty, and one entry with no "day": the
     * first is named, the second is only refused. */
    refused_text("{\"data\":[],\"next_token\":null}",
                 "it looks like an Oura API v2 page: health data", NULL);
    refused_text("{\"data\":[{\"id\":\"x\"}],\"next_token\":\"t\"}",
                 "not a recognised platform API response (see", NULL);
    /* Twitch: a page we cannot name more closely. */
    refused_text("{\"data\":[{\"id\":\"1\"}],\"pagination\":{}}",
                 "it looks like a Twitch Helix page of a shape mediadash "
                 "does not import", NULL);
}

/* ---- Oura: its parser takes its own files and only those --------------- */

static void oura_check_file(const char *rel, const char *path)
{
    bool own = strncmp(rel, "oura/", 5) == 0 &&
               strncmp(rel, "oura/schema/", 12) != 0;
    struct health_batch hb;
    struct buf data, err;
    enum err rc;

    buf_init(&data, (size_t)64 << 20);
    buf_init(&err, 4096);
    health_batch_init(&hb);
    tu_read(path, &data);
    rc = oura_parse(data.data, data.len, -1, rel, &hb, &err);
    if (own != (rc == ERR_OK))
        fail_msg("%s: the Oura parser %s it (%s)", rel,
                 own ? "refuses" : "takes", buf_cstr(&err));
    for (int k = 0; own && k < HEALTH_KIND_COUNT; k++) {
        if (k == (int)hb.kind)
            continue;
        struct health_batch other;
        health_batch_init(&other);
        if (oura_parse(data.data, data.len, k, rel, &other, &err) == ERR_OK)
            fail_msg("%s taken as Oura %s", rel, health_kind_name(k));
        assert_int_equal(health_batch_count(&other), 0);
    }
    if (!own)
        assert_int_equal(health_batch_count(&hb), 0);
    health_batch_free(&hb);
    buf_free(&err);
    buf_free(&data);
}

static size_t oura_dir(const char *base, const char *rel_dir)
{
    char path[4096], rel[1024];
    size_t files = 0;
    struct dirent *de;
    struct stat sb;
    DIR *d;

    snprintf(path, sizeof path, "%s/%s", base, rel_dir);
    d = opendir(path);
    assert_non_null(d);
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.')
            continue;
        snprintf(rel, sizeof rel, "%s%s%s", rel_dir, *rel_dir ? "/" : "",
                 de->d_name);
        snprintf(path, sizeof path, "%s/%s", base, rel);
        assert_int_equal(stat(path, &sb), 0);
        if (S_ISDIR(sb.st_mode)) {
            files += oura_dir(base, rel);
        } else if (strlen(rel) > 5 &&
                   strcmp(rel + strlen(rel) - 5, ".json") == 0) {
            oura_check_file(rel, path);
            files++;
        }
    }
    closedir(d);
    return files;
}

static void test_oura_takes_only_its_files(void **state)
{
    char *root = tu_realdata_path("");
    (void)state;
    if (root == NULL)
        skip();
    assert_true(oura_dir(root, "") >= sizeof expects / sizeof expects[0]);
    free(root);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_each_file),
        cmocka_unit_test(test_no_platform_takes_another_ones_file),
        cmocka_unit_test(test_lookalike_messages),
        cmocka_unit_test(test_oura_takes_only_its_files),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
