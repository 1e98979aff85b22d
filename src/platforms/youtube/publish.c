/* The YouTube publisher (platforms/youtube/publish.h). */
#define LOG_MODULE "publish_youtube"
#include "platforms/youtube/publish.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/jread.h"
#include "core/jsonw.h"
#include "core/log.h"
#include "core/secret.h"
#include "core/str.h"
#include "core/timeutil.h"
#include "net/oauth_send.h"
#include "schedule/post.h"
#include "schedule/publishers.h"

#define YT_UPLOAD_PATH                                                         \
    "/upload/youtube/v3/videos?uploadType=resumable&part=snippet,status"
#define YT_WATCH "https://www.youtube.com/watch?v="
#define YT_MAX_STALLS 3 /* 308s in a row that add nothing */

/* ---- metadata and ranges (pure, unit-tested) -------------------------- */

static bool held_privacy(const char *privacy)
{
    return str_eq(privacy, "public") || str_eq(privacy, "unlisted");
}

static enum err tags_json(struct jw *w, const char *tags)
{
    json_error_t je;
    json_t *arr = json_loads(tags ? tags : "[]", 0, &je), *v;
    enum err rc = ERR_OK;
    size_t i;

    if (!json_is_array(arr)) {
        json_decref(arr);
        return ERR_PARSE;
    }
    jw_key(w, "tags");
    jw_array_begin(w);
    json_array_foreach(arr, i, v)
    {
        if (!json_is_string(v)) {
            rc = ERR_PARSE;
            break;
        }
        jw_str(w, json_string_value(v));
    }
    jw_array_end(w);
    json_decref(arr);
    return rc;
}

enum err youtube_upload_metadata(const struct post *p, int64_t now,
                                 struct buf *out)
{
    bool hold = p->publish_at > now && held_privacy(p->privacy);
    struct jw w;
    enum err rc;

    jw_init(&w, out);
    jw_object_begin(&w);
    jw_key(&w, "snippet");
    jw_object_begin(&w);
    jw_kv_str(&w, "title", p->title ? p->title : "");
    jw_kv_str(&w, "description", p->caption ? p->caption : "");
    rc = tags_json(&w, p->tags);
    jw_object_end(&w);
    jw_key(&w, "status");
    jw_object_begin(&w);
    jw_kv_str(&w, "privacyStatus",
              hold ? "private" : (p->privacy ? p->privacy : "private"));
    if (hold)
        jw_kv_time(&w, "publishAt", p->publish_at);
    jw_kv_bool(&w, "selfDeclaredMadeForKids", false);
    jw_object_end(&w);
    jw_object_end(&w);
    if (rc == ERR_OK)
        rc = jw_status(&w);
    return rc;
}

enum err youtube_parse_range(const char *range, int64_t total,
                             int64_t *received)
{
    const char *dash;
    int64_t first, last;

    *received = 0;
    if (range == NULL || *range == '\0')
        return ERR_OK;
    if (!str_has_prefix(range, "bytes="))
        return ERR_PARSE;
    range += 6;
    dash = strchr(range, '-');
    if (dash == NULL ||
        parse_i64n(range, (size_t)(dash - range), 0, 0, &first) != ERR_OK ||
        parse_i64(dash + 1, 0, total - 1, &last) != ERR_OK)
        return ERR_PARSE;
    *received = last + 1;
    return ERR_OK;
}

/* ---- one upload -------------------------------------------------------- */

struct yt {
    struct pub_ctx *x;
    const struct post *p;
    struct publish_result *res;
    struct oauth_session auth; /* the token: one refresh per publish */
    struct buf err, session, block;
    int fd;
    int64_t total, chunk, hashed;
    char sha_want[65];
    char ctype[128];
    char path[SCHED_PATH_MAX + 1];
    crypto_hash_sha256_state h;
};

static void yt_init(struct yt *u, void *ctx, const struct post *p,
                    struct publish_result *res)
{
    memset(u, 0, sizeof *u);
    u->x = ctx;
    u->p = p;
    u->res = res;
    u->fd = -1;
    oauth_session_init(&u->auth, u->x->o, u->x->st, u->x->nc,
                       PLATFORM_YOUTUBE, p->account);
    u->auth.refresh_once = true;
    buf_init(&u->err, 4096);
    buf_init(&u->session, NET_MAX_URL);
    u->chunk = config_plat_int(u->x->cfg, PLATFORM_YOUTUBE,
                               "youtube.upload_chunk") /
               YT_CHUNK_UNIT * YT_CHUNK_UNIT;
    if (u->chunk < YT_CHUNK_UNIT)
        u->chunk = YT_CHUNK_UNIT;
    buf_init(&u->block, (size_t)u->chunk); /* the one chunk in memory */
    crypto_hash_sha256_init(&u->h);
}

