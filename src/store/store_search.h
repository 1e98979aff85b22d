/* Full-text search over content items (migration 0028; docs/search.md):
 * the store's half. The user's text is parsed elsewhere
 * (analytics/search.h) into terms; each backend's op turns them into its
 * own query language safely (SQLite: FTS5 with every term quoted; PostgreSQL,
 * pg_search.c: a tsquery the server builds from the terms as bound
 * parameters), so no operator, column filter or syntax of the backend can
 * come from a user. */
#ifndef MEDIADASH_STORE_SEARCH_H
#define MEDIADASH_STORE_SEARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/err.h"
#include "store/store.h"

#define SEARCH_TERMS_MAX 16 /* terms (words and phrases) in one query */

/* The marks around a match in search_hit's title_marked and snippet: two
 * control characters that text from platforms does not use (a stray one
 * in stored text can only misplace a mark, never inject markup: callers
 * escape each piece between marks). */
#define SEARCH_MARK_OPEN "\x02"
#define SEARCH_MARK_CLOSE "\x03"

/* One term: text is one word or, with phrase, words that must follow one
 * another; prefix: the last word may go on ("surf" finds "surfing").
 * text borrowed, non-empty, NUL-free UTF-8. */
struct search_term {
    const char *text;
    bool phrase;
    bool prefix;
};

enum search_sort {
    SEARCH_SORT_RELEVANCE, /* BM25, best first */
    SEARCH_SORT_VIEWS,     /* latest value of the metric, largest first */
    SEARCH_SORT_LIKES,
    SEARCH_SORT_COMMENTS,
    SEARCH_SORT_ENGAGEMENT, /* (likes+comments+shares+saves)/views */
    SEARCH_SORT_PUBLISHED,  /* newest first */
};

enum search_role { SEARCH_ROLE_ANY, SEARCH_ROLE_OWN, SEARCH_ROLE_TRACKED };

/* Which index answers: words (unicode61, diacritics folded) or trigrams
 * (substrings of 3+ characters; for text without spaces such as
 * Japanese). */
enum search_index { SEARCH_INDEX_WORDS, SEARCH_INDEX_TRIGRAM };

/* All terms must match (AND). Strings borrowed. */
struct search_filter {
    const struct search_term *terms;
    size_t nterms;           /* 1..SEARCH_TERMS_MAX */
    enum search_index index;
    const char *platform;    /* platform name, or NULL: all */
    const char *account;     /* the account's ext id or handle, or NULL */
    int64_t from, to;        /* published_at in [from, to); TIME_NONE: open */
    enum search_role role;
    enum search_sort sort;
    int64_t limit;           /* 1.. */
    int64_t offset;          /* 0.. */
};

/* One matching content item; all strings borrowed for the callback (may
 * be NULL except platform and ext_id). Metrics are their latest values,
 * -1 when never seen; engagement < 0 when views are not positive. */
struct search_hit {
    int64_t id; /* item row id */
    const char *platform, *ext_id, *kind;
    const char *account_ext_id, *account_handle;
    const char *title, *url, *tags;
    const char *title_marked; /* title with SEARCH_MARK_* around matches */
    const char *snippet;      /* up to 16 words of the description around
                                 the best match, marked the same way, "…"
                                 where cut */
    int64_t published_at;     /* TIME_NONE if unknown */
    bool tracked;
    double score;             /* BM25 (FTS5 sign: lower is better) */
    int64_t views, likes, comments;
    double engagement;
};

typedef enum err (*store_search_fn)(void *ud, const struct search_hit *h);

/* Call fn per hit of q, in q->sort order (ties: relevance, then id), for
 * the page [offset, offset + limit). *total (may be NULL) gets the number
 * of hits over all pages (0 when there are none). A non-OK return of fn
 * stops the walk and is returned. ERR_DB when the query fails (err says
 * why). */
enum err store_search(struct store *st, const struct search_filter *q,
                      store_search_fn fn, void *ud, int64_t *total,
                      struct buf *err) WARN_UNUSED;

#endif
