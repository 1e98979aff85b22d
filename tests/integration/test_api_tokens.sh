# API tokens (issue 15): `mediadash token add|list|revoke` and
# "Authorization: Bearer" on the API of a real `mediadash serve` over
# 127.0.0.1 with a real SQLite file: scopes, no CSRF for a bearer, expiry,
# revoke from the CLI (within AUTH_TOKEN_RECHECK = 2 s) and from the
# dashboard's API (at once), a session still working, wrong tokens
# audited and throttled, and no token ever in a log, a listing or the
# database file.
. "$(dirname "$0")/lib.sh"

DB=$(newdb tokens)
"$BIN" --db "$DB" -q import --observed-at 2024-06-01T12:00:00Z \
  "$DATA/cli/videos_page.json" "$DATA/youtube/channels_mine.json"

# ---- the CLI ------------------------------------------------------------
check "token add read" run 0 "$BIN" --db "$DB" token add ro --scope read --expires 90d
RO=$(cat "$TMP/out")
check "the token is printed once, alone, with its prefix" python3 -c '
import re,sys; t=open(sys.argv[1]).read(); sys.exit(0 if re.fullmatch(r"mdt_[A-Za-z0-9_-]{43}\n", t) else 1)' "$TMP/out"
check "stderr says it is shown once" contains "$TMP/err" "shown this once"
check "stderr does not repeat it" lacks "$TMP/err" "$RO"
check "token add write" run 0 "$BIN" --db "$DB" -q token add rw --scope write
RW=$(cat "$TMP/out")
check "two tokens differ" test "$RO" != "$RW"
check "same live name refused" run 1 "$BIN" --db "$DB" token add ro --scope read
check "says the name is taken" contains "$TMP/err" "called ro already"
check "no scope: usage" run 2 "$BIN" --db "$DB" token add x
check "bad scope: usage" run 2 "$BIN" --db "$DB" token add x --scope admin
check "bad expiry: usage" run 2 "$BIN" --db "$DB" token add x --scope read --expires 90
check "digits-only name: usage" run 2 "$BIN" --db "$DB" token add 42 --scope read
check "bad name: usage" run 2 "$BIN" --db "$DB" token add 'a b' --scope read
check "unknown subcommand" run 2 "$BIN" --db "$DB" token frob
check "revoke unknown id: not found" run 4 "$BIN" --db "$DB" token revoke 999
check "revoke unknown name: not found" run 4 "$BIN" --db "$DB" token revoke nobody

# ---- serve: bearer requests -------------------------------------------
# log.level=info: the line each token request logs is an info line.
check "serve starts" serve_start "$DB" --no-collect --no-worker --set log.level=info
# Made while serve runs (the store is shared); expires in 15 s.
code() { # code OUTFILE CURL-ARGS...: the HTTP status of one request
  local out=$1; shift
  curl -s -m 20 -o "$out" -D "$out.h" -w '%{http_code}' "$@"
}
check "token add short-lived" run 0 "$BIN" --db "$DB" -q token add short --scope read --expires 15s
SHORT=$(cat "$TMP/out")
SHORT_AT=$(date +%s)
# First use at once: the checks below take seconds on a loaded machine,
# which must not eat into the 15 s.
check "short-lived token works at first" test "$(code "$TMP/e0" -H "Authorization: Bearer $SHORT" "$URL/api/v1/settings")" = 200
check "GET with a read token: 200" test "$(code "$TMP/g" -H "Authorization: Bearer $RO" "$URL/api/v1/settings")" = 200
check "the answer is the settings" contains "$TMP/g" '"zone"'
check "no token, no cookie: 401" test "$(code "$TMP/n" "$URL/api/v1/settings")" = 401
check "POST with a read token: 403" test "$(code "$TMP/p" -H "Authorization: Bearer $RO" \
  -H 'Content-Type: application/json' --data '{"zone":"UTC"}' "$URL/api/v1/settings/zone")" = 403
check "403 in the API's error shape, naming the scope" python3 -c '
import json,sys; e=json.load(open(sys.argv[1]))["error"]; sys.exit(0 if e["status"] == 403 and "scope read" in e["message"] else 1)' "$TMP/p"
check "POST with a write token, no Origin, no CSRF: 200" test "$(code "$TMP/w" -H "Authorization: Bearer $RW" \
  -H 'Content-Type: application/json' --data '{"zone":"UTC"}' "$URL/api/v1/settings/zone")" = 200
