# mediadash serve behind a reverse proxy (issue 13, defects 6 and 9), over
# real sockets on 127.0.0.1:
#   - a tiny forwarding proxy (python3, on 127.0.0.1, adds X-Forwarded-For
#     with its client's address) and serve.trusted_proxies=127.0.0.1:
#     21 wrong logins by one client (127.0.0.2) lock only that client;
#     another client (127.0.0.3) through the same proxy still logs in;
#   - X-Forwarded-For from a peer that is not a trusted proxy is ignored
#     (the failed login is logged and counted for the peer's address);
#   - serve.public_origin set: another Host is a 421, another Origin a
#     403, the right Host and Origin log in;
#   - unset: a login POST with Host and Origin rebind.evil.example:PORT
#     (DNS rebinding) is refused; localhost and 127.0.0.1 still work.
. "$(dirname "$0")/lib.sh"

DB="$TMP/proxy.db"
PW='correct horse battery'
printf '%s\n' "$PW" >"$TMP/pw"
"$BIN" --db "$DB" -q user add alice --password-file "$TMP/pw"
check "server started" serve_start "$DB" --no-collect --no-worker \
  --set serve.trusted_proxies=127.0.0.1,::1
UPSTREAM=$PORT

cat >"$TMP/proxy.py" <<'PY'
# One request per connection: read it, add X-Forwarded-For, forward it to
# serve from 127.0.0.1, relay the answer.
import socket, socketserver, sys
up = int(sys.argv[1])
class H(socketserver.BaseRequestHandler):
    def handle(self):
        c = self.request
        c.settimeout(30)
        data = b""
        while b"\r\n\r\n" not in data:
            d = c.recv(65536)
            if not d:
                return
            data += d
        head, _, body = data.partition(b"\r\n\r\n")
        lines = head.split(b"\r\n")
        n, xff = 0, None
        kept = [lines[0]]
        for l in lines[1:]:
            k, _, v = l.partition(b":")
            if k.strip().lower() == b"content-length":
                n = int(v)
            if k.strip().lower() == b"x-forwarded-for":
                xff = v.strip()
                continue
            if k.strip().lower() == b"connection":
                continue
            kept.append(l)
        while len(body) < n:
            d = c.recv(65536)
            if not d:
                return
            body += d
        peer = self.client_address[0].encode()
        kept.append(b"X-Forwarded-For: " + (xff + b", " + peer if xff else peer))
        kept.append(b"Connection: close")
        u = socket.create_connection(("127.0.0.1", up), timeout=30,
                                     source_address=("127.0.0.1", 0))
        u.sendall(b"\r\n".join(kept) + b"\r\n\r\n" + body)
        while True:
            d = u.recv(65536)
            if not d:
                break
            c.sendall(d)
        u.close()
