-- Dashboard logins. A user has a libsodium argon2id hash string (never the
-- password); a session row is keyed by the hex SHA-256 of the random token
-- the browser holds in its cookie (never the token itself), so a copy of
-- this file does not log anyone in. Expiry (idle and absolute) is decided
-- by the server from created_at and last_seen; expired rows are purged.

CREATE TABLE app_user (
    id         INTEGER PRIMARY KEY,
    name       TEXT    NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 64),
    pw_hash    TEXT    NOT NULL CHECK (pw_hash LIKE '$argon2%'),
    created_at INTEGER NOT NULL,
    disabled   INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1))
);

CREATE TABLE session (
    token_hash TEXT    PRIMARY KEY CHECK (length(token_hash) = 64),
    user_id    INTEGER NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
    csrf       TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    last_seen  INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX session_by_user ON session(user_id);
