-- A content item the platform no longer returns when the collector asks
-- for it by id (deleted, made private, taken down): removed_last_seen is
-- the time of its last snapshot; NULL while the platform returns it (the
-- collector clears it when the item comes back). Its snapshots stay.
ALTER TABLE item ADD COLUMN removed_last_seen INTEGER;
