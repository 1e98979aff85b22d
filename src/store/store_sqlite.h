/* Private to the SQLite backend: shared by store_sqlite.c (open,
 * migrations, ingest) and store_sqlite_query.c (reads). */
#ifndef MEDIADASH_STORE_SQLITE_H
#define MEDIADASH_STORE_SQLITE_H

#include <sqlite3.h>

#include "core/tz.h"
#include "store/store_impl.h"

/* The largest document change seq, live rows and tombstones (0: none). */
#define SQLITE_DOC_SEQ                                                        \
    "SELECT max(coalesce((SELECT max(seq) FROM doc_change), 0), "             \
    "coalesce((SELECT max(seq) FROM doc_tomb), 0))"

enum stmt_id {
    S_IMPORT_FIND,
    S_IMPORT_ADD,
    S_IMPORT_COUNT,
    S_ITEM_FIND,
    S_ITEM_ADD,
    S_ITEM_UPDATE,
    S_ITEM_TRACKED,
    S_METRIC_FIND,
    S_METRIC_ADD,
    S_SNAP_FIND,
    S_SNAP_ADD,
    S_VALUE_FIND,
    S_VALUE_ADD,
    S_LATEST_UPSERT,
    S_LATEST_OF_ITEM,
    S_SOLE_ACCOUNT,
    S_DAY_GET,
    S_DAY_PUT,
    S_DAY_PREV,
    S_DAY_NEXT,
    S_DAY_SET_GAIN,
    S_ACCT_ADD,
    S_LATEST_GET,
    S_LATEST_SET,
    S_DAY_APPEND,
    S_DAY_HAS_GAIN,
    S_DAY_INSERT,
    S_DATA_VERSION,
    S_ITEM_DAYS,
    S_GEN_BUMP,
    S_GEN_GET,
    S_ITEM_GAIN_SUM,
    S_VALUES_ADD2, /* S_VALUES_ADD2 + k - 2: k value rows in one INSERT */
    S_VALUES_ADD3,
    S_VALUES_ADD4,
    S_VALUES_ADD5,
    S_VALUES_ADD6,
    S_VALUES_ADD7,
    S_VALUES_ADD8,
    /* S_DAY_APPEND2 + k - 2: the same-day rollup rows of k metrics of
     * one snapshot in one statement, its SQL built at open (batch_sql). */
    S_DAY_APPEND2,
    S_DAY_APPEND3,
    S_DAY_APPEND4,
    S_DAY_APPEND5,
    S_DAY_APPEND6,
    S_DAY_APPEND7,
    S_DAY_APPEND8,
    S_FIRST_DEL, /* store_sqlite_first.c */
    S_FIRST_PUT,
    S_VDAY_ROWS, /* store_sqlite_views_day.c */
    S_VDAY_PUT,
    S_VDAY_DEL,
    S_DOC_SEQ, /* store_sqlite_docs.c: SQLITE_DOC_SEQ */
    S_DOC_MARK,
    S_STMT_COUNT
};

/* Read statements the dashboard runs per request, prepared on first use
 * by sqlite_query (their SQL stays beside the code that reads them) and
 * kept until close: preparing one costs about as much as running it. */
enum query_id {
    Q_ITEM_BY_ID,
    Q_CONTENT_SUMS,
    Q_ACCOUNT_SUMS,
    Q_ACCOUNT_GAINS,
    Q_CONTENT_IDS,
    Q_METRIC_RANGE,
    Q_VIEWS_RANGE,
    Q_FTS_DELETE, /* store_sqlite_search.c: the search index upkeep */
    Q_FTS_TRI_DELETE,
    Q_FTS_INSERT,
    Q_FTS_TRI_INSERT,
    Q_ITEM_TAGS,
    Q_COUNT
};

/* Most value rows (and batched rollup rows) one statement writes. */
#define VALUES_ROWS_MAX 8

/* Integer values of one snapshot (one item, one time) whose rows are
 * known to exist, held to be written by one statement: (metric, value)
 * pairs, distinct metrics. */
struct value_rows {
    size_t n;
    int64_t mid[VALUES_ROWS_MAX], v[VALUES_ROWS_MAX];
};

/* The latest value of one (item, metric), as item_latest holds it, and
 * what is known of its day's rollup row. */
