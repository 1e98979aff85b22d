# Queue slots (issue 14) over real HTTP on 127.0.0.1 and the CLI: slots
# stored, listed, edited and removed, every bad field a 400 naming it;
# "Add to queue" (POST /api/v1/posts with "queue") fills an account's
# slots in order across the next spring-forward and fall-back changes in
# Europe/Berlin (a slot inside the gap goes to the gap's end, a repeated
# one takes the first), skips taken slots, and never gives one slot to
# two posts sent at once; the Best time proposal is the account's own
# best slot (the heatmap's, for a platform with one account).
. "$(dirname "$0")/lib.sh"

DB=$(newdb slots)
PY=$(python3 -c 'import sys; print(sys.executable)')
md() { "$BIN" --db "$DB" "$@"; }
# A realistic year of owned content, one account per platform: the Best
# time proposal is then the account's own heatmap.
check "demo data" md -q demo --items 40 --days 60 --seed 7
check "server started" serve_start "$DB"

req() {
  local method=$1 path=$2 want=$3 code
  shift 3
  code=$(curl -s -m 20 -o "$TMP/body" -w '%{http_code}' -X "$method" \
    -b "$COOKIES" -H "Origin: $URL" -H "X-CSRF-Token: $CSRF" "$@" "$URL$path")
  [ "$code" = "$want" ] || { echo "  $method $path: $code, expected $want" >&2; cat "$TMP/body" >&2; echo >&2; return 1; }
}
# jreq METHOD PATH STATUS JSON: with a JSON body.
jreq() {
  printf '%s' "$4" >"$TMP/req.json"
  req "$1" "$2" "$3" -H 'Content-Type: application/json' --data-binary @"$TMP/req.json"
}
json() { "$PY" -c "import json,sys; d=json.load(open('$TMP/body')); sys.exit(0 if ($1) else 1)" || { echo "  not: $1" >&2; cat "$TMP/body" >&2; echo >&2; return 1; }; }
val() { "$PY" -c "import json,sys; d=json.load(open('$TMP/body')); print($1)"; }
names() { contains "$TMP/body" '"param":"'"$1"'"'; }

# --- session and CSRF -----------------------------------------------------
code=$(curl -s -o /dev/null -w '%{http_code}' "$URL/api/v1/slots")
check "no session: 401" test "$code" = 401
check "logged in" login "$DB" "$URL"
code=$(curl -s -o /dev/null -w '%{http_code}' -b "$COOKIES" -H "Origin: $URL" \
  -H 'Content-Type: application/json' -d '{"platform":"dryrun"}' "$URL/api/v1/slots")
check "POST without the CSRF token: 403" test "$code" = 403

