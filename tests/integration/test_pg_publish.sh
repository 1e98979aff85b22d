# Publishing on PostgreSQL (issue 17, docs/postgresql.md "Workers on
# several hosts"), on a fresh database of the tests' cluster (fixture pg):
# 1. `serve` on PostgreSQL answers the Compose/Calendar API (create with
#    an Idempotency-Key, show, edit at a version, a stale edit, schedule
#    by an edit, list, slots, cancel) exactly as `serve` on SQLite: the
#    same requests on both, the same statuses and bodies (times aside).
# 2. Three `mediadash worker` processes (loop mode, 600 s interval) idle
#    on one database, waiting for a NOTIFY; 300 posts due at once, 299
#    written by psql (no NOTIFY: nobody claims them), the last added by
#    `post add` (whose NOTIFY wakes them): exactly 300 publishes on the
#    fake platform server, 0 duplicates, long before the interval.
# 3. 60 more posts; the fake answers 30% of the completing uploads 1 s
#    late; worker w1
#    is killed (SIGKILL) while it is publishing: its lease (10 s) ends,
#    the others take its posts back (claimed -> scheduled, publishing ->
#    needs_check, then asked of the platform), and every post ends
#    published or needs_check with the fake's record agreeing, 0
#    duplicates. The survivors stop promptly on SIGTERM.
. "$(dirname "$0")/lib.sh"
COLLECT_FAKE_LIFETIME=300
. "$(dirname "$0")/collect_lib.sh"

PGBIN=${MEDIADASH_PGBIN:-/usr/lib/postgresql/15/bin}
DB=$(pg_newdb pgpublish) || { echo "no PostgreSQL database" >&2; exit 1; }
SQ="$TMP/api.db"
export MEDIADASH_SECRET_KEY_FILE="$TMP/pg.key"
export MEDIADASH_MEDIA_ROOT="$TMP/media"
mkdir -p "$MEDIADASH_MEDIA_ROOT"
q() { "$PGBIN/psql" -X -q -At -v ON_ERROR_STOP=1 -d "$DB" -c "$1"; }
# wait_for SECONDS SQL WANT: poll until the query prints WANT.
wait_for() {
  local end=$(($(date +%s) + $1)) got
  while [ "$(date +%s)" -le "$end" ]; do
    got=$(q "$2") && [ "$got" = "$3" ] && return 0
    sleep 0.2
  done
  echo "  after $1 s: $(q "$2"), expected $3" >&2
  return 1
}

# ---- 1. the Compose/Calendar API on both backends ----------------------
printf 'x' >"$MEDIADASH_MEDIA_ROOT/clip.mp4"
CLIP=$(realpath "$MEDIADASH_MEDIA_ROOT/clip.mp4")
SHA=$(printf 'x' | sha256sum | cut -d' ' -f1)
# api_run DB OUT: the same requests against serve on DB; one line per
# answer in OUT: "STATUS BODY".
api_run() {
  local db=$1 out=$2 n=0
  serve_start "$db" --no-collect --no-worker || return 1
  COOKIES="$TMP/cookies-$n$RANDOM"
  login "$db" "$URL" || return 1
  : >"$out"
  r() { # r METHOD PATH [BODY]
    local code
    code=$(curl -s -m 20 -o "$TMP/b" -w '%{http_code}' -X "$1" -b "$COOKIES" \
      -H "Origin: $URL" -H "X-CSRF-Token: $CSRF" -H 'Content-Type: application/json' \
      -H 'Idempotency-Key: compose-1' ${3:+--data-binary "$3"} "$URL$2")
    printf '%s %s\n' "$code" "$(cat "$TMP/b")" >>"$out"
  }
  local m='[{"path":"'$CLIP'","sha256":"'$SHA'","bytes":1,"content_type":"video/mp4"}]'
  local post='{"platform":"dryrun","account":"acct","title":"Launch","caption":"hi","tags":["a"],"privacy":"public","media":'$m',"at":"2099-07-01 09:30","zone":"Europe/Berlin","draft":true}'
  r POST /api/v1/posts "$post"
  r POST /api/v1/posts "$post"
  r POST /api/v1/posts "${post/Launch/Other}"
  r GET /api/v1/posts/1
  r PATCH /api/v1/posts/1 '{"title":"Launch 2","version":1}'
  r PATCH /api/v1/posts/1 '{"title":"stale","version":1}'
  r PATCH /api/v1/posts/1 '{"draft":false,"at":"2099-07-02 10:00","version":2}'
  r GET '/api/v1/posts?from=2099-07-01&to=2099-07-03'
  r GET '/api/v1/posts?state=scheduled'
  r POST /api/v1/slots '{"platform":"dryrun","account":"acct","days":["tue","thu"],"time":"09:00","zone":"Europe/Berlin"}'
  r GET '/api/v1/slots?platform=dryrun&account=acct'
  r GET "/api/v1/media/$SHA" # 404: named by a post, never uploaded
  r POST /api/v1/posts/1/cancel
  r POST /api/v1/posts/1/cancel
  r GET /api/v1/posts/1
  kill "$SERVER" 2>/dev/null
  wait "$SERVER" 2>/dev/null
  return 0
}
# Times of day the requests were made at differ between the two runs.
norm() {
  python3 - "$1" <<'PY'
import json, re, sys
def walk(v, k=None):
    if isinstance(v, dict):
        return {a: walk(b, a) for a, b in v.items()}
    if isinstance(v, list):
        return [walk(x) for x in v]
    if k in ("created_at", "updated_at", "at", "uploaded_at", "claimed_until") or \
       (isinstance(k, str) and k.endswith("_at") and k != "publish_at"):
        return "T"
    return v
for line in open(sys.argv[1]):
    code, _, body = line.rstrip("\n").partition(" ")
    try:
        print(code, json.dumps(walk(json.loads(body)), sort_keys=True))
    except ValueError:
        print(code, body)
PY
}
check "API on SQLite" api_run "$SQ" "$TMP/api-sqlite"
check "API on PostgreSQL" api_run "$DB" "$TMP/api-pg"
check "15 answers each" test "$(wc -l <"$TMP/api-pg")" = 15
statuses=$(cut -d' ' -f1 "$TMP/api-pg" | tr '\n' ' ')
echo "  [${SECONDS}s] API statuses: $statuses" >&2
check "statuses: created, same key, other body, ..." test "$statuses" = \
  "201 200 422 200 200 409 200 200 200 201 200 404 200 409 200 "