struct latest_entry {
    int64_t item_id, metric_id; /* key; item_id 0 marks an empty slot */
    int64_t t, v;
    int32_t day;       /* rollup day of t */
    int8_t day_gain;   /* that day's gain is: -1 unknown, 0 NULL, 1 set */
    bool is_int;
};

/* Open-addressing map of latest entries. Valid only while no other
 * connection has written (checked with PRAGMA data_version before each
 * ingest) and cleared on rollback. */
struct latest_cache {
    struct latest_entry *slots;
    size_t cap, n;
};

/* An item whose item_first row ingest recomputes before commit, with
 * its publication time as marked; seq orders marks of one item. */
struct first_mark {
    int64_t item_id, published_at;
    size_t seq;
};

/* What rollups need to know of the item a value belongs to. */
struct rollup_item {
    int64_t id;
    int64_t account_id;   /* owning account, 0 for none */
    int64_t published_at; /* TIME_NONE if unknown */
};

/* An item row as ingest last wrote or read it: key, what rollups need,
 * and the descriptive fields last applied (serialized; NULL when too
 * long to keep), so an unchanged item is neither looked up nor
 * updated. */
struct item_entry {
    char *ext_id; /* owned; NULL marks an empty slot */
    int platform, type;
    struct rollup_item ri;
    char *fields;  /* owned */
    size_t fields_len;
};

/* Open-addressing map of item entries; same validity as latest_cache. */
struct item_cache {
    struct item_entry *slots;
    size_t cap, n;
};

/* A gain to add to one account_day row, held until the batch ends. */
struct acct_delta {
    int64_t account_id, metric_id;
    int32_t day;
    int64_t gain;
};

/* A document key in sqlite_store.doc_marks; item_id 0: empty slot. */
struct doc_mark {
    int64_t item_id;
    int32_t kind, day;
};

struct sqlite_store {
    struct store base; /* first: a struct store * points here */
    sqlite3 *db;
    sqlite3_stmt *stmt[S_STMT_COUNT]; /* prepared once, at open */
    sqlite3_stmt *query[Q_COUNT];     /* prepared at first use, or NULL */
    /* metric name -> id; few names, linear search. Cleared on rollback,
     * since ids added in a rolled-back transaction are gone. */
    char **metric_names;
    int64_t *metric_ids;
    size_t metrics_n, metrics_cap, metric_ids_cap;
    struct latest_cache latest;
    struct item_cache items;
    /* account_day gains summed in memory and written once per row by
     * sqlite_rollup_flush before the transaction commits; owned,
     * emptied by flush and by sqlite_rollup_discard (rollback). */
    struct acct_delta *acct;
    size_t acct_n, acct_cap;
    int64_t data_version; /* as last seen; another writer changes it */
    /* The rollup zone (setting rollup_zone, default UTC), loaded at open:
     * rollup days are its local calendar days. Owned, never NULL once
     * open; zone_utc takes the arithmetic fast path. */
    struct tz *zone;
    bool zone_utc;
    int64_t seen_gen; /* data generation when the zone was loaded */
    /* What the last failed transaction failed with (extended result code
     * and errno), kept by sqlite_rollback since ROLLBACK clears
     * sqlite3_errcode; 0 when none. Read and cleared by store_fault. */
    int fault_code, fault_errno;
    /* Items whose item_first row ingest must recompute before commit
     * (store_sqlite_first.c); emptied by sqlite_first_flush and
     * sqlite_first_discard. */
    struct first_mark *first_dirty;
    size_t first_n, first_cap;
    /* The views metric's id as the metric cache last learned it (0:
     * not yet; cleared with it), and the rollup days whose views_day row
     * ingest must rewrite before commit (store_sqlite_views_day.c). */
    int64_t views_mid;
    int32_t *vday_dirty;
    size_t vday_n, vday_cap;
    /* The documents this write transaction marked changed already
     * (store_sqlite_docs.c): an open-addressing set of (item, kind, day),
     * emptied by sqlite_doc_seq at the start of each; owned. */
    struct doc_mark *doc_marks;
    size_t doc_marks_n, doc_marks_cap;
    /* The last seq this write transaction handed out (migration 0031:
     * seq is max + 1, + 2, ...), set by sqlite_doc_seq at its start. */
    int64_t doc_seq_last;
};

/* The cached entry of (item, metric), or NULL. */
struct latest_entry *latest_get(struct latest_cache *c, int64_t item,
                                int64_t metric);
