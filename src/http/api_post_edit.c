/* Editing a post over the API (issue 14):
 *   PATCH /api/v1/posts/ID   JSON body with any of platform (unchanged
 *        only), account, title, caption, tags, privacy, media, at, zone,
 *        fold, shift_gap, draft; and the version the edit was made on,
 *        as "version" in the body or If-Match: "N" (both: they must
 *        agree). Members left out keep their stored values.
 * Answers 200 {"post", "note", "changes"}; 428 naming version when
 * neither gives it; 409 naming version for a stale edit, naming state
 * once the post is no longer a draft or scheduled (nothing changed
 * either way); 400 naming the field for bad input (the create path's
 * checks, sched_post_build); 422 for media outside the media root. */
#include <jansson.h>
#include <string.h>

#include "core/bgloop.h"
#include "core/config.h"
#include "core/jread.h"
#include "core/str.h"
#include "core/timeutil.h"
#include "http/api_args.h"
#include "http/api_fail.h"
#include "http/api_posts.h"
#include "schedule/post_edit.h"

#define POSTS_PREFIX "/api/v1/posts/"

static const char *const patch_keys[] = {
    "platform", "account", "title", "caption",   "tags",  "privacy", "media",
    "at",       "zone",    "fold",  "shift_gap", "draft", "version",
};

/* What the body holds, strings borrowed from its tree. */
struct patch_body {
    struct sched_patch pt;
    const char *tags[SCHED_TAGS_MAX];
    struct sched_media media[SCHED_MEDIA_MAX];
    int64_t version; /* 0: not in the body */
};

static bool tags_member(json_t *o, struct patch_body *b,
                        struct http_response *res)
{
    if (!api_post_tags(o, b->tags, &b->pt.tags, &b->pt.ntags, res))
        return false;
    b->pt.has_tags = json_object_get(o, "tags") != NULL;
    return true;
}

static bool media_member(json_t *o, struct patch_body *b,
                         struct http_response *res)
{
    if (!api_post_media(o, b->media, &b->pt.media, &b->pt.nmedia, res))
        return false;
    b->pt.has_media = json_object_get(o, "media") != NULL;
    return true;
}

/* fold, shift_gap, draft and version through core/jread. */
static bool flags_members(json_t *o, struct patch_body *b,
                          struct http_response *res)
{
    struct buf err;
    struct jread r;
    int64_t fold = 0;
    bool has, draft = false, ok = false;
    const char *param = "fold";

    buf_init(&err, 512);
    jread_init(&r, &err);
    if (jread_int(&r, o, "fold", J_OPTIONAL, 0, 1, &fold, &has) != ERR_OK)
        goto out;
    b->pt.opts.later = fold == 1;
    param = "shift_gap";
    if (jread_bool(&r, o, "shift_gap", J_OPTIONAL, &b->pt.opts.shift_gap,
                   &has) != ERR_OK)
        goto out;
    param = "draft";
    if (jread_bool(&r, o, "draft", J_OPTIONAL, &draft, &has) != ERR_OK)
        goto out;
    b->pt.draft = has ? draft : -1;
    param = "version";
    ok = jread_int(&r, o, "version", J_OPTIONAL, 1, INT64_MAX, &b->version,
                   &has) == ERR_OK;
out:
    if (!ok)
        http_error(res, 400, param, "%s", buf_cstr(&err));
    jread_free(&r);
    buf_free(&err);
    return ok;
}

static bool read_patch(json_t *o, struct patch_body *b,
                       struct http_response *res)
{
    struct sched_patch *pt = &b->pt;
    return api_json_known_keys(o, patch_keys, sizeof patch_keys / sizeof *patch_keys, res) &&
           api_post_str(o, "platform", &pt->platform, res) &&
           api_post_str(o, "account", &pt->account, res) &&
           api_post_str(o, "title", &pt->title, res) &&
           api_post_str(o, "caption", &pt->caption, res) &&
           api_post_str(o, "privacy", &pt->privacy, res) &&
           api_post_str(o, "at", &pt->at, res) &&
           api_post_str(o, "zone", &pt->zone, res) &&
           tags_member(o, b, res) && media_member(o, b, res) &&
           flags_members(o, b, res);
}

/* The version from If-Match ("N", W/"N" or N) and the body: one of them
 * is needed, and they must agree. */
static bool edit_version(struct http_request *req, int64_t body_v,
                         int64_t *out, struct http_response *res)
{
    const char *h = http_header(req, "If-Match");
    int64_t hv = 0;

    if (h != NULL) {
        size_t n;
        if (str_has_prefix(h, "W/"))
            h += 2;
        n = strlen(h);
        if (n >= 2 && h[0] == '"' && h[n - 1] == '"') {
            h++;
            n -= 2;
        }
        if (n == 0 || n > 18 || parse_i64n(h, n, 1, INT64_MAX, &hv) != ERR_OK) {
            http_error(res, 400, "If-Match", "If-Match must be the post's "
                       "version, e.g. \"3\"");
            return false;
        }
    }
    if (hv == 0 && body_v == 0) {
        http_error(res, 428, "version", "the post's version is needed (in "
                   "If-Match or as \"version\" in the body), so that an "
                   "edit made on an old copy cannot overwrite a newer one");
        return false;
    }
    if (hv != 0 && body_v != 0 && hv != body_v) {
        http_error(res, 400, "version", "If-Match (%lld) and version (%lld) "
                   "disagree", (long long)hv, (long long)body_v);
        return false;
    }
    *out = hv ? hv : body_v;
    return true;
}

