/* Media files for posts: the media root (the directory the dashboard's
 * uploads go to), the file types the platforms take, recognised by their
 * first bytes, and the rule that a post made through the JSON API names
 * only files inside the root. The CLI (`mediadash post add`) may name
 * any file: whoever runs it can read that file anyway. */
#ifndef MEDIADASH_SCHEDULE_MEDIA_H
#define MEDIADASH_SCHEDULE_MEDIA_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/err.h"

#define MEDIA_SNIFF_BYTES 16 /* bytes media_sniff needs at most */

struct media_type {
    const char *ext;          /* "mp4", without the dot */
    const char *content_type; /* "video/mp4" */
};

/* The type of a file that starts with the n bytes at head (n may be less
 * than MEDIA_SNIFF_BYTES for a tiny file), or NULL when it is none of
 * MP4, QuickTime (.mov), WebM, JPEG, PNG or WebP. Static result. */
const struct media_type *media_sniff(const unsigned char *head, size_t n);

/* The type the extension of name says (".mp4", ".MOV", ".jpeg"...), or
 * NULL. Static result. */
const struct media_type *media_type_of_name(const char *name);

/* Create directory root with mode 0700 when it is missing (its parent
 * must exist). ERR_IO with err naming it when it cannot be made or is not
 * a directory. */
enum err media_root_prepare(const char *root, struct buf *err) WARN_UNUSED;

/* Remove the temporary files of uploads cut short (".upload-*" in root)
 * last changed before cutoff (UTC): a crash leaves them behind. Returns
 * how many went. */
size_t media_root_sweep(const char *root, int64_t cutoff);

/* The canonical (realpath) form of root into out. ERR_IO naming it. */
enum err media_root_real(const char *root, struct buf *out,
                         struct buf *err) WARN_UNUSED;

/* Whether path names a regular file inside root: path must already be
 * canonical (absolute, no symlink anywhere in it, as an upload's answer
 * gives it) and resolve under root's canonical form; a symlink inside the
 * root pointing elsewhere is refused. *bytes gets its size. ERR_INVALID
 * (err says why, naming path) otherwise. The answer tells nothing about
 * the file system outside the root: a path that is not lexically under
 * the root is refused before anything looks at it, and a missing file, a
 * symlink out and a path outside all get the same message ("is not a file
 * under the media root"); only a non-regular file inside (a directory)
 * gets its own. */
enum err media_check_path(const char *root, const char *path, int64_t *bytes,
                          struct buf *err) WARN_UNUSED;

#endif
