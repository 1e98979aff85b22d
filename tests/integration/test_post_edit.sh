# Editing and rescheduling posts (issue 14) over real HTTP on 127.0.0.1
# and the CLI, on a real SQLite file, with the fake platform server behind
# the worker: PATCH /api/v1/posts/ID needs the post's version (If-Match or
# body), a stale one is a 409 that changes nothing; the create path's
# checks hold (400 naming the field, the DST gap refused); a draft is
# scheduled by an edit; every edit is in the post's history; an edited
# time is what the worker publishes at, exactly once (the old time never
# fires; the clock is MEDIADASH_TEST_NOW); a post a worker is publishing
# cannot be edited (409, CLI exit 1) and goes out as it was.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/collect_lib.sh"

PY=$(python3 -c 'import sys; print(sys.executable)')
q() { sqlite3 "$DB" "$1"; }
eq() { [ "$1" = "$2" ] || { echo "  got '$1', want '$2'" >&2; return 1; }; }
check "fake started" test -n "$(head -1 "$TMP/port")"
check "connect youtube" connect_one youtube UC1 yt-code
check "server started" serve_start "$DB" --no-worker --no-collect
check "logged in" login "$DB" "$URL"

# req METHOD PATH STATUS [curl args...]: the body lands in $TMP/body.
req() {
  local method=$1 path=$2 want=$3 code
  shift 3
  code=$(curl -s -m 20 -o "$TMP/body" -w '%{http_code}' -X "$method" \
    -b "$COOKIES" -H "Origin: $URL" -H "X-CSRF-Token: $CSRF" "$@" "$URL$path")
  [ "$code" = "$want" ] || { echo "  $method $path: $code, expected $want" >&2; cat "$TMP/body" >&2; echo >&2; return 1; }
}
# patch ID STATUS JSON [curl args...]
patch() {
  local id=$1 want=$2
  printf '%s' "$3" >"$TMP/req.json"
  shift 3
  req PATCH "/api/v1/posts/$id" "$want" -H 'Content-Type: application/json' \
    --data-binary @"$TMP/req.json" "$@"
}
json() { "$PY" -c "import json,sys; d=json.load(open('$TMP/body')); sys.exit(0 if ($1) else 1)" || { echo "  not: $1" >&2; cat "$TMP/body" >&2; echo >&2; return 1; }; }
names() { contains "$TMP/body" '"param":"'"$1"'"'; }
get() { curl -s -m 20 -b "$COOKIES" "$URL/api/v1/posts/$1"; }
# the stored row, every column (what "nothing changed" compares)
row() { q "SELECT * FROM post WHERE id = $1"; }

printf 'x' >"$DB.media/clip.mp4"
CLIP=$(realpath "$DB.media/clip.mp4")
XSHA=$(printf 'x' | sha256sum | cut -d' ' -f1)
MEDIA='[{"path":"'$CLIP'","sha256":"'$XSHA'","bytes":1,"content_type":"video/mp4"}]'

# --- a post made through the API, then edited ---------------------------
printf '%s' '{"platform":"dryrun","account":"acct","title":"Launch","caption":"hello","tags":["a"],"media":'"$MEDIA"',"at":"2099-07-01 09:30","zone":"Europe/Berlin"}' >"$TMP/req.json"
check "created" req POST /api/v1/posts 201 -H 'Content-Type: application/json' --data-binary @"$TMP/req.json"
ID=$("$PY" -c "import json; print(json.load(open('$TMP/body'))['post']['id'])")
check "at version 1" json 'd["post"]["version"] == 1'
check "no version: 428" patch "$ID" 428 '{"title":"New"}'
check "428 names version" names version
check "edit at version 1" patch "$ID" 200 '{"version":1,"title":"Launch day","at":"2099-07-02 18:00","tags":["a","b"]}'
check "new time in UTC, version 2, the changes listed" json '
d["post"]["publish_at"] == "2099-07-02T16:00:00Z" and d["post"]["local_time"] == "2099-07-02 18:00:00"
and d["post"]["zone"] == "Europe/Berlin" and d["post"]["version"] == 2 and d["post"]["title"] == "Launch day"
and d["post"]["tags"] == ["a","b"] and d["post"]["caption"] == "hello" and d["post"]["state"] == "scheduled"
and [c["field"] for c in d["changes"]] == ["publish_at","local_time","title","tags"]
and d["changes"][0]["from"] == "2099-07-01T07:30:00Z" and d["changes"][3]["to"] == ["a","b"]'
before=$(row "$ID")
check "a stale edit (version 1): 409" patch "$ID" 409 '{"version":1,"title":"Stale"}'
check "409 names version and says why" json 'd["error"]["param"] == "version" and "changed meanwhile" in d["error"]["message"]'
check "nothing changed" eq "$(row "$ID")" "$before"
check "one edit recorded" eq "$(q "SELECT count(*) FROM post_edit WHERE post_id = $ID")" 1
check "stale If-Match: 409" patch "$ID" 409 '{"title":"Stale"}' -H 'If-Match: "1"'
check "If-Match \"2\" works" patch "$ID" 200 '{"caption":"hello again"}' -H 'If-Match: "2"'
check "version 3" json 'd["post"]["version"] == 3 and d["post"]["caption"] == "hello again"'
check "If-Match and body disagree: 400" patch "$ID" 400 '{"version":2,"title":"x"}' -H 'If-Match: "3"'
check "bad If-Match: 400" patch "$ID" 400 '{"title":"x"}' -H 'If-Match: "abc"'
check "names If-Match" names If-Match
check "nothing to change: 200, version kept" patch "$ID" 200 '{"version":3,"title":"Launch day"}'
check "still version 3, no changes" json 'd["post"]["version"] == 3 and d["changes"] == []'

