/* Private to the SQLite backend's post files (store_sqlite_post.c and
 * store_sqlite_post_edit.c): the event helper of store_sqlite_post.c,
 * shared so that every post write writes its post_event row the same
 * way (transactions: sqlite_write_begin/end in store_sqlite.h). */
#ifndef MEDIADASH_STORE_SQLITE_POST_INT_H
#define MEDIADASH_STORE_SQLITE_POST_INT_H

#include <stdint.h>

#include "core/buf.h"
#include "core/err.h"
#include "store/store_post_common.h"
#include "store/store_sqlite.h"

/* Append a post_event row (from may be NULL; note may be NULL). */
enum err sqlite_post_event_add(struct sqlite_store *s, int64_t id,
                               int64_t now, const char *from, const char *to,
                               const char *note, struct buf *err)
    WARN_UNUSED;

/* The backend's row steps of a state change (store_post_common.h), its
 * begin and end also an edit's (store_sqlite_post_edit.c). */
extern const struct post_tx_ops sq_post_tx;

#endif
