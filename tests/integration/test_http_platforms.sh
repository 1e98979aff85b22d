# GET /api/v1/platforms (docs/platforms.md): every registered platform as
# the web reads it, from the descriptors: names, kind, colours, whether it
# publishes, its post and media limits (the same numbers as
# /api/v1/publishers and the server's media check), the developer
# console. A login or API token is needed; the answer carries an ETag and
# If-None-Match gets 304. Real binary, real SQLite file, real HTTP over
# 127.0.0.1.
. "$(dirname "$0")/lib.sh"

DB="$TMP/p.db"
md() { "$BIN" --db "$DB" "$@"; }
check "import a YouTube channel and videos" run 0 md import --observed-at 2024-06-01T12:00:00Z \
  "$DATA/youtube/channels_mine.json" "$DATA/cli/videos_page.json"
# A platform this build does not know (rows a later version stored: no
# CHECK names the platforms since migration 0026) is left alone, never
# taken for another platform's.
check "rows of an unknown platform" sqlite3 "$DB" \
  "INSERT INTO item(platform, type, ext_id, handle, title, first_seen, updated_at)
     VALUES ('myspace', 'account', 'tom', 'tom', 'Tom', 1717243200, 1717243200),
            ('myspace', 'content', 'Ab3dEf5hIj0', NULL, 'same id', 1717243200, 1717243200);"
check "content lists the known platforms only" run 0 md content --json
check "no myspace row" lacks "$TMP/out" "myspace"
check "not taken for youtube" lacks "$TMP/out" "same id"
check "an unknown platform's item is not found" run 4 md show myspace:tom
check "the shared id is the youtube video" run 0 md show Ab3dEf5hIj0
check "serve starts" serve_start "$DB" --no-collect --no-worker --threads 2
code() { curl -s -m 10 -o "$TMP/body" -D "$TMP/headers" -w '%{http_code}' "$@"; }
check "no session: 401" test "$(code "$URL/api/v1/platforms")" = 401
check "login" login "$DB" "$URL"
check "GET platforms" test "$(code -b "$COOKIES" "$URL/api/v1/platforms")" = 200
cp "$TMP/body" "$TMP/platforms.json"
ETAG=$(tr -d '\r' <"$TMP/headers" | awk 'tolower($1) == "etag:" { print $2 }')
check "a strong ETag" test -n "$ETAG"
check "If-None-Match: 304" test "$(code -b "$COOKIES" -H "If-None-Match: $ETAG" "$URL/api/v1/platforms")" = 304
check "GET publishers" test "$(code -b "$COOKIES" "$URL/api/v1/publishers")" = 200
cp "$TMP/body" "$TMP/publishers.json"

python3 - "$TMP/platforms.json" "$TMP/publishers.json" >"$TMP/py.out" 2>&1 <<'PY'
import json, re, sys
d = json.load(open(sys.argv[1]))
pubs = json.load(open(sys.argv[2]))
fail = []
def want(cond, what):
    if not cond:
        fail.append(what)
pl = d["platforms"]
names = [p["name"] for p in pl]
want(names[:3] == ["youtube", "instagram", "tiktok"], "order %r" % names)
want(len(set(names)) == len(names), "unique %r" % names)
for p in pl:
    want(p["kind"] in ("social", "other"), "kind %r" % p)
    want(re.fullmatch(r"#[0-9a-f]{6}", p["colour"] or "") and
         re.fullmatch(r"#[0-9a-f]{6}", p["colour_dark"] or ""), "colours %r" % p)
    want(p["console_url"].startswith("https://"), "console %r" % p)
    # a platform that publishes has the limits /api/v1/publishers has
    if p["publishes"]:
        want(p["name"] in pubs["platforms"], "%s not a publisher" % p["name"])
        want(p["limits"] == pubs["limits"][p["name"]], "%s limits differ" % p["name"])
        want(p["media"] is not None, "%s media" % p["name"])
    else:
        want(p["name"] not in pubs["platforms"], "%s publishes?" % p["name"])
