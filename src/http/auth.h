/* Dashboard login: argon2id password hashes, session tokens and their
 * cookie, the Origin and CSRF checks on state-changing requests, and
 * login throttling. server.c calls auth_check before every handler; the
 * CLI (mediadash user) uses the name and password helpers.
 *
 * Secrets handled here (passwords, session tokens) are never logged and
 * never stored: the store keeps an argon2id hash string per user and the
 * SHA-256 of each session token.
 *
 * The implementation, one job per file: auth_hash.c (names, passwords,
 * the argon2id gate, the login check), auth_throttle.c, auth_session.c
 * (tokens, sessions, the cookie), auth_cache.c (the session cache),
 * auth_check.c (Origin/CSRF/session before each handler), form.c (form
 * fields) and auth_login.c (the login, session and logout handlers);
 * auth_int.h is shared between them. */
#ifndef MEDIADASH_AUTH_H
#define MEDIADASH_AUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/err.h"
#include "http/http.h"
#include "store/store.h"

#define AUTH_NAME_MAX 64       /* user names: 1..64 of [A-Za-z0-9_.@-] */
#define AUTH_PASSWORD_MIN 8    /* bytes */
#define AUTH_PASSWORD_MAX 1024 /* bytes */
#define AUTH_IDLE_DEFAULT 7200       /* 2 hours */
#define AUTH_MAX_DEFAULT 604800      /* 7 days */
#define AUTH_TIMEOUT_LIMIT 31622400  /* 366 days: bound of both timeouts */
#define AUTH_TOKEN_CHARS 43          /* base64url of 32 random bytes */

/* The session cookie's name: with --secure-cookies the browser only keeps
 * a __Host- cookie that is Secure, has Path=/ and no Domain. */
#define AUTH_COOKIE "mediadash_session"
#define AUTH_COOKIE_SECURE "__Host-mediadash_session"

/* Start libsodium; false when it cannot. Safe to call from any thread,
 * any number of times. Every function below calls it as needed. */
bool auth_init(void);

/* ---- names and passwords --------------------------------------------- */

/* True for 1..AUTH_NAME_MAX characters of [A-Za-z0-9_.@-]. */
bool auth_name_valid(const char *name);
/* NULL when the len bytes at pw are an acceptable password, else a
 * constant message saying what is wrong (length, NUL bytes). */
const char *auth_password_problem(const char *pw, size_t len);
/* The argon2id cost of new hashes: OWASP's minimum (m = 19 MiB, t = 2,
 * p = 1). Hashes made with other parameters (before 2026-11-25: m = 64
 * MiB) still verify, since the encoded string carries its parameters,
 * and are replaced at the next successful login. */
#define AUTH_HASH_OPSLIMIT 2u
#define AUTH_HASH_MEMLIMIT (19u << 20)
/* Stored hashes asking for more memory than this are not checked. */
#define AUTH_HASH_VERIFY_MAX ((size_t)256 << 20)

/* Every argon2id computation of the process passes one gate: at most
 * AUTH_HASH_MEMLIMIT bytes of hash memory at once (a costlier old hash
 * runs alone), so N logins at once do not take N times the memory. */

/* Append the encoded argon2id hash of pw (AUTH_HASH_OPSLIMIT,
 * AUTH_HASH_MEMLIMIT) to out, waiting for the gate as long as needed.
 * ERR_INVALID when auth_password_problem objects, ERR_NOMEM when hashing
 * fails. */
enum err auth_password_hash(const char *pw, size_t len, struct buf *out)
    WARN_UNUSED;
/* True when pw matches the encoded hash (borrowed strings); waits for
 * the gate as long as needed. */
bool auth_password_verify(const char *hash, const char *pw, size_t len);
/* True when hash was not made with today's parameters (or is not a hash
 * libsodium knows). */
bool auth_password_needs_rehash(const char *hash);
/* Check a login: ERR_OK and *user_id when name exists, is not disabled
 * and pw matches (a hash of older parameters is then replaced in the
 * store; a failure to do so is logged, not returned); ERR_NOTFOUND
 * otherwise, after the same work whether or not the name exists (an
 * unknown name is checked against a dummy hash); ERR_BUSY when the hash
 * gate stayed full for the login wait (auth_set_hash_wait); ERR_DB when
 * the store fails. */
enum err auth_login_verify(struct store *st, const char *name,
                           const char *pw, size_t len, int64_t *user_id)
    WARN_UNUSED;

