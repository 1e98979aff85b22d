# Issue 14, "states a person understands" and "the loop back to
# analytics", against the real binary, a real SQLite file, the fake
# platform and serve's API over 127.0.0.1:
# - a post due 7 h ago (grace 6 h) fails as missed with no call to the
#   platform at all; the API, ?state=missed and the CLI say "missed"; a
#   retry clears it and publishes it; a platform's refusal is failed with
#   failure "platform", not missed;
# - account_status: connected, not_connected (no credential),
#   needs_relogin (the platform refused it), in the API and `post list`;
# - a published post links to the content item its remote id names, with
#   its views in the list and its first hours against the creator's
#   typical on GET /api/v1/posts/ID.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/collect_lib.sh"
TT=tt1
check "connect tiktok" connect_one tiktok $TT tt-code
. "$(dirname "$0")/publish_lib.sh"
check "logged in" login "$DB" "$URL"
head -c 100000 /dev/urandom >"$TMP/small.mp4"

# get PATH: the API's answer (200 expected) in $TMP/body.
get() {
  local code
  code=$(curl -s -m 20 -o "$TMP/body" -w '%{http_code}' -b "$COOKIES" "$URL$1")
  [ "$code" = "${2:-200}" ] || { echo "  GET $1: $code" >&2; cat "$TMP/body" >&2; return 1; }
}
post() {
  local code
  code=$(curl -s -m 20 -o "$TMP/body" -w '%{http_code}' -X POST -b "$COOKIES" \
    -H "Origin: $URL" -H "X-CSRF-Token: $CSRF" "$URL$1")
  [ "$code" = 200 ] || { echo "  POST $1: $code" >&2; cat "$TMP/body" >&2; return 1; }
}
# json PYTHON-CONDITION-ON-d: about the last answer.
json() { python3 -c "import json,sys; d=json.load(open('$TMP/body')); sys.exit(0 if ($1) else 1)" || { echo "  not: $1" >&2; head -c 2000 "$TMP/body" >&2; echo >&2; return 1; }; }
# new_post ACCOUNT TITLE AT: a TikTok post at AT (UTC wall time); its id.
new_post() {
  md -q post add --platform tiktok --account "$1" --title "$2" --caption "$2" \
    --media "$TMP/small.mp4" --at "$3" --zone UTC --json |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])'
}

# --- missed: due 7 h ago, past the 6 h grace window -----------------------
late=$(date -u -d '-7 hours' '+%Y-%m-%d %H:%M')
missed=$(new_post $TT "tt late" "$late")
calls=$(stat_total)
check "worker round (late post)" run 0 worker
check "failed" test "$(col "$missed" state)" = failed
check "as missed" test "$(col "$missed" failure)" = missed
check "no call to the platform at all" test "$(stat_total)" = "$calls"
check "no attempt counted" test "$(col "$missed" attempts)" = 0
check "GET the post" get "/api/v1/posts/$missed"
check "status missed in the API" json "d['post']['status'] == 'missed' and d['post']['failure'] == 'missed' and d['post']['state'] == 'failed'"
check "the reason names the grace window" json "'grace window' in d['post']['last_error']"
check "?state=missed" get "/api/v1/posts?state=missed"
check "lists exactly the missed post" json "[p['id'] for p in d['posts']] == [$missed]"
check "?state=bogus is a 400 naming state" get "/api/v1/posts?state=bogus" 400
check "  naming it" json "d['error']['param'] == 'state' and 'missed' in d['error']['message']"
check "post list --state missed" run 0 md post list --state missed
check "  shows it as missed" contains "$TMP/out" "missed"
check "  by title" contains "$TMP/out" "tt late"
check "post show" run 0 md post show "$missed"
check "  explains missed" contains "$TMP/out" "status: missed: Missed: no worker ran"
check "  nothing was sent" contains "$TMP/out" "Nothing was sent to the platform"
check "  with its account's state, as post list --json and the API say it" \
  contains "$TMP/out" '"account_status":"'

# --- a platform's refusal is not missed ------------------------------------
control '{"tiktok_publish": {"post_error": "spam_risk_too_many_posts"}}'
refused=$(new_post $TT "tt refused" "$due")
check "worker round (refused)" run 0 worker
check "refused: failed" test "$(col "$refused" state)" = failed
check "failure platform" test "$(col "$refused" failure)" = platform
check "?state=platform_error" get "/api/v1/posts?state=platform_error"
check "lists the refused post, not the missed one" json "[p['id'] for p in d['posts']] == [$refused]"
check "GET the refused post" get "/api/v1/posts/$refused"
check "status failed, not missed" json "d['post']['status'] == 'failed' and d['post']['failure'] == 'platform'"
control '{"tiktok_publish": {"post_error": null}}'

