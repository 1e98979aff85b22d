/* The MCP dispatcher (mcp.h): JSON-RPC 2.0 framing, the lifecycle
 * (initialize, notifications/initialized, ping) and the method table. */
#include "mcp/mcp.h"

#include <string.h>

#include "core/jsonw.h"

/* JSON-RPC error codes. */
#define RPC_PARSE (-32700)
#define RPC_INVALID_REQUEST (-32600)
#define RPC_NO_METHOD (-32601)
#define RPC_INVALID_PARAMS (-32602)
#define RPC_INTERNAL (-32603)

#define SERVER_INSTRUCTIONS                                                  \
    "mediadash: social media analytics of the creator's own and tracked "   \
    "accounts. Items are named by platform and id; resources are the "      \
    "retrieval documents (mediadash://PLATFORM/ID, accounts and their "    \
    "days), each JSON with a summary. Tools read the same numbers as the " \
    "dashboard's JSON API; draft_post only creates a draft."

static const char *const versions[] = {MCP_VERSION_LATEST, "2025-06-18"};

bool mcp_version_supported(const char *v)
{
    for (size_t i = 0; v != NULL && i < sizeof versions / sizeof *versions;
         i++)
        if (strcmp(v, versions[i]) == 0)
            return true;
    return false;
}

void mcp_session_init(struct mcp_session *s, bool can_write)
{
    memset(s, 0, sizeof *s);
    s->can_write = can_write;
}

/* The deepest nesting of arrays and objects in msg (strings skipped),
 * stopping early past limit: a cheap guard before the parser. */
static int nesting(const char *msg, size_t len, int limit)
{
    int depth = 0, most = 0;
    bool in_str = false;

    for (size_t i = 0; i < len && most <= limit; i++) {
        char c = msg[i];
        if (in_str) {
            if (c == '\\')
                i++;
            else if (c == '"')
                in_str = false;
        } else if (c == '"') {
            in_str = true;
        } else if (c == '[' || c == '{') {
            if (++depth > most)
                most = depth;
        } else if (c == ']' || c == '}') {
            depth--;
        }
    }
    return most;
}

static void write_id(struct jw *w, const json_t *id)
{
    jw_key(w, "id");
    if (json_is_string(id))
        jw_str(w, json_string_value(id));
    else if (json_is_integer(id))
        jw_i64(w, (int64_t)json_integer_value(id));
    else
        jw_null(w);
}

static enum err rpc_error(struct buf *out, const json_t *id, int code,
                          const char *message)
{
    struct jw w;

    buf_reset(out);
    jw_init(&w, out);
    jw_object_begin(&w);
    jw_kv_str(&w, "jsonrpc", "2.0");
    write_id(&w, id);
    jw_key(&w, "error");
    jw_object_begin(&w);
    jw_kv_i64(&w, "code", code);
    jw_kv_str(&w, "message", message);
    jw_object_end(&w);
    jw_object_end(&w);
    return jw_status(&w);
}

/* {"jsonrpc": "2.0", "id": ID, "result": — the caller writes the value
 * and calls result_end. */
static void result_begin(struct jw *w, struct buf *out, const json_t *id)
{
    buf_reset(out);
    jw_init(w, out);
    jw_object_begin(w);
    jw_kv_str(w, "jsonrpc", "2.0");
    write_id(w, id);
    jw_key(w, "result");
}

static enum err result_end(struct jw *w)
{
    jw_object_end(w);
    return jw_status(w);
}

static void write_initialize(struct jw *w, const char *version)
{
    jw_object_begin(w);
    jw_kv_str(w, "protocolVersion", version);
    jw_key(w, "capabilities");
    jw_object_begin(w);
    jw_key(w, "tools");
    jw_object_begin(w);
    jw_kv_bool(w, "listChanged", false);
    jw_object_end(w);
    jw_key(w, "resources");
    jw_object_begin(w);
    jw_kv_bool(w, "subscribe", false);
    jw_kv_bool(w, "listChanged", false);
    jw_object_end(w);
    jw_object_end(w);
    jw_key(w, "serverInfo");
    jw_object_begin(w);
    jw_kv_str(w, "name", "mediadash");
    jw_kv_str(w, "title", "mediadash analytics");
#ifdef MEDIADASH_VERSION_TEXT
    jw_kv_str(w, "version", MEDIADASH_VERSION_TEXT);
#else
    jw_kv_str(w, "version", "1");
#endif
    jw_object_end(w);
    jw_kv_str(w, "instructions", SERVER_INSTRUCTIONS);
    jw_object_end(w);
}

