/* POST /api/v1/login, GET /api/v1/session, POST /api/v1/logout and their
 * route table (http_auth_routes). */
#include "http/auth.h"

#include <jansson.h>
#include <microhttpd.h>
#include <sodium.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "core/jread.h"
#include "core/jsonw.h"
#include "core/log.h"
#include "core/timeutil.h"
#include "http/auth_int.h"
#include "http/route.h"

#define LOGIN_BODY_MAX 16384 /* a login is small; JSON escapes grow it */

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
    struct store_session_limits lim = auth_limits_of(req->cfg);
    struct buf token, csrf;
    const char *old = MHD_lookup_connection_value(
        req->conn, MHD_COOKIE_KIND, auth_cookie_name(req->cfg));
    enum err rc;

    buf_init(&token, 128);
    buf_init(&csrf, 128);
    rc = store_session_purge(req->st, now, &lim, NULL);
    if (rc == ERR_OK && old != NULL) {
        struct buf key;
        buf_init(&key, 128);
        if (auth_token_key(old, &key) == ERR_OK)
            rc = store_session_del(req->st, buf_cstr(&key));
        if (rc == ERR_OK && key.len > 0)
            auth_cache_forget(buf_cstr(&key));
        buf_free(&key);
    }
    if (rc == ERR_OK)
        rc = auth_session_create(req->st, user_id, now, &token, &csrf);
    if (rc != ERR_OK) {
        http_error(res, 503, NULL, "cannot start a session: %s", err_str(rc));
        goto out;
    }
    res->set_cookie = auth_cookie_header(req->cfg, buf_cstr(&token));
    session_json(res, name, buf_cstr(&csrf));
out:
    if (token.data != NULL)
        sodium_memzero(token.data, token.len);
    buf_free(&token);
    buf_free(&csrf);
}

/* A login the throttle refuses: 429 with Retry-After, and a log line
 * (a security event: fail2ban reads it). */
static void refuse_login(struct http_response *res, const char *name,
                         const char *ip, enum err rc, int64_t wait)
{
    if (rc == ERR_TOOBIG)
        LOG_WARN("login: refused for \"%s\" from %s: throttle table full",
                 name, ip);
    else
        LOG_WARN("login: refused for \"%s\" from %s: locked for %lld s",
                 name, ip, (long long)wait);
    http_error(res, 429, NULL, "too many failed logins: try again in "
               "%lld s", (long long)wait);
    res->retry_after = (unsigned)wait;
}

/* Check the password of a login the throttle let through, settle the
 * attempt, and answer. Each real check is logged with its outcome. */
static void check_login(struct http_request *req, struct http_response *res,
                        struct login *in, const char *name, const char *ip)
{
    const char *shown = name ? name : "(invalid name)";
    int64_t user_id = 0;
    enum err rc = auth_login_verify(req->st, buf_cstr(&in->name),
                                    buf_cstr(&in->pw), in->pw.len, &user_id);

    if (rc == ERR_NOTFOUND) {
        auth_throttle_end(name, ip, time_now(), AUTH_ATTEMPT_FAILED);
        LOG_AUDIT("login: wrong password for \"%s\" from %s", shown, ip);
        http_error(res, 401, NULL, "wrong user name or password");
    } else if (rc == ERR_BUSY) {
        /* Other logins hold the hash memory: not a failed attempt. */
        auth_throttle_end(name, ip, time_now(), AUTH_ATTEMPT_VOID);
        http_error(res, 503, NULL, "busy checking other logins: try again "
                   "in a second");
        res->retry_after = 1;
    } else if (rc != ERR_OK) {
        auth_throttle_end(name, ip, time_now(), AUTH_ATTEMPT_VOID);
        http_error(res, 503, NULL, "the database is not available");
    } else {
        auth_throttle_end(name, ip, time_now(), AUTH_ATTEMPT_OK);
        log_audit(LOG_LVL_INFO, LOG_MODULE,
                  "login: password accepted for \"%s\" from %s", shown, ip);
        /* argon2id took a while: the session starts now. */
        start_session(req, res, user_id, buf_cstr(&in->name), time_now());
    }
}

static void auth_login(struct http_request *req, struct http_response *res)
{
    struct login in;
    struct buf ip;
    int64_t wait = 0;
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
    rc = auth_throttle_begin(name, buf_cstr(&ip), time_now(), &wait);
    if (rc != ERR_OK)
        refuse_login(res, name ? name : "(invalid name)", buf_cstr(&ip), rc,
                     wait);
    else
        check_login(req, res, &in, name, buf_cstr(&ip));
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

    auth_cache_forget(req->session_key); /* ended here: ends at once */
    if (store_session_del(req->st, req->session_key) != ERR_OK) {
        http_error(res, 503, NULL, "the database is not available");
        return;
    }
    LOG_INFO("auth: %s logged out", req->user);
    res->set_cookie = auth_cookie_header(req->cfg, NULL);
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
    /* The session itself: an API token has none (ROUTE_SESSION_ONLY). */
    {"GET", "/api/v1/session", auth_session, ROUTE_SESSION_ONLY},
    {"POST", "/api/v1/logout", auth_logout, ROUTE_SESSION_ONLY},
    {NULL, NULL, NULL, 0},
};
