/* The scheduler's JSON API: create, list, show, cancel and retry posts.
 *   POST /api/v1/posts              JSON body; Idempotency-Key header
 *   GET  /api/v1/posts?state=&from=&to=&limit=
 *   GET  /api/v1/posts/ID
 *   POST /api/v1/posts/ID/cancel    POST /api/v1/posts/ID/retry
 *   PATCH /api/v1/posts/ID          edit a draft or scheduled post
 *                                   (api_post_edit.c)
 * Bad parameters are 400s naming them; 404 for no such post; 409 for a
 * state change the post's state does not allow; 422 for an
 * Idempotency-Key reused with another body, or a media file outside the
 * media root (uploads go there: api_media.c).
 *   GET  /api/v1/schedule/resolve?at=&zone=&fold=&shift_gap=  what a wall
 *        time comes to in UTC, with the zone rule's note (compose form)
 *   GET  /api/v1/publishers   the platforms this build publishes to, and
 *        the connected accounts' states (api_post_state.h) */
#include <jansson.h>
#include <string.h>

#include "core/alloc.h"
#include "core/bgloop.h"
#include "core/config.h"
#include "core/digest.h"
#include "core/jsonw.h"
#include "core/str.h"
#include "core/timeutil.h"
#include "http/api_args.h"
#include "http/api_fail.h"
#include "http/api_posts.h"
#include "http/api_post_state.h"
#include "http/api_slots.h"
#include "http/route.h"
#include "schedule/media.h"
#include "schedule/media_lib.h"
#include "schedule/post.h"
#include "schedule/post_limits.h"
#include "schedule/publishers.h"

#define POSTS_PREFIX "/api/v1/posts/"
#define POSTS_LIMIT_MAX 1000

/* ---- POST /api/v1/posts ---------------------------------------------- */

static const char *const body_keys[] = {
    "platform", "account", "title", "caption", "tags",  "privacy",
    "media",    "at",      "zone",  "fold",    "shift_gap", "draft",
    "queue", /* api_slots.c: the account's next free queue slot */
};

bool api_post_str(json_t *o, const char *key, const char **out,
                  struct http_response *res)
{
    json_t *v = json_object_get(o, key);
    if (v == NULL || json_is_null(v))
        return true;
    if (!json_is_string(v)) {
        http_error(res, 400, key, "%s must be a string", key);
        return false;
    }
    *out = json_string_value(v);
    return true;
}

static bool get_bool(json_t *o, const char *key, bool *out,
                     struct http_response *res)
{
    json_t *v = json_object_get(o, key);
    if (v == NULL)
        return true;
    if (!json_is_boolean(v)) {
        http_error(res, 400, key, "%s must be true or false", key);
        return false;
    }
    *out = json_is_true(v);
    return true;
}

bool api_post_tags(json_t *o, const char **tags, const char *const **out,
                   size_t *n, struct http_response *res)
{
    json_t *a = json_object_get(o, "tags"), *v;
    size_t i;
    if (a == NULL)
        return true;
    if (!json_is_array(a) || json_array_size(a) > SCHED_TAGS_MAX)
        goto bad;
    json_array_foreach(a, i, v)
    {
        if (!json_is_string(v))
            goto bad;
        tags[i] = json_string_value(v);
    }
    *out = tags;
    *n = json_array_size(a);
    return true;
bad:
    http_error(res, 400, "tags", "tags must be an array of at most %d "
               "strings", SCHED_TAGS_MAX);
    return false;
}

bool api_post_media(json_t *o, struct sched_media *m,
                    const struct sched_media **out, size_t *n,
                    struct http_response *res)
{
    json_t *a = json_object_get(o, "media"), *v;
    size_t i;
    if (a == NULL)
        return true;
    if (!json_is_array(a) || json_array_size(a) > SCHED_MEDIA_MAX)
        goto bad;
    json_array_foreach(a, i, v)
    {
        json_t *b = json_object_get(v, "bytes");
        if (!json_is_object(v) || !json_is_integer(b) ||
            !json_is_string(json_object_get(v, "path")) ||
            !json_is_string(json_object_get(v, "sha256")) ||
            !json_is_string(json_object_get(v, "content_type")))
            goto bad;
        m[i] = (struct sched_media){
            json_string_value(json_object_get(v, "path")),
            json_string_value(json_object_get(v, "sha256")),
            (int64_t)json_integer_value(b),
            json_string_value(json_object_get(v, "content_type"))};
    }
    *out = m;
    *n = json_array_size(a);
    return true;
bad:
    http_error(res, 400, "media", "media must be an array of at most %d "
               "{path, sha256, bytes, content_type}", SCHED_MEDIA_MAX);
    return false;
}

