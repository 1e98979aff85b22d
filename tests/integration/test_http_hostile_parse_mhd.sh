# What libmicrohttpd parses before our code sees a request (issue 13,
# defects 7 and 12): obs-fold, bare LF, "Content-Length : 5", white space
# in the URI, an over-long URI, over-large headers -> refused by us, with
# our security headers. What only libmicrohttpd 0.9.75 can refuse (a bad
# HTTP version; a request line or headers beyond its memory pool) is
# refused all the same, without them (printed; see server.c mhd_start).
. "$(dirname "$0")/lib.sh"
HERE=$(cd "$(dirname "$0")" && pwd)

DB="$TMP/parse.db"
check "serve starts" serve_start "$DB" --no-collect --no-worker
timeout 120 python3 "$HERE/hostile_probe.py" "$PORT" all >"$TMP/probe" 2>&1
sed 's/^/  /' "$TMP/probe"

ours() { # NAME STATUS: answered STATUS by us, with the security headers
  grep -q "^$1 $2 csp=1 xcto=1 xfo=1 {\"error\"" "$TMP/probe" ||
    { echo "  $1: expected our $2" >&2; return 1; }
}
refused() { # NAME STATUS: answered STATUS (by libmicrohttpd)
  grep -q "^$1 $2 " "$TMP/probe" || { echo "  $1: expected $2" >&2; return 1; }
}
check "a plain request is served" grep -q '^plain 200 csp=1 xcto=1 xfo=1' "$TMP/probe"
check "obs-fold -> our 400" ours obs_fold 400
check "bare LF line ends -> our 400" ours bare_lf 400
check "one bare LF -> our 400" ours bare_lf_one 400
check "Content-Length : 5 -> our 400" ours space_colon 400
check "white space in the URI -> our 400" ours space_uri 400
check "a 20 KB URI -> our 414" ours long_uri 414
check "40 KB of headers -> our 431" ours big_headers 431
check "a 200 KB URI -> 414 (libmicrohttpd's)" refused huge_uri 414
check "200 KB of headers -> 431 (libmicrohttpd's)" refused huge_headers 431
check "HTTP/2.0 -> 505 (libmicrohttpd's)" refused bad_version 505
check "HTXP/1.1 -> 400 (libmicrohttpd's)" refused garbage_version 400

# libmicrohttpd's log: one line per message, no blank lines
check "still serving" curl -sf -m 10 -o /dev/null "$URL/api/v1/health"
check "no blank lines in serve's stderr" test "$(grep -c '^$' "$SERVE_ERR")" = 0
finish
