# mediadash serve: bodies are refused on the headers, before any byte of
# them is read (issue 13, defect 1), over real sockets on 127.0.0.1:
#   - 128 unauthenticated connections (from 127.0.0.2..9, 16 each: the
#     per-address cap is 32), each announcing a 16 MiB body to
#     /api/v1/import (401: no session), /api/v1/login (413: over its
#     16 KiB cap) or an unknown path (404), half of them with
#     "Expect: 100-continue", the rest sending the body until answered:
#     no 100 Continue is ever sent, each gets its refusal, and serve's
#     peak RSS (VmHWM) stays under 64 MB (or 40 MB over its size before);
#   - logged in: a login body over its cap is a 413 on the headers alone
#     (the body is never sent), and a chunked body over a small route's
#     cap is a 413 (counted as it comes, not kept).
# MEDIADASH_HOSTILE_CONNS sets the count (default 128).
. "$(dirname "$0")/lib.sh"

DB="$TMP/body.db"
check "server started" serve_start "$DB" --no-collect --no-worker
check "logged in" login "$DB" "$URL"
SESSION=$(awk '$6 == "mediadash_session" { print $7 }' "$COOKIES")
check "session cookie" test -n "$SESSION"

python3 - "$PORT" "$SERVER" "$SESSION" "$CSRF" "${MEDIADASH_HOSTILE_CONNS:-128}" \
  >"$TMP/body.out" 2>&1 <<'PY'
import select, socket, sys, threading, time
port, pid, session, csrf, conns = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
SIZE = 16 << 20
CHUNK = b"a" * (64 << 10)
KINDS = (("/api/v1/import", 401), ("/api/v1/login", 413), ("/nowhere", 404))
failed = []

def hwm():
    for line in open("/proc/%s/status" % pid):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) // 1024
    return -1

def status_of(resp):
    try:
        return int(resp.split(b" ", 2)[1])
    except Exception:
        return 0

def connect(src):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind((src, 0))
    s.settimeout(30)
    s.connect(("127.0.0.1", port))
    return s

def head(path, size, extra=""):
    return ("POST %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nOrigin: http://127.0.0.1:%d\r\n"
            "Content-Type: application/json\r\nContent-Length: %d\r\n%s\r\n"
            % (path, port, port, size, extra)).encode()

# Send the body (unless expect) while reading; stop at the first answer.
def exchange(s, send_body, deadline):
    resp, sent = b"", 0
    s.setblocking(False)
    while time.time() < deadline and b"\r\n\r\n" not in resp:
        w = [s] if send_body and sent < SIZE else []
        r, w, _ = select.select([s], w, [], 1.0)
        if r:
            try:
                d = s.recv(65536)
            except (ConnectionError, BlockingIOError):
                d = b""
            if not d:
                break
            resp += d
        if w:
            try:
                sent += s.send(CHUNK)
            except (BlockingIOError, InterruptedError):
                pass
            except (ConnectionError, OSError):
                send_body = False
    return resp, sent

results = []
lock = threading.Lock()
def one(i):
    path, want = KINDS[i % 3]
    expect = (i // 3) % 2 == 0
    try:
        s = connect("127.0.0.%d" % (2 + i % 8))
        s.sendall(head(path, SIZE, "Expect: 100-continue\r\n" if expect else ""))
        resp, sent = exchange(s, not expect, time.time() + 60)
        s.close()
    except Exception as e:
        resp, sent = b"", -1
        print("connection %d: %r" % (i, e))
    with lock:
        results.append((path, want, expect, status_of(resp), resp.startswith(b"HTTP/1.1 100"), sent))

# The limit: 64 MB, or 40 MB over what serve had touched before the
# flood when that is more (a sanitizer build's shadow memory and the
# ffmpeg libraries); buffering the bodies took hundreds of MB.
base = hwm()
limit = max(64, base + 40)
t0 = time.time()
threads = [threading.Thread(target=one, args=(i,)) for i in range(conns)]
for t in threads:
    t.start()
for t in threads:
    t.join(120)
took = time.time() - t0
peak = hwm()
got100 = sum(1 for r in results if r[4])
wrong = [r for r in results if r[3] != r[1]]
sent = [r[5] for r in results if not r[2] and r[5] >= 0]
for path, want in KINDS:
    rs = [r for r in results if r[0] == path]
    print("%-16s %3d connections, answers %s" % (path, len(rs), sorted(set(r[3] for r in rs))))
print("%d connections in %.1f s: %d answered 100 Continue, %d wrong status; "
      "body bytes sent before the answer: max %d, mean %d" %
      (len(results), took, got100, len(wrong),
       max(sent) if sent else 0, sum(sent) // len(sent) if sent else 0))
print("serve's peak RSS (VmHWM): %d MB, %d MB before the flood (limit %d)" % (peak, base, limit))
for r in wrong[:5]:
    print("  wrong:", r)
if len(results) != conns: failed.append("only %d of %d connections finished" % (len(results), conns))
if got100: failed.append("%d answers of 100 Continue" % got100)
if wrong: failed.append("%d wrong statuses" % len(wrong))
if not 0 < peak < limit: failed.append("peak RSS %d MB" % peak)

# Logged in: a login body over its cap, headers only (the body is never
# sent): 413 all the same.
s = connect("127.0.0.10")
s.sendall(head("/api/v1/login", 1 << 20, "Cookie: mediadash_session=%s\r\n" % session))
resp, _ = exchange(s, False, time.time() + 20)
s.close()
print("logged-in login with a 1 MiB Content-Length, no body sent: %d" % status_of(resp))
if status_of(resp) != 413: failed.append("login over its cap: %r" % resp[:200])

# Logged in: a chunked body over the settings route's cap.
s = connect("127.0.0.10")
s.sendall(("POST /api/v1/settings/zone HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n"
           "Origin: http://127.0.0.1:%d\r\nCookie: mediadash_session=%s\r\n"
           "X-CSRF-Token: %s\r\nContent-Type: application/json\r\n"
           "Transfer-Encoding: chunked\r\n\r\n" % (port, port, session, csrf)).encode())
for _ in range(16):
    s.sendall(b"10000\r\n" + CHUNK + b"\r\n")
s.sendall(b"0\r\n\r\n")
resp, _ = exchange(s, False, time.time() + 20)
s.close()
print("logged-in chunked 1 MiB body to /api/v1/settings/zone: %d %s" % (status_of(resp), resp.split(b"\r\n\r\n", 1)[-1][:100]))
if status_of(resp) != 413: failed.append("chunked over the cap: %r" % resp[:200])
for f in failed:
    print("FAIL:", f)
sys.exit(1 if failed else 0)
PY
rc=$?
cat "$TMP/body.out"
check "bodies refused on the headers, no 100 Continue, peak RSS bounded" [ "$rc" -eq 0 ]
check "server still running" kill -0 "$SERVER"
finish
