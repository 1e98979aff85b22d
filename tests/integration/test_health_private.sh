# Health data never leaks (issue 18; docs/search.md, docs/documents.md,
# docs/mcp.md): with the real Oura pages imported beside social content,
# search (CLI and API), documents (CLI and API, the one-document route)
# and every MCP tool and resource (stdio, a small JSON-RPC client here)
# return nothing of it; an API token cannot reach /api/v1/health (403).
# Beside the real files: a session page and a daily_spo2 page (no real
# capture of either exists; built from the OpenAPI file's fields).
# What is looked for in every answer: the Oura records' ids (taken from
# the files), the platform name "oura" as a JSON value or in a URI, and
# the health fields' names.
. "$(dirname "$0")/lib.sh"

if [ -z "$REAL" ] || [ ! -d "$REAL/oura" ]; then
  echo "SKIP: no ../shared/realdata/oura" >&2
  exit 0
fi
DB=$(newdb private)
md() { "$BIN" --db "$DB" "$@"; }

check "demo (content up to the Oura days)" run 0 md -q demo --items 20 --days 20 --end 2026-08-12T00:00:00Z
mkdir -p "$TMP/more"
cat >"$TMP/more/session.json" <<'JSON'
{"data": [{"id": "se-priv-4b7e", "day": "2026-08-10", "type": "meditation", "mood": "good", "start_datetime": "2026-08-10T07:00:00+00:00", "end_datetime": "2026-08-10T07:10:00+00:00"}], "next_token": null}
JSON
cat >"$TMP/more/spo2.json" <<'JSON'
{"data": [{"id": "sp-priv-9c1d", "day": "2026-08-10", "spo2_percentage": {"average": 96.5}, "breathing_disturbance_index": 8}], "next_token": null}
JSON
check "import the Oura pages" run 0 md -q import "$REAL"/oura/*.json "$TMP"/more/*.json
check "the health data is there" run 0 md health status --json
check "  with its days" python3 -c '
import json,sys; d = json.load(open(sys.argv[1])); t = json.dumps(d)
assert "\"daily\": 6" in t and "\"sleep\": 2" in t, t[:400]
assert d["session"] == 1 and d["spo2"] == 1, t[:400]' "$TMP/out"

# The needles: every Oura record id, and names only health data has.
python3 - "$REAL"/oura/*.json "$TMP"/more/*.json >"$TMP/needles" <<'EOF'
import json, sys
for f in sys.argv[1:]:
    for rec in json.load(open(f)).get("data", []):
        if isinstance(rec, dict) and isinstance(rec.get("id"), str):
            print(rec["id"])
for s in ('"oura"', "://oura/", "readiness", "deep_sleep", "sleep_score",
          "spo2", "breathing_disturbance", "session_s"):
    print(s)
EOF
check "needles from the files" test "$(wc -l <"$TMP/needles")" -ge 10
clean() { # clean FILE: none of the needles in FILE (a search answer's
           # "query", which echoes what was asked, left out)
  python3 - "$1" "$TMP/needles" <<'EOF'
import json, sys
text = open(sys.argv[1], encoding="utf-8", errors="replace").read()
try:
    doc = json.loads(text)
    if isinstance(doc, dict) and "query" in doc:
        del doc["query"]
        text = json.dumps(doc, ensure_ascii=False)
except ValueError:
    pass  # JSON lines: as they are
hits = [n for n in open(sys.argv[2]).read().split("\n") if n and n in text]
if hits:
    print("  health data in %s: %s" % (sys.argv[1], hits[:5]), file=sys.stderr)
    sys.exit(1)
EOF
}
HID=$(head -1 "$TMP/needles")

# ---- CLI ----------------------------------------------------------------
for q in "$HID" sleep readiness oura se-priv-4b7e spo2; do
  check "search [$q]" run 0 md search --json --limit 100 -- "$q"
  check "  nothing of health" clean "$TMP/out"
done
check "search the id's first part: no hit" run 0 md search --json "${HID%%-*}"
check "  total 0" python3 -c '
import json,sys; assert json.load(open(sys.argv[1]))["total"] == 0' "$TMP/out"
check "export documents" run 0 md export documents -o "$TMP/docs.jsonl"
check "  has the social documents" test "$(wc -l <"$TMP/docs.jsonl")" -gt 20
check "  and nothing of health" clean "$TMP/docs.jsonl"
check "export documents --since" run 0 md export documents --since 2000-01-01T00:00:00Z -o "$TMP/since.jsonl"
check "  nothing of health" clean "$TMP/since.jsonl"

# ---- API with a token ---------------------------------------------------
check "token add" run 0 md -q token add private --scope write
TOKEN=$(cat "$TMP/out")
check "serve" serve_start "$DB" --no-collect --no-worker
get() { curl -s -m 20 -o "$1" -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "$URL$2"; }
for p in /api/v1/health/status "/api/v1/health/days?from=2026-08-01&to=2026-08-12" \
         "/api/v1/health/compare?from=2026-08-01&to=2026-08-12"; do
  check "token on $p: 403" test "$(get "$TMP/h" "$p")" = 403
  check "  says nothing of health" clean "$TMP/h"
done
for q in "$HID" sleep readiness oura se-priv-4b7e spo2; do
  check "GET /api/v1/search [$q]" test "$(get "$TMP/s" "/api/v1/search?q=$q&limit=100")" = 200
  check "  nothing of health" clean "$TMP/s"
done
check "GET /api/v1/documents" test "$(get "$TMP/d" '/api/v1/documents?limit=500')" = 200
check "  nothing of health" clean "$TMP/d"
check "  the same documents as the export" python3 -c '
import json,sys
api = [d["id"] for d in json.load(open(sys.argv[1]))["documents"]]
cli = [json.loads(l)["id"] for l in open(sys.argv[2])]
assert api == cli, (len(api), len(cli))' "$TMP/d" "$TMP/docs.jsonl"
for id in "mediadash://oura/$HID" "mediadash://oura/account/$HID"; do
  code=$(get "$TMP/one" "/api/v1/documents/one?id=$(python3 -c 'import sys,urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$id")")
  check "documents/one $id: 400 or 404 ($code)" test "$code" = 404 -o "$code" = 400
done

# ---- MCP over stdio: every tool, every resource -------------------------
check "MCP: tools and resources" timeout 120 python3 - "$BIN" "$DB" "$HID" "$TMP/mcp.out" "$TMP/needles" <<'EOF'
import json, select, subprocess, sys, time
bin_, db, hid, out, needles_file = sys.argv[1:6]
needles = [x for x in open(needles_file).read().split("\n") if x]
def clean(name, result):
    """No needle in a result (a search's echoed query left out)."""
    sc = dict(result.get("structuredContent") or {})
    sc.pop("query", None)
    texts = []
    for c in result.get("content", []):
        t = c.get("text", "")
        try:
            j = json.loads(t)
            if isinstance(j, dict):
                j.pop("query", None)
            t = json.dumps(j, ensure_ascii=False)
        except ValueError:
            pass
        texts.append(t)
    blob = json.dumps(sc, ensure_ascii=False) + "\n".join(texts)
    hits = [x for x in needles if x in blob]
    assert not hits, (name, hits[:5])
p = subprocess.Popen([bin_, "--db", db, "mcp"], stdin=subprocess.PIPE,
                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
log = open(out, "w")
n = 0
def rpc(method, params=None):
    global n
    n += 1
    msg = {"jsonrpc": "2.0", "id": n, "method": method}
    if params is not None:
        msg["params"] = params
    p.stdin.write((json.dumps(msg) + "\n").encode()); p.stdin.flush()
    deadline = time.time() + 30
    while time.time() < deadline:
        r, _, _ = select.select([p.stdout], [], [], deadline - time.time())
        if not r:
            break
        line = p.stdout.readline()
        if not line:
            break
        log.write(line.decode("utf-8", "replace"))
        ans = json.loads(line)
        if ans.get("id") == n:
            return ans
    raise SystemExit("no answer to %s" % method)
rpc("initialize", {"protocolVersion": "2025-06-18", "capabilities": {},
                   "clientInfo": {"name": "t", "version": "1"}})
p.stdin.write(b'{"jsonrpc":"2.0","method":"notifications/initialized"}\n'); p.stdin.flush()
tools = [t["name"] for t in rpc("tools/list")["result"]["tools"]]
assert len(tools) == 8, tools
calls = [("search_content", {"query": q, "limit": 100}) for q in (hid, "sleep", "readiness", "oura", "se-priv-4b7e")]
calls += [("get_item", {"platform": "oura", "id": hid}), ("get_item", {"platform": "oura", "id": "se-priv-4b7e"}),
          ("get_report", {"range": "28d"}), ("get_report", {"from": "2026-08-01", "to": "2026-08-12"}),
          ("top_content", {"from": "2026-08-01", "to": "2026-08-12", "limit": 50}),
          ("best_times", {"range": "90d"}),
          ("compare_periods", {"a_from": "2026-07-20", "a_to": "2026-07-31",
                               "b_from": "2026-08-01", "b_to": "2026-08-12"}),
          ("list_posts", {}),
          ("draft_post", {"platform": "oura", "account": hid, "at": "2030-01-01 10:00", "title": "x"})]
called = set()
for name, args in calls:
    r = rpc("tools/call", {"name": name, "arguments": args})
    assert "result" in r, (name, r)
    called.add(name)
    if name in ("get_item", "draft_post"):
        assert r["result"].get("isError") is True, (name, r)
    else:
        assert r["result"].get("isError") is not True, (name, r)
        clean(name, r["result"])
assert called == set(tools), set(tools) - called
uris, cursor = [], None
for _ in range(200):
    r = rpc("resources/list", {"cursor": cursor} if cursor else {})["result"]
    uris += [x["uri"] for x in r["resources"]]
    cursor = r.get("nextCursor")
    if not cursor:
        break
assert len(uris) > 20, len(uris)
assert not any("://oura/" in u for u in uris)
for u in uris:
    r = rpc("resources/read", {"uri": u})
    assert "result" in r, u
    clean(u, {"content": r["result"]["contents"]})
for u in ("mediadash://oura/" + hid, "mediadash://oura/account/" + hid):
    r = rpc("resources/read", {"uri": u})
    assert r.get("error", {}).get("code") == -32002, r
p.stdin.close(); p.wait(timeout=20)
print("tools %d, resources %d" % (len(called), len(uris)))
EOF
finish
