/* The event store: the only module with SQL (DESIGN.md). One interface,
 * backends behind an ops table (SQLite now; PostgreSQL can slot in).
 *
 * A store handle is used by one thread at a time. Snapshots are
 * append-only: ingest adds, never overwrites. */
#ifndef MEDIADASH_STORE_H
#define MEDIADASH_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/model.h"

struct store;

/* Open (creating and migrating as needed) the store at target: a file
 * path for SQLite. On failure *out is NULL and err says why. */
enum err store_open(const char *target, struct store **out, struct buf *err)
    WARN_UNUSED;
void store_close(struct store *st); /* NULL is a no-op */

/* The database files hold password hashes, session keys and CSRF tokens:
 * store_open creates a new database mode 0600 (its -wal, -shm and
 * -journal follow) and takes away what others may do with an existing
 * one, with a warning. This shares them with a group instead (the config
 * key db.group): target (created if missing) and its -wal, -shm and
 * -journal that exist get group `group` and mode 0660. ERR_INVALID for an
 * unknown group, ERR_IO when a file cannot be changed; err says which. */
enum err store_share_group(const char *target, const char *group,
                           struct buf *err) WARN_UNUSED;

/* Whether target names a database file (SQLite: a path), as opposed to a
 * server's URI (PostgreSQL). Files beside the database (the key file
 * <db>.key, the media library <db>.media) are defaults only for a file. */
bool store_target_is_file(const char *target);

/* target as messages and `doctor` may show it: a path as it is, a URI
 * as user@host:port/dbname without its password. Caller frees. */
char *store_target_display(const char *target);

/* Why the last call on st that returned ERR_DB failed, as far as the
 * backend can tell: the disk (or the database's size limit) is full, an
 * I/O error, or something else. Call it right after the failure, on the
 * same handle; it forgets the cause it reports. */
enum store_fault { STORE_FAULT_OTHER, STORE_FAULT_FULL, STORE_FAULT_IO };
enum store_fault store_fault(struct store *st);

/* Errors. Every function of the store (this header, store_post.h,
 * store_slots.h, store_media.h, store_notify.h, store_token.h,
 * store_backup.h) answers the same situation with the same code, whatever
 * the backend:
 *   ERR_NOTFOUND   the row asked for (by id, key or name) is not there
 *                  (or used up: an OAuth state taken, a session expired;
 *                  a zone the system does not know);
 *   ERR_EXISTS     a conflict: already there (a name, a digest, an
 *                  idempotency key with the same body), or a conditional
 *                  write lost (the row is no longer in the state or at
 *                  the version the caller read); nothing changed;
 *   ERR_BUSY       something still holds what was to go (a file used by
 *                  posts); nothing changed;
 *   ERR_INVALID    an argument the store refuses (a state a new post
 *                  cannot have, a malformed zone name);
 *   ERR_UNSUPPORTED the post state machine has no such edge;
 *   ERR_TOOBIG     over a stated bound (live tokens, slots, progress);
 *   ERR_AMBIGUOUS  an idempotency key already used for another body;
 *   ERR_DB         the backend failed (store_fault says whether the disk
 *                  is full); the transaction was rolled back.
 * Functions with a struct buf *err put a message there on every non-OK
 * return that names what failed; the others answer by the code alone.
 * tests/unit/test_store_conformance.c checks these codes. */

/* Schema version the store is at. */
enum err store_schema_version(struct store *st, int *out) WARN_UNUSED;
/* The newest schema version this program knows (its last migration). */
int store_schema_latest(void);
/* The newest schema version target's backend knows (each backend numbers
 * its own migrations: SQLite's store_schema_latest, PostgreSQL's own). */
int store_schema_latest_of(const char *target);
/* The schema version of the database at path, read without changing it
 * (read-only, no migration): 0 for a database without one. ERR_NOTFOUND
 * when there is no file at path; ERR_DB when it cannot be read (err
 * says why). */
enum err store_schema_peek(const char *path, int *out,
                           struct buf *err) WARN_UNUSED;

/* Where a batch came from. digest (may be NULL) identifies a file by its
 * content: ingesting a digest already recorded stores nothing and returns
 * ERR_EXISTS. All strings borrowed. */
struct import_meta {
    const char *digest; /* hex SHA-256 of the file, or NULL */
    const char *source; /* file name or "collector" */
    const char *format; /* source_format name */
    int64_t imported_at;
    /* Role of a new account (migration 0011): false (the collector, the
     * demo): 'own'. true (a saved file): 'tracked' when its platform
     * already has an own account, else 'own'. New content takes its
     * account's role; a stored account keeps its role either way. */
    bool foreign_tracked;
};

struct ingest_stats {
    size_t items_new;       /* items not seen before */
    size_t items_seen;      /* items already known (metadata refreshed) */
    size_t snapshots_new;   /* snapshots added */
    size_t values_new;      /* metric values added */
    size_t values_same;     /* values already stored, identical */
    size_t values_conflict; /* already stored with another value: kept */
    int64_t import_id;      /* the import row, or 0 */
    size_t accounts_tracked; /* new accounts stored as tracked */
    int64_t tracked_id;      /* row id of the first of them, or 0 */
};

/* Store the batch in one transaction: all of it or, on any error, none.
 * Items are created or their descriptive fields refreshed (a NULL field
 * never blanks a stored one); snapshots are keyed by item and observed_at,
 * and a value already stored for that snapshot and metric is kept. */
