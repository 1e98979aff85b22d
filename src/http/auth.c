/* Login, sessions, CSRF and login throttling (auth.h). The only shared
 * mutable state is `g` below: the throttle table and the count of
 * password hashes running, behind one mutex (STYLE.md 11). */
#include "http/auth.h"

#include <arpa/inet.h>
#include <jansson.h>
#include <microhttpd.h>
#include <pthread.h>
#include <sodium.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/alloc.h"
#include "core/digest.h"
#include "core/jread.h"
#include "core/jsonw.h"
#include "core/log.h"
#include "core/timeutil.h"
#include "http/route.h"

/* OWASP's floor for argon2id is m = 19 MiB with t = 2 (p = 1, which
 * libsodium always uses). */
_Static_assert(AUTH_HASH_OPSLIMIT >= 2, "argon2id time cost below OWASP's minimum");
_Static_assert(AUTH_HASH_MEMLIMIT >= (19u << 20),
               "argon2id memory cost below OWASP's minimum");
_Static_assert(AUTH_HASH_MEMLIMIT >= crypto_pwhash_argon2id_MEMLIMIT_MIN &&
                   AUTH_HASH_OPSLIMIT >= crypto_pwhash_argon2id_OPSLIMIT_MIN,
               "argon2id costs below libsodium's minimum");

#define TOKEN_BYTES 32
/* argon2id memory in use at once, over all threads: one hash at today's
 * cost. A larger hash (an older, costlier parameter set) runs alone. */
#define HASH_MEM_BUDGET ((size_t)AUTH_HASH_MEMLIMIT)
#define HASH_WAIT_DEFAULT_MS 2000 /* a login's wait for the gate */
#define LOGIN_BODY_MAX 16384 /* a login is small; JSON escapes grow it */
#define TOUCH_EVERY 60       /* write last_seen at most once a minute */

struct throttle {
    char *key; /* "u:NAME" or "i:ADDRESS"; owned; NULL: free slot */
    int64_t window_start, last, locked_until;
    unsigned fails, lockouts;
};

static struct {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    size_t hash_mem;      /* argon2id memory of the hashes running */
    size_t hash_mem_peak; /* the most hash_mem has been */
    int64_t hash_wait_ms; /* a login's longest wait for the gate */
    struct throttle slot[AUTH_THROTTLE_SLOTS];
    char dummy_hash[crypto_pwhash_STRBYTES]; /* set once, by dummy_once */
} g = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0,
       HASH_WAIT_DEFAULT_MS, {{0}}, {0}};

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

/* ---- tokens and sessions --------------------------------------------- */

