/* The latest-values and item caches of the SQLite backend (see
 * store_sqlite.h). */
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

/* ---- items ---------------------------------------------------------- */

#define ITEMS_MAX ((size_t)1 << 16) /* entries before starting over */

static size_t item_slot_of(const struct item_cache *c, int platform,
                           int type, const char *ext_id)
{
    uint64_t h = 1469598103934665603ULL ^ (uint64_t)(platform * 2 + type);
    for (const unsigned char *p = (const unsigned char *)ext_id; *p; p++)
        h = (h ^ *p) * 1099511628211ULL;
    return (size_t)(h ^ (h >> 29)) & (c->cap - 1);
}

static struct item_entry *item_find_slot(const struct item_cache *c,
                                         int platform, int type,
                                         const char *ext_id)
{
    size_t i;
    if (c->cap == 0)
        return NULL;
    for (i = item_slot_of(c, platform, type, ext_id);
         c->slots[i].ext_id != NULL; i = (i + 1) & (c->cap - 1)) {
        const struct item_entry *e = &c->slots[i];
        if (e->platform == platform && e->type == type &&
            strcmp(e->ext_id, ext_id) == 0)
            return &c->slots[i];
    }
    return &c->slots[i];
}

struct item_entry *item_cache_get(struct item_cache *c, int platform,
                                  int type, const char *ext_id)
{
    struct item_entry *e = item_find_slot(c, platform, type, ext_id);
    return e && e->ext_id != NULL ? e : NULL;
}

static void item_grow(struct item_cache *c)
{
    struct item_entry *old = c->slots;
    size_t oldcap = c->cap;

    c->cap = c->cap ? c->cap * 2 : 256;
    c->slots = xcalloc(c->cap, sizeof *c->slots);
    for (size_t i = 0; i < oldcap; i++)
        if (old[i].ext_id != NULL)
            *item_find_slot(c, old[i].platform, old[i].type,
                            old[i].ext_id) = old[i]; /* moves ownership */
    free(old);
}

void item_cache_put(struct item_cache *c, int platform, int type,
                    const char *ext_id, const struct rollup_item *ri,
                    const char *fields, size_t fields_len)
{
    struct item_entry *slot;

    if (c->n >= ITEMS_MAX)
        item_cache_clear(c);
    if ((c->n + 1) * 2 > c->cap)
        item_grow(c);
    slot = item_find_slot(c, platform, type, ext_id);
    if (slot->ext_id == NULL) {
        slot->ext_id = xstrdup(ext_id);
        slot->platform = platform;
        slot->type = type;
        c->n++;
    }
    slot->ri = *ri;
    free(slot->fields);
    slot->fields = NULL;
    slot->fields_len = 0;
    if (fields != NULL) {
        slot->fields = xmalloc(fields_len ? fields_len : 1);
        memcpy(slot->fields, fields, fields_len);
        slot->fields_len = fields_len;
    }
}

void item_cache_clear(struct item_cache *c)
{
    for (size_t i = 0; i < c->cap; i++) {
        free(c->slots[i].ext_id);
        free(c->slots[i].fields);
    }
    if (c->cap)
        memset(c->slots, 0, c->cap * sizeof *c->slots);
    c->n = 0;
}

void item_cache_free(struct item_cache *c)
{
    item_cache_clear(c);
    free(c->slots);
    memset(c, 0, sizeof *c);
}
