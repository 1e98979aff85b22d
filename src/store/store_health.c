/* The health data functions (store_health.h) through the backend's ops:
 * a backend without them answers ERR_UNSUPPORTED (store.c's guard). */
#include "store/store_health.h"

#include "store/store_impl.h"

enum err store_health_put(struct store *st, const struct health_batch *b,
                          int64_t now, struct store_health_put *out,
                          struct buf *err)
{
    STORE_NEED(st, health_put, err);
    return st->ops->health_put(st, b, now, out, err);
}

enum err store_health_count(struct store *st, const char *source,
                            struct store_health_counts *out, struct buf *err)
{
    STORE_NEED(st, health_count, err);
    return st->ops->health_count(st, source, out, err);
}

enum err store_health_remove(struct store *st, const char *source,
                             struct store_health_counts *out,
                             struct buf *err)
{
    STORE_NEED(st, health_remove, err);
    return st->ops->health_remove(st, source, out, err);
}

enum err store_health_days(struct store *st, const char *from,
                           const char *to, store_health_day_fn fn, void *ud,
                           struct buf *err)
{
    STORE_NEED(st, health_days, err);
    return st->ops->health_days(st, from, to, fn, ud, err);
}