check "write token on the token API: 403 (session only)" test "$(code "$TMP/t" -H "Authorization: Bearer $RW" "$URL/api/v1/tokens")" = 403
check "write token cannot make tokens" test "$(code "$TMP/t2" -H "Authorization: Bearer $RW" \
  -H 'Content-Type: application/json' --data '{"name":"x","scope":"write"}' "$URL/api/v1/tokens")" = 403
check "write token has no session" test "$(code "$TMP/s" -H "Authorization: Bearer $RW" "$URL/api/v1/session")" = 403
check "unknown token: 401" test "$(code "$TMP/u" -H "Authorization: Bearer mdt_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" "$URL/api/v1/settings")" = 401
check "with WWW-Authenticate: Bearer error=invalid_token" grep -qi '^WWW-Authenticate: Bearer error="invalid_token"' "$TMP/u.h"
check "malformed token: 401" test "$(code "$TMP/m" -H "Authorization: Bearer not-a-token" "$URL/api/v1/settings")" = 401

# ---- revoke from the CLI while serve runs ---------------------------------
check "rw works before the revoke" test "$(code "$TMP/r0" -H "Authorization: Bearer $RW" "$URL/api/v1/settings")" = 200
check "token revoke rw (CLI)" run 0 "$BIN" --db "$DB" token revoke rw
t0=$(date +%s%N)
st=200
last200=-1 # when (ms after the revoke) the last request answered 200 began
while [ $(( ($(date +%s%N) - t0) / 1000000 )) -lt 30000 ]; do # 30 s at most
  sent=$(( ($(date +%s%N) - t0) / 1000000 ))
  st=$(code "$TMP/r1" -H "Authorization: Bearer $RW" "$URL/api/v1/settings")
  [ "$st" = 401 ] && break
  [ "$st" = 200 ] && last200=$sent
  sleep 0.1
done
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
echo "  a CLI revoke took effect in serve after $ms ms (last 200 sent at $last200 ms)"
check "revoked token: 401" test "$st" = 401
# The cache keeps a token at most 2 s after it last read the store, which
# was before the revoke: a request sent later than that is refused. Judged
# by when each request was sent, not by when its answer came back, so a
# loaded machine's slow answers do not matter (+0.5 s for the clocks).
check "within the 2 s recheck" test "$last200" -le 2500
check "says revoked" contains "$TMP/r1" "revoked"
check "revoked token: invalid_token challenge" grep -qi 'Bearer error="invalid_token"' "$TMP/r1.h"

# ---- expiry ------------------------------------------------------------------
while [ $(( $(date +%s) - SHORT_AT )) -le 16 ]; do sleep 0.5; done
check "expired token: 401" test "$(code "$TMP/e1" -H "Authorization: Bearer $SHORT" "$URL/api/v1/settings")" = 401
check "says expired" contains "$TMP/e1" "expired"
check "a new token may take an expired one's name" run 0 "$BIN" --db "$DB" -q token add short --scope read
SHORT2=$(cat "$TMP/out")

# ---- the session and the dashboard's token API -----------------------------
check "login" login "$DB" "$URL"
check "cookie + CSRF still works" test "$(code "$TMP/c" -b "$COOKIES" -H "Origin: $URL" -H "X-CSRF-Token: $CSRF" \
  -H 'Content-Type: application/json' --data '{"zone":"UTC"}' "$URL/api/v1/settings/zone")" = 200
check "cookie without CSRF: 403" test "$(code "$TMP/c2" -b "$COOKIES" -H "Origin: $URL" \
  -H 'Content-Type: application/json' --data '{"zone":"UTC"}' "$URL/api/v1/settings/zone")" = 403
check "cookie + read bearer: judged by the bearer (403)" test "$(code "$TMP/cb" -b "$COOKIES" -H "Origin: $URL" \
  -H "X-CSRF-Token: $CSRF" -H "Authorization: Bearer $RO" \
  -H 'Content-Type: application/json' --data '{"zone":"UTC"}' "$URL/api/v1/settings/zone")" = 403
check "POST /api/v1/tokens without CSRF: 403" test "$(code "$TMP/a0" -b "$COOKIES" -H "Origin: $URL" \
  -H 'Content-Type: application/json' --data '{"name":"dash","scope":"write"}' "$URL/api/v1/tokens")" = 403
check "POST /api/v1/tokens bad scope: 400 naming it" test "$(code "$TMP/a1" -b "$COOKIES" -H "Origin: $URL" -H "X-CSRF-Token: $CSRF" \
  -H 'Content-Type: application/json' --data '{"name":"dash","scope":"admin"}' "$URL/api/v1/tokens")" = 400
