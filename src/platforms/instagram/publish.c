/* The Instagram publisher (platforms/instagram/publish.h). */
#include "platforms/instagram/publish.h"

#include <string.h>

#include "core/log.h"
#include "core/str.h"
#include "core/timeutil.h"
#include "schedule/media_link.h"
#include "schedule/pub_http.h"

#define IG_VERSION "/v21.0/"
#define IG_MEDIA_LOOKUP 25 /* recent media searched by check() */
#define IG_CAROUSEL_MIN 2
#define IG_CAROUSEL_MAX 10 /* items Instagram takes in one carousel */

struct ig {
    struct pub_http h;
    const struct post *p;
    struct publish_result *res;
    struct net_resp resp;
    struct buf url;
};

/* IG user ids are digits; anything else must not reach a URL path. */
static bool ig_id_ok(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (n == 0 || n > 64)
        return false;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

/* Record why a call at `step` failed in g->res. final: the call was
 * media_publish, where anything but a clear refusal is unclear. */
static void ig_fail(struct ig *g, enum err rc, const char *step, bool final)
{
    struct publish_result *res = g->res;
    json_t *o = NULL, *e, *code;
    const char *msg;
    long c = 0;

    if (g->h.relogin) {
        snprintf(res->error_code, sizeof res->error_code, "invalid_grant");
        pub_http_result(res, 401,
                        "Instagram %s: the account %s needs a new "
                        "login (mediadash connect instagram --account %s): %s",
                        step, g->p->account, g->p->account,
                        buf_cstr(&g->h.err));
        return;
    }
    if (rc != ERR_UPSTREAM) {
        pub_http_result(res, final ? 0 : 503, "Instagram %s: %s%s", step,
                        buf_cstr(&g->h.err),
                        final ? " (outcome unknown: checking with Instagram "
                                "before anything else)"
                              : "");
        return;
    }
    o = pub_http_json(buf_cstr(&g->resp.body), g->resp.body.len);
    e = json_object_get(o, "error");
    code = json_object_get(e, "code");
    c = json_is_integer(code) ? (long)json_integer_value(code) : 0;
    msg = pub_http_str(e, "message");
    if (msg == NULL)
        msg = buf_cstr(&g->h.err);
    if (c == 190) {
        snprintf(res->error_code, sizeof res->error_code, "invalid_grant");
        pub_http_result(res, 401, "Instagram %s: %s (code 190)", step, msg);
    } else if (g->resp.status == 429 || c == 4 || c == 17 || c == 32 ||
               c == 613) {
        res->retry_after_s =
            g->resp.retry_at > 0 ? g->resp.retry_at - time_now() : 0;
        pub_http_result(res, 429,
                        "Instagram %s: %s (code %ld): trying "
                        "again later",
                        step, msg, c);
    } else if (g->resp.status >= 500) {
        pub_http_result(res, final ? 0 : 503, "Instagram %s: HTTP %ld: %s",
                        step, g->resp.status, msg);
    } else {
        pub_http_result(res, (int)g->resp.status,
                        "Instagram %s: %s (code "
                        "%ld)",
                        step, msg, c);
    }
    json_decref(o);
}

/* Start g->url as api_base + IG_VERSION + path. */
static enum err ig_url(struct ig *g, const char *path)
{
    const char *base = g->h.ctx->cfg->plat[PLATFORM_INSTAGRAM].api_base;
    size_t n = base ? strlen(base) : 0;

    buf_reset(&g->url);
    while (n > 0 && base[n - 1] == '/')
        n--;
    if (n == 0)
        return ERR_INVALID;
    if (buf_append(&g->url, base, n) != ERR_OK ||
        buf_printf(&g->url, IG_VERSION "%s", path) != ERR_OK)
        return ERR_TOOBIG;
    return ERR_OK;
}

/* GET path with name/value params (NULL-ended); the answer as a JSON
 * object in *out (caller json_decref's). */
static enum err ig_get(struct ig *g, const char *path,
                       const char *const *params, json_t **out)
{
    struct net_req req = {.method = NET_GET};
    enum err rc = ig_url(g, path);

    *out = NULL;
    for (size_t i = 0; rc == ERR_OK && params && params[i]; i += 2)
        rc = net_url_add_param(&g->url, params[i], params[i + 1]);
    req.url = buf_cstr(&g->url);
    if (rc == ERR_OK)
        rc = pub_http_send(&g->h, &req, &g->resp);
    if (rc == ERR_OK) {
        *out = pub_http_json(buf_cstr(&g->resp.body), g->resp.body.len);
        if (*out == NULL) {
            buf_setf(&g->h.err, "GET %s: the answer is not a JSON object",
                     path);
            rc = ERR_PARSE;
        }
    }
    return rc;
}

/* POST path with a form body; no retry inside the client (the caller
 * decides what an unclear answer means). */
static enum err ig_post(struct ig *g, const char *path, const struct buf *form,
                        json_t **out)
{
    struct net_req req = {.method = NET_POST,
                          .body = buf_cstr(form),
                          .body_len = form->len,
                          .content_type = "application/x-www-form-urlencoded"};
    enum err rc = ig_url(g, path);

    *out = NULL;
    req.url = buf_cstr(&g->url);
    if (rc == ERR_OK)
        rc = pub_http_send(&g->h, &req, &g->resp);
    if (rc == ERR_OK) {
        *out = pub_http_json(buf_cstr(&g->resp.body), g->resp.body.len);
        if (*out == NULL) {
            buf_setf(&g->h.err, "POST %s: the answer is not a JSON object",
                     path);
            rc = ERR_PARSE;
        }
    }
    return rc;
}

/* Step 1: *room false (and res filled) when the publishing quota is used
 * up. A limit we cannot read is not a reason to hold the post. */
static enum err ig_quota(struct ig *g, bool *room)
{
    static const char *const params[] = {"fields", "config,quota_usage", NULL};
    struct buf path;
    json_t *o = NULL, *d, *cfg, *used, *total, *dur;
    enum err rc;

    *room = true;
    buf_init(&path, 256);
    rc = buf_printf(&path, "%s/content_publishing_limit", g->p->account);
    if (rc == ERR_OK)
        rc = ig_get(g, buf_cstr(&path), params, &o);
    if (rc != ERR_OK) {
        ig_fail(g, rc, "content_publishing_limit", false);
        goto out;
    }
    d = json_array_get(json_object_get(o, "data"), 0);
    cfg = json_object_get(d, "config");
    used = json_object_get(d, "quota_usage");
    total = json_object_get(cfg, "quota_total");
    dur = json_object_get(cfg, "quota_duration");
    if (json_is_integer(used) && json_is_integer(total) &&
        json_integer_value(used) >= json_integer_value(total)) {
        int64_t window = json_is_integer(dur) ? json_integer_value(dur) : 0;
        if (window <= 0 || window > 86400)
            window = 86400;
        *room = false;
        g->res->retry_after_s = window;
        pub_http_result(g->res, 429,
                        "Instagram publishing limit reached: "
                        "%lld of %lld posts in %lld h used; the post waits "
                        "and is tried again after the window",
                        (long long)json_integer_value(used),
                        (long long)json_integer_value(total),
                        (long long)(window / 3600));
    }
out:
    json_decref(o);
    buf_free(&path);
    return rc;
}

static enum err ig_status(struct ig *g, const char *container, struct buf *code,
                          struct buf *text);

/* The public link of file i of the post into link (m gets the file).
 * g->res says why when there is none. */
static enum err ig_link(struct ig *g, size_t i, struct pub_media *m,
                        struct buf *link)
{
    const struct config *cfg = g->h.ctx->cfg;
    enum err rc = pub_media_at(g->p, i, m);

    if (rc != ERR_OK) {
        pub_http_result(g->res, 400, "Instagram: media file %zu of the post "
                        "is not as stored", i + 1);
        return rc;
    }
    if (g->h.ctx->key == NULL || cfg->publish_public_base_url == NULL ||
        media_link_url(g->h.ctx->key, cfg->publish_public_base_url, g->p->id,
                       i, buf_cstr(&m->sha256), link) != ERR_OK) {
        pub_http_result(g->res, 400,
                        "Instagram fetches media from a public "
                        "URL: set publish.public_base_url to this "
                        "dashboard's public https address");
        return ERR_INVALID;
    }
    return ERR_OK;
}

/* POST {ig-user-id}/media with form; the new container's id (digits)
 * into id (replaced). step names the call in g->res on failure. */
static enum err ig_create(struct ig *g, const struct buf *form,
                          const char *step, struct buf *id)
{
    struct buf path;
    json_t *o = NULL;
    enum err rc;

    buf_init(&path, 256);
    rc = buf_printf(&path, "%s/media", g->p->account);
    if (rc == ERR_OK)
        rc = ig_post(g, buf_cstr(&path), form, &o);
    if (rc != ERR_OK) {
        ig_fail(g, rc, step, false);
    } else if (!ig_id_ok(pub_http_str(o, "id"))) {
        pub_http_result(g->res, 503, "Instagram %s: no id in the answer",
                        step);
        rc = ERR_PARSE;
    } else {
        buf_reset(id);
        rc = buf_puts(id, pub_http_str(o, "id"));
    }
    json_decref(o);
    buf_free(&path);
    return rc;
}

/* Record progress, saying so in g->res when it cannot be. */
static enum err ig_save(struct ig *g, const json_t *progress, const char *what)
{
    enum err rc = pub_http_save(g->h.ctx, g->p, progress, &g->h.err);

    if (rc != ERR_OK)
        pub_http_result(g->res, 503, "recording the %s: %s", what,
                        buf_cstr(&g->h.err));
    return rc;
}

/* Step 2: create the container and record its id in progress. */
static enum err ig_container(struct ig *g, json_t *progress, const char **id)
{
    const struct post *p = g->p;
    struct pub_media m;
    struct buf link, form, cid;
    const char *caption = p->caption && p->caption[0] ? p->caption : p->title;
    bool video;
    enum err rc;

    pub_media_init(&m);
    buf_init(&link, 4096);
    buf_init(&form, 64 * 1024);
    buf_init(&cid, 128);
    rc = ig_link(g, 0, &m, &link);
    if (rc != ERR_OK)
        goto out;
    video = str_has_prefix(buf_cstr(&m.ctype), "video/");
    if (video)
        rc = net_form_add(&form, "media_type", "REELS");
    if (rc == ERR_OK)
        rc = net_form_add(&form, video ? "video_url" : "image_url",
                          buf_cstr(&link));
    if (rc == ERR_OK)
        rc = net_form_add(&form, "caption", caption);
    if (rc == ERR_OK)
        rc = ig_create(g, &form, "container", &cid);
    if (rc != ERR_OK)
        goto out;
    json_object_set_new(progress, "container", json_string(buf_cstr(&cid)));
    rc = ig_save(g, progress, "container");
    *id = pub_http_str(progress, "container");
out:
    pub_media_free(&m);
    buf_free(&link);
    buf_free(&form);
    buf_free(&cid);
    return rc;
}

/* Carousel step 2a: the container of item i (is_carousel_item; a video
 * as media_type=VIDEO, Instagram's carousel item type), appended to
 * children and recorded before the next item is made. */
static enum err ig_child(struct ig *g, size_t i, json_t *progress,
                         json_t *children)
{
    struct pub_media m;
    struct buf link, form, cid, step;
    bool video;
    enum err rc;

    pub_media_init(&m);
    buf_init(&link, 4096);
    buf_init(&form, 8192);
    buf_init(&cid, 128);
    buf_init(&step, 64);
    rc = ig_link(g, i, &m, &link);
    if (rc != ERR_OK)
        goto out;
    video = str_has_prefix(buf_cstr(&m.ctype), "video/");
    rc = net_form_add(&form, "is_carousel_item", "true");
    if (rc == ERR_OK && video)
        rc = net_form_add(&form, "media_type", "VIDEO");
    if (rc == ERR_OK)
        rc = net_form_add(&form, video ? "video_url" : "image_url",
                          buf_cstr(&link));
    if (rc == ERR_OK)
        rc = buf_printf(&step, "carousel item %zu", i + 1);
    if (rc == ERR_OK)
        rc = ig_create(g, &form, buf_cstr(&step), &cid);
    if (rc != ERR_OK)
        goto out;
    json_array_append_new(children, json_string(buf_cstr(&cid)));
    rc = ig_save(g, progress, "carousel item");
out:
    pub_media_free(&m);
    buf_free(&link);
    buf_free(&form);
    buf_free(&cid);
    buf_free(&step);
    return rc;
}

/* Forget the carousel's containers (a retry makes new ones). */
static void ig_forget(struct ig *g, json_t *progress)
{
    json_object_del(progress, "container");
    json_object_del(progress, "children");
    json_object_del(progress, "step");
    if (pub_http_save(g->h.ctx, g->p, progress, &g->h.err) != ERR_OK)
        buf_catf(&g->res->message, " (%s)", buf_cstr(&g->h.err));
}

/* Poll one container until it leaves IN_PROGRESS (at most
 * publish.poll_count polls); its status_code into code. */
static enum err ig_poll(struct ig *g, const char *container, struct buf *code,
                        struct buf *text)
{
    const struct config *cfg = g->h.ctx->cfg;
    enum err rc = ERR_OK;

    for (int64_t i = 0; i < cfg->publish_poll_count; i++) {
        if (i > 0)
            pub_http_sleep_ms(cfg->publish_poll_interval_ms);
        rc = ig_status(g, container, code, text);
        if (rc != ERR_OK || !str_eq(buf_cstr(code), "IN_PROGRESS"))
            break;
    }
    return rc;
}

/* Carousel step 2b: every item FINISHED. Still IN_PROGRESS: the next
 * round polls the same items; ERROR or EXPIRED: failed with Instagram's
 * text, the items forgotten. */
static enum err ig_children_wait(struct ig *g, json_t *progress)
{
    json_t *children = json_object_get(progress, "children");
    struct buf code, text;
    enum err rc = ERR_OK;
    size_t i;
    json_t *v;

    buf_init(&code, 64);
    buf_init(&text, 2048);
    json_array_foreach(children, i, v)
    {
        const char *id = json_string_value(v);
        rc = ig_id_ok(id) ? ig_poll(g, id, &code, &text) : ERR_PARSE;
        if (rc != ERR_OK) {
            ig_fail(g, rc, "carousel item status", false);
        } else if (str_eq(buf_cstr(&code), "IN_PROGRESS")) {
            pub_http_result(g->res, 503, "Instagram is still processing "
                            "carousel item %zu (container %s); the next "
                            "round continues with it", i + 1, id);
            rc = ERR_UPSTREAM;
        } else if (!str_eq(buf_cstr(&code), "FINISHED")) {
            pub_http_result(g->res, 400, "Instagram carousel item %zu "
                            "(container %s): %s%s%s", i + 1, id,
                            buf_cstr(&code), text.len ? ": " : "",
                            buf_cstr(&text));
            ig_forget(g, progress);
            rc = ERR_UPSTREAM;
        }
        if (rc != ERR_OK)
            break;
    }
    buf_free(&code);
    buf_free(&text);
    return rc;
}

/* Carousel step 2c: the CAROUSEL container with the items as children
 * (in the post's order) and the caption, recorded in progress. */
static enum err ig_carousel_container(struct ig *g, json_t *progress,
                                      const char **id)
{
    const char *caption =
        g->p->caption && g->p->caption[0] ? g->p->caption : g->p->title;
    struct buf ids, form, cid;
    size_t i;
    json_t *v;
    enum err rc = ERR_OK;

    buf_init(&ids, 2048);
    buf_init(&form, 64 * 1024);
    buf_init(&cid, 128);
    json_array_foreach(json_object_get(progress, "children"), i, v)
    {
        if (rc == ERR_OK && i > 0)
            rc = buf_puts(&ids, ",");
        if (rc == ERR_OK)
            rc = buf_puts(&ids, json_string_value(v));
    }
    if (rc == ERR_OK)
        rc = net_form_add(&form, "media_type", "CAROUSEL");
    if (rc == ERR_OK)
        rc = net_form_add(&form, "children", buf_cstr(&ids));
    if (rc == ERR_OK)
        rc = net_form_add(&form, "caption", caption);
    if (rc == ERR_OK)
        rc = ig_create(g, &form, "carousel container", &cid);
    if (rc == ERR_OK) {
        json_object_set_new(progress, "container",
                            json_string(buf_cstr(&cid)));
        rc = ig_save(g, progress, "carousel container");
        *id = pub_http_str(progress, "container");
    }
    buf_free(&ids);
    buf_free(&form);
    buf_free(&cid);
    return rc;
}

/* Step 2 of a carousel (2 to 10 files): the items recorded so far are
 * kept, the missing ones made, all waited for, then the CAROUSEL
 * container. */
static enum err ig_carousel(struct ig *g, json_t *progress, size_t n,
                            const char **id)
{
    json_t *children = json_object_get(progress, "children");
    enum err rc = ERR_OK;

    if (n < IG_CAROUSEL_MIN || n > IG_CAROUSEL_MAX) {
        pub_http_result(g->res, 400, "Instagram: a carousel has 2 to 10 "
                        "images or videos, not %zu", n);
        return ERR_INVALID;
    }
    if (!json_is_array(children) || json_array_size(children) > n) {
        children = json_array();
        json_object_set_new(progress, "children", children);
    }
    for (size_t i = json_array_size(children); rc == ERR_OK && i < n; i++)
        rc = ig_child(g, i, progress, children);
    if (rc == ERR_OK)
        rc = ig_children_wait(g, progress);
    if (rc == ERR_OK)
        rc = ig_carousel_container(g, progress, id);
    return rc;
}

/* The container's status_code into code (replaced), its status text into
 * text. */
static enum err ig_status(struct ig *g, const char *container, struct buf *code,
                          struct buf *text)
{
    static const char *const params[] = {"fields", "id,status_code,status",
                                         NULL};
    json_t *o = NULL;
    enum err rc = ig_get(g, container, params, &o);
    const char *c = pub_http_str(o, "status_code");

    buf_reset(code);
    buf_reset(text);
    if (rc == ERR_OK && c == NULL) {
        buf_setf(&g->h.err, "container %s: no status_code", container);
        rc = ERR_PARSE;
    }
    if (rc == ERR_OK)
        rc = buf_puts(code, c);
    if (rc == ERR_OK && pub_http_str(o, "status") != NULL)
        rc = buf_puts(text, pub_http_str(o, "status"));
    json_decref(o);
    return rc;
}

/* The media id of the post Instagram published from a container: the
 * newest of the account's recent media with the post's caption. */
static enum err ig_find_media(struct ig *g)
{
    static const char *const params[] = {"fields", "id,caption,permalink",
                                         "limit", "25", NULL};
    const char *caption =
        g->p->caption && g->p->caption[0] ? g->p->caption : g->p->title;
    struct buf path;
    json_t *o = NULL, *m;
    size_t i;
    enum err rc;

    buf_init(&path, 256);
    rc = buf_printf(&path, "%s/media", g->p->account);
    if (rc == ERR_OK)
        rc = ig_get(g, buf_cstr(&path), params, &o);
    json_array_foreach(json_object_get(o, "data"), i, m)
    {
        if (rc != ERR_OK || !str_eq(pub_http_str(m, "caption"), caption) ||
            !ig_id_ok(pub_http_str(m, "id")))
            continue;
        rc = buf_puts(&g->res->remote_id, pub_http_str(m, "id"));
        if (rc == ERR_OK && pub_http_str(m, "permalink"))
            rc = buf_puts(&g->res->remote_url, pub_http_str(m, "permalink"));
        break;
    }
    json_decref(o);
    buf_free(&path);
    return rc;
}

/* Step 3: poll until FINISHED. ERR_OK and *published when the container
 * already went out (an earlier round's media_publish). */
static enum err ig_wait(struct ig *g, json_t *progress, const char *container,
                        bool *published)
{
    const struct config *cfg = g->h.ctx->cfg;
    struct buf code, text;
    enum err rc;

    *published = false;
    buf_init(&code, 64);
    buf_init(&text, 2048);
    rc = ig_poll(g, container, &code, &text);
    if (rc != ERR_OK) {
        ig_fail(g, rc, "container status", false);
    } else if (str_eq(buf_cstr(&code), "PUBLISHED")) {
        *published = true;
    } else if (str_eq(buf_cstr(&code), "IN_PROGRESS")) {
        pub_http_result(g->res, 503,
                        "Instagram is still processing "
                        "container %s after %lld polls; the next round "
                        "continues with it",
                        container, (long long)cfg->publish_poll_count);
        rc = ERR_UPSTREAM;
    } else if (!str_eq(buf_cstr(&code), "FINISHED")) {
        /* ERROR, EXPIRED: this container (and a carousel's items) is
         * done for; a retry makes new ones. */
        pub_http_result(g->res, 400, "Instagram container %s: %s%s%s",
                        container, buf_cstr(&code), text.len ? ": " : "",
                        buf_cstr(&text));
        ig_forget(g, progress);
        rc = ERR_UPSTREAM;
    }
    buf_free(&code);
    buf_free(&text);
    return rc;
}

/* Steps 4 and 5. */
static enum err ig_media_publish(struct ig *g, json_t *progress,
                                 const char *container)
{
    static const char *const params[] = {"fields", "permalink", NULL};
    struct buf form, path;
    json_t *o = NULL, *l = NULL;
    const char *id;
    enum err rc;

    buf_init(&form, 1024);
    buf_init(&path, 256);
    json_object_set_new(progress, "step", json_string("media_publish"));
    rc = pub_http_save(g->h.ctx, g->p, progress, &g->h.err);
    if (rc != ERR_OK) {
        pub_http_result(g->res, 503, "recording the step: %s",
                        buf_cstr(&g->h.err));
        goto out;
    }
    rc = net_form_add(&form, "creation_id", container);
    if (rc == ERR_OK)
        rc = buf_printf(&path, "%s/media_publish", g->p->account);
    if (rc == ERR_OK)
        rc = ig_post(g, buf_cstr(&path), &form, &o);
    id = pub_http_str(o, "id");
    if (rc == ERR_OK && !ig_id_ok(id)) {
        buf_setf(&g->h.err, "media_publish answered without a media id");
        rc = ERR_PARSE;
    }
    if (rc != ERR_OK) {
        ig_fail(g, rc, "media_publish", true);
        goto out;
    }
    g->res->http_status = 200;
    rc = buf_puts(&g->res->remote_id, id);
    if (rc == ERR_OK && ig_get(g, id, params, &l) == ERR_OK &&
        pub_http_str(l, "permalink") != NULL)
        rc = buf_puts(&g->res->remote_url, pub_http_str(l, "permalink"));
out:
    json_decref(o);
    json_decref(l);
    buf_free(&form);
    buf_free(&path);
    return rc;
}

/* How many files the post has. */
static size_t ig_count(const struct post *p)
{
    struct pub_media m;
    size_t n;

    pub_media_init(&m);
    n = pub_media_first(p, &m) == ERR_OK ? m.count : 0;
    pub_media_free(&m);
    return n;
}

static void ig_init(struct ig *g, void *ctx, const struct post *p,
                    struct publish_result *res)
{
    pub_http_init(&g->h, ctx, PLATFORM_INSTAGRAM, p->account);
    g->p = p;
    g->res = res;
    net_resp_init(&g->resp);
    buf_init(&g->url, NET_MAX_URL);
}

static void ig_free(struct ig *g)
{
    pub_http_free(&g->h);
    net_resp_free(&g->resp);
    buf_free(&g->url);
}

static enum err ig_publish(void *ctx, const struct post *p,
                           struct publish_result *res)
{
    json_t *progress = pub_http_progress(p);
    const char *container = pub_http_str(progress, "container");
    bool room = true, published = false;
    struct ig g;
    size_t n;
    enum err rc = ERR_INVALID;

    ig_init(&g, ctx, p, res);
    if (!ig_id_ok(p->account)) {
        pub_http_result(res, 400,
                        "Instagram: the account must be an IG "
                        "user id (digits), not \"%s\"",
                        p->account);
        goto out;
    }
    rc = ig_quota(&g, &room);
    if (rc == ERR_OK && !room)
        rc = ERR_UPSTREAM;
    n = ig_count(p);
    if (rc == ERR_OK && container == NULL)
        rc = n > 1 ? ig_carousel(&g, progress, n, &container)
                   : ig_container(&g, progress, &container);
    if (rc == ERR_OK)
        rc = ig_wait(&g, progress, container, &published);
    if (rc == ERR_OK && published) {
        res->http_status = 200; /* an earlier round's publish went out */
        rc = ig_find_media(&g);
    } else if (rc == ERR_OK) {
        rc = ig_media_publish(&g, progress, container);
    }
out:
    ig_free(&g);
    json_decref(progress);
    return rc;
}

static enum err ig_check(void *ctx, const struct post *p, bool *found,
                         struct publish_result *res)
{
    json_t *progress = pub_http_progress(p);
    const char *container = pub_http_str(progress, "container");
    struct buf code, text;
    struct ig g;
    enum err rc = ERR_OK;

    *found = false;
    buf_init(&code, 64);
    buf_init(&text, 2048);
    ig_init(&g, ctx, p, res);
    if (container != NULL && ig_id_ok(p->account))
        rc = ig_status(&g, container, &code, &text);
    if (rc == ERR_OK && str_eq(buf_cstr(&code), "PUBLISHED")) {
        *found = true;
        rc = ig_find_media(&g);
        if (rc != ERR_OK) /* published all the same; the id stays unknown */
            rc = ERR_OK;
    }
    if (rc != ERR_OK) {
        buf_setf(&res->message, "Instagram check: %s", buf_cstr(&g.h.err));
        LOG_WARN("post %lld: %s", (long long)p->id, buf_cstr(&res->message));
    }
    ig_free(&g);
    buf_free(&code);
    buf_free(&text);
    json_decref(progress);
    return rc;
}

static const char *const ig_image_types[] = {"image/jpeg", NULL};

const struct media_mix instagram_media_mix = {
    .platform = "instagram",
    .label = "Instagram",
    .max_videos = IG_CAROUSEL_MAX,
    .max_images = IG_CAROUSEL_MAX,
    .max_mixed = IG_CAROUSEL_MAX,
    .image_types = ig_image_types,
    .images_what = "JPEG",
    .several_name = "a carousel",
};

const struct publisher_ops instagram_publish_ops = {
    .platform = "instagram",
    .publish = ig_publish,
    .check = ig_check,
};