enum err auth_token_new(struct buf *out)
{
    unsigned char raw[TOKEN_BYTES];
    char text[sodium_base64_ENCODED_LEN(
        TOKEN_BYTES, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
    enum err rc;

    if (!auth_init())
        return ERR_NOMEM;
    randombytes_buf(raw, sizeof raw);
    sodium_bin2base64(text, sizeof text, raw, sizeof raw,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    rc = buf_puts(out, text);
    sodium_memzero(raw, sizeof raw);
    sodium_memzero(text, sizeof text);
    return rc;
}

enum err auth_token_key(const char *token, struct buf *out)
{
    unsigned char raw[TOKEN_BYTES];
    size_t n = 0;
    const char *end = NULL;
    enum err rc;

    if (token == NULL || strlen(token) != AUTH_TOKEN_CHARS)
        return ERR_PARSE;
    if (sodium_base642bin(raw, sizeof raw, token, AUTH_TOKEN_CHARS, NULL, &n,
                          &end, sodium_base64_VARIANT_URLSAFE_NO_PADDING) !=
            0 ||
        n != TOKEN_BYTES || end != token + AUTH_TOKEN_CHARS)
        return ERR_PARSE;
    rc = digest_sha256_hex(raw, sizeof raw, out);
    sodium_memzero(raw, sizeof raw);
    return rc;
}

bool auth_token_equal(const char *a, const char *b)
{
    size_t n;
    if (a == NULL || b == NULL)
        return false;
    n = strlen(a);
    if (n == 0 || n != strlen(b)) /* tokens have a fixed length */
        return false;
    return sodium_memcmp(a, b, n) == 0;
}

enum err auth_session_create(struct store *st, int64_t user_id, int64_t now,
                             struct buf *token, struct buf *csrf)
{
    struct buf key;
    enum err rc;

    buf_init(&key, 128);
    buf_reset(token);
    buf_reset(csrf);
    rc = auth_token_new(token);
    if (rc == ERR_OK)
        rc = auth_token_new(csrf);
    if (rc == ERR_OK)
        rc = auth_token_key(buf_cstr(token), &key);
    if (rc == ERR_OK)
        rc = store_session_add(st, buf_cstr(&key), user_id, buf_cstr(csrf),
                               now);
    buf_free(&key);
    return rc;
}

/* ---- login throttling ------------------------------------------------ */

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

/* ---- the checks before each handler ---------------------------------- */

static const char *cookie_name(const struct http_config *cfg)
{
    return cfg->secure_cookies ? AUTH_COOKIE_SECURE : AUTH_COOKIE;
}

/* The Set-Cookie value carrying token, or clearing the cookie when token
 * is NULL. Caller frees. */
static char *cookie_header(const struct http_config *cfg, const char *token)
{
    struct buf b;
    buf_init(&b, 512);
    buf_catf(&b, "%s=%s; Path=/; %sHttpOnly; SameSite=Strict%s",
             cookie_name(cfg), token ? token : "",
             cfg->secure_cookies ? "Secure; " : "",
             token ? "" : "; Max-Age=0");
    return buf_steal(&b);
}

static bool state_changing(const char *method)
{
    return strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0;
}

/* A Host header we can compare: a name or address and maybe a port. */
static bool host_plausible(const char *host)
{
    size_t n = strlen(host);
    if (n == 0 || n > 255)
        return false;
    return strspn(host, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                        "0123456789.-:[]") == n;
}

/* Does the request come from a page of ours? Origin (else Referer) must
 * name scheme://Host, and a browser must not say it is cross-site. */
static bool origin_ok(struct http_request *req, struct http_response *res)
{
    const char *site = http_header(req, "Sec-Fetch-Site");
    const char *host = http_header(req, "Host");
    const char *origin = http_header(req, "Origin");
    const char *referer = http_header(req, "Referer");
    struct buf self;
    bool ok = false;

    buf_init(&self, 512);
    if (site != NULL && strcasecmp(site, "cross-site") == 0) {
        http_error(res, 403, NULL, "cross-site request refused "
                                   "(Sec-Fetch-Site: cross-site)");
        goto out;
    }
    if (host == NULL || !host_plausible(host)) {
        http_error(res, 403, NULL, "request without a valid Host header");
        goto out;
    }
    buf_catf(&self, "%s://%s", req->cfg->secure_cookies ? "https" : "http",
             host);
    if (origin != NULL && strcmp(origin, "null") == 0) {
        /* Browsers send "null" for a page of ours that asks for no
         * referrer; Sec-Fetch-Site, which scripts cannot set, vouches. */
        ok = site != NULL && strcasecmp(site, "same-origin") == 0;
    } else if (origin != NULL) {
        ok = strcasecmp(origin, buf_cstr(&self)) == 0;
    } else if (referer != NULL) {
        ok = strncasecmp(referer, self.data, self.len) == 0 &&
             (referer[self.len] == '/' || referer[self.len] == '\0');
    } else {
        http_error(res, 403, NULL, "state-changing request without an "
                                   "Origin or Referer header");
        goto out;
    }
    if (!ok)
        http_error(res, 403, NULL, "request from another origin refused "
                                   "(Origin or Referer is not this server)");
out:
    buf_free(&self);
    return ok;
}

static struct store_session_limits limits_of(const struct http_config *cfg)
{
    struct store_session_limits lim = {cfg->session_idle_s,
                                       cfg->session_max_s};
    return lim;
}

/* Find the session the cookie names and fill req from it. ERR_NOTFOUND
 * without a live one; ERR_DB when the store fails. */
static enum err load_session(struct http_request *req, int64_t now)
{
    const char *token = MHD_lookup_connection_value(
        req->conn, MHD_COOKIE_KIND, cookie_name(req->cfg));
    struct store_session_limits lim = limits_of(req->cfg);
    struct store_session s = {0};
    struct buf key;
    int64_t touch = TOUCH_EVERY;
    enum err rc;

    buf_init(&key, 128);
    rc = auth_token_key(token, &key) == ERR_OK ? ERR_OK : ERR_NOTFOUND;
    if (rc == ERR_OK)
        rc = store_session_get(req->st, buf_cstr(&key), now, &lim, &s);
    if (rc != ERR_OK)
        goto out;
    if (touch > lim.idle_s / 2)
        touch = lim.idle_s / 2 > 0 ? lim.idle_s / 2 : 1;
    if (now - s.last_seen >= touch &&
        store_session_touch(req->st, buf_cstr(&key), now) != ERR_OK)
        LOG_WARN("auth: cannot note a session's last use");
    auth_request_free(req);
    req->user_id = s.user_id;
    req->user = s.user;
    req->csrf = s.csrf;
    req->session_key = buf_steal(&key);
out:
    buf_free(&key);
    return rc;
}

enum err auth_session_load(struct http_request *req)
{
    return load_session(req, time_now());
}

void auth_request_free(struct http_request *req)
{
    req->user_id = 0;
    FREE_AND_NULL(req->user);
    FREE_AND_NULL(req->csrf);
    FREE_AND_NULL(req->session_key);
}

void auth_login_location(const char *path, struct buf *out)
{
    const char *p = path;

    buf_reset(out);
    buf_catf(out, "/login");
    if (p == NULL || p[0] != '/' || p[1] == '/' || p[1] == '\\' ||
        strlen(p) > 2048)
        return;
    buf_catf(out, "?next=");
    for (; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
            (c >= '0' && c <= '9') || strchr("-._~/", c) != NULL)
            buf_catf(out, "%c", c);
        else
            buf_catf(out, "%%%02X", c);
    }
}

/* A page asked for without a session: off to the login page. */
static void to_login(struct http_request *req, struct http_response *res)
{
    struct buf loc;

    buf_init(&loc, 8192);
    auth_login_location(req->path, &loc);
    res->status = 302;
    res->content_type = "text/plain; charset=utf-8";
    buf_reset(&res->body);
    buf_catf(&res->body, "log in first: %s\n", buf_cstr(&loc));
    res->location_owned = buf_steal(&loc);
}

static bool deny_without_session(struct http_request *req, unsigned flags,
                                 struct http_response *res, enum err rc)
{
    if (rc == ERR_DB)
        http_error(res, 503, NULL, "the database is not available");
    else if (flags & ROUTE_PAGE)
        to_login(req, res);
    else
        http_error(res, 401, NULL,
                   "log in first (POST /api/v1/login), or the session has "
                   "ended");
    return false;
}

bool auth_check(struct http_request *req, unsigned flags,
                struct http_response *res)
{
    bool changes = state_changing(req->method);
    bool needs_csrf = changes && !(flags & ROUTE_NO_CSRF);
    enum err rc;

    if (changes && !origin_ok(req, res))
        return false;
    if ((flags & ROUTE_PUBLIC) && !needs_csrf)
        return true;
    rc = load_session(req, time_now());
    if (rc != ERR_OK)
        return deny_without_session(req, flags, res, rc);
    if (needs_csrf &&
        !auth_token_equal(http_header(req, "X-CSRF-Token"), req->csrf)) {
        http_error(res, 403, NULL, "missing or wrong X-CSRF-Token header "
                                   "(GET /api/v1/session gives the token)");
        return false;
    }
    return true;
}

/* ---- POST /api/v1/login, GET /api/v1/session, POST /api/v1/logout ---- */

struct login {
    struct buf name, pw;
};

/* Copy a JSON string member into out; false after a 400 in res. */
static bool json_field(struct jread *r, json_t *doc, const char *field,
                       size_t max, struct buf *out, struct http_response *res)
{
    const char *v = NULL;
    json_t *j;

    if (jread_string(r, doc, field, J_REQUIRED, max, &v) != ERR_OK) {
        http_error(res, 400, field, "%s", buf_cstr(r->err));
        return false;
    }
    j = json_object_get(doc, field);
    if (buf_append(out, v, json_string_length(j)) != ERR_OK) {
        http_error(res, 400, field, "%s is too long", field);
        return false;
    }
    sodium_memzero((char *)v, json_string_length(j)); /* our copy wins */
    return true;
}

static bool parse_json_login(struct http_request *req, struct login *in,
                             struct http_response *res)
{
    struct buf err;
    struct jread r;
    json_error_t jerr;
    json_t *doc;
    bool ok = false;

    buf_init(&err, 1024);
    jread_init(&r, &err);
    doc = json_loadb(req->body.data ? req->body.data : "", req->body.len,
                     JSON_REJECT_DUPLICATES, &jerr);
    if (doc == NULL || !json_is_object(doc)) {
        http_error(res, 400, NULL, "the body must be a JSON object "
                                   "{\"user\": ..., \"password\": ...}");
        goto out;
    }
    ok = json_field(&r, doc, "user", AUTH_NAME_MAX, &in->name, res) &&
         json_field(&r, doc, "password", AUTH_PASSWORD_MAX, &in->pw, res);
out:
    json_decref(doc);
    jread_free(&r);
    buf_free(&err);
    return ok;
}

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Percent-decode the n bytes at s ('+' is a space) into out. */
static bool form_decode(const char *s, size_t n, struct buf *out)
{
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '+') {
            c = ' ';
        } else if (c == '%') {
            int hi = i + 2 < n ? hex_digit(s[i + 1]) : -1;
            int lo = i + 2 < n ? hex_digit(s[i + 2]) : -1;
            if (hi < 0 || lo < 0)
                return false;
            c = (char)(hi * 16 + lo);
            i += 2;
        }
        if (c == '\0' || buf_putc(out, c) != ERR_OK)
            return false;
    }
    return true;
}

