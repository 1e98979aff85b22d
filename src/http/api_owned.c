/* Owned and tracked accounts, taking data back:
 *   GET  /api/v1/imports              every import and the audit lines
 *   POST /api/v1/imports/ID/remove    take back what import ID stored
 *   POST /api/v1/accounts/role        {"account": "P:ID", "role": R}
 *   GET  /api/v1/competitors          tracked accounts next to own ones
 * The audit line's "who" is the dashboard login. */
#include <string.h>

#include "core/jread.h"
#include "core/jsonw.h"
#include "core/str.h"
#include "core/timeutil.h"
#include "http/api_args.h"
#include "http/route.h"
#include "http/api_fail.h"
#include "ingest/imports.h"

#define IMPORTS_PREFIX "/api/v1/imports/"
#define ROLE_BODY_MAX 4096

static void api_imports(struct http_request *req, struct http_response *res)
{
    struct jw w;

    jw_init(&w, &res->body);
    if (imports_json(req->st, &w) != ERR_OK) {
        http_error(res, 500, NULL, "database error");
        return;
    }
    api_ok_json(res, &w);
}

static void removed_json(struct http_response *res, int64_t id,
                         const struct store_removed *r)
{
    struct jw w;

    jw_init(&w, &res->body);
    jw_object_begin(&w);
    jw_kv_i64(&w, "id", id);
    jw_key(&w, "removed");
    jw_object_begin(&w);
    jw_kv_i64(&w, "items", r->items);
    jw_kv_i64(&w, "snapshots", r->snapshots);
    jw_kv_i64(&w, "values", r->values);
    jw_object_end(&w);
    jw_object_end(&w);
    api_ok_json(res, &w);
}

/* POST /api/v1/imports/ID/remove: the CSRF check (route table) is the
 * dashboard's confirmation that the user pressed Remove and agreed. */
static void api_import_remove(struct http_request *req,
                              struct http_response *res)
{
    const char *s = req->path + strlen(IMPORTS_PREFIX);
    const char *slash = strchr(s, '/');
    size_t n = slash ? (size_t)(slash - s) : strlen(s);
    struct store_removed r;
    struct buf err;
    int64_t id;
    enum err rc;

    if (n == 0 || n > 18 || parse_i64n(s, n, 1, INT64_MAX, &id) != ERR_OK) {
        http_error(res, 400, "id", "the import id must be a positive integer");
        return;
    }
    if (slash == NULL || strcmp(slash, "/remove") != 0) {
        http_error(res, 404, NULL, "no such action: use remove");
        return;
    }
    buf_init(&err, 1024);
    rc = store_import_remove(req->st, id, req->user ? req->user : "?",
                             time_now(), &r, &err);
    if (rc == ERR_OK)
        removed_json(res, id, &r);
    else if (rc == ERR_NOTFOUND)
        http_error(res, 404, NULL, "no import %lld", (long long)id);
    else
        api_store_failed(req, res, rc, "removing import %lld failed",
                         (long long)id);
    buf_free(&err);
}

/* The body {"account": "platform:ext_id", "role": "own"|"tracked"};
 * false when res holds the 400 (naming the field). */
static bool role_body(struct http_response *res,
                      json_t *o, struct buf *err, enum platform *p,
                      const char **ext_id, bool *tracked)
{
    const char *acct = NULL, *role = NULL, *colon;
    struct jread r;
    struct buf name;
    bool ok = false;

    jread_init(&r, err);
    jread_where(&r, "body");
    buf_init(&name, 64);
    if (jread_string(&r, o, "account", J_REQUIRED, ITEM_ID_MAX + 16, &acct) !=
            ERR_OK ||
        jread_string(&r, o, "role", J_REQUIRED, 16, &role) != ERR_OK) {
        http_error(res, 400, acct == NULL ? "account" : "role", "%s",
                   buf_cstr(err));
        goto out;
    }
    colon = strchr(acct, ':');
    if (colon == NULL || colon[1] == '\0' ||
        buf_append(&name, acct, (size_t)(colon - acct)) != ERR_OK ||
        platform_from_name(buf_cstr(&name), p) != ERR_OK) {
        http_error(res, 400, "account",
                   "account must be PLATFORM:ID (e.g. youtube:UC...)");
        goto out;
    }
    if (strcmp(role, "own") != 0 && strcmp(role, "tracked") != 0) {
        http_error(res, 400, "role", "role must be own or tracked");
        goto out;
    }
    *ext_id = colon + 1;
    *tracked = strcmp(role, "tracked") == 0;
    ok = true;
out:
    buf_free(&name);
    jread_free(&r);
    return ok;
}

