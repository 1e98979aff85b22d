/* The media library's JSON API (schedule/media_lib.h), session only:
 *   GET  /api/v1/media?limit=N          the files, newest upload first
 *   GET  /api/v1/media/SHA256           one file
 *   GET  /api/v1/media/SHA256/thumb     its thumbnail (image/jpeg)
 *   POST /api/v1/media/SHA256/delete    remove it (409 while a post
 *                                       needs it, naming the posts)
 * Each file: sha256, path, name, bytes, content_type, container,
 * video_codec, audio_codec, duration_ms (null for an image), width,
 * height, uploaded_at, thumb_url (null without one), fits {platform:
 * null when it fits, else {param, message}}, used_by [{id, platform,
 * account, title, state, publish_at, holds}], deletable. Uploads:
 * api_upload.c. */
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/jsonw.h"
#include "core/str.h"
#include "core/timeutil.h"
#include "http/api_args.h"
#include "http/api_fail.h"
#include "http/route.h"
#include "schedule/media_lib.h"
#include "schedule/media_limits.h"
#include "schedule/media_link.h"

#define MEDIA_PREFIX "/api/v1/media/"
#define LIST_DEFAULT 200

struct emit {
    struct jw *w;
    struct store *st;
    bool holds; /* some post holds the file */
    enum err rc;
};

static enum err emit_use(const struct media_use *u, void *ud)
{
    struct emit *e = ud;

    jw_object_begin(e->w);
    jw_kv_i64(e->w, "id", u->post_id);
    jw_kv_str(e->w, "platform", u->platform);
    jw_kv_str(e->w, "account", u->account);
    jw_kv_str(e->w, "title", u->title);
    jw_kv_str(e->w, "state", u->state);
    jw_kv_time(e->w, "publish_at", u->publish_at);
    jw_kv_bool(e->w, "holds", u->holds);
    jw_object_end(e->w);
    e->holds = e->holds || u->holds;
    return e->w->status;
}

static void emit_fits(struct jw *w, const struct media_row *m)
{
    struct buf why;
    const char *field;

    buf_init(&why, 1024);
    jw_key(w, "fits");
    jw_object_begin(w);
    for (size_t i = 0; i < media_limits_n(); i++) {
        const char *p = media_limits_nth(i)->platform;
        jw_key(w, p);
        if (media_lib_fits(m, p, &field, &why) == ERR_OK) {
            jw_null(w);
            continue;
        }
        jw_object_begin(w);
        jw_kv_str(w, "param", field);
        jw_kv_str(w, "message", buf_cstr(&why));
        jw_object_end(w);
    }
    jw_object_end(w);
    buf_free(&why);
}

static void emit_facts(struct jw *w, const struct media_row *m)
{
    struct buf url;

    buf_init(&url, 256);
    jw_kv_str(w, "sha256", m->sha256);
    jw_kv_str(w, "path", m->path);
    jw_kv_str(w, "name", m->name);
    jw_kv_i64(w, "bytes", m->bytes);
    jw_kv_str(w, "content_type", m->content_type);
    jw_kv_str(w, "container", m->container);
    jw_kv_str(w, "video_codec", m->video_codec);
    jw_kv_str(w, "audio_codec", m->audio_codec);
    jw_key(w, "duration_ms");
    if (m->duration_ms >= 0)
        jw_i64(w, m->duration_ms);
    else
        jw_null(w);
    jw_kv_i64(w, "width", m->width);
    jw_kv_i64(w, "height", m->height);
    jw_kv_time(w, "uploaded_at", m->uploaded_at);
    if (m->thumb != NULL)
        buf_catf(&url, MEDIA_PREFIX "%s/thumb", m->sha256);
    jw_kv_str(w, "thumb_url", m->thumb ? buf_cstr(&url) : NULL);
    buf_free(&url);
}

/* One file as a JSON object, with the posts that use it. */
static enum err emit_media(const struct media_row *m, void *ud)
{
    struct emit *e = ud;
    enum err rc;

    jw_object_begin(e->w);
    emit_facts(e->w, m);
    emit_fits(e->w, m);
    e->holds = false;
    jw_key(e->w, "used_by");
    jw_array_begin(e->w);
    rc = store_media_uses(e->st, m->sha256, time_now(), MEDIA_LINK_GRACE_S,
                          emit_use, e);
    jw_array_end(e->w);
    jw_kv_bool(e->w, "deletable", !e->holds);
    jw_object_end(e->w);
    if (rc != ERR_OK)
        e->rc = rc;
    return rc != ERR_OK ? rc : e->w->status;
}

