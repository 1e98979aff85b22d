-- Per-item collection schedule (src/collect): new content is fetched
-- often, older content less (collect_next_due). One row per content item
-- the collector tracks, per platform and account (the credential's
-- account). kind is the Instagram media kind ("REELS/VIDEO") its
-- insights are asked with; '' elsewhere.
CREATE TABLE collect_item (
    platform     TEXT    NOT NULL CHECK (platform IN ('youtube', 'instagram', 'tiktok')),
    account      TEXT    NOT NULL,
    item_id      TEXT    NOT NULL,
    kind         TEXT    NOT NULL DEFAULT '',
    published_at INTEGER,            -- UTC seconds; NULL: unknown
    last_fetch   INTEGER,            -- UTC seconds; NULL: never
    next_due     INTEGER NOT NULL,   -- UTC seconds
    PRIMARY KEY (platform, account, item_id)
);
CREATE INDEX collect_item_due ON collect_item(platform, account, next_due);

-- The highest Graph API usage percentage (X-App-Usage,
-- X-Business-Use-Case-Usage) an Instagram account's last round saw, for
-- the Sources page.
CREATE TABLE api_usage (
    platform    TEXT    NOT NULL CHECK (platform IN ('youtube', 'instagram', 'tiktok')),
    account     TEXT    NOT NULL,
    pct         INTEGER NOT NULL CHECK (pct >= 0),
    observed_at INTEGER NOT NULL,
    PRIMARY KEY (platform, account)
);

-- Instagram insight metrics Graph refused (error 100) for a media kind of
-- an account: not asked again until the entry is older than the
-- collector's memory (7 days), so a metric that comes back is noticed.
CREATE TABLE ig_dropped_metric (
    account    TEXT    NOT NULL,
    kind       TEXT    NOT NULL,
    metric     TEXT    NOT NULL,
    dropped_at INTEGER NOT NULL,
    PRIMARY KEY (account, kind, metric)
);
