# Connecting an account from the dashboard over real HTTP: a logged-in
# user POSTs /api/v1/connections/youtube (CSRF-protected) and gets the
# consent URL; the fake platform redirects to <dashboard>/oauth/callback
# with code and state; serve queues the exchange (its OAuth loop runs it,
# not the request thread), sends the browser to the Sources page with
# ?pending=ID, and the Sources API's "connecting" shows the result: the
# account ok (and the collector, kicked, collects it), or the platform's
# refusal. A forged state, a refusal on the consent page and a callback
# without the session are refused at once with clear messages, exchanging
# nothing; the same state again leads to the same sign-in, exchanged once.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/collect_lib.sh"

P=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
DCB="http://127.0.0.1:$P/oauth/callback"
check "serve starts" serve_start "$DB" --listen "127.0.0.1:$P" --threads 2 \
  --set "youtube.redirect_uri=$DCB"
check "login" login "$DB" "$URL"

post() { curl -s -m 20 -b "$COOKIES" -H "Origin: $URL" "$@"; }
# callback QUERY [CURL OPTS]: GET /oauth/callback?QUERY; status and
# Location into $TMP/cb.code, $TMP/cb.loc.
callback() {
  local q=$1
  shift
  curl -s -m 30 "$@" -o "$TMP/cb.body" -w '%{http_code} %{redirect_url}' \
    "$URL/oauth/callback?$q" >"$TMP/cb.res"
  cut -d' ' -f1 "$TMP/cb.res" >"$TMP/cb.code"
  cut -d' ' -f2- "$TMP/cb.res" | python3 -c 'import sys, urllib.parse; print(urllib.parse.unquote_plus(sys.stdin.read().strip()))' >"$TMP/cb.loc"
}

# wait_pending ID: poll GET /api/v1/sources (at most 30 s) until sign-in ID
# is ok or error; its row into $TMP/pend.json.
wait_pending() {
  local i
  for i in $(seq 120); do
    curl -s -m 10 -b "$COOKIES" "$URL/api/v1/sources" >"$TMP/pend.all"
    python3 -c 'import json,sys; r=[c for c in json.load(open(sys.argv[1]))["connecting"] if str(c["id"]) == sys.argv[2]]; json.dump(r[0] if r else None, open(sys.argv[3], "w")); sys.exit(0 if r and r[0]["status"] in ("ok", "error") else 1)' "$TMP/pend.all" "$1" "$TMP/pend.json" && { echo "sign-in $1 finished after $i polls"; return 0; }
    sleep 0.25
  done
  return 1
}
pend() { python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); sys.exit(0 if eval(sys.argv[2]) else 1)' "$TMP/pend.json" "$1"; }
pending_id() { sed -n 's|.*/#/sources?pending=\([0-9]*\)$|\1|p' "$TMP/cb.loc"; }

check "sources: empty" bash -c "curl -s -m 10 -b '$COOKIES' '$URL/api/v1/sources' | python3 -c 'import json,sys; d=json.load(sys.stdin); sys.exit(0 if d[\"accounts\"] == [] and not d[\"needs_relogin\"] else 1)'"
check "connect without CSRF: 403" test "$(post -o /dev/null -w '%{http_code}' -X POST "$URL/api/v1/connections/youtube")" = 403
check "connect an unknown platform: 404" test "$(post -o /dev/null -w '%{http_code}' -H "X-CSRF-Token: $CSRF" -X POST "$URL/api/v1/connections/myspace")" = 404
check "connect youtube" test "$(post -o "$TMP/begin.json" -w '%{http_code}' -H "X-CSRF-Token: $CSRF" -H 'Content-Type: application/json' --data '{"account": "UC1"}' "$URL/api/v1/connections/youtube")" = 200
python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["url"])' "$TMP/begin.json" >"$TMP/consent"
check "consent URL at the platform" contains "$TMP/consent" "$B/o/oauth2/v2/auth?"
check "redirect_uri is the dashboard" contains "$TMP/consent" "redirect_uri=http%3A%2F%2F127.0.0.1%3A$P%2Foauth%2Fcallback"
state=$(param "$TMP/consent" state)
chal=$(param "$TMP/consent" code_challenge)
client=$(param "$TMP/consent" client_id)
check "state and PKCE challenge" test -n "$state" -a -n "$chal"
control "{\"oauth_codes\": {\"dash-code\": {\"client_id\": \"$client\", \"redirect_uri\": \"$DCB\", \"code_challenge\": \"$chal\"}}}"

