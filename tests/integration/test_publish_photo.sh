# TikTok photo posts against the fake (issue 14): `mediadash serve`
# answers the public media links TikTok pulls (PULL_FROM_URL) and
# `mediadash worker --once` runs the flow. Three JPEGs are one
# content/init (PHOTO, our links in order, title and description)
# published exactly once; FAILED -> failed with fail_reason;
# url_ownership_unverified -> failed naming it; a lost init answer ->
# needs_check, then found among the creator's posts, published once, or
# (not there) unclear until the settle time and then sent again. Mixes
# TikTok and YouTube refuse are refused when the post is made, naming
# the field.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/collect_lib.sh"
TT=tt1
check "connect tiktok" connect_one tiktok $TT tt-code
. "$(dirname "$0")/publish_lib.sh"

# Real JPEGs and a real PNG (the API reads a post's media with
# libavformat); each JPEG a different picture, so each has its own hash.
n=0
for f in a b c d; do
  n=$((n + 1))
  ffmpeg -nostdin -v error -y -f lavfi -i "testsrc=size=$((96 + 16 * n))x72" \
    -frames:v 1 "$TMP/$f.jpg" || { echo "ffmpeg failed"; exit 1; }
done
head -c 120000 /dev/urandom >"$TMP/v.mp4"
ffmpeg -nostdin -v error -y -f lavfi -i testsrc=size=32x16 -frames:v 1 "$TMP/p.png" ||
  { echo "ffmpeg failed"; exit 1; }
head -c 1000 /dev/urandom >"$TMP/w.webp"
# add_multi PLATFORM ACCOUNT CAPTION FILE... [-- OPTIONS]: prints the id.
add_multi() {
  local p=$1 a=$2 c=$3 files=() opts=()
  shift 3
  while [ $# -gt 0 ] && [ "$1" != -- ]; do files+=("$1"); shift; done
  [ "${1:-}" = -- ] && shift
  md -q post add --platform "$p" --account "$a" --title "title of $c" \
    --caption "$c" --media "${files[@]}" --at "$due" --zone UTC --json "$@" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])'
}
form_of() { # the last form body sent to PATH, as sorted key=value lines
  fake_stat "'\\n'.join('%s=%s' % (k, v[0]) for k, v in sorted(__import__('urllib.parse').parse.parse_qs(s['last']['$1']['body']).items()))"
}

# --- a TikTok photo post of three JPEGs -------------------------------------
id=$(add_multi tiktok $TT "tt photos one" "$TMP/a.jpg" "$TMP/b.jpg" "$TMP/c.jpg" -- --privacy public)
check "photo post made" test -n "$id"
check "worker round (photos)" run 0 worker
check "published" test "$(col "$id" state)" = published
check "published exactly once on the fake" test "$(published 'tiktok:title of tt photos one')" = 1
photo() { fake_stat "[p for p in s['tiktok_photos'] if p['title'] == 'title of tt photos one'][-1]$1"; }
check "title and description: the post's title and caption" test "$(photo "['description']")" = "tt photos one"
check "privacy public -> PUBLIC_TO_EVERYONE" test "$(photo "['privacy_level']")" = PUBLIC_TO_EVERYONE
check "the images TikTok pulled are the files, in order" test \
  "$(photo "['images']" | python3 -c 'import ast,sys; print(" ".join("%s:%s:%s" % (c["url_path"][:3], c["sha256"], c["content_type"]) for c in ast.literal_eval(sys.stdin.read())))')" = \
  "/m/:$(sha_of "$TMP/a.jpg"):image/jpeg /m/:$(sha_of "$TMP/b.jpg"):image/jpeg /m/:$(sha_of "$TMP/c.jpg"):image/jpeg"
