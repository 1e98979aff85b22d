/* Private to src/store: the outbox row a post's change of state writes,
 * inside the transaction that changes it (store_sqlite_post.c). */
#ifndef MEDIADASH_STORE_SQLITE_NOTIFY_H
#define MEDIADASH_STORE_SQLITE_NOTIFY_H

#include <stdint.h>

#include "core/buf.h"
#include "core/err.h"
#include "store/store_sqlite.h"

/* The event kind of a post moving from state `from` to state `to`
 * (names as stored): "post.published", "post.failed", "post.missed"
 * (claimed -> failed: the worker gave up before any platform call, or
 * a state named "missed"), "post.needs_relogin"; NULL when the change
 * is not one people are told about. */
const char *sqlite_notify_post_kind(const char *from, const char *to);

/* Inside the caller's transaction: when from -> to is a kind above, add
 * its outbox row for post id (platform, account and title read from the
 * post; detail is note, else the post's last error). ERR_DB on failure
 * (err says why): the caller rolls the change back with it. */
enum err sqlite_notify_post(struct sqlite_store *s, int64_t id,
                            const char *from, const char *to,
                            const char *note, int64_t now, struct buf *err)
    WARN_UNUSED;

#endif
