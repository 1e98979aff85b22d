#!/usr/bin/env bash
# `make run`: the dashboard on a demo database. Creates the database with
# `mediadash demo` when it is absent (a year of hourly history; about a
# minute), a demo login with a random password kept beside it, prints the
# URL and the credentials, and serves until Ctrl-C.
# usage: tools/demo.sh MEDIADASH_BINARY DEMO_DB [LISTEN]
set -euo pipefail
bin=$1
db=$2
listen=${3:-${MEDIADASH_LISTEN:-127.0.0.1:8080}}
creds="$db.login"

if [ ! -s "$db" ]; then
  echo "Creating the demo database $db (once; about a minute) ..."
  rm -f "$db" "$db-wal" "$db-shm" "$creds"
  "$bin" --db "$db" demo
fi

# The demo login: user "demo" and a random password, made once per database.
if [ ! -s "$creds" ] || ! "$bin" --db "$db" -q user list 2>/dev/null | grep -qw demo; then
  umask 077
  pw=$(head -c 18 /dev/urandom | base64 | tr -d '/+=' | head -c 20)
  printf '%s\n' "$pw" >"$creds"
  "$bin" --db "$db" -q user del demo >/dev/null 2>&1 || true
  "$bin" --db "$db" -q user add demo --password-file "$creds"
fi
pw=$(head -n 1 "$creds")

host=${listen%:*}
port=${listen##*:}
[ "$host" = "$listen" ] && host=127.0.0.1
cat <<EOT

  mediadash dashboard: http://$host:$port/
  user:     demo
  password: $pw        (kept in $creds)

  Ctrl-C stops the server. Other things to try:
    $bin --db $db report --range 28d
    $bin --db $db content --sort views --limit 10
    $bin --help

EOT
exec "$bin" --db "$db" serve --listen "$listen"
