# Login, sessions and CSRF of `mediadash serve`, and `mediadash user`:
# the real binary over real HTTP on 127.0.0.1 with a real SQLite file.
. "$(dirname "$0")/lib.sh"

DB="$TMP/auth.db"
PW="correct horse battery"
"$BIN" --db "$DB" -q import --observed-at 2024-06-01T12:00:00Z \
  "$DATA/cli/videos_page.json" "$DATA/youtube/channels_mine.json"

# ---- mediadash user --------------------------------------------------------
printf '%s\n' "$PW" >"$TMP/pw"
check "user add --password-file" run 0 "$BIN" --db "$DB" user add alice --password-file "$TMP/pw"
check "user add again: refused" run 1 "$BIN" --db "$DB" user add alice --password-file "$TMP/pw"
check "says it exists" contains "$TMP/err" "alice already exists"
check "user add from stdin" run 0 "$BIN" --db "$DB" user add bob.b@x-y_z --password-file - <"$TMP/pw"
# On a terminal: asked twice, not echoed (python3 drives a pty).
cat >"$TMP/terminal.py" <<'PY'
import os, pty, sys, time
argv, typed = sys.argv[1:-2], sys.argv[-2:]
pid, fd = pty.fork()
if pid == 0:
    os.execv(argv[0], argv)
out = b""
def read_until(token):
    global out
    end = time.time() + 60
    while token not in out and time.time() < end:
        try:
            out += os.read(fd, 1024)
        except OSError:
            break
for prompt, pw in zip((b"Password: ", b"Repeat password: "), typed):
    read_until(prompt)
    os.write(fd, pw.encode() + b"\n")
read_until(b"\0")  # to the end
status = os.waitpid(pid, 0)[1]
sys.stdout.write(out.decode(errors="replace"))
sys.exit(3 if typed[0].encode() in out else os.waitstatus_to_exitcode(status))
PY
check "user add on a terminal" run 0 python3 "$TMP/terminal.py" "$BIN" --db "$DB" user add tina "typed password" "typed password"
check "prompted twice" contains "$TMP/out" "Repeat password: "
check "terminal: passwords that differ" run 1 python3 "$TMP/terminal.py" "$BIN" --db "$DB" user add tim "typed password" "other password"
check "says they differ" contains "$TMP/out" "the passwords differ"
printf 'short\n' >"$TMP/short"
check "short password refused" run 1 "$BIN" --db "$DB" user add carol --password-file "$TMP/short"
check "says why" contains "$TMP/err" "at least 8 bytes"
check "bad name refused" run 2 "$BIN" --db "$DB" user add 'car ol' --password-file "$TMP/pw"
check "no terminal, no file: refused" run 1 "$BIN" --db "$DB" user add carol </dev/null
check "says to use a file" contains "$TMP/err" "--password-file"
check "user list" run 0 "$BIN" --db "$DB" user list
check "list shows alice" contains "$TMP/out" "alice"
check "list shows bob" contains "$TMP/out" "bob.b@x-y_z"
check "list shows tina, not tim" python3 -c 'import sys; t=open(sys.argv[1]).read(); sys.exit(0 if "tina" in t and "tim " not in t else 1)' "$TMP/out"
check "user list --json" run 0 "$BIN" --db "$DB" user list --json
check "list json" python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if [u["name"] for u in d["users"]] == ["alice", "bob.b@x-y_z", "tina"] and not d["users"][0]["disabled"] else 1)' "$TMP/out"
check "user del" run 0 "$BIN" --db "$DB" user del bob.b@x-y_z
check "user del again: not found" run 4 "$BIN" --db "$DB" user del bob.b@x-y_z
check "user passwd unknown: not found" run 4 "$BIN" --db "$DB" user passwd nobody --password-file "$TMP/pw"
check "unknown subcommand" run 2 "$BIN" --db "$DB" user frob
check "the password is not stored" lacks "$DB" "$PW"

