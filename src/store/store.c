#include "store/store.h"

#include <stdlib.h>
#include <string.h>

#include "core/timeutil.h"
#include "store/store_impl.h"

#include <stdlib.h>

#include "core/alloc.h"

enum err store_unsupported(const struct store *st, const char *fn,
                           struct buf *err)
{
    if (err != NULL)
        buf_setf(err, "%s is not available on %s yet", fn, st->ops->name);
    return ERR_UNSUPPORTED;
}

enum store_fault store_fault(struct store *st)
{
    return st == NULL ? STORE_FAULT_OTHER : st->ops->fault(st);
}

void store_close(struct store *st)
{
    if (st != NULL)
        st->ops->close(st);
}

enum err store_schema_version(struct store *st, int *out)
{
    STORE_NEED(st, schema_version, NULL);
    return st->ops->schema_version(st, out);
}

enum err store_ingest(struct store *st, const struct batch *b,
                      const struct import_meta *meta,
                      struct ingest_stats *out, struct buf *err)
{
    STORE_NEED(st, ingest, err);
    return st->ops->ingest(st, b, meta, out, err);
}

void store_set_progress(struct store *st, store_progress_fn fn, void *ud)
{
    st->progress = fn;
    st->progress_ud = ud;
}

enum err store_rollup_rebuild(struct store *st, struct buf *err)
{
    STORE_NEED(st, rollup_rebuild, err);
    return st->ops->rollup_rebuild(st, err);
}

enum err store_refresh(struct store *st)
{
    int64_t gen = 0;
    enum err rc = st->ops->refresh(st, &gen);

    st->refreshed = rc == ERR_OK;
    st->refreshed_gen = gen;
    return rc;
}

bool store_refreshed_generation(const struct store *st, int64_t *out)
{
    *out = st->refreshed_gen;
    return st->refreshed;
}

enum err store_generation(struct store *st, int64_t *out)
{
    STORE_NEED(st, generation, NULL);
    return st->ops->generation(st, out);
}

enum err store_read_begin(struct store *st, struct buf *err)
{
    STORE_NEED(st, read_begin, err);
    return st->ops->read_begin(st, err);
}

void store_read_end(struct store *st)
{
    if (st->ops->read_end != NULL)
        st->ops->read_end(st);
}

const struct tz *store_rollup_zone(struct store *st)
{
    return st->ops->rollup_zone(st);
}

enum err store_set_rollup_zone(struct store *st, const char *name,
                               struct buf *err)
{
    STORE_NEED(st, set_rollup_zone, err);
    return st->ops->set_rollup_zone(st, name, err);
}

enum err store_small_cache(struct store *st)
{
    STORE_NEED(st, small_cache, NULL);
    return st->ops->small_cache(st);
}

bool store_can_wake(struct store *st)
{
    return st->ops->can_wake != NULL && st->ops->can_wake(st);
}

enum err store_listen(struct store *st, enum store_wake_channel ch,
                      struct buf *err)
{
    STORE_NEED(st, listen, err);
    if ((unsigned)ch >= STORE_WAKE_COUNT) {
        buf_setf(err, "no wake-up channel %d", (int)ch);
        return ERR_INVALID;
    }
    return st->ops->listen(st, ch, err);
}

enum err store_wake(struct store *st, enum store_wake_channel ch,
                    struct buf *err)
{
    STORE_NEED(st, wake, err);
    if ((unsigned)ch >= STORE_WAKE_COUNT) {
        buf_setf(err, "no wake-up channel %d", (int)ch);
        return ERR_INVALID;
    }
    return st->ops->wake(st, ch, err);
}

enum err store_wait(struct store *st, int timeout_ms, bool *woken,
                    struct buf *err)
{
    *woken = false;
    STORE_NEED(st, wait, err);
    if (timeout_ms < 0 || timeout_ms > STORE_WAIT_MAX_MS) {
        buf_setf(err, "wait of %d ms: not within 0..%d", timeout_ms,
                 STORE_WAIT_MAX_MS);
        return ERR_INVALID;
    }
    return st->ops->wait(st, timeout_ms, woken, err);
}

enum err store_sole_account(struct store *st, enum platform p, char **out)
{
    STORE_NEED(st, sole_account, NULL);
    return st->ops->sole_account(st, p, out);
}

enum err store_list_items(struct store *st, const struct item_query *q,
                          store_item_fn fn, void *ud, struct buf *err)
{
    STORE_NEED(st, list_items, err);
    return st->ops->list_items(st, q, fn, ud, err);
}

enum err store_count_items(struct store *st, const struct item_query *q,
                           int64_t *out)
{
    STORE_NEED(st, count_items, NULL);
    return st->ops->count_items(st, q, out);
}