enum err store_ingest(struct store *st, const struct batch *b,
                      const struct import_meta *meta,
                      struct ingest_stats *out, struct buf *err) WARN_UNUSED;

/* Progress of long work on st (today: store_rollup_rebuild, items done
 * of total), for a progress line (core/progress.h). fn NULL: none. ud
 * borrowed until replaced. */
typedef void (*store_progress_fn)(void *ud, int64_t done, int64_t total);
void store_set_progress(struct store *st, store_progress_fn fn, void *ud);

/* Recompute the daily rollups (item_day, account_day) from the stored
 * snapshots, in one transaction. Ingest keeps them current; this is for
 * repair and for checking that it does. */
enum err store_rollup_rebuild(struct store *st, struct buf *err) WARN_UNUSED;

/* The data generation: a number every ingest and every rollup rebuild or
 * zone change raises in its own transaction, from any process, so a
 * reader can tell that what it computed earlier may be stale. 0 before
 * the first write. */
enum err store_generation(struct store *st, int64_t *out) WARN_UNUSED;

/* Reads at one state of the data: after store_read_begin, every read
 * through st sees the data as it was at the begin until store_read_end;
 * what other connections commit meanwhile is not seen (SQLite: one
 * deferred read transaction whose snapshot a first read takes at once).
 * No write through st in between. ERR_BUSY (err says so) when st is
 * inside a transaction already; ERR_UNSUPPORTED on a backend without it.
 * store_read_end is a no-op when no read is open (also after a failed
 * begin). */
enum err store_read_begin(struct store *st, struct buf *err) WARN_UNUSED;
void store_read_end(struct store *st);

/* Pick up what other processes changed since the last call (the rollup
 * zone): one small read when nothing did. Long-lived handles (serve's
 * pool) call it before each use. */
enum err store_refresh(struct store *st) WARN_UNUSED;

/* The data generation the last store_refresh of st read, so that a caller
 * refreshing at the start of its work (serve, once per request) needs no
 * second read. It is the generation as of that refresh: a write through
 * st since then is not in it. False when st was never refreshed or the
 * last refresh failed (then use store_generation). */
bool store_refreshed_generation(const struct store *st, int64_t *out);

struct tz;
/* The rollup zone (an IANA zone, UTC unless set): rollup days are its
 * calendar days, 23 or 25 hours long around DST changes, and local hours
 * (best time to post) are its hours. Borrowed while st is open. */
const struct tz *store_rollup_zone(struct store *st);
/* Make the zone called name the rollup zone and recompute the rollups
 * under it, in one transaction. Other open handles keep the zone they
 * loaded until they reopen. ERR_INVALID / ERR_NOTFOUND for a bad or
 * unknown zone, with err saying which; on failure nothing changes. */
enum err store_set_rollup_zone(struct store *st, const char *name,
                               struct buf *err) WARN_UNUSED;

/* Keep a small page cache (4 MiB instead of 16): for connections that
 * mostly serve reads and of which there are several, such as the
 * server's pool, where the caches would add up. */
enum err store_small_cache(struct store *st) WARN_UNUSED;

/* Wake-ups between processes (docs/postgresql.md, "Workers on several
 * hosts"): a process that changed what others wait for (a post added or
 * due, an account connected) wakes the handles listening on that
 * channel, in other processes and on other hosts. PostgreSQL: LISTEN and
 * NOTIFY (a wake-up sent inside a write's transaction is delivered when
 * it commits, and not at all when it rolls back). SQLite has no
 * wake-ups: listen and wake do nothing, wait sleeps (callers poll, as
 * before); store_can_wake tells which. */
enum store_wake_channel {
    STORE_WAKE_POSTS,    /* a post was added, edited or became due */
    STORE_WAKE_ACCOUNTS, /* an account was connected */
    STORE_WAKE_COUNT
};
/* True when wake-ups reach other processes (PostgreSQL). */
bool store_can_wake(struct store *st);
/* From now on, wake-ups on ch are kept for store_wait on this handle. */
enum err store_listen(struct store *st, enum store_wake_channel ch,
                      struct buf *err) WARN_UNUSED;
/* Wake every handle listening on ch (this one too). */
enum err store_wake(struct store *st, enum store_wake_channel ch,
                    struct buf *err) WARN_UNUSED;
/* Block at most timeout_ms (0..STORE_WAIT_MAX_MS) until a wake-up comes
 * on a channel this handle listens on; *woken says whether one did. All
 * wake-ups already received are consumed (several make one). */
#define STORE_WAIT_MAX_MS 3600000
enum err store_wait(struct store *st, int timeout_ms, bool *woken,
                    struct buf *err) WARN_UNUSED;

/* The ext id of the only own account on platform p, or NULL when there
 * are none or several. *out: caller frees. */
enum err store_sole_account(struct store *st, enum platform p, char **out)
    WARN_UNUSED;

enum store_sort { SORT_DEFAULT, SORT_METRIC, SORT_PUBLISHED, SORT_TITLE };

struct item_query {
    enum item_type type;
    int platform;            /* enum platform, or -1 for all */
    const char *search;      /* substring of title/ext id/handle, or NULL */
    enum store_sort sort;
    const char *sort_metric; /* with SORT_METRIC, e.g. "views" */
    bool ascending;
    int64_t limit;           /* <= 0: no limit */
    int64_t offset;
    const char *role;        /* "own" or "tracked" only; NULL: both */
};

