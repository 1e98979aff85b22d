/* API tokens from the dashboard (issue 15), for a login session only
 * (ROUTE_SESSION_ONLY: a token cannot make or revoke tokens), with the
 * usual Origin and CSRF checks:
 *   GET    /api/v1/tokens       {"now": T, "tokens": [{id, name, scope,
 *          created_by, created_at, expires_at, last_used_at, revoked_at,
 *          status: live|expired|revoked}, ...]}: never a token
 *   POST   /api/v1/tokens       {name, scope: read|write, expires: "90d"
 *          or null (never)}: 201 with the token itself, shown this once
 *   DELETE /api/v1/tokens/ID    revoke: at once for this process's cache
 * 400 names the field; 404 for no such token; 409 when a live token has
 * the name. */
#define LOG_MODULE "http"
#include <jansson.h>
#include <sodium.h>
#include <string.h>

#include "core/jread.h"
#include "core/jsonw.h"
#include "core/log.h"
#include "core/str.h"
#include "core/timeutil.h"
#include "http/api_args.h"
#include "http/api_fail.h"
#include "http/apitoken.h"
#include "http/route.h"
#include "store/store_token.h"

#define TOKENS_PREFIX "/api/v1/tokens/"

static void time_or_null(struct jw *w, const char *key, int64_t t)
{
    if (t == 0) {
        jw_key(w, key);
        jw_null(w);
    } else {
        jw_kv_time(w, key, t);
    }
}

/* One token's fields (never the token: the store does not have it). */
static void token_fields(struct jw *w, const struct store_token *t,
                         int64_t now)
{
    jw_kv_i64(w, "id", t->id);
    jw_kv_str(w, "name", t->name);
    jw_kv_str(w, "scope", t->scope);
    jw_kv_str(w, "created_by", t->created_by);
    jw_kv_time(w, "created_at", t->created_at);
    time_or_null(w, "expires_at", t->expires_at);
    time_or_null(w, "last_used_at", t->last_used_at);
    time_or_null(w, "revoked_at", t->revoked_at);
    jw_kv_str(w, "status", store_token_status(t, now));
}

struct list_ctx {
    struct jw *w;
    int64_t now;
};

static enum err emit(const struct store_token *t, void *ud)
{
    struct list_ctx *c = ud;
    jw_object_begin(c->w);
    token_fields(c->w, t, c->now);
    jw_object_end(c->w);
    return c->w->status;
}

static void api_tokens_list(struct http_request *req,
                            struct http_response *res)
{
    struct jw w;
    struct buf err;
    struct list_ctx c = {&w, time_now()};
    enum err rc;

    buf_init(&err, 1024);
    jw_init(&w, &res->body);
    jw_object_begin(&w);
    jw_kv_time(&w, "now", c.now);
    jw_key(&w, "tokens");
    jw_array_begin(&w);
    rc = store_token_list(req->st, emit, &c, &err);
    jw_array_end(&w);
    jw_object_end(&w);
    if (rc != ERR_OK && w.status == ERR_OK)
        api_store_failed(req, res, rc, "listing API tokens failed: %s",
                         buf_cstr(&err));
    else
        api_ok_json(res, &w);
    buf_free(&err);
}

/* The new token's fields from the body, or false with a 400 in res. */
static bool new_fields(struct http_request *req, struct http_response *res,
                       json_t **doc, struct store_token *t)
{
    static const char *const keys[] = {"name", "scope", "expires"};
    const char *expires = NULL;
    enum apitoken_scope scope;
    int64_t life = 0;
    json_t *v;

    *doc = json_loadb(req->body.data, req->body.len, JSON_REJECT_DUPLICATES,
                      NULL);
    if (!json_is_object(*doc)) {
        http_error(res, 400, "body", "the body must be a JSON object");
        return false;
    }
    if (!api_json_known_keys(*doc, keys, 3, res))
        return false;
    v = json_object_get(*doc, "name");
    t->name = (char *)(json_is_string(v) ? json_string_value(v) : NULL);
    if (t->name == NULL || !apitoken_name_valid(t->name)) {
        http_error(res, 400, "name", "name: 1 to %d characters of A-Z a-z "
                   "0-9 _ . @ -, not digits only", AUTH_NAME_MAX);
        return false;
    }
    v = json_object_get(*doc, "scope");
    if (!apitoken_scope_parse(json_string_value(v), &scope)) {
        http_error(res, 400, "scope", "scope: \"read\" or \"write\"");
        return false;
    }
    t->scope = (char *)apitoken_scope_name(scope);
    v = json_object_get(*doc, "expires");
    if (v != NULL && !json_is_null(v)) {
        expires = json_string_value(v);
        if (apitoken_parse_expiry(expires, &life) != ERR_OK) {
            http_error(res, 400, "expires", "expires: null (never) or a "
                       "lifetime such as \"90d\" (a number and s, m, h, d "
                       "or w; at most 3660 days)");
            return false;
        }
    }
    t->created_at = time_now();
    t->expires_at = life > 0 ? t->created_at + life : 0;
    t->created_by = req->user;
    return true;
}

