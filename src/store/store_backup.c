/* Backup, verification, in-use probe and doctor facts of a SQLite file
 * (store_backup.h). Each function opens its own connection by path. */
#include "store/store_backup.h"

#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/str.h"
#include "store/store_impl.h"

#define BK_BUSY_MS 10000     /* wait this long for a lock others hold */
#define BK_STEP_PAGES 4096   /* pages per backup step: progress ~10/s */
#define BK_CHECK_ROWS 5      /* problems of integrity_check reported */
#define SHM_DMS_BYTE 128     /* unix VFS: the -shm "dead man switch" */
#define DB_LOCK_START 0x40000000 /* the database file's lock bytes */
#define DB_LOCK_LEN (2 + 510)    /* pending, reserved, shared range */

const char *const store_count_names[STORE_COUNT_TABLES] = {
    "item", "snapshot", "snapshot_value", "import",
    "post", "media", "credential", "app_user",
};

/* Constant statements, one per counted table (no identifiers built). */
static const char *const count_sql[STORE_COUNT_TABLES] = {
    "SELECT count(*) FROM item",
    "SELECT count(*) FROM snapshot",
    "SELECT count(*) FROM snapshot_value",
    "SELECT count(*) FROM import",
    "SELECT count(*) FROM post",
    "SELECT count(*) FROM media",
    "SELECT count(*) FROM credential",
    "SELECT count(*) FROM app_user",
};

static enum err db_fail(sqlite3 *db, struct buf *err, const char *what)
{
    buf_setf(err, "%s: %s", what, db ? sqlite3_errmsg(db) : "out of memory");
    return ERR_DB;
}

static enum err open_db(const char *path, int flags, sqlite3 **out,
                        struct buf *err)
{
    if (sqlite3_open_v2(path, out, flags | SQLITE_OPEN_NOMUTEX, NULL) !=
        SQLITE_OK) {
        buf_setf(err, "cannot open database %s: %s", path,
                 *out ? sqlite3_errmsg(*out) : "out of memory");
        sqlite3_close(*out);
        *out = NULL;
        return ERR_DB;
    }
    sqlite3_extended_result_codes(*out, 1);
    sqlite3_busy_timeout(*out, BK_BUSY_MS);
    return ERR_OK;
}

/* One integer of a constant one-row query; a table that is not there
 * (an old schema) counts -1. */
static enum err one_int(sqlite3 *db, const char *sql, int64_t *out,
                        struct buf *err)
{
    sqlite3_stmt *st = NULL;
    enum err rc = ERR_OK;
    int r;

    *out = -1;
    r = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
    if (r != SQLITE_OK) {
        if (strstr(sqlite3_errmsg(db), "no such table") == NULL)
            rc = db_fail(db, err, sql);
        goto out;
    }
    r = sqlite3_step(st);
    if (r == SQLITE_ROW)
        *out = sqlite3_column_int64(st, 0);
    else
        rc = db_fail(db, err, sql);
out:
    sqlite3_finalize(st);
    return rc;
}

static enum err read_counts(sqlite3 *db, struct store_counts *out,
                            struct buf *err)
{
    int64_t v;
    enum err rc;

    memset(out, 0, sizeof *out);
    rc = one_int(db, "SELECT coalesce(max(version), 0) FROM "
                     "schema_migration", &v, err);
    out->schema = (int)v;
    for (int i = 0; i < STORE_COUNT_TABLES && rc == ERR_OK; i++)
        rc = one_int(db, count_sql[i], &out->rows[i], err);
    if (rc == ERR_OK)
        rc = one_int(db, "PRAGMA page_count", &out->pages, err);
    if (rc == ERR_OK)
        rc = one_int(db, "PRAGMA page_size", &out->page_size, err);
    return rc;
}

static enum err exec(sqlite3 *db, const char *sql, struct buf *err)
{
    if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
        return db_fail(db, err, sql);
    return ERR_OK;
}

static void pause_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* Step the backup to its end. Steps are small for progress; they all run
 * in the read transaction the caller holds on the source, so a write by
 * another process does not restart the copy. A busy destination (nobody
 * else should have it) is retried for BK_BUSY_MS. */