# --- the create path's checks, every one naming its field ---------------
before=$(row "$ID")
while read -r param body; do
  check "bad $param: 400" patch "$ID" 400 "$body"
  check "names $param" names "$param"
done <<EOF2
title {"version":3,"title":""}
title {"version":3,"title":5}
privacy {"version":3,"privacy":"friends"}
tags {"version":3,"tags":"a,b"}
zone {"version":3,"zone":"Mars/Base"}
at {"version":3,"at":"2099-02-30 10:00"}
at {"version":3,"at":"2099-03-29 02:30"}
platform {"version":3,"platform":"youtube"}
media {"version":3,"media":[]}
media.sha256 {"version":3,"media":[{"path":"$CLIP","sha256":"xyz","bytes":1,"content_type":"video/mp4"}]}
version {"version":0,"title":"x"}
version {"version":"3","title":"x"}
fold {"version":3,"fold":2}
draft {"version":3,"draft":"no"}
body {"version":3,"surprise":1}
EOF2
check "the DST gap in Europe/Berlin is named" patch "$ID" 400 '{"version":3,"at":"2099-03-29 02:30"}'
check "as Compose says it" contains "$TMP/body" "2099-03-29 02:30 does not exist in Europe/Berlin: clocks jump from 02:00 to 03:00"
check "media outside the media root: 422" patch "$ID" 422 '{"version":3,"media":[{"path":"/etc/passwd","sha256":"'$XSHA'","bytes":1,"content_type":"video/mp4"}]}'
check "names media.path" names media.path
check "after all that, nothing changed" eq "$(row "$ID")" "$before"
check "shift_gap moves it to the end of the gap" patch "$ID" 200 '{"version":3,"at":"2099-03-29 02:30","shift_gap":true}'
check "03:00 CEST = 01:00 UTC, with the note" json 'd["post"]["publish_at"] == "2099-03-29T01:00:00Z" and "shifted" in d["note"]'
check "a new zone alone re-reads the wall time in it" patch "$ID" 200 '{"version":4,"zone":"America/New_York","at":"2099-07-02 18:00"}'
check "18:00 EDT" json 'd["post"]["publish_at"] == "2099-07-02T22:00:00Z" and d["post"]["zone"] == "America/New_York"'
check "not JSON: 400" patch "$ID" 400 'nope'
check "no such post: 404" patch 999999 404 '{"version":1,"title":"x"}'
check "bad id: 400" patch abc 400 '{"version":1}'

# --- the history ---------------------------------------------------------
check "GET shows the edits" req GET "/api/v1/posts/$ID" 200
check "four edits, by the user, versions 2..5" json '[e["version"] for e in d["edits"]] == [2,3,4,5] and all(e["by"] == "tester" for e in d["edits"]) and d["edits"][0]["changes"][2] == {"field":"title","from":"Launch","to":"Launch day"}'
check "post show prints them" run 0 "$BIN" --db "$DB" post show "$ID"
check "with the version" contains "$TMP/out" "version 2 by tester:"

# --- a draft scheduled by an edit ------------------------------------------
printf '%s' '{"platform":"dryrun","account":"acct","title":"Idea","at":"2099-08-01 10:00","zone":"UTC","draft":true}' >"$TMP/req.json"
check "a draft without media" req POST /api/v1/posts 201 -H 'Content-Type: application/json' --data-binary @"$TMP/req.json"
DR=$("$PY" -c "import json; print(json.load(open('$TMP/body'))['post']['id'])")
check "scheduling it without media: 400 naming media" patch "$DR" 400 '{"version":1,"draft":false}'
check "names media" names media
check "with media: scheduled" patch "$DR" 200 '{"version":1,"draft":false,"media":'"$MEDIA"'}'
check "state scheduled, in the changes" json 'd["post"]["state"] == "scheduled" and d["changes"][0] == {"field":"state","from":"draft","to":"scheduled"}'
check "and as a state event" eq "$(q "SELECT from_state || '>' || to_state || ':' || note FROM post_event WHERE post_id = $DR ORDER BY id DESC LIMIT 1")" "draft>scheduled:scheduled by an edit"
check "cancelled" req POST "/api/v1/posts/$DR/cancel" 200
check "a cancelled post cannot be edited: 409 naming state" patch "$DR" 409 '{"version":3,"title":"x"}'
check "names state" names state
check "CLI: refused too, exit 1" run 1 "$BIN" --db "$DB" post edit "$DR" --title x
check "saying why" contains "$TMP/err" "is cancelled: only a draft or a scheduled post can be changed"

