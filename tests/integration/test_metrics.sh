# GET /metrics (docs/metrics.md) over real HTTP: off by default (404);
# on, 401 without a session (or token), 403 from an address outside
# serve.metrics_allow, 200 with a page promtool accepts; the request
# counters move by exactly the requests made, the collector's rounds, API
# calls, quota units and ingested snapshots match what the store holds
# after serve collected from the fake platform server, and an import
# through the API moves the import counters by what it stored.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/collect_lib.sh"

PR="$(dirname "$0")/prom_read.py"
prom() { python3 "$PR" "$@"; }
START=$(date +%s)

# scrape FILE [CURL ARGS...]: GET /metrics into FILE (headers FILE.h);
# prints the HTTP status.
scrape() {
  local f=$1
  shift
  curl -s -m 20 -o "$f" -D "$f.h" -w '%{http_code}' "$@" "$URL/metrics"
}
# val FILE SERIES: the value of the sample named exactly SERIES (name and
# labels as the page writes them), 0 when absent (grep, not python: fast
# on a loaded machine).
val() { awk -v s="$2" 'index($0, s " ") == 1 { print substr($0, length(s) + 2); f = 1 } END { if (!f) print 0 }' "$1"; }
get() { curl -s -m 20 -b "$COOKIES" -o "$TMP/$2" -w '%{http_code}' "$URL$1"; }
db() { python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])' "$DB" "$1"; }
stop_server() { kill "$SERVER"; wait "$SERVER" 2>/dev/null; }
# eq WHAT GOT WANT
eq() { [ "$2" = "$3" ] || { echo "  $1: $2, expected $3" >&2; return 1; }; }
ge() { python3 -c 'import sys; sys.exit(0 if float(sys.argv[2]) >= float(sys.argv[3]) else 1)' "$@" || { echo "  $1: $2 < $3" >&2; return 1; }; }

check "promtool installed (tools/install-deps.sh: prometheus)" command -v promtool
check "connect youtube" connect_one youtube UC1 yt-code

# --- off by default ------------------------------------------------------
# (the off switch runs before the session check: no login needed)
check "serve (metrics off)" serve_start "$DB" --no-collect --no-worker
check "off: 404" eq status "$(scrape "$TMP/off")" 404
stop_server

# --- a bad allow list stops serve at startup -----------------------------
"$BIN" --db "$DB" serve --listen 127.0.0.1:0 --no-collect --no-worker \
  --set serve.metrics=1 --set serve.metrics_allow=127.0.0.1,nonsense \
  2>"$TMP/bad.err" &
BAD=$!
SERVERS="$SERVERS $BAD"
for _ in $(seq 100); do kill -0 "$BAD" 2>/dev/null || break; sleep 0.1; done
check "bad allow list: serve exits" bash -c "! kill -0 $BAD 2>/dev/null"
check "bad allow list: named" contains "$TMP/bad.err" 'serve.metrics_allow: "nonsense" is not an IPv4 or IPv6 address or CIDR'

# --- on, for 127.0.0.1 only ------------------------------------------------
check "serve (metrics on)" serve_start "$DB" --threads 2 \
  --set serve.metrics=1 --set serve.metrics_allow="127.0.0.1/32, ::1"
check "no session: 401" eq status "$(scrape "$TMP/anon")" 401
check "login" login "$DB" "$URL"
check "another address: 403 even with a session" eq status \
  "$(scrape "$TMP/other" -b "$COOKIES" --interface 127.0.0.2)" 403
check "403 names the key" contains "$TMP/other" "127.0.0.2 is not in serve.metrics_allow"

# ---- API token (the tokens part of issue 15) ----------------------------
# An API token scrapes like a session (read scope is enough), and is still
# refused from an address outside serve.metrics_allow.
TOKEN=$("$BIN" --db "$DB" token add scraper --scope read 2>/dev/null)
check "token made" test -n "$TOKEN"
check "bearer token: 200" eq status "$(scrape "$TMP/tok" -H "Authorization: Bearer $TOKEN")" 200
check "bearer token from 127.0.0.2: 403" eq status \
  "$(scrape "$TMP/tok2" -H "Authorization: Bearer $TOKEN" --interface 127.0.0.2)" 403
check "wrong token: 401" eq status "$(scrape "$TMP/tok3" -H "Authorization: Bearer ${TOKEN%?}x")" 401