# stop_server: SIGTERM; it must exit 0 (no sanitizer reports, no leaks).
stop_server() {
  kill -TERM "$SERVER"
  wait "$SERVER"
  check "server on $PORT exits 0" test $? -eq 0
  check "server on $PORT: no sanitizer report" lacks "$SERVE_ERR" "Sanitizer"
}

# ---- no session ------------------------------------------------------------
EMPTY="$TMP/empty.db"
check "serve without users" serve_start "$EMPTY"
check "warns: no users yet" contains "$SERVE_ERR" "no users yet: mediadash user add NAME"
stop_server

check "server started" serve_start "$DB"
check "no warning with users" lacks "$SERVE_ERR" "no users yet"

# req METHOD PATH STATUS [CURL ARGS...]: body in $TMP/body, headers in
# $TMP/headers.
req() {
  local method=$1 path=$2 want=$3 code
  shift 3
  code=$(curl -s -m 20 -X "$method" -o "$TMP/body" -D "$TMP/headers" -w '%{http_code}' "$@" "$URL$path")
  [ "$code" = "$want" ] || { echo "  $method $path: $code, expected $want" >&2; cat "$TMP/body" >&2; return 1; }
}
json() { python3 -c "import json,sys; d=json.load(open('$TMP/body')); sys.exit(0 if ($1) else 1)" || { echo "  not: $1" >&2; cat "$TMP/body" >&2; return 1; }; }
header() { grep -i "^$1:" "$TMP/headers" | head -1 | cut -d' ' -f2- | tr -d '\r'; }
cookie_of() { awk -v n="$2" '$6 == n { print $7 }' "$1"; }
# login_body NAME PASSWORD: JSON (both plain ASCII without quotes here).
login_body() { printf '{"user": "%s", "password": "%s"}' "$1" "$2"; }
# ended_within SECONDS JAR: GET /api/v1/session answers 401 within
# SECONDS (a session ended by another process ends within
# AUTH_SESSION_RECHECK, 2 s: serve checks sessions from memory).
ended_within() {
  local end=$(($(date +%s) + $1))
  while [ "$(date +%s)" -le "$end" ]; do
    req GET /api/v1/session 401 -b "$2" 2>/dev/null && return 0
    sleep 0.2
  done
  req GET /api/v1/session 401 -b "$2"
}
JSONT=(-H 'Content-Type: application/json')

for p in /api/v1/accounts /api/v1/content "/api/v1/items/youtube/Ab3dEf5hIj0" /api/v1/report /api/v1/session; do
  check "GET $p without a session: 401" req GET "$p" 401
  check "GET $p 401 is JSON" json 'd["error"]["status"] == 401'
done
check "logout without a session: 401" req POST /api/v1/logout 401 -H "Origin: $URL"
check "a stale cookie: 401" req GET /api/v1/accounts 401 -b "mediadash_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
check "a junk cookie: 401" req GET /api/v1/accounts 401 -b "mediadash_session=';DROP TABLE session;--"
check "health is public" req GET /api/v1/health 200
check "Referrer-Policy: same-origin (no-referrer would null our Origin)" contains "$TMP/headers" "Referrer-Policy: same-origin"
# The "/" page is ROUTE_PAGE: it sends the browser to the login page.
code=$(curl -s -m 10 -o /dev/null -w '%{http_code}' "$URL/")
if [ "$code" = 404 ]; then
  echo "note: no / page in this build yet; its redirect is covered by test_auth's login_location"
else
  check "/ without a session: 302" req GET / 302
  check "302 to /login" test "$(header Location)" = "/login?next=/"
fi

