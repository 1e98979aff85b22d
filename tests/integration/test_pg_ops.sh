# Operating a PostgreSQL install (docs/postgresql.md, "Operating it"):
# `--version --db` against this program's PostgreSQL schema, `doctor`'s
# facts and consistency checks (a broken latest value and a broken
# rollup found, `rollup --rebuild` mending the rollup), `backup` and
# `restore` refused naming pg_dump and `db copy`, no password in any of
# it; `serve --db-read FILE` answering the read routes (and MCP's) from
# FILE while sessions and the operational routes use --db; and
# `collect --loop` and serve's collector idle until a connect by another
# process NOTIFYs them, then collecting within seconds, not at their
# five-minute wait. One database on the tests' cluster (fixture pg), the
# fake platform server (collect_lib.sh).
COLLECT_FAKE_LIFETIME=280
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/collect_lib.sh"

PGBIN=${MEDIADASH_PGBIN:-/usr/lib/postgresql/15/bin}
BASE=$(pg_newdb pgops) || { echo "no PostgreSQL database" >&2; exit 1; }
# A password in the URI (the cluster trusts local connections and never
# asks for it): no output may show it.
case "$BASE" in *\?*) DB="$BASE&password=hunter2secret" ;; *) DB="$BASE?password=hunter2secret" ;; esac
export MEDIADASH_SECRET_KEY_FILE="$TMP/pg.key"
export MEDIADASH_MEDIA_ROOT="$TMP/media"
mkdir -p "$MEDIADASH_MEDIA_ROOT"
q() { "$PGBIN/psql" -X -q -At -v ON_ERROR_STOP=1 -d "$BASE" -c "$1"; }
LOOP=
trap 'kill $LOOP $SERVERS 2>/dev/null; wait 2>/dev/null; rm -rf "$TMP"' EXIT
now() { date +%s.%N; }
# run_any CMD...: like run, whatever the exit status (doctor exits 1 for
# checks of the fake's tokens that are not this test's).
run_any() { "$@" >"$TMP/out" 2>"$TMP/err"; true; }

# ---- --version --db: the PostgreSQL numbering --------------------------
check "version before any migration" run 0 "$BIN" --version --db "$DB"
check "an empty database: upgraded when opened" contains "$TMP/out" "(upgraded when opened)"
check "sources opens (migrates) it" run 0 md sources
check "version after" run 0 "$BIN" --version --db "$DB"
LATEST=$(ls "$SRC/src/store/pg/sql" | sed -n 's/^\([0-9]*\)_.*/\1/p' | sort -n | tail -1 | sed 's/^0*//')
check "PostgreSQL schema is this program's" contains "$TMP/out" "PostgreSQL schema $LATEST, this program's $LATEST"
check "not 'upgraded' any more" lacks "$TMP/out" "upgraded"
check "no password in --version" lacks "$TMP/out" hunter2secret

# ---- collect --loop wakes on a connect ---------------------------------
check "connect tiktok" connect_one tiktok tt-any tt-code-1
"$BIN" --db "$DB" collect --loop >"$TMP/loop.out" 2>"$TMP/loop.err" &
LOOP=$!
# The first round collects tiktok (listening started before it); its
# jobs are then due in an hour or more: the loop waits its longest, 300 s.
for _ in $(seq 600); do grep -q '^tiktok' "$TMP/loop.out" && break; sleep 0.1; done
check "the loop's first round collected tiktok" grep -q '^tiktok tt-any: ok' "$TMP/loop.out"
LINES=$(wc -l <"$TMP/loop.out")
sleep 2
check "idle: no round in 2 s (nothing due, no wake-up)" test "$(wc -l <"$TMP/loop.out")" = "$LINES"
# Connecting the account again (another process) puts its credential:
# the NOTIFY starts a round at once.
check "connect tiktok again (another process)" connect_one tiktok tt-any tt-code-2
T0=$(now)
for _ in $(seq 300); do [ "$(wc -l <"$TMP/loop.out")" -gt "$LINES" ] && break; sleep 0.05; done
T1=$(now)
check "the loop ran a round" test "$(wc -l <"$TMP/loop.out")" -gt "$LINES"
check "within 5 s of the connect, not its 300 s wait" python3 -c "import sys; sys.exit(0 if $T1 - $T0 < 5 else 1)"
echo "woken in $(python3 -c "print(round($T1 - $T0, 2))") s"
kill -TERM $LOOP
wait $LOOP
RC=$?
check "SIGTERM ends the loop with 0 (got $RC)" test "$RC" = 0
LOOP=
check "no database error in the loop" lacks "$TMP/loop.err" "collect:"
grep "collect:" "$TMP/loop.err" | head -3 | sed "s/^/    /" >&2 || true

