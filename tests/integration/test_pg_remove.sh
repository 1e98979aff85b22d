# Taking data back and roles on PostgreSQL (issue 17, docs/postgresql.md):
# a few saved API responses (realdata, read in place) imported into a
# PostgreSQL database of the test cluster (fixture pg) and into a SQLite
# file; then on both, one import removed, one account removed, one
# account made tracked and the removed file imported again. After each
# step the rows the removals write are the same in both databases (ids,
# counts, rollups, latest values, documents' seqs and tombstones, links,
# audit); after each removal `report --json` and `export documents
# --since` (with its tombstones) are byte-identical between the backends,
# at the end also `content`, `accounts`, `export snapshots`, `search`
# (the same items) and `imports --json` (with the audit); documents but
# for updated_at (when the data was ingested: documented to differ).
# Small on purpose (no demo, no serve): the removals' SQL runs on real
# rows, the arithmetic is the conformance suite's.
. "$(dirname "$0")/lib.sh"

[ -n "$REAL" ] && [ -d "$REAL/youtube" ] || {
  echo "FAIL: realdata not found (MEDIADASH_REALDATA=$REAL)" >&2; exit 1; }
PG=$(pg_newdb pg_remove) || { echo "FAIL: no PostgreSQL database" >&2; exit 1; }
SQ="$TMP/remove.db"
Y="$REAL/youtube"
FILES=(
  "$Y/channels_list_multi_parts_2items.json"
  "$Y/videos_list_chart_page1.json"
  "$REAL/instagram/ig_user_fields.json"
  "$REAL/instagram/ig_user_media_page1_placeholder_cursors.json"
)
T0=2000000000 # 2033-05-18T03:33:20Z
T1=2000000100
iso() { date -u -d "@$1" +%Y-%m-%dT%H:%M:%SZ; }
md() { MEDIADASH_TEST_NOW=$T "$BIN" --db "$1" "${@:2}"; }

T=$T0
for db in "$PG" "$SQ"; do
  for f in "${FILES[@]}"; do
    check "import $(basename "$f") into ${db%%:*}" run 0 md "$db" -q import "$f"
  done
done

# Documents without updated_at (the time of the ingest, which differs).
docs_norm() {
  python3 -c 'import json,sys
for l in open(sys.argv[1], encoding="utf-8"):
    d = json.loads(l)
    d.pop("updated_at", None)
    print(json.dumps(d, sort_keys=True, ensure_ascii=False))' "$1"
}

# A search's total and items as a set (the engines' scores, and so the
# order of equal matches, differ: docs/postgresql.md).
search_norm() {
  python3 -c 'import json,sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
print("total", d["total"])
for x in sorted(d["items"], key=lambda x: (x["platform"], x["id"])):
    print(x["platform"] + ":" + x["id"], x["title_html"])' "$1"
}

# same LABEL ARGS...: ARGS give the same stdout on both backends.
same() {
  local label=$1; shift
  check "$label on PostgreSQL" run 0 md "$PG" "$@"
  cp "$TMP/out" "$TMP/same.pg"
  check "  on SQLite" run 0 md "$SQ" "$@"
  check "  byte-identical" same_file "$TMP/same.pg" "$TMP/out"
}

# docs_same: `export documents --since` the step's time (with its
# tombstones) on both backends: the same lines but for updated_at.
docs_same() {
  check "$1: export documents --since on PostgreSQL" run 0 md "$PG" export documents --since "$(iso $T)"
  docs_norm "$TMP/out" >"$TMP/docs.pg"
  check "  on SQLite" run 0 md "$SQ" export documents --since "$(iso $T)"
  docs_norm "$TMP/out" >"$TMP/docs.sq"
  check "  the same documents and tombstones" same_file "$TMP/docs.sq" "$TMP/docs.pg"
}
report_same() {
  same "$1: report --json" report --json --from 2033-04-27 --to 2033-05-19
}

