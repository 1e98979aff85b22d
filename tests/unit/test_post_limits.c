/* The platforms' text limits (schedule/post_limits.h): counting as the
 * Compose page counts (the same vectors, tests/data/compose/
 * text_counts.json, run in node by tests/web/test_compose_check.mjs),
 * every problem of a post at once (sched_post_build_all), and near
 * duplicates. */
#include "testutil.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "schedule/post.h"
#include "schedule/post_limits.h"

static void test_count_vectors(void **state)
{
    char *path = tu_data_path("compose/text_counts.json");
    json_t *a = json_load_file(path, 0, NULL), *v;
    size_t i;

    (void)state;
    assert_non_null(a);
    assert_true(json_array_size(a) >= 10);
    json_array_foreach(a, i, v)
    {
        const char *t = json_string_value(json_object_get(v, "text"));
        assert_non_null(t);
        assert_int_equal(post_text_chars(t),
                         json_integer_value(json_object_get(v, "chars")));
        assert_int_equal(post_text_utf16(t),
                         json_integer_value(json_object_get(v, "utf16")));
        assert_int_equal(strlen(t),
                         json_integer_value(json_object_get(v, "bytes")));
        assert_int_equal(post_text_hashtags(t),
                         json_integer_value(json_object_get(v, "hashtags")));
        assert_int_equal(post_text_mentions(t),
                         json_integer_value(json_object_get(v, "mentions")));
    }
    json_decref(a);
    free(path);
}

/* n copies of unit (UTF-8) in a heap string. */
static char *repeat(const char *unit, size_t n)
{
    size_t u = strlen(unit);
    char *s = xmalloc(u * n + 1);
    for (size_t i = 0; i < n; i++)
        memcpy(s + i * u, unit, u);
    s[u * n] = '\0';
    return s;
}

static bool names(const struct post_issues *is, const char *param,
                  const char *part)
{
    for (size_t i = 0; i < is->n; i++)
        if (strcmp(is->v[i].param, param) == 0 &&
            strstr(is->v[i].message, part) != NULL)
            return true;
    return false;
}

static void test_limits_edges(void **state)
{
    struct post_issues is;
    char *t100 = repeat("é", 100), *t101 = repeat("é", 101);
    char *d5000 = repeat("x", 5000), *d5001 = repeat("x", 5001);
    char *c2200 = repeat("😀", 1100), *c2201 = repeat("😀", 1101);
    char *h30 = repeat("#a ", 30), *h31 = repeat("#a ", 31);
    char *m20 = repeat("@a ", 20), *m21 = repeat("@a ", 21);
    const char *tags[] = {"a b", "c"}; /* "a b",c = 5 + 1 + 1 = 7 */

    (void)state;
    post_issues_init(&is);
    post_limits_check("youtube", t100, d5000, NULL, 0, &is);
    assert_int_equal(is.n, 0); /* 100 characters (200 bytes), 5000 bytes */
    post_limits_check("youtube", t101, d5001, NULL, 0, &is);
    assert_int_equal(is.n, 2);
    assert_true(names(&is, "title", "101 characters; youtube allows 100"));
    assert_true(names(&is, "caption", "5001 bytes; youtube allows 5000"));
    post_issues_free(&is);
    post_limits_check("youtube", "a <b>", "c > d", NULL, 0, &is);
    assert_true(names(&is, "title", "< and >"));
    assert_true(names(&is, "caption", "< and > in a description"));
    post_issues_free(&is);
    assert_int_equal(post_tags_chars(tags, 2), 7);
    /* TikTok counts UTF-16: 1100 emoji are 2200, 1101 are 2202. */
    post_limits_check("tiktok", "t", c2200, NULL, 0, &is);
    assert_int_equal(is.n, 0);
    post_limits_check("tiktok", "t", c2201, NULL, 0, &is);
    assert_true(names(&is, "caption", "2202 UTF-16 characters"));
    post_issues_free(&is);
    /* Instagram counts characters: 1101 emoji are fine there. */
    post_limits_check("instagram", "t", c2201, NULL, 0, &is);
    assert_int_equal(is.n, 0);
    post_limits_check("instagram", "t", h30, NULL, 0, &is);
    post_limits_check("instagram", "t", m20, NULL, 0, &is);
    assert_int_equal(is.n, 0);
    post_limits_check("instagram", "t", h31, NULL, 0, &is);
    post_limits_check("instagram", "t", m21, NULL, 0, &is);
    assert_true(names(&is, "caption", "31 hashtags; instagram allows 30"));
    assert_true(names(&is, "caption", "21 @mentions; instagram allows 20"));
    post_issues_free(&is);
    /* An empty caption sends the title: its hashtags are the caption's. */
    post_limits_check("instagram", h31, "", NULL, 0, &is);
    assert_true(names(&is, "title", "31 hashtags"));
    post_issues_free(&is);
    post_limits_check("dryrun", t101, d5001, NULL, 0, &is);
    assert_int_equal(is.n, 0);
    free(t100), free(t101), free(d5000), free(d5001), free(c2200);
    free(c2201), free(h30), free(h31), free(m20), free(m21);
}

