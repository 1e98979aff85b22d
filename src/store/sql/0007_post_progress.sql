-- A publisher's resume state for a post in flight (DESIGN.md "exactly
-- once"): the YouTube resumable session URI, the Instagram container id,
-- the TikTok publish_id. Written (and committed) before the step that
-- depends on it, so that after a crash recovery can ask the platform
-- about exactly that upload instead of publishing again. JSON object.
ALTER TABLE post ADD COLUMN progress TEXT;
