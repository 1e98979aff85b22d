/* Twitch Helix parsers (src/sources/twitch.c) on every real capture in
 * ../shared/realdata/twitch, read in place, with exact values; the error
 * bodies refused with their message; in-memory documents for the shapes
 * and edges the captures do not show (channels, muted segments, a
 * non-live stream entry, bad durations). */
#include "testutil.h"

#include <string.h>

#include "store/store.h"

#define RD "twitch/"

static const struct item_link *link_of(const struct batch *b,
                                       const char *from, const char *rel)
{
    for (size_t i = 0; i < b->nlinks; i++)
        if (strcmp(b->links[i].from_ext, from) == 0 &&
            strcmp(b->links[i].rel, rel) == 0)
            return &b->links[i];
    return NULL;
}

static void test_users(void **state)
{
    struct tu_parsed p;
    struct item *u;

    (void)state;
    if (!tu_parse_real(RD "helix_users_by_id_2021-02_created_at_fractional.json",
                       PLATFORM_TWITCH, NULL, &p))
        skip();
    assert_int_equal(p.rc, ERR_OK);
    assert_string_equal(p.format, "twitch.users");
    assert_int_equal(p.b.n, 1);
    u = tu_find(&p, PLATFORM_TWITCH, ITEM_ACCOUNT, "18587270");
    assert_string_equal(u->handle, "day9tv");
    assert_string_equal(u->title, "Day9tv");
    assert_string_equal(u->kind, "channel");
    assert_string_equal(u->url, "https://www.twitch.tv/day9tv");
    /* 2010-12-09T05:50:55.91122Z: the fraction is dropped */
    assert_int_equal(u->published_at, 1291873855);
    assert_non_null(strstr(u->description, "thoughtful gaming strategy"));
    assert_non_null(strstr(u->thumbnail_url, "day9tv-profile_image"));
    assert_false(u->tracked); /* the page's only user */
    assert_int_equal(u->nsnaps, 1);
    assert_int_equal(tu_metric(u->snaps[0], "tw.view_count"), 87448761);
    tu_parsed_free(&p);
}

static void test_followers(void **state)
{
    struct tu_parsed p;
    struct item *a;

    (void)state;
    if (!tu_parse_real(RD "helix_channels_followers_doc_example.json",
                       PLATFORM_TWITCH, "141981764", &p))
        skip();
    assert_int_equal(p.rc, ERR_OK);
    assert_string_equal(p.format, "twitch.followers");
    assert_int_equal(p.b.n, 1); /* the follower (user 11111) is not kept */
    a = tu_find(&p, PLATFORM_TWITCH, ITEM_ACCOUNT, "141981764");
    assert_int_equal(a->nsnaps, 1);
    assert_int_equal(a->snaps[0]->observed_at, TU_OBSERVED);
    assert_int_equal(tu_metric(a->snaps[0], M_FOLLOWERS), 8);
    assert_null(batch_find(&p.b, PLATFORM_TWITCH, ITEM_ACCOUNT, "11111"));
    tu_parsed_free(&p);
    /* without --account the page names no channel: refused, clearly */
    assert_true(tu_parse_real(RD "helix_channels_followers_doc_example.json",
                              PLATFORM_TWITCH, NULL, &p));
    assert_int_equal(p.rc, ERR_PARSE);
    assert_int_equal(p.b.n, 0);
    assert_non_null(strstr(buf_cstr(&p.err), "--account twitch:"));
    tu_parsed_free(&p);
}

