# The Instagram collector against the Graph API as it really behaves
# (issue 12): metric refusals per media product type in every documented
# wording, every throttle code with the wait its usage headers give, and
# the renewal of 60-day tokens on a schedule of their own. The clock is
# set (MEDIADASH_TEST_NOW for mediadash, {"now"} for the fake), never
# slept on.
. "$(dirname "$0")/lib.sh"
COLLECT_FAKE_LIFETIME=1150 # about 30 collector runs: slow on a busy machine
. "$(dirname "$0")/collect_lib.sh"

IG=17841400000000001
REEL=17900000000000001   # media_type VIDEO, media_product_type REELS
CAROUSEL=17900000000000002
DAY=86400
T0=$(date +%s)
export MEDIADASH_TEST_NOW=$T0
control "{\"now\": $T0, \"expires_in\": $((60 * DAY))}"

sql() { python3 -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); [print(*r, sep="|") for r in c.execute(sys.argv[2])]; c.commit()' "$DB" "$1"; }
fault() { control "{\"faults\": [$1]}"; }
# asked ID METRIC: the last insights call of media ID asked for METRIC.
asked() { curl -s --max-time 10 "$B/_stats" | python3 -c 'import json,sys; q=json.load(sys.stdin)["last"][sys.argv[1]]["query"]["metric"].split(","); sys.exit(0 if sys.argv[2] in q else 1)' "/v21.0/$1/insights" "$2"; }
ig_round() { all_due; run "$1" timeout 60 "$BIN" --db "$DB" collect --platform instagram; }
snap() { md export snapshots --format csv | awk -F, -v c="$1" -v m="$2" '$3 == c && $5 == m { print $6 }' | tail -1; }
conn() { md connections --json | python3 -c 'import json,sys; print([c for c in json.load(sys.stdin) if c["platform"] == "instagram"][0][sys.argv[1]])' "$1"; }

# sources_json: GET /api/v1/sources from a short-lived serve (no
# collector) into $TMP/sources.json; acct FIELD: the instagram account's.
sources_json() {
  serve_start "$DB" --no-collect || return 1
  login "$DB" "$URL" || return 1
  curl -s -m 10 -b "$COOKIES" "$URL/api/v1/sources" >"$TMP/sources.json"
  kill "$SERVER"; wait "$SERVER" 2>/dev/null
  true
}
acct() { python3 -c 'import json,sys; a=[a for a in json.load(open(sys.argv[1]))["accounts"] if a["platform"] == "instagram"][0]; print(json.dumps(a[sys.argv[2]]))' "$TMP/sources.json" "$1"; }

check "connect instagram" connect_one instagram $IG ig-code

# refresh-token platforms: the login's end is the refresh token's
connf() { md connections --json | python3 -c 'import json,sys; print([c for c in json.load(sys.stdin) if c["platform"] == sys.argv[1]][0][sys.argv[2]])' "$1" "$2"; }
check "connect tiktok" connect_one tiktok tt1 tt-code
check "TikTok: its refresh token's year is watched" test "$(connf tiktok login_expires_in_days)" = 365
check "connect youtube (published app)" connect_one youtube UC1 yt-code
check "YouTube: no end known" test "$(connf youtube login_expires_in_days)" = None
MEDIADASH_OAUTH_GOOGLE_TESTING=1 check "connect youtube (app in testing)" connect_one youtube UC1 yt-code-2
check "YouTube app in testing: 7 days" test "$(connf youtube login_expires_in_days)" = 7

# ---- metric refusals per media product type --------------------------------
control '{"media_refusals": [{"type": "VIDEO", "metric": "views", "wording": "product"}, {"type": "CAROUSEL_ALBUM", "metric": "shares", "wording": "media"}]}'
check "a VIDEO refusing views: round stored" ig_round 0
check "says which metric and kind" contains "$TMP/out" "insight metric views dropped for REELS/VIDEO"
check "and the carousel's shares" contains "$TMP/out" "insight metric shares dropped for FEED/CAROUSEL_ALBUM"
check "the reel's other insights stored (reach 15230)" test "$(snap $REEL reach)" = 15230
check "followers stored" bash -c "'$BIN' --db '$DB' export snapshots --format csv | grep -q ',followers,'"
check "the drop remembered per kind" test "$(sql "SELECT kind || ':' || metric FROM dropped_metric WHERE platform = 'instagram' ORDER BY kind")" = "FEED/CAROUSEL_ALBUM:shares
REELS/VIDEO:views"
check "sources API" sources_json
check "shown on Sources per media kind" test "$(acct dropped_metrics)" = '[{"kind": "FEED/CAROUSEL_ALBUM", "metric": "shares"}, {"kind": "REELS/VIDEO", "metric": "views"}]'
n0=$(stat_path /v21.0/$REEL/insights)
check "next round ok" ig_round 0
check "views not asked for the reel again" eval '! asked $REEL views'
check "reach still asked for it" asked $REEL reach
check "one insights call for it, no refusal retry" test "$(stat_path /v21.0/$REEL/insights)" = $((n0 + 1))
check "the carousel still asked for views" asked $CAROUSEL views
check "but not for shares" eval '! asked $CAROUSEL shares'
control '{"media_refusals": [{"type": "REELS", "metric": "reach", "wording": "none"}]}'
check "a refusal naming no metric: the round is still stored" ig_round 0
check "says the media's insights were lost" contains "$TMP/out" "no insights for media $REEL"
check "nothing dropped for it" test "$(sql "SELECT count(*) FROM dropped_metric WHERE metric = 'reach'")" = 0
control '{"media_refusals": []}'

