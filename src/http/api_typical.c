/* The typical curves of "vs typical" (analytics/typical.h), built once per
 * data generation and shared by the server's threads. */
#include <pthread.h>
#include <stdlib.h>

#include "analytics/typical.h"
#include "core/alloc.h"
#include "http/api.h"

struct shared {
    struct typical *t;
    int64_t gen;
    unsigned refs; /* the cache's own + one per lease */
};

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static struct shared *current; /* the newest built, or NULL */

static void drop(struct shared *s)
{
    if (s != NULL && --s->refs == 0) {
        typical_free(s->t);
        free(s);
    }
}

const struct typical *api_typical_get(struct store *st, void **lease)
{
    struct shared *s = NULL, *fresh;
    struct typical *t;
    int64_t gen;

    *lease = NULL;
    if (store_generation(st, &gen) != ERR_OK)
        return NULL;
    pthread_mutex_lock(&mu);
    if (current != NULL && current->gen == gen) {
        s = current;
        s->refs++;
    }
    pthread_mutex_unlock(&mu);
    if (s == NULL) {
        /* Built outside the lock: a reader of another generation waits
         * for nobody; two threads may build the same one, once. */
        if (typical_build(st, &t) != ERR_OK)
            return NULL;
        fresh = xcalloc(1, sizeof *fresh);
        *fresh = (struct shared){t, gen, 2};
        pthread_mutex_lock(&mu);
        if (current == NULL || current->gen <= gen) {
            drop(current);
            current = fresh;
        } else {
            fresh->refs--; /* a newer one is cached: keep ours to us */
        }
        pthread_mutex_unlock(&mu);
        s = fresh;
    }
    *lease = s;
    return s->t;
}

void api_typical_release(void *lease)
{
    pthread_mutex_lock(&mu);
    drop(lease);
    pthread_mutex_unlock(&mu);
}
