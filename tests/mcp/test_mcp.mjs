// MCP integration test with the official TypeScript SDK client
// (@modelcontextprotocol/sdk, tests/mcp/package-lock.json):
//   - stdio: `mediadash --db DB mcp` through StdioClientTransport;
//   - HTTP: serve's /mcp through StreamableHTTPClientTransport with API
//     tokens of scope read and write, and raw requests for the transport's
//     rules (401, Origin, sessions, protocol version header).
// Every tool's structuredContent (checked by the SDK against the tool's
// outputSchema) must equal what GET on its /api/v1 endpoint answers.
//
// env: MCP_BIN, MCP_DB, MCP_URL (serve's base URL), MCP_READ_TOKEN,
//      MCP_WRITE_TOKEN. Prints "N passed, N failed"; exit 1 on a failure.
import assert from 'node:assert/strict';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

const env = (k) => {
  const v = process.env[k];
  if (!v) throw new Error(`${k} is not set`);
  return v;
};
const BIN = env('MCP_BIN'), DB = env('MCP_DB'), URL_ = env('MCP_URL');
const READ = env('MCP_READ_TOKEN'), WRITE = env('MCP_WRITE_TOKEN');
const TOOLS = ['search_content', 'get_item', 'get_report', 'top_content',
  'best_times', 'compare_periods', 'list_posts', 'draft_post'];

let passed = 0, failed = 0;
async function step(name, fn) {
  try {
    await fn();
    passed++;
    console.log(`ok - ${name}`);
  } catch (e) {
    failed++;
    console.log(`not ok - ${name}: ${e && e.stack ? e.stack : e}`);
  }
}
// The whole run is bounded: a hang is a failure, not a stuck CTest.
const guard = setTimeout(() => {
  console.log(`not ok - timed out\n${passed} passed, ${failed + 1} failed`);
  process.exit(1);
}, Number(process.env.MCP_TEST_TIMEOUT_MS || 100000));

async function api(path, token = READ) {
  const r = await fetch(URL_ + path, {
    headers: { Authorization: `Bearer ${token}` },
    signal: AbortSignal.timeout(20000),
  });
  assert.equal(r.status, 200, `GET ${path}: ${r.status}`);
  return r.json();
}

async function apiText(path) {
  const r = await fetch(URL_ + path, {
    headers: { Authorization: `Bearer ${READ}` },
    signal: AbortSignal.timeout(20000),
  });
  assert.equal(r.status, 200, `GET ${path}: ${r.status}`);
  return r.text();
}

// Every live document, in the listing's order (tombstones left out).
async function allDocuments() {
  const out = [];
  let cursor = null;
  for (let pages = 0; pages < 100; pages++) {
    const page = await api('/api/v1/documents?' +
      qs(cursor ? { limit: 500, cursor } : { limit: 500 }));
    out.push(...page.documents.filter((d) => !d.deleted));
    if (!page.more) return out;
    cursor = page.next_cursor;
  }
  throw new Error('the documents listing does not end');
}

const qs = (o) => new URLSearchParams(o).toString();

async function call(client, name, args) {
  const r = await client.callTool({ name, arguments: args }, undefined,
    { timeout: 30000 });
  assert.notEqual(r.isError, true, `${name}: ${JSON.stringify(r.content)}`);
  assert.ok(r.structuredContent, `${name}: no structuredContent`);
  assert.deepEqual(JSON.parse(r.content[0].text), r.structuredContent,
    `${name}: the text block is not the same JSON`);
  return r.structuredContent;
}

