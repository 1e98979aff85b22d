# The demo's platforms come from the descriptors' demo tables (issue 16):
# - YouTube, Instagram and TikTok are byte-identical to the demo before
#   Twitch joined it (tests/data/demo-3p.sha256, made by that demo: this
#   fails when someone shifts their random streams);
# - Twitch's channel, streams (a viewer point every 5 minutes within the
#   stream), past broadcasts and clips are stored as the collector stores
#   them, and GET /api/v1/items/twitch/ID's stream figures are what the
#   curve in `show --json` gives, computed here independently
#   (docs/twitch.md, "Stream figures"); the VOD and clips are linked;
# - the overview (report --json) counts the Twitch channel among the own
#   accounts.
. "$(dirname "$0")/lib.sh"

DB="$TMP/demo.db"
md() { "$BIN" --db "$DB" "$@"; }
SUMS="$(dirname "$0")/../data/demo-3p.sha256"

check "demo" run 0 md -q demo --items 30 --days 30 --seed 3 \
  --end 2026-11-30T00:00:00Z --json
cp "$TMP/out" "$TMP/summary.json"
check "summary: streams" python3 -c '
import json, sys
s = json.load(open(sys.argv[1]))
# 30 days from 01:00: four whole weeks of 3 to 5 streams, and 2 days
assert 12 <= s["streams"] <= 4 * 5 + 2, s["streams"]
assert s["items"] >= 34 + 2 * s["streams"] and s["items_new"] == s["items"], s
' "$TMP/summary.json"

# ---- the three other platforms: the same bytes as before Twitch --------
for w in snapshots content; do
  for p in youtube instagram tiktok; do
    want=$(awk -v w=$w -v p=$p '$2 == w && $3 == p {print $1}' "$SUMS")
    got=$(md export $w --platform $p | sha256sum | cut -d' ' -f1)
    check "export $w --platform $p: as before" test "$got" = "$want"
  done
done
check "the sums are there" test "$(grep -vc '^#' "$SUMS")" -eq 6

# ---- Twitch as the collector stores it ---------------------------------
check "accounts" run 0 md accounts --json
check "four own accounts, Twitch's followers grew" python3 -c '
import json, sys
a = {x["platform"]: x for x in json.load(open(sys.argv[1]))}
assert sorted(a) == ["instagram", "tiktok", "twitch", "youtube"], sorted(a)
t = a["twitch"]
assert t["role"] == "own" and t["id"].isdigit() and t["kind"] == "channel", t
assert t["url"] == "https://www.twitch.tv/" + t["handle"], t
assert t["metrics"]["followers"] > 6100, t["metrics"]
' "$TMP/out"
check "twitch content" run 0 md export content --platform twitch
cp "$TMP/out" "$TMP/twitch.json"
check "streams, archives, clips" python3 - "$TMP/twitch.json" "$TMP/summary.json" <<'PY'
import json, sys
c = [json.loads(l) for l in open(sys.argv[1])]
s = json.load(open(sys.argv[2]))
kinds = {}
for x in c:
    kinds.setdefault(x["kind"], []).append(x)
assert set(kinds) == {"stream", "archive", "clip"}, set(kinds)
assert len(kinds["stream"]) == len(kinds["archive"]) == s["streams"]
assert 0 <= len(kinds["clip"]) <= 3 * s["streams"]
for x in kinds["stream"]:
    assert x["description"] and x["url"].startswith("https://www.twitch.tv/"), x
    assert "viewers" in x["metrics"] and "views" not in x["metrics"], x
    assert 18 <= int(x["published_at"][11:13]) <= 20, x["published_at"]
for x in kinds["archive"] + kinds["clip"]:
    assert "views" in x["metrics"], x
assert len(c) + 4 == s["items"] - 30
with open(sys.argv[1] + ".ids", "w") as f:
    for x in sorted(kinds["stream"], key=lambda x: x["published_at"]):
        f.write(x["id"] + "\n")
print("ok")
PY
STREAM=$(sed -n 2p "$TMP/twitch.json.ids")
check "a stream picked" test -n "$STREAM"

