# Compose's rules on the server, with the page bypassed (issue 14): the
# platforms' documented text limits refused with the field named, every
# problem of a post in one 400 ("errors"), the limits at their exact
# edges accepted, a near-duplicate post (same account, within 24 h)
# created with a warning, not refused; GET /api/v1/publishers hides the
# dryrun publisher from Compose unless compose.dryrun is set (the API and
# the CLI still take it); the CLI prints every problem.
. "$(dirname "$0")/lib.sh"

DB=$(newdb compose)
PY=$(python3 -c 'import sys; print(sys.executable)')
md() { "$BIN" --db "$DB" "$@"; }
check "server started" serve_start "$DB"
check "logged in" login "$DB" "$URL"

req() {
  local method=$1 path=$2 want=$3 code
  shift 3
  code=$(curl -s -m 20 -o "$TMP/body" -w '%{http_code}' -X "$method" \
    -b "$COOKIES" -H "Origin: $URL" -H "X-CSRF-Token: $CSRF" "$@" "$URL$path")
  [ "$code" = "$want" ] || { echo "  $method $path: $code, expected $want" >&2; head -c 2000 "$TMP/body" >&2; echo >&2; return 1; }
}
send() {
  local want=$1
  shift
  "$PY" - "$MEDIA" "$@" >"$TMP/req.json" <<'PY'
import json, sys
# A valid post, with members replaced: KEY=JSON, or KEY=@PYTHON (an
# expression, for long text).
d = {"platform": "youtube", "account": "UC1", "title": "Launch",
     "caption": "hello", "tags": ["a"], "privacy": "public",
     "media": json.loads(sys.argv[1]), "at": "2099-07-01 09:30",
     "zone": "Europe/Berlin"}
for kv in sys.argv[2:]:
    k, v = kv.split("=", 1)
    d[k] = eval(v[1:]) if v.startswith("@") else json.loads(v)
print(json.dumps(d))
PY
  req POST /api/v1/posts "$want" -H 'Content-Type: application/json' --data-binary @"$TMP/req.json"
}
json() { "$PY" -c "import json,sys; d=json.load(open('$TMP/body')); sys.exit(0 if ($1) else 1)" || { echo "  not: $1" >&2; head -c 3000 "$TMP/body" >&2; echo >&2; return 1; }; }
nposts() { md post list --json | "$PY" -c 'import json,sys; print(len(json.load(sys.stdin)["posts"]))'; }

# A real clip (the server reads every post's media with libavformat and
# checks each platform's limits: Instagram wants 3 s at least).
ffmpeg -nostdin -v error -y -f lavfi -i testsrc=size=64x48:rate=10 -t 4 -c:v libx264 \
  -pix_fmt yuv420p "$(media_dir "$DB")/clip.mp4" || { echo "ffmpeg failed"; exit 1; }
MEDIA='[{"path":"'$(realpath "$(media_dir "$DB")/clip.mp4")'","sha256":"'$(sha256sum <"$(media_dir "$DB")/clip.mp4" | cut -d' ' -f1)'","bytes":'$(stat -c %s "$(media_dir "$DB")/clip.mp4")',"content_type":"video/mp4"}]'

# --- the limits as the page reads them -----------------------------------
check "publishers" req GET /api/v1/publishers 200
check "dryrun is published to, not offered in Compose by default" json '"dryrun" in d["platforms"] and d["compose_dryrun"] is False'
check "the limits" json 'd["limits"]["youtube"]["title_chars"] == 100 and d["limits"]["youtube"]["caption_bytes"] == 5000 and d["limits"]["youtube"]["no_angle"] and d["limits"]["instagram"]["caption_chars"] == 2200 and d["limits"]["instagram"]["hashtags"] == 30 and d["limits"]["instagram"]["mentions"] == 20 and d["limits"]["tiktok"]["caption_chars"] == 2200 and d["limits"]["tiktok"]["utf16"]'

