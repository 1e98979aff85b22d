/* Shared parts of the live platform clients (src/platforms/<name>/fetch.c): authenticated calls with one
 * refresh after a 401, error classification, parsing into the round's
 * batch. See fetch.h. */
#include "platforms/fetch.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/secret.h"
#include "core/timeutil.h"
#include "platforms/platform.h"
#include "sources/source.h"

#define FETCH_MSG_MAX 200 /* of a platform's error message we repeat */

void fetch_init(struct fetch *f)
{
    memset(f, 0, sizeof(*f));
    batch_init(&f->batch);
    buf_init(&f->note, 2048);
    buf_init(&f->err, 2048);
    oauth_session_init(&f->auth, NULL, NULL, NULL, PLATFORM_YOUTUBE, NULL);
    f->status = JOB_OK;
    f->quota_left = INT64_MAX;
    f->usage_pct = -1;
}

void fetch_free(struct fetch *f)
{
    if (f == NULL)
        return;
    batch_free(&f->batch);
    fetch_health_free(&f->health);
    fetch_items_free(&f->asked);
    buf_free(&f->note);
    buf_free(&f->err);
    oauth_session_free(&f->auth);
}

void fetch_health_free(struct fetch_health *h)
{
    for (size_t i = 0; i < h->n; i++)
        health_batch_free(&h->v[i]);
    free(h->v);
    memset(h, 0, sizeof(*h));
}

unsigned *fetch_dropped_slot(struct fetch_dropped *m, const char *kind,
                             unsigned *local)
{
    *local = 0;
    if (m == NULL)
        return local;
    for (size_t i = 0; i < m->n; i++)
        if (strcmp(m->kind[i], kind) == 0)
            return &m->dropped[i];
    if (m->n == FETCH_DROP_KINDS || strlen(kind) >= sizeof(m->kind[0]))
        return local;
    memcpy(m->kind[m->n], kind, strlen(kind) + 1);
    m->dropped[m->n] = 0;
    return &m->dropped[m->n++];
}

int fetch_dropped_index(const char *const *metrics, const char *metric)
{
    for (int i = 0; metrics != NULL && metrics[i] != NULL; i++)
        if (strcmp(metrics[i], metric) == 0)
            return i;
    return -1;
}

void fetch_items_add(struct fetch_items *l, const char *id, const char *kind)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 64;
        l->v = xrealloc(l->v, l->cap * sizeof(*l->v));
    }
    l->v[l->n].id = xstrdup(id);
    l->v[l->n].kind = xstrdup(kind ? kind : "");
    l->n++;
}

void fetch_items_free(struct fetch_items *l)
{
    if (l == NULL)
        return;
    for (size_t i = 0; i < l->n; i++) {
        free(l->v[i].id);
        free(l->v[i].kind);
    }
    free(l->v);
    memset(l, 0, sizeof(*l));
}

bool fetch_ask_new(struct fetch *f, const char *id, const char *kind)
{
    if (f->tracked != NULL && f->tracked(f->tracked_ud, id))
        return false;
    fetch_items_add(&f->asked, id, kind);
    return true;
}

bool fetch_listing_done(const struct fetch *f, size_t asked_before)
{
    return f->tracked != NULL && f->asked.n == asked_before;
}

enum err fetch_run(struct fetch *f)
{
    const struct platform_desc *d = platform_get(f->platform);

    if (d == NULL || d->fetch == NULL)
        return ERR_INVALID;
    return d->fetch(f);
}

enum err fetch_url(struct fetch *f, const char *base, const char *path,
                   struct buf *url)
{
    buf_reset(url);
    if (base == NULL || *base == '\0') {
        buf_setf(&f->err, "%s.api_base is not set",
                 platform_name(f->platform));
        f->status = JOB_FAILED;
        return ERR_INVALID;
    }
    if (buf_puts(url, base) != ERR_OK || buf_puts(url, path) != ERR_OK)
        return ERR_TOOBIG;
    return ERR_OK;
}

/* What a platform's error body says: Graph's numeric error.code, TikTok's
 * error.code string or YouTube's error.errors[0].reason, and message. */
struct upstream_error {
    long code;
    char reason[64];
    char message[FETCH_MSG_MAX + 1];
};

static void copy_str(char *dst, size_t cap, const json_t *v)
{
    const char *s = json_string_value(v);
    size_t n;

    dst[0] = '\0';
    if (s == NULL)
        return;
    n = strlen(s);
    if (n >= cap)
        n = cap - 1;
    memcpy(dst, s, n);
    dst[n] = '\0';
    for (size_t i = 0; i < n; i++) /* one line, printable */
        if ((unsigned char)dst[i] < 0x20)
            dst[i] = ' ';
}

static void upstream_error_read(const struct buf *body,
                                struct upstream_error *out)
{
    json_t *root = json_loadb(body->data ? body->data : "", body->len,
                              JSON_REJECT_DUPLICATES, NULL);
    json_t *e = json_object_get(root, "error");
    json_t *code = json_object_get(e, "code");
    json_t *errs = json_object_get(e, "errors");

