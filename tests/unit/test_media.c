/* schedule/media: types by their first bytes, the media root, and the
 * rule that a post names only canonical regular files inside the root. */
#include "testutil.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "schedule/media.h"

static void test_sniff(void **state)
{
    static const unsigned char mp4[] = {0,   0,   0,   0x18, 'f', 't',
                                        'y', 'p', 'i', 's',  'o', 'm'};
    static const unsigned char mov[] = {0,   0,   0,   0x14, 'f', 't',
                                        'y', 'p', 'q', 't',  ' ', ' '};
    static const unsigned char jpg[] = {0xff, 0xd8, 0xff, 0xe0};
    static const unsigned char png[] = {0x89, 'P',  'N',  'G',
                                        0x0d, 0x0a, 0x1a, 0x0a};
    static const unsigned char webp[] = {'R', 'I', 'F', 'F', 1,   2,
                                         3,   4,   'W', 'E', 'B', 'P'};
    static const unsigned char webm[] = {0x1a, 0x45, 0xdf, 0xa3, 0x9f};
    static const unsigned char wav[] = {'R', 'I', 'F', 'F', 1,   2,
                                        3,   4,   'W', 'A', 'V', 'E'};
    static const unsigned char elf[] = {0x7f, 'E', 'L', 'F', 2, 1,
                                        1,    0,   0,   0,   0, 0};
    (void)state;
    assert_string_equal(media_sniff(mp4, sizeof mp4)->content_type,
                        "video/mp4");
    assert_string_equal(media_sniff(mov, sizeof mov)->ext, "mov");
    assert_string_equal(media_sniff(jpg, sizeof jpg)->content_type,
                        "image/jpeg");
    assert_string_equal(media_sniff(png, sizeof png)->ext, "png");
    assert_string_equal(media_sniff(webp, sizeof webp)->ext, "webp");
    assert_string_equal(media_sniff(webm, sizeof webm)->ext, "webm");
    assert_null(media_sniff(wav, sizeof wav));
    assert_null(media_sniff(elf, sizeof elf));
    assert_null(media_sniff(mp4, 7)); /* too short to tell */
    assert_null(media_sniff(png, 0));
}

static void test_names(void **state)
{
    (void)state;
    assert_string_equal(media_type_of_name("a.MP4")->content_type, "video/mp4");
    assert_string_equal(media_type_of_name("x.y.jpeg")->ext, "jpg");
    assert_null(media_type_of_name("clip.mp4.exe"));
    assert_null(media_type_of_name("noext"));
    assert_null(media_type_of_name(NULL));
}

