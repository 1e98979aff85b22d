/* Full-text search, SQLite backend (store_search.h; migration 0028).
 * The FTS5 expression is built here from already-split terms, each one
 * quoted as an FTS5 string with its quotes doubled: a term can only ever
 * be text to find, never an operator (AND, OR, NOT, NEAR), a column
 * filter (title:), an initial-token mark (^) or a syntax error. */
#include <sqlite3.h>
#include <string.h>

#include "core/timeutil.h"
#include "store/store_search.h"
#include "store/store_sqlite.h"

/* BM25 column weights: a match in the title counts 10 times one in the
 * description, one in the tags 5 times (docs/search.md).
 *
 * Three steps, so that the work per match stays small (a common word
 * matches most items): m, the matches and their scores, materialized
 * (FTS5's functions cannot run under the window that counts all hits);
 * p, the page: the filters (item and its account) and the sort key (one
 * metric lookup, only for a metric sort) per match, the count of all,
 * then the order and the page; last, the page's rows get their fields and
 * metrics. */
#define SQL_METRIC(name, alias)                                               \
    "(SELECT ival FROM item_latest WHERE item_id = " alias ".id AND "         \
    "metric_id = (SELECT id FROM metric WHERE name = '" name "'))"
#define SQL_ENGAGEMENT(alias)                                                 \
    "(SELECT (coalesce(sum(CASE WHEN mt.name <> 'views' THEN l.ival END), "   \
    "0)) * 1.0 / nullif(max(CASE WHEN mt.name = 'views' THEN l.ival END), "   \
    "0) FROM item_latest l JOIN metric mt ON mt.id = l.metric_id WHERE "      \
    "l.item_id = " alias ".id AND mt.name IN ('views', 'likes', "             \
    "'comments', 'shares', 'saves') HAVING max(CASE WHEN mt.name = 'views' "  \
    "THEN l.ival END) > 0)"
/* Both searches: the matches m of ?1 in index T with their BM25 score
 * (column weights title 10, tags 5, description 1), ... */
#define SQL_MATCHES(T)                                                        \
    "WITH m AS MATERIALIZED (SELECT rowid AS id, bm25(" T ", 10.0, 5.0, "     \
    "1.0) AS score FROM " T " WHERE " T " MATCH ?1), "
/* ... and, from the page p they pick (id, score, total), the rows that
 * store_search reads, the item joined with its account; the caller's
 * ORDER BY (the page's order) follows. */
#define SQL_PAGE_ROWS                                                         \
    "SELECT i.id, i.platform, i.ext_id, i.kind, a.ext_id, a.handle, "         \
    "i.title, i.url, i.tags, i.published_at, i.role, p.score, "               \
    SQL_METRIC("views", "i") ", " SQL_METRIC("likes", "i") ", "               \
    SQL_METRIC("comments", "i") ", " SQL_ENGAGEMENT("i") ", p.total "         \
    "FROM p JOIN item i ON i.id = p.id LEFT JOIN item a ON "                  \
    "a.id = i.account_id "
#define SQL_SEARCH(T)                                                         \
    SQL_MATCHES(T)                                                            \
    "p AS MATERIALIZED (SELECT i.id, m.score, count(*) OVER () AS total, "    \
    "CASE ?7 WHEN 1 THEN " SQL_METRIC("views", "i") " WHEN 2 THEN "           \
    SQL_METRIC("likes", "i") " WHEN 3 THEN " SQL_METRIC("comments", "i")      \
    " WHEN 4 THEN " SQL_ENGAGEMENT("i") " WHEN 5 THEN i.published_at END "    \
    "AS k FROM m JOIN item i ON i.id = m.id "                                 \
    "LEFT JOIN item a ON a.id = i.account_id "                                \
    "WHERE i.type = 'content' "                                               \
    "AND (?2 IS NULL OR i.platform = ?2) "                                    \
    "AND (?3 IS NULL OR a.ext_id = ?3 OR a.handle = ?3) "                     \
    "AND (?4 IS NULL OR i.published_at >= ?4) "                               \
    "AND (?5 IS NULL OR i.published_at < ?5) "                                \
    "AND (?6 IS NULL OR i.role = ?6) "                                        \
    "ORDER BY k DESC NULLS LAST, m.score, i.id LIMIT ?8 OFFSET ?9) "          \
    SQL_PAGE_ROWS                                                             \
    "ORDER BY p.k DESC NULLS LAST, p.score, p.id"

