/* Private to src/http: what api_posts.c (create, list, show) and
 * api_post_edit.c (PATCH, history) share. */
#ifndef MEDIADASH_HTTP_API_POSTS_H
#define MEDIADASH_HTTP_API_POSTS_H

#include <stdbool.h>
#include <stdint.h>

#include "core/jsonw.h"
#include "http/http.h"
#include "schedule/post.h"

/* Whether every media file of in lies inside the server's media root
 * with the size stated (api_posts.c); false after a 422 naming the
 * field. */
bool api_posts_media_ok(struct http_request *req,
                        const struct sched_input *in,
                        struct http_response *res);

/* PATCH /api/v1/posts/ID (api_post_edit.c). */
void api_post_patch(struct http_request *req, struct http_response *res);

/* The edits of post id as a JSON array of {at, version, by, changes}
 * (api_post_edit.c); a store error is returned, w then holds a partial
 * array. */
enum err api_post_edits_json(struct store *st, int64_t id, struct jw *w)
    WARN_UNUSED;

#endif
