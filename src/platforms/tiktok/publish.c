/* The TikTok publisher (platforms/tiktok/publish.h). */
#include "platforms/tiktok/publish.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/log.h"
#include "core/str.h"
#include "core/timeutil.h"
#include "schedule/media_link.h"
#include "schedule/pub_http.h"

#define TT_STEP_FINAL "final_chunk"
#define TT_STEP_PHOTO_INIT "photo_init" /* content/init may have gone out */
#define TT_STEP_PHOTO_SENT "photo_sent" /* content/init answered */

enum err tiktok_chunk_plan(int64_t video_size, int64_t preferred,
                           struct tiktok_chunks *out)
{
    int64_t c = preferred;

    if (video_size <= 0)
        return ERR_INVALID;
    if (c < TIKTOK_CHUNK_MIN)
        c = TIKTOK_CHUNK_MIN;
    if (c > TIKTOK_CHUNK_MAX)
        c = TIKTOK_CHUNK_MAX;
    if (video_size <= c ||
        (video_size / c == 1 && video_size <= TIKTOK_CHUNK_MAX)) {
        /* under 5 MiB must be whole; up to 64 MiB may be */
        out->chunk_size = video_size;
        out->count = 1;
        return ERR_OK;
    }
    if (video_size / c == 1) /* over 64 MiB: at least two chunks */
        c = video_size / 2;
    if (video_size / c > TIKTOK_CHUNKS_MAX)
        return ERR_TOOBIG;
    out->chunk_size = c;
    out->count = video_size / c;
    return ERR_OK;
}

void tiktok_chunk_range(const struct tiktok_chunks *plan, int64_t video_size,
                        int64_t i, int64_t *off, int64_t *len)
{
    *off = i * plan->chunk_size;
    *len = i + 1 < plan->count ? plan->chunk_size : video_size - *off;
}

struct tt {
    struct pub_http h;
    const struct post *p;
    struct publish_result *res;
    struct net_resp resp;
    struct buf url;
    json_t *data; /* the last answer's "data" (borrowed from answer) */
    json_t *answer;
};

/* Record why `step` failed in t->res. final: from the last chunk on,
 * where anything but a clear refusal is unclear. */
static void tt_fail(struct tt *t, enum err rc, const char *step, bool final)
{
    struct publish_result *res = t->res;
    json_t *o = NULL, *e;
    const char *code, *msg, *log_id;

    if (t->h.relogin) {
        snprintf(res->error_code, sizeof res->error_code, "invalid_grant");
        pub_http_result(res, 401,
                        "TikTok %s: the account %s needs a new "
                        "login (mediadash connect tiktok): %s",
                        step, t->p->account, buf_cstr(&t->h.err));
        return;
    }
    o = pub_http_json(buf_cstr(&t->resp.body), t->resp.body.len);
    e = json_object_get(o, "error");
    code = pub_http_str(e, "code");
    if ((rc != ERR_UPSTREAM && rc != ERR_OK) || code == NULL) {
        pub_http_result(res, final ? 0 : 503, "TikTok %s: %s%s", step,
                        buf_cstr(&t->h.err),
                        final ? " (outcome unknown: checking with TikTok "
                                "before anything else)"
                              : "");
        goto out;
    }
    msg = pub_http_str(e, "message");
    log_id = pub_http_str(e, "log_id");
    buf_reset(&res->message);
    if (str_eq(code, "rate_limit_exceeded") || t->resp.status == 429) {
        res->retry_after_s =
            t->resp.retry_at > 0 ? t->resp.retry_at - time_now() : 0;
        res->http_status = 429;
    } else if (str_eq(code, "access_token_invalid")) {
        snprintf(res->error_code, sizeof res->error_code, "invalid_grant");
        res->http_status = 401;
    } else if (t->resp.status >= 500) {
        res->http_status = final ? 0 : 503;
    } else {
        res->http_status = t->resp.status >= 400 ? (int)t->resp.status : 400;
    }
    buf_catf(&res->message, "TikTok %s: %s%s%s%s%s%s", step, code,
             msg && *msg ? ": " : "", msg ? msg : "", log_id ? " (log_id " : "",
             log_id ? log_id : "", log_id ? ")" : "");
out:
    json_decref(o);
}

/* POST api_base + path with a JSON body (taken); t->data is the answer's
 * data. An answer whose error.code is not "ok" is ERR_UPSTREAM. */
