# Strict recognition of saved files (issue 11, part 4) through the real
# binary and a real SQLite file: other services' files (Oura, Twitch
# search results and error bodies, discovery documents, token
# responses) are refused and store nothing;
# Instagram business_discovery answers are stored as tracked accounts.
. "$(dirname "$0")/lib.sh"

DB="$TMP/r.db"
md() { "$BIN" --db "$DB" "$@"; }
# count SQL: one number from the database
count() { python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])' "$DB" "$1"; }

check "create the database" run 0 md accounts

if [ -n "$REAL" ] && [ -d "$REAL/oura" ]; then
  n=0
  # (Oura pages go to the health tables: test_health_cli.sh; its API
  # description is refused here.)
  for f in "$REAL"/oura/schema/*.json \
           "$REAL"/twitch/helix_search_channels_2023-07.json \
           "$REAL"/twitch/oauth2_token_refresh_200_scopes.json \
           "$REAL"/youtube/*.discovery.json; do
    n=$((n + 1))
    b=$(basename "$f")
    check "$b refused" run 1 md import "$f"
    check "$b: message" contains "$TMP/err" "$b: error: not a recognised platform API response"
  done
  check "four and more files tried" test "$n" -ge 4
  check "oura: stored as health data" run 0 md import "$REAL/oura/daily_activity_synthetic.json"
  check "oura: in the health tables" contains "$TMP/err" "oura.daily_activity: 2 health documents"
  check "twitch search: names the shape" run 1 md import "$REAL/twitch/helix_search_channels_2023-07.json"
  check "twitch search: message" contains "$TMP/err" "it looks like a Twitch Helix search/channels page: search results are other people's channels"
  check "twitch error body refused" run 1 md import "$REAL/twitch/helix_error_401_invalid_oauth_token.json"
  check "twitch error: message" contains "$TMP/err" "Twitch Helix error 401 (Unauthorized): Invalid OAuth token"
  check "nothing stored: items" test "$(count 'SELECT count(*) FROM item')" = 0
  check "nothing stored: snapshots" test "$(count 'SELECT count(*) FROM snapshot')" = 0
  check "nothing stored: imports" test "$(count 'SELECT count(*) FROM import')" = 0
  # Forcing an Instagram format onto a Twitch page does not store it either.
  check "forced format refused" run 1 md import --format instagram.media "$REAL/twitch/helix_clips_doc_example.json"
  check "forced: message" contains "$TMP/err" "not a instagram.media response: the document is a twitch.clips response"
  check "still nothing stored" test "$(count 'SELECT count(*) FROM item')" = 0
else
  echo "SKIP: no ../shared/realdata/oura" >&2
fi

# --- business_discovery: someone else's account, stored as tracked ---------
IG="$DATA/instagram"
check "own account first" run 0 md import --observed-at 2024-06-01T12:00:00Z "$IG/by_ids.json"
check "by_ids summary (and the bare owner row)" contains "$TMP/err" "instagram.ids: 2 items (3 new), 2 new snapshots"
check "business_discovery import" run 0 md import --observed-at 2024-06-01T12:00:00Z "$IG/business_discovery.json"
check "business_discovery summary" contains "$TMP/err" "instagram.business_discovery: 3 items (3 new), 3 new snapshots"
check "the account is tracked" test "$(count "SELECT role FROM item WHERE ext_id = '17841401441775531'")" = tracked
check "its media are tracked" test "$(count "SELECT count(*) FROM item WHERE role = 'tracked' AND account_id = (SELECT id FROM item WHERE ext_id = '17841401441775531')")" = 2
check "the asking account is not stored" test "$(count "SELECT count(*) FROM item WHERE ext_id = '17841405309211844'")" = 0
check "the ids lookup stays own" test "$(count "SELECT count(*) FROM item WHERE role = 'own'")" = 3
check "followers of the tracked account" test "$(count "SELECT v.ival FROM snapshot_value v JOIN snapshot s ON s.id = v.snapshot_id JOIN item i ON i.id = s.item_id JOIN metric m ON m.id = v.metric_id WHERE i.ext_id = '17841401441775531' AND m.name = 'followers'")" = 267793
check "self lookup" run 0 md import --observed-at 2024-06-02T12:00:00Z "$IG/business_discovery_self.json"
check "self lookup stays own" test "$(count "SELECT role FROM item WHERE ext_id = '17841400000000001'")" = own

finish
