/* Full-text search: the user's text into safe terms, and the run that
 * the CLI, the API and MCP share (search.h). */
#include <stdlib.h>
#include <string.h>

#include "analytics/search.h"
#include "core/alloc.h"
#include "core/timeutil.h"
#include "store/store.h"

static const char *const sort_names[] = {
    [SEARCH_SORT_RELEVANCE] = "relevance", [SEARCH_SORT_VIEWS] = "views",
    [SEARCH_SORT_LIKES] = "likes",         [SEARCH_SORT_COMMENTS] = "comments",
    [SEARCH_SORT_ENGAGEMENT] = "engagement",
    [SEARCH_SORT_PUBLISHED] = "published",
};
#define NSORTS (sizeof(sort_names) / sizeof(sort_names[0]))

const char *search_sort_name(enum search_sort s)
{
    return (size_t)s < NSORTS ? sort_names[s] : "relevance";
}

enum err search_sort_from_name(const char *s, enum search_sort *out)
{
    for (size_t i = 0; s != NULL && i < NSORTS; i++)
        if (strcmp(s, sort_names[i]) == 0) {
            *out = (enum search_sort)i;
            return ERR_OK;
        }
    return ERR_INVALID;
}

/* The code point at *p (valid UTF-8 checked by utf8_ok), advancing *p. */
static unsigned next_cp(const unsigned char **p)
{
    const unsigned char *s = *p;
    unsigned c = s[0];
    int n = c < 0x80 ? 0 : c < 0xE0 ? 1 : c < 0xF0 ? 2 : 3;

    if (n > 0)
        c &= 0x3F >> n;
    for (int i = 1; i <= n; i++)
        c = (c << 6) | (s[i] & 0x3F);
    *p = s + n + 1;
    return c;
}

/* Strict UTF-8: no overlong forms, surrogates or code points > U+10FFFF. */
static bool utf8_ok(const unsigned char *s)
{
    while (*s != '\0') {
        unsigned c = *s, min, cp;
        int n = c < 0x80 ? 0 : (c & 0xE0) == 0xC0 ? 1 : (c & 0xF0) == 0xE0 ? 2
                : (c & 0xF8) == 0xF0 ? 3 : -1;
        if (n < 0)
            return false;
        for (int i = 1; i <= n; i++)
            if ((s[i] & 0xC0) != 0x80)
                return false;
        min = n == 1 ? 0x80 : n == 2 ? 0x800 : n == 3 ? 0x10000 : 0;
        cp = next_cp(&s);
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
    }
    return true;
}

/* Scripts written without spaces between words. */
static bool cp_cjk(unsigned c)
{
    return (c >= 0x3040 && c <= 0x30FF) || (c >= 0x3400 && c <= 0x4DBF) ||
           (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0xF900 && c <= 0xFAFF) ||
           (c >= 0xAC00 && c <= 0xD7AF) || (c >= 0xFF66 && c <= 0xFF9F) ||
           (c >= 0x20000 && c <= 0x2FFFF);
}

/* What a term holds: a letter or digit (ASCII alnum or any non-ASCII
 * character: the tokenizer decides), a CJK character, its length in
 * code points. */
struct term_kind {
    bool word, cjk;
    size_t chars;
};

static struct term_kind term_kind(const char *t)
{
    struct term_kind k = {false, false, 0};
    const unsigned char *p = (const unsigned char *)t;

    while (*p != '\0') {
        unsigned c = next_cp(&p);
        k.chars++;
        if (c >= 0x80 || (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' &&
                                                     (c | 0x20) <= 'z'))
            k.word = true;
        if (cp_cjk(c))
            k.cjk = true;
    }
    return k;
}

static bool is_space(char c)
{
    return (unsigned char)c <= ' ' || c == 0x7F;
}

/* The next term at *pp (NUL-terminated in place), or NULL at the end.
 * A phrase starts at a quote that starts a term and ends at the next
 * quote (or the end); a bare word ends at white space, quotes inside it
 * being text. Trailing stars mark a prefix. */
static char *next_term(char **pp, bool *phrase, bool *prefix)
{
    char *p = *pp, *t, *e;

    while (*p != '\0' && is_space(*p))
        p++;
    if (*p == '\0')
        return NULL;
    *phrase = *p == '"';
    if (*phrase) {
        t = p + 1;
        e = strchr(t, '"'); /* an unclosed phrase runs to the end */
        if (e == NULL)
            e = t + strlen(t);
        p = *e != '\0' ? e + 1 : e;
        *prefix = *p == '*';
        while (*p == '*')
            p++;
    } else {
        t = p;
        while (*p != '\0' && !is_space(*p))
            p++;
        e = p;
        while (e > t && e[-1] == '*')
            e--;
        *prefix = e < p;
        if (*p != '\0')
            p++;
    }
    *e = '\0';
    *pp = p;
    return t;
}

void search_parsed_free(struct search_parsed *p)
{
    if (p != NULL)
        FREE_AND_NULL(p->storage);
}

/* Which index serves the terms; CJK terms too short for trigrams match
 * as word prefixes (unicode61 sees a run of CJK text as one word). */
static void choose_index(struct search_parsed *out)
{
    bool cjk = false, short_term = false;

    for (size_t i = 0; i < out->n; i++) {
        struct term_kind k = term_kind(out->terms[i].text);
        cjk = cjk || k.cjk;
        short_term = short_term || k.chars < 3;
    }
    out->index = cjk && !short_term ? SEARCH_INDEX_TRIGRAM
                                    : SEARCH_INDEX_WORDS;
    for (size_t i = 0; i < out->n && out->index == SEARCH_INDEX_WORDS; i++)
        if (term_kind(out->terms[i].text).cjk)
            out->terms[i].prefix = true;
}

