# `mediadash db copy` (issue 17, docs/postgresql.md): a small SQLite
# database (a short demo, a few real API captures, a user, an API token,
# a post) copied into PostgreSQL and back into a new SQLite file answers
# byte for byte as the original (`export snapshots`, `report --json`,
# `content`, `search`, `post list`; the token and the user by the
# copy's own row counts);
# the copy's own check prints equal checksums; a destination holding data
# is refused, naming what it holds, and --replace empties it; ids go on
# after the copied ones on PostgreSQL; the copy into PostgreSQL leaves
# its tables analyzed; health data goes SQLite ->
# PostgreSQL -> SQLite with the same `export health` (and from one SQLite
# file to another); a bad path or URI says so.
# Small on purpose (about 10,000 rows): it must stay well under a minute
# plain and under 150 s under ASan on a loaded machine (139 s with 30 days
# of demo at load 17: now 10).
. "$(dirname "$0")/lib.sh"

[ -n "$REAL" ] && [ -d "$REAL/youtube" ] || {
  echo "FAIL: realdata not found (MEDIADASH_REALDATA=$REAL)" >&2; exit 1; }
PG=$(pg_newdb db_copy) || { echo "FAIL: no PostgreSQL database" >&2; exit 1; }
PG2=$(pg_newdb db_copy_health) || { echo "FAIL: no PostgreSQL database" >&2; exit 1; }
SQ="$TMP/src.db"
BACK="$TMP/back.db"
END=2026-11-30T00:00:00Z
# the demo's last hour is "now" for every command
md() { MEDIADASH_TEST_NOW=1795996800 "$BIN" --db "$1" "${@:2}"; }
copy() { MEDIADASH_TEST_NOW=1795996800 "$BIN" db copy "$@"; }

check "demo" run 0 md "$SQ" -q demo --items 5 --days 10 --end "$END"
for f in "$REAL/youtube/channels_list_multi_parts_2items.json" \
         "$REAL/youtube/videos_list_chart_page1.json" \
         "$REAL/instagram/ig_user_media_page1_placeholder_cursors.json"; do
  check "import $(basename "$f")" run 0 md "$SQ" -q import "$f"
done
printf '%s\n' 'a long passphrase here' >"$TMP/pw"
check "user add" run 0 md "$SQ" -q user add ann --password-file "$TMP/pw"
check "token add" run 0 md "$SQ" -q token add ci --scope read
head -c 1024 /dev/urandom >"$TMP/tiny.mp4"
check "post add" run 0 md "$SQ" -q post add --platform youtube \
  --account UC1 --title "copied post" --media "$TMP/tiny.mp4" \
  --at "2026-12-24 10:00" --zone UTC

echo "  [${SECONDS}s] source filled" >&2
# ---- SQLite -> PostgreSQL -> SQLite -------------------------------------
check "copy SQLite -> PostgreSQL" run 0 copy --from "$SQ" --to "$PG"
check "  counts equal" contains "$TMP/out" "row counts equal"
check "  checksums equal" test "$(grep -c 'BLAKE2b' "$TMP/out")" = 2 -a \
  "$(grep 'BLAKE2b' "$TMP/out" | awk '{print $NF}' | sort -u | wc -l)" = 1
