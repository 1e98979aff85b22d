# Shared by the Instagram and TikTok publishing tests (sourced after
# lib.sh and collect_lib.sh, which start the fake and write the
# configuration): `mediadash serve` on the same database for the public
# media links (/m/<token>), a worker command against the fake, and
# helpers to add posts and read them back.
q() { sqlite3 "$DB" "$1"; }
# Only the links: the test runs each worker round itself, and a collector
# would add its own calls to the fake's counters.
serve_start "$DB" --no-collect --no-worker || exit 1
# worker: one round, statuses polled quickly, media links at serve's URL.
worker() {
  md worker --once --id "w-$$" --set "publish.public_base_url=$URL" \
    --set publish.poll_interval_ms=20 --set publish.poll_count=3 "$@"
}
due=$(date -u -d '-1 minute' '+%Y-%m-%d %H:%M')
later=$(date -u -d '+1 day' '+%Y-%m-%d %H:%M')
# add_post PLATFORM ACCOUNT CAPTION FILE [MORE post add OPTIONS]: prints the id.
add_post() {
  local p=$1 a=$2 c=$3 f=$4
  shift 4
  md -q post add --platform "$p" --account "$a" --title "title of $c" \
    --caption "$c" --media "$f" --at "$due" --zone UTC --json "$@" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])'
}
col() { q "SELECT $2 FROM post WHERE id = $1"; }
# due_now ID: a retry's backoff has passed (the clock moved on).
due_now() { q "UPDATE post SET publish_at = strftime('%s','now') - 1 WHERE id = $1"; }
# fake_stat PYTHON-EXPRESSION-ON-s: a value from the fake's /_stats.
fake_stat() {
  curl -s --max-time 10 "$B/_stats" | python3 -c \
    'import json,sys; s=json.load(sys.stdin); print(eval(sys.argv[1]))' "$1"
}
published() { fake_stat "s['published'].get('$1', 0)"; }
method_count() { fake_stat "s['methods'].get('$1', 0)"; }
sha_of() { sha256sum "$1" | cut -d' ' -f1; }
# token ID INDEX SHA256: the media link token computed independently of
# mediadash from the key file: libsodium's crypto_kdf_derive_from_key is
# keyed BLAKE2b with the subkey id as salt and the context as
# personalisation, then keyed BLAKE2b-256 of the link's message.
token() {
  python3 - "$DB.key" "$1" "$2" "$3" <<'PY'
import base64, hashlib, struct, sys
master = open(sys.argv[1], "rb").read()
sub = hashlib.blake2b(b"", key=master, digest_size=32,
                      salt=struct.pack("<Q", 1) + bytes(8),
                      person=b"medialnk" + bytes(8)).digest()
msg = "mediadash media link v1|%s|%s|%s" % (sys.argv[2], sys.argv[3], sys.argv[4])
mac = hashlib.blake2b(msg.encode(), key=sub, digest_size=32).digest()
print("%s.%s.%s" % (sys.argv[2], sys.argv[3],
                    base64.urlsafe_b64encode(mac).rstrip(b"=").decode()))
PY
}
# http_code PATH [CURL OPTIONS]: the status of GET $URL$PATH, body in $TMP/body.
http_code() {
  local path=$1
  shift
  curl -s --max-time 20 -o "$TMP/body" -D "$TMP/headers" -w '%{http_code}' "$@" "$URL$path"
}
