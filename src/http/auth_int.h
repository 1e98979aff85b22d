/* Shared between the auth_*.c files only (not for other callers): the
 * session cookie and the session lookup behind auth_check. */
#ifndef MEDIADASH_AUTH_INT_H
#define MEDIADASH_AUTH_INT_H

#include <stdint.h>

#include "core/err.h"
#include "http/http.h"
#include "store/store.h"

/* The session cookie's name under cfg (AUTH_COOKIE or AUTH_COOKIE_SECURE). */
const char *auth_cookie_name(const struct http_config *cfg);
/* The Set-Cookie value carrying token, or clearing the cookie when token
 * is NULL. Caller frees. */
char *auth_cookie_header(const struct http_config *cfg, const char *token);
/* The session timeouts of cfg. */
struct store_session_limits auth_limits_of(const struct http_config *cfg);
/* Find the session the cookie names and fill req from it. ERR_NOTFOUND
 * without a live one; ERR_DB when the store fails. */
enum err auth_session_find(struct http_request *req, int64_t now);

#endif
