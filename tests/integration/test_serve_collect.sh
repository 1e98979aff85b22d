# The collector inside `mediadash serve`: with the configuration pointing
# at the fake platform server, serve collects on its own; /api/v1/sources
# and /api/v1/content show what arrived, equal to what the fake served;
# an invalid_grant on refresh shows needs_relogin there and stops calls to
# that account; SIGTERM stops serve promptly while the collector waits on
# a hanging request.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/collect_lib.sh"

check "connect youtube" connect_one youtube UC1 yt-code
check "connect instagram" connect_one instagram 17841400000000001 ig-code
check "connect tiktok" connect_one tiktok tt-any tt-code
check "serve starts" serve_start "$DB" --threads 2
check "login" login "$DB" "$URL"

fault() { control "{\"faults\": [$1]}"; }
get() { curl -s -m 20 -b "$COOKIES" -o "$TMP/$2" -w '%{http_code}' "$URL$1"; }
post() { curl -s -m 20 -b "$COOKIES" -H "Origin: $URL" -H "X-CSRF-Token: $CSRF" -X POST -o "$TMP/$2" -w '%{http_code}' "$URL$1"; }
# wait_sources PYTHON_CONDITION SECONDS: poll /api/v1/sources (as d).
wait_sources() {
  for _ in $(seq $(( $2 * 4 ))); do
    if [ "$(get /api/v1/sources sources.json)" = 200 ] &&
       python3 -c "import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if ($1) else 1)" "$TMP/sources.json" 2>/dev/null; then
      return 0
    fi
    sleep 0.25
  done
  echo "  condition not met: $1" >&2; cat "$TMP/sources.json" >&2; return 1
}
acct() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); a=[a for a in d["accounts"] if a["platform"]==sys.argv[2]][0]; print(a[sys.argv[3]])' "$TMP/sources.json" "$1" "$2"; }

check "every account collected by serve" wait_sources \
  'len(d["accounts"]) == 3 and all(a["status"] == "ok" and a["last_fetch"] for a in d["accounts"])' 60
check "needs_relogin false" wait_sources 'd["needs_relogin"] is False' 1
check "items tracked: 60 videos" test "$(acct youtube items_tracked)" = 60
check "items tracked: 30 media" test "$(acct instagram items_tracked)" = 30
check "items tracked: 25 videos" test "$(acct tiktok items_tracked)" = 25
check "quota counted (1 + 2 + 2 units)" python3 -c 'import json,sys; q=json.load(open(sys.argv[1]))["youtube_quota"]; sys.exit(0 if q["used_today"] == 5 and q["limit"] == 10000 and q["resets_at"] else 1)' "$TMP/sources.json"
check "jobs as sources --json" python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if len(d["jobs"]) == 6 else 1)' "$TMP/sources.json"
check "platforms configured (the three the config names)" python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); c={p["platform"]: p["configured"] for p in d["platforms"]}; sys.exit(0 if all(c[n] for n in ("youtube", "instagram", "tiktok")) and not c.get("twitch", False) else 1)' "$TMP/sources.json"

check "content API" test "$(get '/api/v1/content?platform=tiktok&limit=100' content.json)" = 200
check "content values are the served ones" python3 - "$TMP/dataset.json" "$TMP/content.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
c = json.load(open(sys.argv[2]))
rows = c.get("items") or c.get("content") or []
got = {}
for r in rows:
    m = r.get("metrics") or r.get("latest") or {}
    got[str(r.get("id") or r.get("ext_id"))] = m
bad = 0
for v in d["tiktok"]["videos"]:
    m = got.get(v["id"])
    if m is None or int(m.get("views", -1)) != v["view_count"]:
        print("differs", v["id"], m); bad += 1
print("tiktok items in /api/v1/content:", len(got))
sys.exit(1 if bad or len(got) != 25 else 0)
PY
check "export" run 0 md export snapshots --format csv
check "stored snapshots equal what the fake served" python3 - "$TMP/dataset.json" "$TMP/out" <<'PY'
import csv, io, json, sys
d = json.load(open(sys.argv[1]))
got = {}
for r in csv.DictReader(open(sys.argv[2])):
    got[(r["platform"], r["content_id"] or r["account_id"], r["metric"])] = r["value"]
want = {}
for v in d["youtube"]["videos"]:
    want[("youtube", v["id"], "views")] = v["statistics"]["viewCount"]
