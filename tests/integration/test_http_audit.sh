# mediadash serve: the dashboard's guarantees checked across every route
# over real HTTP on 127.0.0.1 (issue 3's acceptance points):
# - without a session every API route answers 401 JSON, the page redirects;
# - a forged cross-site POST (foreign Origin, no or a wrong CSRF token) is
#   refused with 403 and changes nothing;
# - the security headers are on every response, errors and assets included;
# - no GET changes the stored data (only the session's last use), and a GET
#   on a POST route is a 405 that does nothing;
# - JSON errors with the fitting status, each once more here: 400 naming the
#   parameter, 401, 403, 404, 405, 413, 429.
. "$(dirname "$0")/lib.sh"

DB="$TMP/audit.db"
"$BIN" --db "$DB" -q import --observed-at 2024-06-01T12:00:00Z \
  "$DATA/cli/videos_page.json" "$DATA/youtube/channels_mine.json"
"$BIN" --db "$DB" -q import --observed-at 2024-06-02T12:00:00Z \
  "$DATA/cli/videos_page.json" "$DATA/tiktok/user_info.json"

# Neither the collector nor the publishing worker: nothing but the requests
# below may touch the database.
check "server started" serve_start "$DB" --no-collect --no-worker

# req METHOD PATH STATUS [CURL ARGS...]: body in $TMP/body, headers in
# $TMP/headers.
req() {
  local method=$1 path=$2 want=$3 code
  shift 3
  code=$(curl -s -m 20 -X "$method" -o "$TMP/body" -D "$TMP/headers" -w '%{http_code}' "$@" "$URL$path")
  [ "$code" = "$want" ] || { echo "  $method $path: $code, expected $want" >&2; head -c 400 "$TMP/body" >&2; echo >&2; return 1; }
}
json() { python3 -c "import json,sys; d=json.load(open('$TMP/body')); sys.exit(0 if ($1) else 1)" || { echo "  not: $1" >&2; head -c 400 "$TMP/body" >&2; return 1; }; }
header() { grep -i "^$1:" "$TMP/headers" | head -1 | cut -d' ' -f2- | tr -d '\r'; }

# The four security headers of the last response, whatever its status.
secure_headers() {
  local csp
  csp=$(header Content-Security-Policy)
  case "$csp" in
  *"script-src 'self'"*) ;;
  *) echo "  no script-src 'self' in CSP: $csp" >&2; return 1 ;;
  esac
  case "$csp" in
  *unsafe-inline* | *unsafe-eval*) echo "  CSP allows inline script: $csp" >&2; return 1 ;;
  esac
  case "$csp" in
  *"frame-ancestors 'none'"*) ;;
  *) echo "  no frame-ancestors 'none' in CSP: $csp" >&2; return 1 ;;
  esac
  [ "$(header X-Content-Type-Options)" = nosniff ] || { echo "  no nosniff" >&2; return 1; }
  [ -n "$(header Referrer-Policy)" ] || { echo "  no Referrer-Policy" >&2; return 1; }
}

# The stored data, the session table aside (a request notes its session's
# last use): one line per row of every table.
dump() {
  python3 - "$DB" <<'PY'
import sqlite3, sys
c = sqlite3.connect("file:" + sys.argv[1] + "?mode=ro", uri=True)
for (t,) in c.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"):
    if t == "session":
        continue
    for row in c.execute('SELECT * FROM "%s" ORDER BY 1' % t.replace('"', '""')):
        print(t, repr(row))
PY
}

# ---- without a session -------------------------------------------------------
GET_API=(/api/v1/accounts /api/v1/content "/api/v1/content?sort=views" /api/v1/items/youtube/Ab3dEf5hIj0
  /api/v1/items/youtube/Ab3dEf5hIj0/days /api/v1/report /api/v1/gains /api/v1/top /api/v1/engagement
  /api/v1/heatmap /api/v1/session /api/v1/posts /api/v1/posts/1 /api/v1/publishers /api/v1/platforms
  "/api/v1/schedule/resolve?at=2030-01-01%2010:00&zone=UTC" /api/v1/sources
  /api/v1/items/youtube/nope /api/v1/content?limit=0 /api/v1/imports /api/v1/competitors /api/v1/settings /api/v1/media)
for p in "${GET_API[@]}"; do
  check "GET $p without a session: 401" req GET "$p" 401
  check "GET $p: 401 is JSON" json 'd["error"]["status"] == 401'
  check "GET $p: 401 has the security headers" secure_headers
