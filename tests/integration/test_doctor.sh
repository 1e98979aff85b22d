# mediadash doctor (issue 15): a clean demo database passes (exit 0); a
# key file others may read, a damaged database copy, an expired token, a
# token that needs a new login, a clock behind the stored data and an
# unknown config key each fail (exit 1) naming the problem and the fix.
. "$(dirname "$0")/lib.sh"

DB="$TMP/d.db"
md() { "$BIN" --db "$DB" "$@"; }
check "demo data" md -q demo --items 30 --days 30
check "clean database: doctor exit 0" run 0 md doctor
cp "$TMP/out" "$TMP/clean.out"
check "clean: summary" contains "$TMP/clean.out" "0 failed"
for c in config database schema wal disk clock key token posts; do
  check "clean: line for $c" grep -qE "^(ok|warn)  +$c " "$TMP/clean.out"
done
check "clean: --json" run 0 md doctor --json
check "clean: json shape" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["fail"] == 0, d
names = {c["check"] for c in d["checks"]}
assert {"config", "database", "schema", "disk", "clock", "key"} <= names, names
assert all(c["status"] in ("ok", "warn", "fail") for c in d["checks"])' "$TMP/out"
check "--full runs integrity_check" run 0 md doctor --full
check "full: names it" contains "$TMP/out" "integrity_check ok"

# --- the key file ----------------------------------------------------------
check "key file made by collect" md -q collect
check "key exists" test -f "$DB.key"
check "doctor ok with a 0600 key" run 0 md doctor
chmod 644 "$DB.key"
check "key readable by others: exit 1" run 1 md doctor
check "key: names the mode" contains "$TMP/out" "mode 0644: group or others may read it"
check "key: says chmod 600" contains "$TMP/out" "chmod 600"
chmod 600 "$DB.key"
head -c 10 /dev/urandom >"$TMP/short.key"; chmod 600 "$TMP/short.key"
check "malformed key: exit 1" run 1 md doctor --set secret_key_file="$TMP/short.key"
check "malformed key: named" contains "$TMP/out" "$TMP/short.key"

# --- tokens --------------------------------------------------------------
sql() { python3 -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute(sys.argv[2]); c.commit()' "$DB" "$1"; }
NOW=$(date +%s)
sql "INSERT INTO credential(platform, account, access_token, refresh_token, expires_at, updated_at) VALUES ('tiktok', 'ttexpired', NULL, NULL, $((NOW - 3600)), $NOW)"
check "expired token: exit 1" run 1 md doctor
check "expired token: named" contains "$TMP/out" "tiktok:ttexpired: the access token (no refresh token) expired at"
check "expired token: what to do" contains "$TMP/out" "mediadash connect"
check "expired token: json" run 1 md doctor --json
check "expired token: json status" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
bad = [c for c in d["checks"] if c["status"] == "fail"]
assert len(bad) == 1 and bad[0]["check"] == "token" and "ttexpired" in bad[0]["message"] and bad[0]["fix"], bad' "$TMP/out"
sql "UPDATE credential SET expires_at = $((NOW + 3 * 86400)) WHERE account = 'ttexpired'"
check "token expiring in 3 days: warning only" run 0 md doctor
check "expiring: warn line" grep -q "^warn  token .*ttexpired: the access token (no refresh token) expires at" "$TMP/out"
sql "UPDATE credential SET status = 'needs_relogin', last_error = 'invalid_grant' WHERE account = 'ttexpired'"
check "needs relogin: exit 1" run 1 md doctor
check "needs relogin: named" contains "$TMP/out" "tiktok:ttexpired needs a new login (invalid_grant)"
sql "UPDATE credential SET status = 'ok', access_token = 'v1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=' WHERE account = 'ttexpired'"
check "token sealed with another key: exit 1" run 1 md doctor
check "other key: named" contains "$TMP/out" "does not open with $DB.key"
sql "DELETE FROM credential"

# --- the clock and overdue posts ---------------------------------------
NEWEST=$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT max(observed_at) FROM item_latest").fetchone()[0])' "$DB")
check "clock behind the data: exit 1" run 1 env MEDIADASH_TEST_NOW=$((NEWEST - 7200)) "$BIN" --db "$DB" doctor
check "clock: named" contains "$TMP/out" "min ahead of the clock"
check "clock in 1999: exit 1" run 1 env MEDIADASH_TEST_NOW=915148800 "$BIN" --db "$DB" doctor
check "clock year named" contains "$TMP/out" "the clock says year 1999"
sql "INSERT INTO post(platform, account, title, publish_at, zone, local_time, state, created_at, updated_at) VALUES ('dryrun', 'x', 'late', $((NOW - 7200)), 'UTC', '2024-01-01 00:00', 'scheduled', $NOW, $NOW)"
check "overdue post: a warning" run 0 md doctor
check "overdue post: named" grep -q "^warn  posts .*1 scheduled posts are overdue" "$TMP/out"

# --- config --------------------------------------------------------------
printf '[serve]\nno_such_key = 1\n' >"$TMP/bad.conf"
check "unknown config key: exit 1" run 1 md doctor --config "$TMP/bad.conf"
check "unknown key: named" contains "$TMP/out" "no_such_key"

# --- a damaged database copy ------------------------------------------
cp "$DB" "$TMP/bad.db"
python3 - "$TMP/bad.db" <<'PY'
import os, sys
f = open(sys.argv[1], "r+b"); size = os.path.getsize(sys.argv[1])
for off in range(size // 3, size // 3 + 40 * 4096, 4096):
    f.seek(off + 100); f.write(os.urandom(600))
PY
check "damaged copy: exit 1" run 1 "$BIN" --db "$TMP/bad.db" doctor
check "damaged: named" contains "$TMP/out" "fails its quick_check"
check "damaged: what to do" contains "$TMP/out" "mediadash restore"
check "missing database: exit 1" run 1 "$BIN" --db "$TMP/none.db" doctor
check "missing: named" contains "$TMP/out" "no database at $TMP/none.db"
check "doctor made no database" test ! -e "$TMP/none.db"
finish
