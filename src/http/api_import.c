/* POST /api/v1/import: the request body is one saved platform response,
 * validated and stored exactly as `mediadash import` does a file (the
 * shared ingest_document). A page a health source's descriptor claims
 * (platform_health_claimant) goes to the health tables as the CLI's
 * import sends it (health_ingest), and only for a login session: an API
 * token is refused with 403, as on /api/v1/health. */
#include <string.h>

#include "core/str.h"
#include "core/timeutil.h"
#include "http/api.h"
#include "http/api_args.h"
#include "http/api_fail.h"
#include "ingest/health_ingest.h"
#include "ingest/ingest.h"
#include "platforms/platform.h"

#define NAME_MAX_BYTES 255

/* Printable UTF-8 of 1..max bytes: no control characters. */
static bool printable(const char *s, size_t max)
{
    size_t n = strlen(s);
    if (n == 0 || n > max || !str_valid_utf8(s, n))
        return false;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
            return false;
    return true;
}

/* account=PLATFORM:ID into o->account (borrowed from the request). */
static bool arg_account(struct http_request *req, struct http_response *res,
                        struct ingest_opts *o)
{
    const char *v = http_arg(req, "account"), *colon;
    char name[16];
    enum platform p;

    if (v == NULL)
        return true;
    colon = strchr(v, ':');
    if (colon == NULL || colon == v || (size_t)(colon - v) >= sizeof name ||
        !printable(colon + 1, ITEM_ID_MAX))
        goto bad;
    memcpy(name, v, (size_t)(colon - v));
    name[colon - v] = '\0';
    if (platform_from_name(name, &p) != ERR_OK)
        goto bad;
    o->account[p] = colon + 1;
    return true;
bad:
    http_error(res, 400, "account", "account must be PLATFORM:ID, e.g. "
               "tiktok:1234567890");
    return false;
}

static bool args(struct http_request *req, struct http_response *res,
                 const char **name, struct ingest_opts *o)
{
    const char *at = http_arg(req, "observed_at");
    const char *dry = http_arg(req, "dry_run");

    memset(o, 0, sizeof *o);
    o->observed_at = TIME_NONE;
    *name = http_arg(req, "name");
    if (*name == NULL || !printable(*name, NAME_MAX_BYTES)) {
        http_error(res, 400, "name", "name must be the file's name: 1 to %d "
                   "bytes of text without control characters",
                   NAME_MAX_BYTES);
        return false;
    }
    if (at != NULL && time_parse_iso8601(at, &o->observed_at) != ERR_OK) {
        http_error(res, 400, "observed_at", "observed_at must be an ISO 8601 "
                   "time such as 2024-06-01T12:00:00Z");
        return false;
    }
    if (dry != NULL && strcmp(dry, "0") != 0 && strcmp(dry, "1") != 0) {
        http_error(res, 400, "dry_run", "dry_run must be 0 or 1");
        return false;
    }
    o->dry_run = dry != NULL && strcmp(dry, "1") == 0;
    return arg_account(req, res, o);
}

/* 422 {"error": {"status", "message": "NAME: error: ...", "file"}}: the
 * line the CLI prints, unclipped. */
static void refused(struct http_response *res, const char *name,
                    const char *msg)
{
    struct buf line;
    struct jw w;

    buf_init(&line, (size_t)1 << 20);
    buf_catf(&line, "%s: error: %s", name, msg);
    res->status = 422;
    buf_reset(&res->body);
    jw_init(&w, &res->body);
    jw_object_begin(&w);
    jw_key(&w, "error");
    jw_object_begin(&w);
    jw_kv_i64(&w, "status", 422);
    jw_kv_str(&w, "message", buf_cstr(&line));
    jw_kv_str(&w, "file", name);
    jw_object_end(&w);
    jw_object_end(&w);
    api_ok_json(res, &w);
    buf_free(&line);
}

/* "warnings": ["item P:ID: FIELD is not an http(s) URL: not stored", ...]
 * and "fields_not_stored": N. */
static void warnings_json(struct jw *w, const struct ingest_result *r)
{
    const char *line = r->warnings, *nl;
    struct buf one;

    buf_init(&one, 4096);
    jw_kv_i64(w, "fields_not_stored", (int64_t)r->dropped);
    jw_key(w, "warnings");
    jw_array_begin(w);
    while (line != NULL && *line != '\0') {
        nl = strchr(line, '\n');
        buf_reset(&one);
        if (buf_append(&one, line, nl ? (size_t)(nl - line) : strlen(line)) ==
            ERR_OK)
            jw_str(w, buf_cstr(&one));
        line = nl ? nl + 1 : NULL;
    }
    jw_array_end(w);
    buf_free(&one);
}