# tables_same STEP: the rows the removals write, read with the same SQL
# from both databases (psql, python's sqlite3), the lines sorted: the same
# ids, counts, rollups, latest values, documents' seqs and tombstones,
# links and audit lines, not just the same reports.
cat >"$TMP/tables.sql" <<'SQL'
SELECT 'item', id, platform, type, ext_id, coalesce(account_id, 0), role FROM item;
SELECT 'snapshot', id, item_id, observed_at, coalesce(import_id, 0) FROM snapshot;
SELECT 'value', snapshot_id, metric_id, coalesce(CAST(ival AS TEXT), 'real') FROM snapshot_value;
SELECT 'value_import', snapshot_id, metric_id, import_id FROM value_import;
SELECT 'import', id, snapshots, items, vals FROM import;
SELECT 'latest', item_id, metric_id, observed_at, coalesce(CAST(ival AS TEXT), 'real') FROM item_latest;
SELECT 'item_day', item_id, metric_id, day, first_at, first_v, last_at, last_v, coalesce(CAST(gain AS TEXT), '-') FROM item_day;
SELECT 'account_day', account_id, metric_id, day, gain FROM account_day;
SELECT 'doc', item_id, kind, day, seq, changed_at FROM doc_change;
SELECT 'tomb', seq, item_id, kind, day, changed_at, platform, type, ext_id, role FROM doc_tomb;
SELECT 'link', platform, from_ext, rel, to_ext FROM item_link;
SELECT 'audit', id, at, action, what FROM audit;
SQL
tables_same() {
  check "$1: the tables on PostgreSQL" run 0 "${MEDIADASH_PGBIN:-/usr/lib/postgresql/15/bin}/psql" \
    -X -q -At -F '|' -v ON_ERROR_STOP=1 -d "$PG" -f "$TMP/tables.sql"
  LC_ALL=C sort "$TMP/out" >"$TMP/tables.pg"
  check "  on SQLite" python3 -c 'import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
with open(sys.argv[3], "w") as o:
    for q in open(sys.argv[2]).read().split(";\n"):
        for r in db.execute(q) if q.strip() else []:
            print("|".join("" if v is None else str(v) for v in r), file=o)' \
    "$SQ" "$TMP/tables.sql" "$TMP/tables.out"
  LC_ALL=C sort "$TMP/tables.out" >"$TMP/tables.sq"
  check "  the same rows" same_file "$TMP/tables.sq" "$TMP/tables.pg"
  check "  (some)" test "$(grep -c '^tomb\|^item|' "$TMP/tables.pg")" -gt 3
}

# ---- one import removed: the chart's first page ----------------------------
# Its videos and their bare channels go, with their values, rollups,
# links, search rows and documents (tombstones).
T=$T1
chart=$(python3 -c 'import sqlite3,sys
db = sqlite3.connect(sys.argv[1])
print(db.execute("SELECT id FROM import WHERE source LIKE '"'"'%/videos_list_chart_page1.json'"'"'").fetchone()[0])' "$SQ")
check "  the chart's import found" test -n "$chart"
for db in "$PG" "$SQ"; do
  check "imports remove $chart on ${db%%:*}" run 0 md "$db" -q imports remove "$chart" --yes
done
report_same "import removed"
docs_same "import removed"
check "  tombstones among the documents" contains "$TMP/docs.pg" '"deleted"'
tables_same "import removed"

# ---- one account removed: the Instagram one, with its media ----------------
T=$((T1 + 100))
ig=$(python3 -c 'import sqlite3,sys
db = sqlite3.connect(sys.argv[1])
print(db.execute("SELECT ext_id FROM item WHERE platform = '"'"'instagram'"'"' AND "
                 "type = '"'"'account'"'"' AND EXISTS (SELECT 1 FROM item c "
                 "WHERE c.account_id = item.id) ORDER BY id LIMIT 1").fetchone()[0])' "$SQ")
check "  an Instagram account with content found" test -n "$ig"
for db in "$PG" "$SQ"; do
  check "accounts remove instagram:$ig on ${db%%:*}" run 0 md "$db" -q accounts remove "instagram:$ig" --yes
done
report_same "account removed"
docs_same "account removed"
check "  its tombstone" contains "$TMP/docs.pg" "$ig"
tables_same "account removed"

# ---- one account made tracked: a channel ------------------------------------
T=$((T1 + 200))
yt=$(python3 -c 'import sqlite3,sys
db = sqlite3.connect(sys.argv[1])
print(db.execute("SELECT ext_id FROM item WHERE platform = '"'"'youtube'"'"' AND "
                 "type = '"'"'account'"'"' AND role = '"'"'own'"'"' ORDER BY id "
                 "LIMIT 1").fetchone()[0])' "$SQ")
for db in "$PG" "$SQ"; do
  check "accounts set youtube:$yt --role tracked on ${db%%:*}" run 0 md "$db" -q accounts set "youtube:$yt" --role tracked
done
report_same "role set"
same "role set: content" content --json --limit 0
same "role set: accounts" accounts --json
same "role set: imports and the audit" imports --json
check "  (three audit lines)" test "$(grep -o '"action"' "$TMP/out" | wc -l)" -eq 3
same "role set: export snapshots" export snapshots --format csv
check "role set: search on PostgreSQL" run 0 md "$PG" search the --json --limit 100
search_norm "$TMP/out" >"$TMP/search.pg"
check "  on SQLite" run 0 md "$SQ" search the --json --limit 100
search_norm "$TMP/out" >"$TMP/search.sq"
check "  the same items" same_file "$TMP/search.sq" "$TMP/search.pg"
tables_same "role set"

# A second removal of the same import is refused the same way.
check "imports remove $chart again on PostgreSQL: exit 4" run 4 md "$PG" imports remove "$chart" --yes
cp "$TMP/err" "$TMP/pg.err"
check "  on SQLite too" run 4 md "$SQ" imports remove "$chart" --yes
check "  the same message" same_file "$TMP/pg.err" "$TMP/err"

# Its file imported again: the ids freed at the top are given again on
# both (SQLite's next id is the largest plus one).
T=$((T1 + 300))
for db in "$PG" "$SQ"; do
  check "import the chart's first page again into ${db%%:*}" run 0 md "$db" -q import "$Y/videos_list_chart_page1.json"
done
tables_same "imported again"

finish