static void yt_free(struct yt *u)
{
    oauth_session_free(&u->auth);
    buf_free(&u->err);
    buf_free(&u->session);
    buf_free(&u->block);
    if (u->fd >= 0)
        close(u->fd);
}

/* Decide the outcome ourselves (worker.h publish_result.has_outcome). */
static enum err decide(struct yt *u, enum pub_outcome o, enum err rc,
                       const char *fmt, ...) PRINTF_LIKE(4, 5);
static enum err decide(struct yt *u, enum pub_outcome o, enum err rc,
                       const char *fmt, ...)
{
    va_list ap;
    u->res->has_outcome = true;
    u->res->outcome = o;
    buf_reset(&u->res->message);
    va_start(ap, fmt);
    buf_vcatf(&u->res->message, fmt, ap);
    va_end(ap);
    return rc;
}

/* Decide the outcome after getting a token failed with rc. */
static enum err token_failed(struct yt *u, enum err rc)
{
    if (rc == ERR_INVALID) {
        snprintf(u->res->error_code, sizeof u->res->error_code,
                 "invalid_grant");
        return decide(u, PUB_RELOGIN, rc, "%s", buf_cstr(&u->err));
    }
    if (rc == ERR_NOTFOUND)
        return decide(u, PUB_RELOGIN, rc,
                      "no YouTube credential for account %s: run "
                      "`mediadash connect youtube`",
                      u->p->account);
    return decide(u, PUB_RETRY, rc, "access token: %s", buf_cstr(&u->err));
}

/* A token into u->auth before the first request. */
static enum err get_token(struct yt *u)
{
    enum err rc = oauth_session_token(&u->auth, &u->err);

    return rc == ERR_OK ? rc : token_failed(u, rc);
}

/* oauth_send: on a 401, refresh once per publish and send again. extra:
 * more header lines (NULL-terminated). */
static enum err yt_send(struct yt *u, struct net_req *req,
                        const char *const *extra, struct net_resp *resp)
{
    enum err rc;

    req->headers = extra;
    rc = oauth_send(&u->auth, req, resp, &u->err);
    if (u->auth.token_failed)
        rc = token_failed(u, rc);
    return rc;
}

/* The platform's error message ("error.message") or err's text. */
static void upstream_message(struct yt *u, const struct net_resp *resp)
{
    json_error_t je;
    json_t *root = json_loadb(resp->body.data ? resp->body.data : "",
                              resp->body.len, 0, &je);
    json_t *m = json_object_get(json_object_get(root, "error"), "message");

    buf_reset(&u->res->message);
    buf_catf(&u->res->message, "%s", buf_cstr(&u->err));
    if (json_is_string(m))
        buf_catf(&u->res->message, ": %.1000s", json_string_value(m));
    json_decref(root);
}

/* The media: one file, as recorded when the post was scheduled. */
static enum err open_media(struct yt *u)
{
    json_error_t je;
    json_t *arr = json_loads(u->p->media ? u->p->media : "[]", 0, &je);
    json_t *m = json_array_get(arr, 0);
    const char *path = json_string_value(json_object_get(m, "path"));
    const char *sha = json_string_value(json_object_get(m, "sha256"));
    const char *ct = json_string_value(json_object_get(m, "content_type"));
    json_t *jb = json_object_get(m, "bytes");
    struct buf got, why;
    const char *ctype = NULL;
    int64_t bytes = 0;
    enum err rc = ERR_INVALID;

