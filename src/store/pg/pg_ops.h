/* Private to src/store/pg: the operational areas of the PostgreSQL
 * backend (users and sessions: pg_auth.c; credentials and OAuth states:
 * pg_cred.c; sign-ins in progress: pg_pending.c; API tokens:
 * pg_token.c; wake-ups: pg_wait.c), each
 * function the PostgreSQL member of the store_ops slot of the same name
 * (store_impl.h), with the contract its public function states. */
#ifndef MEDIADASH_STORE_PG_OPS_H
#define MEDIADASH_STORE_PG_OPS_H

#include "store/pg/store_pg.h"

/* The rows an INSERT/UPDATE/DELETE result says it changed (0 when it
 * says nothing readable). */
int64_t pg_changes(const PGresult *res);

/* pg_auth.c */
enum err pg_user_add(struct store *st, const char *name, const char *pw_hash,
                     int64_t now, int64_t *id_out);
enum err pg_user_get(struct store *st, const char *name,
                     struct store_user *out);
enum err pg_user_set_password(struct store *st, const char *name,
                              const char *pw_hash);
enum err pg_user_del(struct store *st, const char *name);
enum err pg_user_list(struct store *st, store_user_fn fn, void *ud);
enum err pg_user_count(struct store *st, int64_t *out);
enum err pg_session_add(struct store *st, const char *key, int64_t user_id,
                        const char *csrf, int64_t now);
enum err pg_session_get(struct store *st, const char *key, int64_t now,
                        const struct store_session_limits *lim,
                        struct store_session *out);
enum err pg_session_touch(struct store *st, const char *key, int64_t now);
enum err pg_session_del(struct store *st, const char *key);
enum err pg_session_purge(struct store *st, int64_t now,
                          const struct store_session_limits *lim, int64_t *n);

/* pg_cred.c: credentials and authorization states */
enum err pg_cred_put_op(struct store *st, const struct store_cred *c,
                        struct buf *err);
enum err pg_cred_get_op(struct store *st, enum platform pl,
                        const char *account, struct store_cred *out,
                        struct buf *err);
enum err pg_cred_set_status(struct store *st, enum platform pl,
                            const char *account, enum cred_status cs,
                            const char *last_error, int64_t now,
                            struct buf *err);
enum err pg_cred_set_renew_error(struct store *st, enum platform pl,
                                 const char *account, const char *why,
                                 struct buf *err);
enum err pg_cred_list_op(struct store *st, store_cred_fn fn, void *ud,
                         struct buf *err);
enum err pg_oauth_state_put(struct store *st, const char *state,
                            const struct store_oauth_state *os, int64_t now,
                            struct buf *err);
enum err pg_oauth_state_take(struct store *st, const char *state,
                             int64_t now, struct store_oauth_state *out,
                             struct buf *err);

/* pg_pending.c: sign-ins finished off the request thread */
enum err pg_oauth_pending_add(struct store *st, const char *state,
                              const char *code_sealed, int64_t now,
                              int64_t *id_out, struct buf *err);
enum err pg_oauth_pending_claim(struct store *st, int64_t now,
                                int64_t stale_before,
                                struct store_oauth_pending *out,
                                struct buf *err);
enum err pg_oauth_pending_done(struct store *st, int64_t id, bool ok,
                               const char *account, const char *message,
                               int64_t now, struct buf *err);
enum err pg_oauth_pending_list(struct store *st, int64_t since, int limit,
                               store_pending_fn fn, void *ud,
                               struct buf *err);

/* pg_wait.c: wake-ups with LISTEN/NOTIFY */
/* pg_target.c: the target functions (store_backup.h) */
enum err pg_verify(const char *target, bool quick, struct store_counts *out,
                   struct buf *err);
enum err pg_facts_read(const char *target, int64_t due_before,
                       struct store_facts *out, struct buf *err);
enum err pg_in_use(const char *target, bool *out, long *pid,
                   struct buf *err);
enum err pg_share_group(const char *target, const char *group,
                        struct buf *err);
enum err pg_backup_copy(const char *src, const char *dest,
                        store_progress_fn fn, void *ud,
                        struct store_counts *src_counts, struct buf *err);

