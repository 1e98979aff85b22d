/* Private to src/store: the backend contract (STYLE.md 10, docs/store.md).
 *
 * A backend is two tables: a struct store_backend (what it does with a
 * target: open it, peek, backup, verify...) and a struct store_ops (what
 * an open handle does), the latter with one sub-struct per area that has
 * its own public header (posts, slots, media, notify, tokens). Its
 * handle is a struct whose first member is struct store. Every public
 * function of store.h and the area headers dispatches to exactly one
 * member, and nothing outside src/store reaches a backend any other way
 * (tools/check-src.sh refuses it). A second backend implements the whole
 * contract by filling these tables; tests/unit/test_store_conformance.c
 * runs the same cases against any backend (MEDIADASH_STORE_TARGET).
 *
 * What every op promises (the public function's comment has the rest):
 * - Transactions: a write op is one transaction, all of it or none of it;
 *   on any error nothing it did stays. Ingest: one transaction per batch,
 *   its rollups (item_day, account_day and their state) updated in it.
 * - Idempotency: ingest is keyed by (item, observed_at) and by a file's
 *   digest; a repeat stores nothing new (values_same, ERR_EXISTS for a
 *   digest). Snapshots and their values are append-only: nothing but
 *   taking data back (import_remove, account_remove) deletes them.
 * - Races between processes: a conditional write (post transitions,
 *   claims, edits at a version, token names) checks its condition in the
 *   same transaction as the write; the loser gets ERR_EXISTS and nothing
 *   changed. A claim hands a row to exactly one claimer.
 * - Ordering: every listing states its order; a backend keeps it exactly
 *   (answers must be byte-identical across backends).
 * - Errors (store.h, "Errors"): the same enum err for the same situation
 *   in every area; where the op has a struct buf *err, a non-OK return
 *   leaves a message there naming what failed (never a secret). */
#ifndef MEDIADASH_STORE_IMPL_H
#define MEDIADASH_STORE_IMPL_H

#include "store/store.h"
#include "store/store_media.h"
#include "store/store_notify.h"
#include "store/store_post.h"
#include "store/store_health.h"
#include "store/store_search.h"
#include "store/store_backup.h"
#include "store/store_copy.h"
#include "store/store_slots.h"
#include "store/store_token.h"

/* The areas that have their own public header, one ops struct each
 * (store_areas.c dispatches store_post_* to post, store_slot_* to slot,
 * ...). Each member keeps the contract its public function states in
 * that header (store_post.h, store_slots.h, store_media.h,
 * store_notify.h, store_token.h): same arguments, same transactions,
 * same error codes. They are split by area so that a backend can be
 * written and reviewed area by area, and so that adding an op to one
 * area touches one small struct (and one backend file) rather than the
 * one long table. */
struct store_post_ops {
    enum err (*add)(struct store *st, const struct post *p, int64_t now,
                    int64_t *id_out, struct buf *err);
    enum err (*get)(struct store *st, int64_t id, struct post *out);
    enum err (*list)(struct store *st, const struct post_query *q,
                     store_post_fn fn, void *ud);
    enum err (*events)(struct store *st, int64_t id, store_post_event_fn fn,
                       void *ud);
    enum err (*transition)(struct store *st, int64_t id, enum post_state from,
                           enum post_state to, const struct post_change *ch,
                           const char *note, int64_t now, struct buf *err);
    enum err (*set_progress)(struct store *st, int64_t id, const char *worker,
                             const char *progress, int64_t now,
                             struct buf *err);
    enum err (*move)(struct store *st, int64_t id, enum post_state to,
                     const char *note, int64_t now, enum post_state *from_out,
                     struct buf *err);
    enum err (*claim_due)(struct store *st, const char *worker,
                          const char *platforms, int64_t now, int64_t lease_s,
                          size_t limit, int64_t **out, size_t *n,
                          struct buf *err);
    enum err (*expire_leases)(struct store *st, int64_t now, size_t *back,
                              size_t *check, struct buf *err);
    enum err (*edit)(struct store *st, int64_t id, int64_t version,
                     const struct post *p, const char *by, const char *changes,
                     int64_t now, int64_t *version_out, struct buf *err);
    enum err (*edits)(struct store *st, int64_t id, store_post_edit_fn fn,
                      void *ud);
};

