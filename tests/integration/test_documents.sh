# Documents for retrieval (issue 18): `export documents` and
# GET /api/v1/documents through the real binary, a real SQLite file and
# real HTTP over 127.0.0.1; the clock is set with MEDIADASH_TEST_NOW so
# that "changed since" has exact answers.
# - the acceptance scenario: import (the demo and three saved files),
#   export --since T0, import more and remove one import, export --since
#   T1: exactly the changed documents and one tombstone (ids checked);
# - the numbers in documents and their summaries equal what the API shows
#   for the same items (/api/v1/items/P/ID and its /days);
# - the HTTP endpoint pages through everything with its cursor while
#   another process imports: no gaps, a document twice only when it
#   changed in between, and the cursor resumes with just the news.
. "$(dirname "$0")/lib.sh"

DB=$(newdb docs)
Y="$REAL/youtube"
T0=2000000000 # 2033-05-18T03:33:20Z
T1=2000000100 # 2033-05-18T03:35:00Z
iso() { date -u -d "@$1" +%Y-%m-%dT%H:%M:%SZ; }
md() { MEDIADASH_TEST_NOW=$1 "$BIN" --db "$DB" "${@:2}"; }
# ids FILE: the ids of the JSON lines, one per line, in order
ids() { python3 -c 'import json,sys; [print(json.loads(l)["id"]) for l in open(sys.argv[1])]' "$1"; }

# ---- phase 0: the demo and three saved files at T0 -------------------------
check "demo" run 0 env MEDIADASH_TEST_NOW=$T0 "$BIN" --db "$DB" -q demo \
  --items 8 --days 32 --end 2026-03-01T00:00:00Z
for f in channels_list_multi_parts_2items videos_list_snippet_player_single \
  videos_list_chart_page1; do
  check "import $f" run 0 md $T0 -q import "$Y/$f.json"
done
check "export documents" run 0 md $T0 export documents
cp "$TMP/out" "$TMP/all0.jsonl"
check "  again: byte for byte the same" run 0 md $T0 export documents
check "  (deterministic)" same_file "$TMP/all0.jsonl" "$TMP/out"
check "export documents --since T0" run 0 md $T0 export documents --since "$(iso $T0)"
check "  the same documents (nothing was removed)" same_file "$TMP/all0.jsonl" "$TMP/out"
check "every document is valid, ids unique, no health data" python3 - "$TMP/all0.jsonl" <<'EOF'
import json, sys
docs = [json.loads(l) for l in open(sys.argv[1])]
ids = [d["id"] for d in docs]
assert len(ids) == len(set(ids)), "duplicate ids"
assert all(i.startswith("mediadash://") for i in ids)
kinds = {d["type"] for d in docs}
assert kinds == {"content", "account", "account_day"}, kinds
assert not any("oura" in i or "health" in i for i in ids)
# the demo's 8 posted items and its Twitch streams, archives and clips,
# its 4 accounts, the 2 channels, 1 + 5 videos and the 5 channels of the
# chart page (bare accounts)
tw = sum(d["type"] == "content" and d["id"].startswith("mediadash://twitch/") for d in docs)
assert tw >= 2 * 4, tw  # 32 days: four weeks of 3 to 5 streams, each with its archive
assert sum(d["type"] == "content" for d in docs) == 8 + tw + 6, len(docs)
assert sum(d["type"] == "account" for d in docs) == 4 + 2 + 5
# day documents only for own accounts
own = {d["account_id"] for d in docs if d["type"] == "account" and d["role"] == "own"}
assert all(d["account_id"] in own for d in docs if d["type"] == "account_day")
assert all(d["summary"] for d in docs if d["type"] != "account" or d["title"])
EOF

# ---- phase 1 at T1: one import more, one import removed ----------------------
check "import the chart's second page at T1" run 0 md $T1 -q import "$Y/videos_list_chart_page2_last.json"
check "imports --json" run 0 md $T1 imports --json
single=$(python3 -c 'import json,sys; print([i["id"] for i in json.load(open(sys.argv[1]))["imports"] if i["file"].endswith("snippet_player_single.json")][0])' "$TMP/out")
check "remove the single video's import at T1" run 0 md $T1 -q imports remove "$single" --yes
check "export documents --since T1" run 0 md $T1 export documents --since "$(iso $T1)"
cp "$TMP/out" "$TMP/since1.jsonl"
ids "$TMP/since1.jsonl" | sort >"$TMP/since1.ids"
cat >"$TMP/want1.ids" <<'EOF'
mediadash://youtube/4MK8usgnvfo
mediadash://youtube/D-lhorsDlUQ
mediadash://youtube/MKM90u7pf3U
mediadash://youtube/account/UCBlbxksRa-KRSEKLi6foxjQ
mediadash://youtube/account/UCi9cDo6239RAzPpBZO9y5SA
mediadash://youtube/account/UCs6eXM7s8Vl5WcECcRHc2qQ
mediadash://youtube/h107pApTY84
EOF
check "  exactly the changed documents" same_file "$TMP/want1.ids" "$TMP/since1.ids"
check "  and one tombstone, for the removed video" python3 - "$TMP/since1.jsonl" "$(iso $T1)" <<'EOF'
import json, sys
docs = [json.loads(l) for l in open(sys.argv[1])]
gone = [d for d in docs if d.get("deleted")]
assert gone == [{"id": "mediadash://youtube/D-lhorsDlUQ", "deleted": True,
                 "deleted_at": sys.argv[2]}], gone
