/* Login throttling (auth.h): one table in memory behind its own mutex
 * (STYLE.md 11). A locked key, a key with a recent lockout (its doubling
 * history) and a key with attempts in flight are never evicted; when no
 * other entry can make way, new keys are refused (fail closed). */
#include "http/auth.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/log.h"

#define FULL_LOG_EVERY 60 /* log the full table at most once a minute */

struct throttle {
    char *key; /* "u:NAME" or "i:ADDRESS"; owned; NULL: free slot */
    uint64_t hash; /* of key: the scan compares this first */
    int64_t window_start, last, locked_until;
    unsigned fails, lockouts, pending;
};

static struct {
    pthread_mutex_t mu;
    size_t slots; /* in use of slot[]: auth_throttle_set_slots */
    int64_t full_logged; /* when the full table was last logged */
    struct throttle slot[AUTH_THROTTLE_SLOTS];
} g = {PTHREAD_MUTEX_INITIALIZER, AUTH_THROTTLE_SLOTS, 0, {{0}}};

static uint64_t key_hash(const char *key)
{
    uint64_t h = 14695981039346656037ull; /* FNV-1a */
    for (; *key; key++)
        h = (h ^ (unsigned char)*key) * 1099511628211ull;
    return h;
}

/* May t make way for another key at now? Not while locked, with attempts
 * in flight, or with a lockout less than AUTH_LOCK_LONGEST ago (which
 * doubles the next one: see bump). */
static bool evictable(const struct throttle *t, int64_t now)
{
    if (t->pending > 0 || t->locked_until > now)
        return false;
    return t->lockouts == 0 || now - t->last >= AUTH_LOCK_LONGEST;
}

static void slot_clear(struct throttle *t)
{
    free(t->key);
    memset(t, 0, sizeof *t);
}

/* The slot of key; with create, a new slot when it has none: a free one,
 * else the evictable one unused longest. NULL when absent (or, with
 * create, when every slot holds an entry that must stay). */
static struct throttle *slot_of(const char *key, bool create, int64_t now)
{
    struct throttle *free_slot = NULL, *oldest = NULL;
    uint64_t h = key_hash(key);

    for (size_t i = 0; i < g.slots; i++) {
        struct throttle *t = &g.slot[i];
        if (t->key == NULL) {
            if (free_slot == NULL)
                free_slot = t;
        } else if (t->hash == h && strcmp(t->key, key) == 0) {
            return t;
        } else if ((oldest == NULL || t->last < oldest->last) &&
                   evictable(t, now)) {
            oldest = t;
        }
    }
    if (!create)
        return NULL;
    if (free_slot == NULL)
        free_slot = oldest;
    if (free_slot == NULL)
        return NULL;
    slot_clear(free_slot);
    free_slot->key = xstrdup(key);
    free_slot->hash = h;
    free_slot->last = now;
    free_slot->window_start = now;
    return free_slot;
}

static void throttle_key(struct buf *b, char kind, const char *what)
{
    buf_reset(b);
    buf_catf(b, "%c:%s", kind, what);
}

/* The lockout t's next one would be: AUTH_LOCK_FIRST doubled per lockout
 * of the last day, at most AUTH_LOCK_LONGEST. */
static int64_t next_lock(const struct throttle *t, int64_t now)
{
    int64_t lock = AUTH_LOCK_FIRST;
    unsigned n = t->last != 0 && now - t->last >= AUTH_LOCK_LONGEST
                     ? 0
                     : t->lockouts;

    for (unsigned i = 0; i < n && lock < AUTH_LOCK_LONGEST; i++)
        lock *= 2;
    return lock > AUTH_LOCK_LONGEST ? AUTH_LOCK_LONGEST : lock;
}

/* Seconds t must wait before another attempt: while locked, until the
 * lock ends; while the failures and attempts in flight of this window
 * reach limit, the lockout they would bring. */
static int64_t wait_of(const struct throttle *t, unsigned limit, int64_t now)
{
    unsigned fails;

    if (t == NULL)
        return 0;
    if (t->locked_until > now)
        return t->locked_until - now;
    fails = now - t->window_start >= AUTH_FAIL_WINDOW ? 0 : t->fails;
    return fails + t->pending >= limit ? next_lock(t, now) : 0;
}

int64_t auth_throttle_wait(const char *name, const char *ip, int64_t now)
{
    struct buf key;
    int64_t w = 0, w2;

    buf_init(&key, 256);
    pthread_mutex_lock(&g.mu);
    if (name != NULL) {
        throttle_key(&key, 'u', name);
        w = wait_of(slot_of(buf_cstr(&key), false, now), AUTH_ACCOUNT_FAILS,
                    now);
    }
    throttle_key(&key, 'i', ip ? ip : "?");
    w2 = wait_of(slot_of(buf_cstr(&key), false, now), AUTH_IP_FAILS, now);
    pthread_mutex_unlock(&g.mu);
    buf_free(&key);
    return w2 > w ? w2 : w;
}

/* Count one failure of t; at `limit` within the window, lock it out for
 * next_lock seconds (AUTH_LOCK_FIRST, doubling with each lockout). */
