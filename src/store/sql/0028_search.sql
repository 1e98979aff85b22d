-- Full-text search over content items (issue 18; docs/search.md).
--
-- item.tags: the item's tags, space-separated, for the index's tags
-- column (NULL when the platform gave none; hashtags in a caption are
-- words of the description already).
--
-- Two FTS5 indexes over (title, tags, description) of every content item;
-- the row id is item.id:
--   item_fts      unicode61, diacritics folded (cafe finds Café): words;
--   item_fts_tri  trigram: substrings of 3+ characters, for scripts
--                 written without spaces (Japanese, Chinese), where
--                 unicode61 sees a whole sentence as one word.
-- They keep their own copy of the text (not content='item'), so that a
-- row can be replaced by its id alone. Ingest and the removal of imports
-- and accounts keep them current in the transaction that writes the item
-- (store_sqlite_search.c). Not triggers: the store runs with
-- trusted_schema = OFF, under which SQLite refuses virtual tables in
-- triggers (even TEMP ones, as of 3.40). Accounts are not indexed.
ALTER TABLE item ADD COLUMN tags TEXT;

-- prefix = '2 3': prefix indexes for 2 and 3 characters, so that a short
-- prefix query (sp*) reads one list instead of merging every word it
-- starts (bench_search: 15 -> 9.5 ms of CPU for sp* over 10k items).
CREATE VIRTUAL TABLE item_fts USING fts5(title, tags, description,
    tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3');
CREATE VIRTUAL TABLE item_fts_tri USING fts5(title, tags, description,
    tokenize = 'trigram');

INSERT INTO item_fts(rowid, title, tags, description)
    SELECT id, title, tags, description FROM item WHERE type = 'content';
INSERT INTO item_fts_tri(rowid, title, tags, description)
    SELECT id, title, tags, description FROM item WHERE type = 'content';