static void test_streams(void **state)
{
    struct tu_parsed p;
    struct item *s, *a;

    (void)state;
    if (!tu_parse_real(RD "helix_streams_top20_2021-02.json", PLATFORM_TWITCH,
                       NULL, &p))
        skip();
    assert_int_equal(p.rc, ERR_OK);
    assert_string_equal(p.format, "twitch.streams");
    assert_int_equal(p.b.n, 40); /* 20 streams of 20 channels */
    assert_int_equal(batch_snapshot_count(&p.b), 20);
    s = tu_find(&p, PLATFORM_TWITCH, ITEM_CONTENT, "41574619358");
    assert_string_equal(s->kind, "stream");
    assert_string_equal(s->account_ext_id, "489155160");
    assert_string_equal(s->title, "Bruh where am I? || DreamSMP");
    assert_string_equal(s->description, "Minecraft");
    assert_string_equal(s->url, "https://www.twitch.tv/ranboolive");
    assert_int_equal(s->published_at, 1612408339);
    assert_int_equal(tu_metric(s->snaps[0], M_VIEWERS), 84904);
    /* "FUI DE GTA MAIS CEDO\n": the first line */
    s = tu_find(&p, PLATFORM_TWITCH, ITEM_CONTENT, "40438630621");
    assert_string_equal(s->title, "FUI DE GTA MAIS CEDO");
    assert_int_equal(tu_metric(s->snaps[0], M_VIEWERS), 75782);
    s = tu_find(&p, PLATFORM_TWITCH, ITEM_CONTENT, "41574402590");
    assert_int_equal(tu_metric(s->snaps[0], M_VIEWERS), 11830);
    assert_int_equal(s->published_at, 1612407529);
    /* the channels of a page of many are someone else's */
    a = tu_find(&p, PLATFORM_TWITCH, ITEM_ACCOUNT, "489155160");
    assert_string_equal(a->handle, "ranboolive");
    assert_string_equal(a->title, "RanbooLive");
    assert_true(a->tracked);
    assert_int_equal(a->nsnaps, 0);
    tu_parsed_free(&p);
    /* with --account, that channel is own and the others stay tracked */
    assert_true(tu_parse_real(RD "helix_streams_top20_2021-02.json",
                              PLATFORM_TWITCH, "71092938", &p));
    assert_false(tu_find(&p, PLATFORM_TWITCH, ITEM_ACCOUNT, "71092938")
                     ->tracked);
    assert_true(tu_find(&p, PLATFORM_TWITCH, ITEM_ACCOUNT, "37402112")
                    ->tracked);
    tu_parsed_free(&p);
}

static void test_videos(void **state)
{
    struct tu_parsed p;
    struct item *v;
    const struct item_link *l;
    size_t to_one = 0;

    (void)state;
    if (!tu_parse_real(
            RD "helix_videos_user_id_2022-11_stream_id_muted_segments.json",
            PLATFORM_TWITCH, NULL, &p))
        skip();
    assert_int_equal(p.rc, ERR_OK);
    assert_string_equal(p.format, "twitch.videos");
    assert_int_equal(p.b.n, 21); /* 20 videos and their channel */
    assert_int_equal(batch_snapshot_count(&p.b), 20);
    v = tu_find(&p, PLATFORM_TWITCH, ITEM_CONTENT, "1652727194");
    assert_string_equal(v->kind, "archive");
    assert_string_equal(v->account_ext_id, "9846758");
    assert_int_equal(v->duration_s, 3 * 3600 + 45 * 60 + 54);
    assert_int_equal(v->published_at, 1668453435);
    assert_string_equal(v->url, "https://www.twitch.tv/videos/1652727194");
    assert_null(v->description); /* "" */
    assert_int_equal(tu_metric(v->snaps[0], M_VIEWS), 5234);
    /* muted_segments null: no muted metrics */
    assert_null(metrics_get(&v->snaps[0]->metrics, "tw.muted_segments"));
    l = link_of(&p.b, "1652727194", "vod_of");
    assert_non_null(l);
    assert_string_equal(l->to_ext, "46300851900");
    assert_int_equal(l->offset_s, -1);
    v = tu_find(&p, PLATFORM_TWITCH, ITEM_CONTENT, "1652174613");
    assert_string_equal(v->kind, "highlight");
    assert_int_equal(v->duration_s, 41 * 60 + 50);
    assert_int_equal(tu_metric(v->snaps[0], M_VIEWS), 97);
    v = tu_find(&p, PLATFORM_TWITCH, ITEM_CONTENT, "1652168575");
    assert_int_equal(tu_metric(v->snaps[0], M_VIEWS), 0);
    assert_int_equal(v->duration_s, 11 * 60 + 41);
    assert_int_equal(p.b.nlinks, 20);
    for (size_t i = 0; i < p.b.nlinks; i++)
        to_one += strcmp(p.b.links[i].to_ext, "1") == 0;
    assert_int_equal(to_one, 19); /* the highlights say stream "1" */
    assert_false(tu_find(&p, PLATFORM_TWITCH, ITEM_ACCOUNT, "9846758")
                     ->tracked);
    tu_parsed_free(&p);
}

