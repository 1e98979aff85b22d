/* The MCP tools and resources (mcp.h). Each tool is a row of a static
 * table: its JSON Schema comes from the row's parameters, and it runs
 * GET (or POST) on the /api/v1 route that the dashboard uses, with the
 * arguments as that route's query parameters. The route checks every
 * value and names a bad one; that message becomes the tool's isError
 * result. No tool reaches health data: none of these routes serves it.
 *
 * search_content runs the full-text search route (GET /api/v1/search,
 * analytics/search.h). Resources are the retrieval documents
 * (analytics/documents.h) through their routes. */
#include "mcp/mcp.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/jsonw.h"

#define SEARCH_PATH "/api/v1/search"
#define SEARCH_QUERY_ARG "q"
#define ITEM_REF_MAX 200       /* bytes of a platform or item id */
#define HISTORY_DEFAULT "30"   /* snapshots in get_item and resources */
#define RESOURCES_PAGE 25     /* documents a resources/list page asks */
#define ARGS_MAX 12            /* query arguments of one call */

enum ptype { P_STR, P_INT, P_TAGS };

struct param {
    const char *name;
    enum ptype type;
    bool required;
    int64_t lo, hi;      /* P_INT bounds; P_STR: hi is the byte cap */
    const char *api;     /* the query argument, NULL: used otherwise */
    const char *desc;
};

#define PEND {NULL, P_STR, false, 0, 0, NULL, NULL}
#define P_PLATFORM(req)                                                      \
    {"platform", P_STR, req, 0, 32, "platform",                              \
     "a platform name as the dashboard shows it, e.g. youtube"}
#define P_RANGE                                                              \
    {"range", P_STR, false, 0, 8, "range",                                   \
     "days ending today, e.g. 28d (default 28d)"}
#define P_FROM                                                               \
    {"from", P_STR, false, 0, 10, "from", "first day, YYYY-MM-DD"}
#define P_TO {"to", P_STR, false, 0, 10, "to", "last day, YYYY-MM-DD"}

struct tool;
typedef enum err (*tool_fn)(const struct tool *t, const struct mcp_api *api,
                            json_t *args, struct buf *doc, struct buf *why);

struct tool {
    const char *name, *title, *desc;
    const char *path;           /* the route of the plain tools */
    bool writes;                /* needs the write scope */
    const char *const *out_keys; /* required members of the result */
    tool_fn run;                /* NULL: GET path with the arguments */
    struct param params[10];
};

/* ---- arguments ----------------------------------------------------------- */

static const struct param *param_of(const struct tool *t, const char *name)
{
    for (const struct param *p = t->params; p->name != NULL; p++)
        if (strcmp(p->name, name) == 0)
            return p;
    return NULL;
}

static bool tags_ok(const json_t *v)
{
    size_t i;
    const json_t *e;

    if (!json_is_array(v) || json_array_size(v) > 30)
        return false;
    json_array_foreach(v, i, e)
        if (!json_is_string(e) || json_string_length(e) > 100)
            return false;
    return true;
}

/* One argument against its parameter; false with the reason in why. */
static bool arg_ok(const struct param *p, const json_t *v, struct buf *why)
{
    switch (p->type) {
    case P_STR:
        if (json_is_string(v) && json_string_length(v) >= 1 &&
            json_string_length(v) <= (size_t)p->hi &&
            strlen(json_string_value(v)) == json_string_length(v))
            return true;
        buf_setf(why, "argument \"%s\" must be a string of 1 to %lld bytes",
                 p->name, (long long)p->hi);
        return false;
    case P_INT:
        if (json_is_integer(v) && json_integer_value(v) >= p->lo &&
            json_integer_value(v) <= p->hi)
            return true;
        buf_setf(why, "argument \"%s\" must be an integer in %lld..%lld",
                 p->name, (long long)p->lo, (long long)p->hi);
        return false;
    case P_TAGS:
        if (tags_ok(v))
            return true;
        buf_setf(why, "argument \"%s\" must be an array of at most 30 "
                 "strings of at most 100 bytes", p->name);
        return false;
    }
    return false;
}