struct store_slot_ops {
    enum err (*list)(struct store *st, const char *platform,
                     const char *account, store_slot_fn fn, void *ud,
                     struct buf *err);
    enum err (*get)(struct store *st, int64_t id, struct slot *out,
                    struct buf *err);
    enum err (*add)(struct store *st, const struct slot *s, int64_t now,
                    int64_t *id_out, struct buf *err);
    enum err (*update)(struct store *st, int64_t id, int weekday, int minute,
                       const char *zone, int64_t now, struct buf *err);
    enum err (*delete)(struct store *st, int64_t id, struct buf *err);
    enum err (*taken)(struct store *st, const char *platform,
                      const char *account, const struct slot_when *c, size_t n,
                      bool *taken, struct buf *err);
    enum err (*queue_post)(struct store *st, struct post *p,
                           const struct slot_when *c, size_t n, int64_t now,
                           int64_t *id_out, size_t *chosen_out,
                           struct buf *err);
};

struct store_media_ops {
    enum err (*put)(struct store *st, const struct media_row *m,
                    struct buf *err);
    enum err (*get)(struct store *st, const char *sha256,
                    struct media_row *out);
    enum err (*list)(struct store *st, size_t limit, store_media_fn fn,
                     void *ud);
    enum err (*uses)(struct store *st, const char *sha256, int64_t now,
                     int64_t grace_s, store_media_use_fn fn, void *ud);
    enum err (*delete)(struct store *st, const char *sha256, int64_t now,
                       int64_t grace_s, struct buf *err);
};

struct store_notify_ops {
    enum err (*add)(struct store *st, const struct notify_event *ev,
                    const char *dedup_key, int64_t now, int64_t *id_out,
                    struct buf *err);
    enum err (*claim)(struct store *st, enum notify_channel c, int64_t now,
                      int64_t lease_s, size_t limit, int64_t **ids, size_t *n,
                      struct buf *err);
    enum err (*get)(struct store *st, int64_t id, store_notify_fn fn,
                    void *ud);
    enum err (*result)(struct store *st, int64_t id, enum notify_channel c,
                       const struct notify_attempt *a, int64_t now,
                       struct buf *err);
    enum err (*off)(struct store *st, enum notify_channel c, size_t *n,
                    struct buf *err);
    enum err (*next_due)(struct store *st, int64_t *out);
    enum err (*list)(struct store *st, size_t limit, store_notify_fn fn,
                     void *ud);
    enum err (*deliveries)(struct store *st, size_t limit,
                           store_notify_delivery_fn fn, void *ud);
    enum err (*watch)(struct store *st, const char *key, int64_t now,
                      int64_t *first_seen, bool *notified, struct buf *err);
    enum err (*watch_mark)(struct store *st, const char *key, struct buf *err);
    enum err (*watch_clear)(struct store *st, const char *prefix, int64_t now,
                            struct buf *err);
    enum err (*prune)(struct store *st, int64_t before, size_t *n,
                      struct buf *err);
};

struct store_token_ops {
    enum err (*add)(struct store *st, const char *key,
                    const struct store_token *t, int64_t *id_out,
                    struct buf *err);
    enum err (*by_key)(struct store *st, const char *key,
                       struct store_token *out, struct buf *err);
    enum err (*touch)(struct store *st, int64_t id, int64_t now);
    enum err (*list)(struct store *st, store_token_fn fn, void *ud,
                     struct buf *err);
    enum err (*revoke_id)(struct store *st, int64_t id, int64_t now,
                          int64_t *n, struct buf *err);
    enum err (*revoke_name)(struct store *st, const char *name, int64_t now,
                            int64_t *n, struct buf *err);
};

/* `db copy` (store_copy.h): the tables copied as rows, described once
 * for every backend (store_copy.c, store_copy_tables[]). cols are the
 * column names, comma-separated (a backend double-quotes each in its SQL:
 * post_edit has a column called by; store_copy_cols); types has one letter per column: 'I' int64, 'R'
 * double, 'T' text; order is the ORDER BY that puts each row after the
 * rows it refers to. Table and column names are constants of this
 * program, never input: the SQL a backend builds from them is as fixed as
 * a literal, and the values always travel as parameters or COPY data. */
struct store_copy_table {
    const char *name;
    const char *cols;
    const char *types;
    const char *order;
};
extern const struct store_copy_table store_copy_tables[];
extern const size_t store_copy_ntables_;
/* t's columns double-quoted, comma-separated, into out (reset first);
 * prefix before each (NULL: none). */