static void test_clips(void **state)
{
    struct tu_parsed p;
    struct item *c, *a;
    const struct item_link *l;

    (void)state;
    if (!tu_parse_real(RD "helix_clips_doc_example.json", PLATFORM_TWITCH,
                       NULL, &p))
        skip();
    assert_int_equal(p.rc, ERR_OK);
    assert_string_equal(p.format, "twitch.clips");
    assert_int_equal(p.b.n, 2);
    c = tu_find(&p, PLATFORM_TWITCH, ITEM_CONTENT,
                "AwkwardHelplessSalamanderSwiftRage");
    assert_string_equal(c->kind, "clip");
    assert_string_equal(c->title, "babymetal");
    assert_string_equal(c->account_ext_id, "67955580");
    assert_int_equal(c->published_at, 1512081258);
    assert_int_equal(c->duration_s, 60);
    assert_int_equal(tu_metric(c->snaps[0], M_VIEWS), 10);
    l = link_of(&p.b, "AwkwardHelplessSalamanderSwiftRage", "clip_of");
    assert_non_null(l);
    assert_string_equal(l->to_ext, "205586603");
    assert_int_equal(l->offset_s, 480);
    a = tu_find(&p, PLATFORM_TWITCH, ITEM_ACCOUNT, "67955580");
    assert_string_equal(a->title, "ChewieMelodies");
    /* the clip's creator is not an account of ours */
    assert_null(batch_find(&p.b, PLATFORM_TWITCH, ITEM_ACCOUNT, "53834192"));
    tu_parsed_free(&p);
}

static void test_refused_files(void **state)
{
    struct tu_parsed p;

    (void)state;
    if (!tu_parse_real(RD "helix_error_401_invalid_oauth_token.json",
                       PLATFORM_TWITCH, NULL, &p))
        skip();
    assert_int_equal(p.rc, ERR_UPSTREAM);
    assert_int_equal(p.b.n, 0);
    assert_string_equal(buf_cstr(&p.err),
                        "Twitch Helix error 401 (Unauthorized): Invalid OAuth "
                        "token");
    tu_parsed_free(&p);
    /* a token answer is credentials, never content */
    assert_true(tu_parse_real(RD "oauth2_token_refresh_200_scopes.json",
                              PLATFORM_TWITCH, NULL, &p));
    assert_int_equal(p.rc, ERR_UNSUPPORTED);
    assert_int_equal(p.b.n, 0);
    assert_non_null(strstr(buf_cstr(&p.err), "an OAuth token response"));
    assert_null(strstr(buf_cstr(&p.err), "NEW_ACCESS_TOKEN"));
    tu_parsed_free(&p);
    /* search results: other people's channels, no figures */
    assert_true(tu_parse_real(RD "helix_search_channels_2023-07.json",
                              PLATFORM_TWITCH, NULL, &p));
    assert_int_equal(p.rc, ERR_UNSUPPORTED);
    assert_int_equal(p.b.n, 0);
    assert_non_null(strstr(buf_cstr(&p.err),
                           "a Twitch Helix search/channels page: search "
                           "results are other people's channels"));
    tu_parsed_free(&p);
}

/* ---- in-memory documents ------------------------------------------------ */

static void parse_doc(const char *doc, const char *hint, struct tu_parsed *p)
{
    struct source_opts o;

    memset(&o, 0, sizeof o);
    o.observed_at = TU_OBSERVED;
    o.account_hint[PLATFORM_TWITCH] = hint;
    batch_init(&p->b);
    buf_init(&p->err, 4096);
    p->rc = source_parse(doc, strlen(doc), &o, &p->b, &p->format, &p->err);
}

