# The scheduler's JSON API over real HTTP on 127.0.0.1: login, CSRF,
# Idempotency-Key (same body -> same post, other body -> 422), the DST
# rules, 409 for a state change not allowed, every bad parameter -> 400
# naming it.
. "$(dirname "$0")/lib.sh"

DB=$(newdb posts)
# python3 may be a slow version-manager shim: resolve it once.
PY=$(python3 -c 'import sys; print(sys.executable)')
md() { "$BIN" --db "$DB" "$@"; }
check "server started" serve_start "$DB"

# req METHOD PATH STATUS [curl args...]: with session, Origin and CSRF;
# the body is in $TMP/body.
req() {
  local method=$1 path=$2 want=$3 code
  shift 3
  code=$(curl -s -m 20 -o "$TMP/body" -w '%{http_code}' -X "$method" \
    -b "$COOKIES" -H "Origin: $URL" -H "X-CSRF-Token: $CSRF" "$@" "$URL$path")
  [ "$code" = "$want" ] || { echo "  $method $path: $code, expected $want" >&2; cat "$TMP/body" >&2; echo >&2; return 1; }
}
# send STATUS JSON [curl args...]: POST /api/v1/posts with that body.
send() {
  local want=$1 body=$2
  shift 2
  printf '%s' "$body" >"$TMP/req.json"
  req POST /api/v1/posts "$want" -H 'Content-Type: application/json' \
    --data-binary @"$TMP/req.json" "$@"
}
json() { "$PY" -c "import json,sys; d=json.load(open('$TMP/body')); sys.exit(0 if ($1) else 1)" || { echo "  not: $1" >&2; cat "$TMP/body" >&2; echo >&2; return 1; }; }
names() { contains "$TMP/body" '"param":"'"$1"'"'; }

SHA=$(printf 'x' | sha256sum | cut -d' ' -f1)
# A file in the media root (serve made it: <db>.media); posts made through
# the API may name files only there (test_http_media.sh).
printf 'x' >"$(media_dir "$DB")/clip.mp4"
CLIP=$(realpath "$(media_dir "$DB")/clip.mp4")
MEDIA='[{"path":"'$CLIP'","sha256":"'$SHA'","bytes":1,"content_type":"video/mp4"}]'
# body [KEY=JSON...]: a valid post body with members replaced/added.
body() {
  "$PY" - "$MEDIA" "$@" <<'PY'
import json, sys
d = {"platform": "dryrun", "account": "acct", "title": "Launch",
     "caption": "hello", "tags": ["a", "b"], "privacy": "public",
     "media": json.loads(sys.argv[1]), "at": "2099-07-01 09:30",
     "zone": "Europe/Berlin"}
for kv in sys.argv[2:]:
    k, v = kv.split("=", 1)
    if v == "DELETE":
        d.pop(k, None)
    else:
        d[k] = json.loads(v)
print(json.dumps(d, separators=(",", ":")))
PY
}

# --- without a session / without CSRF ----------------------------------
code=$(curl -s -o /dev/null -w '%{http_code}' "$URL/api/v1/posts")
check "no session: 401" test "$code" = 401
check "logged in" login "$DB" "$URL"
printf '%s' "$(body)" >"$TMP/req.json"
code=$(curl -s -o "$TMP/body" -w '%{http_code}' -b "$COOKIES" -H "Origin: $URL" \
  -H 'Content-Type: application/json' --data-binary @"$TMP/req.json" "$URL/api/v1/posts")
check "POST without the CSRF token: 403" test "$code" = 403
check "and nothing stored" test "$(md post list --json)" = '{"posts":[]}'

# --- create, Idempotency-Key -----------------------------------------
check "created: 201" send 201 "$(body)" -H 'Idempotency-Key: key-1'
check "stored in UTC, zone and wall time kept" json 'd["post"]["publish_at"] == "2099-07-01T07:30:00Z" and d["post"]["zone"] == "Europe/Berlin" and d["post"]["local_time"] == "2099-07-01 09:30:00" and d["post"]["state"] == "scheduled" and d["post"]["tags"] == ["a","b"] and d["post"]["media"][0]["sha256"] == "'$SHA'"'
ID=$("$PY" -c "import json; print(json.load(open('$TMP/body'))['post']['id'])")
check "same key, same body: 200, the same post" send 200 "$(body)" -H 'Idempotency-Key: key-1'
check "same id" json "d['post']['id'] == $ID"
check "same key, other body: 422" send 422 "$(body title='"Other"')" -H 'Idempotency-Key: key-1'
check "422 names the header" names Idempotency-Key
check "still one post" test "$(md post list --json | "$PY" -c 'import json,sys; print(len(json.load(sys.stdin)["posts"]))')" = 1
check "key over 128 bytes: 400" send 400 "$(body)" -H "Idempotency-Key: $(printf 'k%.0s' $(seq 129))"
check "names Idempotency-Key" names Idempotency-Key
check "another key: a new post" send 201 "$(body)" -H 'Idempotency-Key: key-2'

