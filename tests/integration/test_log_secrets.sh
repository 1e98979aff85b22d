# No secret ever in a log (issue 15): a whole session at the most verbose
# level (debug) with the access log on, then every line written (serve's
# stderr, the access log, the CLI commands' stderr) is searched for every
# secret the session used. Any hit fails and prints the line.
#
# The session: a user added with a known password, a login (cookie and
# CSRF token), a failed login, a bearer token and a public media link
# sent, an account connected from the dashboard through the fake
# platform's OAuth (client secret, authorization code, state, access and
# refresh tokens), a token refresh by `mediadash collect`, a test
# notification by webhook (signed with a secret, a token in its URL) and
# by mail (with an SMTP password), a logout.
#
# To add a secret: append "NAME=VALUE" to SECRETS (before the search).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/collect_lib.sh"

PY=python3
python3 -c 'import aiosmtpd' 2>/dev/null || PY=/usr/bin/python3
R="$TMP/recv"
mkdir -p "$R"
$PY "$SRC/tests/integration/notify_recv.py" "$R" >"$R.ports" 2>"$R.err" &
SERVERS="$SERVERS $!"
for _ in $(seq 200); do grep -q '^smtp ' "$R.ports" 2>/dev/null && break; sleep 0.1; done
WP=$(awk '/^webhook/{print $2}' "$R.ports")
SP=$(awk '/^smtp/{print $2}' "$R.ports")
check "receivers started" test -n "$WP" -a -n "$SP"

PASSWORD='pw-Secr3t-horse-9931'
WRONG_PASSWORD='typo-Secr3t-horse-9932'
WEBHOOK_SECRET='whsec-Secr3t-5521'
HOOK_TOKEN='hooktok-Secr3t-5522'
SMTP_PASSWORD='smtp-Secr3t-6631'
BEARER='mdt_bearer-Secr3t-7741'
MEDIA_TOKEN='mlink-Secr3t-8851'
OAUTH_CODE='code-Secr3t-4411'
export MEDIADASH_NOTIFY_WEBHOOK_SECRET="$WEBHOOK_SECRET"
export MEDIADASH_NOTIFY_SMTP_PASSWORD="$SMTP_PASSWORD"
cat >>"$TMP/md.conf" <<CONF
[notify]
webhook_url = http://127.0.0.1:$WP/hook?token=$HOOK_TOKEN
smtp_url = smtp://127.0.0.1:$SP
smtp_from = dash@example.com
smtp_to = ops@example.com
smtp_user = ops
smtp_starttls = 0
CONF

P=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
DCB="http://127.0.0.1:$P/oauth/callback"
ACCESS="$TMP/access.log"
LOGS=("$TMP/cli.err")
: >"$TMP/cli.err"
mdv() { "$BIN" --log-level debug --db "$DB" "$@" 2>>"$TMP/cli.err"; }

printf '%s\n' "$PASSWORD" >"$TMP/pw"
check "user add" mdv user add alice --password-file "$TMP/pw"
rm -f "$TMP/pw"
check "serve starts (debug, access log)" serve_start "$DB" --listen "127.0.0.1:$P" \
  --threads 2 --set log.level=debug --set "serve.access_log=$ACCESS" \
  --set "youtube.redirect_uri=$DCB"
LOGS+=("$SERVE_ERR" "$ACCESS")
check "login" login "$DB" "$URL" alice "$PASSWORD"
SESSION=$(awk '!/^#/ || /^#HttpOnly_/ {print $7}' "$COOKIES" | grep -v '^$' | tail -1)
check "a session cookie" test -n "$SESSION"
api() { curl -s -m 20 -b "$COOKIES" -H "Origin: $URL" -H "X-CSRF-Token: $CSRF" "$@"; }

python3 -c 'import json,sys; print(json.dumps({"user": "alice", "password": sys.argv[1]}))' \
  "$WRONG_PASSWORD" >"$TMP/bad.json"
check "a failed login: 401" test "$(curl -s -m 20 -o /dev/null -w '%{http_code}' -H "Origin: $URL" \
  -H 'Content-Type: application/json' --data-binary @"$TMP/bad.json" "$URL/api/v1/login")" = 401
check "a bearer token: answered" test -n "$(curl -s -m 20 -o /dev/null -w '%{http_code}' \
  -H "Authorization: Bearer $BEARER" "$URL/api/v1/sources")"
API_TOKEN=$("$BIN" --log-level debug --db "$DB" token add logs-test --scope write 2>>"$TMP/cli.err")
check "an API token made" test -n "$API_TOKEN"
check "the API token reads: 200" test "$(curl -s -m 20 -o /dev/null -w '%{http_code}' \
  -H "Authorization: Bearer $API_TOKEN" "$URL/api/v1/sources")" = 200
check "the API token writes without CSRF: 200" test "$(curl -s -m 20 -o /dev/null -w '%{http_code}' \
  -H "Authorization: Bearer $API_TOKEN" -H 'Content-Type: application/json' \
  --data '{"zone": "UTC"}' "$URL/api/v1/settings/zone")" = 200
check "a public media link: 404" test "$(curl -s -m 20 -o /dev/null -w '%{http_code}' "$URL/m/$MEDIA_TOKEN")" = 404

