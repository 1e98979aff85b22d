/* Private to src/store/pg: the first-week rollup of the PostgreSQL
 * backend (item_first, migration 0013), as SQLite's item_first
 * (store_sqlite_first.c): per item, the sum of the known views gains of
 * item_day on the rollup days [pub_day, pub_day + STORE_FIRST_DAYS); no
 * row when none is known. Recomputed from item_day and item.pub_day in
 * the caller's transaction wherever they change, never kept as a running
 * sum. */
#ifndef MEDIADASH_STORE_PG_FIRST_H
#define MEDIADASH_STORE_PG_FIRST_H

#include "store/pg/store_pg.h"

/* Recompute the rows of the n items ids[] (borrowed; any order, repeats
 * allowed) from item_day and item.pub_day in one statement: an item with
 * no known gain of the week, no publication day or no longer stored loses
 * its row. n 0: nothing. Call after item_day and pub_day are written. */
enum err pg_first_items(struct store_pg *s, const int64_t *ids, size_t n,
                        struct buf *err);

/* Recompute every row (a rebuild, a zone change, `db copy`'s end). */
enum err pg_first_all(struct store_pg *s, struct buf *err);

#endif
