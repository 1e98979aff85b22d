/* POST /api/v1/media?name=FILE.mp4: one media file as the raw request
 * body, streamed to a temporary file in the media root (never held in
 * memory), hashed on the way, then renamed to <sha256>.<ext>. Answers 201
 * {path, sha256, bytes, content_type, facts}: what a post's "media"
 * takes, and what libavformat read from the file before it got its name
 * (facts: container, video_codec, audio_codec, duration_ms, width,
 * height); the file joins the media library (schedule/media_lib.h) with
 * a thumbnail.
 * 413 over http_config.media_max_bytes (from Content-Length before any
 * byte is read, else as soon as the body passes it: the file is removed
 * and the rest of the body is dropped); 415 when the first bytes are not
 * a type the platforms take (MP4, MOV, WebM, JPEG, PNG, WebP) or do not
 * match the name's extension, or when libavformat cannot read the file
 * as that type (nothing stays on disk); 503 without a media root. */
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/config.h"
#include "core/jsonw.h"
#include "core/log.h"
#include "core/str.h"
#include "http/api_args.h"
#include "http/api_fail.h"
#include "http/route.h"
#include "core/timeutil.h"
#include "schedule/media.h"
#include "schedule/media_lib.h"

struct upload {
    int fd;          /* -1 once closed */
    struct buf tmp;  /* the temporary file's path */
    struct buf root; /* the media root, canonical */
    crypto_hash_sha256_state h;
    int64_t bytes, max;
    unsigned char head[MEDIA_SNIFF_BYTES];
    size_t nhead;
    const struct media_type *named; /* from ?name= */
    bool too_big, io_error, kept;
    int io_errno; /* errno of the failed write, with io_error */
};

static void drop_file(struct upload *u)
{
    if (u->fd >= 0) {
        close(u->fd);
        u->fd = -1;
        if (unlink(buf_cstr(&u->tmp)) != 0)
            LOG_WARN("media: cannot remove %s", buf_cstr(&u->tmp));
    }
}

static void upload_free(struct http_request *req)
{
    struct upload *u = req->stream;
    if (u == NULL)
        return;
    if (!u->kept)
        drop_file(u);
    buf_free(&u->tmp);
    buf_free(&u->root);
    free(u);
    req->stream = NULL;
}

/* The headers: a name with a known extension, a media root, a declared
 * length within the cap; then the temporary file. */
static bool upload_begin(struct http_request *req, struct http_response *res)
{
    const struct config *cfg = req->cfg->platform;
    const char *name = http_arg(req, "name");
    const char *len = http_header(req, "Content-Length");
    struct upload *u;
    struct buf err;
    int64_t n;

    if (name == NULL || strlen(name) > 255 ||
        media_type_of_name(name) == NULL) {
        http_error(res, 415, "name",
                   "name must be a file name ending in "
                   ".mp4, .m4v, .mov, .webm, .jpg, .jpeg, .png or .webp");
        return false;
    }
    if (len != NULL && (parse_i64(len, 0, INT64_MAX, &n) != ERR_OK ||
                        n > req->cfg->media_max_bytes)) {
        http_error(res, 413, "body", "the file is over %lld bytes",
                   (long long)req->cfg->media_max_bytes);
        return false;
    }
    if (cfg == NULL || cfg->media_root == NULL) {
        http_error(res, 503, NULL, "this server has no media root");
        return false;
    }
    u = xcalloc(1, sizeof *u);
    u->fd = -1;
    u->max = req->cfg->media_max_bytes;
    u->named = media_type_of_name(name);
    buf_init(&u->tmp, 8192);
    buf_init(&u->root, 8192);
    buf_init(&err, 1024);
    req->stream = u;
    crypto_hash_sha256_init(&u->h);
    if (media_root_real(cfg->media_root, &u->root, &err) == ERR_OK &&
        buf_printf(&u->tmp, "%s/.upload-XXXXXX", buf_cstr(&u->root)) == ERR_OK)
        u->fd = mkstemp(u->tmp.data);
    if (u->fd < 0 && err.len > 0) {
        LOG_ERROR("media: cannot create a file in %s: %s", cfg->media_root,
                  buf_cstr(&err));
        http_error(res, 500, NULL, "cannot store the file");
    } else if (u->fd < 0) {
        api_file_failed(req, res, errno, "cannot create a file in the "
                        "media root (%s)", strerror(errno));
    }
    buf_free(&err);
    return u->fd >= 0;
}

static bool write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return false;
        p += w;
        n -= (size_t)w;
    }
    return true;
}

/* A piece of the body. Past the cap, or after a write error, the file
 * goes at once and the rest is dropped: the disk never holds more. */
static void upload_data(struct http_request *req, const char *p, size_t n)
{
    struct upload *u = req->stream;

    if (u == NULL || u->fd < 0)
        return;
    if ((int64_t)n > u->max - u->bytes) {
        u->too_big = true;
        drop_file(u);
        return;
    }
    if (u->nhead < sizeof u->head) {
        size_t k = sizeof u->head - u->nhead;
        memcpy(u->head + u->nhead, p, k < n ? k : n);
        u->nhead += k < n ? k : n;
    }
    crypto_hash_sha256_update(&u->h, (const unsigned char *)p, n);
    u->bytes += (int64_t)n;
    if (!write_all(u->fd, p, n)) {
        u->io_errno = errno; /* answered (and logged) by api_file_failed */
        u->io_error = true;
        drop_file(u);
    }
}

