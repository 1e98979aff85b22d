# The Sources API tells the truth (issue 11, part 4): every account with
# data is listed and says whether it is connected; per platform, what
# connecting needs (missing configuration keys, the redirect URI, the
# developer console) and what the collector last did. Real binary, real
# SQLite file, real HTTP over 127.0.0.1.
. "$(dirname "$0")/lib.sh"

DB="$TMP/s.db"
md() { "$BIN" --db "$DB" "$@"; }
check "import a YouTube channel" run 0 md import --observed-at 2024-06-01T12:00:00Z "$DATA/youtube/channels_mine.json"
check "import an Instagram user" run 0 md import --observed-at 2024-06-01T12:00:00Z "$DATA/instagram/user.json"
check "import a business_discovery" run 0 md import --observed-at 2024-06-02T12:00:00Z "$DATA/instagram/business_discovery.json"
# The YouTube channel is connected, and the collector's last round for
# it failed at 2024-06-03T08:00:00Z (1717401600).
check "a connected account and its jobs" sqlite3 "$DB" \
  "INSERT INTO credential(platform, account, scopes, status, updated_at) VALUES ('youtube', 'UCmediadashDemoChannel01', '', 'ok', 1717400000);
   INSERT INTO collect_job(platform, account, kind, last_fetch, next_due, failures, last_status, last_error)
     VALUES ('youtube', 'UCmediadashDemoChannel01', 'account', 1717398000, 1717480000, 0, 'ok', NULL),
            ('youtube', 'UCmediadashDemoChannel01', 'content', 1717401600, 1717480000, 2, 'failed', 'HTTP 503 after 4 attempts');"

cat >"$TMP/md.conf" <<CONF
[youtube]
client_id = test-google-client
redirect_uri = https://dash.example/oauth/callback
CONF
export MEDIADASH_YOUTUBE_CLIENT_SECRET=test-google-secret
check "serve starts" serve_start "$DB" --config "$TMP/md.conf" --no-collect --threads 2
check "login" login "$DB" "$URL"
check "GET sources" test "$(curl -s -m 10 -b "$COOKIES" -o "$TMP/s.json" -w '%{http_code}' "$URL/api/v1/sources")" = 200

python3 - "$TMP/s.json" >"$TMP/py.out" 2>&1 <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
fail = []
def want(cond, what):
    if not cond:
        fail.append(what)
# Accounts with data: the YouTube channel, the Instagram user and the
# business_discovery account (not the account that asked: it is no item).
acc = {(a["platform"], a["account"]): a for a in d["accounts_with_data"]}
want(d["accounts_with_data_total"] == 3, "total %r" % d["accounts_with_data_total"])
want(set(acc) == {("youtube", "UCmediadashDemoChannel01"), ("instagram", "17841400000000001"),
                  ("instagram", "17841401441775531")}, "accounts %r" % sorted(acc))
yt = acc.get(("youtube", "UCmediadashDemoChannel01"), {})
want(yt.get("connected") is True, "youtube connected %r" % yt)
want(yt.get("followers") == 12400, "youtube followers %r" % yt.get("followers"))
want(yt.get("latest_at") == "2024-06-01T12:00:00Z", "youtube latest_at %r" % yt.get("latest_at"))
ig = acc.get(("instagram", "17841400000000001"), {})
want(ig.get("connected") is False and ig.get("handle") == "demostreamer", "instagram %r" % ig)
want(ig.get("followers") == 8120, "instagram followers %r" % ig.get("followers"))
bb = acc.get(("instagram", "17841401441775531"), {})
want(bb.get("followers") == 267793 and bb.get("latest_at") == "2024-06-02T12:00:00Z", "bluebottle %r" % bb)
# The connected-accounts part is unchanged: one account.
want([a["account"] for a in d["accounts"]] == ["UCmediadashDemoChannel01"], "accounts %r" % d["accounts"])
# Per platform.
pl = {p["platform"]: p for p in d["platforms"]}
y, i, t = pl["youtube"], pl["instagram"], pl["tiktok"]
want(y["configured"] is True and y["config_loaded"] is True and y["missing"] == [], "youtube %r" % y)
want(y["redirect_uri"] == "https://dash.example/oauth/callback", "youtube redirect %r" % y["redirect_uri"])
want(y["console_url"] == "https://console.cloud.google.com/apis/credentials", "youtube console %r" % y)
want(y["jobs"] == 2 and y["accounts_connected"] == 1, "youtube jobs %r" % y)
want(i["accounts_connected"] == 0 and t["accounts_connected"] == 0, "connected counts")
want(y["last_round"] == {"at": "2024-06-03T08:00:00Z", "account": "UCmediadashDemoChannel01",
                         "status": "failed", "error": "HTTP 503 after 4 attempts"}, "youtube round %r" % y["last_round"])
want(i["configured"] is False and i["missing"] == ["instagram.client_id", "instagram.client_secret"], "instagram %r" % i)
want(i["redirect_uri"] == "http://127.0.0.1:8765/oauth/callback", "instagram redirect (the default) %r" % i["redirect_uri"])
want(i["console_url"] == "https://developers.facebook.com/apps/" and i["last_round"] is None and i["jobs"] == 0, "instagram %r" % i)
want(t["configured"] is False and t["missing"] == ["tiktok.client_id", "tiktok.client_secret"], "tiktok %r" % t)
want(t["console_url"] == "https://developers.tiktok.com/apps/", "tiktok console %r" % t)
print("\n".join(fail) if fail else "sources ok")
PY
check "the sources API says what is true" contains "$TMP/py.out" "sources ok"

finish
