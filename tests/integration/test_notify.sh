# Notifications (issue 14), with the real binary, a real SQLite file and
# local receivers (tests/integration/notify_recv.py: an HTTP webhook
# receiver and Debian's aiosmtpd):
#   - `notify test` sends one of each kind by webhook and by mail; every
#     webhook's X-Mediadash-Signature verifies with the secret (and not
#     with another key); each mail reaches both recipients;
#   - STARTTLS: with a certificate made by openssl here, mail goes over
#     TLS when the CA is given, and is refused (not sent in clear) when
#     the certificate cannot be checked;
#   - a missed post and a published post, written by `worker`: their
#     events are in the outbox with the change of state; a receiver that
#     answers 500 twice gets the event on the 3rd attempt, after the
#     backoff (1 s, then 2 s); the delivery log shows the three attempts;
#   - serve's loop delivers what POST /api/v1/notify/test queued, and
#     GET /api/v1/notify shows the channels (no secret) and the log;
#   - a secret given as a flag is refused.
. "$(dirname "$0")/lib.sh"
SRC=$(cd "$(dirname "$0")/../.." && pwd)
DB="$TMP/n.db"
md() { "$BIN" --db "$DB" "$@"; }

# Debian's python3 has python3-aiosmtpd; another python3 first in PATH
# may not.
PY=python3
python3 -c 'import aiosmtpd' 2>/dev/null || PY=/usr/bin/python3
$PY -c 'import aiosmtpd' || { echo "FAIL: python3-aiosmtpd is missing (tools/install-deps.sh)" >&2; exit 1; }

# recv_start DIR [OPTIONS]: start the receivers; sets WP and SP (ports).
recv_start() {
  local d=$1
  shift
  $PY "$SRC/tests/integration/notify_recv.py" "$d" "$@" >"$d.ports" 2>"$d.err" &
  SERVERS="$SERVERS $!"
  for _ in $(seq 200); do
    grep -q '^smtp ' "$d.ports" 2>/dev/null && break
    sleep 0.1
  done
  WP=$(awk '/^webhook/{print $2}' "$d.ports")
  SP=$(awk '/^smtp/{print $2}' "$d.ports")
  [ -n "$SP" ] || { echo "  receivers did not start:" >&2; cat "$d.err" >&2; return 1; }
}
# wait_for N CMD...: up to N seconds for CMD to succeed.
wait_for() {
  local n=$1
  shift
  for _ in $(seq $((n * 5))); do "$@" && return 0; sleep 0.2; done
  "$@"
}
count_hooks() { [ -f "$1/hooks.jsonl" ] && wc -l <"$1/hooks.jsonl" || echo 0; }
count_mail() { ls "$1/mail" 2>/dev/null | grep -c '\.eml$'; }
at_least() { [ "$("$2" "$3")" -ge "$1" ]; }

# verify_hooks FILE SECRET: every recorded POST's signature is the
# HMAC-SHA256 of its body with SECRET (computed here with Python's hmac),
# and would not verify with another key; prints the kinds.
verify_hooks() {
  python3 - "$1" "$2" <<'PY'
import hashlib, hmac, json, sys
bad = 0
for line in open(sys.argv[1]):
    r = json.loads(line)
    body = r["body"].encode()
    sig = r["headers"].get("X-Mediadash-Signature", "")
    want = "sha256=" + hmac.new(sys.argv[2].encode(), body, hashlib.sha256).hexdigest()
    other = "sha256=" + hmac.new(b"not-the-secret", body, hashlib.sha256).hexdigest()
    ev = json.loads(body)
    if not hmac.compare_digest(sig, want) or sig == other:
        bad += 1
    if r["headers"].get("X-Mediadash-Event") != ev["kind"] or \
       r["headers"].get("X-Mediadash-Delivery") != str(ev["id"]):
        bad += 1
    print(ev["kind"])
sys.exit(1 if bad else 0)
PY
}

R1="$TMP/r1"
mkdir -p "$R1"
check "receivers start" recv_start "$R1"
export MEDIADASH_NOTIFY_WEBHOOK_SECRET='s3cret key'
set_plain=(--set "notify.webhook_url=http://127.0.0.1:$WP/hook?token=abc"
  --set "notify.smtp_url=smtp://127.0.0.1:$SP" --set notify.smtp_from=dash@example.com
  --set "notify.smtp_to=me@example.com, you@example.com" --set notify.smtp_starttls=0)

# --- notify test: one of each kind, both channels ----------------------------
check "notify test" run 0 md notify test "${set_plain[@]}"
check "7 events, each sent on both channels" test "$(grep -c 'webhook sent .*mail sent' "$TMP/out")" = 7
check "7 webhooks" test "$(count_hooks "$R1")" = 7
check "signatures verify with the secret" verify_hooks "$R1/hooks.jsonl" 's3cret key'
verify_hooks "$R1/hooks.jsonl" 's3cret key' >"$TMP/kinds" 2>/dev/null
for k in post.published post.failed post.missed post.needs_relogin account.relogin content.spike collector.failing; do
  check "webhook of kind $k" contains "$TMP/kinds" "$k"