// Each read tool against its endpoint; returns the item it looked at.
async function readTools(client, label) {
  const tools = (await client.listTools()).tools;
  await step(`${label}: lists the eight tools with schemas`, async () => {
    assert.deepEqual(tools.map((t) => t.name).sort(), [...TOOLS].sort());
    for (const t of tools) {
      assert.equal(t.inputSchema.type, 'object', t.name);
      assert.equal(t.outputSchema.type, 'object', t.name);
    }
  });
  const first = (await api('/api/v1/content?' + qs({ sort: 'views', limit: 1 }))).items[0];
  // the item's own title as a phrase (words only): full-text search
  // ranks it first among the items that share some of its words
  const words = first.title.split(/[^\p{L}\p{N}]+/u).filter(Boolean).slice(0, 8);
  const word = words.length ? '"' + words.join(' ') + '"' : first.id;
  await step(`${label}: search_content = GET /api/v1/search?q=`, async () => {
    const got = await call(client, 'search_content', { query: word, limit: 20 });
    assert.deepEqual(got, await api('/api/v1/search?' + qs({ q: word, limit: 20 })));
    assert.ok(got.items.some((i) => i.id === first.id && i.platform === first.platform), 'the item itself is found');
  });
  await step(`${label}: get_item = GET /api/v1/items/P/ID and /days`, async () => {
    const got = await call(client, 'get_item', { platform: first.platform, id: first.id });
    const p = `/api/v1/items/${first.platform}/${encodeURIComponent(first.id)}`;
    assert.deepEqual(got.item, await api(p + '?limit=30'));
    assert.deepEqual(got.days, await api(p + '/days'));
  });
  await step(`${label}: get_report = GET /api/v1/report`, async () => {
    const got = await call(client, 'get_report', { range: '28d', platform: first.platform });
    assert.deepEqual(got, await api('/api/v1/report?' + qs({ range: '28d', platform: first.platform })));
  });
  await step(`${label}: top_content = GET /api/v1/top`, async () => {
    const got = await call(client, 'top_content', { metric: 'views', range: '90d', limit: 5 });
    assert.deepEqual(got, await api('/api/v1/top?' + qs({ metric: 'views', range: '90d', limit: 5 })));
    assert.ok(got.items.length > 0);
  });
  await step(`${label}: best_times = GET /api/v1/heatmap`, async () => {
    const got = await call(client, 'best_times', { range: '90d' });
    assert.deepEqual(got, await api('/api/v1/heatmap?' + qs({ range: '90d' })));
  });
  await step(`${label}: compare_periods = two GET /api/v1/report`, async () => {
    const day = (n) => new Date(Date.now() - n * 86400000).toISOString().slice(0, 10);
    const a = { from: day(55), to: day(28) }, b = { from: day(27), to: day(0) };
    const got = await call(client, 'compare_periods',
      { a_from: a.from, a_to: a.to, b_from: b.from, b_to: b.to, top: 5 });
    assert.deepEqual(got.a, await api('/api/v1/report?' + qs({ ...a, top: 5 })));
    assert.deepEqual(got.b, await api('/api/v1/report?' + qs({ ...b, top: 5 })));
  });
  await step(`${label}: list_posts = GET /api/v1/posts`, async () => {
    const got = await call(client, 'list_posts', {});
    assert.deepEqual(got, await api('/api/v1/posts'));
  });
  await step(`${label}: a bad argument is a tool error naming it`, async () => {
    const r = await client.callTool({ name: 'get_report', arguments: { range: '3w' } });
    assert.equal(r.isError, true);
    assert.match(r.content[0].text, /range/);
  });
  await step(`${label}: resources are the documents (GET /api/v1/documents)`, async () => {
    const uris = [];
    let cursor;
    for (let pages = 0; ; pages++) {
      assert.ok(pages < 200, 'resources/list ends');
      const list = await client.listResources(cursor ? { cursor } : {});
      for (const r of list.resources) {
        assert.equal(r.mimeType, 'application/json');
        uris.push(r.uri);
      }
      if (!list.nextCursor) break;
      cursor = list.nextCursor;
    }
    const docs = await allDocuments();
    assert.deepEqual(uris, docs.map((d) => d.id));
    assert.ok(uris.length > 60, `${uris.length} resources`);
    // A content item and an account's day: read = the one-document route,
    // byte for byte, and = the listing's document, field for field.
    const picks = [docs.find((d) => d.type === 'content'),
      docs.find((d) => d.type === 'account_day')];
    for (const doc of picks) {
      assert.ok(doc, 'a document of each type');
      const read = await client.readResource({ uri: doc.id });
      assert.equal(read.contents.length, 1);
      assert.equal(read.contents[0].mimeType, 'application/json');
      const raw = await apiText('/api/v1/documents/one?' + qs({ id: doc.id }));
      assert.equal(read.contents[0].text, raw);
      assert.deepEqual(JSON.parse(read.contents[0].text), doc);
    }
    for (const uri of ['mediadash://youtube/no-such-item', 'mediadash://nope',
      'https://example.com/']) {
      await assert.rejects(client.readResource({ uri }),
        (e) => e.code === -32002, uri);
    }
  });
  return first;
}

async function draft(client, title) {
  const acct = (await api('/api/v1/accounts?platform=youtube')).accounts[0];
  return client.callTool({ name: 'draft_post',
    arguments: { platform: 'youtube', account: acct.id, title, at: '2030-01-01 10:00',
      caption: 'from an MCP client', tags: ['mcp'] } });
}

async function stdio(extra = []) {
  const client = new Client({ name: 'mediadash-test', version: '1' });
  const transport = new StdioClientTransport({
    command: BIN, args: ['--db', DB, 'mcp', ...extra], stderr: 'pipe',
  });
  await client.connect(transport, { timeout: 30000 });
  return client;
}

async function http(token) {
  const client = new Client({ name: 'mediadash-test', version: '1' });
  const transport = new StreamableHTTPClientTransport(new URL(URL_ + '/mcp'), {
    requestInit: { headers: { Authorization: `Bearer ${token}` } },
  });
  await client.connect(transport, { timeout: 30000 });
  return { client, transport };
}