# ---- doctor --------------------------------------------------------------
"$BIN" --db "$DB" doctor >"$TMP/doc" 2>&1
check "doctor: quick consistency check ok" grep -q '^ok    database .*quick consistency check ok' "$TMP/doc"
check "doctor: schema" grep -q "^ok    schema      schema version $LATEST" "$TMP/doc"
check "doctor: server version and rows" grep -q '^ok    rows        PostgreSQL [0-9].*: item [1-9]' "$TMP/doc"
check "doctor: the disk is the server's" contains "$TMP/doc" "on the database server"
check "doctor: no overdue posts" contains "$TMP/doc" "no scheduled post overdue"
check "doctor: no password" lacks "$TMP/doc" hunter2secret
check "doctor --full" run_any "$BIN" --db "$DB" doctor --full --json
check "doctor --full --json: database ok" python3 -c '
import json,sys; d=json.load(open(sys.argv[1]))
c=[x for x in d["checks"] if x["check"] == "database"]
sys.exit(0 if c and c[0]["status"] == "ok" and "consistency check ok" in c[0]["message"] else 1)' "$TMP/out"

# A broken rollup (the sample of the quick check) and a broken latest
# value (the full check's scan).
q "UPDATE item_day SET last_v = last_v + 1 WHERE (item_id, metric_id, day) = (SELECT item_id, metric_id, day FROM item_day ORDER BY item_id DESC LIMIT 1)"
q "UPDATE item_latest SET ival = ival + 7 WHERE (item_id, metric_id) = (SELECT item_id, metric_id FROM item_latest WHERE ival IS NOT NULL ORDER BY item_id LIMIT 1)"
check "doctor fails" run 1 "$BIN" --db "$DB" doctor
check "names the broken rollup" contains "$TMP/out" "1 sampled daily rollups that differ from the snapshots"
check "says to rebuild" contains "$TMP/out" "rollup --rebuild"
check "doctor --full fails" run 1 "$BIN" --db "$DB" doctor --full
check "names the stale latest value" contains "$TMP/out" "1 latest values that are not the newest snapshot's"
check "rollup --rebuild" run 0 md rollup --rebuild
check "doctor: the rollups mended" run_any "$BIN" --db "$DB" doctor
check "no rollup problem left" lacks "$TMP/out" "sampled daily rollups"

