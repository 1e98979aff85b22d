/* Login throttling (auth.h): one table in memory behind its own mutex
 * (STYLE.md 11). */
#include "http/auth.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"

struct throttle {
    char *key; /* "u:NAME" or "i:ADDRESS"; owned; NULL: free slot */
    int64_t window_start, last, locked_until;
    unsigned fails, lockouts;
};

static struct {
    pthread_mutex_t mu;
    struct throttle slot[AUTH_THROTTLE_SLOTS];
} g = {PTHREAD_MUTEX_INITIALIZER, {{0}}};

/* The slot of key, or NULL (with create, a new or the oldest slot). */
static struct throttle *slot_of(const char *key, bool create)
{
    struct throttle *free_slot = NULL, *oldest = NULL;

    for (size_t i = 0; i < AUTH_THROTTLE_SLOTS; i++) {
        struct throttle *t = &g.slot[i];
        if (t->key == NULL) {
            if (free_slot == NULL)
                free_slot = t;
        } else if (strcmp(t->key, key) == 0) {
            return t;
        } else if (oldest == NULL || t->last < oldest->last) {
            oldest = t;
        }
    }
    if (!create)
        return NULL;
    if (free_slot == NULL) { /* full: evict the oldest */
        free_slot = oldest;
        free(free_slot->key);
    }
    memset(free_slot, 0, sizeof *free_slot);
    free_slot->key = xstrdup(key);
    return free_slot;
}

static void throttle_key(struct buf *b, char kind, const char *what)
{
    buf_reset(b);
    buf_catf(b, "%c:%s", kind, what);
}

static int64_t wait_of(const char *key, int64_t now)
{
    struct throttle *t = slot_of(key, false);
    return t != NULL && t->locked_until > now ? t->locked_until - now : 0;
}

int64_t auth_throttle_wait(const char *name, const char *ip, int64_t now)
{
    struct buf key;
    int64_t w = 0, w2;

    buf_init(&key, 256);
    pthread_mutex_lock(&g.mu);
    if (name != NULL) {
        throttle_key(&key, 'u', name);
        w = wait_of(buf_cstr(&key), now);
    }
    throttle_key(&key, 'i', ip ? ip : "?");
    w2 = wait_of(buf_cstr(&key), now);
    pthread_mutex_unlock(&g.mu);
    buf_free(&key);
    return w2 > w ? w2 : w;
}

/* Count one failure; at `limit` within the window, lock the key out for
 * AUTH_LOCK_FIRST seconds, doubling with each lockout. */
static void bump(const char *key, unsigned limit, int64_t now)
{
    struct throttle *t = slot_of(key, true);
    int64_t lock = AUTH_LOCK_FIRST;

    if (t->last != 0 && now - t->last >= AUTH_LOCK_LONGEST)
        t->lockouts = 0; /* quiet for a day: start over */
    if (now - t->window_start >= AUTH_FAIL_WINDOW) {
        t->fails = 0;
        t->window_start = now;
    }
    t->last = now;
    if (++t->fails < limit)
        return;
    for (unsigned i = 0; i < t->lockouts && lock < AUTH_LOCK_LONGEST; i++)
        lock *= 2;
    if (lock > AUTH_LOCK_LONGEST)
        lock = AUTH_LOCK_LONGEST;
    t->locked_until = now + lock;
    t->lockouts++;
    t->fails = 0;
    t->window_start = now;
}

void auth_throttle_fail(const char *name, const char *ip, int64_t now)
{
    struct buf key;

    buf_init(&key, 256);
    pthread_mutex_lock(&g.mu);
    if (name != NULL) {
        throttle_key(&key, 'u', name);
        bump(buf_cstr(&key), AUTH_ACCOUNT_FAILS, now);
    }
    throttle_key(&key, 'i', ip ? ip : "?");
    bump(buf_cstr(&key), AUTH_IP_FAILS, now);
    pthread_mutex_unlock(&g.mu);
    buf_free(&key);
}

void auth_throttle_success(const char *name)
{
    struct buf key;
    struct throttle *t;

    buf_init(&key, 256);
    throttle_key(&key, 'u', name);
    pthread_mutex_lock(&g.mu);
    t = slot_of(buf_cstr(&key), false);
    if (t != NULL) {
        free(t->key);
        memset(t, 0, sizeof *t);
    }
    pthread_mutex_unlock(&g.mu);
    buf_free(&key);
}

void auth_throttle_reset(void)
{
    pthread_mutex_lock(&g.mu);
    for (size_t i = 0; i < AUTH_THROTTLE_SLOTS; i++) {
        free(g.slot[i].key);
        memset(&g.slot[i], 0, sizeof g.slot[i]);
    }
    pthread_mutex_unlock(&g.mu);
}