    buf_init(&got, 65);
    buf_init(&why, 1024);
    if (json_array_size(arr) != 1 || path == NULL || sha == NULL ||
        !json_is_integer(jb) || strlen(path) > SCHED_PATH_MAX ||
        strlen(sha) != 64) {
        decide(u, PUB_FATAL, rc,
               "YouTube takes one video file per post; "
               "this post has %zu",
               json_array_size(arr));
        goto out;
    }
    u->total = json_integer_value(jb);
    snprintf(u->path, sizeof u->path, "%s", path);
    snprintf(u->sha_want, sizeof u->sha_want, "%s", sha);
    snprintf(u->ctype, sizeof u->ctype, "%s",
             ct && strlen(ct) < sizeof u->ctype && !strpbrk(ct, "\r\n")
                 ? ct
                 : "application/octet-stream");
    if (sched_media_file(path, &got, &bytes, &ctype, &why) != ERR_OK) {
        decide(u, PUB_FATAL, rc, "media %s", buf_cstr(&why));
    } else if (bytes != u->total || strcmp(buf_cstr(&got), sha) != 0) {
        decide(u, PUB_FATAL, rc,
               "media %s changed since the post was scheduled (%lld bytes, "
               "SHA-256 %.12s..., expected %lld bytes, %.12s...): not "
               "uploaded",
               path, (long long)bytes, buf_cstr(&got), (long long)u->total,
               sha);
    } else if (u->total == 0) {
        decide(u, PUB_FATAL, rc, "media %s is empty", path);
    } else if ((u->fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
        decide(u, PUB_FATAL, rc, "media %s: %s", path, strerror(errno));
    } else {
        rc = ERR_OK;
    }
out:
    json_decref(arr);
    buf_free(&got);
    buf_free(&why);
    return rc;
}

/* Read [off, off + len) into u->block, hashing bytes not hashed yet. */
static enum err read_block(struct yt *u, int64_t off, int64_t len)
{
    ssize_t n;
    int64_t got = 0;

    if (off > u->hashed) /* a Range past what we sent */
        return decide(u, PUB_RETRY, ERR_PARSE,
                      "the upload session claims %lld bytes, more than were "
                      "sent",
                      (long long)off);
    buf_reset(&u->block);
    while (got < len) {
        char tmp[65536];
        size_t want =
            (size_t)(len - got) < sizeof tmp ? (size_t)(len - got) : sizeof tmp;
        n = pread(u->fd, tmp, want, (off_t)(off + got));
        if (n <= 0)
            return decide(u, PUB_FATAL, ERR_IO,
                          "media %s: short read at %lld (file changed?)",
                          u->path, (long long)(off + got));
        if (buf_append(&u->block, tmp, (size_t)n) != ERR_OK)
            return ERR_TOOBIG;
        got += n;
    }
    if (off + len > u->hashed) { /* off <= hashed: chunks only go back */
        int64_t skip = u->hashed - off;
        crypto_hash_sha256_update(&u->h,
                                  (const unsigned char *)u->block.data + skip,
                                  (unsigned long long)(len - skip));
        u->hashed = off + len;
    }
    return ERR_OK;
}

static bool sha_matches(struct yt *u)
{
    unsigned char out[crypto_hash_sha256_BYTES];
    char hex[2 * crypto_hash_sha256_BYTES + 1];
    crypto_hash_sha256_state copy = u->h;

    crypto_hash_sha256_final(&copy, out);
    sodium_bin2hex(hex, sizeof hex, out, sizeof out);
    return strcmp(hex, u->sha_want) == 0;
}

/* ---- the protocol steps ------------------------------------------------ */

static enum err base_url(struct yt *u, const char *path, struct buf *out)
{
    const char *base = u->x->cfg->plat[PLATFORM_YOUTUBE].api_base;
    return buf_printf(out, "%s%s", base ? base : "", path);
}

/* POST the metadata: the session URI into u->session. */
static enum err create_session(struct yt *u)
{
    struct buf url, meta, h_len, h_type;
    const char *extra[3];
    struct net_req req = {0};
    struct net_resp resp;
    int64_t ra = 0;
    enum err rc;