static void refused(const char *doc, enum err rc, const char *want)
{
    struct tu_parsed p;

    parse_doc(doc, NULL, &p);
    if (p.rc != rc || p.b.n != 0 || !strstr(buf_cstr(&p.err), want))
        fail_msg("%s: rc %d \"%s\", want %d \"%s\"", doc, p.rc,
                 buf_cstr(&p.err), rc, want);
    tu_parsed_free(&p);
}

static void test_errors_in_memory(void **state)
{
    (void)state;
    /* id.twitch.tv: no "error" member */
    refused("{\"status\":400,\"message\":\"Invalid refresh token\"}",
            ERR_UPSTREAM, "Twitch error 400: Invalid refresh token");
    /* the platform's text on one line */
    refused("{\"error\":\"Unauthorized\",\"status\":401,"
            "\"message\":\"bad\\ntoken\\u0007\"}",
            ERR_UPSTREAM, "Twitch Helix error 401 (Unauthorized): "
                          "bad?token?");
    refused("{\"error\":\"Too Many Requests\",\"status\":429,"
            "\"message\":\"\"}",
            ERR_UPSTREAM, "Twitch Helix error 429 (Too Many Requests): no "
                          "message");
    /* a bad duration names the video and the field */
    refused("{\"data\":[{\"id\":\"5\",\"user_id\":\"9\",\"stream_id\":null,"
            "\"view_count\":1,\"duration\":\"3x\",\"type\":\"upload\"}],"
            "\"pagination\":{}}",
            ERR_PARSE, "data[0] (video \"5\"): field \"duration\"");
    refused("{\"data\":[{\"id\":\"5\",\"user_id\":\"9\",\"stream_id\":null,"
            "\"view_count\":1,\"duration\":\"1m2h\"}],\"pagination\":{}}",
            ERR_PARSE, "is not a duration like 3h2m1s");
    refused("{\"data\":[{\"id\":\"5\",\"user_id\":\"9\",\"stream_id\":null,"
            "\"view_count\":-1,\"duration\":\"1s\"}],\"pagination\":{}}",
            ERR_PARSE, "view_count");
    refused("{\"data\":[{\"id\":\"5\",\"user_id\":\"9\",\"stream_id\":null,"
            "\"view_count\":1,\"duration\":\"1s\",\"type\":\"live\"}],"
            "\"pagination\":{}}",
            ERR_PARSE, "is not archive, highlight or upload");
    refused("{\"data\":[{\"id\":\"7\",\"user_id\":\"9\",\"viewer_count\":"
            "\"many\",\"started_at\":\"2024-01-01T00:00:00Z\"}]}",
            ERR_PARSE, "viewer_count");
}

