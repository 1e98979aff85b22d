# Login throttling and sessions under hostile load (issue 13, defects 3
# and 4): the real `mediadash serve` over real sockets on 127.0.0.x.
#  1. 60 concurrent wrong logins for one name -> exactly 5 real password
#     checks (401 and a "wrong password" log line each), the other 55
#     refused as locked (429 with Retry-After).
#  2. A locked user stays locked after many failed logins under other
#     names. To keep this fast the table is shrunk with
#     serve.login_throttle_slots (HT_SLOTS, default 16) so HT_NAMES (40)
#     other names overflow it many times; the unit test (test_auth) covers
#     5,000 and 100,000 names against the default 4,096 slots. HT_SLOTS=0
#     leaves the default table (then use HT_NAMES=4200: minutes).
#  3. A session ended by `mediadash user del` / `user passwd` in another
#     process stops working within AUTH_SESSION_RECHECK (2 s; the test
#     allows 5 s), one ended by logout at once.
. "$(dirname "$0")/lib.sh"

DB="$TMP/throttle.db"
PW="correct horse battery"
SLOTS=${HT_SLOTS:-16}
NAMES=${HT_NAMES:-40}
printf '%s\n' "$PW" >"$TMP/pw"
for u in alice bob carol; do
  "$BIN" --db "$DB" -q user add "$u" --password-file "$TMP/pw" || exit 1
done
# Parts 1 and 2 run on a frozen clock (MEDIADASH_TEST_NOW, test builds):
# alice's lockout cannot run out while the other names are tried, however
# slow the machine (or HT_NAMES=4200 against the old code) is.
SET=()
[ "$SLOTS" -gt 0 ] && SET=(--set "serve.login_throttle_slots=$SLOTS")
MEDIADASH_TEST_NOW=1780000000 serve_start "$DB" --threads 8 "${SET[@]}" || exit 1
THROTTLE_ERR=$SERVE_ERR

# logins.py URL NAME_PATTERN COUNT ADDRESSES PARALLEL: COUNT logins with a
# wrong password (name NAME_PATTERN % i), spread over the source addresses
# 127.0.A/256.A%256 (A in ADDRESSES, a-b: all of 127/8 is loopback) and
# PARALLEL at a time; prints one line "STATUS RETRY_AFTER" per login.
cat >"$TMP/logins.py" <<'PY'
import http.client, json, sys, threading
url, pattern, count, addrs, par = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], int(sys.argv[5])
lo, hi = (int(x) for x in addrs.split("-"))
host, port = url.split("//")[1].split(":")
out, lock, gate = [], threading.Lock(), threading.Semaphore(par)
start = threading.Barrier(min(par, count))
def one(i):
    with gate:
        name = pattern % i if "%" in pattern else pattern
        a = lo + i % (hi - lo + 1)
        src = "127.0.%d.%d" % (a >> 8, a & 255)
        body = json.dumps({"user": name, "password": "wrong password %d" % i})
        status, retry = "ERR", "-"
        try:
            if i < par:
                start.wait(30)
            c = http.client.HTTPConnection(host, int(port), timeout=60, source_address=(src, 0))
            c.request("POST", "/api/v1/login", body, {"Origin": url, "Content-Type": "application/json"})
            r = c.getresponse()
            r.read()
            status, retry = str(r.status), r.getheader("Retry-After") or "-"
            c.close()
        except Exception as e:
            status = "ERR:" + type(e).__name__
        with lock:
            out.append("%s %s" % (status, retry))
ts = [threading.Thread(target=one, args=(i,)) for i in range(count)]
for t in ts: t.start()
for t in ts: t.join(120)
print("\n".join(out))
PY

wrong_lines() { grep -cF "login: wrong password for \\\"$1\\\"" "$THROTTLE_ERR"; }
count_status() { grep -c "^$2 " "$1"; }

# ---- 1. 60 concurrent wrong logins for one name -----------------------------
t0=$(date +%s.%N)
timeout 180 python3 "$TMP/logins.py" "$URL" alice 60 10-15 60 >"$TMP/race"
n401=$(count_status "$TMP/race" 401); n429=$(count_status "$TMP/race" 429)
n503=$(count_status "$TMP/race" 503)
echo "60 concurrent wrong logins for alice: $n401 x 401, $n429 x 429," \
  "$n503 x 503, $(wrong_lines alice) 'wrong password' log lines," \
  "$(python3 -c "import time; print('%.1f' % (time.time() - $t0))") s"
# Exactly 5 are checked. On a loaded or slow machine (sanitizers) a login
# let through may wait more than 2 s for the hash gate: 503, not checked,
# not counted, and its reservation goes back (another may take it). So:
# never more than 5 checks; exactly 5 when the gate kept up.
check "at most 5 real password checks (401)" test "$n401" -le 5
check "exactly 5 when no login waited out the hash gate" \
  test "$n503" -gt 0 -o "$n401" -eq 5
check "5 let through in all (401 + 503)" test $((n401 + n503)) -ge 5
check "the rest refused as locked (429)" test $((n401 + n503 + n429)) -eq 60
check "one 'wrong password' log line per real check" test "$(wrong_lines alice)" -eq "$n401"
# alice locked for the next part: top up what a slow gate left unchecked.
for _ in 1 2 3 4 5; do
  [ "$(timeout 60 python3 "$TMP/logins.py" "$URL" alice 1 16-16 1 | cut -d' ' -f1)" = 429 ] && break