# ---- every Graph throttle code, with the wait its headers say ---------------
buc() { echo "{\\\"$IG\\\": [{\\\"type\\\": \\\"instagram\\\", \\\"call_count\\\": 100, \\\"total_cputime\\\": 4, \\\"total_time\\\": 9, \\\"estimated_time_to_regain_access\\\": $1}]}"; }
mins=7
for code in 4 17 32 613 80002; do
  before=$(snap_count)
  T=$((T0 + 3600))
  export MEDIADASH_TEST_NOW=$T
  fault "{\"path\": \"/v21.0/$CAROUSEL/insights\", \"kind\": \"graph_error\", \"code\": $code, \"times\": 1, \"headers\": {\"X-Business-Use-Case-Usage\": \"$(buc $mins)\"}}"
  check "Graph error $code: rate limited" ig_round 1
  check "Graph error $code: recorded" test "$(job_field instagram content status)" = rate_limited
  check "Graph error $code: waits $mins minutes" test "$(sql "SELECT DISTINCT next_due FROM collect_job WHERE platform = 'instagram'")" = $((T + mins * 60))
  check "Graph error $code: nothing partial stored" test "$(snap_count)" = "$before"
  mins=$((mins + 11))
done
fault "{\"path\": \"/v21.0/$IG/media\", \"kind\": \"graph_error\", \"code\": 4, \"times\": 1, \"headers\": {\"X-App-Usage\": \"{\\\"call_count\\\": 100, \\\"total_cputime\\\": 3, \\\"total_time\\\": 5, \\\"estimated_time_to_regain_access\\\": 42}\"}}"
check "X-App-Usage's estimate honoured" ig_round 1
check "waits 42 minutes" test "$(sql "SELECT DISTINCT next_due FROM collect_job WHERE platform = 'instagram'")" = $((T + 42 * 60))
check "recovers" ig_round 0

# ---- 60-day tokens renewed on their own schedule ---------------------------
tok() { stat_path /oauth/access_token; }
n0=$(tok)
export MEDIADASH_TEST_NOW=$((T0 + 2 * DAY))
control "{\"now\": $((T0 + 2 * DAY))}"
check "2 days old: collected" ig_round 0
check "2 days old: not renewed" test "$(tok)" = "$n0"
check "login ends in 58 days" test "$(conn login_expires_in_days)" = 58
T55=$((T0 + 55 * DAY))
export MEDIADASH_TEST_NOW=$T55
control "{\"now\": $T55}"
check "55 days old: collected" ig_round 0
check "55 days old: renewed once" test "$(tok)" = $((n0 + 1))
check "renewed with fb_exchange_token" bash -c "curl -s '$B/_stats' | grep -q fb_exchange_token"
check "the new token lasts 60 days" test "$(conn login_expires_in_days)" = 60
check "issued now" test "$(sql "SELECT issued_at FROM credential WHERE platform = 'instagram'")" = $T55
export MEDIADASH_TEST_NOW=$((T55 + 3600))
check "an hour later: collected" ig_round 0
check "an hour later: not renewed again" test "$(tok)" = $((n0 + 1))

# a renewal that fails while the token is still valid: a week's warning
T=$((T55 + 54 * DAY))
export MEDIADASH_TEST_NOW=$T
control "{\"now\": $T}"
fault '{"path": "/oauth/access_token", "kind": "status", "status": 500, "times": 1}'
check "renewal fails: the round still collects" ig_round 0
check "the failure logged with the days left" contains "$TMP/err" "the login expires in 6 days"
check "and the week's warning logged" contains "$TMP/err" "the login ends in 6 day(s) unless renewed: reconnect"
check "recorded for Sources" test -n "$(conn renew_error | grep 'HTTP 500')"
check "6 days left" test "$(conn login_expires_in_days)" = 6
check "still ok" test "$(conn status)" = ok