/* A post with four problems gets all four, each naming its field; the
 * first-only API (sched_post_build) names the first. */
static void test_every_problem(void **state)
{
    char *title = repeat("x", 101);
    const char *tags[] = {"ok", "bad,tag"};
    struct sched_media m = {"/m/clip.mp4", "nothex", 1, "video/mp4"};
    struct sched_input in = {.platform = "youtube", .account = "UC1",
                             .title = title, .caption = "x<y",
                             .at = "2099-07-01 09:30", .zone = "Mars/Base",
                             .tags = tags, .ntags = 2, .media = &m,
                             .nmedia = 1};
    struct post_issues is;
    struct post p;
    struct buf note, err;
    const char *param = NULL;

    (void)state;
    buf_init(&note, 1024);
    buf_init(&err, 1024);
    post_issues_init(&is);
    assert_int_not_equal(sched_post_build_all(&in, &p, &note, &is), ERR_OK);
    assert_true(names(&is, "tags", "without commas"));
    assert_true(names(&is, "media.sha256", "64 lowercase hex"));
    assert_true(names(&is, "zone", "Mars/Base"));
    assert_int_equal(is.n, 3); /* the platform limits wait for valid tags */
    post_issues_free(&is);
    in.ntags = 1;
    assert_int_not_equal(sched_post_build_all(&in, &p, &note, &is), ERR_OK);
    assert_true(names(&is, "title", "101 characters"));
    assert_true(names(&is, "caption", "< and >"));
    assert_int_equal(is.n, 4);
    assert_null(p.platform);
    post_issues_free(&is);
    assert_int_not_equal(sched_post_build(&in, &p, &note, &param, &err),
                         ERR_OK);
    assert_string_equal(param, "title");
    assert_non_null(strstr(buf_cstr(&err), "youtube allows 100"));
    buf_free(&note);
    buf_free(&err);
    free(title);
}

static void test_near_duplicate(void **state)
{
    struct post a = {.id = 1, .platform = "tiktok", .account = "u1",
                     .title = "Launch", .caption = "Hello  World\n",
                     .media = "[{\"sha256\":\"aa\"}]", .publish_at = 100000,
                     .state = POST_SCHEDULED};
    struct post b = a;
    struct buf why;

    (void)state;
    buf_init(&why, 1024);
    b.id = 2;
    b.caption = "hello world";
    b.media = "[{\"sha256\":\"bb\"}]";
    assert_true(post_near_duplicate(&a, &b, &why));
    assert_non_null(strstr(buf_cstr(&why), "post 2"));
    assert_non_null(strstr(buf_cstr(&why), "same time, has the same text"));
    b.caption = "other";
    assert_false(post_near_duplicate(&a, &b, &why)); /* text and media differ */
    b.media = a.media;
    b.publish_at = a.publish_at - 3600;
    assert_true(post_near_duplicate(&a, &b, &why));
    assert_non_null(strstr(buf_cstr(&why), "60 min before this one"));
    b.publish_at = a.publish_at + POST_DUPLICATE_S;
    assert_false(post_near_duplicate(&a, &b, &why)); /* a day apart */
    b.publish_at = a.publish_at;
    b.account = "u2";
    assert_false(post_near_duplicate(&a, &b, &why));
    b.account = a.account;
    b.state = POST_CANCELLED;
    assert_false(post_near_duplicate(&a, &b, &why));
    b.state = POST_PUBLISHED;
    assert_true(post_near_duplicate(&a, &b, &why));
    b.id = a.id; /* itself */
    assert_false(post_near_duplicate(&a, &b, &why));
    buf_free(&why);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_count_vectors),
        cmocka_unit_test(test_limits_edges),
        cmocka_unit_test(test_every_problem),
        cmocka_unit_test(test_near_duplicate),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
