/* The collector's state and connecting accounts from the dashboard.
 *   GET  /api/v1/sources                per account: connection status
 *        (needs_relogin), jobs, items tracked; the YouTube quota day
 *   POST /api/v1/sources/collect        run the due jobs now (202)
 *   POST /api/v1/connections/PLATFORM   {"account": optional} -> the
 *        consent URL (oauth_begin); CSRF-protected like every POST
 *   GET  /oauth/callback?code=&state=   the platform's redirect: check
 *        the state, queue the code exchange for serve's OAuth loop
 *        (src/cli/serve_oauth.h) and go to the Sources page at once,
 *        which shows the result ("connecting" below) when it has run
 * The callback is a top-level navigation from the platform's site, so it
 * carries no Origin of ours and, with a SameSite=Strict cookie, no
 * session cookie either: it is ROUTE_PUBLIC and checks the session
 * itself. Without one it answers a page that reloads the same URL from
 * our own origin (the cookie then comes along); still without one it
 * goes to the login page and nothing is exchanged. The state is random,
 * single use, expires in 10 minutes and can only be made by a logged-in
 * user (the POST above), so a forged or replayed callback is refused. */
#define LOG_MODULE "http"
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/bgloop.h"
#include "core/config.h"
#include "core/jsonw.h"
#include "core/log.h"
#include "core/secret.h"
#include "core/timeutil.h"
#include "core/tz.h"
#include "http/api_args.h"
#include "http/auth.h"
#include "http/route.h"
#include "net/net.h"
#include "net/oauth.h"
#include "platforms/platform.h"

#define CONNECT_PREFIX "/api/v1/connections/"
#define QUOTA_ZONE "America/Los_Angeles" /* collect.h COLLECT_QUOTA_ZONE */
#define CALLBACK_ARG_MAX 4096
#define CONNECTING_S 3600 /* sign-ins listed by GET /api/v1/sources */
#define CONNECTING_MAX 20

/* ---- GET /api/v1/sources ------------------------------------------------ */

struct src_acct {
    enum platform p;
    char *account;
    enum cred_status status;
    char *cred_error;
    int64_t updated_at;
    int64_t login_end;  /* oauth_login_deadline */
    char *renew_error;
};

struct src_list {
    struct src_acct *v;
    size_t n, cap;
};

static enum err acct_add(void *ud, const struct store_cred *c)
{
    struct src_list *l = ud;

    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 8;
        l->v = xrealloc(l->v, l->cap * sizeof(*l->v));
    }
    l->v[l->n] = (struct src_acct){c->platform, xstrdup(c->account),
                                   c->status,
                                   c->last_error ? xstrdup(c->last_error)
                                                 : NULL,
                                   c->updated_at, oauth_login_deadline(platform_oauth_of(c->platform), c),
                                   c->renew_error ? xstrdup(c->renew_error)
                                                  : NULL};
    l->n++;
    return ERR_OK;
}

static void list_free(struct src_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->v[i].account);
        free(l->v[i].cred_error);
        free(l->v[i].renew_error);
    }
    free(l->v);
}

static void job_json(struct jw *w, const struct store_job *j)
{
    jw_object_begin(w);
    jw_kv_str(w, "platform", platform_name(j->platform));
    jw_kv_str(w, "account", j->account);
    jw_kv_str(w, "job", job_kind_name(j->kind));
    jw_kv_time(w, "last_fetch", j->last_fetch);
    jw_kv_time(w, "next_due", j->next_due);
    jw_kv_str(w, "status", job_status_name(j->status));
    jw_kv_i64(w, "failures", j->failures);
    jw_kv_str(w, "last_error", j->last_error);
    jw_object_end(w);
}

/* Platforms that report their API usage (Instagram's Graph headers):
 * the percentage its last round saw, or null. */