/* The longest a login waits for the hash gate before ERR_BUSY (default
 * 2000 ms; negative is 0). */
void auth_set_hash_wait(int64_t ms);
/* Bytes of argon2id memory in use now, and the most in use at once since
 * the process started. */
size_t auth_hash_mem_in_use(void);
size_t auth_hash_mem_peak(void);
void auth_hash_mem_peak_reset(void); /* to what is in use now (tests) */

/* ---- tokens and sessions --------------------------------------------- */

/* Append a fresh random token (32 bytes from randombytes_buf, as
 * AUTH_TOKEN_CHARS base64url characters) to out. */
enum err auth_token_new(struct buf *out) WARN_UNUSED;
/* Append the store key of a token (hex SHA-256 of its 32 bytes) to out.
 * ERR_PARSE when token is not a well-formed token. */
enum err auth_token_key(const char *token, struct buf *out) WARN_UNUSED;
/* Constant-time comparison of two tokens; NULL equals nothing. */
bool auth_token_equal(const char *a, const char *b);
/* Store a new session of user_id started at now; append its token (the
 * cookie value) to token and its CSRF token to csrf. */
enum err auth_session_create(struct store *st, int64_t user_id, int64_t now,
                             struct buf *token, struct buf *csrf)
    WARN_UNUSED;

/* Percent-decode ('+' is a space) the value of field key of the n bytes
 * of an application/x-www-form-urlencoded body, appending it to out.
 * ERR_NOTFOUND when the field is absent; ERR_PARSE when it is repeated,
 * badly encoded, decodes to a NUL byte or does not fit out. */
enum err auth_form_field(const char *body, size_t n, const char *key,
                         struct buf *out) WARN_UNUSED;

/* ---- login throttling (one table in memory, behind a mutex) ---------- */

#define AUTH_ACCOUNT_FAILS 5   /* failures per account name... */
#define AUTH_IP_FAILS 20       /* ...or per client address... */
#define AUTH_FAIL_WINDOW 900   /* ...within 15 minutes lock it out */
#define AUTH_LOCK_FIRST 60     /* for a minute, doubling each time */
#define AUTH_LOCK_LONGEST 86400
/* Entries kept (names and addresses), at most; serve.login_throttle_slots
 * lowers it (AUTH_THROTTLE_SLOTS_MIN at least). Memory stays bounded by
 * the slots (and names of at most AUTH_NAME_MAX bytes).
 *
 * Eviction: a new key takes a free slot, else the slot of the entry
 * unused longest among those that can go: never one that is locked, has
 * attempts in flight, or had a lockout less than AUTH_LOCK_LONGEST ago
 * (its doubling history). So however many other names or addresses fail,
 * a locked one stays locked and its next lockout still doubles. When no
 * entry can go (the table is full of locked and recently locked keys), a
 * login of a name or address not in the table is refused (fail closed:
 * auth_throttle_begin says ERR_TOOBIG; logged at most once a minute)
 * until entries age out. */
#define AUTH_THROTTLE_SLOTS 4096
#define AUTH_THROTTLE_SLOTS_MIN 8

/* The outcome of one login attempt reserved by auth_throttle_begin. */
enum auth_attempt {
    AUTH_ATTEMPT_OK,     /* the password matched */
    AUTH_ATTEMPT_FAILED, /* it did not (or no such user): a failure */
    AUTH_ATTEMPT_VOID,   /* not checked (hash gate busy, store down) */
};

/* Check and count in one step, under the table's mutex: ERR_OK when name
 * (may be NULL: a name that cannot exist) and ip may try now, with the
 * attempt reserved (counted as in flight, so at most AUTH_ACCOUNT_FAILS
 * attempts of a name, AUTH_IP_FAILS of an address, can be in flight or
 * failed within a window); ERR_BUSY with *wait seconds when locked (or
 * when the attempts in flight reach the limit: *wait is then the lockout
 * they would bring); ERR_TOOBIG with *wait = AUTH_LOCK_FIRST when the
 * table has no room for a new key (see above). Every ERR_OK must be
 * settled by auth_throttle_end with the same name and ip. */
enum err auth_throttle_begin(const char *name, const char *ip, int64_t now,
                             int64_t *wait) WARN_UNUSED;
/* Settle an attempt auth_throttle_begin reserved: AUTH_ATTEMPT_FAILED
 * counts a failure of name and ip (locking at the limits);
 * AUTH_ATTEMPT_OK forgets name's failures and lockouts (not the
 * address's); AUTH_ATTEMPT_VOID only releases the reservation. */