    buf_init(&url, NET_MAX_URL);
    buf_init(&meta, 64 * 1024);
    buf_init(&h_len, 128);
    buf_init(&h_type, 256);
    net_resp_init(&resp);
    rc = base_url(u, YT_UPLOAD_PATH, &url);
    if (rc == ERR_OK)
        rc = youtube_upload_metadata(u->p, time_now(), &meta);
    if (rc == ERR_OK)
        rc = buf_printf(&h_len, "X-Upload-Content-Length: %lld",
                        (long long)u->total);
    if (rc == ERR_OK)
        rc = buf_printf(&h_type, "X-Upload-Content-Type: %s", u->ctype);
    if (rc != ERR_OK) {
        rc = decide(u, PUB_FATAL, rc,
                    "the upload request cannot be built "
                    "(tags or URL)");
        goto out;
    }
    extra[0] = buf_cstr(&h_len);
    extra[1] = buf_cstr(&h_type);
    extra[2] = NULL;
    req.method = NET_POST;
    req.url = buf_cstr(&url);
    req.body = meta.data;
    req.body_len = meta.len;
    req.content_type = "application/json; charset=UTF-8";
    rc = yt_send(u, &req, extra, &resp);
    if (u->res->has_outcome) /* the token step decided */
        goto out;
    u->res->http_status = (int)resp.status;
    if (rc == ERR_UPSTREAM) {
        upstream_message(u, &resp);
        if (net_parse_retry_after(net_resp_header(&resp, NET_HDR_RETRY_AFTER),
                                  time_now(), &ra) == ERR_OK)
            u->res->retry_after_s = ra;
    } else if (rc != ERR_OK) { /* no session: no video can come of it */
        rc = decide(u, PUB_RETRY, rc, "no upload session: %s",
                    buf_cstr(&u->err));
    } else if (*net_resp_header(&resp, NET_HDR_LOCATION) == '\0' ||
               buf_puts(&u->session,
                        net_resp_header(&resp, NET_HDR_LOCATION)) != ERR_OK) {
        rc = decide(u, PUB_RETRY, ERR_PARSE,
                    "the upload session answer (HTTP %ld) has no usable "
                    "Location",
                    resp.status);
    }
out:
    net_resp_free(&resp);
    buf_free(&url);
    buf_free(&meta);
    buf_free(&h_len);
    buf_free(&h_type);
    return rc;
}

/* Commit the session URI before the first byte leaves. */
static enum err record_session(struct yt *u)
{
    struct buf prog;
    struct jw w;
    enum err rc;

    buf_init(&prog, POST_PROGRESS_MAX);
    jw_init(&w, &prog);
    jw_object_begin(&w);
    jw_kv_str(&w, "upload", "youtube-resumable");
    jw_kv_str(&w, "session", buf_cstr(&u->session));
    jw_kv_i64(&w, "bytes", u->total);
    jw_kv_str(&w, "sha256", u->sha_want);
    jw_object_end(&w);
    rc = jw_status(&w);
    if (rc == ERR_OK)
        rc = store_post_set_progress(u->x->st, u->p->id, u->p->claimed_by,
                                     buf_cstr(&prog), time_now(), &u->err);
    if (rc != ERR_OK) /* nothing sent; the lease may be gone */
        buf_setf(&u->res->message, "recording the upload session: %s",
                 buf_cstr(&u->err));
    buf_free(&prog);
    return rc;
}

/* The video resource of a completed upload into remote id and URL. */
static enum err take_video(struct yt *u, const struct net_resp *resp)
{
    json_error_t je;
    json_t *root = json_loadb(resp->body.data ? resp->body.data : "",
                              resp->body.len, 0, &je);
    struct jread r;
    const char *id = NULL;
    enum err rc;

    jread_init(&r, &u->err);
    jread_where(&r, "the completed upload's video resource");
    rc = root ? jread_id(&r, root, "id", J_REQUIRED, &id) : ERR_PARSE;
    if (rc == ERR_OK)
        rc = buf_puts(&u->res->remote_id, id);
    if (rc == ERR_OK)
        rc = buf_printf(&u->res->remote_url, YT_WATCH "%s", id);
    if (rc != ERR_OK && root == NULL)
        buf_setf(&u->err, "the completed upload's answer is not JSON: %s",
                 je.text);
    jread_free(&r);
    json_decref(root);
    return rc;
}

/* PUT to the session: bytes [off, off + len) of u->block, or (len < 0)
 * the status query. */
static enum err put_session(struct yt *u, int64_t off, int64_t len,
                            struct net_resp *resp)
{
    struct buf range;
    const char *extra[2];
    struct net_req req = {0};
    enum err rc;

