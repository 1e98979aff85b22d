# mediadash collect under upstream faults (the fake's /_control): each
# case ends within its deadline in a known state recorded in `sources
# --json`, keeps what earlier rounds stored (snapshot count before and
# after), and never crashes (exit status 0 or 1).
. "$(dirname "$0")/lib.sh"
# ~30 collector rounds, each with several CLI runs around it: a minute or
# two alone, many more on a loaded machine under the sanitizers; the fake
# must outlive the test (ctest TIMEOUT 1200, CMakeLists.txt), not stop at
# the default 560 s and fail every round after.
COLLECT_FAKE_LIFETIME=1150
. "$(dirname "$0")/collect_lib.sh"

check "connect youtube" connect_one youtube UC1 yt-code
check "connect instagram" connect_one instagram 17841400000000001 ig-code
check "connect tiktok" connect_one tiktok tt1 tt-code
check "a first good round" run 0 md collect
BASE=$(snap_count)
check "data stored" test "$BASE" -gt 300

fault() { control "{\"faults\": [$1]}"; }
# round PLATFORM EXIT STATUS [SET...]: every job due, collect PLATFORM,
# expect the exit status and the account job's recorded status, and no
# stored snapshot lost.
# ROUND_BEFORE and ROUND_AFTER: the snapshot counts around it.
round() {
  local p=$1 want=$2 status=$3
  shift 3
  ROUND_BEFORE=$(snap_count)
  all_due
  local t0
  t0=$(date +%s%N)
  # 300 s: a hang guard only (a round takes ~1 s alone, far more on a
  # loaded machine under the sanitizers); deadlines are checked on ROUND_MS.
  run "$want" timeout 300 "$BIN" --db "$DB" collect --platform "$p" "$@" || return 1
  ROUND_MS=$(( ($(date +%s%N) - t0) / 1000000 ))
  [ "$(job_field "$p" account status)" = "$status" ] ||
    { echo "  $p: status $(job_field "$p" account status), want $status" >&2; cat "$TMP/out" >&2; return 1; }
  ROUND_AFTER=$(snap_count)
  [ "$ROUND_AFTER" -ge "$ROUND_BEFORE" ] || { echo "  snapshots lost" >&2; return 1; }
}
# failed_round: the same, and nothing at all was stored by the round (the
# counts round took: nothing else runs between them and the collect run).
failed_round() {
  round "$@" || return 1
  [ "$ROUND_AFTER" = "$ROUND_BEFORE" ] || { echo "  a failed round stored data ($ROUND_BEFORE -> $ROUND_AFTER snapshot lines)" >&2; return 1; }
}

# ---- transient: retried inside the round -------------------------------
fault '{"path": "/youtube/v3/videos", "kind": "status", "status": 429, "retry_after": "1", "times": 1}'
check "429 + Retry-After 1 s, then ok" round youtube 0 ok
fault '{"path": "/v2/video/list/", "kind": "status", "status": 500, "times": 1}, {"path": "/v2/video/list/", "kind": "status", "status": 502, "times": 1}'
check "500, 502, then ok" round tiktok 0 ok
fault '{"path": "/v21.0/17841400000000001", "kind": "status", "status": 503, "times": 1}'
check "503 then ok" round instagram 0 ok

# ---- the round fails, stores nothing, records why ------------------------
fault '{"path": "/youtube/v3/videos", "kind": "status", "status": 429, "retry_after": "3600", "times": 1}'
check "429 with a long Retry-After: rate_limited" failed_round youtube 1 rate_limited
check "next due honours Retry-After" python3 -c '
import sys, datetime
t = datetime.datetime.fromisoformat(sys.argv[1].replace("Z", "+00:00")).timestamp()
import time; sys.exit(0 if t > time.time() + 3000 else 1)' "$(job_field youtube account next_due)"
check "failures counted" test "$(job_field youtube account failures)" = 1
fault '{"path": "/v2/video/list/", "kind": "malformed", "times": 1}'
check "malformed JSON: failed" failed_round tiktok 1 failed
check "error names the response" contains "$TMP/out" "tiktok.video.list"
fault '{"path": "/v2/video/query/", "kind": "wrong_shape", "times": 1}'
check "wrong-shape JSON: failed" failed_round tiktok 1 failed
fault '{"path": "/youtube/v3/playlistItems", "kind": "truncate", "times": 3}'
check "truncated body: failed" failed_round youtube 1 failed
check "second failure counted" test "$(job_field youtube account failures)" = 2
fault '{"path": "/v21.0/17841400000000001/media", "kind": "hang", "seconds": 30, "times": 1}'
check "hang: timed out, failed" failed_round instagram 1 failed --set collect.timeout=1 --set collect.retries=0
# the collect run alone (the round's bookkeeping around it is not timed)
echo "  the hung round's collect took $ROUND_MS ms"
check "within its deadline (the fake hangs 30 s)" test "$ROUND_MS" -lt 20000
check "says it timed out" contains "$TMP/out" "timed out"

