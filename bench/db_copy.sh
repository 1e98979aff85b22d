#!/usr/bin/env bash
# `mediadash db copy` at scale (issue 17's target; bench/README.md "db
# copy"): a generated demo database (mediadash demo --items ITEMS --days
# DAYS, or an existing SQLite file) copied SQLite -> PostgreSQL -> SQLite
# on a throwaway cluster (tests/pg/pgcluster.sh, fsync off); prints the
# time and rate of each direction, and checks that `export snapshots` and
# `report --json` of the original and the round trip are byte-identical
# (each copy also checks its own row counts and export checksum).
#
#   bench/db_copy.sh [ITEMS [DAYS]]         (120 365: about 0.7M snapshots)
#   bench/db_copy.sh --db FILE              an existing SQLite database
#   bench/db_copy.sh 2100 365               the 10M demo (about 10M
#                                           snapshots; an hour or more)
#   MEDIADASH_BIN=build-rel/mediadash bench/db_copy.sh
#
# Needs postgresql-15 (tools/install-deps.sh); as root the server runs as
# the system user mediadash-pgtest, as in the tests.
set -euo pipefail

SRC=${MEDIADASH_SRC:-$(cd "$(dirname "$0")/.." && pwd)}
BIN=${MEDIADASH_BIN:-$SRC/build/mediadash}
WORK=$(mktemp -d /tmp/mediadash-bench-dbcopy-XXXXXX)
CLUSTER="bash $SRC/tests/pg/pgcluster.sh"
END=2026-11-30T00:00:00Z
cleanup() {
  $CLUSTER stop "$WORK/pg" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

if [ "${1:-}" = "--db" ]; then
  DB=${2:?--db FILE}
  echo "source: $DB"
else
  ITEMS=${1:-120}
  DAYS=${2:-365}
  DB="$WORK/src.db"
  t0=$(date +%s.%N)
  "$BIN" --db "$DB" -q demo --items "$ITEMS" --days "$DAYS" --end "$END"
  printf 'source: demo --items %s --days %s, made in %.1f s\n' "$ITEMS" "$DAYS" \
    "$(echo "$(date +%s.%N) - $t0" | bc)"
fi
rows() { sqlite3 "$1" "SELECT (SELECT count(*) FROM snapshot) || ' snapshots, ' || (SELECT count(*) FROM snapshot_value) || ' values, ' || (SELECT count(*) FROM item) || ' items'"; }
echo "  $(rows "$DB"), $(du -h "$DB" | cut -f1)"
echo "  load: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"

$CLUSTER start "$WORK/pg" >/dev/null
PG=$($CLUSTER newdb "$WORK/pg" dbcopy)

# copy FROM TO LABEL: one direction, its figures
copy() {
  local t0 t1
  t0=$(date +%s.%N)
  MEDIADASH_TEST_NOW=1795996800 "$BIN" -q db copy --from "$1" --to "$2" --batch 20000 >"$WORK/copy.out"
  t1=$(date +%s.%N)
  printf '%-22s %s (whole command %.1f s with the checks)\n' "$3:" \
    "$(sed -n 's/^copied //p' "$WORK/copy.out")" "$(echo "$t1 - $t0" | bc)"
  grep -q 'row counts equal' "$WORK/copy.out"
  [ "$(grep BLAKE2b "$WORK/copy.out" | awk '{print $NF}' | sort -u | wc -l)" = 1 ]
}
copy "$DB" "$PG" "SQLite -> PostgreSQL"
copy "$PG" "$WORK/back.db" "PostgreSQL -> SQLite"

md() { MEDIADASH_TEST_NOW=1795996800 "$BIN" --db "$1" "${@:2}"; }
md "$DB" export snapshots >"$WORK/a.csv"
md "$WORK/back.db" export snapshots >"$WORK/b.csv"
md "$DB" report --json >"$WORK/a.json"
md "$WORK/back.db" report --json >"$WORK/b.json"
cmp -s "$WORK/a.csv" "$WORK/b.csv" && cmp -s "$WORK/a.json" "$WORK/b.json" || {
  echo "FAIL: the round trip differs" >&2; exit 1; }
echo "round trip: export snapshots ($(wc -l <"$WORK/a.csv") lines) and report --json byte-identical"

# The rollups were copied as rows; recomputing them instead (what a copy
# through each destination's ingest would pay at least) for comparison,
# and the report must not change: the copied rows are the recomputed ones.
for db in "$PG" "$WORK/back.db"; do
  t0=$(date +%s.%N)
  md "$db" -q rollup --rebuild >/dev/null
  printf 'rollup --rebuild on the %-10s %.1f s\n' \
    "$(case $db in postgres*) echo PostgreSQL: ;; *) echo SQLite: ;; esac)" \
    "$(echo "$(date +%s.%N) - $t0" | bc)"
  md "$db" report --json >"$WORK/c.json"
  cmp -s "$WORK/a.json" "$WORK/c.json" || { echo "FAIL: report after rebuild differs" >&2; exit 1; }
done
echo "  report --json unchanged after the rebuilds"
echo "  load after: $(cut -d' ' -f1-3 /proc/loadavg)"