static enum err tt_post(struct tt *t, const char *path, json_t *body)
{
    const char *base = t->h.ctx->cfg->plat[PLATFORM_TIKTOK].api_base;
    char *text = json_dumps(body, JSON_COMPACT);
    struct net_req req = {.method = NET_POST,
                          .content_type = "application/json; charset=UTF-8"};
    size_t n = base ? strlen(base) : 0;
    enum err rc = ERR_OK;

    json_decref(t->answer);
    t->answer = NULL;
    t->data = NULL;
    while (n > 0 && base[n - 1] == '/')
        n--;
    buf_reset(&t->url);
    if (text == NULL || n == 0 || buf_append(&t->url, base, n) != ERR_OK ||
        buf_puts(&t->url, path) != ERR_OK)
        rc = ERR_INVALID;
    req.url = buf_cstr(&t->url);
    req.body = text;
    req.body_len = text ? strlen(text) : 0;
    if (rc == ERR_OK)
        rc = pub_http_send(&t->h, &req, &t->resp);
    if (rc == ERR_OK) {
        t->answer = pub_http_json(buf_cstr(&t->resp.body), t->resp.body.len);
        t->data = json_object_get(t->answer, "data");
        if (!json_is_object(t->data)) {
            buf_setf(&t->h.err, "POST %s: no data object in the answer", path);
            rc = ERR_PARSE;
        } else if (!str_eq(pub_http_str(json_object_get(t->answer, "error"),
                                        "code"),
                           "ok")) {
            rc = ERR_UPSTREAM;
        }
    }
    free(text);
    json_decref(body);
    return rc;
}

static const char *tt_privacy(const char *privacy)
{
    if (str_eq(privacy, "public"))
        return "PUBLIC_TO_EVERYONE";
    if (str_eq(privacy, "unlisted"))
        return "MUTUAL_FOLLOW_FRIENDS";
    return "SELF_ONLY";
}

/* Step 1: the creator's privacy options must include ours; the username
 * goes into progress for the post's URL. */
static enum err tt_creator(struct tt *t, const char *level, json_t *progress)
{
    json_t *opts, *v;
    bool offered = false;
    size_t i;
    enum err rc =
        tt_post(t, "/v2/post/publish/creator_info/query/", json_object());

    if (rc != ERR_OK) {
        tt_fail(t, rc, "creator_info", false);
        return rc;
    }
    opts = json_object_get(t->data, "privacy_level_options");
    json_array_foreach(opts, i, v) offered |=
        json_is_string(v) && str_eq(json_string_value(v), level);
    if (json_is_array(opts) && !offered) {
        pub_http_result(t->res, 400,
                        "TikTok: this creator cannot post with "
                        "privacy %s (%s)",
                        t->p->privacy, level);
        return ERR_INVALID;
    }
    if (pub_http_str(t->data, "creator_username") != NULL)
        json_object_set_new(
            progress, "username",
            json_string(pub_http_str(t->data, "creator_username")));
    return ERR_OK;
}

/* Step 2: init, and record publish_id and upload_url. */
static enum err tt_init(struct tt *t, const struct pub_media *m,
                        const struct tiktok_chunks *plan, const char *level,
                        json_t *progress)
{
    const struct post *p = t->p;
    const char *title = p->caption && p->caption[0] ? p->caption : p->title;
    json_t *body = json_pack(
        "{s:{s:s, s:s, s:b, s:b, s:b}, s:{s:s, s:I, s:I, s:I}}", "post_info",
        "title", title, "privacy_level", level, "disable_duet", 0,
        "disable_comment", 0, "disable_stitch", 0, "source_info", "source",
        "FILE_UPLOAD", "video_size", (json_int_t)m->bytes, "chunk_size",
        (json_int_t)plan->chunk_size, "total_chunk_count",
        (json_int_t)plan->count);
    const char *id, *url;
    enum err rc;

    if (body == NULL) {
        pub_http_result(t->res, 400, "TikTok: the title is not valid text");
        return ERR_INVALID;
    }
    rc = tt_post(t, "/v2/post/publish/video/init/", body);
    id = pub_http_str(t->data, "publish_id");
    url = pub_http_str(t->data, "upload_url");
    if (rc == ERR_OK && (id == NULL || url == NULL || strlen(id) > 256 ||
                         (!str_has_prefix(url, "https://") &&
                          !str_has_prefix(url, "http://")))) {
        buf_setf(&t->h.err, "init answered without publish_id/upload_url");
        rc = ERR_PARSE;
    }
    if (rc != ERR_OK) {
        tt_fail(t, rc, "video/init", false);
        return rc;
    }
    json_object_set_new(progress, "publish_id", json_string(id));
    json_object_set_new(progress, "upload_url", json_string(url));
    json_object_set_new(progress, "video_size", json_integer(m->bytes));
    json_object_del(progress, "step");
    rc = pub_http_save(t->h.ctx, p, progress, &t->h.err);
    if (rc != ERR_OK)
        pub_http_result(t->res, 503, "recording the publish id: %s",
                        buf_cstr(&t->h.err));
    return rc;
}

