-- Speed of ingest on PostgreSQL (issue 17, bench/README.md "2026-12-07
-- (session 14)"): every ingest round writes today's item_day rows over
-- the old ones in place when they changed (pg_rollup.c pg_ru_put_many)
-- and each item's latest values over the stored ones (pg_ingest.c), the
-- key columns untouched. PostgreSQL can then keep the new version on the
-- same page without new index entries (a HOT update) when the page has
-- room: new pages of item_day keep 15% free for that, those of
-- item_latest (a row per item and metric, each rewritten every round)
-- 30%. Pages written before this migration fill up as they were.
ALTER TABLE item_day SET (fillfactor = 85);
ALTER TABLE item_latest SET (fillfactor = 70);
