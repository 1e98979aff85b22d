# mediadash backup / restore against a live serve (issue 15): a stream of
# POST /api/v1/import runs while `backup` copies the database; every
# import acknowledged before the backup started must be in the copy, the
# copy restores into a fresh path with its key file (doctor opens the
# stored token with it), and the refusals hold: restore over a database
# serve has open, backup over an existing file, a damaged backup.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/collect_lib.sh" # fake platform, config, connect_one

# A database with some weight (so the copy takes a moment) and one
# connected account (a sealed token: the key file matters).
check "demo data" md -q demo --items 30 --days 60
check "connect youtube on the fake" connect_one youtube UCfake000000000000000001 bkcode1
check "key file made" test -f "$DB.key"

check "server started" serve_start "$DB" --no-collect --no-worker
check "logged in" login "$DB" "$URL"

# The stream: import I is a videos.list response of one new video bkI,
# posted until $TMP/stop exists (at most 90 s). Each acknowledged import
# (HTTP 200, one new snapshot) appends "I" to $TMP/acked.
: >"$TMP/acked"
python3 - "$URL" "$COOKIES" "$CSRF" "$TMP" <<'PY' &
import json, os, sys, time, urllib.request
url, cookies, csrf, tmp = sys.argv[1:5]
# curl's jar: HttpOnly cookies are lines starting "#HttpOnly_"
pairs = []
for line in open(cookies):
    if line.startswith("#HttpOnly_"):
        line = line[len("#HttpOnly_"):]
    f = line.rstrip("\n").split("\t")
    if not line.startswith("#") and len(f) == 7:
        pairs.append("%s=%s" % (f[5], f[6]))
op = urllib.request.build_opener()
t0 = time.time()
i = 0
while not os.path.exists(tmp + "/stop") and time.time() - t0 < 90:
    vid = "bk%09d" % i
    doc = {"kind": "youtube#videoListResponse", "items": [{
        "kind": "youtube#video", "id": vid,
        "snippet": {"publishedAt": "2024-06-01T10:00:00Z",
                    "channelId": "UCbackupStream000000001",
                    "title": "stream %d" % i, "channelTitle": "Stream"},
        "statistics": {"viewCount": str(100 + i), "likeCount": "1",
                       "commentCount": "0"}}]}
    req = urllib.request.Request(
        url + "/api/v1/import?name=s%d.json&observed_at=2024-06-02T10:00:00Z" % i,
        data=json.dumps(doc).encode(), method="POST",
        headers={"Origin": url, "X-CSRF-Token": csrf, "Cookie": "; ".join(pairs),
                 "Content-Type": "application/octet-stream"})
    try:
        with op.open(req, timeout=20) as r:
            body = json.load(r)
            if r.status == 200 and body.get("snapshots_new") == 1:
                with open(tmp + "/acked", "a") as f:
                    f.write("%s\n" % vid)
    except Exception as e:
        sys.stderr.write("import %d: %s\n" % (i, e))
    i += 1
PY
STREAM=$!
SERVERS="$SERVERS $STREAM"

# wait_acked N: until at least N imports are acknowledged (60 s at most).
wait_acked() {
  for _ in $(seq 600); do
    [ "$(wc -l <"$TMP/acked")" -ge "$1" ] && return 0
    sleep 0.1
  done
  echo "  only $(wc -l <"$TMP/acked") imports acknowledged, wanted $1" >&2
  return 1
}
check "stream running" wait_acked 10
cp "$TMP/acked" "$TMP/before"  # acknowledged before the backup started
check "backup during the stream" run 0 md backup "$TMP/bk.db"
cp "$TMP/out" "$TMP/backup.out"
N_BEFORE=$(wc -l <"$TMP/before")
check "stream went on after the backup" wait_acked $((N_BEFORE + 10))
touch "$TMP/stop"
wait "$STREAM"

check "backup says integrity ok" contains "$TMP/backup.out" "integrity_check: ok"
check "backup compares counts" contains "$TMP/backup.out" "equal to the source's in the same snapshot"
check "backup names schema" contains "$TMP/backup.out" "schema version: "
check "key copied" contains "$TMP/backup.out" "-> $TMP/bk.db.key (mode 0600)"
check "key file mode 0600" test "$(stat -c %a "$TMP/bk.db.key")" = 600
check "key file same bytes" same_file "$DB.key" "$TMP/bk.db.key"
check "no temporary left" test ! -e "$TMP/bk.db.tmp" -a ! -e "$TMP/bk.db.key.tmp"
check "no progress line off a terminal" lacks "$TMP/err" "pages ("

