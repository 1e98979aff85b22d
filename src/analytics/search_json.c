/* Search results as JSON and marked text as HTML (search.h). */
#include <string.h>

#include "analytics/search.h"
#include "core/jsonw.h"

static enum err html_piece(struct buf *out, const char *s, size_t n)
{
    enum err rc = ERR_OK;

    for (size_t i = 0; i < n && rc == ERR_OK; i++) {
        switch (s[i]) {
        case '&': rc = buf_puts(out, "&amp;"); break;
        case '<': rc = buf_puts(out, "&lt;"); break;
        case '>': rc = buf_puts(out, "&gt;"); break;
        case '"': rc = buf_puts(out, "&quot;"); break;
        case '\'': rc = buf_puts(out, "&#39;"); break;
        default: rc = buf_putc(out, s[i]);
        }
    }
    return rc;
}

/* Call fn per piece of marked: the text between marks and whether it is
 * a match. Marks that do not pair (a stray one in stored text) only
 * switch the state; they never reach the output. */
typedef enum err (*piece_fn)(void *ud, const char *s, size_t n, bool mark);

static enum err pieces(const char *marked, piece_fn fn, void *ud)
{
    bool mark = false;
    enum err rc = ERR_OK;
    const char *p = marked != NULL ? marked : "";

    while (*p != '\0' && rc == ERR_OK) {
        size_t n = strcspn(p, SEARCH_MARK_OPEN SEARCH_MARK_CLOSE);
        if (n > 0)
            rc = fn(ud, p, n, mark);
        p += n;
        if (*p != '\0') {
            mark = *p == SEARCH_MARK_OPEN[0];
            p++;
        }
    }
    return rc;
}

static enum err html_fn(void *ud, const char *s, size_t n, bool mark)
{
    struct buf *out = ud;
    enum err rc = mark ? buf_puts(out, "<mark>") : ERR_OK;

    if (rc == ERR_OK)
        rc = html_piece(out, s, n);
    if (rc == ERR_OK && mark)
        rc = buf_puts(out, "</mark>");
    return rc;
}

enum err search_marked_html(const char *marked, struct buf *out)
{
    return pieces(marked, html_fn, out);
}

static enum err json_piece_fn(void *ud, const char *s, size_t n, bool mark)
{
    struct jw *w = ud;
    struct buf t;
    enum err rc;

    buf_init(&t, n + 1);
    rc = buf_append(&t, s, n);
    if (rc == ERR_OK) {
        jw_object_begin(w);
        jw_kv_str(w, "text", t.data);
        jw_kv_bool(w, "mark", mark);
        jw_object_end(w);
    }
    buf_free(&t);
    return rc;
}

/* key: the marked text as HTML; key_parts: as pieces. */
static void write_marked(struct jw *w, const char *key, const char *marked)
{
    struct buf html, k;

    buf_init(&html, 1 << 20);
    buf_init(&k, 64);
    if (search_marked_html(marked, &html) == ERR_OK)
        jw_kv_str(w, key, marked != NULL ? html.data : NULL);
    else
        jw_kv_str(w, key, NULL);
    if (buf_printf(&k, "%s_parts", key) == ERR_OK) {
        jw_key(w, k.data);
        jw_array_begin(w);
        (void)pieces(marked, json_piece_fn, w);
        jw_array_end(w);
    }
    buf_free(&k);
    buf_free(&html);
}

static void write_opt_i64(struct jw *w, const char *key, int64_t v)
{
    if (v >= 0)
        jw_kv_i64(w, key, v);
    else {
        jw_key(w, key);
        jw_null(w);
    }
}

static void write_row(struct jw *w, const struct search_row *r)
{
    jw_object_begin(w);
    /* Named as GET /api/v1/content names them: id is the platform's id
     * (the row id is the store's business, no client needs it). */
    jw_kv_str(w, "platform", r->platform);
    jw_kv_str(w, "id", r->ext_id);
    jw_kv_str(w, "kind", r->kind);
    jw_kv_str(w, "account_id", r->account_ext_id);
    jw_kv_str(w, "account_handle", r->account_handle);
    jw_kv_str(w, "role", r->tracked ? "tracked" : "own");
    jw_kv_str(w, "title", r->title);
    jw_kv_str(w, "url", r->url);
    jw_kv_str(w, "tags", r->tags);
    jw_kv_time(w, "published_at", r->published_at);
    jw_kv_real(w, "score", -r->score);
    write_marked(w, "title_html", r->title_marked);
    write_marked(w, "snippet_html", r->snippet);
    write_opt_i64(w, "views", r->views);
    write_opt_i64(w, "likes", r->likes);
    write_opt_i64(w, "comments", r->comments);
    if (r->engagement >= 0)
        jw_kv_real(w, "engagement", r->engagement);
    else
        write_opt_i64(w, "engagement", -1);
    jw_object_end(w);
}

void search_write_json(struct jw *w, const struct search_request *req,
                       const struct search_result *r)
{
    jw_object_begin(w);
    jw_kv_str(w, "query", req->q);
    jw_kv_str(w, "sort", search_sort_name(req->sort));
    jw_kv_str(w, "index",
              r->index == SEARCH_INDEX_TRIGRAM ? "trigram" : "words");
    jw_kv_i64(w, "total", r->total);
    jw_kv_i64(w, "offset", req->offset);
    jw_kv_i64(w, "limit", req->limit > 0 ? req->limit : SEARCH_LIMIT_DEFAULT);
    jw_key(w, "items");
    jw_array_begin(w);
    for (size_t i = 0; i < r->n; i++)
        write_row(w, &r->rows[i]);
    jw_array_end(w);
    jw_object_end(w);
}
