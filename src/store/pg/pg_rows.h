/* Private to src/store/pg: the row readers the PostgreSQL files share
 * (pg_rows.c), so that a read by row id answers "no <what> <id>" and a
 * walk over a result's rows stops on the first failure the same way
 * everywhere. */
#ifndef MEDIADASH_PG_ROWS_H
#define MEDIADASH_PG_ROWS_H

#include <stdint.h>

#include "store/pg/store_pg.h"

/* Run q with its one parameter $1 = id into *res (the caller PQclear's
 * it, also on a failure). ERR_NOTFOUND, err "no <what> <id>", when the
 * statement returned no row and changed none. err may be NULL. */
enum err pg_run_id(struct store_pg *s, const struct pg_stmt *q, int64_t id,
                   const char *what, const char *doing, PGresult **res,
                   struct buf *err) WARN_UNUSED;

/* Called per row r of res; a non-OK return stops the walk. */
typedef enum err (*pg_row_fn)(const PGresult *res, int r, void *ud);
/* Run q with $1 = id and call fn per row returned. */
enum err pg_each_id_row(struct store_pg *s, const struct pg_stmt *q,
                        int64_t id, const char *doing, pg_row_fn fn,
                        void *ud, struct buf *err) WARN_UNUSED;

#endif
