/* The media library: the files uploaded to the media root, each with the
 * facts media_probe read from it and a thumbnail, in the store
 * (store_media.h); the check of a post's files against its platform's
 * limits (media_limits.h); removal of files no post needs any more.
 *
 * Thumbnails live in <media root>/.thumbs/<sha256>.jpg (mode 0600; the
 * directory 0700), beside the media, and are answered only through the
 * authenticated API (GET /api/v1/media/SHA256/thumb). */
#ifndef MEDIADASH_SCHEDULE_MEDIA_LIB_H
#define MEDIADASH_SCHEDULE_MEDIA_LIB_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/err.h"
#include "schedule/media.h"
#include "schedule/media_probe.h"
#include "schedule/post.h"
#include "store/store_media.h"

#define MEDIA_LIB_THUMBS ".thumbs"

/* A file about to join the library. Everything borrowed. */
struct media_lib_file {
    const char *probe_path; /* where the bytes are now (an upload's
                               temporary file, or path itself) */
    const char *path;       /* where they will be: root/<sha256>.<ext> */
    const char *root;       /* the media root, canonical */
    const char *sha256, *name;
    int64_t bytes;
    const struct media_type *type;
};

/* Probe f->probe_path, write its thumbnail (a failure there is logged,
 * and the row has no thumb), and store its row at now. ERR_UNSUPPORTED
 * or ERR_BUSY (media_probe's) with err saying why when it is not a
 * readable video or image: nothing is stored then. ERR_DB when the store
 * fails. *facts gets what was read (caller media_facts_free's; empty on
 * failure). */
enum err media_lib_add(struct store *st, const struct media_lib_file *f,
                       int64_t now, struct media_facts *facts,
                       struct buf *err) WARN_UNUSED;

/* Whether every file of a post for platform fits its limits. Facts come
 * from the library; a file in the root the library has no row for (an
 * upload from before the library) is probed and added first. ERR_OK, or
 * ERR_INVALID with *field naming what does not fit ("media.format",
 * "media.bytes", "media.duration", "media.path") and err saying which
 * file and why; ERR_DB when the store fails. Platforms without limits
 * (dryrun) take anything. root: the configured media root. */
enum err media_lib_fit(struct store *st, const char *root,
                       const char *platform, const struct sched_media *m,
                       size_t n, const char **field,
                       struct buf *err) WARN_UNUSED;

/* The limits check of one library row against one platform's limits
 * (for listings: which platforms a file suits). */
enum err media_lib_fits(const struct media_row *m, const char *platform,
                        const char **field, struct buf *err) WARN_UNUSED;

/* Remove sha256 from the library unless a post holds it (store_media.h:
 * ERR_BUSY, err naming the posts; ERR_NOTFOUND), then its file and
 * thumbnail from disk (a file that cannot be removed is logged). */
enum err media_lib_delete(struct store *st, const char *sha256, int64_t now,
                          struct buf *err) WARN_UNUSED;

/* Whether s is 64 lowercase hex digits. */
bool media_lib_sha_ok(const char *s);

#endif
