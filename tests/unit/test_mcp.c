/* The MCP dispatcher (src/mcp) on a real store through the API's own
 * handlers (http/invoke.h): lifecycle, version negotiation, JSON-RPC
 * errors on hostile input, the tools' results against the API's answer,
 * scope, resources. */
#include "testutil.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "http/invoke.h"
#include "ingest/ingest.h"
#include "mcp/mcp.h"
#include "store/store.h"

#define DAY1 1717272000 /* 2024-06-01T20:00:00Z */

struct fx {
    struct tu_store_fx *s;
    struct http_config cfg;
    struct http_invoke ctx;
    struct mcp_api api;
    struct mcp_session ses;
    struct buf out;
};

static enum err call_api(void *ud, const char *method, const char *path,
                         const char *const *args, const char *body,
                         unsigned *status, struct buf *out)
{
    return http_invoke(ud, method, path, args, body, status, out);
}

static void import(struct tu_store_fx *s, const char *rel, int64_t t)
{
    char *path = tu_data_path(rel);
    struct ingest_opts o;
    struct ingest_result r;
    struct buf data, msg;

    memset(&o, 0, sizeof o);
    o.observed_at = t;
    buf_init(&data, (size_t)1 << 20);
    buf_init(&msg, 4096);
    tu_read(path, &data);
    assert_int_equal(ingest_document(s->st, rel, data.data, data.len, &o, &r,
                                     &msg),
                     ERR_OK);
    buf_free(&data);
    buf_free(&msg);
    free(path);
}

static int setup(void **state)
{
    struct fx *f = xcalloc(1, sizeof *f);
    void *s = NULL;

    assert_int_equal(tu_store_setup(&s), 0);
    f->s = s;
    import(f->s, "api/day1.json", DAY1);
    import(f->s, "api/day2.json", DAY1 + 86400);
    http_config_defaults(&f->cfg);
    f->ctx = (struct http_invoke){&f->cfg, f->s->st, "test", NULL};
    f->api = (struct mcp_api){call_api, &f->ctx};
    mcp_session_init(&f->ses, true);
    buf_init(&f->out, MCP_ANSWER_MAX);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    void *s = f->s;
    buf_free(&f->out);
    tu_store_teardown(&s);
    free(f);
    return 0;
}

/* Send msg; the parsed answer (NULL when none). Caller decrefs. */
static json_t *send_kind(struct fx *f, const char *msg, size_t len,
                         enum mcp_kind *kind)
{
    struct mcp_seen seen;
    json_error_t e;
    json_t *j;

    assert_int_equal(mcp_handle(&f->api, &f->ses, msg, len, &seen, &f->out),
                     ERR_OK);
    if (kind != NULL)
        *kind = seen.kind;
    if (f->out.len == 0)
        return NULL;
    j = json_loadb(f->out.data, f->out.len, 0, &e);
    if (j == NULL)
        fail_msg("answer is not JSON: %s", buf_cstr(&f->out));
    return j;
}

static json_t *send_str(struct fx *f, const char *msg,
                        enum mcp_kind *kind)
{
    return send_kind(f, msg, strlen(msg), kind);
}

static json_t *send(struct fx *f, const char *msg)
{
    return send_kind(f, msg, strlen(msg), NULL);
}

static int64_t error_code(const json_t *j)
{
    const json_t *c = json_object_get(json_object_get(j, "error"), "code");
    assert_true(json_is_integer(c));
    return json_integer_value(c);
}

static void init(struct fx *f, const char *version)
{
    char msg[256];
    json_t *j;

    snprintf(msg, sizeof msg,
             "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\","
             "\"params\":{\"protocolVersion\":\"%s\",\"capabilities\":{},"
             "\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}",
             version);
    j = send(f, msg);
    assert_non_null(json_object_get(j, "result"));
    json_decref(j);
    j = send(f, "{\"jsonrpc\":\"2.0\",\"method\":"
                "\"notifications/initialized\"}");
    assert_null(j);
}

