/* Private to the store backends' slot files (store_sqlite_slots.c,
 * pg/pg_slots.c): the backend-neutral flow of adding a slot and of "Add
 * to queue" (store_slots.h), written once in store_slots_common.c. Each
 * backend gives the row steps that differ (its statements, how its
 * transaction begins and ends) as a struct slot_tx_ops. */
#ifndef MEDIADASH_STORE_SLOTS_COMMON_H
#define MEDIADASH_STORE_SLOTS_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/err.h"
#include "store/store_post.h"
#include "store/store_slots.h"

/* be is the backend's own store (struct sqlite_store, struct store_pg). */
struct slot_tx_ops {
    /* Begin the write transaction that serialises the writes of
     * platform/account; on a failure nothing is left open. */
    enum err (*begin)(void *be, const char *platform, const char *account,
                      struct buf *err);
    /* End it: commit on ERR_OK, else roll back; rc, or the commit's
     * error. A refusal (ERR_EXISTS, ERR_TOOBIG, ERR_NOTFOUND) is no
     * store fault and is returned as it is. */
    enum err (*end)(void *be, enum err rc, struct buf *err);
    /* ERR_EXISTS with *id_out when the same slot is stored, else
     * ERR_OK. */
    enum err (*find)(void *be, const struct slot *x, int64_t *id_out,
                     struct buf *err);
    /* The count of platform/account's slots. */
    enum err (*count)(void *be, const struct slot *x, int64_t *n,
                      struct buf *err);
    enum err (*insert)(void *be, const struct slot *x, int64_t now,
                       int64_t *id_out, struct buf *err);
    /* As store_slot_taken, inside the transaction. */
    enum err (*taken)(void *be, const char *platform, const char *account,
                      const struct slot_when *c, size_t n, bool *taken,
                      struct buf *err);
    /* store_post_add's work inside the transaction. */
    enum err (*add_post)(void *be, const struct post *p, const char *note,
                         int64_t now, int64_t *id_out, struct buf *err);
};

/* store_slot_add and store_slot_queue_post over a backend's steps. */
enum err slot_add_flow(const struct slot_tx_ops *ops, void *be,
                       const struct slot *x, int64_t now, int64_t *id_out,
                       struct buf *err) WARN_UNUSED;
enum err slot_queue_flow(const struct slot_tx_ops *ops, void *be,
                         struct post *p, const struct slot_when *c, size_t n,
                         int64_t now, int64_t *id_out, size_t *chosen_out,
                         struct buf *err) WARN_UNUSED;
/* store_slot_update's refusal when cur's account has the slot already:
 * ERR_EXISTS, err says so. */
enum err slot_clash(const struct slot *cur, struct buf *err);

#endif