class S(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
s = S(("127.0.0.1", 0), H)
print(s.server_address[1], flush=True)
s.serve_forever()
PY
python3 "$TMP/proxy.py" "$UPSTREAM" >"$TMP/proxy.port" 2>"$TMP/proxy.err" &
SERVERS="$SERVERS $!"
for _ in $(seq 50); do [ -s "$TMP/proxy.port" ] && break; sleep 0.1; done
PROXY="http://127.0.0.1:$(cat "$TMP/proxy.port")"
check "proxy started" test -s "$TMP/proxy.port"

# login_from SOURCE_ADDR URL ORIGIN NAME PASSWORD [CURL ARGS...]: the
# status of a login POST to URL from SOURCE_ADDR.
login_from() {
  local src=$1 url=$2 origin=$3 name=$4 pw=$5
  shift 5
  printf '{"user": "%s", "password": "%s"}' "$name" "$pw" >"$TMP/lbody" # plain words only
  curl -s -m 30 --interface "$src" -o "$TMP/lout" -w '%{http_code}' -H "Origin: $origin" \
    -H 'Content-Type: application/json' --data-binary @"$TMP/lbody" "$@" "$url/api/v1/login"
}
T0=$(date +%s)

# 1. Through the proxy: 21 wrong logins from 127.0.0.2 under 21 names (so
#    no one name reaches its own limit): the address is locked...
codes=""
for i in $(seq 21); do
  codes="$codes $(login_from 127.0.0.2 "$PROXY" "$PROXY" "nobody$i" 'wrong password')"
done
echo "127.0.0.2 via the proxy, 21 wrong logins:$codes"
check "the 21st wrong login of 127.0.0.2 is throttled (429)" test "${codes##* }" = 429
code=$(login_from 127.0.0.2 "$PROXY" "$PROXY" alice "$PW")
echo "127.0.0.2 via the proxy, right password: $code"
check "127.0.0.2 stays locked" test "$code" = 429
# ...and only it: 127.0.0.3 through the same proxy logs in.
code=$(login_from 127.0.0.3 "$PROXY" "$PROXY" alice "$PW")
echo "127.0.0.3 via the proxy, right password: $code"
check "another client through the same proxy logs in (200)" test "$code" = 200
check "the log names the forwarded client" grep -qF 'wrong password for \"nobody1\" from 127.0.0.2"' "$SERVE_ERR"

echo "(proxy part: $(($(date +%s) - T0)) s)"

# 2. Not through the proxy: 127.0.0.4 is no trusted proxy, so the
#    X-Forwarded-For it sends is ignored: the failure is its own.
D="http://127.0.0.1:$UPSTREAM"
code=$(login_from 127.0.0.4 "$D" "$D" ghost 'wrong password' -H 'X-Forwarded-For: 10.0.0.99')
echo "127.0.0.4 direct with a forged X-Forwarded-For, wrong password: $code"
check "wrong login from an untrusted peer: 401" test "$code" = 401
check "the log names the peer, not the forged address" grep -qF 'wrong password for \"ghost\" from 127.0.0.4"' "$SERVE_ERR"
check "the forged address is nowhere" lacks "$SERVE_ERR" 10.0.0.99

# 3. No public_origin: a DNS-rebinding Host is refused on the headers.
EVIL="http://rebind.evil.example:$UPSTREAM"
code=$(login_from 127.0.0.5 "$D" "$EVIL" alice "$PW" -H "Host: rebind.evil.example:$UPSTREAM")
echo "login with Host and Origin rebind.evil.example:$UPSTREAM: $code $(head -c 200 "$TMP/lout")"
check "rebinding Host refused (421)" test "$code" = 421
code=$(login_from 127.0.0.5 "$D" "http://localhost:$UPSTREAM" alice "$PW" -H "Host: localhost:$UPSTREAM")
check "Host localhost:PORT logs in" test "$code" = 200
code=$(curl -s -m 20 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$UPSTREAM/api/v1/health")
check "Host 127.0.0.1:PORT served" test "$code" = 200
kill "$SERVER" 2>/dev/null
wait "$SERVER" 2>/dev/null

# 4. public_origin set: that Host (and Origin) only.
check "server with public_origin started" serve_start "$DB" --no-collect --no-worker \
  --set serve.public_origin=http://dash.example.test
GOOD=http://dash.example.test
code=$(login_from 127.0.0.6 "$URL" "$GOOD" alice "$PW" -H 'Host: dash.example.test')
echo "public_origin $GOOD: right Host and Origin: $code"
check "right Host and Origin log in (200)" test "$code" = 200
code=$(curl -s -m 20 -o "$TMP/lout" -w '%{http_code}' "$URL/api/v1/health")
echo "public_origin $GOOD: Host 127.0.0.1:$PORT: $code $(head -c 200 "$TMP/lout")"
check "another Host refused (421)" test "$code" = 421
code=$(login_from 127.0.0.6 "$URL" "http://rebind.evil.example" alice "$PW" -H "Host: rebind.evil.example")
check "a rebinding Host refused (421)" test "$code" = 421
code=$(login_from 127.0.0.6 "$URL" "http://evil.example" alice "$PW" -H 'Host: dash.example.test')
echo "public_origin $GOOD: right Host, Origin http://evil.example: $code"
check "another Origin refused (403)" test "$code" = 403
echo "(whole test: $(($(date +%s) - T0)) s)"
finish
