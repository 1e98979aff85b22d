# Health data on PostgreSQL (issues 16 and 17, docs/postgresql.md): the
# real Oura captures and small saved heart rate, workout, session and
# SpO2 pages imported into a fresh database of the tests' cluster
# (fixture pg) and into a SQLite file give the same import report, the
# same `health status` and byte-identical `export health` (CSV and JSON
# Lines); a re-import adds nothing; a bad page stores nothing; `serve
# --no-worker --no-collect` on PostgreSQL answers the health API with the
# exact days; `health remove` takes every health row and the Oura
# connection on both, saying the same thing. Few processes: it runs in
# about 20 s on an idle machine.
. "$(dirname "$0")/lib.sh"

[ -n "$REAL" ] && [ -d "$REAL/oura" ] || {
  echo "FAIL: realdata not found (MEDIADASH_REALDATA=$REAL)" >&2; exit 1; }
PG=$(pg_newdb pg_health) || { echo "FAIL: no PostgreSQL database" >&2; exit 1; }
SQ="$TMP/health.db"
PGBIN=${MEDIADASH_PGBIN:-/usr/lib/postgresql/15/bin}
export MEDIADASH_SECRET_KEY_FILE="$TMP/pg.key"
md() { MEDIADASH_TEST_NOW=2000000000 "$BIN" --db "$1" "${@:2}"; }
# both NAME ARGS...: the same command on both backends; their stdout in
# $TMP/pg.NAME and $TMP/sq.NAME, stderr in $TMP/pg.NAME.err and
# $TMP/sq.NAME.err, and the two stdouts byte-identical.
both() {
  local name=$1 db
  shift
  for db in pg sq; do
    local target=$PG
    [ $db = sq ] && target=$SQ
    run 0 md "$target" "$@" || return 1
    cp "$TMP/out" "$TMP/$db.$name"
    cp "$TMP/err" "$TMP/$db.$name.err"
  done
  same_file "$TMP/pg.$name" "$TMP/sq.$name"
}

