/* Full-text search (analytics/search.h, store_search.h; migration 0028):
 * the query parser against hostile text, ranking, snippets, prefix and
 * phrase queries, filters, the index kept at ingest and at removal, and
 * non-Latin titles taken from the real captures in ../shared/realdata
 * (read in place). */
#include "testutil.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "analytics/search.h"
#include "core/timeutil.h"
#include "store/store.h"

/* ---- helpers ---------------------------------------------------------- */

static struct search_request req_of(const char *q)
{
    return (struct search_request){.q = q, .from = TIME_NONE,
                                   .to = TIME_NONE};
}

/* Run q; the ext ids of the hits, space-separated, into out. */
static enum err ids(struct store *st, const struct search_request *q,
                    struct buf *out, struct search_result *keep)
{
    struct search_result r;
    struct buf err;
    enum err rc;

    buf_init(&err, 1024);
    buf_reset(out);
    rc = search_run(st, q, &r, &err);
    for (size_t i = 0; rc == ERR_OK && i < r.n; i++)
        assert_int_equal(buf_printf(out, "%s%s", i ? " " : "",
                                    r.rows[i].ext_id), ERR_OK);
    if (keep != NULL)
        *keep = r;
    else
        search_result_free(&r);
    buf_free(&err);
    return rc;
}

static void expect_ids(struct store *st, const char *q, const char *want)
{
    struct search_request r = req_of(q);
    struct buf got;

    buf_init(&got, 1 << 16);
    assert_int_equal(ids(st, &r, &got, NULL), ERR_OK);
    if (strcmp(buf_cstr(&got), want) != 0)
        fail_msg("search %s: got \"%s\", want \"%s\"", q, buf_cstr(&got),
                 want);
    buf_free(&got);
}

/* One own YouTube account "UCsearch" with content items (id, title,
 * description, published, views), ingested as one batch. */
struct fx_item {
    const char *id, *title, *desc;
    int64_t published, views;
};

static int64_t ingest(struct store *st, const struct fx_item *v, size_t n,
                      bool tracked)
{
    struct batch b;
    struct ingest_stats s;
    struct import_meta m = {.source = "test", .format = "test",
                            .imported_at = TU_OBSERVED};
    struct buf err;
    const char *acct = tracked ? "UCother" : "UCsearch";

    buf_init(&err, 1024);
    batch_init(&b);
    struct item *a = batch_item(&b, PLATFORM_YOUTUBE, ITEM_ACCOUNT, acct);
    a->tracked = tracked;
    item_set(&a->handle, tracked ? "@other" : "@searcher");
    for (size_t i = 0; i < n; i++) {
        struct item *it =
            batch_item(&b, PLATFORM_YOUTUBE, ITEM_CONTENT, v[i].id);
        item_set(&it->account_ext_id, acct);
        item_set(&it->title, v[i].title);
        item_set(&it->description, v[i].desc);
        it->published_at = v[i].published;
        it->tracked = tracked;
        assert_int_equal(metrics_set_i64(&item_snapshot_at(it, TU_OBSERVED)
                                              ->metrics,
                                         M_VIEWS, v[i].views),
                         ERR_OK);
    }
    if (store_ingest(st, &b, &m, &s, &err) != ERR_OK)
        fail_msg("ingest: %s", buf_cstr(&err));
    batch_free(&b);
    buf_free(&err);
    return s.import_id;
}

#define DAY 86400
static const struct fx_item fixture[] = {
    {"vDesc", "Morning routine", "we talk about sourdough bread at length",
     TU_OBSERVED - 30 * DAY, 500},
    {"vTitle", "Sourdough bread for beginners", "flour, water, salt",
     TU_OBSERVED - 20 * DAY, 100},
    {"vBoth", "Sourdough starter", "sourdough starter care: feed daily",
     TU_OBSERVED - 10 * DAY, 50},
    {"vCafe", "Café crème <b>&</b> croissants", "Paris, tôt le matin",
     TU_OBSERVED - 5 * DAY, 900},
    {"vSurf", "Surfing the north shore", "big waves #surf #hawaii",
     TU_OBSERVED - 2 * DAY, 10},
};
#define NFIX (sizeof fixture / sizeof fixture[0])