/* Every argument known and well typed, every required one there. */
static bool args_ok(const struct tool *t, json_t *args, struct buf *why)
{
    const char *key;
    json_t *v;

    json_object_foreach(args, key, v) {
        const struct param *p = param_of(t, key);
        if (p == NULL) {
            buf_setf(why, "unknown argument \"%.64s\" for %s", key, t->name);
            return false;
        }
        if (!arg_ok(p, v, why))
            return false;
    }
    for (const struct param *p = t->params; p->name != NULL; p++)
        if (p->required && json_object_get(args, p->name) == NULL) {
            buf_setf(why, "argument \"%s\" is required", p->name);
            return false;
        }
    return true;
}

/* The query pairs of t's arguments that map onto the route (kv holds
 * ARGS_MAX pairs and the NULL end; the integers' text in ints). */
static void query_of(const struct tool *t, json_t *args, const char **kv,
                     char ints[][24])
{
    size_t n = 0;

    for (const struct param *p = t->params; p->name != NULL; p++) {
        const json_t *v = json_object_get(args, p->name);
        if (v == NULL || p->api == NULL || n >= ARGS_MAX)
            continue;
        if (p->type == P_INT) {
            snprintf(ints[n], 24, "%lld", (long long)json_integer_value(v));
            kv[2 * n + 1] = ints[n];
        } else {
            kv[2 * n + 1] = json_string_value(v);
        }
        kv[2 * n] = p->api;
        n++;
    }
    kv[2 * n] = NULL;
}

/* ---- API calls ----------------------------------------------------------- */

/* The API's error message of body into why. */
static void api_message(const struct buf *body, unsigned status,
                        struct buf *why)
{
    json_t *j = json_loadb(body->data ? body->data : "", body->len, 0, NULL);
    const json_t *m = json_object_get(json_object_get(j, "error"), "message");

    if (json_is_string(m))
        buf_setf(why, "%s", json_string_value(m));
    else
        buf_setf(why, "the API answered %u", status);
    json_decref(j);
}

/* method path?kv with body through the API: its JSON into doc (reset)
 * on a 2xx; ERR_INVALID with the API's message in why otherwise. */
static enum err api_run(const struct mcp_api *api, const char *method,
                        const char *path, const char *const *kv,
                        const char *body, struct buf *doc, struct buf *why)
{
    unsigned status = 0;
    enum err rc = api->call(api->ud, method, path, kv, body, &status, doc);

    if (rc != ERR_OK) {
        buf_setf(why, "the API could not run %s %s", method, path);
        return rc == ERR_NOMEM ? ERR_NOMEM : ERR_INVALID;
    }
    if (status < 200 || status > 299) {
        api_message(doc, status, why);
        return ERR_INVALID;
    }
    return ERR_OK;
}

static enum err run_plain(const struct tool *t, const struct mcp_api *api,
                          json_t *args, struct buf *doc, struct buf *why)
{
    const char *kv[2 * ARGS_MAX + 1];
    char ints[ARGS_MAX][24];

    query_of(t, args, kv, ints);
    return api_run(api, "GET", t->path, kv, NULL, doc, why);
}

/* A platform or item id that can stand in a path: printable ASCII, no
 * '/', not "." or "..". */
static bool ref_ok(const char *s)
{
    size_t n = strlen(s);

    if (n == 0 || n > ITEM_REF_MAX || strcmp(s, ".") == 0 ||
        strcmp(s, "..") == 0)
        return false;
    for (size_t i = 0; i < n; i++)
        if (s[i] < 0x21 || s[i] > 0x7e || s[i] == '/')
            return false;
    return true;
}

/* {"K1": A, "K2": B} of two answers of the API into doc. */
static enum err pair_doc(const char *k1, const struct buf *a, const char *k2,
                         const struct buf *b, struct buf *doc)
{
    struct jw w;

    buf_reset(doc);
    jw_init(&w, doc);
    jw_object_begin(&w);
    jw_key(&w, k1);
    jw_written(&w, a->data, a->len);
    jw_key(&w, k2);
    jw_written(&w, b->data, b->len);
    jw_object_end(&w);
    return jw_status(&w);
}

