# mediadash serve: the embedded dashboard (/, /login, /assets/NAME) over
# real HTTP on 127.0.0.1: content types, caching (ETag, 304), 404s, the
# security headers, and pages that CSP allows (no inline code or styles).
. "$(dirname "$0")/lib.sh"

WEB=$(cd "$(dirname "$0")/../../web" && pwd)
UPLOT=$(dirname "$BIN")/web-deps/node_modules/uplot/dist
DB="$TMP/static.db"
"$BIN" --db "$DB" -q import --observed-at 2024-06-01T12:00:00Z \
  "$DATA/cli/videos_page.json"

check "server started" serve_start "$DB"
check "logged in" login "$DB" "$URL"

# get PATH STATUS [CURL ARGS...]: body in $TMP/body, headers in $TMP/headers.
get() {
  local path=$1 want=$2 code
  shift 2
  rm -f "$TMP/body"
  code=$(curl -s -m 10 --path-as-is -o "$TMP/body" -D "$TMP/headers" \
    -b "$COOKIES" -w '%{http_code} %{size_download}' "$@" "$URL$path")
  echo "${code#* }" >"$TMP/size"
  code=${code%% *}
  [ "$code" = "$want" ] || { echo "  GET $path: $code, expected $want" >&2; head -c 300 "$TMP/body" >&2; return 1; }
}
# env_get PATH STATUS: get without the session cookie.
env_get() { local COOKIES=/dev/null; get "$@"; }
# header NAME VALUE: the last response carried exactly this header.
header() {
  tr -d '\r' <"$TMP/headers" | grep -qixF -- "$1: $2" ||
    { echo "  no '$1: $2' in:" >&2; sed 's/^/    /' "$TMP/headers" >&2; return 1; }
}
header_value() { tr -d '\r' <"$TMP/headers" | grep -i "^$1:" | head -1 | cut -d' ' -f2-; }
empty_body() { [ "$(cat "$TMP/size")" = 0 ] || { echo "  body of $(cat "$TMP/size") bytes" >&2; return 1; }; }

type_of() {
  case $1 in
    *.html) echo "text/html; charset=utf-8" ;;
    *.css) echo "text/css; charset=utf-8" ;;
    *.js) echo "text/javascript; charset=utf-8" ;;
    *.svg) echo "image/svg+xml" ;;
  esac
}

# The pages. Without a session the app page sends the browser to log in;
# the login page and the assets need none.
check "GET / logged out" env_get / 302
check "to the login page" header Location "/login?next=/"
check "GET /login logged out" env_get /login 200
check "GET /assets/app.css logged out" env_get /assets/app.css 200
check "GET /" get / 200
check "/ is HTML" header Content-Type "text/html; charset=utf-8"
check "/ is index.html" same_file "$TMP/body" "$WEB/index.html"
check "/ CSP" contains "$TMP/headers" "Content-Security-Policy: default-src 'self'; script-src 'self'; style-src 'self';"
check "/ nosniff" header X-Content-Type-Options nosniff
check "/ is not cached" header Cache-Control no-store
check "GET /login" get /login 200
check "/login is HTML" header Content-Type "text/html; charset=utf-8"
check "/login is login.html" same_file "$TMP/body" "$WEB/login.html"
check "/login CSP" contains "$TMP/headers" "Content-Security-Policy: default-src 'self'; script-src 'self'; style-src 'self';"
check "/login nosniff" header X-Content-Type-Options nosniff
check "HEAD /login" get /login 200 -I
check "HEAD /login: no body" empty_body

