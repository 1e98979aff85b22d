# The PostgreSQL backend through the real binary (issue 17,
# docs/postgresql.md): the same saved API responses (realdata) imported
# into a PostgreSQL database of the test cluster (tests/pg/pgcluster.sh,
# fixture pg) and into a SQLite file give byte-identical answers:
# `export snapshots` (CSV and JSON Lines), `show`, `imports` and
# `report --json`; the same file twice is refused the same way; the
# demo's history in both gives the same report (whole, per platform, in
# another rollup zone, after a rebuild), content, export, show and the
# JSON of the dashboard's reads from serve; several processes opening
# one new database at once migrate it once (the advisory lock); a
# password in the URI never shows in a message.
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

# ---- the rollups and every read of the dashboard (pgroll) --------------
# both LABEL PGDB SQDB ARGS...: ARGS give the same stdout on each backend.
both() {
  local label=$1 a=$2 b=$3; shift 3
  check "$label on PostgreSQL" run 0 md "$a" "$@"
  cp "$TMP/out" "$TMP/both.pg"
  check "  on SQLite" run 0 md "$b" "$@"
  check "  byte-identical" same_file "$TMP/both.pg" "$TMP/out"
}
RANGE=(--from 2033-04-27 --to 2033-05-18)
both "report --json (realdata)" "$PG" "$SQ" report --json "${RANGE[@]}"
for pl in youtube instagram; do
  both "report --json --platform $pl (realdata)" "$PG" "$SQ" report --json "${RANGE[@]}" --platform $pl
done
# Realdata is one snapshot per item: the demo's hourly history has gains,
# dips and first weeks.
DPG=$(pg_newdb pg_flow_demo)
DSQ="$TMP/demo.db"
for db in "$DPG" "$DSQ"; do
  check "demo history into ${db%%:*}" run 0 md "$db" -q demo --items 10 --days 14 --end 2033-05-18T03:00:00Z
done
both "report --json (demo)" "$DPG" "$DSQ" report --json "${RANGE[@]}"
check "  with views gained" python3 -c '
import json,sys; r=json.load(open(sys.argv[1]))
sys.exit(0 if r["platforms"]["youtube"]["views_gain"] > 0 else 1)' "$TMP/out"
for pl in youtube tiktok; do
  both "report --json --platform $pl (demo)" "$DPG" "$DSQ" report --json "${RANGE[@]}" --platform $pl
done
both "content (demo)" "$DPG" "$DSQ" content
both "export snapshots (demo)" "$DPG" "$DSQ" export snapshots
VID=$(grep -m1 '^youtube,[^,]*,[^,][^,]*,' "$TMP/out" | cut -d, -f3)
DACC=$(grep -m1 '^youtube,' "$TMP/out" | cut -d, -f2)
# (an account's: a content item's page lists its links, not on
# PostgreSQL yet)
both "show youtube:$DACC (demo)" "$DPG" "$DSQ" show "youtube:$DACC"
for db in "$DPG" "$DSQ"; do
  check "rollup --zone Europe/Berlin on ${db%%:*}" run 0 md "$db" rollup --zone Europe/Berlin
done
both "report --json in Berlin days" "$DPG" "$DSQ" report --json "${RANGE[@]}"
check "  in Berlin days" contains "$TMP/out" '"zone":"Europe/Berlin"'
cp "$TMP/out" "$TMP/berlin.json"
check "rollup --rebuild on PostgreSQL" run 0 md "$DPG" rollup --rebuild
both "report --json after the rebuild" "$DPG" "$DSQ" report --json "${RANGE[@]}"
check "  unchanged by it" same_file "$TMP/berlin.json" "$TMP/out"

# The dashboard's JSON from serve --no-worker --no-collect on each.
export MEDIADASH_SECRET_KEY_FILE="$TMP/pg.key" MEDIADASH_MEDIA_ROOT="$TMP/media"
mkdir -p "$MEDIADASH_MEDIA_ROOT"
PATHS=("report?from=2033-04-27&to=2033-05-18" "report?from=2033-04-27&to=2033-05-18&platform=youtube"
  "content" "content?sort=views" "gains?from=2033-04-27&to=2033-05-18"
  "top?from=2033-04-27&to=2033-05-18" "engagement" "heatmap" "competitors"
  "accounts" "items/youtube/$VID/days")
for side in pg sq; do
  db=$DPG; [ $side = sq ] && db=$DSQ
  check "token add on $side" run 0 md "$db" -q token add ro --scope read
  TOK=$(cat "$TMP/out")
  check "serve on $side" serve_start "$db" --no-worker --no-collect
  for i in "${!PATHS[@]}"; do
    check "GET /api/v1/${PATHS[$i]} on $side: 200" test "$(curl -s -m 30 -o "$TMP/api.$side.$i" \
      -w '%{http_code}' -H "Authorization: Bearer $TOK" "$URL/api/v1/${PATHS[$i]}")" = 200
  done
  kill "$SERVER"; wait "$SERVER" 2>/dev/null
done
for i in "${!PATHS[@]}"; do
  check "  /api/v1/${PATHS[$i]}: byte-identical" same_file "$TMP/api.pg.$i" "$TMP/api.sq.$i"
done

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
