# mediadash demo through the real binary and real SQLite files: what it
# generates is what the dashboard's questions need (accounts, content,
# a viral spike, a best hour, a dip, a deleted video), it refuses to mix
# into a database with data, and a seed gives the same data every time.
. "$(dirname "$0")/lib.sh"

DB="$TMP/demo.db"
md() { "$BIN" --db "$DB" "$@"; }

# --- usage -------------------------------------------------------------
check "demo --help" run 0 "$BIN" demo --help
check "demo --help text" contains "$TMP/out" "usage: mediadash demo"
check "listed in --help" run 0 "$BIN" --help
check "listed in --help text" contains "$TMP/out" "demo "
check "too few items" run 2 md demo --items 2
check "too few items message" contains "$TMP/err" "--items"
check "bad days" run 2 md demo --days ten
check "bad end" run 2 md demo --end yesterday
check "bad batch" run 2 md demo --batch week
check "stray argument" run 2 md demo now
check "usage errors created no db" test ! -e "$DB"

# --- a small demo, ending now ------------------------------------------
check "small demo" run 0 md demo --items 30 --days 40 --json
cp "$TMP/out" "$TMP/summary.json"
# four accounts (Twitch's among them), the 30 posts and Twitch's streams,
# recordings and clips on top (test_demo_twitch.sh checks those)
check "summary" contains "$TMP/err" " items (4 accounts, "
check "summary names the viral item" contains "$TMP/err" "viral"
python3 - "$TMP/summary.json" >"$TMP/cmp" 2>&1 <<'PY'
import json, sys, time, datetime as dt
s = json.load(open(sys.argv[1]))
ts = lambda x: dt.datetime.strptime(x, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.timezone.utc).timestamp()
now = time.time()
assert 0 <= now - ts(s["end"]) < 2 * 3600, s["end"]            # the current hour
assert ts(s["end"]) - ts(s["start"]) == (40 * 24 - 1) * 3600
assert s["items"] >= 34 + 2 * s["streams"] and s["items_new"] == s["items"]
# posted items carry 3 to 5 values a snapshot, Twitch's one (viewers, views)
assert s["snapshots"] > 30 * 24 and s["values"] > 2 * s["snapshots"]
for k in ("viral", "deleted", "dip"):
    assert s[k] and s[k]["id"], k
assert s["deleted"]["platform"] == "youtube"
assert s["best_slot"] == {"weekday": 4, "hour": 17}
with open(sys.argv[1] + ".ids", "w") as f:
    for k in ("viral", "deleted", "dip"):
        f.write("%s %s:%s %s\n" % (k, s[k]["platform"], s[k]["id"], s[k]["at"]))
    f.write("end - %s\n" % s["end"])
print("summary ok")
PY
check "summary json" contains "$TMP/cmp" "summary ok"
ids="$TMP/summary.json.ids"
VIRAL=$(awk '$1=="viral"{print $2}' "$ids")
DELETED=$(awk '$1=="deleted"{print $2}' "$ids")
DELETED_AT=$(awk '$1=="deleted"{print $3}' "$ids")
DIP=$(awk '$1=="dip"{print $2}' "$ids")

check "accounts" run 0 md accounts --json
python3 - "$TMP/out" >"$TMP/cmp" 2>&1 <<'PY'
import json, sys
a = {x["platform"]: x for x in json.load(open(sys.argv[1]))}
assert sorted(a) == ["instagram", "tiktok", "twitch", "youtube"], sorted(a)
m = {p: a[p]["metrics"] for p in a}
assert {"followers", "views", "yt.videoCount"} <= set(m["youtube"]), m["youtube"]
assert {"followers", "ig.media_count"} <= set(m["instagram"]), m["instagram"]
assert {"followers", "tt.likes_count", "tt.video_count"} <= set(m["tiktok"]), m["tiktok"]
assert a["youtube"]["id"].startswith("UC") and len(a["youtube"]["id"]) == 24
assert a["instagram"]["id"].isdigit() and a["twitch"]["id"].isdigit()
assert "followers" in m["twitch"], m["twitch"]
assert all(x["thumbnail_url"] is None for x in a.values())
print("accounts ok")
PY
check "four accounts" contains "$TMP/cmp" "accounts ok"

