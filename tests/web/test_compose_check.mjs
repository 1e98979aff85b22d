// Unit test of web/compose_check.js, Compose's live counters: the same
// vectors as the server's unit test (tests/data/compose/text_counts.json,
// tests/unit/test_post_limits.c), so page and server count alike, and
// the problems it reports at the platforms' limits (as GET
// /api/v1/publishers states them). Run by CTest (unit.web_compose_check).
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';
import { readFileSync } from 'node:fs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cc = await import(pathToFileURL(join(root, 'web', 'compose_check.js')).href);
const vectors = JSON.parse(readFileSync(join(root, 'tests', 'data', 'compose', 'text_counts.json'), 'utf8'));

let passed = 0;
let failed = 0;
const check = (ok, what) => { if (ok) passed++; else { failed++; console.log('FAIL ' + what); } };

for (const v of vectors) {
  for (const [k, fn] of [['chars', cc.chars], ['utf16', cc.utf16], ['bytes', cc.bytes], ['hashtags', cc.hashtags], ['mentions', cc.mentions]]) {
    const got = fn(v.text);
    check(got === v[k], `${k}(${JSON.stringify(v.text)}) = ${got}, want ${v[k]}`);
  }
}
check(cc.tagsChars(['a b', 'c']) === 7, 'tagsChars of "a b", c');

// The limits as the server answers them (post_limits_json).
const L = {
  youtube: { title_chars: 100, caption_bytes: 5000, tags_chars: 500, no_angle: true, caption_name: 'description' },
  instagram: { caption_chars: 2200, hashtags: 30, mentions: 20, title_as_caption: true, caption_name: 'caption' },
  tiktok: { caption_chars: 2200, utf16: true, title_as_caption: true, caption_name: 'caption' },
};
const t = (title, caption, tags = []) => ({ title, caption, tags });
const none = (o) => Object.keys(o).length === 0;
check(none(cc.problems('youtube', 'YouTube', L.youtube, t('é'.repeat(100), 'x'.repeat(5000)))), 'YouTube at its limits');
let p = cc.problems('youtube', 'YouTube', L.youtube, t('é'.repeat(101), 'x'.repeat(5001)));
check(p.title && p.title[0].includes('101 characters; YouTube allows 100'), 'YouTube title 101: ' + JSON.stringify(p));
check(p.caption && p.caption[0].includes('5001 bytes'), 'YouTube description 5001 bytes: ' + JSON.stringify(p));
p = cc.problems('youtube', 'YouTube', L.youtube, t('a <b>', 'c > d'));
check(p.title && p.caption && p.caption.some((m) => m.includes('< and >')), 'YouTube < >: ' + JSON.stringify(p));
check(none(cc.problems('tiktok', 'TikTok', L.tiktok, t('x', '😀'.repeat(1100)))), 'TikTok 2200 UTF-16');
p = cc.problems('tiktok', 'TikTok', L.tiktok, t('x', '😀'.repeat(1101)));
check(p.caption && p.caption[0].includes('2202 characters (UTF-16)'), 'TikTok 2202: ' + JSON.stringify(p));
check(none(cc.problems('instagram', 'Instagram', L.instagram, t('x', '#a '.repeat(30) + '@b '.repeat(20)))), 'Instagram 30 #, 20 @');
p = cc.problems('instagram', 'Instagram', L.instagram, t('x', '#a '.repeat(31) + '@b '.repeat(21)));
check(p.caption && p.caption.length === 2, 'Instagram 31 #, 21 @: ' + JSON.stringify(p));
p = cc.problems('instagram', 'Instagram', L.instagram, t('#a '.repeat(31).trim(), ''));
check(p.title && p.title[0].includes('31 hashtags'), 'Instagram: an empty caption sends the title: ' + JSON.stringify(p));
const c = cc.counters(L.youtube, t('abc', 'dé'));
check(c.length === 3 && c[2].field === "tags" && c[0].value === 3 && c[0].max === 100 && c[1].value === 3 && c[1].label === 'bytes', 'YouTube counters ' + JSON.stringify(c));

console.log(`web_compose_check: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
