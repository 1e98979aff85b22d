/* GET /api/v1/search: full-text search of content items (docs/search.md)
 * through search_run, the code `mediadash search` and MCP call. A read
 * (scope read suffices for API tokens); every parameter is checked and a
 * bad one named in a 400. */
#include <string.h>

#include "analytics/search.h"
#include "core/jsonw.h"
#include "core/timeutil.h"
#include "http/api_args.h"
#include "http/route.h"

/* from / to: ISO 8601 times or dates, published in [from, to). */
static bool arg_time(struct http_request *req, struct http_response *res,
                     const char *name, int64_t *out)
{
    const char *v = http_arg(req, name);

    *out = TIME_NONE;
    if (v == NULL || *v == '\0')
        return true;
    if (time_parse_iso8601(v, out) == ERR_OK)
        return true;
    http_error(res, 400, name, "%s must be an ISO 8601 time or date such as "
               "2024-06-01 or 2024-06-01T12:00:00Z", name);
    return false;
}

/* role=own|tracked (absent or "all": both). */
static bool arg_role(struct http_request *req, struct http_response *res,
                     enum search_role *out)
{
    const char *v = http_arg(req, "role");

    *out = SEARCH_ROLE_ANY;
    if (v == NULL || *v == '\0' || strcmp(v, "all") == 0)
        return true;
    if (strcmp(v, "own") == 0 || strcmp(v, "owned") == 0)
        *out = SEARCH_ROLE_OWN;
    else if (strcmp(v, "tracked") == 0)
        *out = SEARCH_ROLE_TRACKED;
    else {
        http_error(res, 400, "role", "role must be own, tracked or all");
        return false;
    }
    return true;
}

static bool arg_sort(struct http_request *req, struct http_response *res,
                     enum search_sort *out)
{
    const char *v = http_arg(req, "sort");

    *out = SEARCH_SORT_RELEVANCE;
    if (v == NULL || *v == '\0' || search_sort_from_name(v, out) == ERR_OK)
        return true;
    http_error(res, 400, "sort", "sort must be relevance, views, likes, "
               "comments, engagement or published");
    return false;
}

static bool read_args(struct http_request *req, struct http_response *res,
                      struct search_request *q)
{
    int p;
    const char *acct = http_arg(req, "account");

    q->q = http_arg(req, "q");
    if (q->q == NULL) {
        http_error(res, 400, "q", "q (the text to search for) is missing");
        return false;
    }
    if (!api_arg_platform(req, res, &p) || !arg_role(req, res, &q->role) ||
        !arg_sort(req, res, &q->sort) ||
        !arg_time(req, res, "from", &q->from) ||
        !arg_time(req, res, "to", &q->to) ||
        !api_arg_int(req, res, "limit", 1, SEARCH_LIMIT_MAX, &q->limit) ||
        !api_arg_int(req, res, "offset", 0, INT32_MAX, &q->offset))
        return false;
    q->platform = p >= 0 ? platform_name((enum platform)p) : NULL;
    if (acct != NULL && (*acct == '\0' || strlen(acct) > ITEM_ID_MAX)) {
        http_error(res, 400, "account", "account must be 1 to %d bytes",
                   ITEM_ID_MAX);
        return false;
    }
    q->account = acct;
    return true;
}

static void api_search(struct http_request *req, struct http_response *res)
{
    struct search_request q = {.from = TIME_NONE, .to = TIME_NONE};
    struct search_result r;
    struct buf err;
    struct jw w;
    enum err rc;

    if (!read_args(req, res, &q))
        return;
    buf_init(&err, 1024);
    rc = search_run(req->st, &q, &r, &err);
    if (rc == ERR_INVALID) {
        const char *msg = buf_cstr(&err), *colon = strchr(msg, ':');
        /* err is "param: why"; the param names the 400 */
        struct buf param;
        buf_init(&param, 64);
        if (colon == NULL ||
            buf_append(&param, msg, (size_t)(colon - msg)) != ERR_OK)
            buf_reset(&param);
        http_error(res, 400, param.len ? buf_cstr(&param) : "q", "%s",
                   colon != NULL ? colon + 1 + (colon[1] == ' ') : msg);
        buf_free(&param);
    } else if (rc != ERR_OK) {
        http_error(res, 500, NULL, "database error");
    } else {
        jw_init(&w, &res->body);
        search_write_json(&w, &q, &r);
        api_ok_json(res, &w);
    }
    search_result_free(&r);
    buf_free(&err);
}

const struct route http_search_routes[] = {
    {"GET", "/api/v1/search", api_search, ROUTE_CACHE},
    {NULL, NULL, NULL, 0},
};
