/* API tokens for scripts (issue 15): "mdt_" + base64url of 32 random
 * bytes (libsodium), sent as "Authorization: Bearer mdt_...". Only the
 * hex SHA-256 of the 32 bytes is stored (store/store_token.h), as for
 * session tokens; the prefix lets secret scanners find leaked ones.
 *
 * This header holds the rules (format, key, scope, expiry syntax, the
 * Authorization header) as pure functions; auth_bearer.c applies them in
 * auth_check, api_tokens.c serves /api/v1/tokens and cli/cmd_token.c is
 * `mediadash token`. */
#ifndef MEDIADASH_HTTP_APITOKEN_H
#define MEDIADASH_HTTP_APITOKEN_H

#include <stdbool.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/err.h"
#include "http/auth.h"

#define APITOKEN_PREFIX "mdt_"
#define APITOKEN_PREFIX_LEN 4
#define APITOKEN_CHARS (APITOKEN_PREFIX_LEN + AUTH_TOKEN_CHARS) /* 47 */
#define APITOKEN_EXPIRY_MAX ((int64_t)3660 * 86400) /* ten years */

enum apitoken_scope { APITOKEN_READ, APITOKEN_WRITE };

/* Append a fresh token (APITOKEN_CHARS characters) to out. ERR_NOMEM
 * when libsodium cannot start, ERR_TOOBIG when out is too small. */
enum err apitoken_new(struct buf *out) WARN_UNUSED;
/* The store key of token (NULL: none) into key (AUTH_KEY_CHARS + 1
 * bytes): the hex SHA-256 of its 32 bytes. False when token is not
 * exactly "mdt_" and AUTH_TOKEN_CHARS base64url characters. */
bool apitoken_key(const char *token, char *key);
/* A token name: like a user name (auth_name_valid: 1..64 characters of
 * A-Z a-z 0-9 _ . @ -) but not digits only, so that `token revoke
 * NAME|ID` cannot mistake one for the other. */
bool apitoken_name_valid(const char *name);
/* "read" or "write" into *out; false for anything else (NULL too). */
bool apitoken_scope_parse(const char *s, enum apitoken_scope *out);
const char *apitoken_scope_name(enum apitoken_scope s);
/* A lifetime: a whole number 1.. followed by s, m, h, d or w ("90d"),
 * at most APITOKEN_EXPIRY_MAX seconds, into *out seconds. ERR_PARSE
 * otherwise (NULL too). */
enum err apitoken_parse_expiry(const char *s, int64_t *out) WARN_UNUSED;
/* The token of an Authorization header value "Bearer TOKEN" (scheme
 * case-insensitive, one or more spaces), borrowed from authz; NULL when
 * authz is NULL or names another scheme. The token is not checked. */
const char *apitoken_bearer(const char *authz);

/* What a token of a scope may do with a request. */
enum apitoken_verdict {
    APITOKEN_ALLOW,
    APITOKEN_READ_ONLY,    /* scope read and a method other than GET/HEAD */
    APITOKEN_SESSION_ONLY, /* the route manages users or tokens */
};
/* The verdict for method on a route whose flags (route.h) are given:
 * ROUTE_SESSION_ONLY routes need a login session whatever the scope;
 * read allows GET and HEAD only; write allows the rest. */
enum apitoken_verdict apitoken_allows(enum apitoken_scope s,
                                      const char *method, unsigned flags);

/* ---- the cache of tokens auth_bearer.c keeps (auth_bearer.c) ---------- */

/* Tokens are checked from memory like sessions: what the store said of a
 * token is kept for AUTH_TOKEN_RECHECK seconds (AUTH_TOKEN_CACHE tokens,
 * the least recently used make way), so a token revoked by another
 * process (`mediadash token revoke`) stops working within
 * AUTH_TOKEN_RECHECK seconds; one revoked by this process (the
 * dashboard, DELETE /api/v1/tokens/ID) at once. last_used_at is written
 * at most once every AUTH_TOKEN_TOUCH seconds per token. */
#define AUTH_TOKEN_CACHE 256
#define AUTH_TOKEN_RECHECK 2 /* seconds */
#define AUTH_TOKEN_TOUCH 60  /* seconds */
/* Empty the cache: every token is read from the store again at its next
 * use (a revoke in this process; tests). */
void auth_token_cache_reset(void);

#endif
