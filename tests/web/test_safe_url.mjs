// Unit test of web/dom.js's safeUrl, the guard every link and image the
// dashboard renders from API data goes through (issue 13 defect 12): only
// absolute http(s) URLs, whatever a stored value says. Run by CTest
// (unit.web_safe_url): node tests/web/test_safe_url.mjs
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

const dom = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'web', 'dom.js');
globalThis.navigator = { language: 'en-US' };
const { safeUrl } = await import(pathToFileURL(dom).href);

const GOOD = [
  'https://p16-sign.example/cover1.jpeg',
  'http://example.com',
  'HTTPS://Example.COM/a?b=c#d',
];
const BAD = [
  'javascript:alert(1)', 'JavaScript:alert(document.cookie)', ' javascript:alert(1)',
  '\tjavascript:alert(1)', '\u0001javascript:alert(1)', 'java\nscript:alert(1)',
  'data:text/html,<script>alert(1)</script>', 'data:image/svg+xml;base64,PHN2Zz4=',
  'file:///etc/passwd', 'vbscript:msgbox(1)', '//evil.example/x.jpg', '/x.jpg', '',
  'https://', 'http:///etc/passwd', ' https://example.com/', 'https://example.com/\na',
  'https://exa mple.com/', 'https:example.com', 'ftp://example.com/',
  null, undefined, 42, { toString: () => 'https://x/' },
];
let passed = 0;
let failed = 0;
for (const u of GOOD) {
  if (safeUrl(u) === u) passed++;
  else { failed++; console.log(`FAIL refused ${JSON.stringify(u)}`); }
}
for (const u of BAD) {
  if (safeUrl(u) === null) passed++;
  else { failed++; console.log(`FAIL accepted ${JSON.stringify(u)}`); }
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
