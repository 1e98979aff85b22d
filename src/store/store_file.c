/* The database's files on disk and who may read them (store.h): the file,
 * its -wal, -shm and -journal hold password hashes, session keys and CSRF
 * tokens. SQLite creates the side files with the main file's mode, so the
 * main file's mode is the one that matters; we create it ourselves. */
#define LOG_MODULE "store"
#include "store/store_impl.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/log.h"

#define MODE_PRIVATE 0600
#define MODE_GROUP 0660

static const char *const suffixes[] = {"", "-wal", "-shm", "-journal"};

/* Create path with exactly mode (no umask) when it is missing: *created
 * tells whether we did. ERR_IO naming it when it cannot be made. */
static enum err create_new(const char *path, mode_t mode, bool *created,
                           struct buf *err)
{
    int fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, mode);

    *created = fd >= 0;
    if (fd < 0 && errno == EEXIST)
        return ERR_OK;
    if (fd < 0 || fchmod(fd, mode) != 0) {
        buf_setf(err, "cannot create database %s: %s", path,
                 strerror(errno));
        if (fd >= 0)
            close(fd);
        return ERR_IO;
    }
    close(fd);
    return ERR_OK;
}

/* An existing file others may read or write: make it private, with a
 * warning (we may not be its owner: then only the warning). */
static void make_private(const char *path)
{
    struct stat sb;

    if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode) ||
        (sb.st_mode & 0007) == 0)
        return;
    if (chmod(path, MODE_PRIVATE) != 0)
        LOG_WARN("%s is mode %04o (others may read it) and cannot be "
                 "made %04o: %s", path, (unsigned)(sb.st_mode & 07777),
                 MODE_PRIVATE, strerror(errno));
    else
        LOG_WARN("%s was mode %04o (others could read it): now %04o", path,
                 (unsigned)(sb.st_mode & 07777), MODE_PRIVATE);
}

enum err store_file_prepare(const char *path, struct buf *err)
{
    struct buf side;
    bool created;
    enum err rc;

    rc = create_new(path, MODE_PRIVATE, &created, err);
    if (rc != ERR_OK || created)
        return rc;
    buf_init(&side, 8192);
    for (size_t i = 0; i < sizeof suffixes / sizeof *suffixes; i++) {
        buf_setf(&side, "%s%s", path, suffixes[i]);
        make_private(buf_cstr(&side));
    }
    buf_free(&side);
    return ERR_OK;
}

/* chown to gid and chmod 0660 one existing file; a missing one is fine. */
static enum err share_one(const char *path, gid_t gid, const char *group,
                          struct buf *err)
{
    struct stat sb;

    if (stat(path, &sb) != 0)
        return errno == ENOENT ? ERR_OK : ERR_IO;
    if ((sb.st_gid != gid && chown(path, (uid_t)-1, gid) != 0) ||
        ((sb.st_mode & 07777) != MODE_GROUP && chmod(path, MODE_GROUP) != 0)) {
        buf_setf(err, "cannot give %s to group %s (mode %04o): %s", path,
                 group, MODE_GROUP, strerror(errno));
        return ERR_IO;
    }
    return ERR_OK;
}

enum err sq_share_group(const char *target, const char *group,
                        struct buf *err)
{
    struct group *gr = getgrnam(group);
    struct buf side;
    bool created;
    enum err rc;

    if (gr == NULL) {
        buf_setf(err, "db.group: no group named \"%s\"", group);
        return ERR_INVALID;
    }
    rc = create_new(target, MODE_GROUP, &created, err);
    buf_init(&side, 8192);
    for (size_t i = 0; rc == ERR_OK && i < sizeof suffixes / sizeof *suffixes;
         i++) {
        buf_setf(&side, "%s%s", target, suffixes[i]);
        rc = share_one(buf_cstr(&side), gr->gr_gid, group, err);
    }
    buf_free(&side);
    return rc;
}
