/* Private to src/store/pg: the rollups of the PostgreSQL backend kept at
 * ingest (pg_rollup.c). The ingest notes what each batch touched in a
 * struct pg_touched; pg_rollup_batch, called once in the batch's
 * transaction before it commits, brings item_day, account_day and
 * item.pub_day in step with it. */
#ifndef MEDIADASH_STORE_PG_ROLLUP_H
#define MEDIADASH_STORE_PG_ROLLUP_H

#include "store/pg/store_pg.h"

/* "ingest" in ASCII: the one advisory lock of every mediadash ingest,
 * rebuild and zone change on a database. */
#define PG_INGEST_LOCK "115162232681"

/* One note: item was in the batch (published_at as the batch gave it,
 * TIME_NONE when it did not), and when t is not TIME_NONE a new integer
 * value at t was added to it. */
struct pg_touch {
    int64_t item, t, published_at;
};

struct pg_touched {
    struct pg_touch *v;
    size_t n, cap;
};

void pg_touched_add(struct pg_touched *tt, int64_t item, int64_t t,
                    int64_t published_at);
void pg_touched_free(struct pg_touched *tt);

/* Recompute, for each touched item with new values, its item_day rows
 * from the day of its earliest new value on (and the account_day gains
 * they carry); set pub_day of the items whose publication time the batch
 * gave. Inside the caller's transaction. */
enum err pg_rollup_batch(struct store_pg *s, struct pg_touched *tt,
                         struct buf *err);

/* Every item's publication day under s->zone, inside the caller's
 * transaction (a rebuild; `db copy`'s end, pg_copy.c). */
enum err pg_rollup_pubdays(struct store_pg *s, struct buf *err);

/* Recompute the n items ids[] from their first day on, their item_day
 * rows and their gains in account_day having been taken out already (a
 * removal, pg_remove.c, which then adds the gains of the content it left
 * untouched the same way). Inside the caller's transaction. */
enum err pg_rollup_items(struct store_pg *s, const int64_t *ids, size_t n,
                         struct buf *err);

/* Views per day (views_day, PG migration 0012; pg_views_day.c), kept
 * from item_day inside the caller's transaction: after the n items ids[]
 * had their rollups recomputed from day d0[i] on (d0 NULL: from their
 * first day; a removal's touched items, kept or gone), or all of it (a
 * rebuild, db copy). */
enum err pg_views_day_items(struct store_pg *s, const int64_t *ids,
                            const int32_t *d0, size_t n, struct buf *err);
enum err pg_views_day_all(struct store_pg *s, struct buf *err);
/* The known views gains of [from, to) per day, days ascending, within a
 * day items ascending, of the items in ids (n, ascending): fn(ud, k, day,
 * gain) with k the item's index (store_content_day_gains' walk). */
enum err pg_views_day_read(struct store_pg *s, int32_t from, int32_t to,
                           const int64_t *ids, size_t n,
                           store_day_gain_fn fn, void *ud);

/* A PostgreSQL array literal ("{1,NULL,2}") built in b one element at a
 * time, for a parameter such as $1::bigint[]: start, elements, end.
 * ERR_TOOBIG past b's maximum. Reals with 17 digits (read back exactly;
 * finite values only, as the model holds). */
void pg_arr_start(struct buf *b);
enum err pg_arr_i64(struct buf *b, int64_t v);
enum err pg_arr_real(struct buf *b, double v);
enum err pg_arr_null(struct buf *b);
/* A text element: in double quotes, with a backslash before '"' and '\'
 * (t NULL: NULL). */
enum err pg_arr_text(struct buf *b, const char *t);
enum err pg_arr_end(struct buf *b);

#endif
