#include "analytics/top.h"

#include <stdbool.h>
#include <stdlib.h>

#include "core/alloc.h"

int top_cmp_ranked(const void *a, const void *b)
{
    const struct store_ranked *x = a, *y = b;
    if (x->gain != y->gain)
        return x->gain < y->gain ? 1 : -1;
    return (x->item_id > y->item_id) - (x->item_id < y->item_id);
}

/* The walk's state: the ids (borrowed from the store until the walk
 * returns, so copied) and a sum per id. */
struct sums {
    int64_t *id;
    int64_t *sum;
    bool *seen;
    size_t n;
};

static enum err on_ids(void *ud, const int64_t *ids, size_t n)
{
    struct sums *s = ud;
    s->n = n;
    s->id = xcalloc(n ? n : 1, sizeof *s->id);
    s->sum = xcalloc(n ? n : 1, sizeof *s->sum);
    s->seen = xcalloc(n ? n : 1, sizeof *s->seen);
    for (size_t i = 0; i < n; i++)
        s->id[i] = ids[i];
    return ERR_OK;
}

static enum err on_gain(void *ud, size_t k, int32_t day, int64_t gain)
{
    struct sums *s = ud;
    (void)day;
    if (k >= s->n)
        return ERR_DB; /* the store broke its contract */
    s->sum[k] += gain;
    s->seen[k] = true;
    return ERR_OK;
}

enum err top_gains(struct store *st, const char *metric, int platform,
                   int32_t from, int32_t to, size_t limit,
                   struct store_ranked **out, size_t *n)
{
    struct sums s = {NULL, NULL, NULL, 0};
    struct store_ranked *v = NULL;
    size_t k = 0;
    enum err rc = store_content_day_gains(st, metric, platform, from, to,
                                          on_ids, on_gain, &s);

    *out = NULL;
    *n = 0;
    if (rc != ERR_OK)
        goto out;
    v = xcalloc(s.n ? s.n : 1, sizeof *v);
    for (size_t i = 0; i < s.n; i++)
        if (s.seen[i])
            v[k++] = (struct store_ranked){s.id[i], s.sum[i]};
    qsort(v, k, sizeof *v, top_cmp_ranked);
    *out = v;
    *n = k < limit ? k : limit;
    v = NULL;
out:
    free(v);
    free(s.id);
    free(s.sum);
    free(s.seen);
    return rc;
}
