-- mediadash event store, first schema.
-- Snapshots and their values are append-only (triggers refuse UPDATE and
-- DELETE); items carry descriptive fields that follow the latest fetch;
-- item_latest is derived, maintained at ingest in the same transaction.

CREATE TABLE item (
    id            INTEGER PRIMARY KEY,
    platform      TEXT    NOT NULL CHECK (platform IN ('youtube', 'instagram', 'tiktok')),
    type          TEXT    NOT NULL CHECK (type IN ('account', 'content')),
    ext_id        TEXT    NOT NULL,
    account_id    INTEGER REFERENCES item(id),
    kind          TEXT,
    handle        TEXT,
    title         TEXT,
    description   TEXT,
    url           TEXT,
    thumbnail_url TEXT,
    published_at  INTEGER,
    duration_s    INTEGER,
    first_seen    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    UNIQUE (platform, type, ext_id)
);
CREATE INDEX item_by_account ON item(account_id);

CREATE TABLE metric (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);

-- One row per imported file (by content digest) or collector run.
CREATE TABLE import (
    id          INTEGER PRIMARY KEY,
    digest      TEXT UNIQUE,
    source      TEXT,
    format      TEXT,
    imported_at INTEGER NOT NULL,
    snapshots   INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE snapshot (
    id          INTEGER PRIMARY KEY,
    item_id     INTEGER NOT NULL REFERENCES item(id),
    observed_at INTEGER NOT NULL,
    import_id   INTEGER REFERENCES import(id),
    UNIQUE (item_id, observed_at)
);

CREATE TABLE snapshot_value (
    snapshot_id INTEGER NOT NULL REFERENCES snapshot(id),
    metric_id   INTEGER NOT NULL REFERENCES metric(id),
    ival        INTEGER,
    rval        REAL,
    PRIMARY KEY (snapshot_id, metric_id),
    CHECK ((ival IS NULL) <> (rval IS NULL))
) WITHOUT ROWID;

-- Latest value of every metric of every item (derived: written only by
-- ingest, in the snapshot's transaction, so it carries no foreign keys,
-- whose checks would cost a lookup per write).
CREATE TABLE item_latest (
    item_id     INTEGER NOT NULL,
    metric_id   INTEGER NOT NULL,
    observed_at INTEGER NOT NULL,
    ival        INTEGER,
    rval        REAL,
    PRIMARY KEY (item_id, metric_id)
) WITHOUT ROWID;

CREATE TRIGGER snapshot_append_only_u BEFORE UPDATE ON snapshot
BEGIN SELECT RAISE(ABORT, 'snapshots are append-only'); END;
CREATE TRIGGER snapshot_append_only_d BEFORE DELETE ON snapshot
BEGIN SELECT RAISE(ABORT, 'snapshots are append-only'); END;
CREATE TRIGGER snapshot_value_append_only_u BEFORE UPDATE ON snapshot_value
BEGIN SELECT RAISE(ABORT, 'snapshots are append-only'); END;
CREATE TRIGGER snapshot_value_append_only_d BEFORE DELETE ON snapshot_value
BEGIN SELECT RAISE(ABORT, 'snapshots are append-only'); END;
