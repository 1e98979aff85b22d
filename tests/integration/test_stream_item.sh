# A live stream's figures and links (analytics/stream.c, itemlinks.c)
# through the real binary: saved Helix responses imported at known times
# into a real SQLite file (a viewer curve with a gap, the VOD recorded
# from the stream, two clips of the VOD), then GET /api/v1/items over
# HTTP on 127.0.0.1, `mediadash show` and MCP's get_item over stdio, all
# with the hand-computed figures (docs/twitch.md, "Stream figures").
. "$(dirname "$0")/lib.sh"

DB=$(newdb stream)
md() { "$BIN" --db "$DB" "$@"; }
UID_=141981764
SID=43000000001
VOD=1960000000

python3 - "$TMP" "$UID_" "$SID" "$VOD" <<'PY'
import json, sys
tmp, uid, sid, vod = sys.argv[1:5]
def stream(viewers):
    return {"data": [{"id": sid, "user_id": uid, "user_login": "pixelpacelive",
                      "user_name": "PixelPace", "game_id": "1",
                      "game_name": "Celeste", "type": "live",
                      "title": "Any% practice", "viewer_count": viewers,
                      "started_at": "2026-12-05T19:00:00Z", "language": "en",
                      "thumbnail_url": "", "tag_ids": []}],
            "pagination": {}}
for i, v in enumerate([100, 300, 200, 400, 0]):
    json.dump(stream(v), open("%s/s%d.json" % (tmp, i), "w"))
video = {"id": vod, "stream_id": sid, "user_id": uid,
         "user_login": "pixelpacelive", "user_name": "PixelPace",
         "title": "Any% practice (VOD)", "description": "",
         "created_at": "2026-12-05T19:00:00Z",
         "published_at": "2026-12-05T19:00:00Z",
         "url": "https://www.twitch.tv/videos/" + vod, "thumbnail_url": "",
         "viewable": "public", "view_count": 512, "language": "en",
         "type": "archive", "duration": "50m0s", "muted_segments": None}
json.dump({"data": [video], "pagination": {}}, open(tmp + "/videos.json", "w"))
def clip(cid, views, off):
    return {"id": cid, "url": "https://clips.twitch.tv/" + cid,
            "embed_url": "https://clips.twitch.tv/embed?clip=" + cid,
            "broadcaster_id": uid, "broadcaster_name": "PixelPace",
            "creator_id": "53834192", "creator_name": "viewer",
            "video_id": vod, "game_id": "1", "language": "en",
            "title": "Clip " + cid, "view_count": views,
            "created_at": "2026-12-05T21:00:00Z", "thumbnail_url": "",
            "duration": 28.5, "vod_offset": off, "is_featured": False}
json.dump({"data": [clip("ClipA", 45, 600), clip("ClipB", 9, 1800)],
           "pagination": {}}, open(tmp + "/clips.json", "w"))
PY

# 19:05 100, 19:10 300, 19:20 200, (25 min: a gap) 19:45 400, 19:50 0:
# 60000 + 150000 + 60000 = 270000 viewer-seconds = 4500 minutes over
# 1200 s covered: 225 on average; 3000 s from started_at 19:00.
i=0
for at in 19:05 19:10 19:20 19:45 19:50; do
  check "stream point $at" run 0 md -q import --format twitch.streams \
    --observed-at "2026-12-05T$at:00Z" "$TMP/s$i.json"
  i=$((i + 1))
done
check "the VOD" run 0 md -q import --format twitch.videos \
  --observed-at 2026-12-05T21:00:00Z "$TMP/videos.json"
check "the clips" run 0 md -q import --format twitch.clips \
  --observed-at 2026-12-05T21:00:00Z "$TMP/clips.json"

check "server started" serve_start "$DB"
check "logged in" login "$DB" "$URL"
get() {
  local code
  code=$(curl -s -m 10 -b "$COOKIES" -o "$TMP/body" -w '%{http_code}' "$URL$1")
  [ "$code" = "$2" ] || { echo "  GET $1: $code, expected $2" >&2; cat "$TMP/body" >&2; return 1; }
}
json() { python3 -c "import json,sys; d=json.load(open('$TMP/body')); sys.exit(0 if ($1) else 1)" || { echo "  not: $1" >&2; head -c 2000 "$TMP/body" >&2; return 1; }; }

