/* Shared between the auth_*.c files only (not for other callers): the
 * session cookie and the session lookup behind auth_check. */
#ifndef MEDIADASH_AUTH_INT_H
#define MEDIADASH_AUTH_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"
#include "http/auth.h"
#include "http/http.h"
#include "store/store.h"

/* The session cookie's name under cfg (AUTH_COOKIE or AUTH_COOKIE_SECURE). */
const char *auth_cookie_name(const struct http_config *cfg);
/* The Set-Cookie value carrying token, or clearing the cookie when token
 * is NULL. Caller frees. */
char *auth_cookie_header(const struct http_config *cfg, const char *token);
/* The store key of token into out (AUTH_KEY_CHARS + 1 bytes): the hex
 * SHA-256 of its 32 bytes. False when token is not a well-formed token
 * (AUTH_TOKEN_CHARS base64url characters, no padding). */
bool auth_token_key_hex(const char *token, char *out);
/* The session timeouts of cfg. */
struct store_session_limits auth_limits_of(const struct http_config *cfg);
/* ---- the session cache (auth_cache.c) ---- */

/* What auth_check takes from a cached session. */
struct auth_cached {
    int64_t user_id;
    char user[AUTH_NAME_MAX + 1];
    char csrf[AUTH_TOKEN_CHARS + 1];
};
/* True when the session of key (its store key) is cached, was read from
 * the store less than AUTH_SESSION_RECHECK seconds before now, and is live
 * under lim by its creation and latest use: *out is filled and the use
 * noted. *touch: the caller should write last_seen = now to the store
 * (the entry's stored last_seen is older than touch_every; the entry
 * already counts it as written, so one request a period writes). */
bool auth_cache_get(const char *key, int64_t now,
                    const struct store_session_limits *lim,
                    int64_t touch_every, struct auth_cached *out,
                    bool *touch);
/* Cache s (as the store just gave it, with last_seen stored_seen now),
 * used and checked at now; sessions whose strings are not what this
 * server writes are not cached. */
void auth_cache_put(const char *key, const struct store_session *s,
                    int64_t stored_seen, int64_t now);
/* Drop the session of key (NULL: nothing) from the cache. */
void auth_cache_forget(const char *key);

/* Find the session the cookie names and fill req from it. ERR_NOTFOUND
 * without a live one; ERR_DB when the store fails. */
enum err auth_session_find(struct http_request *req, int64_t now);

#endif
