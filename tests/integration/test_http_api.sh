# mediadash serve: the JSON API over real HTTP on 127.0.0.1 against a real
# SQLite file filled by `mediadash import`, logged in (test_http_auth.sh
# tests the login itself).
. "$(dirname "$0")/lib.sh"

DB=$(newdb api)
"$BIN" --db "$DB" -q import --observed-at 2024-06-01T12:00:00Z \
  "$DATA/cli/videos_page.json" "$DATA/youtube/channels_mine.json"
"$BIN" --db "$DB" -q import --observed-at 2024-06-02T12:00:00Z \
  "$DATA/tiktok/user_info.json"

check "server started" serve_start "$DB"
check "logged in" login "$DB" "$URL"

# get PATH STATUS: body in $TMP/body, headers in $TMP/headers.
get() {
  local code
  code=$(curl -s -m 10 -b "$COOKIES" -o "$TMP/body" -D "$TMP/headers" -w '%{http_code}' "$URL$1")
  [ "$code" = "$2" ] || { echo "  GET $1: $code, expected $2" >&2; cat "$TMP/body" >&2; return 1; }
}
json() { python3 -c "import json,sys; d=json.load(open('$TMP/body')); sys.exit(0 if ($1) else 1)" || { echo "  not: $1" >&2; cat "$TMP/body" >&2; return 1; }; }

check "health" get /api/v1/health 200
check "health body" json 'd["status"] == "ok" and d["schema"] >= 2'
check "security headers" contains "$TMP/headers" "Content-Security-Policy: default-src 'self'; script-src 'self'"
check "nosniff" contains "$TMP/headers" "X-Content-Type-Options: nosniff"
check "frame-ancestors" contains "$TMP/headers" "frame-ancestors 'none'"
check "no-store" contains "$TMP/headers" "Cache-Control: no-store"

check "accounts" get /api/v1/accounts 200
check "accounts body" json 'd["total"] == 2 and {a["platform"] for a in d["accounts"]} == {"youtube", "tiktok"}'
check "accounts filter" get "/api/v1/accounts?platform=tiktok" 200
check "accounts filter body" json 'd["total"] == 1 and d["accounts"][0]["metrics"]["followers"] == 25310'

check "content by views" get "/api/v1/content?sort=views&limit=2" 200
check "content body" json 'd["total"] == 3 and [i["id"] for i in d["items"]] == ["-Kl9mNoPqR1", "Ab3dEf5hIj0"] and d["items"][1]["metrics"]["views"] == 15234'
check "content page 2" get "/api/v1/content?sort=views&limit=2&offset=2" 200
check "content page 2 body" json '[i["id"] for i in d["items"]] == ["xYz_123-abc"]'
check "content asc" get "/api/v1/content?sort=views&order=asc&limit=1" 200
check "content asc body" json 'd["items"][0]["id"] == "xYz_123-abc"'
check "content search" get "/api/v1/content?q=SPEEDRUN" 200
check "content search body" json '[i["id"] for i in d["items"]] == ["Ab3dEf5hIj0"]'

check "item" get /api/v1/items/youtube/Ab3dEf5hIj0 200
check "item body" json 'd["title"] == "Speedrun, part 1: \"any%\"" and d["snapshots"][0]["metrics"]["likes"] == 812'
check "report" get "/api/v1/report?from=2024-05-01&to=2024-06-30" 200
check "report body" json 'd["from"] == "2024-05-01" and d["total"]["followers"] == 12400 + 25310 and len(d["heatmap"]) == 168'

# Every bad parameter is a 400 that names it.
for q in "limit=0" "limit=501" "limit=x" "offset=-1" "sort=views;drop" "order=up" "platform=myspace"; do
  check "content ?$q" get "/api/v1/content?$q" 400
  check "content ?$q names it" json 'd["error"]["status"] == 400 and d["error"]["param"] == "'"${q%%=*}"'"'
done
check "report bad range" get "/api/v1/report?range=3w" 400
check "report bad range param" json 'd["error"]["param"] == "range"'
check "report bad date" get "/api/v1/report?from=yesterday" 400
check "report bad top" get "/api/v1/report?top=0" 400
check "unknown item" get /api/v1/items/youtube/nope 404
check "bad item path" get /api/v1/items/myspace/x 404
check "unknown path" get /nowhere 404
check "404 is JSON" json 'd["error"]["status"] == 404'

code=$(curl -s -m 10 -b "$COOKIES" -o "$TMP/body" -w '%{http_code}' -X POST "$URL/api/v1/health")
check "POST on a GET route: 405" test "$code" = 405
head -c 20000000 /dev/zero | tr '\0' 'a' >"$TMP/big"
# A route is decided on the headers (issue 13): a body to a GET route is a
# 405, a body over the route's cap a 413, neither read.
code=$(curl -s -m 20 -o "$TMP/body" -w '%{http_code}' -X POST --data-binary @"$TMP/big" "$URL/api/v1/health")
check "oversized body on a GET route: 405" test "$code" = 405
code=$(curl -s -m 20 -o "$TMP/body" -w '%{http_code}' -b "$COOKIES" -H "Origin: $URL" \
  -H "X-CSRF-Token: $CSRF" -X POST --data-binary @"$TMP/big" "$URL/api/v1/import?name=big.json")
check "oversized body: 413" test "$code" = 413

# Keep-alive: several requests on one connection.
curl -s -m 10 -b "$COOKIES" -o /dev/null -o /dev/null -o /dev/null -w '%{num_connects}\n' \
  "$URL/api/v1/health" "$URL/api/v1/accounts" "$URL/api/v1/content" >"$TMP/conns"
connects=0
while read -r n; do connects=$((connects + n)); done <"$TMP/conns"
check "keep-alive reuses the connection" test "$connects" = 1

# The response cache never serves stale data: an import by another
# process (the CLI) raises the data generation, and the next answer sees it.
check "content before import" get "/api/v1/content?sort=views&limit=50" 200
cp "$TMP/body" "$TMP/content.1"
check "content cached" get "/api/v1/content?sort=views&limit=50" 200
check "cached answer is the same" same_file "$TMP/body" "$TMP/content.1"
check "import by the CLI" "$BIN" --db "$DB" -q import --observed-at 2024-06-03T12:00:00Z \
  "$DATA/tiktok/video_list_page1.json"
check "content after import" get "/api/v1/content?sort=views&limit=50" 200
check "new content shows" json 'd["total"] > 3 and any(i["platform"] == "tiktok" for i in d["items"])'
check "report after import" get "/api/v1/report?from=2024-05-01&to=2024-06-30" 200
check "report sees it" json 'd["platforms"]["tiktok"]["content"] > 0'
"$BIN" --db "$DB" rollup --zone Europe/Berlin 2>/dev/null
check "report after a zone change" get "/api/v1/report?from=2024-05-01&to=2024-06-30" 200
check "report names the zone" json 'd["zone"] == "Europe/Berlin" and d["from"] == "2024-05-01"'
check "heatmap after a zone change" get "/api/v1/heatmap?range=7d" 200
check "heatmap names the zone" json 'd["zone"] == "Europe/Berlin" and len(d["buckets"]) == 168'

kill -TERM $SERVER
wait $SERVER
check "stops on SIGTERM" test $? -eq 0
check "says it stops" contains "$SERVE_ERR" "terminated, stopping"
finish
