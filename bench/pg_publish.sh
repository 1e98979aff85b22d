#!/usr/bin/env bash
# Publishing on PostgreSQL at scale (issue 17's target; bench/README.md
# "Publishing on PostgreSQL"): POSTS YouTube posts due at once, WORKERS
# `mediadash worker` processes against one PostgreSQL, KILLS random
# SIGKILLs of workers during the run (each killed worker is started again
# under a new id, so WORKERS keep running). Half the workers connect over
# TCP to 127.0.0.1 and half to 127.0.0.2 (the server listens on both, for
# this run only), standing for two hosts (Linux gives loopback
# connections the source 127.0.0.1 whatever they dial, so the server's
# client_addr is the same for both groups; network namespaces would
# change that, and are not used here). The fake platform server (tests/fakeplat/fakeplat.py)
# records every publish. At the end: every post published or
# needs_check, the fake's record agreeing (a published post is on the
# fake exactly once), 0 duplicates, 0 lost; the figures are printed.
#
#   bench/pg_publish.sh [POSTS [WORKERS [KILLS]]]     (100000 8 20)
#   MEDIADASH_BIN=build-rel/mediadash bench/pg_publish.sh 20000
#
# Needs postgresql-15 (tools/install-deps.sh); as root the server runs as
# the system user mediadash-pgtest, as in the tests (tests/pg/pgcluster.sh,
# whose cluster this is, with fsync off: a throwaway cluster).
set -euo pipefail

POSTS=${1:-100000}
WORKERS=${2:-8}
KILLS=${3:-20}
LEASE=${MEDIADASH_BENCH_LEASE:-30}
# The pause before each kill, ms (uniform): the default spends 20 kills
# in about a minute; a long run spreads them with a wider gap.
read -r GAP_MIN GAP_MAX <<<"${MEDIADASH_BENCH_KILL_GAP_MS:-500 3000}"
SRC=${MEDIADASH_SRC:-$(cd "$(dirname "$0")/.." && pwd)}
BIN=${MEDIADASH_BIN:-$SRC/build/mediadash}
PGBIN=${MEDIADASH_PGBIN:-/usr/lib/postgresql/15/bin}
WORK=$(mktemp -d /tmp/mediadash-bench-pgpub-XXXXXX)
CLUSTER="bash $SRC/tests/pg/pgcluster.sh"
PIDS=()

cleanup() {
  for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null || true; done
  if [ -n "${MEDIADASH_BENCH_PGLOG:-}" ] && [ -f "$WORK/pg/datadir" ]; then
    cp "$(cat "$WORK/pg/datadir")/server.log" "$MEDIADASH_BENCH_PGLOG" || true
  fi
  $CLUSTER stop "$WORK/pg" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT
say() { printf '[%5ds] %s\n' "$SECONDS" "$*" >&2; }
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u mediadash-pgtest -- "$@"; else "$@"; fi; }

# ---- the cluster, listening on 127.0.0.1 and 127.0.0.2 -------------------
$CLUSTER start "$WORK/pg" >/dev/null
DATA=$(cat "$WORK/pg/datadir")
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat >>"$DATA/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1,127.0.0.2'
port = $PORT
max_connections = 100
shared_buffers = 128MB
log_min_duration_statement = ${MEDIADASH_BENCH_PG_SLOW_MS:--1}
CONF
echo "host all all 127.0.0.0/8 trust" >>"$DATA/pg_hba.conf"
as_pg "$PGBIN/pg_ctl" -D "$DATA" -l "$DATA/server.log" -w -t 60 restart >/dev/null
ADMIN="postgresql://postgres@127.0.0.1:$PORT/postgres"
"$PGBIN/psql" -X -q -d "$ADMIN" -c "CREATE DATABASE bench" >/dev/null
DB_A="postgresql://postgres@127.0.0.1:$PORT/bench"
DB_B="postgresql://postgres@127.0.0.2:$PORT/bench"
q() { "$PGBIN/psql" -X -q -At -v ON_ERROR_STOP=1 -d "$DB_A" -c "$1"; }
export MEDIADASH_SECRET_KEY_FILE="$WORK/key" MEDIADASH_MEDIA_ROOT="$WORK/media"
mkdir -p "$MEDIADASH_MEDIA_ROOT"
md() { "$BIN" --db "$DB_A" "$@"; }

