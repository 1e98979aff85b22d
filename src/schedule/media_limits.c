/* Per-platform media limits (media_limits.h): each platform's table is
 * its descriptor's media_limits (src/platforms/<name>/limits.c, with the
 * documentation it follows); this file finds them and checks files. */
#include "schedule/media_limits.h"

#include <string.h>

#include "platforms/platform.h"

#define GB (1024LL * 1024 * 1024)
#define MB (1024LL * 1024)
#define MIN_MS (60LL * 1000)

size_t media_limits_n(void)
{
    size_t n = 0;

    for (int p = 0; p < PLATFORM_COUNT; p++)
        n += platform_get((enum platform)p)->media_limits != NULL;
    return n;
}

const struct media_limits *media_limits_nth(size_t i)
{
    for (int p = 0; p < PLATFORM_COUNT; p++) {
        const struct media_limits *l =
            platform_get((enum platform)p)->media_limits;
        if (l != NULL && i-- == 0)
            return l;
    }
    return NULL;
}

const struct media_limits *media_limits_of(const char *platform)
{
    const struct platform_desc *d = platform_find(platform);

    if (d == NULL || strcmp(d->name, platform) != 0)
        return NULL;
    return d->media_limits;
}

/* "1 GB", "8 MB", "4 GB": the platforms state their limits in these. */
static void size_text(struct buf *b, int64_t n)
{
    if (n % GB == 0)
        buf_catf(b, "%lld GB", (long long)(n / GB));
    else
        buf_catf(b, "%lld MB", (long long)(n / MB));
}

/* "15 min", "3 s", "12 h". */
static void ms_text(struct buf *b, int64_t ms)
{
    if (ms % (60 * MIN_MS) == 0)
        buf_catf(b, "%lld h", (long long)(ms / (60 * MIN_MS)));
    else if (ms % MIN_MS == 0)
        buf_catf(b, "%lld min", (long long)(ms / MIN_MS));
    else
        buf_catf(b, "%.3g s", (double)ms / 1000.0);
}

static int listed(const char *const *formats, const char *ext)
{
    for (size_t i = 0; formats != NULL && formats[i] != NULL; i++)
        if (ext != NULL && strcmp(formats[i], ext) == 0)
            return 1;
    return 0;
}

static enum err format_refused(const struct media_limits *l,
                               const struct media_kind_limits *k,
                               const struct media_fit_input *in,
                               struct buf *err)
{
    const char *kind = in->still ? "images" : "videos";

    if (k->formats == NULL) {
        buf_setf(err, "%s takes no %s", l->label, kind);
        return ERR_INVALID;
    }
    buf_setf(err, "%s takes %s as", l->label, kind);
    for (size_t i = 0; k->formats[i] != NULL; i++)
        buf_catf(err, "%s %s", i == 0 ? "" : (k->formats[i + 1] ? "," : " or"),
                 k->formats[i]);
    buf_catf(err, " only, not %s", in->ext ? in->ext : "this format");
    return ERR_INVALID;
}

enum err media_limits_check(const struct media_limits *l,
                            const struct media_fit_input *in,
                            const char **field, struct buf *err)
{
    const struct media_kind_limits *k = in->still ? &l->image : &l->video;
    const char *kind = in->still ? "an image" : "a video";

    buf_reset(err);
    *field = "media.format";
    if (!listed(k->formats, in->ext))
        return format_refused(l, k, in, err);
    *field = "media.bytes";
    if (k->bytes_max > 0 && in->bytes > k->bytes_max) {
        buf_setf(err, "%lld bytes is over %s's ", (long long)in->bytes,
                 l->label);
        size_text(err, k->bytes_max);
        buf_catf(err, " for %s", kind);
        return ERR_INVALID;
    }
    *field = "media.duration";
    if (!in->still && in->duration_ms < 0 && (k->ms_min > 0 || k->ms_max > 0)) {
        buf_setf(err, "the video's duration is unknown; %s needs it",
                 l->label);
        return ERR_INVALID;
    }
    if (!in->still && ((k->ms_max > 0 && in->duration_ms > k->ms_max) ||
                       (k->ms_min > 0 && in->duration_ms < k->ms_min))) {
        buf_setf(err, "the video is %.1f s long; %s takes ",
                 (double)in->duration_ms / 1000.0, l->label);
        if (k->ms_min > 0) {
            ms_text(err, k->ms_min);
            buf_catf(err, " to ");
        } else {
            buf_catf(err, "up to ");
        }
        ms_text(err, k->ms_max);
        return ERR_INVALID;
    }
    *field = NULL;
    return ERR_OK;
}