# has_all DB LIST: every video id of LIST is an item of DB.
has_all() {
  python3 - "$1" "$2" <<'PY'
import sqlite3, sys
c = sqlite3.connect("file:%s?mode=ro" % sys.argv[1], uri=True)
have = {r[0] for r in c.execute("SELECT ext_id FROM item WHERE ext_id LIKE 'bk%'")}
want = [l.strip() for l in open(sys.argv[2]) if l.strip()]
miss = [w for w in want if w not in have]
print("  %d wanted, %d in the copy, %d missing %s" % (len(want), len(have), len(miss), miss[:5]), file=sys.stderr)
sys.exit(1 if miss or not want else 0)
PY
}
check "every import acknowledged before the backup is in it" has_all "$TMP/bk.db" "$TMP/before"

# --- refusals ----------------------------------------------------------
check "backup over an existing file refused" run 1 md backup "$TMP/bk.db"
check "refusal names the file" contains "$TMP/err" "$TMP/bk.db exists"
check "refusal left the backup alone" same_file "$DB.key" "$TMP/bk.db.key"
cp "$DB" "$TMP/db.size"
check "restore over the database serve has open refused" run 1 md restore --force "$TMP/bk.db"
check "refusal names the process" contains "$TMP/err" "in use by process $SERVER"
check "live database still there" test -s "$DB" -a ! -e "$DB.restore-tmp"
check "no before-restore copy made" test -z "$(ls "$TMP" | grep before-restore)"

# --- restore into a fresh path ------------------------------------------
R="$TMP/restored/r.db"
mkdir -p "$TMP/restored"
check "restore into a fresh path" run 0 "$BIN" --db "$R" restore "$TMP/bk.db"
check "restore says integrity ok" contains "$TMP/out" "integrity_check: ok"
check "restored key file" same_file "$TMP/bk.db.key" "$R.key"
check "restored key mode 0600" test "$(stat -c %a "$R.key")" = 600
check "restored database mode 0600" test "$(stat -c %a "$R")" = 600
integrity() { [ "$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("PRAGMA integrity_check").fetchone()[0])' "$1")" = ok ]; }
check "restored passes integrity_check" integrity "$R"
check "restored has the acknowledged imports" has_all "$R" "$TMP/before"
check "doctor on the restored database" run 0 "$BIN" --db "$R" doctor
check "doctor opens the restored token" contains "$TMP/out" "youtube:UCfake000000000000000001: connected, token opens"
check "collect reads the restored token" run 0 "$BIN" --db "$R" collect --platform youtube
check "restore over it without --force refused" run 1 "$BIN" --db "$R" restore "$TMP/bk.db"
check "refusal says --force" contains "$TMP/err" "--force"

# With serve stopped, --force restores over the live database and keeps
# the old one (with its -wal) as DB.before-restore-TIME.
kill "$SERVER"; wait "$SERVER" 2>/dev/null
check "restore --force once serve stopped" run 0 md restore --force "$TMP/bk.db"
OLD=$(ls "$TMP" | grep '^c.db.before-restore-[0-9T]*Z$' | head -1)
check "old database kept" test -n "$OLD"
check "old database has the later imports" has_all "$TMP/$OLD" "$TMP/acked"
check "restored over: the acknowledged imports" has_all "$DB" "$TMP/before"

# A -wal left without its database would be applied to the restored
# one: it counts as a database there (refused without --force) and goes
# aside with --force.
mkdir -p "$TMP/orphan"
echo junk >"$TMP/orphan/o.db-wal"
check "orphan -wal: refused without --force" run 1 "$BIN" --db "$TMP/orphan/o.db" restore "$TMP/bk.db"
check "orphan -wal: --force" run 0 "$BIN" --db "$TMP/orphan/o.db" restore --force "$TMP/bk.db"
check "orphan -wal: kept aside" test -n "$(ls "$TMP/orphan" | grep 'before-restore-.*Z-wal$')"
check "orphan -wal: not beside the restored database" test ! -e "$TMP/orphan/o.db-wal"
check "orphan -wal: restored database sound" integrity "$TMP/orphan/o.db"

# --- a damaged backup is refused -----------------------------------------
cp "$TMP/bk.db" "$TMP/bad.db"
python3 - "$TMP/bad.db" <<'PY'
import os, sys
f = open(sys.argv[1], "r+b"); size = os.path.getsize(sys.argv[1])
for off in range(size // 3, size // 3 + 40 * 4096, 4096):
    f.seek(off + 100); f.write(os.urandom(600))
PY
check "damaged backup refused" run 1 "$BIN" --db "$TMP/fresh.db" restore "$TMP/bad.db"
check "refusal says not sound" contains "$TMP/err" "is not a sound database"
check "nothing restored" test ! -e "$TMP/fresh.db"
check "a file that is no database refused" run 1 "$BIN" --db "$TMP/fresh.db" restore "$TMP/acked"
finish