# ---- login -----------------------------------------------------------------
check "wrong password: 401" req POST /api/v1/login 401 -H "Origin: $URL" "${JSONT[@]}" --data-binary "$(login_body alice 'wrong horse battery')"
cp "$TMP/body" "$TMP/wrong-password"
check "unknown user: 401" req POST /api/v1/login 401 -H "Origin: $URL" "${JSONT[@]}" --data-binary "$(login_body mallory "$PW")"
check "the same answer either way" same_file "$TMP/body" "$TMP/wrong-password"
check "no cookie after a failure" test -z "$(header Set-Cookie)"
check "not JSON: 400" req POST /api/v1/login 400 -H "Origin: $URL" "${JSONT[@]}" --data-binary '{"user": "alice"'
check "password not a string: 400" req POST /api/v1/login 400 -H "Origin: $URL" "${JSONT[@]}" --data-binary '{"user": "alice", "password": 12345678}'
check "names the field" json 'd["error"]["param"] == "password"'
head -c 20000 /dev/zero | tr '\0' 'a' >"$TMP/bigname"
check "a login body over 16 KiB: 413" req POST /api/v1/login 413 -H "Origin: $URL" "${JSONT[@]}" --data-binary @"$TMP/bigname"
check "other content type: 415" req POST /api/v1/login 415 -H "Origin: $URL" -H 'Content-Type: text/plain' --data-binary "$(login_body alice "$PW")"
check "login without Origin: 403" req POST /api/v1/login 403 "${JSONT[@]}" --data-binary "$(login_body alice "$PW")"
check "login from another origin: 403" req POST /api/v1/login 403 -H "Origin: http://evil.example" "${JSONT[@]}" --data-binary "$(login_body alice "$PW")"
check "login cross-site: 403" req POST /api/v1/login 403 -H "Origin: $URL" -H "Sec-Fetch-Site: cross-site" "${JSONT[@]}" --data-binary "$(login_body alice "$PW")"
check "says why" json '"Sec-Fetch-Site" in d["error"]["message"]'

JAR="$TMP/jar"
check "login: 200" req POST /api/v1/login 200 -c "$JAR" -H "Origin: $URL" "${JSONT[@]}" --data-binary "$(login_body alice "$PW")"
check "login body" json 'd["user"] == "alice" and len(d["csrf"]) == 43'
CSRF=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["csrf"])' "$TMP/body")
SETC=$(header Set-Cookie)
check "cookie named mediadash_session" test "${SETC#mediadash_session=}" != "$SETC"
for attr in HttpOnly SameSite=Strict Path=/; do
  check "cookie has $attr" grep -q "; $attr\\(;\\|\$\\)" <<<"$SETC"