static int setup(void **state)
{
    tu_store_setup(state);
    ingest(((struct tu_store_fx *)*state)->st, fixture, NFIX, false);
    return 0;
}

/* ---- parser ----------------------------------------------------------- */

static void test_parse_terms(void **state)
{
    struct search_parsed p;
    struct buf err;

    (void)state;
    buf_init(&err, 1024);
    assert_int_equal(search_parse("surf* \"big  waves\" ok\"x", &p, &err),
                     ERR_OK);
    assert_int_equal(p.n, 3);
    assert_string_equal(p.terms[0].text, "surf");
    assert_true(p.terms[0].prefix && !p.terms[0].phrase);
    assert_string_equal(p.terms[1].text, "big  waves");
    assert_true(p.terms[1].phrase && !p.terms[1].prefix);
    assert_string_equal(p.terms[2].text, "ok\"x");
    assert_int_equal(p.index, SEARCH_INDEX_WORDS);
    search_parsed_free(&p);
    assert_int_equal(search_parse("\"big wav\"*", &p, &err), ERR_OK);
    assert_true(p.terms[0].phrase && p.terms[0].prefix);
    search_parsed_free(&p);
    /* CJK: 3+ characters go to trigrams, shorter ones are word prefixes */
    assert_int_equal(search_parse("文化部", &p, &err), ERR_OK);
    assert_int_equal(p.index, SEARCH_INDEX_TRIGRAM);
    search_parsed_free(&p);
    assert_int_equal(search_parse("映倫", &p, &err), ERR_OK);
    assert_int_equal(p.index, SEARCH_INDEX_WORDS);
    assert_true(p.terms[0].prefix);
    search_parsed_free(&p);
    buf_free(&err);
}

static void test_parse_refusals(void **state)
{
    static const char *const bad[] = {"", "   ", "\" \"", "*", "^ : ( )",
                                      "\xff\xfe", "\xc0\xaf", "\xed\xa0\x80"};
    struct search_parsed p;
    struct buf err;
    char many[200] = "", *big = malloc(10001);

    (void)state;
    buf_init(&err, 1024);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(search_parse(bad[i], &p, &err), ERR_INVALID);
        assert_non_null(strstr(buf_cstr(&err), "q: "));
        search_parsed_free(&p);
    }
    memset(big, 'a', 10000);
    big[10000] = '\0';
    assert_int_equal(search_parse(big, &p, &err), ERR_INVALID);
    assert_non_null(strstr(buf_cstr(&err), "at most 256"));
    search_parsed_free(&p);
    for (int i = 0; i < 17; i++)
        memcpy(many + 2 * i, "w ", 3);
    assert_int_equal(search_parse(many, &p, &err), ERR_INVALID);
    assert_non_null(strstr(buf_cstr(&err), "more than 16 terms"));
    search_parsed_free(&p);
    free(big);
    buf_free(&err);
}

/* FTS5 syntax in user text is text: never a syntax error, never an
 * operator. Each query runs against the store and must answer OK (or a
 * refusal for text without words), never ERR_DB. */
static void test_hostile_queries(void **state)
{
    struct tu_store_fx *f = *state;
    static const char *const q[] = {
        "\"", "\"\"\"", "sourdough\"", "NEAR(sourdough bread)",
        "sourdough NEAR bread", "title:sourdough", "{title}:bread",
        "^sourdough", "sourdough OR morning", "NOT bread", "bread AND",
        "(bread", "bread)", "-bread", "+bread", "bread*)", "*bread",
        "a\"b\"c", "'; DROP TABLE item; --", "\\\"", "bread:*", "\x01\x02x",
    };
    struct search_request r;
    struct buf got;
    enum err rc;

    buf_init(&got, 1 << 16);
    for (size_t i = 0; i < sizeof q / sizeof q[0]; i++) {
        r = req_of(q[i]);
        rc = ids(f->st, &r, &got, NULL);
        if (rc != ERR_OK && rc != ERR_INVALID)
            fail_msg("query %s: %s", q[i], err_str(rc));
    }
    /* the operators are words to find: "OR" must be in the text too */
    expect_ids(f->st, "sourdough OR morning", "");
    /* a column filter would find vDesc: it is the phrase "description
     * bread" instead */
    expect_ids(f->st, "description:bread", "");
    expect_ids(f->st, "morning:routine", "vDesc");
    expect_ids(f->st, "NOT bread", "");
    buf_free(&got);
}