static void api_media_list(struct http_request *req, struct http_response *res)
{
    int64_t limit = LIST_DEFAULT;
    struct jw w;
    struct emit e = {&w, req->st, false, ERR_OK};
    enum err rc;

    if (!api_arg_int(req, res, "limit", 1, STORE_MEDIA_LIST_MAX, &limit))
        return;
    jw_init(&w, &res->body);
    jw_object_begin(&w);
    jw_key(&w, "media");
    jw_array_begin(&w);
    rc = store_media_list(req->st, (size_t)limit, emit_media, &e);
    jw_array_end(&w);
    jw_object_end(&w);
    if (rc != ERR_OK && (e.rc != ERR_OK || w.status == ERR_OK))
        http_error(res, 500, NULL, "database error");
    else
        api_ok_json(res, &w);
}

/* The sha256 after the prefix into sha, and what follows it. */
static bool path_sha(struct http_request *req, struct http_response *res,
                     char sha[65], const char **rest)
{
    const char *s = req->path + strlen(MEDIA_PREFIX);
    const char *slash = strchr(s, '/');
    size_t n = slash ? (size_t)(slash - s) : strlen(s);

    *rest = s + n;
    if (n == 64)
        memcpy(sha, s, 64);
    sha[n == 64 ? 64 : 0] = '\0';
    if (!media_lib_sha_ok(sha)) {
        http_error(res, 400, "sha256",
                   "the media id must be its SHA-256 (64 lowercase hex)");
        return false;
    }
    return true;
}

static void send_thumb(struct http_response *res, const struct media_row *m)
{
    struct stat sb;
    int fd = m->thumb ? open(m->thumb, O_RDONLY | O_CLOEXEC) : -1;

    if (fd < 0 || fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        if (fd >= 0)
            close(fd);
        http_error(res, 404, NULL, "no thumbnail for this file");
        return;
    }
    res->status = 200;
    res->has_file = true;
    res->file_fd = fd;
    res->file_off = 0;
    res->file_len = (uint64_t)sb.st_size;
    res->content_type = "image/jpeg";
    res->cache_control = "private, max-age=86400";
}

static void api_media_get(struct http_request *req, struct http_response *res)
{
    struct media_row m;
    const char *rest;
    char sha[65];
    struct jw w;
    struct emit e = {&w, req->st, false, ERR_OK};
    enum err rc;

    if (!path_sha(req, res, sha, &rest))
        return;
    if (*rest != '\0' && strcmp(rest, "/thumb") != 0) {
        http_error(res, 404, NULL, "no such resource");
        return;
    }
    rc = store_media_get(req->st, sha, &m);
    if (rc != ERR_OK) {
        http_error(res, rc == ERR_NOTFOUND ? 404 : 500, NULL, "%s",
                   rc == ERR_NOTFOUND ? "no such media file" : "database error");
        return;
    }
    if (*rest != '\0') {
        send_thumb(res, &m);
    } else {
        jw_init(&w, &res->body);
        jw_object_begin(&w);
        jw_key(&w, "media");
        rc = emit_media(&m, &e);
        jw_object_end(&w);
        if (rc != ERR_OK && e.rc != ERR_OK)
            http_error(res, 500, NULL, "database error");
        else
            api_ok_json(res, &w);
    }
    media_row_free(&m);
}

static void api_media_delete(struct http_request *req,
                             struct http_response *res)
{
    const char *rest;
    struct buf err;
    char sha[65];
    struct jw w;
    enum err rc;

    if (!path_sha(req, res, sha, &rest))
        return;
    if (strcmp(rest, "/delete") != 0) {
        http_error(res, 404, NULL, "no such action: use delete");
        return;
    }
    buf_init(&err, 2048);
    rc = media_lib_delete(req->st, sha, time_now(), &err);
    if (rc == ERR_OK) {
        jw_init(&w, &res->body);
        jw_object_begin(&w);
        jw_kv_str(&w, "deleted", sha);
        jw_object_end(&w);
        api_ok_json(res, &w);
    } else if (rc == ERR_NOTFOUND) {
        http_error(res, 404, NULL, "no such media file");
    } else if (rc == ERR_BUSY) {
        http_error(res, 409, "sha256", "%s", buf_cstr(&err));
    } else {
        api_store_failed(req, res, rc, "removing media %.16s failed", sha);
    }
    buf_free(&err);
}

const struct route http_medialib_routes[] = {
    {"GET", "/api/v1/media", api_media_list, 0},
    {"GET", MEDIA_PREFIX, api_media_get, 0},
    {"POST", MEDIA_PREFIX, api_media_delete, 0},
    {NULL, NULL, NULL, 0},
};
