#include "store/store.h"

#include "core/timeutil.h"
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

const struct tz *store_rollup_zone(struct store *st)
{
    return st->ops->rollup_zone(st);
}

enum err store_set_rollup_zone(struct store *st, const char *name,
                               struct buf *err)
{
    return st->ops->set_rollup_zone(st, name, err);
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
    const struct history_query all = {TIME_NONE, TIME_NONE, 0};
    return st->ops->item_history(st, ref, &all, out, NULL, err);
}

enum err store_item_find(struct store *st, const char *ref, struct item **out,
                         struct buf *err)
{
    const struct history_query none = {0, 0, 0}; /* an empty window */
    return st->ops->item_history(st, ref, &none, out, NULL, err);
}

enum err store_item_history_range(struct store *st, const char *ref,
                                  const struct history_query *q,
                                  struct item **out, bool *truncated,
                                  struct buf *err)
{
    return st->ops->item_history(st, ref, q, out, truncated, err);
}

enum err store_export_values(struct store *st, const struct export_query *q,
                             store_row_fn fn, void *ud, struct buf *err)
{
    return st->ops->export_values(st, q, fn, ud, err);
}

int32_t store_day_of(struct store *st, int64_t t)
{
    return st->ops->day_of(st, t);
}

int64_t store_day_start(struct store *st, int32_t day)
{
    return st->ops->day_start(st, day);
}

enum err store_item_days(struct store *st, int64_t item_id,
                         const char *metric, int32_t from, int32_t to,
                         struct store_day **out, size_t *n)
{
    return st->ops->item_days(st, item_id, metric, from, to, out, n);
}

enum err store_account_gains(struct store *st, const char *metric,
                             int platform, int32_t from, int32_t to,
                             store_gain_fn fn, void *ud)
{
    return st->ops->account_gains(st, metric, platform, from, to, fn, ud);
}

enum err store_top_gains(struct store *st, const char *metric, int platform,
                         int32_t from, int32_t to, size_t limit,
                         struct store_ranked **out, size_t *n)
{
    return st->ops->top_gains(st, metric, platform, from, to, limit, out, n);
}

enum err store_item_by_id(struct store *st, int64_t id, struct item **out)
{
    return st->ops->item_by_id(st, id, out);
}