check "names scope" contains "$TMP/a1" '"param":"scope"'
check "POST /api/v1/tokens: 201" test "$(code "$TMP/a" -b "$COOKIES" -H "Origin: $URL" -H "X-CSRF-Token: $CSRF" \
  -H 'Content-Type: application/json' --data '{"name":"dash","scope":"write","expires":"30d"}' "$URL/api/v1/tokens")" = 201
DASH=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["token"])' "$TMP/a")
DASH_ID=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["id"])' "$TMP/a")
check "same name again: 409" test "$(code "$TMP/a2" -b "$COOKIES" -H "Origin: $URL" -H "X-CSRF-Token: $CSRF" \
  -H 'Content-Type: application/json' --data '{"name":"dash","scope":"read"}' "$URL/api/v1/tokens")" = 409
check "the dashboard's token works" test "$(code "$TMP/d" -H "Authorization: Bearer $DASH" \
  -H 'Content-Type: application/json' --data '{"zone":"UTC"}' "$URL/api/v1/settings/zone")" = 200
check "GET /api/v1/tokens lists it" test "$(code "$TMP/l" -b "$COOKIES" "$URL/api/v1/tokens")" = 200
check "list: names, scopes, statuses, who made it" python3 -c '
import json,sys; d={t["name"]+"/"+t["status"]: t for t in json.load(open(sys.argv[1]))["tokens"]}
ok = d["dash/live"]["created_by"] == "tester" and d["rw/revoked"]["scope"] == "write" and "short/expired" in d and d["ro/live"]["last_used_at"] is not None
sys.exit(0 if ok and all("token" not in t for t in d.values()) else 1)' "$TMP/l"
check "DELETE /api/v1/tokens/ID: 200" test "$(code "$TMP/x" -b "$COOKIES" -H "Origin: $URL" -H "X-CSRF-Token: $CSRF" \
  -X DELETE "$URL/api/v1/tokens/$DASH_ID")" = 200
check "revoked from the dashboard: refused at once" test "$(code "$TMP/x2" -H "Authorization: Bearer $DASH" "$URL/api/v1/settings")" = 401
check "DELETE of no such token: 404" test "$(code "$TMP/x3" -b "$COOKIES" -H "Origin: $URL" -H "X-CSRF-Token: $CSRF" \
  -X DELETE "$URL/api/v1/tokens/9999")" = 404

# ---- what is logged and stored -----------------------------------------------
check "token list" run 0 "$BIN" --db "$DB" token list
check "list --json" run 0 "$BIN" --db "$DB" token list --json
cp "$TMP/out" "$TMP/list.json"
"$BIN" --db "$DB" token list >"$TMP/list.txt"
check "last use noted (coarse)" python3 -c '
import json,sys; d={t["name"]: t for t in json.load(open(sys.argv[1]))["tokens"] if t["status"] == "live"}
sys.exit(0 if d["ro"]["last_used_at"] and d["short"]["last_used_at"] is None else 1)' "$TMP/list.json"
STORED=$(db_bytes "$DB")
for t in "$RO" "$RW" "$SHORT" "$SHORT2" "$DASH"; do
  check "no token in token list" lacks "$TMP/list.txt" "$t"
  check "no token in token list --json" lacks "$TMP/list.json" "$t"
  check "no token in GET /api/v1/tokens" lacks "$TMP/l" "$t"
  check "no token in the database" lacks "$STORED" "$t"
  check "no token in serve's log" lacks "$SERVE_ERR" "$t"
  check "nor its secret part" lacks "$SERVE_ERR" "${t#mdt_}"
done
# (logfmt escapes the quotes inside msg="...")
check "each token request logged with its name" grep -qF 'api token \"ro\" (id 1): GET /api/v1/settings 200' "$SERVE_ERR"
check "a refused one too" grep -qF 'api token \"ro\" (id 1): POST /api/v1/settings/zone 403' "$SERVE_ERR"
check "a wrong token is audited" grep -q 'unknown or malformed bearer token from 127.0.0.1' "$SERVE_ERR"

# ---- guessing is throttled like logins (per address: 20 a window) ----------
st=401
for i in $(seq 25); do
  st=$(code "$TMP/g$i" -H "Authorization: Bearer mdt_$(head -c 32 /dev/urandom | base64 | tr '+/' '-_' | cut -c1-43)" "$URL/api/v1/settings")
  [ "$st" = 429 ] && break
done
check "wrong tokens from one address: 429 after 20" test "$st" = 429
check "with Retry-After" grep -qi '^Retry-After: [0-9]' "$TMP/g$i.h"
check "the lock is logged" grep -q 'api token: refused from 127.0.0.1: locked' "$SERVE_ERR"
finish
