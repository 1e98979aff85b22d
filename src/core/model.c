#include "model.h"

#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "timeutil.h"

/* All from the one platform list (platforms/list.h). */
#define PLATFORM_ITEM(id, name, short_name, prefix) #name,
static const char *const platform_names[PLATFORM_COUNT] = {
#include "platforms/list.h"
};
#undef PLATFORM_ITEM
#define PLATFORM_ITEM(id, name, short_name, prefix) short_name,
static const char *const platform_short[PLATFORM_COUNT] = {
#include "platforms/list.h"
};
#undef PLATFORM_ITEM
#define PLATFORM_ITEM(id, name, short_name, prefix) prefix,
static const char *const platform_prefix[PLATFORM_COUNT] = {
#include "platforms/list.h"
};
#undef PLATFORM_ITEM
#define PLATFORM_ITEM(id, name, short_name, prefix) #id,
static const char *const platform_env[PLATFORM_COUNT] = {
#include "platforms/list.h"
};
#undef PLATFORM_ITEM

const char *platform_name(enum platform p)
{
    return (unsigned)p < PLATFORM_COUNT ? platform_names[p] : "unknown";
}

const char *platform_metric_prefix(enum platform p)
{
    return (unsigned)p < PLATFORM_COUNT ? platform_prefix[p] : "x.";
}

const char *platform_env_name(enum platform p)
{
    return (unsigned)p < PLATFORM_COUNT ? platform_env[p] : "UNKNOWN";
}

enum err platform_from_name(const char *s, enum platform *out)
{
    for (int i = 0; i < PLATFORM_COUNT; i++) {
        if (strcmp(s, platform_names[i]) == 0 ||
            strcmp(s, platform_short[i]) == 0) {
            *out = (enum platform)i;
            return ERR_OK;
        }
    }
    return ERR_INVALID;
}

const char *item_type_name(enum item_type t)
{
    return t == ITEM_ACCOUNT ? "account" : "content";
}

bool metric_name_valid(const char *name)
{
    size_t n = 0;
    if (name == NULL)
        return false;
    for (const char *p = name; *p; p++, n++) {
        char c = *p;
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                  (c >= '0' && c <= '9') || c == '_' || c == '.';
        if (!ok || n >= METRIC_NAME_MAX)
            return false;
    }
    return n > 0;
}

void metrics_init(struct metrics *m)
{
    m->v = NULL;
    m->n = 0;
    m->cap = 0;
}

void metrics_free(struct metrics *m)
{
    if (m == NULL)
        return;
    for (size_t i = 0; i < m->n; i++)
        free(m->v[i].name);
    FREE_AND_NULL(m->v);
    m->n = 0;
    m->cap = 0;
}

const struct metric *metrics_get(const struct metrics *m, const char *name)
{
    for (size_t i = 0; i < m->n; i++)
        if (strcmp(m->v[i].name, name) == 0)
            return &m->v[i];
    return NULL;
}

static struct metric *metric_slot(struct metrics *m, const char *name)
{
    for (size_t i = 0; i < m->n; i++)
        if (strcmp(m->v[i].name, name) == 0)
            return &m->v[i];
    m->v = xgrow(m->v, &m->cap, m->n + 1, sizeof *m->v);
    m->v[m->n].name = xstrdup(name);
    return &m->v[m->n++];
}

enum err metrics_set_i64(struct metrics *m, const char *name, int64_t v)
{
    struct metric *s;
    if (!metric_name_valid(name))
        return ERR_INVALID;
    s = metric_slot(m, name);
    s->is_real = false;
    s->i = v;
    s->r = (double)v;
    return ERR_OK;
}

enum err metrics_set_real(struct metrics *m, const char *name, double v)
{
    struct metric *s;
    if (!metric_name_valid(name) || v != v)
        return ERR_INVALID;
    s = metric_slot(m, name);
    s->is_real = true;
    s->r = v;
    /* The integer view of a ratio; a double outside int64's range has
     * none (converting it would be undefined behaviour). */
    s->i = v > -9.2e18 && v < 9.2e18 ? (int64_t)v : 0;
    return ERR_OK;
}

struct item *item_create(enum platform p, enum item_type t,
                         const char *ext_id)
{
    struct item *it = xcalloc(1, sizeof *it);
    it->platform = p;
    it->type = t;
    it->ext_id = xstrdup(ext_id);
    it->published_at = TIME_NONE;
    it->duration_s = -1;
    it->removed_last_seen = TIME_NONE;
    return it;
}

void item_destroy(struct item *it)
{
    if (it == NULL)
        return;
    for (size_t i = 0; i < it->nsnaps; i++) {
        metrics_free(&it->snaps[i]->metrics);
        free(it->snaps[i]);
    }
    free(it->snaps);
    free(it->ext_id);
    free(it->account_ext_id);
    free(it->kind);
    free(it->handle);
    free(it->title);
    free(it->description);
    free(it->tags);
    free(it->url);
    free(it->thumbnail_url);
    free(it);
}

void item_set(char **field, const char *v)
{
    if (v == NULL)
        return;
    free(*field);
    *field = xstrdup(v);
}