static void test_lifecycle(void **state)
{
    struct fx *f = *state;
    json_t *j, *r;

    /* before initialize: ping yes, the rest no */
    j = send(f, "{\"jsonrpc\":\"2.0\",\"id\":\"p\",\"method\":\"ping\"}");
    assert_true(json_is_object(json_object_get(j, "result")));
    assert_string_equal(json_string_value(json_object_get(j, "id")), "p");
    json_decref(j);
    j = send(f, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}");
    assert_int_equal(error_code(j), -32600);
    assert_int_equal(json_integer_value(json_object_get(j, "id")), 2);
    json_decref(j);
    /* a version we do not speak: our newest */
    j = send(f, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\","
                "\"params\":{\"protocolVersion\":\"1999-01-01\","
                "\"capabilities\":{}}}");
    r = json_object_get(j, "result");
    assert_string_equal(
        json_string_value(json_object_get(r, "protocolVersion")),
        MCP_VERSION_LATEST);
    assert_non_null(json_object_get(json_object_get(r, "capabilities"),
                                    "tools"));
    assert_string_equal(json_string_value(json_object_get(
                            json_object_get(r, "serverInfo"), "name")),
                        "mediadash");
    json_decref(j);
    j = send(f, "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"initialize\","
                "\"params\":{\"protocolVersion\":\"2025-06-18\"}}");
    assert_int_equal(error_code(j), -32600); /* already initialized */
    json_decref(j);
    /* one that we do: kept */
    mcp_session_init(&f->ses, true);
    j = send(f, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\","
                "\"params\":{\"protocolVersion\":\"2025-06-18\"}}");
    assert_string_equal(json_string_value(json_object_get(
                            json_object_get(j, "result"), "protocolVersion")),
                        "2025-06-18");
    json_decref(j);
    j = send(f, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\"}");
    assert_int_equal(error_code(j), -32600);
    json_decref(j);
}

static void expect_error(struct fx *f, const char *msg, int64_t code)
{
    json_t *j = send(f, msg);
    if (j == NULL || error_code(j) != code)
        fail_msg("%s: expected %lld, got %s", msg, (long long)code,
                 buf_cstr(&f->out));
    json_decref(j);
}

static void test_hostile(void **state)
{
    struct fx *f = *state;
    size_t big = MCP_MSG_MAX + 1;
    char *huge = xmalloc(big + 1);
    enum mcp_kind kind;
    json_t *j;

    init(f, "2025-06-18");
    expect_error(f, "{\"jsonrpc\":\"2.0\",\"id\":1,", -32700);
    expect_error(f, "", -32700);
    expect_error(f, "\xff\xfe{}", -32700);
    expect_error(f, "[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}]",
                 -32600); /* no batches */
    expect_error(f, "42", -32600);
    expect_error(f, "{\"jsonrpc\":\"1.0\",\"id\":1,\"method\":\"ping\"}",
                 -32600);
    expect_error(f, "{\"jsonrpc\":\"2.0\",\"id\":1.5,\"method\":\"ping\"}",
                 -32600);
    expect_error(f, "{\"jsonrpc\":\"2.0\",\"id\":[1],\"method\":\"ping\"}",
                 -32600);
    expect_error(f, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":7}", -32600);
    expect_error(f, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\","
                    "\"params\":[1]}", -32600);
    expect_error(f, "{\"jsonrpc\":\"2.0\",\"id\":1,\"id\":2,"
                    "\"method\":\"ping\"}", -32700); /* duplicate key */
    expect_error(f, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"nope\"}",
                 -32601);
    expect_error(f, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":"
                    "\"tools/call\",\"params\":{}}", -32602);
    expect_error(f, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":"
                    "\"tools/call\",\"params\":{\"name\":\"rm_rf\"}}",
                 -32602);
    expect_error(f, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":"
                    "\"tools/call\",\"params\":{\"name\":\"get_report\","
                    "\"arguments\":[]}}", -32602);
    expect_error(f, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":"
                    "\"resources/read\",\"params\":{\"uri\":5}}", -32602);
    /* too big, too deep */
    memset(huge, ' ', big);
    huge[big] = '\0';
    j = send_kind(f, huge, big, NULL);
    assert_int_equal(error_code(j), -32600);
    json_decref(j);
    for (size_t i = 0; i < 5000; i++)
        huge[i] = '[';
    j = send_kind(f, huge, 5000, NULL);
    assert_int_equal(error_code(j), -32600);
    json_decref(j);
    free(huge);
    /* a notification and a client's response: no answer */
    assert_null(send_str(f, "{\"jsonrpc\":\"2.0\",\"method\":\"x/y\"}", &kind));
    assert_int_equal(kind, MCP_NOTIFICATION);
    assert_null(send_str(f, "{\"jsonrpc\":\"2.0\",\"id\":9,\"result\":{}}",
                          &kind));
    assert_int_equal(kind, MCP_RESPONSE);
}