    memset(out, 0, sizeof(*out));
    if (json_is_integer(code))
        out->code = (long)json_integer_value(code);
    else if (json_is_string(code))
        copy_str(out->reason, sizeof(out->reason), code);
    if (json_is_array(errs))
        copy_str(out->reason, sizeof(out->reason),
                 json_object_get(json_array_get(errs, 0), "reason"));
    copy_str(out->message, sizeof(out->message),
             json_object_get(e, "message"));
    /* Helix: {"error": "Bad Request", "status": 400, "message": ...} */
    if (json_is_string(e)) {
        copy_str(out->reason, sizeof(out->reason), e);
        copy_str(out->message, sizeof(out->message),
                 json_object_get(root, "message"));
    }
    json_decref(root);
}

/* Whether the answer refused the token: a 401, or what the platform's
 * descriptor says (Graph error 190, TikTok access_token_invalid). */
static bool is_auth_error(const struct fetch *f, const struct net_resp *r)
{
    const struct platform_oauth *q = platform_get(f->platform)->oauth;

    return r->status == 401 ||
           (q->token_rejected != NULL && q->token_rejected(r));
}

/* Graph's throttle codes: application (4), user (17), page (32), a
 * method's own limit (613) and the business-use-case limits (80000 to
 * 80099; 80002 is Instagram's). */
bool fetch_graph_throttled(long code)
{
    return code == 4 || code == 17 || code == 32 || code == 613 ||
           (code >= 80000 && code <= 80099);
}

/* When a throttled Graph account may call again: now plus the longest
 * estimated_time_to_regain_access (minutes) of the usage headers, else
 * what the HTTP layer said (Retry-After), else 0 (the collector's
 * backoff). */
static int64_t graph_retry_at(const struct fetch *f, const struct net_resp *r)
{
    int64_t s = fetch_graph_regain_s(
        net_resp_header(r, NET_HDR_X_APP_USAGE),
        net_resp_header(r, NET_HDR_X_BUSINESS_USE_CASE_USAGE));

    return s > 0 ? f->observed_at + s : r->retry_at;
}

/* Decide the job status of a failed call. */
static void classify(struct fetch *f, const struct net_resp *r,
                     const struct upstream_error *ue)
{
    const struct platform_desc *d = platform_get(f->platform);
    bool graph = d->api_usage; /* Graph: its throttle codes and headers */

    f->status = JOB_FAILED;
    if (graph && fetch_graph_throttled(ue->code)) {
        f->status = JOB_RATE_LIMITED;
        f->retry_at = graph_retry_at(f, r);
    } else if (r->fail == NET_FAIL_RATE_LIMITED || r->status == 429 ||
               strcmp(ue->reason, "rate_limit_exceeded") == 0 ||
               strcmp(ue->reason, "rateLimitExceeded") == 0) {
        f->status = JOB_RATE_LIMITED;
        f->retry_at = r->retry_at;
    } else if (d->daily_quota != NULL && r->status == 403 &&
               (strcmp(ue->reason, "quotaExceeded") == 0 ||
                strcmp(ue->reason, "dailyLimitExceeded") == 0)) {
        f->status = JOB_QUOTA_EXCEEDED;
    } else if (is_auth_error(f, r)) {
        f->status = JOB_AUTH_NEEDED;
    }
}

/* One request through oauth_send with f's credential. */
static enum err send_auth(struct fetch *f, enum net_method m, const char *url,
                          const char *body, struct net_resp *resp)
{
    const char *hdrs[] = {"Accept: application/json", NULL, NULL};
    const struct platform_desc *d = platform_get(f->platform);
    const char *cid = f->cfg ? f->cfg->plat[f->platform].client_id : NULL;
    struct oauth_session *s = &f->auth;
    struct net_req req = {0};
    unsigned before = s->attempts;
    struct buf idh;
    enum err rc;

    buf_init(&idh, 512);
    /* Helix wants the client id beside the token (platform.h) */
    if (d->client_id_header != NULL && cid != NULL &&
        buf_printf(&idh, "%s: %s", d->client_id_header, cid) == ERR_OK)
        hdrs[1] = buf_cstr(&idh);

    s->o = f->o;
    s->st = f->st;
    s->nc = f->nc;
    s->platform = f->platform;
    s->account = f->account;
    req.method = m;
    req.url = url;
    req.headers = hdrs;
    req.body = body;
    req.body_len = body ? strlen(body) : 0;
    req.rl = f->rl;
    /* TikTok's list and query POSTs only read: safe to repeat. */
    req.retry_unsafe = true;
    rc = oauth_send(s, &req, resp, &f->err);
    buf_free(&idh);
    f->calls += s->attempts - before;
    if (s->token_failed)
        f->status = s->relogin ? JOB_AUTH_NEEDED : JOB_FAILED;
    return rc;
}

