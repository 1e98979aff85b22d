/* Private to src/store: the backend ops table (STYLE.md 10). Each backend
 * defines a struct whose first member is struct store. */
#ifndef MEDIADASH_STORE_IMPL_H
#define MEDIADASH_STORE_IMPL_H

#include "store/store.h"

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
    enum err (*refresh)(struct store *st, int64_t *gen); /* gen: as read */
    enum err (*set_rollup_zone)(struct store *st, const char *name,
                                struct buf *err);
    enum err (*small_cache)(struct store *st);
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
    enum err (*top_gains)(struct store *st, const char *metric, int platform,
                          int32_t from, int32_t to, size_t limit,
                          struct store_ranked **out, size_t *n);
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
    enum err (*ig_dropped_add)(struct store *st, const char *account,
                               const char *kind, const char *metric,
                               int64_t at);
    enum err (*ig_dropped_list)(struct store *st, const char *account,
                                int64_t since, store_ig_dropped_fn fn,
                                void *ud);
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
};

struct store {
    const struct store_ops *ops;
    /* What the last store_refresh read (store_refreshed_generation). */
    int64_t refreshed_gen;
    bool refreshed; /* false before the first refresh and after a failed one */
    store_progress_fn progress; /* store_set_progress, or NULL */
    void *progress_ud;
};

/* Embedded migrations (generated from sql/NNNN_*.sql at build time). */
struct embedded_file {
    const char *name;
    const char *text;
    size_t len;
};
extern const struct embedded_file store_migrations[];

enum err store_sqlite_open(const char *path, struct store **out,
                           struct buf *err);

/* store_file.c: before SQLite opens path, create it mode 0600 (exactly,
 * whatever the umask) when it is missing, so that its -wal, -shm and
 * -journal, which SQLite creates with the main file's mode, are 0600 too.
 * An existing file, -wal, -shm or -journal that others may read or write
 * is made 0600 with a warning; group bits alone are left as they are
 * (store_share_group sets them). ERR_IO naming path when it cannot be
 * created (store_open answers ERR_DB then). */
enum err store_file_prepare(const char *path, struct buf *err);

#endif
