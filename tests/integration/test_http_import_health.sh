# POST /api/v1/import with Oura pages (issue 16) on a real `mediadash
# serve` over 127.0.0.1: a login session's page goes to the health tables
# (the answer says so: "tables": "health", exact counts; health/days then
# shows its values), dry_run stores nothing, a bad page is a 422 naming
# the file, document and field, and an API token, even a write one, is
# refused with 403 and stores nothing, while the same token still
# imports a social page.
. "$(dirname "$0")/lib.sh"

if [ -z "$REAL" ] || [ ! -d "$REAL/oura" ]; then
  echo "SKIP: no ../shared/realdata/oura" >&2
  exit 0
fi
DB="$TMP/imp.db"
md() { "$BIN" --db "$DB" "$@"; }
jcheck() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if ($2) else 1)" "$1" || { echo "  not: $2" >&2; head -c 800 "$1" >&2; echo >&2; return 1; }; }
# post NAME FILE [QUERY]: with the session; prints the HTTP status
post() { curl -s -m 20 -b "$COOKIES" -H "Origin: $URL" -H "X-CSRF-Token: $CSRF" -o "$TMP/body" -w '%{http_code}' -X POST --data-binary @"$2" "$URL/api/v1/import?name=$1${3:-}"; }
# tpost NAME FILE: with the API token
tpost() { curl -s -m 20 -H "Authorization: Bearer $TOKEN" -o "$TMP/body" -w '%{http_code}' -X POST --data-binary @"$2" "$URL/api/v1/import?name=$1"; }
daily() { python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT count(*) FROM health_daily").fetchone()[0])' "$DB"; }

check "token add" run 0 md -q token add script --scope write
TOKEN=$(cat "$TMP/out")
check "serve" serve_start "$DB"
check "login" login "$DB" "$URL"

code=$(curl -s -m 20 -b "$COOKIES" -o "$TMP/body" -w '%{http_code}' "$URL/api/v1/platforms")
check "platforms" test "$code" = 200
check "  oura is registered, kind other, never publishes" jcheck "$TMP/body" '[(p["kind"], p["publishes"]) for p in d["platforms"] if p["name"] == "oura"] == [("other", False)]'
check "  the others are social" jcheck "$TMP/body" 'all(p["kind"] == "social" for p in d["platforms"] if p["name"] != "oura")'

check "dry run" test "$(post daily_sleep.json "$REAL/oura/daily_sleep_synthetic.json" '&dry_run=1')" = 200
check "  counted, not stored" jcheck "$TMP/body" 'd["tables"] == "health" and d["dry_run"] is True and d["health_documents"] == 2'
check "  nothing in the tables" test "$(daily)" = 0

check "a token is refused" test "$(tpost daily_sleep.json "$REAL/oura/daily_sleep_synthetic.json")" = 403
check "  saying why" jcheck "$TMP/body" '"login session" in d["error"]["message"]'
check "  nothing stored" test "$(daily)" = 0

check "daily_sleep" test "$(post daily_sleep.json "$REAL/oura/daily_sleep_synthetic.json")" = 200
check "  went to health data" jcheck "$TMP/body" 'd == {"file": "daily_sleep.json", "format": "oura.daily_sleep", "tables": "health", "health_documents": 2, "health_new": 2, "health_replaced": 0, "dry_run": False}'
check "readiness" test "$(post r.json "$REAL/oura/daily_readiness_synthetic.json")" = 200
check "  its kind" jcheck "$TMP/body" 'd["format"] == "oura.daily_readiness" and d["health_new"] == 2'
check "again: replaced, not duplicated" test "$(post r.json "$REAL/oura/daily_readiness_synthetic.json")" = 200
check "  counts" jcheck "$TMP/body" 'd["health_new"] == 0 and d["health_replaced"] == 2'
check "four daily rows" test "$(daily)" = 4
code=$(curl -s -m 20 -b "$COOKIES" -o "$TMP/body" -w '%{http_code}' "$URL/api/v1/health/days?from=2026-08-10&to=2026-08-11")
check "health/days shows them" test "$code" = 200
check "  exact" jcheck "$TMP/body" '[(x["day"], x["sleep_score"], x["readiness_score"]) for x in d["days"]] == [("2026-08-10", 85, 79), ("2026-08-11", 68, 61)]'

sed 's/"score": 85/"score": 101/' "$REAL/oura/daily_sleep_synthetic.json" >"$TMP/bad.json"
check "a bad page" test "$(post bad.json "$TMP/bad.json")" = 422
check "  names file, day and field" jcheck "$TMP/body" 'd["error"]["file"] == "bad.json" and "2026-08-10" in d["error"]["message"] and "score" in d["error"]["message"]'
check "  the good rows kept" test "$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT score FROM health_daily WHERE kind = ? AND day = ?", ("daily_sleep", "2026-08-10")).fetchone()[0])' "$DB")" = 85

check "the token still imports social pages" test "$(tpost channels.json "$DATA/youtube/channels_mine.json")" = 200
check "  social" jcheck "$TMP/body" 'd["format"].startswith("youtube") and "tables" not in d'
check "no import row for health pages" test "$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT count(*) FROM import").fetchone()[0])' "$DB")" = 1

finish