enum err store_item_history(struct store *st, const char *ref,
                            struct item **out, struct buf *err)
{
    const struct history_query all = {TIME_NONE, TIME_NONE, 0};
    STORE_NEED(st, item_history, err);
    return st->ops->item_history(st, ref, &all, out, NULL, err);
}

enum err store_item_find(struct store *st, const char *ref, struct item **out,
                         struct buf *err)
{
    const struct history_query none = {0, 0, 0}; /* an empty window */
    STORE_NEED(st, item_history, err);
    return st->ops->item_history(st, ref, &none, out, NULL, err);
}

enum err store_item_history_range(struct store *st, const char *ref,
                                  const struct history_query *q,
                                  struct item **out, bool *truncated,
                                  struct buf *err)
{
    STORE_NEED(st, item_history, err);
    return st->ops->item_history(st, ref, q, out, truncated, err);
}

enum err store_export_values(struct store *st, const struct export_query *q,
                             store_row_fn fn, void *ud, struct buf *err)
{
    STORE_NEED(st, export_values, err);
    return st->ops->export_values(st, q, fn, ud, err);
}

int32_t store_day_of(struct store *st, int64_t t)
{
    return st->ops->day_of(st, t);
}

int64_t store_day_start(struct store *st, int32_t day)
{
    return st->ops->day_start(st, day);
}

enum err store_content_day_gains(struct store *st, const char *metric,
                                 int platform, int32_t from, int32_t to,
                                 store_content_ids_fn ids,
                                 store_day_gain_fn fn, void *ud)
{
    STORE_NEED(st, content_day_gains, NULL);
    return st->ops->content_day_gains(st, metric, platform, from, to, ids, fn,
                                      ud);
}

enum err store_item_days(struct store *st, int64_t item_id,
                         const char *metric, int32_t from, int32_t to,
                         struct store_day **out, size_t *n)
{
    STORE_NEED(st, item_days, NULL);
    return st->ops->item_days(st, item_id, metric, from, to, out, n);
}

enum err store_item_gain_sum(struct store *st, int64_t item_id,
                             const char *metric, int32_t from, int32_t to,
                             int64_t *sum, bool *any)
{
    STORE_NEED(st, item_gain_sum, NULL);
    return st->ops->item_gain_sum(st, item_id, metric, from, to, sum, any);
}

enum err store_content_sums(struct store *st, int platform,
                            store_content_sum_fn fn,
                            void *ud)
{
    STORE_NEED(st, content_sums, NULL);
    return st->ops->content_sums(st, platform, fn, ud);
}

enum err store_account_sums(struct store *st, int platform,
                            store_account_sum_fn fn, void *ud)
{
    STORE_NEED(st, account_sums, NULL);
    return st->ops->account_sums(st, platform, fn, ud);
}

enum err store_account_gains(struct store *st, const char *metric,
                             int platform, int32_t from, int32_t to,
                             store_gain_fn fn, void *ud)
{
    STORE_NEED(st, account_gains, NULL);
    return st->ops->account_gains(st, metric, platform, from, to, fn, ud);
}

enum err store_item_by_id(struct store *st, int64_t id, struct item **out)
{
    STORE_NEED(st, item_by_id, NULL);
    return st->ops->item_by_id(st, id, out);
}

/* ---- users and sessions ---------------------------------------------- */

void store_user_free(struct store_user *u)
{
    if (u == NULL)
        return;
    free(u->name);
    free(u->pw_hash);
    u->name = u->pw_hash = NULL;
}

void store_session_free(struct store_session *s)
{
    if (s == NULL)
        return;
    free(s->user);
    free(s->csrf);
    s->user = s->csrf = NULL;
}

enum err store_user_add(struct store *st, const char *name,
                        const char *pw_hash, int64_t now, int64_t *id_out)
{
    STORE_NEED(st, user_add, NULL);
    return st->ops->user_add(st, name, pw_hash, now, id_out);
}

enum err store_user_get(struct store *st, const char *name,
                        struct store_user *out)
{
    STORE_NEED(st, user_get, NULL);
    return st->ops->user_get(st, name, out);
}

enum err store_user_set_password(struct store *st, const char *name,
                                 const char *pw_hash)
{
    STORE_NEED(st, user_set_password, NULL);
    return st->ops->user_set_password(st, name, pw_hash);
}

enum err store_user_del(struct store *st, const char *name)
{
    STORE_NEED(st, user_del, NULL);
    return st->ops->user_del(st, name);
}

