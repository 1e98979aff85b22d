-- Connections finished off the request thread (issue 13): the dashboard's
-- /oauth/callback checks the state and queues the code here; serve's
-- OAuth loop exchanges it (once: one row per state, and a row never goes
-- back to queued) and records the result, which GET /api/v1/sources shows
-- while the Sources page polls it. The code is sealed (core/secret) and
-- cleared once the exchange has run. Rows are kept for a day.
CREATE TABLE oauth_pending (
    id          INTEGER PRIMARY KEY,
    state       TEXT    NOT NULL UNIQUE,
    code        TEXT,                -- sealed; NULL once used
    platform    TEXT    NOT NULL CHECK (platform IN ('youtube', 'instagram', 'tiktok')),
    account     TEXT,                -- as chosen, then as connected
    status      TEXT    NOT NULL DEFAULT 'queued'
                CHECK (status IN ('queued', 'running', 'ok', 'error')),
    message     TEXT,                -- the error shown, when status is error
    created_at  INTEGER NOT NULL,    -- UTC s
    finished_at INTEGER              -- UTC s; NULL until ok or error
);