static enum err run_backup(sqlite3_backup *b, sqlite3 *dst,
                           store_progress_fn fn, void *ud, struct buf *err)
{
    int waited = 0;

    for (;;) {
        int r = sqlite3_backup_step(b, BK_STEP_PAGES);
        int64_t total = sqlite3_backup_pagecount(b);
        if (fn != NULL)
            fn(ud, total - sqlite3_backup_remaining(b), total);
        if (r == SQLITE_DONE)
            return ERR_OK;
        if (r == SQLITE_OK)
            continue;
        if ((r == SQLITE_BUSY || r == SQLITE_LOCKED) && waited < BK_BUSY_MS) {
            pause_ms(50);
            waited += 50;
            continue;
        }
        buf_setf(err, "backup step: %s", sqlite3_errstr(r));
        (void)dst;
        return ERR_DB;
    }
}

static enum err fsync_path(const char *path, struct buf *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    enum err rc = ERR_OK;

    if (fd < 0 || fsync(fd) != 0) {
        buf_setf(err, "fsync %s: %s", path, strerror(errno));
        rc = ERR_IO;
    }
    if (fd >= 0)
        close(fd);
    return rc;
}

/* dest must be new: create it empty (O_EXCL, 0600) for sqlite to fill. */
static enum err create_new(const char *dest, struct buf *err)
{
    int fd = open(dest, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        buf_setf(err, "cannot create %s: %s", dest, strerror(errno));
        return ERR_IO;
    }
    close(fd);
    return ERR_OK;
}

enum err sq_backup_copy(const char *src, const char *dest,
                        store_progress_fn fn, void *ud,
                        struct store_counts *src_counts, struct buf *err)
{
    sqlite3 *s = NULL, *d = NULL;
    sqlite3_backup *b = NULL;
    enum err rc;

    rc = open_db(src, SQLITE_OPEN_READONLY, &s, err);
    if (rc == ERR_OK)
        rc = exec(s, "BEGIN", err);
    /* The first read starts the transaction the whole copy runs in. */
    if (rc == ERR_OK)
        rc = read_counts(s, src_counts, err);
    if (rc == ERR_OK)
        rc = create_new(dest, err);
    if (rc == ERR_OK)
        rc = open_db(dest, SQLITE_OPEN_READWRITE, &d, err);
    if (rc != ERR_OK)
        goto out;
    b = sqlite3_backup_init(d, "main", s, "main");
    if (b == NULL) {
        rc = db_fail(d, err, "backup");
        goto out;
    }
    rc = run_backup(b, d, fn, ud, err);
    if (sqlite3_backup_finish(b) != SQLITE_OK && rc == ERR_OK)
        rc = db_fail(d, err, "backup");
    /* The copy is a single file: no -wal beside it to lose. */
    if (rc == ERR_OK)
        rc = exec(d, "PRAGMA journal_mode = DELETE", err);
out:
    if (s != NULL)
        sqlite3_exec(s, "COMMIT", NULL, NULL, NULL);
    sqlite3_close(s);
    if (d != NULL && sqlite3_close(d) != SQLITE_OK && rc == ERR_OK)
        rc = db_fail(d, err, "closing the copy");
    if (rc == ERR_OK)
        rc = fsync_path(dest, err);
    return rc;
}

/* Run integrity_check or quick_check; the first rows of problems go to
 * err. */
static enum err check(sqlite3 *db, bool quick, struct buf *err)
{
    sqlite3_stmt *st = NULL;
    enum err rc = ERR_OK;
    int r, n = 0;
    const char *sql = quick ? "PRAGMA quick_check(" "5" ")"
                            : "PRAGMA integrity_check(" "5" ")";

    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return db_fail(db, err, quick ? "quick_check" : "integrity_check");
    buf_reset(err);
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        const char *row = (const char *)sqlite3_column_text(st, 0);
        if (row != NULL && strcmp(row, "ok") == 0)
            continue;
        rc = ERR_INVALID;
        if (n++ < BK_CHECK_ROWS)
            buf_catf(err, "%s%s", n > 1 ? "; " : "", row ? row : "?");
    }
    if (r != SQLITE_DONE && rc == ERR_OK)
        rc = db_fail(db, err, quick ? "quick_check" : "integrity_check");
    sqlite3_finalize(st);
    return rc;
}

