# The dashboard's series endpoints and POST /api/v1/import over real HTTP
# on 127.0.0.1 against a real SQLite file. Fixtures: tests/data/api/README.
. "$(dirname "$0")/lib.sh"

DB="$TMP/series.db"
API="$DATA/api"
A=vidA0000001
B=vidB0000002
md() { "$BIN" --db "$DB" "$@"; }
md -q import --observed-at 2024-06-01T20:00:00Z "$API/day1.json"
md -q import --observed-at 2024-06-02T08:00:00Z "$API/day2am.json"
md -q import --observed-at 2024-06-02T20:00:00Z "$API/day2.json"

check "server started" serve_start "$DB"
check "logged in" login "$DB" "$URL"

# Every request goes through req, with the session cookie, Origin and
# CSRF token: req METHOD PATH STATUS [curl args...]; the body is in
# $TMP/body.
req() {
  local method=$1 path=$2 want=$3 code
  shift 3
  code=$(curl -s -m 20 -o "$TMP/body" -w '%{http_code}' -X "$method" \
    -b "$COOKIES" -H "Origin: $URL" -H "X-CSRF-Token: $CSRF" "$@" "$URL$path")
  [ "$code" = "$want" ] || { echo "  $method $path: $code, expected $want" >&2; cat "$TMP/body" >&2; echo >&2; return 1; }
}
get() { req GET "$@"; }
# post PATH STATUS FILE: the file's bytes as the body.
post() { req POST "$1" "$2" -H 'Content-Type: application/octet-stream' --data-binary @"$3"; }
json() { python3 -c "import json,sys; d=json.load(open('$TMP/body')); sys.exit(0 if ($1) else 1)" || { echo "  not: $1" >&2; cat "$TMP/body" >&2; echo >&2; return 1; }; }
# bad PATH PARAM: a 400 that names PARAM (grep, not python: there are
# many of these and the writer's output is compact).
bad() {
  get "$1" 400 && contains "$TMP/body" '{"error":{"status":400,' &&
    contains "$TMP/body" '"param":"'"$2"'"}}'
}

# --- POST /api/v1/import ---------------------------------------------
check "import day3" post "/api/v1/import?name=day3.json&observed_at=2024-06-03T20:00:00Z" 200 "$API/day3.json"
check "import day3 body" json 'd == {"file": "day3.json", "format": "youtube.videos.list", "items": 3, "snapshots": 2, "items_new": 0, "items_seen": 3, "snapshots_new": 2, "values_new": 8, "values_same": 0, "values_conflict": 0, "already_imported": False, "dry_run": False}'
check "import day5" post "/api/v1/import?name=day5.json&observed_at=2024-06-05T20:00:00Z" 200 "$API/day5.json"
check "import day5 again" post "/api/v1/import?name=again.json&observed_at=2024-06-06T20:00:00Z" 200 "$API/day5.json"
check "already imported" json 'd["already_imported"] is True and d["snapshots_new"] == 0 and d["values_new"] == 0 and d["note"].startswith("already imported")'
check "imported data in content" get "/api/v1/content?sort=views" 200
check "content values" json '[(i["id"], i["metrics"]["views"]) for i in d["items"]] == [("'$A'", 300), ("'$B'", 160)]'
cp "$TMP/body" "$TMP/content.before"

# A dry run validates, stores nothing.
check "dry run" post "/api/v1/import?name=videos.json&dry_run=1" 200 "$DATA/cli/videos_page.json"
check "dry run body" json 'd["dry_run"] is True and d["items"] == 4 and d["snapshots"] == 3 and d["snapshots_new"] == 0 and d["format"] == "youtube.videos.list"'
check "content after dry run" get "/api/v1/content?sort=views" 200
check "dry run stored nothing" same_file "$TMP/body" "$TMP/content.before"

