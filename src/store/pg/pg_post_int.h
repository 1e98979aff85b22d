/* Private to the PostgreSQL backend's post files (pg_post.c,
 * pg_post_claim.c, pg_post_read.c, pg_post_edit.c, pg_slots.c): the
 * helpers every post write shares, so that each writes its post_event
 * row, ends its transaction and sends its wake-up the same way. */
#ifndef MEDIADASH_PG_POST_INT_H
#define MEDIADASH_PG_POST_INT_H

#include <stdint.h>

#include "core/buf.h"
#include "core/err.h"
#include "store/pg/store_pg.h"
#include "store/store_post_common.h"
#include "store/store_post.h"

/* Append a post_event row (from and note may be NULL). */
enum err pg_post_event(struct store_pg *s, int64_t id, int64_t now,
                       const char *from, const char *to, const char *note,
                       struct buf *err) WARN_UNUSED;
/* NOTIFY mediadash_posts: delivered when the caller's transaction
 * commits, dropped when it rolls back. */
enum err pg_post_wake(struct store_pg *s, struct buf *err) WARN_UNUSED;
/* COMMIT when rc is ERR_OK, else ROLLBACK; rc, or the commit's error. */
enum err pg_post_end(struct store_pg *s, enum err rc, struct buf *err);
/* The state of post id, its row locked FOR UPDATE until the caller's
 * transaction ends. ERR_NOTFOUND (err says which post). */
enum err pg_post_state(struct store_pg *s, int64_t id, enum post_state *out,
                       struct buf *err) WARN_UNUSED;
/* store_post_add's work inside the caller's transaction (also used by
 * the queue's slot pick): ERR_EXISTS/ERR_AMBIGUOUS for a stored key. */
enum err pg_post_add_in_tx(struct store_pg *s, const struct post *p,
                           const char *note, int64_t now, int64_t *id_out,
                           struct buf *err) WARN_UNUSED;

/* Append p's fields as an insert and an edit bind them: account, title,
 * caption, tags, privacy, media, publish_at, zone, local_time, state. */
void pg_post_params(struct pg_params *q, const struct post *p);

/* The backend's row steps of a state change (store_post_common.h), its
 * begin and end also an edit's (pg_post_edit.c). */
extern const struct post_tx_ops pg_post_tx;

#endif