for m in d["instagram"]["media"]:
    want[("instagram", m["id"], "likes")] = m["like_count"]
for mid, ins in d["instagram"]["insights"].items():
    for o in ins:
        if o["name"] == "reach":
            want[("instagram", mid, "reach")] = o["values"][0]["value"]
for v in d["tiktok"]["videos"]:
    want[("tiktok", v["id"], "views")] = v["view_count"]
bad = [k for k, v in want.items() if got.get(k) != str(v)]
print("checked", len(want), "values; differing:", bad[:5])
sys.exit(1 if bad else 0)
PY

# ---- nothing due: the loop sleeps; "collect now" makes no call ----------
n0=$(stat_total)
check "collect now" test "$(post /api/v1/sources/collect kick.json)" = 202
sleep 1
check "nothing due: no request" test "$(stat_total)" = "$n0"

# ---- invalid_grant on refresh: needs_relogin, then no more calls -------
control '{"revoke_refresh": true}'
fault '{"path": "/youtube/v3/channels", "kind": "expired_token", "times": 1}'
all_due
check "collect now (all due)" test "$(post /api/v1/sources/collect kick.json)" = 202
check "sources: youtube needs re-login" wait_sources \
  'd["needs_relogin"] and [a for a in d["accounts"] if a["platform"] == "youtube"][0]["connection"] == "needs_relogin"' 30
check "other accounts still ok" wait_sources \
  'all(a["status"] == "ok" for a in d["accounts"] if a["platform"] != "youtube")' 30
check "youtube's status says auth_needed" test "$(acct youtube status)" = auth_needed
sleep 1
n0=$(stat_total)
python3 -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute("UPDATE collect_job SET next_due = 0 WHERE platform = '"'youtube'"'"); c.execute("UPDATE collect_item SET next_due = 0 WHERE platform = '"'youtube'"'"); c.commit()' "$DB"
check "collect now again" test "$(post /api/v1/sources/collect kick.json)" = 202
check "youtube round ran (blocked)" wait_sources '[a for a in d["accounts"] if a["platform"] == "youtube"][0]["failures"] >= 2' 20
check "no request made for it" test "$(stat_total)" = "$n0"
check "data already stored kept" test "$(snap_count)" -gt 300

# ---- Instagram usage headers: shown per account -------------------------
control '{"graph_headers": {"X-App-Usage": "{\"call_count\":85,\"total_cputime\":10,\"total_time\":12}"}}'
all_due
check "collect now (usage)" test "$(post /api/v1/sources/collect kick.json)" = 202
check "sources: instagram API usage 85 %" wait_sources \
  '[a for a in d["accounts"] if a["platform"] == "instagram"][0]["api_usage"]["percent"] == 85' 30
check "the note says insights were skipped" wait_sources \
  '"usage at 85" in [a for a in d["accounts"] if a["platform"] == "instagram"][0]["last_error"]' 5
control '{"graph_headers": {}}'

# ---- SIGTERM while the collector hangs on a request ----------------------
fault '{"path": "/v21.0/17841400000000001", "kind": "hang", "seconds": 60, "times": 1}'
all_due
check "collect now (hang)" test "$(post /api/v1/sources/collect kick.json)" = 202
for _ in $(seq 40); do
  [ "$(stat_path /v21.0/17841400000000001)" -ge 2 ] && break; sleep 0.25
done
check "the collector is in the hanging request" test "$(stat_path /v21.0/17841400000000001)" -ge 2
sleep 0.5
t0=$(date +%s%N)
kill -TERM "$SERVER"
stopped=no
for _ in $(seq 100); do
  kill -0 "$SERVER" 2>/dev/null || { stopped=yes; break; }
  sleep 0.05
done
wait "$SERVER"; rc=$?
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
echo "serve stopped in $ms ms (exit $rc) while a request hung"
check "SIGTERM stops serve within 5 s" test "$stopped" = yes
check "exit status 0" test "$rc" = 0
check "says stopping" contains "$SERVE_ERR" "terminated, stopping"
check "the hanging round was not recorded as a failure" test "$(job_field instagram account failures)" = 0
check "no token in the log" bash -c "! grep -aq 'fake-at-' '$SERVE_ERR'"
check "no token in the database" bash -c "! grep -aq 'fake-at-' '$DB'"
finish