enum err search_parse(const char *text, struct search_parsed *out,
                      struct buf *err)
{
    size_t len = text != NULL ? strlen(text) : 0;
    char *p, *t;
    bool phrase, prefix;

    memset(out, 0, sizeof(*out));
    if (len > SEARCH_QUERY_MAX) {
        buf_setf(err, "q: the query is %zu bytes; at most %d", len,
                 SEARCH_QUERY_MAX);
        return ERR_INVALID;
    }
    if (len > 0 && !utf8_ok((const unsigned char *)text)) {
        buf_setf(err, "q: the query is not valid UTF-8");
        return ERR_INVALID;
    }
    out->storage = xstrdup(len > 0 ? text : "");
    p = out->storage;
    for (t = next_term(&p, &phrase, &prefix); t != NULL;
         t = next_term(&p, &phrase, &prefix)) {
        if (!term_kind(t).word)
            continue; /* only punctuation: nothing a tokenizer keeps */
        if (out->n == SEARCH_TERMS_MAX) {
            buf_setf(err, "q: more than %d terms", SEARCH_TERMS_MAX);
            return ERR_INVALID;
        }
        out->terms[out->n++] = (struct search_term){t, phrase, prefix};
    }
    if (out->n == 0) {
        buf_setf(err, "q: %s", len > 0 ? "the query has no letter or digit"
                                        : "the query is empty");
        return ERR_INVALID;
    }
    choose_index(out);
    return ERR_OK;
}

static void row_free(struct search_row *r)
{
    free(r->platform);
    free(r->ext_id);
    free(r->kind);
    free(r->account_ext_id);
    free(r->account_handle);
    free(r->title);
    free(r->url);
    free(r->tags);
    free(r->title_marked);
    free(r->snippet);
}

void search_result_free(struct search_result *r)
{
    if (r == NULL)
        return;
    for (size_t i = 0; i < r->n; i++)
        row_free(&r->rows[i]);
    FREE_AND_NULL(r->rows);
    r->n = 0;
}

/* store_search_fn: keep a copy of the hit (the page is at most
 * SEARCH_LIMIT_MAX rows, allocated up front). */
static enum err keep_hit(void *ud, const struct search_hit *h)
{
    struct search_result *r = ud;
    struct search_row *row;

    if (r->n >= SEARCH_LIMIT_MAX)
        return ERR_OK;
    row = &r->rows[r->n++];
    *row = (struct search_row){
        .id = h->id, .published_at = h->published_at, .tracked = h->tracked,
        .score = h->score, .views = h->views, .likes = h->likes,
        .comments = h->comments, .engagement = h->engagement};
    row->platform = xstrdup(h->platform);
    row->ext_id = xstrdup(h->ext_id);
    row->kind = xstrdup(h->kind);
    row->account_ext_id = xstrdup(h->account_ext_id);
    row->account_handle = xstrdup(h->account_handle);
    row->title = xstrdup(h->title);
    row->url = xstrdup(h->url);
    row->tags = xstrdup(h->tags);
    row->title_marked = xstrdup(h->title_marked);
    row->snippet = xstrdup(h->snippet);
    return ERR_OK;
}

/* The filters of req that the parser does not see. */
static enum err check_request(const struct search_request *req,
                              struct buf *err)
{
    if (req->limit < 0 || req->limit > SEARCH_LIMIT_MAX) {
        buf_setf(err, "limit: %lld is not in 1..%d", (long long)req->limit,
                 SEARCH_LIMIT_MAX);
        return ERR_INVALID;
    }
    if (req->offset < 0 || req->offset > INT32_MAX) {
        buf_setf(err, "offset: %lld is not in 0..%d", (long long)req->offset,
                 INT32_MAX);
        return ERR_INVALID;
    }
    if ((size_t)req->sort >= NSORTS || req->role > SEARCH_ROLE_TRACKED) {
        buf_setf(err, "sort: unknown");
        return ERR_INVALID;
    }
    if (req->from != TIME_NONE && req->to != TIME_NONE &&
        req->from >= req->to) {
        buf_setf(err, "from: must be before to");
        return ERR_INVALID;
    }
    return ERR_OK;
}

enum err search_run(struct store *st, const struct search_request *req,
                    struct search_result *out, struct buf *err)
{
    struct search_parsed parsed;
    struct search_filter f;
    enum err rc;

    memset(out, 0, sizeof(*out));
    rc = search_parse(req->q, &parsed, err);
    if (rc == ERR_OK)
        rc = check_request(req, err);
    if (rc != ERR_OK)
        goto out;
    f = (struct search_filter){
        .terms = parsed.terms, .nterms = parsed.n, .index = parsed.index,
        .platform = req->platform, .account = req->account,
        .from = req->from, .to = req->to, .role = req->role,
        .sort = req->sort,
        .limit = req->limit > 0 ? req->limit : SEARCH_LIMIT_DEFAULT,
        .offset = req->offset};
    out->index = parsed.index;
    out->rows = xcalloc((size_t)f.limit, sizeof(*out->rows));
    rc = store_search(st, &f, keep_hit, out, &out->total, err);
out:
    search_parsed_free(&parsed);
    return rc;
}
