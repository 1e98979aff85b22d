/* Per-platform media limits (schedule/media_limits.h) at their edges,
 * and media_probe's refusals of files that are not media. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "schedule/media.h"
#include "schedule/media_limits.h"
#include "schedule/media_probe.h"

#define MB (1024LL * 1024)
#define GB (1024LL * MB)
#define MIN (60LL * 1000)

struct lcase {
    const char *platform, *ext;
    int64_t bytes, ms;
    bool still;
    const char *field; /* NULL: fits */
    const char *msg;   /* substring of the message */
};

static const struct lcase lcases[] = {
    /* Instagram: Reels 3 s to 15 min, up to 1 GB, MP4/MOV; JPEG <= 8 MB */
    {"instagram", "mp4", 1000, 3000, false, NULL, NULL},
    {"instagram", "mov", 1 * GB, 15 * MIN, false, NULL, NULL},
    {"instagram", "mp4", 1000, 2999, false, "media.duration",
     "Instagram takes 3 s to 15 min"},
    {"instagram", "mp4", 1000, 15 * MIN + 1, false, "media.duration", NULL},
    {"instagram", "mp4", 1 * GB + 1, 60000, false, "media.bytes",
     "over Instagram's 1 GB for a video"},
    {"instagram", "webm", 1000, 60000, false, "media.format",
     "Instagram takes videos as mp4 or mov only, not webm"},
    {"instagram", "mp4", 1000, -1, false, "media.duration", "unknown"},
    {"instagram", "jpg", 8 * MB, -1, true, NULL, NULL},
    {"instagram", "jpg", 8 * MB + 1, -1, true, "media.bytes", "8 MB"},
    {"instagram", "png", 1000, -1, true, "media.format",
     "takes images as jpg only, not png"},
    /* TikTok: MP4/WebM/MOV up to 4 GB and 10 min; photos JPEG/WebP */
    {"tiktok", "webm", 4 * GB, 10 * MIN, false, NULL, NULL},
    {"tiktok", "mp4", 1000, 10 * MIN + 1, false, "media.duration",
     "TikTok takes up to 10 min"},
    {"tiktok", "mov", 4 * GB + 1, 1000, false, "media.bytes", "4 GB"},
    {"tiktok", "mp4", 1000, 500, false, NULL, NULL},
    {"tiktok", "webp", 20 * MB, -1, true, NULL, NULL},
    {"tiktok", "png", 1000, -1, true, "media.format", "jpg or webp"},
    /* YouTube: up to 256 GB and 12 h; no still images */
    {"youtube", "mov", 256 * GB, 12 * 60 * MIN, false, NULL, NULL},
    {"youtube", "mp4", 256 * GB + 1, 1000, false, "media.bytes", "256 GB"},
    {"youtube", "mp4", 1000, 12 * 60 * MIN + 1, false, "media.duration",
     "up to 12 h"},
    {"youtube", "jpg", 1000, -1, true, "media.format",
     "YouTube takes no images"},
};

static void test_limits(void **state)
{
    struct buf err;
    (void)state;
    buf_init(&err, 1024);
    for (size_t i = 0; i < sizeof lcases / sizeof *lcases; i++) {
        const struct lcase *c = &lcases[i];
        const struct media_limits *l = media_limits_of(c->platform);
        struct media_fit_input in = {c->ext, c->bytes, c->ms, c->still};
        const char *field = "unset";
        enum err rc;

        assert_non_null(l);
        rc = media_limits_check(l, &in, &field, &err);
        if (c->field == NULL) {
            if (rc != ERR_OK)
                fail_msg("case %zu: refused: %s", i, buf_cstr(&err));
            assert_null(field);
            continue;
        }
        if (rc != ERR_INVALID || field == NULL || strcmp(field, c->field))
            fail_msg("case %zu: rc %d field %s, want %s", i, rc,
                     field ? field : "(null)", c->field);
        if (c->msg != NULL && strstr(buf_cstr(&err), c->msg) == NULL)
            fail_msg("case %zu: \"%s\" lacks \"%s\"", i, buf_cstr(&err),
                     c->msg);
    }
    buf_free(&err);
}

static void test_registry(void **state)
{
    (void)state;
    assert_null(media_limits_of("dryrun"));
    assert_null(media_limits_of(NULL));
    assert_null(media_limits_of("yt")); /* full names only */
    assert_int_equal(media_limits_n(), 3);
    assert_null(media_limits_nth(3));
    for (size_t i = 0; i < media_limits_n(); i++)
        assert_ptr_equal(media_limits_of(media_limits_nth(i)->platform),
                         media_limits_nth(i));
}

static void write_file(const char *path, const void *p, size_t n)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(p, 1, n, f), n);
    assert_int_equal(fclose(f), 0);
}

/* Files whose first bytes pass media_sniff but are not media. */
static void test_probe_refuses(void **state)
{
    static const unsigned char mp4[] = {0, 0, 0, 0x18, 'f', 't', 'y', 'p',
                                        'm', 'p', '4', '2', 0, 0, 0, 0,
                                        'm', 'p', '4', '2', 'i', 's', 'o',
                                        'm', 0xde, 0xad, 0xbe, 0xef};
    static const unsigned char png[] = {0x89, 'P', 'N', 'G', 0x0d, 0x0a,
                                        0x1a, 0x0a, 1, 2, 3, 4, 5, 6};
    char *dir = tu_tmpdir(), path[512];
    struct media_facts f;
    struct buf err;
    (void)state;

    buf_init(&err, 1024);
    snprintf(path, sizeof path, "%s/fake.mp4", dir);
    write_file(path, mp4, sizeof mp4);
    assert_int_equal(media_probe(path, media_sniff(mp4, sizeof mp4), &f, &err),
                     ERR_UNSUPPORTED);
    assert_non_null(strstr(buf_cstr(&err), "not a readable media file"));
    assert_null(f.container);
    snprintf(path, sizeof path, "%s/fake.png", dir);
    write_file(path, png, sizeof png);
    assert_int_equal(media_probe(path, media_sniff(png, sizeof png), &f, &err),
                     ERR_UNSUPPORTED);
    snprintf(path, sizeof path, "%s/thumb.jpg", dir);
    assert_int_equal(media_thumb(path, media_type_of_name("x.png"), path,
                                 &err),
                     ERR_IO);
    snprintf(path, sizeof path, "%s/missing.mp4", dir);
    assert_int_equal(media_probe(path, media_type_of_name(path), &f, &err),
                     ERR_IO);
    assert_int_equal(media_probe(path, NULL, &f, &err), ERR_UNSUPPORTED);
    buf_free(&err);
    tu_rmdir(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_registry),
        cmocka_unit_test(test_probe_refuses),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
