-- The collector's memory of metrics a platform refused for a media kind
-- of an account (a descriptor with metric_memory; the collector does not
-- ask for them again until the entry is older than its memory, 7 days),
-- now with the platform as a column: migration 0008 made it for one
-- platform only, as ig_dropped_metric. Its rows are kept, as that
-- platform's; the old table goes.
CREATE TABLE dropped_metric (
    platform   TEXT    NOT NULL,
    account    TEXT    NOT NULL,
    kind       TEXT    NOT NULL,
    metric     TEXT    NOT NULL,
    dropped_at INTEGER NOT NULL,
    PRIMARY KEY (platform, account, kind, metric)
) WITHOUT ROWID;
INSERT INTO dropped_metric (platform, account, kind, metric, dropped_at)
    SELECT 'instagram', account, kind, metric, dropped_at
    FROM ig_dropped_metric;
DROP TABLE ig_dropped_metric;