check "content" run 0 md content --json --limit 0
python3 - "$TMP/out" >"$TMP/cmp" 2>&1 <<'PY'
import json, re, sys
c = [x for x in json.load(open(sys.argv[1])) if x["platform"] != "twitch"]
assert len(c) == 30, len(c)
by = {}
for x in c:
    by.setdefault(x["platform"], []).append(x)
    assert x["thumbnail_url"] is None and x["title"] and x["published_at"]
    assert x["metrics"]["views"] >= x["metrics"]["likes"] >= 0
assert [len(by[p]) for p in ("youtube", "instagram", "tiktok")] == [11, 9, 10]
for x in by["youtube"]:
    assert re.fullmatch(r"[A-Za-z0-9_-]{10}[AEIMQUYcgkosw048]", x["id"]), x["id"]
    assert x["url"] == "https://www.youtube.com/watch?v=" + x["id"]
for x in by["instagram"]:
    assert re.fullmatch(r"[0-9]{17}", x["id"]), x["id"]
    assert re.fullmatch(r"https://www\.instagram\.com/(p|reel)/[A-Za-z0-9_-]{11}/", x["url"]), x["url"]
    assert {"shares", "saves"} <= set(x["metrics"])
for x in by["tiktok"]:
    assert re.fullmatch(r"[0-9]{19}", x["id"]), x["id"]
    assert x["url"] == "https://www.tiktok.com/@pixelpaceruns/video/" + x["id"]
print("content ok")
PY
check "thirty content items" contains "$TMP/cmp" "content ok"

check "report" run 0 md report --range 28d --json
python3 - "$TMP/out" "${VIRAL#*:}" >"$TMP/cmp" 2>&1 <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
assert sys.argv[2] in [s["id"] for s in r["spikes"]], r["spikes"]
assert r["best_hour"] is not None
assert sum(v is not None for v in r["heatmap"]) >= 3
assert r["total"]["views_gain"] > 0 and r["total"]["followers_gain"] > 0
print("report ok")
PY
check "report: viral spike, best hour, heatmap" contains "$TMP/cmp" "report ok"

# --- range-correct figures, owned accounts only --------------------------
# Engagement is what the range gained: interactions gained / views gained,
# so a week and a year differ; each figure is checked against sums of
# account_day read here with Python's sqlite3 (the rollup days are UTC).
RDB="$TMP/range.db"
check "range demo" run 0 "$BIN" --db "$RDB" demo --items 20 --days 60
for r in 7d 365d; do
  check "report --range $r" run 0 "$BIN" --db "$RDB" report --json --range $r
  cp "$TMP/out" "$TMP/report-$r.json"
done
cat >"$TMP/range_check.py" <<'PY'
import json, sqlite3, sys, datetime as dt
db, week, year, tracked = sys.argv[1], json.load(open(sys.argv[2])), json.load(open(sys.argv[3])), sys.argv[4:]
con = sqlite3.connect(db)
def day(s):
    return (dt.date.fromisoformat(s) - dt.date(1970, 1, 1)).days
def gains(platform, metrics, frm, to):
    q = ("SELECT coalesce(sum(d.gain), 0) FROM account_day d JOIN item i ON i.id = d.account_id "
         "JOIN metric m ON m.id = d.metric_id WHERE i.role = 'own' AND m.name IN (%s) "
         "AND d.day >= ? AND d.day <= ? AND (? IS NULL OR i.platform = ?)" % ",".join("?" * len(metrics)))
    return con.execute(q, (*metrics, frm, to, platform, platform)).fetchone()[0]