# --- slots: add, list, edit, remove -------------------------------------
S='{"platform":"dryrun","account":"acct","days":["tue","Thursday"],"time":"17:00","zone":"Europe/Berlin"}'
check "two slots added: 201" jreq POST /api/v1/slots 201 "$S"
check "both listed, Sunday-first order" json '[ (s["day"], s["time"], s["zone"], s["weekday"]) for s in d["slots"]] == [("tue","17:00","Europe/Berlin",2), ("thu","17:00","Europe/Berlin",4)] and len(d["added"]) == 2 and d["existing"] == []'
check "each with its next occurrence at 17:00 Berlin" json 'all(s["next_local"].endswith(" 17:00:00") for s in d["slots"])'
TUE=$(val 'd["slots"][0]["id"]')
check "the same again: 200, existing" jreq POST /api/v1/slots 200 "$S"
check "nothing added" json 'd["added"] == [] and len(d["existing"]) == 2 and len(d["slots"]) == 2'
for bad in 'platform="myspace"=platform' 'account=""=account' 'days=["funday"]=days' 'days=[]=days' \
  'time="25:00"=time' 'time="5pm"=time' 'zone="Mars/Olympus"=zone' 'zone="../etc"=zone' 'zone=7=zone' 'color="red"=body'; do
  k=${bad%%=*}; rest=${bad#*=}; v=${rest%=*}; field=${rest##*=}
  b=$("$PY" -c "import json,sys; d=json.loads(sys.argv[1]); d[sys.argv[2]]=json.loads(sys.argv[3]); print(json.dumps(d))" "$S" "$k" "$v")
  check "bad $k $v: 400 naming $field" jreq POST /api/v1/slots 400 "$b"
  check "  names $field" names "$field"
done
check "not JSON: 400" jreq POST /api/v1/slots 400 '{"platform":'
check "still two slots" test "$(md queue slots | wc -l)" = 2
check "edit: Tuesday -> Wednesday 18:30" jreq PATCH "/api/v1/slots/$TUE" 200 '{"day":"wed","time":"18:30"}'
check "moved" json '[ (s["day"], s["time"]) for s in d["slots"]] == [("wed","18:30"), ("thu","17:00")]'
check "edit by POST too" jreq POST "/api/v1/slots/$TUE" 200 '{"time":"18:45"}'
check "onto the other slot: 409" jreq PATCH "/api/v1/slots/$TUE" 409 '{"day":"thu","time":"17:00"}'
check "and nothing changed" test "$(md queue slots | awk '{print $4, $5}' | tr '\n' ' ')" = "wed 18:45 thu 17:00 "
check "edit a bad zone: 400" jreq PATCH "/api/v1/slots/$TUE" 400 '{"zone":"Nowhere/Land"}'
check "  names zone" names zone
check "remove" req DELETE "/api/v1/slots/$TUE" 200
check "one left" json 'len(d["slots"]) == 1'
check "remove again: 404" req DELETE "/api/v1/slots/$TUE" 404
check "no such slot id: 404" req PATCH /api/v1/slots/x1 404 -d '{}'
check "list of another account: empty" req GET '/api/v1/slots?platform=dryrun&account=other' 200
check "  is empty" json 'd["slots"] == []'
check "bad platform filter: 400" req GET '/api/v1/slots?platform=myspace' 400

# --- the CLI --------------------------------------------------------------
check "CLI add Mon, Fri 08:00 New York" run 0 md queue slots add --platform dryrun --account cli --day mon,friday --time 08:00 --zone America/New_York
check "  two lines" test "$(wc -l <"$TMP/out")" = 2
check "CLI list --json is the API's shape" run 0 md queue slots --account cli --json
check "  mon and fri 08:00" "$PY" -c "import json; d=json.load(open('$TMP/out')); assert [(s['day'], s['time'], s['zone']) for s in d['slots']] == [('mon','08:00','America/New_York'), ('fri','08:00','America/New_York')], d"
CLI1=$("$PY" -c "import json; print(json.load(open('$TMP/out'))['slots'][0]['id'])")
check "CLI edit to 07:30" run 0 md queue slots edit "$CLI1" --time 07:30
check "  the API sees it" req GET '/api/v1/slots?platform=dryrun&account=cli' 200
check "  at 07:30" json 'd["slots"][0]["time"] == "07:30"'
check "CLI bad day: usage" run 2 md queue slots add --platform dryrun --account cli --day someday --time 08:00 --zone UTC
check "CLI bad zone: usage" run 2 md queue slots add --platform dryrun --account cli --day mon --time 08:00 --zone Mars/Base
check "CLI rm" run 0 md queue slots rm "$CLI1"
check "CLI rm again: 4" run 4 md queue slots rm "$CLI1"
check "CLI next without slots: 4" run 4 md queue next --platform dryrun --account nobody

# --- "Add to queue" across DST ------------------------------------------
# The Friday (00:00 UTC) before the next spring-forward and fall-back
# Sundays in Europe/Berlin (last Sundays of March and October).
read -r SPRING FALL <<<"$("$PY" - <<'PY'
import datetime as dt
today = dt.date.today() + dt.timedelta(days=2)
def last_sunday(y, m):
    d = dt.date(y, m, 31)
    return d - dt.timedelta(days=(d.weekday() + 1) % 7)
out = []
for m in (3, 10):
    d = last_sunday(today.year, m)
    if d <= today:
        d = last_sunday(today.year + 1, m)
    out.append((d - dt.timedelta(days=2)).isoformat() + "T00:00:00Z")
print(*out)
PY
)"
SHA=$(printf 'x' | sha256sum | cut -d' ' -f1)
printf 'x' >"$(media_dir "$DB")/clip.mp4"
CLIP=$(realpath "$(media_dir "$DB")/clip.mp4")
# post ACCOUNT [KEY=JSON...]: a post body for dryrun ACCOUNT.
post() {
  "$PY" - "$CLIP" "$SHA" "$@" <<'PY'
import json, sys
clip, sha, account = sys.argv[1:4]
d = {"platform": "dryrun", "account": account, "title": "Queued",
     "media": [{"path": clip, "sha256": sha, "bytes": 1, "content_type": "video/mp4"}]}
for kv in sys.argv[4:]:
    k, v = kv.split("=", 1)
    d[k] = json.loads(v)
print(json.dumps(d))
PY
}
check "slots Sat 17:00, Sun 02:30, Sun 17:00 Berlin" jreq POST /api/v1/slots 201 \
  '{"platform":"dryrun","account":"q1","days":["sat","sun"],"time":"17:00","zone":"Europe/Berlin"}'
check "  and Sun 02:30" jreq POST /api/v1/slots 201 \
  '{"platform":"dryrun","account":"q1","day":"sun","time":"02:30","zone":"Europe/Berlin"}'
