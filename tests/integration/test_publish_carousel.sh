# Instagram carousels against the fake (issue 14): `mediadash serve`
# answers the public media links the fake downloads, as Instagram does,
# and `mediadash worker --once` runs the flow. A carousel of two images
# and a video is one item container per file (is_carousel_item, the
# video as VIDEO) in order, then the CAROUSEL container with the children
# and the caption, published exactly once; items still processing carry
# over to later rounds without new containers; an item in ERROR fails the
# post with Instagram's text; a lost media_publish answer is settled from
# the container without a second publish. Mixes Instagram refuses are
# refused when the post is made, naming the field. (The TikTok photo
# posts: test_publish_photo.sh; crashes: test_publish_carousel_crash.sh.)
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/collect_lib.sh"
IG=17841400000000001
check "connect instagram" connect_one instagram $IG ig-code
. "$(dirname "$0")/publish_lib.sh"

for f in a b c d; do head -c $((50000 + RANDOM)) /dev/urandom >"$TMP/$f.jpg"; done
head -c 120000 /dev/urandom >"$TMP/v.mp4"
head -c 1000 /dev/urandom >"$TMP/p.png"
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

# --- an Instagram carousel: two images and a video -----------------------
before=$(method_count "POST /v21.0/$IG/media")
id=$(add_multi instagram $IG "ig carousel one" "$TMP/a.jpg" "$TMP/b.jpg" "$TMP/v.mp4")
check "carousel post made" test -n "$id"
check "worker round" run 0 worker
check "published" test "$(col "$id" state)" = published
check "published exactly once on the fake" test "$(published 'instagram:ig carousel one')" = 1
check "four containers: three items and the carousel" test "$(method_count "POST /v21.0/$IG/media")" = $((before + 4))
car() { fake_stat "[c for c in s['ig_carousels'] if c['caption'] == 'ig carousel one'][0]$1"; }
check "the items in order: IMAGE IMAGE VIDEO" test "$(car "['children']" | python3 -c 'import ast,sys; print(" ".join(c["media_type"] for c in ast.literal_eval(sys.stdin.read())))')" = "IMAGE IMAGE VIDEO"
check "each item's bytes fetched from our links are the file's" test \
  "$(car "['children']" | python3 -c 'import ast,sys; print(" ".join("%s:%s:%d" % (c["url_path"][:3], c["sha256"], c["bytes"]) for c in ast.literal_eval(sys.stdin.read())))')" = \
  "/m/:$(sha_of "$TMP/a.jpg"):$(stat -c %s "$TMP/a.jpg") /m/:$(sha_of "$TMP/b.jpg"):$(stat -c %s "$TMP/b.jpg") /m/:$(sha_of "$TMP/v.mp4"):120000"
check "served with their types" test "$(car "['children']" | python3 -c 'import ast,sys; print(" ".join(c["content_type"] for c in ast.literal_eval(sys.stdin.read())))')" = "image/jpeg image/jpeg video/mp4"
form_of "/v21.0/$IG/media" >"$TMP/form"
check "the carousel container: media_type CAROUSEL" contains "$TMP/form" "media_type=CAROUSEL"
check "with the caption" contains "$TMP/form" "caption=ig carousel one"
kids=$(sed -n 's/^children=//p' "$TMP/form")
check "children: the three recorded items, in order" test "$kids" = \
  "$(col "$id" "json_extract(progress, '\$.children[0]') || ',' || json_extract(progress, '\$.children[1]') || ',' || json_extract(progress, '\$.children[2]')")"
check "the carousel container recorded" test "$(col "$id" "json_extract(progress, '\$.container')")" = \
  "$(fake_stat "s['last']['/v21.0/$IG/media_publish']['body'].split('=')[1]")"
check "remote id: a CAROUSEL_ALBUM on the fake" test "$(curl -s --max-time 10 "$B/v21.0/$IG/media?fields=id,media_type,caption&limit=100" |
  python3 -c 'import json,sys; print([m["media_type"] for m in json.load(sys.stdin)["data"] if m["id"] == sys.argv[1]][0])' "$(col "$id" remote_id)")" = CAROUSEL_ALBUM
