#define LOG_MODULE "oauth"
/* Bearer, send, refresh once on a refused token, resend (oauth_send.h). */
#include "net/oauth_send.h"

#include <string.h>

#include "core/counters.h"
#include "core/log.h"
#include "core/secret.h"

void oauth_session_init(struct oauth_session *s, struct oauth *o,
                        struct store *st, struct net_client *nc,
                        enum platform p, const char *account)
{
    memset(s, 0, sizeof *s);
    s->o = o;
    s->st = st;
    s->nc = nc;
    s->platform = p;
    s->account = account;
    buf_init(&s->token, OAUTH_MAX_TOKEN + 1);
}

void oauth_session_free(struct oauth_session *s)
{
    if (s == NULL)
        return;
    secret_buf_wipe(&s->token);
    buf_free(&s->token);
}

/* A token into s->token: a fresh one (rejected false) or the one after
 * the token s->token holds was refused. */
static enum err get_token(struct oauth_session *s, bool rejected,
                          struct buf *err)
{
    struct buf old;
    enum err rc;

    buf_init(&old, OAUTH_MAX_TOKEN + 1);
    rc = rejected ? buf_puts(&old, buf_cstr(&s->token)) : ERR_OK;
    buf_reset(err);
    if (rc == ERR_OK)
        rc = rejected ? oauth_access_token_rejected(
                            s->o, s->st, s->nc, s->platform, s->account,
                            buf_cstr(&old), &s->token, err)
                      : oauth_access_token(s->o, s->st, s->nc, s->platform,
                                           s->account, &s->token, err);
    secret_buf_wipe(&old);
    buf_free(&old);
    s->token_failed = rc != ERR_OK;
    s->relogin = rc == ERR_INVALID || rc == ERR_NOTFOUND;
    return rc;
}

enum err oauth_session_token(struct oauth_session *s, struct buf *err)
{
    s->token_failed = false;
    s->relogin = false;
    if (s->token.len > 0)
        return ERR_OK;
    return get_token(s, false, err);
}

static enum err send_once(struct oauth_session *s, const struct net_req *req,
                          struct net_resp *resp, struct buf *err)
{
    const char *hdrs[OAUTH_SEND_MAX_HEADERS + 2] = {NULL};
    struct net_req r = *req;
    struct buf auth;
    size_t n = 1;
    enum err rc;

    buf_init(&auth, OAUTH_MAX_TOKEN + 64);
    rc = buf_printf(&auth, "Authorization: Bearer %s", buf_cstr(&s->token));
    hdrs[0] = buf_cstr(&auth);
    for (size_t i = 0; req->headers && req->headers[i] &&
                       n <= OAUTH_SEND_MAX_HEADERS;
         i++)
        hdrs[n++] = req->headers[i];
    r.headers = hdrs;
    buf_reset(err);
    if (rc == ERR_OK) {
        rc = net_request(s->nc, &r, resp, err);
        s->sends++;
        s->attempts += resp->attempts;
        /* every platform call, collector's and publishers' alike
         * (mediadash_platform_api_calls_total) */
        counters_call(platform_name(s->platform),
                      rc == ERR_OK ? COUNTERS_CALL_OK
                      : resp->fail == NET_FAIL_RATE_LIMITED
                          ? COUNTERS_CALL_RATE_LIMITED
                          : counters_call_of(resp->status));
    }
    secret_buf_wipe(&auth);
    buf_free(&auth);
    return rc;
}

static bool refused(const struct oauth_session *s, const struct net_resp *r)
{
    const struct platform_oauth *q = oauth_quirks(s->o, s->platform);

    return r->status == 401 ||
           (q->token_rejected != NULL && q->token_rejected(r));
}

enum err oauth_send(struct oauth_session *s, const struct net_req *req,
                    struct net_resp *resp, struct buf *err)
{
    enum err rc;

    s->sends = 0;
    rc = oauth_session_token(s, err);
    if (rc != ERR_OK)
        return rc;
    rc = send_once(s, req, resp, err);
    if (rc != ERR_UPSTREAM || !refused(s, resp) ||
        (s->refresh_once && s->refreshed))
        return rc;
    s->refreshed = true;
    LOG_INFO("%s %s: token refused, refreshing once",
             platform_name(s->platform), s->account);
    rc = get_token(s, true, err);
    if (rc == ERR_OK)
        rc = send_once(s, req, resp, err);
    return rc;
}