SUN=$("$PY" -c "import datetime as dt,sys; print((dt.date.fromisoformat(sys.argv[1][:10]) + dt.timedelta(days=2)).isoformat())" "$SPRING")
SAT=$("$PY" -c "import datetime as dt,sys; print((dt.date.fromisoformat(sys.argv[1][:10]) + dt.timedelta(days=1)).isoformat())" "$SPRING")
utc() { "$PY" -c "import datetime as dt,sys; print((dt.date.fromisoformat(sys.argv[1]) + dt.timedelta(days=int(sys.argv[2]))).isoformat() + 'T' + sys.argv[3] + 'Z')" "$@"; }
# Someone scheduled a post by hand at the DST Sunday's 17:00 (15:00 UTC).
check "a post by hand at Sun 17:00" jreq POST /api/v1/posts 201 "$(post q1 at="\"$SUN 17:00\"" zone='"Europe/Berlin"')"
check "  at 15:00 UTC (CEST)" json 'd["post"]["publish_at"] == "'"$(utc "$SUN" 0 15:00:00)"'"'
Q="queue={\"after\":\"$SPRING\"}"
want=("$(utc "$SAT" 0 16:00:00)|$SAT 17:00:00" "$(utc "$SUN" 0 01:00:00)|$SUN 02:30:00"
  "$(utc "$SAT" 7 15:00:00)|$(utc "$SAT" 7 x | cut -c1-10) 17:00:00" "$(utc "$SUN" 7 00:30:00)|$(utc "$SUN" 7 x | cut -c1-10) 02:30:00")
IDS=()
for i in 0 1 2 3; do
  check "queued post $i: 201" jreq POST /api/v1/posts 201 "$(post q1 "$Q")"
  check "  in slot $i: ${want[$i]}" json 'd["post"]["publish_at"] + "|" + d["post"]["local_time"] == "'"${want[$i]}"'" and d["post"]["zone"] == "Europe/Berlin" and d["post"]["state"] == "scheduled" and d["note"].startswith("added to the queue")'
  IDS+=("$(val 'd["post"]["id"]')")
done
check "the gap slot's note says so" req GET "/api/v1/posts/${IDS[1]}" 200
check "  its history names the queue" json '"added to the queue" in d["events"][0]["note"]'
check "next free (API): the slots after those" req GET "/api/v1/slots/next?platform=dryrun&account=q1&count=2&after=$SPRING" 200
check "  Sun 17:00 and Sat 17:00 a week later" json '[x["at"] for x in d["next"]] == ["'"$(utc "$SUN" 7 15:00:00)"'", "'"$(utc "$SAT" 14 15:00:00)"'"]'
check "next free (CLI) agrees" run 0 md queue next --platform dryrun --account q1 --count 2 --after "$SPRING"
check "  first line" test "$(head -1 "$TMP/out" | cut -d' ' -f1)" = "$(utc "$SUN" 7 15:00:00)"
check "cancel the post in the first slot" req POST "/api/v1/posts/${IDS[0]}/cancel" 200
check "the next queued post takes that slot again" jreq POST /api/v1/posts 201 "$(post q1 "$Q")"
check "  at ${want[0]}" json 'd["post"]["publish_at"] + "|" + d["post"]["local_time"] == "'"${want[0]}"'"'
# Same Idempotency-Key, same body: the same post.
req POST /api/v1/posts 201 -H 'Content-Type: application/json' -H 'Idempotency-Key: qk-1' --data-binary "$(post q1 "$Q" title='"K"')"
KID=$(val 'd["post"]["id"]')
check "  first send: 201" test -n "$KID"
check "  second send: 200, same id" req POST /api/v1/posts 200 -H 'Content-Type: application/json' -H 'Idempotency-Key: qk-1' --data-binary "$(post q1 "$Q" title='"K"')"
check "  same id" json "d['post']['id'] == $KID"

# Fall back: Sun 02:30 occurs twice; the queue takes the first (CEST).
FSUN=$("$PY" -c "import datetime as dt,sys; print((dt.date.fromisoformat(sys.argv[1][:10]) + dt.timedelta(days=2)).isoformat())" "$FALL")
check "slot Sun 02:30 for q2" jreq POST /api/v1/slots 201 '{"platform":"dryrun","account":"q2","days":["sun"],"time":"02:30","zone":"Europe/Berlin"}'
check "queued at the repeated 02:30" jreq POST /api/v1/posts 201 "$(post q2 "queue={\"after\":\"$FALL\"}")"
check "  the first of the two (00:30 UTC)" json 'd["post"]["publish_at"] == "'"$(utc "$FSUN" 0 00:30:00)"'"'
check "the next one a week later in CET (01:30 UTC)" jreq POST /api/v1/posts 201 "$(post q2 "queue={\"after\":\"$FALL\"}")"
check "  at $(utc "$FSUN" 7 01:30:00)" json 'd["post"]["publish_at"] == "'"$(utc "$FSUN" 7 01:30:00)"'"'