/* Read bytes [off, off+len) of fd into mem. */
static enum err tt_read(struct tt *t, int fd, const struct pub_media *m,
                        int64_t off, int64_t len, char *mem)
{
    int64_t got = 0;
    ssize_t n = 1;

    while (got < len && n > 0) {
        n = pread(fd, mem + got, (size_t)(len - got), (off_t)(off + got));
        got += n > 0 ? n : 0;
    }
    if (got == len)
        return ERR_OK;
    pub_http_result(t->res, 400, "TikTok: %s: cannot read byte %lld: %s",
                    buf_cstr(&m->path), (long long)(off + got),
                    n < 0 ? strerror(errno)
                          : "the file is shorter than "
                            "when the post was made");
    return ERR_IO;
}

/* PUT mem (bytes [off, off+len) of total) to url. A chunk before the
 * last may be sent again; the last one is never repeated blindly (its
 * arrival may publish the video, and a repeat would be refused as if
 * nothing had gone out). */
static enum err tt_put(struct tt *t, const char *url, int64_t off, int64_t len,
                       int64_t total, const char *mem)
{
    struct net_req req = {.method = NET_PUT,
                          .url = url,
                          .content_type = "video/mp4",
                          .retry_unsafe = off + len < total};
    const char *hdrs[2] = {NULL, NULL};
    struct buf range;
    enum err rc;

    buf_init(&range, 128);
    rc = buf_printf(&range, "Content-Range: bytes %lld-%lld/%lld",
                    (long long)off, (long long)(off + len - 1),
                    (long long)total);
    hdrs[0] = buf_cstr(&range);
    req.headers = hdrs;
    req.body = mem;
    req.body_len = (size_t)len;
    buf_reset(&t->h.err);
    if (rc == ERR_OK) /* upload_url carries its own token */
        rc = net_request(t->h.ctx->nc, &req, &t->resp, &t->h.err);
    buf_free(&range);
    return rc;
}

/* Step 3: every chunk in order, one in memory at a time. */
static enum err tt_upload(struct tt *t, const struct pub_media *m,
                          const struct tiktok_chunks *plan, json_t *progress)
{
    const char *url = pub_http_str(progress, "upload_url");
    int64_t off, len, max = 0;
    char *mem;
    enum err rc = ERR_OK;
    int fd = open(buf_cstr(&m->path), O_RDONLY | O_CLOEXEC);

    if (fd < 0) {
        pub_http_result(t->res, 400, "TikTok: cannot read %s: %s",
                        buf_cstr(&m->path), strerror(errno));
        return ERR_IO;
    }
    for (int64_t i = 0; i < plan->count; i++) {
        tiktok_chunk_range(plan, m->bytes, i, &off, &len);
        max = len > max ? len : max;
    }
    mem = xmalloc((size_t)max);
    for (int64_t i = 0; rc == ERR_OK && i < plan->count; i++) {
        bool last = i + 1 == plan->count;
        tiktok_chunk_range(plan, m->bytes, i, &off, &len);
        rc = tt_read(t, fd, m, off, len, mem);
        if (rc == ERR_OK && last) { /* from here on the video may go out */
            json_object_set_new(progress, "step", json_string(TT_STEP_FINAL));
            rc = pub_http_save(t->h.ctx, t->p, progress, &t->h.err);
            if (rc != ERR_OK)
                pub_http_result(t->res, 503, "recording the step: %s",
                                buf_cstr(&t->h.err));
        }
        if (rc != ERR_OK)
            break;
        rc = tt_put(t, url, off, len, m->bytes, mem);
        if (rc != ERR_OK && last) /* whatever it says: ask status/fetch */
            pub_http_result(t->res, 0,
                            "TikTok upload (last chunk): %s "
                            "(outcome unknown: checking with TikTok before "
                            "anything else)",
                            buf_cstr(&t->h.err));
        else if (rc != ERR_OK)
            tt_fail(t, rc, "upload", false);
    }
    free(mem);
    close(fd);
    return rc;
}