# --- DST rules ----------------------------------------------------------
check "a time in the gap: 400 naming at" send 400 "$(body at='"2025-03-09 02:30"' zone='"America/New_York"')"
check "the message names the gap" contains "$TMP/body" "2025-03-09 02:30 does not exist in America/New_York: clocks jump from 02:00 to 03:00"
check "shift_gap moves it" send 201 "$(body at='"2099-03-08 02:30"' zone='"America/New_York"' shift_gap=true)"
check "to 03:00 EDT" json 'd["post"]["publish_at"] == "2099-03-08T07:00:00Z" and "shifted" in d["note"]'
check "an overlap takes the first" send 201 "$(body at='"2099-11-01 01:30"' zone='"America/New_York"')"
check "first, and says so" json 'd["post"]["publish_at"] == "2099-11-01T05:30:00Z" and "took the first" in d["note"]'
check "fold 1 takes the second" send 201 "$(body at='"2099-11-01 01:30"' zone='"America/New_York"' fold=1)"
check "second" json 'd["post"]["publish_at"] == "2099-11-01T06:30:00Z" and "took the second" in d["note"]'

# --- every bad parameter: 400 naming it --------------------------------
while read -r param override; do
  check "bad $param ($override): 400" send 400 "$(body "$override")"
  check "names $param" names "$param"
done <<'EOF2'
platform platform="myspace"
platform platform=DELETE
platform platform=3
account account=""
account account=DELETE
title title=""
title title=["x"]
caption caption=5
tags tags="a,b"
tags tags=[1]
privacy privacy="friends"
media media=DELETE
media media={}
media media=[{"path":"/a"}]
media.path media=[{"path":"rel/a.mp4","sha256":"0000000000000000000000000000000000000000000000000000000000000000","bytes":1,"content_type":"video/mp4"}]
media.path media=[{"path":"/a/../etc/passwd","sha256":"0000000000000000000000000000000000000000000000000000000000000000","bytes":1,"content_type":"video/mp4"}]
media.sha256 media=[{"path":"/a.mp4","sha256":"xyz","bytes":1,"content_type":"video/mp4"}]
media.bytes media=[{"path":"/a.mp4","sha256":"0000000000000000000000000000000000000000000000000000000000000000","bytes":-1,"content_type":"video/mp4"}]
media.content_type media=[{"path":"/a.mp4","sha256":"0000000000000000000000000000000000000000000000000000000000000000","bytes":1,"content_type":"video"}]
at at=DELETE
at at="2099-07-01"
at at="2099-02-30 10:00"
zone zone=DELETE
zone zone="Mars/Base"
zone zone="../../etc/passwd"
fold fold=2
shift_gap shift_gap="yes"
draft draft=1
body surprise=1
EOF2
printf 'not json' >"$TMP/req.json"
check "not JSON: 400" req POST /api/v1/posts 400 --data-binary @"$TMP/req.json"
check "names body" names body

# --- list, get -----------------------------------------------------------
check "list" req GET "/api/v1/posts?state=scheduled&from=2099-07-01&to=2099-07-02" 200
check "two posts that day" json 'len(d["posts"]) == 2 and all(p["local_time"] == "2099-07-01 09:30:00" for p in d["posts"])'
for bad in "state=done" "from=yesterday" "to=2099-13-01" "limit=0" "limit=x"; do
  check "GET ?$bad: 400" req GET "/api/v1/posts?$bad" 400
  check "names ${bad%%=*}" names "${bad%%=*}"
done
check "from after to: 400" req GET "/api/v1/posts?from=2099-07-02&to=2099-07-01" 400
check "get one" req GET "/api/v1/posts/$ID" 200
check "with its events" json 'd["post"]["id"] == '$ID' and d["events"][0]["to"] == "scheduled" and d["events"][0]["from"] is None'
check "no such post: 404" req GET /api/v1/posts/999999 404
check "bad id: 400" req GET /api/v1/posts/abc 400
check "names id" names id

# --- cancel, retry, 409 ----------------------------------------------------
check "cancel" req POST "/api/v1/posts/$ID/cancel" 200
check "cancelled" json 'd["post"]["state"] == "cancelled"'
check "cancel again: 409" req POST "/api/v1/posts/$ID/cancel" 409
check "retry a cancelled one: 409" req POST "/api/v1/posts/$ID/retry" 409
check "cancel no such post: 404" req POST /api/v1/posts/999999/cancel 404
check "unknown action: 404" req POST "/api/v1/posts/$ID/delete" 404
check "due now" send 201 "$(body at="\"$(date -u '+%Y-%m-%d %H:%M')\"" zone='"UTC"')"
DUE=$("$PY" -c "import json; print(json.load(open('$TMP/body'))['post']['id'])")
check "a worker publishes it" md -q worker --once --id api-test
check "published" req GET "/api/v1/posts/$DUE" 200
check "state published" json 'd["post"]["state"] == "published" and d["post"]["remote_id"] == "dryrun-'$DUE'"'
check "cancelling a published post: 409" req POST "/api/v1/posts/$DUE/cancel" 409
check "409 says why" contains "$TMP/body" "is published: it cannot become cancelled"
check "cancel without CSRF: 403" test "$(curl -s -o /dev/null -w '%{http_code}' -X POST -b "$COOKIES" -H "Origin: $URL" "$URL/api/v1/posts/$DUE/cancel")" = 403

finish