/* One hit's title with its matches marked, and the description's best
 * fragment of up to 16 words, marked the same way. */
#define SQL_MARKS(T)                                                          \
    "SELECT highlight(" T ", 0, ?3, ?4), snippet(" T ", 2, ?3, ?4, '…', "     \
    "16) FROM " T " WHERE " T " MATCH ?1 AND rowid = ?2"

/* The common case, no filter and by relevance: the page straight from
 * the matches, without a lookup per match. The filter parameters are
 * still named (as constants) so that the same bindings apply. */
#define SQL_SEARCH_PLAIN(T)                                                   \
    SQL_MATCHES(T)                                                            \
    "p AS MATERIALIZED (SELECT m.id, m.score, count(*) OVER () AS total, "    \
    "NULL AS k FROM m WHERE coalesce(?2, ?3, ?4, ?5, ?6) IS NULL AND ?7 = 0 " \
    "ORDER BY m.score, m.id LIMIT ?8 OFFSET ?9) "                             \
    SQL_PAGE_ROWS                                                             \
    "ORDER BY p.score, p.id"

/* [index][plain] */
static const char *const sql_search[][2] = {
    [SEARCH_INDEX_WORDS] = {SQL_SEARCH("item_fts"),
                            SQL_SEARCH_PLAIN("item_fts")},
    [SEARCH_INDEX_TRIGRAM] = {SQL_SEARCH("item_fts_tri"),
                              SQL_SEARCH_PLAIN("item_fts_tri")},
};
static const char *const sql_marks[] = {
    [SEARCH_INDEX_WORDS] = SQL_MARKS("item_fts"),
    [SEARCH_INDEX_TRIGRAM] = SQL_MARKS("item_fts_tri"),
};

/* The FTS5 expression of q's terms into out: "a" "b c"* ... (implicit
 * AND). The trigram index matches substrings already: no prefix mark. */
static enum err fts_expr(const struct search_filter *q, struct buf *out)
{
    enum err rc = ERR_OK;

    for (size_t i = 0; i < q->nterms && rc == ERR_OK; i++) {
        const char *t = q->terms[i].text;
        rc = buf_puts(out, i ? " \"" : "\"");
        for (; *t != '\0' && rc == ERR_OK; t++)
            rc = *t == '"' ? buf_puts(out, "\"\"") : buf_putc(out, *t);
        if (rc == ERR_OK)
            rc = buf_putc(out, '"');
        if (rc == ERR_OK && q->terms[i].prefix &&
            q->index == SEARCH_INDEX_WORDS)
            rc = buf_putc(out, '*');
    }
    return rc;
}

/* The index upkeep (migration 0028): an item's rows replaced by what
 * item holds now (none for an account or an item gone). */
static const char *const sql_upkeep[] = {
    "DELETE FROM item_fts WHERE rowid = ?1",
    "DELETE FROM item_fts_tri WHERE rowid = ?1",
    "INSERT INTO item_fts(rowid, title, tags, description) SELECT id, "
    "title, tags, description FROM item WHERE id = ?1 AND type = 'content'",
    "INSERT INTO item_fts_tri(rowid, title, tags, description) SELECT id, "
    "title, tags, description FROM item WHERE id = ?1 AND type = 'content'",
};
static const enum query_id q_upkeep[] = {Q_FTS_DELETE, Q_FTS_TRI_DELETE,
                                         Q_FTS_INSERT, Q_FTS_TRI_INSERT};

static enum err reindex(struct sqlite_store *s, int64_t item_id, bool is_new,
                        struct buf *err)
{
    sqlite3_stmt *st;
    int r;