# ---- serve --db-read: reads from another database, writes to --db --------
# A SQLite file with other data (the demo's accounts) as the read
# database: the read routes answer from it, the login's session and the
# operational routes (sources) are --db's.
check "a different read database" run 0 "$BIN" --db "$TMP/read.db" demo --items 5 --days 3
# Its collector on: a connect by another process kicks it (serve_wake).
check "serve --db-read" serve_start "$DB" --no-worker --db-read "$TMP/read.db"
check "says where reads come from" contains "$SERVE_ERR" "reads from $TMP/read.db"
check "no password in serve's lines" lacks "$SERVE_ERR" hunter2secret
check "login (a session written to --db)" login "$DB" "$URL" ann 'correct horse battery'
curl -s -m 20 -b "$COOKIES" -o "$TMP/acc.json" "$URL/api/v1/accounts"
check "read route: the read database's accounts" contains "$TMP/acc.json" '"@pixelpaceruns"'
check "read route: not --db's" lacks "$TMP/acc.json" '"tt-any"'
curl -s -m 20 -b "$COOKIES" -o "$TMP/src.json" "$URL/api/v1/sources"
check "operational route: --db's accounts" contains "$TMP/src.json" '"tt-any"'
check "the session is in --db" test "$(q 'SELECT count(*) FROM session')" -ge 1
check "and not in the read database" test "$(sqlite3 "$TMP/read.db" 'SELECT count(*) FROM session')" = 0
# /mcp: its read tools answer from the read database too (the token is
# --db's); the report's YouTube content count is the read route's.
curl -s -m 20 -b "$COOKIES" -o "$TMP/rep.json" "$URL/api/v1/report?platform=youtube"
"$BIN" --db "$DB" -q token add mcp --scope read >"$TMP/tok"
MH=(-H "Authorization: Bearer $(cat "$TMP/tok")" -H 'Content-Type: application/json' -H 'Accept: application/json, text/event-stream')
curl -s -m 20 -D "$TMP/mh" "${MH[@]}" --data '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}' "$URL/mcp" >/dev/null
SID=$(sed -n 's/^[Mm]cp-[Ss]ession-[Ii]d: *\([^\r]*\).*/\1/p' "$TMP/mh")
curl -s -m 20 "${MH[@]}" -H "Mcp-Session-Id: $SID" --data '{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"get_report","arguments":{"platform":"youtube"}}}' "$URL/mcp" >"$TMP/mcp.json"
check "MCP get_report reads the read database" python3 -c '
import json,sys
api = json.load(open(sys.argv[1]))["platforms"]["youtube"]["content"]
mcp = json.loads(json.load(open(sys.argv[2]))["result"]["content"][0]["text"])
mcp = mcp["platforms"]["youtube"]["content"]
sys.exit(0 if api == mcp and api < 10 else 1)' "$TMP/rep.json" "$TMP/mcp.json"
# serve's collector, idle after its first round (tiktok: nothing due),
# collects a new account at once.
# Its wake-up connection's last statement stays its LISTEN (a wait sends
# nothing); the collector's first round is over well within the second.
for _ in $(seq 100); do
  [ "$(q "SELECT count(*) FROM pg_stat_activity WHERE query = 'LISTEN mediadash_accounts'")" -ge 1 ] && break
  sleep 0.1
done
check "serve listens for wake-ups" test "$(q "SELECT count(*) FROM pg_stat_activity WHERE query = 'LISTEN mediadash_accounts'")" -ge 1
sleep 1
check "connect youtube (another process)" connect_one youtube UC1 yt-code-1
T0=$(now)
yt_items() { q "SELECT count(*) FROM item WHERE platform = 'youtube'"; }
for _ in $(seq 200); do [ "$(yt_items)" -gt 0 ] && break; sleep 0.05; done
T1=$(now)
check "serve's collector collected it" test "$(yt_items)" -gt 0
check "within 10 s, not its 300 s wait" python3 -c "import sys; sys.exit(0 if $T1 - $T0 < 10 else 1)"
echo "serve's collector: woken and collected in $(python3 -c "print(round($T1 - $T0, 2))") s"
check "serve --db-read with a database that cannot open refused" run 3 "$BIN" --db "$DB" serve --listen 127.0.0.1:0 --no-collect --no-worker --db-read "$TMP/no/such/dir/x.db"
check "names --db-read" contains "$TMP/err" "--db-read"

# A server that does not answer: what to check, without the password.
check "doctor: no server" run 1 "$BIN" --db 'postgresql://nobody:hunter2secret@127.0.0.1:1/x' doctor
check "says to check the server and the URI" contains "$TMP/out" "check that the server runs"
check "no password from libpq either" lacks "$TMP/out" hunter2secret

# ---- backup and restore: not for a server's database ---------------------
check "backup refused" run 1 md backup "$TMP/b.db"
check "names pg_dump" contains "$TMP/err" "pg_dump"
check "names db copy" contains "$TMP/err" "mediadash db copy --from URI --to FILE.db"
check "no file written" test ! -e "$TMP/b.db"
check "restore refused" run 1 md restore "$TMP/b.db"
check "names pg_restore" contains "$TMP/err" "pg_restore"
check "no password in the refusals" lacks "$TMP/err" hunter2secret

finish
