/* serve's wake-ups from other processes (serve_wake.h). */
#define LOG_MODULE "serve"
#include "cli/serve_wake.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/log.h"
#include "store/store.h"

struct serve_wake {
    struct store *st; /* the thread's own: LISTEN holds a connection */
    struct bgloop *collector, *worker;
    atomic_bool stop;
    pthread_t thread;
};

static void *run(void *ud)
{
    struct serve_wake *w = ud;
    struct buf err;
    bool woken = false;

    buf_init(&err, 1024);
    while (!atomic_load(&w->stop)) {
        if (store_wait(w->st, SERVE_WAKE_SLICE_MS, &woken, &err) != ERR_OK) {
            /* The loops still poll: a lost connection costs latency only. */
            LOG_WARN("wake-ups from other processes stopped: %s",
                     buf_cstr(&err));
            break;
        }
        if (woken) {
            bgloop_kick(w->collector);
            bgloop_kick(w->worker);
        }
    }
    buf_free(&err);
    return NULL;
}

/* Listen on every channel; false (logged) when the store cannot. */
static bool listen_all(struct serve_wake *w)
{
    struct buf err;
    enum err rc = ERR_OK;

    buf_init(&err, 1024);
    for (int ch = 0; ch < STORE_WAKE_COUNT && rc == ERR_OK; ch++)
        rc = store_listen(w->st, (enum store_wake_channel)ch, &err);
    if (rc != ERR_OK)
        LOG_WARN("no wake-ups from other processes: %s", buf_cstr(&err));
    buf_free(&err);
    return rc == ERR_OK;
}

enum err serve_wake_start(const char *db_path, struct bgloop *collector,
                          struct bgloop *worker, struct serve_wake **out)
{
    struct serve_wake *w = xcalloc(1, sizeof *w);
    struct buf err;

    *out = NULL;
    buf_init(&err, 1024);
    if (store_open(db_path, &w->st, &err) != ERR_OK) {
        LOG_WARN("no wake-ups from other processes: %s", buf_cstr(&err));
        buf_free(&err);
        free(w);
        return ERR_OK;
    }
    buf_free(&err);
    if (!store_can_wake(w->st) || !listen_all(w)) {
        store_close(w->st);
        free(w);
        return ERR_OK;
    }
    w->collector = collector;
    w->worker = worker;
    atomic_init(&w->stop, false);
    if (pthread_create(&w->thread, NULL, run, w) != 0) {
        store_close(w->st);
        free(w);
        return ERR_IO;
    }
    *out = w;
    return ERR_OK;
}

void serve_wake_stop(struct serve_wake *w)
{
    if (w == NULL)
        return;
    atomic_store(&w->stop, true);
    pthread_join(w->thread, NULL);
    store_close(w->st);
    free(w);
}
