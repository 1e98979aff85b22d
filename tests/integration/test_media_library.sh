# The media library over real HTTP on 127.0.0.1 (issue 14), with small
# videos and images made by the ffmpeg CLI at test time: an upload reads
# the file's facts with libavformat (container, codecs, duration, size)
# and makes a JPEG thumbnail of its first frame; a file that is not
# readable media is refused (415) and leaves nothing behind; the library
# lists files with the posts that use them and which platforms they
# suit; POST /api/v1/posts refuses files over a platform's documented
# limits (Instagram 3 s to 15 min, JPEG only, 8 MB images; TikTok up to
# 10 min; YouTube no images) naming the field; a file is deleted only
# when no post needs it.
. "$(dirname "$0")/lib.sh"

command -v ffmpeg >/dev/null || { echo "ffmpeg is needed (tools/install-deps.sh)"; exit 1; }
DB="$TMP/lib.db"
PY=$(python3 -c 'import sys; print(sys.executable)')
md() { "$BIN" --db "$DB" "$@"; }
check "server started" serve_start "$DB"
ROOT=$(realpath "$DB.media")
check "logged in" login "$DB" "$URL"

req() {
  local method=$1 path=$2 want=$3 code
  shift 3
  code=$(curl -s -m 60 -o "$TMP/body" -w '%{http_code}' -X "$method" \
    -b "$COOKIES" -H "Origin: $URL" -H "X-CSRF-Token: $CSRF" "$@" "$URL$path")
  [ "$code" = "$want" ] || { echo "  $method $path: $code, expected $want" >&2; head -c 2000 "$TMP/body" >&2; echo >&2; return 1; }
}
upload() { req POST "/api/v1/media?name=$2" "$1" -H 'Content-Type: application/octet-stream' --data-binary @"$3"; }
json() { "$PY" -c "import json,sys; d=json.load(open('$TMP/body')); sys.exit(0 if ($1) else 1)" || { echo "  not: $1" >&2; head -c 3000 "$TMP/body" >&2; echo >&2; return 1; }; }
field() { "$PY" -c "import json; d=json.load(open('$TMP/body')); print($1)"; }
names() { contains "$TMP/body" '"param":"'"$1"'"'; }
ff() { ffmpeg -nostdin -v error -y "$@"; }

# --- samples (a few KB each; the 16-minute one is 1 fps at 32x32) ------
V="$TMP/v"; mkdir -p "$V"
ff -f lavfi -i testsrc=size=320x240:rate=10 -f lavfi -i sine=frequency=440:sample_rate=22050 \
   -t 4 -c:v libx264 -preset ultrafast -pix_fmt yuv420p -c:a aac -shortest "$V/clip.mp4"
ff -f lavfi -i color=c=blue:size=32x32:rate=1 -t 960 -c:v libx264 -preset ultrafast -pix_fmt yuv420p "$V/long.mp4"
ff -f lavfi -i testsrc=size=64x48:rate=10 -t 1 -c:v libx264 -preset ultrafast -pix_fmt yuv420p "$V/short.mp4"
ff -f lavfi -i testsrc=size=160x120:rate=10 -t 2 -c:v libvpx-vp9 -b:v 100k "$V/clip.webm"
ff -f lavfi -i testsrc=size=640x360 -frames:v 1 "$V/pic.jpg"
ff -f lavfi -i testsrc=size=200x100 -frames:v 1 "$V/pic.png"
# A JPEG over Instagram's 8 MB: a real picture, then padding after its
# end marker (decoders stop at the marker; the size is what counts).
cp "$V/pic.jpg" "$V/big.jpg" && head -c $((9 << 20)) /dev/zero >>"$V/big.jpg"
check "samples made" test -s "$V/clip.mp4" -a -s "$V/long.mp4" -a -s "$V/clip.webm" -a -s "$V/pic.png"
sha() { sha256sum "$1" | cut -d' ' -f1; }

