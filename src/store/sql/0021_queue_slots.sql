-- Queue slots (issue 14): per account, weekly posting times as local wall
-- times in an IANA zone ("Tue 17:00 Europe/Berlin"). Stored as wall
-- times, not instants, so that a slot stays at 17:00 on the wall clock
-- across DST changes; "Add to queue" turns them into instants when it
-- runs (schedule/slots.c) and takes the first one no post of the account
-- occupies.
CREATE TABLE queue_slot (
    id         INTEGER PRIMARY KEY,
    platform   TEXT    NOT NULL CHECK (platform IN ('youtube', 'instagram', 'tiktok', 'dryrun')),
    account    TEXT    NOT NULL,          -- the account's ext id, as in post
    weekday    INTEGER NOT NULL CHECK (weekday BETWEEN 0 AND 6), -- 0 = Sunday
    minute     INTEGER NOT NULL CHECK (minute BETWEEN 0 AND 1439), -- of the local day
    zone       TEXT    NOT NULL,          -- IANA zone of the wall time
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (platform, account, weekday, minute, zone)
);