static bool get_fold(json_t *o, struct sched_input *in,
                     struct http_response *res)
{
    json_t *v = json_object_get(o, "fold");
    if (v == NULL)
        return true;
    if (!json_is_integer(v) || json_integer_value(v) < 0 ||
        json_integer_value(v) > 1) {
        http_error(res, 400, "fold", "fold must be 0 (first) or 1 (second)");
        return false;
    }
    in->opts.later = json_integer_value(v) == 1;
    return true;
}

/* Fill in from the body object o (strings borrowed from o). */
static bool read_input(json_t *o, struct sched_input *in, const char **tags,
                       struct sched_media *m, struct http_response *res)
{
    return api_json_known_keys(o, body_keys, sizeof body_keys / sizeof *body_keys, res) && api_post_str(o, "platform", &in->platform, res) &&
           api_post_str(o, "account", &in->account, res) &&
           api_post_str(o, "title", &in->title, res) &&
           api_post_str(o, "caption", &in->caption, res) &&
           api_post_str(o, "privacy", &in->privacy, res) &&
           api_post_str(o, "at", &in->at, res) &&
           api_post_str(o, "zone", &in->zone, res) &&
           api_post_tags(o, tags, &in->tags, &in->ntags, res) &&
           api_post_media(o, m, &in->media, &in->nmedia, res) &&
           get_fold(o, in, res) &&
           get_bool(o, "shift_gap", &in->opts.shift_gap, res) &&
           get_bool(o, "draft", &in->draft, res);
}

/* Answer {"post": {...}, "note": ...} with post id. */
static void answer_post(struct http_request *req, struct http_response *res,
                        int64_t id, unsigned status, const char *note)
{
    struct api_post_extra x;
    struct post p;
    struct jw w;

    if (store_post_get(req->st, id, &p) != ERR_OK) {
        http_error(res, 500, NULL, "database error");
        return;
    }
    api_post_extra_init(&x, req->st);
    jw_init(&w, &res->body);
    jw_object_begin(&w);
    jw_key(&w, "post");
    sched_post_json_x(&w, &p, api_post_extra_json, &x);
    jw_kv_str(&w, "note", note && *note ? note : NULL);
    jw_object_end(&w);
    api_post_extra_free(&x);
    api_ok_json(res, &w);
    if (res->status == 200)
        res->status = status;
    post_free(&p);
}

/* A problem list as one 400: {"error": {...the first...}, "errors":
 * [{"param", "message"}, ...every one]}. */
static void api_post_issues(struct http_response *res,
                            const struct post_issues *is)
{
    struct jw w;

    if (is->n == 0) {
        http_error(res, 400, "body", "the post is not valid");
        return;
    }
    res->status = 400;
    res->content_type = "application/json";
    buf_reset(&res->body);
    jw_init(&w, &res->body);
    jw_object_begin(&w);
    jw_key(&w, "error");
    jw_object_begin(&w);
    jw_kv_i64(&w, "status", 400);
    jw_kv_str(&w, "message", is->v[0].message);
    jw_kv_str(&w, "param", is->v[0].param);
    jw_object_end(&w);
    jw_key(&w, "errors");
    jw_array_begin(&w);
    for (size_t i = 0; i < is->n; i++) {
        jw_object_begin(&w);
        jw_kv_str(&w, "param", is->v[i].param);
        jw_kv_str(&w, "message", is->v[i].message);
        jw_object_end(&w);
    }
    jw_array_end(&w);
    jw_object_end(&w);
    if (jw_status(&w) != ERR_OK)
        http_error(res, 400, is->v[0].param, "%s", is->v[0].message);
}

struct dup_walk {
    const struct post *p;
    struct jw *w;
    size_t n;
};

static enum err dup_one(const struct post *other, void *ud)
{
    struct dup_walk *d = ud;
    struct buf why;

    buf_init(&why, 1024);
    if (d->n < 10 && post_near_duplicate(d->p, other, &why)) {
        jw_object_begin(d->w);
        jw_kv_str(d->w, "kind", "near_duplicate");
        jw_kv_i64(d->w, "post", other->id);
        jw_kv_str(d->w, "message", buf_cstr(&why));
        jw_object_end(d->w);
        d->n++;
    }
    buf_free(&why);
    return d->w->status;
}