/* ---- ranking, snippets, prefix, phrase ------------------------------- */

static void test_ranking(void **state)
{
    struct tu_store_fx *f = *state;

    /* title (weight 10) before description (1); vBoth has it in both */
    expect_ids(f->st, "sourdough", "vBoth vTitle vDesc");
    expect_ids(f->st, "bread", "vTitle vDesc");
    /* diacritics folded both ways */
    expect_ids(f->st, "cafe creme", "vCafe");
    expect_ids(f->st, "CAFÉ", "vCafe");
    /* hashtags are words of the description */
    expect_ids(f->st, "hawaii", "vSurf");
}

static void test_prefix_phrase(void **state)
{
    struct tu_store_fx *f = *state;

    expect_ids(f->st, "surf", "vSurf"); /* #surf */
    expect_ids(f->st, "sour", "");
    expect_ids(f->st, "sour*", "vBoth vTitle vDesc");
    expect_ids(f->st, "\"sourdough bread\"", "vTitle vDesc");
    expect_ids(f->st, "\"bread sourdough\"", "");
    expect_ids(f->st, "\"sourdough bre\"*", "vTitle vDesc");
    expect_ids(f->st, "\"north shore\" waves", "vSurf");
}

static void test_snippets(void **state)
{
    struct tu_store_fx *f = *state;
    struct search_request q = req_of("croissants");
    struct search_result r;
    struct buf got, html;

    buf_init(&got, 1 << 16);
    buf_init(&html, 1 << 16);
    assert_int_equal(ids(f->st, &q, &got, &r), ERR_OK);
    assert_int_equal(r.n, 1);
    assert_string_equal(r.rows[0].title_marked,
                        "Café crème <b>&</b> " SEARCH_MARK_OPEN
                        "croissants" SEARCH_MARK_CLOSE);
    assert_int_equal(search_marked_html(r.rows[0].title_marked, &html),
                     ERR_OK);
    assert_string_equal(buf_cstr(&html), "Café crème &lt;b&gt;&amp;&lt;/b&gt; "
                                         "<mark>croissants</mark>");
    search_result_free(&r);
    q = req_of("feed");
    assert_int_equal(ids(f->st, &q, &got, &r), ERR_OK);
    assert_int_equal(r.n, 1);
    assert_string_equal(r.rows[0].snippet, "sourdough starter care: "
                        SEARCH_MARK_OPEN "feed" SEARCH_MARK_CLOSE " daily");
    assert_string_equal(r.rows[0].title_marked, "Sourdough starter");
    assert_int_equal(r.rows[0].views, 50);
    search_result_free(&r);
    /* a stray mark in the text never yields markup */
    buf_reset(&html);
    assert_int_equal(search_marked_html("a" SEARCH_MARK_CLOSE "<i>"
                                        SEARCH_MARK_OPEN "b", &html), ERR_OK);
    assert_string_equal(buf_cstr(&html), "a&lt;i&gt;<mark>b</mark>");
    buf_free(&html);
    buf_free(&got);
}

/* ---- filters and sorts ------------------------------------------------ */

