/* serve's OAuth loop (serve_oauth.h). */
#define LOG_MODULE "oauth"
#include "cli/serve_oauth.h"

#include <stdatomic.h>
#include <stdlib.h>

#include "core/alloc.h"
#include "core/log.h"
#include "core/timeutil.h"
#include "net/net.h"
#include "store/store.h"

#define ROUND_MAX 32 /* rows per round; the rest after a short wait */

struct serve_oauth {
    const char *db_path;          /* borrowed */
    const struct config *cfg;     /* borrowed */
    struct oauth *o;              /* borrowed */
    const struct secret_key *key; /* borrowed */
    struct bgloop *collector;     /* borrowed, or NULL */
    struct store *st;             /* the loop thread's own */
    struct net_client *nc;        /* likewise */
    struct bgloop *loop;
    atomic_bool cancel; /* set by serve_oauth_stop */
    bool open_failed;   /* logged once */
};

static bool open_once(struct serve_oauth *so)
{
    struct net_config ncfg;
    struct buf err;
    bool ok = true;

    if (so->st != NULL && so->nc != NULL)
        return true;
    buf_init(&err, 1024);
    if (so->st == NULL && store_open(so->db_path, &so->st, &err) != ERR_OK)
        ok = false;
    net_config_defaults(&ncfg);
    ncfg.timeout_ms = SERVE_OAUTH_TIMEOUT_MS;
    ncfg.max_retries = 1;
    ncfg.cancel = &so->cancel;
    if (ok && so->nc == NULL &&
        net_client_create(&ncfg, &so->nc, &err) != ERR_OK)
        ok = false;
    if (!ok && !so->open_failed)
        LOG_ERROR("connections from the dashboard cannot finish: %s",
                  buf_cstr(&err));
    so->open_failed = !ok;
    buf_free(&err);
    return ok;
}

/* What the Sources page says when the exchange failed with rc. */
static void failure_text(enum err rc, const struct buf *err, struct buf *msg)
{
    if (rc == ERR_NOTFOUND)
        buf_setf(msg, "This sign-in is unknown, already used or expired "
                      "(it is valid for %d minutes, once): press Connect "
                      "again.", OAUTH_STATE_TTL_S / 60);
    else if (rc == ERR_UPSTREAM)
        buf_setf(msg, "The platform refused the sign-in: %s", buf_cstr(err));
    else if (rc == ERR_IO)
        buf_setf(msg, "The platform could not be reached: %s",
                 buf_cstr(err));
    else
        buf_setf(msg, "The connection failed: %s", err_str(rc));
}

/* Exchange the code of the claimed row p and record the result. */
static void run_one(struct serve_oauth *so,
                    const struct store_oauth_pending *p)
{
    struct buf code, acct, err, msg;
    enum platform pl = p->platform;
    enum err rc;

    buf_init(&code, OAUTH_MAX_TOKEN * 2);
    buf_init(&acct, ITEM_ID_MAX + 1);
    buf_init(&err, 2048);
    buf_init(&msg, 4096);
    rc = secret_open(so->key, p->code_sealed, &code, &err);
    if (rc == ERR_OK)
        rc = oauth_finish(so->o, so->st, so->nc, p->state, buf_cstr(&code),
                          &pl, &acct, &err);
    if (rc == ERR_OK) {
        LOG_INFO("sign-in %lld: connected %s account %s from the dashboard",
                 (long long)p->id, platform_name(pl), buf_cstr(&acct));
    } else {
        failure_text(rc, &err, &msg);
        LOG_WARN("sign-in %lld (%s): %s", (long long)p->id,
                 platform_name(pl), buf_cstr(&msg));
    }
    buf_reset(&err);
    if (store_oauth_pending_done(so->st, p->id, rc == ERR_OK,
                                 rc == ERR_OK ? buf_cstr(&acct) : NULL,
                                 rc == ERR_OK ? NULL : buf_cstr(&msg),
                                 time_now(), &err) != ERR_OK)
        LOG_ERROR("sign-in %lld: the result was not recorded: %s",
                  (long long)p->id, buf_cstr(&err));
    if (rc == ERR_OK)
        bgloop_kick(so->collector); /* its first round at once */
    secret_buf_wipe(&code);
    buf_free(&msg);
    buf_free(&err);
    buf_free(&acct);
}

static int64_t round_fn(void *ud, int64_t now)
{
    struct serve_oauth *so = ud;
    struct store_oauth_pending p;
    struct buf err;
    enum err rc = ERR_OK;
    int n = 0;

    (void)now;
    if (atomic_load(&so->cancel) || !open_once(so))
        return SERVE_OAUTH_WAIT_S;
    buf_init(&err, 1024);
    for (; n < ROUND_MAX && !atomic_load(&so->cancel); n++) {
        int64_t t = time_now();
        rc = store_oauth_pending_claim(so->st, t, t - SERVE_OAUTH_STALE_S,
                                       &p, &err);
        if (rc != ERR_OK)
            break;
        run_one(so, &p);
        store_oauth_pending_free(&p);
    }
    if (rc != ERR_OK && rc != ERR_NOTFOUND)
        LOG_ERROR("queued sign-ins: %s", buf_cstr(&err));
    buf_free(&err);
    return n == ROUND_MAX ? 1 : SERVE_OAUTH_WAIT_S;
}

enum err serve_oauth_start(const char *db_path, const struct config *cfg,
                           struct oauth *o, const struct secret_key *key,
                           struct bgloop *collector, struct serve_oauth **out)
{
    struct serve_oauth *so = xcalloc(1, sizeof *so);
    enum err rc;

    so->db_path = db_path;
    so->cfg = cfg;
    so->o = o;
    so->key = key;
    so->collector = collector;
    atomic_init(&so->cancel, false);
    rc = bgloop_start("oauth", round_fn, so, &so->loop);
    if (rc != ERR_OK) {
        free(so);
        so = NULL;
    }
    *out = so;
    return rc;
}

struct bgloop *serve_oauth_loop(struct serve_oauth *so)
{
    return so != NULL ? so->loop : NULL;
}

void serve_oauth_stop(struct serve_oauth *so)
{
    if (so == NULL)
        return;
    atomic_store(&so->cancel, true);
    bgloop_stop(so->loop);
    net_client_destroy(so->nc);
    store_close(so->st);
    free(so);
}
