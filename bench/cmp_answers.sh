#!/usr/bin/env bash
# bench/cmp_answers.sh: do two builds give the same answers? For a change
# meant to make reads faster without changing them (rollup state, query
# plans). Runs the same `report --json` ranges through both CLIs and the
# same GETs through both servers (`serve --cache-mb 0` on 127.0.0.1,
# logged in), and prints every difference. Not a test (it needs two
# builds); record its summary line with the change in bench/README.md.
#
# usage: bench/cmp_answers.sh OLD_BIN OLD_DB NEW_BIN NEW_DB
# OLD_DB and NEW_DB should be copies of one database (a build may migrate
# its copy). A user "cmp" is added to both. Ports 18801 and 18802.
set -u
[ $# -eq 4 ] || { echo "usage: $0 OLD_BIN OLD_DB NEW_BIN NEW_DB" >&2; exit 2; }
old=$1 olddb=$2 new=$3 newdb=$4
tmp=$(mktemp -d /tmp/mediadash-cmp-XXXXXX)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
n=0 bad=0

ranges=("--range 1d" "--range 2d" "--range 7d" "--range 28d" "--range 90d"
        "--range 365d" "--range 3660d" "--range 90d --platform youtube"
        "--range 90d --platform instagram" "--range 90d --platform tiktok"
        "--range 28d --top 500" "--from 2025-12-01 --to 2026-01-15"
        "--from 2020-01-01 --to 2020-02-01")
for r in "${ranges[@]}"; do
  # shellcheck disable=SC2086 # the range is words on purpose
  timeout 120 "$old" --db "$olddb" report $r --json >"$tmp/o" 2>"$tmp/o.err"
  # shellcheck disable=SC2086
  timeout 120 "$new" --db "$newdb" report $r --json >"$tmp/n" 2>"$tmp/n.err"
  n=$((n + 1))
  cmp -s "$tmp/o" "$tmp/n" || { bad=$((bad + 1)); echo "DIFF report $r"; diff "$tmp/o" "$tmp/n" | head -5; }
done

paths=("/api/v1/report?range=28d" "/api/v1/report?range=365d"
       "/api/v1/report?range=7d&platform=tiktok" "/api/v1/top?range=28d"
       "/api/v1/top?range=365d&limit=100" "/api/v1/top?range=7d&platform=tiktok"
       "/api/v1/top?range=90d&metric=likes" "/api/v1/top?from=2020-01-01&to=2020-02-01"
       "/api/v1/heatmap?range=28d" "/api/v1/heatmap?range=365d"
       "/api/v1/heatmap?range=365d&platform=youtube" "/api/v1/engagement?range=28d"
       "/api/v1/gains?range=28d" "/api/v1/content?sort=views&limit=50")
printf 'cmp-password-%s\n' "$RANDOM$RANDOM" >"$tmp/pw"
start() { # BIN DB PORT
  "$1" --db "$2" -q user del cmp >/dev/null 2>&1
  "$1" --db "$2" -q user add cmp --password-file "$tmp/pw" >/dev/null || exit 1
  "$1" --db "$2" -q serve --listen "127.0.0.1:$3" --cache-mb 0 --no-worker \
    --no-collect >"$tmp/serve-$3.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 100); do curl -s -m 2 "http://127.0.0.1:$3/api/v1/health" >/dev/null && break; sleep 0.2; done
  curl -s -m 30 -c "$tmp/jar-$3" -H "Origin: http://127.0.0.1:$3" \
    -H 'Content-Type: application/json' \
    --data "{\"user\":\"cmp\",\"password\":\"$(cat "$tmp/pw")\"}" \
    "http://127.0.0.1:$3/api/v1/login" >/dev/null
}
start "$old" "$olddb" 18801
start "$new" "$newdb" 18802
for p in "${paths[@]}"; do
  a=$(curl -s -m 60 -b "$tmp/jar-18801" "http://127.0.0.1:18801$p")
  b=$(curl -s -m 60 -b "$tmp/jar-18802" "http://127.0.0.1:18802$p")
  n=$((n + 1))
  [ ${#a} -gt 20 ] || echo "SHORT $p: $a"
  [ "$a" = "$b" ] || { bad=$((bad + 1)); echo "DIFF $p"; }
done
echo "cmp_answers: $n answers compared, $bad differ"
[ "$bad" -eq 0 ]
