-- Documents for retrieval (issue 18): which documents changed when, and
-- which were removed (tombstones), so `export documents --since` and
-- GET /api/v1/documents can hand a pipeline only what changed.
--
-- One row per live document, rewritten (deleted and inserted again, so
-- it takes a new seq) whenever the document changes:
--   kind 0: an item's own document (content or account), day 0;
--   kind 1: an account's daily summary for rollup day `day`.
-- A removal turns the rows of the items it deletes into tombstones:
--   kind 2: a removed item, kind 3: a removed daily summary; these keep
--   the platform, type, ext id and role the item had (its row is gone).
-- seq (AUTOINCREMENT: never reused, also after a delete of the largest)
-- grows with every write; writers are serialized, so a reader that has
-- seen every seq up to S never misses a row committed later: that is
-- the API's cursor. changed_at is the UTC second of the write, for
-- `since`.
CREATE TABLE doc_change (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    item_id    INTEGER NOT NULL,
    kind       INTEGER NOT NULL CHECK (kind IN (0, 1, 2, 3)),
    day        INTEGER NOT NULL,
    changed_at INTEGER NOT NULL,
    platform   TEXT,
    type       TEXT,
    ext_id     TEXT,
    role       TEXT
);
CREATE UNIQUE INDEX doc_change_doc ON doc_change(item_id, kind, day)
    WHERE kind < 2;
-- No index on changed_at: `since` reads walk seq order and skip older
-- rows (one row per document: a scan of items + own account days), and
-- an index would cost every mark at ingest one more b-tree update.

-- What exists already, as changed when its item row last changed.
INSERT INTO doc_change(item_id, kind, day, changed_at)
    SELECT id, 0, 0, updated_at FROM item ORDER BY updated_at, id;
INSERT INTO doc_change(item_id, kind, day, changed_at)
    SELECT x.account_id, 1, x.day, a.updated_at
      FROM (SELECT account_id, day FROM account_day
            UNION
            SELECT d.item_id, d.day FROM item a2
              JOIN item_day d ON d.item_id = a2.id
             WHERE a2.type = 'account') x
      JOIN item a ON a.id = x.account_id
     ORDER BY a.updated_at, x.account_id, x.day;
