/* Password hashing (auth.h): names and password rules, argon2id behind
 * one memory gate, the dummy hash for unknown names and the login check.
 * The only shared mutable state is `g` below: the argon2id memory in use
 * and the login wait, behind one mutex (STYLE.md 11). */
#include "http/auth.h"

#include <pthread.h>
#include <sodium.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "core/log.h"


/* OWASP's floor for argon2id is m = 19 MiB with t = 2 (p = 1, which
 * libsodium always uses). */
_Static_assert(AUTH_HASH_OPSLIMIT >= 2, "argon2id time cost below OWASP's minimum");
_Static_assert(AUTH_HASH_MEMLIMIT >= (19u << 20),
               "argon2id memory cost below OWASP's minimum");
_Static_assert(AUTH_HASH_MEMLIMIT >= crypto_pwhash_argon2id_MEMLIMIT_MIN &&
                   AUTH_HASH_OPSLIMIT >= crypto_pwhash_argon2id_OPSLIMIT_MIN,
               "argon2id costs below libsodium's minimum");


/* argon2id memory in use at once, over all threads: one hash at today's
 * cost. A larger hash (an older, costlier parameter set) runs alone. */
#define HASH_MEM_BUDGET ((size_t)AUTH_HASH_MEMLIMIT)
#define HASH_WAIT_DEFAULT_MS 2000 /* a login's wait for the gate */

static struct {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    size_t hash_mem;      /* argon2id memory of the hashes running */
    size_t hash_mem_peak; /* the most hash_mem has been */
    int64_t hash_wait_ms; /* a login's longest wait for the gate */
    char dummy_hash[crypto_pwhash_STRBYTES]; /* set once, by dummy_once */
} g = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0,
       HASH_WAIT_DEFAULT_MS, {0}};

static pthread_once_t sodium_once = PTHREAD_ONCE_INIT;
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;
static bool sodium_ok;

static void start_sodium(void)
{
    sodium_ok = sodium_init() >= 0;
    if (!sodium_ok)
        LOG_ERROR("auth: libsodium cannot start");
}

bool auth_init(void)
{
    pthread_once(&sodium_once, start_sodium);
    return sodium_ok;
}

/* ---- names and passwords --------------------------------------------- */

bool auth_name_valid(const char *name)
{
    size_t n = 0;
    if (name == NULL)
        return false;
    for (; name[n] != '\0'; n++) {
        char c = name[n];
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                  (c >= '0' && c <= '9') || c == '_' || c == '.' ||
                  c == '@' || c == '-';
        if (!ok || n >= AUTH_NAME_MAX)
            return false;
    }
    return n > 0;
}

const char *auth_password_problem(const char *pw, size_t len)
{
    if (len < AUTH_PASSWORD_MIN)
        return "a password needs at least 8 bytes";
    if (len > AUTH_PASSWORD_MAX)
        return "a password has at most 1024 bytes";
    if (memchr(pw, '\0', len) != NULL)
        return "a password cannot contain NUL bytes";
    return NULL;
}

/* The memory an encoded argon2 hash asks for ("$argon2id$v=19$m=KIB,"),
 * or 0 when the string does not say. */
static size_t hash_mem_of(const char *hash)
{
    const char *m = strstr(hash, "$m=");
    size_t kib = 0;

    if (m == NULL)
        return 0;
    for (m += 3; *m >= '0' && *m <= '9'; m++) {
        if (kib > (SIZE_MAX >> 10) / 10 - 10)
            return 0;
        kib = kib * 10 + (size_t)(*m - '0');
    }
    return *m == ',' ? kib << 10 : 0;
}

/* Wait until mem bytes of argon2id fit the budget (a hash larger than the
 * whole budget waits until nothing else runs): for at most wait_ms, or
 * forever when wait_ms < 0. False when the wait ran out. A burst of
 * logins must not take a multiple of the hash memory. */
static bool gate_enter(size_t mem, int64_t wait_ms)
{
    struct timespec until;
    bool ok = true;

    if (wait_ms >= 0) {
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += (time_t)(wait_ms / 1000);
        until.tv_nsec += (long)(wait_ms % 1000) * 1000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
    }
    pthread_mutex_lock(&g.mu);
    while (ok && g.hash_mem > 0 && g.hash_mem + mem > HASH_MEM_BUDGET)
        ok = wait_ms < 0 ? pthread_cond_wait(&g.cv, &g.mu) == 0
                         : pthread_cond_timedwait(&g.cv, &g.mu, &until) == 0;
    if (!ok && g.hash_mem + mem <= HASH_MEM_BUDGET)
        ok = true; /* freed just as the wait ran out */
    if (ok) {
        g.hash_mem += mem;
        if (g.hash_mem > g.hash_mem_peak)
            g.hash_mem_peak = g.hash_mem;
    }
    pthread_mutex_unlock(&g.mu);
    return ok;
}

static void gate_leave(size_t mem)
{
    pthread_mutex_lock(&g.mu);
    g.hash_mem -= mem;
    pthread_cond_broadcast(&g.cv);
    pthread_mutex_unlock(&g.mu);
}

/* Hash pw into hash (crypto_pwhash_STRBYTES) through the gate. */
static enum err hash_gated(const char *pw, size_t len, int64_t wait_ms,
                           char *hash)
{
    enum err rc = ERR_NOMEM;

    if (!gate_enter(AUTH_HASH_MEMLIMIT, wait_ms))
        return ERR_BUSY;
    if (crypto_pwhash_argon2id_str(hash, pw, len, AUTH_HASH_OPSLIMIT,
                                   AUTH_HASH_MEMLIMIT) == 0)
        rc = ERR_OK;
    gate_leave(AUTH_HASH_MEMLIMIT);
    return rc;
}