enum err fetch_call(struct fetch *f, enum net_method m, const char *url,
                    const char *body, int64_t cost, struct net_resp *resp)
{
    struct upstream_error ue;
    enum err rc;

    if (cost > 0 && f->quota_used + cost > f->quota_left) {
        f->status = JOB_QUOTA_EXCEEDED;
        buf_setf(&f->err, "YouTube daily quota used up: no call until "
                          "midnight Pacific time");
        return ERR_UPSTREAM;
    }
    rc = send_auth(f, m, url, body, resp);
    f->quota_used += cost * f->auth.sends;
    if (f->auth.token_failed)
        return rc;
    if (rc == ERR_UPSTREAM) {
        upstream_error_read(&resp->body, &ue);
        classify(f, resp, &ue);
        if (ue.message[0] || ue.reason[0])
            buf_catf(&f->err, ": %s%s%s", ue.reason,
                     ue.reason[0] && ue.message[0] ? ": " : "", ue.message);
    } else if (rc != ERR_OK) {
        f->status = JOB_FAILED;
    }
    return rc;
}

enum err fetch_parse(struct fetch *f, const char *format, const char *hint,
                     const struct buf *body)
{
    struct source_opts so = {0};
    const char *got = NULL;
    enum err rc;

    so.observed_at = f->observed_at;
    so.only_format = format;
    so.account_hint[f->platform] = hint;
    rc = source_parse(body->data ? body->data : "", body->len, &so,
                      &f->batch, &got, &f->err);
    if (rc != ERR_OK) {
        f->status = JOB_FAILED;
        buf_catf(&f->err, " (%s response)", format);
    }
    return rc;
}

json_t *fetch_json(struct fetch *f, const struct buf *body)
{
    json_t *root = json_loadb(body->data ? body->data : "", body->len,
                              JSON_REJECT_DUPLICATES, NULL);

    if (!json_is_object(root)) {
        json_decref(root);
        f->status = JOB_FAILED;
        buf_setf(&f->err, "response is not a JSON object");
        return NULL;
    }
    return root;
}

static int usage_max(const char *text)
{
    json_t *root;
    int best = -1;
    static const char *const keys[] = {"call_count", "total_cputime",
                                       "total_time"};

    if (text == NULL || *text == '\0')
        return -1;
    root = json_loads(text, 0, NULL);
    /* X-App-Usage is one object; X-Business-Use-Case-Usage maps business
     * ids to arrays of such objects. */
    if (json_is_object(root) && json_object_get(root, "call_count") == NULL) {
        const char *k;
        json_t *arr, *o;
        size_t i;
        json_object_foreach(root, k, arr) {
            json_array_foreach(arr, i, o) {
                for (size_t j = 0; j < 3; j++) {
                    json_t *v = json_object_get(o, keys[j]);
                    if (json_is_number(v) && json_number_value(v) > best &&
                        json_number_value(v) <= 1000)
                        best = (int)json_number_value(v);
                }
            }
        }
    } else if (json_is_object(root)) {
        for (size_t j = 0; j < 3; j++) {
            json_t *v = json_object_get(root, keys[j]);
            if (json_is_number(v) && json_number_value(v) > best &&
                json_number_value(v) <= 1000)
                best = (int)json_number_value(v);
        }
    }
    json_decref(root);
    return best;
}

int fetch_graph_usage(const char *app_usage, const char *buc_usage)
{
    int a = usage_max(app_usage), b = usage_max(buc_usage);
    return a > b ? a : b;
}

/* The largest estimated_time_to_regain_access (minutes) in one usage
 * header: X-App-Usage is one object, X-Business-Use-Case-Usage maps
 * business ids to arrays of objects. -1: none. */
static int64_t regain_max(const char *text)
{
    json_t *root, *arr, *o;
    const char *k;
    size_t i;
    int64_t best = -1;

    if (text == NULL || *text == '\0')
        return -1;
    root = json_loads(text, 0, NULL);
    if (json_is_object(root) &&
        json_object_get(root, "estimated_time_to_regain_access") != NULL) {
        json_t *v = json_object_get(root, "estimated_time_to_regain_access");
        if (json_is_integer(v))
            best = (int64_t)json_integer_value(v);
    } else if (json_is_object(root)) {
        json_object_foreach(root, k, arr) {
            json_array_foreach(arr, i, o) {
                json_t *v =
                    json_object_get(o, "estimated_time_to_regain_access");
                if (json_is_integer(v) && json_integer_value(v) > best)
                    best = (int64_t)json_integer_value(v);
            }
        }
    }
    json_decref(root);
    return best >= 0 && best <= FETCH_REGAIN_MAX_MIN ? best : -1;
}

int64_t fetch_graph_regain_s(const char *app_usage, const char *buc_usage)
{
    int64_t a = regain_max(app_usage), b = regain_max(buc_usage);
    int64_t m = a > b ? a : b;
    return m > 0 ? m * 60 : m;
}