check "the stream" get "/api/v1/items/twitch/$SID" 200
check "its figures" json 'd["stream"] == {"peak": 400, "peak_at": "2026-12-05T19:45:00Z", "avg": 225, "minutes_watched": 4500, "duration_s": 3000, "started_at": "2026-12-05T19:00:00Z", "ended_at": "2026-12-05T19:50:00Z", "points": 5, "gaps": 1, "gap_s": 1200, "covered_s": 1200, "single_point": False}'
check "its VOD and clips" json '[(l["id"], l["depth"], l["came_from"], l["views"]) for l in d["links"]] == [("'$VOD'", 1, False, 512), ("ClipA", 2, False, 45), ("ClipB", 2, False, 9)]'
check "the VOD's title and url" json 'd["links"][0]["title"] == "Any% practice (VOD)" and d["links"][0]["url"] == "https://www.twitch.tv/videos/'$VOD'" and d["links"][0]["rel"] == "vod_of"'
# a window of two snapshots: the figures are still the whole curve's
check "a narrow window" get "/api/v1/items/twitch/$SID?limit=2" 200
check "whole-curve figures" json 'd["truncated"] and len(d["snapshots"]) == 2 and d["stream"]["points"] == 5 and d["stream"]["minutes_watched"] == 4500'
check "since/until" get "/api/v1/items/twitch/$SID?since=2026-12-05T19:40:00Z" 200
check "whole-curve figures again" json 'len(d["snapshots"]) == 2 and d["stream"]["peak"] == 400 and d["stream"]["points"] == 5'

check "the VOD" get "/api/v1/items/twitch/$VOD" 200
check "not a stream" json 'd["stream"] is None'
check "its stream, its clips" json '[(l["id"], l["came_from"]) for l in d["links"]] == [("'$SID'", True), ("ClipA", False), ("ClipB", False)] and d["links"][0]["views"] is None'
check "a clip" get "/api/v1/items/twitch/ClipB" 200
check "its VOD and the stream through it" json '[(l["id"], l["depth"], l["via"]) for l in d["links"]] == [("'$VOD'", 1, None), ("'$SID'", 2, "'$VOD'")]'
check "an account has neither" get "/api/v1/items/twitch/$UID_" 200
check "no stream or links keys" json '"stream" not in d and "links" not in d'

check "show" run 0 md show "twitch:$SID"
check "show: peak" contains "$TMP/out" "peak viewers:     400 at 2026-12-05T19:45:00Z"
check "show: average" contains "$TMP/out" "average viewers:  225.0"
check "show: minutes" contains "$TMP/out" "minutes watched:  4500"
check "show: points and gaps" contains "$TMP/out" "stream (5 points, 1 gaps over 1200 s left out)"
check "show: the VOD" contains "$TMP/out" "from it    archive $VOD  Any% practice (VOD)  (512 views)"
check "show --json" run 0 md show --json "twitch:$SID"
check "show --json: figures" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["stream"]["minutes_watched"] == 4500 and d["stream"]["avg"] == 225, d["stream"]
assert [l["id"] for l in d["links"]] == [sys.argv[2], "ClipA", "ClipB"], d["links"]
' "$TMP/out" "$VOD"

# MCP get_item (stdio) answers through the same handler
check "mcp get_item" python3 - "$BIN" "$DB" "$SID" <<'PY'
import json, subprocess, sys
binp, db, sid = sys.argv[1:4]
msgs = [{"jsonrpc": "2.0", "id": 1, "method": "initialize",
         "params": {"protocolVersion": "2025-06-18", "capabilities": {},
                    "clientInfo": {"name": "t", "version": "1"}}},
        {"jsonrpc": "2.0", "method": "notifications/initialized"},
        {"jsonrpc": "2.0", "id": 2, "method": "tools/call",
         "params": {"name": "get_item",
                    "arguments": {"platform": "twitch", "id": sid}}}]
out = subprocess.run([binp, "--db", db, "mcp"], capture_output=True,
                     timeout=30, text=True,
                     input="".join(json.dumps(m) + "\n" for m in msgs)).stdout
answers = {m.get("id"): m for m in map(json.loads, out.splitlines())}
res = answers[2]["result"]
assert not res.get("isError"), res
item = res["structuredContent"] if "structuredContent" in res else json.loads(res["content"][0]["text"])
item = item.get("item", item)
assert item["stream"]["peak"] == 400 and item["stream"]["points"] == 5, item
assert [l["id"] for l in item["links"]][0] == "1960000000", item["links"]
PY

finish