done
check "a wrong secret does not verify" bash -c "! python3 - '$R1/hooks.jsonl' <<'PY'
import hashlib, hmac, json, sys
r = json.loads(open(sys.argv[1]).readline())
sys.exit(0 if r['headers']['X-Mediadash-Signature'] == 'sha256=' + hmac.new(b'wrong', r['body'].encode(), hashlib.sha256).hexdigest() else 1)
PY"
check "the body says it is a test" contains "$R1/hooks.jsonl" '\"test\":true'
check "7 mails" test "$(count_mail "$R1")" = 7
check "to both recipients" contains "$R1/mail/001.env" '"to": ["me@example.com", "you@example.com"]'
check "from the sender" contains "$R1/mail/001.env" '"from": "dash@example.com"'
check "a subject naming the event" bash -c "grep -h '^Subject:' '$R1'/mail/*.eml | grep -q 'Post failed: Test post (youtube test)'"
check "the mail's body names the kind" bash -c "grep -lq 'Event: collector.failing' '$R1'/mail/*.eml"
check "log: 14 attempts, all ok" test "$(md notify log --json | python3 -c 'import json,sys; l=json.load(sys.stdin); print(len(l), all(d["ok"] for d in l))')" = "14 True"

# --- STARTTLS with a certificate made here -----------------------------------
if command -v openssl >/dev/null; then
  openssl req -x509 -newkey rsa:2048 -nodes -keyout "$TMP/key.pem" -out "$TMP/cert.pem" \
    -days 2 -subj "/CN=127.0.0.1" -addext "subjectAltName=IP:127.0.0.1" 2>/dev/null
  R2="$TMP/r2"
  mkdir -p "$R2"
  check "TLS receivers start" recv_start "$R2" --tls "$TMP/cert.pem" "$TMP/key.pem"
  tls=(--set "notify.smtp_url=smtp://127.0.0.1:$SP" --set notify.smtp_from=dash@example.com
    --set notify.smtp_to=me@example.com)
  check "an unknown certificate: not sent" run 1 "$BIN" --db "$TMP/t1.db" notify test "${tls[@]}"
  check "... and no mail arrived" test "$(count_mail "$R2")" = 0
  check "... the error names the certificate" grep -qi 'certificate\|SSL' "$TMP/err"
  check "STARTTLS off against a server that requires it: refused" \
    run 1 "$BIN" --db "$TMP/t2.db" notify test "${tls[@]}" --set notify.smtp_starttls=0
  check "... no mail" test "$(count_mail "$R2")" = 0
  check "with the CA: sent over STARTTLS" run 0 "$BIN" --db "$TMP/t3.db" notify test "${tls[@]}" \
    --set "notify.smtp_cafile=$TMP/cert.pem"
  check "7 mails over TLS" test "$(grep -l '"tls": true' "$R2"/mail/*.env | wc -l)" = 7
else
  echo "SKIP: openssl not installed: STARTTLS not tested" >&2
fi

# --- a secret as a flag is refused ---------------------------------------------
check "a secret as --set is refused" run 2 md notify test --set notify.webhook_secret=x
check "... naming the environment variable" contains "$TMP/err" MEDIADASH_NOTIFY_WEBHOOK_SECRET
check "no channel: notify test says so" run 1 env -u MEDIADASH_NOTIFY_WEBHOOK_SECRET "$BIN" --db "$TMP/t4.db" notify test
check "... naming the keys" contains "$TMP/err" notify.webhook_url

# --- events from the worker; retries with backoff -------------------------------
R3="$TMP/r3"
mkdir -p "$R3"
check "receivers (failing twice) start" recv_start "$R3" --fail 2
head -c 1000 /dev/urandom >"$TMP/v.mp4"
due=$(date -u -d '-1 minute' '+%Y-%m-%d %H:%M')
old=$(date -u -d '-3 hours' '+%Y-%m-%d %H:%M')
md -q post add --platform dryrun --account me --title "Late one" --media "$TMP/v.mp4" --at "$old" --zone UTC >/dev/null
check "worker: the late post is missed" run 0 md worker --once --grace 3600 \
  --set "notify.webhook_url=http://127.0.0.1:$WP/hook" --set notify.retry_base_s=1
check "... its event is in the outbox" test "$(sqlite3 "$DB" "SELECT kind || ' ' || post_id FROM notify_outbox WHERE test = 0")" = "post.missed 1"
check "first attempt refused (500), retry pending" test "$(count_hooks "$R3")" = 1
check "... logged as failed with 500" test "$(md notify log --json | python3 -c 'import json,sys; d=json.load(sys.stdin)[0]; print(d["ok"], d["status"], d["attempt"])')" = "False 500 1"
# a worker loop with 1 s rounds and a 1 s retry base: the 2nd attempt
# comes >= 1 s after the 1st, the 3rd >= 2 s after the 2nd.
"$BIN" --db "$DB" worker --interval 1 --grace 3600 --set "notify.webhook_url=http://127.0.0.1:$WP/hook" \
  --set notify.retry_base_s=1 2>"$TMP/worker.err" &
