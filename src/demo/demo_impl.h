/* Inside the demo module: the random source and the text makers shared
 * by demo.c and demo_text.c. Not part of the module's API. */
#ifndef MEDIADASH_DEMO_IMPL_H
#define MEDIADASH_DEMO_IMPL_H

#include <stdint.h>

#include "core/buf.h"
#include "core/model.h"

/* Content kinds, each with its platform and growth shape. */
enum demo_kind {
    DK_YT_VIDEO,
    DK_YT_SHORT,
    DK_IG_REEL,
    DK_IG_IMAGE,
    DK_IG_CAROUSEL,
    DK_TT_VIDEO,
    DK_COUNT
};

/* splitmix64: small, fast, and the same sequence everywhere. */
struct demo_rng {
    uint64_t s;
};
uint64_t demo_rng_next(struct demo_rng *r);
double demo_rng_unit(struct demo_rng *r);                /* [0, 1) */
uint64_t demo_rng_below(struct demo_rng *r, uint64_t n); /* [0, n), n > 0 */
/* A stateless hash of (a, b, c) to [0, 1), for per-hour noise that does
 * not depend on the order of calls. */
double demo_hash_unit(uint64_t a, uint64_t b, uint64_t c);

/* Platform-shaped ids, appended to out (sizes are small and fixed). */
void demo_text_youtube_video_id(struct demo_rng *r, struct buf *out);
void demo_text_youtube_channel_id(struct demo_rng *r, struct buf *out);
void demo_text_instagram_id(struct demo_rng *r, const char *prefix,
                            struct buf *out);
void demo_text_shortcode(struct demo_rng *r, struct buf *out);
void demo_text_tiktok_open_id(struct demo_rng *r, struct buf *out);
void demo_text_tiktok_video_id(struct demo_rng *r, int64_t created,
                               struct buf *out);

/* Title and description of a content item of kind k into title and
 * desc (replaced). */
void demo_text_content(struct demo_rng *r, enum demo_kind k, struct buf *title,
                       struct buf *desc);

#endif
