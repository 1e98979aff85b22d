/* Which files one post may carry per platform (media_mix.h): counts,
 * kinds, image types, a TikTok photo post's text limits counted in
 * UTF-16 units, and that sched_post_build applies the rule. */
#include "testutil.h"

#include <string.h>

#include "schedule/media_mix.h"
#include "schedule/post.h"

#define SHA "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"

static struct sched_media file(const char *ctype)
{
    return (struct sched_media){"/m/f", SHA, 10, ctype};
}

/* The rule's verdict on files of these types; *param and err filled. */
static enum err verdict(const char *platform, const char *const *types,
                        size_t n, const char *title, const char **param,
                        struct buf *err)
{
    struct sched_media m[12];
    for (size_t i = 0; i < n; i++)
        m[i] = file(types[i]);
    *param = NULL;
    buf_reset(err);
    return media_mix_check(platform, m, n, false, title, "", param, err);
}

static void test_instagram(void **state)
{
    static const char *const car[] = {"image/jpeg", "image/jpeg", "video/mp4"};
    static const char *const png[] = {"image/jpeg", "image/png"};
    const char *const ten[10] = {"image/jpeg", "image/jpeg", "image/jpeg",
                                 "image/jpeg", "image/jpeg", "video/mp4",
                                 "video/mp4", "image/jpeg", "image/jpeg",
                                 "video/quicktime"};
    const char *const eleven[11] = {"image/jpeg", "image/jpeg", "image/jpeg",
                                    "image/jpeg", "image/jpeg", "image/jpeg",
                                    "image/jpeg", "image/jpeg", "image/jpeg",
                                    "image/jpeg", "image/jpeg"};
    const char *param;
    struct buf err;
    (void)state;
    buf_init(&err, 1024);
    assert_int_equal(verdict("instagram", car, 3, "t", &param, &err), ERR_OK);
    assert_int_equal(verdict("instagram", car, 1, "t", &param, &err), ERR_OK);
    assert_int_equal(verdict("instagram", ten, 10, "t", &param, &err), ERR_OK);
    assert_int_equal(verdict("instagram", eleven, 11, "t", &param, &err),
                     ERR_INVALID);
    assert_string_equal(param, "media");
    assert_int_equal(verdict("instagram", png, 2, "t", &param, &err),
                     ERR_INVALID);
    assert_string_equal(param, "media.content_type");
    assert_string_equal(buf_cstr(&err), "media.content_type: Instagram takes "
                        "JPEG images only (file 2 is image/png)");
    buf_free(&err);
}

static void test_tiktok(void **state)
{
    static const char *const photos[] = {"image/jpeg", "image/webp",
                                         "image/jpeg"};
    static const char *const mixed[] = {"image/jpeg", "video/mp4"};
    static const char *const two[] = {"video/mp4", "video/mp4"};
    static const char *const other[] = {"application/pdf"};
    const char *param;
    struct buf err;
    (void)state;
    buf_init(&err, 1024);
    assert_int_equal(verdict("tiktok", photos, 3, "t", &param, &err), ERR_OK);
    assert_int_equal(verdict("tiktok", two, 1, "t", &param, &err), ERR_OK);
    assert_int_equal(verdict("tiktok", mixed, 2, "t", &param, &err),
                     ERR_INVALID);
    assert_string_equal(param, "media");
    assert_non_null(strstr(buf_cstr(&err), "not both"));
    assert_int_equal(verdict("tiktok", two, 2, "t", &param, &err),
                     ERR_INVALID);
    assert_string_equal(param, "media");
    assert_int_equal(verdict("tiktok", other, 1, "t", &param, &err),
                     ERR_INVALID);
    assert_string_equal(param, "media.content_type");
    buf_free(&err);
}

static void test_photo_text(void **state)
{
    static const char *const photo[] = {"image/jpeg"};
    static const char *const video[] = {"video/mp4"};
    struct buf t;
    const char *param, *title;
    struct buf err;
    (void)state;
    buf_init(&err, 1024);
    buf_init(&t, 1024);
    /* 45 characters outside the BMP: 90 UTF-16 units, 180 bytes */
    for (int i = 0; i < 45; i++)
        assert_int_equal(buf_puts(&t, "\xf0\x9f\x98\x80"), ERR_OK);
    title = buf_cstr(&t);
    assert_int_equal(media_mix_utf16_len(title), 90);
    assert_int_equal(verdict("tiktok", photo, 1, title, &param, &err), ERR_OK);
    assert_int_equal(buf_puts(&t, "a"), ERR_OK);
    title = buf_cstr(&t);
    assert_int_equal(verdict("tiktok", photo, 1, title, &param, &err),
                     ERR_INVALID);
    assert_string_equal(param, "title");
    assert_non_null(strstr(buf_cstr(&err), "(this one has 91)"));
    /* a video post's title is not a photo post's */
    assert_int_equal(verdict("tiktok", video, 1, title, &param, &err), ERR_OK);
    assert_int_equal(media_mix_utf16_len("\xc3\xa9t\xc3\xa9"), 3);
    assert_int_equal(media_mix_utf16_len(""), 0);
    assert_int_equal(media_mix_utf16_len(NULL), 0);
    buf_free(&t);
    buf_free(&err);
}

static void test_youtube_and_others(void **state)
{
    static const char *const img[] = {"image/jpeg"};
    static const char *const two[] = {"video/mp4", "video/webm"};
    const char *param;
    struct buf err;
    (void)state;
    buf_init(&err, 1024);
    assert_int_equal(verdict("youtube", two, 1, "t", &param, &err), ERR_OK);
    assert_int_equal(verdict("youtube", two, 2, "t", &param, &err),
                     ERR_INVALID);
    assert_int_equal(verdict("youtube", img, 1, "t", &param, &err),
                     ERR_INVALID);
    assert_string_equal(param, "media.content_type");
    assert_null(media_mix_find("dryrun"));
    assert_int_equal(verdict("dryrun", two, 2, "t", &param, &err), ERR_OK);
    buf_free(&err);
}

/* sched_post_build applies the rule, naming the field. */
static void test_build_applies_it(void **state)
{
    struct sched_media m[2] = {file("video/mp4"), file("image/jpeg")};
    struct sched_input in = {.platform = "tiktok", .account = "tt1",
                             .title = "t", .at = "2030-01-01 10:00",
                             .zone = "UTC", .media = m, .nmedia = 2};
    struct post p;
    struct buf note, err;
    const char *param = NULL;
    (void)state;
    buf_init(&note, 1024);
    buf_init(&err, 1024);
    assert_int_equal(sched_post_build(&in, &p, &note, &param, &err),
                     ERR_INVALID);
    assert_string_equal(param, "media");
    in.platform = "instagram"; /* a carousel of a video and an image */
    assert_int_equal(sched_post_build(&in, &p, &note, &param, &err), ERR_OK);
    assert_non_null(strstr(p.media, "image/jpeg"));
    post_free(&p);
    buf_free(&note);
    buf_free(&err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_instagram),
        cmocka_unit_test(test_tiktok),
        cmocka_unit_test(test_photo_text),
        cmocka_unit_test(test_youtube_and_others),
        cmocka_unit_test(test_build_applies_it),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
