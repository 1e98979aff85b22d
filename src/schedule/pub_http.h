/* What the Instagram and TikTok publishers share: authenticated calls
 * with one token refresh after a rejected token, the platforms' error
 * documents read into a publish_result, the post's resume state
 * (progress JSON) and its first media file. */
#ifndef MEDIADASH_PUB_HTTP_H
#define MEDIADASH_PUB_HTTP_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/model.h"
#include "net/net.h"
#include "net/oauth_send.h"
#include "schedule/publishers.h"
#include "schedule/worker.h"

#define PUB_HTTP_MAX_JSON ((size_t)1 << 20) /* platform answers we parse */

struct pub_http {
    struct pub_ctx *ctx; /* borrowed */
    enum platform platform;
    const char *account; /* borrowed: the credential's account */
    struct oauth_session auth; /* the token; wiped by _free */
    bool relogin;        /* the credential needs a new login */
    struct buf err;      /* why the last call failed (no token) */
};

void pub_http_init(struct pub_http *h, struct pub_ctx *ctx, enum platform p,
                   const char *account);
void pub_http_free(struct pub_http *h);

/* oauth_send with h's credential (a refused token: a 401 or what the
 * platform's descriptor says, Graph error 190, TikTok
 * access_token_invalid). Returns net_request's result; ERR_INVALID/ERR_NOTFOUND with h->relogin
 * set when the credential needs a new login (nothing sent then). resp
 * must be net_resp_init'ed. */
enum err pub_http_send(struct pub_http *h, const struct net_req *req,
                       struct net_resp *resp) WARN_UNUSED;

/* Parse a JSON object answer (at most PUB_HTTP_MAX_JSON bytes); NULL when
 * it is not one. Caller json_decref's. */
json_t *pub_http_json(const char *text, size_t n);

/* A string member of o (NULL when absent or not a string). */
const char *pub_http_str(const json_t *o, const char *key);

/* The post's progress object (NULL or "" -> empty object). Caller
 * json_decref's. Never NULL. */
json_t *pub_http_progress(const struct post *p);

/* Record progress (an object) on p, committed, while p is publishing and
 * leased by its worker (p->claimed_by). ERR_EXISTS when the lease is
 * gone. err gets why. */
enum err pub_http_save(struct pub_ctx *ctx, const struct post *p,
                       const json_t *progress, struct buf *err) WARN_UNUSED;

/* Fill res for an outcome: status as the scheduler classifies it (0:
 * unclear, 5xx: retry, 429: later, 4xx: failed), the message (printf). */
void pub_http_result(struct publish_result *res, int status, const char *fmt,
                     ...) PRINTF_LIKE(3, 4);

/* The first media file of p: path, sha256, size, content type. */
struct pub_media {
    struct buf path, sha256, ctype;
    int64_t bytes;
    size_t count; /* files the post has */
};
void pub_media_init(struct pub_media *m);
void pub_media_free(struct pub_media *m);
enum err pub_media_first(const struct post *p, struct pub_media *m) WARN_UNUSED;
/* File `index` (0-based) of p, as pub_media_first; ERR_NOTFOUND past the
 * last one. */
enum err pub_media_at(const struct post *p, size_t index,
                      struct pub_media *m) WARN_UNUSED;
/* Whether every file of p has a content type starting with prefix
 * ("image/"); false for a post without files. */
bool pub_media_all(const struct post *p, const char *prefix);

/* Sleep ms milliseconds (status polling). */
void pub_http_sleep_ms(int64_t ms);

#endif