done
# POSTs from our own page (right Origin) but without a session.
for p in /api/v1/import /api/v1/posts /api/v1/posts/1/cancel /api/v1/media /api/v1/sources/collect \
  /api/v1/connections/youtube /api/v1/logout /api/v1/imports/1/remove /api/v1/accounts/role /api/v1/settings/zone; do
  check "POST $p without a session: 401" req POST "$p" 401 -H "Origin: $URL" -H 'Content-Type: application/json' --data-binary '{}'
  check "POST $p: 401 is JSON" json 'd["error"]["status"] == 401'
done
check "GET / without a session: 302" req GET / 302
check "302 to the login page" test "$(header Location)" = "/login?next=/"
check "302 has the security headers" secure_headers
check "HEAD / without a session: 302" req HEAD / 302 -I
# Public: the login page, the assets, health.
check "GET /login: 200" req GET /login 200
check "/login has the security headers" secure_headers
check "GET /assets/app.js: 200" req GET /assets/app.js 200
check "an asset has the security headers" secure_headers
ETAG=$(header ETag)
check "an asset revalidated: 304" req GET /assets/app.js 304 -H "If-None-Match: $ETAG"
check "304 has the security headers" secure_headers
check "GET /api/v1/health: 200" req GET /api/v1/health 200
check "health has the security headers" secure_headers

# ---- logged in ---------------------------------------------------------------
check "logged in" login "$DB" "$URL"
JSONT=(-H 'Content-Type: application/json')
dump >"$TMP/before"
check "the dump has the imported items" contains "$TMP/before" "Ab3dEf5hIj0"

# Every GET route, with good and bad arguments: 2xx or a JSON error, and the
# stored data unchanged afterwards.
GET_OK=(/api/v1/health /api/v1/accounts "/api/v1/accounts?platform=tiktok" /api/v1/content
  "/api/v1/content?sort=views&order=asc&limit=2&offset=1&q=speedrun" /api/v1/items/youtube/Ab3dEf5hIj0
  "/api/v1/items/youtube/Ab3dEf5hIj0/days?from=2024-05-30&to=2024-06-03" "/api/v1/report?from=2024-05-01&to=2024-06-30"
  "/api/v1/gains?range=90d" "/api/v1/top?from=2024-05-01&to=2024-06-30" "/api/v1/engagement?range=365d"
  "/api/v1/heatmap?range=7d" /api/v1/session /api/v1/posts /api/v1/publishers /api/v1/platforms /api/v1/sources
  "/api/v1/schedule/resolve?at=2030-01-01%2010:00&zone=UTC" / /login /assets/app.css)
for p in "${GET_OK[@]}"; do
  check "GET $p: 200" req GET "$p" 200 -b "$COOKIES"
  check "GET $p: security headers" secure_headers
done
GET_BAD=("/api/v1/content?limit=0:limit" "/api/v1/content?sort=views%3Bdrop:sort" "/api/v1/content?offset=-1:offset"
  "/api/v1/content?order=up:order" "/api/v1/content?platform=myspace:platform" "/api/v1/report?range=3w:range"
  "/api/v1/gains?from=yesterday:from" "/api/v1/top?limit=0:limit" "/api/v1/heatmap?to=2024-13-01:to"
  "/api/v1/items/youtube/Ab3dEf5hIj0?since=soon:since" "/api/v1/posts?state=sleeping:state")
