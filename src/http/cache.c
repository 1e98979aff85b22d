/* The response cache of read-only API routes (cache.h). A few dozen
 * entries: a linear scan under one mutex costs less than the hashing it
 * would replace. */
#include "http/cache.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "http/static.h"

struct http_cache {
    pthread_mutex_t mu;
    struct http_cached **e; /* n slots; NULL: free */
    size_t n, bytes, max_bytes;
    uint64_t tick, hits, misses;
    http_cache_headers_fn headers;
};

struct http_cache *http_cache_create(size_t max_entries, size_t max_bytes,
                                     http_cache_headers_fn headers)
{
    struct http_cache *c = xcalloc(1, sizeof *c);
    c->n = max_entries ? max_entries : 1;
    c->e = xcalloc(c->n, sizeof *c->e);
    c->max_bytes = max_bytes;
    c->headers = headers;
    pthread_mutex_init(&c->mu, NULL);
    return c;
}

void http_cached_release(struct http_cached *a)
{
    if (a == NULL || atomic_fetch_sub(&a->refs, 1) != 1)
        return;
    /* Connections still sending hold libmicrohttpd's own references;
     * the body goes with ok's last one. */
    MHD_destroy_response(a->ok);
    MHD_destroy_response(a->not_modified);
    free(a->key);
    free(a);
}

/* Remove slot i's entry (the cache's reference). */
static void drop(struct http_cache *c, size_t i)
{
    c->bytes -= c->e[i]->len;
    http_cached_release(c->e[i]);
    c->e[i] = NULL;
}

void http_cache_destroy(struct http_cache *c)
{
    if (c == NULL)
        return;
    for (size_t i = 0; i < c->n; i++)
        if (c->e[i] != NULL)
            drop(c, i);
    pthread_mutex_destroy(&c->mu);
    free(c->e);
    free(c);
}

static size_t find(struct http_cache *c, const char *key)
{
    for (size_t i = 0; i < c->n; i++)
        if (c->e[i] != NULL && strcmp(c->e[i]->key, key) == 0)
            return i;
    return c->n;
}

struct http_cached *http_cache_get(struct http_cache *c, const char *key,
                                   int64_t gen)
{
    struct http_cached *a = NULL;
    size_t i;

    pthread_mutex_lock(&c->mu);
    i = find(c, key);
    if (i < c->n && c->e[i]->gen == gen) {
        a = c->e[i];
        a->used = ++c->tick;
        atomic_fetch_add(&a->refs, 1);
        c->hits++;
    } else {
        c->misses++;
    }
    pthread_mutex_unlock(&c->mu);
    return a;
}

/* The least recently used entry's slot, or n when the cache is empty. */
static size_t oldest(struct http_cache *c)
{
    size_t v = c->n;
    for (size_t i = 0; i < c->n; i++)
        if (c->e[i] != NULL && (v == c->n || c->e[i]->used < c->e[v]->used))
            v = i;
    return v;
}

/* A free slot for a new entry of len bytes, evicting the least recently
 * used until it and its bytes fit. */
static size_t make_room(struct http_cache *c, size_t len)
{
    size_t i;

    while (c->bytes + len > c->max_bytes && (i = oldest(c)) < c->n)
        drop(c, i);
    for (i = 0; i < c->n; i++)
        if (c->e[i] == NULL)
            return i;
    i = oldest(c);
    drop(c, i);
    return i;
}

/* A strong ETag from the bytes (64-bit FNV-1a): the same answer has the
 * same tag across generations and restarts. */
static void etag_of(const char *p, size_t n, char out[HTTP_CACHE_ETAG_LEN + 1])
{
    static const char hex[] = "0123456789abcdef";
    uint64_t h = 14695981039346656037u;

    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)p[i]) * 1099511628211u;
    out[0] = '"';
    for (int i = 0; i < 16; i++)
        out[1 + i] = hex[(h >> (60 - 4 * i)) & 15];
    out[17] = '"';
    out[18] = '\0';
}

/* A new answer holding the body's bytes, with one reference. */
static struct http_cached *answer_new(struct http_cache *c, const char *key,
                                      int64_t gen, struct buf *body,
                                      const char *content_type)
{
    struct http_cached *a = xcalloc(1, sizeof *a);
    size_t len = body->len;
    char *data = buf_steal(body);

    atomic_init(&a->refs, 1);
    a->key = xstrdup(key);
    a->gen = gen;
    a->body = data;
    a->len = len;
    a->content_type = content_type;
    etag_of(data, len, a->etag);
    a->ok = MHD_create_response_from_buffer_with_free_callback(len, data,
                                                               free);
    a->not_modified =
        MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
    if (a->ok == NULL || a->not_modified == NULL) { /* out of memory */
        if (buf_append(body, data, len) != ERR_OK)
            buf_reset(body); /* cannot happen: it held len before */
        if (a->ok == NULL)
            free(data);
        if (a->ok != NULL)
            MHD_destroy_response(a->ok);
        if (a->not_modified != NULL)
            MHD_destroy_response(a->not_modified);
        free(a->key);
        free(a);
        return NULL;
    }
    if (c->headers != NULL) {
        c->headers(a->ok, a);
        c->headers(a->not_modified, a);
    }
    return a;
}

struct http_cached *http_cache_put(struct http_cache *c, const char *key,
                                   int64_t gen, struct buf *body,
                                   const char *content_type)
{
    struct http_cached *a;
    size_t i;

    if (strlen(key) > HTTP_CACHE_KEY_MAX || body->len > HTTP_CACHE_BODY_MAX ||
        body->len > c->max_bytes)
        return NULL;
    a = answer_new(c, key, gen, body, content_type);
    if (a == NULL)
        return NULL;
    atomic_fetch_add(&a->refs, 1); /* the caller's; the first is the cache's */
    pthread_mutex_lock(&c->mu);
    i = find(c, key);
    if (i < c->n)
        drop(c, i);
    i = make_room(c, a->len);
    c->e[i] = a;
    a->used = ++c->tick;
    c->bytes += a->len;
    pthread_mutex_unlock(&c->mu);
    return a;
}

bool http_cached_matches(const struct http_cached *a,
                         const char *if_none_match)
{
    return http_etag_matches(if_none_match, a->etag);
}

void http_cache_stats(struct http_cache *c, uint64_t *hits, uint64_t *misses)
{
    pthread_mutex_lock(&c->mu);
    *hits = c->hits;
    *misses = c->misses;
    pthread_mutex_unlock(&c->mu);
}
