# The database files hold password hashes, session keys and CSRF tokens
# (issue 13 defect 11): whoever makes them (demo, import, user add,
# serve), the database and its -wal and -shm are 0600 under a umask of
# 022; an existing database others may read is made 0600 with a warning;
# with the config key db.group they are that group's, 0660.
. "$(dirname "$0")/lib.sh"

umask 022
mode() { stat -c %a "$1"; }
modes_are() { # modes_are MODE FILE...: each existing file has MODE
  local want=$1 f ok=0
  shift
  for f in "$@"; do
    [ -e "$f" ] || continue
    echo "  $(basename "$f"): $(mode "$f") $(stat -c %G "$f")"
    [ "$(mode "$f")" = "$want" ] || { echo "  $f is $(mode "$f"), expected $want" >&2; ok=1; }
  done
  return $ok
}
exists() { [ -e "$1" ] || { echo "  $1 is missing" >&2; return 1; }; }
T="$DATA/tiktok"

DB="$TMP/demo.db"
check "demo" run 0 "$BIN" --db "$DB" -q demo --days 3 --items 3
check "demo: the database is 0600" modes_are 600 "$DB" "$DB-wal" "$DB-shm" "$DB-journal"

DB="$TMP/import.db"
check "import" run 0 "$BIN" --db "$DB" -q import "$T/user_info.json"
check "import: 0600" modes_are 600 "$DB" "$DB-wal" "$DB-shm"

DB="$TMP/user.db"
printf 'correct horse battery\n' >"$TMP/pw"
check "user add" run 0 "$BIN" --db "$DB" -q user add alice --password-file "$TMP/pw"
check "user add: 0600" modes_are 600 "$DB"

DB="$TMP/serve.db"
check "serve on a new database" serve_start "$DB"
check "logged in (a session is written)" login "$DB" "$URL"
check "the -wal exists while serve runs" exists "$DB-wal"
check "serve: the database, -wal and -shm are 0600" modes_are 600 "$DB" "$DB-wal" "$DB-shm"
kill "$SERVER"; wait "$SERVER" 2>/dev/null

# An existing database (and -wal) others may read: made 0600, with a
# warning naming it.
DB="$TMP/import.db"
chmod 0644 "$DB"
check "an old 0644 database: a command still works" run 0 "$BIN" --db "$DB" content --json
check "  and warns" contains "$TMP/err" "was mode 0644 (others could read it): now 0600"
check "  it is 0600 now" modes_are 600 "$DB"
chmod 0640 "$DB"
check "a group-readable one (db.group's doing) is left alone" run 0 "$BIN" --db "$DB" content --json
check "  still 0640" modes_are 640 "$DB"

# db.group: serve (and every command reading the configuration) gives
# the files to the group, 0660.
GROUP=$(getent group daemon >/dev/null && echo daemon || id -gn)
DB="$TMP/group.db"
printf '[db]\ngroup = %s\n' "$GROUP" >"$TMP/group.conf"
export MEDIADASH_CONFIG="$TMP/group.conf"
check "serve with db.group = $GROUP" serve_start "$DB"
check "logged in" login "$DB" "$URL"
check "db.group: 0660" modes_are 660 "$DB" "$DB-wal" "$DB-shm"
check "  of group $GROUP" test "$(stat -c %G "$DB")" = "$GROUP"
check "  the -wal too" test "$(stat -c %G "$DB-wal")" = "$GROUP"
kill "$SERVER"; wait "$SERVER" 2>/dev/null
printf '[db]\ngroup = no-such-group-here\n' >"$TMP/group.conf"
check "an unknown group: serve refuses to start" run 3 "$BIN" --db "$TMP/nogroup.db" serve --listen 127.0.0.1:0
check "  naming it" contains "$TMP/err" 'db.group: no group named "no-such-group-here"'
unset MEDIADASH_CONFIG

finish
