/* tiktok's documented post text and media limits (its descriptor's
 * post_limits and media_limits; read by src/schedule). Sources:
 * TikTok Content Posting API: post_info.title (the caption) at most
 * 2,200 UTF-16 runes; the title is the caption when the caption is empty
 * (publish.c). Video MP4, WebM or MOV up to 4 GB and 10 minutes; photo
 * posts JPEG or WebP up to 20 MB per image. */
#include "platforms/tiktok/tiktok.h"

#include "schedule/media_limits.h"
#include "schedule/post_limits.h"

#define GB (1024LL * 1024 * 1024)
#define MB (1024LL * 1024)
#define MIN_MS (60LL * 1000)

const struct post_limits tiktok_post_limits = {
    .platform = "tiktok", .caption_chars = 2200, .utf16 = true,
    .title_as_caption = true, .caption_name = "caption"};

static const char *const video[] = {"mp4", "webm", "mov", NULL};
static const char *const image[] = {"jpg", "webp", NULL};
const struct media_limits tiktok_media_limits = {
    "tiktok", "TikTok",
    {video, 4 * GB, 0, 10 * MIN_MS},
    {image, 20 * MB, 0, 0},
};
