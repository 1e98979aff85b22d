/* GET /api/v1/documents: the documents for retrieval
 * (analytics/documents.h), in change order, a page at a time:
 *
 *   ?since=ISO8601   only those changed at or after (tombstones too)
 *   &cursor=C        continue after the page that gave next_cursor C
 *   &limit=N         1..500 documents (default 100)
 *   &platform=P      &role=own|tracked
 *
 * Answer: {"documents": [...], "next_cursor": "...", "more": bool}.
 * next_cursor is always set (the input cursor when the page is empty):
 * a client that keeps it and asks again later gets exactly what changed
 * since, tombstones included. The cursor is opaque text ("d1." and the
 * last change sequence number seen); the sequence grows with every
 * commit, so a page never skips a change committed while a client pages
 * (an item changed again comes back later with its new state).
 *
 * GET /api/v1/documents/one?id=mediadash://...: one live document, the
 * JSON object itself, byte for byte as the listing and `export documents`
 * write it (the MCP server's resources/read serves it). 400 (param id)
 * for an id documents_id does not write, 404 when there is no such
 * document (never there, removed, or a day that holds nothing now). */
#include <stdlib.h>
#include <string.h>

#include "analytics/documents.h"
#include "core/jsonw.h"
#include "core/str.h"
#include "core/timeutil.h"
#include "http/api.h"
#include "http/api_args.h"
#include "http/route.h"

#define DOCS_LIMIT_DEFAULT 100
#define DOCS_LIMIT_MAX 500
#define DOCS_BODY_MAX ((size_t)8 << 20) /* a page stops growing here */
#define CURSOR_PREFIX "d1."

struct docs_page {
    struct jw *w;
    int64_t limit, n, last_seq;
    bool more;
};

/* "d1.<seq>" -> seq >= 0; false for anything else. */
static bool cursor_parse(const char *s, int64_t *seq)
{
    size_t np = strlen(CURSOR_PREFIX);
    return strncmp(s, CURSOR_PREFIX, np) == 0 && s[np] >= '0' &&
           s[np] <= '9' && parse_i64(s + np, 0, INT64_MAX, seq) == ERR_OK;
}

static enum err on_doc(void *ud, const struct store_doc_change *c,
                       const char *json, size_t len)
{
    struct docs_page *pg = ud;

    if (pg->n >= pg->limit || pg->w->out->len + len > DOCS_BODY_MAX) {
        pg->more = true;
        return ERR_EXISTS; /* stop: the page is full */
    }
    jw_written(pg->w, json, len);
    pg->n++;
    pg->last_seq = c->seq;
    return ERR_OK;
}

/* since, cursor, limit, platform and role into *q. */
static bool docs_args(struct http_request *req, struct http_response *res,
                      struct store_doc_query *q)
{
    const char *since = http_arg(req, "since");
    const char *cursor = http_arg(req, "cursor");
    const char *role = http_arg(req, "role");

    *q = (struct store_doc_query){TIME_NONE, 0, -1, -1, DOCS_LIMIT_DEFAULT};
    if (since != NULL && time_parse_iso8601(since, &q->since) != ERR_OK) {
        http_error(res, 400, "since", "since must be an ISO 8601 time such "
                   "as 2026-12-01T00:00:00Z");
        return false;
    }
    if (cursor != NULL && !cursor_parse(cursor, &q->after_seq)) {
        http_error(res, 400, "cursor", "cursor must be a next_cursor this "
                   "endpoint returned");
        return false;
    }
    /* Continuing: tombstones belong to what changed after the cursor. */
    if (cursor != NULL && q->since == TIME_NONE)
        q->since = 0;
    if (role != NULL && strcmp(role, "own") != 0 &&
        strcmp(role, "tracked") != 0) {
        http_error(res, 400, "role", "role must be own or tracked");
        return false;
    }
    q->role = role == NULL ? -1 : strcmp(role, "tracked") == 0;
    return api_arg_int(req, res, "limit", 1, DOCS_LIMIT_MAX, &q->limit) &&
           api_arg_platform(req, res, &q->platform);
}

/* Documents are written with the typical curves of one data generation
 * (api_typical_get), read before the page. An import that commits while
 * the page is read would mix two: an item newer than the curves would get
 * no comparison (vs_typical null), and --since would never send it again.
 * So a page is read between two looks at the generation and read again
 * when they differ, at most DOCS_TRIES times (then served as read: a
 * client's next page carries the documents that changed). */
#define DOCS_TRIES 4

static bool docs_gen(struct http_request *req, int64_t *gen)
{
    return store_generation(req->st, gen) == ERR_OK;
}

/* One try at the page of q into res->body; *same: the generation did not
 * move while it was read. */
