#include "store/store.h"

#include "store/store_impl.h"

enum err store_open(const char *target, struct store **out, struct buf *err)
{
    *out = NULL;
    if (target == NULL || *target == '\0') {
        buf_setf(err, "no database given");
        return ERR_INVALID;
    }
    return store_sqlite_open(target, out, err);
}

void store_close(struct store *st)
{
    if (st != NULL)
        st->ops->close(st);
}

enum err store_schema_version(struct store *st, int *out)
{
    return st->ops->schema_version(st, out);
}

enum err store_ingest(struct store *st, const struct batch *b,
                      const struct import_meta *meta,
                      struct ingest_stats *out, struct buf *err)
{
    return st->ops->ingest(st, b, meta, out, err);
}

enum err store_rollup_rebuild(struct store *st, struct buf *err)
{
    return st->ops->rollup_rebuild(st, err);
}

enum err store_sole_account(struct store *st, enum platform p, char **out)
{
    return st->ops->sole_account(st, p, out);
}

enum err store_list_items(struct store *st, const struct item_query *q,
                          store_item_fn fn, void *ud, struct buf *err)
{
    return st->ops->list_items(st, q, fn, ud, err);
}

enum err store_count_items(struct store *st, const struct item_query *q,
                           int64_t *out)
{
    return st->ops->count_items(st, q, out);
}

enum err store_item_history(struct store *st, const char *ref,
                            struct item **out, struct buf *err)
{
    return st->ops->item_history(st, ref, out, err);
}

enum err store_export_values(struct store *st, const struct export_query *q,
                             store_row_fn fn, void *ud, struct buf *err)
{
    return st->ops->export_values(st, q, fn, ud, err);
}