/* The remote id and URL of a completed publish into t->res. */
static enum err tt_done(struct tt *t, const char *publish_id,
                        const json_t *progress)
{
    json_t *ids = json_object_get(t->data, "publicaly_available_post_id");
    json_t *first = json_array_get(ids, 0);
    const char *user = pub_http_str(progress, "username");
    enum err rc;

    t->res->http_status = 200;
    buf_reset(&t->res->remote_id);
    if (json_is_integer(first))
        rc = buf_printf(&t->res->remote_id, "%lld",
                        (long long)json_integer_value(first));
    else if (json_is_string(first))
        rc = buf_puts(&t->res->remote_id, json_string_value(first));
    else
        rc = buf_puts(&t->res->remote_id, publish_id);
    if (rc == ERR_OK && first != NULL && user != NULL)
        rc = buf_printf(&t->res->remote_url, "https://www.tiktok.com/@%s/%s/%s",
                        user, pub_media_all(t->p, "image/") ? "photo" : "video",
                        buf_cstr(&t->res->remote_id));
    return rc;
}

/* One status/fetch; *status borrowed from t->answer. */
static enum err tt_status(struct tt *t, const char *publish_id,
                          const char **status)
{
    enum err rc = tt_post(t, "/v2/post/publish/status/fetch/",
                          json_pack("{s:s}", "publish_id", publish_id));

    *status = pub_http_str(t->data, "status");
    if (rc == ERR_OK && *status == NULL) {
        buf_setf(&t->h.err, "status/fetch answered without a status");
        rc = ERR_PARSE;
    }
    return rc;
}

/* Step 4. */
static enum err tt_poll(struct tt *t, json_t *progress)
{
    const struct config *cfg = t->h.ctx->cfg;
    const char *id = pub_http_str(progress, "publish_id");
    const char *status = NULL, *why;
    enum err rc = ERR_OK;

    for (int64_t i = 0; i < cfg->publish_poll_count; i++) {
        if (i > 0)
            pub_http_sleep_ms(cfg->publish_poll_interval_ms);
        rc = tt_status(t, id, &status);
        if (rc != ERR_OK || str_eq(status, "PUBLISH_COMPLETE") ||
            str_eq(status, "FAILED"))
            break;
    }
    if (rc != ERR_OK) {
        tt_fail(t, rc, "status/fetch", false);
    } else if (str_eq(status, "PUBLISH_COMPLETE")) {
        rc = tt_done(t, id, progress);
    } else if (str_eq(status, "FAILED")) {
        why = pub_http_str(t->data, "fail_reason");
        pub_http_result(t->res, 400, "TikTok publish %s failed: %s", id,
                        why ? why : "no fail_reason given");
        json_object_del(progress, "publish_id"); /* a retry starts anew */
        json_object_del(progress, "upload_url");
        json_object_del(progress, "step");
        json_object_del(progress, "init_at");
        if (pub_http_save(t->h.ctx, t->p, progress, &t->h.err) != ERR_OK)
            buf_catf(&t->res->message, " (%s)", buf_cstr(&t->h.err));
        rc = ERR_UPSTREAM;
    } else {
        pub_http_result(t->res, 503,
                        "TikTok is still processing publish "
                        "%s (%s) after %lld polls; the next round continues",
                        id, status, (long long)cfg->publish_poll_count);
        rc = ERR_UPSTREAM;
    }
    return rc;
}

static void tt_init_ctx(struct tt *t, void *ctx, const struct post *p,
                        struct publish_result *res)
{
    memset(t, 0, sizeof *t);
    pub_http_init(&t->h, ctx, PLATFORM_TIKTOK, p->account);
    t->p = p;
    t->res = res;
    net_resp_init(&t->resp);
    buf_init(&t->url, NET_MAX_URL);
}

