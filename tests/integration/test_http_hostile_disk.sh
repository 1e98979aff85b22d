# A full disk under `mediadash serve` (issue 13 defect 8), over real HTTP
# on 127.0.0.1: the database and the media root on a small tmpfs (in a
# user + mount namespace of its own: `unshare -rm`, no root needed, gone
# with the test), filled to the last byte. Then an API import answers 507
# "the disk is full: storing NAME failed" and serve logs it; an upload
# answers 507 too; the CLI import still says "database or disk is full";
# nothing stored is lost or changed (counts before == after, integrity
# check ok), serve keeps answering, and once space is freed the same
# import goes through.
if [ -z "${MEDIADASH_DISK_NS:-}" ]; then
  command -v unshare >/dev/null || { echo "FAIL: unshare (util-linux) is needed" >&2; exit 1; }
  MEDIADASH_DISK_NS=1 exec timeout 300 unshare -rm bash "$0" "$@"
fi
. "$(dirname "$0")/lib.sh"

DISK="$TMP/disk"
mkdir -p "$DISK"
# lib.sh's EXIT trap, with the tmpfs unmounted before the removal
trap 'for p in $SERVERS; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done; umount "$DISK" 2>/dev/null; rm -rf "$TMP"' EXIT
mount -t tmpfs -o size=24m,mode=0700 tmpfs "$DISK" || { echo "FAIL: cannot mount a tmpfs in the namespace" >&2; exit 1; }
DB="$DISK/full.db"
T="$DATA/tiktok"
VIDEOS=3000
md() { "$BIN" --db "$DB" "$@"; }
avail() { df -k --output=avail "$DISK" | tail -1 | tr -d ' '; }

check "import the account (CLI)" run 0 md -q import --observed-at 2024-06-01T12:00:00Z "$T/user_info.json"
check "import two videos (CLI)" run 0 md -q import --observed-at 2024-06-01T12:00:00Z "$T/video_list_page1.json"

# A page of $VIDEOS videos of the account: bigger than anything the
# database's write-ahead log held before, so storing it must grow a file.
python3 - "$VIDEOS" >"$TMP/big.json" <<'PY'
import json, sys
n = int(sys.argv[1])
videos = [{"id": str(7390000000000000000 + i), "create_time": 1717000000 + 60 * i,
           "title": "Clip %d" % i, "video_description": "generated clip %d #disk" % i,
           "share_url": "https://www.tiktok.com/@demostreamer/video/%d" % (7390000000000000000 + i),
           "cover_image_url": "https://p16-sign.example/c%d.jpeg" % i, "duration": 30 + i % 30,
           "like_count": 10 * i, "comment_count": i, "share_count": i // 2, "view_count": 1000 + 37 * i}
          for i in range(n)]
print(json.dumps({"data": {"videos": videos, "cursor": 0, "has_more": False},
                  "error": {"code": "ok", "message": "", "log_id": "disk"}}))
PY

check "server started" serve_start "$DB"
check "logged in" login "$DB" "$URL"

req() { # req METHOD PATH STATUS [CURL ARGS...]
  local method=$1 path=$2 want=$3 code
  shift 3
  code=$(curl -s -m 60 -o "$TMP/body" -w '%{http_code}' -X "$method" \
    -b "$COOKIES" -H "Origin: $URL" -H "X-CSRF-Token: $CSRF" "$@" "$URL$path")
  [ "$code" = "$want" ] || { echo "  $method $path: $code, expected $want" >&2; head -c 600 "$TMP/body" >&2; echo >&2; return 1; }
}
message() { python3 -c "import json; print(json.load(open('$TMP/body'))['error']['message'])"; }
counts() { # items, snapshots, metric values, imports and posts, read only
  python3 - "$DB" <<'PY'
import sqlite3, sys
db = sqlite3.connect("file:%s?mode=ro" % sys.argv[1], uri=True)
print(" ".join(str(db.execute("SELECT count(*) FROM %s" % t).fetchone()[0])
               for t in ("item", "snapshot", "snapshot_value", "import", "post")))
PY
}
integrity() { [ "$(sqlite3 "$DB" 'PRAGMA integrity_check')" = ok ]; }
health() { [ "$(curl -s -m 10 -o /dev/null -w '%{http_code}' "$URL/api/v1/health")" = 200 ]; }

BEFORE=$(counts)
echo "  stored before (items snapshots values imports posts): $BEFORE"

# --- fill the disk to the last byte ------------------------------------
dd if=/dev/zero of="$DISK/filler" bs=1M status=none 2>/dev/null
dd if=/dev/zero of="$DISK/filler2" bs=4k status=none 2>/dev/null
for i in 1 2 3 4 5 6 7 8; do head -c 512 /dev/zero >"$DISK/filler-small-$i" 2>/dev/null; done
echo "  free on the tmpfs: $(avail) KiB"
check "the disk is full" test "$(avail)" -eq 0

# A post with a long caption (more pages than the log holds yet).
python3 -c 'import json; print(json.dumps({"platform": "dryrun", "account": "acct", "title": "Full",
  "caption": "x" * 7999, "at": "2099-07-01 09:30", "zone": "UTC", "draft": True}))' >"$TMP/post.json"
