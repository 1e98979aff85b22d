#!/usr/bin/env bash
# The dashboard queries (bench_queries) and search (bench_search) on
# SQLite and PostgreSQL side by side (bench/README.md, "Dashboard queries
# and search on PostgreSQL"): per query p50 and p99 of each backend.
#
# usage: bench/pg_queries.sh BUILD ITEMSxHOURS [RUNS [SEARCH_ITEMS]]
#        bench/pg_queries.sh BUILD --db FILE END [RUNS [SEARCH_ITEMS]]
#   BUILD         a build dir with mediadash, bench_queries and
#                 bench_search (Release)
#   ITEMSxHOURS   the queries' history (1000x1200: 1M snapshots;
#                 1400x8760: 10M)
#   --db FILE END an existing SQLite database instead (e.g. the 10M demo,
#                 `mediadash demo --items 2100 --days 365 --end END`),
#                 END its last hour (ISO 8601): the queries cover the 28
#                 days before it (BENCH_QUERIES_END of bench_queries)
#   RUNS          runs per query (default 100)
#   SEARCH_ITEMS  content items of the search database (default 10000;
#                 one hour of history: search reads no snapshot); 0: no
#                 search
#
# The SQLite side is generated through store_ingest on first use (or is
# FILE) and KEPT for the next runs: BUILD/bench-pgq-*.db. The PostgreSQL
# side is a `mediadash db copy` of that SQLite database (20k to 50k rows/s
# here: about 40 minutes at 10M snapshots, where store_ingest takes hours;
# the copy checks its rows by counts and an export checksum, and ends
# with ANALYZE), made when its database holds no item yet and KEPT too;
# PG_QUERIES_FILL=ingest fills it through store_ingest instead, as before
# (search's PostgreSQL database is always filled that way: it is small).
# The cluster lives under BUILD/bench-pgq (made by tests/pg/pgcluster.sh:
# Unix socket only, fsync off; restarted, not re-created, when it is
# there). The server is stopped at the end, also on a failure; its data
# stays. `tests/pg/pgcluster.sh stop BUILD/bench-pgq` removes it.
set -euo pipefail
build=$1
if [ "${2:-}" = "--db" ]; then
  file=${3:?--db FILE END}
  end=${4:?--db FILE END}
  shift 3
  export BENCH_QUERIES_END=$end
  sqlite_db=$file
  name=$(basename "$file" .db | tr -c 'a-zA-Z0-9_\n' _)
  size=$name
  items=3 # unused: the queries read FILE as it is
  hours=1
