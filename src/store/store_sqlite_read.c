/* Reads at one state of the data on SQLite (store.h, store_read_begin):
 * one deferred read transaction whose snapshot is taken by a first read
 * at the begin, so that every later read of the connection sees the
 * database as it was then (WAL: writers of other connections go on and
 * commit; this connection does not see them until the end). */
#include "store/store_sqlite.h"

#define S sqlite_store_of

enum err sq_read_begin(struct store *st, struct buf *err)
{
    struct sqlite_store *s = S(st);
    enum err rc;

    if (!sqlite3_get_autocommit(s->db)) {
        if (err != NULL)
            buf_setf(err, "a transaction is already open");
        return ERR_BUSY;
    }
    rc = sqlite_exec(s, "BEGIN DEFERRED", err);
    if (rc != ERR_OK)
        return rc;
    /* the snapshot is taken by the first read of the file, not by BEGIN */
    rc = sqlite_exec(s, "SELECT count(*) FROM sqlite_schema", err);
    if (rc != ERR_OK)
        sq_read_end(st);
    return rc;
}

void sq_read_end(struct store *st)
{
    struct sqlite_store *s = S(st);

    if (sqlite3_get_autocommit(s->db))
        return;
    /* nothing was written: COMMIT only ends the read; ROLLBACK if not */
    if (sqlite_exec(s, "COMMIT", NULL) != ERR_OK)
        (void)sqlite_exec(s, "ROLLBACK", NULL);
}