static void test_filters_sorts(void **state)
{
    struct tu_store_fx *f = *state;
    static const struct fx_item other[] = {
        {"vOther", "Sourdough secrets", "", TU_OBSERVED - DAY, 7}};
    struct search_request q = req_of("sourdough");
    struct buf got;

    buf_init(&got, 1 << 16);
    ingest(f->st, other, 1, true);
    /* a short title weighs more (BM25 normalises by length) */
    expect_ids(f->st, "sourdough", "vOther vBoth vTitle vDesc");
    q.role = SEARCH_ROLE_TRACKED;
    assert_int_equal(ids(f->st, &q, &got, NULL), ERR_OK);
    assert_string_equal(buf_cstr(&got), "vOther");
    q.role = SEARCH_ROLE_OWN;
    q.sort = SEARCH_SORT_VIEWS;
    assert_int_equal(ids(f->st, &q, &got, NULL), ERR_OK);
    assert_string_equal(buf_cstr(&got), "vDesc vTitle vBoth");
    q.sort = SEARCH_SORT_PUBLISHED;
    q.role = SEARCH_ROLE_ANY;
    q.from = TU_OBSERVED - 25 * DAY;
    q.to = TU_OBSERVED - 5 * DAY;
    assert_int_equal(ids(f->st, &q, &got, NULL), ERR_OK);
    assert_string_equal(buf_cstr(&got), "vBoth vTitle");
    q = req_of("sourdough");
    q.account = "@other";
    assert_int_equal(ids(f->st, &q, &got, NULL), ERR_OK);
    assert_string_equal(buf_cstr(&got), "vOther");
    q.account = "UCsearch";
    q.limit = 1;
    q.offset = 1;
    struct search_result r;
    assert_int_equal(ids(f->st, &q, &got, &r), ERR_OK);
    assert_string_equal(buf_cstr(&got), "vTitle");
    assert_int_equal(r.total, 3);
    search_result_free(&r);
    q = req_of("sourdough");
    q.platform = "instagram";
    assert_int_equal(ids(f->st, &q, &got, NULL), ERR_OK);
    assert_string_equal(buf_cstr(&got), "");
    q = req_of("sourdough");
    q.limit = 101;
    assert_int_equal(ids(f->st, &q, &got, NULL), ERR_INVALID);
    buf_free(&got);
}

/* An updated title is found by its new words only; a removed import
 * takes its items out of the index (the same transactions). */
static void test_kept_current(void **state)
{
    struct tu_store_fx *f = *state;
    static const struct fx_item renamed[] = {
        {"vSurf", "Kitesurfing lessons", NULL, TU_OBSERVED - 2 * DAY, 11}};
    static const struct fx_item later[] = {
        {"vLater", "Rye sourdough", "", TU_OBSERVED - DAY, 3}};
    struct store_removed out;
    struct buf err;
    int64_t id;

    ingest(f->st, renamed, 1, false);
    expect_ids(f->st, "north", "");
    expect_ids(f->st, "kitesurfing", "vSurf");
    expect_ids(f->st, "hawaii", "vSurf"); /* description kept */
    id = ingest(f->st, later, 1, false);
    assert_true(id > 0);
    expect_ids(f->st, "rye", "vLater");
    buf_init(&err, 1024);
    if (store_import_remove(f->st, id, "test", TU_OBSERVED, &out, &err) !=
        ERR_OK)
        fail_msg("remove: %s", buf_cstr(&err));
    assert_int_equal(out.items, 1);
    expect_ids(f->st, "rye", "");
    expect_ids(f->st, "sourdough", "vBoth vTitle vDesc");
    buf_free(&err);
}

/* ---- non-Latin text from the real captures ---------------------------- */

/* The string at the JSON pointer-like path of the real file rel, or NULL
 * (skip) when the folder is absent. Caller frees. */
static char *real_string(const char *rel, const char *const *keys,
                         const int *idx, size_t n)
{
    char *path = tu_realdata_path(rel), *out = NULL;
    json_error_t je;
    json_t *root, *v;

    if (path == NULL)
        return NULL;
    root = json_load_file(path, 0, &je);
    if (root == NULL)
        fail_msg("%s: %s", path, je.text);
    v = root;
    for (size_t i = 0; i < n && v != NULL; i++)
        v = keys[i] != NULL ? json_object_get(v, keys[i])
                            : json_array_get(v, (size_t)idx[i]);
    assert_true(json_is_string(v));
    out = strdup(json_string_value(v));
    json_decref(root);
    free(path);
    return out;
}