/* /api/v1/items/P/ID[SUFFIX] into path; false for ids that cannot be
 * one. */
static bool item_path(const char *platform, const char *id,
                      const char *suffix, struct buf *path)
{
    buf_reset(path);
    return ref_ok(platform) && ref_ok(id) &&
           buf_printf(path, "/api/v1/items/%s/%s%s", platform, id,
                      suffix) == ERR_OK;
}

/* get_item: the item with its latest snapshots (GET /api/v1/items/P/ID)
 * and its daily history (GET .../days). */
static enum err run_item(const struct tool *t, const struct mcp_api *api,
                         json_t *args, struct buf *doc, struct buf *why)
{
    const char *platform = json_string_value(json_object_get(args,
                                                             "platform"));
    const char *id = json_string_value(json_object_get(args, "id"));
    const char *kv[2 * ARGS_MAX + 1] = {"limit", HISTORY_DEFAULT, NULL};
    char ints[ARGS_MAX][24];
    struct buf path, item, days;
    enum err rc = ERR_INVALID;

    (void)t;
    buf_init(&path, 512);
    buf_init(&item, MCP_ANSWER_MAX);
    buf_init(&days, MCP_ANSWER_MAX);
    if (!item_path(platform, id, "", &path)) {
        buf_setf(why, "platform and id must be 1 to %d printable bytes "
                 "without '/'", ITEM_REF_MAX);
        goto out;
    }
    if (json_object_get(args, "history_limit") != NULL)
        query_of(t, args, kv, ints);
    rc = api_run(api, "GET", buf_cstr(&path), kv, NULL, &item, why);
    if (rc != ERR_OK)
        goto out;
    item_path(platform, id, "/days", &path);
    rc = api_run(api, "GET", buf_cstr(&path), NULL, NULL, &days, why);
    if (rc == ERR_OK)
        rc = pair_doc("item", &item, "days", &days, doc);
out:
    buf_free(&path);
    buf_free(&item);
    buf_free(&days);
    return rc;
}

/* compare_periods: GET /api/v1/report for each period, as "a" and "b". */
static enum err run_compare(const struct tool *t, const struct mcp_api *api,
                            json_t *args, struct buf *doc, struct buf *why)
{
    static const char *const keys[2][2] = {{"a_from", "a_to"},
                                           {"b_from", "b_to"}};
    const json_t *pf = json_object_get(args, "platform");
    const json_t *top = json_object_get(args, "top");
    struct buf ans[2];
    char topv[24];
    enum err rc = ERR_OK;

    (void)t;
    snprintf(topv, sizeof topv, "%lld",
             top ? (long long)json_integer_value(top) : 10LL);
    for (size_t i = 0; i < 2; i++) {
        const char *kv[] = {
            "from", json_string_value(json_object_get(args, keys[i][0])),
            "to",   json_string_value(json_object_get(args, keys[i][1])),
            "top",  topv,
            pf ? "platform" : NULL, json_string_value(pf), NULL};
        buf_init(&ans[i], MCP_ANSWER_MAX);
        if (rc == ERR_OK)
            rc = api_run(api, "GET", "/api/v1/report", kv, NULL, &ans[i],
                         why);
    }
    if (rc == ERR_OK)
        rc = pair_doc("a", &ans[0], "b", &ans[1], doc);
    buf_free(&ans[0]);
    buf_free(&ans[1]);
    return rc;
}

/* The dashboard's zone (GET /api/v1/settings) into zone; false with why. */
static bool settings_zone(const struct mcp_api *api, struct buf *zone,
                          struct buf *why)
{
    struct buf ans;
    json_t *j = NULL;
    const json_t *z;
    bool ok = false;

    buf_init(&ans, 64 << 10);
    if (api_run(api, "GET", "/api/v1/settings", NULL, NULL, &ans, why) ==
        ERR_OK)
        j = json_loadb(ans.data, ans.len, 0, NULL);
    z = json_object_get(j, "zone");
    if (json_is_string(z))
        ok = buf_puts(zone, json_string_value(z)) == ERR_OK;
    else if (j != NULL)
        buf_setf(why, "the dashboard has no zone: pass zone");
    json_decref(j);
    buf_free(&ans);
    return ok;
}

