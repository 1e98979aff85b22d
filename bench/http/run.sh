#!/usr/bin/env bash
# bench/http: requests per second and tail latency of the dashboard's
# overview endpoint (/api/v1/report, logged in) on the demo database,
# against nginx serving a static file of the same size in the same run,
# both on 127.0.0.1, measured with wrk. Prints one table; record it in
# bench/README.md. Not a test.
#
# usage: bench/http/run.sh MEDIADASH_BINARY [WORKDIR] [SECONDS] [CONNECTIONS]
# Installs wrk and nginx-light (Debian) when missing. Each load run is
# bounded by wrk's -d and a timeout; every process it starts is stopped
# on exit.
#
# On a shared machine one run is noisy. Environment:
#   ROUNDS=N          the cached server and nginx are measured N times,
#                     interleaved (default 1); the table has the medians
#                     and each round's figures
#   BASE=BINARY       also measure another build's cached rate in each
#                     round, between the two (before/after comparisons in
#                     the same machine state)
#   SERVE_ARGS='...'  extra serve options for every mediadash run (e.g.
#                     --threads 2)
set -euo pipefail
bin=$(realpath "$1")
work=${2:-build-rel/bench-http}
secs=${3:-10}
conns=${4:-32}
threads=2 # wrk threads: the machine has 2 cores, shared with the server

