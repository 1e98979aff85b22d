/* Private to src/http: what api_posts.c (create, list, show) and
 * api_post_edit.c (PATCH, history) share. */
#ifndef MEDIADASH_HTTP_API_POSTS_H
#define MEDIADASH_HTTP_API_POSTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "core/jsonw.h"
#include "http/http.h"
#include "schedule/post.h"

/* Whether every media file of in lies inside the server's media root
 * with the size stated (api_posts.c); false after a 422 naming the
 * field. */
bool api_posts_media_ok(struct http_request *req,
                        const struct sched_input *in,
                        struct http_response *res);

/* Members of a post's JSON body o, for create and PATCH; each is false
 * after a 400 naming the member when it has the wrong type or size, true
 * (out untouched) when it is absent. Strings are borrowed from o.
 *   api_post_str: an optional string (JSON null counts as absent);
 *   api_post_tags: "tags", at most SCHED_TAGS_MAX strings, into tags[]
 *     (*out = tags, *n their number);
 *   api_post_media: "media", at most SCHED_MEDIA_MAX {path, sha256,
 *     bytes, content_type} objects, into m[] likewise. */
bool api_post_str(json_t *o, const char *key, const char **out,
                  struct http_response *res);
bool api_post_tags(json_t *o, const char **tags, const char *const **out,
                   size_t *n, struct http_response *res);
bool api_post_media(json_t *o, struct sched_media *m,
                    const struct sched_media **out, size_t *n,
                    struct http_response *res);

/* The id in /api/v1/posts/ID..., *rest what follows it ("" or
 * "/cancel"...); false after a 400 naming id. */
bool api_post_path_id(struct http_request *req, struct http_response *res,
                      int64_t *id, const char **rest);

/* PATCH /api/v1/posts/ID (api_post_edit.c). */
void api_post_patch(struct http_request *req, struct http_response *res);

/* The edits of post id as a JSON array of {at, version, by, changes}
 * (api_post_edit.c); a store error is returned, w then holds a partial
 * array. */
enum err api_post_edits_json(struct store *st, int64_t id, struct jw *w)
    WARN_UNUSED;

#endif