static void test_shapes_in_memory(void **state)
{
    struct tu_parsed p;
    struct item *it;

    (void)state;
    parse_doc("{\"data\":[{\"broadcaster_id\":\"141981764\","
              "\"broadcaster_login\":\"twitchdev\",\"broadcaster_name\":"
              "\"TwitchDev\",\"game_id\":\"509670\",\"game_name\":\"Science "
              "& Technology\",\"title\":\"Monthly Update\",\"delay\":0,"
              "\"tags\":[\"DevsInTheKnow\",\"English\"]}]}",
              NULL, &p);
    assert_int_equal(p.rc, ERR_OK);
    assert_string_equal(p.format, "twitch.channels");
    it = tu_find(&p, PLATFORM_TWITCH, ITEM_ACCOUNT, "141981764");
    assert_string_equal(it->handle, "twitchdev");
    assert_string_equal(it->description, "Monthly Update · Science & "
                                         "Technology · #DevsInTheKnow "
                                         "#English");
    tu_parsed_free(&p);
    /* muted segments, and a highlight with no stream */
    parse_doc("{\"data\":[{\"id\":\"5\",\"user_id\":\"9\",\"stream_id\":null,"
              "\"view_count\":12,\"duration\":\"1h0m5s\",\"type\":"
              "\"highlight\",\"muted_segments\":[{\"duration\":30,"
              "\"offset\":1000},{\"duration\":60,\"offset\":2000}]}],"
              "\"pagination\":{}}",
              NULL, &p);
    assert_int_equal(p.rc, ERR_OK);
    it = tu_find(&p, PLATFORM_TWITCH, ITEM_CONTENT, "5");
    assert_int_equal(it->duration_s, 3605);
    assert_int_equal(tu_metric(it->snaps[0], "tw.muted_segments"), 2);
    assert_int_equal(tu_metric(it->snaps[0], "tw.muted_s"), 90);
    assert_int_equal(p.b.nlinks, 0);
    tu_parsed_free(&p);
    /* a stream entry that is not live ("" on error): no viewer point */
    parse_doc("{\"data\":[{\"id\":\"7\",\"user_id\":\"9\",\"type\":\"\","
              "\"viewer_count\":0,\"started_at\":\"2024-01-01T00:00:00Z\"}],"
              "\"pagination\":{}}",
              NULL, &p);
    assert_int_equal(p.rc, ERR_OK);
    assert_int_equal(tu_find(&p, PLATFORM_TWITCH, ITEM_CONTENT, "7")->nsnaps,
                     0);
    tu_parsed_free(&p);
    /* a clip whose VOD is gone: video_id "", vod_offset null */
    parse_doc("{\"data\":[{\"id\":\"Clip\",\"broadcaster_id\":\"9\","
              "\"creator_id\":\"3\",\"video_id\":\"\",\"view_count\":4,"
              "\"vod_offset\":null,\"duration\":25.6}]}",
              NULL, &p);
    assert_int_equal(p.rc, ERR_OK);
    assert_int_equal(p.b.nlinks, 0);
    assert_int_equal(tu_find(&p, PLATFORM_TWITCH, ITEM_CONTENT, "Clip")
                         ->duration_s, 26);
    tu_parsed_free(&p);
}

/* ---- links in the store (migration 0030) -------------------------------- */

struct got {
    char line[8][96];
    size_t n;
};

static enum err got_link(void *ud, const struct item_link *l)
{
    struct got *g = ud;
    if (g->n < 8)
        snprintf(g->line[g->n++], sizeof g->line[0], "%s %s %s %lld",
                 l->from_ext, l->rel, l->to_ext, (long long)l->offset_s);
    return ERR_OK;
}

/* Ingest doc as an import with that digest (NULL: no import row);
 * returns the import's id (0 without one). */
static int64_t ingest_as(struct tu_store_fx *fx, const char *doc,
                         const char *digest)
{
    struct tu_parsed p;
    struct import_meta meta = {digest, "test", "twitch", TU_OBSERVED, false};
    struct ingest_stats st = {0};

    parse_doc(doc, "9", &p);
    assert_int_equal(p.rc, ERR_OK);
    assert_int_equal(store_ingest(fx->st, &p.b, &meta, &st, &fx->err),
                     ERR_OK);
    tu_parsed_free(&p);
    return st.import_id;
}

static void ingest_doc(struct tu_store_fx *fx, const char *doc)
{
    (void)ingest_as(fx, doc, NULL);
}