check "remote url is the permalink" test "$(col "$id" remote_url)" = "https://www.instagram.com/p/fake$(col "$id" remote_id)/"

# --- items still processing: later rounds poll the same containers -------
control '{"instagram_publish": {"in_progress_polls": 3}}'
before=$(method_count "POST /v21.0/$IG/media")
id=$(add_multi instagram $IG "ig carousel slow" "$TMP/c.jpg" "$TMP/d.jpg")
check "round 1 (items processing)" run 0 worker
check "scheduled again, saying why" contains <(col "$id" last_error) "still processing carousel item 1"
check "the items made so far recorded" test "$(col "$id" "json_array_length(progress, '\$.children')")" = 2
due_now "$id"
rounds=1
while [ "$rounds" -lt 8 ] && [ "$(col "$id" state)" != published ]; do
  run 0 worker || break
  rounds=$((rounds + 1))
  [ "$(col "$id" state)" = scheduled ] && due_now "$id"
done
check "published after several rounds ($rounds)" test "$(col "$id" state)" = published
check "more than two rounds were needed" test "$rounds" -ge 3
check "three containers for all the rounds" test "$(method_count "POST /v21.0/$IG/media")" = $((before + 3))
check "published once" test "$(published 'instagram:ig carousel slow')" = 1
control '{"instagram_publish": {"in_progress_polls": 1}}'

# --- an item in ERROR: failed with Instagram's text ------------------------
control '{"instagram_publish": {"item_final_status": "ERROR", "item_status_text": "Error: Media upload has failed with error code 2207052"}}'
id=$(add_multi instagram $IG "ig carousel bad item" "$TMP/a.jpg" "$TMP/c.jpg")
check "worker round (item error)" run 0 worker
check "failed" test "$(col "$id" state)" = failed
check "naming the item and Instagram's text" contains <(col "$id" last_error) "carousel item 1"
check "with the text" contains <(col "$id" last_error) "2207052"
check "the items forgotten (a retry makes new ones)" test "$(col "$id" "json_extract(progress, '\$.children') IS NULL")" = 1
check "nothing published" test "$(published 'instagram:ig carousel bad item')" = 0
control '{"instagram_publish": {"item_final_status": "FINISHED", "item_status_text": ""}}'

# --- the media_publish answer lost: needs_check, settled without a second publish
control '{"instagram_publish": {"lose_answer": 1}}'
id=$(add_multi instagram $IG "ig carousel lost" "$TMP/b.jpg" "$TMP/d.jpg" "$TMP/v.mp4")
check "round (lost answer)" run 0 worker
check "needs_check" test "$(col "$id" state)" = needs_check
check "the fake did publish it" test "$(published 'instagram:ig carousel lost')" = 1
before=$(method_count "POST /v21.0/$IG/media_publish")
check "next round" run 0 worker
check "settled as published" test "$(col "$id" state)" = published
check "with the media id found" test -n "$(col "$id" remote_id)"
check "no second media_publish" test "$(method_count "POST /v21.0/$IG/media_publish")" = "$before"
check "still published once" test "$(published 'instagram:ig carousel lost')" = 1

# --- mixes Instagram refuses, refused when the post is made ------------
check "a PNG in a carousel: refused" run 2 md -q post add --platform instagram --account $IG --title t \
  --media "$TMP/a.jpg" "$TMP/p.png" --at "$due" --zone UTC
check "naming media.content_type and the file" contains "$TMP/err" "media.content_type: Instagram takes JPEG images only (file 2 is image/png)"
check "a carousel of ten: fine" run 0 md -q post add --platform instagram --account $IG --title t \
  --media "$TMP/a.jpg" "$TMP/b.jpg" "$TMP/c.jpg" "$TMP/d.jpg" "$TMP/a.jpg" "$TMP/b.jpg" "$TMP/c.jpg" \
  "$TMP/d.jpg" "$TMP/v.mp4" "$TMP/v.mp4" --at "$later" --zone UTC --draft

finish
