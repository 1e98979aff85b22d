# Owned and tracked accounts, taking data back (issue 11, part 3), through
# the real binary, real SQLite files and real HTTP:
# - the demo (own), a foreign channels.list (Google's sample) and an Oura
#   file: the owned totals of `report --json` are unchanged, the foreign
#   channel is listed as tracked, the Oura file goes to the health tables
#   and adds nothing social (no import row);
# - `imports remove` of the foreign import restores `export snapshots`
#   byte for byte; the audit line shows who, when and what;
# - `accounts set --role` moves an account between own and tracked (the
#   totals follow); `accounts remove` removes it with its history; the
#   rollups afterwards equal `rollup --rebuild`'s;
# - the same over HTTP: GET /api/v1/imports, POST /api/v1/imports/ID/remove
#   (the login is the audit's who), /api/v1/accounts/role, /api/v1/competitors.
. "$(dirname "$0")/lib.sh"

DB="$TMP/take.db"
FOREIGN="$REAL/youtube/channels_list_multi_parts_2items.json"
OURA="$REAL/oura/daily_activity_synthetic.json"
END=2026-03-01T00:00:00Z
R=(--from 2026-02-01 --to 2026-02-28)

field() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($2)" "$1"; }
jcheck() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if ($2) else 1)" "$1" || { echo "  not: $2" >&2; head -c 600 "$1" >&2; echo >&2; return 1; }; }
# rollups DB: item_day, account_day and item_latest, in key order.
rollups() { sqlite3 "$1" "SELECT * FROM item_day ORDER BY item_id, metric_id, day;
  SELECT * FROM account_day ORDER BY 1, 2, 3; SELECT * FROM item_latest ORDER BY 1, 2;"; }

check "demo" run 0 "$BIN" --db "$DB" -q demo --items 30 --days 60 --end $END
"$BIN" --db "$DB" export snapshots >"$TMP/snap0.csv"
"$BIN" --db "$DB" report "${R[@]}" --json >"$TMP/rep0.json"
# four accounts: YouTube, Instagram, TikTok and Twitch (the demo tables)
check "demo accounts are own" run 0 "$BIN" --db "$DB" accounts --json
check "  every role own" jcheck "$TMP/out" 'len(d) == 4 and all(a["role"] == "own" for a in d)'

# ---- a foreign channels.list: stored as tracked, said on its line ----------
check "import the foreign channels.list" run 0 "$BIN" --db "$DB" import "$FOREIGN"
check "  its line says tracked" contains "$TMP/err" "stored as tracked: youtube:UCK8sQmJBp8GCxrOtXWBpyEA is not one of your youtube accounts"
check "report after it" run 0 "$BIN" --db "$DB" report "${R[@]}" --json
check "  owned totals unchanged (byte for byte)" same_file "$TMP/rep0.json" "$TMP/out"
check "accounts --json" run 0 "$BIN" --db "$DB" accounts --json
check "  Google's channels are tracked" jcheck "$TMP/out" \
  'sorted(a["id"] for a in d if a["role"] == "tracked") == ["UCK8sQmJBp8GCxrOtXWBpyEA", "UC_x5XG1OV2P6uZZ5FSM9Ttw"]'
check "  the demo's stay own" jcheck "$TMP/out" 'sum(a["role"] == "own" for a in d) == 4'

# ---- the Oura file ---------------------------------------------------------
"$BIN" --db "$DB" imports --json >"$TMP/imp0.json"
check "the Oura file goes to the health tables" run 0 "$BIN" --db "$DB" import "$OURA"
check "  said so" contains "$TMP/err" "oura.daily_activity: 2 health documents"
"$BIN" --db "$DB" imports --json >"$TMP/imp1.json"
check "  and nothing recorded" same_file "$TMP/imp0.json" "$TMP/imp1.json"
check "report after the Oura file" run 0 "$BIN" --db "$DB" report "${R[@]}" --json
check "  owned totals unchanged" same_file "$TMP/rep0.json" "$TMP/out"

# ---- imports: the list, refusing to act without a terminal -----------------
check "imports --json" run 0 "$BIN" --db "$DB" imports --json
cp "$TMP/out" "$TMP/imp.json"
check "  the foreign import with its counts" jcheck "$TMP/imp.json" \
  'any(i["file"].endswith("channels_list_multi_parts_2items.json") and i["items"] == 2 and i["snapshots"] == 2 and i["values"] == 6 and i["format"] == "youtube.channels.list" and len(i["sha256"]) == 64 for i in d["imports"])'
fid=$(field "$TMP/imp.json" '[i["id"] for i in d["imports"] if i["file"].endswith("2items.json")][0]')
check "imports (table)" run 0 "$BIN" --db "$DB" imports
check "  lists the file" contains "$TMP/out" "channels_list_multi_parts_2items.json"
check "remove without a terminal or --yes: refused" run 1 "$BIN" --db "$DB" imports remove "$fid" </dev/null
check "  says why" contains "$TMP/err" "add --yes"
check "remove of a missing import: 4" run 4 "$BIN" --db "$DB" imports remove 999 --yes
check "remove of a bad id: 2" run 2 "$BIN" --db "$DB" imports remove x1 --yes

# ---- imports remove: export snapshots restored byte for byte ---------------
check "imports remove the foreign import" run 0 "$BIN" --db "$DB" imports remove "$fid" --yes
check "  prints what it removed" contains "$TMP/out" "removed import $fid: 2 items, 2 snapshots, 6 values"
"$BIN" --db "$DB" export snapshots >"$TMP/snap1.csv"
check "  export snapshots byte for byte as before" same_file "$TMP/snap0.csv" "$TMP/snap1.csv"
check "  the tracked channels are gone" run 0 "$BIN" --db "$DB" accounts --json
check "  only the demo's accounts" jcheck "$TMP/out" 'len(d) == 4 and all(a["role"] == "own" for a in d)'
check "  the import is gone, an audit line says who/what" run 0 "$BIN" --db "$DB" imports --json
check "  audit line" jcheck "$TMP/out" \
  "not any(i['id'] == $fid for i in d['imports']) and any(a['action'] == 'import remove' and a['who'] == '$(id -un)' and a['what'].startswith('import $fid (') and a['what'].endswith(': 2 items, 2 snapshots, 6 values') and a['at'].endswith('Z') for a in d['audit'])"
rollups "$DB" >"$TMP/roll-inc"
"$BIN" --db "$DB" -q rollup --rebuild
rollups "$DB" >"$TMP/roll-reb"
check "  rollups equal a rebuild" same_file "$TMP/roll-inc" "$TMP/roll-reb"
check "the same file imports again" run 0 "$BIN" --db "$DB" import "$FOREIGN"

# ---- accounts set --role: the totals follow --------------------------------
check "set Google own" run 0 "$BIN" --db "$DB" accounts set youtube:UCK8sQmJBp8GCxrOtXWBpyEA --role own
check "report counts it" run 0 "$BIN" --db "$DB" report "${R[@]}" --json
check "  youtube followers + 10,700,000" jcheck "$TMP/out" \
  "d['platforms']['youtube']['followers'] == $(field "$TMP/rep0.json" "d['platforms']['youtube']['followers']") + 10700000"
check "set it tracked again" run 0 "$BIN" --db "$DB" accounts set youtube:UCK8sQmJBp8GCxrOtXWBpyEA --role tracked
check "report as before" run 0 "$BIN" --db "$DB" report "${R[@]}" --json
check "  unchanged" same_file "$TMP/rep0.json" "$TMP/out"
check "a bad role: 2" run 2 "$BIN" --db "$DB" accounts set youtube:UCK8sQmJBp8GCxrOtXWBpyEA --role mine
check "a bad ref: 2" run 2 "$BIN" --db "$DB" accounts set UCK8sQmJBp8GCxrOtXWBpyEA --role own
check "an unknown account: 4" run 4 "$BIN" --db "$DB" accounts set youtube:nope --role own

# ---- the demo's YouTube channel marked tracked, then removed ---------------
yt=$(sqlite3 "$DB" "SELECT ext_id FROM item WHERE platform = 'youtube' AND type = 'account' AND role = 'own'")
check "set the demo channel tracked" run 0 "$BIN" --db "$DB" accounts set "youtube:$yt" --role tracked
check "  its content follows" test "$(sqlite3 "$DB" "SELECT count(*) FROM item i JOIN item a ON a.id = i.account_id WHERE a.ext_id = '$yt' AND i.role <> 'tracked'")" = 0
check "accounts remove it" run 0 "$BIN" --db "$DB" accounts remove "youtube:$yt" --yes
check "  prints what it removed" contains "$TMP/out" "removed account youtube:$yt:"
check "  no youtube content left" test "$(sqlite3 "$DB" "SELECT count(*) FROM item i WHERE platform = 'youtube' AND ext_id <> 'UCK8sQmJBp8GCxrOtXWBpyEA' AND ext_id <> 'UC_x5XG1OV2P6uZZ5FSM9Ttw'")" = 0
check "  the other platforms' snapshots untouched" run 0 "$BIN" --db "$DB" export snapshots --platform instagram
grep -v '^youtube' "$TMP/snap0.csv" | grep '^instagram' >"$TMP/ig0"
grep '^instagram' "$TMP/out" >"$TMP/ig1"
check "  instagram rows as before" same_file "$TMP/ig0" "$TMP/ig1"
rollups "$DB" >"$TMP/roll-inc"
"$BIN" --db "$DB" -q rollup --rebuild
rollups "$DB" >"$TMP/roll-reb"
check "  rollups equal a rebuild" same_file "$TMP/roll-inc" "$TMP/roll-reb"
check "history stays append-only otherwise" bash -c "! sqlite3 '$DB' 'DELETE FROM snapshot_value' 2>/dev/null"
check "  snapshots too" bash -c "! sqlite3 '$DB' 'DELETE FROM snapshot' 2>/dev/null"

# ---- over HTTP ---------------------------------------------------------------
serve_start "$DB"
login "$DB" "$URL" webuser
req() { curl -s -m 20 -b "$COOKIES" -o "$TMP/body" -w '%{http_code}' "$@"; }
check "GET /api/v1/imports" test "$(req "$URL/api/v1/imports")" = 200
wid=$(field "$TMP/body" '[i["id"] for i in d["imports"] if i["file"].endswith("2items.json")][0]')
check "GET /api/v1/competitors" test "$(req "$URL/api/v1/competitors?from=2026-02-01&to=2026-02-28")" = 200
check "  tracked Google with its followers, own ones first" jcheck "$TMP/body" \
  'd["accounts"][0]["role"] == "own" and any(a["id"] == "UCK8sQmJBp8GCxrOtXWBpyEA" and a["role"] == "tracked" and a["followers"] == 10700000 for a in d["accounts"])'
check "role: a bad body is 400 naming role" test "$(req -H "Origin: $URL" -H "X-CSRF-Token: $CSRF" -H 'Content-Type: application/json' --data-binary '{"account": "youtube:UCK8sQmJBp8GCxrOtXWBpyEA", "role": 3}' "$URL/api/v1/accounts/role")" = 400
check "  names it" jcheck "$TMP/body" 'd["error"]["param"] == "role"'
check "role: own over HTTP" test "$(req -H "Origin: $URL" -H "X-CSRF-Token: $CSRF" -H 'Content-Type: application/json' --data-binary '{"account": "youtube:UCK8sQmJBp8GCxrOtXWBpyEA", "role": "own"}' "$URL/api/v1/accounts/role")" = 200
check "  changed 1" jcheck "$TMP/body" 'd["changed"] == 1 and d["role"] == "own"'
check "remove a missing import: 404" test "$(req -X POST -H "Origin: $URL" -H "X-CSRF-Token: $CSRF" "$URL/api/v1/imports/999/remove")" = 404
check "remove over HTTP" test "$(req -X POST -H "Origin: $URL" -H "X-CSRF-Token: $CSRF" "$URL/api/v1/imports/$wid/remove")" = 200
check "  what it removed" jcheck "$TMP/body" 'd["removed"] == {"items": 2, "snapshots": 2, "values": 6}'
check "  the login is the audit's who" test "$(req "$URL/api/v1/imports")" = 200
check "  audit line by webuser" jcheck "$TMP/body" "d['audit'][0]['who'] == 'webuser' and d['audit'][0]['what'].startswith('import $wid (')"
finish