static void usage_json(struct store *st, struct jw *w,
                       const struct src_acct *a)
{
    int pct = 0;
    int64_t at = TIME_NONE;

    jw_key(w, "api_usage");
    if (!platform_get(a->p)->api_usage ||
        store_usage_get(st, a->p, a->account, &pct, &at) != ERR_OK) {
        jw_null(w);
        return;
    }
    jw_object_begin(w);
    jw_kv_i64(w, "percent", pct);
    jw_kv_time(w, "observed_at", at);
    jw_object_end(w);
}

/* When the account's login ends unless renewed (days rounded down),
 * whether that is within OAUTH_WARN_DAYS (the banner says so), and why
 * the last renewal failed. */
static void login_json(struct jw *w, const struct src_acct *a)
{
    int64_t now = time_now();
    bool soon = a->login_end != TIME_NONE &&
                a->login_end - now < OAUTH_WARN_DAYS * 86400;

    jw_kv_time(w, "login_expires_at", a->login_end);
    jw_key(w, "login_expires_in_days");
    if (a->login_end == TIME_NONE)
        jw_null(w);
    else
        jw_i64(w, oauth_days_left(a->login_end, now));
    jw_kv_bool(w, "login_expires_soon", soon);
    jw_kv_str(w, "renew_error", a->renew_error);
}

static enum err dropped_one(void *ud, const char *kind, const char *metric)
{
    struct jw *w = ud;

    jw_object_begin(w);
    jw_kv_str(w, "kind", kind);
    jw_kv_str(w, "metric", metric);
    jw_object_end(w);
    return ERR_OK;
}

/* The metrics a platform refused per media kind (a descriptor with
 * dropped_metrics: Instagram's insights), which the collector does not ask
 * for (platform.h PLATFORM_DROPPED_MEMORY_S: 7 days). */
static enum err dropped_json(struct store *st, struct jw *w,
                             const struct src_acct *a)
{
    enum err rc = ERR_OK;

    jw_key(w, "dropped_metrics");
    jw_array_begin(w);
    if (platform_get(a->p)->dropped_metrics != NULL)
        rc = store_dropped_metric_list(st, a->p, a->account,
                                       time_now() - PLATFORM_DROPPED_MEMORY_S, dropped_one,
                                       w);
    jw_array_end(w);
    return rc;
}

/* One account: its connection and the summary of its jobs and items. */
static enum err account_json(struct store *st, struct jw *w,
                             const struct src_acct *a)
{
    struct store_job j[JOB_KIND_COUNT];
    bool has[JOB_KIND_COUNT] = {false};
    int64_t items = 0, items_due = INT64_MAX, last = TIME_NONE;
    int64_t next = INT64_MAX, fails = 0;
    const char *err = NULL, *status = "pending";
    enum err rc = ERR_OK;

    memset(j, 0, sizeof j);
    for (int k = 0; k < JOB_KIND_COUNT && rc == ERR_OK; k++) {
        rc = store_job_get(st, a->p, a->account, (enum job_kind)k, &j[k]);
        has[k] = rc == ERR_OK;
        if (rc == ERR_NOTFOUND)
            rc = ERR_OK;
    }
    if (rc == ERR_OK)
        rc = store_item_sched_stats(st, (int)a->p, a->account, &items,
                                    &items_due);
    if (rc != ERR_OK)
        goto out;
    for (int k = 0; k < JOB_KIND_COUNT; k++) {
        if (!has[k])
            continue;
        if (last == TIME_NONE || j[k].last_fetch > last)
            last = j[k].last_fetch;
        next = j[k].next_due < next ? j[k].next_due : next;
        fails = j[k].failures > fails ? j[k].failures : fails;
        if (j[k].last_error != NULL && (err == NULL || j[k].status != JOB_OK))
            err = j[k].last_error;
        if (strcmp(status, "pending") == 0 || j[k].status != JOB_OK)
            status = job_status_name(j[k].status);
    }
    if (items_due < next)
        next = items_due;
    jw_object_begin(w);
    jw_kv_str(w, "platform", platform_name(a->p));
    jw_kv_str(w, "account", a->account);
    jw_kv_str(w, "connection", cred_status_name(a->status));
    jw_kv_bool(w, "needs_relogin", a->status == CRED_NEEDS_RELOGIN);
    jw_kv_str(w, "connection_error", a->cred_error);
    jw_kv_time(w, "connected_at", a->updated_at);
    jw_kv_str(w, "status", status);
    jw_kv_time(w, "last_fetch", last);
    jw_kv_time(w, "next_due", next == INT64_MAX ? TIME_NONE : next);
    jw_kv_i64(w, "failures", fails);
    jw_kv_str(w, "last_error", err);
    jw_kv_i64(w, "items_tracked", items);
    usage_json(st, w, a);
    jw_kv_time(w, "items_next_due",
               items_due == INT64_MAX ? TIME_NONE : items_due);
    login_json(w, a);
    rc = dropped_json(st, w, a);
    jw_object_end(w);
out:
    for (int k = 0; k < JOB_KIND_COUNT; k++)
        store_job_free(&j[k]);
    return rc;
}