/* Called once per item. The item has at most one snapshot: the latest
 * value of each metric (observed_at = the newest of them). The item is
 * borrowed for the call. A non-OK return stops the walk and is returned. */
typedef enum err (*store_item_fn)(void *ud, const struct item *it);

enum err store_list_items(struct store *st, const struct item_query *q,
                          store_item_fn fn, void *ud, struct buf *err)
    WARN_UNUSED;
/* Count of the items q would list (ignoring limit/offset). */
enum err store_count_items(struct store *st, const struct item_query *q,
                           int64_t *out) WARN_UNUSED;

/* Load one item and all its snapshots, oldest first. ref is "ext_id" or
 * "platform:ext_id"; ERR_NOTFOUND, or ERR_AMBIGUOUS when an ext id exists
 * on several platforms or types (err lists them). Caller destroys *out. */
enum err store_item_history(struct store *st, const char *ref,
                            struct item **out, struct buf *err) WARN_UNUSED;

/* One item's descriptive fields without any snapshot (no raw snapshot
 * is read), resolved like store_item_history. Caller destroys *out. */
enum err store_item_find(struct store *st, const char *ref, struct item **out,
                         struct buf *err) WARN_UNUSED;

/* Bounds on the snapshots store_item_history_range loads. */
struct history_query {
    int64_t since; /* first observed_at kept (inclusive); TIME_NONE: any */
    int64_t until; /* observed_at before this (exclusive); TIME_NONE: any */
    int64_t limit; /* at most this many, the newest ones; <= 0: no limit */
};

/* store_item_history with only the snapshots q allows (oldest first).
 * *truncated (may be NULL) is set when older snapshots within
 * [since, until) were left out because of q->limit. */
enum err store_item_history_range(struct store *st, const char *ref,
                                  const struct history_query *q,
                                  struct item **out, bool *truncated,
                                  struct buf *err) WARN_UNUSED;

/* One stored metric value, for exports. Strings borrowed for the call. */
struct export_row {
    enum platform platform;
    const char *account_ext_id; /* the account (itself for an account) */
    const char *content_ext_id; /* NULL for account snapshots */
    int64_t observed_at;
    const char *metric;
    bool is_real;
    int64_t i;
    double r;
};
typedef enum err (*store_row_fn)(void *ud, const struct export_row *row);

struct export_query {
    int platform;  /* or -1 */
    int64_t since; /* TIME_NONE: unbounded */
    int64_t until; /* exclusive; TIME_NONE: unbounded */
};

/* Every stored metric value, ordered by platform, item, time and metric. */
enum err store_export_values(struct store *st, const struct export_query *q,
                             store_row_fn fn, void *ud, struct buf *err)
    WARN_UNUSED;

/* ---- rollup reads (daily values; never raw snapshots) --------------- */

/* The rollup day number (civil day) instant t falls on. */
int32_t store_day_of(struct store *st, int64_t t);
/* The instant rollup day `day` begins. */
int64_t store_day_start(struct store *st, int32_t day);

struct store_day {
    int32_t day;
    int64_t first_v, last_v;
    int64_t gain;  /* valid when has_gain */
    bool has_gain;
};

/* Daily rows of item item_id's metric for days [from, to), and the last
 * row before from (so the range's first gain and growth have a base).
 * *out: caller frees; *n rows, ascending. */
enum err store_item_days(struct store *st, int64_t item_id,
                         const char *metric, int32_t from, int32_t to,
                         struct store_day **out, size_t *n) WARN_UNUSED;

/* Sum of the known gains of item item_id's metric over days [from, to);
 * *any = whether there was one (else *sum is 0). One indexed range read,
 * for callers that ask per item (the report's first-week views). */
enum err store_item_gain_sum(struct store *st, int64_t item_id,
                             const char *metric, int32_t from, int32_t to,
                             int64_t *sum, bool *any) WARN_UNUSED;

/* The first week of a content item: the rollup days [day of its
 * publication, + STORE_FIRST_DAYS). Its views gain is rollup state,
 * kept at ingest (store_content_sums reads it). */
#define STORE_FIRST_DAYS 7

/* One content item's figures for the overview, from item_latest and the
 * rollups (no raw snapshots, no item text). */
struct store_content_sum {
    int64_t item_id;
    enum platform platform;
    int64_t published_at;  /* TIME_NONE when unknown */
    int64_t views;         /* latest integer views; 0 when none */
    int64_t interactions;  /* latest integer likes+comments+shares+saves */
    int64_t first_gain;    /* views gained in its first week (the
                            * rollup days [day of publication,
                            * + STORE_FIRST_DAYS)) */
    bool has_first;        /* whether one of those days has a known gain */
    int64_t account_id;    /* the owning account's item id; 0 if unknown */
};
typedef enum err (*store_content_sum_fn)(void *ud,
                                         const struct store_content_sum *c);
/* Call fn per owned content item (role 'own'; of platform, or all when
 * platform < 0), in id order: one statement for all of them, where store_list_items and
 * store_item_gain_sum would take two or three per item. A non-OK return
 * from fn stops the walk and is returned. */
enum err store_content_sums(struct store *st, int platform,
                            store_content_sum_fn fn,
                            void *ud) WARN_UNUSED;

/* One owned account's latest figures for the overview, from item_latest
 * (no raw snapshots). */