static void answer_created(struct http_response *res,
                           const struct store_token *t, const char *token)
{
    struct jw w;

    jw_init(&w, &res->body);
    jw_object_begin(&w);
    token_fields(&w, t, t->created_at);
    jw_kv_str(&w, "token", token);
    jw_object_end(&w);
    api_ok_json(res, &w);
    if (res->status == 200)
        res->status = 201;
}

static void api_tokens_add(struct http_request *req,
                           struct http_response *res)
{
    struct store_token t = {0};
    struct buf token, err;
    char key[AUTH_KEY_CHARS + 1];
    json_t *doc = NULL;
    enum err rc;

    buf_init(&token, APITOKEN_CHARS + 1);
    buf_init(&err, 1024);
    if (!new_fields(req, res, &doc, &t))
        goto out;
    rc = apitoken_new(&token);
    if (rc == ERR_OK && !apitoken_key(buf_cstr(&token), key))
        rc = ERR_PARSE; /* cannot happen: our own token */
    if (rc != ERR_OK) {
        http_error(res, 500, NULL, "cannot make a token: %s", err_str(rc));
        goto out;
    }
    rc = store_token_add(req->st, key, &t, &t.id, &err);
    if (rc == ERR_EXISTS || rc == ERR_TOOBIG) {
        http_error(res, 409, "name", "%s", buf_cstr(&err));
        goto out;
    }
    if (rc != ERR_OK) {
        api_store_failed(req, res, rc, "adding the API token failed");
        goto out;
    }
    LOG_INFO("%s added API token \"%s\" (id %lld, scope %s)", req->user,
             t.name, (long long)t.id, t.scope);
    answer_created(res, &t, buf_cstr(&token));
out:
    if (token.data != NULL)
        sodium_memzero(token.data, token.len);
    buf_free(&token);
    buf_free(&err);
    json_decref(doc);
}

static void api_tokens_revoke(struct http_request *req,
                              struct http_response *res)
{
    const char *tail = req->path + strlen(TOKENS_PREFIX);
    struct buf err;
    struct jw w;
    int64_t id = 0, n = 0;
    enum err rc;

    buf_init(&err, 512);
    if (parse_i64(tail, 1, INT64_MAX, &id) != ERR_OK) {
        http_error(res, 400, "id", "a token id is a number (/api/v1/tokens/ID)");
        goto out;
    }
    rc = store_token_revoke_id(req->st, id, time_now(), &n, &err);
    auth_token_cache_reset(); /* revoked here: refused from now on */
    if (rc == ERR_NOTFOUND) {
        http_error(res, 404, "id", "no API token %lld", (long long)id);
        goto out;
    }
    if (rc != ERR_OK) {
        api_store_failed(req, res, rc, "revoking the API token failed");
        goto out;
    }
    LOG_INFO("%s revoked API token %lld", req->user, (long long)id);
    jw_init(&w, &res->body);
    jw_object_begin(&w);
    jw_kv_i64(&w, "id", id);
    jw_kv_bool(&w, "revoked", n > 0); /* false: it was revoked before */
    jw_object_end(&w);
    api_ok_json(res, &w);
out:
    buf_free(&err);
}

const struct route http_token_routes[] = {
    {"GET", "/api/v1/tokens", api_tokens_list, ROUTE_SESSION_ONLY},
    {"POST", "/api/v1/tokens", api_tokens_add, ROUTE_SESSION_ONLY},
    {"DELETE", TOKENS_PREFIX, api_tokens_revoke, ROUTE_SESSION_ONLY},
    {NULL, NULL, NULL, 0},
};