enum err auth_form_field(const char *body, size_t n, const char *key,
                         struct buf *out)
{
    const char *p = body, *end = body + n;
    size_t klen = strlen(key);
    bool found = false;

    while (p < end) {
        const char *amp = memchr(p, '&', (size_t)(end - p));
        const char *stop = amp ? amp : end;
        const char *eq = memchr(p, '=', (size_t)(stop - p));

        if (eq != NULL && (size_t)(eq - p) == klen &&
            memcmp(p, key, klen) == 0) {
            if (found || !form_decode(eq + 1, (size_t)(stop - eq - 1), out))
                return ERR_PARSE;
            found = true;
        }
        p = stop + (amp ? 1 : 0);
    }
    return found ? ERR_OK : ERR_NOTFOUND;
}

/* user=NAME&password=PW, as an HTML form sends it. */
static bool parse_form_login(struct http_request *req, struct login *in,
                             struct http_response *res)
{
    const char *body = req->body.data ? req->body.data : "";
    enum err rc = auth_form_field(body, req->body.len, "user", &in->name);

    if (rc == ERR_OK)
        rc = auth_form_field(body, req->body.len, "password", &in->pw);
    if (rc != ERR_OK)
        http_error(res, 400, in->name.len ? "password" : "user",
                   rc == ERR_NOTFOUND ? "the form needs user and password"
                                      : "bad, repeated or too long field");
    return rc == ERR_OK;
}