struct store_account_sum {
    int64_t account_id;
    enum platform platform;
    int64_t followers;  /* latest integer followers, when has_followers */
    bool has_followers;
    int64_t views;      /* latest integer views of the account itself: the
                         * platform's lifetime count (a channel's), when
                         * has_views */
    bool has_views;
};
typedef enum err (*store_account_sum_fn)(void *ud,
                                         const struct store_account_sum *a);
/* Call fn per account with role 'own' (of platform, or all when
 * platform < 0), in id order; tracked accounts are left out, as from
 * every read below that sums or ranks (store_content_sums,
 * store_account_gains, store_content_day_gains). A non-OK
 * return from fn stops the walk and is returned. */
enum err store_account_sums(struct store *st, int platform,
                            store_account_sum_fn fn, void *ud) WARN_UNUSED;

/* Called per (account, day) with the sum of its content's gains. */
typedef enum err (*store_gain_fn)(void *ud, int64_t account_id,
                                  enum platform p, int32_t day, int64_t gain);
/* Per-account daily content gains of metric over [from, to). */
enum err store_account_gains(struct store *st, const char *metric,
                             int platform, int32_t from, int32_t to,
                             store_gain_fn fn, void *ud) WARN_UNUSED;

/* The owned content items (role 'own'; of platform, or all when
 * platform < 0) and their known daily gains of metric in [from, to), in
 * one pass over the rollups: first ids(ud, ids, n), once, with the items'
 * ids ascending (borrowed until the walk returns), then fn(ud, k, day,
 * gain) per known gain, days ascending and within a day items ascending,
 * k the item's index in ids. The walk holds the id list, whatever the
 * range's length. A non-OK return from ids or fn stops the walk and is
 * returned. */
typedef enum err (*store_content_ids_fn)(void *ud, const int64_t *ids,
                                         size_t n);
typedef enum err (*store_day_gain_fn)(void *ud, size_t k, int32_t day,
                                      int64_t gain);
enum err store_content_day_gains(struct store *st, const char *metric,
                                 int platform, int32_t from, int32_t to,
                                 store_content_ids_fn ids,
                                 store_day_gain_fn fn, void *ud) WARN_UNUSED;

typedef enum err (*store_value_fn)(void *ud, int64_t v);
/* "Typical" values for the item page: per owned content item of platform
 * p other than exclude_id, with a publication time and at least `age`
 * rollup days old (a row of metric on or after its publication day +
 * age), the last value of metric on or before that day; fn per item.
 * Two index seeks per item of the platform, no raw snapshot. */
enum err store_values_at_age(struct store *st, const char *metric,
                             enum platform p, int64_t exclude_id,
                             int32_t age, store_value_fn fn,
                             void *ud) WARN_UNUSED;

/* One daily row of a metric of a content item with a publication time,
 * for the typical curves of "vs typical" (analytics/typical.h). */
struct store_age_row {
    int64_t item_id;
    enum platform platform;
    bool own;         /* role 'own' */
    int32_t pub_day;  /* rollup day of its publication */
    int32_t day;      /* the row's rollup day */
    int64_t last_v;   /* the metric's last value that day */
};
typedef enum err (*store_age_row_fn)(void *ud, const struct store_age_row *r);
/* Every rollup row of metric of every content item (own and tracked)
 * with a publication time, ordered by item id, then day: one scan of
 * item_day, no raw snapshot. A non-OK return of fn stops the walk. */
enum err store_age_rows(struct store *st, const char *metric,
                        store_age_row_fn fn, void *ud) WARN_UNUSED;

/* An item and its summed gain, as analytics ranks them. */
struct store_ranked {
    int64_t item_id;
    int64_t gain;
};
/* (A ranking is analytics: analytics/top.h's top_gains sums and orders
 * the rows of store_content_day_gains into these.) */

/* Load one item by row id with its latest values (as store_list_items
 * delivers it). Caller destroys *out. */
enum err store_item_by_id(struct store *st, int64_t id, struct item **out)
    WARN_UNUSED;

/* ---- users and sessions (dashboard login) ---------------------------- */

/* One dashboard user. Strings owned; free with store_user_free. */
struct store_user {
    int64_t id;
    char *name;
    char *pw_hash;   /* encoded argon2id string; NULL from store_user_list */
    int64_t created_at;
    bool disabled;
    int64_t sessions; /* stored session rows (store_user_list only) */
};
void store_user_free(struct store_user *u); /* NULL is a no-op */

/* Add a user with an encoded password hash (auth_password_hash). Name
 * syntax is the caller's business. ERR_EXISTS when the name is taken.
 * Strings borrowed. */
enum err store_user_add(struct store *st, const char *name,
                        const char *pw_hash, int64_t now, int64_t *id_out)
    WARN_UNUSED;
/* Load the user called name into *out (caller frees with
 * store_user_free); ERR_NOTFOUND when there is none. */
enum err store_user_get(struct store *st, const char *name,
                        struct store_user *out) WARN_UNUSED;
/* Replace the user's password hash and end all of their sessions, in one
 * transaction. ERR_NOTFOUND when there is no such user. */
enum err store_user_set_password(struct store *st, const char *name,
                                 const char *pw_hash) WARN_UNUSED;
/* Delete the user and their sessions. ERR_NOTFOUND when there is none. */
enum err store_user_del(struct store *st, const char *name) WARN_UNUSED;
/* Called per user, by name; the user is borrowed for the call. A non-OK
 * return stops the walk and is returned. */