static enum err job_row(void *ud, const struct store_job *j)
{
    job_json(ud, j);
    return ERR_OK;
}

/* One platform's quota day: {used_today, limit, resets_at}. */
static void quota_obj(struct jw *w, const struct platform_desc *d,
                      const struct config *cfg, int64_t used, int64_t reset)
{
    jw_object_begin(w);
    jw_kv_i64(w, "used_today", used);
    if (cfg != NULL)
        jw_kv_i64(w, "limit", d->daily_quota(cfg));
    else
        jw_kv_str(w, "limit", NULL);
    jw_kv_time(w, "resets_at", reset);
    jw_object_end(w);
}

/* The quota day (midnight Pacific) of every platform with a daily quota
 * (the descriptor's daily_quota), as `mediadash sources`: "quota":
 * {"<name>": {...}}, and the same as "<name>_quota" (the older member,
 * kept for clients that read it). */
static enum err quota_json(struct http_request *req, struct jw *w)
{
    const struct config *cfg = req->cfg->platform;
    struct tz *la = NULL;
    struct buf err;
    int64_t now = time_now(), used[PLATFORM_COUNT] = {0}, start, reset;
    enum err rc;

    buf_init(&err, 512);
    rc = tz_load(QUOTA_ZONE, &la, &err);
    if (rc != ERR_OK) {
        LOG_WARN("sources: %s", buf_cstr(&err));
        goto out;
    }
    start = tz_day_start(la, now);
    reset = tz_next_day_start(la, now);
    for (int p = 0; p < PLATFORM_COUNT && rc == ERR_OK; p++)
        if (platform_get((enum platform)p)->daily_quota != NULL)
            rc = store_quota_get(req->st, (enum platform)p, start, &used[p]);
    if (rc != ERR_OK)
        goto out;
    jw_key(w, "quota");
    jw_object_begin(w);
    for (int p = 0; p < PLATFORM_COUNT; p++)
        if (platform_get((enum platform)p)->daily_quota != NULL) {
            jw_key(w, platform_name((enum platform)p));
            quota_obj(w, platform_get((enum platform)p), cfg, used[p], reset);
        }
    jw_object_end(w);
    for (int p = 0; p < PLATFORM_COUNT; p++)
        if (platform_get((enum platform)p)->daily_quota != NULL) {
            buf_setf(&err, "%s_quota", platform_name((enum platform)p));
            jw_key(w, buf_cstr(&err));
            quota_obj(w, platform_get((enum platform)p), cfg, used[p], reset);
        }
out:
    tz_destroy(la);
    buf_free(&err);
    return rc;
}

/* What the collector last did on a platform: its most recent job. */
struct last_round {
    int64_t at;
    char *account, *status, *error;
    size_t jobs;
};

static enum err round_row(void *ud, const struct store_job *j)
{
    struct last_round *r = &((struct last_round *)ud)[j->platform];