void store_copy_cols(const struct store_copy_table *t, const char *prefix,
                     struct buf *out);

/* One value of a row; s is borrowed for the batch's callback. */
struct store_copy_val {
    bool null;
    int64_t i;
    double r;
    const char *s;
};
/* A batch of n rows, strlen(t->types) values each, row after row. */
typedef enum err (*store_copy_batch_fn)(void *ud,
                                        const struct store_copy_val *v,
                                        size_t n);

struct store_copy_ops {
    /* Rows of t; ERR_UNSUPPORTED (no message) when this backend has no
     * such table. */
    enum err (*count)(struct store *st, const struct store_copy_table *t,
                      int64_t *out, struct buf *err);
    /* Every row of t in t->order, batch rows per call of fn; inside a
     * store_read_begin when the caller wants one state. */
    enum err (*scan)(struct store *st, const struct store_copy_table *t,
                     size_t batch, store_copy_batch_fn fn, void *ud,
                     struct buf *err);
    /* Open the copy's write transaction; wipe: delete every row of every
     * table first (the derived ones too). */
    enum err (*begin)(struct store *st, bool wipe, struct buf *err);
    /* Add n rows to t, ids as given. */
    enum err (*put)(struct store *st, const struct store_copy_table *t,
                    const struct store_copy_val *v, size_t n,
                    struct buf *err);
    /* commit: rebuild what the backend derives from the rows (search
     * index, caches, sequences), then commit; else roll back. */
    enum err (*end)(struct store *st, bool commit, struct buf *err);
};