bool pg_can_wake(struct store *st);
enum err pg_listen(struct store *st, enum store_wake_channel ch,
                   struct buf *err);
enum err pg_wake(struct store *st, enum store_wake_channel ch,
                 struct buf *err);
enum err pg_wait(struct store *st, int timeout_ms, bool *woken,
                 struct buf *err);

/* pg_rollup.c, pg_rollup_query.c: the daily rollups and their reads
 * (pgroll) */
enum err pg_rollup_rebuild(struct store *st, struct buf *err);
enum err pg_set_rollup_zone(struct store *st, const char *name,
                            struct buf *err);
enum err pg_item_days(struct store *st, int64_t item_id, const char *metric,
                      int32_t from, int32_t to, struct store_day **out,
                      size_t *n);
enum err pg_item_gain_sum(struct store *st, int64_t item_id,
                          const char *metric, int32_t from, int32_t to,
                          int64_t *sum, bool *any);
enum err pg_content_sums(struct store *st, int platform,
                         store_content_sum_fn fn, void *ud);
enum err pg_account_sums(struct store *st, int platform,
                         store_account_sum_fn fn, void *ud);
enum err pg_account_gains(struct store *st, const char *metric, int platform,
                          int32_t from, int32_t to, store_gain_fn fn,
                          void *ud);
enum err pg_content_day_gains(struct store *st, const char *metric,
                              int platform, int32_t from, int32_t to,
                              store_content_ids_fn ids, store_day_gain_fn fn,
                              void *ud);
enum err pg_values_at_age(struct store *st, const char *metric,
                          enum platform p, int64_t exclude_id, int32_t age,
                          store_value_fn fn, void *ud);
enum err pg_age_rows(struct store *st, const char *metric,
                     store_age_row_fn fn, void *ud);
enum err pg_account_compare(struct store *st, int32_t from, int32_t to,
                            store_account_cmp_fn fn, void *ud);
enum err pg_account_day_get(struct store *st, int64_t account_id,
                            int32_t day, struct store_account_day *out);
/* pgposts: posts (pg_post.c, pg_post_claim.c, pg_post_read.c,
 * pg_post_edit.c), slots (pg_slots.c), media (pg_media.c) and
 * notifications (pg_notify.c) */
enum err pg_post_add(struct store *st, const struct post *p, int64_t now,
                     int64_t *id_out, struct buf *err);
enum err pg_post_get(struct store *st, int64_t id, struct post *out);
enum err pg_post_list(struct store *st, const struct post_query *q,
                      store_post_fn fn, void *ud);
enum err pg_post_events(struct store *st, int64_t id, store_post_event_fn fn,
                        void *ud);
enum err pg_post_transition(struct store *st, int64_t id,
                            enum post_state from, enum post_state to,
                            const struct post_change *ch, const char *note,
                            int64_t now, struct buf *err);
enum err pg_post_set_progress(struct store *st, int64_t id,
                              const char *worker, const char *progress,
                              int64_t now, struct buf *err);
enum err pg_post_move(struct store *st, int64_t id, enum post_state to,
                      const char *note, int64_t now,
                      enum post_state *from_out, struct buf *err);
enum err pg_post_claim_due(struct store *st, const char *worker,
                           const char *platforms, int64_t now,
                           int64_t lease_s, size_t limit, int64_t **out,
                           size_t *n, struct buf *err);
enum err pg_post_expire_leases(struct store *st, int64_t now, size_t *back,
                               size_t *check, struct buf *err);
enum err pg_post_edit(struct store *st, int64_t id, int64_t version,
                      const struct post *p, const char *by,
                      const char *changes, int64_t now,
                      int64_t *version_out, struct buf *err);
enum err pg_post_edits(struct store *st, int64_t id, store_post_edit_fn fn,
                       void *ud);

/* pg_slots.c */
enum err pg_slot_list_op(struct store *st, const char *platform,
                         const char *account, store_slot_fn fn, void *ud,
                         struct buf *err);
enum err pg_slot_get_op(struct store *st, int64_t id, struct slot *out,
                        struct buf *err);
