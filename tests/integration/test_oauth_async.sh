# The dashboard's OAuth callback does no network I/O (issue 13, http.h):
# with the fake platform's token endpoint answering only after
# TOKEN_DELAY s, the callback answers at once (303 to the Sources page
# with ?pending=ID) while serve's OAuth loop runs the exchange; with a
# single HTTP worker thread, other requests are answered meanwhile; the
# Sources API lists the sign-in as queued or running, then ok. The
# callback hit again while the exchange runs leads to the same sign-in,
# and the code is exchanged exactly once.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/collect_lib.sh"

TOKEN_DELAY=10 # the fake's maximum
P=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
DCB="http://127.0.0.1:$P/oauth/callback"
check "serve starts (one worker thread)" serve_start "$DB" --listen "127.0.0.1:$P" \
  --threads 1 --set "youtube.redirect_uri=$DCB"
check "login" login "$DB" "$URL"

post() { curl -s -m 20 -b "$COOKIES" -H "Origin: $URL" "$@"; }
# callback QUERY: GET /oauth/callback?QUERY with the session; status,
# seconds taken and Location into $TMP/cb.code, cb.time, cb.loc.
callback() {
  curl -s -m 30 -b "$COOKIES" -o "$TMP/cb.body" \
    -w '%{http_code} %{time_total} %{redirect_url}' \
    "$URL/oauth/callback?$1" >"$TMP/cb.res"
  cut -d' ' -f1 "$TMP/cb.res" >"$TMP/cb.code"
  cut -d' ' -f2 "$TMP/cb.res" >"$TMP/cb.time"
  cut -d' ' -f3- "$TMP/cb.res" >"$TMP/cb.loc"
}
pending_id() { sed -n 's|.*/#/sources?pending=\([0-9]*\)$|\1|p' "$TMP/cb.loc"; }
# sign_in ID: the status of sign-in ID in GET /api/v1/sources "connecting"
sign_in() {
  curl -s -m 10 -b "$COOKIES" "$URL/api/v1/sources" |
    python3 -c 'import json,sys; r=[c for c in json.load(sys.stdin)["connecting"] if str(c["id"]) == sys.argv[1]]; print(r[0]["status"] + " " + str(r[0]["account"]) + " " + str(r[0]["error"]) if r else "missing")' "$1"
}
fast() { python3 -c 'import sys; sys.exit(0 if float(sys.argv[1]) < float(sys.argv[2]) else 1)' "$1" "$2"; }

check "connect youtube" test "$(post -o "$TMP/begin.json" -w '%{http_code}' -H "X-CSRF-Token: $CSRF" -H 'Content-Type: application/json' --data '{"account": "UCslow"}' "$URL/api/v1/connections/youtube")" = 200
python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["url"])' "$TMP/begin.json" >"$TMP/consent"
state=$(param "$TMP/consent" state)
chal=$(param "$TMP/consent" code_challenge)
client=$(param "$TMP/consent" client_id)
check "state and PKCE challenge" test -n "$state" -a -n "$chal"
control "{\"oauth_codes\": {\"slow-code\": {\"client_id\": \"$client\", \"redirect_uri\": \"$DCB\", \"code_challenge\": \"$chal\"}}, \"token_delay\": $TOKEN_DELAY}"
tokens0=$(stat_path /token)

start=$(date +%s.%N)
callback "code=slow-code&state=$state"
echo "callback answered in $(cat "$TMP/cb.time") s (the token endpoint takes $TOKEN_DELAY s)"
check "callback: 303" test "$(cat "$TMP/cb.code")" = 303
check "to the Sources page, pending" grep -q '/#/sources?pending=[0-9][0-9]*$' "$TMP/cb.loc"
check "callback answered before the exchange could finish (< 3 s)" fast "$(cat "$TMP/cb.time")" 3
id=$(pending_id)
callback "code=slow-code&state=$state"
echo "the callback again: answered in $(cat "$TMP/cb.time") s"
check "the callback again: at once" fast "$(cat "$TMP/cb.time")" 3
check "the callback again: the same sign-in" test "$(pending_id)" = "$id"
s=$(sign_in "$id")
echo "sign-in $id right after the callback: $s"
check "sources: queued or running" bash -c "case '$s' in queued*|running*) exit 0;; *) exit 1;; esac"
h=$(curl -s -m 10 -o /dev/null -w '%{http_code} %{time_total}' "$URL/api/v1/health")
echo "health during the exchange: $h"
check "the one worker thread answers others meanwhile" fast "${h#* }" 3
check "health: 200" test "${h%% *}" = 200

s=missing
deadline=$(($(date +%s) + 45)) # the exchange: 10 s here, at most 2 x 20 s
while [ "$(date +%s)" -lt "$deadline" ]; do
  s=$(sign_in "$id")
  case "$s" in ok*|error*) break ;; esac
  sleep 0.25
done
end=$(date +%s.%N)
echo "sign-in $id: $s after $(python3 -c "print(round($end - $start, 1))") s"
check "then: connected" test "$s" = "ok UCslow None"
check "sources: youtube UCslow ok" bash -c "curl -s -m 10 -b '$COOKIES' '$URL/api/v1/sources' | python3 -c 'import json,sys; a=[x for x in json.load(sys.stdin)[\"accounts\"] if x[\"account\"] == \"UCslow\"]; sys.exit(0 if len(a) == 1 and a[0][\"connection\"] == \"ok\" else 1)'"
n=$(($(stat_path /token) - tokens0))
echo "token requests for the code: $n"
check "the code was exchanged exactly once" test "$n" = 1
callback "code=slow-code&state=$state"
check "after it finished: the same sign-in, nothing exchanged" test "$(pending_id)" = "$id" -a "$(($(stat_path /token) - tokens0))" = 1
control '{"token_delay": 0}'
check "no code or token in the log" bash -c "! grep -aqE 'slow-code|fake-at-' '$SERVE_ERR'"
finish
