#!/usr/bin/env bash
# service-check.sh [--deb-dir DIR]: issue 15's acceptance, end to end, as
# root on a Debian 12 machine without needing a running systemd:
#
#   1. a fresh clone of this checkout's commit (HEAD)   [skipped with --deb-dir]
#   2. make deb in it                                    [skipped with --deb-dir]
#   3. dpkg -i the .deb
#   4. a little data (demo --items 5 --days 2) and an API token for the
#      script (mediadash token add NAME --scope read)
#   5. serve started with the installed unit's ExecStart line, as the
#      mediadash user, from its WorkingDirectory, with serve.metrics = 1
#      added to the config file the line names (the --listen port is
#      swapped for a free one: 8080 may be taken on a shared machine)
#   6. GET /metrics with the token, through promtool check metrics
#   7. mediadash backup FILE while serve runs
#   8. serve stopped (SIGTERM), then mediadash restore --force FILE: the
#      same content items as before the backup
#   9. mediadash doctor exits 0
#  10. dpkg --purge, and the machine as it was (also on failure)
#
# Every step prints "ok" or "FAIL: what failed"; the exit status is 1 when
# any step failed. --deb-dir DIR installs the one mediadash_*.deb in DIR
# (CTest's deb.service_check, after deb.build made it) instead of 1-2.
set -uo pipefail

deb_dir=""
while [ $# -gt 0 ]; do
  case $1 in
  --deb-dir) deb_dir=${2:?--deb-dir needs a folder}; shift 2 ;;
  -h | --help) sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) echo "service-check: unknown argument $1" >&2; exit 2 ;;
  esac
done
root=$(cd "$(dirname "$0")/.." && pwd)
failures=0
step() { printf '\nservice-check: %s\n' "$*"; }
ok() { echo "service-check:   ok${1:+: $1}"; }
fail() { echo "service-check:   FAIL: $*" >&2; failures=$((failures + 1)); }
die() { fail "$*"; echo "service-check: stopped after $failures failure(s)" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || die "must run as root (dpkg -i, runuser); CI runs as root"
if dpkg-query -W -f='${Status}' mediadash 2>/dev/null | grep -q installed; then
  die "mediadash is already installed here; not touching it (dpkg --purge mediadash first)"
fi

had_user=no had_group=no had_state=no had_etc=no
getent passwd mediadash >/dev/null && had_user=yes
getent group mediadash >/dev/null && had_group=yes
[ -e /var/lib/mediadash ] && had_state=yes
[ -e /etc/mediadash ] && had_etc=yes
work=$(mktemp -d /tmp/mediadash-service-check-XXXXXX)
chmod 755 "$work"
serve_pid=""
cleanup() {
  [ -n "$serve_pid" ] && kill "$serve_pid" 2>/dev/null && wait "$serve_pid" 2>/dev/null
  dpkg --purge mediadash >/dev/null 2>&1
  [ $had_state = no ] && rm -rf /var/lib/mediadash
  [ $had_etc = no ] && rm -rf /etc/mediadash
  [ $had_user = no ] && getent passwd mediadash >/dev/null && userdel mediadash
  [ $had_group = no ] && getent group mediadash >/dev/null && groupdel mediadash
  rm -rf "$work"
}
trap cleanup EXIT

# 1-2: fresh clone, make deb.
if [ -z "$deb_dir" ]; then
  step "1. fresh clone of $root at $(git -C "$root" rev-parse --short HEAD)"
  if ! git clone -q --no-hardlinks "$root" "$work/clone" ||
     ! git -C "$work/clone" checkout -q "$(git -C "$root" rev-parse HEAD)"; then
    die "git clone of $root"
  fi
  [ -z "$(git -C "$root" status --porcelain --untracked-files=no)" ] ||
    echo "service-check:   note: uncommitted changes in $root are not in the clone"
  ok "$work/clone"
  step "2. make deb (log: $work/make-deb.log)"
  if ! make -C "$work/clone" deb DEB_DIR="$work/deb" JOBS="${JOBS:-2}" >"$work/make-deb.log" 2>&1; then
    tail -30 "$work/make-deb.log" >&2
    die "make deb"
  fi
  deb_dir=$work/deb
  ok
fi
shopt -s nullglob
debs=("$deb_dir"/mediadash_*_*.deb)
[ ${#debs[@]} -eq 1 ] || die "expected one mediadash_*.deb in $deb_dir, found ${#debs[@]}"
deb=${debs[0]}

step "3. dpkg -i $(basename "$deb")"
dpkg -i "$deb" >"$work/dpkg.log" 2>&1 || { cat "$work/dpkg.log" >&2; die "dpkg -i"; }
mediadash --version || die "mediadash --version"
ok

unit=/lib/systemd/system/mediadash.service
exec_line=$(sed -n 's/^ExecStart=//p' "$unit")
[ -n "$exec_line" ] || die "no ExecStart= in $unit"
read -r -a argv <<<"$exec_line"
db="" conf="" listen_at=-1
for i in "${!argv[@]}"; do
  case ${argv[$i]} in
  --db) db=${argv[$((i + 1))]} ;;
  --config) conf=${argv[$((i + 1))]} ;;
  --listen) listen_at=$((i + 1)) ;;
  esac
done
[ -n "$db" ] && [ -n "$conf" ] || die "ExecStart lacks --db or --config: $exec_line"
workdir=$(sed -n 's/^WorkingDirectory=//p' "$unit")
as_md() { runuser -u mediadash -- "$@"; }