# serve's collector runs the connected account's first round at once:
# wait for it on the page itself (awk, no python per poll), then read
# what the store says about it.
collected() {
  for _ in $(seq 240); do
    scrape "$TMP/m0" -b "$COOKIES" >/dev/null
    [ "$(val "$TMP/m0" 'mediadash_collector_rounds_total{platform="youtube",status="ok"}')" != 0 ] && return 0
    sleep 0.25
  done
  cat "$TMP/m0" >&2
  return 1
}
check "serve collected the account" collected
check "sources" eq sources "$(get /api/v1/sources sources.json)" 200
check "sources: ok" python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if [(a["platform"], a["status"]) for a in d["accounts"]] == [("youtube", "ok")] else 1)' "$TMP/sources.json"

# --- the page ---------------------------------------------------------------
SNAPS_BEFORE=$(db 'SELECT count(*) FROM snapshot')
VALUES_BEFORE=$(db 'SELECT count(*) FROM snapshot_value')
check "scrape: 200" eq status "$(scrape "$TMP/m1" -b "$COOKIES")" 200
check "content type 0.0.4" contains "$TMP/m1.h" "Content-Type: text/plain; version=0.0.4; charset=utf-8"
check "promtool check metrics" bash -c "promtool check metrics <'$TMP/m1'"
check "histograms cumulative, +Inf, _count" prom histograms "$TMP/m1"
for fam in build_info process_start_time_seconds process_resident_memory_bytes \
    http_connections_active http_requests_total http_request_duration_seconds \
    collector_rounds_total platform_api_calls_total \
    platform_quota_units_used_total publish_outcomes_total \
    snapshots_ingested_total metric_values_ingested_total \
    database_size_bytes database_wal_size_bytes sessions_active queue_posts; do
  check "family $fam has HELP and TYPE" bash -c "grep -q '^# HELP mediadash_$fam ' '$TMP/m1' && grep -q '^# TYPE mediadash_$fam ' '$TMP/m1'"
done

VERSION=$("$BIN" --version | head -1 | awk '{print $2}')
check "build_info" eq build_info "$(val "$TMP/m1" "mediadash_build_info{version=\"$VERSION\"}")" 1
check "start time" python3 -c 'import sys,time; v=float(sys.argv[1]); sys.exit(0 if int(sys.argv[2]) - 2 <= v <= time.time() + 1 else 1)' \
  "$(val "$TMP/m1" mediadash_process_start_time_seconds)" "$START"
check "rss over 1 MB" ge rss "$(val "$TMP/m1" mediadash_process_resident_memory_bytes)" 1000000
check "a connection open (the scrape's)" ge conns "$(val "$TMP/m1" mediadash_http_connections_active)" 1
check "database size is the file's" eq db_size "$(val "$TMP/m1" mediadash_database_size_bytes)" "$(stat -c %s "$DB")"
check "sessions: the one login" eq sessions "$(val "$TMP/m1" mediadash_sessions_active)" "$(db "SELECT count(*) FROM session")"
check "queue: every state, the store's count" eq posts "$(prom sum "$TMP/m1" mediadash_queue_posts)" "$(db 'SELECT count(*) FROM post')"
check "queue: 9 states" eq states "$(grep -c '^mediadash_queue_posts{state=' "$TMP/m1")" 9

# The collector: what the store holds came from it (no import yet).
check "snapshots collected = stored" eq snaps "$(val "$TMP/m1" "mediadash_snapshots_ingested_total{source=\"collect\"}")" "$SNAPS_BEFORE"
check "values collected = stored" eq values "$(val "$TMP/m1" "mediadash_metric_values_ingested_total{source=\"collect\"}")" "$VALUES_BEFORE"
check "store unchanged meanwhile" eq snaps_after "$(db 'SELECT count(*) FROM snapshot')" "$SNAPS_BEFORE"
check "nothing imported yet" eq imported "$(val "$TMP/m1" "mediadash_snapshots_ingested_total{source=\"import\"}")" 0
for p in youtube; do
  check "$p: a round ok" ge "$p rounds" "$(val "$TMP/m1" "mediadash_collector_rounds_total{platform=\"$p\",status=\"ok\"}")" 1
  check "$p: no failed round" eq "$p failed" "$(val "$TMP/m1" "mediadash_collector_rounds_total{platform=\"$p\",status=\"failed\"}")" 0
  check "$p: API calls ok" ge "$p calls" "$(val "$TMP/m1" "mediadash_platform_api_calls_total{platform=\"$p\",outcome=\"ok\"}")" 2