need=()
command -v wrk >/dev/null || need+=(wrk)
[ -x /usr/sbin/nginx ] || need+=(nginx-light)
if [ ${#need[@]} -gt 0 ]; then
  sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  echo "bench-http: installing ${need[*]}" >&2
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq \
    --no-install-recommends "${need[@]}" >/dev/null
fi

mkdir -p "$work"
work=$(realpath "$work")
db="$work/demo.db"
tmp=$(mktemp -d /tmp/mediadash-bench-http-XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

if [ ! -s "$db" ]; then
  echo "bench-http: creating the demo database $db (once)" >&2
  "$bin" --db "$db" -q demo >&2
fi
printf 'bench-password-%s\n' "$RANDOM$RANDOM" >"$tmp/pw"
"$bin" --db "$db" -q user del bench >/dev/null 2>&1 || true
"$bin" --db "$db" -q user add bench --password-file "$tmp/pw" >/dev/null

path="/api/v1/report?range=28d"
pw=$(head -1 "$tmp/pw")

# start_md [SERVE OPTIONS...]: serve on a free port, log in; sets md_pid,
# base and cookie (the session for wrk).
start_md() {
  local b=$bin
  [ "${1:-}" = --binary ] && { b=$2; shift 2; }
  : >"$tmp/serve.err"
  # shellcheck disable=SC2086 # SERVE_ARGS is a list of options
  "$b" --db "$db" serve --listen 127.0.0.1:0 ${SERVE_ARGS:-} "$@" 2>"$tmp/serve.err" &
  md_pid=$!
  pids+=($md_pid)
  port=
  for _ in $(seq 100); do
    port=$(grep -o '127.0.0.1:[0-9]*' "$tmp/serve.err" | head -1 | cut -d: -f2 || true)
    [ -n "$port" ] && break
    sleep 0.1
  done
  [ -n "$port" ] || { cat "$tmp/serve.err" >&2; exit 1; }
  base="http://127.0.0.1:$port"
  rm -f "$tmp/jar"
  curl -s -m 30 -c "$tmp/jar" -H "Origin: $base" -H 'Content-Type: application/json' \
    --data "{\"user\":\"bench\",\"password\":\"$pw\"}" "$base/api/v1/login" >/dev/null
  cookie=$(awk '!/^#/ || /^#HttpOnly_/ { if (NF >= 7) print $6 "=" $7 }' "$tmp/jar" | head -1)
  [ -n "$cookie" ] || { echo "bench-http: login failed" >&2; exit 1; }
  code=$(curl -s -m 30 -o "$tmp/overview.json" -w '%{http_code}' -H "Cookie: $cookie" "$base$path")
  [ "$code" = 200 ] || { echo "bench-http: $path answered $code" >&2; exit 1; }
}
stop_md() { kill "$md_pid" 2>/dev/null || true; wait "$md_pid" 2>/dev/null || true; }

start_md --cache-mb 0
size=$(stat -c %s "$tmp/overview.json")

# nginx: the same bytes as a static file, one worker per core.
mkdir -p "$tmp/www" "$tmp/nginx"
cp "$tmp/overview.json" "$tmp/www/overview.json"
# nginx's workers run as an unprivileged user: let them read the file.
chmod 755 "$tmp" "$tmp/www"
chmod 644 "$tmp/www/overview.json"
nport=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat >"$tmp/nginx/nginx.conf" <<EOF
worker_processes 2;
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/error.log;
daemon off;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $tmp/nginx;
  proxy_temp_path $tmp/nginx;
  fastcgi_temp_path $tmp/nginx;
  uwsgi_temp_path $tmp/nginx;
  scgi_temp_path $tmp/nginx;
  server {
    listen 127.0.0.1:$nport;
    root $tmp/www;
    default_type application/json;
  }
}
EOF
/usr/sbin/nginx -c "$tmp/nginx/nginx.conf" -p "$tmp/nginx" &
pids+=($!)
ncode=
for _ in $(seq 50); do
  ncode=$(curl -s -m 2 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$nport/overview.json" || true)
  [ "$ncode" = 200 ] && break
  sleep 0.1
done
[ "$ncode" = 200 ] || { echo "bench-http: nginx answered $ncode" >&2; cat "$tmp/nginx/error.log" >&2; exit 1; }

# load NAME URL [HEADER]: wrk's requests/s and p99 (ms) into $rps, $p99.
load() {
  local out="$tmp/wrk-$1.txt"
  local args=(-t"$threads" -c"$conns" -d"${secs}s" --latency --timeout 10s)
  [ -n "${3:-}" ] && args+=(-H "$3")
  timeout $((secs + 30)) wrk "${args[@]}" "$2" >"$out"
  rps=$(awk '/^Requests\/sec:/ { print $2 }' "$out")
  p99=$(awk '$1 == "99%" { v = $2; u = v; sub(/[a-z]+$/, "", v); sub(/^[0-9.]+/, "", u);
             if (u == "us") v /= 1000; else if (u == "s") v *= 1000; print v }' "$out")
  if grep -q 'Non-2xx' "$out"; then
    echo "bench-http: $1 had non-2xx answers:" >&2
    cat "$out" >&2
    exit 1
  fi
}

# Every request computed (the response cache off), then as the dashboard
# runs by default (answers reused until the data changes), ROUNDS times
# with nginx (and BASE) in between.
rounds=${ROUNDS:-1}
base_bin=${BASE:-}
[ -z "$base_bin" ] || base_bin=$(realpath "$base_bin")
load mediadash "$base$path" "Cookie: $cookie"
md_rps=$rps md_p99=$p99
stop_md
mc_all=() ng_all=() bc_all=() mcp_all=() ngp_all=() bcp_all=()
for ((r = 1; r <= rounds; r++)); do
  start_md
  load mediadash-cached "$base$path" "Cookie: $cookie"
  mc_all+=("$rps") mcp_all+=("$p99")
  stop_md
  if [ -n "$base_bin" ]; then
    start_md --binary "$base_bin"
    load base-cached "$base$path" "Cookie: $cookie"
    bc_all+=("$rps") bcp_all+=("$p99")
    stop_md
  fi
  load nginx "http://127.0.0.1:$nport/overview.json"
  ng_all+=("$rps") ngp_all+=("$p99")
  echo "bench-http: round $r: cached ${mc_all[-1]} req/s${base_bin:+, base ${bc_all[-1]:-}}, nginx ${ng_all[-1]} ($(cut -d' ' -f1-3 /proc/loadavg))" >&2
done
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
mc_rps=$(median "${mc_all[@]}") mc_p99=$(median "${mcp_all[@]}")
ng_rps=$(median "${ng_all[@]}") ng_p99=$(median "${ngp_all[@]}")

items=$("$bin" --db "$db" content --limit 0 --json 2>/dev/null |
  python3 -c 'import json,sys; print(len(json.load(sys.stdin)))' 2>/dev/null || echo "?")
echo "bench-http: ${secs}s per server, wrk -t$threads -c$conns, body $size bytes, $items content items${SERVE_ARGS:+, serve $SERVE_ARGS}"
echo "path: $path; load average $(cut -d' ' -f1-3 /proc/loadavg)"
[ "$rounds" -gt 1 ] && echo "medians of $rounds interleaved rounds; cached: ${mc_all[*]}; nginx: ${ng_all[*]}${base_bin:+; base: ${bc_all[*]}}"
printf '| %-32s | %10s | %9s |\n' "server" "req/s" "p99 ms"
printf '| %-32s | %10s | %9s |\n' "mediadash, computed (--cache-mb 0)" "$md_rps" "$md_p99"
printf '| %-32s | %10s | %9s |\n' "mediadash, response cache" "$mc_rps" "$mc_p99"
if [ -n "$base_bin" ]; then
  bc_rps=$(median "${bc_all[@]}") bc_p99=$(median "${bcp_all[@]}")
  printf '| %-32s | %10s | %9s |\n' "base build, response cache" "$bc_rps" "$bc_p99"
fi
printf '| %-32s | %10s | %9s |\n' "nginx, static file of same size" "$ng_rps" "$ng_p99"
python3 -c "print('ratio to nginx, req/s: computed %.4f, cached %.3f; p99: computed %.1f, cached %.2f' % ($md_rps / $ng_rps, $mc_rps / $ng_rps, $md_p99 / $ng_p99, $mc_p99 / $ng_p99))"
[ -z "$base_bin" ] || python3 -c "print('base build cached ratio %.3f; this build / base %.3f' % ($bc_rps / $ng_rps, $mc_rps / $bc_rps))"
