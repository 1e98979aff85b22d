/* The media library in the store (migration 0020): one row per uploaded
 * file with its facts, and the posts whose media JSON names it (by
 * sha256). Each function dispatches to the backend's media ops
 * (store_impl.h; SQLite: store_sqlite_media.c). */
#ifndef MEDIADASH_STORE_MEDIA_H
#define MEDIADASH_STORE_MEDIA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/err.h"
#include "store/store.h"

#define STORE_MEDIA_LIST_MAX 1000 /* rows store_media_list gives at most */

/* One file. Strings owned (media_row_free) when filled by the store;
 * NULL where the column is NULL. duration_ms is -1 for NULL. */
struct media_row {
    char *sha256, *path, *name, *content_type;
    char *container, *video_codec, *audio_codec, *thumb;
    int64_t bytes, duration_ms, uploaded_at;
    int width, height;
};
void media_row_free(struct media_row *m); /* NULL is a no-op */

/* Insert m, or refresh the row of the same sha256 (its name, facts,
 * thumb and uploaded_at). Strings borrowed. */
enum err store_media_put(struct store *st, const struct media_row *m,
                         struct buf *err) WARN_UNUSED;

/* The row of sha256 into *out (caller media_row_free's). ERR_NOTFOUND. */
enum err store_media_get(struct store *st, const char *sha256,
                         struct media_row *out) WARN_UNUSED;

/* Each row, newest upload first, at most limit (capped at
 * STORE_MEDIA_LIST_MAX). fn's row is borrowed for the call; its error
 * stops the walk and is returned. */
typedef enum err (*store_media_fn)(const struct media_row *m, void *ud);
enum err store_media_list(struct store *st, size_t limit, store_media_fn fn,
                          void *ud) WARN_UNUSED;

/* A post naming a file. Strings borrowed for the callback. holds: the
 * post may still need the file (anything but cancelled, and published
 * posts within the media-link grace period after their last change). */
struct media_use {
    int64_t post_id;
    const char *platform, *account, *title, *state;
    int64_t publish_at, updated_at;
    bool holds;
};
typedef enum err (*store_media_use_fn)(const struct media_use *u, void *ud);

/* Every post whose media names sha256, by id; holds decided at now with
 * grace_s (the published posts' grace). */
enum err store_media_uses(struct store *st, const char *sha256, int64_t now,
                          int64_t grace_s, store_media_use_fn fn,
                          void *ud) WARN_UNUSED;

/* Remove the row of sha256 unless a post holds the file (see
 * media_use.holds), in one write transaction: ERR_BUSY with err naming
 * the posts ("used by posts 3, 7"), ERR_NOTFOUND without a row. The
 * caller removes the files afterwards. */
enum err store_media_delete(struct store *st, const char *sha256, int64_t now,
                            int64_t grace_s, struct buf *err) WARN_UNUSED;

#endif