/* The hash and the final name: <root>/<sha256>.<ext>. */
static enum err final_name(struct upload *u, const struct media_type *t,
                           struct buf *sha, struct buf *path)
{
    unsigned char d[crypto_hash_sha256_BYTES];
    char hex[2 * crypto_hash_sha256_BYTES + 1];

    crypto_hash_sha256_final(&u->h, d);
    sodium_bin2hex(hex, sizeof hex, d, sizeof d);
    if (buf_puts(sha, hex) != ERR_OK ||
        buf_printf(path, "%s/%s.%s", buf_cstr(&u->root), hex, t->ext) !=
            ERR_OK)
        return ERR_TOOBIG;
    return ERR_OK;
}

/* Sync and rename into place. */
static enum err keep(struct upload *u, const struct buf *path)
{
    if (fchmod(u->fd, 0600) != 0 || fsync(u->fd) != 0 ||
        rename(buf_cstr(&u->tmp), buf_cstr(path)) != 0)
        return ERR_IO;
    u->kept = true;
    close(u->fd);
    u->fd = -1;
    return ERR_OK;
}

/* Read the facts and make the thumbnail from the temporary file, and
 * store the library's row: a file that is not a readable video or image
 * is refused (415) before it gets a name. */
static bool add_to_library(struct http_request *req, struct http_response *res,
                           struct upload *u, const struct media_type *t,
                           const struct buf *sha, const struct buf *path,
                           struct media_facts *facts)
{
    const char *name = http_arg(req, "name");
    struct media_lib_file f = {buf_cstr(&u->tmp), buf_cstr(path),
                               buf_cstr(&u->root), buf_cstr(sha),
                               name,             u->bytes,
                               t};
    struct buf err;
    enum err rc;

    buf_init(&err, 2048);
    rc = media_lib_add(req->st, &f, time_now(), facts, &err);
    if (rc == ERR_UNSUPPORTED || rc == ERR_BUSY)
        http_error(res, 415, "body", "the file is not a readable %s: %s",
                   t->content_type, buf_cstr(&err));
    else if (rc != ERR_OK)
        api_store_failed(req, res, rc, "storing the media file's facts");
    buf_free(&err);
    return rc == ERR_OK;
}

/* The answer: what a post's "media" takes, and what was read. */
static void answer(struct http_response *res, const struct upload *u,
                   const struct media_type *t, const struct buf *sha,
                   const struct buf *path, const struct media_facts *f)
{
    struct jw w;

    jw_init(&w, &res->body);
    jw_object_begin(&w);
    jw_kv_str(&w, "path", buf_cstr(path));
    jw_kv_str(&w, "sha256", buf_cstr(sha));
    jw_kv_i64(&w, "bytes", u->bytes);
    jw_kv_str(&w, "content_type", t->content_type);
    jw_key(&w, "facts");
    jw_object_begin(&w);
    jw_kv_str(&w, "container", f->container);
    jw_kv_str(&w, "video_codec", f->video_codec);
    jw_kv_str(&w, "audio_codec", f->audio_codec);
    if (f->duration_ms >= 0)
        jw_kv_i64(&w, "duration_ms", f->duration_ms);
    else
        jw_kv_str(&w, "duration_ms", NULL);
    jw_kv_i64(&w, "width", f->width);
    jw_kv_i64(&w, "height", f->height);
    jw_object_end(&w);
    jw_object_end(&w);
    api_ok_json(res, &w);
    if (res->status == 200)
        res->status = 201;
}

static void api_media_upload(struct http_request *req,
                             struct http_response *res)
{
    struct upload *u = req->stream;
    const struct media_type *t;
    struct media_facts facts = {.duration_ms = -1};
    struct buf sha, path;

    buf_init(&sha, 128);
    buf_init(&path, 8192);
    if (u == NULL) {
        http_error(res, 500, NULL, "cannot store the file");
        goto out;
    }
    if (u->io_error) {
        api_file_failed(req, res, u->io_errno, "storing the file failed (%s)",
                        strerror(u->io_errno));
        goto out;
    }
    if (u->too_big) {
        http_error(res, 413, "body", "the file is over %lld bytes",
                   (long long)u->max);
        goto out;
    }
    t = media_sniff(u->head, u->nhead);
    if (t == NULL || strcmp(t->content_type, u->named->content_type) != 0) {
        http_error(res, 415, "body",
                   t == NULL ? "the file is not MP4, MOV, WebM, JPEG, PNG "
                               "or WebP (checked by its first bytes)%s"
                             : "the file's first bytes say %s, its name "
                               "says otherwise",
                   t == NULL ? "" : t->content_type);
        goto out;
    }
    if (final_name(u, t, &sha, &path) != ERR_OK) {
        http_error(res, 500, NULL, "the media root's path is too long");
        goto out;
    }
    if (!add_to_library(req, res, u, t, &sha, &path, &facts))
        goto out;
    if (keep(u, &path) != ERR_OK) {
        api_file_failed(req, res, errno, "keeping the file failed (%s)",
                        strerror(errno));
        goto out;
    }
    answer(res, u, t, &sha, &path, &facts);
out:
    media_facts_free(&facts);
    buf_free(&sha);
    buf_free(&path);
}

static const struct http_stream_ops upload_ops = {
    upload_begin,
    upload_data,
    upload_free,
};

const struct http_stream_ops *http_stream_ops_of(http_handler h)
{
    return h == api_media_upload ? &upload_ops : NULL;
}

const struct route http_upload_routes[] = {
    {"POST", "/api/v1/media", api_media_upload, ROUTE_STREAM},
    {NULL, NULL, NULL, 0},
};
