#!/usr/bin/env bash
# Browser test of the web dashboard: the real binary serving a real SQLite
# file over 127.0.0.1, driven by Debian's headless Chromium through
# playwright-core (installed by `npm ci` under the build tree, never into the
# source tree). Every step is bounded: the whole run ends within about ten
# minutes even when something hangs (the scheduled post it composes is due
# 30 to 90 s later, and the worker inside serve must publish it).
#
# usage: tests/e2e/run.sh MEDIADASH_BINARY BUILD_DIR
# env:   CHROMIUM (default /usr/bin/chromium), E2E_KEEP=1 keeps the temp dir.
# Screenshots go to BUILD_DIR/e2e-screenshots/.
set -euo pipefail

die() { echo "e2e: $*" >&2; echo "e2e: 0 passed, 1 failed"; exit 1; }

[ $# -eq 2 ] || die "usage: $0 MEDIADASH_BINARY BUILD_DIR"
bin=$(realpath "$1")
build=$(realpath "$2")
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
chromium=${CHROMIUM:-/usr/bin/chromium}

[ -x "$bin" ] || die "no mediadash binary at $bin"
[ -x "$chromium" ] || die "no Chromium at $chromium (tools/install-deps.sh installs it)"
command -v node >/dev/null || die "node is missing (tools/install-deps.sh installs nodejs)"
command -v npm >/dev/null || die "npm is missing (tools/install-deps.sh installs npm)"

# One budget for everything (ctest's TIMEOUT is 1200 s): each step below is
# capped by what is left of it.
budget=${E2E_BUDGET:-1140}
left() { # left CAP: seconds left of the budget, at most CAP, at least 5
  local l=$((budget - SECONDS))
  [ "$l" -gt "$1" ] && l=$1
  [ "$l" -lt 5 ] && l=5
  echo "$l"
}

tmp=$(mktemp -d /tmp/mediadash-e2e-XXXXXX)
server=
fake=
notify_recv=
cleanup() {
  [ -z "$notify_recv" ] || { kill -TERM "$notify_recv" 2>/dev/null; wait "$notify_recv" 2>/dev/null; } || true
  if [ -n "$fake" ]; then
    kill -TERM "$fake" 2>/dev/null || true
    wait "$fake" 2>/dev/null || true
  fi
  if [ -n "$server" ]; then
    kill -TERM "$server" 2>/dev/null || true
    # A server that ignores SIGTERM for 10 s is killed.
    for _ in $(seq 100); do kill -0 "$server" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
  fi
  if [ "${E2E_KEEP:-0}" = 1 ]; then echo "e2e: kept $tmp" >&2; else rm -rf "$tmp"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# 1. playwright-core, exactly as locked, under the build tree. Reinstalled
#    only when the lock file changes.
mods="$build/e2e-node"
mkdir -p "$mods"
if ! cmp -s "$here/package-lock.json" "$mods/package-lock.json" ||
  [ ! -f "$mods/node_modules/playwright-core/package.json" ]; then
  cp "$here/package.json" "$here/package-lock.json" "$mods/"
  echo "e2e: npm ci in $mods" >&2
  (cd "$mods" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 timeout "$(left 90)" \
    npm ci --no-audit --no-fund --ignore-scripts --loglevel=error >&2) ||
    { rm -f "$mods/package-lock.json"; die "npm ci failed"; }
fi

# 2. A database with realistic data: `demo` when the binary has it, else the
#    bundled fixtures (as tools/demo.sh loads them).
db="$tmp/e2e.db"
if timeout 20 "$bin" demo --help >/dev/null 2>&1; then
  timeout "$(left 90)" "$bin" --db "$db" -q demo --items 40 --days 60 --seed 7 >"$tmp/demo.out" 2>&1 ||
    { cat "$tmp/demo.out" >&2; die "mediadash demo failed"; }
else
  echo "e2e: no demo command, importing tests/data fixtures" >&2
  mapfile -t files < <(find "$root/tests/data" -path '*/bad/*' -prune -o \
    -type f \( -name '*.json' -o -name '*.csv' \) -print | sort)
  base=$(($(date -u +%s) / 3600 * 3600 - ${#files[@]} * 3600))
  i=0
  for f in "${files[@]}"; do
    at=$(date -u -d "@$((base + i * 3600))" +%Y-%m-%dT%H:%M:%SZ)
    timeout 20 "$bin" --db "$db" -q import --observed-at "$at" \
      --account youtube:UCmediadashDemoChannel01 "$f" >/dev/null 2>&1 || true
    i=$((i + 1))
  done
fi

# 2a. An item whose snapshots lack a metric: Instagram media report likes
#     and comments, no views; two snapshots, a day apart, so it has a chart.
python3 - "$root/tests/data/instagram/media_page1.json" "$tmp/ig-later.json" <<'PY' || die "cannot write the later Instagram page"
import json, sys
d = json.load(open(sys.argv[1]))
for m in d["data"]:
    m["like_count"] += 100
    m["comments_count"] += 5
json.dump(d, open(sys.argv[2], "w"))
PY
for at in "$(date -u -d '-2 days' +%Y-%m-%dT%H:00:00Z)=$root/tests/data/instagram/media_page1.json" \
  "$(date -u -d '-1 days' +%Y-%m-%dT%H:00:00Z)=$tmp/ig-later.json"; do
  timeout 20 "$bin" --db "$db" -q import --observed-at "${at%%=*}" "${at#*=}" >"$tmp/ig.out" 2>&1 ||
    { cat "$tmp/ig.out" >&2; die "cannot import ${at#*=}"; }
done

# 2c. A video published a day ago (26 hours), on the demo's YouTube
#     channel, with a snapshot every hour since: its item page charts
#     gains per hour. (The demo's deleted video is marked removed.)
python3 - "$db" "$bin" "$tmp" <<'PY' || die "cannot import the young video"
import json, sqlite3, subprocess, sys, time
db, binary, tmp = sys.argv[1:4]
ch = sqlite3.connect(db).execute("SELECT ext_id FROM item WHERE platform = 'youtube' "
                                 "AND type = 'account' ORDER BY id LIMIT 1").fetchone()[0]
hour = int(time.time()) // 3600 * 3600
pub = hour - 26 * 3600 + 300
iso = lambda t: time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))
views = 0
for k in range(27):
    views += 40 + 15 * (k % 5) + (400 if k == 3 else 0)
    d = {"kind": "youtube#videoListResponse", "etag": "e2e-young-%d" % k,
         "pageInfo": {"totalResults": 1, "resultsPerPage": 50},
         "items": [{"kind": "youtube#video", "etag": "e-young-%d" % k, "id": "e2eYoungVid1",
                    "snippet": {"publishedAt": iso(pub), "channelId": ch,
                                "title": "E2E: published yesterday", "channelTitle": "demo"},
                    "statistics": {"viewCount": str(views), "likeCount": str(views // 20),
                                   "commentCount": str(views // 200)}}]}
    f = "%s/young-%d.json" % (tmp, k)
    json.dump(d, open(f, "w"))
    subprocess.run([binary, "--db", db, "-q", "import", "--observed-at", iso(pub + 1500 + k * 3600), f],
                   check=True, timeout=20, stdout=subprocess.DEVNULL)
PY

# 2b. A connected account the platform signed out (needs_relogin), as the
#     collector leaves it after an invalid_grant: the Sources page and the
#     banner must show it. No tokens: the collector makes no call for it.
python3 - "$db" <<'PY' || die "cannot add the needs_relogin account"
import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1])
now = int(time.time())
c.execute("INSERT INTO credential(platform, account, scopes, status, last_error, updated_at) "
          "VALUES ('youtube', 'UCe2eRelogin', '', 'needs_relogin', "
          "'invalid_grant: Token has been expired or revoked.', ?)", (now,))
# An Instagram login whose renewal failed 5 days (and an hour) before its
# end, and a metric Graph refused for reels (issue 12, tests/e2e/igraph.mjs).
c.execute("INSERT INTO credential(platform, account, scopes, status, expires_at, issued_at, "
          "renew_error, updated_at) VALUES ('instagram', '17841400000000099', '', 'ok', ?, ?, "
          "'instagram token endpoint: HTTP 500', ?)", (now + 5 * 86400 + 3600, now - 55 * 86400, now))
c.execute("INSERT INTO dropped_metric(platform, account, kind, metric, dropped_at) "
          "VALUES ('instagram', '17841400000000099', 'REELS/VIDEO', 'views', ?)", (now,))
c.commit()
PY

# 2d. Posts for tests/e2e/states.mjs (issue 14): one due 7 hours ago
#     (serve's worker marks it missed, sending nothing); two due in two
#     days on accounts that cannot publish (the needs_relogin one above,
#     and one never connected); and one published a day ago as the young
#     video above (its remote id), so that it links to that item. Their
#     ids go to $tmp/states.json.
head -c 2048 /dev/urandom >"$tmp/states-clip.mp4"
states_post() { # ACCOUNT TITLE AT: its id
  timeout 20 "$bin" --db "$db" -q post add --platform youtube --account "$1" --title "$2" \
    --media "$tmp/states-clip.mp4" --at "$3" --zone UTC --json |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])'
}
st_missed=$(states_post UC1 "E2E: missed while no worker ran" "$(date -u -d '-7 hours' '+%Y-%m-%d %H:%M')") ||
  die "cannot add the missed post"
st_relogin=$(states_post UCe2eRelogin "E2E: account needs login" "$(date -u -d '+2 days' '+%Y-%m-%d 10:00')") ||
  die "cannot add the needs_relogin post"
st_nobody=$(states_post UCe2eNobody "E2E: account not connected" "$(date -u -d '+2 days' '+%Y-%m-%d 11:00')") ||
  die "cannot add the not connected post"
python3 - "$db" "$tmp/states.json" "$st_missed" "$st_relogin" "$st_nobody" <<'PY' || die "cannot add the published post"
import json, sqlite3, sys
db, out = sys.argv[1:3]
c = sqlite3.connect(db)
pub, acct = c.execute("SELECT v.published_at, coalesce(a.ext_id, 'UC1') FROM item v LEFT JOIN item a "
                      "ON a.id = v.account_id WHERE v.ext_id = 'e2eYoungVid1'").fetchone()
post = c.execute("INSERT INTO post(platform, account, title, media, publish_at, zone, local_time, state, "
                 "attempts, remote_id, remote_url, created_at, updated_at) VALUES ('youtube', ?, "
                 "'E2E: published yesterday', '[]', ?, 'UTC', strftime('%Y-%m-%d %H:%M:%S', ?, 'unixepoch'), "
                 "'published', 1, 'e2eYoungVid1', 'https://www.youtube.com/watch?v=e2eYoungVid1', ?, ?)",
                 (acct, pub, pub, pub - 3600, pub)).lastrowid
c.execute("INSERT INTO post_event(post_id, at, to_state, note) VALUES (?, ?, 'published', 'fixture')", (post, pub))
c.commit()
ids = [int(x) for x in sys.argv[3:6]]
json.dump({"missed": ids[0], "relogin": ids[1], "nobody": ids[2], "published": post}, open(out, "w"))
PY

# 2h. Health data for tests/e2e/health.mjs (issue 16): Oura pages in the
#     shape of ../shared/realdata/oura, for the 21 days before today, with
#     readiness and sleep scores high, low and in between in turn, six heart
#     rate samples a day, a meditation's own samples (9 of 10 read), a run
#     every fourth day, imported into the health tables like saved pages.
python3 - "$tmp/oura" <<'PY' || die "cannot write the Oura pages"
import datetime, json, os, sys
out = sys.argv[1]
os.makedirs(out, exist_ok=True)
today = datetime.date.today()
days = [today - datetime.timedelta(days=21 - i) for i in range(21)]
ready, sleep, act, periods, spo2, sessions, hr, workouts = [], [], [], [], [], [], [], []
for i, d in enumerate(days):
    ds, ts = d.isoformat(), d.isoformat() + "T04:00:00+00:00"
    ready.append({"id": "e2e-r-%d" % i, "day": ds, "timestamp": ts, "score": [91, 62, 78][i % 3],
                  "temperature_deviation": 0.1, "temperature_trend_deviation": 0.0,
                  "contributors": {"hrv_balance": 70, "resting_heart_rate": 80}})
    sleep.append({"id": "e2e-s-%d" % i, "day": ds, "timestamp": ts, "score": [88, 64, 80][(i + 1) % 3],
                  "contributors": {"deep_sleep": 80, "total_sleep": 75}})
    act.append({"id": "e2e-a-%d" % i, "day": ds, "timestamp": ts, "score": 70 + i % 15,
                "steps": 6000 + 250 * i, "active_calories": 300 + i,
                "contributors": {"stay_active": 70, "meet_daily_targets": 60}})
    start = datetime.datetime.combine(d - datetime.timedelta(days=1), datetime.time(23, 10))
    total = 23400 + 600 * (i % 6)
    periods.append({"id": "e2e-p-%d" % i, "day": ds, "type": "long_sleep",
                    "bedtime_start": start.isoformat() + "+00:00",
                    "bedtime_end": (start + datetime.timedelta(seconds=total + 1500)).isoformat() + "+00:00",
                    "total_sleep_duration": total, "time_in_bed": total + 1500, "efficiency": 90,
                    "lowest_heart_rate": 48 + i % 5, "average_hrv": 40,
                    "low_battery_alert": False, "period": 0})
    # a night's SpO2 on every day but the second (which has no session
    # either); a 10 min meditation every other day and a 5 min breathing
    # session every third day
    if i != 1:
        spo2.append({"id": "e2e-o-%d" % i, "day": ds, "spo2_percentage": {"average": 94 + (i % 5) * 0.7},
                     "breathing_disturbance_index": 5 + i % 4})
    for n, (typ, every, mins) in enumerate((("meditation", 2, 10), ("breathing", 3, 5))):
        if i % every == 0:
            t0 = datetime.datetime.combine(d, datetime.time(7 + 5 * n, 0))
            beats = {"interval": 60.0, "timestamp": t0.isoformat() + "+00:00",
                     "items": [68.0, 66.0, None, 63.0, 62.0, 61.0, 60.0, 60.0, 59.0, 58.0]}
            sessions.append({"id": "e2e-m-%d-%d" % (i, n), "day": ds, "type": typ, "mood": "good",
                             "start_datetime": t0.isoformat() + "+00:00",
                             "end_datetime": (t0 + datetime.timedelta(minutes=mins)).isoformat() + "+00:00",
                             "heart_rate": beats if typ == "meditation" else None,
                             "heart_rate_variability": None, "motion_count": None})
    for hh, bpm in ((2, 52 + i % 3), (6, 58), (10, 72), (14, 95 + i % 7), (18, 80), (22, 61)):
        hr.append({"bpm": bpm, "source": "rest" if hh in (2, 22) else "awake",
                   "timestamp": "%sT%02d:00:00+00:00" % (ds, hh)})
    if i % 4 == 0:
        t0 = datetime.datetime.combine(d, datetime.time(17, 0))
        workouts.append({"id": "e2e-w-%d" % i, "day": ds, "activity": "running", "intensity": "moderate",
                         "source": "manual", "calories": 410.5 + i, "distance": 8000.0, "label": None,
                         "start_datetime": t0.isoformat() + "+00:00",
                         "end_datetime": (t0 + datetime.timedelta(minutes=45)).isoformat() + "+00:00"})
for name, data in (("daily_readiness", ready), ("daily_sleep", sleep), ("daily_activity", act), ("sleep", periods),
                   ("daily_spo2", spo2), ("session", sessions), ("heartrate", hr), ("workout", workouts)):
    json.dump({"data": data, "next_token": None}, open(os.path.join(out, name + ".json"), "w"))
PY
timeout "$(left 30)" "$bin" --db "$db" -q import "$tmp"/oura/*.json >"$tmp/oura.out" 2>&1 ||
  { cat "$tmp/oura.out" >&2; die "cannot import the Oura pages"; }

# 3. A user to log in as. The password goes through a file, never argv.
user=e2e-user
password="e2e-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
printf '%s\n' "$password" >"$tmp/password"
chmod 600 "$tmp/password"
timeout 30 "$bin" --db "$db" user add "$user" --password-file "$tmp/password" \
  >"$tmp/user.out" 2>&1 ||
  { cat "$tmp/user.out" >&2; die "'mediadash user add' failed (is login built in?)"; }

# 3b. The fake platform server (tests/fakeplat) and a YouTube account
#     (UC1) connected through its OAuth as a user would (connect
#     --no-listen, then --code/--state). The compose step publishes to
#     YouTube on the fake when this build has a YouTube publisher
#     (GET /api/v1/publishers), else to dryrun.
python3 "$root/tests/fakeplat/fakeplat.py" --data "$root/tests/data/fakeplat/dataset.json" \
  --max-lifetime 600 >"$tmp/fake.port" 2>"$tmp/fake.err" &
fake=$!
for _ in $(seq 100); do [ -s "$tmp/fake.port" ] && break; sleep 0.1; done
[ -s "$tmp/fake.port" ] || { cat "$tmp/fake.err" >&2; die "the fake platform server did not start"; }
fake_url="http://127.0.0.1:$(head -1 "$tmp/fake.port")"
cb="http://127.0.0.1:9/oauth/callback"
cat >"$tmp/md.conf" <<CONF
[youtube]
client_id = fake-google-client
auth_url = $fake_url/o/oauth2/v2/auth
token_url = $fake_url/token
api_base = $fake_url
redirect_uri = $cb
# Everything the collector and the publishers inside serve may call is
# the fake: tests talk to 127.0.0.1 only.
[instagram]
token_url = $fake_url/oauth/access_token
api_base = $fake_url
[tiktok]
token_url = $fake_url/v2/oauth/token/
api_base = $fake_url
[collect]
youtube_analytics_base = $fake_url
CONF
export MEDIADASH_YOUTUBE_CLIENT_SECRET=fake-google-secret
md_conf() { timeout 30 "$bin" --db "$db" "$@" --config "$tmp/md.conf"; }
md_conf connect youtube --account UC1 --no-listen >"$tmp/cn.out" 2>&1 ||
  { cat "$tmp/cn.out" >&2; die "connect youtube --no-listen failed"; }
param() { sed -n "s/.*[?&]$1=\([^&]*\).*/\1/p" "$tmp/cn.out" | head -1; }
state=$(param state)
codes="{\"oauth_codes\": {\"e2e-code\": {\"client_id\": \"$(param client_id)\", \"redirect_uri\": \"$cb\", \"code_challenge\": \"$(param code_challenge)\"}}}"
curl -sS --max-time 10 -o /dev/null -d "$codes" "$fake_url/_control" || die "the fake's /_control failed"
md_conf connect youtube --state "$state" --code e2e-code >"$tmp/cn.out" 2>&1 ||
  { cat "$tmp/cn.out" >&2; die "connect youtube --code failed"; }

# 3c. A webhook receiver and an SMTP server (tests/integration/
#     notify_recv.py, Debian's python3-aiosmtpd) for the Notifications
#     page's test button (tests/e2e/notify.mjs).
npy=python3
python3 -c 'import aiosmtpd' 2>/dev/null || npy=/usr/bin/python3
$npy "$root/tests/integration/notify_recv.py" "$tmp/notify" >"$tmp/notify.ports" 2>"$tmp/notify.err" &
notify_recv=$!
for _ in $(seq 100); do grep -q '^smtp ' "$tmp/notify.ports" 2>/dev/null && break; sleep 0.1; done
grep -q '^smtp ' "$tmp/notify.ports" || { cat "$tmp/notify.err" >&2; die "the notification receivers did not start"; }
cat >>"$tmp/md.conf" <<CONF
[notify]
webhook_url = http://127.0.0.1:$(awk '/^webhook/{print $2}' "$tmp/notify.ports")/e2e-hook
smtp_url = smtp://127.0.0.1:$(awk '/^smtp/{print $2}' "$tmp/notify.ports")
smtp_from = dash@example.com
smtp_to = me@example.com
smtp_starttls = 0
CONF
export MEDIADASH_NOTIFY_WEBHOOK_SECRET=e2e-secret

# 4. The server, on a free port; it prints the bound address on stderr.
# --no-collect: the pages are checked against the imported data set; the
# collector inside serve has its own test (test_serve_collect).
"$bin" --db "$db" serve --listen 127.0.0.1:0 --config "$tmp/md.conf" --no-collect 2>"$tmp/serve.err" &
server=$!
port=
for _ in $(seq 300); do
  port=$(grep -o '127\.0\.0\.1:[0-9]*' "$tmp/serve.err" | head -1 | cut -d: -f2 || true)
  [ -n "$port" ] && break
  kill -0 "$server" 2>/dev/null || break
  sleep 0.1
done
[ -n "$port" ] || { cat "$tmp/serve.err" >&2; die "server did not start"; }
echo "e2e: server on 127.0.0.1:$port" >&2

# 5. The browser test itself.
shots="$build/e2e-screenshots"
rm -rf "$shots"
mkdir -p "$shots"
status=0
E2E_FAKE_URL="$fake_url" E2E_URL="http://127.0.0.1:$port" E2E_USER="$user" E2E_PASSWORD_FILE="$tmp/password" \
  E2E_NODE_MODULES="$mods/node_modules" E2E_SHOTS="$shots" E2E_TMP="$tmp" E2E_NOTIFY_DIR="$tmp/notify" \
  E2E_DATA="$root/tests/data" E2E_CHROMIUM="$chromium" \
  E2E_BUDGET_MS=$(($(left 1120) * 1000 - 5000)) \
  timeout -k 5 "$(left 1120)" node "$here/e2e.mjs" || status=$?
[ "$status" -eq 124 ] && echo "e2e: timed out" >&2

# 6. The server must still be alive, and stop cleanly.
if ! kill -0 "$server" 2>/dev/null; then
  echo "e2e: the server died during the test; its stderr:" >&2
  tail -50 "$tmp/serve.err" >&2
  status=1
else
  kill -TERM "$server"
  rc=0
  for _ in $(seq 100); do kill -0 "$server" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$server" 2>/dev/null; then
    echo "e2e: the server did not stop within 10 s of SIGTERM" >&2
    kill -KILL "$server"
  fi
  wait "$server" || rc=$?
  server=
  if [ "$rc" -ne 0 ]; then
    echo "e2e: the server exited $rc on SIGTERM; its stderr:" >&2
    tail -50 "$tmp/serve.err" >&2
    status=1
  fi
fi
exit "$status"