# A refused file: 422 with the line the CLI prints, nothing stored.
md export snapshots >"$TMP/export.before"
( cd "$DATA/cli/bad" && "$BIN" --db "$TMP/cli.db" import videos_page_one_bad.json ) 2>"$TMP/cli.err"
check "CLI refuses the bad file" contains "$TMP/cli.err" 'videos_page_one_bad.json: error: items[2] (id "xYz_123-abc"): field "statistics.likeCount"'
check "bad file: 422" post "/api/v1/import?name=videos_page_one_bad.json" 422 "$DATA/cli/bad/videos_page_one_bad.json"
python3 - "$TMP/body" "$TMP/cli.err" <<'PY' >"$TMP/cmp" 2>&1
import json, sys
d = json.load(open(sys.argv[1]))
line = open(sys.argv[2]).read().rstrip("\n").split("\n")[-1]
assert d["error"]["status"] == 422, d
assert d["error"]["message"] == line, (d["error"]["message"], line)
assert d["error"]["file"] == "videos_page_one_bad.json"
print("same message")
PY
check "422 message is the CLI's line" contains "$TMP/cmp" "same message"
check "the message, exactly" json 'd["error"]["message"] == "videos_page_one_bad.json: error: items[2] (id \"xYz_123-abc\"): field \"statistics.likeCount\": expected a count as a string of digits, got integer"'
: >"$TMP/empty.json"
check "empty body: 422" post "/api/v1/import?name=empty.json" 422 "$TMP/empty.json"
check "empty body message" json 'd["error"]["message"] == "empty.json: error: file is empty"'
printf '{"hello":"world"}' >"$TMP/unknown.json"
check "unknown shape: 422" post "/api/v1/import?name=u.json" 422 "$TMP/unknown.json"
check "unknown shape message" json '"not a recognised platform API response" in d["error"]["message"]'
check "export after refusals" run 0 md export snapshots
check "refused files stored nothing" same_file "$TMP/out" "$TMP/export.before"

printf '{}' >"$TMP/small.json"
for q in "" "name=" "name=a%01b" "name=$(printf 'n%.0s' $(seq 256))" "name=%ff.json"; do
  check "import ?$q: 400 name" post "/api/v1/import?$q" 400 "$TMP/small.json"
  check "import ?$q names it" json 'd["error"]["param"] == "name"'
done
for q in "observed_at=yesterday" "account=myspace:1" "account=nocolon" "account=tiktok:" "dry_run=yes"; do
  check "import ?$q: 400" post "/api/v1/import?name=x.json&$q" 400 "$TMP/small.json"
  check "import ?$q names it" json 'd["error"]["param"] == "'"${q%%=*}"'"'
done
check "GET import: 405" get "/api/v1/import?name=x" 405

# --- /api/v1/items/P/ID/days -------------------------------------------
check "days" get "/api/v1/items/youtube/$A/days?metrics=views,likes&from=2024-05-31&to=2024-06-05" 200
check "days range" json 'd["platform"] == "youtube" and d["id"] == "'$A'" and d["from"] == "2024-05-31" and d["to"] == "2024-06-05" and d["days"] == ["2024-05-31", "2024-06-01", "2024-06-02", "2024-06-03", "2024-06-04", "2024-06-05"]'
check "days views" json 'd["series"]["views"] == {"last": [None, 100, 250, 230, None, 300], "gain": [None, 100, 150, -20, None, 70]}'
check "days likes" json 'd["series"]["likes"] == {"last": [None, 10, 20, 22, None, 25], "gain": [None, 10, 10, 2, None, 3]}'
check "days only asked metrics" json 'list(d["series"]) == ["views", "likes"]'
check "days default metrics" get "/api/v1/items/youtube/$B/days?from=2024-06-03&to=2024-06-05" 200
check "days B" json 'list(d["series"]) == ["views", "likes", "comments"] and d["series"]["views"]["gain"] == [60, None, 60] and d["series"]["comments"]["last"] == [2, None, 2]'
check "days range=7d" get "/api/v1/items/youtube/$A/days?range=7d" 200
check "days range=7d ends today" json 'len(d["days"]) == 7 and d["to"] == __import__("datetime").datetime.now(__import__("datetime").timezone.utc).strftime("%Y-%m-%d") and d["series"]["views"]["last"] == [None] * 7'
check "days default range 90" get "/api/v1/items/youtube/$A/days" 200
check "days 90" json 'len(d["days"]) == 90'
check "days unknown item" get "/api/v1/items/youtube/nope/days" 404
check "days bad suffix" get "/api/v1/items/youtube/$A/weeks" 404
check "days extra part" get "/api/v1/items/youtube/$A/days/x" 404
check "days empty id" get "/api/v1/items/youtube//days" 404
check "plain item still there" get "/api/v1/items/youtube/$A" 200
check "plain item body" json 'd["id"] == "'$A'" and len(d["snapshots"]) == 5 and d["truncated"] is False and d["limit"] == 2000'
M9=views,likes,comments,shares,saves,reach,impressions,watch_time_s,followers
for q in "metrics=" "metrics=views,,likes" "metrics=views,views" "metrics=$M9" "metrics=views;drop" \
         "range=0d" "range=3661d" "range=7" "from=2024-13-01" "to=soon" \
         "from=2024-06-05&to=2024-06-01" "from=2000-01-01&to=2024-06-01"; do
  p=${q%%=*}
  case $q in from=2024-06-05*|from=2000*) p=from ;; esac
  check "days ?$q" bad "/api/v1/items/youtube/$A/days?$q" "$p"
