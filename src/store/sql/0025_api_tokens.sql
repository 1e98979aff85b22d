-- API tokens for scripts and pipelines (issue 15): sent as
-- "Authorization: Bearer mdt_...". Like a session, a row is keyed by the
-- hex SHA-256 of the token's 32 random bytes, never the token itself, so a
-- copy of this file lets no one in. scope 'read' allows GET and HEAD;
-- 'write' everything but managing users and tokens. expires_at NULL:
-- never; last_used_at is written at most once a minute per token (coarse
-- on purpose: no write per request); revoked_at NULL: live. A name is
-- unique among live tokens (neither revoked nor expired): checked by the
-- store in the transaction that adds one, since "expired" depends on the
-- clock and an index cannot say it.
CREATE TABLE api_token (
    id           INTEGER PRIMARY KEY,
    name         TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
    token_hash   TEXT    NOT NULL UNIQUE CHECK (length(token_hash) = 64),
    scope        TEXT    NOT NULL CHECK (scope IN ('read', 'write')),
    created_at   INTEGER NOT NULL,
    created_by   TEXT    NOT NULL DEFAULT '',   -- a user name, or "cli"
    expires_at   INTEGER,
    last_used_at INTEGER,
    revoked_at   INTEGER
);
CREATE INDEX api_token_by_name ON api_token(name, revoked_at);
