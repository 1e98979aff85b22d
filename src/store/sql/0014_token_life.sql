-- Token lives (src/net/oauth.c renewal rules, issue 12): when the access
-- token was issued (Meta's long-lived tokens can be renewed only once old
-- enough), when the refresh token itself ends (TikTok: a year; Google
-- apps in testing status: 7 days), and why the last renewal of a still
-- valid token failed (shown on the Sources page and the banner).
ALTER TABLE credential ADD COLUMN issued_at INTEGER;          -- UTC s; NULL: unknown
ALTER TABLE credential ADD COLUMN refresh_expires_at INTEGER; -- UTC s; NULL: none known
ALTER TABLE credential ADD COLUMN renew_error TEXT;           -- NULL: none
