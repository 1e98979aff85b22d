# The access log (serve.access_log) with the real binary over real HTTP:
# one JSON object per request with log.format = json (every line parsed,
# fields checked), query values redacted, the file opened again on SIGHUP
# after a logrotate-style move, "-" writing to serve's stderr in logfmt,
# and a path that cannot be opened refused at start.
. "$(dirname "$0")/lib.sh"

DB="$TMP/a.db"
LOG="$TMP/access.log"
check "demo data" run 0 "$BIN" --db "$DB" demo --items 5 --days 3
check "serve starts (json, access log)" serve_start "$DB" --threads 2 --no-collect --no-worker \
  --set log.format=json --set log.level=info --set "serve.access_log=$LOG"
check "login" login "$DB" "$URL"
get() { curl -s -m 20 -o /dev/null -w '%{http_code}' -A "$2" -b "$COOKIES" "$URL$1"; }
check "overview" test "$(get '/api/v1/accounts?range=28d&code=c0de-secret&zz=odd-secret' 'agent "one"')" = 200
check "a 404" test "$(get /api/v1/nope probe)" = 404
check "a media link" test "$(get /m/link-secret-token probe)" = 404
wait_lines() { for _ in $(seq 50); do [ "$(wc -l <"$1" 2>/dev/null || echo 0)" -ge "$2" ] && return 0; sleep 0.1; done; return 1; }
check "4 lines (login included)" wait_lines "$LOG" 4
check "file mode 0640 or stricter" bash -c "[ \$(( 0$(stat -c %a "$LOG") & 0137 )) = 0 ]"
check "every line is one JSON object with the fields" python3 - "$LOG" <<'PY'
import json, sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
recs = [json.loads(l) for l in lines]
for r in recs:
    assert r["module"] == "access" and r["level"] == "info", r
    for k in ("ts", "peer", "method", "path", "status", "bytes", "ms"):
        assert k in r, (k, r)
    assert isinstance(r["status"], int) and isinstance(r["ms"], (int, float))
ov = [r for r in recs if r["path"] == "/api/v1/accounts"][0]
assert ov["query"] == "range=28d&code=*&*", ov
assert ov["ua"] == 'agent "one"' and ov["user"] == "tester" and ov["status"] == 200, ov
assert ov["bytes"] > 0 and ov["peer"] == "127.0.0.1", ov
assert [r["status"] for r in recs if r["path"] == "/api/v1/nope"] == [404]
assert [r["path"] for r in recs if r["path"].startswith("/m/")] == ["/m/*"]
PY
check "no query secret" bash -c "! grep -q 'secret' '$LOG'"

# logrotate: move the file, SIGHUP, the next lines go to a new file
mv "$LOG" "$LOG.1"
check "a request before the signal" test "$(get /api/v1/health probe)" = 200
check "... written to the moved file" wait_lines "$LOG.1" 5
kill -HUP "$SERVER"
for _ in $(seq 50); do grep -q 'access log reopened' "$SERVE_ERR" && break; sleep 0.1; done
check "serve says it reopened" grep -q 'access log reopened' "$SERVE_ERR"
check "serve still runs after SIGHUP" kill -0 "$SERVER"
check "a request after the signal" test "$(get /api/v1/health probe)" = 200
check "... written to a new file" wait_lines "$LOG" 1
check "... one line there" test "$(wc -l <"$LOG")" = 1
check "the moved file kept its 5" test "$(wc -l <"$LOG.1")" = 5
kill -TERM "$SERVER"
for _ in $(seq 100); do kill -0 "$SERVER" 2>/dev/null || break; sleep 0.1; done
check "no sanitizer report" lacks "$SERVE_ERR" "Sanitizer"

# "-": serve's own stream, in its format (logfmt)
check "serve starts (access log on stderr)" serve_start "$DB" --threads 2 --no-collect --no-worker \
  --set serve.access_log=-
check "health" test "$(curl -s -m 20 -o /dev/null -w '%{http_code}' "$URL/api/v1/health?token=t0ken-secret")" = 200
for _ in $(seq 50); do grep -q 'module=access' "$SERVE_ERR" && break; sleep 0.1; done
check "a logfmt access line on stderr" grep -qE '^ts=[^ ]+Z level=info module=access peer=127\.0\.0\.1 method=GET path=/api/v1/health query="token=\*" status=200 bytes=[0-9]+ ms=[0-9]+\.[0-9]{3} ua=curl/' "$SERVE_ERR"
check "no token on stderr" bash -c "! grep -q 't0ken-secret' '$SERVE_ERR'"
kill -TERM "$SERVER"
for _ in $(seq 100); do kill -0 "$SERVER" 2>/dev/null || break; sleep 0.1; done
check "no sanitizer report (2)" lacks "$SERVE_ERR" "Sanitizer"

check "a path that cannot be opened: serve refuses" run 1 "$BIN" --db "$DB" serve --listen 127.0.0.1:0 \
  --no-collect --no-worker --set serve.access_log=/nonexistent-dir/access.log
check "... naming the key and the path" contains "$TMP/err" "serve.access_log: cannot open /nonexistent-dir/access.log"
finish