# --- the worker publishes at the edited time, exactly once --------------
head -c 300000 /dev/urandom >"$TMP/v.mp4"
stats() { curl -s --max-time 10 "$B/_stats" >"$TMP/stats.json"; }
published() { stats; "$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["published"].get("youtube:" + sys.argv[2], 0))' "$TMP/stats.json" "$1"; }
uploads() { stats; "$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["methods"].get("POST /upload/youtube/v3/videos", 0))' "$TMP/stats.json"; }
wall() { date -u -d "@$1" '+%Y-%m-%d %H:%M'; }
# worker_at EPOCH: one worker round with the clock at EPOCH.
worker_at() {
  MEDIADASH_TEST_NOW=$1 "$BIN" --db "$DB" worker --once --id "w-$1" \
    --config "$TMP/md.conf" >"$TMP/w.out" 2>"$TMP/w.err" || { cat "$TMP/w.err" >&2; return 1; }
}
yt() { # yt TITLE WALL-UTC: a youtube post; prints its id
  "$BIN" --db "$DB" -q post add --platform youtube --account UC1 --title "$1" \
    --media "$TMP/v.mp4" --at "$2" --zone UTC --json | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["id"])'
}
version() { q "SELECT version FROM post WHERE id = $1"; }
now=$(( $(date +%s) / 60 * 60 ))
OLD=$((now + 600)) NEW=$((now + 1200)) FAR=$((now + 10800)) SOON=$((now + 300))
LATE=$(yt "moved later" "$(wall $OLD)")
EARLY=$(yt "moved earlier" "$(wall $FAR)")
check "moved later: PATCH to the new time" patch "$LATE" 200 '{"version":'"$(version "$LATE")"',"at":"'"$(wall $NEW)"'","zone":"UTC"}'
check "moved earlier: post edit --at" run 0 "$BIN" --db "$DB" post edit "$EARLY" --at "$(wall $SOON)" --version "$(version "$EARLY")"
check "nothing due before the earlier one's new time" worker_at $((SOON - 5))
check "nothing published yet" eq "$(uploads)" 0
check "the earlier one goes out at its new time" worker_at $((SOON + 5))
check "published once" eq "$(published "moved earlier") $(q "SELECT state FROM post WHERE id = $EARLY")" "1 published"
check "the later one's old time passes: nothing" worker_at $((OLD + 30))
check "still scheduled, not sent" eq "$(published "moved later") $(q "SELECT state FROM post WHERE id = $LATE")" "0 scheduled"
check "not even claimed" eq "$(q "SELECT count(*) FROM post_event WHERE post_id = $LATE AND to_state = 'claimed'")" 0
check "just before the new time: nothing" worker_at $((NEW - 1))
check "still 0" eq "$(published "moved later")" 0
check "at the new time it goes out" worker_at $((NEW + 2))
check "published once" eq "$(published "moved later") $(q "SELECT state FROM post WHERE id = $LATE")" "1 published"
check "a later round sends nothing more" worker_at $((NEW + 600))
check "two uploads in all, one claim each" eq "$(uploads) $(q "SELECT count(*) FROM post_event WHERE post_id IN ($LATE, $EARLY) AND to_state = 'claimed'")" "2 2"
check "a published post cannot be edited" patch "$LATE" 409 '{"version":'"$(version "$LATE")"',"title":"x"}'

# --- while a worker publishes it: refused, and it goes out as it was -------
control '{"yt_complete_delay": {"p": 1, "seconds": 8}}'
BUSYP=$(yt "in flight" "$(date -u -d '-1 minute' '+%Y-%m-%d %H:%M')")
v=$(version "$BUSYP")
"$BIN" --db "$DB" worker --once --id w-busy --config "$TMP/md.conf" 2>"$TMP/busy.err" &
WPID=$!
SERVERS="$SERVERS $WPID"
for _ in $(seq 100); do [ "$(q "SELECT state FROM post WHERE id = $BUSYP")" = publishing ] && break; sleep 0.1; done
check "the worker is publishing it" eq "$(q "SELECT state FROM post WHERE id = $BUSYP")" publishing
check "PATCH with the version read before the claim: 409" patch "$BUSYP" 409 '{"version":'"$v"',"title":"too late"}'
check "names state (publishing)" json 'd["error"]["param"] == "state" and "publishing" in d["error"]["message"]'
check "post edit: exit 1" run 1 "$BIN" --db "$DB" post edit "$BUSYP" --title "too late"
check "the worker finished" wait "$WPID"
control '{"yt_complete_delay": null}'
check "published once, with the title it had" eq "$(published "in flight") $(published "too late") $(q "SELECT state || ' ' || title FROM post WHERE id = $BUSYP")" "1 0 published in flight"

finish
