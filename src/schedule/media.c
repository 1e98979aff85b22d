/* Media types, the media root and the path rule (media.h). */
#include "schedule/media.h"

#include <dirent.h>
#include <stdbool.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

static const struct media_type t_mp4 = {"mp4", "video/mp4"};
static const struct media_type t_mov = {"mov", "video/quicktime"};
static const struct media_type t_webm = {"webm", "video/webm"};
static const struct media_type t_jpg = {"jpg", "image/jpeg"};
static const struct media_type t_png = {"png", "image/png"};
static const struct media_type t_webp = {"webp", "image/webp"};

const struct media_type *media_sniff(const unsigned char *h, size_t n)
{
    static const unsigned char png[8] = {0x89, 'P',  'N',  'G',
                                         0x0d, 0x0a, 0x1a, 0x0a};
    static const unsigned char ebml[4] = {0x1a, 0x45, 0xdf, 0xa3};

    if (n >= 3 && h[0] == 0xff && h[1] == 0xd8 && h[2] == 0xff)
        return &t_jpg;
    if (n >= 8 && memcmp(h, png, 8) == 0)
        return &t_png;
    if (n >= 12 && memcmp(h, "RIFF", 4) == 0 && memcmp(h + 8, "WEBP", 4) == 0)
        return &t_webp;
    if (n >= 4 && memcmp(h, ebml, 4) == 0)
        return &t_webm;
    /* ISO base media: a box size, then "ftyp" and the major brand. */
    if (n >= 12 && memcmp(h + 4, "ftyp", 4) == 0)
        return memcmp(h + 8, "qt  ", 4) == 0 ? &t_mov : &t_mp4;
    return NULL;
}

const struct media_type *media_type_of_name(const char *name)
{
    static const struct {
        const char *ext;
        const struct media_type *t;
    } map[] = {
        {".mp4", &t_mp4},   {".m4v", &t_mp4},   {".mov", &t_mov},
        {".webm", &t_webm}, {".jpg", &t_jpg},   {".jpeg", &t_jpg},
        {".png", &t_png},   {".webp", &t_webp},
    };
    const char *dot = name ? strrchr(name, '.') : NULL;

    for (size_t i = 0; dot != NULL && i < sizeof map / sizeof *map; i++)
        if (strcasecmp(dot, map[i].ext) == 0)
            return map[i].t;
    return NULL;
}

enum err media_root_prepare(const char *root, struct buf *err)
{
    struct stat sb;

    if (mkdir(root, 0700) != 0 && errno != EEXIST) {
        buf_setf(err, "media_root %s: %s", root, strerror(errno));
        return ERR_IO;
    }
    if (stat(root, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
        buf_setf(err, "media_root %s: not a directory", root);
        return ERR_IO;
    }
    return ERR_OK;
}

size_t media_root_sweep(const char *root, int64_t cutoff)
{
    DIR *d = opendir(root);
    struct dirent *e;
    struct stat sb;
    size_t n = 0;

    if (d == NULL)
        return 0;
    while ((e = readdir(d)) != NULL) {
        if (strncmp(e->d_name, ".upload-", 8) != 0 ||
            fstatat(dirfd(d), e->d_name, &sb, AT_SYMLINK_NOFOLLOW) != 0 ||
            !S_ISREG(sb.st_mode) || (int64_t)sb.st_mtime >= cutoff)
            continue;
        if (unlinkat(dirfd(d), e->d_name, 0) == 0)
            n++;
    }
    closedir(d);
    return n;
}

enum err media_root_real(const char *root, struct buf *out, struct buf *err)
{
    char *r = realpath(root, NULL);
    enum err rc;

    if (r == NULL) {
        buf_setf(err, "media_root %s: %s", root, strerror(errno));
        return ERR_IO;
    }
    buf_reset(out);
    rc = buf_puts(out, r);
    if (rc != ERR_OK)
        buf_setf(err, "media_root %s: path too long", root);
    free(r);
    return rc;
}

/* Whether path is lexically root/NAME[/NAME...] with no empty, "." or
 * ".." component: decided on the text alone, before any system call. */
static bool lexically_under(const char *root, size_t n, const char *path)
{
    const char *c;

    if (strncmp(path, root, n) != 0 || path[n] != '/' || path[n + 1] == '\0')
        return false;
    for (c = path + n; *c != '\0'; c++) {
        if (*c != '/')
            continue;
        if (c[1] == '/' || c[1] == '\0' ||
            (c[1] == '.' && (c[2] == '/' || c[2] == '\0')) ||
            (c[1] == '.' && c[2] == '.' && (c[3] == '/' || c[3] == '\0')))
            return false;
    }
    return true;
}

enum err media_check_path(const char *root, const char *path, int64_t *bytes,
                          struct buf *err)
{
    struct buf real_root;
    char *r = NULL;
    struct stat sb;
    enum err rc = ERR_INVALID;
    size_t n;

    *bytes = 0;
    buf_init(&real_root, PATH_MAX + 1);
    if (media_root_real(root, &real_root, err) != ERR_OK)
        goto out;
    n = real_root.len;
    /* One message for outside, missing and symlinked out: no oracle. */
    if (lexically_under(buf_cstr(&real_root), n, path))
        r = realpath(path, NULL);
    if (r == NULL || strcmp(r, path) != 0) {
        buf_setf(err,
                 "%s is not a file under the media root %s (upload it "
                 "with POST /api/v1/media and use the path it answers)",
                 path, buf_cstr(&real_root));
        goto out;
    }
    if (stat(r, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        buf_setf(err, "%s is not a regular file", path);
        goto out;
    }
    *bytes = (int64_t)sb.st_size;
    rc = ERR_OK;
out:
    free(r);
    buf_free(&real_root);
    return rc;
}
