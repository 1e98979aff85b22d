# Twitch on the fake platform server (fake_twitch.py), through the real
# binary and a real SQLite file: connect with the authorization code
# flow, then collect round after round: a live stream's viewer curve (3
# points), the stream ending and its VOD (stream_id) and clips (video_id)
# appearing, videos over two cursor pages, the followers total; a 401
# answered by one refresh (rotated refresh tokens: a second refresh works
# only with the new one), a Ratelimit-Remaining 0 waited out, one too far
# away stopping the round, a 429 retried, and a Helix error body that
# stores nothing.
. "$(dirname "$0")/lib.sh"

SRC=$(cd "$DATA/../.." && pwd)
DB="$TMP/tw.db"
md() { "$BIN" --db "$DB" "$@"; }
ACCT=141981764

python3 - "$TMP/dataset.json" "$ACCT" <<'PY'
import json, sys
uid = sys.argv[2]
def video(i, **kw):
    v = {"id": str(1900000000 - i), "stream_id": None, "user_id": uid,
         "user_login": "pixelpacelive", "user_name": "PixelPace",
         "title": "Upload %d" % i, "description": "",
         "created_at": "2026-11-%02dT18:00:00Z" % (1 + i % 28),
         "published_at": "2026-11-%02dT18:00:00Z" % (1 + i % 28),
         "url": "https://www.twitch.tv/videos/%d" % (1900000000 - i),
         "thumbnail_url": "", "viewable": "public", "view_count": 10 * i,
         "language": "en", "type": "upload", "duration": "%dm%ds" % (i % 50 + 1, i % 60),
         "muted_segments": None}
    v.update(kw)
    return v
def clip(cid, video_id, views, off):
    return {"id": cid, "url": "https://clips.twitch.tv/" + cid,
            "embed_url": "https://clips.twitch.tv/embed?clip=" + cid,
            "broadcaster_id": uid, "broadcaster_name": "PixelPace",
            "creator_id": "53834192", "creator_name": "viewer",
            "video_id": video_id, "game_id": "1", "language": "en",
            "title": "Clip " + cid, "view_count": views,
            "created_at": "2026-12-05T21:00:00Z", "thumbnail_url": "",
            "duration": 28.5, "vod_offset": off, "is_featured": False}
d = {"oauth": {"clients": {"fake-twitch-client": {"secret": "fake-twitch-secret"}},
               "codes": {}, "refresh_tokens": {}, "expires_in": 3599},
     "twitch": {
       "user": {"id": uid, "login": "pixelpacelive", "display_name": "PixelPace",
                "type": "", "broadcaster_type": "affiliate",
                "description": "Speedruns most evenings.",
                "profile_image_url": "https://static-cdn.jtvnw.net/u.png",
                "offline_image_url": "", "view_count": 0,
                "created_at": "2016-12-14T20:32:28.734521Z"},
       "channel": {"broadcaster_id": uid, "broadcaster_login": "pixelpacelive",
                   "broadcaster_name": "PixelPace", "broadcaster_language": "en",
                   "game_id": "1", "game_name": "Celeste", "title": "Any% practice",
                   "delay": 0, "tags": ["English", "Speedrun"]},
       "followers_total": 4321,
       "videos": [video(i) for i in range(1, 151)],
       "clips": [clip("OldClipOne", "1899999999", 77, 60)],
       "live": {"id": "42000000001", "title": "Any% practice",
                "game_name": "Celeste", "started_at": "2026-12-05T19:00:00Z",
                "viewers": [120, 340, 275],
                "vod": video(0, id="1950000000", type="archive",
                             title="Any% practice", view_count=512,
                             duration="3h2m1s"),
                "clips": [clip("FastClipA", "1950000000", 45, 1800),
                          clip("FastClipB", "1950000000", 9, 5400)]}}}
json.dump(d, open(sys.argv[1], "w"))
PY

python3 "$SRC/tests/fakeplat/fakeplat.py" --data "$TMP/dataset.json" \
  --max-lifetime 300 >"$TMP/port" &