# Six adds at once: six different slots.
check "a daily 09:00 UTC slot for q3" jreq POST /api/v1/slots 201 \
  '{"platform":"dryrun","account":"q3","days":["sun","mon","tue","wed","thu","fri","sat"],"time":"09:00","zone":"UTC"}'
post q3 'queue=true' >"$TMP/q3.json"
pids=""
for i in 1 2 3 4 5 6; do
  curl -s -m 30 -o "$TMP/par$i" -w '%{http_code}' -b "$COOKIES" -H "Origin: $URL" -H "X-CSRF-Token: $CSRF" \
    -H 'Content-Type: application/json' --data-binary @"$TMP/q3.json" "$URL/api/v1/posts" >"$TMP/par$i.code" &
  pids="$pids $!"
done
for p in $pids; do wait "$p"; done
check "six 201s" test "$(cat "$TMP"/par?.code | tr -d '\n')" = 201201201201201201
check "six different slots, a day apart" "$PY" -c "
import json, datetime as dt
ts = sorted(dt.datetime.fromisoformat(json.load(open('$TMP/par%d' % i))['post']['publish_at'].replace('Z', '+00:00')) for i in range(1, 7))
assert len(set(ts)) == 6, ts
assert all((b - a).total_seconds() == 86400 for a, b in zip(ts, ts[1:])), ts
assert all(t.hour == 9 and t.minute == 0 for t in ts), ts
"

# Refusals.
check "queue with at: 400" jreq POST /api/v1/posts 400 "$(post q1 queue=true at='"2099-01-01 10:00"' zone='"UTC"')"
check "  names queue" names queue
check "a queued draft: 400" jreq POST /api/v1/posts 400 "$(post q1 queue=true draft=true)"
check "queue \"yes\": 400" jreq POST /api/v1/posts 400 "$(post q1 queue='"yes"')"
check "  names queue" names queue
check "queue {after: bad}: 400" jreq POST /api/v1/posts 400 "$(post q1 'queue={"after":"soon"}')"
check "an account without slots: 409" jreq POST /api/v1/posts 409 "$(post nobody queue=true)"
check "  names queue and says why" json 'd["error"]["param"] == "queue" and "no queue slots" in d["error"]["message"]'
check "queue: false is an ordinary post (at needed)" jreq POST /api/v1/posts 400 "$(post q1 queue=false)"

# --- Best time proposals -------------------------------------------------
YT=$(sql "$DB" "SELECT ext_id FROM item WHERE platform = 'youtube' AND type = 'account'")
check "proposals for the YouTube account" req GET "/api/v1/slots/propose?platform=youtube&account=$YT&count=3&min=1&range=365d" 200
cp "$TMP/body" "$TMP/prop.json"
check "heatmap of its platform (its only account)" req GET "/api/v1/heatmap?platform=youtube&min=1&range=365d" 200
check "the proposals are the heatmap's three best buckets, best first" "$PY" -c "
import json
p = json.load(open('$TMP/prop.json')); h = json.load(open('$TMP/body'))
b = sorted((x for x in h['buckets'] if x['n'] >= 1 and x['mean'] is not None), key=lambda x: -x['mean'])[:3]
got = [(x['weekday'], x['hour'], round(x['mean'], 6)) for x in p['proposals']]
want = [(x['weekday'], x['hour'], round(x['mean'], 6)) for x in b]
assert len(got) == 3 and got == want, (got, want)
assert p['proposals'][0]['weekday'] == h['best']['weekday'] and p['proposals'][0]['hour'] == h['best']['hour']
assert all(x['zone'] == h['zone'] and x['time'] == '%02d:00' % x['hour'] and not x['exists'] for x in p['proposals'])
assert p['items'] > 0
"
P0=$("$PY" -c "import json; x=json.load(open('$TMP/prop.json'))['proposals'][0]; print(json.dumps({'platform':'youtube','account':'$YT','day':x['day'],'time':x['time'],'zone':x['zone']}))")
check "adding the best one" jreq POST /api/v1/slots 201 "$P0"
check "then it is marked as existing" req GET "/api/v1/slots/propose?platform=youtube&account=$YT&count=3&min=1&range=365d" 200
check "  exists: true" json 'd["proposals"][0]["exists"] is True and not d["proposals"][1]["exists"]'
check "no such account: 404" req GET "/api/v1/slots/propose?platform=youtube&account=nobody" 404
check "count 0: 400" req GET "/api/v1/slots/propose?platform=youtube&account=$YT&count=0" 400
check "the server is still up" kill -0 "$SERVER"

finish