typedef enum err (*store_user_fn)(void *ud, const struct store_user *u);
enum err store_user_list(struct store *st, store_user_fn fn, void *ud)
    WARN_UNUSED;
enum err store_user_count(struct store *st, int64_t *out) WARN_UNUSED;

/* A live session as store_session_get finds it. Strings owned; free with
 * store_session_free. */
struct store_session {
    int64_t user_id;
    char *user;  /* the user's name */
    char *csrf;  /* the session's CSRF token */
    int64_t created_at, last_seen;
};
void store_session_free(struct store_session *s); /* NULL is a no-op */

/* Sessions are keyed by key: the hex SHA-256 of the random token the
 * client holds (64 characters), never the token itself. Times are
 * injected (seconds since the epoch) so callers and tests own the clock.
 * A session is live while now - last_seen < idle_s and
 * now - created_at < max_s, and its user is not disabled. */
struct store_session_limits {
    int64_t idle_s, max_s;
};

/* What GET /metrics reads at a scrape (two reads, no write): the live
 * sessions (live as store_session_get counts them, users not disabled)
 * and the posts in each state, indexed by enum post_state (store_post.h;
 * STORE_GAUGE_STATES is at least POST_STATE_COUNT). */
#define STORE_GAUGE_STATES 16
struct store_gauges {
    int64_t sessions;
    int64_t posts[STORE_GAUGE_STATES];
};
enum err store_gauges_read(struct store *st, int64_t now,
                           const struct store_session_limits *lim,
                           struct store_gauges *out) WARN_UNUSED;

/* Store a new session of user_id at now. Strings borrowed. */
enum err store_session_add(struct store *st, const char *key,
                           int64_t user_id, const char *csrf, int64_t now)
    WARN_UNUSED;
/* The live session named key into *out (caller frees). ERR_NOTFOUND when
 * there is none or it has expired; an expired row is deleted. */
enum err store_session_get(struct store *st, const char *key, int64_t now,
                           const struct store_session_limits *lim,
                           struct store_session *out) WARN_UNUSED;
/* Set the session's last_seen to now (callers rate-limit this). */
enum err store_session_touch(struct store *st, const char *key, int64_t now)
    WARN_UNUSED;
/* Delete one session; deleting a missing one is not an error. */
enum err store_session_del(struct store *st, const char *key) WARN_UNUSED;
/* Delete every expired session; *n (may be NULL) is how many. */
enum err store_session_purge(struct store *st, int64_t now,
                             const struct store_session_limits *lim,
                             int64_t *n) WARN_UNUSED;

/* ---- OAuth credentials (sealed by core/secret before they get here) --- */

enum cred_status { CRED_OK, CRED_NEEDS_RELOGIN };
const char *cred_status_name(enum cred_status s); /* "ok", "needs_relogin" */

/* One credential. The token fields hold sealed text (core/secret), never
 * a token in plain text; the store does not look inside them. */
struct store_cred {
    enum platform platform;
    char *account;        /* owned; the account's ext id */
    char *access_sealed;  /* owned; NULL: none */
    char *refresh_sealed; /* owned; NULL: none */
    int64_t expires_at;   /* UTC seconds; TIME_NONE: unknown */
    char *scopes;         /* owned; NULL: none */
    enum cred_status status;
    char *last_error;     /* owned; NULL: none */
    int64_t updated_at;
    int64_t issued_at;          /* access token issued; TIME_NONE: unknown */
    int64_t refresh_expires_at; /* refresh token's end; TIME_NONE: none */
    char *renew_error;    /* owned; why the last renewal failed, or NULL */
    char *login;          /* owned; "instagram": Instagram Login; NULL or
                             "" or "facebook": the platform's default */
};
void store_cred_free(struct store_cred *c); /* frees the members */

/* Insert or replace the credential (platform, account), in one statement.
 * A NULL refresh_sealed keeps the stored refresh token: platforms often
 * omit it from a refresh response. Strings borrowed. */
enum err store_cred_put(struct store *st, const struct store_cred *c,
                        struct buf *err) WARN_UNUSED;
/* Load (platform, account) into *out (caller frees with store_cred_free).
 * ERR_NOTFOUND when there is none. */
enum err store_cred_get(struct store *st, enum platform p,
                        const char *account, struct store_cred *out,
                        struct buf *err) WARN_UNUSED;
/* Set the status and last error (may be NULL) of a credential.
 * ERR_NOTFOUND when there is none. */
enum err store_cred_set_status(struct store *st, enum platform p,
                               const char *account, enum cred_status s,
                               const char *last_error, int64_t now,
                               struct buf *err) WARN_UNUSED;
/* Record why renewing a still valid token failed (why NULL: clear it).
 * store_cred_put clears it too. ERR_NOTFOUND when there is none. */
enum err store_cred_set_renew_error(struct store *st, enum platform p,
                                    const char *account, const char *why,
                                    struct buf *err) WARN_UNUSED;
/* Called per credential, ordered by platform and account; borrowed for
 * the call. A non-OK return stops the walk and is returned. */
typedef enum err (*store_cred_fn)(void *ud, const struct store_cred *c);
enum err store_cred_list(struct store *st, store_cred_fn fn, void *ud,
                         struct buf *err) WARN_UNUSED;

