# Four `mediadash worker --once` processes started together against one
# SQLite file holding 2,000 posts due at the same second: every post must
# be claimed exactly once (one scheduled -> claimed event each) and
# published once. Also: a lease that ran out while publishing ends in
# needs_check, never in a second publish.
. "$(dirname "$0")/lib.sh"

DB="$TMP/workers.db"
N=2000
md() { "$BIN" --db "$DB" "$@"; }
q() { sqlite3 "$DB" "$1"; }

head -c 4096 /dev/urandom >"$TMP/clip.mp4"
due=$(date -u -d '-1 minute' '+%Y-%m-%d %H:%M')
check "one post added" md -q post add --platform dryrun --account acct \
  --title "clip 1" --media "$TMP/clip.mp4" --at "$due" --zone UTC
copy_posts "$DB" "$N" "clip"
check "$N posts scheduled, due at one second" test \
  "$(q "SELECT count(*) || ' ' || count(DISTINCT publish_at) FROM post WHERE state = 'scheduled'")" = "$N 1"

start=$(date +%s)
pids=()
for i in 1 2 3 4; do
  md worker --once --id "w$i" --batch 25 2>"$TMP/w$i.err" &
  pids+=($!)
done
rcs=0
for p in "${pids[@]}"; do wait "$p" || rcs=$((rcs + 1)); done
echo "  4 workers took $(($(date +%s) - start)) s" >&2
cat "$TMP"/w?.err >&2
check "every worker exited 0" test "$rcs" = 0
check "every post published" test \
  "$(q "SELECT count(*) FROM post WHERE state = 'published'")" = "$N"
check "exactly one claim per post, $N in all" test \
  "$(q "SELECT count(*) || ' ' || sum(c) || ' ' || min(c) || ' ' || max(c) FROM (SELECT post_id, count(*) AS c FROM post_event WHERE to_state = 'claimed' GROUP BY post_id)")" = "$N $N 1 1"
check "exactly one publish attempt per post" test \
  "$(q "SELECT count(*) FROM post_event WHERE to_state = 'publishing'") $(q "SELECT max(attempts) FROM post")" = "$N 1"
check "each post's remote id is its own" test \
  "$(q "SELECT count(*) FROM post WHERE remote_id = 'dryrun-' || id")" = "$N"
check "the claims counted by the workers add up to $N" test \
  "$(cat "$TMP"/w?.err | sed -n 's/.*claimed \([0-9]*\),.*/\1/p' | paste -sd+ | bc)" = "$N"
echo "  claims per worker: $(q "SELECT group_concat(n, ' ') FROM (SELECT substr(note, 4, 2) || '=' || count(*) AS n FROM post_event WHERE to_state = 'claimed' GROUP BY substr(note, 4, 2))")" >&2

# --- crash recovery ----------------------------------------------------
# A worker died while publishing post 1 (lease ran out) and another while
# post 2 was only claimed.
check "post 3 added" md -q post add --platform dryrun --account acct \
  --title "crash" --media "$TMP/clip.mp4" --at "$due" --zone UTC
check "post 4 added" md -q post add --platform dryrun --account acct \
  --title "crash 2" --media "$TMP/clip.mp4" --at "$due" --zone UTC
q "UPDATE post SET state = 'publishing', claimed_by = 'dead', claimed_until = 1 WHERE id = $((N + 1));
   UPDATE post SET state = 'claimed', claimed_by = 'dead', claimed_until = 1 WHERE id = $((N + 2));"
check "recovery round" md -q worker --once --id w9
check "publishing + expired lease -> needs_check, not published again" test \
  "$(q "SELECT state || ' ' || attempts FROM post WHERE id = $((N + 1))")" = "needs_check 0"
check "claimed + expired lease -> scheduled, then published" test \
  "$(q "SELECT state FROM post WHERE id = $((N + 2))")" = "published"
run 0 md post show $((N + 1))
check "the audit trail says why" contains "$TMP/out" "lease expired while publishing"

finish