/* Insert or replace; may clear everything to stay bounded. */
struct latest_entry *latest_put(struct latest_cache *c,
                                const struct latest_entry *e);
void latest_drop(struct latest_cache *c, int64_t item, int64_t metric);
void latest_clear(struct latest_cache *c);
void latest_free(struct latest_cache *c);

/* The cached item (platform, type, ext_id), or NULL. */
struct item_entry *item_cache_get(struct item_cache *c, int platform,
                                  int type, const char *ext_id);
/* Insert or replace (copies ext_id and fields; fields NULL: unknown);
 * may clear everything to stay bounded. */
void item_cache_put(struct item_cache *c, int platform, int type,
                    const char *ext_id, const struct rollup_item *ri,
                    const char *fields, size_t fields_len);
void item_cache_clear(struct item_cache *c);
void item_cache_free(struct item_cache *c);

struct sqlite_store *sqlite_store_of(struct store *st);
/* Set err to "what: <sqlite message>"; returns ERR_DB. err may be NULL. */
/* ROLLBACK, keeping why the transaction failed for store_fault. */
void sqlite_rollback(struct sqlite_store *s);
/* BEGIN IMMEDIATE, retried a few times while other writers hold the file
 * past the busy timeout; and its end: COMMIT when rc is ERR_OK, else
 * ROLLBACK (sqlite_rollback); returns the outcome. */
enum err sqlite_write_begin(struct sqlite_store *s, struct buf *err)
    WARN_UNUSED;
enum err sqlite_write_end(struct sqlite_store *s, enum err rc,
                          struct buf *err) WARN_UNUSED;
enum err sqlite_fail(struct sqlite_store *s, struct buf *err,
                     const char *what);
/* The search index upkeep (migration 0028; store_sqlite_search.c) after
 * ingest wrote content item item_id, inside its transaction: tags (may be
 * NULL: keep the stored ones) stored in item.tags, then the item's index
 * rows replaced by what item holds now when it is new (nothing to
 * delete), its row changed, or its tags did. */
enum err sqlite_search_upkeep(struct sqlite_store *s, int64_t item_id,
                              const char *tags, bool is_new, bool changed,
                              struct buf *err) WARN_UNUSED;
/* The health ops (store_health.h; store_sqlite_health.c). */
enum err sq_health_put(struct store *base, const struct health_batch *b,
                       int64_t now, struct store_health_put *out,
                       struct buf *err);
enum err sq_health_count(struct store *base, const char *source,
                         struct store_health_counts *out,
                         struct buf *err);
enum err sq_health_remove(struct store *base, const char *source,
                          struct store_health_counts *out, struct buf *err);
enum err sq_health_days(struct store *base, const char *from, const char *to,
                        store_health_day_fn fn, void *ud, struct buf *err);
/* The search op (store_search.h). */
enum err sq_search(struct store *st, const struct search_filter *q,
                   store_search_fn fn, void *ud, int64_t *total,
                   struct buf *err);
/* A cached statement, reset and with bindings cleared. */
sqlite3_stmt *sqlite_use(struct sqlite_store *s, enum stmt_id id);
/* Query id's statement (sql, always the same text for one id), prepared
 * at the first call, reset with its bindings cleared: *out is borrowed,
 * and the caller resets it when done (a statement left mid-step keeps
 * its read snapshot open). Not finalized by the caller. */
int sqlite_query(struct sqlite_store *s, enum query_id id, const char *sql,
                 sqlite3_stmt **out);
int sqlite_bind_text_or_null(sqlite3_stmt *st, int i, const char *v);
/* store_post_add's checks and writes (idempotency key, the post, its
 * creation event with note) inside the caller's transaction, which
 * sqlite_write_begin opened and sqlite_write_end ends. For
 * store_slot_queue_post. */
struct post;
enum err sq_post_add_in_tx(struct sqlite_store *s, const struct post *p,
                           const char *note, int64_t now, int64_t *id_out,
                           struct buf *err);
/* Prepare sql (finalized by the caller, also on failure) and bind ?1 to
 * platform p's name and, when account is not NULL, ?2 to account
 * (borrowed until the statement is finalized). SQLITE_OK on success. */
int sqlite_prepare_for(struct sqlite_store *s, const char *sql,
                       enum platform p, const char *account,
                       sqlite3_stmt **st);
/* Bind a batched statement (S_DAY_APPEND2..): ?1 item, ?2 time, ?3 day,
 * then r's (metric, value) pairs from ?4. */