# --- uploads read the facts --------------------------------------------
check "upload an mp4: 201" upload 201 clip.mp4 "$V/clip.mp4"
CLIP=$(cat "$TMP/body")
check "facts: mov/mp4 container, h264 + aac, 320x240, ~4 s" json "d['facts']['container'].startswith('mov,mp4') and d['facts']['video_codec'] == 'h264' and d['facts']['audio_codec'] == 'aac' and (d['facts']['width'], d['facts']['height']) == (320, 240) and 3900 <= d['facts']['duration_ms'] <= 4200"
check "the post fields as before" json "d['path'] == '$ROOT/$(sha "$V/clip.mp4").mp4' and d['bytes'] == $(stat -c %s "$V/clip.mp4") and d['content_type'] == 'video/mp4'"
THUMB="$ROOT/.thumbs/$(sha "$V/clip.mp4").jpg"
check "a thumbnail beside the media, 0600" test "$(stat -c %a "$THUMB" 2>/dev/null)" = 600
check "the thumbnail is a 320x240 JPEG" test "$(ffprobe -v error -select_streams v:0 -show_entries stream=codec_name,width,height -of csv=p=0 "$THUMB")" = "mjpeg,320,240"
check "webm: 201" upload 201 clip.webm "$V/clip.webm"
check "webm facts: matroska, vp9, no audio, 160x120" json "d['facts']['container'].startswith('matroska') and d['facts']['video_codec'] == 'vp9' and d['facts']['audio_codec'] is None and d['facts']['width'] == 160 and d['facts']['duration_ms'] > 1500"
check "jpeg: 201, a still (no duration)" upload 201 pic.jpg "$V/pic.jpg"
check "jpeg facts" json "d['facts']['video_codec'] == 'mjpeg' and d['facts']['duration_ms'] is None and (d['facts']['width'], d['facts']['height']) == (640, 360)"
JPG=$(cat "$TMP/body")
check "png: 201" upload 201 pic.png "$V/pic.png"
PNG=$(cat "$TMP/body")
check "a 16-minute video: 201" upload 201 long.mp4 "$V/long.mp4"
LONG=$(cat "$TMP/body")
check "  duration 960 s" json "abs(d['facts']['duration_ms'] - 960000) < 2000"
check "a 1-second video: 201" upload 201 short.mp4 "$V/short.mp4"
SHORT=$(cat "$TMP/body")
check "a 9 MB JPEG: 201" upload 201 big.jpg "$V/big.jpg"
BIG=$(cat "$TMP/body")

# --- files that are not media ------------------------------------------
count() { find "$ROOT" -maxdepth 1 -type f | wc -l; }
BEFORE=$(count)
"$PY" -c "import sys; sys.stdout.buffer.write(b'\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom' + bytes(range(256)) * 40)" >"$V/fake.mp4"
check "an mp4 header over garbage: 415" upload 415 fake.mp4 "$V/fake.mp4"
check "  names body, says it is not readable" json "d['error']['param'] == 'body' and 'not a readable video/mp4' in d['error']['message']"
head -c 20000 "$V/clip.mp4" >"$V/cut.mp4"
check "a truncated mp4 (no moov): 415" upload 415 cut.mp4 "$V/cut.mp4"
head -c 400 "$V/pic.png" >"$V/cut.png"
check "a PNG header over garbage: 415" upload 415 cut.png "$V/cut.png"
check "refused files left no file and no temporary behind" test "$(count)" = "$BEFORE" -a -z "$(find "$ROOT" -name '.upload-*' -o -name '*.tmp-*')"
check "  and no thumbnail of theirs" test ! -e "$ROOT/.thumbs/$(sha "$V/fake.mp4").jpg"