fake_stat "s['last']['/v2/post/publish/content/init/']['body']" >"$TMP/init.json"
check "content/init: PHOTO, DIRECT_POST, PULL_FROM_URL, cover 0" test "$(python3 -c '
import json,sys; b = json.load(open(sys.argv[1]))
print(b["media_type"], b["post_mode"], b["source_info"]["source"], b["source_info"]["photo_cover_index"], len(b["source_info"]["photo_images"]))' "$TMP/init.json")" = "PHOTO DIRECT_POST PULL_FROM_URL 0 3"
check "no video upload for it" test "$(fake_stat "len([u for u in s['tiktok_uploads'] if u['title'] == 'tt photos one'])")" = 0
check "remote id is the public post id" contains <(col "$id" remote_id) 74000000000000000
check "remote url is a photo URL" contains <(col "$id" remote_url) "https://www.tiktok.com/@demostreamer/photo/74000000000000000"
check "publish_id recorded" contains <(col "$id" progress) '"publish_id":"p_pub_url~v2.'

# --- FAILED: failed with fail_reason ------------------------------------------
control '{"tiktok_publish": {"final_status": "FAILED", "fail_reason": "picture_size_check_failed"}}'
id=$(add_multi tiktok $TT "tt photos fail" "$TMP/a.jpg" "$TMP/w.webp")
check "worker round (FAILED)" run 0 worker
check "failed" test "$(col "$id" state)" = failed
check "with fail_reason" contains <(col "$id" last_error) "failed: picture_size_check_failed"
check "not published" test "$(published 'tiktok:title of tt photos fail')" = 0
check "a WebP was sent as image/webp" test "$(fake_stat "[p for p in s['tiktok_photos'] if p['title'] == 'title of tt photos fail'][-1]['images'][1]['content_type']")" = image/webp
control '{"tiktok_publish": {"final_status": "PUBLISH_COMPLETE", "fail_reason": ""}}'

# --- url_ownership_unverified: a clear refusal ---------------------------
control '{"tiktok_publish": {"verified_url_prefixes": ["https://media.example.com/"]}}'
id=$(add_multi tiktok $TT "tt photos unverified" "$TMP/a.jpg")
check "worker round (unverified)" run 0 worker
check "failed" test "$(col "$id" state)" = failed
check "naming the code" contains <(col "$id" last_error) "url_ownership_unverified"
control '{"tiktok_publish": {"verified_url_prefixes": []}}'

# --- the init answer lost: needs_check, found among the creator's posts ----
control '{"tiktok_publish": {"lose_photo_answer": 1}}'
id=$(add_multi tiktok $TT "tt photos lost" "$TMP/d.jpg" "$TMP/c.jpg" -- --privacy public)
check "round (lost init answer)" run 0 worker
check "needs_check" test "$(col "$id" state)" = needs_check
check "the fake published it" test "$(published 'tiktok:title of tt photos lost')" = 1
check "the step was recorded before the call" test "$(col "$id" "json_extract(progress, '\$.step')")" = photo_init
inits=$(method_count 'POST /v2/post/publish/content/init/')
check "next round" run 0 worker
check "found: published" test "$(col "$id" state)" = published
check "with the post's id" contains <(col "$id" remote_id) 74000000000000000
check "asked the creator's posts" test "$(method_count 'POST /v2/video/list/')" -ge 1
check "no second init" test "$(method_count 'POST /v2/post/publish/content/init/')" = "$inits"
check "still once" test "$(published 'tiktok:title of tt photos lost')" = 1

# --- lost, and not there: unclear until the settle time, then sent again --
control '{"tiktok_publish": {"lose_photo_answer": 1, "final_status": "FAILED", "fail_reason": "internal"}}'
id=$(add_multi tiktok $TT "tt photos gone" "$TMP/a.jpg" -- --privacy public)
check "round (lost, failed there)" run 0 worker
check "needs_check" test "$(col "$id" state)" = needs_check
control '{"tiktok_publish": {"final_status": "PUBLISH_COMPLETE", "fail_reason": ""}}'
check "next round" run 0 worker
check "still needs_check: too early to tell" test "$(col "$id" state)" = needs_check
check "saying why" contains "$TMP/err" "not among the creator's public posts yet"
# the settle time (TIKTOK_PHOTO_SETTLE_S, 30 min) has passed:
q "UPDATE post SET progress = json_set(progress, '\$.init_at', json_extract(progress, '\$.init_at') - 1900) WHERE id = $id"
check "round after the settle time" run 0 worker
[ "$(col "$id" state)" = scheduled ] && due_now "$id" && run 0 worker
check "not there: sent again and published" test "$(col "$id" state)" = published
check "once" test "$(published 'tiktok:title of tt photos gone')" = 1

