# 10,000 YouTube posts due at the same second, four `mediadash worker
# --once` processes on one SQLite file, the fake platform server behind
# them (issue 6 acceptance): exactly 10,000 publish calls (upload
# sessions) and 10,000 completed publishes on the fake, one per post, and
# every post published with its own video.
. "$(dirname "$0")/lib.sh"
# The fake must outlive the test (ctest TIMEOUT 900, CMakeLists.txt), not
# stop at collect_lib's default 560 s, which a loaded machine reaches.
COLLECT_FAKE_LIFETIME=880
. "$(dirname "$0")/collect_lib.sh"

N=${MEDIADASH_PUBLISH_POSTS:-10000}
q() { sqlite3 "$DB" "$1"; }
check "fake started" test -n "$(head -1 "$TMP/port")"
check "connect youtube" connect_one youtube UC1 yt-code
head -c 2048 /dev/urandom >"$TMP/tiny.mp4"
due=$(date -u -d '-1 minute' '+%Y-%m-%d %H:%M')
check "one post added" md -q post add --platform youtube --account UC1 \
  --title "post 1" --media "$TMP/tiny.mp4" --at "$due" --zone UTC
copy_posts "$DB" "$N" "post"
check "$N posts scheduled, due at one second" test \
  "$(q "SELECT count(*) || ' ' || count(DISTINCT publish_at) FROM post WHERE state = 'scheduled'")" = "$N 1"

start=$(date +%s)
pids=()
for i in 1 2 3 4; do
  "$BIN" --db "$DB" worker --once --id "w$i" --batch 25 --config "$TMP/md.conf" 2>"$TMP/w$i.err" &
  pids+=($!)
  SERVERS="$SERVERS $!"
done
rcs=0
for p in "${pids[@]}"; do wait "$p" || rcs=$((rcs + 1)); done
echo "  4 workers published $N posts in $(($(date +%s) - start)) s" >&2
tail -qn1 "$TMP"/w?.err >&2
check "every worker exited 0" test "$rcs" = 0
check "every post published, in one attempt" test \
  "$(q "SELECT count(*) || ' ' || max(attempts) FROM post WHERE state = 'published'")" = "$N 1"
check "exactly $N publish calls and $N completed publishes on the fake" python3 - "$B" "$N" <<'PY'
import json, sys, urllib.request
s = json.load(urllib.request.urlopen(sys.argv[1] + "/_stats", timeout=30))
n = int(sys.argv[2])
calls = s["methods"].get("POST /upload/youtube/v3/videos", 0)
pub = s["published"]
done = sum(pub.values())
print("  fake: %d upload sessions, %d PUTs, %d completed publishes, %d titles, max %d per title"
      % (calls, s["methods"].get("PUT /upload/youtube/v3/videos", 0), done, len(pub),
         max(pub.values() or [0])), file=sys.stderr)
want = {"youtube:post %d" % i for i in range(1, n + 1)}
sys.exit(0 if calls == n and done == n and set(pub) == want else 1)
PY
check "$N distinct remote ids" test "$(q "SELECT count(DISTINCT remote_id) FROM post WHERE remote_id IS NOT NULL")" = "$N"
check "exactly one claim per post" test \
  "$(q "SELECT count(*) || ' ' || max(c) FROM (SELECT post_id, count(*) AS c FROM post_event WHERE to_state = 'claimed' GROUP BY post_id)")" = "$N 1"

finish
