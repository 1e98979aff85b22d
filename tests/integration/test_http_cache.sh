# mediadash serve: the response cache of the read API over real HTTP on
# 127.0.0.1 (issue 13, cached read path). A cached answer carries a
# strong ETag and If-None-Match naming it gets 304 with the security
# headers and no body; the session is still checked first; an import by
# another process (the CLI) is seen by the very next request; many
# clients reading while imports replace the answers all get whole,
# current answers, the same bytes as a server without the cache.
. "$(dirname "$0")/lib.sh"

DB="$TMP/cache.db"
"$BIN" --db "$DB" -q import --observed-at 2024-06-01T12:00:00Z \
  "$DATA/cli/videos_page.json" "$DATA/youtube/channels_mine.json"

check "server started" serve_start "$DB"
check "logged in" login "$DB" "$URL"
REPORT="/api/v1/report?from=2024-05-01&to=2024-06-30"

# get PATH STATUS [IF-NONE-MATCH]: body in $TMP/body, headers in
# $TMP/headers, the ETag in $ETAG.
get() {
  local code args=(-s -m 10 -b "$COOKIES" -o "$TMP/body" -D "$TMP/headers" -w '%{http_code}')
  [ -n "${3:-}" ] && args+=(-H "If-None-Match: $3")
  rm -f "$TMP/body" # curl writes no file for an empty body
  touch "$TMP/body"
  code=$(curl "${args[@]}" "$URL$1")
  ETAG=$(tr -d '\r' <"$TMP/headers" | awk 'tolower($1) == "etag:" { print $2 }')
  [ "$code" = "$2" ] || { echo "  GET $1: $code, expected $2" >&2; head -c 300 "$TMP/body" >&2; return 1; }
}
etag_form() { [[ "$ETAG" =~ ^\"[0-9a-f]{16}\"$ ]] || { echo "  ETag \"$ETAG\"" >&2; return 1; }; }
empty_body() { [ ! -s "$TMP/body" ] || { echo "  body of $(stat -c %s "$TMP/body") bytes" >&2; return 1; }; }

check "report (computed)" get "$REPORT" 200
check "has a strong ETag" etag_form
tag1=$ETAG
cp "$TMP/body" "$TMP/report.1"
check "report again (cached)" get "$REPORT" 200
check "same ETag" test "$ETAG" = "$tag1"
check "same bytes" same_file "$TMP/body" "$TMP/report.1"
check "still no-store" contains "$TMP/headers" "Cache-Control: no-store"
check "security headers on the cached answer" contains "$TMP/headers" "Content-Security-Policy: default-src 'self'"

check "If-None-Match with its ETag: 304" get "$REPORT" 304 "$tag1"
check "304 has no body" empty_body
check "304 names the ETag" test "$ETAG" = "$tag1"
check "304 carries the security headers" contains "$TMP/headers" "X-Content-Type-Options: nosniff"
check "304 has the frame policy" contains "$TMP/headers" "X-Frame-Options: DENY"
check "in a list: 304" get "$REPORT" 304 "\"0000000000000000\", $tag1"
check "another tag: 200" get "$REPORT" 200 '"0000000000000000"'
check "with the body" same_file "$TMP/body" "$TMP/report.1"

# The session comes first: no cookie, the right tag, still 401.
code=$(curl -s -m 10 -o "$TMP/body" -w '%{http_code}' -H "If-None-Match: $tag1" "$URL$REPORT")
check "no session: 401, not 304" test "$code" = 401

# An import by another process is seen at once: the old tag no longer
# matches and the new answer has the new data.
check "import by the CLI" "$BIN" --db "$DB" -q import --observed-at 2024-06-02T12:00:00Z \
  "$DATA/tiktok/user_info.json" "$DATA/tiktok/video_list_page1.json"
check "after the import: 200 for the old tag" get "$REPORT" 200 "$tag1"
check "a new ETag" test "$ETAG" != "$tag1"
check "the new data" python3 -c "import json; d=json.load(open('$TMP/body')); assert d['platforms']['tiktok']['content'] > 0"

# A key over the cache's 2,048 bytes is answered, uncached.
long=$(head -c 3000 /dev/zero | tr '\0' 'a')
check "over-long key still answered" get "/api/v1/accounts?pad=$long" 200
check "and not cached: no ETag" test -z "$ETAG"

# Readers while imports replace the answers (answers in use are freed
# only when their last request is done: ASan checks the same run), then
# every answer compared with a server without the cache.
cat >"$TMP/readers.py" <<'EOF'
import http.client, json, sys, threading, time
port, cookie = int(sys.argv[1]), sys.argv[2]
paths = ["/api/v1/report?from=2024-05-01&to=2024-06-30", "/api/v1/content?sort=views&limit=50",
         "/api/v1/accounts"]
codes, bad, lock = {}, [], threading.Lock()
def reader(n):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    for i in range(150):
        p = paths[(n + i) % len(paths)]
        c.request("GET", p, headers={"Cookie": cookie})
        r = c.getresponse(); b = r.read()
        with lock:
            codes[r.status] = codes.get(r.status, 0) + 1
        try:
            json.loads(b)
            if int(r.getheader("Content-Length")) != len(b): raise ValueError("length")
        except Exception as e:
            bad.append("%s: %r" % (p, e))
t0 = time.time()
ts = [threading.Thread(target=reader, args=(n,)) for n in range(8)]
for t in ts: t.start()
for t in ts: t.join(60)
print("readers: %s in %.1f s, %d bad%s" % (codes, time.time() - t0, len(bad), (": " + bad[0]) if bad else ""))
sys.exit(0 if codes == {200: 1200} and not bad else 1)
EOF
cookie=$(awk '!/^#/ || /^#HttpOnly_/ { if (NF >= 7) print $6 "=" $7 }' "$COOKIES" | head -1)
timeout 90 python3 "$TMP/readers.py" "$PORT" "$cookie" >"$TMP/readers.out" 2>&1 &
readers=$!
for d in 03 04; do
  "$BIN" --db "$DB" -q import --observed-at 2024-06-${d}T12:00:00Z "$DATA/tiktok/video_list_last.json" \
    "$DATA/cli/videos_page.json" || echo "  import of day $d failed" >&2
done
wait $readers
rc=$?
cat "$TMP/readers.out"
check "8 readers x 150 during 2 imports: all 200, whole JSON" test $rc -eq 0

main_url=$URL
check "second server, no cache" serve_start "$DB" --cache-mb 0
second_url=$URL
for p in "$REPORT" "/api/v1/content?sort=views&limit=50" "/api/v1/accounts"; do
  URL=$main_url
  check "cached $p" get "$p" 200
  URL=$second_url
  cp "$TMP/body" "$TMP/cached.json"
  check "uncached $p" get "$p" 200
  check "$p: cached bytes = computed bytes" same_file "$TMP/cached.json" "$TMP/body"
done
finish