/* "warnings": posts on the same account within a day of p with the same
 * text or media (post_near_duplicate): told, not refused. */
static enum err duplicate_warnings(struct http_request *req, struct jw *w,
                                   const struct post *p)
{
    struct post_query q = {.state = -1,
                           .from = p->publish_at - POST_DUPLICATE_S + 1,
                           .to = p->publish_at + POST_DUPLICATE_S,
                           .limit = 5000};
    struct dup_walk d = {p, w, 0};
    enum err rc;

    jw_key(w, "warnings");
    jw_array_begin(w);
    rc = store_post_list(req->st, &q, dup_one, &d);
    jw_array_end(w);
    return rc;
}

/* Answer a created (or idempotently found) post as answer_post does,
 * plus its near-duplicate warnings. */
static void api_post_created(struct http_request *req,
                             struct http_response *res, int64_t id,
                             unsigned status, const char *note)
{
    struct post p;
    struct jw w;
    enum err rc;

    if (store_post_get(req->st, id, &p) != ERR_OK) {
        http_error(res, 500, NULL, "database error");
        return;
    }
    jw_init(&w, &res->body);
    jw_object_begin(&w);
    jw_key(&w, "post");
    sched_post_json(&w, &p);
    jw_kv_str(&w, "note", note && *note ? note : NULL);
    rc = duplicate_warnings(req, &w, &p);
    jw_object_end(&w);
    post_free(&p);
    if (rc != ERR_OK && w.status == ERR_OK) {
        http_error(res, 500, NULL, "database error");
        return;
    }
    api_ok_json(res, &w);
    if (res->status == 200)
        res->status = status;
}

/* The Idempotency-Key header: absent, or 1..128 visible ASCII bytes. */
static bool idem_key(struct http_request *req, struct http_response *res,
                     const char **out)
{
    const char *k = http_header(req, "Idempotency-Key");
    size_t n = k ? strlen(k) : 0;
    *out = k;
    if (k == NULL)
        return true;
    for (size_t i = 0; i < n; i++)
        if (k[i] < 0x21 || k[i] > 0x7e)
            n = 0;
    if (n == 0 || n > POST_IDEM_KEY_MAX) {
        http_error(res, 400, "Idempotency-Key",
                   "Idempotency-Key must be 1 to %d visible ASCII characters",
                   POST_IDEM_KEY_MAX);
        return false;
    }
    return true;
}

static void store_new(struct http_request *req, struct http_response *res,
                      struct post *p, struct buf *note,
                      const struct slots_queue *q)
{
    struct buf err;
    int64_t id = 0;
    enum err rc;

    buf_init(&err, 1024);
    rc = q->nwhen ? api_slots_queue_store(req, q, p, &id, note, &err)
                  : store_post_add(req->st, p, time_now(), &id, &err);
    if (rc == ERR_OK)
        bgloop_kick(req->cfg->worker); /* it may be due in a minute */
    if (rc == ERR_OK || rc == ERR_EXISTS)
        api_post_created(req, res, id, rc == ERR_OK ? 201 : 200,
                         buf_cstr(note));
    else if (rc == ERR_AMBIGUOUS)
        http_error(res, 422, "Idempotency-Key",
                   "this Idempotency-Key was used with another body");
    else if (rc == ERR_NOTFOUND) /* every queue slot taken */
        http_error(res, 409, "queue", "%s", buf_cstr(&err));
    else
        api_store_failed(req, res, rc, "storing the post failed");
    buf_free(&err);
}

/* The platform's media limits (schedule/media_limits.h), checked on the
 * facts the media library read from each file: 422 naming the field. */
static bool media_fits(struct http_request *req, const struct sched_input *in,
                       struct http_response *res)
{
    const struct config *cfg = req->cfg->platform;
    const char *field = NULL;
    struct buf err;
    enum err rc;

    if (in->nmedia == 0 || cfg == NULL || cfg->media_root == NULL)
        return true;
    buf_init(&err, 2048);
    rc = media_lib_fit(req->st, cfg->media_root, in->platform, in->media,
                       in->nmedia, &field, &err);
    if (rc == ERR_INVALID)
        http_error(res, 422, field, "%s", buf_cstr(&err));
    else if (rc != ERR_OK)
        api_store_failed(req, res, rc, "%s", buf_cstr(&err));
    buf_free(&err);
    return rc == ERR_OK;
}