/* initialize: the version the client asked for when we speak it, else
 * our newest (the client then decides whether to go on). */
static enum err on_initialize(struct mcp_session *s, const json_t *id,
                              const json_t *params, struct mcp_seen *seen,
                              struct buf *out)
{
    const json_t *pv = json_object_get(params, "protocolVersion");
    const json_t *caps = json_object_get(params, "capabilities");
    const char *v;
    struct jw w;

    if (s->initialized)
        return rpc_error(out, id, RPC_INVALID_REQUEST,
                         "already initialized");
    if (!json_is_string(pv) || (caps != NULL && !json_is_object(caps)))
        return rpc_error(out, id, RPC_INVALID_PARAMS,
                         "initialize: params.protocolVersion must be a "
                         "string and params.capabilities an object");
    v = json_string_value(pv);
    if (!mcp_version_supported(v))
        v = MCP_VERSION_LATEST;
    memcpy(s->version, v, strlen(v) + 1); /* one of versions[]: fits */
    s->initialized = true;
    seen->initialize = true;
    result_begin(&w, out, id);
    write_initialize(&w, s->version);
    return result_end(&w);
}

static enum err on_tools_call(const struct mcp_api *api,
                              const struct mcp_session *s, const json_t *id,
                              const json_t *params, struct buf *out)
{
    const json_t *name = json_object_get(params, "name");
    json_t *args = json_object_get(params, "arguments");
    struct buf scratch;
    struct jw w;
    enum err rc;

    if (!json_is_string(name) || (args != NULL && !json_is_object(args)))
        return rpc_error(out, id, RPC_INVALID_PARAMS,
                         "tools/call: params.name must be a string and "
                         "params.arguments an object");
    buf_init(&scratch, MCP_ANSWER_MAX);
    result_begin(&w, out, id);
    rc = mcp_tools_call(api, s, json_string_value(name), args, &w,
                        &scratch);
    buf_free(&scratch);
    if (rc == ERR_NOTFOUND)
        return rpc_error(out, id, RPC_INVALID_PARAMS, "unknown tool");
    if (rc != ERR_OK)
        return rpc_error(out, id, RPC_INTERNAL, "the tool failed");
    return result_end(&w);
}

static enum err on_resources(const struct mcp_api *api, const char *method,
                             const json_t *id, const json_t *params,
                             struct buf *out)
{
    const json_t *cursor = json_object_get(params, "cursor");
    const json_t *uri = json_object_get(params, "uri");
    bool read = strcmp(method, "resources/read") == 0;
    struct buf scratch;
    struct jw w;
    enum err rc;

    if (read ? !json_is_string(uri)
             : (cursor != NULL && !json_is_string(cursor)))
        return rpc_error(out, id, RPC_INVALID_PARAMS,
                         read ? "resources/read: params.uri must be a "
                                "string"
                              : "params.cursor must be a string");
    buf_init(&scratch, MCP_ANSWER_MAX);
    result_begin(&w, out, id);
    rc = read ? mcp_resources_read(api, json_string_value(uri), &w,
                                   &scratch)
              : mcp_resources_list(api, json_string_value(cursor), &w,
                                   &scratch);
    buf_free(&scratch);
    if (rc == ERR_NOTFOUND) /* the spec's code for a missing resource */
        return rpc_error(out, id, -32002, "resource not found");
    if (rc == ERR_INVALID)
        return rpc_error(out, id, RPC_INVALID_PARAMS,
                         read ? "not a resource URI of this server "
                                "(mediadash://PLATFORM/ID)"
                              : "invalid cursor");
    if (rc != ERR_OK)
        return rpc_error(out, id, RPC_INTERNAL, "reading failed");
    return result_end(&w);
}

/* A request (it has an id) after the framing checks. */
static enum err on_request(const struct mcp_api *api, struct mcp_session *s,
                           const json_t *id, const char *method,
                           const json_t *params, struct mcp_seen *seen,
                           struct buf *out)
{
    struct jw w;