done
check "429s carry Retry-After" test "$(grep '^429 ' "$TMP/race" | grep -vc ' -$')" -eq "$n429"
check "refusals are logged with name and address" \
  grep -q 'login: refused for \\"alice\\" from 127.0.0.1[0-5]: locked for [0-9]* s' "$SERVE_ERR"
check "no password in the log" lacks "$SERVE_ERR" "wrong password 1"

# ---- 2. many failed logins under other names do not unlock alice ------------
# HT_PER_ADDR (4) names per source address (127.0.0.20-...): under the
# per-address limit.
PER=${HT_PER_ADDR:-4}
nad=$(( (NAMES + PER - 1) / PER ))
t0=$(date +%s.%N)
timeout 1800 python3 "$TMP/logins.py" "$URL" "spray%d" "$NAMES" "20-$((19 + nad))" "${HT_PAR:-1}" >"$TMP/spray"
echo "$NAMES failed logins under other names from $nad addresses" \
  "(slots: ${SLOTS/#0/default}): $(count_status "$TMP/spray" 401) x 401," \
  "$(count_status "$TMP/spray" 429) x 429," \
  "$(python3 -c "import time; print('%.1f' % (time.time() - $t0))") s"
check "the other names were checked (401)" test "$(count_status "$TMP/spray" 401)" -eq "$NAMES"
python3 -c 'import json,sys; print(json.dumps({"user": "alice", "password": sys.argv[1]}))' "$PW" >"$TMP/alice.json"
code=$(curl -s -m 30 --interface 127.0.0.9 -o "$TMP/alice.out" -D "$TMP/alice.h" -w '%{http_code}' \
  -H "Origin: $URL" -H 'Content-Type: application/json' \
  --data-binary @"$TMP/alice.json" "$URL/api/v1/login")
echo "alice with her right password after the spray: HTTP $code," \
  "$(grep -i '^retry-after' "$TMP/alice.h" | tr -d '\r')"
check "alice stays locked (429)" test "$code" = 429
check "with Retry-After" grep -qi '^retry-after: [1-9]' "$TMP/alice.h"
check "her right password was not checked" lacks "$SERVE_ERR" 'password accepted for \"alice\"'

# ---- 3. sessions ended in another process ------------------------------------
# On the real clock: a second serve of the same database.
serve_start "$DB" --threads 4 || exit 1
# session_gone COOKIES: seconds until GET /api/v1/session answers 401 (at
# most 10 s; prints 99 when it never does).
session_gone() {
  python3 - "$URL" "$1" <<'PY'
import http.cookiejar, sys, time, urllib.request, urllib.error
url, jar_path = sys.argv[1], sys.argv[2]
jar = http.cookiejar.MozillaCookieJar(jar_path)
jar.load(ignore_discard=True, ignore_expires=True)
op = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
t0 = time.time()
while time.time() - t0 < 10:
    try:
        op.open(url + "/api/v1/session", timeout=10).read()
    except urllib.error.HTTPError as e:
        if e.code == 401:
            print("%.1f" % (time.time() - t0)); sys.exit(0)
    time.sleep(0.1)
print(99)
PY
}
get_session() { curl -s -m 10 -o /dev/null -w '%{http_code}' -b "$1" "$URL/api/v1/session"; }

COOKIES="$TMP/bob.cookies" login "$DB" "$URL" bob "$PW"
check "bob's session works" test "$(get_session "$TMP/bob.cookies")" = 200
check "bob's session works again (cached)" test "$(get_session "$TMP/bob.cookies")" = 200
check "user del bob" run 0 "$BIN" --db "$DB" -q user del bob
gone=$(session_gone "$TMP/bob.cookies")
echo "bob's session after 'user del' in another process: 401 after $gone s"
check "ends within 5 s after user del" python3 -c "import sys; sys.exit(0 if float('$gone') <= 5 else 1)"

COOKIES="$TMP/carol.cookies" login "$DB" "$URL" carol "$PW"
check "carol's session works" test "$(get_session "$TMP/carol.cookies")" = 200
printf '%s\n' "another horse battery" >"$TMP/pw2"
check "user passwd carol" run 0 "$BIN" --db "$DB" -q user passwd carol --password-file "$TMP/pw2"
gone=$(session_gone "$TMP/carol.cookies")
echo "carol's session after 'user passwd' in another process: 401 after $gone s"
check "ends within 5 s after user passwd" python3 -c "import sys; sys.exit(0 if float('$gone') <= 5 else 1)"

COOKIES="$TMP/carol2.cookies" login "$DB" "$URL" carol "another horse battery"
check "carol's new session works" test "$(get_session "$TMP/carol2.cookies")" = 200
cp "$TMP/carol2.cookies" "$TMP/carol2.kept"
code=$(curl -s -m 10 -o /dev/null -w '%{http_code}' -b "$TMP/carol2.cookies" -X POST \
  -H "Origin: $URL" -H "X-CSRF-Token: $CSRF" "$URL/api/v1/logout")
check "logout" test "$code" = 200
check "a logged-out session ends at once" test "$(get_session "$TMP/carol2.kept")" = 401

check "no sanitizer report" lacks "$THROTTLE_ERR" "Sanitizer"
check "no sanitizer report (second serve)" lacks "$SERVE_ERR" "Sanitizer"
check "no runtime error" lacks "$THROTTLE_ERR" "runtime error"

finish
