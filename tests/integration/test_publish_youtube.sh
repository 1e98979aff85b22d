# The YouTube publisher end to end over real HTTP against the fake
# platform server: `mediadash post add --platform youtube` and
# `mediadash worker --config` upload in 256 KiB chunks through the
# resumable protocol; resume after a lost chunk; the retry policy (5xx x3
# then 200 on the 4th try, 429 + Retry-After, 401 -> one refresh,
# invalid_grant -> needs_relogin and no further calls); recovery through
# check() after a kill -9 between the platform's 200 and our commit and
# during an upload; a media file changed after scheduling.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/collect_lib.sh"

q() { sqlite3 "$DB" "$1"; }
W=(worker --config "$TMP/md.conf" --set youtube.upload_chunk=262144
   --set publish.retry_base_s=1)
stats() { curl -s --max-time 10 "$B/_stats" >"$TMP/stats.json"; }
# published TITLE: completed publishes of TITLE on the fake.
published() { stats; python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["published"].get("youtube:" + sys.argv[2], 0))' "$TMP/stats.json" "$1"; }
# method_count "PUT /upload/youtube/v3/videos"
method_count() { stats; python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["methods"].get(sys.argv[2], 0))' "$TMP/stats.json" "$1"; }
due=$(date -u -d '-1 minute' '+%Y-%m-%d %H:%M')
# add TITLE [FILE]: a youtube post due now; prints its id.
add() {
  md -q post add --platform youtube --account UC1 --title "$1" \
    --caption "About $1" --tags "speedrun,clip" --privacy public \
    --media "${2:-$TMP/clip.mp4}" --at "$due" --zone UTC --json |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])'
}
eq() { [ "$1" = "$2" ] || { echo "  got '$1', want '$2'" >&2; return 1; }; }
state() { q "SELECT state || ' ' || attempts FROM post WHERE id = $1"; }
# wait_for SECONDS 'SHELL CONDITION': poll until it holds.
wait_for() {
  local n=$(($1 * 5))
  for _ in $(seq "$n"); do eval "$2" && return 0; sleep 0.2; done
  echo "  still not: $2" >&2
  return 1
}

check "fake started" test -n "$(head -1 "$TMP/port")"
check "connect youtube" connect_one youtube UC1 yt-code
head -c 700000 /dev/urandom >"$TMP/clip.mp4"
SHA=$(sha256sum "$TMP/clip.mp4" | cut -d' ' -f1)

# --- a plain upload: 3 chunks ------------------------------------------
id=$(add "plain upload")
check "post added" test -n "$id"
check "worker --once --config" run 0 md "${W[@]}" --once
check "published" eq "$(state "$id")" "published 1"
check "one completed publish on the fake" eq "$(published "plain upload")" 1
check "one session, three chunks" eq \
  "$(method_count "POST /upload/youtube/v3/videos") $(method_count "PUT /upload/youtube/v3/videos")" "1 3"
check "remote id and URL are the fake's video" python3 - "$TMP/stats.json" "$(q "SELECT remote_id || ' ' || remote_url FROM post WHERE id = $id")" "$SHA" <<'PY'
import json, sys
rid, url = sys.argv[2].split(" ")
assert url == "https://www.youtube.com/watch?v=" + rid, url
last = json.load(open(sys.argv[1]))["last"]["/upload/youtube/v3/videos"]
assert last["method"] == "PUT", last
PY
check "the video shows in videos.list with the file's SHA-256" python3 - "$B" "$(q "SELECT remote_id FROM post WHERE id = $id")" "$SHA" <<'PY'
import json, sys, urllib.request
u = "%s/youtube/v3/videos?part=snippet,status,fileDetails&id=%s" % (sys.argv[1], sys.argv[2])
items = json.load(urllib.request.urlopen(u, timeout=10))["items"]
assert len(items) == 1, items
v = items[0]
assert v["fileDetails"]["sha256"] == sys.argv[3], v
assert v["snippet"]["title"] == "plain upload" and v["snippet"]["tags"] == ["speedrun", "clip"], v
assert v["snippet"]["description"] == "About plain upload", v
assert v["status"]["privacyStatus"] == "public", v
PY
check "progress recorded the session" contains <(q "SELECT progress FROM post WHERE id = $id") '"session":"http://127.0.0.1:'