void sqlite_bind_rows(sqlite3_stmt *st, int64_t item_id, int64_t t,
                      int32_t day, const struct value_rows *r);

/* Rollups, in store_sqlite_rollup.c. */
/* Fold a new integer value that is newer than every stored value of its
 * metric (the usual case) into the rollups: the previous day's last value
 * is the item's latest one (prev_t, prev_v; has_prev false for the first
 * value of the metric). */
/* *gain_known (in/out) is whether the previous value's day has a gain
 * (-1 unknown); on return, whether t's day has one. */
enum err sqlite_rollup_append(struct sqlite_store *s,
                              const struct rollup_item *ri, int64_t metric_id,
                              bool has_prev, int64_t prev_t, int64_t prev_v,
                              int64_t t, int64_t v, int8_t *gain_known,
                              struct value_rows *defer, struct buf *err);
/* With defer not NULL, a same-day append (the row exists) is not written
 * but added to *defer; sqlite_rollup_append_flush writes them all, for
 * item item_id at time t, and empties *defer. */
enum err sqlite_rollup_append_flush(struct sqlite_store *s, int64_t item_id,
                                    int64_t t, struct value_rows *defer,
                                    struct buf *err);
/* Fold any new integer value (also older ones) into item_day and
 * account_day. */
enum err sqlite_rollup_add(struct sqlite_store *s, const struct rollup_item *ri,
                           int64_t metric_id, int64_t t, int64_t v,
                           struct buf *err);
/* Write the account gains held in memory (before COMMIT). */
enum err sqlite_rollup_flush(struct sqlite_store *s, struct buf *err);
/* Forget them (after ROLLBACK). */
void sqlite_rollup_discard(struct sqlite_store *s);
/* The civil day number rollups file instant t under. */
int32_t sqlite_rollup_day(const struct sqlite_store *s, int64_t t);
int64_t sqlite_rollup_day_start(const struct sqlite_store *s, int32_t day);
enum err sq_rollup_rebuild(struct store *st, struct buf *err);
/* Bump the data generation inside the caller's write transaction. */
#define SQL_GEN_BUMP                                                          \
    "INSERT INTO setting(key, value) VALUES ('generation', 1) ON "            \
    "CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1"
enum err sq_content_day_gains(struct store *st, const char *metric,
                              int platform, int32_t from, int32_t to,
                              store_content_ids_fn ids, store_day_gain_fn fn,
                              void *ud);
/* Load s->zone from the setting table (UTC when unset). */
enum err sqlite_zone_load(struct sqlite_store *s, struct buf *err);
const struct tz *sq_rollup_zone(struct store *st);
enum err sq_set_rollup_zone(struct store *st, const char *name,
                            struct buf *err);

/* Reads, in store_sqlite_query.c. */
enum err sq_list_items(struct store *st, const struct item_query *q,
                       store_item_fn fn, void *ud, struct buf *err);
enum err sq_count_items(struct store *st, const struct item_query *q,
                        int64_t *out);
enum err sq_item_history(struct store *st, const char *ref,
                         const struct history_query *q, struct item **out,
                         bool *truncated, struct buf *err);
int32_t sq_day_of(struct store *st, int64_t t);
int64_t sq_day_start(struct store *st, int32_t day);
enum err sq_item_days(struct store *st, int64_t item_id, const char *metric,
                      int32_t from, int32_t to, struct store_day **out,
                      size_t *n);
enum err sq_item_gain_sum(struct store *st, int64_t item_id,
                          const char *metric, int32_t from, int32_t to,
                          int64_t *sum, bool *any);
enum err sq_content_sums(struct store *st, int platform,
                         store_content_sum_fn fn, void *ud);
/* Register mediadash_day(t): the rollup day of instant t (NULL stays
 * NULL), for statements that need a day per row; and
 * mediadash_range_walk, through which the metric range hands its rows to
 * C inside its statement (store_sqlite_rollup_query.c). Both direct
 * only: never from the schema. */
enum err sqlite_register_day_fn(struct sqlite_store *s, struct buf *err);
enum err sq_account_sums(struct store *st, int platform,
                         store_account_sum_fn fn, void *ud);
enum err sq_account_gains(struct store *st, const char *metric, int platform,
                          int32_t from, int32_t to, store_gain_fn fn,
                          void *ud);