static void json_result(struct jw *w, const char *name, bool dry_run,
                        const struct ingest_result *r, const char *msg)
{
    jw_object_begin(w);
    jw_kv_str(w, "file", name);
    jw_kv_str(w, "format", r->format);
    jw_kv_i64(w, "items", (int64_t)r->items);
    jw_kv_i64(w, "snapshots", (int64_t)r->snapshots);
    jw_kv_i64(w, "items_new", (int64_t)r->stats.items_new);
    jw_kv_i64(w, "items_seen", (int64_t)r->stats.items_seen);
    jw_kv_i64(w, "snapshots_new", (int64_t)r->stats.snapshots_new);
    jw_kv_i64(w, "values_new", (int64_t)r->stats.values_new);
    jw_kv_i64(w, "values_same", (int64_t)r->stats.values_same);
    jw_kv_i64(w, "values_conflict", (int64_t)r->stats.values_conflict);
    jw_kv_bool(w, "already_imported", r->status == INGEST_EXISTS);
    jw_kv_bool(w, "dry_run", dry_run);
    if (r->stats.accounts_tracked > 0) /* new accounts stored as tracked */
        jw_kv_i64(w, "accounts_tracked",
                  (int64_t)r->stats.accounts_tracked);
    if (r->status == INGEST_EXISTS || (r->status == INGEST_STORED && *msg))
        jw_kv_str(w, "note", msg);
    if (r->warnings != NULL) /* fields not stored: the rest was */
        warnings_json(w, r);
    jw_object_end(w);
}

/* A health source's page: 200 {"file", "format": "<source>.<kind>",
 * "tables": "health", "health_documents", "health_new",
 * "health_replaced", "dry_run"}; 422 when refused (naming the file,
 * document and field); 403 for an API token. */
static void import_health(struct http_request *req, struct http_response *res,
                          const struct platform_desc *src, const char *name,
                          const struct ingest_opts *o)
{
    struct store_health_put put;
    enum health_kind kind = HEALTH_DAILY_SLEEP;
    struct buf msg, fmt;
    struct jw w;
    enum err rc;

    if (req->token_id != 0) {
        http_error(res, 403, NULL, "health data needs a login session: an "
                   "API token may not import %s health data", src->display);
        return;
    }
    buf_init(&msg, 8192);
    buf_init(&fmt, 64);
    rc = health_ingest(req->st, src, name, req->body.data, req->body.len, -1,
                       o->dry_run, time_now(), &kind, &put, &msg);
    if (rc == ERR_DB) {
        api_store_failed(req, res, rc, "storing %s failed", name);
    } else if (rc != ERR_OK) {
        refused(res, name, buf_cstr(&msg));
    } else {
        buf_catf(&fmt, "%s.%s", src->name, health_kind_name(kind));
        jw_init(&w, &res->body);
        jw_object_begin(&w);
        jw_kv_str(&w, "file", name);
        jw_kv_str(&w, "format", buf_cstr(&fmt));
        jw_kv_str(&w, "tables", "health");
        jw_kv_i64(&w, "health_documents", (int64_t)put.docs);
        jw_kv_i64(&w, "health_new", (int64_t)put.added);
        jw_kv_i64(&w, "health_replaced", (int64_t)put.replaced);
        jw_kv_bool(&w, "dry_run", o->dry_run);
        jw_object_end(&w);
        api_ok_json(res, &w);
    }
    buf_free(&msg);
    buf_free(&fmt);
}

void api_import(struct http_request *req, struct http_response *res)
{
    struct ingest_opts o;
    struct ingest_result r;
    const char *name;
    struct buf msg;
    struct jw w;
    enum err rc;
    const struct platform_desc *src;

    if (!args(req, res, &name, &o))
        return;
    src = platform_health_claimant(req->body.data, req->body.len);
    if (src != NULL) {
        import_health(req, res, src, name, &o);
        return;
    }
    buf_init(&msg, 8192);
    rc = ingest_document(req->st, name, req->body.data, req->body.len, &o, &r,
                         &msg);
    if (rc != ERR_OK || (r.status == INGEST_REFUSED && r.db_failed)) {
        api_store_failed(req, res, rc != ERR_OK ? rc : ERR_DB,
                         "storing %s failed", name);
    } else if (r.status == INGEST_REFUSED) {
        refused(res, name, buf_cstr(&msg));
    } else {
        jw_init(&w, &res->body);
        json_result(&w, name, o.dry_run, &r, buf_cstr(&msg));
        api_ok_json(res, &w);
    }
    ingest_result_free(&r);
    buf_free(&msg);
}