struct snapshot *item_snapshot_at(struct item *it, int64_t observed_at)
{
    struct snapshot *s;
    for (size_t i = 0; i < it->nsnaps; i++)
        if (it->snaps[i]->observed_at == observed_at)
            return it->snaps[i];
    s = xcalloc(1, sizeof *s);
    s->item = it;
    s->observed_at = observed_at;
    metrics_init(&s->metrics);
    it->snaps = xgrow(it->snaps, &it->snaps_cap, it->nsnaps + 1,
                      sizeof *it->snaps);
    it->snaps[it->nsnaps++] = s;
    return s;
}

static int cmp_snap(const void *a, const void *b)
{
    const struct snapshot *x = *(const struct snapshot *const *)a;
    const struct snapshot *y = *(const struct snapshot *const *)b;
    return (x->observed_at > y->observed_at) - (x->observed_at < y->observed_at);
}

void item_sort_snapshots(struct item *it)
{
    if (it->nsnaps > 1)
        qsort(it->snaps, it->nsnaps, sizeof *it->snaps, cmp_snap);
}

void batch_init(struct batch *b)
{
    memset(b, 0, sizeof *b);
}

void batch_free(struct batch *b)
{
    if (b == NULL)
        return;
    for (size_t i = 0; i < b->n; i++)
        item_destroy(b->items[i]);
    free(b->items);
    free(b->index);
    free(b->warnings);
    for (size_t i = 0; i < b->nlinks; i++) {
        free(b->links[i].from_ext);
        free(b->links[i].to_ext);
    }
    free(b->links);
    memset(b, 0, sizeof *b);
}

enum err batch_link(struct batch *b, enum platform p, const char *from_ext,
                    const char *rel, const char *to_ext, int64_t offset_s)
{
    struct item_link *l;

    if (!*from_ext || !*to_ext || !*rel ||
        strlen(rel) >= ITEM_LINK_REL_MAX)
        return ERR_INVALID;
    for (size_t i = 0; i < b->nlinks; i++) {
        l = &b->links[i];
        if (l->platform == p && strcmp(l->from_ext, from_ext) == 0 &&
            strcmp(l->rel, rel) == 0 && strcmp(l->to_ext, to_ext) == 0) {
            l->offset_s = offset_s;
            return ERR_OK;
        }
    }
    b->links = xgrow(b->links, &b->links_cap, b->nlinks + 1, sizeof *l);
    l = &b->links[b->nlinks++];
    l->platform = p;
    l->from_ext = xstrdup(from_ext);
    l->to_ext = xstrdup(to_ext);
    memcpy(l->rel, rel, strlen(rel) + 1);
    l->offset_s = offset_s;
    return ERR_OK;
}

static size_t key_hash(enum platform p, enum item_type t, const char *id)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    h = (h ^ (unsigned)p) * 1099511628211ULL;
    h = (h ^ (unsigned)t) * 1099511628211ULL;
    for (const unsigned char *s = (const unsigned char *)id; *s; s++)
        h = (h ^ *s) * 1099511628211ULL;
    return (size_t)h;
}

static bool key_eq(const struct item *it, enum platform p, enum item_type t,
                   const char *id)
{
    return it->platform == p && it->type == t && strcmp(it->ext_id, id) == 0;
}

static void index_put(struct batch *b, size_t pos)
{
    const struct item *it = b->items[pos];
    size_t mask = b->index_cap - 1;
    size_t h = key_hash(it->platform, it->type, it->ext_id) & mask;
    while (b->index[h] != 0)
        h = (h + 1) & mask;
    b->index[h] = pos + 1;
}

static void index_grow(struct batch *b)
{
    size_t ncap = b->index_cap ? b->index_cap * 2 : 64;
    free(b->index);
    b->index = xcalloc(ncap, sizeof *b->index);
    b->index_cap = ncap;
    for (size_t i = 0; i < b->n; i++)
        index_put(b, i);
}

struct item *batch_find(const struct batch *b, enum platform p,
                        enum item_type t, const char *ext_id)
{
    size_t mask, h;
    if (b->index_cap == 0)
        return NULL;
    mask = b->index_cap - 1;
    h = key_hash(p, t, ext_id) & mask;
    while (b->index[h] != 0) {
        struct item *it = b->items[b->index[h] - 1];
        if (key_eq(it, p, t, ext_id))
            return it;
        h = (h + 1) & mask;
    }
    return NULL;
}

struct item *batch_item(struct batch *b, enum platform p, enum item_type t,
                        const char *ext_id)
{
    struct item *it = batch_find(b, p, t, ext_id);
    if (it != NULL)
        return it;
    it = item_create(p, t, ext_id);
    b->items = xgrow(b->items, &b->cap, b->n + 1, sizeof *b->items);
    b->items[b->n++] = it;
    if ((b->n + 1) * 2 > b->index_cap)
        index_grow(b); /* re-inserts everything, the new item included */
    else
        index_put(b, b->n - 1);
    return it;
}

size_t batch_snapshot_count(const struct batch *b)
{
    size_t n = 0;
    for (size_t i = 0; i < b->n; i++)
        n += b->items[i]->nsnaps;
    return n;
}