# ---- the fake platform and one connected YouTube account ---------------
python3 "$SRC/tests/fakeplat/fakeplat.py" --data "$SRC/tests/data/fakeplat/dataset.json" \
  --max-lifetime 7200 >"$WORK/port" &
PIDS+=($!)
for _ in $(seq 100); do [ -s "$WORK/port" ] && break; sleep 0.1; done
B="http://127.0.0.1:$(head -1 "$WORK/port")"
CB="http://127.0.0.1:9/oauth/callback"
cat >"$WORK/md.conf" <<CONF
[youtube]
client_id = fake-google-client
auth_url = $B/o/oauth2/v2/auth
token_url = $B/token
api_base = $B
redirect_uri = $CB
CONF
export MEDIADASH_CONFIG="$WORK/md.conf" MEDIADASH_YOUTUBE_CLIENT_SECRET=fake-google-secret
param() { sed -n "s/.*[?&]$2=\([^&]*\).*/\1/p" "$1" | head -1; }
md connect youtube --account UC1 --no-listen >"$WORK/cn" 2>&1
curl -sS --max-time 10 -o /dev/null "$B/_control" -d "{\"oauth_codes\": {\"c1\": {\"client_id\": \"$(param "$WORK/cn" client_id)\", \"redirect_uri\": \"$CB\", \"code_challenge\": \"$(param "$WORK/cn" code_challenge)\"}}}"
md connect youtube --state "$(param "$WORK/cn" state)" --code c1 >/dev/null 2>&1
head -c 2048 /dev/urandom >"$WORK/tiny.mp4"
md -q post add --platform youtube --account UC1 --title template \
  --media "$WORK/tiny.mp4" --at "$(date -u -d '+1 day' '+%Y-%m-%d %H:%M')" --zone UTC >/dev/null
q "INSERT INTO post(platform, account, title, caption, tags, privacy, media,
     publish_at, zone, local_time, state, created_at, updated_at)
   SELECT platform, account, 'b ' || i, caption, tags, privacy, media,
     extract(epoch FROM now())::bigint - 60, zone, local_time, 'scheduled',
     created_at, updated_at FROM post, generate_series(1, $POSTS) i WHERE title = 'template';
   UPDATE post SET state = 'cancelled' WHERE title = 'template';
   INSERT INTO post_event(post_id, at, to_state, note)
   SELECT id, created_at, 'scheduled', 'created' FROM post WHERE title LIKE 'b %'"
say "$POSTS posts due, $WORKERS workers, $KILLS kills, lease ${LEASE}s"