static void tt_free(struct tt *t)
{
    pub_http_free(&t->h);
    net_resp_free(&t->resp);
    buf_free(&t->url);
    json_decref(t->answer);
}

/* Whether progress says the last chunk went out (or may have). */
static bool tt_sent(const json_t *progress)
{
    return pub_http_str(progress, "publish_id") != NULL &&
           (str_eq(pub_http_str(progress, "step"), TT_STEP_FINAL) ||
            str_eq(pub_http_str(progress, "step"), TT_STEP_PHOTO_SENT));
}

/* Steps 1 to 3 for a post whose video has not gone out. */
static enum err tt_send(struct tt *t, json_t *progress)
{
    const struct post *p = t->p;
    const char *level = tt_privacy(p->privacy);
    struct tiktok_chunks plan;
    struct pub_media m;
    enum err rc;

    pub_media_init(&m);
    rc = pub_media_first(p, &m);
    if (rc != ERR_OK || m.count != 1 ||
        !str_has_prefix(buf_cstr(&m.ctype), "video/")) {
        pub_http_result(t->res, 400, "TikTok: one video file per post, or "
                        "1 to 35 images (a photo post)");
        rc = ERR_UNSUPPORTED;
        goto out;
    }
    rc = tiktok_chunk_plan(m.bytes,
                           config_plat_int(t->h.ctx->cfg, PLATFORM_TIKTOK,
                                           "publish.tiktok_chunk"),
                           &plan);
    if (rc != ERR_OK) {
        pub_http_result(t->res, 400,
                        "TikTok: a video of %lld bytes cannot "
                        "be uploaded (1 to 1000 chunks of at most 64 MiB)",
                        (long long)m.bytes);
        goto out;
    }
    rc = tt_creator(t, level, progress);
    if (rc == ERR_OK)
        rc = tt_init(t, &m, &plan, level, progress);
    if (rc == ERR_OK)
        rc = tt_upload(t, &m, &plan, progress);
out:
    pub_media_free(&m);
    return rc;
}

/* ---- photo posts (content/init, media_type PHOTO) ---------------------
 * https://developers.tiktok.com/doc/content-posting-api-reference-photo-post:
 * TikTok pulls the images from our public media links (PULL_FROM_URL),
 * so the init call is the one that may publish: its step is recorded
 * before it is sent, and an unclear answer is needs_check. */

/* The photo_images array: the public link of every file of the post. */
static enum err tt_photo_links(struct tt *t, json_t *images)
{
    const struct config *cfg = t->h.ctx->cfg;
    struct pub_media m;
    struct buf link;
    enum err rc = ERR_OK;

    pub_media_init(&m);
    buf_init(&link, 4096);
    for (size_t i = 0; rc == ERR_OK && (i == 0 || i < m.count); i++) {
        rc = pub_media_at(t->p, i, &m);
        if (rc == ERR_OK &&
            (t->h.ctx->key == NULL || cfg->publish_public_base_url == NULL ||
             media_link_url(t->h.ctx->key, cfg->publish_public_base_url,
                            t->p->id, i, buf_cstr(&m.sha256),
                            &link) != ERR_OK))
            rc = ERR_INVALID;
        if (rc == ERR_OK)
            json_array_append_new(images, json_string(buf_cstr(&link)));
    }
    if (rc == ERR_OK && (m.count < 1 || m.count > TIKTOK_PHOTOS_MAX))
        rc = ERR_INVALID;
    if (rc != ERR_OK)
        pub_http_result(t->res, 400,
                        "TikTok pulls a photo post's 1 to %d images from "
                        "public URLs: set publish.public_base_url to this "
                        "dashboard's public https address",
                        TIKTOK_PHOTOS_MAX);
    pub_media_free(&m);
    buf_free(&link);
    return rc;
}

/* The content/init body (taken images); NULL when the text is not
 * valid. Title: the post's title; description: its caption. */
static json_t *tt_photo_body(const struct post *p, const char *level,
                             json_t *images)
{
    return json_pack("{s:{s:s, s:s, s:s, s:b, s:b}, s:{s:s, s:i, s:o}, "
                     "s:s, s:s}",
                     "post_info", "title", p->title, "description",
                     p->caption ? p->caption : "", "privacy_level", level,
                     "disable_comment", 0, "auto_add_music", 1,
                     "source_info", "source", "PULL_FROM_URL",
                     "photo_cover_index", 0, "photo_images", images,
                     "post_mode", "DIRECT_POST", "media_type", "PHOTO");
}

