-- Fewer pages written per ingest commit (issue 5's ingest target: ingest
-- with rollups at least half as fast as plain inserts of the same rows).
--
-- item_day is clustered by (metric, day, item). Every hour ingest
-- rewrites the current day's row of each item and metric; clustered by
-- item, each of those rows sat in its own page, so a commit wrote about
-- one page per item to the WAL, and each new day's rows split pages all
-- over the table. Now the current day's rows of a metric sit together in
-- a few pages and a new day is added at the end of its metric's range.
-- One metric's days are one range, read in place by the queries over all
-- content (top gains, the spike walk); per-item reads (an item's days,
-- the day before or after, its first week) go through item_day_by_item,
-- which changes only when a day row is added.
CREATE TABLE item_day_new (
    item_id   INTEGER NOT NULL,
    metric_id INTEGER NOT NULL,
    day       INTEGER NOT NULL,
    first_at  INTEGER NOT NULL,
    first_v   INTEGER NOT NULL,
    last_at   INTEGER NOT NULL,
    last_v    INTEGER NOT NULL,
    gain      INTEGER,
    PRIMARY KEY (metric_id, day, item_id)
) WITHOUT ROWID;
INSERT INTO item_day_new
    SELECT item_id, metric_id, day, first_at, first_v, last_at, last_v, gain
    FROM item_day ORDER BY metric_id, day, item_id;
DROP TABLE item_day;
ALTER TABLE item_day_new RENAME TO item_day;
CREATE INDEX item_day_by_item ON item_day(item_id, metric_id, day);