enum err sq_item_by_id(struct store *st, int64_t id, struct item **out);
enum err sq_export_values(struct store *st, const struct export_query *q,
                          store_row_fn fn, void *ud, struct buf *err);

/* Users and sessions, in store_sqlite_auth.c. */
enum err sq_user_add(struct store *st, const char *name, const char *pw_hash,
                     int64_t now, int64_t *id_out);
enum err sq_user_get(struct store *st, const char *name,
                     struct store_user *out);
enum err sq_user_set_password(struct store *st, const char *name,
                              const char *pw_hash);
enum err sq_user_del(struct store *st, const char *name);
enum err sq_user_list(struct store *st, store_user_fn fn, void *ud);
enum err sq_user_count(struct store *st, int64_t *out);
enum err sq_session_add(struct store *st, const char *key, int64_t user_id,
                        const char *csrf, int64_t now);
enum err sq_session_get(struct store *st, const char *key, int64_t now,
                        const struct store_session_limits *lim,
                        struct store_session *out);
enum err sq_session_touch(struct store *st, const char *key, int64_t now);
enum err sq_session_del(struct store *st, const char *key);
enum err sq_gauges_read(struct store *st, int64_t now,
                        const struct store_session_limits *lim,
                        struct store_gauges *out);
/* store_sqlite_read.c: reads at one state (store_read_begin) */
enum err sq_read_begin(struct store *st, struct buf *err);
void sq_read_end(struct store *st);
/* store_sqlite_wait.c: no wake-ups on SQLite (store.h) */
enum err sq_listen(struct store *st, enum store_wake_channel ch,
                   struct buf *err);
enum err sq_wake(struct store *st, enum store_wake_channel ch,
                 struct buf *err);
enum err sq_wait(struct store *st, int timeout_ms, bool *woken,
                 struct buf *err);
enum err sq_session_purge(struct store *st, int64_t now,
                          const struct store_session_limits *lim, int64_t *n);
/* Credentials, in store_sqlite_cred.c. */
enum err sq_cred_put(struct store *st, const struct store_cred *c,
                     struct buf *err);
enum err sq_cred_get(struct store *st, enum platform p, const char *account,
                     struct store_cred *out, struct buf *err);
enum err sq_cred_set_status(struct store *st, enum platform p,
                            const char *account, enum cred_status s,
                            const char *last_error, int64_t now,
                            struct buf *err);
enum err sq_cred_set_renew_error(struct store *st, enum platform p,
                                 const char *account, const char *why,
                                 struct buf *err);
enum err sq_cred_list(struct store *st, store_cred_fn fn, void *ud,
                      struct buf *err);
enum err sq_oauth_state_put(struct store *st, const char *state,
                            const struct store_oauth_state *s, int64_t now,
                            struct buf *err);
enum err sq_oauth_state_take(struct store *st, const char *state,
                             int64_t now, struct store_oauth_state *out,
                             struct buf *err);
enum err sq_oauth_pending_add(struct store *st, const char *state,
                              const char *code_sealed, int64_t now,
                              int64_t *id_out, struct buf *err);
enum err sq_oauth_pending_claim(struct store *st, int64_t now,
                                int64_t stale_before,
                                struct store_oauth_pending *out,
                                struct buf *err);
enum err sq_oauth_pending_done(struct store *st, int64_t id, bool ok,
                               const char *account, const char *message,
                               int64_t now, struct buf *err);
enum err sq_oauth_pending_list(struct store *st, int64_t since, int limit,
                               store_pending_fn fn, void *ud,
                               struct buf *err);

enum err sq_job_get(struct store *st, enum platform p, const char *account,
                    enum job_kind kind, struct store_job *out);
enum err sq_job_put(struct store *st, const struct store_job *j);
enum err sq_job_list(struct store *st, store_job_fn fn, void *ud);
enum err sq_quota_get(struct store *st, enum platform p, int64_t day_start,
                      int64_t *out);
enum err sq_item_sched_put(struct store *st,
                          const struct store_item_sched *s);
enum err sq_age_rows(struct store *st, const char *metric,
                     store_age_row_fn fn, void *ud);
enum err sq_values_at_age(struct store *st, const char *metric,
                          enum platform p, int64_t exclude_id, int32_t age,
                          store_value_fn fn, void *ud);
enum err sq_item_set_removed(struct store *st, enum platform p,
                             const char *ext_id, bool removed);
