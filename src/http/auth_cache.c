/* The in-process session cache (auth_int.h): what auth_check needs of a
 * session, kept in memory so a request with a session does not read or
 * write the store. A 4-way set-associative table of AUTH_SESSION_CACHE
 * entries behind one mutex (STYLE.md 11); the least recently used entry
 * of a set makes way. */
#include "http/auth.h"

#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include "http/auth_int.h"

#define WAYS 4
#define SETS (AUTH_SESSION_CACHE / WAYS)

_Static_assert(AUTH_SESSION_CACHE % WAYS == 0, "whole sets");

struct entry {
    char key[AUTH_KEY_CHARS + 1]; /* "" : free */
    struct auth_cached s;
    int64_t created, last_used; /* last_used: the latest use we know */
    int64_t stored_seen;        /* last_seen as the store has it */
    int64_t checked;            /* when last read from the store */
};

static struct {
    pthread_mutex_t mu;
    struct entry e[SETS][WAYS];
} g = {.mu = PTHREAD_MUTEX_INITIALIZER};

static struct entry *set_of(const char *key)
{
    uint32_t h = 2166136261u; /* FNV-1a of the hex key's first 16 chars */
    for (int i = 0; i < 16 && key[i] != '\0'; i++)
        h = (h ^ (unsigned char)key[i]) * 16777619u;
    return g.e[h % SETS];
}

static struct entry *find(struct entry *set, const char *key)
{
    for (int i = 0; i < WAYS; i++)
        if (set[i].key[0] != '\0' && strcmp(set[i].key, key) == 0)
            return &set[i];
    return NULL;
}

bool auth_cache_get(const char *key, int64_t now,
                    const struct store_session_limits *lim,
                    int64_t touch_every, struct auth_cached *out,
                    bool *touch)
{
    struct entry *e;
    bool hit = false;

    *touch = false;
    pthread_mutex_lock(&g.mu);
    e = find(set_of(key), key);
    if (e != NULL && now - e->checked >= 0 &&
        now - e->checked < AUTH_SESSION_RECHECK &&
        now - e->last_used < lim->idle_s && now - e->created < lim->max_s) {
        hit = true;
        *out = e->s;
        if (now > e->last_used)
            e->last_used = now;
        if (now - e->stored_seen >= touch_every) {
            *touch = true; /* the caller writes it; one caller a minute */
            e->stored_seen = now;
        }
    }
    pthread_mutex_unlock(&g.mu);
    return hit;
}

void auth_cache_put(const char *key, const struct store_session *s,
                    int64_t stored_seen, int64_t now)
{
    struct entry *set, *e;

    if (strlen(key) != AUTH_KEY_CHARS || s->user == NULL || s->csrf == NULL ||
        strlen(s->user) > AUTH_NAME_MAX || strlen(s->csrf) != AUTH_TOKEN_CHARS)
        return; /* not what this server writes: never cached */
    pthread_mutex_lock(&g.mu);
    set = set_of(key);
    e = find(set, key);
    for (int i = 0; e == NULL && i < WAYS; i++)
        if (set[i].key[0] == '\0')
            e = &set[i];
    for (int i = 0; e == NULL && i < WAYS; i++) /* the least recently used */
        if (i == 0 || set[i].last_used < e->last_used)
            e = &set[i];
    if (strcmp(e->key, key) != 0)
        memset(e, 0, sizeof *e);
    memcpy(e->key, key, AUTH_KEY_CHARS + 1);
    e->s.user_id = s->user_id;
    memcpy(e->s.user, s->user, strlen(s->user) + 1);
    memcpy(e->s.csrf, s->csrf, AUTH_TOKEN_CHARS + 1);
    e->created = s->created_at;
    e->stored_seen = stored_seen;
    e->last_used = now > e->last_used ? now : e->last_used;
    e->checked = now;
    pthread_mutex_unlock(&g.mu);
}

void auth_cache_forget(const char *key)
{
    struct entry *e;

    if (key == NULL)
        return;
    pthread_mutex_lock(&g.mu);
    e = find(set_of(key), key);
    if (e != NULL)
        memset(e, 0, sizeof *e);
    pthread_mutex_unlock(&g.mu);
}

void auth_session_cache_reset(void)
{
    pthread_mutex_lock(&g.mu);
    memset(g.e, 0, sizeof g.e);
    pthread_mutex_unlock(&g.mu);
}