    for (size_t i = is_new ? 2 : 0; i < 4; i++) {
        r = sqlite_query(s, q_upkeep[i], sql_upkeep[i], &st);
        if (r == SQLITE_OK)
            r = sqlite3_bind_int64(st, 1, item_id);
        if (r == SQLITE_OK)
            r = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
        if (r != SQLITE_OK) {
            enum err rc = sqlite_fail(s, err, "updating the search index");
            if (st != NULL)
                sqlite3_reset(st);
            return rc;
        }
        sqlite3_reset(st);
    }
    return ERR_OK;
}

/* item.tags = tags when they differ; *changed set when they did. */
static enum err set_tags(struct sqlite_store *s, int64_t item_id,
                         const char *tags, bool *changed, struct buf *err)
{
    sqlite3_stmt *st;
    int r = sqlite_query(s, Q_ITEM_TAGS,
                         "UPDATE item SET tags = ?2 WHERE id = ?1 AND "
                         "tags IS NOT ?2",
                         &st);

    if (r == SQLITE_OK)
        r = sqlite3_bind_int64(st, 1, item_id);
    if (r == SQLITE_OK)
        r = sqlite3_bind_text(st, 2, tags, -1, SQLITE_STATIC);
    if (r == SQLITE_OK)
        r = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
    if (r != SQLITE_OK) {
        enum err rc = sqlite_fail(s, err, "storing an item's tags");
        if (st != NULL)
            sqlite3_reset(st);
        return rc;
    }
    if (sqlite3_changes(s->db) > 0)
        *changed = true;
    sqlite3_reset(st);
    return ERR_OK;
}

enum err sqlite_search_upkeep(struct sqlite_store *s, int64_t item_id,
                              const char *tags, bool is_new, bool changed,
                              struct buf *err)
{
    enum err rc = ERR_OK;

    if (tags != NULL)
        rc = set_tags(s, item_id, tags, &changed, err);
    if (rc == ERR_OK && (is_new || changed))
        rc = reindex(s, item_id, is_new, err);
    return rc;
}

static int bind_time(sqlite3_stmt *st, int i, int64_t t)
{
    return t == TIME_NONE ? sqlite3_bind_null(st, i)
                          : sqlite3_bind_int64(st, i, t);
}

static int bind_filter(sqlite3_stmt *st, const struct search_filter *q,
                       const struct buf *expr)
{
    static const char *const roles[] = {NULL, "own", "tracked"};
    int r = sqlite3_bind_text(st, 1, expr->data, (int)expr->len,
                              SQLITE_STATIC);

    if (r == SQLITE_OK)
        r = sqlite_bind_text_or_null(st, 2, q->platform);
    if (r == SQLITE_OK)
        r = sqlite_bind_text_or_null(st, 3, q->account);
    if (r == SQLITE_OK)
        r = bind_time(st, 4, q->from);
    if (r == SQLITE_OK)
        r = bind_time(st, 5, q->to);
    if (r == SQLITE_OK)
        r = sqlite_bind_text_or_null(st, 6, roles[q->role]);
    if (r == SQLITE_OK)
        r = sqlite3_bind_int(st, 7, (int)q->sort);
    if (r == SQLITE_OK)
        r = sqlite3_bind_int64(st, 8, q->limit);
    if (r == SQLITE_OK)
        r = sqlite3_bind_int64(st, 9, q->offset);
    return r;
}

/* The marked title and snippet of hit h into it (borrowed from mk until
 * its next reset). */
static int read_marks(sqlite3_stmt *mk, const struct buf *expr,
                      struct search_hit *h)
{
    int r;

