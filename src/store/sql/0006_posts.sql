-- The content scheduler's posts (DESIGN.md: "a stored post moves through
-- explicit states ... every transition is one transaction"). Every change
-- of state also appends a post_event row, in the same transaction.
CREATE TABLE post (
    id            INTEGER PRIMARY KEY,
    platform      TEXT    NOT NULL CHECK (platform IN ('youtube', 'instagram', 'tiktok', 'dryrun')),
    account       TEXT    NOT NULL,          -- the account's ext id
    title         TEXT    NOT NULL,
    caption       TEXT    NOT NULL DEFAULT '',
    tags          TEXT    NOT NULL DEFAULT '[]',   -- JSON array of strings
    privacy       TEXT    NOT NULL DEFAULT 'private'
                          CHECK (privacy IN ('private', 'unlisted', 'public')),
    media         TEXT    NOT NULL DEFAULT '[]',   -- JSON [{path, sha256, bytes, content_type}]
    publish_at    INTEGER NOT NULL,          -- UTC seconds
    zone          TEXT    NOT NULL,          -- IANA zone it was chosen in
    local_time    TEXT    NOT NULL,          -- wall time as entered
    state         TEXT    NOT NULL CHECK (state IN ('draft', 'scheduled',
                          'claimed', 'publishing', 'published', 'failed',
                          'needs_check', 'needs_relogin', 'cancelled')),
    attempts      INTEGER NOT NULL DEFAULT 0,
    claimed_by    TEXT,                      -- worker id
    claimed_until INTEGER,                   -- lease expiry, UTC seconds
    remote_id     TEXT,
    remote_url    TEXT,
    last_error    TEXT,                      -- the platform's text
    idem_key      TEXT    UNIQUE,            -- API Idempotency-Key
    body_hash     TEXT,                      -- SHA-256 of that request body
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);
CREATE INDEX post_due ON post(state, publish_at);

CREATE TABLE post_event (
    id         INTEGER PRIMARY KEY,
    post_id    INTEGER NOT NULL REFERENCES post(id),
    at         INTEGER NOT NULL,
    from_state TEXT,                         -- NULL when created
    to_state   TEXT    NOT NULL,
    note       TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX post_event_post ON post_event(post_id, id);
