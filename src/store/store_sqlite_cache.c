/* The latest-values cache of the SQLite backend (see store_sqlite.h). */
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "store/store_sqlite.h"

#define LATEST_MAX ((size_t)1 << 20) /* entries before starting over */

static size_t slot_of(const struct latest_cache *c, int64_t item,
                      int64_t metric)
{
    uint64_t h = (uint64_t)item * 0x9E3779B97F4A7C15ULL ^
                 (uint64_t)metric * 0xC2B2AE3D27D4EB4FULL;
    return (size_t)(h ^ (h >> 29)) & (c->cap - 1);
}

static struct latest_entry *find(const struct latest_cache *c, int64_t item,
                                 int64_t metric)
{
    size_t i;
    if (c->cap == 0)
        return NULL;
    for (i = slot_of(c, item, metric); c->slots[i].item_id != 0;
         i = (i + 1) & (c->cap - 1))
        if (c->slots[i].item_id == item && c->slots[i].metric_id == metric)
            return &c->slots[i];
    return &c->slots[i]; /* the empty slot where it would go */
}

struct latest_entry *latest_get(struct latest_cache *c, int64_t item,
                                int64_t metric)
{
    struct latest_entry *e = find(c, item, metric);
    return e && e->item_id != 0 ? e : NULL;
}

static void grow(struct latest_cache *c)
{
    struct latest_entry *old = c->slots;
    size_t oldcap = c->cap;

    c->cap = c->cap ? c->cap * 2 : 1024;
    c->slots = xcalloc(c->cap, sizeof *c->slots);
    c->n = 0;
    for (size_t i = 0; i < oldcap; i++)
        if (old[i].item_id != 0)
            latest_put(c, &old[i]);
    free(old);
}

struct latest_entry *latest_put(struct latest_cache *c,
                                const struct latest_entry *e)
{
    struct latest_entry *slot;

    if (c->n >= LATEST_MAX)
        latest_clear(c);
    if ((c->n + 1) * 2 > c->cap)
        grow(c);
    slot = find(c, e->item_id, e->metric_id);
    if (slot->item_id == 0)
        c->n++;
    *slot = *e;
    return slot;
}

void latest_drop(struct latest_cache *c, int64_t item, int64_t metric)
{
    /* Open addressing cannot just empty a slot; dropping one entry is
     * rare (an older value arrived), so start over. */
    if (latest_get(c, item, metric) != NULL)
        latest_clear(c);
}

void latest_clear(struct latest_cache *c)
{
    if (c->cap)
        memset(c->slots, 0, c->cap * sizeof *c->slots);
    c->n = 0;
}

void latest_free(struct latest_cache *c)
{
    free(c->slots);
    memset(c, 0, sizeof *c);
}