assert all(d["updated_at"] == sys.argv[2] for d in docs if not d.get("deleted"))
EOF
check "export documents (all) no longer has the video" run 0 md $T1 export documents
check "  and no tombstone" lacks "$TMP/out" '"deleted"'
check "  " lacks "$TMP/out" 'D-lhorsDlUQ'
check "--since T1 --owned: nothing (all of it was tracked)" run 0 md $T1 export documents --since "$(iso $T1)" --owned
check "  empty" test ! -s "$TMP/out"
check "--owned and --tracked together: usage" run 2 md $T1 export documents --owned --tracked
check "documents as csv: usage" run 2 md $T1 export documents --format csv
check "documents --until: usage" run 2 md $T1 export documents --until 2030-01-01

# ---- a new snapshot of a tracked channel: its document changes -----------
T2=$((T1 + 100))
python3 - "$Y/channels_list_multi_parts_2items.json" "$TMP/ch2.json" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
d["items"] = d["items"][:1]
d["items"][0]["statistics"]["subscriberCount"] = str(int(d["items"][0]["statistics"]["subscriberCount"]) + 5)
json.dump(d, open(sys.argv[2], "w"))
EOF
check "import a newer channels.list at T2" run 0 md $T2 -q import "$TMP/ch2.json"
check "export documents --since T2" run 0 md $T2 export documents --since "$(iso $T2)"
ids "$TMP/out" >"$TMP/since2.ids"
check "  just that channel" test "$(cat "$TMP/since2.ids")" = "mediadash://youtube/account/UCK8sQmJBp8GCxrOtXWBpyEA"
# The same observation again, in a file with other bytes (so not refused
# as imported already): nothing is new, so no document moves.
python3 -c 'import json,sys; json.dump(json.load(open(sys.argv[1])), open(sys.argv[2], "w"), indent=1)' "$TMP/ch2.json" "$TMP/ch2b.json"
python3 - "$TMP/genx.json" <<'EOF'
import json, sys
json.dump({"kind": "youtube#videoListResponse", "items": [{"kind": "youtube#video", "id": "genx",
  "snippet": {"publishedAt": "2026-02-01T10:00:00Z", "title": "x", "channelId": "UCWwWOFsW68TqXE-HZLC3WIA"},
  "statistics": {"viewCount": "7"}}]}, open(sys.argv[1], "w"))
EOF
check "another item changes after the channel" run 0 md $T2 -q import "$TMP/genx.json"
check "export documents" run 0 md $T2 export documents
cp "$TMP/out" "$TMP/all2.jsonl"
check "import the same observation in another file" run 0 md $T2 import "$TMP/ch2b.json"
check "  nothing new" contains "$TMP/err" "0 new snapshots, 0 new values"
check "export documents again" run 0 md $T2 export documents
check "  the same, in the same order" same_file "$TMP/all2.jsonl" "$TMP/out"
T3=$((T2 + 100))

# ---- the numbers equal the API's -------------------------------------------
serve_start "$DB"
check "token add" run 0 "$BIN" --db "$DB" -q token add docs --scope read
TOKEN=$(cat "$TMP/out")
AUTH="Authorization: Bearer $TOKEN"
check "numbers and summaries equal the API's" python3 - "$URL" "$TOKEN" "$TMP/all0.jsonl" <<'EOF'
import json, sys, urllib.request, datetime, re
url, token, path = sys.argv[1:4]
def get(p):
    req = urllib.request.Request(url + p, headers={"Authorization": "Bearer " + token})
    return json.load(urllib.request.urlopen(req, timeout=30))
