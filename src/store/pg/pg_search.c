/* Full-text search, PostgreSQL backend (store_search.h; PostgreSQL
 * migration 0005; docs/postgresql.md "Search on PostgreSQL").
 *
 * The terms come already split (analytics/search.c, the same parse as on
 * SQLite); they travel to the server as two bound parameters (the terms
 * joined by U+0001, and a '0'/'1' prefix flag per term), and the server
 * builds the tsquery from their words (mediadash_search_query): no user
 * text is ever part of an SQL statement or of a tsquery's syntax.
 *
 * Words: item_search.tsv @@ the query, ranked by ts_rank_cd with the
 * weights title 1.0, tags 0.5, description 0.1 (score = -rank: lower is
 * better, the sign of SQLite's BM25). Trigrams: every term a substring of
 * the lower-cased title, tags or description (LIKE, its % and _
 * escaped), scored -(10 per term in the title + 5 in the tags + 1 in the
 * description). Marks (SEARCH_MARK_*, written by the migration's
 * mediadash_search_mark): the words of the query; the snippet is
 * ts_headline's best fragment of the description.
 *
 * Speed (issue 18): the matches are ranked once (m), those of another
 * platform left out there (the search row holds the platform, migration
 * 0010); a search without another filter reads no item row for them
 * (item_search holds content items only, and its key is an item's id),
 * one with another filter each match's row once. A sort by engagement
 * reads the match's item_search_key row (kept at ingest), not its latest
 * values. Only the page's rows (p) get their columns, marks and
 * snippet. */
#include <string.h>

#include "core/str.h"
#include "core/timeutil.h"
#include "store/pg/pg_ops.h"
#include "store/pg/pg_rollup.h"
#include "store/store_search.h"

/* ---- upkeep at ingest ------------------------------------------------- */

/* The batch's content items, one statement per table for the whole
 * batch (issue 17): $1 platforms, $2 ext ids, $3 tags (NULL: the item
 * carries none, its stored tags stay), one element per item in batch
 * order. An item the batch holds several times keeps its last tags (as
 * one UPDATE per item in order did). Returns the ids whose tags changed. */
PG_STMT(pg_srch_tags, 3,
        "UPDATE item SET tags = u.t FROM (SELECT DISTINCT ON (u.p, u.e) "
        "u.p, u.e, u.t FROM unnest($1::text[], $2::text[], $3::text[]) "
        "WITH ORDINALITY AS u(p, e, t, n) WHERE u.t IS NOT NULL "
        "ORDER BY u.p, u.e, u.n DESC) u WHERE item.platform = u.p AND "
        "item.type = 'content' AND item.ext_id = u.e AND "
        "item.tags IS DISTINCT FROM u.t RETURNING item.id");
/* The items' rows, replaced when their text changed: reindexed when
 * their tags changed now ($3, pg_srch_tags' ids), when the item row was
 * written now ($4, the ingest's time) or when it has no row yet. A
 * separate statement from pg_srch_tags: a statement does not see its own
 * CTE's updates, and the words must come from the new tags. */
PG_STMT(pg_srch_put, 4,
        "INSERT INTO item_search(item_id, platform, tsv, tri) SELECT id, "
        "platform, "
        "setweight(to_tsvector('simple', mediadash_search_words(title)), "
        "'A') || setweight(to_tsvector('simple', "
        "mediadash_search_words(tags)), 'B') || to_tsvector('simple', "
        "mediadash_search_words(description)), mediadash_search_lower(title)"
        " || E'\\x01' || mediadash_search_lower(tags) || E'\\x01' || "
        "mediadash_search_lower(description) FROM item WHERE type = "
        "'content' AND (platform, ext_id) IN (SELECT * FROM "
        "unnest($1::text[], $2::text[])) AND (id = ANY ($3::bigint[]) OR "
        "updated_at = $4::bigint OR NOT EXISTS (SELECT 1 FROM item_search "
        "WHERE item_id = item.id)) ON CONFLICT (item_id) DO UPDATE SET "
        "tsv = excluded.tsv, tri = excluded.tri "
        "WHERE item_search.tri IS DISTINCT FROM excluded.tri");