INTER = ("likes", "comments", "shares", "saves")
for r in (week, year):
    a, b = day(r["from"]), day(r["to"])
    pa, pb = day(r["previous"]["from"]), day(r["previous"]["to"])
    assert pb == a - 1 and pb - pa == b - a, (r["from"], r["to"], r["previous"])
    for name, t in [(None, r["total"])] + list(r["platforms"].items()):
        assert name not in tracked, name
        for g, lo, hi in ((t, a, b), (t["previous"], pa, pb)):
            v, i = gains(name, ("views",), lo, hi), gains(name, INTER, lo, hi)
            assert (g["views_gain"], g["interactions_gain"]) == (v, i), (name, g, v, i)
            assert (g["engagement"] is None) if v <= 0 else abs(g["engagement"] - i / v) < 1e-12, (name, g)
    assert r["total"]["views_gain"] == sum(p["views_gain"] for p in r["platforms"].values())
    assert r["total"]["accounts"] == 4 - len(tracked), r["total"]
assert week["total"]["views_gain"] > 0 and week["total"]["previous"]["views_gain"] > 0
assert week["total"]["engagement"] != year["total"]["engagement"], (week["total"], year["total"])
assert year["total"]["previous"]["views_gain"] == 0 and year["total"]["previous"]["engagement"] is None
print("range ok", week["total"]["engagement"], year["total"]["engagement"])
PY
python3 "$TMP/range_check.py" "$RDB" "$TMP/report-7d.json" "$TMP/report-365d.json" >"$TMP/cmp" 2>&1
check "7d and 365d: own engagement, previous range" contains "$TMP/cmp" "range ok"
# A tracked account (the CLI for roles is another change: set it in SQL)
# and its content leave every total.
check "mark tiktok tracked" sqlite3 "$RDB" "UPDATE item SET role = 'tracked' WHERE platform = 'tiktok'"
for r in 7d 365d; do
  check "report --range $r, tiktok tracked" run 0 "$BIN" --db "$RDB" report --json --range $r
  cp "$TMP/out" "$TMP/report-$r.json"
done
python3 "$TMP/range_check.py" "$RDB" "$TMP/report-7d.json" "$TMP/report-365d.json" tiktok >"$TMP/cmp" 2>&1
check "tracked account not in the totals" contains "$TMP/cmp" "range ok"
check "report text" run 0 "$BIN" --db "$RDB" report --range 7d
check "report text: previous range" contains "$TMP/out" "Previous 7 days"
check "report text: lifetime named" contains "$TMP/out" "Lifetime (latest values"

check "export" run 0 md export snapshots --format csv
cp "$TMP/out" "$TMP/first.csv"
python3 - "$TMP/first.csv" "${DELETED#*:}" "$DELETED_AT" "${DIP#*:}" >"$TMP/cmp" 2>&1 <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
deleted, deleted_at, dip = sys.argv[2], sys.argv[3], sys.argv[4]
end = max(r["observed_at"] for r in rows)
last = {}   # (item, day) -> last views that day
for r in rows:
    if r["content_id"] and r["metric"] == "views":
        k = (r["content_id"], r["observed_at"][:10])
        if k not in last or r["observed_at"] > last[k][0]:
            last[k] = (r["observed_at"], int(r["value"]))
neg = set()
prev = {}
for (item, day) in sorted(last):
    v = last[(item, day)][1]
    if item in prev and v < prev[item]:
        neg.add(item)
    prev[item] = v
assert dip in neg, (dip, neg)
seen = [r["observed_at"] for r in rows if r["content_id"] == deleted]
assert seen and max(seen) < deleted_at < end, (max(seen), deleted_at, end)
print("export ok", len(rows))
PY
check "export: a dip, the deleted video stops" contains "$TMP/cmp" "export ok"
check "show deleted" run 0 md show --json "$DELETED"
check "show deleted has history" contains "$TMP/out" '"snapshots"'
# The deleted video is marked as the collector marks an id the platform
# no longer returns: removed, last seen at its last snapshot.
# all of it: with Twitch's streams, archives and clips the default page
# of 50 need not reach the deleted video
check "content --json" run 0 md content --json --limit 0
python3 - "$TMP/out" "$TMP/first.csv" "${DELETED#*:}" >"$TMP/cmp" 2>&1 <<'PY'
import csv, json, sys
items = json.load(open(sys.argv[1]))
deleted = sys.argv[3]
last = max(r["observed_at"] for r in csv.DictReader(open(sys.argv[2])) if r["content_id"] == deleted)
marked = {i["id"]: i["removed_last_seen"] for i in items if "removed_last_seen" in i}
assert marked == {deleted: last}, (marked, last)
print("removed ok")
PY
check "demo: the deleted video is marked removed (last seen)" contains "$TMP/cmp" "removed ok"

