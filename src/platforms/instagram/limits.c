/* instagram's documented post text and media limits (its descriptor's
 * post_limits and media_limits; read by src/schedule). Sources:
 * Instagram Graph API media: caption at most 2,200 characters, 30
 * hashtags and 20 @ tags; the title is the caption when the caption is
 * empty (publish.c). Content publishing: Reels video MP4 or MOV up to
 * 1 GB, 3 seconds to 15 minutes; images JPEG only, up to 8 MB. */
#include "platforms/instagram/instagram.h"

#include "schedule/media_limits.h"
#include "schedule/post_limits.h"

#define GB (1024LL * 1024 * 1024)
#define MB (1024LL * 1024)
#define MIN_MS (60LL * 1000)

const struct post_limits instagram_post_limits = {
    .platform = "instagram", .caption_chars = 2200, .hashtags = 30,
    .mentions = 20, .title_as_caption = true, .caption_name = "caption"};

static const char *const video[] = {"mp4", "mov", NULL};
static const char *const image[] = {"jpg", NULL};
const struct media_limits instagram_media_limits = {
    "instagram", "Instagram",
    {video, 1 * GB, 3000, 15 * MIN_MS},
    {image, 8 * MB, 0, 0},
};