done
check "cookie not Secure without --secure-cookies" lacks "$TMP/headers" "Secure"
TOKEN=$(cookie_of "$JAR" mediadash_session)
check "token in the jar" test ${#TOKEN} = 43

check "with the cookie the API works" req GET /api/v1/accounts 200 -b "$JAR"
check "accounts body" json 'd["total"] == 1'
check "session" req GET /api/v1/session 200 -b "$JAR"
check "session body" json 'd["user"] == "alice" and d["csrf"] == "'"$CSRF"'"'
check "a Referer of ours will do" req POST /api/v1/logout 403 -b "$JAR" -H "Referer: $URL/page" -H "X-CSRF-Token: wrong"
check "...but the token must be right" json '"X-CSRF-Token" in d["error"]["message"]'

# ---- CSRF on a state-changing request ---------------------------------------
check "logout without X-CSRF-Token: 403" req POST /api/v1/logout 403 -b "$JAR" -H "Origin: $URL"
check "403 is JSON" json 'd["error"]["status"] == 403'
check "logout with a wrong X-CSRF-Token: 403" req POST /api/v1/logout 403 -b "$JAR" -H "Origin: $URL" -H "X-CSRF-Token: ${CSRF%?}x"
check "logout from a foreign Origin: 403" req POST /api/v1/logout 403 -b "$JAR" -H "Origin: http://evil.example" -H "X-CSRF-Token: $CSRF"
check "foreign Referer: 403" req POST /api/v1/logout 403 -b "$JAR" -H "Referer: http://evil.example/$URL" -H "X-CSRF-Token: $CSRF"
check "Origin of another port: 403" req POST /api/v1/logout 403 -b "$JAR" -H "Origin: http://127.0.0.1:1" -H "X-CSRF-Token: $CSRF"
check "no Origin, no Referer: 403" req POST /api/v1/logout 403 -b "$JAR" -H "X-CSRF-Token: $CSRF"
check "Origin: null alone: 403" req POST /api/v1/logout 403 -b "$JAR" -H "Origin: null" -H "X-CSRF-Token: $CSRF"
check "Origin: null, same-site: 403" req POST /api/v1/logout 403 -b "$JAR" -H "Origin: null" -H "X-CSRF-Token: $CSRF" -H "Sec-Fetch-Site: same-site"
check "Origin: null from our own page (Sec-Fetch-Site: same-origin) passes" req POST /api/v1/logout 403 -b "$JAR" -H "Origin: null" -H "Sec-Fetch-Site: same-origin" -H "X-CSRF-Token: wrong"
check "...on to the CSRF check" json '"X-CSRF-Token" in d["error"]["message"]'
check "Sec-Fetch-Site: cross-site: 403" req POST /api/v1/logout 403 -b "$JAR" -H "Origin: $URL" -H "X-CSRF-Token: $CSRF" -H "Sec-Fetch-Site: cross-site"
check "forged cross-site form POST: 403" req POST /api/v1/logout 403 -b "$JAR" -H "Origin: http://evil.example" -H 'Content-Type: application/x-www-form-urlencoded' --data-binary 'x=1'
check "the session survived all that" req GET /api/v1/session 200 -b "$JAR"

# ---- secrets at rest -------------------------------------------------------
check "the token is not in the database" lacks "$DB" "$TOKEN"
for f in "$DB"-wal; do
  [ -f "$f" ] && check "the token is not in $(basename "$f")" lacks "$f" "$TOKEN"
  [ -f "$f" ] && check "the password is not in $(basename "$f")" lacks "$f" "$PW"
done
check "the password is not in the database" lacks "$DB" "$PW"
check "the password is not in the log" lacks "$SERVE_ERR" "$PW"
check "the token is not in the log" lacks "$SERVE_ERR" "$TOKEN"

# ---- logout ------------------------------------------------------------------
cp "$JAR" "$TMP/old-jar"
check "logout: 200" req POST /api/v1/logout 200 -b "$JAR" -c "$JAR" -H "Origin: $URL" -H "X-CSRF-Token: $CSRF"
check "logout body" json 'd["ok"] is True'
check "logout clears the cookie" grep -q '^mediadash_session=; .*Max-Age=0' <<<"$(header Set-Cookie)"
check "the old cookie: 401" req GET /api/v1/session 401 -b "$TMP/old-jar"
check "the old cookie, API: 401" req GET /api/v1/accounts 401 -b "$TMP/old-jar"

# ---- form login, new password, deleted user --------------------------------
check "the password typed on a terminal logs in" req POST /api/v1/login 200 -H "Origin: $URL" "${JSONT[@]}" --data-binary "$(login_body tina 'typed password')"
check "form login: 200" req POST /api/v1/login 200 -c "$JAR" -H "Origin: $URL" --data-urlencode "user=alice" --data-urlencode "password=$PW"
check "form login body" json 'd["user"] == "alice"'
check "session after form login" req GET /api/v1/session 200 -b "$JAR"
printf 'another long password\n' >"$TMP/pw2"
check "user passwd" run 0 "$BIN" --db "$DB" user passwd alice --password-file "$TMP/pw2"
check "passwd ends the sessions (within 2 s)" ended_within 5 "$JAR"
check "the old password: 401" req POST /api/v1/login 401 -H "Origin: $URL" "${JSONT[@]}" --data-binary "$(login_body alice "$PW")"
check "the new password: 200" req POST /api/v1/login 200 -c "$JAR" -H "Origin: $URL" "${JSONT[@]}" --data-binary "$(login_body alice 'another long password')"
check "login helper (lib.sh)" login "$DB" "$URL" dave "$PW"
check "helper's session works" req GET /api/v1/session 200 -b "$COOKIES"
check "helper exported CSRF" json 'd["user"] == "dave" and d["csrf"] == "'"$CSRF"'"'
check "user del dave" run 0 "$BIN" --db "$DB" user del dave
check "deleting a user ends their sessions (within 2 s)" ended_within 5 "$COOKIES"

# ---- throttling --------------------------------------------------------------
for i in 1 2 3 4 5; do
  check "failure $i: 401" req POST /api/v1/login 401 -H "Origin: $URL" "${JSONT[@]}" --data-binary "$(login_body alice "wrong password $i")"
done
check "sixth try: 429" req POST /api/v1/login 429 -H "Origin: $URL" "${JSONT[@]}" --data-binary "$(login_body alice "wrong password 6")"
check "429 is JSON" json 'd["error"]["status"] == 429'
RA=$(header Retry-After)
check "Retry-After given ($RA)" test "${RA:-0}" -gt 0 -a "${RA:-0}" -le 60
check "even the right password waits" req POST /api/v1/login 429 -H "Origin: $URL" "${JSONT[@]}" --data-binary "$(login_body alice 'another long password')"
printf '%s\n' "$PW" >"$TMP/pw"
"$BIN" --db "$DB" -q user add erin --password-file "$TMP/pw"
check "another account from the same address still logs in" req POST /api/v1/login 200 -H "Origin: $URL" "${JSONT[@]}" --data-binary "$(login_body erin "$PW")"
# Failures under many names lock the address out.
locked=no
for i in $(seq 25); do
  code=$(curl -s -m 20 -o /dev/null -w '%{http_code}' -H "Origin: $URL" "${JSONT[@]}" --data-binary "$(login_body "nobody$i" "$PW")" "$URL/api/v1/login")
  [ "$code" = 429 ] && { locked=yes; break; }
done
check "the address is locked out after many failures" test "$locked" = yes
check "...for every account" req POST /api/v1/login 429 -H "Origin: $URL" "${JSONT[@]}" --data-binary "$(login_body erin "$PW")"
stop_server

# ---- idle timeout ------------------------------------------------------------
check "server with --session-idle 2" serve_start "$DB" --session-idle 2
rm -f "$JAR"
check "login" req POST /api/v1/login 200 -c "$JAR" -H "Origin: $URL" "${JSONT[@]}" --data-binary "$(login_body erin "$PW")"
check "used at once: alive" req GET /api/v1/session 200 -b "$JAR"
sleep 3
check "idle 3 s: 401" req GET /api/v1/session 401 -b "$JAR"
stop_server

check "server with --session-max 2" serve_start "$DB" --session-max 2
check "login" req POST /api/v1/login 200 -c "$JAR" -H "Origin: $URL" "${JSONT[@]}" --data-binary "$(login_body erin "$PW")"
for i in 1 2 3; do sleep 1; curl -s -o /dev/null -b "$JAR" "$URL/api/v1/session"; done
check "3 s after login, used every second: 401" req GET /api/v1/session 401 -b "$JAR"
stop_server

# ---- --secure-cookies (behind a TLS proxy) -----------------------------------
check "server with --secure-cookies" serve_start "$DB" --secure-cookies
HTTPS="https://127.0.0.1:$PORT"
check "http Origin refused: 403" req POST /api/v1/login 403 -H "Origin: $URL" "${JSONT[@]}" --data-binary "$(login_body erin "$PW")"
check "login: 200" req POST /api/v1/login 200 -H "Origin: $HTTPS" "${JSONT[@]}" --data-binary "$(login_body erin "$PW")"
SETC=$(header Set-Cookie)
check "__Host- cookie" test "${SETC#__Host-mediadash_session=}" != "$SETC"
for attr in Secure HttpOnly SameSite=Strict Path=/; do
  check "secure cookie has $attr" grep -q "; $attr\\(;\\|\$\\)" <<<"$SETC"
done
TOKEN=$(sed 's/^__Host-mediadash_session=\([^;]*\);.*/\1/' <<<"$SETC")
check "the __Host- cookie works" req GET /api/v1/session 200 -H "Cookie: __Host-mediadash_session=$TOKEN"
check "the plain name does not" req GET /api/v1/session 401 -H "Cookie: mediadash_session=$TOKEN"
stop_server
finish