static enum err docs_page_try(struct http_request *req,
                              struct http_response *res,
                              const struct store_doc_query *q0, bool *same)
{
    struct store_doc_query q = *q0;
    struct documents *d = NULL;
    struct docs_page pg = {0};
    struct buf err, cur;
    void *lease = NULL;
    int64_t g0 = 0, g1 = -1;
    struct jw w;
    enum err rc;

    buf_init(&err, 1024);
    buf_init(&cur, 64);
    buf_reset(&res->body);
    pg = (struct docs_page){&w, q.limit, 0, q.after_seq, false};
    q.limit += 1; /* one more tells whether there are more */
    jw_init(&w, &res->body);
    jw_object_begin(&w);
    jw_key(&w, "documents");
    jw_array_begin(&w);
    rc = docs_gen(req, &g0) ? ERR_OK : ERR_DB;
    if (rc == ERR_OK)
        rc = documents_open(req->st, api_typical_get(req->st, &lease), &d,
                            &err);
    if (rc == ERR_OK)
        rc = documents_each(d, &q, on_doc, &pg, &err);
    if (rc == ERR_EXISTS && pg.more)
        rc = ERR_OK;
    if (rc == ERR_OK && !docs_gen(req, &g1))
        rc = ERR_DB;
    if (rc == ERR_OK) {
        jw_array_end(&w);
        buf_setf(&cur, CURSOR_PREFIX "%lld", (long long)pg.last_seq);
        jw_kv_str(&w, "next_cursor", buf_cstr(&cur));
        jw_kv_bool(&w, "more", pg.more);
        jw_object_end(&w);
        api_ok_json(res, &w);
        if (jw_status(&w) != ERR_OK)
            g1 = g0; /* too large: as large again on a retry */
    }
    *same = g0 == g1;
    documents_close(d);
    api_typical_release(lease);
    buf_free(&cur);
    buf_free(&err);
    return rc;
}

static void api_documents(struct http_request *req, struct http_response *res)
{
    struct store_doc_query q;
    bool same = false;
    enum err rc = ERR_OK;

    if (!docs_args(req, res, &q))
        return;
    for (int i = 0; i < DOCS_TRIES && rc == ERR_OK && !same; i++)
        rc = docs_page_try(req, res, &q, &same);
    if (rc != ERR_OK)
        http_error(res, 500, NULL, "database error");
}

#define DOC_ID_MAX 1024 /* bytes of an id: far over any the ids make */

/* The one document: copied as written, or a tombstone noted. */
struct docs_one {
    struct buf *out;
    bool gone;
};

/* Whether json (len bytes) holds the key "deleted" set to true: only a
 * tombstone does (in a string a quote is escaped, so text cannot). */
static bool is_tombstone(const char *json, size_t len)
{
    static const char key[] = "\"deleted\":true";
    size_t n = sizeof key - 1;

    for (size_t i = 0; i + n <= len; i++)
        if (memcmp(json + i, key, n) == 0)
            return true;
    return false;
}

static enum err on_one(void *ud, const struct store_doc_change *c,
                       const char *json, size_t len)
{
    struct docs_one *one = ud;

    (void)c;
    /* A day that holds nothing any more is written as a tombstone. */
    one->gone = is_tombstone(json, len);
    return one->gone ? ERR_OK : buf_append(one->out, json, len);
}

static void api_document_one(struct http_request *req,
                             struct http_response *res)
{
    const char *id = http_arg(req, "id");
    struct documents *d = NULL;
    struct docs_one one = {&res->body, false};
    struct buf err;
    void *lease = NULL;
    enum err rc;

    if (id == NULL || *id == '\0' || strlen(id) > DOC_ID_MAX) {
        http_error(res, 400, "id", "id must be a document id such as "
                   "mediadash://youtube/VIDEO_ID");
        return;
    }
    buf_init(&err, 1024);
    /* Read between two looks at the generation, as a page is (above). */
    for (int i = 0; i < DOCS_TRIES; i++) {
        int64_t g0 = 0, g1 = -1;
        buf_reset(&res->body);
        one.gone = false;
        rc = docs_gen(req, &g0) ? ERR_OK : ERR_DB;
        if (rc == ERR_OK)
            rc = documents_open(req->st, api_typical_get(req->st, &lease),
                                &d, &err);
        if (rc == ERR_OK)
            rc = documents_get(d, id, on_one, &one, &err);
        if (rc == ERR_OK && !docs_gen(req, &g1))
            rc = ERR_DB;
        documents_close(d);
        d = NULL;
        api_typical_release(lease);
        lease = NULL;
        if (rc != ERR_OK || g0 == g1)
            break;
    }
    if (rc == ERR_PARSE)
        http_error(res, 400, "id", "not a document id: expected "
                   "mediadash://PLATFORM/ID, .../account/ID or "
                   ".../account/ID/day/YYYY-MM-DD");
    else if (rc == ERR_NOTFOUND || (rc == ERR_OK && one.gone))
        http_error(res, 404, "id", "no such document");
    else if (rc != ERR_OK)
        http_error(res, 500, NULL, "database error");
    else
        res->content_type = "application/json";
    buf_free(&err);
}

const struct route http_document_routes[] = {
    {"GET", "/api/v1/documents", api_documents, 0},
    {"GET", "/api/v1/documents/one", api_document_one, 0},
    {NULL, NULL, NULL, 0},
};