enum err sq_verify(const char *path, bool quick, struct store_counts *out,
                   struct buf *err)
{
    sqlite3 *db = NULL;
    enum err rc;

    memset(out, 0, sizeof *out);
    if (access(path, F_OK) != 0) {
        buf_setf(err, "%s: %s", path, strerror(errno));
        return ERR_NOTFOUND;
    }
    rc = open_db(path, SQLITE_OPEN_READONLY, &db, err);
    if (rc == ERR_OK)
        rc = exec(db, "BEGIN", err);
    if (rc == ERR_OK)
        rc = check(db, quick, err);
    if (rc == ERR_OK)
        rc = read_counts(db, out, err);
    if (db != NULL)
        sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    sqlite3_close(db);
    return rc;
}

/* Whether another process holds a lock on bytes [start, start+len) of
 * file (absent: no). */
static enum err locked(const char *file, off_t start, off_t len, bool *out,
                       long *pid, struct buf *err)
{
    struct flock fl;
    int fd = open(file, O_RDONLY | O_CLOEXEC);

    if (fd < 0) {
        if (errno == ENOENT)
            return ERR_OK;
        buf_setf(err, "cannot open %s: %s", file, strerror(errno));
        return ERR_IO;
    }
    memset(&fl, 0, sizeof fl);
    fl.l_type = F_WRLCK;
    fl.l_whence = SEEK_SET;
    fl.l_start = start;
    fl.l_len = len;
    if (fcntl(fd, F_GETLK, &fl) != 0) {
        buf_setf(err, "cannot probe the locks of %s: %s", file,
                 strerror(errno));
        close(fd);
        return ERR_IO;
    }
    close(fd);
    if (fl.l_type != F_UNLCK) {
        *out = true;
        *pid = (long)fl.l_pid;
    }
    return ERR_OK;
}

enum err sq_in_use(const char *path, bool *out, long *pid, struct buf *err)
{
    struct buf shm;
    enum err rc;

    *out = false;
    *pid = 0;
    buf_init(&shm, 8192);
    rc = buf_printf(&shm, "%s-shm", path);
    if (rc == ERR_OK)
        rc = locked(buf_cstr(&shm), SHM_DMS_BYTE, 1, out, pid, err);
    else
        buf_setf(err, "database path too long");
    if (rc == ERR_OK && !*out)
        rc = locked(path, DB_LOCK_START, DB_LOCK_LEN, out, pid, err);
    buf_free(&shm);
    return rc;
}

#define SQL_OVERDUE                                                           \
    "SELECT count(*), coalesce(min(publish_at), 0) FROM post "               \
    "WHERE state = 'scheduled' AND publish_at < ?1"

static enum err overdue(sqlite3 *db, int64_t before, struct store_facts *out,
                        struct buf *err)
{
    sqlite3_stmt *st = NULL;
    enum err rc = ERR_OK;

    if (sqlite3_prepare_v2(db, SQL_OVERDUE, -1, &st, NULL) != SQLITE_OK ||
        sqlite3_bind_int64(st, 1, before) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_ROW) {
        rc = db_fail(db, err, "reading overdue posts");
        goto out;
    }
    out->posts_overdue = sqlite3_column_int64(st, 0);
    out->oldest_overdue = sqlite3_column_int64(st, 1);
out:
    sqlite3_finalize(st);
    return rc;
}

enum err sq_facts_read(const char *path, int64_t due_before,
                       struct store_facts *out, struct buf *err)
{
    sqlite3 *db = NULL;
    enum err rc;

    memset(out, 0, sizeof *out);
    snprintf(out->engine, sizeof out->engine, "SQLite %s",
             sqlite3_libversion());
    rc = open_db(path, SQLITE_OPEN_READONLY, &db, err);
    if (rc == ERR_OK)
        rc = exec(db, "BEGIN", err);
    if (rc == ERR_OK)
        rc = one_int(db, "SELECT coalesce(max(observed_at), 0) FROM "
                         "item_latest", &out->newest_observed, err);
    if (rc == ERR_OK)
        rc = overdue(db, due_before, out, err);
    if (db != NULL)
        sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    sqlite3_close(db);
    return rc;
}
