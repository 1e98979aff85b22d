-- Editing a post that has not gone out yet (issue 14 "Edit and
-- reschedule"): optimistic concurrency and a change history.
--
-- post.version counts the changes made to a post row. An edit names the
-- version it was made on and is one UPDATE guarded by that version AND by
-- the state (draft or scheduled): a stale edit, or one racing a worker's
-- claim, changes nothing. The trigger bumps the version on every other
-- update (a claim, a transition, a retry, progress), so a version seen
-- before any of them is stale after it; an edit sets version itself and
-- is not counted twice (recursive triggers are off in SQLite by default,
-- and the WHEN clause holds only when the UPDATE left version alone).
ALTER TABLE post ADD COLUMN version INTEGER NOT NULL DEFAULT 1;

CREATE TRIGGER post_version_bump AFTER UPDATE ON post
WHEN NEW.version = OLD.version
BEGIN
    UPDATE post SET version = OLD.version + 1 WHERE id = NEW.id;
END;

-- One row per edit: which version it made, who made it (a user name, or
-- "command line"), and what changed: a JSON array of
-- {"field": NAME, "from": OLD, "to": NEW} (strings, arrays or null).
CREATE TABLE post_edit (
    id       INTEGER PRIMARY KEY,
    post_id  INTEGER NOT NULL REFERENCES post(id),
    at       INTEGER NOT NULL,
    version  INTEGER NOT NULL,
    by       TEXT    NOT NULL DEFAULT '',
    changes  TEXT    NOT NULL DEFAULT '[]'
);
CREATE INDEX post_edit_post ON post_edit(post_id, id);
