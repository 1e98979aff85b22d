# The fake platform server's responses, fetched over HTTP and imported by
# the real binary: what got stored equals what was served.
. "$(dirname "$0")/lib.sh"

SRC=$(cd "$DATA/../.." && pwd)
DB="$TMP/f.db"
md() { "$BIN" --db "$DB" "$@"; }

python3 "$SRC/tests/fakeplat/fakeplat.py" --data "$DATA/fakeplat/dataset.json" \
  --max-lifetime 60 >"$TMP/port" &
FAKE=$!
trap 'kill $FAKE 2>/dev/null; wait $FAKE 2>/dev/null; rm -rf "$TMP"' EXIT
for _ in $(seq 100); do [ -s "$TMP/port" ] && break; sleep 0.1; done
B="http://127.0.0.1:$(head -1 "$TMP/port")"
get() { curl -sS --max-time 10 -o "$TMP/$1" -H "Authorization: Bearer t" "$B$2"; }
post() { curl -sS --max-time 10 -o "$TMP/$1" -H "Authorization: Bearer t" \
           -H "Content-Type: application/json" -d "$3" "$B$2"; }

check "fake started" test -n "$(head -1 "$TMP/port")"
check "channels" get yt_channels.json \
  "/youtube/v3/channels?part=snippet,statistics,contentDetails&mine=true"
check "videos" get yt_videos.json \
  "/youtube/v3/videos?part=snippet,statistics,contentDetails&id=Ab3dEf5hIj0,FakeplatZz1,FakeplatZz2"
check "ig user" get ig_user.json \
  "/v21.0/17841400000000001?fields=id,username,name,followers_count,follows_count,media_count"
check "ig media" get ig_media.json \
  "/v21.0/17841400000000001/media?fields=id,caption,media_type,permalink,timestamp,like_count,comments_count&limit=25"
check "tt user" get tt_user.json \
  "/v2/user/info/?fields=open_id,union_id,display_name,username,follower_count,following_count,likes_count,video_count"
check "tt videos" post tt_videos.json \
  "/v2/video/list/?fields=id,create_time,title,video_description,duration,view_count,like_count,comment_count,share_count" \
  '{"max_count": 20}'

T=2024-06-01T12:00:00Z
for f in yt_channels yt_videos ig_user ig_media tt_user tt_videos; do
  check "import $f" run 0 md import --observed-at $T "$TMP/$f.json"
done
check "export" run 0 md export snapshots --format csv
cp "$TMP/out" "$TMP/export.csv"

python3 - "$TMP" <<'PY' >"$TMP/cmp" 2>&1
import csv, json, os, sys
d = sys.argv[1]
L = lambda n: json.load(open(os.path.join(d, n + ".json")))
stored = {}
for r in csv.DictReader(open(os.path.join(d, "export.csv"))):
    stored[(r["platform"], r["content_id"] or r["account_id"], r["metric"])] = r["value"]
want = {}
for v in L("yt_videos")["items"]:
    s = v["statistics"]
    want[("youtube", v["id"], "views")] = s["viewCount"]
    want[("youtube", v["id"], "likes")] = s["likeCount"]
    want[("youtube", v["id"], "comments")] = s["commentCount"]
ch = L("yt_channels")["items"][0]
want[("youtube", ch["id"], "followers")] = ch["statistics"]["subscriberCount"]
u = L("ig_user")
want[("instagram", u["id"], "followers")] = u["followers_count"]
for m in L("ig_media")["data"]:
    want[("instagram", m["id"], "likes")] = m["like_count"]
    want[("instagram", m["id"], "comments")] = m["comments_count"]
tu = L("tt_user")["data"]["user"]
want[("tiktok", tu["open_id"], "followers")] = tu["follower_count"]
for v in L("tt_videos")["data"]["videos"]:
    want[("tiktok", v["id"], "views")] = v["view_count"]
    want[("tiktok", v["id"], "shares")] = v["share_count"]
bad = [(k, w, stored.get(k)) for k, w in want.items() if stored.get(k) != str(w)]
for b in bad:
    print("mismatch", b)
print("compared", len(want), "values,", len(bad), "mismatches")
sys.exit(1 if bad or len(want) < 20 else 0)
PY
check "stored equals served" contains "$TMP/cmp" " 0 mismatches"
cat "$TMP/cmp"
stats=$(curl -sS --max-time 5 "$B/_stats")
check "one request per endpoint" python3 -c '
import json, sys
s = json.loads(sys.argv[1])
sys.exit(0 if s["total"] == 6 and all(v == 1 for v in s["paths"].values()) else 1)' "$stats"
finish
