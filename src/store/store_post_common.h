/* Private to the store backends' post files (store_sqlite_post.c,
 * pg/pg_post.c): the backend-neutral flow of a post's state change
 * (store_post_transition, store_post_move), written once in
 * store_post_common.c with the one table of allowed edges
 * (post_edge_allowed). Each backend gives the row steps as a struct
 * post_tx_ops. */
#ifndef MEDIADASH_STORE_POST_COMMON_H
#define MEDIADASH_STORE_POST_COMMON_H

#include <stdbool.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/err.h"
#include "store/store_post.h"

/* be is the backend's own store (struct sqlite_store, struct store_pg). */
struct post_tx_ops {
    enum err (*begin)(void *be, struct buf *err);
    /* COMMIT when rc is ERR_OK, else ROLLBACK; rc, or the commit's
     * error. */
    enum err (*end)(void *be, enum err rc, struct buf *err);
    /* Post id's state (its row locked where the backend locks rows);
     * ERR_NOTFOUND, err says which post. */
    enum err (*state)(void *be, int64_t id, enum post_state *out,
                      struct buf *err);
    /* Set post id from from to to with ch; ERR_EXISTS when it is not in
     * from (or not of ch->worker). */
    enum err (*update)(void *be, int64_t id, enum post_state from,
                       enum post_state to, const struct post_change *ch,
                       int64_t now, struct buf *err);
    /* What follows a change just made: its post_event row and, when
     * told, its notify_outbox row (and the backend's wake-up). */
    enum err (*after)(void *be, int64_t id, enum post_state from,
                      enum post_state to, const char *note, int64_t now,
                      bool told, struct buf *err);
};

/* store_post_transition and store_post_move over a backend's steps. */
enum err post_transition_flow(const struct post_tx_ops *ops, void *be,
                              int64_t id, enum post_state from,
                              enum post_state to,
                              const struct post_change *ch, const char *note,
                              int64_t now, struct buf *err) WARN_UNUSED;
enum err post_move_flow(const struct post_tx_ops *ops, void *be, int64_t id,
                        enum post_state to, const char *note, int64_t now,
                        enum post_state *from_out,
                        struct buf *err) WARN_UNUSED;

#endif
