/* Queue slots (issue 14): weekly posting times per account as local wall
 * times in an IANA zone ("Tue 17:00 Europe/Berlin"), turned into instants
 * when needed so that they stay at 17:00 on the wall clock across DST
 * changes, and "Add to queue": a new post put in the first slot
 * occurrence no post of its account occupies. */
#ifndef MEDIADASH_SCHEDULE_SLOTS_H
#define MEDIADASH_SCHEDULE_SLOTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/jsonw.h"
#include "store/store_slots.h"

#define SLOTS_HORIZON_DAYS 366    /* how far ahead the queue looks */
#define SLOTS_OCCURRENCES_MAX 4096 /* candidates one queue add considers */

/* "sun".."sat" for 0..6 (Sunday first, as tz_civil.wday); "?" else. */
const char *slots_day_name(int weekday);
/* A weekday from "tue", "Tuesday" (any case) or "2" (0 = Sunday).
 * ERR_INVALID otherwise. */
enum err slots_parse_day(const char *s, int *out) WARN_UNUSED;
/* "HH:MM" (00:00..23:59) to minutes of the day. ERR_INVALID otherwise. */
enum err slots_parse_time(const char *s, int *out) WARN_UNUSED;
/* Append minute as "HH:MM". */
enum err slots_format_time(int minute, struct buf *out) WARN_UNUSED;

/* Check a slot as entered: platform (youtube, instagram, tiktok,
 * dryrun), account (1..ITEM_ID_MAX printable bytes), weekday, minute
 * and a zone tz_load knows. On failure *param names the field and err
 * says why; ERR_INVALID, or ERR_NOTFOUND for an unknown zone. */
enum err slots_check(const struct slot *s, const char **param,
                     struct buf *err) WARN_UNUSED;

/* The occurrences of the n slots strictly after `after` and at most
 * `days` days after it, ascending by instant; an instant two slots share
 * appears once (the earlier slot in s). A wall time in a spring-forward
 * gap takes the first instant after the gap (shifted); one that occurs
 * twice (fall back) takes the first. At most max. *out (caller frees;
 * its zone pointers borrow s's) and *nout; ERR_NOTFOUND / ERR_INVALID
 * with err naming a zone that cannot be loaded. */
enum err slots_occurrences(const struct slot *s, size_t n, int64_t after,
                           int days, size_t max, struct slot_when **out,
                           size_t *nout, struct buf *err) WARN_UNUSED;

/* The slots of one account (owned) and their occurrences, for a queue
 * add or a look at the next free ones. */
struct slots_queue {
    struct slot *slots;
    size_t nslots;
    struct slot_when *when; /* borrows slots' zones */
    size_t nwhen;
};
void slots_queue_free(struct slots_queue *q); /* NULL is a no-op */

/* Load platform/account's slots from st and their occurrences after
 * `after` (within SLOTS_HORIZON_DAYS). ERR_NOTFOUND with err saying so
 * when the account has no slot; *q is then empty. */
enum err slots_queue_load(struct store *st, const char *platform,
                          const char *account, int64_t after,
                          struct slots_queue *q,
                          struct buf *err) WARN_UNUSED;

/* Add post p (scheduled; p's time fields are replaced) at q's first free
 * occurrence (store_slot_queue_post); note gets "added to the queue:
 * Tue 2027-03-30 17:00 Europe/Berlin (slot 4)". Errors as
 * store_slot_queue_post. */
enum err slots_queue_add(struct store *st, const struct slots_queue *q,
                         struct post *p, int64_t now, int64_t *id_out,
                         struct buf *note, struct buf *err) WARN_UNUSED;

/* Slot s as a JSON object: id, platform, account, weekday (0 = Sunday),
 * day ("tue"), time ("17:00"), zone, next (its next occurrence after now,
 * UTC) and next_local (null when the zone no longer loads). */
void slots_slot_json(struct jw *w, const struct slot *s, int64_t now);
/* Occurrence x of q as {at, local, zone, slot_id, shifted, day}. */
void slots_when_json(struct jw *w, const struct slots_queue *q,
                     const struct slot_when *x);

#endif
