/* /mcp: the MCP streamable HTTP transport (src/mcp) behind an API token.
 *
 *   POST   one JSON-RPC message in, its answer out as application/json
 *          (no SSE stream: every answer is one JSON body); 202 for a
 *          notification or a client's response.
 *   GET    405: this server opens no stream of its own.
 *   DELETE ends the session named by Mcp-Session-Id.
 *
 * Only an API token gets here (ROUTE_MCP: 401 with the Bearer challenge
 * without one); a token of scope read may POST, and its session may not
 * run the tools that write. An initialize without Mcp-Session-Id opens a
 * session bound to the token; every later message must name it (404 for
 * one that ended or expired: the client initializes again). An Origin
 * header, when sent, must be this server's own (DNS rebinding). */
#define LOG_MODULE "mcp"
#include <pthread.h>
#include <sodium.h>
#include <string.h>
#include <strings.h>

#include "core/log.h"
#include "core/timeutil.h"
#include "http/invoke.h"
#include "http/route.h"
#include "mcp/mcp.h"

#define MCP_SESSIONS 256          /* at most; the least recently used go */
#define MCP_SESSION_IDLE 1800     /* seconds unused before a session ends */
#define MCP_ID_CHARS 32           /* hex of 16 random bytes */

struct slot {
    char id[MCP_ID_CHARS + 1];    /* "": free */
    int64_t token_id;
    int64_t used;
    struct mcp_session s;
};

static struct {
    pthread_mutex_t mu;
    struct slot e[MCP_SESSIONS];
} g = {.mu = PTHREAD_MUTEX_INITIALIZER};

/* The session id of token tok into *out; false when unknown, expired or
 * another token's. Notes the use. */
static bool session_get(const char *id, int64_t tok, int64_t now,
                        struct mcp_session *out)
{
    bool found = false;

    if (id == NULL || strlen(id) != MCP_ID_CHARS)
        return false;
    pthread_mutex_lock(&g.mu);
    for (size_t i = 0; i < MCP_SESSIONS && !found; i++) {
        struct slot *e = &g.e[i];
        if (e->id[0] == '\0' || strcmp(e->id, id) != 0)
            continue;
        if (e->token_id != tok || now - e->used >= MCP_SESSION_IDLE)
            break;
        e->used = now;
        *out = e->s;
        found = true;
    }
    pthread_mutex_unlock(&g.mu);
    return found;
}

/* Keep s as a new session of token tok: its fresh id into id. */
static void session_put(const struct mcp_session *s, int64_t tok,
                        int64_t now, char id[MCP_ID_CHARS + 1])
{
    unsigned char raw[MCP_ID_CHARS / 2];
    struct slot *slot = NULL;

    randombytes_buf(raw, sizeof raw);
    sodium_bin2hex(id, MCP_ID_CHARS + 1, raw, sizeof raw);
    pthread_mutex_lock(&g.mu);
    for (size_t i = 0; i < MCP_SESSIONS; i++) {
        struct slot *e = &g.e[i];
        if (e->id[0] == '\0' || now - e->used >= MCP_SESSION_IDLE) {
            slot = e;
            break;
        }
        if (slot == NULL || e->used < slot->used)
            slot = e;
    }
    memcpy(slot->id, id, MCP_ID_CHARS + 1);
    slot->token_id = tok;
    slot->used = now;
    slot->s = *s;
    pthread_mutex_unlock(&g.mu);
}

static bool session_end(const char *id, int64_t tok)
{
    bool found = false;

    if (id == NULL || strlen(id) != MCP_ID_CHARS)
        return false;
    pthread_mutex_lock(&g.mu);
    for (size_t i = 0; i < MCP_SESSIONS; i++)
        if (strcmp(g.e[i].id, id) == 0 && g.e[i].token_id == tok) {
            memset(&g.e[i], 0, sizeof g.e[i]);
            found = true;
            break;
        }
    pthread_mutex_unlock(&g.mu);
    return found;
}

static enum err call_api(void *ud, const char *method, const char *path,
                         const char *const *args, const char *body,
                         unsigned *status, struct buf *out)
{
    return http_invoke(ud, method, path, args, body, status, out);
}

