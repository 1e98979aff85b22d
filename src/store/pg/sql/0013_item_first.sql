-- Per item: the views it gained in its first week, the known gains of
-- item_day's views rows on the rollup days [pub_day, pub_day + 7)
-- (7: STORE_FIRST_DAYS, store.h), as SQLite's item_first (its migration
-- 0018). Rollup state like item_day (derived, no foreign keys): kept in
-- the same transaction wherever item_day or an item's pub_day changes
-- (pg_first.c: ingest, a rebuild or zone change, a removal, `db copy`).
-- No row: no known gain in those days (or no publication day). The
-- report's content sums and the best-time heatmap read one row per item
-- here instead of summing up to 7 item_day rows. Needs nothing past
-- 0003 (item.pub_day).
CREATE TABLE item_first (
    item_id    bigint PRIMARY KEY,
    views_gain bigint NOT NULL
);

INSERT INTO item_first(item_id, views_gain)
SELECT d.item_id, sum(d.gain)::bigint
FROM item i
JOIN item_day d ON d.item_id = i.id
    AND d.metric_id = (SELECT id FROM metric WHERE name = 'views')
    AND d.day >= i.pub_day AND d.day < i.pub_day + 7
WHERE d.gain IS NOT NULL
GROUP BY d.item_id;