    if (strcmp(method, "initialize") == 0)
        return on_initialize(s, id, params, seen, out);
    if (strcmp(method, "ping") == 0) {
        result_begin(&w, out, id);
        jw_object_begin(&w);
        jw_object_end(&w);
        return result_end(&w);
    }
    if (!s->initialized)
        return rpc_error(out, id, RPC_INVALID_REQUEST,
                         "not initialized: send initialize first");
    if (strcmp(method, "tools/list") == 0) {
        result_begin(&w, out, id);
        jw_object_begin(&w);
        jw_key(&w, "tools");
        mcp_tools_list(&w);
        jw_object_end(&w);
        return result_end(&w);
    }
    if (strcmp(method, "tools/call") == 0)
        return on_tools_call(api, s, id, params, out);
    if (strcmp(method, "resources/list") == 0 ||
        strcmp(method, "resources/read") == 0)
        return on_resources(api, method, id, params, out);
    if (strcmp(method, "resources/templates/list") == 0) {
        result_begin(&w, out, id);
        mcp_resource_templates(&w);
        return result_end(&w);
    }
    return rpc_error(out, id, RPC_NO_METHOD, "method not found");
}

/* The JSON-RPC shape of one parsed message: MCP_INVALID with the error
 * message in *why otherwise. */
static enum mcp_kind classify(const json_t *m, const char **why)
{
    const json_t *v = json_object_get(m, "jsonrpc");
    const json_t *id = json_object_get(m, "id");
    const json_t *method = json_object_get(m, "method");
    const json_t *params = json_object_get(m, "params");

    *why = NULL;
    if (!json_is_string(v) || strcmp(json_string_value(v), "2.0") != 0)
        *why = "jsonrpc must be \"2.0\"";
    else if (id != NULL && !json_is_string(id) && !json_is_integer(id))
        *why = "id must be a string or an integer";
    else if (method == NULL &&
             (json_object_get(m, "result") || json_object_get(m, "error")))
        return id != NULL ? MCP_RESPONSE : MCP_INVALID;
    else if (!json_is_string(method))
        *why = "method must be a string";
    else if (params != NULL && !json_is_object(params))
        *why = "params must be an object";
    if (*why != NULL)
        return MCP_INVALID;
    return id != NULL ? MCP_REQUEST : MCP_NOTIFICATION;
}

enum err mcp_handle(const struct mcp_api *api, struct mcp_session *s,
                    const char *msg, size_t len, struct mcp_seen *seen,
                    struct buf *out)
{
    json_t *m = NULL, *params;
    json_error_t jerr;
    const char *why = NULL;
    enum err rc = ERR_OK;

    buf_reset(out);
    memset(seen, 0, sizeof *seen);
    seen->kind = MCP_INVALID;
    if (len > MCP_MSG_MAX)
        return rpc_error(out, NULL, RPC_INVALID_REQUEST,
                         "message over 1 MiB");
    if (nesting(msg, len, MCP_DEPTH_MAX) > MCP_DEPTH_MAX)
        return rpc_error(out, NULL, RPC_INVALID_REQUEST,
                         "message nested too deep");
    m = json_loadb(msg, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY,
                   &jerr);
    if (m == NULL)
        return rpc_error(out, NULL, RPC_PARSE, "parse error: not JSON");
    if (json_is_array(m))
        why = "batches are not supported (protocol 2025-06-18 and later)";
    else if (!json_is_object(m))
        why = "a message must be a JSON object";
    else
        seen->kind = classify(m, &why);
    if (seen->kind == MCP_INVALID) {
        const json_t *id = json_is_object(m) ? json_object_get(m, "id")
                                             : NULL;
        rc = rpc_error(out, json_is_string(id) || json_is_integer(id) ? id
                                                                      : NULL,
                       RPC_INVALID_REQUEST,
                       why ? why : "a response needs an id");
    } else if (seen->kind == MCP_REQUEST) {
        params = json_object_get(m, "params");
        rc = on_request(api, s, json_object_get(m, "id"),
                        json_string_value(json_object_get(m, "method")),
                        params, seen, out);
    } /* notifications and responses need no answer */
    json_decref(m);
    return rc;
}
