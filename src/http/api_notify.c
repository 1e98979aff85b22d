/* Notifications (src/notify) in the API:
 *   GET  /api/v1/notify       the channels as configured (no secret, the
 *                             webhook URL without query or user info),
 *                             the newest events and the delivery log
 *   POST /api/v1/notify/test  one test event of each kind into the
 *                             outbox: 202; serve's notify loop sends them
 *                             (no network I/O here); 409 when no channel
 *                             is configured */
#include <string.h>

#include "core/jsonw.h"
#include "core/str.h"
#include "core/timeutil.h"
#include "http/api_args.h"
#include "http/api_fail.h"
#include "http/route.h"
#include "net/net.h"
#include "notify/notify.h"

#define LIST_MAX 50

static const struct config *cfg_of(const struct http_request *req)
{
    return req->cfg != NULL ? req->cfg->platform : NULL;
}

static void channels_json(struct jw *w, const struct config *c)
{
    struct buf url;

    buf_init(&url, NET_MAX_URL);
    jw_key(w, "webhook");
    jw_object_begin(w);
    jw_kv_bool(w, "on", c != NULL && notify_channel_on(c, NOTIFY_WEBHOOK));
    if (c != NULL && c->notify_webhook_url != NULL &&
        net_url_redact(c->notify_webhook_url, &url) == ERR_OK)
        jw_kv_str(w, "url", buf_cstr(&url));
    else
        jw_kv_str(w, "url", NULL);
    jw_kv_bool(w, "signed", c != NULL && c->notify_webhook_secret != NULL);
    jw_object_end(w);
    jw_key(w, "mail");
    jw_object_begin(w);
    jw_kv_bool(w, "on", c != NULL && notify_channel_on(c, NOTIFY_MAIL));
    buf_reset(&url);
    if (c != NULL && c->notify_smtp_url != NULL &&
        net_url_redact(c->notify_smtp_url, &url) == ERR_OK)
        jw_kv_str(w, "server", buf_cstr(&url));
    else
        jw_kv_str(w, "server", NULL);
    jw_kv_str(w, "to", c ? c->notify_smtp_to : NULL);
    jw_kv_i64(w, "starttls", c ? c->notify_smtp_starttls : 0);
    jw_object_end(w);
    buf_free(&url);
}

static enum err event_json(void *ud, const struct notify_event *ev)
{
    struct jw *w = ud;
    struct buf sum;

    buf_init(&sum, 8192);
    jw_object_begin(w);
    jw_kv_i64(w, "id", ev->id);
    jw_kv_str(w, "kind", ev->kind);
    jw_kv_bool(w, "test", ev->test);
    jw_kv_time(w, "created_at", ev->created_at);
    jw_kv_str(w, "summary",
              notify_summary(ev, &sum) == ERR_OK ? buf_cstr(&sum) : NULL);
    jw_kv_str(w, "detail", ev->detail);
    for (int c = 0; c < NOTIFY_CHANNEL_COUNT; c++) {
        jw_key(w, notify_channel_name((enum notify_channel)c));
        jw_object_begin(w);
        jw_kv_str(w, "state", ev->state[c]);
        jw_kv_i64(w, "attempts", ev->attempts[c]);
        jw_kv_time(w, "next_at", str_eq(ev->state[c], "pending")
                                     ? ev->next_at[c]
                                     : TIME_NONE);
        jw_object_end(w);
    }
    jw_object_end(w);
    buf_free(&sum);
    return w->status;
}

static enum err delivery_json(void *ud, const struct notify_delivery *d)
{
    struct jw *w = ud;

    jw_object_begin(w);
    jw_kv_i64(w, "event", d->outbox_id);
    jw_kv_str(w, "kind", d->kind);
    jw_kv_bool(w, "test", d->test);
    jw_kv_str(w, "channel", d->channel);
    jw_kv_time(w, "at", d->at);
    jw_kv_i64(w, "attempt", d->attempt);
    jw_kv_bool(w, "ok", d->ok);
    jw_kv_i64(w, "status", d->status);
    jw_kv_str(w, "detail", d->detail);
    jw_object_end(w);
    return w->status;
}

static void api_notify(struct http_request *req, struct http_response *res)
{
    struct jw w;
    enum err rc;

    jw_init(&w, &res->body);
    jw_object_begin(&w);
    channels_json(&w, cfg_of(req));
    jw_key(&w, "events");
    jw_array_begin(&w);
    rc = store_notify_list(req->st, LIST_MAX, event_json, &w);
    jw_array_end(&w);
    jw_key(&w, "deliveries");
    jw_array_begin(&w);
    if (rc == ERR_OK)
        rc = store_notify_deliveries(req->st, LIST_MAX, delivery_json, &w);
    jw_array_end(&w);
    jw_object_end(&w);
    if (rc != ERR_OK && rc != ERR_TOOBIG) {
        buf_reset(&res->body);
        http_error(res, 500, NULL, "database error");
        return;
    }
    api_ok_json(res, &w);
}

static void api_notify_test(struct http_request *req,
                            struct http_response *res)
{
    const struct config *c = cfg_of(req);
    int64_t ids[NOTIFY_TEST_COUNT];
    struct buf err;
    struct jw w;
    enum err rc;

    if (c == NULL || (!notify_channel_on(c, NOTIFY_WEBHOOK) &&
                      !notify_channel_on(c, NOTIFY_MAIL))) {
        http_error(res, 409, NULL,
                   "no notification channel is configured: set "
                   "notify.webhook_url, or notify.smtp_url with "
                   "notify.smtp_from and notify.smtp_to");
        return;
    }
    buf_init(&err, 1024);
    rc = notify_test(req->st, time_now(), ids, &err);
    if (rc != ERR_OK) {
        api_store_failed(req, res, rc, "writing test notifications");
        goto out;
    }
    res->status = 202;
    jw_init(&w, &res->body);
    jw_object_begin(&w);
    jw_key(&w, "ids");
    jw_array_begin(&w);
    for (int i = 0; i < NOTIFY_TEST_COUNT; i++)
        jw_i64(&w, ids[i]);
    jw_array_end(&w);
    jw_object_end(&w);
    api_ok_json(res, &w);
out:
    buf_free(&err);
}

const struct route http_notify_routes[] = {
    {"GET", "/api/v1/notify", api_notify, 0},
    {"POST", "/api/v1/notify/test", api_notify_test, 0},
    {NULL, NULL, NULL, 0},
};
