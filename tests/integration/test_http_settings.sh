# GET /api/v1/settings and POST /api/v1/settings/zone over real HTTP on
# 127.0.0.1 against a real SQLite file: the zone the dashboard sets moves
# the best-time buckets and the report days like `rollup --zone` does.
# Fixtures: tests/data/api/README (A published Sat 2024-06-01 10:00 UTC,
# B Sun 2024-06-02 18:00 UTC).
. "$(dirname "$0")/lib.sh"

DB="$TMP/settings.db"
API="$DATA/api"
md() { "$BIN" --db "$DB" "$@"; }
md -q import --observed-at 2024-06-01T20:00:00Z "$API/day1.json"
md -q import --observed-at 2024-06-02T08:00:00Z "$API/day2am.json"
md -q import --observed-at 2024-06-02T20:00:00Z "$API/day2.json"
md -q import --observed-at 2024-06-03T20:00:00Z "$API/day3.json"
md -q import --observed-at 2024-06-05T20:00:00Z "$API/day5.json"

check "server started" serve_start "$DB"
check "logged in" login "$DB" "$URL"

req() {
  local method=$1 path=$2 want=$3 code
  shift 3
  code=$(curl -s -m 60 -o "$TMP/body" -w '%{http_code}' -X "$method" \
    -b "$COOKIES" -H "Origin: $URL" -H "X-CSRF-Token: $CSRF" "$@" "$URL$path")
  [ "$code" = "$want" ] || { echo "  $method $path: $code, expected $want" >&2; cat "$TMP/body" >&2; echo >&2; return 1; }
}
get() { req GET "$@"; }
# zone STATUS BODY: POST BODY to /api/v1/settings/zone.
zone() { req POST /api/v1/settings/zone "$1" -H 'Content-Type: application/json' --data-binary "$2"; }
json() { python3 -c "import json,sys; d=json.load(open('$TMP/body')); sys.exit(0 if ($1) else 1)" || { echo "  not: $1" >&2; cat "$TMP/body" >&2; echo >&2; return 1; }; }
R="from=2024-06-01&to=2024-06-06"
# The buckets with items, as {(weekday, hour): (mean, n)}.
FULL='{(x["weekday"], x["hour"]): (x["mean"], x["n"]) for x in d["buckets"] if x["n"]}'

check "settings" get /api/v1/settings 200
check "settings: UTC" json 'd == {"zone": "UTC"}'
# UTC: A Saturday 10:00, 300 views in its first week; B Sunday 18:00, 160.
check "heatmap UTC" get "/api/v1/heatmap?min=1&$R" 200
check "heatmap UTC buckets" json "$FULL"' == {(6, 10): (300, 1), (0, 18): (160, 1)} and d["zone"] == "UTC"'
check "report UTC" get "/api/v1/report?$R" 200
check "report UTC days" json 'd["total"]["daily_views_gain"] == [100, 190, 40, 0, 130, 0]'

# Bad zones: 400 naming zone, nothing changes.
for body in '{"zone":"Mars/Olympus"}' '{"zone":""}' '{"zone":5}' '{}' '[]' 'zone=UTC' \
    '{"zone":"../../etc/passwd"}' "{\"zone\":\"$(printf 'E%.0s' $(seq 65))\"}"; do
  want=zone
  case $body in '[]'|'zone=UTC') want=body ;; esac
  check "bad zone $body: 400" zone 400 "$body"
  check "bad zone $body: names $want" json 'd["error"]["param"] == "'$want'"'
done
check "settings after bad zones" get /api/v1/settings 200
check "still UTC" json 'd == {"zone": "UTC"}'
check "heatmap after bad zones" get "/api/v1/heatmap?min=1&$R" 200
check "heatmap unchanged" json "$FULL"' == {(6, 10): (300, 1), (0, 18): (160, 1)}'
check "GET settings/zone: 405" get /api/v1/settings/zone 405

