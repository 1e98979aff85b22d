# Full-text search (issue 18; docs/search.md): `mediadash search` and
# GET /api/v1/search of a real `mediadash serve` over 127.0.0.1 with a real
# SQLite file: ranking, phrase and prefix, filters, marks escaped for HTML
# and JSON, hostile queries answered (never a database error), a read
# token enough and none refused, the CLI's JSON the API's, and the index
# following `imports remove`.
. "$(dirname "$0")/lib.sh"

DB="$TMP/search.db"
check "import the fixture page" run 0 "$BIN" --db "$DB" -q import \
  --observed-at 2024-06-01T12:00:00Z "$DATA/cli/videos_page.json"
CHART=""
if [ -n "$REAL" ] && [ -f "$REAL/youtube/videos_list_chart_page1.json" ]; then
  CHART="$REAL/youtube/videos_list_chart_page1.json"
  check "import the real chart page" run 0 "$BIN" --db "$DB" -q import \
    --observed-at 2024-06-02T12:00:00Z "$CHART"
fi

ids() { # ids FILE: the ext ids of a search answer, space-separated
  python3 -c 'import json,sys; print(" ".join(i["id"] for i in json.load(open(sys.argv[1]))["items"]))' "$1"
}

# ---- the CLI ------------------------------------------------------------
check "search a word" run 0 "$BIN" --db "$DB" search speedrun
check "finds the speedrun video" contains "$TMP/out" "youtube:Ab3dEf5hIj0"
check "marks the match" contains "$TMP/out" "[Speedrun], part 1"
check "counts on stderr" contains "$TMP/err" "(1 of 1 matching items)"
check "prefix" run 0 "$BIN" --db "$DB" search --json 'speed*'
check "prefix finds it" test "$(ids "$TMP/out")" = "Ab3dEf5hIj0"
check "a word prefix without * finds nothing" run 0 "$BIN" --db "$DB" search --json speed
check "no items" test "$(ids "$TMP/out")" = ""
check "phrase in order" run 0 "$BIN" --db "$DB" search --json '"stream highlights"'
check "phrase finds it" test "$(ids "$TMP/out")" = "xYz_123-abc"
check "phrase out of order" run 0 "$BIN" --db "$DB" search --json '"highlights stream"'
check "finds nothing" test "$(ids "$TMP/out")" = ""
for q in '"' 'NEAR(a b)' 'title:speedrun' '^speedrun' 'a OR' '(((' \
         "'; DROP TABLE item; --" 'speedrun"*' '*' '-x' '=SUM(A1)'; do
  "$BIN" --db "$DB" search --json -- "$q" >"$TMP/h.out" 2>"$TMP/h.err"
  rc=$?
  check "hostile query [$q] answered (0 or 1, not $rc)" test "$rc" -le 1
done
check "=SUM(A1) is text" run 0 "$BIN" --db "$DB" search --json '=SUM(A1)'
check "and finds its item" test "$(ids "$TMP/out")" = "-Kl9mNoPqR1"
check "empty query refused" run 1 "$BIN" --db "$DB" search ''
check "saying so" contains "$TMP/err" "q: the query is empty"
LONG=$(python3 -c 'print("a" * 10000)')
check "10,000 characters refused" run 1 "$BIN" --db "$DB" search "$LONG"
check "saying the limit" contains "$TMP/err" "at most 256"
check "bad sort: usage" run 2 "$BIN" --db "$DB" search --sort size x
check "bad limit: usage" run 2 "$BIN" --db "$DB" search --limit 0 x
check "two queries: usage" run 2 "$BIN" --db "$DB" search a b
check "tracked only: none" run 0 "$BIN" --db "$DB" search --json --tracked speedrun
check "no tracked items" test "$(ids "$TMP/out")" = ""
check "platform filter" run 0 "$BIN" --db "$DB" search --json --platform instagram speedrun
check "no instagram items" test "$(ids "$TMP/out")" = ""
check "--help" run 0 "$BIN" search --help
check "help names the syntax" contains "$TMP/out" "word* for a prefix"

# ---- serve --------------------------------------------------------------
check "token add read" run 0 "$BIN" --db "$DB" -q token add reader --scope read
RO=$(cat "$TMP/out")
check "serve starts" serve_start "$DB" --no-collect --no-worker
get() { # get OUT QUERY: HTTP status of GET /api/v1/search?QUERY with the token
  curl -s -m 20 -o "$1" -w '%{http_code}' -H "Authorization: Bearer $RO" \
    "$URL/api/v1/search?$2"
}
check "read token: 200" test "$(get "$TMP/a" 'q=highlights')" = 200
check "the item" test "$(ids "$TMP/a")" = "xYz_123-abc"
check "title escaped, match marked" python3 -c '
import json,sys; i=json.load(open(sys.argv[1]))["items"][0]
assert i["title_html"] == "Q&amp;A stream <mark>highlights</mark>", i["title_html"]
assert i["title_html_parts"] == [{"text": "Q&A stream ", "mark": False}, {"text": "highlights", "mark": True}], i
assert i["title"] == "Q&A stream highlights" and i["score"] > 0' "$TMP/a"
check "a quote and markup in a title stay text" test "$(get "$TMP/q" 'q=any')" = 200
check "escaped in HTML, plain in parts" python3 -c '
import json,sys; i=json.load(open(sys.argv[1]))["items"][0]
assert i["id"] == "Ab3dEf5hIj0"
assert i["title_html"] == "Speedrun, part 1: &quot;<mark>any</mark>%&quot;", i["title_html"]
assert i["title_html_parts"][1] == {"text": "any", "mark": True}' "$TMP/q"
check "the content listing" test "$(curl -s -m 20 -o "$TMP/c" -w '%{http_code}' \
  -H "Authorization: Bearer $RO" "$URL/api/v1/content?limit=100")" = 200