# --- retry a missed post: scheduled (failure cleared), then published ------
check "retry the missed post" post "/api/v1/posts/$missed/retry"
check "scheduled again, failure cleared" json "d['post']['status'] == 'scheduled' and d['post']['failure'] is None"
check "worker round (retried)" run 0 worker
check "the retried post is published" test "$(col "$missed" state)" = published
check "once on the fake" test "$(published 'tiktok:tt late')" = 1
check "no failure left" test -z "$(col "$missed" failure)"

# --- account states, before the posts are due -------------------------------
soon=$(date -u -d '+1 day' '+%Y-%m-%d %H:%M')
ok=$(new_post $TT "tt connected" "$soon")
nobody=$(new_post tt-nobody "tt nobody" "$soon")
check "GET connected" get "/api/v1/posts/$ok"
check "account_status connected" json "d['post']['account_status'] == 'connected'"
check "GET not connected" get "/api/v1/posts/$nobody"
check "account_status not_connected" json "d['post']['account_status'] == 'not_connected'"
check "post list flags it" run 0 md post list --state scheduled
check "  as not connected" contains "$TMP/out" "scheduled, account not_connected"
q "UPDATE credential SET status = 'needs_relogin' WHERE platform = 'tiktok' AND account = '$TT'"
check "GET after the platform refused the login" get "/api/v1/posts?state=scheduled"
check "account_status needs_relogin for the account's posts" json \
  "{p['id']: p['account_status'] for p in d['posts']} == {$ok: 'needs_relogin', $nobody: 'not_connected'}"
check "post list flags needs_relogin" run 0 md post list --state scheduled
check "  so" contains "$TMP/out" "scheduled, account needs_relogin"
q "UPDATE credential SET status = 'ok' WHERE platform = 'tiktok' AND account = '$TT'"
check "connected again" get "/api/v1/posts/$ok"
check "  so" json "d['post']['account_status'] == 'connected'"

# --- the published post and its content item ------------------------------
remote=$(col "$missed" remote_id)
check "a remote id" test -n "$remote"
check "no item before it is collected" get "/api/v1/posts/$missed"
check "  item and performance null" json "d['post']['item'] is None and d['performance'] is None"
# The item (published 3 days ago) seen 30 min and 2 h after publication;
# a peer, the creator's other video, 10 days older, seen likewise.
created=$(( $(date -u +%s) / 3600 * 3600 - 3 * 86400 ))
snap() { # snap ID CREATE_TIME VIEWS OBSERVED_AT
  printf '{"data": {"videos": [{"id": "%s", "create_time": %s, "view_count": %s, "like_count": 1, "comment_count": 0, "share_count": 0}], "cursor": 0, "has_more": false}, "error": {"code": "ok", "message": "", "log_id": "x"}}' \
    "$1" "$2" "$3" >"$TMP/snap.json"
  md -q import --account "tiktok:$TT" --observed-at "$(date -u -d "@$4" +%Y-%m-%dT%H:%M:%SZ)" "$TMP/snap.json"
}
peer_at=$((created - 10 * 86400))
check "import the item at 30 min" snap "$remote" $created 100 $((created + 1800))
check "import the item at 2 h" snap "$remote" $created 400 $((created + 7200))
check "import the peer at 30 min" snap 7399000000000000001 $peer_at 50 $((peer_at + 1800))
check "import the peer at 2 h" snap 7399000000000000001 $peer_at 150 $((peer_at + 7200))
check "GET the published post" get "/api/v1/posts/$missed"
check "item linked by the remote id" json "d['post']['item']['id'] == '$remote' and d['post']['item']['platform'] == 'tiktok'"
check "with its latest views" json "d['post']['item']['views'] == 400"
# 1 h: interpolated between 30 min and 2 h: 100 + 300 / 3 = 200; the
# peer's 50 + 100 / 3 = 83 (whole views) is the typical (one peer).
check "first hour vs typical" json \
  "(lambda p: p['age_s'] == 3600 and p['views'] == 200 and p['typical'] == 83 and p['peers'] == 1)(d['performance']['points'][0])"
check "later ages unknown (not observed)" json "all(p['views'] is None for p in d['performance']['points'][2:])"
check "views now" json "d['performance']['views_now'] == 400"
check "the list carries the views too (calendar)" get "/api/v1/posts?state=published"
check "  for the linked post only" json \
  "{p['id']: (p['item'] or {}).get('views') for p in d['posts']} == {$missed: 400}"
finish
