/* Private to the SQLite backend's post files (store_sqlite_post.c and
 * store_sqlite_post_edit.c): the transaction and event helpers of
 * store_sqlite_post.c, shared so that every post write takes the same
 * BEGIN IMMEDIATE with retries and writes its post_event row the same
 * way. */
#ifndef MEDIADASH_STORE_SQLITE_POST_INT_H
#define MEDIADASH_STORE_SQLITE_POST_INT_H

#include <stdint.h>

#include "core/buf.h"
#include "core/err.h"
#include "store/store_sqlite.h"

/* BEGIN IMMEDIATE, retried while another writer holds the file. */
enum err sqlite_post_begin(struct sqlite_store *s, struct buf *err)
    WARN_UNUSED;
/* COMMIT when rc is ERR_OK, else ROLLBACK; returns the outcome. */
enum err sqlite_post_finish(struct sqlite_store *s, enum err rc,
                            struct buf *err) WARN_UNUSED;
/* Append a post_event row (from may be NULL; note may be NULL). */
enum err sqlite_post_event_add(struct sqlite_store *s, int64_t id,
                               int64_t now, const char *from, const char *to,
                               const char *note, struct buf *err)
    WARN_UNUSED;

#endif
