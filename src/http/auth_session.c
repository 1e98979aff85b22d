/* Session tokens, sessions and their cookie (auth.h, auth_int.h). */
#include "http/auth.h"

#include <microhttpd.h>
#include <sodium.h>
#include <stdint.h>
#include <string.h>

#include "core/alloc.h"
#include "core/digest.h"
#include "core/log.h"
#include "core/timeutil.h"
#include "http/auth_int.h"

#define TOKEN_BYTES 32
#define TOUCH_EVERY 60       /* write last_seen at most once a minute */

enum err auth_token_new(struct buf *out)
{
    unsigned char raw[TOKEN_BYTES];
    char text[sodium_base64_ENCODED_LEN(
        TOKEN_BYTES, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
    enum err rc;

    if (!auth_init())
        return ERR_NOMEM;
    randombytes_buf(raw, sizeof raw);
    sodium_bin2base64(text, sizeof text, raw, sizeof raw,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    rc = buf_puts(out, text);
    sodium_memzero(raw, sizeof raw);
    sodium_memzero(text, sizeof text);
    return rc;
}

enum err auth_token_key(const char *token, struct buf *out)
{
    unsigned char raw[TOKEN_BYTES];
    size_t n = 0;
    const char *end = NULL;
    enum err rc;

    if (token == NULL || strlen(token) != AUTH_TOKEN_CHARS)
        return ERR_PARSE;
    if (sodium_base642bin(raw, sizeof raw, token, AUTH_TOKEN_CHARS, NULL, &n,
                          &end, sodium_base64_VARIANT_URLSAFE_NO_PADDING) !=
            0 ||
        n != TOKEN_BYTES || end != token + AUTH_TOKEN_CHARS)
        return ERR_PARSE;
    rc = digest_sha256_hex(raw, sizeof raw, out);
    sodium_memzero(raw, sizeof raw);
    return rc;
}

bool auth_token_equal(const char *a, const char *b)
{
    size_t n;
    if (a == NULL || b == NULL)
        return false;
    n = strlen(a);
    if (n == 0 || n != strlen(b)) /* tokens have a fixed length */
        return false;
    return sodium_memcmp(a, b, n) == 0;
}

enum err auth_session_create(struct store *st, int64_t user_id, int64_t now,
                             struct buf *token, struct buf *csrf)
{
    struct buf key;
    enum err rc;

    buf_init(&key, 128);
    buf_reset(token);
    buf_reset(csrf);
    rc = auth_token_new(token);
    if (rc == ERR_OK)
        rc = auth_token_new(csrf);
    if (rc == ERR_OK)
        rc = auth_token_key(buf_cstr(token), &key);
    if (rc == ERR_OK)
        rc = store_session_add(st, buf_cstr(&key), user_id, buf_cstr(csrf),
                               now);
    buf_free(&key);
    return rc;
}

const char *auth_cookie_name(const struct http_config *cfg)
{
    return cfg->secure_cookies ? AUTH_COOKIE_SECURE : AUTH_COOKIE;
}

/* The Set-Cookie value carrying token, or clearing the cookie when token
 * is NULL. Caller frees. */
char *auth_cookie_header(const struct http_config *cfg, const char *token)
{
    struct buf b;
    buf_init(&b, 512);
    buf_catf(&b, "%s=%s; Path=/; %sHttpOnly; SameSite=Strict%s",
             auth_cookie_name(cfg), token ? token : "",
             cfg->secure_cookies ? "Secure; " : "",
             token ? "" : "; Max-Age=0");
    return buf_steal(&b);
}


struct store_session_limits auth_limits_of(const struct http_config *cfg)
{
    struct store_session_limits lim = {cfg->session_idle_s,
                                       cfg->session_max_s};
    return lim;
}

/* Find the session the cookie names and fill req from it. ERR_NOTFOUND
 * without a live one; ERR_DB when the store fails. */
enum err auth_session_find(struct http_request *req, int64_t now)
{
    const char *token = MHD_lookup_connection_value(
        req->conn, MHD_COOKIE_KIND, auth_cookie_name(req->cfg));
    struct store_session_limits lim = auth_limits_of(req->cfg);
    struct store_session s = {0};
    struct buf key;
    int64_t touch = TOUCH_EVERY;
    enum err rc;

    buf_init(&key, 128);
    rc = auth_token_key(token, &key) == ERR_OK ? ERR_OK : ERR_NOTFOUND;
    if (rc == ERR_OK)
        rc = store_session_get(req->st, buf_cstr(&key), now, &lim, &s);
    if (rc != ERR_OK)
        goto out;
    if (touch > lim.idle_s / 2)
        touch = lim.idle_s / 2 > 0 ? lim.idle_s / 2 : 1;
    if (now - s.last_seen >= touch &&
        store_session_touch(req->st, buf_cstr(&key), now) != ERR_OK)
        LOG_WARN("auth: cannot note a session's last use");
    auth_request_free(req);
    req->user_id = s.user_id;
    req->user = s.user;
    req->csrf = s.csrf;
    req->session_key = buf_steal(&key);
out:
    buf_free(&key);
    return rc;
}

enum err auth_session_load(struct http_request *req)
{
    return auth_session_find(req, time_now());
}

void auth_request_free(struct http_request *req)
{
    req->user_id = 0;
    FREE_AND_NULL(req->user);
    FREE_AND_NULL(req->csrf);
    FREE_AND_NULL(req->session_key);
}