/* A pending authorization request (oauth_state). */
struct store_oauth_state {
    enum platform platform;
    char *account;         /* owned; NULL: not chosen yet */
    char *verifier_sealed; /* owned */
    int64_t expires_at;
    char *login;           /* owned; as store_cred.login; NULL: "" */
};
void store_oauth_state_free(struct store_oauth_state *s);
/* Record state (strings borrowed), dropping expired ones. */
enum err store_oauth_state_put(struct store *st, const char *state,
                               const struct store_oauth_state *s,
                               int64_t now, struct buf *err) WARN_UNUSED;
/* Take state: load it into *out and delete it (single use), in one
 * transaction. ERR_NOTFOUND when unknown, used or expired at now. */
enum err store_oauth_state_take(struct store *st, const char *state,
                                int64_t now, struct store_oauth_state *out,
                                struct buf *err) WARN_UNUSED;

/* A consent finishing off the request thread (oauth_pending): the
 * dashboard's callback queues the code, serve's OAuth loop exchanges it
 * and records the result, the Sources page shows it. */
enum store_pending_status {
    PENDING_QUEUED,
    PENDING_RUNNING,
    PENDING_OK,
    PENDING_ERROR,
};
/* "queued", "running", "ok", "error" */
const char *store_pending_status_name(enum store_pending_status s);
struct store_oauth_pending {
    int64_t id;
    char *state;       /* owned; set by store_oauth_pending_claim only */
    char *code_sealed; /* owned; likewise */
    enum platform platform;
    char *account;     /* owned; NULL: not known yet */
    enum store_pending_status status;
    char *message;     /* owned; the error, or NULL */
    int64_t created_at;
    int64_t finished_at; /* TIME_NONE until ok or error */
};
void store_oauth_pending_free(struct store_oauth_pending *p);
#define STORE_PENDING_KEEP_S 86400 /* rows older than this are dropped */
/* Queue the exchange of code_sealed (borrowed) for state: one statement
 * makes the row from the live state (unexpired at now; the state itself
 * stays until the exchange takes it), so a state is queued at most once.
 * *id_out is the row's id. ERR_EXISTS (with *id_out that row) when the
 * state was queued before; ERR_NOTFOUND when it is unknown, used or
 * expired. Drops rows older than STORE_PENDING_KEEP_S. */
enum err store_oauth_pending_add(struct store *st, const char *state,
                                 const char *code_sealed, int64_t now,
                                 int64_t *id_out, struct buf *err)
    WARN_UNUSED;
/* Claim the oldest queued row: it becomes running and is loaded into
 * *out (state and sealed code included; caller frees). ERR_NOTFOUND when
 * none is queued. Rows running since before stale_before (a server that
 * stopped mid-exchange) become errors first: a row is never run twice. */
enum err store_oauth_pending_claim(struct store *st, int64_t now,
                                   int64_t stale_before,
                                   struct store_oauth_pending *out,
                                   struct buf *err) WARN_UNUSED;
/* Record the result of running row id (ok, or error with message;
 * account, when not NULL, replaces the row's) and clear its code.
 * ERR_NOTFOUND when id is not running. Strings borrowed. */
enum err store_oauth_pending_done(struct store *st, int64_t id, bool ok,
                                  const char *account, const char *message,
                                  int64_t now, struct buf *err) WARN_UNUSED;
/* The rows created at or after since, newest first, at most limit (the
 * state and code are not loaded). Borrowed for the call; a non-OK return
 * stops the walk and is returned. */
typedef enum err (*store_pending_fn)(void *ud,
                                     const struct store_oauth_pending *p);
enum err store_oauth_pending_list(struct store *st, int64_t since,
                                  int limit, store_pending_fn fn, void *ud,
                                  struct buf *err) WARN_UNUSED;

/* ---- live collection state (src/collect) ----------------------------- */

enum job_kind { JOB_ACCOUNT, JOB_CONTENT, JOB_KIND_COUNT };
const char *job_kind_name(enum job_kind k); /* "account", "content" */

enum job_status {
    JOB_OK,
    JOB_RATE_LIMITED,
    JOB_QUOTA_EXCEEDED,
    JOB_AUTH_NEEDED,
    JOB_FAILED,
    JOB_STATUS_COUNT
};
/* "ok", "rate_limited", "quota_exceeded", "auth_needed", "failed" */
const char *job_status_name(enum job_status s);

/* One collector job's state. */
struct store_job {
    enum platform platform;
    char *account;        /* owned; the credential's account */
    enum job_kind kind;
    int64_t last_fetch;   /* TIME_NONE: never */
    int64_t next_due;
    int64_t failures;
    enum job_status status;
    char *last_error;     /* owned; NULL: none; never a token */
};
void store_job_free(struct store_job *j); /* frees the members */

/* Load (p, account, kind) into *out (caller frees with store_job_free);
 * ERR_NOTFOUND when the job never ran. */
enum err store_job_get(struct store *st, enum platform p, const char *account,
                       enum job_kind kind, struct store_job *out)
    WARN_UNUSED;
/* Insert or replace the job's state. Strings borrowed. */
enum err store_job_put(struct store *st, const struct store_job *j)
    WARN_UNUSED;
/* Called per job, ordered by platform, account and kind; borrowed. */
typedef enum err (*store_job_fn)(void *ud, const struct store_job *j);
enum err store_job_list(struct store *st, store_job_fn fn, void *ud)
    WARN_UNUSED;
/* Quota units used by platform p on the quota day that began at
 * day_start (0 when none), and adding to them (units >= 0). */
enum err store_quota_get(struct store *st, enum platform p, int64_t day_start,
                         int64_t *out) WARN_UNUSED;
