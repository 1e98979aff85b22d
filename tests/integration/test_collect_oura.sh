# Oura on the fake platform server (fake_oura.py), through the real binary
# and a real SQLite file: connect with the authorization code flow (the
# scopes of the OpenAPI description), collect the eight collections over
# next_token pages into the health tables (exact values by export
# health), collect again without duplicating anything, a 401 answered by
# one refresh, a 429 waited out, an Oura error body that fails the round
# and stores nothing (naming the collection), and the social answers
# (report, exports, search, documents) the same as before Oura was
# connected.
. "$(dirname "$0")/lib.sh"

if [ -z "$REAL" ] || [ ! -d "$REAL/oura" ]; then
  echo "SKIP: no ../shared/realdata/oura" >&2
  exit 0
fi
SRC=$(cd "$DATA/../.." && pwd)
DB="$TMP/oura.db"
md() { "$BIN" --db "$DB" "$@"; }
jcheck() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if ($2) else 1)" "$1" || { echo "  not: $2" >&2; head -c 600 "$1" >&2; return 1; }; }

# The realdata pages, their days moved to the last days before today so
# that the collector's 30-day window holds them.
python3 - "$TMP/dataset.json" "$REAL/oura" "$TMP/days" <<'PY'
import datetime, json, sys
out, real, days_out = sys.argv[1:4]
today = datetime.datetime.now(datetime.timezone.utc).date()
old = ["2026-08-09", "2026-08-10", "2026-08-11"]
new = [str(today - datetime.timedelta(days=d)) for d in (4, 3, 2)]
def load(name):
    text = open("%s/%s" % (real, name)).read()
    for a, b in zip(old, new):
        text = text.replace(a, b)
    return json.loads(text)["data"]
d1 = new[1]
hr = [{"timestamp": "%sT0%d:00:00+00:00" % (d1, h), "bpm": b, "source": s}
      for h, b, s in ((3, 52, "sleep"), (4, 49, "sleep"), (9, 71, "awake"))]
wo = [{"id": "wo-1", "activity": "cycling", "calories": 312.5, "day": d1,
       "distance": 15200.0, "start_datetime": d1 + "T18:00:00+02:00",
       "end_datetime": d1 + "T18:45:00+02:00", "intensity": "moderate",
       "label": None, "source": "confirmed"}]
def se(i, day, t0, t1, typ, mood):
    return {"id": "se-%d" % i, "day": day, "type": typ, "mood": mood,
            "start_datetime": "%sT%s+00:00" % (day, t0),
            "end_datetime": "%sT%s+00:00" % (day, t1), "heart_rate": None,
            "heart_rate_variability": None, "motion_count": None}
d2 = new[2]
sessions = [se(1, d1, "07:00:00", "07:10:00", "meditation", "good"),
            se(2, d1, "12:00:00", "12:05:00", "breathing", None),
            se(3, d2, "21:00:00", "21:20:00", "rest", "great")]
spo2 = [{"id": "sp-1", "day": d1, "spo2_percentage": {"average": 96.482},
         "breathing_disturbance_index": 7},
        {"id": "sp-2", "day": d2, "spo2_percentage": {"average": 97.1},
         "breathing_disturbance_index": None}]
d = {"oauth": {"clients": {"fake-oura-client": {"secret": "fake-oura-secret"}},
               "codes": {}, "refresh_tokens": {}, "expires_in": 86400},
     "oura": {"page_size": 1,
              "daily_sleep": load("daily_sleep_synthetic.json"),
              "daily_readiness": load("daily_readiness_synthetic.json"),
              "daily_activity": load("daily_activity_synthetic.json"),
              "sleep": load("sleep_page1_next_token_synthetic.json") +
                       load("sleep_page2_last_synthetic.json"),
              "heartrate": hr, "workout": wo, "session": sessions,
              "daily_spo2": spo2}}
json.dump(d, open(out, "w"))
open(days_out, "w").write(" ".join(new + [str(today - datetime.timedelta(days=30)), str(today + datetime.timedelta(days=1))]))
PY
read -r D0 D1 D2 FROM TO <"$TMP/days"

python3 "$SRC/tests/fakeplat/fakeplat.py" --data "$TMP/dataset.json" \
  --max-lifetime 600 >"$TMP/port" &