/* draft_post: POST /api/v1/posts with "draft": true, always: a draft is
 * never scheduled or published (the worker claims scheduled posts only).
 * zone defaults to the dashboard's. */
static enum err run_draft(const struct tool *t, const struct mcp_api *api,
                          json_t *args, struct buf *doc, struct buf *why)
{
    static const char *const strs[] = {"platform", "account", "title",
                                       "caption", "at"};
    const json_t *tags = json_object_get(args, "tags");
    const json_t *zone = json_object_get(args, "zone");
    struct buf body, dflt;
    struct jw w;
    enum err rc = ERR_INVALID;

    (void)t;
    buf_init(&body, (size_t)256 << 10);
    buf_init(&dflt, 128);
    if (zone == NULL && !settings_zone(api, &dflt, why))
        goto out;
    jw_init(&w, &body);
    jw_object_begin(&w);
    for (size_t i = 0; i < sizeof strs / sizeof *strs; i++) {
        const json_t *v = json_object_get(args, strs[i]);
        if (v != NULL)
            jw_kv_str(&w, strs[i], json_string_value(v));
    }
    jw_kv_str(&w, "zone", zone ? json_string_value(zone) : buf_cstr(&dflt));
    if (tags != NULL) {
        size_t i;
        const json_t *e;
        jw_key(&w, "tags");
        jw_array_begin(&w);
        json_array_foreach(tags, i, e)
            jw_str(&w, json_string_value(e));
        jw_array_end(&w);
    }
    jw_kv_bool(&w, "draft", true);
    jw_object_end(&w);
    rc = jw_status(&w);
    if (rc == ERR_OK)
        rc = api_run(api, "POST", "/api/v1/posts", NULL, buf_cstr(&body),
                     doc, why);
out:
    buf_free(&body);
    buf_free(&dflt);
    return rc;
}

/* ---- the table ----------------------------------------------------------- */

static const char *const out_list[] = {"total", "limit", "offset", "items",
                                       NULL};
static const char *const out_item[] = {"item", "days", NULL};
static const char *const out_report[] = {"from", "to", "total", NULL};
static const char *const out_top[] = {"metric", "items", NULL};
static const char *const out_heat[] = {"buckets", "best", NULL};
static const char *const out_pair[] = {"a", "b", NULL};
static const char *const out_posts[] = {"posts", NULL};
static const char *const out_post[] = {"post", NULL};