static bool parse_login(struct http_request *req, struct login *in,
                        struct http_response *res)
{
    const char *type = http_header(req, "Content-Type");
    bool ok = false;

    if (req->body.len > LOGIN_BODY_MAX)
        http_error(res, 413, NULL, "a login body has at most %d bytes",
                   LOGIN_BODY_MAX);
    else if (type != NULL && strncasecmp(type, "application/json", 16) == 0)
        ok = parse_json_login(req, in, res);
    else if (type != NULL &&
             strncasecmp(type, "application/x-www-form-urlencoded", 33) == 0)
        ok = parse_form_login(req, in, res);
    else
        http_error(res, 415, NULL, "send the login as application/json");
    if (req->body.data != NULL) /* it holds the password */
        sodium_memzero(req->body.data, req->body.len);
    return ok;
}

/* The client's address as text into out ("?" when unknown). */
static void client_ip(struct http_request *req, struct buf *out)
{
    buf_setf(out, "%s", http_client_addr(req));
}

/* {"user": NAME, "csrf": TOKEN} */
static void session_json(struct http_response *res, const char *user,
                         const char *csrf)
{
    struct jw w;
    buf_reset(&res->body);
    jw_init(&w, &res->body);
    jw_object_begin(&w);
    jw_kv_str(&w, "user", user);
    jw_kv_str(&w, "csrf", csrf);
    jw_object_end(&w);
    res->content_type = "application/json";
    if (jw_status(&w) != ERR_OK)
        http_error(res, 500, NULL, "response too large");
}

/* A new session for a user who just proved their password: expired rows
 * go, a session the client still names ends (no fixation). */
