-- Per content item: the views it gained in its first week, the known
-- gains of item_day's views rows on the rollup days [day of publication,
-- + 7). Rollup state like item_day (derived, no foreign keys): ingest
-- recomputes an item's row in the same transaction whenever a views row
-- of those days or its publication time changes, `rollup --rebuild`
-- and a rollup zone change recompute every row, removals those of the
-- items they touch. No row: no known gain in those days (or no known
-- publication time). The overview's best-time heatmap scores content
-- by it; reading one row per item replaces a range of up to 7 rows.
CREATE TABLE item_first (
    item_id    INTEGER PRIMARY KEY,
    views_gain INTEGER NOT NULL
);
-- The views gains of one rollup day, packed: for each item with a known
-- views gain that day (item_day's views rows of the day, gain not NULL),
-- in ascending item id, the item id's difference from the previous one
-- (the first: from 0) and the gain zigzag-encoded, each a LEB128 varint
-- (store_sqlite_views_day.c). No row for a day without one. Rollup state:
-- ingest rewrites the days whose views gains it changed, in the same
-- transaction; `rollup --rebuild`, a zone change and removals rewrite
-- every day. The walks over all content (the report's spikes and top
-- content, top by views) read one row per day here instead of a row
-- per item and day in item_day.
CREATE TABLE views_day (
    day   INTEGER PRIMARY KEY,
    gains BLOB    NOT NULL
);

-- Both are filled by the first open after this migration (item_first
-- needs the rollup zone's day numbering, which SQL alone does not have);
-- the setting is removed in the same transaction as the fill.
INSERT INTO setting(key, value) VALUES ('report_rollups_stale', '1')
    ON CONFLICT(key) DO UPDATE SET value = excluded.value;