SERVERS="$SERVERS $!"
for _ in $(seq 100); do [ -s "$TMP/port" ] && break; sleep 0.1; done
B="http://127.0.0.1:$(head -1 "$TMP/port")"
CB="http://127.0.0.1:9/oauth/callback"
control() { curl -sS --max-time 10 -o /dev/null -d "$1" "$B/_control"; }
stats() { curl -s --max-time 10 "$B/_stats" | python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
param() { sed -n "s/.*[?&]$2=\([^&]*\).*/\1/p" "$1" | head -1; }
all_due() { python3 -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute("UPDATE collect_job SET next_due = 0"); c.commit()' "$DB"; }
q() { python3 -c 'import sqlite3,sys; r=sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchall(); print("\n".join("|".join(str(x) for x in row) for row in r))' "$DB" "$1"; }
counts() { q "SELECT (SELECT count(*) FROM health_daily), (SELECT count(*) FROM health_sleep), (SELECT count(*) FROM health_hr), (SELECT count(*) FROM health_workout)"; }
more() { q "SELECT (SELECT count(*) FROM health_session), (SELECT count(*) FROM health_spo2)"; }
EP=/v2/usercollection

cat >"$TMP/md.conf" <<CONF
[oura]
client_id = fake-oura-client
auth_url = $B/oauth/authorize
token_url = $B/oauth/token
api_base = $B
redirect_uri = $CB
[collect]
timeout = 5
retries = 2
CONF
export MEDIADASH_CONFIG="$TMP/md.conf"
export MEDIADASH_OURA_CLIENT_SECRET=fake-oura-secret

# --- social data first: its answers must not move --------------------------
check "social import" run 0 md import "$DATA/cli/videos_page.json" "$DATA/youtube/channels_mine.json"
check "report before" run 0 md report --json --from 2024-01-01 --to 2024-12-31
mv "$TMP/out" "$TMP/report.before"
check "export before" run 0 md export snapshots
mv "$TMP/out" "$TMP/export.before"
check "content before" run 0 md export content
mv "$TMP/out" "$TMP/content.before"
check "search before" run 0 md search --json speedrun
mv "$TMP/out" "$TMP/search.before"
check "documents before" run 0 md export documents --since 2000-01-01T00:00:00Z
grep -v '"exported_at"' "$TMP/out" >"$TMP/docs.before"
check "oura is no report platform" run 2 md report --platform oura

# --- connect: the consent URL, then the code ---------------------------------
check "fake started" test -n "$(head -1 "$TMP/port")"
check "consent URL" run 0 md connect oura --account ring --no-listen
cp "$TMP/out" "$TMP/cn.out"; cat "$TMP/err" >>"$TMP/cn.out"
check "consent at the configured page" contains "$TMP/cn.out" "$B/oauth/authorize?"
check "asks the documented scopes" contains "$TMP/cn.out" "scope=personal%20daily%20heartrate%20workout%20session%20spo2Daily"
STATE=$(param "$TMP/cn.out" state)
control '{"oauth_codes": {"oura-code": {"client_id": "fake-oura-client", "redirect_uri": "'"$CB"'"}}}'
check "code exchanged" run 0 md connect oura --state "$STATE" --code oura-code
check "the secret never printed" lacks "$TMP/out" "fake-oura-secret"

# --- round 1: every collection, one document a page ------------------------
check "round 1" run 0 md collect --once
cp "$TMP/out" "$TMP/r1.out"; cat "$TMP/err" >>"$TMP/r1.out"
check "round 1 ok" contains "$TMP/r1.out" "oura ring: ok"
check "stored: 6 daily, 2 sleep, 3 hr, 1 workout" test "$(counts)" = "6|2|3|1"
check "daily_sleep over two pages" test "$(stats 'd["paths"].get("'$EP'/daily_sleep", 0)')" = 2
check "page 2 asked with next_token" test -n "$(stats 'd["last"]["'$EP'/daily_sleep"]["query"].get("next_token", "")')"
check "from 30 days back" test "$(stats 'd["last"]["'$EP'/daily_sleep"]["query"].get("start_date", "")')" = "$FROM"
check "to tomorrow" test "$(stats 'd["last"]["'$EP'/daily_sleep"]["query"].get("end_date", "")')" = "$TO"
check "heartrate by datetime" test "$(stats 'd["last"]["'$EP'/heartrate"]["query"].get("start_datetime", "")')" = "${FROM}T00:00:00Z"
check "stored: 3 sessions, 2 daily SpO2" test "$(more)" = "3|2"
check "sessions over three pages" test "$(stats 'd["paths"].get("'$EP'/session", 0)')" = 3
check "daily_spo2 over two pages" test "$(stats 'd["paths"].get("'$EP'/daily_spo2", 0)')" = 2
check "session page asked with next_token" test -n "$(stats 'd["last"]["'$EP'/session"]["query"].get("next_token", "")')"
check "daily_spo2 page asked with next_token" test -n "$(stats 'd["last"]["'$EP'/daily_spo2"]["query"].get("next_token", "")')"
check "daily_spo2 by date" test "$(stats 'd["last"]["'$EP'/daily_spo2"]["query"].get("start_date", "")')" = "$FROM"
check "a session's values" test "$(q "SELECT type || '|' || mood || '|' || (end_at - start_at) FROM health_session WHERE id = 'se-1'")" = "meditation|good|600"
check "a breathing session without mood" test "$(q "SELECT type || '|' || quote(mood) FROM health_session WHERE id = 'se-2'")" = "breathing|NULL"
check "a night's SpO2 values" test "$(q "SELECT doc_id || '|' || average || '|' || bdi FROM health_spo2 WHERE day = '$D1'")" = "sp-1|96.482|7"
check "bearer on Oura calls" test "$(stats 'd["last"]["'$EP'/workout"]["headers"].get("Authorization", "")[:7]')" = "Bearer "
check "export health" run 0 md export health --from "$D0" --to "$D2"
cat >"$TMP/want.csv" <<CSV
day,sleep_score,readiness_score,activity_score,steps,active_calories,sleep_s,in_bed_s,deep_s,rem_s,light_s,lowest_hr,average_hrv,temperature_deviation,spo2_average,sessions,session_s
$D1,85,79,82,8342,410,27000,28200,5400,6300,15300,47,42.000,-0.100,96.482,2,900
$D2,68,61,74,5210,260,24300,26100,4500,5100,14700,51,36.000,0.600,97.100,1,1200
CSV
check "exact stored values" diff "$TMP/want.csv" "$TMP/out"
check "one daily job a day" test "$(q "SELECT next_due - last_fetch FROM collect_job WHERE platform = 'oura' AND kind = 'account'")" = 86400
check "no content job" test "$(q "SELECT count(*) FROM collect_job WHERE platform = 'oura' AND kind = 'content'")" = 0

# --- round 2: a 401 refreshes once; nothing duplicated; from the newest day
all_due
control '{"faults": [{"path": "'$EP'/daily_readiness", "kind": "expired_token"}, {"path": "'$EP'/heartrate", "kind": "status", "status": 429, "retry_after": 1, "body": {"detail": "Too Many Requests"}}]}'
check "round 2" run 0 md collect --once
cp "$TMP/out" "$TMP/r2.out"; cat "$TMP/err" >>"$TMP/r2.out"
check "round 2 ok after a refresh" contains "$TMP/r2.out" "oura ring: ok"
check "one refresh" test "$(stats 'd["oura_refreshes"]')" = 1
check "the 429 waited out and retried" test "$(stats 'd["paths"]["'$EP'/heartrate"]')" -ge 3
check "nothing duplicated" test "$(counts)" = "6|2|3|1"
check "no session or SpO2 duplicated" test "$(more)" = "3|2"
check "from the day before the newest" test "$(stats 'd["last"]["'$EP'/daily_sleep"]["query"].get("start_date", "")')" = "$D1"

# --- an Oura error body: the round fails, stores nothing, names the endpoint
all_due
control '{"oura_add": {"daily_sleep": [{"id": "new-day", "day": "'"$D2"'", "score": 90, "contributors": {}, "timestamp": "'"$D2"'T04:00:00+00:00"}]}, "faults": [{"path": "'$EP'/workout", "kind": "status", "status": 400, "body": {"detail": "Start date is after end date"}}]}'
check "error round" run 1 md collect --once
cp "$TMP/out" "$TMP/r3.out"; cat "$TMP/err" >>"$TMP/r3.out"
check "the round failed" lacks "$TMP/r3.out" "oura ring: ok"
check "naming the collection" contains "$TMP/r3.out" "oura workout"
check "with Oura's detail" contains "$TMP/r3.out" "Start date is after end date"
check "nothing stored" test "$(q "SELECT score FROM health_daily WHERE kind = 'daily_sleep' AND day = '$D2'")" = 68

all_due
check "round 4" run 0 md collect --once
check "round 4 ok" contains "$TMP/out" "oura ring: ok"
check "the revised day replaced" test "$(q "SELECT score FROM health_daily WHERE kind = 'daily_sleep' AND day = '$D2'")" = 90
check "still no duplicate" test "$(counts)" = "6|2|3|1"

# --- the social answers did not change ---------------------------------------
check "report after" run 0 md report --json --from 2024-01-01 --to 2024-12-31
check "same report" diff "$TMP/report.before" "$TMP/out"
check "export after" run 0 md export snapshots
check "same export" diff "$TMP/export.before" "$TMP/out"
check "content after" run 0 md export content
check "same content" diff "$TMP/content.before" "$TMP/out"
check "search after" run 0 md search --json speedrun
check "same search answer" diff "$TMP/search.before" "$TMP/out"
check "documents after" run 0 md export documents --since 2000-01-01T00:00:00Z
grep -v '"exported_at"' "$TMP/out" >"$TMP/docs.after"
check "same documents" diff "$TMP/docs.before" "$TMP/docs.after"
check "search found the social item" contains "$TMP/search.before" "peedrun"
check "no token in the output" lacks "$TMP/r3.out" "fake-oura-"
check "health status counts the connection" run 0 md health status --json
check "connection rows" contains "$TMP/out" '"connection"'
check "status counts sessions and SpO2" jcheck "$TMP/out" 'd["session"] == 3 and d["spo2"] == 2 and d["connection"] > 0'
check "health remove" run 0 md health remove --yes
check "  says sessions and SpO2 went" contains "$TMP/err" "with 3 sessions and 2 daily SpO2 documents"
check "  none left" test "$(more)|$(counts)" = "0|0|0|0|0|0"
check "  nor the connection" test "$(q "SELECT count(*) FROM credential WHERE platform = 'oura'")" = 0

finish
