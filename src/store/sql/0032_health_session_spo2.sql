-- Oura sessions and daily SpO2 (issue 16): two more health tables, apart
-- from the social ones like migration 0027's, deleted by `mediadash
-- health remove` with the rest. Append-only: nothing of 0027 changes.
--
-- A session ("moment": meditation, breathing, rest, ...) is one row per
-- Oura document id, replaced by the newest answer. daily_spo2 is one row
-- per day, like the daily scores: Oura has one document per day and
-- revises it as the ring syncs.
CREATE TABLE health_session (
    id         TEXT    PRIMARY KEY,
    day        TEXT    NOT NULL CHECK (length(day) = 10),
    type       TEXT    NOT NULL,        -- breathing, meditation, ...
    mood       TEXT,                    -- bad .. great, or NULL
    start_at   INTEGER NOT NULL,        -- UTC s
    end_at     INTEGER NOT NULL CHECK (end_at >= start_at),
    fetched_at INTEGER NOT NULL
);
CREATE INDEX health_session_by_day ON health_session(day);

CREATE TABLE health_spo2 (
    day        TEXT    PRIMARY KEY CHECK (length(day) = 10),
    doc_id     TEXT    NOT NULL,
    average    REAL    CHECK (average BETWEEN 0 AND 100), -- percent
    bdi        INTEGER CHECK (bdi BETWEEN 0 AND 100),     -- breathing
    fetched_at INTEGER NOT NULL                           -- disturbance
) WITHOUT ROWID;
