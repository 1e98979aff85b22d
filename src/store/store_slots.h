/* Queue slots in the store (migration 0021): per account, weekly posting
 * times as local wall times in a zone, and "Add to queue": a new post put
 * at the first of a list of candidate instants that no post of its
 * account occupies, chosen and written in one transaction. Each function
 * dispatches to the backend's slot ops (store_impl.h; SQLite:
 * store_sqlite_slots.c). */
#ifndef MEDIADASH_STORE_SLOTS_H
#define MEDIADASH_STORE_SLOTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/err.h"
#include "store/store.h"
#include "store/store_post.h"

#define SLOTS_PER_ACCOUNT_MAX 50 /* slots one account may have */
#define SLOT_LOCAL_MAX 32        /* bytes of "2027-03-28 02:30:00" */

/* A slot. platform, account and zone are owned (slot_free) when the
 * store fills the struct, borrowed when the caller passes one in. */
struct slot {
    int64_t id;
    char *platform; /* youtube, instagram, tiktok, dryrun */
    char *account;  /* the account's ext id */
    int weekday;    /* 0 = Sunday ... 6 = Saturday */
    int minute;     /* of the local day, 0..1439 */
    char *zone;     /* IANA zone */
    int64_t created_at, updated_at;
};
void slot_free(struct slot *s); /* frees the strings; NULL is a no-op */

/* Called per slot, ordered by platform, account, weekday, minute, id;
 * s borrowed for the call. A non-OK return stops and is returned. */
typedef enum err (*store_slot_fn)(const struct slot *s, void *ud);
/* Slots of platform/account (either may be NULL: all). */
enum err store_slot_list(struct store *st, const char *platform,
                         const char *account, store_slot_fn fn, void *ud,
                         struct buf *err) WARN_UNUSED;
/* Slot id into *out (caller slot_free's). ERR_NOTFOUND if none. */
enum err store_slot_get(struct store *st, int64_t id, struct slot *out,
                        struct buf *err) WARN_UNUSED;
/* Add s (borrowed; id and times ignored). ERR_EXISTS when the same slot
 * (platform, account, weekday, minute, zone) is stored: *id_out is that
 * one and nothing changes. ERR_TOOBIG when the account has
 * SLOTS_PER_ACCOUNT_MAX already. */
enum err store_slot_add(struct store *st, const struct slot *s, int64_t now,
                        int64_t *id_out, struct buf *err) WARN_UNUSED;
/* Move slot id to weekday/minute/zone. ERR_NOTFOUND; ERR_EXISTS when
 * the account has that slot already (nothing changed). */
enum err store_slot_update(struct store *st, int64_t id, int weekday,
                           int minute, const char *zone, int64_t now,
                           struct buf *err) WARN_UNUSED;
/* ERR_NOTFOUND when there is no slot id. Posts are not touched. */
enum err store_slot_delete(struct store *st, int64_t id,
                           struct buf *err) WARN_UNUSED;

/* One occurrence of a slot: an instant with the wall time it shows. */
struct slot_when {
    int64_t utc;
    int64_t slot_id;
    const char *zone;           /* borrowed */
    char local[SLOT_LOCAL_MAX]; /* "2027-03-28 17:00:00" in zone */
    bool shifted;               /* the wall time fell in a DST gap: utc
                                   is the first instant after it */
};

/* For each of the n candidates, whether a post of platform/account that
 * still counts (any state but draft, cancelled, failed) is due within
 * its minute [utc, utc + 60): taken[i] (n bools, caller's) says so. */
enum err store_slot_taken(struct store *st, const char *platform,
                          const char *account, const struct slot_when *c,
                          size_t n, bool *taken,
                          struct buf *err) WARN_UNUSED;

/* Add post p (state scheduled; as store_post_add, idempotency key
 * included) at the first of the n candidates (ascending utc) that is
 * free as store_slot_taken says, in one BEGIN IMMEDIATE transaction, so
 * that two adds never take one slot. p->publish_at, p->zone and
 * p->local_time are replaced (freed and set: p owns them). *chosen_out
 * gets the candidate's index. ERR_NOTFOUND (err says so) when all n are
 * taken, nothing stored; ERR_EXISTS / ERR_AMBIGUOUS as store_post_add
 * for a reused key (then *chosen_out is n). */
enum err store_slot_queue_post(struct store *st, struct post *p,
                               const struct slot_when *c, size_t n,
                               int64_t now, int64_t *id_out,
                               size_t *chosen_out,
                               struct buf *err) WARN_UNUSED;

#endif
