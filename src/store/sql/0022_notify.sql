-- Notifications (src/notify, issue 14): a durable outbox. A row is one
-- event (a post published, failed or missed, an account that needs a
-- login again, a spike on an owned item, a collector failing for a day),
-- written in the same transaction as what caused it where there is one
-- (a post's change of state). Each channel (webhook, mail) has its own
-- delivery state on the row; the delivery loops in serve and worker claim
-- due rows with a lease (next_at moved ahead), send, and record each
-- attempt in notify_delivery. A channel that is not configured when a row
-- comes due marks it 'off'.
CREATE TABLE notify_outbox (
    id            INTEGER PRIMARY KEY,
    kind          TEXT    NOT NULL,       -- post.published, post.failed, ...
    dedup_key     TEXT    UNIQUE,         -- NULL: never a duplicate
    created_at    INTEGER NOT NULL,       -- UTC s
    post_id       INTEGER,                -- the post, for post.* kinds
    platform      TEXT,
    account       TEXT,
    item          TEXT,                   -- a content item's ext id
    title         TEXT,                   -- what the event is about
    detail        TEXT,                   -- why (an error, a figure)
    test          INTEGER NOT NULL DEFAULT 0, -- from `mediadash notify test`
    wh_state      TEXT    NOT NULL DEFAULT 'pending'
                  CHECK (wh_state IN ('pending', 'sent', 'failed', 'off')),
    wh_attempts   INTEGER NOT NULL DEFAULT 0,
    wh_next_at    INTEGER NOT NULL,
    mail_state    TEXT    NOT NULL DEFAULT 'pending'
                  CHECK (mail_state IN ('pending', 'sent', 'failed', 'off')),
    mail_attempts INTEGER NOT NULL DEFAULT 0,
    mail_next_at  INTEGER NOT NULL
);
CREATE INDEX notify_outbox_wh ON notify_outbox(wh_state, wh_next_at);
CREATE INDEX notify_outbox_mail ON notify_outbox(mail_state, mail_next_at);

-- The delivery log: one row per attempt on one channel.
CREATE TABLE notify_delivery (
    id         INTEGER PRIMARY KEY,
    outbox_id  INTEGER NOT NULL REFERENCES notify_outbox(id) ON DELETE CASCADE,
    channel    TEXT    NOT NULL CHECK (channel IN ('webhook', 'mail')),
    at         INTEGER NOT NULL,
    attempt    INTEGER NOT NULL,
    ok         INTEGER NOT NULL,
    status     INTEGER NOT NULL DEFAULT 0, -- HTTP status or SMTP reply code
    detail     TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX notify_delivery_outbox ON notify_delivery(outbox_id, id);

-- Conditions that last (an account needing a login, a collector job
-- failing): when the sweep first saw each, so an event is written once
-- when it begins (or has lasted a day), not on every sweep.
CREATE TABLE notify_watch (
    key        TEXT    PRIMARY KEY,
    first_seen INTEGER NOT NULL,
    seen_at    INTEGER NOT NULL,          -- the last sweep that saw it
    notified   INTEGER NOT NULL DEFAULT 0
);
