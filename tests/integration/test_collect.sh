# mediadash collect against the fake platform server: one account per
# platform connected through the fake's OAuth, one collection round, and
# every value the fake served (dataset file, value by value, across
# pages) found in the exported snapshots.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/collect_lib.sh"

check "fake started" test -n "$(head -1 "$TMP/port")"
check "connect youtube" connect_one youtube UC1 yt-code
check "connect instagram" connect_one instagram 17841400000000001 ig-code
check "connect tiktok" connect_one tiktok tt-any tt-code
check "collect" run 0 md collect --once
cp "$TMP/out" "$TMP/collect.out"
cat "$TMP/collect.out"
check "youtube summary" contains "$TMP/collect.out" "youtube UC1: ok, "
check "instagram summary" contains "$TMP/collect.out" "instagram 17841400000000001: ok, "
check "tiktok summary" contains "$TMP/collect.out" "tiktok tt-any: ok, "
check "playlist paged" test "$(stat_path /youtube/v3/playlistItems)" = 2
check "videos in batches of 50" test "$(stat_path /youtube/v3/videos)" = 2
check "quota counted (1 + 2 + 2 units)" contains "$TMP/collect.out" "quota 5 units (today 5 of 10000)"
check "tiktok list paged" test "$(stat_path /v2/video/list/)" = 2
check "tiktok query in batches of 20" test "$(stat_path /v2/video/query/)" = 2
check "export" run 0 md export snapshots --format csv
cp "$TMP/out" "$TMP/snap.csv"
check "every served value stored" python3 - "$TMP/dataset.json" "$TMP/snap.csv" <<'PY'
import csv, json, sys
d = json.load(open(sys.argv[1]))
got = {}
for r in csv.DictReader(open(sys.argv[2])):
    got[(r["platform"], r["content_id"] or r["account_id"], r["metric"])] = r["value"]
want = {}
yt = d["youtube"]
ch = yt["channel"]
want[("youtube", ch["id"], "followers")] = ch["statistics"]["subscriberCount"]
want[("youtube", ch["id"], "views")] = ch["statistics"]["viewCount"]
for v in yt["videos"]:
    s = v["statistics"]
    want[("youtube", v["id"], "views")] = s["viewCount"]
    if "likeCount" in s:
        want[("youtube", v["id"], "likes")] = s["likeCount"]
    if "commentCount" in s:
        want[("youtube", v["id"], "comments")] = s["commentCount"]
hdr = [h["name"] for h in yt["analytics"]["columnHeaders"]]
last = yt["analytics"]["rows"][-1]
want[("youtube", ch["id"], "yt.day.views")] = None  # per day: checked below
ig = d["instagram"]
want[("instagram", ig["user"]["id"], "followers")] = ig["user"]["followers_count"]
for m in ig["media"]:
    want[("instagram", m["id"], "likes")] = m["like_count"]
    want[("instagram", m["id"], "comments")] = m["comments_count"]
for mid, ins in ig["insights"].items():
    for o in ins:
        name = {"saved": "saves"}.get(o["name"], o["name"])
        if name in ("reach", "views", "likes", "comments", "saves", "shares"):
            want[("instagram", mid, name)] = o["values"][0]["value"]
tt = d["tiktok"]
want[("tiktok", tt["user"]["open_id"], "followers")] = tt["user"]["follower_count"]
for v in tt["videos"]:
    want[("tiktok", v["id"], "views")] = v["view_count"]
    want[("tiktok", v["id"], "likes")] = v["like_count"]
    want[("tiktok", v["id"], "comments")] = v["comment_count"]
    want[("tiktok", v["id"], "shares")] = v["share_count"]
bad = 0
for k, v in want.items():
    if v is None:
        if k not in got:
            print("missing", k); bad += 1
        continue
    if got.get(k) != str(v):
        print("differs", k, "want", v, "got", got.get(k)); bad += 1
counts = {}
for (p, i, m) in got:
    counts.setdefault(p, set()).add(i)
print("items per platform:", {p: len(s) for p, s in counts.items()}, "checked", len(want))
ok = len(counts.get("youtube", ())) == 61 and len(counts.get("instagram", ())) == 31 \
    and len(counts.get("tiktok", ())) == 26
