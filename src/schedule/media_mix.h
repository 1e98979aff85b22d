/* Which files one post may carry, per platform: how many, images or
 * videos or both, and the image types a platform takes. Each platform's
 * rule lives with its publisher (src/platforms/<name>/publish.c) and is
 * found through the platform's descriptor (platform.h mix); a platform without a rule (dryrun) takes any mix of up
 * to SCHED_MEDIA_MAX files. Checked when a post is made, so a post the
 * platform would refuse never reaches the queue. */
#ifndef MEDIADASH_MEDIA_MIX_H
#define MEDIADASH_MEDIA_MIX_H

#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"
#include "core/err.h"

struct sched_media;

struct media_mix {
    const char *platform;
    const char *label;          /* "Instagram", for messages */
    size_t max_videos;          /* videos in a post of videos only */
    size_t max_images;          /* images in a post of images only */
    size_t max_mixed;           /* files in a post of both; 0: no mixing */
    const char *const *image_types; /* NULL-terminated; NULL: no images */
    const char *images_what;    /* "JPEG" for messages */
    /* What a post of several files is called there ("a carousel"), for
     * the Compose page (GET /api/v1/platforms "mix"); NULL: no name. */
    const char *several_name;
    /* A post of images only (a photo post) has its own text limits, in
     * characters (UTF-16 code units, as the platform counts); 0: none. */
    size_t photo_title_max, photo_caption_max;
};

/* The rule of platform, or NULL. */
const struct media_mix *media_mix_find(const char *platform);

/* Check the files of a post for platform (title and caption for a photo
 * post's limits; either may be NULL). A draft may have no files. On
 * failure *param names the field ("media", "media.content_type",
 * "title", "caption"), err says why naming the file by its position, and
 * ERR_INVALID is returned. */
enum err media_mix_check(const char *platform, const struct sched_media *m,
                         size_t n, bool draft, const char *title,
                         const char *caption, const char **param,
                         struct buf *err) WARN_UNUSED;

/* Characters of UTF-8 text s as UTF-16 code units (a character outside
 * the BMP counts 2), the way the platforms count their limits. */
size_t media_mix_utf16_len(const char *s);

#endif