static void api_account_role(struct http_request *req,
                             struct http_response *res)
{
    json_t *root = NULL;
    enum platform p;
    const char *ext_id;
    bool tracked;
    int64_t changed = 0;
    struct buf err;
    struct jw w;
    enum err rc;

    buf_init(&err, 1024);
    if (req->body_too_big || req->body.len > ROLE_BODY_MAX) {
        http_error(res, 413, "body", "the body is too large");
        goto out;
    }
    root = json_loadb(req->body.data ? req->body.data : "", req->body.len,
                      JSON_REJECT_DUPLICATES, NULL);
    if (!json_is_object(root)) {
        http_error(res, 400, "body", "the body must be a JSON object");
        goto out;
    }
    if (!role_body(res, root, &err, &p, &ext_id, &tracked))
        goto out;
    buf_reset(&err);
    rc = store_account_set_role(req->st, p, ext_id, tracked,
                                req->user ? req->user : "?", time_now(),
                                &changed, &err);
    if (rc == ERR_NOTFOUND) {
        http_error(res, 404, "account", "%s", buf_cstr(&err));
    } else if (rc != ERR_OK) {
        api_store_failed(req, res, rc, "setting the role of %s:%s failed",
                         platform_name(p), ext_id);
    } else {
        jw_init(&w, &res->body);
        jw_object_begin(&w);
        jw_kv_str(&w, "role", tracked ? "tracked" : "own");
        jw_kv_i64(&w, "changed", changed);
        jw_object_end(&w);
        api_ok_json(res, &w);
    }
out:
    json_decref(root);
    buf_free(&err);
}

static enum err emit_cmp(void *ud, const struct store_account_cmp *c)
{
    struct jw *w = ud;
    jw_object_begin(w);
    jw_kv_str(w, "platform", platform_name(c->platform));
    jw_kv_str(w, "id", c->ext_id);
    jw_kv_str(w, "handle", c->handle);
    jw_kv_str(w, "title", c->title);
    jw_kv_str(w, "role", c->tracked ? "tracked" : "own");
    jw_key(w, "followers");
    if (c->has_followers)
        jw_i64(w, c->followers);
    else
        jw_null(w);
    jw_key(w, "followers_growth");
    if (c->has_growth)
        jw_i64(w, c->followers_growth);
    else
        jw_null(w);
    jw_kv_i64(w, "content", c->content);
    jw_kv_i64(w, "active_content", c->active);
    jw_kv_i64(w, "views_gain", c->views);
    jw_key(w, "views_per_content");
    if (c->active > 0)
        jw_real(w, (double)c->views / (double)c->active);
    else
        jw_null(w);
    jw_object_end(w);
    return w->status;
}

static void api_competitors(struct http_request *req,
                            struct http_response *res)
{
    struct api_range range;
    struct jw w;

    if (!api_arg_range(req, res, 28, &range))
        return;
    jw_init(&w, &res->body);
    jw_object_begin(&w);
    api_json_range(&w, &range, false);
    jw_key(&w, "accounts");
    jw_array_begin(&w);
    if (store_account_compare(req->st, range.from_day, range.to_day,
                              emit_cmp, &w) != ERR_OK) {
        http_error(res, 500, NULL, "database error");
        return;
    }
    jw_array_end(&w);
    jw_object_end(&w);
    api_ok_json(res, &w);
}

const struct route http_owned_routes[] = {
    {"GET", "/api/v1/imports", api_imports, 0},
    {"POST", IMPORTS_PREFIX, api_import_remove, 0},
    {"POST", "/api/v1/accounts/role", api_account_role, 0},
    {"GET", "/api/v1/competitors", api_competitors, ROUTE_CACHE},
    {NULL, NULL, NULL, 0},
};