# --- the library ---------------------------------------------------------
check "GET /api/v1/media: 200" req GET /api/v1/media 200
check "seven files, newest first" json "len(d['media']) == 7"
check "each with its facts and a thumbnail link" json "all(m['thumb_url'] == '/api/v1/media/%s/thumb' % m['sha256'] and m['width'] > 0 for m in d['media'])"
by() { echo "next(m for m in d['media'] if m['sha256'] == '$(sha "$V/$1")')"; }
check "the 16-minute video fits YouTube only" json "$(by long.mp4)['fits']['youtube'] is None and $(by long.mp4)['fits']['instagram']['param'] == 'media.duration' and $(by long.mp4)['fits']['tiktok']['param'] == 'media.duration'"
check "the PNG: not Instagram (JPEG only), not YouTube (no images)" json "$(by pic.png)['fits']['instagram']['param'] == 'media.format' and $(by pic.png)['fits']['youtube']['param'] == 'media.format'"
check "the 1-second video: under Instagram's 3 s" json "'3 s to 15 min' in $(by short.mp4)['fits']['instagram']['message']"
check "the 9 MB JPEG: over Instagram's 8 MB, fine for TikTok" json "$(by big.jpg)['fits']['instagram']['param'] == 'media.bytes' and '8 MB' in $(by big.jpg)['fits']['instagram']['message'] and $(by big.jpg)['fits']['tiktok'] is None"
check "nothing used yet: all deletable" json "all(m['used_by'] == [] and m['deletable'] for m in d['media'])"
check "the thumbnail over the API: 200" req GET "/api/v1/media/$(sha "$V/clip.mp4")/thumb" 200
check "  the same bytes as on disk" same_file "$TMP/body" "$THUMB"
check "an image's thumbnail too" req GET "/api/v1/media/$(sha "$V/pic.png")/thumb" 200
check "  a JPEG" test "$(head -c 2 "$TMP/body" | od -An -tx1 | tr -d ' ')" = ffd8
check "a bad id: 400 naming sha256" req GET /api/v1/media/xyz 400
check "  names sha256" names sha256
check "an unknown file: 404" req GET "/api/v1/media/$(printf '%064d' 0)" 404
code=$(curl -s -o /dev/null -w '%{http_code}' "$URL/api/v1/media")
check "the library without a session: 401" test "$code" = 401
code=$(curl -s -o /dev/null -w '%{http_code}' "$URL/api/v1/media/$(sha "$V/clip.mp4")/thumb")
check "a thumbnail without a session: 401" test "$code" = 401

# --- platform limits on posts, even with the page bypassed --------------
post() { # post STATUS PLATFORM MEDIA_JSON
  "$PY" - "$2" "$3" >"$TMP/req.json" <<'PY'
import json, sys
m = json.loads(sys.argv[2]); m.pop('facts', None)
print(json.dumps({"platform": sys.argv[1], "account": "acct1", "title": "Clip",
                  "media": [m], "at": "2099-07-01 09:30", "zone": "Europe/Berlin"}))
PY
  req POST /api/v1/posts "$1" -H 'Content-Type: application/json' --data-binary @"$TMP/req.json"
}
check "Instagram, 16 minutes: 422" post 422 instagram "$LONG"
check "  names media.duration" names media.duration
check "  says the limit" contains "$TMP/body" "Instagram takes 3 s to 15 min"
check "TikTok, 16 minutes: 422 naming media.duration" post 422 tiktok "$LONG"
check "  names media.duration" names media.duration
check "  says the limit" contains "$TMP/body" "TikTok takes up to 10 min"
check "Instagram, 1 second: 422 naming media.duration" post 422 instagram "$SHORT"
check "  names media.duration" names media.duration
# A file of a type the platform never takes is refused earlier, by the
# post's media rule (media_mix.c, 400 naming media.content_type); the
# limits table (422 media.format) is the same rule read from the file.
check "Instagram, a PNG: 400 naming media.content_type" post 400 instagram "$PNG"
check "  names media.content_type" names media.content_type
check "  says JPEG only" contains "$TMP/body" "Instagram takes JPEG images only"
check "Instagram, a 9 MB JPEG: 422 naming media.bytes" post 422 instagram "$BIG"
check "  names media.bytes" names media.bytes
check "YouTube, a JPEG: 400 naming media.content_type" post 400 youtube "$JPG"
check "  names media.content_type" names media.content_type
check "none of these was stored" test "$(md post list --json | "$PY" -c 'import json,sys; print(len(json.load(sys.stdin)["posts"]))')" = 0
check "YouTube, 16 minutes: 201" post 201 youtube "$LONG"
YT=$(field "d['post']['id']")
check "Instagram, the 4 s clip: 201" post 201 instagram "$CLIP"
IG=$(field "d['post']['id']")
check "TikTok, the 9 MB JPEG (a photo): 201" post 201 tiktok "$BIG"
check "dryrun takes anything: the PNG" post 201 dryrun "$PNG"
DRY=$(field "d['post']['id']")