/* The engagement a search sorts by and shows (migration 0010,
 * item_search_key) of item alias.id from its latest values: (likes +
 * comments + shares + saves) / views when views > 0, else NULL, with the
 * five metrics' ids read once per statement (the CTE mt of SQL_KEYS_PUT)
 * instead of once per item. */
#define SQL_KEY_ENGAGEMENT(alias)                                             \
    "(SELECT coalesce(sum(CASE WHEN mt.name <> 'views' THEN l.ival END), "    \
    "0)::double precision / nullif(max(CASE WHEN mt.name = 'views' THEN "     \
    "l.ival END), 0) FROM item_latest l JOIN mt ON mt.id = l.metric_id "      \
    "WHERE l.item_id = " alias ".id HAVING max(CASE WHEN mt.name = 'views' "  \
    "THEN l.ival END) > 0)"
/* The keys of the content items i that `where` picks, written when they
 * changed (a batch mostly changes every item's views). */
#define SQL_KEYS_PUT(where)                                                   \
    "WITH mt AS MATERIALIZED (SELECT id, name FROM metric WHERE name IN "     \
    "('views', 'likes', 'comments', 'shares', 'saves')) "                     \
    "INSERT INTO item_search_key(item_id, engagement) SELECT i.id, "          \
    SQL_KEY_ENGAGEMENT("i") " FROM item i WHERE i.type = 'content' " where    \
    " ON CONFLICT (item_id) DO UPDATE SET engagement = excluded.engagement "  \
    "WHERE item_search_key.engagement IS DISTINCT FROM excluded.engagement"
/* The batch's content items ($1 platforms, $2 ext ids): the ingest wrote
 * their latest values before (pg_ingest.c, fresh_flush). */
PG_STMT(pg_srch_keys, 2,
        SQL_KEYS_PUT("AND (i.platform, i.ext_id) IN (SELECT * FROM "
                     "unnest($1::text[], $2::text[]))"));
/* Every content item (db copy). */
PG_STMT(pg_srch_keys_all, 0, SQL_KEYS_PUT(""));
/* The items of a removal (rm_item, pg_remove.c), after their latest
 * values were computed again; those that went took their keys along (ON
 * DELETE CASCADE). */
PG_STMT(pg_srch_keys_rm, 0,
        SQL_KEYS_PUT("AND i.id IN (SELECT id FROM rm_item)"));

/* The batch's content items as the three arrays of pg_srch_tags; *n gets
 * how many. */
static enum err upkeep_arrays(const struct batch *b, struct buf *plat,
                              struct buf *ext, struct buf *tags, size_t *n)
{
    enum err rc = ERR_OK;

    *n = 0;
    pg_arr_start(plat);
    pg_arr_start(ext);
    pg_arr_start(tags);
    for (size_t i = 0; i < b->n && rc == ERR_OK; i++) {
        const struct item *it = b->items[i];
        if (it->type != ITEM_CONTENT)
            continue;
        rc = pg_arr_text(plat, platform_name(it->platform));
        if (rc == ERR_OK)
            rc = pg_arr_text(ext, it->ext_id);
        if (rc == ERR_OK)
            rc = pg_arr_text(tags, it->tags);
        (*n)++;
    }
    if (rc == ERR_OK)
        rc = pg_arr_end(plat);
    if (rc == ERR_OK)
        rc = pg_arr_end(ext);
    return rc == ERR_OK ? pg_arr_end(tags) : rc;
}

/* The ids of r's rows as a bigint[] literal. */
static enum err ids_array(const PGresult *r, struct buf *ids)
{
    enum err rc = ERR_OK;

    pg_arr_start(ids);
    for (int i = 0; i < PQntuples(r) && rc == ERR_OK; i++) {
        int64_t id;
        rc = pg_i64(r, i, 0, &id);
        if (rc == ERR_OK)
            rc = pg_arr_i64(ids, id);
    }
    return rc == ERR_OK ? pg_arr_end(ids) : rc;
}