    buf_init(&range, 128);
    rc = len < 0 ? buf_printf(&range, "Content-Range: bytes */%lld",
                              (long long)u->total)
                 : buf_printf(&range, "Content-Range: bytes %lld-%lld/%lld",
                              (long long)off, (long long)(off + len - 1),
                              (long long)u->total);
    extra[0] = buf_cstr(&range);
    extra[1] = NULL;
    req.method = NET_PUT;
    req.url = buf_cstr(&u->session);
    req.body = len < 0 ? "" : u->block.data;
    req.body_len = len < 0 ? 0 : (size_t)len;
    req.content_type = u->ctype;
    if (rc == ERR_OK)
        rc = yt_send(u, &req, extra, resp);
    buf_free(&range);
    return rc;
}

enum put_next { PUT_MORE, PUT_DONE, PUT_BROKEN, PUT_STOP };

/* What a PUT's answer means: more to send from *off, done (resp holds the
 * video), broken (ask the status), or stop (u->res decided). */
static enum put_next put_answer(struct yt *u, enum err rc,
                                const struct net_resp *resp, int64_t *off)
{
    int64_t got;

    if (u->res->has_outcome)
        return PUT_STOP;
    if (rc == ERR_OK && (resp->status == 200 || resp->status == 201))
        return PUT_DONE;
    if (rc == ERR_OK && resp->status == 308) {
        if (youtube_parse_range(net_resp_header(resp, NET_HDR_RANGE), u->total,
                                &got) != ERR_OK)
            return PUT_BROKEN;
        *off = got;
        return PUT_MORE;
    }
    if (rc == ERR_UPSTREAM && (resp->status == 404 || resp->status == 410)) {
        decide(u, PUB_RETRY, rc,
               "the upload session expired (HTTP %ld): a "
               "new one next time",
               resp->status);
        return PUT_STOP;
    }
    if (rc == ERR_UPSTREAM && resp->status >= 400 && resp->status < 500 &&
        resp->status != 429) {
        u->res->http_status = (int)resp->status;
        upstream_message(u, resp);
        return PUT_STOP;
    }
    return PUT_BROKEN; /* 5xx, 429, no answer, an odd status */
}

static void pause_ms(int64_t ms)
{
    struct timespec ts = {.tv_sec = (time_t)(ms / 1000),
                          .tv_nsec = (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* Send every chunk; resp ends holding the video resource on success. */
static enum err upload(struct yt *u, struct net_resp *resp)
{
    int64_t off = 0, last_off = -1, len;
    int resumes = 0, stalls = 0;
    enum put_next next = PUT_MORE;
    enum err rc = ERR_OK;

    while (next != PUT_DONE && next != PUT_STOP) {
        if (next == PUT_BROKEN) {
            if (resumes++ >= YT_RESUMES) {
                buf_setf(&u->res->message,
                         "upload interrupted %d times, "
                         "last: %s",
                         resumes, buf_cstr(&u->err));
                return ERR_IO; /* http_status 0: unclear, check later */
            }
            pause_ms(250LL << resumes);
            rc = put_session(u, 0, -1, resp); /* where are we? */
            next = put_answer(u, rc, resp, &off);
            continue;
        }
        stalls = off == last_off ? stalls + 1 : 0;
        if (stalls > YT_MAX_STALLS)
            return decide(u, PUB_RETRY, ERR_IO,
                          "the upload session makes "
                          "no progress at byte %lld",
                          (long long)off);
        last_off = off;
        len = u->total - off < u->chunk ? u->total - off : u->chunk;
        rc = read_block(u, off, len);
        if (rc != ERR_OK)
            return rc;
        if (off + len == u->total && !sha_matches(u))
            return decide(u, PUB_FATAL, ERR_INVALID,
                          "media %s changed during the upload: the last "
                          "chunk was not sent",
                          u->path);
        rc = put_session(u, off, len, resp);
        next = put_answer(u, rc, resp, &off);
    }
    if (next == PUT_STOP)
        return rc == ERR_OK ? ERR_UPSTREAM : rc;
    u->res->http_status = (int)resp->status;
    rc = take_video(u, resp);
    if (rc != ERR_OK) { /* it went out, but which video? ask later */
        u->res->http_status = 0;
        buf_setf(&u->res->message, "%s", buf_cstr(&u->err));
    }
    return rc;
}

static enum err yt_publish(void *ctx, const struct post *p,
                           struct publish_result *res)
{
    struct yt u;
    struct net_resp resp;
    enum err rc;

    yt_init(&u, ctx, p, res);
    net_resp_init(&resp);
    rc = open_media(&u);
    if (rc == ERR_OK)
        rc = get_token(&u);
    if (rc == ERR_OK)
        rc = create_session(&u);
    if (rc == ERR_OK && u.res->http_status >= 200 && u.res->http_status < 300) {
        u.res->http_status = 0; /* from now on only a finished upload */
        rc = record_session(&u);
        if (rc == ERR_OK)
            rc = upload(&u, &resp);
    }
    if (rc == ERR_OK)
        LOG_INFO("post %lld published on YouTube as %s", (long long)p->id,
                 buf_cstr(&res->remote_id));
    net_resp_free(&resp);
    yt_free(&u);
    return rc;
}

/* ---- recovery ---------------------------------------------------------- */

/* The session of p's progress into u->session, total into u->total.
 * ERR_NOTFOUND when there is none. */
static enum err read_progress(struct yt *u)
{
    json_error_t je;
    json_t *root;
    struct jread r;
    const char *s = NULL;
    int64_t bytes = 0;
    enum err rc;

    if (u->p->progress == NULL)
        return ERR_NOTFOUND;
    root = json_loads(u->p->progress, 0, &je);
    if (root == NULL) {
        buf_setf(&u->res->message, "post %lld: progress is not JSON",
                 (long long)u->p->id);
        return ERR_PARSE;
    }
    jread_init(&r, &u->res->message);
    jread_where(&r, "post %lld progress", (long long)u->p->id);
    rc = jread_string(&r, root, "session", J_OPTIONAL, NET_MAX_URL - 1, &s);
    if (rc == ERR_OK && s != NULL)
        rc = jread_int(&r, root, "bytes", J_REQUIRED, 1, INT64_MAX, &bytes,
                       NULL);
    if (rc == ERR_OK && s == NULL)
        rc = ERR_NOTFOUND;
    if (rc == ERR_OK) {
        u->total = bytes;
        rc = buf_puts(&u->session, s);
    }
    jread_free(&r);
    json_decref(root);
    return rc;
}

/* DELETE the session: it can no longer complete. Its answer does not
 * matter; the status asked next decides. */
static void cancel_session(struct yt *u)
{
    struct net_req req = {.method = NET_DELETE};
    struct net_resp resp;

    req.url = buf_cstr(&u->session);
    net_resp_init(&resp);
    if (yt_send(u, &req, NULL, &resp) != ERR_OK)
        LOG_INFO("post %lld: cancelling the upload session: %s",
                 (long long)u->p->id, buf_cstr(&u->err));
    net_resp_free(&resp);
}

/* Ask the session's status: *complete, the video in u->res. */
static enum err ask_status(struct yt *u, bool *complete, bool *gone)
{
    struct net_resp resp;
    enum err rc;

    net_resp_init(&resp);
    *complete = *gone = false;
    rc = put_session(u, 0, -1, &resp);
    if (u->res->has_outcome) {
        rc = rc == ERR_OK ? ERR_IO : rc;
    } else if (rc == ERR_OK && (resp.status == 200 || resp.status == 201)) {
        *complete = true;
        rc = take_video(u, &resp);
        if (rc != ERR_OK)
            buf_setf(&u->res->message, "%s", buf_cstr(&u->err));
    } else if (rc == ERR_OK && resp.status == 308) {
        rc = ERR_OK;
    } else if (rc == ERR_UPSTREAM &&
               (resp.status == 404 || resp.status == 410 ||
                resp.status == 499)) {
        *gone = true;
        rc = ERR_OK;
    } else {
        buf_setf(&u->res->message, "asking the upload session: %s",
                 buf_cstr(&u->err));
        rc = rc == ERR_OK ? ERR_UPSTREAM : rc;
    }
    net_resp_free(&resp);
    return rc;
}

static enum err yt_check(void *ctx, const struct post *p, bool *found,
                         struct publish_result *res)
{
    struct yt u;
    bool complete = false, gone = false;
    enum err rc;

    *found = false;
    yt_init(&u, ctx, p, res);
    rc = read_progress(&u);
    if (rc == ERR_NOTFOUND) { /* no session, so no byte was sent */
        rc = ERR_OK;
        goto out;
    }
    if (rc == ERR_OK)
        rc = get_token(&u);
    if (rc == ERR_OK)
        rc = ask_status(&u, &complete, &gone);
    if (rc == ERR_OK && !complete) {
        if (!gone)
            cancel_session(&u);
        rc = ask_status(&u, &complete, &gone); /* it may have finished */
    }
    if (rc == ERR_OK)
        *found = complete;
out:
    if (rc != ERR_OK)
        LOG_WARN("post %lld: check on YouTube: %s", (long long)p->id,
                 buf_cstr(&res->message));
    yt_free(&u);
    return rc;
}

const struct media_mix youtube_media_mix = {
    .platform = "youtube",
    .label = "YouTube",
    .max_videos = 1,
};

const struct publisher_ops youtube_publish_ops = {
    .platform = "youtube",
    .publish = yt_publish,
    .check = yt_check,
};
