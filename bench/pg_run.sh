#!/usr/bin/env bash
# `make bench-pg` (bench/README.md, "Ingest on PostgreSQL"): a throwaway
# cluster (tests/pg/pgcluster.sh: Unix socket, fsync off) under
# BUILD/bench-pg, two empty databases per size, bench_ingest_pg on them,
# the load average before each run; the cluster is stopped at the end,
# also on a failure.
# usage: bench/pg_run.sh BUILD ITEMSxHOURS...
set -euo pipefail
build=$1
shift
dir=$build/bench-pg
cl=$(dirname "$0")/../tests/pg/pgcluster.sh
bash "$cl" stop "$dir" >/dev/null 2>&1 || true
bash "$cl" start "$dir" >/dev/null
trap 'bash "$cl" stop "$dir" >/dev/null 2>&1 || true' EXIT
for size in "$@"; do
  store=$(bash "$cl" newdb "$dir" bench_store)
  plain=$(bash "$cl" newdb "$dir" bench_plain)
  echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
  "$build/bench_ingest_pg" "${size%x*}" "${size#*x}" "$store" "$plain"
done
