// A loopback proxy for the conformance runner, which cannot send headers
// of its own: every request to http://127.0.0.1:PORT/mcp goes on to
// MCP_URL/mcp with "Authorization: Bearer MCP_TOKEN" added, as any MCP
// client configured with an API token sends it. Prints the port on stdout.
import http from 'node:http';

const target = new URL(process.env.MCP_URL);
const token = process.env.MCP_TOKEN;
const server = http.createServer((req, res) => {
  const headers = { ...req.headers, authorization: `Bearer ${token}`, host: target.host };
  if (headers.origin) headers.origin = target.origin; // a client of ours
  const up = http.request({ host: target.hostname, port: target.port, path: req.url,
    method: req.method, headers, timeout: 30000 }, (r) => {
    res.writeHead(r.statusCode, r.headers);
    r.pipe(res);
  });
  up.on('error', () => { res.writeHead(502); res.end(); });
  req.pipe(up);
});
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