    r->jobs++;
    if (j->last_fetch == TIME_NONE ||
        (r->at != TIME_NONE && j->last_fetch <= r->at))
        return ERR_OK;
    r->at = j->last_fetch;
    free(r->account);
    free(r->error);
    free(r->status);
    r->account = xstrdup(j->account);
    r->status = xstrdup(job_status_name(j->status));
    r->error = j->last_error ? xstrdup(j->last_error) : NULL;
    return ERR_OK;
}

static void round_json(struct jw *w, const struct last_round *r)
{
    jw_key(w, "last_round");
    if (r->at == TIME_NONE) {
        jw_null(w);
        return;
    }
    jw_object_begin(w);
    jw_kv_time(w, "at", r->at);
    jw_kv_str(w, "account", r->account);
    jw_kv_str(w, "status", r->status);
    jw_kv_str(w, "error", r->error);
    jw_object_end(w);
}

static bool unset(const char *v)
{
    return v == NULL || *v == '\0';
}

/* The configuration keys connecting p still needs, as a JSON array. */
static void missing_json(struct jw *w, const struct config *cfg,
                         enum platform p)
{
    static const char *const keys[] = {"client_id", "client_secret",
                                       "redirect_uri"};
    const struct config_platform *c = cfg ? &cfg->plat[p] : NULL;
    const char *v[3] = {c ? c->client_id : NULL, c ? c->client_secret : NULL,
                        c ? c->redirect_uri : NULL};
    struct buf key;

    buf_init(&key, 64);
    jw_key(w, "missing");
    jw_array_begin(w);
    for (size_t i = 0; i < 3; i++) {
        if (!unset(v[i]))
            continue;
        buf_setf(&key, "%s.%s", platform_name(p), keys[i]);
        jw_str(w, buf_cstr(&key));
    }
    jw_array_end(w);
    buf_free(&key);
}

/* Per platform: whether Connect works, and if not what it needs; the
 * redirect URI to register; the developer console; the last round. */
static enum err platforms_json(struct http_request *req, struct jw *w,
                               const struct src_list *creds)
{
    const struct config *cfg = req->cfg->platform;
    struct last_round r[PLATFORM_COUNT];
    enum err rc;

    for (int p = 0; p < PLATFORM_COUNT; p++)
        r[p] = (struct last_round){TIME_NONE, NULL, NULL, NULL, 0};
    rc = store_job_list(req->st, round_row, r);
    jw_key(w, "platforms");
    jw_array_begin(w);
    for (int p = 0; p < PLATFORM_COUNT; p++) {
        const struct config_platform *c = cfg ? &cfg->plat[p] : NULL;
        jw_object_begin(w);
        jw_kv_str(w, "platform", platform_name((enum platform)p));
        bool loaded = cfg != NULL && req->cfg->oauth != NULL;
        jw_kv_bool(w, "configured", loaded && !unset(c->client_id));
        jw_kv_bool(w, "config_loaded", loaded);
        missing_json(w, cfg, (enum platform)p);
        jw_kv_str(w, "redirect_uri", c ? c->redirect_uri : NULL);
        jw_kv_str(w, "console_url",
                  platform_get((enum platform)p)->console_url);
        jw_kv_str(w, "console_name",
                  platform_get((enum platform)p)->console_name);
        int64_t n = 0;
        for (size_t k = 0; k < creds->n; k++)
            n += creds->v[k].p == (enum platform)p;
        jw_kv_i64(w, "accounts_connected", n);
        jw_kv_i64(w, "jobs", (int64_t)r[p].jobs);
        round_json(w, &r[p]);
        jw_object_end(w);
        free(r[p].account);
        free(r[p].status);
        free(r[p].error);
    }
    jw_array_end(w);
    return rc;
}

/* ---- accounts with data -------------------------------------------------- */

#define DATA_ACCOUNTS_MAX 500 /* listed on the page; the total is given */

struct data_walk {
    struct jw *w;
    const struct src_list *creds;
};