/* Steps 1 and 2 of a photo post: creator_info, then content/init, with
 * the step and its time recorded first and the publish_id after. */
static enum err tt_photo_send(struct tt *t, json_t *progress)
{
    const char *level = tt_privacy(t->p->privacy), *id;
    json_t *images = json_array(), *body;
    enum err rc = tt_photo_links(t, images);

    if (rc == ERR_OK)
        rc = tt_creator(t, level, progress);
    if (rc == ERR_OK) {
        body = tt_photo_body(t->p, level, images);
        images = NULL; /* taken by the body (json_pack's "o" steals it) */
    } else {
        body = NULL;
    }
    if (rc == ERR_OK && body == NULL) {
        pub_http_result(t->res, 400, "TikTok: the title or caption is not "
                        "valid text");
        rc = ERR_INVALID;
    }
    if (rc == ERR_OK) { /* from here on the post may go out */
        json_object_set_new(progress, "step", json_string(TT_STEP_PHOTO_INIT));
        json_object_set_new(progress, "init_at", json_integer(time_now()));
        rc = pub_http_save(t->h.ctx, t->p, progress, &t->h.err);
        if (rc != ERR_OK)
            pub_http_result(t->res, 503, "recording the step: %s",
                            buf_cstr(&t->h.err));
    }
    if (rc != ERR_OK) {
        json_decref(body);
        json_decref(images);
        return rc;
    }
    rc = tt_post(t, "/v2/post/publish/content/init/", body);
    id = pub_http_str(t->data, "publish_id");
    if (rc == ERR_OK && (id == NULL || id[0] == '\0' || strlen(id) > 256)) {
        buf_setf(&t->h.err, "content/init answered without a publish_id");
        rc = ERR_PARSE;
    }
    if (rc != ERR_OK) {
        tt_fail(t, rc, "content/init", true);
        return rc;
    }
    json_object_set_new(progress, "publish_id", json_string(id));
    json_object_set_new(progress, "step", json_string(TT_STEP_PHOTO_SENT));
    rc = pub_http_save(t->h.ctx, t->p, progress, &t->h.err);
    if (rc != ERR_OK)
        pub_http_result(t->res, 503, "recording the publish id: %s",
                        buf_cstr(&t->h.err));
    return rc;
}

/* check() of a photo post whose content/init answer never arrived (no
 * publish_id): the creator's recent posts (/v2/video/list/) are searched
 * for one with the post's title made since the init. Found: published.
 * Not found: a public post whose init is TIKTOK_PHOTO_SETTLE_S old did
 * not go out; anything younger, or not public (the list shows public
 * posts only), stays unclear for a person to settle. */
static enum err tt_photo_lookup(struct tt *t, const json_t *progress,
                                bool *found)
{
    const json_t *at = json_object_get(progress, "init_at");
    int64_t init_at = json_is_integer(at) ? json_integer_value(at) : 0;
    json_t *v;
    size_t i;
    enum err rc = tt_post(t, "/v2/video/list/?fields=id,title,create_time",
                          json_pack("{s:i}", "max_count", 20));

    *found = false;
    json_array_foreach(json_object_get(t->data, "videos"), i, v)
    {
        json_t *ct = json_object_get(v, "create_time");
        if (rc != ERR_OK || !str_eq(pub_http_str(v, "title"), t->p->title) ||
            !json_is_integer(ct) || json_integer_value(ct) < init_at - 300 ||
            pub_http_str(v, "id") == NULL)
            continue;
        *found = true;
        t->res->http_status = 200;
        rc = buf_puts(&t->res->remote_id, pub_http_str(v, "id"));
        if (rc == ERR_OK && pub_http_str(progress, "username") != NULL)
            rc = buf_printf(&t->res->remote_url,
                            "https://www.tiktok.com/@%s/photo/%s",
                            pub_http_str(progress, "username"),
                            pub_http_str(v, "id"));
        return rc;
    }
    if (rc != ERR_OK) {
        buf_setf(&t->res->message, "TikTok check (video/list): %s",
                 buf_cstr(&t->h.err));
        return rc;
    }
    if (str_eq(t->p->privacy, "public") &&
        time_now() - init_at >= TIKTOK_PHOTO_SETTLE_S)
        return ERR_OK; /* not there long after: it never went out */
    buf_setf(&t->res->message,
             "TikTok photo post: the answer to content/init was lost and "
             "the post is not among the creator's public posts%s; look on "
             "TikTok, then `mediadash post retry ID` if it is not there",
             str_eq(t->p->privacy, "public") ? " yet" : "");
    return ERR_UPSTREAM;
}