# ---- the run --------------------------------------------------------------
declare -a WPID WID
NEXT=0
start_worker() { # start_worker SLOT
  local slot=$1 db=$DB_A
  [ $((slot % 2)) -eq 1 ] && db=$DB_B
  NEXT=$((NEXT + 1))
  "$BIN" --db "$db" -q worker --id "w$NEXT" --lease "$LEASE" --batch 20 \
    --interval 600 2>>"$WORK/workers.err" &
  WPID[$slot]=$!
  WID[$slot]=w$NEXT
  PIDS+=($!)
}
left() { q "SELECT count(*) FROM post WHERE title LIKE 'b %' AND state NOT IN ('published', 'needs_check')"; }
T0=$(date +%s.%N)
for s in $(seq 0 $((WORKERS - 1))); do start_worker "$s"; done
sleep 2
# The workers' connections by the server address they reached (Linux
# gives both groups the loopback source 127.0.0.1, so pg_stat_activity's
# client_addr is the same: the groups differ by the address they dial).
addrs() {
  ss -Htn state established "( dport = :$PORT )" | awk '{print $4}' |
    sed 's/:[0-9]*$//' | sort | uniq -c | tr -s ' ' | tr '\n' ','
}
killed=0
killed_publishing=0
while [ "$(left)" -gt 0 ]; do
  if [ "$killed" -lt "$KILLS" ]; then
    # GAP_MIN to GAP_MAX ms, from bash itself: a python3 start per kill
    # cost the loop up to a second at high load.
    ms=$((GAP_MIN + (RANDOM * 32768 + RANDOM) % (GAP_MAX - GAP_MIN + 1)))
    sleep "$((ms / 1000)).$(printf '%03d' $((ms % 1000)))"
    [ "$killed" -eq 0 ] && say "worker connections by server address: $(addrs)"
    s=$((RANDOM % WORKERS))
    inpub=$(q "SELECT count(*) FROM post WHERE state = 'publishing' AND claimed_by = '${WID[$s]}'")
    kill -9 "${WPID[$s]}" 2>/dev/null || true
    wait "${WPID[$s]}" 2>/dev/null || true
    killed=$((killed + 1))
    [ "$inpub" -gt 0 ] && killed_publishing=$((killed_publishing + 1))
    start_worker "$s"
  else
    sleep 2
  fi
  if [ $((SECONDS % 30)) -lt 3 ]; then
    say "left: $(left), kills: $killed, connections by server address: $(addrs)"
  fi
done
T1=$(date +%s.%N)
for s in $(seq 0 $((WORKERS - 1))); do kill -TERM "${WPID[$s]}" 2>/dev/null || true; done
for s in $(seq 0 $((WORKERS - 1))); do wait "${WPID[$s]}" 2>/dev/null || true; done

# ---- the checks ------------------------------------------------------------
q "SELECT title || '|' || state FROM post WHERE title LIKE 'b %'" >"$WORK/states"
curl -s --max-time 60 "$B/_stats" >"$WORK/stats"
python3 - "$POSTS" "$WORK/states" "$WORK/stats" "$T0" "$T1" "$killed" "$WORKERS" <<'PY'
import json, sys
n = int(sys.argv[1])
states = dict(l.rstrip("\n").split("|") for l in open(sys.argv[2]) if l.strip())
stats = json.load(open(sys.argv[3]))
pub = stats["published"]
dup = sum(1 for t in states if pub.get("youtube:" + t, 0) > 1)
disagree = sum(1 for t, s in states.items()
               if s == "published" and pub.get("youtube:" + t, 0) != 1)
lost = sum(1 for s in states.values() if s not in ("published", "needs_check"))
done = sum(1 for s in states.values() if s == "published")
check = sum(1 for s in states.values() if s == "needs_check")
check_on_fake = sum(1 for t, s in states.items()
                    if s == "needs_check" and pub.get("youtube:" + t, 0) == 1)
fake = sum(pub.get("youtube:" + t, 0) for t in states)
secs = float(sys.argv[5]) - float(sys.argv[4])
print("posts %d, workers %s, kills %s: %.0f s, %.0f posts/s" % (
    n, sys.argv[7], sys.argv[6], secs, n / secs))
print("published %d, needs_check %d (%d of them on the fake), lost %d" % (
    done, check, check_on_fake, lost))
print("fake: %d publishes, %d upload sessions, duplicates %d, published-but-not-on-fake %d" % (
    fake, stats["methods"].get("POST /upload/youtube/v3/videos", 0), dup, disagree))
ok = len(states) == n and dup == 0 and disagree == 0 and lost == 0
print("RESULT: %s" % ("ok" if ok else "FAILED"))
sys.exit(0 if ok else 1)
PY
say "kills while a post was publishing: $killed_publishing of $killed"
say "taken back: $(q "SELECT string_agg(n || ' ' || f || '->' || t, ', ') FROM
  (SELECT from_state AS f, to_state AS t, count(*) AS n FROM post_event WHERE
   (from_state, to_state) IN (('claimed', 'scheduled'), ('publishing', 'needs_check'),
   ('needs_check', 'scheduled'), ('needs_check', 'published')) GROUP BY 1, 2) x")"