static bool is_connected(const struct src_list *l, const struct item *it)
{
    for (size_t i = 0; i < l->n; i++)
        if (l->v[i].p == it->platform &&
            strcmp(l->v[i].account, it->ext_id) == 0)
            return true;
    return false;
}

static enum err data_row(void *ud, const struct item *it)
{
    struct data_walk *d = ud;
    const struct snapshot *s = it->nsnaps ? it->snaps[0] : NULL;
    const struct metric *f = s ? metrics_get(&s->metrics, M_FOLLOWERS) : NULL;

    jw_object_begin(d->w);
    jw_kv_str(d->w, "platform", platform_name(it->platform));
    jw_kv_str(d->w, "account", it->ext_id);
    jw_kv_str(d->w, "handle", it->handle);
    jw_kv_str(d->w, "title", it->title);
    jw_kv_bool(d->w, "connected", is_connected(d->creds, it));
    jw_kv_time(d->w, "latest_at", s ? s->observed_at : TIME_NONE);
    jw_key(d->w, "followers");
    if (f != NULL && !f->is_real)
        jw_i64(d->w, f->i);
    else
        jw_null(d->w);
    jw_object_end(d->w);
    return ERR_OK;
}

/* Every account the store has data for, connected or only imported. */
static enum err data_accounts_json(struct http_request *req, struct jw *w,
                                   const struct src_list *creds)
{
    struct item_query q;
    struct data_walk d = {w, creds};
    struct buf err;
    int64_t total = 0;
    enum err rc;

    memset(&q, 0, sizeof q);
    q.type = ITEM_ACCOUNT;
    q.platform = -1;
    q.limit = DATA_ACCOUNTS_MAX;
    buf_init(&err, 1024);
    jw_key(w, "accounts_with_data");
    jw_array_begin(w);
    rc = store_list_items(req->st, &q, data_row, &d, &err);
    jw_array_end(w);
    if (rc == ERR_OK)
        rc = store_count_items(req->st, &q, &total);
    jw_kv_i64(w, "accounts_with_data_total", total);
    buf_free(&err);
    return rc;
}

static enum err pending_one(void *ud, const struct store_oauth_pending *p)
{
    struct jw *w = ud;

    jw_object_begin(w);
    jw_kv_i64(w, "id", p->id);
    jw_kv_str(w, "platform", platform_name(p->platform));
    jw_kv_str(w, "account", p->account);
    jw_kv_str(w, "status", store_pending_status_name(p->status));
    jw_kv_str(w, "error", p->message);
    jw_kv_time(w, "started_at", p->created_at);
    jw_kv_time(w, "finished_at", p->finished_at);
    jw_object_end(w);
    return ERR_OK;
}

/* The dashboard's sign-ins of the last hour, newest first: queued,
 * running, ok or error (with the message), for the Sources page. */
static enum err connecting_json(struct http_request *req, struct jw *w)
{
    struct buf err;
    enum err rc;

    buf_init(&err, 1024);
    jw_key(w, "connecting");
    jw_array_begin(w);
    rc = store_oauth_pending_list(req->st, time_now() - CONNECTING_S,
                                  CONNECTING_MAX, pending_one, w, &err);
    jw_array_end(w);
    buf_free(&err);
    return rc;
}