norm "$TMP/api-sqlite" >"$TMP/api-sqlite.n"
norm "$TMP/api-pg" >"$TMP/api-pg.n"
check "PostgreSQL answers as SQLite" diff "$TMP/api-sqlite.n" "$TMP/api-pg.n"

echo "  [${SECONDS}s] API compared" >&2
# ---- 2. three workers, 300 posts due at once ----------------------------
check "connect youtube" connect_one youtube UC1 yt-code
head -c 2048 /dev/urandom >"$TMP/tiny.mp4"
due=$(date -u -d '-1 minute' '+%Y-%m-%d %H:%M')
later=$(date -u -d '+1 day' '+%Y-%m-%d %H:%M')
check "a template post" md -q post add --platform youtube --account UC1 \
  --title template --media "$TMP/tiny.mp4" --at "$later" --zone UTC
TPL=$(q "SELECT max(id) FROM post WHERE title = 'template'")
# copies FIRST LAST PREFIX: posts "PREFIX i", due a minute ago, written
# by psql: no NOTIFY, as a worker would not see them without one.
copies() {
  q "INSERT INTO post(platform, account, title, caption, tags, privacy, media,
       publish_at, zone, local_time, state, created_at, updated_at)
     SELECT platform, account, '$3 ' || i, caption, tags, privacy, media,
       extract(epoch FROM now())::bigint - 60, zone, local_time, 'scheduled',
       created_at, updated_at FROM post, generate_series($1, $2) i WHERE id = $TPL;
     INSERT INTO post_event(post_id, at, to_state, note)
     SELECT id, created_at, 'scheduled', 'created' FROM post p
     WHERE title LIKE '$3 %' AND NOT EXISTS (SELECT 1 FROM post_event e WHERE e.post_id = p.id)"
}
declare -A WPID
for w in w1 w2 w3; do
  "$BIN" --db "$DB" worker --id "$w" --lease 10 --batch 10 --interval 600 \
    --config "$TMP/md.conf" 2>"$TMP/$w.err" &
  WPID[$w]=$!
  SERVERS="$SERVERS $!"
done
# Idle: three connections of ours waiting (no statement running).
check "3 workers idle" wait_for 60 "SELECT count(*) FROM pg_stat_activity WHERE \
  application_name = 'mediadash' AND state = 'idle' AND query LIKE '%post%'" 3
echo "  [${SECONDS}s] workers idle" >&2
check "299 due posts written without NOTIFY" copies 1 299 post
sleep 1
check "nobody polls: none claimed yet" test "$(q "SELECT count(*) FROM post WHERE state <> 'scheduled' AND title LIKE 'post %'")" = 0
start=$(date +%s)
check "post add: the 300th, due now (its NOTIFY wakes them)" md -q post add \
  --platform youtube --account UC1 --title "post 300" --media "$TMP/tiny.mp4" --at "$due" --zone UTC
check "300 published, long before the 600 s interval" wait_for 100 \
  "SELECT count(*) FROM post WHERE state = 'published' AND title LIKE 'post %'" 300