# --- mixes TikTok and YouTube refuse ---------------------------------------
check "TikTok: a video and an image: refused" run 2 md -q post add --platform tiktok --account $TT --title t \
  --media "$TMP/v.mp4" "$TMP/a.jpg" --at "$due" --zone UTC
check "naming media" contains "$TMP/err" "media: TikTok takes videos or images in one post, not both"
check "TikTok: two videos: refused" run 2 md -q post add --platform tiktok --account $TT --title t \
  --media "$TMP/v.mp4" "$TMP/v.mp4" --at "$due" --zone UTC
check "saying one video" contains "$TMP/err" "TikTok takes at most 1 video in one post"
check "TikTok: a PNG photo: refused" run 2 md -q post add --platform tiktok --account $TT --title t \
  --media "$TMP/p.png" --at "$due" --zone UTC
check "naming the types" contains "$TMP/err" "TikTok takes JPEG or WebP images only (file 1 is image/png)"
long=$(python3 -c 'print("é" * 91)')
check "TikTok: a photo post's title of 91 characters: refused" run 2 md -q post add --platform tiktok --account $TT \
  --title "$long" --media "$TMP/a.jpg" --at "$due" --zone UTC
check "naming title and counting characters, not bytes" contains "$TMP/err" "title: a TikTok photo post's title has at most 90 characters (this one has 91)"
check "90 are fine" run 0 md -q post add --platform tiktok --account $TT --title "${long:1}" --media "$TMP/a.jpg" --at "$later" --zone UTC
check "YouTube: two videos: refused" run 2 md -q post add --platform youtube --account UC1 --title t \
  --media "$TMP/v.mp4" "$TMP/v.mp4" --at "$later" --zone UTC
check "YouTube: an image: refused" run 2 md -q post add --platform youtube --account UC1 --title t \
  --media "$TMP/a.jpg" --at "$later" --zone UTC
check "saying videos only" contains "$TMP/err" "YouTube takes videos only"

# --- the same rule through the API (the page bypassed) ---------------------
check "logged in" login "$DB" "$URL"
cp "$TMP/a.jpg" "$DB.media/a.jpg"
cp "$TMP/p.png" "$DB.media/p.png"
api_post() { # api_post PLATFORM FILE...: POST /api/v1/posts, the status
  python3 - "$DB.media" "$@" >"$TMP/req.json" <<'PY'
import hashlib, json, os, sys
root, plat, files = sys.argv[1], sys.argv[2], sys.argv[3:]
types = {".jpg": "image/jpeg", ".png": "image/png"}
media = [{"path": os.path.realpath(os.path.join(root, f)),
          "sha256": hashlib.sha256(open(os.path.join(root, f), "rb").read()).hexdigest(),
          "bytes": os.path.getsize(os.path.join(root, f)),
          "content_type": types[os.path.splitext(f)[1]]} for f in files]
print(json.dumps({"platform": plat, "account": "tt1", "title": "api photos",
                  "media": media, "at": "2099-07-01 09:30", "zone": "UTC"}))
PY
  curl -s -o "$TMP/body" -w '%{http_code}' -b "$COOKIES" -H "Origin: $URL" -H "X-CSRF-Token: $CSRF" \
    -H 'Content-Type: application/json' --data-binary @"$TMP/req.json" "$URL/api/v1/posts"
}
check "API: a PNG in a TikTok photo post: 400" test "$(api_post tiktok a.jpg p.png)" = 400
check "naming media.content_type" test "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["error"]["param"])' "$TMP/body")" = media.content_type
check "API: two JPEGs: 201, in order" test "$(api_post tiktok a.jpg a.jpg)" = 201
finish
