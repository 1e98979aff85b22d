/* Shared parts of the Instagram and TikTok publishers (pub_http.h). */
#include "schedule/pub_http.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/secret.h"
#include "core/timeutil.h"
#include "net/oauth_send.h"
#include "schedule/media_link.h"
#include "store/store_post.h"

void pub_http_init(struct pub_http *h, struct pub_ctx *ctx, enum platform p,
                   const char *account)
{
    memset(h, 0, sizeof *h);
    h->ctx = ctx;
    h->platform = p;
    h->account = account;
    oauth_session_init(&h->auth, ctx->o, ctx->st, ctx->nc, p, account);
    buf_init(&h->err, 4096);
}

void pub_http_free(struct pub_http *h)
{
    if (h == NULL)
        return;
    oauth_session_free(&h->auth);
    buf_free(&h->err);
}

enum err pub_http_send(struct pub_http *h, const struct net_req *req,
                       struct net_resp *resp)
{
    enum err rc = oauth_send(&h->auth, req, resp, &h->err);
    if (h->auth.relogin)
        h->relogin = true;
    return rc;
}

json_t *pub_http_json(const char *text, size_t n)
{
    json_t *o;

    if (text == NULL || n == 0 || n > PUB_HTTP_MAX_JSON)
        return NULL;
    o = json_loadb(text, n, JSON_REJECT_DUPLICATES, NULL);
    if (o != NULL && !json_is_object(o)) {
        json_decref(o);
        o = NULL;
    }
    return o;
}

const char *pub_http_str(const json_t *o, const char *key)
{
    const json_t *v = json_object_get(o, key);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

json_t *pub_http_progress(const struct post *p)
{
    json_t *o = NULL;

    if (p->progress != NULL && p->progress[0] != '\0')
        o = json_loads(p->progress, JSON_REJECT_DUPLICATES, NULL);
    if (!json_is_object(o)) {
        json_decref(o);
        o = json_object();
    }
    return o;
}

enum err pub_http_save(struct pub_ctx *ctx, const struct post *p,
                       const json_t *progress, struct buf *err)
{
    char *text = json_dumps(progress, JSON_COMPACT | JSON_SORT_KEYS);
    enum err rc;

    if (text == NULL)
        return ERR_NOMEM;
    rc = store_post_set_progress(ctx->st, p->id, p->claimed_by, text,
                                 time_now(), err);
    free(text);
    return rc;
}

void pub_http_result(struct publish_result *res, int status, const char *fmt,
                     ...)
{
    va_list ap;

    res->http_status = status;
    buf_reset(&res->message);
    va_start(ap, fmt);
    buf_vcatf(&res->message, fmt, ap);
    va_end(ap);
}

void pub_media_init(struct pub_media *m)
{
    buf_init(&m->path, 4096);
    buf_init(&m->sha256, 128);
    buf_init(&m->ctype, 256);
    m->bytes = 0;
    m->count = 0;
}

void pub_media_free(struct pub_media *m)
{
    buf_free(&m->path);
    buf_free(&m->sha256);
    buf_free(&m->ctype);
}

enum err pub_media_first(const struct post *p, struct pub_media *m)
{
    return pub_media_at(p, 0, m);
}

enum err pub_media_at(const struct post *p, size_t index, struct pub_media *m)
{
    json_t *a = p->media ? json_loads(p->media, 0, NULL) : NULL;

    m->count = json_is_array(a) ? json_array_size(a) : 0;
    json_decref(a);
    return media_link_item(p->media, index, &m->path, &m->sha256, &m->bytes,
                           &m->ctype);
}

bool pub_media_all(const struct post *p, const char *prefix)
{
    json_t *a = p->media ? json_loads(p->media, 0, NULL) : NULL;
    size_t i;
    json_t *v;
    bool all = json_array_size(a) > 0;

    json_array_foreach(a, i, v)
    {
        const char *t = json_string_value(json_object_get(v, "content_type"));
        if (t == NULL || strncmp(t, prefix, strlen(prefix)) != 0)
            all = false;
    }
    json_decref(a);
    return all;
}

void pub_http_sleep_ms(int64_t ms)
{
    struct timespec ts = {.tv_sec = (time_t)(ms / 1000),
                          .tv_nsec = (long)(ms % 1000) * 1000000L};
    while (ms > 0 && nanosleep(&ts, &ts) != 0)
        ;
}
