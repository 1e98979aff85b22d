# Shared by the collector tests (sourced after lib.sh): a generated
# dataset large enough to page (60 YouTube videos, 30 IG media, 25
# TikToks, analytics days ending today), the fake platform server on it,
# a configuration pointing every platform at the fake, and one connected
# account per platform through the fake's OAuth (--no-listen, then
# --code/--state, as a user would).
SRC=$(cd "$DATA/../.." && pwd)
DB=$(newdb c)
md() { "$BIN" --db "$DB" "$@"; }

python3 - "$DATA/fakeplat/dataset.json" "$TMP/dataset.json" <<'PY'
import copy, datetime, json, sys
d = json.load(open(sys.argv[1]))
yt = d["youtube"]
base = yt["videos"]
for i in range(len(base), 60):
    v = copy.deepcopy(base[i % len(base)])
    v["id"] = "Gen%08dxx" % i
    v["snippet"]["title"] = "Generated video %d" % i
    v["snippet"]["publishedAt"] = "2024-04-%02dT10:00:00Z" % (1 + i % 28)
    for k in ("viewCount", "likeCount", "commentCount"):
        if k in v.get("statistics", {}):
            v["statistics"][k] = str(1000 * i + len(k))
    base.append(v)
today = datetime.datetime.now(datetime.timezone.utc).date()
rows = yt["analytics"]["rows"]
for j, r in enumerate(rows):
    r[0] = str(today - datetime.timedelta(days=len(rows) - 1 - j))
ig = d["instagram"]
media = ig["media"]
for i in range(len(media), 30):
    m = copy.deepcopy(media[1])
    m["id"] = "1791%013d" % i
    m["caption"] = "Generated post %d" % i
    m["like_count"] = 10 * i
    m["comments_count"] = i
    m.pop("children", None)
    m["media_type"] = "IMAGE"
    media.append(m)
tt = d["tiktok"]
vids = tt["videos"]
for i in range(len(vids), 25):
    v = copy.deepcopy(vids[0])
    v["id"] = "74%017d" % i
    v["create_time"] = 1700000000 + 3600 * i
    v["view_count"] = 500 * i
    v["like_count"] = 50 * i
    vids.append(v)
json.dump(d, open(sys.argv[2], "w"))
PY

# COLLECT_FAKE_LIFETIME: a longer test (and its ctest TIMEOUT) may raise it.
python3 "$SRC/tests/fakeplat/fakeplat.py" --data "$TMP/dataset.json" \
  --max-lifetime "${COLLECT_FAKE_LIFETIME:-560}" >"$TMP/port" &
SERVERS="$SERVERS $!"
for _ in $(seq 100); do [ -s "$TMP/port" ] && break; sleep 0.1; done
B="http://127.0.0.1:$(head -1 "$TMP/port")"
CB="http://127.0.0.1:9/oauth/callback"
control() { curl -sS --max-time 10 -o /dev/null -d "$1" "$B/_control"; }
stat_path() { curl -s --max-time 10 "$B/_stats" | python3 -c 'import json,sys; print(json.load(sys.stdin)["paths"].get(sys.argv[1], 0))' "$1"; }
stat_total() { curl -s --max-time 10 "$B/_stats" | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])'; }
param() { sed -n "s/.*[?&]$2=\([^&]*\).*/\1/p" "$1" | head -1; }

cat >"$TMP/md.conf" <<CONF
[youtube]
client_id = fake-google-client
auth_url = $B/o/oauth2/v2/auth
token_url = $B/token
api_base = $B
redirect_uri = $CB
[instagram]
client_id = fake-meta-app
token_url = $B/oauth/access_token
api_base = $B
redirect_uri = $CB
[tiktok]
client_id = fake-tiktok-key
token_url = $B/v2/oauth/token/
api_base = $B
redirect_uri = $CB
[collect]
youtube_analytics_base = $B
timeout = 5
retries = 2
CONF
export MEDIADASH_CONFIG="$TMP/md.conf"
export MEDIADASH_YOUTUBE_CLIENT_SECRET=fake-google-secret
export MEDIADASH_INSTAGRAM_CLIENT_SECRET=fake-meta-secret
export MEDIADASH_TIKTOK_CLIENT_SECRET=fake-tiktok-secret

# connect_one PLATFORM ACCOUNT CODE: the --no-listen / --code flow.
connect_one() {
  local p=$1 acct=$2 code=$3 client chal state
  md connect "$p" --account "$acct" --no-listen >"$TMP/cn.out" 2>&1 || return 1
  state=$(param "$TMP/cn.out" state)
  chal=$(param "$TMP/cn.out" code_challenge)
  client=$(param "$TMP/cn.out" client_id)
  [ -n "$client" ] || client=$(param "$TMP/cn.out" client_key)
  if [ -n "$chal" ]; then
    control "{\"oauth_codes\": {\"$code\": {\"client_id\": \"$client\", \"redirect_uri\": \"$CB\", \"code_challenge\": \"$chal\"}}}"
  else
    control "{\"oauth_codes\": {\"$code\": {\"client_id\": \"$client\", \"redirect_uri\": \"$CB\"}}}"
  fi
  md connect "$p" --state "$state" --code "$code" >"$TMP/cn.out" 2>&1 || { cat "$TMP/cn.out" >&2; return 1; }
}

# job_field PLATFORM JOB FIELD: from `mediadash sources --json`.
job_field() {
  md sources --json | python3 -c '
import json, sys
d = json.load(sys.stdin)
for j in d["jobs"]:
    if j["platform"] == sys.argv[1] and j["job"] == sys.argv[2]:
        print(j[sys.argv[3]])' "$1" "$2" "$3"
}
snap_count() { md export snapshots --format csv | wc -l; }
# make every job due again (a later round), keeping the rest of the state.
# SQLite only, as before (the scripts using it run on SQLite; some define
# their own sql()); the sqlite3 shell, not python3, whose start cost more
# than the UPDATE: test_collect_faults makes ~30 rounds.
all_due() { sqlite3 -cmd ".timeout 5000" "$DB" "UPDATE collect_job SET next_due = 0; UPDATE collect_item SET next_due = 0"; }
