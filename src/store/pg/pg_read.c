/* Reads at one state of the data on PostgreSQL (store.h,
 * store_read_begin): one REPEATABLE READ, READ ONLY transaction whose
 * snapshot a first statement takes at the begin, so that every later
 * read of the connection sees the data as of then. */
#include "store/pg/pg_ops.h"
#include "store/pg/store_pg.h"

enum err pg_read_begin(struct store *st, struct buf *err)
{
    struct store_pg *s = pg_of(st);
    enum err rc;

    if (PQtransactionStatus(s->conn) != PQTRANS_IDLE) {
        if (err != NULL)
            buf_setf(err, "a transaction is already open");
        return ERR_BUSY;
    }
    rc = pg_exec(s, "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY",
                 "starting a read", err);
    /* the snapshot is taken by the first statement, not by BEGIN */
    if (rc == ERR_OK)
        rc = pg_exec(s, "SELECT 1", "starting a read", err);
    if (rc != ERR_OK)
        pg_read_end(st);
    return rc;
}

void pg_read_end(struct store *st)
{
    struct store_pg *s = pg_of(st);

    /* nothing was written: ending the read either way is the same */
    if (PQtransactionStatus(s->conn) != PQTRANS_IDLE)
        pg_rollback(s);
}