sys.exit(1 if bad or not ok else 0)
PY
check "a second run: nothing due" run 0 md collect
check "says nothing due" contains "$TMP/out" "youtube UC1: nothing due"
check "sources --json" run 0 md sources --json
check "six jobs, all ok" python3 -c '
import json,sys; d=json.load(open(sys.argv[1]))
assert len(d["jobs"]) == 6, d
assert all(j["status"] == "ok" and j["failures"] == 0 for j in d["jobs"]), d
assert d["youtube_quota"]["used_today"] == 5 and d["youtube_quota"]["limit"] == 10000, d' "$TMP/out"
check "sources table" run 0 md sources
check "quota line" contains "$TMP/out" "YouTube quota today: 5 of 10000 units"
# ---- per-item schedule: only the due items' metrics are fetched --------
check "items tracked in the store" test "$(sql "$DB" "SELECT count(*) FROM collect_item")" = 115
sql "$DB" "UPDATE collect_item SET next_due = 0 WHERE platform = 'youtube' AND item_id IN (SELECT item_id FROM collect_item WHERE platform = 'youtube' ORDER BY item_id LIMIT 3)"
v0=$(stat_path /youtube/v3/videos)
p0=$(stat_path /youtube/v3/playlistItems)
check "a round for 3 due videos" run 0 md collect --platform youtube
cat "$TMP/out"
check "one videos.list call" test "$(stat_path /youtube/v3/videos)" = $((v0 + 1))
check "no listing (not due)" test "$(stat_path /youtube/v3/playlistItems)" = "$p0"
check "asked for exactly the 3 due ids" bash -c "curl -s '$B/_stats' | python3 -c 'import json,sys; q=json.load(sys.stdin)[\"last\"][\"/youtube/v3/videos\"][\"query\"][\"id\"]; print(q); sys.exit(0 if len(q.split(\",\")) == 3 else 1)'"
check "quota: channels.list + videos.list = 2 units" contains "$TMP/out" "quota 2 units (today 7 of 10000)"
check "the 3 videos and the channel (channels.list) stored" contains "$TMP/out" "4 items, 4 snapshots stored"
check "they are due again in a week (old videos)" test "$(sql "$DB" "SELECT count(*) FROM (SELECT next_due - last_fetch AS wait FROM collect_item WHERE platform = 'youtube' ORDER BY last_fetch DESC LIMIT 3) AS last3 WHERE wait = 7 * 86400")" = 3
# ---- the hourly listing reads pages only while they bring new items ----
sql "$DB" "UPDATE collect_job SET next_due = 0 WHERE kind = 'content'"
p0=$(stat_path /youtube/v3/playlistItems); l0=$(stat_path /v2/video/list/); v0=$(stat_path /youtube/v3/videos)
check "a listing round" run 0 md collect
check "youtube: one playlist page (nothing new on it)" test "$(stat_path /youtube/v3/playlistItems)" = $((p0 + 1))
check "tiktok: one list page" test "$(stat_path /v2/video/list/)" = $((l0 + 1))
check "no videos.list: nothing new or due" test "$(stat_path /youtube/v3/videos)" = "$v0"
check "quota: channels.list + 1 page" contains "$TMP/out" "quota 2 units (today 9 of 10000)"
# ---- an id the platform no longer returns is marked removed -----------
# Ab3dEf5hIj0 (YouTube) and 7380000000000000001 (TikTok) are "deleted" on
# the fake: asked by id, they are not in its answer.
removed() {
  local pl i pl_i
  for pl_i in youtube:Ab3dEf5hIj0 tiktok:7380000000000000001 youtube:-Kl9mNoPqR1; do
    pl=${pl_i%%:*} i=${pl_i#*:}
    sql "$DB" "SELECT '$pl $i ' || CASE WHEN i.removed_last_seen IS NULL THEN 'present' ELSE 'removed' END
      || CASE WHEN i.removed_last_seen IS NULL OR i.removed_last_seen = (SELECT max(observed_at) FROM snapshot s WHERE s.item_id = i.id)
         THEN ' last-seen-ok' ELSE ' last-seen-WRONG' END
      FROM item i WHERE platform = '$pl' AND type = 'content' AND ext_id = '$i'"
  done
}
due_again() { sql "$DB" "UPDATE collect_item SET next_due = 0 WHERE item_id IN ('Ab3dEf5hIj0', '-Kl9mNoPqR1', '7380000000000000001')"; }
check "hide two videos on the fake" control '{"hide": ["Ab3dEf5hIj0", "7380000000000000001"]}'
due_again
check "a round that asks for them by id" run 0 md collect
removed >"$TMP/removed.txt"; cat "$TMP/removed.txt"
check "youtube video marked removed, last seen = its last snapshot" contains "$TMP/removed.txt" "youtube Ab3dEf5hIj0 removed last-seen-ok"
check "tiktok video marked removed" contains "$TMP/removed.txt" "tiktok 7380000000000000001 removed last-seen-ok"
check "the video still returned is not" contains "$TMP/removed.txt" "youtube -Kl9mNoPqR1 present"
check "content --json" run 0 md content --platform youtube --json
check "removed_last_seen in the listing" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
items = d if isinstance(d, list) else d.get("items", d.get("content", []))
got = {i["id"]: i.get("removed_last_seen") for i in items}
assert got["Ab3dEf5hIj0"] is not None and got["Ab3dEf5hIj0"].endswith("Z"), got
assert got["-Kl9mNoPqR1"] is None, got' "$TMP/out"
check "they come back" control '{"unhide": ["Ab3dEf5hIj0", "7380000000000000001"]}'
due_again
check "a round that finds them again" run 0 md collect
removed >"$TMP/removed.txt"; cat "$TMP/removed.txt"
check "youtube mark cleared" contains "$TMP/removed.txt" "youtube Ab3dEf5hIj0 present"
check "tiktok mark cleared" contains "$TMP/removed.txt" "tiktok 7380000000000000001 present"
for f in "$(db_bytes "$DB")" "$TMP/collect.out"; do
  check "no token in $(basename "$f")" bash -c "! grep -aq 'fake-at-' '$f'"
done
finish
