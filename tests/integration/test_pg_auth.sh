# Users, sessions and API tokens on PostgreSQL (docs/postgresql.md, "Users,
# sessions, tokens and sign-ins"): the CLI and a real `mediadash serve
# --no-worker --no-collect` over 127.0.0.1 against a fresh database on the
# tests' cluster (fixture pg): log in, the session, tokens made from the
# CLI and from the dashboard's API, bearer requests, revocation, a new
# password ending the session, logout; and no password or token in the
# database.
. "$(dirname "$0")/lib.sh"

DB=$(pg_newdb pgauth) || { echo "no PostgreSQL database" >&2; exit 1; }
# The secrets key and the media folder cannot sit beside a database that
# is not a file.
export MEDIADASH_SECRET_KEY_FILE="$TMP/pg.key"
export MEDIADASH_MEDIA_ROOT="$TMP/media"
mkdir -p "$MEDIADASH_MEDIA_ROOT"
# The whole database as SQL text (data included), to look for secrets.
pg_dump_all() {
  "${MEDIADASH_PGBIN:-/usr/lib/postgresql/15/bin}/pg_dump" --data-only -d "$1"
}

# ---- the CLI ------------------------------------------------------------
printf '%s\n' 'correct horse battery' >"$TMP/pw"
check "user add" run 0 "$BIN" --db "$DB" user add ann --password-file "$TMP/pw"
check "same name again refused" run 1 "$BIN" --db "$DB" user add ann --password-file "$TMP/pw"
check "user add Zed" run 0 "$BIN" --db "$DB" -q user add Zed --password-file "$TMP/pw"
check "user list" run 0 "$BIN" --db "$DB" user list --json
check "users in byte order" python3 -c '
import json,sys; u=[x["name"] for x in json.load(open(sys.argv[1]))["users"]]
sys.exit(0 if u == ["Zed", "ann"] else 1)' "$TMP/out"
check "token add" run 0 "$BIN" --db "$DB" token add ro --scope read
RO=$(cat "$TMP/out")
check "same live name refused" run 1 "$BIN" --db "$DB" token add ro --scope read
check "says the name is taken" contains "$TMP/err" "called ro already"
check "revoke unknown id: not found" run 4 "$BIN" --db "$DB" token revoke 999

# Without them: no <URI>.key default; serve says what to set.
check "serve without a key file refused" run 2 env -u MEDIADASH_SECRET_KEY_FILE "$BIN" --db "$DB" serve --listen 127.0.0.1:0 --no-collect --no-worker
check "says to set secret_key_file" contains "$TMP/err" "secret_key_file is not set"
env -u MEDIADASH_SECRET_KEY_FILE "$BIN" --db "$DB" doctor >"$TMP/doctor.out" 2>&1
check "doctor names no key file beside the URI" lacks "$TMP/doctor.out" "$DB.key"

# ---- serve: sessions and bearer tokens --------------------------------
check "serve starts" serve_start "$DB" --no-collect --no-worker
code() { # code OUTFILE CURL-ARGS...: the HTTP status of one request
  local out=$1; shift
  curl -s -m 20 -o "$out" -w '%{http_code}' "$@"
}
check "login" login "$DB" "$URL" ann 'correct horse battery'
check "GET /api/v1/session: 200" test "$(code "$TMP/s" -b "$COOKIES" "$URL/api/v1/session")" = 200
check "the session is ann's" contains "$TMP/s" '"ann"'
check "wrong password: 401" test "$(code "$TMP/w" -H "Origin: $URL" -H 'Content-Type: application/json' \
  --data '{"user":"ann","password":"wrong"}' "$URL/api/v1/login")" = 401