echo "  300 posts published by 3 workers in $(($(date +%s) - start)) s" >&2
# fake_check PREFIX N: every post PREFIX 1..N the fake has at most once;
# published ones exactly once; prints "published needs_check fake".
fake_check() {
  q "SELECT title || '|' || state FROM post WHERE title LIKE '$1 %'" >"$TMP/states"
  curl -s --max-time 20 "$B/_stats" >"$TMP/stats"
  python3 - "$1" "$2" "$TMP/states" "$TMP/stats" <<'PY'
import json, sys
prefix, n = sys.argv[1], int(sys.argv[2])
states = dict(l.rstrip("\n").split("|") for l in open(sys.argv[3]) if l.strip())
pub = json.load(open(sys.argv[4]))["published"]
bad = []
if len(states) != n:
    bad.append("%d posts, not %d" % (len(states), n))
for t, s in states.items():
    c = pub.get("youtube:" + t, 0)
    if c > 1:
        bad.append("%s published %d times" % (t, c))
    if s == "published" and c != 1:
        bad.append("%s is published, the fake has it %d times" % (t, c))
    if s not in ("published", "needs_check"):
        bad.append("%s is %s" % (t, s))
done = sum(1 for s in states.values() if s == "published")
check = sum(1 for s in states.values() if s == "needs_check")
fake = sum(pub.get("youtube:" + t, 0) for t in states)
print("  %s: %d published, %d needs_check, %d on the fake" % (prefix, done, check, fake), file=sys.stderr)
for b in bad[:10]:
    print("  " + b, file=sys.stderr)
sys.exit(1 if bad else 0)
PY
}
check "exactly 300 publishes on the fake, 0 duplicates" fake_check post 300
check "300 upload sessions on the fake" test \
  "$(fake_stat() { curl -s --max-time 10 "$B/_stats" | python3 -c 'import json,sys; print(json.load(sys.stdin)["methods"].get("POST /upload/youtube/v3/videos", 0))'; }; fake_stat)" = 300
check "one claim per post" test "$(q "SELECT count(*) || ' ' || max(c) FROM (SELECT post_id, count(*) AS c
  FROM post_event WHERE to_state = 'claimed' GROUP BY post_id) x")" = "300 1"
check "all 3 workers took part" test "$(q "SELECT count(DISTINCT split_part(note, ',', 1))
  FROM post_event WHERE to_state = 'claimed'")" = 3

echo "  [${SECONDS}s] phase 2 checked" >&2
# ---- 3. kill -9 one worker inside a publish ------------------------------
# Every upload's completion takes a second here, so a post seen
# publishing by w1 is still in flight when the kill lands: with 30% of
# them slow, a fast one could finish between the look and the kill and
# leave nothing in flight (the clean clone's ASan run of a8f893d).
control '{"yt_complete_delay": {"p": 1.0, "seconds": 1.0}}'
check "59 more due posts" copies 1 59 kill
check "post add: the 60th" md -q post add --platform youtube --account UC1 \
  --title "kill 60" --media "$TMP/tiny.mp4" --at "$due" --zone UTC
check "w1 is publishing" wait_for 60 "SELECT count(*) > 0 FROM post WHERE state = 'publishing' AND claimed_by = 'w1'" t
kill -9 "${WPID[w1]}"
wait "${WPID[w1]}" 2>/dev/null
# Read after the kill, when w1 can no longer move a post: exactly the
# posts it died publishing. Read before it, the list could name a post w1
# finished in between (a fast publish, now that no connect waits 1 s).
INFLIGHT=$(q "SELECT coalesce(string_agg(id::text, ','), '') FROM post WHERE state = 'publishing' AND claimed_by = 'w1'")
check "w1 died inside a publish" test -n "$INFLIGHT"
INFLIGHT=${INFLIGHT:-0}
echo "  w1 killed while publishing post(s) $INFLIGHT" >&2
echo "  [${SECONDS}s] killed" >&2
check "every post settles (the lease of 10 s ends, the others go on)" wait_for 100 \
  "SELECT count(*) FROM post WHERE title LIKE 'kill %' AND state NOT IN ('published', 'needs_check')" 0
echo "  [${SECONDS}s] settled" >&2
check "every post published or needs_check, the fake agreeing, 0 duplicates" fake_check kill 60
check "the post killed in flight was taken back as needs_check" test \
  "$(q "SELECT count(*) FROM post_event WHERE post_id IN ($INFLIGHT) AND from_state = 'publishing' AND to_state = 'needs_check'")" -ge 1
check "posts from before the kill untouched" fake_check post 300
# The survivors stop on SIGTERM within a second or so (200 ms slices).
for w in w2 w3; do kill -TERM "${WPID[$w]}"; done
stopped() { for w in w2 w3; do kill -0 "${WPID[$w]}" 2>/dev/null && return 1; done; return 0; }
end=$(($(date +%s) + 5))
while ! stopped && [ "$(date +%s)" -le "$end" ]; do sleep 0.1; done
check "w2 and w3 stopped on SIGTERM within 5 s" stopped
rc=0; for w in w2 w3; do wait "${WPID[$w]}" || rc=1; done
check "and exited 0" test "$rc" = 0
cat "$TMP"/w?.err | tail -n 3 >&2
finish
