/* What a media file is, read from the file itself with the ffmpeg
 * libraries (libavformat, libavcodec, libswscale), in process: container,
 * codecs, duration, resolution; and a thumbnail (one decoded frame,
 * scaled, encoded as JPEG). Used at upload (http/api_upload.c) and when a
 * post names a file the store has no facts for yet.
 *
 * Untrusted files: the demuxer is forced from the type the first bytes
 * say (media_sniff), so libavformat never guesses (no playlist or concat
 * demuxer, which would open other files); only the "file" protocol is
 * allowed; reading stops at a deadline (AVIOInterruptCB) and after a
 * bounded number of bytes and packets; frames over MEDIA_PROBE_PIXELS_MAX
 * are refused by the decoder. libav's own log is silenced: errors come
 * back in err. */
#ifndef MEDIADASH_SCHEDULE_MEDIA_PROBE_H
#define MEDIADASH_SCHEDULE_MEDIA_PROBE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/err.h"
#include "schedule/media.h"

#define MEDIA_PROBE_TIMEOUT_MS 10000 /* per probe or thumbnail */
#define MEDIA_PROBE_BYTES (32 << 20) /* libavformat's probesize */
#define MEDIA_PROBE_PIXELS_MAX (8192LL * 8192LL)
#define MEDIA_THUMB_SIDE 320 /* the longer side of a thumbnail, px */

/* Facts about one file. Strings owned (media_facts_free); NULL when
 * unknown or absent (no audio). */
struct media_facts {
    char *container;   /* libavformat's demuxer: "mov,mp4,m4a,3gp,3g2,mj2" */
    char *video_codec; /* "h264", "vp9", "mjpeg", "png"... */
    char *audio_codec; /* "aac", "opus"... or NULL */
    int64_t duration_ms; /* -1 for a still image or when unknown */
    int width, height;   /* of the first video stream, > 0 */
    bool still;          /* an image (JPEG, PNG, WebP) */
};
void media_facts_free(struct media_facts *f); /* NULL is a no-op */

/* Read the facts of the file at path, of sniffed type t (media_sniff).
 * ERR_UNSUPPORTED with err saying why when libavformat cannot read it as
 * that type, or it has no picture (a video stream of non-zero size);
 * ERR_BUSY when the deadline passed; ERR_IO when it cannot be opened.
 * On failure *out is empty. */
enum err media_probe(const char *path, const struct media_type *t,
                     struct media_facts *out, struct buf *err) WARN_UNUSED;

/* Decode the first picture of the file at path (type t), scale it to fit
 * MEDIA_THUMB_SIDE (keeping its aspect) and write it as a JPEG to
 * out_path (through a temporary file and a rename: never half written).
 * Same errors as media_probe; ERR_IO when out_path cannot be written. */
enum err media_thumb(const char *path, const struct media_type *t,
                     const char *out_path, struct buf *err) WARN_UNUSED;

#endif
