/* The YouTube publisher's pure parts: the videos.insert metadata (held
 * with publishAt when uploaded ahead of time), the 308 Range header, and
 * the configurable backoff base of the retry policy. The upload itself is
 * tested over HTTP against the fake server (test_publish_youtube.sh). */
#include "testutil.h"

#include <jansson.h>
#include <string.h>

#include "platforms/youtube/publish.h"
#include "schedule/schedule.h"

static struct post sample(const char *privacy, const char *tags)
{
    struct post p = {0};
    p.title = (char *)"Run \"any%\"";
    p.caption = (char *)"line 1\nline 2";
    p.tags = (char *)tags;
    p.privacy = (char *)privacy;
    p.publish_at = 1795600000;
    return p;
}

static json_t *metadata(const struct post *p, int64_t now)
{
    struct buf out;
    json_error_t je;
    json_t *root;

    buf_init(&out, 65536);
    assert_int_equal(youtube_upload_metadata(p, now, &out), ERR_OK);
    root = json_loads(buf_cstr(&out), 0, &je);
    assert_non_null(root);
    buf_free(&out);
    return root;
}

static const char *str_at(json_t *root, const char *obj, const char *key)
{
    return json_string_value(json_object_get(json_object_get(root, obj), key));
}

static void test_metadata_due(void **state)
{
    struct post p = sample("public", "[\"speedrun\",\"clip\"]");
    json_t *root = metadata(&p, p.publish_at + 5), *tags;
    (void)state;
    assert_string_equal(str_at(root, "snippet", "title"), "Run \"any%\"");
    assert_string_equal(str_at(root, "snippet", "description"),
                        "line 1\nline 2");
    tags = json_object_get(json_object_get(root, "snippet"), "tags");
    assert_int_equal(json_array_size(tags), 2);
    assert_string_equal(json_string_value(json_array_get(tags, 1)), "clip");
    assert_string_equal(str_at(root, "status", "privacyStatus"), "public");
    assert_null(str_at(root, "status", "publishAt"));
    json_decref(root);
}

static void test_metadata_held(void **state)
{
    struct post p = sample("unlisted", "[]");
    json_t *root = metadata(&p, p.publish_at - 600);
    (void)state;
    /* ahead of its time: private until YouTube publishes it at publishAt */
    assert_string_equal(str_at(root, "status", "privacyStatus"), "private");
    assert_string_equal(str_at(root, "status", "publishAt"),
                        "2026-11-25T09:46:40Z");
    json_decref(root);
    p = sample("private", "[]");
    root = metadata(&p, p.publish_at - 600);
    assert_string_equal(str_at(root, "status", "privacyStatus"), "private");
    assert_null(str_at(root, "status", "publishAt")); /* nothing to hold */
    json_decref(root);
}

static void test_metadata_bad_tags(void **state)
{
    struct post p = sample("public", "[1]");
    struct buf out;
    (void)state;
    buf_init(&out, 65536);
    assert_int_equal(youtube_upload_metadata(&p, 0, &out), ERR_PARSE);
    p.tags = (char *)"{\"a\":1}";
    buf_reset(&out);
    assert_int_equal(youtube_upload_metadata(&p, 0, &out), ERR_PARSE);
    buf_free(&out);
}

static void test_range(void **state)
{
    int64_t got = -1;
    (void)state;
    assert_int_equal(youtube_parse_range("", 1000, &got), ERR_OK);
    assert_int_equal(got, 0);
    assert_int_equal(youtube_parse_range("bytes=0-262143", 700000, &got),
                     ERR_OK);
    assert_int_equal(got, 262144);
    assert_int_equal(youtube_parse_range("bytes=0-699999", 700000, &got),
                     ERR_OK);
    assert_int_equal(got, 700000);
    /* more than the file, not from 0, not a range */
    assert_int_equal(youtube_parse_range("bytes=0-700000", 700000, &got),
                     ERR_PARSE);
    assert_int_equal(youtube_parse_range("bytes=5-10", 700000, &got),
                     ERR_PARSE);
    assert_int_equal(youtube_parse_range("0-10", 700000, &got), ERR_PARSE);
    assert_int_equal(youtube_parse_range("bytes=0-", 700000, &got), ERR_PARSE);
    assert_int_equal(youtube_parse_range("bytes=0-1x", 700000, &got),
                     ERR_PARSE);
}

static void test_backoff_base(void **state)
{
    int64_t d;
    (void)state;
    assert_int_equal(sched_next_step_base(PUB_RETRY, 1, 0, 0, 1, &d),
                     SCHED_NEXT_RETRY);
    assert_int_equal(d, 1);
    assert_int_equal(sched_next_step_base(PUB_RETRY, 3, 0, 0, 1, &d),
                     SCHED_NEXT_RETRY);
    assert_int_equal(d, 4);
    assert_int_equal(sched_next_step_base(PUB_RATE_LIMITED, 1, 10, 0, 1, &d),
                     SCHED_NEXT_RETRY);
    assert_int_equal(d, 10);
    /* 0: the default base */
    assert_int_equal(sched_next_step_base(PUB_RETRY, 1, 0, 0, 0, &d),
                     SCHED_NEXT_RETRY);
    assert_int_equal(d, SCHED_BACKOFF_BASE_S);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_metadata_due),
        cmocka_unit_test(test_metadata_held),
        cmocka_unit_test(test_metadata_bad_tags),
        cmocka_unit_test(test_range),
        cmocka_unit_test(test_backoff_base),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
