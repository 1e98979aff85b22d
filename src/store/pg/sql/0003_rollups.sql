-- The rollups on PostgreSQL (docs/postgresql.md "Rollups on PostgreSQL"):
-- each item's publication day in the rollup zone, kept by ingest and by
-- a rebuild (pg_rollup.c), so that the first-week and age reads need no
-- zone arithmetic in SQL. NULL when published_at is.
ALTER TABLE item ADD COLUMN pub_day integer;

-- The account reads walk an account's content (account_compare,
-- account_day_get) and the per-day reads one metric's days.
CREATE INDEX item_by_type_role ON item(type, role, id);
