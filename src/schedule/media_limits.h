/* What each platform takes as a post's media file: formats, size and
 * duration, as the platforms document them (each platform's table
 * is its descriptor's media_limits, src/platforms/<name>/limits.c). The server checks a
 * post's files against its platform before storing it
 * (http/api_posts.c through media_fit.h), so the limits hold even when
 * the page is bypassed. */
#ifndef MEDIADASH_SCHEDULE_MEDIA_LIMITS_H
#define MEDIADASH_SCHEDULE_MEDIA_LIMITS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/err.h"

/* One kind of file (videos or images) on one platform. formats: the
 * media_type extensions taken ("mp4", "mov"...), NULL-terminated; NULL:
 * this kind is not taken at all. 0 for a bound: none. */
struct media_kind_limits {
    const char *const *formats;
    int64_t bytes_max;
    int64_t ms_min, ms_max; /* videos only */
};

struct media_limits {
    const char *platform; /* "instagram" */
    const char *label;    /* "Instagram", for messages */
    struct media_kind_limits video, image;
};

/* The limits of platform, or NULL when none are known (the dry-run
 * publisher takes anything). Static result. */
const struct media_limits *media_limits_of(const char *platform);

/* Every platform with limits, in registry order: media_limits_nth(i)
 * for i in [0, media_limits_n()); NULL past the end. */
size_t media_limits_n(void);
const struct media_limits *media_limits_nth(size_t i);

/* What the check needs to know of one file. */
struct media_fit_input {
    const char *ext;     /* media_type ext of the file: "mp4" */
    int64_t bytes;
    int64_t duration_ms; /* -1: unknown or a still image */
    bool still;          /* an image */
};

/* Whether a file fits l. ERR_OK, or ERR_INVALID with *field naming what
 * does not fit ("media.format", "media.bytes", "media.duration") and err
 * (replaced) saying why, naming the platform and its limit. */
enum err media_limits_check(const struct media_limits *l,
                            const struct media_fit_input *in,
                            const char **field, struct buf *err) WARN_UNUSED;

#endif