static void api_sources(struct http_request *req, struct http_response *res)
{
    struct src_list l = {0};
    struct buf err;
    struct jw w;
    bool relogin = false;
    enum err rc;

    buf_init(&err, 1024);
    rc = store_cred_list(req->st, acct_add, &l, &err);
    jw_init(&w, &res->body);
    jw_object_begin(&w);
    jw_key(&w, "accounts");
    jw_array_begin(&w);
    for (size_t i = 0; i < l.n && rc == ERR_OK; i++) {
        rc = account_json(req->st, &w, &l.v[i]);
        relogin = relogin || l.v[i].status == CRED_NEEDS_RELOGIN;
    }
    jw_array_end(&w);
    jw_kv_bool(&w, "needs_relogin", relogin);
    jw_key(&w, "jobs");
    jw_array_begin(&w);
    if (rc == ERR_OK)
        rc = store_job_list(req->st, job_row, &w);
    jw_array_end(&w);
    if (rc == ERR_OK)
        rc = quota_json(req, &w);
    if (rc == ERR_OK)
        rc = platforms_json(req, &w, &l);
    if (rc == ERR_OK)
        rc = data_accounts_json(req, &w, &l);
    if (rc == ERR_OK)
        rc = connecting_json(req, &w);
    jw_object_end(&w);
    if (rc != ERR_OK)
        http_error(res, 500, NULL, "database error reading the sources");
    else
        api_ok_json(res, &w);
    list_free(&l);
    buf_free(&err);
}

/* ---- POST /api/v1/sources/collect ---------------------------------------- */

/* Run the collector's due jobs now instead of at its next wake-up. */
static void api_collect_now(struct http_request *req,
                            struct http_response *res)
{
    struct jw w;

    if (req->cfg->collector == NULL) {
        http_error(res, 409, NULL, "the collector is not running in this "
                   "server (serve --no-collect): use mediadash collect");
        return;
    }
    bgloop_kick(req->cfg->collector);
    jw_init(&w, &res->body);
    jw_object_begin(&w);
    jw_kv_bool(&w, "started", true);
    jw_object_end(&w);
    api_ok_json(res, &w);
    res->status = 202;
}

/* ---- POST /api/v1/connections/PLATFORM ---------------------------------- */

/* The optional {"account": "..."}: 1..ITEM_ID_MAX visible ASCII. */
static bool connect_account(struct http_request *req,
                            struct http_response *res, json_t **doc,
                            const char **out)
{
    json_t *v;
    size_t n;

    *out = NULL;
    *doc = NULL;
    if (req->body.len == 0)
        return true;
    *doc = json_loadb(req->body.data, req->body.len, JSON_REJECT_DUPLICATES,
                      NULL);
    if (!json_is_object(*doc)) {
        http_error(res, 400, "body", "the body must be a JSON object");
        return false;
    }
    v = json_object_get(*doc, "account");
    if (v == NULL || json_is_null(v))
        return true;
    n = json_string_length(v);
    if (!json_is_string(v) || n == 0 || n > ITEM_ID_MAX) {
        http_error(res, 400, "account", "account must be a string of 1 to "
                   "%d characters", ITEM_ID_MAX);
        return false;
    }
    *out = json_string_value(v);
    for (size_t i = 0; i < n; i++)
        if ((*out)[i] < 0x21 || (*out)[i] > 0x7e) {
            http_error(res, 400, "account", "account must be visible ASCII "
                       "without spaces");
            return false;
        }
    return true;
}

