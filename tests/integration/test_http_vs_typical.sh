# "vs typical" on /api/v1/content over real HTTP against a real SQLite
# file: each item's vs_typical (hand-computed on the fixtures of
# tests/data/api, and equal to the item page's on a demo database), and
# sort=vs_typical in both orders with paging.
. "$(dirname "$0")/lib.sh"

DB="$TMP/vt.db"
API="$DATA/api"
A=vidA0000001
B=vidB0000002
md() { "$BIN" --db "$DB" "$@"; }
md -q import --observed-at 2024-06-01T20:00:00Z "$API/day1.json"
md -q import --observed-at 2024-06-02T08:00:00Z "$API/day2am.json"
md -q import --observed-at 2024-06-02T20:00:00Z "$API/day2.json"
md -q import --observed-at 2024-06-03T20:00:00Z "$API/day3.json"
md -q import --observed-at 2024-06-05T20:00:00Z "$API/day5.json"

check "server started" serve_start "$DB"
check "logged in" login "$DB" "$URL"
get() {
  local code
  code=$(curl -s -m 60 -o "$TMP/body" -w '%{http_code}' -b "$COOKIES" "$URL$1")
  [ "$code" = "$2" ] || { echo "  GET $1: $code, expected $2" >&2; cat "$TMP/body" >&2; echo >&2; return 1; }
}
json() { python3 -c "import json,sys; d=json.load(open('$TMP/body')); sys.exit(0 if ($1) else 1)" || { echo "  not: $1" >&2; cat "$TMP/body" >&2; echo >&2; return 1; }; }

# UTC rollup days. A (published 06-01): views rows 06-01 100, 06-02 250,
# 06-03 230, 06-05 300, so age 4 with 300 views. B (published 06-02):
# 06-02 40, 06-03 100, 06-05 160: age 3 with 160 views.
# A's peers at age 4 need a row on or after 06-02 + 4 = 06-06: B has none,
# so n = 0 and no ratio. B's peers at age 3: A (a row on 06-05 >= 06-04),
# with its last value on or before 06-04: 230. Ratio 160 / 230.
VT='{i["id"]: i["vs_typical"] for i in d["items"]}'
check "content" get "/api/v1/content?sort=views" 200
check "vs_typical of A" json "$VT"'["'$A'"] == {"age_days": 4, "views": 300, "n": 0, "median": None, "ratio": None}'
check "vs_typical of B" json "$VT"'["'$B'"] == {"age_days": 3, "views": 160, "n": 1, "median": 230, "ratio": 160 / 230}'
check "the item page agrees (B)" get "/api/v1/items/youtube/$B?limit=1" 200
check "item page B" json 'd["vs_typical"] == {"age_days": 3, "views": 160, "n": 1, "median": 230, "ratio": 160 / 230}'
for o in desc asc; do
  check "sort=vs_typical&order=$o" get "/api/v1/content?sort=vs_typical&order=$o" 200
  check "$o: B (ratio) before A (none)" json '[i["id"] for i in d["items"]] == ["'$B'", "'$A'"] and d["total"] == 2'
done
check "sort=vs_typical&limit=1&offset=1" get "/api/v1/content?sort=vs_typical&limit=1&offset=1" 200
check "second page is A" json '[i["id"] for i in d["items"]] == ["'$A'"] and d["total"] == 2 and d["limit"] == 1 and d["offset"] == 1'
check "offset past the end" get "/api/v1/content?sort=vs_typical&offset=5" 200
check "empty page" json 'd["items"] == [] and d["total"] == 2'
check "bad sort names sort" get "/api/v1/content?sort=vs-typical" 400
check "bad sort param" json 'd["error"]["param"] == "sort"'
kill -TERM $SERVER
wait $SERVER

# A demo database (several platforms, many items of different ages): each
# item's vs_typical on the list equals the item page's (computed apart, by
# SQL per item), and sort=vs_typical orders by ratio with paging.
DB2="$TMP/demo.db"
check "demo" run 0 "$BIN" --db "$DB2" -q demo --items 24 --days 40
check "server on the demo" serve_start "$DB2"
COOKIES="$TMP/cookies2"
check "logged in (demo)" login "$DB2" "$URL"
check "all content" get "/api/v1/content?limit=500" 200
cp "$TMP/body" "$TMP/all.json"
: >"$TMP/pages"
for o in desc asc; do
  check "listing $o" get "/api/v1/content?order=$o&limit=500" 200
  cp "$TMP/body" "$TMP/list-$o.json"
  check "sorted $o" get "/api/v1/content?sort=vs_typical&order=$o&limit=500" 200
  cp "$TMP/body" "$TMP/sorted-$o.json"
  for off in 0 7 14 21; do
    check "page $o $off" get "/api/v1/content?sort=vs_typical&order=$o&limit=7&offset=$off" 200
    cp "$TMP/body" "$TMP/page-$o-$off.json"
  done
