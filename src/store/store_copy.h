/* Copying a whole database between backends (issue 17, `mediadash db
 * copy`): every table of the data a user keeps (the event store with its
 * rollups and document marks, users, sessions, tokens, sealed
 * credentials, posts, slots, media metadata, the notification outbox, the
 * collector's state, audit, health data), row by row in batches, from one
 * open store into another, keeping every id. The rows travel through two
 * ops each backend implements (store_impl.h, struct store_copy_ops:
 * SQLite store_sqlite_copy.c, PostgreSQL pg/pg_copy.c); what a backend
 * derives from them in its own way (SQLite's FTS5 index and first-week
 * caches, PostgreSQL's item_search and publication days, identity
 * sequences) the destination rebuilds once, at the end, in the same
 * transaction. The copy is one write transaction of the destination: a
 * failed copy leaves it as it was. */
#ifndef MEDIADASH_STORE_COPY_H
#define MEDIADASH_STORE_COPY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/err.h"
#include "store/store.h"

/* The tables copied, in the order they are written (a row's references
 * come before it); store_copy_table_name(i) for i < store_copy_ntables(). */
size_t store_copy_ntables(void);
const char *store_copy_table_name(size_t i);

/* Rows of each table of st, out[i] for table i; -1 for a table the
 * backend does not have (PostgreSQL: health data, dropped metrics, until
 * its migrations add them). out has store_copy_ntables() entries. */
enum err store_copy_counts(struct store *st, int64_t *out, struct buf *err)
    WARN_UNUSED;

/* Progress: rows of table copied so far of total. */
typedef void (*store_copy_progress_fn)(void *ud, const char *table,
                                       int64_t rows, int64_t total);

struct store_copy_opts {
    bool replace;  /* empty a destination that holds data first */
    size_t batch;  /* rows per read and write; 0: 5000 */
    store_copy_progress_fn progress; /* may be NULL */
    void *ud;
};

/* Copy everything src holds into dst. Checked before anything is
 * written: dst must be empty (ERR_EXISTS naming what it holds) unless
 * o->replace, and dst must have every table src has rows in
 * (ERR_UNSUPPORTED naming them: health data into PostgreSQL before its
 * health migration). src is read at one state (store_read_begin); dst's
 * rollup zone becomes src's; dst is written in one transaction
 * (emptied in it first with o->replace). src and dst must be two
 * different databases. */
enum err store_copy(struct store *src, struct store *dst,
                    const struct store_copy_opts *o, struct buf *err)
    WARN_UNUSED;

#endif