def n(v): return f"{v:,}"
docs = [json.loads(l) for l in open(path)]
# the posted items' figures (views-based); the demo's Twitch streams carry
# viewers instead (test_demo_twitch.sh checks those against the API)
content = [d for d in docs if d["type"] == "content" and d["role"] == "own" and d["platform"] != "twitch"]
checked = ratio_seen = at28 = 0
for d in content:
    ext = d["id"].split("/")[-1]
    api = get(f"/api/v1/items/{d['platform']}/{ext}?limit=5000")
    last = api["snapshots"][-1]["metrics"]
    assert d["views"] == last["views"], (d["id"], d["views"], last["views"])
    assert d["vs_typical"] == api["vs_typical"], (d["vs_typical"], api["vs_typical"])
    pub = d["published_at"][:10]
    days = get(f"/api/v1/items/{d['platform']}/{ext}/days?metrics=views&from={pub}&to=2026-03-01")
    gains = days["series"]["views"]["gain"]
    lasts = days["series"]["views"]["last"]
    known = [(g, i) for i, g in enumerate(gains) if g is not None]
    g, i = max(known, key=lambda x: (x[0], -x[1]))
    start = datetime.date.fromisoformat(days["from"])
    assert d["peak_day"] == {"date": str(start + datetime.timedelta(days=i)), "views_gain": g}, d["peak_day"]
    for k, age in (("views_1d", 1), ("views_7d", 7), ("views_28d", 28)):
        # known once the item has a row on or after publication day + age
        if any(v is not None for v in lasts[age:]):
            prior = [v for v in lasts[:age + 1] if v is not None]
            assert d.get(k) == prior[-1], (k, d.get(k), prior)
        else:
            assert k not in d, k
    eng = (last.get("likes", 0) + last.get("comments", 0) + last.get("shares", 0) + last.get("saves", 0)) / last["views"]
    assert abs(d["engagement"] - eng) < 1e-12
    s = d["summary"]
    want = n(d["views_28d"]) + " views in 28 days" if "views_28d" in d else n(d["views"]) + " views"
    assert want in s, (want, s)
    if "views_28d" in d: at28 += 1
    assert f"peak day +{n(g)} on {d['peak_day']['date']}" in s, s
    assert f"engagement {eng * 100:.1f}%" in s, s
    t = api["vs_typical"]
    if t and t["ratio"] is not None:
        assert f"{t['ratio']:.1f}x the typical at {t['age_days']} days" in s, s
        ratio_seen += 1
    pub_t = datetime.datetime.fromisoformat(d["published_at"].replace("Z", "+00:00"))
    assert s.startswith(pub_t.strftime("Published %a %H:%M UTC; ")), s
    checked += 1
assert checked == 8 and ratio_seen > 0 and at28 > 0, (checked, ratio_seen, at28)
EOF

# ---- paging over HTTP while another process imports ------------------------
check "no token: 401" test "$(curl -s -o /dev/null -w '%{http_code}' "$URL/api/v1/documents")" = 401
check "bad cursor: 400" test "$(curl -s -o /dev/null -w '%{http_code}' -H "$AUTH" "$URL/api/v1/documents?cursor=abc")" = 400
check "limit over 500: 400" test "$(curl -s -o /dev/null -w '%{http_code}' -H "$AUTH" "$URL/api/v1/documents?limit=501")" = 400
check "bad since: 400" test "$(curl -s -o /dev/null -w '%{http_code}' -H "$AUTH" "$URL/api/v1/documents?since=yesterday")" = 400
check "bad role: 400" test "$(curl -s -o /dev/null -w '%{http_code}' -H "$AUTH" "$URL/api/v1/documents?role=mine")" = 400

python3 - "$TMP" <<'EOF'
import json, sys
for i in range(6):
    items = [{"kind": "youtube#video", "id": f"gen{i:02d}{k}",
              "snippet": {"publishedAt": "2026-02-01T10:00:00Z", "title": f"generated {i} {k}",
                          "channelId": "UCWwWOFsW68TqXE-HZLC3WIA"},
              "statistics": {"viewCount": str(100 + i), "likeCount": "5", "commentCount": "1"}}
             for k in "ab"]
    json.dump({"kind": "youtube#videoListResponse", "items": items}, open(f"{sys.argv[1]}/gen{i}.json", "w"))
