-- Token lives (src/net/oauth.c renewal rules, issue 12): when the access
-- token was issued (Meta's long-lived tokens can be renewed only once old
-- enough), when the refresh token itself ends (TikTok: a year; Google
-- apps in testing status: 7 days), and why the last renewal of a still
-- valid token failed (shown on the Sources page and the banner). An
-- Instagram connection's login is 'facebook' (Facebook Login, graph.
-- facebook.com) or 'instagram' (Instagram Login, graph.instagram.com);
-- '' elsewhere, and for connections made before this.
ALTER TABLE credential ADD COLUMN issued_at INTEGER;          -- UTC s; NULL: unknown
ALTER TABLE credential ADD COLUMN refresh_expires_at INTEGER; -- UTC s; NULL: none known
ALTER TABLE credential ADD COLUMN renew_error TEXT;           -- NULL: none
ALTER TABLE credential ADD COLUMN login TEXT NOT NULL DEFAULT ''
    CHECK (login IN ('', 'facebook', 'instagram'));
ALTER TABLE oauth_state ADD COLUMN login TEXT NOT NULL DEFAULT ''
    CHECK (login IN ('', 'facebook', 'instagram'));
