/* Backup, restore checks and health facts of a database (issue 15).
 * These work on a target (a path: SQLite's file), each with its own
 * short-lived connection, never through a struct store: a backup must
 * not migrate or prepare anything, and a copy being checked may be newer
 * than this program. Each dispatches to the target's backend
 * (store_impl.h, struct store_backend; SQLite: store_backup.c). */
#ifndef MEDIADASH_STORE_BACKUP_H
#define MEDIADASH_STORE_BACKUP_H

#include <stdbool.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/err.h"
#include "store/store.h" /* store_progress_fn: pages copied of total */

/* The tables whose rows a backup counts, in this order (the main ones:
 * what a self-hoster would miss). */
#define STORE_COUNT_TABLES 8
extern const char *const store_count_names[STORE_COUNT_TABLES];

struct store_counts {
    int schema;                          /* schema version */
    int64_t rows[STORE_COUNT_TABLES];    /* per store_count_names */
    int64_t pages;                       /* database pages */
    int64_t page_size;                   /* bytes per page */
};


/* Copy the database at src into dest (which must not exist: the caller
 * picks a temporary name and renames) with SQLite's online backup API,
 * consistent while other processes write: the copy is made in one read
 * transaction of src, opened before the first page is copied and held
 * until the last, so it is the database as of one commit; writers go on
 * (WAL) and the backup never restarts. *src_counts are the row counts
 * read in that same transaction: the copy must have exactly these.
 * dest is fsynced before return. On failure dest may be left behind:
 * the caller removes it. fn may be NULL. */
enum err store_backup_copy(const char *src, const char *dest,
                           store_progress_fn fn, void *ud,
                           struct store_counts *src_counts, struct buf *err)
    WARN_UNUSED;

/* Check the database file at path, opened read-only: PRAGMA
 * integrity_check (quick: quick_check, which skips the index-content
 * checks and is several times faster), its schema version, row counts.
 * ERR_INVALID when the check finds problems (err holds the first few),
 * ERR_DB when it is not a database at all. */
enum err store_verify(const char *path, bool quick, struct store_counts *out,
                      struct buf *err) WARN_UNUSED;

/* The newest schema version this program knows: store_schema_latest in
 * store.h (store_schema.c). */

/* Whether another process has the SQLite database at path open: every
 * connection to a WAL database holds a read lock on the -shm file's
 * "DMS" byte while it is open (SQLite's documented WAL-index locking),
 * and a connection in a rollback-journal transaction holds locks on the
 * database file's lock bytes. *pid is a process holding one, or 0.
 * Locks of the calling process are not seen: call it before opening
 * path here. ERR_IO when a file exists but cannot be probed. */
enum err store_in_use(const char *path, bool *out, long *pid,
                      struct buf *err) WARN_UNUSED;

/* Facts for `mediadash doctor`, read in one transaction. */
struct store_facts {
    int64_t newest_observed; /* newest stored observed_at; 0: none */
    int64_t posts_overdue;   /* scheduled posts due before `due_before` */
    int64_t oldest_overdue;  /* publish_at of the oldest of them, or 0 */
    char engine[96];         /* "SQLite 3.45.1", "PostgreSQL 16.4" */
};
enum err store_facts_read(const char *path, int64_t due_before,
                          struct store_facts *out, struct buf *err)
    WARN_UNUSED;

#endif
