# Crash test of the YouTube publisher (issue 6 acceptance): RUNS killed
# runs (MEDIADASH_CRASH_RUNS, default 1000; the ASan build sets fewer) of
# `mediadash worker --once`, three at a time, against the fake platform
# server. Each is killed with SIGKILL after a random delay, uniform up to
# 0.9 times what an unkilled run takes on this machine now (measured again
# every 60 runs); a run that ended before its kill does not count. Two new
# posts are due before each run. The fake answers a quarter of the
# completing upload PUTs late, so that many kills land between the
# platform's 200 and our commit; others land before the session is
# recorded, between chunks, or while claimed. After each kill the dead
# worker's lease is made to have run out (the time a real restart would
# wait). Then recovery rounds (check(): ask the upload session) and the
# invariants: no post lost, every post published, exactly once on the
# fake, with the fake's video id as its remote id.
. "$(dirname "$0")/lib.sh"
# The fake must outlive the test (ctest TIMEOUT 900, CMakeLists.txt), not
# stop at collect_lib's default 560 s, which a loaded machine reaches.
COLLECT_FAKE_LIFETIME=880
. "$(dirname "$0")/collect_lib.sh"

RUNS=${MEDIADASH_CRASH_RUNS:-1000}
check "fake started" test -n "$(head -1 "$TMP/port")"
check "connect youtube" connect_one youtube UC1 yt-code
head -c 300000 /dev/urandom >"$TMP/clip.mp4" # two 256 KiB chunks
due=$(date -u -d '-1 minute' '+%Y-%m-%d %H:%M')
check "template post" md -q post add --platform youtube --account UC1 \
  --title "template" --media "$TMP/clip.mp4" --at "$due" --zone UTC --draft
control '{"yt_complete_delay": {"p": 0.25, "seconds": 0.25}}'

start=$(date +%s)
check "$RUNS killed runs, then recovery: every invariant holds" \
  python3 - "$BIN" "$DB" "$TMP/md.conf" "$B" "$RUNS" <<'PY'
import json, os, random, signal, sqlite3, subprocess, sys, time, urllib.request

BIN, DB, CONF, B, RUNS = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
random.seed(int.from_bytes(os.urandom(4), "little"))
W = [BIN, "--db", DB, "-q", "worker", "--once", "--batch", "2", "--config", CONF,
     "--set", "youtube.upload_chunk=262144", "--set", "publish.retry_base_s=1"]
db = sqlite3.connect(DB, timeout=30)

def stats():
    return json.load(urllib.request.urlopen(B + "/_stats", timeout=10))

def add_posts(conn, n, first):
    now = int(time.time())
    for i in range(first, first + n):
        cur = conn.execute(
            "INSERT INTO post(platform, account, title, caption, tags, privacy,"
            " media, publish_at, zone, local_time, state, created_at, updated_at)"
            " SELECT platform, account, ?, caption, tags, privacy, media, ?,"
            " zone, local_time, 'scheduled', ?, ? FROM post WHERE title = 'template'",
            ("crash %d" % i, now - 60, now, now))
        conn.execute("INSERT INTO post_event(post_id, at, to_state, note)"
                     " VALUES (?, ?, 'scheduled', 'created')", (cur.lastrowid, now))
    conn.commit()

import threading
lock = threading.Lock()
posts, killed, finished, between = 0, 0, 0, 0
where = {}
took = []

def add_locked(conn):
    global posts
    with lock:
        first = posts
        posts += 2
    add_posts(conn, 2, first)