static void test_links_stored(void **state)
{
    struct tu_store_fx *fx = *state;
    struct got g = {0};

    /* a VOD of stream 77, then two clips of the VOD (one twice) */
    ingest_doc(fx, "{\"data\":[{\"id\":\"500\",\"user_id\":\"9\","
                   "\"stream_id\":\"77\",\"view_count\":3,\"duration\":"
                   "\"2h\",\"type\":\"archive\"}],\"pagination\":{}}");
    ingest_doc(fx, "{\"data\":[{\"id\":\"ClipA\",\"broadcaster_id\":\"9\","
                   "\"creator_id\":\"3\",\"video_id\":\"500\",\"view_count\":"
                   "4,\"vod_offset\":120},{\"id\":\"ClipB\",\"broadcaster_id\":"
                   "\"9\",\"creator_id\":\"3\",\"video_id\":\"500\","
                   "\"view_count\":1,\"vod_offset\":null}]}");
    ingest_doc(fx, "{\"data\":[{\"id\":\"ClipB\",\"broadcaster_id\":\"9\","
                   "\"creator_id\":\"3\",\"video_id\":\"500\",\"view_count\":"
                   "2,\"vod_offset\":30}]}");
    assert_int_equal(store_item_links(fx->st, PLATFORM_TWITCH, "500", 10,
                                      got_link, &g),
                     ERR_OK);
    assert_int_equal(g.n, 3);
    assert_string_equal(g.line[0], "ClipA clip_of 500 120");
    assert_string_equal(g.line[1], "ClipB clip_of 500 30");
    assert_string_equal(g.line[2], "500 vod_of 77 -1");
    g.n = 0; /* from the stream's side: the VOD only */
    assert_int_equal(store_item_links(fx->st, PLATFORM_TWITCH, "77", 10,
                                      got_link, &g),
                     ERR_OK);
    assert_int_equal(g.n, 1);
    assert_string_equal(g.line[0], "500 vod_of 77 -1");
    g.n = 0; /* another platform's id space */
    assert_int_equal(store_item_links(fx->st, PLATFORM_YOUTUBE, "500", 10,
                                      got_link, &g),
                     ERR_OK);
    assert_int_equal(g.n, 0);
}

/* The links an item stated go with it: removing the import that stored
 * the clips drops their clip_of rows, removing the account drops the
 * VOD's vod_of row; nothing dangles. */
static void test_links_removed(void **state)
{
    struct tu_store_fx *fx = *state;
    struct got g = {0};
    struct store_removed out;
    const char *vod = "{\"data\":[{\"id\":\"500\",\"user_id\":\"9\","
                      "\"stream_id\":\"77\",\"view_count\":3,"
                      "\"duration\":\"2h\",\"type\":\"archive\"}],"
                      "\"pagination\":{}}";
    const char *clips = "{\"data\":[{\"id\":\"ClipA\",\"broadcaster_id\":"
                        "\"9\",\"creator_id\":\"3\",\"video_id\":\"500\","
                        "\"view_count\":4,\"vod_offset\":120}]}";
    int64_t a = ingest_as(fx, vod, "aa");
    int64_t b = ingest_as(fx, clips, "bb");

    assert_true(a > 0 && b > 0 && a != b);
    assert_int_equal(store_item_links(fx->st, PLATFORM_TWITCH, "500", 10,
                                      got_link, &g),
                     ERR_OK);
    assert_int_equal(g.n, 2);
    assert_int_equal(store_import_remove(fx->st, b, "t", TU_OBSERVED + 1,
                                         &out, &fx->err),
                     ERR_OK);
    g.n = 0;
    assert_int_equal(store_item_links(fx->st, PLATFORM_TWITCH, "500", 10,
                                      got_link, &g),
                     ERR_OK);
    assert_int_equal(g.n, 1);
    assert_string_equal(g.line[0], "500 vod_of 77 -1");
    g.n = 0; /* the clip's own side is gone too */
    assert_int_equal(store_item_links(fx->st, PLATFORM_TWITCH, "ClipA", 10,
                                      got_link, &g),
                     ERR_OK);
    assert_int_equal(g.n, 0);
    assert_int_equal(store_account_remove(fx->st, PLATFORM_TWITCH, "9", "t",
                                          TU_OBSERVED + 2, &out, &fx->err),
                     ERR_OK);
    assert_int_equal(store_item_links(fx->st, PLATFORM_TWITCH, "77", 10,
                                      got_link, &g),
                     ERR_OK);
    assert_int_equal(g.n, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_users),
        cmocka_unit_test(test_followers),
        cmocka_unit_test(test_streams),
        cmocka_unit_test(test_videos),
        cmocka_unit_test(test_clips),
        cmocka_unit_test(test_refused_files),
        cmocka_unit_test(test_errors_in_memory),
        cmocka_unit_test(test_shapes_in_memory),
        cmocka_unit_test_setup_teardown(test_links_stored, tu_store_setup,
                                        tu_store_teardown),
        cmocka_unit_test_setup_teardown(test_links_removed, tu_store_setup,
                                        tu_store_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
