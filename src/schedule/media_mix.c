/* Which files one post may carry (media_mix.h). */
#include "schedule/media_mix.h"

#include <string.h>

#include "core/str.h"
#include "schedule/post.h"
#include "platforms/platform.h"

const struct media_mix *media_mix_find(const char *platform)
{
    const struct platform_desc *d = platform_find(platform);

    if (d == NULL || d->mix == NULL || strcmp(d->mix->platform, platform))
        return NULL;
    return d->mix;
}

size_t media_mix_utf16_len(const char *s)
{
    size_t n = 0;

    for (const unsigned char *p = (const unsigned char *)s; p && *p; p++) {
        if ((*p & 0xc0) != 0x80) /* a lead byte starts a character */
            n += *p >= 0xf0 ? 2 : 1;
    }
    return n;
}

static bool type_in(const char *t, const char *const *set)
{
    for (size_t i = 0; set && set[i]; i++)
        if (str_eq(t, set[i]))
            return true;
    return false;
}

/* Each file an image of a type the platform takes, or a video; counts
 * into *img and *vid. */
static enum err mix_types(const struct media_mix *r,
                          const struct sched_media *m, size_t n, size_t *img,
                          size_t *vid, const char **param, struct buf *err)
{
    *img = *vid = 0;
    for (size_t i = 0; i < n; i++) {
        const char *t = m[i].content_type ? m[i].content_type : "";
        if (str_has_prefix(t, "video/")) {
            (*vid)++;
        } else if (!str_has_prefix(t, "image/")) {
            buf_setf(err, "media.content_type: %s takes images and videos "
                     "(file %zu is %s)", r->label, i + 1, t);
        } else if (r->image_types == NULL) {
            buf_setf(err, "media.content_type: %s takes videos only (file "
                     "%zu is %s)", r->label, i + 1, t);
        } else if (!type_in(t, r->image_types)) {
            buf_setf(err, "media.content_type: %s takes %s images only "
                     "(file %zu is %s)", r->label, r->images_what, i + 1, t);
        } else {
            (*img)++;
            continue;
        }
        if (!str_has_prefix(t, "video/")) {
            *param = "media.content_type";
            return ERR_INVALID;
        }
    }
    return ERR_OK;
}

static enum err mix_counts(const struct media_mix *r, size_t img, size_t vid,
                           const char **param, struct buf *err)
{
    *param = "media";
    if (img > 0 && vid > 0 && r->max_mixed == 0)
        buf_setf(err, "media: %s takes videos or images in one post, not "
                 "both", r->label);
    else if (img > 0 && vid > 0 && img + vid > r->max_mixed)
        buf_setf(err, "media: %s takes at most %zu files in one post",
                 r->label, r->max_mixed);
    else if (vid > r->max_videos)
        buf_setf(err, "media: %s takes at most %zu video%s in one post",
                 r->label, r->max_videos, r->max_videos == 1 ? "" : "s");
    else if (img > r->max_images)
        buf_setf(err, "media: %s takes at most %zu images in one post",
                 r->label, r->max_images);
    else
        return ERR_OK;
    return ERR_INVALID;
}

enum err media_mix_check(const char *platform, const struct sched_media *m,
                         size_t n, bool draft, const char *title,
                         const char *caption, const char **param,
                         struct buf *err)
{
    const struct media_mix *r = media_mix_find(platform);
    size_t img, vid, len;
    enum err rc;

    (void)draft; /* a draft may have fewer files, never a wrong mix */
    if (r == NULL)
        return ERR_OK;
    rc = mix_types(r, m, n, &img, &vid, param, err);
    if (rc == ERR_OK)
        rc = mix_counts(r, img, vid, param, err);
    if (rc != ERR_OK || img == 0 || vid > 0)
        return rc;
    len = media_mix_utf16_len(title);
    if (r->photo_title_max > 0 && len > r->photo_title_max) {
        *param = "title";
        buf_setf(err, "title: a %s photo post's title has at most %zu "
                 "characters (this one has %zu)", r->label,
                 r->photo_title_max, len);
        return ERR_INVALID;
    }
    len = media_mix_utf16_len(caption);
    if (r->photo_caption_max > 0 && len > r->photo_caption_max) {
        *param = "caption";
        buf_setf(err, "caption: a %s photo post's caption has at most %zu "
                 "characters (this one has %zu)", r->label,
                 r->photo_caption_max, len);
        return ERR_INVALID;
    }
    return ERR_OK;
}