WPID=$!
SERVERS="$SERVERS $WPID"
check "delivered on the 3rd attempt" wait_for 60 at_least 3 count_hooks "$R3"
# the log's times (whole seconds, as the store keeps them): the 1st
# retry was due 1 s after the 1st attempt, the 2nd 2 s after the 2nd
check "backoff between attempts: >= 1 s, then >= 2 s" bash -c "'$BIN' --db '$DB' notify log --json | python3 -c '
import datetime, json, sys
l = [d for d in json.load(sys.stdin) if d[\"kind\"] == \"post.missed\" and d[\"channel\"] == \"webhook\" and not d[\"test\"]]
at = sorted(datetime.datetime.fromisoformat(d[\"at\"].replace(\"Z\", \"+00:00\")).timestamp() for d in l)
print(at, file=sys.stderr)
sys.exit(0 if len(at) == 3 and at[1] - at[0] >= 1 and at[2] - at[1] >= 2 else 1)'"
check "the 3rd was answered 204" test "$(sed -n 3p "$R3/hooks.jsonl" | python3 -c 'import json,sys; print(json.load(sys.stdin)["answered"])')" = 204
check "event state: sent after 3 attempts" test "$(sqlite3 "$DB" "SELECT wh_state || ' ' || wh_attempts FROM notify_outbox WHERE post_id = 1")" = "sent 3"
check "mail: off (not configured)" test "$(sqlite3 "$DB" "SELECT mail_state FROM notify_outbox WHERE post_id = 1")" = off
check "the missed event names the post" contains <(sed -n 3p "$R3/hooks.jsonl") 'Late one'
md -q post add --platform dryrun --account me --title "Fresh one" --media "$TMP/v.mp4" --at "$due" --zone UTC >/dev/null
check "a published post is told (worker loop)" wait_for 60 bash -c "grep -q 'post.published' '$R3/hooks.jsonl'"
check "... once" test "$(grep -c 'post.published' "$R3/hooks.jsonl")" = 1
kill "$WPID" 2>/dev/null
wait "$WPID" 2>/dev/null

# --- serve: the API queues, the loop sends -------------------------------------------
R4="$TMP/r4"
mkdir -p "$R4"
check "receivers for serve start" recv_start "$R4"
cat >"$TMP/serve.conf" <<EOF
[notify]
webhook_url = http://127.0.0.1:$WP/serve-hook
smtp_url = smtp://127.0.0.1:$SP
smtp_from = dash@example.com
smtp_to = ops@example.com
smtp_starttls = 0
EOF
check "serve starts" serve_start "$DB" --no-collect --no-worker --config "$TMP/serve.conf"
check "login" login "$DB" "$URL"
api() { curl -s -m 20 -b "$COOKIES" -H "Origin: $URL" -H "X-CSRF-Token: $CSRF" -o "$TMP/body" -w '%{http_code}' "$@"; }
check "POST /api/v1/notify/test: 202" test "$(api -X POST "$URL/api/v1/notify/test")" = 202
check "... with 7 ids" test "$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["ids"]))' "$TMP/body")" = 7
check "without the CSRF token: refused" test "$(curl -s -m 20 -b "$COOKIES" -H "Origin: $URL" -o /dev/null -w '%{http_code}' -X POST "$URL/api/v1/notify/test")" = 403
check "serve's loop sends the 7 webhooks" wait_for 60 at_least 7 count_hooks "$R4"
check "... and the 7 mails" wait_for 60 at_least 7 count_mail "$R4"
check "... signed" verify_hooks "$R4/hooks.jsonl" 's3cret key'
check "GET /api/v1/notify" test "$(api "$URL/api/v1/notify")" = 200
check "channels on, signed, URL shown" test "$(python3 -c '
import json,sys; d=json.load(open(sys.argv[1]))
print(d["webhook"]["on"], d["webhook"]["signed"], d["webhook"]["url"], d["mail"]["on"], d["mail"]["to"])' "$TMP/body")" = \
  "True True http://127.0.0.1:$WP/serve-hook True ops@example.com"
check "no secret in the answer" lacks "$TMP/body" 's3cret'
check "the log lists the deliveries" test "$(python3 -c '
import json,sys; d=json.load(open(sys.argv[1]))
print(sum(1 for x in d["deliveries"] if x["ok"] and x["test"]) >= 14)' "$TMP/body")" = True
check "the events show their states" test "$(python3 -c '
import json,sys; d=json.load(open(sys.argv[1]))
e=[x for x in d["events"] if x["kind"] == "post.missed" and not x["test"]][0]
print(e["webhook"]["state"], e["webhook"]["attempts"])' "$TMP/body")" = "sent 3"
check "serve logged nothing alarming" lacks "$SERVE_ERR" "notification loop cannot start"

finish