# --- over the limits: every problem, each field named, nothing stored -----
check "YouTube over every limit: 400" send 400 title=@'"é"*101' caption=@'"<b>" + "x"*5000' tags=@'["t"*100]*6'
check "the first problem is the error, all are listed" json 'd["error"]["param"] == "title" and [e["param"] for e in d["errors"]] == ["title", "caption", "caption", "tags"]'
check "each says what and the limit" json '"101 characters; youtube allows 100" in d["errors"][0]["message"] and "5003 bytes; youtube allows 5000" in d["errors"][1]["message"] and "< and >" in d["errors"][2]["message"] and "605 characters in all" in d["errors"][3]["message"]'
check "a < in a YouTube title: 400 naming title" send 400 title='"a <b>"'
check "names title" json 'd["errors"] == [{"param": "title", "message": "title: youtube refuses < and > in a title"}]'
check "Instagram: 2,201 characters, 31 hashtags, 21 mentions: 400" send 400 platform='"instagram"' account='"17841400000000001"' caption=@'"#h "*31 + "@m "*21 + "x"*2045'
check "three problems, all naming caption" json '[e["param"] for e in d["errors"]] == ["caption"]*3 and "2201 characters; instagram allows 2200" in d["errors"][0]["message"] and "31 hashtags" in d["errors"][1]["message"] and "21 @mentions" in d["errors"][2]["message"]'
check "TikTok: 2,201 UTF-16 units (emoji count 2): 400" send 400 platform='"tiktok"' account='"tt1"' caption=@'"😀"*1100 + "x"'
check "names caption" json 'd["errors"][0]["param"] == "caption" and "2201 UTF-16 characters; tiktok allows 2200" in d["errors"][0]["message"]'
check "problems of several fields at once" send 400 title='""' privacy='"friends"' zone='"Mars/Base"' media='[]'
check "title, privacy, media, zone" json '[e["param"] for e in d["errors"]] == ["title", "privacy", "media", "zone"]'
check "nothing stored" test "$(nposts)" = 0

# --- at the limits: accepted --------------------------------------------
check "YouTube at the limits: 201" send 201 title=@'"é"*100' caption=@'"x"*5000' tags=@'["t"*100]*4 + ["t"*96]'
check "Instagram at the limits: 201" send 201 platform='"instagram"' account='"17841400000000001"' caption=@'"#h "*30 + "@m "*20 + "x"*2050'
check "TikTok 1,100 emoji (2,200 UTF-16): 201" send 201 platform='"tiktok"' account='"tt1"' caption=@'"😀"*1100'
check "no warnings for different posts" json 'd["warnings"] == []'
TT=$("$PY" -c "import json; print(json.load(open('$TMP/body'))['post']['id'])")

# --- near duplicates: warned, not refused ---------------------------------
check "the same TikTok post at the same minute: 201" send 201 platform='"tiktok"' account='"tt1"' caption=@'"😀"*1100'
check "with a warning naming the first" json 'len(d["warnings"]) == 1 and d["warnings"][0]["kind"] == "near_duplicate" and d["warnings"][0]["post"] == '"$TT"' and "same time, has the same text and media" in d["warnings"][0]["message"]'
check "same media, other text, 23 h later: warned" send 201 platform='"tiktok"' account='"tt1"' caption='"other"' at='"2099-07-02 08:30"'
check "warned about both" json 'len(d["warnings"]) == 2 and "1380 min before this one, has the same media" in d["warnings"][0]["message"]'
check "another account: no warning" send 201 platform='"tiktok"' account='"tt2"' caption=@'"😀"*1100'
check "none" json 'd["warnings"] == []'
check "a day and a minute after the last: no warning" send 201 platform='"tiktok"' account='"tt1"' caption=@'"😀"*1100' at='"2099-07-03 08:31"'
check "none either" json 'd["warnings"] == []'
check "dryrun still taken by the API" send 201 platform='"dryrun"' account='"acct"'
check "eight posts" test "$(nposts)" = 8

# --- the CLI prints every problem ----------------------------------------
printf 'x' >"$TMP/clip.mp4"
check "CLI: a long title and a < in the description refused" run 2 md post add --platform youtube --account UC1 \
  --title "$("$PY" -c 'print("t"*101)')" --caption "a<b" --media "$TMP/clip.mp4" --at "2099-07-01 09:30" --zone Europe/Berlin
check "both named" contains "$TMP/err" "--title: title: 101 characters; youtube allows 100"
check "the description too" contains "$TMP/err" "--caption: caption: youtube refuses < and > in a description"
check "still eight posts" test "$(nposts)" = 8

# --- compose.dryrun=1: Compose offers the test publisher ------------------
kill "$SERVER"; wait "$SERVER" 2>/dev/null
check "server with compose.dryrun=1" serve_start "$DB" --set compose.dryrun=1
check "logged in again" login "$DB" "$URL"
check "publishers" req GET /api/v1/publishers 200
check "compose_dryrun is true" json 'd["compose_dryrun"] is True'

finish