done

# --- /api/v1/items/P/ID: since, until, limit ---------------------------
check "item limit" get "/api/v1/items/youtube/$A?limit=2" 200
check "item limit keeps newest" json '[s["observed_at"] for s in d["snapshots"]] == ["2024-06-03T20:00:00Z", "2024-06-05T20:00:00Z"] and d["truncated"] is True and d["snapshots"][1]["metrics"]["views"] == 300'
# vs typical, hand-computed: A (published 06-01) has 300 views on 06-05,
# age 4; B has no row from 06-06 on: no typical. B (06-02) has 160 on
# 06-05, age 3; A at 3 days: its last row on or before 06-04 (06-03,
# 230). Ratio 160 / 230.
check "item vs_typical A" get "/api/v1/items/youtube/$A" 200
check "A: none that old" json 'd["vs_typical"] == {"age_days": 4, "views": 300, "n": 0, "median": None, "ratio": None}'
check "item vs_typical B" get "/api/v1/items/youtube/$B" 200
check "B: 0.70x A at 3 days" json '[d["vs_typical"][k] for k in ("age_days", "views", "n", "median")] == [3, 160, 1, 230] and abs(d["vs_typical"]["ratio"] - 160 / 230) < 1e-9'
check "item since/until" get "/api/v1/items/youtube/$A?since=2024-06-02T00:00:00Z&until=2024-06-03T00:00:00Z" 200
check "item window" json '[s["metrics"]["views"] for s in d["snapshots"]] == [200, 250] and d["truncated"] is False'
check "item since inclusive" get "/api/v1/items/youtube/$A?since=2024-06-02T20:00:00Z&limit=1" 200
check "item since and limit" json '[s["observed_at"] for s in d["snapshots"]] == ["2024-06-05T20:00:00Z"] and d["truncated"] is True'
check "item until exclusive" get "/api/v1/items/youtube/$A?until=2024-06-02T20:00:00Z" 200
check "item until body" json '[s["metrics"]["views"] for s in d["snapshots"]] == [100, 200]'
for q in "since=yesterday" "until=2024-02-30" "limit=0" "limit=10001" "limit=x"; do
  check "item ?$q" bad "/api/v1/items/youtube/$A?$q" "${q%%=*}"
done
check "item unknown" get "/api/v1/items/youtube/nope?limit=5" 404

# --- /api/v1/gains ------------------------------------------------------
R="from=2024-06-01&to=2024-06-05"
check "gains" get "/api/v1/gains?$R" 200
check "gains body" json 'd["metric"] == "views" and d["from"] == "2024-06-01" and d["to"] == "2024-06-05" and len(d["days"]) == 5 and d["platforms"] == {"youtube": [100, 190, 40, 0, 130], "instagram": [0] * 5, "tiktok": [0] * 5, "twitch": [0] * 5} and d["total"] == [100, 190, 40, 0, 130]'
check "gains likes youtube" get "/api/v1/gains?metric=likes&platform=youtube&$R" 200
check "gains likes body" json 'd["metric"] == "likes" and d["platforms"] == {"youtube": [10, 14, 7, 0, 4]} and d["total"] == [10, 14, 7, 0, 4]'
check "gains other platform" get "/api/v1/gains?platform=tiktok&$R" 200
check "gains tiktok body" json 'd["platforms"] == {"tiktok": [0] * 5} and d["total"] == [0] * 5'
check "gains range=3d" get "/api/v1/gains?range=3d" 200
check "gains 3 days" json 'len(d["days"]) == 3 and len(d["total"]) == 3'
for q in "metric=views;x" "metric=" "platform=myspace" "range=x" "from=nope" "to=2024-06-01&from=2024-06-02"; do
  p=${q%%=*}; case $q in to=*) p=from ;; esac
  check "gains ?$q" bad "/api/v1/gains?$q" "$p"
done

