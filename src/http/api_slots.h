/* Private to src/http: queue slots' routes (api_slots.c) and the hook
 * that lets POST /api/v1/posts put a new post in the queue. */
#ifndef MEDIADASH_HTTP_API_SLOTS_H
#define MEDIADASH_HTTP_API_SLOTS_H

#include <jansson.h>
#include <stdbool.h>

#include "http/http.h"
#include "schedule/post.h"
#include "schedule/slots.h"

/* "queue" in a new post's body o: absent or false, q stays empty and
 * this is true. true or {"after": ISO 8601} (start looking then, not
 * before now): in's platform and account must name an account with
 * slots, "at" and "zone" must be absent and the post not a draft; q
 * (caller slots_queue_free's) gets the account's slots and their
 * occurrences, and in->at / in->zone / in->opts.shift_gap are set to the
 * first one (pointing into q) so that the post is checked as usual; the
 * store then takes the first free one (api_slots_queue_store). False
 * after answering 400 naming "queue" (or the field at fault) or 409. */
bool api_slots_queue_read(struct http_request *req, json_t *o,
                          struct sched_input *in, struct slots_queue *q,
                          struct http_response *res);

/* Store p at q's first free occurrence (slots_queue_add): rc as
 * store_post_add's, plus ERR_NOTFOUND when every occurrence is taken
 * (err says so); note gets where it went. */
enum err api_slots_queue_store(struct http_request *req,
                               const struct slots_queue *q, struct post *p,
                               int64_t *id_out, struct buf *note,
                               struct buf *err) WARN_UNUSED;

#endif