SERVERS="$SERVERS $!"
for _ in $(seq 100); do [ -s "$TMP/port" ] && break; sleep 0.1; done
B="http://127.0.0.1:$(head -1 "$TMP/port")"
CB="http://127.0.0.1:9/oauth/callback"
control() { curl -sS --max-time 10 -o /dev/null -d "$1" "$B/_control"; }
stats() { curl -s --max-time 10 "$B/_stats" | python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
param() { sed -n "s/.*[?&]$2=\([^&]*\).*/\1/p" "$1" | head -1; }
all_due() { python3 -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute("UPDATE collect_job SET next_due = 0"); c.commit()' "$DB"; }
q() { python3 -c 'import sqlite3,sys; r=sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchall(); print("\n".join("|".join(str(x) for x in row) for row in r))' "$DB" "$1"; }
# values of metric $2 of item ext id $1, oldest first, space-separated
series() { q "SELECT v.ival FROM snapshot_value v JOIN snapshot s ON s.id = v.snapshot_id JOIN item i ON i.id = s.item_id JOIN metric m ON m.id = v.metric_id WHERE i.platform = 'twitch' AND i.ext_id = '$1' AND m.name = '$2' ORDER BY s.observed_at" | tr '\n' ' ' | sed 's/ $//'; }
snaps() { q "SELECT count(*) FROM snapshot"; }

cat >"$TMP/md.conf" <<CONF
[twitch]
client_id = fake-twitch-client
auth_url = $B/oauth2/authorize
token_url = $B/oauth2/token
api_base = $B
redirect_uri = $CB
[collect]
timeout = 5
retries = 2
CONF
export MEDIADASH_CONFIG="$TMP/md.conf"
export MEDIADASH_TWITCH_CLIENT_SECRET=fake-twitch-secret

# --- connect: the consent URL, then the code ---------------------------------
check "fake started" test -n "$(head -1 "$TMP/port")"
check "consent URL" run 0 md connect twitch --account "$ACCT" --no-listen
cp "$TMP/out" "$TMP/cn.out"; cat "$TMP/err" >>"$TMP/cn.out"
check "consent at id.twitch.tv's path" contains "$TMP/cn.out" "$B/oauth2/authorize?"
check "asks the two scopes" contains "$TMP/cn.out" "scope=user%3Aread%3Aemail%20moderator%3Aread%3Afollowers"
STATE=$(param "$TMP/cn.out" state)
control '{"oauth_codes": {"tw-code": {"client_id": "fake-twitch-client", "redirect_uri": "'"$CB"'"}}}'
check "code exchanged" run 0 md connect twitch --state "$STATE" --code tw-code
check "connected" contains "$TMP/out" "twitch"
check "the secret never printed" lacks "$TMP/out" "fake-twitch-secret"

# --- round 1: live (120 viewers), two pages of videos, followers ------------
check "round 1" run 0 md collect --once
cp "$TMP/out" "$TMP/r1.out"
check "round 1 ok" contains "$TMP/r1.out" "twitch $ACCT: ok"
check "videos paged (150 = 100 + 50)" test "$(stats 'd["paths"].get("/helix/videos", 0)')" = 2
check "cursor sent on page 2" test "$(stats 'd["last"]["/helix/videos"]["query"].get("after", "")')" = "offset:100"
check "Client-Id on Helix calls" test "$(stats 'd["last"]["/helix/streams"]["headers"].get("Client-Id", "")')" = fake-twitch-client
check "bearer on Helix calls" test "$(stats 'd["last"]["/helix/users"]["headers"].get("Authorization", "")[:7]')" = "Bearer "
check "followers total" test "$(series "$ACCT" followers)" = 4321
check "a live point" test "$(series 42000000001 viewers)" = 120
check "150 videos stored" test "$(q "SELECT count(*) FROM item WHERE platform = 'twitch' AND kind = 'upload'")" = 150
check "a video's views" test "$(series 1899999990 views)" = 100

# --- round 2: a 401 refreshes once and resends (into a 429, retried) -------
all_due
control '{"faults": [{"path": "/helix/users", "kind": "expired_token"}], "twitch_429": {"times": 1, "reset_in": 1}}'
check "round 2" run 0 md collect --once
cp "$TMP/out" "$TMP/r2.out"
check "round 2 ok after a refresh" contains "$TMP/r2.out" "twitch $ACCT: ok"
check "one refresh" test "$(stats 'd["twitch_refreshes"]')" = 1
check "the 429 was retried" test "$(stats 'd["paths"]["/helix/users"]')" -ge 4
check "a second live point" test "$(series 42000000001 viewers)" = "120 340"

# --- round 3: a 401 again: the rotated refresh token works; a wait --------
all_due
control '{"faults": [{"path": "/helix/streams", "kind": "expired_token"}], "twitch_ratelimit": {"times": 1, "reset_in": 1}}'
check "round 3" run 0 md collect --once
check "round 3 ok" contains "$TMP/out" "twitch $ACCT: ok"
check "two refreshes, the second with the new token" test "$(stats 'd["twitch_refreshes"]')" = 2
check "the wait is noted" test -n "$(q "SELECT last_error FROM collect_job WHERE platform = 'twitch' AND last_error LIKE '%Helix rate limit: waited%'")"
check "three live points" test "$(series 42000000001 viewers)" = "120 340 275"

# --- a Helix error body: the round fails and stores nothing ----------------
all_due
before=$(snaps)
control '{"faults": [{"path": "/helix/channels/followers", "kind": "status", "status": 400, "body": {"error": "Bad Request", "status": 400, "message": "Missing required parameter \"broadcaster_id\""}}]}'
check "error round" run 1 md collect --once
cp "$TMP/out" "$TMP/r4.out"; cat "$TMP/err" >>"$TMP/r4.out"
check "the round failed" lacks "$TMP/r4.out" "twitch $ACCT: ok"
check "with Helix's message" contains "$TMP/r4.out" "Missing required parameter"
check "nothing stored" test "$(snaps)" = "$before"

# --- Ratelimit-Reset too far away: the round stops, rate limited -----------
all_due
control '{"twitch_ratelimit": {"times": 1, "reset_in": 120}}'
check "limited round" run 1 md collect --once
check "nothing stored either" test "$(snaps)" = "$before"
check "job rate limited" test -n "$(q "SELECT 1 FROM collect_job WHERE platform = 'twitch' AND last_status = 'rate_limited'")"

# --- the stream ended: its VOD and clips, linked -----------------------------
all_due
check "round 5" run 0 md collect --once
check "round 5 ok" contains "$TMP/out" "twitch $ACCT: ok"
check "no fourth live point" test "$(series 42000000001 viewers)" = "120 340 275"
# the fake ends the stream after its last point: the VOD is listed from
# that round on (videos are read after streams), one views point a round
check "the VOD's views" test "$(series 1950000000 views)" = "512 512"
check "the VOD's duration" test "$(q "SELECT duration_s FROM item WHERE ext_id = '1950000000'")" = 10921
check "clips' views" test "$(series FastClipA views),$(series FastClipB views)" = "45 45,9 9"
check "VOD -> stream link" test "$(q "SELECT to_ext FROM item_link WHERE from_ext = '1950000000' AND rel = 'vod_of'")" = 42000000001
check "clips -> VOD links" test "$(q "SELECT group_concat(from_ext || '@' || offset_s, ' ') FROM (SELECT * FROM item_link WHERE to_ext = '1950000000' AND rel = 'clip_of' ORDER BY from_ext)")" = "FastClipA@1800 FastClipB@5400"
check "the stream is content of the account" test "$(q "SELECT a.ext_id FROM item i JOIN item a ON a.id = i.account_id WHERE i.ext_id = '42000000001'")" = "$ACCT"
check "all own" test "$(q "SELECT count(*) FROM item WHERE platform = 'twitch' AND role <> 'own'")" = 0
check "no token in the log or output" lacks "$TMP/r4.out" "fake-tw-"

finish