enum err store_user_list(struct store *st, store_user_fn fn, void *ud)
{
    STORE_NEED(st, user_list, NULL);
    return st->ops->user_list(st, fn, ud);
}

enum err store_user_count(struct store *st, int64_t *out)
{
    STORE_NEED(st, user_count, NULL);
    return st->ops->user_count(st, out);
}

enum err store_session_add(struct store *st, const char *key,
                           int64_t user_id, const char *csrf, int64_t now)
{
    STORE_NEED(st, session_add, NULL);
    return st->ops->session_add(st, key, user_id, csrf, now);
}

enum err store_session_get(struct store *st, const char *key, int64_t now,
                           const struct store_session_limits *lim,
                           struct store_session *out)
{
    STORE_NEED(st, session_get, NULL);
    return st->ops->session_get(st, key, now, lim, out);
}

enum err store_session_touch(struct store *st, const char *key, int64_t now)
{
    STORE_NEED(st, session_touch, NULL);
    return st->ops->session_touch(st, key, now);
}

enum err store_session_del(struct store *st, const char *key)
{
    STORE_NEED(st, session_del, NULL);
    return st->ops->session_del(st, key);
}

enum err store_session_purge(struct store *st, int64_t now,
                             const struct store_session_limits *lim,
                             int64_t *n)
{
    STORE_NEED(st, session_purge, NULL);
    return st->ops->session_purge(st, now, lim, n);
}

enum err store_gauges_read(struct store *st, int64_t now,
                           const struct store_session_limits *lim,
                           struct store_gauges *out)
{
    STORE_NEED(st, gauges_read, NULL);
    return st->ops->gauges_read(st, now, lim, out);
}

const char *cred_status_name(enum cred_status s)
{
    return s == CRED_NEEDS_RELOGIN ? "needs_relogin" : "ok";
}

void store_cred_free(struct store_cred *c)
{
    if (c == NULL)
        return;
    FREE_AND_NULL(c->account);
    FREE_AND_NULL(c->access_sealed);
    FREE_AND_NULL(c->refresh_sealed);
    FREE_AND_NULL(c->scopes);
    FREE_AND_NULL(c->last_error);
    FREE_AND_NULL(c->renew_error);
    FREE_AND_NULL(c->login);
}

enum err store_cred_set_renew_error(struct store *st, enum platform p,
                                    const char *account, const char *why,
                                    struct buf *err)
{
    STORE_NEED(st, cred_set_renew_error, err);
    return st->ops->cred_set_renew_error(st, p, account, why, err);
}

enum err store_cred_put(struct store *st, const struct store_cred *c,
                        struct buf *err)
{
    STORE_NEED(st, cred_put, err);
    return st->ops->cred_put(st, c, err);
}

enum err store_cred_get(struct store *st, enum platform p,
                        const char *account, struct store_cred *out,
                        struct buf *err)
{
    STORE_NEED(st, cred_get, err);
    return st->ops->cred_get(st, p, account, out, err);
}

enum err store_cred_set_status(struct store *st, enum platform p,
                               const char *account, enum cred_status s,
                               const char *last_error, int64_t now,
                               struct buf *err)
{
    STORE_NEED(st, cred_set_status, err);
    return st->ops->cred_set_status(st, p, account, s, last_error, now, err);
}

enum err store_cred_list(struct store *st, store_cred_fn fn, void *ud,
                         struct buf *err)
{
    STORE_NEED(st, cred_list, err);
    return st->ops->cred_list(st, fn, ud, err);
}

void store_oauth_state_free(struct store_oauth_state *s)
{
    if (s == NULL)
        return;
    FREE_AND_NULL(s->account);
    FREE_AND_NULL(s->verifier_sealed);
    FREE_AND_NULL(s->login);
}

enum err store_oauth_state_put(struct store *st, const char *state,
                               const struct store_oauth_state *s,
                               int64_t now, struct buf *err)
{
    STORE_NEED(st, oauth_state_put, err);
    return st->ops->oauth_state_put(st, state, s, now, err);
}

enum err store_oauth_state_take(struct store *st, const char *state,
                                int64_t now, struct store_oauth_state *out,
                                struct buf *err)
{
    STORE_NEED(st, oauth_state_take, err);
    return st->ops->oauth_state_take(st, state, now, out, err);
}

const char *store_pending_status_name(enum store_pending_status s)
{
    static const char *const names[] = {"queued", "running", "ok", "error"};
    return (unsigned)s < 4 ? names[s] : "error";
}

