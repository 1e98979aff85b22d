/* serve's collector loop (serve_collect.h). */
#define LOG_MODULE "collect"
#include "cli/serve_collect.h"

#include <stdatomic.h>
#include <stdlib.h>

#include "collect/collect.h"
#include "core/alloc.h"
#include "core/log.h"
#include "core/timeutil.h"
#include "net/net.h"
#include "notify/notify.h"
#include "store/store.h"

struct serve_collect {
    const char *db_path;       /* borrowed */
    const struct config *cfg;  /* borrowed */
    struct collector *col;     /* owned */
    struct store *st;          /* the loop thread's own, opened on round 1 */
    struct net_client *nc;     /* likewise */
    struct bgloop *loop;
    atomic_bool cancel;        /* set by serve_collect_stop */
    bool open_failed;          /* logged once */
};

static bool open_once(struct serve_collect *sc)
{
    struct net_config ncfg;
    struct buf err;
    bool ok = true;

    if (sc->st != NULL && sc->nc != NULL)
        return true;
    buf_init(&err, 1024);
    if (sc->st == NULL && store_open(sc->db_path, &sc->st, &err) != ERR_OK)
        ok = false;
    collect_net_config(sc->cfg, &ncfg);
    ncfg.cancel = &sc->cancel;
    if (ok && sc->nc == NULL &&
        net_client_create(&ncfg, &sc->nc, &err) != ERR_OK)
        ok = false;
    if (!ok && !sc->open_failed)
        LOG_ERROR("the collector cannot start: %s", buf_cstr(&err));
    sc->open_failed = !ok;
    buf_free(&err);
    return ok;
}

/* Seconds until the next job (or content item) is due, clamped. */
static int64_t next_wait(struct serve_collect *sc, int64_t now)
{
    int64_t at = INT64_MAX, wait = SERVE_COLLECT_WAIT_MAX_S;

    if (collect_next_wake(sc->st, &at) == ERR_OK && at != INT64_MAX)
        wait = at - now;
    if (wait < SERVE_COLLECT_WAIT_MIN_S)
        wait = SERVE_COLLECT_WAIT_MIN_S;
    return wait > SERVE_COLLECT_WAIT_MAX_S ? SERVE_COLLECT_WAIT_MAX_S : wait;
}

static void log_summary(void *ud, const struct collect_summary *s)
{
    (void)ud;
    if (!s->ran)
        return;
    if (s->status == JOB_OK)
        LOG_INFO("%s %s: %zu items, %zu snapshots stored, %u calls",
                 platform_name(s->platform), s->account, s->items,
                 s->snapshots, s->calls);
    /* failures are logged by the collector itself */
}

static int64_t round_fn(void *ud, int64_t now)
{
    struct serve_collect *sc = ud;
    struct buf err;
    enum err rc;

    if (atomic_load(&sc->cancel) || !open_once(sc))
        return SERVE_COLLECT_WAIT_MAX_S;
    if (store_refresh(sc->st) != ERR_OK)
        LOG_WARN("the collector's database handle could not refresh");
    buf_init(&err, 4096);
    rc = collect_run_once(sc->col, sc->st, sc->nc, -1, now, log_summary,
                          NULL, &err);
    if (rc == ERR_DB)
        LOG_ERROR("%s", buf_cstr(&err));
    else
        notify_after_collect(sc->st, now);
    buf_free(&err);
    return next_wait(sc, time_now());
}

enum err serve_collect_start(const char *db_path, const struct config *cfg,
                             struct oauth *o, struct serve_collect **out,
                             struct buf *err)
{
    struct serve_collect *sc = xcalloc(1, sizeof *sc);
    enum err rc;

    sc->db_path = db_path;
    sc->cfg = cfg;
    atomic_init(&sc->cancel, false);
    rc = collector_create(cfg, o, &sc->col, err);
    if (rc != ERR_OK)
        goto out;
    collector_set_cancel(sc->col, &sc->cancel);
    rc = bgloop_start("collector", round_fn, sc, &sc->loop);
    if (rc != ERR_OK)
        buf_setf(err, "cannot start the collector thread");
out:
    if (rc != ERR_OK) {
        collector_destroy(sc->col);
        free(sc);
        sc = NULL;
    }
    *out = sc;
    return rc;
}

struct bgloop *serve_collect_loop(struct serve_collect *sc)
{
    return sc != NULL ? sc->loop : NULL;
}

void serve_collect_stop(struct serve_collect *sc)
{
    if (sc == NULL)
        return;
    atomic_store(&sc->cancel, true);
    bgloop_stop(sc->loop);
    net_client_destroy(sc->nc);
    store_close(sc->st);
    collector_destroy(sc->col);
    free(sc);
}