# A file put in the root before the library existed (named by its hash,
# no row): a post naming it gets its facts read then.
OLD="$ROOT/$(sha "$V/short.mp4").mp4"
sqlite3 "$DB" "DELETE FROM media WHERE sha256 = '$(sha "$V/short.mp4")'"
check "a post naming a file the library has no row for: 422 (1 s for Instagram)" post 422 instagram "$SHORT"
check "  names media.duration" names media.duration
check "  the file joined the library" test "$(sqlite3 "$DB" "SELECT duration_ms > 900 FROM media WHERE path = '$OLD'")" = 1

# --- used_by and delete ----------------------------------------------------
CS=$(sha "$V/clip.mp4")
check "the clip's page: 200" req GET "/api/v1/media/$CS" 200
check "used by the Instagram post, not deletable" json "[u['id'] for u in d['media']['used_by']] == [$IG] and d['media']['used_by'][0]['state'] == 'scheduled' and d['media']['deletable'] is False"
check "delete while used: 409" req POST "/api/v1/media/$CS/delete" 409
check "  names the post" contains "$TMP/body" "used by post $IG"
check "  the file and its thumbnail stay" test -f "$ROOT/$CS.mp4" -a -f "$THUMB"
check "cancel the post" req POST "/api/v1/posts/$IG/cancel" 200
check "listed still, now deletable" req GET "/api/v1/media/$CS" 200
check "  used_by shows it cancelled, holds false" json "d['media']['used_by'][0]['state'] == 'cancelled' and d['media']['used_by'][0]['holds'] is False and d['media']['deletable'] is True"
check "delete: 200" req POST "/api/v1/media/$CS/delete" 200
check "  the file and its thumbnail are gone" test ! -e "$ROOT/$CS.mp4" -a ! -e "$THUMB"
check "  no longer listed" req GET "/api/v1/media/$CS" 404
check "delete again: 404" req POST "/api/v1/media/$CS/delete" 404
check "delete without the CSRF token: 403" test "$(curl -s -o /dev/null -w '%{http_code}' -X POST -b "$COOKIES" -H "Origin: $URL" "$URL/api/v1/media/$(sha "$V/clip.webm")/delete")" = 403
check "an unused file: delete 200" req POST "/api/v1/media/$(sha "$V/clip.webm")/delete" 200
# The dryrun post is due in 2099: publish it now through the worker.
sqlite3 "$DB" "UPDATE post SET publish_at = strftime('%s','now') - 5 WHERE id = $DRY"
check "a worker run publishes the dryrun post" run 0 md worker --once
check "the PNG, used by a post published just now: 409" req POST "/api/v1/media/$(sha "$V/pic.png")/delete" 409
sqlite3 "$DB" "UPDATE post SET updated_at = updated_at - 7200 WHERE id = $DRY"
check "two hours later: 200" req POST "/api/v1/media/$(sha "$V/pic.png")/delete" 200
check "four files left" req GET /api/v1/media 200
check "  four" json "len(d['media']) == 4"
check "the YouTube post still has its file" test -f "$ROOT/$(sha "$V/long.mp4").mp4"
check "serve logged no error" lacks "$SERVE_ERR" "ERROR"

finish