for pq in "${GET_BAD[@]}"; do
  p=${pq%:*}
  param=${pq##*:}
  check "GET $p: 400" req GET "$p" 400 -b "$COOKIES"
  check "GET $p: names $param" json 'd["error"]["status"] == 400 and d["error"]["param"] == "'"$param"'"'
  check "GET $p: 400 has the security headers" secure_headers
done
# q is bounded.
LONGQ=$(head -c 201 /dev/zero | tr '\0' 'q')
check "content q of 201 bytes: 400" req GET "/api/v1/content?q=$LONGQ" 400 -b "$COOKIES"
check "names q" json 'd["error"]["param"] == "q"'
check "unknown item: 404" req GET /api/v1/items/youtube/nope 404 -b "$COOKIES"
check "404 is JSON" json 'd["error"]["status"] == 404'
check "404 has the security headers" secure_headers
check "unknown asset: 404" req GET /assets/nope.js 404 -b "$COOKIES"
check "asset 404 has the security headers" secure_headers
# A GET on a state-changing route does not run it.
# (GET /api/v1/media is the media library: a read, not the upload.)
for p in /api/v1/logout /api/v1/import /api/v1/sources/collect /api/v1/connections/youtube; do
  check "GET $p: 405" req GET "$p" 405 -b "$COOKIES"
  check "GET $p: 405 is JSON" json 'd["error"]["status"] == 405'
  check "GET $p: 405 has the security headers" secure_headers
done
check "the session survived GET /api/v1/logout" req GET /api/v1/session 200 -b "$COOKIES"
dump >"$TMP/after-get"
check "no GET changed the stored data" same_file "$TMP/before" "$TMP/after-get"

# ---- forged cross-site POSTs -------------------------------------------------
# A page elsewhere can make the browser send the cookie (not with
# SameSite=Strict, but older browsers and same-site subdomains): it cannot
# read the CSRF token, and its Origin is its own.
IMPORT=(--data-binary @"$DATA/youtube/channels_mine.json" "${JSONT[@]}")
check "import from a foreign Origin: 403" req POST "/api/v1/import?name=x.json" 403 -b "$COOKIES" -H "Origin: http://evil.example" -H "X-CSRF-Token: $CSRF" "${IMPORT[@]}"
check "403 is JSON" json 'd["error"]["status"] == 403'
check "403 has the security headers" secure_headers
check "import without X-CSRF-Token: 403" req POST "/api/v1/import?name=x.json" 403 -b "$COOKIES" -H "Origin: $URL" "${IMPORT[@]}"
check "import with a wrong X-CSRF-Token: 403" req POST "/api/v1/import?name=x.json" 403 -b "$COOKIES" -H "Origin: $URL" -H "X-CSRF-Token: x$CSRF" "${IMPORT[@]}"
check "import, no Origin or Referer: 403" req POST "/api/v1/import?name=x.json" 403 -b "$COOKIES" -H "X-CSRF-Token: $CSRF" "${IMPORT[@]}"
check "a cross-site form post: 403" req POST "/api/v1/posts" 403 -b "$COOKIES" -H "Origin: http://evil.example" -H 'Content-Type: application/x-www-form-urlencoded' --data-binary 'title=x'
check "collect now, cross-site: 403" req POST /api/v1/sources/collect 403 -b "$COOKIES" -H "Origin: $URL" -H "Sec-Fetch-Site: cross-site" -H "X-CSRF-Token: $CSRF"
check "import remove from a foreign Origin: 403" req POST /api/v1/imports/1/remove 403 -b "$COOKIES" -H "Origin: http://evil.example" -H "X-CSRF-Token: $CSRF"
check "import remove without X-CSRF-Token: 403" req POST /api/v1/imports/1/remove 403 -b "$COOKIES" -H "Origin: $URL"
check "account role without X-CSRF-Token: 403" req POST /api/v1/accounts/role 403 -b "$COOKIES" -H "Origin: $URL" "${JSONT[@]}" --data-binary '{"account": "youtube:x", "role": "tracked"}'
ZONE=(-H 'Content-Type: application/json' --data-binary '{"zone":"Asia/Tokyo"}')
check "zone from a foreign Origin: 403" req POST /api/v1/settings/zone 403 -b "$COOKIES" -H "Origin: http://evil.example" -H "X-CSRF-Token: $CSRF" "${ZONE[@]}"
check "zone without X-CSRF-Token: 403" req POST /api/v1/settings/zone 403 -b "$COOKIES" -H "Origin: $URL" "${ZONE[@]}"
check "logout from a foreign Origin: 403" req POST /api/v1/logout 403 -b "$COOKIES" -H "Origin: http://evil.example" -H "X-CSRF-Token: $CSRF"
dump >"$TMP/after-forged"
check "no forged POST changed the stored data" same_file "$TMP/before" "$TMP/after-forged"
check "the session survived the forged logout" req GET /api/v1/session 200 -b "$COOKIES"
# ...while the same import from our own page with the token is stored.
check "import from our page: 200" req POST "/api/v1/import?name=channels_mine.json" 200 -b "$COOKIES" -H "Origin: $URL" -H "X-CSRF-Token: $CSRF" \
  --data-binary @"$DATA/tiktok/video_list_page1.json" "${JSONT[@]}"
dump >"$TMP/after-import"
check "...and changes the stored data" run 1 cmp -s "$TMP/before" "$TMP/after-import"

# ---- sizes -------------------------------------------------------------------
head -c 20000000 /dev/zero | tr '\0' 'a' >"$TMP/big"
# The route and its body cap are decided on the headers (issue 13): a 20 MB
# body to the import (cap 16 MiB) is a 413, to a GET route a 405.
check "a 20 MB body to the import: 413" req POST /api/v1/import 413 --data-binary @"$TMP/big" \
  -b "$COOKIES" -H "Origin: $URL" -H "X-CSRF-Token: $CSRF"
check "413 is JSON" json 'd["error"]["status"] == 413'
check "413 has the security headers" secure_headers
check "a 20 MB body on a GET route: 405" req POST /api/v1/health 405 --data-binary @"$TMP/big"
check "POST on a GET route: 405" req POST /api/v1/content 405 -b "$COOKIES" -H "Origin: $URL" -H "X-CSRF-Token: $CSRF"
check "405 has the security headers" secure_headers

# ---- throttled logins --------------------------------------------------------
for i in 1 2 3 4 5; do
  curl -s -m 20 -o /dev/null -H "Origin: $URL" "${JSONT[@]}" --data-binary "{\"user\": \"tester\", \"password\": \"wrong $i\"}" "$URL/api/v1/login"
done
check "sixth failure: 429" req POST /api/v1/login 429 -H "Origin: $URL" "${JSONT[@]}" --data-binary '{"user": "tester", "password": "wrong 6"}'
check "429 is JSON" json 'd["error"]["status"] == 429'
check "429 has the security headers" secure_headers
check "a bad login body: 400 names it" req POST /api/v1/login 400 -H "Origin: $URL" "${JSONT[@]}" --data-binary '{"user": "tester", "password": 1}'
check "400 names password" json 'd["error"]["param"] == "password"'

# ---- connection limits -------------------------------------------------------
# 40 connections at once from one address: serve keeps 32 per address
# (http_config_defaults) and closes the others at once; the rest answer.
cat >"$TMP/conns.py" <<'PY'
import socket, sys, time
port = int(sys.argv[1])
socks = []
for _ in range(40):
    s = socket.create_connection(("127.0.0.1", port), timeout=5)
    socks.append(s)
time.sleep(1)  # serve accepts them all and closes those over the limit
answered = refused = 0
# Keep-alive, and every socket stays open until the end: no slot frees
# while counting.
for s in socks:
    try:
        s.sendall(b"GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        data = s.recv(64)
    except OSError:
        data = b""
    if data.startswith(b"HTTP/1.1 200"):
        answered += 1
    else:
        refused += 1
for s in socks:
    s.close()
print(answered, refused)
sys.exit(0 if answered == 32 and refused == 8 else 1)
PY
check "40 connections from one address: 32 answered, 8 closed" python3 "$TMP/conns.py" "$PORT"
check "serve answers again afterwards" req GET /api/v1/health 200

kill -TERM "$SERVER"
wait "$SERVER"
check "stops on SIGTERM" test $? -eq 0
check "no sanitizer report" lacks "$SERVE_ERR" "Sanitizer"

# ---- serve.secure_cookies: the configuration key of --secure-cookies -------
# (test_http_auth covers the flag.) From the file, then from --set.
printf '[serve]\nsecure_cookies = 1\n' >"$TMP/secure.conf"
printf '[serve]\nsecure_cookies = 2\n' >"$TMP/bad.conf"
check "serve.secure_cookies = 2 refused" run 2 "$BIN" --db "$DB" serve --listen 127.0.0.1:0 --config "$TMP/bad.conf" --no-collect --no-worker
check "...naming the file and key" contains "$TMP/err" "secure_cookies"
for how in "--config $TMP/secure.conf" "--set serve.secure_cookies=1"; do
  # shellcheck disable=SC2086 # two words on purpose
  check "server with $how" serve_start "$DB" --no-collect --no-worker $how
  check "$how: http Origin refused" req POST /api/v1/login 403 -H "Origin: $URL" "${JSONT[@]}" --data-binary '{"user": "tester", "password": "correct horse battery"}'
  check "$how: login from https" req POST /api/v1/login 200 -H "Origin: https://127.0.0.1:$PORT" "${JSONT[@]}" --data-binary '{"user": "tester", "password": "correct horse battery"}'
  SETC=$(header Set-Cookie)
  check "$how: __Host- cookie" test "${SETC#__Host-mediadash_session=}" != "$SETC"
  for attr in Secure HttpOnly SameSite=Strict Path=/; do
    check "$how: cookie has $attr" grep -q "; $attr\\(;\\|\$\\)" <<<"$SETC"
  done
  check "$how: no clear-text warning on loopback" lacks "$SERVE_ERR" "clear text"
  kill -TERM "$SERVER"
  wait "$SERVER"
done
# Off by default.
check "server without the key" serve_start "$DB" --no-collect --no-worker
check "default: login" req POST /api/v1/login 200 -H "Origin: $URL" "${JSONT[@]}" --data-binary '{"user": "tester", "password": "correct horse battery"}'
check "default: plain cookie, not Secure" python3 -c 'import sys; c=sys.argv[1]; sys.exit(0 if c.startswith("mediadash_session=") and "Secure" not in c else 1)' "$(header Set-Cookie)"
kill -TERM "$SERVER"
wait "$SERVER"
check "stops on SIGTERM" test $? -eq 0
check "no sanitizer report" lacks "$SERVE_ERR" "Sanitizer"
finish
