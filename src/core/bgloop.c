/* Background loops of serve (bgloop.h). */
#include "core/bgloop.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <time.h>

#include "core/alloc.h"
#include "core/log.h"
#include "core/timeutil.h"

struct bgloop {
    const char *name;
    bgloop_fn fn;
    void *ud;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv; /* CLOCK_MONOTONIC */
    bool stop, kicked;
};

static void *loop(void *arg)
{
    struct bgloop *b = arg;
    struct timespec until;
    int64_t wait_s;

    pthread_mutex_lock(&b->mu);
    while (!b->stop) {
        b->kicked = false;
        pthread_mutex_unlock(&b->mu);
        wait_s = b->fn(b->ud, time_now());
        if (wait_s < 1)
            wait_s = 1;
        if (wait_s > 3600)
            wait_s = 3600;
        clock_gettime(CLOCK_MONOTONIC, &until);
        until.tv_sec += (time_t)wait_s;
        pthread_mutex_lock(&b->mu);
        while (!b->stop && !b->kicked &&
               pthread_cond_timedwait(&b->cv, &b->mu, &until) == 0)
            ;
    }
    pthread_mutex_unlock(&b->mu);
    return NULL;
}

enum err bgloop_start(const char *name, bgloop_fn fn, void *ud,
                        struct bgloop **out)
{
    struct bgloop *b = xcalloc(1, sizeof(*b));
    pthread_condattr_t ca;

    *out = NULL;
    b->name = name;
    b->fn = fn;
    b->ud = ud;
    pthread_mutex_init(&b->mu, NULL);
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&b->cv, &ca);
    pthread_condattr_destroy(&ca);
    if (pthread_create(&b->thread, NULL, loop, b) != 0) {
        LOG_ERROR("cannot start the %s thread", name);
        pthread_cond_destroy(&b->cv);
        pthread_mutex_destroy(&b->mu);
        free(b);
        return ERR_IO;
    }
    *out = b;
    return ERR_OK;
}

void bgloop_kick(struct bgloop *b)
{
    if (b == NULL)
        return;
    pthread_mutex_lock(&b->mu);
    b->kicked = true;
    pthread_cond_broadcast(&b->cv);
    pthread_mutex_unlock(&b->mu);
}

void bgloop_stop(struct bgloop *b)
{
    if (b == NULL)
        return;
    pthread_mutex_lock(&b->mu);
    b->stop = true;
    pthread_cond_broadcast(&b->cv);
    pthread_mutex_unlock(&b->mu);
    pthread_join(b->thread, NULL);
    pthread_cond_destroy(&b->cv);
    pthread_mutex_destroy(&b->mu);
    free(b);
}
