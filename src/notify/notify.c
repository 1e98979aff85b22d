/* Delivering the outbox (notify.h): claim, send, record. */
#define LOG_MODULE "notify"
#include "notify/notify.h"

#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/log.h"
#include "core/str.h"
#include "core/timeutil.h"
#include "net/smtp.h"

#define ANSWER_MAX ((size_t)64 << 10)
#define DETAIL_MAX 512

bool notify_channel_on(const struct config *cfg, enum notify_channel c)
{
    if (c == NOTIFY_WEBHOOK)
        return cfg->notify_webhook_url != NULL;
    return cfg->notify_smtp_url != NULL && cfg->notify_smtp_from != NULL &&
           cfg->notify_smtp_to != NULL;
}

int64_t notify_backoff(int64_t base_s, int64_t attempt)
{
    int64_t d = base_s > 0 ? base_s : 1;

    for (int64_t i = 1; i < attempt && d < NOTIFY_BACKOFF_CAP_S; i++)
        d *= 2;
    return d < NOTIFY_BACKOFF_CAP_S ? d : NOTIFY_BACKOFF_CAP_S;
}

void notify_net_config(const struct config *cfg, struct net_config *out)
{
    net_config_defaults(out);
    out->timeout_ms = (long)cfg->notify_timeout_s * 1000;
    out->connect_timeout_ms =
        out->timeout_ms < out->connect_timeout_ms ? out->timeout_ms
                                                  : out->connect_timeout_ms;
    out->max_retries = 0; /* the outbox retries, with its own backoff */
    out->max_body = ANSWER_MAX;
}

/* What one attempt came to, before it is recorded. */
struct outcome {
    bool ok;
    int status;
    struct buf detail;
};

/* ---- webhook ------------------------------------------------------------ */

static void send_webhook(struct net_client *nc, const struct config *cfg,
                         const struct notify_event *ev, struct outcome *o)
{
    struct buf body, sig, h_sig, h_ev, h_id, why;
    struct net_resp resp;
    enum err rc;

    buf_init(&body, 64 << 10);
    buf_init(&sig, 128);
    buf_init(&h_sig, 256);
    buf_init(&h_ev, 128);
    buf_init(&h_id, 128);
    buf_init(&why, 1024);
    net_resp_init(&resp);
    rc = notify_render_json(ev, &body);
    if (rc == ERR_OK)
        rc = notify_sign(cfg->notify_webhook_secret, body.data ? body.data : "",
                         body.len, &sig);
    if (rc == ERR_OK)
        rc = buf_printf(&h_sig, "X-Mediadash-Signature: %s", buf_cstr(&sig));
    if (rc == ERR_OK)
        rc = buf_printf(&h_ev, "X-Mediadash-Event: %s", ev->kind);
    if (rc == ERR_OK)
        rc = buf_printf(&h_id, "X-Mediadash-Delivery: %lld",
                        (long long)ev->id);
    if (rc != ERR_OK) {
        buf_setf(&o->detail, "the event could not be written: %s",
                 err_str(rc));
        goto out;
    }
    const char *hdrs[] = {buf_cstr(&h_sig), buf_cstr(&h_ev), buf_cstr(&h_id),
                          NULL};
    struct net_req req = {.method = NET_POST,
                          .url = cfg->notify_webhook_url,
                          .headers = hdrs,
                          .body = buf_cstr(&body),
                          .body_len = body.len,
                          .content_type = "application/json"};
    rc = net_request(nc, &req, &resp, &why);
    o->status = (int)resp.status;
    o->ok = rc == ERR_OK && resp.status >= 200 && resp.status < 300;
    if (!o->ok)
        buf_setf(&o->detail, "%s", rc == ERR_OK
                                       ? "the receiver answered without a 2xx"
                                       : buf_cstr(&why));
out:
    net_resp_free(&resp);
    buf_free(&body);
    buf_free(&sig);
    buf_free(&h_sig);
    buf_free(&h_ev);
    buf_free(&h_id);
    buf_free(&why);
}

/* ---- mail --------------------------------------------------------------- */

struct rcpts {
    char *copy;                    /* owned; the list, cut up */
    const char *v[SMTP_MAX_RCPT];  /* into copy */
    size_t n;
    struct buf joined;             /* "a@x, b@y" for the To: header */
};

/* Split notify.smtp_to at commas, trimming blanks. false (detail says
 * why) when an address is empty or there are too many. */
static bool rcpts_parse(const char *list, struct rcpts *r, struct buf *why)
{
    char *p, *next;

    r->copy = xstrdup(list);
    r->n = 0;
    buf_init(&r->joined, 8192);
    for (p = r->copy; p != NULL; p = next) {
        next = strchr(p, ',');
        if (next != NULL)
            *next++ = '\0';
        while (*p == ' ' || *p == '\t')
            p++;
        size_t n = strlen(p);
        while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
            p[--n] = '\0';
        if (n == 0 || r->n == SMTP_MAX_RCPT ||
            strpbrk(p, "\r\n<>,") != NULL) {
            buf_setf(why, "notify.smtp_to: 1 to %d addresses, "
                     "comma-separated", SMTP_MAX_RCPT);
            return false;
        }
        r->v[r->n++] = p;
        buf_catf(&r->joined, "%s%s", r->n > 1 ? ", " : "", p);
    }
    return true;
}