/* Every media file must be a regular file inside the media root, named
 * by its canonical path (no symlink out of it), of the size stated: the
 * server publishes what a post names, so a dashboard user must not name
 * /etc/passwd. 422 naming the field otherwise. */
static bool media_inside(struct http_request *req,
                         const struct sched_input *in,
                         struct http_response *res)
{
    const struct config *cfg = req->cfg->platform;
    struct buf err;
    int64_t bytes;
    bool ok = true;

    buf_init(&err, 2048);
    for (size_t i = 0; ok && i < in->nmedia; i++) {
        if (cfg == NULL || cfg->media_root == NULL) {
            http_error(res, 422, "media.path", "this server has no media "
                       "root: it takes no media files");
            ok = false;
        } else if (media_check_path(cfg->media_root, in->media[i].path,
                                    &bytes, &err) != ERR_OK) {
            http_error(res, 422, "media.path", "media.path: %s",
                       buf_cstr(&err));
            ok = false;
        } else if (bytes != in->media[i].bytes) {
            http_error(res, 422, "media.bytes", "media.bytes: %s has %lld "
                       "bytes, not %lld", in->media[i].path,
                       (long long)bytes, (long long)in->media[i].bytes);
            ok = false;
        }
    }
    if (ok)
        ok = media_fits(req, in, res);
    buf_free(&err);
    return ok;
}

bool api_posts_media_ok(struct http_request *req,
                        const struct sched_input *in,
                        struct http_response *res)
{
    return media_inside(req, in, res);
}

static void api_post_create(struct http_request *req,
                            struct http_response *res)
{
    struct sched_input in = {0};
    const char *tags[SCHED_TAGS_MAX], *key;
    struct sched_media m[SCHED_MEDIA_MAX];
    struct post_issues issues;
    struct slots_queue q = {0};
    struct post p = {0};
    struct buf note, hash;
    json_t *o = NULL;

    post_issues_init(&issues);
    buf_init(&note, 1024);
    buf_init(&hash, 128);
    if (!idem_key(req, res, &key))
        goto out;
    if (req->body_too_big) {
        http_error(res, 413, "body", "the body is too large");
        goto out;
    }
    o = json_loadb(req->body.data ? req->body.data : "", req->body.len,
                   JSON_REJECT_DUPLICATES, NULL);
    if (!json_is_object(o)) {
        http_error(res, 400, "body", "the body must be a JSON object");
        goto out;
    }
    if (!read_input(o, &in, tags, m, res) ||
        !api_slots_queue_read(req, o, &in, &q, res))
        goto out;
    if (sched_post_build_all(&in, &p, &note, &issues) != ERR_OK) {
        api_post_issues(res, &issues);
        goto out;
    }
    if (!media_inside(req, &in, res))
        goto out;
    if (digest_sha256_hex(req->body.data ? req->body.data : "",
                          req->body.len, &hash) != ERR_OK) {
        http_error(res, 500, NULL, "hashing the body");
        goto out;
    }
    p.idem_key = key ? xstrdup(key) : NULL;
    p.body_hash = xstrdup(buf_cstr(&hash));
    store_new(req, res, &p, &note, &q);
out:
    slots_queue_free(&q);
    post_free(&p);
    json_decref(o);
    post_issues_free(&issues);
    buf_free(&note);
    buf_free(&hash);
}

/* ---- GET /api/v1/posts ------------------------------------------------ */

static bool arg_time(struct http_request *req, struct http_response *res,
                     const char *name, int64_t *out)
{
    const char *v = http_arg(req, name);
    if (v == NULL)
        return true;
    if (time_parse_iso8601(v, out) != ERR_OK) {
        http_error(res, 400, name, "%s must be an ISO 8601 time, e.g. "
                   "2025-03-09T08:30:00Z, or a date", name);
        return false;
    }
    return true;
}

struct emit_ctx {
    struct jw *w;
    struct api_post_extra x;
};

static enum err emit_post(const struct post *p, void *ud)
{
    struct emit_ctx *c = ud;
    sched_post_json_x(c->w, p, api_post_extra_json, &c->x);
    return c->w->status; /* jw_status is for the end only */
}