/* Random bytes and cut or flipped valid messages: always a JSON answer
 * or none, never a crash (ASan build). */
static void test_garbage(void **state)
{
    static const char good[] =
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":"
        "{\"name\":\"search_content\",\"arguments\":{\"query\":\"Sat\","
        "\"limit\":5}}}";
    struct fx *f = *state;
    char msg[sizeof good];
    unsigned seed = 7;

    init(f, MCP_VERSION_LATEST);
    for (int i = 0; i < 1500; i++) {
        size_t n = (size_t)rand_r(&seed) % sizeof good;
        memcpy(msg, good, sizeof good);
        for (int k = 0; k < 3; k++)
            msg[(size_t)rand_r(&seed) % (sizeof good - 1)] =
                (char)(rand_r(&seed) & 0xff);
        json_decref(send_kind(f, msg, n, NULL));
    }
}

/* tools/call name with args (JSON text); the result object (borrowed
 * from *hold, which the caller decrefs). */
static json_t *call(struct fx *f, const char *name, const char *args,
                    json_t **hold)
{
    struct buf msg;
    json_t *r;

    buf_init(&msg, 4096);
    buf_catf(&msg, "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"tools/call\","
             "\"params\":{\"name\":\"%s\",\"arguments\":%s}}", name, args);
    *hold = send(f, buf_cstr(&msg));
    buf_free(&msg);
    r = json_object_get(*hold, "result");
    if (r == NULL)
        fail_msg("%s: %s", name, buf_cstr(&f->out));
    return r;
}

/* The API's answer to GET path?kv, parsed. */
static json_t *api_get(struct fx *f, const char *path,
                       const char *const *kv)
{
    struct buf out;
    unsigned status = 0;
    json_t *j;

    buf_init(&out, HTTP_INVOKE_MAX);
    assert_int_equal(http_invoke(&f->ctx, "GET", path, kv, NULL, &status,
                                 &out),
                     ERR_OK);
    assert_int_equal(status, 200);
    j = json_loads(buf_cstr(&out), 0, NULL);
    buf_free(&out);
    assert_non_null(j);
    return j;
}

