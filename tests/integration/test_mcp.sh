# MCP (issue 18): `mediadash mcp` over stdio and serve's /mcp over HTTP,
# driven by the official TypeScript SDK client (tests/mcp/test_mcp.mjs,
# installed with `npm ci` from tests/mcp/package-lock.json under the build
# tree, offline after the first run) on a real demo database; then what the
# drafts left behind, seen by `post list`.
. "$(dirname "$0")/lib.sh"

here=$(cd "$(dirname "$0")/../mcp" && pwd)
build=$(cd "$(dirname "$BIN")" && pwd)
deps="$build/mcp-deps"

command -v node >/dev/null || { echo "node is missing (tools/install-deps.sh)"; exit 1; }
# npm ci only when the lock file changed since the last install.
if ! cmp -s "$here/package-lock.json" "$deps/package-lock.json" 2>/dev/null ||
   [ ! -d "$deps/node_modules/@modelcontextprotocol/sdk" ]; then
  rm -rf "$deps" && mkdir -p "$deps"
  cp "$here/package.json" "$here/package-lock.json" "$deps/"
  check "npm ci" timeout 300 npm ci --prefix "$deps" --no-audit --no-fund --loglevel=error
fi

DB=$(newdb mcp)
check "demo database" run 0 "$BIN" --db "$DB" -q demo --items 60 --days 120
check "read token" run 0 "$BIN" --db "$DB" -q token add mcp-reader --scope read
READ_TOKEN=$(tr -d '\n' <"$TMP/out")
check "write token" run 0 "$BIN" --db "$DB" -q token add mcp-writer --scope write
WRITE_TOKEN=$(tr -d '\n' <"$TMP/out")
check "server started" serve_start "$DB"

# The SDK resolves from the installed tree: run the script from there.
cp "$here/test_mcp.mjs" "$deps/test_mcp.mjs"
# Its own hang guard just inside timeout's: its default, 100 s, cut off a
# correct run under ASan on PostgreSQL at load 25 (the same run took 77 s
# at load 20).
check "SDK client: stdio and HTTP" env MCP_BIN="$BIN" MCP_DB="$DB" MCP_URL="$URL" \
  MCP_READ_TOKEN="$READ_TOKEN" MCP_WRITE_TOKEN="$WRITE_TOKEN" \
  MCP_TEST_TIMEOUT_MS=140000 timeout 150 node "$deps/test_mcp.mjs"

# Two drafts (stdio, write token), none from the refused calls, nothing
# scheduled: draft_post never schedules.
check "post list" run 0 "$BIN" --db "$DB" post list --json
check "two drafts, titled" python3 -c '
import json, sys
posts = json.load(open(sys.argv[1]))["posts"]
titles = sorted(p["title"] for p in posts)
assert titles == ["MCP http draft", "MCP stdio draft"], titles
assert all(p["state"] == "draft" for p in posts), posts
' "$TMP/out"
check "no token in the server log" lacks "$SERVE_ERR" "$READ_TOKEN"

# The official conformance runner (@modelcontextprotocol/conformance) on
# the server scenarios that apply to a server with its own tools and no
# prompts, logging, completions or subscriptions (docs/mcp.md lists the
# others and why). The runner sends no headers of its own: a loopback
# proxy adds the read token, as a configured client does.
conformance() {
  local port="" scenario
  (cd "$TMP" && MCP_URL="$URL" MCP_TOKEN="$READ_TOKEN" \
    exec node "$deps/bearer_proxy.mjs" >"$TMP/proxy.port") &
  SERVERS="$SERVERS $!"
  for _ in $(seq 100); do
    port=$(cat "$TMP/proxy.port" 2>/dev/null)
    [ -n "$port" ] && break
    sleep 0.1
  done
  [ -n "$port" ] || { echo "  the proxy did not start" >&2; return 1; }
  for scenario in server-initialize ping tools-list resources-list; do
    (cd "$TMP" && timeout 60 node \
      "$deps/node_modules/@modelcontextprotocol/conformance/dist/index.js" \
      server --url "http://127.0.0.1:$port/mcp" --scenario "$scenario" \
      >"$TMP/conf.out" 2>&1) ||
      { echo "  conformance $scenario failed:" >&2; tail -20 "$TMP/conf.out" >&2; return 1; }
  done
}
# The runner checks the protocol, the same on either backend: on
# PostgreSQL (integration.pg.test_mcp) it is not run again.
if ! is_pg; then
  cp "$here/bearer_proxy.mjs" "$deps/bearer_proxy.mjs"
  check "conformance: server-initialize ping tools-list resources-list" conformance
fi

# stdio: logs on stderr only, exits at EOF, a line over the cap answered.
check "stdio EOF" run 0 "$BIN" --db "$DB" mcp </dev/null
check "stdio says nothing unasked" test ! -s "$TMP/out"
python3 -c 'print("x" * (1 << 20) + "x")' >"$TMP/long"
check "stdio long line" run 0 "$BIN" --db "$DB" mcp <"$TMP/long"
check "long line refused" contains "$TMP/out" '"code":-32600'
finish
