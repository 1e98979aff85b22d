# The PostgreSQL backend through the real binary (issue 17,
# docs/postgresql.md): the same saved API responses (realdata) imported
# into a PostgreSQL database of the test cluster (tests/pg/pgcluster.sh,
# fixture pg) and into a SQLite file give byte-identical answers:
# `export snapshots` (CSV and JSON Lines), `show` and `imports`; the same file
# twice is refused the same way; several processes opening one new
# database at once migrate it once (the advisory lock); what is not
# written yet on PostgreSQL fails cleanly, naming itself, never crashes;
# a password in the URI never shows in a message.
. "$(dirname "$0")/lib.sh"

[ -n "$REAL" ] && [ -d "$REAL/youtube" ] || {
  echo "FAIL: realdata not found (MEDIADASH_REALDATA=$REAL)" >&2; exit 1; }
PG=$(pg_newdb pg_flow) || { echo "FAIL: no PostgreSQL database" >&2; exit 1; }
SQ="$TMP/flow.db"
FILES=(
  "$REAL/youtube/channels_list_multi_parts_2items.json"
  "$REAL/youtube/videos_list_chart_page1.json"
  "$REAL/youtube/videos_list_chart_page2_last.json"
  "$REAL/twitch/helix_videos_user_id_2022-11_stream_id_muted_segments.json"
  "$REAL/instagram/ig_user_fields.json"
  "$REAL/instagram/ig_user_media_page1_placeholder_cursors.json"
)
md() { MEDIADASH_TEST_NOW=2000000000 "$BIN" --db "$1" "${@:2}"; }

for db in "$PG" "$SQ"; do
  for f in "${FILES[@]}"; do
    check "import $(basename "$f") into ${db%%:*}" run 0 md "$db" -q import "$f"
  done
done

for fmt in csv jsonl; do
  check "export snapshots ($fmt) from PostgreSQL" run 0 md "$PG" export snapshots --format $fmt
  cp "$TMP/out" "$TMP/pg.$fmt"
  check "export snapshots ($fmt) from SQLite" run 0 md "$SQ" export snapshots --format $fmt
  cp "$TMP/out" "$TMP/sq.$fmt"
  check "  byte-identical ($fmt)" same_file "$TMP/pg.$fmt" "$TMP/sq.$fmt"
done
check "  and not empty" test "$(wc -l <"$TMP/pg.csv")" -gt 20
check "export snapshots --platform youtube from PostgreSQL" run 0 md "$PG" export snapshots --platform youtube
cp "$TMP/out" "$TMP/pg.yt"
check "  from SQLite" run 0 md "$SQ" export snapshots --platform youtube
check "  byte-identical" same_file "$TMP/pg.yt" "$TMP/out"

ACC=$(sed -n 2p "$TMP/pg.csv" | cut -d, -f2)
check "show youtube:$ACC on PostgreSQL" run 0 md "$PG" show "youtube:$ACC"
cp "$TMP/out" "$TMP/pg.show"
check "  on SQLite" run 0 md "$SQ" show "youtube:$ACC"
check "  the same history" same_file "$TMP/pg.show" "$TMP/out"
check "  (a real one)" contains "$TMP/out" "snapshots:"

check "imports on PostgreSQL" run 0 md "$PG" imports
cp "$TMP/out" "$TMP/pg.imports"
check "imports on SQLite" run 0 md "$SQ" imports
check "  the same list" same_file "$TMP/pg.imports" "$TMP/out"

check "the same file again on PostgreSQL: nothing stored" run 0 md "$PG" import "${FILES[0]}"
check "  saying so" contains "$TMP/err" "already imported at"
cp "$TMP/err" "$TMP/pg.again"
check "  on SQLite too" run 0 md "$SQ" import "${FILES[0]}"
check "  with the same message" same_file "$TMP/pg.again" "$TMP/err"
check "  nothing stored twice" run 0 md "$PG" export snapshots --format csv
check "  (the export is unchanged)" same_file "$TMP/pg.csv" "$TMP/out"

# A part not written yet: a clear failure naming PostgreSQL, no crash.
check "rollup --rebuild on PostgreSQL fails cleanly (exit 3)" run 3 md "$PG" rollup --rebuild
check "  saying it is not available on PostgreSQL yet" contains "$TMP/err" "store_rollup_rebuild is not available on PostgreSQL yet"
check "content on PostgreSQL fails cleanly (exit 1), no crash" run 1 md "$PG" content

# Six processes open one new database at once: one migrates, the others
# wait on the advisory lock and find it done.
NEW=$(pg_newdb pg_flow_race)
pids=()
for i in 1 2 3 4 5 6; do
  md "$NEW" export snapshots >"$TMP/race.$i" 2>&1 & pids+=($!)
done
ok=1
for p in "${pids[@]}"; do wait "$p" || ok=0; done
check "six processes migrating one new database at once all succeed" test $ok -eq 1
check "  each migration recorded once" bash -c \
  "${MEDIADASH_PGBIN:-/usr/lib/postgresql/15/bin}/psql -X -At -d '$NEW' -c 'SELECT count(*) = count(DISTINCT version) AND count(*) > 0 FROM mediadash_migration' | grep -qx t"

# The password never shows, even where libpq's message would carry it.
SOCK=${NEW#*host=}
check "a wrong database with a password in the URI fails" run 3 "$BIN" --db "postgresql://postgres:s3cret-pw@/no_such_db?host=$SOCK" export snapshots
check "  naming the database" contains "$TMP/err" "no_such_db"
check "  without the password" lacks "$TMP/err" "s3cret-pw"

finish