enum err auth_password_hash(const char *pw, size_t len, struct buf *out)
{
    char hash[crypto_pwhash_STRBYTES];
    enum err rc;

    if (auth_password_problem(pw, len) != NULL)
        return ERR_INVALID;
    if (!auth_init())
        return ERR_NOMEM;
    rc = hash_gated(pw, len, -1, hash);
    if (rc == ERR_OK)
        rc = buf_puts(out, hash);
    sodium_memzero(hash, sizeof hash);
    return rc;
}

/* Check pw against hash through the gate: ERR_OK with *match, or
 * ERR_BUSY when the gate stayed full for wait_ms. */
static enum err verify_gated(const char *hash, const char *pw, size_t len,
                             int64_t wait_ms, bool *match)
{
    size_t mem;

    *match = false;
    if (hash == NULL || strlen(hash) >= crypto_pwhash_STRBYTES ||
        len > AUTH_PASSWORD_MAX || !auth_init())
        return ERR_OK;
    mem = hash_mem_of(hash);
    if (mem == 0 || mem > AUTH_HASH_VERIFY_MAX)
        return ERR_OK; /* not a hash this server would check */
    if (!gate_enter(mem, wait_ms))
        return ERR_BUSY;
    *match = crypto_pwhash_str_verify(hash, pw, len) == 0;
    gate_leave(mem);
    return ERR_OK;
}

bool auth_password_verify(const char *hash, const char *pw, size_t len)
{
    bool match = false;
    return verify_gated(hash, pw, len, -1, &match) == ERR_OK && match;
}

bool auth_password_needs_rehash(const char *hash)
{
    return hash == NULL || !auth_init() ||
           crypto_pwhash_str_needs_rehash(hash, AUTH_HASH_OPSLIMIT,
                                          AUTH_HASH_MEMLIMIT) != 0;
}

size_t auth_hash_mem_in_use(void)
{
    size_t v;
    pthread_mutex_lock(&g.mu);
    v = g.hash_mem;
    pthread_mutex_unlock(&g.mu);
    return v;
}

size_t auth_hash_mem_peak(void)
{
    size_t v;
    pthread_mutex_lock(&g.mu);
    v = g.hash_mem_peak;
    pthread_mutex_unlock(&g.mu);
    return v;
}

void auth_hash_mem_peak_reset(void)
{
    pthread_mutex_lock(&g.mu);
    g.hash_mem_peak = g.hash_mem;
    pthread_mutex_unlock(&g.mu);
}

void auth_set_hash_wait(int64_t ms)
{
    pthread_mutex_lock(&g.mu);
    g.hash_wait_ms = ms < 0 ? 0 : ms;
    pthread_mutex_unlock(&g.mu);
}

static int64_t hash_wait(void)
{
    int64_t v;
    pthread_mutex_lock(&g.mu);
    v = g.hash_wait_ms;
    pthread_mutex_unlock(&g.mu);
    return v;
}

/* A hash of a random password, for names that do not exist. */
static void make_dummy(void)
{
    unsigned char pw[16];
    char hex[sizeof pw * 2 + 1];
    struct buf h;

    buf_init(&h, sizeof g.dummy_hash - 1);
    if (!auth_init())
        return;
    randombytes_buf(pw, sizeof pw);
    sodium_bin2hex(hex, sizeof hex, pw, sizeof pw);
    if (auth_password_hash(hex, strlen(hex), &h) == ERR_OK)
        memcpy(g.dummy_hash, h.data, h.len + 1);
    else
        LOG_ERROR("auth: cannot make the dummy password hash");
    buf_free(&h);
}

/* A user who just logged in with a hash of older parameters: store a
 * hash at today's (libsodium's string names its own parameters, so the
 * old one verified). A failure here does not fail the login. */
static void rehash(struct store *st, const char *name, const char *pw,
                   size_t len)
{
    char hash[crypto_pwhash_STRBYTES];
    enum err rc = hash_gated(pw, len, hash_wait(), hash);

    if (rc == ERR_OK)
        rc = store_user_set_password(st, name, hash);
    if (rc == ERR_OK)
        LOG_INFO("auth: %s's password hash moved to m=%u KiB, t=%u", name,
                 (unsigned)(AUTH_HASH_MEMLIMIT >> 10),
                 (unsigned)AUTH_HASH_OPSLIMIT);
    else
        LOG_WARN("auth: cannot rehash %s's password: %s", name,
                 err_str(rc));
    sodium_memzero(hash, sizeof hash);
}

enum err auth_login_verify(struct store *st, const char *name,
                           const char *pw, size_t len, int64_t *user_id)
{
    struct store_user u = {0};
    enum err rc, vrc;
    bool match = false;

    *user_id = 0;
    pthread_once(&dummy_once, make_dummy);
    rc = auth_name_valid(name) ? store_user_get(st, name, &u) : ERR_NOTFOUND;
    if (rc != ERR_OK && rc != ERR_NOTFOUND)
        goto out;
    /* The same argon2id work whether or not the name exists. */
    vrc = verify_gated(rc == ERR_OK ? u.pw_hash : g.dummy_hash, pw, len,
                       hash_wait(), &match);
    if (vrc != ERR_OK) {
        rc = vrc;
        goto out;
    }
    if (rc == ERR_OK && match && !u.disabled) {
        *user_id = u.id;
        if (auth_password_needs_rehash(u.pw_hash))
            rehash(st, name, pw, len);
    } else {
        rc = ERR_NOTFOUND;
    }
out:
    store_user_free(&u);
    return rc;
}
