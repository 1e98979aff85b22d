/* youtube's documented post text and media limits (its descriptor's
 * post_limits and media_limits; read by src/schedule). Sources:
 * YouTube Data API videos resource: snippet.title at most 100
 * characters, snippet.description at most 5000 bytes, neither with < or
 * >; snippet.tags at most 500 characters (commas and quotes counted).
 * YouTube Data API videos.insert: video files up to 256 GB and 12 hours
 * (MP4, MOV, WebM among the accepted formats); no still images. */
#include "platforms/youtube/youtube.h"

#include "schedule/media_limits.h"
#include "schedule/post_limits.h"

#define GB (1024LL * 1024 * 1024)
#define MIN_MS (60LL * 1000)

const struct post_limits youtube_post_limits = {
    .platform = "youtube", .title_chars = 100, .caption_bytes = 5000,
    .tags_chars = 500, .no_angle = true, .caption_name = "description"};

static const char *const video[] = {"mp4", "mov", "webm", NULL};
const struct media_limits youtube_media_limits = {
    "youtube", "YouTube",
    {video, 256 * GB, 0, 12 * 60 * MIN_MS},
    {NULL, 0, 0, 0},
};