# Saved pages of the collections without a realdata capture, in the
# shape of the OpenAPI file's documents: 30 heart rate samples (one given
# twice: the page's later one is kept), a workout, a session, a night's
# SpO2; and a bad copy of a real page.
python3 - "$TMP" "$REAL/oura/daily_sleep_synthetic.json" <<'PY'
import json, sys
d = sys.argv[1]
# A bad page: a score of 101 on 2026-08-11 and a new day after it.
bad = json.load(open(sys.argv[2]))
bad["data"][1]["score"] = 101
bad["data"].append(dict(bad["data"][0], id="new-one", day="2026-08-12"))
json.dump(bad, open(d + "/bad.json", "w"))
hr = [{"bpm": 50 + i % 20, "source": "sleep" if i < 20 else "awake",
       "timestamp": "2026-08-10T%02d:%02d:00+00:00" % (i // 12, i % 12 * 5)}
      for i in range(29)]
hr.append(dict(hr[3], bpm=99))
json.dump({"data": hr, "next_token": None}, open(d + "/hr.json", "w"))
json.dump({"data": [{"id": "w-1", "day": "2026-08-10", "activity": "walking",
                     "intensity": "easy", "source": "manual", "label": None,
                     "start_datetime": "2026-08-10T17:00:00+00:00",
                     "end_datetime": "2026-08-10T17:45:00+00:00",
                     "calories": 180.5, "distance": 3500.0}],
           "next_token": None}, open(d + "/workout.json", "w"))
json.dump({"data": [{"id": "s-1", "day": "2026-08-11", "type": "meditation",
                     "mood": "good",
                     "start_datetime": "2026-08-11T07:00:00+02:00",
                     "end_datetime": "2026-08-11T07:12:30+02:00",
                     "heart_rate": None, "heart_rate_variability": None,
                     "motion_count": None}],
           "next_token": None}, open(d + "/session.json", "w"))
json.dump({"data": [{"id": "o-1", "day": "2026-08-10",
                     "spo2_percentage": {"average": 95.25},
                     "breathing_disturbance_index": 12}],
           "next_token": None}, open(d + "/spo2.json", "w"))
PY
FILES=("$REAL"/oura/*.json "$TMP/hr.json" "$TMP/workout.json" "$TMP/session.json" "$TMP/spo2.json")

EMPTY='{"daily":0,"contributors":0,"sleep":0,"heartrate":0,"workout":0,"session":0,"spo2":0,"connection":0}'
ALL='{"daily":6,"contributors":42,"sleep":2,"heartrate":29,"workout":1,"session":1,"spo2":1,"connection":0}'
check "health status on a new PostgreSQL database (was unsupported)" run 0 md "$PG" health status --json
check "  empty" test "$(cat "$TMP/out")" = "$EMPTY"
check "import the Oura pages: the same output" both import import "${FILES[@]}"
check "  the same report" same_file "$TMP/pg.import.err" "$TMP/sq.import.err"
check "  every file stored" contains "$TMP/pg.import.err" "9 files: 9 stored, 0 already imported, 0 refused"
check "  29 samples, one given twice" contains "$TMP/pg.import.err" "hr.json: oura.heartrate: 30 health documents (29 new, 1 replaced)"
check "health status: the same counts" both status health status --json
check "  all of them" test "$(cat "$TMP/pg.status")" = "$ALL"
check "import them again: the same output" both again import "${FILES[@]}"
check "  the same report" same_file "$TMP/pg.again.err" "$TMP/sq.again.err"
check "  nothing new in any of the 9 files" test "$(grep -c '(0 new, ' "$TMP/pg.again.err")" = 9
check "  the samples replaced" contains "$TMP/pg.again.err" "30 health documents (0 new, 30 replaced)"
check "  the same counts" run 0 md "$PG" health status --json
check "  as before" same_file "$TMP/pg.status" "$TMP/out"

check "export health (csv): byte-identical" both csv export health
check "  2026-08-10" contains "$TMP/pg.csv" "2026-08-10,85,79,82,8342,410,27000,28200,5400,6300,15300,47,42.000,-0.100"
check "  2026-08-11" contains "$TMP/pg.csv" "2026-08-11,68,61,74,5210,260,24300,26100,4500,5100,14700,51,36.000,0.600"
check "export health (jsonl, from a day on): byte-identical" both jsonl export health --format jsonl --from 2026-08-10
check "  the night's SpO2" contains "$TMP/pg.jsonl" '"temperature_deviation":-0.1,"spo2_average":95.25,"sessions":0,'
check "  the session" contains "$TMP/pg.jsonl" '"sessions":1,"session_s":750}'

check "a bad page is refused on PostgreSQL" run 1 md "$PG" import "$TMP/bad.json"
check "  naming file, item and field" contains "$TMP/err" "bad.json: error: oura: daily_sleep 2026-08-11: field \"score\""
check "  storing nothing" run 0 md "$PG" health status --json
check "  (the counts as before)" same_file "$TMP/pg.status" "$TMP/out"

# ---- the health API on PostgreSQL --------------------------------------
# (Its answers are written from the same store_health_days rows as
# `export health`, compared with SQLite's above.)
check "serve --no-worker --no-collect on PostgreSQL" serve_start "$PG" --no-worker --no-collect
check "  login" login "$PG" "$URL"
get() { curl -s -m 20 -b "$COOKIES" -o "$TMP/$1" -w '%{http_code}' "$URL$2"; }
R="from=2026-08-01&to=2026-08-12"
check "GET /api/v1/health/status" test "$(get hstatus /api/v1/health/status)" = 200
check "GET /api/v1/health/days" test "$(get hdays "/api/v1/health/days?$R")" = 200
check "GET /api/v1/health/days of another range" test "$(get hnone "/api/v1/health/days?from=2026-07-01&to=2026-07-31")" = 200
check "GET /api/v1/health/compare" test "$(get hcompare "/api/v1/health/compare?$R")" = 200
check "  the answers" python3 - "$TMP" <<'PY'
import json, sys
d = lambda n: json.load(open(sys.argv[1] + "/" + n))
st, days, none, cmp = d("hstatus"), d("hdays"), d("hnone"), d("hcompare")
assert st["has_data"] is True and st["daily"] == 6 and st["sleep"] == 2, st
got = [(x["day"], x["sleep_score"], x["readiness_score"], x["activity_score"],
        x["steps"], x["sleep_s"], x["lowest_hr"]) for x in days["days"]]
assert got == [("2026-08-10", 85, 79, 82, 8342, 27000, 47),
               ("2026-08-11", 68, 61, 74, 5210, 24300, 51)], got
assert days["from"] == "2026-08-01" and days["to"] == "2026-08-12", days
assert none["days"] == [], none
assert cmp["score_days"] == 2 and cmp["high_at_least"] == 85, cmp
PY
code=$(curl -s -m 20 -o "$TMP/body" -w '%{http_code}' "$URL/api/v1/health/days?$R")
check "no session: 401" test "$code" = 401

# ---- health remove -------------------------------------------------------
# The Oura connection's rows, as the OAuth flow and the collector write them.
"$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -d "$PG" -c "
INSERT INTO credential(platform, account, access_token, refresh_token, updated_at) VALUES ('oura', 'me', 'x', 'y', 1), ('youtube', 'UC1', 'x', 'y', 1);
INSERT INTO collect_job(platform, account, kind, next_due) VALUES ('oura', 'me', 'account', 1);" ||
  check "connection rows written on PostgreSQL" false
python3 - "$SQ" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
c.execute("INSERT INTO credential(platform, account, access_token, refresh_token, updated_at) VALUES ('oura', 'me', 'x', 'y', 1), ('youtube', 'UC1', 'x', 'y', 1)")
c.execute("INSERT INTO collect_job(platform, account, kind, next_due) VALUES ('oura', 'me', 'account', 1)")
c.commit()
PY
check "health status (text) counts the connection: the same" both status_text health status
check "  two rows" contains "$TMP/pg.status_text" "Oura connection     2 rows"
check "health remove --yes on both" both remove health remove --yes
check "  saying the same" same_file "$TMP/pg.remove.err" "$TMP/sq.remove.err"
check "  what went" contains "$TMP/pg.remove.err" "removed 6 daily documents, 2 sleep periods, 29 heart rate samples, 1 workouts and 2 rows of the Oura connection, with 1 sessions and 1 daily SpO2 documents"
check "nothing left" run 0 md "$PG" health status --json
check "  all zero" test "$(cat "$TMP/out")" = "$EMPTY"
check "  the YouTube credential stays" test "$("$PGBIN/psql" -X -At -d "$PG" -c "SELECT count(*) FROM credential WHERE platform = 'youtube'")" = 1
check "GET /api/v1/health/days after it" test "$(get hgone "/api/v1/health/days?$R")" = 200
check "  no day" contains "$TMP/hgone" '"days":[]'
finish