/* Whether TikTok still waits for bytes of the upload: fewer
 * uploaded_bytes than the video has, so the last chunk did not arrive. */
static bool tt_short(const struct tt *t, const json_t *progress,
                     const char *status)
{
    const json_t *got = json_object_get(t->data, "uploaded_bytes");
    const json_t *size = json_object_get(progress, "video_size");

    return str_eq(status, "PROCESSING_UPLOAD") && json_is_integer(got) &&
           json_is_integer(size) &&
           json_integer_value(got) < json_integer_value(size);
}

static enum err tt_publish(void *ctx, const struct post *p,
                           struct publish_result *res)
{
    json_t *progress = pub_http_progress(p);
    const char *status = NULL;
    struct tt t;
    enum err rc = ERR_OK;

    tt_init_ctx(&t, ctx, p, res);
    /* A video whose last chunk went out is only ever polled, unless
     * TikTok says bytes are missing (the last chunk never arrived); an
     * upload cut short never publishes, so it starts anew. */
    if (tt_sent(progress) &&
        tt_status(&t, pub_http_str(progress, "publish_id"), &status) ==
            ERR_OK &&
        tt_short(&t, progress, status))
        json_object_del(progress, "step");
    if (!tt_sent(progress))
        rc = pub_media_all(p, "image/") ? tt_photo_send(&t, progress)
                                        : tt_send(&t, progress);
    if (rc == ERR_OK)
        rc = tt_poll(&t, progress);
    tt_free(&t);
    json_decref(progress);
    return rc;
}

static enum err tt_check(void *ctx, const struct post *p, bool *found,
                         struct publish_result *res)
{
    json_t *progress = pub_http_progress(p);
    const char *status = NULL;
    struct tt t;
    enum err rc = ERR_OK;

    *found = false;
    tt_init_ctx(&t, ctx, p, res);
    if (!tt_sent(progress) &&
        str_eq(pub_http_str(progress, "step"), TT_STEP_PHOTO_INIT)) {
        rc = tt_photo_lookup(&t, progress, found);
        goto out;
    }
    if (tt_sent(progress))
        rc = tt_status(&t, pub_http_str(progress, "publish_id"), &status);
    if (rc == ERR_OK && str_eq(status, "PUBLISH_COMPLETE")) {
        *found = true;
        rc = tt_done(&t, pub_http_str(progress, "publish_id"), progress);
    } else if (rc == ERR_OK && tt_short(&t, progress, status)) {
        /* the last chunk never arrived: the video cannot go out */
    } else if (rc == ERR_OK && status != NULL && !str_eq(status, "FAILED")) {
        buf_setf(&res->message,
                 "TikTok is still processing publish %s "
                 "(%s)",
                 pub_http_str(progress, "publish_id"), status);
        rc = ERR_UPSTREAM; /* unclear for now: asked again next round */
    } else if (rc != ERR_OK) {
        buf_setf(&res->message, "TikTok check: %s", buf_cstr(&t.h.err));
    }
out:
    if (rc != ERR_OK)
        LOG_WARN("post %lld: check on TikTok: %s", (long long)p->id,
                 buf_cstr(&res->message));
    tt_free(&t);
    json_decref(progress);
    return rc;
}

static const char *const tt_image_types[] = {"image/jpeg", "image/webp",
                                             NULL};

const struct media_mix tiktok_media_mix = {
    .platform = "tiktok",
    .label = "TikTok",
    .max_videos = 1,
    .max_images = TIKTOK_PHOTOS_MAX,
    .max_mixed = 0,
    .image_types = tt_image_types,
    .images_what = "JPEG or WebP",
    .several_name = "a photo post",
    .photo_title_max = 90,
    .photo_caption_max = 4000,
};

const struct publisher_ops tiktok_publish_ops = {
    .platform = "tiktok",
    .publish = tt_publish,
    .check = tt_check,
};
