# Slow clients (issue 13, defect 2): 256 slowloris connections from eight
# 127.0.0.x addresses must not keep a normal client from its answer; slow
# header senders are closed by the header deadline, a slow body by the
# minimum rate. Real serve, real sockets; figures in the output.
. "$(dirname "$0")/lib.sh"
HERE=$(cd "$(dirname "$0")" && pwd)
PY="python3 $HERE/hostile_slow.py"

DB="$TMP/slow.db"
check "serve starts" serve_start "$DB" --no-collect --no-worker
login "$DB" "$URL" || exit 1

# --- 256 slowloris connections, a normal client every 0.5 s for ~24 s ---
timeout 90 $PY "$PORT" flood 24 >"$TMP/flood" 2>&1
sed 's/^/  /' "$TMP/flood"
val() { sed -n "s/.*\b$2=\([^ ]*\).*/\1/p" "$1" | head -1; }
check "the normal client asked 20+ times" test "$(val "$TMP/flood" normal_requests)" -ge 20
check "every normal request was answered" test "$(val "$TMP/flood" normal_failed)" = 0
check "every answer in under 1 s" python3 -c 'import sys; sys.exit(float(sys.argv[1]) >= 1.0)' "$(val "$TMP/flood" normal_max)"
check "slow connections were closed" test "$(val "$TMP/flood" slow_closed)" -ge 192

# --- the header deadline (serve.header_timeout, default 10 s) ---------
timeout 60 $PY "$PORT" deadline 6 >"$TMP/deadline" 2>&1
sed 's/^/  /' "$TMP/deadline"
check "all 6 slow header senders closed" grep -q 'deadline_closed=6 of 6' "$TMP/deadline"
check "closed at the deadline (9-16 s)" python3 -c 'import sys; sys.exit(not (9 <= float(sys.argv[1]) and float(sys.argv[2]) <= 16))' \
  "$(val "$TMP/deadline" deadline_min)" "$(val "$TMP/deadline" deadline_max)"

# --- a body at 100 bytes/s (serve.body_min_rate 1024 after 5 s) --------
SESSION=$(awk '$6 ~ /mediadash_session/ {print $6 "=" $7}' "$COOKIES" | tail -1)
timeout 60 $PY "$PORT" body "$SESSION" "$CSRF" >"$TMP/body" 2>&1
sed 's/^/  /' "$TMP/body"
check "the slow body was cut off" grep -q 'body_end=closed' "$TMP/body"
check "within 15 s" python3 -c 'import sys; sys.exit(float(sys.argv[1]) > 15)' "$(val "$TMP/body" body_seconds)"

# --- log flooding (defect 5): 64 connections from one address, over its
# cap of 32: the refusals are counted, not logged one by one -----------
check "wrk is installed (Debian package wrk)" command -v wrk >/dev/null
BEFORE=$(wc -c <"$SERVE_ERR")
timeout 30 wrk -t2 -c64 -d5s "$URL/api/v1/health" >"$TMP/wrk" 2>&1
grep -E 'Requests/sec|Socket errors|requests in' "$TMP/wrk" | sed 's/^/  wrk: /'
echo "  serve stderr during wrk: $(($(wc -c <"$SERVE_ERR") - BEFORE)) bytes"
check "wrk got answers" grep -q 'Requests/sec' "$TMP/wrk"

# --- still serving; the log stayed small and has no blank lines --------
check "health after all that" curl -sf -m 10 -o /dev/null "$URL/api/v1/health"
ERR_BYTES=$(wc -c <"$SERVE_ERR")
echo "  serve stderr: $ERR_BYTES bytes"
check "serve's stderr under 8 KB" test "$ERR_BYTES" -lt 8192
check "no blank lines in serve's stderr" test "$(grep -c '^$' "$SERVE_ERR")" = 0
finish