// A raw POST to /mcp: [status, headers, parsed body or null].
async function post(body, headers = {}) {
  const r = await fetch(URL_ + '/mcp', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json',
      Accept: 'application/json, text/event-stream', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    signal: AbortSignal.timeout(20000),
  });
  const text = await r.text();
  return [r.status, r.headers, text ? JSON.parse(text) : null];
}

const INIT = { jsonrpc: '2.0', id: 1, method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {},
    clientInfo: { name: 'raw', version: '1' } } };

async function transportRules() {
  const auth = { Authorization: `Bearer ${READ}` };
  await step('http: no token is 401 with a Bearer challenge', async () => {
    const [s, h] = await post(INIT);
    assert.equal(s, 401);
    assert.match(h.get('www-authenticate') || '', /^Bearer/);
    await assert.rejects(async () => {
      const c = new Client({ name: 't', version: '1' });
      await c.connect(new StreamableHTTPClientTransport(new URL(URL_ + '/mcp')));
    });
  });
  await step('http: a wrong token is 401', async () => {
    const [s] = await post(INIT, { Authorization: 'Bearer mdt_' + 'A'.repeat(43) });
    assert.equal(s, 401);
  });
  await step('http: another Origin is 403 (DNS rebinding)', async () => {
    const [s] = await post(INIT, { ...auth, Origin: 'http://evil.example' });
    assert.equal(s, 403);
  });
  let sid;
  await step('http: initialize gives a session id and the version', async () => {
    const [s, h, b] = await post(INIT, auth);
    assert.equal(s, 200);
    sid = h.get('mcp-session-id');
    assert.match(sid || '', /^[0-9a-f]{32}$/);
    assert.equal(b.result.protocolVersion, '2025-06-18');
  });
  const list = { jsonrpc: '2.0', id: 2, method: 'tools/list' };
  await step('http: without the session id a request is 400', async () => {
    const [s] = await post(list, auth);
    assert.equal(s, 400);
  });
  await step('http: an unknown protocol version header is 400', async () => {
    const [s] = await post(list, { ...auth, 'Mcp-Session-Id': sid, 'MCP-Protocol-Version': '1999-01-01' });
    assert.equal(s, 400);
  });
  await step('http: a notification is 202, a request answered', async () => {
    const h = { ...auth, 'Mcp-Session-Id': sid, 'MCP-Protocol-Version': '2025-06-18' };
    const [s1] = await post({ jsonrpc: '2.0', method: 'notifications/initialized' }, h);
    assert.equal(s1, 202);
    const [s2, , b] = await post(list, h);
    assert.equal(s2, 200);
    assert.equal(b.result.tools.length, TOOLS.length);
    const [s3, , b3] = await post('{"jsonrpc":', h);
    assert.equal(s3, 400);
    assert.equal(b3.error.code, -32700);
  });
  await step('http: another token cannot use the session', async () => {
    const [s] = await post(list, { Authorization: `Bearer ${WRITE}`, 'Mcp-Session-Id': sid });
    assert.equal(s, 404);
  });
  await step('http: GET is 405, DELETE ends the session', async () => {
    const g = await fetch(URL_ + '/mcp', { headers: { ...auth, Accept: 'text/event-stream' } });
    assert.equal(g.status, 405);
    const d = await fetch(URL_ + '/mcp', { method: 'DELETE', headers: { ...auth, 'Mcp-Session-Id': sid } });
    assert.equal(d.status, 204);
    const [s] = await post(list, { ...auth, 'Mcp-Session-Id': sid });
    assert.equal(s, 404);
  });
}

async function main() {
  let c = await stdio();
  await readTools(c, 'stdio');
  await step('stdio: draft_post creates a draft', async () => {
    const r = await draft(c, 'MCP stdio draft');
    assert.notEqual(r.isError, true, JSON.stringify(r.content));
    assert.equal(r.structuredContent.post.state, 'draft');
  });
  await c.close();
  c = await stdio(['--read-only']);
  await step('stdio --read-only: draft_post refused', async () => {
    const r = await draft(c, 'refused');
    assert.equal(r.isError, true);
    assert.match(r.content[0].text, /write scope/);
  });
  await c.close();

  let h = await http(READ);
  await readTools(h.client, 'http read token');
  await step('http read token: draft_post refused', async () => {
    const r = await draft(h.client, 'refused');
    assert.equal(r.isError, true);
    assert.match(r.content[0].text, /write scope/);
  });
  await h.transport.terminateSession();
  await h.client.close();
  h = await http(WRITE);
  await step('http write token: draft_post creates a draft', async () => {
    const r = await draft(h.client, 'MCP http draft');
    assert.notEqual(r.isError, true, JSON.stringify(r.content));
    assert.equal(r.structuredContent.post.state, 'draft');
  });
  await h.client.close();
  await transportRules();
}

try {
  await main();
} catch (e) {
  failed++;
  console.log(`not ok - ${e && e.stack ? e.stack : e}`);
}
clearTimeout(guard);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