# --- /api/v1/top ------------------------------------------------------
check "top" get "/api/v1/top?$R" 200
check "top body" json 'd["metric"] == "views" and d["from"] == "2024-06-01" and [(i["id"], i["gain"]) for i in d["items"]] == [("'$A'", 300), ("'$B'", 160)]'
check "top item fields" python3 -c "
import json; d = json.load(open('$TMP/body')); i = d['items'][0]
assert i['platform'] == 'youtube' and i['title'] == 'Saturday morning upload', i
assert i['url'] == 'https://www.youtube.com/watch?v=$A', i
assert i['published_at'] == '2024-06-01T10:00:00Z' and 'thumbnail_url' in i, i
assert i['metrics']['views'] == 300 and i['metrics']['likes'] == 25, i"
check "top later range" get "/api/v1/top?from=2024-06-03&to=2024-06-05" 200
check "top later order" json '[(i["id"], i["gain"]) for i in d["items"]] == [("'$B'", 120), ("'$A'", 50)]'
check "top likes limit 1" get "/api/v1/top?metric=likes&limit=1&$R" 200
check "top likes body" json 'd["metric"] == "likes" and [(i["id"], i["gain"]) for i in d["items"]] == [("'$A'", 25)]'
check "top other platform" get "/api/v1/top?platform=instagram&$R" 200
check "top empty" json 'd["items"] == []'
for q in "limit=0" "limit=101" "limit=ten" "metric=a%20b" "platform=x" "range=-1d"; do
  check "top ?$q" bad "/api/v1/top?$q" "${q%%=*}"
done

# --- /api/v1/engagement -----------------------------------------------
check "engagement" get "/api/v1/engagement?$R" 200
python3 - "$TMP/body" <<'PY' >"$TMP/cmp" 2>&1
import json, sys
d = json.load(open(sys.argv[1]))
yt = d["platforms"]["youtube"]
assert (yt["views"], yt["likes"], yt["comments"], yt["shares"], yt["saves"], yt["interactions"]) == (460, 35, 6, 0, 0, 41), yt
assert abs(yt["rate"] - 41 / 460) < 1e-12, yt
assert d["platforms"]["tiktok"]["rate"] is None and d["platforms"]["tiktok"]["views"] == 0
assert d["total"]["interactions"] == 41 and abs(d["total"]["rate"] - 41 / 460) < 1e-12
items = [(i["id"], i["views"], i["likes"], i["comments"], i["interactions"]) for i in d["items"]]
assert items == [("vidA0000001", 300, 25, 4, 29), ("vidB0000002", 160, 10, 2, 12)], items
assert abs(d["items"][0]["rate"] - 29 / 300) < 1e-12 and abs(d["items"][1]["rate"] - 12 / 160) < 1e-12
assert d["from"] == "2024-06-01" and d["to"] == "2024-06-05"
print("engagement ok")
PY
check "engagement values" contains "$TMP/cmp" "engagement ok"
check "engagement limit 1, youtube" get "/api/v1/engagement?limit=1&platform=youtube&$R" 200
check "engagement limited" json 'list(d["platforms"]) == ["youtube"] and [i["id"] for i in d["items"]] == ["'$A'"]'
for q in "limit=0" "limit=101" "platform=myspace" "range=1y" "from=2024-06-31"; do
  check "engagement ?$q" bad "/api/v1/engagement?$q" "${q%%=*}"
done

