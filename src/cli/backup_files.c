/* File steps of backup and restore (backup_files.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/backup_files.h"
#include "cli/cli.h"
#include "core/alloc.h"

enum err bf_path(struct buf *out, const char *path, const char *suffix)
{
    buf_reset(out);
    return buf_printf(out, "%s%s", path, suffix);
}

bool bf_exists(const char *path)
{
    struct stat sb;
    return lstat(path, &sb) == 0;
}

static enum err read_key(const char *src, char *data, size_t *n,
                         struct buf *err)
{
    int fd = open(src, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    ssize_t r;

    if (fd < 0) {
        buf_setf(err, "key file %s: %s", src, strerror(errno));
        return errno == ENOENT ? ERR_NOTFOUND : ERR_IO;
    }
    r = read(fd, data, KEY_FILE_MAX);
    close(fd);
    if (r < 0 || r >= KEY_FILE_MAX) {
        buf_setf(err, "key file %s: %s", src,
                 r < 0 ? strerror(errno) : "too large to be a key file");
        return ERR_IO;
    }
    *n = (size_t)r;
    return ERR_OK;
}

enum err bf_copy_key(const char *src, const char *dest, struct buf *err)
{
    char *data = xmalloc(KEY_FILE_MAX);
    size_t n = 0;
    enum err rc = read_key(src, data, &n, err);
    int fd = -1;

    if (rc != ERR_OK)
        goto out;
    fd = open(dest, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0 || write(fd, data, n) != (ssize_t)n || fsync(fd) != 0) {
        buf_setf(err, "writing %s: %s", dest, strerror(errno));
        rc = ERR_IO;
    }
out:
    if (fd >= 0)
        close(fd);
    explicit_bzero(data, KEY_FILE_MAX);
    free(data);
    return rc;
}

/* fsync the directory holding path, so that a rename survives a crash. */
static enum err sync_dir(const char *path, struct buf *err)
{
    char *dir = xstrdup(path);
    char *slash = strrchr(dir, '/');
    enum err rc = ERR_OK;
    int fd;

    if (slash == NULL) {
        free(dir);
        dir = xstrdup(".");
    } else if (slash == dir) {
        slash[1] = '\0';
    } else {
        *slash = '\0';
    }
    fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0 || fsync(fd) != 0) {
        buf_setf(err, "fsync of directory %s: %s", dir, strerror(errno));
        rc = ERR_IO;
    }
    if (fd >= 0)
        close(fd);
    free(dir);
    return rc;
}

enum err bf_rename(const char *from, const char *to, struct buf *err)
{
    if (rename(from, to) != 0) {
        buf_setf(err, "rename %s to %s: %s", from, to, strerror(errno));
        return ERR_IO;
    }
    return sync_dir(to, err);
}

bool bf_same_counts(const struct store_counts *a, const struct store_counts *b,
                    struct buf *err)
{
    if (a->schema != b->schema) {
        buf_setf(err, "schema version %d in the source, %d in the copy",
                 a->schema, b->schema);
        return false;
    }
    for (int i = 0; i < STORE_COUNT_TABLES; i++)
        if (a->rows[i] != b->rows[i]) {
            buf_setf(err, "table %s: %lld rows in the source, %lld in the "
                     "copy", store_count_names[i], (long long)a->rows[i],
                     (long long)b->rows[i]);
            return false;
        }
    return true;
}

void bf_print_counts(FILE *f, const char *check, const struct store_counts *c)
{
    fprintf(f, "%s: ok\nschema version: %d (this program: %d)\n", check,
            c->schema, store_schema_latest());
    fprintf(f, "size: %lld pages of %lld bytes (%.1f MB)\nrows:",
            (long long)c->pages, (long long)c->page_size,
            (double)c->pages * (double)c->page_size / 1e6);
    for (int i = 0; i < STORE_COUNT_TABLES; i++)
        if (c->rows[i] >= 0)
            fprintf(f, " %s %lld", store_count_names[i],
                    (long long)c->rows[i]);
    fputc('\n', f);
}
