-- The media library (issue 14): one row per file uploaded to the media
-- root (named <sha256>.<ext> there), with what libavformat read from it
-- at upload and the path of its thumbnail. Which posts use a file is not
-- stored twice: a post's media JSON names its files by sha256.
CREATE TABLE media (
    sha256       TEXT    PRIMARY KEY CHECK (length(sha256) = 64),
    path         TEXT    NOT NULL,
    name         TEXT    NOT NULL,     -- the name it was last uploaded as
    bytes        INTEGER NOT NULL CHECK (bytes >= 0),
    content_type TEXT    NOT NULL,
    container    TEXT,                 -- libavformat's demuxer name
    video_codec  TEXT,
    audio_codec  TEXT,
    duration_ms  INTEGER,              -- NULL: a still image, or unknown
    width        INTEGER NOT NULL CHECK (width > 0),
    height       INTEGER NOT NULL CHECK (height > 0),
    thumb        TEXT,                 -- JPEG beside the media, or NULL
    uploaded_at  INTEGER NOT NULL      -- UTC s, of the last upload
);
CREATE INDEX media_by_uploaded ON media(uploaded_at);
