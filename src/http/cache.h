/* Private to src/http: whole responses of read-only API routes, kept in
 * memory and valid while the store's data generation (store_generation:
 * bumped by every ingest and rollup rebuild, from any process) and the
 * key are unchanged. The key names the request (path and arguments) and
 * anything else the answer depends on, such as today's rollup day.
 *
 * An answer is kept with its libmicrohttpd responses ready to queue (200
 * with the body, 304 without), headers included, so a hit allocates
 * nothing and copies nothing: libmicrohttpd responses may be queued on
 * many connections at once.
 *
 * Bounded: at most max_entries responses and max_bytes of bodies; the
 * least recently used goes first. One mutex; safe from every worker
 * thread. */
#ifndef MEDIADASH_HTTP_CACHE_H
#define MEDIADASH_HTTP_CACHE_H

#include <microhttpd.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"

#define HTTP_CACHE_KEY_MAX 2048        /* longer keys are not cached */
#define HTTP_CACHE_BODY_MAX ((size_t)1 << 20) /* larger bodies neither */
#define HTTP_CACHE_ETAG_LEN 18 /* "0123456789abcdef", quotes included */

/* One cached answer. Read-only once made; shared by the cache (while it
 * is an entry) and by every request serving it, each holding a
 * reference (http_cached_release). */
struct http_cached {
    atomic_uint refs;
    char *key;                /* owned */
    int64_t gen;
    uint64_t used;            /* cache tick of the last get or put */
    const char *body;         /* len bytes, owned by ok */
    size_t len;
    const char *content_type; /* static */
    char etag[HTTP_CACHE_ETAG_LEN + 1]; /* strong, from the body's bytes */
    struct MHD_Response *ok;           /* 200, the body */
    struct MHD_Response *not_modified; /* 304, no body */
};

/* Adds the headers every answer carries to r (a made once per answer:
 * Content-Type, ETag, the security headers, ...). */
typedef void (*http_cache_headers_fn)(struct MHD_Response *r,
                                      const struct http_cached *a);

struct http_cache;

/* A cache of at most max_entries responses and max_bytes of bodies;
 * headers (may be NULL) decorates each answer's responses. Caller
 * destroys. */
struct http_cache *http_cache_create(size_t max_entries, size_t max_bytes,
                                     http_cache_headers_fn headers);
/* NULL is a no-op. Answers still held by requests live on until they
 * are released. */
void http_cache_destroy(struct http_cache *c);

/* The answer cached under key for generation gen, held for the caller,
 * or NULL. Allocates nothing. */
struct http_cached *http_cache_get(struct http_cache *c, const char *key,
                                   int64_t gen);

/* Keep body under key for generation gen, replacing what the key held,
 * and return the new answer held for the caller. The body's bytes are
 * taken (body is left empty); content_type must be a static string.
 * NULL, body untouched, when the key or body is over the limits. */
struct http_cached *http_cache_put(struct http_cache *c, const char *key,
                                   int64_t gen, struct buf *body,
                                   const char *content_type);

/* Whether an If-None-Match header value (may be NULL) names a's ETag
 * (or is "*"): then the client has the answer (304). */
bool http_cached_matches(const struct http_cached *a,
                         const char *if_none_match);

/* Drop the caller's reference; the last one frees the answer. NULL is a
 * no-op. */
void http_cached_release(struct http_cached *a);

/* Hits and misses so far, for tests and logs. */
void http_cache_stats(struct http_cache *c, uint64_t *hits,
                      uint64_t *misses);

#endif
