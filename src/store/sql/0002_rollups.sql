-- Daily rollups, maintained at ingest in the same transaction as the
-- snapshots, so dashboard queries never scan raw snapshots. Derived data:
-- `mediadash rollup --rebuild` recomputes them from snapshot_value. Like
-- item_latest they carry no foreign keys (a lookup per write).

CREATE TABLE setting (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- One row per item, integer metric and day (civil day number in the
-- rollup zone): the first and last value seen that day, and the gain
-- since the last value of the previous day with data. gain is NULL where
-- it is unknown (the first day of an item first seen after publication).
CREATE TABLE item_day (
    item_id   INTEGER NOT NULL,
    metric_id INTEGER NOT NULL,
    day       INTEGER NOT NULL,
    first_at  INTEGER NOT NULL,
    first_v   INTEGER NOT NULL,
    last_at   INTEGER NOT NULL,
    last_v    INTEGER NOT NULL,
    gain      INTEGER,
    PRIMARY KEY (item_id, metric_id, day)
) WITHOUT ROWID;
CREATE INDEX item_day_by_day ON item_day(metric_id, day);

-- Per account, metric and day: the sum of its content's known gains.
CREATE TABLE account_day (
    account_id INTEGER NOT NULL,
    metric_id  INTEGER NOT NULL,
    day        INTEGER NOT NULL,
    gain       INTEGER NOT NULL,
    PRIMARY KEY (account_id, metric_id, day)
) WITHOUT ROWID;
