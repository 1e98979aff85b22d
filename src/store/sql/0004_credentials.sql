-- OAuth credentials per platform and account. Tokens are sealed by
-- core/secret ("v1:" + base64 of nonce and secretbox) before they reach
-- the store: nothing here is a token in plain text.
CREATE TABLE credential (
    platform      TEXT    NOT NULL CHECK (platform IN ('youtube', 'instagram', 'tiktok')),
    account       TEXT    NOT NULL,
    access_token  TEXT,             -- sealed
    refresh_token TEXT,             -- sealed; Meta has none
    expires_at    INTEGER,          -- UTC seconds; NULL: unknown
    scopes        TEXT    NOT NULL DEFAULT '',
    status        TEXT    NOT NULL DEFAULT 'ok'
                          CHECK (status IN ('ok', 'needs_relogin')),
    last_error    TEXT,
    updated_at    INTEGER NOT NULL,
    PRIMARY KEY (platform, account)
);

-- Pending authorization requests: the random state sent to the consent
-- page, bound to its PKCE verifier (sealed), single use, short-lived.
CREATE TABLE oauth_state (
    state      TEXT    PRIMARY KEY,
    platform   TEXT    NOT NULL CHECK (platform IN ('youtube', 'instagram', 'tiktok')),
    account    TEXT,
    verifier   TEXT    NOT NULL,    -- sealed
    expires_at INTEGER NOT NULL
);
