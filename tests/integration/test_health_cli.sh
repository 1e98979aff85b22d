# Health data (Oura, issue 16) through the real binary and a real SQLite
# file: `import` puts every saved Oura page in the health tables (and not
# one row in the social ones), a re-import duplicates nothing, a bad page
# is refused naming file, item and field and stores nothing, `export
# health` gives the days with exact values, no social export carries
# health data, and `health remove` takes every health row and the Oura
# connection and leaves the social data.
. "$(dirname "$0")/lib.sh"

DB="$TMP/h.db"
md() { "$BIN" --db "$DB" "$@"; }
count() { python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])' "$DB" "$1"; }
jcheck() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if ($2) else 1)" "$1" || { echo "  not: $2" >&2; head -c 600 "$1" >&2; return 1; }; }

if [ -z "$REAL" ] || [ ! -d "$REAL/oura" ]; then
  echo "SKIP: no ../shared/realdata/oura" >&2
  exit 0
fi
OURA=("$REAL"/oura/*.json)

check "demo (social data beside it)" run 0 md -q demo --items 5 --days 10 --end 2026-08-12T00:00:00Z
md export snapshots >"$TMP/snap0.csv"
md export content >"$TMP/content0.jsonl"
items0=$(count 'SELECT count(*) FROM item')
imports0=$(count 'SELECT count(*) FROM import')

check "import the Oura pages" run 0 md import --json "${OURA[@]}"
check "  all five stored in the health tables" jcheck "$TMP/out" \
  'd["ok"] == 5 and all(f["tables"] == "health" and f["status"] == "stored" for f in d["files"])'
check "  formats named" jcheck "$TMP/out" \
  'sorted(f["format"] for f in d["files"]) == ["oura.daily_activity", "oura.daily_readiness", "oura.daily_sleep", "oura.sleep", "oura.sleep"]'
check "  8 new documents" jcheck "$TMP/out" 'sum(f["health_new"] for f in d["files"]) == 8'
check "  no social item added" test "$(count 'SELECT count(*) FROM item')" = "$items0"
check "  no import row" test "$(count 'SELECT count(*) FROM import')" = "$imports0"
check "health status" run 0 md health status --json
check "  counts" jcheck "$TMP/out" 'd == {"daily": 6, "contributors": 42, "sleep": 2, "heartrate": 0, "workout": 0, "session": 0, "spo2": 0, "connection": 0}'

check "import them again" run 0 md import --json "${OURA[@]}"
check "  nothing new, all replaced" jcheck "$TMP/out" \
  'sum(f["health_new"] for f in d["files"]) == 0 and sum(f["health_replaced"] for f in d["files"]) == 8'
check "  still 6 daily rows" test "$(count 'SELECT count(*) FROM health_daily')" = 6

# A bad page: a score of 101 on 2026-08-11, in a copy of the real file.
python3 - "$REAL/oura/daily_sleep_synthetic.json" "$TMP/bad.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["data"][1]["score"] = 101
d["data"].append(dict(d["data"][0], id="new-one", day="2026-08-12"))
json.dump(d, open(sys.argv[2], "w"))
PY
check "a bad page is refused" run 1 md import "$TMP/bad.json"
check "  naming file, item and field" contains "$TMP/err" "bad.json: error: oura: daily_sleep 2026-08-11: field \"score\""
check "  and storing nothing" test "$(count "SELECT count(*) FROM health_daily WHERE day = '2026-08-12'")" = 0
echo '{"detail": "Unauthorized"}' >"$TMP/err401.json"
check "an Oura error body is refused" run 1 md import "$TMP/err401.json"
check "  with its message" contains "$TMP/err" "Oura API error: Unauthorized"

check "export health (csv)" run 0 md export health
check "  header" contains "$TMP/out" "day,sleep_score,readiness_score,activity_score,steps,active_calories,sleep_s,in_bed_s,deep_s,rem_s,light_s,lowest_hr,average_hrv,temperature_deviation"
check "  2026-08-10" contains "$TMP/out" "2026-08-10,85,79,82,8342,410,27000,28200,5400,6300,15300,47,42.000,-0.100"
check "  2026-08-11" contains "$TMP/out" "2026-08-11,68,61,74,5210,260,24300,26100,4500,5100,14700,51,36.000,0.600"
check "export health (jsonl, one day)" run 0 md export health --format jsonl --from 2026-08-11 --to 2026-08-11
check "  one line with the day's values" python3 -c '
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
assert len(rows) == 1, rows
r = rows[0]
assert (r["day"], r["sleep_score"], r["readiness_score"], r["steps"], r["lowest_hr"]) == ("2026-08-11", 68, 61, 5210, 51), r
' "$TMP/out"
check "export health --from bad" run 2 md export health --from yesterday

md export snapshots >"$TMP/snap1.csv"
md export content >"$TMP/content1.jsonl"
check "export snapshots unchanged by health data" same_file "$TMP/snap0.csv" "$TMP/snap1.csv"
check "export content unchanged by health data" same_file "$TMP/content0.jsonl" "$TMP/content1.jsonl"

# Saved session and daily_spo2 pages (no realdata capture exists: built
# from the OpenAPI file's PublicSession and PublicDailySpO2 fields).
cat >"$TMP/session.json" <<'JSON'
{"data": [{"id": "s-1", "day": "2026-08-10", "type": "meditation", "mood": "good", "start_datetime": "2026-08-10T07:00:00+02:00", "end_datetime": "2026-08-10T07:12:30+02:00", "heart_rate": {"interval": 5.0, "items": [61.0, null, 58.0], "timestamp": "2026-08-10T07:00:00+02:00"}, "heart_rate_variability": null, "motion_count": null}], "next_token": null}
JSON
cat >"$TMP/spo2.json" <<'JSON'
{"data": [{"id": "o-1", "day": "2026-08-10", "spo2_percentage": {"average": 95.25}, "breathing_disturbance_index": 12}], "next_token": null}
JSON
check "import a session and a daily_spo2 page" run 0 md import --json "$TMP/session.json" "$TMP/spo2.json"
check "  formats named" jcheck "$TMP/out" \
  'sorted(f["format"] for f in d["files"]) == ["oura.daily_spo2", "oura.session"] and all(f["tables"] == "health" for f in d["files"])'
check "  stored" test "$(count "SELECT type || '/' || mood || '/' || (end_at - start_at) || '/' || (SELECT average || '/' || bdi FROM health_spo2 WHERE day = '2026-08-10') FROM health_session")" = "meditation/good/750/95.25/12"
check "export health with them" run 0 md export health --format jsonl --from 2026-08-10 --to 2026-08-10
check "  the day's SpO2 and session" jcheck "$TMP/out" \
  'd["spo2_average"] == 95.25 and d["sessions"] == 1 and d["session_s"] == 750 and d["sleep_score"] == 85'
# The session's heart rate: a sample every 5 s from 05:00 UTC, the null
# skipped, in the heart rate series as source "session".
check "  the session's heart rate samples" test "$(count "SELECT group_concat(ts || '/' || source || '/' || bpm, ' ') FROM (SELECT * FROM health_hr ORDER BY ts)")" = "1786338000/session/61 1786338010/session/58"

# The Oura connection's rows (as the OAuth flow and collector write them).
python3 - "$DB" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
c.execute("INSERT INTO credential(platform, account, access_token, refresh_token, updated_at) VALUES ('oura', 'me', 'x', 'y', 1)")
c.execute("INSERT INTO collect_job(platform, account, kind, next_due) VALUES ('oura', 'me', 'account', 1)")
c.commit()
PY
check "health remove without --yes and no terminal" run 1 md health remove </dev/null
check "  says why" contains "$TMP/err" "add --yes to confirm"
check "  nothing removed" test "$(count 'SELECT count(*) FROM health_daily')" = 6
check "health remove --yes" run 0 md health remove --yes
check "  says what went" contains "$TMP/err" "removed 6 daily documents, 2 sleep periods, 2 heart rate samples, 0 workouts and 2 rows of the Oura connection"
check "  no health row left" test "$(count 'SELECT (SELECT count(*) FROM health_daily) + (SELECT count(*) FROM health_contrib) + (SELECT count(*) FROM health_sleep) + (SELECT count(*) FROM health_hr) + (SELECT count(*) FROM health_workout)')" = 0
check "  nor a session or SpO2 row" test "$(count 'SELECT (SELECT count(*) FROM health_session) + (SELECT count(*) FROM health_spo2)')" = 0
check "  the removal counted them" contains "$TMP/err" "with 1 sessions and 1 daily SpO2 documents"
check "  no Oura token left" test "$(count "SELECT count(*) FROM credential WHERE platform = 'oura'")" = 0
check "  no Oura job left" test "$(count "SELECT count(*) FROM collect_job WHERE platform = 'oura'")" = 0
md export snapshots >"$TMP/snap2.csv"
check "  the social data stays" same_file "$TMP/snap0.csv" "$TMP/snap2.csv"
check "health --help" run 0 md health --help
check "health with no subcommand" run 2 md health

finish