/* Item links (store_sqlite_links.c): put inside the ingest transaction;
 * the store_item_links op. */
enum err sqlite_links_put(struct sqlite_store *s, const struct batch *b,
                          int64_t now, struct buf *err) WARN_UNUSED;
enum err sq_item_links(struct store *st, enum platform p, const char *ext_id,
                       size_t limit, store_link_fn fn, void *ud);
enum err sq_item_sched_has(struct store *st, enum platform p,
                          const char *account, const char *item_id,
                          bool *out);
enum err sq_item_sched_due(struct store *st, enum platform p,
                          const char *account, int64_t now, size_t limit,
                          store_item_sched_fn fn, void *ud);
enum err sq_item_sched_stats(struct store *st, int platform,
                            const char *account, int64_t *count,
                            int64_t *soonest);
enum err sq_usage_put(struct store *st, enum platform p, const char *account,
                      int pct, int64_t at);
enum err sq_usage_get(struct store *st, enum platform p, const char *account,
                      int *pct, int64_t *at);
enum err sq_dropped_metric_add(struct store *st, enum platform p,
                               const char *account, const char *kind,
                               const char *metric, int64_t at);
enum err sq_dropped_metric_list(struct store *st, enum platform p,
                                const char *account, int64_t since,
                                store_dropped_metric_fn fn, void *ud);
enum err sq_quota_add(struct store *st, enum platform p, int64_t day_start,
                      int64_t units);

/* Roles and taking data back, in store_sqlite_remove.c. */
enum err sq_imports_list(struct store *st, store_import_fn fn, void *ud);
enum err sq_audit_list(struct store *st, store_audit_fn fn, void *ud);
enum err sq_import_remove(struct store *st, int64_t id, const char *who,
                          int64_t now, struct store_removed *out,
                          struct buf *err);
enum err sq_account_remove(struct store *st, enum platform p,
                           const char *ext_id, const char *who, int64_t now,
                           struct store_removed *out, struct buf *err);
enum err sq_account_set_role(struct store *st, enum platform p,
                             const char *ext_id, bool tracked,
                             const char *who, int64_t now, int64_t *changed,
                             struct buf *err);
enum err sq_account_compare(struct store *st, int32_t from, int32_t to,
                            store_account_cmp_fn fn, void *ud);
/* Recompute the item_day rows of the items in temp.rm_item (their old
 * rows already deleted) and add their gains to account_day, inside the
 * caller's transaction (store_sqlite_rollup.c). */
enum err sqlite_rollup_rebuild_items(struct sqlite_store *s, struct buf *err);

/* The first-week rollup (item_first), in store_sqlite_first.c. */
extern const char sqlite_first_del_sql[], sqlite_first_put_sql[];
/* Mark ri's first-week row for recomputing when a value of metric at t
 * may change one of its gains (views, on a day before the week's end). */
void sqlite_first_mark(struct sqlite_store *s, const struct rollup_item *ri,
                       const char *metric, int64_t t);
/* Mark item_id's row (its publication time moved to published_at). */
void sqlite_first_mark_item(struct sqlite_store *s, int64_t item_id,
                            int64_t published_at);
/* Recompute the marked rows from item_day, in the caller's transaction,
 * after every rollup row of the batch is written. */
enum err sqlite_first_flush(struct sqlite_store *s, struct buf *err);
void sqlite_first_discard(struct sqlite_store *s);
/* Recompute every row / the rows of temp.rm_item's items. */
enum err sqlite_first_rebuild(struct sqlite_store *s, struct buf *err);
enum err sqlite_first_rebuild_removed(struct sqlite_store *s,
                                      struct buf *err);
/* At open, after the zone is loaded: the first fill of item_first and
 * views_day after migration 0018, in its own transaction, once across
 * processes. */
enum err sqlite_first_load(struct sqlite_store *s, struct buf *err);
/* The packed views gains per day (views_day), in
 * store_sqlite_views_day.c. */
extern const char sqlite_vday_rows_sql[], sqlite_vday_put_sql[],
    sqlite_vday_del_sql[];
/* Mark day's row for rewriting when metric_id is the views metric (the
 * rollup code calls it wherever it writes a gain). */
void sqlite_vday_mark(struct sqlite_store *s, int64_t metric_id, int32_t day);
/* Rewrite the marked days from item_day, in the caller's transaction,
 * after every rollup row of the batch is written. */
