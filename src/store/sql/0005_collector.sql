-- Live collection state (src/collect): one row per platform, account
-- (the credential's account) and job kind ('account': totals, 'content':
-- the content list and its metrics). last_error is a message for people
-- and never holds a token.
CREATE TABLE collect_job (
    platform     TEXT    NOT NULL CHECK (platform IN ('youtube', 'instagram', 'tiktok')),
    account      TEXT    NOT NULL,
    kind         TEXT    NOT NULL CHECK (kind IN ('account', 'content')),
    last_fetch   INTEGER,            -- UTC seconds of the last attempt; NULL: never
    next_due     INTEGER NOT NULL,   -- UTC seconds
    failures     INTEGER NOT NULL DEFAULT 0 CHECK (failures >= 0),
    last_status  TEXT    NOT NULL DEFAULT 'ok'
                         CHECK (last_status IN ('ok', 'rate_limited',
                                'quota_exceeded', 'auth_needed', 'failed')),
    last_error   TEXT,
    PRIMARY KEY (platform, account, kind)
);

-- YouTube Data API quota units used per Pacific day: day_start is the
-- UTC instant midnight America/Los_Angeles began that day. A 403
-- quotaExceeded raises units to the limit, so no call is made until the
-- next day starts.
CREATE TABLE quota_ledger (
    platform  TEXT    NOT NULL CHECK (platform IN ('youtube', 'instagram', 'tiktok')),
    day_start INTEGER NOT NULL,
    units     INTEGER NOT NULL DEFAULT 0 CHECK (units >= 0),
    PRIMARY KEY (platform, day_start)
);