EOF
# the importer: six imports, each a second later on the test clock;
# every third one also a newer snapshot of a channel paged earlier
(
  for i in $(seq 0 5); do
    MEDIADASH_TEST_NOW=$((T3 + 1 + i)) "$BIN" --db "$DB" -q import "$TMP/gen$i.json" || echo "import $i failed"
    if [ $((i % 3)) -eq 0 ]; then
      python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); d["items"][0]["statistics"]["viewCount"]=str(int(d["items"][0]["statistics"]["viewCount"])+int(sys.argv[3])); json.dump(d,open(sys.argv[2],"w"))' \
        "$TMP/ch2.json" "$TMP/ch-$i.json" "$i"
      MEDIADASH_TEST_NOW=$((T3 + 1 + i)) "$BIN" --db "$DB" -q import "$TMP/ch-$i.json" || echo "channel import $i failed"
    fi
  done
  touch "$TMP/importer.done"
) >"$TMP/importer.log" 2>&1 &
IMPORTER=$!
check "page through everything while the importer runs" python3 - "$URL" "$TOKEN" "$TMP" <<'EOF'
import json, os, sys, time, urllib.request
url, token, tmp = sys.argv[1:4]
def page(cursor):
    q = "/api/v1/documents?limit=7" + (f"&cursor={cursor}" if cursor else "")
    req = urllib.request.Request(url + q, headers={"Authorization": "Bearer " + token})
    return json.load(urllib.request.urlopen(req, timeout=30))
seen, cursors, cursor = [], [], None
deadline = time.time() + 300 # the sanitizer build under load is slow
while time.time() < deadline:
    p = page(cursor)
    seen += p["documents"]
    cursor = p["next_cursor"]
    cursors.append(int(cursor[3:]))
    if not p["more"] and os.path.exists(tmp + "/importer.done"):
        p = page(cursor)  # what the importer committed last
        seen += p["documents"]
        assert not p["more"]
        break
    time.sleep(0.02)
else:
    sys.exit("paging did not finish in time")
assert cursor.startswith("d1.")
assert cursors == sorted(cursors), "cursor went back"
json.dump(seen, open(tmp + "/paged.json", "w"))
json.dump(cursor, open(tmp + "/cursor.json", "w"))
# a document twice only when it changed in between
first = {}
for d in seen:
    if d["id"] in first:
        assert d["updated_at"] > first[d["id"]]["updated_at"], ("duplicate without a change", d["id"])
    first[d["id"]] = d
print(len(seen), "documents paged,", len(seen) - len(first), "seen again after a change", file=sys.stderr)
EOF
wait "$IMPORTER"
check "  the importer succeeded" test ! -s "$TMP/importer.log"
check "export documents after the importer" run 0 "$BIN" --db "$DB" export documents
cp "$TMP/out" "$TMP/final.jsonl"
check "  paged ids = exported ids (no gaps), last states equal" python3 - "$TMP/paged.json" "$TMP/final.jsonl" <<'EOF'
import json, sys
paged = json.load(open(sys.argv[1]))
final = [json.loads(l) for l in open(sys.argv[2])]
last = {}
for d in paged:
    last[d["id"]] = d
# pages asked for with a cursor carry tombstones too (the video removed
# at T1): applying the stream in order leaves exactly the live documents
live = {i: d for i, d in last.items() if not d.get("deleted")}
assert set(last) - set(live) == {"mediadash://youtube/D-lhorsDlUQ"}, set(last) - set(live)
last = live
assert set(last) == {d["id"] for d in final}, set(last) ^ {d["id"] for d in final}
for d in final:
    # on a difference, name the fields that differ (paged vs exported)
    diff = {k: (last[d["id"]].get(k), d.get(k)) for k in set(last[d["id"]]) | set(d)
            if last[d["id"]].get(k) != d.get(k)}
    assert not diff, (d["id"], diff)
assert sum(i.startswith("mediadash://youtube/gen") for i in last) == 12 + 1
EOF

# ---- the cursor resumes with just the news, tombstones included ------------
check "accounts remove a tracked channel" run 0 md $((T3 + 50)) -q accounts remove youtube:UCX6OQ3DkcsbYNE6H8uQQuVA --yes
check "resume from the last cursor" python3 - "$URL" "$TOKEN" "$TMP/cursor.json" "$(iso $((T3 + 50)))" <<'EOF'
import json, sys, urllib.request
url, token, cpath, when = sys.argv[1:5]
cursor = json.load(open(cpath))
req = urllib.request.Request(f"{url}/api/v1/documents?cursor={cursor}",
                             headers={"Authorization": "Bearer " + token})
p = json.load(urllib.request.urlopen(req, timeout=30))
assert not p["more"]
got = sorted(d["id"] for d in p["documents"])
assert got == ["mediadash://youtube/X1jMMFOqxEw",
               "mediadash://youtube/account/UCX6OQ3DkcsbYNE6H8uQQuVA"], got
assert all(d == {"id": d["id"], "deleted": True, "deleted_at": when} for d in p["documents"])
EOF
check "the server logged no error" lacks "$SERVE_ERR" "error"

finish