void store_oauth_pending_free(struct store_oauth_pending *p)
{
    if (p == NULL)
        return;
    FREE_AND_NULL(p->state);
    if (p->code_sealed != NULL)
        memset(p->code_sealed, 0, strlen(p->code_sealed));
    FREE_AND_NULL(p->code_sealed);
    FREE_AND_NULL(p->account);
    FREE_AND_NULL(p->message);
}

enum err store_oauth_pending_add(struct store *st, const char *state,
                                 const char *code_sealed, int64_t now,
                                 int64_t *id_out, struct buf *err)
{
    STORE_NEED(st, oauth_pending_add, err);
    return st->ops->oauth_pending_add(st, state, code_sealed, now, id_out,
                                      err);
}

enum err store_oauth_pending_claim(struct store *st, int64_t now,
                                   int64_t stale_before,
                                   struct store_oauth_pending *out,
                                   struct buf *err)
{
    STORE_NEED(st, oauth_pending_claim, err);
    return st->ops->oauth_pending_claim(st, now, stale_before, out, err);
}

enum err store_oauth_pending_done(struct store *st, int64_t id, bool ok,
                                  const char *account, const char *message,
                                  int64_t now, struct buf *err)
{
    STORE_NEED(st, oauth_pending_done, err);
    return st->ops->oauth_pending_done(st, id, ok, account, message, now,
                                       err);
}

enum err store_oauth_pending_list(struct store *st, int64_t since,
                                  int limit, store_pending_fn fn, void *ud,
                                  struct buf *err)
{
    STORE_NEED(st, oauth_pending_list, err);
    return st->ops->oauth_pending_list(st, since, limit, fn, ud, err);
}

/* ---- collector state ---------------------------------------------------- */

const char *job_kind_name(enum job_kind k)
{
    return k == JOB_CONTENT ? "content" : "account";
}

const char *job_status_name(enum job_status s)
{
    static const char *const names[JOB_STATUS_COUNT] = {
        "ok", "rate_limited", "quota_exceeded", "auth_needed", "failed"};
    return (unsigned)s < JOB_STATUS_COUNT ? names[s] : "failed";
}

void store_job_free(struct store_job *j)
{
    if (j == NULL)
        return;
    FREE_AND_NULL(j->account);
    FREE_AND_NULL(j->last_error);
}

enum err store_job_get(struct store *st, enum platform p, const char *account,
                       enum job_kind kind, struct store_job *out)
{
    STORE_NEED(st, job_get, NULL);
    return st->ops->job_get(st, p, account, kind, out);
}

enum err store_job_put(struct store *st, const struct store_job *j)
{
    STORE_NEED(st, job_put, NULL);
    return st->ops->job_put(st, j);
}

enum err store_job_list(struct store *st, store_job_fn fn, void *ud)
{
    STORE_NEED(st, job_list, NULL);
    return st->ops->job_list(st, fn, ud);
}

enum err store_quota_get(struct store *st, enum platform p, int64_t day_start,
                         int64_t *out)
{
    STORE_NEED(st, quota_get, NULL);
    return st->ops->quota_get(st, p, day_start, out);
}

enum err store_quota_add(struct store *st, enum platform p, int64_t day_start,
                         int64_t units)
{
    STORE_NEED(st, quota_add, NULL);
    return st->ops->quota_add(st, p, day_start, units);
}

enum err store_item_sched_put(struct store *st,
                              const struct store_item_sched *s)
{
    STORE_NEED(st, item_sched_put, NULL);
    return st->ops->item_sched_put(st, s);
}

enum err store_age_rows(struct store *st, const char *metric,
                        store_age_row_fn fn, void *ud)
{
    STORE_NEED(st, age_rows, NULL);
    return st->ops->age_rows(st, metric, fn, ud);
}

enum err store_values_at_age(struct store *st, const char *metric,
                             enum platform p, int64_t exclude_id,
                             int32_t age, store_value_fn fn, void *ud)
{
    STORE_NEED(st, values_at_age, NULL);
    return st->ops->values_at_age(st, metric, p, exclude_id, age, fn, ud);
}

enum err store_item_set_removed(struct store *st, enum platform p,
                                const char *ext_id, bool removed)
{
    STORE_NEED(st, item_set_removed, NULL);
    return st->ops->item_set_removed(st, p, ext_id, removed);
}

enum err store_item_links(struct store *st, enum platform p,
                          const char *ext_id, size_t limit, store_link_fn fn,
                          void *ud)
{
    STORE_NEED(st, item_links, NULL);
    return st->ops->item_links(st, p, ext_id, limit, fn, ud);
}

enum err store_item_sched_has(struct store *st, enum platform p,
                              const char *account, const char *item_id,
                              bool *out)
{
    STORE_NEED(st, item_sched_has, NULL);
    return st->ops->item_sched_has(st, p, account, item_id, out);
}

