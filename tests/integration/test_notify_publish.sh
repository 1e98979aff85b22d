# Notifications from real publishing and collecting against the fake
# platform server (issue 14's acceptance: "an e-mail arrives at the local
# SMTP server for a failed post"): a TikTok post the fake refuses
# (spam_risk_too_many_posts) fails, and a mail naming it and the code
# arrives at Debian's aiosmtpd, with a signed webhook; a published post
# is told once; a refresh token the platform revoked turns the account to
# needs_relogin at the next collection and an account.relogin mail
# follows, once. serve (started by publish_lib.sh with the same notify.*
# keys) and the worker command both deliver; each event arrives once.
. "$(dirname "$0")/lib.sh"
SRC=$(cd "$(dirname "$0")/../.." && pwd)
PY=python3
python3 -c 'import aiosmtpd' 2>/dev/null || PY=/usr/bin/python3
$PY -c 'import aiosmtpd' || { echo "FAIL: python3-aiosmtpd is missing (tools/install-deps.sh)" >&2; exit 1; }
R="$TMP/recv"
mkdir -p "$R"
$PY "$SRC/tests/integration/notify_recv.py" "$R" >"$R.ports" 2>"$R.err" &
SERVERS="$SERVERS $!"
for _ in $(seq 200); do grep -q '^smtp ' "$R.ports" 2>/dev/null && break; sleep 0.1; done
WP=$(awk '/^webhook/{print $2}' "$R.ports")
SP=$(awk '/^smtp/{print $2}' "$R.ports")
[ -n "$SP" ] || { echo "FAIL: receivers did not start" >&2; cat "$R.err" >&2; exit 1; }
# the environment: serve, worker and collect all see the same keys
export MEDIADASH_NOTIFY_WEBHOOK_URL="http://127.0.0.1:$WP/hook"
export MEDIADASH_NOTIFY_WEBHOOK_SECRET=pub-secret
export MEDIADASH_NOTIFY_SMTP_URL="smtp://127.0.0.1:$SP"
export MEDIADASH_NOTIFY_SMTP_FROM=dash@example.com
export MEDIADASH_NOTIFY_SMTP_TO=creator@example.com
export MEDIADASH_NOTIFY_SMTP_STARTTLS=0
. "$(dirname "$0")/collect_lib.sh"
TT=tt1
check "connect tiktok" connect_one tiktok $TT tt-code
. "$(dirname "$0")/publish_lib.sh"

wait_for() {
  local n=$1
  shift
  for _ in $(seq $((n * 5))); do "$@" && return 0; sleep 0.2; done
  "$@"
}
# mail_with TEXT: the name of the one mail holding TEXT (fails if not one)
mails_with() { grep -l -F -- "$1" "$R"/mail/*.eml 2>/dev/null | wc -l; }
one_mail() { [ "$(mails_with "$1")" = 1 ]; }
hooks_of() { [ -f "$R/hooks.jsonl" ] && grep -c "\"X-Mediadash-Event\": \"$1\"" "$R/hooks.jsonl" || echo 0; }
head -c 100000 /dev/urandom >"$TMP/small.mp4"

# --- a failed post: mail and webhook -------------------------------------------
control '{"tiktok_publish": {"post_error": "spam_risk_too_many_posts"}}'
id=$(add_post tiktok $TT "tt spam" "$TMP/small.mp4")
check "worker round" run 0 worker
check "the post failed" test "$(col "$id" state)" = failed
check "its event was written with the change" test \
  "$(q "SELECT kind FROM notify_outbox WHERE post_id = $id")" = post.failed
check "a mail arrives for the failed post" wait_for 60 one_mail "Post failed: title of tt spam (tiktok $TT)"
f=$(grep -l -F "title of tt spam" "$R"/mail/*.eml | head -1)
check "... to the creator" contains "${f%.eml}.env" '"to": ["creator@example.com"]'
check "... naming the platform's code" contains "$f" spam_risk_too_many_posts
check "... and the post" contains "$f" "Post: $id"
check "a webhook for it too" wait_for 60 test "$(hooks_of post.failed)" = 1
check "... signed with the secret" python3 - "$R/hooks.jsonl" <<'PY'
import hashlib, hmac, json, sys
for line in open(sys.argv[1]):
    r = json.loads(line)
    want = "sha256=" + hmac.new(b"pub-secret", r["body"].encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(r["headers"]["X-Mediadash-Signature"], want):
        sys.exit(1)
PY
check "... naming the post id" contains "$R/hooks.jsonl" "\\\"post_id\\\":$id"

# --- a published post: told once ---------------------------------------------------
id2=$(add_post tiktok $TT "tt fine" "$TMP/small.mp4")
check "worker round (fine)" run 0 worker
check "published" test "$(col "$id2" state)" = published
check "a mail says so" wait_for 60 one_mail "Published: title of tt fine"
check "one published webhook" wait_for 60 test "$(hooks_of post.published)" = 1

# --- a login the platform revoked: account.relogin once --------------------------------
control '{"revoke_refresh": true}'
control '{"faults": [{"path": "/v2/user/info/", "kind": "expired_token", "times": 1}]}'
all_due
timeout 60 "$BIN" --db "$DB" collect --platform tiktok >"$TMP/collect.out" 2>&1
check "the account needs a new login" bash -c "'$BIN' --db '$DB' connections | grep -q needs_relogin"
check "an account.relogin mail arrives" wait_for 60 one_mail "Account needs a new login: tiktok $TT"
all_due
timeout 60 "$BIN" --db "$DB" collect --platform tiktok >"$TMP/collect2.out" 2>&1
sleep 2
check "still one (the condition lasts, it is not told again)" one_mail "Account needs a new login: tiktok $TT"
check "each event arrived once by webhook" python3 - "$R/hooks.jsonl" <<'PY'
import json, sys
ids = [json.loads(json.loads(l)["body"])["id"] for l in open(sys.argv[1])]
sys.exit(0 if len(ids) == len(set(ids)) else 1)
PY
check "the log has no failure" test "$("$BIN" --db "$DB" notify log --json | python3 -c 'import json,sys; print(sum(1 for d in json.load(sys.stdin) if not d["ok"]))')" = 0

finish