struct store_ops {
    const char *name;
    void (*close)(struct store *st);
    enum store_fault (*fault)(struct store *st);
    enum err (*schema_version)(struct store *st, int *out);
    enum err (*ingest)(struct store *st, const struct batch *b,
                       const struct import_meta *meta,
                       struct ingest_stats *out, struct buf *err);
    enum err (*rollup_rebuild)(struct store *st, struct buf *err);
    const struct tz *(*rollup_zone)(struct store *st);
    enum err (*generation)(struct store *st, int64_t *out);
    /* reads at one state (store.h); NULL: not on this backend */
    enum err (*read_begin)(struct store *st, struct buf *err);
    void (*read_end)(struct store *st);
    enum err (*refresh)(struct store *st, int64_t *gen); /* gen: as read */
    enum err (*set_rollup_zone)(struct store *st, const char *name,
                                struct buf *err);
    enum err (*small_cache)(struct store *st);
    /* wake-ups (store.h; SQLite: store_sqlite_wait.c, PG: pg_wait.c) */
    bool (*can_wake)(struct store *st);
    enum err (*listen)(struct store *st, enum store_wake_channel ch,
                       struct buf *err);
    enum err (*wake)(struct store *st, enum store_wake_channel ch,
                     struct buf *err);
    enum err (*wait)(struct store *st, int timeout_ms, bool *woken,
                     struct buf *err);
    enum err (*sole_account)(struct store *st, enum platform p, char **out);
    enum err (*list_items)(struct store *st, const struct item_query *q,
                           store_item_fn fn, void *ud, struct buf *err);
    enum err (*count_items)(struct store *st, const struct item_query *q,
                            int64_t *out);
    enum err (*item_history)(struct store *st, const char *ref,
                             const struct history_query *q,
                             struct item **out, bool *truncated,
                             struct buf *err);
    int32_t (*day_of)(struct store *st, int64_t t);
    int64_t (*day_start)(struct store *st, int32_t day);
    enum err (*item_days)(struct store *st, int64_t item_id,
                          const char *metric, int32_t from, int32_t to,
                          struct store_day **out, size_t *n);
    enum err (*item_gain_sum)(struct store *st, int64_t item_id,
                              const char *metric, int32_t from, int32_t to,
                              int64_t *sum, bool *any);
    enum err (*content_sums)(struct store *st, int platform,
                             store_content_sum_fn fn,
                             void *ud);
    enum err (*account_sums)(struct store *st, int platform,
                             store_account_sum_fn fn, void *ud);
    enum err (*account_gains)(struct store *st, const char *metric,
                              int platform, int32_t from, int32_t to,
                              store_gain_fn fn, void *ud);
    enum err (*content_day_gains)(struct store *st, const char *metric,
                                  int platform, int32_t from, int32_t to,
                                  store_content_ids_fn ids,
                                  store_day_gain_fn fn, void *ud);
    enum err (*item_by_id)(struct store *st, int64_t id, struct item **out);
    enum err (*export_values)(struct store *st, const struct export_query *q,
                              store_row_fn fn, void *ud, struct buf *err);
    /* users and sessions */
    enum err (*user_add)(struct store *st, const char *name,
                         const char *pw_hash, int64_t now, int64_t *id_out);
    enum err (*user_get)(struct store *st, const char *name,
                         struct store_user *out);
    enum err (*user_set_password)(struct store *st, const char *name,
                                  const char *pw_hash);
    enum err (*user_del)(struct store *st, const char *name);
    enum err (*user_list)(struct store *st, store_user_fn fn, void *ud);
    enum err (*user_count)(struct store *st, int64_t *out);
    enum err (*session_add)(struct store *st, const char *key,
                            int64_t user_id, const char *csrf, int64_t now);
    enum err (*session_get)(struct store *st, const char *key, int64_t now,
                            const struct store_session_limits *lim,
                            struct store_session *out);
    enum err (*session_touch)(struct store *st, const char *key, int64_t now);
    enum err (*session_del)(struct store *st, const char *key);
    enum err (*session_purge)(struct store *st, int64_t now,
                              const struct store_session_limits *lim,
                              int64_t *n);
    /* GET /metrics (store_sqlite_gauges.c) */
    enum err (*gauges_read)(struct store *st, int64_t now,
                            const struct store_session_limits *lim,
                            struct store_gauges *out);
    /* OAuth credentials and pending states (store_sqlite_cred.c) */
    enum err (*cred_put)(struct store *st, const struct store_cred *c,
                         struct buf *err);
    enum err (*cred_get)(struct store *st, enum platform p,
                         const char *account, struct store_cred *out,
                         struct buf *err);
    enum err (*cred_set_status)(struct store *st, enum platform p,
                                const char *account, enum cred_status s,
                                const char *last_error, int64_t now,
                                struct buf *err);
    enum err (*cred_list)(struct store *st, store_cred_fn fn, void *ud,
                          struct buf *err);
    enum err (*cred_set_renew_error)(struct store *st, enum platform p,
                                     const char *account, const char *why,
                                     struct buf *err);
    enum err (*oauth_state_put)(struct store *st, const char *state,
                                const struct store_oauth_state *s,
                                int64_t now, struct buf *err);
    enum err (*oauth_state_take)(struct store *st, const char *state,
                                 int64_t now, struct store_oauth_state *out,
                                 struct buf *err);
    enum err (*oauth_pending_add)(struct store *st, const char *state,
                                  const char *code_sealed, int64_t now,
                                  int64_t *id_out, struct buf *err);
    enum err (*oauth_pending_claim)(struct store *st, int64_t now,
                                    int64_t stale_before,
                                    struct store_oauth_pending *out,
                                    struct buf *err);
    enum err (*oauth_pending_done)(struct store *st, int64_t id, bool ok,
                                   const char *account, const char *message,
                                   int64_t now, struct buf *err);
    enum err (*oauth_pending_list)(struct store *st, int64_t since,
                                   int limit, store_pending_fn fn, void *ud,
                                   struct buf *err);
    /* collector state (store_sqlite_collect.c) */
    enum err (*job_get)(struct store *st, enum platform p,
                        const char *account, enum job_kind kind,
                        struct store_job *out);
    enum err (*job_put)(struct store *st, const struct store_job *j);
    enum err (*job_list)(struct store *st, store_job_fn fn, void *ud);
    enum err (*quota_get)(struct store *st, enum platform p,
                          int64_t day_start, int64_t *out);
    enum err (*quota_add)(struct store *st, enum platform p,
                          int64_t day_start, int64_t units);
    /* per-item schedule and Instagram memory (store_sqlite_items.c) */
    enum err (*item_sched_put)(struct store *st,
                               const struct store_item_sched *s);
    enum err (*age_rows)(struct store *st, const char *metric,
                         store_age_row_fn fn, void *ud);
    enum err (*values_at_age)(struct store *st, const char *metric,
                              enum platform p, int64_t exclude_id,
                              int32_t age, store_value_fn fn, void *ud);
    enum err (*item_set_removed)(struct store *st, enum platform p,
                                 const char *ext_id, bool removed);
    enum err (*item_links)(struct store *st, enum platform p,
                           const char *ext_id, size_t limit,
                           store_link_fn fn, void *ud);
    enum err (*item_sched_has)(struct store *st, enum platform p,
                               const char *account, const char *item_id,
                               bool *out);
    enum err (*item_sched_due)(struct store *st, enum platform p,
                               const char *account, int64_t now,
                               size_t limit, store_item_sched_fn fn,
                               void *ud);
    enum err (*item_sched_stats)(struct store *st, int platform,
                                 const char *account, int64_t *count,
                                 int64_t *soonest);
    enum err (*usage_put)(struct store *st, enum platform p,
                          const char *account, int pct, int64_t at);
    enum err (*usage_get)(struct store *st, enum platform p,
                          const char *account, int *pct, int64_t *at);
    enum err (*dropped_metric_add)(struct store *st, enum platform p,
                                   const char *account, const char *kind,
                                   const char *metric, int64_t at);
    enum err (*dropped_metric_list)(struct store *st, enum platform p,
                                    const char *account, int64_t since,
                                    store_dropped_metric_fn fn, void *ud);
    /* roles and taking data back (store_sqlite_remove.c) */
    enum err (*imports_list)(struct store *st, store_import_fn fn, void *ud);
    enum err (*audit_list)(struct store *st, store_audit_fn fn, void *ud);
    enum err (*import_remove)(struct store *st, int64_t id, const char *who,
                              int64_t now, struct store_removed *out,
                              struct buf *err);
    enum err (*account_remove)(struct store *st, enum platform p,
                               const char *ext_id, const char *who,
                               int64_t now, struct store_removed *out,
                               struct buf *err);
    enum err (*account_set_role)(struct store *st, enum platform p,
                                 const char *ext_id, bool tracked,
                                 const char *who, int64_t now,
                                 int64_t *changed, struct buf *err);
    enum err (*account_compare)(struct store *st, int32_t from, int32_t to,
                                store_account_cmp_fn fn, void *ud);
    enum err (*doc_changes)(struct store *st, const struct store_doc_query *q,
                            store_doc_fn fn, void *ud, struct buf *err);
    enum err (*doc_find)(struct store *st, enum platform p,
                         enum item_type type, const char *ext_id,
                         enum store_doc_kind kind, int32_t day,
                         store_doc_fn fn, void *ud, struct buf *err);
    enum err (*doc_last_seq)(struct store *st, int64_t *out);
    enum err (*account_day_get)(struct store *st, int64_t account_id,
                                int32_t day, struct store_account_day *out);
    /* health data (store_health.h) */
    enum err (*health_put)(struct store *st, const struct health_batch *b,
                           int64_t now, struct store_health_put *out,
                           struct buf *err);
    enum err (*health_count)(struct store *st, const char *source,
                             struct store_health_counts *out,
                             struct buf *err);
    enum err (*health_remove)(struct store *st, const char *source,
                              struct store_health_counts *out,
                              struct buf *err);
    enum err (*health_days)(struct store *st, const char *from,
                            const char *to, store_health_day_fn fn, void *ud,
                            struct buf *err);
    /* full-text search (store_search.h) */
    enum err (*search)(struct store *st, const struct search_filter *q,
                       store_search_fn fn, void *ud, int64_t *total,
                       struct buf *err);
    /* the areas with their own header (all required, never NULL) */
    const struct store_post_ops *post;
    const struct store_slot_ops *slot;
    const struct store_media_ops *media;
    const struct store_notify_ops *notify;
    const struct store_token_ops *token;
    const struct store_copy_ops *copy; /* NULL: no `db copy` */
};

