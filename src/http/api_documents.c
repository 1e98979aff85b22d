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

/* What a read of documents writes into res->body; start resets it
 * before each try. */
struct docs_read {
    void (*start)(struct docs_read *r);
    enum err (*read)(struct docs_read *r, struct documents *d,
                     struct buf *err);
};

/* Runs r on documents opened with the typical curves of the data
 * generation seen before it, again when the generation moved while it
 * ran (at most DOCS_TRIES times). */
static enum err docs_at_one_gen(struct http_request *req, struct docs_read *r,
                                struct buf *err)
{
    enum err rc = ERR_OK;

    for (int i = 0; i < DOCS_TRIES; i++) {
        struct documents *d = NULL;
        void *lease = NULL;
        int64_t g0 = 0, g1 = -1;

        r->start(r);
        if (store_generation(req->st, &g0) != ERR_OK)
            return ERR_DB;
        rc = documents_open(req->st, api_typical_get(req->st, &lease), &d,
                            err);
        if (rc == ERR_OK)
            rc = r->read(r, d, err);
        if (rc == ERR_OK && store_generation(req->st, &g1) != ERR_OK)
            rc = ERR_DB;
        documents_close(d);
        api_typical_release(lease);
        if (rc != ERR_OK || g0 == g1)
            break;
    }
    return rc;
}

/* A page of the listing: the head written by start, the documents by
 * read, the tail by the caller. */
struct docs_listing {
    struct docs_read r; /* first */
    struct http_response *res;
    struct store_doc_query q;
    struct docs_page pg;
    struct jw w;
};

static void listing_start(struct docs_read *r)
{
    struct docs_listing *l = (struct docs_listing *)r;

    buf_reset(&l->res->body);
    l->pg = (struct docs_page){&l->w, l->q.limit - 1, 0, l->q.after_seq,
                               false};
    jw_init(&l->w, &l->res->body);
    jw_object_begin(&l->w);
    jw_key(&l->w, "documents");
    jw_array_begin(&l->w);
}

static enum err listing_read(struct docs_read *r, struct documents *d,
                             struct buf *err)
{
    struct docs_listing *l = (struct docs_listing *)r;
    enum err rc = documents_each(d, &l->q, on_doc, &l->pg, err);

    return rc == ERR_EXISTS && l->pg.more ? ERR_OK : rc;
}

static void api_documents(struct http_request *req, struct http_response *res)
{
    struct docs_listing l = {.r = {listing_start, listing_read}, .res = res};
    struct buf err, cur;

    if (!docs_args(req, res, &l.q))
        return;
    l.q.limit += 1; /* one more tells whether there are more */
    buf_init(&err, 1024);
    buf_init(&cur, 64);
    if (docs_at_one_gen(req, &l.r, &err) != ERR_OK) {
        http_error(res, 500, NULL, "database error");
    } else {
        jw_array_end(&l.w);
        buf_setf(&cur, CURSOR_PREFIX "%lld", (long long)l.pg.last_seq);
        jw_kv_str(&l.w, "next_cursor", buf_cstr(&cur));
        jw_kv_bool(&l.w, "more", l.pg.more);
        jw_object_end(&l.w);
        api_ok_json(res, &l.w);
    }
    buf_free(&cur);
    buf_free(&err);
}

#define DOC_ID_MAX 1024 /* bytes of an id: far over any the ids make */

/* The one document: copied as written, or a tombstone noted. */
struct docs_one {
    struct docs_read r; /* first */
    const char *id;
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

static void one_start(struct docs_read *r)
{
    struct docs_one *one = (struct docs_one *)r;

    buf_reset(one->out);
    one->gone = false;
}

static enum err one_read(struct docs_read *r, struct documents *d,
                         struct buf *err)
{
    struct docs_one *one = (struct docs_one *)r;

    return documents_get(d, one->id, on_one, one, err);
}

static void api_document_one(struct http_request *req,
                             struct http_response *res)
{
    const char *id = http_arg(req, "id");
    struct docs_one one = {{one_start, one_read}, id, &res->body, false};
    struct buf err;
    enum err rc;

    if (id == NULL || *id == '\0' || strlen(id) > DOC_ID_MAX) {
        http_error(res, 400, "id", "id must be a document id such as "
                   "mediadash://youtube/VIDEO_ID");
        return;
    }
    buf_init(&err, 1024);
    rc = docs_at_one_gen(req, &one.r, &err);
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
    {"GET", "/api/v1/documents", api_documents, ROUTE_READ},
    {"GET", "/api/v1/documents/one", api_document_one, ROUTE_READ},
    {NULL, NULL, NULL, 0},
};