enum err pg_slot_add_op(struct store *st, const struct slot *x, int64_t now,
                        int64_t *id_out, struct buf *err);
enum err pg_slot_update_op(struct store *st, int64_t id, int weekday,
                           int minute, const char *zone, int64_t now,
                           struct buf *err);
enum err pg_slot_delete_op(struct store *st, int64_t id, struct buf *err);
enum err pg_slot_taken_op(struct store *st, const char *platform,
                          const char *account, const struct slot_when *c,
                          size_t n, bool *taken, struct buf *err);
enum err pg_slot_queue_post_op(struct store *st, struct post *p,
                               const struct slot_when *c, size_t n,
                               int64_t now, int64_t *id_out,
                               size_t *chosen_out, struct buf *err);
/* pg_media.c */
enum err pg_media_put_op(struct store *st, const struct media_row *m,
                         struct buf *err);
enum err pg_media_get_op(struct store *st, const char *sha256,
                         struct media_row *out);
enum err pg_media_list_op(struct store *st, size_t limit, store_media_fn fn,
                          void *ud);
enum err pg_media_uses_op(struct store *st, const char *sha256, int64_t now,
                          int64_t grace_s, store_media_use_fn fn, void *ud);
enum err pg_media_delete_op(struct store *st, const char *sha256, int64_t now,
                            int64_t grace_s, struct buf *err);
/* pg_notify.c */
enum err pg_notify_add_op(struct store *st, const struct notify_event *ev,
                          const char *dedup_key, int64_t now,
                          int64_t *id_out, struct buf *err);
enum err pg_notify_claim_op(struct store *st, enum notify_channel c,
                            int64_t now, int64_t lease_s, size_t limit,
                            int64_t **ids, size_t *n, struct buf *err);
enum err pg_notify_get_op(struct store *st, int64_t id, store_notify_fn fn,
                          void *ud);
enum err pg_notify_result_op(struct store *st, int64_t id,
                             enum notify_channel c,
                             const struct notify_attempt *a, int64_t now,
                             struct buf *err);
enum err pg_notify_off_op(struct store *st, enum notify_channel c, size_t *n,
                          struct buf *err);
enum err pg_notify_next_due_op(struct store *st, int64_t *out);
enum err pg_notify_list_op(struct store *st, size_t limit,
                           store_notify_fn fn, void *ud);
enum err pg_notify_deliveries_op(struct store *st, size_t limit,
                                 store_notify_delivery_fn fn, void *ud);
enum err pg_notify_watch_op(struct store *st, const char *key, int64_t now,
                            int64_t *first_seen, bool *notified,
                            struct buf *err);
enum err pg_notify_watch_mark_op(struct store *st, const char *key,
                                 struct buf *err);
enum err pg_notify_watch_clear_op(struct store *st, const char *prefix,
                                  int64_t now, struct buf *err);
enum err pg_notify_prune_op(struct store *st, int64_t before, size_t *n,
                            struct buf *err);

/* pg_token.c */
extern const struct store_token_ops pg_token_ops;

/* pgrest: search, documents and the rest (pg_rest.c, pg_search.c).
 * pg_rest_ingest: the upkeep of these areas for batch b, inside the
 * ingest's transaction (pg_ingest.c calls it once, after the items and
 * their roles are written; now: the ingest's time, which updated_at holds
 * for every item the batch wrote). */
enum err pg_rest_ingest(struct store_pg *s, const struct batch *b,
                        int64_t now, struct buf *err);
/* The search index rows of b's content items (and their tags). */
enum err pg_search_upkeep(struct store_pg *s, const struct batch *b,
                          int64_t now, struct buf *err);
/* The search's sort keys (item_search_key, migration 0010) computed again
 * from item_latest: of every content item (db copy), or of the items of
 * a removal (its rm_item, pg_remove.c). */
enum err pg_search_rekey_all(struct store_pg *s, struct buf *err);
enum err pg_search_rekey_removal(struct store_pg *s, struct buf *err);
enum err pg_search(struct store *st, const struct search_filter *q,
                   store_search_fn fn, void *ud, int64_t *total,
                   struct buf *err);
