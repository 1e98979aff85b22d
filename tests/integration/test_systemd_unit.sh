#!/usr/bin/env bash
# The systemd unit (dist/systemd/mediadash.service.in, installed by
# cmake --install): systemd-analyze verify accepts it as installed under
# /usr, its hardening scores at most 2.0 ("OK") in systemd-analyze
# security, and serve speaks the Type=notify protocol it declares: READY=1
# once it listens, STOPPING=1 after SIGTERM, nothing without NOTIFY_SOCKET.
# No running systemd is needed (containers, CI).
. "$(dirname "$0")/lib.sh"

BUILD=$(dirname "$BIN")
DEST=$TMP/dest
command -v systemd-analyze >/dev/null ||
  { echo "systemd-analyze missing: run tools/install-deps.sh (systemd)" >&2; exit 1; }

check "cmake --install into a DESTDIR" \
  run 0 env DESTDIR="$DEST" cmake --install "$BUILD" --prefix /usr
UNIT=$DEST/lib/systemd/system/mediadash.service
check "unit installed" test -s "$UNIT"
check "Type=notify" contains "$UNIT" "Type=notify"
check "ExecStart names /usr/bin/mediadash and /etc's config" \
  grep -qx 'ExecStart=/usr/bin/mediadash --db /var/lib/mediadash/mediadash.db serve --config /etc/mediadash/mediadash.conf --listen 127.0.0.1:8080' "$UNIT"
for key in User=mediadash StateDirectory=mediadash ProtectSystem=strict \
  ProtectHome=yes NoNewPrivileges=yes PrivateTmp=yes \
  "RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6" \
  SystemCallFilter=@system-service MemoryMax= UMask=0077; do
  check "unit sets $key" grep -q "^$key" "$UNIT"
done

# verify wants the ExecStart binary to exist: point it at this build's,
# which also checks that the command line parses (serve --help below).
mkdir -p "$TMP/verify"
sed "s|^ExecStart=/usr/bin/mediadash|ExecStart=$BIN|" "$UNIT" \
  >"$TMP/verify/mediadash.service"
check "systemd-analyze verify" \
  run 0 systemd-analyze verify --man=no "$TMP/verify/mediadash.service"
check "verify printed no warning" test ! -s "$TMP/err"
[ -s "$TMP/err" ] && sed 's/^/    /' "$TMP/err" >&2

# The ExecStart line's options are ones serve accepts (bad ones exit 2).
read -r -a argv <<<"$(sed -n 's/^ExecStart=//p' "$UNIT")"
check "ExecStart's options parse" run 0 "$BIN" "${argv[@]:1}" --help

systemd-analyze security --offline=true --no-pager \
  "$TMP/verify/mediadash.service" >"$TMP/security" 2>&1
level=$(sed -n 's/.*Overall exposure level for mediadash.service: \([0-9.]*\).*/\1/p' "$TMP/security")
echo "  systemd-analyze security: exposure ${level:-?}" >&2
check "exposure level found" test -n "$level"
check "exposure level at most 2.0 (OK)" \
  python3 -c 'import sys; sys.exit(0 if float(sys.argv[1]) <= 2.0 else 1)' "${level:-99}"

# sd_notify: a datagram socket standing in for systemd's.
cat >"$TMP/notify.py" <<'PY'
import socket, sys, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
open(sys.argv[1] + ".ready", "w").close()
deadline = time.time() + 60
with open(sys.argv[2], "a") as out:
    while time.time() < deadline:
        s.settimeout(max(0.1, deadline - time.time()))
        try:
            msg = s.recv(4096).decode()
        except socket.timeout:
            break
        out.write(msg.replace("\n", " ") + "\n")
        out.flush()
        if "STOPPING=1" in msg:
            break
PY
python3 "$TMP/notify.py" "$TMP/notify.sock" "$TMP/notify.log" &
LISTENER=$!
SERVERS="$SERVERS $LISTENER"
for _ in $(seq 100); do [ -e "$TMP/notify.sock.ready" ] && break; sleep 0.1; done
: >"$TMP/notify.log"
# wait_for FILE TEXT: up to 30 s for TEXT to appear in FILE.
wait_for() {
  for _ in $(seq 300); do grep -qF -- "$2" "$1" && return 0; sleep 0.1; done
  echo "  $1 lacks: $2" >&2; cat "$1" >&2; return 1
}
NOTIFY_SOCKET=$TMP/notify.sock serve_start "$TMP/n.db" --no-collect --no-worker
check "serve started under NOTIFY_SOCKET" test -n "$PORT"
check "READY=1 once serving" wait_for "$TMP/notify.log" "READY=1"
check "READY came with a STATUS" contains "$TMP/notify.log" "STATUS=serving"
check "health answers after READY" \
  curl -sf -m 10 -o /dev/null "$URL/api/v1/health"
lacks_stop() { ! grep -q STOPPING=1 "$TMP/notify.log"; }
check "no STOPPING=1 while serving" lacks_stop
kill -TERM "$SERVER"
check "STOPPING=1 after SIGTERM" wait_for "$TMP/notify.log" "STOPPING=1"
wait "$SERVER"
check "serve exited 0 after SIGTERM" test $? -eq 0
wait "$LISTENER"

# Without NOTIFY_SOCKET nothing is sent and nothing is logged about it.
serve_start "$TMP/n.db" --no-collect --no-worker -v 2>/dev/null
kill -TERM "$SERVER"
wait "$SERVER"
check "no sd_notify message without NOTIFY_SOCKET" lacks "$SERVE_ERR" "sd_notify"

finish
