/* Scheduled posts in the store (DESIGN.md: post states, "exactly once").
 * Each function dispatches to the backend's post ops (store_impl.h,
 * struct store_post_ops; SQLite: store_sqlite_post.c, _post_edit.c).
 *
 * States and the edges allowed between them (post_edge_allowed):
 *   draft       -> scheduled, cancelled
 *   scheduled   -> claimed, cancelled, draft
 *   claimed     -> publishing, scheduled (lease released/expired), failed
 *                  (missed the grace window), cancelled
 *   publishing  -> published, failed, needs_check, needs_relogin,
 *                  scheduled (a retry later, after a clear refusal)
 *   needs_check -> published, scheduled, failed, cancelled
 *   failed, needs_relogin -> scheduled, cancelled
 *   published, cancelled: final.
 * Every transition is one write transaction that also appends a
 * post_event row (post id, at, from, to, note). */
#ifndef MEDIADASH_STORE_POST_H
#define MEDIADASH_STORE_POST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/err.h"
#include "store/store.h"

enum post_state {
    POST_DRAFT,
    POST_SCHEDULED,
    POST_CLAIMED,
    POST_PUBLISHING,
    POST_PUBLISHED,
    POST_FAILED,
    POST_NEEDS_CHECK,
    POST_NEEDS_RELOGIN,
    POST_CANCELLED,
    POST_STATE_COUNT
};

/* "draft", "scheduled", ... as stored; never NULL for a valid state. */
const char *post_state_name(enum post_state s);
/* ERR_INVALID for an unknown name. */
enum err post_state_from_name(const char *s, enum post_state *out)
    WARN_UNUSED;
/* Whether the state machine allows from -> to. */
bool post_edge_allowed(enum post_state from, enum post_state to);

#define POST_IDEM_KEY_MAX 128 /* bytes of an Idempotency-Key */

/* A post. Every string is owned by the struct (post_free); NULL where
 * the column is NULL. */
struct post {
    int64_t id;
    char *platform;   /* youtube, instagram, tiktok, dryrun */
    char *account;    /* the account's ext id */
    char *title;
    char *caption;
    char *tags;       /* JSON array of strings */
    char *privacy;    /* private, unlisted, public */
    char *media;      /* JSON [{path, sha256, bytes, content_type}] */
    int64_t publish_at; /* UTC */
    char *zone;       /* IANA zone it was chosen in */
    char *local_time; /* wall time as entered, "2025-03-09 09:30" */
    enum post_state state;
    int64_t attempts;
    char *claimed_by;
    int64_t claimed_until; /* TIME_NONE when not leased */
    char *remote_id, *remote_url, *last_error;
    char *idem_key, *body_hash;
    int64_t created_at, updated_at;
    char *progress;   /* a publisher's resume state (JSON object), or NULL */
    int64_t version;  /* bumped by every change of the row (0019) */
    char *failure;    /* state failed: POST_FAILURE_MISSED or
                         POST_FAILURE_PLATFORM; NULL otherwise */
};
void post_free(struct post *p); /* frees the strings; NULL is a no-op */

/* Why a failed post failed (migration 0024): missed = a worker first saw
 * it more than the grace window after it was due and made no platform
 * call; platform = the platform refused it or the retries ran out. */
#define POST_FAILURE_MISSED "missed"
#define POST_FAILURE_PLATFORM "platform"

/* Add p (its id, attempts, lease, remote and time fields are ignored) in
 * state p->state (draft or scheduled), with its creation event. When
 * p->idem_key is set and already stored: same p->body_hash -> ERR_EXISTS
 * and *id_out is the stored post; another hash -> ERR_AMBIGUOUS, nothing
 * stored. ERR_INVALID for another state. Strings borrowed. */
enum err store_post_add(struct store *st, const struct post *p, int64_t now,
                        int64_t *id_out, struct buf *err) WARN_UNUSED;

/* Post id into *out (caller post_free's). ERR_NOTFOUND if none. */
enum err store_post_get(struct store *st, int64_t id, struct post *out)
    WARN_UNUSED;

struct post_query {
    int state;        /* enum post_state, or -1 for all */
    int64_t from, to; /* publish_at in [from, to); TIME_NONE: open */
    size_t limit;     /* 0: no limit */
    const char *failure; /* only posts with this failure; NULL: any */
};
/* Called per post in publish_at, id order; p is borrowed for the call.
 * A non-OK return stops the listing and is returned. */
typedef enum err (*store_post_fn)(const struct post *p, void *ud);
enum err store_post_list(struct store *st, const struct post_query *q,
                         store_post_fn fn, void *ud) WARN_UNUSED;

struct post_event {
    int64_t at;
    const char *from; /* NULL for the creation event */
    const char *to;
    const char *note;
};
typedef enum err (*store_post_event_fn)(const struct post_event *e,
                                        void *ud);
/* The audit trail of post id, oldest first; strings borrowed per call. */
enum err store_post_events(struct store *st, int64_t id,
                           store_post_event_fn fn, void *ud) WARN_UNUSED;

/* Fields a transition may set besides the state; NULL/TIME_NONE keep the
 * stored value. Leaving claimed/publishing always clears the lease. */
