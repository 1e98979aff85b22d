# Shared helpers for the integration tests (bash). Each test script
# sources this, calls `check` for every assertion and ends with `finish`,
# which prints "N passed, N failed" and sets the exit status.

set -u
BIN=${MEDIADASH_BIN:?MEDIADASH_BIN must name the mediadash binary}
DATA=${MEDIADASH_TEST_DATA:?}
REAL=${MEDIADASH_REALDATA:-}
TMP=$(mktemp -d /tmp/mediadash-it-XXXXXX)
SERVERS=""
trap 'for p in $SERVERS; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done; rm -rf "$TMP"' EXIT
export HOME="$TMP/home"
mkdir -p "$HOME"

_passed=0
_failed=0

# check DESCRIPTION COMMAND...: the command must succeed.
check() {
  local what=$1
  shift
  if "$@"; then
    _passed=$((_passed + 1))
  else
    _failed=$((_failed + 1))
    echo "FAIL: $what" >&2
  fi
}

# run EXPECTED_STATUS CMD...: run, keep stdout/stderr in $TMP/out, $TMP/err.
run() {
  local want=$1
  shift
  "$@" >"$TMP/out" 2>"$TMP/err"
  local got=$?
  if [ "$got" -ne "$want" ]; then
    echo "  '$*' exited $got, expected $want; stderr:" >&2
    sed 's/^/    /' "$TMP/err" >&2
    return 1
  fi
}

contains() { grep -qF -- "$2" "$1" || { echo "  $1 lacks: $2" >&2; sed 's/^/    /' "$1" | head -20 >&2; return 1; }; }
lacks() { ! grep -qF -- "$2" "$1" || { echo "  $1 has: $2" >&2; return 1; }; }
same_file() { cmp -s "$1" "$2" || { echo "  $1 and $2 differ" >&2; diff "$1" "$2" | head -10 >&2; return 1; }; }

# serve_start DB [SERVE OPTIONS...]: run `mediadash serve` on a free port of
# 127.0.0.1 in the background. Sets SERVER (its pid), PORT, URL and
# SERVE_ERR (the file its stderr goes to); the EXIT trap stops it.
serve_start() {
  local db=$1
  shift
  SERVE_ERR=$(mktemp "$TMP/serve-XXXXXX")
  "$BIN" --db "$db" serve --listen 127.0.0.1:0 "$@" 2>"$SERVE_ERR" &
  SERVER=$!
  SERVERS="$SERVERS $SERVER"
  PORT=""
  for _ in $(seq 100); do
    PORT=$(grep -o 'http://127.0.0.1:[0-9]*' "$SERVE_ERR" | head -1 | cut -d: -f3)
    [ -n "$PORT" ] && break
    sleep 0.1
  done
  URL="http://127.0.0.1:$PORT"
  [ -n "$PORT" ] || { echo "  serve did not start:" >&2; cat "$SERVE_ERR" >&2; return 1; }
}

# login DB URL [NAME [PASSWORD]]: add user NAME (default "tester") to DB
# with `mediadash user add` unless it is there, log in at URL keeping the
# session cookie in curl's cookie jar $COOKIES, and export CSRF, the token
# state-changing requests send as X-CSRF-Token (with Origin: $URL).
login() {
  local db=$1 url=$2 name=${3:-tester} pw=${4:-correct horse battery} code
  COOKIES=${COOKIES:-$TMP/cookies}
  printf '%s\n' "$pw" >"$TMP/login.pw"
  if ! "$BIN" --db "$db" user list --json | python3 -c \
      'import json,sys; sys.exit(0 if sys.argv[1] in [u["name"] for u in json.load(sys.stdin)["users"]] else 1)' "$name"; then
    "$BIN" --db "$db" -q user add "$name" --password-file "$TMP/login.pw" || return 1
  fi
  python3 -c 'import json,sys; print(json.dumps({"user": sys.argv[1], "password": sys.argv[2]}))' \
    "$name" "$pw" >"$TMP/login.body"
  code=$(curl -s -m 20 -c "$COOKIES" -o "$TMP/login.json" -w '%{http_code}' \
    -H "Origin: $url" -H 'Content-Type: application/json' \
    --data-binary @"$TMP/login.body" "$url/api/v1/login")
  rm -f "$TMP/login.pw" "$TMP/login.body"
  [ "$code" = 200 ] || { echo "  login as $name: HTTP $code" >&2; cat "$TMP/login.json" >&2; return 1; }
  CSRF=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["csrf"])' "$TMP/login.json")
  export CSRF COOKIES
}