enum err sqlite_vday_flush(struct sqlite_store *s, struct buf *err);
void sqlite_vday_discard(struct sqlite_store *s);
/* Rewrite every day. */
enum err sqlite_vday_rebuild(struct sqlite_store *s, struct buf *err);
/* The next (item, gain) pair of a views_day blob [*p, end): *item holds
 * the previous item id (0 before the first) and becomes this one. False
 * when the blob is damaged. */
bool sqlite_vday_next(const unsigned char **p, const unsigned char *end,
                      int64_t *item, int64_t *gain);
/* Forget the cached items and latest values (rows were deleted). */
void sqlite_caches_clear(struct sqlite_store *s);

/* Documents for retrieval, in store_sqlite_docs.c (migration 0029). */
enum err sq_doc_changes(struct store *st, const struct store_doc_query *q,
                        store_doc_fn fn, void *ud, struct buf *err);
enum err sq_doc_find(struct store *st, enum platform p, enum item_type type,
                     const char *ext_id, enum store_doc_kind kind,
                     int32_t day, store_doc_fn fn, void *ud,
                     struct buf *err);
enum err sq_doc_last_seq(struct store *st, int64_t *out);
enum err sq_account_day_get(struct store *st, int64_t account_id,
                            int32_t day, struct store_account_day *out);
/* The largest seq of doc_change and doc_tomb (0: none), read at the
 * start of a write transaction: marks made in it are those with a larger
 * seq, handed out from there (sqlite_store.doc_seq_last). */
enum err sqlite_doc_seq(struct sqlite_store *s, int64_t *out);
/* Inside a write transaction that began when the largest seq was seq0:
 * mark document (item_id, kind, day) changed at now (a new seq), unless
 * this transaction marked it already. kind is STORE_DOC_ITEM (day
 * ignored) or STORE_DOC_DAY (item_id the account). */
enum err sqlite_doc_mark(struct sqlite_store *s, int64_t item_id,
                         enum store_doc_kind kind, int32_t day, int64_t now,
                         int64_t seq0);
/* A removal, inside its transaction (store_sqlite_remove.c): before the
 * snapshots of temp.rm_val go, mark the daily summaries of the days they
 * were observed on; after they went and before the items without
 * snapshots are deleted, write tombstones for those and mark the
 * touched items that stay. */
enum err sqlite_doc_removal_days(struct sqlite_store *s, int64_t now,
                                 int64_t seq0, struct buf *err);
enum err sqlite_doc_removal_items(struct sqlite_store *s, int64_t now,
                                  int64_t seq0, struct buf *err);
/* Shared by store_sqlite.c and store_sqlite_ingest.c: run sql (no
 * rows), ERR_DB with SQLite's message in err (may be NULL); forget the
 * cached metric ids; reset every cached statement (so none keeps a read
 * snapshot open past its transaction). */
enum err sqlite_exec(struct sqlite_store *s, const char *sql,
                     struct buf *err);
void sqlite_metric_cache_clear(struct sqlite_store *s);
void sqlite_reset_all(struct sqlite_store *s);
/* `db copy` (store_copy.h; store_sqlite_copy.c). */
extern const struct store_copy_ops sq_copy_ops;
/* store_ingest (store_sqlite_ingest.c). */
enum err sq_ingest(struct store *st, const struct batch *b,
                   const struct import_meta *meta, struct ingest_stats *out,
                   struct buf *err);

/* The areas with their own header (store_impl.h), one file each:
 * store_sqlite_post.c (and _post_edit.c), _slots.c, _media.c, _notify.c,
 * _token.c. Contracts: the public functions of the same name. */
enum err sq_post_add(struct store *st, const struct post *p, int64_t now,
                     int64_t *id_out, struct buf *err);
enum err sq_post_get(struct store *st, int64_t id, struct post *out);
enum err sq_post_list(struct store *st, const struct post_query *q,
                      store_post_fn fn, void *ud);
enum err sq_post_events(struct store *st, int64_t id, store_post_event_fn fn,
                        void *ud);
enum err sq_post_transition(struct store *st, int64_t id, enum post_state from,
                            enum post_state to, const struct post_change *ch,
                            const char *note, int64_t now, struct buf *err);
enum err sq_post_set_progress(struct store *st, int64_t id, const char *worker,
                              const char *progress, int64_t now,
                              struct buf *err);
enum err sq_post_move(struct store *st, int64_t id, enum post_state to,
                      const char *note, int64_t now, enum post_state *from_out,
                      struct buf *err);