static enum err upkeep_run(struct store_pg *s, struct buf *plat,
                           struct buf *ext, struct buf *tags, int64_t now,
                           struct buf *err)
{
    struct pg_params p;
    PGresult *r = NULL;
    enum err rc;

    pg_p_init(&p);
    pg_p_text(&p, buf_cstr(plat));
    pg_p_text(&p, buf_cstr(ext));
    pg_p_text(&p, buf_cstr(tags));
    rc = pg_run(s, &pg_srch_tags, &p, &r, "storing items' tags", err);
    /* tags is free now: it takes the changed ids. */
    if (rc == ERR_OK && ids_array(r, tags) != ERR_OK) {
        buf_setf(err, "storing items' tags: an unreadable id");
        rc = ERR_DB;
    }
    PQclear(r);
    if (rc != ERR_OK)
        return rc;
    pg_p_init(&p);
    pg_p_text(&p, buf_cstr(plat));
    pg_p_text(&p, buf_cstr(ext));
    pg_p_text(&p, buf_cstr(tags));
    pg_p_i64(&p, now);
    rc = pg_run(s, &pg_srch_put, &p, NULL, "updating the search index",
                err);
    if (rc != ERR_OK)
        return rc;
    pg_p_init(&p);
    pg_p_text(&p, buf_cstr(plat));
    pg_p_text(&p, buf_cstr(ext));
    return pg_run(s, &pg_srch_keys, &p, NULL, "updating the search keys",
                  err);
}

/* Every content item's tags stored (when it carries some), its index
 * row brought to what item holds now and its sort key to what
 * item_latest holds now: three statements per batch. */
enum err pg_search_upkeep(struct store_pg *s, const struct batch *b,
                          int64_t now, struct buf *err)
{
    struct buf plat, ext, tags;
    size_t n = 0;
    enum err rc;

    /* As the rollups' arrays (pg_rollup.c): a batch's worth. */
    buf_init(&plat, (size_t)1 << 26);
    buf_init(&ext, (size_t)1 << 26);
    buf_init(&tags, (size_t)1 << 28);
    rc = upkeep_arrays(b, &plat, &ext, &tags, &n);
    if (rc != ERR_OK)
        buf_setf(err, "updating the search index: out of memory");
    else if (n > 0)
        rc = upkeep_run(s, &plat, &ext, &tags, now, err);
    buf_free(&tags);
    buf_free(&ext);
    buf_free(&plat);
    return rc;
}

enum err pg_search_rekey_all(struct store_pg *s, struct buf *err)
{
    return pg_run(s, &pg_srch_keys_all, NULL, NULL, "computing search keys",
                  err);
}

enum err pg_search_rekey_removal(struct store_pg *s, struct buf *err)
{
    return pg_run(s, &pg_srch_keys_rm, NULL, NULL, "computing search keys",
                  err);
}

/* ---- the search ------------------------------------------------------- */

#define SQL_METRIC(name, alias)                                               \
    "(SELECT ival FROM item_latest WHERE item_id = " alias ".id AND "         \
    "metric_id = (SELECT id FROM metric WHERE name = '" name "'))"

/* $1 terms, $2 prefixes, $3 index (0 words, 1 trigrams), $4 platform,
 * $5 account, $6 from, $7 to, $8 role, $9 sort, $10 limit, $11 offset,
 */
