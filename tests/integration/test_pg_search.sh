# Search on PostgreSQL (docs/postgresql.md "Search on PostgreSQL",
# docs/search.md): the same real captures (realdata, read in place)
# imported into a PostgreSQL database of the test cluster (fixture pg) and
# into a SQLite file; the same queries, through `mediadash search --json`
# and through GET /api/v1/search on a real `serve --no-worker
# --no-collect` on each, find the same items (platform and id, as sets:
# the engines' scores differ, docs/postgresql.md), with the same totals,
# and the marks in the same places of the titles; the queries are the
# fixed ones below (phrase, prefix, diacritics, case, tags, CJK) and
# words taken from the stored titles.
. "$(dirname "$0")/lib.sh"

[ -n "$REAL" ] && [ -d "$REAL/youtube" ] || {
  echo "FAIL: realdata not found (MEDIADASH_REALDATA=$REAL)" >&2; exit 1; }
PG=$(pg_newdb pg_search) || { echo "FAIL: no PostgreSQL database" >&2; exit 1; }
SQ="$TMP/search.db"
FILES=(
  "$REAL/youtube/channels_list_multi_parts_2items.json"
  "$REAL/youtube/videos_list_chart_page1.json"
  "$REAL/youtube/videos_list_chart_page2_last.json"
  "$REAL/youtube/videos_list_snippet_player_single.json"
  "$REAL/twitch/helix_streams_top20_2021-02.json"
  "$REAL/twitch/helix_videos_user_id_2022-11_stream_id_muted_segments.json"
  "$REAL/instagram/ig_user_fields.json"
  "$REAL/instagram/ig_user_media_page1_placeholder_cursors.json"
)
md() { MEDIADASH_TEST_NOW=2000000000 "$BIN" --db "$1" "${@:2}"; }

for db in "$PG" "$SQ"; do
  for f in "${FILES[@]}"; do
    check "import $(basename "$f") into ${db%%:*}" run 0 md "$db" -q import "$f"
  done
done

# The queries: fixed ones, then up to 30 words and 10 prefixes of the
# stored titles (SQLite's, read with python's sqlite3).
python3 - "$SQ" >"$TMP/queries" <<'EOF'
import re, sqlite3, sys
fixed = ['"hide and seek"', 'giddy', 'spielberg extraterrestrial',
         'humildad', 'kingel', 'KINGËL', 'hide*', '"hide and"*', 'seek -x',
         'e-mail', '😎', '"\'); DROP TABLE item; --', 'a:* & b | !c']
for q in fixed:
    print(q)
db = sqlite3.connect(sys.argv[1])
words = []
for (t,) in db.execute("SELECT title FROM item WHERE type = 'content' AND "
                       "title IS NOT NULL ORDER BY id"):
    for w in re.findall(r"\w{4,}", t):
        if w.lower() not in [x.lower() for x in words]:
            words.append(w)
for w in words[:30]:
    print(w)
for w in words[:10]:
    print(w[:3] + "*")
EOF
check "  queries to run" test "$(wc -l <"$TMP/queries")" -ge 40

# A search answer (JSON, as --json and the API give it) reduced to what
# both backends must agree on: the total, then per item "platform:id" and
# its marked title (title_html), sorted; with a sort key, also the key's
# values in the answer's order (views, likes, engagement, published; ties
# in the key fall back to the score, which differs between the engines:
# docs/postgresql.md).
reduce() {
  python3 -c 'import json,sys
d = json.load(open(sys.argv[1]))
print("total", d["total"])
key = {"views": "views", "likes": "likes", "published": "published_at",
       "engagement": "engagement"}.get(d["sort"])
if key:
    print(key, [x[key] for x in d["items"]])
for x in sorted(d["items"], key=lambda x: (x["platform"], x["id"])):
    print(x["platform"] + ":" + x["id"], x["title_html"])' "$1"
}

# The command line: a few queries and filters on both.
n=0
for args in 'giddy' "'\"hide and seek\"'" 'KINGËL' 'the --platform youtube --sort views' \
            'the --tracked' 'the --from 2021-01-01 --to 2022-12-01 --sort published' \
            'the --sort engagement' 'the --platform youtube --sort engagement'; do
  n=$((n + 1))
  # shellcheck disable=SC2086
  eval "set -- $args"
  check "search $args on PostgreSQL" run 0 md "$PG" search "$@" --json --limit 100
  reduce "$TMP/out" >"$TMP/cli.pg.$n"
  check "  on SQLite" run 0 md "$SQ" search "$@" --json --limit 100
  reduce "$TMP/out" >"$TMP/cli.sq.$n"
  check "  the same items, marks and sort keys" same_file "$TMP/cli.sq.$n" "$TMP/cli.pg.$n"
  check "  (something)" lacks "$TMP/cli.pg.$n" "total 0"
done

# A bad query is refused the same way (exit 1, the same message).
check "a query of punctuation on PostgreSQL: exit 1" run 1 md "$PG" search '!!'
cp "$TMP/err" "$TMP/pg.err"
check "  on SQLite too" run 1 md "$SQ" search '!!'
check "  the same message" same_file "$TMP/pg.err" "$TMP/err"

# GET /api/v1/search on a serve over each, with a read token: every query
# of the list, then with the filters and sorts.
export MEDIADASH_SECRET_KEY_FILE="$TMP/pg.key" MEDIADASH_MEDIA_ROOT="$TMP/media"
mkdir -p "$MEDIADASH_MEDIA_ROOT"
for db in "$PG" "$SQ"; do
  tag=${db%%:*}; tag=${tag##*/}
  check "token add on $tag" run 0 "$BIN" --db "$db" token add s --scope read
  tok=$(grep -o 'mdt_[A-Za-z0-9_-]*' "$TMP/out" | head -1)
  check "serve on $tag" serve_start "$db" --no-collect --no-worker
  check "every query through GET /api/v1/search on $tag" python3 - "$URL" "$tok" "$TMP/queries" "$TMP/api.$tag" <<'EOF2'
import json, sys, urllib.parse, urllib.request
url, tok, qfile, out = sys.argv[1:5]
filters = ["", "&platform=youtube&sort=views", "&sort=published",
           "&role=tracked", "&sort=likes", "&platform=twitch",
           "&sort=engagement"]
with open(out, "w") as o:
    for i, q in enumerate(open(qfile, encoding="utf-8").read().splitlines()):
        f = filters[i % len(filters)]
        r = urllib.request.Request(
            url + "/api/v1/search?limit=100&q=" + urllib.parse.quote(q) + f,
            headers={"Authorization": "Bearer " + tok})
        try:
            with urllib.request.urlopen(r, timeout=20) as a:
                d = json.load(a)
        except urllib.error.HTTPError as e:
            print(q, f, "HTTP", e.code, file=o)
            continue
        key = {"views": "views", "likes": "likes",
               "published": "published_at",
               "engagement": "engagement"}.get(d["sort"])
        print(q, f, "total", d["total"], file=o)
        if key:
            print(" ", key, [x[key] for x in d["items"]], file=o)
        for x in sorted(d["items"], key=lambda x: (x["platform"], x["id"])):
            print(" ", x["platform"] + ":" + x["id"], x["title_html"],
                  file=o)
EOF2
  kill "$SERVER"; wait "$SERVER" 2>/dev/null || true
done
check "the API answers the same on both" same_file "$TMP/api.search.db" "$TMP/api.postgresql"
check "  most queries found something" test "$(grep -c ' total [1-9]' "$TMP/api.postgresql")" -ge 25
check "  no query failed" lacks "$TMP/api.postgresql" " HTTP "

finish