static const struct tool tools[] = {
    {"search_content", "Search content",
     "Full-text search of content items (own and tracked; each says its "
     "role) over titles, tags and descriptions: BM25-ranked, with the "
     "matches marked, \"phrases\" and prefix* terms, and latest metrics.",
     SEARCH_PATH, false, out_list, NULL,
     {{"query", P_STR, true, 0, 200, SEARCH_QUERY_ARG, "words to look for"},
      P_PLATFORM(false),
      {"sort", P_STR, false, 0, 32, "sort",
       "relevance (default), views, likes, comments, engagement or "
       "published"},
      {"limit", P_INT, false, 1, 100, "limit", "items (default 50)"},
      {"offset", P_INT, false, 0, 1000000, "offset", "items to skip"},
      PEND}},
    {"get_item", "Get one item",
     "One content item or account with its latest snapshots (newest "
     "history_limit, default 30) and its daily history.",
     NULL, false, out_item, run_item,
     {P_PLATFORM(true),
      {"id", P_STR, true, 0, ITEM_REF_MAX, NULL, "the platform's id"},
      {"history_limit", P_INT, false, 1, 500, "limit",
       "snapshots to return (default 30)"},
      PEND}},
    {"get_report", "Report",
     "The overview report of a range: totals, gains, top content, best "
     "hours, spikes.",
     "/api/v1/report", false, out_report, NULL,
     {P_RANGE, P_FROM, P_TO, P_PLATFORM(false),
      {"top", P_INT, false, 1, 100, "top", "top items (default 10)"},
      PEND}},
    {"top_content", "Top content",
     "Content ranked by what a metric gained in the range.",
     "/api/v1/top", false, out_top, NULL,
     {{"metric", P_STR, false, 0, 32, "metric", "metric (default views)"},
      P_RANGE, P_FROM, P_TO, P_PLATFORM(false),
      {"limit", P_INT, false, 1, 100, "limit", "items (default 10)"},
      PEND}},
    {"best_times", "Best times to post",
     "Weekday by hour heatmap of how content published at that time "
     "performed, in the dashboard's zone.",
     "/api/v1/heatmap", false, out_heat, NULL,
     {P_RANGE, P_FROM, P_TO, P_PLATFORM(false),
      {"min", P_INT, false, 1, 1000, "min",
       "items a cell needs before it is rated"},
      PEND}},
    {"compare_periods", "Compare two periods",
     "The report of period a and of period b, side by side.",
     NULL, false, out_pair, run_compare,
     {{"a_from", P_STR, true, 0, 10, NULL, "first day of a, YYYY-MM-DD"},
      {"a_to", P_STR, true, 0, 10, NULL, "last day of a, YYYY-MM-DD"},
      {"b_from", P_STR, true, 0, 10, NULL, "first day of b, YYYY-MM-DD"},
      {"b_to", P_STR, true, 0, 10, NULL, "last day of b, YYYY-MM-DD"},
      P_PLATFORM(false),
      {"top", P_INT, false, 1, 100, NULL, "top items (default 10)"},
      PEND}},
    {"list_posts", "List posts",
     "Scheduled, published, failed and draft posts of the scheduler.",
     "/api/v1/posts", false, out_posts, NULL,
     {{"state", P_STR, false, 0, 16, "state",
       "only posts in this state, e.g. draft, scheduled, published"},
      {"limit", P_INT, false, 1, 1000, "limit", "posts (default 500)"},
      PEND}},
    {"draft_post", "Draft a post",
     "Create a draft post (never scheduled or published: a person "
     "schedules it in the dashboard). Needs the write scope.",
     NULL, true, out_post, run_draft,
     {P_PLATFORM(true),
      {"account", P_STR, true, 0, 200, NULL,
       "the account's id on the platform (account_id of its content)"},
      {"title", P_STR, false, 0, 1000, NULL, "title"},
      {"caption", P_STR, false, 0, 65536, NULL, "caption or description"},
      {"tags", P_TAGS, false, 0, 0, NULL, "tags"},
      {"at", P_STR, true, 0, 32, NULL,
       "the planned local time, YYYY-MM-DD HH:MM (a note: a draft is not "
       "scheduled)"},
      {"zone", P_STR, false, 0, 64, NULL,
       "IANA zone of at (default: the dashboard's zone)"},
      PEND}},
};

#define NTOOLS (sizeof tools / sizeof *tools)

static void schema_param(struct jw *w, const struct param *p)
{
    jw_key(w, p->name);
    jw_object_begin(w);
    if (p->type == P_STR) {
        jw_kv_str(w, "type", "string");
        jw_kv_i64(w, "minLength", 1);
    } else if (p->type == P_INT) {
        jw_kv_str(w, "type", "integer");
        jw_kv_i64(w, "minimum", p->lo);
        jw_kv_i64(w, "maximum", p->hi);
    } else {
        jw_kv_str(w, "type", "array");
        jw_kv_i64(w, "maxItems", 30);
        jw_key(w, "items");
        jw_object_begin(w);
        jw_kv_str(w, "type", "string");
        jw_object_end(w);
    }
    jw_kv_str(w, "description", p->desc);
    jw_object_end(w);
}

static void input_schema(struct jw *w, const struct tool *t)
{
    jw_object_begin(w);
    jw_kv_str(w, "type", "object");
    jw_key(w, "properties");
    jw_object_begin(w);
    for (const struct param *p = t->params; p->name != NULL; p++)
        schema_param(w, p);
    jw_object_end(w);
    jw_key(w, "required");
    jw_array_begin(w);
    for (const struct param *p = t->params; p->name != NULL; p++)
        if (p->required)
            jw_str(w, p->name);
    jw_array_end(w);
    jw_kv_bool(w, "additionalProperties", false);
    jw_object_end(w);
}

