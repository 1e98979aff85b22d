-- Speed (issue 17, bench/README.md "Publishing on PostgreSQL"): a claim
-- (pg_post_claim.c) takes the earliest due posts in (publish_at, id)
-- order, LIMIT a batch, FOR UPDATE SKIP LOCKED. post_due (migration
-- 0004) ends at publish_at, so when many posts are due at the same time
-- (a bulk schedule, the 100,000-post run) the planner read every due
-- post and sorted them all for each batch of 20: 108 ms a claim with
-- 8,500 due, growing with their number. With id in the index the scan
-- comes out in the claim's order and stops at the batch. The old index
-- is a prefix of the new one, so its other readers (lists by state and
-- time) keep their plans.
CREATE INDEX post_due_id ON post(state, publish_at, id);
DROP INDEX post_due;