static void api_post_list(struct http_request *req, struct http_response *res)
{
    struct post_query q = {.state = -1, .from = TIME_NONE, .to = TIME_NONE};
    const char *state = http_arg(req, "state");
    int64_t limit = 500;
    struct emit_ctx c;
    struct jw w;
    enum err rc;

    if (state != NULL && status_query(state, &q) != ERR_OK) {
        http_error(res, 400, "state", "state must be one of "
                   STATUS_QUERY_NAMES);
        return;
    }
    if (!arg_time(req, res, "from", &q.from) ||
        !arg_time(req, res, "to", &q.to) ||
        !api_arg_int(req, res, "limit", 1, POSTS_LIMIT_MAX, &limit))
        return;
    if (q.from != TIME_NONE && q.to != TIME_NONE && q.from > q.to) {
        http_error(res, 400, "to", "to must not be before from");
        return;
    }
    q.limit = (size_t)limit;
    jw_init(&w, &res->body);
    jw_object_begin(&w);
    jw_key(&w, "posts");
    jw_array_begin(&w);
    c.w = &w;
    api_post_extra_init(&c.x, req->st);
    rc = store_post_list(req->st, &q, emit_post, &c);
    api_post_extra_free(&c.x);
    if (rc != ERR_OK && w.status == ERR_OK) {
        http_error(res, 500, NULL, "database error");
        return;
    }
    jw_array_end(&w);
    jw_object_end(&w);
    api_ok_json(res, &w);
}

/* ---- /api/v1/posts/ID[/cancel|/retry] -------------------------------- */

bool api_post_path_id(struct http_request *req, struct http_response *res,
                      int64_t *id, const char **rest)
{
    const char *s = req->path + strlen(POSTS_PREFIX);
    const char *slash = strchr(s, '/');
    size_t n = slash ? (size_t)(slash - s) : strlen(s);

    *rest = s + n;
    if (n == 0 || n > 18 || parse_i64n(s, n, 1, INT64_MAX, id) != ERR_OK) {
        http_error(res, 400, "id", "the post id must be a positive integer");
        return false;
    }
    return true;
}

static enum err emit_event(const struct post_event *e, void *ud)
{
    struct jw *w = ud;
    jw_object_begin(w);
    jw_kv_time(w, "at", e->at);
    jw_kv_str(w, "from", e->from);
    jw_kv_str(w, "to", e->to);
    jw_kv_str(w, "note", e->note);
    jw_object_end(w);
    return w->status;
}

static void api_post_get(struct http_request *req, struct http_response *res)
{
    struct api_post_extra x;
    const char *rest;
    struct post p;
    struct jw w;
    int64_t id;
    enum err rc;

    if (!api_post_path_id(req, res, &id, &rest))
        return;
    if (*rest != '\0') {
        http_error(res, 404, NULL, "no such resource");
        return;
    }
    rc = store_post_get(req->st, id, &p);
    if (rc != ERR_OK) {
        http_error(res, rc == ERR_NOTFOUND ? 404 : 500, NULL,
                   rc == ERR_NOTFOUND ? "no post %lld" : "database error %lld",
                   (long long)id);
        return;
    }
    api_post_extra_init(&x, req->st);
    jw_init(&w, &res->body);
    jw_object_begin(&w);
    jw_key(&w, "post");
    sched_post_json_x(&w, &p, api_post_extra_json, &x);
    api_post_extra_free(&x);
    api_post_performance(&w, req->st, &p);
    jw_key(&w, "events");
    jw_array_begin(&w);
    rc = store_post_events(req->st, id, emit_event, &w);
    jw_array_end(&w);
    jw_key(&w, "edits");
    if (rc == ERR_OK)
        rc = api_post_edits_json(req->st, id, &w);
    jw_object_end(&w);
    post_free(&p);
    if (rc != ERR_OK && w.status == ERR_OK)
        http_error(res, 500, NULL, "database error");
    else
        api_ok_json(res, &w);
}

static void api_post_action(struct http_request *req,
                            struct http_response *res)
{
    const char *rest;
    enum post_state to;
    struct buf err;
    int64_t id;
    enum err rc;