check "read token on GET /api/v1/session: 403 (session only)" test "$(code "$TMP/b" -H "Authorization: Bearer $RO" "$URL/api/v1/session")" = 403
check "unknown token: 401" test "$(code "$TMP/u" -H "Authorization: Bearer mdt_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" "$URL/api/v1/session")" = 401
check "POST /api/v1/tokens: 201" test "$(code "$TMP/a" -b "$COOKIES" -H "Origin: $URL" -H "X-CSRF-Token: $CSRF" \
  -H 'Content-Type: application/json' --data '{"name":"dash","scope":"write","expires":"30d"}' "$URL/api/v1/tokens")" = 201
DASH_ID=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["id"])' "$TMP/a")
DASH=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["token"])' "$TMP/a")
check "same name again: 409" test "$(code "$TMP/a2" -b "$COOKIES" -H "Origin: $URL" -H "X-CSRF-Token: $CSRF" \
  -H 'Content-Type: application/json' --data '{"name":"dash","scope":"read"}' "$URL/api/v1/tokens")" = 409
check "GET /api/v1/tokens: 200" test "$(code "$TMP/l" -b "$COOKIES" "$URL/api/v1/tokens")" = 200
check "lists dash (by ann) and ro (by cli), newest first" python3 -c '
import json,sys; t=json.load(open(sys.argv[1]))["tokens"]
ok = [x["name"] for x in t] == ["dash", "ro"] and t[0]["created_by"] == "ann" and t[1]["created_by"] == "cli"
sys.exit(0 if ok and all("token" not in x for x in t) else 1)' "$TMP/l"
check "DELETE /api/v1/tokens/ID: 200" test "$(code "$TMP/x" -b "$COOKIES" -H "Origin: $URL" -H "X-CSRF-Token: $CSRF" \
  -X DELETE "$URL/api/v1/tokens/$DASH_ID")" = 200
check "the CLI sees it revoked" run 0 "$BIN" --db "$DB" token list --json
check "dash revoked, ro live" python3 -c '
import json,sys; d={x["name"]: x["status"] for x in json.load(open(sys.argv[1]))["tokens"]}
sys.exit(0 if d == {"dash": "revoked", "ro": "live"} else 1)' "$TMP/out"
check "revoked token refused" test "$(code "$TMP/x2" -H "Authorization: Bearer $DASH" "$URL/api/v1/tokens")" = 401

# A new password ends every session of the user (one transaction).
printf '%s\n' 'another long passphrase' >"$TMP/pw2"
check "user passwd" run 0 "$BIN" --db "$DB" -q user passwd ann --password-file "$TMP/pw2"
# serve checks sessions from memory and rereads each from the store after
# AUTH_SESSION_RECHECK (2 s): a session ended by another process ends
# within that, as test_http_auth checks on SQLite.
gone_within() { # gone_within SECONDS: GET /api/v1/session answers 401
  local end=$(($(date +%s) + $1))
  while [ "$(date +%s)" -le "$end" ]; do
    [ "$(code "$TMP/s2" -b "$COOKIES" "$URL/api/v1/session")" = 401 ] && return 0
    sleep 0.2
  done
  test "$(code "$TMP/s2" -b "$COOKIES" "$URL/api/v1/session")" = 401
}
check "the old session is gone within 5 s: 401" gone_within 5
check "login with the new password" login "$DB" "$URL" ann 'another long passphrase'
check "logout: 200" test "$(code "$TMP/o" -b "$COOKIES" -H "Origin: $URL" -H "X-CSRF-Token: $CSRF" \
  -X POST "$URL/api/v1/logout")" = 200
check "after logout: 401" test "$(code "$TMP/s3" -b "$COOKIES" "$URL/api/v1/session")" = 401

# ---- nothing secret stored ----------------------------------------------
check "database dump" run 0 pg_dump_all "$DB"
check "the dump has the users" contains "$TMP/out" "argon2id"
check "no password in the database" lacks "$TMP/out" "correct horse"
check "no token in the database" lacks "$TMP/out" "$RO"
check "no dashboard token in the database" lacks "$TMP/out" "$DASH"
check "no secret in serve's log" lacks "$SERVE_ERR" "$RO"
finish
