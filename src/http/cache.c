/* The response cache of read-only API routes (cache.h). A few dozen
 * entries: a linear scan under one mutex costs less than the hashing it
 * would replace. */
#include "http/cache.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"

struct entry {
    char *key;     /* owned; NULL for a free slot */
    char *body;    /* owned */
    size_t len;
    const char *content_type;
    int64_t gen;
    uint64_t used; /* tick of the last get or put */
};

struct http_cache {
    pthread_mutex_t mu;
    struct entry *e;
    size_t n, bytes, max_bytes;
    uint64_t tick, hits, misses;
};

struct http_cache *http_cache_create(size_t max_entries, size_t max_bytes)
{
    struct http_cache *c = xcalloc(1, sizeof *c);
    c->e = xcalloc(max_entries ? max_entries : 1, sizeof *c->e);
    c->n = max_entries ? max_entries : 1;
    c->max_bytes = max_bytes;
    pthread_mutex_init(&c->mu, NULL);
    return c;
}

static void drop(struct http_cache *c, struct entry *e)
{
    c->bytes -= e->len;
    FREE_AND_NULL(e->key);
    FREE_AND_NULL(e->body);
    e->len = 0;
}

void http_cache_destroy(struct http_cache *c)
{
    if (c == NULL)
        return;
    for (size_t i = 0; i < c->n; i++)
        drop(c, &c->e[i]);
    pthread_mutex_destroy(&c->mu);
    free(c->e);
    free(c);
}

static struct entry *find(struct http_cache *c, const char *key)
{
    for (size_t i = 0; i < c->n; i++)
        if (c->e[i].key != NULL && strcmp(c->e[i].key, key) == 0)
            return &c->e[i];
    return NULL;
}

bool http_cache_get(struct http_cache *c, const char *key, int64_t gen,
                    struct buf *out, const char **content_type)
{
    struct entry *e;
    bool hit = false;

    pthread_mutex_lock(&c->mu);
    e = find(c, key);
    if (e != NULL && e->gen == gen &&
        buf_append(out, e->body, e->len) == ERR_OK) {
        e->used = ++c->tick;
        *content_type = e->content_type;
        hit = true;
    }
    if (hit)
        c->hits++;
    else
        c->misses++;
    pthread_mutex_unlock(&c->mu);
    return hit;
}

/* The slot for a new entry: a free one, else the least recently used. */
static struct entry *victim(struct http_cache *c)
{
    struct entry *v = &c->e[0];
    for (size_t i = 0; i < c->n; i++) {
        if (c->e[i].key == NULL)
            return &c->e[i];
        if (c->e[i].used < v->used)
            v = &c->e[i];
    }
    return v;
}

/* Evict least recently used entries until len more bytes fit. */
static void make_room(struct http_cache *c, size_t len)
{
    while (c->bytes + len > c->max_bytes) {
        struct entry *v = NULL;
        for (size_t i = 0; i < c->n; i++)
            if (c->e[i].key != NULL && (v == NULL || c->e[i].used < v->used))
                v = &c->e[i];
        if (v == NULL)
            return;
        drop(c, v);
    }
}

void http_cache_put(struct http_cache *c, const char *key, int64_t gen,
                    const struct buf *body, const char *content_type)
{
    struct entry *e;

    if (strlen(key) > HTTP_CACHE_KEY_MAX || body->len > HTTP_CACHE_BODY_MAX ||
        body->len > c->max_bytes)
        return;
    pthread_mutex_lock(&c->mu);
    e = find(c, key);
    if (e != NULL)
        drop(c, e);
    make_room(c, body->len);
    if (e == NULL || e->key != NULL)
        e = victim(c);
    if (e->key != NULL)
        drop(c, e);
    e->key = xstrdup(key);
    e->body = xmalloc(body->len ? body->len : 1);
    if (body->len > 0)
        memcpy(e->body, body->data, body->len);
    e->len = body->len;
    e->content_type = content_type;
    e->gen = gen;
    e->used = ++c->tick;
    c->bytes += body->len;
    pthread_mutex_unlock(&c->mu);
}

void http_cache_stats(struct http_cache *c, uint64_t *hits, uint64_t *misses)
{
    pthread_mutex_lock(&c->mu);
    *hits = c->hits;
    *misses = c->misses;
    pthread_mutex_unlock(&c->mu);
}
