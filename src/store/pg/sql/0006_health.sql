-- Health data on PostgreSQL (SQLite migrations 0027 and 0032;
-- pg_health.c): the same tables, columns and keys, so that a re-import
-- replaces what it replaces on SQLite and every answer is the same.
-- Personal data kept apart from the social tables: nothing here is an
-- item, a snapshot or a value; `mediadash health remove` deletes every
-- row of these tables in one transaction.
--
-- A daily document (and a daily SpO2) is one row per (kind, day), the
-- newest answer; sleep periods, workouts and sessions one row per Oura
-- document id; heart rate samples one row per (instant, source).
CREATE TABLE health_daily (
    kind            text   NOT NULL CHECK (kind IN ('daily_sleep',
                           'daily_readiness', 'daily_activity')),
    day             text   NOT NULL CHECK (length(day) = 10),
    doc_id          text   NOT NULL,
    score           bigint CHECK (score BETWEEN 0 AND 100),
    steps           bigint,            -- activity: steps, kcal, seconds
    active_calories bigint,
    total_calories  bigint,
    high_s          bigint,
    medium_s        bigint,
    low_s           bigint,
    sedentary_s     bigint,
    temp_dev        double precision,  -- readiness: degrees Celsius
    temp_trend_dev  double precision,
    fetched_at      bigint NOT NULL,   -- UTC s of the import or fetch
    PRIMARY KEY (kind, day)
);

-- The contributors of a daily score (0..100 each), by the Oura name.
CREATE TABLE health_contrib (
    kind  text   NOT NULL,
    day   text   NOT NULL,
    name  text   NOT NULL,
    value bigint NOT NULL CHECK (value BETWEEN 0 AND 100),
    PRIMARY KEY (kind, day, name)
);

CREATE TABLE health_sleep (
    id             text   PRIMARY KEY,
    day            text   NOT NULL CHECK (length(day) = 10),
    type           text,               -- long_sleep, late_nap, ...
    start_at       bigint NOT NULL,    -- bedtime, UTC s
    end_at         bigint NOT NULL,
    total_s        bigint,
    in_bed_s       bigint NOT NULL,
    deep_s         bigint,
    rem_s          bigint,
    light_s        bigint,
    awake_s        bigint,
    latency_s      bigint,
    efficiency     bigint,
    lowest_hr      bigint,
    average_hrv    bigint,
    restless       bigint,
    average_hr     double precision,
    average_breath double precision,
    fetched_at     bigint NOT NULL
);
CREATE INDEX health_sleep_by_day ON health_sleep(day COLLATE "C");

CREATE TABLE health_hr (
    ts     bigint NOT NULL,            -- UTC s
    source text   NOT NULL,            -- awake, rest, sleep, ...
    bpm    bigint NOT NULL CHECK (bpm BETWEEN 1 AND 300),
    PRIMARY KEY (ts, source)
);

CREATE TABLE health_workout (
    id         text   PRIMARY KEY,
    day        text   NOT NULL CHECK (length(day) = 10),
    activity   text   NOT NULL,
    intensity  text   NOT NULL,
    source     text   NOT NULL,
    label      text,
    start_at   bigint NOT NULL,
    end_at     bigint NOT NULL,
    calories   double precision,
    distance   double precision,
    fetched_at bigint NOT NULL
);
CREATE INDEX health_workout_by_day ON health_workout(day COLLATE "C");

-- Sessions ("moments": meditation, breathing, rest, ...) and the night's
-- SpO2 (SQLite migration 0032).
CREATE TABLE health_session (
    id         text   PRIMARY KEY,
    day        text   NOT NULL CHECK (length(day) = 10),
    type       text   NOT NULL,        -- breathing, meditation, ...
    mood       text,                   -- bad .. great, or NULL
    start_at   bigint NOT NULL,        -- UTC s
    end_at     bigint NOT NULL CHECK (end_at >= start_at),
    fetched_at bigint NOT NULL
);
CREATE INDEX health_session_by_day ON health_session(day COLLATE "C");

CREATE TABLE health_spo2 (
    day        text   PRIMARY KEY CHECK (length(day) = 10),
    doc_id     text   NOT NULL,
    average    double precision CHECK (average BETWEEN 0 AND 100), -- percent
    bdi        bigint CHECK (bdi BETWEEN 0 AND 100), -- breathing disturbance
    fetched_at bigint NOT NULL
);

-- The collector's memory of metrics a platform refused for a media kind
-- of an account (SQLite migration 0033; pg_health.c's dropped_metric
-- functions): not asked for again until the entry is older than the
-- descriptor's memory.
CREATE TABLE dropped_metric (
    platform   text   NOT NULL,
    account    text   NOT NULL,
    kind       text   NOT NULL,
    metric     text   NOT NULL,
    dropped_at bigint NOT NULL,
    PRIMARY KEY (platform, account, kind, metric)
);
