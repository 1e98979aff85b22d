-- Why a failed post failed (issue 14, "states a person understands"):
-- 'missed' when a worker first saw it more than the grace window after
-- it was due and made no platform call; 'platform' when the platform
-- refused it or the retries ran out. NULL in every other state (a retry
-- or a cancel clears it). A column rather than a new state: the state
-- CHECK cannot take a new value without rebuilding the table.
ALTER TABLE post ADD COLUMN failure TEXT
    CHECK (failure IS NULL OR failure IN ('missed', 'platform'));