void auth_throttle_end(const char *name, const char *ip, int64_t now,
                       enum auth_attempt outcome);
/* Seconds until name (may be NULL) and ip may try again; 0: now. Only
 * reads (tests, messages): auth_throttle_begin is the check. */
int64_t auth_throttle_wait(const char *name, const char *ip, int64_t now);
/* Use n slots (clamped to AUTH_THROTTLE_SLOTS_MIN..AUTH_THROTTLE_SLOTS;
 * entries beyond n are dropped): serve.login_throttle_slots. */
void auth_throttle_set_slots(size_t n);
/* Entries in the table now (tests: the bound). */
size_t auth_throttle_used(void);
/* Forget everything (tests). */
void auth_throttle_reset(void);

/* ---- the server's check before each handler -------------------------- */

/* Apply a route's flags (enum route_flags in route.h) to req:
 *  - methods other than GET and HEAD need an Origin (else Referer) naming
 *    this server (scheme from cfg->secure_cookies, the Host header), or
 *    "Origin: null" with "Sec-Fetch-Site: same-origin", and no
 *    "Sec-Fetch-Site: cross-site": else 403;
 *  - unless ROUTE_PUBLIC, the session cookie must name a live session:
 *    else 302 to /login?next=PATH for ROUTE_PAGE, 401 for the rest; the
 *    session's user fills req->user_id, user, csrf and session_key;
 *  - state-changing requests also need X-CSRF-Token equal to the
 *    session's token unless ROUTE_NO_CSRF: else 403 (so without
 *    ROUTE_NO_CSRF they need a session even when ROUTE_PUBLIC).
 * True when the handler may run; false when res holds the answer. */
bool auth_check(struct http_request *req, unsigned flags,
                struct http_response *res);
/* The Location a page without a session is sent to: /login, plus
 * ?next=PATH (percent-encoded) when path is local: one '/' at the start,
 * not "//" or "/\\" (which browsers take for another host). Into out
 * (replacing its contents; out->max of 8 KiB suffices). */
void auth_login_location(const char *path, struct buf *out);
/* For a ROUTE_PUBLIC handler that wants to know whether a login session
 * came with the request: load it into req as auth_check does. ERR_OK with
 * a session, ERR_NOTFOUND without a live one, ERR_DB when the store
 * fails. */
enum err auth_session_load(struct http_request *req) WARN_UNUSED;
/* Sessions are checked from memory: auth_check keeps what it read of a
 * session in an in-process cache of AUTH_SESSION_CACHE sessions (the
 * least recently used make way) and does not read the store again for
 * AUTH_SESSION_RECHECK seconds; so a session ended elsewhere (`mediadash
 * user del` or `user disable` in another process, a password change)
 * stops working within AUTH_SESSION_RECHECK seconds, one ended by this
 * process (logout, a new login over it) at once. The store stays the
 * durable record: last_seen is written at most once a minute per session
 * (half the idle timeout when that is shorter), so the idle timeout
 * counts to the minute, not the second. */
#define AUTH_SESSION_CACHE 1024
#define AUTH_SESSION_RECHECK 2 /* seconds */
#define AUTH_KEY_CHARS 64      /* a session's store key: hex SHA-256 */
/* Empty the session cache (tests). */
void auth_session_cache_reset(void);
/* API tokens (apitoken.h): on a route that is neither ROUTE_PUBLIC nor
 * ROUTE_PAGE, a request with "Authorization: Bearer TOKEN" is judged by
 * the token alone (auth_bearer.c), even when it also carries a session
 * cookie: no Origin and no CSRF check (a browser never attaches the
 * header on its own), the token's scope decides (403 otherwise), an
 * unknown, expired or revoked token is a 401 with WWW-Authenticate:
 * Bearer error="invalid_token", and wrong tokens count against the
 * client's address in the login throttle (429 when locked). */
bool auth_bearer_check(struct http_request *req, unsigned flags,
                       const char *token, struct http_response *res);
/* Log one line for a request an API token made (req->token_id set):
 * the token's name, method, path and status; never the token. Nothing
 * for other requests. The server calls this before answering. */
void auth_token_log(const struct http_request *req, unsigned status);
/* Free what auth_check put into req (the server calls this). */
void auth_request_free(struct http_request *req);

#endif