# --- a lost chunk: ask the session, resume -----------------------------
id=$(add "resumed upload")
control '{"faults": [{"path": "/upload/youtube/v3/videos", "method": "PUT", "kind": "status", "status": 503, "times": 1}]}'
before=$(method_count "PUT /upload/youtube/v3/videos")
check "worker after a reset chunk" run 0 md "${W[@]}" --once
check "resumed upload published in one attempt" eq "$(state "$id")" "published 1"
check "3 chunks + the lost one + one status query" eq \
  "$(($(method_count "PUT /upload/youtube/v3/videos") - before))" 5
check "published once" eq "$(published "resumed upload")" 1

# --- retry policy: 5xx x3, then 200 on the 4th try ---------------------
id=$(add "five hundreds")
control '{"faults": [{"path": "/upload/youtube/v3/videos", "method": "POST", "kind": "status", "status": 503, "times": 3}]}'
"$BIN" --db "$DB" "${W[@]}" --interval 1 2>"$TMP/w5xx.err" &
wpid=$!
SERVERS="$SERVERS $wpid"
check "published after three 503s" wait_for 40 '[ "$(state "$id")" = "published 4" ]'
kill "$wpid"; wait "$wpid"
check "4 publishing attempts in the audit trail" eq \
  "$(q "SELECT count(*) FROM post_event WHERE post_id = $id AND to_state = 'publishing'")" 4
check "3 retries with growing delays" eq \
  "$(q "SELECT group_concat(note, '|') FROM post_event WHERE post_id = $id AND to_state = 'scheduled' AND note LIKE '%HTTP 503%'" | grep -o 'retry in [0-9]* s' | wc -l)" 3
check "published once" eq "$(published "five hundreds")" 1

# --- 429 with Retry-After ----------------------------------------------
id=$(add "rate limited")
control '{"faults": [{"path": "/upload/youtube/v3/videos", "method": "POST", "kind": "status", "status": 429, "retry_after": 10, "times": 1}]}'
t0=$(date +%s)
check "worker meets a 429" run 0 md "${W[@]}" --once
check "scheduled again, Retry-After 10 s honoured" contains <(q "SELECT note FROM post_event WHERE post_id = $id ORDER BY id DESC LIMIT 1") "HTTP 429, retry in 10 s"
check "not due before Retry-After" eq "$(q "SELECT publish_at - $t0 >= 10 FROM post WHERE id = $id")" 1
posts=$(method_count "POST /upload/youtube/v3/videos")
check "an immediate round" run 0 md "${W[@]}" --once
check "sends nothing before Retry-After" eq \
  "$(state "$id") $(method_count "POST /upload/youtube/v3/videos")" "scheduled 1 $posts"
w=$((t0 + 11 - $(date +%s))); [ "$w" -le 0 ] || sleep "$w"
check "a round after Retry-After" run 0 md "${W[@]}" --once
check "published on the 2nd try" eq "$(state "$id")" "published 2"

# --- 401: one refresh, then success ------------------------------------
id=$(add "expired token")
tokens=$(stat_path /token)
control '{"faults": [{"path": "/upload/youtube/v3/videos", "method": "POST", "kind": "expired_token", "times": 1}]}'
check "worker meets a 401" run 0 md "${W[@]}" --once
check "published in one attempt after one refresh" eq \
  "$(state "$id") $(($(stat_path /token) - tokens))" "published 1 1"

