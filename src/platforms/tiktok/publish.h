/* The TikTok publisher (Content Posting API v2, direct post:
 * https://developers.tiktok.com/doc/content-posting-api-reference-direct-post):
 *
 *   1. POST /v2/post/publish/creator_info/query/: the privacy levels the
 *      creator may use (the post's privacy must be one of them) and the
 *      username for the post's URL
 *   2. POST /v2/post/publish/video/init/ with post_info (title = the
 *      caption, or the title when there is none; privacy_level: private
 *      -> SELF_ONLY, unlisted -> MUTUAL_FOLLOW_FRIENDS, public ->
 *      PUBLIC_TO_EVERYONE; disable_duet/comment/stitch false) and
 *      source_info FILE_UPLOAD (video_size, chunk_size, total_chunk_count
 *      by tiktok_chunk_plan) -> publish_id and upload_url, recorded
 *      (progress) before the first byte is sent
 *   3. PUT each chunk to upload_url (Content-Range, Content-Type
 *      video/mp4), one chunk in memory at a time; before the last chunk
 *      the progress says so ("step": "final_chunk"): from then on the
 *      video may go out, and an unclear answer means needs_check
 *   4. POST /v2/post/publish/status/fetch/ until PUBLISH_COMPLETE (remote
 *      id publicaly_available_post_id[0] when present, else the
 *      publish_id) or FAILED (fail_reason is the error); still processing
 *      after publish.poll_count polls: the next round polls again.
 *
 * TikTok errors ({"error": {"code", "message", "log_id"}}):
 * rate_limit_exceeded -> retried later with backoff; access_token_invalid
 * -> one token refresh and the call again; anything else (e.g.
 * spam_risk_too_many_posts) -> failed with the code and message.
 * check(): with the last chunk sent, status/fetch decides (complete:
 * found; failed: not found; processing: still unclear); without it the
 * video never went out (not found). The post's account is the open_id.
 *
 * Photo posts (every file an image, 1 to 35; the photo post reference,
 * https://developers.tiktok.com/doc/content-posting-api-reference-photo-post):
 *   1. creator_info as above
 *   2. progress {"step": "photo_init", "init_at"} committed, then POST
 *      /v2/post/publish/content/init/ {post_info {title = the post's
 *      title, description = the caption, privacy_level, auto_add_music},
 *      source_info {PULL_FROM_URL, photo_cover_index 0, photo_images =
 *      our public media links}, post_mode DIRECT_POST, media_type PHOTO}
 *      -> publish_id recorded ("step": "photo_sent"). TikTok pulls the
 *      images itself, so this call may publish: an unclear answer is
 *      needs_check; a clear error (url_ownership_unverified,
 *      spam_risk_too_many_posts...) fails or waits as above.
 *   3. status/fetch as step 4 above (FAILED: fail_reason, e.g.
 *      photo_pull_failed, picture_size_check_failed).
 *   check() with a publish_id: status/fetch; without one (the init answer
 *   lost): the creator's posts (/v2/video/list/) searched for the title
 *   (see TIKTOK_PHOTO_SETTLE_S). */
#ifndef MEDIADASH_PUBLISH_TIKTOK_H
#define MEDIADASH_PUBLISH_TIKTOK_H

#include <stdint.h>

#include "core/err.h"
#include "schedule/media_mix.h"
#include "schedule/worker.h"

#define TIKTOK_CHUNK_MIN ((int64_t)5 << 20)  /* 5 MiB */
#define TIKTOK_CHUNK_MAX ((int64_t)64 << 20) /* 64 MiB */
#define TIKTOK_LAST_CHUNK_MAX ((int64_t)128 << 20)
#define TIKTOK_CHUNKS_MAX 1000
#define TIKTOK_PHOTOS_MAX 35 /* images in one photo post */
/* A public photo post whose content/init answer was lost and that is not
 * among the creator's posts this long after the init never went out. */
#define TIKTOK_PHOTO_SETTLE_S 1800

/* TikTok's chunk rules: a video under 5 MiB is one chunk of its size; a
 * video up to the preferred chunk size (or under twice it, up to 64 MiB)
 * is one chunk too; a larger one is floor(size / chunk) chunks of
 * `chunk` bytes, the last one taking the remainder (so it is under
 * 2 * chunk <= 128 MiB). A video over 64 MiB is always two chunks or
 * more. */
struct tiktok_chunks {
    int64_t chunk_size; /* as sent in source_info */
    int64_t count;      /* total_chunk_count */
};

/* Plan the upload of a video of video_size bytes with the preferred chunk
 * size (clamped to 5..64 MiB). ERR_INVALID for a size <= 0, ERR_TOOBIG
 * for more than 1000 chunks. */
enum err tiktok_chunk_plan(int64_t video_size, int64_t preferred,
                           struct tiktok_chunks *out) WARN_UNUSED;

/* Offset and length of chunk i (0-based) of the plan. */
void tiktok_chunk_range(const struct tiktok_chunks *plan, int64_t video_size,
                        int64_t i, int64_t *off, int64_t *len);

extern const struct publisher_ops tiktok_publish_ops;
/* One video, or a photo post of JPEG or WebP images (title at most 90
 * characters, caption at most 4,000: the photo post reference). */
extern const struct media_mix tiktok_media_mix;

#endif
