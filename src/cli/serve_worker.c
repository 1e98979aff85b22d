/* serve's publishing loop (serve_worker.h). */
#include "cli/serve_worker.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/bgloop.h"
#include "core/log.h"
#include "core/timeutil.h"
#include "net/net.h"
#include "schedule/publishers.h"
#include "schedule/worker.h"
#include "store/store.h"
#include "store/store_post.h"

#define WAIT_MIN_S 1
#define WAIT_MAX_S 60 /* also how soon a lease that ran out is noticed */

struct serve_worker {
    const char *db_path;
    const struct config *cfg;
    struct oauth *o;
    const struct secret_key *key;
    char id[64];
    struct store *st;      /* the loop thread's own, opened on round 1 */
    struct net_client *nc; /* likewise */
    struct bgloop *loop;
};

static enum err earliest(const struct post *p, void *ud)
{
    *(int64_t *)ud = p->publish_at;
    return ERR_OK;
}

/* Seconds until the next scheduled post is due, in [WAIT_MIN_S,
 * WAIT_MAX_S]. */
static int64_t next_wait(struct store *st, int64_t now)
{
    struct post_query q = {.state = POST_SCHEDULED,
                           .from = TIME_NONE,
                           .to = TIME_NONE,
                           .limit = 1};
    int64_t at = TIME_NONE, wait = WAIT_MAX_S;

    if (store_post_list(st, &q, earliest, &at) == ERR_OK && at != TIME_NONE)
        wait = at - now;
    if (wait < WAIT_MIN_S)
        wait = WAIT_MIN_S;
    return wait > WAIT_MAX_S ? WAIT_MAX_S : wait;
}

static bool open_once(struct serve_worker *w)
{
    struct net_config ncfg;
    struct buf err;
    bool ok = true;

    if (w->st != NULL && w->nc != NULL)
        return true;
    buf_init(&err, 1024);
    if (w->st == NULL && store_open(w->db_path, &w->st, &err) != ERR_OK)
        ok = false;
    net_config_defaults(&ncfg);
    if (ok && w->nc == NULL && net_client_create(&ncfg, &w->nc, &err) != ERR_OK)
        ok = false;
    if (!ok)
        LOG_ERROR("worker %s: %s", w->id, buf_cstr(&err));
    buf_free(&err);
    return ok;
}

static int64_t round_fn(void *ud, int64_t now)
{
    struct serve_worker *w = ud;
    struct pub_ctx ctx;
    struct worker_config wc = {.id = w->id,
                               .lease_s = 600,
                               .grace_s = SCHED_GRACE_DEFAULT_S,
                               .batch = 50,
                               .ctx = &ctx};
    struct worker_stats stats = {0};
    struct buf err;

    wc.pubs = publishers_list(&wc.npubs);
    if (!open_once(w))
        return WAIT_MAX_S;
    wc.retry_base_s = w->cfg->publish_retry_base_s;
    if (store_refresh(w->st) != ERR_OK)
        LOG_WARN("worker %s: the database handle could not refresh", w->id);
    ctx = (struct pub_ctx){.st = w->st, .nc = w->nc, .o = w->o, .cfg = w->cfg,
                           .key = w->key};
    buf_init(&err, 4096);
    if (worker_run_once(w->st, &wc, now, &stats, &err) != ERR_OK)
        LOG_ERROR("worker %s: %s", w->id, buf_cstr(&err));
    else if (stats.claimed + stats.checked + stats.expired_back +
                 stats.expired_check >
             0)
        LOG_INFO("worker %s: claimed %zu, published %zu, retry later %zu, "
                 "failed %zu, needs_check %zu, needs_relogin %zu",
                 w->id, stats.claimed, stats.published, stats.retried,
                 stats.failed + stats.missed, stats.checks, stats.relogin);
    buf_free(&err);
    return next_wait(w->st, time_now());
}

enum err serve_worker_start(const char *db_path, const struct config *cfg,
                            struct oauth *o, const struct secret_key *key,
                            struct serve_worker **out)
{
    struct serve_worker *w = xcalloc(1, sizeof *w);
    enum err rc;

    w->db_path = db_path;
    w->cfg = cfg;
    w->o = o;
    w->key = key;
    snprintf(w->id, sizeof w->id, "serve-%ld", (long)getpid());
    rc = bgloop_start("worker", round_fn, w, &w->loop);
    if (rc != ERR_OK) {
        free(w);
        w = NULL;
    }
    *out = w;
    return rc;
}

struct bgloop *serve_worker_loop(struct serve_worker *w)
{
    return w ? w->loop : NULL;
}

void serve_worker_stop(struct serve_worker *w)
{
    if (w == NULL)
        return;
    bgloop_stop(w->loop);
    net_client_destroy(w->nc);
    store_close(w->st);
    free(w);
}
