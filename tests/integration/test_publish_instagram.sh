# Publishing to Instagram against the fake: `mediadash serve` answers the
# public media links the fake downloads (as Instagram does) and
# `mediadash worker --once` runs the container / status / media_publish
# steps. Published exactly once with the right caption and media; a
# container in ERROR fails with the platform's text; one IN_PROGRESS
# across rounds reuses the container; a used-up publishing limit makes
# the post wait; a lost media_publish answer goes to needs_check and the
# next round settles it from the container without a second publish.
# Then the /m/ links: 404 for unknown, forged, draft, cancelled, modified
# and long-published media.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/collect_lib.sh"
IG=17841400000000001
check "connect instagram" connect_one instagram $IG ig-code
. "$(dirname "$0")/publish_lib.sh"

head -c 200000 /dev/urandom >"$TMP/photo.jpg"
head -c 300000 /dev/urandom >"$TMP/reel.mp4"

# --- published once, with the right caption and media ------------------
id=$(add_post instagram $IG "ig photo one" "$TMP/photo.jpg")
check "worker round" run 0 worker
check "photo published" test "$(col "$id" state)" = published
check "published exactly once on the fake" test "$(published 'instagram:ig photo one')" = 1
check "the fake fetched our media link" test \
  "$(fake_stat "s['media_fetches'][-1]['url_path'][:3] + ' ' + str(s['media_fetches'][-1]['status'])")" = "/m/ 200"
check "the fetched bytes are the file's (size, sha256)" test \
  "$(fake_stat "'%d %s' % (s['media_fetches'][-1]['bytes'], s['media_fetches'][-1]['sha256'])")" = \
  "200000 $(sha_of "$TMP/photo.jpg")"
check "served as image/jpeg" test "$(fake_stat "s['media_fetches'][-1]['content_type']")" = image/jpeg
check "container asked with image_url and the caption" test \
  "$(fake_stat "sorted(__import__('urllib.parse').parse.parse_qs(s['last']['/v21.0/$IG/media']['body']))")" = \
  "['caption', 'image_url']"
fake_media_id() {
  curl -s --max-time 10 "$B/v21.0/$IG/media?fields=id,caption&limit=100" |
    python3 -c 'import json,sys; print([m["id"] for m in json.load(sys.stdin)["data"] if m.get("caption") == sys.argv[1]][0])' "$1"
}
check "remote id is the fake's media id" test "$(col "$id" remote_id)" = "$(fake_media_id "ig photo one")"
check "remote url is the permalink" test "$(col "$id" remote_url)" = \
  "https://www.instagram.com/p/fake$(col "$id" remote_id)/"
check "the limit was read" test "$(method_count "GET /v21.0/$IG/content_publishing_limit")" -ge 1
photo_link=$(fake_stat "s['media_fetches'][-1]['url_path']")

# --- a reel: video_url and media_type=REELS ------------------------------
id=$(add_post instagram $IG "ig reel" "$TMP/reel.mp4")
check "worker round (reel)" run 0 worker
check "reel published" test "$(col "$id" state)" = published
check "reel asked as REELS with video_url" test \
  "$(fake_stat "(lambda f: f['media_type'][0] + ' ' + str('video_url' in f))(__import__('urllib.parse').parse.parse_qs(s['last']['/v21.0/$IG/media']['body']))")" = "REELS True"
check "served as video/mp4, whole" test \
  "$(fake_stat "'%s %d' % (s['media_fetches'][-1]['content_type'], s['media_fetches'][-1]['bytes'])")" = "video/mp4 300000"

# --- container ERROR: failed with the platform's text ------------------
control '{"instagram_publish": {"final_status": "ERROR", "status_text": "Error: The video could not be processed (2207076)"}}'
id=$(add_post instagram $IG "ig error" "$TMP/photo.jpg")
check "worker round (error)" run 0 worker
check "failed" test "$(col "$id" state)" = failed
check "with the platform's text" contains <(col "$id" last_error) "The video could not be processed (2207076)"
check "not published" test "$(published 'instagram:ig error')" = 0
control '{"instagram_publish": {"final_status": "FINISHED", "status_text": ""}}'

# --- IN_PROGRESS across rounds: one container ----------------------------
control '{"instagram_publish": {"in_progress_polls": 4}}'
before=$(method_count "POST /v21.0/$IG/media")
id=$(add_post instagram $IG "ig slow" "$TMP/photo.jpg")
check "round 1" run 0 worker
check "scheduled again while processing" test "$(col "$id" state)" = scheduled
check "says so" contains <(col "$id" last_error) "still processing container"
check "container recorded" contains <(col "$id" progress) '"container":"1796'
due_now "$id"
check "round 2" run 0 worker
check "published in round 2" test "$(col "$id" state)" = published
check "one container for both rounds" test "$(method_count "POST /v21.0/$IG/media")" = $((before + 1))
check "published once" test "$(published 'instagram:ig slow')" = 1
control '{"instagram_publish": {"in_progress_polls": 1}}'