/* pg_collect.c: the collector's state */
enum err pg_job_get(struct store *st, enum platform p, const char *account,
                    enum job_kind kind, struct store_job *out);
enum err pg_job_put(struct store *st, const struct store_job *j);
enum err pg_job_list(struct store *st, store_job_fn fn, void *ud);
enum err pg_quota_get(struct store *st, enum platform p, int64_t day_start,
                      int64_t *out);
enum err pg_quota_add(struct store *st, enum platform p, int64_t day_start,
                      int64_t units);
enum err pg_item_sched_put(struct store *st,
                           const struct store_item_sched *s);
enum err pg_item_sched_has(struct store *st, enum platform p,
                           const char *account, const char *item_id,
                           bool *out);
enum err pg_item_sched_due(struct store *st, enum platform p,
                           const char *account, int64_t now, size_t limit,
                           store_item_sched_fn fn, void *ud);
enum err pg_item_sched_stats(struct store *st, int platform,
                             const char *account, int64_t *count,
                             int64_t *soonest);
enum err pg_usage_put(struct store *st, enum platform p, const char *account,
                      int pct, int64_t at);
enum err pg_usage_get(struct store *st, enum platform p, const char *account,
                      int *pct, int64_t *at);
enum err pg_item_set_removed(struct store *st, enum platform p,
                             const char *ext_id, bool removed);
/* pg_links.c: b's links, inside the ingest's transaction; and reading */
enum err pg_links_put(struct store_pg *s, const struct batch *b, int64_t now,
                      struct buf *err);
enum err pg_item_links(struct store *st, enum platform p, const char *ext_id,
                       size_t limit, store_link_fn fn, void *ud);
/* pg_docs.c: documents; their upkeep for batch b at ingest */
enum err pg_docs_upkeep(struct store_pg *s, const struct batch *b,
                        int64_t now, struct buf *err);
enum err pg_doc_changes(struct store *st, const struct store_doc_query *q,
                        store_doc_fn fn, void *ud, struct buf *err);
enum err pg_doc_find(struct store *st, enum platform pl, enum item_type type,
                     const char *ext_id, enum store_doc_kind kind,
                     int32_t day, store_doc_fn fn, void *ud, struct buf *err);
enum err pg_doc_last_seq(struct store *st, int64_t *out);
/* pg_gauges.c */
enum err pg_gauges_read(struct store *st, int64_t now,
                        const struct store_session_limits *lim,
                        struct store_gauges *out);
/* pg_remove.c: taking data back and roles (pgremove) */
enum err pg_import_remove(struct store *st, int64_t id, const char *who,
                          int64_t now, struct store_removed *out,
                          struct buf *err);
enum err pg_account_remove(struct store *st, enum platform p,
                           const char *ext_id, const char *who, int64_t now,
                           struct store_removed *out, struct buf *err);
enum err pg_account_set_role(struct store *st, enum platform p,
                             const char *ext_id, bool tracked,
                             const char *who, int64_t now, int64_t *changed,
                             struct buf *err);
/* pg_read.c: reads at one state (webfin) */
enum err pg_read_begin(struct store *st, struct buf *err);
void pg_read_end(struct store *st);

/* pg_health.c: health data (store_health.h) */
enum err pg_health_put(struct store *st, const struct health_batch *b,
                       int64_t now, struct store_health_put *out,
                       struct buf *err);
enum err pg_health_count(struct store *st, const char *source,
                         struct store_health_counts *out, struct buf *err);
enum err pg_health_remove(struct store *st, const char *source,
                          struct store_health_counts *out, struct buf *err);
enum err pg_health_days(struct store *st, const char *from, const char *to,
                        store_health_day_fn fn, void *ud, struct buf *err);
/* pg_dropped.c: the collector's memory of refused metrics */
enum err pg_dropped_metric_add(struct store *st, enum platform p,
                               const char *account, const char *kind,
                               const char *metric, int64_t at);
enum err pg_dropped_metric_list(struct store *st, enum platform p,
                                const char *account, int64_t since,
                                store_dropped_metric_fn fn, void *ud);

#endif