def calibrate(conn, n):
    """Runs left alone: how long one takes on this machine now."""
    for _ in range(n):
        add_locked(conn)
        t = time.monotonic()
        subprocess.run(W + ["--id", "cal"], check=True, timeout=120)
        with lock:
            took.append(time.monotonic() - t)
            last = sorted(took[-5:])
    return 0.9 * last[len(last) // 2]

def one_run(conn, run, span):
    global killed, finished, between
    add_locked(conn)
    wid = "c%d" % run
    p = subprocess.Popen(W + ["--id", wid], stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL)
    time.sleep(random.uniform(0.0, span))
    k = p.poll() is None
    if k:
        os.kill(p.pid, signal.SIGKILL)
    p.wait()
    rows = conn.execute("SELECT title, state FROM post WHERE claimed_by = ?"
                        " AND state IN ('claimed', 'publishing')", (wid,)).fetchall()
    pub = stats()["published"] if rows else {}
    # the dead worker's lease has run out (a restart would wait for it)
    conn.execute("UPDATE post SET claimed_until = 1 WHERE claimed_by = ?"
                 " AND state IN ('claimed', 'publishing')", (wid,))
    conn.commit()
    with lock:
        killed += k
        finished += not k
        for title, st in rows:
            w = st
            if st == "publishing":
                w = "publishing, on the platform" if pub.get("youtube:" + title) \
                    else "publishing, not on the platform"
                between += w == "publishing, on the platform"
            where[w] = where.get(w, 0) + 1

SLOTS = 3  # workers killed at once: the waits overlap, the test is faster
def slot(i):
    conn = sqlite3.connect(DB, timeout=60)
    span = calibrate(conn, 2)
    run = i
    # RUNS runs that were killed; a run that ended before its kill does
    # not count (at most as many again)
    while run < 2 * RUNS:
        with lock:
            if killed >= RUNS:
                break
        if run >= SLOTS and run % 60 < SLOTS:  # the machine's load changes
            span = calibrate(conn, 1)
        one_run(conn, run, span)
        run += SLOTS
    conn.close()

threads = [threading.Thread(target=slot, args=(i,)) for i in range(SLOTS)]
for t in threads:
    t.start()
for t in threads:
    t.join()

# what the first worker to start does first (expired leases): claimed
# -> scheduled, publishing -> needs_check
states = dict(db.execute("SELECT CASE state WHEN 'claimed' THEN 'scheduled'"
                         " WHEN 'publishing' THEN 'needs_check' ELSE state END AS s,"
                         " count(*) FROM post WHERE title != 'template' GROUP BY s").fetchall())
print("  %d runs: %d killed, %d ended before their kill; %d posts; an unkilled run took %.0f-%.0f ms" % (
    killed + finished, killed, finished, posts, 1000 * min(took), 1000 * max(took)), file=sys.stderr)
print("  in flight at the kills: %s" % json.dumps(where, sort_keys=True), file=sys.stderr)
print("  states before recovery (leases expired): %s" % json.dumps(states, sort_keys=True), file=sys.stderr)

for rnd in range(10):
    left = db.execute("SELECT count(*) FROM post WHERE title != 'template' AND"
                      " state != 'published'").fetchone()[0]
    if left == 0:
        break
    subprocess.run(W + ["--id", "recover%d" % rnd], check=True, timeout=300)
    db.execute("UPDATE post SET claimed_until = 1 WHERE state IN ('claimed', 'publishing')")
    db.commit()

fail = []
rows = db.execute("SELECT id, title, state, remote_id FROM post WHERE title != 'template'").fetchall()
if len(rows) != posts:
    fail.append("lost posts: %d of %d in the database" % (posts - len(rows), posts))
bad = [r for r in rows if r[2] != "published"]
if bad:
    fail.append("%d posts not published after recovery, e.g. %r" % (len(bad), bad[:3]))
pub = stats()["published"]
dups = {k: v for k, v in pub.items() if v != 1}
if dups:
    fail.append("duplicate publishes on the fake: %r" % list(dups.items())[:5])
titles = {"youtube:" + r[1] for r in rows}
if set(pub) != titles:
    fail.append("fake and database disagree: %d vs %d titles" % (len(pub), len(titles)))
ids = [r[3] for r in rows if r[3]]
seen = {}
for i in range(0, len(ids), 50):
    u = "%s/youtube/v3/videos?part=snippet&id=%s" % (B, ",".join(ids[i:i + 50]))
    for it in json.load(urllib.request.urlopen(u, timeout=10))["items"]:
        seen[it["id"]] = it["snippet"]["title"]
wrong = [r for r in rows if seen.get(r[3]) != r[1]]
if wrong:
    fail.append("%d posts whose remote id is not their video, e.g. %r" % (len(wrong), wrong[:3]))
if killed < RUNS:
    fail.append("only %d runs were killed" % killed)
if RUNS >= 100 and between == 0:
    fail.append("no kill landed between the platform's 200 and our commit")
print("  after recovery: %d posts published, %d completed publishes on the fake,"
      " %d kills between the 200 and the commit" % (len(rows) - len(bad), sum(pub.values()), between),
      file=sys.stderr)
for f in fail:
    print("  " + f, file=sys.stderr)
sys.exit(1 if fail else 0)
PY
echo "  crash test took $(($(date +%s) - start)) s" >&2

finish