enum err store_quota_add(struct store *st, enum platform p, int64_t day_start,
                         int64_t units) WARN_UNUSED;

/* A content item's collection schedule (migration 0008). Strings are
 * borrowed (for the call, or the callback's duration). */
struct store_item_sched {
    enum platform platform;
    const char *account;   /* the credential's account */
    const char *item_id;   /* the platform's content id */
    const char *kind;      /* Instagram media kind, or "" */
    int64_t published_at;  /* TIME_NONE: unknown */
    int64_t last_fetch;    /* TIME_NONE: never */
    int64_t next_due;
};
/* Insert or replace one item's schedule. */
enum err store_item_sched_put(struct store *st,
                              const struct store_item_sched *s) WARN_UNUSED;
/* Mark content item (p, ext_id) as one the platform no longer returns
 * (removed: removed_last_seen becomes the time of its latest snapshot,
 * or its first_seen without one; kept when already set) or clear the
 * mark (!removed). An unknown item is no error (nothing to mark). */
enum err store_item_set_removed(struct store *st, enum platform p,
                                const char *ext_id, bool removed) WARN_UNUSED;
/* The links (model.h struct item_link, migration 0030) from or to
 * content item ext_id of p, at most limit of them, ordered by rel, then
 * from and to ids; fn gets each (strings borrowed for the call). */
typedef enum err (*store_link_fn)(void *ud, const struct item_link *l);
enum err store_item_links(struct store *st, enum platform p,
                          const char *ext_id, size_t limit, store_link_fn fn,
                          void *ud) WARN_UNUSED;
/* Is (p, account, item_id) tracked? *out set either way. */
enum err store_item_sched_has(struct store *st, enum platform p,
                              const char *account, const char *item_id,
                              bool *out) WARN_UNUSED;
typedef enum err (*store_item_sched_fn)(void *ud,
                                        const struct store_item_sched *s);
/* The items of (p, account) due at now (next_due <= now), soonest first,
 * at most limit of them. */
enum err store_item_sched_due(struct store *st, enum platform p,
                              const char *account, int64_t now, size_t limit,
                              store_item_sched_fn fn, void *ud) WARN_UNUSED;
/* How many items (p, account) tracks and the soonest next_due among them
 * (INT64_MAX when none). platform < 0 or account NULL: over all. */
enum err store_item_sched_stats(struct store *st, int platform,
                                const char *account, int64_t *count,
                                int64_t *soonest) WARN_UNUSED;

/* The API usage percentage the last round of (p, account) saw (Graph's
 * usage headers), and reading it back: ERR_NOTFOUND when none. */
enum err store_usage_put(struct store *st, enum platform p,
                         const char *account, int pct, int64_t at) WARN_UNUSED;
enum err store_usage_get(struct store *st, enum platform p,
                         const char *account, int *pct, int64_t *at)
    WARN_UNUSED;

/* The collector's memory of metrics a platform refused for a media kind
 * of an account (a descriptor with dropped_metrics; migration 0033): add
 * one (or renew its time), and list those of (p, account) dropped at or
 * after since, by kind and metric (borrowed strings). */
enum err store_dropped_metric_add(struct store *st, enum platform p,
                                  const char *account, const char *kind,
                                  const char *metric, int64_t at) WARN_UNUSED;
typedef enum err (*store_dropped_metric_fn)(void *ud, const char *kind,
                                            const char *metric);
enum err store_dropped_metric_list(struct store *st, enum platform p,
                                   const char *account, int64_t since,
                                   store_dropped_metric_fn fn,
                                   void *ud) WARN_UNUSED;

/* ---- roles and taking data back (migrations 0011, 0012) -------------- */

/* One import row (a saved file or a collector run). Strings borrowed for
 * the call; digest, source, format may be NULL. */
struct store_import {
    int64_t id;
    const char *digest, *source, *format;
    int64_t imported_at;
    int64_t items;     /* items in the document (0 before migration 0012) */
    int64_t snapshots; /* snapshots it added, less those removed since */
    int64_t values;    /* values it added (0 before 0012), less removed */
};
typedef enum err (*store_import_fn)(void *ud, const struct store_import *im);
/* Every import, newest first. A non-OK return from fn stops the walk. */
enum err store_imports_list(struct store *st, store_import_fn fn, void *ud)
    WARN_UNUSED;

/* One audit line: who did what when. Strings borrowed for the call. */
struct store_audit {
    int64_t id, at;
    const char *who, *action, *what;
};
typedef enum err (*store_audit_fn)(void *ud, const struct store_audit *a);
/* Every audit line, newest first. */
enum err store_audit_list(struct store *st, store_audit_fn fn, void *ud)
    WARN_UNUSED;

/* What a removal took out. */
struct store_removed {
    int64_t items, snapshots, values;
};

/* Remove what import id stored and nothing else, in one transaction:
 * its values (also those it added to other imports' snapshots; values
 * later imports added to its snapshots stay, with their snapshots), its
 * snapshots left empty, items left without snapshots (and accounts left
 * without content), the item links (item_link) those items stated, its
 * import row; item_latest and the rollups of the items touched are
 * recomputed (as `rollup --rebuild` would). Adds the
 * audit line (who, now). ERR_NOTFOUND when there is no such import;
 * on any error nothing changes. who borrowed. */
enum err store_import_remove(struct store *st, int64_t id, const char *who,
                             int64_t now, struct store_removed *out,
                             struct buf *err) WARN_UNUSED;