# ---- an account connected from the dashboard, its token refreshed -------
control '{"expires_in": 120}' # within oauth.refresh_margin: refreshed
check "connect youtube" test "$(api -o "$TMP/begin.json" -w '%{http_code}' -H 'Content-Type: application/json' \
  --data '{"account": "UC1"}' "$URL/api/v1/connections/youtube")" = 200
python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["url"])' "$TMP/begin.json" >"$TMP/consent"
STATE=$(param "$TMP/consent" state)
chal=$(param "$TMP/consent" code_challenge)
client=$(param "$TMP/consent" client_id)
check "state and challenge" test -n "$STATE" -a -n "$chal"
control "{\"oauth_codes\": {\"$OAUTH_CODE\": {\"client_id\": \"$client\", \"redirect_uri\": \"$DCB\", \"code_challenge\": \"$chal\"}}}"
check "callback: 303" test "$(curl -s -m 30 -b "$COOKIES" -o /dev/null -w '%{http_code}' \
  "$URL/oauth/callback?code=$OAUTH_CODE&state=$STATE&scope=x")" = 303
connected() { md connections --json | python3 -c 'import json,sys; sys.exit(0 if any(c["status"] == "ok" for c in json.load(sys.stdin)) else 1)'; }
ok=no
for _ in $(seq 120); do connected && { ok=yes; break; }; sleep 0.25; done
check "the account is connected" test "$ok" = yes
tokens0=$(stat_path /token)
all_due
check "collect (refreshes the token)" mdv collect
check "the token was refreshed" test "$(stat_path /token)" -gt "$tokens0"

# ---- a test notification by webhook and mail --------------------------------
check "notify test queued" test "$(api -o /dev/null -w '%{http_code}' -X POST "$URL/api/v1/notify/test")" = 202
hooks() { [ -f "$R/hooks.jsonl" ] && [ "$(wc -l <"$R/hooks.jsonl")" -ge 1 ]; }
ok=no
for _ in $(seq 150); do hooks && { ok=yes; break; }; sleep 0.2; done
check "a webhook was sent" test "$ok" = yes
check "a CLI notify test too" bash -c "'$BIN' --log-level debug --db '$DB' notify test >/dev/null 2>>'$TMP/cli.err' || true"

check "logout: 200" test "$(api -o /dev/null -w '%{http_code}' -X POST "$URL/api/v1/logout")" = 200
check "the old cookie: 401" test "$(curl -s -m 20 -o /dev/null -w '%{http_code}' -b "$COOKIES" "$URL/api/v1/sources")" = 401
kill -TERM "$SERVER"
for _ in $(seq 100); do kill -0 "$SERVER" 2>/dev/null || break; sleep 0.1; done
check "serve stopped" bash -c "! kill -0 $SERVER 2>/dev/null"
check "no sanitizer report" lacks "$SERVE_ERR" "Sanitizer"

# ---- the search ----------------------------------------------------------------
SECRETS=(
  "password=$PASSWORD"
  "wrong password=$WRONG_PASSWORD"
  "session cookie=$SESSION"
  "CSRF token=$CSRF"
  "youtube client secret=fake-google-secret"
  "instagram client secret=fake-meta-secret"
  "tiktok client secret=fake-tiktok-secret"
  "OAuth code=$OAUTH_CODE"
  "OAuth state=$STATE"
  "access token=fake-at-"
  "refresh token=fake-rt-"
  "webhook secret=$WEBHOOK_SECRET"
  "webhook URL token=$HOOK_TOKEN"
  "SMTP password=$SMTP_PASSWORD"
  "bearer token=$BEARER"
  "API token=$API_TOKEN"
  "media link token=$MEDIA_TOKEN"
)
echo "serve's log (head):"
head -5 "$SERVE_ERR" | sed 's/^/  /'
echo "access log (head):"
head -3 "$ACCESS" | sed 's/^/  /'
lines=$(cat "${LOGS[@]}" | wc -l)
echo "searched: $lines log lines ($(wc -l <"$SERVE_ERR") serve, $(wc -l <"$ACCESS") access, $(wc -l <"$TMP/cli.err") CLI)"
check "debug lines were written" grep -q 'level=debug' "$SERVE_ERR"
check "the access log has the session" test "$(wc -l <"$ACCESS")" -ge 8
check "the access log names the user" grep -q ' user=alice ' "$ACCESS"
check "the access log names the API token" grep -q ' token=logs-test ' "$ACCESS"
# the search below finds what is there (a value each log holds)
check "the search sees serve's log" grep -qF -- '"alice\"' "$SERVE_ERR"
check "the search sees the access log" grep -qF -- 'path=/api/v1/logout' "$ACCESS"
for s in "${SECRETS[@]}"; do
  name=${s%%=*}
  value=${s#*=}
  check "$name is set" test -n "$value"
  [ -n "$value" ] || continue
  if grep -F -n -- "$value" "${LOGS[@]}" >"$TMP/hits"; then
    echo "  $name found in the logs:" >&2
    sed 's/^/    /' "$TMP/hits" | head -5 >&2
    check "no $name in the logs" false
  else
    check "no $name in the logs" true
  fi
done
finish
