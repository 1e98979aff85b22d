/* Public links to a scheduled post's media (Instagram fetches image_url
 * and video_url itself, so the file must be at a public URL):
 *
 *   <publish.public_base_url>/m/<token>
 *   token = <post id>.<media index>.<mac>
 *   mac   = base64url(BLAKE2b-256(key, "mediadash media link v1" || post
 *           id || index || the file's SHA-256 hex))
 *
 * The key is a subkey of the secret key file (secret_derive, context
 * "medialnk"), so `serve` and `worker` processes sharing the key file
 * agree on tokens and nobody without the key can make one. A token names
 * one file of one post at one content (its SHA-256): a changed file or
 * another post needs another token. Whether a link is answered at all
 * also depends on the post's state (media_link_servable). */
#ifndef MEDIADASH_MEDIA_LINK_H
#define MEDIADASH_MEDIA_LINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/secret.h"
#include "store/store_post.h"

#define MEDIA_LINK_TOKEN_MAX 96 /* bytes of a token */
#define MEDIA_LINK_GRACE_S                                                     \
    3600 /* a published post's links live on                                   \
            this long (a platform still fetching) */
#define MEDIA_LINK_PREFIX "/m/"

/* The token of file `index` (0-based) of post_id with SHA-256 hex sha256
 * into out (replaced). ERR_INVALID for a bad id, index or sha256;
 * ERR_TOOBIG when out is too small. */
enum err media_link_token(const struct secret_key *k, int64_t post_id,
                          size_t index, const char *sha256,
                          struct buf *out) WARN_UNUSED;

/* base (no trailing '/' needed) + MEDIA_LINK_PREFIX + the token, into out
 * (replaced). ERR_INVALID when base is not an http(s) URL. */
enum err media_link_url(const struct secret_key *k, const char *base,
                        int64_t post_id, size_t index, const char *sha256,
                        struct buf *out) WARN_UNUSED;

/* Split token into the post id and media index it claims; nothing is
 * verified yet. ERR_PARSE for anything not shaped like a token. */
enum err media_link_parse(const char *token, int64_t *post_id,
                          size_t *index) WARN_UNUSED;

/* Whether token is exactly the token of (post_id, index, sha256), in
 * constant time over the token's bytes. */
bool media_link_verify(const struct secret_key *k, const char *token,
                       int64_t post_id, size_t index, const char *sha256);

/* Whether links of p are answered at now: scheduled, claimed and
 * publishing posts, and published ones for MEDIA_LINK_GRACE_S after
 * their last change; never drafts, cancelled, failed or needs_* posts. */
bool media_link_servable(const struct post *p, int64_t now);

/* File `index` of a post's media JSON ([{path, sha256, bytes,
 * content_type}], as stored): path, sha256 and content_type copied into
 * the bufs (replaced), the size into *bytes. ERR_NOTFOUND when there is
 * no such entry, ERR_PARSE when the JSON or the entry's types are not as
 * stored. */
enum err media_link_item(const char *media_json, size_t index, struct buf *path,
                         struct buf *sha256, int64_t *bytes,
                         struct buf *content_type) WARN_UNUSED;

#endif
