#!/usr/bin/env python3
"""Receivers for the notification tests (tests/integration/test_notify.sh).

  notify_recv.py DIR [--fail N] [--tls CERT KEY]

Starts on 127.0.0.1:
  - a webhook receiver (HTTP): each POST is written to DIR/hooks.jsonl as
    {"path", "headers", "body"} and answered 204; the first N POSTs (--fail)
    are answered 500 instead (and still recorded, with "answered": 500);
  - an SMTP server (Debian's python3-aiosmtpd): each message is written to
    DIR/mail/NNN.eml with the envelope in DIR/mail/NNN.env; with --tls the
    server offers STARTTLS with CERT/KEY and refuses mail without it.
Prints "webhook PORT" and "smtp PORT" lines on stdout once both listen,
then runs until killed. Only stdlib and aiosmtpd.
"""
import argparse
import http.server
import json
import os
import socket
import ssl
import sys
import threading
import time

from aiosmtpd.controller import Controller


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Hooks(http.server.BaseHTTPRequestHandler):
    fail_left = 0
    lock = threading.Lock()
    out = None

    def do_POST(self):
        n = int(self.headers.get("Content-Length") or 0)
        if n > 1 << 20:
            self.send_response(413)
            self.end_headers()
            return
        body = self.rfile.read(n)
        with Hooks.lock:
            status = 204
            if Hooks.fail_left > 0:
                Hooks.fail_left -= 1
                status = 500
            rec = {"path": self.path, "headers": dict(self.headers.items()),
                   "body": body.decode("utf-8", "replace"),
                   "answered": status, "at": time.time()}
            with open(Hooks.out, "a") as f:
                f.write(json.dumps(rec) + "\n")
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *a):
        pass


class Mailbox:
    def __init__(self, d):
        self.d = d
        self.n = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.n += 1
            base = os.path.join(self.d, "%03d" % self.n)
        with open(base + ".eml.tmp", "wb") as f:
            f.write(envelope.original_content or envelope.content)
        with open(base + ".env", "w") as f:
            json.dump({"from": envelope.mail_from,
                       "to": envelope.rcpt_tos,
                       "tls": session.ssl is not None}, f)
        os.rename(base + ".eml.tmp", base + ".eml")
        return "250 OK"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--fail", type=int, default=0)
    ap.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"))
    a = ap.parse_args()
    os.makedirs(os.path.join(a.dir, "mail"), exist_ok=True)
    Hooks.out = os.path.join(a.dir, "hooks.jsonl")
    Hooks.fail_left = a.fail
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Hooks)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()

    kw = {}
    if a.tls:
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ctx.load_cert_chain(a.tls[0], a.tls[1])
        kw = {"tls_context": ctx, "require_starttls": True}
    port = free_port()
    ctl = Controller(Mailbox(os.path.join(a.dir, "mail")),
                     hostname="127.0.0.1", port=port, **kw)
    ctl.start()
    print("webhook %d" % httpd.server_address[1])
    print("smtp %d" % port)
    sys.stdout.flush()
    try:
        while True:
            time.sleep(3600)
    finally:
        ctl.stop()


if __name__ == "__main__":
    main()