# --- killed between the platform's 200 and our commit ------------------
id=$(add "late answer")
control '{"yt_complete_delay": {"p": 1, "seconds": 40}}'
"$BIN" --db "$DB" "${W[@]}" --once --id killed 2>/dev/null &
wpid=$!
SERVERS="$SERVERS $wpid"
check "the fake completed the upload" wait_for 20 '[ "$(published "late answer")" = 1 ]'
kill -9 "$wpid"; wait "$wpid" 2>/dev/null
control '{"yt_complete_delay": null}'
check "left publishing" eq "$(state "$id")" "publishing 1"
q "UPDATE post SET claimed_until = 1 WHERE claimed_by = 'killed'" # the lease ran out
check "recovery round" run 0 md "${W[@]}" --once
check "check() found it: published, not sent again" eq \
  "$(state "$id") $(published "late answer")" "published 1 1"
check "its remote id is the fake's video" python3 - "$B" "$(q "SELECT remote_id FROM post WHERE id = $id")" <<'PY'
import json, sys, urllib.request
u = "%s/youtube/v3/videos?part=snippet&id=%s" % (sys.argv[1], sys.argv[2])
items = json.load(urllib.request.urlopen(u, timeout=10))["items"]
assert [i["snippet"]["title"] for i in items] == ["late answer"], items
PY
check "audit trail: needs_check, then published by the check" contains <(q "SELECT group_concat(to_state, ' ') FROM post_event WHERE post_id = $id") "publishing needs_check published"

# --- killed during the upload: a new session, the old one cancelled -----
id=$(add "cut upload")
control '{"faults": [{"path": "/upload/youtube/v3/videos", "method": "PUT", "kind": "hang", "seconds": 30, "times": 1}]}'
"$BIN" --db "$DB" "${W[@]}" --once --id cut 2>/dev/null &
wpid=$!
SERVERS="$SERVERS $wpid"
check "the upload started" wait_for 20 '[ "$(state "$id")" = "publishing 1" ]'
check "its session was recorded first" wait_for 20 '[ -n "$(q "SELECT progress FROM post WHERE id = $id")" ]'
sleep 0.5
kill -9 "$wpid"; wait "$wpid" 2>/dev/null
q "UPDATE post SET claimed_until = 1 WHERE claimed_by = 'cut'"
deletes=$(method_count "DELETE /upload/youtube/v3/videos")
check "recovery round" run 0 md "${W[@]}" --once
check "not found, sent again with a new session: published" eq "$(state "$id")" "published 2"
check "the old session was cancelled" eq "$(($(method_count "DELETE /upload/youtube/v3/videos") - deletes))" 1
check "published exactly once" eq "$(published "cut upload")" 1

# --- a media file changed after scheduling -----------------------------
cp "$TMP/clip.mp4" "$TMP/changed.mp4"
id=$(add "changed file" "$TMP/changed.mp4")
printf 'x' >>"$TMP/changed.mp4"
posts=$(method_count "POST /upload/youtube/v3/videos")
check "worker" run 0 md "${W[@]}" --once
check "failed, nothing sent" eq "$(state "$id") $(method_count "POST /upload/youtube/v3/videos")" "failed 1 $posts"
check "the reason is stated" contains <(q "SELECT last_error FROM post WHERE id = $id") "changed since the post was scheduled"

# --- invalid_grant: needs_relogin, then no further calls ----------------
id=$(add "revoked")
control '{"revoke_refresh": true, "faults": [{"path": "/upload/youtube/v3/videos", "method": "POST", "kind": "expired_token", "times": 1}]}'
check "worker meets a revoked grant" run 0 md "${W[@]}" --once
check "needs_relogin" eq "$(state "$id")" "needs_relogin 1"
check "invalid_grant recorded" contains <(q "SELECT note FROM post_event WHERE post_id = $id ORDER BY id DESC LIMIT 1") "invalid_grant"
id2=$(add "after revoke")
total=$(stat_total)
check "another round" run 0 md "${W[@]}" --once
check "the next post of the account: needs_relogin without a call" eq \
  "$(state "$id2") $(stat_total)" "needs_relogin 1 $total"

finish
