/* API tokens in the store (migration 0025): per token its name, scope,
 * times and the hex SHA-256 of its secret (the key), never the token
 * itself. Each function dispatches to the backend's token ops
 * (store_impl.h; SQLite: store_sqlite_token.c). Times are injected (seconds since the epoch) so callers
 * and tests own the clock. */
#ifndef MEDIADASH_STORE_TOKEN_H
#define MEDIADASH_STORE_TOKEN_H

#include <stdbool.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/err.h"
#include "store/store.h"

#define STORE_TOKEN_KEY_CHARS 64 /* hex SHA-256 */
#define STORE_TOKENS_MAX 1000    /* live tokens at most (add refuses more) */

/* One token. Strings are owned (store_token_free) when the store fills
 * the struct, borrowed when the caller passes one to store_token_add. */
struct store_token {
    int64_t id;
    char *name;       /* 1..64 characters (syntax is the caller's) */
    char *scope;      /* "read" or "write" */
    char *created_by; /* the user who made it, or "cli" */
    int64_t created_at;
    int64_t expires_at;   /* 0: never */
    int64_t last_used_at; /* 0: never used */
    int64_t revoked_at;   /* 0: not revoked */
};
void store_token_free(struct store_token *t); /* NULL is a no-op */

/* Live at now: neither revoked nor expired. */
bool store_token_live(const struct store_token *t, int64_t now);
/* "live", "expired" or "revoked" at now (static strings). */
const char *store_token_status(const struct store_token *t, int64_t now);

/* Add t (borrowed; id, last_used_at and revoked_at ignored) keyed by key
 * (64 hex characters) in one transaction; *id_out (may be NULL) is its
 * id. ERR_EXISTS when a live token (at t->created_at) has the same name;
 * ERR_TOOBIG when STORE_TOKENS_MAX tokens are live; ERR_DB (err says
 * why) when the store fails. */
enum err store_token_add(struct store *st, const char *key,
                         const struct store_token *t, int64_t *id_out,
                         struct buf *err) WARN_UNUSED;
/* The token keyed by key, live or not, into *out (caller frees).
 * ERR_NOTFOUND when there is none. */
enum err store_token_by_key(struct store *st, const char *key,
                            struct store_token *out, struct buf *err)
    WARN_UNUSED;
/* Note a use of token id at now (callers rate-limit this). */
enum err store_token_touch(struct store *st, int64_t id, int64_t now)
    WARN_UNUSED;
/* Called per token, newest first; t borrowed for the call. A non-OK
 * return stops the walk and is returned. */
typedef enum err (*store_token_fn)(const struct store_token *t, void *ud);
/* Every token (revoked and expired ones too). */
enum err store_token_list(struct store *st, store_token_fn fn, void *ud,
                          struct buf *err) WARN_UNUSED;
/* Revoke token id at now (a revoked one stays as it was). *n (may be
 * NULL) is 1 when a token was revoked now, else 0. ERR_NOTFOUND when
 * there is no token id. */
enum err store_token_revoke_id(struct store *st, int64_t id, int64_t now,
                               int64_t *n, struct buf *err) WARN_UNUSED;
/* Revoke every token called name that is not revoked yet (the live one
 * and expired ones). *n (may be NULL): how many. ERR_NOTFOUND when no
 * token of that name is unrevoked. */
enum err store_token_revoke_name(struct store *st, const char *name,
                                 int64_t now, int64_t *n, struct buf *err)
    WARN_UNUSED;

#endif