struct post_change {
    const char *remote_id, *remote_url, *last_error;
    int64_t publish_at;   /* TIME_NONE: keep; else the later of it and
                             the stored one (never moved earlier) */
    bool count_attempt;   /* attempts + 1 (entering publishing) */
    const char *worker;   /* when set, the lease must be this worker's */
    const char *failure;  /* entering failed: POST_FAILURE_*; NULL there
                             means POST_FAILURE_PLATFORM. Any other state
                             clears the stored failure. */
};
#define POST_CHANGE_NONE                                                      \
    ((struct post_change){NULL, NULL, NULL, INT64_MIN, false, NULL, NULL})

/* Move post id from `from` to `to` with note (borrowed, may be NULL), in
 * one transaction with its event, only if it is still in `from` (and, with
 * ch->worker, leased by that worker): a racing writer loses cleanly.
 * ERR_UNSUPPORTED: the state machine has no edge from -> to;
 * ERR_NOTFOUND: no post id; ERR_EXISTS: the post is no longer in `from`
 * (or leased by another worker); nothing changed then. ch may be NULL. */
enum err store_post_transition(struct store *st, int64_t id,
                               enum post_state from, enum post_state to,
                               const struct post_change *ch, const char *note,
                               int64_t now, struct buf *err) WARN_UNUSED;

#define POST_PROGRESS_MAX 8192 /* bytes of a progress JSON object */

/* Record a publisher's resume state (JSON object text, at most
 * POST_PROGRESS_MAX bytes; NULL clears it) on post id, committed before
 * this returns, only while the post is publishing and leased by worker.
 * ERR_EXISTS when it is not (nothing changed); ERR_TOOBIG. Recovery
 * (needs_check) reads it back with the post. */
enum err store_post_set_progress(struct store *st, int64_t id,
                                 const char *worker, const char *progress,
                                 int64_t now, struct buf *err) WARN_UNUSED;

/* Move post id to `to` from whatever state it is in, when the edge is
 * allowed (cancel, retry). Retrying to scheduled moves a past publish_at
 * to now. *from_out (may be NULL) gets the state it was in. Errors:
 * ERR_NOTFOUND; ERR_UNSUPPORTED when the current state has no edge to
 * `to` (err names it). */
enum err store_post_move(struct store *st, int64_t id, enum post_state to,
                         const char *note, int64_t now,
                         enum post_state *from_out, struct buf *err)
    WARN_UNUSED;

/* Atomically claim up to limit (0: all) scheduled posts due at now
 * (publish_at <= now) on one of `platforms` (a JSON array of names such as
 * ["youtube","dryrun"], or NULL for any) for worker: state claimed, claimed_by worker, claimed_until now +
 * lease_s, with their events, in one BEGIN IMMEDIATE transaction, so
 * several processes never take the same post. The earliest due are
 * taken first; *out (caller frees) gets their ids, in no particular
 * order, *n how many. */
enum err store_post_claim_due(struct store *st, const char *worker,
                              const char *platforms, int64_t now,
                              int64_t lease_s, size_t limit, int64_t **out,
                              size_t *n, struct buf *err) WARN_UNUSED;

/* Crash recovery, one transaction: a claimed post whose lease ended
 * before now goes back to scheduled (nothing was sent yet); a publishing
 * one goes to needs_check (it may have been sent: ask the platform before
 * anything else). Counts in *back and *check (may be NULL). */
enum err store_post_expire_leases(struct store *st, int64_t now,
                                  size_t *back, size_t *check,
                                  struct buf *err) WARN_UNUSED;

/* ---- editing (migration 0019) ---------------------------------------- */

#define POST_EDIT_BY_MAX 128        /* bytes of who made an edit */
#define POST_EDIT_CHANGES_MAX 65536 /* bytes of an edit's changes JSON */

/* Whether a post in state s may still be edited: draft or scheduled. */
bool post_editable(enum post_state s);

/* Replace the editable fields of post id (account, title, caption, tags,
 * privacy, media, publish_at, zone, local_time, and state: draft or
 * scheduled) with p's, in one transaction, only if the post is still at
 * version `version` and in draft or scheduled: one UPDATE guarded by
 * both, so an edit racing a worker's claim or another edit loses
 * cleanly. The version goes up by one; a post_edit row records `by` and
 * `changes` (a JSON array, at most POST_EDIT_CHANGES_MAX bytes), and a
 * change of state also appends a post_event row. *version_out (may be
 * NULL) gets the new version. Errors, nothing changed then (err says
 * why): ERR_NOTFOUND; ERR_UNSUPPORTED: the post is no longer draft or
 * scheduled (claimed, published...) or p->state is neither;
 * ERR_EXISTS: it is at another version (stale edit); ERR_TOOBIG.
 * Strings borrowed. */
enum err store_post_edit(struct store *st, int64_t id, int64_t version,
                         const struct post *p, const char *by,
                         const char *changes, int64_t now,
                         int64_t *version_out, struct buf *err) WARN_UNUSED;

struct post_edit {
    int64_t at, version;
    const char *by;
    const char *changes; /* JSON array of {field, from, to} */
};
typedef enum err (*store_post_edit_fn)(const struct post_edit *e, void *ud);
/* The edits of post id, oldest first; strings borrowed per call. A
 * non-OK return of fn stops the listing and is returned. */
enum err store_post_edits(struct store *st, int64_t id,
                          store_post_edit_fn fn, void *ud) WARN_UNUSED;

#endif
