/* The notification outbox in the store (migration 0022, src/notify).
 * Each function dispatches to the backend's notify ops (store_impl.h;
 * SQLite: store_sqlite_notify.c).
 *
 * An outbox row is one event; each channel (webhook, mail) has its own
 * state on it: pending -> sent | failed (attempts used up) | off (the
 * channel was not configured when the row came due). Delivery loops in
 * several processes (serve, worker) claim due rows with a lease, so one
 * row is sent by one of them at a time; a process that dies mid-send
 * leaves the lease to run out and the row is sent again (at least once:
 * the event id in the body lets a receiver drop a repeat). */
#ifndef MEDIADASH_STORE_NOTIFY_H
#define MEDIADASH_STORE_NOTIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/err.h"
#include "store/store.h"

enum notify_channel { NOTIFY_WEBHOOK, NOTIFY_MAIL, NOTIFY_CHANNEL_COUNT };
/* "webhook", "mail" */
const char *notify_channel_name(enum notify_channel c);

#define NOTIFY_KIND_MAX 32
#define NOTIFY_TEXT_MAX 2048 /* bytes kept of title and detail */

/* One event. Strings borrowed (for the call, or the callback's
 * duration); NULL where the column is NULL. */
struct notify_event {
    int64_t id;
    const char *kind;     /* post.published, post.failed, post.missed,
                             post.needs_relogin, account.relogin,
                             content.spike, collector.failing */
    int64_t created_at;
    int64_t post_id;      /* 0: none */
    const char *platform, *account, *item, *title, *detail;
    bool test;            /* made by `mediadash notify test` */
    /* per channel (NOTIFY_WEBHOOK, NOTIFY_MAIL) */
    const char *state[NOTIFY_CHANNEL_COUNT]; /* pending, sent, ... */
    int64_t attempts[NOTIFY_CHANNEL_COUNT];
    int64_t next_at[NOTIFY_CHANNEL_COUNT];
};

/* Add ev (its id, states, attempts and next_at are ignored; title and
 * detail are cut to NOTIFY_TEXT_MAX bytes) due at once on both channels.
 * dedup_key (may be NULL) makes the event unique: ERR_EXISTS when one
 * with that key is stored (nothing added). *id_out (may be NULL) gets the
 * new id. ERR_INVALID for a kind that is empty or too long. */
enum err store_notify_add(struct store *st, const struct notify_event *ev,
                          const char *dedup_key, int64_t now,
                          int64_t *id_out, struct buf *err) WARN_UNUSED;

/* Claim up to limit (1..100) events pending on channel c and due at now
 * (next_at <= now), oldest first, in one BEGIN IMMEDIATE transaction:
 * their next_at moves to now + lease_s, so no other process takes them
 * meanwhile. *ids (caller frees) gets their ids, *n how many. */
enum err store_notify_claim(struct store *st, enum notify_channel c,
                            int64_t now, int64_t lease_s, size_t limit,
                            int64_t **ids, size_t *n, struct buf *err)
    WARN_UNUSED;

/* The event id into fn (called once, ev borrowed for the call).
 * ERR_NOTFOUND if there is none. */
typedef enum err (*store_notify_fn)(void *ud, const struct notify_event *ev);
enum err store_notify_get(struct store *st, int64_t id, store_notify_fn fn,
                          void *ud) WARN_UNUSED;

/* What one attempt on a channel came to. */
struct notify_attempt {
    bool ok;
    int status;          /* HTTP status or SMTP reply code; 0: none */
    const char *detail;  /* borrowed; "" or why it failed */
    int64_t retry_at;    /* !ok: when to try again; TIME_NONE: give up
                            (the channel's state becomes failed) */
};
/* Record attempt a of channel c on event id and its log row, in one
 * transaction: ok -> sent; else pending again at a->retry_at, or failed.
 * ERR_NOTFOUND when there is no such event. */
enum err store_notify_result(struct store *st, int64_t id,
                             enum notify_channel c,
                             const struct notify_attempt *a, int64_t now,
                             struct buf *err) WARN_UNUSED;

/* Mark every pending event of channel c 'off' (c is not configured), so
 * that configuring it later does not send old events. *n (may be NULL)
 * gets how many. */
enum err store_notify_off(struct store *st, enum notify_channel c,
                          size_t *n, struct buf *err) WARN_UNUSED;

/* The earliest next_at of a pending event on any channel, or TIME_NONE. */
enum err store_notify_next_due(struct store *st, int64_t *out) WARN_UNUSED;

/* The newest limit (1..500) events, newest first. */
enum err store_notify_list(struct store *st, size_t limit,
                           store_notify_fn fn, void *ud) WARN_UNUSED;

/* One row of the delivery log; strings borrowed for the call. */
struct notify_delivery {
    int64_t id, outbox_id;
    const char *kind;    /* the event's */
    const char *channel; /* webhook, mail */
    int64_t at, attempt;
    bool ok;
    int status;
    const char *detail;
    bool test;
};
typedef enum err (*store_notify_delivery_fn)(void *ud,
                                             const struct notify_delivery *d);
/* The newest limit (1..500) log rows, newest first. */
enum err store_notify_deliveries(struct store *st, size_t limit,
                                 store_notify_delivery_fn fn, void *ud)
    WARN_UNUSED;

/* Conditions that last (notify_watch): record that key (at most 256
 * bytes) holds at now. *first_seen gets when it was first seen holding
 * (now when new) and *notified whether store_notify_watch_mark was
 * called for it since. */
enum err store_notify_watch(struct store *st, const char *key, int64_t now,
                            int64_t *first_seen, bool *notified,
                            struct buf *err) WARN_UNUSED;
/* Mark key notified (its event is written). */
enum err store_notify_watch_mark(struct store *st, const char *key,
                                 struct buf *err) WARN_UNUSED;
/* Forget every key starting with prefix that was last seen holding
 * before now (the condition ended: a later one is new again). */
enum err store_notify_watch_clear(struct store *st, const char *prefix,
                                  int64_t now, struct buf *err) WARN_UNUSED;

/* Delete events created before `before` whose channels are all done
 * (sent, failed or off), with their log rows. *n (may be NULL). */
enum err store_notify_prune(struct store *st, int64_t before, size_t *n,
                            struct buf *err) WARN_UNUSED;

#endif
