/* API tokens on the API (auth.h auth_bearer_check, apitoken.h): the
 * Bearer check, the in-process token cache and the per-request log line.
 * Tokens are never logged: a line names the token's name and id, or the
 * client's address for a token we do not know. */
#define LOG_MODULE "auth"
#include "http/auth.h"

#include <pthread.h>
#include <sodium.h>
#include <stdint.h>
#include <string.h>

#include "core/log.h"
#include "core/timeutil.h"
#include "http/apitoken.h"
#include "http/auth_int.h"
#include "store/store_token.h"

#define INVALID_TOKEN "Bearer error=\"invalid_token\""

/* What the check needs of a token, as the store said it at `checked`. */
struct tok {
    char key[AUTH_KEY_CHARS + 1]; /* "": free */
    int64_t id;
    char name[AUTH_NAME_MAX + 1];
    enum apitoken_scope scope;
    int64_t expires_at, revoked_at; /* 0: never, not */
    int64_t stored_used;            /* last_used_at as the store has it */
    int64_t checked, hit;           /* read from the store; latest use */
};

static struct {
    pthread_mutex_t mu;
    uint64_t gen; /* bumped by every reset */
    struct tok e[AUTH_TOKEN_CACHE];
} g = {.mu = PTHREAD_MUTEX_INITIALIZER};

void auth_token_cache_reset(void)
{
    pthread_mutex_lock(&g.mu);
    memset(g.e, 0, sizeof g.e);
    g.gen++;
    pthread_mutex_unlock(&g.mu);
}

/* The cache's generation now: a store read that began before a reset
 * (a revoke here) must not put what it read into the cache after it. */
static uint64_t cache_gen(void)
{
    uint64_t gen;
    pthread_mutex_lock(&g.mu);
    gen = g.gen;
    pthread_mutex_unlock(&g.mu);
    return gen;
}

/* The cached token of key read less than AUTH_TOKEN_RECHECK seconds ago
 * into *out; *touch: the caller writes last_used_at = now (noted here as
 * written, so one request per AUTH_TOKEN_TOUCH writes). */
static bool cache_get(const char *key, int64_t now, struct tok *out,
                      bool *touch)
{
    bool hit = false;

    *touch = false;
    pthread_mutex_lock(&g.mu);
    for (size_t i = 0; i < AUTH_TOKEN_CACHE; i++) {
        struct tok *t = &g.e[i];
        if (t->key[0] == '\0' || strcmp(t->key, key) != 0)
            continue;
        if (now - t->checked >= 0 && now - t->checked < AUTH_TOKEN_RECHECK) {
            hit = true;
            t->hit = now;
            if (now - t->stored_used >= AUTH_TOKEN_TOUCH) {
                *touch = true;
                t->stored_used = now;
            }
            *out = *t;
        }
        break;
    }
    pthread_mutex_unlock(&g.mu);
    return hit;
}

/* Keep t (in its slot, else a free one, else the least recently used),
 * unless the cache was reset since generation gen. */
static void cache_put(const struct tok *t, uint64_t gen)
{
    struct tok *slot = NULL, *oldest = &g.e[0];

    pthread_mutex_lock(&g.mu);
    for (size_t i = 0; g.gen == gen && i < AUTH_TOKEN_CACHE; i++) {
        struct tok *e = &g.e[i];
        if (strcmp(e->key, t->key) == 0) {
            slot = e;
            break;
        }
        if (e->key[0] == '\0' && slot == NULL)
            slot = e;
        if (e->hit < oldest->hit)
            oldest = e;
    }
    if (g.gen == gen) /* else read before a revoke here: not kept */
        *(slot != NULL ? slot : oldest) = *t;
    pthread_mutex_unlock(&g.mu);
}

/* The token of key from the store (and into the cache) at now: ERR_OK,
 * ERR_NOTFOUND (no such token, or not one this server writes), ERR_DB. */
static enum err from_store(struct http_request *req, const char *key,
                           int64_t now, uint64_t gen, struct tok *out)
{
    struct store_token t = {0};
    struct buf err;
    enum err rc;

    buf_init(&err, 1024);
    rc = store_token_by_key(req->st, key, &t, &err);
    if (rc == ERR_DB)
        LOG_ERROR("api token: %s", buf_cstr(&err));
    if (rc == ERR_OK && (!apitoken_scope_parse(t.scope, &out->scope) ||
                         strlen(t.name) > AUTH_NAME_MAX))
        rc = ERR_NOTFOUND;
    if (rc == ERR_OK) {
        memcpy(out->key, key, AUTH_KEY_CHARS + 1);
        out->id = t.id;
        memcpy(out->name, t.name, strlen(t.name) + 1);
        out->expires_at = t.expires_at;
        out->revoked_at = t.revoked_at;
        out->stored_used = t.last_used_at;
        out->checked = now;
        out->hit = now;
        cache_put(out, gen);
    }
    store_token_free(&t);
    buf_free(&err);
    return rc;
}

