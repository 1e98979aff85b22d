# mediadash connect / connections against the fake platform server: the
# loopback callback flow (driven here with curl), the --no-listen +
# --code/--state flow, key file permissions, and no token in plain text
# in the database, its WAL or the program's stderr.
. "$(dirname "$0")/lib.sh"

SRC=$(cd "$DATA/../.." && pwd)
DB="$TMP/o.db"
md() { "$BIN" -v --db "$DB" "$@"; }

python3 "$SRC/tests/fakeplat/fakeplat.py" --data "$DATA/fakeplat/dataset.json" \
  --max-lifetime 60 >"$TMP/port" &
FAKE=$!
CONNECT=
trap 'kill $FAKE $CONNECT 2>/dev/null; wait $FAKE 2>/dev/null; rm -rf "$TMP"' EXIT
for _ in $(seq 100); do [ -s "$TMP/port" ] && break; sleep 0.1; done
B="http://127.0.0.1:$(head -1 "$TMP/port")"
CB_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
CB="http://127.0.0.1:$CB_PORT/oauth/callback"
control() { curl -sS --max-time 10 -o /dev/null -d "$1" "$B/_control"; }
param() { sed -n "s/.*[?&]$2=\([^&]*\).*/\1/p" "$1" | head -1; }

cat >"$TMP/md.conf" <<CONF
# test configuration: everything points at the fake
[youtube]
client_id = fake-google-client
auth_url = $B/o/oauth2/v2/auth
token_url = $B/token
redirect_uri = $CB
[tiktok]
client_id = fake-tiktok-key
token_url = $B/v2/oauth/token/
redirect_uri = $CB
CONF
export MEDIADASH_CONFIG="$TMP/md.conf"
export MEDIADASH_YOUTUBE_CLIENT_SECRET=fake-google-secret
printf 'fake-tiktok-secret\n' >"$TMP/tt.secret"
export MEDIADASH_TIKTOK_CLIENT_SECRET_FILE="$TMP/tt.secret"

check "fake started" test -n "$(head -1 "$TMP/port")"

# ---- loopback flow ------------------------------------------------------
md connect youtube --account UC1 --timeout 20 >"$TMP/c1.out" 2>"$TMP/c1.err" &
CONNECT=$!
for _ in $(seq 100); do grep -q "Waiting" "$TMP/c1.out" 2>/dev/null && break; sleep 0.1; done
STATE=$(param "$TMP/c1.out" state)
CHAL=$(param "$TMP/c1.out" code_challenge)
check "consent URL printed" contains "$TMP/c1.out" "$B/o/oauth2/v2/auth?client_id=fake-google-client"
check "state and PKCE in the URL" test -n "$STATE" -a -n "$CHAL"
check "S256" contains "$TMP/c1.out" "code_challenge_method=S256"
control "{\"oauth_codes\": {\"yt-code-1\": {\"client_id\": \"fake-google-client\", \"redirect_uri\": \"$CB\", \"code_challenge\": \"$CHAL\"}}}"
bad=$(curl -s --max-time 10 -o /dev/null -w '%{http_code}' "$CB?code=yt-code-1&state=forged")
check "a wrong state is refused" test "$bad" = 400
ok=$(curl -s --max-time 10 -o "$TMP/cb.html" -w '%{http_code}' "$CB?code=yt-code-1&state=$STATE&scope=x")
check "callback answered" test "$ok" = 200
wait $CONNECT
rc=$?
CONNECT=
check "connect exited 0" test "$rc" = 0
check "connected" contains "$TMP/c1.out" "connected youtube account UC1 (access token expires 20"
check "key file made" test -f "$DB.key"
check "key file mode 600" test "$(stat -c %a "$DB.key")" = 600
check "one code exchange" test "$(curl -s "$B/_stats" | python3 -c 'import json,sys; print(json.load(sys.stdin)["paths"]["/token"])')" = 1

# ---- manual flow: --no-listen, then --code/--state -----------------------
check "no-listen" run 0 md connect tiktok --no-listen
cp "$TMP/out" "$TMP/c2.out"
STATE=$(param "$TMP/c2.out" state)
CHAL=$(param "$TMP/c2.out" code_challenge)
check "hex challenge for TikTok" test "${#CHAL}" = 64
check "says how to finish" contains "$TMP/c2.out" "mediadash connect tiktok --state $STATE --code CODE"
control "{\"oauth_codes\": {\"tt-code-1\": {\"client_id\": \"fake-tiktok-key\", \"redirect_uri\": \"$CB\", \"code_challenge\": \"$CHAL\"}}}"
check "code by hand" run 0 md connect tiktok --state "$STATE" --code tt-code-1
cp "$TMP/err" "$TMP/c2.err"
check "tiktok account is the open_id" contains "$TMP/out" "connected tiktok account -000mediadashDemoOpenId0001"
check "a state is single use" run 1 md connect tiktok --state "$STATE" --code tt-code-1
check "names the state" contains "$TMP/err" "unknown, used or expired authorization state"
check "code without state" run 2 md connect tiktok --code x

# ---- connections ------------------------------------------------------------
check "connections" run 0 md connections
check "lists youtube" contains "$TMP/out" "UC1"
check "lists status" contains "$TMP/out" "ok"
check "connections --json" run 0 md connections --json
check "valid JSON" python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert len(d)==2 and {c["platform"] for c in d}=={"youtube","tiktok"} and all(c["status"]=="ok" and c["refresh_token"] is True for c in d)' "$TMP/out"
check "no token in the listing" lacks "$TMP/out" "fake-"

# ---- configuration and key errors ----------------------------------------
check "secret as a flag refused" run 2 md connect youtube --set youtube.client_secret=x --no-listen
check "says where secrets go" contains "$TMP/err" "MEDIADASH_YOUTUBE_CLIENT_SECRET"
printf '[youtube]\nclient_id = a\nbogus = 1\n' >"$TMP/bad.conf"
check "bad config line" run 2 md connect youtube --config "$TMP/bad.conf" --no-listen
check "names file and line" contains "$TMP/err" "bad.conf:3: unknown key \"youtube.bogus\""
chmod 644 "$DB.key"
check "readable key file refused" run 1 md connect youtube --no-listen
check "names the fix" contains "$TMP/err" "chmod 600 $DB.key"
chmod 600 "$DB.key"
check "600 accepted again" run 0 md connect youtube --no-listen

# ---- no token in plain text ---------------------------------------------
check "tokens were issued" test "$(curl -s "$B/_stats" | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')" -ge 2
check "sealed values stored" grep -aq "v1:" "$DB" "$DB-wal"
for f in "$DB" "$DB-wal" "$TMP/c1.out" "$TMP/c1.err" "$TMP/c2.out" "$TMP/c2.err"; do
  [ -e "$f" ] || continue
  check "no access token in $(basename "$f")" bash -c "! grep -aq fake-at- '$f'"
  check "no refresh token in $(basename "$f")" bash -c "! grep -aq fake-rt- '$f'"
done
finish