check "a post on a full disk: 507" req POST /api/v1/posts 507 -H 'Content-Type: application/json' --data-binary @"$TMP/post.json"
echo "  post answer: $(cat "$TMP/body")"
check "the post's message names the cause" contains "$TMP/body" '"message":"the disk is full: storing the post failed"'

T0=$(date +%s%N)
check "API import on a full disk: 507" req POST "/api/v1/import?name=big.json&account=tiktok:-000mediadashDemoOpenId0001" 507 \
  -H 'Content-Type: application/json' --data-binary @"$TMP/big.json"
echo "  answered in $(( ($(date +%s%N) - T0) / 1000000 )) ms: $(cat "$TMP/body")"
check "the message names the cause and the file" contains "$TMP/body" '"message":"the disk is full: storing big.json failed"'
check "status 507 in the body" contains "$TMP/body" '"status":507'
sleep 0.2
check "serve logged it" contains "$SERVE_ERR" "the disk is full: storing big.json failed"
grep -F "the disk is full" "$SERVE_ERR" | head -3 | sed 's/^/  log: /'

# A real video (~400 KB): an upload is read with libavformat.
ffmpeg -nostdin -v error -y -f lavfi -i testsrc2=size=320x240:rate=25 -t 2 -c:v libx264 \
  -preset ultrafast -qp 0 -pix_fmt yuv420p "$TMP/clip.mp4"
check "upload on a full disk: 507" req POST "/api/v1/media?name=clip.mp4" 507 \
  -H 'Content-Type: application/octet-stream' --data-binary @"$TMP/clip.mp4"
echo "  upload answer: $(cat "$TMP/body")"
check "the upload's message names the cause" contains "$TMP/body" '"message":"the disk is full: '
check "no upload left behind" test -z "$(find "$DB.media" -name '.upload-*' 2>/dev/null)"

check "the CLI import says \"database or disk is full\" (exit 3)" run 3 md import --observed-at 2024-06-02T12:00:00Z "$TMP/big.json" --account tiktok:-000mediadashDemoOpenId0001
check "  (its stderr)" contains "$TMP/err" "database or disk is full"
sed 's/^/  cli: /' "$TMP/err" | head -2

check "serve keeps serving: health 200" health
check "a read over the API: 200" req GET /api/v1/imports 200
check "nothing stored changed while full" test "$(counts)" = "$BEFORE"

# --- free the space: the data is intact and the import goes through ------
rm -f "$DISK"/filler*
echo "  freed: $(avail) KiB free"
check "integrity check ok" integrity
check "counts before == after" test "$(counts)" = "$BEFORE"
check "the same import now: 200" req POST "/api/v1/import?name=big.json&account=tiktok:-000mediadashDemoOpenId0001" 200 \
  -H 'Content-Type: application/json' --data-binary @"$TMP/big.json"
check "all $VIDEOS videos stored" contains "$TMP/body" "\"items_new\":$VIDEOS"
AFTER=$(counts)
echo "  stored after the import (items snapshots values imports posts): $AFTER"
check "the post now: 201" req POST /api/v1/posts 201 -H 'Content-Type: application/json' --data-binary @"$TMP/post.json"
check "the upload now: 201" req POST "/api/v1/media?name=clip.mp4" 201 \
  -H 'Content-Type: application/octet-stream' --data-binary @"$TMP/clip.mp4"
check "health 200" health
check "integrity check ok at the end" integrity

finish