PG_STMT(pg_srch_run, 11,
        "WITH q AS (SELECT mediadash_search_query($1, $2) AS q), "
        "pat AS (SELECT array_agg('%' || replace(replace(replace("
        "mediadash_search_lower(t), '\\', '\\\\'), '%', '\\%'), '_', '\\_')"
        " || '%') AS a FROM unnest(string_to_array($1, E'\\x01')) t), "
        "m AS MATERIALIZED (SELECT s.item_id AS id, -ts_rank_cd("
        "'{0.1, 0.2, 0.5, 1.0}', s.tsv, q.q)::double precision AS score "
        "FROM item_search s, q WHERE $3::int = 0 AND s.tsv @@ q.q AND "
        "($4::text IS NULL OR s.platform = $4) "
        "UNION ALL SELECT s.item_id, -(SELECT sum(CASE WHEN "
        "split_part(s.tri, E'\\x01', 1) LIKE x THEN 10 ELSE 0 END + CASE "
        "WHEN split_part(s.tri, E'\\x01', 2) LIKE x THEN 5 ELSE 0 END + "
        "CASE WHEN split_part(s.tri, E'\\x01', 3) LIKE x THEN 1 ELSE 0 END)"
        " FROM unnest(pat.a) x)::double precision FROM item_search s, pat "
        "WHERE $3::int = 1 AND s.tri LIKE ALL (pat.a) AND ($4::text IS NULL "
        "OR s.platform = $4)), "
        "p AS MATERIALIZED (SELECT m.id, m.score, count(*) OVER () AS total, "
        "CASE $9::int WHEN 1 THEN " SQL_METRIC("views", "m") "::double "
        "precision WHEN 2 THEN " SQL_METRIC("likes", "m") "::double "
        "precision WHEN 3 THEN " SQL_METRIC("comments", "m") "::double "
        "precision WHEN 4 THEN (SELECT engagement FROM item_search_key WHERE "
        "item_id = m.id) WHEN 5 THEN "
        "(SELECT published_at FROM item WHERE id = m.id)::double precision "
        "END AS k FROM m "
        "WHERE ($5::text IS NULL AND $6::bigint IS NULL AND $7::bigint IS NULL "
        "AND $8::text IS NULL) OR EXISTS (SELECT 1 "
        "FROM item i LEFT JOIN item a ON a.id = i.account_id WHERE "
        "i.id = m.id AND i.type = 'content' "
        "AND ($5::text IS NULL OR a.ext_id = $5 OR a.handle = $5) "
        "AND ($6::bigint IS NULL OR i.published_at >= $6) "
        "AND ($7::bigint IS NULL OR i.published_at < $7) "
        "AND ($8::text IS NULL OR i.role = $8)) "
        "ORDER BY k DESC NULLS LAST, m.score, m.id LIMIT $10 OFFSET $11) "
        "SELECT i.id, i.platform, i.ext_id, i.kind, a.ext_id, a.handle, "
        "i.title, i.url, i.tags, i.published_at, i.role, p.score, "
        SQL_METRIC("views", "i") ", " SQL_METRIC("likes", "i") ", "
        SQL_METRIC("comments", "i") ", (SELECT engagement FROM "
        "item_search_key WHERE item_id = i.id), p.total, "
        "mediadash_search_mark(i.title, CASE WHEN $3::int = 0 THEN q.q END), "
        "mediadash_search_snippet(i.description, q.q) "
        "FROM p JOIN item i ON i.id = p.id LEFT JOIN item a ON "
        "a.id = i.account_id, q ORDER BY p.k DESC NULLS LAST, p.score, p.id");

static void p_time(struct pg_params *p, int64_t t)
{
    if (t == TIME_NONE)
        pg_p_null(p);
    else
        pg_p_i64(p, t);
}

/* The terms joined by U+0001 into terms (a U+0001 inside a term, which
 * the words of a query never hold, becomes a space: both are separators
 * to the tokenizer), and a prefix flag per term into flags. */
static enum err term_params(const struct search_filter *q, struct buf *terms,
                            struct buf *flags)
{
    enum err rc = ERR_OK;

    for (size_t i = 0; i < q->nterms && rc == ERR_OK; i++) {
        const char *t = q->terms[i].text;
        if (i > 0)
            rc = buf_putc(terms, '\x01');
        for (; *t != '\0' && rc == ERR_OK; t++)
            rc = buf_putc(terms, *t == '\x01' ? ' ' : *t);
        if (rc == ERR_OK)
            rc = buf_putc(flags, q->terms[i].prefix &&
                                         q->index == SEARCH_INDEX_WORDS
                                     ? '1'
                                     : '0');
    }
    return rc;
}