/* The id in /api/v1/posts/ID, nothing after it. */
static bool patch_id(struct http_request *req, struct http_response *res,
                     int64_t *id)
{
    const char *rest;

    if (strchr(req->path + strlen(POSTS_PREFIX), '/') != NULL) {
        http_error(res, 404, NULL, "no such resource");
        return false;
    }
    return api_post_path_id(req, res, id, &rest);
}

/* 200 {"post": ..., "note": ..., "changes": [...]} with post id as
 * stored now. */
static void answer(struct http_request *req, struct http_response *res,
                   int64_t id, const char *note, const char *changes)
{
    struct post p;
    struct jw w;

    if (store_post_get(req->st, id, &p) != ERR_OK) {
        http_error(res, 500, NULL, "database error");
        return;
    }
    jw_init(&w, &res->body);
    jw_object_begin(&w);
    jw_key(&w, "post");
    sched_post_json(&w, &p);
    jw_kv_str(&w, "note", note && *note ? note : NULL);
    jw_key(&w, "changes");
    sched_changes_json(&w, changes);
    jw_object_end(&w);
    api_ok_json(res, &w);
    post_free(&p);
}

/* The stored post id, if an edit made on version may still change it;
 * else false after the answer (404, 409). */
static bool editable(struct http_request *req, struct http_response *res,
                     int64_t id, int64_t version, struct post *cur)
{
    enum err rc = store_post_get(req->st, id, cur);

    if (rc != ERR_OK) {
        http_error(res, rc == ERR_NOTFOUND ? 404 : 500, NULL,
                   rc == ERR_NOTFOUND ? "no post %lld" : "database error %lld",
                   (long long)id);
        return false;
    }
    if (!post_editable(cur->state)) {
        http_error(res, 409, "state", "post %lld is %s: only a draft or a "
                   "scheduled post can be changed", (long long)id,
                   post_state_name(cur->state));
        return false;
    }
    if (cur->version != version) {
        http_error(res, 409, "version", "post %lld was changed meanwhile: "
                   "it is at version %lld, this edit was made on version "
                   "%lld; reload it and edit again", (long long)id,
                   (long long)cur->version, (long long)version);
        return false;
    }
    return true;
}

/* Write the edit (cur -> p) and answer. */
static void save(struct http_request *req, struct http_response *res,
                 const struct post *cur, const struct post *p,
                 const struct buf *note)
{
    struct buf changes, err;
    size_t n = 0;
    enum err rc;

    buf_init(&changes, POST_EDIT_CHANGES_MAX);
    buf_init(&err, 1024);
    rc = sched_post_diff(cur, p, &changes, &n);
    if (rc != ERR_OK) {
        http_error(res, 413, "body", "the edit is too large to record");
        goto out;
    }
    if (n > 0) /* nothing changed: nothing written, version kept */
        rc = store_post_edit(req->st, cur->id, cur->version, p,
                             req->user ? req->user : "API",
                             buf_cstr(&changes), time_now(), NULL, &err);
    if (rc == ERR_OK) {
        bgloop_kick(req->cfg->worker); /* its time may now be due */
        answer(req, res, cur->id, buf_cstr(note), buf_cstr(&changes));
    } else if (rc == ERR_EXISTS || rc == ERR_UNSUPPORTED) {
        http_error(res, 409, rc == ERR_EXISTS ? "version" : "state", "%s",
                   buf_cstr(&err));
    } else {
        api_store_failed(req, res, rc, "editing post %lld failed",
                         (long long)cur->id);
    }
out:
    buf_free(&changes);
    buf_free(&err);
}

/* Check the patch over cur and save it. */
static void apply(struct http_request *req, struct http_response *res,
                  const struct post *cur, const struct sched_patch *pt)
{
    struct sched_input media = {.media = pt->media, .nmedia = pt->nmedia};
    const char *param = NULL;
    struct buf note, err;
    struct post p = {0};

    buf_init(&note, 1024);
    buf_init(&err, 1024);
    if (sched_post_edit_build(cur, pt, &p, &note, &param, &err) != ERR_OK)
        http_error(res, 400, param ? param : "at", "%s", buf_cstr(&err));
    else if (!pt->has_media || api_posts_media_ok(req, &media, res))
        save(req, res, cur, &p, &note);
    post_free(&p);
    buf_free(&note);
    buf_free(&err);
}

void api_post_patch(struct http_request *req, struct http_response *res)
{
    struct patch_body b = {.pt = SCHED_PATCH_NONE};
    struct post cur = {0};
    json_t *o = NULL;
    int64_t id, version;

    if (!patch_id(req, res, &id))
        return;
    if (req->body_too_big) {
        http_error(res, 413, "body", "the body is too large");
        return;
    }
    o = json_loadb(req->body.data ? req->body.data : "", req->body.len,
                   JSON_REJECT_DUPLICATES, NULL);
    if (!json_is_object(o))
        http_error(res, 400, "body", "the body must be a JSON object");
    else if (read_patch(o, &b, res) &&
             edit_version(req, b.version, &version, res) &&
             editable(req, res, id, version, &cur))
        apply(req, res, &cur, &b.pt);
    post_free(&cur);
    json_decref(o);
}

/* ---- the history --------------------------------------------------------- */

static enum err emit_edit(const struct post_edit *e, void *ud)
{
    struct jw *w = ud;
    jw_object_begin(w);
    jw_kv_time(w, "at", e->at);
    jw_kv_i64(w, "version", e->version);
    jw_kv_str(w, "by", e->by);
    jw_key(w, "changes");
    sched_changes_json(w, e->changes);
    jw_object_end(w);
    return w->status;
}

enum err api_post_edits_json(struct store *st, int64_t id, struct jw *w)
{
    enum err rc;
    jw_array_begin(w);
    rc = store_post_edits(st, id, emit_edit, w);
    jw_array_end(w);
    return rc;
}
