/* The check before each handler (auth.h): Origin/Referer on
 * state-changing requests, the session, the CSRF token, and where a page
 * without a session is sent. */
#include "http/auth.h"

#include <string.h>
#include <strings.h>

#include "core/timeutil.h"
#include "http/apitoken.h"
#include "http/auth_int.h"
#include "http/route.h"

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
    const char *bearer = apitoken_bearer(http_header(req, "Authorization"));
    enum err rc;

    if ((flags & ROUTE_MCP) && bearer == NULL) {
        http_error(res, 401, NULL, "an API token is needed "
                   "(Authorization: Bearer mdt_...; mediadash token add)");
        res->www_authenticate = "Bearer";
        return false;
    }
    /* An API route with a bearer token: the token alone decides. */
    if (bearer != NULL && !(flags & (ROUTE_PUBLIC | ROUTE_PAGE)))
        return auth_bearer_check(req, flags, bearer, res);
    if (changes && !origin_ok(req, res))
        return false;
    if ((flags & ROUTE_PUBLIC) && !needs_csrf)
        return true;
    rc = auth_session_find(req, time_now());
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
