/* What the post API adds to a post object from the rest of the store
 * (issue 14): whether its account is connected, the content item a
 * published post became, and that item's first hours and first week
 * against the creator's typical. Store reads only, no network I/O. */
#ifndef MEDIADASH_HTTP_API_POST_STATE_H
#define MEDIADASH_HTTP_API_POST_STATE_H

#include "core/jsonw.h"
#include "schedule/status.h"
#include "store/store.h"
#include "store/store_post.h"

struct api_post_extra {
    struct store *st;               /* borrowed */
    struct status_accounts *accts;  /* owned; NULL when unreadable */
};

/* Read the accounts' states once for a request (a failure leaves
 * account_status out rather than failing the answer). */
void api_post_extra_init(struct api_post_extra *x, struct store *st);
void api_post_extra_free(struct api_post_extra *x);

/* A sched_post_extra_fn (ud: struct api_post_extra *): writes
 *   "account_status": "connected" | "needs_relogin" | "not_connected" |
 *                     null (a platform without accounts, or unknown)
 *   "item": {"platform", "id", "title", "url", "views", "observed_at"} |
 *           null: the content item a published post's remote id names,
 *           once collected (views null until a snapshot has them). */
void api_post_extra_json(struct jw *w, const struct post *p, void *ud);

/* "performance": {"item": {...}, "views_now", "observed_at",
 * "points": [{"age_s", "views", "typical", "peers"}], "vs_typical": ...}
 * or null when the post is not published or its item is not in the
 * store. A member of the open object. */
void api_post_performance(struct jw *w, struct store *st,
                          const struct post *p);

/* "accounts": [{"platform", "account", "status"}] as a member of the
 * open object: every connected account (status connected or
 * needs_relogin; one not listed is not connected). */
void api_post_connections(struct jw *w, struct store *st);

#endif
