-- Speed of search on PostgreSQL (issue 18, bench/README.md "search at
-- 10,000 items on both backends"): what a search filtered by platform or
-- sorted by engagement read per match, kept where the search finds it.
--
-- item_search.platform: the item's platform (it never changes), so a
-- platform filter reads it in the match's search row instead of the
-- match's item row (one index probe per match before: most of a filtered
-- search's time). pg_search.c and db copy write it with the row.
ALTER TABLE item_search ADD COLUMN platform text;
UPDATE item_search s SET platform = i.platform FROM item i
    WHERE i.id = s.item_id;
ALTER TABLE item_search ALTER COLUMN platform SET NOT NULL;

-- The engagement a search sorts by: (likes + comments + shares + saves)
-- / views of the item's latest values when views > 0, else NULL, the
-- number the search shows (pg_search.c SQL_ENGAGEMENT) and SQLite
-- computes. Computing it for every match from item_latest joined with
-- metric cost about 19 us a match (half of a search sorted by it); here
-- it is one probe. A narrow table of its own, not a column of
-- item_search: every batch changes the latest values, and an update of
-- an item_search row writes its words into both GIN indexes again (about
-- 100 us a row, measured), where a row of this table is small and its
-- one index untouched by the update (a HOT update: about 12 us a row).
-- Kept in the same transaction as item_latest by the ingest
-- (pg_search_upkeep), a removal (pg_remove.c) and db copy.
CREATE TABLE item_search_key (
    item_id    bigint PRIMARY KEY REFERENCES item(id) ON DELETE CASCADE,
    engagement double precision
);

-- The content items stored before this migration, as pg_search.c
-- computes the key (SQL_KEY_ENGAGEMENT).
INSERT INTO item_search_key(item_id, engagement)
    WITH mt AS MATERIALIZED (
        SELECT id, name FROM metric
        WHERE name IN ('views', 'likes', 'comments', 'shares', 'saves'))
    SELECT i.id,
           (SELECT coalesce(sum(CASE WHEN mt.name <> 'views' THEN l.ival
                                END), 0)::double precision
                   / nullif(max(CASE WHEN mt.name = 'views' THEN l.ival
                                END), 0)
              FROM item_latest l JOIN mt ON mt.id = l.metric_id
             WHERE l.item_id = i.id
            HAVING max(CASE WHEN mt.name = 'views' THEN l.ival END) > 0)
    FROM item i WHERE i.type = 'content';