by = {p["name"]: p for p in pl}
y, i, t = by["youtube"], by["instagram"], by["tiktok"]
want(y["display"] == "YouTube" and y["colour"] == "#d93025" and y["colour_dark"] == "#f85149", "youtube %r" % y)
want(i["display"] == "Instagram" and i["colour"] == "#b0368f", "instagram %r" % i)
want(t["display"] == "TikTok" and t["colour"] == "#00838f", "tiktok %r" % t)
want(all(p["kind"] == "social" and p["publishes"] for p in (y, i, t)), "social publishers")
want(i["connect_account"].startswith("Instagram business account id") and
     y["connect_account"] is None and t["connect_account"] is None, "connect_account %r" % [y, i, t])
want(y["limits"]["title_chars"] == 100 and y["limits"]["caption_bytes"] == 5000, "youtube limits %r" % y["limits"])
want(y["media"]["image"] is None and y["media"]["video"]["formats"] == ["mp4", "mov", "webm"], "youtube media %r" % y["media"])
want(y["media"]["video"]["ms_max"] == 12 * 3600 * 1000, "youtube duration %r" % y["media"])
want(i["media"]["video"] == {"formats": ["mp4", "mov"], "bytes_max": 1 << 30, "ms_min": 3000, "ms_max": 900000},
     "instagram video %r" % i["media"]["video"])
want(i["media"]["image"]["formats"] == ["jpg"] and i["media"]["image"]["bytes_max"] == 8 << 20, "instagram image %r" % i["media"])
want(t["limits"]["utf16"] is True and t["limits"]["caption_chars"] == 2200, "tiktok limits %r" % t["limits"])
want(t["media"]["image"]["formats"] == ["jpg", "webp"], "tiktok image %r" % t["media"])
# the files one post may carry (the Compose page's sentences come from it)
want(i["mix"] == {"max_videos": 10, "max_images": 10, "max_mixed": 10, "images_what": "JPEG",
                  "several_name": "a carousel"}, "instagram mix %r" % i["mix"])
want(t["mix"] == {"max_videos": 1, "max_images": 35, "max_mixed": 0, "images_what": "JPEG or WebP",
                  "several_name": "a photo post"}, "tiktok mix %r" % t["mix"])
want(y["mix"] == {"max_videos": 1, "max_images": 0, "max_mixed": 0, "images_what": None,
                  "several_name": None}, "youtube mix %r" % y["mix"])
want(all(p["mix"] is None for p in pl if not p["publishes"]), "mix of a platform that does not publish")
if fail:
    print("\n".join(fail))
    sys.exit(1)
PY
check "the platforms as the registry has them" test $? -eq 0
[ -s "$TMP/py.out" ] && cat "$TMP/py.out" >&2

# A filter naming no platform is refused with the registry's list: the
# social platforms GET /api/v1/platforms gives, in its order, "a, b or c".
names=$(python3 -c 'import json,sys; n=[p["name"] for p in json.load(open(sys.argv[1]))["platforms"] if p["kind"] == "social"]; print(", ".join(n[:-1]) + " or " + n[-1])' "$TMP/platforms.json")
check "the social platforms start with today's three" test "${names#youtube, instagram, tiktok}" != "$names"
check "unknown platform filter: 400" test "$(code -b "$COOKIES" "$URL/api/v1/content?platform=myspace")" = 400
check "the 400 lists the platforms" contains "$TMP/body" "platform must be $names"
check "unknown connection: 404" test "$(code -b "$COOKIES" -X POST -H "Origin: $URL" -H "X-CSRF-Token: $CSRF" "$URL/api/v1/connections/myspace")" = 404
# a connection may be of any kind (Oura connects too): all of them
every=$(python3 -c 'import json,sys; n=[p["name"] for p in json.load(open(sys.argv[1]))["platforms"]]; print(", ".join(n[:-1]) + " or " + n[-1])' "$TMP/platforms.json")
check "the 404 lists every registered platform" contains "$TMP/body" "use $every"
finish
