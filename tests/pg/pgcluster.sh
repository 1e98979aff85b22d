#!/usr/bin/env bash
# The throwaway PostgreSQL cluster of the PostgreSQL tests
# (docs/postgresql.md, "How the tests start PostgreSQL").
#
#   pgcluster.sh start DIR      initdb + pg_ctl start; state recorded in DIR
#   pgcluster.sh stop DIR       stop it and remove its data (idempotent)
#   pgcluster.sh uri DIR [DB]   print the URI of database DB (postgres)
#   pgcluster.sh newdb DIR DB   (re)create an empty database DB, print its URI
#   pgcluster.sh run DIR CMD... run CMD with MEDIADASH_PG_ADMIN (the URI of
#                               the postgres database) and
#                               MEDIADASH_STORE_TARGET (a URI whose database
#                               is "{case}", for the conformance suite)
#
# The server listens on a Unix socket in a directory of its own under /tmp
# (a socket path must be short), never on TCP. It runs as an unprivileged
# user: initdb refuses root, so as root (CI) a system user
# mediadash-pgtest is created or reused and the server run with runuser.
# The data directory is DIR/data when that user can reach it, else a
# mktemp -d under /tmp; DIR/datadir records which. Any failure exits
# non-zero with the server's log: PostgreSQL tests fail, never skip.
set -euo pipefail

PGBIN=${MEDIADASH_PGBIN:-/usr/lib/postgresql/15/bin}
PGUSER_OS=mediadash-pgtest
cmd=${1:-}
dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || {
  echo "usage: pgcluster.sh start|stop|uri|newdb|run DIR ..." >&2; exit 2; }

mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
export PGOPTIONS='-c client_min_messages=warning'

as_pg() { # run a command as the cluster's owner
  if [ "$(id -u)" -eq 0 ]; then runuser -u "$PGUSER_OS" -- "$@"; else "$@"; fi
}

ensure_user() {
  [ "$(id -u)" -eq 0 ] || return 0
  id -u "$PGUSER_OS" >/dev/null 2>&1 && return 0
  useradd --system --no-create-home --shell /usr/sbin/nologin "$PGUSER_OS" ||
    id -u "$PGUSER_OS" >/dev/null 2>&1 # another run made it meanwhile
}

sock() { cat "$dir/socket"; }

uri() { # uri DB
  printf 'postgresql://postgres@/%s?host=%s\n' "$1" "$(sock)"
}

psql_admin() {
  "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -d "$(uri postgres)" "$@"
}

do_stop() {
  local data sockdir
  [ -f "$dir/datadir" ] || return 0
  data=$(cat "$dir/datadir")
  sockdir=$(cat "$dir/socket" 2>/dev/null || true)
  if [ -f "$data/postmaster.pid" ]; then
    as_pg "$PGBIN/pg_ctl" -D "$data" -m immediate -w -t 30 stop >/dev/null ||
      echo "pgcluster: pg_ctl stop failed for $data" >&2
  fi
  rm -rf "$data" "$dir/data"
  [ -n "$sockdir" ] && rm -rf "$sockdir"
  rm -f "$dir/datadir" "$dir/socket"
}

do_start() {
  local data sockdir
  command -v "$PGBIN/initdb" >/dev/null ||
    { echo "pgcluster: no $PGBIN/initdb (tools/install-deps.sh installs postgresql-15)" >&2; exit 1; }
  mkdir -p "$dir"
  do_stop # a cluster left by a run that was killed
  ensure_user
  mkdir -p "$dir/data"
  if [ "$(id -u)" -eq 0 ]; then
    chown "$PGUSER_OS" "$dir/data"
    if as_pg test -w "$dir/data"; then data=$dir/data; else
      data=$(mktemp -d /tmp/mediadash-pgdata-XXXXXX)
      chown "$PGUSER_OS" "$data"
    fi
  else
    data=$dir/data
  fi
  chmod 700 "$data"
  echo "$data" >"$dir/datadir"
  sockdir=$(mktemp -d /tmp/mdpg-XXXXXX)
  [ "$(id -u)" -eq 0 ] && chown "$PGUSER_OS" "$sockdir"
  echo "$sockdir" >"$dir/socket"
  # The tests' databases sort text as a real install's would: an ICU
  # collation (en-US), not the C locale, so that an ORDER BY on text that
  # lacks COLLATE "C" shows as a difference from SQLite's byte order.
  # MEDIADASH_PG_LOCALE=C gives the C locale (the benchmarks' choice).
  local loc=(--locale=C)
  [ "${MEDIADASH_PG_LOCALE:-icu}" = icu ] &&
    loc=(--locale=C.UTF-8 --locale-provider=icu --icu-locale=en-US)
  as_pg "$PGBIN/initdb" -D "$data" -U postgres -A trust -E UTF8 \
    "${loc[@]}" --no-sync >"$dir/initdb.log" 2>&1 ||
    { cat "$dir/initdb.log" >&2; echo "pgcluster: initdb failed" >&2; exit 1; }
  # Test-only settings: no TCP, and no durability (fsync, synchronous
  # commit and full pages off): a crash loses the cluster, which a test
  # cluster may. Never use them for a real database.
  cat >>"$data/postgresql.conf" <<CONF
listen_addresses = ''
unix_socket_directories = '$sockdir'
fsync = off
synchronous_commit = off
full_page_writes = off
shared_buffers = 32MB
max_connections = 60
CONF
  as_pg "$PGBIN/pg_ctl" -D "$data" -l "$data/server.log" -w -t 60 start \
    >/dev/null 2>&1 ||
    { cat "$data/server.log" >&2 || true
      echo "pgcluster: the server did not start" >&2; exit 1; }
  psql_admin -c 'SELECT 1' >/dev/null ||
    { echo "pgcluster: started but does not answer" >&2; exit 1; }
  echo "pgcluster: up, $(uri postgres)"
}

case $cmd in
  start) do_start ;;
  stop) do_stop ;;
  uri) uri "${3:-postgres}" ;;
  newdb)
    db=${3:?database name}
    psql_admin -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" \
      -c "CREATE DATABASE \"$db\"" >/dev/null
    uri "$db" ;;
  run)
    shift 2
    MEDIADASH_PG_ADMIN=$(uri postgres) MEDIADASH_STORE_TARGET=$(uri '{case}') \
      exec "$@" ;;
  *) echo "pgcluster: unknown command $cmd" >&2; exit 2 ;;
esac