static void test_tools(void **state)
{
    static const char *const q[] = {"q", "Saturday", "limit", "5", NULL};
    struct fx *f = *state;
    json_t *hold, *r, *sc, *api, *text, *tools;
    size_t i;
    json_t *t;

    init(f, MCP_VERSION_LATEST);
    hold = send(f, "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"tools/list\"}");
    tools = json_object_get(json_object_get(hold, "result"), "tools");
    assert_int_equal(json_array_size(tools), 8);
    json_array_foreach(tools, i, t) {
        assert_true(json_is_object(json_object_get(t, "inputSchema")));
        assert_true(json_is_object(json_object_get(t, "outputSchema")));
    }
    json_decref(hold);

    /* search_content: the API's answer, as structure and as text */
    r = call(f, "search_content", "{\"query\":\"Saturday\",\"limit\":5}",
             &hold);
    assert_false(json_is_true(json_object_get(r, "isError")));
    sc = json_object_get(r, "structuredContent");
    api = api_get(f, "/api/v1/search", q);
    assert_true(json_equal(sc, api));
    assert_int_equal(json_integer_value(json_object_get(sc, "total")), 1);
    text = json_loads(json_string_value(json_object_get(
                          json_array_get(json_object_get(r, "content"), 0),
                          "text")),
                      0, NULL);
    assert_true(json_equal(text, api));
    json_decref(text);
    json_decref(api);
    json_decref(hold);

    /* get_item: the item and its days */
    r = call(f, "get_item", "{\"platform\":\"youtube\",\"id\":\"vidA0000001\"}",
             &hold);
    sc = json_object_get(r, "structuredContent");
    assert_string_equal(json_string_value(json_object_get(
                            json_object_get(sc, "item"), "id")),
                        "vidA0000001");
    assert_non_null(json_object_get(sc, "days"));
    json_decref(hold);

    /* a bad argument, an unknown one, a path trick: tool errors */
    r = call(f, "search_content", "{\"query\":\"x\",\"limit\":\"5\"}", &hold);
    assert_true(json_is_true(json_object_get(r, "isError")));
    json_decref(hold);
    r = call(f, "get_report", "{\"rm\":1}", &hold);
    assert_true(json_is_true(json_object_get(r, "isError")));
    json_decref(hold);
    r = call(f, "get_item", "{\"platform\":\"youtube\",\"id\":\"../x\"}",
             &hold);
    assert_true(json_is_true(json_object_get(r, "isError")));
    json_decref(hold);
    /* the API's own refusal: its message */
    r = call(f, "get_report", "{\"range\":\"99999d\"}", &hold);
    assert_true(json_is_true(json_object_get(r, "isError")));
    assert_non_null(strstr(json_string_value(json_object_get(
                               json_array_get(json_object_get(r, "content"),
                                              0),
                               "text")),
                           "range"));
    json_decref(hold);
}

static void test_draft_scope(void **state)
{
    static const char *const drafts[] = {"state", "draft", NULL};
    struct fx *f = *state;
    json_t *hold, *r, *list;

    f->ses.can_write = false;
    init(f, MCP_VERSION_LATEST);
    f->ses.can_write = false; /* a read token's session */
    r = call(f, "draft_post", "{\"platform\":\"youtube\",\"title\":\"T\","
                              "\"at\":\"2030-01-01 10:00\","
                              "\"account\":\"UCapiFixtureChannel001\"}",
             &hold);
    assert_true(json_is_true(json_object_get(r, "isError")));
    json_decref(hold);
    list = api_get(f, "/api/v1/posts", drafts);
    assert_int_equal(json_array_size(json_object_get(list, "posts")), 0);
    json_decref(list);

    f->ses.can_write = true;
    r = call(f, "draft_post", "{\"platform\":\"youtube\",\"title\":\"Idea\","
                              "\"at\":\"2030-01-01 10:00\","
                              "\"account\":\"UCapiFixtureChannel001\","
                              "\"caption\":\"c\",\"tags\":[\"a\"]}",
             &hold);
    if (json_is_true(json_object_get(r, "isError")))
        fail_msg("draft refused: %s", buf_cstr(&f->out));
    json_decref(hold);
    list = api_get(f, "/api/v1/posts", drafts);
    assert_int_equal(json_array_size(json_object_get(list, "posts")), 1);
    json_decref(list);
}

/* resources/read of uri: the text of its one content. Caller frees. */
static char *read_text(struct fx *f, const char *uri)
{
    char msg[512];
    json_t *j, *c;
    char *text;

    snprintf(msg, sizeof msg, "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":"
             "\"resources/read\",\"params\":{\"uri\":\"%s\"}}", uri);
    j = send(f, msg);
    c = json_array_get(json_object_get(json_object_get(j, "result"),
                                       "contents"), 0);
    if (!json_is_string(json_object_get(c, "text")))
        fail_msg("read %s: %s", uri, buf_cstr(&f->out));
    assert_string_equal(json_string_value(json_object_get(c, "mimeType")),
                        "application/json");
    text = xstrdup(json_string_value(json_object_get(c, "text")));
    json_decref(j);
    return text;
}