/* A string to set in a capture: keys (NULL: array element 0), n deep. */
struct edit {
    const char *const *keys;
    size_t n;
    const char *value;
};

/* The string e's path names set to its value. */
static void edit_apply(json_t *root, const struct edit *e)
{
    json_t *v = root;

    for (size_t i = 0; i + 1 < e->n; i++)
        v = e->keys[i] != NULL ? json_object_get(v, e->keys[i])
                               : json_array_get(v, 0);
    assert_int_equal(json_object_set_new(v, e->keys[e->n - 1],
                                         json_string(e->value)), 0);
}

/* The real capture rel (../shared/realdata) with the nedits edits,
 * through the real parser (source_parse) and ingest. false when the
 * folder is absent (skip). */
static bool import_real(struct store *st, const char *rel,
                        const struct edit *edits, size_t nedits)
{
    char *path = tu_realdata_path(rel), *text;
    struct source_opts o = {0};
    struct import_meta m = {.source = "realdata", .format = "x",
                            .imported_at = TU_OBSERVED};
    struct ingest_stats s;
    struct buf err;
    json_error_t je;
    json_t *root;
    struct batch b;
    const char *format = NULL;

    if (path == NULL)
        return false;
    root = json_load_file(path, 0, &je);
    if (root == NULL)
        fail_msg("%s: %s", path, je.text);
    for (size_t i = 0; i < nedits; i++)
        edit_apply(root, &edits[i]);
    text = json_dumps(root, 0);
    o.observed_at = TU_OBSERVED;
    batch_init(&b);
    buf_init(&err, 8192);
    if (source_parse(text, strlen(text), &o, &b, &format, &err) != ERR_OK ||
        store_ingest(st, &b, &m, &s, &err) != ERR_OK)
        fail_msg("%s: %s", rel, buf_cstr(&err));
    batch_free(&b);
    buf_free(&err);
    free(text);
    json_decref(root);
    free(path);
    return true;
}

/* Non-Latin and accented titles of the real captures, through the real
 * parsers and ingest:
 *  - Twitch: the streams (emoji titles) and videos (a title with "ë")
 *    pages as they are; the only Cyrillic title (a channel's, 2023) is in
 *    a search/channels page, which the parser refuses by design (other
 *    people's channels), so it goes in as the title of the real streams
 *    page's first stream (41574619358);
 *  - YouTube: the real single video (videos.list) with the Japanese and
 *    Chinese rating descriptions of the discovery document (the only CJK
 *    text in ../shared/realdata) as its title and description. */