# --- publishing limit used up: the post waits ---------------------------
control '{"instagram_publish": {"quota_usage": 100, "quota_total": 100}}'
before=$(method_count "POST /v21.0/$IG/media")
id=$(add_post instagram $IG "ig over quota" "$TMP/photo.jpg")
check "round (quota)" run 0 worker
check "waits, scheduled" test "$(col "$id" state)" = scheduled
check "says why" contains <(col "$id" last_error) "publishing limit reached: 100 of 100 posts in 24 h used"
check "after the window" test "$(col "$id" "publish_at - strftime('%s','now') > 86000")" = 1
check "no container made" test "$(method_count "POST /v21.0/$IG/media")" = "$before"
control '{"instagram_publish": {"quota_usage": 0}}'
check "cancel it" run 0 md -q post cancel "$id"

# --- media_publish answer lost: needs_check, then settled without a second publish
control '{"instagram_publish": {"lose_answer": 1}}'
id=$(add_post instagram $IG "ig lost answer" "$TMP/photo.jpg")
check "round (lost answer)" run 0 worker
check "needs_check" test "$(col "$id" state)" = needs_check
check "the fake did publish" test "$(published 'instagram:ig lost answer')" = 1
before=$(method_count "POST /v21.0/$IG/media_publish")
check "next round" run 0 worker
check "settled as published" test "$(col "$id" state)" = published
check "with the media id found" test -n "$(col "$id" remote_id)"
check "no second media_publish" test "$(method_count "POST /v21.0/$IG/media_publish")" = "$before"
check "still published once" test "$(published 'instagram:ig lost answer')" = 1

# --- /m/ links -----------------------------------------------------------
check "a just-published post's link still answers" test "$(http_code "$photo_link")" = 200
check "with the file" cmp -s "$TMP/body" "$TMP/photo.jpg"
check "Content-Length" grep -qi '^Content-Length: 200000' "$TMP/headers"
check "a range" test "$(http_code "$photo_link" -H 'Range: bytes=10-19')" = 206
check "ten bytes of it" cmp -s "$TMP/body" <(tail -c +11 "$TMP/photo.jpg" | head -c 10)
check "Content-Range" grep -qi '^Content-Range: bytes 10-19/200000' "$TMP/headers"
check "an unsatisfiable range" test "$(http_code "$photo_link" -H 'Range: bytes=300000-')" = 416
check "unknown token" test "$(http_code /m/nothing)" = 404
check "forged token" test "$(http_code "/m/1.0.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")" = 404
forged=$(echo "$photo_link" | sed 's/.$/A/;t')
[ "$forged" = "$photo_link" ] && forged=$(echo "$photo_link" | sed 's/.$/B/')
check "one character changed" test "$(http_code "$forged")" = 404
check "the 404 says nothing of why" contains "$TMP/body" '"no such media"'

cp "$TMP/photo.jpg" "$TMP/later.jpg"
sid=$(add_post instagram $IG "ig later" "$TMP/later.jpg" --at "$later")
tok=$(token "$sid" 0 "$(sha_of "$TMP/later.jpg")")
check "a scheduled post's link answers (token computed from the key file)" test "$(http_code "/m/$tok")" = 200
check "no login needed, nothing cached publicly" grep -qi '^Cache-Control: private' "$TMP/headers"
check "HEAD too" test "$(curl -s -I -o /dev/null -w '%{http_code}' "$URL/m/$tok")" = 200
check "another index of it is not" test "$(http_code "/m/$(token "$sid" 1 "$(sha_of "$TMP/later.jpg")")")" = 404
did=$(add_post instagram $IG "ig draft" "$TMP/later.jpg" --draft)
check "a draft's link does not" test "$(http_code "/m/$(token "$did" 0 "$(sha_of "$TMP/later.jpg")")")" = 404
printf 'x' >>"$TMP/later.jpg"
check "a modified file is not served" test "$(http_code "/m/$tok")" = 404
check "nor under its new hash" test "$(http_code "/m/$(token "$sid" 0 "$(sha_of "$TMP/later.jpg")")")" = 404
cp "$TMP/photo.jpg" "$TMP/cancel.jpg"
cid=$(add_post instagram $IG "ig cancelled" "$TMP/cancel.jpg" --at "$later")
ctok=$(token "$cid" 0 "$(sha_of "$TMP/cancel.jpg")")
check "before cancel: 200" test "$(http_code "/m/$ctok")" = 200
check "cancel" run 0 md -q post cancel "$cid"
check "a cancelled post's link does not" test "$(http_code "/m/$ctok")" = 404
q "UPDATE post SET updated_at = updated_at - 7200 WHERE remote_url LIKE '%instagram.com%' AND title = 'title of ig photo one'"
check "a post published two hours ago: no longer" test "$(http_code "$photo_link")" = 404
finish