check "search names items as /content does (id, account_id)" python3 -c '
import json,sys
hit = json.load(open(sys.argv[1]))["items"][0]
c = [i for i in json.load(open(sys.argv[2]))["items"] if i["platform"] == hit["platform"] and i["id"] == hit["id"]]
assert len(c) == 1, (hit["id"], c)
for k in ("id", "platform", "account_id", "kind", "title", "url", "published_at", "role"):
    assert hit[k] == c[0][k], (k, hit[k], c[0][k])
assert "ext_id" not in hit and "account" not in hit, hit' "$TMP/q" "$TMP/c"
content() { # content OUT QUERY: HTTP status of GET /api/v1/content?QUERY
  curl -s -m 20 -o "$1" -w '%{http_code}' -H "Authorization: Bearer $RO" \
    "$URL/api/v1/content?$2"
}
# /api/v1/content?q= stays a title substring filter (docs/search.md), and
# takes role= as search does (the Content page's own/tracked menu)
check "content q: a title substring" test "$(content "$TMP/c" 'q=PEEDRU&limit=100')" = 200
check "not a word: found" test "$(ids "$TMP/c")" = "Ab3dEf5hIj0"
check "content role=own" test "$(content "$TMP/c" 'role=own&sort=title&order=asc&limit=2')" = 200
check "own items, with the total" python3 -c '
import json,sys; d=json.load(open(sys.argv[1])); ids=[i["id"] for i in d["items"]]
assert len(ids) == 2 and d["total"] >= 3 and all(i["role"] == "own" for i in d["items"]), d' "$TMP/c"
check "content role=tracked" test "$(content "$TMP/c" 'role=tracked&q=peedru')" = 200
check "no tracked items" test "$(ids "$TMP/c")" = ""
check "content role=mine: 400" test "$(content "$TMP/e" 'role=mine')" = 400
check "names role" python3 -c 'import json,sys; assert json.load(open(sys.argv[1]))["error"]["param"] == "role"' "$TMP/e"
check "no token: 401" test "$(curl -s -m 20 -o /dev/null -w '%{http_code}' "$URL/api/v1/search?q=x")" = 401
check "no q: 400" test "$(get "$TMP/e" '')" = 400
check "names q" python3 -c 'import json,sys; e=json.load(open(sys.argv[1]))["error"]; assert e["param"] == "q", e' "$TMP/e"
check "empty q: 400" test "$(get "$TMP/e" 'q=')" = 400
check "limit 101: 400" test "$(get "$TMP/e" 'q=x&limit=101')" = 400
check "names limit" python3 -c 'import json,sys; assert json.load(open(sys.argv[1]))["error"]["param"] == "limit"' "$TMP/e"
check "bad sort: 400" test "$(get "$TMP/e" 'q=x&sort=size')" = 400
check "bad from: 400" test "$(get "$TMP/e" 'q=x&from=yesterday')" = 400
check "bad role: 400" test "$(get "$TMP/e" 'q=x&role=mine')" = 400
check "hostile q: 200" test "$(get "$TMP/h" 'q=%22%20NEAR(%5E%20title%3A')" = 200
check "CLI --json is the API's answer" sh -c '
  "$0" --db "$1" search --json --sort views --limit 5 "stream OR speedrun*" >"$2/cli.json" &&
  curl -s -m 20 -H "Authorization: Bearer $3" \
    "$4/api/v1/search?q=stream%20OR%20speedrun*&sort=views&limit=5" >"$2/api.json" &&
  python3 -c "import json,sys; assert json.load(open(sys.argv[1])) == json.load(open(sys.argv[2]))" "$2/cli.json" "$2/api.json"' \
  "$BIN" "$DB" "$TMP" "$RO" "$URL"

if [ -n "$CHART" ]; then
  check "real title: phrase" test "$(get "$TMP/r" 'q=%22hide%20and%20seek%22')" = 200
  check "finds X1jMMFOqxEw" test "$(ids "$TMP/r")" = "X1jMMFOqxEw"
  check "a word only in the tags" test "$(get "$TMP/r" 'q=spielberg')" = 200
  check "finds Pdgk3ERKdug with its tags" python3 -c '
import json,sys; i=json.load(open(sys.argv[1]))["items"]; assert [x["id"] for x in i] == ["Pdgk3ERKdug"], i
assert "Spielberg" in i[0]["tags"], i[0]["tags"]' "$TMP/r"
  check "published range filter" test "$(get "$TMP/r" 'q=%22hide%20and%20seek%22&to=2000-01-01')" = 200
  check "nothing before 2000" test "$(ids "$TMP/r")" = ""
  IMP=$("$BIN" --db "$DB" imports --json | python3 -c '
import json,sys; d=json.load(sys.stdin); l=d["imports"] if isinstance(d,dict) else d
print(max(i["id"] for i in l))')
  check "remove the real import" run 0 "$BIN" --db "$DB" imports remove "$IMP" --yes
  check "its items leave the index" test "$(get "$TMP/r" 'q=%22hide%20and%20seek%22')" = 200
  check "no hit after removal" test "$(ids "$TMP/r")" = ""
  check "the others stay" test "$(get "$TMP/r" 'q=speedrun')" = 200
  check "speedrun still found" test "$(ids "$TMP/r")" = "Ab3dEf5hIj0"
fi
finish