# --- /api/v1/heatmap --------------------------------------------------
check "heatmap" get "/api/v1/heatmap?$R" 200
python3 - "$TMP/body" <<'PY' >"$TMP/cmp" 2>&1
import json, sys
d = json.load(open(sys.argv[1]))
b = d["buckets"]
assert len(b) == 168 and [(x["weekday"], x["hour"]) for x in b] == [(w, h) for w in range(7) for h in range(24)]
full = {(x["weekday"], x["hour"]): (x["mean"], x["n"]) for x in b if x["n"]}
# A: Saturday 10:00, views gained in its first 7 days 100+150-20+70;
# B: Sunday 18:00, 40+60+60.
assert full == {(6, 10): (300, 1), (0, 18): (160, 1)}, full
assert all(x["mean"] is None for x in b if not x["n"])
# One item a slot is under the minimum sample (3): shown as too few, and
# no slot is the best.
assert d["min_n"] == 3 and d["platform"] is None
assert [(x["weekday"], x["hour"]) for x in b if x["too_few"]] == [(0, 18), (6, 10)]
assert d["best"] is None, d["best"]
print("heatmap ok")
PY
check "heatmap values" contains "$TMP/cmp" "heatmap ok"
check "heatmap min=1" get "/api/v1/heatmap?min=1&$R" 200
check "heatmap min=1 best" json 'd["best"] == {"weekday": 6, "hour": 10, "mean": 300, "n": 1} and not any(x["too_few"] for x in d["buckets"])'
check "heatmap youtube" get "/api/v1/heatmap?min=1&platform=youtube&$R" 200
check "heatmap youtube best" json 'd["platform"] == "youtube" and d["best"]["weekday"] == 6'
check "heatmap published in range" get "/api/v1/heatmap?min=1&from=2024-06-02&to=2024-06-05" 200
check "heatmap only B" json 'd["best"] == {"weekday": 0, "hour": 18, "mean": 160, "n": 1} and sum(x["n"] for x in d["buckets"]) == 1'
check "heatmap empty" get "/api/v1/heatmap?platform=tiktok&$R" 200
check "heatmap no best" json 'd["best"] is None and len(d["buckets"]) == 168'
for q in "platform=x" "range=99999d" "to=2024-06-01T99:00:00Z" "min=0" "min=1001" "min=x"; do
  check "heatmap ?$q" bad "/api/v1/heatmap?$q" "${q%%=*}"
done

# The report takes the same range rules.
check "report range" get "/api/v1/report?from=2024-06-01&to=2024-06-05" 200
check "report values" json 'd["total"]["daily_views_gain"] == [100, 190, 40, 0, 130]'
check "report from after to" bad "/api/v1/report?from=2024-06-05&to=2024-06-01" from

# Range engagement = interactions gained / views gained, beside the
# equal range before it. Gains per day (README of the fixtures): views
# 100, 190, 40, 0, 130; likes 10, 14, 7, 0, 4; comments 1, 2, 2, 0, 1.
# 06-03..06-05: views 170, interactions 11 + 3; the 3 days before
# (05-31..06-02): views 290, interactions 24 + 3. Lifetime: A 300/25/4
# and B 160/10/2 (latest).
check "report 3 days" get "/api/v1/report?from=2024-06-03&to=2024-06-05" 200
python3 - "$TMP/body" <<'PY' >"$TMP/cmp" 2>&1
import json, sys
d = json.load(open(sys.argv[1]))
assert d["previous"] == {"from": "2024-05-31", "to": "2024-06-02"}, d["previous"]
for t in (d["total"], d["platforms"]["youtube"]):
    assert (t["views_gain"], t["interactions_gain"]) == (170, 14), t
    assert abs(t["engagement"] - 14 / 170) < 1e-12, t
    p = t["previous"]
    assert (p["views_gain"], p["interactions_gain"]) == (290, 27), p
    assert abs(p["engagement"] - 27 / 290) < 1e-12, p
    assert t["followers_gain"] is None and p["followers_gain"] is None
    assert t["lifetime"] == {"channel_views": None, "content_views": 460, "content_interactions": 41, "engagement": 41 / 460}, t["lifetime"]
    assert t["daily_views_gain"] == [40, 0, 130] and t["daily_followers"] == [None] * 3, t
print("report range ok")
PY
check "report: range and previous engagement" contains "$TMP/cmp" "report range ok"
check "engagement 3 days" get "/api/v1/engagement?from=2024-06-03&to=2024-06-05" 200
check "engagement previous" json 'd["previous"] == {"from": "2024-05-31", "to": "2024-06-02"} and (d["total"]["views"], d["total"]["interactions"]) == (170, 14) and (d["total"]["previous"]["views"], d["total"]["previous"]["likes"], d["total"]["previous"]["comments"]) == (290, 24, 3) and abs(d["platforms"]["youtube"]["previous"]["rate"] - 27 / 290) < 1e-12'

# account= names the account of a response that does not (TikTok lists).
check "import with account" post "/api/v1/import?name=list.json&account=tiktok:openid-42&observed_at=2024-07-01T00:00:00Z" 200 "$DATA/tiktok/video_list_page1.json"
check "import with account body" json 'd["format"].startswith("tiktok.") and d["items_new"] >= 2 and d["dry_run"] is False'
check "tiktok content" get "/api/v1/content?platform=tiktok" 200
check "tiktok content has the account" json 'd["total"] >= 2 and all(i["account_id"] == "openid-42" for i in d["items"])'

kill -TERM $SERVER
wait $SERVER
check "stops on SIGTERM" test $? -eq 0
finish
