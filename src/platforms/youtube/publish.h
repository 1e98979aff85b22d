/* The YouTube publisher (youtube_publish_ops): YouTube Data
 * API v3 videos.insert through the resumable upload protocol.
 *
 * publish():
 *   1. The post's one media file is checked against what was recorded
 *      when it was scheduled (size and SHA-256); a changed or missing
 *      file fails the post (nothing is sent). The bytes are hashed again
 *      while they are read for the upload, and the chunk that would
 *      complete the upload is not sent when they differ.
 *   2. POST {api_base}/upload/youtube/v3/videos?uploadType=resumable&
 *      part=snippet,status with the metadata (youtube_upload_metadata below)
 *      and X-Upload-Content-Length/-Type. The answer's Location is the
 *      session URI, recorded in the post's progress
 *      ({"session", "bytes", "sha256"}) and committed BEFORE any byte is
 *      sent.
 *   3. PUT the file in chunks of youtube.upload_chunk bytes (a multiple
 *      of 256 KiB) with Content-Range; a 308 Resume Incomplete's Range
 *      says what arrived and the next chunk starts there. After a 5xx or
 *      a lost connection the session's status is asked (PUT,
 *      Content-Length 0, Content-Range: bytes * /TOTAL) and the upload
 *      resumes from its Range, up to YT_RESUMES times.
 *   4. The final 200/201 carries the video resource: remote id = its id,
 *      remote URL https://www.youtube.com/watch?v=ID.
 *   The access token comes from oauth_access_token; a 401 causes one
 *   refresh (oauth_access_token_rejected) and one more try; invalid_grant
 *   (or no credential) ends in needs_relogin without further calls.
 *   Outcomes: a clear refusal before the upload completed (5xx, 429 with
 *   its Retry-After, an expired session, a session that was never made)
 *   is retried later by the worker with a new session; a completed upload
 *   whose answer was lost or unreadable is unclear (needs_check).
 *
 * check() (needs_check recovery) decides from the recorded session only:
 *   - no session in progress: no byte can have been sent (the session is
 *     committed before the first byte, and a resumable session makes a
 *     video only once every byte arrived), so the platform cannot have
 *     the video: not found. No listing of uploads is needed or trusted
 *     (titles need not be unique).
 *   - a session: its status is asked. 200/201: found (the video's id
 *     from the answer). 308 (incomplete) or 404/410 (expired): the
 *     session is cancelled (DELETE, as Google's resumable protocol
 *     allows) and asked once more, so that bytes still in flight from a
 *     dead worker cannot complete it later; still not complete: not
 *     found, and the worker makes a NEW session on the next attempt.
 *     Anything else (5xx, no answer): an error, the post stays in
 *     needs_check for the next round.
 *
 * The exactly-once marker on the fake platform server is the post's
 * title ("youtube:<title>" in its /_stats "published"). */
#ifndef MEDIADASH_PUBLISH_YOUTUBE_H
#define MEDIADASH_PUBLISH_YOUTUBE_H

#include <stdint.h>

#include "core/buf.h"
#include "core/err.h"
#include "schedule/media_mix.h"
#include "schedule/worker.h"
#include "store/store_post.h"

#define YT_CHUNK_UNIT ((int64_t)256 * 1024) /* chunks are multiples */
#define YT_RESUMES 3 /* status queries after interruptions per attempt */

/* The videos.insert metadata of p at instant now, as JSON into out:
 * snippet.title, snippet.description (the caption), snippet.tags, and
 * status.privacyStatus. A post still ahead of its time (publish_at > now)
 * that is to be public or unlisted is uploaded private with
 * status.publishAt = publish_at, so that YouTube holds it until then.
 * ERR_PARSE when p->tags is not a JSON array of strings. */
enum err youtube_upload_metadata(const struct post *p, int64_t now,
                                 struct buf *out) WARN_UNUSED;

/* What a 308's Range header ("bytes=0-N") says arrived: N + 1 bytes;
 * "" (no Range): 0. ERR_PARSE for anything else or N + 1 > total. */
enum err youtube_parse_range(const char *range, int64_t total,
                             int64_t *received) WARN_UNUSED;

/* YouTube Data v3 resumable upload. */
extern const struct publisher_ops youtube_publish_ops;

/* One video per post (videos.insert uploads one file). */
extern const struct media_mix youtube_media_mix;

#endif
