-- Taking data back (mediadash imports remove, accounts remove).
--
-- Snapshots and their values stay append-only (0001) with one controlled
-- exception: a removal. It inserts the single row of store_removing at
-- its start and deletes it before it commits, in the same transaction;
-- only while that row exists do the triggers let a snapshot or value be
-- deleted, or a snapshot's import_id (nothing else) be changed. A crash
-- rolls the row back with everything else.
CREATE TABLE store_removing (
    id INTEGER PRIMARY KEY CHECK (id = 1)
);

DROP TRIGGER snapshot_append_only_u;
DROP TRIGGER snapshot_append_only_d;
DROP TRIGGER snapshot_value_append_only_u;
DROP TRIGGER snapshot_value_append_only_d;
CREATE TRIGGER snapshot_append_only_u BEFORE UPDATE ON snapshot
WHEN NOT EXISTS (SELECT 1 FROM store_removing)
    OR NEW.id IS NOT OLD.id OR NEW.item_id IS NOT OLD.item_id
    OR NEW.observed_at IS NOT OLD.observed_at
BEGIN SELECT RAISE(ABORT, 'snapshots are append-only'); END;
CREATE TRIGGER snapshot_append_only_d BEFORE DELETE ON snapshot
WHEN NOT EXISTS (SELECT 1 FROM store_removing)
BEGIN SELECT RAISE(ABORT, 'snapshots are append-only'); END;
CREATE TRIGGER snapshot_value_append_only_u BEFORE UPDATE ON snapshot_value
BEGIN SELECT RAISE(ABORT, 'snapshots are append-only'); END;
CREATE TRIGGER snapshot_value_append_only_d BEFORE DELETE ON snapshot_value
WHEN NOT EXISTS (SELECT 1 FROM store_removing)
BEGIN SELECT RAISE(ABORT, 'snapshots are append-only'); END;

-- A value a later import added to a snapshot an earlier import stored
-- (same item and time, a metric the first one lacked): which import it
-- came from, so removing either import removes just its own values. A
-- value without a row here belongs to its snapshot's import.
CREATE TABLE value_import (
    snapshot_id INTEGER NOT NULL,
    metric_id   INTEGER NOT NULL,
    import_id   INTEGER NOT NULL,
    PRIMARY KEY (snapshot_id, metric_id)
) WITHOUT ROWID;
CREATE INDEX value_import_by_import ON value_import(import_id);

-- No index on snapshot(import_id): it would cost every ingest a write;
-- a removal reads the table once instead.

-- The import that created an item (NULL: before this, or no import), so
-- that removing it also removes the items it created that hold nothing
-- else (no snapshots; for an account, no content either).
ALTER TABLE item ADD COLUMN import_id INTEGER;
CREATE INDEX item_by_import ON item(import_id);

-- What an import stored besides snapshots (0 for imports before this).
ALTER TABLE import ADD COLUMN items INTEGER NOT NULL DEFAULT 0;
ALTER TABLE import ADD COLUMN vals INTEGER NOT NULL DEFAULT 0;

-- One line per removal or role change: who (the OS user for the CLI,
-- the dashboard login for the web), when (UTC seconds) and what.
CREATE TABLE audit (
    id     INTEGER PRIMARY KEY,
    at     INTEGER NOT NULL,
    who    TEXT    NOT NULL,
    action TEXT    NOT NULL,
    what   TEXT    NOT NULL
);