check "show --json" run 0 md show --json "twitch:$STREAM"
cp "$TMP/out" "$TMP/show.json"
# The figures from the curve, by docs/twitch.md's definitions.
python3 - "$TMP/show.json" >"$TMP/expect.json" <<'PY'
import json, sys, datetime as dt
d = json.load(open(sys.argv[1]))
ts = lambda x: int(dt.datetime.strptime(x, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.timezone.utc).timestamp())
pts = [(ts(s["observed_at"]), s["metrics"]["viewers"]) for s in d["snapshots"]]
start = ts(d["published_at"])
vod = [l for l in d["links"] if l["rel"] == "vod_of" and l["depth"] == 1]
assert len(vod) == 1, d["links"]
# every 5 minutes from the start, none missing, no other metric
assert all(t - start == 300 * (k + 1) for k, (t, _) in enumerate(pts)), pts[:3]
assert all(set(s["metrics"]) == {"viewers"} for s in d["snapshots"])
assert 7200 // 300 <= len(pts) <= 14400 // 300, len(pts)
vs = 0
for (t0, a), (t1, b) in zip(pts, pts[1:]):
    vs += (a + b) * (t1 - t0) / 2
peak = max(v for _, v in pts)
covered = pts[-1][0] - pts[0][0]
# ramp up, plateau, tail off
mid = sorted(v for _, v in pts[len(pts) // 4: 3 * len(pts) // 4])
med = mid[len(mid) // 2]
assert pts[0][1] * 2 < med and pts[-1][1] < med, (pts[0], med, pts[-1])
print(json.dumps({"peak": peak, "avg": vs / covered, "mw": int(vs / 60 + 0.5),
                  "points": len(pts), "duration": pts[-1][0] - start,
                  "vod": vod[0]["id"]}))
PY
check "curve: 5-minute points, ramp, plateau, tail" test -s "$TMP/expect.json"
VOD=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["vod"])' "$TMP/expect.json")

check "server started" serve_start "$DB" --no-worker --no-collect
check "logged in" login "$DB" "$URL"
check "GET the stream" curl -sf -m 20 -b "$COOKIES" -o "$TMP/item.json" \
  "$URL/api/v1/items/twitch/$STREAM"
check "stream figures = the curve's" python3 - "$TMP/item.json" "$TMP/expect.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
e = json.load(open(sys.argv[2]))
s = d["stream"]
assert s["peak"] == e["peak"], (s, e)
assert abs(s["avg"] - e["avg"]) < 1e-9, (s, e)
assert s["minutes_watched"] == e["mw"], (s, e)
assert (s["points"], s["gaps"], s["duration_s"]) == (e["points"], 0, e["duration"]), (s, e)
assert s["started_at"] == d["published_at"] and not s["single_point"], s
PY
check "GET its VOD" curl -sf -m 20 -b "$COOKIES" -o "$TMP/vod.json" \
  "$URL/api/v1/items/twitch/$VOD"
check "VOD: from the stream, its clips cut from it" python3 - "$TMP/vod.json" "$TMP/item.json" "$STREAM" <<'PY'
import json, sys
v = json.load(open(sys.argv[1]))
st = json.load(open(sys.argv[2]))
sid = sys.argv[3]
assert v["kind"] == "archive" and v["stream"] is None, v["kind"]
assert v["links"][0]["id"] == sid and v["links"][0]["came_from"], v["links"]
clips = [l for l in v["links"] if l["rel"] == "clip_of"]
assert all(l["kind"] == "clip" and not l["came_from"] and l["stored"] for l in clips), clips
# the stream's page names the same clips, through the VOD
assert sorted(l["id"] for l in clips) == sorted(l["id"] for l in st["links"] if l["depth"] == 2 and l["via"] == v["id"])
PY

# ---- the overview counts the Twitch channel ----------------------------
check "report" run 0 md report --json --range 28d --to 2026-11-29
check "report: four own accounts, Twitch among them" python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
assert r["total"]["accounts"] == 4, r["total"]
assert "twitch" in r["platforms"], sorted(r["platforms"])
t = r["platforms"]["twitch"]
assert t["followers_gain"] > 0, t
assert r["total"]["followers_gain"] == sum(p["followers_gain"] for p in r["platforms"].values())
' "$TMP/out"

finish
