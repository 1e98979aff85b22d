/* Private to src/http: whole responses of read-only API routes, kept in
 * memory and valid while the store's data generation (store_generation:
 * bumped by every ingest and rollup rebuild, from any process) and the
 * key are unchanged. The key names the request (path and arguments) and
 * anything else the answer depends on, such as today's rollup day.
 *
 * Bounded: at most max_entries responses and max_bytes of bodies; the
 * least recently used goes first. One mutex; safe from every worker
 * thread. */
#ifndef MEDIADASH_HTTP_CACHE_H
#define MEDIADASH_HTTP_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"

#define HTTP_CACHE_KEY_MAX 2048        /* longer keys are not cached */
#define HTTP_CACHE_BODY_MAX ((size_t)1 << 20) /* larger bodies neither */

struct http_cache;

/* A cache of at most max_entries responses and max_bytes of bodies.
 * Caller destroys. */
struct http_cache *http_cache_create(size_t max_entries, size_t max_bytes);
void http_cache_destroy(struct http_cache *c); /* NULL is a no-op */

/* When key is cached for generation gen: append its body to out, set
 * *content_type (a static string given to put) and return true. */
bool http_cache_get(struct http_cache *c, const char *key, int64_t gen,
                    struct buf *out, const char **content_type);

/* Cache body (copied) under key for generation gen, replacing what the
 * key held. Keys or bodies over the limits are not cached. content_type
 * must be a static string. */
void http_cache_put(struct http_cache *c, const char *key, int64_t gen,
                    const struct buf *body, const char *content_type);

/* Hits and misses so far, for tests and logs. */
void http_cache_stats(struct http_cache *c, uint64_t *hits,
                      uint64_t *misses);

#endif