static void output_schema(struct jw *w, const struct tool *t)
{
    jw_object_begin(w);
    jw_kv_str(w, "type", "object");
    jw_key(w, "required");
    jw_array_begin(w);
    for (const char *const *k = t->out_keys; *k != NULL; k++)
        jw_str(w, *k);
    jw_array_end(w);
    jw_object_end(w);
}

void mcp_tools_list(struct jw *w)
{
    jw_array_begin(w);
    for (size_t i = 0; i < NTOOLS; i++) {
        jw_object_begin(w);
        jw_kv_str(w, "name", tools[i].name);
        jw_kv_str(w, "title", tools[i].title);
        jw_kv_str(w, "description", tools[i].desc);
        jw_key(w, "inputSchema");
        input_schema(w, &tools[i]);
        jw_key(w, "outputSchema");
        output_schema(w, &tools[i]);
        jw_key(w, "annotations");
        jw_object_begin(w);
        jw_kv_bool(w, "readOnlyHint", !tools[i].writes);
        jw_kv_bool(w, "destructiveHint", false);
        jw_kv_bool(w, "openWorldHint", false);
        jw_object_end(w);
        jw_object_end(w);
    }
    jw_array_end(w);
}

/* A CallToolResult: isError with the text why, or doc (an answer of the
 * API, JSON) as structuredContent and as its text block. */
static void tool_result(struct jw *w, const struct buf *doc, const char *why)
{
    jw_object_begin(w);
    jw_key(w, "content");
    jw_array_begin(w);
    jw_object_begin(w);
    jw_kv_str(w, "type", "text");
    jw_kv_str(w, "text", why != NULL ? why : buf_cstr(doc));
    jw_object_end(w);
    jw_array_end(w);
    if (why == NULL) {
        jw_key(w, "structuredContent");
        jw_written(w, doc->data, doc->len);
    }
    jw_kv_bool(w, "isError", why != NULL);
    jw_object_end(w);
}

enum err mcp_tools_call(const struct mcp_api *api,
                        const struct mcp_session *s, const char *name,
                        json_t *args, struct jw *w, struct buf *scratch)
{
    const struct tool *t = NULL;
    json_t *none = NULL;
    struct buf why;
    enum err rc;

    for (size_t i = 0; i < NTOOLS && t == NULL; i++)
        if (strcmp(tools[i].name, name) == 0)
            t = &tools[i];
    if (t == NULL)
        return ERR_NOTFOUND;
    if (args == NULL)
        args = none = json_object();
    buf_init(&why, 2048);
    if (t->writes && !s->can_write) {
        buf_setf(&why, "%s needs the write scope: this session may only "
                 "read (an API token of scope read, or mcp --read-only)",
                 t->name);
        rc = ERR_INVALID;
    } else if (!args_ok(t, args, &why)) {
        rc = ERR_INVALID;
    } else {
        rc = (t->run ? t->run : run_plain)(t, api, args, scratch, &why);
    }
    if (rc == ERR_OK || rc == ERR_INVALID)
        tool_result(w, scratch, rc == ERR_OK ? NULL : buf_cstr(&why));
    json_decref(none);
    buf_free(&why);
    return rc == ERR_INVALID ? ERR_OK : rc;
}

/* ---- resources ----------------------------------------------------------- */

/* Resources are the retrieval documents (analytics/documents.h): listed
 * through GET /api/v1/documents (its cursor is ours), read through GET
 * /api/v1/documents/one, so that a resource is byte for byte the
 * document `export documents` writes. */
#define DOCS_PATH "/api/v1/documents"
#define DOC_ONE_PATH "/api/v1/documents/one"
#define URI_PREFIX "mediadash://"
#define URI_MAX 1024

