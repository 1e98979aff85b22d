/* libFuzzer: one MCP message (src/mcp) on an initialized session, against
 * an empty store through the API's handlers. Invariants that fail call
 * __builtin_trap(): the dispatcher always succeeds, and what it answers
 * is one JSON-RPC object (or nothing, for a notification or response). */
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "http/invoke.h"
#include "mcp/mcp.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct http_config cfg;
static struct http_invoke ctx;

static void check(bool ok)
{
    if (!ok)
        __builtin_trap();
}

static enum err call_api(void *ud, const char *method, const char *path,
                         const char *const *args, const char *body,
                         unsigned *status, struct buf *out)
{
    return http_invoke(ud, method, path, args, body, status, out);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    char path[] = "/tmp/fuzz-mcp-XXXXXX";
    struct buf err;
    int fd = mkstemp(path);

    (void)argc;
    (void)argv;
    check(fd >= 0);
    close(fd);
    unlink(path); /* store_open creates it */
    buf_init(&err, 1024);
    http_config_defaults(&cfg);
    ctx.cfg = &cfg;
    ctx.actor = "fuzz";
    check(store_open(path, &ctx.st, &err) == ERR_OK);
    buf_free(&err);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char init[] =
        "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":"
        "{\"protocolVersion\":\"2025-06-18\"}}";
    struct mcp_api api = {call_api, &ctx};
    struct mcp_session s;
    struct mcp_seen seen;
    struct buf out;
    json_t *j;

    buf_init(&out, MCP_ANSWER_MAX);
    mcp_session_init(&s, size > 0 && (data[0] & 1));
    check(mcp_handle(&api, &s, init, strlen(init), &seen, &out) == ERR_OK);
    check(seen.initialize);
    check(mcp_handle(&api, &s, (const char *)data, size, &seen, &out) ==
          ERR_OK);
    if (seen.kind == MCP_NOTIFICATION || seen.kind == MCP_RESPONSE) {
        check(out.len == 0);
    } else {
        j = json_loadb(out.data, out.len, 0, NULL);
        check(json_is_object(j) && json_object_get(j, "jsonrpc") != NULL);
        json_decref(j);
    }
    buf_free(&out);
    return 0;
}