enum err store_item_sched_due(struct store *st, enum platform p,
                              const char *account, int64_t now, size_t limit,
                              store_item_sched_fn fn, void *ud)
{
    STORE_NEED(st, item_sched_due, NULL);
    return st->ops->item_sched_due(st, p, account, now, limit, fn, ud);
}

enum err store_item_sched_stats(struct store *st, int platform,
                                const char *account, int64_t *count,
                                int64_t *soonest)
{
    STORE_NEED(st, item_sched_stats, NULL);
    return st->ops->item_sched_stats(st, platform, account, count, soonest);
}

enum err store_usage_put(struct store *st, enum platform p,
                         const char *account, int pct, int64_t at)
{
    STORE_NEED(st, usage_put, NULL);
    return st->ops->usage_put(st, p, account, pct, at);
}

enum err store_usage_get(struct store *st, enum platform p,
                         const char *account, int *pct, int64_t *at)
{
    STORE_NEED(st, usage_get, NULL);
    return st->ops->usage_get(st, p, account, pct, at);
}

enum err store_dropped_metric_add(struct store *st, enum platform p,
                                  const char *account, const char *kind,
                                  const char *metric, int64_t at)
{
    STORE_NEED(st, dropped_metric_add, NULL);
    return st->ops->dropped_metric_add(st, p, account, kind, metric, at);
}

enum err store_dropped_metric_list(struct store *st, enum platform p,
                                   const char *account, int64_t since,
                                   store_dropped_metric_fn fn, void *ud)
{
    STORE_NEED(st, dropped_metric_list, NULL);
    return st->ops->dropped_metric_list(st, p, account, since, fn, ud);
}

enum err store_imports_list(struct store *st, store_import_fn fn, void *ud)
{
    STORE_NEED(st, imports_list, NULL);
    return st->ops->imports_list(st, fn, ud);
}

enum err store_audit_list(struct store *st, store_audit_fn fn, void *ud)
{
    STORE_NEED(st, audit_list, NULL);
    return st->ops->audit_list(st, fn, ud);
}

enum err store_import_remove(struct store *st, int64_t id, const char *who,
                             int64_t now, struct store_removed *out,
                             struct buf *err)
{
    STORE_NEED(st, import_remove, err);
    return st->ops->import_remove(st, id, who, now, out, err);
}

enum err store_account_remove(struct store *st, enum platform p,
                              const char *ext_id, const char *who,
                              int64_t now, struct store_removed *out,
                              struct buf *err)
{
    STORE_NEED(st, account_remove, err);
    return st->ops->account_remove(st, p, ext_id, who, now, out, err);
}

enum err store_account_set_role(struct store *st, enum platform p,
                                const char *ext_id, bool tracked,
                                const char *who, int64_t now,
                                int64_t *changed, struct buf *err)
{
    STORE_NEED(st, account_set_role, err);
    return st->ops->account_set_role(st, p, ext_id, tracked, who, now,
                                     changed, err);
}

enum err store_account_compare(struct store *st, int32_t from, int32_t to,
                               store_account_cmp_fn fn, void *ud)
{
    STORE_NEED(st, account_compare, NULL);
    return st->ops->account_compare(st, from, to, fn, ud);
}

enum err store_doc_changes(struct store *st, const struct store_doc_query *q,
                           store_doc_fn fn, void *ud, struct buf *err)
{
    STORE_NEED(st, doc_changes, err);
    return st->ops->doc_changes(st, q, fn, ud, err);
}

enum err store_doc_last_seq(struct store *st, int64_t *out)
{
    STORE_NEED(st, doc_last_seq, NULL);
    return st->ops->doc_last_seq(st, out);
}

enum err store_search(struct store *st, const struct search_filter *q,
                      store_search_fn fn, void *ud, int64_t *total,
                      struct buf *err)
{
    if (total != NULL)
        *total = 0;
    STORE_NEED(st, search, err);
    return st->ops->search(st, q, fn, ud, total, err);
}

enum err store_account_day_get(struct store *st, int64_t account_id,
                               int32_t day, struct store_account_day *out)
{
    STORE_NEED(st, account_day_get, NULL);
    return st->ops->account_day_get(st, account_id, day, out);
}

enum err store_doc_find(struct store *st, enum platform p,
                        enum item_type type, const char *ext_id,
                        enum store_doc_kind kind, int32_t day,
                        store_doc_fn fn, void *ud, struct buf *err)
{
    STORE_NEED(st, doc_find, err);
    return st->ops->doc_find(st, p, type, ext_id, kind, day, fn, ud, err);
}