/* 401 for a token that cannot be used, with the Bearer challenge. */
static bool invalid(struct http_response *res, const char *why)
{
    http_error(res, 401, NULL, "%s", why);
    res->www_authenticate = INVALID_TOKEN;
    return false;
}

/* A token we do not know (or a malformed one): a failed attempt of the
 * client's address in the login throttle, and an audit line. */
static bool unknown(struct http_request *req, struct http_response *res,
                    int64_t now)
{
    const char *ip = http_client_addr(req);
    int64_t wait = 0;

    if (auth_throttle_begin(NULL, ip, now, &wait) == ERR_OK)
        auth_throttle_end(NULL, ip, now, AUTH_ATTEMPT_FAILED);
    LOG_AUDIT("api token: unknown or malformed bearer token from %s %s %s",
              ip, req->method, req->path);
    return invalid(res, "unknown API token (Authorization: Bearer)");
}

/* Fill req from t: the token's id, name and actor ("token:NAME"). */
static void fill_request(struct http_request *req, const struct tok *t)
{
    auth_request_free(req);
    req->token_id = t->id;
    req->token_write = t->scope == APITOKEN_WRITE;
    memcpy(req->token_name, t->name, strlen(t->name) + 1);
    memcpy(req->token_actor, "token:", 6);
    memcpy(req->token_actor + 6, t->name, strlen(t->name) + 1);
    req->user = req->token_actor;
}

/* The token's scope against the route: false with a 403 in res. */
static bool scope_ok(struct http_request *req, unsigned flags,
                     const struct tok *t, struct http_response *res)
{
    switch (apitoken_allows(t->scope, req->method, flags)) {
    case APITOKEN_ALLOW:
        return true;
    case APITOKEN_READ_ONLY:
        http_error(res, 403, NULL, "API token \"%s\" has scope read: only "
                   "GET and HEAD (a token of scope write may %s)",
                   t->name, req->method);
        return false;
    case APITOKEN_SESSION_ONLY:
        break;
    }
    http_error(res, 403, NULL, "this needs a login session: API tokens "
               "cannot manage users or tokens");
    return false;
}

/* The token of key at now into *t: from the cache, else the store.
 * Notes a use in the store at most once every AUTH_TOKEN_TOUCH s. */
static enum err lookup(struct http_request *req, const char *key,
                       int64_t now, struct tok *t)
{
    bool touch = false;
    uint64_t gen = cache_gen();
    enum err rc = ERR_OK;

    if (!cache_get(key, now, t, &touch)) {
        rc = from_store(req, key, now, gen, t);
        touch = rc == ERR_OK && now - t->stored_used >= AUTH_TOKEN_TOUCH;
        if (touch) { /* the cache counts it written: one writer a minute */
            t->stored_used = now;
            cache_put(t, gen);
        }
    }
    if (touch && t->revoked_at == 0 &&
        (t->expires_at == 0 || t->expires_at > now) &&
        store_token_touch(req->st, t->id, now) != ERR_OK)
        LOG_WARN("api token \"%s\": cannot note its last use", t->name);
    return rc;
}

bool auth_bearer_check(struct http_request *req, unsigned flags,
                       const char *token, struct http_response *res)
{
    int64_t now = time_now();
    int64_t wait = auth_throttle_wait(NULL, http_client_addr(req), now);
    char key[AUTH_KEY_CHARS + 1];
    struct tok t;
    enum err rc;

    auth_request_free(req);
    if (wait > 0) {
        LOG_WARN("api token: refused from %s: locked for %lld s after "
                 "wrong tokens or logins", http_client_addr(req),
                 (long long)wait);
        http_error(res, 429, NULL, "too many failed attempts: try again "
                   "in %lld s", (long long)wait);
        res->retry_after = (unsigned)wait;
        return false;
    }
    if (!apitoken_key(token, key))
        return unknown(req, res, now);
    rc = lookup(req, key, now, &t);
    sodium_memzero(key, sizeof key);
    if (rc == ERR_DB) {
        http_error(res, 503, NULL, "the database is not available");
        return false;
    }
    if (rc != ERR_OK)
        return unknown(req, res, now);
    fill_request(req, &t); /* logged with its name from here on */
    if (t.revoked_at != 0)
        return invalid(res, "this API token was revoked");
    if (t.expires_at != 0 && t.expires_at <= now)
        return invalid(res, "this API token has expired");
    return scope_ok(req, flags, &t, res);
}

void auth_token_log(const struct http_request *req, unsigned status)
{
    if (req == NULL || req->token_id == 0)
        return;
    /* An audit line: every one is written (never rate-limited). */
    log_audit(LOG_LVL_INFO, LOG_MODULE,
              "api token \"%s\" (id %lld): %s %s %u", req->token_name,
             (long long)req->token_id, req->method ? req->method : "-",
             req->path ? req->path : "-", status);
}
