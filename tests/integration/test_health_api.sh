# The health API (issue 16) on a real `mediadash serve` over 127.0.0.1:
# /api/v1/health/status, /days and /compare answer a login session with
# the imported Oura days (exact values) and the sleep/readiness vs
# performance comparison, whose figures are checked against the demo's
# own rollup rows computed here in SQL; without a session 401; an API
# token, even a write one, is refused (health data is session-only); the
# social API shows no trace of the health data.
. "$(dirname "$0")/lib.sh"

if [ -z "$REAL" ] || [ ! -d "$REAL/oura" ]; then
  echo "SKIP: no ../shared/realdata/oura" >&2
  exit 0
fi
DB="$TMP/api.db"
md() { "$BIN" --db "$DB" "$@"; }
jcheck() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if ($2) else 1)" "$1" || { echo "  not: $2" >&2; head -c 800 "$1" >&2; echo >&2; return 1; }; }
get() { curl -s -m 20 -b "$COOKIES" -o "$TMP/body" -w '%{http_code}' "$URL$1"; }

# The demo's content runs up to 2026-08-12, over the Oura days.
check "demo" run 0 md -q demo --items 40 --days 30 --end 2026-08-12T00:00:00Z
check "import the Oura pages" run 0 md -q import "$REAL"/oura/*.json
check "serve" serve_start "$DB"
check "login" login "$DB" "$URL"
R="from=2026-08-01&to=2026-08-12"

check "status" test "$(get /api/v1/health/status)" = 200
check "  has data" jcheck "$TMP/body" 'd["has_data"] is True and d["daily"] == 6 and d["sleep"] == 2 and d["connected"] is False'
check "days" test "$(get "/api/v1/health/days?$R")" = 200
check "  two days, exact" jcheck "$TMP/body" '[(x["day"], x["sleep_score"], x["readiness_score"], x["activity_score"], x["steps"], x["sleep_s"], x["lowest_hr"]) for x in d["days"]] == [("2026-08-10", 85, 79, 82, 8342, 27000, 47), ("2026-08-11", 68, 61, 74, 5210, 24300, 51)]'
check "  the range" jcheck "$TMP/body" 'd["from"] == "2026-08-01" and d["to"] == "2026-08-12"'
check "days of another range: none" test "$(get "/api/v1/health/days?from=2026-07-01&to=2026-07-31")" = 200
check "  empty" jcheck "$TMP/body" 'd["days"] == []'
check "bad range refused" test "$(get "/api/v1/health/days?from=2026-08-12&to=2026-08-01")" = 400

check "compare" test "$(get "/api/v1/health/compare?$R")" = 200
cp "$TMP/body" "$TMP/compare.json"
# Expected, from the rollups: owned content published on each day (UTC
# days: the demo's rollup zone) with a known views gain that day.
python3 - "$DB" >"$TMP/expect.json" <<'PY'
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
def day_items(day):
    return db.execute("""
      SELECT d.gain FROM item i
      JOIN item a ON a.id = i.account_id
      JOIN item_day d ON d.item_id = i.id AND d.day = i.published_at / 86400
      JOIN metric m ON m.id = d.metric_id AND m.name = 'views'
      WHERE i.type = 'content' AND d.gain IS NOT NULL
        AND date(i.published_at, 'unixepoch') = ?""", (day,)).fetchall()
a, b = day_items("2026-08-10"), day_items("2026-08-11")
def g(rows, days):
    n = len(rows)
    return {"items": n, "days": days if n else 0,
            "avg": (sum(r[0] for r in rows) / n) if n else None}
# 08-10: readiness 79 (middle), sleep 85 (high); 08-11: 61 and 68 (low)
print(json.dumps({"readiness_high": g([], 0), "readiness_low": g(b, 1),
                  "sleep_high": g(a, 1), "sleep_low": g(b, 1)}))
PY
check "  demo content on both days" jcheck "$TMP/expect.json" 'd["sleep_high"]["items"] > 0 and d["sleep_low"]["items"] > 0'
check "  figures as the rollups say" python3 - "$TMP/compare.json" "$TMP/expect.json" <<'PY'
import json, sys
c, e = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
for score in ("readiness", "sleep"):
    for lvl in ("high", "low"):
        got, want = c[score][lvl], e[score + "_" + lvl]
        assert got["items"] == want["items"] and got["days"] == want["days"], (score, lvl, got, want)
        if want["avg"] is None:
            assert got["avg_first_day_views"] is None, got
        else:
            assert abs(got["avg_first_day_views"] - want["avg"]) < 1e-6, (got, want)
assert c["high_at_least"] == 85 and c["low_below"] == 70 and c["score_days"] == 2
assert "not causes" in c["note"]
PY

# Without a session; with API tokens (read and write): refused.
code=$(curl -s -m 20 -o "$TMP/body" -w '%{http_code}' "$URL/api/v1/health/days?$R")
check "no session: 401" test "$code" = 401
check "token add" run 0 md -q token add script --scope write
TOKEN=$(cat "$TMP/out")
code=$(curl -s -m 20 -o "$TMP/body" -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "$URL/api/v1/health/days?$R")
check "a write token: refused ($code)" test "$code" = 403
code=$(curl -s -m 20 -o "$TMP/body" -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "$URL/api/v1/report?$R")
check "  while the same token reads the social API" test "$code" = 200
check "  whose answer has no health field" python3 -c '
import sys; t = open(sys.argv[1]).read(); sys.exit(1 if ("readiness" in t or "oura" in t) else 0)' "$TMP/body"

check "the Health page's module is served" test "$(get /assets/health.js)" = 200
finish
