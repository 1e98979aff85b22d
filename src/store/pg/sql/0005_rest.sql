-- Full-text search on PostgreSQL (docs/postgresql.md "Search on
-- PostgreSQL", docs/search.md): the counterpart of SQLite's FTS5 indexes
-- (SQLite migration 0028), kept by the ingest in the transaction that
-- writes the item (pg_search.c).
--
-- unaccent folds diacritics (cafe finds Café), pg_trgm indexes substrings
-- for text written without spaces (Japanese, Chinese). Both ship with
-- postgresql-15 (Debian: in the server package) and are trusted
-- extensions: a database owner may create them without being superuser.
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- The words of a text as SQLite's unicode61 tokenizer with
-- remove_diacritics sees them: lower case by Unicode (the ICU root
-- collation, whatever the database's own collation), diacritics removed,
-- every run of characters that are not letters or digits one space. The
-- index and the query both go through it, so they always agree.
CREATE FUNCTION mediadash_search_words(t text) RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE
    RETURN btrim(regexp_replace(
        unaccent(lower(coalesce(t, '') COLLATE "und-x-icu"))
            COLLATE "und-x-icu",
        '[^[:alnum:]]+', ' ', 'g'));

-- The lower-cased text trigram search reads.
CREATE FUNCTION mediadash_search_lower(t text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN lower(coalesce(t, '') COLLATE "und-x-icu");

-- The tsquery of a search (store_search.h): terms, the words or phrases
-- joined by U+0001 (none contains one), each of them all its words in
-- order (<->); prefixes, '1' at a term's position when its last word may
-- go on (:*). All terms must match (&). NULL (matching nothing) when a
-- term has no word. The text given to to_tsquery holds letters, digits,
-- spaces and the operators written here only: nothing from the user can
-- be an operator.
CREATE FUNCTION mediadash_search_query(terms text, prefixes text)
    RETURNS tsquery LANGUAGE sql STABLE PARALLEL SAFE
    RETURN (SELECT CASE WHEN count(*) = count(nullif(w, '')) THEN
                to_tsquery('simple', string_agg('(' ||
                    replace(w, ' ', ' <-> ') ||
                    CASE substr(prefixes, n::int, 1) WHEN '1' THEN ':*'
                    ELSE '' END || ')', ' & ' ORDER BY n))
            END
            FROM (SELECT mediadash_search_words(u.t) AS w, u.n
                  FROM unnest(string_to_array(terms, E'\x01'))
                       WITH ORDINALITY AS u(t, n)) x);

-- The configuration ts_headline marks matches with: words as the simple
-- parser cuts them, diacritics removed, then lower-cased.
CREATE TEXT SEARCH CONFIGURATION mediadash_search (COPY = simple);
ALTER TEXT SEARCH CONFIGURATION mediadash_search
    ALTER MAPPING FOR asciiword, asciihword, hword_asciipart, word, hword,
                      hword_part, numword, numhword, hword_numpart
    WITH unaccent, simple;

-- t with its words that match q marked: U+0002 before, U+0003 after
-- (SEARCH_MARK_OPEN and _CLOSE, store_search.h). A word is a run of
-- letters and digits (as mediadash_search_words cuts them); it matches
-- when, lower-cased and unaccented, it is one of q's words (lx.ex) or
-- starts with one of q's prefixes (lx.pre), both read once from q's text
-- (lexemes in quotes, :* after a prefix). Two matching words in a row
-- that follow one another in a phrase of q share one mark, with what
-- separates them, as SQLite's highlight() marks a phrase whole. NULL t:
-- NULL; NULL q: t unmarked.
CREATE FUNCTION mediadash_search_mark(t text, q tsquery) RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE
    RETURN (WITH lx AS (
                SELECT coalesce(array_agg(m[1]) FILTER (WHERE m[2] IS NULL),
                                '{}') AS ex,
                       coalesce(array_agg(m[1]) FILTER (WHERE m[2] IS NOT
                                NULL), '{}') AS pre
                FROM regexp_matches(q::text, '''([^'']*)''(:\*)?', 'g') AS m),
            x AS (
                SELECT u.m[1] AS tok, u.n,
                       u.m[1] COLLATE "und-x-icu" ~ '^[[:alnum:]]' AS isword
                FROM regexp_matches(t COLLATE "und-x-icu",
                                    '[[:alnum:]]+|[^[:alnum:]]+', 'g')
                     WITH ORDINALITY AS u(m, n)),
            w AS (
                SELECT x.n, f.lex, f.lex = ANY (lx.ex) OR EXISTS (SELECT 1
                           FROM unnest(lx.pre) p WHERE starts_with(f.lex, p))
                       AS hit
                FROM x, lx, LATERAL (SELECT unaccent(lower(x.tok COLLATE
                           "und-x-icu")) AS lex) f
                WHERE x.isword),
            j AS (
                SELECT w.n, w.hit, w.hit AND coalesce(lead(w.hit)
                           OVER (ORDER BY w.n), false) AND
                       position(quote_literal(w.lex) || ' <-> ' ||
                                quote_literal(lead(w.lex) OVER (ORDER BY w.n))
                                IN q::text) > 0 AS joined
                FROM w),
            k AS (
                SELECT j.n, j.hit, j.joined, coalesce(lag(j.joined)
                           OVER (ORDER BY j.n), false) AS joined_prev
                FROM j)
            SELECT string_agg(CASE WHEN k.n IS NULL THEN x.tok ELSE
                       CASE WHEN k.hit AND NOT k.joined_prev THEN E'\x02'
                            ELSE '' END || x.tok ||
                       CASE WHEN k.hit AND NOT k.joined THEN E'\x03'
                            ELSE '' END END, '' ORDER BY x.n)
            FROM x LEFT JOIN k ON k.n = x.n);

-- The snippet of a description d for q: ts_headline's best fragment of
-- up to 16 words, marked as above, with "…" where the description goes
-- on before or after it (SQLite's snippet() cuts and marks the same way;
-- the fragment's bounds may differ).
CREATE FUNCTION mediadash_search_snippet(d text, q tsquery) RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE
    RETURN (SELECT CASE WHEN f IS NULL OR f = '' THEN '' ELSE
                CASE WHEN starts_with(d, f) THEN '' ELSE '…' END ||
                coalesce(mediadash_search_mark(f, q), '') ||
                CASE WHEN right(d, length(f)) = f THEN '' ELSE '…' END
            END
            FROM (SELECT ts_headline('mediadash_search', d,
                         q,
                         'StartSel="", StopSel="", MaxWords=16, '
                         'MinWords=8, ShortWord=0, MaxFragments=1') AS f) h);

-- One row per content item (accounts are not indexed), keyed by item.id:
-- tsv, its words with weights (title A, tags B, description D: ts_rank_cd
-- with {0.1, 0.2, 0.5, 1.0} counts a title match 10 times one in the
-- description and a tag 5 times, like SQLite's BM25 column weights); tri,
-- the lower-cased title, tags and description joined by U+0001 (no term
-- holds one, so no substring runs across two fields).
CREATE TABLE item_search (
    item_id bigint PRIMARY KEY REFERENCES item(id),
    tsv     tsvector NOT NULL,
    tri     text NOT NULL
);
CREATE INDEX item_search_words ON item_search USING gin (tsv);
CREATE INDEX item_search_trigrams ON item_search USING gin (tri gin_trgm_ops);

-- The content items stored before this migration.
INSERT INTO item_search(item_id, tsv, tri)
    SELECT id,
           setweight(to_tsvector('simple', mediadash_search_words(title)), 'A')
           || setweight(to_tsvector('simple', mediadash_search_words(tags)), 'B')
           || to_tsvector('simple', mediadash_search_words(description)),
           mediadash_search_lower(title) || E'\x01' ||
           mediadash_search_lower(tags) || E'\x01' ||
           mediadash_search_lower(description)
    FROM item WHERE type = 'content';

-- The collector's state (SQLite migrations 0005 and 0008; pg_collect.c):
-- the same tables and columns. The platform is any registered one (the
-- registry decides, not a CHECK).
CREATE TABLE collect_job (
    platform    text   NOT NULL,
    account     text   NOT NULL,
    kind        text   NOT NULL CHECK (kind IN ('account', 'content')),
    last_fetch  bigint,
    next_due    bigint NOT NULL,
    failures    bigint NOT NULL DEFAULT 0 CHECK (failures >= 0),
    last_status text   NOT NULL DEFAULT 'ok'
                CHECK (last_status IN ('ok', 'rate_limited',
                       'quota_exceeded', 'auth_needed', 'failed')),
    last_error  text,
    PRIMARY KEY (platform, account, kind)
);
CREATE TABLE quota_ledger (
    platform  text   NOT NULL,
    day_start bigint NOT NULL,
    units     bigint NOT NULL DEFAULT 0 CHECK (units >= 0),
    PRIMARY KEY (platform, day_start)
);
CREATE TABLE collect_item (
    platform     text   NOT NULL,
    account      text   NOT NULL,
    item_id      text   NOT NULL,
    kind         text   NOT NULL DEFAULT '',
    published_at bigint,
    last_fetch   bigint,
    next_due     bigint NOT NULL,
    PRIMARY KEY (platform, account, item_id)
);
CREATE INDEX collect_item_due ON collect_item(platform, account, next_due);
CREATE TABLE api_usage (
    platform    text   NOT NULL,
    account     text   NOT NULL,
    pct         bigint NOT NULL CHECK (pct >= 0),
    observed_at bigint NOT NULL,
    PRIMARY KEY (platform, account)
);

-- Links between content items a platform states (SQLite migration 0030;
-- pg_links.c): keyed by the platform's ids, kept at ingest.
CREATE TABLE item_link (
    platform   text   NOT NULL,
    from_ext   text   NOT NULL,
    rel        text   NOT NULL CHECK (length(rel) BETWEEN 1 AND 15),
    to_ext     text   NOT NULL,
    offset_s   bigint,
    first_seen bigint NOT NULL,
    PRIMARY KEY (platform, from_ext, rel, to_ext)
);
CREATE INDEX item_link_to ON item_link (platform, to_ext);

-- Documents for retrieval (SQLite migrations 0029 and 0031; pg_docs.c):
-- one row per live document (kind 0 an item's own, day 0; kind 1 an
-- account's daily summary for rollup day `day`), rewritten in place with
-- a new seq when the document changes; tombstones (kind 2 a removed item,
-- 3 a removed daily summary) keyed by seq, with what the item was. seq
-- grows with every write over both tables (writers hold the ingest lock),
-- so a reader's cursor never misses a row committed later.
CREATE TABLE doc_change (
    item_id    bigint   NOT NULL,
    kind       smallint NOT NULL CHECK (kind IN (0, 1)),
    day        integer  NOT NULL,
    seq        bigint   NOT NULL,
    changed_at bigint   NOT NULL,
    PRIMARY KEY (item_id, kind, day)
);
CREATE UNIQUE INDEX doc_change_seq ON doc_change(seq);
CREATE TABLE doc_tomb (
    seq        bigint   PRIMARY KEY,
    item_id    bigint   NOT NULL,
    kind       smallint NOT NULL CHECK (kind IN (2, 3)),
    day        integer  NOT NULL,
    changed_at bigint   NOT NULL,
    platform   text,
    type       text,
    ext_id     text,
    role       text
);
-- The items stored before this migration, as changed when their row last
-- changed (their daily summaries come with their next snapshots).
INSERT INTO doc_change(item_id, kind, day, seq, changed_at)
    SELECT id, 0, 0, row_number() OVER (ORDER BY updated_at, id), updated_at
    FROM item;