# Copy post 1 of database $1 until there are $2 posts, titled "$3 I"
# (I = 2..N), each with its creation event, in one statement: N CLI runs
# would take most of a test's time budget.
copy_posts() {
  sqlite3 "$1" "WITH RECURSIVE n(i) AS (SELECT 2 UNION ALL SELECT i + 1 FROM n WHERE i < $2)
   INSERT INTO post(platform, account, title, caption, tags, privacy, media,
     publish_at, zone, local_time, state, created_at, updated_at)
   SELECT platform, account, '$3 ' || i, caption, tags, privacy, media,
     publish_at, zone, local_time, state, created_at, updated_at
   FROM post, n WHERE post.id = 1;
   INSERT INTO post_event(post_id, at, to_state, note)
   SELECT id, created_at, 'scheduled', 'created' FROM post WHERE id > 1;"
}

finish() {
  echo "$_passed passed, $_failed failed"
  [ "$_failed" -eq 0 ]
}

# pg_newdb NAME: a new, empty database NAME on the PostgreSQL tests' cluster
# (tests/pg/pgcluster.sh; MEDIADASH_PG_DIR names it, set by CMake for the
# tests that require the pg fixture); prints its URI. Fails loudly when
# there is no cluster: a PostgreSQL test never skips.
pg_newdb() {
  local dir=${MEDIADASH_PG_DIR:?MEDIADASH_PG_DIR is not set: run under ctest (fixture pg)}
  bash "$(dirname "${BASH_SOURCE[0]}")/../pg/pgcluster.sh" newdb "$dir" "$1"
}

# The backend the storage-touching scripts run on (docs/development.md,
# "Integration tests on both backends"): MEDIADASH_TEST_BACKEND=pg, set by
# CMake for the integration.pg.* variants (fixture pg), gives each
# database of the script a fresh database on the tests' cluster; anything
# else gives SQLite files under $TMP, as always.
BACKEND=${MEDIADASH_TEST_BACKEND:-sqlite}
case $BACKEND in
  sqlite | pg) ;;
  *) echo "FAIL: MEDIADASH_TEST_BACKEND=$BACKEND (sqlite or pg)" >&2; exit 1 ;;
esac
PSQL=${MEDIADASH_PGBIN:-/usr/lib/postgresql/15/bin}/psql

# newdb NAME: a new, empty database for this script: "$TMP/NAME.db" on
# SQLite, a fresh database on the cluster (its URI) on PostgreSQL. Its
# name carries the script's, so that the scripts ctest runs at once never
# share one.
newdb() {
  if [ "$BACKEND" = pg ]; then
    local script
    script=$(basename "$0" .sh)
    pg_newdb "it_${script#test_}_$1" || { echo "FAIL: no PostgreSQL database $1" >&2; exit 1; }
  else
    echo "$TMP/$1.db"
  fi
}

# sql DB QUERY: run QUERY on DB, either backend, printing rows as sqlite3
# does by default (columns joined by "|", no header). Only for queries
# whose text both engines read the same; a script needing more keeps that
# check SQLite-only and says why.
sql() {
  if [ "$BACKEND" = pg ]; then
    PGOPTIONS='-c client_min_messages=warning' "$PSQL" -X -q -A -t \
      -v ON_ERROR_STOP=1 -d "$1" -c "$2"
  else
    sqlite3 "$1" "$2"
  fi
}

# db_bytes DB: a file holding DB's stored bytes, for checks that a secret
# was never stored in the clear: the SQLite file itself, or pg_dump's
# output of the database (taken now, into $TMP).
db_bytes() {
  if [ "$BACKEND" = pg ]; then
    "${PSQL%/psql}/pg_dump" -d "$1" >"$TMP/db-dump.sql" || return 1
    echo "$TMP/db-dump.sql"
  else
    echo "$1"
  fi
}

# is_pg: true when the databases of this run are PostgreSQL ones.
is_pg() { [ "$BACKEND" = pg ]; }

# media_dir DB: where DB's media library lives: beside a SQLite file
# ("DB.media"), MEDIADASH_MEDIA_ROOT for a database on a server, which
# has no such place (docs/postgresql.md); the sealing key likewise.
media_dir() {
  if [ "$BACKEND" = pg ]; then echo "$MEDIADASH_MEDIA_ROOT"; else echo "$1.media"; fi
}
if [ "$BACKEND" = pg ]; then
  export MEDIADASH_SECRET_KEY_FILE="$TMP/secret.key"
  export MEDIADASH_MEDIA_ROOT="$TMP/media"
fi

MEDIADASH_DB=$(newdb default)
export MEDIADASH_DB