/* Resources are the documents: every listed one reads as exactly GET
 * /api/v1/documents/one's body, the listing is the documents' listing. */
static void test_resources(void **state)
{
    struct fx *f = *state;
    const char *kv[] = {"id", NULL, NULL};
    json_t *j, *res, *r, *docs;
    struct buf out;
    unsigned status;
    size_t i;

    init(f, MCP_VERSION_LATEST);
    buf_init(&out, HTTP_INVOKE_MAX);
    j = send(f, "{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":\"resources/list\"}");
    res = json_object_get(json_object_get(j, "result"), "resources");
    assert_null(json_object_get(json_object_get(j, "result"), "nextCursor"));
    docs = api_get(f, "/api/v1/documents", NULL);
    assert_int_equal(json_array_size(res),
                     json_array_size(json_object_get(docs, "documents")));
    assert_true(json_array_size(res) >= 3); /* 2 items, 1 account */
    json_array_foreach(res, i, r) {
        const char *uri = json_string_value(json_object_get(r, "uri"));
        char *text = read_text(f, uri);
        assert_string_equal(uri, json_string_value(json_object_get(
            json_array_get(json_object_get(docs, "documents"), i), "id")));
        kv[1] = uri;
        assert_int_equal(http_invoke(&f->ctx, "GET", "/api/v1/documents/one",
                                     kv, NULL, &status, &out), ERR_OK);
        assert_int_equal(status, 200);
        assert_string_equal(text, buf_cstr(&out));
        free(text);
    }
    json_decref(docs);
    json_decref(j);
    {
        char *text = read_text(f, "mediadash://youtube/vidA0000001");
        assert_non_null(strstr(text, "Saturday morning upload"));
        assert_non_null(strstr(text, "\"summary\":"));
        free(text);
    }
    kv[1] = "mediadash://youtube/nope";
    assert_int_equal(http_invoke(&f->ctx, "GET", "/api/v1/documents/one", kv,
                                 NULL, &status, &out), ERR_OK);
    assert_int_equal(status, 404);
    kv[1] = "youtube:nope";
    assert_int_equal(http_invoke(&f->ctx, "GET", "/api/v1/documents/one", kv,
                                 NULL, &status, &out), ERR_OK);
    assert_int_equal(status, 400);
    buf_free(&out);
    expect_error(f, "{\"jsonrpc\":\"2.0\",\"id\":8,\"method\":"
                    "\"resources/read\",\"params\":{\"uri\":"
                    "\"mediadash://youtube/nope\"}}", -32002);
    expect_error(f, "{\"jsonrpc\":\"2.0\",\"id\":8,\"method\":"
                    "\"resources/read\",\"params\":{\"uri\":"
                    "\"mediadash://youtube/account/x/day/2026-13-40\"}}",
                 -32002);
    expect_error(f, "{\"jsonrpc\":\"2.0\",\"id\":8,\"method\":"
                    "\"resources/read\",\"params\":{\"uri\":"
                    "\"file:///etc/passwd\"}}", -32002);
    expect_error(f, "{\"jsonrpc\":\"2.0\",\"id\":8,\"method\":"
                    "\"resources/list\",\"params\":{\"cursor\":\"-1\"}}",
                 -32602);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_lifecycle, setup, teardown),
        cmocka_unit_test_setup_teardown(test_hostile, setup, teardown),
        cmocka_unit_test_setup_teardown(test_garbage, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tools, setup, teardown),
        cmocka_unit_test_setup_teardown(test_draft_scope, setup, teardown),
        cmocka_unit_test_setup_teardown(test_resources, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