# ---- Graph and TikTok error codes ----------------------------------------
for code in 4 17 32 613; do
  fault "{\"path\": \"/v21.0/\", \"kind\": \"graph_error\", \"code\": $code, \"times\": 1}"
  check "Graph error $code: rate_limited" failed_round instagram 1 rate_limited
done
fault '{"path": "/v2/video/list/", "kind": "tiktok_error", "code": "rate_limit_exceeded", "times": 3}'
check "TikTok rate_limit_exceeded: rate_limited" failed_round tiktok 1 rate_limited --set collect.retries=2
check "recovers" round tiktok 0 ok

# ---- tokens -------------------------------------------------------------
tok0=$(stat_path /v2/oauth/token/)
fault '{"path": "/v2/user/info/", "kind": "expired_token", "times": 1}'
check "expired token: one refresh, then ok" round tiktok 0 ok
check "exactly one refresh" test "$(stat_path /v2/oauth/token/)" = $((tok0 + 1))
fault '{"path": "/v2/video/list/", "kind": "tiktok_error", "code": "access_token_invalid", "times": 2}'
check "access_token_invalid twice: auth_needed" failed_round tiktok 1 auth_needed
fault '{"path": "/v21.0/17841400000000001", "kind": "graph_error", "code": 190, "times": 2}'
check "Graph 190 twice: auth_needed" failed_round instagram 1 auth_needed
check "Graph 190 once: refreshed, ok" round instagram 0 ok

control '{"revoke_refresh": true}'
fault '{"path": "/youtube/v3/channels", "kind": "expired_token", "times": 1}'
check "invalid_grant: auth_needed" failed_round youtube 1 auth_needed
check "credential needs a new login" bash -c "'$BIN' --db '$DB' connections | grep -q needs_relogin"
n0=$(stat_total)
check "no call for that account" failed_round youtube 1 auth_needed
check "no request made" test "$(stat_total)" = "$n0"
check "says to reconnect" contains "$TMP/out" "mediadash connect youtube --account UC1"
check "reconnect" connect_one youtube UC1 yt-code-2
check "collects again" round youtube 0 ok

# ---- YouTube quota --------------------------------------------------------
fault '{"path": "/youtube/v3/playlistItems", "kind": "quota", "times": 1}'
check "403 quotaExceeded: quota_exceeded" failed_round youtube 1 quota_exceeded
check "ledger at the limit" test "$(md sources --json | python3 -c 'import json,sys; q=json.load(sys.stdin)["youtube_quota"]; print(q["used_today"] >= q["limit"])')" = True
n0=$(stat_total)
check "no YouTube call until the reset" failed_round youtube 1 quota_exceeded
check "no request made" test "$(stat_total)" = "$n0"
check "the other platforms go on" round tiktok 0 ok
sql "$DB" "UPDATE quota_ledger SET day_start = day_start - 86400"
check "a new Pacific day: calls again" round youtube 0 ok
check "a small limit stops before the call" failed_round youtube 1 quota_exceeded --set collect.youtube_quota=3

# ---- Instagram: a refused insight metric, high Graph usage ---------------
control '{"supported_metrics": ["reach", "likes", "comments", "saved", "shares", "total_interactions"]}'
check "unsupported metric dropped, round ok" round instagram 0 ok
check "says which metric" contains "$TMP/out" "insight metric views dropped"
check "remembered: no views asked any more" bash -c "curl -s '$B/_stats' | python3 -c 'import json,sys; q=json.load(sys.stdin)[\"last\"][\"/v21.0/17900000000000001/insights\"][\"query\"][\"metric\"]; sys.exit(0 if \"views\" not in q.split(\",\") else 1)'"
control '{"supported_metrics": ["reach", "views", "saved", "shares", "likes", "comments", "total_interactions"]}'
control '{"graph_headers": {"X-App-Usage": "{\"call_count\":85,\"total_cputime\":10,\"total_time\":12}"}}'
ins0=$(stat_path /v21.0/17900000000000001/insights)
check "usage at 85 %: ok, insights skipped" round instagram 0 ok
check "recorded" test "$(job_field instagram content last_error | grep -c 'usage at 85')" = 1
check "no insight call" test "$(stat_path /v21.0/17900000000000001/insights)" = "$ins0"
control '{"graph_headers": {}}'
check "usage down: insights again" round instagram 0 ok
check "insight call made" test "$(stat_path /v21.0/17900000000000001/insights)" -gt "$ins0"

check "sources lists every job" run 0 md sources
check "no token in the database" bash -c "! grep -aq 'fake-at-' '$DB'"
finish