static void start_session(struct http_request *req, struct http_response *res,
                          int64_t user_id, const char *name, int64_t now)
{
    struct store_session_limits lim = limits_of(req->cfg);
    struct buf token, csrf;
    const char *old = MHD_lookup_connection_value(
        req->conn, MHD_COOKIE_KIND, cookie_name(req->cfg));
    enum err rc;

    buf_init(&token, 128);
    buf_init(&csrf, 128);
    rc = store_session_purge(req->st, now, &lim, NULL);
    if (rc == ERR_OK && old != NULL) {
        struct buf key;
        buf_init(&key, 128);
        if (auth_token_key(old, &key) == ERR_OK)
            rc = store_session_del(req->st, buf_cstr(&key));
        buf_free(&key);
    }
    if (rc == ERR_OK)
        rc = auth_session_create(req->st, user_id, now, &token, &csrf);
    if (rc != ERR_OK) {
        http_error(res, 503, NULL, "cannot start a session: %s", err_str(rc));
        goto out;
    }
    res->set_cookie = cookie_header(req->cfg, buf_cstr(&token));
    session_json(res, name, buf_cstr(&csrf));
    LOG_INFO("auth: %s logged in", name);
out:
    if (token.data != NULL)
        sodium_memzero(token.data, token.len);
    buf_free(&token);
    buf_free(&csrf);
}

static void auth_login(struct http_request *req, struct http_response *res)
{
    struct login in;
    struct buf ip;
    int64_t now = time_now(), wait, user_id = 0;
    const char *name;
    enum err rc;

    buf_init(&in.name, AUTH_NAME_MAX);
    buf_init(&in.pw, AUTH_PASSWORD_MAX);
    buf_init(&ip, 128);
    if (!parse_login(req, &in, res))
        goto out;
    client_ip(req, &ip);
    /* Names that cannot exist get no throttle entry of their own. */
    name = auth_name_valid(buf_cstr(&in.name)) ? buf_cstr(&in.name) : NULL;
    wait = auth_throttle_wait(name, buf_cstr(&ip), now);
    if (wait > 0) {
        http_error(res, 429, NULL, "too many failed logins: try again in "
                   "%lld s", (long long)wait);
        res->retry_after = (unsigned)wait;
        goto out;
    }
    rc = auth_login_verify(req->st, buf_cstr(&in.name), buf_cstr(&in.pw),
                           in.pw.len, &user_id);
    if (rc == ERR_NOTFOUND) {
        auth_throttle_fail(name, buf_cstr(&ip), now);
        LOG_WARN("auth: failed login from %s", buf_cstr(&ip));
        http_error(res, 401, NULL, "wrong user name or password");
    } else if (rc == ERR_BUSY) {
        /* Other logins hold the hash memory: not a failed attempt. */
        http_error(res, 503, NULL, "busy checking other logins: try again "
                   "in a second");
        res->retry_after = 1;
    } else if (rc != ERR_OK) {
        http_error(res, 503, NULL, "the database is not available");
    } else {
        auth_throttle_success(name);
        /* argon2id took a while: the session starts now. */
        start_session(req, res, user_id, buf_cstr(&in.name), time_now());
    }
out:
    if (in.pw.data != NULL)
        sodium_memzero(in.pw.data, in.pw.len);
    buf_free(&in.name);
    buf_free(&in.pw);
    buf_free(&ip);
}

static void auth_session(struct http_request *req, struct http_response *res)
{
    session_json(res, req->user, req->csrf);
}

static void auth_logout(struct http_request *req, struct http_response *res)
{
    struct jw w;

    if (store_session_del(req->st, req->session_key) != ERR_OK) {
        http_error(res, 503, NULL, "the database is not available");
        return;
    }
    LOG_INFO("auth: %s logged out", req->user);
    res->set_cookie = cookie_header(req->cfg, NULL);
    jw_init(&w, &res->body);
    jw_object_begin(&w);
    jw_kv_bool(&w, "ok", true);
    jw_object_end(&w);
    res->content_type = "application/json";
    if (jw_status(&w) != ERR_OK)
        http_error(res, 500, NULL, "response too large");
}

const struct route http_auth_routes[] = {
    {"POST", "/api/v1/login", auth_login, ROUTE_PUBLIC | ROUTE_NO_CSRF},
    {"GET", "/api/v1/session", auth_session, 0},
    {"POST", "/api/v1/logout", auth_logout, 0},
    {NULL, NULL, NULL, 0},
};