# --- a database with data is left alone -----------------------------------
check "again without --force" run 1 md demo --items 30 --days 40
check "refusal says why" contains "$TMP/err" "already holds data"
check "refusal names --force" contains "$TMP/err" "--force"
check "export after refusal" run 0 md export snapshots --format csv
check "refusal stored nothing" same_file "$TMP/out" "$TMP/first.csv"

# --- a seed gives the same data; another seed other data ---------------
opts="--items 12 --days 20 --end 2026-03-01T12:00:00Z"
check "seed 5 into a" run 0 "$BIN" --db "$TMP/a.db" demo $opts --seed 5
check "seed 5 into b" run 0 "$BIN" -q --db "$TMP/b.db" demo $opts --seed 5
check "-q is quiet" test ! -s "$TMP/err"
check "seed 6 into c" run 0 "$BIN" --db "$TMP/c.db" demo $opts --seed 6
"$BIN" --db "$TMP/a.db" export snapshots >"$TMP/a.csv"
"$BIN" --db "$TMP/b.db" export snapshots >"$TMP/b.csv"
"$BIN" --db "$TMP/c.db" export snapshots >"$TMP/c.csv"
check "same seed, same export" same_file "$TMP/a.csv" "$TMP/b.csv"
check "export not empty" test "$(wc -l <"$TMP/a.csv")" -gt 1000
sort "$TMP/a.csv" >"$TMP/a.sorted"
sort "$TMP/c.csv" >"$TMP/c.sorted"
check "other seed, other data" test "$(comm -12 "$TMP/a.sorted" "$TMP/c.sorted" | wc -l)" -lt 100
check "ends where asked" contains "$TMP/a.csv" ",2026-03-01T12:00:00Z,"
check "nothing after the end" lacks "$TMP/a.csv" ",2026-03-01T13:00:00Z,"
# --force with the same seed: every snapshot is there already
check "force, same seed" run 0 "$BIN" --db "$TMP/a.db" demo $opts --seed 5 --force --json
check "force stored no new snapshots" contains "$TMP/out" '"snapshots":0,'
"$BIN" --db "$TMP/a.db" export snapshots >"$TMP/a2.csv"
check "force changed nothing" same_file "$TMP/a.csv" "$TMP/a2.csv"
# hour by hour: the same data
check "batch hour" run 0 "$BIN" --db "$TMP/d.db" demo $opts --seed 5 --batch hour
"$BIN" --db "$TMP/d.db" export snapshots >"$TMP/d.csv"
check "batch hour, same export" same_file "$TMP/a.csv" "$TMP/d.csv"

# --- Ctrl-C: whole days stored, and the printed command finishes it ----
big="--items 60 --days 100 --end 2026-03-01T12:00:00Z --seed 8"
"$BIN" --db "$TMP/int.db" demo $big >"$TMP/out" 2>"$TMP/err" &
pid=$!
sleep 1
kill -INT "$pid" 2>/dev/null
wait "$pid"
st=$?
if [ "$st" -eq 0 ]; then
  echo "  (demo finished before SIGINT; interrupt path not exercised)" >&2
else
  check "interrupted exits 1" test "$st" -eq 1
  check "interrupted message" contains "$TMP/err" "interrupted after hour"
  resume=$(grep -o 'demo --items.*--force' "$TMP/err")
  check "resume command printed" test -n "$resume"
  check "interrupted db readable" run 0 "$BIN" --db "$TMP/int.db" report --range 365d --to 2026-03-01
  check "resumed" run 0 "$BIN" --db "$TMP/int.db" $resume
  check "reference" run 0 "$BIN" --db "$TMP/ref.db" -q demo $big
  "$BIN" --db "$TMP/int.db" export snapshots >"$TMP/int.csv"
  "$BIN" --db "$TMP/ref.db" export snapshots >"$TMP/ref.csv"
  check "interrupted + resumed = uninterrupted" same_file "$TMP/int.csv" "$TMP/ref.csv"
fi

finish