# no session cookie (a SameSite=Strict cookie on the platform's redirect)
callback "code=dash-code&state=$state"
check "no cookie: a page that reloads from our origin" test "$(cat "$TMP/cb.code")" = 200
check "it reloads the same callback" contains "$TMP/cb.body" "http-equiv=\"refresh\" content=\"0;url=/oauth/callback?code=dash-code&amp;state=$state&amp;again=1\""
callback "code=dash-code&state=$state&again=1"
check "still no cookie: to the login page" test "$(cat "$TMP/cb.code")" = 302
check "login location" contains "$TMP/cb.loc" "/login"

tokens0=$(stat_path /token)
callback "code=dash-code&state=$state" -b "$COOKIES"
check "callback: 303" test "$(cat "$TMP/cb.code")" = 303
check "to the Sources page, pending" grep -q '/#/sources?pending=[0-9][0-9]*$' "$TMP/cb.loc"
id=$(pending_id)
check "the sign-in finishes" wait_pending "$id"
check "connecting: youtube UC1 ok" pend 'r["status"] == "ok" and r["platform"] == "youtube" and r["account"] == "UC1" and r["error"] is None and r["finished_at"]'
check "sources: youtube ok" bash -c "curl -s -m 10 -b '$COOKIES' '$URL/api/v1/sources' | python3 -c 'import json,sys; d=json.load(sys.stdin); a=d[\"accounts\"]; sys.exit(0 if len(a) == 1 and a[0][\"platform\"] == \"youtube\" and a[0][\"account\"] == \"UC1\" and a[0][\"connection\"] == \"ok\" else 1)'"
check "connections lists it" bash -c "'$BIN' --db '$DB' connections | grep -q 'youtube.*UC1.*ok'"
ok=no
for _ in $(seq 80); do
  curl -s -m 10 -b "$COOKIES" "$URL/api/v1/sources" >"$TMP/s.json"
  python3 -c 'import json,sys; a=json.load(open(sys.argv[1]))["accounts"][0]; sys.exit(0 if a["status"] == "ok" and a["last_fetch"] and a["items_tracked"] == 60 else 1)' "$TMP/s.json" && { ok=yes; break; }
  sleep 0.25
done
check "the collector, kicked, collected the new account" test "$ok" = yes

callback "code=dash-code&state=$state" -b "$COOKIES"
check "the same state again: 303" test "$(cat "$TMP/cb.code")" = 303
check "the same state again: the same sign-in" test "$(pending_id)" = "$id"
check "the code was exchanged once" test "$(($(stat_path /token) - tokens0))" = 1
callback "code=dash-code&state=forged-state-0123456789" -b "$COOKIES"
check "a forged state: refused" contains "$TMP/cb.loc" "already used or expired"
callback "error=access_denied&state=$state" -b "$COOKIES"
check "consent refused: said so" contains "$TMP/cb.loc" "did not connect the account: access_denied"
callback "state=$state" -b "$COOKIES"
check "no code: said so" contains "$TMP/cb.loc" "had no code or state"

# the platform refuses the code (not registered at the fake)
post -o "$TMP/begin.json" -H "X-CSRF-Token: $CSRF" -X POST "$URL/api/v1/connections/tiktok" >/dev/null
state2=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["url"])' "$TMP/begin.json" | sed -n 's/.*[?&]state=\([^&]*\).*/\1/p')
check "tiktok consent started" test -n "$state2"
callback "code=never-issued&state=$state2" -b "$COOKIES"
id2=$(pending_id)
check "an unknown code: queued" test -n "$id2" -a "$id2" != "$id"
check "an unknown code: finishes" wait_pending "$id2"
check "an unknown code: the platform's refusal shown" pend 'r["status"] == "error" and r["platform"] == "tiktok" and r["error"].startswith("The platform refused the sign-in")'
callback "code=never-issued&state=$state2" -b "$COOKIES"
check "that state again: the same sign-in" test "$(pending_id)" = "$id2"
check "no token in the log" bash -c "! grep -aq 'fake-at-' '$SERVE_ERR'"
finish