    if (!api_post_path_id(req, res, &id, &rest))
        return;
    if (strcmp(rest, "/cancel") == 0) {
        to = POST_CANCELLED;
    } else if (strcmp(rest, "/retry") == 0) {
        to = POST_SCHEDULED;
    } else {
        http_error(res, 404, NULL, "no such action: use cancel or retry");
        return;
    }
    buf_init(&err, 1024);
    rc = store_post_move(req->st, id, to,
                         to == POST_CANCELLED ? "cancelled by the API"
                                              : "retry asked for by the API",
                         time_now(), NULL, &err);
    if (rc == ERR_OK && to == POST_SCHEDULED)
        bgloop_kick(req->cfg->worker);
    if (rc == ERR_OK)
        answer_post(req, res, id, 200, NULL);
    else if (rc == ERR_NOTFOUND)
        http_error(res, 404, NULL, "no post %lld", (long long)id);
    else if (rc == ERR_UNSUPPORTED)
        http_error(res, 409, NULL, "%s", buf_cstr(&err));
    else
        api_store_failed(req, res, rc, "updating post %lld failed",
                         (long long)id);
    buf_free(&err);
}

/* ---- GET /api/v1/schedule/resolve, GET /api/v1/publishers ---------- */

static bool arg_flag(struct http_request *req, struct http_response *res,
                     const char *name, bool *out)
{
    const char *v = http_arg(req, name);
    if (v == NULL || *v == '\0')
        return true;
    if (strcmp(v, "0") != 0 && strcmp(v, "1") != 0) {
        http_error(res, 400, name, "%s must be 0 or 1", name);
        return false;
    }
    *out = v[0] == '1';
    return true;
}

static void api_resolve(struct http_request *req, struct http_response *res)
{
    const char *at = http_arg(req, "at"), *zone = http_arg(req, "zone");
    struct sched_opts o = {0};
    struct sched_time t;
    struct buf note, err;
    struct jw w;
    enum err rc;

    if (!arg_flag(req, res, "fold", &o.later) ||
        !arg_flag(req, res, "shift_gap", &o.shift_gap))
        return;
    if (at == NULL || zone == NULL || strlen(zone) > 64) {
        http_error(res, 400, at == NULL ? "at" : "zone",
                   "at (YYYY-MM-DD HH:MM) and zone (IANA) are needed");
        return;
    }
    buf_init(&note, 1024);
    buf_init(&err, 1024);
    rc = sched_resolve(zone, at, &o, &t, &note, &err);
    if (rc != ERR_OK) {
        http_error(res, 400,
                   rc == ERR_NOTFOUND || (rc == ERR_INVALID &&
                                          !strstr(buf_cstr(&err), "exist"))
                       ? "zone"
                       : "at",
                   "%s", buf_cstr(&err));
        goto out;
    }
    jw_init(&w, &res->body);
    jw_object_begin(&w);
    jw_kv_time(&w, "utc", t.utc);
    jw_kv_str(&w, "local", t.local);
    jw_kv_str(&w, "zone", zone);
    jw_kv_str(&w, "note", note.len ? buf_cstr(&note) : NULL);
    jw_object_end(&w);
    api_ok_json(res, &w);
out:
    buf_free(&note);
    buf_free(&err);
}

static void api_publishers(struct http_request *req,
                           struct http_response *res)
{
    struct jw w;
    size_t n_pubs;
    const struct publisher_ops *const *pubs = publishers_list(&n_pubs);

    jw_init(&w, &res->body);
    jw_object_begin(&w);
    jw_key(&w, "platforms");
    jw_array_begin(&w);
    for (size_t i = 0; i < n_pubs; i++)
        jw_str(&w, pubs[i]->platform);
    jw_array_end(&w);
    jw_kv_bool(&w, "worker", req->cfg->worker != NULL);
    jw_kv_bool(&w, "compose_dryrun", req->cfg->platform != NULL &&
                                         req->cfg->platform->compose_dryrun);
    jw_key(&w, "limits");
    post_limits_json(&w);
    api_post_connections(&w, req->st);
    jw_object_end(&w);
    api_ok_json(res, &w);
}

const struct route http_post_routes[] = {
    {"GET", "/api/v1/schedule/resolve", api_resolve, 0},
    {"GET", "/api/v1/publishers", api_publishers, 0},
    {"POST", "/api/v1/posts", api_post_create, ROUTE_BODY_MEDIUM},
    {"GET", "/api/v1/posts", api_post_list, 0},
    {"GET", POSTS_PREFIX, api_post_get, 0},
    {"POST", POSTS_PREFIX, api_post_action, 0},
    {"PATCH", POSTS_PREFIX, api_post_patch, ROUTE_BODY_MEDIUM},
    {NULL, NULL, NULL, 0},
};
