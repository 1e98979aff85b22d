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
bool pg_can_wake(struct store *st);
enum err pg_listen(struct store *st, enum store_wake_channel ch,
                   struct buf *err);
enum err pg_wake(struct store *st, enum store_wake_channel ch,
                 struct buf *err);
enum err pg_wait(struct store *st, int timeout_ms, bool *woken,
                 struct buf *err);

/* pg_token.c */
extern const struct store_token_ops pg_token_ops;

/* pg_read.c: reads at one state (webfin) */
enum err pg_read_begin(struct store *st, struct buf *err);
void pg_read_end(struct store *st);

#endif