# Every asset: served byte for byte with its type, cacheable, revalidated
# by ETag.
assets=()
for f in "$WEB"/*.js "$WEB"/*.css "$WEB"/*.svg; do assets+=("$f"); done
assets+=("$UPLOT/uPlot.iife.min.js" "$UPLOT/uPlot.min.css")
check "at least app.js, app.css and uPlot" test "${#assets[@]}" -ge 5
for f in "${assets[@]}"; do
  name=$(basename "$f")
  check "GET /assets/$name" get "/assets/$name" 200
  check "$name type" header Content-Type "$(type_of "$name")"
  check "$name bytes" same_file "$TMP/body" "$f"
  check "$name cache" header Cache-Control "public, max-age=300"
  check "$name nosniff" header X-Content-Type-Options nosniff
  etag=$(header_value ETag)
  check "$name has a strong ETag" test -n "$etag" -a "${etag:0:1}" = '"'
  check "$name If-None-Match: 304" get "/assets/$name" 304 -H "If-None-Match: $etag"
  check "$name 304 has no body" empty_body
  check "$name 304 keeps the ETag" header ETag "$etag"
done
etag=$(curl -s -m 10 -o /dev/null -D - "$URL/assets/app.js" | tr -d '\r' | grep -i '^ETag:' | cut -d' ' -f2-)
check "weak tag in a list: 304" get /assets/app.js 304 -H "If-None-Match: \"nope\", W/$etag"
check "star: 304" get /assets/app.js 304 -H "If-None-Match: *"
check "other tag: 200" get /assets/app.js 200 -H 'If-None-Match: "0000"'
check "tag prefix: 200" get /assets/app.js 200 -H "If-None-Match: ${etag%?}"
check "HEAD asset" get /assets/app.css 200 -I
check "HEAD asset: no body" empty_body
check "HEAD asset type" header Content-Type "text/css; charset=utf-8"
other=$(curl -s -m 10 -o /dev/null -D - "$URL/assets/app.css" | tr -d '\r' | grep -i '^ETag:' | cut -d' ' -f2-)
check "ETags differ per file" test "$etag" != "$other"

# Names come from the table only.
for p in /assets/nope.js /assets/ /assets/index.html /assets/login.html \
  /assets/../CMakeLists.txt /assets/..%2fCMakeLists.txt /assets/%2e%2e/web/app.js \
  /assets/app.js/ /assets/APP.JS /assets//app.js /index.html /web/app.js; do
  check "$p: 404" get "$p" 404
  check "$p: 404 is JSON" contains "$TMP/body" '"status":404'
done
code=$(curl -s -m 10 -o /dev/null -w '%{http_code}' -X POST --data x "$URL/assets/app.js")
check "POST on an asset: 405" test "$code" = 405
code=$(curl -s -m 10 -o /dev/null -w '%{http_code}' -X DELETE "$URL/")
check "DELETE /: 405" test "$code" = 405

# The HTML follows the CSP: scripts and styles only from /assets/, no
# inline code, handlers or style attributes, nothing from other hosts.
cat >"$TMP/html_check.py" <<'PY'
import sys
from html.parser import HTMLParser

class Check(HTMLParser):
    def __init__(self):
        super().__init__()
        self.bad, self.in_script, self.refs = [], False, []
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for k, v in attrs:
            if k == "style" or k.startswith("on"):
                self.bad.append(f"<{tag} {k}=...>")
            if k in ("src", "href", "action", "srcset", "poster", "data"):
                self.refs.append((tag, k, v or ""))
        if tag == "style":
            self.bad.append("<style> element")
        if tag == "script":
            self.in_script = True
            if not a.get("src"):
                self.bad.append("<script> without src")
    def handle_endtag(self, tag):
        if tag == "script":
            self.in_script = False
    def handle_data(self, data):
        if self.in_script and data.strip():
            self.bad.append("inline script body")

page = sys.argv[1]
c = Check()
c.feed(open(page, encoding="utf-8").read())
for tag, k, v in c.refs:
    local = v.startswith("/assets/") or v.startswith("#") or (tag == "form" and v == "/login")
    if not local:
        c.bad.append(f"<{tag} {k}=\"{v}\"> is not an /assets/ URL")
for b in c.bad:
    print(f"  {page}: {b}", file=sys.stderr)
print("\n".join(v for tag, k, v in c.refs if v.startswith("/assets/")))
sys.exit(1 if c.bad else 0)
PY
for page in "$WEB"/*.html; do
  check "$(basename "$page") obeys the CSP" python3 "$TMP/html_check.py" "$page"
done
python3 "$TMP/html_check.py" "$WEB/index.html" >"$TMP/refs" 2>/dev/null
check "index.html loads app.js" grep -qx /assets/app.js "$TMP/refs"
check "index.html loads uPlot" grep -qx /assets/uPlot.iife.min.js "$TMP/refs"
while read -r ref; do
  check "index.html reference $ref is served" get "$ref" 200
done <"$TMP/refs"
check "pages and CSS name no other host" run 1 grep -rEl 'https?://' "$WEB"/*.html "$WEB"/*.css
# Text from the API goes in with textContent only.
check "no innerHTML and friends" run 1 grep -rnE 'innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(|new Function' "$WEB"/*.js

# Elements the browser tests rely on.
for id in login-user login-password login-submit login-error; do
  check "login.html has #$id" contains "$WEB/login.html" "id=\"$id\""
done
for ref in '#/' '#/content' '#/best-time' '#/import'; do
  check "nav links to $ref" contains "$WEB/index.html" "href=\"$ref\""
done
check "nav has #logout" contains "$WEB/index.html" 'id="logout"'

kill -TERM $SERVER
wait $SERVER
check "stops on SIGTERM" test $? -eq 0
finish
