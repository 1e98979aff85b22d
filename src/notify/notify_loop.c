/* What serve's notify loop, the worker and the collector call
 * (notify.h). */
#define LOG_MODULE "notify"
#include <stdlib.h>

#include "core/alloc.h"
#include "core/log.h"
#include "notify/notify.h"

struct notify_sender {
    const struct config *cfg;
    struct net_client *nc;
};

enum err notify_sender_create(const struct config *cfg,
                              const atomic_bool *cancel,
                              struct notify_sender **out, struct buf *err)
{
    struct notify_sender *s = xcalloc(1, sizeof *s);
    struct net_config nc;
    enum err rc;

    notify_net_config(cfg, &nc);
    nc.cancel = cancel;
    s->cfg = cfg;
    rc = net_client_create(&nc, &s->nc, err);
    if (rc != ERR_OK) {
        free(s);
        s = NULL;
    }
    *out = s;
    return rc;
}

void notify_sender_destroy(struct notify_sender *s)
{
    if (s == NULL)
        return;
    net_client_destroy(s->nc);
    free(s);
}

enum err notify_sender_deliver(struct notify_sender *s, struct store *st,
                               int64_t now, struct notify_stats *stats,
                               struct buf *err)
{
    return notify_deliver_due(st, s->nc, s->cfg, now, stats, err);
}

int64_t notify_sender_round(struct notify_sender *s, struct store *st,
                            int64_t now, int64_t max_s)
{
    struct notify_stats stats = {0};
    struct buf err;

    buf_init(&err, 2048);
    if (notify_deliver_due(st, s->nc, s->cfg, now, &stats, &err) != ERR_OK)
        LOG_ERROR("notifications: %s", buf_cstr(&err));
    else if (stats.sent + stats.retried + stats.failed > 0)
        LOG_INFO("notifications: sent %zu, retry later %zu, failed %zu",
                 stats.sent, stats.retried, stats.failed);
    buf_free(&err);
    return notify_next_wait(st, now, max_s);
}

void notify_after_collect(struct store *st, int64_t now)
{
    struct buf err;
    size_t n = 0;

    buf_init(&err, 2048);
    if (notify_sweep(st, now, &n, &err) != ERR_OK)
        LOG_ERROR("notifications: %s", buf_cstr(&err));
    else if (n > 0)
        LOG_INFO("notifications: %zu new event(s) after collecting", n);
    buf_free(&err);
}