/* Remove account ext_id of platform p with its content, their snapshots,
 * values, rollups and the item links they stated, in one transaction;
 * the counts of the imports that
 * had stored them shrink (an import left empty is forgotten, so its file
 * can be imported again). Adds the audit line. ERR_NOTFOUND when there is
 * no such account. */
enum err store_account_remove(struct store *st, enum platform p,
                              const char *ext_id, const char *who,
                              int64_t now, struct store_removed *out,
                              struct buf *err) WARN_UNUSED;

/* Make account ext_id of platform p and all its content own (tracked
 * false) or tracked, in one transaction, with an audit line. *changed
 * (may be NULL): rows whose role changed. ERR_NOTFOUND: no such account. */
enum err store_account_set_role(struct store *st, enum platform p,
                                const char *ext_id, bool tracked,
                                const char *who, int64_t now,
                                int64_t *changed, struct buf *err)
    WARN_UNUSED;

/* One account's figures over rollup days [from, to), for comparing
 * tracked accounts with own ones. Strings borrowed for the call. */
struct store_account_cmp {
    int64_t id;
    enum platform platform;
    const char *ext_id, *handle, *title; /* handle, title may be NULL */
    bool tracked;
    bool has_followers;
    int64_t followers;        /* latest followers */
    bool has_growth;          /* two values seen by to, one in range */
    int64_t followers_growth; /* last value of a day before to, less the
                               * last one of a day before from (or the
                               * first one in the range when none) */
    int64_t content;          /* its content items */
    int64_t active;           /* of those, with a known views gain in range */
    int64_t views;            /* sum of its content's views gains in range */
};
typedef enum err (*store_account_cmp_fn)(void *ud,
                                         const struct store_account_cmp *c);
/* Every account (own ones first, then by platform and ext id). */
enum err store_account_compare(struct store *st, int32_t from, int32_t to,
                               store_account_cmp_fn fn, void *ud)
    WARN_UNUSED;

/* ---- documents for retrieval (migration 0029) ------------------------ */

/* What changed: an item's document (content or account), an account's
 * daily summary, or a tombstone of either. Ingest marks an item's
 * document changed when it adds a snapshot or a value to it or changes
 * one of its descriptive fields, and the daily summary of (its account,
 * rollup day of the snapshot) likewise; a removal (store_import_remove,
 * store_account_remove) marks the items it touched and leaves, and
 * writes a tombstone for each item (and daily summary) it deletes. */
enum store_doc_kind {
    STORE_DOC_ITEM,
    STORE_DOC_DAY,
    STORE_DOC_ITEM_GONE,
    STORE_DOC_DAY_GONE
};

/* One document change. Strings borrowed for the call. */
struct store_doc_change {
    int64_t seq;          /* change order: grows with every write */
    enum store_doc_kind kind;
    int64_t item_id;      /* the item (DAY: the account); of a gone one,
                           * the id it had */
    int32_t day;          /* DAY, DAY_GONE: the rollup day */
    int64_t changed_at;   /* UTC seconds of the write */
    enum platform platform;
    enum item_type type;
    const char *ext_id;
    bool tracked;         /* role 'tracked' */
};

struct store_doc_query {
    int64_t since;     /* changed_at >= since; TIME_NONE: every live
                        * document and no tombstones */
    int64_t after_seq; /* seq > after_seq (a cursor); 0: from the start */
    int platform;      /* or -1 */
    int role;          /* -1 any, 0 own, 1 tracked */
    int64_t limit;     /* at most this many; <= 0: no limit */
};
typedef enum err (*store_doc_fn)(void *ud, const struct store_doc_change *c);
/* The document changes q selects, seq ascending. Daily summaries are
 * listed for own accounts only. A non-OK return of fn stops the walk and
 * is returned. */
enum err store_doc_changes(struct store *st, const struct store_doc_query *q,
                           store_doc_fn fn, void *ud, struct buf *err)
    WARN_UNUSED;
/* The change row of one live document: item (p, type, ext_id)'s own
 * (kind STORE_DOC_ITEM, day ignored) or an own account's daily summary of
 * rollup day day (STORE_DOC_DAY, type ITEM_ACCOUNT). fn is called once,
 * as by store_doc_changes; ERR_NOTFOUND when there is no such document. */
enum err store_doc_find(struct store *st, enum platform p,
                        enum item_type type, const char *ext_id,
                        enum store_doc_kind kind, int32_t day,
                        store_doc_fn fn, void *ud, struct buf *err)
    WARN_UNUSED;
/* The largest seq written so far (0: none). */
enum err store_doc_last_seq(struct store *st, int64_t *out) WARN_UNUSED;

/* One account's rollup day, for its daily summary. */
struct store_account_day {
    bool has_followers;    /* a followers row that day */
    int64_t followers;     /* its last value */
    bool has_followers_gain;
    int64_t followers_gain;
    bool has_views;        /* an account_day row of views */
    int64_t views;         /* its content's views gained that day */
    int64_t content_active; /* content items with a known views gain */
    int64_t top_item_id;   /* the content item with the largest views
                            * gain that day (ties: lowest id); 0: none */
    int64_t top_gain;
};
/* Fill *out for account account_id on rollup day day (zeros and false
 * when it holds nothing). */
enum err store_account_day_get(struct store *st, int64_t account_id,
                               int32_t day, struct store_account_day *out)
    WARN_UNUSED;

#endif
