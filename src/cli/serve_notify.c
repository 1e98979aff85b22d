/* serve's notification loop (serve_notify.h). */
#define LOG_MODULE "notify"
#include "cli/serve_notify.h"

#include <stdatomic.h>
#include <stdlib.h>

#include "core/alloc.h"
#include "core/log.h"
#include "notify/notify.h"
#include "store/store.h"

struct serve_notify {
    const char *db_path;         /* borrowed */
    const struct config *cfg;    /* borrowed */
    struct store *st;            /* the loop thread's own, opened on round 1 */
    struct notify_sender *snd;   /* likewise */
    struct bgloop *loop;
    atomic_bool cancel;          /* set by serve_notify_stop */
    bool open_failed;            /* logged once */
};

static bool open_once(struct serve_notify *n)
{
    struct buf err;
    bool ok = true;

    if (n->st != NULL && n->snd != NULL)
        return true;
    buf_init(&err, 1024);
    if (n->st == NULL && store_open(n->db_path, &n->st, &err) != ERR_OK)
        ok = false;
    if (ok && n->snd == NULL &&
        notify_sender_create(n->cfg, &n->cancel, &n->snd, &err) != ERR_OK)
        ok = false;
    if (!ok && !n->open_failed)
        LOG_ERROR("the notification loop cannot start: %s", buf_cstr(&err));
    n->open_failed = !ok;
    buf_free(&err);
    return ok;
}

static int64_t round_fn(void *ud, int64_t now)
{
    struct serve_notify *n = ud;

    if (atomic_load(&n->cancel) || !open_once(n))
        return SERVE_NOTIFY_WAIT_MAX_S;
    if (store_refresh(n->st) != ERR_OK)
        LOG_WARN("the notification loop's database handle could not "
                 "refresh");
    return notify_sender_round(n->snd, n->st, now, SERVE_NOTIFY_WAIT_MAX_S);
}

enum err serve_notify_start(const char *db_path, const struct config *cfg,
                            struct serve_notify **out)
{
    struct serve_notify *n = xcalloc(1, sizeof *n);
    enum err rc;

    n->db_path = db_path;
    n->cfg = cfg;
    atomic_init(&n->cancel, false);
    rc = bgloop_start("notify", round_fn, n, &n->loop);
    if (rc != ERR_OK) {
        free(n);
        n = NULL;
    }
    *out = n;
    return rc;
}

struct bgloop *serve_notify_loop(struct serve_notify *n)
{
    return n ? n->loop : NULL;
}

void serve_notify_stop(struct serve_notify *n)
{
    if (n == NULL)
        return;
    atomic_store(&n->cancel, true);
    bgloop_stop(n->loop);
    notify_sender_destroy(n->snd);
    store_close(n->st);
    free(n);
}
