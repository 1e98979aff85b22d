/* Building and writing posts (post.h). */
#include "schedule/post.h"

#include <errno.h>
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/alloc.h"
#include "core/model.h"
#include "core/str.h"
#include "core/timeutil.h"
#include "schedule/post_limits.h"
#include "schedule/status.h"
#include "schedule/media_mix.h"
#include "schedule/publishers.h"

static const char *const privacies[] = {"private", "unlisted", "public"};

static bool one_of(const char *s, const char *const *set, size_t n)
{
    for (size_t i = 0; s != NULL && i < n; i++)
        if (strcmp(s, set[i]) == 0)
            return true;
    return false;
}

/* UTF-8 text of at most max bytes without control characters (newlines
 * and tabs allowed when multiline). */
static bool text_ok(const char *s, size_t min, size_t max, bool multiline)
{
    size_t n = s ? strlen(s) : 0;
    if (n < min || n > max || (n && !str_valid_utf8(s, n)))
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c < 0x20 && !(multiline && (c == '\n' || c == '\t'))) ||
            c == 0x7f)
            return false;
    }
    return true;
}

static bool hex64(const char *s)
{
    if (s == NULL || strlen(s) != 64)
        return false;
    for (size_t i = 0; i < 64; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return false;
    return true;
}

static bool ctype_ok(const char *s)
{
    const char *slash = s ? strchr(s, '/') : NULL;
    if (!text_ok(s, 3, 100, false) || slash == NULL || slash == s ||
        slash[1] == '\0')
        return false;
    for (const char *p = s; *p; p++)
        if (!(*p == '/' || *p == '.' || *p == '-' || *p == '+' ||
              (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9')))
            return false;
    return true;
}

static enum err bad(const char **param, const char *name, struct buf *err,
                    const char *why)
{
    *param = name;
    buf_setf(err, "%s: %s", name, why);
    return ERR_INVALID;
}

static enum err check_media(const struct sched_input *in, const char **param,
                            struct buf *err)
{
    if (in->nmedia == 0 && !in->draft)
        return bad(param, "media", err, "at least one file is needed");
    if (in->nmedia > SCHED_MEDIA_MAX)
        return bad(param, "media", err, "at most 10 files");
    for (size_t i = 0; i < in->nmedia; i++) {
        const struct sched_media *m = &in->media[i];
        if (!text_ok(m->path, 2, SCHED_PATH_MAX, false) || m->path[0] != '/' ||
            strstr(m->path, "/../") != NULL ||
            str_has_prefix(m->path + strlen(m->path) - 3, "/.."))
            return bad(param, "media.path", err,
                       "an absolute file path without \"..\" is needed");
        if (!hex64(m->sha256))
            return bad(param, "media.sha256", err,
                       "64 lowercase hex digits are needed");
        if (m->bytes < 0)
            return bad(param, "media.bytes", err, "must not be negative");
        if (!ctype_ok(m->content_type))
            return bad(param, "media.content_type", err,
                       "a content type such as video/mp4 is needed");
    }
    /* what the platform takes: how many, which kinds (media_mix.h) */
    return media_mix_check(in->platform, in->media, in->nmedia, in->draft,
                           in->title, in->caption, param, err);
}

/* Every field's problem into is (one per field, media: the first). */
static void check_fields(const struct sched_input *in, struct post_issues *is)
{
    const char *param = NULL;
    struct buf err;

    if (publishers_find(in->platform) == NULL) {
        buf_init(&err, 256);
        publishers_names(&err);
        post_issues_add(is, ERR_INVALID, "platform", "platform: %s",
                        buf_cstr(&err));
        buf_free(&err);
    }
    if (!text_ok(in->account, 1, ITEM_ID_MAX, false))
        post_issues_add(is, ERR_INVALID, "account",
                        "account: the account id is needed");
    if (!text_ok(in->title, 1, SCHED_TITLE_MAX, false))
        post_issues_add(is, ERR_INVALID, "title",
                        "title: 1 to 400 bytes of text");
    if (in->caption && !text_ok(in->caption, 0, SCHED_CAPTION_MAX, true))
        post_issues_add(is, ERR_INVALID, "caption",
                        "caption: at most 8000 bytes of text");
    if (in->privacy && !one_of(in->privacy, privacies, 3))
        post_issues_add(is, ERR_INVALID, "privacy",
                        "privacy: private, unlisted or public");
    if (in->ntags > SCHED_TAGS_MAX)
        post_issues_add(is, ERR_INVALID, "tags", "tags: at most 30 tags");
    for (size_t i = 0; i < in->ntags && i < SCHED_TAGS_MAX; i++)
        if (!text_ok(in->tags[i], 1, SCHED_TAG_MAX, false) ||
            strchr(in->tags[i], ',') != NULL) {
            post_issues_add(is, ERR_INVALID, "tags", "tags: each tag 1 to "
                            "100 bytes, without commas");
            break;
        }
    /* The platform's own limits, on text that passed the checks above. */
    if (!post_issues_has(is, "title") && !post_issues_has(is, "caption") &&
        !post_issues_has(is, "tags"))
        post_limits_check(in->platform, in->title, in->caption, in->tags,
                          in->ntags, is);
    buf_init(&err, 1024);
    if (check_media(in, &param, &err) != ERR_OK)
        post_issues_add(is, ERR_INVALID, param, "%s", buf_cstr(&err));
    buf_free(&err);
}

/* The zone and the wall time into *t, or their problem into is. */
static void check_time(const struct sched_input *in, struct sched_time *t,
                       struct buf *note, struct post_issues *is)
{
    struct buf err;
    enum err rc;

    if (!text_ok(in->zone, 1, 64, false)) {
        post_issues_add(is, ERR_INVALID, "zone",
                        "zone: an IANA zone such as Europe/Berlin");
        return;
    }
    buf_init(&err, 1024);
    rc = sched_resolve(in->zone, in->at, &in->opts, t, note, &err);
    if (rc != ERR_OK)
        post_issues_add(is, rc,
                        rc == ERR_NOTFOUND ||
                                (rc == ERR_INVALID &&
                                 strstr(buf_cstr(&err), "exist") == NULL)
                            ? "zone"
                            : "at",
                        "%s", buf_cstr(&err));
    buf_free(&err);
}

static char *tags_json(const struct sched_input *in)
{
    struct buf b;
    struct jw w;
    buf_init(&b, 64 * 1024);
    jw_init(&w, &b);
    jw_array_begin(&w);
    for (size_t i = 0; i < in->ntags; i++)
        jw_str(&w, in->tags[i]);
    jw_array_end(&w);
    return jw_status(&w) == ERR_OK ? buf_steal(&b) : NULL;
}

static char *media_json(const struct sched_input *in)
{
    struct buf b;
    struct jw w;
    buf_init(&b, 64 * 1024);
    jw_init(&w, &b);
    jw_array_begin(&w);
    for (size_t i = 0; i < in->nmedia; i++) {
        jw_object_begin(&w);
        jw_kv_str(&w, "path", in->media[i].path);
        jw_kv_str(&w, "sha256", in->media[i].sha256);
        jw_kv_i64(&w, "bytes", in->media[i].bytes);
        jw_kv_str(&w, "content_type", in->media[i].content_type);
        jw_object_end(&w);
    }
    jw_array_end(&w);
    return jw_status(&w) == ERR_OK ? buf_steal(&b) : NULL;
}

enum err sched_post_build_all(const struct sched_input *in,
                              struct post *out, struct buf *note,
                              struct post_issues *is)
{
    struct sched_time t;

    *out = (struct post){0};
    check_fields(in, is);
    check_time(in, &t, note, is);
    if (is->n > 0)
        return is->rc;
    out->platform = xstrdup(in->platform);
    out->account = xstrdup(in->account);
    out->title = xstrdup(in->title);
    out->caption = xstrdup(in->caption ? in->caption : "");
    out->privacy = xstrdup(in->privacy ? in->privacy : "private");
    out->tags = tags_json(in);
    out->media = media_json(in);
    out->publish_at = t.utc;
    out->zone = xstrdup(in->zone);
    out->local_time = xstrdup(t.local);
    out->state = in->draft ? POST_DRAFT : POST_SCHEDULED;
    if (out->tags == NULL || out->media == NULL) {
        post_free(out);
        post_issues_add(is, ERR_INVALID, "media", "media: too long");
        return ERR_INVALID;
    }
    return ERR_OK;
}

enum err sched_post_build(const struct sched_input *in, struct post *out,
                          struct buf *note, const char **param,
                          struct buf *err)
{
    struct post_issues is;
    enum err rc;

    post_issues_init(&is);
    *param = NULL;
    rc = sched_post_build_all(in, out, note, &is);
    if (rc != ERR_OK) {
        *param = is.v[0].param;
        buf_setf(err, "%s", is.v[0].message);
    }
    post_issues_free(&is);
    return rc;
}

static const char *ctype_of(const char *path)
{
    static const char *const map[][2] = {
        {".mp4", "video/mp4"},   {".mov", "video/quicktime"},
        {".webm", "video/webm"}, {".jpg", "image/jpeg"},
        {".jpeg", "image/jpeg"}, {".png", "image/png"},
        {".gif", "image/gif"},   {".webp", "image/webp"},
    };
    const char *dot = strrchr(path, '.');
    for (size_t i = 0; dot != NULL && i < sizeof map / sizeof *map; i++)
        if (strcasecmp(dot, map[i][0]) == 0)
            return map[i][1];
    return "application/octet-stream";
}

enum err sched_media_file(const char *path, struct buf *sha, int64_t *bytes,
                          const char **ctype, struct buf *err)
{
    crypto_hash_sha256_state h;
    unsigned char chunk[65536], out[crypto_hash_sha256_BYTES];
    char hex[2 * crypto_hash_sha256_BYTES + 1];
    FILE *f = fopen(path, "rb");
    enum err rc = ERR_IO;
    size_t n;

    *bytes = 0;
    if (f == NULL) {
        buf_setf(err, "%s: %s", path, strerror(errno));
        return ERR_IO;
    }
    crypto_hash_sha256_init(&h);
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        crypto_hash_sha256_update(&h, chunk, n);
        *bytes += (int64_t)n;
    }
    if (ferror(f)) {
        buf_setf(err, "%s: read error", path);
        goto out;
    }
    crypto_hash_sha256_final(&h, out);
    sodium_bin2hex(hex, sizeof hex, out, sizeof out);
    rc = buf_puts(sha, hex);
    *ctype = ctype_of(path);
out:
    fclose(f);
    return rc;
}

/* A stored JSON array (tags or media) re-emitted through the writer,
 * checking its types; anything unexpected is skipped. */
static void stored_array(struct jw *w, const char *key, const char *text)
{
    json_t *a = text ? json_loads(text, 0, NULL) : NULL;
    size_t i;
    json_t *v;

    jw_key(w, key);
    jw_array_begin(w);
    json_array_foreach(a, i, v)
    {
        if (json_is_string(v)) {
            jw_str(w, json_string_value(v));
        } else if (json_is_object(v)) {
            json_t *b = json_object_get(v, "bytes");
            jw_object_begin(w);
            jw_kv_str(w, "path", json_string_value(json_object_get(v, "path")));
            jw_kv_str(w, "sha256",
                      json_string_value(json_object_get(v, "sha256")));
            jw_kv_i64(w, "bytes", json_is_integer(b) ? json_integer_value(b)
                                                     : -1);
            jw_kv_str(w, "content_type",
                      json_string_value(json_object_get(v, "content_type")));
            jw_object_end(w);
        }
    }
    jw_array_end(w);
    json_decref(a);
}

void sched_post_json(struct jw *w, const struct post *p)
{
    sched_post_json_x(w, p, NULL, NULL);
}

void sched_post_json_x(struct jw *w, const struct post *p,
                       sched_post_extra_fn extra, void *ud)
{
    jw_object_begin(w);
    jw_kv_i64(w, "id", p->id);
    jw_kv_str(w, "platform", p->platform);
    jw_kv_str(w, "account", p->account);
    jw_kv_str(w, "title", p->title);
    jw_kv_str(w, "caption", p->caption);
    stored_array(w, "tags", p->tags);
    jw_kv_str(w, "privacy", p->privacy);
    stored_array(w, "media", p->media);
    jw_kv_time(w, "publish_at", p->publish_at);
    jw_kv_str(w, "zone", p->zone);
    jw_kv_str(w, "local_time", p->local_time);
    jw_kv_str(w, "state", post_state_name(p->state));
    jw_kv_i64(w, "attempts", p->attempts);
    jw_kv_str(w, "claimed_by", p->claimed_by);
    jw_kv_time(w, "claimed_until", p->claimed_until);
    jw_kv_str(w, "remote_id", p->remote_id);
    jw_kv_str(w, "remote_url", p->remote_url);
    jw_kv_str(w, "last_error", p->last_error);
    jw_kv_time(w, "created_at", p->created_at);
    jw_kv_time(w, "updated_at", p->updated_at);
    jw_kv_i64(w, "version", p->version);
    jw_kv_str(w, "failure", p->failure);
    jw_kv_str(w, "status", status_name(p));
    if (extra != NULL)
        extra(w, p, ud);
    jw_object_end(w);
}
