-- Documents for retrieval, cheaper to keep (issue 18; bench/README.md
-- "documents"): doc_change is keyed by document, so that a change
-- rewrites the document's row in place with a new seq (an UPSERT) instead
-- of deleting it and inserting it again at the right end of the table
-- (a new rowid, pages freed on the left and zeroed on the right at every
-- round of ingest). Tombstones move to a table of their own, doc_tomb,
-- keyed by seq: the same item id can be removed more than once (item ids
-- of deleted rows are reused), so they cannot be keyed by document.
--
-- seq keeps its meaning: it grows with every write and every live row
-- and tombstone has its own; the writer takes max(seq) over both tables
-- + 1, + 2, ... (writers are serialized). A live row is only deleted by
-- a removal, in the transaction that writes its tombstone with a larger
-- seq, so the maximum never goes down and a seq is never handed out
-- twice: a reader's cursor stays exact.
--   doc_change: kind 0 an item's own document (day 0), 1 an account's
--               daily summary for rollup day `day`;
--   doc_tomb:   kind 2 a removed item, 3 a removed daily summary, with
--               the platform, type, ext id and role the item had.
CREATE TABLE doc_tomb (
    seq        INTEGER PRIMARY KEY,
    item_id    INTEGER NOT NULL,
    kind       INTEGER NOT NULL CHECK (kind IN (2, 3)),
    day        INTEGER NOT NULL,
    changed_at INTEGER NOT NULL,
    platform   TEXT,
    type       TEXT,
    ext_id     TEXT,
    role       TEXT
);
INSERT INTO doc_tomb(seq, item_id, kind, day, changed_at, platform, type,
                     ext_id, role)
    SELECT seq, item_id, kind, day, changed_at, platform, type, ext_id, role
      FROM doc_change WHERE kind >= 2 ORDER BY seq;

CREATE TABLE doc_live (
    item_id    INTEGER NOT NULL,
    kind       INTEGER NOT NULL CHECK (kind IN (0, 1)),
    day        INTEGER NOT NULL,
    seq        INTEGER NOT NULL,
    changed_at INTEGER NOT NULL,
    PRIMARY KEY (item_id, kind, day)
) WITHOUT ROWID;
INSERT INTO doc_live(item_id, kind, day, seq, changed_at)
    SELECT item_id, kind, day, seq, changed_at FROM doc_change
     WHERE kind < 2 ORDER BY item_id, kind, day;

DROP TABLE doc_change;
ALTER TABLE doc_live RENAME TO doc_change;
-- Paging walks seq order (the cursor): one index, a small entry that
-- moves at each change.
CREATE UNIQUE INDEX doc_change_seq ON doc_change(seq);
DELETE FROM sqlite_sequence WHERE name = 'doc_change';