step "4. data: mediadash demo --items 5 --days 2, then an API token"
if as_md mediadash --db "$db" demo --items 5 --days 2 >"$work/demo.out" 2>&1; then
  ok "$(tail -1 "$work/demo.out")"
else
  cat "$work/demo.out" >&2
  fail "mediadash demo"
fi
# What the backup must carry: every item and its snapshot count.
items() { as_md mediadash --db "$db" content --limit 1000 --json 2>/dev/null |
  python3 -c 'import json,sys; d=json.load(sys.stdin); print(len(d["items"] if isinstance(d, dict) else d))'; }
items_before=$(items)
echo "service-check:   $items_before content items"

token=""
if as_md mediadash --db "$db" token add service-check --scope read \
    >"$work/token.out" 2>"$work/token.err"; then
  # The token is printed once: the one long word of its own on a line.
  token=$(grep -oE '^[[:space:]]*[A-Za-z0-9_.~+/=:-]{20,}[[:space:]]*$' "$work/token.out" |
    tr -d '[:space:]' | tail -1)
  [ -z "$token" ] && token=$(awk 'NF {w=$NF} END {print w}' "$work/token.out")
  [ -n "$token" ] && ok "token printed (${#token} characters)" ||
    fail "token add printed no token: $(head -3 "$work/token.out")"
else
  fail "mediadash token add: $(head -3 "$work/token.err") (the tokens part of issue 15)"
fi

step "5. serve with the unit's ExecStart as mediadash, serve.metrics = 1"
printf '\n[serve]\nmetrics = 1\n' >>"$conf"
[ "$listen_at" -ge 0 ] && argv[listen_at]=127.0.0.1:0
echo "service-check:   ${argv[*]}"
(cd "${workdir:-/}" && exec runuser -u mediadash -- "${argv[@]}") 2>"$work/serve.err" &
serve_pid=$!
port=""
for _ in $(seq 600); do
  port=$(grep -o 'serving http://127.0.0.1:[0-9]*' "$work/serve.err" | head -1 | cut -d: -f3)
  [ -n "$port" ] && break
  kill -0 "$serve_pid" 2>/dev/null || break
  sleep 0.1
done
if [ -z "$port" ]; then
  cat "$work/serve.err" >&2
  die "serve did not start within 60 s"
fi
url=http://127.0.0.1:$port
curl -sf -m 10 -o /dev/null "$url/api/v1/health" || fail "GET /api/v1/health"
ok "serving $url as $(ps -o user= -p "$(pgrep -P "$serve_pid" -n || echo "$serve_pid")" | tr -d ' ')"

step "6. GET /metrics with the token | promtool check metrics"
code=$(curl -s -m 20 -o "$work/metrics.txt" -w '%{http_code}' \
  -H "Authorization: Bearer $token" "$url/metrics")
if [ "$code" != 200 ]; then
  fail "GET /metrics answered HTTP $code (the metrics and tokens parts of issue 15)"
elif ! command -v promtool >/dev/null; then
  fail "promtool missing (Debian's prometheus package)"
elif ! promtool check metrics <"$work/metrics.txt" >"$work/promtool.out" 2>&1; then
  cat "$work/promtool.out" >&2
  fail "promtool check metrics"
else
  ok "$(grep -c '^# TYPE' "$work/metrics.txt") metric families"
fi

backup=$workdir/service-check.backup
step "7. mediadash backup $backup (serve running)"
if as_md mediadash --db "$db" backup "$backup" >"$work/backup.out" 2>&1; then
  cat "$work/backup.out"
  ok
else
  cat "$work/backup.out" >&2
  fail "mediadash backup (the backup part of issue 15)"
fi

step "8. stop serve, mediadash restore $backup"
kill -TERM "$serve_pid" 2>/dev/null
for _ in $(seq 300); do kill -0 "$serve_pid" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$serve_pid" 2>/dev/null; then
  fail "serve still running 30 s after SIGTERM"
  kill -KILL "$serve_pid"
fi
wait "$serve_pid" 2>/dev/null
serve_pid=""
# the database is there, so restoring over it takes --force (it is kept
# aside as DB.before-restore-TIME)
if as_md mediadash --db "$db" restore --force "$backup" >"$work/restore.out" 2>&1; then
  cat "$work/restore.out"
  items_after=$(items)
  if [ -n "$items_before" ] && [ "$items_after" = "$items_before" ]; then
    ok "$items_after content items, as before the backup"
  else
    fail "restored database has ${items_after:-no} content items, not $items_before"
  fi
else
  cat "$work/restore.out" >&2
  fail "mediadash restore (the backup part of issue 15)"
fi

step "9. mediadash doctor"
if as_md mediadash --db "$db" doctor >"$work/doctor.out" 2>&1; then
  cat "$work/doctor.out"
  ok "exit 0"
else
  cat "$work/doctor.out" >&2
  fail "mediadash doctor did not exit 0 (the doctor part of issue 15)"
fi

step "10. dpkg --purge mediadash"
dpkg --purge mediadash >"$work/purge.log" 2>&1 || { cat "$work/purge.log" >&2; fail "dpkg --purge"; }
[ ! -e /usr/bin/mediadash ] || fail "/usr/bin/mediadash still there after purge"
ok

echo
if [ "$failures" -eq 0 ]; then
  echo "service-check: all steps passed"
else
  echo "service-check: $failures step(s) failed" >&2
  exit 1
fi