# Asia/Tokyo is UTC+9 (no DST): A is published Saturday 19:00 there, B
# Monday 03:00 (2024-06-03). The snapshots' Tokyo days: 06-02 05:00 A 100,
# 06-02 17:00 A 200, 06-03 05:00 A 250 B 40, 06-04 05:00 A 230 B 100,
# 06-06 05:00 A 300 B 160. A is first seen on 06-02, a day after its
# publication day, so that day has no known gain (the gain rule); B is
# first seen on its publication day and grew from 0. Day gains: 06-01 0;
# 06-02 0; 06-03 A 50 + B 40 = 90; 06-04 A -20 + B 60 = 40; 06-05 0;
# 06-06 A 70 + B 60 = 130. First weeks: A 50-20+70 = 100, B 40+60+60 =
# 160, so the best slot is now B's.
check "set Tokyo" zone 200 '{"zone":"Asia/Tokyo"}'
check "answers the zone and the time" json 'd["zone"] == "Asia/Tokyo" and isinstance(d["seconds"], (int, float)) and 0 <= d["seconds"] < 60 and sorted(d) == ["seconds", "zone"]'
# Several requests, so that other handles of the pool answer too.
for i in 1 2 3 4; do
  check "settings Tokyo $i" get /api/v1/settings 200
  check "settings says Tokyo $i" json 'd == {"zone": "Asia/Tokyo"}'
  check "heatmap Tokyo $i" get "/api/v1/heatmap?min=1&$R" 200
  check "heatmap buckets moved by +9 h $i" json "$FULL"' == {(6, 19): (100, 1), (1, 3): (160, 1)} and d["zone"] == "Asia/Tokyo" and d["best"] == {"weekday": 1, "hour": 3, "mean": 160, "n": 1}'
  check "report Tokyo $i" get "/api/v1/report?$R" 200
  check "report Tokyo days $i" json 'd["total"]["daily_views_gain"] == [0, 0, 90, 40, 0, 130]'
done
check "CLI sees the zone" run 0 md report --from 2024-06-01 --to 2024-06-06 --json
check "CLI report days" python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if d["total"]["daily_views_gain"] == [0, 0, 90, 40, 0, 130] else 1)' "$TMP/out"

# A bad zone after a good one keeps the good one.
check "bad zone after Tokyo" zone 400 '{"zone":"Nowhere/Atall"}'
check "heatmap still Tokyo" get "/api/v1/heatmap?min=1&$R" 200
check "heatmap still +9 h" json "$FULL"' == {(6, 19): (100, 1), (1, 3): (160, 1)}'

# And back to UTC.
check "set UTC" zone 200 '{"zone":"UTC"}'
check "heatmap back" get "/api/v1/heatmap?min=1&$R" 200
check "heatmap back in UTC" json "$FULL"' == {(6, 10): (300, 1), (0, 18): (160, 1)}'
check "report back" get "/api/v1/report?$R" 200
check "report back in UTC" json 'd["total"]["daily_views_gain"] == [100, 190, 40, 0, 130, 0]'

# Without a session, and forged (no CSRF token, foreign Origin): refused.
code=$(curl -s -m 20 -o /dev/null -w '%{http_code}' -X POST -H "Origin: $URL" \
  -H 'Content-Type: application/json' --data-binary '{"zone":"Asia/Tokyo"}' "$URL/api/v1/settings/zone")
check "no session: 401" test "$code" = 401
code=$(curl -s -m 20 -o /dev/null -w '%{http_code}' -X POST -b "$COOKIES" -H "Origin: $URL" \
  -H 'Content-Type: application/json' --data-binary '{"zone":"Asia/Tokyo"}' "$URL/api/v1/settings/zone")
check "no CSRF token: 403" test "$code" = 403
code=$(curl -s -m 20 -o /dev/null -w '%{http_code}' -X POST -b "$COOKIES" -H "Origin: http://evil.example" \
  -H "X-CSRF-Token: $CSRF" -H 'Content-Type: application/json' --data-binary '{"zone":"Asia/Tokyo"}' "$URL/api/v1/settings/zone")
check "foreign Origin: 403" test "$code" = 403
check "settings after forged posts" get /api/v1/settings 200
check "forged posts changed nothing" json 'd == {"zone": "UTC"}'

kill -TERM $SERVER
wait $SERVER
check "stops on SIGTERM" test $? -eq 0
finish