static void bump(struct throttle *t, unsigned limit, int64_t now)
{
    int64_t lock = next_lock(t, now);

    if (t->last != 0 && now - t->last >= AUTH_LOCK_LONGEST)
        t->lockouts = 0; /* quiet for a day: start over */
    if (now - t->window_start >= AUTH_FAIL_WINDOW) {
        t->fails = 0;
        t->window_start = now;
    }
    t->last = now;
    if (++t->fails < limit)
        return;
    t->locked_until = now + lock;
    t->lockouts++;
    t->fails = 0;
    t->window_start = now;
}

/* Log a full table, at most once every FULL_LOG_EVERY seconds. */
static void log_full(int64_t now)
{
    if (g.full_logged != 0 && now - g.full_logged < FULL_LOG_EVERY)
        return;
    g.full_logged = now;
    LOG_WARN("login: the throttle table is full (%zu names and addresses "
             "locked, recently locked or being checked): refusing logins "
             "of names and addresses not in it",
             g.slots);
}

/* Reserve an attempt (under g.mu): the slots of name (may be NULL) and
 * ip, created as needed, each count one more attempt in flight. */
static enum err reserve(const char *name, const char *ip, int64_t now)
{
    struct throttle *n = NULL, *i;
    struct buf key;
    enum err rc = ERR_TOOBIG;

    buf_init(&key, 256);
    if (name != NULL) {
        throttle_key(&key, 'u', name);
        n = slot_of(buf_cstr(&key), true, now);
        if (n == NULL)
            goto out;
        n->pending++; /* not evictable now, while ip finds a slot */
    }
    throttle_key(&key, 'i', ip);
    i = slot_of(buf_cstr(&key), true, now);
    if (i == NULL) {
        if (n != NULL && --n->pending == 0 && n->fails == 0 &&
            n->lockouts == 0)
            slot_clear(n);
        goto out;
    }
    i->pending++;
    rc = ERR_OK;
out:
    buf_free(&key);
    return rc;
}

enum err auth_throttle_begin(const char *name, const char *ip, int64_t now,
                             int64_t *wait)
{
    struct buf key;
    int64_t w = 0, w2;
    enum err rc = ERR_BUSY;

    buf_init(&key, 256);
    ip = ip ? ip : "?";
    pthread_mutex_lock(&g.mu);
    if (name != NULL) {
        throttle_key(&key, 'u', name);
        w = wait_of(slot_of(buf_cstr(&key), false, now), AUTH_ACCOUNT_FAILS,
                    now);
    }
    throttle_key(&key, 'i', ip);
    w2 = wait_of(slot_of(buf_cstr(&key), false, now), AUTH_IP_FAILS, now);
    w = w2 > w ? w2 : w;
    if (w == 0) {
        rc = reserve(name, ip, now);
        if (rc != ERR_OK) {
            w = AUTH_LOCK_FIRST;
            log_full(now);
        }
    }
    pthread_mutex_unlock(&g.mu);
    buf_free(&key);
    *wait = w;
    return rc;
}

/* Settle one reserved attempt of t (NULL: none) as outcome. */
static void settle(struct throttle *t, unsigned limit,
                   enum auth_attempt outcome, bool is_name, int64_t now)
{
    if (t == NULL)
        return;
    if (t->pending > 0)
        t->pending--;
    if (outcome == AUTH_ATTEMPT_FAILED) {
        bump(t, limit, now);
    } else if (outcome == AUTH_ATTEMPT_OK && is_name) {
        /* The account's owner: its failures and lockouts go. */
        t->fails = 0;
        t->lockouts = 0;
        t->locked_until = 0;
        if (t->pending == 0)
            slot_clear(t);
    }
}

void auth_throttle_end(const char *name, const char *ip, int64_t now,
                       enum auth_attempt outcome)
{
    struct buf key;

    buf_init(&key, 256);
    pthread_mutex_lock(&g.mu);
    if (name != NULL) {
        throttle_key(&key, 'u', name);
        settle(slot_of(buf_cstr(&key), false, now), AUTH_ACCOUNT_FAILS,
               outcome, true, now);
    }
    throttle_key(&key, 'i', ip ? ip : "?");
    settle(slot_of(buf_cstr(&key), false, now), AUTH_IP_FAILS, outcome,
           false, now);
    pthread_mutex_unlock(&g.mu);
    buf_free(&key);
}

void auth_throttle_set_slots(size_t n)
{
    if (n < AUTH_THROTTLE_SLOTS_MIN)
        n = AUTH_THROTTLE_SLOTS_MIN;
    if (n > AUTH_THROTTLE_SLOTS)
        n = AUTH_THROTTLE_SLOTS;
    pthread_mutex_lock(&g.mu);
    for (size_t i = n; i < g.slots; i++)
        slot_clear(&g.slot[i]);
    g.slots = n;
    pthread_mutex_unlock(&g.mu);
}

size_t auth_throttle_used(void)
{
    size_t used = 0;
    pthread_mutex_lock(&g.mu);
    for (size_t i = 0; i < AUTH_THROTTLE_SLOTS; i++)
        used += g.slot[i].key != NULL;
    pthread_mutex_unlock(&g.mu);
    return used;
}

void auth_throttle_reset(void)
{
    pthread_mutex_lock(&g.mu);
    for (size_t i = 0; i < AUTH_THROTTLE_SLOTS; i++)
        slot_clear(&g.slot[i]);
    g.full_logged = 0;
    pthread_mutex_unlock(&g.mu);
}