done
python3 - "$TMP" "$URL" "$COOKIES" <<'PY' >"$TMP/cmp" 2>&1
import json, subprocess, sys
tmp, url, cookies = sys.argv[1:4]
allv = json.load(open(tmp + "/all.json"))
items = allv["items"]
assert allv["total"] == len(items) and len(items) >= 20, allv["total"]
withr = 0
for i in items:
    out = subprocess.run(["curl", "-s", "-m", "60", "-b", cookies,
                          url + "/api/v1/items/%s/%s?limit=1" % (i["platform"], i["id"])],
                         capture_output=True, check=True).stdout
    page = json.loads(out)["vs_typical"]
    assert i["vs_typical"] == page, (i["id"], i["vs_typical"], page)
    withr += page is not None and page["ratio"] is not None
assert withr >= 10, withr
for o in ("desc", "asc"):
    s = json.load(open(tmp + "/sorted-%s.json" % o))["items"]
    assert sorted(x["id"] for x in s) == sorted(x["id"] for x in items)
    r = [x["vs_typical"]["ratio"] if x["vs_typical"] else None for x in s]
    k = sum(v is not None for v in r)
    assert all(v is not None for v in r[:k]) and all(v is None for v in r[k:]), r
    assert r[:k] == sorted(r[:k], reverse=(o == "desc")), r
    # The exact order, computed apart: the listing (published, in the
    # same direction) stably sorted by ratio, items without one last.
    lst = json.load(open(tmp + "/list-%s.json" % o))["items"]
    def ratio(x):
        return x["vs_typical"]["ratio"] if x["vs_typical"] else None
    want = [x["id"] for x in sorted(lst, key=lambda x: (
        ratio(x) is None,
        0 if ratio(x) is None else (ratio(x) if o == "asc" else -ratio(x))))]
    assert [x["id"] for x in s] == want, ([x["id"] for x in s], want)
    byid = {(x["platform"], x["id"]): x for x in lst}
    assert len(byid) == len(lst)
    # More items than one page: every page of 7, to one past the end, is
    # its slice of that order exactly (the last one short or empty).
    assert len(want) > 7, len(want)
    paged = []
    for off in range(0, len(want) + 7, 7):
        if off <= 21:
            p = json.load(open(tmp + "/page-%s-%d.json" % (o, off)))
        else:
            p = json.loads(subprocess.run(
                ["curl", "-s", "-m", "60", "-b", cookies,
                 url + "/api/v1/content?sort=vs_typical&order=%s&limit=7&offset=%d" % (o, off)],
                capture_output=True, check=True).stdout)
        assert p["total"] == len(items) and p["offset"] == off and p["limit"] == 7
        got = [x["id"] for x in p["items"]]
        assert got == want[off:off + 7], (o, off, got, want[off:off + 7])
        # Each row loaded apart is what the plain listing writes for it.
        assert p["items"] == [byid[(x["platform"], x["id"])] for x in p["items"]], (o, off)
        paged += got
    assert paged == want, (paged, want)
print("demo ok", withr)
PY
check "demo: list = item page, sorted, paged" contains "$TMP/cmp" "demo ok"

# The CLI gives the same: content --json carries vs_typical, --sort
# vs_typical orders as the API does (--asc ascending), with --limit and
# --offset; the table has the ratio column.
for o in desc asc; do
  flag=""; [ $o = asc ] && flag=--asc
  check "CLI sort $o" run 0 "$BIN" --db "$DB2" content --sort vs_typical $flag --limit 0 --json
  check "CLI $o = API $o" python3 -c 'import json,sys; a=json.load(open(sys.argv[1])); b=json.load(open(sys.argv[2]))["items"]; sys.exit(0 if [(x["id"], x["vs_typical"]) for x in a] == [(x["id"], x["vs_typical"]) for x in b] else 1)' "$TMP/out" "$TMP/sorted-$o.json"
  check "CLI page $o" run 0 "$BIN" --db "$DB2" content --sort vs_typical $flag --limit 7 --offset 14 --json
  check "CLI page $o = API page" python3 -c 'import json,sys; a=json.load(open(sys.argv[1])); b=json.load(open(sys.argv[2]))["items"]; sys.exit(0 if [x["id"] for x in a] == [x["id"] for x in b] else 1)' "$TMP/out" "$TMP/page-$o-14.json"
done
check "CLI table" run 0 "$BIN" --db "$DB2" content --sort vs_typical --limit 3
check "CLI table has the column" contains "$TMP/out" "VS TYPICAL"
python3 - "$TMP/sorted-desc.json" >"$TMP/first" <<'PY'
import json, sys
vt = json.load(open(sys.argv[1]))["items"][0]["vs_typical"]
print("%.1fx" % vt["ratio"])
PY
check "CLI table: the top ratio first" contains "$TMP/out" "$(cat "$TMP/first")"
check "CLI bad sort" run 2 "$BIN" --db "$DB2" content --sort vs-typical
check "CLI bad sort names it" contains "$TMP/err" "vs_typical"

kill -TERM $SERVER
wait $SERVER
finish