/* A string member of o, or NULL. */
static const char *str_of(const json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

/* One document of a listing as a resource; tombstones are left out. */
static void write_resource(struct jw *w, const json_t *doc)
{
    const char *uri = str_of(doc, "id"), *title = str_of(doc, "title");
    const char *summary = str_of(doc, "summary");

    if (uri == NULL || json_is_true(json_object_get(doc, "deleted")) ||
        strncmp(uri, URI_PREFIX, strlen(URI_PREFIX)) != 0)
        return;
    jw_object_begin(w);
    jw_kv_str(w, "uri", uri);
    jw_kv_str(w, "name", uri + strlen(URI_PREFIX));
    jw_kv_str(w, "title", title != NULL && *title ? title
                          : summary != NULL ? summary : uri);
    if (summary != NULL)
        jw_kv_str(w, "description", summary);
    jw_kv_str(w, "mimeType", "application/json");
    jw_object_end(w);
}

enum err mcp_resources_list(const struct mcp_api *api, const char *cursor,
                            struct jw *w, struct buf *scratch)
{
    char lim[24];
    const char *kv[] = {"limit", lim, cursor ? "cursor" : NULL, cursor, NULL};
    json_t *j = NULL, *docs, *doc;
    struct buf why;
    const char *next;
    size_t i;
    enum err rc;

    snprintf(lim, sizeof lim, "%d", RESOURCES_PAGE);
    buf_init(&why, 1024);
    rc = api_run(api, "GET", DOCS_PATH, kv, NULL, scratch, &why);
    if (rc == ERR_OK)
        j = json_loadb(scratch->data, scratch->len, 0, NULL);
    docs = json_object_get(j, "documents");
    next = str_of(j, "next_cursor");
    if (rc == ERR_OK && (!json_is_array(docs) || next == NULL))
        rc = ERR_PARSE;
    if (rc != ERR_OK)
        goto out;
    jw_object_begin(w);
    jw_key(w, "resources");
    jw_array_begin(w);
    json_array_foreach(docs, i, doc)
        write_resource(w, doc);
    jw_array_end(w);
    if (json_is_true(json_object_get(j, "more")))
        jw_kv_str(w, "nextCursor", next);
    jw_object_end(w);
out:
    json_decref(j);
    buf_free(&why);
    return rc; /* ERR_INVALID: the API refused the cursor */
}

enum err mcp_resources_read(const struct mcp_api *api, const char *uri,
                            struct jw *w, struct buf *scratch)
{
    const char *kv[] = {"id", uri, NULL};
    unsigned status = 0;
    enum err rc;

    /* Not ours, or no such document: the same answer (-32002). */
    if (strncmp(uri, URI_PREFIX, strlen(URI_PREFIX)) != 0 ||
        strlen(uri) > URI_MAX)
        return ERR_NOTFOUND;
    rc = api->call(api->ud, "GET", DOC_ONE_PATH, kv, NULL, &status, scratch);
    if (rc != ERR_OK)
        return rc == ERR_NOMEM ? ERR_NOMEM : ERR_IO;
    if (status == 400 || status == 404)
        return ERR_NOTFOUND;
    if (status != 200)
        return ERR_IO;
    jw_object_begin(w);
    jw_key(w, "contents");
    jw_array_begin(w);
    jw_object_begin(w);
    jw_kv_str(w, "uri", uri);
    jw_kv_str(w, "mimeType", "application/json");
    jw_kv_str(w, "text", buf_cstr(scratch));
    jw_object_end(w);
    jw_array_end(w);
    jw_object_end(w);
    return ERR_OK;
}

/* One resource template row. */
static void template_row(struct jw *w, const char *tpl, const char *name,
                         const char *title)
{
    jw_object_begin(w);
    jw_kv_str(w, "uriTemplate", tpl);
    jw_kv_str(w, "name", name);
    jw_kv_str(w, "title", title);
    jw_kv_str(w, "mimeType", "application/json");
    jw_object_end(w);
}

void mcp_resource_templates(struct jw *w)
{
    jw_object_begin(w);
    jw_key(w, "resourceTemplates");
    jw_array_begin(w);
    template_row(w, URI_PREFIX "{platform}/{id}", "content",
                 "A content item's document");
    template_row(w, URI_PREFIX "{platform}/account/{id}", "account",
                 "An account's document");
    template_row(w, URI_PREFIX "{platform}/account/{id}/day/{date}",
                 "account_day", "An own account's daily summary");
    jw_array_end(w);
    jw_object_end(w);
}
