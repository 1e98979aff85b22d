"""Slow clients against `mediadash serve` (test_http_hostile_slow.sh).

usage: hostile_slow.py PORT PHASE [ARGS]
  flood SECONDS      256 slowloris connections from 127.0.0.2-9 (32 each),
                     one header line every 3 s, never finishing, each
                     reconnecting 3 s after it is closed; meanwhile a
                     normal client on 127.0.0.20 asks /api/v1/health every
                     0.5 s. Prints the normal client's figures and the
                     slow connections' closes.
  deadline N         N slowloris connections from 127.0.0.30 (under the
                     caps), one header line every 2 s, no reconnecting:
                     prints how many were closed and after how long.
  body COOKIE CSRF   an authenticated POST /api/v1/import announcing 1 MB,
                     sending 100 bytes/s: prints when it was cut off.
Every wait is bounded; figures go to stdout as KEY=VALUE lines."""
import asyncio
import socket
import statistics
import sys
import time

PORT = 0


async def open_from(src, timeout=5):
    """A connection to the server bound to source address src."""
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setblocking(False)
    s.bind((src, 0))
    loop = asyncio.get_running_loop()
    await asyncio.wait_for(loop.sock_connect(s, ("127.0.0.1", PORT)), timeout)
    return s


async def slow_conn(src, every, stop_at, closes, reconnect):
    """Send a request's headers one line every `every` s, never ending;
    record (lifetime) each time the server closes the connection."""
    loop = asyncio.get_running_loop()
    while time.monotonic() < stop_at:
        try:
            s = await open_from(src)
        except (OSError, asyncio.TimeoutError):
            await asyncio.sleep(1)
            continue
        t0 = time.monotonic()
        try:
            await loop.sock_sendall(s, b"GET /api/v1/health HTTP/1.1\r\nHost: localhost\r\n")
            i = 0
            while time.monotonic() < stop_at:
                try:
                    data = await asyncio.wait_for(loop.sock_recv(s, 4096), every)
                    if not data:
                        raise ConnectionResetError
                except asyncio.TimeoutError:
                    pass
                i += 1
                await loop.sock_sendall(s, b"X-Slow-%d: a\r\n" % i)
        except OSError:
            closes.append(time.monotonic() - t0)
        finally:
            s.close()
        if not reconnect:
            return
        await asyncio.sleep(3)


def health_once(src):
    """One GET /api/v1/health from src on a new connection: seconds, or
    None when it failed."""
    t0 = time.monotonic()
    try:
        s = socket.create_connection(("127.0.0.1", PORT), timeout=5,
                                     source_address=(src, 0))
        s.sendall(b"GET /api/v1/health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        data = b""
        while True:
            chunk = s.recv(4096)
            if not chunk:
                break
            data += chunk
        s.close()
        if not data.startswith(b"HTTP/1.1 200") or b'"status":"ok"' not in data:
            return None
        return time.monotonic() - t0
    except OSError:
        return None


async def normal_client(stop_at, times, fails):
    loop = asyncio.get_running_loop()
    await asyncio.sleep(2)  # let the flood fill up first
    while time.monotonic() < stop_at:
        t = await loop.run_in_executor(None, health_once, "127.0.0.20")
        if t is None:
            fails.append(1)
        else:
            times.append(t)
        await asyncio.sleep(0.5)


async def flood(seconds):
    stop_at = time.monotonic() + seconds
    closes, times, fails = [], [], []
    tasks = [slow_conn("127.0.0.%d" % (2 + i % 8), 3, stop_at, closes, True)
             for i in range(256)]
    tasks.append(normal_client(stop_at, times, fails))
    await asyncio.wait_for(asyncio.gather(*tasks), seconds + 30)
    print("normal_requests=%d" % (len(times) + len(fails)))
    print("normal_failed=%d" % len(fails))
    if times:
        print("normal_min=%.3f normal_median=%.3f normal_max=%.3f" %
              (min(times), statistics.median(times), max(times)))
    else:
        print("normal_min=- normal_median=- normal_max=9")
    print("slow_closed=%d" % len(closes))


async def deadline(n):
    stop_at = time.monotonic() + 25
    closes = []
    await asyncio.wait_for(asyncio.gather(
        *[slow_conn("127.0.0.30", 2, stop_at, closes, False)
          for _ in range(n)]), 40)
    print("deadline_closed=%d of %d" % (len(closes), n))
    if closes:
        print("deadline_min=%.1f deadline_max=%.1f" % (min(closes), max(closes)))


def slow_body(cookie, csrf):
    origin = "http://127.0.0.1:%d" % PORT
    s = socket.create_connection(("127.0.0.1", PORT), timeout=5,
                                 source_address=("127.0.0.40", 0))
    s.sendall(("POST /api/v1/import?name=slow.json HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n"
               "Origin: %s\r\nCookie: %s\r\nX-CSRF-Token: %s\r\n"
               "Content-Type: application/json\r\nContent-Length: 1000000\r\n\r\n"
               % (PORT, origin, cookie, csrf)).encode())
    t0 = time.monotonic()
    sent, how = 0, "still open after 30 s"
    s.settimeout(1)
    while time.monotonic() - t0 < 30:
        try:
            s.sendall(b"[" + b" " * 99)
            sent += 100
            data = s.recv(4096)
            if not data:
                how = "closed"
                break
            how = "answered " + data.split(b"\r\n")[0].decode()
            break
        except socket.timeout:
            continue
        except OSError:
            how = "closed"
            break
    print("body_sent=%d body_seconds=%.1f body_end=%s"
          % (sent, time.monotonic() - t0, how.replace(" ", "_")))
    s.close()


def main():
    global PORT
    PORT = int(sys.argv[1])
    phase = sys.argv[2]
    if phase == "flood":
        asyncio.run(flood(float(sys.argv[3])))
    elif phase == "deadline":
        asyncio.run(deadline(int(sys.argv[3])))
    else:
        slow_body(sys.argv[3], sys.argv[4])


if __name__ == "__main__":
    main()
