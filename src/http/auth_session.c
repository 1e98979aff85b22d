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

bool auth_token_key_hex(const char *token, char *out)
{
    unsigned char raw[TOKEN_BYTES], sum[crypto_hash_sha256_BYTES];
    size_t n = 0;
    const char *end = NULL;
    bool ok;

    if (token == NULL || strlen(token) != AUTH_TOKEN_CHARS || !auth_init())
        return false;
    ok = sodium_base642bin(raw, sizeof raw, token, AUTH_TOKEN_CHARS, NULL,
                           &n, &end,
                           sodium_base64_VARIANT_URLSAFE_NO_PADDING) == 0 &&
         n == TOKEN_BYTES && end == token + AUTH_TOKEN_CHARS;
    if (ok) {
        crypto_hash_sha256(sum, raw, sizeof raw);
        sodium_bin2hex(out, AUTH_KEY_CHARS + 1, sum, sizeof sum);
    }
    sodium_memzero(raw, sizeof raw);
    return ok;
}

enum err auth_token_key(const char *token, struct buf *out)
{
    char key[AUTH_KEY_CHARS + 1];
    return auth_token_key_hex(token, key) ? buf_puts(out, key) : ERR_PARSE;
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

_Static_assert(sizeof(((struct http_request *)0)->user_mem) ==
                   AUTH_NAME_MAX + 1 &&
               sizeof(((struct http_request *)0)->csrf_mem) ==
                   AUTH_TOKEN_CHARS + 1 &&
               sizeof(((struct http_request *)0)->key_mem) ==
                   AUTH_KEY_CHARS + 1,
               "http_request's session fields fit auth.h's sizes");

/* How often a session's last_seen is written: once a minute, or twice
 * within an idle timeout shorter than two minutes. */
static int64_t touch_every(const struct store_session_limits *lim)
{
    int64_t touch = TOUCH_EVERY;
    if (touch > lim->idle_s / 2)
        touch = lim->idle_s / 2 > 0 ? lim->idle_s / 2 : 1;
    return touch;
}

/* Point req's session fields at its own storage, filled from c. */
static void fill_request(struct http_request *req, const struct auth_cached *c,
                         const char *key)
{
    req->user_id = c->user_id;
    memcpy(req->user_mem, c->user, sizeof req->user_mem);
    memcpy(req->csrf_mem, c->csrf, sizeof req->csrf_mem);
    memcpy(req->key_mem, key, sizeof req->key_mem);
    req->user = req->user_mem;
    req->csrf = req->csrf_mem;
    req->session_key = req->key_mem;
}

/* The session of key from the store (and into the cache) at now. */
static enum err from_store(struct http_request *req, const char *key,
                           const struct store_session_limits *lim,
                           int64_t now, struct auth_cached *c)
{
    struct store_session s = {0};
    int64_t seen;
    enum err rc = store_session_get(req->st, key, now, lim, &s);

    if (rc != ERR_OK) {
        if (rc == ERR_NOTFOUND)
            auth_cache_forget(key);
        return rc;
    }
    seen = s.last_seen;
    if (now - seen >= touch_every(lim)) {
        if (store_session_touch(req->st, key, now) == ERR_OK)
            seen = now;
        else
            LOG_WARN("auth: cannot note a session's last use");
    }
    auth_cache_put(key, &s, seen, now);
    c->user_id = s.user_id;
    rc = strlen(s.user) < sizeof c->user && strlen(s.csrf) < sizeof c->csrf
             ? ERR_OK
             : ERR_NOTFOUND; /* not a session this server made */
    if (rc == ERR_OK) {
        memcpy(c->user, s.user, strlen(s.user) + 1);
        memcpy(c->csrf, s.csrf, strlen(s.csrf) + 1);
    }
    store_session_free(&s);
    return rc;
}

enum err auth_session_find(struct http_request *req, int64_t now)
{
    const char *token = MHD_lookup_connection_value(
        req->conn, MHD_COOKIE_KIND, auth_cookie_name(req->cfg));
    struct store_session_limits lim = auth_limits_of(req->cfg);
    struct auth_cached c;
    char key[AUTH_KEY_CHARS + 1];
    bool touch = false;
    enum err rc = ERR_OK;

    auth_request_free(req);
    if (!auth_token_key_hex(token, key))
        return ERR_NOTFOUND;
    if (auth_cache_get(key, now, &lim, touch_every(&lim), &c, &touch)) {
        if (touch && store_session_touch(req->st, key, now) != ERR_OK)
            LOG_WARN("auth: cannot note a session's last use");
    } else {
        rc = from_store(req, key, &lim, now, &c);
    }
    if (rc == ERR_OK)
        fill_request(req, &c, key);
    sodium_memzero(&c, sizeof c);
    return rc;
}

enum err auth_session_load(struct http_request *req)
{
    return auth_session_find(req, time_now());
}

void auth_request_free(struct http_request *req)
{
    req->user_id = 0;
    req->user = NULL;
    req->csrf = NULL;
    req->session_key = NULL;
    req->token_id = 0;
    req->token_write = false;
    req->token_name[0] = '\0';
    req->token_actor[0] = '\0';
}