enum err sq_post_claim_due(struct store *st, const char *worker,
                           const char *platforms, int64_t now, int64_t lease_s,
                           size_t limit, int64_t **out, size_t *n,
                           struct buf *err);
enum err sq_post_expire_leases(struct store *st, int64_t now, size_t *back,
                               size_t *check, struct buf *err);
enum err sq_post_edit(struct store *st, int64_t id, int64_t version,
                      const struct post *p, const char *by,
                      const char *changes, int64_t now, int64_t *version_out,
                      struct buf *err);
enum err sq_post_edits(struct store *st, int64_t id, store_post_edit_fn fn,
                       void *ud);
enum err sq_slot_list(struct store *st, const char *platform,
                      const char *account, store_slot_fn fn, void *ud,
                      struct buf *err);
enum err sq_slot_get(struct store *st, int64_t id, struct slot *out,
                     struct buf *err);
enum err sq_slot_add(struct store *st, const struct slot *s, int64_t now,
                     int64_t *id_out, struct buf *err);
enum err sq_slot_update(struct store *st, int64_t id, int weekday, int minute,
                        const char *zone, int64_t now, struct buf *err);
enum err sq_slot_delete(struct store *st, int64_t id, struct buf *err);
enum err sq_slot_taken(struct store *st, const char *platform,
                       const char *account, const struct slot_when *c,
                       size_t n, bool *taken, struct buf *err);
enum err sq_slot_queue_post(struct store *st, struct post *p,
                            const struct slot_when *c, size_t n, int64_t now,
                            int64_t *id_out, size_t *chosen_out,
                            struct buf *err);
enum err sq_media_put(struct store *st, const struct media_row *m,
                      struct buf *err);
enum err sq_media_get(struct store *st, const char *sha256,
                      struct media_row *out);
enum err sq_media_list(struct store *st, size_t limit, store_media_fn fn,
                       void *ud);
enum err sq_media_uses(struct store *st, const char *sha256, int64_t now,
                       int64_t grace_s, store_media_use_fn fn, void *ud);
enum err sq_media_delete(struct store *st, const char *sha256, int64_t now,
                         int64_t grace_s, struct buf *err);
enum err sq_notify_add(struct store *st, const struct notify_event *ev,
                       const char *dedup_key, int64_t now, int64_t *id_out,
                       struct buf *err);
enum err sq_notify_claim(struct store *st, enum notify_channel c, int64_t now,
                         int64_t lease_s, size_t limit, int64_t **ids,
                         size_t *n, struct buf *err);
enum err sq_notify_get(struct store *st, int64_t id, store_notify_fn fn,
                       void *ud);
enum err sq_notify_result(struct store *st, int64_t id, enum notify_channel c,
                          const struct notify_attempt *a, int64_t now,
                          struct buf *err);
enum err sq_notify_off(struct store *st, enum notify_channel c, size_t *n,
                       struct buf *err);
enum err sq_notify_next_due(struct store *st, int64_t *out);
enum err sq_notify_list(struct store *st, size_t limit, store_notify_fn fn,
                        void *ud);
enum err sq_notify_deliveries(struct store *st, size_t limit,
                              store_notify_delivery_fn fn, void *ud);
enum err sq_notify_watch(struct store *st, const char *key, int64_t now,
                         int64_t *first_seen, bool *notified, struct buf *err);
enum err sq_notify_watch_mark(struct store *st, const char *key,
                              struct buf *err);
enum err sq_notify_watch_clear(struct store *st, const char *prefix,
                               int64_t now, struct buf *err);
enum err sq_notify_prune(struct store *st, int64_t before, size_t *n,
                         struct buf *err);
enum err sq_token_add(struct store *st, const char *key,
                      const struct store_token *t, int64_t *id_out,
                      struct buf *err);
enum err sq_token_by_key(struct store *st, const char *key,
                         struct store_token *out, struct buf *err);
enum err sq_token_touch(struct store *st, int64_t id, int64_t now);
enum err sq_token_list(struct store *st, store_token_fn fn, void *ud,
                       struct buf *err);
enum err sq_token_revoke_id(struct store *st, int64_t id, int64_t now,
                            int64_t *n, struct buf *err);
enum err sq_token_revoke_name(struct store *st, const char *name, int64_t now,
                              int64_t *n, struct buf *err);

#endif