static void api_connect(struct http_request *req, struct http_response *res)
{
    const char *name = req->path + strlen(CONNECT_PREFIX), *account, *login;
    struct buf url, state, err;
    json_t *doc = NULL;
    enum platform p;
    struct jw w;
    enum err rc;

    buf_init(&url, NET_MAX_URL);
    buf_init(&state, 128);
    buf_init(&err, 1024);
    if (platform_from_name(name, &p) != ERR_OK) {
        if (platform_names_join(&err, false, ", ", " or ") != ERR_OK)
            buf_reset(&err);
        http_error(res, 404, NULL, "no platform \"%.32s\": use %s", name,
                   buf_cstr(&err));
        goto out;
    }
    if (!connect_account(req, res, &doc, &account))
        goto out;
    if (req->cfg->oauth == NULL) {
        http_error(res, 503, NULL, "the platforms' configuration is not "
                   "loaded (serve --config FILE)");
        goto out;
    }
    login = json_string_value(json_object_get(doc, "login"));
    if (json_object_get(doc, "login") != NULL && login == NULL) {
        struct buf names;

        buf_init(&names, 64);
        oauth_login_names(platform_oauth_of(p), &names);
        http_error(res, 400, "login", "login must be a string%s%s",
                   buf_cstr(&names)[0] != '\0' ? ": " : "",
                   buf_cstr(&names));
        buf_free(&names);
        goto out;
    }
    rc = oauth_begin_login(req->cfg->oauth, req->st, p, account, login, &url,
                           &state, &err);
    if (rc != ERR_OK) {
        http_error(res, rc == ERR_INVALID ? 409 : 500, NULL, "%s: %s",
                   platform_name(p),
                   rc == ERR_INVALID ? buf_cstr(&err) : "cannot start");
        goto out;
    }
    jw_init(&w, &res->body);
    jw_object_begin(&w);
    jw_kv_str(&w, "platform", platform_name(p));
    jw_kv_str(&w, "url", buf_cstr(&url));
    jw_kv_i64(&w, "expires_in", OAUTH_STATE_TTL_S);
    jw_object_end(&w);
    api_ok_json(res, &w);
out:
    json_decref(doc);
    buf_free(&err);
    buf_free(&state);
    buf_free(&url);
}

/* ---- GET /oauth/callback ------------------------------------------------ */

/* 303 to the Sources page (a hash route of the single page) with
 * ?connected=P:ACCOUNT or ?error=MESSAGE. */
static void to_sources(struct http_response *res, const char *key,
                       const char *value)
{
    struct buf loc;

    buf_init(&loc, NET_MAX_URL);
    buf_catf(&loc, "/#/sources");
    if (net_url_add_param(&loc, key, value) != ERR_OK) {
        buf_reset(&loc);
        buf_catf(&loc, "/#/sources?error=callback");
    }
    res->status = 303;
    res->content_type = "text/plain; charset=utf-8";
    buf_reset(&res->body);
    buf_catf(&res->body, "see %s\n", buf_cstr(&loc));
    res->location_owned = buf_steal(&loc);
}

/* No session cookie came (SameSite=Strict on a cross-site navigation):
 * a page that loads the same callback again from our own origin. */
static void bounce(struct http_response *res, const char *code,
                   const char *state)
{
    struct buf url;

    buf_init(&url, NET_MAX_URL);
    buf_catf(&url, "/oauth/callback");
    if (net_url_add_param(&url, "code", code) != ERR_OK ||
        net_url_add_param(&url, "state", state) != ERR_OK ||
        net_url_add_param(&url, "again", "1") != ERR_OK) {
        http_error(res, 400, NULL, "callback arguments too long");
        goto out;
    }
    res->status = 200;
    res->content_type = "text/html; charset=utf-8";
    buf_reset(&res->body);
    buf_catf(&res->body, "<!doctype html><html><head><meta charset=\"utf-8\">"
                         "<meta http-equiv=\"refresh\" content=\"0;url=");
    /* percent-encoded: only '&' needs escaping in the attribute */
    for (size_t i = 0; i < url.len; i++) {
        if (url.data[i] == '&')
            buf_catf(&res->body, "&amp;");
        else
            buf_catf(&res->body, "%c", url.data[i]);
    }
    buf_catf(&res->body, "\"><title>Connecting · mediadash</title></head>"
                         "<body><p>Finishing the connection…</p></body>"
                         "</html>\n");
out:
    buf_free(&url);
}

/* Queue the code exchange for serve's OAuth loop (this thread does no
 * network I/O) and go to the Sources page with ?pending=ID: it shows
 * "connecting..." and polls GET /api/v1/sources ("connecting") for the
 * result. The state must be live; a state queued before (the callback
 * hit twice) goes to its first row, so a code is exchanged at most once.
 * The code is sealed with the secret key while it waits in the store. */
