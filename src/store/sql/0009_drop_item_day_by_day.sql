-- item_day is read by primary-key ranges only (per item, metric and
-- days): no query uses the (metric, day) index (bench_queries at 10.4M
-- snapshots ran as fast or faster without it), and it cost an index
-- write per new day row.
DROP INDEX IF EXISTS item_day_by_day;