/* The calendar day of T in ZONE (days since 1970-01-01 of that
 * calendar), and the first second of DAY there; plain UTC arithmetic when
 * UTC is true (ZONE is then not read). Pure helpers for every backend's
 * day_of and day_start (store_zone.c). */
int32_t store_zone_day(const struct tz *zone, bool utc, int64_t t);
int64_t store_zone_day_start(const struct tz *zone, bool utc, int32_t day);

struct store {
    const struct store_ops *ops;
    /* What the last store_refresh read (store_refreshed_generation). */
    int64_t refreshed_gen;
    bool refreshed; /* false before the first refresh and after a failed one */
    store_progress_fn progress; /* store_set_progress, or NULL */
    void *progress_ud;
};

/* A public function whose op the backend leaves NULL (a backend still
 * being written: PostgreSQL, docs/postgresql.md) answers ERR_UNSUPPORTED
 * with "<function> is not available on <backend> yet" in err (when the
 * function has one) instead of calling through NULL. store.c and
 * store_areas.c put STORE_NEED first in every dispatching function but
 * those that cannot fail (day_of, day_start, rollup_zone: every backend
 * has them). */
enum err store_unsupported(const struct store *st, const char *fn,
                           struct buf *err);
#define STORE_NEED(st, member, err)                                           \
    do {                                                                      \
        if ((st)->ops->member == NULL)                                        \
            return store_unsupported((st), __func__, (err));                  \
    } while (0)