/* An Origin header, when there is one, must be this server's own. */
static bool origin_ok(struct http_request *req, struct http_response *res)
{
    const char *origin = http_header(req, "Origin");
    const char *host = http_header(req, "Host");
    const char *scheme = req->cfg->secure_cookies ? "https://" : "http://";
    size_t n = strlen(scheme);

    if (origin == NULL)
        return true;
    if (host != NULL && strncasecmp(origin, scheme, n) == 0 &&
        strcasecmp(origin + n, host) == 0)
        return true;
    http_error(res, 403, "Origin", "Origin is not this server's");
    return false;
}

/* The headers of a POST: Content-Type JSON, Accept taking JSON, a
 * protocol version we speak. False with the answer in res. */
static bool post_headers_ok(struct http_request *req,
                            struct http_response *res)
{
    const char *ct = http_header(req, "Content-Type");
    const char *accept = http_header(req, "Accept");
    const char *pv = http_header(req, "MCP-Protocol-Version");

    if (ct == NULL || strncasecmp(ct, "application/json", 16) != 0) {
        http_error(res, 415, "Content-Type",
                   "a message is sent as application/json");
        return false;
    }
    if (accept != NULL && strstr(accept, "application/json") == NULL &&
        strstr(accept, "*/*") == NULL) {
        http_error(res, 406, "Accept", "answers are application/json");
        return false;
    }
    if (pv != NULL && !mcp_version_supported(pv)) {
        http_error(res, 400, "MCP-Protocol-Version",
                   "unsupported MCP-Protocol-Version (this server: "
                   MCP_VERSION_LATEST " or 2025-06-18)");
        return false;
    }
    return true;
}

/* POST: one message, within its session (or opening one). */
static void mcp_post(struct http_request *req, struct http_response *res)
{
    struct http_invoke ctx = {req->cfg, req->st, req->user, req->read_st};
    struct mcp_api api = {call_api, &ctx};
    const char *sid = http_header(req, "Mcp-Session-Id");
    int64_t now = time_now();
    struct mcp_session s;
    struct mcp_seen seen;

    if (!post_headers_ok(req, res))
        return;
    mcp_session_init(&s, req->token_write);
    if (sid != NULL && !session_get(sid, req->token_id, now, &s)) {
        http_error(res, 404, "Mcp-Session-Id",
                   "no such session (it ended or expired): initialize "
                   "again");
        return;
    }
    if (mcp_handle(&api, &s, req->body.data ? req->body.data : "",
                   req->body.len, &seen, &res->body) != ERR_OK) {
        http_error(res, 500, NULL, "the answer could not be written");
        return;
    }
    res->content_type = "application/json";
    if (seen.initialize) {
        session_put(&s, req->token_id, now, res->mcp_session);
        LOG_INFO("session opened by token \"%s\" (protocol %s)",
                 req->token_name, s.version);
    } else if (sid == NULL && seen.kind != MCP_INVALID) {
        /* outside a session only initialize is taken */
        buf_reset(&res->body);
        http_error(res, 400, "Mcp-Session-Id",
                   "Mcp-Session-Id is required after initialize");
        return;
    }
    if (seen.kind == MCP_NOTIFICATION || seen.kind == MCP_RESPONSE) {
        res->status = 202;
        buf_reset(&res->body);
    } else if (seen.kind == MCP_INVALID) {
        res->status = 400;
    }
}

static void api_mcp(struct http_request *req, struct http_response *res)
{
    const char *sid = http_header(req, "Mcp-Session-Id");

    if (!origin_ok(req, res))
        return;
    if (strcmp(req->method, "POST") == 0) {
        mcp_post(req, res);
    } else if (strcmp(req->method, "DELETE") == 0) {
        if (!session_end(sid, req->token_id)) {
            http_error(res, 404, "Mcp-Session-Id", "no such session");
            return;
        }
        res->status = 204;
        buf_reset(&res->body);
    } else {
        http_error(res, 405, NULL, "this server opens no SSE stream: "
                   "POST messages to /mcp");
    }
}

const struct route http_mcp_routes[] = {
    {"POST", "/mcp", api_mcp, ROUTE_MCP | ROUTE_BODY_MEDIUM},
    {"GET", "/mcp", api_mcp, ROUTE_MCP},
    {"DELETE", "/mcp", api_mcp, ROUTE_MCP},
    {NULL, NULL, NULL, 0},
};
