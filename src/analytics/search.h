/* Full-text search of content items (issue 18; docs/search.md): the one
 * entry point that `mediadash search`, GET /api/v1/search and the MCP
 * tool search_content all call. A request (the user's text and filters)
 * goes in, ranked rows come out.
 *
 * Query syntax, parsed here and never handed to the backend as is:
 *   words            all must match (AND), case and diacritics ignored
 *   "two words"      a phrase: these words, one after the other
 *   word*  "a b"*    prefix: the (last) word may go on (surf*: surfing)
 * Anything else (AND, OR, NOT, NEAR, column:, ^, stray quotes or
 * parentheses) is text to find. Terms with a Japanese, Chinese or Korean
 * character go to a trigram index (substrings) when every term has 3 or
 * more characters; else they match as word prefixes. */
#ifndef MEDIADASH_SEARCH_H
#define MEDIADASH_SEARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/err.h"
#include "store/store_search.h"

struct store;
struct jw;

#define SEARCH_QUERY_MAX 256 /* bytes of the user's text */
#define SEARCH_LIMIT_MAX 100 /* rows per page */
#define SEARCH_LIMIT_DEFAULT 20

/* What to look for. Strings borrowed. */
struct search_request {
    const char *q;        /* the user's text (syntax above) */
    const char *platform; /* a platform name, or NULL: all */
    const char *account;  /* an account's ext id or handle, or NULL */
    int64_t from, to;     /* published in [from, to); TIME_NONE: open */
    enum search_role role;
    enum search_sort sort;
    int64_t limit;        /* 1..SEARCH_LIMIT_MAX; 0: the default */
    int64_t offset;       /* 0.. */
};

/* The user's text split into terms (pointing into storage). */
struct search_parsed {
    char *storage; /* owned */
    struct search_term terms[SEARCH_TERMS_MAX];
    size_t n;
    enum search_index index;
};

/* Split text into terms. ERR_INVALID, with err saying why, for text that
 * is empty, longer than SEARCH_QUERY_MAX bytes, not UTF-8, without any
 * letter or digit, or of more than SEARCH_TERMS_MAX terms. On success
 * free out with search_parsed_free (also safe after a failure). */
enum err search_parse(const char *text, struct search_parsed *out,
                      struct buf *err) WARN_UNUSED;
void search_parsed_free(struct search_parsed *p);

/* One hit (store_search.h's search_hit), strings owned. */
struct search_row {
    int64_t id;
    char *platform, *ext_id, *kind, *account_ext_id, *account_handle;
    char *title, *url, *tags;
    char *title_marked, *snippet; /* SEARCH_MARK_OPEN/CLOSE around matches */
    int64_t published_at;
    bool tracked;
    double score;
    int64_t views, likes, comments; /* -1: unknown */
    double engagement;              /* < 0: unknown */
};

struct search_result {
    struct search_row *rows; /* owned, n of them, in the requested order */
    size_t n;
    int64_t total;           /* hits over all pages */
    enum search_index index; /* which index answered */
};
void search_result_free(struct search_result *r); /* NULL is a no-op */

/* Run req on st into *out (zeroed first; free it even on failure).
 * ERR_INVALID for a bad query or filter (err names it: "q: ...",
 * "limit: ..."); ERR_DB when the store fails. */
enum err search_run(struct store *st, const struct search_request *req,
                    struct search_result *out, struct buf *err) WARN_UNUSED;

/* "relevance", "views", "likes", "comments", "engagement", "published". */
const char *search_sort_name(enum search_sort s);
enum err search_sort_from_name(const char *s, enum search_sort *out)
    WARN_UNUSED;

/* Marked text (title_marked, snippet) as HTML: each piece escaped
 * (& < > " '), matches inside <mark>...</mark>. Appends to out. */
enum err search_marked_html(const char *marked, struct buf *out) WARN_UNUSED;

/* The result as one JSON object (docs/search.md): query, sort, index,
 * total, offset, limit, and items[] with the snippets as HTML and as
 * pieces ([{"text":..., "mark":true|false}]). */
void search_write_json(struct jw *w, const struct search_request *req,
                       const struct search_result *r);

#endif