static void test_non_latin_real(void **state)
{
    struct tu_store_fx *f = *state;
    static const char *const k_ru[] = {"data", NULL, "title"};
    static const int i_ru[] = {0, 0, 0};
    static const char *const k_eirin[] = {
        "schemas", "ContentRating", "properties", "eirinRating",
        "description"};
    static const char *const k_moctw[] = {
        "schemas", "ContentRating", "properties", "moctwRating",
        "description"};
    static const char *const k_title[] = {"items", NULL, "snippet", "title"};
    static const char *const k_desc[] = {"items", NULL, "snippet",
                                         "description"};
    static const int i0[] = {0, 0, 0, 0, 0};
    char *ru = real_string("twitch/helix_search_channels_2023-07.json", k_ru,
                           i_ru, 3);
    char *eirin, *moctw;
    struct tu_parsed p;
    struct ingest_stats s;
    struct import_meta m = {.source = "chart", .format = "x",
                            .imported_at = TU_OBSERVED};

    if (ru == NULL)
        skip();
    eirin = real_string("youtube/youtube.v3.discovery.json", k_eirin, i0, 5);
    moctw = real_string("youtube/youtube.v3.discovery.json", k_moctw, i0, 5);
    {
        const struct edit e_ru[] = {{k_ru, 3, ru}};
        const struct edit e_cjk[] = {{k_title, 4, eirin},
                                     {k_desc, 4, moctw}};
        assert_true(import_real(f->st, "twitch/helix_streams_top20_2021-02"
                                ".json", e_ru, 1));
        assert_true(import_real(f->st, "twitch/helix_videos_user_id_2022-11"
                                "_stream_id_muted_segments.json", NULL, 0));
        assert_true(import_real(f->st, "youtube/videos_list_snippet_player_"
                                "single.json", e_cjk, 2));
    }
    /* unicode61: Возвращаю Честь и открываю кейсы...: case folded */
    expect_ids(f->st, "честь", "41574619358");
    expect_ids(f->st, "ЧЕСТЬ КЕЙСЫ", "41574619358");
    expect_ids(f->st, "\"открываю кейсы\"", "41574619358");
    expect_ids(f->st, "откры*", "41574619358");
    /* ...& Kingël...: the diacritic and the case folded away, both ways */
    expect_ids(f->st, "kingel", "1652166914");
    expect_ids(f->st, "KINGËL", "1652166914");
    /* the other streams' real titles, emoji and all */
    expect_ids(f->st, "humildad", "41571166526");
    /* trigram: ...Ministry of Culture (文化部): 3 characters, also inside
     * a longer run */
    expect_ids(f->st, "文化部", "D-lhorsDlUQ");
    expect_ids(f->st, "化部)", "D-lhorsDlUQ");
    /* 1-2 characters: the word index, as a word's start: the video's
     * Eirin (映倫) rating is the word 映倫; 文化 starts 文化部; 化部 sits
     * inside the run 文化部 and 倫 inside 映倫: not found */
    expect_ids(f->st, "映倫", "D-lhorsDlUQ");
    expect_ids(f->st, "映", "D-lhorsDlUQ");
    expect_ids(f->st, "文化", "D-lhorsDlUQ");
    expect_ids(f->st, "化部", "");
    expect_ids(f->st, "倫", "");
    /* emoji are separators to unicode61: an emoji alone finds nothing,
     * not even the title that holds it (answered, not refused: the
     * parser leaves non-ASCII to the tokenizer) */
    expect_ids(f->st, "😎", "");
    /* the real chart page (titles in English) */
    assert_true(tu_parse_real("youtube/videos_list_chart_page1.json",
                              PLATFORM_YOUTUBE, NULL, &p));
    assert_int_equal(p.rc, ERR_OK);
    assert_int_equal(store_ingest(f->st, &p.b, &m, &s, &f->err), ERR_OK);
    tu_parsed_free(&p);
    expect_ids(f->st, "\"hide and seek\"", "X1jMMFOqxEw");
    expect_ids(f->st, "giddy", "hDeuSfo_Ys0");
    /* words only in YouTube's snippet.tags (item.tags, the tags column) */
    expect_ids(f->st, "spielberg extraterrestrial", "Pdgk3ERKdug");
    {
        struct search_request q = req_of("spielberg");
        struct search_result r;
        struct buf got;
        buf_init(&got, 1024);
        assert_int_equal(ids(f->st, &q, &got, &r), ERR_OK);
        assert_int_equal(r.n, 1);
        assert_non_null(r.rows[0].tags);
        assert_non_null(strstr(r.rows[0].tags, "E.T. holiday Christmas "
                                                "Spielberg"));
        search_result_free(&r);
        buf_free(&got);
    }
    free(ru);
    free(eirin);
    free(moctw);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_terms),
        cmocka_unit_test(test_parse_refusals),
        cmocka_unit_test_setup_teardown(test_hostile_queries, setup,
                                        tu_store_teardown),
        cmocka_unit_test_setup_teardown(test_ranking, setup,
                                        tu_store_teardown),
        cmocka_unit_test_setup_teardown(test_prefix_phrase, setup,
                                        tu_store_teardown),
        cmocka_unit_test_setup_teardown(test_snippets, setup,
                                        tu_store_teardown),
        cmocka_unit_test_setup_teardown(test_filters_sorts, setup,
                                        tu_store_teardown),
        cmocka_unit_test_setup_teardown(test_kept_current, setup,
                                        tu_store_teardown),
        cmocka_unit_test_setup_teardown(test_non_latin_real, setup,
                                        tu_store_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