    sqlite3_reset(mk);
    r = sqlite3_bind_text(mk, 1, expr->data, (int)expr->len, SQLITE_STATIC);
    if (r == SQLITE_OK)
        r = sqlite3_bind_int64(mk, 2, h->id);
    if (r == SQLITE_OK)
        r = sqlite3_bind_text(mk, 3, SEARCH_MARK_OPEN, -1, SQLITE_STATIC);
    if (r == SQLITE_OK)
        r = sqlite3_bind_text(mk, 4, SEARCH_MARK_CLOSE, -1, SQLITE_STATIC);
    if (r != SQLITE_OK)
        return r;
    r = sqlite3_step(mk);
    if (r == SQLITE_ROW) {
        h->title_marked = (const char *)sqlite3_column_text(mk, 0);
        h->snippet = (const char *)sqlite3_column_text(mk, 1);
        return SQLITE_OK;
    }
    return r == SQLITE_DONE ? SQLITE_OK : r;
}

static const char *col_text(sqlite3_stmt *st, int i)
{
    return (const char *)sqlite3_column_text(st, i);
}

static int64_t col_i64_or(sqlite3_stmt *st, int i, int64_t none)
{
    return sqlite3_column_type(st, i) == SQLITE_NULL
               ? none
               : sqlite3_column_int64(st, i);
}

/* The row st is on, as a hit (strings borrowed from st). */
static void read_hit(sqlite3_stmt *st, struct search_hit *h)
{
    const char *role = col_text(st, 10);

    memset(h, 0, sizeof(*h));
    h->id = sqlite3_column_int64(st, 0);
    h->platform = col_text(st, 1);
    h->ext_id = col_text(st, 2);
    h->kind = col_text(st, 3);
    h->account_ext_id = col_text(st, 4);
    h->account_handle = col_text(st, 5);
    h->title = col_text(st, 6);
    h->url = col_text(st, 7);
    h->tags = col_text(st, 8);
    h->published_at = col_i64_or(st, 9, TIME_NONE);
    h->tracked = role != NULL && strcmp(role, "tracked") == 0;
    h->score = sqlite3_column_double(st, 11);
    h->views = col_i64_or(st, 12, -1);
    h->likes = col_i64_or(st, 13, -1);
    h->comments = col_i64_or(st, 14, -1);
    h->engagement = sqlite3_column_type(st, 15) == SQLITE_NULL
                        ? -1.0
                        : sqlite3_column_double(st, 15);
}

enum err sq_search(struct store *st, const struct search_filter *q,
                   store_search_fn fn, void *ud, int64_t *total,
                   struct buf *err)
{
    struct sqlite_store *s = sqlite_store_of(st);
    sqlite3_stmt *stmt = NULL, *mk = NULL;
    struct buf expr;
    struct search_hit h;
    enum err rc;
    int step;
    bool plain;

    buf_init(&expr, 4096);
    if (total != NULL)
        *total = 0;
    rc = fts_expr(q, &expr);
    if (rc != ERR_OK)
        goto out;
    plain = q->platform == NULL && q->account == NULL &&
            q->from == TIME_NONE && q->to == TIME_NONE &&
            q->role == SEARCH_ROLE_ANY && q->sort == SEARCH_SORT_RELEVANCE;
    if (sqlite3_prepare_v2(s->db, sql_search[q->index][plain], -1, &stmt,
                           NULL) !=
            SQLITE_OK ||
        sqlite3_prepare_v2(s->db, sql_marks[q->index], -1, &mk, NULL) !=
            SQLITE_OK ||
        bind_filter(stmt, q, &expr) != SQLITE_OK)
        goto fail;
    for (;;) {
        step = sqlite3_step(stmt);
        if (step != SQLITE_ROW)
            break;
        if (total != NULL)
            *total = sqlite3_column_int64(stmt, 16);
        read_hit(stmt, &h);
        if (read_marks(mk, &expr, &h) != SQLITE_OK)
            goto fail;
        rc = fn(ud, &h);
        if (rc != ERR_OK)
            goto out;
    }
    if (step == SQLITE_DONE)
        goto out;
fail:
    rc = sqlite_fail(s, err, "searching");
out:
    sqlite3_finalize(mk);
    sqlite3_finalize(stmt);
    buf_free(&expr);
    return rc;
}