static void rcpts_free(struct rcpts *r)
{
    free(r->copy);
    buf_free(&r->joined);
}

static void send_mail(const struct config *cfg, const struct notify_event *ev,
                      int64_t now, struct outcome *o)
{
    struct smtp_config sc = {
        .url = cfg->notify_smtp_url,
        .user = cfg->notify_smtp_user,
        .password = cfg->notify_smtp_password,
        .cafile = cfg->notify_smtp_cafile,
        .starttls = (enum smtp_tls)cfg->notify_smtp_starttls,
        .timeout_ms = (long)cfg->notify_timeout_s * 1000,
    };
    const char *from = cfg->notify_smtp_from;
    struct rcpts r = {0};
    struct buf msg;
    long reply = 0;
    enum err rc;

    buf_init(&msg, SMTP_MAX_MESSAGE);
    if (!rcpts_parse(cfg->notify_smtp_to, &r, &o->detail))
        goto out;
    if (strpbrk(from, "\r\n<>") != NULL) {
        buf_setf(&o->detail, "notify.smtp_from: not a mail address");
        goto out;
    }
    rc = notify_render_mail(ev, from, buf_cstr(&r.joined), now, &msg);
    if (rc == ERR_OK)
        rc = smtp_send(&sc, from, r.v, r.n, buf_cstr(&msg), msg.len, &reply,
                       &o->detail);
    else
        buf_setf(&o->detail, "the mail could not be written: %s",
                 err_str(rc));
    o->status = (int)reply;
    o->ok = rc == ERR_OK;
out:
    rcpts_free(&r);
    buf_free(&msg);
}

/* ---- the round ---------------------------------------------------------- */

struct one {
    struct net_client *nc;
    const struct config *cfg;
    enum notify_channel c;
    int64_t now;
    struct outcome *o;
    int64_t attempts; /* before this one */
};

static enum err send_one(void *ud, const struct notify_event *ev)
{
    struct one *x = ud;

    x->attempts = ev->attempts[x->c];
    if (x->c == NOTIFY_WEBHOOK)
        send_webhook(x->nc, x->cfg, ev, x->o);
    else
        send_mail(x->cfg, ev, x->now, x->o);
    return ERR_OK;
}

/* Send event id on channel c and record the outcome. */
static enum err deliver_one(struct store *st, struct one *x, int64_t id,
                            struct notify_stats *stats, struct buf *err)
{
    struct outcome o = {.ok = false, .status = 0};
    struct notify_attempt a;
    enum err rc;

    buf_init(&o.detail, DETAIL_MAX);
    x->o = &o;
    rc = store_notify_get(st, id, send_one, x);
    if (rc != ERR_OK) { /* pruned meanwhile: nothing to send */
        buf_free(&o.detail);
        return rc == ERR_NOTFOUND ? ERR_OK : rc;
    }
    a = (struct notify_attempt){.ok = o.ok, .status = o.status,
                                .detail = buf_cstr(&o.detail),
                                .retry_at = TIME_NONE};
    if (o.ok)
        stats->sent++;
    else if (x->attempts + 1 < x->cfg->notify_max_attempts) {
        a.retry_at = x->now + notify_backoff(x->cfg->notify_retry_base_s,
                                             x->attempts + 1);
        stats->retried++;
    } else
        stats->failed++;
    if (!o.ok)
        LOG_WARN("notification %lld by %s: %s", (long long)id,
                 notify_channel_name(x->c), buf_cstr(&o.detail));
    rc = store_notify_result(st, id, x->c, &a, time_now(), err);
    buf_free(&o.detail);
    return rc == ERR_NOTFOUND ? ERR_OK : rc;
}

static enum err deliver_channel(struct store *st, struct net_client *nc,
                                const struct config *cfg,
                                enum notify_channel c, int64_t now,
                                struct notify_stats *stats, struct buf *err)
{
    struct one x = {nc, cfg, c, now, NULL, 0};
    int64_t *ids = NULL;
    size_t n = 0, off = 0;
    enum err rc;

    if (!notify_channel_on(cfg, c)) {
        rc = store_notify_off(st, c, &off, err);
        stats->off += off;
        return rc;
    }
    rc = store_notify_claim(st, c, now, NOTIFY_LEASE_S, NOTIFY_BATCH, &ids,
                            &n, err);
    for (size_t i = 0; rc == ERR_OK && i < n; i++)
        rc = deliver_one(st, &x, ids[i], stats, err);
    free(ids);
    return rc;
}

enum err notify_deliver_due(struct store *st, struct net_client *nc,
                            const struct config *cfg, int64_t now,
                            struct notify_stats *stats, struct buf *err)
{
    enum err rc = ERR_OK;

    for (int c = 0; rc == ERR_OK && c < NOTIFY_CHANNEL_COUNT; c++)
        rc = deliver_channel(st, nc, cfg, (enum notify_channel)c, now, stats,
                             err);
    if (rc == ERR_OK)
        rc = store_notify_prune(st, now - NOTIFY_KEEP_S, NULL, err);
    return rc;
}

int64_t notify_next_wait(struct store *st, int64_t now, int64_t max_s)
{
    int64_t at = TIME_NONE, wait = max_s;

    if (store_notify_next_due(st, &at) == ERR_OK && at != TIME_NONE)
        wait = at - now;
    if (wait < 1)
        wait = 1;
    return wait < max_s ? wait : max_s;
}
