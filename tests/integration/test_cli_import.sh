# mediadash import / export / listing through the real binary and real
# SQLite files (issue 2 acceptance), or a PostgreSQL database
# (integration.pg.test_cli_import); the dry run and the default location
# are about files and stay on SQLite.
. "$(dirname "$0")/lib.sh"

DB=$(newdb a)
md() { "$BIN" --db "$DB" "$@"; }
VIDEOS="$DATA/cli/videos_page.json"
BAD="$DATA/cli/bad/videos_page_one_bad.json"

# --- usage -------------------------------------------------------------
for c in import accounts content show export; do
  check "$c --help" run 0 "$BIN" "$c" --help
  check "$c --help text" contains "$TMP/out" "usage: mediadash $c"
done
check "no command" run 2 "$BIN"
check "unknown command" run 2 "$BIN" frobnicate
check "unknown command message" contains "$TMP/err" 'unknown command "frobnicate"'
check "bad --observed-at" run 2 md import --observed-at yesterday "$VIDEOS"
check "bad --observed-at message" contains "$TMP/err" "not an ISO 8601 time"

# --- import, then export equals the file ------------------------------
check "import videos.list" run 0 md import --observed-at 2024-06-01T12:00:00Z "$VIDEOS"
check "import summary" contains "$TMP/err" "youtube.videos.list: 4 items (4 new), 3 new snapshots, 11 new values"
check "export csv" run 0 md export snapshots --format csv
cp "$TMP/out" "$TMP/export1.csv"
python3 - "$VIDEOS" "$TMP/export1.csv" <<'PY' >"$TMP/cmp" 2>&1
import csv, json, sys
doc = json.load(open(sys.argv[1]))
names = {"viewCount": "views", "likeCount": "likes", "commentCount": "comments",
         "favoriteCount": "yt.favoriteCount"}
want = set()
for it in doc["items"]:
    for k, v in it.get("statistics", {}).items():
        want.add(("youtube", it["snippet"]["channelId"], it["id"],
                  "2024-06-01T12:00:00Z", names[k], str(int(v))))
rows = list(csv.reader(open(sys.argv[2])))
assert rows[0] == ["platform", "account_id", "content_id", "observed_at", "metric", "value"], rows[0]
got = [tuple(r) for r in rows[1:]]
assert len(got) == len(set(got)), "duplicate rows"
assert set(got) == want, (sorted(set(got) ^ want))
print("rows", len(got))
PY
check "csv rows equal the file's statistics" contains "$TMP/cmp" "rows 11"

# Same file again: nothing changes.
check "re-import" run 0 md import --observed-at 2024-06-01T12:00:00Z "$VIDEOS"
check "re-import says so" contains "$TMP/err" "already imported"
check "re-import at another time" run 0 md import --observed-at 2024-06-02T12:00:00Z "$VIDEOS"
check "export after re-import" run 0 md export snapshots
check "re-import changed nothing" same_file "$TMP/out" "$TMP/export1.csv"

# One bad item: whole file refused, item and field named, nothing stored.
check "one bad item refused" run 1 md import --observed-at 2024-06-03T00:00:00Z "$BAD"
check "names the file" contains "$TMP/err" "videos_page_one_bad.json"
check "names the item" contains "$TMP/err" "xYz_123-abc"
check "names the field" contains "$TMP/err" "statistics.likeCount"
check "export after refusal" run 0 md export snapshots
check "refused file stored nothing" same_file "$TMP/out" "$TMP/export1.csv"

# --- bad inputs: each refused with a clear message, nothing stored ----
: >"$TMP/empty.json"
printf '{"kind":"youtube#videoListResponse","items":[{"id":"x"' >"$TMP/truncated.json"
printf '{"kind": youtube}' >"$TMP/malformed.json"
head -c 4096 /dev/urandom >"$TMP/junk.bin"; printf '\xff' >>"$TMP/junk.bin"
printf '[1,2,3]' >"$TMP/array.json"
printf '{"hello":"world"}' >"$TMP/unknown.json"
printf 'not json, not csv\n' >"$TMP/text.txt"
truncate -s 70M "$TMP/huge.json"
check "bad inputs" run 1 md import "$TMP/empty.json"
check "empty" contains "$TMP/err" "empty.json: error: file is empty"
check "truncated" run 1 md import "$TMP/truncated.json"
check "truncated message" contains "$TMP/err" "truncated JSON"
check "malformed" run 1 md import "$TMP/malformed.json"
check "malformed message" contains "$TMP/err" "malformed JSON at line 1"
check "junk" run 1 md import "$TMP/junk.bin"
check "junk message" contains "$TMP/err" "not UTF-8 text"
check "array root" run 1 md import "$TMP/array.json"
check "array message" contains "$TMP/err" "expected a JSON object"
check "unknown shape" run 1 md import "$TMP/unknown.json"
check "unknown message" contains "$TMP/err" "not a recognised platform API response"
check "plain text" run 1 md import "$TMP/text.txt"
check "huge" run 1 md import "$TMP/huge.json"
check "huge message" contains "$TMP/err" "limit"
check "missing file" run 1 md import "$TMP/nope.json"
check "missing message" contains "$TMP/err" "cannot open"
check "export after bad inputs" run 0 md export snapshots
check "bad inputs stored nothing" same_file "$TMP/out" "$TMP/export1.csv"

