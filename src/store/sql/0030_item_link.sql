-- Links between content items that a platform states (issue 16): a
-- Twitch VOD's stream (rel 'vod_of', from the video's stream_id) and a
-- clip's VOD (rel 'clip_of', from video_id, with vod_offset). Keyed by
-- the platform's ids, not item rows, so a link may name an item that is
-- not stored (yet): a VOD seen before its stream's page. Written at
-- ingest in the batch's transaction; read by store_item_links.
CREATE TABLE item_link (
    platform   TEXT    NOT NULL,
    from_ext   TEXT    NOT NULL,
    rel        TEXT    NOT NULL CHECK (length(rel) BETWEEN 1 AND 15),
    to_ext     TEXT    NOT NULL,
    offset_s   INTEGER,          -- where from_ext starts in to_ext, or NULL
    first_seen INTEGER NOT NULL,
    PRIMARY KEY (platform, from_ext, rel, to_ext)
) WITHOUT ROWID;
CREATE INDEX item_link_to ON item_link (platform, to_ext);
