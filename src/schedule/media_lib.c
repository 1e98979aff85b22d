/* The media library (media_lib.h). */
#include "schedule/media_lib.h"

#include <errno.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/log.h"
#include "core/timeutil.h"
#include "schedule/media_limits.h"
#include "schedule/media_link.h"

bool media_lib_sha_ok(const char *s)
{
    if (s == NULL || strlen(s) != 64)
        return false;
    for (size_t i = 0; i < 64; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return false;
    return true;
}

/* root/.thumbs/<sha256>.jpg into out; the directory made when missing. */
static enum err thumb_path(const char *root, const char *sha256,
                           struct buf *out)
{
    buf_reset(out);
    if (buf_printf(out, "%s/" MEDIA_LIB_THUMBS, root) != ERR_OK)
        return ERR_TOOBIG;
    if (mkdir(buf_cstr(out), 0700) != 0 && errno != EEXIST)
        return ERR_IO;
    return buf_printf(out, "/%s.jpg", sha256);
}

enum err media_lib_add(struct store *st, const struct media_lib_file *f,
                       int64_t now, struct media_facts *facts,
                       struct buf *err)
{
    struct buf thumb, why;
    bool have_thumb = false;
    enum err rc;

    buf_init(&thumb, PATH_MAX + 1);
    buf_init(&why, 1024);
    rc = media_probe(f->probe_path, f->type, facts, err);
    if (rc != ERR_OK)
        goto out;
    if (thumb_path(f->root, f->sha256, &thumb) == ERR_OK)
        have_thumb = media_thumb(f->probe_path, f->type, buf_cstr(&thumb),
                                 &why) == ERR_OK;
    else
        buf_setf(&why, "cannot make %s/" MEDIA_LIB_THUMBS, f->root);
    if (!have_thumb)
        LOG_WARN("media: no thumbnail for %s: %s", f->sha256, buf_cstr(&why));
    struct media_row row = {
        (char *)f->sha256,        (char *)f->path,
        (char *)f->name,          (char *)f->type->content_type,
        facts->container,         facts->video_codec,
        facts->audio_codec,       have_thumb ? thumb.data : NULL,
        f->bytes,                 facts->duration_ms,
        now,                      facts->width,
        facts->height,
    };
    rc = store_media_put(st, &row, err);
out:
    if (rc != ERR_OK)
        media_facts_free(facts);
    buf_free(&thumb);
    buf_free(&why);
    return rc;
}

enum err media_lib_fits(const struct media_row *m, const char *platform,
                        const char **field, struct buf *err)
{
    const struct media_limits *l = media_limits_of(platform);
    const struct media_type *t = media_type_of_name(m->path);
    struct media_fit_input in = {
        t ? t->ext : NULL, m->bytes, m->duration_ms,
        m->content_type != NULL && strncmp(m->content_type, "image/", 6) == 0,
    };

    *field = NULL;
    if (l == NULL)
        return ERR_OK;
    return media_limits_check(l, &in, field, err);
}

/* A row made from a probe alone (a file not named by its hash: nothing
 * is stored for it). */
static enum err probe_row(const struct sched_media *m,
                          const struct media_type *t, struct media_row *out,
                          struct buf *err)
{
    struct media_facts facts;
    enum err rc = media_probe(m->path, t, &facts, err);

    if (rc != ERR_OK)
        return rc;
    out->path = xstrdup(m->path);
    out->content_type = xstrdup(t->content_type);
    out->bytes = m->bytes;
    out->duration_ms = facts.duration_ms;
    out->width = facts.width;
    out->height = facts.height;
    media_facts_free(&facts);
    return ERR_OK;
}

/* The facts of one post file: the library's row when it has one for
 * this file; else a file in the root named by its hash (an upload from
 * before the library) is probed and added now, any other probed only. */
static enum err row_for(struct store *st, const char *root,
                        const struct sched_media *m, struct media_row *out,
                        struct buf *err)
{
    const char *base = strrchr(m->path, '/');
    struct media_lib_file f = {m->path, m->path, root, m->sha256,
                               base ? base + 1 : m->path, m->bytes,
                               media_type_of_name(m->path)};
    struct media_facts facts;
    struct buf real, named;
    enum err rc = store_media_get(st, m->sha256, out);

    if (rc == ERR_OK && strcmp(out->path, m->path) == 0)
        return ERR_OK;
    media_row_free(out);
    if (rc != ERR_OK && rc != ERR_NOTFOUND)
        return rc;
    if (f.type == NULL) {
        buf_setf(err, "not a video or image type");
        return ERR_UNSUPPORTED;
    }
    buf_init(&real, PATH_MAX + 1);
    buf_init(&named, PATH_MAX + 1);
    rc = media_root_real(root, &real, err);
    f.root = buf_cstr(&real);
    if (rc == ERR_OK && media_lib_sha_ok(m->sha256) &&
        buf_printf(&named, "%s/%s.%s", f.root, m->sha256, f.type->ext) ==
            ERR_OK &&
        strcmp(buf_cstr(&named), m->path) == 0) {
        rc = media_lib_add(st, &f, time_now(), &facts, err);
        if (rc == ERR_OK) {
            media_facts_free(&facts);
            rc = store_media_get(st, m->sha256, out);
        }
    } else if (rc == ERR_OK) {
        rc = probe_row(m, f.type, out, err);
    }
    buf_free(&real);
    buf_free(&named);
    return rc;
}

enum err media_lib_fit(struct store *st, const char *root,
                       const char *platform, const struct sched_media *m,
                       size_t n, const char **field, struct buf *err)
{
    struct media_row row;
    struct buf why;
    enum err rc = ERR_OK;

    *field = NULL;
    if (media_limits_of(platform) == NULL)
        return ERR_OK;
    buf_init(&why, 1024);
    for (size_t i = 0; rc == ERR_OK && i < n; i++) {
        rc = row_for(st, root, &m[i], &row, &why);
        if (rc == ERR_UNSUPPORTED || rc == ERR_BUSY) {
            *field = "media.path";
            buf_setf(err, "media.path: %s is not a readable video or "
                     "image: %s", m[i].path, buf_cstr(&why));
            rc = ERR_INVALID;
        } else if (rc != ERR_OK) {
            buf_setf(err, "reading the facts of %s: %s", m[i].path,
                     buf_cstr(&why));
        } else if (media_lib_fits(&row, platform, field, &why) != ERR_OK) {
            buf_setf(err, "%s: %s: %s", *field, m[i].path, buf_cstr(&why));
            rc = ERR_INVALID;
        }
        media_row_free(&row);
    }
    buf_free(&why);
    return rc;
}

enum err media_lib_delete(struct store *st, const char *sha256, int64_t now,
                          struct buf *err)
{
    struct media_row row;
    enum err rc = store_media_get(st, sha256, &row);

    if (rc == ERR_NOTFOUND)
        buf_setf(err, "no media file %s", sha256);
    if (rc != ERR_OK)
        return rc;
    rc = store_media_delete(st, sha256, now, MEDIA_LINK_GRACE_S, err);
    if (rc == ERR_OK && row.path != NULL && unlink(row.path) != 0 &&
        errno != ENOENT)
        LOG_WARN("media: cannot remove %s: %s", row.path, strerror(errno));
    if (rc == ERR_OK && row.thumb != NULL && unlink(row.thumb) != 0 &&
        errno != ENOENT)
        LOG_WARN("media: cannot remove %s: %s", row.thumb, strerror(errno));
    media_row_free(&row);
    return rc;
}