# Several files: each its own transaction, progress on stderr.
check "mixed batch" run 1 md import "$TMP/empty.json" "$VIDEOS" "$TMP/junk.bin"
check "progress" contains "$TMP/err" "[3/3]"
check "summary" contains "$TMP/err" "3 files: 0 stored, 1 already imported, 2 refused"

# --- dry run stores nothing -----------------------------------------
check "dry run" run 0 "$BIN" --db "$TMP/dry.db" import --dry-run "$VIDEOS"
check "dry run message" contains "$TMP/err" "dry run: nothing stored"
check "dry run created no db" test ! -e "$TMP/dry.db"

# --- listings ----------------------------------------------------------
check "accounts" run 0 md accounts
check "accounts lists the channel" contains "$TMP/out" "UCmediadashDemoChannel01"
check "content sorted by views" run 0 md content --sort views --json
python3 - "$TMP/out" <<'PY' >"$TMP/cmp" 2>&1
import json, sys
items = json.load(open(sys.argv[1]))
ids = [i["id"] for i in items]
assert ids == ["-Kl9mNoPqR1", "Ab3dEf5hIj0", "xYz_123-abc"], ids
assert items[0]["metrics"]["views"] == 3000000000
assert items[1]["metrics"]["likes"] == 812
assert items[1]["duration_s"] == 750
assert items[1]["published_at"] == "2024-05-02T17:00:00Z"
assert items[1]["account_id"] == "UCmediadashDemoChannel01"
print("content ok")
PY
check "content json values" contains "$TMP/cmp" "content ok"
check "content table" run 0 md content --sort views --asc --limit 2
check "content table header" contains "$TMP/out" "VIEWS"
check "content table has 15,234" contains "$TMP/out" "15,234"
check "content search" run 0 md content --search speedrun --json
check "content search hit" contains "$TMP/out" "Ab3dEf5hIj0"
check "content search miss" lacks "$TMP/out" "xYz_123-abc"
check "bad sort" run 2 md content --sort "views; DROP TABLE item"
check "bad platform" run 2 md content --platform myspace
check "show" run 0 md show youtube:Ab3dEf5hIj0
check "show title" contains "$TMP/out" 'Speedrun, part 1: "any%"'
check "show history" contains "$TMP/out" "2024-06-01T12:00:00Z"
check "show json" run 0 md show --json Ab3dEf5hIj0
python3 - "$TMP/out" <<'PY' >"$TMP/cmp" 2>&1
import json, sys
d = json.load(open(sys.argv[1]))
assert d["description"] == "First try.\nSecond line."
assert len(d["snapshots"]) == 1
assert d["snapshots"][0]["metrics"] == {"comments": 97, "likes": 812, "views": 15234, "yt.favoriteCount": 0}, d
print("show ok")
PY
check "show json values" contains "$TMP/cmp" "show ok"
check "show missing" run 4 md show nope

# --- content export ----------------------------------------------------
check "export content jsonl" run 0 md export content -o "$TMP/content.jsonl"
python3 - "$TMP/content.jsonl" <<'PY' >"$TMP/cmp" 2>&1
import json, sys
docs = [json.loads(l) for l in open(sys.argv[1])]
assert len(docs) == 3, len(docs)
d = {x["id"]: x for x in docs}["Ab3dEf5hIj0"]
assert d["title"] == 'Speedrun, part 1: "any%"'
assert d["url"] == "https://www.youtube.com/watch?v=Ab3dEf5hIj0"
assert d["metrics"]["views"] == 15234
assert d["text"].startswith('Speedrun, part 1: "any%"\n\nFirst try.')
print("jsonl ok")
PY
check "content jsonl values" contains "$TMP/cmp" "jsonl ok"
check "export content csv" run 0 md export content --format csv
check "csv formula guard" contains "$TMP/out" "'=SUM(A1) is not a formula here"
check "export jsonl snapshots" run 0 md export snapshots --format jsonl --platform youtube
check "jsonl snapshot row" contains "$TMP/out" '"content_id":"Ab3dEf5hIj0","observed_at":"2024-06-01T12:00:00Z","metric":"views","value":15234'
check "export bad format" run 2 md export snapshots --format xml

# --- rollup zone -------------------------------------------------------
check "rollup zone unknown" run 2 md rollup --zone Not/AZone
check "rollup zone unknown says so" contains "$TMP/err" "Not/AZone"
check "rollup zone set" run 0 md rollup --zone Europe/Berlin
check "rollup zone named" contains "$TMP/err" "days of Europe/Berlin"
check "rollup rebuild keeps zone" run 0 md rollup --rebuild
check "rollup rebuild zone named" contains "$TMP/err" "days of Europe/Berlin"
check "rollup nothing to do" run 2 md rollup
# Dates name local days: east of UTC a day starts the evening before.
check "report in zone" run 0 md report --from 2024-05-01 --to 2024-06-30 --json
check "report in zone from" contains "$TMP/out" '"from":"2024-05-01","to":"2024-06-30"'
check "rollup zone back" run 0 md rollup --zone America/Los_Angeles
check "report in zone west" run 0 md report --from 2024-05-01 --to 2024-06-30 --json
check "report in zone west from" contains "$TMP/out" '"from":"2024-05-01","to":"2024-06-30"'

# --- default database location ----------------------------------------
unset MEDIADASH_DB
check "XDG default db" run 0 env XDG_DATA_HOME="$TMP/xdg" "$BIN" import "$VIDEOS"
check "XDG db created" test -s "$TMP/xdg/mediadash/mediadash.db"

finish