else
  size=$2
  shift 1
  items=${size%x*}
  hours=${size#*x}
  sqlite_db=$build/bench-pgq-$size.db
  name=$size
fi
runs=${2:-100}
sitems=${3:-10000}
fill=${PG_QUERIES_FILL:-copy}
here=$(cd "$(dirname "$0")" && pwd)
cl=$here/../tests/pg/pgcluster.sh
PGBIN=${MEDIADASH_PGBIN:-/usr/lib/postgresql/15/bin}
dir=$(mkdir -p "$build/bench-pgq" && cd "$build/bench-pgq" && pwd)

as_pg() { # as pgcluster.sh: the cluster's owner when we are root
  if [ "$(id -u)" -eq 0 ]; then runuser -u mediadash-pgtest -- "$@"; else "$@"; fi
}

# Start the kept cluster again (a fresh socket directory: the old one
# under /tmp may be gone), or make one.
start() {
  local data sockdir
  data=$(cat "$dir/datadir" 2>/dev/null || true)
  if [ -n "$data" ] && [ -f "$data/PG_VERSION" ]; then
    sockdir=$(mktemp -d /tmp/mdpg-XXXXXX)
    [ "$(id -u)" -eq 0 ] && chown mediadash-pgtest "$sockdir"
    echo "$sockdir" >"$dir/socket"
    echo "unix_socket_directories = '$sockdir'" >>"$data/postgresql.conf"
    as_pg "$PGBIN/pg_ctl" -D "$data" -l "$data/server.log" -w -t 120 start \
      >/dev/null
  else
    bash "$cl" start "$dir" >/dev/null
  fi
}

stop() {
  local data sockdir
  data=$(cat "$dir/datadir" 2>/dev/null || true)
  sockdir=$(cat "$dir/socket" 2>/dev/null || true)
  [ -n "$data" ] && [ -f "$data/postmaster.pid" ] &&
    as_pg "$PGBIN/pg_ctl" -D "$data" -m fast -w -t 60 stop >/dev/null
  [ -n "$sockdir" ] && rm -rf "$sockdir"
  return 0
}

# The URI of database $1, created (empty) when it is not there yet.
db() {
  local admin
  admin=$(bash "$cl" uri "$dir")
  if [ -z "$("$PGBIN/psql" -X -qtA -d "$admin" \
    -c "SELECT 1 FROM pg_database WHERE datname = '$1'")" ]; then
    "$PGBIN/psql" -X -q -d "$admin" -c "CREATE DATABASE \"$1\"" >/dev/null
  fi
  bash "$cl" uri "$dir" "$1"
}

# Join two outputs of one benchmark by query name: NAME_WIDTH characters
# from NAME_AT; print p50 and p99 of each side.
side_by_side() { # sqlite.txt pg.txt kind
  awk -v kind="$3" '
    function row(line) {
      if (kind == "q") {
        if (line !~ / p99 /) return 0
        name = substr(line, 3, 28)
        split(substr(line, 31), f, " +")
        p50 = f[5]; p99 = f[7]
      } else {
        if (line !~ / \/ / || line ~ /^query/) return 0
        name = substr(line, 1, 24)
        split(substr(line, 25), f, " +")
        p50 = f[5]; p99 = f[7]
      }
      sub(/ +$/, "", name)
      return 1
    }
    FNR == 1 { side++ }
    side == 1 && row($0) { order[++n] = name; a50[name] = p50; a99[name] = p99 }
    side == 2 && row($0) { b50[name] = p50; b99[name] = p99 }
    END {
      printf "%-28s %10s %10s  %10s %10s\n", "query (ms)", "SQLite p50",
             "p99", "PG p50", "p99"
      for (i = 1; i <= n; i++) {
        k = order[i]
        printf "%-28s %10s %10s  %10s %10s\n", k, a50[k], a99[k],
               (k in b50) ? b50[k] : "-", (k in b99) ? b99[k] : "-"
      }
    }' "$1" "$2"
  grep -h '^all .* wall' "$1" "$2" | sed '1s/^/SQLite: /;2s/^/PostgreSQL: /' || true
}

# Fill PostgreSQL database URI $1 by `db copy` of the SQLite side when it
# holds no item yet; print the copy's time and rate.
copy_fill() {
  local n t0
  n=$("$PGBIN/psql" -X -qtA -d "$1" -c "SELECT to_regclass('item') IS NOT NULL")
  if [ "$n" = t ]; then
    n=$("$PGBIN/psql" -X -qtA -d "$1" -c "SELECT count(*) FROM item")
  else
    n=0
  fi
  [ "$n" -eq 0 ] || return 0
  [ -f "$sqlite_db" ] || { echo "no $sqlite_db to copy" >&2; return 1; }
  echo "filling PostgreSQL: db copy of $sqlite_db"
  t0=$(date +%s.%N)
  "$build/mediadash" -q db copy --from "$sqlite_db" --to "$1" --batch 20000 |
    sed 's/^/  /'
  printf '  db copy: %.1f s (load average %s)\n' \
    "$(echo "$(date +%s.%N) - $t0" | bc)" "$(cut -d' ' -f1-3 /proc/loadavg)"
}

out=$(mktemp -d)
trap 'stop; rm -rf "$out"' EXIT
start
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
"$build/bench_queries" "$items" "$hours" "$sqlite_db" "$runs" 24 \
  | tee "$out/q-sqlite"
pgq=$(db "bq_$name")
[ "$fill" = ingest ] || copy_fill "$pgq"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
"$build/bench_queries" "$items" "$hours" "$pgq" "$runs" 24 \
  | tee "$out/q-pg"
echo "== dashboard queries, $size (load average $(cut -d' ' -f1-3 /proc/loadavg))"
side_by_side "$out/q-sqlite" "$out/q-pg" q
[ "$sitems" -gt 0 ] || exit 0
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
"$build/bench_search" "$sitems" 1 "$build/bench-pgq-search-$sitems.db" "$runs" \
  | tee "$out/s-sqlite"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
"$build/bench_search" "$sitems" 1 "$(db "bs_$sitems")" "$runs" | tee "$out/s-pg"
echo "== search, $sitems items (load average $(cut -d' ' -f1-3 /proc/loadavg))"
side_by_side "$out/s-sqlite" "$out/s-pg" s
