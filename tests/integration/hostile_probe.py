"""Raw HTTP/1.1 probes for the hostile-parse tests: send bytes exactly as
given over one TCP connection to 127.0.0.1, print what came back.

usage: hostile_probe.py PORT NAME   (NAME from CASES, or "all")
Prints one line per case: NAME STATUS csp=0|1 xcto=0|1 xfo=0|1 BODY...
(STATUS "-" when the server closed without an answer)."""
import socket
import sys

LONG_URI = "/api/v1/health?x=" + "a" * 20000
HUGE_URI = "/api/v1/health?x=" + "a" * 200000
BIG_HDRS = "".join("X-Pad-%d: %s\r\n" % (i, "b" * 100) for i in range(400))
HUGE_HDRS = "".join("X-Pad-%d: %s\r\n" % (i, "b" * 100) for i in range(2000))

CASES = {
    "plain": "GET /api/v1/health HTTP/1.1\r\nHost: localhost\r\n\r\n",
    "obs_fold": "GET /api/v1/health HTTP/1.1\r\nHost: localhost\r\nX-A: a\r\n b\r\n\r\n",
    "bare_lf": "GET /api/v1/health HTTP/1.1\nHost: localhost\nX-A: a\n\n",
    "bare_lf_one": "GET /api/v1/health HTTP/1.1\r\nHost: localhost\nX-A: a\r\n\r\n",
    "space_colon": "POST /api/v1/login HTTP/1.1\r\nHost: localhost\r\n"
                   "Content-Length : 5\r\n\r\n12345",
    "long_uri": "GET %s HTTP/1.1\r\nHost: localhost\r\n\r\n" % LONG_URI,
    "big_headers": "GET /api/v1/health HTTP/1.1\r\nHost: localhost\r\n%s\r\n" % BIG_HDRS,
    "huge_uri": "GET %s HTTP/1.1\r\nHost: localhost\r\n\r\n" % HUGE_URI,
    "huge_headers": "GET /api/v1/health HTTP/1.1\r\nHost: localhost\r\n%s\r\n"
                    % HUGE_HDRS,
    "bad_version": "GET /api/v1/health HTTP/2.0\r\nHost: localhost\r\n\r\n",
    "garbage_version": "GET /api/v1/health HTXP/1.1\r\nHost: localhost\r\n\r\n",
    "space_uri": "GET /api/v1/he alth HTTP/1.1\r\nHost: localhost\r\n\r\n",
    "no_host": "GET /api/v1/health HTTP/1.1\r\n\r\n",
}


def probe(port, raw):
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    data = b""
    try:
        try:
            s.sendall(raw.encode())
        except OSError:
            pass  # refused before we finished: read what came back
        while True:
            try:
                chunk = s.recv(65536)
            except OSError:
                break
            if not chunk:
                break
            data += chunk
            head, sep, body = data.partition(b"\r\n\r\n")
            if sep:
                low = head.lower()
                i = low.find(b"content-length:")
                if i >= 0:
                    n = int(low[i + 15:].split(b"\r\n")[0])
                    if len(body) >= n:
                        break
    finally:
        s.close()
    return data


def summary(name, data):
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    status = lines[0].split(b" ")[1].decode() if lines[0].startswith(b"HTTP/") else "-"
    low = head.lower()
    flags = ["csp=%d" % (b"content-security-policy:" in low),
             "xcto=%d" % (b"x-content-type-options:" in low),
             "xfo=%d" % (b"x-frame-options:" in low)]
    text = body[:90].decode("utf-8", "replace").replace("\n", " ")
    return "%s %s %s %s" % (name, status, " ".join(flags), text)


def main():
    port = int(sys.argv[1])
    names = list(CASES) if sys.argv[2] == "all" else sys.argv[2:]
    for name in names:
        print(summary(name, probe(port, CASES[name])), flush=True)


if __name__ == "__main__":
    main()
