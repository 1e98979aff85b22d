/* Private to the store backends' post files (store_sqlite_post*.c,
 * pg/pg_post*.c): the backend-neutral flows of a post's state change
 * (store_post_transition, store_post_move) and of an edit
 * (store_post_edit), written once in store_post_common.c with the one
 * table of allowed edges (post_edge_allowed). Each backend gives the row
 * steps as a struct post_tx_ops and a struct post_edit_ops. */
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

/* The row steps of an edit (store_post_edit) that differ between the
 * backends; begin and end are tx's. */
struct post_edit_ops {
    const struct post_tx_ops *tx;
    /* The state and version of post id (its row locked where the
     * backend locks rows); ERR_NOTFOUND, err says which post. */
    enum err (*current)(void *be, int64_t id, enum post_state *state,
                        int64_t *version, struct buf *err);
    /* The guarded UPDATE of an edit made on version. */
    enum err (*update)(void *be, int64_t id, int64_t version,
                       const struct post *p, int64_t now, struct buf *err);
    /* The post_edit row of the new version. */
    enum err (*record)(void *be, int64_t id, int64_t now, int64_t version,
                       const char *by, const char *changes,
                       struct buf *err);
    /* A post_event row (the edit changed the state). */
    enum err (*event)(void *be, int64_t id, int64_t now, const char *from,
                      const char *to, const char *note, struct buf *err);
    /* After a post is left scheduled (it may be due sooner): wake the
     * workers; NULL where the backend's workers poll. */
    enum err (*wake)(void *be, struct buf *err);
};

/* store_post_edit over a backend's steps. */
enum err post_edit_flow(const struct post_edit_ops *ops, void *be, int64_t id,
                        int64_t version, const struct post *p,
                        const char *by, const char *changes, int64_t now,
                        int64_t *version_out, struct buf *err) WARN_UNUSED;

#endif