# what the dashboard shows (GET /api/v1/sources): the login's end, the
# failed renewal, the dropped metrics per media kind; and the flavour a
# connection asks for (POST /api/v1/connections/instagram)
check "serve starts" serve_start "$DB" --no-collect
check "login" login "$DB" "$URL"
curl -s -m 10 -b "$COOKIES" "$URL/api/v1/sources" >"$TMP/sources.json"
check "sources: login expires in 6 days" test "$(acct login_expires_in_days)" = 6
check "sources: within the week's warning" test "$(acct login_expires_soon)" = true
check "sources: the failed renewal" bash -c "python3 -c 'import json,sys; a=[a for a in json.load(open(sys.argv[1]))[\"accounts\"] if a[\"platform\"] == \"instagram\"][0]; sys.exit(0 if \"HTTP 500\" in a[\"renew_error\"] else 1)' '$TMP/sources.json'"
check "sources: the drops are forgotten after 7 days" test "$(acct dropped_metrics)" = '[]'
post() { curl -s -m 20 -b "$COOKIES" -H "Origin: $URL" -H "X-CSRF-Token: $CSRF" -H 'Content-Type: application/json' "$@"; }
check "connect with Instagram Login from the dashboard" test "$(post -o "$TMP/begin.json" -w '%{http_code}' --data "{\"account\": \"$IG\", \"login\": \"instagram\"}" "$URL/api/v1/connections/instagram")" = 200
check "its consent page is Instagram's" contains "$TMP/begin.json" "https://www.instagram.com/oauth/authorize?client_id=fake-meta-app"
check "a login that is not a string: 400" test "$(post -o /dev/null -w '%{http_code}' --data '{"login": 5}' "$URL/api/v1/connections/instagram")" = 400
check "an unknown login: refused" test "$(post -o "$TMP/bad.json" -w '%{http_code}' --data '{"login": "myspace"}' "$URL/api/v1/connections/instagram")" = 409
check "says what it takes" contains "$TMP/bad.json" 'login must be'
kill "$SERVER"; wait "$SERVER" 2>/dev/null

# 61 days old: expired, cannot be renewed, reported as needing a login
n1=$(tok)
T=$((T55 + 61 * DAY))
export MEDIADASH_TEST_NOW=$T
control "{\"now\": $T}"
check "61 days old: the round fails" ig_round 1
check "no renewal asked of an expired token" test "$(tok)" = "$n1"
check "needs a new login" test "$(conn status)" = needs_relogin
cat "$TMP/out" "$TMP/err" >"$TMP/both"
check "says why and what to run" contains "$TMP/both" "mediadash connect instagram --account $IG"
check "says the token expired" contains "$TMP/both" "expired"
check "reconnect" connect_one instagram $IG ig-code-2
check "collects again" ig_round 0

# ---- Instagram Login (graph.instagram.com), beside Facebook Login -----------
# The fake answers Instagram Login's hosts under /ig/ (the stats tell the
# flavours apart); the Facebook Login connection above used /v21.0/ and
# /oauth/access_token at the root.
export MEDIADASH_INSTAGRAM_IG_AUTH_URL=$B/ig/oauth/authorize
export MEDIADASH_INSTAGRAM_IG_TOKEN_URL=$B/ig/oauth/access_token
export MEDIADASH_INSTAGRAM_IG_GRAPH_BASE=$B/ig
connect_ig() {
  local state
  md connect instagram --account $IG --login instagram --no-listen >"$TMP/cn.out" 2>&1 || return 1
  grep -q "$B/ig/oauth/authorize?client_id=fake-meta-app" "$TMP/cn.out" || { cat "$TMP/cn.out" >&2; return 1; }
  grep -q "scope=instagram_business_basic" "$TMP/cn.out" || return 1
  state=$(param "$TMP/cn.out" state)
  control "{\"oauth_codes\": {\"$1\": {\"client_id\": \"fake-meta-app\", \"redirect_uri\": \"$CB\"}}}"
  md connect instagram --state "$state" --code "$1" >"$TMP/cn.out" 2>&1 || { cat "$TMP/cn.out" >&2; return 1; }
}
TL=$((T + 3600))
export MEDIADASH_TEST_NOW=$TL
control "{\"now\": $TL}"
fb_media=$(stat_path /v21.0/$IG/media)
check "--login wants facebook or instagram" run 2 "$BIN" --db "$DB" connect instagram --login myspace --no-listen
check "connect with Instagram Login" connect_ig ig-login-code
check "the code exchanged at api.instagram.com" test "$(stat_path /ig/oauth/access_token)" = 1
check "then ig_exchange_token for a long-lived token" test "$(stat_path /ig/access_token)" = 1
check "recorded as Instagram Login" test "$(conn login)" = instagram
check "its login ends in 60 days" test "$(conn login_expires_in_days)" = 60
check "Instagram Login: collected" ig_round 0
check "from graph.instagram.com" test "$(stat_path /ig/v21.0/$IG/media)" -ge 1
check "not from graph.facebook.com" test "$(stat_path /v21.0/$IG/media)" = "$fb_media"
check "media insights too" test "$(stat_path /ig/v21.0/$REEL/insights)" -ge 1
TL55=$((TL + 55 * DAY))
export MEDIADASH_TEST_NOW=$TL55
control "{\"now\": $TL55}"
check "Instagram Login, 55 days old: collected" ig_round 0
check "renewed with ig_refresh_token" test "$(stat_path /ig/refresh_access_token)" = 1
check "Instagram Login: 60 days again" test "$(conn login_expires_in_days)" = 60
check "still Instagram Login" test "$(conn login)" = instagram
check "no token in the database" bash -c "! grep -aq 'fake-at-' '$DB'"
finish
