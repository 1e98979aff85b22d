-- Speed of the dashboard on PostgreSQL (issue 17, bench/README.md
-- "2026-12-07 (session 14): views per day"): the views every item gained
-- on a day, in a few rows per day, as SQLite's views_day (SQLite
-- migration 0018) keeps them in one.
--
-- The report's spikes and top content and the top lists read the views
-- gains of every content item over a range (store_content_day_gains):
-- from item_day that is a row per item and day, 124,501 rows sent to the
-- client for the report at 7.7M snapshots (48 to 95 ms of server time
-- alone). Here a day is one row per chunk of 256 item ids (chunk =
-- item_id >> 8), its gains the pairs of the chunk's items with a known
-- views gain that day, item ids ascending, each pair 9 bytes: the item
-- id's low byte (the chunk gives the rest), then the gain as int8 in
-- network order (int8send). The report reads some 40 days x a dozen
-- chunks of at most 2.3 kB. A chunk bounds what one ingest rewrites when
-- it changes one item's day (a couple of kilobytes, not the whole
-- day's).
--
-- Kept in the same transaction as item_day, from item_day (never a
-- running sum that could drift): at ingest for the days an item's rollup
-- was recomputed from, by a removal for the items it touched, by a
-- rollup rebuild or zone change and by db copy for all
-- (pg_views_day.c). No row for a chunk and day without a known gain.
CREATE TABLE views_day (
    day    integer NOT NULL,
    chunk  bigint  NOT NULL,
    gains  bytea   NOT NULL,
    PRIMARY KEY (day, chunk)
);

INSERT INTO views_day(day, chunk, gains)
    SELECT day, item_id >> 8,
           string_agg(substring(int8send(item_id) FROM 8) || int8send(gain),
                      ''::bytea ORDER BY item_id)
    FROM item_day
    WHERE metric_id = (SELECT id FROM metric WHERE name = 'views')
      AND gain IS NOT NULL
    GROUP BY 1, 2;