static void put(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void test_paths(void **state)
{
    char *dir = tu_tmpdir(), *real;
    struct buf root, p, err;
    int64_t bytes = -1;
    (void)state;

    buf_init(&root, 8192);
    buf_init(&p, 8192);
    buf_init(&err, 4096);
    real = realpath(dir, NULL);
    assert_non_null(real);
    assert_int_equal(buf_printf(&root, "%s/media", real), ERR_OK);
    assert_int_equal(media_root_prepare(buf_cstr(&root), &err), ERR_OK);
    assert_int_equal(media_root_prepare(buf_cstr(&root), &err), ERR_OK);
    {
        struct stat sb;
        assert_int_equal(stat(buf_cstr(&root), &sb), 0);
        assert_int_equal(sb.st_mode & 0777, 0700);
    }
    buf_setf(&p, "%s/a.mp4", buf_cstr(&root));
    put(buf_cstr(&p), "hello");
    assert_int_equal(
        media_check_path(buf_cstr(&root), buf_cstr(&p), &bytes, &err), ERR_OK);
    assert_int_equal(bytes, 5);
    /* outside the root */
    buf_setf(&p, "%s/outside.mp4", real);
    put(buf_cstr(&p), "x");
    assert_int_equal(
        media_check_path(buf_cstr(&root), buf_cstr(&p), &bytes, &err),
        ERR_INVALID);
    assert_non_null(strstr(buf_cstr(&err), "not a file under the media root"));
    assert_int_equal(
        media_check_path(buf_cstr(&root), "/etc/passwd", &bytes, &err),
        ERR_INVALID);
    /* a symlink in the root to a file outside it */
    buf_setf(&p, "%s/link.mp4", buf_cstr(&root));
    assert_int_equal(symlink("/etc/passwd", buf_cstr(&p)), 0);
    assert_int_equal(
        media_check_path(buf_cstr(&root), buf_cstr(&p), &bytes, &err),
        ERR_INVALID);
    /* a non-canonical spelling of a file inside */
    buf_setf(&p, "%s//a.mp4", buf_cstr(&root));
    assert_int_equal(
        media_check_path(buf_cstr(&root), buf_cstr(&p), &bytes, &err),
        ERR_INVALID);
    /* the root itself, a directory in it, a missing file */
    assert_int_equal(
        media_check_path(buf_cstr(&root), buf_cstr(&root), &bytes, &err),
        ERR_INVALID);
    buf_setf(&p, "%s/sub", buf_cstr(&root));
    assert_int_equal(mkdir(buf_cstr(&p), 0700), 0);
    assert_int_equal(
        media_check_path(buf_cstr(&root), buf_cstr(&p), &bytes, &err),
        ERR_INVALID);
    buf_setf(&p, "%s/missing.mp4", buf_cstr(&root));
    assert_int_equal(
        media_check_path(buf_cstr(&root), buf_cstr(&p), &bytes, &err),
        ERR_INVALID);
    /* a root "media" must not admit the sibling "media2" */
    buf_setf(&p, "%s/media2", real);
    assert_int_equal(mkdir(buf_cstr(&p), 0700), 0);
    buf_setf(&p, "%s/media2/b.mp4", real);
    put(buf_cstr(&p), "x");
    assert_int_equal(
        media_check_path(buf_cstr(&root), buf_cstr(&p), &bytes, &err),
        ERR_INVALID);
    /* No existence oracle (issue 13 defect 10): outside the root, an
     * existing file, a missing one and a ".." escape from inside get the
     * same message once the path itself is taken out of it. */
    {
        static const struct {
            bool in_root; /* prefixed with the root */
            const char *rest;
        } outside[] = {{false, "/etc/passwd"},
                       {false, "/etc/no-such-file-here"},
                       {false, "/no/such/dir/x.mp4"},
                       {true, "/../outside.mp4"},
                       {true, "/../no-such.mp4"},
                       {true, "/missing.mp4"},
                       {true, "/link.mp4"},
                       {false, "relative.mp4"}};
        struct buf first;
        buf_init(&first, 4096);
        for (size_t i = 0; i < sizeof outside / sizeof *outside; i++) {
            char *at;
            buf_setf(&p, "%s%s", outside[i].in_root ? buf_cstr(&root) : "",
                     outside[i].rest);
            assert_int_equal(media_check_path(buf_cstr(&root), buf_cstr(&p),
                                              &bytes, &err),
                             ERR_INVALID);
            at = strstr(buf_cstr(&err), " is not a file under the media");
            assert_non_null(at);
            if (i == 0)
                buf_setf(&first, "%s", at);
            else
                assert_string_equal(at, buf_cstr(&first));
        }
        buf_free(&first);
    }
    /* unfinished uploads: only old ".upload-*" files go */
    buf_setf(&p, "%s/.upload-old", buf_cstr(&root));
    put(buf_cstr(&p), "x");
    buf_setf(&p, "%s/.upload-new", buf_cstr(&root));
    put(buf_cstr(&p), "x");
    {
        struct timespec ts[2] = {{1000, 0}, {1000, 0}};
        buf_setf(&p, "%s/.upload-old", buf_cstr(&root));
        assert_int_equal(utimensat(AT_FDCWD, buf_cstr(&p), ts, 0), 0);
    }
    assert_int_equal(media_root_sweep(buf_cstr(&root), 2000), 1);
    assert_int_equal(access(buf_cstr(&p), F_OK), -1);
    buf_setf(&p, "%s/.upload-new", buf_cstr(&root));
    assert_int_equal(access(buf_cstr(&p), F_OK), 0);
    buf_setf(&p, "%s/a.mp4", buf_cstr(&root));
    assert_int_equal(access(buf_cstr(&p), F_OK), 0);
    /* a root that is a file */
    buf_setf(&p, "%s/outside.mp4", real);
    assert_int_equal(media_root_prepare(buf_cstr(&p), &err), ERR_IO);
    free(real);
    tu_rmdir(dir);
    free(dir);
    buf_free(&root);
    buf_free(&p);
    buf_free(&err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sniff),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_paths),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
