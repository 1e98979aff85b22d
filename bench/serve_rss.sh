#!/usr/bin/env bash
# Peak and steady RSS of `mediadash serve` on DB under N report requests.
# usage: bench/serve_rss.sh BIN DB [N [QUERY]]
# QUERY: the report's arguments, e.g. 'from=2023-08-01&to=2023-08-28'
# (default: none, the last 28 days up to today).
# Logs in once (user benchrss, added when missing), then asks
# /api/v1/report N times (default 20), then 5 x 4 at once, sampling VmRSS
# after each; prints the largest sample and VmHWM (the peak, which includes the argon2id
# password hash of the login: m = 19 MiB since 2026-11-25, 64 MiB before),
# then 4 logins at once (the hash gate: one at a time), then the same
# 5 x 4 reports again. SERVE_ARGS: more arguments for serve, e.g.
# '--cache-mb 0' so every report is computed.
set -eu
BIN=$1 DB=$2 N=${3:-20} Q=${4:-}
TMP=$(mktemp -d)
trap 'kill "$SERVER" 2>/dev/null || true; rm -rf "$TMP"' EXIT
printf '%s\n' 'correct horse battery' >"$TMP/pw"
"$BIN" --db "$DB" -q user add benchrss --password-file "$TMP/pw" 2>/dev/null || true
# shellcheck disable=SC2086 # SERVE_ARGS is split on purpose
"$BIN" --db "$DB" serve --listen 127.0.0.1:0 ${SERVE_ARGS:-} 2>"$TMP/err" &
SERVER=$!
PORT=""
for _ in $(seq 100); do
  PORT=$(grep -o 'http://127.0.0.1:[0-9]*' "$TMP/err" | head -1 | cut -d: -f3 || true)
  [ -n "$PORT" ] && break
  sleep 0.1
done
URL="http://127.0.0.1:$PORT"
rss() { awk -v k="$1:" '$1 == k {print $2}' "/proc/$SERVER/status"; }
echo "after start: VmRSS $(rss VmRSS) KiB"
curl -s -o /dev/null -c "$TMP/cj" -H "Origin: $URL" -H 'Content-Type: application/json' \
  --data-binary '{"user": "benchrss", "password": "correct horse battery"}' "$URL/api/v1/login"
echo "after login: VmRSS $(rss VmRSS) KiB, VmHWM $(rss VmHWM) KiB"
max=0
for i in $(seq "$N"); do
  t0=$(date +%s%N)
  code=$(curl -s -o "$TMP/r.json" -w '%{http_code}' -b "$TMP/cj" "$URL/api/v1/report?$Q")
  t1=$(date +%s%N)
  r=$(rss VmRSS)
  [ "$r" -gt "$max" ] && max=$r
  [ "$i" -le 2 ] || [ "$i" -eq "$N" ] && echo "report $i: HTTP $code, $(( (t1 - t0) / 1000000 )) ms, VmRSS $r KiB"
done
echo "max VmRSS over $N reports: $max KiB; VmHWM (peak, incl. login) $(rss VmHWM) KiB"
# Then 4 at a time (the server's 4 threads, each with a pooled store).
for i in $(seq 5); do
  pids=""
  for _ in 1 2 3 4; do
    curl -s -o /dev/null -b "$TMP/cj" "$URL/api/v1/report?$Q" &
    pids="$pids $!"
  done
  for p in $pids; do wait "$p"; done
  r=$(rss VmRSS)
  [ "$r" -gt "$max" ] && max=$r
done
echo "max VmRSS after 5 x 4 concurrent reports: $max KiB; VmHWM $(rss VmHWM) KiB"
# 4 logins at once: each waits for the hash gate rather than adding a
# hash's memory (a login that waits over 2 s gets 503).
pids=""
for i in 1 2 3 4; do
  curl -s -o "$TMP/login$i" -w '%{http_code}\n' -H "Origin: $URL" -H 'Content-Type: application/json' \
    --data-binary '{"user": "benchrss", "password": "correct horse battery"}' "$URL/api/v1/login" >"$TMP/code$i" &
  pids="$pids $!"
done
for p in $pids; do wait "$p"; done
echo "4 logins at once: HTTP $(cat "$TMP"/code? | tr '\n' ' ')VmRSS $(rss VmRSS) KiB, VmHWM $(rss VmHWM) KiB"