static void queue_consent(struct http_request *req,
                          struct http_response *res, const char *code,
                          const char *state)
{
    struct buf sealed, err, id_text;
    int64_t id = 0;
    enum err rc = ERR_INVALID;

    buf_init(&sealed, OAUTH_MAX_TOKEN * 2 + 256);
    buf_init(&err, 1024);
    buf_init(&id_text, 32);
    if (req->cfg->oauth_loop == NULL || req->cfg->key == NULL) {
        to_sources(res, "error", "This server cannot finish connections "
                                 "(its OAuth loop is not running).");
        goto out;
    }
    if (strlen(state) <= 256 && strlen(code) <= OAUTH_MAX_TOKEN)
        rc = secret_seal(req->cfg->key, code, strlen(code), &sealed);
    if (rc == ERR_OK)
        rc = store_oauth_pending_add(req->st, state, buf_cstr(&sealed),
                                     time_now(), &id, &err);
    if (rc == ERR_OK || rc == ERR_EXISTS) {
        bgloop_kick(req->cfg->oauth_loop);
        buf_catf(&id_text, "%lld", (long long)id);
        to_sources(res, "pending", buf_cstr(&id_text));
    } else if (rc == ERR_NOTFOUND) {
        to_sources(res, "error", "This sign-in is unknown, already used or "
                                 "expired (it is valid for 10 minutes, "
                                 "once): press Connect again.");
    } else if (rc == ERR_DB) {
        LOG_ERROR("oauth callback: %s", buf_cstr(&err));
        http_error(res, 503, NULL, "the database is not available");
    } else {
        to_sources(res, "error", "The platform's answer was too long: "
                                 "press Connect again.");
    }
    if (rc == ERR_OK)
        LOG_INFO("%s: sign-in %lld queued", req->user ? req->user : "?",
                 (long long)id);
out:
    secret_buf_wipe(&sealed);
    buf_free(&id_text);
    buf_free(&err);
}

static bool arg_ok(const char *v)
{
    return v != NULL && *v != '\0' && strlen(v) <= CALLBACK_ARG_MAX;
}

static void oauth_callback(struct http_request *req,
                           struct http_response *res)
{
    const char *code = http_arg(req, "code"), *state = http_arg(req, "state");
    const char *denied = http_arg(req, "error");
    struct buf loc, msg;
    enum err rc = auth_session_load(req);

    buf_init(&loc, 8192);
    buf_init(&msg, 1024);
    if (rc == ERR_DB) {
        http_error(res, 503, NULL, "the database is not available");
        goto out;
    }
    if (rc != ERR_OK && http_arg(req, "again") == NULL && arg_ok(code) &&
        arg_ok(state)) {
        bounce(res, code, state);
        goto out;
    }
    if (rc != ERR_OK) {
        /* nothing exchanged: the state stays unused until it expires */
        auth_login_location("/", &loc);
        res->status = 302;
        res->content_type = "text/plain; charset=utf-8";
        buf_reset(&res->body);
        buf_catf(&res->body, "log in first, then press Connect again\n");
        res->location_owned = buf_steal(&loc);
        goto out;
    }
    if (denied != NULL) {
        buf_catf(&msg, "The platform did not connect the account: %.200s",
                 denied);
        to_sources(res, "error", buf_cstr(&msg));
    } else if (!arg_ok(code) || !arg_ok(state)) {
        to_sources(res, "error", "The platform's answer had no code or "
                                 "state: press Connect again.");
    } else if (req->cfg->oauth == NULL) {
        to_sources(res, "error", "The platforms' configuration is not "
                                 "loaded (serve --config FILE).");
    } else {
        queue_consent(req, res, code, state);
    }
out:
    buf_free(&msg);
    buf_free(&loc);
}

const struct route http_source_routes[] = {
    {"GET", "/api/v1/sources", api_sources, 0},
    {"POST", "/api/v1/sources/collect", api_collect_now, 0},
    {"POST", CONNECT_PREFIX, api_connect, 0},
    {"GET", "/oauth/callback", oauth_callback, ROUTE_PUBLIC},
    {NULL, NULL, NULL, 0},
};
