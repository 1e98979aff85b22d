-- Health data (Oura API v2, issue 16): personal data kept apart from the
-- social tables. Nothing here is an item, a snapshot or a value, so no
-- social view, total, rollup or export ever reads it; `mediadash health
-- remove` deletes every row of these tables in one transaction.
--
-- Re-imports never duplicate. A daily document is one row per (kind,
-- day), replaced by the newest answer: Oura has one daily_sleep,
-- daily_readiness and daily_activity document per day and revises it as
-- the ring syncs, so the latest answer is the day's value. Sleep periods
-- and workouts are one row per Oura document id, replaced likewise (a
-- nap is a period of its own, with its own id). Heart rate samples are
-- one row per (instant, source).
CREATE TABLE health_daily (
    kind            TEXT    NOT NULL CHECK (kind IN ('daily_sleep',
                            'daily_readiness', 'daily_activity')),
    day             TEXT    NOT NULL CHECK (length(day) = 10),
    doc_id          TEXT    NOT NULL,
    score           INTEGER CHECK (score BETWEEN 0 AND 100),
    steps           INTEGER,            -- activity: steps, kcal, seconds
    active_calories INTEGER,
    total_calories  INTEGER,
    high_s          INTEGER,
    medium_s        INTEGER,
    low_s           INTEGER,
    sedentary_s     INTEGER,
    temp_dev        REAL,               -- readiness: degrees Celsius
    temp_trend_dev  REAL,
    fetched_at      INTEGER NOT NULL,   -- UTC s of the import or fetch
    PRIMARY KEY (kind, day)
) WITHOUT ROWID;

-- The contributors of a daily score (1..100 each), by the Oura name.
CREATE TABLE health_contrib (
    kind  TEXT    NOT NULL,
    day   TEXT    NOT NULL,
    name  TEXT    NOT NULL,
    value INTEGER NOT NULL CHECK (value BETWEEN 0 AND 100),
    PRIMARY KEY (kind, day, name)
) WITHOUT ROWID;

CREATE TABLE health_sleep (
    id             TEXT    PRIMARY KEY,
    day            TEXT    NOT NULL CHECK (length(day) = 10),
    type           TEXT,                -- long_sleep, late_nap, ...
    start_at       INTEGER NOT NULL,    -- bedtime, UTC s
    end_at         INTEGER NOT NULL,
    total_s        INTEGER,
    in_bed_s       INTEGER NOT NULL,
    deep_s         INTEGER,
    rem_s          INTEGER,
    light_s        INTEGER,
    awake_s        INTEGER,
    latency_s      INTEGER,
    efficiency     INTEGER,
    lowest_hr      INTEGER,
    average_hrv    INTEGER,
    restless       INTEGER,
    average_hr     REAL,
    average_breath REAL,
    fetched_at     INTEGER NOT NULL
);
CREATE INDEX health_sleep_by_day ON health_sleep(day);

CREATE TABLE health_hr (
    ts     INTEGER NOT NULL,            -- UTC s
    source TEXT    NOT NULL,            -- awake, rest, sleep, ...
    bpm    INTEGER NOT NULL CHECK (bpm BETWEEN 1 AND 300),
    PRIMARY KEY (ts, source)
) WITHOUT ROWID;

CREATE TABLE health_workout (
    id         TEXT    PRIMARY KEY,
    day        TEXT    NOT NULL CHECK (length(day) = 10),
    activity   TEXT    NOT NULL,
    intensity  TEXT    NOT NULL,
    source     TEXT    NOT NULL,
    label      TEXT,
    start_at   INTEGER NOT NULL,
    end_at     INTEGER NOT NULL,
    calories   REAL,
    distance   REAL,
    fetched_at INTEGER NOT NULL
);
CREATE INDEX health_workout_by_day ON health_workout(day);