/* Embedded migrations (generated from sql/NNNN_*.sql at build time). */
struct embedded_file {
    const char *name;
    const char *text;
    size_t len;
};
extern const struct embedded_file store_migrations[];
/* The PostgreSQL backend's own migrations (src/store/pg/sql/NNNN_*.sql). */
extern const struct embedded_file store_pg_migrations[];

enum err store_sqlite_open(const char *path, struct store **out,
                           struct buf *err);

/* What a backend does with a target (a path, a URI) rather than with an
 * open handle: opening it, and the file-level work of store.h and
 * store_backup.h (peek at the schema without migrating, share with a
 * group, backup, verify, whether it is in use, doctor's facts), which
 * must not migrate or prepare anything. store_target.c picks the backend
 * of a target (store_backend_for) and dispatches the public functions of
 * the same names to it; each member keeps that function's contract. */
struct store_backend {
    const char *name;
    /* Whether target is this backend's (a URI scheme, say). NULL: the
     * fallback, for a target no other backend claims (SQLite: a path). */
    bool (*claims)(const char *target);
    enum err (*open)(const char *target, struct store **out,
                     struct buf *err);
    enum err (*schema_peek)(const char *target, int *out, struct buf *err);
    /* The newest schema version of this backend's migrations (NULL: the
     * SQLite numbering, store_schema_latest). */
    int (*schema_latest)(void);
    /* target for messages, without a password; caller frees (NULL: the
     * target as it is, a path). */
    char *(*display)(const char *target);
    enum err (*share_group)(const char *target, const char *group,
                            struct buf *err);
    enum err (*backup_copy)(const char *src, const char *dest,
                            store_progress_fn fn, void *ud,
                            struct store_counts *src_counts,
                            struct buf *err);
    enum err (*verify)(const char *target, bool quick,
                       struct store_counts *out, struct buf *err);
    enum err (*in_use)(const char *target, bool *out, long *pid,
                       struct buf *err);
    enum err (*facts_read)(const char *target, int64_t due_before,
                           struct store_facts *out, struct buf *err);
};
/* The backend whose target this is; never NULL (SQLite takes the rest). */
const struct store_backend *store_backend_for(const char *target);
extern const struct store_backend store_sqlite_backend;
/* src/store/pg: postgresql:// and postgres:// URIs, and the bare word
 * "postgresql:" (the connection from the PG* environment variables). */
extern const struct store_backend store_pg_backend;

/* The SQLite backend's target functions (store_backup.c, store_schema.c,
 * store_file.c). */
enum err sq_schema_peek(const char *path, int *out, struct buf *err);
enum err sq_share_group(const char *target, const char *group,
                        struct buf *err);
enum err sq_backup_copy(const char *src, const char *dest,
                        store_progress_fn fn, void *ud,
                        struct store_counts *src_counts, struct buf *err);
enum err sq_verify(const char *path, bool quick, struct store_counts *out,
                   struct buf *err);
enum err sq_in_use(const char *path, bool *out, long *pid, struct buf *err);
enum err sq_facts_read(const char *path, int64_t due_before,
                       struct store_facts *out, struct buf *err);

/* store_file.c: before SQLite opens path, create it mode 0600 (exactly,
 * whatever the umask) when it is missing, so that its -wal, -shm and
 * -journal, which SQLite creates with the main file's mode, are 0600 too.
 * An existing file, -wal, -shm or -journal that others may read or write
 * is made 0600 with a warning; group bits alone are left as they are
 * (store_share_group sets them). ERR_IO naming path when it cannot be
 * created (store_open answers ERR_DB then). */
enum err store_file_prepare(const char *path, struct buf *err);

#endif
