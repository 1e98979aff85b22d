-- Speed (issues 17 and 18, bench/README.md "Dashboard queries and search
-- on PostgreSQL"): what search pays per hit of a page.
--
-- mediadash_search_mark (migration 0005) again, with the same answers, in
-- PL/pgSQL: its plans are kept for the session, where a LANGUAGE sql
-- function with a body of several CTEs was planned again in every search
-- (20 titles and 20 snippets a page; it was about half of a search's
-- time). The steps are those of 0005: the query's lexemes and prefixes
-- read from q's text; t cut into runs of letters and digits and runs of
-- the rest; a word (lower-cased, unaccented) is a hit when it is one of
-- q's lexemes or starts with one of its prefixes; two hits in a row that
-- follow one another in a phrase of q share one mark. New: when no
-- lexeme or prefix occurs anywhere in the folded t, no word can be a hit
-- and t comes back as it is (most titles of a hit found by its
-- description), without cutting it into words.
CREATE OR REPLACE FUNCTION mediadash_search_mark(t text, q tsquery)
    RETURNS text LANGUAGE plpgsql STABLE PARALLEL SAFE AS $f$
DECLARE
    qt text := q::text;
    ex text[];
    pre text[];
    folded text;
    toks text[];
    lexs text[];
    words int[] := '{}';
    hit boolean[];
    joined boolean[];
    res text := '';
    k int;
    i int := 0;
    nw int;
BEGIN
    IF t IS NULL OR t = '' THEN
        RETURN NULL; -- as 0005's string_agg over no word
    END IF;
    SELECT coalesce(array_agg(m[1]) FILTER (WHERE m[2] IS NULL), '{}'),
           coalesce(array_agg(m[1]) FILTER (WHERE m[2] IS NOT NULL), '{}')
      INTO ex, pre
      FROM regexp_matches(qt, '''([^'']*)''(:\*)?', 'g') AS m;
    folded := unaccent(lower(t COLLATE "und-x-icu"));
    IF NOT EXISTS (SELECT 1 FROM unnest(ex || pre) x
                   WHERE position(x IN folded) > 0) THEN
        RETURN t;
    END IF;
    SELECT array_agg(u.m[1] ORDER BY u.n) INTO toks
      FROM regexp_matches(t COLLATE "und-x-icu",
                          '[[:alnum:]]+|[^[:alnum:]]+', 'g')
           WITH ORDINALITY AS u(m, n);
    FOR k IN 1 .. cardinality(toks) LOOP
        IF toks[k] COLLATE "und-x-icu" ~ '^[[:alnum:]]' THEN
            words := words || k;
            i := cardinality(words);
            lexs[i] := unaccent(lower(toks[k] COLLATE "und-x-icu"));
            hit[i] := lexs[i] = ANY (ex) OR
                      EXISTS (SELECT 1 FROM unnest(pre) p
                              WHERE starts_with(lexs[i], p));
        END IF;
    END LOOP;
    nw := cardinality(words);
    FOR i IN 1 .. nw LOOP
        joined[i] := hit[i] AND i < nw AND hit[i + 1] AND
                     position(quote_literal(lexs[i]) || ' <-> ' ||
                              quote_literal(lexs[i + 1]) IN qt) > 0;
    END LOOP;
    i := 0;
    FOR k IN 1 .. cardinality(toks) LOOP
        IF i < nw AND words[i + 1] = k THEN
            i := i + 1;
            IF hit[i] AND NOT (i > 1 AND joined[i - 1]) THEN
                res := res || E'\x02';
            END IF;
            res := res || toks[k];
            IF hit[i] AND NOT joined[i] THEN
                res := res || E'\x03';
            END IF;
        ELSE
            res := res || toks[k];
        END IF;
    END LOOP;
    RETURN res;
END
$f$;

-- mediadash_search_snippet (0005) in PL/pgSQL for the same reason, with
-- the same answers: ts_headline's best fragment, marked, with "…" where
-- the description goes on.
CREATE OR REPLACE FUNCTION mediadash_search_snippet(d text, q tsquery)
    RETURNS text LANGUAGE plpgsql STABLE PARALLEL SAFE AS $f$
DECLARE
    f text := ts_headline('mediadash_search', d, q,
                          'StartSel="", StopSel="", MaxWords=16, '
                          'MinWords=8, ShortWord=0, MaxFragments=1');
BEGIN
    IF f IS NULL OR f = '' THEN
        RETURN '';
    END IF;
    RETURN CASE WHEN starts_with(d, f) THEN '' ELSE '…' END ||
           coalesce(mediadash_search_mark(f, q), '') ||
           CASE WHEN right(d, length(f)) = f THEN '' ELSE '…' END;
END
$f$;