check "  the key file is named" contains "$TMP/out" "key file: "
# The copy ends with ANALYZE: the planner knows the copied rows at once
# (last_analyze is set by ANALYZE only, never by autovacuum).
analyzed=$("${MEDIADASH_PGBIN:-/usr/lib/postgresql/15/bin}/psql" -X -At \
  -d "$PG" -c "SELECT count(*) FROM pg_stat_user_tables WHERE relname IN
  ('snapshot', 'snapshot_value', 'item', 'item_day') AND last_analyze IS NOT NULL")
check "  the planner's statistics taken" test "$analyzed" = 4
check "copy PostgreSQL -> SQLite" run 0 copy --from "$PG" --to "$BACK"
check "  counts equal" contains "$TMP/out" "row counts equal"

# same_out NAME ARGS...: the command's stdout on the three databases
# ($TMP/NAME.sq, .pg, .back); the original and the round trip
# byte-identical, and PostgreSQL too unless NAME starts with "rt-" (search
# ranks by relevance differently there, docs/postgresql.md).
same_out() {
  local name=$1 db tag
  shift
  for tag in sq pg back; do
    case $tag in sq) db=$SQ ;; pg) db=$PG ;; back) db=$BACK ;; esac
    md "$db" "$@" >"$TMP/$name.$tag" 2>"$TMP/err" ||
      { echo "  $* on $tag failed:" >&2; cat "$TMP/err" >&2; return 1; }
  done
  test -s "$TMP/$name.sq" || { echo "  $* printed nothing" >&2; return 1; }
  same_file "$TMP/$name.sq" "$TMP/$name.back" || return 1
  case $name in rt-*) return 0 ;; esac
  same_file "$TMP/$name.sq" "$TMP/$name.pg"
}
check "export snapshots the same" same_out export export snapshots
check "  not empty" test "$(wc -l <"$TMP/export.sq")" -gt 1000
check "report --json the same" same_out report report --json
check "content the same" same_out content content --limit 50
check "post list the same" same_out posts post list
check "search the same (round trip)" same_out rt-search search mega
check "  found something" test "$(wc -l <"$TMP/rt-search.sq")" -gt 1
# The sort by engagement on the copy (PostgreSQL computes its key at the
# copy's end: item_search_key): the same values in the same order as on
# the original (items of equal engagement may change places: the score).
eng_keys() { # eng_keys DB: the engagement values of the answer, in order
  md "$1" search 's*' --sort engagement --json --limit 100 >"$TMP/eng.json" &&
    python3 -c 'import json, sys
print([x["engagement"] for x in json.load(open(sys.argv[1]))["items"]])' \
      "$TMP/eng.json"
}
check "search by engagement on SQLite" eval 'eng_keys "$SQ" >"$TMP/eng.sq"'
check "  on PostgreSQL" eval 'eng_keys "$PG" >"$TMP/eng.pg"'
check "  the same keys in the same order" same_file "$TMP/eng.sq" "$TMP/eng.pg"
check "  some above 0" grep -q "0\.[0-9]*[1-9]" "$TMP/eng.sq"
echo "  [${SECONDS}s] compared" >&2

echo "  [${SECONDS}s] copied and compared" >&2
# ---- a destination that holds data --------------------------------------
check "copy into a non-empty PostgreSQL database refused" run 1 copy --from "$SQ" --to "$PG"
check "  naming what it holds" contains "$TMP/err" "not empty, it holds"
check "  items among it" contains "$TMP/err" "item: "
check "  and the way out" contains "$TMP/err" "--replace"
check "--replace into PostgreSQL" run 0 copy --from "$BACK" --to "$PG" --replace
check "  counts equal" contains "$TMP/out" "row counts equal"
check "--replace into SQLite" run 0 copy --from "$PG" --to "$BACK" --replace --batch 777
check "  still the same export" run 0 md "$BACK" export snapshots
check "  byte for byte" same_file "$TMP/export.sq" "$TMP/out"
check "PostgreSQL takes new rows after the copied ids" run 0 md "$PG" -q \
  post add --platform youtube --account UC1 --title "after the copy" \
  --media "$TMP/tiny.mp4" --at "2026-12-25 10:00" --zone UTC
check "  and imports" run 0 md "$PG" -q import "$REAL/youtube/videos_list_chart_page2_last.json"

echo "  [${SECONDS}s] replaced" >&2
# ---- what cannot be copied ----------------------------------------------
if [ -d "$REAL/oura" ]; then
  H="$TMP/health.db"
  check "health data in a SQLite file" run 0 md "$H" -q import "$REAL"/oura/*.json
  check "health data SQLite -> PostgreSQL" run 0 copy --from "$H" --to "$PG2"
  check "  health rows counted" contains "$TMP/out" "health_daily 6"
  check "  and back to SQLite" run 0 copy --from "$PG2" --to "$TMP/h3.db"
  md "$H" export health >"$TMP/h0.csv"
  check "  export health after the round trip" run 0 md "$TMP/h3.db" export health
  check "  byte for byte" same_file "$TMP/h0.csv" "$TMP/out"
  check "  export health on PostgreSQL" run 0 md "$PG2" export health
  check "  the same bytes" same_file "$TMP/h0.csv" "$TMP/out"
  check "health data SQLite -> SQLite" run 0 copy --from "$H" --to "$TMP/h2.db"
  check "  health rows counted" contains "$TMP/out" "health_daily 6"
  md "$H" export health >"$TMP/h1.csv"
  check "  export health the same" run 0 md "$TMP/h2.db" export health
  check "  byte for byte" same_file "$TMP/h1.csv" "$TMP/out"
fi
check "a missing SQLite source" run 3 copy --from "$TMP/none.db" --to "$TMP/x.db"
check "  named" contains "$TMP/err" "none.db: no such database"
check "  and not created" test ! -e "$TMP/none.db"
check "a bad URI" run 3 copy --from "$SQ" --to "postgresql://nobody:sekrit@/nodb?host=/nonexistent"
check "  says so" contains "$TMP/err" "db copy: "
check "  without the password" lacks "$TMP/err" "sekrit"
check "no --to" run 2 copy --from "$SQ"
check "the same database twice" run 2 copy --from "$SQ" --to "$SQ"

finish
