/* The Model Context Protocol server (issue 18): JSON-RPC 2.0 messages in,
 * answers out, independent of the transport (stdio: cli/cmd_mcp.c;
 * streamable HTTP: http/api_mcp.c). Protocol versions 2025-11-25 (the
 * newest of the official TypeScript SDK) and 2025-06-18: no batches.
 *
 * Tools and resources read through the JSON API's own handlers
 * (struct mcp_api, in practice http/invoke.h): every number an MCP client
 * sees is the one GET /api/v1/... answers. Nothing here reads the store
 * or names a platform. */
#ifndef MEDIADASH_MCP_H
#define MEDIADASH_MCP_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "core/buf.h"
#include "core/err.h"

#define MCP_MSG_MAX ((size_t)1 << 20) /* bytes of one incoming message */
#define MCP_DEPTH_MAX 16              /* nesting of one incoming message */
#define MCP_ANSWER_MAX ((size_t)4 << 20) /* bytes of one answer */
#define MCP_VERSION_LATEST "2025-11-25"

/* One API call: like http_invoke (http/invoke.h). */
struct mcp_api {
    enum err (*call)(void *ud, const char *method, const char *path,
                     const char *const *args, const char *body,
                     unsigned *status, struct buf *out);
    void *ud;
};

/* One client's state: embedded in the transport's session. */
struct mcp_session {
    bool initialized;   /* initialize answered */
    bool can_write;     /* draft_post allowed (write scope, local CLI) */
    char version[16];   /* the negotiated protocol version */
};

void mcp_session_init(struct mcp_session *s, bool can_write);

/* What mcp_handle saw, for the transport. */
enum mcp_kind {
    MCP_REQUEST,      /* answered in out */
    MCP_NOTIFICATION, /* out empty: HTTP 202 */
    MCP_RESPONSE,     /* a client's answer to us: out empty, 202 */
    MCP_INVALID,      /* not JSON-RPC: the error answer is in out */
};

struct mcp_seen {
    enum mcp_kind kind;
    bool initialize;   /* an initialize request that succeeded */
};

/* Handle one message of len bytes (untrusted: any bytes). The answer
 * (one JSON-RPC response, or nothing) into out, reset first. Only
 * ERR_NOMEM/ERR_TOOBIG of out fail; protocol errors are answers. */
enum err mcp_handle(const struct mcp_api *api, struct mcp_session *s,
                    const char *msg, size_t len, struct mcp_seen *seen,
                    struct buf *out) WARN_UNUSED;

/* Whether v is a protocol version this server speaks. */
bool mcp_version_supported(const char *v);

/* ---- mcp_tools.c: the tools and resources (private to src/mcp) ---------- */
struct jw;
/* tools/list's "tools" array into w. */
void mcp_tools_list(struct jw *w);
/* Run tool name with args (a JSON object, or NULL) and write its
 * CallToolResult into w. ERR_NOTFOUND: no such tool (nothing written);
 * a tool's own failure is a result with isError. */
enum err mcp_tools_call(const struct mcp_api *api,
                        const struct mcp_session *s, const char *name,
                        json_t *args, struct jw *w, struct buf *scratch);
/* resources/list from cursor (NULL: the start) into w: the retrieval
 * documents (GET /api/v1/documents), tombstones left out; the cursor is
 * the listing's. ERR_INVALID for a cursor we did not hand out. */
enum err mcp_resources_list(const struct mcp_api *api, const char *cursor,
                            struct jw *w, struct buf *scratch);
/* resources/read of uri into w: the document as GET
 * /api/v1/documents/one answers it (JSON text). ERR_NOTFOUND: no such
 * resource, also for a URI that is not a document id. */
enum err mcp_resources_read(const struct mcp_api *api, const char *uri,
                            struct jw *w, struct buf *scratch);
void mcp_resource_templates(struct jw *w);

#endif