static void filter_params(struct pg_params *p, const struct search_filter *q,
                          const struct buf *terms, const struct buf *flags)
{
    static const char *const roles[] = {NULL, "own", "tracked"};

    pg_p_init(p);
    pg_p_text(p, buf_cstr(terms));
    pg_p_text(p, buf_cstr(flags));
    pg_p_i64(p, q->index == SEARCH_INDEX_TRIGRAM ? 1 : 0);
    pg_p_text(p, q->platform);
    pg_p_text(p, q->account);
    p_time(p, q->from);
    p_time(p, q->to);
    pg_p_text(p, roles[q->role]);
    pg_p_i64(p, (int64_t)q->sort);
    pg_p_i64(p, q->limit);
    pg_p_i64(p, q->offset);
}

static double real_or(const PGresult *r, int row, int col, double dflt)
{
    double d;

    if (pg_null(r, row, col) || parse_double(pg_text(r, row, col), &d) != ERR_OK)
        return dflt;
    return d;
}

/* Row row of r as a hit (strings borrowed from r). */
static enum err read_hit(const PGresult *r, int row, struct search_hit *h)
{
    const char *role = pg_text(r, row, 10);

    memset(h, 0, sizeof(*h));
    if (pg_i64(r, row, 0, &h->id) != ERR_OK)
        return ERR_DB;
    h->platform = pg_text(r, row, 1);
    h->ext_id = pg_text(r, row, 2);
    h->kind = pg_text(r, row, 3);
    h->account_ext_id = pg_text(r, row, 4);
    h->account_handle = pg_text(r, row, 5);
    h->title = pg_text(r, row, 6);
    h->url = pg_text(r, row, 7);
    h->tags = pg_text(r, row, 8);
    h->published_at = pg_i64_or(r, row, 9, TIME_NONE);
    h->tracked = role != NULL && strcmp(role, "tracked") == 0;
    h->score = real_or(r, row, 11, 0.0);
    h->views = pg_i64_or(r, row, 12, -1);
    h->likes = pg_i64_or(r, row, 13, -1);
    h->comments = pg_i64_or(r, row, 14, -1);
    h->engagement = real_or(r, row, 15, -1.0);
    h->title_marked = pg_text(r, row, 17);
    h->snippet = pg_text(r, row, 18);
    return h->platform != NULL && h->ext_id != NULL ? ERR_OK : ERR_DB;
}

enum err pg_search(struct store *st, const struct search_filter *q,
                   store_search_fn fn, void *ud, int64_t *total,
                   struct buf *err)
{
    struct store_pg *s = pg_of(st);
    struct buf terms, flags;
    struct pg_params p;
    struct search_hit h;
    PGresult *r = NULL;
    enum err rc;

    buf_init(&terms, 4096);
    buf_init(&flags, SEARCH_TERMS_MAX + 1);
    if (total != NULL)
        *total = 0;
    rc = term_params(q, &terms, &flags);
    if (rc != ERR_OK)
        goto out;
    filter_params(&p, q, &terms, &flags);
    /* The search runs on the plan made for any parameters, not on one
     * planned per call: PostgreSQL plans the first five calls each with
     * their own values and then keeps choosing those custom plans, which
     * for a prefix or a common word order the matches in a way that costs
     * about 60 % more than the generic plan (bench/README.md, search at
     * 10,000 items, session 13: p99 28 ms custom, 17 ms generic). */
    rc = pg_exec(s, "SET plan_cache_mode = force_generic_plan", "searching",
                 err);
    if (rc == ERR_OK) {
        struct buf why;
        buf_init(&why, 1024);
        rc = pg_run(s, &pg_srch_run, &p, &r, "searching", err);
        /* after a failure the first error is the one said */
        enum err reset = pg_exec(s, "RESET plan_cache_mode", "searching",
                                 &why);
        if (rc == ERR_OK && reset != ERR_OK) {
            rc = reset;
            buf_setf(err, "%s", buf_cstr(&why));
        }
        buf_free(&why);
    }
    for (int i = 0; rc == ERR_OK && i < PQntuples(r); i++) {
        if (total != NULL)
            *total = pg_i64_or(r, i, 16, 0);
        rc = read_hit(r, i, &h);
        if (rc != ERR_OK)
            buf_setf(err, "searching: an unreadable row");
        else
            rc = fn(ud, &h);
    }
out:
    PQclear(r);
    buf_free(&flags);
    buf_free(&terms);
    return rc;
}