done
QUOTA=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["youtube_quota"]["used_today"])' "$TMP/sources.json")
check "quota units = the store's ledger" eq quota "$(val "$TMP/m1" "mediadash_platform_quota_units_used_total{platform=\"youtube\"}")" "$QUOTA"
check "quota units used" ge quota "$QUOTA" 1
check "tiktok, instagram: no rounds" eq others "$(prom sum "$TMP/m1" mediadash_collector_rounds_total platform=instagram)$(prom sum "$TMP/m1" mediadash_collector_rounds_total platform=tiktok)" 00

# --- the request counters move by exactly the requests made --------------
HL='route="/api/v1/health",method="GET",code="200"'
UL='route="unmatched",method="",code="404"'
IL='route="/api/v1/import",method="POST",code="200"'
ML='route="/metrics",method="GET",code="200"'
h0=$(val "$TMP/m1" "mediadash_http_requests_total{$HL}")
u0=$(val "$TMP/m1" "mediadash_http_requests_total{$UL}")
i0=$(val "$TMP/m1" "mediadash_http_requests_total{$IL}")
m0=$(val "$TMP/m1" "mediadash_http_requests_total{$ML}")
for _ in 1 2 3 4 5; do curl -s -m 10 -o /dev/null "$URL/api/v1/health"; done
for n in 1 2 3; do curl -s -m 10 -o /dev/null "$URL/no-such-page-$n"; done
code=$(curl -s -m 20 -b "$COOKIES" -H "Origin: $URL" -H "X-CSRF-Token: $CSRF" \
  -o "$TMP/import.json" -w '%{http_code}' --data-binary @"$DATA/api/day1.json" \
  "$URL/api/v1/import?name=day1.json&observed_at=2024-06-01T20:00:00Z")
check "import: 200" eq import "$code" 200
S=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["snapshots_new"])' "$TMP/import.json")
V=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["values_new"])' "$TMP/import.json")
check "import stored snapshots" ge snapshots_new "$S" 1

# A request is counted when libmicrohttpd reports it complete, just after
# its answer went out: scrape until the last one shows (bounded), then
# compare exactly.
# /metrics 200s: m1 and each scrape of this loop but the one answering.
k=0
for _ in $(seq 40); do
  scrape "$TMP/m2" -b "$COOKIES" >/dev/null
  k=$((k + 1))
  [ "$(val "$TMP/m2" "mediadash_http_requests_total{$ML}")" = $((m0 + k)) ] &&
  [ "$(val "$TMP/m2" "mediadash_http_requests_total{$IL}")" = $((i0 + 1)) ] &&
    [ "$(val "$TMP/m2" "mediadash_http_requests_total{$HL}")" = $((h0 + 5)) ] && break
  sleep 0.25
done
check "promtool on the second scrape" bash -c "promtool check metrics <'$TMP/m2'"
check "health: +5" eq health "$(val "$TMP/m2" "mediadash_http_requests_total{$HL}")" $((h0 + 5))
check "404: +3 (unmatched)" eq unmatched "$(val "$TMP/m2" "mediadash_http_requests_total{$UL}")" $((u0 + 3))
check "import: +1" eq import "$(val "$TMP/m2" "mediadash_http_requests_total{$IL}")" $((i0 + 1))
# every scrape but the one being answered (counted at its end)
check "metrics: +scrapes" eq metrics "$(val "$TMP/m2" "mediadash_http_requests_total{$ML}")" $((m0 + k))
check "health latency count = its requests" eq hist \
  "$(val "$TMP/m2" "mediadash_http_request_duration_seconds_count{route=\"/api/v1/health\",method=\"GET\"}")" \
  "$(prom sum "$TMP/m2" mediadash_http_requests_total route=/api/v1/health method=GET)"
check "imported snapshots: +S" eq snaps_import "$(val "$TMP/m2" "mediadash_snapshots_ingested_total{source=\"import\"}")" "$S"
check "imported values: +V" eq values_import "$(val "$TMP/m2" "mediadash_metric_values_ingested_total{source=\"import\"}")" "$V"
check "collected unchanged" eq snaps_collect "$(val "$TMP/m2" "mediadash_snapshots_ingested_total{source=\"collect\"}")" "$SNAPS_BEFORE"
check "histograms on the second scrape" prom histograms "$TMP/m2"
check "no secret on the page" lacks "$TMP/m2" "$CSRF"

stop_server
# Under ASan/UBSan (build-asan) a report lands in serve's stderr.
check "no sanitizer report from serve" lacks "$SERVE_ERR" "Sanitizer"
check "no runtime error from serve" lacks "$SERVE_ERR" "runtime error"
finish
